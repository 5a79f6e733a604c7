/* sema.h - the semantic pass: names resolved, types inferred, maps and
 * printf formats collected.
 *
 * Requires: a parsed program, the contexts of its probe instances
 * (probe.h: what each provider offers) and the target compiled for.
 * Gives: every expression node typed, identifiers bound to builtins or
 * context fields, map and local references bound to their definitions,
 * the program's tables (maps laid out, printf formats) filled; errors
 * reported with locations.
 */
#ifndef WISP_SEMA_H
#define WISP_SEMA_H

#include "ast.h"
#include "probe.h"
#include "tables.h"
#include "target.h"

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
	const struct target *tgt;
	struct prog_tables *tab;
	const struct probe_ctx *pc; /* the instance being checked */
	struct sema_var *vars;   /* locals of the current instance */
	int pass;                /* 1: gather map types; 2: check */
	char **params;           /* positional parameters $1..$N */
	int nparams;
	int loops;               /* depth of for/while around the statement */
	int map_loops;           /* of them, for ($kv : @m) loops (callbacks) */
	bool unsafe;             /* --unsafe: signal() and system() allowed */
	int errors;
};

/* Check the whole program over its n instances: fills tab->maps (the
 * user's maps, then the output and lost maps, laid out) and tab->fmts.
 * s->params, nparams and unsafe are read (set them after zeroing s).
 * Returns 0 or -1. */
int sema_program(struct sema *s, struct program *prog,
		 const struct probe_ctx *const *ctxs, int n,
		 const struct target *tgt, struct prog_tables *tab);
/* Re-annotate one instance's probe body for lowering (context fields
 * differ between instances sharing a body). Returns 0 or -1. */
int sema_probe(struct sema *s, const struct probe_ctx *pc);
void sema_free(struct sema *s);

const char *builtin_name(enum builtin b);

#endif
