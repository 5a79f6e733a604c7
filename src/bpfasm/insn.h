/* insn.h - eBPF instruction constructors with the kernel's names and
 * semantics (include/linux/filter.h, samples/bpf/bpf_insn.h).
 *
 * Every macro but the two-slot loads is an expression of type struct
 * bpf_insn (a compound literal), so it can be passed to asm_emit or
 * assigned. BPF_LD_IMM64, BPF_LD_IMM64_RAW and BPF_LD_MAP_FD expand, as in
 * the kernel, to *two* initialisers separated by a comma: they only fit in
 * an array initialiser. To emit those into an asm_prog use
 * asm_emit_ld_imm64 / asm_emit_ld_map, which build the two slots with
 * BPF_LD_IMM64_RAW_1 and BPF_LD_IMM64_RAW_2 (single-slot expressions).
 *
 * Negation has no macro of its own in the kernel: BPF_ALU64_IMM(BPF_NEG,
 * dst, 0). BPF_EMIT_CALL takes the helper id (BPF_FUNC_map_lookup_elem),
 * as the tools/ copy of filter.h does, not a kernel function address.
 */
#ifndef WISP_BPFASM_INSN_H
#define WISP_BPFASM_INSN_H

#include <linux/bpf.h>
#include <stdint.h>

/* Older uapi headers (cross sysroots) lack the later opcode bits. */
#ifndef BPF_JMP32
#define BPF_JMP32 0x06
#endif
#ifndef BPF_ATOMIC
#define BPF_ATOMIC 0xc0
#endif
#ifndef BPF_FETCH
#define BPF_FETCH 0x01
#endif
#ifndef BPF_XCHG
#define BPF_XCHG (0xe0 | BPF_FETCH)
#endif
#ifndef BPF_CMPXCHG
#define BPF_CMPXCHG (0xf0 | BPF_FETCH)
#endif
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80 /* sign-extending load (cpu v4, 6.6) */
#endif
#ifndef BPF_PSEUDO_MAP_VALUE
#define BPF_PSEUDO_MAP_VALUE 2
#endif
#ifndef BPF_PSEUDO_KFUNC_CALL
#define BPF_PSEUDO_KFUNC_CALL 2
#endif

/* The first slot of BPF_LD|BPF_DW|BPF_IMM, the only 16-byte instruction. */
#define BPF_LD_IMM64_CODE (BPF_LD | BPF_DW | BPF_IMM)

#define BPF_RAW_INSN(CODE, DST, SRC, OFF, IMM)                              \
	((struct bpf_insn){ .code = (CODE),                                 \
			    .dst_reg = (DST),                               \
			    .src_reg = (SRC),                               \
			    .off = (OFF),                                   \
			    .imm = (IMM) })

/* ALU: dst = dst OP src, dst = dst OP imm. The 32-bit forms zero the upper
 * half of dst. OFF selects signed division/modulo (1) on cpu v4. */
#define BPF_ALU64_REG_OFF(OP, DST, SRC, OFF)                                \
	BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define BPF_ALU64_REG(OP, DST, SRC) BPF_ALU64_REG_OFF(OP, DST, SRC, 0)
#define BPF_ALU32_REG_OFF(OP, DST, SRC, OFF)                                \
	BPF_RAW_INSN(BPF_ALU | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define BPF_ALU32_REG(OP, DST, SRC) BPF_ALU32_REG_OFF(OP, DST, SRC, 0)
#define BPF_ALU64_IMM_OFF(OP, DST, IMM, OFF)                                \
	BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define BPF_ALU64_IMM(OP, DST, IMM) BPF_ALU64_IMM_OFF(OP, DST, IMM, 0)
#define BPF_ALU32_IMM_OFF(OP, DST, IMM, OFF)                                \
	BPF_RAW_INSN(BPF_ALU | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define BPF_ALU32_IMM(OP, DST, IMM) BPF_ALU32_IMM_OFF(OP, DST, IMM, 0)

/* Byte swap: TYPE is BPF_TO_LE or BPF_TO_BE, LEN 16, 32 or 64. */
#define BPF_ENDIAN(TYPE, DST, LEN)                                          \
	BPF_RAW_INSN(BPF_ALU | BPF_END | BPF_SRC(TYPE), DST, 0, 0, LEN)
/* Unconditional byte swap (cpu v4). */
#define BPF_BSWAP(DST, LEN)                                                 \
	BPF_RAW_INSN(BPF_ALU64 | BPF_END | BPF_SRC(BPF_TO_LE), DST, 0, 0, LEN)

#define BPF_MOV64_REG(DST, SRC)                                             \
	BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_X, DST, SRC, 0, 0)
#define BPF_MOV32_REG(DST, SRC)                                             \
	BPF_RAW_INSN(BPF_ALU | BPF_MOV | BPF_X, DST, SRC, 0, 0)
#define BPF_MOV64_IMM(DST, IMM)                                             \
	BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_K, DST, 0, 0, IMM)
#define BPF_MOV32_IMM(DST, IMM)                                             \
	BPF_RAW_INSN(BPF_ALU | BPF_MOV | BPF_K, DST, 0, 0, IMM)
/* Sign-extending moves (cpu v4): OFF is the source width, 8, 16 or 32. */
#define BPF_MOVSX64_REG(DST, SRC, OFF)                                      \
	BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_X, DST, SRC, OFF, 0)
#define BPF_MOVSX32_REG(DST, SRC, OFF)                                      \
	BPF_RAW_INSN(BPF_ALU | BPF_MOV | BPF_X, DST, SRC, OFF, 0)

/* 64-bit immediate: two slots, the second one holds the upper half. */
#define BPF_LD_IMM64_RAW_1(DST, SRC, IMM)                                   \
	BPF_RAW_INSN(BPF_LD_IMM64_CODE, DST, SRC, 0,                        \
		     (int32_t)(uint32_t)(uint64_t)(IMM))
#define BPF_LD_IMM64_RAW_2(IMM)                                             \
	BPF_RAW_INSN(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(IMM) >> 32))
#define BPF_LD_IMM64_RAW(DST, SRC, IMM)                                     \
	BPF_LD_IMM64_RAW_1(DST, SRC, IMM), BPF_LD_IMM64_RAW_2(IMM)
#define BPF_LD_IMM64(DST, IMM) BPF_LD_IMM64_RAW(DST, 0, IMM)
#define BPF_LD_MAP_FD(DST, MAP_FD)                                          \
	BPF_LD_IMM64_RAW(DST, BPF_PSEUDO_MAP_FD, MAP_FD)

/* Legacy packet loads (socket filters): r0 = *(SIZE *)skb[...]. */
#define BPF_LD_ABS(SIZE, IMM)                                               \
	BPF_RAW_INSN(BPF_LD | BPF_SIZE(SIZE) | BPF_ABS, 0, 0, 0, IMM)
#define BPF_LD_IND(SIZE, SRC, IMM)                                          \
	BPF_RAW_INSN(BPF_LD | BPF_SIZE(SIZE) | BPF_IND, 0, SRC, 0, IMM)

/* Memory: dst = *(SIZE *)(src + off); *(SIZE *)(dst + off) = src/imm. */
#define BPF_LDX_MEM(SIZE, DST, SRC, OFF)                                    \
	BPF_RAW_INSN(BPF_LDX | BPF_SIZE(SIZE) | BPF_MEM, DST, SRC, OFF, 0)
#define BPF_LDX_MEMSX(SIZE, DST, SRC, OFF)                                  \
	BPF_RAW_INSN(BPF_LDX | BPF_SIZE(SIZE) | BPF_MEMSX, DST, SRC, OFF, 0)
#define BPF_STX_MEM(SIZE, DST, SRC, OFF)                                    \
	BPF_RAW_INSN(BPF_STX | BPF_SIZE(SIZE) | BPF_MEM, DST, SRC, OFF, 0)
#define BPF_ST_MEM(SIZE, DST, OFF, IMM)                                     \
	BPF_RAW_INSN(BPF_ST | BPF_SIZE(SIZE) | BPF_MEM, DST, 0, OFF, IMM)

/* Atomic read-modify-write on *(SIZE *)(dst + off); OP goes in imm:
 * BPF_ADD/AND/OR/XOR, optionally | BPF_FETCH, or BPF_XCHG, BPF_CMPXCHG. */
#define BPF_ATOMIC_OP(SIZE, OP, DST, SRC, OFF)                              \
	BPF_RAW_INSN(BPF_STX | BPF_SIZE(SIZE) | BPF_ATOMIC, DST, SRC, OFF, OP)
#define BPF_STX_XADD(SIZE, DST, SRC, OFF)                                   \
	BPF_ATOMIC_OP(SIZE, BPF_ADD, DST, SRC, OFF)

/* Jumps: OFF counts instructions from the next one. */
#define BPF_JMP_REG(OP, DST, SRC, OFF)                                      \
	BPF_RAW_INSN(BPF_JMP | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define BPF_JMP_IMM(OP, DST, IMM, OFF)                                      \
	BPF_RAW_INSN(BPF_JMP | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define BPF_JMP32_REG(OP, DST, SRC, OFF)                                    \
	BPF_RAW_INSN(BPF_JMP32 | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define BPF_JMP32_IMM(OP, DST, IMM, OFF)                                    \
	BPF_RAW_INSN(BPF_JMP32 | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define BPF_JMP_A(OFF) BPF_RAW_INSN(BPF_JMP | BPF_JA, 0, 0, OFF, 0)
/* "gotol": 32-bit offset in imm (cpu v4). */
#define BPF_JMP32_A(IMM) BPF_RAW_INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, IMM)

/* Calls: a helper by id, or a BPF-to-BPF call IMM instructions away. */
#define BPF_EMIT_CALL(FUNC) BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, FUNC)
#define BPF_CALL_REL(IMM)                                                   \
	BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, IMM)
#define BPF_EXIT_INSN() BPF_RAW_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#endif
