/* rawtracepoint.c - raw tracepoints: "rawtracepoint:NAME", alias "rt",
 * and "rawtracepoint:MODULE:NAME" for a module's tracepoint. NAME may
 * hold the wildcards * and ?.
 *
 * A raw tracepoint hands the program the tracepoint's own arguments, as
 * the kernel passes them to its probe functions (not the record a
 * tracepoint's format file describes): an array of u64, argN the Nth.
 * Where the kernel has BTF, its typedef btf_trace_NAME, a pointer to the
 * prototype of the probe functions (void *ctx, then the arguments), types
 * them, and args.NAME reads one; the names come from the prototype of
 * the function __bpf_trace_CLASS the kernel defines for the event's class
 * (the typedef's parameters have none). The program is a
 * BPF_PROG_TYPE_RAW_TRACEPOINT one, attached with raw_tracepoint_open
 * (4.17+), whose fd holds the attachment.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/btf.h>
#include <bpf/bpf.h>

#include "provider.h"
#include "kbtf.h"
#include "../sys/btf.h"
#include "../sys/fs.h"

/* The most arguments a raw tracepoint program may read
 * (MAX_BPF_FUNC_ARGS). */
#define RAWTP_MAX_ARGS 12
#define RAWTP_TYPEDEF "btf_trace_"
#define RAWTP_CLASS "__bpf_trace_"

struct rawtp_priv {
	char *name;  /* the tracepoint, for raw_tracepoint_open */
	int nargs;   /* from BTF; -1: not known */
};

/* ---- names and types from BTF ---- */

/* The prototype of btf_trace_NAME's pointee in b (or its base), or NULL. */
static const struct ctype *rawtp_proto(struct btf *b, const char *name)
{
	char tname[256];
	const struct ctype *t;
	uint32_t id;

	if (!b || snprintf(tname, sizeof(tname), RAWTP_TYPEDEF "%s", name) >=
			  (int)sizeof(tname))
		return NULL;
	id = btf_find(b, BTF_KIND_TYPEDEF, tname);
	if (!id || !(t = btf_ctype(b, id)))
		return NULL;
	t = ctype_resolve(t);
	if (t->kind != CT_PTR || !t->ref)
		return NULL;
	t = ctype_resolve(t->ref);
	return t->kind == CT_FUNC ? t : NULL;
}

/* The prototype of function id in b, or NULL. */
static const struct ctype *rawtp_func_proto(struct btf *b, uint32_t id)
{
	const struct ctype *t = id ? btf_ctype(b, id) : NULL;

	return t && t->kind == CT_FUNC ? t : NULL;
}

/* The __bpf_trace_CLASS functions of one BTF, read once: an event
 * defined from a class (DEFINE_EVENT) has its class's. */
struct rawtp_class {
	char *name;                  /* CLASS */
	uint32_t id;
};

static struct rawtp_classes {
	struct btf *btf;
	struct rawtp_class *v;
	size_t n, cap;
	struct rawtp_classes *next;
} *rawtp_classes;

static int rawtp_class_one(uint32_t id, const char *name, void *arg)
{
	struct rawtp_classes *c = arg;

	if (strncmp(name, RAWTP_CLASS, sizeof(RAWTP_CLASS) - 1) != 0)
		return 0;
	if (c->n == c->cap) {
		struct rawtp_class *nv = realloc(c->v, (c->cap = c->cap * 2 + 256) * sizeof(*nv));

		if (!nv)
			return 1;
		c->v = nv;
	}
	c->v[c->n].name = strdup(name + sizeof(RAWTP_CLASS) - 1);
	c->v[c->n].id = id;
	if (!c->v[c->n].name)
		return 1;
	c->n++;
	return 0;
}

static struct rawtp_classes *rawtp_classes_of(struct btf *b)
{
	struct rawtp_classes *c;

	for (c = rawtp_classes; c; c = c->next)
		if (c->btf == b)
			return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->btf = b;
	btf_each(b, BTF_KIND_FUNC, rawtp_class_one, c);
	c->next = rawtp_classes;
	rawtp_classes = c;
	return c;
}

static size_t rawtp_common(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

/* A prototype with the parameter names of event name's, whose types
 * proto has: __bpf_trace_NAME for an event that is its own class, else
 * among the classes of the same parameter types the one whose name
 * shares the longest start with the event's ("sched_wakeup" is of class
 * "sched_wakeup_template"). NULL when none matches. */
static const struct ctype *rawtp_names(struct btf *b, const char *name,
				       const struct ctype *proto)
{
	char fname[256];
	const struct ctype *best = NULL, *t;
	struct rawtp_classes *c;
	size_t best_len = 0;

	snprintf(fname, sizeof(fname), RAWTP_CLASS "%s", name);
	t = rawtp_func_proto(b, btf_find(b, BTF_KIND_FUNC, fname));
	if (t && kbtf_same_params(t, 1, proto, 1))
		return t;
	c = rawtp_classes_of(b);
	for (size_t i = 0; c && i < c->n; i++) {
		size_t len = rawtp_common(c->v[i].name, name);

		if (best && len <= best_len)
			continue;
		t = rawtp_func_proto(b, c->v[i].id);
		if (t && kbtf_same_params(t, 1, proto, 1)) {
			best = t;
			best_len = len;
		}
	}
	/* a module's events may be of vmlinux's classes, and the other way
	 * round never */
	return best;
}

/* The args struct of event name in b: NULL when BTF does not have the
 * event; *nargs its number of arguments. with_names: look the names up
 * (argN otherwise). */
static struct ctype *rawtp_args(struct btf *b, const char *name,
				const char *spec, bool with_names, int *nargs)
{
	const struct ctype *proto = rawtp_proto(b, name), *names = NULL;
	unsigned nslots, n;
	struct ctype *args;

	*nargs = -1;
	if (!proto)
		return NULL;
	if (with_names)
		names = rawtp_names(b, name, proto);
	args = kbtf_args_struct(proto, 1, names, spec, &nslots, NULL);
	if (args) {
		ctype_members(args, &n);
		*nargs = (int)n;
	}
	return args;
}

/* ---- spec parsing ---- */

/* Does the probe read args (or ply's data)? Only then are the names of
 * the arguments looked for. */
static bool rawtp_uses_args(const struct node *n)
{
	for (; n; n = n->next) {
		if (n->kind == AST_IDENT && n->name &&
		    (!strcmp(n->name, "args") || !strcmp(n->name, "data")))
			return true;
		if (rawtp_uses_args(n->a) || rawtp_uses_args(n->b) ||
		    rawtp_uses_args(n->c) || rawtp_uses_args(n->args))
			return true;
	}
	return false;
}

/* ---- the tracepoints there are ---- */

struct rawtp_list {
	char **v;
	size_t n, cap;
};

static void rawtp_list_free(struct rawtp_list *l)
{
	kbtf_free_names(l->v, l->n);
	l->v = NULL;
	l->n = l->cap = 0;
}

static int rawtp_list_add(struct rawtp_list *l, const char *name, size_t len)
{
	if (l->n == l->cap) {
		char **nv = realloc(l->v, (l->cap = l->cap * 2 + 256) * sizeof(*nv));

		if (!nv)
			return -1;
		l->v = nv;
	}
	if (!(l->v[l->n] = strndup(name, len)))
		return -1;
	l->n++;
	return 0;
}

static int rawtp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rawtp_list_sort(struct rawtp_list *l)
{
	size_t k = 0;

	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof(*l->v), rawtp_cmp);
	for (size_t i = 0; i < l->n; i++) {
		if (k && !strcmp(l->v[k - 1], l->v[i]))
			free(l->v[i]);
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

static int rawtp_typedef_one(uint32_t id, const char *name, void *arg)
{
	(void)id;
	if (strncmp(name, RAWTP_TYPEDEF, sizeof(RAWTP_TYPEDEF) - 1) != 0)
		return 0;
	name += sizeof(RAWTP_TYPEDEF) - 1;
	return rawtp_list_add(arg, name, strlen(name)) < 0;
}

/* The tracepoints of b itself (its btf_trace_ typedefs), sorted. */
static void rawtp_btf_names(struct btf *b, struct rawtp_list *l)
{
	btf_each(b, BTF_KIND_TYPEDEF, rawtp_typedef_one, l);
	rawtp_list_sort(l);
}

/* The events of tracefs's available_events ("cat:name"), of category cat
 * (NULL: any but those that are no tracepoints), sorted; a described
 * kernel's from its formats' directories. Returns 0, or -1 when they
 * cannot be read. */
static bool rawtp_category_ok(const char *cat)
{
	/* syscalls:* are events of the raw_syscalls tracepoints; the others
	 * are made by tracefs */
	return strcmp(cat, "syscalls") && strcmp(cat, "ftrace") &&
	       strcmp(cat, "kprobes") && strcmp(cat, "uprobes");
}

static int rawtp_dir_names(const char *dir, const char *cat,
			   struct rawtp_list *l)
{
	char path[PATH_MAX];
	struct dirent *c, *e;
	DIR *d, *ed;

	snprintf(path, sizeof(path), "%s/events", dir);
	if (!(d = opendir(path)))
		return -1;
	while ((c = readdir(d))) {
		if (c->d_name[0] == '.' ||
		    (cat ? strcmp(c->d_name, cat) != 0 : !rawtp_category_ok(c->d_name)))
			continue;
		snprintf(path, sizeof(path), "%s/events/%s", dir, c->d_name);
		if (!(ed = opendir(path)))
			continue;
		while ((e = readdir(ed)))
			if (e->d_name[0] != '.' && e->d_type != DT_REG)
				rawtp_list_add(l, e->d_name, strlen(e->d_name));
		closedir(ed);
	}
	closedir(d);
	rawtp_list_sort(l);
	return 0;
}

static int rawtp_tracefs_names(const char *cat, struct rawtp_list *l)
{
	const char *tfs;
	char path[512], *text, *line, *next;

	if (provider_formats_dir)
		return rawtp_dir_names(provider_formats_dir, cat, l);
	if (!(tfs = tracefs_path()))
		return -1;
	snprintf(path, sizeof(path), "%s/available_events", tfs);
	text = sys_read_file(path);
	if (!text)
		return -1;
	for (line = text; *line; line = next) {
		char *colon;

		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		if (cat ? strcmp(line, cat) != 0 : !rawtp_category_ok(line))
			continue;
		rawtp_list_add(l, colon + 1, strlen(colon + 1));
	}
	free(text);
	rawtp_list_sort(l);
	return 0;
}

static bool rawtp_list_has(const struct rawtp_list *l, const char *name)
{
	return l->n && bsearch(&name, l->v, l->n, sizeof(*l->v), rawtp_cmp);
}

/* ---- resolve ---- */

static int rawtp_add(const struct provider *prov, struct probe *probe,
		     struct loc loc, struct btf *b, const char *module,
		     const char *name, struct probe_inst ***tail)
{
	struct rawtp_priv *rp = calloc(1, sizeof(*rp));
	struct probe_inst *pi = NULL;
	char *spec = NULL;
	int n;

	if (module)
		n = asprintf(&spec, "%s:%s:%s", prov->name, module, name);
	else
		n = asprintf(&spec, "%s:%s", prov->name, name);
	if (n < 0 || !rp || !(rp->name = strdup(name)))
		goto nomem;
	pi = probe_inst_new(prov, probe, spec, loc);
	if (!pi)
		goto nomem;
	pi->args = rawtp_args(b, name, spec,
			      rawtp_uses_args(probe->pred) || rawtp_uses_args(probe->body),
			      &rp->nargs);
	pi->priv = rp;
	free(spec);
	**tail = pi;
	*tail = &pi->next;
	return 0;
nomem:
	diag_error(loc, "out of memory");
	if (rp)
		free(rp->name);
	free(rp);
	free(spec);
	return -1;
}

static int rawtp_resolve(const struct provider *prov, struct probe *probe,
			 const char *rest, struct loc loc,
			 struct probe_inst ***tail)
{
	const char *colon = strchr(rest, ':'), *name = colon ? colon + 1 : rest;
	struct rawtp_list names = { 0 };
	char *first = NULL;
	const char *module = NULL, *cat = NULL, *why;
	struct btf *vml = kbtf_kernel(&why), *b = vml;
	bool have_names;
	int ret = -1;

	if ((colon && !provider_name_ok(rest, colon - rest, "_-")) ||
	    !provider_name_ok(name, strlen(name), "_*?")) {
		diag_error(loc, "bad raw tracepoint '%s': expected '%s:[MODULE:]NAME'",
			   rest, prov->name);
		return -1;
	}
	if (colon) {
		struct stat st;
		char path[512];
		const char *tfs;

		first = strndup(rest, colon - rest);
		if (!first) {
			diag_error(loc, "out of memory");
			return -1;
		}
		/* MODULE, or a tracefs category as in "tracepoint:CAT:NAME" */
		if (!strcmp(first, "vmlinux")) {
			/* the kernel's own */
		} else if (vml && (b = kbtf_module(first))) {
			module = first;
		} else if ((tfs = provider_formats_dir ? provider_formats_dir :
					  tracefs_path()) &&
			   snprintf(path, sizeof(path), "%s/events/%s", tfs, first) > 0 &&
			   stat(path, &st) == 0) {
			cat = first;
			b = vml;
		} else if (vml) {
			diag_error(loc, "no kernel module '%s' with BTF (/sys/kernel/btf/%s) and no tracepoint category '%s'",
				   first, first, first);
			goto out;
		} else {
			module = first; /* without BTF, the kernel decides */
		}
	}

	/* An exact name BTF types needs no list */
	if (!provider_is_glob(name) && b && rawtp_proto(b, name)) {
		ret = rawtp_add(prov, probe, loc, b, module, name, tail);
		goto out;
	}
	/* The names there are: BTF's typedefs (the module's, or vmlinux's),
	 * else tracefs's events; neither: the kernel decides at attach. */
	if (b && !cat)
		rawtp_btf_names(b, &names);
	if (!names.n)
		rawtp_tracefs_names(cat, &names);
	have_names = names.n > 0;

	if (provider_is_glob(name)) {
		size_t matched = 0;

		for (size_t i = 0; i < names.n; i++) {
			if (!provider_glob(name, names.v[i]))
				continue;
			matched++;
			if (rawtp_add(prov, probe, loc, b, module, names.v[i], tail) < 0)
				goto out;
		}
		if (!matched) {
			diag_error(loc, "no raw tracepoint matches '%s:%s'%s",
				   prov->name, rest,
				   have_names ? "" : " (neither BTF nor tracefs lists them)");
			goto out;
		}
		ret = 0;
		goto out;
	}
	if (have_names && !rawtp_list_has(&names, name)) {
		const char *best = diag_closest(name, (const char *const *)names.v,
						names.n);

		if (best)
			diag_error(loc, "raw tracepoint '%s' not found; did you mean '%s'?",
				   name, best);
		else
			diag_error(loc, "raw tracepoint '%s' not found", name);
		goto out;
	}
	ret = rawtp_add(prov, probe, loc, b, module, name, tail);
out:
	rawtp_list_free(&names);
	free(first);
	return ret;
}

/* ---- attach ---- */

static int rawtp_attach(struct probe_inst *pi)
{
	const struct rawtp_priv *rp = pi->priv;
	int fd = bpf_raw_tracepoint_open(rp->name, pi->prog_fd), err;

	if (fd >= 0) {
		if (probe_inst_add_fd(pi, fd) < 0) {
			diag_error(pi->loc, "cannot attach '%s': out of memory", pi->spec);
			return -1;
		}
		return 0;
	}
	err = errno;
	if (err == ENOENT)
		diag_error(pi->loc, "cannot attach '%s': the kernel has no tracepoint '%s'",
			   pi->spec, rp->name);
	else if (err == EINVAL)
		diag_error(pi->loc, "cannot attach '%s': raw_tracepoint_open: %s (does the program read an argN the tracepoint does not have?)",
			   pi->spec, strerror(err));
	else
		diag_error(pi->loc, "cannot attach '%s': raw_tracepoint_open: %s%s",
			   pi->spec, strerror(err),
			   err == EACCES || err == EPERM ?
				   " (root, or CAP_BPF and CAP_PERFMON, is needed)" : "");
	return -1;
}

static void rawtp_free(struct probe_inst *pi)
{
	struct rawtp_priv *rp = pi->priv;

	if (rp)
		free(rp->name);
	free(rp);
	pi->priv = NULL;
}

/* ---- the context ---- */

static int rawtp_value(const struct probe_ctx *c, const struct target *t,
		       enum ctx_name name, unsigned n, const char *spelled,
		       struct ctx_value *v, char *err, size_t len)
{
	const struct probe_inst *pi = c->prov;
	const struct rawtp_priv *rp = pi->priv;
	unsigned max = rp->nargs >= 0 ? (unsigned)rp->nargs : RAWTP_MAX_ARGS;

	if (name != CTX_ARG)
		return provider_value_none(c, t, name, n, spelled, v, err, len);
	if (n >= max) {
		if (rp->nargs == 0)
			snprintf(err, len, "%s: tracepoint %s has no arguments",
				 spelled, rp->name);
		else if (rp->nargs > 0)
			snprintf(err, len, "%s: tracepoint %s has %u argument%s (arg0..arg%u)",
				 spelled, rp->name, max, max == 1 ? "" : "s", max - 1);
		else
			snprintf(err, len, "%s: a raw tracepoint has at most %u arguments (arg0..arg%u)",
				 spelled, max, max - 1);
		return -1;
	}
	*v = (struct ctx_value){ .off = 8 * n, .size = 8, .as = AS_KERNEL };
	if (pi->args) {
		const struct cmember *m;
		unsigned nm;
		const struct ctype *ty;

		m = ctype_members(pi->args, &nm);
		ty = n < nm ? ctype_resolve(m[n].type) : NULL;
		if (ty && ty->kind == CT_PTR)
			v->as = ty->as;
	}
	return 0;
}

/* ---- list ---- */

static void rawtp_list_print(const struct provider *prov, const char *pattern,
			     bool verbose, struct btf *b, const char *module,
			     const struct rawtp_list *names, FILE *out)
{
	for (size_t i = 0; i < names->n; i++) {
		char spec[512];

		if (module)
			snprintf(spec, sizeof(spec), "%s:%s:%s", prov->name, module,
				 names->v[i]);
		else
			snprintf(spec, sizeof(spec), "%s:%s", prov->name, names->v[i]);
		if (pattern && !provider_glob(pattern, spec))
			continue;
		fprintf(out, "%s\n", spec);
		if (verbose && b) {
			int nargs;
			struct ctype *args = rawtp_args(b, names->v[i], spec, true,
							&nargs);

			kbtf_print_args(args, NULL, out);
			ctype_free(args);
		}
	}
}

static void rawtp_list(const struct provider *prov, const char *pattern,
		       bool verbose, FILE *out)
{
	struct rawtp_list names = { 0 };
	const char *why;
	struct btf *vml = kbtf_kernel(&why);
	char **mods = NULL;
	size_t nmods = 0;

	if (!vml) {
		if (rawtp_tracefs_names(NULL, &names) == 0)
			rawtp_list_print(prov, pattern, verbose, NULL, NULL, &names, out);
		rawtp_list_free(&names);
		return;
	}
	rawtp_btf_names(vml, &names);
	rawtp_list_print(prov, pattern, verbose, vml, NULL, &names, out);
	rawtp_list_free(&names);
	/* the modules' whose "rawtracepoint:MODULE:" the pattern's start
	 * (before its first wildcard) allows */
	kbtf_modules(&mods, &nmods);
	for (size_t i = 0; i < nmods; i++) {
		char prefix[300];
		size_t lit = pattern ? strcspn(pattern, "*?") : 0;
		int len = snprintf(prefix, sizeof(prefix), "%s:%s:", prov->name, mods[i]);
		struct btf *mb;

		if (pattern && strncmp(prefix, pattern, lit < (size_t)len ? lit : (size_t)len))
			continue;
		mb = kbtf_module(mods[i]);
		if (!mb)
			continue;
		rawtp_btf_names(mb, &names);
		rawtp_list_print(prov, pattern, verbose, mb, mods[i], &names, out);
		rawtp_list_free(&names);
	}
	kbtf_free_names(mods, nmods);
}

static const char *const rawtp_aliases[] = { "rt", NULL };

const struct provider provider_rawtracepoint = {
	.name = "rawtracepoint",
	.aliases = rawtp_aliases,
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.when = PROBE_EVENT,
	.value = rawtp_value,
	.resolve = rawtp_resolve,
	.attach = rawtp_attach,
	.free = rawtp_free,
	.list = rawtp_list,
};
