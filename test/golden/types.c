/* types.c - the kernel types of the golden tests (types.btf.o): a
 * few structs shaped like the kernel's, with nesting, anonymous members,
 * bitfields, arrays, enums and typedefs. Made with
 *     gcc -gbtf -c -o types.btf.o types.c
 * (gcc 12 or later) and committed, so the dumps do not depend on the
 * compiler of the machine that runs them. */
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned long long u64;
typedef int pid_t;

enum sock_state { TCP_ESTABLISHED = 1, TCP_SYN_SENT, TCP_CLOSE = 7 };

struct sock_common {
	union {
		u64 skc_addrpair;
		struct {
			u32 skc_daddr;
			u32 skc_rcv_saddr;
		};
	};
	union {
		unsigned int skc_hash;
		u16 skc_u16hashes[2];
	};
	u16 skc_dport;
	u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse:4;
	unsigned char skc_reuseport:1;
	unsigned char skc_ipv6only:1;
	unsigned char skc_net_refcnt:1;
	int skc_bound_dev_if;
};

struct sock {
	struct sock_common __sk_common;
	int sk_forward_alloc;
	signed int sk_rcvbuf;
	unsigned int sk_padding:1, sk_kern_sock:1, sk_no_check_tx:1;
	int sk_wmem_queued;
};

struct task_struct {
	unsigned int __state;
	void *stack;
	int prio;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *parent;
	char comm[16];
	long counts[4];
	unsigned sched_reset_on_fork:1;
	unsigned sched_contributes_to_load:1;
	signed int nice_bits:5;
};

struct sock *golden_sock;
struct task_struct *golden_task;
enum sock_state golden_state;

int tcp_connect(struct sock *sk)
{
	return sk->sk_rcvbuf;
}
