/* kprobe.c - kprobe and kretprobe: kernel function entry (at an offset)
 * and return. "kprobe:FUNC", "kprobe:FUNC+OFF", "kretprobe:FUNC", aliases
 * "k" and "kr"; FUNC may hold the wildcards * and ?.
 *
 * Names are checked against the attachable functions (kfuncs.c) so that
 * a typo gets a suggestion and a wildcard expands to one instance per
 * function. Attaching goes through the perf kprobe PMU: the kprobe lives
 * as long as the perf event fd, so the kernel removes it whatever way
 * wisp dies. Kernels without the PMU (before 4.17), or WISP_KPROBE_EVENTS=1,
 * use the text interface kprobe_events instead, under the group wisp_PID;
 * those events outlive a killed wisp, so the first resolve removes the
 * groups of wisp processes that no longer exist.
 *
 * A wildcard whose program is the same for every function (it reads
 * neither func nor probe) goes through one kprobe_multi link instead,
 * where the kernel has them (5.18+ with CONFIG_FPROBE): one program
 * loaded with expected_attach_type BPF_TRACE_KPROBE_MULTI, one link for
 * all the functions, attached and detached in one call rather than one
 * perf event (and one kprobe registration) per function. -v says which
 * way each spec was attached and how long it took; WISP_KPROBE_MULTI=0
 * forces the perf events.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/btf.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>

#include "provider.h"
#include "../lang/sema.h"
#include "../sys/btf.h"
#include "../sys/fs.h"
#include "kbtf.h"
#include "kfuncs.h"

#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe"
/* The kernel's TRACE_EVENT name limit (MAX_EVENT_NAME_LEN - 1). */
#define KPROBE_EVENT_MAX 63
/* The kernel-internal ENOTSUPP that BPF commands leak. */
#define KPROBE_ENOTSUPP 524

/* How a group is attached: decided once, when its first program is
 * loaded (a kprobe_multi program is loaded as one). */
enum kprobe_method {
	KPROBE_UNDECIDED,
	KPROBE_PERF,  /* a perf event per function (kprobe PMU or kprobe_events) */
	KPROBE_MULTI, /* kprobe_multi links */
};

/* The instances one spec expanded to: a wildcard's unattachable matches
 * are skipped and counted, and reported once the last one was tried. */
struct kprobe_group {
	unsigned refs;
	unsigned total, tried, skipped;
	unsigned links;              /* kprobe_multi links made */
	bool wildcard;
	enum kprobe_method method;
	const char *why_perf;        /* why not kprobe_multi, for -v */
	struct timespec t0;          /* the first attach began */
	char *spec; /* as written, for the messages */
};

struct kprobe_priv {
	unsigned long long offset;
	char *event;                 /* kprobe_events: "wisp_PID/NAME" */
	struct kprobe_group *group;
	bool multi_done;             /* kprobe_multi: in a link (or skipped) */
};

/* ---- spec parsing ---- */

/* "func" or "func+off" (off decimal or 0x hex). Returns 0, or -1 after
 * reporting at loc. */
static int kprobe_parse(const struct provider *prov, const char *rest,
			struct loc loc, char **func,
			unsigned long long *offset)
{
	const char *plus = strchr(rest, '+');
	size_t len = plus ? (size_t)(plus - rest) : strlen(rest);

	*offset = 0;
	if (!len) {
		diag_error(loc, "expected '%s:FUNCTION%s'", prov->name,
			   prov->is_return ? "" : "[+OFFSET]");
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		char c = rest[i];

		if (!isalnum((unsigned char)c) && !strchr("_.*?", c)) {
			diag_error(loc, "bad function name '%.*s' in '%s:%s'",
				   (int)len, rest, prov->name, rest);
			return -1;
		}
	}
	if (plus) {
		const char *num = plus + 1;
		bool hex = num[0] == '0' && (num[1] == 'x' || num[1] == 'X');
		char *end;

		if (prov->is_return) {
			diag_error(loc, "%s takes no offset: '%s:%s'",
				   prov->name, prov->name, rest);
			return -1;
		}
		if (strpbrk(rest, "*?")) {
			diag_error(loc, "a wildcard cannot take an offset: '%s:%s'",
				   prov->name, rest);
			return -1;
		}
		errno = 0;
		*offset = strtoull(hex ? num + 2 : num, &end, hex ? 16 : 10);
		if (!isxdigit((unsigned char)(hex ? num[2] : num[0])) || *end ||
		    errno) {
			diag_error(loc, "bad offset '%s' in '%s:%s': expected a decimal or 0x number",
				   num, prov->name, rest);
			return -1;
		}
	}
	*func = strndup(rest, len);
	if (!*func) {
		diag_error(loc, "out of memory");
		return -1;
	}
	return 0;
}

/* ---- kprobe_events: the fallback, and stale groups ---- */

static bool kprobe_use_events(void)
{
	const char *force = getenv("WISP_KPROBE_EVENTS");

	if (force && *force && strcmp(force, "0") != 0)
		return true;
	return access(KPROBE_PMU "/type", R_OK) != 0;
}

/* Write one command to kprobe_events; returns 0 or -errno. */
static int kprobe_events_write(const char *tfs, const char *cmd)
{
	char path[256];
	ssize_t len = strlen(cmd), got;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", tfs);
	/* O_APPEND: without it the open truncates, removing every kprobe
	 * event of the system. */
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	got = write(fd, cmd, len);
	if (got < 0)
		err = -errno;
	else if (got != len)
		err = -EIO;
	close(fd);
	return err;
}

/* Remove the events of groups wisp_PID whose process is gone: they are
 * what a killed wisp on the fallback path left behind. */
static void kprobe_remove_stale(const char *tfs)
{
	char path[256], *buf = NULL, *line, *next;
	size_t len = 0, cap = 0, got;
	FILE *f;

	snprintf(path, sizeof(path), "%s/kprobe_events", tfs);
	f = fopen(path, "re");
	if (!f)
		return;
	/* All of it first: removing events while reading the file would
	 * shift the reader's position and skip some. */
	do {
		if (len + 4096 + 1 > cap) {
			char *nbuf = realloc(buf, cap = cap * 2 + 8192);

			if (!nbuf) {
				free(buf);
				fclose(f);
				return;
			}
			buf = nbuf;
		}
		got = fread(buf + len, 1, 4096, f);
		len += got;
	} while (got > 0);
	fclose(f);
	if (!buf)
		return;
	buf[len] = '\0';

	for (line = buf; *line; line = next) {
		/* "p:wisp_123/vfs_read_0 vfs_read", "r16:wisp_123/..." */
		char *grp = strchr(line, ':'), *slash, *end, cmd[600];
		long pid;

		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		if (!grp || strncmp(grp + 1, "wisp_", 5) != 0)
			continue;
		grp++;
		slash = strchr(grp, '/');
		if (!slash)
			continue;
		errno = 0;
		pid = strtol(grp + 5, &end, 10);
		if (end != slash || errno || pid <= 0)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		end = strpbrk(slash, " \t");
		if (end)
			*end = '\0';
		snprintf(cmd, sizeof(cmd), "-:%s", grp);
		kprobe_events_write(tfs, cmd);
	}
	free(buf);
}

/* The event name for func: tracefs wants [A-Za-z0-9_] and at most 63
 * characters; clones have dots. A counter keeps names unique, whatever
 * the sanitising merged or the program probes twice. */
static char *kprobe_event_name(const char *func)
{
	static unsigned counter;
	char name[KPROBE_EVENT_MAX + 1], *p;
	char *ev;

	snprintf(name, sizeof(name), "%.48s", func);
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			*p = '_';
	if (asprintf(&ev, "wisp_%d/%s_%u", (int)getpid(), name, counter++) < 0)
		return NULL;
	return ev;
}

static unsigned long long kprobe_events_id(const char *tfs, const char *event)
{
	char path[512], buf[32] = "";
	unsigned long long id = 0;
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "%s/events/%s/id", tfs, event);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got > 0) {
		buf[got] = '\0';
		id = strtoull(buf, NULL, 10);
	}
	return id;
}

/* ---- resolve ---- */

/* Once per run: stale groups go, and the fd limit is raised since a
 * wildcard can expand to thousands of instances of two or three fds each
 * (program, perf event, link) while attaching: to 64Ki where root may
 * raise the hard limit (a busybox system's is 4096), else to the hard
 * limit. */
static void kprobe_startup(void)
{
	static bool done;
	struct rlimit rl;
	const char *tfs;

	if (done)
		return;
	done = true;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536) {
		struct rlimit more = { 65536, 65536 };

		if (rl.rlim_max >= 65536 || setrlimit(RLIMIT_NOFILE, &more) < 0) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	if (access("/sys/kernel/tracing/kprobe_events", F_OK) != 0 &&
	    access("/sys/kernel/debug/tracing/kprobe_events", F_OK) != 0 &&
	    !kprobe_use_events())
		return;
	tfs = tracefs_path();
	if (tfs)
		kprobe_remove_stale(tfs);
}

struct kprobe_expand {
	const struct provider *prov;
	struct probe *probe;
	struct loc loc;
	unsigned long long offset;
	struct kprobe_group *group;
	struct probe_inst ***tail;
};

static int kprobe_add(const char *func, void *arg)
{
	struct kprobe_expand *x = arg;
	struct kprobe_priv *kp = calloc(1, sizeof(*kp));
	struct probe_inst *pi = NULL;
	char *spec = NULL;
	int n;

	if (x->offset)
		n = asprintf(&spec, "%s:%s+%llu", x->prov->name, func,
			     x->offset);
	else
		n = asprintf(&spec, "%s:%s", x->prov->name, func);
	if (n >= 0 && kp)
		pi = probe_inst_new(x->prov, x->probe, spec, x->loc);
	if (pi)
		pi->func = strdup(func);
	free(spec);
	if (!pi || !pi->func) {
		if (pi)
			probe_inst_free_all(pi);
		free(kp);
		diag_error(x->loc, "out of memory");
		return -1;
	}
	kp->offset = x->offset;
	kp->group = x->group;
	x->group->refs++;
	x->group->total++;
	pi->priv = kp;
	**x->tail = pi;
	*x->tail = &pi->next;
	return 0;
}

static int kprobe_resolve(const struct provider *prov, struct probe *probe,
			  const char *rest, struct loc loc,
			  struct probe_inst ***tail)
{
	struct kprobe_expand x = {
		.prov = prov, .probe = probe, .loc = loc, .tail = tail,
	};
	const struct kfuncs *kf;
	const char *why, *target;
	char *func;
	int ret = -1;

	if (kprobe_parse(prov, rest, loc, &func, &x.offset) < 0)
		return -1;
	/* the running kernel's stale events are not a described one's */
	if (!provider_kallsyms_file)
		kprobe_startup();
	kf = kfuncs_get(&why);
	if (!kf) {
		diag_error(loc, "cannot list the kernel's functions: %s: %s",
			   why, strerror(errno));
		goto out;
	}
	x.group = calloc(1, sizeof(*x.group));
	if (!x.group || asprintf(&x.group->spec, "%s:%s", prov->name, rest) < 0) {
		free(x.group);
		diag_error(loc, "out of memory");
		goto out;
	}
	x.group->wildcard = strpbrk(func, "*?") != NULL;
	/* The group lives as long as its instances; hold it while adding. */
	x.group->refs = 1;

	if (x.group->wildcard) {
		if (kfuncs_each_match(kf, func, kprobe_add, &x))
			goto drop;
		if (!x.group->total) {
			diag_error(loc, "no kernel function matches '%s'", func);
			goto drop;
		}
		ret = 0;
		goto drop;
	}
	target = func;
	/* A function ftrace cannot trace (notrace) may still take a kprobe:
	 * an exact name in kallsyms is tried, and the kernel has the last
	 * word. */
	if (!kfuncs_has(kf, func) &&
	    !(kf != kfuncs_kallsyms() && kfuncs_kallsyms() &&
	      kfuncs_has(kfuncs_kallsyms(), func))) {
		/* static functions the compiler specialised exist only
		 * under their clone's name */
		target = kfuncs_clone(kf, func);
		if (!target) {
			const char *best = kfuncs_closest(kf, func);

			if (best)
				diag_error(loc, "kernel function '%s' not found; did you mean '%s'?",
					   func, best);
			else
				diag_error(loc, "kernel function '%s' not found (not in %s)",
					   func, kf->source);
			goto drop;
		}
	}
	ret = kprobe_add(target, &x);
drop:
	if (--x.group->refs == 0) {
		free(x.group->spec);
		free(x.group);
	}
out:
	free(func);
	return ret;
}

/* ---- attach ---- */

/* The PMU's type and the config bit of "retprobe" (its format file
 * says "config:0"). Returns 0 or -1. */
static int kprobe_pmu(int *type, int *retbit)
{
	static int cached_type = -1, cached_bit = -1;
	char buf[64] = "";
	FILE *f;

	if (cached_type < 0) {
		f = fopen(KPROBE_PMU "/type", "re");
		if (!f)
			return -1;
		if (fscanf(f, "%d", &cached_type) != 1)
			cached_type = -1;
		fclose(f);
		if (cached_type < 0)
			return -1;
		f = fopen(KPROBE_PMU "/format/retprobe", "re");
		if (f) {
			if (fgets(buf, sizeof(buf), f))
				sscanf(buf, "config:%d", &cached_bit);
			fclose(f);
		}
	}
	*type = cached_type;
	*retbit = cached_bit;
	return 0;
}

/* Errors that mean this function cannot be probed, as opposed to
 * wisp or the system being unable to probe anything. */
static bool kprobe_unprobeable(int err)
{
	return err == EINVAL || err == ENOENT || err == EILSEQ ||
	       err == EADDRNOTAVAIL || err == EOPNOTSUPP;
}

static void kprobe_attach_error(struct probe_inst *pi, const char *what,
				int err)
{
	const char *func = pi->func;
	const struct kprobe_priv *kp = pi->priv;

	switch (err) {
	case ENOENT:
		diag_error(pi->loc, "cannot attach '%s': the kernel has no function '%s'",
			   pi->spec, func);
		break;
	case EINVAL:
	case EOPNOTSUPP:
		if (kp->offset)
			diag_error(pi->loc, "cannot attach '%s': '%s' cannot be probed at offset %llu (not an instruction, past its end, or the function is notrace or blacklisted)",
				   pi->spec, func, kp->offset);
		else
			diag_error(pi->loc, "cannot attach '%s': function '%s' cannot be probed (notrace, or on the kprobe blacklist)",
				   pi->spec, func);
		break;
	case EILSEQ:
		diag_error(pi->loc, "cannot attach '%s': offset %llu is not at an instruction boundary of '%s'",
			   pi->spec, kp->offset, func);
		break;
	case EADDRNOTAVAIL:
		diag_error(pi->loc, "cannot attach '%s': several kernel functions are named '%s'",
			   pi->spec, func);
		break;
	default:
		diag_error(pi->loc, "cannot attach '%s': %s: %s%s", pi->spec,
			   what,
			   err == KPROBE_ENOTSUPP ? "Operation not supported by this kernel" : strerror(err),
			   err == EACCES || err == EPERM ?
				   " (root, or CAP_BPF and CAP_PERFMON, is needed)" : "");
	}
}

/* Hang the program on an open perf event (fd owned by pi from here):
 * by a BPF link where the kernel has them (5.15+), else by ioctl. Not
 * provider_perf_attach, which reports a failing perf_event_open itself:
 * a wildcard's unprobeable matches must be skipped quietly. Returns 0 or
 * -1 after reporting. */
static int kprobe_hang(struct probe_inst *pi, int pfd)
{
	int lfd, err;

	if (probe_inst_add_fd(pi, pfd) < 0) {
		kprobe_attach_error(pi, "perf_event_open", ENOMEM);
		return -1;
	}
	lfd = bpf_link_create(pi->prog_fd, pfd, BPF_PERF_EVENT, NULL);
	if (lfd >= 0) {
		if (probe_inst_add_fd(pi, lfd) < 0) {
			kprobe_attach_error(pi, "bpf_link_create", ENOMEM);
			return -1;
		}
	} else {
		err = errno ? errno : -lfd;
		if (err != EINVAL && err != EOPNOTSUPP &&
		    err != KPROBE_ENOTSUPP && err != ENOSYS) {
			kprobe_attach_error(pi, "bpf_link_create", err);
			return -1;
		}
		if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, pi->prog_fd) < 0) {
			kprobe_attach_error(pi, "PERF_EVENT_IOC_SET_BPF", errno);
			return -1;
		}
	}
	if (ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		kprobe_attach_error(pi, "PERF_EVENT_IOC_ENABLE", errno);
		return -1;
	}
	return 0;
}

static int kprobe_perf_open(struct perf_event_attr *attr)
{
	int fd;

	attr->size = sizeof(*attr);
	attr->sample_period = 1;
	attr->wakeup_events = 1;
	/* One event on CPU 0 is enough: a kprobe runs its programs on
	 * whichever CPU hits it. */
	fd = syscall(__NR_perf_event_open, attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Returns the perf event fd, or -errno. */
static int kprobe_open_pmu(struct probe_inst *pi, int type, int retbit)
{
	const struct kprobe_priv *kp = pi->priv;
	struct perf_event_attr attr = {
		.type = type,
		.config1 = (uint64_t)(uintptr_t)pi->func,
		.config2 = kp->offset,
	};

	if (pi->prov->is_return) {
		if (retbit < 0 || retbit > 63)
			return -EOPNOTSUPP;
		attr.config |= 1ULL << retbit;
	}
	return kprobe_perf_open(&attr);
}

/* Returns the perf event fd, or -errno. */
static int kprobe_open_events(struct probe_inst *pi)
{
	struct kprobe_priv *kp = pi->priv;
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT };
	const char *tfs = tracefs_path();
	char *cmd;
	int err;

	if (!tfs)
		return -ENOENT;
	kp->event = kprobe_event_name(pi->func);
	if (!kp->event)
		return -ENOMEM;
	if (pi->prov->is_return)
		err = asprintf(&cmd, "r:%s %s", kp->event, pi->func);
	else
		err = asprintf(&cmd, "p:%s %s+%llu", kp->event, pi->func,
			       kp->offset);
	if (err < 0)
		return -ENOMEM;
	err = kprobe_events_write(tfs, cmd);
	free(cmd);
	if (err < 0) {
		/* not created: nothing for free to remove */
		free(kp->event);
		kp->event = NULL;
		return err;
	}
	attr.config = kprobe_events_id(tfs, kp->event);
	if (!attr.config)
		return -ENOENT;
	return kprobe_perf_open(&attr);
}

/* ---- kprobe_multi ---- */

#ifndef BPF_F_KPROBE_MULTI_RETURN
#define BPF_F_KPROBE_MULTI_RETURN 1
#endif

/* Does the kernel have kprobe_multi links? A program loaded for them
 * and a link asked for a function that does not exist: 5.19+ looks the
 * name up and says ESRCH; older kernels refuse the attach type (EINVAL),
 * kernels without CONFIG_FPROBE say EOPNOTSUPP. Nothing is attached.
 * NULL when it has them, else why not. */
static const char *kprobe_multi_missing(void)
{
	static bool probed;
	static const char *why;
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, po,
		    .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	const char *syms[] = { "wisp_no_such_function" };
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	int pfd, lfd, err;

	if (probed)
		return why;
	probed = true;
	pfd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "wisp_multi", "GPL", insns,
			    2, &po);
	if (pfd < 0)
		return why = "not in this kernel (a kprobe_multi program does not load)";
	lo.kprobe_multi.syms = syms;
	lo.kprobe_multi.cnt = 1;
	lfd = bpf_link_create(pfd, 0, BPF_TRACE_KPROBE_MULTI, &lo);
	err = lfd < 0 ? errno : 0;
	if (lfd >= 0)
		close(lfd);
	close(pfd);
	if (lfd >= 0 || err == ESRCH)
		why = NULL;
	else if (err == EOPNOTSUPP || err == KPROBE_ENOTSUPP)
		why = "not in this kernel (built without CONFIG_FPROBE)";
	else if (err == EPERM || err == EACCES)
		why = "not allowed";
	else
		why = "not in this kernel (5.18+)";
	return why;
}

/* Does the probe read func or probe? Then each function has its own
 * program, which one link cannot share. */
static bool kprobe_names_instance(const struct node *n)
{
	for (; n; n = n->next) {
		if (n->kind == AST_IDENT &&
		    (n->builtin == BI_FUNC || n->builtin == BI_PROBE))
			return true;
		if (kprobe_names_instance(n->a) || kprobe_names_instance(n->b) ||
		    kprobe_names_instance(n->c) || kprobe_names_instance(n->args))
			return true;
	}
	return false;
}

static enum kprobe_method kprobe_method(const struct probe_inst *pi)
{
	struct kprobe_group *g = ((struct kprobe_priv *)pi->priv)->group;
	const char *force = getenv("WISP_KPROBE_MULTI");

	if (g->method != KPROBE_UNDECIDED)
		return g->method;
	g->method = KPROBE_PERF;
	if (!g->wildcard || g->total < 2)
		g->why_perf = "one function";
	else if (force && !strcmp(force, "0"))
		g->why_perf = "WISP_KPROBE_MULTI=0";
	else if (kprobe_use_events())
		g->why_perf = "kprobe_events in use";
	else if (kprobe_names_instance(pi->probe->pred) ||
		 kprobe_names_instance(pi->probe->body))
		g->why_perf = "the program reads func or probe, so each function has its own";
	else if ((g->why_perf = kprobe_multi_missing()) == NULL)
		g->method = KPROBE_MULTI;
	return g->method;
}

static int kprobe_load_opts(const struct probe_inst *pi,
			    struct prog_load_opts *o)
{
	if (kprobe_method(pi) == KPROBE_MULTI)
		o->expected_attach_type = BPF_TRACE_KPROBE_MULTI;
	return 0;
}

/* The kprobe blacklist (debugfs): functions the perf events would
 * refuse. ftrace may take some of them, but a wildcard attaches the same
 * functions whichever way it goes. Sorted; empty when unreadable. */
static int kprobe_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool kprobe_blacklisted(const char *func)
{
	static char **names;
	static size_t n;
	static bool read_once;

	if (!read_once) {
		FILE *f = fopen("/sys/kernel/debug/kprobes/blacklist", "re");
		char line[512], name[256];
		size_t cap = 0;

		read_once = true;
		while (f && fgets(line, sizeof(line), f)) {
			char **nn;

			/* "0xSTART-0xEND\tname" */
			if (sscanf(line, "%*s %255s", name) != 1)
				continue;
			if (n == cap) {
				nn = realloc(names, (cap = cap * 2 + 256) * sizeof(*nn));
				if (!nn)
					break;
				names = nn;
			}
			if (!(names[n] = strdup(name)))
				break;
			n++;
		}
		if (f)
			fclose(f);
		if (n)
			qsort(names, n, sizeof(*names), kprobe_strcmp);
	}
	return n && bsearch(&func, names, n, sizeof(*names), kprobe_strcmp);
}

/* One link for funcs[0..n) on lead's program, whose fd lead keeps.
 * A name the kernel cannot find among what ftrace traces (ESRCH, or
 * ENOENT) fails the whole link: the list is halved until the culprits
 * stand alone, and those are skipped. Returns 0, or -1 after reporting. */
static int kprobe_multi_link(struct probe_inst *lead, const char **funcs,
			     size_t n)
{
	struct kprobe_group *g = ((struct kprobe_priv *)lead->priv)->group;
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	int fd, err;

	if (!n)
		return 0;
	lo.kprobe_multi.syms = funcs;
	lo.kprobe_multi.cnt = n;
	lo.kprobe_multi.flags = lead->prov->is_return ? BPF_F_KPROBE_MULTI_RETURN : 0;
	fd = bpf_link_create(lead->prog_fd, 0, BPF_TRACE_KPROBE_MULTI, &lo);
	if (fd >= 0) {
		if (probe_inst_add_fd(lead, fd) < 0) {
			kprobe_attach_error(lead, "bpf_link_create", ENOMEM);
			return -1;
		}
		g->links++;
		return 0;
	}
	err = errno;
	if (err != ESRCH && err != ENOENT) {
		diag_error(lead->loc, "cannot attach '%s': a kprobe_multi link of %zu functions: %s (WISP_KPROBE_MULTI=0 attaches one perf event per function)",
			   g->spec, n,
			   err == KPROBE_ENOTSUPP ? "Operation not supported by this kernel" : strerror(err));
		return -1;
	}
	if (n == 1) {
		g->skipped++;
		return 0;
	}
	if (kprobe_multi_link(lead, funcs, n / 2) < 0)
		return -1;
	return kprobe_multi_link(lead, funcs + n / 2, n - n / 2);
}

static unsigned kprobe_prog_id(int fd)
{
	struct bpf_prog_info info;
	unsigned len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
		return 0;
	return info.id;
}

/* pi and the instances of its group after it that are not attached yet
 * and run the same program (all of them, unless the code differed):
 * one link. */
static int kprobe_attach_multi(struct probe_inst *pi)
{
	struct kprobe_priv *kp = pi->priv;
	struct kprobe_group *g = kp->group;
	unsigned id = kprobe_prog_id(pi->prog_fd);
	const char **funcs = calloc(g->total, sizeof(*funcs));
	struct probe_inst **batch = calloc(g->total, sizeof(*batch));
	size_t n = 0, nb = 0;
	int ret;

	if (!funcs || !batch) {
		free(funcs);
		free(batch);
		kprobe_attach_error(pi, "bpf_link_create", ENOMEM);
		return -1;
	}
	for (struct probe_inst *q = pi; q && n < g->total; q = q->next) {
		struct kprobe_priv *qp;

		if (q->prov != pi->prov)
			break;
		qp = q->priv;
		if (qp->group != g)
			break;
		if (qp->multi_done ||
		    (q != pi && (!id || kprobe_prog_id(q->prog_fd) != id)))
			continue;
		qp->multi_done = true;
		batch[nb++] = q;
		if (kprobe_blacklisted(q->func))
			g->skipped++;
		else
			funcs[n++] = q->func;
	}
	ret = kprobe_multi_link(pi, funcs, n);
	/* the links hold the program: the batch's fds of it can go (the
	 * wildcard's later batches, if any, still have theirs) */
	for (size_t i = 0; !ret && i < nb; i++) {
		close(batch[i]->prog_fd);
		batch[i]->prog_fd = -1;
	}
	free(funcs);
	free(batch);
	return ret;
}

/* -v: how the group was attached, once its last instance was tried. */
static void kprobe_group_report(const struct kprobe_group *g)
{
	struct timespec t1;
	double ms;

	if (!provider_verbose || g->tried < g->total || g->skipped == g->total)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - g->t0.tv_sec) * 1e3 + (t1.tv_nsec - g->t0.tv_nsec) / 1e6;
	if (g->method == KPROBE_MULTI)
		fprintf(stderr, "wisp: %s: %u function%s attached by %u kprobe_multi link%s in %.1f ms\n",
			g->spec, g->total - g->skipped,
			g->total - g->skipped == 1 ? "" : "s", g->links,
			g->links == 1 ? "" : "s", ms);
	else
		fprintf(stderr, "wisp: %s: %u function%s attached by perf events (%s, one a function) in %.1f ms; not kprobe_multi: %s\n",
			g->spec, g->total - g->skipped,
			g->total - g->skipped == 1 ? "" : "s",
			kprobe_use_events() ? "kprobe_events" : "kprobe PMU", ms,
			g->why_perf ? g->why_perf : "-");
}

/* A wildcard's last instance says how many were skipped; when none
 * could be attached at all, that is an error. */
static int kprobe_group_done(struct probe_inst *pi, int ret)
{
	struct kprobe_group *g = ((struct kprobe_priv *)pi->priv)->group;

	if (!ret)
		kprobe_group_report(g);
	if (g->tried < g->total || !g->skipped)
		return ret;
	if (g->skipped == g->total) {
		diag_error(pi->loc, "none of the %u functions matching '%s' can be probed",
			   g->total, g->spec);
		return -1;
	}
	diag_warning(pi->loc, "skipped %u of the %u functions matching '%s': they cannot be probed",
		     g->skipped, g->total, g->spec);
	return ret;
}

static int kprobe_attach(struct probe_inst *pi)
{
	struct kprobe_priv *kp = pi->priv;
	struct kprobe_group *g = kp->group;
	const char *what = "perf_event_open";
	int type, retbit, fd;

	if (!g->tried++)
		clock_gettime(CLOCK_MONOTONIC, &g->t0);
	if (kprobe_method(pi) == KPROBE_MULTI) {
		if (!kp->multi_done && kprobe_attach_multi(pi) < 0) {
			probe_inst_detach(pi);
			return -1;
		}
		return kprobe_group_done(pi, 0);
	}
	if (g->total >= 1000 && g->tried % 1000 == 0)
		fprintf(stderr, "wisp: attached %u of %u probes of '%s'\n",
			g->tried, g->total, g->spec);
	if (!kprobe_use_events() && kprobe_pmu(&type, &retbit) == 0) {
		fd = kprobe_open_pmu(pi, type, retbit);
	} else {
		what = "kprobe_events";
		fd = kprobe_open_events(pi);
	}
	if (fd < 0) {
		if (g->wildcard && g->total > 1 && kprobe_unprobeable(-fd)) {
			g->skipped++;
			return kprobe_group_done(pi, 0);
		}
		kprobe_attach_error(pi, what, -fd);
		return -1;
	}
	if (kprobe_hang(pi, fd) < 0) {
		probe_inst_detach(pi);
		return -1;
	}
	/* the perf event (or its link) holds the program now: one fd less a
	 * function */
	close(pi->prog_fd);
	pi->prog_fd = -1;
	return kprobe_group_done(pi, 0);
}

static void kprobe_free(struct probe_inst *pi)
{
	struct kprobe_priv *kp = pi->priv;
	const char *tfs;

	free(pi->func);
	pi->func = NULL;
	if (!kp)
		return;
	if (kp->event && (tfs = tracefs_path())) {
		char *cmd;

		/* the perf event is closed by now, else this is EBUSY */
		if (asprintf(&cmd, "-:%s", kp->event) >= 0) {
			kprobe_events_write(tfs, cmd);
			free(cmd);
		}
	}
	free(kp->event);
	if (kp->group && --kp->group->refs == 0) {
		free(kp->group->spec);
		free(kp->group);
	}
	free(kp);
	pi->priv = NULL;
}

/* ---- list ---- */

/* -lv: a listed function's BTF id, found by name */
struct kprobe_proto {
	char *name;
	uint32_t id;
};

struct kprobe_lister {
	const struct provider *prov;
	const char *pattern;
	FILE *out;
	/* -lv: the kernel's BTF and, sorted by name, the ids of its
	 * functions that the pattern matches: one pass over BTF for the
	 * whole listing, not a search of it per function */
	struct btf *btf;
	struct kprobe_proto *protos;
	size_t nprotos;
};

static int kprobe_proto_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kprobe_proto *)a)->name,
		      ((const struct kprobe_proto *)b)->name);
}

static int kprobe_proto_add(uint32_t id, const char *name, void *arg)
{
	struct kprobe_lister *l = arg;
	struct kprobe_proto *grown;
	char spec[512];

	snprintf(spec, sizeof(spec), "%s:%s", l->prov->name, name);
	if (l->pattern && !provider_glob(l->pattern, spec))
		return 0;
	grown = realloc(l->protos, (l->nprotos + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	l->protos = grown;
	if (!(grown[l->nprotos].name = strdup(name)))
		return -1;
	grown[l->nprotos++].id = id;
	return 0;
}

static int kprobe_list_one(const char *func, void *arg)
{
	struct kprobe_lister *l = arg;
	struct kprobe_proto key = { .name = (char *)func }, *p;
	const struct ctype *fn;
	char spec[512];

	snprintf(spec, sizeof(spec), "%s:%s", l->prov->name, func);
	if (l->pattern && !provider_glob(l->pattern, spec))
		return 0;
	fprintf(l->out, "%s\n", spec);
	/* -lv: the prototype in the kernel's types (arg0, arg1... in this
	 * order), as fentry's are listed */
	if (l->btf && l->nprotos &&
	    (p = bsearch(&key, l->protos, l->nprotos, sizeof(*p), kprobe_proto_cmp)) &&
	    (fn = btf_ctype(l->btf, p->id)) && fn->kind == CT_FUNC)
		kbtf_print_args(fn, l->prov->is_return ? fn->ref : NULL, l->out);
	return 0;
}

static void kprobe_list(const struct provider *prov, const char *pattern,
			bool verbose, FILE *out)
{
	struct kprobe_lister l = { .prov = prov, .pattern = pattern, .out = out };
	const struct kfuncs *kf;
	const char *why;
	size_t plen = strlen(prov->name);

	kf = kfuncs_get(&why);
	if (!kf) {
		diag_error((struct loc){ 0 }, "cannot list the kernel's functions: %s: %s",
			   why, strerror(errno));
		return;
	}
	if (verbose && (l.btf = kbtf_kernel(&why))) {
		if (btf_each(l.btf, BTF_KIND_FUNC, kprobe_proto_add, &l) == 0)
			qsort(l.protos, l.nprotos, sizeof(*l.protos), kprobe_proto_cmp);
		else
			l.btf = NULL; /* out of memory: names only */
	}
	/* "kprobe:vfs_*" narrows the scan to the names after the prefix */
	if (pattern && strncmp(pattern, prov->name, plen) == 0 &&
	    pattern[plen] == ':')
		kfuncs_each_match(kf, pattern + plen + 1, kprobe_list_one, &l);
	else
		kfuncs_each_match(kf, "*", kprobe_list_one, &l);
	for (size_t i = 0; i < l.nprotos; i++)
		free(l.protos[i].name);
	free(l.protos);
}

/* The arguments of a kernel function may point into either memory. */
static int kprobe_value(const struct probe_ctx *c, const struct target *t,
			enum ctx_name name, unsigned n, const char *spelled,
			struct ctx_value *v, char *err, size_t len)
{
	const struct probe_inst *pi = c->prov;

	return provider_value_regs(c, t, name, n, spelled, pi->prov->is_return,
				   AS_ANY, v, err, len);
}

static const char *const kprobe_aliases[] = { "k", NULL };

const struct provider provider_kprobe = {
	.name = "kprobe",
	.aliases = kprobe_aliases,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.when = PROBE_EVENT,
	.value = kprobe_value,
	.resolve = kprobe_resolve,
	.load_opts = kprobe_load_opts,
	.attach = kprobe_attach,
	.free = kprobe_free,
	.list = kprobe_list,
};

static const char *const kretprobe_aliases[] = { "kr", NULL };

const struct provider provider_kretprobe = {
	.name = "kretprobe",
	.aliases = kretprobe_aliases,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.when = PROBE_EVENT,
	.value = kprobe_value,
	.is_return = true,
	.resolve = kprobe_resolve,
	.load_opts = kprobe_load_opts,
	.attach = kprobe_attach,
	.free = kprobe_free,
	.list = kprobe_list,
};
