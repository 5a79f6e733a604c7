/* opt.c - IR passes between the lowering and the register allocator.
 *
 * Requires: IR from the lowering (virtual registers defined before their
 * uses on every path, structured control flow). Gives: the same program
 * with fewer instructions and shorter-lived registers:
 *
 *   copy propagation  inside a basic block, after "vA = vB" a use of vA
 *                     reads vB instead, as long as neither is written
 *                     again; the copy then often has no use left;
 *   dead code         an instruction without side effects (an ALU
 *                     operation, a load, a constant, a map address)
 *                     whose virtual register nobody reads is removed,
 *                     until none is left.
 *
 * --dump=lower prints the IR before these passes, --dump=ir after them;
 * the golden tests keep both.
 */
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "lower.h"

static bool is_vreg(int r)
{
	return r >= IR_VREG0;
}

/* A 64-bit register copy between virtual registers. */
static bool is_copy(const struct ir_insn *in)
{
	return in->op == IR_INSN && in->code == (BPF_ALU64 | BPF_MOV | BPF_X) &&
	       is_vreg(in->dst) && is_vreg(in->src) && in->dst != in->src;
}

/* Replace the read-only uses of register from by to in in. A register an
 * ALU operation both reads and writes (its dst) is not a read-only use. */
static void rewrite_uses(struct ir_insn *in, int from, int to)
{
	uint8_t cls = BPF_CLASS(in->code);

	if (in->op != IR_INSN)
		return;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(in->code) == BPF_X && BPF_OP(in->code) != BPF_END &&
		    BPF_OP(in->code) != BPF_NEG && in->src == from)
			in->src = to;
		break;
	case BPF_LDX:
		if (in->src == from)
			in->src = to;
		break;
	case BPF_ST:
		if (in->dst == from)
			in->dst = to;
		break;
	case BPF_STX:
		/* atomic operations write their src (FETCH): left alone */
		if (BPF_MODE(in->code) == BPF_ATOMIC)
			break;
		if (in->dst == from)
			in->dst = to;
		if (in->src == from)
			in->src = to;
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (BPF_OP(in->code) == BPF_CALL || BPF_OP(in->code) == BPF_EXIT ||
		    BPF_OP(in->code) == BPF_JA)
			break;
		if (in->dst == from)
			in->dst = to;
		if (BPF_SRC(in->code) == BPF_X && in->src == from)
			in->src = to;
		break;
	}
}

/* Does in write register r? */
static bool defines(const struct ir_insn *in, int r)
{
	int uses[8], defs[8], nu, nd, call;

	ir_insn_regs(in, uses, &nu, defs, &nd, &call);
	for (int i = 0; i < nd; i++)
		if (defs[i] == r)
			return true;
	return false;
}

/* Does a jump end the block at in (or a label start one)? */
static bool block_edge(const struct ir_insn *in)
{
	return in->op == IR_LABEL || ir_is_jump(in) ||
	       (in->op == IR_INSN && in->code == (BPF_JMP | BPF_EXIT));
}

static void copy_propagate(struct ir_func *f)
{
	for (size_t i = 0; i < f->n; i++) {
		int a = f->insns[i].dst, b = f->insns[i].src;

		if (!is_copy(&f->insns[i]))
			continue;
		for (size_t j = i + 1; j < f->n; j++) {
			struct ir_insn *in = &f->insns[j];

			if (in->op == IR_LABEL)
				break;
			rewrite_uses(in, a, b);
			if (defines(in, a) || defines(in, b) || block_edge(in))
				break;
		}
	}
}

/* An instruction that only computes its destination register. */
static bool pure(const struct ir_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code);

	if (in->op == IR_LDIMM64 || in->op == IR_LDMAP || in->op == IR_LDFUNC)
		return true;
	return in->op == IR_INSN && (cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_LDX);
}

static void dead_code(struct ir_func *f)
{
	bool changed = true;
	int nv = f->next_vreg - IR_VREG0;
	int *used = calloc(nv > 0 ? nv : 1, sizeof(*used));

	if (!used)
		return; /* no harm: the code stays as it was */
	while (changed) {
		size_t k = 0;

		changed = false;
		memset(used, 0, (nv > 0 ? nv : 1) * sizeof(*used));
		for (size_t i = 0; i < f->n; i++) {
			int uses[8], defs[8], nu, nd, call;

			ir_insn_regs(&f->insns[i], uses, &nu, defs, &nd, &call);
			for (int u = 0; u < nu; u++) {
				/* "v += 1" reading v for itself keeps nothing alive */
				if (pure(&f->insns[i]) && uses[u] == f->insns[i].dst)
					continue;
				if (is_vreg(uses[u]) && uses[u] - IR_VREG0 < nv)
					used[uses[u] - IR_VREG0]++;
			}
		}
		for (size_t i = 0; i < f->n; i++) {
			const struct ir_insn *in = &f->insns[i];

			if (pure(in) && is_vreg(in->dst) && in->dst - IR_VREG0 < nv &&
			    !used[in->dst - IR_VREG0]) {
				changed = true;
				continue;
			}
			f->insns[k++] = *in;
		}
		f->n = k;
	}
	free(used);
}

void ir_optimize(struct ir_func *f)
{
	copy_propagate(f);
	dead_code(f);
	for (int k = 0; k < f->nsubs; k++)
		ir_optimize(f->subs[k]);
}
