/* ctype.h - the C types of the data a program reads: the kernel's (from
 * BTF or DWARF), a tracepoint's fields, declarations in the program.
 *
 * Types are interned in one table and compared by pointer: integers,
 * pointers and arrays of the same shape are one type; each struct, union
 * and enum is its own, found by name. A language value (type.h) that
 * points at or holds such data refers to its ctype.
 */
#ifndef WISP_CTYPE_H
#define WISP_CTYPE_H

#include <stdbool.h>
#include <stdint.h>

/* Address space a pointer points into: decides probe_read_user vs _kernel.
 * AS_ANY (kprobe arguments: either) uses the compat helper that tries
 * both, where the architecture has it. */
enum addr_space { AS_KERNEL, AS_USER, AS_ANY };

enum ctype_kind {
	CT_VOID,
	CT_INT,     /* size 1, 2, 4, 8; is_signed; char is an int of size 1 */
	CT_PTR,     /* ref: the pointee (void when unknown); as: its memory */
	CT_ARRAY,   /* ref: the element; len elements (0: flexible) */
	CT_STRUCT,
	CT_UNION,
	CT_ENUM,    /* an integer of size bytes with named constants */
	CT_TYPEDEF, /* name for ref */
	CT_FUNC,    /* a function prototype: ref is its return type, members
	             * its parameters (offsets unused) */
	CT_DATALOC, /* a tracepoint's __data_loc field: a u32 (len << 16 |
	             * offset) locating ref[] in the record */
};

struct ctype;

struct cmember {
	const char *name;        /* "" for an anonymous struct or union */
	const struct ctype *type;
	unsigned offset;         /* bytes from the start of the aggregate */
	unsigned bit_off;        /* bitfields: bits from offset (little
	                          * endian numbering); 0 otherwise */
	unsigned bit_size;       /* bitfields: width in bits; 0: not one */
};

struct cconst {
	const char *name;
	int64_t value;
};

struct ctype {
	enum ctype_kind kind;
	const char *name;        /* struct/union/enum tag, typedef or int
	                          * name; NULL when anonymous */
	unsigned size;           /* bytes (arrays: len * element) */
	bool is_signed;          /* CT_INT, CT_ENUM */
	enum addr_space as;      /* CT_PTR */
	const struct ctype *ref; /* CT_PTR, CT_ARRAY, CT_TYPEDEF, CT_FUNC,
	                          * CT_DATALOC */
	unsigned len;            /* CT_ARRAY */
	unsigned nmembers;       /* CT_STRUCT, CT_UNION, CT_FUNC */
	struct cmember *members;
	unsigned nconsts;        /* CT_ENUM */
	struct cconst *consts;
	/* A struct or union whose members its source has not read yet
	 * (BTF types are read when first used): lazy->complete() fills
	 * them the first time anything looks at members. NULL: complete. */
	struct ctype_source *lazy;
	uint32_t lazy_id;        /* the source's own id of the type */
};

/* A source of named types beyond the registered ones (declarations in
 * the program): the kernel's BTF, DWARF of vmlinux or of a binary.
 * main installs them (lang/ never opens a file); lookups ask the
 * registered types first, then each source in the order added. Any hook
 * may be NULL. */
struct ctype_source {
	const char *name;        /* for messages: "the kernel's BTF" */
	/* The named struct, union, enum or typedef (kind), or NULL. */
	const struct ctype *(*find)(struct ctype_source *s, enum ctype_kind kind,
				    const char *name);
	/* The value of the enum constant name; false when it has none. */
	bool (*enum_const)(struct ctype_source *s, const char *name,
			   int64_t *value);
	/* The prototype (CT_FUNC: ref the return type, members the
	 * parameters) of the function name, or NULL. */
	const struct ctype *(*func)(struct ctype_source *s, const char *name);
	/* Fill the members of t (t->lazy == s), then t->lazy = NULL.
	 * Returns 0, or -1 (t stays without members). */
	int (*complete)(struct ctype_source *s, struct ctype *t);
	void *priv;
};

/* Add a source at the end of the list / forget all of them (tests). */
void ctype_add_source(struct ctype_source *s);
void ctype_clear_sources(void);
/* The sources added, for messages ("types come from ..."): NULL-ended
 * list in order; NULL when there is none. */
struct ctype_source *const *ctype_sources(void);
/* The prototype of function name from the first source that has it. */
const struct ctype *ctype_func(const char *name);
/* The members of a struct, union or function (read from its source
 * first if they were not yet); *n receives their number. */
const struct cmember *ctype_members(const struct ctype *t, unsigned *n);

const struct ctype *ctype_void(void);
const struct ctype *ctype_int(unsigned size, bool is_signed);
const struct ctype *ctype_char(void);
/* A pointer of size bytes (8, or 4 in a 32-bit tracepoint record). */
const struct ctype *ctype_ptr(const struct ctype *to, enum addr_space as,
			      unsigned size);
const struct ctype *ctype_array(const struct ctype *elem, unsigned len);
const struct ctype *ctype_dataloc(const struct ctype *elem);
const struct ctype *ctype_typedef(const char *name, const struct ctype *to);

/* A new struct or union (or function prototype) to fill with
 * ctype_add_member, then ctype_register to find it by name. NULL when out
 * of memory. */
struct ctype *ctype_new(enum ctype_kind kind, const char *name, unsigned size);
/* Free a type ctype_new made (never registered): its name, members and
 * constants, not the types they refer to. NULL is nothing. */
void ctype_free(struct ctype *t);
/* Append a member; bit_size 0 for a plain member. Returns 0 or -1. */
int ctype_add_member(struct ctype *agg, const char *name, const struct ctype *type,
		     unsigned offset, unsigned bit_off, unsigned bit_size);
/* Append an enum constant. Returns 0 or -1. */
int ctype_add_const(struct ctype *e, const char *name, int64_t value);
/* Make a named struct, union, enum or typedef findable by
 * ctype_find(kind, name); a later one of the same name replaces it. An
 * anonymous enum (name NULL) is kept for ctype_enum_const only. */
void ctype_register(const struct ctype *t);
/* Forget every registered type (the fuzz target, between programs):
 * they stay allocated, as values may refer to them. */
void ctype_forget_registered(void);
/* The registered type, else the first source's (see ctype_source). */
const struct ctype *ctype_find(enum ctype_kind kind, const char *name);

/* A struct, union or enum known by name only (a forward declaration,
 * a tracepoint field's "struct sock *"): interned, size 0, no members;
 * ctype_definition() finds its definition when it is used. */
const struct ctype *ctype_fwd(enum ctype_kind kind, const char *name);
/* t under typedefs, and for a forward-declared struct, union or enum
 * the definition of that name if one is known (else t itself). */
const struct ctype *ctype_definition(const struct ctype *t);

/* The type under any typedefs. */
const struct ctype *ctype_resolve(const struct ctype *t);
/* The member name of a struct or union, looking into anonymous members;
 * *offset receives its offset from the start of agg (the sum of the
 * anonymous members' offsets and its own). NULL when there is none. */
const struct cmember *ctype_member(const struct ctype *agg, const char *name,
				   unsigned *offset);
/* The value of enum constant name among the registered enums, then
 * the sources'. */
bool ctype_enum_const(const char *name, int64_t *value);
/* The member names of agg, for "did you mean": up to max into names. */
unsigned ctype_member_names(const struct ctype *agg, const char **names,
			    unsigned max);
/* Is t, through typedefs, an integer or enum / a pointer / a char? */
bool ctype_is_int(const struct ctype *t);
bool ctype_is_ptr(const struct ctype *t);
bool ctype_is_char(const struct ctype *t);
/* How a value of type t is read as a language value: an integer, an
 * address, a string inside the data (char[N]), a tracepoint's
 * __data_loc string, bytes (any other array), or not yet (a struct). */
enum ctype_class { CC_INT, CC_PTR, CC_CHARS, CC_DATALOC, CC_BYTES, CC_OTHER };
enum ctype_class ctype_classify(const struct ctype *t);
/* "struct sock *", "unsigned int", "char[16]" into buf; returns buf. */
const char *ctype_name(const struct ctype *t, char *buf, unsigned len);

#endif
