/* lower.c - lowering of a checked probe body to IR.
 *
 * Requires: an instance whose body sema_probe has annotated (types,
 * builtins, fields, maps, printf formats). Gives: an IR function on
 * virtual registers that the verifier accepts once allocated: every map
 * lookup is null-checked before use, every stack buffer handed to a
 * helper or used as a key is fully written first, integers are 64-bit in
 * registers.
 *
 * Integers are lowered to a virtual register (lower_int); strings are
 * written into a stack buffer (lower_str_into) so that a string read by a
 * helper lands directly where it is used: in the printf record, the map
 * key or the local variable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "../lang/sema.h"
#include "../lang/limits.h"
#include "lower.h"

struct lower {
	struct ir_func *f;    /* the function being written: the probe's, or a
	                       * callback's while a for over a map is lowered */
	struct ir_func *main; /* the probe's: its frame holds the buffers */
	int frame;      /* register pointing at the probe's frame: r10, or in a
	                 * callback the pointer it was given */
	struct map_def *scratch_map; /* in scratch mode */
	struct prog_tables *tab;
	const struct target *tgt;
	const struct probe_ctx *pc; /* the probe instance being lowered */
	int ctx;        /* virtual register holding the context pointer */
	int exit_label; /* return 0 */
	unsigned sp;    /* bytes of stack in use at this point of the lowering */
	unsigned locals;/* bytes used by locals: never released */
	unsigned high;  /* the most bytes of buffers in use at once */
	int brk, cont;  /* labels of the innermost loop's break and continue */
	int base;       /* register the buffers are addressed from: r10, or the
	                 * per-CPU scratch value when they do not fit the stack */
	bool scratch;   /* buffers live in the scratch map */
	bool overflow;  /* the stack was too small: lower again with scratch */
	int pid, tid;   /* registers holding pid and tid, computed once at
	                 * entry when the probe reads them more than once;
	                 * IR_NOREG otherwise */
	struct sema_var **slotted; /* locals given a slot, reset on a retry */
	int nslotted, maxslotted;
	int errors;
};

/* Buffers (records, keys, strings, locals) take the stack up to
 * STACK_BUFFERS bytes, leaving room for the allocator's spill slots; a
 * probe that needs more puts them all in a per-CPU scratch map value of
 * up to SCRATCH_MAX bytes. */
#define STACK_BUFFERS 448
#define SCRATCH_MAX 32768

#define ALU(op) (BPF_ALU64 | (op) | BPF_X)

#define ALUK(op) (BPF_ALU64 | (op) | BPF_K)

static int lower_int(struct lower *L, struct node *n);
static void lower_str_into(struct lower *L, struct node *n, int off,
			   unsigned size, bool zero);
static void lower_bytes_into(struct lower *L, struct node *n, int off,
			     struct type want, unsigned size, bool zero);
static int str_operand(struct lower *L, struct node *n);
static void lower_block(struct lower *L, struct node *b);
static int lower_incdec(struct lower *L, struct node *n);
static void extend(struct lower *L, int r, unsigned size, bool is_signed);
static void c_int_finish(struct lower *L, int v, const struct ctype *r, unsigned size,
			 unsigned shift, unsigned bits);
static unsigned bitfield_span(const struct cmember *m, int32_t *off, unsigned *shift);

/* ---- small emitters ---- */

/* The lowering's stack is a stack: a statement's temporaries (keys,
 * records, string buffers) are released when it ends and reused by the
 * next, locals stay for the whole probe. f->stack keeps the deepest point
 * reached, above which the allocator puts its spill slots. */
static int stack_alloc(struct lower *L, unsigned size, struct loc loc)
{
	unsigned old = L->sp, sp = L->sp + ((size + 7) & ~7u);

	if (sp > (L->scratch ? SCRATCH_MAX : STACK_BUFFERS)) {
		if (!L->scratch) {
			L->overflow = true; /* lower_probe starts again */
		} else if (!L->errors++) {
			diag_error(loc, "this probe needs more than %d bytes of buffers",
				   SCRATCH_MAX);
		}
		return L->scratch ? 0 : -8;
	}
	L->sp = sp;
	if (sp > L->high)
		L->high = sp;
	if (L->scratch) /* [old, sp) of the scratch value, growing up */
		return (int)old;
	if ((int)sp > L->main->stack)
		L->main->stack = (int)sp;
	return -(int)sp;
}

/* A local's slot lives for the whole probe. */
static int local_alloc(struct lower *L, struct sema_var *v, unsigned size, struct loc loc)
{
	v->slot = stack_alloc(L, size, loc);
	v->has_slot = true;
	L->locals = L->sp;
	if (L->nslotted == L->maxslotted) {
		int max = L->maxslotted ? 2 * L->maxslotted : 16;
		struct sema_var **p = realloc(L->slotted, max * sizeof(*p));

		if (!p) /* as ir.c: nothing sane to unwind to */
			abort();
		L->slotted = p;
		L->maxslotted = max;
	}
	L->slotted[L->nslotted++] = v;
	return v->slot;
}

static void mov_imm(struct lower *L, int dst, int64_t v)
{
	if (v >= INT32_MIN && v <= INT32_MAX)
		ir_emit(L->f, ALUK(BPF_MOV), dst, IR_NOREG, 0, (int32_t)v);
	else
		ir_ldimm64(L->f, dst, v);
}

static int new_imm(struct lower *L, int64_t v)
{
	int r = ir_vreg(L->f);

	mov_imm(L, r, v);
	return r;
}

static void mov_reg(struct lower *L, int dst, int src)
{
	ir_emit(L->f, ALU(BPF_MOV), dst, src, 0, 0);
}

static void store_reg(struct lower *L, int off, int reg)
{
	ir_emit(L->f, BPF_STX | BPF_MEM | BPF_DW, L->base, reg, off, 0);
}

static int load_mem(struct lower *L, int base, int off, unsigned size)
{
	static const uint8_t sz[9] = { [1] = BPF_B, [2] = BPF_H, [4] = BPF_W, [8] = BPF_DW };
	int r = ir_vreg(L->f);

	ir_emit(L->f, BPF_LDX | BPF_MEM | sz[size], r, base, off, 0);
	return r;
}

/* Write zeros over [off, off + len) of the stack with the widest aligned
 * stores, so the verifier sees every byte initialised. */
static void zero_range(struct lower *L, int off, unsigned len)
{
	while (len) {
		unsigned w = 8;

		while (w > 1 && (w > len || ((unsigned)off & (w - 1))))
			w >>= 1;
		ir_emit(L->f, BPF_ST | BPF_MEM |
			(w == 8 ? BPF_DW : w == 4 ? BPF_W : w == 2 ? BPF_H : BPF_B),
			L->base, IR_NOREG, off, 0);
		off += w;
		len -= w;
	}
}

/* Helper calls: arguments are set in r1..r5 right before the call, after
 * every virtual register they come from has been computed. */
enum arg_kind { A_REG, A_STACK, A_MAP, A_IMM, A_IMM32, A_FUNC };
struct arg {
	enum arg_kind kind;
	int64_t v;
};
#define AREG(r) ((struct arg){ A_REG, (r) })
#define ASTACK(o) ((struct arg){ A_STACK, (o) })
#define AMAP(m) ((struct arg){ A_MAP, (m) })
#define AIMM(i) ((struct arg){ A_IMM, (i) })

static int call(struct lower *L, int helper, int nargs, const struct arg *args)
{
	int r;

	for (int i = 0; i < nargs; i++) {
		int reg = BPF_REG_1 + i;

		switch (args[i].kind) {
		case A_REG:
			mov_reg(L, reg, (int)args[i].v);
			break;
		case A_STACK:
			mov_reg(L, reg, L->base);
			ir_emit(L->f, ALUK(BPF_ADD), reg, IR_NOREG, 0, (int32_t)args[i].v);
			break;
		case A_MAP:
			ir_ldmap(L->f, reg, (int)args[i].v);
			break;
		case A_IMM:
			mov_imm(L, reg, args[i].v);
			break;
		case A_FUNC: /* a callback: a subprogram of the probe's function */
			ir_ldfunc(L->f, reg, (int)args[i].v);
			break;
		case A_IMM32: /* zero-extended 32-bit immediate */
			ir_emit(L->f, BPF_ALU | BPF_MOV | BPF_K, reg, IR_NOREG, 0,
				(int32_t)args[i].v);
			break;
		}
	}
	ir_call(L->f, helper, nargs);
	r = ir_vreg(L->f);
	mov_reg(L, r, BPF_REG_0);
	return r;
}

static int call0(struct lower *L, int helper)
{
	return call(L, helper, 0, NULL);
}

/* ---- maps ---- */

/* Build the key of map reference n (its key expressions) on the stack;
 * bucket, when not IR_NOREG, is the histogram bucket stored last. */
static int build_key(struct lower *L, struct map_def *m, struct node *keys,
		     int bucket, struct loc loc)
{
	int off = stack_alloc(L, m->key_size, loc);
	int i = 0;

	if (m->nkeys == 0 && m->kind != MAPK_HIST && m->kind != MAPK_LHIST) {
		if (m->key_size == 4)
			ir_emit(L->f, BPF_ST | BPF_MEM | BPF_W, L->base, IR_NOREG, off, 0);
		else
			zero_range(L, off, m->key_size);
		return off;
	}
	for (struct node *k = keys; k; k = k->next, i++) {
		int koff = off + (int)m->key_off[i];

		if (type_in_memory(m->keys[i]))
			lower_bytes_into(L, k, koff, m->keys[i], (m->keys[i].size + 7) & ~7u,
					 true);
		else
			store_reg(L, koff, lower_int(L, k));
	}
	if (bucket != IR_NOREG && m->nkeys == 0 && m->key_size == 4)
		/* a keyless histogram's array: the bucket is the u32 index */
		ir_emit(L->f, BPF_STX | BPF_MEM | BPF_W, L->base, bucket, off, 0);
	else if (bucket != IR_NOREG)
		store_reg(L, off + (int)m->key_size - 8, bucket);
	return off;
}

/* v = lookup(m, key); returns the register holding the value pointer
 * (possibly NULL: callers check). */
static int map_lookup(struct lower *L, struct map_def *m, int key)
{
	struct arg a[] = { AMAP(m->index), ASTACK(key) };

	return call(L, BPF_FUNC_map_lookup_elem, 2, a);
}

static void count_lost(struct lower *L, uint32_t what);

/* A hash map refuses a new key when full (E2BIG): the update is counted
 * as dropped, said at exit. An array has every element: none fails. */
static void map_update(struct lower *L, struct map_def *m, int key, int val)
{
	struct arg a[] = { AMAP(m->index), ASTACK(key), ASTACK(val), AIMM(BPF_ANY) };
	int r = call(L, BPF_FUNC_map_update_elem, 4, a), ok;

	if (map_is_array(m) || !L->tab->lost ||
	    LOST_MAP(m->index) >= LOST_COUNTERS(L->tab->lost))
		return;
	ok = ir_label(L->f);
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, r, IR_NOREG, 0, ok);
	count_lost(L, LOST_MAP(m->index));
	ir_place(L->f, ok);
}

/* After the update of a value found by lookup: the path where it was
 * missing. An array has every element, so a keyless aggregation (a
 * per-CPU array) needs none, and init is just done; else this emits
 * "goto done; init:" and returns true for the caller to create the value
 * there. */
static bool agg_missing(struct lower *L, struct map_def *m, int init, int done)
{
	if (map_is_array(m)) {
		ir_place(L->f, init);
		return false;
	}
	ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, done);
	ir_place(L->f, init);
	return true;
}

/* Add inc (a register, or the constant 1 when inc is IR_NOREG) to the u64
 * value at key of a per-CPU map, creating it when missing. Per-CPU values
 * need no atomic operation; an update from BPF writes only this CPU's slot,
 * so BPF_ANY is right even when another CPU created the key meanwhile. */
static void agg_add(struct lower *L, struct map_def *m, int key, int inc)
{
	int init = ir_label(L->f), done = ir_label(L->f);
	int v = map_lookup(L, m, key);
	int t;

	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, v, IR_NOREG, 0, init);
	t = load_mem(L, v, 0, 8);
	if (inc == IR_NOREG)
		ir_emit(L->f, ALUK(BPF_ADD), t, IR_NOREG, 0, 1);
	else
		ir_emit(L->f, ALU(BPF_ADD), t, inc, 0, 0);
	ir_emit(L->f, BPF_STX | BPF_MEM | BPF_DW, v, t, 0, 0);
	if (agg_missing(L, m, init, done)) {
		int val = stack_alloc(L, 8, L->f->loc);

		if (inc == IR_NOREG)
			ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, val, 1);
		else
			store_reg(L, val, inc);
		map_update(L, m, key, val);
	}
	ir_place(L->f, done);
}

/* bucket = 0 for v < 0, 1 for v == 0, else 2 + floor(log2(v)): a binary
 * search on the highest bit set. Below 2^32 a step compares with an
 * immediate and shifts (3 instructions); the 2^32 step, whose bound does
 * not fit an immediate, shifts a copy; the last step only compares. */
static int hist_bucket(struct lower *L, int v)
{
	int b = ir_vreg(L->f), t = ir_vreg(L->f), t2 = ir_vreg(L->f);
	int done = ir_label(L->f), skip = ir_label(L->f);

	mov_imm(L, b, 0);
	ir_jump(L->f, BPF_JMP | BPF_JSLT | BPF_K, v, IR_NOREG, 0, done);
	mov_imm(L, b, 1);
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, v, IR_NOREG, 0, done);
	mov_imm(L, b, 2);
	mov_reg(L, t, v);
	mov_reg(L, t2, t);
	ir_emit(L->f, ALUK(BPF_RSH), t2, IR_NOREG, 0, 32);
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, t2, IR_NOREG, 0, skip);
	ir_emit(L->f, ALUK(BPF_ADD), b, IR_NOREG, 0, 32);
	mov_reg(L, t, t2);
	ir_place(L->f, skip);
	for (int shift = 16; shift; shift >>= 1) {
		int next = ir_label(L->f);

		ir_jump(L->f, BPF_JMP | BPF_JLT | BPF_K, t, IR_NOREG, 1 << shift, next);
		if (shift > 1)
			ir_emit(L->f, ALUK(BPF_RSH), t, IR_NOREG, 0, shift);
		ir_emit(L->f, ALUK(BPF_ADD), b, IR_NOREG, 0, shift);
		ir_place(L->f, next);
	}
	ir_place(L->f, done);
	return b;
}

/* lhist: 0 below min, 1 + (x - min) / step inside, the last at or above
 * max. */
static int lhist_bucket(struct lower *L, struct map_def *m, int x)
{
	int64_t n = (m->lhist_max - m->lhist_min) / m->lhist_step;
	int b = ir_vreg(L->f), done = ir_label(L->f);
	int lo = new_imm(L, m->lhist_min), hi = new_imm(L, m->lhist_max);

	mov_imm(L, b, 0);
	ir_jump(L->f, BPF_JMP | BPF_JSLT | BPF_X, x, lo, 0, done);
	mov_imm(L, b, n + 1);
	ir_jump(L->f, BPF_JMP | BPF_JSGE | BPF_X, x, hi, 0, done);
	mov_reg(L, b, x);
	ir_emit(L->f, ALU(BPF_SUB), b, lo, 0, 0);
	if (m->lhist_step != 1)
		ir_emit(L->f, ALU(BPF_DIV), b, new_imm(L, m->lhist_step), 0, 0);
	ir_emit(L->f, ALUK(BPF_ADD), b, IR_NOREG, 0, 1);
	ir_place(L->f, done);
	return b;
}

/* Look the per-CPU value at key up; jump to init when it is missing.
 * Returns the register holding the value pointer. */
static int agg_lookup(struct lower *L, struct map_def *m, int key, int init)
{
	int v = map_lookup(L, m, key);

	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, v, IR_NOREG, 0, init);
	return v;
}

/* Create the value at key from two u64 words (registers, or constants
 * when the register is IR_NOREG). */
static void agg_create(struct lower *L, struct map_def *m, int key, int w0,
		       int64_t c0, int w1, int64_t c1)
{
	int val = stack_alloc(L, 16, L->f->loc);
	int w[2] = { w0, w1 };
	int64_t c[2] = { c0, c1 };

	for (int i = 0; i < 2; i++) {
		if (w[i] == IR_NOREG)
			ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG,
				val + 8 * i, (int32_t)c[i]);
		else
			store_reg(L, val + 8 * i, w[i]);
	}
	map_update(L, m, key, val);
}

/* avg / stats: { count, sum } += { 1, x } */
static void agg_avg(struct lower *L, struct map_def *m, int key, int x)
{
	int init = ir_label(L->f), done = ir_label(L->f);
	int v = agg_lookup(L, m, key, init);
	int t = load_mem(L, v, 0, 8);

	ir_emit(L->f, ALUK(BPF_ADD), t, IR_NOREG, 0, 1);
	ir_emit(L->f, BPF_STX | BPF_MEM | BPF_DW, v, t, 0, 0);
	t = load_mem(L, v, 8, 8);
	ir_emit(L->f, ALU(BPF_ADD), t, x, 0, 0);
	ir_emit(L->f, BPF_STX | BPF_MEM | BPF_DW, v, t, 8, 0);
	if (agg_missing(L, m, init, done))
		agg_create(L, m, key, IR_NOREG, 1, x, 0);
	ir_place(L->f, done);
}

/* min / max: { value, seen }: this CPU's extreme so far */
static void agg_minmax(struct lower *L, struct map_def *m, int key, int x,
		       bool is_signed)
{
	int init = ir_label(L->f), set = ir_label(L->f), done = ir_label(L->f);
	int v = agg_lookup(L, m, key, init);
	int seen = load_mem(L, v, 8, 8), cur;
	uint8_t keep = m->kind == MAPK_MIN ? (is_signed ? BPF_JSGE : BPF_JGE)
					   : (is_signed ? BPF_JSLE : BPF_JLE);

	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, seen, IR_NOREG, 0, set);
	cur = load_mem(L, v, 0, 8);
	ir_jump(L->f, BPF_JMP | keep | BPF_X, x, cur, 0, done);
	ir_place(L->f, set);
	ir_emit(L->f, BPF_STX | BPF_MEM | BPF_DW, v, x, 0, 0);
	ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, v, IR_NOREG, 8, 1);
	if (agg_missing(L, m, init, done))
		agg_create(L, m, key, x, 0, IR_NOREG, 1);
	ir_place(L->f, done);
}

static int sdiv_regs(struct lower *L, int x, int y, uint8_t op);

/* The value of a count, sum, avg, min or max map element over every
 * possible CPU, read with bpf_map_lookup_percpu_elem in a bounded loop:
 * a sum, the sum over the count, or the extreme of the CPUs that saw a
 * value; 0 when the key is missing. */
static int agg_read(struct lower *L, struct map_def *m, int key)
{
	int ncpus = libbpf_num_possible_cpus();
	int acc = new_imm(L, 0), cnt = new_imm(L, 0), cpu = new_imm(L, 0);
	int head = ir_label(L->f), next = ir_label(L->f), end = ir_label(L->f);
	bool minmax = m->kind == MAPK_MIN || m->kind == MAPK_MAX;

	ir_place(L->f, head);
	ir_jump(L->f, BPF_JMP | BPF_JGE | BPF_K, cpu, IR_NOREG, ncpus > 0 ? ncpus : 1, end);
	struct arg a[] = { AMAP(m->index), ASTACK(key), AREG(cpu) };
	int v = call(L, BPF_FUNC_map_lookup_percpu_elem, 3, a);
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, v, IR_NOREG, 0, next);
	if (minmax) {
		/* { value, seen }: the first seen value, then better ones */
		int take = ir_label(L->f);
		int seen = load_mem(L, v, 8, 8), x;
		uint8_t keep = m->kind == MAPK_MIN ? (m->val.is_signed ? BPF_JSGE : BPF_JGE)
						   : (m->val.is_signed ? BPF_JSLE : BPF_JLE);

		ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, seen, IR_NOREG, 0, next);
		x = load_mem(L, v, 0, 8);
		ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, cnt, IR_NOREG, 0, take);
		ir_jump(L->f, BPF_JMP | keep | BPF_X, x, acc, 0, next);
		ir_place(L->f, take);
		mov_reg(L, acc, x);
		mov_imm(L, cnt, 1);
	} else if (m->kind == MAPK_AVG) {
		/* { count, sum } */
		ir_emit(L->f, ALU(BPF_ADD), cnt, load_mem(L, v, 0, 8), 0, 0);
		ir_emit(L->f, ALU(BPF_ADD), acc, load_mem(L, v, 8, 8), 0, 0);
	} else {
		ir_emit(L->f, ALU(BPF_ADD), acc, load_mem(L, v, 0, 8), 0, 0);
	}
	ir_place(L->f, next);
	ir_emit(L->f, ALUK(BPF_ADD), cpu, IR_NOREG, 0, 1);
	ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, head);
	ir_place(L->f, end);
	if (m->kind != MAPK_AVG)
		return acc;
	int r = new_imm(L, 0), none = ir_label(L->f);
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, cnt, IR_NOREG, 0, none);
	mov_reg(L, r, sdiv_regs(L, acc, cnt, BPF_DIV));
	ir_place(L->f, none);
	return r;
}

/* Read an integer map value: 0 when the key is missing. */
static int map_read_int(struct lower *L, struct node *n)
{
	struct map_def *m = n->map;
	unsigned mark = L->sp;
	int key = build_key(L, m, n->args, IR_NOREG, n->loc);

	if (m->kind != MAPK_VALUE) {
		int r = agg_read(L, m, key);

		L->sp = mark;
		return r;
	}
	int v = map_lookup(L, m, key);
	int r = ir_vreg(L->f), miss = ir_label(L->f);

	L->sp = mark;
	mov_imm(L, r, 0);
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, v, IR_NOREG, 0, miss);
	ir_emit(L->f, BPF_LDX | BPF_MEM | BPF_DW, r, v, 0, 0);
	ir_place(L->f, miss);
	return r;
}

/* ---- output ---- */

/* Add one to counter what of the MAPK_LOST counters (LOST_*): an atomic
 * add at its address, loaded as a constant (5 instructions with the
 * caller's jump over it, no helper call). The counters are shared by the
 * CPUs, not per CPU (a per-CPU array has no value address to load):
 * they are only written while something is being lost, so CPUs contend
 * for them only then, never on the probe's normal path. That is also
 * why the callers jump over this rather than add 0 or 1 unconditionally
 * (one instruction fewer, but a locked write on every event). */
static void count_lost(struct lower *L, uint32_t what)
{
	int addr = ir_vreg(L->f), one = ir_vreg(L->f);

	ir_ldmapval(L->f, addr, L->tab->lost->index, 8 * what);
	mov_imm(L, one, 1);
	ir_emit(L->f, BPF_STX | BPF_ATOMIC | BPF_DW, addr, one, 0, BPF_ADD);
}

/* Send the record at rec (size bytes) to user space; count it as lost
 * when the channel is full. */
static void output(struct lower *L, int rec, unsigned size)
{
	int r, ok = ir_label(L->f);

	if (L->tab->ringbuf) {
		struct arg a[] = { AMAP(L->tab->output->index), ASTACK(rec),
				   AIMM(size), AIMM(0) };
		r = call(L, BPF_FUNC_ringbuf_output, 4, a);
	} else {
		struct arg a[] = { AREG(L->ctx), AMAP(L->tab->output->index),
				   { A_IMM32, BPF_F_CURRENT_CPU }, ASTACK(rec),
				   AIMM(size) };
		r = call(L, BPF_FUNC_perf_event_output, 5, a);
	}
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, r, IR_NOREG, 0, ok);
	count_lost(L, LOST_EVENTS);
	ir_place(L->f, ok);
}

/* printf, system and print(value): a record of the arguments (after the
 * format, for the first two) laid out as n->fmt says. */
static void lower_printf(struct lower *L, struct node *n)
{
	const struct fmt_def *f = n->fmt;
	int rec = stack_alloc(L, f->size, n->loc);
	unsigned end = 8;
	int i = 0;

	ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, rec, f->id);
	for (struct node *a = f->value ? n->args : n->args->next; a; a = a->next, i++) {
		const struct fmt_arg *fa = &f->args[i];

		if (fa->off > end)
			zero_range(L, rec + (int)end, fa->off - end);
		if (type_in_memory(fa->type)) {
			lower_bytes_into(L, a, rec + (int)fa->off, fa->type, fa->type.size,
					 false);
			end = fa->off + fa->type.size;
		} else {
			store_reg(L, rec + (int)fa->off, lower_int(L, a));
			end = fa->off + 8;
		}
	}
	if (f->size > end)
		zero_range(L, rec + (int)end, f->size - end);
	output(L, rec, f->size);
}

/* An event for user space with up to three u32 arguments (map number,
 * print's top and div, a string index). */
static void emit_event(struct lower *L, int id, uint32_t a, uint32_t b, uint32_t c)
{
	int rec = stack_alloc(L, 24, L->f->loc);
	uint32_t arg[4] = { a, b, c, 0 };

	ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, rec, id);
	for (int i = 0; i < 4; i++)
		ir_emit(L->f, BPF_ST | BPF_MEM | BPF_W, L->base, IR_NOREG,
			rec + 8 + 4 * i, (int32_t)arg[i]);
	output(L, rec, 24);
}

/* print(@m, top, div), clear(@m), zero(@m): done by user space, which owns
 * the whole map; delete(@m[k]) here. */
static void lower_map_call(struct lower *L, struct node *n)
{
	struct node *mapn = n->args;
	struct map_def *m = mapn->map;

	if (n->fn == FN_DELETE) {
		unsigned mark = L->sp;
		int key = build_key(L, m, mapn->args, IR_NOREG, mapn->loc);
		struct arg a[] = { AMAP(m->index), ASTACK(key) };

		call(L, BPF_FUNC_map_delete_elem, 2, a);
		L->sp = mark;
		return;
	}
	if (n->fn == FN_PRINT) {
		struct node *top = mapn->next, *div = top ? top->next : NULL;

		emit_event(L, EVENT_PRINT, m->index, top ? (uint32_t)top->ival : 0,
			   div ? (uint32_t)div->ival : 0);
		return;
	}
	emit_event(L, n->fn == FN_CLEAR ? EVENT_CLEAR : EVENT_ZERO, m->index, 0, 0);
}

/* len(@m): the elements bpf_for_each_map_elem visits with a callback
 * that only goes on; len(kstack), len(ustack): the frames bpf_get_stack
 * writes. */
static int lower_len(struct lower *L, struct node *n)
{
	struct node *a = n->args;

	if (a->kind == AST_MAP) {
		int k = ir_sub_new(L->main);
		struct ir_func *cb = L->main->subs[k];
		struct arg args[] = { AMAP(a->map->index), { A_FUNC, k }, AIMM(0), AIMM(0) };

		ir_emit(cb, ALUK(BPF_MOV), BPF_REG_0, IR_NOREG, 0, 0);
		ir_emit(cb, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
		return call(L, BPF_FUNC_for_each_map_elem, 4, args);
	}
	unsigned mark = L->sp, size = 127 * 8; /* perf_event_max_stack's default */
	int buf = stack_alloc(L, size, n->loc), r, ok = ir_label(L->f);
	struct arg args[] = { AREG(L->ctx), ASTACK(buf), AIMM(size),
			      AIMM(a->builtin == BI_USTACK ? BPF_F_USER_STACK : 0) };

	r = call(L, BPF_FUNC_get_stack, 4, args);
	L->sp = mark;
	ir_jump(L->f, BPF_JMP | BPF_JSGE | BPF_K, r, IR_NOREG, 0, ok);
	mov_imm(L, r, 0);
	ir_place(L->f, ok);
	ir_emit(L->f, ALUK(BPF_RSH), r, IR_NOREG, 0, 3);
	return r;
}

/* has_key(@m, k...): 1 when the key is in the map. */
static int lower_has_key(struct lower *L, struct node *n)
{
	struct node *mapn = n->args;
	struct map_def *m = mapn->map;
	unsigned mark = L->sp;
	int key = build_key(L, m, mapn->next, IR_NOREG, n->loc);
	int v = map_lookup(L, m, key), r = ir_vreg(L->f), miss = ir_label(L->f);

	L->sp = mark;
	mov_imm(L, r, 0);
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, v, IR_NOREG, 0, miss);
	mov_imm(L, r, 1);
	ir_place(L->f, miss);
	return r;
}

static void lower_exit(struct lower *L, struct node *n)
{
	int rec = stack_alloc(L, 16, n->loc);

	ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, rec, EVENT_EXIT);
	if (n->args)
		store_reg(L, rec + 8, lower_int(L, n->args));
	else
		ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, rec + 8, 0);
	output(L, rec, 16);
	ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, L->exit_label);
}

/* ---- strings ---- */

/* Copy size bytes between stack slots or from a pointer register. */
static void copy_mem(struct lower *L, int dst_off, int src_base, int src_off,
		     unsigned size)
{
	for (unsigned i = 0; i < size; i += 8) {
		unsigned w = size - i >= 8 ? 8 : size - i >= 4 ? 4 : size - i >= 2 ? 2 : 1;
		static const uint8_t sz[9] = { [1] = BPF_B, [2] = BPF_H, [4] = BPF_W, [8] = BPF_DW };
		int t = load_mem(L, src_base, src_off + (int)i, w);

		ir_emit(L->f, BPF_STX | BPF_MEM | sz[w], L->base, t, dst_off + (int)i, 0);
		if (w < 8)
			i -= 8 - w;
	}
}

static int read_str_helper(const struct lower *L, enum addr_space as)
{
	if (as == AS_ANY && target_has(L->tgt, TF_COMPAT_READ))
		return BPF_FUNC_probe_read_str;
	return as == AS_USER ? BPF_FUNC_probe_read_user_str : BPF_FUNC_probe_read_kernel_str;
}

/* The helper reading memory at an address of type t. */
static int read_helper(const struct lower *L, struct type t)
{
	if (t.kind == TYPE_PTR && t.as == AS_USER)
		return BPF_FUNC_probe_read_user;
	if (t.kind == TYPE_PTR && t.as == AS_ANY && target_has(L->tgt, TF_COMPAT_READ))
		return BPF_FUNC_probe_read;
	return BPF_FUNC_probe_read_kernel;
}

/* The helper reading memory of address space as. */
static int read_helper_as(const struct lower *L, enum addr_space as)
{
	return read_helper(L, (struct type){ .kind = TYPE_PTR, .as = as });
}

/* Is n C data in memory that is not read itself but whose address is
 * its members' or elements' base (a struct, union or array)? */
static bool mem_place(const struct node *n)
{
	const struct ctype *r;

	if (!n->mem)
		return false;
	r = ctype_resolve(n->ct);
	return r && (r->kind == CT_STRUCT || r->kind == CT_UNION || r->kind == CT_ARRAY);
}

/* The address of the C data n (n->mem): a register plus the constant
 * *off. A chain of members and constant indexes through one pointer
 * ($sk->__sk_common.skc_daddr, p->arr[2]) sums into *off, so the data
 * is read once, where it is. */
static int mem_addr(struct lower *L, struct node *n, int32_t *off)
{
	struct node *b = n->a;
	int r;

	if (mem_place(b)) {
		r = mem_addr(L, b, off);
	} else {
		r = lower_int(L, b);
		*off = 0;
	}
	if (n->kind == AST_FIELD) {
		*off += (int32_t)n->member_off;
	} else if (n->kind == AST_INDEX) {
		int64_t esize = ctype_resolve(n->ct)->size;

		if (n->b->kind == AST_INT) {
			*off += (int32_t)(n->b->ival * esize);
		} else {
			int i = ir_vreg(L->f), a = ir_vreg(L->f);

			mov_reg(L, i, lower_int(L, n->b));
			if (esize != 1)
				ir_emit(L->f, ALUK(BPF_MUL), i, IR_NOREG, 0, (int32_t)esize);
			mov_reg(L, a, r);
			ir_emit(L->f, ALU(BPF_ADD), a, i, 0, 0);
			r = a;
		}
	}
	return r;
}

/* The address of n in a register of its own. */
static int mem_addr_reg(struct lower *L, struct node *n)
{
	int32_t off = 0;
	int r = mem_addr(L, n, &off), a;

	if (!off)
		return r;
	a = ir_vreg(L->f);
	mov_reg(L, a, r);
	ir_emit(L->f, ALUK(BPF_ADD), a, IR_NOREG, 0, off);
	return a;
}

/* An integer or pointer of C data in memory (n->mem): one read of its
 * size; a bitfield's bytes read and its bits shifted out and extended. */
static int mem_read_int(struct lower *L, struct node *n)
{
	const struct ctype *r = ctype_resolve(n->ct);
	const struct cmember *m = n->kind == AST_FIELD ? n->member : NULL;
	unsigned size = r->size, bits = 0, shift = 0;
	int32_t off = 0;
	int addr = mem_addr(L, n, &off), a, v;
	unsigned mark = L->sp;
	int tmp = stack_alloc(L, 8, n->loc);

	if (m && m->bit_size) {
		size = bitfield_span(m, &off, &shift);
		bits = m->bit_size;
	}
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		diag_error(n->loc, "internal error: reading %u bytes as an integer", size);
		L->errors++;
		return new_imm(L, 0);
	}
	a = addr;
	if (off) {
		a = ir_vreg(L->f);
		mov_reg(L, a, addr);
		ir_emit(L->f, ALUK(BPF_ADD), a, IR_NOREG, 0, off);
	}
	struct arg args[] = { ASTACK(tmp), AIMM(size), AREG(a) };
	call(L, read_helper_as(L, n->as), 3, args);
	v = load_mem(L, L->base, tmp, size);
	L->sp = mark;
	c_int_finish(L, v, r, size, shift, bits);
	return v;
}

/* Make the size bytes loaded into v a 64-bit value of C type r: the
 * bitfield of bits bits at bit shift moved down (masked, and
 * sign-extended where r is signed), or the integer extended. */
static void c_int_finish(struct lower *L, int v, const struct ctype *r, unsigned size,
			 unsigned shift, unsigned bits)
{
	if (bits) {
		/* the field's bits to the top, then down again */
		if (shift + bits < 64)
			ir_emit(L->f, ALUK(BPF_LSH), v, IR_NOREG, 0, (int32_t)(64 - shift - bits));
		if (bits < 64)
			ir_emit(L->f, ALUK(r->is_signed ? BPF_ARSH : BPF_RSH), v, IR_NOREG, 0,
				(int32_t)(64 - bits));
	} else if (ctype_classify(r) == CC_INT && r->is_signed) {
		/* (a load zero-extends: unsigned values are done) */
		extend(L, v, size, true);
	}
}

/* The bytes a bitfield of m needs: its first byte (*off, from the
 * member's offset), the load size, the bit shift in it. */
static unsigned bitfield_span(const struct cmember *m, int32_t *off, unsigned *shift)
{
	unsigned need;

	*off += (int32_t)(m->bit_off / 8);
	*shift = m->bit_off % 8;
	need = (*shift + m->bit_size + 7) / 8;
	if (need > 8) { /* a 64-bit field not byte-aligned: rare */
		*shift = 0;
		return 8;
	}
	return need <= 1 ? 1 : need <= 2 ? 2 : need <= 4 ? 4 : 8;
}

/* A member of a struct value on the stack (a local, a map's value). */
static int record_member_int(struct lower *L, struct node *n)
{
	const struct cmember *m = n->member;
	const struct ctype *r = ctype_resolve(m->type);
	int32_t off = (int32_t)n->member_off;
	unsigned size = r->size, shift = 0;
	int src = str_operand(L, n->a), v;

	if (m->bit_size)
		size = bitfield_span(m, &off, &shift);
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		diag_error(n->loc, "internal error: reading %u bytes as an integer", size);
		L->errors++;
		return new_imm(L, 0);
	}
	v = load_mem(L, L->base, src + off, size);
	c_int_finish(L, v, r, size, shift, m->bit_size);
	return v;
}

/* C data in memory (n->mem) that lives in memory as a value too: a char
 * array as a string, other arrays as a buffer, a struct whole. */
static void mem_read_into(struct lower *L, struct node *n, int off,
			  unsigned size, bool zero)
{
	unsigned tsize = n->type.size < size ? n->type.size : size;
	int a = mem_addr_reg(L, n);

	switch (n->type.kind) {
	case TYPE_STR: {
		if (zero)
			zero_range(L, off, size);
		struct arg args[] = { ASTACK(off), AIMM(tsize), AREG(a) };
		call(L, read_str_helper(L, n->as), 3, args);
		return;
	}
	case TYPE_BUF: {
		unsigned len = tsize > 8 ? tsize - 8 : 0;

		ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, off, (int32_t)len);
		struct arg args[] = { ASTACK(off + 8), AIMM(len), AREG(a) };
		call(L, read_helper_as(L, n->as), 3, args);
		break;
	}
	default: {
		struct arg args[] = { ASTACK(off), AIMM(tsize), AREG(a) };
		call(L, read_helper_as(L, n->as), 3, args);
		break;
	}
	}
	if (size > tsize)
		zero_range(L, off + (int)tsize, size - tsize);
}

/* kstack / ustack: { stack id, pid } */
static void lower_stack(struct lower *L, struct node *n, int off)
{
	struct arg a[] = { AREG(L->ctx),
			   AMAP(tab_map_of_kind(L->tab, MAPK_STACKS)->index),
			   AIMM(n->builtin == BI_USTACK ? BPF_F_USER_STACK : 0) };
	int id = call(L, BPF_FUNC_get_stackid, 3, a);
	int pid, kept = ir_label(L->f);

	store_reg(L, off, id);
	/* a stack the map could not keep (full: ENOMEM; another stack in
	 * its bucket: EEXIST) prints empty: counted, said at exit; EFAULT
	 * is no stack to take (ustack of a kernel thread) */
	if (L->tab->lost && LOST_STACK < LOST_COUNTERS(L->tab->lost)) {
		ir_jump(L->f, BPF_JMP | BPF_JSGE | BPF_K, id, IR_NOREG, 0, kept);
		ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, id, IR_NOREG, -EFAULT, kept);
		count_lost(L, LOST_STACK);
		ir_place(L->f, kept);
	}
	pid = call0(L, BPF_FUNC_get_current_pid_tgid);
	ir_emit(L->f, ALUK(BPF_RSH), pid, IR_NOREG, 0, 32);
	store_reg(L, off + 8, pid);
}

/* Where the provider keeps argN, retval or caller in the context (sema
 * checked that it has them). */
static int ctx_value(struct lower *L, const struct node *n, struct ctx_value *v)
{
	enum ctx_name name = n->builtin == BI_ARG ? CTX_ARG :
			     n->builtin == BI_RETVAL ? CTX_RETVAL : CTX_CALLER;
	char err[256];

	if (L->pc->value(L->pc, L->tgt, name, (unsigned)n->ival, n->name, v, err,
			 sizeof(err))) {
		diag_error(n->loc, "%s", err);
		L->errors++;
		return -1;
	}
	return 0;
}

/* caller: the return address at function entry, from the link register
 * or (x86_64) the top of the stack; a uprobe's with the pid, as usym. */
static void lower_caller(struct lower *L, struct node *n, int off)
{
	struct ctx_value v;

	if (ctx_value(L, n, &v))
		return;
	if (!v.at_sp) {
		store_reg(L, off, load_mem(L, L->ctx, (int)v.off, v.size));
	} else {
		int sp = load_mem(L, L->ctx, (int)v.off, v.size);
		struct arg a[] = { ASTACK(off), AIMM(8), AREG(sp) };

		call(L, v.as == AS_USER ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel,
		     3, a);
	}
	if (n->type.kind == TYPE_USYM) {
		int pid = call0(L, BPF_FUNC_get_current_pid_tgid);

		ir_emit(L->f, ALUK(BPF_RSH), pid, IR_NOREG, 0, 32);
		store_reg(L, off + 8, pid);
	}
}

/* An array of bytes in the context (a tracepoint's u8 addr[16]): read
 * where it is, not through a pointer. */
static bool is_ctx_bytes(const struct node *n)
{
	return n->kind == AST_FIELD && n->member &&
	       ctype_classify(n->member->type) == CC_BYTES;
}

/* Read n bytes at the address in reg (or a context array field) into
 * [off, off + n). */
static void read_mem(struct lower *L, struct node *src, int off, unsigned n)
{
	int ptr;
	int helper = BPF_FUNC_probe_read_kernel;

	if (src->mem) {
		ptr = mem_addr_reg(L, src);
		helper = read_helper_as(L, src->as);
	} else if (is_ctx_bytes(src)) {
		ptr = ir_vreg(L->f);
		mov_reg(L, ptr, L->ctx);
		ir_emit(L->f, ALUK(BPF_ADD), ptr, IR_NOREG, 0, (int32_t)src->member_off);
	} else {
		ptr = lower_int(L, src);
		helper = read_helper(L, src->type);
	}
	struct arg a[] = { ASTACK(off), AIMM(n), AREG(ptr) };
	call(L, helper, 3, a);
}

/* join(argv[, delim]): up to JOIN_MAX strings of the NULL-terminated
 * array, each read into its slot of the record, then the record. */
static void lower_join(struct lower *L, struct node *n)
{
	unsigned slot = (unsigned)n->len, size = 24 + JOIN_MAX * slot;
	int rec = stack_alloc(L, size, n->loc), tmp = stack_alloc(L, 8, n->loc);
	int argv = ir_vreg(L->f), done = ir_label(L->f);
	struct type t = n->args->type;

	/* on the stack every byte sent must be written; a scratch value is
	 * initialised memory already */
	if (!L->scratch) /* the header is written below */
		zero_range(L, rec + 24, size - 24);
	ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, rec, EVENT_JOIN);
	ir_emit(L->f, BPF_ST | BPF_MEM | BPF_W, L->base, IR_NOREG, rec + 8, 0);
	ir_emit(L->f, BPF_ST | BPF_MEM | BPF_W, L->base, IR_NOREG, rec + 12, (int32_t)n->ival);
	ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, rec + 16, (int32_t)slot);
	mov_reg(L, argv, lower_int(L, n->args));
	for (int i = 0; i < JOIN_MAX; i++) {
		struct arg rd[] = { ASTACK(tmp), AIMM(8), AREG(argv) };

		call(L, read_helper(L, t), 3, rd);
		int p = load_mem(L, L->base, tmp, 8);
		ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, p, IR_NOREG, 0, done);
		struct arg rs[] = { ASTACK(rec + 24 + i * (int)slot), AIMM(slot), AREG(p) };
		call(L, read_str_helper(L, t.kind == TYPE_PTR ? t.as : AS_KERNEL), 3, rs);
		ir_emit(L->f, BPF_ST | BPF_MEM | BPF_W, L->base, IR_NOREG, rec + 8, i + 1);
		ir_emit(L->f, ALUK(BPF_ADD), argv, IR_NOREG, 0, 8);
	}
	ir_place(L->f, done);
	output(L, rec, size);
}

/* ksym, usym, ntop, strftime, buf: their values, laid out as type.h says,
 * into [off, off + size). */
static void lower_value_call(struct lower *L, struct node *n, int off, unsigned size)
{
	struct node *a = n->args;
	unsigned used = n->type.size;

	switch (n->type.kind) {
	case TYPE_KSYM:
		store_reg(L, off, lower_int(L, a));
		break;
	case TYPE_TIME:
		store_reg(L, off, lower_int(L, a->next));
		ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, off + 8,
			(int32_t)n->ival);
		break;
	case TYPE_USYM: {
		store_reg(L, off, lower_int(L, a));
		int pid = call0(L, BPF_FUNC_get_current_pid_tgid);

		ir_emit(L->f, ALUK(BPF_RSH), pid, IR_NOREG, 0, 32);
		store_reg(L, off + 8, pid);
		break;
	}
	case TYPE_INET: {
		struct node *addr = a->next ? a->next : a;
		bool arr = is_ctx_bytes(addr);
		unsigned alen = arr ? addr->member->type->size : 4;

		if (a->next)
			store_reg(L, off, lower_int(L, a));
		else
			ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, off,
				alen == 16 ? 10 : 2); /* AF_INET6 : AF_INET */
		zero_range(L, off + 8, 16);
		if (arr) {
			read_mem(L, addr, off + 8, alen);
		} else {
			/* an IPv4 address read as an integer keeps its memory
			 * (network) byte order in the low 4 bytes */
			int v = lower_int(L, addr);

			ir_emit(L->f, BPF_STX | BPF_MEM | BPF_W, L->base, v, off + 8, 0);
		}
		break;
	}
	case TYPE_BUF: {
		unsigned n_ = n->type.size - 8;

		ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, off, (int32_t)n_);
		read_mem(L, a, off + 8, n_);
		break;
	}
	default:
		diag_error(n->loc, "internal error: cannot lower %s()", n->name);
		L->errors++;
		return;
	}
	if (size > used)
		zero_range(L, off + (int)used, size - used);
}

/* One element of a tuple being built, at its offset, as the layout wants
 * it (every byte written). */
static void tuple_elem_into(struct lower *L, struct node *e, int off, struct type want)
{
	if (type_in_memory(want))
		lower_bytes_into(L, e, off, want, (want.size + 7) & ~7u, true);
	else
		store_reg(L, off, lower_int(L, e));
}

/* Copy a value of type have at src_off to dst_off as type want: the same
 * kinds, tuples element by element when their layouts differ, strings
 * cut or zero-padded to want's padded size. */
static void convert_mem(struct lower *L, int dst_off, struct type want, int src_off,
			struct type have)
{
	const struct tuple_def *dw = type_tuple_def(want), *dh = type_tuple_def(have);
	unsigned wsize = (want.size + 7) & ~7u, n;

	if (dw && dh && !type_equal(want, have)) {
		for (unsigned i = 0; i < dw->n && i < dh->n; i++)
			convert_mem(L, dst_off + (int)dw->off[i], dw->elem[i],
				    src_off + (int)dh->off[i], dh->elem[i]);
		return;
	}
	n = have.size < wsize ? have.size : wsize;
	copy_mem(L, dst_off, L->base, src_off, n);
	if (wsize > n)
		zero_range(L, dst_off + (int)n, wsize - n);
}

/* lower_str_into for a value that must take the layout of type want
 * (a local's, a map's, a printf argument's): only tuples may differ from
 * their destination, when a string in them is shorter. */
static void lower_bytes_into(struct lower *L, struct node *n, int off,
			     struct type want, unsigned size, bool zero)
{
	if (want.kind != TYPE_TUPLE || type_equal(want, n->type)) {
		lower_str_into(L, n, off, size, zero);
		return;
	}
	if (n->kind == AST_TUPLE) {
		const struct tuple_def *d = type_tuple_def(want);
		unsigned i = 0;

		for (struct node *e = n->args; e; e = e->next, i++)
			tuple_elem_into(L, e, off + (int)d->off[i], d->elem[i]);
	} else {
		convert_mem(L, off, want, str_operand(L, n), n->type);
	}
	if (size > want.size)
		zero_range(L, off + (int)want.size, size - want.size);
}

/* Write the string value of n into the stack buffer [off, off + size).
 * zero: every byte after the string must be zero (keys, stored values);
 * otherwise only the bytes up to the NUL matter (printf, comparisons). */
static void lower_str_into(struct lower *L, struct node *n, int off,
			   unsigned size, bool zero)
{
	unsigned tsize = n->type.size < size ? n->type.size : size;

	if (n->mem) {
		mem_read_into(L, n, off, size, zero);
		return;
	}
	switch (n->kind) {
	case AST_STR: {
		char buf[8];

		/* 4-byte immediate stores: ST takes a 32-bit immediate */
		for (unsigned i = 0; i < size; i += 4) {
			int32_t v;

			memset(buf, 0, sizeof(buf));
			for (unsigned j = 0; j < 4 && i + j < n->len && i + j < size; j++)
				buf[j] = n->str[i + j];
			memcpy(&v, buf, 4);
			if (size - i >= 4)
				ir_emit(L->f, BPF_ST | BPF_MEM | BPF_W, L->base, IR_NOREG,
					off + (int)i, v);
			else
				for (unsigned j = 0; i + j < size; j++)
					ir_emit(L->f, BPF_ST | BPF_MEM | BPF_B, L->base,
						IR_NOREG, off + (int)(i + j), buf[j]);
		}
		if (size && n->len >= size) /* truncated: keep it terminated */
			ir_emit(L->f, BPF_ST | BPF_MEM | BPF_B, L->base, IR_NOREG,
				off + (int)size - 1, 0);
		return;
	}
	case AST_IDENT: /* comm, probe, kstack, ustack */ {
		if (n->builtin == BI_KSTACK || n->builtin == BI_USTACK) {
			lower_stack(L, n, off);
			if (size > 16)
				zero_range(L, off + 16, size - 16);
			return;
		}
		if (n->builtin == BI_CALLER) {
			lower_caller(L, n, off);
			if (size > n->type.size)
				zero_range(L, off + (int)n->type.size, size - n->type.size);
			return;
		}
		if (n->builtin == BI_PROBE || n->builtin == BI_FUNC) {
			const char *text = n->builtin == BI_PROBE ? L->pc->spec : L->pc->func;
			struct node lit = { .kind = AST_STR, .str = (char *)text,
					    .len = strlen(text) };

			lower_str_into(L, &lit, off, size, zero);
			return;
		}
		struct arg a[] = { ASTACK(off), AIMM(tsize) };

		/* some kernels (6.1) copy with strscpy, which leaves the bytes
		 * after the NUL as they were: keys must not carry them */
		if (zero)
			zero_range(L, off, tsize);
		call(L, BPF_FUNC_get_current_comm, 2, a);
		if (size > tsize)
			zero_range(L, off + (int)tsize, size - tsize);
		return;
	}
	case AST_CALL: /* str(p [, n]) and the formatted values */ {
		struct node *p = n->args;

		if (n->fn != FN_STR) {
			lower_value_call(L, n, off, size);
			return;
		}

		if (p->type.kind == TYPE_STR) {
			lower_str_into(L, p, off, tsize, zero);
			if (size > tsize)
				zero_range(L, off + (int)tsize, size - tsize);
			return;
		}
		int ptr = lower_int(L, p);
		if (zero)
			zero_range(L, off, size);
		struct arg a[] = { ASTACK(off), AIMM(tsize), AREG(ptr) };
		int r = call(L, read_str_helper(L, p->type.kind == TYPE_PTR ? p->type.as : AS_KERNEL),
			     3, a);
		/* str(p) at the default length that filled its buffer may
		 * have been cut: counted, said at exit (str(p, n) chose) */
		if (!p->next && L->tab->lost && tsize == L->tgt->strlen) {
			int whole = ir_label(L->f);

			ir_jump(L->f, BPF_JMP | BPF_JNE | BPF_K, r, IR_NOREG, (int32_t)tsize, whole);
			count_lost(L, LOST_STR_CUT);
			ir_place(L->f, whole);
		}
		return;
	}
	case AST_TUPLE: {
		const struct tuple_def *d = type_tuple_def(n->type);
		unsigned i = 0;

		for (struct node *e = n->args; e; e = e->next, i++)
			tuple_elem_into(L, e, off + (int)d->off[i], d->elem[i]);
		if (size > d->size)
			zero_range(L, off + (int)d->size, size - d->size);
		return;
	}
	case AST_FIELD: {
		const struct cmember *fl = n->member;

		if (n->a->type.kind == TYPE_TUPLE) { /* t.N: bytes in place */
			const struct tuple_def *d = type_tuple_def(n->a->type);
			int src = str_operand(L, n->a);

			copy_mem(L, off, L->base, src + (int)d->off[n->ival], tsize);
			if (size > tsize)
				zero_range(L, off + (int)tsize, size - tsize);
			return;
		}
		if (n->a->type.kind == TYPE_RECORD) { /* a member of a struct value */
			int src = str_operand(L, n->a);

			if (n->type.kind == TYPE_BUF) {
				ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, off,
					(int32_t)(tsize - 8));
				copy_mem(L, off + 8, L->base, src + (int)n->member_off, tsize - 8);
			} else {
				copy_mem(L, off, L->base, src + (int)n->member_off, tsize);
			}
			if (size > tsize)
				zero_range(L, off + (int)tsize, size - tsize);
			return;
		}
		if (ctype_classify(fl->type) == CC_BYTES) {
			unsigned fsize = fl->type->size;

			ir_emit(L->f, BPF_ST | BPF_MEM | BPF_DW, L->base, IR_NOREG, off,
				(int32_t)fsize);
			read_mem(L, n, off + 8, fsize);
			if (size > 8 + fsize)
				zero_range(L, off + 8 + (int)fsize, size - 8 - fsize);
			return;
		}
		if (ctype_classify(fl->type) == CC_CHARS) {
			int p = ir_vreg(L->f);

			mov_reg(L, p, L->ctx);
			ir_emit(L->f, ALUK(BPF_ADD), p, IR_NOREG, 0, (int32_t)n->member_off);
			struct arg a[] = { ASTACK(off), AIMM(tsize), AREG(p) };
			call(L, BPF_FUNC_probe_read_kernel, 3, a);
			if (size > tsize)
				zero_range(L, off + (int)tsize, size - tsize);
			return;
		}
		/* __data_loc: the low 16 bits are the offset of the string in
		 * the record, the high 16 its length */
		int loc = load_mem(L, L->ctx, (int)n->member_off, 4);
		int p = ir_vreg(L->f);

		ir_emit(L->f, ALUK(BPF_AND), loc, IR_NOREG, 0, 0xffff);
		mov_reg(L, p, L->ctx);
		ir_emit(L->f, ALU(BPF_ADD), p, loc, 0, 0);
		if (zero)
			zero_range(L, off, size);
		struct arg a[] = { ASTACK(off), AIMM(tsize), AREG(p) };
		call(L, BPF_FUNC_probe_read_kernel_str, 3, a);
		return;
	}
	case AST_VAR:
		copy_mem(L, off, L->base, n->var->slot, tsize);
		if (size > tsize)
			zero_range(L, off + (int)tsize, size - tsize);
		return;
	case AST_MAP: {
		struct map_def *m = n->map;
		int key = build_key(L, m, n->args, IR_NOREG, n->loc);
		int v = map_lookup(L, m, key);
		int miss = ir_label(L->f), done = ir_label(L->f);

		ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, v, IR_NOREG, 0, miss);
		copy_mem(L, off, v, 0, tsize);
		ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, done);
		ir_place(L->f, miss);
		zero_range(L, off, tsize);
		ir_place(L->f, done);
		if (size > tsize)
			zero_range(L, off + (int)tsize, size - tsize);
		return;
	}
	case AST_TERNARY: {
		int els = ir_label(L->f), done = ir_label(L->f);
		int c = lower_int(L, n->a);

		ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, c, IR_NOREG, 0, els);
		lower_bytes_into(L, n->b, off, n->type, size, true);
		ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, done);
		ir_place(L->f, els);
		lower_bytes_into(L, n->c, off, n->type, size, true);
		ir_place(L->f, done);
		return;
	}
	default:
		diag_error(n->loc, "internal error: cannot lower a string %s",
			   ast_kind_name(n->kind));
		L->errors++;
		return;
	}
}

/* A string operand in a stack buffer: locals are used in place. */
static int str_operand(struct lower *L, struct node *n)
{
	int off;

	if (n->kind == AST_VAR)
		return n->var->slot;
	off = stack_alloc(L, n->type.size, n->loc);
	lower_str_into(L, n, off, n->type.size, false);
	return off;
}

/* Jump to ne when the strings differ, fall through when equal. Bytes are
 * compared up to the first NUL, the end of the shorter buffer, or limit
 * bytes when limit is not 0 (strncmp). */
static void str_compare(struct lower *L, struct node *a, struct node *b, int ne,
			unsigned limit)
{
	if (a->kind == AST_STR && b->kind != AST_STR) {
		struct node *t = a;

		a = b;
		b = t;
	}
	int aoff = str_operand(L, a);
	if (b->kind == AST_STR) {
		/* against a literal: every byte of it and its NUL */
		size_t n = b->len + 1;

		if (limit && limit < n)
			n = limit;
		if (n > a->type.size) {
			ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, ne);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			int c = load_mem(L, L->base, aoff + (int)i, 1);

			ir_jump(L->f, BPF_JMP | BPF_JNE | BPF_K, c, IR_NOREG,
				(unsigned char)b->str[i], ne);
		}
		return;
	}
	int boff = str_operand(L, b);
	unsigned n = a->type.size < b->type.size ? a->type.size : b->type.size;
	int eq = ir_label(L->f);

	if (limit && limit < n)
		n = limit;
	for (unsigned i = 0; i < n; i++) {
		int x = load_mem(L, L->base, aoff + (int)i, 1);
		int y = load_mem(L, L->base, boff + (int)i, 1);

		ir_jump(L->f, BPF_JMP | BPF_JNE | BPF_X, x, y, 0, ne);
		ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, x, IR_NOREG, 0, eq);
	}
	ir_place(L->f, eq);
}

/* strncmp(a, b, n): 0 when the first n bytes match, else 1. */
static int lower_strncmp(struct lower *L, struct node *n)
{
	struct node *a = n->args, *b = a->next, *len = b->next;
	int r = ir_vreg(L->f), ne = ir_label(L->f);

	mov_imm(L, r, 1);
	str_compare(L, a, b, ne, (unsigned)len->ival);
	mov_imm(L, r, 0);
	ir_place(L->f, ne);
	return r;
}

/* ---- integers ---- */

static bool signed_op(const struct node *a, const struct node *b)
{
	bool sa = a->type.kind == TYPE_INT && a->type.is_signed;
	bool sb = b->type.kind == TYPE_INT && b->type.is_signed;

	/* C's usual conversions once everything is 64-bit: unsigned wins */
	if (a->type.kind == TYPE_INT && a->type.size < 8)
		sa = true;
	if (b->type.kind == TYPE_INT && b->type.size < 8)
		sb = true;
	return sa && sb;
}

/* The jump opcode taken when "a op b" holds. */
static uint8_t cmp_jump(enum tok_kind op, bool is_signed)
{
	switch (op) {
	case TOK_EQ: return BPF_JEQ;
	case TOK_NE: return BPF_JNE;
	case TOK_LT: return is_signed ? BPF_JSLT : BPF_JLT;
	case TOK_LE: return is_signed ? BPF_JSLE : BPF_JLE;
	case TOK_GT: return is_signed ? BPF_JSGT : BPF_JGT;
	case TOK_GE: return is_signed ? BPF_JSGE : BPF_JGE;
	default: return 0;
	}
}

static enum tok_kind cmp_negate(enum tok_kind op)
{
	switch (op) {
	case TOK_EQ: return TOK_NE;
	case TOK_NE: return TOK_EQ;
	case TOK_LT: return TOK_GE;
	case TOK_LE: return TOK_GT;
	case TOK_GT: return TOK_LE;
	default: return TOK_LT; /* TOK_GE */
	}
}

static bool is_cmp(enum tok_kind op)
{
	return op == TOK_EQ || op == TOK_NE || op == TOK_LT || op == TOK_LE ||
	       op == TOK_GT || op == TOK_GE;
}

/* Fold an integer expression made of constants, with the semantics the
 * generated code would have (64-bit wrap-around, C's signed division,
 * eBPF's x / 0 = 0 and x % 0 = x). */
static bool const_eval(const struct node *n, int64_t *v)
{
	int64_t a, b, c;
	uint64_t ua, ub;

	switch (n->kind) {
	case AST_INT:
	case AST_BOOL:
		*v = n->ival;
		return true;
	case AST_UNOP:
		if (!const_eval(n->a, &a))
			return false;
		*v = n->op == TOK_MINUS ? (int64_t)(0 - (uint64_t)a) :
		     n->op == TOK_TILDE ? ~a : n->op == TOK_BANG ? !a : a;
		return n->op == TOK_MINUS || n->op == TOK_TILDE || n->op == TOK_BANG;
	case AST_TERNARY:
		if (!const_eval(n->a, &c) || !const_eval(n->b, &a) || !const_eval(n->c, &b))
			return false;
		*v = c ? a : b;
		return true;
	case AST_BINOP:
		break;
	default:
		return false;
	}
	if (n->a->type.kind != TYPE_INT || n->b->type.kind != TYPE_INT ||
	    !const_eval(n->a, &a) || !const_eval(n->b, &b))
		return false;
	ua = (uint64_t)a;
	ub = (uint64_t)b;
	bool sg = signed_op(n->a, n->b);
	switch (n->op) {
	case TOK_PLUS: *v = (int64_t)(ua + ub); return true;
	case TOK_MINUS: *v = (int64_t)(ua - ub); return true;
	case TOK_STAR: *v = (int64_t)(ua * ub); return true;
	case TOK_SLASH:
		if (!b)
			*v = 0;
		else if (sg && !(a == INT64_MIN && b == -1))
			*v = a / b;
		else
			*v = (int64_t)(ua / ub);
		return true;
	case TOK_PERCENT:
		if (!b)
			*v = a;
		else if (sg && !(a == INT64_MIN && b == -1))
			*v = a % b;
		else
			*v = (int64_t)(ua % ub);
		return true;
	case TOK_AMP: *v = a & b; return true;
	case TOK_PIPE: *v = a | b; return true;
	case TOK_CARET: *v = a ^ b; return true;
	case TOK_SHL: *v = (int64_t)(ua << (ub & 63)); return true;
	case TOK_SHR: *v = sg ? a >> (ub & 63) : (int64_t)(ua >> (ub & 63)); return true;
	case TOK_EQ: *v = a == b; return true;
	case TOK_NE: *v = a != b; return true;
	case TOK_LT: *v = sg ? a < b : ua < ub; return true;
	case TOK_LE: *v = sg ? a <= b : ua <= ub; return true;
	case TOK_GT: *v = sg ? a > b : ua > ub; return true;
	case TOK_GE: *v = sg ? a >= b : ua >= ub; return true;
	case TOK_ANDAND: *v = a && b; return true;
	case TOK_OROR: *v = a || b; return true;
	default: return false;
	}
}

static bool fits_imm(const struct node *n)
{
	int64_t v;

	return const_eval(n, &v) && v >= INT32_MIN && v <= INT32_MAX;
}

static int32_t imm_of(const struct node *n)
{
	int64_t v = 0;

	const_eval(n, &v);
	return (int32_t)v;
}

/* Jump to label when n's truth equals when_true; fall through otherwise. */
static void lower_branch(struct lower *L, struct node *n, int label, bool when_true)
{
	if (n->kind == AST_BINOP && (n->op == TOK_ANDAND || n->op == TOK_OROR)) {
		bool is_and = n->op == TOK_ANDAND;

		if (is_and != when_true) {
			/* a && b false: a false or b false; a || b true: either */
			lower_branch(L, n->a, label, when_true);
			lower_branch(L, n->b, label, when_true);
		} else {
			int skip = ir_label(L->f);

			lower_branch(L, n->a, skip, !when_true);
			lower_branch(L, n->b, label, when_true);
			ir_place(L->f, skip);
		}
		return;
	}
	if (n->kind == AST_UNOP && n->op == TOK_BANG) {
		lower_branch(L, n->a, label, !when_true);
		return;
	}
	if (n->kind == AST_BINOP && (n->op == TOK_EQ || n->op == TOK_NE) &&
	    n->a->type.kind == TYPE_STR) {
		bool jump_on_ne = (n->op == TOK_EQ) != when_true;

		if (jump_on_ne) {
			str_compare(L, n->a, n->b, label, 0);
		} else {
			int ne = ir_label(L->f);

			str_compare(L, n->a, n->b, ne, 0);
			ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, label);
			ir_place(L->f, ne);
		}
		return;
	}
	if (n->kind == AST_BINOP && is_cmp(n->op)) {
		enum tok_kind op = when_true ? n->op : cmp_negate(n->op);
		uint8_t j = cmp_jump(op, signed_op(n->a, n->b));
		int a = lower_int(L, n->a);

		if (fits_imm(n->b)) {
			ir_jump(L->f, BPF_JMP | j | BPF_K, a, IR_NOREG, imm_of(n->b), label);
		} else {
			int b = lower_int(L, n->b);

			ir_jump(L->f, BPF_JMP | j | BPF_X, a, b, 0, label);
		}
		return;
	}
	int v = lower_int(L, n);

	ir_jump(L->f, BPF_JMP | (when_true ? BPF_JNE : BPF_JEQ) | BPF_K, v, IR_NOREG, 0, label);
}

/* Materialise a condition as 0/1. */
static int lower_bool(struct lower *L, struct node *n)
{
	int r = ir_vreg(L->f), f = ir_label(L->f);

	mov_imm(L, r, 0);
	lower_branch(L, n, f, false);
	mov_imm(L, r, 1);
	ir_place(L->f, f);
	return r;
}

/* Sign- or zero-extend the low size bytes of r to 64 bits. */
static void extend(struct lower *L, int r, unsigned size, bool is_signed)
{
	if (size >= 8)
		return;
	if (is_signed) {
		ir_emit(L->f, ALUK(BPF_LSH), r, IR_NOREG, 0, 64 - 8 * size);
		ir_emit(L->f, ALUK(BPF_ARSH), r, IR_NOREG, 0, 64 - 8 * size);
	} else if (size == 4) {
		ir_emit(L->f, BPF_ALU | BPF_MOV | BPF_X, r, r, 0, 0);
	} else {
		ir_emit(L->f, ALUK(BPF_AND), r, IR_NOREG, 0, size == 1 ? 0xff : 0xffff);
	}
}

static int lower_builtin(struct lower *L, struct node *n)
{
	int r;

	switch (n->builtin) {
	case BI_PID:
	case BI_TID:
		if ((n->builtin == BI_PID ? L->pid : L->tid) != IR_NOREG)
			return n->builtin == BI_PID ? L->pid : L->tid;
		r = call0(L, BPF_FUNC_get_current_pid_tgid);
		if (n->builtin == BI_PID)
			ir_emit(L->f, ALUK(BPF_RSH), r, IR_NOREG, 0, 32);
		else
			extend(L, r, 4, false);
		return r;
	case BI_UID:
	case BI_GID:
		r = call0(L, BPF_FUNC_get_current_uid_gid);
		if (n->builtin == BI_GID)
			ir_emit(L->f, ALUK(BPF_RSH), r, IR_NOREG, 0, 32);
		else
			extend(L, r, 4, false);
		return r;
	case BI_CPU:
		return call0(L, BPF_FUNC_get_smp_processor_id);
	case BI_NSECS:
		return call0(L, BPF_FUNC_ktime_get_ns);
	case BI_ELAPSED:
		r = call0(L, BPF_FUNC_ktime_get_ns);
		ir_emit(L->f, ALU(BPF_SUB), r, new_imm(L, (int64_t)L->tgt->start_ns), 0, 0);
		return r;
	case BI_RAND:
		return call0(L, BPF_FUNC_get_prandom_u32);
	case BI_CGROUP:
		return call0(L, BPF_FUNC_get_current_cgroup_id);
	case BI_CURTASK:
		return call0(L, BPF_FUNC_get_current_task);
	case BI_CPID:
		return new_imm(L, L->tgt->cpid);
	case BI_ARG:
	case BI_RETVAL: {
		struct ctx_value v;

		if (ctx_value(L, n, &v))
			return new_imm(L, 0);
		r = load_mem(L, L->ctx, (int)v.off, v.size);
		/* a typed integer narrower than its slot: the low bytes, of
		 * its sign */
		if (n->type.kind == TYPE_INT && n->type.size < 8)
			extend(L, r, n->type.size, n->type.is_signed);
		return r;
	}
	default:
		diag_error(n->loc, "internal error: builtin '%s' is not an integer", n->name);
		L->errors++;
		return new_imm(L, 0);
	}
}

static int lower_field_int(struct lower *L, struct node *n)
{
	const struct cmember *m = n->member;
	const struct ctype *t = ctype_resolve(m->type);
	unsigned size = t->size;
	int r;

	if (size != 1 && size != 2 && size != 4 && size != 8) {
		diag_error(n->loc, "field '%s' has an unsupported size %u", m->name, size);
		L->errors++;
		return new_imm(L, 0);
	}
	r = load_mem(L, L->ctx, (int)n->member_off, size);
	if (ctype_classify(t) == CC_INT)
		extend(L, r, size, t->is_signed);
	return r;
}

/* Signed division and remainder, truncating toward zero as in C (eBPF's
 * BPF_DIV and BPF_MOD are unsigned; the signed forms need a 6.6 kernel):
 * divide the magnitudes, then give the quotient the sign of a ^ b and the
 * remainder the sign of a. */
static int lower_sdiv(struct lower *L, struct node *n, uint8_t op)
{
	int x = lower_int(L, n->a);

	return sdiv_regs(L, x, lower_int(L, n->b), op);
}

/* x / y or x % y (op), signed, of two registers left as they are. */
static int sdiv_regs(struct lower *L, int x, int y, uint8_t op)
{
	int a = ir_vreg(L->f), b = ir_vreg(L->f), neg = ir_vreg(L->f);
	int apos = ir_label(L->f), bpos = ir_label(L->f), done = ir_label(L->f);

	mov_reg(L, a, x);
	mov_reg(L, b, y);
	mov_imm(L, neg, 0);
	ir_jump(L->f, BPF_JMP | BPF_JSGE | BPF_K, a, IR_NOREG, 0, apos);
	ir_emit(L->f, BPF_ALU64 | BPF_NEG, a, IR_NOREG, 0, 0);
	mov_imm(L, neg, 1);
	ir_place(L->f, apos);
	ir_jump(L->f, BPF_JMP | BPF_JSGE | BPF_K, b, IR_NOREG, 0, bpos);
	ir_emit(L->f, BPF_ALU64 | BPF_NEG, b, IR_NOREG, 0, 0);
	if (op == BPF_DIV)
		ir_emit(L->f, ALUK(BPF_XOR), neg, IR_NOREG, 0, 1);
	ir_place(L->f, bpos);
	ir_emit(L->f, ALU(op), a, b, 0, 0);
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, neg, IR_NOREG, 0, done);
	ir_emit(L->f, BPF_ALU64 | BPF_NEG, a, IR_NOREG, 0, 0);
	ir_place(L->f, done);
	return a;
}

static int lower_binop(struct lower *L, struct node *n)
{
	static const struct {
		enum tok_kind tok;
		uint8_t op;
	} ops[] = {
		{ TOK_PLUS, BPF_ADD }, { TOK_MINUS, BPF_SUB }, { TOK_STAR, BPF_MUL },
		{ TOK_SLASH, BPF_DIV }, { TOK_PERCENT, BPF_MOD }, { TOK_AMP, BPF_AND },
		{ TOK_PIPE, BPF_OR }, { TOK_CARET, BPF_XOR }, { TOK_SHL, BPF_LSH },
		{ TOK_SHR, BPF_RSH },
	};
	uint8_t op = 0;
	int r;

	if (is_cmp(n->op) || n->op == TOK_ANDAND || n->op == TOK_OROR)
		return lower_bool(L, n);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].tok == n->op)
			op = ops[i].op;
	if (op == BPF_RSH && n->type.is_signed)
		op = BPF_ARSH;
	if ((op == BPF_DIV || op == BPF_MOD) && n->type.is_signed)
		return lower_sdiv(L, n, op);
	r = ir_vreg(L->f);
	mov_reg(L, r, lower_int(L, n->a));
	if (fits_imm(n->b) && !((op == BPF_DIV || op == BPF_MOD) && imm_of(n->b) == 0)) {
		ir_emit(L->f, ALUK(op), r, IR_NOREG, 0, imm_of(n->b));
	} else {
		int b = lower_int(L, n->b);

		ir_emit(L->f, ALU(op), r, b, 0, 0);
	}
	return r;
}

static int lower_int(struct lower *L, struct node *n)
{
	int64_t c;
	int r;

	if (const_eval(n, &c))
		return new_imm(L, c);
	if (n->mem)
		return mem_read_int(L, n);
	switch (n->kind) {
	case AST_INT:
	case AST_BOOL:
		return new_imm(L, n->ival);
	case AST_IDENT:
		return lower_builtin(L, n);
	case AST_FIELD:
		if (n->a->type.kind == TYPE_TUPLE) {
			const struct tuple_def *d = type_tuple_def(n->a->type);

			return load_mem(L, L->base, str_operand(L, n->a) + (int)d->off[n->ival], 8);
		}
		if (n->a->type.kind == TYPE_RECORD)
			return record_member_int(L, n);
		return lower_field_int(L, n);
	case AST_VAR:
		return load_mem(L, L->base, n->var->slot, 8);
	case AST_MAP:
		return map_read_int(L, n);
	case AST_BINOP:
		return lower_binop(L, n);
	case AST_UNOP:
		if (n->op == TOK_BANG)
			return lower_bool(L, n);
		if (n->op == TOK_STAR) {
			unsigned mark = L->sp;
			int tmp = stack_alloc(L, 8, n->loc), p = lower_int(L, n->a);
			struct arg a[] = { ASTACK(tmp), AIMM(8), AREG(p) };

			call(L, read_helper(L, n->a->type), 3, a);
			r = load_mem(L, L->base, tmp, 8);
			L->sp = mark;
			return r;
		}
		r = ir_vreg(L->f);
		mov_reg(L, r, lower_int(L, n->a));
		if (n->op == TOK_MINUS)
			ir_emit(L->f, BPF_ALU64 | BPF_NEG, r, IR_NOREG, 0, 0);
		else
			ir_emit(L->f, ALUK(BPF_XOR), r, IR_NOREG, 0, -1);
		return r;
	case AST_TERNARY: {
		int els = ir_label(L->f), done = ir_label(L->f);

		r = ir_vreg(L->f);
		lower_branch(L, n->a, els, false);
		mov_reg(L, r, lower_int(L, n->b));
		ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, done);
		ir_place(L->f, els);
		mov_reg(L, r, lower_int(L, n->c));
		ir_place(L->f, done);
		return r;
	}
	case AST_CALL:
		if (n->fn == FN_HAS_KEY)
			return lower_has_key(L, n);
		if (n->fn == FN_LEN)
			return lower_len(L, n);
		if (n->fn == FN_UADDR)
			return new_imm(L, n->ival);
		if (n->fn == FN_STRNCMP)
			return lower_strncmp(L, n);
		if (n->fn == FN_BSWAP) {
			r = ir_vreg(L->f);
			mov_reg(L, r, lower_int(L, n->args));
			ir_emit(L->f, BPF_ALU | BPF_END | BPF_TO_BE, r, IR_NOREG, 0,
				8 * n->type.size);
			return r;
		}
		break;
	case AST_INCDEC:
		return lower_incdec(L, n);
	case AST_CAST:
		r = ir_vreg(L->f);
		mov_reg(L, r, lower_int(L, n->a));
		extend(L, r, n->type.size, n->type.is_signed);
		return r;
	default:
		break;
	}
	diag_error(n->loc, "internal error: cannot lower %s as an integer",
		   ast_kind_name(n->kind));
	L->errors++;
	return new_imm(L, 0);
}

/* ---- statements ---- */

static void lower_assign_map(struct lower *L, struct node *as);
static void lower_assign_var(struct lower *L, struct node *as);

/* x++ / ++x as a value: the old or the new value, x written back. */
static int lower_incdec(struct lower *L, struct node *n)
{
	int r = ir_vreg(L->f);
	int d = n->op == TOK_INC ? 1 : -1;

	mov_reg(L, r, lower_int(L, n->a));
	if (n->ival) /* prefix: the new value */
		ir_emit(L->f, ALUK(BPF_ADD), r, IR_NOREG, 0, d);
	/* write back old + d through a plain assignment of a register */
	int nv = ir_vreg(L->f);
	mov_reg(L, nv, r);
	if (!n->ival)
		ir_emit(L->f, ALUK(BPF_ADD), nv, IR_NOREG, 0, d);
	if (n->a->kind == AST_VAR) {
		store_reg(L, n->a->var->slot, nv);
	} else {
		struct map_def *m = n->a->map;
		unsigned mark = L->sp;
		int val = stack_alloc(L, 8, n->loc);

		store_reg(L, val, nv);
		map_update(L, m, build_key(L, m, n->a->args, IR_NOREG, n->loc), val);
		L->sp = mark;
	}
	return r;
}

/* for ($i : a..b): a real loop; the verifier walks it with $i known. */
static void lower_for(struct lower *L, struct node *n)
{
	struct sema_var *v = n->var;
	int head = ir_label(L->f), next = ir_label(L->f), end = ir_label(L->f);
	int sb = L->brk, sc = L->cont, i, to;

	if (!v->has_slot)
		local_alloc(L, v, 8, n->loc);
	store_reg(L, v->slot, lower_int(L, n->a));
	/* the bound is evaluated once, into its own slot */
	int bound = stack_alloc(L, 8, n->loc);
	store_reg(L, bound, lower_int(L, n->b));
	ir_place(L->f, head);
	i = load_mem(L, L->base, v->slot, 8);
	to = load_mem(L, L->base, bound, 8);
	ir_jump(L->f, BPF_JMP | BPF_JSGE | BPF_X, i, to, 0, end);
	L->brk = end;
	L->cont = next;
	lower_block(L, n->c);
	L->brk = sb;
	L->cont = sc;
	ir_place(L->f, next);
	i = load_mem(L, L->base, v->slot, 8);
	ir_emit(L->f, ALUK(BPF_ADD), i, IR_NOREG, 0, 1);
	store_reg(L, v->slot, i);
	ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, head);
	ir_place(L->f, end);
}

static void scratch_entry(struct lower *L, struct map_def *m);

/* for ($kv : @m): the body becomes a callback of bpf_for_each_map_elem,
 * called with the element's key and value pointers and the pointer to
 * the probe's frame the probe passes it; buffers and locals stay in that
 * frame (or the scratch value, looked up again), the context pointer is
 * kept in a slot of it. The callback answers 0 to go on and 1 to stop:
 * continue and the end of the body go on, break and exit() stop. */
static void lower_for_map(struct lower *L, struct node *n)
{
	struct map_def *m = n->a->map;
	struct sema_var *v = n->var;
	const struct tuple_def *kv = type_tuple_def(v->type);
	struct lower outer = *L;
	int ctxslot, k, keyp, valp, stop, next;

	if (!v->has_slot)
		local_alloc(L, v, v->type.size, n->loc);
	/* the slot for the context, addressed from the frame pointer */
	ctxslot = L->scratch ? ir_stack_alloc(L->main, 8, 8) : stack_alloc(L, 8, n->loc);
	if (!ctxslot) {
		diag_error(n->loc, "no stack left for a for over a map");
		L->errors++;
		return;
	}
	ir_emit(L->f, BPF_STX | BPF_MEM | BPF_DW, L->frame, L->ctx, ctxslot, 0);
	k = ir_sub_new(L->main);
	L->f = L->main->subs[k];
	L->f->loc = n->loc;
	stop = ir_label(L->f);
	next = ir_label(L->f);
	keyp = ir_vreg(L->f);
	valp = ir_vreg(L->f);
	mov_reg(L, keyp, BPF_REG_2);
	mov_reg(L, valp, BPF_REG_3);
	L->frame = ir_vreg(L->f);
	mov_reg(L, L->frame, BPF_REG_4);
	L->ctx = load_mem(L, L->frame, ctxslot, 8);
	L->exit_label = stop;
	L->pid = L->tid = IR_NOREG; /* registers of the probe's function */
	if (L->scratch)
		scratch_entry(L, L->scratch_map);
	else
		L->base = L->frame;
	copy_mem(L, v->slot, keyp, 0, m->key_size);
	copy_mem(L, v->slot + (int)kv->off[1], valp, 0, m->val_size);
	L->brk = stop;
	L->cont = next;
	lower_block(L, n->c);
	ir_place(L->f, next);
	mov_imm(L, BPF_REG_0, 0);
	ir_emit(L->f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	/* the verifier refuses code no path reaches */
	for (size_t i = 0; i < L->f->n; i++) {
		if (ir_is_jump(&L->f->insns[i]) && L->f->insns[i].label == stop) {
			ir_place(L->f, stop);
			mov_imm(L, BPF_REG_0, 1);
			ir_emit(L->f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
			break;
		}
	}
	L->f = outer.f;
	L->ctx = outer.ctx;
	L->base = outer.base;
	L->frame = outer.frame;
	L->exit_label = outer.exit_label;
	L->brk = outer.brk;
	L->cont = outer.cont;
	L->pid = outer.pid;
	L->tid = outer.tid;
	struct arg a[] = { AMAP(m->index), { A_FUNC, k }, AREG(L->frame), AIMM(0) };
	call(L, BPF_FUNC_for_each_map_elem, 4, a);
}

static void lower_while(struct lower *L, struct node *n)
{
	int head = ir_label(L->f), end = ir_label(L->f);
	int sb = L->brk, sc = L->cont;

	ir_place(L->f, head);
	lower_branch(L, n->a, end, false);
	L->brk = end;
	L->cont = head;
	lower_block(L, n->c);
	L->brk = sb;
	L->cont = sc;
	ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, head);
	ir_place(L->f, end);
}

/* The binary operator of a compound assignment: += is +. */
static enum tok_kind compound_base(enum tok_kind op)
{
	static const enum tok_kind base[][2] = {
		{ TOK_ADD_ASSIGN, TOK_PLUS }, { TOK_SUB_ASSIGN, TOK_MINUS },
		{ TOK_MUL_ASSIGN, TOK_STAR }, { TOK_DIV_ASSIGN, TOK_SLASH },
		{ TOK_MOD_ASSIGN, TOK_PERCENT }, { TOK_AND_ASSIGN, TOK_AMP },
		{ TOK_OR_ASSIGN, TOK_PIPE }, { TOK_XOR_ASSIGN, TOK_CARET },
		{ TOK_SHL_ASSIGN, TOK_SHL }, { TOK_SHR_ASSIGN, TOK_SHR },
	};

	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		if (base[i][0] == op)
			return base[i][1];
	return TOK_PLUS;
}

static void lower_assign_map(struct lower *L, struct node *as)
{
	struct node *lhs = as->a, *rhs = as->b;
	struct map_def *m = lhs->map;

	if (m->kind != MAPK_VALUE) {
		int x = IR_NOREG, bucket = IR_NOREG;

		if (m->kind != MAPK_COUNT)
			x = lower_int(L, rhs->args);
		switch (m->kind) {
		case MAPK_HIST:
			bucket = hist_bucket(L, x);
			x = IR_NOREG;
			break;
		case MAPK_LHIST:
			bucket = lhist_bucket(L, m, x);
			x = IR_NOREG;
			break;
		default:
			break;
		}
		int key = build_key(L, m, lhs->args, bucket, lhs->loc);
		switch (m->kind) {
		case MAPK_AVG:
		case MAPK_STATS:
			agg_avg(L, m, key, x);
			break;
		case MAPK_MIN:
		case MAPK_MAX:
			agg_minmax(L, m, key, x, rhs->args->type.is_signed);
			break;
		default:
			agg_add(L, m, key, x);
			break;
		}
		return;
	}
	int val = stack_alloc(L, m->val_size, as->loc);
	if (type_in_memory(m->val)) {
		lower_bytes_into(L, rhs, val, m->val, m->val_size, true);
	} else if (as->op == TOK_ASSIGN) {
		store_reg(L, val, lower_int(L, rhs));
	} else {
		/* @m[k] op= v: read (0 when missing), combine, write back */
		struct node bin = { .kind = AST_BINOP, .loc = as->loc, .a = lhs, .b = rhs,
				    .type = m->val, .op = compound_base(as->op) };
		store_reg(L, val, lower_int(L, &bin));
	}
	map_update(L, m, build_key(L, m, lhs->args, IR_NOREG, lhs->loc), val);
}

static void lower_assign_var(struct lower *L, struct node *as)
{
	struct sema_var *v = as->a->var;

	if (!v->has_slot)
		local_alloc(L, v, type_in_memory(v->type) ? v->type.size : 8, as->loc);
	if (type_in_memory(v->type)) {
		lower_bytes_into(L, as->b, v->slot, v->type, (v->type.size + 7) & ~7u, true);
		return;
	}
	if (as->op == TOK_ASSIGN) {
		store_reg(L, v->slot, lower_int(L, as->b));
		return;
	}
	struct node bin = { .kind = AST_BINOP, .loc = as->loc, .a = as->a, .b = as->b,
			    .type = v->type, .op = compound_base(as->op) };
	store_reg(L, v->slot, lower_int(L, &bin));
}

static void lower_stmt_temps(struct lower *L, struct node *n);

static void lower_stmt(struct lower *L, struct node *n)
{
	unsigned mark = L->sp;

	lower_stmt_temps(L, n);
	L->sp = mark > L->locals ? mark : L->locals;
}

static void lower_stmt_temps(struct lower *L, struct node *n)
{
	L->f->loc = n->loc;
	switch (n->kind) {
	case AST_EXPR: {
		struct node *e = n->a;

		L->f->loc = e->loc;
		if (e->kind == AST_ASSIGN || e->kind == AST_INCDEC) {
			struct node one = { .kind = AST_INT, .loc = e->loc, .ival = 1,
					    .type = type_int(8, true) };
			struct node as = *e;

			if (e->kind == AST_INCDEC) {
				as.kind = AST_ASSIGN;
				as.op = e->op == TOK_INC ? TOK_ADD_ASSIGN : TOK_SUB_ASSIGN;
				as.b = &one;
			}
			if (as.a->kind == AST_MAP)
				lower_assign_map(L, &as);
			else
				lower_assign_var(L, &as);
			break;
		}
		if (e->kind == AST_CALL && e->fn == FN_PRINTF) {
			lower_printf(L, e);
			break;
		}
		if (e->kind == AST_CALL && e->fn == FN_EXIT) {
			lower_exit(L, e);
			break;
		}
		if (e->kind == AST_CALL && e->fn == FN_JOIN) {
			lower_join(L, e);
			break;
		}
		if (e->kind == AST_CALL && e->fn == FN_TIME) {
			emit_event(L, EVENT_TIME, (uint32_t)e->ival, 0, 0);
			break;
		}
		if (e->kind == AST_CALL && (e->fn == FN_SYSTEM || e->fmt)) {
			lower_printf(L, e);
			break;
		}
		if (e->kind == AST_CALL && e->fn == FN_SIGNAL) {
			struct arg a[] = { AIMM(e->args->ival) };

			call(L, BPF_FUNC_send_signal, 1, a);
			break;
		}
		if (e->kind == AST_CALL && e->map && e->fn != FN_HAS_KEY &&
		    e->fn != FN_LEN) {
			lower_map_call(L, e);
			break;
		}
		if (type_in_memory(e->type))
			str_operand(L, e);
		else
			lower_int(L, e);
		break;
	}
	case AST_BLOCK:
		lower_block(L, n);
		break;
	case AST_IF: {
		int els = ir_label(L->f), done = ir_label(L->f);

		lower_branch(L, n->a, els, false);
		lower_block(L, n->b);
		if (n->c)
			ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, done);
		ir_place(L->f, els);
		if (n->c)
			lower_stmt(L, n->c);
		ir_place(L->f, done);
		break;
	}
	case AST_RETURN:
		ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0, L->exit_label);
		break;
	case AST_UNROLL:
		/* unroll in unroll multiplies: stop at what the kernel takes */
		for (int64_t i = 0; i < n->ival && !L->errors; i++) {
			lower_block(L, n->b);
			if (L->f->n > LIMIT_INSNS && !L->errors++)
				diag_error(n->loc, "unrolled, the probe's code is longer than %d instructions (the kernel's limit)",
					   LIMIT_INSNS);
		}
		break;
	case AST_FOR:
		if (n->b)
			lower_for(L, n);
		else
			lower_for_map(L, n);
		break;
	case AST_WHILE:
		lower_while(L, n);
		break;
	case AST_BREAK:
	case AST_CONTINUE:
		ir_jump(L->f, BPF_JMP | BPF_JA, IR_NOREG, IR_NOREG, 0,
			n->kind == AST_BREAK ? L->brk : L->cont);
		break;
	case AST_DELETE: {
		struct node call = { .kind = AST_CALL, .loc = n->loc, .name = "delete", .fn = FN_DELETE,
				     .args = n->a };

		lower_map_call(L, &call);
		break;
	}
	default:
		diag_error(n->loc, "internal error: cannot lower %s", ast_kind_name(n->kind));
		L->errors++;
		break;
	}
}

static void lower_block(struct lower *L, struct node *b)
{
	for (struct node *n = b ? b->args : NULL; n; n = n->next)
		lower_stmt(L, n);
}

static const char *map_name_cb(int map, void *ctx)
{
	struct prog_tables *tab = ctx;

	return map >= 0 && map < tab->nmaps ? tab->maps[map]->name : NULL;
}

static void map_sizes_cb(int map, unsigned *key, unsigned *val, void *ctx)
{
	struct prog_tables *tab = ctx;

	if (map >= 0 && map < tab->nmaps) {
		*key = tab->maps[map]->key_size;
		*val = tab->maps[map]->val_size;
	} else {
		*key = *val = IR_STACK_MAX; /* unknown: as much as there is */
	}
}

/* Scratch mode: buffers are addressed from this CPU's value of a per-CPU
 * array made for this probe (probes may interrupt each other on a CPU,
 * so they do not share one). */
static void scratch_entry(struct lower *L, struct map_def *m)
{
	int key = ir_stack_alloc(L->f, 8, 8);

	ir_emit(L->f, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, IR_NOREG, key, 0);
	ir_ldmap(L->f, BPF_REG_1, m->index);
	mov_reg(L, BPF_REG_2, BPF_REG_10);
	ir_emit(L->f, ALUK(BPF_ADD), BPF_REG_2, IR_NOREG, 0, key);
	ir_call(L->f, BPF_FUNC_map_lookup_elem, 2);
	L->base = ir_vreg(L->f);
	mov_reg(L, L->base, BPF_REG_0);
	ir_jump(L->f, BPF_JMP | BPF_JEQ | BPF_K, L->base, IR_NOREG, 0, L->exit_label);
}

/* How many times the expressions and statements from n on read builtin b. */
static int builtin_uses(const struct node *n, enum builtin b)
{
	int k = 0;

	for (; n; n = n->next) {
		if (n->kind == AST_IDENT && n->builtin == (int)b)
			k++;
		k += builtin_uses(n->a, b) + builtin_uses(n->b, b) +
		     builtin_uses(n->c, b) + builtin_uses(n->args, b);
	}
	return k;
}

/* pid and tid read more than once come from one bpf_get_current_pid_tgid
 * at entry: the value does not change while the probe runs. */
static void pid_tgid_entry(struct lower *L, int uses_pid, int uses_tid)
{
	int r;

	L->pid = L->tid = IR_NOREG;
	if (uses_pid + uses_tid < 2)
		return;
	r = call0(L, BPF_FUNC_get_current_pid_tgid);
	if (uses_pid) {
		L->pid = ir_vreg(L->f);
		mov_reg(L, L->pid, r);
		ir_emit(L->f, ALUK(BPF_RSH), L->pid, IR_NOREG, 0, 32);
	}
	if (uses_tid) { /* the low 32 bits: a 32-bit move zero-extends */
		L->tid = ir_vreg(L->f);
		ir_emit(L->f, BPF_ALU | BPF_MOV | BPF_X, L->tid, r, 0, 0);
	}
}

static int lower_once(struct lower *L, struct map_def *scratch)
{
	struct probe *p = L->pc->probe;
	struct ir_func *f = L->f;

	f->map_name = map_name_cb;
	f->map_sizes = map_sizes_cb;
	f->map_ctx = L->tab;
	f->loc = p->loc;
	L->exit_label = ir_label(f);
	L->ctx = ir_vreg(f);
	L->base = BPF_REG_10;
	L->frame = BPF_REG_10;
	L->main = f;
	L->scratch_map = scratch;
	mov_reg(L, L->ctx, BPF_REG_1);
	if (scratch)
		scratch_entry(L, scratch);
	bool filter = L->tgt->pid && L->pc->pid_filter;
	pid_tgid_entry(L, filter + builtin_uses(p->pred, BI_PID) + builtin_uses(p->body, BI_PID),
		       builtin_uses(p->pred, BI_TID) + builtin_uses(p->body, BI_TID));
	if (filter) {
		/* -p PID: this process only */
		struct node pid = { .kind = AST_IDENT, .builtin = BI_PID };

		ir_jump(f, BPF_JMP | BPF_JNE | BPF_K, lower_builtin(L, &pid), IR_NOREG,
			L->tgt->pid, L->exit_label);
	}
	if (p->pred) {
		f->loc = p->pred->loc;
		lower_branch(L, p->pred, L->exit_label, false);
	}
	lower_block(L, p->body);
	f->loc = p->loc;
	ir_place(f, L->exit_label);
	mov_imm(L, BPF_REG_0, 0);
	ir_emit(f, BPF_JMP | BPF_EXIT, IR_NOREG, IR_NOREG, 0, 0);
	return L->errors ? -1 : 0;
}

/* Does a statement list hold a for over a map? */
static bool has_map_loop(const struct node *n)
{
	for (; n; n = n->next) {
		if (n->kind == AST_FOR && !n->b)
			return true;
		if (n->kind == AST_BLOCK && has_map_loop(n->args))
			return true;
		if ((n->kind == AST_IF || n->kind == AST_UNROLL || n->kind == AST_FOR ||
		     n->kind == AST_WHILE) &&
		    ((n->b && n->b->kind == AST_BLOCK && has_map_loop(n->b->args)) ||
		     (n->c && has_map_loop(n->c->kind == AST_BLOCK ? n->c->args : n->c))))
			return true;
	}
	return false;
}

int lower_probe(const struct probe_ctx *pc, const struct target *tgt,
		struct prog_tables *tab, struct ir_func *f)
{
	struct lower L = { .f = f, .tab = tab, .tgt = tgt, .pc = pc };
	struct sema_var **slotted;
	struct map_def *m;
	char name[64];
	int ret;

	/* The verifier walks a callback again while the caller's state
	 * changes: a local counted up in a for over a map and compared would
	 * take it there forever. Locals in the scratch value are values it
	 * does not track, so probes with such loops take that form. */
	if (!has_map_loop(pc->probe->body->args)) {
		if (lower_once(&L, NULL) || !L.overflow) {
			free(L.slotted);
			return L.errors ? -1 : 0;
		}
	}
	/* too big for the stack: again, with every buffer in a scratch map */
	for (int i = 0; i < L.nslotted; i++)
		L.slotted[i]->has_slot = false;
	slotted = L.slotted;
	ir_free(f);
	ir_init(f);
	snprintf(name, sizeof(name), "@.scratch%d", tab->nmaps);
	m = tab_map_add(tab, name, MAPK_SCRATCH, pc->probe->loc);
	L = (struct lower){ .f = f, .tab = tab, .tgt = tgt, .pc = pc, .scratch = true,
			    .slotted = slotted, .maxslotted = L.maxslotted };
	ret = lower_once(&L, m);
	free(L.slotted);
	if (ret)
		return -1;
	m->val_size = L.high;
	tab_map_layout(tab, m);
	return 0;
}
