fentry:vfs_read { @a = retval; @b = arg4; @c = args.cont; }
fexit:synchronize_rcu { @d = retval; }
rawtracepoint:sched_switch { @e = arg5; @f = args.nxt; }
