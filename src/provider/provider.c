/* provider.c - the provider table, spec lookup, probe instances, and the
 * perf-event attachment that tracepoint, interval (and later profile,
 * uprobe) share.
 *
 * The table is an explicit list rather than constructor-registered
 * plug-ins, so that a static link cannot silently drop a provider.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>

#include "provider.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* libbpf returns the kernel's internal ENOTSUPP as is. */
#define PROVIDER_ENOTSUPP 524

static const struct provider *const provider_table[] = {
	&provider_tracepoint,
	&provider_kprobe,
	&provider_kretprobe,
	&provider_uprobe,
	&provider_uretprobe,
	&provider_profile,
	&provider_interval,
	&provider_software,
	&provider_hardware,
	&provider_fentry,
	&provider_fexit,
	&provider_rawtracepoint,
	&provider_begin,
	&provider_end,
};

static bool provider_prefix_is(const char *spec, size_t len, const char *name);

int provider_target_pid;
bool provider_verbose;
const char *provider_formats_dir;
const struct regs_layout *provider_regs;
const char *provider_btf_file;
const char *provider_kallsyms_file;

bool provider_is_glob(const char *s)
{
	return s && strpbrk(s, "*?") != NULL;
}

bool provider_name_ok(const char *s, size_t len, const char *extra)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i]))
			return false;
	return true;
}

bool provider_glob(const char *pat, const char *text)
{
	/* iterative, with one backtrack point for the last '*' */
	const char *star = NULL, *resume = NULL;

	while (*text) {
		if (*pat == '*') {
			star = pat++;
			resume = text;
		} else if (*pat == '?' || *pat == *text) {
			pat++;
			text++;
		} else if (star) {
			pat = star + 1;
			text = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

int provider_list(const char *pattern, bool verbose, FILE *out)
{
	const char *colon = pattern ? strchr(pattern, ':') : NULL;
	int listed = 0;

	for (size_t i = 0; i < ARRAY_SIZE(provider_table); i++) {
		const struct provider *p = provider_table[i];

		if (!p->list)
			continue;
		/* "kprobe:vfs_*" lists kprobes only; an alias selects too */
		if (colon) {
			size_t len = (size_t)(colon - pattern);
			bool match = provider_prefix_is(pattern, len, p->name) ||
				     provider_glob(strndupa(pattern, len), p->name);

			for (const char *const *a = p->aliases; !match && a && *a; a++)
				match = provider_prefix_is(pattern, len, *a);
			if (!match)
				continue;
		}
		/* the pattern is matched against full specs: give the
		 * provider the canonical prefix */
		char *full = NULL;

		if (colon && asprintf(&full, "%s%s", p->name, colon) < 0)
			return -1;
		p->list(p, colon ? full : pattern, verbose, out);
		free(full);
		listed++;
	}
	return 0;
}

static bool provider_prefix_is(const char *spec, size_t len, const char *name)
{
	return strlen(name) == len && strncmp(spec, name, len) == 0;
}

const struct provider *provider_find(const char *spec, const char **rest)
{
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);

	for (size_t i = 0; i < ARRAY_SIZE(provider_table); i++) {
		const struct provider *p = provider_table[i];

		/* BEGIN and END are whole specs in bpftrace and ply, and
		 * "begin" is a common slip: any case matches. The whole spec
		 * goes to resolve, which rejects "BEGIN:x" with a message
		 * better than "unknown probe type". */
		if (p->when != PROBE_EVENT) {
			if (strlen(p->name) == len &&
			    strncasecmp(spec, p->name, len) == 0) {
				if (rest)
					*rest = spec;
				return p;
			}
			continue;
		}
		bool match = provider_prefix_is(spec, len, p->name);

		for (const char *const *a = p->aliases; !match && a && *a; a++)
			match = provider_prefix_is(spec, len, *a);
		if (match) {
			if (rest)
				*rest = colon ? colon + 1 : spec + len;
			return p;
		}
	}
	return NULL;
}

size_t provider_names(const char **names, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(provider_table); i++) {
		const struct provider *p = provider_table[i];

		if (n < max)
			names[n++] = p->name;
		for (const char *const *a = p->aliases; a && *a; a++)
			if (n < max)
				names[n++] = *a;
	}
	return n;
}

static void provider_unknown(const struct probe_spec *spec)
{
	const char *colon = strchr(spec->text, ':');
	int len = colon ? (int)(colon - spec->text) : (int)strlen(spec->text);
	const char *names[64];
	size_t n = provider_names(names, ARRAY_SIZE(names));
	char *prefix = strndup(spec->text, len);
	const char *best = prefix ? diag_closest(prefix, names, n) : NULL;

	if (best)
		diag_error(spec->loc,
			   "unknown probe type '%.*s'; did you mean '%s'?",
			   len, spec->text, best);
	else
		diag_error(spec->loc, "unknown probe type '%.*s'", len,
			   spec->text);
	free(prefix);
}

/* "t:sched:sched_switch, t:*:sched_switch" names one tracepoint twice
 * for one body: the kernel attaches a program once per event, so the
 * instances just added ([*first, end)) that repeat an earlier one of the
 * same probe go. Returns the new tail. */
static struct probe_inst **drop_duplicates(struct probe_inst *head,
					   struct probe_inst **first,
					   struct probe_inst **tail)
{
	struct probe_inst **pp = first;

	while (*pp) {
		struct probe_inst *pi = *pp, *q;

		for (q = head; q != pi; q = q->next)
			if (q->probe == pi->probe && !strcmp(q->spec, pi->spec))
				break;
		if (q != pi) {
			*pp = pi->next;
			pi->next = NULL;
			probe_inst_free_all(pi);
			continue;
		}
		pp = &pi->next;
	}
	(void)tail;
	return pp;
}

int provider_resolve_all(struct program *prog, const struct target *t,
			 struct probe_inst **list)
{
	struct probe_inst *head = NULL, **tail = &head;
	int err = 0;

	provider_target_pid = t->pid;
	provider_formats_dir = t->tracefs;
	provider_regs = t->regs;
	provider_btf_file = t->btf;
	provider_kallsyms_file = t->kallsyms;
	/* Go on after an error so that one run reports every bad spec. */
	for (struct probe *probe = prog->probes; probe; probe = probe->next) {
		for (struct probe_spec *s = probe->specs; s; s = s->next) {
			const struct provider *prov;
			const char *rest;

			prov = provider_find(s->text, &rest);
			if (!prov) {
				provider_unknown(s);
				err = -1;
				continue;
			}
			struct probe_inst **first = tail;

			if (prov->resolve(prov, probe, rest, s->loc, &tail) < 0)
				err = -1;
			else
				tail = drop_duplicates(head, first, tail);
		}
	}
	if (err) {
		probe_inst_free_all(head);
		head = NULL;
	}
	for (struct probe_inst *pi = head; pi; pi = pi->next)
		probe_inst_ctx(pi);
	*list = head;
	return err;
}

struct probe_inst *probe_inst_new(const struct provider *prov,
				  struct probe *probe, const char *spec,
				  struct loc loc)
{
	struct probe_inst *pi = calloc(1, sizeof(*pi));

	if (!pi)
		return NULL;
	pi->spec = strdup(spec);
	if (!pi->spec) {
		free(pi);
		return NULL;
	}
	pi->prov = prov;
	pi->probe = probe;
	pi->loc = loc;
	pi->prog_fd = -1;
	return pi;
}

const struct field *probe_inst_field(const struct probe_inst *pi,
				     const char *name)
{
	for (const struct field *f = pi->fields; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

void probe_inst_ctx(struct probe_inst *pi)
{
	const struct provider *p = pi->prov;

	pi->ctx.probe = pi->probe;
	pi->ctx.spec = pi->spec;
	pi->ctx.kind = p->name;
	pi->ctx.func = pi->func;
	pi->ctx.args = pi->args;
	pi->ctx.pid_filter = p->when == PROBE_EVENT && !p->timer;
	pi->ctx.value = p->value ? p->value : provider_value_none;
	pi->ctx.prov = pi;
}

int provider_value_none(const struct probe_ctx *c, const struct target *t,
			enum ctx_name name, unsigned n, const char *spelled,
			struct ctx_value *v, char *err, size_t len)
{
	(void)t, (void)n, (void)v;
	switch (name) {
	case CTX_ARG:
		snprintf(err, len, "%s exists in kprobes and uprobes, not in %s probes%s",
			 spelled, c->kind, c->args ? ": use args->NAME" : "");
		break;
	case CTX_RETVAL:
		snprintf(err, len, "retval exists in return probes (kretprobe, uretprobe), not in %s probes",
			 c->kind);
		break;
	case CTX_CALLER:
		snprintf(err, len, "caller is where a probed function returns to: it exists in kprobes and uprobes, not in %s probes",
			 c->kind);
		break;
	}
	return -1;
}

int provider_value_regs(const struct probe_ctx *c, const struct target *t,
			enum ctx_name name, unsigned n, const char *spelled,
			bool is_return, enum addr_space as, struct ctx_value *v,
			char *err, size_t len)
{
	const struct regs_layout *r = t->regs;

	*v = (struct ctx_value){ .as = as, .size = r ? r->size : 8 };
	switch (name) {
	case CTX_ARG:
		if (!r || n >= r->nargs) {
			snprintf(err, len, "%s: this architecture passes %u arguments in registers (arg0..arg%u)",
				 spelled, r ? r->nargs : 0, r ? r->nargs - 1 : 0);
			return -1;
		}
		v->off = r->arg_off[n];
		return 0;
	case CTX_RETVAL:
		if (!is_return || !r)
			return provider_value_none(c, t, name, n, spelled, v, err, len);
		v->off = r->ret_off;
		return 0;
	case CTX_CALLER:
		if (is_return || !c->func || !r)
			return provider_value_none(c, t, name, n, spelled, v, err, len);
		/* a call leaves the return address in the link register, or
		 * (x86_64) at the top of the stack */
		v->off = r->lr_off ? r->lr_off : r->sp_off;
		v->at_sp = !r->lr_off;
		return 0;
	}
	return -1;
}

bool probe_inst_can_share(const struct probe_inst *a,
			  const struct probe_inst *b)
{
	struct prog_load_opts oa = { 0 }, ob = { 0 };

	if (a->prov->prog_type != b->prov->prog_type)
		return false;
	if (a->prov->load_opts && a->prov->load_opts(a, &oa))
		return false;
	if (b->prov->load_opts && b->prov->load_opts(b, &ob))
		return false;
	return !oa.attach_btf_id && !ob.attach_btf_id &&
	       oa.expected_attach_type == ob.expected_attach_type;
}

/* On failure fd is closed: an fd the instance does not hold would keep
 * the probe attached until exit. */
int probe_inst_add_fd(struct probe_inst *pi, int fd)
{
	int *fds = realloc(pi->fds, (pi->nfds + 1) * sizeof(*fds));

	if (!fds) {
		close(fd);
		return -1;
	}
	fds[pi->nfds++] = fd;
	pi->fds = fds;
	return 0;
}

void probe_inst_detach(struct probe_inst *pi)
{
	/* Newest first: the link goes before the perf event under it. */
	while (pi->nfds > 0)
		close(pi->fds[--pi->nfds]);
	free(pi->fds);
	pi->fds = NULL;
}

/* What a field's "struct task_struct *" points to: the struct by name,
 * found in the kernel's types when the program uses it; void for any
 * other pointer. */
static const struct ctype *pointee(const char *ctype)
{
	const char *p = ctype ? ctype : "";
	enum ctype_kind kind;
	char name[128];
	size_t n = 0;

	while (!strncmp(p, "const ", 6) || !strncmp(p, "volatile ", 9))
		p += p[0] == 'c' ? 6 : 9;
	if (!strncmp(p, "struct ", 7))
		kind = CT_STRUCT, p += 7;
	else if (!strncmp(p, "union ", 6))
		kind = CT_UNION, p += 6;
	else
		return ctype_void();
	while ((isalnum((unsigned char)p[n]) || p[n] == '_') && n + 1 < sizeof(name))
		n++;
	memcpy(name, p, n);
	name[n] = 0;
	p += n;
	while (*p == ' ')
		p++;
	/* one '*' and nothing after it: a pointer to the struct itself */
	if (!n || p[0] != '*' || strchr(p + 1, '*'))
		return ctype_void();
	return ctype_fwd(kind, name);
}

const struct ctype *provider_fields_type(const struct field *fields,
					 const char *name)
{
	struct ctype *s;
	unsigned end = 0;

	for (const struct field *f = fields; f; f = f->next)
		if (f->offset + f->size > end)
			end = f->offset + f->size;
	s = ctype_new(CT_STRUCT, name, end);
	for (const struct field *f = fields; s && f; f = f->next) {
		const struct ctype *t = NULL;

		switch (f->kind) {
		case FIELD_INT:
			t = ctype_int(f->size, f->is_signed);
			break;
		case FIELD_PTR:
			t = ctype_ptr(f->is_str ? ctype_char() : pointee(f->ctype), f->as,
				      f->size);
			break;
		case FIELD_CHARS:
			t = ctype_array(ctype_char(), f->size);
			break;
		case FIELD_DATALOC:
			t = ctype_dataloc(ctype_char());
			break;
		case FIELD_ARRAY:
			t = ctype_array(ctype_int(1, false), f->size);
			break;
		}
		if (!t || ctype_add_member(s, f->name, t, f->offset, 0, 0)) {
			ctype_free(s);
			return NULL;
		}
	}
	return s;
}

void provider_fields_free(struct field *list)
{
	while (list) {
		struct field *next = list->next;

		free(list->name);
		free(list->ctype);
		free(list);
		list = next;
	}
}

/* The instance owns its program fd too: closing it unloads the program
 * once the attachments are gone. */
void probe_inst_free_all(struct probe_inst *list)
{
	while (list) {
		struct probe_inst *next = list->next;

		probe_inst_detach(list);
		if (list->prog_fd >= 0)
			close(list->prog_fd);
		if (list->prov && list->prov->free)
			list->prov->free(list);
		provider_fields_free(list->fields);
		/* the struct of the fields, made for this instance */
		ctype_free((struct ctype *)list->args);
		free(list->spec);
		free(list);
		list = next;
	}
}

/* strerror, knowing the kernel-internal ENOTSUPP that BPF commands leak. */
static const char *provider_strerror(int err)
{
	if (err == PROVIDER_ENOTSUPP)
		return "Operation not supported by this kernel";
	return strerror(err);
}

int probe_inst_run(struct probe_inst *pi)
{
	/* A raw tracepoint context is an array of u64 arguments; BEGIN and
	 * END read none, but the kernel wants a context of some size. */
	unsigned long long ctx[1] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx,
		    .ctx_size_in = sizeof(ctx));
	int err;

	if (pi->prog_fd < 0) {
		diag_error(pi->loc, "cannot run '%s': its program is not loaded",
			   pi->spec);
		return -1;
	}
	err = bpf_prog_test_run_opts(pi->prog_fd, &opts);
	if (err < 0) {
		err = errno ? errno : -err;
		diag_error(pi->loc, "cannot run '%s': %s%s", pi->spec,
			   provider_strerror(err),
			   err == EPERM || err == EACCES ?
				   " (root or CAP_BPF is needed)" : "");
		return -1;
	}
	return 0;
}

static void provider_attach_error(struct probe_inst *pi, const char *what,
				  int err)
{
	diag_error(pi->loc, "cannot attach '%s': %s: %s%s", pi->spec, what,
		   provider_strerror(err),
		   err == EACCES || err == EPERM ?
			   " (root, or CAP_BPF and CAP_PERFMON, is needed)" : "");
}

/* Kernels before 5.15 have no BPF_PERF_EVENT links and say so with one
 * of these; any other error is a real one. */
static bool provider_link_unsupported(int err)
{
	return err == EINVAL || err == EOPNOTSUPP || err == PROVIDER_ENOTSUPP ||
	       err == ENOSYS;
}

int provider_perf_attach(struct probe_inst *pi, struct perf_event_attr *attr,
			 int cpu)
{
	int pfd, lfd;

	attr->size = sizeof(*attr);
	pfd = syscall(__NR_perf_event_open, attr, -1, cpu, -1,
		      PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		provider_attach_error(pi, "perf_event_open", errno);
		return -1;
	}
	if (probe_inst_add_fd(pi, pfd) < 0) {
		provider_attach_error(pi, "perf_event_open", ENOMEM);
		return -1;
	}

	/* A link detaches the program when the fd is closed, even if the
	 * perf event fd were shared, and shows up in bpftool link. */
	lfd = bpf_link_create(pi->prog_fd, pfd, BPF_PERF_EVENT, NULL);
	if (lfd >= 0) {
		if (probe_inst_add_fd(pi, lfd) < 0) {
			provider_attach_error(pi, "bpf_link_create", ENOMEM);
			goto fail;
		}
	} else {
		int err = errno ? errno : -lfd;

		if (!provider_link_unsupported(err)) {
			provider_attach_error(pi, "bpf_link_create", err);
			goto fail;
		}
		if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, pi->prog_fd) < 0) {
			provider_attach_error(pi, "PERF_EVENT_IOC_SET_BPF",
					      errno);
			goto fail;
		}
	}
	if (ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		provider_attach_error(pi, "PERF_EVENT_IOC_ENABLE", errno);
		goto fail;
	}
	return 0;
fail:
	probe_inst_detach(pi);
	return -1;
}
