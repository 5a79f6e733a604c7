/* stack.c - IR passes on the stores to the probe's own stack frame.
 *
 * Requires: IR from the lowering, after opt.c's register passes: frame
 * slots addressed as r10 + constant; helper arguments set in r1..r5 in the
 * block of the call; virtual registers defined before their uses.
 * Gives: the same program without the frame stores that change nothing:
 *
 *   redundant stores  a store of the value a slot is known to hold
 *                     already on every path to it (the same register,
 *                     not written since, or the same immediate): a key
 *                     built again for a second lookup of the same map
 *                     element, a zero stored twice;
 *   load forwarding   a u64 or u32 load of such a slot is a move of the
 *                     register or immediate stored there (a local read
 *                     back in the block that set it);
 *   dead stores       a store whose bytes nothing reads before they are
 *                     written again or the program ends: zeroes under a
 *                     buffer a helper then fills whole (probe_read), a
 *                     value overwritten before any lookup uses it, a
 *                     local whose loads were all forwarded.
 *
 * What reads the frame: a load from r10 + off; a helper given a pointer
 * r10 + off (the key or value size of the map it is given, the size of
 * the record it sends, or else any byte from there to the frame's top;
 * none for a buffer it only writes); a load through any other register
 * that may hold a frame address (then every byte); a helper given a
 * callback (every byte). When a frame address is itself stored to
 * memory, nothing is known and the passes leave the function alone.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "ir.h"

#define NBYTES IR_STACK_MAX
#define NWORDS (NBYTES / 64)

struct bset {
	uint64_t w[NWORDS];
};

/* Bytes [off, off + size) of the frame (off from r10, negative); parts
 * outside the frame are ignored. */
static void bs_range(struct bset *b, int off, int size, bool set)
{
	for (int i = off; i < off + size; i++) {
		int k = i + NBYTES;

		if (k < 0 || k >= NBYTES)
			continue;
		if (set)
			b->w[k / 64] |= 1ull << (k % 64);
		else
			b->w[k / 64] &= ~(1ull << (k % 64));
	}
}

static bool bs_any(const struct bset *b, int off, int size)
{
	struct bset m = { { 0 } };

	bs_range(&m, off, size, true);
	for (int i = 0; i < NWORDS; i++)
		if (m.w[i] & b->w[i])
			return true;
	return false;
}

static void bs_all(struct bset *b)
{
	memset(b, 0xff, sizeof(*b));
}

static int size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

static bool is_vreg(int r)
{
	return r >= IR_VREG0;
}

static bool is_call(const struct ir_insn *in)
{
	return in->op == IR_INSN && in->code == (BPF_JMP | BPF_CALL);
}

/* Helpers that write a buffer without reading it: the buffer argument,
 * the argument giving its size, and whether they write all of it even
 * when they fail (they zero it then). bpf_get_current_comm does not: up
 * to 6.13 or so it leaves the bytes after the name's NUL as they were
 * (strscpy), and a key holding comm must have them zero. */
static const struct {
	int32_t helper;
	int buf, size;
	bool whole;
} writers[] = {
	{ BPF_FUNC_probe_read, 1, 2, true },
	{ BPF_FUNC_probe_read_kernel, 1, 2, true },
	{ BPF_FUNC_probe_read_user, 1, 2, true },
	{ BPF_FUNC_get_current_comm, 1, 2, false },
	{ BPF_FUNC_probe_read_str, 1, 2, false },
	{ BPF_FUNC_probe_read_kernel_str, 1, 2, false },
	{ BPF_FUNC_probe_read_user_str, 1, 2, false },
	{ BPF_FUNC_get_stack, 2, 3, false },
};

/* Helpers that only read the memory their pointers give. */
static bool reads_only(int32_t helper)
{
	switch (helper) {
	case BPF_FUNC_map_lookup_elem:
	case BPF_FUNC_map_update_elem:
	case BPF_FUNC_map_delete_elem:
	case BPF_FUNC_ringbuf_output:
	case BPF_FUNC_perf_event_output:
		return true;
	}
	return false;
}

struct frame {
	struct ir_func *f;
	int nv;
	bool *ptr;       /* per virtual register: may hold a frame address */
	size_t *at;      /* label id -> instruction index */
	int nlabels;
	bool escapes;    /* a frame address is stored to memory */
};

enum ptr_kind { NOT_FRAME, FRAME_AT, FRAME_ANY };

/* What register reg holds when instruction i runs: no frame address, r10
 * plus *off, or some frame address. Physical registers r1..r5 are read
 * back from their setting in the same block. */
static enum ptr_kind frame_ptr(const struct frame *fr, size_t i, int reg, int *off)
{
	int add = 0;

	if (reg == BPF_REG_10) {
		*off = 0;
		return FRAME_AT;
	}
	if (is_vreg(reg))
		return reg - IR_VREG0 < fr->nv && fr->ptr[reg - IR_VREG0] ? FRAME_ANY : NOT_FRAME;
	if (reg < BPF_REG_1 || reg > BPF_REG_5)
		return reg == BPF_REG_0 ? NOT_FRAME : FRAME_ANY;
	while (i-- > 0) {
		const struct ir_insn *in = &fr->f->insns[i];
		uint8_t cls = BPF_CLASS(in->code);

		if (in->op == IR_LABEL || ir_is_jump(in) || is_call(in) ||
		    (in->op == IR_INSN && in->code == (BPF_JMP | BPF_EXIT)))
			return FRAME_ANY; /* set elsewhere: unknown */
		if (in->dst != reg || (in->op == IR_INSN && (cls == BPF_ST || cls == BPF_STX ||
							      cls == BPF_JMP || cls == BPF_JMP32)))
			continue;
		if (in->op != IR_INSN)
			return NOT_FRAME; /* a constant, a map or a callback */
		if (in->code == (BPF_ALU64 | BPF_ADD | BPF_K)) {
			add += in->imm;
			continue;
		}
		if (in->code == (BPF_ALU64 | BPF_MOV | BPF_X)) {
			if (in->src == BPF_REG_10) {
				*off = add;
				return FRAME_AT;
			}
			return is_vreg(in->src) ? frame_ptr(fr, i, in->src, off) : FRAME_ANY;
		}
		if (BPF_OP(in->code) == BPF_MOV && BPF_SRC(in->code) == BPF_K)
			return NOT_FRAME;
		return cls == BPF_LDX ? NOT_FRAME : FRAME_ANY;
	}
	/* not set before: the function's argument (the context, or a
	 * callback's arguments, which point into the caller's frame or a
	 * map, never into this frame) */
	return NOT_FRAME;
}

/* The instruction that sets reg, an argument of the call at i, in the
 * call's block; NULL when it is not there. */
static const struct ir_insn *arg_def(const struct frame *fr, size_t i, int reg)
{
	while (i-- > 0) {
		const struct ir_insn *in = &fr->f->insns[i];
		uint8_t cls = BPF_CLASS(in->code);

		if (in->op == IR_LABEL || is_call(in))
			return NULL;
		if (in->dst == reg && (in->op != IR_INSN || cls == BPF_ALU ||
				       cls == BPF_ALU64 || cls == BPF_LDX))
			return in;
	}
	return NULL;
}

static bool is_callback(const struct frame *fr, size_t i, int reg)
{
	const struct ir_insn *d = arg_def(fr, i, reg);

	return d && d->op == IR_LDFUNC;
}

/* The constant an argument of the call at i is set to, if it is one. */
static bool arg_const(const struct frame *fr, size_t i, int reg, int64_t *v)
{
	const struct ir_insn *d = arg_def(fr, i, reg);

	return d && ir_const_def(d, v);
}

/* How many bytes the call at i reads through its argument a, a pointer;
 * -1 when that is not known. */
static int arg_reads(const struct frame *fr, size_t i, int a)
{
	const struct ir_insn *in = &fr->f->insns[i], *m;
	unsigned key, val;
	int64_t n;

	switch (in->imm) {
	case BPF_FUNC_map_lookup_elem:
	case BPF_FUNC_map_delete_elem:
	case BPF_FUNC_map_update_elem:
		m = arg_def(fr, i, BPF_REG_1);
		if (!m || m->op != IR_LDMAP || !fr->f->map_sizes ||
		    (a != 2 && (a != 3 || in->imm != BPF_FUNC_map_update_elem)))
			return -1;
		fr->f->map_sizes(m->map, &key, &val, fr->f->map_ctx);
		n = a == 2 ? key : val;
		break;
	case BPF_FUNC_ringbuf_output: /* (map, data, size, flags) */
		if (a != 2 || !arg_const(fr, i, BPF_REG_3, &n))
			return -1;
		break;
	case BPF_FUNC_perf_event_output: /* (ctx, map, flags, data, size) */
		if (a != 4 || !arg_const(fr, i, BPF_REG_5, &n))
			return -1;
		break;
	default:
		return -1;
	}
	return n >= 0 && n <= NBYTES ? (int)n : -1;
}

/* The bytes the call at i may write through its argument a, a buffer
 * it only writes, when its size is known; else -1. *whole: it writes
 * all of them whatever happens. */
static int write_size(const struct frame *fr, size_t i, int a, bool *whole)
{
	const struct ir_insn *in = &fr->f->insns[i];
	int64_t n;

	for (size_t k = 0; k < sizeof(writers) / sizeof(writers[0]); k++)
		if (writers[k].helper == in->imm && writers[k].buf == a) {
			*whole = writers[k].whole;
			return arg_const(fr, i, writers[k].size, &n) && n > 0 &&
				       n <= NBYTES ? (int)n : -1;
		}
	return -1;
}

/* Which virtual registers may hold frame addresses, and whether one
 * escapes to memory. */
static int frame_init(struct frame *fr, struct ir_func *f)
{
	bool changed = true;

	memset(fr, 0, sizeof(*fr));
	fr->f = f;
	fr->nv = f->next_vreg - IR_VREG0;
	fr->nlabels = f->next_label;
	fr->ptr = calloc(fr->nv > 0 ? fr->nv : 1, sizeof(*fr->ptr));
	fr->at = calloc(fr->nlabels > 0 ? fr->nlabels : 1, sizeof(*fr->at));
	if (!fr->ptr || !fr->at)
		return -1;
	for (size_t i = 0; i < f->n; i++)
		if (f->insns[i].op == IR_LABEL && f->insns[i].label < fr->nlabels)
			fr->at[f->insns[i].label] = i;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < f->n; i++) {
			const struct ir_insn *in = &f->insns[i];
			uint8_t cls = BPF_CLASS(in->code);
			int off;

			if (in->op != IR_INSN)
				continue;
			if (cls == BPF_STX && frame_ptr(fr, i, in->src, &off) != NOT_FRAME)
				fr->escapes = true;
			if ((cls != BPF_ALU && cls != BPF_ALU64) || !is_vreg(in->dst) ||
			    in->dst - IR_VREG0 >= fr->nv || fr->ptr[in->dst - IR_VREG0] ||
			    BPF_SRC(in->code) != BPF_X ||
			    frame_ptr(fr, i, in->src, &off) == NOT_FRAME)
				continue;
			fr->ptr[in->dst - IR_VREG0] = changed = true;
		}
	}
	return 0;
}

static void frame_free(struct frame *fr)
{
	free(fr->ptr);
	free(fr->at);
}

/* An access of size bytes at r10 + off (FRAME_AT), or anywhere in the
 * frame (FRAME_ANY), added to b. */
static void frame_access(struct bset *b, enum ptr_kind k, int off, int size)
{
	if (k == FRAME_AT)
		bs_range(b, off, size, true);
	else if (k == FRAME_ANY)
		bs_all(b);
}

/* The frame bytes instruction i reads (gen) and overwrites before
 * reading nothing else (kill). */
static void frame_effect(const struct frame *fr, size_t i, struct bset *gen,
			 struct bset *kill)
{
	const struct ir_insn *in = &fr->f->insns[i];
	uint8_t cls = BPF_CLASS(in->code);
	int off = 0;

	memset(gen, 0, sizeof(*gen));
	memset(kill, 0, sizeof(*kill));
	if (in->op != IR_INSN)
		return;
	if (cls == BPF_LDX || (cls == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC)) {
		int base = cls == BPF_LDX ? in->src : in->dst;

		enum ptr_kind k = frame_ptr(fr, i, base, &off);

		frame_access(gen, k, off + in->off, size_bytes(in->code));
		return;
	}
	if ((cls == BPF_ST || cls == BPF_STX) && in->dst == BPF_REG_10) {
		bs_range(kill, in->off, size_bytes(in->code), true);
		return;
	}
	if (!is_call(in))
		return;
	for (int a = 1, n; a <= in->nargs && a <= 5; a++) {
		bool whole;

		if (frame_ptr(fr, i, a, &off) == FRAME_AT &&
		    (n = write_size(fr, i, a, &whole)) >= 0) {
			if (whole)
				bs_range(kill, off, n, true);
			continue; /* written, not read */
		}
		if (is_callback(fr, i, a)) {
			bs_all(gen);
			continue;
		}
		enum ptr_kind k = frame_ptr(fr, i, a, &off);

		n = k == FRAME_AT ? arg_reads(fr, i, a) : -1;
		frame_access(gen, k, off, n >= 0 ? n : -off);
	}
}

static bool ends_block(const struct ir_insn *in)
{
	return in->op == IR_INSN && (in->code == (BPF_JMP | BPF_EXIT) ||
				     in->code == (BPF_JMP | BPF_JA));
}

/* Backward liveness of the frame's bytes; drops stores of dead bytes. */
static void dead_stores(struct frame *fr)
{
	struct ir_func *f = fr->f;
	struct bset *in = calloc(f->n + 1, sizeof(*in));
	bool *dead = calloc(f->n + 1, sizeof(*dead));
	bool changed = true;

	if (!in || !dead)
		goto out;
	while (changed) {
		changed = false;
		for (size_t i = f->n; i-- > 0;) {
			const struct ir_insn *x = &f->insns[i];
			struct bset out = { { 0 } }, gen, kill, now;

			if (x->op == IR_INSN && x->code == (BPF_JMP | BPF_EXIT)) {
				/* the frame ends with the function */
			} else {
				if (!ends_block(x) && i + 1 < f->n)
					out = in[i + 1];
				if (ir_is_jump(x) && x->label < fr->nlabels)
					for (int w = 0; w < NWORDS; w++)
						out.w[w] |= in[fr->at[x->label]].w[w];
			}
			frame_effect(fr, i, &gen, &kill);
			for (int w = 0; w < NWORDS; w++)
				now.w[w] = (out.w[w] & ~kill.w[w]) | gen.w[w];
			dead[i] = (BPF_CLASS(x->code) == BPF_ST || BPF_CLASS(x->code) == BPF_STX) &&
				  x->op == IR_INSN && BPF_MODE(x->code) == BPF_MEM &&
				  x->dst == BPF_REG_10 &&
				  !bs_any(&out, x->off, size_bytes(x->code));
			if (memcmp(&now, &in[i], sizeof(now))) {
				in[i] = now;
				changed = true;
			}
		}
	}
	ir_drop(f, dead);
out:
	free(in);
	free(dead);
}

/* ---- redundant stores ---- */

/* Bytes [off, off + size) of the frame hold register reg (reg >= 0) or
 * the immediate imm. */
struct fact {
	int off, size, reg;
	int32_t imm;
};

#define MAXFACTS 32

struct facts {
	bool reached; /* false: no path gets here (yet) */
	int n;
	struct fact v[MAXFACTS];
};

static bool fact_eq(const struct fact *a, const struct fact *b)
{
	return a->off == b->off && a->size == b->size && a->reg == b->reg &&
	       (a->reg >= 0 || a->imm == b->imm);
}

static bool facts_has(const struct facts *s, const struct fact *x)
{
	for (int i = 0; i < s->n; i++)
		if (fact_eq(&s->v[i], x))
			return true;
	return false;
}

/* s := what holds on both s and t */
static void facts_meet(struct facts *s, const struct facts *t)
{
	int k = 0;

	if (!t->reached)
		return;
	if (!s->reached) {
		*s = *t;
		return;
	}
	for (int i = 0; i < s->n; i++)
		if (facts_has(t, &s->v[i]))
			s->v[k++] = s->v[i];
	s->n = k;
}

/* Forget what overlaps [off, off + size). */
static void facts_clobber(struct facts *s, int off, int size)
{
	int k = 0;

	for (int i = 0; i < s->n; i++)
		if (s->v[i].off >= off + size || off >= s->v[i].off + s->v[i].size)
			s->v[k++] = s->v[i];
	s->n = k;
}

/* A write of size bytes at r10 + off (FRAME_AT), or anywhere in the
 * frame (FRAME_ANY). */
static void facts_write(struct facts *s, enum ptr_kind k, int off, int size)
{
	if (k == FRAME_AT)
		facts_clobber(s, off, size);
	else if (k == FRAME_ANY)
		s->n = 0;
}

static void facts_forget_reg(struct facts *s, int reg)
{
	int k = 0;

	for (int i = 0; i < s->n; i++)
		if (s->v[i].reg != reg)
			s->v[k++] = s->v[i];
	s->n = k;
}

/* A load of a u64 or u32 slot known to hold a register or an immediate
 * becomes a move of it. */
static void forward_load(const struct frame *fr, size_t i, const struct facts *s)
{
	struct ir_insn *in = &fr->f->insns[i];
	int off, size = size_bytes(in->code);

	if (in->op != IR_INSN || BPF_CLASS(in->code) != BPF_LDX ||
	    BPF_MODE(in->code) != BPF_MEM || (size != 8 && size != 4) ||
	    frame_ptr(fr, i, in->src, &off) != FRAME_AT)
		return;
	off += in->off;
	for (int k = 0; k < s->n; k++) {
		const struct fact *x = &s->v[k];

		if (x->off != off || x->size != size)
			continue;
		/* a u32 load zero-extends, as a 32-bit move does */
		in->code = (size == 8 ? BPF_ALU64 : BPF_ALU) | BPF_MOV |
			   (x->reg >= 0 ? BPF_X : BPF_K);
		in->src = x->reg >= 0 ? x->reg : IR_NOREG;
		in->imm = x->reg >= 0 ? 0 : x->imm;
		in->off = 0;
		return;
	}
}

/* The effect of instruction i on what the frame is known to hold; sets
 * *redundant for a store of what is there already. */
static void facts_step(const struct frame *fr, size_t i, struct facts *s,
		       bool *redundant)
{
	const struct ir_insn *in = &fr->f->insns[i];
	uint8_t cls = BPF_CLASS(in->code);
	int uses[8], defs[8], nu, nd, call, off = 0, n;
	bool whole;

	*redundant = false;
	forward_load(fr, i, s);
	if (in->op == IR_INSN && (cls == BPF_ST || cls == BPF_STX)) {
		bool plain = BPF_MODE(in->code) == BPF_MEM;
		struct fact x = { in->off, size_bytes(in->code), IR_NOREG, in->imm };

		if (cls == BPF_STX)
			x.reg = is_vreg(in->src) ? in->src : -2; /* -2: never the same */
		enum ptr_kind k = frame_ptr(fr, i, in->dst, &off);

		x.off += off;
		if (k == FRAME_AT && plain && x.reg != -2 && facts_has(s, &x)) {
			*redundant = true;
			return;
		}
		facts_write(s, k, x.off, x.size);
		if (k == FRAME_AT && plain && x.reg != -2 && s->n < MAXFACTS)
			s->v[s->n++] = x;
	} else if (is_call(in) && !reads_only(in->imm)) {
		for (int a = 1; a <= in->nargs && a <= 5; a++) {
			if (is_callback(fr, i, a)) {
				s->n = 0;
				break;
			}
			enum ptr_kind k = frame_ptr(fr, i, a, &off);

			n = k == FRAME_AT ? write_size(fr, i, a, &whole) : -1;
			facts_write(s, k, off, n >= 0 ? n : -off);
		}
	}
	ir_insn_regs(in, uses, &nu, defs, &nd, &call);
	for (int d = 0; d < nd; d++)
		facts_forget_reg(s, defs[d]);
}

static void redundant_stores(struct frame *fr)
{
	struct ir_func *f = fr->f;
	struct facts *at = calloc(fr->nlabels > 0 ? fr->nlabels : 1, sizeof(*at));
	bool *back = calloc(fr->nlabels > 0 ? fr->nlabels : 1, sizeof(*back));
	bool *drop = calloc(f->n + 1, sizeof(*drop));
	struct facts cur = { .reached = true };

	if (!at || !back || !drop)
		goto out;
	/* a label jumped to from below (a loop) starts knowing nothing */
	for (size_t i = 0; i < f->n; i++)
		if (ir_is_jump(&f->insns[i]) && f->insns[i].label < fr->nlabels &&
		    fr->at[f->insns[i].label] <= i)
			back[f->insns[i].label] = true;
	for (size_t i = 0; i < f->n; i++) {
		const struct ir_insn *in = &f->insns[i];

		if (in->op == IR_LABEL) {
			if (in->label >= fr->nlabels || back[in->label]) {
				cur.reached = true;
				cur.n = 0;
			} else {
				facts_meet(&cur, &at[in->label]);
			}
			continue;
		}
		if (!cur.reached)
			continue; /* no path gets here */
		facts_step(fr, i, &cur, &drop[i]);
		if (ir_is_jump(in) && in->label < fr->nlabels)
			facts_meet(&at[in->label], &cur);
		if (ends_block(in))
			cur.reached = false;
	}
	ir_drop(f, drop);
out:
	free(at);
	free(back);
	free(drop);
}

void ir_frame_loads(struct ir_func *f, uint64_t bits[NWORDS])
{
	struct frame fr;

	memset(bits, 0, NWORDS * sizeof(*bits));
	if (frame_init(&fr, f) < 0 || fr.escapes) {
		memset(bits, 0xff, NWORDS * sizeof(*bits));
		frame_free(&fr);
		return;
	}
	for (size_t i = 0; i < f->n; i++) {
		struct bset gen, kill;

		if (f->insns[i].op != IR_INSN || BPF_CLASS(f->insns[i].code) != BPF_LDX)
			continue;
		frame_effect(&fr, i, &gen, &kill);
		for (int w = 0; w < NWORDS; w++)
			bits[w] |= gen.w[w];
	}
	frame_free(&fr);
}

void ir_stack_opt(struct ir_func *f)
{
	struct frame fr;

	if (frame_init(&fr, f) == 0 && !fr.escapes) {
		redundant_stores(&fr);
		/* the label positions moved */
		for (size_t i = 0; i < f->n; i++)
			if (f->insns[i].op == IR_LABEL && f->insns[i].label < fr.nlabels)
				fr.at[f->insns[i].label] = i;
		dead_stores(&fr);
	}
	frame_free(&fr);
}
