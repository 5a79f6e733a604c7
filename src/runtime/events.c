/* events.c - reads the events the program sends through its output map
 * (BPF ring buffer, or perf event array on kernels before 5.8): printf
 * and time() records are formatted to rt->out by the output format,
 * system() records run a command, print(), clear() and zero()
 * records act on a map from user space, exit() records end the run, and
 * the events dropped on either side are counted and reported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "output.h"
#include "runtime.h"
#include "values.h"

/* Pages of perf buffer per CPU (a power of two, as libbpf requires). */
#define RT_PERF_PAGES 64

/* Records handled by the current rt_events_poll: perf_buffer__poll only
 * returns how many CPU buffers were ready. */
static int rt_handled;
/* A bad record usually repeats at every event: say it once. */
static bool rt_warned_id, rt_warned_short;

/* bpftrace's time() without a format. */
#define RT_TIME_DEFAULT "%H:%M:%S\n"

/* The u32 at off in the payload; false (said once) if the record is too
 * short to hold it. */
static bool rt_payload_u32(const void *data, size_t size, size_t off,
			   uint32_t *v)
{
	if (size < off + sizeof(*v)) {
		if (!rt_warned_short)
			fprintf(stderr, "wisp: warning: ignoring a %zu-byte event\n",
				size);
		rt_warned_short = true;
		return false;
	}
	memcpy(v, (const char *)data + off, sizeof(*v));
	return true;
}

/* The map a print/clear/zero event names, or NULL (said once). */
static const struct map_def *rt_event_map(struct runtime *rt, uint32_t id,
					  const void *data, size_t size)
{
	static bool warned;
	uint32_t n;

	if (!rt_payload_u32(data, size, 8, &n))
		return NULL;
	if (n < (uint32_t)rt->tab.nmaps && rt->tab.maps[n])
		return rt->tab.maps[n];
	if (!warned)
		fprintf(stderr, "wisp: warning: event %u names map %u, which does not exist\n",
			id, n);
	warned = true;
	return NULL;
}

/* print(@m, top, div): top and div may be missing from a short record,
 * meaning all entries, undivided. */
static void rt_print_event(struct runtime *rt, FILE *out, const void *data,
			   size_t size)
{
	const struct map_def *m = rt_event_map(rt, EVENT_PRINT, data, size);
	uint32_t top = 0, div = 0;

	if (!m)
		return;
	if (size >= 16)
		memcpy(&top, (const char *)data + 12, sizeof(top));
	if (size >= 20)
		memcpy(&div, (const char *)data + 16, sizeof(div));
	rt_print_map(rt, m, top, div, out);
}

/* time(fmt): the local time now, when the event is read, as bpftrace
 * does; a missing format is time()'s default. */
static void rt_time_event(struct runtime *rt, FILE *out, const void *data,
			  size_t size)
{
	const char *fmt = RT_TIME_DEFAULT;
	char buf[512];
	time_t now = time(NULL);
	struct tm tm;
	uint32_t n;
	size_t len;

	if (!rt_payload_u32(data, size, 8, &n))
		return;
	if (n < (uint32_t)rt->tab.nstrs && rt->tab.strs[n])
		fmt = rt->tab.strs[n];
	if (!localtime_r(&now, &tm))
		return;
	/* 0 is an empty result or one too long: print nothing either way,
	 * as bpftrace does. */
	len = strftime(buf, sizeof(buf), fmt, &tm);
	if (!len)
		return;
	rt_output(rt)->message(out, "time", buf, len, false);
}

/* join(): the strings read, joined by the delimiter, as one line. */
static void rt_join_event(struct runtime *rt, FILE *out, const void *data,
			  size_t size)
{
	const char *p = data, *delim = " ";
	uint32_t count, di, slot;
	char *buf = NULL;
	size_t len = 0;
	FILE *text;

	if (!rt_payload_u32(data, size, 8, &count) || !rt_payload_u32(data, size, 12, &di) ||
	    !rt_payload_u32(data, size, 16, &slot) || !slot)
		return;
	if (di < (uint32_t)rt->tab.nstrs && rt->tab.strs[di])
		delim = rt->tab.strs[di];
	text = open_memstream(&buf, &len);
	if (!text)
		return;
	for (uint32_t i = 0; i < count && i < JOIN_MAX && 24 + (i + 1) * (size_t)slot <= size; i++) {
		const char *str = p + 24 + i * (size_t)slot;

		if (i)
			fputs(delim, text);
		fwrite(str, 1, strnlen(str, slot), text);
	}
	if (fclose(text) == 0)
		rt_output(rt)->message(out, "join", buf, len, true);
	free(buf);
}

/* system() (allowed by --unsafe when compiling): the formatted text run
 * with /bin/sh -c. As bpftrace does, its output is captured and printed
 * whole, a "syscall" message in JSON; the reader waits for it. */
static void rt_system_event(struct runtime *rt, FILE *out,
			    const struct fmt_def *f, const void *data,
			    size_t size)
{
	char *cmd = NULL, *res = NULL, chunk[4096];
	size_t clen = 0, rlen = 0, n;
	FILE *text = open_memstream(&cmd, &clen), *pipe, *result;

	if (!text)
		return;
	rt_fmt_print(text, rt, f, data, size);
	if (fclose(text) != 0) {
		free(cmd);
		return;
	}
	pipe = popen(cmd, "r");
	if (!pipe) {
		fprintf(stderr, "wisp: system(\"%s\"): %s\n", cmd,
			strerror(errno));
		free(cmd);
		return;
	}
	result = open_memstream(&res, &rlen);
	while ((n = fread(chunk, 1, sizeof(chunk), pipe)) > 0)
		if (result)
			fwrite(chunk, 1, n, result);
	pclose(pipe);
	if (result && fclose(result) == 0)
		rt_output(rt)->message(out, "syscall", res, rlen, false);
	free(res);
	free(cmd);
}

static void rt_event(struct runtime *rt, const void *data, size_t size)
{
	FILE *out = rt->out ? rt->out : stdout;
	const struct map_def *m;
	uint64_t hdr;
	uint32_t id;

	/* After exit(), the events still in the buffer came later: dropped,
	 * as bpftrace does, until the END probes run. */
	if (rt->exit_requested && !rt->ending)
		return;
	/* a burst may last: keep output flowing through a pipe */
	if (rt_handled && rt_handled % 256 == 0)
		fflush(out);

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
	switch (id) {
	case EVENT_EXIT: {
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
	case EVENT_PRINT:
		rt_print_event(rt, out, data, size);
		return;
	case EVENT_CLEAR:
	case EVENT_ZERO:
		m = rt_event_map(rt, id, data, size);
		if (m && id == EVENT_CLEAR)
			rt_clear_map(rt, m);
		else if (m)
			rt_zero_map(rt, m);
		return;
	case EVENT_TIME:
		rt_time_event(rt, out, data, size);
		return;
	case EVENT_JOIN:
		rt_join_event(rt, out, data, size);
		return;
	}
	if (id >= EVENT_PRINTF && id - EVENT_PRINTF < (uint32_t)rt->tab.nfmts &&
	    rt->tab.fmts[id - EVENT_PRINTF]) {
		const struct fmt_def *f = rt->tab.fmts[id - EVENT_PRINTF];

		if (f->system)
			rt_system_event(rt, out, f, data, size);
		else if (f->value)
			rt_output(rt)->value_event(out, rt, f, data, size);
		else
			rt_output(rt)->printf_event(out, rt, f, data, size);
		return;
	}
	if (!rt_warned_id)
		fprintf(stderr, "wisp: warning: ignoring events of unknown id %u\n",
			id);
	rt_warned_id = true;
}

static int rt_ringbuf_sample(void *ctx, void *data, size_t size)
{
	struct runtime *rt = ctx;
	bool before = rt->exit_requested;

	rt_event(rt, data, size);
	/* the exit event: out of the poll now, though the probes go on
	 * filling the buffer (rt_events_poll takes this for no error) */
	return !before && rt->exit_requested && !rt->ending ? -ECANCELED : 0;
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
	if (!rt->tab.output || rt->tab.output->fd < 0) {
		fprintf(stderr, "wisp: no output map to read events from\n");
		return -1;
	}
	rt->tab.ringbuf = rt->tab.output->bpf_type == BPF_MAP_TYPE_RINGBUF;
	if (rt->tab.ringbuf)
		rt->reader = ring_buffer__new(rt->tab.output->fd, rt_ringbuf_sample,
					      rt, NULL);
	else
		rt->reader = perf_buffer__new(rt->tab.output->fd, RT_PERF_PAGES,
					      rt_perf_sample, rt_perf_lost, rt,
					      NULL);
	if (!rt->reader) {
		fprintf(stderr, "wisp: cannot read the %s: %s\n",
			rt->tab.ringbuf ? "ring buffer" : "perf buffer",
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
	if (rt->tab.ringbuf)
		err = ring_buffer__poll(rt->reader, timeout_ms);
	else
		err = perf_buffer__poll(rt->reader, timeout_ms);
	/* Flush per batch, not per event: one write for a burst, and still
	 * prompt output when piped. */
	if (rt_handled)
		fflush(rt->out ? rt->out : stdout);
	if (err == -EINTR || (err == -ECANCELED && rt->exit_requested))
		return rt_handled;
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

	if (rt->tab.lost)
		n += rt_lost_in_kernel(rt->tab.lost);
	if (!n)
		return;
	rt_output(rt)->lost(rt->out ? rt->out : stdout, n);
}
