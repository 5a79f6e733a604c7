/* emit.c - encode allocated IR into eBPF instructions.
 *
 * Requires: IR after register allocation (no virtual registers). Gives:
 * an asm_prog with labels resolved into jump offsets and map loads
 * recorded for relocation; each slot keeps the source location of the IR
 * instruction it came from, so that a verifier rejection can name it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bpfasm/bpfasm.h"
#include "ir.h"

/* Encode one function; its labels are numbered from label0 on in p, and
 * subprogram k starts at label entry0 + k. */
static int emit_func(const struct ir_func *f, struct asm_prog *p, int label0,
		     int entry0, char **err)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct ir_insn *in = &f->insns[i];
		struct bpf_insn bi = { 0 };

		if ((in->dst >= IR_NPHYS) || (in->src >= IR_NPHYS)) {
			if (asprintf(err, "internal error: virtual register left at IR %zu", i) < 0)
				*err = NULL;
			return -1;
		}
		switch (in->op) {
		case IR_LABEL:
			asm_place_label(p, label0 + in->label);
			break;
		case IR_LDFUNC:
			asm_emit_ld_func(p, in->dst, entry0 + in->map, in->loc);
			break;
		case IR_LDIMM64:
			asm_emit_ld_imm64(p, in->dst, (uint64_t)in->imm64, in->loc);
			break;
		case IR_LDMAP:
			asm_emit_ld_map(p, in->dst, in->map, in->loc);
			break;
		case IR_LDMAPVAL:
			asm_emit_ld_map_value(p, in->dst, in->map, (uint32_t)in->imm, in->loc);
			break;
		case IR_INSN:
			bi.code = in->code;
			bi.dst_reg = in->dst == IR_NOREG ? 0 : in->dst;
			bi.src_reg = in->src == IR_NOREG ? 0 : in->src;
			bi.off = in->off;
			bi.imm = in->imm;
			if (ir_is_jump(in))
				asm_emit_jump(p, bi, label0 + in->label, in->loc);
			else
				asm_emit(p, bi, in->loc);
			break;
		}
	}
	return 0;
}

/* Mark the subprograms g loads the address of, and theirs. */
static void mark_subs(const struct ir_func *f, const struct ir_func *g, bool *used)
{
	for (size_t i = 0; i < g->n; i++) {
		int k = g->insns[i].map;

		if (g->insns[i].op != IR_LDFUNC || k < 0 || k >= f->nsubs || used[k])
			continue;
		used[k] = true;
		mark_subs(f, f->subs[k], used);
	}
}

/* The function, then its subprograms (their IR_LDFUNCs name subprograms
 * of f: nested callbacks are all kept in the outermost function). A
 * subprogram no code loads any more (the loop was in code the optimiser
 * found dead) is left out: the verifier refuses unreachable code. */
int ir_emit_asm(const struct ir_func *f, struct asm_prog *p, char **err)
{
	int entry0 = f->next_label, label0 = entry0 + f->nsubs;
	bool *used = calloc(f->nsubs ? f->nsubs : 1, sizeof(*used));
	int ret = -1;

	*err = NULL;
	if (!used) {
		*err = strdup("out of memory while assembling the program");
		return -1;
	}
	mark_subs(f, f, used);
	if (emit_func(f, p, 0, entry0, err))
		goto out;
	for (int k = 0; k < f->nsubs; k++) {
		if (used[k]) {
			asm_place_label(p, entry0 + k);
			if (emit_func(f->subs[k], p, label0, entry0, err))
				goto out;
		}
		label0 += f->subs[k]->next_label;
	}
	if (asm_finish(p, err))
		goto out;
	if (f->nsubs) {
		p->funcs = calloc(f->nsubs, sizeof(*p->funcs));
		if (!p->funcs) {
			*err = strdup("out of memory while assembling the program");
			goto out;
		}
		for (int k = 0; k < f->nsubs; k++)
			if (used[k])
				p->funcs[p->nfuncs++] = (size_t)p->labels[entry0 + k];
	}
	ret = 0;
out:
	free(used);
	return ret;
}
