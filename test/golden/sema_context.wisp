// the semantic pass on what a probe's context offers: arguments, return
// value, caller, function name, args, cpid, per probe type
BEGIN {
	@a = arg0;
	@b = retval;
	@c = caller;
	@d = func;
	@e = cpid;
	@f = args;
	@g = args->foo;
	@h = data->foo;
}
profile:hz:99 { @i = arg1; @j = func; }
interval:s:1 { @k = caller; }
uretprobe:libc:malloc { @l = caller; @n = args->size; }
uprobe:libc:malloc { @m = retval; @o = uaddr(1); }
