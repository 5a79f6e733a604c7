/* cdecl.h - C type names and declarations in wisp programs.
 *
 * Casts, sizeof and offsetof name C types ("struct sock *", "unsigned
 * long", "u32"); a program may declare its own structs, unions, enums
 * and typedefs, for kernels without BTF and for types BTF lacks. Types
 * are laid out by the target's C ABI: an LP64 kernel (x86_64, arm64,
 * riscv64) or ILP32 (32-bit ARM EABI: 4-byte pointers and long, 8-byte
 * aligned long long, and unnamed bitfields that align the struct as
 * named ones do).
 *
 * The parser reads a declaration into the small syntax tree below
 * (struct cdecl, one per top-level declaration, kept in struct program);
 * cdecl_declare, at the start of the semantic pass, lays each out and
 * registers it (ctype_register), so that program declarations take
 * priority over the type sources' (BTF) of the same name.
 *
 * An incomplete struct or union (declared "struct x;" and never defined,
 * or named only behind a pointer) is one of size 0 without members.
 */
#ifndef WISP_CDECL_H
#define WISP_CDECL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "ctype.h"
#include "diag.h"
#include "target.h"

struct node;
struct program;

/* ---- the syntax of declarations ---- */

enum cdecl_spec_kind { CDS_NAME, CDS_STRUCT, CDS_UNION, CDS_ENUM };

struct cdecl;
struct cdecl_enumerator;

/* A type specifier as written: "unsigned long", "u32", "struct x",
 * "struct x { ... }", "enum { A, B }". Qualifiers are dropped. */
struct cdecl_spec {
	enum cdecl_spec_kind kind;
	struct loc loc;          /* of its first word */
	char *name;              /* CDS_NAME: the words, one space apart;
	                          * else the tag, NULL when anonymous */
	bool body;               /* a '{ ... }' was given */
	struct cdecl *fields;    /* CDS_STRUCT, CDS_UNION: the members */
	struct cdecl_enumerator *consts; /* CDS_ENUM */
	const struct ctype *type; /* filled by cdecl_declare */
};

enum cdecl_op_kind { CDO_PTR, CDO_ARRAY, CDO_FUNC };

/* One derivation of a declarator, applied to the base type in order:
 * "int *a[3]" is ARRAY(3) of PTR of int: ops PTR, ARRAY. */
struct cdecl_op {
	enum cdecl_op_kind kind;
	struct loc loc;
	struct node *len;        /* CDO_ARRAY: the length; NULL: [] */
};

struct cdecl_declarator {
	struct loc loc;          /* of the name, or of where it would be */
	char *name;              /* NULL: abstract, or an unnamed bitfield */
	unsigned nops;
	struct cdecl_op *ops;
	struct node *bits;       /* a bitfield's width; NULL: not one */
	struct cdecl_declarator *next;
};

struct cdecl_enumerator {
	struct loc loc;
	char *name;
	struct node *value;      /* NULL: the previous one's plus 1 */
	struct cdecl_enumerator *next;
};

/* "[typedef] spec [declarator {',' declarator}] ';'": a top-level
 * declaration, or one member declaration of a struct or union (decls
 * NULL: an anonymous struct or union member). */
struct cdecl {
	struct loc loc;
	bool is_typedef;
	struct cdecl_spec *spec;
	struct cdecl_declarator *decls;
	struct cdecl *next;
};

/* Free a list of declarations (and the expressions in them). */
void cdecl_free(struct cdecl *d);
void cdecl_spec_free(struct cdecl_spec *s);
void cdecl_declarator_free(struct cdecl_declarator *d);

/* Lay out and register the program's declarations for target t, in
 * order (each may use the ones before it and the type sources').
 * Errors are reported located; returns their number. */
int cdecl_declare(struct program *prog, const struct target *t);

/* --dump=ast: the declarations with their computed layout. */
void cdecl_dump(const struct cdecl *d, FILE *out);

/* ---- type names ---- */

/* The C type that text names: a base type (an integer spelled as in C
 * or as wisp's int8..uint64, struct/union/enum TAG, a typedef name),
 * qualifiers ignored, then any '*' and [N]. Names are looked up among
 * the registered types, then the type sources. NULL with why (a
 * sentence naming the type) in err[len]. */
const struct ctype *cdecl_typename(const char *text, const struct target *t,
				   char *err, size_t len);

/* Is name a word of C's integer types or a qualifier ("unsigned",
 * "const", "int")? */
bool cdecl_is_keyword(const char *name);
/* Is name a typedef every kernel has ("u32", "size_t", "pid_t"), or one
 * of wisp's integer names ("uint32")? The parser takes "(NAME)" before
 * an operand for a cast when NAME is one (see parse_at_cast). */
bool cdecl_is_common_typedef(const char *name);

/* "no type 'struct foo': ..." saying where types can come from (the
 * program's declarations, the sources of ctype_sources()), into
 * buf[len]; returns buf. what: "struct foo", "u32". */
const char *cdecl_no_type(const char *what, char *buf, size_t len);

/* Bytes of a pointer and of a long on the target. */
unsigned cdecl_ptr_size(const struct target *t);
/* The alignment of t on the target, in bytes. */
unsigned cdecl_align(const struct ctype *ct, const struct target *t);

/* sizeof(ct): 0 with why in err when it has none (void, a function,
 * an incomplete struct). */
int cdecl_sizeof(const struct ctype *ct, uint64_t *size, char *err, size_t len);
/* offsetof(ct, path), path "a.b[2].c": through nested and anonymous
 * members and array elements. Returns 0, or -1 with why in err. */
int cdecl_offsetof(const struct ctype *ct, const char *path, uint64_t *off,
		   char *err, size_t len);

#endif
