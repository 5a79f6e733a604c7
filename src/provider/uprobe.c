/* uprobe.c - uprobe and uretprobe: user function entry and return (being written: this stub only refuses). */
#include "provider.h"

static int uprobe_stub_resolve(const struct provider *prov, struct probe *probe,
			  const char *rest, struct loc loc, struct probe_inst ***tail)
{
	diag_error(loc, "%s probes are not supported yet", prov->name);
	return -1;
}

static const char *const uprobe_aliases[] = { "u", NULL };
const struct provider provider_uprobe = {
	.name = "uprobe",
	.aliases = uprobe_aliases,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.when = PROBE_EVENT,
	.has_regs = true,
	.user = true,
	.resolve = uprobe_stub_resolve,
};

static const char *const uretprobe_aliases[] = { "ur", NULL };
const struct provider provider_uretprobe = {
	.name = "uretprobe",
	.aliases = uretprobe_aliases,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.when = PROBE_EVENT,
	.has_regs = true,
	.is_return = true,
	.user = true,
	.resolve = uprobe_stub_resolve,
};
