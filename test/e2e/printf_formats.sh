#!/bin/sh
# printf_formats.sh - printf conversions and widths against known values;
# the output is compared byte for byte.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root

run_wisp 'BEGIN {
	printf("%5d|%-5d|%x|%08x|%s|%-6s|\n", 42, 42, 255, 255, "ab", "cd");
	printf("%d %u %d|%3s|%-3s|%3d|%-3x|\n", -5, 7, 0, "x", "y", 1234, 171);
	printf("%u %x\n", -1, -1);
	printf("100%% done\n");
	exit();
}'
expect_status 0
# then bpftrace's two blank lines before the (here no) maps
printf '%s\n' \
	'   42|42   |ff|000000ff|ab|cd    |' \
	'-5 7 0|  x|y  |1234|ab |' \
	'18446744073709551615 ffffffffffffffff' \
	'100% done' '' '' >"$TESTDIR/expected"
if ! cmp -s "$TESTDIR/expected" "$TESTDIR/out"; then
	diff -u "$TESTDIR/expected" "$TESTDIR/out" >"$TESTDIR/diff" 2>&1
	fail "output differs from the expected text:
$(cat "$TESTDIR/diff")"
fi
