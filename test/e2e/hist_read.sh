#!/bin/sh
# hist_read.sh - hist() of read sizes: dd reads 2000 blocks of 1 KiB, so
# the [1K, 2K) bucket holds 2000 (plus the odd read by the dynamic loader).
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_exit_read
need_cmd dd

run_wisp -c 'dd if=/dev/zero of=/dev/null bs=1k count=2000' \
	'tracepoint:syscalls:sys_exit_read /pid == cpid && comm == "dd"/ { @bytes = hist(args->ret); }'
expect_status 0
expect_grep '^@bytes:'
# A bucket row: "[1K, 2K)    2000 |@@@@@@@@|" (the biggest bar is full).
expect_grep '^\[1K, 2K\)[[:space:]]+[0-9]+[[:space:]]+\|@+[[:space:]]*\|$'
n=$(awk '/^\[1K, 2K\)/ { sub(/^\[1K, 2K\)/, ""); print $1; exit }' "$TESTDIR/out")
is_uint "$n" || fail "no count in the [1K, 2K) row"
{ [ "$n" -ge 2000 ] && [ "$n" -le 2010 ]; } ||
	fail "the [1K, 2K) row holds $n, expected 2000..2010"
