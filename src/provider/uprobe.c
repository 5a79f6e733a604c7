/* uprobe.c - uprobe and uretprobe: user function entry and return.
 *
 *     uprobe:/path/to/bin:func    uprobe:/path:0x401136    uprobe:libc:str*
 *     uretprobe:bash:readline     uprobe:/path:func+4      (aliases u, ur)
 *
 * The target is a path, a program in $PATH or a library found as the
 * dynamic linker would (sys/libpath.c); functions come from the ELF symbol
 * tables (sys/elfsyms.c), one instance per function matched. Each attaches
 * through the perf uprobe PMU (path and file offset), so the kernel
 * removes the probe when wisp's fds close, however wisp ends. With -p
 * the event is bound to that process, so that the breakpoint is only
 * planted in its memory.
 *
 * args.NAME (args->NAME) of a uprobe are the function's parameters, named
 * and typed by the binary's DWARF (libdw): each is read from the register
 * the ABI passes it in, as a member of the args struct at that register's
 * offset in struct pt_regs.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>

#include "provider.h"
#include "uprobe.h"
#include "../sys/dwarf.h"

#define UPROBE_PMU_DIR "/sys/bus/event_source/devices/uprobe"
#define UPROBE_EXPECTED \
	"expected 'uprobe:PATH:FUNC', 'uprobe:LIBRARY:FUNC' or 'uprobe:PATH:0xADDRESS'"

struct uprobe_priv {
	char *path;                /* absolute: perf_event_open reads it */
	unsigned long long offset; /* in the file */
};

/* What a spec's rest says. */
struct uprobe_spec {
	char *target;              /* as written: "libc", "/bin/bash" */
	char *func;                /* name or glob; NULL for an address */
	unsigned long long addr;   /* "0x..." (virtual address) */
	unsigned long long plus;   /* "func+N" */
	bool has_plus;
};

static void uprobe_spec_free(struct uprobe_spec *us)
{
	free(us->target);
	free(us->func);
}

static bool uprobe_parse_num(const char *s, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

/* Split "target:func"; the last ':' separates, since a path may hold
 * one but a symbol name cannot. Returns 0, or -1 after reporting. */
static int uprobe_parse(const struct provider *prov, const char *rest,
			struct loc loc, struct uprobe_spec *us)
{
	const char *colon = strrchr(rest, ':');
	const char *fn;
	char *plus;

	memset(us, 0, sizeof(*us));
	if (!colon || colon == rest || !colon[1]) {
		diag_error(loc, "bad probe '%s:%s': " UPROBE_EXPECTED, prov->name,
			   rest);
		return -1;
	}
	fn = colon + 1;
	us->target = strndup(rest, colon - rest);
	if (!us->target)
		goto nomem;
	if (fn[0] == '0' && (fn[1] == 'x' || fn[1] == 'X')) {
		if (!uprobe_parse_num(fn, &us->addr)) {
			diag_error(loc, "bad address '%s' in '%s:%s'", fn,
				   prov->name, rest);
			goto fail;
		}
		return 0;
	}
	us->func = strdup(fn);
	if (!us->func)
		goto nomem;
	plus = strchr(us->func, '+');
	if (plus) {
		if (!uprobe_parse_num(plus + 1, &us->plus) ||
		    strpbrk(us->func, "*?")) {
			diag_error(loc, "bad offset '%s' in '%s:%s': expected FUNC+N",
				   plus, prov->name, rest);
			goto fail;
		}
		if (prov->is_return) {
			diag_error(loc, "'%s:%s': a return probe takes no offset",
				   prov->name, rest);
			goto fail;
		}
		*plus = '\0';
		us->has_plus = true;
	}
	return 0;
nomem:
	diag_error(loc, "out of memory");
fail:
	uprobe_spec_free(us);
	return -1;
}

/* The file of a target, as an absolute path. NULL after reporting. */
static char *uprobe_target_path(const struct provider *prov, const char *target,
				struct loc loc)
{
	char *path = lib_resolve_target(target, provider_target_pid);

	if (path)
		return path;
	if (strchr(target, '/'))
		diag_error(loc, "%s target '%s': %s", prov->name, target,
			   strerror(errno));
	else if (errno == ENOMEM)
		diag_error(loc, "out of memory");
	else
		diag_error(loc, "%s target '%s': no such program in $PATH, nor library in the ld.so cache or the standard directories",
			   prov->name, target);
	return NULL;
}

static int uprobe_load_syms(const struct provider *prov, const char *shown,
			    const char *path, struct loc loc,
			    struct elf_syms *syms)
{
	if (elf_syms_load(path, syms) == 0)
		return 0;
	if (errno == ENOEXEC)
		diag_error(loc, "%s target '%s': not an ELF executable or shared object",
			   prov->name, shown);
	else
		diag_error(loc, "%s target '%s': %s", prov->name, shown,
			   strerror(errno));
	return -1;
}

/* ---- args: the parameters, from the binary's DWARF ---- */

/* A use of args in a probe: args.NAME (name) or args alone (NULL). */
struct args_use {
	const char *name;
	struct loc loc;
};

struct args_uses {
	struct args_use *v;
	size_t n;
};

static bool is_args_name(const char *name)
{
	return !strcmp(name, "args") || !strcmp(name, "data");
}

static void args_uses_add(struct args_uses *u, const char *name, struct loc loc)
{
	struct args_use *v = realloc(u->v, (u->n + 1) * sizeof(*v));

	if (!v)
		return;
	u->v = v;
	v[u->n++] = (struct args_use){ .name = name, .loc = loc };
}

/* The uses of args in n (and, for a list, the nodes after it). */
static void args_walk(const struct node *n, struct args_uses *u, bool list)
{
	for (; n; n = list ? n->next : NULL) {
		if (n->kind == AST_FIELD && n->a && n->a->kind == AST_IDENT &&
		    is_args_name(n->a->name)) {
			struct loc at = n->loc; /* the name, after -> or . */

			at.col += n->op == TOK_ARROW ? 2 : 1;
			args_uses_add(u, n->name, at);
			continue;
		}
		if (n->kind == AST_IDENT && is_args_name(n->name))
			args_uses_add(u, NULL, n->loc);
		args_walk(n->a, u, false);
		args_walk(n->b, u, false);
		args_walk(n->c, u, false);
		args_walk(n->args, u, true);
	}
}

static void args_uses_find(const struct probe *probe, struct args_uses *u)
{
	memset(u, 0, sizeof(*u));
	if (!probe)
		return;
	args_walk(probe->pred, u, false);
	args_walk(probe->body, u, false);
}

/* Where a parameter is at the function's entry: off in struct pt_regs,
 * or why it cannot be read. */
struct param_place {
	bool ok;
	unsigned off;
	char why[320];
};

/* A float or double: DWARF's base type, bytes under its name. */
static bool is_float_type(const struct ctype *t)
{
	for (; t && t->kind == CT_TYPEDEF; t = t->ref)
		if (t->ref && t->ref->kind == CT_ARRAY && t->name &&
		    (strstr(t->name, "float") || strstr(t->name, "double") ||
		     strstr(t->name, "_Float")))
			return true;
	return false;
}

/* The places of fn's parameters under the architecture's C calling
 * convention, for what wisp reads: integers, enums and pointers that
 * fit a register take the next argument register; a float is in a
 * floating-point register (arm: unknown); a struct or a wider integer
 * passed by value is not read, and neither is anything after it. */
static void param_places(const struct ctype *fn, const struct regs_layout *r,
			 struct param_place *pl)
{
	const struct ctype *ret = ctype_resolve(fn->ref);
	bool arm = !strcmp(r->arch, "arm"), aarch64 = !strcmp(r->arch, "aarch64");
	unsigned next = 0;
	char stop[256] = "", name[96];

	/* a struct returned in memory: its address is a hidden first
	 * argument (aarch64 passes it in x8, outside the arguments) */
	if (ret && (ret->kind == CT_STRUCT || ret->kind == CT_UNION) && !aarch64 &&
	    ret->size > (arm ? 4 : 2 * r->size))
		next = 1;
	for (unsigned i = 0; i < fn->nmembers; i++) {
		const struct ctype *pt = fn->members[i].type, *t = ctype_resolve(pt);

		memset(&pl[i], 0, sizeof(pl[i]));
		ctype_name(pt, name, sizeof(name));
		if (*stop) {
			snprintf(pl[i].why, sizeof(pl[i].why), "%s", stop);
		} else if (t && (t->kind == CT_INT || t->kind == CT_ENUM || t->kind == CT_PTR) &&
			   t->size && t->size <= r->size) {
			if (next < r->nargs) {
				pl[i].ok = true;
				pl[i].off = r->arg_off[next++];
			} else {
				snprintf(pl[i].why, sizeof(pl[i].why),
					 "is passed on the stack (%s passes %u arguments in registers), which wisp cannot read",
					 r->arch, r->nargs);
			}
		} else if (is_float_type(pt) && !arm) {
			snprintf(pl[i].why, sizeof(pl[i].why),
				 "is a %s, passed in a floating-point register, which wisp cannot read",
				 name);
		} else {
			snprintf(pl[i].why, sizeof(pl[i].why),
				 "is a %s passed by value, which wisp cannot read from the registers",
				 name);
			snprintf(stop, sizeof(stop),
				 "comes after a %s passed by value, so which register holds it is not known",
				 name);
		}
	}
}

/* The DWARF of path, opened once per file (a wildcard matches many
 * functions of one file). NULL with why in err[len]. */
static struct dwinfo *uprobe_dwarf(const char *path, char *err, size_t len)
{
	static struct {
		char *path, *err;
		struct dwinfo *d;
	} *cache;
	static size_t n;
	void *grown;

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(cache[i].path, path)) {
			if (!cache[i].d)
				snprintf(err, len, "%s", cache[i].err);
			return cache[i].d;
		}
	}
	grown = realloc(cache, (n + 1) * sizeof(*cache));
	if (!grown) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	cache = grown;
	cache[n].d = dwinfo_open(path, AS_USER, err, len);
	cache[n].path = strdup(path);
	cache[n].err = strdup(err);
	if (!cache[n].path || !cache[n].err) {
		free(cache[n].path);
		free(cache[n].err);
		return cache[n].d; /* not cached */
	}
	return cache[n++].d;
}

/* The prototype of func (at vaddr) in path's DWARF. NULL with why. */
static const struct ctype *uprobe_proto(const char *path, const char *func,
					unsigned long long vaddr, char *err,
					size_t len)
{
	struct dwinfo *d = uprobe_dwarf(path, err, len);
	const struct ctype *fn;
	bool nocall = false;

	if (!d)
		return NULL;
	fn = dwinfo_func_at(d, func, vaddr, &nocall);
	if (!fn)
		snprintf(err, len, "the DWARF of %s does not describe function '%s' (its unit built without -g?)",
			 dwinfo_path(d), func);
	else if (nocall)
		snprintf(err, len, "the compiler changed the calling convention of '%s' (a local function it optimised): its parameters are not where the ABI puts them",
			 func);
	return nocall ? NULL : fn;
}

/* pi's args: a struct whose members are func's parameters at their
 * registers' offsets in struct pt_regs. Uses of a parameter that cannot
 * be read are reported at the use. Returns 0, or -1 after reporting. */
static int uprobe_args(struct probe_inst *pi, const struct args_uses *u,
		       const char *path, const char *func,
		       unsigned long long vaddr, bool at_entry)
{
	const struct regs_layout *r = provider_regs;
	const struct ctype *fn;
	struct param_place *pl;
	struct ctype *t;
	char err[512];
	unsigned size = 0;
	int ret = 0;

	if (!at_entry && !vaddr) {
		diag_error(u->v[0].loc, "args of %s: '%s' is an IFUNC, probed at the implementation picked for this CPU, which the DWARF does not name; arg0..argN read the registers",
			   pi->spec, func);
		return -1;
	}
	if (!at_entry) {
		diag_error(u->v[0].loc, "args of %s: a function's parameters are known at its entry only, not at an offset or an address inside it; arg0..argN read the registers",
			   pi->spec);
		return -1;
	}
	if (!r) {
		diag_error(u->v[0].loc, "args of %s: wisp does not know which registers this architecture passes arguments in",
			   pi->spec);
		return -1;
	}
	fn = uprobe_proto(path, func, vaddr, err, sizeof(err));
	if (!fn) {
		diag_error(u->v[0].loc, "args of %s: %s", pi->spec, err);
		return -1;
	}
	pl = calloc(fn->nmembers ? fn->nmembers : 1, sizeof(*pl));
	t = ctype_new(CT_STRUCT, pi->spec, 0);
	if (!pl || !t) {
		free(pl);
		ctype_free(t);
		diag_error(u->v[0].loc, "out of memory");
		return -1;
	}
	param_places(fn, r, pl);
	for (unsigned i = 0; i < fn->nmembers && !ret; i++) {
		const struct cmember *m = &fn->members[i];

		if (!pl[i].ok || !*m->name)
			continue;
		if (ctype_add_member(t, m->name, m->type, pl[i].off, 0, 0) < 0) {
			diag_error(u->v[0].loc, "out of memory");
			ret = -1;
		}
		if (pl[i].off + r->size > size)
			size = pl[i].off + r->size;
	}
	t->size = size;
	for (size_t j = 0; j < u->n && !ret; j++) {
		for (unsigned i = 0; u->v[j].name && i < fn->nmembers; i++) {
			if (pl[i].ok || strcmp(fn->members[i].name, u->v[j].name))
				continue;
			diag_error(u->v[j].loc, "args.%s: parameter %u of %s %s",
				   u->v[j].name, i + 1, func, pl[i].why);
			ret = -1;
		}
	}
	free(pl);
	if (ret) {
		ctype_free(t);
		return -1;
	}
	pi->args = t;
	return 0;
}

static int uprobe_add(const struct provider *prov, struct probe *probe,
		      struct loc loc, struct probe_inst ***tail,
		      const char *shown, const char *path, const char *what,
		      const char *func, unsigned long long offset,
		      const struct args_uses *au, unsigned long long vaddr,
		      bool at_entry)
{
	struct uprobe_priv *up = calloc(1, sizeof(*up));
	struct probe_inst *pi = NULL;
	char *spec = NULL;

	if (up && asprintf(&spec, "%s:%s:%s", prov->name, shown, what) >= 0)
		pi = probe_inst_new(prov, probe, spec, loc);
	if (pi) {
		up->path = strdup(path);
		pi->func = strdup(func);
	}
	if (!pi || !up->path || !pi->func) {
		if (pi)
			free(pi->func);
		free(pi ? pi->spec : NULL);
		free(pi);
		if (up)
			free(up->path);
		free(up);
		free(spec);
		diag_error(loc, "out of memory");
		return -1;
	}
	free(spec);
	up->offset = offset;
	pi->priv = up;
	pi->ctx.binary = up->path;
	**tail = pi;
	*tail = &pi->next;
	/* on error pi is in the list, which the caller frees */
	return au->n ? uprobe_args(pi, au, path, func, vaddr, at_entry) : 0;
}

static void uprobe_unknown(const struct provider *prov, const char *shown,
			   const struct elf_syms *syms, const char *name,
			   struct loc loc)
{
	const char **names = malloc((syms->n ? syms->n : 1) * sizeof(*names));
	const char *best = NULL;

	if (names) {
		for (size_t i = 0; i < syms->n; i++)
			names[i] = syms->v[i].name;
		best = diag_closest(name, names, syms->n);
	}
	if (best)
		diag_error(loc, "no function '%s' in %s (for %s); did you mean '%s'?",
			   name, shown, prov->name, best);
	else
		diag_error(loc, "no function '%s' in %s (for %s)", name, shown,
			   prov->name);
	free(names);
}

/* "uprobe:PATH:0xADDR": the address is a virtual address of the file,
 * as nm and objdump print it. */
static int uprobe_resolve_addr(const struct provider *prov, struct probe *probe,
			       struct loc loc, struct probe_inst ***tail,
			       const struct uprobe_spec *us, const char *shown,
			       const char *path, const struct elf_syms *syms,
			       const struct args_uses *au)
{
	const struct elf_sym *sym = elf_syms_at(syms, us->addr);
	unsigned long long off;
	char what[32];

	if (elf_vaddr_to_offset(path, us->addr, &off) < 0) {
		diag_error(loc, "%s: address 0x%llx is not in the code of %s",
			   prov->name, us->addr, shown);
		return -1;
	}
	snprintf(what, sizeof(what), "0x%llx", us->addr);
	return uprobe_add(prov, probe, loc, tail, shown, path, what,
			  sym ? sym->name : what, off, au, us->addr,
			  sym && sym->addr == us->addr);
}

/* An IFUNC's resolver picks the implementation once per process, from
 * the CPU's features: the same pick in every process of this machine.
 * When wisp itself has the library loaded (libc), its own dynamic
 * linker made that pick: dlsym gives the implementation, and its address
 * in the file is the one to probe. Fills *offset and returns 0, or -1
 * when wisp cannot tell (a library wisp does not use, a static wisp). */
static int ifunc_target(const char *path, const char *name, unsigned long long *offset)
{
#ifdef WISP_STATIC
	(void)path, (void)name, (void)offset;
	return -1;
#else
	struct stat want, got;
	struct link_map *lm = NULL;
	void *h, *impl;
	int ret = -1;

	if (stat(path, &want) < 0)
		return -1;
	/* RTLD_NOLOAD: only a library already loaded, no constructor runs */
	h = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
	if (!h)
		return -1;
	impl = dlsym(h, name);
	if (impl && dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm &&
	    stat(lm->l_name, &got) == 0 && got.st_dev == want.st_dev &&
	    got.st_ino == want.st_ino)
		ret = elf_vaddr_to_offset(path, (uintptr_t)impl - lm->l_addr, offset);
	dlclose(h);
	return ret;
#endif
}

static bool uprobe_glob_keep(const char *name, const void *pattern)
{
	return provider_glob(pattern, name);
}

long uprobe_syms_match(const struct elf_syms *syms, const char *pattern,
		       const struct elf_sym ***out)
{
	return elf_syms_filter(syms, uprobe_glob_keep, pattern, out);
}

static int uprobe_resolve_func(const struct provider *prov, struct probe *probe,
			       struct loc loc, struct probe_inst ***tail,
			       const struct uprobe_spec *us, const char *shown,
			       const char *path, const struct elf_syms *syms,
			       const struct args_uses *au)
{
	bool wild = strpbrk(us->func, "*?") != NULL;
	const struct elf_sym **v;
	long n = uprobe_syms_match(syms, us->func, &v);
	int err = 0, added = 0;

	if (n < 0) {
		diag_error(loc, "out of memory");
		return -1;
	}
	for (long i = 0; i < n && !err; i++) {
		const struct elf_sym *s = v[i];
		char *what = NULL;

		/* An IFUNC symbol is the resolver that picks strlen's
		 * implementation once, at load time: a probe there would
		 * never fire on calls. */
		unsigned long long off = s->offset;

		if (s->ifunc && ifunc_target(path, s->name, &off) < 0) {
			if (!wild) {
				diag_error(loc, "%s: '%s' in %s is an IFUNC: its address is the resolver that picks an implementation once, at load time, and a probe there never fires on calls; wisp can name the pick only in libraries it uses itself%s",
					   prov->name, s->name, shown,
#ifdef WISP_STATIC
					   " (and not as a static binary)"
#else
					   ""
#endif
					   );
				err = -1;
			}
			continue;
		}
		if (us->has_plus &&
		    (asprintf(&what, "%s+%llu", s->name, us->plus) < 0 ||
		     (s->size && us->plus >= s->size))) {
			if (what)
				diag_error(loc, "%s: offset %llu is beyond %s (%llu bytes)",
					   prov->name, us->plus, s->name, s->size);
			else
				diag_error(loc, "out of memory");
			free(what);
			err = -1;
			break;
		}
		err = uprobe_add(prov, probe, loc, tail, shown, path,
				 what ? what : s->name, s->name, off + us->plus,
				 au, s->ifunc ? 0 : s->addr, !us->plus && !s->ifunc);
		free(what);
		added++;
	}
	free(v);
	if (err)
		return -1;
	if (!added) {
		if (wild)
			diag_error(loc, "%s: no function of %s matches '%s'",
				   prov->name, shown, us->func);
		else
			uprobe_unknown(prov, shown, syms, us->func, loc);
		return -1;
	}
	return 0;
}

static int uprobe_resolve(const struct provider *prov, struct probe *probe,
			  const char *rest, struct loc loc,
			  struct probe_inst ***tail)
{
	struct uprobe_spec us;
	struct elf_syms syms = { NULL, 0 };
	struct args_uses au = { NULL, 0 };
	const char *shown;
	char *path = NULL;
	int ret = -1;

	if (uprobe_parse(prov, rest, loc, &us) < 0)
		return -1;
	/* a return probe has no args (sema says so): its registers no
	 * longer hold the parameters */
	if (!prov->is_return)
		args_uses_find(probe, &au);
	if (au.n && !dwinfo_supported()) {
		diag_error(au.v[0].loc, "args of a uprobe are the function's parameters as the binary's DWARF names them, and this wisp was built without libdw (configure --with-libdw); arg0..argN read the registers");
		goto out;
	}
	path = uprobe_target_path(prov, us.target, loc);
	if (!path)
		goto out;
	/* a path is shown as written ("/bin/bash", not "/usr/bin/bash");
	 * a name found by searching, as the file found */
	shown = strchr(us.target, '/') ? us.target : path;
	if (uprobe_load_syms(prov, shown, path, loc, &syms) < 0)
		goto out;
	if (us.func)
		ret = uprobe_resolve_func(prov, probe, loc, tail, &us, shown,
					  path, &syms, &au);
	else
		ret = uprobe_resolve_addr(prov, probe, loc, tail, &us, shown,
					  path, &syms, &au);
out:
	free(au.v);
	elf_syms_free(&syms);
	free(path);
	uprobe_spec_free(&us);
	return ret;
}

/* A number from a sysfs file of the uprobe PMU; for format files
 * ("config:0") the bit after the colon. -1 when missing. */
static int uprobe_pmu_read(const char *file)
{
	char path[128], buf[64], *p;
	FILE *f;
	int v = -1;

	snprintf(path, sizeof(path), UPROBE_PMU_DIR "/%s", file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		p = strchr(buf, ':');
		v = atoi(p ? p + 1 : buf);
	}
	fclose(f);
	return v;
}

static void uprobe_attach_error(struct probe_inst *pi, const char *what,
				int err)
{
	diag_error(pi->loc, "cannot attach '%s': %s: %s%s", pi->spec, what,
		   strerror(err),
		   err == EACCES || err == EPERM ?
			   " (root, or CAP_BPF and CAP_PERFMON, is needed)" : "");
}

/* provider_perf_attach opens its events for every process; -p needs
 * one bound to a task, so this opens it and attaches the same way. */
static int uprobe_attach_task(struct probe_inst *pi, struct perf_event_attr *attr,
			      int pid)
{
	int pfd, lfd;

	attr->size = sizeof(*attr);
	pfd = syscall(__NR_perf_event_open, attr, pid, -1, -1,
		      PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		uprobe_attach_error(pi, "perf_event_open", errno);
		return -1;
	}
	if (probe_inst_add_fd(pi, pfd) < 0) {
		uprobe_attach_error(pi, "perf_event_open", ENOMEM);
		return -1;
	}
	lfd = bpf_link_create(pi->prog_fd, pfd, BPF_PERF_EVENT, NULL);
	if (lfd >= 0) {
		if (probe_inst_add_fd(pi, lfd) < 0) {
			uprobe_attach_error(pi, "bpf_link_create", ENOMEM);
			goto fail;
		}
	} else if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, pi->prog_fd) < 0) {
		/* kernels before 5.15 have no perf event links */
		uprobe_attach_error(pi, "PERF_EVENT_IOC_SET_BPF", errno);
		goto fail;
	}
	if (ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		uprobe_attach_error(pi, "PERF_EVENT_IOC_ENABLE", errno);
		goto fail;
	}
	return 0;
fail:
	probe_inst_detach(pi);
	return -1;
}

static int uprobe_attach(struct probe_inst *pi)
{
	const struct uprobe_priv *up = pi->priv;
	static int type = -2, retbit = -2;
	struct perf_event_attr attr;

	if (type == -2) {
		type = uprobe_pmu_read("type");
		retbit = uprobe_pmu_read("format/retprobe");
	}
	if (type < 0 || (pi->prov->is_return && (retbit < 0 || retbit > 63))) {
		diag_error(pi->loc, "cannot attach '%s': this kernel has no uprobe PMU (" UPROBE_PMU_DIR "): CONFIG_UPROBE_EVENTS is needed",
			   pi->spec);
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.type = type;
	if (pi->prov->is_return)
		attr.config = 1ULL << retbit;
	attr.config1 = (uintptr_t)up->path;
	attr.config2 = up->offset;
	if (provider_target_pid > 0)
		return uprobe_attach_task(pi, &attr, provider_target_pid);
	/* One event serves every CPU: the program hangs off the probe, and
	 * the event's CPU only filters perf's own samples. */
	return provider_perf_attach(pi, &attr, 0);
}

static void uprobe_free(struct probe_inst *pi)
{
	struct uprobe_priv *up = pi->priv;

	if (up)
		free(up->path);
	free(up);
	free(pi->func);
	pi->priv = NULL;
	pi->func = NULL;
}

/* -lv: the parameters of a function, as args names them, where the
 * DWARF describes it. */
static void uprobe_list_args(const char *path, const struct elf_sym *sym,
			     FILE *out)
{
	const struct regs_layout *r = provider_regs ? provider_regs : regs_native();
	const struct ctype *fn;
	struct param_place *pl;
	char err[512], name[128];

	if (!r || !dwinfo_supported() ||
	    !(fn = uprobe_proto(path, sym->name, sym->addr, err, sizeof(err))) ||
	    !(pl = calloc(fn->nmembers ? fn->nmembers : 1, sizeof(*pl))))
		return;
	param_places(fn, r, pl);
	for (unsigned i = 0; i < fn->nmembers; i++) {
		const struct cmember *m = &fn->members[i];

		ctype_name(m->type, name, sizeof(name));
		fprintf(out, "    %s%s%s", name, name[strlen(name) - 1] == '*' ? "" : " ",
			*m->name ? m->name : "(unnamed)");
		if (!pl[i].ok)
			fprintf(out, "  (not readable: it %s)", pl[i].why);
		fputc('\n', out);
	}
	free(pl);
}

/* -l 'uprobe:/bin/bash:read*': the functions of one file; listing every
 * binary of the system would be no use, so no target lists nothing.
 * -lv adds the typed parameters of each (args), from the DWARF. */
static void uprobe_list(const struct provider *prov, const char *pattern,
			bool verbose, FILE *out)
{
	size_t plen = strlen(prov->name);
	struct elf_syms syms;
	const char *rest, *glob;
	char *target, *path, *colon;

	if (!pattern || strncmp(pattern, prov->name, plen) != 0 ||
	    pattern[plen] != ':')
		return;
	rest = pattern + plen + 1;
	target = strdup(rest);
	if (!target)
		return;
	colon = strrchr(target, ':');
	glob = "*";
	if (colon) {
		*colon = '\0';
		glob = rest + (colon - target) + 1;
	}
	path = *target && !strpbrk(target, "*?") ?
		       lib_resolve_target(target, provider_target_pid) : NULL;
	if (path && elf_syms_load(path, &syms) == 0) {
		const char *shown = strchr(target, '/') ? target : path;

		/* the same name at two addresses (local functions of two
		 * files) is one line: it is one spec */
		for (size_t i = 0; i < syms.n; i++)
			if (provider_glob(glob, syms.v[i].name) &&
			    (!i || strcmp(syms.v[i - 1].name, syms.v[i].name))) {
				fprintf(out, "%s:%s:%s\n", prov->name, shown,
					syms.v[i].name);
				if (verbose && !prov->is_return)
					uprobe_list_args(path, &syms.v[i], out);
			}
		elf_syms_free(&syms);
	}
	free(path);
	free(target);
}

/* A user function's arguments and return value point into its process. */
static int uprobe_value(const struct probe_ctx *c, const struct target *t,
			enum ctx_name name, unsigned n, const char *spelled,
			struct ctx_value *v, char *err, size_t len)
{
	const struct probe_inst *pi = c->prov;

	return provider_value_regs(c, t, name, n, spelled, pi->prov->is_return,
				   AS_USER, v, err, len);
}

static const char *const uprobe_aliases[] = { "u", NULL };
const struct provider provider_uprobe = {
	.name = "uprobe",
	.aliases = uprobe_aliases,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.when = PROBE_EVENT,
	.value = uprobe_value,
	.resolve = uprobe_resolve,
	.attach = uprobe_attach,
	.free = uprobe_free,
	.list = uprobe_list,
};

static const char *const uretprobe_aliases[] = { "ur", NULL };
const struct provider provider_uretprobe = {
	.name = "uretprobe",
	.aliases = uretprobe_aliases,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.when = PROBE_EVENT,
	.is_return = true,
	.value = uprobe_value,
	.resolve = uprobe_resolve,
	.attach = uprobe_attach,
	.free = uprobe_free,
	.list = uprobe_list,
};
