#!/usr/bin/env wisp
// execsnoop: new programs as they are executed (execve), with their
// arguments. Ctrl-C to end.
BEGIN { printf("%-10s %-7s %-7s %s\n", "TIME(ms)", "PID", "UID", "ARGS"); }

tracepoint:syscalls:sys_enter_execve {
	printf("%-10u %-7d %-7d ", elapsed / 1000000, pid, uid);
	join(args->argv);
}
