/* test_stack.c - the frame passes of src/ir/stack.c (ir_stack_opt,
 * ir_frame_loads) alone, on hand-built IR, for what test_opt.c leaves
 * out: loads forwarded from immediates and u32 slots, and not from u8/u16
 * slots, other sizes or a register written since; and the stores the
 * passes must keep: under a buffer a helper may leave partly unwritten
 * (get_current_comm, probe_read_str) or fills with an unknown length,
 * above a key whose map's size is unknown, read through a register that
 * may hold any frame address, read by an atomic operation, read on one
 * path only, stored again where paths that left different values meet,
 * in a loop whose body changed the slot, or after a helper wrote over
 * it. */
#include <stdlib.h>

#include <linux/bpf.h>

#include "ir/ir.h"
#include "unit.h"
#include "unit_ir.h"

#define ALU64X(op) (BPF_ALU64 | (op) | BPF_X)
#define ALU64K(op) (BPF_ALU64 | (op) | BPF_K)

#define STX(sz, base, src, off) ir_emit(&f, BPF_STX | BPF_MEM | (sz), base, src, off, 0)
#define ST(sz, base, off, imm) ir_emit(&f, BPF_ST | BPF_MEM | (sz), base, IR_NOREG, off, imm)
#define LDX(sz, dst, base, off) ir_emit(&f, BPF_LDX | BPF_MEM | (sz), dst, base, off, 0)
#define MOVK(dst, imm) ir_emit(&f, ALU64K(BPF_MOV), dst, IR_NOREG, 0, imm)
#define EXIT() do { MOVK(BPF_REG_0, 0); \
		    ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0); } while (0)

#define RET "\tr0 = 0\n\texit\n"

/* r<reg> = r10 + off, a helper's pointer argument */
static void frame_arg(struct ir_func *f, int reg, int off)
{
	ir_emit(f, ALU64X(BPF_MOV), reg, BPF_REG_10, 0, 0);
	ir_emit(f, ALU64K(BPF_ADD), reg, IR_NOREG, 0, off);
}

/* map 0: 8-byte keys and values */
static void sizes8(int map, unsigned *key, unsigned *val, void *ctx)
{
	(void)map;
	(void)ctx;
	*key = *val = 8;
}

/* map_lookup_elem(map 0, r10 + off) */
static void lookup(struct ir_func *f, int off)
{
	ir_ldmap(f, BPF_REG_1, 0);
	frame_arg(f, BPF_REG_2, off);
	ir_call(f, BPF_FUNC_map_lookup_elem, 2);
}

#define LOOKUP(off) "\tr1 = map[0]\n\tr2 = r10\n\tr2 += " #off "\n" \
		    "\tcall bpf_map_lookup_elem#1\n"

/* Runs ir_stack_opt on f and compares the text; frees f. */
static void check_opt(struct ir_func *fp, const char *want)
{
	char *text;

	ir_stack_opt(fp);
	text = ir_text(fp);
	CHECK_STR(text, want);
	free(text);
	ir_free(fp);
}

/* A load of a slot holding an immediate is the immediate (u64: a 64-bit
 * move, u32: a 32-bit one, which zero-extends as the load does); the
 * stores then have no reader left and go. */
static void test_forward_imm(void)
{
	struct ir_func f;
	int a, b;

	ir_init(&f);
	a = ir_vreg(&f);
	b = ir_vreg(&f);
	ST(BPF_DW, BPF_REG_10, -8, 5);
	ST(BPF_W, BPF_REG_10, -12, -1);
	LDX(BPF_DW, a, BPF_REG_10, -8);
	LDX(BPF_W, b, BPF_REG_10, -12);
	ir_emit(&f, ALU64X(BPF_ADD), a, b, 0, 0);
	ir_emit(&f, ALU64X(BPF_MOV), BPF_REG_0, a, 0, 0);
	ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	check_opt(&f, "\tv16 = 5\n"
		      "\twv17 = -1\n"
		      "\tv16 += v17\n"
		      "\tr0 = v16\n"
		      "\texit\n");
}

/* Not forwarded, so the stores stay: a u16 or u8 load, a load of
 * another size or offset than the store, a load after the stored
 * register was written again; a u32 store of a register, forwarded. */
static void test_forward_not(void)
{
	struct ir_func f;
	int v, a, b, c, d, e;

	ir_init(&f);
	v = ir_vreg(&f);
	a = ir_vreg(&f);
	b = ir_vreg(&f);
	c = ir_vreg(&f);
	d = ir_vreg(&f);
	e = ir_vreg(&f);
	LDX(BPF_DW, v, BPF_REG_1, 0);
	ST(BPF_H, BPF_REG_10, -2, 7);
	ST(BPF_B, BPF_REG_10, -3, 1);
	ST(BPF_DW, BPF_REG_10, -16, 9);
	STX(BPF_DW, BPF_REG_10, v, -24);
	STX(BPF_W, BPF_REG_10, v, -28);
	LDX(BPF_H, a, BPF_REG_10, -2);
	LDX(BPF_B, b, BPF_REG_10, -3);
	LDX(BPF_W, c, BPF_REG_10, -16);
	LDX(BPF_W, e, BPF_REG_10, -28);
	ir_emit(&f, ALU64K(BPF_ADD), v, IR_NOREG, 0, 1);
	LDX(BPF_DW, d, BPF_REG_10, -24);
	ir_emit(&f, ALU64X(BPF_ADD), a, b, 0, 0);
	ir_emit(&f, ALU64X(BPF_ADD), a, c, 0, 0);
	ir_emit(&f, ALU64X(BPF_ADD), a, d, 0, 0);
	ir_emit(&f, ALU64X(BPF_ADD), a, e, 0, 0);
	ir_emit(&f, ALU64X(BPF_MOV), BPF_REG_0, a, 0, 0);
	ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	check_opt(&f, "\tv16 = *(u64 *)(r1 +0)\n"
		      "\t*(u16 *)(r10 -2) = 7\n"
		      "\t*(u8 *)(r10 -3) = 1\n"
		      "\t*(u64 *)(r10 -16) = 9\n"
		      "\t*(u64 *)(r10 -24) = v16\n"
		      "\tv17 = *(u16 *)(r10 -2)\n"
		      "\tv18 = *(u8 *)(r10 -3)\n"
		      "\tv19 = *(u32 *)(r10 -16)\n"
		      "\twv21 = wv16\n"
		      "\tv16 += 1\n"
		      "\tv20 = *(u64 *)(r10 -24)\n"
		      "\tv17 += v18\n"
		      "\tv17 += v19\n"
		      "\tv17 += v20\n"
		      "\tv17 += v21\n"
		      "\tr0 = v17\n"
		      "\texit\n");
}

/* A key zeroed, then a helper writes the buffer: bpf_get_current_comm
 * and probe_read_str may leave bytes after the string unwritten, so the
 * zeroes stay; probe_read of a length only known at run time, too. The
 * same with probe_read_kernel of 16 bytes: the zeroes go. */
static void test_partial_writers(void)
{
	static const struct {
		int32_t helper;
		bool const_len;
		bool keep;
		const char *call;
	} cases[] = {
		{ BPF_FUNC_get_current_comm, true, true, "\tcall bpf_get_current_comm#16\n" },
		{ BPF_FUNC_probe_read_str, true, true, "\tcall bpf_probe_read_str#45\n" },
		{ BPF_FUNC_probe_read_kernel, false, true, "\tcall bpf_probe_read_kernel#113\n" },
		{ BPF_FUNC_probe_read_kernel, true, false, "\tcall bpf_probe_read_kernel#113\n" },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct ir_func f;
		char want[1024];
		int n;

		ir_init(&f);
		n = ir_vreg(&f);
		LDX(BPF_DW, n, BPF_REG_1, 0);
		ST(BPF_DW, BPF_REG_10, -16, 0);
		ST(BPF_DW, BPF_REG_10, -8, 0);
		frame_arg(&f, BPF_REG_1, -16);
		if (cases[k].const_len)
			MOVK(BPF_REG_2, 16);
		else
			ir_emit(&f, ALU64X(BPF_MOV), BPF_REG_2, n, 0, 0);
		ir_emit(&f, ALU64X(BPF_MOV), BPF_REG_3, n, 0, 0);
		ir_call(&f, cases[k].helper, cases[k].helper == BPF_FUNC_get_current_comm ? 2 : 3);
		lookup(&f, -16);
		EXIT();
		snprintf(want, sizeof(want),
			 "\tv16 = *(u64 *)(r1 +0)\n"
			 "%s"
			 "\tr1 = r10\n"
			 "\tr1 += -16\n"
			 "\tr2 = %s\n"
			 "\tr3 = v16\n"
			 "%s"
			 LOOKUP(-16)
			 RET,
			 cases[k].keep ? "\t*(u64 *)(r10 -16) = 0\n\t*(u64 *)(r10 -8) = 0\n" : "",
			 cases[k].const_len ? "16" : "v16", cases[k].call);
		/* the lookup reads 16 bytes when the map's key has them */
		f.map_sizes = NULL;
		check_opt(&f, want);
	}
}

/* How many bytes a lookup reads: the key size of its map when known;
 * else every byte from the key to the frame's top, so a store above the
 * key stays. */
static void test_key_size(void)
{
	for (int known = 0; known <= 1; known++) {
		struct ir_func f;
		char want[512];

		ir_init(&f);
		if (known)
			f.map_sizes = sizes8;
		ST(BPF_DW, BPF_REG_10, -8, 1);
		ST(BPF_DW, BPF_REG_10, -16, 2);
		lookup(&f, -16);
		EXIT();
		snprintf(want, sizeof(want), "%s\t*(u64 *)(r10 -16) = 2\n" LOOKUP(-16) RET,
			 known ? "" : "\t*(u64 *)(r10 -8) = 1\n");
		check_opt(&f, want);
	}
}

/* A load through a register that may hold any frame address reads every
 * byte; so does an atomic add to a slot (it reads the slot first). */
static void test_unknown_readers(void)
{
	struct ir_func f;
	int p, v, w;

	ir_init(&f);
	p = ir_vreg(&f);
	v = ir_vreg(&f);
	w = ir_vreg(&f);
	LDX(BPF_DW, w, BPF_REG_1, 0);
	ST(BPF_DW, BPF_REG_10, -8, 1);
	ST(BPF_DW, BPF_REG_10, -16, 2);
	ir_emit(&f, ALU64X(BPF_MOV), p, BPF_REG_10, 0, 0);
	ir_emit(&f, ALU64X(BPF_ADD), p, w, 0, 0);
	LDX(BPF_DW, v, p, 0);
	ir_emit(&f, ALU64X(BPF_MOV), BPF_REG_0, v, 0, 0);
	ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	check_opt(&f, "\tv18 = *(u64 *)(r1 +0)\n"
		      "\t*(u64 *)(r10 -8) = 1\n"
		      "\t*(u64 *)(r10 -16) = 2\n"
		      "\tv16 = r10\n"
		      "\tv16 += v18\n"
		      "\tv17 = *(u64 *)(v16 +0)\n"
		      "\tr0 = v17\n"
		      "\texit\n");

	ir_init(&f);
	v = ir_vreg(&f);
	LDX(BPF_DW, v, BPF_REG_1, 0);
	ST(BPF_DW, BPF_REG_10, -8, 0);
	ir_emit(&f, BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_10, v, -8, BPF_ADD);
	lookup(&f, -8);
	EXIT();
	ir_stack_opt(&f);
	CHECK(f.n == 9 && f.insns[1].code == (BPF_ST | BPF_MEM | BPF_DW) &&
	      f.insns[1].off == -8 && f.insns[2].code == (BPF_STX | BPF_ATOMIC | BPF_DW),
	      "the store under an atomic add stays (%zu instructions)", f.n);
	ir_free(&f);
}

/* A store read on one path only stays; one read on no path goes. */
static void test_paths(void)
{
	struct ir_func f;
	int v, l;

	ir_init(&f);
	v = ir_vreg(&f);
	l = ir_label(&f);
	LDX(BPF_DW, v, BPF_REG_1, 0);
	ST(BPF_DW, BPF_REG_10, -8, 3);
	ST(BPF_DW, BPF_REG_10, -16, 4);
	ir_jump(&f, BPF_JMP | BPF_JEQ | BPF_K, v, IR_NOREG, 0, l);
	lookup(&f, -8);
	EXIT();
	ir_place(&f, l);
	EXIT();
	check_opt(&f, "\tv16 = *(u64 *)(r1 +0)\n"
		      "\t*(u64 *)(r10 -8) = 3\n"
		      "\tif v16 == 0x0 goto L0\n"
		      LOOKUP(-8)
		      RET
		      "L0:\n"
		      RET);
}

/* Redundant: the same immediate or register again, on every path to it,
 * goes; another immediate, a store of another size over part of the
 * slot, or a helper's write over it in between, and it stays. */
static void test_redundant(void)
{
	struct ir_func f;
	int v, l;

	ir_init(&f);
	f.map_sizes = sizes8;
	v = ir_vreg(&f);
	l = ir_label(&f);
	LDX(BPF_DW, v, BPF_REG_1, 0);
	STX(BPF_DW, BPF_REG_10, v, -8);
	lookup(&f, -8);
	ir_jump(&f, BPF_JMP | BPF_JEQ | BPF_K, v, IR_NOREG, 0, l);
	lookup(&f, -8);
	ir_place(&f, l);
	STX(BPF_DW, BPF_REG_10, v, -8);   /* both paths hold v: goes */
	lookup(&f, -8);
	ST(BPF_DW, BPF_REG_10, -8, 0);
	lookup(&f, -8);
	ST(BPF_DW, BPF_REG_10, -8, 0);    /* the same zero: goes */
	lookup(&f, -8);
	ST(BPF_DW, BPF_REG_10, -8, 1);    /* another immediate: stays */
	lookup(&f, -8);
	ST(BPF_W, BPF_REG_10, -4, 1);     /* half of the slot */
	lookup(&f, -8);
	ST(BPF_DW, BPF_REG_10, -8, 1);    /* stays */
	lookup(&f, -8);
	frame_arg(&f, BPF_REG_1, -8);
	MOVK(BPF_REG_2, 8);
	ir_emit(&f, ALU64X(BPF_MOV), BPF_REG_3, v, 0, 0);
	ir_call(&f, BPF_FUNC_probe_read_kernel, 3);
	lookup(&f, -8);
	ST(BPF_DW, BPF_REG_10, -8, 1);    /* the helper wrote there: stays */
	lookup(&f, -8);
	EXIT();
	check_opt(&f, "\tv16 = *(u64 *)(r1 +0)\n"
		      "\t*(u64 *)(r10 -8) = v16\n"
		      LOOKUP(-8)
		      "\tif v16 == 0x0 goto L0\n"
		      LOOKUP(-8)
		      "L0:\n"
		      LOOKUP(-8)
		      "\t*(u64 *)(r10 -8) = 0\n"
		      LOOKUP(-8)
		      LOOKUP(-8)
		      "\t*(u64 *)(r10 -8) = 1\n"
		      LOOKUP(-8)
		      "\t*(u32 *)(r10 -4) = 1\n"
		      LOOKUP(-8)
		      "\t*(u64 *)(r10 -8) = 1\n"
		      LOOKUP(-8)
		      "\tr1 = r10\n"
		      "\tr1 += -8\n"
		      "\tr2 = 8\n"
		      "\tr3 = v16\n"
		      "\tcall bpf_probe_read_kernel#113\n"
		      LOOKUP(-8)
		      "\t*(u64 *)(r10 -8) = 1\n"
		      LOOKUP(-8)
		      RET);
}

/* Where two paths meet, only what both hold is known: the branch taken
 * left u in the slot, the other v, so v stored after they meet stays. */
static void test_meet(void)
{
	struct ir_func f;
	int u, v, l;

	ir_init(&f);
	f.map_sizes = sizes8;
	u = ir_vreg(&f);
	v = ir_vreg(&f);
	l = ir_label(&f);
	LDX(BPF_DW, u, BPF_REG_1, 0);
	LDX(BPF_DW, v, BPF_REG_1, 8);
	STX(BPF_DW, BPF_REG_10, u, -8);
	lookup(&f, -8);
	ir_jump(&f, BPF_JMP | BPF_JEQ | BPF_K, u, IR_NOREG, 0, l);
	STX(BPF_DW, BPF_REG_10, v, -8);
	lookup(&f, -8);
	ir_place(&f, l);
	STX(BPF_DW, BPF_REG_10, v, -8);
	lookup(&f, -8);
	EXIT();
	check_opt(&f, "\tv16 = *(u64 *)(r1 +0)\n"
		      "\tv17 = *(u64 *)(r1 +8)\n"
		      "\t*(u64 *)(r10 -8) = v16\n"
		      LOOKUP(-8)
		      "\tif v16 == 0x0 goto L0\n"
		      "\t*(u64 *)(r10 -8) = v17\n"
		      LOOKUP(-8)
		      "L0:\n"
		      "\t*(u64 *)(r10 -8) = v17\n"
		      LOOKUP(-8)
		      RET);
}

/* A loop whose body stores 0, reads it, then stores 1: on the next
 * round the slot holds 1, so the store of 0 at the loop's head stays,
 * though the same 0 was stored before the loop. */
static void test_loop(void)
{
	struct ir_func f;
	int v, l;

	ir_init(&f);
	f.map_sizes = sizes8;
	v = ir_vreg(&f);
	l = ir_label(&f);
	LDX(BPF_DW, v, BPF_REG_1, 0);
	ST(BPF_DW, BPF_REG_10, -8, 0);
	lookup(&f, -8);
	ir_place(&f, l);
	ST(BPF_DW, BPF_REG_10, -8, 0);
	lookup(&f, -8);
	ST(BPF_DW, BPF_REG_10, -8, 1);
	lookup(&f, -8);
	ir_emit(&f, ALU64K(BPF_ADD), v, IR_NOREG, 0, 1);
	ir_jump(&f, BPF_JMP | BPF_JLT | BPF_K, v, IR_NOREG, 4, l);
	EXIT();
	check_opt(&f, "\tv16 = *(u64 *)(r1 +0)\n"
		      "\t*(u64 *)(r10 -8) = 0\n"
		      LOOKUP(-8)
		      "L0:\n"
		      "\t*(u64 *)(r10 -8) = 0\n"
		      LOOKUP(-8)
		      "\t*(u64 *)(r10 -8) = 1\n"
		      LOOKUP(-8)
		      "\tv16 += 1\n"
		      "\tif v16 < 0x4 goto L0\n"
		      RET);
}

/* ir_frame_loads: the bytes loads read, bit k for r10 - 512 + k; all of
 * them when a load goes through an unknown frame address, or when a frame
 * address is stored to memory. */
static void test_frame_loads(void)
{
	uint64_t bits[IR_STACK_MAX / 64];
	struct ir_func f;
	int v, p;
	bool rest_clear = true;

	ir_init(&f);
	v = ir_vreg(&f);
	LDX(BPF_DW, v, BPF_REG_10, -8);
	LDX(BPF_H, v, BPF_REG_10, -20);
	LDX(BPF_DW, v, BPF_REG_1, -64); /* the context: not the frame */
	ST(BPF_DW, BPF_REG_10, -40, 0);   /* stores read nothing */
	EXIT();
	ir_frame_loads(&f, bits);
	CHECK(bits[7] == (0xffull << 56 | 0x3ull << 44), "bytes -8..-1 and -20..-19: %#llx",
	      (unsigned long long)bits[7]);
	for (int w = 0; w < 7; w++)
		rest_clear = rest_clear && !bits[w];
	CHECK(rest_clear, "no other byte");
	ir_free(&f);

	ir_init(&f);
	v = ir_vreg(&f);
	p = ir_vreg(&f);
	LDX(BPF_DW, p, BPF_REG_1, 0);
	ir_emit(&f, ALU64X(BPF_MOV), v, BPF_REG_10, 0, 0);
	ir_emit(&f, ALU64X(BPF_ADD), v, p, 0, 0);
	LDX(BPF_B, p, v, 0);
	EXIT();
	ir_frame_loads(&f, bits);
	CHECK(bits[0] == ~0ull && bits[7] == ~0ull, "a load from r10 + a variable: every byte");
	ir_free(&f);

	ir_init(&f);
	v = ir_vreg(&f);
	ir_emit(&f, ALU64X(BPF_MOV), v, BPF_REG_10, 0, 0);
	STX(BPF_DW, BPF_REG_1, v, 0);
	EXIT();
	ir_frame_loads(&f, bits);
	CHECK(bits[0] == ~0ull && bits[3] == ~0ull,
	      "no load, but the frame's address stored: every byte");
	ir_free(&f);
}

int main(void)
{
	test_forward_imm();
	test_forward_not();
	test_partial_writers();
	test_key_size();
	test_unknown_readers();
	test_paths();
	test_redundant();
	test_meet();
	test_loop();
	test_frame_loads();
	return unit_done("test_stack");
}
