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
#include <stdint.h>
#include "../lang/ast.h"
#include "../lang/diag.h"
#include "../lang/probe.h"
#include "../lang/target.h"
#include "../lang/type.h"

enum probe_when {
	PROBE_EVENT, /* fires on kernel events once attached */
	PROBE_BEGIN, /* run once before the others are attached */
	PROBE_END,   /* run once at exit, before the maps are printed */
};

struct provider;

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

/* A program's load options a provider decides (see provider.load_opts). */
struct prog_load_opts {
	enum bpf_attach_type expected_attach_type;
	uint32_t attach_btf_id;
	int attach_btf_obj_fd; /* 0: vmlinux */
};

/* One attachable probe: a spec after expansion, with its program. */
struct probe_inst {
	const struct provider *prov;
	struct probe *probe;   /* the AST probe it belongs to */
	char *spec;            /* full spec as expanded, e.g.
	                        * "tracepoint:syscalls:sys_enter_read" */
	struct loc loc;        /* where the spec was written */
	struct field *fields;  /* context fields (tracepoint args), or NULL */
	const struct ctype *args; /* the same as a struct type (probe_ctx) */
	void *priv;            /* provider data */
	int prog_fd;           /* -1 until loaded */
	int *fds;              /* attachment fds (perf events, links) */
	int nfds;
	char *func;            /* the function probed (kprobe, uprobe): what
	                        * the func builtin says; NULL elsewhere */
	struct probe_ctx ctx;  /* the compiler's view, filled from the above
	                        * once resolved (probe_inst_ctx) */
	struct probe_inst *next;
};

struct provider {
	const char *name;             /* "tracepoint" */
	const char *const *aliases;   /* NULL-terminated: "t", ... */
	enum bpf_prog_type prog_type;
	enum probe_when when;
	bool is_return;               /* kretprobe, uretprobe */
	bool timer;                   /* fires on a timer, in whatever task is
	                               * running (interval): -p does not filter it */
	/* The context values (argN, retval, caller) of its instances, as
	 * struct probe_ctx's value says; provider_value_none where the
	 * context has none of them. */
	int (*value)(const struct probe_ctx *c, const struct target *t,
		     enum ctx_name name, unsigned n, const char *spelled,
		     struct ctx_value *v, char *err, size_t len);
	/* Resolve "rest" (the spec after "prefix:"; the whole spec for BEGIN
	 * and END) into instances: allocate each with probe_inst_new and
	 * append it at *tail. Report errors at loc; return 0 or -1. */
	int (*resolve)(const struct provider *prov, struct probe *probe,
		       const char *rest, struct loc loc,
		       struct probe_inst ***tail);
	/* What loading an instance's program needs besides prog_type: the
	 * expected attach type (kprobe_multi) and the BTF object and id of
	 * what it attaches to (fentry, BTF raw tracepoints). NULL: nothing.
	 * Called again for the same instance (probe_inst_can_share): the
	 * same answer each time. Returns 0, or -1 after printing why
	 * (naming pi->spec). */
	int (*load_opts)(const struct probe_inst *pi, struct prog_load_opts *o);
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

/* -p PID: uprobes attach to this process only (the target's pid
 * filters every probe in the compiled code); 0 when not given. */
extern int provider_target_pid;
/* -v: providers say how they attached (kprobe: perf events or a
 * kprobe_multi link, and how long it took), on stderr. */
extern bool provider_verbose;
/* The fixture directory holding tracepoint formats as
 * events/CATEGORY/NAME/format (the target's tracefs), or NULL: the
 * tracefs mount. */
extern const char *provider_formats_dir;
/* The target's registers (struct pt_regs): where uprobes find the
 * arguments DWARF names; NULL when wisp does not know them. */
extern const struct regs_layout *provider_regs;
/* The kernel's types for fentry/fexit and rawtracepoint, a BTF file
 * (the target's btf key), or NULL: the running kernel's. */
extern const char *provider_btf_file;
/* The described kernel's symbols (the target's kallsyms key), or NULL:
 * the running kernel's. Given, kprobes resolve against it alone and
 * touch nothing of the running kernel (no tracefs, no stale events). */
extern const char *provider_kallsyms_file;

/* Context values: none (tracepoints, timers, BEGIN/END), or the registers
 * of a struct pt_regs (kprobes, uprobes) whose addresses point into as. */
int provider_value_none(const struct probe_ctx *c, const struct target *t,
			enum ctx_name name, unsigned n, const char *spelled,
			struct ctx_value *v, char *err, size_t len);
int provider_value_regs(const struct probe_ctx *c, const struct target *t,
			enum ctx_name name, unsigned n, const char *spelled,
			bool is_return, enum addr_space as, struct ctx_value *v,
			char *err, size_t len);

/* -l [pattern]: list the probes of every provider (pattern "kprobe:vfs_*"
 * selects the provider by its prefix). Returns 0, or -1 after printing why. */
int provider_list(const char *pattern, bool verbose, FILE *out);

/* Glob matching for wildcards and -l: '*' and '?', nothing else. */
bool provider_glob(const char *pattern, const char *text);
/* Does a spec's name hold a wildcard ('*' or '?')? NULL: no. */
bool provider_is_glob(const char *s);
/* Are s[0..len) all letters, digits or characters of extra (a name in a
 * spec: "_" for C names, "_*?" with wildcards)? Empty is not. */
bool provider_name_ok(const char *s, size_t len, const char *extra);

/* Look a spec's provider up: "tracepoint:a:b", "t:a:b", "BEGIN",
 * ply's "tracepoint:a/b"; *rest receives what follows the prefix. NULL
 * (and nothing reported) when no provider matches. */
const struct provider *provider_find(const char *spec, const char **rest);
/* Names and aliases of every provider, for "did you mean". */
size_t provider_names(const char **names, size_t max);

/* Resolve every spec of every probe of prog into instances (errors are
 * reported with the spec's location). Returns 0 or -1. */
int provider_resolve_all(struct program *prog, const struct target *t,
			 struct probe_inst **list);

struct probe_inst *probe_inst_new(const struct provider *prov,
				  struct probe *probe, const char *spec,
				  struct loc loc);
const struct field *probe_inst_field(const struct probe_inst *pi,
				     const char *name);
/* Fill pi->ctx from what resolving left in pi. */
void probe_inst_ctx(struct probe_inst *pi);
/* May b run a dup of a's loaded program when their code is the same?
 * Only if their load options agree and bind them to no BTF target. */
bool probe_inst_can_share(const struct probe_inst *a,
			  const struct probe_inst *b);
int probe_inst_add_fd(struct probe_inst *pi, int fd);
void probe_inst_detach(struct probe_inst *pi); /* close every fd */
void probe_inst_free_all(struct probe_inst *list);
/* BEGIN / END: run the loaded program once, now (BPF_PROG_TEST_RUN on a
 * raw tracepoint program). Returns 0 or -1 after printing why. */
int probe_inst_run(struct probe_inst *pi);

/* The fields as the struct type args names: each member's C type from
 * its kind (integers, pointers into f->as, char arrays, __data_loc
 * strings, other arrays as bytes). NULL when out of memory. */
const struct ctype *provider_fields_type(const struct field *fields,
					 const char *name);
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

/* fentry.c, for --info: can this kernel attach an fentry program? (It
 * attaches an empty one to vfs_read for an instant.) What it is for, or
 * why not, in why[len]. */
bool fentry_supported(char *why, size_t len);

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
extern const struct provider provider_fentry;
extern const struct provider provider_fexit;
extern const struct provider provider_rawtracepoint;

#endif
