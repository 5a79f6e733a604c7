# shellcheck shell=sh
# lib.sh - helpers for wisp's end-to-end tests; each test/e2e/*.sh sources it.
#
# POSIX sh only: the same tests run under dash on the host and under
# busybox sh inside the QEMU guests (test/qemu). A test is run as
#     WISP=/path/to/wisp TESTDIR=/fresh/dir sh test/e2e/NAME.sh
# and answers with its exit status: 0 pass, 77 skip (the reason is the
# last line of its stdout), anything else fail (its output says why).
#
#   need_root, need_cmd CMD..., need_tracepoint CAT EVENT, need_tools   skip unless met
#   run_wisp ARGS...      run "$WISP" ARGS under a timeout ($WISP_TIMEOUT s);
#                         stdout -> $TESTDIR/out, stderr -> $TESTDIR/err,
#                         exit status -> $status
#   start_wisp ARGS...    the same in the background: $wisp_pid
#   wait_attached [SECS]  until the background wisp has attached a probe
#   wait_wisp [SECS]      wait for it (SIGKILL after SECS s): $status
#   drop_caps CAPS        a command prefix that drops capabilities (can_drop_caps)
#   expect_status N, expect_grep ERE [FILE], expect_no_grep ERE [FILE],
#   expect_line TEXT [FILE], expect_count NAME MIN MAX, map_value NAME
#   fail MSG, skip MSG

: "${WISP:?WISP must name the wisp binary to test}"
# An absolute path: tests may change directory, and copy the binary.
case $WISP in
/*) ;;
*/*) WISP=$(pwd)/$WISP ;;
*)
	_w=$WISP
	WISP=$(command -v "$_w") || {
		echo "WISP=$_w: not found"
		exit 1
	}
	;;
esac
if [ -z "${TESTDIR:-}" ]; then
	# Run by hand: make our own scratch directory.
	TESTDIR=$(mktemp -d "${TMPDIR:-/tmp}/wisp-e2e.XXXXXX") || exit 1
fi
case $TESTDIR in
*[[:space:]]*)
	# -c splits its command on whitespace, and tests pass paths in it.
	echo "TESTDIR must not contain whitespace: $TESTDIR"
	exit 77
	;;
esac
WISP_TIMEOUT=${WISP_TIMEOUT:-30}
LC_ALL=C
export LC_ALL
status=
wisp_pid=

# skip MSG: the test cannot run here; MSG is the reason run.sh shows.
skip() {
	printf '%s\n' "$*"
	exit 77
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

need_cmd() {
	for _c; do
		command -v "$_c" >/dev/null 2>&1 || skip "needs $_c"
	done
}

# The tracefs directory (empty when tracefs is not mounted: wisp mounts it
# itself, so tests do not skip for that).
tracefs_dir() {
	for _d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		if [ -d "$_d/events" ]; then
			echo "$_d"
			return 0
		fi
	done
	return 1
}

# need_tracepoint CAT EVENT: root, and the kernel has that tracepoint
# (kernels without CONFIG_FTRACE_SYSCALLS lack syscalls:*).
need_tracepoint() {
	need_root
	_tfs=$(tracefs_dir) || return 0
	[ -d "$_tfs/events/$1/$2" ] || skip "no tracepoint $1:$2 on this kernel"
}

# need_tools: set $tools to the directory of tools/*.wisp: the source
# tree's, or the copy next to the tests in the QEMU guests.
need_tools() {
	tools=$here/../../tools
	[ -d "$tools" ] || tools=$here/tools
	[ -f "$tools/execsnoop.wisp" ] || skip "no tools/ next to the tests"
}

# quote ARG: ARG as a shell word, for messages.
quote() {
	case $1 in
	'' | *[!A-Za-z0-9_./:=,+-]*)
		printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
		;;
	*) printf '%s' "$1" ;;
	esac
}

# _record_cmd CMD ARGS...: remember the command line for fail's report.
_record_cmd() {
	{
		printf '%s' "$(quote "$1")"
		shift
		for _a; do
			printf ' %s' "$(quote "$_a")"
		done
		echo
	} >"$TESTDIR/cmd"
}

_have_timeout=
if command -v timeout >/dev/null 2>&1; then
	_have_timeout=yes
fi

run_wisp() {
	_record_cmd "$WISP" "$@"
	# stdout goes through a pipe: the -c command writes to the same stdout,
	# and writers sharing a regular file can overwrite each other (cat's
	# copy_file_range does not take the file position lock); pipe writes
	# of a line are atomic.
	if [ -n "$_have_timeout" ]; then
		{ timeout "$WISP_TIMEOUT" "$WISP" "$@" 2>"$TESTDIR/err"
		  echo $? >"$TESTDIR/status"; } | cat >"$TESTDIR/out"
	else
		{ "$WISP" "$@" 2>"$TESTDIR/err"
		  echo $? >"$TESTDIR/status"; } | cat >"$TESTDIR/out"
	fi
	status=$(cat "$TESTDIR/status")
}

# start_wisp ARGS...: run wisp in the background (no timeout: the caller
# signals it and bounds the wait with wait_wisp). Note that sh starts a
# background command with SIGINT ignored; wisp must install its handler
# regardless, as tracers do.
start_wisp() {
	_record_cmd "$WISP" "$@"
	"$WISP" "$@" >"$TESTDIR/out" 2>"$TESTDIR/err" &
	wisp_pid=$!
	status=
}

# A short sleep: fractions of a second where sleep takes them.
if sleep 0.1 2>/dev/null; then
	_nap=0.1
	_naps_per_s=10
else
	_nap=1
	_naps_per_s=1
fi
nap() {
	sleep "$_nap"
}

# running PID: is PID alive (and not a zombie waiting for wait)?
running() {
	{ read -r _stat <"/proc/$1/stat"; } 2>/dev/null || return 1
	_stat=${_stat##*) }
	[ "${_stat%% *}" != Z ]
}

# wait_attached [SECS]: wait until the background wisp holds a perf event
# or BPF link file descriptor (a probe is being attached), then a little
# more. Gives up silently after SECS (default 10) seconds or when wisp has
# exited: the checks that follow will tell what went wrong.
wait_attached() {
	_n=$((${1:-10} * _naps_per_s))
	while [ "$_n" -gt 0 ]; do
		running "$wisp_pid" || return 0
		# shellcheck disable=SC2010 # fd links, not file names
		if ls -l "/proc/$wisp_pid/fd" 2>/dev/null |
			grep -Eq 'perf_event|bpf_link|bpf-link'; then
			sleep 1
			return 0
		fi
		nap
		_n=$((_n - 1))
	done
}

# wait_wisp [SECS]: wait for the background wisp to exit by itself (within
# SECS, default 10) and set $status; after that, kill it and fail.
wait_wisp() {
	(
		sleep "${1:-10}" &
		_sleep=$!
		trap 'kill "$_sleep" 2>/dev/null; exit 0' TERM
		wait "$_sleep"
		kill -KILL "$wisp_pid" 2>/dev/null && echo "killed" >"$TESTDIR/watchdog"
	) &
	_watchdog=$!
	wait "$wisp_pid"
	status=$?
	kill "$_watchdog" 2>/dev/null
	wait "$_watchdog" 2>/dev/null
	if [ -f "$TESTDIR/watchdog" ]; then
		rm -f "$TESTDIR/watchdog"
		fail "wisp (pid $wisp_pid) did not exit within ${1:-10} s; killed it"
	fi
}

# _show FILE TITLE: print FILE (at most 60 lines), indented.
_show() {
	if [ -s "$1" ]; then
		echo "$2:"
		sed -n '1,60s/^/  | /p' "$1"
		_lines=$(wc -l <"$1")
		[ "$_lines" -le 60 ] || echo "  ($_lines lines, first 60 shown)"
	else
		echo "$2: (empty)"
	fi
}

# fail MSG: report the last wisp run and fail the test.
fail() {
	printf 'FAIL: %s\n' "$*"
	if [ -f "$TESTDIR/cmd" ]; then
		printf 'command: %s\n' "$(cat "$TESTDIR/cmd")"
		echo "exit status: ${status:-(none)}"
		_show "$TESTDIR/out" stdout
		_show "$TESTDIR/err" stderr
	fi
	exit 1
}

# expect_status N: the last run exited with N (124 or more: say why).
expect_status() {
	[ "$status" = "$1" ] && return 0
	if [ "$status" = 124 ] && [ -n "$_have_timeout" ]; then
		fail "timed out after $WISP_TIMEOUT s (expected exit status $1)"
	elif [ "$status" -gt 128 ] 2>/dev/null; then
		fail "killed by signal $((status - 128)) (expected exit status $1)"
	fi
	fail "exit status $status, expected $1"
}

# expect_grep ERE [FILE]: some line of FILE ($TESTDIR/out) matches ERE.
expect_grep() {
	grep -Eq -- "$1" "${2:-$TESTDIR/out}" ||
		fail "no line of $(basename "${2:-$TESTDIR/out}") matches /$1/"
}

expect_no_grep() {
	if grep -Eq -- "$1" "${2:-$TESTDIR/out}"; then
		fail "$(basename "${2:-$TESTDIR/out}") has a line matching /$1/:" \
			"$(grep -E -- "$1" "${2:-$TESTDIR/out}" | head -n 1)"
	fi
}

# expect_line TEXT [FILE]: FILE has a line that is exactly TEXT.
expect_line() {
	grep -Fxq -- "$1" "${2:-$TESTDIR/out}" ||
		fail "no line of $(basename "${2:-$TESTDIR/out}") is exactly '$1'"
}

is_uint() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	esac
	return 0
}

# map_value NAME: the value printed for a map entry "NAME: value" in
# $TESTDIR/out, e.g. map_value '@[dd, 1]' or map_value @total.
map_value() {
	awk -v k="$1: " 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' \
		"$TESTDIR/out"
}

# expect_count NAME MIN MAX: the map entry NAME holds an integer in [MIN, MAX].
expect_count() {
	_v=$(map_value "$1")
	[ -n "$_v" ] || fail "no '$1: N' line"
	is_uint "$_v" || fail "'$1' holds '$_v', not a count"
	{ [ "$_v" -ge "$2" ] && [ "$_v" -le "$3" ]; } ||
		fail "'$1' holds $_v, expected $2..$3"
}

# drop_caps CAP[,CAP...]: the words of a command prefix that runs a
# command without the capabilities CAP (names without CAP_, lower case:
# sys_resource, bpf, perfmon, sys_admin), with util-linux's setpriv or the
# guests' dropcap (test/qemu/dropcap.c), e.g.
#     run_wisp_as $(drop_caps bpf) "$WISP" ...
# can_drop_caps: is one of them there?
_setpriv_bset() {
	setpriv --inh-caps=-all --bounding-set=-sys_resource true 2>/dev/null
}
can_drop_caps() {
	_setpriv_bset || dropcap sys_resource true 2>/dev/null
}
drop_caps() {
	if _setpriv_bset; then
		echo "setpriv --inh-caps=-all --bounding-set=-$(echo "$1" | sed 's/,/,-/g')"
	else
		echo "dropcap $1"
	fi
}

# A file wisp can read: /etc/hostname, or a stand-in where there is none
# (the QEMU guests' initramfs).
hostname_file() {
	if [ -r /etc/hostname ]; then
		echo /etc/hostname
	else
		echo wisp-test >"$TESTDIR/hostname"
		printf '%s\n' "$TESTDIR/hostname"
	fi
}
