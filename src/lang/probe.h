/* probe.h - what the compiler sees of one probe instance: its context.
 *
 * Providers (src/provider) resolve a probe spec into instances and fill a
 * probe_ctx for each: the names the probe offers (args and its fields,
 * argN, retval, caller, func, probe) and how each is read from the
 * context the kernel hands the program. sema types them and lower reads
 * them through this interface alone; neither knows which provider it
 * talks to.
 */
#ifndef WISP_PROBE_H
#define WISP_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include "ast.h"
#include "ctype.h"
#include "target.h"
#include "type.h"

/* Context values a provider may offer besides args. */
enum ctx_name {
	CTX_ARG,    /* argN: the Nth argument of the probed function */
	CTX_RETVAL, /* the return value of a return probe */
	CTX_CALLER, /* the return address at a function's entry */
};

/* Where a context value lives: size bytes at off in the context, a value
 * that points into memory as (an integer where it is not an address).
 * CTX_CALLER: the register at off holds the return address, or with
 * at_sp the stack pointer, whose top word is it. */
struct ctx_value {
	unsigned off, size;
	enum addr_space as;
	bool at_sp;
	const struct ctype *ct; /* its C type where the provider knows it
	                         * (fentry's arguments and retval): an
	                         * integer of its sign, a typed pointer;
	                         * NULL: an untyped 8-byte value */
};

struct probe_ctx {
	struct probe *probe;   /* the AST probe: predicate and body */
	const char *spec;      /* the full spec as expanded: the probe builtin */
	const char *kind;      /* the provider's name, for messages: "kprobe" */
	const char *func;      /* the probed function (kprobe, uprobe): the
	                        * func builtin; NULL where there is none */
	const char *binary;    /* uprobes: the probed file, for uaddr() */
	const struct ctype *args; /* the struct args / data name, read in the
	                           * context (tracepoint fields); NULL: none */
	bool pid_filter;       /* -p PID filters it: an event in the traced
	                        * process's context (not BEGIN, END, timers) */
	/* Where the context value name (spelled as the program wrote it:
	 * "arg2") is. Returns 0 with *v, or -1 with a sentence saying where
	 * it exists in err[len]. */
	int (*value)(const struct probe_ctx *c, const struct target *t,
		     enum ctx_name name, unsigned n, const char *spelled,
		     struct ctx_value *v, char *err, size_t len);
	const void *prov;      /* the provider's own: sema and lower never
	                        * look inside */
};

#endif
