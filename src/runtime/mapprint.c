/* mapprint.c - prints the program's maps at exit the way bpftrace 0.17
 * does, so that its users read wisp's output without surprise and the two
 * can be compared with diff:
 *
 *	@name: 42                 keyless value, count or sum
 *	@name[k1, k2]: 42         keyed, sorted by value (the biggest last)
 *	"@name[k]: "              histogram, one group per key, sorted by key
 *	[2, 4)    3 |@@@@@   |    (columns 16, 8 and 52 wide)
 *	(an empty line after each histogram group)
 *
 * Maps are printed in name order. Per-CPU values are summed. Quirks kept
 * on purpose because bpftrace has them: "@h: " ends in a space, and a map
 * without entries prints one empty line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime.h"

#define RT_HIST_BAR 52

/* One map element, its per-CPU values already merged. */
struct rt_elem {
	unsigned char *key;
	const unsigned char *val; /* VALUE maps of strings: the bytes */
	uint64_t n;               /* integer value, hist bucket count */
	uint64_t bucket;          /* HIST only */
};

/* One map read into memory, with what is needed to compare elements. */
struct rt_dump {
	const struct map_def *def;
	bool array;         /* u32 index keys */
	unsigned ksize;     /* bytes of a key as the kernel has it */
	unsigned kbuf;      /* bytes allocated per key (>= ksize) */
	unsigned gsize;     /* HIST: bytes of the user part of the key */
	bool int_val;       /* sort by value (counts, sums, integers) */
	bool val_signed;
	struct rt_elem *el;
	size_t n;
	unsigned char *store; /* keys and string values of every element */
};

static bool rt_percpu(uint32_t t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH ||
	       t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* An integer of size bytes at p: sizes other than 1, 2, 4 and 8 are not
 * made by the compiler; read them as unsigned 8 bytes at most. */
static uint64_t rt_read_int(const unsigned char *p, unsigned size,
			    bool is_signed)
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
 * value, strings as text up to the NUL. */
static int rt_cmp_keys(const struct map_def *def, const unsigned char *a,
		       const unsigned char *b)
{
	int i, c;

	for (i = 0; i < def->nkeys && i < MAP_MAX_KEYS; i++) {
		const struct type *t = &def->keys[i];
		unsigned off = def->key_off[i];

		if (t->kind == TYPE_STR)
			c = strncmp((const char *)a + off, (const char *)b + off,
				    t->size);
		else
			c = rt_cmp_u64(rt_read_int(a + off, t->size, t->is_signed),
				       rt_read_int(b + off, t->size, t->is_signed),
				       t->is_signed && t->kind != TYPE_PTR);
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
	int c = rt_cmp_u64(a->n, b->n, rt_sorting->val_signed);

	return c ? c : rt_cmp_keys(rt_sorting->def, a->key, b->key);
}

static int rt_cmp_by_key(const void *pa, const void *pb)
{
	const struct rt_elem *a = pa, *b = pb;
	int c = rt_cmp_keys(rt_sorting->def, a->key, b->key);

	return c ? c : rt_cmp_u64(a->bucket, b->bucket, false);
}

static void rt_print_key(FILE *out, const struct map_def *def,
			 const unsigned char *key)
{
	int i;

	if (def->nkeys == 0)
		return;
	fputc('[', out);
	for (i = 0; i < def->nkeys && i < MAP_MAX_KEYS; i++) {
		const struct type *t = &def->keys[i];
		const unsigned char *p = key + def->key_off[i];
		uint64_t v;

		if (i)
			fputs(", ", out);
		if (t->kind == TYPE_STR) {
			fwrite(p, 1, strnlen((const char *)p, t->size), out);
			continue;
		}
		v = rt_read_int(p, t->size, t->is_signed);
		if (t->kind == TYPE_PTR)
			fprintf(out, "0x%llx", (unsigned long long)v);
		else if (t->is_signed)
			fprintf(out, "%lld", (long long)v);
		else
			fprintf(out, "%llu", (unsigned long long)v);
	}
	fputc(']', out);
}

/* Read every element of def, merging per-CPU values. Returns 0 or -1. */
static int rt_dump_read(struct rt_dump *d, const struct map_def *def,
			int ncpus)
{
	bool percpu = rt_percpu(def->bpf_type);
	unsigned vsize = def->val_size ? def->val_size : 8;
	unsigned stride = percpu ? (vsize + 7) / 8 * 8 : vsize;
	unsigned nv = percpu ? ncpus : 1, isize, i;
	/* get_next_key restarts from the first key when the previous one
	 * was deleted meanwhile: bound the walk. */
	size_t limit = (size_t)def->max_entries + 1, iter, cap = 0, ssize;
	unsigned char *vals, *cur, *nxt, *tmp, *slot;
	struct rt_elem *e;

	memset(d, 0, sizeof(*d));
	d->def = def;
	d->array = def->bpf_type == BPF_MAP_TYPE_ARRAY ||
		   def->bpf_type == BPF_MAP_TYPE_PERCPU_ARRAY;
	d->ksize = d->array ? 4 : def->key_size ? def->key_size : 8;
	/* Room for the key fields the definition describes even when the
	 * kernel key is shorter (a u32 array index). */
	d->kbuf = (d->ksize > def->key_size ? d->ksize : def->key_size) + 8;
	if (def->kind == MAPK_HIST && !d->array && d->ksize >= 8)
		d->gsize = d->ksize - 8;
	d->int_val = def->kind != MAPK_VALUE || def->val.kind == TYPE_INT ||
		     def->val.kind == TYPE_PTR;
	if (def->kind == MAPK_SUM ||
	    (def->kind == MAPK_VALUE && def->val.kind == TYPE_INT))
		d->val_signed = def->val.is_signed;
	/* Integer values of plain maps may be stored widened. */
	isize = def->val.size && def->val.size < vsize ? def->val.size : vsize;
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
		if (d->array && def->kind != MAPK_HIST && def->nkeys == 0 &&
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
		e = &d->el[d->n++];
		memset(e, 0, sizeof(*e));
		if (def->kind == MAPK_HIST)
			e->bucket = d->array ? rt_read_int(cur, 4, false) :
					       rt_read_int(cur + d->gsize, 8, false);
		if (!d->int_val)
			memcpy(slot + d->kbuf, vals, vsize);
		else if (!percpu)
			e->n = rt_read_int(vals, isize, def->val.is_signed);
		else
			for (i = 0; i < nv; i++)
				e->n += rt_read_int(vals + i * stride, vsize, false);
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
	free(d->el);
	free(d->store);
	d->el = NULL;
	d->store = NULL;
	return -1;
}

static void rt_hist_label(char *buf, size_t len, uint64_t bucket)
{
	static const char suffix[] = " KMGTPE";
	unsigned k = bucket - 2, lo = k / 10, hi = (k + 1) / 10;

	if (bucket == 0)
		snprintf(buf, len, "(..., 0)");
	else if (bucket == 1)
		snprintf(buf, len, "[0]");
	else if (bucket == 2)
		snprintf(buf, len, "[1]");
	else
		snprintf(buf, len, "[%u%.*s, %u%.*s)", 1u << (k % 10), lo != 0,
			 &suffix[lo], 1u << ((k + 1) % 10), hi != 0, &suffix[hi]);
}

/* Rows from the lowest to the highest non-zero bucket, bars scaled to the
 * biggest: bpftrace's columns, and its float arithmetic for the bar. */
static void rt_print_hist(FILE *out, const uint64_t *b)
{
	static const char bar[] = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";
	int i, lo = -1, hi = -1, w;
	uint64_t max = 0;
	char label[32];

	for (i = 0; i < HIST_BUCKETS; i++) {
		if (!b[i])
			continue;
		if (lo < 0)
			lo = i;
		hi = i;
		if (b[i] > max)
			max = b[i];
	}
	for (i = lo; lo >= 0 && i <= hi; i++) {
		rt_hist_label(label, sizeof(label), i);
		w = (int)((float)b[i] / (float)max * RT_HIST_BAR);
		fprintf(out, "%-16s%8llu |%-*.*s|\n", label,
			(unsigned long long)b[i], RT_HIST_BAR, w, bar);
	}
}

/* Returns the number of groups printed. */
static size_t rt_print_hists(FILE *out, struct rt_dump *d)
{
	const struct map_def *def = d->def;
	uint64_t buckets[HIST_BUCKETS];
	size_t i, j, printed = 0;
	bool any;

	rt_sorting = d;
	if (d->n)
		qsort(d->el, d->n, sizeof(*d->el), rt_cmp_by_key);
	for (i = 0; i < d->n; i = j) {
		memset(buckets, 0, sizeof(buckets));
		any = false;
		for (j = i; j < d->n && rt_cmp_keys(def, d->el[i].key,
						    d->el[j].key) == 0; j++) {
			if (d->el[j].bucket < HIST_BUCKETS) {
				buckets[d->el[j].bucket] += d->el[j].n;
				any |= d->el[j].n != 0;
			}
		}
		/* A histogram kept in an array has every bucket, used or
		 * not: all zero is a map that was never updated. */
		if (d->array && !any)
			continue;
		fputs(def->name, out);
		rt_print_key(out, def, d->el[i].key);
		fputs(": \n", out);
		rt_print_hist(out, buckets);
		fputc('\n', out);
		printed++;
	}
	return printed;
}

static size_t rt_print_values(FILE *out, struct rt_dump *d)
{
	const struct map_def *def = d->def;
	size_t i;

	rt_sorting = d;
	if (d->n)
		qsort(d->el, d->n, sizeof(*d->el),
		      d->int_val ? rt_cmp_by_value : rt_cmp_by_key);
	for (i = 0; i < d->n; i++) {
		const struct rt_elem *e = &d->el[i];

		fputs(def->name, out);
		rt_print_key(out, def, e->key);
		fputs(": ", out);
		if (e->val)
			fwrite(e->val, 1,
			       strnlen((const char *)e->val,
				       def->val_size ? def->val_size : 8),
			       out);
		else if (def->kind == MAPK_VALUE && def->val.kind == TYPE_PTR)
			fprintf(out, "0x%llx", (unsigned long long)e->n);
		else if (d->val_signed)
			fprintf(out, "%lld", (long long)e->n);
		else
			fprintf(out, "%llu", (unsigned long long)e->n);
		fputc('\n', out);
	}
	return d->n;
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
	int i, n = 0, ncpus = libbpf_num_possible_cpus();

	if (ncpus < 1) {
		fprintf(stderr, "wisp: cannot count the CPUs: %s\n",
			strerror(-ncpus));
		return;
	}
	order = calloc(rt->nmaps ? rt->nmaps : 1, sizeof(*order));
	if (!order)
		return;
	for (i = 0; i < rt->nmaps; i++) {
		struct map_def *def = rt->maps[i];

		if (def && def->fd >= 0 && def->name &&
		    (def->kind == MAPK_VALUE || def->kind == MAPK_COUNT ||
		     def->kind == MAPK_SUM || def->kind == MAPK_HIST))
			order[n++] = def;
	}
	/* bpftrace keeps its maps in a std::map: byte order of the names. */
	qsort(order, n, sizeof(*order), rt_cmp_names);
	for (i = 0; i < n; i++) {
		struct rt_dump d;
		size_t printed;

		if (rt_dump_read(&d, order[i], ncpus) < 0) {
			fprintf(stderr, "wisp: cannot read map %s\n",
				order[i]->name);
			continue;
		}
		if (order[i]->kind == MAPK_HIST)
			printed = rt_print_hists(out, &d);
		else
			printed = rt_print_values(out, &d);
		if (!printed)
			fputc('\n', out);
		free(d.el);
		free(d.store);
	}
	free(order);
}
