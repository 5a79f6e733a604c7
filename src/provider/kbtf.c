/* kbtf.c - the kernel's BTF as the fentry/fexit and rawtracepoint
 * providers use it (see kbtf.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "kbtf.h"
#include "provider.h"
#include "../lang/ctype.h"
#include "../sys/btf.h"

#define KBTF_DIR "/sys/kernel/btf"

struct btf *kbtf_kernel(const char **why)
{
	struct btf *b;
	const char *env = getenv("WISP_BTF");
	static char buf[400];
	static struct btf *file_btf;

	/* a described kernel's (--target with a btf key) */
	if (provider_btf_file) {
		if (!file_btf)
			file_btf = btf_open(provider_btf_file, NULL, buf, sizeof(buf));
		*why = buf;
		return file_btf;
	}
	errno = 0;
	b = btf_kernel();
	if (b)
		return b;
	if (env && !strcmp(env, "none"))
		*why = "WISP_BTF=none says to use no BTF";
	else if (access(KBTF_DIR "/vmlinux", F_OK) != 0)
		*why = "this kernel has no BTF (no " KBTF_DIR "/vmlinux: it was built without CONFIG_DEBUG_INFO_BTF)";
	else {
		snprintf(buf, sizeof(buf), "the kernel's BTF (" KBTF_DIR "/vmlinux) cannot be read: %s",
			 strerror(errno ? errno : EIO));
		*why = buf;
	}
	return NULL;
}

static int kbtf_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int kbtf_modules(char ***names, size_t *n)
{
	DIR *d = opendir(KBTF_DIR);
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (provider_btf_file) { /* a described kernel has no modules */
		if (d)
			closedir(d);
		return 0;
	}
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "vmlinux"))
			continue;
		if (*n == cap) {
			char **nn = realloc(*names, (cap = cap * 2 + 32) * sizeof(*nn));

			if (!nn)
				break;
			*names = nn;
		}
		if (((*names)[*n] = strdup(de->d_name)))
			(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), kbtf_cmp);
	return 0;
}

struct btf *kbtf_module(const char *name)
{
	return provider_btf_file ? NULL : btf_module(name);
}

void kbtf_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The module BTF fds found so far. */
static struct kbtf_fd {
	char *module;
	int fd;
	struct kbtf_fd *next;
} *kbtf_fds;

int kbtf_module_fd(const char *module)
{
	uint32_t id = 0;

	for (struct kbtf_fd *k = kbtf_fds; k; k = k->next)
		if (!strcmp(k->module, module))
			return k->fd;
	/* Module BTF objects have names (and kernel_btf) from 5.11 on;
	 * kernels before have no module BTF at all. */
	while (bpf_btf_get_next_id(id, &id) == 0) {
		struct bpf_btf_info info;
		uint32_t len = sizeof(info);
		char name[64] = "";
		int fd = bpf_btf_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.name = (uint64_t)(uintptr_t)name;
		info.name_len = sizeof(name);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
		    info.kernel_btf && !strcmp(name, module)) {
			struct kbtf_fd *k = calloc(1, sizeof(*k));

			if (!k || !(k->module = strdup(module))) {
				free(k);
				close(fd);
				errno = ENOMEM;
				return -1;
			}
			k->fd = fd;
			k->next = kbtf_fds;
			kbtf_fds = k;
			return fd;
		}
		close(fd);
	}
	if (errno != EPERM && errno != EACCES)
		errno = ENOENT;
	return -1;
}

struct ctype *kbtf_args_struct(const struct ctype *proto, unsigned skip,
			       const struct ctype *names_from, const char *name,
			       unsigned *nslots, unsigned **offs)
{
	const struct cmember *m, *nm = NULL;
	unsigned n, nn = 0, slot = 0;
	struct ctype *s;

	*nslots = 0;
	if (offs)
		*offs = NULL;
	m = ctype_members(proto, &n);
	if (names_from)
		nm = ctype_members(names_from, &nn);
	s = ctype_new(CT_STRUCT, name, 0);
	if (!s)
		return NULL;
	if (offs && n > skip && !(*offs = calloc(n - skip, sizeof(**offs)))) {
		ctype_free(s);
		return NULL;
	}
	for (unsigned i = skip; i < n; i++) {
		const struct ctype *t = m[i].type;
		unsigned size = ctype_resolve(t)->size, k = i - skip;
		const char *pname = m[i].name;
		char argn[16];

		if ((!pname || !*pname) && nm && i < nn && nm[i].name && *nm[i].name)
			pname = nm[i].name;
		if (!pname || !*pname) {
			snprintf(argn, sizeof(argn), "arg%u", k);
			pname = argn;
		}
		if (ctype_add_member(s, pname, t, slot * 8, 0, 0)) {
			ctype_free(s);
			if (offs) {
				free(*offs);
				*offs = NULL;
			}
			return NULL;
		}
		if (offs)
			(*offs)[k] = slot * 8;
		slot += size > 8 ? (size + 7) / 8 : 1;
	}
	s->size = slot * 8;
	*nslots = slot;
	return s;
}

bool kbtf_same_params(const struct ctype *a, unsigned skip_a,
		      const struct ctype *b, unsigned skip_b)
{
	const struct cmember *ma, *mb;
	unsigned na, nb;

	ma = ctype_members(a, &na);
	mb = ctype_members(b, &nb);
	if (na < skip_a || nb < skip_b || na - skip_a != nb - skip_b)
		return false;
	for (unsigned i = 0; i < na - skip_a; i++)
		if (ma[skip_a + i].type != mb[skip_b + i].type)
			return false;
	return true;
}

void kbtf_print_args(const struct ctype *args, const struct ctype *ret,
		     FILE *out)
{
	const struct cmember *m;
	unsigned n;
	char buf[256];

	m = args ? ctype_members(args, &n) : NULL;
	for (unsigned i = 0; m && i < n; i++)
		fprintf(out, "    %s %s\n", ctype_name(m[i].type, buf, sizeof(buf)),
			m[i].name);
	if (ret && ctype_resolve(ret)->kind != CT_VOID)
		fprintf(out, "    %s retval\n", ctype_name(ret, buf, sizeof(buf)));
}
