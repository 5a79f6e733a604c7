/* mapprint.c - reads the program's maps to print them, at exit
 * (rt_print_maps) and for print(@m, top, div): every element with its
 * per-CPU values merged, sorted in bpftrace 0.17's order, into a dump
 * (dump.h) that the output format (output.h) prints; and empties maps
 * for clear() and zero().
 *
 * Maps are printed in name order. Orders kept on purpose because
 * bpftrace has them: counts, sums and values by value (the biggest
 * last), avg and stats by average, hist and lhist groups by their total
 * count, equal totals and averages by the key's bytes (its std::map
 * order); stats ignore print's top and div, lhist its div.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "dump.h"
#include "output.h"
#include "runtime.h"
#include "values.h"

static bool rt_percpu(uint32_t t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH ||
	       t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* The program's own maps; not the event channel, scratch space or stack
 * traces, which only the runtime and the compiler use. */
static bool rt_printable(const struct map_def *def)
{
	if (!def || def->fd < 0 || !def->name)
		return false;
	switch (def->kind) {
	case MAPK_VALUE:
	case MAPK_COUNT:
	case MAPK_SUM:
	case MAPK_HIST:
	case MAPK_AVG:
	case MAPK_STATS:
	case MAPK_MIN:
	case MAPK_MAX:
	case MAPK_LHIST:
		return true;
	default:
		return false;
	}
}

/* A value printed as an integer: integers, and pointers (a saved
 * args->filename), which bpftrace 0.17 prints in decimal too. */
static bool rt_int_value(struct type t)
{
	return t.kind == TYPE_INT || t.kind == TYPE_PTR;
}

uint64_t rt_read_int(const unsigned char *p, unsigned size, bool is_signed)
{
	uint64_t v = 0;

	switch (size) {
	case 1: {
		uint8_t x = *p;

		return is_signed ? (uint64_t)(int64_t)(int8_t)x : x;
	}
	case 2: {
		uint16_t x;

		memcpy(&x, p, 2);
		return is_signed ? (uint64_t)(int64_t)(int16_t)x : x;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, p, 4);
		return is_signed ? (uint64_t)(int64_t)(int32_t)x : x;
	}
	default:
		memcpy(&v, p, size < 8 ? size : 8);
		return v;
	}
}

static int rt_cmp_u64(uint64_t a, uint64_t b, bool is_signed)
{
	if (is_signed)
		return (int64_t)a < (int64_t)b ? -1 : (int64_t)a > (int64_t)b;
	return a < b ? -1 : a > b;
}

/* Compare the user keys field by field with their types: numbers by
 * value, strings as text up to the NUL. bpftrace orders maps sorted by
 * key comparing integers as unsigned: as_unsigned does the same. It
 * leaves keys of other types in hash order; ksym and strftime values
 * are compared as the numbers they are, the rest as bytes, so that the
 * order at least does not change from one run to the next. */
static int rt_cmp_keys(const struct map_def *def, const unsigned char *a,
		       const unsigned char *b, bool as_unsigned)
{
	int i, c;

	for (i = 0; i < def->nkeys && i < MAP_MAX_KEYS; i++) {
		const struct type *t = &def->keys[i];
		unsigned off = def->key_off[i];
		bool sgn = t->is_signed && t->kind != TYPE_PTR && !as_unsigned;

		if (t->kind == TYPE_STR)
			c = strncmp((const char *)a + off, (const char *)b + off,
				    t->size);
		else if (t->kind == TYPE_KSYM || t->kind == TYPE_TIME)
			c = rt_cmp_u64(rt_read_int(a + off, 8, false),
				       rt_read_int(b + off, 8, false), false);
		else if (rt_has_form(*t))
			c = memcmp(a + off, b + off, t->size);
		else
			c = rt_cmp_u64(rt_read_int(a + off, t->size, sgn),
				       rt_read_int(b + off, t->size, sgn), sgn);
		if (c)
			return c;
	}
	return 0;
}

/* qsort has no context argument in C11; the dump being sorted. */
static const struct rt_dump *rt_sorting;

static int rt_cmp_by_value(const void *pa, const void *pb)
{
	const struct rt_elem *a = pa, *b = pb;
	int c = rt_cmp_u64(a->v, b->v, rt_sorting->val_signed);

	return c ? c : rt_cmp_keys(rt_sorting->def, a->key, b->key, false);
}

static int rt_cmp_by_key(const void *pa, const void *pb)
{
	const struct rt_elem *a = pa, *b = pb;

	return rt_cmp_keys(rt_sorting->def, a->key, b->key, true);
}

/* avg and stats: by average, then by the key's bytes as bpftrace's
 * std::map has them before its (here stable) sort. */
static int rt_cmp_by_average(const void *pa, const void *pb)
{
	const struct rt_elem *a = pa, *b = pb;
	int c = rt_cmp_u64(a->v, b->v, true);

	return c ? c : memcmp(a->key, b->key, rt_sorting->ulen);
}

/* Brings the buckets of one key together, in bucket order. */
static int rt_cmp_by_bucket(const void *pa, const void *pb)
{
	const struct rt_elem *a = pa, *b = pb;
	int c = memcmp(a->key, b->key, rt_sorting->ulen);

	return c ? c : rt_cmp_u64(a->bucket, b->bucket, false);
}

static int rt_cmp_groups(const void *pa, const void *pb)
{
	const struct rt_group *a = pa, *b = pb;
	int c = rt_cmp_u64(a->total, b->total, false);

	return c ? c : memcmp(rt_sorting->el[a->first].key,
			      rt_sorting->el[b->first].key, rt_sorting->ulen);
}

static bool rt_all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Merge the nv per-CPU values at vals into e. Returns false when every
 * value is all zero bytes. */
static bool rt_merge(const struct rt_dump *d, struct rt_elem *e,
		     const unsigned char *vals, unsigned nv, unsigned stride)
{
	const struct map_def *def = d->def;
	unsigned vsize = d->vsize, i;
	bool any = false, seen = false;
	/* Integer values of plain maps may be stored widened. */
	unsigned isize = def->kind == MAPK_VALUE && def->val.size &&
					 def->val.size < vsize ?
				 def->val.size :
				 vsize;
	bool sgn = def->val.is_signed;

	for (i = 0; i < nv; i++) {
		const unsigned char *p = vals + (size_t)i * stride;
		int64_t x;

		any |= !rt_all_zero(p, vsize);
		switch (def->kind) {
		case MAPK_AVG:
		case MAPK_STATS:
			e->count += rt_read_int(p, 8, false);
			if (vsize >= 16)
				e->total += (int64_t)rt_read_int(p + 8, 8, true);
			break;
		case MAPK_MIN:
		case MAPK_MAX:
			/* A CPU that never ran min()/max() holds no value,
			 * not a 0 to compare with. */
			if (vsize >= 16 && !rt_read_int(p + 8, 8, false))
				break;
			x = (int64_t)rt_read_int(p, 8, true);
			if (!seen || (def->kind == MAPK_MIN ? x < (int64_t)e->v :
							      x > (int64_t)e->v))
				e->v = (uint64_t)x;
			seen = true;
			break;
		case MAPK_COUNT:
		case MAPK_HIST:
		case MAPK_LHIST:
			e->v += rt_read_int(p, vsize, false);
			break;
		default:
			e->v += rt_read_int(p, isize, sgn);
			break;
		}
	}
	/* bpftrace: C's division, truncated toward zero. */
	if (rt_is_stats(def->kind) && e->count)
		e->v = (uint64_t)(e->total / (int64_t)e->count);
	return any;
}

static void rt_dump_free(struct rt_dump *d)
{
	free(d->el);
	free(d->store);
	free(d->grp);
	free(d->row);
	d->el = NULL;
	d->store = NULL;
	d->grp = NULL;
	d->row = NULL;
}

/* Read every element of def, merging per-CPU values. Returns 0 or -1. */
static int rt_dump_read(struct rt_dump *d, const struct runtime *rt,
			const struct map_def *def, int ncpus)
{
	bool percpu = rt_percpu(def->bpf_type), hist = rt_is_hist(def->kind);
	unsigned vsize = def->val_size;
	unsigned stride = percpu ? (vsize + 7) / 8 * 8 : vsize;
	unsigned nv = percpu ? ncpus : 1;
	/* get_next_key restarts from the first key when the previous one
	 * was deleted meanwhile: bound the walk. */
	size_t limit = (size_t)def->max_entries + 1, iter, cap = 0, ssize;
	unsigned char *vals, *cur, *nxt, *tmp, *slot;
	struct rt_elem *e;
	bool any;

	memset(d, 0, sizeof(*d));
	d->rt = rt;
	d->def = def;
	d->array = map_is_array(def);
	d->ksize = def->key_size;
	d->kbuf = d->ksize + 8;
	if (!d->array)
		d->ulen = hist ? (d->ksize >= 8 ? d->ksize - 8 : 0) : d->ksize;
	d->vsize = vsize;
	/* Strings and the kinds printed in a form of their own (ksym,
	 * stacks, ...) keep their bytes; everything else is a number. */
	d->int_val = def->kind != MAPK_VALUE ||
		     (def->val.kind != TYPE_STR && !rt_has_form(def->val));
	/* bpftrace sorts integers by value and everything else (strings,
	 * pointers) by key. */
	d->by_value = def->kind != MAPK_VALUE || rt_int_value(def->val);
	if (def->kind == MAPK_SUM ||
	    (def->kind == MAPK_VALUE && rt_int_value(def->val)))
		d->val_signed = def->val.is_signed;
	else if (rt_is_stats(def->kind) || def->kind == MAPK_MIN ||
		 def->kind == MAPK_MAX)
		d->val_signed = true;
	/* Each element keeps its key and, for string values, the value. */
	ssize = d->kbuf + (d->int_val ? 0 : vsize + 1);

	vals = malloc((size_t)stride * nv);
	cur = calloc(1, d->kbuf);
	nxt = calloc(1, d->kbuf);
	if (!vals || !cur || !nxt)
		goto fail;
	for (iter = 0; iter < limit; iter++) {
		if (bpf_map_get_next_key(def->fd, iter ? cur : NULL, nxt) != 0)
			break;
		tmp = cur;
		cur = nxt;
		nxt = tmp;
		/* Keyless aggregations live at index 0 of an array. */
		if (d->array && !hist && def->nkeys == 0 &&
		    rt_read_int(cur, 4, false) != 0)
			continue;
		if (bpf_map_lookup_elem(def->fd, cur, vals) != 0)
			continue; /* deleted meanwhile */
		if (d->n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			void *el = realloc(d->el, ncap * sizeof(*d->el));

			if (el)
				d->el = el;
			tmp = realloc(d->store, ncap * ssize);
			if (tmp)
				d->store = tmp;
			if (!el || !tmp)
				goto fail;
			cap = ncap;
		}
		slot = d->store + d->n * ssize;
		memset(slot, 0, ssize);
		memcpy(slot, cur, d->ksize);
		e = &d->el[d->n];
		memset(e, 0, sizeof(*e));
		if (hist)
			e->bucket = d->array ? rt_read_int(cur, 4, false) :
					       rt_read_int(cur + d->ulen, 8, false);
		if (!d->int_val)
			memcpy(slot + d->kbuf, vals, vsize);
		any = d->int_val ? rt_merge(d, e, vals, nv, stride) : true;
		/* An array element always exists: all zero is an aggregation
		 * never updated, which bpftrace (keeping it in a hash) does
		 * not print. Counts excepted: bpftrace keeps a keyless count
		 * in an array too, and prints its 0. */
		if (d->array && !any && !hist && def->kind != MAPK_COUNT &&
		    def->kind != MAPK_VALUE)
			continue;
		d->n++;
	}
	/* The store moved while it grew: point into it only now. */
	for (iter = 0; iter < d->n; iter++) {
		d->el[iter].key = d->store + iter * ssize;
		if (!d->int_val)
			d->el[iter].val = d->el[iter].key + d->kbuf;
	}
	free(vals);
	free(cur);
	free(nxt);
	return 0;
fail:
	free(vals);
	free(cur);
	free(nxt);
	rt_dump_free(d);
	return -1;
}

/* Sort the elements in printing order; histograms are grouped by key and
 * the groups sorted. Returns 0 or -1 when out of memory. */
static int rt_dump_sort(struct rt_dump *d)
{
	const struct map_def *def = d->def;
	size_t i, j;

	rt_sorting = d;
	if (!rt_is_hist(def->kind)) {
		if (d->n)
			qsort(d->el, d->n, sizeof(*d->el),
			      rt_is_stats(def->kind) ? rt_cmp_by_average :
			      d->by_value	      ? rt_cmp_by_value :
							rt_cmp_by_key);
		return 0;
	}
	d->nb = map_hist_buckets(def);
	d->row = calloc(d->nb ? d->nb : 1, sizeof(*d->row));
	if (!d->row)
		return -1;
	if (!d->n)
		return 0;
	qsort(d->el, d->n, sizeof(*d->el), rt_cmp_by_bucket);
	d->grp = calloc(d->n, sizeof(*d->grp));
	if (!d->grp)
		return -1;
	for (i = 0; i < d->n; i = j) {
		struct rt_group *g = &d->grp[d->ngrp];

		g->first = i;
		for (j = i; j < d->n && memcmp(d->el[i].key, d->el[j].key,
					       d->ulen) == 0; j++)
			g->total += d->el[j].v;
		g->n = j - i;
		/* A histogram kept in an array has every bucket, used or
		 * not: all zero is a map that was never updated. */
		if (d->array && !g->total)
			continue;
		d->ngrp++;
	}
	qsort(d->grp, d->ngrp, sizeof(*d->grp), rt_cmp_groups);
	return 0;
}

const uint64_t *rt_group_buckets(const struct rt_dump *d,
				 const struct rt_group *g)
{
	size_t j;

	memset(d->row, 0, d->nb * sizeof(*d->row));
	for (j = g->first; j < g->first + g->n; j++)
		if (d->el[j].bucket < d->nb)
			d->row[d->el[j].bucket] += d->el[j].v;
	return d->row;
}

static int rt_ncpus(void)
{
	int ncpus = libbpf_num_possible_cpus();

	if (ncpus < 1)
		fprintf(stderr, "wisp: cannot count the CPUs: %s\n",
			strerror(-ncpus));
	return ncpus;
}

static void rt_print_one(struct runtime *rt, const struct map_def *m,
			 unsigned top, unsigned div, FILE *out, int ncpus)
{
	struct rt_dump d;

	if (rt_dump_read(&d, rt, m, ncpus) < 0 || rt_dump_sort(&d) < 0) {
		fprintf(stderr, "wisp: cannot read map %s\n", m->name);
		rt_dump_free(&d);
		return;
	}
	/* What bpftrace's print() does with them: stats ignore both (it
	 * warns when compiling), lhist counts are never divided. */
	if (m->kind == MAPK_STATS)
		top = 0, div = 1;
	if (m->kind == MAPK_LHIST || div == 0)
		div = 1;
	rt_output(rt)->map(out, &d, top, div);
	rt_dump_free(&d);
}

void rt_print_map(struct runtime *rt, const struct map_def *m, unsigned top,
		  unsigned div, FILE *out)
{
	int ncpus;

	if (!rt_printable(m))
		return;
	ncpus = rt_ncpus();
	if (ncpus >= 1)
		rt_print_one(rt, m, top, div, out, ncpus);
}

static int rt_cmp_names(const void *pa, const void *pb)
{
	const struct map_def *a = *(struct map_def *const *)pa;
	const struct map_def *b = *(struct map_def *const *)pb;

	return strcmp(a->name, b->name);
}

void rt_print_maps(struct runtime *rt, FILE *out)
{
	struct map_def **order;
	int i, n = 0, ncpus = rt_ncpus();

	if (ncpus < 1)
		return;
	order = calloc(rt->tab.nmaps ? rt->tab.nmaps : 1, sizeof(*order));
	if (!order)
		return;
	for (i = 0; i < rt->tab.nmaps; i++)
		if (rt_printable(rt->tab.maps[i]))
			order[n++] = rt->tab.maps[i];
	/* bpftrace keeps its maps in a std::map: byte order of the names. */
	qsort(order, n, sizeof(*order), rt_cmp_names);
	for (i = 0; i < n; i++)
		rt_print_one(rt, order[i], 0, 0, out, ncpus);
	free(order);
}

/* Every key of def, copied out before anything changes the map: deleting
 * while walking makes get_next_key start over. Returns the keys, ksize
 * bytes each, or NULL (*n = 0) when the map is empty or on error. */
static unsigned char *rt_snapshot_keys(const struct map_def *def,
				       unsigned ksize, size_t *n)
{
	size_t limit = (size_t)def->max_entries + 1, cap = 0;
	unsigned char *keys = NULL, *tmp;

	*n = 0;
	while (*n < limit) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			tmp = realloc(keys, cap * ksize);
			if (!tmp) {
				free(keys);
				*n = 0;
				return NULL;
			}
			keys = tmp;
		}
		if (bpf_map_get_next_key(def->fd,
					 *n ? keys + (*n - 1) * ksize : NULL,
					 keys + *n * ksize) != 0)
			break;
		(*n)++;
	}
	return keys;
}

void rt_zero_map(struct runtime *rt, const struct map_def *m)
{
	bool percpu;
	unsigned ksize, vsize, stride;
	unsigned char *keys, *zeros;
	size_t n, i;
	int ncpus = 1;

	if (!rt_printable(m))
		return;
	percpu = rt_percpu(m->bpf_type);
	if (percpu && (ncpus = rt_ncpus()) < 1)
		return;
	ksize = m->key_size;
	vsize = m->val_size;
	/* Every CPU's slot: a per-CPU update writes them all. */
	stride = percpu ? (vsize + 7) / 8 * 8 : vsize;
	zeros = calloc(ncpus, stride);
	keys = rt_snapshot_keys(m, ksize, &n);
	for (i = 0; zeros && i < n; i++) {
		/* BPF_EXIST: a key deleted meanwhile stays deleted. */
		if (bpf_map_update_elem(m->fd, keys + i * ksize, zeros,
					BPF_EXIST) != 0 && errno != ENOENT) {
			fprintf(stderr, "wisp: cannot zero map %s: %s\n",
				m->name, strerror(errno));
			break;
		}
	}
	free(keys);
	free(zeros);
}

void rt_clear_map(struct runtime *rt, const struct map_def *m)
{
	unsigned ksize;
	unsigned char *keys;
	size_t n, i;

	if (!rt_printable(m))
		return;
	/* Array elements cannot be deleted; zero is what the program sees
	 * as empty there (and what the printer skips). */
	if (map_is_array(m)) {
		rt_zero_map(rt, m);
		return;
	}
	ksize = m->key_size;
	keys = rt_snapshot_keys(m, ksize, &n);
	for (i = 0; i < n; i++) {
		if (bpf_map_delete_elem(m->fd, keys + i * ksize) != 0 &&
		    errno != ENOENT) {
			fprintf(stderr, "wisp: cannot clear map %s: %s\n",
				m->name, strerror(errno));
			break;
		}
	}
	free(keys);
}
