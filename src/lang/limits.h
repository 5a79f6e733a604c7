/* limits.h - how big a program may be. Beyond these the front end stops
 * with an error at the place the limit is crossed, instead of running
 * out of stack or memory on a malformed or hostile program: wisp runs as
 * root, and a program may come from a file nobody read.
 *
 * They are far above what a tracing program needs (bpftrace's tools are
 * a few KiB, nested a dozen levels) and below what the compiler's
 * recursion and the kernel can take (64 maps per BPF program, a 512-byte
 * stack).
 */
#ifndef WISP_LIMITS_H
#define WISP_LIMITS_H

#define LIMIT_PROGRAM_BYTES (1 << 20) /* program text: 1 MiB */
#define LIMIT_NESTING 256     /* expressions and blocks inside each other */
#define LIMIT_STRING 4096     /* bytes of a string literal */
#define LIMIT_IDENT 128       /* bytes of a name: $var, @map, builtin, field */
#define LIMIT_SPEC 4096       /* bytes of a probe spec (uprobe paths) */
#define LIMIT_PROBES 512      /* probes in a program */
#define LIMIT_SPECS 1024      /* probe specs in a program, all probes */
#define LIMIT_ARGS 64         /* arguments of a call, elements of a tuple,
                               * keys of a map */
#define LIMIT_MAPS 256        /* maps a program names */
#define LIMIT_LOCALS 256      /* $variables of one probe */
#define LIMIT_INSNS 1000000   /* instructions of a probe's code, as lowered:
                               * the kernel loads no more (nested unroll) */
#define LIMIT_ERRORS_SHOWN 100 /* diagnostics printed; the rest are counted */

#endif
