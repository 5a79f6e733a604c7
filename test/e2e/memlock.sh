#!/bin/sh
# memlock.sh - kernels before 5.11 charge BPF maps and programs to
# RLIMIT_MEMLOCK: wisp lifts the limit itself (to infinity with
# CAP_SYS_RESOURCE, else to the hard limit), and where it cannot, says so
# in one line that names the limit. Kernels from 5.11 on ignore the limit:
# wisp runs whatever it is. The 1 MiB ring buffer of printf alone is far
# over the 64 KiB set here.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
prog='BEGIN { @[1] = count(); printf("hello\n"); exit(); }'

# before 5.11?
release=$(uname -r)
major=${release%%.*}
minor=${release#*.}
minor=${minor%%[!0-9]*}
charges=no
if [ "$major" -lt 5 ] || { [ "$major" = 5 ] && [ "$minor" -lt 11 ]; }; then
	charges=yes
fi
echo "kernel $release: BPF charged to RLIMIT_MEMLOCK: $charges"

# run_limited LIMITS PREFIX...: run_wisp "$prog" in a shell after the
# ulimit commands LIMITS, through the command prefix PREFIX
run_limited() {
	_limits=$1
	shift
	_record_cmd sh -c "$_limits; $* wisp '$prog'"
	(eval "$_limits" && exec "$@" "$WISP" "$prog") >"$TESTDIR/out" 2>"$TESTDIR/err"
	status=$?
}

(ulimit -l 64 && [ "$(ulimit -H -l)" = 64 ] && [ "$(ulimit -S -l)" = 64 ]) ||
	skip "cannot set the locked-memory limit with ulimit -l"

# root: lifted, soft and hard
run_limited 'ulimit -l 64' env
expect_status 0
expect_line hello

can_drop_caps || { echo "no setpriv or dropcap: the rest is not tested"; exit 0; }

# without CAP_SYS_RESOURCE, a soft limit only: up to the hard limit
# (lifted first where it is low: kernels before 5.16 start everyone at
# 64 KiB; root without CAP_SYS_RESOURCE keeps one of 4 MiB or more)
# shellcheck disable=SC2046 # a command prefix
run_limited '{ ulimit -H -l unlimited 2>/dev/null || [ "$(ulimit -H -l)" -ge 4096 ]; } && ulimit -S -l 64' \
	$(drop_caps sys_resource)
expect_status 0
expect_line hello

# without CAP_SYS_RESOURCE, soft and hard: said in one line, before 5.11
# shellcheck disable=SC2046
run_limited 'ulimit -l 64' $(drop_caps sys_resource)
if [ $charges = yes ]; then
	expect_status 1
	[ "$(grep -c . "$TESTDIR/err")" = 1 ] || fail "expected exactly one line on stderr"
	expect_grep 'RLIMIT_MEMLOCK, 64 KiB.*CAP_SYS_RESOURCE.*ulimit -l unlimited' "$TESTDIR/err"
	expect_no_grep hello
else
	expect_status 0
	expect_line hello
fi
