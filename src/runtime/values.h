/* values.h - the text of the values user space formats itself (type.h's
 * TYPE_KSYM to TYPE_STACK: symbols, addresses, times, buffers, stacks),
 * shared by printf, the map printer and their JSON forms.
 */
#ifndef WISP_VALUES_H
#define WISP_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime.h"

/* Spaces before each stack frame, as bpftrace 0.17 indents them. */
#define RT_INDENT_KEY 4   /* in a map key: "@[\n    frame\n]: 1" */
#define RT_INDENT_VALUE 8 /* in printf and map values */

/* Does t have a printed form of its own (not an integer or a string)? */
static inline bool rt_has_form(struct type t)
{
	return t.kind >= TYPE_KSYM;
}

/* The text of the value of type t at p (avail bytes readable there):
 * symbol names, "1.2.3.4", a formatted time, an escaped buffer, or a
 * stack as "\n" and one indented frame per line. rt gives the stack map
 * and the strftime formats; without it those print as "" and "(?)". */
void rt_value_print(FILE *out, const struct runtime *rt, struct type t,
		    const void *p, size_t avail, int indent);
/* Any value (integers and strings too) as JSON: numbers, strings,
 * tuples as arrays, the formed kinds as their text in a string. */
void rt_value_json(FILE *out, const struct runtime *rt, struct type t,
		   const void *p, size_t avail, int indent);
/* The same text, malloc'd, *len its length; NULL when out of memory. */
char *rt_value_text(const struct runtime *rt, struct type t, const void *p,
		    size_t avail, int indent, size_t *len);

/* A stack's frames, outermost caller first, ';'-separated, names without
 * offsets (the folded format of flame graph tools); a ';' goes first
 * unless *first, which is cleared once something is printed. Returns the
 * number of frames printed. */
int rt_stack_fold(FILE *out, const struct runtime *rt, struct type t,
		  const void *p, size_t avail, bool *first);

/* buf(): bytes 32 to 126 as they are, others as \xNN (bpftrace's form). */
void rt_buf_print(FILE *out, const void *p, size_t n);
/* ntop(): { u64 family; u8 addr[16] } as text into buf (INET6_ADDRSTRLEN
 * bytes are enough); "" for a family other than AF_INET and AF_INET6. */
const char *rt_ntop(const void *p, char *buf, size_t len);
/* strftime(fmt) of the wall-clock time realtime_ns (ns since the epoch),
 * local time, with bpftrace's %f for the microseconds. Returns the
 * length, 0 when the result is empty or does not fit. */
size_t rt_strftime_real(char *buf, size_t len, const char *fmt,
			int64_t realtime_ns);
/* The same for a CLOCK_MONOTONIC time (nsecs), taken as so long before
 * the wall-clock time now. */
size_t rt_strftime(char *buf, size_t len, const char *fmt, uint64_t mono_ns);

/* fmt_print with the runtime at hand, which the values of stacks and
 * strftime need. */
void rt_fmt_print(FILE *out, const struct runtime *rt, const struct fmt_def *f,
		  const void *record, size_t size);

#endif
