#!/bin/sh
# interval.sh - interval probes fire at their period: interval:ms:N and
# interval:s:N, and ply's interval:Ns.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
WISP_TIMEOUT=15

# 200 ms ticks until exit() at 1 s: 4 or 5 of them; a loaded machine may
# lose one, no machine gains two.
run_wisp 'interval:ms:200 { @ticks = count(); } interval:s:1 { exit(); }'
expect_status 0
expect_count @ticks 3 6

start=$(date +%s)
run_wisp 'BEGIN { printf("start\n"); } interval:1s { printf("tick\n"); exit(); }'
end=$(date +%s)
expect_status 0
[ "$(grep . "$TESTDIR/out" | tr '\n' ' ')" = "start tick " ] ||
	fail "expected 'start' then one 'tick'"
[ $((end - start)) -le 8 ] || fail "took $((end - start)) s; interval:1s should stop it after 1 s"
