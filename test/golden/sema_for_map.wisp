// for over a map: the errors sema finds once it knows the kernel has
// bpf_for_each_map_elem (as root; the feature probe needs privileges)
BEGIN {
	@m[1] = 2;
	$e = 1;
	for ($e : @m) { }
	for ($i : @m) { return; }
}
