/* maps.c - creates the program's BPF maps before it is loaded (their fds
 * go into the instructions), probes whether the kernel has a BPF ring
 * buffer, and closes the event reader and the maps at the end.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime.h"

/* Big enough that a burst of printf events from every CPU does not
 * overflow before the reader wakes up; must be a power-of-two multiple of
 * the page size. A program whose events are only exit(), print(@m) and
 * the like sends a few small records: a few pages do, and the buffer's
 * pages (mapped twice into wisp) stay out of its memory. */
#define RT_RINGBUF_BYTES (1UL << 20)
#define RT_RINGBUF_QUIET (16UL << 10)

static unsigned long rt_page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (unsigned long)p : 4096;
}

bool rt_have_ringbuf(void)
{
	static int have = -1;

	if (have < 0) {
		/* One page: 4096 would be refused on 16K/64K-page arm64. */
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0,
					rt_page_size(), NULL);

		have = fd >= 0;
		if (fd >= 0)
			close(fd);
	}
	return have;
}

/* The kernel takes 15 characters of [A-Za-z0-9_.]: "@bytes" -> "bytes",
 * the unnamed map "@" -> "_". Names only help bpftool users; they need not
 * be unique. */
static void rt_map_name(char name[16], const char *src)
{
	int n = 0;

	if (src && *src == '@')
		src++;
	for (; src && *src && n < 15; src++) {
		char c = *src;

		name[n++] = isalnum((unsigned char)c) || c == '.' ? c : '_';
	}
	if (n == 0)
		name[n++] = '_';
	name[n] = '\0';
}

static bool rt_is_array(uint32_t t)
{
	return t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY;
}

/* The compiler sets bpf_type; if it did not, use the layout runtime.h
 * documents for each kind. */
static uint32_t rt_default_type(const struct map_def *def)
{
	switch (def->kind) {
	case MAPK_VALUE:
		return BPF_MAP_TYPE_HASH;
	case MAPK_COUNT:
	case MAPK_SUM:
	case MAPK_AVG:
	case MAPK_STATS:
	case MAPK_MIN:
	case MAPK_MAX:
		/* Keyless: one element that every CPU updates in place, no
		 * hash lookup and no insertion race. */
		return def->nkeys ? BPF_MAP_TYPE_PERCPU_HASH :
				    BPF_MAP_TYPE_PERCPU_ARRAY;
	case MAPK_HIST:
	case MAPK_LHIST:
		/* keyless: indexed by the bucket (rt_default_array_entries) */
		return def->nkeys ? BPF_MAP_TYPE_PERCPU_HASH :
				    BPF_MAP_TYPE_PERCPU_ARRAY;
	case MAPK_OUTPUT:
		return rt_have_ringbuf() ? BPF_MAP_TYPE_RINGBUF :
					   BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	case MAPK_LOST:
	case MAPK_SCRATCH:
		return BPF_MAP_TYPE_PERCPU_ARRAY;
	case MAPK_STACKS:
		return BPF_MAP_TYPE_STACK_TRACE;
	}
	return BPF_MAP_TYPE_HASH;
}

/* avg and stats keep { u64 count; s64 sum; }, min and max
 * { s64 value; u64 seen; }; the others one u64. */
static unsigned rt_default_val_size(const struct map_def *def)
{
	switch (def->kind) {
	case MAPK_AVG:
	case MAPK_STATS:
	case MAPK_MIN:
	case MAPK_MAX:
		return 16;
	default:
		return 8;
	}
}

/* Entries of an array: a histogram kept in an array is indexed by its
 * bucket, so it needs one element per bucket; anything else is keyless
 * and uses element 0. */
static uint32_t rt_default_array_entries(const struct map_def *def)
{
	int64_t nb;

	if (def->kind == MAPK_HIST)
		return HIST_BUCKETS;
	if (def->kind == MAPK_LHIST && def->lhist_step > 0 &&
	    def->lhist_max > def->lhist_min) {
		nb = (def->lhist_max - def->lhist_min) / def->lhist_step + 2;
		return nb < (1 << 20) ? (uint32_t)nb : 1 << 20;
	}
	return 1;
}

uint32_t rt_map_type(struct map_def *def)
{
	if (def->bpf_type == BPF_MAP_TYPE_UNSPEC)
		def->bpf_type = rt_default_type(def);
	return def->bpf_type;
}

void rt_map_sizes(struct map_def *def, unsigned *key, unsigned *val)
{
	*key = def->key_size;
	*val = def->val_size;
	switch (rt_map_type(def)) {
	case BPF_MAP_TYPE_RINGBUF:
		*key = *val = 0;
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		*key = *val = 4;
		break;
	default:
		/* Array keys are a u32 index whatever the key layout says:
		 * keyless aggregations use element 0. */
		if (rt_is_array(def->bpf_type))
			*key = 4;
		else if (!*key)
			*key = 8; /* keyless value: one u64 key 0 */
		if (!*val)
			*val = rt_default_val_size(def);
		break;
	}
}

static int rt_map_create(struct map_def *def, bool streams)
{
	unsigned key_size, val_size;
	unsigned max = def->max_entries;
	char name[16];
	int ncpus;

	rt_map_sizes(def, &key_size, &val_size);
	switch (def->bpf_type) {
	case BPF_MAP_TYPE_RINGBUF:
		max = streams ? RT_RINGBUF_BYTES : RT_RINGBUF_QUIET;
		while (max < rt_page_size())
			max <<= 1;
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		ncpus = libbpf_num_possible_cpus();
		if (ncpus < 0) {
			fprintf(stderr, "wisp: cannot count the CPUs: %s\n",
				strerror(-ncpus));
			return -1;
		}
		max = ncpus;
		break;
	default:
		if (!max)
			max = rt_is_array(def->bpf_type) ?
				      rt_default_array_entries(def) :
				      MAP_DEFAULT_ENTRIES;
		break;
	}
	def->max_entries = max;
	rt_map_name(name, def->name);
	def->fd = bpf_map_create(def->bpf_type, name, key_size, val_size, max,
				 NULL);
	if (def->fd < 0) {
		int err = errno;

		def->fd = -1;
		fprintf(stderr, "wisp: cannot create map %s: %s%s\n",
			def->name ? def->name : name, strerror(err),
			err == EPERM ? " (wisp needs root or CAP_BPF)" :
			err == E2BIG ? " (key or value too big)" :
				       "");
		return -1;
	}
	return 0;
}

static void rt_close_def(struct map_def *def)
{
	if (def && def->fd >= 0) {
		close(def->fd);
		def->fd = -1;
	}
}

static void rt_close_maps(struct runtime *rt)
{
	int i;

	for (i = 0; i < rt->nmaps; i++)
		rt_close_def(rt->maps[i]);
	rt_close_def(rt->output);
	rt_close_def(rt->lost);
}

int rt_maps_create(struct runtime *rt)
{
	/* Kernels before 5.11 charge maps to RLIMIT_MEMLOCK (64 KiB by
	 * default); newer ones ignore it, so failing here is harmless. */
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	int i;

	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	for (i = 0; i < rt->nmaps; i++) {
		if (rt->maps[i] && rt_map_create(rt->maps[i], rt->streams) < 0)
			goto fail;
	}
	/* Normally both are in the map table too, and created above. */
	if (rt->output && rt->output->fd < 0 && rt_map_create(rt->output, rt->streams) < 0)
		goto fail;
	if (rt->lost && rt->lost->fd < 0 && rt_map_create(rt->lost, rt->streams) < 0)
		goto fail;
	if (rt->output)
		rt->ringbuf = rt->output->bpf_type == BPF_MAP_TYPE_RINGBUF;
	return 0;
fail:
	rt_close_maps(rt);
	return -1;
}

void rt_close(struct runtime *rt)
{
	if (rt->reader) {
		if (rt->ringbuf)
			ring_buffer__free(rt->reader);
		else
			perf_buffer__free(rt->reader);
		rt->reader = NULL;
	}
	rt_close_maps(rt);
}
