/* opt.c - IR passes between the lowering and the register allocator.
 *
 * Requires: IR from the lowering (virtual registers defined before their
 * uses on every path, structured control flow). Gives: the same program
 * with fewer instructions and shorter-lived registers:
 *
 *   copy propagation  after "vA = vB" a use of vA reads vB instead:
 *                     everywhere when both are written once (every use
 *                     comes after the definitions), else inside the
 *                     basic block as long as neither is written again;
 *                     the copy then often has no use left;
 *   constants         a register known to hold a constant (its only
 *                     definition in the function is one, or an earlier
 *                     one in the same block) becomes an immediate where
 *                     it is read: "v += 3" for "v23 = 3; v += v23", the
 *                     same for comparisons, moves and stores to maps;
 *                     an operation on a known value is folded into a
 *                     move of the result;
 *   dead code         an instruction without side effects (an ALU
 *                     operation, a load, a constant, a map address)
 *                     whose virtual register nobody reads, or that the
 *                     block writes again before reading, is removed,
 *                     until none is left;
 *   unreachable code  the instructions no path from the entry reaches
 *                     are removed: the verifier refuses a program that
 *                     has any, and the lowering leaves some where both
 *                     arms of an if end the probe (the jump over the
 *                     else arm after an exit() in the then arm).
 *
 * stack.c then removes the stores to the frame that change nothing.
 *
 * --dump=lower prints the IR before these passes, --dump=ir after them;
 * the golden tests keep both.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "ir.h"

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

/* ndef[v - IR_VREG0]: how many instructions write v (nv entries). */
static int *count_defs(const struct ir_func *f, int nv)
{
	int *ndef = calloc(nv > 0 ? nv : 1, sizeof(*ndef));

	for (size_t i = 0; ndef && i < f->n; i++) {
		int uses[8], defs[8], nu, nd, call;

		ir_insn_regs(&f->insns[i], uses, &nu, defs, &nd, &call);
		for (int d = 0; d < nd; d++)
			if (is_vreg(defs[d]) && defs[d] - IR_VREG0 < nv)
				ndef[defs[d] - IR_VREG0]++;
	}
	return ndef;
}

static void copy_propagate(struct ir_func *f)
{
	int nv = f->next_vreg - IR_VREG0;
	int *ndef = count_defs(f, nv);

	for (size_t i = 0; i < f->n; i++) {
		int a = f->insns[i].dst, b = f->insns[i].src;

		if (!is_copy(&f->insns[i]))
			continue;
		/* both written once: a is b wherever a is read */
		if (ndef && a - IR_VREG0 < nv && b - IR_VREG0 < nv &&
		    ndef[a - IR_VREG0] == 1 && ndef[b - IR_VREG0] == 1) {
			for (size_t j = 0; j < f->n; j++)
				if (j != i)
					rewrite_uses(&f->insns[j], a, b);
			continue;
		}
		for (size_t j = i + 1; j < f->n; j++) {
			struct ir_insn *in = &f->insns[j];

			if (in->op == IR_LABEL)
				break;
			rewrite_uses(in, a, b);
			if (defines(in, a) || defines(in, b) || block_edge(in))
				break;
		}
	}
	free(ndef);
}

/* ---- constants ---- */

static bool fits_s32(int64_t v)
{
	return v == (int64_t)(int32_t)v;
}

/* The result of dst op imm, as the eBPF machine computes it (an ALU32
 * operation on the low halves, zero-extended); false for an operation
 * left alone. */
static bool fold(uint8_t code, int64_t dst, int32_t imm, int64_t *res)
{
	bool w64 = BPF_CLASS(code) == BPF_ALU64;
	uint64_t a = w64 ? (uint64_t)dst : (uint32_t)dst;
	uint64_t b = w64 ? (uint64_t)(int64_t)imm : (uint32_t)imm;
	uint64_t r;

	switch (BPF_OP(code)) {
	case BPF_ADD: r = a + b; break;
	case BPF_SUB: r = a - b; break;
	case BPF_MUL: r = a * b; break;
	case BPF_OR: r = a | b; break;
	case BPF_AND: r = a & b; break;
	case BPF_XOR: r = a ^ b; break;
	case BPF_NEG: r = 0 - a; break;
	case BPF_DIV: if (!b) return false; r = a / b; break;
	case BPF_MOD: if (!b) return false; r = a % b; break;
	case BPF_LSH: r = a << (b & (w64 ? 63 : 31)); break;
	case BPF_RSH: r = a >> (b & (w64 ? 63 : 31)); break;
	case BPF_ARSH:
		r = w64 ? (uint64_t)((int64_t)a >> (b & 63))
			: (uint64_t)(uint32_t)((int32_t)(uint32_t)a >> (b & 31));
		break;
	default:
		return false;
	}
	*res = w64 ? (int64_t)r : (int64_t)(uint32_t)r;
	return true;
}

/* Can "op dst, src" with src = c become "op dst, imm"? The verifier
 * refuses a division by an immediate 0 and shifts by the width or more;
 * a 64-bit operation sign-extends its immediate. */
static bool alu_imm_ok(uint8_t code, int64_t c)
{
	bool w64 = BPF_CLASS(code) == BPF_ALU64;
	uint64_t u = w64 ? (uint64_t)c : (uint32_t)c;

	switch (BPF_OP(code)) {
	case BPF_DIV:
	case BPF_MOD:
		if (!u)
			return false;
		break;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		return u < (w64 ? 64u : 32u);
	case BPF_END:
	case BPF_NEG:
		return false;
	}
	return !w64 || fits_s32(c);
}

/* Does the program load (LDX) any of the frame bytes [off, off + size)?
 * A constant stored there stays a register store, because older
 * verifiers track the value of a spilled register but not of a stored
 * immediate, and the load must give the verifier the constant back. */
static bool frame_read_back(const uint64_t *loads, int off, int size)
{
	for (int k = off + IR_STACK_MAX; k < off + size + IR_STACK_MAX; k++)
		if (k < 0 || k >= IR_STACK_MAX || (loads[k / 64] >> (k % 64) & 1))
			return true;
	return false;
}

/* "if c < v" as "if v > c": the known operand goes to the immediate's
 * side. */
static void swap_operands(struct ir_insn *in)
{
	uint8_t op = BPF_OP(in->code);
	int t;

	switch (op) {
	case BPF_JGT: op = BPF_JLT; break;
	case BPF_JLT: op = BPF_JGT; break;
	case BPF_JGE: op = BPF_JLE; break;
	case BPF_JLE: op = BPF_JGE; break;
	case BPF_JSGT: op = BPF_JSLT; break;
	case BPF_JSLT: op = BPF_JSGT; break;
	case BPF_JSGE: op = BPF_JSLE; break;
	case BPF_JSLE: op = BPF_JSGE; break;
	case BPF_JEQ: case BPF_JNE: case BPF_JSET:
		break;
	default:
		return;
	}
	in->code = BPF_CLASS(in->code) | op | BPF_X;
	t = in->dst;
	in->dst = in->src;
	in->src = t;
}

/* Turn the reads of a known register in into immediates where the
 * instruction has an immediate form. */
static void use_const(const uint64_t *loads, struct ir_insn *in,
		      const bool *known, const int64_t *val)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	int64_t c;

	if (in->op != IR_INSN)
		return;
	if (ir_is_jump(in) && BPF_SRC(in->code) == BPF_X && is_vreg(in->dst) &&
	    known[in->dst - IR_VREG0] && !(is_vreg(in->src) && known[in->src - IR_VREG0]))
		swap_operands(in);
	if (!is_vreg(in->src) || !known[in->src - IR_VREG0])
		return;
	op = BPF_OP(in->code);
	c = val[in->src - IR_VREG0];
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		/* off != 0: the signed forms of newer CPUs (movsx, sdiv) */
		if (BPF_SRC(in->code) != BPF_X || in->off || !alu_imm_ok(in->code, c))
			return;
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (!ir_is_jump(in) || op == BPF_JA || BPF_SRC(in->code) != BPF_X ||
		    (cls == BPF_JMP && !fits_s32(c)))
			return;
		break;
	case BPF_STX:
		if (BPF_MODE(in->code) != BPF_MEM ||
		    (BPF_SIZE(in->code) == BPF_DW && !fits_s32(c)))
			return;
		if (in->dst == BPF_REG_10) {
			static const int bytes[4] = { 4, 2, 1, 8 }; /* W, H, B, DW */

			if (frame_read_back(loads, in->off, bytes[BPF_SIZE(in->code) >> 3]))
				return;
		}
		in->code = BPF_ST | BPF_MEM | BPF_SIZE(in->code);
		in->src = IR_NOREG;
		in->imm = (int32_t)c;
		return;
	default:
		return;
	}
	in->code = cls | op | BPF_K;
	in->src = IR_NOREG;
	in->imm = (int32_t)c;
}

/* A 64-bit operation that leaves dst as it is: v += 0, v *= 1, ... */
static bool identity(const struct ir_insn *in)
{
	if (in->op != IR_INSN || BPF_CLASS(in->code) != BPF_ALU64 ||
	    BPF_SRC(in->code) != BPF_K || in->off)
		return false;
	switch (BPF_OP(in->code)) {
	case BPF_ADD: case BPF_SUB: case BPF_OR: case BPF_XOR:
	case BPF_LSH: case BPF_RSH: case BPF_ARSH:
		return in->imm == 0;
	case BPF_MUL: case BPF_DIV:
		return in->imm == 1;
	case BPF_AND:
		return in->imm == -1;
	}
	return false;
}

/* Replace in, an operation with an immediate on a known dst, by a move
 * of the result. */
static void fold_insn(struct ir_insn *in, int64_t dst)
{
	uint8_t cls = BPF_CLASS(in->code);
	int64_t r;

	if (in->op != IR_INSN || (cls != BPF_ALU && cls != BPF_ALU64) ||
	    BPF_OP(in->code) == BPF_MOV || in->off ||
	    (BPF_SRC(in->code) != BPF_K && BPF_OP(in->code) != BPF_NEG) ||
	    !fold(in->code, dst, in->imm, &r))
		return;
	if (cls == BPF_ALU || fits_s32(r)) {
		in->code = cls | BPF_MOV | BPF_K;
		in->imm = (int32_t)r;
	} else {
		in->op = IR_LDIMM64;
		in->imm64 = r;
	}
}

static void const_propagate(struct ir_func *f)
{
	int nv = f->next_vreg - IR_VREG0;
	size_t sz = nv > 0 ? (size_t)nv : 1;
	int *ndef = count_defs(f, nv);
	int64_t *once = calloc(sz, sizeof(*once)), *val = calloc(sz, sizeof(*val));
	bool *konce = calloc(sz, sizeof(*konce)), *known = calloc(sz, sizeof(*known));
	uint64_t loads[IR_STACK_MAX / 64];
	size_t k = 0;

	ir_frame_loads(f, loads);
	if (!ndef || !once || !val || !konce || !known)
		goto out; /* no harm: the code stays as it was */
	/* registers defined once, by a constant: known everywhere, since
	 * every use comes after the definition on every path */
	for (size_t i = 0; i < f->n; i++) {
		int uses[8], defs[8], nu, nd, call;
		int64_t c;

		ir_insn_regs(&f->insns[i], uses, &nu, defs, &nd, &call);
		for (int d = 0; d < nd; d++) {
			int v = defs[d] - IR_VREG0;

			if (is_vreg(defs[d]) && v < nv && ndef[v] == 1 &&
			    ir_const_def(&f->insns[i], &c)) {
				konce[v] = true;
				once[v] = c;
			}
		}
	}
	memcpy(known, konce, sz * sizeof(*known));
	memcpy(val, once, sz * sizeof(*val));
	for (size_t i = 0; i < f->n; i++) {
		struct ir_insn *in = &f->insns[i];
		int uses[8], defs[8], nu, nd, call;
		int64_t c = 0;

		if (in->op == IR_LABEL) {
			/* what this block learnt ends here */
			memcpy(known, konce, sz * sizeof(*known));
			memcpy(val, once, sz * sizeof(*val));
			continue;
		}
		use_const(loads, in, known, val);
		if (identity(in))
			continue; /* dropped below; what is known stays true */
		if (is_vreg(in->dst) && in->dst - IR_VREG0 < nv && known[in->dst - IR_VREG0])
			fold_insn(in, val[in->dst - IR_VREG0]);
		ir_insn_regs(in, uses, &nu, defs, &nd, &call);
		for (int d = 0; d < nd; d++) {
			int v = defs[d] - IR_VREG0;

			if (!is_vreg(defs[d]) || v >= nv)
				continue;
			known[v] = ir_const_def(in, &c);
			val[v] = c;
		}
	}
	for (size_t i = 0; i < f->n; i++)
		if (!identity(&f->insns[i]))
			f->insns[k++] = f->insns[i];
	f->n = k;
out:
	free(ndef);
	free(once);
	free(val);
	free(konce);
	free(known);
}

/* An instruction that only computes its destination register. */
static bool pure(const struct ir_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code);

	if (in->op == IR_LDIMM64 || in->op == IR_LDMAP || in->op == IR_LDFUNC ||
	    in->op == IR_LDMAPVAL)
		return true;
	return in->op == IR_INSN && (cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_LDX);
}

/* Is the value instruction i gives its destination written over, in the
 * same block, before anything reads it? */
static bool overwritten(const struct ir_func *f, size_t i)
{
	int r = f->insns[i].dst;

	for (size_t j = i + 1; j < f->n && !block_edge(&f->insns[j]); j++) {
		int uses[8], defs[8], nu, nd, call;

		ir_insn_regs(&f->insns[j], uses, &nu, defs, &nd, &call);
		for (int u = 0; u < nu; u++)
			if (uses[u] == r)
				return false;
		for (int d = 0; d < nd; d++)
			if (defs[d] == r)
				return true;
	}
	return false;
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
			    (!used[in->dst - IR_VREG0] || overwritten(f, i))) {
				changed = true;
				continue;
			}
			f->insns[k++] = *in;
		}
		f->n = k;
	}
	free(used);
}

static void drop_unreachable(struct ir_func *f)
{
	size_t *at = malloc((f->next_label > 0 ? f->next_label : 1) * sizeof(*at));
	size_t *todo = malloc((f->n + 1) * sizeof(*todo)), ntodo = 0;
	bool *seen = calloc(f->n + 1, sizeof(*seen));

	if (!at || !todo || !seen)
		goto out; /* no harm: the verifier will say what is wrong */
	for (int l = 0; l < f->next_label; l++)
		at[l] = f->n; /* not placed */
	for (size_t i = 0; i < f->n; i++)
		if (f->insns[i].op == IR_LABEL && f->insns[i].label >= 0 &&
		    f->insns[i].label < f->next_label)
			at[f->insns[i].label] = i;
	/* every jump pushes its target once at most: n entries are enough */
	if (f->n)
		todo[ntodo++] = 0;
	while (ntodo) {
		for (size_t i = todo[--ntodo]; i < f->n && !seen[i]; i++) {
			const struct ir_insn *in = &f->insns[i];

			seen[i] = true;
			if (ir_is_jump(in)) {
				size_t t = in->label >= 0 && in->label < f->next_label ?
						   at[in->label] : f->n;

				if (t < f->n && !seen[t])
					todo[ntodo++] = t;
				if (BPF_OP(in->code) == BPF_JA)
					break;
			} else if (in->op == IR_INSN && in->code == (BPF_JMP | BPF_EXIT)) {
				break;
			}
		}
	}
	for (size_t i = 0; i < f->n; i++)
		seen[i] = !seen[i]; /* from now on: to drop */
	ir_drop(f, seen);
out:
	free(at);
	free(todo);
	free(seen);
}

void ir_optimize(struct ir_func *f)
{
	copy_propagate(f);
	const_propagate(f);
	ir_stack_opt(f);
	/* forwarded loads are copies and constants again */
	copy_propagate(f);
	const_propagate(f);
	dead_code(f);
	drop_unreachable(f);
	for (int k = 0; k < f->nsubs; k++)
		ir_optimize(f->subs[k]);
}
