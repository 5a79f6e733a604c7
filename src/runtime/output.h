/* output.h - the output formats -f chooses (text, json, folded): each is
 * one struct of function pointers in a file of its own (out_text.c,
 * out_json.c, out_folded.c), listed in the one table of output.c, so
 * that the event reader, the map printer and main never ask which format
 * runs. A new format is a new file and a line in that table.
 */
#ifndef WISP_OUTPUT_H
#define WISP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime.h"

struct rt_dump;

/* What tracing lost, said at exit. */
enum rt_loss_kind {
	LOSS_EVENTS,   /* events dropped: the ring or perf buffer was full */
	LOSS_UNREAD,   /* events not printed: a signal stopped wisp */
	LOSS_MAP_FULL, /* updates of map dropped: it held limit entries */
	LOSS_STR_CUT,  /* strings that filled their limit-byte buffer */
	LOSS_STACK,    /* stacks the stack map could not keep */
};

struct rt_loss {
	enum rt_loss_kind kind;
	unsigned long long n;
	const char *map;  /* LOSS_MAP_FULL: its name */
	unsigned limit;   /* LOSS_MAP_FULL: entries; LOSS_STR_CUT: bytes */
};

/* Every entry is set: a format that prints something as text does names
 * text's entry (out_text_*). out is where the program's output goes
 * (rt->out, stdout); notices meant for the user rather than for the
 * reader of the output may go to stderr instead. */
struct output_format {
	const char *name; /* what -f takes */
	const char *help; /* --help's words for it, in parentheses */
	/* A printf() record of format f (rt may be NULL: see
	 * rt_value_print). */
	void (*printf_event)(FILE *out, const struct runtime *rt,
			     const struct fmt_def *f, const void *record,
			     size_t size);
	/* A print(value) record: f's one argument. */
	void (*value_event)(FILE *out, const struct runtime *rt,
			    const struct fmt_def *f, const void *record,
			    size_t size);
	/* Text the reader made for an event: time(), join(), the output of
	 * system(). type is its name in bpftrace's JSON ("time", "join",
	 * "syscall"); line: s is one line without its newline (join()). */
	void (*message)(FILE *out, const char *type, const char *s,
			size_t len, bool line);
	/* One map, read and sorted (dump.h): the last top entries (all when
	 * top is 0), values divided by div (at least 1). */
	void (*map)(FILE *out, const struct rt_dump *d, unsigned top,
		    unsigned div);
	/* Before the maps printed at exit. */
	void (*maps_begin)(FILE *out);
	/* nprobes event probes are about to be attached. */
	void (*attached)(FILE *out, int nprobes);
	/* Something was lost (at exit, one call per kind and map). */
	void (*loss)(FILE *out, const struct rt_loss *l);
};

/* The formats, the default first, NULL after the last. */
extern const struct output_format *const output_formats[];

/* The format named name, or NULL. */
const struct output_format *output_find(const char *name);

/* rt's format: a runtime that chose none prints text. */
const struct output_format *rt_output(const struct runtime *rt);

extern const struct output_format out_text, out_json, out_folded;

/* Text's entries, for formats that print some things as text does. */
void out_text_message(FILE *out, const char *type, const char *s,
		      size_t len, bool line);
void out_text_map(FILE *out, const struct rt_dump *d, unsigned top,
		  unsigned div);
void out_text_maps_begin(FILE *out);
void out_text_attached(FILE *out, int nprobes);
void out_text_loss(FILE *out, const struct rt_loss *l);

/* Pieces of a map's text that formats share (output.c). */

/* How a format writes text inside its syntax: as is, escaped... */
typedef void out_write_fn(FILE *out, const char *s, size_t len);

/* fwrite for out_write_fn. */
void out_write_raw(FILE *out, const char *s, size_t len);
/* One key field of type t at p: numbers in decimal (pointers in hex),
 * strings up to their NUL and the formed kinds (values.h) through
 * write; stacks with their frames indent spaces in. */
void out_print_field(FILE *out, const struct rt_dump *d, struct type t,
		     const unsigned char *p, int indent, out_write_fn *write);
/* Every key field of an element, sep between them. */
void out_print_key(FILE *out, const struct rt_dump *d,
		   const unsigned char *key, const char *sep,
		   out_write_fn *write);
/* v divided by div as bpftrace divides: signed values with C's signed
 * division. */
void out_print_num(FILE *out, uint64_t v, bool is_signed, unsigned div);
/* The lowest and highest non-zero of nb buckets in *lo and *hi (*lo is
 * nb when all are zero). Returns the biggest count. */
uint64_t out_bucket_span(const uint64_t *b, size_t nb, size_t *lo,
			 size_t *hi);

#endif
