/* test_opt.c - the IR passes of src/ir/opt.c and src/ir/stack.c on
 * hand-built IR (copy propagation inside a block, not across labels, not
 * into a register an ALU operation writes; constants as immediates where
 * the verifier takes them, folding; dead code without side effects
 * removed, stores, calls and jumps kept; frame stores: dead, redundant,
 * loads forwarded, and every case where they must stay), and the tuple
 * types of src/lang/type.c (layout, interning, unification). */
#include <stdlib.h>

#include <linux/bpf.h>

#include "ir/ir.h"
#include "ir/lower.h"
#include "lang/type.h"
#include "unit.h"
#include "unit_ir.h"

#define ALU64X(op) (BPF_ALU64 | (op) | BPF_X)
#define ALU64K(op) (BPF_ALU64 | (op) | BPF_K)

#define STX_DW(base, src, off) ir_emit(&f, BPF_STX | BPF_MEM | BPF_DW, base, src, off, 0)
#define ST_DW(base, off, imm) ir_emit(&f, BPF_ST | BPF_MEM | BPF_DW, base, IR_NOREG, off, imm)
#define EXIT() do { ir_emit(&f, ALU64K(BPF_MOV), BPF_REG_0, IR_NOREG, 0, 0); \
		    ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0); } while (0)

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

/* A helper reading the frame's top 64 bytes: keeps the stores there. */
static void read_frame(struct ir_func *f)
{
	frame_arg(f, BPF_REG_1, -64);
	ir_call(f, BPF_FUNC_trace_printk, 1);
}

#define READ_FRAME "\tr1 = r10\n\tr1 += -64\n\tcall bpf_trace_printk#6\n"

/* v17 = v16; *(r10 -8) = v17; if v17 == 0 goto L0: both uses read v16,
 * the copy dies. */
static void test_copy_in_block(void)
{
	struct ir_func f;
	char *text;
	int a, b, l;

	ir_init(&f);
	a = ir_vreg(&f);
	b = ir_vreg(&f);
	l = ir_label(&f);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_DW, a, BPF_REG_1, 0, 0);
	ir_emit(&f, ALU64X(BPF_MOV), b, a, 0, 0);
	ir_emit(&f, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, b, -8, 0);
	ir_jump(&f, BPF_JMP | BPF_JEQ | BPF_K, b, IR_NOREG, 0, l);
	ir_place(&f, l);
	read_frame(&f);
	ir_emit(&f, ALU64K(BPF_MOV), BPF_REG_0, IR_NOREG, 0, 0);
	ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	ir_optimize(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\tv16 = *(u64 *)(r1 +0)\n"
			"\t*(u64 *)(r10 -8) = v16\n"
			"\tif v16 == 0x0 goto L0\n"
			"L0:\n"
			READ_FRAME
			"\tr0 = 0\n"
			"\texit\n");
	free(text);
	ir_free(&f);
}

/* A copy whose destination an ALU operation then changes: "v17 += 1"
 * must go on writing v17, and a label ends what is known. */
static void test_copy_limits(void)
{
	struct ir_func f;
	char *text;
	int a, b, l;

	ir_init(&f);
	a = ir_vreg(&f);
	b = ir_vreg(&f);
	l = ir_label(&f);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_DW, a, BPF_REG_1, 0, 0);
	ir_emit(&f, ALU64X(BPF_MOV), b, a, 0, 0);
	ir_emit(&f, ALU64K(BPF_ADD), b, IR_NOREG, 0, 1);
	ir_emit(&f, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, b, -8, 0);
	ir_emit(&f, ALU64X(BPF_MOV), b, a, 0, 0);
	ir_place(&f, l);
	ir_emit(&f, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, b, -16, 0);
	read_frame(&f);
	ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	ir_optimize(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\tv16 = *(u64 *)(r1 +0)\n"
			"\tv17 = v16\n"
			"\tv17 += 1\n"
			"\t*(u64 *)(r10 -8) = v17\n"
			"\tv17 = v16\n"
			"L0:\n"
			"\t*(u64 *)(r10 -16) = v17\n"
			READ_FRAME
			"\texit\n");
	free(text);
	ir_free(&f);
}

/* Dead code: a chain of unused values goes, a call whose result is
 * unused stays (only its copy goes), a store stays. */
static void test_dead_code(void)
{
	struct ir_func f;
	char *text;
	int a, b, c, r;

	ir_init(&f);
	a = ir_vreg(&f);
	b = ir_vreg(&f);
	c = ir_vreg(&f);
	r = ir_vreg(&f);
	ir_emit(&f, ALU64K(BPF_MOV), a, IR_NOREG, 0, 5);
	ir_emit(&f, ALU64X(BPF_MOV), b, a, 0, 0);
	ir_emit(&f, ALU64K(BPF_ADD), b, IR_NOREG, 0, 1);
	ir_ldimm64(&f, c, 1LL << 40);
	ir_emit(&f, BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, IR_NOREG, -8, 7);
	ir_call(&f, BPF_FUNC_ktime_get_ns, 0);
	ir_emit(&f, ALU64X(BPF_MOV), r, BPF_REG_0, 0, 0);
	read_frame(&f);
	ir_emit(&f, ALU64K(BPF_MOV), BPF_REG_0, IR_NOREG, 0, 0);
	ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	ir_optimize(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\t*(u64 *)(r10 -8) = 7\n"
			"\tcall bpf_ktime_get_ns#5\n"
			READ_FRAME
			"\tr0 = 0\n"
			"\texit\n");
	free(text);
	ir_free(&f);
}


/* A register set once to a constant is an immediate in a later block;
 * one known only in its block is folded there (its first value then dead)
 * and forgotten at a label; "if 5 s< v" turns round; v += 0 goes; what
 * the verifier refuses as an immediate (a division by 0, a shift by 64, a
 * 64-bit compare with a value beyond 32 bits) and a frame store the
 * program loads back stay registers. */
static void test_constants(void)
{
	struct ir_func f;
	char *text;
	int k, zero, big, sh, x, acc, w, l;

	ir_init(&f);
	k = ir_vreg(&f);
	zero = ir_vreg(&f);
	big = ir_vreg(&f);
	sh = ir_vreg(&f);
	x = ir_vreg(&f);
	acc = ir_vreg(&f);
	w = ir_vreg(&f);
	l = ir_label(&f);
	ir_emit(&f, ALU64K(BPF_MOV), k, IR_NOREG, 0, 5);
	ir_emit(&f, ALU64K(BPF_MOV), zero, IR_NOREG, 0, 0);
	ir_ldimm64(&f, big, 1LL << 40);
	ir_emit(&f, ALU64K(BPF_MOV), sh, IR_NOREG, 0, 64);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_DW, x, BPF_REG_1, 0, 0);
	ir_emit(&f, ALU64K(BPF_MOV), acc, IR_NOREG, 0, 2);
	ir_emit(&f, ALU64K(BPF_ADD), acc, IR_NOREG, 0, 32);
	ir_place(&f, l);
	ir_emit(&f, ALU64K(BPF_ADD), acc, IR_NOREG, 0, 1);
	ir_emit(&f, ALU64X(BPF_ADD), acc, k, 0, 0);
	ir_emit(&f, ALU64X(BPF_DIV), acc, zero, 0, 0);
	ir_emit(&f, ALU64X(BPF_LSH), acc, sh, 0, 0);
	ir_emit(&f, ALU64K(BPF_ADD), acc, IR_NOREG, 0, 0);
	ir_jump(&f, BPF_JMP | BPF_JSLT | BPF_X, k, x, 0, l);
	ir_jump(&f, BPF_JMP | BPF_JGT | BPF_X, x, big, 0, l);
	STX_DW(BPF_REG_10, k, -8);
	STX_DW(BPF_REG_10, k, -16);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_W, w, BPF_REG_10, -16, 0);
	STX_DW(BPF_REG_10, acc, -24);
	STX_DW(BPF_REG_10, w, -32);
	frame_arg(&f, BPF_REG_1, -32);
	ir_call(&f, BPF_FUNC_trace_printk, 1);
	EXIT();
	ir_optimize(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\tv16 = 5\n"
			"\tv17 = 0\n"
			"\tv18 = 0x10000000000 ll\n"
			"\tv19 = 64\n"
			"\tv20 = *(u64 *)(r1 +0)\n"
			"\tv21 = 34\n"
			"L0:\n"
			"\tv21 += 1\n"
			"\tv21 += 5\n"
			"\tv21 /= v17\n"
			"\tv21 <<= v19\n"
			"\tif v20 s> 0x5 goto L0\n"
			"\tif v20 > v18 goto L0\n"
			"\t*(u64 *)(r10 -8) = 5\n"
			"\t*(u64 *)(r10 -16) = v16\n"
			"\tv22 = *(u32 *)(r10 -16)\n"
			"\t*(u64 *)(r10 -24) = v21\n"
			"\t*(u64 *)(r10 -32) = v22\n"
			"\tr1 = r10\n"
			"\tr1 += -32\n"
			"\tcall bpf_trace_printk#6\n"
			"\tr0 = 0\n"
			"\texit\n");
	free(text);
	ir_free(&f);
}

/* ringbuf_output(map 0, r10 + off, size): reads just those bytes */
static void send(struct ir_func *f, int off, int size)
{
	ir_ldmap(f, BPF_REG_1, 0);
	frame_arg(f, BPF_REG_2, off);
	ir_emit(f, ALU64K(BPF_MOV), BPF_REG_3, IR_NOREG, 0, size);
	ir_emit(f, ALU64K(BPF_MOV), BPF_REG_4, IR_NOREG, 0, 0);
	ir_call(f, BPF_FUNC_ringbuf_output, 4);
}

/* map_lookup_elem(map 0, r10 + off): reads the map's 8-byte key */
static void lookup(struct ir_func *f, int off)
{
	ir_ldmap(f, BPF_REG_1, 0);
	frame_arg(f, BPF_REG_2, off);
	ir_call(f, BPF_FUNC_map_lookup_elem, 2);
}

/* Dead: the zeroes under a buffer bpf_probe_read_kernel fills, a store
 * below a key the lookup does not read (it reads the map's key size),
 * a store overwritten before anything reads it. */
static void test_frame_dead(void)
{
	struct ir_func f;
	char *text;
	int v;

	ir_init(&f);
	f.map_sizes = sizes8;
	v = ir_vreg(&f);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_DW, v, BPF_REG_1, 0, 0);
	ST_DW(BPF_REG_10, -24, 0);
	ST_DW(BPF_REG_10, -16, 0);
	frame_arg(&f, BPF_REG_1, -24);
	ir_emit(&f, ALU64K(BPF_MOV), BPF_REG_2, IR_NOREG, 0, 16);
	ir_emit(&f, ALU64X(BPF_MOV), BPF_REG_3, v, 0, 0);
	ir_call(&f, BPF_FUNC_probe_read_kernel, 3);
	ST_DW(BPF_REG_10, -8, 7);
	ST_DW(BPF_REG_10, -32, 1);
	STX_DW(BPF_REG_10, v, -32);
	ST_DW(BPF_REG_10, -40, 9);
	lookup(&f, -32);
	send(&f, -24, 16);
	EXIT();
	ir_optimize(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\tv16 = *(u64 *)(r1 +0)\n"
			"\tr1 = r10\n"
			"\tr1 += -24\n"
			"\tr2 = 16\n"
			"\tr3 = v16\n"
			"\tcall bpf_probe_read_kernel#113\n"
			"\t*(u64 *)(r10 -32) = v16\n"
			"\tr1 = map[0]\n"
			"\tr2 = r10\n"
			"\tr2 += -32\n"
			"\tcall bpf_map_lookup_elem#1\n"
			"\tr1 = map[0]\n"
			"\tr2 = r10\n"
			"\tr2 += -24\n"
			"\tr3 = 16\n"
			"\tr4 = 0\n"
			"\tcall bpf_ringbuf_output#130\n"
			"\tr0 = 0\n"
			"\texit\n");
	free(text);
	ir_free(&f);
}

/* Redundant: a key stored again for a second lookup goes; after its
 * register changes, or where one path stored something else, it stays;
 * a load of a slot known to hold a register is that register. */
static void test_frame_redundant(void)
{
	struct ir_func f;
	char *text;
	int v, u, w, l;

	ir_init(&f);
	f.map_sizes = sizes8;
	v = ir_vreg(&f);
	u = ir_vreg(&f);
	w = ir_vreg(&f);
	l = ir_label(&f);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_DW, v, BPF_REG_1, 0, 0);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_DW, u, BPF_REG_1, 8, 0);
	STX_DW(BPF_REG_10, v, -8);
	lookup(&f, -8);
	STX_DW(BPF_REG_10, v, -8);
	lookup(&f, -8);
	ir_jump(&f, BPF_JMP | BPF_JEQ | BPF_K, u, IR_NOREG, 0, l);
	STX_DW(BPF_REG_10, u, -8);
	lookup(&f, -8);
	ir_place(&f, l);
	STX_DW(BPF_REG_10, v, -8);
	lookup(&f, -8);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_DW, w, BPF_REG_10, -8, 0);
	ir_emit(&f, ALU64K(BPF_ADD), w, IR_NOREG, 0, 1);
	STX_DW(BPF_REG_10, w, -16);
	send(&f, -16, 8);
	EXIT();
	ir_optimize(&f);
	text = ir_text(&f);
#define LOOKUP8 "\tr1 = map[0]\n\tr2 = r10\n\tr2 += -8\n\tcall bpf_map_lookup_elem#1\n"
	CHECK_STR(text, "\tv16 = *(u64 *)(r1 +0)\n"
			"\tv17 = *(u64 *)(r1 +8)\n"
			"\t*(u64 *)(r10 -8) = v16\n"
			LOOKUP8
			LOOKUP8
			"\tif v17 == 0x0 goto L0\n"
			"\t*(u64 *)(r10 -8) = v17\n"
			LOOKUP8
			"L0:\n"
			"\t*(u64 *)(r10 -8) = v16\n"
			LOOKUP8
			"\tv18 = v16\n"
			"\tv18 += 1\n"
			"\t*(u64 *)(r10 -16) = v18\n"
			"\tr1 = map[0]\n"
			"\tr2 = r10\n"
			"\tr2 += -16\n"
			"\tr3 = 8\n"
			"\tr4 = 0\n"
			"\tcall bpf_ringbuf_output#130\n"
			"\tr0 = 0\n"
			"\texit\n");
	free(text);
	ir_free(&f);
}

/* Kept: a store before a helper given a callback (it may read the whole
 * frame), a store a loop reads on its next round; and nothing is removed
 * from a function that stores a frame address to memory. */
static void test_frame_kept(void)
{
	struct ir_func f, *sub;
	char *text;
	int v, p, l, k;

	ir_init(&f);
	v = ir_vreg(&f);
	l = ir_label(&f);
	k = ir_sub_new(&f);
	sub = f.subs[k];
	ir_emit(sub, ALU64K(BPF_MOV), BPF_REG_0, IR_NOREG, 0, 0);
	ir_emit(sub, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	ST_DW(BPF_REG_10, -16, 1);
	ir_ldmap(&f, BPF_REG_1, 0);
	ir_ldfunc(&f, BPF_REG_2, 0);
	ir_emit(&f, ALU64K(BPF_MOV), BPF_REG_3, IR_NOREG, 0, 0);
	ir_emit(&f, ALU64K(BPF_MOV), BPF_REG_4, IR_NOREG, 0, 0);
	ir_call(&f, BPF_FUNC_for_each_map_elem, 4);
	ST_DW(BPF_REG_10, -8, 0);
	ir_place(&f, l);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_DW, v, BPF_REG_10, -8, 0);
	ir_emit(&f, ALU64K(BPF_ADD), v, IR_NOREG, 0, 1);
	STX_DW(BPF_REG_10, v, -8);
	ir_jump(&f, BPF_JMP | BPF_JLT | BPF_K, v, IR_NOREG, 10, l);
	EXIT();
	ir_optimize(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\t*(u64 *)(r10 -16) = 1\n"
			"\tr1 = map[0]\n"
			"\tr2 = callback 0\n"
			"\tr3 = 0\n"
			"\tr4 = 0\n"
			"\tcall bpf_for_each_map_elem#164\n"
			"\t*(u64 *)(r10 -8) = 0\n"
			"L0:\n"
			"\tv16 = *(u64 *)(r10 -8)\n"
			"\tv16 += 1\n"
			"\t*(u64 *)(r10 -8) = v16\n"
			"\tif v16 < 0xa goto L0\n"
			"\tr0 = 0\n"
			"\texit\n"
			"; callback 0\n"
			"\tr0 = 0\n"
			"\texit\n");
	free(text);
	ir_free(&f);

	ir_init(&f);
	p = ir_vreg(&f);
	ST_DW(BPF_REG_10, -8, 0);
	ir_emit(&f, ALU64X(BPF_MOV), p, BPF_REG_10, 0, 0);
	ir_emit(&f, ALU64K(BPF_ADD), p, IR_NOREG, 0, -8);
	STX_DW(BPF_REG_1, p, 0);
	EXIT();
	ir_optimize(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\t*(u64 *)(r10 -8) = 0\n"
			"\tv16 = r10\n"
			"\tv16 += -8\n"
			"\t*(u64 *)(r1 +0) = v16\n"
			"\tr0 = 0\n"
			"\texit\n");
	free(text);
	ir_free(&f);
}

static void test_tuples(void)
{
	struct type e[3] = { type_int(8, true), type_str(5), type_int(8, false) };
	struct type t = type_tuple(3, e), u, w;
	const struct tuple_def *d = type_tuple_def(t);
	char name[128];

	CHECK(t.kind == TYPE_TUPLE && d && d->n == 3, "a tuple of three");
	CHECK(d && d->off[0] == 0 && d->off[1] == 8 && d->off[2] == 16 && d->size == 24,
	      "offsets 0 8 16, size 24");
	CHECK_STR(type_name(t, name, sizeof(name)), "(int64, string[5], uint64)");
	CHECK(type_equal(type_tuple(3, e), t), "one layout for the same elements");
	e[1] = type_str(12);
	u = type_tuple(3, e);
	CHECK(!type_equal(u, t) && u.size == 32, "a longer string: another layout");
	CHECK(type_unify(t, u, &w) && type_equal(w, u), "unified to the longer");
	e[1] = type_int(8, true);
	CHECK(!type_unify(t, type_tuple(3, e), &w), "a string and an integer do not unify");
	CHECK(!type_unify(t, type_tuple(2, e), &w), "three and two elements do not unify");
	CHECK(type_tuple(TUPLE_MAX + 1, e).kind == TYPE_NONE, "too many elements");
}

int main(void)
{
	test_copy_in_block();
	test_copy_limits();
	test_dead_code();
	test_constants();
	test_frame_dead();
	test_frame_redundant();
	test_frame_kept();
	test_tuples();
	return unit_done("test_opt");
}
