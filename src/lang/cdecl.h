/* cdecl.h - C type names and declarations in wisp programs.
 *
 * Casts, sizeof and offsetof name C types ("struct sock *", "unsigned
 * long", "u32"); a program may declare its own structs, unions, enums
 * and typedefs, for kernels without BTF and for types BTF lacks. Types
 * are laid out by the target's C ABI: an LP64 kernel (x86_64, arm64,
 * riscv64) or ILP32 (32-bit ARM: 4-byte pointers and long, 8-byte
 * aligned long long).
 */
#ifndef WISP_CDECL_H
#define WISP_CDECL_H

#include <stddef.h>
#include "ctype.h"
#include "target.h"

/* The C type that text names: a base type (an integer spelled as in C
 * or as wisp's int8..uint64, struct/union/enum TAG, a typedef name),
 * qualifiers ignored, then any '*' and [N]. Names are looked up among
 * the registered types, then the type sources. NULL with why (a
 * sentence naming the type) in err[len]. */
const struct ctype *cdecl_typename(const char *text, const struct target *t,
				   char *err, size_t len);

/* Bytes of a pointer and of a long on the target. */
unsigned cdecl_ptr_size(const struct target *t);

#endif
