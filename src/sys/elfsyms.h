/* elfsyms.h - reading user binaries: finding a library or program the
 * way the dynamic linker and the shell do (libpath.c), and the symbols of
 * an ELF file with the file offsets the kernel's uprobes want
 * (elfsyms.c). The uprobe provider, uaddr() and user stack symbols
 * (runtime/usyms.c) read binaries through these; the unit tests too.
 *
 * Not "elf.h": with -I src, <sys/elf.h> would find it instead of libc's.
 */
#ifndef WISP_SYS_ELFSYMS_H
#define WISP_SYS_ELFSYMS_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- libpath.c ---- */

/* Does the file name (a basename: "libc.so.6") answer to the library
 * name a user wrote? "libc", "c", "libc.so" and "libc.so.6" all name
 * libc.so.6; "libc" does not name libcrypt.so.1. */
bool lib_name_matches(const char *want, const char *file);

/* Call fn(key, path, arg) for each entry of an ld.so.cache image (the
 * "glibc-ld.so.cache1.1" format, with or without the old "ld.so-1.7.0"
 * table before it), in the cache's order, until fn returns non-zero.
 * Returns fn's value, 0 at the end, or -1 when the image is not a cache
 * wisp understands. */
int lib_cache_walk(const void *data, size_t len,
		   int (*fn)(const char *key, const char *path, void *arg),
		   void *arg);

/* The path of the library name (as lib_name_matches takes it), for this
 * machine's architecture: from the cache file (NULL: /etc/ld.so.cache),
 * then the standard directories. Returns a malloc'd path, or NULL. */
char *lib_find(const char *cache_file, const char *name);

/* The file a uprobe spec's target names, as an absolute path: a path
 * (with a '/') as is; else a program in $PATH, a library mapped by pid
 * (when not 0), then lib_find. Returns a malloc'd path, or NULL with
 * errno set (ENOENT: nothing found). */
char *lib_resolve_target(const char *target, int pid);

/* ---- elfsyms.c ---- */

struct elf_sym {
	char *name;                /* without "@VERSION" */
	unsigned long long addr;   /* st_value: the ELF virtual address */
	unsigned long long size;   /* st_size */
	unsigned long long offset; /* in the file: what uprobes take */
	bool ifunc;                /* STT_GNU_IFUNC: addr is the resolver */
};

struct elf_syms {
	struct elf_sym *v; /* sorted by name, then address */
	size_t n;
};

/* Call fn for each defined symbol (not undefined, address not 0, a name)
 * of the .symtab and .dynsym of e, with its name, the symbol and its
 * table's type (SHT_SYMTAB or SHT_DYNSYM); fn returns nonzero to stop.
 * Returns what fn returned last (0 when the tables ended). */
int elf_each_sym(Elf *e, int (*fn)(const char *name, const GElf_Sym *sym,
				   unsigned table, void *ctx), void *ctx);

/* The defined functions of an ELF executable or shared object, from
 * .symtab and .dynsym, one per (name, address). Returns 0, or -1 with
 * errno set: ENOENT and the like from open, ENOEXEC when path is not an
 * ELF file wisp can read. */
int elf_syms_load(const char *path, struct elf_syms *syms);
void elf_syms_free(struct elf_syms *syms);

/* The file offset of a virtual address in code, through the executable
 * PT_LOAD program headers. Returns 0, or -1 with errno set (ERANGE: no
 * executable segment holds vaddr). */
int elf_vaddr_to_offset(const char *path, unsigned long long vaddr,
			unsigned long long *offset);

/* The symbols whose name keep(name, arg) accepts, one per file offset
 * (aliases such as malloc and __libc_malloc give one: the shortest
 * name). *out is a malloc'd array of pointers into syms, sorted by name;
 * returns how many, or -1 when out of memory. */
long elf_syms_filter(const struct elf_syms *syms,
		     bool (*keep)(const char *name, const void *arg),
		     const void *arg, const struct elf_sym ***out);

/* The address (st_value) of the defined symbol name, a function or data,
 * in path; *load_vaddr is where its first segment wants to be loaded
 * and *pie says whether the file is position-independent (ET_DYN: the
 * addresses move). Returns 0, or -1 with errno set (ENOENT: no such
 * symbol). */
int elf_sym_lookup(const char *path, const char *name, unsigned long long *vaddr,
		   unsigned long long *load_vaddr, bool *pie);
/* Where process pid has mapped the start of the file path (the mapping
 * of file offset 0), from /proc/PID/maps. Returns 0, or -1 with errno. */
int elf_map_base(int pid, const char *path, unsigned long long *base);

/* The function holding addr (for "uprobe:/bin/x:0x1234"'s func), or NULL. */
const struct elf_sym *elf_syms_at(const struct elf_syms *syms,
				  unsigned long long addr);

#endif
