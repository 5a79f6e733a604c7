#!/bin/sh
# openat.sh - the README's one-liner: printf with comm and str() of a
# tracepoint's string field, on a -c workload; then the same with the t:
# alias and the args.f spelling; then a pointer kept in a map and a local.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_openat
file=$(hostname_file)

run_wisp -c "cat $file" \
	'tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm, str(args->filename)); }'
expect_status 0
expect_line "cat $file"

run_wisp -c "cat $file" \
	't:syscalls:sys_enter_openat /pid == cpid && comm == "cat"/ { printf("open %s\n", str(args.filename)); }'
expect_status 0
expect_line "open $file"

# A user pointer saved at entry and read at exit (opensnoop's way): in a
# map and in a local it stays a user pointer, so str() reads user memory.
run_wisp -c "cat $file" \
	'tracepoint:syscalls:sys_enter_openat { @f[tid] = args->filename; }
	 tracepoint:syscalls:sys_exit_openat /@f[tid]/ { $p = @f[tid]; printf("ret %d %s\n", args->ret, str($p)); delete(@f[tid]); }'
expect_status 0
expect_line "ret 3 $file"
