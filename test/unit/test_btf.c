/* test_btf.c - the BTF reader (sys/btf.c): a fixture compiled with
 * `gcc -gbtf` compared with the layout the compiler gives the same C
 * (btf_fixture.h, included here too), as an ELF .BTF section and as raw
 * BTF; BTF written by hand for what gcc does not emit (split BTF, type
 * tags, 64-bit enums, old-style bitfields, 32-bit pointers) and for
 * malformed input; the running kernel's vmlinux and module BTF. */
#include <fcntl.h>
#include <stdarg.h>
#include <gelf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "lang/ctype.h"
#include "sys/btf.h"
#include "unit.h"
#include "btf_fixture.h"

#ifndef BTF_FIXTURE
#define BTF_FIXTURE "test/unit/btf_fixture.h"
#endif

enum {
	K_INT = 1, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD, K_TYPEDEF,
	K_VOLATILE, K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO, K_VAR, K_DATASEC,
	K_FLOAT, K_DECL_TAG, K_TYPE_TAG, K_ENUM64
};

static char tmpdir[64];

static char *tmp_path(const char *name)
{
	static char buf[4][128];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, 128, "%s/%s", tmpdir, name);
	return p;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len)
		perror(path);
	if (f)
		fclose(f);
}

/* ---- BTF written by hand ---- */

struct bb {
	uint32_t w[256];
	unsigned nw;
	char s[40000];
	unsigned ns;
	unsigned str_base; /* a split BTF's: its base's string bytes */
};

#define INFO(kind, vlen, kflag) ((uint32_t)(kflag) << 31 | (uint32_t)(kind) << 24 | (vlen))

static void bb_init(struct bb *b, unsigned str_base)
{
	memset(b, 0, sizeof(*b));
	b->str_base = str_base;
	b->ns = 1; /* "" at offset 0 */
}

static uint32_t str(struct bb *b, const char *s)
{
	uint32_t off = b->ns;

	strcpy(b->s + b->ns, s);
	b->ns += strlen(s) + 1;
	return b->str_base + off;
}

static void words(struct bb *b, int n, ...)
{
	va_list ap;

	va_start(ap, n);
	while (n--)
		b->w[b->nw++] = va_arg(ap, uint32_t);
	va_end(ap);
}

/* The blob: header, types, strings. */
static size_t blob(const struct bb *b, unsigned char *out)
{
	uint32_t h[6] = { 0xeb9f | 1 << 16, 24, 0, b->nw * 4, b->nw * 4, b->ns };

	memcpy(out, h, 24);
	memcpy(out + 24, b->w, b->nw * 4);
	memcpy(out + 24 + b->nw * 4, b->s, b->ns);
	return 24 + b->nw * 4 + b->ns;
}

static char *bb_file(const struct bb *b, const char *name)
{
	static unsigned char buf[65536];
	char *path = tmp_path(name);

	write_file(path, buf, blob(b, buf));
	return path;
}

/* ---- the gcc fixture ---- */

/* The member name of t (through anonymous members), or NULL. */
static const struct cmember *member(const struct ctype *t, const char *name, unsigned *off)
{
	unsigned o = 0;
	const struct cmember *m = t ? ctype_member(t, name, &o) : NULL;

	*off = o;
	return m;
}

/* A bitfield's bit position and width, from memory: set it all ones in
 * a zeroed struct and look where the bits went. */
static void bits_of(const unsigned char *mem, size_t size, unsigned *first, unsigned *width)
{
	*first = *width = 0;
	for (unsigned i = 0; i < size * 8; i++) {
		if (mem[i / 8] >> (i % 8) & 1) {
			if (!*width)
				*first = i;
			++*width;
		}
	}
}

static void check_bitfield(const struct ctype *s, const char *name, const void *mem,
			   size_t size)
{
	unsigned first, width, off;
	const struct cmember *m = member(s, name, &off);

	bits_of(mem, size, &first, &width);
	CHECK(m && m->bit_size == width && off * 8 + m->bit_off == first,
	      "bitfield %s: got %u+%u:%u, compiler %u:%u", name, m ? off : 0,
	      m ? m->bit_off : 0, m ? m->bit_size : 0, first, width);
	/* a read of the member's type at off holds it */
	if (m) {
		const struct ctype *r = ctype_resolve(m->type);

		CHECK(r && m->bit_off + m->bit_size <= r->size * 8,
		      "bitfield %s: bits %u+%u outside its %u-byte read", name, m->bit_off,
		      m->bit_size, r ? r->size : 0);
	}
}

#define OFF(s, name, type, field)                                             \
	do {                                                                  \
		unsigned o_;                                                  \
		const struct cmember *m_ = member(s, name, &o_);              \
		CHECK(m_ && o_ == offsetof(type, field) && !m_->bit_size,     \
		      "%s: offset %u, compiler %zu", name, m_ ? o_ : 0,       \
		      offsetof(type, field));                                 \
	} while (0)

static void check_fixture(struct btf *b, const char *what)
{
	const struct ctype *node, *u, *t, *e, *f, *r;
	const struct cmember *m;
	unsigned off, n;
	uint32_t id;
	int64_t v;
	char buf[128];

	printf("fixture: %s\n", what);
	CHECK(btf_ntypes(b) > 20, "%u types", btf_ntypes(b));
	id = btf_find(b, K_STRUCT, "fix_node");
	CHECK(id, "struct fix_node found");
	node = btf_ctype(b, id);
	CHECK(node && node->kind == CT_STRUCT && node->size == sizeof(struct fix_node),
	      "struct fix_node size %u, compiler %zu", node ? node->size : 0,
	      sizeof(struct fix_node));
	CHECK(node && node->lazy, "members read when first used");
	CHECK(btf_ctype(b, id) == node, "one ctype an id");
	OFF(node, "id", struct fix_node, id);
	OFF(node, "tag", struct fix_node, tag);
	OFF(node, "next", struct fix_node, next);
	OFF(node, "as_long", struct fix_node, as_long);
	OFF(node, "as_short", struct fix_node, as_short);
	OFF(node, "pair", struct fix_node, pair);
	OFF(node, "name", struct fix_node, name);
	OFF(node, "grid", struct fix_node, grid);
	OFF(node, "sz", struct fix_node, sz);
	OFF(node, "colour", struct fix_node, colour);
	OFF(node, "callback", struct fix_node, callback);
	OFF(node, "ratio", struct fix_node, ratio);
	OFF(node, "opaque", struct fix_node, opaque);
	{
		struct fix_node z;

#define BF(field, val)                                                    \
	do {                                                              \
		memset(&z, 0, sizeof(z));                                 \
		z.field = val;                                            \
		check_bitfield(node, #field, &z, sizeof(z));              \
	} while (0)
		BF(flag_a, 7);
		BF(flag_b, 31);
		BF(wide, 127);
		BF(big, -1);
		BF(sign, -1);
#undef BF
	}
	m = member(node, "sign", &off);
	CHECK(m && m->type->is_signed, "int bitfield signed");
	m = member(node, "flag_a", &off);
	CHECK(m && !m->type->is_signed, "unsigned bitfield");
	/* anonymous union: a member named "" */
	ctype_members(node, &n);
	{
		unsigned anon = 0;
		const struct cmember *ms = ctype_members(node, &n);

		for (unsigned i = 0; i < n; i++)
			anon += !*ms[i].name && ctype_resolve(ms[i].type)->kind == CT_UNION;
		CHECK(anon == 1, "%u anonymous unions", anon);
	}
	m = member(node, "next", &off);
	CHECK(m && m->type->kind == CT_PTR && m->type->ref == node && m->type->size == 8 &&
	      m->type->as == AS_KERNEL, "next: struct fix_node *");
	m = member(node, "tag", &off);
	CHECK(m && ctype_is_char(m->type), "tag: char");
	m = member(node, "id", &off);
	CHECK(m && m->type->kind == CT_INT && m->type->size == 4 && m->type->is_signed, "id: int");
	m = member(node, "name", &off);
	CHECK(m && ctype_classify(m->type) == CC_CHARS && m->type->len == 16, "name: char[16]");
	m = member(node, "grid", &off);
	/* gcc 12 writes the dimensions the other way round ([4][3]) */
	CHECK(m && m->type->kind == CT_ARRAY && m->type->size == 24 &&
	      m->type->ref->kind == CT_ARRAY && m->type->len * m->type->ref->len == 12 &&
	      (m->type->len == 3 || m->type->len == 4) &&
	      m->type->ref->ref == ctype_int(2, false), "grid: unsigned short[3][4]");
	m = member(node, "sz", &off); /* const volatile fix_size: the qualifiers go */
	CHECK(m && m->type->kind == CT_TYPEDEF && !strcmp(m->type->name, "fix_size") &&
	      m->type->ref->kind == CT_TYPEDEF && !strcmp(m->type->ref->name, "fix_ulong") &&
	      ctype_resolve(m->type) == ctype_int(sizeof(long), false),
	      "sz: fix_size -> fix_ulong -> unsigned long (%s)",
	      m ? ctype_name(m->type, buf, sizeof(buf)) : "-");
	m = member(node, "pair", &off);
	r = m ? m->type : NULL;
	CHECK(r && r->kind == CT_STRUCT && !r->name && r->size == 8, "pair: anonymous struct");
	CHECK(r && member(r, "inner_y", &off) && off == 4, "pair.inner_y at 4");
	m = member(node, "callback", &off);
	r = m ? m->type : NULL;
	CHECK(r && r->kind == CT_PTR && r->ref->kind == CT_FUNC && r->ref->ref == ctype_void(),
	      "callback: pointer to a function returning void");
	if (r && r->ref->kind == CT_FUNC) {
		const struct cmember *ps = ctype_members(r->ref, &n);

		CHECK(n == 2 && ps[0].type->kind == CT_PTR && ps[0].type->ref == node &&
		      ps[1].type == ctype_int(4, true), "callback's parameters");
	}
	m = member(node, "ratio", &off);
	CHECK(m && m->type->size == sizeof(double) && ctype_classify(m->type) == CC_BYTES,
	      "ratio: a double as 8 bytes");
	m = member(node, "opaque", &off);
	r = m ? m->type->ref : NULL;
	CHECK(r && r->kind == CT_STRUCT && r->name && !strcmp(r->name, "fix_opaque") &&
	      !ctype_members(r, &n) && !n, "opaque: a declared struct without members");
	m = member(node, "colour", &off);
	e = m ? m->type : NULL;
	CHECK(e && e->kind == CT_ENUM && e->size == sizeof(enum fix_colour) && e->nconsts == 3,
	      "colour: enum fix_colour");
	if (e && e->nconsts == 3)
		CHECK(!strcmp(e->consts[1].name, "FIX_GREEN") && e->consts[1].value == FIX_GREEN &&
		      e->consts[2].value == FIX_BLUE, "enum fix_colour's constants");

	u = btf_ctype(b, btf_find(b, K_UNION, "fix_u"));
	CHECK(u && u->kind == CT_UNION && u->size == sizeof(union fix_u), "union fix_u");
	OFF(u, "bytes", union fix_u, bytes);
	CHECK(member(u, "node", &off), "union fix_u's node");

	t = btf_ctype(b, btf_find(b, K_TYPEDEF, "fix_node_t"));
	CHECK(t && t->kind == CT_TYPEDEF && t->ref == node, "fix_node_t: struct fix_node");

	/* the source's hooks */
	{
		struct ctype_source *s = btf_source(b);

		CHECK(s->find(s, CT_STRUCT, "fix_node") == node, "find struct");
		CHECK(s->find(s, CT_UNION, "fix_u") == u, "find union");
		CHECK(!s->find(s, CT_UNION, "fix_node"), "a struct is no union");
		CHECK(s->find(s, CT_TYPEDEF, "fix_node_t") == t, "find typedef");
		e = s->find(s, CT_ENUM, "fix_signed");
		/* gcc 12 does not say an enum is signed (kind_flag, newer BTF):
		 * the bits are the constant's either way, and the sign follows
		 * is_signed, as a member read of the enum would */
		CHECK(e && e->nconsts == 2 && (int32_t)e->consts[0].value == FIX_NEG &&
		      (e->consts[0].value < 0) == e->is_signed, "enum fix_signed: %lld",
		      e && e->nconsts ? (long long)e->consts[0].value : 0LL);
		CHECK(!s->find(s, CT_STRUCT, "fix_nod"), "no struct fix_nod (a prefix)");
		CHECK(!s->find(s, CT_STRUCT, "ix_node"), "no struct ix_node (a suffix)");
		CHECK(s->enum_const(s, "FIX_BLUE", &v) && v == FIX_BLUE, "FIX_BLUE");
		CHECK(s->enum_const(s, "FIX_NEG", &v) && (int32_t)v == FIX_NEG, "FIX_NEG");
		CHECK(!s->enum_const(s, "FIX_PURPLE", &v), "no FIX_PURPLE");
		f = s->func(s, "fix_func");
		CHECK(f && f->kind == CT_FUNC && f->ref == ctype_int(sizeof(long), true),
		      "fix_func returns long");
		if (f) {
			const struct cmember *ps = ctype_members(f, &n);

			CHECK(n == 3 && !strcmp(ps[0].name, "node") && ps[0].type->ref == node &&
			      !strcmp(ps[1].name, "label") && ctype_is_char(ps[1].type->ref) &&
			      !strcmp(ps[2].name, "count") && ps[2].type == ctype_int(4, false),
			      "fix_func(struct fix_node *node, const char *label, unsigned count)");
		}
		f = s->func(s, "fix_variadic");
		CHECK(f && ctype_members(f, &n) && n == 1, "fix_variadic: one named parameter");
		CHECK(!s->func(s, "fix_none"), "no fix_none()");
	}
	{
		unsigned kind;
		const char *name;
		uint32_t ref;

		id = btf_find(b, K_FUNC, "fix_func");
		CHECK(btf_type_info(b, id, &kind, &name, &ref) && kind == K_FUNC &&
		      !strcmp(name, "fix_func") && ref, "type info of fix_func");
		CHECK(!btf_type_info(b, btf_ntypes(b), &kind, &name, &ref), "id past the end");
		CHECK(!btf_ctype(b, btf_ntypes(b) + 5), "no ctype past the end");
	}
	CHECK(!btf_error(b), "no error: %s", btf_error(b));
}

/* The .BTF section of an ELF file as a raw BTF file. */
static int extract_btf(const char *elf_path, const char *out)
{
	int fd = open(elf_path, O_RDONLY), ret = -1;
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	elf_version(EV_CURRENT);
	if (fd < 0 || !(elf = elf_begin(fd, ELF_C_READ, NULL)))
		return -1;
	elf_getshdrstrndx(elf, &shstrndx);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (gelf_getshdr(scn, &sh) &&
		    !strcmp(elf_strptr(elf, shstrndx, sh.sh_name), ".BTF") &&
		    (d = elf_rawdata(scn, NULL))) {
			write_file(out, d->d_buf, d->d_size);
			ret = 0;
		}
	}
	elf_end(elf);
	close(fd);
	return ret;
}

static void test_gcc_fixture(void)
{
	char cmd[512], err[256];
	const char *obj = tmp_path("fixture.o"), *raw = tmp_path("fixture.btf");
	struct btf *b;

	snprintf(cmd, sizeof(cmd), "gcc -gbtf -DBTF_FIXTURE_EMIT -x c -c -o %s %s 2>/dev/null",
		 obj, BTF_FIXTURE);
	if (system(cmd)) {
		unit_skip("gcc -gbtf unavailable: the compiled fixture is not checked");
		return;
	}
	b = btf_open(obj, NULL, err, sizeof(err));
	CHECK(b, "open the .BTF of %s: %s", obj, err);
	if (b) {
		check_fixture(b, "ELF .BTF section");
		btf_close(b);
	}
	CHECK(!extract_btf(obj, raw), "extract .BTF");
	b = btf_open(raw, NULL, err, sizeof(err));
	CHECK(b, "open raw %s: %s", raw, err);
	if (b) {
		check_fixture(b, "raw BTF");
		btf_close(b);
	}
	/* a file cut anywhere: an error at open or lookups that fail, never
	 * a crash */
	{
		FILE *f = fopen(raw, "rb");
		static unsigned char data[65536];
		size_t len = f ? fread(data, 1, sizeof(data), f) : 0;
		unsigned opened = 0, errors = 0;

		if (f)
			fclose(f);
		for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : 37) {
			const char *p = tmp_path("cut.btf");

			write_file(p, data, cut);
			b = btf_open(p, NULL, err, sizeof(err));
			if (!b) {
				errors++;
				continue;
			}
			opened++;
			btf_ctype(b, btf_find(b, K_STRUCT, "fix_node"));
			btf_ntypes(b);
			btf_close(b);
		}
		CHECK(errors && !opened, "a cut file is refused at open (%u opened)", opened);
		/* the header says more than the file has */
		write_file(tmp_path("cut.btf"), data, len);
		if (truncate(tmp_path("cut.btf"), len - 1))
			perror("truncate");
		CHECK(!btf_open(tmp_path("cut.btf"), NULL, err, sizeof(err)) &&
		      strstr(err, "out of bounds"), "cut by one byte: %s", err);
	}
}

/* ---- hand-made BTF ---- */

/* A base: [1] int, [2] struct base_s { int x; }, [3] long int (4 bytes:
 * a 32-bit target), [4] PTR -> [5] TYPE_TAG "user" -> [1],
 * [6] ENUM64 big { BIG_ONE = 1 << 40 }, [7] signed enum s { S_NEG = -2 },
 * [8] unsigned int of 3 bits (old-style bitfield),
 * [9] struct old { u3 a : 3 at bit 0; u3 b at bit 3 } (kind_flag 0),
 * [10] FWD struct base_s. */
static void base_btf(struct bb *b)
{
	uint32_t s_int, s_base, s_x, s_a, s_b;

	bb_init(b, 0);
	s_int = str(b, "int");
	s_base = str(b, "base_s");
	s_x = str(b, "x");
	words(b, 4, s_int, INFO(K_INT, 0, 0), 4, 1u << 24 | 32);               /* 1 */
	words(b, 6, s_base, INFO(K_STRUCT, 1, 0), 4, s_x, 1, 0);              /* 2 */
	words(b, 4, str(b, "long int"), INFO(K_INT, 0, 0), 4, 1u << 24 | 32); /* 3 */
	words(b, 3, 0, INFO(K_PTR, 0, 0), 5);                                 /* 4 */
	words(b, 3, str(b, "user"), INFO(K_TYPE_TAG, 0, 0), 1);               /* 5 */
	words(b, 6, str(b, "big"), INFO(K_ENUM64, 1, 0), 8, str(b, "BIG_ONE"), 0, 1u << 8);
	words(b, 5, str(b, "s"), INFO(K_ENUM, 1, 1), 4, str(b, "S_NEG"), (uint32_t)-2);
	words(b, 4, str(b, "u3"), INFO(K_INT, 0, 0), 4, 3);                   /* 8 */
	s_a = str(b, "a");
	s_b = str(b, "b");
	words(b, 9, str(b, "old"), INFO(K_STRUCT, 2, 0), 4, s_a, 8, 0, s_b, 8, 3);
	words(b, 3, s_base, INFO(K_FWD, 0, 0), 0);                            /* 10 */
}

static void test_hand_made(void)
{
	struct bb base, split;
	char err[256];
	struct btf *b, *s;
	const struct ctype *t, *p;
	const struct cmember *m;
	unsigned off, n;
	int64_t v;

	base_btf(&base);
	b = btf_open(bb_file(&base, "base.btf"), NULL, err, sizeof(err));
	CHECK(b, "open base: %s", err);
	if (!b)
		return;
	CHECK(btf_ntypes(b) == 11 && btf_first_id(b) == 1, "base: %u types", btf_ntypes(b));
	t = btf_ctype(b, 4);
	CHECK(t && t->kind == CT_PTR && t->as == AS_USER && t->size == 4 &&
	      t->ref == ctype_int(4, true), "int __user * of 4 bytes (long int is 4)");
	t = btf_ctype(b, 6);
	CHECK(t && t->kind == CT_ENUM && t->size == 8 && t->nconsts == 1 &&
	      t->consts[0].value == 1LL << 40, "ENUM64");
	CHECK(btf_enum_const(b, "BIG_ONE", &v) && v == 1LL << 40, "BIG_ONE");
	CHECK(btf_enum_const(b, "S_NEG", &v) && v == -2, "S_NEG");
	t = btf_ctype(b, 7);
	CHECK(t && t->is_signed, "enum with kind_flag: signed");
	t = btf_ctype(b, 9);
	m = t ? member(t, "b", &off) : NULL;
	CHECK(m && off == 0 && m->bit_off == 3 && m->bit_size == 3, "old-style bitfield b");
	m = t ? member(t, "a", &off) : NULL;
	CHECK(m && off == 0 && m->bit_off == 0 && m->bit_size == 3, "old-style bitfield a");
	t = btf_ctype(b, 10);
	CHECK(t && t == btf_ctype(b, 2), "a forward declaration is the struct");

	/* split: [11] PTR -> 2, [12] struct mod_s { struct base_s *p; int y; },
	 * [13] FUNC_PROTO int (struct mod_s *m) [14] PTR -> 12, [15] FUNC mod_fn */
	bb_init(&split, base.ns);
	{
		uint32_t s_mod = str(&split, "mod_s");

		words(&split, 3, 0, INFO(K_PTR, 0, 0), 2);
		words(&split, 9, s_mod, INFO(K_STRUCT, 2, 0), 16, str(&split, "p"), 11, 0,
		      str(&split, "y"), 1, 64);
		words(&split, 5, 0, INFO(K_FUNC_PROTO, 1, 0), 1, str(&split, "m"), 14);
		words(&split, 3, 0, INFO(K_PTR, 0, 0), 12);
		words(&split, 3, str(&split, "mod_fn"), INFO(K_FUNC, 0, 0), 13);
		/* a name in the base's strings: "x" (after "", "int", "base_s") */
		words(&split, 3, 12, INFO(K_TYPEDEF, 0, 0), 1);
	}
	s = btf_open(bb_file(&split, "split.btf"), b, err, sizeof(err));
	CHECK(s, "open split: %s", err);
	if (s) {
		CHECK(btf_first_id(s) == 11 && btf_ntypes(s) == 17, "split: ids %u..%u",
		      btf_first_id(s), btf_ntypes(s));
		CHECK(btf_find(s, K_STRUCT, "base_s") == 2, "split finds the base's struct");
		CHECK(btf_find(s, K_STRUCT, "mod_s") == 12, "split finds its own");
		CHECK(btf_find(s, K_TYPEDEF, "x") == 16, "a name from the base's strings");
		t = btf_ctype(s, 12);
		m = t ? member(t, "p", &off) : NULL;
		CHECK(m && m->type->kind == CT_PTR && m->type->ref == btf_ctype(b, 2),
		      "mod_s.p: the base's struct base_s");
		m = t ? member(t, "y", &off) : NULL;
		CHECK(m && off == 8, "mod_s.y at 8");
		p = btf_source(s)->func(btf_source(s), "mod_fn");
		CHECK(p && p->kind == CT_FUNC && p->ref == ctype_int(4, true) &&
		      ctype_members(p, &n) && n == 1 && p->members[0].type->ref == t,
		      "mod_fn(struct mod_s *m)");
		CHECK(!btf_error(s), "split: %s", btf_error(s));
		btf_close(s);
	}
	CHECK(!btf_error(b), "base: %s", btf_error(b));
	btf_close(b);
}

/* A string that makes the next one start at offset at. */
static void pad(struct bb *b, unsigned at)
{
	memset(b->s + b->ns, 'p', at - b->ns - 1);
	b->s[at - 1] = '\0';
	b->ns = at;
}

/* A short name that ends many other strings: "id" after "a_id",
 * "b_id", ... and "xid" as a struct's name. */
static void test_short_name(void)
{
	struct bb b;
	char err[256], name[8];
	struct btf *btf;
	uint32_t id_off;

	bb_init(&b, 0);
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "%c_id", 'A' + i);
		words(&b, 3, str(&b, name), INFO(K_STRUCT, 0, 0), 0);
	}
	id_off = str(&b, "id");
	words(&b, 3, str(&b, "xid"), INFO(K_STRUCT, 0, 0), 4);
	words(&b, 3, id_off, INFO(K_STRUCT, 0, 0), 8);
	/* names across the reader's 16 KB blocks: one that starts in a
	 * block and ends in the next, one whose NUL before is the last
	 * byte of a block */
	pad(&b, 16383);
	words(&b, 3, str(&b, "straddle"), INFO(K_STRUCT, 0, 0), 12);
	pad(&b, 32768);
	words(&b, 3, str(&b, "second"), INFO(K_STRUCT, 0, 0), 16);
	btf = btf_open(bb_file(&b, "short.btf"), NULL, err, sizeof(err));
	CHECK(btf && btf_find(btf, K_STRUCT, "id") == 42 && btf_find(btf, K_STRUCT, "xid") == 41 &&
	      btf_find(btf, K_STRUCT, "B_id") == 2 && !btf_find(btf, K_STRUCT, "d"),
	      "a name that ends 40 others");
	CHECK(btf && btf_find(btf, K_STRUCT, "straddle") == 43 &&
	      btf_find(btf, K_STRUCT, "second") == 44, "names at the blocks' edges");
	btf_close(btf);
}

/* Malformed BTF: an error, never a crash. */
static void test_malformed(void)
{
	struct bb bad;
	unsigned char buf[4096];
	char err[256];
	struct btf *b;
	const struct ctype *t;
	unsigned n;
	size_t len;

	b = btf_open(tmp_path("missing"), NULL, err, sizeof(err));
	CHECK(!b && strstr(err, "cannot open"), "missing file: %s", err);
	write_file(tmp_path("magic.btf"), "\x9e\xeb\x01\x00 something else entirely.....", 32);
	b = btf_open(tmp_path("magic.btf"), NULL, err, sizeof(err));
	CHECK(!b && strstr(err, "magic"), "bad magic: %s", err);
	write_file(tmp_path("short.btf"), "\x9f\xeb\x01\x00", 4);
	b = btf_open(tmp_path("short.btf"), NULL, err, sizeof(err));
	CHECK(!b && strstr(err, "short"), "4 bytes: %s", err);
	write_file(tmp_path("elf"), "\177ELF", 4);
	b = btf_open(tmp_path("elf"), NULL, err, sizeof(err));
	CHECK(!b && strstr(err, "ELF"), "a broken ELF: %s", err);
	/* an ELF without .BTF: this test program */
	b = btf_open("/proc/self/exe", NULL, err, sizeof(err));
	CHECK(!b && strstr(err, "without a .BTF"), "ELF without .BTF: %s", err);

	/* sections out of bounds */
	bb_init(&bad, 0);
	words(&bad, 3, 0, INFO(K_PTR, 0, 0), 0);
	len = blob(&bad, buf);
	((uint32_t *)buf)[3] = 1000; /* type_len */
	write_file(tmp_path("bounds.btf"), buf, len);
	b = btf_open(tmp_path("bounds.btf"), NULL, err, sizeof(err));
	CHECK(!b && strstr(err, "out of bounds"), "type section past the end: %s", err);

	/* [1] PTR -> 99 (no such type), [2] CONST -> 2 (itself), [3] struct
	 * named past the strings, [4] a struct with a member of type 77,
	 * [5] a typedef named past the strings */
	bb_init(&bad, 0);
	words(&bad, 3, 0, INFO(K_PTR, 0, 0), 99);
	words(&bad, 3, 0, INFO(K_CONST, 0, 0), 2);
	words(&bad, 6, 0, INFO(K_STRUCT, 1, 0), 4, 5000, 77, 0);
	words(&bad, 6, str(&bad, "s2"), INFO(K_STRUCT, 1, 0), 4, 0, 77, 0);
	words(&bad, 3, 9999, INFO(K_TYPEDEF, 0, 0), 1);
	b = btf_open(bb_file(&bad, "bad.btf"), NULL, err, sizeof(err));
	CHECK(b, "open: %s", err);
	if (!b)
		return;
	CHECK(!btf_ctype(b, 1) && btf_error(b) && strstr(btf_error(b), "no type 99"),
	      "a pointer to type 99: %s", btf_error(b));
	CHECK(!btf_ctype(b, 2), "a loop of consts");
	t = btf_ctype(b, 3);
	CHECK(t && !ctype_members(t, &n) && n == 0, "a member named past the strings");
	t = btf_ctype(b, 4);
	CHECK(t && !ctype_members(t, &n) && n == 0, "a member of type 77: no members");
	CHECK(!btf_ctype(b, 5), "a typedef named past the strings");
	CHECK(!btf_ctype(b, 6) && btf_ntypes(b) == 6, "6 types");
	CHECK(!btf_find(b, K_STRUCT, "nothing"), "no struct nothing");
	btf_close(b);

	/* [1] struct a { [2] anonymous; int x; }, [2] struct { [1] anonymous },
	 * [3] int: anonymous members in a loop */
	bb_init(&bad, 0);
	words(&bad, 9, str(&bad, "a"), INFO(K_STRUCT, 2, 0), 8, 0, 2, 0, str(&bad, "x"), 3, 32);
	words(&bad, 6, 0, INFO(K_STRUCT, 1, 0), 8, 0, 1, 0);
	words(&bad, 4, str(&bad, "int"), INFO(K_INT, 0, 0), 4, 1u << 24 | 32);
	b = btf_open(bb_file(&bad, "loop.btf"), NULL, err, sizeof(err));
	t = b ? btf_ctype(b, 1) : NULL;
	CHECK(t && !ctype_member(t, "nothing", &n),
	      "a loop of anonymous members");
	CHECK(t && !ctype_member(btf_ctype(b, 2), "nothing", &n), "the loop from the other end");
	CHECK(b && btf_error(b) && strstr(btf_error(b), "contains itself"), "loop: %s",
	      b ? btf_error(b) : err);
	btf_close(b);

	/* [1] int, [2] a kind wisp does not know, [3] int */
	bb_init(&bad, 0);
	words(&bad, 4, str(&bad, "int"), INFO(K_INT, 0, 0), 4, 1u << 24 | 32);
	words(&bad, 3, 0, INFO(30, 0, 0), 0);
	words(&bad, 4, 1, INFO(K_INT, 0, 0), 4, 1u << 24 | 32);
	b = btf_open(bb_file(&bad, "kind.btf"), NULL, err, sizeof(err));
	CHECK(b && btf_ctype(b, 1) && !btf_ctype(b, 2) && !btf_ctype(b, 3) &&
	      btf_ntypes(b) == 2 && strstr(btf_error(b), "kind 30"),
	      "past an unknown kind: %s", b ? btf_error(b) : err);
	btf_close(b);

	/* a record cut off by the section's end: a struct of 1000 members */
	bb_init(&bad, 0);
	words(&bad, 6, str(&bad, "cut"), INFO(K_STRUCT, 1000, 0), 4, 0, 0, 0);
	b = btf_open(bb_file(&bad, "cut2.btf"), NULL, err, sizeof(err));
	CHECK(b && !btf_find(b, K_STRUCT, "cut") && btf_error(b) &&
	      strstr(btf_error(b), "cut off"), "vlen past the end: %s", b ? btf_error(b) : err);
	btf_close(b);

	/* every byte of a good blob changed: whatever the reader makes of
	 * it, it does not crash (the sanitizer build checks the reads) */
	{
		struct bb good;
		unsigned char mut[4096];
		const char *p = tmp_path("mut.btf");
		unsigned runs = 0;

		base_btf(&good);
		len = blob(&good, buf);
		for (size_t i = 0; i < len; i++) {
			static const unsigned char vals[] = { 0, 0xff, 0x7f, 0x13 };

			for (unsigned j = 0; j < sizeof(vals); j++) {
				memcpy(mut, buf, len);
				mut[i] ^= vals[j] ? vals[j] : mut[i];
				write_file(p, mut, len);
				if (!(b = btf_open(p, NULL, err, sizeof(err))))
					continue;
				runs++;
				for (uint32_t id = 0; id < btf_ntypes(b) + 2; id++) {
					t = btf_ctype(b, id);
					if (t)
						ctype_members(t, &n);
				}
				btf_find(b, K_STRUCT, "base_s");
				btf_enum_const(b, "BIG_ONE", &(int64_t){ 0 });
				btf_close(b);
			}
		}
		CHECK(runs > 100, "%u mutated blobs read", runs);
	}
}

/* ---- the running kernel ---- */

static void test_kernel(void)
{
	struct btf *k = btf_kernel();
	const struct ctype *ts, *t, *f;
	const struct cmember *m;
	unsigned off, n;
	int64_t v;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		unit_skip("no /sys/kernel/btf/vmlinux: the kernel's BTF is not checked");
		return;
	}
	CHECK(k, "btf_kernel() opens /sys/kernel/btf/vmlinux");
	if (!k)
		return;
	CHECK(btf_kernel() == k, "opened once");
	ctype_clear_sources();
	ctype_add_source(btf_source(k));
	ts = ctype_find(CT_STRUCT, "task_struct");
	CHECK(ts && ts->size > 1000, "struct task_struct");
	m = ts ? ctype_member(ts, "pid", &off) : NULL;
	CHECK(m && ctype_resolve(m->type)->kind == CT_INT && m->type->size == 4,
	      "task_struct.pid: pid_t");
	m = ts ? ctype_member(ts, "real_parent", &off) : NULL;
	CHECK(m && m->type->kind == CT_PTR && m->type->ref == ts,
	      "task_struct.real_parent: struct task_struct *");
	m = ts ? ctype_member(ts, "comm", &off) : NULL;
	CHECK(m && ctype_classify(m->type) == CC_CHARS, "task_struct.comm: char[]");
	CHECK(ctype_enum_const("BPF_MAP_TYPE_HASH", &v) && v == 1, "BPF_MAP_TYPE_HASH");
	CHECK(ctype_enum_const("TCP_ESTABLISHED", &v) && v == 1, "TCP_ESTABLISHED");
	CHECK(!ctype_enum_const("WISP_NO_SUCH_CONSTANT", &v), "no such constant");
	f = ctype_func("vfs_read");
	CHECK(f && ctype_members(f, &n) && n == 4 && !strcmp(f->members[2].name, "count"),
	      "vfs_read(file, buf, count, pos)");
	t = ctype_find(CT_STRUCT, "sock_common");
	m = t ? ctype_member(t, "skc_daddr", &off) : NULL;
	CHECK(m && off == 0, "sock_common.skc_daddr at 0 (in an anonymous union)");
	CHECK(!ctype_find(CT_STRUCT, "wisp_no_such_struct"), "no such struct");
	{
		struct btf *in;
		uint32_t id = btf_kernel_find(K_FUNC, "vfs_read", &in);

		CHECK(id && in == k && id == btf_find(k, K_FUNC, "vfs_read"),
		      "btf_kernel_find(vfs_read): vmlinux");
		CHECK(!btf_kernel_find(K_FUNC, "wisp_no_such_function", &in) && !in,
		      "btf_kernel_find: no such function");
	}
	CHECK(!btf_error(k), "kernel BTF: %s", btf_error(k));
	ctype_clear_sources();

	/* modules: split BTF on vmlinux */
	{
		const char *names[] = { "nf_conntrack", "xfs", "ext4", "btrfs", "bridge", "kvm",
					"overlay", "virtio_net" };
		struct btf *mod = NULL;
		unsigned i;

		for (i = 0; i < sizeof(names) / sizeof(*names) && !mod; i++)
			mod = btf_module(names[i]);
		if (!mod) {
			unit_skip("no module BTF in /sys/kernel/btf: split BTF checked on hand-made files only");
		} else {
			printf("module BTF: %s\n", names[i - 1]);
			CHECK(btf_first_id(mod) == btf_ntypes(k) && btf_ntypes(mod) > btf_first_id(mod),
			      "module ids continue vmlinux's");
			CHECK(btf_find(mod, K_STRUCT, "task_struct") ==
			      btf_find(k, K_STRUCT, "task_struct"), "module sees vmlinux's types");
			CHECK(btf_module(names[i - 1]) == mod, "opened once");
			CHECK(!btf_error(mod), "module: %s", btf_error(mod));
		}
		CHECK(!btf_module("wisp_no_such_module") && !btf_module("../vmlinux"),
		      "no such module");
	}
}

/* WISP_BTF=none: no kernel BTF (in a child: btf_kernel() answers once) */
static void test_btf_none(void)
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		setenv("WISP_BTF", "none", 1);
		_exit(btf_kernel() == NULL && btf_module("xfs") == NULL ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "WISP_BTF=none: btf_kernel() is NULL");
}

int main(void)
{
	strcpy(tmpdir, "/tmp/test_btf.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_gcc_fixture();
	test_hand_made();
	test_short_name();
	test_malformed();
	test_btf_none();
	test_kernel();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		if (system(cmd))
			printf("cannot remove %s\n", tmpdir);
	}
	return unit_done("test_btf");
}
