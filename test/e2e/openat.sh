#!/bin/sh
# openat.sh - the README's one-liner: printf with comm and str() of a
# tracepoint's string field, on a -c workload; then the same with the t:
# alias and the args.f spelling.
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
	't:syscalls:sys_enter_openat /comm == "cat"/ { printf("open %s\n", str(args.filename)); }'
expect_status 0
expect_line "open $file"
