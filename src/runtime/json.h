/* json.h - the pieces of -f json (out_json.c) that values.c and tests use
 * too: string escaping and the one-line messages bpftrace 0.17 prints for
 * printf, print(value) and time.
 */
#ifndef WISP_JSON_H
#define WISP_JSON_H

#include <stddef.h>
#include <stdio.h>
#include "runtime.h"

/* s[0..len) as the inside of a JSON string, without the quotes. */
void json_escape(FILE *out, const char *s, size_t len);
/* s[0..len) as a JSON string, quotes included. */
void json_print_str(FILE *out, const char *s, size_t len);
/* {"type": "<type>", "data": "<s>"} and a newline. */
void json_print_message(FILE *out, const char *type, const char *s,
			size_t len);
/* One printf event record: the text rt_fmt_print makes, as a "printf"
 * message (rt may be NULL: see rt_value_print). */
void json_printf(FILE *out, const struct runtime *rt, const struct fmt_def *f,
		 const void *record, size_t size);
/* One print(value) record: {"type": "value", "data": <the value>}. */
void json_print_value(FILE *out, const struct runtime *rt, const struct fmt_def *f,
		      const void *record, size_t size);

#endif
