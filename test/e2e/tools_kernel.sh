#!/bin/sh
# tools_kernel.sh - the scripts of tools/ that need more of the kernel:
# vfsstat (kprobes: skipped on the host, run in the QEMU guests) and
# biolatency (block I/O: skipped where the test directory is on no block
# device, as in the guests' tmpfs). Each checked on its own workload.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_tools
WISP_TIMEOUT=60
kprobes=yes
[ -d /sys/bus/event_source/devices/kprobe ] || kprobes=
blockdev=yes
if [ "$(stat -f -c %T "$TESTDIR" 2>/dev/null)" = tmpfs ] ||
	! dd if=/dev/zero of="$TESTDIR/probe" bs=4k count=1 oflag=direct 2>/dev/null; then
	blockdev=
fi
[ -n "$kprobes$blockdev" ] ||
	skip "no kprobe PMU (vfsstat) and $TESTDIR on no block device (biolatency)"

# vfsstat: dd's 3000 reads of a byte, counted in the second they run in
if [ -n "$kprobes" ]; then
	printf 'dd if=/dev/zero of=/dev/null bs=1 count=3000 2>/dev/null\nsleep 2\n' >"$TESTDIR/v.sh"
	run_wisp -c "sh $TESTDIR/v.sh" "$tools/vfsstat.wisp"
	expect_status 0
	awk -F': ' '$1 == "@[vfs_read]" && $2 >= 3000 { ok = 1 } END { exit !ok }' \
		"$TESTDIR/out" || fail "vfsstat: no second with @[vfs_read] >= 3000"
else
	echo "vfsstat not run: no kprobe PMU on this kernel"
fi

# biolatency: 64 direct writes of 4 KiB, each a request
if [ -n "$blockdev" ]; then
	need_tracepoint block block_rq_issue
	run_wisp -c "dd if=/dev/zero of=$TESTDIR/bio bs=4k count=64 oflag=direct" \
		"$tools/biolatency.wisp"
	expect_status 0
	expect_grep '^@usecs:'
	awk '/^\[/ { sub(/\|.*/, ""); n += $NF } END { exit !(n >= 64) }' "$TESTDIR/out" ||
		fail "biolatency: fewer than 64 requests in the histogram"
else
	echo "biolatency not run: $TESTDIR is on no block device"
fi
