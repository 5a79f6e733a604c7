#!/bin/sh
# target_pid.sh - -p PID: probes fire for that process only (timers still
# fire); a pid that does not exist is refused.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint raw_syscalls sys_enter
need_cmd dd

# a busy writer we started, and end by its pid
dd if=/dev/zero of=/dev/null bs=1 count=100000000 2>/dev/null &
busy=$!
run_wisp -p "$busy" 'tracepoint:raw_syscalls:sys_enter { @[pid] = count(); } interval:ms:300 { exit(); }'
kill "$busy" 2>/dev/null
wait "$busy" 2>/dev/null
expect_status 0
expect_grep "^@\\[$busy\\]: [0-9]+$"
# nothing but the target
[ "$(grep -c '^@\[' "$TESTDIR/out")" = 1 ] || fail "other processes were counted"

run_wisp -p 2147483 'BEGIN { exit(); }'
expect_status 1
expect_grep 'no such process' "$TESTDIR/err"
