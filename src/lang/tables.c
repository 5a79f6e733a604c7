/* tables.c - the maps, formats and strings of a compiled program, and the
 * one place that decides how each kind of map is laid out in the kernel.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "tables.h"

struct map_def *tab_map_add(struct prog_tables *t, const char *name,
			    enum map_kind kind, struct loc loc)
{
	struct map_def *m = calloc(1, sizeof(*m));

	m->name = strdup(name);
	m->kind = kind;
	m->fd = -1;
	m->loc = loc;
	m->index = t->nmaps;
	t->maps = realloc(t->maps, (t->nmaps + 1) * sizeof(*t->maps));
	t->maps[t->nmaps++] = m;
	return m;
}

struct map_def *tab_map_of_kind(const struct prog_tables *t, enum map_kind kind)
{
	for (int i = 0; i < t->nmaps; i++)
		if (t->maps[i]->kind == kind)
			return t->maps[i];
	return NULL;
}

unsigned tab_str_add(struct prog_tables *t, const char *str)
{
	for (int i = 0; i < t->nstrs; i++)
		if (!strcmp(t->strs[i], str))
			return i;
	t->strs = realloc(t->strs, (t->nstrs + 1) * sizeof(*t->strs));
	t->strs[t->nstrs] = strdup(str);
	return t->nstrs++;
}

bool map_is_array(const struct map_def *m)
{
	return m->bpf_type == BPF_MAP_TYPE_ARRAY ||
	       m->bpf_type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

unsigned map_hist_buckets(const struct map_def *m)
{
	int64_t nb;

	if (m->kind == MAPK_HIST)
		return HIST_BUCKETS;
	if (m->lhist_step <= 0 || m->lhist_max < m->lhist_min)
		return 2;
	nb = (m->lhist_max - m->lhist_min) / m->lhist_step;
	return nb < LHIST_MAX_STEPS ? (unsigned)nb + 2 : LHIST_MAX_STEPS + 2;
}

/* A per-CPU array of n elements with a u32 index. */
static void per_cpu_array(struct map_def *m, uint32_t n)
{
	m->bpf_type = BPF_MAP_TYPE_PERCPU_ARRAY;
	m->key_size = 4;
	m->max_entries = n;
}

void tab_map_layout(const struct prog_tables *t, struct map_def *m)
{
	bool ringbuf = t->ringbuf;

	unsigned off = 0;

	for (int i = 0; i < m->nkeys; i++) {
		m->key_off[i] = off;
		off += (m->keys[i].size + 7) & ~7u;
	}
	if (m->kind == MAPK_HIST || m->kind == MAPK_LHIST)
		off += 8; /* the bucket index */
	m->max_entries = t->map_keys ? t->map_keys : MAP_DEFAULT_ENTRIES;
	switch (m->kind) {
	case MAPK_VALUE:
		/* keyless: one u64 key 0 */
		m->key_size = off ? off : 8;
		m->val_size = (m->val.size + 7) & ~7u;
		m->bpf_type = BPF_MAP_TYPE_HASH;
		break;
	case MAPK_COUNT:
	case MAPK_SUM:
	case MAPK_AVG:
	case MAPK_STATS:
	case MAPK_MIN:
	case MAPK_MAX:
		/* avg and stats keep { u64 count; s64 sum; }, min and max
		 * { s64 value; u64 seen; }; the others one u64 */
		m->val_size = m->kind == MAPK_COUNT || m->kind == MAPK_SUM ? 8 : 16;
		if (off == 0) {
			/* one element every CPU updates in place: no hash
			 * lookup and no insertion race */
			per_cpu_array(m, 1);
		} else {
			m->key_size = off;
			m->bpf_type = BPF_MAP_TYPE_PERCPU_HASH;
		}
		break;
	case MAPK_HIST:
	case MAPK_LHIST:
		m->val_size = 8;
		if (m->nkeys == 0) {
			/* keyless: indexed by the bucket, none to create */
			/* a histogram kept in an array is indexed by its
			 * bucket: one element a bucket */
			per_cpu_array(m, map_hist_buckets(m));
		} else {
			m->key_size = off;
			m->bpf_type = BPF_MAP_TYPE_PERCPU_HASH;
		}
		break;
	case MAPK_OUTPUT:
		/* entries: the runtime's choice (ring bytes, or CPUs) */
		m->max_entries = 0;
		if (ringbuf) {
			m->bpf_type = BPF_MAP_TYPE_RINGBUF;
			m->key_size = m->val_size = 0;
		} else {
			m->bpf_type = BPF_MAP_TYPE_PERF_EVENT_ARRAY;
			m->key_size = m->val_size = 4;
		}
		break;
	case MAPK_LOST:
		/* one value holding every counter: a per-CPU array cannot
		 * give the address of its value to the program (see
		 * LOST_COUNTERS) */
		m->bpf_type = BPF_MAP_TYPE_ARRAY;
		m->key_size = 4;
		m->max_entries = 1;
		m->val_size = 8 * LOST_MAP(t->nmaps);
		break;
	case MAPK_SCRATCH:
		/* val_size: the buffers the lowering placed there */
		per_cpu_array(m, 1);
		if (m->val_size < 8)
			m->val_size = 8;
		break;
	case MAPK_STACKS:
		m->bpf_type = BPF_MAP_TYPE_STACK_TRACE;
		m->key_size = 4;
		m->val_size = 127 * 8; /* the kernel's default perf_event_max_stack */
		/* four stacks a key: 16384 by default */
		m->max_entries = 4 * (t->map_keys ? t->map_keys : MAP_DEFAULT_ENTRIES);
		break;
	}
}

void tab_free(struct prog_tables *t)
{
	for (int i = 0; i < t->nmaps; i++) {
		free(t->maps[i]->name);
		free(t->maps[i]);
	}
	for (int i = 0; i < t->nfmts; i++) {
		free(t->fmts[i]->fmt);
		free(t->fmts[i]->args);
		free(t->fmts[i]);
	}
	for (int i = 0; i < t->nstrs; i++)
		free(t->strs[i]);
	free(t->maps);
	free(t->fmts);
	free(t->strs);
	memset(t, 0, sizeof(*t));
}
