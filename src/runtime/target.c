/* target.c - the target of the running kernel: its features probed once,
 * the build machine's register layout, and the symbol lookups the
 * compiler makes through the target (kaddr, uaddr), answered from
 * /proc/kallsyms and the probed binaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sys/elfsyms.h"
#include "../sys/kallsyms.h"
#include "runtime.h"

/* kaddr("sym"): the first symbol of that name in kallsyms. */
static int kernel_sym(const struct target *t, const char *name,
		      uint64_t *addr, char *err, size_t len)
{
	if (ksym_addr_file(t->kallsyms, name, addr))
		return 0;
	snprintf(err, len, "kernel symbol '%s' not found in %s", name,
		 t->kallsyms ? t->kallsyms : "/proc/kallsyms");
	return -1;
}

/* uaddr("sym"): its link-time address, moved to where -p PID maps the
 * file when it is position-independent. */
static int user_sym(const struct target *t, const char *path, const char *name,
		    uint64_t *addr, char *err, size_t len)
{
	unsigned long long vaddr, load, base;
	bool pie;

	if (elf_sym_lookup(path, name, &vaddr, &load, &pie) < 0) {
		snprintf(err, len, "no symbol '%s' in %s", name, path);
		return -1;
	}
	if (pie) {
		if (!t->pid) {
			snprintf(err, len, "%s is position-independent: uaddr(\"%s\") needs -p PID to know where it is loaded",
				 path, name);
			return -2;
		}
		if (elf_map_base(t->pid, path, &base) < 0) {
			snprintf(err, len, "process %d has not mapped %s: uaddr(\"%s\") has no address there",
				 t->pid, path, name);
			return -2;
		}
		vaddr = vaddr - load + base;
	}
	*addr = vaddr;
	return 0;
}

void target_lookups(struct target *t)
{
	t->kernel_sym = kernel_sym;
	t->user_sym = user_sym;
}

/* Each probe tries the feature once and remembers the answer. */
static bool kernel_probe(enum target_feature f)
{
	switch (f) {
	case TF_RINGBUF:
		return rt_have_ringbuf();
	case TF_COMPAT_READ:
		return rt_have_compat_read();
	case TF_FOR_EACH:
		return rt_have_for_each();
	case TF_PERCPU_LOOKUP:
		return rt_have_percpu_lookup();
	case TF_COUNT:
		break;
	}
	return false;
}

void target_from_kernel(struct target *t)
{
	*t = target_default();
	memset(t->have, -1, sizeof(t->have));
	t->probe = kernel_probe;
	target_lookups(t);
}
