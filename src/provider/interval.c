/* interval.c - the interval provider: "interval:UNIT:N" (bpftrace, UNIT
 * s, ms, us or hz), ply's "interval:Ns", "interval:Nms", "interval:Nus",
 * alias "i".
 *
 * The program runs on one CPU every period, driven by a cpu-clock
 * software perf event on CPU 0 (hrtimer based, so it fires on an idle CPU
 * too and needs no hardware PMU).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>

#include "provider.h"

#define NSEC_PER_SEC 1000000000ULL

struct interval_priv {
	unsigned long long period_ns;
};

static const struct interval_unit {
	const char *name;
	unsigned long long ns; /* per N; 0 for hz, where N divides a second */
	bool ply;              /* also spelled "Nunit" as in ply */
} interval_units[] = {
	{ "s", NSEC_PER_SEC, true },
	{ "ms", 1000000ULL, true },
	{ "us", 1000ULL, true },
	{ "hz", 0, false },
};

#define INTERVAL_EXPECTED                                                 \
	"expected 'interval:UNIT:N' with UNIT s, ms, us or hz and N >= 1, " \
	"or 'interval:Ns', 'interval:Nms', 'interval:Nus'"

/* Split rest into a unit and a count. Returns 0, or -1 after reporting. */
static int interval_split(const char *rest, struct loc loc,
			  const struct interval_unit **unit,
			  unsigned long long *count)
{
	const char *num, *uname;
	size_t nlen, ulen;
	bool ply = isdigit((unsigned char)rest[0]);
	unsigned long long n = 0;

	if (ply) {
		num = rest;
		nlen = strspn(rest, "0123456789");
		uname = rest + nlen;
		ulen = strlen(uname);
	} else {
		const char *colon = strchr(rest, ':');

		if (!colon) {
			diag_error(loc, "bad interval 'interval:%s': " INTERVAL_EXPECTED,
				   rest);
			return -1;
		}
		uname = rest;
		ulen = colon - rest;
		num = colon + 1;
		nlen = strlen(num);
		if (!nlen || strspn(num, "0123456789") != nlen) {
			diag_error(loc, "bad interval 'interval:%s': " INTERVAL_EXPECTED,
				   rest);
			return -1;
		}
	}

	*unit = NULL;
	for (size_t i = 0; i < sizeof(interval_units) / sizeof(interval_units[0]); i++) {
		const struct interval_unit *u = &interval_units[i];

		if (strlen(u->name) == ulen && strncmp(u->name, uname, ulen) == 0 &&
		    (!ply || u->ply))
			*unit = u;
	}
	if (!*unit) {
		diag_error(loc, "bad interval unit '%.*s' in 'interval:%s': " INTERVAL_EXPECTED,
			   (int)ulen, uname, rest);
		return -1;
	}

	for (size_t i = 0; i < nlen; i++) {
		unsigned d = num[i] - '0';

		if (n > (~0ULL - d) / 10) {
			diag_error(loc, "interval 'interval:%s' is too long", rest);
			return -1;
		}
		n = n * 10 + d;
	}
	if (n == 0) {
		diag_error(loc, "bad interval 'interval:%s': N must be at least 1",
			   rest);
		return -1;
	}
	*count = n;
	return 0;
}

static int interval_period(const char *rest, struct loc loc,
			   const struct interval_unit *u, unsigned long long n,
			   unsigned long long *period_ns)
{
	if (!u->ns) {
		if (n > NSEC_PER_SEC) {
			diag_error(loc, "interval 'interval:%s' is too frequent: at most %llu hz",
				   rest, NSEC_PER_SEC);
			return -1;
		}
		*period_ns = NSEC_PER_SEC / n;
		return 0;
	}
	/* The kernel rejects sample periods with the top bit set. */
	if (n > (~0ULL >> 1) / u->ns) {
		diag_error(loc, "interval 'interval:%s' is too long", rest);
		return -1;
	}
	*period_ns = n * u->ns;
	return 0;
}

int interval_parse(const char *rest, struct loc loc,
		   unsigned long long *period_ns)
{
	const struct interval_unit *u;
	unsigned long long n;

	if (interval_split(rest, loc, &u, &n) < 0)
		return -1;
	return interval_period(rest, loc, u, n, period_ns);
}

static int interval_resolve(const struct provider *prov, struct probe *probe,
			    const char *rest, struct loc loc,
			    struct probe_inst ***tail)
{
	const struct interval_unit *u;
	struct interval_priv *ip;
	struct probe_inst *pi;
	unsigned long long n, ns;
	char spec[64];

	if (interval_split(rest, loc, &u, &n) < 0 ||
	    interval_period(rest, loc, u, n, &ns) < 0)
		return -1;
	/* One spelling for both dialects in dumps and messages. */
	snprintf(spec, sizeof(spec), "interval:%s:%llu", u->name, n);
	ip = malloc(sizeof(*ip));
	pi = ip ? probe_inst_new(prov, probe, spec, loc) : NULL;
	if (!pi) {
		free(ip);
		diag_error(loc, "out of memory");
		return -1;
	}
	ip->period_ns = ns;
	pi->priv = ip;
	**tail = pi;
	*tail = &pi->next;
	return 0;
}

static int interval_attach(struct probe_inst *pi)
{
	const struct interval_priv *ip = pi->priv;
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = ip->period_ns,
		.freq = 0,
	};

	return provider_perf_attach(pi, &attr, 0);
}

static void interval_free(struct probe_inst *pi)
{
	free(pi->priv);
	pi->priv = NULL;
}

static int interval_cmp_unit(const void *a, const void *b)
{
	const struct interval_unit *ua = a, *ub = b;

	return strcmp(ua->name, ub->name);
}

/* bpftrace -l prints no interval probes; ours shows the units, sorted
 * like every other listing. */
static void interval_list(const struct provider *prov, const char *pattern,
			  bool verbose, FILE *out)
{
	struct interval_unit units[sizeof(interval_units) / sizeof(interval_units[0])];
	size_t n = sizeof(units) / sizeof(units[0]);

	memcpy(units, interval_units, sizeof(units));
	qsort(units, n, sizeof(units[0]), interval_cmp_unit);
	for (size_t i = 0; i < n; i++) {
		char spec[32];
		int len = snprintf(spec, sizeof(spec), "interval:%s:", units[i].name);

		/* "interval:s" selects "interval:s:" too */
		if (!pattern || provider_glob(pattern, spec) ||
		    provider_glob(pattern, strndupa(spec, len - 1)))
			fprintf(out, "%s\n", spec);
	}
}

static const char *const interval_aliases[] = { "i", NULL };

const struct provider provider_interval = {
	.name = "interval",
	.aliases = interval_aliases,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.timer = true,
	.when = PROBE_EVENT,
	.resolve = interval_resolve,
	.attach = interval_attach,
	.free = interval_free,
	.list = interval_list,
};
