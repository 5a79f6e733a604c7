/* kallsyms.h - the kernel's symbols, from /proc/kallsyms (kallsyms.c):
 * kernel addresses to function names (stacks, ksym()).
 */
#ifndef WISP_SYS_KALLSYMS_H
#define WISP_SYS_KALLSYMS_H

#include <stdint.h>

/* The kernel function containing addr, *off set to addr minus its start;
 * NULL when addr is below every known symbol or kallsyms is unreadable
 * (or shows only zero addresses, as it does to unprivileged users). The
 * first call reads /proc/kallsyms. */
const char *ksym_lookup(uint64_t addr, uint64_t *off);
/* Replace ksym_lookup's table with the text symbols of a kallsyms-format
 * file. Returns the number of symbols kept, or -1 if path cannot be
 * read. */
long ksym_load(const char *path);

#endif
