#!/bin/sh
# profile.sh - profile probes sample every online CPU: profile:hz:N with
# a busy command, profile:ms:N seen on each CPU (the cpu builtin), and
# ply's profile:Nhz.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_cmd dd
WISP_TIMEOUT=60

# dd copying 2 GB of zeros (a second or two) is on a CPU when sampled.
run_wisp -e 'profile:hz:99 { @[comm] = count(); }' \
	-c 'dd if=/dev/zero of=/dev/null bs=1k count=2000000'
expect_status 0
expect_count '@[dd]' 1 1000000

# Online CPUs: every one shows up while each is kept busy (an idle
# virtual CPU may take no samples: seen here, with bpftrace too).
ncpus=$(nproc 2>/dev/null) ||
	ncpus=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
# wisp ends the command with SIGTERM: the busy loops go with it, not to
# disturb the tests after this one
cat >"$TESTDIR/spin.sh" <<EOF
i=0 pids=
while [ \$i -lt $ncpus ]; do
	dd if=/dev/zero of=/dev/null bs=1k count=4000000 2>/dev/null &
	pids="\$pids \$!"
	i=\$((i + 1))
done
trap 'kill \$pids 2>/dev/null; exit 0' TERM
wait
EOF
run_wisp -e 'profile:ms:10 { @[cpu] = count(); } interval:s:1 { exit(); }' \
	-c "sh $TESTDIR/spin.sh"
expect_status 0
keys=$(grep -c '^@\[[0-9][0-9]*\]: [0-9]' "$TESTDIR/out")
if [ "$ncpus" -gt 1 ]; then
	[ "$keys" -gt 1 ] || fail "profile:ms:10 fired on $keys CPU(s) of $ncpus"
else
	[ "$keys" = 1 ] || fail "profile:ms:10 fired on $keys CPUs of 1"
fi
[ "$keys" -le "$ncpus" ] || fail "$keys CPUs seen, $ncpus online"

# ply's spelling; the probe builtin gives the canonical one.
run_wisp -e 'profile:99hz { @[probe] = count(); } interval:s:1 { exit(); }'
expect_status 0
expect_count '@[profile:hz:99]' 1 1000000

run_wisp -e 'profile:hz:0 { }'
expect_status 1
expect_grep "bad profile probe 'profile:hz:0': N must be at least 1" "$TESTDIR/err"
