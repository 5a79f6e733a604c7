#!/bin/sh
# for_map.sh - for ($kv : @m): every element as the tuple (key, value),
# keys of several fields as a tuple; continue, break, nested loops,
# locals of the probe read and written in the body, a live probe's
# context and stack inside it; what cannot be iterated is refused.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_tracepoint syscalls sys_enter_read
need_cmd dd

if ! "$WISP" --info 2>/dev/null | grep -q 'for_each_map_elem *yes'; then
	run_wisp -e 'BEGIN { @m[1] = 2; for ($kv : @m) { print($kv); } exit(); }'
	expect_status 1
	expect_grep 'for \(\$kv : @m\) needs bpf_for_each_map_elem \(Linux 5.13\), which this kernel lacks' "$TESTDIR/err"
	skip "no bpf_for_each_map_elem here: the refusal is checked"
fi

run_wisp -e 'BEGIN {
	@m[1] = 10; @m[2] = 20; @m[3] = 30;
	$n = 0; $tot = 0;
	for ($kv : @m) { if ($kv.0 == 2) { continue; } $n++; $tot += $kv.1; }
	printf("n=%d tot=%d\n", $n, $tot);
	$c = 0;
	for ($kv2 : @m) { $c++; if ($c == 2) { break; } }
	printf("c=%d\n", $c);
	for ($a : @m) { for ($b : @m) { @pairs[$a.0, $b.0] = $a.1 + $b.1; } }
	@s["x", 7] = (1, "one");
	for ($e : @s) { print($e); printf("%s %d %s\n", $e.0.0, $e.0.1, $e.1.1); }
	exit();
}'
expect_status 0
expect_line 'n=2 tot=40'
expect_line 'c=2'
expect_line '((x, 7), (1, one))'
expect_line 'x 7 one'
expect_line '@pairs[1, 3]: 40'
expect_line '@pairs[3, 3]: 60'
[ "$(grep -c '^@pairs\[' "$TESTDIR/out")" = 9 ] || fail "expected 9 pairs"

# a live probe: the context (args, comm) and a kernel stack in the body
run_wisp -c 'dd if=/dev/zero of=/dev/null bs=1k count=3 status=none' \
	'tracepoint:syscalls:sys_enter_read /pid == cpid && comm == "dd"/ { @fds[args->fd] = args->count; for ($kv : @fds) { printf("fd %d count %d now %d %s\n", $kv.0, $kv.1, args->fd, comm); @st[kstack] = count(); } }'
expect_status 0
expect_grep '^fd 0 count 1024 now 0 dd$'
expect_grep '^@st\['

# END iterates over what the probes gathered
run_wisp -c 'dd if=/dev/zero of=/dev/null bs=512 count=5 status=none' \
	'tracepoint:syscalls:sys_enter_read /pid == cpid && comm == "dd"/ { @r[args->fd, args->count] = 1; } END { for ($kv : @r) { printf("read fd=%d size=%d\n", $kv.0.0, $kv.0.1); } clear(@r); }'
expect_status 0
expect_line 'read fd=0 size=512'

run_wisp -e 'BEGIN { @c[1] = count(); for ($kv : @c) { } }'
expect_status 1
expect_grep 'for iterates over maps of values; @c holds count\(\), whose values are per-CPU' "$TESTDIR/err"
run_wisp -e 'BEGIN { @k = 1; for ($kv : @k) { } }'
expect_status 1
expect_grep 'map @k has no keys: for iterates over the elements of a map with keys' "$TESTDIR/err"
run_wisp -e 'BEGIN { @m[1] = 1; for ($kv : @m) { return; } }'
expect_status 1
expect_grep 'return inside a for over a map: use break, then return' "$TESTDIR/err"
run_wisp -e 'BEGIN { @m[1] = 1; $kv = 2; for ($kv : @m) { } }'
expect_status 1
expect_grep "variable '\\\$kv' is assigned before: a for over a map needs a new variable" "$TESTDIR/err"
run_wisp -e 'BEGIN { for ($kv : @nope) { } }'
expect_status 1
expect_grep 'map @nope is never assigned' "$TESTDIR/err"
