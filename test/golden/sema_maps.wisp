// the semantic pass on maps: aggregations and how they are assigned,
// keys, value types, reads
BEGIN {
	@a += count();
	@b = count(1);
	@c = sum();
	@d = lhist(1);
	@e = sum(comm);
	@f = lhist(1, pid, 10, 1);
	@g = lhist(1, 0, 10, -1);
	@h = lhist(1, 10, 0, 1);
	@i = lhist(1, 0, 100000, 1);
	@j = lhist(1, 0, 10, 1);
	@j = lhist(2, 0, 20, 1);
	@k = exit();
	@l = 1;
	@l += comm;
	@n = curtask;
	@n += 1;
	@o[1] = 1;
	@o[1, 2] = 1;
	@p[1] = 1;
	@p[comm] = 1;
	@q[1, 2, 3, 4, 5, 6, 7, 8, 9] = 1;
	@r[printf("x")] = 1;
	@s = count();
	@s = sum(1);
	@t = 1;
	@t = comm;
	@u = 1;
	@u = count();
	@v = @never;
	@w = hist(1);
	@x = @w;
	delete @y[1];
	@z[(1, 2)] = 1;
	@z[(1, "ab")] = 1;
}
