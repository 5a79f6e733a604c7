/* load.h - loading a program into the kernel, explaining rejections. */
#ifndef WISP_LOAD_H
#define WISP_LOAD_H

#include "../bpfasm/bpfasm.h"
#include "../provider/provider.h"

/* Load p (maps already relocated) as pi's program; sets pi->prog_fd.
 * On rejection, reports the source line of the offending instruction and
 * the verifier's last lines. Returns 0 or -1. */
int load_program(struct probe_inst *pi, const struct asm_prog *p);

/* The BTF (fd, loaded once) whose FUNC types 4 (the main program) and 5
 * (a static callback) describe a program's subprograms; -1 with errno
 * when the kernel takes no BTF. */
int load_func_btf(void);

#endif
