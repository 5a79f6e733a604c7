// stores to the frame that change nothing, removed after the lowering:
// tid's key for the delete, stored in the slot that holds it already on
// every path there (since the lookup of @start[tid] before it); the
// local's loads, forwarded from the register it was stored from, and
// then its store, which nothing reads; the zero key of @n, in the slot
// that holds @max's zero key already; the zeroes under a key's comm stay
// (bpf_get_current_comm does not pad the name before 6.14)
tracepoint:syscalls:sys_enter_getppid { @start[tid] = nsecs; }
tracepoint:syscalls:sys_exit_getppid /@start[tid]/ {
	$d = nsecs - @start[tid];
	delete(@start[tid]);
	@[comm, pid] = sum($d);
	@max = max($d);
	@n = count();
}
