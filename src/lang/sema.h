/* sema.h - the semantic pass: names resolved, types inferred, maps and
 * printf formats collected.
 *
 * Requires: a parsed program and its probe instances (provider resolved,
 * so that args fields are known). Gives: every expression node typed,
 * identifiers bound to builtins or context fields, map and local
 * references bound to their definitions, the runtime's map and printf
 * tables filled; errors reported with locations.
 */
#ifndef WISP_SEMA_H
#define WISP_SEMA_H

#include "../provider/provider.h"
#include "../runtime/runtime.h"
#include "ast.h"

#define SEMA_STR_DEFAULT 64 /* str() buffer size, like bpftrace's default */
#define SEMA_STR_MAX 1024   /* beyond the stack, buffers go to a scratch map */
#define SEMA_KEY_MAX 512    /* the kernel's limit on hash map keys */

enum builtin {
	BI_NONE,
	BI_PID,
	BI_TID,
	BI_UID,
	BI_GID,
	BI_COMM,
	BI_CPU,
	BI_NSECS,
	BI_ARGS, /* args / data: the context's fields, only before -> or . */
	BI_ELAPSED, /* ns since wisp started */
	BI_RAND,
	BI_CGROUP,
	BI_CURTASK,
	BI_CPID,    /* the pid of the -c command */
	BI_PROBE,   /* the probe's full name: a string constant */
	BI_KSTACK,  /* kstack, ply's stack */
	BI_USTACK,
	BI_ARG,     /* arg0..argN: ival is N */
	BI_RETVAL,  /* the return value of a return probe */
	BI_FUNC,    /* the probed function's name: a string constant */
	BI_CALLER,  /* ply: where the probed function returns to, as a
	             * symbol (function entry probes) */
};

/* A local variable $x of one probe body. */
struct sema_var {
	char *name;
	struct type type;
	struct loc loc;  /* first assignment */
	bool used;       /* read somewhere */
	/* Given by the lowering: an offset from the buffers' base, which is
	 * r10 (negative) or the scratch value (from 0 up), so 0 is a real
	 * slot and "none yet" needs its own flag. */
	bool has_slot;
	int slot;
	struct sema_var *next;
};

struct sema {
	struct program *prog;
	struct runtime *rt;
	struct probe_inst *pi;   /* instance being checked */
	struct sema_var *vars;   /* locals of the current instance */
	int pass;                /* 1: gather map types; 2: check */
	char **params;           /* positional parameters $1..$N */
	int nparams;
	int cpid;                /* pid of the -c command, 0 without -c */
	int loops;               /* depth of for/while around the statement */
	int map_loops;           /* of them, for ($kv : @m) loops (callbacks) */
	bool unsafe;             /* --unsafe: signal() and system() allowed */
	unsigned strlen;         /* str() size: WISP_STRLEN, else 64 */
	int errors;
};

/* Check the whole program over all instances: fills rt->maps (the user's
 * maps, then the output and lost maps) and rt->fmts. s->params, nparams
 * and cpid are read (set them after zeroing s). Returns 0 or -1. */
int sema_program(struct sema *s, struct program *prog,
		 struct probe_inst *insts, struct runtime *rt);
/* Re-annotate one instance's probe body for lowering (context fields
 * differ between instances sharing a body). Returns 0 or -1. */
int sema_probe(struct sema *s, struct probe_inst *pi);
void sema_free(struct sema *s);

const char *builtin_name(enum builtin b);

#endif
