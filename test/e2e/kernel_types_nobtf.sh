#!/bin/sh
# kernel_types_nobtf.sh - kernel data on a kernel without BTF (or with
# WISP_BTF=none, which makes wisp behave as on one): a program needing
# the kernel's types says where types come from; a struct declared in
# the program gives what BTF gives (kernel_types.sh); TASK_RUNNING is
# known by name without any types.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_tracepoint sched sched_switch
need_cmd sleep
WISP_TIMEOUT=60

export WISP_BTF=none

# TASK_RUNNING (a kernel macro, known by name, BTF or not) against prev_state: three
# busy loops on fewer CPUs are preempted while running
printf 'i=0\nwhile [ $i -lt 30000 ]; do i=$((i+1)); done\n' >"$TESTDIR/busy.sh"
printf 'sh %s & sh %s & sh %s & wait\n' "$TESTDIR/busy.sh" "$TESTDIR/busy.sh" \
	"$TESTDIR/busy.sh" >"$TESTDIR/busy3.sh"
run_wisp -c "sh $TESTDIR/busy3.sh" 'tracepoint:sched:sched_switch /args->prev_pid != 0/ {
	@[args->prev_state == TASK_RUNNING ? "preempted" : "slept"] = count();
}'
expect_status 0
expect_grep '^@\[preempted\]: [1-9]'
expect_grep '^@\[slept\]: [1-9]'

# without the kernel's BTF (WISP_BTF=none: as on a kernel built without
# it): a program needing the kernel's types says where types come from;
# the struct declared in the program gives the same result as BTF's
run_wisp -e 'BEGIN { printf("%d\n", curtask->pid); }'
expect_status 1
expect_grep "declare the type in the program, or give the kernel's types with --btf FILE" "$TESTDIR/err"
run_wisp -c 'sleep 0.3' 'struct __kernel_timespec { long long tv_sec; long long tv_nsec; };
tracepoint:syscalls:sys_enter_clock_nanosleep,tracepoint:syscalls:sys_enter_nanosleep /pid == cpid/ {
	printf("sec %d nsec %d size %d at %d\n", args->rqtp->tv_sec, args->rqtp->tv_nsec,
	       sizeof(struct __kernel_timespec), offsetof(struct __kernel_timespec, tv_nsec));
	print(*args->rqtp);
}'
expect_status 0
expect_line 'sec 0 nsec 300000000 size 16 at 8'
expect_line '{ .tv_sec = 0, .tv_nsec = 300000000 }'
unset WISP_BTF

