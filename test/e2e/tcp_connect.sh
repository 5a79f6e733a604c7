#!/bin/sh
# tcp_connect.sh - a kprobe on tcp_connect reads the destination address
# and port from struct sock while a local TCP connection is made (busybox
# nc), as bpftrace's tcpconnect does: with the kernel's BTF, and with the
# struct declared in the program as on a kernel without BTF.
# Skips where the kernel has no kprobes (the host); runs in test/qemu.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
[ -d /sys/bus/event_source/devices/kprobe ] || skip "no kprobe PMU on this kernel"
need_cmd nc timeout
WISP_TIMEOUT=60

# a listener on 127.0.0.1:4242 and one connection to it
cat >"$TESTDIR/conn.sh" <<'SH'
nc -l -p 4242 </dev/null >/dev/null 2>&1 &
l=$!
sleep 0.3
timeout 2 nc 127.0.0.1 4242 </dev/null >/dev/null 2>&1
kill $l 2>/dev/null
wait $l 2>/dev/null
exit 0
SH

if [ -r /sys/kernel/btf/vmlinux ]; then
	run_wisp -c "sh $TESTDIR/conn.sh" 'kprobe:tcp_connect {
		$sk = (struct sock *)arg0;
		printf("%s %d %d\n", ntop($sk->__sk_common.skc_daddr),
		       bswap($sk->__sk_common.skc_dport), $sk->__sk_common.skc_family);
	}'
	expect_status 0
	expect_line '127.0.0.1 4242 2'
fi

# the same with declarations: the start of struct sock_common has been
# laid out so since Linux 4.x
export WISP_BTF=none
run_wisp -c "sh $TESTDIR/conn.sh" '
struct sock_common {
	unsigned int skc_daddr;
	unsigned int skc_rcv_saddr;
	unsigned int skc_hash;
	unsigned short skc_dport;
	unsigned short skc_num;
	unsigned short skc_family;
};
struct sock { struct sock_common __sk_common; };
kprobe:tcp_connect {
	$sk = (struct sock *)arg0;
	printf("%s %d %d\n", ntop($sk->__sk_common.skc_daddr),
	       bswap($sk->__sk_common.skc_dport), $sk->__sk_common.skc_family);
}'
unset WISP_BTF
expect_status 0
expect_line '127.0.0.1 4242 2'
