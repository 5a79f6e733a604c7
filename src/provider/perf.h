/* perf.h - what the perf-event sampling providers share (profile.c,
 * software.c): the online CPU list and one perf event per CPU.
 *
 * Sampling events count on the CPU they are opened on, unlike a
 * tracepoint whose program runs wherever it is hit, so profile, software
 * and hardware probes open one event per online CPU.
 */
#ifndef WISP_PERF_H
#define WISP_PERF_H

#include <stdbool.h>
#include "provider.h"

/* The priv of a profile, software or hardware instance. */
struct perf_priv {
	unsigned type;             /* PERF_TYPE_SOFTWARE, PERF_TYPE_HARDWARE */
	unsigned long long config; /* PERF_COUNT_SW_*, PERF_COUNT_HW_* */
	unsigned long long period; /* events (or ns of cpu-clock) per sample,
	                            * or samples per second when freq */
	bool freq;                 /* period is a frequency in hz */
	int cpu;                   /* the one CPU to sample (ply's
	                            * "profile:C:Nhz"), or -1 for all online */
};

/* The CPUs of a kernel CPU list ("0-3,8,10-11\n", as in
 * /sys/devices/system/cpu/online), ascending, in a malloc'd *cpus.
 * Returns how many, or -1 when the text is not such a list. */
int perf_parse_cpus(const char *text, int **cpus);

/* The online CPUs (all of 0..nprocs-1 when sysfs cannot tell). Returns
 * how many, or -1 when out of memory. */
int perf_online_cpus(int **cpus);

/* Attach pi (whose priv is a struct perf_priv) on its CPU or on every
 * online CPU. Returns 0, or -1 after printing why. */
int perf_attach(struct probe_inst *pi);

/* Append a new instance for spec with priv pp (copied) at *tail.
 * Returns 0, or -1 after reporting at loc. */
int perf_inst_add(const struct provider *prov, struct probe *probe,
		  const char *spec, struct loc loc,
		  const struct perf_priv *pp, struct probe_inst ***tail);

/* The provider free callback for a struct perf_priv. */
void perf_free(struct probe_inst *pi);

#endif
