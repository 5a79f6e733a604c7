#!/bin/sh
# cmdline.sh - the command line: -h, -V, bad options, the program from
# -e, a file and stdin, and a -c command that does not exist.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

for opt in -h --help; do
	run_wisp "$opt"
	expect_status 0
	expect_grep '--dry-run'
	expect_grep '--dump'
	expect_grep '-c'
done
for opt in -V --version; do
	run_wisp "$opt"
	expect_status 0
	expect_grep 'wisp.*[0-9]+\.[0-9]+'
done
run_wisp --no-such-option 'BEGIN { exit(); }'
expect_status 1
expect_grep . "$TESTDIR/err"
run_wisp
expect_status 1
expect_grep . "$TESTDIR/err"
run_wisp --dump=asm
expect_status 1
expect_grep . "$TESTDIR/err"

need_root
run_wisp -e 'BEGIN { printf("from -e\n"); exit(); }'
expect_status 0
expect_line 'from -e'

cat >"$TESTDIR/prog.wisp" <<'PROG'
#!/usr/bin/env wisp
// a program in a file
BEGIN {
	printf("from a file\n"); /* and a comment */
	exit();
}
PROG
run_wisp "$TESTDIR/prog.wisp"
expect_status 0
expect_line 'from a file'

printf '%s\n' 'BEGIN { printf("from stdin\n"); exit(); }' >"$TESTDIR/stdin.wisp"
run_wisp - <"$TESTDIR/stdin.wisp"
expect_status 0
expect_line 'from stdin'

run_wisp -c 'wisp-no-such-command --flag' 'BEGIN { printf("begin\n"); }'
expect_status 1
expect_grep 'wisp-no-such-command' "$TESTDIR/err"
