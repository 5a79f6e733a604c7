/* test_ra.c - the IR builders, printer and register allocator.
 *
 * The real check is behavioural: a tiny interpreter runs each function on
 * virtual registers before allocation and on physical ones after, and the
 * two must return the same r0. Its helper call scrambles r1..r5, so a value
 * wrongly kept in a caller-saved register across a call shows up as a
 * wrong result. Random structured programs (branches, loops, calls, stack
 * traffic) stress the allocator far beyond the hand-written cases.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ir/ir.h"
#include "bpfasm/bpfasm.h"
#include "unit.h"
#include "unit_ir.h"

#define NREGS 8192
#define STACK_TOP 0x100000ull
#define CTX 0x4242ull

struct vm {
	uint64_t r[NREGS];
	uint8_t stack[IR_STACK_MAX];
	int fault;
	long steps;
};

static uint64_t vm_rand_state = 0x9e3779b97f4a7c15ull;

static uint64_t garbage(void)
{
	/* xorshift: different junk each time so stale values never match */
	vm_rand_state ^= vm_rand_state << 13;
	vm_rand_state ^= vm_rand_state >> 7;
	vm_rand_state ^= vm_rand_state << 17;
	return vm_rand_state;
}

static uint8_t *vm_mem(struct vm *vm, uint64_t addr, int size)
{
	if (addr < STACK_TOP - IR_STACK_MAX || addr + size > STACK_TOP ||
	    addr % size) {
		vm->fault = 1;
		return NULL;
	}
	return &vm->stack[addr - (STACK_TOP - IR_STACK_MAX)];
}

static int vm_size(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	}
	return 8;
}

static uint64_t vm_alu(uint8_t op, uint64_t a, uint64_t b)
{
	switch (op) {
	case BPF_ADD: return a + b;
	case BPF_SUB: return a - b;
	case BPF_MUL: return a * b;
	case BPF_OR: return a | b;
	case BPF_AND: return a & b;
	case BPF_XOR: return a ^ b;
	case BPF_LSH: return a << (b & 63);
	case BPF_RSH: return a >> (b & 63);
	case BPF_MOV: return b;
	}
	return 0xbad;
}

static int vm_cond(uint8_t op, uint64_t a, uint64_t b)
{
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSGT: return (int64_t)a > (int64_t)b;
	case BPF_JSLT: return (int64_t)a < (int64_t)b;
	}
	return 0;
}

static int vm_reg(struct vm *vm, int r)
{
	if (r < 0 || r >= NREGS) {
		vm->fault = 1;
		return 0;
	}
	return r;
}

/* Runs f and returns r0; *fault is set on a bad instruction or address. */
static uint64_t vm_run(const struct ir_func *f, int *fault)
{
	static struct vm vm;
	size_t pc = 0, i;
	long *at = calloc(f->next_label + 1, sizeof(long));

	for (i = 0; i < NREGS; i++)
		vm.r[i] = garbage();
	for (i = 0; i < IR_STACK_MAX; i++)
		vm.stack[i] = (uint8_t)garbage();
	vm.r[1] = CTX;
	vm.r[10] = STACK_TOP;
	vm.fault = 0;
	vm.steps = 0;
	for (i = 0; i < f->n; i++)
		if (f->insns[i].op == IR_LABEL)
			at[f->insns[i].label] = (long)i;

	while (!vm.fault && pc < f->n && vm.steps++ < 1000000) {
		const struct ir_insn *in = &f->insns[pc++];
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
		int d = in->dst == IR_NOREG ? 0 : vm_reg(&vm, in->dst);
		uint64_t b;
		uint8_t *m;

		if (in->op == IR_LABEL)
			continue;
		if (in->op == IR_LDIMM64) {
			vm.r[d] = in->imm64;
			continue;
		}
		if (in->op != IR_INSN) {
			vm.fault = 1;
			break;
		}
		if (d == 10 && (cls == BPF_ALU || cls == BPF_ALU64 ||
				cls == BPF_LDX)) {
			vm.fault = 1; /* r10 is read-only */
			break;
		}
		switch (cls) {
		case BPF_ALU64:
		case BPF_ALU:
			b = (uint64_t)(int64_t)in->imm;
			if (BPF_SRC(in->code) == BPF_X)
				b = vm.r[vm_reg(&vm, in->src)];
			b = vm_alu(op, vm.r[d], b);
			/* 32-bit ops: the ones used here need no truncated
			 * inputs, and the result is zero-extended */
			vm.r[d] = cls == BPF_ALU ? (uint32_t)b : b;
			break;
		case BPF_LDX:
			m = vm_mem(&vm, vm.r[vm_reg(&vm, in->src)] + in->off,
				   vm_size(in->code));
			if (m) {
				uint64_t v = 0;

				memcpy(&v, m, vm_size(in->code));
				vm.r[d] = v;
			}
			break;
		case BPF_STX:
		case BPF_ST:
			m = vm_mem(&vm, vm.r[d] + in->off, vm_size(in->code));
			b = cls == BPF_STX ? vm.r[vm_reg(&vm, in->src)] :
					     (uint64_t)(int64_t)in->imm;
			if (m)
				memcpy(m, &b, vm_size(in->code));
			break;
		case BPF_JMP:
			if (op == BPF_EXIT) {
				free(at);
				*fault = vm.fault;
				return vm.r[0];
			}
			if (op == BPF_CALL) {
				uint64_t ret = vm.r[1] + (in->nargs >= 2 ?
							  vm.r[2] : 0);

				for (i = 1; i <= 5; i++)
					vm.r[i] = garbage();
				vm.r[0] = ret;
				break;
			}
			if (op != BPF_JA) {
				b = BPF_SRC(in->code) == BPF_X ?
					    vm.r[vm_reg(&vm, in->src)] :
					    (uint64_t)(int64_t)in->imm;
				if (!vm_cond(op, vm.r[d], b))
					break;
			}
			pc = at[in->label];
			break;
		default:
			vm.fault = 1;
		}
	}
	free(at);
	*fault = 1;
	return 0;
}

static int max_reg(const struct ir_func *f)
{
	int m = -1;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->insns[i].dst > m)
			m = f->insns[i].dst;
		if (f->insns[i].src > m)
			m = f->insns[i].src;
	}
	return m;
}

static int self_moves(const struct ir_func *f)
{
	size_t i;
	int n = 0;

	for (i = 0; i < f->n; i++)
		n += f->insns[i].op == IR_INSN &&
		     f->insns[i].code == (BPF_ALU64 | BPF_MOV | BPF_X) &&
		     f->insns[i].dst == f->insns[i].src;
	return n;
}

/* Run before and after allocation; returns 0, or -1 on a mismatch (after
 * reporting it and printing the allocated code). */
static int check_ra(struct ir_func *f, const char *name, uint64_t want)
{
	int fault0, fault1, ret;
	uint64_t before, after;
	char *err = NULL;

	before = vm_run(f, &fault0);
	CHECK(!fault0 && before == want, "%s: before RA: got %llu want %llu%s",
	      name, (unsigned long long)before, (unsigned long long)want,
	      fault0 ? " (fault)" : "");
	ret = ra_run(f, &err);
	CHECK(ret == 0, "%s: ra_run failed: %s", name, err ? err : "?");
	free(err);
	if (ret)
		return -1;
	CHECK(max_reg(f) < IR_NPHYS, "%s: register %d left", name, max_reg(f));
	CHECK(self_moves(f) == 0, "%s: self-move left", name);
	after = vm_run(f, &fault1);
	CHECK(!fault1 && after == want, "%s: after RA: got %llu want %llu%s",
	      name, (unsigned long long)after, (unsigned long long)want,
	      fault1 ? " (fault)" : "");
	if (fault1 || after != want) {
		ir_print(f, stdout);
		return -1;
	}
	return 0;
}

#define MOVK(f, d, k) ir_emit(f, BPF_ALU64 | BPF_MOV | BPF_K, d, IR_NOREG, 0, k)
#define MOVX(f, d, s) ir_emit(f, BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ADDX(f, d, s) ir_emit(f, BPF_ALU64 | BPF_ADD | BPF_X, d, s, 0, 0)
#define ADDK(f, d, k) ir_emit(f, BPF_ALU64 | BPF_ADD | BPF_K, d, IR_NOREG, 0, k)
#define EXIT(f) ir_emit(f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0)

static void test_simple(void)
{
	struct ir_func f;
	int a, b;

	ir_init(&f);
	CHECK(f.next_vreg == IR_VREG0, "first vreg %d", f.next_vreg);
	a = ir_vreg(&f);
	b = ir_vreg(&f);
	CHECK(a == IR_VREG0 && b == IR_VREG0 + 1, "vregs %d %d", a, b);
	MOVK(&f, a, 5);
	MOVX(&f, b, a);
	ADDK(&f, b, 3);
	MOVX(&f, 0, b);
	EXIT(&f);
	check_ra(&f, "simple", 8);
	/* b takes r0 through its hint and a dies into b: all moves vanish */
	CHECK(f.n == 3, "simple: %zu insns after RA", f.n);
	ir_free(&f);
}

/* a and b are call arguments, c crosses the call */
static void test_call(void)
{
	struct ir_func f;
	int a, b, c, d, i;
	size_t n;

	ir_init(&f);
	a = ir_vreg(&f);
	b = ir_vreg(&f);
	c = ir_vreg(&f);
	d = ir_vreg(&f);
	MOVK(&f, a, 10);
	MOVK(&f, b, 20);
	MOVK(&f, c, 7);
	MOVX(&f, 1, a);
	MOVX(&f, 2, b);
	ir_call(&f, 1, 2);
	MOVX(&f, d, 0);
	ADDX(&f, d, c);
	MOVX(&f, 0, d);
	EXIT(&f);
	check_ra(&f, "call", 37);
	/* hints: a in r1, b in r2, d in r0: only c's register is chosen */
	CHECK(f.n == 6, "call: %zu insns after RA", f.n);
	n = f.n;
	for (i = 0; i < (int)n; i++)
		if (f.insns[i].op == IR_INSN &&
		    f.insns[i].code == (BPF_ALU64 | BPF_MOV | BPF_K) &&
		    f.insns[i].imm == 7)
			CHECK(f.insns[i].dst >= 6 && f.insns[i].dst <= 9,
			      "value across call in r%d", f.insns[i].dst);
	ir_free(&f);
}

/* The context in r1 read at entry, and a value through two calls. */
static void test_ctx(void)
{
	struct ir_func f;
	int ctx, x, y;

	ir_init(&f);
	ctx = ir_vreg(&f);
	x = ir_vreg(&f);
	y = ir_vreg(&f);
	MOVX(&f, ctx, 1);
	MOVK(&f, x, 1);
	MOVX(&f, 1, x);
	MOVK(&f, 2, 2);
	ir_call(&f, 14, 2);       /* r0 = 3 */
	MOVX(&f, y, 0);
	MOVX(&f, 1, y);
	MOVX(&f, 2, ctx);
	ir_call(&f, 14, 2);       /* r0 = 3 + CTX */
	ADDX(&f, 0, ctx);         /* + CTX */
	EXIT(&f);
	check_ra(&f, "ctx", 3 + 2 * CTX);
	ir_free(&f);
}

/* Physical registers stay busy between their def and every use, across
 * branches too: nothing may be allocated to r1..r5 while they hold call
 * arguments, nor to r0 while it holds the value an exit down a branch
 * returns. */
static void test_fixed(void)
{
	struct ir_func f;
	int v[6], i, l, x;

	ir_init(&f);
	for (i = 1; i <= 5; i++)
		MOVK(&f, i, i * 100);
	for (i = 0; i < 6; i++) {
		v[i] = ir_vreg(&f);
		MOVK(&f, v[i], i);
	}
	for (i = 0; i < 6; i++)
		ir_emit(&f, BPF_STX | BPF_MEM | BPF_DW, 10, v[i], -8 * (i + 1),
			0);
	f.stack = 48;
	ir_call(&f, 1, 5);
	EXIT(&f);
	check_ra(&f, "args set up early", 300);
	ir_free(&f);

	ir_init(&f);
	l = ir_label(&f);
	x = ir_vreg(&f);
	MOVK(&f, 0, 0);
	MOVK(&f, x, 7);
	ADDK(&f, x, 1);
	ir_jump(&f, BPF_JMP | BPF_JGT | BPF_K, x, IR_NOREG, 5, l);
	MOVK(&f, 0, 1);
	ir_place(&f, l);
	EXIT(&f);
	check_ra(&f, "r0 live down a branch", 0);
	ir_free(&f);
}

static void build_many(struct ir_func *f, int nvals, int with_call,
		       uint64_t *want)
{
	int v[64], i, sum;

	*want = 0;
	for (i = 0; i < nvals; i++) {
		v[i] = ir_vreg(f);
		MOVK(f, v[i], 3 * i + 1);
		*want += 3 * i + 1;
	}
	sum = ir_vreg(f);
	if (with_call) {
		MOVK(f, 1, 100);
		MOVK(f, 2, 1000);
		ir_call(f, 1, 2);
		MOVX(f, sum, 0);
		*want += 1100;
	} else {
		MOVK(f, sum, 0);
	}
	for (i = 0; i < nvals; i++)
		ADDX(f, sum, v[i]);
	MOVX(f, 0, sum);
	EXIT(f);
}

static void test_spill(void)
{
	struct ir_func f;
	uint64_t want;

	ir_init(&f);
	build_many(&f, 20, 1, &want);
	check_ra(&f, "spill across call", want);
	/* 4 callee-saved registers for 20 values */
	CHECK(f.stack >= 16 * 8, "spill: stack %d", f.stack);
	CHECK(f.stack % 8 == 0, "spill: stack %d unaligned", f.stack);
	ir_free(&f);

	ir_init(&f);
	build_many(&f, 20, 0, &want);
	check_ra(&f, "spill no call", want);
	CHECK(f.stack > 0 && f.stack <= 12 * 8, "spill no call: stack %d",
	      f.stack);
	ir_free(&f);

	ir_init(&f);
	build_many(&f, 9, 0, &want);
	check_ra(&f, "no spill", want);
	CHECK(f.stack == 0, "no spill: stack %d", f.stack);
	ir_free(&f);
}

static void test_stack_overflow(void)
{
	struct ir_func f;
	uint64_t want;
	char *err = NULL;

	ir_init(&f);
	CHECK(ir_stack_alloc(&f, 500, 4) == -500, "alloc 500");
	CHECK(ir_stack_alloc(&f, 1, 8) == -504, "alloc 1/8: stack %d",
	      f.stack);
	CHECK(ir_stack_alloc(&f, 16, 8) == 0, "alloc past 512");
	CHECK(f.stack == 504, "failed alloc moved the stack: %d", f.stack);
	build_many(&f, 20, 1, &want);
	CHECK(ra_run(&f, &err) == -1, "overflow not reported");
	CHECK(err && strstr(err, "512"), "message: %s", err ? err : "(null)");
	free(err);
	ir_free(&f);
}

/* s = sum of 0..9, with a value born before the loop and last used at the
 * loop's top: its register must survive the whole loop. */
static void test_loop(void)
{
	struct ir_func f;
	int x, s, i, t, y, top;

	ir_init(&f);
	x = ir_vreg(&f);
	s = ir_vreg(&f);
	i = ir_vreg(&f);
	t = ir_vreg(&f);
	y = ir_vreg(&f);
	top = ir_label(&f);
	MOVK(&f, x, 7);
	MOVK(&f, s, 0);
	MOVK(&f, i, 0);
	ir_place(&f, top);
	MOVX(&f, t, x);
	ADDX(&f, s, t);
	MOVX(&f, y, i);
	ir_emit(&f, BPF_ALU64 | BPF_MUL | BPF_K, y, IR_NOREG, 0, 3);
	ADDX(&f, s, y);
	ADDK(&f, i, 1);
	ir_jump(&f, BPF_JMP | BPF_JLT | BPF_K, i, IR_NOREG, 10, top);
	MOVX(&f, 0, s);
	EXIT(&f);
	check_ra(&f, "loop", 70 + 3 * 45);
	ir_free(&f);

	/* the same with a call in the body: s and i cross it */
	ir_init(&f);
	x = ir_vreg(&f);
	s = ir_vreg(&f);
	i = ir_vreg(&f);
	t = ir_vreg(&f);
	top = ir_label(&f);
	MOVK(&f, x, 7);
	MOVK(&f, s, 0);
	MOVK(&f, i, 0);
	ir_place(&f, top);
	MOVX(&f, 1, i);
	MOVX(&f, 2, x);
	ir_call(&f, 1, 2);
	MOVX(&f, t, 0);
	ADDX(&f, s, t);
	ADDK(&f, i, 1);
	ir_jump(&f, BPF_JMP | BPF_JLT | BPF_K, i, IR_NOREG, 10, top);
	MOVX(&f, 0, s);
	EXIT(&f);
	check_ra(&f, "loop with call", 70 + 45);
	ir_free(&f);
}

static void test_regs(void)
{
	struct ir_insn in;
	int u[6], d[6], nu, nd, call;

	memset(&in, 0, sizeof(in));
	in.op = IR_INSN;
	in.code = BPF_STX | BPF_ATOMIC | BPF_DW;
	in.dst = 20;
	in.src = 21;
	in.imm = BPF_ADD | BPF_FETCH;
	ir_insn_regs(&in, u, &nu, d, &nd, &call);
	CHECK(nu == 2 && nd == 1 && d[0] == 21, "fetch-add: %d uses %d defs",
	      nu, nd);
	in.imm = BPF_CMPXCHG;
	ir_insn_regs(&in, u, &nu, d, &nd, &call);
	CHECK(nu == 3 && u[2] == 0 && nd == 1 && d[0] == 0, "cmpxchg");
	in.code = BPF_ALU64 | BPF_MOV | BPF_K;
	ir_insn_regs(&in, u, &nu, d, &nd, &call);
	CHECK(nu == 0 && nd == 1 && d[0] == 20, "mov k");
	in.code = BPF_JMP | BPF_CALL;
	in.nargs = 3;
	ir_insn_regs(&in, u, &nu, d, &nd, &call);
	CHECK(nu == 3 && u[0] == 1 && u[2] == 3 && nd == 1 && d[0] == 0 &&
	      call, "call");
	CHECK(!ir_is_jump(&in), "call is not a jump");
	in.code = BPF_JMP | BPF_JGT | BPF_X;
	ir_insn_regs(&in, u, &nu, d, &nd, &call);
	CHECK(nu == 2 && nd == 0 && !call && ir_is_jump(&in), "jgt x");
	in.code = BPF_JMP | BPF_JA;
	ir_insn_regs(&in, u, &nu, d, &nd, &call);
	CHECK(nu == 0 && nd == 0 && ir_is_jump(&in), "ja");
}

/* Self-moves are deleted, but not 32-bit ones (they zero-extend). */
static void test_self_moves(void)
{
	struct ir_func f;
	char *err = NULL;

	ir_init(&f);
	MOVK(&f, 0, 0x7fffffff);
	ADDK(&f, 0, 0x7fffffff);
	MOVX(&f, 0, 0);
	ir_emit(&f, BPF_ALU | BPF_MOV | BPF_X, 0, 0, 0, 0);
	EXIT(&f);
	CHECK(ra_run(&f, &err) == 0, "ra: %s", err ? err : "?");
	CHECK(f.n == 4, "self-moves: %zu insns", f.n);
	CHECK(f.insns[2].code == (BPF_ALU | BPF_MOV | BPF_X),
	      "32-bit move kept");
	ir_free(&f);
}

static const char *map_name(int map, void *ctx)
{
	return map == 0 ? "@bytes" : NULL;
}

static void test_print(void)
{
	struct ir_func f;
	char *text, *err = NULL;
	int v, p, m, l;

	ir_init(&f);
	f.map_name = map_name;
	v = ir_vreg(&f);
	p = ir_vreg(&f);
	m = ir_vreg(&f);
	l = ir_label(&f);
	ir_emit(&f, BPF_LDX | BPF_MEM | BPF_W, v, 1, 16, 0);
	ir_jump(&f, BPF_JMP | BPF_JNE | BPF_K, v, IR_NOREG, 42, l);
	ir_ldimm64(&f, p, 0x123456789ll);
	ir_ldmap(&f, m, 0);
	ir_ldmap(&f, m, 3);
	MOVX(&f, 1, m);
	ir_call(&f, 1, 1);
	ir_place(&f, l);
	MOVK(&f, 0, 0);
	EXIT(&f);
	text = ir_text(&f);
	CHECK_STR(text, "\tv16 = *(u32 *)(r1 +16)\n"
			"\tif v16 != 0x2a goto L0\n"
			"\tv17 = 0x123456789 ll\n"
			"\tv18 = map[@bytes]\n"
			"\tv18 = map[3]\n"
			"\tr1 = v18\n"
			"\tcall bpf_map_lookup_elem#1\n"
			"L0:\n"
			"\tr0 = 0\n"
			"\texit\n");
	free(text);
	CHECK(ra_run(&f, &err) == 0, "print: ra: %s", err ? err : "?");
	text = ir_text(&f);
	CHECK_STR(text, "\tr0 = *(u32 *)(r1 +16)\n"
			"\tif r0 != 0x2a goto L0\n"
			"\tr0 = 0x123456789 ll\n"
			"\tr1 = map[@bytes]\n"
			"\tr1 = map[3]\n"
			"\tcall bpf_map_lookup_elem#1\n"
			"L0:\n"
			"\tr0 = 0\n"
			"\texit\n");
	free(text);
	ir_free(&f);
}

/* Random structured programs: straight-line arithmetic, calls, stack
 * stores and loads, if/else joins and do-while loops, each value used only
 * where it is defined on every path. The reference result is the
 * interpreter's run on virtual registers. */
struct gen {
	struct ir_func *f;
	int vals[4096];
	int nvals;
	int slot; /* a user stack slot */
	unsigned seed;
	int depth;
};

static unsigned gen_rand(struct gen *g, unsigned n)
{
	g->seed = g->seed * 1103515245u + 12345u;
	return (g->seed >> 8) % n;
}

static int gen_pick(struct gen *g)
{
	/* favour recent values, but reach far back too */
	if (gen_rand(g, 3) == 0)
		return g->vals[gen_rand(g, g->nvals)];
	return g->vals[g->nvals - 1 - gen_rand(g, g->nvals < 6 ? g->nvals : 6)];
}

static void gen_block(struct gen *g, int len);

static void gen_stmt(struct gen *g)
{
	static const uint8_t ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_XOR,
				       BPF_OR, BPF_AND };
	struct ir_func *f = g->f;
	int v, a, k, i, n;
	unsigned what = gen_rand(g, 20);

	if (g->nvals >= 4000)
		what = 19;
	if (what < 8) {
		v = ir_vreg(f);
		MOVX(f, v, gen_pick(g));
		ir_emit(f, BPF_ALU64 | ops[gen_rand(g, 6)] | BPF_X, v,
			gen_pick(g), 0, 0);
		g->vals[g->nvals++] = v;
	} else if (what < 10) {
		v = ir_vreg(f);
		MOVK(f, v, (int)gen_rand(g, 1000));
		g->vals[g->nvals++] = v;
	} else if (what < 11) {
		v = ir_vreg(f);
		MOVX(f, v, gen_pick(g));
		ir_emit(f, BPF_ALU | BPF_ADD | BPF_K, v, IR_NOREG, 0,
			(int)gen_rand(g, 100));
		g->vals[g->nvals++] = v;
	} else if (what < 13) {
		n = 1 + gen_rand(g, 5);
		for (i = 1; i <= n; i++)
			MOVX(f, i, gen_pick(g));
		ir_call(f, 1, n);
		v = ir_vreg(f);
		MOVX(f, v, 0);
		g->vals[g->nvals++] = v;
	} else if (what < 14) {
		ir_emit(f, BPF_STX | BPF_MEM | BPF_DW, 10, gen_pick(g), g->slot,
			0);
		v = ir_vreg(f);
		ir_emit(f, BPF_LDX | BPF_MEM | BPF_W, v, 10, g->slot, 0);
		g->vals[g->nvals++] = v;
	} else if (what < 16 && g->depth < 3) {
		/* if (a > k) { j = ... } else { j = ... } */
		int lelse = ir_label(f), lend = ir_label(f), j = ir_vreg(f);
		int save = g->nvals;

		a = gen_pick(g);
		k = (int)gen_rand(g, 1000);
		ir_jump(f, BPF_JMP | BPF_JGT | BPF_K, a, IR_NOREG, k, lelse);
		g->depth++;
		gen_block(g, 1 + gen_rand(g, 6));
		MOVX(f, j, gen_pick(g));
		g->nvals = save;
		ir_jump(f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, lend);
		ir_place(f, lelse);
		gen_block(g, 1 + gen_rand(g, 6));
		MOVX(f, j, gen_pick(g));
		g->nvals = save;
		g->depth--;
		ir_place(f, lend);
		g->vals[g->nvals++] = j;
	} else if (what < 18 && g->depth < 2) {
		/* do { acc += ...; } while (++i < n) */
		int top = ir_label(f), cnt = ir_vreg(f), acc = ir_vreg(f);
		int save;

		MOVK(f, cnt, 0);
		MOVX(f, acc, gen_pick(g));
		ir_place(f, top);
		save = g->nvals;
		g->depth++;
		gen_block(g, 1 + gen_rand(g, 8));
		ADDX(f, acc, gen_pick(g));
		ir_emit(f, BPF_ALU64 | BPF_RSH | BPF_K, acc, IR_NOREG, 0, 1);
		g->depth--;
		g->nvals = save;
		ADDK(f, cnt, 1);
		ir_jump(f, BPF_JMP | BPF_JLT | BPF_K, cnt, IR_NOREG,
			1 + (int)gen_rand(g, 4), top);
		g->vals[g->nvals++] = acc;
	} else {
		/* fold a few values so results depend on everything */
		v = ir_vreg(f);
		MOVX(f, v, gen_pick(g));
		for (i = 0; i < 3; i++)
			ADDX(f, v, gen_pick(g));
		g->vals[g->nvals++] = v;
	}
}

static void gen_block(struct gen *g, int len)
{
	while (len-- > 0)
		gen_stmt(g);
}

static uint64_t gen_program(struct ir_func *f, unsigned seed, int len)
{
	struct gen g;
	int ctx, sum, i, fault;
	uint64_t want;

	memset(&g, 0, sizeof(g));
	g.f = f;
	g.seed = seed;
	g.slot = ir_stack_alloc(f, 8, 8);
	ctx = ir_vreg(f);
	MOVX(f, ctx, 1);
	g.vals[g.nvals++] = ctx;
	gen_block(&g, len);
	sum = ir_vreg(f);
	MOVK(f, sum, 0);
	/* not everything: values must also die before the end, or the
	 * longer programs need more than 512 bytes of spill slots */
	for (i = 0; i < g.nvals; i++)
		if (i % 5 == 0 || i >= g.nvals - 12)
			ADDX(f, sum, g.vals[i]);
	MOVX(f, 0, sum);
	EXIT(f);
	want = vm_run(f, &fault);
	CHECK(!fault, "random %u: faults before RA", seed);
	return want;
}

static void test_random(void)
{
	unsigned seed;
	int bad = 0, spilled = 0;

	for (seed = 1; seed <= 2000 && bad < 3; seed++) {
		struct ir_func f;
		uint64_t want;
		char name[32];

		ir_init(&f);
		want = gen_program(&f, seed, 5 + seed % 60);
		snprintf(name, sizeof(name), "random %u", seed);
		if (check_ra(&f, name, want) < 0)
			bad++;
		spilled += f.stack > 8;
		ir_free(&f);
	}
	CHECK(spilled > 20, "random programs spilled only %d times", spilled);
}

int main(void)
{
	test_regs();
	test_simple();
	test_call();
	test_ctx();
	test_fixed();
	test_spill();
	test_stack_overflow();
	test_loop();
	test_self_moves();
	test_print();
	test_random();
	return unit_done("test_ra");
}
