#!/bin/sh
# dry_run.sh - the dumps (--dump=tokens,ast,ir,ra,asm) stop after
# compiling and run nothing; --dry-run loads every program into the
# verifier, attaches nothing and exits 0.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

# every_line_in A B: each line of file A is also a line of file B.
every_line_in() {
	awk 'NR == FNR { have[$0] = 1; next } !($0 in have) { print "missing: " $0; bad = 1; exit } END { exit bad }' \
		"$2" "$1" >"$TESTDIR/check"
}

# no_vregs: no virtual register (v16, v17, ...) outside comments.
no_vregs() {
	sed -e 's/;.*//' -e 's|//.*||' -e 's/#.*//' "$TESTDIR/out" |
		grep -E '(^|[^[:alnum:]_])v[0-9]+([^[:alnum:]_]|$)' >"$TESTDIR/check" &&
		fail "virtual registers left after allocation: $(head -n 1 "$TESTDIR/check")"
	return 0
}

# Dumps need no privileges for a program without tracepoints.
prog='BEGIN { @x = count(); printf("hi %d\n", 42); }'

run_wisp --dump=asm "$prog"
expect_status 0
expect_no_grep '^hi 42$'
expect_no_grep '^@x: [0-9]+$'
# "pc: instruction" in the verifier's syntax: a helper call and the exit.
expect_grep '^[[:space:]]*[0-9]+:[[:space:]]+call[[:space:]]'
expect_grep '^[[:space:]]*[0-9]+:[[:space:]]+exit[[:space:]]*$'
no_vregs
cp "$TESTDIR/out" "$TESTDIR/asm"

run_wisp --dump=ir "$prog"
expect_status 0
expect_no_grep '^hi 42$'
expect_grep '(^|[[:space:]])exit[[:space:]]*$'
# Virtual registers before allocation...
expect_grep '(^|[^[:alnum:]_])v[0-9]+([^[:alnum:]_]|$)'

run_wisp --dump=ra "$prog"
expect_status 0
expect_grep '(^|[[:space:]])exit[[:space:]]*$'
# ...and none after.
no_vregs

run_wisp --dump=tokens "$prog"
expect_status 0
# "line:col NAME [text]", one token a line: BEGIN at 1:1, count at 1:14.
expect_grep '^1:1[[:space:]].*BEGIN'
expect_grep '^1:14[[:space:]].*count'
[ "$(grep -c '^[0-9][0-9]*:[0-9][0-9]*[[:space:]]' "$TESTDIR/out")" -ge 16 ] ||
	fail "fewer token lines than the 16 tokens of the program"
cp "$TESTDIR/out" "$TESTDIR/tokens"

run_wisp --dump=ast "$prog"
expect_status 0
expect_grep 'count'
expect_grep 'printf'
# An indented tree.
expect_grep '^[[:space:]]+[^[:space:]]'
cp "$TESTDIR/out" "$TESTDIR/ast"

run_wisp --dump=tokens,ast "$prog"
expect_status 0
every_line_in "$TESTDIR/tokens" "$TESTDIR/out" ||
	fail "--dump=tokens,ast lacks a line of --dump=tokens: $(cat "$TESTDIR/check")"
every_line_in "$TESTDIR/ast" "$TESTDIR/out" ||
	fail "--dump=tokens,ast lacks a line of --dump=ast: $(cat "$TESTDIR/check")"
expect_no_grep '^hi 42$'

run_wisp --dump=nosuchstage "$prog"
expect_status 1
expect_grep . "$TESTDIR/err"

# Loading needs root (and the tracepoint's format).
need_tracepoint syscalls sys_enter_openat
prog='BEGIN { printf("begin ran\n"); }
tracepoint:syscalls:sys_enter_openat { @[comm] = count(); printf("event\n"); }
END { printf("end ran\n"); }'
run_wisp --dry-run "$prog"
expect_status 0
expect_no_grep '^begin ran$|^event$|^end ran$|^@\[.*\]: [0-9]+$'

run_wisp --dry-run --dump=asm "$prog"
expect_status 0
expect_grep '^[[:space:]]*[0-9]+:[[:space:]]+call[[:space:]]'
expect_grep '^[[:space:]]*[0-9]+:[[:space:]]+exit[[:space:]]*$'
expect_no_grep '^begin ran$|^event$|^end ran$|^@\[.*\]: [0-9]+$'
