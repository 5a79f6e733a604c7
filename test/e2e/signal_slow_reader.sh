#!/bin/sh
# signal_slow_reader.sh - SIGINT while wisp's writes are blocked on a
# reader that reads late: every event is printed or counted, none is
# dropped unsaid (an interrupted write used to lose stdio's buffer, up
# to a few hundred lines). printed + lost + not printed == the events the
# probe saw (a count() beside the printf).
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_tracepoint syscalls sys_enter_read
need_cmd dd mkfifo
WISP_TIMEOUT=60

fifo=$TESTDIR/fifo
mkfifo "$fifo"
for buf in ringbuf perf; do
	if [ "$buf" = perf ]; then
		WISP_NO_RINGBUF=1
		export WISP_NO_RINGBUF
	fi
	# the reader opens the pipe at once and reads only after 2 s
	{ sleep 2; cat; } <"$fifo" >"$TESTDIR/out" &
	reader=$!
	"$WISP" -c 'dd if=/dev/zero of=/dev/null bs=1 count=20000' \
		'tracepoint:syscalls:sys_enter_read /pid == cpid/ { @n = count(); printf("e %s\n", "0123456789012345678901234567890123456789012345678901234567890123"); }' \
		>"$fifo" 2>"$TESTDIR/err" &
	wisp_pid=$!
	sleep 1
	kill -INT "$wisp_pid"
	wait "$wisp_pid"
	status=$?
	wait "$reader"
	expect_status 0
	n=$(sed -n 's/^@n: //p' "$TESTDIR/out")
	is_uint "$n" || fail "$buf: no @n in the output"
	printed=$(grep -c '^e ' "$TESTDIR/out")
	lost=$(sed -n 's/^wisp: \([0-9]*\) events\{0,1\} lost$/\1/p' "$TESTDIR/err")
	unread=$(sed -n 's/^wisp: \([0-9]*\) events\{0,1\} not printed.*/\1/p' "$TESTDIR/err")
	total=$((printed + ${lost:-0} + ${unread:-0}))
	[ "$total" = "$n" ] ||
		fail "$buf: $printed printed + ${lost:-0} lost + ${unread:-0} not printed = $total, but the probe saw $n"
done
unset WISP_NO_RINGBUF
