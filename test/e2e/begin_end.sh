#!/bin/sh
# begin_end.sh - BEGIN runs first, END last (it can read the maps), the
# maps are printed after END; exit() also runs END; exit(N) sets the status;
# events after exit() are dropped.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root

run_wisp -c true 'BEGIN { printf("hello\n"); @x = 5; } END { printf("bye %d\n", @x); }'
expect_status 0
[ "$(sed -n 1p "$TESTDIR/out")" = hello ] || fail "the first line is not 'hello'"
expect_line 'bye 5'
expect_line '@x: 5'
# hello, then bye 5, then the map; nothing else but blank lines.
awk '
$0 == "hello" { h = NR; next }
$0 == "bye 5" { b = NR; next }
$0 == "@x: 5" { m = NR; next }
/./ { print "unexpected line " NR ": " $0; bad = 1 }
END {
	if (!(h < b && b < m)) { print "wrong order: hello at " h ", bye 5 at " b ", @x: 5 at " m; bad = 1 }
	exit bad
}' "$TESTDIR/out" >"$TESTDIR/check" || fail "$(cat "$TESTDIR/check")"

run_wisp 'BEGIN { printf("a\n"); exit(); } END { printf("b\n"); }'
expect_status 0
[ "$(grep . "$TESTDIR/out" | tr '\n' ' ')" = "a b " ] ||
	fail "expected 'a' then 'b' (exit() runs END)"

run_wisp 'BEGIN { exit(3); }'
expect_status 3

# exit() ends the output: of a stream of events, those after the first
# exit() are dropped (bpftrace's behaviour), END's output still comes
need_tracepoint syscalls sys_enter_read
run_wisp -c 'dd if=/dev/zero of=/dev/null bs=1 count=200000' \
	'tracepoint:syscalls:sys_enter_read /pid == cpid && comm == "dd"/ { printf("read\n"); exit(); } END { printf("end\n"); }'
expect_status 0
[ "$(grep -c '^read$' "$TESTDIR/out")" = 1 ] || fail "$(grep -c '^read$' "$TESTDIR/out") lines of 'read', not 1"
expect_line 'end'
