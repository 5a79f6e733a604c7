#!/bin/sh
# not_root.sh - without privileges wisp says in one line what it needs
# (root, or CAP_BPF and CAP_PERFMON) and exits 1; compiling alone
# (--dump) needs no privileges. Root with capabilities dropped (setpriv,
# or the guests' dropcap) is told which one it lacks; where util-linux's
# setpriv is there, a user with CAP_BPF and CAP_PERFMON (ambient) may
# trace, but is told that tracefs is root's.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root

# A copy of wisp that user nobody (65534) can reach and run.
bindir=$(mktemp -d "${TMPDIR:-/tmp}/wisp-nobody.XXXXXX") || fail "mktemp failed"
trap 'rm -rf "$bindir"' EXIT
chmod 755 "$bindir"
{ cp "$WISP" "$bindir/wisp" && chmod 755 "$bindir/wisp"; } || fail "cannot copy $WISP"

# run_as_nobody ARGS...: like run_wisp, as user and group 65534.
if command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	run_as_nobody() {
		run_wisp_as setpriv --reuid=65534 --regid=65534 --clear-groups "$bindir/wisp" "$@"
	}
elif command -v runuser >/dev/null 2>&1 && runuser -u nobody -- true 2>/dev/null; then
	run_as_nobody() {
		run_wisp_as runuser -u nobody -- "$bindir/wisp" "$@"
	}
elif [ "$(su -s /bin/sh nobody -c 'id -u' 2>/dev/null)" = 65534 ]; then
	# busybox (the QEMU guests): its setpriv cannot change ids, su can;
	# the arguments after "--" and the user go to the shell as $0 and
	# "$@" (without "--", su would take wisp's -c for its own).
	run_as_nobody() {
		run_wisp_as su -s /bin/sh -c 'exec "$0" "$@"' -- nobody "$bindir/wisp" "$@"
	}
else
	skip "needs setpriv (util-linux) or runuser to drop privileges"
fi

# run_wisp_as CMD...: run CMD (which runs wisp) with run_wisp's
# conventions.
run_wisp_as() {
	_record_cmd "$@"
	if [ -n "$_have_timeout" ]; then
		timeout "$WISP_TIMEOUT" "$@" >"$TESTDIR/out" 2>"$TESTDIR/err"
	else
		"$@" >"$TESTDIR/out" 2>"$TESTDIR/err"
	fi
	status=$?
}

# one_clear_line: status 1 and one line on stderr naming what is needed.
one_clear_line() {
	expect_status 1
	[ "$(grep -c . "$TESTDIR/err")" = 1 ] ||
		fail "expected exactly one line on stderr"
	grep -Eiq 'root|CAP_BPF' "$TESTDIR/err" ||
		fail "the error does not say that root or CAP_BPF is needed"
}

prog='tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm, str(args->filename)); }'
run_as_nobody "$prog"
one_clear_line
run_as_nobody -c true "$prog"
one_clear_line
run_as_nobody 'BEGIN { printf("hello\n"); }'
one_clear_line
expect_no_grep '^hello$'

run_as_nobody --dump=asm 'BEGIN { @x = count(); }'
expect_status 0
expect_grep 'exit'

# ---- root with fewer capabilities (setpriv, or dropcap in the guests)
can_drop_caps || exit 0

# drop CAPS EXPECTED: root without CAPS (and CAP_SYS_ADMIN) is told, in
# one line, of exactly the capabilities EXPECTED.
drop() {
	# shellcheck disable=SC2046 # a command prefix
	run_wisp_as $(drop_caps "$1,sys_admin") \
		"$bindir/wisp" 'BEGIN { printf("hello\n"); exit(); }'
	expect_status 1
	[ "$(grep -c . "$TESTDIR/err")" = 1 ] || fail "expected exactly one line on stderr"
	expect_grep "needs $2 \\(or CAP_SYS_ADMIN\\), which this process lacks, though it runs as root" \
		"$TESTDIR/err"
	expect_no_grep '^hello$'
}
drop bpf,perfmon 'CAP_BPF and CAP_PERFMON'
drop bpf CAP_BPF
drop perfmon CAP_PERFMON
# CAP_SYS_ADMIN alone holds both
# shellcheck disable=SC2046
run_wisp_as $(drop_caps bpf,perfmon) "$bindir/wisp" 'BEGIN { printf("hello\n"); exit(); }'
expect_status 0
expect_line hello

# nobody with CAP_BPF and CAP_PERFMON: BEGIN runs; tracepoints need
# tracefs, which is root's (mode 700): said in one line
caps='--inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon'
# shellcheck disable=SC2086 # $caps is two options
if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups $caps true 2>/dev/null; then
	# shellcheck disable=SC2086
	run_wisp_as setpriv --reuid=65534 --regid=65534 --clear-groups $caps \
		"$bindir/wisp" 'BEGIN { printf("hello\n"); exit(); }'
	expect_status 0
	expect_line hello
	if [ "$(stat -c %a "$(tracefs_dir)")" = 700 ]; then
		# shellcheck disable=SC2086
		run_wisp_as setpriv --reuid=65534 --regid=65534 --clear-groups $caps \
			"$bindir/wisp" "$prog"
		expect_status 1
		[ "$(grep -c . "$TESTDIR/err")" = 1 ] || fail "expected exactly one line on stderr"
		expect_grep 'tracefs .* is not readable by this user: run wisp as root' "$TESTDIR/err"
	fi
fi
