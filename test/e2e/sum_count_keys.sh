#!/bin/sh
# sum_count_keys.sh - a map with two keys (comm, fd) counting writes, and
# sum() of the bytes written: dd writes 100 x 512 bytes to fd 1 and a
# short summary to fd 2.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_write
need_cmd dd

run_wisp -c 'dd if=/dev/zero of=/dev/null bs=512 count=100' \
	'tracepoint:syscalls:sys_enter_write /pid == cpid && comm == "dd"/ { @[comm, args->fd] = count(); @total = sum(args->count); }'
expect_status 0
expect_count '@[dd, 1]' 100 100
expect_count '@[dd, 2]' 1 20
# 51200 bytes of blocks plus the summary.
expect_count @total 51200 52200
# Sorted by value: the few summary writes come before the 100 blocks.
l2=$(grep -n '^@\[dd, 2\]:' "$TESTDIR/out" | cut -d: -f1)
l1=$(grep -n '^@\[dd, 1\]:' "$TESTDIR/out" | cut -d: -f1)
[ "$l2" -lt "$l1" ] || fail "@[dd, 2] (the smaller count) is not printed before @[dd, 1]"
