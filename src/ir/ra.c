/* ra.c - linear-scan register allocation with spilling (Poletto & Sarkar,
 * in the spirit of QBE's rega.c/spill.c but on a linear instruction list).
 *
 * Requires: IR from the lowering, where
 *   - no virtual register is used before it is defined on any path;
 *   - physical registers appear only where the ABI fixes them (r1..r5 set
 *     just before a call, r0 after a call and before exit, r1 at entry,
 *     r10 anywhere but never written);
 *   - control flow is structured: forward jumps for conditionals, and
 *     backward jumps to a label for loops.
 * Gives: the same function with only physical registers r0..r10; a value
 * live across a helper call is in r6..r9 or in an 8-byte stack slot;
 * spill loads/stores inserted around the instructions that use/define a
 * spilled value; f->stack grown by the spill slots (values spilled in
 * the same round share a slot when their intervals are disjoint); 64-bit
 * self-moves deleted. Fails (-1, *err malloc'd) only when the spill slots would push
 * the stack past 512 bytes or an instruction cannot get registers at all.
 *
 * Positions: instruction i reads its operands at 2i and writes its result
 * at 2i+1, so a value that dies at i and one born at i can share a register.
 * A virtual register's interval is [first def/use, last use] in linear order,
 * widened over loops. Physical registers are few and short-lived, so their
 * busy ranges come from an exact backward liveness analysis over the
 * control-flow graph; a call "defines" r0..r5, which is how values living
 * across a call are kept out of the caller-saved registers.
 *
 * Spilling rewrites the code and starts again from scratch; the spill
 * temporaries have tiny intervals and are never spilled themselves, so every
 * round removes at least one spillable register and the loop terminates.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "ir.h"
#include "../bpfasm/bpfasm.h"

#define RA_NREGS 10 /* r0..r9 are allocatable; r10 never */
#define RA_NONE (-1)
#define RA_STUCK (-2) /* a spill temporary found no register */

struct ra_range {
	int start, end; /* positions, inclusive */
};

struct ra_fixed {
	struct ra_range *r;
	size_t n, cap;
};

struct ra_itv {
	int vreg;
	int start, end;
	int crosses; /* a call lies inside: r0..r5 will be clobbered */
	int hint;    /* physical register a move connects it to, or RA_NONE */
};

struct ra_edge {
	int label, jump; /* positions of a loop's head label and back edge */
};

struct ra {
	struct ir_func *f;
	int nv;               /* virtual registers IR_VREG0 .. IR_VREG0+nv-1 */
	unsigned char *tmp;   /* per vreg: a spill temporary (never spilled) */
	int ntmp;             /* entries in tmp */
	int *start, *end, *hint;
	int *reg;             /* per vreg: its physical register */
	unsigned char *spill; /* per vreg: chosen for spilling this round */
	int *label_at;        /* label id -> instruction index */
	int *ncalls;          /* calls before instruction i (prefix counts) */
	struct ra_fixed fixed[RA_NREGS];
	struct ra_edge *edges;
	size_t nedges;
	struct ra_itv *itv;
	size_t nitv;
};

static void *ra_alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	/* the compiler runs once per one-liner: out of memory is fatal */
	if (!p)
		abort();
	return p;
}

static int ra_fail(char **err, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (err)
		*err = strdup(buf);
	return -1;
}

static int ra_is_vreg(int r)
{
	return r >= IR_VREG0;
}

/* A plain 64-bit register copy (off != 0 would sign-extend) */
static int ra_is_copy(const struct ir_insn *in)
{
	return in->op == IR_INSN && in->code == (BPF_ALU64 | BPF_MOV | BPF_X) &&
	       in->off == 0;
}

static uint16_t ra_mask(const int *regs, int n)
{
	uint16_t m = 0;
	int i;

	for (i = 0; i < n; i++)
		if (regs[i] >= 0 && regs[i] < RA_NREGS)
			m |= 1u << regs[i];
	return m;
}

static void ra_round_free(struct ra *ra)
{
	int p;

	free(ra->start);
	free(ra->end);
	free(ra->hint);
	free(ra->reg);
	free(ra->spill);
	free(ra->label_at);
	free(ra->ncalls);
	free(ra->edges);
	free(ra->itv);
	for (p = 0; p < RA_NREGS; p++)
		free(ra->fixed[p].r);
	ra->start = ra->end = ra->hint = ra->reg = NULL;
	ra->spill = NULL;
	ra->label_at = ra->ncalls = NULL;
	ra->edges = NULL;
	ra->itv = NULL;
	ra->nedges = ra->nitv = 0;
	memset(ra->fixed, 0, sizeof(ra->fixed));
}

/* Virtual registers may have been numbered by hand past f->next_vreg (the
 * tests do); size the tables by what the code really holds. */
static void ra_size(struct ra *ra)
{
	struct ir_func *f = ra->f;
	int top = f->next_vreg;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->insns[i].dst >= top)
			top = f->insns[i].dst + 1;
		if (f->insns[i].src >= top)
			top = f->insns[i].src + 1;
	}
	if (top < IR_VREG0)
		top = IR_VREG0;
	f->next_vreg = top;
	ra->nv = top - IR_VREG0;
	if (ra->ntmp < ra->nv) {
		ra->tmp = realloc(ra->tmp, ra->nv);
		if (!ra->tmp)
			abort();
		memset(ra->tmp + ra->ntmp, 0, ra->nv - ra->ntmp);
		ra->ntmp = ra->nv;
	}
}

static void ra_touch(struct ra *ra, int r, int pos)
{
	int v = r - IR_VREG0;

	if (ra->start[v] < 0)
		ra->start[v] = pos;
	if (pos > ra->end[v])
		ra->end[v] = pos;
}

/* Intervals in linear order, hints from moves to and from the ABI
 * registers, loop back edges and call counts. */
static void ra_scan(struct ra *ra)
{
	struct ir_func *f = ra->f;
	int uses[6], defs[6], nu, nd, call, k;
	size_t i;

	ra->label_at = ra_alloc(f->next_label, sizeof(int));
	for (k = 0; k < f->next_label; k++)
		ra->label_at[k] = -1;
	for (i = 0; i < f->n; i++)
		if (f->insns[i].op == IR_LABEL && f->insns[i].label >= 0 &&
		    f->insns[i].label < f->next_label)
			ra->label_at[f->insns[i].label] = (int)i;

	ra->ncalls = ra_alloc(f->n + 1, sizeof(int));
	ra->edges = ra_alloc(f->n, sizeof(*ra->edges));
	for (i = 0; i < f->n; i++) {
		const struct ir_insn *in = &f->insns[i];

		ir_insn_regs(in, uses, &nu, defs, &nd, &call);
		ra->ncalls[i + 1] = ra->ncalls[i] + call;
		for (k = 0; k < nu; k++)
			if (ra_is_vreg(uses[k]))
				ra_touch(ra, uses[k], 2 * (int)i);
		for (k = 0; k < nd; k++)
			if (ra_is_vreg(defs[k]))
				ra_touch(ra, defs[k], 2 * (int)i + 1);

		if (ra_is_copy(in)) {
			if (ra_is_vreg(in->src) && in->dst >= 0 &&
			    in->dst < RA_NREGS &&
			    ra->hint[in->src - IR_VREG0] == RA_NONE)
				ra->hint[in->src - IR_VREG0] = in->dst;
			if (ra_is_vreg(in->dst) && in->src >= 0 &&
			    in->src < RA_NREGS &&
			    ra->hint[in->dst - IR_VREG0] == RA_NONE)
				ra->hint[in->dst - IR_VREG0] = in->src;
		}

		if (ir_is_jump(in) && in->label >= 0 &&
		    in->label < f->next_label) {
			int at = ra->label_at[in->label];

			if (at >= 0 && at < (int)i) {
				ra->edges[ra->nedges].label = 2 * at;
				ra->edges[ra->nedges].jump = 2 * (int)i + 1;
				ra->nedges++;
			}
		}
	}
}

static int ra_edge_cmp(const void *a, const void *b)
{
	const struct ra_edge *x = a, *y = b;

	return x->label < y->label ? -1 : x->label > y->label;
}

/* A value live at a loop's head (born before it, still wanted inside) must
 * survive the whole loop, up to the back edge. Edges sorted by head: the
 * end only grows, so one forward walk reaches the fixed point, nested and
 * overlapping loops included. */
static void ra_widen(struct ra *ra)
{
	int v;

	if (!ra->nedges)
		return;
	qsort(ra->edges, ra->nedges, sizeof(*ra->edges), ra_edge_cmp);
	for (v = 0; v < ra->nv; v++) {
		size_t lo = 0, hi = ra->nedges;

		if (ra->start[v] < 0)
			continue;
		while (lo < hi) { /* first edge whose head is after start */
			size_t mid = (lo + hi) / 2;

			if (ra->edges[mid].label <= ra->start[v])
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < ra->nedges && ra->edges[lo].label <= ra->end[v];
		     lo++)
			if (ra->edges[lo].jump > ra->end[v])
				ra->end[v] = ra->edges[lo].jump;
	}
}

static void ra_busy(struct ra_fixed *fx, int pos)
{
	if (fx->n && fx->r[fx->n - 1].end >= pos - 1) {
		fx->r[fx->n - 1].end = pos;
		return;
	}
	if (fx->n == fx->cap) {
		fx->cap = fx->cap ? 2 * fx->cap : 8;
		fx->r = realloc(fx->r, fx->cap * sizeof(*fx->r));
		if (!fx->r)
			abort();
	}
	fx->r[fx->n].start = fx->r[fx->n].end = pos;
	fx->n++;
}

/* Exact liveness of r0..r9 by backward iteration to a fixed point (a
 * 16-bit set per instruction, so this is cheap), then busy ranges: p is
 * busy where it is live, and wherever it is written even if the value is
 * dead, since the write destroys whatever a virtual register kept there. */
static void ra_fixed_ranges(struct ra *ra)
{
	struct ir_func *f = ra->f;
	size_t n = f->n, i;
	uint16_t *use = ra_alloc(n, sizeof(*use));
	uint16_t *def = ra_alloc(n, sizeof(*def));
	uint16_t *in = ra_alloc(n + 1, sizeof(*in));
	uint16_t *out = ra_alloc(n, sizeof(*out));
	int uses[6], defs[6], nu, nd, call, changed, p;

	for (i = 0; i < n; i++) {
		ir_insn_regs(&f->insns[i], uses, &nu, defs, &nd, &call);
		use[i] = ra_mask(uses, nu);
		def[i] = ra_mask(defs, nd);
		if (call)
			def[i] |= 0x3f; /* r0..r5 */
	}
	do {
		changed = 0;
		for (i = n; i-- > 0;) {
			const struct ir_insn *ins = &f->insns[i];
			uint16_t o = 0, li;
			int fall = 1;

			if (ins->op == IR_INSN &&
			    BPF_CLASS(ins->code) == BPF_JMP &&
			    BPF_OP(ins->code) == BPF_EXIT)
				fall = 0;
			if (ir_is_jump(ins)) {
				int at = ins->label >= 0 &&
					 ins->label < f->next_label ?
					 ra->label_at[ins->label] : -1;

				if (at >= 0)
					o |= in[at];
				if (BPF_OP(ins->code) == BPF_JA)
					fall = 0;
			}
			if (fall)
				o |= in[i + 1];
			li = use[i] | (o & ~def[i]);
			if (o != out[i] || li != in[i]) {
				out[i] = o;
				in[i] = li;
				changed = 1;
			}
		}
	} while (changed);

	for (i = 0; i < n; i++)
		for (p = 0; p < RA_NREGS; p++) {
			if (in[i] & (1u << p))
				ra_busy(&ra->fixed[p], 2 * (int)i);
			if ((out[i] | def[i]) & (1u << p))
				ra_busy(&ra->fixed[p], 2 * (int)i + 1);
		}
	free(use);
	free(def);
	free(in);
	free(out);
}

static int ra_fits(const struct ra *ra, int p, const struct ra_itv *it)
{
	const struct ra_fixed *fx = &ra->fixed[p];
	size_t lo = 0, hi = fx->n;

	while (lo < hi) { /* first range ending at or after the start */
		size_t mid = (lo + hi) / 2;

		if (fx->r[mid].end < it->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == fx->n || fx->r[lo].start > it->end;
}

static int ra_itv_cmp(const void *a, const void *b)
{
	const struct ra_itv *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->vreg < y->vreg ? -1 : x->vreg > y->vreg;
}

static void ra_intervals(struct ra *ra)
{
	int v;

	ra->itv = ra_alloc(ra->nv, sizeof(*ra->itv));
	for (v = 0; v < ra->nv; v++) {
		struct ra_itv *it;

		if (ra->start[v] < 0)
			continue;
		it = &ra->itv[ra->nitv++];
		it->vreg = v;
		it->start = ra->start[v];
		it->end = ra->end[v];
		it->hint = ra->hint[v];
		it->crosses = ra->ncalls[it->end / 2 + 1] -
			      ra->ncalls[it->start / 2] > 0;
	}
	qsort(ra->itv, ra->nitv, sizeof(*ra->itv), ra_itv_cmp);
}

/* Values that cross a call can only live in the callee-saved registers;
 * the others take the caller-saved ones first to leave r6..r9 free. */
static const int ra_order_short[RA_NREGS] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static const int ra_order_long[RA_NREGS] = { 6, 7, 8, 9, 0, 1, 2, 3, 4, 5 };

/* A free register cur fits in: its hint first, so that the copy to or from
 * the ABI register disappears, then by preference. */
static int ra_pick(const struct ra *ra, struct ra_itv *const *owner,
		   const struct ra_itv *cur)
{
	const int *order = cur->crosses ? ra_order_long : ra_order_short;
	int k;

	if (cur->hint != RA_NONE && !owner[cur->hint] &&
	    ra_fits(ra, cur->hint, cur))
		return cur->hint;
	for (k = 0; k < RA_NREGS; k++)
		if (!owner[order[k]] && ra_fits(ra, order[k], cur))
			return order[k];
	return RA_NONE;
}

/* No register is free: spill the value needed furthest away, among cur
 * and the holders of registers cur could use. Spill temporaries are never
 * chosen, since spilling them again would not reduce pressure. Returns
 * the register freed for cur, RA_NONE when cur itself is spilled. */
static int ra_evict(struct ra *ra, struct ra_itv **owner, struct ra_itv *cur,
		    int *nspill)
{
	struct ra_itv *victim = NULL;
	int p;

	for (p = 0; p < RA_NREGS; p++)
		if (owner[p] && !ra->tmp[owner[p]->vreg] &&
		    ra_fits(ra, p, cur) &&
		    (!victim || owner[p]->end > victim->end))
			victim = owner[p];
	if (victim && (victim->end > cur->end || ra->tmp[cur->vreg])) {
		ra->spill[victim->vreg] = 1;
		(*nspill)++;
		return ra->reg[victim->vreg];
	}
	if (ra->tmp[cur->vreg])
		return RA_STUCK;
	ra->spill[cur->vreg] = 1;
	(*nspill)++;
	return RA_NONE;
}

/* The scan proper. Returns the number of intervals chosen for spilling,
 * or -1 when a spill temporary cannot get a register. */
static int ra_scan_intervals(struct ra *ra, char **err)
{
	struct ra_itv *owner[RA_NREGS] = { 0 };
	int nspill = 0, p;
	size_t i;

	for (i = 0; i < ra->nitv; i++) {
		struct ra_itv *cur = &ra->itv[i];
		int got;

		for (p = 0; p < RA_NREGS; p++)
			if (owner[p] && owner[p]->end < cur->start)
				owner[p] = NULL;
		got = ra_pick(ra, owner, cur);
		if (got == RA_NONE)
			got = ra_evict(ra, owner, cur, &nspill);
		if (got == RA_STUCK)
			return ra_fail(err, "register allocation failed: no "
				       "register for v%d at instruction %d",
				       cur->vreg + IR_VREG0, cur->end / 2);
		if (got == RA_NONE)
			continue;
		ra->reg[cur->vreg] = got;
		owner[got] = cur;
	}
	return nspill;
}

static void ra_push(struct ir_insn **v, size_t *n, size_t *cap,
		    const struct ir_insn *in)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*v = realloc(*v, *cap * sizeof(**v));
		if (!*v)
			abort();
	}
	(*v)[(*n)++] = *in;
}

static int ra_new_tmp(struct ra *ra)
{
	int r = ir_vreg(ra->f), v = r - IR_VREG0;

	if (v >= ra->ntmp) {
		int cap = 2 * v + 16;

		ra->tmp = realloc(ra->tmp, cap);
		if (!ra->tmp)
			abort();
		memset(ra->tmp + ra->ntmp, 0, cap - ra->ntmp);
		ra->ntmp = cap;
	}
	ra->tmp[v] = 1;
	return r;
}

/* Stack slots for this round's spills. Spilled values whose intervals do
 * not overlap share a slot (the intervals are conservative, loops
 * included), which matters because the 512 bytes also hold keys and
 * strings. Intervals come sorted by start, so a first-fit walk suffices. */
static int ra_slots(struct ra *ra, int *slot, char **err)
{
	struct {
		int off, end;
	} s[IR_STACK_MAX / 8];
	int ns = 0, k;
	size_t i;

	for (i = 0; i < ra->nitv; i++) {
		const struct ra_itv *it = &ra->itv[i];

		if (!ra->spill[it->vreg])
			continue;
		for (k = 0; k < ns && s[k].end >= it->start; k++)
			;
		if (k == ns) {
			if (ns == IR_STACK_MAX / 8 ||
			    !(s[k].off = ir_stack_alloc(ra->f, 8, 8)))
				return ra_fail(err, "too many live values: "
					       "spill slots need more than %d "
					       "bytes of stack", IR_STACK_MAX);
			ns++;
		}
		s[k].end = it->end;
		slot[it->vreg] = s[k].off;
	}
	return 0;
}

/* Give every spilled register a stack slot and route each access through
 * a fresh temporary: load before a use, store after a def, one temporary
 * for an instruction that does both (x += y reads and writes x). */
static int ra_rewrite_spills(struct ra *ra, char **err)
{
	struct ir_func *f = ra->f;
	struct ir_insn *out = NULL;
	size_t n = 0, cap = 0, i;
	int *slot = ra_alloc(ra->nv, sizeof(int));

	if (ra_slots(ra, slot, err) < 0) {
		free(slot);
		return -1;
	}

	for (i = 0; i < f->n; i++) {
		struct ir_insn in = f->insns[i], ld, st;
		int uses[6], defs[6], nu, nd, call, k, j;
		int sv[12], st_tmp[12], ns = 0;

		ir_insn_regs(&in, uses, &nu, defs, &nd, &call);
		for (k = 0; k < nu + nd; k++) {
			int r = k < nu ? uses[k] : defs[k - nu];

			if (!ra_is_vreg(r) || !ra->spill[r - IR_VREG0])
				continue;
			for (j = 0; j < ns && sv[j] != r; j++)
				;
			if (j == ns) {
				sv[ns] = r;
				st_tmp[ns++] = ra_new_tmp(ra);
			}
		}
		for (j = 0; j < ns; j++) {
			for (k = 0; k < nu && uses[k] != sv[j]; k++)
				;
			if (k < nu) {
				ld = in;
				ld.op = IR_INSN;
				ld.code = BPF_LDX | BPF_MEM | BPF_DW;
				ld.dst = st_tmp[j];
				ld.src = 10;
				ld.off = slot[sv[j] - IR_VREG0];
				ld.imm = 0;
				ld.imm64 = 0;
				ld.label = ld.map = -1;
				ld.nargs = 0;
				ra_push(&out, &n, &cap, &ld);
			}
			if (in.dst == sv[j])
				in.dst = st_tmp[j];
			if (in.src == sv[j])
				in.src = st_tmp[j];
		}
		ra_push(&out, &n, &cap, &in);
		for (j = 0; j < ns; j++) {
			for (k = 0; k < nd && defs[k] != sv[j]; k++)
				;
			if (k == nd)
				continue;
			/* a def right before a label is fine: the store runs
			 * on the path that made the def, which is the point */
			st = in;
			st.op = IR_INSN;
			st.code = BPF_STX | BPF_MEM | BPF_DW;
			st.dst = 10;
			st.src = st_tmp[j];
			st.off = slot[sv[j] - IR_VREG0];
			st.imm = 0;
			st.imm64 = 0;
			st.label = st.map = -1;
			st.nargs = 0;
			ra_push(&out, &n, &cap, &st);
		}
	}
	free(slot);
	free(f->insns);
	f->insns = out;
	f->n = n;
	f->cap = cap;
	return 0;
}

static int ra_phys(const struct ra *ra, int r)
{
	if (!ra_is_vreg(r))
		return r;
	/* only in a field the opcode ignores: any encodable number will do */
	if (r - IR_VREG0 >= ra->nv || ra->start[r - IR_VREG0] < 0)
		return 0;
	return ra->reg[r - IR_VREG0];
}

static void ra_assign(struct ra *ra)
{
	struct ir_func *f = ra->f;
	size_t i, n = 0;

	for (i = 0; i < f->n; i++) {
		struct ir_insn *in = &f->insns[i];

		in->dst = ra_phys(ra, in->dst);
		in->src = ra_phys(ra, in->src);
		/* a 32-bit copy to itself zero-extends: not a no-op */
		if (ra_is_copy(in) && in->dst == in->src)
			continue;
		f->insns[n++] = *in;
	}
	f->n = n;
}

int ra_run(struct ir_func *f, char **err)
{
	struct ra ra;
	int ret, v;

	memset(&ra, 0, sizeof(ra));
	ra.f = f;
	if (err)
		*err = NULL;
	for (;;) {
		ra_size(&ra);
		ra.start = ra_alloc(ra.nv, sizeof(int));
		ra.end = ra_alloc(ra.nv, sizeof(int));
		ra.hint = ra_alloc(ra.nv, sizeof(int));
		ra.reg = ra_alloc(ra.nv, sizeof(int));
		ra.spill = ra_alloc(ra.nv, 1);
		for (v = 0; v < ra.nv; v++) {
			ra.start[v] = ra.end[v] = -1;
			ra.hint[v] = ra.reg[v] = RA_NONE;
		}
		ra_scan(&ra);
		ra_widen(&ra);
		ra_fixed_ranges(&ra);
		ra_intervals(&ra);
		ret = ra_scan_intervals(&ra, err);
		if (ret == 0) {
			ra_assign(&ra);
			break;
		}
		if (ret < 0 || ra_rewrite_spills(&ra, err) < 0) {
			ret = -1;
			break;
		}
		ra_round_free(&ra);
	}
	ra_round_free(&ra);
	free(ra.tmp);
	return ret < 0 ? -1 : 0;
}
