/* software.c - software and hardware perf events (being written: this stub only refuses). */
#include "provider.h"

static int perf_stub_resolve(const struct provider *prov, struct probe *probe,
			  const char *rest, struct loc loc, struct probe_inst ***tail)
{
	diag_error(loc, "%s probes are not supported yet", prov->name);
	return -1;
}

static const char *const software_aliases[] = { "s", NULL };
const struct provider provider_software = {
	.name = "software",
	.aliases = software_aliases,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.when = PROBE_EVENT,
	.resolve = perf_stub_resolve,
};

static const char *const hardware_aliases[] = { "h", NULL };
const struct provider provider_hardware = {
	.name = "hardware",
	.aliases = hardware_aliases,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.when = PROBE_EVENT,
	.resolve = perf_stub_resolve,
};
