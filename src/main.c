/* main.c - wisp's command line: read a program, compile every probe into
 * eBPF, load and attach it, print events until the end, then the maps.
 *
 * The compiler stages live in src/lang (text to typed AST), src/ir (AST to
 * allocated IR), src/bpfasm (IR to instructions); src/provider attaches
 * probes and src/runtime creates maps, loads programs and reads events.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpfasm/bpfasm.h"
#include "ir/ir.h"
#include "ir/lower.h"
#include "lang/parser.h"
#include "lang/sema.h"
#include "provider/provider.h"
#include "runtime/load.h"
#include "runtime/output.h"
#include "runtime/runtime.h"
#include "sys/btf.h"
#include "sys/dwarf.h"

enum dump {
	DUMP_TOKENS = 1 << 0,
	DUMP_AST = 1 << 1,
	DUMP_IR = 1 << 2,
	DUMP_RA = 1 << 3,
	DUMP_ASM = 1 << 4,
	DUMP_LOWER = 1 << 5, /* the IR before the passes of opt.c */
};

struct options {
	const char *prog_text;
	const char *prog_file;
	const char *cmd;
	unsigned dump;
	bool dry_run;
	const struct output_format *fmt; /* -f, NULL: text */
	const char *out_file; /* -o FILE, NULL: stdout */
	const char *map_keys; /* --map-keys N */
	bool unsafe;   /* --unsafe */
	bool list;     /* -l [pattern] */
	bool verbose;  /* -v */
	char **params; /* $1..$N */
	int nparams;
	int pid;       /* -p */
	const char *target; /* --target FILE: compile for the kernel it describes */
	const char *btf;    /* --btf FILE: kernel types from FILE first */
	const char *kernel_debuginfo; /* --kernel-debuginfo FILE: a vmlinux with DWARF */
};

/* The first SIGINT, SIGTERM or SIGHUP ends tracing: the END probes run
 * and the maps are printed. A second one quits at once: nothing more is
 * printed, and a write blocked on a reader that does not read is broken
 * into and sent to /dev/null (dup2 is async-signal-safe). Either way
 * wisp detaches before it exits. */
static volatile sig_atomic_t stop_signal, quit_signal;
/* How long events are printed after the first signal. */
#define STOP_DRAIN_NS 500000000ULL
static int devnull_fd = -1;
static int out_fd = STDOUT_FILENO; /* where the output goes (-o FILE) */

static void on_signal(int sig)
{
	if (!stop_signal) {
		stop_signal = sig;
		return;
	}
	quit_signal = sig;
	if (devnull_fd >= 0)
		dup2(devnull_fd, out_fd);
}

static void catch_signals(void)
{
	/* SA_RESTART: a write blocked on a slow reader goes on after the
	 * first signal, for stdio drops what its buffer held when a write
	 * is interrupted (up to a buffer of lines, lost unsaid). The wait
	 * for events (epoll_wait) is never restarted, so the loop still
	 * sees the flag at once; after a second signal the restarted write
	 * goes to /dev/null, dup2'd over the output. */
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a closed pipe is a failed write (EPIPE), which ends tracing */
	signal(SIGPIPE, SIG_IGN);
	devnull_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
}

/* Help text goes on below its option, at most this wide. */
#define USAGE_INDENT 19
#define USAGE_WIDTH 72

/* The words of s after column *col, wrapped under the option's text. */
static void usage_words(FILE *out, int *col, const char *s)
{
	int len;

	while (*s) {
		s += strspn(s, " ");
		len = (int)strcspn(s, " ");
		if (!len)
			break;
		if (*col + 1 + len > USAGE_WIDTH) {
			fprintf(out, "\n%*s", USAGE_INDENT, "");
			*col = USAGE_INDENT;
		} else if (*col > USAGE_INDENT) {
			fputc(' ', out);
			(*col)++;
		}
		fwrite(s, 1, len, out);
		*col += len;
		s += len;
	}
}

/* -f's line: the formats of the table, so that a new one shows. */
static void usage_formats(FILE *out)
{
	char item[256];
	int col;
	size_t i;

	col = fprintf(out, "  -f FORMAT%*s", USAGE_INDENT - 11, "");
	usage_words(out, &col, "output format:");
	for (i = 0; output_formats[i]; i++) {
		snprintf(item, sizeof(item), "%s (%s)%s", output_formats[i]->name,
			 output_formats[i]->help,
			 !output_formats[i + 1] ? "" :
			 !output_formats[i + 2] ? " or" : ",");
		usage_words(out, &col, item);
	}
	fputc('\n', out);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: wisp [options] 'program'\n"
		"       wisp [options] -e 'program'\n"
		"       wisp [options] FILE        (FILE '-' reads standard input)\n"
		"\n"
		"Trace the running kernel with a small language (bpftrace's or ply's\n"
		"dialect), compiled by wisp itself into eBPF.\n"
		"\n"
		"Options:\n"
		"  -e PROGRAM       the program text\n"
		"  -c 'CMD ARGS'    run CMD once tracing is attached; exit when it exits\n");
	usage_formats(out);
	fprintf(out,
		"  -o FILE          write the output to FILE instead of standard output\n"
		"  -p PID           trace this process only (uprobes attach to it, every\n"
		"                   other probe only fires for it); end when it exits\n"
		"  -l [PATTERN]     list the probes matching PATTERN, e.g. 'tracepoint:sched:*';\n"
		"                   -lv shows a tracepoint's fields, the typed arguments\n"
		"                   of kprobes, fentry, fexit, rawtracepoint and uprobes\n"
		"  -v               say where kernel types come from and how kprobes were\n"
		"                   attached (perf events or a kprobe_multi link), how long\n"
		"                   it took\n"
		"      --btf=FILE   kernel types from FILE (raw BTF, or an ELF such as a\n"
		"                   board's vmlinux with a .BTF section) before the running\n"
		"                   kernel's; WISP_BTF=none ignores the running kernel's\n"
		"      --dry-run    compile and load every program into the verifier,\n"
		"                   attach nothing\n"
		"      --dump=LIST  print stages: tokens,ast,lower,ir,ra,asm (comma-separated);\n"
		"                   stops after compiling (after loading with --dry-run)\n"
		"      --info       what the running kernel offers to wisp\n"
		"      --kernel-debuginfo=FILE  kernel types from the DWARF of FILE, a\n"
		"                   vmlinux built with debug info (needs libdw)\n"
		"      --map-keys=N the most keys a map holds (default 4096; also\n"
		"                   WISP_MAP_KEYS_MAX or BPFTRACE_MAP_KEYS_MAX)\n"
		"      --target=FILE  compile for the kernel FILE describes (features,\n"
		"                   architecture, tracepoint formats; see wisp(8)):\n"
		"                   with --dump only\n"
		"      --unsafe     allow functions that change the system: signal(),\n"
		"                   system()\n"
		"  -h, --help       this help\n"
		"  -V, --version    the version\n"
		"\n"
		"Probes: tracepoint (t), kprobe (k), kretprobe (kr), fentry (f, kfunc),\n"
		"fexit (fr, kretfunc), rawtracepoint (rt), uprobe (u), uretprobe (ur),\n"
		"profile (p), interval (i), software (s), hardware (h), BEGIN, END.\n"
		"\n"
		"Example:\n"
		"  wisp -c 'cat /etc/hostname' \\\n"
		"    'tracepoint:syscalls:sys_enter_openat { printf(\"%%s %%s\\n\", comm, str(args->filename)); }'\n"
		"\n"
		"See wisp(8).\n");
}

static int parse_dump(const char *list, unsigned *dump)
{
	static const struct {
		const char *name;
		unsigned bit;
	} stages[] = {
		{ "tokens", DUMP_TOKENS }, { "ast", DUMP_AST }, { "lower", DUMP_LOWER },
		{ "ir", DUMP_IR }, { "ra", DUMP_RA }, { "asm", DUMP_ASM },
	};
	char *copy = strdup(list), *save = NULL;

	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
			if (!strcmp(t, stages[i].name))
				break;
		if (i == sizeof(stages) / sizeof(stages[0])) {
			fprintf(stderr, "wisp: unknown stage '%s' for --dump (tokens, ast, lower, ir, ra, asm)\n", t);
			free(copy);
			return -1;
		}
		*dump |= stages[i].bit;
	}
	free(copy);
	return 0;
}

/* Tracing needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN, which holds
 * both (and is the only way before 5.8, whose kernels know neither).
 * Root may have been started with fewer (setpriv, capsh, containers): the
 * effective set is what counts. NULL when the process has what it needs,
 * else the one line that names what it lacks, so that nobody meets a bare
 * EPERM from the first map or file later. */
#define CAP_SYS_ADMIN_BIT 21
#define CAP_PERFMON_BIT 38
#define CAP_BPF_BIT 39
static const char *missing_privileges(void)
{
	static char msg[256];
	char line[256];
	unsigned long long eff = 0;
	int last_cap = 0;
	bool found = false, bpf, perfmon;
	const char *who;
	FILE *f;

	f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			found = true;
			break;
		}
	if (f)
		fclose(f);
	if (!found) /* no procfs: let the kernel decide */
		return geteuid() == 0 ? NULL : "wisp: tracing needs root (or CAP_BPF and CAP_PERFMON): run wisp as root";
	if (eff & (1ULL << CAP_SYS_ADMIN_BIT))
		return NULL;
	who = geteuid() == 0 ? ", though it runs as root: its capabilities were dropped" :
			       ": run wisp as root";
	f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	if (f) {
		if (fscanf(f, "%d", &last_cap) != 1)
			last_cap = 0;
		fclose(f);
	}
	if (last_cap && last_cap < CAP_BPF_BIT) {
		snprintf(msg, sizeof(msg),
			 "wisp: tracing needs CAP_SYS_ADMIN on this kernel (it has no CAP_BPF, before 5.8), which this process lacks%s",
			 who);
		return msg;
	}
	bpf = eff & (1ULL << CAP_BPF_BIT);
	perfmon = eff & (1ULL << CAP_PERFMON_BIT);
	if (bpf && perfmon)
		return NULL;
	snprintf(msg, sizeof(msg),
		 "wisp: tracing needs %s%s%s (or CAP_SYS_ADMIN), which this process lacks%s",
		 bpf ? "" : "CAP_BPF", !bpf && !perfmon ? " and " : "",
		 perfmon ? "" : "CAP_PERFMON", who);
	return msg;
}

/* The size of str() buffers in bytes: WISP_STRLEN (or bpftrace's
 * BPFTRACE_STRLEN), 64 by default as in bpftrace, at most TARGET_STR_MAX. */
static int str_size(unsigned *size)
{
	const char *v = getenv("WISP_STRLEN");
	char *end;
	long n;

	if (!v)
		v = getenv("BPFTRACE_STRLEN");
	if (!v) {
		*size = TARGET_STR_DEFAULT;
		return 0;
	}
	n = strtol(v, &end, 10);
	if (*end || n < 2 || n > TARGET_STR_MAX) {
		fprintf(stderr, "wisp: WISP_STRLEN must be a number from 2 to %d, not '%s'\n",
			TARGET_STR_MAX, v);
		return -1;
	}
	*size = (unsigned)n; /* bytes of the buffer, the NUL included, as bpftrace */
	return 0;
}

/* The entries of a keyed map: --map-keys, else WISP_MAP_KEYS_MAX or
 * bpftrace's BPFTRACE_MAP_KEYS_MAX (BPFTRACE_MAX_MAP_KEYS since 0.21),
 * else MAP_DEFAULT_ENTRIES (0 here). A full map drops new keys; the
 * drops are counted and said at exit. */
static int map_keys(const char *opt, uint32_t *keys)
{
	static const char *const vars[] = {
		"WISP_MAP_KEYS_MAX", "BPFTRACE_MAP_KEYS_MAX", "BPFTRACE_MAX_MAP_KEYS",
	};
	const char *v = opt, *what = "--map-keys";
	char *end;
	long long n;

	for (size_t i = 0; !v && i < sizeof(vars) / sizeof(vars[0]); i++)
		if ((v = getenv(vars[i])))
			what = vars[i];
	*keys = 0;
	if (!v)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end || errno || n < 1 || n > MAP_KEYS_MAX) {
		fprintf(stderr, "wisp: %s must be a number from 1 to %u, not '%s'\n",
			what, MAP_KEYS_MAX, v);
		return -1;
	}
	*keys = (uint32_t)n;
	return 0;
}

/* ---- the -c child: forked before attaching, released after ---- */

struct child {
	pid_t pid;
	int release_fd; /* writing a byte lets the child exec */
	int status;
	bool exited;
};

static void unknown_format(const char *name)
{
	size_t i;

	fprintf(stderr, "wisp: unknown output format '%s' (", name);
	for (i = 0; output_formats[i]; i++)
		fprintf(stderr, "%s%s", i ? ", " : "", output_formats[i]->name);
	fputs(")\n", stderr);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "dump", required_argument, NULL, 'd' },
		{ "info", no_argument, NULL, 'i' },
		{ "unsafe", no_argument, NULL, 'u' },
		{ "target", required_argument, NULL, 't' },
		{ "btf", required_argument, NULL, 'b' },
		{ "map-keys", required_argument, NULL, 'k' },
		{ "kernel-debuginfo", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "e:c:f:o:p:lvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			o->prog_text = optarg;
			break;
		case 'c':
			o->cmd = optarg;
			break;
		case 'f':
			o->fmt = output_find(optarg);
			if (!o->fmt) {
				unknown_format(optarg);
				return -1;
			}
			break;
		case 'o':
			o->out_file = optarg;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case 'u':
			o->unsafe = true;
			break;
		case 'l':
			o->list = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'p': {
			char *end;
			long pid = strtol(optarg, &end, 10);

			if (*end || pid <= 0 || pid > 0x3fffffff || kill((pid_t)pid, 0) < 0) {
				fprintf(stderr, "wisp: -p %s: no such process\n", optarg);
				return -1;
			}
			o->pid = (int)pid;
			break;
		}
		case 't':
			o->target = optarg;
			break;
		case 'b':
			o->btf = optarg;
			break;
		case 'k':
			o->map_keys = optarg;
			break;
		case 'K':
			o->kernel_debuginfo = optarg;
			break;
		case 'd':
			if (parse_dump(optarg, &o->dump))
				return -1;
			break;
		case 'i':
			if (missing_privileges()) {
				fprintf(stderr, "%s (--info tries the kernel's BPF)\n", missing_privileges());
				exit(1);
			}
			exit(rt_print_info(stdout) ? 1 : 0);
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("wisp %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			fprintf(stderr, "Try 'wisp --help'.\n");
			return -1;
		}
	}
	if (o->list) {
		if (optind + 1 < argc) {
			fprintf(stderr, "wisp: -l takes one pattern\n");
			return -1;
		}
		exit(provider_list(optind < argc ? argv[optind] : NULL, o->verbose,
				   stdout) ? 1 : 0);
	}
	if (!o->prog_text) {
		if (optind >= argc) {
			fprintf(stderr, "wisp: no program given\n");
			usage(stderr);
			return -1;
		}
		/* a program or a file: programs contain '{' */
		if (strchr(argv[optind], '{') || strchr(argv[optind], '\n'))
			o->prog_text = argv[optind];
		else
			o->prog_file = argv[optind];
		optind++;
	}
	o->params = argv + optind;
	o->nparams = argc - optind;
	return 0;
}

/* Like execvp's search: a name with '/' is a path, else each of $PATH. */
static bool command_exists(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; p; p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL) {
		size_t len = strchr(p, ':') ? (size_t)(strchr(p, ':') - p) : strlen(p);

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, len ? p : ".", name);
		if (access(buf, X_OK) == 0)
			return true;
	}
	return false;
}

static int child_start(const char *cmd, struct child *c)
{
	char *copy = strdup(cmd), *save = NULL;
	char **argv = calloc(strlen(cmd) / 2 + 2, sizeof(*argv));
	int n = 0, fds[2];

	for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
		argv[n++] = t;
	if (!n) {
		fprintf(stderr, "wisp: -c needs a command\n");
		return -1;
	}
	if (!command_exists(argv[0])) {
		fprintf(stderr, "wisp: cannot run '%s': command not found\n", argv[0]);
		return -1;
	}
	if (pipe(fds)) {
		perror("wisp: pipe");
		return -1;
	}
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0) {
		perror("wisp: fork");
		return -1;
	}
	if (c->pid == 0) {
		char b;

		close(fds[1]);
		if (read(fds[0], &b, 1) != 1)
			_exit(127); /* wisp gave up before tracing started */
		close(fds[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "wisp: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	c->release_fd = fds[1];
	free(argv);
	free(copy);
	return 0;
}

static void child_release(struct child *c)
{
	if (write(c->release_fd, "x", 1) != 1)
		perror("wisp: starting the command");
	close(c->release_fd);
	c->release_fd = -1;
}

/* At exit: a child that never started exits when its pipe closes; one
 * still running when tracing ends (exit(), a signal) is ended, by its pid:
 * it is ours. Then it is reaped. */
static void child_abort(struct child *c)
{
	if (c->pid <= 0 || c->exited)
		return;
	if (c->release_fd >= 0) {
		close(c->release_fd);
		c->release_fd = -1;
	} else if (waitpid(c->pid, &c->status, WNOHANG) == 0) {
		kill(c->pid, SIGTERM);
	}
	waitpid(c->pid, &c->status, 0);
	c->exited = true;
}

/* ---- compile ---- */

static const char *map_name_cb(int map, void *ctx)
{
	struct prog_tables *tab = ctx;

	return map >= 0 && map < tab->nmaps ? tab->maps[map]->name : NULL;
}

struct compiled {
	struct probe_inst *pi;
	struct asm_prog code;
};

static int compile_inst(struct sema *s, const struct target *tgt,
			struct prog_tables *tab, struct probe_inst *pi,
			struct asm_prog *code, unsigned dump)
{
	struct ir_func f;
	char *err = NULL;
	int ret = -1;
	long pc;

	if (sema_probe(s, &pi->ctx))
		return -1;
	ir_init(&f);
	if (lower_probe(&pi->ctx, tgt, tab, &f))
		goto out;
	if (dump & DUMP_LOWER) {
		printf("; %s: lower\n", pi->spec);
		ir_print(&f, stdout);
	}
	ir_optimize(&f);
	if (dump & DUMP_IR) {
		printf("; %s: ir\n", pi->spec);
		ir_print(&f, stdout);
	}
	for (int k = -1; k < f.nsubs; k++) {
		if (ra_run(k < 0 ? &f : f.subs[k], &err)) {
			diag_error(pi->probe->loc, "%s: %s", pi->spec, err);
			goto out;
		}
	}
	if (dump & DUMP_RA) {
		printf("; %s: ra\n", pi->spec);
		ir_print(&f, stdout);
	}
	asm_init(code);
	if (ir_emit_asm(&f, code, &err)) {
		diag_error(pi->probe->loc, "%s: %s", pi->spec, err);
		goto out;
	}
	if (dump & DUMP_ASM) {
		printf("; %s: asm\n", pi->spec);
		asm_disasm(code, stdout, map_name_cb, tab);
	}
	/* The verifier would refuse it with no word of the source; after
	 * the dump, which shows the code. The golden tests rely on it. */
	pc = asm_unreachable(code->insns, code->n);
	if (pc >= 0) {
		diag_error(code->locs[pc], "%s: internal error: instruction %ld is unreachable",
			   pi->spec, pc);
		goto out;
	}
	ret = 0;
out:
	free(err);
	ir_free(&f);
	return ret;
}

/* An earlier instance of the same program type with the same
 * instructions (maps relocated), or -1. Looks back a little only: the
 * instances of one wildcard are neighbours. A program loaded with other
 * load options (kprobe_multi, an attach BTF id) is not shared. */
static int find_same(const struct compiled *code, int i)
{
	for (int j = i - 1; j >= 0 && j >= i - 4; j--) {
		if (probe_inst_can_share(code[j].pi, code[i].pi) &&
		    code[j].code.n == code[i].code.n && code[j].pi->prog_fd >= 0 &&
		    !memcmp(code[j].code.insns, code[i].code.insns,
			    code[i].code.n * sizeof(*code[i].code.insns)))
			return j;
	}
	return -1;
}

/* Many probes need many fds: take the hard limit. */
static void raise_fd_limit(void)
{
	struct rlimit r;

	if (!getrlimit(RLIMIT_NOFILE, &r) && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

/* ---- -p: tracing ends when the traced process does ---- */

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same on every architecture */
#endif

/* The -p process: a pidfd (5.3+), readable once the process has exited
 * (also while it is a zombie, and never confused with a new process of
 * the same pid); before 5.3, its /proc/PID/stat. */
static struct {
	int pid;
	int fd;
} target_proc = { 0, -1 };

static void target_watch(int pid)
{
	target_proc.pid = pid;
	target_proc.fd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
}

static bool target_exited(void)
{
	char path[64], buf[256], *p;
	int fd;
	ssize_t n;

	if (target_proc.pid <= 0)
		return false;
	if (target_proc.fd >= 0) {
		struct pollfd pfd = { .fd = target_proc.fd, .events = POLLIN };

		return poll(&pfd, 1, 0) > 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", target_proc.pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* "PID (COMM) STATE ...", COMM may hold ')' */
	return p && (p[2] == 'Z' || p[2] == 'X');
}

/* ---- run ---- */

static int run_end_probes(struct probe_inst *insts, struct runtime *rt)
{
	int ret = 0;

	rt->ending = true;
	rt->deadline_ns = 0; /* the END probes' output is printed whole */
	for (struct probe_inst *pi = insts; pi; pi = pi->next)
		if (pi->prov->when == PROBE_END && probe_inst_run(pi))
			ret = -1;
	rt_events_drain(rt);
	return ret;
}

/* Tracing goes on until a signal, exit(), the end of the -c command or
 * a failed write of the output. */
static bool tracing(const struct runtime *rt)
{
	return !stop_signal && !rt->exit_requested && !rt->out_error;
}

static int trace(struct probe_inst *insts, struct runtime *rt, struct child *c)
{
	int nattach = 0, ret = 0;
	bool attach_failed = false; /* then nothing ran: no maps to show */

	out_fd = fileno(rt->out ? rt->out : stdout);
	catch_signals();
	rt->quit = &quit_signal;
	if (rt_events_open(rt))
		return 1;
	for (struct probe_inst *pi = insts; pi; pi = pi->next)
		if (pi->prov->when == PROBE_EVENT)
			nattach++;
	if (nattach)
		rt_output(rt)->attached(rt->out, nattach);
	for (struct probe_inst *pi = insts; pi; pi = pi->next) {
		if (pi->prov->when == PROBE_BEGIN && probe_inst_run(pi)) {
			ret = 1;
			goto out;
		}
	}
	rt_events_drain(rt);
	if (!tracing(rt))
		goto end;
	for (struct probe_inst *pi = insts; pi; pi = pi->next) {
		/* attaching thousands of probes takes a while: a signal
		 * stops it */
		if (stop_signal)
			goto detach;
		if (pi->prov->when == PROBE_EVENT && pi->prov->attach(pi)) {
			ret = 1;
			attach_failed = true;
			goto out;
		}
	}
	if (c->pid > 0)
		child_release(c);

	while (tracing(rt)) {
		if (rt_events_poll(rt, 100) < 0) {
			ret = 1;
			break;
		}
		if (c->pid > 0 && !c->exited && waitpid(c->pid, &c->status, WNOHANG) == c->pid) {
			c->exited = true;
			break;
		}
		if (target_exited())
			break;
	}
detach:
	/* after a signal, what the probes sent is printed for half a
	 * second at most: a flood would keep the user waiting */
	if (stop_signal) {
		struct timespec t;

		clock_gettime(CLOCK_MONOTONIC, &t);
		rt->deadline_ns = (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec +
				  STOP_DRAIN_NS;
	}
	/* stop the event probes first, then take what they sent */
	for (struct probe_inst *pi = insts; pi; pi = pi->next)
		if (pi->prov->when == PROBE_EVENT)
			probe_inst_detach(pi);
	rt_events_drain(rt);
end:
	if (!quit_signal && run_end_probes(insts, rt))
		ret = 1;
out:
	for (struct probe_inst *pi = insts; pi; pi = pi->next)
		probe_inst_detach(pi);
	child_abort(c);
	if (quit_signal)
		return 128 + quit_signal;
	if (attach_failed)
		return ret;
	rt_output(rt)->maps_begin(rt->out);
	rt_flush(rt);
	rt_print_maps(rt, rt->out);
	rt_flush(rt);
	rt_report_lost(rt);
	rt_flush(rt);
	if (!ret && rt->exit_requested)
		ret = rt->exit_code;
	return ret;
}

/* A failed write of the output ended tracing: a reader that went away
 * (`wisp ... | head -1`) is the normal end of a pipeline and says
 * nothing, as grep and cat do; anything else (a full disk) is an error. */
static int output_status(struct runtime *rt, int ret)
{
	if (rt->out_error == 0 || rt->out_error == EPIPE)
		return ret;
	fprintf(stderr, "wisp: writing %s: %s\n",
		rt->out_name ? rt->out_name : "the output", strerror(rt->out_error));
	return ret ? ret : 1;
}

/* The target compiled for: the running kernel, or the description
 * --target names (its relative paths are taken from its folder). -p,
 * WISP_STRLEN and WISP_NO_RINGBUF (tests: the perf buffer of pre-5.8
 * kernels) apply to both. */
static int make_target(const struct options *o, struct target *t)
{
	if (!o->target) {
		target_from_kernel(t);
	} else {
		struct source text;
		char *err = NULL, *dir = strdup(o->target), *slash;
		int ret = source_read_file(&text, o->target);

		*t = target_default();
		target_lookups(t);
		if (ret) {
			fprintf(stderr, "wisp: cannot read '%s': %s\n", o->target,
				strerror(-ret));
			free(dir);
			return -1;
		}
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		ret = target_parse(t, text.text, slash ? dir : ".", &err);
		free((char *)text.text);
		free(dir);
		if (ret) {
			fprintf(stderr, "wisp: %s: %s\n", o->target, err);
			free(err);
			return -1;
		}
		/* a described kernel's symbols are its file's, never this
		 * machine's /proc/kallsyms */
		if (!t->kallsyms)
			t->kernel_sym = NULL;
	}
	if (o->pid)
		t->pid = o->pid;
	if (getenv("WISP_NO_RINGBUF"))
		t->have[TF_RINGBUF] = 0;
	if (getenv("WISP_STRLEN") || getenv("BPFTRACE_STRLEN") || !o->target)
		return str_size(&t->strlen);
	return 0;
}

/* The kernel's DWARF as a type source, after any BTF: the file
 * --kernel-debuginfo names, else (running kernel without BTF, or
 * WISP_BTF=none) a vmlinux at the usual debug paths, when there is one. */
static int kernel_dwarf(const struct options *o)
{
	const char *path = o->kernel_debuginfo;
	struct dwinfo *d;
	char err[512];

	if (!path && !o->target && !btf_kernel())
		path = dwinfo_kernel_path();
	if (!path)
		return 0;
	d = dwinfo_open(path, AS_KERNEL, err, sizeof(err));
	if (!d) {
		if (!o->kernel_debuginfo)
			return 0; /* found, not readable: as if not found */
		fprintf(stderr, "wisp: --kernel-debuginfo: %s\n", err);
		return -1;
	}
	ctype_add_source(dwinfo_source(d));
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct source src;
	struct program prog = { 0 };
	struct probe_inst *insts = NULL;
	struct runtime rt = { .out = stdout };

	struct sema s = { 0 };
	struct target tgt = { 0 };
	const struct probe_ctx **ctxs = NULL;
	struct compiled *code = NULL;
	struct child child = { .pid = -1, .release_fd = -1 };
	struct timespec now;
	int ninst = 0, ret = 1, err;

	if (parse_options(argc, argv, &o))
		return 1;
	rt.fmt = o.fmt;
	provider_verbose = o.verbose;
	if (o.prog_text) {
		source_from_string(&src, "<cmdline>", o.prog_text);
	} else if ((err = source_read_file(&src, o.prog_file))) {
		fprintf(stderr, "wisp: cannot read '%s': %s\n", o.prog_file, strerror(-err));
		return 1;
	}
	/* A line at a time to a terminal; to a pipe or a file the reader
	 * flushes after every batch of events, one write for many lines. */
	if (isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOLBF, 0);

	if (o.dump & DUMP_TOKENS)
		lex_dump(&src, stdout);
	if (parse_program(&src, &prog))
		return 1;
	if (!prog.probes) {
		fprintf(stderr, "wisp: the program has no probes\n");
		return 1;
	}
	if (o.target && (!o.dump || o.dry_run)) {
		fprintf(stderr, "wisp: --target compiles for another kernel: use it with --dump, it cannot load or run\n");
		return 1;
	}
	if ((!o.dump || o.dry_run) && missing_privileges()) {
		fprintf(stderr, "%s\n", missing_privileges());
		goto out;
	}
	/* before the first feature probe: on kernels before 5.11 a low
	 * RLIMIT_MEMLOCK would fail them */
	if (!o.dump || o.dry_run)
		load_raise_memlock();
	/* the command is forked now, held until tracing is attached, so that
	 * cpid is known to the compiler */
	if (o.cmd && !o.dump && !o.dry_run && child_start(o.cmd, &child))
		goto out;
	if (make_target(&o, &tgt))
		goto out;
	/* a described kernel's types are its btf file's, never this one's;
	 * a vmlinux with DWARF comes after the BTF */
	if (target_type_sources(&tgt, o.btf, !o.target, o.verbose) || kernel_dwarf(&o))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &now);
	rt.start_ns = (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec;
	if (!o.target)
		tgt.start_ns = rt.start_ns;
	/* with --dump or --dry-run the command is not run: cpid is -1 */
	rt.cpid = child.pid > 0 ? child.pid : o.cmd ? -1 : 0;
	if (o.cmd || !o.target)
		tgt.cpid = rt.cpid;
	rt.strlen = tgt.strlen;
	if (map_keys(o.map_keys, &rt.tab.map_keys))
		goto out;
	s.unsafe = o.unsafe;
	s.params = o.params;
	s.nparams = o.nparams;
	if (provider_resolve_all(&prog, &tgt, &insts))
		goto out;
	for (struct probe_inst *pi = insts; pi; pi = pi->next)
		ninst++;
	ctxs = calloc(ninst ? ninst : 1, sizeof(*ctxs));
	ninst = 0;
	for (struct probe_inst *pi = insts; pi; pi = pi->next)
		ctxs[ninst++] = &pi->ctx;
	if (sema_program(&s, &prog, ctxs, ninst, &tgt, &rt.tab))
		goto out;
	if (o.dump & DUMP_AST)
		ast_dump(&prog, stdout);

	code = calloc(ninst ? ninst : 1, sizeof(*code));
	int i = 0;
	for (struct probe_inst *pi = insts; pi; pi = pi->next, i++) {
		code[i].pi = pi;
		if (compile_inst(&s, &tgt, &rt.tab, pi, &code[i].code, o.dump))
			goto out;
	}
	if (o.dump && !o.dry_run) {
		ret = 0;
		goto out;
	}

	if (o.out_file && !o.dry_run) {
		rt.out = fopen(o.out_file, "w");
		if (!rt.out) {
			fprintf(stderr, "wisp: cannot write '%s': %s\n", o.out_file,
				strerror(errno));
			goto out;
		}
		rt.out_name = o.out_file;
	}
	raise_fd_limit();
	if (rt_maps_create(&rt))
		goto out;
	int *fds = calloc(rt.tab.nmaps ? rt.tab.nmaps : 1, sizeof(*fds));
	for (int m = 0; m < rt.tab.nmaps; m++)
		fds[m] = rt.tab.maps[m]->fd;
	for (i = 0; i < ninst; i++) {
		asm_relocate_maps(&code[i].code, fds);
		/* instances of a wildcard whose code came out the same share
		 * one loaded program: loading thousands takes long */
		int same = find_same(code, i);

		if (same >= 0) {
			code[i].pi->prog_fd = fcntl(code[same].pi->prog_fd, F_DUPFD_CLOEXEC, 0);
			if (code[i].pi->prog_fd >= 0)
				continue;
		}
		if (load_program(code[i].pi, &code[i].code)) {
			free(fds);
			goto out;
		}
		if (ninst > 200 && i % 100 == 99)
			fprintf(stderr, "\rwisp: loading programs: %d of %d", i + 1, ninst);
	}
	if (ninst > 200)
		fprintf(stderr, "\rwisp: loading programs: %d of %d\n", ninst, ninst);
	free(fds);
	if (o.dry_run) {
		fprintf(stderr, "wisp: %d program%s loaded; nothing attached (--dry-run)\n",
			ninst, ninst == 1 ? "" : "s");
		ret = 0;
		goto out;
	}
	target_watch(o.pid);
	ret = output_status(&rt, trace(insts, &rt, &child));
out:
	child_abort(&child);
	for (i = 0; code && i < ninst; i++)
		asm_free(&code[i].code);
	free(code);
	probe_inst_free_all(insts);
	rt_close(&rt);
	sema_free(&s);
	tab_free(&rt.tab);
	target_free(&tgt);
	free(ctxs);
	program_free(&prog);
	if (rt.out && rt.out != stdout && fclose(rt.out) && !ret) {
		fprintf(stderr, "wisp: writing %s: %s\n", rt.out_name, strerror(errno));
		ret = 1;
	}
	if (o.prog_file)
		free((char *)src.text);
	return ret;
}
