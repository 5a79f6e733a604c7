// the semantic pass on the functions whose values user space formats:
// ksym, usym, kaddr, uaddr, ntop, strftime, buf, time
BEGIN {
	$a = ksym();
	$b = ksym(comm);
	$c = usym(1, 2);
	$d = kaddr(1);
	$e = kaddr("no_such_symbol_of_wisp");
	$f = uaddr(1);
	$g = uaddr("main");
	$h = ntop();
	$i = ntop(comm, 1);
	$j = ntop(comm);
	$k = strftime(1);
	$l = strftime("%H", comm);
	$m = buf();
	$n = buf(comm, 4);
	$o = buf(curtask, 0);
	$p = buf(curtask);
	time(1);
}
