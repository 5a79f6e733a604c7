/* test_cdecl_btf.c - C declarations in a program, laid out by wisp
 * (src/lang/cdecl.c), against the running kernel's BTF for the same
 * structs: sizes, member offsets and bitfield positions. The structs
 * are ones whose layout has not changed in the kernels wisp supports
 * (lists, qstr, path, time, socket addresses, IP/TCP/UDP headers with
 * their bitfields; tcphdr's first 4 bits were res1 and are now ae and
 * res1, so they are left unnamed), declared as a program on a kernel without BTF
 * would declare them. Skips visibly where the kernel has no BTF. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "lang/cdecl.h"
#include "lang/parser.h"
#include "sys/btf.h"
#include "unit.h"

static const char decls[] =
	"struct list_head { struct list_head *next, *prev; };\n"
	"struct hlist_node { struct hlist_node *next, **pprev; };\n"
	"struct rb_node { unsigned long __rb_parent_color; struct rb_node *rb_right; struct rb_node *rb_left; };\n"
	"struct qstr { union { struct { u32 hash; u32 len; }; u64 hash_len; }; const unsigned char *name; };\n"
	"struct path { struct vfsmount *mnt; struct dentry *dentry; };\n"
	"struct __kernel_timespec { long long tv_sec; long long tv_nsec; };\n"
	"struct timespec64 { s64 tv_sec; long tv_nsec; };\n"
	"struct callback_head { struct callback_head *next; void (*func)(struct callback_head *head); };\n"
	"struct iovec { void *iov_base; size_t iov_len; };\n"
	"struct in_addr { __be32 s_addr; };\n"
	"struct sockaddr_in { unsigned short sin_family; __be16 sin_port; struct in_addr sin_addr;\n"
	"	unsigned char __pad[8]; };\n"
	"struct in6_addr { union { __u8 u6_addr8[16]; __be16 u6_addr16[8]; __be32 u6_addr32[4]; } in6_u; };\n"
	"struct sockaddr_in6 { unsigned short sin6_family; __be16 sin6_port; __be32 sin6_flowinfo;\n"
	"	struct in6_addr sin6_addr; __u32 sin6_scope_id; };\n"
	"struct iphdr { __u8 ihl:4, version:4; __u8 tos; __be16 tot_len; __be16 id; __be16 frag_off;\n"
	"	__u8 ttl; __u8 protocol; __u16 check; __be32 saddr; __be32 daddr; };\n"
	"struct tcphdr { __be16 source; __be16 dest; __be32 seq; __be32 ack_seq;\n"
	"	__u16 :4, doff:4, fin:1, syn:1, rst:1, psh:1, ack:1, urg:1, ece:1, cwr:1;\n"
	"	__be16 window; __u16 check; __be16 urg_ptr; };\n"
	"struct udphdr { __be16 source; __be16 dest; __be16 len; __u16 check; };\n";

static const char *const structs[] = {
	"list_head", "hlist_node", "rb_node", "qstr", "path", "__kernel_timespec",
	"timespec64", "callback_head", "iovec", "in_addr", "sockaddr_in", "in6_addr",
	"sockaddr_in6", "iphdr", "tcphdr", "udphdr",
};

/* Every member of a declared struct (anonymous ones looked into) at the
 * same bit position, of the same width, in the kernel's. */
static void compare(const char *name, const struct ctype *mine, const struct ctype *kernel)
{
	const char *names[64];
	unsigned n = ctype_member_names(mine, names, 64);

	CHECK(mine->size == kernel->size, "struct %s: %u bytes declared, %u in BTF", name,
	      mine->size, kernel->size);
	for (unsigned i = 0; i < n; i++) {
		unsigned mo = 0, ko = 0;
		const struct cmember *m = ctype_member(mine, names[i], &mo);
		const struct cmember *k = ctype_member(kernel, names[i], &ko);

		CHECK(k != NULL, "struct %s: BTF has %s", name, names[i]);
		if (!m || !k)
			continue;
		CHECK(mo * 8 + m->bit_off == ko * 8 + k->bit_off,
		      "struct %s: %s at bit %u declared, %u in BTF", name, names[i],
		      mo * 8 + m->bit_off, ko * 8 + k->bit_off);
		CHECK(m->bit_size == k->bit_size, "struct %s: %s is %u bits wide declared, %u in BTF",
		      name, names[i], m->bit_size, k->bit_size);
		if (!m->bit_size)
			CHECK(ctype_resolve(m->type)->size == ctype_resolve(k->type)->size,
			      "struct %s: %s is %u bytes declared, %u in BTF", name, names[i],
			      ctype_resolve(m->type)->size, ctype_resolve(k->type)->size);
	}
}

int main(void)
{
	struct btf *b = btf_kernel();
	struct target t = target_default();
	struct program prog = { 0 };
	struct source src;
	char text[sizeof(decls) + 32];

	if (!b) {
		unit_skip("the kernel has no BTF (/sys/kernel/btf/vmlinux)");
		return unit_done("test_cdecl_btf");
	}
	/* as on a kernel without BTF: the declarations alone */
	snprintf(text, sizeof(text), "%sBEGIN { }\n", decls);
	source_from_string(&src, "<decls>", text);
	CHECK(parse_program(&src, &prog) == 0, "the declarations parse");
	CHECK(cdecl_declare(&prog, &t) == 0, "the declarations are laid out");
	for (size_t i = 0; i < sizeof(structs) / sizeof(structs[0]); i++) {
		const struct ctype *mine = ctype_find(CT_STRUCT, structs[i]);
		uint32_t id = btf_find(b, BTF_KIND_STRUCT, structs[i]);
		const struct ctype *kernel = id ? btf_ctype(b, id) : NULL;

		CHECK(mine != NULL, "struct %s is declared", structs[i]);
		CHECK(kernel != NULL, "the kernel's BTF has struct %s", structs[i]);
		if (mine && kernel)
			compare(structs[i], mine, kernel);
	}
	program_free(&prog);
	return unit_done("test_cdecl_btf");
}
