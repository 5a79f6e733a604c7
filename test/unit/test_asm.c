/* test_asm.c - the eBPF assembler: encodings of the insn.h macros, the
 * verifier-syntax text of every instruction form, label resolution and
 * its errors, map relocations, and text <-> instruction round trips. */
#include <stdlib.h>
#include <string.h>
#include "bpfasm/bpfasm.h"
#include "unit.h"

static const struct loc noloc;

/* The 8 bytes of one instruction as the kernel reads them. */
static int same_bytes(struct bpf_insn in, const unsigned char want[8])
{
	return memcmp(&in, want, 8) == 0;
}

static const char *fmt(struct bpf_insn in)
{
	static char buf[128];

	asm_format(buf, sizeof(buf), in.code, in.dst_reg, in.src_reg, in.off,
		   in.imm, in.imm, NULL);
	return buf;
}

/* A file's worth of output captured in a malloc'd string. */
struct capture {
	FILE *f;
	char *text;
	size_t len;
};

static FILE *memout_start(struct capture *c)
{
	c->text = NULL;
	c->f = open_memstream(&c->text, &c->len);
	return c->f;
}

static char *memout_end(struct capture *c)
{
	fclose(c->f);
	return c->text;
}

static void test_encoding(void)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	static const unsigned char mov0[8] = { 0xb7, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char exit_[8] = { 0x95, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char ldx[8] = { 0x79, 0xa1, 0xf8, 0xff, 0, 0, 0, 0 };
	static const unsigned char stx[8] = { 0x63, 0x2a, 0xfc, 0xff, 0, 0, 0, 0 };
	static const unsigned char st[8] = { 0x7a, 0x0a, 0xf8, 0xff, 0x2a, 0, 0, 0 };
	static const unsigned char jgt[8] = { 0x25, 0x01, 0x05, 0, 0x03, 0, 0, 0 };
	static const unsigned char call[8] = { 0x85, 0, 0, 0, 0x01, 0, 0, 0 };
	static const unsigned char add[8] = { 0x0f, 0x21, 0, 0, 0, 0, 0, 0 };
	static const unsigned char movr[8] = { 0xbf, 0xa1, 0, 0, 0, 0, 0, 0 };
	static const unsigned char xadd[8] = { 0xdb, 0x21, 0, 0, 0, 0, 0, 0 };
	static const unsigned char be16[8] = { 0xdc, 0x01, 0, 0, 0x10, 0, 0, 0 };
	static const unsigned char j32[8] = { 0x16, 0x01, 0x01, 0, 0x01, 0, 0, 0 };
	static const unsigned char add32[8] = { 0x04, 0x01, 0, 0, 0xf8, 0xff, 0xff, 0xff };
	static const unsigned char ja[8] = { 0x05, 0, 0xfe, 0xff, 0, 0, 0, 0 };
	static const unsigned char imm64[16] = {
		0x18, 0x01, 0, 0, 0x88, 0x77, 0x66, 0x55,
		0, 0, 0, 0, 0x44, 0x33, 0x22, 0x11,
	};
	static const unsigned char mapfd[16] = {
		0x18, 0x12, 0, 0, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct bpf_insn ld[2] = { BPF_LD_IMM64(BPF_REG_1, 0x1122334455667788ULL) };
	struct bpf_insn mf[2] = { BPF_LD_MAP_FD(BPF_REG_2, 7) };

	CHECK(sizeof(struct bpf_insn) == 8, "insn is %zu bytes",
	      sizeof(struct bpf_insn));
	CHECK(same_bytes(BPF_MOV64_IMM(BPF_REG_0, 0), mov0), "mov64 imm");
	CHECK(same_bytes(BPF_EXIT_INSN(), exit_), "exit");
	CHECK(same_bytes(BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -8), ldx),
	      "ldx");
	CHECK(same_bytes(BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_2, -4), stx),
	      "stx");
	CHECK(same_bytes(BPF_ST_MEM(BPF_DW, BPF_REG_10, -8, 42), st), "st");
	CHECK(same_bytes(BPF_JMP_IMM(BPF_JGT, BPF_REG_1, 3, 5), jgt), "jgt");
	CHECK(same_bytes(BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), call), "call");
	CHECK(same_bytes(BPF_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2), add),
	      "add");
	CHECK(same_bytes(BPF_MOV64_REG(BPF_REG_1, BPF_REG_10), movr), "mov64");
	CHECK(same_bytes(BPF_STX_XADD(BPF_DW, BPF_REG_1, BPF_REG_2, 0), xadd),
	      "xadd");
	CHECK(same_bytes(BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_1, BPF_REG_2, 0),
			 xadd), "atomic add");
	CHECK(same_bytes(BPF_ENDIAN(BPF_TO_BE, BPF_REG_1, 16), be16), "be16");
	CHECK(same_bytes(BPF_JMP32_IMM(BPF_JEQ, BPF_REG_1, 1, 1), j32), "jmp32");
	CHECK(same_bytes(BPF_ALU32_IMM(BPF_ADD, BPF_REG_1, -8), add32), "add32");
	CHECK(same_bytes(BPF_JMP_A(-2), ja), "ja");
	CHECK(memcmp(ld, imm64, 16) == 0, "ld_imm64");
	CHECK(memcmp(mf, mapfd, 16) == 0, "ld_map_fd");
#endif
	/* Opcode bytes of every class, independent of byte order. */
	CHECK(BPF_ALU64_IMM(BPF_NEG, 1, 0).code == 0x87, "neg64");
	CHECK(BPF_ALU32_REG(BPF_SUB, 1, 2).code == 0x1c, "sub32");
	CHECK(BPF_MOV32_IMM(1, 1).code == 0xb4, "mov32 imm");
	CHECK(BPF_MOV32_REG(1, 2).code == 0xbc, "mov32 reg");
	CHECK(BPF_JMP_REG(BPF_JSLT, 1, 2, 0).code == 0xcd, "jslt reg");
	CHECK(BPF_JMP32_REG(BPF_JNE, 1, 2, 0).code == 0x5e, "jmp32 jne reg");
	CHECK(BPF_LDX_MEM(BPF_B, 1, 2, 0).code == 0x71, "ldxb");
	CHECK(BPF_ST_MEM(BPF_H, 1, 0, 0).code == 0x6a, "sth");
	CHECK(BPF_ENDIAN(BPF_TO_LE, 1, 32).code == 0xd4, "le32");
	CHECK(BPF_LD_IMM64_RAW_1(1, 0, 0).code == 0x18, "ld_imm64");
	CHECK(BPF_LD_IMM64_RAW_2(0xffffffff00000000ULL).imm == -1, "upper half");
}

struct form {
	struct bpf_insn in;
	const char *text;
};

/* Every single-slot form with its text; also the round-trip program. */
static size_t forms(struct form *f)
{
	struct form t[] = {
		{ BPF_MOV64_REG(BPF_REG_6, BPF_REG_1), "r6 = r1" },
		{ BPF_MOV64_IMM(BPF_REG_1, 0), "r1 = 0" },
		{ BPF_MOV64_IMM(BPF_REG_1, -1), "r1 = -1" },
		{ BPF_MOV32_REG(BPF_REG_2, BPF_REG_3), "w2 = w3" },
		{ BPF_MOV32_IMM(BPF_REG_1, 5), "w1 = 5" },
		{ BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 8), "r1 += 8" },
		{ BPF_ALU64_REG(BPF_SUB, BPF_REG_2, BPF_REG_3), "r2 -= r3" },
		{ BPF_ALU64_IMM(BPF_MUL, BPF_REG_3, -4), "r3 *= -4" },
		{ BPF_ALU64_REG(BPF_DIV, BPF_REG_4, BPF_REG_5), "r4 /= r5" },
		{ BPF_ALU32_IMM(BPF_OR, BPF_REG_4, 255), "w4 |= 255" },
		{ BPF_ALU64_IMM(BPF_AND, BPF_REG_5, 15), "r5 &= 15" },
		{ BPF_ALU64_IMM(BPF_LSH, BPF_REG_1, 3), "r1 <<= 3" },
		{ BPF_ALU64_REG(BPF_RSH, BPF_REG_1, BPF_REG_2), "r1 >>= r2" },
		{ BPF_ALU64_IMM(BPF_ARSH, BPF_REG_1, 7), "r1 s>>= 7" },
		{ BPF_ALU32_IMM(BPF_MOD, BPF_REG_1, 10), "w1 %= 10" },
		{ BPF_ALU32_REG(BPF_XOR, BPF_REG_2, BPF_REG_3), "w2 ^= w3" },
		{ BPF_ALU32_REG(BPF_ADD, BPF_REG_0, BPF_REG_9), "w0 += w9" },
		{ BPF_ALU64_IMM(BPF_NEG, BPF_REG_1, 0), "r1 = -r1" },
		{ BPF_ALU32_IMM(BPF_NEG, BPF_REG_2, 0), "w2 = -w2" },
		{ BPF_ALU64_REG_OFF(BPF_DIV, BPF_REG_1, BPF_REG_2, 1), "r1 s/= r2" },
		{ BPF_ALU64_IMM_OFF(BPF_MOD, BPF_REG_1, 3, 1), "r1 s%= 3" },
		{ BPF_MOVSX64_REG(BPF_REG_1, BPF_REG_2, 8), "r1 = (s8)r2" },
		{ BPF_MOVSX32_REG(BPF_REG_1, BPF_REG_2, 16), "w1 = (s16)w2" },
		{ BPF_ENDIAN(BPF_TO_BE, BPF_REG_1, 16), "r1 = be16 r1" },
		{ BPF_ENDIAN(BPF_TO_LE, BPF_REG_1, 32), "r1 = le32 r1" },
		{ BPF_BSWAP(BPF_REG_1, 64), "r1 = bswap64 r1" },
		{ BPF_LD_ABS(BPF_B, 14), "r0 = *(u8 *)skb[14]" },
		{ BPF_LD_IND(BPF_H, BPF_REG_6, 2), "r0 = *(u16 *)skb[r6 + 2]" },
		{ BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -8),
		  "r1 = *(u64 *)(r10 -8)" },
		{ BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 16),
		  "r2 = *(u32 *)(r1 +16)" },
		{ BPF_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_1, 0),
		  "r2 = *(u8 *)(r1 +0)" },
		{ BPF_LDX_MEMSX(BPF_H, BPF_REG_3, BPF_REG_1, 2),
		  "r3 = *(s16 *)(r1 +2)" },
		{ BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_2, -4),
		  "*(u32 *)(r10 -4) = r2" },
		{ BPF_STX_MEM(BPF_H, BPF_REG_10, BPF_REG_3, -6),
		  "*(u16 *)(r10 -6) = r3" },
		{ BPF_ST_MEM(BPF_DW, BPF_REG_10, -16, 0), "*(u64 *)(r10 -16) = 0" },
		{ BPF_ST_MEM(BPF_B, BPF_REG_10, -1, -1), "*(u8 *)(r10 -1) = -1" },
		{ BPF_STX_XADD(BPF_DW, BPF_REG_1, BPF_REG_2, 0),
		  "lock *(u64 *)(r1 +0) += r2" },
		{ BPF_ATOMIC_OP(BPF_W, BPF_OR, BPF_REG_1, BPF_REG_3, 4),
		  "lock *(u32 *)(r1 +4) |= r3" },
		{ BPF_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, BPF_REG_1, BPF_REG_2, 0),
		  "r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)" },
		{ BPF_ATOMIC_OP(BPF_W, BPF_XOR | BPF_FETCH, BPF_REG_1, BPF_REG_3, 8),
		  "r3 = atomic_fetch_xor((u32 *)(r1 +8), r3)" },
		{ BPF_ATOMIC_OP(BPF_DW, BPF_XCHG, BPF_REG_1, BPF_REG_4, 0),
		  "r4 = atomic64_xchg((u64 *)(r1 +0), r4)" },
		{ BPF_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, BPF_REG_1, BPF_REG_5, 0),
		  "r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r5)" },
		{ BPF_JMP_IMM(BPF_JGT, BPF_REG_1, 3, 5), "if r1 > 0x3 goto pc+5" },
		{ BPF_JMP_REG(BPF_JSLT, BPF_REG_1, BPF_REG_2, -3),
		  "if r1 s< r2 goto pc-3" },
		{ BPF_JMP32_IMM(BPF_JEQ, BPF_REG_1, 1, 1), "if w1 == 0x1 goto pc+1" },
		{ BPF_JMP_IMM(BPF_JSET, BPF_REG_1, -1, 0),
		  "if r1 & 0xffffffff goto pc+0" },
		{ BPF_JMP32_REG(BPF_JNE, BPF_REG_2, BPF_REG_3, -10),
		  "if w2 != w3 goto pc-10" },
		{ BPF_JMP_IMM(BPF_JSGE, BPF_REG_1, 0, 2), "if r1 s>= 0x0 goto pc+2" },
		{ BPF_JMP_REG(BPF_JLE, BPF_REG_1, BPF_REG_2, 1),
		  "if r1 <= r2 goto pc+1" },
		{ BPF_JMP_IMM(BPF_JGE, BPF_REG_1, 16, 1), "if r1 >= 0x10 goto pc+1" },
		{ BPF_JMP_IMM(BPF_JLT, BPF_REG_1, 2, 1), "if r1 < 0x2 goto pc+1" },
		{ BPF_JMP_REG(BPF_JSLE, BPF_REG_1, BPF_REG_2, 1),
		  "if r1 s<= r2 goto pc+1" },
		{ BPF_JMP_IMM(BPF_JSGT, BPF_REG_1, 0x7fffffff, 1),
		  "if r1 s> 0x7fffffff goto pc+1" },
		{ BPF_JMP32_REG(BPF_JGT, BPF_REG_4, BPF_REG_5, 7),
		  "if w4 > w5 goto pc+7" },
		{ BPF_JMP_A(2), "goto pc+2" },
		{ BPF_JMP_A(-1), "goto pc-1" },
		{ BPF_JMP32_A(100000), "gotol pc+100000" },
		{ BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		  "call bpf_map_lookup_elem#1" },
		{ BPF_EMIT_CALL(BPF_FUNC_ringbuf_output), "call bpf_ringbuf_output#130" },
		{ BPF_EMIT_CALL(999), "call #999" },
		{ BPF_CALL_REL(3), "call pc+3" },
		{ BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 12345),
		  "call kfunc#12345" },
		{ BPF_EXIT_INSN(), "exit" },
	};

	memcpy(f, t, sizeof(t));
	return sizeof(t) / sizeof(t[0]);
}

static void test_format(void)
{
	struct form f[80];
	size_t i, n = forms(f);
	char buf[128];

	for (i = 0; i < n; i++)
		CHECK_STR(fmt(f[i].in), f[i].text);

	/* Two-slot loads take the whole value in imm64. */
	asm_format(buf, sizeof(buf), BPF_LD_IMM64_CODE, 1, 0, 0, 0x1234,
		   0x1234, NULL);
	CHECK_STR(buf, "r1 = 0x1234 ll");
	asm_format(buf, sizeof(buf), BPF_LD_IMM64_CODE, 1, 0, 0, -1, -1, NULL);
	CHECK_STR(buf, "r1 = 0xffffffffffffffff ll");
	asm_format(buf, sizeof(buf), BPF_LD_IMM64_CODE, 2, BPF_PSEUDO_MAP_FD,
		   0, 5, 5, NULL);
	CHECK_STR(buf, "r2 = map[id:5]");
	asm_format(buf, sizeof(buf), BPF_LD_IMM64_CODE, 2, BPF_PSEUDO_MAP_VALUE,
		   0, 5, 5 | (16LL << 32), NULL);
	CHECK_STR(buf, "r2 = map[id:5][0]+16");

	/* Labels instead of offsets, as the IR printer asks. */
	asm_format(buf, sizeof(buf), BPF_JMP | BPF_JGT | BPF_K, 1, 0, 0, 3, 3,
		   "L5");
	CHECK_STR(buf, "if r1 > 0x3 goto L5");
	asm_format(buf, sizeof(buf), BPF_JMP | BPF_JA, 0, 0, 0, 0, 0, "L5");
	CHECK_STR(buf, "goto L5");

	/* Virtual registers of the IR. */
	asm_format(buf, sizeof(buf), BPF_ALU64 | BPF_MOV | BPF_X, 16, 17, 0, 0,
		   0, NULL);
	CHECK_STR(buf, "v16 = v17");
	asm_format(buf, sizeof(buf), BPF_ALU | BPF_ADD | BPF_X, 16, 3, 0, 0, 0,
		   NULL);
	CHECK_STR(buf, "wv16 += w3");
	asm_format(buf, sizeof(buf), BPF_LDX | BPF_MEM | BPF_W, 20, 1, 16, 0, 0,
		   NULL);
	CHECK_STR(buf, "v20 = *(u32 *)(r1 +16)");
	asm_format(buf, sizeof(buf), BPF_JMP | BPF_JNE | BPF_K, 16, 0, 0, 42,
		   42, "L2");
	CHECK_STR(buf, "if v16 != 0x2a goto L2");
	asm_format(buf, sizeof(buf), BPF_LD_IMM64_CODE, 18, 0, 0, 7, 7, NULL);
	CHECK_STR(buf, "v18 = 0x7 ll");

	/* Opcodes that mean nothing say so rather than print garbage. */
	CHECK_STR(fmt(BPF_RAW_INSN(BPF_ALU64 | 0xe0 | BPF_X, 1, 2, 0, 0)),
		  "(invalid opcode 0xef)");
	CHECK_STR(fmt(BPF_RAW_INSN(BPF_LDX | BPF_IMM | BPF_W, 1, 2, 0, 0)),
		  "(invalid opcode 0x01)");
}

static void test_helpers(void)
{
	/* Every name the installed header knows, at the header's id. */
#define WISP_HELPER(name, ...) { BPF_FUNC_##name, #name }
	static const struct {
		int id;
		const char *name;
	} known[] = { __BPF_FUNC_MAPPER(WISP_HELPER) };
#undef WISP_HELPER
	size_t i;

	for (i = 1; i < sizeof(known) / sizeof(known[0]); i++)
		CHECK_STR(asm_helper_name(known[i].id), known[i].name);
	CHECK(sizeof(known) / sizeof(known[0]) > 200, "header lists %zu",
	      sizeof(known) / sizeof(known[0]));

	CHECK_STR(asm_helper_name(1), "map_lookup_elem");
	CHECK_STR(asm_helper_name(211), "cgrp_storage_delete");
	CHECK(asm_helper_name(0) == NULL, "unspec is not a helper");
	CHECK(asm_helper_name(212) == NULL, "past the end");
	CHECK(asm_helper_name(-1) == NULL, "negative");
}

static void test_labels(void)
{
	struct asm_prog p;
	char *err = NULL;
	struct capture c;
	char *text;

	asm_init(&p);
	/* 0: forward jump to L1 (pc 3), 3: backward jump to L0 (pc 1) */
	asm_emit_jump(&p, BPF_JMP_IMM(BPF_JEQ, BPF_REG_1, 0, 0), 1, noloc);
	asm_place_label(&p, 0);
	asm_emit(&p, BPF_MOV64_IMM(BPF_REG_0, 1), noloc);
	asm_emit_ld_imm64(&p, BPF_REG_2, 0x100000000ULL, noloc);
	asm_place_label(&p, 1);
	asm_place_label(&p, 1); /* twice at the same place is harmless */
	asm_emit_jump(&p, BPF_JMP_REG(BPF_JNE, BPF_REG_1, BPF_REG_2, 99), 0,
		      noloc);
	asm_emit_jump(&p, BPF_JMP_A(0), 2, noloc);
	asm_place_label(&p, 2);
	asm_emit(&p, BPF_EXIT_INSN(), noloc);
	CHECK(asm_finish(&p, &err) == 0, "%s", err ? err : "");
	CHECK(p.n == 7, "n = %zu", p.n);
	CHECK(p.insns[0].off == 3, "forward off %d", p.insns[0].off);
	CHECK(p.insns[4].off == -4, "backward off %d", p.insns[4].off);
	CHECK(p.insns[5].off == 0, "next off %d", p.insns[5].off);

	memout_start(&c);
	asm_disasm(&p, c.f, NULL, NULL);
	text = memout_end(&c);
	CHECK_STR(text, "   0: if r1 == 0x0 goto pc+3\n"
			"   1: r0 = 1\n"
			"   2: r2 = 0x100000000 ll\n"
			"   4: if r1 != r2 goto pc-4\n"
			"   5: goto pc+0\n"
			"   6: exit\n");
	free(text);
	asm_free(&p);
	CHECK(p.n == 0 && p.insns == NULL, "asm_free resets");
}

static void test_label_errors(void)
{
	struct asm_prog p;
	char *err = NULL;
	int i;

	/* A label nobody placed. */
	asm_init(&p);
	asm_emit(&p, BPF_MOV64_IMM(BPF_REG_0, 0), noloc);
	asm_emit_jump(&p, BPF_JMP_IMM(BPF_JGT, BPF_REG_1, 3, 0), 7, noloc);
	asm_emit(&p, BPF_EXIT_INSN(), noloc);
	CHECK(asm_finish(&p, &err) == -1, "unplaced label accepted");
	CHECK_STR(err, "instruction 1 (if r1 > 0x3 goto L7): label L7 is never placed");
	free(err);
	asm_free(&p);

	/* A forward jump over 40000 instructions. */
	asm_init(&p);
	asm_emit_jump(&p, BPF_JMP_A(0), 1, noloc);
	for (i = 0; i < 40000; i++)
		asm_emit(&p, BPF_MOV64_IMM(BPF_REG_0, 0), noloc);
	asm_place_label(&p, 1);
	asm_emit(&p, BPF_EXIT_INSN(), noloc);
	CHECK(asm_finish(&p, &err) == -1, "far forward jump accepted");
	CHECK_STR(err, "instruction 0 (goto L1): label L1 is 40000 instructions away, out of the 16-bit jump range (-32768..32767)");
	free(err);
	asm_free(&p);

	/* Backward: -32768 is the last offset that fits. */
	asm_init(&p);
	asm_place_label(&p, 0);
	for (i = 0; i < 32767; i++)
		asm_emit(&p, BPF_MOV64_IMM(BPF_REG_0, 0), noloc);
	asm_emit_jump(&p, BPF_JMP_A(0), 0, noloc);
	asm_emit(&p, BPF_EXIT_INSN(), noloc);
	CHECK(asm_finish(&p, &err) == 0, "%s", err ? err : "");
	CHECK(p.insns[32767].off == -32768, "off %d", p.insns[32767].off);
	asm_free(&p);

	asm_init(&p);
	asm_place_label(&p, 0);
	for (i = 0; i < 32768; i++)
		asm_emit(&p, BPF_MOV64_IMM(BPF_REG_0, 0), noloc);
	asm_emit_jump(&p, BPF_JMP_REG(BPF_JEQ, BPF_REG_1, BPF_REG_2, 0), 0,
		      noloc);
	asm_emit(&p, BPF_EXIT_INSN(), noloc);
	CHECK(asm_finish(&p, &err) == -1, "far backward jump accepted");
	CHECK_STR(err, "instruction 32768 (if r1 == r2 goto L0): label L0 is -32769 instructions away, out of the 16-bit jump range (-32768..32767)");
	free(err);
	asm_free(&p);

	/* A label placed at two different instructions. */
	asm_init(&p);
	asm_place_label(&p, 3);
	asm_emit(&p, BPF_MOV64_IMM(BPF_REG_0, 0), noloc);
	asm_place_label(&p, 3);
	asm_emit_jump(&p, BPF_JMP_A(0), 3, noloc);
	asm_emit(&p, BPF_EXIT_INSN(), noloc);
	CHECK(asm_finish(&p, &err) == -1, "label placed twice accepted");
	CHECK_STR(err, "instruction 1 (goto L3): label L3 is placed twice");
	free(err);
	asm_free(&p);

	/* A label after the last instruction leads nowhere. */
	asm_init(&p);
	asm_emit_jump(&p, BPF_JMP_A(0), 0, noloc);
	asm_place_label(&p, 0);
	CHECK(asm_finish(&p, &err) == -1, "jump off the end accepted");
	CHECK_STR(err, "instruction 0 (goto L0): label L0 is after the last instruction");
	free(err);
	asm_free(&p);
}

static const char *map_names(int map, void *ctx)
{
	static const char *const names[] = { "@counts", "@", "@events" };

	return map >= 0 && map < 3 ? names[map] : NULL;
}

static void test_maps(void)
{
	static const int fds[] = { 5, 7, 9, 11 };
	struct asm_prog p;
	struct capture c;
	char *err, *text;
	struct loc l1 = { NULL, 3, 14 };

	asm_init(&p);
	asm_emit_ld_map(&p, BPF_REG_1, 0, l1);
	asm_emit(&p, BPF_MOV64_REG(BPF_REG_2, BPF_REG_10), noloc);
	asm_emit_ld_map(&p, BPF_REG_3, 2, noloc);
	asm_emit_ld_map(&p, BPF_REG_4, 3, noloc);
	asm_emit_ld_map_value(&p, BPF_REG_5, 1, 24, noloc);
	asm_emit_ld_map_value(&p, BPF_REG_0, 3, 0, noloc);
	asm_emit(&p, BPF_EXIT_INSN(), noloc);
	CHECK(asm_finish(&p, &err) == 0, "%s", err);
	CHECK(p.n == 12 && p.nrelocs == 5, "n %zu relocs %zu", p.n, p.nrelocs);
	CHECK(p.locs[0].line == 3 && p.locs[1].col == 14, "locations kept");

	memout_start(&c);
	asm_disasm(&p, c.f, map_names, NULL);
	text = memout_end(&c);
	CHECK_STR(text, "   0: r1 = map[@counts]\n"
			"   2: r2 = r10\n"
			"   3: r3 = map[@events]\n"
			"   5: r4 = map[#3]\n"
			"   7: r5 = map[@][0]+24\n"
			"   9: r0 = map[#3][0]+0\n"
			"  11: exit\n");
	free(text);

	asm_relocate_maps(&p, fds);
	CHECK(p.insns[0].src_reg == BPF_PSEUDO_MAP_FD && p.insns[0].imm == fds[0],
	      "map 0: src %d imm %d", p.insns[0].src_reg, p.insns[0].imm);
	CHECK(p.insns[3].src_reg == BPF_PSEUDO_MAP_FD && p.insns[3].imm == fds[2],
	      "map 1: src %d imm %d", p.insns[3].src_reg, p.insns[3].imm);
	CHECK(p.insns[4].imm == 0 && p.insns[4].code == 0, "second slot");
	CHECK(p.insns[5].imm == fds[3], "map 3");
	/* value loads: the fd in the first slot, the offset in the second */
	CHECK(p.insns[7].src_reg == BPF_PSEUDO_MAP_VALUE && p.insns[7].imm == fds[1] &&
	      p.insns[8].imm == 24 && p.insns[8].code == 0,
	      "value of map 1: src %d imm %d off %d", p.insns[7].src_reg,
	      p.insns[7].imm, p.insns[8].imm);
	CHECK(p.insns[9].src_reg == BPF_PSEUDO_MAP_VALUE && p.insns[9].imm == fds[3] &&
	      p.insns[10].imm == 0, "value of map 3");

	memout_start(&c);
	asm_disasm_insns(p.insns, p.n, c.f);
	text = memout_end(&c);
	CHECK_STR(text, "   0: r1 = map[id:5]\n"
			"   2: r2 = r10\n"
			"   3: r3 = map[id:9]\n"
			"   5: r4 = map[id:11]\n"
			"   7: r5 = map[id:7][0]+24\n"
			"   9: r0 = map[id:11][0]+0\n"
			"  11: exit\n");
	free(text);
	asm_free(&p);
}

/* The round-trip program: every single-slot form plus the two-slot ones. */
static size_t program(struct bpf_insn *out, char *text, size_t len)
{
	struct form f[80];
	size_t i, n = forms(f), k = 0, pos = 0;
	struct bpf_insn two[] = {
		BPF_LD_IMM64(BPF_REG_1, 0x1122334455667788ULL),
		BPF_LD_MAP_FD(BPF_REG_2, 7),
		BPF_LD_IMM64_RAW(BPF_REG_3, BPF_PSEUDO_MAP_VALUE,
				 7 | (16ULL << 32)),
		BPF_LD_IMM64(BPF_REG_4, -2),
	};
	static const char *const two_text[] = {
		"r1 = 0x1122334455667788 ll",
		"r2 = map[id:7]",
		"r3 = map[id:7][0]+16",
		"r4 = 0xfffffffffffffffe ll",
	};

	for (i = 0; i < n; i++) {
		/* Put a two-slot load every 16 forms, not all at the end. */
		if (i % 16 == 8 && i / 16 < 4) {
			out[k++] = two[2 * (i / 16)];
			out[k++] = two[2 * (i / 16) + 1];
			pos += snprintf(text + pos, len - pos, "%s\n",
					two_text[i / 16]);
		}
		out[k++] = f[i].in;
		pos += snprintf(text + pos, len - pos, "%s\n", f[i].text);
	}
	return k;
}

static void test_round_trip(void)
{
	struct bpf_insn prog[100], *parsed = NULL, *again = NULL;
	char text[8192], *dump, *dump2, *err = NULL;
	struct capture c;
	long n, m;
	size_t k = program(prog, text, sizeof(text));

	CHECK(k >= 40, "program has %zu slots", k);

	/* text -> insns: exactly the bytes the macros build */
	n = asm_parse(text, &parsed, &err);
	CHECK(n == (long)k, "parsed %ld of %zu: %s", n, k, err ? err : "");
	CHECK(n == (long)k && memcmp(parsed, prog, k * sizeof(*prog)) == 0,
	      "text -> insns differs");
	free(err);

	/* insns -> text -> insns, "pc:" prefixes and all */
	memout_start(&c);
	asm_disasm_insns(prog, k, c.f);
	dump = memout_end(&c);
	m = asm_parse(dump, &again, &err);
	CHECK(m == (long)k && memcmp(again, prog, k * sizeof(*prog)) == 0,
	      "insns -> text -> insns differs: %s", err ? err : "");
	free(err);

	/* text -> insns -> text */
	memout_start(&c);
	asm_disasm_insns(again, m > 0 ? m : 0, c.f);
	dump2 = memout_end(&c);
	CHECK_STR(dump2, dump);

	free(dump);
	free(dump2);
	free(parsed);
	free(again);
}

/* A subprogram's address (bpf_for_each_map_elem's callback) prints as
 * "func pc+N" and parses back: "0x6 ll" would lose BPF_PSEUDO_FUNC. */
static void test_pseudo_func(void)
{
	const struct bpf_insn prog[] = {
		BPF_LD_IMM64_RAW_1(BPF_REG_2, BPF_PSEUDO_FUNC, 6),
		BPF_LD_IMM64_RAW_2(0),
		BPF_LD_IMM64_RAW_1(BPF_REG_3, BPF_PSEUDO_FUNC, -3),
		BPF_LD_IMM64_RAW_2(0),
		BPF_EXIT_INSN(),
	};
	struct bpf_insn *back = NULL;
	struct capture c;
	char *text, *err = NULL;
	long n;

	memout_start(&c);
	asm_disasm_insns(prog, 5, c.f);
	text = memout_end(&c);
	CHECK_STR(text, "   0: r2 = func pc+6\n"
			"   2: r3 = func pc-3\n"
			"   4: exit\n");
	n = asm_parse(text, &back, &err);
	CHECK(n == 5 && !memcmp(back, prog, sizeof(prog)),
	      "func pc+N assembles back: %ld %s", n, err ? err : "");
	free(back);
	free(err);
	free(text);
	n = asm_parse("w2 = func pc+1", &back, &err);
	CHECK(n == -1, "a 32-bit func load is refused");
	free(back);
	free(err);
}

static void test_parse_errors(void)
{
	static const char *const bad[] = {
		"r1 = ",
		"r11 = 1",
		"w1 = r2",
		"r1 += w2",
		"if r1 > 0x3 goto +5",
		"goto pc+40000",
		"*(u128 *)(r10 -8) = 0",
		"r1 = *(u64 *)(r10 -8) junk",
		"r1 = be16 r2",
		"w1 = 0x1 ll",
		"r2 = atomic64_xchg((u64 *)(r1 +0), r3)",
		"lock *(u64 *)(r1 +0) -= r2",
		"r1 = -r2",
		"nop",
	};
	struct bpf_insn *out;
	char *err;
	size_t i;
	long n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = asm_parse(bad[i], &out, &err);
		CHECK(n == -1 && err && out == NULL, "accepted: %s", bad[i]);
		free(err);
	}
	n = asm_parse("r0 = 0\n\n; a comment\n  exit\nfoo\n", &out, &err);
	CHECK(n == -1, "bad line accepted");
	CHECK_STR(err, "line 5: not an instruction: foo");
	free(err);

	n = asm_parse("   0: r0 = 0\n   1: exit\n", &out, &err);
	CHECK(n == 2 && out[1].code == (BPF_JMP | BPF_EXIT), "pc prefixes");
	free(out);
}

/* asm_unreachable: what the verifier's "unreachable insn" would find. */
static void test_unreachable(void)
{
	/* the jump over an else arm whose then arm ended in exit */
	const struct bpf_insn both_exit[] = {
		BPF_JMP_IMM(BPF_JSLE, BPF_REG_1, 1, 3),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_JMP_A(2), /* 3: after exit, and no jump lands here */
		BPF_MOV64_IMM(BPF_REG_0, 1),
		BPF_EXIT_INSN(),
	};
	/* every kind of edge: conditional, ja, gotol, the second slot of a
	 * 64-bit immediate, a callback loaded with BPF_PSEUDO_FUNC and a
	 * bpf-to-bpf call */
	const struct bpf_insn all_reached[] = {
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_1, 0, 1),
		BPF_JMP_A(1),
		BPF_JMP32_A(0),
		BPF_LD_IMM64(BPF_REG_2, 0x1122334455667788ULL),
		BPF_LD_IMM64_RAW(BPF_REG_2, BPF_PSEUDO_FUNC, 4), /* 5: to 10 */
		BPF_CALL_REL(3),                                 /* 7: to 11 */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),                     /* 10 */
		BPF_EXIT_INSN(),                                 /* 11 */
	};
	struct bpf_insn p[12];
	long pc;

	pc = asm_unreachable(both_exit, 6);
	CHECK(pc == 3, "got %ld", pc);
	pc = asm_unreachable(both_exit, 3);
	CHECK(pc == -1, "got %ld", pc);
	pc = asm_unreachable(all_reached, 12);
	CHECK(pc == -1, "got %ld", pc);
	/* a plain constant instead of the callback's address: only the
	 * call reaches 11, nothing 10 */
	memcpy(p, all_reached, sizeof(p));
	p[5].src_reg = 0;
	pc = asm_unreachable(p, 12);
	CHECK(pc == 10, "got %ld", pc);
	/* no call either: 11 only through 10, which the callback reaches */
	memcpy(p, all_reached, sizeof(p));
	p[7] = BPF_MOV64_IMM(BPF_REG_0, 0);
	pc = asm_unreachable(p, 12);
	CHECK(pc == -1, "got %ld", pc);
	/* the jump to 2 gone: gotol's slot is reached by nothing */
	memcpy(p, all_reached, sizeof(p));
	p[0] = BPF_MOV64_IMM(BPF_REG_0, 0);
	pc = asm_unreachable(p, 12);
	CHECK(pc == 2, "got %ld", pc);
	pc = asm_unreachable(NULL, 0);
	CHECK(pc == -1, "empty: got %ld", pc);
}

int main(void)
{
	test_encoding();
	test_format();
	test_helpers();
	test_labels();
	test_label_errors();
	test_maps();
	test_round_trip();
	test_pseudo_func();
	test_parse_errors();
	test_unreachable();
	return unit_done("test_asm");
}
