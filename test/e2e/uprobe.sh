#!/bin/sh
# uprobe.sh - uprobes and uretprobes on libc: arguments, str() of a user
# pointer, retval, func and probe, 0xADDR, wildcards, -p, and the errors
# for a missing file and an unknown function. Needs a dynamically linked
# system (the QEMU guests have a static busybox only: skipped there).
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
[ -r /sys/bus/event_source/devices/uprobe/type ] || skip "no uprobe PMU"
[ -r /etc/ld.so.cache ] || skip "no /etc/ld.so.cache (no shared libc)"
need_cmd ls dd
# ls must use the libc wisp finds (not a static busybox)
ldd_out=$(ldd "$(command -v ls)" 2>/dev/null) || skip "ls is not dynamically linked"
case $ldd_out in
*libc.so.6*) ;;
*) skip "ls does not use libc.so.6" ;;
esac

# entry, an integer argument
run_wisp -c 'ls /' 'uprobe:libc:malloc /pid == cpid/ { @ = hist(arg0); }'
expect_status 0
expect_grep '^\[[0-9KM]+, [0-9KM]+\) +[1-9][0-9]* \|@+ *\|$'

# entry, a string argument read from user memory
run_wisp -c 'ls /' 'uprobe:libc:opendir /pid == cpid/ { printf("dir=%s\n", str(arg0)); }'
expect_status 0
expect_line 'dir=/'

# ply's caller: where opendir returns to, in ls; named or an address
run_wisp -c 'ls /' 'uprobe:libc:opendir /pid == cpid/ { @[caller] = count(); }'
expect_status 0
expect_grep '^@\[[^]]+\]: [1-9][0-9]*$'

# return, a string return value; pwd -P runs from TESTDIR
cd "$TESTDIR" || fail "cd $TESTDIR"
pwd_bin=$(command -v pwd)
[ -x /bin/pwd ] && pwd_bin=/bin/pwd
if [ -x "$pwd_bin" ]; then
	run_wisp -c "$pwd_bin -P" 'uretprobe:libc:getcwd /pid == cpid/ { printf("cwd=%s\n", str(retval)); }'
	expect_status 0
	expect_line "cwd=$(pwd -P)"
fi

# an address, as nm prints it: func names the function there
if command -v nm >/dev/null 2>&1; then
	libc=$("$WISP" -l 'uprobe:libc:malloc' | sed -n 's/^uprobe:\(.*\):malloc$/\1/p')
	[ -n "$libc" ] || fail "wisp -l 'uprobe:libc:malloc' printed no libc"
	addr=$(nm -D --defined-only "$libc" | awk '$3 ~ /^malloc(@|$)/ { print $1; exit }' |
		sed 's/^0*//')
	if [ -n "$addr" ]; then
		run_wisp -c 'ls /' "uprobe:libc:0x$addr /pid == cpid/ { @[func, probe] = count(); }"
		expect_status 0
		expect_grep "^@\\[malloc, uprobe:$libc:0x$addr\\]: [1-9][0-9]*$"
	fi
fi

# IFUNCs (strlen, memcpy: one implementation picked per CPU) are
# probed where libc's resolver points: the calls are seen
run_wisp -c 'ls /' 'uprobe:libc:strlen /pid == cpid/ { @s = count(); } uprobe:libc:memcpy /pid == cpid/ { @m = count(); }'
expect_status 0
expect_count '@s' 10 1000000
expect_count '@m' 1 1000000

# wildcards: func tells which one fired
run_wisp -c 'ls /' 'uprobe:libc:str* /pid == cpid/ { @[func] = count(); }'
expect_status 0
expect_grep '^@\[str[a-z_0-9]*\]: [1-9][0-9]*$'
expect_no_grep '^@\[[^s]'

# -l lists the functions of one file
run_wisp -l 'uprobe:libc:mallo*'
expect_status 0
expect_grep '^uprobe:/.*/libc\.so\.6:malloc$'

# -p: only the process given, though another runs the same code
dd if=/dev/zero of=/dev/null bs=1 count=100000000 2>/dev/null &
busy=$!
dd if=/dev/zero of=/dev/null bs=1 count=100000000 2>/dev/null &
other=$!
run_wisp -p "$busy" 'uprobe:libc:read { @[pid] = count(); } interval:ms:300 { exit(); }'
kill "$busy" "$other" 2>/dev/null
wait "$busy" 2>/dev/null
wait "$other" 2>/dev/null
expect_status 0
expect_grep "^@\\[$busy\\]: [1-9][0-9]*$"
[ "$(grep -c '^@\[' "$TESTDIR/out")" = 1 ] || fail "other processes were counted"

# errors, at the spec
run_wisp 'BEGIN { exit(); } uprobe:/no/such/binary:main { }'
expect_status 1
expect_grep "^<cmdline>:1:19: error: uprobe target '/no/such/binary': No such file or directory" "$TESTDIR/err"
run_wisp 'uprobe:libc:mallocc { }'
expect_status 1
expect_grep "^<cmdline>:1:1: error: no function 'mallocc' in .*libc\\.so\\.6 \\(for uprobe\\); did you mean 'malloc'\\?" "$TESTDIR/err"
run_wisp 'uretprobe:libwisp-no-such-lib:f { }'
expect_status 1
expect_grep "uretprobe target 'libwisp-no-such-lib': no such program" "$TESTDIR/err"

# uaddr(): a symbol of the probed binary; libc is position-independent,
# so its address is where the -p process has it. __environ there points
# to the environment of the process.
need_cmd yes
env -i WISP_UADDR=ok yes >/dev/null &
yes_pid=$!
trap 'kill "$yes_pid" 2>/dev/null' EXIT
nap
run_wisp -p "$yes_pid" 'uprobe:libc:write { printf("env=%s\n", str(**uaddr("__environ"))); exit(); }'
expect_status 0
expect_line 'env=WISP_UADDR=ok'
run_wisp 'uprobe:libc:write { printf("%p\n", uaddr("__environ")); }'
expect_status 1
expect_grep 'libc\.so\.6 is position-independent: uaddr\("__environ"\) needs -p PID to know where it is loaded' "$TESTDIR/err"
run_wisp -p "$yes_pid" 'uprobe:libc:write { printf("%p\n", uaddr("no_such_symbol")); }'
expect_status 1
expect_grep "no symbol 'no_such_symbol' in .*libc\.so\.6" "$TESTDIR/err"
kill "$yes_pid"
run_wisp 'BEGIN { printf("%p\n", uaddr("main")); }'
expect_status 1
expect_grep 'uaddr\(\) names a symbol of the probed binary: it exists in uprobes, not in BEGIN probes' "$TESTDIR/err"
exit 0
