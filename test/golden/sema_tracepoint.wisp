// the semantic pass on a tracepoint's context: its fields, arg0, and an
// address array of an odd size for ntop()
tracepoint:syscalls:sys_enter_openat {
	@a = arg0;
	@b = args->zzzzzzzzzzzz;
	@c = retval;
	@d = caller;
}
tracepoint:tcp:tcp_probe { @e = ntop(args->saddr); }
