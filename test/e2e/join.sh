#!/bin/sh
# join.sh - join() prints the strings of a NULL-terminated array, here
# the argv of the -c command's execve: the default and a given delimiter,
# JSON, strings cut at WISP_STRLEN, at most 16 of them; bad calls refused.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_execve
# a path: a shell's "command -v true" may name its builtin
t=/bin/true
[ -x "$t" ] || skip "needs /bin/true"
prog='tracepoint:syscalls:sys_enter_execve /pid == cpid/ { join(args->argv); join(args->argv, "--"); }'
run_wisp -c "$t one two three" "$prog"
expect_status 0
expect_line "$t one two three"
expect_line "$t--one--two--three"

run_wisp -f json -c "$t a b" 'tracepoint:syscalls:sys_enter_execve /pid == cpid/ { join(args->argv); }'
expect_status 0
expect_line "{\"type\": \"join\", \"data\": \"$t a b\"}"

# each string keeps WISP_STRLEN - 1 bytes
WISP_STRLEN=4
export WISP_STRLEN
run_wisp -c "$t abcdefgh xy" 'tracepoint:syscalls:sys_enter_execve /pid == cpid/ { join(args->argv); }'
unset WISP_STRLEN
expect_status 0
expect_line "$(printf '%s' "$t" | cut -c1-3) abc xy"

# 20 arguments: the first 16 strings (the program and 15 arguments)
run_wisp -c "$t 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20" \
	'tracepoint:syscalls:sys_enter_execve /pid == cpid/ { join(args->argv); }'
expect_status 0
expect_line "$t 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15"

run_wisp 'BEGIN { join(1, 2); }'
expect_status 1
expect_grep 'join\(\) takes an array of string pointers and an optional delimiter in quotes' "$TESTDIR/err"
run_wisp 'BEGIN { join("abc"); }'
expect_status 1
expect_grep 'join\(\) needs the address of an array of string pointers, this is string\[4\]' "$TESTDIR/err"
run_wisp 'BEGIN { $x = join(0); }'
expect_status 1
expect_grep 'join\(\) returns no value' "$TESTDIR/err"

# '*' reads the 8 bytes at an address: argv[0] through argv
run_wisp -c "$t x" 'tracepoint:syscalls:sys_enter_execve /pid == cpid/ { printf("argv0=%s\n", str(*args->argv)); }'
expect_status 0
expect_line "argv0=$t"
