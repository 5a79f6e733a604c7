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

/* Records one rt_events_poll handles at most: the ring buffer's reader
 * goes on while records keep coming, and a program that traces wisp's
 * own writes feeds it forever. Between batches the caller sees its stop
 * flag, the -c command's end and exit(). */
#define RT_POLL_BATCH 4096

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
		rt_flush(rt);

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

static uint64_t rt_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* A write of out failed (ferror): errno is the failed write's, read
 * right after the call that wrote. */
static void rt_out_failed(struct runtime *rt, FILE *out, int err)
{
	/* A signal broke into a write to a slow reader: what the buffer
	 * held is gone, but the output works. (main installs its handlers
	 * with SA_RESTART so that this does not happen to writes.) */
	if (err != EINTR && !rt->out_error)
		rt->out_error = err ? err : EIO;
	clearerr(out);
}

/* One event, and whether its output could be written: a line-buffered
 * stdout writes inside the printing call, where errno tells why. */
static void rt_event_out(struct runtime *rt, const void *data, size_t size)
{
	FILE *out = rt->out ? rt->out : stdout;

	if (rt->deadline_ns && (rt->unread || rt_now_ns() >= rt->deadline_ns)) {
		rt->unread++;
		return;
	}
	rt_event(rt, data, size);
	if (ferror(out))
		rt_out_failed(rt, out, errno);
}

static int rt_ringbuf_sample(void *ctx, void *data, size_t size)
{
	struct runtime *rt = ctx;
	bool before = rt->exit_requested;

	rt_event_out(rt, data, size);
	/* the exit event: out of the poll now, though the probes go on
	 * filling the buffer (rt_events_poll takes this for no error) */
	if (!before && rt->exit_requested && !rt->ending)
		return -ECANCELED;
	/* a batch is done, the output failed or a quit is asked for: out
	 * too; this record is consumed, the next poll goes on after it */
	if (rt_handled >= RT_POLL_BATCH || rt->out_error || (rt->quit && *rt->quit))
		return -EAGAIN;
	return 0;
}

static void rt_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	rt_event_out(ctx, data, size);
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
		rt_flush(rt);
	if (err == -EINTR || err == -EAGAIN ||
	    (err == -ECANCELED && rt->exit_requested))
		return rt_handled;
	if (err < 0) {
		fprintf(stderr, "wisp: reading events: %s\n", strerror(-err));
		return -1;
	}
	return rt_handled;
}

void rt_events_drain(struct runtime *rt)
{
	while (!rt->out_error && !(rt->quit && *rt->quit) &&
	       rt_events_poll(rt, 0) > 0)
		;
}

void rt_flush(struct runtime *rt)
{
	FILE *out = rt->out ? rt->out : stdout;

	if (fflush(out) != 0 || ferror(out))
		rt_out_failed(rt, out, errno);
}

/* The MAPK_LOST counters (LOST_*): n of them into sums, read from the
 * one value of the array. Returns false when they cannot be read. */
static bool rt_lost_counters(const struct map_def *def, unsigned long long *sums,
			     uint32_t n)
{
	uint32_t key = 0, have = LOST_COUNTERS(def);
	uint64_t *v;

	memset(sums, 0, n * sizeof(*sums));
	if (def->fd < 0 || !have)
		return false;
	v = calloc(have, sizeof(*v));
	if (!v)
		return false;
	bool ok = bpf_map_lookup_elem(def->fd, &key, v) == 0;

	for (uint32_t i = 0; ok && i < n && i < have; i++)
		sums[i] = v[i];
	free(v);
	return ok;
}

void rt_report_lost(struct runtime *rt)
{
	FILE *out = rt->out ? rt->out : stdout;
	const struct output_format *fmt = rt_output(rt);
	uint32_t n = rt->tab.lost ? LOST_COUNTERS(rt->tab.lost) : 0;
	unsigned long long *sums = calloc(n ? n : 1, sizeof(*sums));
	struct rt_loss l = { .kind = LOSS_EVENTS, .n = rt->lost_perf };

	if (!sums)
		return;
	if (n)
		rt_lost_counters(rt->tab.lost, sums, n);
	l.n += sums[LOST_EVENTS];
	if (l.n)
		fmt->loss(out, &l);
	if (rt->unread) {
		l = (struct rt_loss){ .kind = LOSS_UNREAD, .n = rt->unread };
		fmt->loss(out, &l);
	}
	for (int i = 0; i < rt->tab.nmaps && LOST_MAP(i) < n; i++) {
		const struct map_def *m = rt->tab.maps[i];

		if (!m || !sums[LOST_MAP(i)])
			continue;
		l = (struct rt_loss){ .kind = LOSS_MAP_FULL, .n = sums[LOST_MAP(i)],
				      .map = m->name, .limit = m->max_entries };
		fmt->loss(out, &l);
	}
	if (n > LOST_STACK && sums[LOST_STACK]) {
		l = (struct rt_loss){ .kind = LOSS_STACK, .n = sums[LOST_STACK] };
		fmt->loss(out, &l);
	}
	if (n > LOST_STR_CUT && sums[LOST_STR_CUT]) {
		l = (struct rt_loss){ .kind = LOSS_STR_CUT, .n = sums[LOST_STR_CUT],
				      .limit = rt->strlen };
		fmt->loss(out, &l);
	}
	free(sums);
}
