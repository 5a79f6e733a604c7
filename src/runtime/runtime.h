/* runtime.h - what the compiler hands to the running tracer: the maps and
 * printf formats a program uses, the event record layout, and the runtime
 * that creates maps, reads events and prints maps at exit.
 */
#ifndef WISP_RUNTIME_H
#define WISP_RUNTIME_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "../lang/tables.h"
#include "../lang/target.h"

struct output_format;

/* Print one printf event record with its format to out. */
void fmt_print(FILE *out, const struct fmt_def *f, const void *record,
	       size_t size);

struct runtime {
	struct prog_tables tab; /* the program's maps, formats and strings */
	void *reader;           /* struct ring_buffer * / struct perf_buffer * */
	unsigned long long lost_perf; /* perf buffer's own lost count */
	const struct output_format *fmt; /* -f (output.h); NULL: text */
	bool exit_requested;    /* an exit() event arrived: later events are
	                         * dropped unless ending */
	bool ending;            /* the END probes run: their events count */
	int exit_code;
	FILE *out;              /* stdout, or -o FILE */
	const char *out_name;   /* -o FILE, NULL: stdout (for messages) */
	int out_error;          /* errno of a failed write of out: tracing
	                         * ends (EPIPE: the reader went away) */
	/* set by a second signal: stop handling events now (NULL: never) */
	const volatile sig_atomic_t *quit;
	/* CLOCK_MONOTONIC ns after which the events still buffered are
	 * counted in unread, not printed (0: none): after a signal, what
	 * the probes sent before detaching is printed for a short while
	 * only, as the user asked to stop */
	uint64_t deadline_ns;
	unsigned long long unread;
	uint64_t start_ns;      /* CLOCK_MONOTONIC when wisp started: elapsed */
	int cpid;               /* pid of the -c command, 0 without -c */
	unsigned strlen;        /* bytes of a str() buffer */
};

/* Does the running kernel have BPF_MAP_TYPE_RINGBUF? (probed once) */
bool rt_have_ringbuf(void);
/* Create every map (fills fd). Returns 0 or -1 after printing why. */
int rt_maps_create(struct runtime *rt);
/* Open the event reader on the output map. */
int rt_events_open(struct runtime *rt);
/* Wait up to timeout_ms for events and handle them (printf output,
 * exit). Returns the number handled or -1 on error; EINTR returns 0.
 * One call handles at most a batch, so that a flood of events cannot
 * keep the caller from its stop flag; a failed write of the output
 * sets out_error. */
int rt_events_poll(struct runtime *rt, int timeout_ms);
/* Handle what the buffer holds, batch by batch, until it is empty, a quit
 * is asked for or the output fails. */
void rt_events_drain(struct runtime *rt);
/* Flush the output; a failed write sets out_error (EINTR, a signal
 * breaking into a write to a slow reader, does not). */
void rt_flush(struct runtime *rt);
/* Report events lost in the kernel or the reader, if any, as the output
 * format does. */
void rt_report_lost(struct runtime *rt);
/* Print every printable map (every kind but OUTPUT and LOST) in rt's
 * output format, bpftrace-style: counts/sums/values/avg/min/max sorted
 * by value ascending, histograms by key. */
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
/* target.c: the target of the running kernel (its features probed, the
 * build machine's architecture, the symbol lookups); target_lookups sets
 * only the lookups (a target read from a description). */
void target_from_kernel(struct target *t);
void target_lookups(struct target *t);
/* Install the sources of kernel types (ctype_add_source): file (--btf,
 * raw BTF or an ELF with .BTF) first, then t->btf, then, when kernel is
 * true, the running kernel's BTF (none with WISP_BTF=none). verbose: say
 * which on stderr. Returns 0, or -1 after saying why a file cannot be
 * read. */
int target_type_sources(const struct target *t, const char *file, bool kernel,
			bool verbose);
/* Close the reader and every map. */
void rt_close(struct runtime *rt);

#endif
