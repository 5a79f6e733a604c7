#!/bin/sh
# kill_random.sh - wisp killed with SIGKILL at random moments (while
# compiling, loading, attaching or tracing) leaves nothing in the kernel:
# no BPF programs or maps (counted by wisp --info), no kprobe or uprobe
# events of wisp in tracefs.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint sched sched_switch

tfs=$(tracefs_dir)
count() { # programs and maps the kernel holds
	"$WISP" --info | awk '/bpf programs loaded|bpf maps loaded/ { n += $NF } END { print n }'
}
probe_events() {
	cat "$tfs/kprobe_events" "$tfs/uprobe_events" 2>/dev/null | grep -c wisp
}
# a random delay of 0 to 0.5 s, or 0 to 1 s where sleep has no fractions
delay() {
	r=$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')
	if [ "$_naps_per_s" = 10 ]; then
		sleep "0.$((r % 5))$((r % 10))"
	else
		sleep $((r % 2))
	fi
}

prog='tracepoint:sched:sched_switch { @[comm] = count(); }
tracepoint:syscalls:sys_enter_read* { @s[probe] = count(); }
interval:ms:50 { @i = count(); }'
# kprobes too where the kernel has them, through the PMU
if [ -e /sys/bus/event_source/devices/kprobe/type ]; then
	prog="$prog
kprobe:vfs_read { @k = count(); }"
fi

before=$(count)
i=0
while [ $i -lt 6 ]; do
	start_wisp "$prog"
	delay
	kill -KILL "$wisp_pid" 2>/dev/null
	wait "$wisp_pid" 2>/dev/null
	i=$((i + 1))
done
# the kernel frees programs and maps when their last reference goes: a
# little later for the ones a killed process held
n=0
while [ "$(count)" != "$before" ] && [ $n -lt 50 ]; do
	nap
	n=$((n + 1))
done
after=$(count)
[ "$after" = "$before" ] ||
	fail "BPF programs and maps: $before before, $after after six kill -9 (a wisp leaked some)"
[ "$(probe_events)" = 0 ] || fail "probe events of wisp left in tracefs:
$(cat "$tfs/kprobe_events" "$tfs/uprobe_events" 2>/dev/null | grep wisp)"
