#!/bin/sh
# loops.sh - for ranges with break and continue, while, unroll, and ++/--
# as values, computed in the kernel and compared with known sums.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root

run_wisp 'BEGIN {
	$s = 0;
	for ($i : 0..10) { if ($i == 7) { break; } if ($i % 2) { continue; } $s += $i; }
	$j = 0; $w = 0;
	while ($j < 20) { $j++; $w += $j; }
	unroll(3) { $s++; }
	$k = 5;
	printf("%d %d %d %d %d %d\n", $s, $w, $j, $k++, ++$k, $k--);
	@m = 1;
	printf("%d %d\n", @m++, ++@m);
	exit();
}'
expect_status 0
expect_line '15 210 20 5 7 7'
expect_line '1 3'
expect_line '@m: 3'

# a loop the verifier cannot bound is refused, naming the source line
run_wisp 'BEGIN { $j = 0; while (rand > 0) { $j++; } exit(); }'
expect_status 1
expect_grep '^<cmdline>:1:' "$TESTDIR/err"
expect_grep 'verifier' "$TESTDIR/err"
# the same over lines: the line of the loop (3, or its body's 4), shown
run_wisp 'BEGIN {
  $j = 0;
  while (rand > 0) {
    $j++;
  }
  exit();
}'
expect_status 1
expect_grep "^<cmdline>:[34]:[0-9]+: error: the kernel's verifier rejected the program for BEGIN" "$TESTDIR/err"
expect_grep '^  (while \(rand > 0\) \{|\$j\+\+;)$' "$TESTDIR/err"
expect_grep '^verifier log \(last lines\):$' "$TESTDIR/err"

# a warning does not stop the run
run_wisp 'BEGIN { $unused = 1; $used = 2; printf("%d\n", $used); exit(); }'
expect_status 0
expect_line '2'
expect_grep "^<cmdline>:1:9: warning: variable '\\\$unused' is assigned but never used" "$TESTDIR/err"
