/* ir.h - wisp's intermediate representation.
 *
 * The IR is eBPF-shaped three-address code: an IR instruction *is* an eBPF
 * instruction (same opcode byte, same dst/src/off/imm meaning), except that
 * registers may be virtual and jumps name labels instead of offsets. Only
 * six pseudo-operations exist: labels, 64-bit immediates, map loads,
 * addresses in a map's value, callback addresses and the helper call's
 * argument count.
 *
 * Registers 0..10 are the physical r0..r10; numbers >= IR_VREG0 are
 * virtual. Physical registers appear in the IR only where the ABI fixes
 * them: r1..r5 set up right before a helper call, r0 right after it (and
 * before exit), r1 (the context) at entry, r10 (the frame pointer, never
 * written). The register allocator (ra.c) maps every virtual register to a
 * physical one or a stack slot, and leaves only physical registers.
 *
 * Text form (--dump=ir, --dump=ra): one instruction per line in the
 * verifier's syntax, virtual registers printed as v16, v17, ...
 *     v16 = *(u32 *)(r1 +16)
 *     if v16 != 0x2a goto L2
 *     L2:
 */
#ifndef WISP_IR_H
#define WISP_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../lang/diag.h"

#define IR_NPHYS 11 /* r0..r10 */
#define IR_VREG0 16 /* first virtual register number */
#define IR_NOREG (-1)
#define IR_STACK_MAX 512

enum ir_op {
	IR_INSN,    /* one eBPF instruction: code, dst, src, off, imm; for a
	             * conditional or unconditional jump (class JMP/JMP32, op
	             * not CALL/EXIT) the target is label, off is ignored */
	IR_LDIMM64, /* dst = imm64 (BPF_LD|BPF_DW|BPF_IMM, two slots) */
	IR_LDMAP,   /* dst = map (BPF_LD_MAP_FD of the program's map number map) */
	IR_LABEL,   /* label: id; emits nothing */
	IR_LDFUNC,  /* dst = the address of subprogram map (an index in the
	             * function's subs), for a helper taking a callback */
	IR_LDMAPVAL,/* dst = the address of byte imm of the one value of map
	             * number map, an array of one element
	             * (BPF_PSEUDO_MAP_VALUE) */
};

struct ir_insn {
	enum ir_op op;
	uint8_t code;   /* eBPF opcode byte (IR_INSN) */
	int dst, src;   /* register numbers, IR_NOREG when unused */
	int16_t off;
	int32_t imm;
	int64_t imm64;  /* IR_LDIMM64 */
	int label;      /* IR_LABEL: its id; jumps: the target */
	int map;        /* IR_LDMAP, IR_LDMAPVAL: map number (index in the
	                 * program's map table) */
	int nargs;      /* BPF_CALL: arguments passed in r1..r<nargs> */
	struct loc loc; /* source location the instruction was generated for */
};

/* One BPF program being built. */
struct ir_func {
	struct ir_insn *insns;
	size_t n, cap;
	int next_vreg;   /* next virtual register number to hand out */
	int next_label;  /* next label id */
	int stack;       /* bytes of stack in use: slots live in [r10 - stack, r10) */
	struct loc loc;  /* location given to instructions emitted from now on */
	/* map number -> name for printing ("@bytes"), and -> the sizes of
	 * its keys and values (what a helper reads through a pointer to
	 * them); either may be NULL. Both are given map_ctx. */
	const char *(*map_name)(int map, void *ctx);
	void (*map_sizes)(int map, unsigned *key, unsigned *val, void *ctx);
	void *map_ctx;
	/* subprograms (callbacks) the function refers to with IR_LDFUNC,
	 * each a function of its own frame and registers, emitted after it */
	struct ir_func **subs;
	int nsubs;
};

void ir_init(struct ir_func *f);
void ir_free(struct ir_func *f);

int ir_vreg(struct ir_func *f);   /* a new virtual register */
int ir_label(struct ir_func *f);  /* a new label id (not yet placed) */
/* Reserve size bytes of stack aligned to align (power of two, <= 8);
 * returns the offset from r10 (negative). Returns 0 and sets nothing when
 * the 512-byte limit would be exceeded: callers check. */
int ir_stack_alloc(struct ir_func *f, unsigned size, unsigned align);

/* Builders: append one instruction with location f->loc. */
struct ir_insn *ir_emit(struct ir_func *f, uint8_t code, int dst, int src,
			int16_t off, int32_t imm);
void ir_jump(struct ir_func *f, uint8_t code, int dst, int src, int32_t imm,
	     int label);
void ir_call(struct ir_func *f, int32_t helper, int nargs);
void ir_ldimm64(struct ir_func *f, int dst, int64_t imm);
void ir_ldmap(struct ir_func *f, int dst, int map);
void ir_ldmapval(struct ir_func *f, int dst, int map, uint32_t off);
void ir_ldfunc(struct ir_func *f, int dst, int sub);
/* A new empty subprogram of f; returns its index in f->subs. */
int ir_sub_new(struct ir_func *f);
void ir_place(struct ir_func *f, int label);
/* Remove the instructions i with drop[i] set (the passes mark, then
 * remove in one go). */
void ir_drop(struct ir_func *f, const bool *drop);
/* Insert a copy of insn before position pos (used by the allocator). */
void ir_insert(struct ir_func *f, size_t pos, struct ir_insn insn);

/* Register use/def of one instruction, the facts the allocator and the
 * optimisation passes share. uses/defs receive up to 6 register numbers
 * (physical or virtual); returns the counts through nuses/ndefs.
 * A call uses r1..r<nargs>, defines r0 and clobbers r1..r5 (clobbers are
 * reported through is_call, not as defs). */
void ir_insn_regs(const struct ir_insn *in, int *uses, int *nuses,
		  int *defs, int *ndefs, int *is_call);
int ir_is_jump(const struct ir_insn *in); /* has a label target */
/* Does in set its destination to a constant (a move of an immediate, a
 * 64-bit immediate)? Then *v is the 64-bit value it leaves there. */
bool ir_const_def(const struct ir_insn *in, int64_t *v);

/* --dump=ir / --dump=ra: the function, then each subprogram after a
 * "; callback N" line */
void ir_print(const struct ir_func *f, FILE *out);
void ir_print_insn(const struct ir_func *f, const struct ir_insn *in,
		   FILE *out);

/* stack.c: the stores to the frame that change nothing (a value the slot
 * holds already, bytes nothing reads again) removed from f (see there). */
void ir_stack_opt(struct ir_func *f);
/* The frame bytes f loads with LDX: bit k of bits[k / 64] for the byte at
 * r10 - IR_STACK_MAX + k; every bit when a load may read any of them. */
void ir_frame_loads(struct ir_func *f, uint64_t bits[IR_STACK_MAX / 64]);

/* ra.c: linear-scan register allocation. Requires: any IR from the
 * lowering. Gives: only physical registers r0..r10; values live across a
 * helper call in r6..r9 or in a stack slot; spill code inserted where
 * registers run out; self-moves removed; f->stack grown by the spill
 * slots. Returns 0, or -1 with *err set (malloc'd) when the stack
 * overflows 512 bytes. */
int ra_run(struct ir_func *f, char **err);

/* opt.c: copy propagation, constants and dead code elimination on f and
 * its subprograms (see there). */
void ir_optimize(struct ir_func *f);

/* emit.c: encode an allocated IR function (physical registers only) into
 * an assembler buffer. Returns 0 or -1 with *err set. */
struct asm_prog;
int ir_emit_asm(const struct ir_func *f, struct asm_prog *p, char **err);

#endif
