/* regs.c - where struct pt_regs keeps arguments and return values.
 *
 * kprobes, uprobes and perf events hand BPF a struct pt_regs (arm64: its
 * user_pt_regs prefix). The offsets below are the kernel's uapi layouts;
 * every architecture's table is compiled everywhere, so a table that
 * cannot be run on the build machine is at least kept building, and
 * regs_native() picks the build target's.
 */
#include <string.h>

#include "target.h"

static const struct regs_layout layouts[] = {
	{
		/* arch/x86/include/uapi/asm/ptrace.h: r15 r14 r13 r12 bp bx
		 * r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss */
		.arch = "x86_64",
		.nargs = 6,
		.arg_off = { 112, 104, 96, 88, 72, 64 }, /* di si dx cx r8 r9 */
		.ret_off = 80,                            /* ax */
		.ip_off = 128,
		.sp_off = 152,
		.lr_off = 0, /* the return address is at *sp on entry */
		.size = 8,
	},
	{
		/* arch/arm64/include/uapi/asm/ptrace.h: regs[31] sp pc pstate */
		.arch = "aarch64",
		.nargs = 8,
		.arg_off = { 0, 8, 16, 24, 32, 40, 48, 56 }, /* x0..x7 */
		.ret_off = 0,                                 /* x0 */
		.ip_off = 256,
		.sp_off = 248,
		.lr_off = 240, /* x30 */
		.size = 8,
	},
	{
		/* arch/arm/include/uapi/asm/ptrace.h: uregs[18], r0..r15 first */
		.arch = "arm",
		.nargs = 4,
		.arg_off = { 0, 4, 8, 12 }, /* r0..r3 */
		.ret_off = 0,               /* r0 */
		.ip_off = 60,               /* pc = uregs[15] */
		.sp_off = 52,               /* sp = uregs[13] */
		.lr_off = 56,               /* lr = uregs[14] */
		.size = 4,
	},
	{
		/* arch/riscv/include/asm/ptrace.h: epc ra sp gp tp t0 t1 t2 s0
		 * s1 a0..a7 ... */
		.arch = "riscv64",
		.nargs = 8,
		.arg_off = { 80, 88, 96, 104, 112, 120, 128, 136 }, /* a0..a7 */
		.ret_off = 80,                                        /* a0 */
		.ip_off = 0,                                          /* epc */
		.sp_off = 16,
		.lr_off = 8,                                          /* ra */
		.size = 8,
	},
};

const struct regs_layout *regs_for(const char *arch)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (!strcmp(layouts[i].arch, arch))
			return &layouts[i];
	/* uname -m spellings of 32-bit arm */
	if (!strncmp(arch, "armv", 4))
		return regs_for("arm");
	return NULL;
}

const struct regs_layout *regs_native(void)
{
#if defined(__x86_64__)
	return regs_for("x86_64");
#elif defined(__aarch64__)
	return regs_for("aarch64");
#elif defined(__arm__)
	return regs_for("arm");
#elif defined(__riscv) && __riscv_xlen == 64
	return regs_for("riscv64");
#else
	return NULL;
#endif
}
