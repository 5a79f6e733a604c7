#!/bin/sh
# agg_read.sh - a probe reads count, sum, avg, min and max maps: the
# value over every CPU (bpf_map_lookup_percpu_elem, 5.19+); kernels
# without that helper refuse the program with a clear error. hist maps
# cannot be read.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_tracepoint syscalls sys_enter_read
need_cmd dd

prog='BEGIN { @c = count(); @c = count(); @s = sum(-5); @s = sum(2); @a = avg(10); @a = avg(3); @lo = min(7); @lo = min(-3); @hi = max(9); @k[1] = count(); printf("%d %d %d %d %d %d %d\n", @c, @s, @a, @lo, @hi, @k[1], @k[2]); exit(); }'
if ! "$WISP" --info 2>/dev/null | grep -q 'map_lookup_percpu_elem *yes'; then
	run_wisp -e "$prog"
	expect_status 1
	expect_grep 'reading count\(\) map @c in a probe needs bpf_map_lookup_percpu_elem \(Linux 5.19\), which this kernel lacks' "$TESTDIR/err"
	skip "no bpf_map_lookup_percpu_elem here: the refusal is checked"
fi
run_wisp -e "$prog"
expect_status 0
expect_line '2 -3 6 -3 9 1 0'

# a running count, read by the probe that counts: every 250th read
run_wisp -c 'dd if=/dev/zero of=/dev/null bs=1k count=1000 status=none' \
	'tracepoint:syscalls:sys_enter_read /pid == cpid && comm == "dd"/ { @n = count(); if (@n % 250 == 0) { printf("%d reads\n", @n); } }'
expect_status 0
expect_line '250 reads'
expect_line '1000 reads'

# profile samples on every CPU, added up by an interval probe on one
run_wisp -e 'profile:hz:100 { @p = count(); } interval:ms:500 { printf("samples %d\n", @p); exit(); }' \
	-c "dd if=/dev/zero of=/dev/null bs=1k count=8000000 status=none"
expect_status 0
n=$(sed -n 's/^samples //p' "$TESTDIR/out")
[ -n "$n" ] || fail "no samples line"
m=$(map_value '@p')
[ "$n" -gt 0 ] && [ "$n" -le "$m" ] || fail "the probe read $n samples, the map holds $m"

run_wisp -e 'BEGIN { @h = hist(1); printf("%d\n", @h); }'
expect_status 1
expect_grep 'map @h holds hist\(\), which a probe cannot read: print\(@h\) prints it' "$TESTDIR/err"
