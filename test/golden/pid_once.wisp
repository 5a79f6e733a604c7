// tid read three times: one bpf_get_current_pid_tgid at entry, its low
// half in a register for the predicate, the key and the delete
tracepoint:syscalls:sys_enter_getppid { @start[tid] = nsecs; }
tracepoint:syscalls:sys_exit_getppid /@start[tid]/ { @ = hist(nsecs - @start[tid]); delete(@start[tid]); }
