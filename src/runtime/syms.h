/* syms.h - user addresses to symbol names, through the process's
 * /proc/PID/maps and the ELF symbol tables of the files mapped there
 * (usyms.c); kernel addresses are sys/kallsyms.h's ksym_lookup.
 */
#ifndef WISP_SYMS_H
#define WISP_SYMS_H

#include <stdint.h>

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
