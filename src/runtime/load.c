/* load.c - load programs with bpf(BPF_PROG_LOAD) and explain rejections.
 *
 * The verifier log is requested only after a failure (it is costly), and
 * its buffer grows while the kernel says it is too small. A rejection is
 * reported at the source location of the instruction the verifier was at
 * when it gave up, followed by the log's last lines rather than all of it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <linux/btf.h>

#include "load.h"

#define LOG_MIN (1u << 20)
#define LOG_MAX (16u << 20)
#define LOG_TAIL 8

/* A BPF program name: at most 15 characters of [A-Za-z0-9_]. */
static void prog_name(const char *spec, char *name, size_t len)
{
	const char *s = strrchr(spec, ':');
	size_t i = 0;

	s = s && s[1] ? s + 1 : spec;
	for (; *s && i + 1 < len && i < 15; s++)
		name[i++] = isalnum((unsigned char)*s) ? *s : '_';
	name[i] = 0;
}

/* The pc of the last "N: (op) ..." line: where the verifier stopped. */
static long log_last_pc(const char *log)
{
	long pc = -1;

	for (const char *l = log; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		char *end;
		long v;

		if (!isdigit((unsigned char)*l))
			continue;
		v = strtol(l, &end, 10);
		if (*end == ':' && end[1] == ' ')
			pc = v;
	}
	return pc;
}

static void print_tail(const char *log)
{
	const char *lines[LOG_TAIL] = { 0 };
	size_t lens[LOG_TAIL] = { 0 };
	int n = 0;

	for (const char *l = log; *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);

		if (len && strncmp(l, "processed ", 10) && strncmp(l, "verification time", 17)) {
			lines[n % LOG_TAIL] = l;
			lens[n % LOG_TAIL] = len;
			n++;
		}
		l += len + (nl ? 1 : 0);
	}
	fprintf(stderr, "verifier log (last lines):\n");
	for (int i = n > LOG_TAIL ? n - LOG_TAIL : 0; i < n; i++)
		fprintf(stderr, "  %.*s\n", (int)lens[i % LOG_TAIL], lines[i % LOG_TAIL]);
}

/* The verifier's own reason: the last meaningful line of its log. */
static void last_reason(const char *log, char *buf, size_t len)
{
	buf[0] = 0;
	for (const char *l = log; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);

		if (n && !isdigit((unsigned char)*l) && strncmp(l, "processed ", 10) &&
		    strncmp(l, "verification time", 17) && strncmp(l, "stack depth", 11) &&
		    strncmp(l, "mark_precise", 12) && strncmp(l, "func#", 5) &&
		    strncmp(l, "last_idx", 8) && strncmp(l, "parent ", 7) && l[0] != ';') {
			snprintf(buf, len, "%.*s", (int)n, l);
		}
		l += n + (nl ? 1 : 0);
	}
}

/* Programs with subprograms must describe them with BTF: the kernel
 * wants a FUNC type for each (func_info). wisp's own few bytes of BTF,
 * loaded once and shared: [1] int, [2] void *, [3] int (void *ctx),
 * [4] FUNC "probe" (the main program), [5] FUNC "callback" (static). */
#define BTF_TYPE_INFO(kind, vlen) (((uint32_t)(kind) << 24) | (vlen))
int load_func_btf(void)
{
	static int fd = -2;
	static const char strs[] = "\0int\0ctx\0probe\0callback";
	const uint32_t types[] = {
		1, BTF_TYPE_INFO(BTF_KIND_INT, 0), 4, (BTF_INT_SIGNED << 24) | 32,
		0, BTF_TYPE_INFO(BTF_KIND_PTR, 0), 0,
		0, BTF_TYPE_INFO(BTF_KIND_FUNC_PROTO, 1), 1, 5, 2,
		9, BTF_TYPE_INFO(BTF_KIND_FUNC, BTF_FUNC_GLOBAL), 3,
		15, BTF_TYPE_INFO(BTF_KIND_FUNC, BTF_FUNC_STATIC), 3,
	};
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h),
		.type_off = 0, .type_len = sizeof(types),
		.str_off = sizeof(types), .str_len = sizeof(strs),
	};
	unsigned char blob[sizeof(h) + sizeof(types) + sizeof(strs)];

	if (fd != -2)
		return fd;
	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), types, sizeof(types));
	memcpy(blob + sizeof(h) + sizeof(types), strs, sizeof(strs));
	fd = bpf_btf_load(blob, sizeof(blob), NULL);
	return fd;
}

static int load_with(struct probe_inst *pi, const struct asm_prog *p,
		     struct bpf_prog_load_opts *o);

void load_raise_memlock(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	if (setrlimit(RLIMIT_MEMLOCK, &r) == 0 || getrlimit(RLIMIT_MEMLOCK, &r))
		return;
	if (r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_MEMLOCK, &r);
	}
}

/* The version is the one test here: memory cgroup accounting of BPF came
 * with 5.11, and only a failure asks. */
const char *load_memlock_hint(void)
{
	static char hint[256];
	struct rlimit r;
	struct utsname u;
	int major = 0, minor = 0;

	if (getrlimit(RLIMIT_MEMLOCK, &r) || r.rlim_cur == RLIM_INFINITY || uname(&u) ||
	    sscanf(u.release, "%d.%d", &major, &minor) != 2 ||
	    major > 5 || (major == 5 && minor >= 11))
		return NULL;
	snprintf(hint, sizeof(hint),
		 "the locked-memory limit (RLIMIT_MEMLOCK, %llu KiB), which kernels before 5.11 charge BPF maps and programs to, is too low and wisp may not raise it (that needs CAP_SYS_RESOURCE): run 'ulimit -l unlimited' first",
		 (unsigned long long)r.rlim_cur / 1024);
	return hint;
}

int load_program(struct probe_inst *pi, const struct asm_prog *p)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	struct prog_load_opts po = { 0 };
	struct bpf_func_info *fi;
	int ret, btf;

	if (pi->prov->load_opts && pi->prov->load_opts(pi, &po))
		return -1;
	opts.expected_attach_type = po.expected_attach_type;
	opts.attach_btf_id = po.attach_btf_id;
	opts.attach_btf_obj_fd = po.attach_btf_obj_fd;
	if (!p->nfuncs)
		return load_with(pi, p, &opts);
	btf = load_func_btf();
	if (btf < 0) {
		fprintf(stderr, "wisp: loading the BTF that describes the callbacks of %s: %s\n",
			pi->spec, strerror(errno));
		return -1;
	}
	fi = calloc(p->nfuncs + 1, sizeof(*fi));
	if (!fi)
		return -1;
	opts.prog_btf_fd = btf;
	fi[0] = (struct bpf_func_info){ 0, 4 };
	for (int k = 0; k < p->nfuncs; k++)
		fi[k + 1] = (struct bpf_func_info){ (uint32_t)p->funcs[k], 5 };
	opts.func_info = fi;
	opts.func_info_cnt = p->nfuncs + 1;
	opts.func_info_rec_size = sizeof(*fi);
	ret = load_with(pi, p, &opts);
	free(fi);
	return ret;
}

static int load_with(struct probe_inst *pi, const struct asm_prog *p,
		     struct bpf_prog_load_opts *o)
{
	struct bpf_prog_load_opts opts = *o;
	char name[16], reason[256];
	char *log = NULL;
	unsigned size = LOG_MIN;
	int fd, err;

	prog_name(pi->spec, name, sizeof(name));
	fd = bpf_prog_load(pi->prov->prog_type, name, "GPL", p->insns, p->n, &opts);
	if (fd >= 0) {
		pi->prog_fd = fd;
		return 0;
	}
	err = errno;
	if (err == EPERM) {
		const char *hint = load_memlock_hint();

		if (hint)
			fprintf(stderr, "wisp: loading the program for %s: %s: %s\n",
				pi->spec, strerror(err), hint);
		else
			fprintf(stderr, "wisp: loading the program for %s: %s: run wisp as root (it needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)\n",
				pi->spec, strerror(err));
		return -1;
	}
	for (;;) {
		free(log);
		log = calloc(1, size);
		if (!log)
			break;
		opts.log_buf = log;
		opts.log_size = size;
		opts.log_level = 1;
		fd = bpf_prog_load(pi->prov->prog_type, name, "GPL", p->insns, p->n, &opts);
		if (fd >= 0) { /* passed with the log on: a transient failure */
			pi->prog_fd = fd;
			free(log);
			return 0;
		}
		if (errno != ENOSPC || size >= LOG_MAX)
			break;
		size *= 4;
	}
	if (!log || !*log) {
		fprintf(stderr, "wisp: the kernel refused the program for %s: %s\n",
			pi->spec, strerror(err));
		free(log);
		return -1;
	}
	long pc = log_last_pc(log);
	struct loc loc = { 0 };

	if (pc >= 0 && (size_t)pc < p->n)
		loc = p->locs[pc];
	last_reason(log, reason, sizeof(reason));
	diag_error(loc, "the kernel's verifier rejected the program for %s%s%s",
		   pi->spec, *reason ? ": " : "", reason);
	if (pc >= 0)
		fprintf(stderr, "(at instruction %ld; see --dump=asm)\n", pc);
	print_tail(log);
	free(log);
	return -1;
}
