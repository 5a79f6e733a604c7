#!/bin/sh
# count_interval.sh - count() keyed by comm on every syscall, stopped by
# exit() in an interval probe: wisp exits by itself after about a second
# and prints "@[comm]: N" lines sorted by value, smallest first.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint raw_syscalls sys_enter

WISP_TIMEOUT=15
start=$(date +%s)
run_wisp 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); } interval:s:1 { exit(); }'
end=$(date +%s)
expect_status 0
[ $((end - start)) -le 8 ] ||
	fail "took $((end - start)) s to exit; interval:s:1 { exit(); } should stop it after 1 s"
expect_grep '^@\[.+\]: [0-9]+$'
awk '
/^@\[/ {
	n++
	v = $NF
	if (v !~ /^[0-9]+$/) { print "not a count: " $0; bad = 1; next }
	if (n > 1 && v + 0 < prev) { print "not sorted: \"" $0 "\" after \"" prevline "\""; bad = 1 }
	if (v + 0 == 0) { print "a zero count: " $0; bad = 1 }
	prev = v + 0; prevline = $0
}
END { exit bad }' "$TESTDIR/out" >"$TESTDIR/check" || fail "$(cat "$TESTDIR/check")"
