#!/bin/sh
# target_exit.sh - -p PID with a uprobe: when the traced process exits
# (here a cat whose fifo we close; it stays a zombie, unreaped, until
# wisp is done), tracing ends by itself: END runs, the maps are printed,
# the exit status is 0, and no uprobe, perf event or BPF object of wisp
# stays in the kernel.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_cmd cat mkfifo od
[ -r /sys/bus/event_source/devices/uprobe/type ] || skip "no uprobe PMU"

# the file cat runs from (busybox sh's `command -v` may name an applet)
cat_bin=
for _d in $(echo "$PATH" | tr ':' ' '); do
	if [ -x "$_d/cat" ]; then
		cat_bin=$(readlink -f "$_d/cat")
		break
	fi
done
[ -n "$cat_bin" ] || skip "no cat in \$PATH"
if [ -r /etc/ld.so.cache ] && ldd "$cat_bin" 2>/dev/null | grep -q 'libc\.so\.6'; then
	# each read() of cat, through libc
	probe='uprobe:libc:read'
	fires=yes
else
	# a static cat (busybox in the QEMU guests), stripped: its ELF entry
	# point, which a running cat does not pass again
	entry=$(od -An -tx8 -j24 -N8 "$cat_bin" | tr -d ' ' | sed 's/^0*//')
	[ -n "$entry" ] || skip "cannot read the entry point of $cat_bin"
	probe="uprobe:$cat_bin:0x$entry"
	fires=no
fi

count_objects() { # BPF programs, maps and links, for the last check
	"$WISP" --info | awk '/bpf (programs|maps|links) loaded/ { n += $NF } END { print n }'
}
before=$(count_objects)

mkfifo "$TESTDIR/fifo" || fail "mkfifo"
cat "$TESTDIR/fifo" >/dev/null &
target=$!
# cat waits in open() for a writer; the writer opens after wisp started,
# so that wisp does not inherit it (cat would never see the end)
start_wisp -p "$target" "$probe { @reads = count(); } END { printf(\"end\\n\"); }"
wait_attached 10
exec 3>"$TESTDIR/fifo"
echo one >&3
nap
echo two >&3
# the end of cat, which wisp must notice by itself
exec 3>&-
wait_wisp 10
expect_status 0
expect_line end
if [ $fires = yes ]; then
	expect_count '@reads' 2 100
else
	expect_grep '^@reads: 0$'
fi
wait "$target" 2>/dev/null

# nothing left: uprobe events, perf events of a wisp, BPF objects
tfs=$(tracefs_dir) && if grep -q wisp "$tfs/uprobe_events" 2>/dev/null; then
	fail "left in uprobe_events: $(grep wisp "$tfs/uprobe_events")"
fi
# at most as many as before (other processes may free theirs meanwhile)
n=50
while [ "$(count_objects)" -gt "$before" ]; do
	n=$((n - 1))
	[ $n -gt 0 ] || fail "BPF programs, maps and links: $before before, $(count_objects) after"
	nap
done
