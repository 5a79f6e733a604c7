// the issue's histogram one-liner: a string predicate, a per-CPU histogram
tracepoint:syscalls:sys_exit_read /comm == "dd"/ { @bytes = hist(args->ret); }
