#!/bin/sh
# flood.sh - a program that traces wisp's own writes floods it with
# events: SIGTERM, SIGINT and SIGHUP still end it within a second (the
# END probe and the maps still come, once; the rest of the flood is
# said, not printed), a second SIGINT quits at once when the reader of
# its output does not read, `| head -n 1` ends it with status 0, and a
# full disk (-o /dev/full) is an error. The ring buffer, and the perf
# buffer of kernels before 5.8 (WISP_NO_RINGBUF=1), alike. The kernel
# keeps no program or map of wisp's afterwards.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint raw_syscalls sys_enter

flood='tracepoint:raw_syscalls:sys_enter { printf("%d %s\n", pid, comm); }
END { printf("end\n"); }'

# centiseconds since boot
now_cs() {
	read -r _up _ </proc/uptime
	echo "${_up%.*}${_up#*.}" | sed 's/^0*//;s/^$/0/'
}
count() { # programs and maps the kernel holds
	"$WISP" --info | awk '/bpf programs loaded|bpf maps loaded/ { n += $NF } END { print n + 0 }'
}
# the kernel frees what a process held a little after it exits
expect_clean() {
	_n=0
	while [ "$(count)" != "$before" ] && [ $_n -lt 50 ]; do
		nap
		_n=$((_n + 1))
	done
	[ "$(count)" = "$before" ] ||
		fail "$1: $(($(count) - before)) BPF programs or maps left in the kernel"
}
# wait_gone PID SECS: wait until PID is gone; "" if it took longer
wait_gone() {
	_n=$(($2 * _naps_per_s))
	while running "$1" && [ "$_n" -gt 0 ]; do
		nap
		_n=$((_n - 1))
	done
	! running "$1"
}
before=$(count)

for buf in ringbuf perf; do
	if [ "$buf" = perf ]; then
		WISP_NO_RINGBUF=1
		export WISP_NO_RINGBUF
	fi
	for sig in TERM INT HUP; do
		start_wisp "$flood"
		wait_attached 10
		running "$wisp_pid" || { wait "$wisp_pid"; status=$?; fail "wisp ended before SIG$sig"; }
		t0=$(now_cs)
		kill -s "$sig" "$wisp_pid"
		wait_gone "$wisp_pid" 5
		t1=$(now_cs)
		wait_wisp 5
		# 1 s, and 0.2 s of slack for a loaded machine's scheduler
		[ $((t1 - t0)) -le 120 ] ||
			fail "$buf: wisp took $((t1 - t0))0 ms to end after SIG$sig under a flood (at most 1 s)"
		expect_status 0
		[ "$(grep -c '^end$' "$TESTDIR/out")" = 1 ] ||
			fail "$buf: the END probe's line is not printed once after SIG$sig"
		echo "$buf: SIG$sig ended the flood in $((t1 - t0))0 ms"
	done
	expect_clean "$buf: after the signals"

	# a second SIGINT while the output blocks (a reader that does not read)
	rm -f "$TESTDIR/fifo"
	mkfifo "$TESTDIR/fifo" || fail "mkfifo"
	sleep 60 <"$TESTDIR/fifo" &
	reader=$!
	_record_cmd "$WISP" "$flood" ">" fifo
	"$WISP" "$flood" >"$TESTDIR/fifo" 2>"$TESTDIR/err" &
	wisp_pid=$!
	wait_attached 10
	kill -s INT "$wisp_pid"
	sleep 1
	running "$wisp_pid" || fail "$buf: wisp ended on the first SIGINT although its reader does not read"
	t0=$(now_cs)
	kill -s INT "$wisp_pid"
	wait_gone "$wisp_pid" 5
	t1=$(now_cs)
	wait_wisp 5
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	[ $((t1 - t0)) -le 120 ] ||
		fail "$buf: wisp took $((t1 - t0))0 ms to quit after a second SIGINT"
	expect_status 130
	echo "$buf: a second SIGINT quit a blocked wisp in $((t1 - t0))0 ms"
	expect_clean "$buf: after a second SIGINT"

	# the reader goes away: | head -n 1
	_record_cmd "$WISP" "$flood" "|" head -n 1
	rm -f "$TESTDIR/status" "$TESTDIR/pid"
	{
		"$WISP" "$flood" 2>"$TESTDIR/err" &
		echo $! >"$TESTDIR/pid"
		wait $!
		echo $? >"$TESTDIR/status"
	} | head -n 1 >"$TESTDIR/out" &
	pipeline=$!
	t0=$(now_cs)
	n=$((20 * _naps_per_s))
	while [ ! -s "$TESTDIR/status" ] && [ $n -gt 0 ]; do
		nap
		n=$((n - 1))
	done
	t1=$(now_cs)
	[ -s "$TESTDIR/status" ] || {
		kill -KILL "$(cat "$TESTDIR/pid")" 2>/dev/null
		wait "$pipeline"
		fail "$buf: wisp did not end within 20 s of its reader going away (| head -n 1)"
	}
	wait "$pipeline"
	status=$(cat "$TESTDIR/status")
	rm -f "$TESTDIR/status"
	expect_status 0
	expect_grep '^[0-9]+ '
	grep -v '^Attaching' "$TESTDIR/err" >"$TESTDIR/err.x"
	[ ! -s "$TESTDIR/err.x" ] || fail "$buf: wisp complained when its reader went away"
	echo "$buf: | head -n 1 ended wisp in $((t1 - t0))0 ms"
	expect_clean "$buf: after | head -n 1"

	# a full disk
	run_wisp -o /dev/full "$flood"
	expect_status 1
	expect_grep '^wisp: writing /dev/full: No space left on device$' "$TESTDIR/err"
	expect_clean "$buf: after -o /dev/full"
done
