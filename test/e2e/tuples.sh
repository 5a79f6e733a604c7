#!/bin/sh
# tuples.sh - tuples as values of locals and maps, as map keys, nested,
# their elements with .N, in ?: and print(), in text and in JSON; strings
# of different lengths in one tuple map.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_tracepoint syscalls sys_enter_openat
need_cmd cat

run_wisp 'BEGIN {
	$t = (1, "abc", (-2, "n"));
	printf("%d %s %d %s\n", $t.0, $t.1, $t.2.0, $t.2.1);
	@v = $t;
	@v = (3, "a longer string than abc", (4, "m"));
	$c = $t.0 > 0 ? (5, "yes") : (6, "no");
	print($c);
	print($t.2);
	@k[(1, "a"), 2] = count();
	@k[(1, "a"), 2] = count();
	@k[(3, "bb"), 4] = count();
	exit();
}'
expect_status 0
expect_line '1 abc -2 n'
expect_line '(5, yes)'
expect_line '(-2, n)'
expect_line '@v: (3, a longer string than abc, (4, m))'
expect_line '@k[(1, a), 2]: 2'
expect_line '@k[(3, bb), 4]: 1'

run_wisp -f json 'BEGIN { @v = (1, "abc", (-2, "n")); print((7, "x")); @k[(1, "a")] = 5; exit(); }'
expect_status 0
expect_line '{"type": "value", "data": [7,"x"]}'
expect_line '{"type": "map", "data": {"@v": [1,"abc",[-2,"n"]]}}'
expect_line '{"type": "map", "data": {"@k": {"(1, a)": 5}}}'

# from a live probe: the pid and the file cat opens, keyed by comm
file=$(hostname_file)
run_wisp -c "cat $file" \
	'tracepoint:syscalls:sys_enter_openat /pid == cpid && comm == "cat"/ { @[comm] = (pid, str(args->filename)); $p = @[comm]; @last = $p.1; }'
expect_status 0
expect_grep "^@\[cat\]: \([0-9][0-9]*, $file\)$"
expect_line "@last: $file"
