/* cdecl.c - C type names and declarations (see cdecl.h).
 *
 * Layout follows what gcc does for the target's ABI (the System V psABI
 * of x86_64 and riscv64, the AAPCS of arm and arm64): a member goes at
 * the next multiple of its alignment; a struct is as aligned as its most
 * aligned member and its size a multiple of that. A bitfield goes at
 * the next free bit unless it would then cross a boundary of a unit of
 * its type (the type's size, aligned as the type), in which case it
 * starts the next unit; a zero-width one ends the unit. Named bitfields
 * align the struct like members of their type; unnamed ones do on arm
 * and arm64 only. A bitfield member is recorded at the start of its
 * unit (offset, a multiple of the type's size) with bit_off the bits
 * from there, so that reading the type at offset and shifting by
 * bit_off gives it.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "cdecl.h"

unsigned cdecl_ptr_size(const struct target *t)
{
	return t->regs && t->regs->size == 4 ? 4 : 8;
}

/* The next word of text at *p (letters, digits, '_'), or a single
 * punctuation character; "" at the end. */
static const char *word(const char **p, char *buf, size_t len)
{
	const char *s = *p;
	size_t n = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (isalnum((unsigned char)*s) || *s == '_') {
		while ((isalnum((unsigned char)s[n]) || s[n] == '_') && n + 1 < len)
			n++;
	} else if (*s) {
		n = 1;
	}
	memcpy(buf, s, n);
	buf[n] = 0;
	*p = s + n;
	return buf;
}

static const struct {
	const char *name;
	unsigned size;
	bool is_signed;
} wisp_ints[] = {
	{ "int8", 1, true }, { "int16", 2, true }, { "int32", 4, true },
	{ "int64", 8, true }, { "uint8", 1, false }, { "uint16", 2, false },
	{ "uint32", 4, false }, { "uint64", 8, false }, { "bool", 1, false },
	{ "_Bool", 1, false },
};

/* The kernel's fixed typedefs, for kernels without BTF: what a source
 * has comes first. size 0: a long's. */
static const struct {
	const char *name;
	unsigned size;
	bool is_signed;
} kernel_ints[] = {
	{ "u8", 1, false }, { "u16", 2, false }, { "u32", 4, false }, { "u64", 8, false },
	{ "s8", 1, true }, { "s16", 2, true }, { "s32", 4, true }, { "s64", 8, true },
	{ "__u8", 1, false }, { "__u16", 2, false }, { "__u32", 4, false },
	{ "__u64", 8, false }, { "__s8", 1, true }, { "__s16", 2, true },
	{ "__s32", 4, true }, { "__s64", 8, true },
	{ "__be16", 2, false }, { "__be32", 4, false }, { "__be64", 8, false },
	{ "__le16", 2, false }, { "__le32", 4, false }, { "__le64", 8, false },
	{ "uint8_t", 1, false }, { "uint16_t", 2, false }, { "uint32_t", 4, false },
	{ "uint64_t", 8, false }, { "int8_t", 1, true }, { "int16_t", 2, true },
	{ "int32_t", 4, true }, { "int64_t", 8, true },
	{ "size_t", 0, false }, { "ssize_t", 0, true }, { "uintptr_t", 0, false },
	{ "ptrdiff_t", 0, true }, { "loff_t", 8, true }, { "off_t", 0, true },
	{ "pid_t", 4, true }, { "uid_t", 4, false }, { "gid_t", 4, false },
	{ "dev_t", 4, false }, { "ino_t", 0, false }, { "umode_t", 2, false },
	{ "mode_t", 4, false }, { "time64_t", 8, true }, { "ktime_t", 8, true },
	{ "sector_t", 8, false }, { "gfp_t", 4, false },
};

static const struct ctype *kernel_int(const char *name, const struct target *t)
{
	for (size_t i = 0; i < sizeof(kernel_ints) / sizeof(kernel_ints[0]); i++)
		if (!strcmp(name, kernel_ints[i].name))
			return ctype_typedef(name, ctype_int(kernel_ints[i].size ? kernel_ints[i].size :
							      cdecl_ptr_size(t),
							      kernel_ints[i].is_signed));
	return NULL;
}

bool cdecl_is_keyword(const char *name)
{
	static const char *const words[] = {
		"unsigned", "signed", "char", "short", "int", "long", "void",
		"_Bool", "const", "volatile", "restrict",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(name, words[i]))
			return true;
	return false;
}

bool cdecl_is_common_typedef(const char *name)
{
	for (size_t i = 0; i < sizeof(wisp_ints) / sizeof(wisp_ints[0]); i++)
		if (!strcmp(name, wisp_ints[i].name))
			return true;
	for (size_t i = 0; i < sizeof(kernel_ints) / sizeof(kernel_ints[0]); i++)
		if (!strcmp(name, kernel_ints[i].name))
			return true;
	return false;
}

const char *cdecl_no_type(const char *what, char *buf, size_t len)
{
	struct ctype_source *const *src = ctype_sources();
	size_t n;

	if (!src) {
		snprintf(buf, len, "no type '%s': declare it in the program (before the probes that use it), or give the kernel's types with --btf FILE (no BTF was read for this kernel)",
			 what);
		return buf;
	}
	n = (size_t)snprintf(buf, len, "no type '%s' in the program's declarations", what);
	for (unsigned i = 0; src[i] && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", src[i + 1] ? ", " : " nor ",
				      src[i]->name);
	if (n < len)
		snprintf(buf + n, len - n, ": declare it in the program");
	return buf;
}

const struct ctype *cdecl_typename(const char *text, const struct target *t,
				   char *err, size_t len)
{
	const char *p = text;
	const struct ctype *ct = NULL;
	char w[128];
	int is_unsigned = -1, longs = 0, shorts = 0, chars = 0, ints = 0;
	bool any = false;

	for (;;) {
		const char *save = p;

		word(&p, w, sizeof(w));
		if (!strcmp(w, "const") || !strcmp(w, "volatile") || !strcmp(w, "restrict"))
			continue;
		if (!strcmp(w, "unsigned") || !strcmp(w, "signed")) {
			is_unsigned = w[0] == 'u';
		} else if (!strcmp(w, "long")) {
			longs++;
		} else if (!strcmp(w, "short")) {
			shorts++;
		} else if (!strcmp(w, "char")) {
			chars++;
		} else if (!strcmp(w, "int")) {
			ints++;
		} else if (!any && !ct && (!strcmp(w, "struct") || !strcmp(w, "union") ||
					   !strcmp(w, "enum"))) {
			enum ctype_kind k = w[0] == 's' ? CT_STRUCT : w[0] == 'u' ? CT_UNION : CT_ENUM;
			char tag[128];

			word(&p, tag, sizeof(tag));
			if (!isalpha((unsigned char)tag[0]) && tag[0] != '_') {
				snprintf(err, len, "'%s' needs a name", w);
				return NULL;
			}
			ct = ctype_find(k, tag);
			if (!ct) {
				char what[300];

				snprintf(what, sizeof(what), "%s %s", w, tag);
				cdecl_no_type(what, err, len);
				return NULL;
			}
			continue;
		} else if (!any && !ct && !strcmp(w, "void")) {
			ct = ctype_void();
			continue;
		} else if (!any && !ct && (isalpha((unsigned char)w[0]) || w[0] == '_')) {
			for (size_t i = 0; i < sizeof(wisp_ints) / sizeof(wisp_ints[0]); i++)
				if (!strcmp(w, wisp_ints[i].name))
					ct = ctype_int(wisp_ints[i].size, wisp_ints[i].is_signed);
			if (!ct && !(ct = ctype_find(CT_TYPEDEF, w)) &&
			    !(ct = kernel_int(w, t))) {
				cdecl_no_type(w, err, len);
				return NULL;
			}
			continue;
		} else {
			p = save;
			break;
		}
		any = true;
	}
	if (any) {
		unsigned size = chars ? 1 : shorts ? 2 : longs >= 2 ? 8 :
				longs ? cdecl_ptr_size(t) : 4;

		if (ct || (chars && (shorts || longs))) {
			snprintf(err, len, "'%s' is not a C type", text);
			return NULL;
		}
		if (chars && is_unsigned < 0)
			ct = ctype_char();
		else
			ct = ctype_int(size, is_unsigned != 1);
	}
	if (!ct) {
		snprintf(err, len, "'%s' is not a C type", text);
		return NULL;
	}
	for (;;) {
		word(&p, w, sizeof(w));
		if (!strcmp(w, "*")) {
			ct = ctype_ptr(ct, AS_KERNEL, cdecl_ptr_size(t));
		} else if (!strcmp(w, "const") || !strcmp(w, "volatile") ||
			   !strcmp(w, "restrict")) {
			continue;
		} else if (!strcmp(w, "[")) {
			char *end;
			unsigned long n = strtoul(p, &end, 0);

			p = end;
			if (strcmp(word(&p, w, sizeof(w)), "]") || n > (1u << 24)) {
				snprintf(err, len, "'%s': expected an array length and ']'", text);
				return NULL;
			}
			ct = ctype_array(ct, (unsigned)n);
		} else if (!w[0]) {
			return ct;
		} else {
			snprintf(err, len, "'%s' is not a C type: unexpected '%s'", text, w);
			return NULL;
		}
	}
}

/* ---- freeing the syntax ---- */

void cdecl_declarator_free(struct cdecl_declarator *d)
{
	while (d) {
		struct cdecl_declarator *next = d->next;

		for (unsigned i = 0; i < d->nops; i++)
			node_free(d->ops[i].len);
		free(d->ops);
		free(d->name);
		node_free(d->bits);
		free(d);
		d = next;
	}
}

void cdecl_spec_free(struct cdecl_spec *s)
{
	struct cdecl_enumerator *e;

	if (!s)
		return;
	free(s->name);
	cdecl_free(s->fields);
	for (e = s->consts; e;) {
		struct cdecl_enumerator *next = e->next;

		free(e->name);
		node_free(e->value);
		free(e);
		e = next;
	}
	free(s);
}

void cdecl_free(struct cdecl *d)
{
	while (d) {
		struct cdecl *next = d->next;

		cdecl_spec_free(d->spec);
		cdecl_declarator_free(d->decls);
		free(d);
		d = next;
	}
}

/* ---- alignment ---- */

/* The alignment of the structs and unions the program declared, as laid
 * out (an unnamed bitfield may have raised it above its members'). */
static struct {
	const struct ctype *t;
	unsigned align;
} *aligns;
static unsigned naligns;

static void align_set(const struct ctype *t, unsigned align)
{
	for (unsigned i = 0; i < naligns; i++) {
		if (aligns[i].t == t) {
			aligns[i].align = align;
			return;
		}
	}
	void *grown = realloc(aligns, (naligns + 1) * sizeof(*aligns));

	if (!grown)
		return;
	aligns = grown;
	aligns[naligns].t = t;
	aligns[naligns++].align = align;
}

static unsigned align_known(const struct ctype *t)
{
	for (unsigned i = 0; i < naligns; i++)
		if (aligns[i].t == t)
			return aligns[i].align;
	return 0;
}

unsigned cdecl_align(const struct ctype *ct, const struct target *t)
{
	unsigned a = 1, n;
	const struct cmember *m;

	ct = ctype_resolve(ct);
	if (!ct)
		return 1;
	switch (ct->kind) {
	case CT_INT:
	case CT_ENUM:
	case CT_PTR:
	case CT_DATALOC:
		return ct->size ? ct->size : 1;
	case CT_ARRAY:
		return cdecl_align(ct->ref, t);
	case CT_STRUCT:
	case CT_UNION:
		if ((a = align_known(ct)))
			return a;
		/* a type source's: its most aligned member's, unless its size
		 * says it is packed */
		m = ctype_members(ct, &n);
		a = 1;
		for (unsigned i = 0; i < n; i++) {
			unsigned ma = cdecl_align(m[i].type, t);

			if (ma > a)
				a = ma;
		}
		while (a > 1 && ct->size % a)
			a /= 2;
		return a;
	default:
		return 1;
	}
}

/* ---- laying out declarations ---- */

/* The struct, union, enum and typedef names this program declares, so
 * that a forward declaration and the definition are one type, and a
 * second definition is an error. */
struct tag {
	enum ctype_kind kind;
	const char *name;
	struct ctype *t;         /* structs, unions, enums: ours to fill */
	const struct ctype *td;  /* typedefs: what it names */
	struct loc loc;          /* the definition, or the first declaration */
	int state;               /* 0 declared, 1 being defined, 2 defined */
	bool named_only;         /* state 0: only named behind a pointer,
	                          * never declared */
};

struct declarer {
	const struct target *tgt;
	struct tag *tags;
	unsigned ntags;
	int errors;
	bool unnamed_aligns;     /* unnamed bitfields align the struct (arm) */
	struct ctype *enum_def;  /* the enum being defined: its constants so far */
};

/* A function type: a declarator's "(...)". Only pointers to it mean
 * anything here, and they are read as pointers to void. */
static struct ctype func_marker = { .kind = CT_FUNC, .name = "function" };

#define LAYOUT_MAX (1u << 30) /* bytes of one type */

static void __attribute__((format(printf, 3, 4)))
derr(struct declarer *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	d->errors++;
	va_start(ap, fmt);
	diag_vreport(DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

static const char *tn(const struct ctype *t)
{
	static char bufs[3][256];
	static int which;

	which = (which + 1) % 3;
	return ctype_name(t, bufs[which], sizeof(bufs[which]));
}

static struct tag *tag_find(struct declarer *d, enum ctype_kind kind, const char *name)
{
	for (unsigned i = 0; i < d->ntags; i++)
		if (d->tags[i].kind == kind && !strcmp(d->tags[i].name, name))
			return &d->tags[i];
	return NULL;
}

static struct tag *tag_add(struct declarer *d, enum ctype_kind kind, const char *name,
			   struct loc loc)
{
	struct tag *grown = realloc(d->tags, (d->ntags + 1) * sizeof(*grown));

	if (!grown)
		return NULL;
	d->tags = grown;
	grown[d->ntags] = (struct tag){ .kind = kind, .name = name, .loc = loc };
	return &grown[d->ntags++];
}

/* A struct or union without members or size, not waiting for its source
 * to read them: only declared. */
static bool incomplete(struct declarer *d, const struct ctype *t)
{
	t = ctype_resolve(t);
	if (!t || (t->kind != CT_STRUCT && t->kind != CT_UNION))
		return false;
	for (unsigned i = 0; i < d->ntags; i++)
		if (d->tags[i].t == t)
			return d->tags[i].state != 2;
	return !t->size && !t->nmembers && !t->lazy;
}

static const char *kind_word(enum cdecl_spec_kind k)
{
	return k == CDS_STRUCT ? "struct" : k == CDS_UNION ? "union" : "enum";
}

/* The value of a constant expression: integers, enum constants, sizeof
 * of a type, and C's arithmetic on them. false after reporting. */
static bool eval(struct declarer *d, const struct node *n, int64_t *v)
{
	int64_t a, b;
	char err[512];

	switch (n->kind) {
	case AST_INT:
		*v = n->ival;
		return true;
	case AST_IDENT:
		if (d->enum_def)
			for (unsigned i = 0; i < d->enum_def->nconsts; i++)
				if (!strcmp(d->enum_def->consts[i].name, n->name)) {
					*v = d->enum_def->consts[i].value;
					return true;
				}
		if (ctype_enum_const(n->name, v))
			return true;
		derr(d, n->loc, "'%s' is not a constant here: a length, width or value is an integer, an enum constant or sizeof(TYPE) (#define lines are ignored)",
		     n->name);
		return false;
	case AST_SIZEOF: {
		const struct ctype *ct;
		uint64_t size;

		if (!n->ctype) {
			derr(d, n->loc, "sizeof of an expression is not a constant here: name a type");
			return false;
		}
		if (!(ct = cdecl_typename(n->ctype, d->tgt, err, sizeof(err))) ||
		    cdecl_sizeof(ct, &size, err, sizeof(err))) {
			derr(d, n->loc, "%s", err);
			return false;
		}
		*v = (int64_t)size;
		return true;
	}
	case AST_UNOP:
		if (!eval(d, n->a, &a))
			return false;
		switch (n->op) {
		case TOK_MINUS: *v = (int64_t)(0 - (uint64_t)a); return true;
		case TOK_TILDE: *v = ~a; return true;
		case TOK_BANG: *v = !a; return true;
		default: break;
		}
		break;
	case AST_BINOP:
		if (!eval(d, n->a, &a) || !eval(d, n->b, &b))
			return false;
		switch (n->op) {
		case TOK_PLUS: *v = (int64_t)((uint64_t)a + (uint64_t)b); return true;
		case TOK_MINUS: *v = (int64_t)((uint64_t)a - (uint64_t)b); return true;
		case TOK_STAR: *v = (int64_t)((uint64_t)a * (uint64_t)b); return true;
		case TOK_SLASH:
		case TOK_PERCENT:
			if (!b || (a == INT64_MIN && b == -1)) {
				derr(d, n->loc, "division by %s in a constant", b ? "-1 overflows" : "zero");
				return false;
			}
			*v = n->op == TOK_SLASH ? a / b : a % b;
			return true;
		case TOK_SHL: *v = b < 0 || b > 63 ? 0 : (int64_t)((uint64_t)a << b); return true;
		case TOK_SHR: *v = b < 0 || b > 63 ? 0 : a >> b; return true;
		case TOK_AMP: *v = a & b; return true;
		case TOK_PIPE: *v = a | b; return true;
		case TOK_CARET: *v = a ^ b; return true;
		case TOK_LT: *v = a < b; return true;
		case TOK_GT: *v = a > b; return true;
		case TOK_LE: *v = a <= b; return true;
		case TOK_GE: *v = a >= b; return true;
		case TOK_EQ: *v = a == b; return true;
		case TOK_NE: *v = a != b; return true;
		case TOK_ANDAND: *v = a && b; return true;
		case TOK_OROR: *v = a || b; return true;
		default: break;
		}
		break;
	case AST_TERNARY:
		if (!eval(d, n->a, &a))
			return false;
		return eval(d, a ? n->b : n->c, v);
	case AST_CAST:
		return eval(d, n->a, v);
	default:
		break;
	}
	derr(d, n->loc, "not a constant: a length, width or value is an integer, an enum constant or sizeof(TYPE)");
	return false;
}

static const struct ctype *resolve_spec(struct declarer *d, struct cdecl_spec *s);

/* The type a declarator gives its base, or NULL after reporting. what
 * names it in messages ("member 'x'", "typedef 'y'"). */
static const struct ctype *apply_ops(struct declarer *d, const struct ctype *t,
				     const struct cdecl_declarator *dd, const char *what)
{
	for (unsigned i = 0; i < dd->nops; i++) {
		const struct cdecl_op *op = &dd->ops[i];
		int64_t len = 0;

		switch (op->kind) {
		case CDO_PTR:
			if (ctype_resolve(t) == &func_marker)
				t = ctype_void();
			t = ctype_ptr(t, AS_KERNEL, cdecl_ptr_size(d->tgt));
			break;
		case CDO_FUNC:
			t = &func_marker;
			break;
		case CDO_ARRAY:
			if (op->len && !eval(d, op->len, &len))
				return NULL;
			if (ctype_resolve(t) == &func_marker || ctype_resolve(t)->kind == CT_VOID) {
				derr(d, op->loc, "%s is an array of %s", what,
				     ctype_resolve(t)->kind == CT_VOID ? "void" : "functions");
				return NULL;
			}
			if (incomplete(d, t)) {
				derr(d, op->loc, "%s is an array of %s, which is incomplete (declared, not defined)",
				     what, tn(t));
				return NULL;
			}
			if (len < 0) {
				derr(d, op->len->loc, "%s has a negative array length (%" PRId64 ")",
				     what, len);
				return NULL;
			}
			if (t->size && (uint64_t)len > LAYOUT_MAX / t->size) {
				derr(d, op->len->loc, "%s is too large: %" PRId64 " elements of %u bytes (the limit is %u bytes)",
				     what, len, t->size, LAYOUT_MAX);
				return NULL;
			}
			if ((uint64_t)len > LAYOUT_MAX) {
				derr(d, op->len->loc, "%s has too many elements (%" PRId64 ")", what, len);
				return NULL;
			}
			t = ctype_array(t, (unsigned)len);
			break;
		}
		if (!t)
			return NULL;
	}
	return t;
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* Is name already a member of agg (directly or in an anonymous one)? */
static bool has_member(const struct ctype *agg, const char *name)
{
	unsigned off;

	return *name && ctype_member(agg, name, &off);
}

/* Lay out the members of s into agg. */
static void layout(struct declarer *d, struct cdecl_spec *s, struct ctype *agg)
{
	bool is_union = agg->kind == CT_UNION;
	uint64_t bits = 0, size = 0; /* struct: the next free bit; union: the largest */
	unsigned align = 1;
	char what[300];

	for (struct cdecl *m = s->fields; m; m = m->next) {
		const struct ctype *base = resolve_spec(d, m->spec);

		if (!base)
			continue;
		if (!m->decls) {
			const struct ctype *r = ctype_resolve(base);
			const char *names[256];
			unsigned n, a;
			uint64_t at;

			if (m->spec->kind == CDS_NAME || m->spec->kind == CDS_ENUM ||
			    m->spec->name || !m->spec->body) {
				/* "struct y { ... };" in a struct only defines y */
				if (!(m->spec->body && m->spec->name))
					derr(d, m->loc, "this declares no member: give it a name");
				continue;
			}
			n = ctype_member_names(r, names, 256);
			for (unsigned i = 0; i < n; i++)
				if (has_member(agg, names[i]))
					derr(d, m->spec->loc, "duplicate member '%s' in %s (in an anonymous %s)",
					     names[i], tn(agg), kind_word(m->spec->kind));
			a = cdecl_align(r, d->tgt);
			at = is_union ? 0 : round_up(round_up(bits, 8) / 8, a);
			ctype_add_member(agg, "", base, (unsigned)at, 0, 0);
			if (a > align)
				align = a;
			if (is_union)
				size = r->size > size ? r->size : size;
			else
				bits = (at + r->size) * 8;
			continue;
		}
		for (struct cdecl_declarator *dd = m->decls; dd; dd = dd->next) {
			const struct ctype *t, *r;
			unsigned a;

			if (dd->name)
				snprintf(what, sizeof(what), "member '%s' of %s", dd->name, tn(agg));
			else
				snprintf(what, sizeof(what), "an unnamed bitfield of %s", tn(agg));
			if (!(t = apply_ops(d, base, dd, what)))
				continue;
			r = ctype_resolve(t);
			if (dd->name && has_member(agg, dd->name)) {
				derr(d, dd->loc, "duplicate member '%s' in %s", dd->name, tn(agg));
				continue;
			}
			if (r == &func_marker) {
				derr(d, dd->loc, "%s is a function: a pointer to one is written (*%s)(...)",
				     what, dd->name ? dd->name : "name");
				continue;
			}
			if (r->kind == CT_VOID) {
				derr(d, dd->loc, "%s has type void", what);
				continue;
			}
			if (incomplete(d, t)) {
				const struct tag *tag = r->name ? tag_find(d, r->kind, r->name) : NULL;
				char msg[512];

				if (tag && tag->named_only)
					derr(d, dd->loc, "%s: %s", what,
					     cdecl_no_type(tn(r), msg, sizeof(msg)));
				else
					derr(d, dd->loc, "%s has type %s, which is incomplete (declared, not defined): define it before, or make the member a pointer",
					     what, tn(t));
				continue;
			}
			/* a flexible array member ends the struct */
			if (r->kind == CT_ARRAY && !r->len && dd->nops &&
			    dd->ops[dd->nops - 1].kind == CDO_ARRAY && !dd->ops[dd->nops - 1].len &&
			    (dd->next || m->next)) {
				derr(d, dd->loc, "%s is an array without a length: only the last member may be",
				     what);
				continue;
			}
			a = cdecl_align(r, d->tgt);
			if (dd->bits) {
				int64_t w;
				uint64_t unit = (uint64_t)r->size * 8, at;

				if (!eval(d, dd->bits, &w))
					continue;
				if (r->kind != CT_INT && r->kind != CT_ENUM) {
					derr(d, dd->loc, "%s is a bitfield of type %s: bitfields are integers",
					     what, tn(t));
					continue;
				}
				if (w < 0 || (uint64_t)w > unit) {
					derr(d, dd->bits->loc, w < 0 ? "%s has a negative width (%" PRId64 " bits)" :
					     "%s is %" PRId64 " bits wide, wider than its type %s (%u bits)",
					     what, w, tn(t), (unsigned)unit);
					continue;
				}
				if (!w && dd->name) {
					derr(d, dd->bits->loc, "%s has width 0: only an unnamed bitfield may", what);
					continue;
				}
				if (dd->name || d->unnamed_aligns)
					align = a > align ? a : align;
				if (is_union) {
					if (dd->name)
						ctype_add_member(agg, dd->name, t, 0, 0, (unsigned)w);
					size = (uint64_t)(w + 7) / 8 > size ? (uint64_t)(w + 7) / 8 : size;
					continue;
				}
				if (!w) {
					bits = round_up(bits, (uint64_t)a * 8);
					continue;
				}
				if (bits / unit != (bits + w - 1) / unit)
					bits = round_up(bits, (uint64_t)a * 8);
				at = bits / unit * unit;
				if (dd->name)
					ctype_add_member(agg, dd->name, t, (unsigned)(at / 8),
							 (unsigned)(bits - at), (unsigned)w);
				bits += w;
			} else if (is_union) {
				ctype_add_member(agg, dd->name, t, 0, 0, 0);
				size = r->size > size ? r->size : size;
				align = a > align ? a : align;
			} else {
				uint64_t at = round_up(round_up(bits, 8) / 8, a);

				ctype_add_member(agg, dd->name, t, (unsigned)at, 0, 0);
				bits = (at + r->size) * 8;
				align = a > align ? a : align;
			}
			if ((is_union ? size : bits / 8) > LAYOUT_MAX) {
				derr(d, dd->loc, "%s is too large: more than %u bytes", tn(agg),
				     LAYOUT_MAX);
				return;
			}
		}
	}
	if (!is_union)
		size = round_up(bits, 8) / 8;
	agg->size = (unsigned)round_up(size, align);
	align_set(agg, align);
}

/* Define the struct or union s: fill its forward declaration's type, or
 * a new one. */
static const struct ctype *define_agg(struct declarer *d, struct cdecl_spec *s)
{
	enum ctype_kind kind = s->kind == CDS_STRUCT ? CT_STRUCT : CT_UNION;
	struct tag *tag = s->name ? tag_find(d, kind, s->name) : NULL;
	struct ctype *agg;

	if (tag && tag->state) {
		derr(d, s->loc, "%s %s is defined twice", kind_word(s->kind), s->name);
		diag_note(tag->loc, "the first definition is here");
		return tag->t;
	}
	if (tag) {
		agg = tag->t;
	} else {
		if (!(agg = ctype_new(kind, s->name, 0)))
			return NULL;
		if (s->name && !(tag = tag_add(d, kind, agg->name, s->loc)))
			return NULL;
		if (tag)
			tag->t = agg;
	}
	if (tag) {
		tag->state = 1;
		tag->loc = s->loc;
		ctype_register(agg);
	}
	layout(d, s, agg);
	/* tags may move as nested definitions add theirs */
	if (s->name && (tag = tag_find(d, kind, s->name)))
		tag->state = 2;
	return agg;
}

static const struct ctype *define_enum(struct declarer *d, struct cdecl_spec *s)
{
	struct tag *tag = s->name ? tag_find(d, CT_ENUM, s->name) : NULL;
	struct ctype *e;
	int64_t next = 0, lo = 0, hi = 0;

	if (tag) {
		derr(d, s->loc, "enum %s is defined twice", s->name);
		diag_note(tag->loc, "the first definition is here");
		return tag->t;
	}
	if (!(e = ctype_new(CT_ENUM, s->name, 4)))
		return NULL;
	d->enum_def = e;
	for (struct cdecl_enumerator *c = s->consts; c; c = c->next) {
		int64_t v = next;
		bool dup = false;

		if (c->value && !eval(d, c->value, &v))
			v = next;
		for (unsigned i = 0; i < e->nconsts; i++)
			dup |= !strcmp(e->consts[i].name, c->name);
		for (unsigned i = 0; i < d->ntags; i++)
			if (d->tags[i].kind == CT_ENUM && d->tags[i].t)
				for (unsigned j = 0; j < d->tags[i].t->nconsts; j++)
					dup |= !strcmp(d->tags[i].t->consts[j].name, c->name);
		if (dup)
			derr(d, c->loc, "enum constant '%s' is declared twice", c->name);
		ctype_add_const(e, c->name, v);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		next = (int64_t)((uint64_t)v + 1);
	}
	d->enum_def = NULL;
	/* as gcc: int, unsigned int, else 8 bytes */
	e->is_signed = lo < 0;
	if (lo < INT32_MIN || (lo < 0 ? hi > INT32_MAX : hi > (int64_t)UINT32_MAX))
		e->size = 8;
	if ((tag = tag_add(d, CT_ENUM, e->name ? e->name : "", s->loc))) {
		tag->t = e;
		tag->state = 2;
	}
	ctype_register(e);
	return e;
}

static const struct ctype *resolve_spec(struct declarer *d, struct cdecl_spec *s)
{
	char err[512];
	enum ctype_kind kind = s->kind == CDS_STRUCT ? CT_STRUCT :
			       s->kind == CDS_UNION ? CT_UNION : CT_ENUM;
	const struct ctype *t;
	struct tag *tag;

	switch (s->kind) {
	case CDS_NAME:
		/* a typedef of this program first: its later redefinitions
		 * in the type sources do not count */
		if ((tag = tag_find(d, CT_TYPEDEF, s->name)))
			return s->type = tag->td;
		t = cdecl_typename(s->name, d->tgt, err, sizeof(err));
		if (!t)
			derr(d, s->loc, "%s", err);
		return s->type = t;
	case CDS_STRUCT:
	case CDS_UNION:
		if (s->body)
			return s->type = define_agg(d, s);
		if ((tag = tag_find(d, kind, s->name)))
			return s->type = tag->t;
		if ((t = ctype_find(kind, s->name)))
			return s->type = t;
		/* only declared (here, or by its use behind a pointer) */
		{
			struct ctype *fwd = ctype_new(kind, s->name, 0);

			if (!fwd || !(tag = tag_add(d, kind, fwd->name, s->loc)))
				return NULL;
			tag->t = fwd;
			tag->named_only = true;
			ctype_register(fwd);
			return s->type = fwd;
		}
	case CDS_ENUM:
		if (s->body)
			return s->type = define_enum(d, s);
		if ((tag = tag_find(d, CT_ENUM, s->name)))
			return s->type = tag->t;
		if ((t = ctype_find(CT_ENUM, s->name)))
			return s->type = t;
		snprintf(err, sizeof(err), "enum %s", s->name);
		derr(d, s->loc, "%s", cdecl_no_type(err, err + 256, 256));
		return NULL;
	}
	return NULL;
}

static void declare(struct declarer *d, struct cdecl *c)
{
	const struct ctype *base = resolve_spec(d, c->spec);
	char what[300];

	if (!base)
		return;
	if (!c->decls) {
		struct tag *tag;

		/* "struct x;": declared now */
		if (c->spec->kind != CDS_NAME && c->spec->name &&
		    (tag = tag_find(d, base->kind, c->spec->name)))
			tag->named_only = false;
		if (c->spec->kind == CDS_NAME || (!c->spec->name && c->spec->kind != CDS_ENUM))
			derr(d, c->spec->loc, "this declares nothing: a declaration here names a struct, union or enum, or is a typedef");
		return;
	}
	for (struct cdecl_declarator *dd = c->decls; dd; dd = dd->next) {
		const struct ctype *t;
		struct tag *tag;

		if (!c->is_typedef) {
			derr(d, dd->loc, "'%s' would be a variable: a program declares only types (struct, union, enum, typedef)",
			     dd->name ? dd->name : "");
			continue;
		}
		snprintf(what, sizeof(what), "typedef '%s'", dd->name);
		if (!(t = apply_ops(d, base, dd, what)))
			continue;
		if ((tag = tag_find(d, CT_TYPEDEF, dd->name))) {
			if (tag->td != t) {
				derr(d, dd->loc, "typedef '%s' is declared twice: as %s, then as %s",
				     dd->name, tn(tag->td->ref), tn(t));
				diag_note(tag->loc, "the first declaration is here");
			}
			continue;
		}
		t = ctype_typedef(dd->name, t);
		if (!t || !(tag = tag_add(d, CT_TYPEDEF, t->name, dd->loc)))
			continue;
		tag->td = t;
		tag->state = 2;
		ctype_register(t);
	}
}

int cdecl_declare(struct program *prog, const struct target *t)
{
	struct declarer d = { .tgt = t };
	const char *arch = t->regs ? t->regs->arch : "";

	d.unnamed_aligns = !strcmp(arch, "arm") || !strcmp(arch, "aarch64");
	for (struct cdecl *c = prog->decls; c; c = c->next)
		declare(&d, c);
	free(d.tags);
	return d.errors;
}

/* ---- sizeof, offsetof ---- */

int cdecl_sizeof(const struct ctype *ct, uint64_t *size, char *err, size_t len)
{
	const struct ctype *r = ctype_resolve(ct);

	if (!r || r->kind == CT_VOID || r->kind == CT_FUNC) {
		snprintf(err, len, "%s has no size", r ? tn(ct) : "void");
		return -1;
	}
	if ((r->kind == CT_STRUCT || r->kind == CT_UNION) && !r->size && !r->lazy &&
	    !ctype_members(r, &(unsigned){ 0 })) {
		snprintf(err, len, "%s is incomplete (declared, not defined): it has no size", tn(ct));
		return -1;
	}
	*size = r->size;
	return 0;
}

int cdecl_offsetof(const struct ctype *ct, const char *path, uint64_t *off,
		   char *err, size_t len)
{
	const struct ctype *cur = ct;
	const char *p = path;

	*off = 0;
	while (*p) {
		const struct ctype *r = ctype_resolve(cur);

		if (*p == '[') {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);

			if (!r || r->kind != CT_ARRAY) {
				snprintf(err, len, "%s is not an array: it cannot be indexed", tn(cur));
				return -1;
			}
			if (r->len && i >= r->len) {
				snprintf(err, len, "index %lu is past the end of %s", i, tn(cur));
				return -1;
			}
			*off += (uint64_t)i * ctype_resolve(r->ref)->size;
			cur = r->ref;
			p = *end == ']' ? end + 1 : end;
		} else {
			char name[256];
			size_t n = strcspn(p, ".[");
			const struct cmember *m;
			unsigned moff;

			if (n >= sizeof(name))
				n = sizeof(name) - 1;
			memcpy(name, p, n);
			name[n] = 0;
			p += strcspn(p, ".[");
			if (!r || (r->kind != CT_STRUCT && r->kind != CT_UNION)) {
				snprintf(err, len, "%s is not a struct or union: it has no member '%s'",
					 tn(cur), name);
				return -1;
			}
			if (!(m = ctype_member(r, name, &moff))) {
				const char *names[512], *close;
				unsigned nn = ctype_member_names(r, names, 512);

				close = diag_closest(name, names, nn);
				if (!r->size && !r->nmembers && !r->lazy)
					snprintf(err, len, "%s is incomplete (declared, not defined): it has no member '%s'",
						 tn(cur), name);
				else if (close)
					snprintf(err, len, "%s has no member '%s'; did you mean '%s'?",
						 tn(cur), name, close);
				else
					snprintf(err, len, "%s has no member '%s'", tn(cur), name);
				return -1;
			}
			if (m->bit_size) {
				snprintf(err, len, "'%s' is a bitfield: it has no offset in bytes", name);
				return -1;
			}
			*off += moff;
			cur = m->type;
		}
		if (*p == '.')
			p++;
	}
	return 0;
}

/* ---- the dump ---- */

static void dump_members(const struct ctype *agg, int depth, FILE *out)
{
	unsigned n;
	const struct cmember *m = ctype_members(agg, &n);

	for (unsigned i = 0; i < n; i++) {
		const struct ctype *r = ctype_resolve(m[i].type);

		fprintf(out, "%*s%s @%u", depth * 2, "", *m[i].name ? m[i].name : "(anonymous)",
			m[i].offset);
		if (m[i].bit_size)
			fprintf(out, " bits %u+%u", m[i].bit_off, m[i].bit_size);
		fprintf(out, ": %s\n", tn(m[i].type));
		if (r && !r->name && (r->kind == CT_STRUCT || r->kind == CT_UNION))
			dump_members(r, depth + 1, out);
	}
}

/* Every struct, union and enum s defines, nested ones included, before
 * and after its own members. */
static void dump_spec(const struct cdecl_spec *s, int top, FILE *out)
{
	const struct ctype *t = s->type;

	if (!s->body || !t)
		return;
	for (const struct cdecl *m = s->fields; m; m = m->next)
		if (m->spec->name)
			dump_spec(m->spec, 0, out);
	if (!s->name && !top)
		return; /* shown in its container */
	if (t->kind == CT_ENUM) {
		fprintf(out, "%s: size %u, %s\n", tn(t), t->size, t->is_signed ? "signed" : "unsigned");
		for (unsigned i = 0; i < t->nconsts; i++)
			fprintf(out, "  %s = %" PRId64 "\n", t->consts[i].name, t->consts[i].value);
		return;
	}
	fprintf(out, "%s: size %u, align %u\n", tn(t), t->size, align_known(t));
	dump_members(t, 1, out);
}

void cdecl_dump(const struct cdecl *d, FILE *out)
{
	for (; d; d = d->next) {
		fprintf(out, "decl @%d:%d\n", d->loc.line, d->loc.col);
		dump_spec(d->spec, 1, out);
		if (!d->is_typedef)
			continue;
		for (const struct cdecl_declarator *dd = d->decls; dd; dd = dd->next) {
			const struct ctype *t = dd->name ? ctype_find(CT_TYPEDEF, dd->name) : NULL;

			if (t)
				fprintf(out, "typedef %s: %s\n", dd->name, tn(t->ref));
		}
	}
}
