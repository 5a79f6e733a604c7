/* asm.c - the instruction buffer of the eBPF assembler: emission with a
 * source location per slot, labels, jump fix-ups and map relocations.
 *
 * Jumps are emitted with a label instead of an offset; asm_finish resolves
 * them once every label is placed (off = target - (pc + 1)) and refuses
 * offsets that do not fit the 16-bit field rather than letting them wrap
 * into a jump somewhere else. Map loads are emitted with the map's number
 * in the program and get their file descriptor from asm_relocate_maps
 * after the maps are created, so a program can be assembled (and dumped)
 * without touching the kernel.
 *
 * The emit functions return nothing: an allocation failure is remembered
 * in p->nomem and reported by asm_finish, so callers check once.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "bpfasm.h"

/* labels[] value of a label placed twice (reported by asm_finish). */
#define ASM_LABEL_TWICE (-2)

void asm_init(struct asm_prog *p)
{
	memset(p, 0, sizeof(*p));
}

void asm_free(struct asm_prog *p)
{
	free(p->insns);
	free(p->locs);
	free(p->labels);
	free(p->fixups);
	free(p->relocs);
	free(p->funcs);
	asm_init(p);
}

/* Make room for need elements of size bytes in *arr (capacity *cap). */
static int asm_grow(void **arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *n;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	n = realloc(*arr, ncap * size);
	if (!n)
		return -1;
	*arr = n;
	*cap = ncap;
	return 0;
}

void asm_emit(struct asm_prog *p, struct bpf_insn insn, struct loc loc)
{
	size_t cap = p->cap;
	void *insns = p->insns, *locs = p->locs;

	if (p->nomem)
		return;
	/* insns and locs share one capacity: grow both before committing. */
	if (asm_grow(&insns, &cap, p->n + 1, sizeof(*p->insns))) {
		p->nomem = 1;
		return;
	}
	p->insns = insns;
	cap = p->cap;
	if (asm_grow(&locs, &cap, p->n + 1, sizeof(*p->locs))) {
		p->nomem = 1;
		return;
	}
	p->locs = locs;
	p->cap = cap;
	p->insns[p->n] = insn;
	p->locs[p->n] = loc;
	p->n++;
}

void asm_emit_jump(struct asm_prog *p, struct bpf_insn insn, int label,
		   struct loc loc)
{
	void *fixups = p->fixups;

	if (p->nomem)
		return;
	if (asm_grow(&fixups, &p->capfixups, p->nfixups + 1,
		     sizeof(*p->fixups))) {
		p->nomem = 1;
		return;
	}
	p->fixups = fixups;
	p->fixups[p->nfixups].pc = p->n;
	p->fixups[p->nfixups].label = label;
	insn.off = 0;
	asm_emit(p, insn, loc);
	if (!p->nomem)
		p->nfixups++;
}

/* Record a relocation of the map load about to be appended at p->n. */
static int asm_add_reloc(struct asm_prog *p, int map, int value)
{
	void *relocs = p->relocs;

	if (p->nomem)
		return -1;
	if (asm_grow(&relocs, &p->caprelocs, p->nrelocs + 1,
		     sizeof(*p->relocs))) {
		p->nomem = 1;
		return -1;
	}
	p->relocs = relocs;
	p->relocs[p->nrelocs].pc = p->n;
	p->relocs[p->nrelocs].map = map;
	p->relocs[p->nrelocs].value = value;
	return 0;
}

void asm_emit_ld_map(struct asm_prog *p, int dst, int map, struct loc loc)
{
	if (asm_add_reloc(p, map, 0))
		return;
	/* The fd is unknown until the maps exist: imm stays 0 until then. */
	asm_emit(p, BPF_LD_IMM64_RAW_1(dst, BPF_PSEUDO_MAP_FD, 0), loc);
	asm_emit(p, BPF_LD_IMM64_RAW_2(0), loc);
	if (!p->nomem)
		p->nrelocs++;
}

void asm_emit_ld_map_value(struct asm_prog *p, int dst, int map, uint32_t off,
			   struct loc loc)
{
	if (asm_add_reloc(p, map, 1))
		return;
	/* the fd as above; the offset is known now, in the second slot */
	asm_emit(p, BPF_LD_IMM64_RAW_1(dst, BPF_PSEUDO_MAP_VALUE, 0), loc);
	asm_emit(p, BPF_LD_IMM64_RAW_2((uint64_t)off << 32), loc);
	if (!p->nomem)
		p->nrelocs++;
}

void asm_emit_ld_func(struct asm_prog *p, int dst, int label, struct loc loc)
{
	/* a jump fix-up of the first slot: asm_fix puts the distance in imm */
	asm_emit_jump(p, BPF_LD_IMM64_RAW_1(dst, BPF_PSEUDO_FUNC, 0), label, loc);
	asm_emit(p, BPF_LD_IMM64_RAW_2(0), loc);
}

void asm_emit_ld_imm64(struct asm_prog *p, int dst, uint64_t imm,
		       struct loc loc)
{
	asm_emit(p, BPF_LD_IMM64_RAW_1(dst, 0, imm), loc);
	asm_emit(p, BPF_LD_IMM64_RAW_2(imm), loc);
}

void asm_place_label(struct asm_prog *p, int label)
{
	size_t cap = p->nlabels;
	void *labels = p->labels;
	int i;

	if (p->nomem)
		return;
	if (label < 0) {
		/* Nothing to store it in; jumps to it fail in asm_finish. */
		return;
	}
	if (label >= p->nlabels) {
		/* nlabels is also the capacity: the array is dense by id. */
		if (asm_grow(&labels, &cap, (size_t)label + 1,
			     sizeof(*p->labels))) {
			p->nomem = 1;
			return;
		}
		p->labels = labels;
		for (i = p->nlabels; i < (int)cap; i++)
			p->labels[i] = -1;
		p->nlabels = cap;
	}
	if (p->labels[label] == -1)
		p->labels[label] = p->n;
	else if (p->labels[label] != (long)p->n)
		p->labels[label] = ASM_LABEL_TWICE;
}

static char *asm_strf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *asm_strf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !(s = malloc(len + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, len + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* The jump at pc, formatted with its label as the target, for errors. */
static void asm_jump_text(const struct asm_prog *p, size_t pc, int label,
			  char *buf, size_t len)
{
	const struct bpf_insn *in = &p->insns[pc];
	char target[24];

	snprintf(target, sizeof(target), "L%d", label);
	asm_format(buf, len, in->code, in->dst_reg, in->src_reg, in->off,
		   in->imm, in->imm, target);
}

static int asm_fix(struct asm_prog *p, const struct asm_fixup *f, char **err)
{
	struct bpf_insn *in = &p->insns[f->pc];
	char text[96];
	long target, off;
	/* "gotol" (JMP32|JA) carries its offset in the 32-bit imm, and so
	 * does a function's address (BPF_PSEUDO_FUNC), counted the same way */
	int wide = in->code == (BPF_JMP32 | BPF_JA) ||
		   (in->code == BPF_LD_IMM64_CODE && in->src_reg == BPF_PSEUDO_FUNC);

	asm_jump_text(p, f->pc, f->label, text, sizeof(text));
	if (f->label < 0 || f->label >= p->nlabels ||
	    p->labels[f->label] == -1) {
		*err = asm_strf("instruction %zu (%s): label L%d is never placed",
				f->pc, text, f->label);
		return -1;
	}
	target = p->labels[f->label];
	if (target == ASM_LABEL_TWICE) {
		*err = asm_strf("instruction %zu (%s): label L%d is placed twice",
				f->pc, text, f->label);
		return -1;
	}
	if ((size_t)target >= p->n) {
		*err = asm_strf("instruction %zu (%s): label L%d is after the last instruction",
				f->pc, text, f->label);
		return -1;
	}
	off = target - ((long)f->pc + 1);
	if (!wide && (off < INT16_MIN || off > INT16_MAX)) {
		*err = asm_strf("instruction %zu (%s): label L%d is %ld instructions away, out of the 16-bit jump range (-32768..32767)",
				f->pc, text, f->label, off);
		return -1;
	}
	if (wide)
		in->imm = off;
	else
		in->off = off;
	return 0;
}

int asm_finish(struct asm_prog *p, char **err)
{
	size_t i;

	*err = NULL;
	if (p->nomem) {
		*err = asm_strf("out of memory while assembling the program");
		return -1;
	}
	for (i = 0; i < p->nfixups; i++)
		if (asm_fix(p, &p->fixups[i], err))
			return -1;
	return 0;
}

long asm_unreachable(const struct bpf_insn *insns, size_t n)
{
	bool *seen = calloc(n + 1, sizeof(*seen));
	size_t *todo = malloc((n + 1) * sizeof(*todo)), ntodo = 0;
	long first = -1;

	if (!seen || !todo)
		goto out;
	/* each pc is taken once and pushes one other at most */
	if (n)
		todo[ntodo++] = 0;
	while (ntodo) {
		for (size_t pc = todo[--ntodo]; pc < n && !seen[pc]; pc++) {
			const struct bpf_insn *in = &insns[pc];
			uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
			long to = -1;

			seen[pc] = true;
			if (in->code == (BPF_LD | BPF_DW | BPF_IMM)) {
				if (in->src_reg == BPF_PSEUDO_FUNC)
					to = (long)pc + in->imm + 1;
				if (pc + 1 < n)
					seen[++pc] = true;
			} else if (cls == BPF_JMP || cls == BPF_JMP32) {
				if (op == BPF_EXIT)
					break;
				if (op == BPF_CALL) {
					if (in->src_reg == BPF_PSEUDO_CALL)
						to = (long)pc + in->imm + 1;
				} else if (op == BPF_JA && cls == BPF_JMP32) {
					to = (long)pc + in->imm + 1; /* gotol */
				} else {
					to = (long)pc + in->off + 1;
				}
			}
			if (to >= 0 && (size_t)to < n && !seen[to])
				todo[ntodo++] = (size_t)to;
			if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_JA)
				break;
		}
	}
	for (size_t pc = 0; pc < n && first < 0; pc++)
		if (!seen[pc])
			first = (long)pc;
out:
	free(seen);
	free(todo);
	return first;
}

void asm_relocate_maps(struct asm_prog *p, const int *map_fds)
{
	size_t i;

	for (i = 0; i < p->nrelocs; i++) {
		struct bpf_insn *in = &p->insns[p->relocs[i].pc];

		/* a value load keeps its offset in in[1].imm */
		in[0].src_reg = p->relocs[i].value ? BPF_PSEUDO_MAP_VALUE
						   : BPF_PSEUDO_MAP_FD;
		in[0].imm = map_fds[p->relocs[i].map];
		if (!p->relocs[i].value)
			in[1].imm = 0;
	}
}
