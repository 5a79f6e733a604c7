#!/bin/sh
# signal.sh - SIGINT and SIGTERM stop a running wisp (no -c) cleanly: the
# maps are printed, the exit status is 0, and the process is gone.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint raw_syscalls sys_enter

for sig in INT TERM; do
	start_wisp 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'
	wait_attached 10
	running "$wisp_pid" || {
		wait "$wisp_pid"
		status=$?
		fail "wisp exited before SIG$sig was sent"
	}
	kill -s "$sig" "$wisp_pid"
	wait_wisp 10
	[ "$status" = 0 ] ||
		fail "exit status $status after SIG$sig, expected 0 (a background job of sh starts with SIGINT ignored: wisp must install its handler anyway)"
	# wisp's own polling makes syscalls, so the map cannot be empty.
	expect_grep '^@\[.+\]: [0-9]+$'
	if kill -0 "$wisp_pid" 2>/dev/null; then
		fail "wisp (pid $wisp_pid) is still there after SIG$sig"
	fi
done
