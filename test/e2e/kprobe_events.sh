#!/bin/sh
# kprobe_events.sh - the kprobe_events fallback (forced with
# WISP_KPROBE_EVENTS=1): events under the group wisp_PID, removed at exit;
# after a kill -9 the group stays, and the next wisp removes it since its
# process is gone. Then the PMU path after kill -9: nothing stays.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_cmd dd
tfs=$(tracefs_dir) || skip "no tracefs"
[ -w "$tfs/kprobe_events" ] || skip "no kprobe_events on this kernel"
dd='dd if=/dev/zero of=/dev/null bs=1k count=200'

WISP_KPROBE_EVENTS=1
export WISP_KPROBE_EVENTS
run_wisp -c "$dd" 'kprobe:vfs_read /comm == "dd"/ { @n = count(); } kretprobe:vfs_read /comm == "dd"/ { @r = count(); }'
expect_status 0
expect_count '@n' 200 260
expect_count '@r' 200 260
if grep -q wisp "$tfs/kprobe_events"; then
	fail "left in kprobe_events: $(grep wisp "$tfs/kprobe_events")"
fi

start_wisp 'kprobe:vfs_read { @ = count(); } kretprobe:vfs_read { @r = count(); } kprobe:vfs_write { @w = count(); }'
wait_attached 10
grep -q "wisp_$wisp_pid/" "$tfs/kprobe_events" ||
	fail "no event of group wisp_$wisp_pid in kprobe_events"
kill -KILL "$wisp_pid"
wait "$wisp_pid"
dead=$wisp_pid
# The killed wisp's group is stale: the next wisp removes it.
run_wisp --dry-run 'kprobe:vfs_read { @ = count(); }'
expect_status 0
if grep -q "wisp_$dead/" "$tfs/kprobe_events"; then
	fail "stale group wisp_$dead not removed: $(grep wisp "$tfs/kprobe_events")"
fi
unset WISP_KPROBE_EVENTS

[ -d /sys/bus/event_source/devices/kprobe ] || exit 0
# The PMU path: the kernel frees the kprobe with the killed wisp's fds.
list=/sys/kernel/debug/kprobes/list
[ -r "$list" ] && grep -c . "$list" >"$TESTDIR/before"
start_wisp 'kprobe:vfs_read { @ = count(); }'
wait_attached 10
kill -KILL "$wisp_pid"
wait "$wisp_pid"
n=50
while running "$wisp_pid" || [ -d "/proc/$wisp_pid" ]; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || fail "wisp $wisp_pid still there after kill -9"
	nap
done
if grep -q wisp "$tfs/kprobe_events"; then
	fail "left in kprobe_events: $(grep wisp "$tfs/kprobe_events")"
fi
if [ -r "$list" ]; then
	n=50
	while [ "$(grep -c . "$list")" != "$(cat "$TESTDIR/before")" ]; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || fail "kprobes left after kill -9: $(cat "$list")"
		nap
	done
fi
