#!/bin/sh
# ply_dialect.sh - ply's spellings: tracepoint:cat/event, data->field,
# the "if (cond)" predicate and quantize().
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_openat
need_tracepoint syscalls sys_exit_read
need_cmd dd
file=$(hostname_file)

run_wisp -c "cat $file" 'tracepoint:syscalls/sys_enter_openat { @[comm] = count(); }'
expect_status 0
expect_count '@[cat]' 1 1000

run_wisp -c 'dd if=/dev/zero of=/dev/null bs=1k count=500' \
	'tracepoint:syscalls/sys_exit_read if (comm == "dd") { @sizes = quantize(data->ret); }'
expect_status 0
expect_grep '^@sizes:'
n=$(awk '/^\[1K, 2K\)/ { sub(/^\[1K, 2K\)/, ""); print $1; exit }' "$TESTDIR/out")
is_uint "$n" || fail "no count in the [1K, 2K) row"
{ [ "$n" -ge 500 ] && [ "$n" -le 510 ]; } ||
	fail "the [1K, 2K) row holds $n, expected 500..510"
