/* dump.h - one map read into memory to be printed: its elements with the
 * per-CPU values merged, in bpftrace's printing order, histograms grouped
 * by key. mapprint.c reads and sorts it; an output format (output.h)
 * receives it whole and only decides how it looks.
 */
#ifndef WISP_DUMP_H
#define WISP_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime.h"

/* One map element, its per-CPU values already merged. */
struct rt_elem {
	unsigned char *key;
	const unsigned char *val; /* VALUE maps of strings: the bytes */
	uint64_t v;               /* the value printed and sorted: count, sum,
	                           * value, min, max, average; HIST and LHIST:
	                           * the bucket's count */
	uint64_t count;           /* AVG, STATS: number of values */
	int64_t total;            /* AVG, STATS: their sum */
	uint64_t bucket;          /* HIST, LHIST */
};

/* HIST and LHIST: the elements of one user key, el[first, first + n). */
struct rt_group {
	size_t first, n;
	uint64_t total;
};

/* One map read into memory, with what is needed to compare elements. */
struct rt_dump {
	const struct runtime *rt;
	const struct map_def *def;
	bool array;         /* u32 index keys */
	unsigned ksize;     /* bytes of a key as the kernel has it */
	unsigned kbuf;      /* bytes allocated per key (>= ksize) */
	unsigned ulen;      /* bytes of the user part of the key: without the
	                     * bucket, 0 for arrays */
	unsigned vsize;     /* bytes of one (per-CPU) value */
	bool int_val;       /* the value is read as an integer (else its
	                     * bytes are kept: strings, symbols, stacks...) */
	bool by_value;      /* sorted by value, else by key */
	bool val_signed;    /* v is signed */
	struct rt_elem *el; /* in printing order */
	size_t n;
	unsigned char *store; /* keys and string values of every element */
	struct rt_group *grp; /* HIST, LHIST: in printing order */
	size_t ngrp;
	size_t nb;          /* HIST, LHIST: buckets of one group */
	uint64_t *row;      /* nb counts, rt_group_buckets' result */
};

static inline bool rt_is_hist(enum map_kind k)
{
	return k == MAPK_HIST || k == MAPK_LHIST;
}

static inline bool rt_is_stats(enum map_kind k)
{
	return k == MAPK_AVG || k == MAPK_STATS;
}

/* Where printing starts to show the last top of n entries (all when top
 * is 0): print(@m, top) keeps the largest, which sort last. */
static inline size_t rt_dump_skip(size_t n, unsigned top)
{
	return top && n > top ? n - top : 0;
}

/* An integer of size bytes at p: sizes other than 1, 2, 4 and 8 are not
 * made by the compiler; they are read as unsigned 8 bytes at most. */
uint64_t rt_read_int(const unsigned char *p, unsigned size, bool is_signed);

/* The counts of group g's d->nb buckets, unused ones 0, in d->row: valid
 * until the next call. */
const uint64_t *rt_group_buckets(const struct rt_dump *d,
				 const struct rt_group *g);

#endif
