tracepoint:syscalls:sys_exit_read { @[comm] = hist(args->rett); }
