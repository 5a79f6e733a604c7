#!/bin/sh
# len.sh - len(@m) counts the elements of a map (also of an aggregation,
# keyed), len(kstack) and len(ustack) the frames of a stack; what has no
# length is refused.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_tracepoint syscalls sys_enter_read
need_cmd dd

run_wisp -e 'BEGIN { @k = kstack; printf("frames %d\n", len(kstack)); exit(); }'
expect_status 0
n=$(sed -n 's/^frames //p' "$TESTDIR/out")
[ -n "$n" ] && [ "$n" -gt 0 ] || fail "len(kstack) is '$n'"

run_wisp -e 'BEGIN { @h = hist(1); printf("%d\n", len(@h)); }'
expect_status 1
expect_grep 'len\(\) counts the keys of a map: @h holds histograms, whose elements are buckets' "$TESTDIR/err"
run_wisp -e 'BEGIN { printf("%d\n", len(comm)); }'
expect_status 1
expect_grep 'len\(\) takes a map or a stack, this is string\[16\]' "$TESTDIR/err"

if ! "$WISP" --info 2>/dev/null | grep -q 'for_each_map_elem *yes'; then
	run_wisp -e 'BEGIN { @m[1] = 2; printf("%d\n", len(@m)); exit(); }'
	expect_status 1
	expect_grep 'len\(@m\) needs bpf_for_each_map_elem \(Linux 5.13\), which this kernel lacks' "$TESTDIR/err"
	skip "no bpf_for_each_map_elem here: len(@m)'s refusal is checked"
fi

run_wisp -e 'BEGIN { @m[1] = 10; @m[2] = 20; @c["a"] = count(); @c["b"] = count(); @c["c"] = count();
	printf("%d %d\n", len(@m), len(@c)); delete(@m[1]); printf("%d\n", len(@m)); exit(); }'
expect_status 0
expect_line '2 3'
expect_line '1'

# the file descriptors dd reads, counted as they come
run_wisp -c 'dd if=/dev/zero of=/dev/null bs=1k count=3 status=none' \
	'tracepoint:syscalls:sys_enter_read /pid == cpid && comm == "dd"/ { @fds[args->fd] = 1; @n = len(@fds); }'
expect_status 0
[ "$(map_value '@n')" = "$(grep -c '^@fds\[' "$TESTDIR/out")" ] || fail "@n is not the number of @fds keys"
