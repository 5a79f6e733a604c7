/* uprobe.h - what the uprobe provider shares beyond its provider entry:
 * the binary an instance probes (for uaddr()) and the functions a
 * wildcard names. Reading the binaries themselves is sys/elfsyms.h's.
 */
#ifndef WISP_UPROBE_H
#define WISP_UPROBE_H

#include "../sys/elfsyms.h"

struct probe_inst;


/* The symbols of syms whose name matches the glob pattern (as
 * provider_glob reads it), one per file offset, as elf_syms_filter
 * gives them. */
long uprobe_syms_match(const struct elf_syms *syms, const char *pattern,
		       const struct elf_sym ***out);

#endif
