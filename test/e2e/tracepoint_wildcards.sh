#!/bin/sh
# tracepoint_wildcards.sh - tracepoint:CAT:EV* expands to every match,
# the probe builtin names the one that fired; -l and -lv list
# tracepoints and their fields.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_openat
WISP_TIMEOUT=60

file=$(hostname_file)
run_wisp -e 'tracepoint:syscalls:sys_enter_open* { @[probe] = count(); }' \
	-c "cat $file"
expect_status 0
expect_count '@[tracepoint:syscalls:sys_enter_openat]' 1 100000000
expect_no_grep '^@\[tracepoint:syscalls:sys_enter_[^o]'

# bpftrace's "category wildcard" and ply's separator.
run_wisp -e 't:*:sched_switch, tracepoint:sched/sched_wakeu? { @[probe] = count(); } interval:ms:300 { exit(); }'
expect_status 0
expect_grep '^@\[tracepoint:sched:sched_switch\]: [0-9]'
expect_grep '^@\[tracepoint:sched:sched_wakeup\]: [0-9]'
expect_no_grep '^@\[tracepoint:sched:sched_wakeup_'

# Every system call tracepoint: hundreds, resolved and loaded quickly
# (--dry-run: closing that many attached tracepoints costs the kernel two
# RCU grace periods each, tens of seconds, whoever the tracer).
start=$(date +%s)
run_wisp --dry-run -e 'tracepoint:syscalls:* { @ = count(); }'
end=$(date +%s)
expect_status 0
[ $((end - start)) -le 20 ] || fail "syscalls:* took $((end - start)) s to load"

# A dozen attach, fire (cat reads its file) and detach.
run_wisp -e 'tracepoint:syscalls:sys_*_read* { @[probe] = count(); }' \
	-c "cat $file"
expect_status 0
expect_grep '^@\[tracepoint:syscalls:sys_enter_read\]: [1-9]'
expect_grep '^@\[tracepoint:syscalls:sys_exit_read\]: [1-9]'

run_wisp -e 'tracepoint:sched:nosuch* { }'
expect_status 1
expect_grep "no tracepoint matches 'tracepoint:sched:nosuch\*'" "$TESTDIR/err"

run_wisp -l 'tracepoint:sched:*'
expect_status 0
expect_line 'tracepoint:sched:sched_switch'
expect_no_grep '^tracepoint:syscalls:'
expect_no_grep ':(enable|filter)$'

run_wisp -lv tracepoint:syscalls:sys_enter_openat
expect_status 0
expect_line 'tracepoint:syscalls:sys_enter_openat'
expect_grep '^    .*[ *]filename$'
expect_no_grep 'common_'

# one tracepoint named twice for one body attaches once
run_wisp -c 'sleep 0.2' 't:sched:sched_switch, t:*:sched_switch { @ = count(); }'
expect_status 0
expect_grep '^@: [0-9]+$'
