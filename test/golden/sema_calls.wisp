// the semantic pass on the arguments of functions: how many, of which
// type, which must be constants; sema reports every error
BEGIN {
	@m[1] = 1;
	clear(@m[1]);
	clear(@m, 1);
	clear(1);
	delete(1);
	delete(@m[1], 2);
	has_key(@m[1]);
	zero(@never);
	exit(1, 2);
	exit("a");
	$a = str();
	$b = str(curtask, 0);
	$c = str(kstack);
	$d = count();
	$e = strncmp(comm, "a");
	$f = strncmp(comm, 1, 2);
	$g = bswap();
	$h = bswap(comm);
	$i = len(1);
	$j = len(comm);
	$k = len(@m[1]);
	$l = len(@nolen);
	@c = count();
	@h[1] = hist(1);
	$n = len(@c);
	$o = len(@h);
	join();
	join(comm);
	signal(9);
	system("ls");
	foo();
	prinf("x");
	bswap(1);
}
