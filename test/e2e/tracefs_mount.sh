#!/bin/sh
# tracefs_mount.sh - with neither tracefs nor debugfs mounted, wisp
# mounts tracefs on /sys/kernel/tracing itself and traces; where it may
# not mount (no CAP_SYS_ADMIN), it says so in one line with the command
# to run. Unmounts them: only in the QEMU guests (never on the host),
# which it leaves as it found them.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
[ -f /etc/wisp-qemu.conf ] || skip "unmounts tracefs and debugfs: only in the QEMU guests"
need_tracepoint sched sched_switch
need_cmd mount umount

mounted() { # DIR FSTYPE
	awk -v d="$1" -v t="$2" '$2 == d && $3 == t { f = 1 } END { exit !f }' /proc/mounts
}
had_debugfs=no
mounted /sys/kernel/debug debugfs && had_debugfs=yes
restore() {
	mounted /sys/kernel/tracing tracefs ||
		mount -t tracefs nodev /sys/kernel/tracing
	if [ $had_debugfs = yes ] && ! mounted /sys/kernel/debug debugfs; then
		mount -t debugfs nodev /sys/kernel/debug
	fi
}
trap restore EXIT

# debugfs first: its tracing/ would mount tracefs again when looked at
while mounted /sys/kernel/debug/tracing tracefs; do umount /sys/kernel/debug/tracing || break; done
while mounted /sys/kernel/tracing tracefs; do umount /sys/kernel/tracing || break; done
while mounted /sys/kernel/debug debugfs; do umount /sys/kernel/debug || break; done
if mounted /sys/kernel/tracing tracefs || mounted /sys/kernel/debug debugfs; then
	fail "cannot unmount tracefs or debugfs: $(grep -E 'tracefs|debugfs' /proc/mounts)"
fi

prog='tracepoint:sched:sched_switch { @ = count(); } interval:ms:200 { exit(); }'

# without CAP_SYS_ADMIN (CAP_BPF and CAP_PERFMON kept): no mount, one line
if can_drop_caps; then
	# shellcheck disable=SC2046 # a command prefix
	run_wisp_as() {
		_record_cmd "$@"
		"$@" >"$TESTDIR/out" 2>"$TESTDIR/err"
		status=$?
	}
	# shellcheck disable=SC2046
	run_wisp_as $(drop_caps sys_admin) "$WISP" "$prog"
	expect_status 1
	[ "$(grep -c . "$TESTDIR/err")" = 1 ] || fail "expected exactly one line on stderr"
	expect_grep 'tracefs is not mounted and mounting it failed \(Operation not permitted\).*mount -t tracefs nodev /sys/kernel/tracing' \
		"$TESTDIR/err"
	! mounted /sys/kernel/tracing tracefs || fail "tracefs is mounted"
fi

# root: mounted, and traced
run_wisp "$prog"
expect_status 0
expect_count @ 1 1000000
mounted /sys/kernel/tracing tracefs || fail "wisp did not mount tracefs on /sys/kernel/tracing"
