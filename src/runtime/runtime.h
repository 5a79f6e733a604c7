/* runtime.h - what the compiler hands to the running tracer: the maps and
 * printf formats a program uses, the event record layout, and the runtime
 * that creates maps, reads events and prints maps at exit.
 */
#ifndef WISP_RUNTIME_H
#define WISP_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "../lang/diag.h"
#include "../lang/type.h"

#define MAP_MAX_KEYS 8
#define MAP_DEFAULT_ENTRIES 4096
#define JOIN_MAX 16     /* strings join() reads from an array */
#define HIST_BUCKETS 66 /* negative, 0, then [2^k, 2^(k+1)) for k = 0..63 */

enum map_kind {
	MAPK_VALUE,  /* @x = expr: plain value (BPF_MAP_TYPE_HASH) */
	MAPK_COUNT,  /* count(): per-CPU u64, summed when printed */
	MAPK_SUM,    /* sum(x): per-CPU s64/u64 */
	MAPK_HIST,   /* hist(x): per-CPU u64 per bucket; the key ends in a u64
	              * bucket index (0 = negative, 1 = zero, k+2 = [2^k, 2^(k+1)));
	              * keyless: a per-CPU array whose u32 index is the bucket */
	MAPK_AVG,    /* avg(x): per-CPU { u64 count; s64 sum; }, printed as
	              * sum / count (integer, truncated toward zero) */
	MAPK_STATS,  /* stats(x): same value as avg; printed as
	              * "count N, average N, total N" */
	MAPK_MIN,    /* min(x): per-CPU { s64 value; u64 seen; }: the minimum
	              * over the CPUs whose seen != 0 */
	MAPK_MAX,    /* max(x): same, the maximum */
	MAPK_LHIST,  /* lhist(x, min, max, step): like HIST, the key ends in a
	              * u64 bucket: 0 = below lhist_min, i = [lhist_min +
	              * (i-1)*step, lhist_min + i*step), the last (nbuckets-1)
	              * = at or above lhist_max */
	MAPK_OUTPUT, /* the event channel: BPF_MAP_TYPE_RINGBUF or PERF_EVENT_ARRAY */
	MAPK_LOST,   /* per-CPU array[1] of u64: events the output map dropped */
	MAPK_SCRATCH,/* per-CPU array[1]: a probe's buffers too big for the stack */
	MAPK_STACKS, /* BPF_MAP_TYPE_STACK_TRACE: the frames of kstack/ustack
	              * values (TYPE_STACK refers to it by map number) */
};

struct map_def {
	char *name;          /* as printed: "@bytes", "@" for the unnamed map */
	int index;           /* map number in the program's map table */
	enum map_kind kind;
	int nkeys;           /* 0 = keyless */
	struct type keys[MAP_MAX_KEYS];
	unsigned key_off[MAP_MAX_KEYS];
	unsigned key_size;   /* bytes, 8-byte aligned; HIST: includes the bucket */
	struct type val;     /* MAPK_VALUE: the value type; aggregations: the
	                      * type of the aggregated expression (sum: its sign) */
	unsigned val_size;   /* bytes of one (per-CPU) value */
	uint32_t bpf_type;   /* enum bpf_map_type */
	uint32_t max_entries;
	int64_t lhist_min, lhist_max, lhist_step; /* MAPK_LHIST */
	int fd;              /* -1 until created */
	struct loc loc;      /* first mention, for diagnostics */
	bool read, written;  /* seen read / written: unused-map warnings */
};

/* Event record: a u64 header whose low 32 bits are the event id, then the
 * payload at offset 8, each field at its natural alignment. */
enum {
	EVENT_EXIT = 1,   /* payload: s64 exit code */
	EVENT_PRINT = 2,  /* print(@m [, top [, div]]): payload u32 map number,
	                   * u32 top (0 = all entries), u32 div (0 or 1 = none:
	                   * values divided by div when printed) */
	EVENT_CLEAR = 3,  /* clear(@m): payload u32 map number: delete every key */
	EVENT_ZERO = 4,   /* zero(@m): payload u32 map number: every value to 0 */
	EVENT_TIME = 5,   /* time(fmt): payload u32 index in rt->strs: print the
	                   * local time with strftime(fmt) */
	EVENT_JOIN = 6,   /* join(argv[, delim]): payload u32 count, u32 index
	                   * of the delimiter in rt->strs, u32 slot size, u32
	                   * 0, then JOIN_MAX NUL-terminated strings of slot
	                   * size each; count of them are set */
	EVENT_PRINTF = 16 /* first printf id; printf n has id EVENT_PRINTF + n */
};

struct fmt_arg {
	struct type type; /* TYPE_INT (size 8 after widening) or TYPE_STR */
	unsigned off;     /* offset in the record */
};

struct fmt_def {
	int id;           /* event id */
	char *fmt;        /* format string, escapes already decoded */
	int nargs;
	struct fmt_arg *args;
	unsigned size;    /* record size in bytes, header included */
	struct loc loc;
	bool system;      /* system(): run the formatted text with /bin/sh -c
	                   * instead of printing it (only with --unsafe) */
	bool value;       /* print(value): "%v\n" of one value; in JSON a
	                   * "value" message with the value as JSON */
};

/* printf format strings. A conversion is "%[flags][width][.prec][length]conv"
 * with flags "-+ #0", length hh h l ll z j t (accepted and ignored: every
 * integer arrives as 64 bits) and conv one of d i u x X o c s p and %%. */
struct fmt_conv {
	size_t start, end; /* byte range in the format string, '%' to conv */
	char conv;         /* 'd', 'u', 'x', 's', ... ; '%' for "%%" */
};
/* Parse fmt; returns the number of conversions consuming an argument, or
 * -1 with *err set (malloc'd; *err_pos = byte offset) for a bad one.
 * *convs (malloc'd) lists every conversion including "%%". */
int fmt_parse(const char *fmt, struct fmt_conv **convs, int *nconvs,
	      char **err, size_t *err_pos);
/* Print one printf event record with its format to out. */
void fmt_print(FILE *out, const struct fmt_def *f, const void *record,
	       size_t size);

struct runtime {
	struct map_def **maps;  /* by map number */
	int nmaps;
	struct fmt_def **fmts;  /* by printf number */
	int nfmts;
	struct map_def *output; /* the event channel */
	struct map_def *lost;   /* counter of dropped events */
	bool ringbuf;           /* output is a ring buffer (else perf array) */
	bool streams;           /* probes send output per event (printf,
	                         * print(value), join, time, system): the
	                         * output buffer is made big */
	void *reader;           /* struct ring_buffer * / struct perf_buffer * */
	unsigned long long lost_perf; /* perf buffer's own lost count */
	char **strs;            /* constant strings events refer to (time formats) */
	int nstrs;
	bool json;              /* -f json: one JSON object per line */
	bool folded;            /* -f folded: maps keyed by a stack as
	                         * "frame;frame;frame count" lines */
	bool exit_requested;    /* an exit() event arrived: later events are
	                         * dropped unless ending */
	bool ending;            /* the END probes run: their events count */
	int exit_code;
	FILE *out;              /* stdout */
	uint64_t start_ns;      /* CLOCK_MONOTONIC when wisp started: elapsed */
	int cpid;               /* pid of the -c command, 0 without -c */
};

/* Append a map named name of kind kind to rt (fd -1, default sizes to be
 * filled by the caller). */
struct map_def *rt_map_add(struct runtime *rt, const char *name, enum map_kind kind);
/* Does the running kernel have BPF_MAP_TYPE_RINGBUF? (probed once) */
bool rt_have_ringbuf(void);
/* Create every map (fills fd). Returns 0 or -1 after printing why. */
int rt_maps_create(struct runtime *rt);
/* The BPF map type def is created as (set now when the compiler left it
 * unset), and the key and value sizes it is created with. */
uint32_t rt_map_type(struct map_def *def);
void rt_map_sizes(struct map_def *def, unsigned *key, unsigned *val);
/* Open the event reader on the output map. */
int rt_events_open(struct runtime *rt);
/* Wait up to timeout_ms for events and handle them (printf output,
 * exit). Returns the number handled or -1 on error; EINTR returns 0. */
int rt_events_poll(struct runtime *rt, int timeout_ms);
/* Report events lost in the kernel or the reader, if any, to stderr. */
void rt_report_lost(struct runtime *rt);
/* Print every printable map (every kind but OUTPUT and LOST),
 * bpftrace-style: counts/sums/values/avg/min/max sorted by value
 * ascending, histograms by key; as JSON objects when rt->json. */
void rt_print_maps(struct runtime *rt, FILE *out);
/* Print one map now (print(@m, top, div)): top > 0 keeps the top
 * entries (the largest, printed last), div > 1 divides values. */
void rt_print_map(struct runtime *rt, const struct map_def *m, unsigned top,
		  unsigned div, FILE *out);
/* clear(@m) / zero(@m) from user space. */
void rt_clear_map(struct runtime *rt, const struct map_def *m);
void rt_zero_map(struct runtime *rt, const struct map_def *m);
/* features.c: print what the running kernel offers (wisp --info), each
 * feature probed by trying it. Returns 0, or -1 when bpf() is unusable. */
int rt_print_info(FILE *out);
/* Does the architecture have the bpf_probe_read(_str) that reads user or
 * kernel memory (x86_64 does; some do not)? Probed once. */
bool rt_have_compat_read(void);
/* Does the kernel have bpf_map_lookup_percpu_elem (5.19+)? Probed once. */
bool rt_have_percpu_lookup(void);
/* Does the kernel have bpf_for_each_map_elem with callbacks (5.13+)? */
bool rt_have_for_each(void);
/* Close the reader and every map. */
void rt_close(struct runtime *rt);

#endif
