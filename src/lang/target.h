/* target.h - what the compiler knows of the machine it compiles for.
 *
 * Compiling is a function of the program and a target: the kernel's
 * features, the architecture's register layout, the pid -p and -c give,
 * the string size, the tracepoint formats and the symbol lookups. main
 * builds the target once, probed on the running kernel
 * (runtime/target.c) or read from a description (target_parse: test
 * fixtures, an old kernel's feature set); nothing in lang/ or ir/ asks the
 * kernel, the environment or a file itself.
 */
#ifndef WISP_TARGET_H
#define WISP_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a register-based context (struct pt_regs for kprobes, uprobes,
 * profile) keeps the arguments, the return value and the instruction
 * pointer, for one architecture. regs.c has x86_64, aarch64, arm and
 * riscv64; regs_native() is the one wisp was built for. */
struct regs_layout {
	const char *arch;     /* uname -m */
	unsigned nargs;       /* arguments passed in registers */
	unsigned arg_off[8];  /* offsetof(struct pt_regs, <arg i>) */
	unsigned ret_off;     /* the return value register */
	unsigned ip_off, sp_off;
	unsigned lr_off;      /* the link register, where a call leaves the
	                       * return address; 0: it is pushed at *sp */
	unsigned size;        /* bytes of one register: 8, or 4 on arm */
};
const struct regs_layout *regs_native(void);
const struct regs_layout *regs_for(const char *arch); /* NULL if unknown */

/* What the kernel offers that changes the code wisp emits. */
enum target_feature {
	TF_RINGBUF,       /* BPF_MAP_TYPE_RINGBUF (5.8+); else a perf buffer */
	TF_COMPAT_READ,   /* bpf_probe_read(_str), which reads user or kernel
	                   * memory (x86_64; not arm64 5.5+) */
	TF_FOR_EACH,      /* bpf_for_each_map_elem with callbacks (5.13+) */
	TF_PERCPU_LOOKUP, /* bpf_map_lookup_percpu_elem (5.19+) */
	TF_COUNT
};

#define TARGET_STR_DEFAULT 64 /* str() buffer size, like bpftrace's default */
#define TARGET_STR_MAX 1024   /* beyond the stack, buffers go to a scratch map */

struct target {
	const struct regs_layout *regs; /* NULL: an architecture wisp does not
	                                 * know (argN and retval refused) */
	/* Each feature: 1 the kernel has it, 0 it has not, -1 ask probe(),
	 * which tries it on the running kernel once, when a program first
	 * needs to know (a probe loads a program: start-up pays only for
	 * the features the program uses). */
	signed char have[TF_COUNT];
	bool (*probe)(enum target_feature f);
	unsigned strlen;    /* bytes of a str() buffer, the NUL included */
	int pid;            /* -p PID: every event probe filters on it; 0 */
	int cpid;           /* the -c command's pid; -1 when it is not run
	                     * (--dump, --dry-run); 0 without -c */
	uint64_t start_ns;  /* CLOCK_MONOTONIC at start: elapsed's origin */
	char *tracefs;      /* where tracepoint formats are read (malloc'd):
	                     * a fixture directory; NULL: the tracefs mount */
	char *kallsyms;     /* kernel symbols (malloc'd): a fixture file;
	                     * NULL: /proc/kallsyms */
	char *btf;          /* the kernel's types (malloc'd): a BTF file, raw
	                     * or an ELF's .BTF, main opens it; NULL: the
	                     * running kernel's, if any (a description: none) */
	/* The address of kernel symbol name (kaddr). Returns 0, or -1 with
	 * why (a sentence) in err[len]. */
	int (*kernel_sym)(const struct target *t, const char *name,
			  uint64_t *addr, char *err, size_t len);
	/* The address of symbol name in the ELF file path as the process
	 * t->pid maps it (uaddr): the link-time address for a fixed
	 * executable, else the load base of -p PID added. Returns 0, -1
	 * when the file has no such symbol, or -2 when the process has no
	 * address for it; why in err[len]. */
	int (*user_sym)(const struct target *t, const char *path,
			const char *name, uint64_t *addr, char *err, size_t len);
};

/* Read a target description: lines "KEY VALUE...", '#' comments:
 *     arch x86_64|aarch64|arm|riscv64
 *     features ringbuf compat_read for_each percpu_lookup  (those present)
 *     strlen N
 *     pid N, cpid N, start_ns N
 *     tracefs DIR, kallsyms FILE, btf FILE  (relative to dir)
 * Keys not given keep t's values (start from target_default()). Returns
 * 0, or -1 with a malloc'd message in *err naming the line. */
int target_parse(struct target *t, const char *text, const char *dir,
		 char **err);
void target_free(struct target *t);
/* The target of the build machine's architecture with every feature,
 * the default string size and no processes. */
struct target target_default(void);
/* Does the target's kernel have feature f? */
bool target_has(const struct target *t, enum target_feature f);

#endif
