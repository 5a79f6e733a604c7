#!/bin/sh
# kernel_types.sh - kernel data read through the kernel's BTF types:
# curtask's parent, a syscall tracepoint's user pointer to a struct, a
# cast of an address, char arrays as strings, a whole struct printed,
# errors that name the type and member, -lv's prototypes. Without BTF,
# kernel_types_nobtf.sh.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_tracepoint syscalls sys_enter_openat
need_cmd sleep cat
[ -r /sys/kernel/btf/vmlinux ] || skip "the kernel has no BTF (/sys/kernel/btf/vmlinux): kernel_types_nobtf.sh covers it"
WISP_TIMEOUT=60

file=$(hostname_file)
# sh forks cat (a command before the last one is not exec'd): cat's
# parent is the -c command itself
printf 'cat %s\nexit 0\n' "$file" >"$TESTDIR/cat.sh"

# two hops through struct task_struct; a char array member as a string
run_wisp -c "sh $TESTDIR/cat.sh" 'tracepoint:syscalls:sys_enter_openat /pid != cpid && curtask->real_parent->tgid == cpid/ {
	printf("ppid %d cpid %d pcomm %s comm %s\n", curtask->real_parent->tgid, cpid,
	       curtask->real_parent->comm, curtask->comm);
	exit();
}'
expect_status 0
expect_grep '^ppid ([0-9]+) cpid \1 pcomm sh comm cat$'

# bpftrace 0.20+: '.' dereferences a pointer as '->' does; a cast of an
# address to a struct pointer
run_wisp -c "sh $TESTDIR/cat.sh" 'tracepoint:syscalls:sys_enter_openat /comm == "cat"/ {
	$t = (struct task_struct *)curtask;
	printf("%d %d\n", $t.real_parent.tgid, cpid);
	exit();
}'
expect_status 0
expect_grep '^([0-9]+) \1$'

# a tracepoint field "const struct __kernel_timespec *": a user pointer
# whose struct comes from BTF, read with the user helper
run_wisp -c 'sleep 0.3' 'tracepoint:syscalls:sys_enter_clock_nanosleep,tracepoint:syscalls:sys_enter_nanosleep /pid == cpid/ {
	printf("sec %d nsec %d\n", args->rqtp->tv_sec, args->rqtp->tv_nsec);
	print(*args->rqtp);
}'
expect_status 0
expect_line 'sec 0 nsec 300000000'
expect_line '{ .tv_sec = 0, .tv_nsec = 300000000 }'

# a raw tracepoint's argument (next: arg2 of sched_switch) cast and
# followed through two pointers (args.next where BTF names it: not 5.10)
run_wisp -c 'sleep 0.2' 'rawtracepoint:sched_switch /((struct task_struct *)arg2)->pid == cpid/ {
	$next = (struct task_struct *)arg2;
	@[$next->comm, $next->real_parent->tgid == pid] = count();
}'
expect_status 0
expect_grep '^@\[sleep, [01]\]: [1-9]'

# errors name the type and the member, with the closest name
run_wisp -e 'BEGIN { printf("%d\n", curtask->pidd); }'
expect_status 1
expect_grep "struct task_struct has no member 'pidd'; did you mean 'pid'\?" "$TESTDIR/err"
run_wisp -e 'BEGIN { $s = (struct no_such_struct *)0; }'
expect_status 1
expect_grep "no type 'struct no_such_struct'" "$TESTDIR/err"

# -lv: a kprobe's prototype from the kernel's types
run_wisp -lv 'kprobe:vfs_read'
expect_status 0
expect_line 'kprobe:vfs_read'
expect_line '    size_t count'
expect_no_grep 'retval'
