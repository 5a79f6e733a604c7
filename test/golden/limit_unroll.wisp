// limits.h: unroll in unroll multiplies the code; past the kernel's
// 1,000,000 instructions it stops (it once ran out of memory)
BEGIN {
	unroll(100) {
		unroll(100) {
			unroll(100) { @x++; }
		}
	}
}
