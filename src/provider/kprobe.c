/* kprobe.c - kprobe and kretprobe: kernel function entry and return (being written: this stub only refuses). */
#include "provider.h"

static int kprobe_stub_resolve(const struct provider *prov, struct probe *probe,
			  const char *rest, struct loc loc, struct probe_inst ***tail)
{
	diag_error(loc, "%s probes are not supported yet", prov->name);
	return -1;
}

static const char *const kprobe_aliases[] = { "k", NULL };
const struct provider provider_kprobe = {
	.name = "kprobe",
	.aliases = kprobe_aliases,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.when = PROBE_EVENT,
	.has_regs = true,
	.resolve = kprobe_stub_resolve,
};

static const char *const kretprobe_aliases[] = { "kr", NULL };
const struct provider provider_kretprobe = {
	.name = "kretprobe",
	.aliases = kretprobe_aliases,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.when = PROBE_EVENT,
	.has_regs = true,
	.is_return = true,
	.resolve = kprobe_stub_resolve,
};
