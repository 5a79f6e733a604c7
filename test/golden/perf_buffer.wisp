// A kernel before 5.8 has no BPF ring buffer: printf records go out
// through bpf_perf_event_output on a perf event array (perf_buffer.target).
BEGIN { printf("hello %d\n", 42); }
tracepoint:syscalls:sys_enter_openat { printf("%s\n", str(args->filename)); }
