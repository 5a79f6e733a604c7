/* dwarf.h - C types and function prototypes from a file's DWARF, through
 * libdw (optional: without it every call fails with a sentence saying so).
 *
 * Two uses: a vmlinux with debug info is a type source where the kernel
 * has no BTF (--kernel-debuginfo FILE, or the usual debug paths), and a
 * user binary's DWARF names and types a uprobe's arguments.
 *
 * Nothing is read up front: a lookup walks the top-level entries of one
 * compile unit after another, indexing the named types, functions and
 * enum constants it passes, until it has the name asked for; the next
 * lookup goes on from there. A struct's members are read when first used.
 * Structs, unions, enums and typedefs are one ctype per name (vmlinux
 * repeats each in every unit that includes its header).
 */
#ifndef WISP_SYS_DWARF_H
#define WISP_SYS_DWARF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang/ctype.h"

struct dwinfo;

/* Was wisp built with libdw? */
bool dwinfo_supported(void);

/* The DWARF of the ELF file path: its own sections, else a separate debug
 * file found by build id or .gnu_debuglink under /usr/lib/debug. Pointers
 * point into memory as (AS_KERNEL for a vmlinux, AS_USER for a program).
 * NULL with why (a sentence) in err[len]. Open for the process's life:
 * the types it makes refer to it. */
struct dwinfo *dwinfo_open(const char *path, enum addr_space as, char *err,
			   size_t len);
void dwinfo_close(struct dwinfo *d); /* tests only: its types go stale */
/* The file the DWARF was read from (path, or its debug file). */
const char *dwinfo_path(const struct dwinfo *d);

/* A ctype_source over d (ctype_add_source): find, enum_const, func. */
struct ctype_source *dwinfo_source(struct dwinfo *d);

/* The running kernel's vmlinux with debug info at the usual paths
 * (/usr/lib/debug/boot/vmlinux-RELEASE,
 * /usr/lib/debug/lib/modules/RELEASE/vmlinux): a static buffer, or NULL. */
const char *dwinfo_kernel_path(void);

/* The prototype of function name whose code starts at addr (the ELF
 * virtual address of its symbol; 0: the first of that name): a CT_FUNC
 * whose members are the parameters in order. *nocall is set when the
 * compiler changed its calling convention (a local function GCC
 * optimised: its parameters are not where the ABI puts them). NULL when
 * the DWARF does not describe it. */
const struct ctype *dwinfo_func_at(struct dwinfo *d, const char *name,
				   uint64_t addr, bool *nocall);

/* Counters of the work done so far, for tests and measurements: compile
 * units whose top-level entries were indexed, names in the index, struct
 * members read. */
struct dwinfo_stats {
	unsigned long units_indexed, names, members;
};
void dwinfo_stats(const struct dwinfo *d, struct dwinfo_stats *st);

#endif
