/* ir.c - the IR container: builders that append eBPF-shaped instructions
 * on virtual registers, the register use/def facts every pass shares, and
 * the text printer behind --dump=ir and --dump=ra.
 */
#include <stdlib.h>
#include <string.h>
#include "ir.h"
#include "../bpfasm/bpfasm.h"

void ir_init(struct ir_func *f)
{
	memset(f, 0, sizeof(*f));
	f->next_vreg = IR_VREG0;
}

void ir_free(struct ir_func *f)
{
	free(f->insns);
	f->insns = NULL;
	f->n = f->cap = 0;
	for (int i = 0; i < f->nsubs; i++) {
		ir_free(f->subs[i]);
		free(f->subs[i]);
	}
	free(f->subs);
	f->subs = NULL;
	f->nsubs = 0;
}

int ir_sub_new(struct ir_func *f)
{
	struct ir_func **subs = realloc(f->subs, (f->nsubs + 1) * sizeof(*subs));
	struct ir_func *sub = malloc(sizeof(*sub));

	if (!subs || !sub)
		abort(); /* as ir_append: nothing sane to unwind to */
	f->subs = subs;
	ir_init(sub);
	sub->map_name = f->map_name;
	sub->map_sizes = f->map_sizes;
	sub->map_ctx = f->map_ctx;
	f->subs[f->nsubs] = sub;
	return f->nsubs++;
}

int ir_vreg(struct ir_func *f)
{
	return f->next_vreg++;
}

int ir_label(struct ir_func *f)
{
	return f->next_label++;
}

int ir_stack_alloc(struct ir_func *f, unsigned size, unsigned align)
{
	unsigned top;

	if (align == 0)
		align = 1;
	/* r10 is 8-aligned, so a slot at r10 - top is aligned iff top is */
	top = (unsigned)f->stack + size;
	top = (top + align - 1) & ~(align - 1);
	if (top > IR_STACK_MAX || top == 0)
		return 0;
	f->stack = (int)top;
	return -(int)top;
}

static struct ir_insn *ir_append(struct ir_func *f)
{
	struct ir_insn *in;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct ir_insn *p = realloc(f->insns, cap * sizeof(*p));

		/* out of memory while compiling a one-liner: nothing sane to
		 * unwind to, and every caller would have to check */
		if (!p)
			abort();
		f->insns = p;
		f->cap = cap;
	}
	in = &f->insns[f->n++];
	memset(in, 0, sizeof(*in));
	in->dst = in->src = IR_NOREG;
	in->label = -1;
	in->map = -1;
	in->loc = f->loc;
	return in;
}

struct ir_insn *ir_emit(struct ir_func *f, uint8_t code, int dst, int src,
			int16_t off, int32_t imm)
{
	struct ir_insn *in = ir_append(f);

	in->op = IR_INSN;
	in->code = code;
	in->dst = dst;
	in->src = src;
	in->off = off;
	in->imm = imm;
	return in;
}

void ir_jump(struct ir_func *f, uint8_t code, int dst, int src, int32_t imm,
	     int label)
{
	struct ir_insn *in = ir_emit(f, code, dst, src, 0, imm);

	in->label = label;
}

void ir_call(struct ir_func *f, int32_t helper, int nargs)
{
	/* dst/src 0 is the helper-call encoding (src 1 would be a bpf-to-bpf
	 * call), so the emitter can copy the fields as they are */
	struct ir_insn *in = ir_emit(f, BPF_JMP | BPF_CALL, 0, 0, 0, helper);

	in->nargs = nargs;
}

void ir_ldimm64(struct ir_func *f, int dst, int64_t imm)
{
	struct ir_insn *in = ir_append(f);

	in->op = IR_LDIMM64;
	in->code = BPF_LD | BPF_DW | BPF_IMM;
	in->dst = dst;
	in->imm64 = imm;
	in->imm = (int32_t)imm;
}

void ir_ldmap(struct ir_func *f, int dst, int map)
{
	struct ir_insn *in = ir_append(f);

	in->op = IR_LDMAP;
	in->code = BPF_LD | BPF_DW | BPF_IMM;
	in->dst = dst;
	in->map = map;
}

void ir_ldmapval(struct ir_func *f, int dst, int map, uint32_t off)
{
	struct ir_insn *in = ir_append(f);

	in->op = IR_LDMAPVAL;
	in->code = BPF_LD | BPF_DW | BPF_IMM;
	in->dst = dst;
	in->map = map;
	in->imm = (int32_t)off;
}

void ir_ldfunc(struct ir_func *f, int dst, int sub)
{
	struct ir_insn *in = ir_append(f);

	in->op = IR_LDFUNC;
	in->code = BPF_LD | BPF_DW | BPF_IMM;
	in->dst = dst;
	in->map = sub;
}

void ir_place(struct ir_func *f, int label)
{
	struct ir_insn *in = ir_append(f);

	in->op = IR_LABEL;
	in->label = label;
}

void ir_drop(struct ir_func *f, const bool *drop)
{
	size_t k = 0;

	for (size_t i = 0; i < f->n; i++)
		if (!drop[i])
			f->insns[k++] = f->insns[i];
	f->n = k;
}

void ir_insert(struct ir_func *f, size_t pos, struct ir_insn insn)
{
	if (pos > f->n)
		pos = f->n;
	ir_append(f);
	memmove(&f->insns[pos + 1], &f->insns[pos],
		(f->n - 1 - pos) * sizeof(*f->insns));
	f->insns[pos] = insn;
}

static void ir_add(int *v, int *n, int reg)
{
	if (reg >= 0)
		v[(*n)++] = reg;
}

void ir_insn_regs(const struct ir_insn *in, int *uses, int *nuses,
		  int *defs, int *ndefs, int *is_call)
{
	uint8_t code = in->code;
	int i;

	*nuses = *ndefs = *is_call = 0;
	if (in->op == IR_LABEL)
		return;
	if (in->op == IR_LDIMM64 || in->op == IR_LDMAP || in->op == IR_LDFUNC ||
	    in->op == IR_LDMAPVAL) {
		ir_add(defs, ndefs, in->dst);
		return;
	}

	switch (BPF_CLASS(code)) {
	case BPF_ALU:
	case BPF_ALU64:
		switch (BPF_OP(code)) {
		case BPF_MOV:
			if (BPF_SRC(code) == BPF_X)
				ir_add(uses, nuses, in->src);
			break;
		case BPF_NEG:
		case BPF_END:
			ir_add(uses, nuses, in->dst);
			break;
		default:
			ir_add(uses, nuses, in->dst);
			if (BPF_SRC(code) == BPF_X)
				ir_add(uses, nuses, in->src);
			break;
		}
		ir_add(defs, ndefs, in->dst);
		break;
	case BPF_LDX:
		ir_add(uses, nuses, in->src);
		ir_add(defs, ndefs, in->dst);
		break;
	case BPF_ST:
		ir_add(uses, nuses, in->dst);
		break;
	case BPF_STX:
		ir_add(uses, nuses, in->dst);
		ir_add(uses, nuses, in->src);
		if (BPF_MODE(code) != BPF_ATOMIC)
			break;
		if (in->imm == BPF_CMPXCHG) {
			/* compares with r0 and returns the old value in it */
			ir_add(uses, nuses, 0);
			ir_add(defs, ndefs, 0);
		} else if (in->imm & BPF_FETCH) {
			ir_add(defs, ndefs, in->src);
		}
		break;
	case BPF_JMP:
	case BPF_JMP32:
		switch (BPF_OP(code)) {
		case BPF_CALL:
			for (i = 1; i <= in->nargs && i <= 5; i++)
				ir_add(uses, nuses, i);
			ir_add(defs, ndefs, 0);
			*is_call = 1;
			break;
		case BPF_EXIT:
			ir_add(uses, nuses, 0);
			break;
		case BPF_JA:
			break;
		default:
			ir_add(uses, nuses, in->dst);
			if (BPF_SRC(code) == BPF_X)
				ir_add(uses, nuses, in->src);
			break;
		}
		break;
	default:
		/* BPF_LD (legacy packet access) is never generated */
		break;
	}
}

bool ir_const_def(const struct ir_insn *in, int64_t *v)
{
	uint8_t cls = BPF_CLASS(in->code);

	if (in->op == IR_LDIMM64) {
		*v = in->imm64;
		return true;
	}
	if (in->op != IR_INSN || (cls != BPF_ALU && cls != BPF_ALU64) ||
	    BPF_OP(in->code) != BPF_MOV || BPF_SRC(in->code) != BPF_K || in->off)
		return false;
	*v = cls == BPF_ALU64 ? (int64_t)in->imm : (int64_t)(uint32_t)in->imm;
	return true;
}

int ir_is_jump(const struct ir_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code);

	if (in->op != IR_INSN || (cls != BPF_JMP && cls != BPF_JMP32))
		return 0;
	return BPF_OP(in->code) != BPF_CALL && BPF_OP(in->code) != BPF_EXIT;
}

static void ir_reg_name(char *buf, size_t len, int reg)
{
	snprintf(buf, len, "%c%d", reg < IR_NPHYS ? 'r' : 'v', reg);
}

void ir_print_insn(const struct ir_func *f, const struct ir_insn *in,
		   FILE *out)
{
	char buf[160], reg[16], target[24];
	const char *name = NULL;

	switch (in->op) {
	case IR_LABEL:
		fprintf(out, "L%d:\n", in->label);
		return;
	case IR_LDMAP:
		ir_reg_name(reg, sizeof(reg), in->dst);
		if (f->map_name)
			name = f->map_name(in->map, f->map_ctx);
		if (name)
			fprintf(out, "\t%s = map[%s]\n", reg, name);
		else
			fprintf(out, "\t%s = map[%d]\n", reg, in->map);
		return;
	case IR_LDMAPVAL:
		ir_reg_name(reg, sizeof(reg), in->dst);
		if (f->map_name)
			name = f->map_name(in->map, f->map_ctx);
		if (name)
			fprintf(out, "\t%s = map[%s][0]+%u\n", reg, name, (uint32_t)in->imm);
		else
			fprintf(out, "\t%s = map[%d][0]+%u\n", reg, in->map, (uint32_t)in->imm);
		return;
	case IR_LDFUNC:
		ir_reg_name(reg, sizeof(reg), in->dst);
		fprintf(out, "\t%s = callback %d\n", reg, in->map);
		return;
	case IR_LDIMM64:
		asm_format(buf, sizeof(buf), BPF_LD | BPF_DW | BPF_IMM,
			   in->dst, 0, 0, (int32_t)in->imm64, in->imm64, NULL);
		break;
	case IR_INSN:
		if (ir_is_jump(in))
			snprintf(target, sizeof(target), "L%d", in->label);
		/* unused register fields hold IR_NOREG; the formatter wants
		 * encodable numbers */
		asm_format(buf, sizeof(buf), in->code,
			   in->dst < 0 ? 0 : in->dst, in->src < 0 ? 0 : in->src,
			   in->off, in->imm, in->imm64,
			   ir_is_jump(in) ? target : NULL);
		break;
	}
	fprintf(out, "\t%s\n", buf);
}

void ir_print(const struct ir_func *f, FILE *out)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		ir_print_insn(f, &f->insns[i], out);
	for (int k = 0; k < f->nsubs; k++) {
		fprintf(out, "; callback %d\n", k);
		ir_print(f->subs[k], out);
	}
}
