/* profile.c - profile: timed sampling on every CPU (being written: this stub only refuses). */
#include "provider.h"

static int profile_stub_resolve(const struct provider *prov, struct probe *probe,
			  const char *rest, struct loc loc, struct probe_inst ***tail)
{
	diag_error(loc, "%s probes are not supported yet", prov->name);
	return -1;
}

static const char *const profile_aliases[] = { "p", NULL };
const struct provider provider_profile = {
	.name = "profile",
	.aliases = profile_aliases,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.when = PROBE_EVENT,
	.resolve = profile_stub_resolve,
};
