/* type.c - names and equality of the wisp value types. The names are the
 * spellings the language uses for casts, so that messages and dumps can be
 * pasted back into a program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "type.h"

/* Interned tuple layouts: a program has a handful. They live as long as
 * the process, like the types that refer to them. */
static struct tuple_def **tuples;
static unsigned ntuples;

struct type type_tuple(unsigned n, const struct type *elems)
{
	struct tuple_def d = { .n = n };
	struct tuple_def **grown;
	unsigned off = 0;

	if (n > TUPLE_MAX)
		return (struct type){ .kind = TYPE_NONE };
	for (unsigned i = 0; i < n; i++) {
		d.elem[i] = elems[i];
		d.off[i] = off;
		off += (elems[i].size + 7) & ~7u;
	}
	d.size = off;
	for (unsigned i = 0; i < ntuples; i++) {
		const struct tuple_def *t = tuples[i];
		bool same = t->n == n;

		for (unsigned j = 0; same && j < n; j++)
			same = type_equal(t->elem[j], elems[j]) &&
			       t->elem[j].size == elems[j].size;
		if (same)
			return (struct type){ .kind = TYPE_TUPLE, .size = t->size, .tuple = t };
	}
	grown = realloc(tuples, (ntuples + 1) * sizeof(*tuples));
	if (!grown)
		return (struct type){ .kind = TYPE_NONE };
	tuples = grown;
	tuples[ntuples] = malloc(sizeof(d));
	if (!tuples[ntuples])
		return (struct type){ .kind = TYPE_NONE };
	*tuples[ntuples] = d;
	return (struct type){ .kind = TYPE_TUPLE, .size = d.size,
			      .tuple = tuples[ntuples++] };
}

const struct tuple_def *type_tuple_def(struct type t)
{
	return t.kind == TYPE_TUPLE ? t.tuple : NULL;
}

const char *type_name(struct type t, char *buf, unsigned buflen)
{
	switch (t.kind) {
	case TYPE_NONE:
		snprintf(buf, buflen, "none");
		break;
	case TYPE_VOID:
		snprintf(buf, buflen, "void");
		break;
	case TYPE_INT:
		snprintf(buf, buflen, "%sint%u", t.is_signed ? "" : "u",
			 t.size * 8);
		break;
	case TYPE_STR:
		snprintf(buf, buflen, "string[%u]", t.size);
		break;
	case TYPE_PTR:
		snprintf(buf, buflen, "pointer");
		break;
	case TYPE_COUNT:
		snprintf(buf, buflen, "count");
		break;
	case TYPE_SUM:
		snprintf(buf, buflen, "sum");
		break;
	case TYPE_HIST:
		snprintf(buf, buflen, "hist");
		break;
	case TYPE_KSYM:
		snprintf(buf, buflen, "ksym");
		break;
	case TYPE_USYM:
		snprintf(buf, buflen, "usym");
		break;
	case TYPE_INET:
		snprintf(buf, buflen, "inet");
		break;
	case TYPE_TIME:
		snprintf(buf, buflen, "timestamp");
		break;
	case TYPE_BUF:
		snprintf(buf, buflen, "buffer[%u]", t.size >= 8 ? t.size - 8 : 0);
		break;
	case TYPE_STACK:
		snprintf(buf, buflen, "%s", type_is_ustack(t) ? "ustack" : "kstack");
		break;
	case TYPE_TUPLE: {
		const struct tuple_def *d = type_tuple_def(t);
		size_t len;

		snprintf(buf, buflen, "(");
		for (unsigned i = 0; d && i < d->n; i++) {
			len = strlen(buf);
			if (i && len + 2 < buflen)
				strcpy(buf + len, ", "), len += 2;
			if (len < buflen)
				type_name(d->elem[i], buf + len, buflen - len);
		}
		len = strlen(buf);
		if (len + 1 < buflen)
			strcpy(buf + len, ")");
		break;
	}
	case TYPE_RECORD:
		ctype_name(t.ct, buf, buflen);
		break;
	default:
		snprintf(buf, buflen, "type%d", (int)t.kind);
		break;
	}
	return buf;
}

bool type_equal(struct type a, struct type b)
{
	if (a.kind != b.kind)
		return false;
	switch (a.kind) {
	case TYPE_INT:
		return a.size == b.size && a.is_signed == b.is_signed;
	case TYPE_STR:
		return a.size == b.size;
	case TYPE_PTR:
		/* the address space decides which read helper is used, so a
		 * user pointer is not interchangeable with a kernel one */
		return a.as == b.as && a.ct == b.ct;
	case TYPE_STACK:
		/* the frames of a user stack are symbolised in its process */
		return a.as == b.as;
	case TYPE_TUPLE:
		return a.tuple == b.tuple;
	case TYPE_RECORD:
		return a.ct == b.ct;
	case TYPE_BUF:
		return a.size == b.size;
	case TYPE_NONE:
	case TYPE_VOID:
	case TYPE_COUNT:
	case TYPE_SUM:
	case TYPE_HIST:
	case TYPE_KSYM:
	case TYPE_USYM:
	case TYPE_INET:
	case TYPE_TIME:
		/* one layout each: the format of a time goes with its value */
		return true;
	}
	return false;
}

bool type_unify(struct type a, struct type b, struct type *out)
{
	const struct tuple_def *da, *db;
	struct type elems[TUPLE_MAX];

	if (a.kind != b.kind)
		return false;
	switch (a.kind) {
	case TYPE_STR:
	case TYPE_BUF:
		*out = a.size >= b.size ? a : b;
		return true;
	case TYPE_TUPLE:
		da = type_tuple_def(a);
		db = type_tuple_def(b);
		if (!da || !db || da->n != db->n)
			return false;
		for (unsigned i = 0; i < da->n; i++)
			if (!type_unify(da->elem[i], db->elem[i], &elems[i]))
				return false;
		*out = type_tuple(da->n, elems);
		return out->kind == TYPE_TUPLE;
	case TYPE_INT:
		/* integers are 64-bit in maps and locals: the sign decides */
		*out = a;
		return a.size == b.size && a.is_signed == b.is_signed;
	case TYPE_PTR:
		/* pointers to different types hold addresses alike: what
		 * they point to is no longer known */
		*out = a;
		if (a.ct != b.ct)
			out->ct = NULL;
		return a.as == b.as;
	default:
		*out = a;
		return type_equal(a, b);
	}
}
