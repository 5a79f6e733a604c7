#!/usr/bin/env wisp
// killsnoop: signals sent with kill(2), who sent them and the result.
// Ctrl-C to end.
BEGIN { printf("%-7s %-16s %4s %-7s %s\n", "PID", "COMM", "SIG", "TPID", "RESULT"); }

tracepoint:syscalls:sys_enter_kill {
	@tpid[tid] = args->pid;
	@tsig[tid] = args->sig;
}

tracepoint:syscalls:sys_exit_kill /@tpid[tid]/ {
	printf("%-7d %-16s %4d %-7d %d\n", pid, comm, @tsig[tid], @tpid[tid], args->ret);
	delete(@tpid[tid]);
	delete(@tsig[tid]);
}

END { clear(@tpid); clear(@tsig); }
