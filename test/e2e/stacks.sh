#!/bin/sh
# stacks.sh - kstack and ustack symbolised: kernel frames as name+offset
# from /proc/kallsyms in a multi-line map key, user frames from the ELF
# symbols of a process still alive (a sleeping -c command, read through
# printf while it sleeps: at exit it is gone, and bpftrace prints bare
# addresses then too); ksym, ntop and strftime; -f folded.
#
# Kernel stacks are taken at sched_process_exec: before 6.x kernels hand
# syscall tracepoints the user registers, and the kernel cannot take a
# kernel stack there (bpf_get_stackid fails; bpftrace prints "@[]" too).
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint sched sched_process_exec
need_tracepoint syscalls sys_enter_clock_nanosleep
need_cmd awk cat date sleep
file=$(hostname_file)

# Kernels that hide kallsyms addresses (or have none) print hex frames.
_addr=$(awk '$2 == "T" || $2 == "t" { print $1; exit }' /proc/kallsyms 2>/dev/null)
case $_addr in
'' | *[!0]*) kallsyms=yes ;;
*) kallsyms=no ;;
esac
[ -n "$_addr" ] || kallsyms=no
# The frames of exec, on the kernels and architectures we run on.
exec_fns='exec_binprm|bprm_execve|do_execveat_common|search_binary_handler|load_elf_binary|execve'

run_wisp -c "cat $file" \
	'tracepoint:sched:sched_process_exec /pid == cpid/ { @[kstack] = count(); }'
expect_status 0
# "@[", then frames indented 4 spaces, then "]: N".
expect_line '@['
expect_grep '^\]: 1$'
if [ $kallsyms = yes ]; then
	expect_grep "^    [_a-z0-9.]*($exec_fns)[_a-z0-9.]*\\+[0-9]+\$"
	expect_no_grep '^    0x'
else
	expect_grep '^    0x[0-9a-f]+$'
fi

# ksym() is the name alone; ntop and strftime.
if [ $kallsyms = yes ]; then
	run_wisp 'BEGIN { printf("%s|%s|%s\n", ksym(kaddr("vfs_read")), ntop(0x0100007f), strftime("%Y", nsecs)); exit(); }'
	expect_status 0
	expect_line "vfs_read|127.0.0.1|$(date +%Y)"
fi

# A user stack while its process sleeps: libc's nanosleep by name where
# sleep is linked against a libc with symbols; a static, stripped
# busybox has none, and its frames are addresses.
named=no
if grep -q '/libc[.-]' /proc/self/maps 2>/dev/null; then
	named=yes
fi
run_wisp -c "sleep 2" \
	'tracepoint:syscalls:sys_enter_clock_nanosleep, tracepoint:syscalls:sys_enter_nanosleep /pid == cpid/ { printf("u:%s|\n", ustack); exit(); }'
expect_status 0
expect_line 'u:'
expect_line '|'
# Frames in printf are indented 8 spaces, as bpftrace does.
if [ $named = yes ]; then
	expect_grep '^        [_a-z0-9]*nanosleep[_a-z0-9]*\+[0-9]+$'
else
	expect_grep '^        ([_A-Za-z0-9.]+\+[0-9]+|0x[0-9a-f]+)$'
fi

# -f folded: callers first, ';'-separated, then the count; only that:
# no map in the text format, and nothing refused.
run_wisp -f folded -c "cat $file" \
	'tracepoint:sched:sched_process_exec /pid == cpid/ { @[comm, kstack] = count(); }'
expect_status 0
expect_no_grep 'unknown output format|error' "$TESTDIR/err"
expect_grep '^cat(;[^ ;]+)+ 1$'
expect_no_grep '^@\['
expect_no_grep '^ '
if [ $kallsyms = yes ]; then
	expect_grep "^cat;[^ ]*($exec_fns)[^ ]* 1\$"
fi
exit 0
