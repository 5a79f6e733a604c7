/* unit_ir.h - for the unit tests of the IR stages: the text of
 * --dump=ir for a function, malloc'd, to compare with CHECK_STR. */
#ifndef WISP_UNIT_IR_H
#define WISP_UNIT_IR_H

#include <stdio.h>
#include "ir/ir.h"

static inline char *ir_text(const struct ir_func *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		return NULL;
	ir_print(f, out);
	fclose(out);
	return buf;
}

#endif
