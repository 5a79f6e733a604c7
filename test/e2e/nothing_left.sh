#!/bin/sh
# nothing_left.sh - once wisp has exited, nothing of it stays in the
# kernel: no pinned object under /sys/fs/bpf, no kprobe/uprobe event with
# "wisp" in its name, and none of the programs and maps it held.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_openat
file=$(hostname_file)
prog='tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }'

# snapshot FILE: pinned BPF objects and wisp's text probe events.
snapshot() {
	{
		ls -R /sys/fs/bpf 2>/dev/null
		if _tfs=$(tracefs_dir); then
			cat "$_tfs/kprobe_events" "$_tfs/uprobe_events" 2>/dev/null | grep wisp
		fi
	} >"$1"
}

snapshot "$TESTDIR/before"
run_wisp -c "cat $file" "$prog"
expect_status 0
expect_count '@[cat]' 1 1000
snapshot "$TESTDIR/after"
if ! cmp -s "$TESTDIR/before" "$TESTDIR/after"; then
	diff -u "$TESTDIR/before" "$TESTDIR/after" >"$TESTDIR/diff" 2>&1
	fail "left behind (/sys/fs/bpf, probe events):
$(cat "$TESTDIR/diff")"
fi

# The BPF objects wisp holds while it runs, by id, from its fdinfo.
start_wisp -c 'sleep 2' "$prog"
wait_attached 10
cat "/proc/$wisp_pid"/fdinfo/* 2>/dev/null |
	awk '$1 == "prog_id:" || $1 == "map_id:" || $1 == "link_id:" { print $1, $2 }' |
	sort -u >"$TESTDIR/ids"
wait_wisp 15
expect_status 0
[ -s "$TESTDIR/ids" ] || skip "saw no BPF object ids in /proc/$wisp_pid/fdinfo (first part passed)"

# still_there KIND ID: is the object alive? bpftool knows; without it,
# look for a process holding it (weaker: attachments hold no fd).
still_there() {
	if command -v bpftool >/dev/null 2>&1; then
		bpftool "$1" show id "$2" </dev/null >/dev/null 2>&1
	else
		grep -qsE "^${1}_id:[[:space:]]+$2\$" /proc/[0-9]*/fdinfo/* 2>/dev/null
	fi
}
# Objects are freed after an RCU grace period: allow a few seconds.
tries=30
while read -r kind id; do
	kind=${kind%_id:}
	while still_there "$kind" "$id"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "BPF $kind id $id is still alive after wisp exited"
		nap
	done
done <"$TESTDIR/ids"
