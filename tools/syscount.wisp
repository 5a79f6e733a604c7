#!/usr/bin/env wisp
// syscount: system calls by process name and by syscall number, the top
// ten of each, when it ends (Ctrl-C).
BEGIN { printf("Counting syscalls... Hit Ctrl-C to end.\n"); }

tracepoint:raw_syscalls:sys_enter {
	@syscall[args->id] = count();
	@process[comm] = count();
}

END {
	printf("\nTop 10 syscalls IDs:\n");
	print(@syscall, 10);
	clear(@syscall);
	printf("\nTop 10 processes:\n");
	print(@process, 10);
	clear(@process);
}
