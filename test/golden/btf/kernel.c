/* kernel.c - a few kernel types for the golden tests (btf kernel.btf in a
 * target description), in the kernel's shapes but not its sizes.
 * kernel.btf is made from it with gcc 12 (test/golden/btf/make.sh):
 *   gcc -gbtf -c kernel.c -o kernel.o && objcopy --dump-section .BTF=kernel.btf kernel.o
 */
typedef int pid_t;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef unsigned long long u64;
typedef unsigned int __u32;
typedef __u32 __be32;
typedef unsigned short __be16;

enum { TCP_ESTABLISHED = 1, TCP_SYN_SENT, TCP_SYN_RECV, TCP_CLOSE = 7 };
enum bpf_map_type { BPF_MAP_TYPE_UNSPEC, BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY };

struct list_head { struct list_head *next, *prev; };

struct mm_struct { unsigned long start_code, end_code; };

struct task_struct {
	unsigned int __state;
	void *stack;
	unsigned int flags;
	int prio;
	unsigned sched_reset_on_fork : 1, sched_contributes_to_load : 1;
	struct mm_struct *mm;
	int exit_code;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct list_head children;
	char comm[16];
	u64 start_time;
};

struct sock_common {
	union {
		u64 skc_addrpair;
		struct {
			__be32 skc_daddr;
			__be32 skc_rcv_saddr;
		};
	};
	union {
		u32 skc_hash;
		u16 skc_u16hashes[2];
	};
	union {
		u32 skc_portpair;
		struct {
			__be16 skc_dport;
			u16 skc_num;
		};
	};
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse : 4, skc_reuseport : 1;
};

struct sock {
	struct sock_common __sk_common;
	int sk_rcvbuf;
	int sk_forward_alloc;
	u32 sk_mark;
};

struct file;
typedef long ssize_t;
typedef unsigned long size_t;
typedef long long loff_t;

ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos) { return count; }
int tcp_connect(struct sock *sk) { return sk->sk_mark; }
void wake_up_new_task(struct task_struct *p) { }

struct task_struct init_task;
struct sock a_sock;
enum bpf_map_type a_map_type;
int an_enum_user = TCP_ESTABLISHED;
