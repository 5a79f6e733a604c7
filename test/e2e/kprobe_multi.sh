#!/bin/sh
# kprobe_multi.sh - a kprobe or kretprobe wildcard goes through one
# kprobe_multi link where the kernel has them (5.18+ with CONFIG_FPROBE),
# else through one perf event a function: -v says which and why; both
# ways count the same events and read the same caller and arguments; a
# program reading func goes the perf way; a name ftrace cannot take is
# skipped, not fatal; once wisp is gone no ftrace hook or kprobe of its
# is left.
# Skips where the kernel has no kprobes (the host); runs in test/qemu.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
[ -d /sys/bus/event_source/devices/kprobe ] || skip "no kprobe PMU on this kernel"
need_cmd dd
dd='dd if=/dev/zero of=/dev/null bs=1k count=300'
tfs=$(tracefs_dir) || skip "no tracefs"

# The kernel's version as a number: 6.12 -> 612.
kver=$(uname -r | awk -F'[.-]' '{ print $1 * 100 + $2 }')

# method: which way -v says the last run attached ("multi" or "perf").
method() {
	if grep -Eq "^wisp: $1: [0-9]+ functions? attached by 1 kprobe_multi link in [0-9.]+ ms$" "$TESTDIR/err"; then
		echo multi
	elif grep -Eq "^wisp: $1: [0-9]+ functions? attached by perf events \(kprobe PMU, one a function\) in [0-9.]+ ms; not kprobe_multi: " "$TESTDIR/err"; then
		echo perf
	else
		fail "-v does not say how '$1' was attached"
	fi
}

# What is hooked in the kernel: functions with an ftrace callback (a
# kprobe_multi link, or a kprobe on an ftrace site) and kprobes.
hooks() {
	_h=0
	[ -r "$tfs/enabled_functions" ] && _h=$(wc -l <"$tfs/enabled_functions")
	[ -r /sys/kernel/debug/kprobes/list ] &&
		_h=$((_h + $(wc -l </sys/kernel/debug/kprobes/list)))
	echo "$_h"
}
hooks0=$(hooks)

prog='kprobe:vfs_rea* /comm == "dd"/ { @ = count(); }'
run_wisp -v -c "$dd" "$prog"
expect_status 0
m=$(method 'kprobe:vfs_rea\*')
n_multi=$(map_value @)
# fprobe events (CONFIG_FPROBE_EVENTS, 6.6+) need CONFIG_FPROBE: then
# the kernel has kprobe_multi, and it must be used.
if grep -q '^ *f\[' "$tfs/README" 2>/dev/null; then
	[ "$m" = multi ] || fail "this kernel has fprobes, but kprobe:vfs_rea* did not go through kprobe_multi"
fi
echo "kprobe:vfs_rea*: $(grep '^wisp: kprobe:vfs_rea' "$TESTDIR/err")"
if [ "$m" = perf ]; then
	# the reason must be a true one
	if [ "$kver" -lt 518 ]; then
		expect_grep 'not kprobe_multi: not in this kernel \(5\.18\+\)$' "$TESTDIR/err"
	else
		expect_grep 'not kprobe_multi: not in this kernel \(built without CONFIG_FPROBE\)$' "$TESTDIR/err"
	fi
	echo "this kernel ($(uname -r)) has no kprobe_multi: the perf way only"
fi

WISP_KPROBE_MULTI=0
export WISP_KPROBE_MULTI
run_wisp -v -c "$dd" "$prog"
expect_status 0
[ "$(method 'kprobe:vfs_rea\*')" = perf ] || fail "WISP_KPROBE_MULTI=0 still used kprobe_multi"
expect_grep 'not kprobe_multi: WISP_KPROBE_MULTI=0$' "$TESTDIR/err"
n_perf=$(map_value @)
unset WISP_KPROBE_MULTI
is_uint "$n_perf" || fail "no count"
[ "$n_perf" -ge 300 ] || fail "$n_perf calls of vfs_rea* by dd, expected 300 or more"
[ "$n_multi" = "$n_perf" ] ||
	fail "kprobe_multi counted $n_multi calls of vfs_rea*, the perf events $n_perf"

# return probes: the same, and retval is the return value
prog='kretprobe:vfs_rea* /comm == "dd" && retval == 1024/ { @ = count(); }'
run_wisp -v -c "$dd" "$prog"
expect_status 0
[ "$(method 'kretprobe:vfs_rea\*')" = "$m" ] || fail "kretprobe went another way than kprobe"
expect_count @ 300 300
WISP_KPROBE_MULTI=0
export WISP_KPROBE_MULTI
run_wisp -v -c "$dd" "$prog"
unset WISP_KPROBE_MULTI
expect_status 0
expect_count @ 300 300

# caller and arguments are read from the registers the link hands over
run_wisp -v -c "$dd" 'kprobe:vfs_rea* /comm == "dd"/ { @[caller] = count(); @n[arg2] = count(); }'
expect_status 0
[ "$(method 'kprobe:vfs_rea\*')" = "$m" ] || fail "caller changed the way of attaching"
expect_grep '^@\[(ksys_read|__[a-z0-9]*_sys_read|__do_sys_read)\]: 3[0-9][0-9]$'
expect_count '@n[1024]' 300 300

# func differs by function: one program each, one perf event each
run_wisp -v -c "$dd" 'kprobe:vfs_rea* /comm == "dd"/ { @[func] = count(); }'
expect_status 0
[ "$(method 'kprobe:vfs_rea\*')" = perf ] || fail "a program reading func went through kprobe_multi"
expect_grep 'not kprobe_multi: the program reads func or probe, so each function has its own$' "$TESTDIR/err"
expect_count '@[vfs_read]' 300 400

if [ "$m" = multi ]; then
	# Attached, the link hooks every function; gone, nothing is left.
	start_wisp -v 'kprobe:vfs_* { @ = count(); }'
	wait_attached 60
	n=$(sed -n "s/^wisp: kprobe:vfs_\\*: \\([0-9]*\\) functions attached by 1 kprobe_multi link.*/\\1/p" "$TESTDIR/err")
	during=$(hooks)
	kill -INT "$wisp_pid"
	wait_wisp 30
	expect_status 0
	is_uint "$n" || fail "-v does not say that kprobe:vfs_* went through one kprobe_multi link"
	[ "$during" -ge $((hooks0 + n)) ] ||
		fail "$n functions attached, but the kernel shows $during hooks, $hooks0 before"

	# Names from kallsyms (WISP_KPROBE_NO_FILTER=1, as under lockdown)
	# include some that ftrace cannot take: the link leaves them out.
	WISP_KPROBE_NO_FILTER=1
	export WISP_KPROBE_NO_FILTER
	run_wisp -v -c 'sleep 0' 'kprobe:vfs_ca* { @ = count(); }'
	unset WISP_KPROBE_NO_FILTER
	expect_status 0
	expect_grep "warning: skipped [0-9]+ of the [0-9]+ functions matching 'kprobe:vfs_ca\*': they cannot be probed" "$TESTDIR/err"
	expect_grep "^wisp: kprobe:vfs_ca\\*: [0-9]+ functions? attached by [0-9]+ kprobe_multi links?" "$TESTDIR/err"
fi

# Whatever way, nothing stays hooked once wisp is gone.
sleep 1
hooks1=$(hooks)
[ "$hooks1" = "$hooks0" ] || fail "the kernel shows $hooks1 hooks (ftrace, kprobes) after wisp, $hooks0 before"
