/* kallsyms.h - the kernel's symbols, from /proc/kallsyms (kallsyms.c):
 * one parser of its lines, and on it the views wisp needs: kernel
 * addresses to function names (stacks, ksym()), a name to its address
 * (kaddr()); the kprobe provider's function list (provider/kfuncs.c)
 * walks the lines itself.
 */
#ifndef WISP_SYS_KALLSYMS_H
#define WISP_SYS_KALLSYMS_H

#include <stdbool.h>
#include <stdint.h>

/* One symbol: its address (0 for every symbol when kptr_restrict hides
 * them), its type letter as nm prints it ('T', 't', 'W', 'D', ...), its
 * name, and its module without the brackets (NULL for the kernel's own
 * symbols). name and module live only for the call. Returns nonzero to
 * stop the walk. */
typedef int (*kallsyms_fn)(uint64_t addr, char type, const char *name,
			   const char *module, void *arg);

/* Call fn for each line "addr type name[\t[module]]" of kallsyms text,
 * in order; lines of another form are skipped. Returns what fn returned
 * last (0 when the text ended). */
int kallsyms_parse(const char *text, kallsyms_fn fn, void *arg);
/* The same for the file path (NULL: /proc/kallsyms). Returns -1 with
 * errno set when it cannot be read, else as kallsyms_parse. */
int kallsyms_read(const char *path, kallsyms_fn fn, void *arg);

/* Is type a text (code) symbol's? Weak ones count: the kernel runs them
 * when nothing overrides them. */
bool kallsyms_is_text(char type);

/* The kernel function containing addr, *off set to addr minus its start;
 * NULL when addr is below every known symbol or kallsyms is unreadable
 * (or shows only zero addresses, as it does to unprivileged users). The
 * first call reads /proc/kallsyms. */
const char *ksym_lookup(uint64_t addr, uint64_t *off);
/* Replace ksym_lookup's table with the text symbols of a kallsyms-format
 * file. Returns the number of symbols kept, or -1 if path cannot be
 * read. */
long ksym_load(const char *path);

/* The address of the first symbol called name, of any type (kaddr() of
 * functions and of data such as jiffies), in the kallsyms-format file
 * path (NULL: /proc/kallsyms). Returns whether it was found with an
 * address (kptr_restrict shows zeros). */
bool ksym_addr_file(const char *path, const char *name, uint64_t *addr);

#endif
