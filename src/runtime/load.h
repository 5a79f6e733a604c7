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

/* Kernels before 5.11 charge BPF maps and programs to RLIMIT_MEMLOCK,
 * later ones to the memory cgroup. Lift the limit: to infinity where
 * allowed (CAP_SYS_RESOURCE), else to the hard limit. */
void load_raise_memlock(void);

/* After an EPERM from bpf(): why, when the locked-memory limit may be
 * the reason (a kernel before 5.11 and a finite limit), else NULL. */
const char *load_memlock_hint(void);

#endif
