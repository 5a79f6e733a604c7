/* test_dwarf.c - the DWARF type source (src/sys/dwarf.c) on this test's
 * own binary, built with -g (test_dwarf: DWARF 5, whose bitfields have
 * DW_AT_data_bit_offset; test_dwarf4: DWARF 4, DW_AT_bit_offset): the
 * layouts it reads must be the compiler's (offsetof, sizeof, and the bits
 * a bitfield sets), enum constants, typedefs, a function's parameters,
 * and a lookup must not index every compile unit of the file. Without
 * libdw: every call says wisp was built without it. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lang/ctype.h"
#include "sys/dwarf.h"
#include "unit.h"

/* The types compared: used below, so that the compiler describes them. */
struct wt_point {
	int x;
	long y;
	char name[12];
	struct wt_point *next;
	unsigned short grid[3][5];
	const char *label;
};

union wt_either {
	unsigned char b;
	unsigned long long q;
	struct wt_point *p;
};

struct wt_bits {
	unsigned a : 3;
	unsigned b : 7;
	int c : 5;              /* signed */
	unsigned long long d : 40;
	unsigned char e : 1;
	unsigned f : 30;        /* starts a new unsigned: 30 bits do not fit */
};

struct __attribute__((packed)) wt_packed {
	char tag;
	unsigned v : 30;        /* straddles: no aligned unit holds it */
	long tail;
};

enum wt_color { WT_RED = 1, WT_GREEN = 5, WT_NEG = -3 };

typedef struct wt_point wt_point_t;

struct wt_nested {
	int kind;
	union {                 /* anonymous: its members are the struct's */
		int i;
		struct {
			short lo, hi;
		};
	};
	enum wt_color color;
	wt_point_t at;
	char tail[];
};

int wt_func(int n, const char *s, long x, struct wt_nested *w);
int wt_func(int n, const char *s, long x, struct wt_nested *w)
{
	return n + (int)x + (s ? s[0] : 0) + (w ? w->kind : 0);
}

/* Keep every type alive in the DWARF. */
struct wt_all {
	struct wt_point p;
	union wt_either e;
	struct wt_bits b;
	struct wt_packed k;
	struct wt_nested n;
} wt_all_var;

static const char *cname(const struct ctype *t)
{
	static char buf[256];

	return ctype_name(t, buf, sizeof(buf));
}

/* The lowest bit set in n bytes, and how many are set (little endian). */
static void set_bits(const unsigned char *p, size_t n, unsigned *lo, unsigned *cnt)
{
	*lo = ~0u;
	*cnt = 0;
	for (size_t i = 0; i < n * 8; i++) {
		if (p[i / 8] >> (i % 8) & 1) {
			if (*lo == ~0u)
				*lo = i;
			(*cnt)++;
		}
	}
}

static void check_member(const struct ctype *agg, const char *name, unsigned off,
			 const char *type)
{
	unsigned got = ~0u;
	const struct cmember *m = ctype_member(agg, name, &got);

	CHECK(m != NULL, "%s has member %s", cname(agg), name);
	if (!m)
		return;
	CHECK(got == off, "%s.%s at %u, the compiler says %u", cname(agg), name, got, off);
	if (type)
		CHECK_STR(cname(m->type), type);
}

#define BITS(field)                                                            \
	do {                                                                   \
		struct wt_bits b_;                                             \
		unsigned lo_, cnt_, off_ = 0;                                  \
		const struct cmember *m_;                                      \
		memset(&b_, 0, sizeof(b_));                                    \
		b_.field = -1;                                                 \
		set_bits((unsigned char *)&b_, sizeof(b_), &lo_, &cnt_);       \
		m_ = ctype_member(bits, #field, &off_);                        \
		CHECK(m_ && off_ * 8 + m_->bit_off == lo_ && m_->bit_size == cnt_, \
		      "bitfield " #field ": dwarf %u+%u:%u, compiler bit %u:%u", \
		      off_, m_ ? m_->bit_off : 0, m_ ? m_->bit_size : 0, lo_, cnt_); \
		CHECK(m_ && (off_ + ctype_resolve(m_->type)->size) * 8 >=      \
				    lo_ + cnt_,                                \
		      "bitfield " #field ": a read of its type at its offset holds it"); \
	} while (0)

static void test_layouts(struct dwinfo *d)
{
	struct ctype_source *src = dwinfo_source(d);
	const struct ctype *pt, *either, *bits, *packed, *nested, *td, *color, *fn;
	struct dwinfo_stats before, after;
	int64_t v = 0;

	pt = src->find(src, CT_STRUCT, "wt_point");
	CHECK(pt && pt->kind == CT_STRUCT && pt->size == sizeof(struct wt_point),
	      "struct wt_point, %zu bytes", sizeof(struct wt_point));
	if (!pt)
		return;
	CHECK(pt->lazy != NULL, "its members are not read before they are used");
	dwinfo_stats(d, &before);
	check_member(pt, "x", offsetof(struct wt_point, x), "int");
	check_member(pt, "y", offsetof(struct wt_point, y), "long int");
	check_member(pt, "name", offsetof(struct wt_point, name), "char[12]");
	check_member(pt, "next", offsetof(struct wt_point, next), "struct wt_point *");
	check_member(pt, "grid", offsetof(struct wt_point, grid), "short unsigned int[3][5]");
	check_member(pt, "label", offsetof(struct wt_point, label), "char *");
	CHECK(ctype_classify(ctype_member(pt, "name", &(unsigned){ 0 })->type) == CC_CHARS,
	      "char[12] reads as a string");
	CHECK(ctype_resolve(ctype_member(pt, "next", &(unsigned){ 0 })->type)->ref == pt,
	      "the pointer to itself points at the same struct");
	CHECK(ctype_resolve(ctype_member(pt, "label", &(unsigned){ 0 })->type)->as == AS_USER,
	      "a program's pointers point into user memory");

	either = src->find(src, CT_UNION, "wt_either");
	CHECK(either && either->kind == CT_UNION && either->size == sizeof(union wt_either),
	      "union wt_either");
	if (either) {
		check_member(either, "b", 0, "unsigned char");
		check_member(either, "q", 0, "long long unsigned int");
		check_member(either, "p", 0, "struct wt_point *");
	}

	bits = src->find(src, CT_STRUCT, "wt_bits");
	CHECK(bits && bits->size == sizeof(struct wt_bits), "struct wt_bits");
	if (bits) {
		BITS(a);
		BITS(b);
		BITS(c);
		BITS(d);
		BITS(e);
		BITS(f);
	}
	packed = src->find(src, CT_STRUCT, "wt_packed");
	CHECK(packed && packed->size == sizeof(struct wt_packed), "struct wt_packed");
	if (packed) {
		struct wt_packed k;
		unsigned lo, cnt, off = 0;
		const struct cmember *m = ctype_member(packed, "v", &off);

		memset(&k, 0, sizeof(k));
		k.v = -1;
		set_bits((unsigned char *)&k, sizeof(k), &lo, &cnt);
		CHECK(m && off * 8 + m->bit_off == lo && m->bit_size == cnt,
		      "packed bitfield v at bit %u:%u", lo, cnt);
		check_member(packed, "tail", offsetof(struct wt_packed, tail), "long int");
	}

	nested = src->find(src, CT_STRUCT, "wt_nested");
	CHECK(nested && nested->size == sizeof(struct wt_nested), "struct wt_nested");
	if (nested) {
		check_member(nested, "i", offsetof(struct wt_nested, i), "int");
		check_member(nested, "hi", offsetof(struct wt_nested, hi), "short int");
		check_member(nested, "color", offsetof(struct wt_nested, color), "enum wt_color");
		check_member(nested, "at", offsetof(struct wt_nested, at), "wt_point_t");
		check_member(nested, "tail", offsetof(struct wt_nested, tail), "char[0]");
	}

	td = src->find(src, CT_TYPEDEF, "wt_point_t");
	CHECK(td && td->kind == CT_TYPEDEF && ctype_resolve(td) == pt,
	      "typedef wt_point_t is struct wt_point, the same ctype");
	color = src->find(src, CT_ENUM, "wt_color");
	CHECK(color && color->nconsts == 3 && color->size == sizeof(enum wt_color) &&
	      color->is_signed, "enum wt_color, signed");
	CHECK(src->enum_const(src, "WT_GREEN", &v) && v == 5, "WT_GREEN is 5");
	CHECK(src->enum_const(src, "WT_NEG", &v) && v == -3, "WT_NEG is -3");
	CHECK(!src->find(src, CT_STRUCT, "wt_no_such_struct"), "no such struct");

	fn = src->func(src, "wt_func");
	CHECK(fn && fn->kind == CT_FUNC && fn->nmembers == 4, "wt_func has 4 parameters");
	if (fn && fn->nmembers == 4) {
		CHECK_STR(fn->members[0].name, "n");
		CHECK_STR(cname(fn->members[0].type), "int");
		CHECK_STR(fn->members[1].name, "s");
		CHECK_STR(cname(fn->members[1].type), "char *");
		CHECK_STR(fn->members[2].name, "x");
		CHECK_STR(cname(fn->members[2].type), "long int");
		CHECK_STR(cname(fn->members[3].type), "struct wt_nested *");
		CHECK_STR(cname(fn->ref), "int");
	}
	{
		bool nocall = true;

		CHECK(dwinfo_func_at(d, "wt_func", 0, &nocall) == fn && !nocall,
		      "the same prototype by name, its calling convention the ABI's");
	}

	/* laziness: this file's types are in its own unit, the first; the
	 * libwisp objects linked after it were not indexed for them */
	dwinfo_stats(d, &after);
	CHECK(after.members > before.members, "members read once used");
	src->find(src, CT_STRUCT, "wt_no_such_struct_either");
	dwinfo_stats(d, &after);
	if (after.units_indexed > 2)
		CHECK(before.units_indexed < after.units_indexed,
		      "the first lookups indexed %lu of %lu units", before.units_indexed,
		      after.units_indexed);
	else
		unit_skip("libwisp.a built without -g: one unit only");
}

/* As main installs a vmlinux's DWARF: a source behind ctype_find, whose
 * pointers point into kernel memory. */
static void test_as_source(void)
{
	char err[512] = "";
	struct dwinfo *k = dwinfo_open("/proc/self/exe", AS_KERNEL, err, sizeof(err));
	const struct ctype *pt;
	const struct cmember *m;
	unsigned off = 0;
	int64_t v = 0;

	CHECK(k != NULL, "open as the kernel's: %s", err);
	if (!k)
		return;
	ctype_add_source(dwinfo_source(k));
	pt = ctype_find(CT_STRUCT, "wt_point");
	CHECK(pt && pt->size == sizeof(struct wt_point), "ctype_find finds it in the source");
	m = pt ? ctype_member(pt, "next", &off) : NULL;
	CHECK(m && ctype_resolve(m->type)->as == AS_KERNEL && ctype_resolve(m->type)->ref == pt,
	      "its pointers point into kernel memory, at the same struct");
	CHECK(ctype_enum_const("WT_GREEN", &v) && v == 5, "ctype_enum_const asks the source");
	CHECK(ctype_func("wt_func") && ctype_func("wt_func")->nmembers == 4, "ctype_func too");
	CHECK(!ctype_find(CT_STRUCT, "wt_no_such"), "and says when it has nothing");
	ctype_clear_sources();
}

int main(void)
{
	char err[512] = "";
	struct dwinfo *d = dwinfo_open("/proc/self/exe", AS_USER, err, sizeof(err));

	(void)wt_func;
	if (!dwinfo_supported()) {
		CHECK(!d && strstr(err, "built without"), "without libdw: %s", err);
		return unit_done("test_dwarf");
	}
	CHECK(d != NULL, "open: %s", err);
	if (d)
		test_layouts(d);
	test_as_source();
	d = dwinfo_open("/dev/null", AS_USER, err, sizeof(err));
	CHECK(!d && strstr(err, "not an ELF"), "/dev/null: %s", err);
	return unit_done("test_dwarf");
}
