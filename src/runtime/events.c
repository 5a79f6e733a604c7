/* events.c - reads the events the program sends through its output map
 * (BPF ring buffer, or perf event array on kernels before 5.8): printf
 * records are formatted to rt->out, exit() records end the run, and the
 * events dropped on either side are counted and reported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime.h"

/* Pages of perf buffer per CPU (a power of two, as libbpf requires). */
#define RT_PERF_PAGES 64

/* Records handled by the current rt_events_poll: perf_buffer__poll only
 * returns how many CPU buffers were ready. */
static int rt_handled;
/* A bad record usually repeats at every event: say it once. */
static bool rt_warned_id, rt_warned_short;

static void rt_event(struct runtime *rt, const void *data, size_t size)
{
	FILE *out = rt->out ? rt->out : stdout;
	uint64_t hdr;
	uint32_t id;

	if (size < sizeof(hdr)) {
		if (!rt_warned_short)
			fprintf(stderr, "wisp: warning: ignoring a %zu-byte event\n",
				size);
		rt_warned_short = true;
		return;
	}
	memcpy(&hdr, data, sizeof(hdr));
	id = (uint32_t)hdr;
	rt_handled++;
	if (id == EVENT_EXIT) {
		int64_t code = 0;

		if (size >= 16)
			memcpy(&code, (const char *)data + 8, sizeof(code));
		/* Several CPUs may call exit() at once: the first one wins. */
		if (!rt->exit_requested) {
			rt->exit_requested = true;
			rt->exit_code = (int)code;
		}
		return;
	}
	if (id >= EVENT_PRINTF && id - EVENT_PRINTF < (uint32_t)rt->nfmts &&
	    rt->fmts[id - EVENT_PRINTF]) {
		fmt_print(out, rt->fmts[id - EVENT_PRINTF], data, size);
		return;
	}
	if (!rt_warned_id)
		fprintf(stderr, "wisp: warning: ignoring events of unknown id %u\n",
			id);
	rt_warned_id = true;
}

static int rt_ringbuf_sample(void *ctx, void *data, size_t size)
{
	rt_event(ctx, data, size);
	return 0;
}

static void rt_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	rt_event(ctx, data, size);
}

static void rt_perf_lost(void *ctx, int cpu, __u64 cnt)
{
	struct runtime *rt = ctx;

	rt->lost_perf += cnt;
}

int rt_events_open(struct runtime *rt)
{
	if (!rt->output || rt->output->fd < 0) {
		fprintf(stderr, "wisp: no output map to read events from\n");
		return -1;
	}
	rt->ringbuf = rt->output->bpf_type == BPF_MAP_TYPE_RINGBUF;
	if (rt->ringbuf)
		rt->reader = ring_buffer__new(rt->output->fd, rt_ringbuf_sample,
					      rt, NULL);
	else
		rt->reader = perf_buffer__new(rt->output->fd, RT_PERF_PAGES,
					      rt_perf_sample, rt_perf_lost, rt,
					      NULL);
	if (!rt->reader) {
		fprintf(stderr, "wisp: cannot read the %s: %s\n",
			rt->ringbuf ? "ring buffer" : "perf buffer",
			strerror(errno));
		return -1;
	}
	return 0;
}

int rt_events_poll(struct runtime *rt, int timeout_ms)
{
	int err;

	if (!rt->reader)
		return -1;
	rt_handled = 0;
	if (rt->ringbuf)
		err = ring_buffer__poll(rt->reader, timeout_ms);
	else
		err = perf_buffer__poll(rt->reader, timeout_ms);
	/* Flush per batch, not per event: one write for a burst, and still
	 * prompt output when piped. */
	if (rt_handled)
		fflush(rt->out ? rt->out : stdout);
	if (err == -EINTR)
		return 0;
	if (err < 0) {
		fprintf(stderr, "wisp: reading events: %s\n", strerror(-err));
		return -1;
	}
	return rt_handled;
}

/* The MAPK_LOST counter: element 0, one u64 per CPU. */
static unsigned long long rt_lost_in_kernel(const struct map_def *def)
{
	bool percpu = def->bpf_type == BPF_MAP_TYPE_PERCPU_ARRAY ||
		      def->bpf_type == BPF_MAP_TYPE_PERCPU_HASH;
	int ncpus = percpu ? libbpf_num_possible_cpus() : 1;
	unsigned long long n = 0;
	uint32_t key = 0;
	uint64_t *v;
	int i;

	if (def->fd < 0 || ncpus < 1)
		return 0;
	v = calloc(ncpus, sizeof(*v));
	if (!v)
		return 0;
	if (bpf_map_lookup_elem(def->fd, &key, v) == 0)
		for (i = 0; i < ncpus; i++)
			n += v[i];
	free(v);
	return n;
}

void rt_report_lost(struct runtime *rt)
{
	unsigned long long n = rt->lost_perf;

	if (rt->lost)
		n += rt_lost_in_kernel(rt->lost);
	if (n)
		fprintf(stderr, "wisp: %llu events lost\n", n);
}
