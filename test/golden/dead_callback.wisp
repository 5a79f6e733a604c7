// a for over a map in code the optimiser finds dead (comm is 16 bytes:
// never equal to a longer string): its callback goes too, or the
// verifier would refuse it as unreachable (found by the fuzzer)
tracepoint:syscalls:sys_enter_read /comm == "a string longer than comm is"/ {
	@fds[args->fd] = 1;
	for ($kv : @fds) { @n = $kv.1; }
}
