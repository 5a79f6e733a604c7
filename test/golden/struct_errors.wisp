// Errors of kernel data access name the type and the member.
kprobe:tcp_connect
{
	$sk = (struct sock *)arg0;
	@a = $sk->sk_forward_aloc;
	@b = $sk->__sk_common.skc_daddrr;
	@c = (struct no_such *)arg0;
	@d = curtask->comm[16];
	@e = pid->x;
	@h = $sk.nope;
	@i = arg0->x;
	@j = curtask->stack->x;
	@k = *curtask->stack;
}
