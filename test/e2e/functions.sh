#!/bin/sh
# functions.sh - strncmp, bswap, casts, strftime() values of several
# formats in one local or map, and signal(), which needs --unsafe.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_clock_nanosleep
need_cmd sleep

run_wisp 'BEGIN {
	printf("%d %d %d\n", strncmp("hello", "help", 3), strncmp("hello", "help", 4), strncmp(comm, "wisp", 4));
	printf("%x %x %x\n", bswap((uint16)0x1234), bswap((uint32)1), bswap(0x0102030405060708));
	printf("%d %d %u\n", (int8)0x1ff, (uint8)-1, (uint32)-1);
	exit();
}'
expect_status 0
expect_line '0 1 0'
expect_line '3412 1000000 807060504030201'
expect_line '-1 255 4294967295'

# each strftime() value prints with the format of the call that made it,
# as in bpftrace, wherever it is kept: a local, a map, map keys, tuples
run_wisp 'BEGIN {
	$t = strftime("first", nsecs);
	print($t);
	$t = strftime("second", nsecs);
	printf("%s\n", $t);
	@t = strftime("first", nsecs);
	@t = strftime("third", nsecs);
	@u[1] = strftime("one", nsecs);
	@u[2] = strftime("two", nsecs);
	@tu = (1, strftime("a", nsecs));
	@tu = (2, strftime("b", nsecs));
	exit();
}'
expect_status 0
expect_line 'first'
expect_line 'second'
expect_line '@t: third'
expect_line '@u[1]: one'
expect_line '@u[2]: two'
expect_line '@tu: (2, b)'

# signal() without --unsafe is refused before anything runs
run_wisp 'BEGIN { signal("KILL"); }'
expect_status 1
expect_grep 'needs --unsafe' "$TESTDIR/err"

# with it, the -c command's sleep is ended by SIGTERM from the kernel
start=$(date +%s)
run_wisp --unsafe -c 'sleep 30' \
	'tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ { signal(SIGTERM); }'
expect_status 0
[ $(($(date +%s) - start)) -lt 20 ] || fail "the sleep was not ended by signal()"

# str() buffers are WISP_STRLEN bytes, the NUL included; str(p, n) reads n
# characters at most
file=$(hostname_file)
WISP_STRLEN=5
export WISP_STRLEN
run_wisp -c "cat $file" \
	'tracepoint:syscalls:sys_enter_openat /pid == cpid && comm == "cat"/ { printf("%s|%s\n", str(args->filename), str(args->filename, 3)); }'
unset WISP_STRLEN
expect_status 0
prefix=$(printf '%s' "$file" | cut -c1-4)
prefix3=$(printf '%s' "$file" | cut -c1-3)
expect_line "$prefix|$prefix3"
