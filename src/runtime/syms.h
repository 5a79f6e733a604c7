/* syms.h - addresses to symbol names: kernel addresses through
 * /proc/kallsyms (ksyms.c), user addresses through the process's
 * /proc/PID/maps and the ELF symbol tables of the files mapped there
 * (usyms.c). Both read what they need on first use and keep it.
 */
#ifndef WISP_SYMS_H
#define WISP_SYMS_H

#include <stdint.h>

/* The kernel function containing addr, *off set to addr minus its start;
 * NULL when addr is below every known symbol or kallsyms is unreadable
 * (or shows only zero addresses, as it does to unprivileged users). The
 * first call reads /proc/kallsyms. */
const char *ksym_lookup(uint64_t addr, uint64_t *off);
/* Replace the table with the text symbols of a kallsyms-format file.
 * Returns the number of symbols kept, or -1 if path cannot be read. */
long ksym_load(const char *path);

/* The mappings of one process, read once from /proc/PID/maps: open it
 * once for all the frames of a stack. */
struct usym_proc;
/* NULL when the process is gone (or pid is 0). */
struct usym_proc *usym_proc_open(int pid);
void usym_proc_close(struct usym_proc *p);
/* The symbol containing addr in that process, *off as for ksym_lookup;
 * NULL when addr is in no file mapping or no symbol covers it. The
 * symbols of each ELF file are read once and cached by path and inode. */
const char *usym_proc_lookup(struct usym_proc *p, uint64_t addr, uint64_t *off);
/* One address: open, look up, close. The name stays valid until exit. */
const char *usym_lookup(int pid, uint64_t addr, uint64_t *off);

#endif
