// seven values live across helper calls, r6-r9 hold four: the allocator spills
BEGIN {
	@x = nsecs + (cpu + (nsecs + (pid + (nsecs + (tid + (nsecs + (uid + nsecs)))))));
}
