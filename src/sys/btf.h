/* btf.h - wisp's own reader of BTF, the kernel's type information.
 *
 * Reads raw BTF (/sys/kernel/btf/vmlinux, a module's split BTF on top of
 * it, a raw file) or the .BTF section of an ELF file. The data is read
 * on demand through a small cache, never whole: a program that uses one
 * struct does not pay for all of vmlinux, in time or in memory. Types
 * become ctypes (lang/ctype.h) when first asked for; a struct's members
 * are read when first used.
 */
#ifndef WISP_SYS_BTF_H
#define WISP_SYS_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;
struct ctype;
struct ctype_source;

/* Open path: raw BTF, or an ELF file's .BTF section. base: NULL, or the
 * BTF a split BTF (a module's) builds on, which must outlive it. NULL
 * with why (a sentence) in err[len]. */
struct btf *btf_open(const char *path, struct btf *base, char *err, size_t len);
/* Close b; the ctypes made from it stay, those whose members were not
 * read yet without members. */
void btf_close(struct btf *b);

/* The running kernel's vmlinux BTF, opened once; NULL when the kernel
 * has none or WISP_BTF=none says to behave as if it had none. */
struct btf *btf_kernel(void);
/* The BTF of kernel module name (/sys/kernel/btf/NAME, split on
 * btf_kernel()), opened once; NULL when there is none. */
struct btf *btf_module(const char *name);
/* The type of kind named name in the running kernel: vmlinux first, then
 * each module's BTF; *in receives the BTF that has it (its id is in
 * that BTF's numbering, as the kernel's). 0 (and *in NULL) when none. */
uint32_t btf_kernel_find(unsigned kind, const char *name, struct btf **in);

/* The number of types (ids 1..n-1; a split BTF's ids continue its
 * base's) and the first id that is this BTF's own. */
uint32_t btf_ntypes(const struct btf *b);
uint32_t btf_first_id(const struct btf *b);

/* The id of the type of BTF kind (BTF_KIND_STRUCT, BTF_KIND_FUNC, ...)
 * named name, searching b (and its base); 0 when there is none. */
uint32_t btf_find(struct btf *b, unsigned kind, const char *name);
/* The kind, name and (for FUNC, TYPEDEF, PTR...; ARRAY: the element)
 * referenced type id of type id; false when id is out of range. The name
 * stays valid as long as b ("" when anonymous). */
bool btf_type_info(struct btf *b, uint32_t id, unsigned *kind,
		   const char **name, uint32_t *ref);
/* Call fn for each type of kind in b itself (not its base), in id order,
 * until it returns non-zero (which is returned); 0 at the end. name is
 * valid during the call only. */
int btf_each(struct btf *b, unsigned kind,
	     int (*fn)(uint32_t id, const char *name, void *arg), void *arg);

/* Type id as a ctype (structs and unions complete lazily); NULL when id
 * is out of range or memory runs out. */
const struct ctype *btf_ctype(struct btf *b, uint32_t id);
/* The value of enum constant name among b's enums (and its base's). */
bool btf_enum_const(struct btf *b, const char *name, int64_t *value);

/* The first malformation of the data met so far (a sentence), or NULL:
 * lookups in malformed BTF answer "none" and say why here. */
const char *btf_error(const struct btf *b);
/* The path b was opened from. */
const char *btf_path(const struct btf *b);

/* A ctype_source over b (ctype_add_source): find, enum_const, func. */
struct ctype_source *btf_source(struct btf *b);


#endif
