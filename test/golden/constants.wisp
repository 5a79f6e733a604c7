// constants: a register whose one definition is a constant becomes an
// immediate where it is read (sum()'s increment, lhist()'s bounds and
// step, a local's value in a comparison); an operation on a value known
// in its block is folded (hist()'s first step: 2 + 32 is 34)
tracepoint:syscalls:sys_enter_getppid {
	$limit = 1000;
	@s = sum(3);
	@l = lhist(pid, 0, 100, 10);
	if (tid > $limit) { @h = hist(tid); }
}
