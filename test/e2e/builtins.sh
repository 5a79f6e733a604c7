#!/bin/sh
# builtins.sh - positional parameters, cpid, probe, elapsed, rand, cgroup,
# curtask: each checked against something known outside wisp.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_getppid
need_cmd sh

# $1 an integer, $2 a string, $3 missing (0), $# the count.
run_wisp 'BEGIN { printf("%d|%s|%d|%d|%s\n", $1 * 2, $2, $3, $#, probe); exit(); }' 21 word
expect_status 0
expect_line '42|word|0|2|BEGIN'

# cpid is the pid of the -c command, which is exec'd directly: the
# command's own $$. Its getppid calls are counted under that pid only.
cat >"$TESTDIR/work.sh" <<'WORK'
echo $$ >"$1/pid"
i=0
while [ $i -lt 5 ]; do
	: "$PPID"
	i=$((i + 1))
done
WORK
run_wisp -c "sh $TESTDIR/work.sh $TESTDIR" \
	'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[probe] = count(); }
	 END { printf("cpid=%d\n", cpid); }'
expect_status 0
child=$(cat "$TESTDIR/pid" 2>/dev/null)
is_uint "$child" || fail "the workload did not run"
expect_line "cpid=$child"

# elapsed grows from zero; nsecs is far beyond it; rand varies.
run_wisp 'interval:ms:100 { @n++; @e[@n] = elapsed; if (@n == 3) { exit(); } }
	END { printf("%d %d %d\n", @e[1] > 50000000, @e[2] > @e[1], @e[3] > @e[2]); }'
expect_status 0
expect_line '1 1 1'
run_wisp 'BEGIN { @a = rand; @b = rand; @c = rand; printf("%d\n", @a != @b || @b != @c); @g = cgroup; printf("%d %d\n", @g > 0, curtask > 0xffff000000000000); exit(); }'
expect_status 0
expect_line '1'
expect_line '1 1'
