/* sema.c - the semantic pass: resolve names, infer types, collect maps and
 * printf formats.
 *
 * The pass runs twice over every probe instance: pass 1 only learns the
 * types of maps from their assignments (a map may be read in a probe
 * written before the one that assigns it), pass 2 checks everything and
 * reports errors. sema_probe re-runs it silently on one instance before
 * that instance is lowered, because instances sharing a body may have
 * different context fields.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "cdecl.h"
#include "kconst.h"
#include "limits.h"
#include "sema.h"

static const char *const builtin_names[] = {
	[BI_NONE] = "", [BI_PID] = "pid", [BI_TID] = "tid",
	[BI_UID] = "uid", [BI_GID] = "gid", [BI_COMM] = "comm",
	[BI_CPU] = "cpu", [BI_NSECS] = "nsecs", [BI_ARGS] = "args",
	[BI_ELAPSED] = "elapsed", [BI_RAND] = "rand", [BI_CGROUP] = "cgroup",
	[BI_CURTASK] = "curtask", [BI_CPID] = "cpid", [BI_PROBE] = "probe",
	[BI_KSTACK] = "kstack", [BI_USTACK] = "ustack", [BI_ARG] = "arg",
	[BI_RETVAL] = "retval", [BI_FUNC] = "func", [BI_CALLER] = "caller",
};

/* Spellings of builtins, ply's included, for lookup and "did you mean". */
static const struct {
	const char *name;
	enum builtin bi;
} builtin_spellings[] = {
	{ "pid", BI_PID },   { "tid", BI_TID },     { "kpid", BI_TID },
	{ "uid", BI_UID },   { "gid", BI_GID },     { "comm", BI_COMM },
	{ "execname", BI_COMM }, { "cpu", BI_CPU }, { "nsecs", BI_NSECS },
	{ "time", BI_NSECS }, { "args", BI_ARGS },  { "data", BI_ARGS },
	{ "elapsed", BI_ELAPSED }, { "rand", BI_RAND }, { "cgroup", BI_CGROUP },
	{ "curtask", BI_CURTASK }, { "cpid", BI_CPID }, { "probe", BI_PROBE },
	{ "kstack", BI_KSTACK }, { "stack", BI_KSTACK }, { "ustack", BI_USTACK },
	{ "retval", BI_RETVAL }, { "func", BI_FUNC }, { "arg0", BI_ARG },
	{ "caller", BI_CALLER },
};
#define NBUILTINS (sizeof(builtin_spellings) / sizeof(builtin_spellings[0]))


const char *builtin_name(enum builtin b)
{
	return builtin_names[b];
}

/* Errors are reported in pass 2 only, once per location: bodies shared by
 * several instances would otherwise repeat them. */
static struct loc reported[64];
static int nreported;

/* Was a diagnostic given at loc already? Records it when not. */
static bool already_reported(struct loc loc)
{
	for (int i = 0; i < nreported; i++)
		if (reported[i].line == loc.line && reported[i].col == loc.col)
			return true;
	if (nreported < 64)
		reported[nreported++] = loc;
	return false;
}

static void __attribute__((format(printf, 3, 4)))
serr(struct sema *s, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	s->errors++;
	if (s->pass != 2 || already_reported(loc))
		return;
	va_start(ap, fmt);
	diag_vreport(DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

static char *tname(struct type t)
{
	static char bufs[2][128];
	static int which;

	which ^= 1;
	return (char *)type_name(t, bufs[which], sizeof(bufs[which]));
}

static bool is_intlike(struct type t)
{
	return t.kind == TYPE_INT || t.kind == TYPE_PTR;
}


/* Integers widen to 64 bits in registers, maps and records. */
static struct type widen(struct type t)
{
	if (t.kind == TYPE_PTR)
		return type_int(8, false);
	if (t.kind == TYPE_INT)
		return type_int(8, t.is_signed);
	return t;
}

/* What a local or a map value keeps of a value: integers widened, and
 * pointers as pointers, so that str() and the like still know which
 * address space to read (a user pointer saved at a syscall's entry). */
static struct type value_of(struct type t)
{
	return t.kind == TYPE_PTR ? t : widen(t);
}

/* A pointer and an integer mix in a local or map: the first kept. */
static bool int_mix(struct type a, struct type b)
{
	return is_intlike(a) && is_intlike(b);
}

static struct type t_u64(void)
{
	return type_int(8, false);
}

static struct type t_s64(void)
{
	return type_int(8, true);
}

/* ---- maps ---- */

static struct map_def *map_get(struct sema *s, struct node *n)
{
	char name[LIMIT_IDENT + 2];
	int nuser = 0; /* the program's maps before it, not wisp's own */

	snprintf(name, sizeof(name), "@%s", n->name);
	for (int i = 0; i < s->tab->nmaps; i++) {
		struct map_def *m = s->tab->maps[i];

		if (strcmp(m->name, name)) {
			nuser += m->name[1] != '.'; /* "@.events" is wisp's */
			continue;
		}
		/* said where the map is first named (pass 1 adds it) */
		if (nuser == LIMIT_MAPS && m->loc.line == n->loc.line &&
		    m->loc.col == n->loc.col)
			serr(s, n->loc, "more than %d maps in the program", LIMIT_MAPS);
		return m;
	}
	return tab_map_add(s->tab, name, MAPK_VALUE, n->loc);
}

static bool map_typed(const struct map_def *m)
{
	return m->kind != MAPK_VALUE || m->val.kind != TYPE_NONE;
}

/* The aggregation functions: assigned to a map, they make it per-CPU. */
static const struct agg {
	const char *name;
	enum map_kind kind;
	int nargs;
} aggs[] = {
	{ "count", MAPK_COUNT, 0 }, { "sum", MAPK_SUM, 1 },
	{ "hist", MAPK_HIST, 1 },   { "quantize", MAPK_HIST, 1 },
	{ "avg", MAPK_AVG, 1 },     { "min", MAPK_MIN, 1 },
	{ "max", MAPK_MAX, 1 },     { "stats", MAPK_STATS, 1 },
	{ "lhist", MAPK_LHIST, 4 },
};

static const struct agg *agg_find(const char *name)
{
	for (size_t i = 0; i < sizeof(aggs) / sizeof(aggs[0]); i++)
		if (!strcmp(aggs[i].name, name))
			return &aggs[i];
	return NULL;
}

static const char *kind_name(enum map_kind k)
{
	for (size_t i = 0; i < sizeof(aggs) / sizeof(aggs[0]); i++)
		if (aggs[i].kind == k)
			return aggs[i].name;
	return "a value";
}

static void check_expr(struct sema *s, struct node *n);
static void stack_map(struct sema *s);

/* An expression tested for truth (if, while, ?:, predicates). */
static void check_cond(struct sema *s, struct node *n, const char *what)
{
	check_expr(s, n);
	if (n->type.kind != TYPE_NONE && !is_intlike(n->type))
		serr(s, n->loc, "%s must be an integer, this is %s", what,
		     tname(n->type));
}

/* Check the keys of a map reference against (or record them into) the
 * map's key layout. */
static void check_keys(struct sema *s, struct node *n, struct map_def *m)
{
	struct type kt[MAP_MAX_KEYS];
	int nk = 0;

	for (struct node *k = n->args; k; k = k->next) {
		check_expr(s, k);
		if (nk == MAP_MAX_KEYS) {
			serr(s, k->loc, "a map takes at most %d keys",
			     MAP_MAX_KEYS);
			return;
		}
		if (k->type.kind == TYPE_NONE)
			return;
		if (!is_intlike(k->type) && !type_in_memory(k->type)) {
			serr(s, k->loc, "a %s cannot be a map key",
			     tname(k->type));
			return;
		}
		kt[nk++] = widen(k->type);
	}
	if (!m->keys_known) {
		/* first keyed (or keyless) use fixes the keys */
		m->nkeys = nk;
		for (int i = 0; i < nk; i++)
			m->keys[i] = kt[i];
		m->keys_known = true;
		return;
	}
	if (m->nkeys != nk) {
		serr(s, n->loc, "map %s is used with %d key%s here but %d elsewhere",
		     m->name, nk, nk == 1 ? "" : "s", m->nkeys);
		return;
	}
	for (int i = 0; i < nk; i++) {
		struct type u;

		if (m->keys[i].kind != kt[i].kind ||
		    (kt[i].kind != TYPE_INT && /* integers of either sign */
		     !type_unify(m->keys[i], kt[i], &u))) {
			serr(s, n->loc, "key %d of map %s is %s here but %s elsewhere",
			     i + 1, m->name, tname(kt[i]), tname(m->keys[i]));
			return;
		}
		if (m->keys[i].kind != TYPE_INT)
			m->keys[i] = u;
	}
}

/* Give a map its kind and value type from an assignment. */
static void map_assign_type(struct sema *s, struct node *lhs, struct map_def *m,
			    enum map_kind kind, struct type vt)
{
	if (vt.kind == TYPE_NONE)
		return;
	if (!map_typed(m)) {
		m->kind = kind;
		m->val = kind == MAPK_VALUE ? value_of(vt) : vt;
		return;
	}
	if (m->kind != kind) {
		serr(s, lhs->loc, "map %s holds %s%s, it cannot also hold %s%s",
		     m->name, m->kind == MAPK_VALUE ? tname(m->val) : kind_name(m->kind),
		     m->kind == MAPK_VALUE ? "" : "()",
		     kind == MAPK_VALUE ? tname(vt) : kind_name(kind),
		     kind == MAPK_VALUE ? "" : "()");
		return;
	}
	if (kind != MAPK_VALUE)
		return;
	struct type u;
	if (int_mix(m->val, vt))
		return;
	if (!type_unify(m->val, widen(vt), &u)) {
		serr(s, lhs->loc, "map %s holds %s, it cannot also hold %s",
		     m->name, tname(m->val), tname(vt));
		return;
	}
	m->val = u;
}

/* ---- printf ---- */

static int count_args(const struct node *n);

/* The record definition of a printf-like call n, made on first sight. */
static struct fmt_def *fmt_get(struct sema *s, struct node *n, const char *fmt,
			       int nargs)
{
	struct fmt_def *f = n->fmt;

	if (f)
		return f;
	s->tab->streams = true;
	f = calloc(1, sizeof(*f));
	f->id = EVENT_PRINTF + s->tab->nfmts;
	f->fmt = strdup(fmt);
	f->loc = n->loc;
	f->nargs = nargs;
	f->args = calloc(nargs ? nargs : 1, sizeof(*f->args));
	s->tab->fmts = realloc(s->tab->fmts, (s->tab->nfmts + 1) * sizeof(*s->tab->fmts));
	s->tab->fmts[s->tab->nfmts++] = f;
	n->fmt = f;
	return f;
}

/* Lay a record out: the header, then each argument 8-byte aligned (the
 * verifier wants aligned stack stores; strings are copied by words). */
static void fmt_layout(struct fmt_def *f)
{
	unsigned off = 8;

	for (int i = 0; i < f->nargs; i++) {
		unsigned sz = f->args[i].type.size ? f->args[i].type.size : 8;

		off = (off + 7) & ~7u;
		f->args[i].off = off;
		off += sz;
	}
	f->size = (off + 7) & ~7u;
}

static void check_printf(struct sema *s, struct node *n)
{
	struct node *fmt = n->args;
	struct fmt_conv *convs = NULL;
	int nconvs = 0, nargs = 0, want;
	char *err = NULL;
	size_t err_pos = 0;
	struct fmt_def *f;

	if (!fmt || fmt->kind != AST_STR) {
		serr(s, fmt ? fmt->loc : n->loc,
		     "printf needs a string literal as its first argument");
		return;
	}
	for (struct node *a = fmt->next; a; a = a->next) {
		check_expr(s, a);
		nargs++;
	}
	want = fmt_parse(fmt->str, &convs, &nconvs, &err, &err_pos);
	if (want < 0) {
		struct loc l = fmt->loc;

		l.col += 1 + (int)err_pos; /* inside the quotes; escapes shift it */
		serr(s, l, "%s", err);
		free(err);
		free(convs);
		return;
	}
	if (want != nargs) {
		serr(s, n->loc, "printf format has %d conversion%s but %d argument%s follow%s",
		     want, want == 1 ? "" : "s", nargs, nargs == 1 ? "" : "s",
		     nargs == 1 ? "s" : "");
		free(convs);
		return;
	}
	f = fmt_get(s, n, fmt->str, nargs);
	int i = 0, ci = 0;
	for (struct node *a = fmt->next; a; a = a->next, i++) {
		while (convs[ci].conv == '%')
			ci++;
		char c = convs[ci++].conv;
		struct type t = a->type;

		if (t.kind == TYPE_NONE)
			continue;
		if (c == 's' || c == 'r') {
			if (!type_in_memory(t)) {
				serr(s, a->loc, "%%s needs a string, this is %s", tname(t));
				continue;
			}
		} else if (c == 'v') {
			if (!type_in_memory(t) && !is_intlike(t)) {
				serr(s, a->loc, "%%v cannot print %s", tname(t));
				continue;
			}
		} else if (!is_intlike(t)) {
			serr(s, a->loc, "%%%c needs an integer, this is %s", c, tname(t));
			continue;
		}
		t = widen(t);
		if (f->args[i].type.kind != TYPE_NONE)
			type_unify(f->args[i].type, t, &t);
		f->args[i].type = t;
	}
	fmt_layout(f);
	free(convs);
}

/* print(value): one record with the value, printed with a newline (in
 * JSON as a "value" message). */
static void check_print_value(struct sema *s, struct node *n)
{
	struct node *a = n->args;
	struct fmt_def *f;

	if (count_args(n) != 1) {
		serr(s, n->loc, "print() takes a map, as in print(@m, top, div), or one value");
		return;
	}
	check_expr(s, a);
	if (a->type.kind == TYPE_NONE)
		return;
	if (!is_intlike(a->type) && !type_in_memory(a->type)) {
		serr(s, a->loc, "print() cannot print %s", a->type.kind == TYPE_VOID ?
		     "a function's missing value" : tname(a->type));
		return;
	}
	f = fmt_get(s, n, "%v\n", 1);
	f->value = true;
	if (f->args[0].type.kind == TYPE_NONE ||
	    !type_unify(f->args[0].type, widen(a->type), &f->args[0].type))
		f->args[0].type = widen(a->type);
	fmt_layout(f);
}

/* ---- expressions ---- */

static struct sema_var *var_find(struct sema *s, const char *name)
{
	for (struct sema_var *v = s->vars; v; v = v->next)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

/* A new local of the probe body being checked. */
static struct sema_var *var_new(struct sema *s, const char *name, struct loc loc,
				struct type t)
{
	struct sema_var *v = calloc(1, sizeof(*v));
	int n = 0;

	for (struct sema_var *o = s->vars; o; o = o->next)
		n++;
	if (n == LIMIT_LOCALS)
		serr(s, loc, "more than %d variables in one probe", LIMIT_LOCALS);
	v->name = strdup(name);
	v->loc = loc;
	v->type = t;
	v->next = s->vars;
	s->vars = v;
	return v;
}

/* A register of a probe's context: an integer or an address, in the
 * probed program's memory for uprobes, unknown for kprobes. */
/* Where the provider keeps argN, retval or caller: reports and returns
 * -1 where the probe has none. */
static int ctx_value(struct sema *s, struct node *n, enum ctx_name name,
		     struct ctx_value *v)
{
	char err[256];

	if (s->pc->value(s->pc, s->tgt, name, (unsigned)n->ival, n->name, v,
			 err, sizeof(err))) {
		serr(s, n->loc, "%s", err);
		return -1;
	}
	return 0;
}

static void check_ident(struct sema *s, struct node *n)
{
	const char *cands[NBUILTINS + 4];
	size_t nc = 0;

	for (size_t i = 0; i < NBUILTINS; i++) {
		if (!strcmp(builtin_spellings[i].name, n->name)) {
			n->builtin = builtin_spellings[i].bi;
			break;
		}
		cands[nc++] = builtin_spellings[i].name;
	}
	if (!strncmp(n->name, "arg", 3) && n->name[3] >= '0' && n->name[3] <= '9') {
		char *end;
		long i = strtol(n->name + 3, &end, 10);

		if (!*end) {
			n->builtin = BI_ARG;
			n->ival = i;
		}
	}
	switch (n->builtin) {
	case BI_ARG:
	case BI_RETVAL:
	case BI_CALLER: {
		struct ctx_value v;

		if (ctx_value(s, n, n->builtin == BI_ARG ? CTX_ARG :
				    n->builtin == BI_RETVAL ? CTX_RETVAL : CTX_CALLER, &v))
			return;
		if (n->builtin == BI_CALLER) {
			n->type = (struct type){ .kind = v.as == AS_USER ? TYPE_USYM : TYPE_KSYM,
						 .size = v.as == AS_USER ? 16 : 8 };
		} else if (v.ct && ctype_classify(v.ct) == CC_INT &&
			   ctype_resolve(v.ct)->size <= v.size) {
			/* typed by the provider (fentry): its size and sign */
			n->type = type_int(ctype_resolve(v.ct)->size,
					   ctype_resolve(v.ct)->is_signed);
		} else if (v.ct && ctype_classify(v.ct) == CC_PTR) {
			n->type = (struct type){ .kind = TYPE_PTR, .size = 8, .as = v.as,
						 .ct = ctype_resolve(v.ct)->ref };
		} else {
			n->type = (struct type){ .kind = TYPE_PTR, .size = 8, .as = v.as };
		}
		return;
	}
	case BI_FUNC:
		if (!s->pc->func) {
			serr(s, n->loc, "func names the probed function: %s probes have none",
			     s->pc->kind);
			return;
		}
		n->type = type_str(strlen(s->pc->func) + 1);
		return;
	case BI_PID: case BI_TID: case BI_UID: case BI_GID: case BI_CPU:
		n->type = type_int(4, false);
		return;
	case BI_NSECS:
	case BI_ELAPSED:
	case BI_CGROUP:
		n->type = t_u64();
		return;
	case BI_RAND:
		n->type = type_int(4, false);
		return;
	case BI_CURTASK:
		/* struct task_struct * where the kernel's types are known */
		n->type = (struct type){ .kind = TYPE_PTR, .size = 8, .as = AS_KERNEL,
					 .ct = ctype_find(CT_STRUCT, "task_struct") };
		return;
	case BI_CPID:
		if (!s->tgt->cpid) {
			serr(s, n->loc, "cpid is the pid of the -c command: run with -c");
			return;
		}
		n->type = type_int(4, false);
		return;
	case BI_PROBE:
		n->type = type_str(strlen(s->pc->spec) + 1);
		return;
	case BI_KSTACK:
	case BI_USTACK:
		n->type = (struct type){ .kind = TYPE_STACK, .size = 16,
					 .as = n->builtin == BI_USTACK ? AS_USER : AS_KERNEL };
		stack_map(s);
		return;
	case BI_COMM:
		n->type = type_str(16);
		return;
	case BI_ARGS:
		serr(s, n->loc, "'%s' can only be used with a field, as in %s->NAME",
		     n->name, n->name);
		return;
	case BI_NONE:
		break;
	}
	/* an enum constant of the program's or the kernel's types, or one
	 * of the kernel's macros tracing programs use */
	int64_t v;
	if (ctype_enum_const(n->name, &v) || kconst_lookup(n->name, &v)) {
		n->kind = AST_INT;
		n->ival = v;
		n->type = t_s64();
		return;
	}
	const char *close = diag_closest(n->name, cands, nc);
	if (close)
		serr(s, n->loc, "unknown identifier '%s'; did you mean '%s'?",
		     n->name, close);
	else
		serr(s, n->loc, "unknown identifier '%s'", n->name);
}

/* $1..$N are the arguments after the program, $# their count: an
 * argument that reads as an integer is one, else it is a string. A
 * missing one is 0 (or "" where a string is needed), as in bpftrace.
 * The node becomes the constant it stands for. */
static void check_posparam(struct sema *s, struct node *n)
{
	const char *arg;
	char *end;
	long long v;

	if (n->ival == 0) {
		/* (params[-1] was the program text); said in pass 2, so it
		 * stays a parameter until then */
		n->type = t_s64();
		if (s->pass != 2)
			return;
		serr(s, n->loc, "positional parameters start at $1");
	}
	if (n->ival <= 0 || n->ival > s->nparams) {
		v = n->ival < 0 ? s->nparams : 0;
		n->kind = AST_INT;
		n->ival = v;
		n->type = t_s64();
		return;
	}
	arg = s->params[n->ival - 1];
	errno = 0;
	v = strtoll(arg, &end, 0);
	if (*arg && !*end && !errno) {
		n->kind = AST_INT;
		n->ival = v;
		n->type = t_s64();
		return;
	}
	n->kind = AST_STR;
	n->str = strdup(arg);
	n->len = strlen(arg);
	n->type = type_str(n->len + 1);
}

static void check_map_read(struct sema *s, struct node *n);

/* $x++, --@m[k] as values: integer variables and maps. */
static void check_incdec(struct sema *s, struct node *n)
{
	struct node *lv = n->a;

	if (lv->kind == AST_VAR) {
		check_expr(s, lv);
	} else if (lv->kind == AST_MAP) {
		check_map_read(s, lv);
		lv->map->written = true;
	} else {
		serr(s, lv->loc, "only maps and $variables can be incremented");
		return;
	}
	if (lv->type.kind == TYPE_NONE)
		return;
	if (lv->type.kind != TYPE_INT) {
		serr(s, lv->loc, "'%s' needs an integer, this is %s", tok_spelling(n->op),
		     tname(lv->type));
		return;
	}
	n->type = lv->type;
}

/* t.N: element N of a tuple (ival); the name is its digits. */
static void check_tuple_elem(struct sema *s, struct node *n)
{
	const struct tuple_def *d = type_tuple_def(n->a->type);
	char *end;
	long i = strtol(n->name, &end, 10);

	if (n->op != TOK_DOT || *end || i < 0 || !d || i >= (long)d->n) {
		serr(s, n->loc, "%s has elements .0 to .%u; '%s%s' is none of them",
		     tname(n->a->type), d ? d->n - 1 : 0, tok_spelling(n->op), n->name);
		return;
	}
	n->ival = i;
	n->type = d->elem[i];
}

/* Where kernel types come from, said when there are none. */
#define NO_TYPES " (no BTF was read for this kernel: declare the type in the program, or give the kernel's types with --btf FILE)"

/* The language value C data of type ct is read as; as is the memory
 * it is in (a pointer read from user memory points into user memory).
 * An error at n where it cannot be a value. */
static struct type c_value_type(struct sema *s, struct node *n,
				const struct ctype *ct, enum addr_space as,
				const char *what)
{
	const struct ctype *r = ctype_definition(ct);
	char name[128];

	switch (ctype_classify(ct)) {
	case CC_INT:
		if (r->size == 1 || r->size == 2 || r->size == 4 || r->size == 8)
			return type_int(r->size, r->is_signed);
		break;
	case CC_PTR:
		return (struct type){ .kind = TYPE_PTR, .size = 8,
				      .as = as == AS_USER ? AS_USER : r->as,
				      .ct = r->ref };
	case CC_CHARS:
		return type_str(r->size);
	case CC_DATALOC:
		return type_str(s->tgt->strlen);
	case CC_BYTES: /* printed as a buffer; ntop() takes them */
		if (r->size)
			return (struct type){ .kind = TYPE_BUF, .size = 8 + r->size };
		break;
	case CC_OTHER:
		if (r && (r->kind == CT_STRUCT || r->kind == CT_UNION) && r->size)
			return (struct type){ .kind = TYPE_RECORD, .size = r->size,
					      .ct = r };
		if (r && (r->kind == CT_STRUCT || r->kind == CT_UNION)) {
			serr(s, n->loc, "'%s' is a %s, whose definition is not known%s", what,
			     ctype_name(ct, name, sizeof(name)), ctype_sources() ? "" : NO_TYPES);
			return (struct type){ .kind = TYPE_NONE };
		}
		break;
	}
	serr(s, n->loc, "'%s' is a %s, which cannot be read as a value", what,
	     ctype_name(ct, name, sizeof(name)));
	return (struct type){ .kind = TYPE_NONE };
}

/* The struct or union whose member n names, from n's base (checked):
 * data in memory (a struct member of a struct, p[i], *p) or a typed
 * pointer. NULL when the base is neither (said by the caller). */
static const struct ctype *field_aggregate(const struct node *base,
					   enum addr_space *as)
{
	const struct ctype *r;

	if (base->mem) {
		r = ctype_definition(base->ct);
		if (r && (r->kind == CT_STRUCT || r->kind == CT_UNION)) {
			*as = base->as;
			return r;
		}
	}
	if (base->type.kind == TYPE_PTR && base->type.ct) {
		r = ctype_definition(base->type.ct);
		if (r && (r->kind == CT_STRUCT || r->kind == CT_UNION)) {
			*as = base->type.as;
			return r;
		}
	}
	return NULL;
}

/* Say that agg has no member n->name, with the closest name. */
static void no_member(struct sema *s, struct node *n, const struct ctype *agg,
		      const char *what)
{
	struct loc at = n->loc; /* point at the name, after -> or . */
	const char *cands[256], *close;
	unsigned nc = ctype_member_names(agg, cands, 256);

	at.col += n->op == TOK_ARROW ? 2 : 1;
	close = diag_closest(n->name, cands, nc);
	if (close)
		serr(s, at, "%s has no %s '%s'; did you mean '%s'?", what, agg == s->pc->args ? "field" : "member",
		     n->name, close);
	else
		serr(s, at, "%s has no %s '%s'", what, agg == s->pc->args ? "field" : "member",
		     n->name);
}

/* base->name / base.name of C data: the member's type at its offset from
 * the base's address. */
static void check_mem_field(struct sema *s, struct node *n)
{
	struct node *base = n->a;
	const struct ctype *agg;
	const struct cmember *m;
	enum addr_space as = AS_KERNEL;
	unsigned off;
	char name[128];

	agg = field_aggregate(base, &as);
	if (!agg && base->type.kind == TYPE_RECORD) {
		/* a member of a struct value held in a local or a map */
		m = ctype_member(base->type.ct, n->name, &off);
		if (!m) {
			no_member(s, n, base->type.ct, ctype_name(base->type.ct, name, sizeof(name)));
			return;
		}
		n->member = m;
		n->member_off = off;
		n->type = m->bit_size ? type_int(ctype_resolve(m->type)->size <= 8 ?
						 ctype_resolve(m->type)->size : 8,
						 ctype_resolve(m->type)->is_signed)
				      : c_value_type(s, n, m->type, AS_KERNEL, n->name);
		return;
	}
	if (!agg) {
		if (base->type.kind == TYPE_PTR && !base->type.ct)
			serr(s, n->loc, "'%s%s' needs to know what the pointer points to: cast it, as in ((struct NAME *)p)%s%s%s",
			     tok_spelling(n->op), n->name, tok_spelling(n->op), n->name,
			     ctype_sources() ? "" : NO_TYPES);
		else if (base->type.kind == TYPE_PTR)
			serr(s, n->loc, "'%s%s' on a %s, which is not a struct or union",
			     tok_spelling(n->op), n->name,
			     ctype_name(ctype_ptr(base->type.ct, AS_KERNEL, 8), name, sizeof(name)));
		else
			serr(s, n->loc, "'%s%s' on %s, which has no members",
			     tok_spelling(n->op), n->name, tname(base->type));
		return;
	}
	m = ctype_member(agg, n->name, &off);
	if (!m) {
		no_member(s, n, agg, ctype_name(agg, name, sizeof(name)));
		return;
	}
	n->mem = true;
	n->ct = m->type;
	n->as = as;
	n->member = m;
	n->member_off = off;
	if (m->bit_size) {
		const struct ctype *r = ctype_resolve(m->type);

		n->type = type_int(r && r->size <= 8 ? (r->size ? r->size : 8) : 8,
				   r && r->is_signed);
		return;
	}
	n->type = c_value_type(s, n, m->type, as, n->name);
}

static void check_field(struct sema *s, struct node *n)
{
	struct node *base = n->a;
	const struct cmember *m;
	unsigned off;

	if (base->kind != AST_IDENT ||
	    (strcmp(base->name, "args") && strcmp(base->name, "data"))) {
		check_expr(s, base);
		if (base->type.kind == TYPE_TUPLE) {
			check_tuple_elem(s, n);
			return;
		}
		if (base->type.kind != TYPE_NONE || base->mem)
			check_mem_field(s, n);
		return;
	}
	base->builtin = BI_ARGS;
	if (!s->pc->args) {
		serr(s, base->loc, "probe type '%s' has no '%s'", s->pc->kind,
		     base->name);
		return;
	}
	m = ctype_member(s->pc->args, n->name, &off);
	if (!m) {
		no_member(s, n, s->pc->args, s->pc->spec);
		return;
	}
	n->member = m;
	n->member_off = off;
	n->type = c_value_type(s, n, m->type, AS_KERNEL, n->name);
}

/* p[i] of a typed pointer or of an array member; *p of a typed pointer. */
static void check_mem_index(struct sema *s, struct node *n)
{
	struct node *base = n->a;
	const struct ctype *r = NULL, *elem = NULL;
	enum addr_space as = AS_KERNEL;
	char name[128];

	check_expr(s, base);
	if (n->kind == AST_INDEX)
		check_expr(s, n->b);
	if (base->mem && (r = ctype_resolve(base->ct)) && r->kind == CT_ARRAY &&
	    n->kind == AST_INDEX) {
		elem = ctype_definition(r->ref);
		as = base->as;
	} else if (base->type.kind == TYPE_PTR && base->type.ct) {
		elem = ctype_definition(base->type.ct);
		as = base->type.as;
	}
	if (n->kind == AST_UNOP && (!elem || ctype_resolve(elem)->kind == CT_VOID)) {
		/* *p of an untyped address: the 8 bytes there, an address
		 * (or a number) in the memory p points into */
		if (base->type.kind == TYPE_NONE)
			return;
		if (!is_intlike(base->type)) {
			serr(s, n->loc, "'*' needs an address, this is %s", tname(base->type));
			return;
		}
		n->type = (struct type){ .kind = TYPE_PTR, .size = 8,
					 .as = base->type.kind == TYPE_PTR ? base->type.as
									  : AS_KERNEL };
		return;
	}
	if (!elem) {
		if (base->type.kind != TYPE_NONE)
			serr(s, n->loc, "%s cannot be indexed: only arrays and typed pointers can",
			     tname(base->type));
		return;
	}
	if (ctype_resolve(elem)->kind == CT_VOID || !ctype_resolve(elem)->size) {
		serr(s, n->loc, "cannot index a pointer to %s, which has no size",
		     ctype_name(elem, name, sizeof(name)));
		return;
	}
	if (n->kind == AST_INDEX) {
		if (n->b->type.kind != TYPE_NONE && n->b->type.kind != TYPE_INT) {
			serr(s, n->b->loc, "an index must be an integer, this is %s",
			     tname(n->b->type));
			return;
		}
		if (n->b->kind == AST_INT) {
			int64_t i = n->b->ival;

			if (r && r->kind == CT_ARRAY && r->len && (i < 0 || i >= (int64_t)r->len)) {
				serr(s, n->b->loc, "index %lld is out of bounds of %s",
				     (long long)i, ctype_name(base->ct, name, sizeof(name)));
				return;
			}
			if (i < -(1 << 20) || i > (1 << 20)) {
				serr(s, n->b->loc, "index %lld is too far from the pointer",
				     (long long)i);
				return;
			}
		}
	}
	n->mem = true;
	n->ct = elem;
	n->as = as;
	n->type = c_value_type(s, n, elem, as, n->kind == AST_UNOP ? "*" : "[]");
}

static struct type arith_result(struct type a, struct type b)
{
	a = widen(a);
	b = widen(b);
	return type_int(8, a.is_signed && b.is_signed);
}

static void check_binop(struct sema *s, struct node *n)
{
	struct type a, b;

	check_expr(s, n->a);
	check_expr(s, n->b);
	a = n->a->type;
	b = n->b->type;
	if (a.kind == TYPE_NONE || b.kind == TYPE_NONE)
		return;
	if (n->op == TOK_EQ || n->op == TOK_NE) {
		if (a.kind == TYPE_STR && b.kind == TYPE_STR) {
			if (n->a->kind == AST_STR && n->b->kind == AST_STR) {
				/* both constant: fold at lowering, fine */
			}
			n->type = t_s64();
			return;
		}
	}
	if (n->op == TOK_ANDAND || n->op == TOK_OROR) {
		if (!is_intlike(a) || !is_intlike(b)) {
			struct node *bad = is_intlike(a) ? n->b : n->a;
			serr(s, bad->loc, "'%s' needs integer operands, this is %s",
			     tok_spelling(n->op), tname(bad->type));
			return;
		}
		n->type = t_s64();
		return;
	}
	if (!is_intlike(a) || !is_intlike(b)) {
		serr(s, n->loc, "invalid operands to '%s': %s and %s",
		     tok_spelling(n->op), tname(a), tname(b));
		return;
	}
	switch (n->op) {
	case TOK_EQ: case TOK_NE: case TOK_LT: case TOK_GT: case TOK_LE: case TOK_GE:
		n->type = t_s64();
		break;
	default:
		n->type = arith_result(a, b);
		break;
	}
}

static void check_agg_call(struct sema *s, struct node *n)
{
	serr(s, n->loc, "%s() is an aggregation: it can only be assigned to a map, as in @m = %s(...)",
	     n->name, n->name);
}

static int count_args(const struct node *n)
{
	int k = 0;

	for (const struct node *a = n->args; a; a = a->next)
		k++;
	return k;
}

/* lhist(x, min, max, step): three integer constants, at most 1000
 * buckets; one map has one set of them. */
static int check_lhist(struct sema *s, struct node *call, struct map_def *m)
{
	struct node *a[3] = { call->args->next, call->args->next->next,
			      call->args->next->next->next };
	int64_t v[3];

	for (int i = 0; i < 3; i++) {
		if (a[i]->kind == AST_UNOP && a[i]->op == TOK_MINUS && a[i]->a->kind == AST_INT) {
			v[i] = -a[i]->a->ival;
		} else if (a[i]->kind == AST_INT) {
			v[i] = a[i]->ival;
		} else {
			serr(s, a[i]->loc, "lhist() %s must be an integer constant",
			     i == 0 ? "min" : i == 1 ? "max" : "step");
			return -1;
		}
	}
	if (v[2] <= 0 || v[1] <= v[0]) {
		serr(s, call->loc, "lhist() needs min < max and step > 0");
		return -1;
	}
	if ((v[1] - v[0]) / v[2] > 1000) {
		serr(s, call->loc, "lhist() would have %lld buckets; 1000 at most",
		     (long long)((v[1] - v[0]) / v[2]));
		return -1;
	}
	if (m->lhist_step && (m->lhist_min != v[0] || m->lhist_max != v[1] ||
			      m->lhist_step != v[2])) {
		serr(s, call->loc, "map %s is an lhist(x, %lld, %lld, %lld) elsewhere",
		     m->name, (long long)m->lhist_min, (long long)m->lhist_max,
		     (long long)m->lhist_step);
		return -1;
	}
	m->lhist_min = v[0];
	m->lhist_max = v[1];
	m->lhist_step = v[2];
	return 0;
}

static void unsupported(struct sema *s, struct node *n, const char *what)
{
	serr(s, n->loc, "%s: not supported yet", what);
}

/* The stack map kstack and ustack values point into (one per program),
 * made on first use. */
static void stack_map(struct sema *s)
{
	struct map_def *m = tab_map_of_kind(s->tab, MAPK_STACKS);

	if (!m)
		tab_map_add(s->tab, "@.stacks", MAPK_STACKS, (struct loc){ 0 });
}

/* The functions whose values user space formats: ksym, usym, kaddr,
 * uaddr, ntop, strftime, buf, time. */
static void check_fn_ksym(struct sema *s, struct node *n)
{
	const char *name = n->name;
	int nargs = count_args(n);
	struct node *a = n->args;

	if (nargs != 1) {
		serr(s, n->loc, "%s() takes one address", name);
		return;
	}
	check_expr(s, a);
	if (a->type.kind != TYPE_NONE && !is_intlike(a->type)) {
		serr(s, a->loc, "%s() needs an address, this is %s", name, tname(a->type));
		return;
	}
	n->type = (struct type){ .kind = n->fn == FN_KSYM ? TYPE_KSYM : TYPE_USYM,
				 .size = n->fn == FN_KSYM ? 8 : 16 };
}

static void check_fn_kaddr(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	struct node *a = n->args;
	uint64_t addr;
	char why[256];

	if (nargs != 1 || a->kind != AST_STR) {
		serr(s, n->loc, "kaddr() takes a symbol name in quotes: kaddr(\"jiffies\")");
		return;
	}
	if (!s->tgt->kernel_sym ||
	    s->tgt->kernel_sym(s->tgt, a->str, &addr, why, sizeof(why))) {
		serr(s, a->loc, "%s", s->tgt->kernel_sym ? why :
		     "this target has no kernel symbols");
		return;
	}
	n->kind = AST_INT;
	n->ival = (int64_t)addr;
	n->type = t_u64();
}

static void check_fn_uaddr(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	struct node *a = n->args;
	const char *path = s->pc->binary;
	uint64_t addr;
	char why[512];
	int ret;

	if (nargs != 1 || a->kind != AST_STR) {
		serr(s, n->loc, "uaddr() takes a symbol name in quotes: uaddr(\"main\")");
		return;
	}
	if (!path) {
		serr(s, n->loc, "uaddr() names a symbol of the probed binary: it exists in uprobes, not in %s probes",
		     s->pc->kind);
		return;
	}
	ret = s->tgt->user_sym ? s->tgt->user_sym(s->tgt, path, a->str, &addr,
						   why, sizeof(why)) : -1;
	if (ret) {
		/* a missing symbol at its name, a process at the call */
		serr(s, ret == -2 ? n->loc : a->loc, "%s",
		     s->tgt->user_sym ? why : "this target has no user symbols");
		return;
	}
	n->ival = (int64_t)addr;
	n->type = (struct type){ .kind = TYPE_PTR, .size = 8, .as = AS_USER };
}

static void check_fn_ntop(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	struct node *a = n->args;
	struct node *addr = nargs == 2 ? a->next : a;

	if (nargs < 1 || nargs > 2) {
		serr(s, n->loc, "ntop() takes an address, and optionally the family first: ntop(AF_INET6, addr)");
		return;
	}
	for (struct node *x = a; x; x = x->next)
		check_expr(s, x);
	if (nargs == 2 && a->type.kind != TYPE_NONE && !is_intlike(a->type)) {
		serr(s, a->loc, "ntop()'s family must be an integer, this is %s", tname(a->type));
		return;
	}
	if (addr->kind == AST_FIELD && addr->member &&
	    ctype_classify(addr->member->type) == CC_BYTES) {
		if (addr->member->type->size != 4 && addr->member->type->size != 16) {
			serr(s, addr->loc, "ntop() takes a 4- or 16-byte address, this is %u bytes",
			     addr->member->type->size);
			return;
		}
	} else if (addr->type.kind != TYPE_NONE && !is_intlike(addr->type)) {
		serr(s, addr->loc, "ntop() needs an IPv4 integer or an address array, this is %s",
		     tname(addr->type));
		return;
	}
	n->type = (struct type){ .kind = TYPE_INET, .size = 24 };
}

static void check_fn_strftime(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	struct node *a = n->args;

	if (nargs != 2 || a->kind != AST_STR) {
		serr(s, n->loc, "strftime() takes a format in quotes and a time in ns: strftime(\"%%H:%%M:%%S\", nsecs)");
		return;
	}
	check_expr(s, a->next);
	if (a->next->type.kind != TYPE_NONE && !is_intlike(a->next->type)) {
		serr(s, a->next->loc, "strftime() needs a time in ns, this is %s",
		     tname(a->next->type));
		return;
	}
	n->type = (struct type){ .kind = TYPE_TIME, .size = 16 };
	n->ival = tab_str_add(s->tab, a->str);
}

static void check_fn_buf(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	struct node *a = n->args;
	struct node *len = a ? a->next : NULL;

	int64_t size = 0;

	if (nargs < 1 || nargs > 2) {
		serr(s, n->loc, "buf() takes a pointer and a length: buf(p, 16)");
		return;
	}
	check_expr(s, a);
	if (a->kind == AST_FIELD && a->member &&
	    ctype_classify(a->member->type) == CC_BYTES)
		size = a->member->type->size;
	else if (a->type.kind != TYPE_NONE && !is_intlike(a->type))
		serr(s, a->loc, "buf() needs a pointer or an array, this is %s", tname(a->type));
	if (len) {
		if (len->kind != AST_INT || len->ival < 1 || len->ival > TARGET_STR_MAX) {
			serr(s, len->loc, "buf()'s length must be a constant from 1 to %d",
			     TARGET_STR_MAX);
			return;
		}
		size = len->ival;
	} else if (!size) {
		serr(s, n->loc, "buf() of a pointer needs a length: buf(p, 16)");
		return;
	}
	n->type = (struct type){ .kind = TYPE_BUF, .size = 8 + (unsigned)size };
}

static void check_fn_time(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	struct node *a = n->args;

	if (nargs > 1 || (a && a->kind != AST_STR)) {
		serr(s, n->loc, "time() takes an optional format in quotes: time(\"%%H:%%M:%%S\\n\")");
		return;
	}
	n->ival = tab_str_add(s->tab, a ? a->str : "%H:%M:%S\n");
	s->tab->streams = true;
	n->type = (struct type){ .kind = TYPE_VOID };
}

/* signal(SIGKILL), signal("KILL"), signal(9): the node becomes the number. */
static void check_signal(struct sema *s, struct node *a)
{
	static const struct {
		const char *name;
		int num;
	} sigs[] = {
		{ "HUP", 1 }, { "INT", 2 }, { "QUIT", 3 }, { "ILL", 4 }, { "TRAP", 5 },
		{ "ABRT", 6 }, { "BUS", 7 }, { "FPE", 8 }, { "KILL", 9 }, { "USR1", 10 },
		{ "SEGV", 11 }, { "USR2", 12 }, { "PIPE", 13 }, { "ALRM", 14 },
		{ "TERM", 15 }, { "CHLD", 17 }, { "CONT", 18 }, { "STOP", 19 },
		{ "TSTP", 20 }, { "TTIN", 21 }, { "TTOU", 22 }, { "URG", 23 },
		{ "XCPU", 24 }, { "XFSZ", 25 }, { "VTALRM", 26 }, { "PROF", 27 },
		{ "WINCH", 28 }, { "IO", 29 }, { "PWR", 30 }, { "SYS", 31 },
	};
	const char *name = a->kind == AST_STR ? a->str : a->kind == AST_IDENT ? a->name : NULL;

	if (!name) {
		if (a->kind != AST_INT || a->ival < 1 || a->ival > 64)
			serr(s, a->loc, "signal() takes a signal number from 1 to 64 or a name");
		return;
	}
	if (!strncmp(name, "SIG", 3))
		name += 3;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (!strcmp(sigs[i].name, name)) {
			a->kind = AST_INT;
			a->ival = sigs[i].num;
			a->type = t_s64();
			return;
		}
	}
	serr(s, a->loc, "unknown signal '%s'", a->kind == AST_STR ? a->str : a->name);
}

/* Functions taking a map: print(@m [, top [, div]]) (or print(value)),
 * clear(@m), zero(@m), delete(@m[k]), has_key(@m, k...). */
static void check_map_call(struct sema *s, struct node *n)
{
	bool is_print = n->fn == FN_PRINT, is_del = n->fn == FN_DELETE;
	bool is_has = n->fn == FN_HAS_KEY;
	struct node *mapn = n->args;
	int nargs = count_args(n);

	n->type = (struct type){ .kind = TYPE_VOID };
	if (is_print && mapn && mapn->kind != AST_MAP) {
		check_print_value(s, n);
		return;
	}
	if (!mapn || mapn->kind != AST_MAP) {
		serr(s, mapn ? mapn->loc : n->loc, "%s() takes a map%s", n->name,
		     is_print ? ", as in print(@m)" : is_del ? " element, as in delete(@m[key])" : "");
		return;
	}
	struct map_def *m = map_get(s, mapn);
	mapn->map = m;
	n->map = m;
	m->read = true;
	if (!map_typed(m))
		serr(s, mapn->loc, "map %s is never assigned", m->name);
	if (is_has) {
		/* has_key(@m, k1, k2): the keys follow the map */
		struct node keys = { .kind = AST_MAP, .loc = mapn->loc, .name = mapn->name,
				     .args = mapn->next };

		if (mapn->args) {
			serr(s, mapn->loc, "has_key() takes the map and its keys: has_key(@m, k)");
			return;
		}
		check_keys(s, &keys, m);
		n->type = t_s64();
		return;
	}
	if (is_del) {
		if (nargs != 1) {
			serr(s, n->loc, "delete() takes one map element: delete(@m[key])");
			return;
		}
		check_keys(s, mapn, m);
		return;
	}
	if (mapn->args) {
		serr(s, mapn->loc, "%s() takes a whole map: %s(@%s)", n->name, n->name, mapn->name);
		return;
	}
	if (!is_print && nargs != 1) {
		serr(s, n->loc, "%s() takes one map", n->name);
		return;
	}
	if (nargs > 3) {
		serr(s, n->loc, "print() takes a map and at most two numbers: print(@m, top, div)");
		return;
	}
	for (struct node *a = mapn->next; a; a = a->next) {
		if (a->kind != AST_INT || a->ival < 0 || a->ival > UINT32_MAX) {
			serr(s, a->loc, "print()'s %s must be a non-negative integer constant",
			     a == mapn->next ? "top" : "div");
			return;
		}
	}
}

static void check_fn_printf(struct sema *s, struct node *n)
{
	check_printf(s, n);
	n->type = (struct type){ .kind = TYPE_VOID };
}

static void check_fn_exit(struct sema *s, struct node *n)
{
	int nargs = count_args(n);

	if (nargs > 1) {
		serr(s, n->loc, "exit() takes at most one argument (the exit status)");
		return;
	}
	if (n->args) {
		check_expr(s, n->args);
		if (n->args->type.kind != TYPE_NONE && !is_intlike(n->args->type))
			serr(s, n->args->loc, "exit status must be an integer, this is %s",
			     tname(n->args->type));
	}
	n->type = (struct type){ .kind = TYPE_VOID };
}

static void check_fn_str(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	unsigned size = s->tgt->strlen;

	if (nargs < 1 || nargs > 2) {
		serr(s, n->loc, "str() takes a pointer and an optional length");
		return;
	}
	check_expr(s, n->args);
	if (nargs == 2) {
		struct node *len = n->args->next;

		if (len->kind != AST_INT || len->ival < 1 || len->ival > TARGET_STR_MAX) {
			serr(s, len->loc, "str() length must be a constant between 1 and %d",
			     TARGET_STR_MAX);
			return;
		}
		size = len->ival + 1;
	}
	struct type t = n->args->type;
	if (t.kind == TYPE_NONE)
		return;
	if (t.kind == TYPE_STR) {
		n->type = t;
		if (nargs == 2 && size < t.size)
			n->type.size = size;
		return;
	}
	if (!is_intlike(t)) {
		serr(s, n->args->loc, "str() needs a pointer, this is %s", tname(t));
		return;
	}
	n->type = type_str(size);
}

static void check_fn_strncmp(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	struct node *a = n->args, *b = a ? a->next : NULL, *len = b ? b->next : NULL;

	if (nargs != 3 || len->kind != AST_INT || len->ival < 1) {
		serr(s, n->loc, "strncmp() takes two strings and a positive constant length");
		return;
	}
	check_expr(s, a);
	check_expr(s, b);
	for (struct node *x = a; x != len; x = x->next)
		if (x->type.kind != TYPE_NONE && x->type.kind != TYPE_STR)
			serr(s, x->loc, "strncmp() compares strings, this is %s",
			     tname(x->type));
	n->type = t_s64();
}

static void check_fn_bswap(struct sema *s, struct node *n)
{
	int nargs = count_args(n);

	if (nargs != 1) {
		serr(s, n->loc, "bswap() takes one integer");
		return;
	}
	check_expr(s, n->args);
	if (n->args->type.kind == TYPE_NONE)
		return;
	if (!is_intlike(n->args->type)) {
		serr(s, n->args->loc, "bswap() needs an integer, this is %s",
		     tname(n->args->type));
		return;
	}
	/* the width is the operand's: bswap((uint16)x) swaps two bytes */
	n->type = type_int(n->args->type.kind == TYPE_PTR ? 8 : n->args->type.size, false);
}

static void check_fn_len(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	struct node *a = n->args;

	if (nargs != 1 || (a->kind != AST_MAP && a->kind != AST_IDENT)) {
		serr(s, n->loc, "len() takes a map, as in len(@m), or a stack: len(kstack)");
		return;
	}
	if (a->kind == AST_IDENT) {
		check_expr(s, a);
		if (a->type.kind == TYPE_NONE)
			return;
		if (a->type.kind != TYPE_STACK) {
			serr(s, a->loc, "len() takes a map or a stack, this is %s", tname(a->type));
			return;
		}
		n->type = t_s64();
		return;
	}
	struct map_def *m = map_get(s, a);

	a->map = m;
	n->map = m;
	m->read = true;
	if (a->args) {
		serr(s, a->loc, "len() takes a whole map: len(@%s)", a->name);
		return;
	}
	if (!map_typed(m)) {
		serr(s, a->loc, "map %s is never assigned", m->name);
		return;
	}
	if (!m->nkeys || m->kind == MAPK_HIST || m->kind == MAPK_LHIST) {
		serr(s, a->loc, "len() counts the keys of a map: %s %s", m->name,
		     m->kind == MAPK_HIST || m->kind == MAPK_LHIST ?
		     "holds histograms, whose elements are buckets" : "has no keys");
		return;
	}
	if (!target_has(s->tgt, TF_FOR_EACH)) {
		serr(s, n->loc, "len(%s) needs bpf_for_each_map_elem (Linux 5.13), which this kernel lacks",
		     m->name);
		return;
	}
	n->type = t_s64();
}

static void check_fn_join(struct sema *s, struct node *n)
{
	int nargs = count_args(n);
	struct node *delim = n->args ? n->args->next : NULL;

	n->type = (struct type){ .kind = TYPE_VOID };
	if (nargs < 1 || nargs > 2 || (delim && delim->kind != AST_STR)) {
		serr(s, n->loc, "join() takes an array of string pointers and an optional delimiter in quotes: join(args->argv, \",\")");
		return;
	}
	check_expr(s, n->args);
	if (n->args->type.kind != TYPE_NONE && !is_intlike(n->args->type))
		serr(s, n->args->loc, "join() needs the address of an array of string pointers, this is %s",
		     tname(n->args->type));
	n->ival = tab_str_add(s->tab, delim ? delim->str : " ");
	n->len = s->tgt->strlen; /* bytes kept of each string */
	s->tab->streams = true;
}

/* signal(sig) and system(fmt, ...): with --unsafe only. */
static void check_fn_signal(struct sema *s, struct node *n)
{
	int nargs = count_args(n);

	if (!s->unsafe) {
		serr(s, n->loc, "%s() changes the system: it needs --unsafe", n->name);
		return;
	}
	if (n->fn == FN_SYSTEM) {
		check_printf(s, n);
		if (n->fmt)
			n->fmt->system = true;
		n->type = (struct type){ .kind = TYPE_VOID };
		return;
	}
	if (nargs != 1) {
		serr(s, n->loc, "signal() takes one signal: a number or a name like \"SIGKILL\"");
		return;
	}
	check_signal(s, n->args);
	n->type = (struct type){ .kind = TYPE_VOID };
}

/* The checks of each function, by id (funcs.h). */
static void (*const func_checks[FN_END])(struct sema *, struct node *) = {
	[FN_PRINTF] = check_fn_printf, [FN_STR] = check_fn_str,
	[FN_EXIT] = check_fn_exit,
	[FN_COUNT] = check_agg_call, [FN_SUM] = check_agg_call,
	[FN_HIST] = check_agg_call, [FN_QUANTIZE] = check_agg_call,
	[FN_AVG] = check_agg_call, [FN_MIN] = check_agg_call,
	[FN_MAX] = check_agg_call, [FN_STATS] = check_agg_call,
	[FN_LHIST] = check_agg_call,
	[FN_PRINT] = check_map_call, [FN_CLEAR] = check_map_call,
	[FN_ZERO] = check_map_call, [FN_DELETE] = check_map_call,
	[FN_HAS_KEY] = check_map_call,
	[FN_STRNCMP] = check_fn_strncmp, [FN_BSWAP] = check_fn_bswap,
	[FN_SIGNAL] = check_fn_signal, [FN_SYSTEM] = check_fn_signal,
	[FN_KSYM] = check_fn_ksym, [FN_USYM] = check_fn_ksym,
	[FN_KADDR] = check_fn_kaddr, [FN_UADDR] = check_fn_uaddr,
	[FN_NTOP] = check_fn_ntop, [FN_STRFTIME] = check_fn_strftime,
	[FN_BUF] = check_fn_buf, [FN_TIME] = check_fn_time,
	[FN_JOIN] = check_fn_join, [FN_LEN] = check_fn_len,
};

static void check_call(struct sema *s, struct node *n)
{
	const char *close;

	if (n->fn > FN_NONE && n->fn < FN_END && func_checks[n->fn]) {
		func_checks[n->fn](s, n);
		return;
	}
	close = diag_closest(n->name, func_names(), FN_END - 1);
	if (close)
		serr(s, n->loc, "unknown function '%s'; did you mean '%s'?", n->name, close);
	else
		serr(s, n->loc, "unknown function '%s'", n->name);
}

/* (TYPE)e: an integer of another width or sign, or an address given
 * the type it points to ((struct sock *)arg0). */
static void check_cast(struct sema *s, struct node *n)
{
	const struct ctype *ct, *r;
	char err[256];
	struct type from;

	check_expr(s, n->a);
	from = n->a->type;
	ct = cdecl_typename(n->ctype, s->tgt, err, sizeof(err));
	if (!ct) {
		serr(s, n->loc, "%s", err);
		return;
	}
	r = ctype_resolve(ct);
	if (from.kind != TYPE_NONE && !is_intlike(from)) {
		serr(s, n->loc, "cannot cast %s to %s", tname(from), n->ctype);
		return;
	}
	if (r->kind == CT_INT || r->kind == CT_ENUM) {
		if (r->size != 1 && r->size != 2 && r->size != 4 && r->size != 8) {
			serr(s, n->loc, "cannot cast to %s, an integer of %u bytes", n->ctype,
			     r->size);
			return;
		}
		n->type = type_int(r->size, r->is_signed);
		return;
	}
	if (r->kind == CT_PTR) {
		/* the memory the address is in: a user address stays one;
		 * kprobe arguments (either) and numbers are kernel addresses,
		 * but in a probe of a user program */
		enum addr_space as = s->pc->binary ? AS_USER : AS_KERNEL;

		if (from.kind == TYPE_PTR && from.as == AS_USER)
			as = AS_USER;
		n->type = (struct type){ .kind = TYPE_PTR, .size = 8, .as = as,
					 .ct = r->ref };
		return;
	}
	serr(s, n->loc, "cannot cast a value to %s: only to integers and pointers (to read a struct, cast to a pointer and use ->)",
	     n->ctype);
}

/* The node becomes the constant v of type uint64: (uint64)v, as an
 * integer literal alone would be an int64. */
static void fold_u64(struct node *n, uint64_t v)
{
	struct node *lit = node_new(AST_INT, n->loc);
	char *name = strdup("uint64");

	if (!lit || !name) {
		free(lit);
		free(name);
		return; /* stays unfolded; checked again next pass */
	}
	lit->ival = (int64_t)v;
	lit->type = v > INT64_MAX ? t_u64() : t_s64();
	node_free(n->a);
	free(n->ctype);
	free(n->name);
	n->name = NULL;
	n->a = lit;
	n->ctype = name;
	n->kind = AST_CAST;
	n->type = t_u64();
}

/* sizeof(TYPE), sizeof(expr), offsetof(TYPE, a.b.c): the node becomes
 * the uint64 constant. sizeof(expr) does not evaluate expr; a lone name
 * that names a type and no value (sizeof(pgoff_t)) is the type. It
 * waits for pass 2, when the types of maps are known. */
static void check_sizeof(struct sema *s, struct node *n)
{
	char err[512];
	const struct ctype *ct = NULL;
	uint64_t v;

	n->type = t_u64();
	if (!n->ctype && n->a->kind == AST_IDENT)
		ct = cdecl_typename(n->a->name, s->tgt, err, sizeof(err));
	if (n->ctype && !(ct = cdecl_typename(n->ctype, s->tgt, err, sizeof(err)))) {
		serr(s, n->loc, "%s", err);
		return;
	}
	if (ct) {
		if (cdecl_sizeof(ct, &v, err, sizeof(err))) {
			serr(s, n->loc, "%s", err);
			return;
		}
	} else {
		struct type t;

		check_expr(s, n->a);
		t = n->a->type;
		if (s->pass < 2 || t.kind == TYPE_NONE)
			return;
		if (type_is_agg(t) || t.kind == TYPE_VOID) {
			serr(s, n->loc, "sizeof of %s: it has no size", tname(t));
			return;
		}
		v = t.size;
		/* *p of a typed pointer: its pointee */
		if (n->a->kind == AST_UNOP && n->a->op == TOK_STAR &&
		    n->a->a->type.kind == TYPE_PTR && n->a->a->type.ct &&
		    cdecl_sizeof(n->a->a->type.ct, &v, err, sizeof(err))) {
			serr(s, n->loc, "%s", err);
			return;
		}
	}
	fold_u64(n, v);
}

static void check_offsetof(struct sema *s, struct node *n)
{
	char err[512];
	const struct ctype *ct;
	uint64_t v;

	n->type = t_u64();
	if (!(ct = cdecl_typename(n->ctype, s->tgt, err, sizeof(err))) ||
	    cdecl_offsetof(ct, n->name, &v, err, sizeof(err))) {
		serr(s, n->loc, "%s", err);
		return;
	}
	fold_u64(n, v);
}

/* (a, b, ...): values of any kind but aggregations and nothing. */
static void check_tuple(struct sema *s, struct node *n)
{
	struct type elems[TUPLE_MAX];
	unsigned k = 0;
	bool ok = true;

	for (struct node *e = n->args; e; e = e->next) {
		check_expr(s, e);
		if (k == TUPLE_MAX) {
			serr(s, e->loc, "a tuple has at most %d elements", TUPLE_MAX);
			return;
		}
		if (e->type.kind == TYPE_NONE) {
			ok = false;
			continue;
		}
		if (!is_intlike(e->type) && !type_in_memory(e->type)) {
			serr(s, e->loc, "a tuple cannot hold %s", e->type.kind == TYPE_VOID ?
			     "a function's missing value" : tname(e->type));
			ok = false;
			continue;
		}
		elems[k++] = widen(e->type);
	}
	if (ok)
		n->type = type_tuple(k, elems);
}

static void check_map_read(struct sema *s, struct node *n)
{
	struct map_def *m = map_get(s, n);

	n->map = m;
	m->read = true;
	check_keys(s, n, m);
	if (!map_typed(m)) {
		serr(s, n->loc, "map %s is read but never assigned", m->name);
		return;
	}
	switch (m->kind) {
	case MAPK_VALUE:
		n->type = m->val;
		return;
	case MAPK_COUNT:
	case MAPK_SUM:
	case MAPK_AVG:
	case MAPK_MIN:
	case MAPK_MAX:
		/* the sum, average or extreme over every CPU's value */
		if (!target_has(s->tgt, TF_PERCPU_LOOKUP)) {
			serr(s, n->loc, "reading %s() map %s in a probe needs bpf_map_lookup_percpu_elem (Linux 5.19), which this kernel lacks",
			     kind_name(m->kind), m->name);
			return;
		}
		n->type = m->kind == MAPK_COUNT ? t_u64() :
			  m->kind == MAPK_AVG ? t_s64() : widen(m->val);
		return;
	default:
		serr(s, n->loc, "map %s holds %s(), which a probe cannot read: print(%s) prints it",
		     m->name, kind_name(m->kind), m->name);
		return;
	}
}


static void check_expr(struct sema *s, struct node *n)
{
	n->type = (struct type){ .kind = TYPE_NONE };
	switch (n->kind) {
	case AST_INT:
		n->type = (uint64_t)n->ival > INT64_MAX ? t_u64() : t_s64();
		break;
	case AST_BOOL:
		n->type = t_s64();
		break;
	case AST_STR:
		n->type = type_str(n->len + 1);
		break;
	case AST_IDENT:
		check_ident(s, n);
		break;
	case AST_VAR: {
		struct sema_var *v = var_find(s, n->name);

		if (!v) {
			serr(s, n->loc, "variable '$%s' is used before it is assigned",
			     n->name);
			break;
		}
		n->var = v;
		n->type = v->type;
		v->used = true;
		break;
	}
	case AST_MAP:
		check_map_read(s, n);
		break;
	case AST_FIELD:
		check_field(s, n);
		break;
	case AST_CALL:
		check_call(s, n);
		break;
	case AST_BINOP:
		check_binop(s, n);
		break;
	case AST_UNOP:
		if (n->op == TOK_STAR) {
			check_mem_index(s, n);
			break;
		}
		check_expr(s, n->a);
		if (n->op == TOK_AMP) {
			unsupported(s, n, "taking an address");
			break;
		}
		if (n->a->type.kind == TYPE_NONE)
			break;
		if (!is_intlike(n->a->type)) {
			serr(s, n->loc, "invalid operand to unary '%s': %s",
			     tok_spelling(n->op), tname(n->a->type));
			break;
		}
		n->type = n->op == TOK_BANG ? t_s64() : widen(n->a->type);
		break;
	case AST_TERNARY:
		check_cond(s, n->a, "condition");
		check_expr(s, n->b);
		check_expr(s, n->c);
		if (n->b->type.kind == TYPE_NONE || n->c->type.kind == TYPE_NONE)
			break;
		if (is_intlike(n->b->type) && is_intlike(n->c->type)) {
			n->type = arith_result(n->b->type, n->c->type);
		} else if ((n->b->type.kind == TYPE_STR || n->b->type.kind == TYPE_TUPLE) &&
			   type_unify(widen(n->b->type), widen(n->c->type), &n->type)) {
			/* strings and tuples: big enough for either */
		} else {
			serr(s, n->loc, "the two branches of '?:' differ: %s and %s",
			     tname(n->b->type), tname(n->c->type));
		}
		break;
	case AST_CAST:
		check_cast(s, n);
		break;
	case AST_POSPARAM:
		check_posparam(s, n);
		break;
	case AST_SIZEOF:
		check_sizeof(s, n);
		break;
	case AST_OFFSETOF:
		check_offsetof(s, n);
		break;
	case AST_INDEX:
		check_mem_index(s, n);
		break;
	case AST_TUPLE:
		check_tuple(s, n);
		break;
	case AST_INCDEC:
		check_incdec(s, n);
		break;
	case AST_ASSIGN:
		serr(s, n->loc, "assignments are statements here, not expressions");
		break;
	default:
		serr(s, n->loc, "unexpected %s in an expression", ast_kind_name(n->kind));
		break;
	}
}

/* ---- statements ---- */

static void check_assign_map(struct sema *s, struct node *n)
{
	struct node *lhs = n->a, *rhs = n->b;
	struct map_def *m = map_get(s, lhs);

	lhs->map = m;
	m->written = true;
	check_keys(s, lhs, m);
	const struct agg *agg = rhs->kind == AST_CALL ? agg_find(rhs->name) : NULL;
	if (agg) {
		struct type vt = t_u64();

		if (n->op != TOK_ASSIGN) {
			serr(s, n->loc, "%s() can only be assigned with '='", rhs->name);
			return;
		}
		if (count_args(rhs) != agg->nargs) {
			serr(s, rhs->loc, "%s() takes %s", rhs->name,
			     agg->nargs == 0 ? "no arguments" :
			     agg->nargs == 1 ? "one integer argument" :
			     "a value and three constants: lhist(x, min, max, step)");
			return;
		}
		if (agg->nargs) {
			check_expr(s, rhs->args);
			if (rhs->args->type.kind == TYPE_NONE)
				return;
			if (!is_intlike(rhs->args->type)) {
				serr(s, rhs->args->loc, "%s() needs an integer, this is %s",
				     rhs->name, tname(rhs->args->type));
				return;
			}
			vt = widen(rhs->args->type);
		}
		if (agg->kind == MAPK_LHIST && check_lhist(s, rhs, m))
			return;
		rhs->map = m;
		rhs->type = vt;
		map_assign_type(s, lhs, m, agg->kind, vt);
		return;
	}
	check_expr(s, rhs);
	if (rhs->type.kind == TYPE_NONE)
		return;
	if (rhs->type.kind == TYPE_VOID) {
		serr(s, rhs->loc, "%s() returns no value", rhs->name);
		return;
	}
	if (n->op != TOK_ASSIGN) {
		if (!is_intlike(rhs->type)) {
			serr(s, rhs->loc, "'%s' needs an integer, this is %s",
			     tok_spelling(n->op), tname(rhs->type));
			return;
		}
		m->read = true;
	}
	map_assign_type(s, lhs, m, MAPK_VALUE, rhs->type);
	if (map_typed(m) && m->kind == MAPK_VALUE && n->op != TOK_ASSIGN &&
	    m->val.kind != TYPE_INT)
		serr(s, lhs->loc, "'%s' needs an integer map, %s holds %s",
		     tok_spelling(n->op), m->name, tname(m->val));
	lhs->type = m->val;
}

static void check_assign_var(struct sema *s, struct node *n)
{
	struct node *lhs = n->a, *rhs = n->b;
	struct sema_var *v = var_find(s, lhs->name);

	check_expr(s, rhs);
	if (rhs->type.kind == TYPE_NONE)
		return;
	if (rhs->type.kind == TYPE_VOID) {
		serr(s, rhs->loc, "%s() returns no value", rhs->name);
		return;
	}
	if (!v) {
		if (n->op != TOK_ASSIGN) {
			serr(s, lhs->loc, "variable '$%s' is used before it is assigned",
			     lhs->name);
			return;
		}
		v = var_new(s, lhs->name, lhs->loc, value_of(rhs->type));
	} else if (int_mix(v->type, rhs->type)) {
		/* a pointer keeps its address space, whatever is added to it */
	} else if (v->type.kind != widen(rhs->type).kind) {
		serr(s, rhs->loc, "variable '$%s' holds %s, it cannot also hold %s",
		     lhs->name, tname(v->type), tname(rhs->type));
		return;
	} else if (type_in_memory(v->type)) {
		struct type u;

		if (!type_unify(v->type, widen(rhs->type), &u)) {
			serr(s, rhs->loc, "variable '$%s' holds %s, it cannot also hold %s",
			     lhs->name, tname(v->type), tname(rhs->type));
			return;
		}
		if (!type_equal(u, v->type) || u.size != v->type.size) {
			serr(s, rhs->loc, "variable '$%s' holds %s, too small for %s",
			     lhs->name, tname(v->type), tname(rhs->type));
			return;
		}
	}
	if (n->op != TOK_ASSIGN && !is_intlike(v->type)) {
		serr(s, n->loc, "'%s' needs an integer variable", tok_spelling(n->op));
		return;
	}
	lhs->var = v;
	lhs->type = v->type;
}

static void check_stmt(struct sema *s, struct node *n);
static void check_block(struct sema *s, struct node *b);

/* for ($kv : @m) { }: $kv is the tuple (key, value) of each element in
 * turn, the key a tuple itself for a map of several keys. The body runs
 * in a callback of bpf_for_each_map_elem. */
static void check_for_map(struct sema *s, struct node *n)
{
	struct node *mapn = n->a;
	struct map_def *m = map_get(s, mapn);
	struct type kv[2];
	struct sema_var *v;

	mapn->map = m;
	m->read = true;
	if (!map_typed(m)) {
		serr(s, mapn->loc, "map %s is never assigned", m->name);
		return;
	}
	if (m->kind != MAPK_VALUE) {
		serr(s, mapn->loc, "for iterates over maps of values; %s holds %s(), whose values are per-CPU",
		     m->name, kind_name(m->kind));
		return;
	}
	if (!m->nkeys) {
		serr(s, mapn->loc, "map %s has no keys: for iterates over the elements of a map with keys",
		     m->name);
		return;
	}
	if (!target_has(s->tgt, TF_FOR_EACH)) {
		serr(s, n->loc, "for ($%s : %s) needs bpf_for_each_map_elem (Linux 5.13), which this kernel lacks",
		     n->name, m->name);
		return;
	}
	kv[0] = m->nkeys == 1 ? m->keys[0] : type_tuple(m->nkeys, m->keys);
	kv[1] = m->val;
	v = var_find(s, n->name);
	if (v) {
		serr(s, n->loc, "variable '$%s' is assigned before: a for over a map needs a new variable",
		     n->name);
		return;
	}
	v = var_new(s, n->name, n->loc, type_tuple(2, kv));
	v->used = true; /* the loop sets it: no warning when the body ignores it */
	n->var = v;
	s->loops++;
	s->map_loops++;
	check_block(s, n->c);
	s->map_loops--;
	s->loops--;
}

/* for ($i : a..b) { }: $i an integer local from a up to b, excluded. The
 * verifier must see the loop end: with constant bounds it does. */
static void check_for(struct sema *s, struct node *n)
{
	struct sema_var *v;

	if (!n->b) {
		check_for_map(s, n);
		return;
	}
	check_expr(s, n->a);
	check_expr(s, n->b);
	for (struct node *e = n->a; e; e = e == n->a ? n->b : NULL)
		if (e->type.kind != TYPE_NONE && !is_intlike(e->type))
			serr(s, e->loc, "a for range needs integers, this is %s",
			     tname(e->type));
	v = var_find(s, n->name);
	if (v && v->type.kind != TYPE_INT) {
		serr(s, n->loc, "variable '$%s' holds %s, it cannot be a loop counter",
		     n->name, tname(v->type));
		return;
	}
	if (!v) {
		v = var_new(s, n->name, n->loc, t_s64());
		v->used = true; /* the loop reads it */
	}
	n->var = v;
	s->loops++;
	check_block(s, n->c);
	s->loops--;
}

static void check_block(struct sema *s, struct node *b)
{
	for (struct node *n = b ? b->args : NULL; n; n = n->next)
		check_stmt(s, n);
}

static void check_stmt(struct sema *s, struct node *n)
{
	switch (n->kind) {
	case AST_EXPR: {
		struct node *e = n->a;

		if (e->kind == AST_ASSIGN) {
			if (e->a->kind == AST_MAP)
				check_assign_map(s, e);
			else if (e->a->kind == AST_VAR)
				check_assign_var(s, e);
			else
				serr(s, e->a->loc, "only maps and $variables can be assigned");
			break;
		}
		if (e->kind == AST_INCDEC) {
			/* x++ is x += 1 */
			struct node one = { .kind = AST_INT, .loc = e->loc, .ival = 1 };
			struct node as = { .kind = AST_ASSIGN, .loc = e->loc,
					   .op = TOK_ADD_ASSIGN, .a = e->a, .b = &one };

			if (e->a->kind == AST_MAP)
				check_assign_map(s, &as);
			else if (e->a->kind == AST_VAR)
				check_assign_var(s, &as);
			else
				serr(s, e->a->loc, "only maps and $variables can be incremented");
			break;
		}
		check_expr(s, e);
		if (e->kind == AST_CALL && e->type.kind != TYPE_NONE &&
		    e->type.kind != TYPE_VOID && s->pass == 2)
			diag_warning(e->loc, "the value of %s() is not used", e->name);
		break;
	}
	case AST_BLOCK:
		check_block(s, n);
		break;
	case AST_IF:
		check_cond(s, n->a, "condition");
		check_block(s, n->b);
		if (n->c)
			check_stmt(s, n->c);
		break;
	case AST_RETURN:
		if (n->a)
			unsupported(s, n->a, "a return value");
		else if (s->map_loops)
			serr(s, n->loc, "return inside a for over a map: use break, then return");
		break;
	case AST_UNROLL:
		if (n->ival < 1 || n->ival > 100) {
			serr(s, n->loc, "unroll takes a count from 1 to 100");
			break;
		}
		check_block(s, n->b);
		break;
	case AST_FOR:
		check_for(s, n);
		break;
	case AST_WHILE:
		check_cond(s, n->a, "condition");
		s->loops++;
		check_block(s, n->c);
		s->loops--;
		break;
	case AST_DELETE: { /* ply: delete m[k] */
		struct map_def *m = map_get(s, n->a);

		n->a->map = m;
		m->read = true;
		check_keys(s, n->a, m);
		if (!map_typed(m))
			serr(s, n->a->loc, "map %s is never assigned", m->name);
		break;
	}
	case AST_BREAK:
	case AST_CONTINUE:
		if (!s->loops)
			serr(s, n->loc, "'%s' outside of a for or while loop",
			     n->kind == AST_BREAK ? "break" : "continue");
		break;
	default:
		check_expr(s, n);
		break;
	}
}

static void vars_free(struct sema *s)
{
	while (s->vars) {
		struct sema_var *v = s->vars;

		s->vars = v->next;
		free(v->name);
		free(v);
	}
}

static void check_inst(struct sema *s, const struct probe_ctx *pc)
{
	struct probe *p = pc->probe;

	vars_free(s);
	s->pc = pc;
	if (p->pred)
		check_cond(s, p->pred, "predicate");
	check_block(s, p->body);
	if (s->pass != 2)
		return;
	for (struct sema_var *v = s->vars; v; v = v->next)
		if (!v->used && !already_reported(v->loc))
			diag_warning(v->loc, "variable '$%s' is assigned but never used", v->name);
}

int sema_program(struct sema *s, struct program *prog,
		 const struct probe_ctx *const *ctxs, int n,
		 const struct target *tgt, struct prog_tables *tab)
{
	char **params = s->params;
	int nparams = s->nparams;
	bool unsafe = s->unsafe;

	memset(s, 0, sizeof(*s));
	s->unsafe = unsafe;
	s->params = params;
	s->nparams = nparams;
	s->prog = prog;
	s->tgt = tgt;
	s->tab = tab;
	nreported = 0;
	/* the program's own C declarations, before anything uses them */
	if (cdecl_declare(prog, tgt))
		return -1;
	for (s->pass = 1; s->pass <= 2; s->pass++) {
		s->errors = 0;
		for (int i = 0; i < n; i++)
			check_inst(s, ctxs[i]);
	}
	vars_free(s);
	if (s->errors)
		return -1;
	tab->ringbuf = target_has(tgt, TF_RINGBUF);
	for (int i = 0; i < tab->nmaps; i++) {
		struct map_def *m = tab->maps[i];

		tab_map_layout(tab, m);
		if (m->key_size > SEMA_KEY_MAX) {
			diag_error(m->loc, "the keys of map %s take %u bytes; the kernel allows %d (shorten string keys with str(p, n))",
				   m->name, m->key_size, SEMA_KEY_MAX);
			return -1;
		}
	}
	tab->output = tab_map_add(tab, "@.events", MAPK_OUTPUT, (struct loc){ 0 });
	tab_map_layout(tab, tab->output);
	tab->lost = tab_map_add(tab, "@.lost", MAPK_LOST, (struct loc){ 0 });
	tab_map_layout(tab, tab->lost);
	return 0;
}

int sema_probe(struct sema *s, const struct probe_ctx *pc)
{
	s->pass = 3;
	s->errors = 0;
	check_inst(s, pc);
	return s->errors ? -1 : 0;
}

void sema_free(struct sema *s)
{
	vars_free(s);
}
