#!/bin/sh
# predicate_pid.sh - the pid and tid builtins, string == and != in
# predicates, && and ||, and if/else, each checked against what a known
# workload must produce.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_write
need_cmd dd

# The -c command is exec'd directly (no shell in between), so $$ of this
# script is the pid wisp's child runs under; it writes from that pid and
# then starts a dd, which writes under its own name (cat may copy with
# copy_file_range and never call write).
cat >"$TESTDIR/work.sh" <<'WORK'
echo $$ >"$1/pid"
i=0
while [ $i -lt 20 ]; do
	echo "line $i"
	i=$((i + 1))
done >"$1/lines"
dd if="$1/pid" of="$1/pid.copy" 2>/dev/null
WORK
run_wisp -c "sh $TESTDIR/work.sh $TESTDIR" '
tracepoint:syscalls:sys_enter_write /comm == "sh"/ { @p[pid] = count(); @t[tid] = count(); }
tracepoint:syscalls:sys_enter_write /comm != "sh"/ { @notsh[comm] = count(); }'
expect_status 0
child=$(cat "$TESTDIR/pid" 2>/dev/null)
is_uint "$child" || fail "the workload did not run (no pid file)"
expect_count "@p[$child]" 1 100000
# A single-threaded process: its only thread id is its pid.
expect_count "@t[$child]" 1 100000
expect_count '@notsh[dd]' 1 100000
expect_no_grep '^@notsh\[sh\]'

# dd writes 37 blocks of 512 bytes to /dev/null (fd 1), then its summary
# to stderr in shorter writes.
run_wisp -c 'dd if=/dev/zero of=/dev/null bs=512 count=37' '
tracepoint:syscalls:sys_enter_write /pid == cpid && comm == "dd"/ {
	if (args->count == 512) { @full = count(); } else { @other = count(); }
}
tracepoint:syscalls:sys_enter_write /pid == cpid && comm == "dd" && args->count > 511 && args->count < 513/ { @and = count(); }
tracepoint:syscalls:sys_enter_write /pid == cpid && comm == "dd" && (args->fd == 1 || args->fd == 1000)/ { @or = count(); }'
expect_status 0
expect_count @full 37 37
expect_count @other 1 100
expect_count @and 37 37
expect_count @or 37 37
