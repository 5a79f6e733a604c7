/* provider.h - probe types as plug-ins.
 *
 * A provider is a struct of function pointers, one file per probe type,
 * registered in the explicit table of provider.c (static-link safe). A
 * probe spec "prefix:rest" is looked up by prefix (its name or an alias),
 * resolved into one or more probe instances, each compiled into its own
 * BPF program and attached through file descriptors, so that the kernel
 * frees everything when wisp dies.
 */
#ifndef WISP_PROVIDER_H
#define WISP_PROVIDER_H

#include <linux/bpf.h>
#include <stdbool.h>
#include "../lang/ast.h"
#include "../lang/diag.h"
#include "../lang/type.h"

/* How a field of the probe's context (a tracepoint's args) is read. */
enum field_kind {
	FIELD_INT,     /* an integer of size 1, 2, 4 or 8 in the context */
	FIELD_PTR,     /* a pointer (size 8 or 4); as says into which memory;
	                * is_str when it points to char (str() applies) */
	FIELD_CHARS,   /* char name[N]: a string inside the context */
	FIELD_DATALOC, /* __data_loc char[] name: u32 (len << 16 | offset) */
	FIELD_ARRAY,   /* any other array: not readable as a value */
};

struct field {
	char *name;
	char *ctype;       /* the C type as the format file writes it */
	unsigned offset, size;
	bool is_signed;
	bool is_str;       /* FIELD_PTR to char */
	enum field_kind kind;
	enum addr_space as;
	struct field *next;
};

enum probe_when {
	PROBE_EVENT, /* fires on kernel events once attached */
	PROBE_BEGIN, /* run once before the others are attached */
	PROBE_END,   /* run once at exit, before the maps are printed */
};

struct provider;

/* One attachable probe: a spec after expansion, with its program. */
struct probe_inst {
	const struct provider *prov;
	struct probe *probe;   /* the AST probe it belongs to */
	char *spec;            /* full spec as expanded, e.g.
	                        * "tracepoint:syscalls:sys_enter_read" */
	struct loc loc;        /* where the spec was written */
	struct field *fields;  /* context fields (tracepoint args), or NULL */
	void *priv;            /* provider data */
	int prog_fd;           /* -1 until loaded */
	int *fds;              /* attachment fds (perf events, links) */
	int nfds;
	char *func;            /* the function probed (kprobe, uprobe): what
	                        * the func builtin says; NULL elsewhere */
	struct probe_inst *next;
};

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

struct provider {
	const char *name;             /* "tracepoint" */
	const char *const *aliases;   /* NULL-terminated: "t", ... */
	enum bpf_prog_type prog_type;
	enum probe_when when;
	bool has_args;                /* args / data name the context fields */
	bool has_regs;                /* the context is struct pt_regs: arg0..N,
	                               * and (for the return probes) retval */
	bool is_return;               /* kretprobe, uretprobe: retval exists */
	bool user;                    /* arguments and retval point into user
	                              * memory (uprobes): str() reads them so */
	bool timer;                   /* fires on a timer, in whatever task is
	                               * running (interval): -p does not filter it */
	/* Resolve "rest" (the spec after "prefix:"; the whole spec for BEGIN
	 * and END) into instances: allocate each with probe_inst_new and
	 * append it at *tail. Report errors at loc; return 0 or -1. */
	int (*resolve)(const struct provider *prov, struct probe *probe,
		       const char *rest, struct loc loc,
		       struct probe_inst ***tail);
	/* Attach pi->prog_fd; store the fds in pi. Return 0 or -1 after
	 * printing why (naming pi->spec). */
	int (*attach)(struct probe_inst *pi);
	/* Free priv (fds are closed by probe_inst_detach). May be NULL. */
	void (*free)(struct probe_inst *pi);
	/* -l: print, one per line as a full spec ("tracepoint:sched:sched_switch"),
	 * every probe of this provider whose spec matches the glob pattern
	 * (NULL: all); verbose adds a tracepoint's fields, indented. May be NULL. */
	void (*list)(const struct provider *prov, const char *pattern,
		     bool verbose, FILE *out);
};

/* -p PID: uprobes attach to this process only and every probe's
 * predicate is and-ed with pid == PID; 0 when not given. */
extern int provider_target_pid;

/* -l [pattern]: list the probes of every provider (pattern "kprobe:vfs_*"
 * selects the provider by its prefix). Returns 0, or -1 after printing why. */
int provider_list(const char *pattern, bool verbose, FILE *out);

/* Glob matching for wildcards and -l: '*' and '?', nothing else. */
bool provider_glob(const char *pattern, const char *text);

/* Look a spec's provider up: "tracepoint:a:b", "t:a:b", "BEGIN",
 * ply's "tracepoint:a/b"; *rest receives what follows the prefix. NULL
 * (and nothing reported) when no provider matches. */
const struct provider *provider_find(const char *spec, const char **rest);
/* Names and aliases of every provider, for "did you mean". */
size_t provider_names(const char **names, size_t max);

/* Resolve every spec of every probe of prog into instances (errors are
 * reported with the spec's location). Returns 0 or -1. */
int provider_resolve_all(struct program *prog, struct probe_inst **list);

struct probe_inst *probe_inst_new(const struct provider *prov,
				  struct probe *probe, const char *spec,
				  struct loc loc);
const struct field *probe_inst_field(const struct probe_inst *pi,
				     const char *name);
int probe_inst_add_fd(struct probe_inst *pi, int fd);
void probe_inst_detach(struct probe_inst *pi); /* close every fd */
void probe_inst_free_all(struct probe_inst *list);
/* BEGIN / END: run the loaded program once, now (BPF_PROG_TEST_RUN on a
 * raw tracepoint program). Returns 0 or -1 after printing why. */
int probe_inst_run(struct probe_inst *pi);

/* Free a list of fields (probe_inst_free_all does it for pi->fields). */
void provider_fields_free(struct field *list);

struct perf_event_attr;
/* Open a perf event for attr (pid -1, on cpu) and attach pi->prog_fd to
 * it, through a BPF link where the kernel has them (5.15+), else with
 * PERF_EVENT_IOC_SET_BPF; the fds go into pi. Returns 0 or -1 after
 * printing why (naming pi->spec). */
int provider_perf_attach(struct probe_inst *pi, struct perf_event_attr *attr,
			 int cpu);

/* tracepoint.c: the fields of a tracepoint format file's text, in order;
 * lines not understood are skipped. user_ptrs: pointer fields point into
 * user memory (the syscalls category). Returns the number of fields
 * appended to *fields, or -1 when out of memory. */
int tracepoint_parse_format(const char *text, bool user_ptrs,
			    struct field **fields);

/* interval.c: the period in ns of an interval spec's rest ("ms:100",
 * "hz:99", ply's "100ms"). Returns 0, or -1 after reporting at loc. */
int interval_parse(const char *rest, struct loc loc,
		   unsigned long long *period_ns);

/* The providers (one file each). */
extern const struct provider provider_tracepoint;
extern const struct provider provider_interval;
extern const struct provider provider_begin;
extern const struct provider provider_end;
extern const struct provider provider_kprobe;
extern const struct provider provider_kretprobe;
extern const struct provider provider_uprobe;
extern const struct provider provider_uretprobe;
extern const struct provider provider_profile;
extern const struct provider provider_software;
extern const struct provider provider_hardware;

#endif
