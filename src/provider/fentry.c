/* fentry.c - fentry and fexit: kernel function entry and return through
 * BPF trampolines. "fentry:FUNC", "fexit:FUNC", "fentry:MODULE:FUNC";
 * bpftrace's older "kfunc:" and "kretfunc:", and "f:" / "fr:". FUNC (and
 * MODULE) may hold the wildcards * and ?.
 *
 * The function is found in the kernel's BTF (a module's for a module
 * function), whose prototype names and types the arguments: the program
 * is a BPF_PROG_TYPE_TRACING one, loaded for that BTF id, and its
 * context is an array of u64, parameter i in its slot(s) and, for fexit,
 * the return value in the slot after the last. args is that array as a
 * struct of the parameters, so args.count / args->count read a slot;
 * argN and retval are the slots by number.
 *
 * Attaching is one BPF link (bpf_link_create; raw_tracepoint_open on
 * kernels before 5.10's tracing links): the kernel builds a trampoline
 * at the function's ftrace call site, which needs JIT and ftrace support
 * of the architecture (x86_64 from 5.5; arm64 needs ftrace direct calls,
 * about 6.4 on: Debian's 6.1 arm64 says ENOTSUPP).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/btf.h>
#include <bpf/bpf.h>

#include "provider.h"
#include "kbtf.h"
#include "kfuncs.h"
#include "../sys/btf.h"

/* The kernel-internal ENOTSUPP that BPF commands leak. */
#define FENTRY_ENOTSUPP 524

/* The functions one spec expanded to: a wildcard's unattachable
 * matches are skipped and counted, reported after the last. */
struct fentry_group {
	unsigned refs;
	unsigned total, tried, skipped;
	unsigned refused;            /* matches the kernel would not load */
	bool wildcard;
	char *spec;                  /* as written, for the messages */
};

struct fentry_priv {
	char *module;                /* NULL: vmlinux */
	uint32_t btf_id;             /* of the FUNC, in its BTF's ids */
	unsigned nparams, nslots;
	unsigned *offs;              /* each parameter's offset */
	const struct ctype *ret;     /* the return type (void: none) */
	struct fentry_group *group;
};

/* ---- spec parsing ---- */

/* "FUNC" or "MODULE:FUNC". Returns 0, or -1 after reporting at loc. */
static int fentry_parse(const struct provider *prov, const char *rest,
			struct loc loc, char **module, char **func)
{
	const char *colon = strchr(rest, ':');
	const char *f = colon ? colon + 1 : rest;

	*module = *func = NULL;
	if (colon && !provider_name_ok(rest, colon - rest, "_-*?")) {
		diag_error(loc, "bad module name '%.*s' in '%s:%s': expected '%s:[MODULE:]FUNCTION'",
			   (int)(colon - rest), rest, prov->name, rest, prov->name);
		return -1;
	}
	if (!provider_name_ok(f, strlen(f), "_.*?")) {
		if (!*f)
			diag_error(loc, "expected '%s:[MODULE:]FUNCTION'", prov->name);
		else
			diag_error(loc, "bad function name '%s' in '%s:%s': expected '%s:[MODULE:]FUNCTION'",
				   f, prov->name, rest, prov->name);
		return -1;
	}
	if (colon && !(*module = strndup(rest, colon - rest)))
		goto nomem;
	if (!(*func = strdup(f)))
		goto nomem;
	return 0;
nomem:
	free(*module);
	*module = NULL;
	diag_error(loc, "out of memory");
	return -1;
}

/* ---- which functions can take a trampoline ---- */

/* The functions ftrace can patch, where the kernel says which
 * (available_filter_functions); NULL when it does not (then the kernel
 * decides at load and attach time). */
static const struct kfuncs *fentry_traceable(void)
{
	static const struct kfuncs *kf;
	static bool done;
	const char *why;

	if (!done) {
		done = true;
		/* a described kernel's are not the running one's */
		if (provider_btf_file)
			return NULL;
		kf = kfuncs_get(&why);
		if (kf && !strstr(kf->source, "available_filter_functions"))
			kf = NULL;
	}
	return kf;
}

/* Functions the verifier refuses to trace (its btf_id_deny set): -l
 * leaves them out (a wildcard finds out by loading). */
static bool fentry_denied(const char *name)
{
	static const char *const deny[] = {
		"migrate_disable", "migrate_enable", "rcu_read_unlock_strict",
		"preempt_count_add", "preempt_count_sub", "__rcu_read_lock",
		"__rcu_read_unlock",
	};

	for (size_t i = 0; i < sizeof(deny) / sizeof(*deny); i++)
		if (!strcmp(deny[i], name))
			return true;
	return false;
}

/* ---- resolve ---- */

struct fentry_expand {
	const struct provider *prov;
	struct probe *probe;
	struct loc loc;
	struct btf *btf;
	const char *module;          /* NULL: vmlinux */
	const char *pattern;         /* a wildcard's function pattern */
	struct fentry_group *group;
	struct probe_inst ***tail;
	int err;
};

/* Would the kernel refuse to load a program for function id of the
 * expansion's BTF? A two-instruction program says. Not when it refuses
 * every program (not root, or a security policy): load_opts says so. */
static bool fentry_refused(struct fentry_expand *x, uint32_t id)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = x->prov->is_return ? BPF_TRACE_FEXIT :
								 BPF_TRACE_FENTRY,
		    .attach_btf_id = id);
	int fd;

	if (provider_btf_file) /* ids of a described kernel: nothing to ask */
		return false;
	if (x->module) {
		fd = kbtf_module_fd(x->module);
		if (fd < 0)
			return false;
		opts.attach_btf_obj_fd = fd;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "wisp_fentry", "GPL", insns,
			   2, &opts);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno != EPERM && errno != EACCES && errno != ENOMEM;
}

/* One function into an instance. Returns 0, or -1 after reporting. */
static int fentry_add(struct fentry_expand *x, uint32_t id, const char *name)
{
	struct fentry_priv *fp = calloc(1, sizeof(*fp));
	struct probe_inst *pi = NULL;
	const struct ctype *proto = NULL;
	struct ctype *args = NULL;
	const char *fname;
	unsigned kind;
	uint32_t ref;
	char *spec = NULL;
	int n;

	if (x->module)
		n = asprintf(&spec, "%s:%s:%s", x->prov->name, x->module, name);
	else
		n = asprintf(&spec, "%s:%s", x->prov->name, name);
	if (n < 0 || !fp)
		goto nomem;
	if (!btf_type_info(x->btf, id, &kind, &fname, &ref) ||
	    kind != BTF_KIND_FUNC || !(proto = btf_ctype(x->btf, id)) ||
	    proto->kind != CT_FUNC) {
		diag_error(x->loc, "%s: the kernel's BTF holds no prototype for '%s'%s%s",
			   spec, name, btf_error(x->btf) ? ": " : "",
			   btf_error(x->btf) ? btf_error(x->btf) : "");
		goto fail;
	}
	/* a wildcard leaves out what the kernel would refuse to load
	 * (variadic functions, its deny list, struct arguments before
	 * 6.1, functions it cannot find): a failed load ends the run */
	if (x->group->wildcard && fentry_refused(x, id)) {
		x->group->refused++;
		free(spec);
		free(fp);
		return 0;
	}
	args = kbtf_args_struct(proto, 0, NULL, spec, &fp->nslots, &fp->offs);
	if (!args)
		goto nomem;
	ctype_members(args, &fp->nparams);
	fp->ret = proto->ref ? proto->ref : ctype_void();
	fp->btf_id = id;
	if (x->module && !(fp->module = strdup(x->module)))
		goto nomem;
	pi = probe_inst_new(x->prov, x->probe, spec, x->loc);
	if (!pi || !(pi->func = strdup(name)))
		goto nomem;
	pi->args = args;
	pi->priv = fp;
	fp->group = x->group;
	x->group->refs++;
	x->group->total++;
	free(spec);
	**x->tail = pi;
	*x->tail = &pi->next;
	return 0;
nomem:
	diag_error(x->loc, "out of memory");
fail:
	if (pi) {
		pi->args = NULL;
		probe_inst_free_all(pi);
	}
	ctype_free(args);
	if (fp) {
		free(fp->offs);
		free(fp->module);
	}
	free(fp);
	free(spec);
	return -1;
}

static int fentry_match_one(uint32_t id, const char *name, void *arg)
{
	struct fentry_expand *x = arg;
	const struct kfuncs *kf = fentry_traceable();

	if (!provider_glob(x->pattern, name) || fentry_denied(name))
		return 0;
	if (kf && !kfuncs_has(kf, name))
		return 0;
	if (fentry_add(x, id, name) < 0) {
		x->err = -1;
		return 1;
	}
	return 0;
}

/* The function name in BTF b itself (not its base): its id, or 0. */
static uint32_t fentry_find_own(struct btf *b, const char *name)
{
	uint32_t id = btf_find(b, BTF_KIND_FUNC, name);

	return id >= btf_first_id(b) ? id : 0;
}

/* "did you mean" among the functions of BTF b. */
struct fentry_names {
	char **v;
	size_t n, cap;
};

static int fentry_collect(uint32_t id, const char *name, void *arg)
{
	struct fentry_names *fn = arg;

	(void)id;
	if (fn->n == fn->cap) {
		char **nv = realloc(fn->v, (fn->cap = fn->cap * 2 + 4096) * sizeof(*nv));

		if (!nv)
			return 1;
		fn->v = nv;
	}
	if (!(fn->v[fn->n] = strdup(name)))
		return 1;
	fn->n++;
	return 0;
}

static void fentry_not_found(const struct provider *prov, struct btf *b,
			     const char *module, const char *func,
			     struct loc loc)
{
	struct fentry_names fn = { 0 };
	const struct kfuncs *kf;
	const char *why, *best;

	btf_each(b, BTF_KIND_FUNC, fentry_collect, &fn);
	best = diag_closest(func, (const char *const *)fn.v, fn.n);
	kf = provider_btf_file ? NULL : kfuncs_get(&why);
	if (kf && kfuncs_has(kf, func) && !module)
		diag_error(loc, "kernel function '%s' is not in the kernel's BTF (pahole leaves out some functions, such as those the compiler specialised), so %s cannot attach to it; kprobe:%s can",
			   func, prov->name, func);
	else if (best)
		diag_error(loc, "kernel function '%s' not found in the BTF of %s; did you mean '%s'?",
			   func, module ? module : "vmlinux or any module", best);
	else
		diag_error(loc, "kernel function '%s' not found in the BTF of %s",
			   func, module ? module : "vmlinux or any module");
	kbtf_free_names(fn.v, fn.n);
}

/* One module's (or vmlinux's, module NULL) functions matching func. */
static int fentry_expand_in(struct fentry_expand *x, struct btf *b,
			    const char *module, const char *func)
{
	x->btf = b;
	x->module = module;
	if (provider_is_glob(func)) {
		x->pattern = func;
		btf_each(b, BTF_KIND_FUNC, fentry_match_one, x);
		return x->err;
	}
	uint32_t id = module ? fentry_find_own(b, func) :
			       btf_find(b, BTF_KIND_FUNC, func);

	return id ? fentry_add(x, id, func) : 0;
}

static int fentry_resolve(const struct provider *prov, struct probe *probe,
			  const char *rest, struct loc loc,
			  struct probe_inst ***tail)
{
	struct fentry_expand x = {
		.prov = prov, .probe = probe, .loc = loc, .tail = tail,
	};
	char *module, *func, **mods = NULL;
	size_t nmods = 0;
	const char *why;
	struct btf *vml;
	int ret = -1;

	if (fentry_parse(prov, rest, loc, &module, &func) < 0)
		return -1;
	vml = kbtf_kernel(&why);
	if (!vml) {
		diag_error(loc, "%s:%s needs the kernel's BTF: %s (kprobe:%s works without it)",
			   prov->name, rest, why, func);
		goto out;
	}
	x.group = calloc(1, sizeof(*x.group));
	if (!x.group || asprintf(&x.group->spec, "%s:%s", prov->name, rest) < 0) {
		free(x.group);
		x.group = NULL;
		diag_error(loc, "out of memory");
		goto out;
	}
	x.group->wildcard = provider_is_glob(func) || provider_is_glob(module);
	x.group->refs = 1; /* held while adding */

	/* vmlinux first (no module, or "vmlinux" or a pattern matching
	 * it), then the modules the spec names, or (an exact function
	 * not in vmlinux) any module that has it */
	if (!module || provider_glob(module, "vmlinux")) {
		if (fentry_expand_in(&x, vml, NULL, func) < 0)
			goto drop;
	}
	if (module ? strcmp(module, "vmlinux") != 0 :
		     !x.group->total && !provider_is_glob(func))
		kbtf_modules(&mods, &nmods);
	for (size_t i = 0; i < nmods; i++) {
		struct btf *mb;

		if (module && !provider_glob(module, mods[i]))
			continue;
		if (!module && x.group->total)
			break; /* the first module that has it */
		mb = kbtf_module(mods[i]);
		if (mb && fentry_expand_in(&x, mb, mods[i], func) < 0)
			goto drop;
	}
	if (!x.group->total) {
		if (x.group->refused)
			diag_error(loc, "none of the %u functions matching '%s:%s' can take a trampoline: the kernel refuses to load a program for them",
				   x.group->refused, prov->name, rest);
		else if (x.group->wildcard)
			diag_error(loc, "no kernel function in BTF matches '%s:%s'%s",
				   prov->name, rest,
				   fentry_traceable() ? " (and can be traced)" : "");
		else if (module && strcmp(module, "vmlinux") &&
			 !kbtf_module(module))
			diag_error(loc, "no BTF for kernel module '%s' (not loaded, or built without BTF; /sys/kernel/btf lists the modules that have it)",
				   module);
		else
			fentry_not_found(prov, module && strcmp(module, "vmlinux") ?
					 kbtf_module(module) : vml, module, func, loc);
		goto drop;
	}
	ret = 0;
drop:
	if (--x.group->refs == 0) {
		free(x.group->spec);
		free(x.group);
	}
out:
	kbtf_free_names(mods, nmods);
	free(module);
	free(func);
	return ret;
}

/* ---- load and attach ---- */

static const char *fentry_strerror(int err)
{
	return err == FENTRY_ENOTSUPP ? "Operation not supported by this kernel" :
					strerror(err);
}

/* Can this kernel load tracing programs at all? A two-instruction
 * program for the instance's function, once: a kernel that refuses
 * them even to root (a lockdown or an LSM policy) would otherwise get
 * the loader's "run wisp as root". Returns 0, or -1 after saying why
 * (once). */
static int fentry_can_load(const struct probe_inst *pi,
			   const struct prog_load_opts *o)
{
	static int state; /* 0: not tried, 1: loads, -1: refused */
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = o->expected_attach_type,
		    .attach_btf_id = o->attach_btf_id,
		    .attach_btf_obj_fd = o->attach_btf_obj_fd);
	int fd;

	if (state)
		return state > 0 ? 0 : -1;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "wisp_fentry", "GPL", insns,
			   2, &opts);
	if (fd >= 0) {
		close(fd);
		state = 1;
		return 0;
	}
	if (errno == EPERM && geteuid() == 0) {
		state = -1;
		diag_error(pi->loc, "cannot load '%s': this kernel refuses BPF tracing programs (fentry/fexit) even to root: %s; a security policy (kernel lockdown, an LSM) forbids them",
			   pi->spec, strerror(EPERM));
		return -1;
	}
	/* anything else is the function's or the program's: the real
	 * load says it */
	return 0;
}

static int fentry_load_opts(const struct probe_inst *pi,
			    struct prog_load_opts *o)
{
	const struct fentry_priv *fp = pi->priv;

	o->expected_attach_type = pi->prov->is_return ? BPF_TRACE_FEXIT :
							BPF_TRACE_FENTRY;
	o->attach_btf_id = fp->btf_id;
	if (fp->module) {
		int fd = kbtf_module_fd(fp->module);

		if (fd < 0) {
			diag_error(pi->loc, "cannot load '%s': the kernel's BTF object of module '%s': %s",
				   pi->spec, fp->module,
				   errno == ENOENT ? "not found (the module is gone, or this kernel is older than 5.11)" :
				   strerror(errno));
			return -1;
		}
		o->attach_btf_obj_fd = fd;
	}
	return fentry_can_load(pi, o);
}

/* Errors that mean this function cannot take a trampoline, as opposed
 * to the kernel having none. */
static bool fentry_unattachable(int err, const struct fentry_priv *fp)
{
	return err == EINVAL || err == ENOENT || err == EBUSY || err == E2BIG ||
	       err == ESRCH ||
	       ((err == FENTRY_ENOTSUPP || err == EOPNOTSUPP) && fp->nslots > 6);
}

static void fentry_attach_error(struct probe_inst *pi, const char *what,
				int err)
{
	const struct fentry_priv *fp = pi->priv;
	struct utsname u;

	if (uname(&u) < 0)
		strcpy(u.machine, "this architecture");
	switch (err) {
	case FENTRY_ENOTSUPP:
	case EOPNOTSUPP:
		/* x86_64 trampolines took 6 argument registers before 6.5 */
		if (fp->nslots > 6) {
			diag_error(pi->loc, "cannot attach '%s': %s: %s: '%s' takes %u argument slots, more than this kernel's BPF trampolines handle; kprobe:%s may work instead",
				   pi->spec, what, fentry_strerror(err), pi->func,
				   fp->nslots, pi->func);
			break;
		}
		diag_error(pi->loc, "cannot attach '%s': %s: %s: this kernel has no BPF trampolines on %s (x86_64 has them from 5.5; arm64 needs ftrace direct calls, about 6.4 on), which fentry and fexit need; kprobe:%s and kretprobe:%s work instead",
			   pi->spec, what, fentry_strerror(err), u.machine,
			   pi->func, pi->func);
		break;
	case EINVAL:
		if (strcmp(u.machine, "x86_64") != 0)
			diag_error(pi->loc, "cannot attach '%s': %s: %s: the function cannot take a trampoline, or this kernel has no BPF trampolines on %s; kprobe:%s may work instead",
				   pi->spec, what, strerror(err), u.machine,
				   pi->func);
		else
			diag_error(pi->loc, "cannot attach '%s': %s: %s: the function cannot take a trampoline (not traceable by ftrace?); kprobe:%s may work instead",
				   pi->spec, what, strerror(err), pi->func);
		break;
	case EBUSY:
	case E2BIG:
		diag_error(pi->loc, "cannot attach '%s': %s: %s: the function has as many BPF trampoline programs as the kernel allows",
			   pi->spec, what, strerror(err));
		break;
	default:
		diag_error(pi->loc, "cannot attach '%s': %s: %s%s", pi->spec, what,
			   fentry_strerror(err),
			   err == EACCES || err == EPERM ?
				   " (root, or CAP_BPF and CAP_PERFMON, is needed)" : "");
	}
}

/* A wildcard's last instance says how many were skipped; when none
 * could be attached at all, that is an error. */
static int fentry_group_done(struct probe_inst *pi, int ret)
{
	struct fentry_group *g = ((struct fentry_priv *)pi->priv)->group;

	if (g->tried < g->total || (!g->skipped && !g->refused))
		return ret;
	if (g->skipped == g->total) {
		diag_error(pi->loc, "none of the %u functions matching '%s' can take a trampoline",
			   g->total + g->refused, g->spec);
		return -1;
	}
	diag_warning(pi->loc, "skipped %u of the %u functions matching '%s': they cannot take a trampoline",
		     g->skipped + g->refused, g->total + g->refused, g->spec);
	return ret;
}

static int fentry_attach(struct probe_inst *pi)
{
	struct fentry_priv *fp = pi->priv;
	struct fentry_group *g = fp->group;
	enum bpf_attach_type type = pi->prov->is_return ? BPF_TRACE_FEXIT :
							  BPF_TRACE_FENTRY;
	const char *what = "bpf_link_create";
	int fd, err;

	g->tried++;
	if (g->total >= 200 && g->tried % 200 == 0)
		fprintf(stderr, "wisp: attached %u of %u probes of '%s'\n",
			g->tried, g->total, g->spec);
	fd = bpf_link_create(pi->prog_fd, 0, type, NULL);
	err = fd < 0 ? errno : 0;
	/* 5.5 to 5.9 attach tracing programs through raw_tracepoint_open
	 * only: their LINK_CREATE knows no tracing attach type */
	if (fd < 0 && err == EINVAL) {
		fd = bpf_raw_tracepoint_open(NULL, pi->prog_fd);
		if (fd < 0 && errno != EINVAL) {
			err = errno;
			what = "raw_tracepoint_open";
		}
	}
	if (fd < 0) {
		if (g->wildcard && g->total > 1 && fentry_unattachable(err, fp)) {
			g->skipped++;
			return fentry_group_done(pi, 0);
		}
		fentry_attach_error(pi, what, err);
		return -1;
	}
	if (probe_inst_add_fd(pi, fd) < 0) {
		fentry_attach_error(pi, what, ENOMEM);
		return -1;
	}
	return fentry_group_done(pi, 0);
}

static void fentry_free(struct probe_inst *pi)
{
	struct fentry_priv *fp = pi->priv;

	free(pi->func);
	pi->func = NULL;
	if (!fp)
		return;
	if (fp->group && --fp->group->refs == 0) {
		free(fp->group->spec);
		free(fp->group);
	}
	free(fp->offs);
	free(fp->module);
	free(fp);
	pi->priv = NULL;
}

/* ---- the context ---- */

/* Where a slot's value points: a BTF pointer's memory, else the
 * kernel's. */
static enum addr_space fentry_as(const struct ctype *t)
{
	t = t ? ctype_resolve(t) : NULL;
	return t && t->kind == CT_PTR ? t->as : AS_KERNEL;
}

static int fentry_value(const struct probe_ctx *c, const struct target *t,
			enum ctx_name name, unsigned n, const char *spelled,
			struct ctx_value *v, char *err, size_t len)
{
	const struct probe_inst *pi = c->prov;
	const struct fentry_priv *fp = pi->priv;
	const struct cmember *m;
	unsigned nm, size;

	(void)t;
	switch (name) {
	case CTX_ARG:
		if (n >= fp->nparams) {
			if (!fp->nparams)
				snprintf(err, len, "%s: %s takes no arguments",
					 spelled, pi->func);
			else
				snprintf(err, len, "%s: %s takes %u argument%s (arg0..arg%u)",
					 spelled, pi->func, fp->nparams,
					 fp->nparams == 1 ? "" : "s", fp->nparams - 1);
			return -1;
		}
		m = ctype_members(pi->args, &nm);
		*v = (struct ctx_value){ .off = fp->offs[n], .size = 8,
					 .as = fentry_as(m[n].type), .ct = m[n].type };
		return 0;
	case CTX_RETVAL:
		if (!pi->prov->is_return) {
			snprintf(err, len, "retval exists in fexit probes, not in fentry: fexit:%s has it",
				 pi->func);
			return -1;
		}
		size = ctype_resolve(fp->ret)->size;
		if (ctype_resolve(fp->ret)->kind == CT_VOID ||
		    (size != 1 && size != 2 && size != 4 && size != 8)) {
			char buf[128];

			snprintf(err, len, "%s returns %s: fexit:%s has no retval to read",
				 pi->func, ctype_name(fp->ret, buf, sizeof(buf)),
				 pi->func);
			return -1;
		}
		/* the low bytes only: above a narrower type the register
		 * holds whatever it held */
		*v = (struct ctx_value){ .off = fp->nslots * 8, .size = size,
					 .as = fentry_as(fp->ret), .ct = fp->ret };
		return 0;
	case CTX_CALLER:
		break;
	}
	return provider_value_none(c, t, name, n, spelled, v, err, len);
}

/* ---- list ---- */

struct fentry_lister {
	const struct provider *prov;
	const char *pattern;         /* against the full spec; NULL: all */
	const char *module;          /* NULL: vmlinux */
	struct btf *btf;
	bool verbose;
	FILE *out;
};

static int fentry_list_one(uint32_t id, const char *name, void *arg)
{
	struct fentry_lister *l = arg;
	const struct kfuncs *kf = fentry_traceable();
	char spec[512];

	if (l->module)
		snprintf(spec, sizeof(spec), "%s:%s:%s", l->prov->name, l->module, name);
	else
		snprintf(spec, sizeof(spec), "%s:%s", l->prov->name, name);
	if (l->pattern && !provider_glob(l->pattern, spec))
		return 0;
	if ((kf && !kfuncs_has(kf, name)) || fentry_denied(name))
		return 0;
	fprintf(l->out, "%s\n", spec);
	if (l->verbose) {
		unsigned nslots;
		const struct ctype *proto;
		struct ctype *args;

		if (!(proto = btf_ctype(l->btf, id)) || proto->kind != CT_FUNC)
			return 0;
		args = kbtf_args_struct(proto, 0, NULL, spec, &nslots, NULL);
		kbtf_print_args(args, l->prov->is_return ? proto->ref : NULL,
				l->out);
		ctype_free(args);
	}
	return 0;
}

static void fentry_list(const struct provider *prov, const char *pattern,
			bool verbose, FILE *out)
{
	struct fentry_lister l = { prov, pattern, NULL, NULL, verbose, out };
	size_t plen = strlen(prov->name);
	const char *why;
	char **mods = NULL;
	size_t nmods = 0;

	l.btf = kbtf_kernel(&why);
	if (!l.btf) {
		/* only when asked for fentry by name: a plain -l lists what
		 * there is */
		if (pattern && !strncmp(pattern, prov->name, plen) &&
		    pattern[plen] == ':')
			fprintf(stderr, "wisp: cannot list %s probes: %s\n",
				prov->name, why);
		return;
	}
	btf_each(l.btf, BTF_KIND_FUNC, fentry_list_one, &l);
	/* the modules too, those whose "PROVIDER:MODULE:" the pattern's
	 * part before its first wildcard allows: "fentry:vfs_*" reads
	 * none, "fentry:*" and "fentry:ext4:*" do */
	kbtf_modules(&mods, &nmods);
	for (size_t i = 0; i < nmods; i++) {
		char prefix[300];
		size_t lit = pattern ? strcspn(pattern, "*?") : 0;
		int len = snprintf(prefix, sizeof(prefix), "%s:%s:", prov->name, mods[i]);

		if (pattern && strncmp(prefix, pattern, lit < (size_t)len ? lit : (size_t)len))
			continue;
		l.module = mods[i];
		l.btf = kbtf_module(mods[i]);
		if (l.btf)
			btf_each(l.btf, BTF_KIND_FUNC, fentry_list_one, &l);
	}
	kbtf_free_names(mods, nmods);
}

static const char *const fentry_aliases[] = { "kfunc", "f", NULL };

const struct provider provider_fentry = {
	.name = "fentry",
	.aliases = fentry_aliases,
	.prog_type = BPF_PROG_TYPE_TRACING,
	.when = PROBE_EVENT,
	.value = fentry_value,
	.resolve = fentry_resolve,
	.load_opts = fentry_load_opts,
	.attach = fentry_attach,
	.free = fentry_free,
	.list = fentry_list,
};

static const char *const fexit_aliases[] = { "kretfunc", "fr", NULL };

const struct provider provider_fexit = {
	.name = "fexit",
	.aliases = fexit_aliases,
	.prog_type = BPF_PROG_TYPE_TRACING,
	.when = PROBE_EVENT,
	.is_return = true,
	.value = fentry_value,
	.resolve = fentry_resolve,
	.load_opts = fentry_load_opts,
	.attach = fentry_attach,
	.free = fentry_free,
	.list = fentry_list,
};

/* ---- --info ---- */

bool fentry_supported(char *why, size_t len)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_TRACE_FENTRY);
	const char *no_btf;
	struct btf *b = kbtf_kernel(&no_btf);
	int fd, lfd, err;

	if (!b) {
		snprintf(why, len, "no kernel BTF");
		return false;
	}
	opts.attach_btf_id = btf_find(b, BTF_KIND_FUNC, "vfs_read");
	if (!opts.attach_btf_id) {
		snprintf(why, len, "no vfs_read in the kernel's BTF to try");
		return false;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "wisp_fentry", "GPL", insns,
			   2, &opts);
	if (fd < 0) {
		snprintf(why, len, "a tracing program does not load: %s",
			 fentry_strerror(errno));
		return false;
	}
	/* attached for an instant: an empty program on vfs_read */
	lfd = bpf_link_create(fd, 0, BPF_TRACE_FENTRY, NULL);
	err = lfd < 0 ? errno : 0;
	if (lfd < 0 && err == EINVAL) {
		lfd = bpf_raw_tracepoint_open(NULL, fd);
		err = lfd < 0 ? errno : 0;
	}
	if (lfd >= 0)
		close(lfd);
	close(fd);
	if (lfd >= 0) {
		snprintf(why, len, "fentry, fexit (BPF trampolines)");
		return true;
	}
	snprintf(why, len, "%s%s", fentry_strerror(err),
		 err == FENTRY_ENOTSUPP || err == EOPNOTSUPP ?
			 ": no BPF trampolines on this architecture" : "");
	return false;
}
