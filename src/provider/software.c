/* software.c - the software and hardware perf event providers:
 * "software:EVENT[:COUNT]" (alias "s") and "hardware:EVENT[:COUNT]"
 * (alias "h"), with bpftrace's event names, aliases and default counts;
 * and the per-CPU attachment that profile.c shares (perf.h).
 *
 * The program runs every COUNT events on each online CPU, in whatever
 * task caused them. Hardware events need a PMU, which virtual machines
 * often lack: that is reported as such, not as a bare ENOENT.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "perf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct perf_event_def {
	const char *name;
	const char *alias;         /* NULL when none */
	unsigned long long config;
	unsigned long long count;  /* bpftrace's default COUNT */
};

/* Sorted by name: -l prints in table order. "migrations" is perf's alias,
 * which bpftrace lacks. */
static const struct perf_event_def perf_sw_events[] = {
	{ "alignment-faults", NULL, PERF_COUNT_SW_ALIGNMENT_FAULTS, 1 },
	{ "bpf-output", NULL, PERF_COUNT_SW_BPF_OUTPUT, 1 },
	{ "context-switches", "cs", PERF_COUNT_SW_CONTEXT_SWITCHES, 1000 },
	{ "cpu-clock", "cpu", PERF_COUNT_SW_CPU_CLOCK, 1000000 },
	{ "cpu-migrations", "migrations", PERF_COUNT_SW_CPU_MIGRATIONS, 1 },
	{ "dummy", NULL, PERF_COUNT_SW_DUMMY, 1 },
	{ "emulation-faults", NULL, PERF_COUNT_SW_EMULATION_FAULTS, 1 },
	{ "major-faults", NULL, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1 },
	{ "minor-faults", NULL, PERF_COUNT_SW_PAGE_FAULTS_MIN, 100 },
	{ "page-faults", "faults", PERF_COUNT_SW_PAGE_FAULTS, 100 },
	{ "task-clock", NULL, PERF_COUNT_SW_TASK_CLOCK, 1 },
};

static const struct perf_event_def perf_hw_events[] = {
	{ "backend-stalls", NULL, PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 1000000 },
	{ "branch-instructions", "branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 100000 },
	{ "branch-misses", NULL, PERF_COUNT_HW_BRANCH_MISSES, 100000 },
	{ "bus-cycles", NULL, PERF_COUNT_HW_BUS_CYCLES, 100000 },
	{ "cache-misses", NULL, PERF_COUNT_HW_CACHE_MISSES, 1000000 },
	{ "cache-references", NULL, PERF_COUNT_HW_CACHE_REFERENCES, 1000000 },
	{ "cpu-cycles", "cycles", PERF_COUNT_HW_CPU_CYCLES, 1000000 },
	{ "frontend-stalls", NULL, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 1000000 },
	{ "instructions", NULL, PERF_COUNT_HW_INSTRUCTIONS, 1000000 },
	{ "ref-cycles", NULL, PERF_COUNT_HW_REF_CPU_CYCLES, 1000000 },
};

/* ---- CPUs ---- */

int perf_parse_cpus(const char *text, int **cpus)
{
	const char *p = text;
	int *list = NULL, n = 0, cap = 0;

	*cpus = NULL;
	while (*p && *p != '\n') {
		long lo, hi;
		char *end;

		if (!isdigit((unsigned char)*p))
			goto bad;
		lo = strtol(p, &end, 10);
		hi = lo;
		p = end;
		if (*p == '-') {
			if (!isdigit((unsigned char)p[1]))
				goto bad;
			hi = strtol(p + 1, &end, 10);
			p = end;
		}
		/* A bound keeps a corrupt list from allocating gigabytes. */
		if (hi < lo || hi >= 65536)
			goto bad;
		for (long c = lo; c <= hi; c++) {
			if (n == cap) {
				int ncap = cap ? cap * 2 : 16;
				int *nl = realloc(list, ncap * sizeof(*nl));

				if (!nl)
					goto bad;
				list = nl;
				cap = ncap;
			}
			list[n++] = (int)c;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			goto bad;
	}
	if (!n)
		goto bad;
	*cpus = list;
	return n;
bad:
	free(list);
	return -1;
}

int perf_online_cpus(int **cpus)
{
	char buf[4096];
	ssize_t len = -1;
	long nprocs;
	int fd, n;

	fd = open("/sys/devices/system/cpu/online", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (len > 0) {
		buf[len] = '\0';
		n = perf_parse_cpus(buf, cpus);
		if (n > 0)
			return n;
	}
	/* No sysfs (an early initramfs): assume every configured CPU. */
	nprocs = sysconf(_SC_NPROCESSORS_ONLN);
	if (nprocs < 1)
		nprocs = 1;
	*cpus = malloc(nprocs * sizeof(**cpus));
	if (!*cpus)
		return -1;
	for (long i = 0; i < nprocs; i++)
		(*cpus)[i] = (int)i;
	return (int)nprocs;
}

/* ---- attaching ---- */

static int perf_open(unsigned type, unsigned long long config, int cpu)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = type,
		.config = config,
		.sample_period = 1000000,
		.disabled = 1,
	};
	int fd = syscall(__NR_perf_event_open, &attr, -1, cpu, -1,
			 PERF_FLAG_FD_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? errno : 0;
}

static bool perf_no_pmu_error(int err)
{
	return err == ENOENT || err == EOPNOTSUPP || err == ENODEV;
}

/* A hardware event that cannot be opened: say whether the machine has no
 * PMU at all (virtual machines) or the PMU lacks this one event, rather
 * than leave the user with "No such file or directory". Returns 0 when
 * the event opens. */
static int perf_check_hardware(struct probe_inst *pi,
			       const struct perf_priv *pp, int cpu)
{
	const char *colon = strrchr(pi->spec, ':');
	int len = colon ? (int)(colon - pi->spec) : (int)strlen(pi->spec);
	int err = perf_open(pp->type, pp->config, cpu);

	if (!perf_no_pmu_error(err))
		return 0; /* opened, or an error the attach reports itself */
	if (pp->config == PERF_COUNT_HW_CPU_CYCLES ||
	    perf_no_pmu_error(perf_open(PERF_TYPE_HARDWARE,
					PERF_COUNT_HW_CPU_CYCLES, cpu)))
		diag_error(pi->loc,
			   "%.*s: this machine has no hardware PMU (perf_event_open: %s)",
			   len, pi->spec, strerror(err));
	else
		diag_error(pi->loc,
			   "%.*s: the hardware PMU of this machine does not count this event (perf_event_open: %s)",
			   len, pi->spec, strerror(err));
	return -1;
}

int perf_attach(struct probe_inst *pi)
{
	const struct perf_priv *pp = pi->priv;
	struct perf_event_attr attr = {
		.type = pp->type,
		.config = pp->config,
		.freq = pp->freq,
	};
	int *cpus = NULL, ncpus, ret = 0;

	if (pp->freq)
		attr.sample_freq = pp->period;
	else
		attr.sample_period = pp->period;

	if (pp->cpu >= 0) {
		cpus = malloc(sizeof(*cpus));
		ncpus = cpus ? 1 : -1;
		if (cpus)
			cpus[0] = pp->cpu;
	} else {
		ncpus = perf_online_cpus(&cpus);
	}
	if (ncpus < 0) {
		diag_error(pi->loc, "cannot attach '%s': out of memory", pi->spec);
		return -1;
	}
	if (pp->type == PERF_TYPE_HARDWARE &&
	    perf_check_hardware(pi, pp, cpus[0]) < 0) {
		free(cpus);
		return -1;
	}
	/* provider_perf_attach closes every fd of pi when one CPU fails:
	 * a probe is attached on all CPUs or on none. */
	for (int i = 0; i < ncpus && ret == 0; i++)
		ret = provider_perf_attach(pi, &attr, cpus[i]);
	free(cpus);
	return ret;
}

int perf_inst_add(const struct provider *prov, struct probe *probe,
		  const char *spec, struct loc loc,
		  const struct perf_priv *pp, struct probe_inst ***tail)
{
	struct perf_priv *copy = malloc(sizeof(*copy));
	struct probe_inst *pi = copy ? probe_inst_new(prov, probe, spec, loc) : NULL;

	if (!pi) {
		free(copy);
		diag_error(loc, "out of memory");
		return -1;
	}
	*copy = *pp;
	pi->priv = copy;
	**tail = pi;
	*tail = &pi->next;
	return 0;
}

void perf_free(struct probe_inst *pi)
{
	free(pi->priv);
	pi->priv = NULL;
}

/* ---- software:EVENT[:COUNT], hardware:EVENT[:COUNT] ---- */

static void perf_events_of(const struct provider *prov,
			   const struct perf_event_def **defs, size_t *n,
			   unsigned *type)
{
	if (prov == &provider_hardware) {
		*defs = perf_hw_events;
		*n = ARRAY_SIZE(perf_hw_events);
		*type = PERF_TYPE_HARDWARE;
	} else {
		*defs = perf_sw_events;
		*n = ARRAY_SIZE(perf_sw_events);
		*type = PERF_TYPE_SOFTWARE;
	}
}

static void perf_unknown_event(const struct provider *prov, const char *name,
			       struct loc loc)
{
	const struct perf_event_def *defs;
	const char *names[2 * ARRAY_SIZE(perf_hw_events) +
			  2 * ARRAY_SIZE(perf_sw_events)];
	size_t n, nn = 0;
	unsigned type;
	const char *best;

	perf_events_of(prov, &defs, &n, &type);
	for (size_t i = 0; i < n; i++) {
		names[nn++] = defs[i].name;
		if (defs[i].alias)
			names[nn++] = defs[i].alias;
	}
	best = diag_closest(name, names, nn);
	if (best)
		diag_error(loc, "unknown %s event '%s'; did you mean '%s'?",
			   prov->name, name, best);
	else
		diag_error(loc, "unknown %s event '%s' (wisp -l '%s:*' lists them)",
			   prov->name, name, prov->name);
}

/* COUNT: decimal, at least 1, below 2^63 (the kernel rejects periods with
 * the top bit set). */
static bool perf_parse_count(const char *s, unsigned long long *count)
{
	unsigned long long n = 0;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return false;
	for (; *s; s++) {
		unsigned d = *s - '0';

		if (n > ((~0ULL >> 1) - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*count = n;
	return n >= 1;
}

static int perf_event_resolve(const struct provider *prov,
			      struct probe *probe, const char *rest,
			      struct loc loc, struct probe_inst ***tail)
{
	const struct perf_event_def *defs;
	const char *colon = strchr(rest, ':');
	char *name = strndup(rest, colon ? (size_t)(colon - rest) : strlen(rest));
	bool wild, have_count = colon && colon[1];
	unsigned long long count = 0;
	struct perf_priv pp = { .cpu = -1 };
	int matched = 0, ret = 0;
	size_t n;

	if (!name) {
		diag_error(loc, "out of memory");
		return -1;
	}
	perf_events_of(prov, &defs, &n, &pp.type);
	if (!*name) {
		diag_error(loc, "bad %s probe '%s:%s': expected '%s:EVENT[:COUNT]'",
			   prov->name, prov->name, rest, prov->name);
		goto fail;
	}
	if (have_count && !perf_parse_count(colon + 1, &count)) {
		diag_error(loc, "bad count '%s' in '%s:%s': expected a number from 1 up",
			   colon + 1, prov->name, rest);
		goto fail;
	}
	/* "software:*faults" probes every event whose name matches; aliases
	 * are not matched, or events would be probed twice. */
	wild = strpbrk(name, "*?") != NULL;
	for (size_t i = 0; i < n && ret == 0; i++) {
		const struct perf_event_def *d = &defs[i];
		const char *written;
		char spec[128];

		if (wild) {
			if (!provider_glob(name, d->name))
				continue;
			written = d->name;
		} else if (strcmp(name, d->name) == 0 ||
			   (d->alias && strcmp(name, d->alias) == 0)) {
			/* the event as written: what the probe builtin shows,
			 * as in bpftrace */
			written = name;
		} else {
			continue;
		}
		pp.config = d->config;
		pp.period = have_count ? count : d->count;
		snprintf(spec, sizeof(spec), "%s:%s:%llu", prov->name, written,
			 pp.period);
		ret = perf_inst_add(prov, probe, spec, loc, &pp, tail);
		matched++;
	}
	if (ret < 0)
		goto fail;
	if (!matched) {
		if (wild)
			diag_error(loc, "no %s event matches '%s'", prov->name,
				   name);
		else
			perf_unknown_event(prov, name, loc);
		goto fail;
	}
	free(name);
	return 0;
fail:
	free(name);
	return -1;
}

static int perf_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* As bpftrace -l: "software:cpu-clock:", each name and alias, sorted. */
static void perf_event_list(const struct provider *prov, const char *pattern,
			    bool verbose, FILE *out)
{
	const struct perf_event_def *defs;
	const char *names[2 * ARRAY_SIZE(perf_hw_events) +
			  2 * ARRAY_SIZE(perf_sw_events)];
	size_t n, nn = 0;
	unsigned type;

	perf_events_of(prov, &defs, &n, &type);
	for (size_t i = 0; i < n; i++) {
		names[nn++] = defs[i].name;
		if (defs[i].alias)
			names[nn++] = defs[i].alias;
	}
	qsort(names, nn, sizeof(names[0]), perf_cmp_str);
	for (size_t i = 0; i < nn; i++) {
		char spec[128];

		int len = snprintf(spec, sizeof(spec), "%s:%s:", prov->name,
				   names[i]);

		/* "software:cpu-clock" selects "software:cpu-clock:" too */
		if (!pattern || provider_glob(pattern, spec) ||
		    provider_glob(pattern, strndupa(spec, len - 1)))
			fprintf(out, "%s\n", spec);
	}
}

static const char *const software_aliases[] = { "s", NULL };

const struct provider provider_software = {
	.name = "software",
	.aliases = software_aliases,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.when = PROBE_EVENT,
	.resolve = perf_event_resolve,
	.attach = perf_attach,
	.free = perf_free,
	.list = perf_event_list,
};

static const char *const hardware_aliases[] = { "h", NULL };

const struct provider provider_hardware = {
	.name = "hardware",
	.aliases = hardware_aliases,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.when = PROBE_EVENT,
	.resolve = perf_event_resolve,
	.attach = perf_attach,
	.free = perf_free,
	.list = perf_event_list,
};
