/* profile.c - the profile provider: timed sampling on every online CPU,
 * alias "p".
 *
 *   profile:hz:N  profile:s:N  profile:ms:N  profile:us:N   (bpftrace)
 *   profile:Nhz   profile:N (hz)   profile:C:Nhz (CPU C only)   (ply)
 *
 * A cpu-clock software event per CPU drives it: hrtimer based, so it
 * needs no hardware PMU and samples idle CPUs too. A frequency is passed
 * to the kernel as one (freq = 1), as bpftrace and perf do; the other
 * units become a period in nanoseconds.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>

#include "perf.h"

#define NSEC_PER_SEC 1000000000ULL

static const struct profile_unit {
	const char *name;
	unsigned long long ns; /* per N; 0 for hz */
} profile_units[] = {
	{ "hz", 0 },
	{ "ms", 1000000ULL },
	{ "s", NSEC_PER_SEC },
	{ "us", 1000ULL },
};

#define PROFILE_EXPECTED                                                   \
	"expected 'profile:UNIT:N' with UNIT hz, s, ms or us and N >= 1, " \
	"or 'profile:Nhz'"

/* Decimal digits s[0..len) into *n; false when empty or too big. */
static bool profile_number(const char *s, size_t len, unsigned long long *n)
{
	*n = 0;
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d = s[i] - '0';

		if (!isdigit((unsigned char)s[i]) || *n > ((~0ULL >> 1) - d) / 10)
			return false;
		*n = *n * 10 + d;
	}
	return true;
}

static const struct profile_unit *profile_find_unit(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(profile_units) / sizeof(profile_units[0]); i++)
		if (strlen(profile_units[i].name) == len &&
		    strncmp(profile_units[i].name, s, len) == 0)
			return &profile_units[i];
	return NULL;
}

/* The kernel refuses frequencies above this (EINVAL); say so up front. */
static unsigned long long profile_max_rate(void)
{
	unsigned long long rate = 0;
	FILE *f = fopen("/proc/sys/kernel/perf_event_max_sample_rate", "re");

	if (f) {
		if (fscanf(f, "%llu", &rate) != 1)
			rate = 0;
		fclose(f);
	}
	return rate;
}

/* Parse rest into pp and the canonical spec. Returns 0, or -1 after
 * reporting at loc. */
static int profile_parse(const char *rest, struct loc loc,
			 struct perf_priv *pp, char *spec, size_t size)
{
	const char *orig = rest, *colon = strchr(rest, ':');
	const char *num, *uname;
	size_t nlen, ulen;
	const struct profile_unit *u;
	unsigned long long n, cpu;
	int cpu_chars = 0;

	pp->type = PERF_TYPE_SOFTWARE;
	pp->config = PERF_COUNT_SW_CPU_CLOCK;
	pp->cpu = -1;

	if (colon && strspn(rest, "0123456789") == (size_t)(colon - rest) &&
	    colon > rest) {
		/* ply's "profile:C:Nhz": one CPU */
		if (!profile_number(rest, colon - rest, &cpu) || cpu >= 65536) {
			diag_error(loc, "bad CPU in 'profile:%s'", orig);
			return -1;
		}
		pp->cpu = (int)cpu;
		cpu_chars = (int)(colon - rest);
		rest = colon + 1;
		colon = strchr(rest, ':');
	}
	if (colon && !cpu_chars) {
		uname = rest;
		ulen = colon - rest;
		num = colon + 1;
		nlen = strlen(num);
	} else if (!colon) {
		/* ply: the number first, then the unit; no unit is hz */
		num = rest;
		nlen = strspn(rest, "0123456789");
		uname = rest + nlen;
		ulen = strlen(uname);
		if (!ulen) {
			uname = "hz";
			ulen = 2;
		}
	} else {
		diag_error(loc, "bad profile probe 'profile:%s': " PROFILE_EXPECTED,
			   orig);
		return -1;
	}

	u = profile_find_unit(uname, ulen);
	if (!u) {
		diag_error(loc, "bad profile unit '%.*s' in 'profile:%s': " PROFILE_EXPECTED,
			   (int)ulen, uname, orig);
		return -1;
	}
	if (!profile_number(num, nlen, &n)) {
		diag_error(loc, "bad profile probe 'profile:%s': " PROFILE_EXPECTED,
			   orig);
		return -1;
	}
	if (n == 0) {
		diag_error(loc, "bad profile probe 'profile:%s': N must be at least 1",
			   orig);
		return -1;
	}
	if (u->ns) {
		if (n > (~0ULL >> 1) / u->ns) {
			diag_error(loc, "profile period 'profile:%s' is too long",
				   orig);
			return -1;
		}
		pp->period = n * u->ns;
		pp->freq = false;
	} else {
		unsigned long long max = profile_max_rate();

		if (max && n > max) {
			diag_error(loc,
				   "'profile:%s' is too frequent: this kernel samples at most %llu times a second (kernel.perf_event_max_sample_rate)",
				   orig, max);
			return -1;
		}
		pp->period = n;
		pp->freq = true;
	}
	/* One spelling for both dialects in dumps and the probe builtin. */
	if (pp->cpu >= 0)
		snprintf(spec, size, "profile:%d:%llu%s", pp->cpu, n, u->name);
	else
		snprintf(spec, size, "profile:%s:%llu", u->name, n);
	return 0;
}

static int profile_resolve(const struct provider *prov, struct probe *probe,
			   const char *rest, struct loc loc,
			   struct probe_inst ***tail)
{
	struct perf_priv pp;
	char spec[96];

	if (profile_parse(rest, loc, &pp, spec, sizeof(spec)) < 0)
		return -1;
	return perf_inst_add(prov, probe, spec, loc, &pp, tail);
}

/* bpftrace -l prints no profile probes; ours shows the units. */
static void profile_list(const struct provider *prov, const char *pattern,
			 bool verbose, FILE *out)
{
	for (size_t i = 0; i < sizeof(profile_units) / sizeof(profile_units[0]); i++) {
		char spec[32];
		int len = snprintf(spec, sizeof(spec), "profile:%s:",
				   profile_units[i].name);

		if (!pattern || provider_glob(pattern, spec) ||
		    provider_glob(pattern, strndupa(spec, len - 1)))
			fprintf(out, "%s\n", spec);
	}
}

static const char *const profile_aliases[] = { "p", NULL };

const struct provider provider_profile = {
	.name = "profile",
	.aliases = profile_aliases,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.when = PROBE_EVENT,
	.resolve = profile_resolve,
	.attach = perf_attach,
	.free = perf_free,
	.list = profile_list,
};
