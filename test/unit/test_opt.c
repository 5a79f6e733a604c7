/* test_opt.c - the IR passes of src/ir/opt.c on hand-built IR (copy
 * propagation inside a block, not across labels, not into a register an
 * ALU operation writes; dead code without side effects removed, stores,
 * calls and jumps kept), and the tuple types of src/lang/type.c (layout,
 * interning, unification). */
#include <stdlib.h>

#include <linux/bpf.h>

#include "ir/ir.h"
#include "ir/lower.h"
#include "lang/type.h"
#include "unit.h"
#include "unit_ir.h"

#define ALU64X(op) (BPF_ALU64 | (op) | BPF_X)
#define ALU64K(op) (BPF_ALU64 | (op) | BPF_K)

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
	ir_emit(&f, ALU64K(BPF_MOV), BPF_REG_0, IR_NOREG, 0, 0);
	ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	ir_optimize(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\tv16 = *(u64 *)(r1 +0)\n"
			"\t*(u64 *)(r10 -8) = v16\n"
			"\tif v16 == 0x0 goto L0\n"
			"L0:\n"
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
	ir_emit(&f, ALU64K(BPF_MOV), BPF_REG_0, IR_NOREG, 0, 0);
	ir_emit(&f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	ir_optimize(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\t*(u64 *)(r10 -8) = 7\n"
			"\tcall bpf_ktime_get_ns#5\n"
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
	test_tuples();
	return unit_done("test_opt");
}
