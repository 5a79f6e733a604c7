/* ctype.c - the interned table of C types (see ctype.h).
 *
 * Only the shapes (integers, pointers, arrays, typedefs) are interned:
 * a few dozen, so the table is a list searched linearly. Structs, unions
 * and enums are each their own and never searched by shape (a wildcard
 * over hundreds of tracepoints makes one args struct each). Types live as
 * long as the process, like the values that refer to them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctype.h"

static struct ctype **table;   /* the interned shapes */
static unsigned ntable;
static const struct ctype **named; /* registered structs, enums, typedefs */
static unsigned nnamed;
/* registered types replaced or forgotten: kept (values may still refer
 * to them), and reachable */
static const struct ctype **retired;
static unsigned nretired;

static void retire(const struct ctype *t)
{
	const struct ctype **grown = realloc(retired, (nretired + 1) * sizeof(*retired));

	if (!grown)
		return;
	retired = grown;
	retired[nretired++] = t;
}

void ctype_forget_registered(void)
{
	for (unsigned i = 0; i < nnamed; i++)
		retire(named[i]);
	nnamed = 0;
}
static struct ctype_source **sources; /* NULL-ended */
static unsigned nsources;

void ctype_add_source(struct ctype_source *s)
{
	struct ctype_source **grown = realloc(sources, (nsources + 2) * sizeof(*sources));

	if (!grown)
		return;
	sources = grown;
	sources[nsources++] = s;
	sources[nsources] = NULL;
}

void ctype_clear_sources(void)
{
	free(sources);
	sources = NULL;
	nsources = 0;
}

struct ctype_source *const *ctype_sources(void)
{
	return nsources ? sources : NULL;
}

/* Members of a lazily read type are read now. */
static const struct ctype *complete(const struct ctype *t)
{
	if (t && t->lazy) {
		struct ctype *w = (struct ctype *)t; /* the table owns it */
		struct ctype_source *s = w->lazy;

		if (!s->complete || s->complete(s, w))
			w->lazy = NULL;
	}
	return t;
}

const struct cmember *ctype_members(const struct ctype *t, unsigned *n)
{
	t = complete(t);
	*n = t ? t->nmembers : 0;
	return t ? t->members : NULL;
}

const struct ctype *ctype_func(const char *name)
{
	for (unsigned i = 0; i < nsources; i++) {
		const struct ctype *f;

		if (sources[i]->func && (f = sources[i]->func(sources[i], name)))
			return f;
	}
	return NULL;
}

static struct ctype *add(struct ctype t)
{
	struct ctype **grown = realloc(table, (ntable + 1) * sizeof(*table));
	struct ctype *n = malloc(sizeof(*n));

	if (!grown || !n) {
		free(n);
		if (grown)
			table = grown;
		return NULL;
	}
	table = grown;
	*n = t;
	table[ntable++] = n;
	return n;
}

/* The interned type of this shape (kind, size, sign, as, ref, len, name). */
static const struct ctype *intern(struct ctype t)
{
	for (unsigned i = 0; i < ntable; i++) {
		const struct ctype *c = table[i];

		if (c->kind == t.kind && c->size == t.size &&
		    c->is_signed == t.is_signed && c->as == t.as &&
		    c->ref == t.ref && c->len == t.len &&
		    (c->name == t.name ||
		     (c->name && t.name && !strcmp(c->name, t.name))))
			return c;
	}
	if (t.name && !(t.name = strdup(t.name)))
		return NULL;
	return add(t);
}

const struct ctype *ctype_void(void)
{
	return intern((struct ctype){ .kind = CT_VOID, .name = "void" });
}

static const char *int_name(unsigned size, bool is_signed)
{
	static const char *const names[2][9] = {
		{ [1] = "uint8", [2] = "uint16", [4] = "uint32", [8] = "uint64" },
		{ [1] = "int8", [2] = "int16", [4] = "int32", [8] = "int64" },
	};

	return size <= 8 && names[is_signed][size] ? names[is_signed][size] : NULL;
}

const struct ctype *ctype_int(unsigned size, bool is_signed)
{
	return intern((struct ctype){ .kind = CT_INT, .size = size,
				      .is_signed = is_signed,
				      .name = int_name(size, is_signed) });
}

const struct ctype *ctype_char(void)
{
	return intern((struct ctype){ .kind = CT_INT, .size = 1,
				      .is_signed = true, .name = "char" });
}

const struct ctype *ctype_ptr(const struct ctype *to, enum addr_space as,
			      unsigned size)
{
	return intern((struct ctype){ .kind = CT_PTR, .size = size, .as = as,
				      .ref = to ? to : ctype_void() });
}

const struct ctype *ctype_array(const struct ctype *elem, unsigned len)
{
	return intern((struct ctype){ .kind = CT_ARRAY, .ref = elem, .len = len,
				      .size = elem ? elem->size * len : 0 });
}

const struct ctype *ctype_dataloc(const struct ctype *elem)
{
	return intern((struct ctype){ .kind = CT_DATALOC, .ref = elem, .size = 4 });
}

const struct ctype *ctype_typedef(const char *name, const struct ctype *to)
{
	return intern((struct ctype){ .kind = CT_TYPEDEF, .name = name, .ref = to,
				      .size = to ? to->size : 0 });
}

const struct ctype *ctype_fwd(enum ctype_kind kind, const char *name)
{
	return intern((struct ctype){ .kind = kind, .name = name });
}

const struct ctype *ctype_definition(const struct ctype *t)
{
	const struct ctype *def;

	t = ctype_resolve(t);
	if (!t || !t->name || t->size || t->nmembers || t->nconsts || t->lazy ||
	    (t->kind != CT_STRUCT && t->kind != CT_UNION && t->kind != CT_ENUM))
		return t;
	def = ctype_find(t->kind, t->name);
	return def && def != t ? ctype_resolve(def) : t;
}

struct ctype *ctype_new(enum ctype_kind kind, const char *name, unsigned size)
{
	struct ctype *t = calloc(1, sizeof(*t));

	if (!t || (name && !(t->name = strdup(name)))) {
		free(t);
		return NULL;
	}
	t->kind = kind;
	t->size = size;
	return t;
}

void ctype_free(struct ctype *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < t->nmembers; i++)
		free((char *)t->members[i].name);
	for (unsigned i = 0; i < t->nconsts; i++)
		free((char *)t->consts[i].name);
	free(t->members);
	free(t->consts);
	free((char *)t->name);
	free(t);
}

int ctype_add_member(struct ctype *agg, const char *name, const struct ctype *type,
		     unsigned offset, unsigned bit_off, unsigned bit_size)
{
	struct cmember *m = realloc(agg->members, (agg->nmembers + 1) * sizeof(*m));
	char *copy = strdup(name ? name : "");

	if (!m || !copy) {
		free(copy);
		if (m)
			agg->members = m;
		return -1;
	}
	agg->members = m;
	m[agg->nmembers++] = (struct cmember){ .name = copy, .type = type,
					       .offset = offset, .bit_off = bit_off,
					       .bit_size = bit_size };
	return 0;
}

int ctype_add_const(struct ctype *e, const char *name, int64_t value)
{
	struct cconst *c = realloc(e->consts, (e->nconsts + 1) * sizeof(*c));
	char *copy = strdup(name);

	if (!c || !copy) {
		free(copy);
		if (c)
			e->consts = c;
		return -1;
	}
	e->consts = c;
	c[e->nconsts++] = (struct cconst){ .name = copy, .value = value };
	return 0;
}

void ctype_register(const struct ctype *t)
{
	const struct ctype **grown;

	/* an anonymous enum is registered for its constants, never found */
	for (unsigned i = 0; t->name && i < nnamed; i++) {
		if (named[i]->kind == t->kind && named[i]->name &&
		    !strcmp(named[i]->name, t->name)) {
			if (named[i] != t)
				retire(named[i]);
			named[i] = t;
			return;
		}
	}
	grown = realloc(named, (nnamed + 1) * sizeof(*named));
	if (!grown)
		return;
	named = grown;
	named[nnamed++] = t;
}

const struct ctype *ctype_find(enum ctype_kind kind, const char *name)
{
	for (unsigned i = 0; i < nnamed; i++)
		if (named[i]->kind == kind && named[i]->name &&
		    !strcmp(named[i]->name, name))
			return named[i];
	for (unsigned i = 0; i < nsources; i++) {
		const struct ctype *t;

		if (sources[i]->find && (t = sources[i]->find(sources[i], kind, name)))
			return t;
	}
	return NULL;
}

const struct ctype *ctype_resolve(const struct ctype *t)
{
	while (t && t->kind == CT_TYPEDEF)
		t = t->ref;
	return t;
}

const struct cmember *ctype_member(const struct ctype *agg, const char *name,
				   unsigned *offset)
{
	agg = complete(ctype_resolve(agg));
	if (!agg || (agg->kind != CT_STRUCT && agg->kind != CT_UNION))
		return NULL;
	for (unsigned i = 0; i < agg->nmembers; i++) {
		const struct cmember *m = &agg->members[i];

		if (!strcmp(m->name, name)) {
			*offset = m->offset;
			return m;
		}
	}
	/* C11's anonymous members: their members are the aggregate's */
	for (unsigned i = 0; i < agg->nmembers; i++) {
		const struct cmember *m = &agg->members[i], *in;
		unsigned off;

		if (*m->name || !(in = ctype_member(m->type, name, &off)))
			continue;
		*offset = m->offset + off;
		return in;
	}
	return NULL;
}

bool ctype_enum_const(const char *name, int64_t *value)
{
	for (unsigned i = 0; i < nnamed; i++) {
		const struct ctype *e = named[i];

		if (e->kind != CT_ENUM)
			continue;
		for (unsigned j = 0; j < e->nconsts; j++) {
			if (!strcmp(e->consts[j].name, name)) {
				*value = e->consts[j].value;
				return true;
			}
		}
	}
	for (unsigned i = 0; i < nsources; i++)
		if (sources[i]->enum_const && sources[i]->enum_const(sources[i], name, value))
			return true;
	return false;
}

unsigned ctype_member_names(const struct ctype *agg, const char **names,
			    unsigned max)
{
	unsigned n = 0;

	agg = complete(ctype_resolve(agg));
	if (!agg || (agg->kind != CT_STRUCT && agg->kind != CT_UNION))
		return 0;
	for (unsigned i = 0; i < agg->nmembers && n < max; i++) {
		if (*agg->members[i].name)
			names[n++] = agg->members[i].name;
		else
			n += ctype_member_names(agg->members[i].type, names + n, max - n);
	}
	return n;
}

bool ctype_is_int(const struct ctype *t)
{
	t = ctype_resolve(t);
	return t && (t->kind == CT_INT || t->kind == CT_ENUM);
}

bool ctype_is_ptr(const struct ctype *t)
{
	t = ctype_resolve(t);
	return t && t->kind == CT_PTR;
}

/* A char, not a uint8 or an unsigned char: arrays of chars are strings,
 * of bytes buffers. */
bool ctype_is_char(const struct ctype *t)
{
	t = ctype_resolve(t);
	return t && t->kind == CT_INT && t->size == 1 && t->name &&
	       !strcmp(t->name, "char");
}

enum ctype_class ctype_classify(const struct ctype *t)
{
	t = ctype_resolve(t);
	if (!t)
		return CC_OTHER;
	switch (t->kind) {
	case CT_INT:
	case CT_ENUM:
		return CC_INT;
	case CT_PTR:
		return CC_PTR;
	case CT_ARRAY:
		return ctype_is_char(t->ref) ? CC_CHARS : CC_BYTES;
	case CT_DATALOC:
		return CC_DATALOC;
	default:
		return CC_OTHER;
	}
}

/* The name of t before a declarator suffix: "struct sock", "char". */
static void base_name(const struct ctype *t, char *buf, unsigned len)
{
	static const char *const tags[] = { [CT_STRUCT] = "struct ",
					    [CT_UNION] = "union ",
					    [CT_ENUM] = "enum " };

	switch (t->kind) {
	case CT_STRUCT:
	case CT_UNION:
	case CT_ENUM:
		snprintf(buf, len, "%s%s", tags[t->kind], t->name ? t->name : "(anonymous)");
		break;
	case CT_FUNC:
		snprintf(buf, len, "function");
		break;
	default:
		snprintf(buf, len, "%s", t->name ? t->name : "?");
		break;
	}
}

const char *ctype_name(const struct ctype *t, char *buf, unsigned len)
{
	char inner[256];

	if (!len)
		return buf;
	if (!t) {
		snprintf(buf, len, "void");
		return buf;
	}
	switch (t->kind) {
	case CT_PTR:
		ctype_name(t->ref, inner, sizeof(inner));
		snprintf(buf, len, "%s%s*", inner,
			 inner[strlen(inner) - 1] == '*' ? "" : " ");
		break;
	case CT_ARRAY: {
		/* int[2][3]: an array of 2 arrays of 3 */
		const struct ctype *e = t;
		size_t n;

		while (e->kind == CT_ARRAY)
			e = e->ref;
		ctype_name(e, inner, sizeof(inner));
		n = strlen(inner);
		for (e = t; e->kind == CT_ARRAY && n < sizeof(inner); e = e->ref)
			n += (size_t)snprintf(inner + n, sizeof(inner) - n, "[%u]", e->len);
		snprintf(buf, len, "%s", inner);
		break;
	}
	case CT_DATALOC:
		ctype_name(t->ref, inner, sizeof(inner));
		snprintf(buf, len, "__data_loc %s[]", inner);
		break;
	default:
		base_name(t, buf, len);
		break;
	}
	return buf;
}
