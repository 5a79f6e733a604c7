/* special.c - the BEGIN and END providers.
 *
 * They attach to nothing: the runtime runs their program once with
 * probe_inst_run (BPF_PROG_TEST_RUN), BEGIN before the other probes are
 * attached and END at exit before the maps are printed. A raw tracepoint
 * program is used because that type can be test-run with a context of
 * our choosing and may call the tracing helpers (printf output, maps).
 */
#include <strings.h>

#include "provider.h"

static int special_resolve(const struct provider *prov, struct probe *probe,
			   const char *rest, struct loc loc,
			   struct probe_inst ***tail)
{
	struct probe_inst *pi;

	/* rest is the whole spec: provider_find matched its prefix only. */
	if (strcasecmp(rest, prov->name) != 0) {
		diag_error(loc, "'%s' takes no arguments: write '%s'", prov->name,
			   prov->name);
		return -1;
	}
	pi = probe_inst_new(prov, probe, prov->name, loc);
	if (!pi) {
		diag_error(loc, "out of memory");
		return -1;
	}
	**tail = pi;
	*tail = &pi->next;
	return 0;
}

static int special_attach(struct probe_inst *pi)
{
	return 0;
}

const struct provider provider_begin = {
	.name = "BEGIN",
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.when = PROBE_BEGIN,
	.resolve = special_resolve,
	.attach = special_attach,
};

const struct provider provider_end = {
	.name = "END",
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.when = PROBE_END,
	.resolve = special_resolve,
	.attach = special_attach,
};
