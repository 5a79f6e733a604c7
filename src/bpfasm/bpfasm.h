/* bpfasm.h - eBPF assembler: instruction buffer, labels and jump fix-ups,
 * map relocations, and a disassembler in the kernel verifier's syntax.
 *
 * Instructions are built with the constructor macros of insn.h (named like
 * the kernel's samples/bpf/bpf_insn.h: BPF_MOV64_IMM, BPF_LDX_MEM, ...).
 */
#ifndef WISP_BPFASM_H
#define WISP_BPFASM_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../lang/diag.h"
#include "insn.h"

struct asm_fixup {
	size_t pc;  /* instruction whose off needs the label's position */
	int label;
};

struct asm_reloc {
	size_t pc;  /* first slot of the map load */
	int map;    /* map number in the program's map table */
	int value;  /* 0: the map (BPF_PSEUDO_MAP_FD); 1: an address in its
	             * value (BPF_PSEUDO_MAP_VALUE, offset in the second
	             * slot's imm) */
};

struct asm_prog {
	struct bpf_insn *insns;
	struct loc *locs;  /* source location of each instruction slot */
	size_t n, cap;
	long *labels;      /* label id -> pc, -1 while not placed */
	int nlabels;
	struct asm_fixup *fixups;
	size_t nfixups, capfixups;
	struct asm_reloc *relocs;
	size_t nrelocs, caprelocs;
	int nomem;         /* an allocation failed; asm_finish reports it */
	size_t *funcs;     /* first instruction of each subprogram after the
	                    * main one (callbacks), in order */
	int nfuncs;
};

void asm_init(struct asm_prog *p);
void asm_free(struct asm_prog *p);

/* Append one instruction slot. */
void asm_emit(struct asm_prog *p, struct bpf_insn insn, struct loc loc);
/* Append a jump whose target is label (insn.off is filled by asm_finish). */
void asm_emit_jump(struct asm_prog *p, struct bpf_insn insn, int label,
		   struct loc loc);
/* Append a two-slot map load: dst = map number map (BPF_PSEUDO_MAP_FD). */
void asm_emit_ld_map(struct asm_prog *p, int dst, int map, struct loc loc);
/* Append a two-slot load of the address of byte off of the value of map
 * number map (BPF_PSEUDO_MAP_VALUE: the kernel allows it on an array of
 * one element, 5.2+, and checks off against the value size). */
void asm_emit_ld_map_value(struct asm_prog *p, int dst, int map, uint32_t off,
			   struct loc loc);
/* Append a two-slot load of the address of the subprogram that starts at
 * label (BPF_PSEUDO_FUNC: callbacks of bpf_for_each_map_elem). */
void asm_emit_ld_func(struct asm_prog *p, int dst, int label, struct loc loc);
/* Append a two-slot 64-bit immediate load. */
void asm_emit_ld_imm64(struct asm_prog *p, int dst, uint64_t imm,
		       struct loc loc);
/* Place label id at the next instruction; ids are small non-negative ints. */
void asm_place_label(struct asm_prog *p, int label);

/* Resolve every jump: returns 0, or -1 with *err set (malloc'd) for an
 * unplaced label or an offset that does not fit in 16 bits. */
int asm_finish(struct asm_prog *p, char **err);
/* The first instruction no path from pc 0 reaches (through jumps, fall
 * through, and the subprograms BPF_PSEUDO_FUNC loads and BPF_PSEUDO_CALL
 * calls name), or -1 when every one is reached: the verifier refuses a
 * program with one ("unreachable insn"). Also -1 when out of memory. */
long asm_unreachable(const struct bpf_insn *insns, size_t n);
/* Write the map fds into every map load and map value load:
 * map_fds[map number]. */
void asm_relocate_maps(struct asm_prog *p, const int *map_fds);

/* Helper function names by id: "map_lookup_elem" for 1; NULL if unknown. */
const char *asm_helper_name(int32_t id);

/* Format one instruction in the verifier's syntax into buf. Register
 * numbers >= 11 print as "v<N>" (the IR printer shares this). For jumps,
 * target (when not NULL) is printed instead of "pc+off". For BPF_LD_IMM64
 * pass the full 64-bit value in imm64. Examples:
 *     r1 = map[id:5][0]+24
 *     r1 = *(u64 *)(r10 -8)
 *     *(u32 *)(r10 -4) = r2
 *     r0 += 1
 *     if r1 > 0x3 goto pc+5
 *     call bpf_map_lookup_elem#1
 *     r1 = 0x1234 ll
 */
void asm_format(char *buf, size_t len, uint8_t code, int dst, int src,
		int16_t off, int32_t imm, int64_t imm64, const char *target);

/* --dump=asm: "pc: text" per instruction; map loads print the map name
 * from map_name(map number, ctx) when given: r1 = map[@bytes], and for
 * an address in the value r1 = map[@.lost][0]+24. */
void asm_disasm(const struct asm_prog *p, FILE *out,
		const char *(*map_name)(int map, void *ctx), void *ctx);
/* Disassemble raw instructions (no map names, no locations). */
void asm_disasm_insns(const struct bpf_insn *insns, size_t n, FILE *out);

/* Parse text in the syntax asm_format prints (one instruction per line,
 * "pc: " prefixes optional, "goto pc+N" for jumps) back into
 * instructions; used by the round-trip tests. Returns count or -1 with
 * *err set. *out is malloc'd. */
long asm_parse(const char *text, struct bpf_insn **out, char **err);

#endif
