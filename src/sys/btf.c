/* btf.c - wisp's own reader of BTF (see btf.h).
 *
 * The file is never read whole nor mapped: bytes come through pread and
 * a cache of a few 16 KB blocks. A name is looked up by scanning the
 * string section for it (its offset or offsets), then the type section
 * for a type of the wanted kind with that name offset. Records have
 * variable lengths, so reaching type id N means walking from the start;
 * the walks note where every IDX_STEP'th type begins (a sparse index) so
 * that the next visit to an id starts near it. Each type id becomes a
 * ctype once; a struct's members are read when first used.
 *
 * A split BTF (a module's) continues its base's type ids and string
 * offsets: ids below first_id and string offsets below str_base are the
 * base's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf.h"
#include "lang/ctype.h"

#define BTF_MAGIC_LE 0xeb9f
#define BTF_MAGIC_SWAPPED 0x9feb
#define HDR_MIN 24

enum {
	K_UNKN, K_INT, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD,
	K_TYPEDEF, K_VOLATILE, K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO,
	K_VAR, K_DATASEC, K_FLOAT, K_DECL_TAG, K_TYPE_TAG, K_ENUM64, K_NKINDS
};

#define KIND(info) (((info) >> 24) & 0x1f)
#define VLEN(info) ((info) & 0xffff)
#define KFLAG(info) ((info) >> 31)

#define INT_SIGNED 1
#define INT_CHAR 2
#define INT_BOOL 4

#define BLK_SHIFT 14 /* 16 KB blocks */
#define BLK_SIZE (1u << BLK_SHIFT)
#define NBLK 16
#define IDX_STEP 256
#define MAX_DEPTH 64   /* type references followed in one conversion */
#define MAX_NAME 1024  /* longer names are malformed data */
#define MAX_OFFS 16    /* string offsets of one name kept by a search */

struct blk {
	uint64_t no;      /* file offset >> BLK_SHIFT */
	unsigned len;     /* bytes valid (the file's last block is short) */
	unsigned age;     /* for eviction: the least recently used goes */
	unsigned char *data; /* NULL: unused */
};

struct conv {         /* an id's ctype */
	uint32_t id;      /* 0: empty slot */
	const struct ctype *t;
};

struct name {         /* a string handed out by btf_type_info */
	uint32_t off;
	char *s;
};

struct lookup {       /* a btf_find answer kept (0: none) */
	struct lookup *next;
	unsigned kind;
	uint32_t id;
	char name[];
};

struct btf {
	int fd;
	char *kept_name;    /* the last name str_find looked for */
	uint32_t kept_offs[MAX_OFFS];
	unsigned kept_n;
	uint64_t start;   /* the file offset of the BTF header */
	uint64_t size;    /* bytes of BTF */
	bool swap;        /* the other byte order */
	uint32_t type_off, type_len; /* from start */
	uint32_t str_off, str_len;
	struct btf *base;
	uint32_t first_id;  /* the first id of its own */
	uint32_t str_base;  /* the first string offset of its own */
	unsigned ptr_size;  /* 0: not known yet */
	bool is_kernel;

	/* the sparse index: index[k] is where id first_id + k * IDX_STEP
	 * begins, relative to type_off */
	uint32_t *index;
	unsigned nindex, index_cap;
	bool counted;       /* the walk has reached the end */
	uint32_t nown;      /* then: the number of its own types */

	struct blk blk[NBLK];
	struct blk *last;   /* the block read last: a walk stays in it */
	unsigned clock;

	struct conv *conv;  /* open addressing, a power of two */
	unsigned nconv, conv_cap;
	struct name *names;
	unsigned nnames, names_cap;
	struct lookup *lookups;
	unsigned depth;

	char err[200];      /* the first malformation met, "" none */
	char *path;
	struct ctype_source src;
};

static void set_err(struct btf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(struct btf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(b->err, sizeof(b->err), fmt, ap);
	va_end(ap);
}

const char *btf_error(const struct btf *b)
{
	return b && b->err[0] ? b->err : NULL;
}

const char *btf_path(const struct btf *b)
{
	return b ? b->path : NULL;
}

static uint32_t swap32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static uint32_t get32(const struct btf *b, uint32_t v)
{
	return b->swap ? swap32(v) : v;
}

/* ---- the block cache ---- */

/* pread until n bytes or the end of the file: sysfs hands out at most a
 * page per call. */
static ssize_t pread_full(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (!r)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static const struct blk *block(struct btf *b, uint64_t no)
{
	struct blk *victim = NULL;
	ssize_t n;

	if (b->last && b->last->no == no)
		return b->last;
	for (unsigned i = 0; i < NBLK; i++) {
		struct blk *k = &b->blk[i];

		if (k->data && k->no == no) {
			k->age = ++b->clock;
			return b->last = k;
		}
		if (!victim || (victim->data && (!k->data || k->age < victim->age)))
			victim = k;
	}
	if (!victim->data && !(victim->data = malloc(BLK_SIZE)))
		return NULL;
	n = pread_full(b->fd, victim->data, BLK_SIZE, no << BLK_SHIFT);
	if (n < 0) {
		set_err(b, "cannot read %s: %s", b->path, strerror(errno));
		victim->len = 0;
		victim->no = UINT64_MAX;
		b->last = NULL;
		return NULL;
	}
	victim->no = no;
	victim->len = (unsigned)n;
	victim->age = ++b->clock;
	return b->last = victim;
}

/* Free the cached blocks (a module searched in vain keeps no memory). */
static void drop_blocks(struct btf *b)
{
	for (unsigned i = 0; i < NBLK; i++) {
		free(b->blk[i].data);
		b->blk[i].data = NULL;
	}
	b->last = NULL;
}

/* n bytes at off (from the BTF start) into dst; -1 past the end. */
static int rd(struct btf *b, uint64_t off, void *dst, size_t n)
{
	unsigned char *d = dst;

	if (off > b->size || n > b->size - off) {
		set_err(b, "%s: read past the end of the BTF data", b->path);
		return -1;
	}
	off += b->start;
	while (n) {
		const struct blk *k = block(b, off >> BLK_SHIFT);
		unsigned in = off & (BLK_SIZE - 1), take;

		if (!k || k->len <= in) {
			set_err(b, "%s: file shorter than its BTF header says", b->path);
			return -1;
		}
		take = k->len - in;
		if (take > n)
			take = (unsigned)n;
		memcpy(d, k->data + in, take);
		d += take;
		off += take;
		n -= take;
	}
	return 0;
}

/* words u32 at off, in host order */
static int rd32(struct btf *b, uint64_t off, uint32_t *w, size_t nw)
{
	if (rd(b, off, w, nw * 4))
		return -1;
	if (b->swap)
		for (size_t i = 0; i < nw; i++)
			w[i] = swap32(w[i]);
	return 0;
}

/* ---- strings ---- */

/* The string at offset off into buf[cap]; NULL when off is past the
 * end or the string is not terminated within cap. */
static const char *str_at(struct btf *b, uint32_t off, char *buf, size_t cap)
{
	uint32_t local, left;
	size_t got = 0;

	if (off < b->str_base)
		return b->base ? str_at(b->base, off, buf, cap) : NULL;
	local = off - b->str_base;
	if (local >= b->str_len) {
		set_err(b, "%s: a name's offset %u is past the strings' end", b->path, off);
		return NULL;
	}
	left = b->str_len - local;
	while (got < cap) {
		size_t take = cap - got;
		char *nul;

		if (take > 64)
			take = 64;
		if (take > left)
			take = left;
		if (!take)
			break;
		if (rd(b, (uint64_t)b->str_off + local, buf + got, take))
			return NULL;
		if ((nul = memchr(buf + got, '\0', take)))
			return buf;
		got += take;
		local += take;
		left -= take;
	}
	set_err(b, "%s: unterminated or too long name at offset %u", b->path, off);
	return NULL;
}

/* The offsets (as types use them) of b's own strings equal to name, up
 * to max: a scan of its string section for "\0name\0", a block at a
 * time. */
static unsigned str_find(struct btf *b, const char *name, uint32_t *offs, unsigned max)
{
	size_t len = strlen(name) + 1; /* with its NUL */
	static char buf[BLK_SIZE + MAX_NAME + 1];
	unsigned n = 0;

	if (len < 2 || len > MAX_NAME)
		return 0;
	for (uint64_t pos = 0; pos < b->str_len && n < max; pos += BLK_SIZE) {
		/* from the byte before the block (the NUL ending the string
		 * before), to len - 1 bytes after it (a match that starts in
		 * the block and ends in the next) */
		uint64_t from = pos ? pos - 1 : 0;
		size_t want = b->str_len - from;
		const char *p, *end;
		ssize_t r;

		if (want > pos - from + BLK_SIZE + len - 1)
			want = pos - from + BLK_SIZE + len - 1;
		r = pread_full(b->fd, buf, want, b->start + b->str_off + from);
		if (r != (ssize_t)want) {
			set_err(b, "cannot read %s: %s", b->path,
				r < 0 ? strerror(errno) : "file shorter than its BTF header says");
			return n;
		}
		for (p = buf + (pos - from), end = buf + want; n < max && (size_t)(end - p) >= len;) {
			const char *m = memmem(p, end - p, name, len);
			uint64_t at;

			if (!m || (at = from + (m - buf)) >= pos + BLK_SIZE)
				break;
			if (!at || m[-1] == '\0')
				offs[n++] = b->str_base + (uint32_t)at;
			p = m + 1;
		}
	}
	return n;
}

/* str_find of b and its bases (a split BTF's types name strings of its
 * base too); the last answer of each is kept: a module searched after
 * vmlinux does not scan vmlinux's strings again. */
static unsigned names_find(struct btf *b, const char *name, uint32_t *offs, unsigned max)
{
	unsigned n = 0;

	for (; b && n < max; b = b->base) {
		if (!b->kept_name || strcmp(b->kept_name, name)) {
			char *copy = strdup(name);

			if (!copy)
				return n;
			free(b->kept_name);
			b->kept_name = copy;
			b->kept_n = str_find(b, name, b->kept_offs, MAX_OFFS);
		}
		for (unsigned i = 0; i < b->kept_n && n < max; i++)
			offs[n++] = b->kept_offs[i];
	}
	return n;
}

/* A stable copy of the string at off (btf_type_info's names). */
static const char *name_at(struct btf *b, uint32_t off)
{
	char buf[MAX_NAME];
	const char *s;
	char *copy;

	for (unsigned i = 0; i < b->nnames; i++)
		if (b->names[i].off == off)
			return b->names[i].s;
	if (!(s = str_at(b, off, buf, sizeof(buf))))
		return NULL;
	if (b->nnames == b->names_cap) {
		unsigned cap = b->names_cap ? 2 * b->names_cap : 16;
		struct name *g = realloc(b->names, cap * sizeof(*g));

		if (!g)
			return NULL;
		b->names = g;
		b->names_cap = cap;
	}
	if (!(copy = strdup(s)))
		return NULL;
	b->names[b->nnames++] = (struct name){ off, copy };
	return copy;
}

/* ---- walking the types ---- */

/* Bytes after the 12-byte header of a record; -1: a kind wisp does not
 * know (its length is unknown, so nothing after it can be read). */
static long extra_len(unsigned kind, unsigned vlen)
{
	switch (kind) {
	case K_INT: case K_VAR: case K_DECL_TAG:
		return 4;
	case K_ARRAY:
		return 12;
	case K_STRUCT: case K_UNION: case K_DATASEC: case K_ENUM64:
		return 12L * vlen;
	case K_ENUM: case K_FUNC_PROTO:
		return 8L * vlen;
	case K_PTR: case K_FWD: case K_TYPEDEF: case K_VOLATILE: case K_CONST:
	case K_RESTRICT: case K_FUNC: case K_FLOAT: case K_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

struct cursor {
	uint32_t id;   /* the type at off */
	uint32_t off;  /* from type_off */
};

/* A cursor at the indexed point at or before own id. */
static struct cursor cursor_near(const struct btf *b, uint32_t id)
{
	unsigned k = (id - b->first_id) / IDX_STEP;

	if (!b->nindex)
		return (struct cursor){ b->first_id, 0 };
	if (k >= b->nindex)
		k = b->nindex - 1;
	return (struct cursor){ b->first_id + k * IDX_STEP, b->index[k] };
}

/* The header of the type at c into h[3] (name_off, info, size/type) and
 * c moves to the next type. 1, 0 at the end, -1 on malformed data. */
static int next(struct btf *b, struct cursor *c, uint32_t h[3], uint32_t *at)
{
	long extra;
	unsigned k = (c->id - b->first_id) / IDX_STEP;

	if (c->off == b->type_len) {
		if (!b->counted) {
			b->counted = true;
			b->nown = c->id - b->first_id;
		}
		return 0;
	}
	if ((c->id - b->first_id) % IDX_STEP == 0 && k == b->nindex) {
		if (b->nindex == b->index_cap) {
			unsigned cap = b->index_cap ? 2 * b->index_cap : 64;
			uint32_t *g = realloc(b->index, cap * sizeof(*g));

			if (!g)
				return -1;
			b->index = g;
			b->index_cap = cap;
		}
		b->index[b->nindex++] = c->off;
	}
	if (b->type_len - c->off < 12 ||
	    rd32(b, (uint64_t)b->type_off + c->off, h, 3)) {
		set_err(b, "%s: type %u is cut off", b->path, c->id);
		return -1;
	}
	extra = extra_len(KIND(h[1]), VLEN(h[1]));
	if (extra < 0) {
		set_err(b, "%s: type %u has kind %u, which wisp does not know",
			b->path, c->id, KIND(h[1]));
		return -1;
	}
	if ((uint64_t)b->type_len - c->off - 12 < (uint64_t)extra) {
		set_err(b, "%s: type %u is cut off", b->path, c->id);
		return -1;
	}
	if (at)
		*at = c->off;
	c->off += 12 + (uint32_t)extra;
	c->id++;
	if (c->id == 0) { /* 2^32 types: malformed */
		set_err(b, "%s: too many types", b->path);
		return -1;
	}
	return 1;
}

/* Where own type id begins (from type_off) and its header; -1 when it
 * is out of range. */
static int seek(struct btf *b, uint32_t id, uint32_t h[3], uint32_t *at)
{
	struct cursor c;
	int r;

	if (id < b->first_id || (b->counted && id - b->first_id >= b->nown))
		return -1;
	c = cursor_near(b, id);
	while ((r = next(b, &c, h, at)) == 1)
		if (c.id - 1 == id)
			return 0;
	return -1;
}

static void count(struct btf *b)
{
	struct cursor c;
	uint32_t h[3];

	if (b->counted)
		return;
	c = cursor_near(b, UINT32_MAX);
	while (next(b, &c, h, NULL) == 1)
		;
	if (!b->counted) { /* malformed: what could be read counts */
		b->counted = true;
		b->nown = c.id - b->first_id;
	}
}

uint32_t btf_ntypes(const struct btf *cb)
{
	struct btf *b = (struct btf *)cb;

	count(b);
	return b->first_id + b->nown;
}

uint32_t btf_first_id(const struct btf *b)
{
	return b->first_id;
}

/* The header of type id, in b or its base: the btf that has it. */
static struct btf *header(struct btf *b, uint32_t id, uint32_t h[3], uint32_t *at)
{
	while (id < b->first_id && b->base)
		b = b->base;
	return seek(b, id, h, at) ? NULL : b;
}

/* The words after the header of the type at at (vlen records). malloc'd. */
static uint32_t *extra_words(struct btf *b, uint32_t at, const uint32_t h[3])
{
	long n = extra_len(KIND(h[1]), VLEN(h[1]));
	uint32_t *w = malloc(n > 0 ? (size_t)n : 4);

	if (w && n > 0 && rd32(b, (uint64_t)b->type_off + at + 12, w, (size_t)n / 4)) {
		free(w);
		return NULL;
	}
	return w;
}

/* ---- finding by name ---- */

static bool in(uint32_t v, const uint32_t *set, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

/* The first own type of kind named name; 0 when none. */
static uint32_t find_own(struct btf *b, unsigned kind, const char *name)
{
	uint32_t offs[2 * MAX_OFFS], h[3];
	unsigned n = names_find(b, name, offs, 2 * MAX_OFFS);
	struct cursor c = { b->first_id, 0 };

	if (!n)
		return 0;
	while (next(b, &c, h, NULL) == 1)
		if (KIND(h[1]) == kind && in(h[0], offs, n))
			return c.id - 1;
	return 0;
}

/* find_own through the kept answers */
static uint32_t find_own_kept(struct btf *b, unsigned kind, const char *name)
{
	struct lookup *l;
	uint32_t id;

	for (l = b->lookups; l; l = l->next)
		if (l->kind == kind && !strcmp(l->name, name))
			return l->id;
	id = find_own(b, kind, name);
	if ((l = malloc(sizeof(*l) + strlen(name) + 1))) {
		l->kind = kind;
		l->id = id;
		strcpy(l->name, name);
		l->next = b->lookups;
		b->lookups = l;
	}
	return id;
}

uint32_t btf_find(struct btf *b, unsigned kind, const char *name)
{
	uint32_t id;

	if (!b || !name || !*name)
		return 0;
	if (b->base && (id = btf_find(b->base, kind, name)))
		return id;
	return find_own_kept(b, kind, name);
}

bool btf_type_info(struct btf *b, uint32_t id, unsigned *kind,
		   const char **name, uint32_t *ref)
{
	uint32_t h[3], at;
	struct btf *o;

	if (id == 0) {
		*kind = K_UNKN;
		*name = "void";
		*ref = 0;
		return true;
	}
	if (!(o = header(b, id, h, &at)))
		return false;
	*kind = KIND(h[1]);
	*name = name_at(o, h[0]);
	if (!*name)
		*name = "";
	switch (*kind) {
	case K_PTR: case K_TYPEDEF: case K_VOLATILE: case K_CONST: case K_RESTRICT:
	case K_FUNC: case K_FUNC_PROTO: case K_VAR: case K_DECL_TAG: case K_TYPE_TAG:
		*ref = h[2];
		break;
	case K_ARRAY: {
		uint32_t a[3];

		*ref = rd32(o, (uint64_t)o->type_off + at + 12, a, 3) ? 0 : a[0];
		break;
	}
	default:
		*ref = 0;
	}
	return true;
}

int btf_each(struct btf *b, unsigned kind,
	     int (*fn)(uint32_t id, const char *name, void *arg), void *arg)
{
	struct cursor c = { b->first_id, 0 };
	char buf[MAX_NAME];
	uint32_t h[3];
	int r;

	while (next(b, &c, h, NULL) == 1) {
		const char *s;

		if (KIND(h[1]) != kind)
			continue;
		if (!(s = str_at(b, h[0], buf, sizeof(buf))))
			return 0;
		if ((r = fn(c.id - 1, s, arg)))
			return r;
	}
	return 0;
}

/* ---- conversion to ctypes ---- */

static const struct ctype **conv_slot(struct btf *b, uint32_t id, bool add)
{
	unsigned mask, i;

	if (add && 2 * (b->nconv + 1) > b->conv_cap) {
		unsigned cap = b->conv_cap ? 2 * b->conv_cap : 256;
		struct conv *g = calloc(cap, sizeof(*g));

		if (!g)
			return NULL;
		for (unsigned j = 0; j < b->conv_cap; j++) {
			struct conv *e = &b->conv[j];

			if (!e->id)
				continue;
			for (i = e->id * 2654435761u & (cap - 1); g[i].id; i = (i + 1) & (cap - 1))
				;
			g[i] = *e;
		}
		free(b->conv);
		b->conv = g;
		b->conv_cap = cap;
	}
	if (!b->conv_cap)
		return NULL;
	mask = b->conv_cap - 1;
	for (i = id * 2654435761u & mask; b->conv[i].id; i = (i + 1) & mask)
		if (b->conv[i].id == id)
			return &b->conv[i].t;
	if (!add)
		return NULL;
	b->conv[i].id = id;
	b->nconv++;
	return &b->conv[i].t;
}

static const struct ctype *conv(struct btf *b, uint32_t id);

static unsigned ptr_size(struct btf *b)
{
	static const char *const longs[] = { "long int", "long unsigned int", "long",
					     "unsigned long" };
	struct btf *root = b;

	while (root->base)
		root = root->base;
	if (root->ptr_size)
		return root->ptr_size;
	root->ptr_size = 8;
	for (unsigned i = 0; i < sizeof(longs) / sizeof(*longs); i++) {
		uint32_t h[3], id = btf_find(root, K_INT, longs[i]);

		if (id && header(root, id, h, NULL) && (h[2] == 4 || h[2] == 8)) {
			root->ptr_size = h[2];
			break;
		}
	}
	return root->ptr_size;
}

/* A type's id after const, volatile, restrict and type tags; *user set
 * when a type tag "user" is among them. */
static struct btf *skip_mods(struct btf *b, uint32_t *id, uint32_t h[3], uint32_t *at,
			     bool *user)
{
	for (unsigned depth = 0; depth < MAX_DEPTH; depth++) {
		struct btf *o;
		char buf[8];

		if (!*id)
			return NULL;
		if (!(o = header(b, *id, h, at)))
			return NULL;
		switch (KIND(h[1])) {
		case K_TYPE_TAG:
			if (user) {
				const char *s = str_at(o, h[0], buf, sizeof(buf));

				if (s && !strcmp(s, "user"))
					*user = true;
			}
			/* fall through */
		case K_CONST: case K_VOLATILE: case K_RESTRICT:
			*id = h[2];
			continue;
		default:
			return o;
		}
	}
	set_err(b, "%s: a loop of type modifiers at type %u", b->path, *id);
	return NULL;
}

static struct ctype *new_named(struct btf *b, enum ctype_kind kind, uint32_t name_off,
			       unsigned size)
{
	char buf[MAX_NAME];
	const char *s = str_at(b, name_off, buf, sizeof(buf));

	if (!s)
		return NULL;
	return ctype_new(kind, *s ? s : NULL, size);
}

static const struct ctype *conv_enum(struct btf *b, uint32_t at, const uint32_t h[3])
{
	unsigned kind = KIND(h[1]), n = VLEN(h[1]), step = kind == K_ENUM64 ? 3 : 2;
	bool sign = KFLAG(h[1]);
	uint32_t *w = extra_words(b, at, h);
	struct ctype *e = w ? new_named(b, CT_ENUM, h[0], h[2]) : NULL;

	if (!e) {
		free(w);
		return NULL;
	}
	e->is_signed = sign;
	for (unsigned i = 0; i < n; i++) {
		const uint32_t *v = w + i * step;
		char buf[MAX_NAME];
		const char *s = str_at(b, v[0], buf, sizeof(buf));
		int64_t val;

		if (kind == K_ENUM64)
			val = (int64_t)((uint64_t)v[2] << 32 | v[1]);
		else
			val = sign ? (int64_t)(int32_t)v[1] : (int64_t)v[1];
		if (!s || ctype_add_const(e, s, val)) {
			free(w);
			ctype_free(e);
			return NULL;
		}
	}
	free(w);
	return e;
}

static const struct ctype *conv_proto(struct btf *b, uint32_t at, const uint32_t h[3])
{
	unsigned n = VLEN(h[1]);
	uint32_t *w = extra_words(b, at, h);
	struct ctype *f = w ? ctype_new(CT_FUNC, NULL, 0) : NULL;

	if (!f || !(f->ref = conv(b, h[2])))
		goto fail;
	for (unsigned i = 0; i < n; i++) {
		char buf[MAX_NAME];
		const char *s;
		const struct ctype *t;

		if (i == n - 1 && !w[2 * i] && !w[2 * i + 1])
			break; /* "...": variadic */
		if (!(s = str_at(b, w[2 * i], buf, sizeof(buf))) ||
		    !(t = conv(b, w[2 * i + 1])) || t->kind == CT_VOID ||
		    ctype_add_member(f, s, t, 0, 0, 0))
			goto fail;
	}
	free(w);
	return f;
fail:
	free(w);
	ctype_free(f);
	return NULL;
}

/* The full struct or union a forward declaration names, else an empty
 * one of that name. */
static const struct ctype *conv_fwd(struct btf *b, const uint32_t h[3])
{
	char buf[MAX_NAME];
	const char *s = str_at(b, h[0], buf, sizeof(buf));
	bool is_union = KFLAG(h[1]);
	struct btf *top = b;
	uint32_t id;

	if (!s)
		return NULL;
	/* the kernel's modules may define what vmlinux only declares: the
	 * BTF that asked (b) is searched with its base */
	if ((id = btf_find(top, is_union ? K_UNION : K_STRUCT, s)))
		return conv(top, id);
	return ctype_new(is_union ? CT_UNION : CT_STRUCT, *s ? s : NULL, 0);
}

static const struct ctype *conv_new(struct btf *b, uint32_t id)
{
	uint32_t h[3], at, ref;
	char buf[MAX_NAME];
	const char *s;
	const struct ctype *t;
	struct ctype *w;
	bool user = false;

	if (seek(b, id, h, &at)) {
		set_err(b, "%s: no type %u", b->path, id);
		return NULL;
	}
	switch (KIND(h[1])) {
	case K_INT:
		if (!(s = str_at(b, h[0], buf, sizeof(buf))))
			return NULL;
		if (h[2] == 1 && !strcmp(s, "char"))
			return ctype_char();
		if (!h[2] || h[2] > 16) {
			set_err(b, "%s: integer type %u has size %u", b->path, id, h[2]);
			return NULL;
		}
		{
			uint32_t enc;

			if (rd32(b, (uint64_t)b->type_off + at + 12, &enc, 1))
				return NULL;
			return ctype_int(h[2], ((enc >> 24) & 0xf) & INT_SIGNED);
		}
	case K_PTR:
		ref = h[2];
		if (ref) { /* a type tag "user" among its modifiers? */
			uint32_t rh[3];

			skip_mods(b, &ref, rh, NULL, &user);
		}
		if (!(t = conv(b, h[2])))
			return NULL;
		return ctype_ptr(t, user ? AS_USER : AS_KERNEL, ptr_size(b));
	case K_ARRAY: {
		uint32_t a[3]; /* type, index type, nelems */

		if (rd32(b, (uint64_t)b->type_off + at + 12, a, 3) || !(t = conv(b, a[0])))
			return NULL;
		return ctype_array(t, a[2]);
	}
	case K_STRUCT:
	case K_UNION:
		if (!(w = new_named(b, KIND(h[1]) == K_STRUCT ? CT_STRUCT : CT_UNION,
				    h[0], h[2])))
			return NULL;
		if (VLEN(h[1])) {
			w->lazy = &b->src;
			w->lazy_id = id;
		}
		return w;
	case K_ENUM:
	case K_ENUM64:
		return conv_enum(b, at, h);
	case K_FWD:
		return conv_fwd(b, h);
	case K_TYPEDEF:
		if (!(s = str_at(b, h[0], buf, sizeof(buf))) || !(t = conv(b, h[2])))
			return NULL;
		return ctype_typedef(s, t);
	case K_VOLATILE: case K_CONST: case K_RESTRICT: case K_TYPE_TAG:
		return conv(b, h[2]);
	case K_FUNC: {
		uint32_t fh[3];
		struct btf *o = header(b, h[2], fh, NULL);

		if (!o || KIND(fh[1]) != K_FUNC_PROTO) {
			set_err(b, "%s: function %u has no prototype", b->path, id);
			return NULL;
		}
		return conv(b, h[2]);
	}
	case K_FUNC_PROTO:
		return conv_proto(b, at, h);
	case K_FLOAT:
		return ctype_array(ctype_int(1, false), h[2]);
	default: /* VAR, DATASEC, DECL_TAG: not types of data */
		return NULL;
	}
}

static const struct ctype *conv(struct btf *b, uint32_t id)
{
	const struct ctype **slot, *t;

	if (!id)
		return ctype_void();
	if (id < b->first_id)
		return b->base ? conv(b->base, id) : NULL;
	if ((slot = conv_slot(b, id, false)) && *slot)
		return *slot;
	if (b->depth >= MAX_DEPTH) {
		set_err(b, "%s: type %u refers too deep (a loop?)", b->path, id);
		return NULL;
	}
	b->depth++;
	t = conv_new(b, id);
	b->depth--;
	if (t && (slot = conv_slot(b, id, true)))
		*slot = t;
	return t;
}

const struct ctype *btf_ctype(struct btf *b, uint32_t id)
{
	uint32_t h[3];

	/* an id out of range is the caller's, not a fault of the data */
	if (!b || (id && !header(b, id, h, NULL)))
		return NULL;
	return conv(b, id);
}

/* The integer under typedefs and modifiers of type id: its bits and bit
 * offset (old-style bitfields, kind_flag 0); false when not an int. */
static bool int_bits(struct btf *b, uint32_t id, unsigned *bits, unsigned *off,
		     unsigned *size)
{
	for (unsigned depth = 0; depth < MAX_DEPTH && id; depth++) {
		uint32_t h[3], at, enc;
		struct btf *o = header(b, id, h, &at);

		if (!o)
			return false;
		switch (KIND(h[1])) {
		case K_TYPEDEF: case K_CONST: case K_VOLATILE: case K_RESTRICT: case K_TYPE_TAG:
			id = h[2];
			continue;
		case K_INT:
			if (rd32(o, (uint64_t)o->type_off + at + 12, &enc, 1))
				return false;
			*bits = enc & 0xff;
			*off = (enc >> 16) & 0xff;
			*size = h[2];
			return true;
		default:
			return false;
		}
	}
	return false;
}

static void drop_members(struct ctype *t)
{
	for (unsigned i = 0; i < t->nmembers; i++)
		free((char *)t->members[i].name);
	free(t->members);
	t->members = NULL;
	t->nmembers = 0;
}

/* Does from reach t through anonymous members already read? Lookups of
 * a member recurse into anonymous members: malformed BTF must not make
 * that a loop. The one of a loop's structs read last sees it. */
static bool reaches(const struct ctype *from, const struct ctype *t, unsigned *budget)
{
	from = ctype_resolve(from);
	if (!from || (from->kind != CT_STRUCT && from->kind != CT_UNION))
		return false;
	if (from == t || !*budget)
		return true;
	--*budget;
	if (from->lazy)
		return false;
	for (unsigned i = 0; i < from->nmembers; i++)
		if (!*from->members[i].name && reaches(from->members[i].type, t, budget))
			return true;
	return false;
}

/* The members of struct or union t (the source's complete hook). */
static int complete(struct ctype_source *s, struct ctype *t)
{
	struct btf *b = s->priv;
	uint32_t id = t->lazy_id, h[3], at, *w;
	unsigned n;

	if (seek(b, id, h, &at) || (KIND(h[1]) != K_STRUCT && KIND(h[1]) != K_UNION))
		return -1;
	n = VLEN(h[1]);
	if (!(w = extra_words(b, at, h)))
		return -1;
	for (unsigned i = 0; i < n; i++) {
		const uint32_t *m = w + 3 * i; /* name, type, offset */
		unsigned bit = KFLAG(h[1]) ? m[2] & 0xffffff : m[2];
		unsigned bits = KFLAG(h[1]) ? m[2] >> 24 : 0, ib, io, isz;
		unsigned off = bit / 8, bo = 0;
		char buf[MAX_NAME];
		const char *name = str_at(b, m[0], buf, sizeof(buf));
		const struct ctype *mt = name ? conv(b, m[1]) : NULL;

		if (!mt)
			goto fail;
		if (!*name) {
			unsigned budget = 4096;

			if (reaches(mt, t, &budget)) {
				set_err(b, "%s: type %u contains itself", b->path, id);
				goto fail;
			}
		}
		if (!KFLAG(h[1]) && int_bits(b, m[1], &ib, &io, &isz) &&
		    (io || ib != isz * 8)) {
			bit += io;
			bits = ib;
		}
		if (bits) {
			const struct ctype *r = ctype_resolve(mt);
			unsigned sz = r && r->size && r->size <= 8 ? r->size : 1;

			/* a read of the member's own size that holds it */
			off = bit / (sz * 8) * sz;
			bo = bit - off * 8;
			if (bo + bits > sz * 8) {
				off = bit / 8;
				bo = bit % 8;
			}
		} else if (bit % 8) {
			set_err(b, "%s: member %u of type %u is not byte aligned", b->path, i, id);
			goto fail;
		}
		if (ctype_add_member(t, name, mt, off, bo, bits))
			goto fail;
	}
	free(w);
	t->lazy = NULL;
	return 0;
fail:
	free(w);
	drop_members(t);
	return -1;
}

/* ---- opening ---- */

/* The .BTF section of ELF file fd: its offset and size; the file's
 * pointer size. 0, or -1 with err set. */
static int elf_btf(int fd, uint64_t *off, uint64_t *size, unsigned *ptr,
		   char *err, size_t len, const char *path)
{
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int r = -1;

	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !(elf = elf_begin(fd, ELF_C_READ_MMAP, NULL))) {
		snprintf(err, len, "%s: not an ELF file wisp can read", path);
		return -1;
	}
	if (elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx)) {
		snprintf(err, len, "%s: not an ELF file wisp can read", path);
		goto out;
	}
	*ptr = gelf_getclass(elf) == ELFCLASS32 ? 4 : 8;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) ||
		    !(name = elf_strptr(elf, shstrndx, sh.sh_name)) || strcmp(name, ".BTF"))
			continue;
		if (sh.sh_type == SHT_NOBITS || (sh.sh_flags & SHF_COMPRESSED)) {
			snprintf(err, len, "%s: its .BTF section is %s", path,
				 sh.sh_type == SHT_NOBITS ? "empty" : "compressed");
			goto out;
		}
		*off = sh.sh_offset;
		*size = sh.sh_size;
		r = 0;
		goto out;
	}
	snprintf(err, len, "%s: an ELF file without a .BTF section (no BTF types; "
		 "build with CONFIG_DEBUG_INFO_BTF or pahole -J)", path);
out:
	elf_end(elf);
	return r;
}

static const struct ctype *src_find(struct ctype_source *s, enum ctype_kind kind,
				    const char *name);
static bool src_enum_const(struct ctype_source *s, const char *name, int64_t *value);
static const struct ctype *src_func(struct ctype_source *s, const char *name);

struct btf *btf_open(const char *path, struct btf *base, char *err, size_t len)
{
	struct btf *b = calloc(1, sizeof(*b));
	unsigned char magic[4];
	uint32_t h[6];
	struct stat st;
	uint64_t data;
	uint16_t m;

	if (!b || !(b->path = strdup(path))) {
		snprintf(err, len, "out of memory");
		free(b);
		return NULL;
	}
	b->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (b->fd < 0 || fstat(b->fd, &st)) {
		snprintf(err, len, "cannot open %s: %s", path, strerror(errno));
		goto fail;
	}
	b->size = (uint64_t)st.st_size;
	if (pread(b->fd, magic, 4, 0) == 4 && !memcmp(magic, "\177ELF", 4)) {
		if (elf_btf(b->fd, &b->start, &b->size, &b->ptr_size, err, len, path))
			goto fail;
		if (b->start + b->size > (uint64_t)st.st_size) {
			snprintf(err, len, "%s: its .BTF section is past the end of the file", path);
			goto fail;
		}
	}
	if (b->size < HDR_MIN || rd(b, 0, h, sizeof(h))) {
		snprintf(err, len, "%s: too short for BTF", path);
		goto fail;
	}
	memcpy(&m, h, 2);
	if (m != BTF_MAGIC_LE && m != BTF_MAGIC_SWAPPED) {
		snprintf(err, len, "%s: not BTF (bad magic)", path);
		goto fail;
	}
	b->swap = m == BTF_MAGIC_SWAPPED;
	if (((unsigned char *)h)[2] != 1) {
		snprintf(err, len, "%s: BTF version %u, wisp reads version 1", path,
			 ((unsigned char *)h)[2]);
		goto fail;
	}
	for (int i = 1; i < 6; i++)
		h[i] = get32(b, h[i]);
	/* hdr_len, type_off, type_len, str_off, str_len; offsets after the header */
	data = b->size;
	if (h[1] < HDR_MIN || h[1] > data ||
	    (uint64_t)h[2] + h[3] > data - h[1] || (uint64_t)h[4] + h[5] > data - h[1] ||
	    h[2] % 4 || h[3] % 4) {
		snprintf(err, len, "%s: BTF header with sections out of bounds", path);
		goto fail;
	}
	b->type_off = h[1] + h[2];
	b->type_len = h[3];
	b->str_off = h[1] + h[4];
	b->str_len = h[5];
	if (b->str_len) {
		char c;

		if (rd(b, (uint64_t)b->str_off + b->str_len - 1, &c, 1) || c) {
			snprintf(err, len, "%s: BTF strings not terminated", path);
			goto fail;
		}
	} else if (!base) {
		snprintf(err, len, "%s: BTF without strings", path);
		goto fail;
	}
	b->base = base;
	b->first_id = 1;
	if (base) {
		b->first_id = btf_ntypes(base);
		b->str_base = base->str_base + base->str_len;
	}
	b->err[0] = '\0';
	b->src = (struct ctype_source){ .name = b->path, .find = src_find,
					.enum_const = src_enum_const, .func = src_func,
					.complete = complete, .priv = b };
	return b;
fail:
	btf_close(b);
	return NULL;
}

void btf_close(struct btf *b)
{
	if (!b)
		return;
	/* the ctypes stay (they live as long as the process); structs whose
	 * members were not read yet stay without them */
	for (unsigned i = 0; i < b->conv_cap; i++) {
		struct ctype *t = (struct ctype *)b->conv[i].t;

		if (b->conv[i].id && t && t->lazy == &b->src)
			t->lazy = NULL;
	}
	if (b->fd >= 0)
		close(b->fd);
	drop_blocks(b);
	for (unsigned i = 0; i < b->nnames; i++)
		free(b->names[i].s);
	while (b->lookups) {
		struct lookup *l = b->lookups;

		b->lookups = l->next;
		free(l);
	}
	free(b->kept_name);
	free(b->names);
	free(b->conv);
	free(b->index);
	free(b->path);
	free(b);
}

/* ---- the kernel's ---- */

#define SYS_BTF "/sys/kernel/btf"

static bool btf_off(void)
{
	const char *e = getenv("WISP_BTF");

	return e && !strcmp(e, "none");
}

struct btf *btf_kernel(void)
{
	static struct btf *kernel;
	static bool tried;
	char err[256];

	if (tried)
		return kernel;
	tried = true;
	if (btf_off() || access(SYS_BTF "/vmlinux", R_OK))
		return NULL;
	if ((kernel = btf_open(SYS_BTF "/vmlinux", NULL, err, sizeof(err)))) {
		kernel->is_kernel = true;
		kernel->ptr_size = sizeof(void *);
		kernel->src.name = "the kernel's BTF";
	}
	return kernel;
}

struct module {
	struct module *next;
	struct btf *b; /* NULL: none */
	char name[];
};

static struct module *modules;

struct btf *btf_module(const char *name)
{
	struct btf *k = btf_kernel();
	struct module *m;
	char path[512], err[256];

	if (!k || !*name || strchr(name, '/') || !strcmp(name, "vmlinux") ||
	    strlen(name) > 256)
		return NULL;
	for (m = modules; m; m = m->next)
		if (!strcmp(m->name, name))
			return m->b;
	if (!(m = calloc(1, sizeof(*m) + strlen(name) + 1)))
		return NULL;
	strcpy(m->name, name);
	snprintf(path, sizeof(path), SYS_BTF "/%s", name);
	if (!access(path, R_OK) && (m->b = btf_open(path, k, err, sizeof(err))))
		m->b->ptr_size = sizeof(void *);
	m->next = modules;
	modules = m;
	return m->b;
}

/* Call fn for each module's BTF until it returns non-NULL. */
static const void *each_module(const void *(*fn)(struct btf *m, const void *arg),
			       const void *arg)
{
	DIR *d = opendir(SYS_BTF);
	struct dirent *e;
	const void *r = NULL;

	if (!d)
		return NULL;
	while (!r && (e = readdir(d))) {
		struct btf *m;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux"))
			continue;
		if ((m = btf_module(e->d_name)) && !(r = fn(m, arg)))
			drop_blocks(m);
	}
	closedir(d);
	return r;
}

struct found {
	unsigned kind;
	const char *name;
	uint32_t id;
};

static const void *module_id(struct btf *m, const void *arg)
{
	struct found *f = (struct found *)arg;

	f->id = find_own_kept(m, f->kind, f->name);
	return f->id ? m : NULL;
}

uint32_t btf_kernel_find(unsigned kind, const char *name, struct btf **in)
{
	struct btf *k = btf_kernel(), *m;
	struct found f = { kind, name, 0 };

	*in = NULL;
	if (!k || !name || !*name)
		return 0;
	if ((f.id = btf_find(k, kind, name))) {
		*in = k;
		return f.id;
	}
	if ((m = (struct btf *)each_module(module_id, &f)))
		*in = m;
	return m ? f.id : 0;
}

/* ---- the source ---- */

struct want {
	unsigned kind;
	const char *name;
	int64_t *value;
};

static const struct ctype *find_in(struct btf *b, bool own, unsigned kind, const char *name)
{
	uint32_t id = own ? find_own_kept(b, kind, name) : btf_find(b, kind, name);

	return id ? conv(b, id) : NULL;
}

static const void *module_find(struct btf *m, const void *arg)
{
	const struct want *w = arg;
	const struct ctype *t = find_in(m, true, w->kind, w->name);

	if (!t && w->kind == K_ENUM)
		t = find_in(m, true, K_ENUM64, w->name);
	return t;
}

static const struct ctype *src_find(struct ctype_source *s, enum ctype_kind kind,
				    const char *name)
{
	struct btf *b = s->priv;
	struct want w = { .name = name };
	const struct ctype *t;

	switch (kind) {
	case CT_STRUCT: w.kind = K_STRUCT; break;
	case CT_UNION: w.kind = K_UNION; break;
	case CT_ENUM: w.kind = K_ENUM; break;
	case CT_TYPEDEF: w.kind = K_TYPEDEF; break;
	default: return NULL;
	}
	t = find_in(b, false, w.kind, name);
	if (!t && w.kind == K_ENUM)
		t = find_in(b, false, K_ENUM64, name);
	if (!t && b->is_kernel)
		t = each_module(module_find, &w);
	return t;
}

/* The value of enum constant name among b's own enums. */
static bool enum_own(struct btf *b, const char *name, int64_t *value)
{
	uint32_t offs[2 * MAX_OFFS], h[3], at;
	unsigned n = names_find(b, name, offs, 2 * MAX_OFFS);
	struct cursor c = { b->first_id, 0 };

	if (!n)
		return false;
	while (next(b, &c, h, &at) == 1) {
		unsigned kind = KIND(h[1]), step = kind == K_ENUM64 ? 3 : 2;
		uint32_t *w;

		if (kind != K_ENUM && kind != K_ENUM64)
			continue;
		if (!(w = extra_words(b, at, h)))
			return false;
		for (unsigned i = 0; i < VLEN(h[1]); i++) {
			const uint32_t *v = w + i * step;

			if (!in(v[0], offs, n))
				continue;
			if (kind == K_ENUM64)
				*value = (int64_t)((uint64_t)v[2] << 32 | v[1]);
			else
				*value = KFLAG(h[1]) ? (int64_t)(int32_t)v[1] : (int64_t)v[1];
			free(w);
			return true;
		}
		free(w);
	}
	return false;
}

static const void *module_enum(struct btf *m, const void *arg)
{
	const struct want *w = arg;

	return enum_own(m, w->name, w->value) ? m : NULL;
}

bool btf_enum_const(struct btf *b, const char *name, int64_t *value)
{
	if (!b || !name || !*name)
		return false;
	if (b->base && btf_enum_const(b->base, name, value))
		return true;
	return enum_own(b, name, value);
}

static bool src_enum_const(struct ctype_source *s, const char *name, int64_t *value)
{
	struct btf *b = s->priv;
	struct want w = { .name = name, .value = value };

	if (btf_enum_const(b, name, value))
		return true;
	return b->is_kernel && each_module(module_enum, &w);
}

static const void *module_func(struct btf *m, const void *arg)
{
	const struct want *w = arg;
	uint32_t id = find_own_kept(m, K_FUNC, w->name);

	return id ? conv(m, id) : NULL;
}

static const struct ctype *src_func(struct ctype_source *s, const char *name)
{
	struct btf *b = s->priv;
	struct want w = { .name = name };
	uint32_t id = btf_find(b, K_FUNC, name);

	if (id)
		return conv(b, id);
	return b->is_kernel ? each_module(module_func, &w) : NULL;
}

struct ctype_source *btf_source(struct btf *b)
{
	return b ? &b->src : NULL;
}
