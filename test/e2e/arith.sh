#!/bin/sh
# arith.sh - integer arithmetic, comparison and logic with C precedence,
# on constants and on values read back from maps at run time.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root

run_wisp 'BEGIN {
	printf("%d %d %d %d %d\n", 7 + 5 * 3, (7 + 5) * 3, 17 / 5, 17 % 5, 10 - 15);
	printf("%d %d %d %d %d\n", 1 << 4, 256 >> 2, 0xf0 | 0x0f, 6 & 3, 6 ^ 3);
	@a = 17; @b = 5;
	printf("%d %d %d %d %d\n", @a + @b, @b - @a, @a * @b, @a / @b, @a % @b);
	printf("%d %d %d %d %d %d\n", @b < @a, @a < @b, @a <= 17, @b >= 6, @a == 17, @a != 17);
	printf("%d %d %d %d\n", @a > 1 && @b > 10, @a > 1 || @b > 10, !(@a > 1), !0);
	if (@a > @b && !(@b > @a)) { printf("then\n"); } else { printf("else\n"); }
	if (@a < @b) { printf("then\n"); } else { printf("else\n"); }
	$n = -7; $d = 2; $m = -2;
	printf("%d %d %d %d %d %d\n", $n / $d, $n % $d, 7 / $m, 7 % $m, $n / $m, $n >> 1);
	printf("%d %d %d %d\n", -7 / 2, -7 % 2, 7 / -2, (uint8)-1);
	exit();
}'
expect_status 0
printf '%s\n' \
	'22 36 3 2 -5' \
	'16 64 255 2 5' \
	'22 -12 85 3 2' \
	'1 0 1 0 1 0' \
	'0 1 0 1' \
	'then' \
	'else' \
	'-3 -1 -3 1 3 -4' \
	'-3 -1 -3 255' >"$TESTDIR/expected"
# Division is C's: signed operands truncate toward zero (at run time
# and when folded). The maps @a and @b are printed after these lines.
head -n 9 "$TESTDIR/out" >"$TESTDIR/got"
if ! cmp -s "$TESTDIR/expected" "$TESTDIR/got"; then
	diff -u "$TESTDIR/expected" "$TESTDIR/got" >"$TESTDIR/diff" 2>&1
	fail "output differs from the expected text:
$(cat "$TESTDIR/diff")"
fi
expect_line '@a: 17'
expect_line '@b: 5'
