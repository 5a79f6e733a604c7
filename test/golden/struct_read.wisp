// Reads of kernel data through BTF types: a chain of members through one
// pointer is one read at the summed offset; each pointer followed is one
// more; bitfields are shifted and masked, signed ones sign-extended; char
// arrays are strings; a cast gives an address its type; enum constants.
kprobe:tcp_connect
{
	$sk = (struct sock *)arg0;
	@daddr = $sk->__sk_common.skc_daddr;
	@dport = $sk->__sk_common.skc_dport;
	@reuse = $sk->__sk_common.skc_reuse;
	@kern = $sk->sk_kern_sock;
	@state = $sk->__sk_common.skc_state == TCP_ESTABLISHED;
	@ppid = curtask->real_parent->tgid;
	@nice = curtask->nice_bits;
	@c[curtask->real_parent->comm] = curtask->counts[2];
}
