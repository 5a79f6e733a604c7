// the semantic pass on loops, conditions and control flow
BEGIN {
	@c = count();
	@v = 1;
	for ($a : @never) { }
	for ($b : @c) { }
	for ($d : @v) { }
	for ($f : comm..10) { }
	for ($g : 0..comm) { }
	$h = comm;
	for ($h : 0..10) { }
	return 1;
	break;
	continue;
	unroll (0) { }
	unroll (101) { }
	while (comm) { break; }
	if (comm) { }
}
BEGIN / comm / { }
