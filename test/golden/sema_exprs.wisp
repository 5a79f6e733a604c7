// the semantic pass on expressions: operators, casts, variables,
// increments, tuples, identifiers
BEGIN {
	comm++;
	$a = comm++;
	$s = comm;
	$b = $s++;
	$c = &pid;
	$d = *comm;
	$e = -comm;
	$f = comm && 1;
	$g = 1 || comm;
	$h = 1 ? comm : 2;
	$i = comm ? 1 : 2;
	$j = (int8)comm;
	$k = (struct task_struct *)curtask;
	$l = $s[0];
	$m = $nope;
	$n += 1;
	$o = 1;
	$o = comm;
	$p = (1, 2);
	$p = (1, 2, 3);
	$s += "a";
	$q = comm.foo;
	$r = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
	$t = (1, count());
	$u = xyzzyq;
	$v = -kstack;
	$w = !comm;
	$x = ~comm;
	$y = exit();
	$z = 1;
}
