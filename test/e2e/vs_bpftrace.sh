#!/bin/sh
# vs_bpftrace.sh - one-liners of bpftrace's tutorial and ply's README that
# use probes this kernel has, run unchanged under wisp and under bpftrace
# with the same deterministic workload: the outputs must be identical.
# Skipped where bpftrace is not installed (the QEMU guests).
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_cmd bpftrace dd
need_tracepoint syscalls sys_exit_read

dd=$(command -v dd)
n=0
# compare PROGRAM [CMD]: run both, drop bpftrace's "Attaching" line and
# blank lines (bpftrace prints extra ones before the maps), compare.
compare() {
	n=$((n + 1))
	cmd=${2:-$dd if=/dev/zero of=/dev/null bs=1k count=500 status=none}
	run_wisp -c "$cmd" "$1"
	[ "$status" = 0 ] || fail "wisp failed on: $1"
	grep -v '^$' "$TESTDIR/out" >"$TESTDIR/wisp.$n"
	# bpftrace wants an absolute path for -c
	timeout 120 bpftrace -c "$cmd" -e "$1" >"$TESTDIR/bt.raw" 2>"$TESTDIR/bt.err" ||
		fail "bpftrace failed on: $1
$(cat "$TESTDIR/bt.err")"
	grep -v '^$' "$TESTDIR/bt.raw" | grep -v '^Attaching [0-9]* probe' >"$TESTDIR/bt.$n"
	if ! cmp -s "$TESTDIR/wisp.$n" "$TESTDIR/bt.$n"; then
		diff -u "$TESTDIR/bt.$n" "$TESTDIR/wisp.$n" >"$TESTDIR/diff.$n"
		fail "wisp and bpftrace differ on: $1
--- bpftrace  +++ wisp
$(cat "$TESTDIR/diff.$n")"
	fi
}

# tutorial: the size of reads, as a histogram
compare 'tracepoint:syscalls:sys_exit_read /pid == cpid && comm == "dd"/ { @bytes = hist(args->ret); }'
# the same in ply's spelling (wisp) is bpftrace's quantize-free form: ply
# programs cannot run under bpftrace, so ply's are compared with their
# bpftrace translation
run_wisp -c "$dd if=/dev/zero of=/dev/null bs=1k count=500 status=none" \
	'tracepoint:syscalls/sys_exit_read if (execname == "dd") { @bytes = quantize(data->ret); }'
grep -v '^$' "$TESTDIR/out" >"$TESTDIR/ply.out"
cmp -s "$TESTDIR/ply.out" "$TESTDIR/bt.1" || fail "ply's spelling differs:
$(diff -u "$TESTDIR/bt.1" "$TESTDIR/ply.out")"
# counts, sums and the other aggregations, keyed by fd
compare 'tracepoint:syscalls:sys_enter_write /pid == cpid && comm == "dd"/ { @[args->fd] = count(); @s[args->fd] = sum(args->count); @a = avg(args->count); @lo = min(args->count); @hi = max(args->count); @st = stats(args->count); }'
# linear histograms and string keys
compare 'tracepoint:syscalls:sys_exit_read /pid == cpid && comm == "dd"/ { @l = lhist(args->ret, 0, 2048, 256); @[comm, "r"] = count(); }'
# printf with widths, in BEGIN
compare 'BEGIN { printf("%5d|%-5d|%x|%08x|%s|%-6s|%u\n", 42, -42, 255, 255, "ab", "cd", 7); exit(); }' "$dd if=/dev/null of=/dev/null status=none"
# the exit code and END
compare 'tracepoint:syscalls:sys_enter_write /pid == cpid && comm == "dd"/ { @w++; } END { printf("writes %d\n", @w); }'
# tuples as map values and locals, their elements, print() of a value
compare 'tracepoint:syscalls:sys_enter_write /pid == cpid && comm == "dd"/ { @t[args->fd] = (args->count, comm, (1, "x")); $t = (args->fd, comm); @fd = $t.0; } END { print((7, "end")); print(@fd); }'
# join() of the arguments of the -c command's exec
# opensnoop's way: a user pointer saved at entry, read at exit
compare 'tracepoint:syscalls:sys_enter_openat /pid == cpid && comm == "dd"/ { @f[tid] = args->filename; } tracepoint:syscalls:sys_exit_openat /@f[tid]/ { printf("%d %s\n", args->ret >= 0, str(@f[tid])); delete(@f[tid]); }'

compare 'tracepoint:syscalls:sys_enter_execve /pid == cpid/ { join(args->argv); join(args->argv, ","); }' "$dd if=/dev/null of=/dev/null status=none"
