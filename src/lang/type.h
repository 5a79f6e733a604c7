/* type.h - the value types of the wisp language.
 *
 * Integers carry their width and signedness; strings are fixed-size,
 * NUL-padded byte arrays; aggregations are map value kinds that only live
 * in maps. Types are small values, passed and compared by value.
 */
#ifndef WISP_TYPE_H
#define WISP_TYPE_H

#include <stdbool.h>
#include "ctype.h"

enum type_kind {
	TYPE_NONE,  /* not yet inferred / statement */
	TYPE_VOID,  /* functions returning nothing: printf, exit */
	TYPE_INT,   /* size 1, 2, 4 or 8, is_signed */
	TYPE_STR,   /* size = buffer size including the NUL */
	TYPE_PTR,   /* an address (size 8); as says user or kernel memory,
	             * ct what it points to (NULL: not known) */
	TYPE_COUNT, /* aggregation: count() */
	TYPE_SUM,   /* aggregation: sum(x) */
	TYPE_HIST,  /* aggregation: hist(x) / quantize(x) */
	/* values printed by user space in a form of their own (%s, %v, map
	 * keys and values); size is their bytes in records and maps */
	TYPE_KSYM,  /* ksym(a): u64 kernel address, printed as its symbol */
	TYPE_USYM,  /* usym(a): { u64 addr; u64 pid }, printed as the symbol in
	             * that process */
	TYPE_INET,  /* ntop(): { u64 family (AF_INET/AF_INET6); u8 addr[16] } */
	TYPE_TIME,  /* strftime(fmt, ns): { u64 ns of CLOCK_MONOTONIC (nsecs);
	             * u64 index of fmt in the runtime's strs }: the format
	             * goes with the value, as a local or a map holds values
	             * of several strftime() calls */
	TYPE_BUF,   /* buf(p, n): { u64 len; u8 data[size - 8] }, printed
	             * with \xNN escapes for bytes that are not printable */
	TYPE_STACK, /* kstack / ustack: { s64 stack id in the program's
	             * stack map (MAPK_STACKS); u64 pid }, printed as one
	             * symbolised frame per line; as says whose frames
	             * (AS_USER: ustack) */
	TYPE_TUPLE, /* (a, b, ...): its elements one after the other, each
	             * 8-byte aligned, as tuple lays them out */
	TYPE_RECORD,/* a C struct or union (ct) read whole: its size bytes
	             * as in the kernel, printed member by member */
};

struct tuple_def;

struct type {
	enum type_kind kind;
	unsigned size; /* bytes */
	bool is_signed;
	enum addr_space as;  /* TYPE_PTR: the memory it points into;
	                      * TYPE_STACK: the memory of its frames */
	const struct ctype *ct;          /* TYPE_PTR: the pointee, or NULL;
	                                  * TYPE_RECORD: the struct */
	const struct tuple_def *tuple;   /* TYPE_TUPLE: the interned layout */
};

#define TUPLE_MAX 16 /* elements of one tuple */

/* The layout of a tuple type: element types (integers widened to 64
 * bits), their offsets, the total size. Equal layouts are one layout, so
 * tuple types compare by their layout's address. */
struct tuple_def {
	unsigned n;
	struct type elem[TUPLE_MAX];
	unsigned off[TUPLE_MAX];
	unsigned size;
};

static inline struct type type_int(unsigned size, bool is_signed)
{
	return (struct type){ .kind = TYPE_INT, .size = size, .is_signed = is_signed };
}

static inline struct type type_str(unsigned size)
{
	return (struct type){ .kind = TYPE_STR, .size = size };
}

static inline bool type_is_ustack(struct type t)
{
	return t.kind == TYPE_STACK && t.as == AS_USER;
}

/* Values that live in memory rather than a register: strings and the
 * values user space formats (symbols, addresses, stacks, buffers,
 * tuples). */
static inline bool type_in_memory(struct type t)
{
	switch (t.kind) {
	case TYPE_STR:
	case TYPE_KSYM:
	case TYPE_USYM:
	case TYPE_INET:
	case TYPE_TIME:
	case TYPE_BUF:
	case TYPE_STACK:
	case TYPE_TUPLE:
	case TYPE_RECORD:
		return true;
	default:
		return false;
	}
}

static inline bool type_is_agg(struct type t)
{
	return t.kind == TYPE_COUNT || t.kind == TYPE_SUM || t.kind == TYPE_HIST;
}

/* The tuple of n (<= TUPLE_MAX) elements of these types, laid out and
 * interned; kind TYPE_NONE when out of memory. */
struct type type_tuple(unsigned n, const struct type *elems);
/* The layout of a TYPE_TUPLE. */
const struct tuple_def *type_tuple_def(struct type t);

/* "int64", "uint32", "string[64]", "(int64, string[4])", ... into buf;
 * returns buf. */
const char *type_name(struct type t, char *buf, unsigned buflen);
bool type_equal(struct type a, struct type b);
/* The type that holds values of both a and b: the same kind, strings
 * and buffers as long as the longer, tuples element by element. Returns
 * false when there is none (an integer and a string). */
bool type_unify(struct type a, struct type b, struct type *out);

#endif
