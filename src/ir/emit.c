/* emit.c - encode allocated IR into eBPF instructions.
 *
 * Requires: IR after register allocation (no virtual registers). Gives:
 * an asm_prog with labels resolved into jump offsets and map loads
 * recorded for relocation; each slot keeps the source location of the IR
 * instruction it came from, so that a verifier rejection can name it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../bpfasm/bpfasm.h"
#include "lower.h"

int ir_emit_asm(const struct ir_func *f, struct asm_prog *p, char **err)
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
			asm_place_label(p, in->label);
			break;
		case IR_LDIMM64:
			asm_emit_ld_imm64(p, in->dst, (uint64_t)in->imm64, in->loc);
			break;
		case IR_LDMAP:
			asm_emit_ld_map(p, in->dst, in->map, in->loc);
			break;
		case IR_INSN:
			bi.code = in->code;
			bi.dst_reg = in->dst == IR_NOREG ? 0 : in->dst;
			bi.src_reg = in->src == IR_NOREG ? 0 : in->src;
			bi.off = in->off;
			bi.imm = in->imm;
			if (ir_is_jump(in))
				asm_emit_jump(p, bi, in->label, in->loc);
			else
				asm_emit(p, bi, in->loc);
			break;
		}
	}
	return asm_finish(p, err);
}
