/* target.c - the target of the running kernel: its features probed once,
 * the build machine's register layout, and the symbol lookups the
 * compiler makes through the target (kaddr, uaddr), answered from
 * /proc/kallsyms and the probed binaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lang/ctype.h"
#include "../sys/btf.h"
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

/* A BTF file's types as a source; -1 when it cannot be read. */
static int add_file(const char *path, bool verbose)
{
	char err[320];
	struct btf *b = btf_open(path, NULL, err, sizeof(err));

	if (!b) {
		fprintf(stderr, "wisp: %s\n", err);
		return -1;
	}
	ctype_add_source(btf_source(b));
	if (verbose)
		fprintf(stderr, "wisp: types from %s\n", path);
	return 0;
}

int target_type_sources(const struct target *t, const char *file, bool kernel,
			bool verbose)
{
	struct btf *k;

	if (file && add_file(file, verbose))
		return -1;
	if (t->btf && add_file(t->btf, verbose))
		return -1;
	if (!kernel)
		return 0;
	if ((k = btf_kernel())) {
		ctype_add_source(btf_source(k));
		if (verbose)
			fprintf(stderr, "wisp: types from the kernel's BTF (%s)\n", btf_path(k));
	} else if (verbose) {
		const char *e = getenv("WISP_BTF");

		fprintf(stderr, "wisp: no kernel BTF (%s): only the program's own types%s\n",
			e && !strcmp(e, "none") ? "WISP_BTF=none" : "no /sys/kernel/btf/vmlinux",
			file || t->btf ? " and the files above" : "");
	}
	return 0;
}
