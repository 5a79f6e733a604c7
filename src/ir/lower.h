/* lower.h - lowering of a checked probe body to IR. */
#ifndef WISP_LOWER_H
#define WISP_LOWER_H

#include "../lang/probe.h"
#include "../lang/tables.h"
#include "../lang/target.h"
#include "ir.h"

/* Lower one probe instance (after sema_probe on it) into f, which must be
 * freshly initialised. Returns 0, or -1 after reporting an error (a value
 * that does not fit on the 512-byte stack). */
int lower_probe(const struct probe_ctx *pc, const struct target *tgt,
		struct prog_tables *tab, struct ir_func *f);

#endif
