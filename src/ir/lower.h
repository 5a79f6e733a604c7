/* lower.h - lowering of a checked probe body to IR. */
#ifndef WISP_LOWER_H
#define WISP_LOWER_H

#include "../provider/provider.h"
#include "../runtime/runtime.h"
#include "ir.h"

/* Lower one probe instance (after sema_probe on it) into f, which must be
 * freshly initialised. Returns 0, or -1 after reporting an error (a value
 * that does not fit on the 512-byte stack). */
int lower_probe(struct probe_inst *pi, struct runtime *rt, struct ir_func *f);

/* opt.c: copy propagation, constants and dead code elimination on f and
 * its subprograms (see there). */
void ir_optimize(struct ir_func *f);

/* emit.c: encode an allocated IR function (physical registers only) into
 * an assembler buffer. Returns 0 or -1 with *err set. */
struct asm_prog;
int ir_emit_asm(const struct ir_func *f, struct asm_prog *p, char **err);

#endif
