#!/bin/sh
# map_full.sh - every loss is said: a hash map that is full drops new
# keys, and wisp counts the dropped updates in the program and says so at
# exit, per map, and the stacks its stack map could not keep, in text (stderr) and in -f json; the map size is set by
# --map-keys, WISP_MAP_KEYS_MAX or bpftrace's BPFTRACE_MAP_KEYS_MAX, with
# a bad value refused. A str() that filled its buffer is said too.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint raw_syscalls sys_enter

# 2,000 one-byte reads and writes: over 4,000 syscalls of the command
work='dd if=/dev/zero of=/dev/null bs=1 count=2000'
prog='tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @[nsecs] = count(); @v[nsecs] = 1; @t[tid] = count(); }'

# dropped MAP: the N of "wisp: MAP: N updates dropped, map full (M entries)"
dropped() {
	sed -n "s/^wisp: $1: \([0-9]*\) updates\{0,1\} dropped, map full (\([0-9]*\) entries)\$/\1 \2/p" \
		"$TESTDIR/err"
}
check_full() { # LIMIT: the maps @ and @v kept LIMIT keys, said the rest
	expect_status 0
	for m in @ @v; do
		set -- "$1" $(dropped "$m")
		[ -n "${2:-}" ] || fail "no 'wisp: $m: N updates dropped, map full ($1 entries)' line"
		[ "$3" = "$1" ] || fail "$m: said $3 entries, expected $1"
		# every update beyond the limit was dropped, and counted
		[ "$2" -ge $((4000 - $1)) ] || fail "$m: $2 updates dropped, expected at least $((4000 - $1))"
		echo "$m: $2 updates dropped at $1 entries"
	done
	n=$(grep -c '^@\[' "$TESTDIR/out")
	[ "$n" = "$1" ] || fail "@ printed $n keys, expected $1"
	# one thread: @t never filled
	expect_no_grep '^wisp: @t:' "$TESTDIR/err"
}

run_wisp --map-keys=10 -c "$work" "$prog"
check_full 10

BPFTRACE_MAP_KEYS_MAX=20 run_wisp -c "$work" "$prog"
check_full 20

WISP_MAP_KEYS_MAX=30 run_wisp -c "$work" "$prog"
check_full 30

# the default, 4096, fills too under more events
run_wisp -c 'dd if=/dev/zero of=/dev/null bs=1 count=4000' \
	'tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @[nsecs] = count(); }'
expect_status 0
set -- $(dropped @)
[ "${2:-}" = 4096 ] || fail "no 'wisp: @: N updates dropped, map full (4096 entries)' line"
[ "$1" -ge 3000 ] || fail "@: $1 updates dropped, expected over 3000"

# in the stream of -f json, where its readers look
run_wisp -f json --map-keys=10 -c "$work" "$prog"
expect_status 0
expect_grep '^\{"type": "map_full", "data": \{"map": "@v", "dropped": [0-9]+, "max_entries": 10\}\}$'
expect_no_grep 'updates dropped' "$TESTDIR/err"

# a map that never fills says nothing
run_wisp -c "$work" "$prog"
expect_status 0
expect_no_grep '^wisp: @t:' "$TESTDIR/err"

# bad limits
for v in 0 -1 x 99999999999; do
	run_wisp --map-keys="$v" 'BEGIN { exit(); }'
	expect_status 1
	expect_line "wisp: --map-keys must be a number from 1 to 16777216, not '$v'" "$TESTDIR/err"
done
WISP_MAP_KEYS_MAX=ten run_wisp 'BEGIN { exit(); }'
expect_status 1
expect_line "wisp: WISP_MAP_KEYS_MAX must be a number from 1 to 16777216, not 'ten'" "$TESTDIR/err"

# stacks the stack map cannot keep (4 per key: 4 entries here) print
# empty, and are counted
run_wisp --map-keys=1 -c "$work" \
	'tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @[ustack, nsecs] = count(); }'
expect_status 0
expect_grep '^wisp: [1-9][0-9]* stacks? not recorded \(the stack map was full, or two stacks collided\): printed empty$' "$TESTDIR/err"
expect_grep '^wisp: @: [1-9][0-9]* updates dropped, map full \(1 entry\)$' "$TESTDIR/err"

# str() at the default 64 bytes: a longer path fills it and may be cut
need_tracepoint syscalls sys_enter_openat
dir=$TESTDIR/a_directory_whose_name_is_long_enough_to_fill_the_buffer_of_str
mkdir -p "$dir" && : >"$dir/f"
run_wisp -c "cat $dir/f" \
	'tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @[str(args->filename)] = count(); }'
expect_status 0
expect_grep '^wisp: [1-9][0-9]* strings? filled the 64-byte buffer of str\(\) and may be cut' "$TESTDIR/err"
# a bigger buffer holds it whole, and str(p, n) chose its length
WISP_STRLEN=200 run_wisp -c "cat $dir/f" \
	'tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @[str(args->filename)] = count(); @n[str(args->filename, 8)] = count(); }'
expect_status 0
expect_grep "^@\\[$dir/f\\]: 1\$"
expect_no_grep 'may be cut' "$TESTDIR/err"
