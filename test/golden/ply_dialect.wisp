# ply's spelling: cat/event, if-predicate, data->, quantize, kpid
tracepoint:syscalls/sys_exit_read if (data->ret > 0 && kpid != 0) {
	@[execname] = quantize(data->ret);
}
