/* dwarf.c - C types from DWARF through libdw (see dwarf.h).
 *
 * The index maps (kind, name) to the offset of the first definition seen
 * of a struct, union, enum, typedef or function, and enum constants to
 * their values. It grows one compile unit at a time, only as far as a
 * lookup needs: each unit costs a walk over its top-level entries
 * (libdw skips a struct's or a function's children by their sibling
 * links). Types are made from entries on demand and cached by entry
 * offset; a named struct, union, enum or typedef is one ctype for all the
 * units that repeat it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dwarf.h"

#ifndef HAVE_LIBDW

bool dwinfo_supported(void)
{
	return false;
}

struct dwinfo *dwinfo_open(const char *path, enum addr_space as, char *err,
			   size_t len)
{
	(void)as;
	snprintf(err, len, "%s: reading DWARF needs libdw, and this wisp was built without it",
		 path);
	return NULL;
}

void dwinfo_close(struct dwinfo *d)
{
	(void)d;
}

const char *dwinfo_path(const struct dwinfo *d)
{
	(void)d;
	return NULL;
}

struct ctype_source *dwinfo_source(struct dwinfo *d)
{
	(void)d;
	return NULL;
}

const struct ctype *dwinfo_func_at(struct dwinfo *d, const char *name,
				   uint64_t addr, bool *nocall)
{
	(void)d, (void)name, (void)addr, (void)nocall;
	return NULL;
}

void dwinfo_stats(const struct dwinfo *d, struct dwinfo_stats *st)
{
	(void)d;
	memset(st, 0, sizeof(*st));
}

#else /* HAVE_LIBDW */

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <gelf.h>

/* What the index holds under a name. */
enum ix_kind { IX_STRUCT, IX_UNION, IX_ENUM, IX_TYPEDEF, IX_FUNC, IX_CONST };

struct ix_ent {
	const char *name;        /* in libdw's string section */
	Dwarf_Off off;           /* the defining entry */
	int64_t value;           /* IX_CONST */
	const struct ctype *t;   /* the type made of it, once made */
	unsigned char kind;      /* enum ix_kind */
};

/* A struct or union made but not yet filled (ctype.lazy_id indexes it). */
struct lazy {
	Dwarf_Off off;           /* its definition; 0: only declared so far */
	const char *name;
	enum ix_kind kind;
};

struct dcache_ent {
	Dwarf_Off off;
	const struct ctype *t;
};

struct dwinfo {
	struct ctype_source src;
	char *path;
	int fd;
	Elf *elf;
	Dwarf *dbg;
	enum addr_space as;
	Dwarf_CU *cu;            /* the last unit indexed; NULL: none yet */
	bool all_indexed;
	struct ix_ent *ents;     /* the index: open addressing, ents[hash] */
	size_t nents, cap;
	struct dcache_ent *dc;   /* types by entry offset: open addressing */
	size_t ndc, dccap;
	struct lazy *lz;
	size_t nlz;
	struct dwinfo_stats st;
};

static uint64_t hash_name(unsigned kind, const char *s)
{
	uint64_t h = 1469598103934665603ULL ^ kind;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct ix_ent *ix_lookup(struct dwinfo *d, unsigned kind, const char *name)
{
	if (!d->cap)
		return NULL;
	for (size_t i = hash_name(kind, name) & (d->cap - 1);; i = (i + 1) & (d->cap - 1)) {
		struct ix_ent *e = &d->ents[i];

		if (!e->name)
			return NULL;
		if (e->kind == kind && !strcmp(e->name, name))
			return e;
	}
}

static int ix_grow(struct dwinfo *d)
{
	size_t cap = d->cap ? d->cap * 2 : 1024;
	struct ix_ent *n = calloc(cap, sizeof(*n));

	if (!n)
		return -1;
	for (size_t j = 0; j < d->cap; j++) {
		struct ix_ent *e = &d->ents[j];
		size_t i;

		if (!e->name)
			continue;
		for (i = hash_name(e->kind, e->name) & (cap - 1); n[i].name;
		     i = (i + 1) & (cap - 1))
			;
		n[i] = *e;
	}
	free(d->ents);
	d->ents = n;
	d->cap = cap;
	return 0;
}

/* The entry of (kind, name), added when missing (the first one seen
 * stays). NULL when out of memory. */
static struct ix_ent *ix_add(struct dwinfo *d, unsigned kind, const char *name,
			     Dwarf_Off off, int64_t value)
{
	struct ix_ent *e = ix_lookup(d, kind, name);
	size_t i;

	if (e)
		return e;
	if ((d->nents + 1) * 2 > d->cap && ix_grow(d))
		return NULL;
	for (i = hash_name(kind, name) & (d->cap - 1); d->ents[i].name;
	     i = (i + 1) & (d->cap - 1))
		;
	d->ents[i] = (struct ix_ent){ .name = name, .off = off, .value = value,
				      .kind = kind };
	d->nents++;
	d->st.names++;
	return &d->ents[i];
}

static const struct ctype *dc_get(struct dwinfo *d, Dwarf_Off off)
{
	if (!d->dccap)
		return NULL;
	for (size_t i = (off * 0x9e3779b97f4a7c15ULL >> 20) & (d->dccap - 1);;
	     i = (i + 1) & (d->dccap - 1)) {
		if (!d->dc[i].t)
			return NULL;
		if (d->dc[i].off == off)
			return d->dc[i].t;
	}
}

static void dc_put(struct dwinfo *d, Dwarf_Off off, const struct ctype *t)
{
	size_t i;

	if (!t)
		return;
	if ((d->ndc + 1) * 2 > d->dccap) {
		size_t cap = d->dccap ? d->dccap * 2 : 256;
		struct dcache_ent *n = calloc(cap, sizeof(*n));

		if (!n)
			return;
		for (size_t j = 0; j < d->dccap; j++) {
			if (!d->dc[j].t)
				continue;
			for (i = (d->dc[j].off * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
			     n[i].t; i = (i + 1) & (cap - 1))
				;
			n[i] = d->dc[j];
		}
		free(d->dc);
		d->dc = n;
		d->dccap = cap;
	}
	for (i = (off * 0x9e3779b97f4a7c15ULL >> 20) & (d->dccap - 1);
	     d->dc[i].t && d->dc[i].off != off; i = (i + 1) & (d->dccap - 1))
		;
	if (!d->dc[i].t)
		d->ndc++;
	d->dc[i] = (struct dcache_ent){ .off = off, .t = t };
}

static bool die_flag(Dwarf_Die *die, unsigned at)
{
	Dwarf_Attribute a;
	bool v = false;

	return dwarf_attr_integrate(die, at, &a) && dwarf_formflag(&a, &v) == 0 && v;
}

static bool die_udata(Dwarf_Die *die, unsigned at, Dwarf_Word *v)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, at, &a) && dwarf_formudata(&a, v) == 0;
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, DW_AT_name, &a) ? dwarf_formstring(&a) : NULL;
}

/* The entry DW_AT_type names; false for none (void). */
static bool die_type(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, DW_AT_type, &a) && dwarf_formref_die(&a, out);
}

static int ix_kind_of(int tag)
{
	switch (tag) {
	case DW_TAG_structure_type: return IX_STRUCT;
	case DW_TAG_union_type: return IX_UNION;
	case DW_TAG_enumeration_type: return IX_ENUM;
	case DW_TAG_typedef: return IX_TYPEDEF;
	case DW_TAG_subprogram: return IX_FUNC;
	default: return -1;
	}
}

static bool enum_signed(Dwarf_Die *e)
{
	Dwarf_Die base;
	Dwarf_Word enc;

	/* DWARF 3+ names the underlying type; older: its values tell */
	while (die_type(e, &base) && dwarf_tag(&base) == DW_TAG_typedef)
		e = &base;
	if (die_type(e, &base) && die_udata(&base, DW_AT_encoding, &enc))
		return enc == DW_ATE_signed || enc == DW_ATE_signed_char;
	return false;
}

/* An enumerator's value, sign-extended from the enum's size if signed. */
static int64_t enum_value(Dwarf_Die *c, bool is_signed, unsigned size)
{
	Dwarf_Attribute a;
	Dwarf_Sword s = 0;
	Dwarf_Word u = 0;

	if (!dwarf_attr(c, DW_AT_const_value, &a))
		return 0;
	if (dwarf_whatform(&a) == DW_FORM_sdata || dwarf_whatform(&a) == DW_FORM_implicit_const) {
		dwarf_formsdata(&a, &s);
		return s;
	}
	dwarf_formudata(&a, &u);
	if (is_signed && size && size < 8 && (u >> (size * 8 - 1)) & 1)
		u |= ~0ULL << (size * 8);
	return (int64_t)u;
}

/* Index the top-level entries of the next unit: false at the end. */
static bool index_next_unit(struct dwinfo *d)
{
	Dwarf_CU *next;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie, c;

	for (;;) {
		if (d->all_indexed ||
		    dwarf_get_units(d->dbg, d->cu, &next, &version, &unit_type,
				    &cudie, NULL) != 0) {
			d->all_indexed = true;
			return false;
		}
		d->cu = next;
		if (unit_type == DW_UT_compile || unit_type == DW_UT_partial)
			break;
	}
	d->st.units_indexed++;
	if (dwarf_child(&cudie, &c) != 0)
		return true;
	do {
		int k = ix_kind_of(dwarf_tag(&c));
		const char *name;
		struct ix_ent *e;

		if (k < 0 || !(name = dwarf_diename(&c)) || die_flag(&c, DW_AT_declaration))
			continue;
		/* a function's index entry is one with code, or its abstract
		 * instance (inline): not a declaration */
		e = ix_add(d, k, name, dwarf_dieoffset(&c), 0);
		if (k == IX_ENUM && e && e->off == dwarf_dieoffset(&c)) {
			Dwarf_Die en;
			bool sgn = enum_signed(&c);
			int size = dwarf_bytesize(&c);

			if (dwarf_child(&c, &en) != 0)
				continue;
			do {
				const char *cn;

				if (dwarf_tag(&en) == DW_TAG_enumerator && (cn = dwarf_diename(&en)))
					ix_add(d, IX_CONST, cn, dwarf_dieoffset(&en),
					       enum_value(&en, sgn, size > 0 ? size : 4));
			} while (dwarf_siblingof(&en, &en) == 0);
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return true;
}

/* The index entry of (kind, name), indexing more units until found. */
static struct ix_ent *ix_find(struct dwinfo *d, unsigned kind, const char *name)
{
	struct ix_ent *e;

	while (!(e = ix_lookup(d, kind, name)))
		if (!index_next_unit(d))
			return NULL;
	return e;
}

static const struct ctype *conv(struct dwinfo *d, Dwarf_Die *die, int depth);

/* DW_AT_type of die as a ctype: void when it has none. */
static const struct ctype *conv_ref(struct dwinfo *d, Dwarf_Die *die, int depth)
{
	Dwarf_Die t;

	return die_type(die, &t) ? conv(d, &t, depth + 1) : ctype_void();
}

static const struct ctype *conv_base(Dwarf_Die *die)
{
	const char *name = dwarf_diename(die);
	int size = dwarf_bytesize(die);
	Dwarf_Word enc = 0;
	const struct ctype *t;

	die_udata(die, DW_AT_encoding, &enc);
	if (size <= 0)
		return ctype_void();
	switch (enc) {
	case DW_ATE_signed_char:
	case DW_ATE_unsigned_char:
		if (name && !strcmp(name, "char"))
			return ctype_char();
		/* fall through */
	case DW_ATE_signed:
	case DW_ATE_unsigned:
	case DW_ATE_boolean:
	case DW_ATE_UTF:
		if (size <= 8 && !(size & (size - 1))) {
			t = ctype_int(size, enc == DW_ATE_signed || enc == DW_ATE_signed_char);
			break;
		}
		/* __int128: bytes */
		/* fall through */
	default:
		/* floats and the like: bytes under their name */
		t = ctype_array(ctype_int(1, false), size);
		break;
	}
	return name ? ctype_typedef(name, t) : t;
}

static const struct ctype *conv_enum(struct dwinfo *d, Dwarf_Die *die)
{
	const char *name = dwarf_diename(die);
	struct ix_ent *e = name ? ix_lookup(d, IX_ENUM, name) : NULL;
	int size = dwarf_bytesize(die);
	struct ctype *t;
	Dwarf_Die c;

	if (e && e->t)
		return e->t;
	if (die_flag(die, DW_AT_declaration) && name && (e = ix_find(d, IX_ENUM, name))) {
		Dwarf_Die def;

		if (dwarf_offdie(d->dbg, e->off, &def))
			return conv(d, &def, 0);
	}
	t = ctype_new(CT_ENUM, name, size > 0 ? size : 4);
	if (!t)
		return NULL;
	t->is_signed = enum_signed(die);
	if (dwarf_child(die, &c) == 0) {
		do {
			const char *cn = dwarf_diename(&c);

			if (dwarf_tag(&c) == DW_TAG_enumerator && cn)
				ctype_add_const(t, cn, enum_value(&c, t->is_signed, t->size));
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	for (unsigned i = 0; i < t->nconsts; i++)
		if (t->consts[i].value < 0)
			t->is_signed = true;
	if (name && (e || (e = ix_add(d, IX_ENUM, name, dwarf_dieoffset(die), 0))))
		e->t = t;
	return t;
}

/* A struct or union: made now, its members read when first used. One
 * ctype per name, unless another of that name has another size (two
 * programs' own structs of one name). */
static const struct ctype *conv_agg(struct dwinfo *d, Dwarf_Die *die, int tag)
{
	enum ix_kind k = tag == DW_TAG_union_type ? IX_UNION : IX_STRUCT;
	const char *name = dwarf_diename(die);
	bool decl = die_flag(die, DW_AT_declaration);
	int size = decl ? 0 : dwarf_bytesize(die);
	struct ix_ent *e = name ? ix_lookup(d, k, name) : NULL;
	Dwarf_Off off = decl ? 0 : dwarf_dieoffset(die);
	struct lazy *lz;
	struct ctype *t;

	if (size < 0)
		size = 0;
	if (e && e->t) {
		struct ctype *w = (struct ctype *)e->t; /* ours */

		if (decl || w->size == (unsigned)size)
			return w;
		if (w->lazy && !d->lz[w->lazy_id].off) {
			/* made from a declaration: this is its definition */
			d->lz[w->lazy_id].off = off;
			w->size = size;
			return w;
		}
	}
	if (decl && e)
		off = e->off; /* a definition another unit has */
	lz = realloc(d->lz, (d->nlz + 1) * sizeof(*lz));
	if (!lz)
		return NULL;
	d->lz = lz;
	t = ctype_new(tag == DW_TAG_union_type ? CT_UNION : CT_STRUCT, name, size);
	if (!t)
		return NULL;
	if (decl && off) {
		Dwarf_Die def;
		int s;

		if (dwarf_offdie(d->dbg, off, &def) && (s = dwarf_bytesize(&def)) > 0)
			t->size = s;
	}
	d->lz[d->nlz] = (struct lazy){ .off = off, .name = name, .kind = k };
	t->lazy = &d->src;
	t->lazy_id = d->nlz++;
	if (!name)
		return t;
	if (!e)
		e = ix_add(d, k, name, off, 0);
	if (e && !e->t)
		e->t = t;
	return t;
}

/* A function's prototype: its return type and its parameters. */
static const struct ctype *conv_func(struct dwinfo *d, Dwarf_Die *die, int depth)
{
	struct ctype *t = ctype_new(CT_FUNC, die_name(die), 0);
	Dwarf_Die c, origin, *from = die;
	Dwarf_Attribute a;

	if (!t)
		return NULL;
	t->ref = conv_ref(d, die, depth);
	/* an out-of-line copy of an inline function: the abstract instance
	 * lists the parameters */
	if ((dwarf_child(die, &c) != 0 || dwarf_tag(&c) != DW_TAG_formal_parameter) &&
	    dwarf_attr(die, DW_AT_abstract_origin, &a) && dwarf_formref_die(&a, &origin))
		from = &origin;
	if (dwarf_child(from, &c) == 0) {
		do {
			if (dwarf_tag(&c) != DW_TAG_formal_parameter)
				continue;
			ctype_add_member(t, die_name(&c), conv_ref(d, &c, depth), 0, 0, 0);
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	return t;
}

static const struct ctype *conv_array(struct dwinfo *d, Dwarf_Die *die, int depth)
{
	const struct ctype *t = conv_ref(d, die, depth);
	unsigned dims[16], n = 0;
	Dwarf_Die c;

	if (dwarf_child(die, &c) == 0) {
		do {
			Dwarf_Word v;
			unsigned len = 0;

			if (dwarf_tag(&c) != DW_TAG_subrange_type || n == 16)
				continue;
			if (die_udata(&c, DW_AT_count, &v))
				len = v;
			else if (die_udata(&c, DW_AT_upper_bound, &v) && v != (Dwarf_Word)-1)
				len = v + 1; /* a flexible array member has -1 or none */
			dims[n++] = len;
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	if (!n)
		dims[n++] = 0;
	while (n--)
		t = ctype_array(t, dims[n]);
	return t;
}

static const struct ctype *conv(struct dwinfo *d, Dwarf_Die *die, int depth)
{
	Dwarf_Off off = dwarf_dieoffset(die);
	const struct ctype *t = dc_get(d, off);
	int tag = dwarf_tag(die), size;

	if (t)
		return t;
	if (depth > 64) /* a loop through typedefs or qualifiers only */
		return ctype_void();
	switch (tag) {
	case DW_TAG_base_type:
		t = conv_base(die);
		break;
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		size = dwarf_bytesize(die);
		if (size <= 0) {
			Dwarf_Die cu;
			uint8_t asz = 8;

			if (dwarf_diecu(die, &cu, &asz, NULL))
				size = asz;
			else
				size = 8;
		}
		t = ctype_ptr(conv_ref(d, die, depth), d->as, size);
		break;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		t = conv_ref(d, die, depth);
		break;
	case DW_TAG_typedef: {
		const char *name = dwarf_diename(die);
		struct ix_ent *e = name ? ix_lookup(d, IX_TYPEDEF, name) : NULL;

		if (e && e->t)
			return e->t;
		t = conv_ref(d, die, depth);
		if (!name)
			break;
		t = ctype_typedef(name, t);
		if (e || (e = ix_add(d, IX_TYPEDEF, name, off, 0)))
			e->t = t;
		break;
	}
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type:
		t = conv_agg(d, die, tag);
		break;
	case DW_TAG_enumeration_type:
		t = conv_enum(d, die);
		break;
	case DW_TAG_array_type:
		t = conv_array(d, die, depth);
		break;
	case DW_TAG_subroutine_type:
	case DW_TAG_subprogram:
		t = conv_func(d, die, depth);
		break;
	default:
		t = ctype_void();
		break;
	}
	dc_put(d, off, t);
	return t;
}

/* A member's offset in bytes: a constant, or DWARF 2's expression. */
static bool member_offset(Dwarf_Die *m, Dwarf_Word *off)
{
	Dwarf_Attribute a;
	Dwarf_Op *ops;
	size_t nops;

	*off = 0;
	if (!dwarf_attr_integrate(m, DW_AT_data_member_location, &a))
		return true; /* a union's members */
	if (dwarf_formudata(&a, off) == 0)
		return true;
	if (dwarf_getlocation(&a, &ops, &nops) == 0 && nops == 1 &&
	    ops[0].atom == DW_OP_plus_uconst) {
		*off = ops[0].number;
		return true;
	}
	return false;
}

static int dw_complete(struct ctype_source *s, struct ctype *t)
{
	struct dwinfo *d = s->priv;
	struct lazy *lz = &d->lz[t->lazy_id];
	Dwarf_Die die, m;
	int size;

	if (!lz->off) {
		struct ix_ent *e = ix_find(d, lz->kind, lz->name);

		if (!e)
			return -1; /* declared only: no members */
		lz->off = e->off;
	}
	if (!dwarf_offdie(d->dbg, lz->off, &die))
		return -1;
	size = dwarf_bytesize(&die);
	if (!t->size && size > 0)
		t->size = size;
	if (dwarf_child(&die, &m) == 0) {
		do {
			const struct ctype *mt;
			Dwarf_Word off, bits = 0, dbo;
			unsigned bit_off = 0, unit;

			if (dwarf_tag(&m) != DW_TAG_member || !member_offset(&m, &off))
				continue;
			mt = conv_ref(d, &m, 0);
			if (die_udata(&m, DW_AT_bit_size, &bits) && bits) {
				const struct ctype *r = ctype_resolve(mt);
				Dwarf_Word bo, bsz;

				if (die_udata(&m, DW_AT_data_bit_offset, &dbo)) {
					/* DWARF 4+: bits from the start */
				} else if (die_udata(&m, DW_AT_bit_offset, &bo)) {
					/* DWARF 2/3: from the top bit of a storage
					 * unit of byte_size bytes at off (little
					 * endian: counted from its last bit) */
					if (!die_udata(&m, DW_AT_byte_size, &bsz))
						bsz = r ? r->size : 4;
					dbo = off * 8 + bsz * 8 - bo - bits;
				} else {
					dbo = off * 8;
				}
				/* as C lays it out: in a unit of the member's
				 * type, aligned, unless packing splits one */
				unit = r && r->size ? r->size : 4;
				off = dbo / (unit * 8) * unit;
				bit_off = dbo - off * 8;
				if (bit_off + bits > unit * 8) {
					off = dbo / 8;
					bit_off = dbo % 8;
				}
			}
			ctype_add_member(t, dwarf_diename(&m), mt, off, bit_off, bits);
			d->st.members++;
		} while (dwarf_siblingof(&m, &m) == 0);
	}
	t->lazy = NULL;
	return 0;
}

static int ix_of_kind(enum ctype_kind kind)
{
	switch (kind) {
	case CT_STRUCT: return IX_STRUCT;
	case CT_UNION: return IX_UNION;
	case CT_ENUM: return IX_ENUM;
	case CT_TYPEDEF: return IX_TYPEDEF;
	default: return -1;
	}
}

static const struct ctype *dw_find(struct ctype_source *s, enum ctype_kind kind,
				   const char *name)
{
	struct dwinfo *d = s->priv;
	int k = ix_of_kind(kind);
	struct ix_ent *e;
	Dwarf_Die die;

	if (k < 0 || !(e = ix_find(d, k, name)))
		return NULL;
	if (e->off && dwarf_offdie(d->dbg, e->off, &die))
		return conv(d, &die, 0); /* completes one made from a declaration */
	return e->t;
}

static bool dw_enum_const(struct ctype_source *s, const char *name, int64_t *value)
{
	struct ix_ent *e = ix_find(s->priv, IX_CONST, name);

	if (e)
		*value = e->value;
	return e != NULL;
}

static const struct ctype *dw_func(struct ctype_source *s, const char *name)
{
	struct dwinfo *d = s->priv;
	struct ix_ent *e = ix_find(d, IX_FUNC, name);
	Dwarf_Die die;

	if (!e || !dwarf_offdie(d->dbg, e->off, &die))
		return NULL;
	return conv(d, &die, 0);
}

bool dwinfo_supported(void)
{
	return true;
}

/* Does this ELF file carry DWARF of its own? */
static bool has_debug_info(Elf *elf)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
		    (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    (!strcmp(n, ".debug_info") || !strcmp(n, ".zdebug_info")))
			return true;
	}
	return false;
}

static int open_elf(const char *path, int *fd, Elf **elf)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return -1;
	*elf = elf_begin(*fd, ELF_C_READ_MMAP, NULL);
	if (!*elf || elf_kind(*elf) != ELF_K_ELF) {
		if (*elf)
			elf_end(*elf);
		close(*fd);
		errno = ENOEXEC;
		return -1;
	}
	return 0;
}

/* The separate debug file of elf (at path): by build id, then by
 * .gnu_debuglink, where distributions install them. malloc'd or NULL. */
static char *debug_file(const char *path, Elf *elf)
{
	const unsigned char *id;
	ssize_t n = dwelf_elf_gnu_build_id(elf, (const void **)&id);
	const char *link;
	GElf_Word crc;
	char *p = NULL, *dir;

	if (n > 1) {
		char hex[2 * 64 + 1];
		ssize_t i;

		for (i = 0; i < n && i < 64; i++)
			sprintf(hex + 2 * i, "%02x", id[i]);
		if (asprintf(&p, "/usr/lib/debug/.build-id/%.2s/%s.debug", hex, hex + 2) >= 0 &&
		    access(p, R_OK) == 0)
			return p;
		free(p);
		p = NULL;
	}
	link = dwelf_elf_gnu_debuglink(elf, &crc);
	dir = strdup(path);
	if (!link || !dir || !strrchr(dir, '/')) {
		free(dir);
		return NULL;
	}
	*strrchr(dir, '/') = '\0';
	const char *const fmts[] = { "%s/%s", "%s/.debug/%s", "/usr/lib/debug%s/%s" };
	for (unsigned i = 0; i < 3; i++) {
		if (asprintf(&p, fmts[i], dir, link) >= 0 && strcmp(p, path) &&
		    access(p, R_OK) == 0)
			break;
		free(p);
		p = NULL;
	}
	free(dir);
	return p;
}

struct dwinfo *dwinfo_open(const char *path, enum addr_space as, char *err,
			   size_t len)
{
	struct dwinfo *d;
	int fd;
	Elf *elf;
	char *dbgpath = NULL;

	elf_version(EV_CURRENT);
	if (open_elf(path, &fd, &elf) < 0) {
		snprintf(err, len, "%s: %s", path, errno == ENOEXEC ?
			 "not an ELF file" : strerror(errno));
		return NULL;
	}
	if (!has_debug_info(elf)) {
		dbgpath = debug_file(path, elf);
		elf_end(elf);
		close(fd);
		bool ok = dbgpath && open_elf(dbgpath, &fd, &elf) == 0;

		if (ok && !has_debug_info(elf)) {
			elf_end(elf);
			close(fd);
			ok = false;
		}
		if (!ok) {
			snprintf(err, len, "%s has no DWARF debug info (.debug_info)%s%s: build it with -g, or install its debug symbols",
				 path, dbgpath ? ", nor has " : "", dbgpath ? dbgpath : "");
			free(dbgpath);
			return NULL;
		}
	}
	d = calloc(1, sizeof(*d));
	if (!d || !(d->path = strdup(dbgpath ? dbgpath : path)) ||
	    !(d->dbg = dwarf_begin_elf(elf, DWARF_C_READ, NULL))) {
		snprintf(err, len, "%s: %s", dbgpath ? dbgpath : path,
			 d && d->path ? dwarf_errmsg(-1) : "out of memory");
		if (d)
			free(d->path);
		free(d);
		free(dbgpath);
		elf_end(elf);
		close(fd);
		return NULL;
	}
	free(dbgpath);
	d->fd = fd;
	d->elf = elf;
	d->as = as;
	d->src = (struct ctype_source){
		.name = as == AS_KERNEL ? "the kernel's DWARF" : d->path,
		.find = dw_find,
		.enum_const = dw_enum_const,
		.func = dw_func,
		.complete = dw_complete,
		.priv = d,
	};
	return d;
}

void dwinfo_close(struct dwinfo *d)
{
	if (!d)
		return;
	dwarf_end(d->dbg);
	elf_end(d->elf);
	close(d->fd);
	free(d->ents);
	free(d->dc);
	free(d->lz);
	free(d->path);
	free(d);
}

const char *dwinfo_path(const struct dwinfo *d)
{
	return d->path;
}

struct ctype_source *dwinfo_source(struct dwinfo *d)
{
	return &d->src;
}

/* The subprogram whose code starts at addr among the top-level entries
 * of the unit cu, or NULL. Its name may be another than the symbol's (an
 * alias: libc's opendir is __opendir). */
static Dwarf_Die *func_in_unit(Dwarf_Die *cu, uint64_t addr, Dwarf_Die *out)
{
	if (dwarf_child(cu, out) != 0)
		return NULL;
	do {
		Dwarf_Addr lo;

		if (dwarf_tag(out) == DW_TAG_subprogram && dwarf_lowpc(out, &lo) == 0 &&
		    lo == addr)
			return out;
	} while (dwarf_siblingof(out, out) == 0);
	return NULL;
}

const struct ctype *dwinfo_func_at(struct dwinfo *d, const char *name,
				   uint64_t addr, bool *nocall)
{
	Dwarf_Die cu, fn, *f = NULL;
	Dwarf_Word cc;
	struct ix_ent *e;

	if (addr && dwarf_addrdie(d->dbg, addr, &cu))
		f = func_in_unit(&cu, addr, &fn);
	if (!f && (e = ix_find(d, IX_FUNC, name)) && dwarf_offdie(d->dbg, e->off, &fn))
		f = &fn;
	if (!f)
		return NULL;
	*nocall = die_udata(f, DW_AT_calling_convention, &cc) && cc == DW_CC_nocall;
	return conv(d, f, 0);
}

void dwinfo_stats(const struct dwinfo *d, struct dwinfo_stats *st)
{
	*st = d->st;
}

#endif /* HAVE_LIBDW */

const char *dwinfo_kernel_path(void)
{
	static char path[256];
	struct utsname u;
	const char *const fmts[] = { "/usr/lib/debug/boot/vmlinux-%s",
				     "/usr/lib/debug/lib/modules/%s/vmlinux" };

	if (uname(&u) < 0)
		return NULL;
	for (unsigned i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), fmts[i], u.release);
		if (access(path, R_OK) == 0)
			return path;
	}
	return NULL;
}
