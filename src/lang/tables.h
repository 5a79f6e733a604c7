/* tables.h - what a compiled program hands to the runtime: its maps, its
 * printf formats and event records, the constant strings events refer to.
 *
 * The compiler (sema, lower) fills the tables; the runtime creates the
 * maps and reads the records. A map's layout (key offsets and size, value
 * size, BPF map type, entries) is decided once, by tab_map_layout(): the
 * lowering and the runtime read it, never work it out again.
 */
#ifndef WISP_TABLES_H
#define WISP_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "type.h"

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
	MAPK_LOST,   /* array[1] of u64[n]: the loss counters (LOST_*) */
	MAPK_SCRATCH,/* per-CPU array[1]: a probe's buffers too big for the stack */
	MAPK_STACKS, /* BPF_MAP_TYPE_STACK_TRACE: the frames of kstack/ustack
	              * values (TYPE_STACK refers to it by map number) */
};

struct map_def {
	char *name;          /* as printed: "@bytes", "@" for the unnamed map */
	int index;           /* map number in the program's map table */
	enum map_kind kind;
	int nkeys;           /* 0 = keyless */
	bool keys_known;     /* the program used it once: nkeys and keys set */
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
/* The tables of one program. */
struct prog_tables {
	struct map_def **maps;  /* by map number */
	int nmaps;
	struct fmt_def **fmts;  /* by printf number */
	int nfmts;
	char **strs;            /* constant strings events refer to (time
	                         * formats, join delimiters) */
	int nstrs;
	struct map_def *output; /* the event channel */
	struct map_def *lost;   /* counter of dropped events */
	bool ringbuf;           /* output is a ring buffer (else perf array) */
	uint32_t map_keys;      /* entries of a keyed map: MAP_DEFAULT_ENTRIES
	                         * when 0 (WISP_MAP_KEYS_MAX, --map-keys) */
	bool streams;           /* probes send output per event (printf,
	                         * print(value), join, time, system): the
	                         * output buffer is made big */
};

/* Append a map named name of kind kind (fd -1, layout not yet decided). */
struct map_def *tab_map_add(struct prog_tables *t, const char *name,
			    enum map_kind kind, struct loc loc);
/* The first map of that kind, or NULL. */
struct map_def *tab_map_of_kind(const struct prog_tables *t, enum map_kind kind);
/* The index of str in t->strs, added when new. */
unsigned tab_str_add(struct prog_tables *t, const char *str);
/* Decide m's layout from its kind, keys and value type (and, for
 * MAPK_SCRATCH, the val_size the lowering asked for): key offsets,
 * key_size, val_size, bpf_type and max_entries. The output map's entries
 * (ring buffer bytes, perf buffer CPUs) are the runtime's to choose. */
void tab_map_layout(const struct prog_tables *t, struct map_def *m);

/* The MAPK_LOST counters count what the program could not do: events
 * the output map refused, str() reads that filled their buffer, stacks
 * the stack map could not keep (full, or a hash collision), and per map
 * the updates it refused (a full hash map). They are the u64s of the one
 * value of a BPF_MAP_TYPE_ARRAY of one element, counter i at byte 8 * i:
 * the program adds to one with an atomic add at an address it loads as
 * one 64-bit immediate (BPF_PSEUDO_MAP_VALUE), no lookup. Their number:
 * LOST_MAP(number of maps) at layout time, LOST_COUNTERS(m) after. */
#define LOST_EVENTS 0
#define LOST_STR_CUT 1
#define LOST_STACK 2
#define LOST_COUNTERS(m) ((m)->val_size / 8)
#define LOST_MAP(index) (3 + (index))
/* The most entries a map may be given. */
#define MAP_KEYS_MAX (1u << 24)
/* Buckets of one histogram group of a MAPK_HIST or MAPK_LHIST map: for
 * lhist, below min, the (max - min) / step steps (LHIST_MAX_STEPS at
 * most), then at or above max, as bpftrace counts them. */
unsigned map_hist_buckets(const struct map_def *m);
#define LHIST_MAX_STEPS (1 << 20)
/* Is m a BPF array (every element exists; keys are a u32 index)? */
bool map_is_array(const struct map_def *m);
void tab_free(struct prog_tables *t);

/* format.c: printf format strings. */
struct fmt_spec {
	char flags[6]; /* distinct flags of "-+ #0", NUL-terminated */
	int width;     /* -1: none */
	int prec;      /* -1: none */
	char conv;
};
/* Parse the conversion starting at the '%' at fmt[start] into *s; *end is
 * one past its last byte. On error returns -1 and, when err is not NULL,
 * sets *err to a malloc'd message. */
int fmt_parse_one(const char *fmt, size_t start, struct fmt_spec *s,
		  size_t *end, char **err);

#endif
