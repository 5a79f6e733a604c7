#!/bin/sh
# timeout: 300
# kill_random.sh - wisp killed with SIGKILL at random moments leaves
# nothing in the kernel. $WISP_KILLS kills (100 by default), spread over
# the kinds of probe this kernel has:
#     tp   tracepoints
#     up   uprobes (and a uretprobe where there is a shared libc)
#     kp   kprobes and a kretprobe through the kprobe PMU
#     ke   the same through kprobe_events (WISP_KPROBE_EVENTS=1)
# and over three moments, each drawn at random within the time it takes
# on this machine (measured first, once per kind):
#     start    from exec to the end of attaching (compiling, loading,
#              attaching)
#     trace    while the probes fire
#     detach   after a SIGINT: detaching, END, printing the maps
# Counted before and after, and printed: BPF programs, maps and links,
# perf event fds of every process, the kernel's kprobes (debugfs), and
# wisp's kprobe_events and uprobe_events lines. Every count must come back
# to where it was (it may end lower: other processes on the machine may
# free theirs meanwhile).
#
# The one thing the kernel cannot free is a kprobe_events event: the text
# interface (kernels without the kprobe PMU, or ke) leaves the group
# wisp_PID of a killed wisp. The next wisp that uses kprobes removes the
# groups whose process is gone: checked at the end, after the counts of
# what the killed ones left are printed.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_cmd od
tfs=$(tracefs_dir) || skip "no tracefs"
kills=${WISP_KILLS:-100}
tick='interval:ms:20 { printf("tick\n"); }'

# ---- the kinds of probe -----------------------------------------------

kinds=
prog_tp='tracepoint:sched:sched_switch { @[comm] = count(); }'
if [ -d "$tfs/events/syscalls/sys_enter_read" ]; then
	prog_tp="$prog_tp tracepoint:syscalls:sys_enter_read { @s = count(); }"
fi
[ -d "$tfs/events/sched/sched_switch" ] && kinds="$kinds tp"

if [ -r /sys/bus/event_source/devices/uprobe/type ]; then
	if [ -r /etc/ld.so.cache ] &&
		"$WISP" -l 'uprobe:libc:read' 2>/dev/null | grep -q ':read$'; then
		prog_up='uprobe:libc:read { @u = count(); } uretprobe:libc:read { @r = count(); }'
		kinds="$kinds up"
	else
		# a static busybox (the QEMU guests): the entry point of the
		# binary, which every applet started from now on passes
		for _d in /bin /usr/bin /sbin; do
			[ -x "$_d/busybox" ] && bb=$_d/busybox && break
		done
		entry=
		[ -n "${bb:-}" ] && entry=$(od -An -tx8 -j24 -N8 "$bb" | tr -d ' ' | sed 's/^0*//')
		if [ -n "$entry" ]; then
			prog_up="uprobe:$bb:0x$entry { @u = count(); }"
			kinds="$kinds up"
		fi
	fi
fi

prog_kp='kprobe:vfs_read* { @k[probe] = count(); } kretprobe:vfs_write { @r = count(); }'
[ -r /sys/bus/event_source/devices/kprobe/type ] && kinds="$kinds kp"
prog_ke=$prog_kp
[ -w "$tfs/kprobe_events" ] && kinds="$kinds ke"
[ -n "$kinds" ] || skip "no probe kind to test"
nkinds=$(echo $kinds | wc -w)

# ---- counting ---------------------------------------------------------

kprobe_list=/sys/kernel/debug/kprobes/list
# counts: "programs maps links perf_fds kprobes kprobe_events uprobe_events"
counts() {
	"$WISP" --info >"$TESTDIR/info" 2>&1 || fail "wisp --info failed: $(cat "$TESTDIR/info")"
	awk '/bpf programs loaded/ { p = $NF } /bpf maps loaded/ { m = $NF }
		/bpf links loaded/ { l = $NF } END { printf "%d %d %d", p, m, l }' "$TESTDIR/info"
	# shellcheck disable=SC2010 # fd links, not file names
	printf ' %d' "$(ls -l /proc/[0-9]*/fd/ 2>/dev/null | grep -c 'perf_event')"
	if [ -r "$kprobe_list" ]; then
		printf ' %d' "$(grep -c . "$kprobe_list")"
	else
		printf ' -'
	fi
	printf ' %d' "$(grep -c wisp "$tfs/kprobe_events" 2>/dev/null)"
	printf ' %d\n' "$(grep -c wisp "$tfs/uprobe_events" 2>/dev/null)"
}
show_counts() { # TITLE COUNTS
	# shellcheck disable=SC2086 # the counts are words
	set -- "$1" $2
	printf '%-34s programs %s, maps %s, links %s, perf event fds %s, kprobes %s, kprobe_events %s, uprobe_events %s\n' \
		"$@"
}

# ---- time, randomness -------------------------------------------------

now_cs() { # centiseconds since boot
	read -r _up _rest </proc/uptime
	_s=${_up%.*}
	_f=${_up#*.}
	_f=${_f%"${_f#??}"}
	# "08" and "09" are no numbers to sh's arithmetic (octal)
	echo $((_s * 100 + ${_f#0}))
}
random() { # 0 .. $1-1
	_r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $((_r % $1))
}
sleep_cs() { # sleep $1 centiseconds
	if [ "$_naps_per_s" = 10 ]; then
		sleep "$(($1 / 100)).$(printf '%02d' $(($1 % 100)))"
	elif [ "$1" -ge 50 ]; then
		sleep 1
	fi
}
# ticking: the background wisp has printed a tick (all its probes are
# attached, it is in its event loop)
ticking() {
	grep -q '^tick$' "$TESTDIR/out" 2>/dev/null
}
# wait_tick: until ticking, wisp dead, or 30 s; returns 1 unless ticking
if [ "$_naps_per_s" = 10 ]; then
	_tick_nap=0.02
	_tick_naps=1500
else
	_tick_nap=1
	_tick_naps=30
fi
wait_tick() {
	_n=$_tick_naps
	until ticking; do
		running "$wisp_pid" || return 1
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 1
		sleep $_tick_nap
	done
}

start_kind() { # KIND: start wisp with the program of KIND
	eval "_prog=\$prog_$1"
	if [ "$1" = ke ]; then
		WISP_KPROBE_EVENTS=1
		export WISP_KPROBE_EVENTS
	fi
	# the last one's ticks must not be taken for this one's: the shell
	# opens the new out file in the background
	rm -f "$TESTDIR/out"
	start_wisp "$_prog $tick"
	unset WISP_KPROBE_EVENTS
}

# ---- measure each kind: time to attach, time to end after SIGINT -------

for k in $kinds; do
	t0=$(now_cs)
	start_kind "$k"
	wait_tick || fail "wisp ($k) did not start tracing:
$(cat "$TESTDIR/err")"
	t1=$(now_cs)
	kill -INT "$wisp_pid"
	wait_wisp 30
	expect_status 0
	t2=$(now_cs)
	# the ranges drawn from: a little more than measured
	eval "attach_$k=$((t1 - t0 + 10))"
	eval "detach_$k=$((t2 - t1 + 5))"
	printf 'kind %s: attached in %d cs, ended %d cs after SIGINT\n' "$k" $((t1 - t0)) $((t2 - t1))
done

# ---- the kills --------------------------------------------------------

before=$(counts)
show_counts "before:" "$before"
i=0
n_start=0 n_trace=0 n_detach=0
while [ $i -lt "$kills" ]; do
	# kinds in turn; each kind its moments in turn
	k=$(echo $kinds | cut -d' ' -f$((i % nkinds + 1)))
	eval "attach=\$attach_$k detach=\$detach_$k"
	# in the guests' kernel log (on the console with loglevel=7): which
	# kill a hung guest was at
	if [ -f /etc/wisp-qemu.conf ] && [ -w /dev/kmsg ]; then
		echo "<6>kill_random: kill $i, $k, moment $(((i / nkinds) % 3))" >/dev/kmsg
	fi
	case $(((i / nkinds) % 3)) in
	0)
		start_kind "$k"
		sleep_cs "$(random "$attach")"
		n_start=$((n_start + 1))
		;;
	1)
		start_kind "$k"
		wait_tick || fail "wisp ($k) did not start tracing"
		sleep_cs "$(random 20)"
		n_trace=$((n_trace + 1))
		;;
	2)
		start_kind "$k"
		wait_tick || fail "wisp ($k) did not start tracing"
		kill -INT "$wisp_pid" 2>/dev/null
		sleep_cs "$(random "$detach")"
		n_detach=$((n_detach + 1))
		;;
	esac
	kill -KILL "$wisp_pid" 2>/dev/null
	wait "$wisp_pid" 2>/dev/null
	i=$((i + 1))
done
echo "$i kills: $n_start while starting, $n_trace while tracing, $n_detach while detaching"

# ---- after: the kernel frees what a dead process held, a little later ---

# le A B: every count of A is at most the same count of B
le() {
	echo "$1 $2" | awk '{ for (i = 1; i <= 7; i++) if ($i != "-" && $i > $(i + 7)) exit 1 }'
}
# settle WHAT: until the counts are at most those before (kprobe_events
# left out unless WHAT is "all"), 10 s at most; sets $after
settle() {
	_n=100
	while :; do
		after=$(counts)
		if [ "$1" = all ]; then
			le "$after" "$before" && return 0
		else
			# the kprobe_events groups of killed wisps (and
			# their kprobes) are not freed: checked below
			le "$(echo "$after" | awk '{ if ($5 != "-") $5 -= $6; $6 = 0; print }')" \
				"$(echo "$before" | awk '{ if ($5 != "-") $5 -= $6; $6 = 0; print }')" &&
				return 0
		fi
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			show_counts "before:" "$before"
			show_counts "after:" "$after"
			fail "after $kills kill -9, the kernel holds more than before (see the counts above)"
		fi
		nap
	done
}
settle kernel
show_counts "after:" "$after"

# ---- stale kprobe_events groups: removed by the next wisp ----------------

stale=$(grep -c 'wisp_' "$tfs/kprobe_events" 2>/dev/null)
echo "kprobe_events left by killed wisps: ${stale:-0}"
if [ "${stale:-0}" -gt 0 ]; then
	# only groups of dead processes
	for pid in $(sed -n 's/^[^:]*:wisp_\([0-9]*\)\/.*/\1/p' "$tfs/kprobe_events" | sort -u); do
		! running "$pid" || fail "kprobe_events group wisp_$pid, and $pid is alive"
	done
	run_wisp --dry-run 'kprobe:vfs_read { @ = count(); }'
	expect_status 0
	left=$(grep -c 'wisp_' "$tfs/kprobe_events")
	echo "kprobe_events after the next wisp: $left"
	[ "$left" = 0 ] || fail "the next wisp left stale groups: $(grep wisp "$tfs/kprobe_events")"
fi
settle all
show_counts "final:" "$after"
