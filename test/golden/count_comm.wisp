// a count keyed by comm: the key written by the helper in place
tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }
