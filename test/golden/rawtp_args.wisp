// raw tracepoints: argN are the u64 slots; args names them from the
// event class's function (sched_wakeup's class is sched_wakeup_template)
rawtracepoint:sched_switch { @[args.prev_state] = count(); @p = sum(arg2); }
rt:sched_wakeup { @w[args.p] = count(); }
rt:sys_enter { @s[args->id] = count(); }
