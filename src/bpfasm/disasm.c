/* disasm.c - eBPF instructions as text, in the kernel verifier's syntax
 * (kernel/bpf/disasm.c), so that --dump=asm reads like a verifier log.
 *
 * Conventions, the kernel's own:
 * - ALU, MOV and store immediates are signed decimal:   r1 += -8
 * - jump comparison immediates are 32-bit hex:           if r1 > 0x3 goto pc+5
 *   (so a negative one prints as 0xffffffff)
 * - 64-bit immediates are hex with llvm's "ll" suffix:   r1 = 0x1234 ll
 * - memory offsets always carry a sign:                  *(u64 *)(r10 -8)
 * - jump offsets are relative to the next instruction:   goto pc-3
 * - 32-bit ALU and JMP32 name registers w0..w10; loads, stores and atomics
 *   always use r.
 * - map loads print the fd as the verifier prints an id, r1 = map[id:5];
 *   asm_disasm, which knows the program's map table, prints the map's name
 *   (r1 = map[@bytes]) or, without one, its number (r1 = map[#2]); the
 *   address of byte 24 of an array's one value (BPF_PSEUDO_MAP_VALUE) is
 *   r1 = map[id:5][0]+24, r1 = map[@.lost][0]+24 with the name.
 * Registers numbered 11 and up are the IR's virtual registers: v16, and
 * wv16 in a 32-bit operation so the width stays visible in IR dumps.
 * parse.c reads all of this back; keep the two in step.
 */
#include "bpfasm.h"

static const char *const asm_alu_ops[16] = {
	[BPF_ADD >> 4] = "+=", [BPF_SUB >> 4] = "-=", [BPF_MUL >> 4] = "*=",
	[BPF_DIV >> 4] = "/=", [BPF_OR >> 4] = "|=",  [BPF_AND >> 4] = "&=",
	[BPF_LSH >> 4] = "<<=", [BPF_RSH >> 4] = ">>=", [BPF_MOD >> 4] = "%=",
	[BPF_XOR >> 4] = "^=", [BPF_MOV >> 4] = "=",  [BPF_ARSH >> 4] = "s>>=",
};

static const char *const asm_jmp_ops[16] = {
	[BPF_JEQ >> 4] = "==",  [BPF_JGT >> 4] = ">",   [BPF_JGE >> 4] = ">=",
	[BPF_JSET >> 4] = "&",  [BPF_JNE >> 4] = "!=",  [BPF_JSGT >> 4] = "s>",
	[BPF_JSGE >> 4] = "s>=", [BPF_JLT >> 4] = "<",  [BPF_JLE >> 4] = "<=",
	[BPF_JSLT >> 4] = "s<", [BPF_JSLE >> 4] = "s<=",
};

/* Indexed by BPF_SIZE(code) >> 3: BPF_W, BPF_H, BPF_B, BPF_DW. */
static const char *const asm_sizes[4] = { "u32", "u16", "u8", "u64" };
static const char *const asm_ssizes[4] = { "s32", "s16", "s8", "s64" };

/* The atomic operations that are plain ALU ops on memory. */
static const char *asm_atomic_op(int32_t imm)
{
	switch (imm & ~BPF_FETCH) {
	case BPF_ADD: return "add";
	case BPF_AND: return "and";
	case BPF_OR: return "or";
	case BPF_XOR: return "xor";
	}
	return NULL;
}

struct asm_regname {
	char s[16];
};

static struct asm_regname asm_reg(int r, int w32)
{
	struct asm_regname n;

	if (r < 11)
		snprintf(n.s, sizeof(n.s), "%c%d", w32 ? 'w' : 'r', r);
	else
		snprintf(n.s, sizeof(n.s), "%sv%d", w32 ? "w" : "", r);
	return n;
}

#define R(r) (asm_reg((r), 0).s)
#define W(r, w32) (asm_reg((r), (w32)).s)

static void asm_format_alu(char *buf, size_t len, uint8_t code, int dst,
			   int src, int16_t off, int32_t imm)
{
	int w = BPF_CLASS(code) == BPF_ALU, op = BPF_OP(code);
	int x = BPF_SRC(code) == BPF_X;
	const char *sop = asm_alu_ops[op >> 4];

	if (op == BPF_END) {
		/* ALU64|END is the unconditional swap of cpu v4. */
		const char *kind = !w ? "bswap" :
				   BPF_SRC(code) == BPF_TO_BE ? "be" : "le";
		snprintf(buf, len, "%s = %s%d %s", R(dst), kind, imm, R(dst));
		return;
	}
	if (op == BPF_NEG) {
		snprintf(buf, len, "%s = -%s", W(dst, w), W(dst, w));
		return;
	}
	if (!sop) {
		snprintf(buf, len, "(invalid opcode 0x%02x)", code);
		return;
	}
	if ((op == BPF_DIV || op == BPF_MOD) && off == 1)
		sop = op == BPF_DIV ? "s/=" : "s%=";
	if (op == BPF_MOV && x && (off == 8 || off == 16 || off == 32)) {
		snprintf(buf, len, "%s = (s%d)%s", W(dst, w), off, W(src, w));
		return;
	}
	if (x)
		snprintf(buf, len, "%s %s %s", W(dst, w), sop, W(src, w));
	else
		snprintf(buf, len, "%s %s %d", W(dst, w), sop, imm);
}

static void asm_format_jmp(char *buf, size_t len, uint8_t code, int dst,
			   int src, int16_t off, int32_t imm,
			   const char *target)
{
	int w = BPF_CLASS(code) == BPF_JMP32, op = BPF_OP(code);
	const char *sop = asm_jmp_ops[op >> 4];
	char where[32];

	if (op == BPF_CALL && !w) {
		const char *name = asm_helper_name(imm);

		if (src == BPF_PSEUDO_CALL)
			snprintf(buf, len, "call pc%+d", imm);
		else if (src == BPF_PSEUDO_KFUNC_CALL)
			snprintf(buf, len, "call kfunc#%d", imm);
		else if (name)
			snprintf(buf, len, "call bpf_%s#%d", name, imm);
		else
			snprintf(buf, len, "call #%d", imm);
		return;
	}
	if (op == BPF_EXIT && !w) {
		snprintf(buf, len, "exit");
		return;
	}
	if (target)
		snprintf(where, sizeof(where), "%s", target);
	else
		snprintf(where, sizeof(where), "pc%+d", op == BPF_JA && w ? imm : off);
	if (op == BPF_JA) {
		snprintf(buf, len, "%s %s", w ? "gotol" : "goto", where);
		return;
	}
	if (!sop) {
		snprintf(buf, len, "(invalid opcode 0x%02x)", code);
		return;
	}
	if (BPF_SRC(code) == BPF_X)
		snprintf(buf, len, "if %s %s %s goto %s", W(dst, w), sop,
			 W(src, w), where);
	else
		snprintf(buf, len, "if %s %s 0x%x goto %s", W(dst, w), sop,
			 (uint32_t)imm, where);
}

static void asm_format_mem(char *buf, size_t len, uint8_t code, int dst,
			   int src, int16_t off, int32_t imm)
{
	int size = BPF_SIZE(code) >> 3, mode = BPF_MODE(code);
	const char *sz = asm_sizes[size];
	const char *aop = asm_atomic_op(imm);
	const char *bits = BPF_SIZE(code) == BPF_DW ? "64" : "";

	switch (BPF_CLASS(code)) {
	case BPF_LDX:
		if (mode == BPF_MEM || mode == BPF_MEMSX) {
			snprintf(buf, len, "%s = *(%s *)(%s %+d)", R(dst),
				 mode == BPF_MEM ? sz : asm_ssizes[size],
				 R(src), off);
			return;
		}
		break;
	case BPF_ST:
		if (mode == BPF_MEM) {
			snprintf(buf, len, "*(%s *)(%s %+d) = %d", sz, R(dst),
				 off, imm);
			return;
		}
		break;
	case BPF_STX:
		if (mode == BPF_MEM) {
			snprintf(buf, len, "*(%s *)(%s %+d) = %s", sz, R(dst),
				 off, R(src));
			return;
		}
		if (mode != BPF_ATOMIC)
			break;
		if (aop && !(imm & BPF_FETCH)) {
			snprintf(buf, len, "lock *(%s *)(%s %+d) %s %s", sz,
				 R(dst), off, asm_alu_ops[imm >> 4], R(src));
			return;
		}
		if (aop) {
			snprintf(buf, len, "%s = atomic%s_fetch_%s((%s *)(%s %+d), %s)",
				 R(src), bits, aop, sz, R(dst), off, R(src));
			return;
		}
		if (imm == BPF_XCHG) {
			snprintf(buf, len, "%s = atomic%s_xchg((%s *)(%s %+d), %s)",
				 R(src), bits, sz, R(dst), off, R(src));
			return;
		}
		if (imm == BPF_CMPXCHG) {
			snprintf(buf, len, "r0 = atomic%s_cmpxchg((%s *)(%s %+d), r0, %s)",
				 bits, sz, R(dst), off, R(src));
			return;
		}
		break;
	case BPF_LD:
		if (mode == BPF_ABS) {
			snprintf(buf, len, "r0 = *(%s *)skb[%d]", sz, imm);
			return;
		}
		if (mode == BPF_IND) {
			snprintf(buf, len, "r0 = *(%s *)skb[%s + %d]", sz,
				 R(src), imm);
			return;
		}
		break;
	}
	snprintf(buf, len, "(invalid opcode 0x%02x)", code);
}

void asm_format(char *buf, size_t len, uint8_t code, int dst, int src,
		int16_t off, int32_t imm, int64_t imm64, const char *target)
{
	uint64_t u = imm64;

	switch (BPF_CLASS(code)) {
	case BPF_ALU:
	case BPF_ALU64:
		asm_format_alu(buf, len, code, dst, src, off, imm);
		return;
	case BPF_JMP:
	case BPF_JMP32:
		asm_format_jmp(buf, len, code, dst, src, off, imm, target);
		return;
	}
	if (code != BPF_LD_IMM64_CODE) {
		asm_format_mem(buf, len, code, dst, src, off, imm);
		return;
	}
	if (src == BPF_PSEUDO_MAP_FD)
		snprintf(buf, len, "%s = map[id:%u]", R(dst), (uint32_t)u);
	else if (src == BPF_PSEUDO_MAP_VALUE)
		snprintf(buf, len, "%s = map[id:%u][0]+%u", R(dst),
			 (uint32_t)u, (uint32_t)(u >> 32));
	else if (src == BPF_PSEUDO_FUNC)
		snprintf(buf, len, "%s = func pc%+d", R(dst), imm);
	else
		snprintf(buf, len, "%s = 0x%llx ll", R(dst),
			 (unsigned long long)u);
}

/* Format insns[pc] (and its second slot); returns the slots used. */
static size_t asm_format_at(char *buf, size_t len,
			    const struct bpf_insn *insns, size_t n, size_t pc)
{
	const struct bpf_insn *in = &insns[pc];
	int64_t imm64 = (uint32_t)in->imm;
	size_t used = 1;

	if (in->code == BPF_LD_IMM64_CODE && pc + 1 < n) {
		imm64 |= (uint64_t)(uint32_t)insns[pc + 1].imm << 32;
		used = 2;
	}
	asm_format(buf, len, in->code, in->dst_reg, in->src_reg, in->off,
		   in->imm, imm64, NULL);
	return used;
}

void asm_disasm(const struct asm_prog *p, FILE *out,
		const char *(*map_name)(int map, void *ctx), void *ctx)
{
	char buf[128];
	size_t pc = 0, r = 0, used;

	while (pc < p->n) {
		used = asm_format_at(buf, sizeof(buf), p->insns, p->n, pc);
		/* relocs are recorded in pc order, so one cursor suffices. */
		while (r < p->nrelocs && p->relocs[r].pc < pc)
			r++;
		if (r < p->nrelocs && p->relocs[r].pc == pc) {
			const char *name =
				map_name ? map_name(p->relocs[r].map, ctx) : NULL;
			/* names come with their sigil: "@bytes" */
			char value[24] = "";

			if (p->relocs[r].value && pc + 1 < p->n)
				snprintf(value, sizeof(value), "[0]+%u",
					 (uint32_t)p->insns[pc + 1].imm);
			if (name)
				snprintf(buf, sizeof(buf), "%s = map[%s]%s",
					 R(p->insns[pc].dst_reg), name, value);
			else
				snprintf(buf, sizeof(buf), "%s = map[#%d]%s",
					 R(p->insns[pc].dst_reg),
					 p->relocs[r].map, value);
		}
		fprintf(out, "%4zu: %s\n", pc, buf);
		pc += used;
	}
}

void asm_disasm_insns(const struct bpf_insn *insns, size_t n, FILE *out)
{
	char buf[128];
	size_t pc = 0;

	while (pc < n) {
		size_t used = asm_format_at(buf, sizeof(buf), insns, n, pc);

		fprintf(out, "%4zu: %s\n", pc, buf);
		pc += used;
	}
}
