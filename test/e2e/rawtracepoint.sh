#!/bin/sh
# rawtracepoint.sh - raw tracepoints: argN of sched_switch (its prev task
# is the task switching out, curtask), args typed from the kernel's BTF
# (sys_enter's id is the system call number; sched_switch's names), a
# wildcard, and the errors: a typo, an argument the tracepoint lacks.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root

# arg1 of sched_switch is the task that stops running: curtask. Every
# switch has it so, none not.
run_wisp -e 'rawtracepoint:sched_switch { @[arg1 == curtask] = count(); }' \
	-c 'sleep 0.3'
if grep -q "the kernel has no tracepoint 'sched_switch'" "$TESTDIR/err"; then
	skip "no raw tracepoint sched_switch on this kernel"
fi
expect_status 0
expect_count '@[1]' 1 100000000
expect_no_grep '^@\[0\]'

# the alias, and a wildcard: one instance per match, named by probe
run_wisp -e 'rt:sched_wak* { @[probe] = count(); }' -c 'sleep 0.3'
expect_status 0
expect_grep '^@\[rawtracepoint:sched_waking\]: [1-9]'
expect_no_grep '^@\[rawtracepoint:sched_switch\]'

run_wisp --dry-run -e 'rt:sched_swich { @ = count(); }'
expect_status 1
expect_grep "error: raw tracepoint 'sched_swich' not found; did you mean 'sched_switch'\?" "$TESTDIR/err"

run_wisp -l 'rawtracepoint:sched_sw*'
expect_status 0
expect_line 'rawtracepoint:sched_switch'

# As on a kernel without BTF: argN as before, names from tracefs, and
# args refused
WISP_BTF=none
export WISP_BTF
run_wisp -e 'rawtracepoint:sched_switch { @[arg1 == curtask] = count(); }' \
	-c 'sleep 0.3'
expect_status 0
expect_count '@[1]' 1 100000000
run_wisp -l 'rawtracepoint:sched_sw*'
expect_line 'rawtracepoint:sched_switch'
run_wisp --dry-run -e 'rawtracepoint:sched_switch { @ = args.prev; }'
expect_status 1
expect_grep "error: probe type 'rawtracepoint' has no 'args'" "$TESTDIR/err"
unset WISP_BTF

[ -r /sys/kernel/btf/vmlinux ] || skip "no kernel BTF: args of raw tracepoints are not typed here (argN passed)"

# sched_switch(bool preempt, struct task_struct *prev, struct task_struct
# *next, ...): the names come from the event's class function, which
# kernels before 5.13 or so leave out of BTF (notrace): then the
# arguments are typed but named argN.
run_wisp -lv 'rawtracepoint:sched_switch'
expect_status 0
expect_line 'rawtracepoint:sched_switch'
if grep -q '^    struct task_struct \* arg1$' "$TESTDIR/out"; then
	prev=arg1 next=arg2 p=arg0 id=arg1
	expect_grep '^    struct task_struct \* arg2$'
else
	prev=prev next=next p=p id=id
	expect_grep '^    struct task_struct \* prev$'
	expect_grep '^    struct task_struct \* next$'
fi

# an event defined from a class of another name (sched_wakeup_template)
run_wisp -lv 'rawtracepoint:sched_wakeup'
expect_status 0
expect_grep "^    struct task_struct \\* $p\$"

# args.prev is arg1, whatever the spelling
run_wisp -e "rawtracepoint:sched_switch { @[args.$prev == arg1, args->$next == arg2] = count(); }" \
	-c 'sleep 0.3'
expect_status 0
expect_count '@[1, 1]' 1 100000000
expect_no_grep '^@\[0'

# sys_enter(struct pt_regs *regs, long id): cat's openat system call
case $(uname -m) in
x86_64) openat=257 ;;
aarch64) openat=56 ;;
*) openat= ;;
esac
if [ -n "$openat" ]; then
	file=$(hostname_file)
	run_wisp -e "rawtracepoint:sys_enter /comm == \"cat\"/ { @[args.$id] = count(); }" \
		-c "cat $file"
	expect_status 0
	expect_count "@[$openat]" 1 1000
fi

# sched_switch has 3 or 4 arguments (prev_state came in 5.18): not 9
run_wisp --dry-run -e 'rawtracepoint:sched_switch { @ = arg9; }'
expect_status 1
expect_grep 'error: arg9: tracepoint sched_switch has [34] arguments \(arg0\.\.arg[23]\)' "$TESTDIR/err"

if [ "$next" = next ]; then
	run_wisp --dry-run -e 'rawtracepoint:sched_switch { @ = args.nxt; }'
	expect_status 1
	expect_grep "error: rawtracepoint:sched_switch has no field 'nxt'; did you mean 'next'\?" "$TESTDIR/err"
fi
