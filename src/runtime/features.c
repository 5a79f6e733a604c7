/* features.c - what the running kernel offers, found by trying it.
 *
 * wisp picks its mechanisms by probing the kernel, never by version
 * number: distributions backport features and embedded kernels leave
 * them out. Each probe here creates the smallest object that needs the
 * feature and closes it at once. `wisp --info` prints them all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/perf_event.h>

#include "../bpfasm/insn.h"
#include "../provider/provider.h"
#include "../sys/btf.h"
#include "../sys/fs.h"
#include "load.h"
#include "runtime.h"

/* The name of the maps the probes below make: a program that used one
 * frees it only after an RCU grace period, so for a moment after wisp
 * --info it is still there; the counts of --info leave them out. */
#define FEATURE_MAP "wisp_feature"

static int load(enum bpf_prog_type type, const struct bpf_insn *insns, size_t n)
{
	return bpf_prog_load(type, NULL, "GPL", insns, n, NULL);
}

static const struct bpf_insn ret0[] = {
	BPF_MOV64_IMM(BPF_REG_0, 0),
	BPF_EXIT_INSN(),
};

/* BEGIN and END run as raw tracepoint programs through BPF_PROG_TEST_RUN
 * (5.10+). */
static bool have_test_run(void)
{
	unsigned long long ctx[1] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx, .ctx_size_in = sizeof(ctx));
	int fd = load(BPF_PROG_TYPE_RAW_TRACEPOINT, ret0, 2);
	bool ok;

	if (fd < 0)
		return false;
	ok = bpf_prog_test_run_opts(fd, &opts) == 0;
	close(fd);
	return ok;
}

/* A helper is there when a program calling it loads. */
static bool have_helper(int helper)
{
	const struct bpf_insn insns[] = {
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -8),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(helper),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	int fd = load(BPF_PROG_TYPE_TRACEPOINT, insns, sizeof(insns) / sizeof(insns[0]));

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

bool rt_have_compat_read(void)
{
	static int have = -1;

	if (have < 0)
		have = have_helper(BPF_FUNC_probe_read_str);
	return have;
}

/* Does a program using a fresh map of map_type load? The map loads of
 * insns (BPF_LD_MAP_FD) get the map's fd; opts may be NULL. */
static bool loads_with_map(enum bpf_map_type map_type, unsigned key_size,
			   struct bpf_insn *insns, size_t n,
			   const struct bpf_prog_load_opts *opts)
{
	int map = bpf_map_create(map_type, FEATURE_MAP, key_size, 8, 1, NULL), fd;

	if (map < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (insns[i].code == BPF_LD_IMM64_CODE && insns[i].src_reg == BPF_PSEUDO_MAP_FD)
			insns[i].imm = map;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, NULL, "GPL", insns, n, opts);
	if (fd >= 0)
		close(fd);
	close(map);
	return fd >= 0;
}

/* bpf_map_lookup_percpu_elem (5.19+): a probe reads another CPU's value
 * of a per-CPU map, so it can add up an aggregation. */
bool rt_have_percpu_lookup(void)
{
	static int have = -1;
	struct bpf_insn insns[] = {
		BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0),
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_percpu_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	if (have < 0)
		have = loads_with_map(BPF_MAP_TYPE_PERCPU_ARRAY, 4, insns,
				      sizeof(insns) / sizeof(insns[0]), NULL);
	return have;
}

/* bpf_for_each_map_elem (5.13+) with a callback subprogram, described
 * by wisp's BTF: for ($kv : @m) loops and len(@m). */
bool rt_have_for_each(void)
{
	static int have = -1;
	struct bpf_insn insns[] = {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_LD_IMM64_RAW(BPF_REG_2, BPF_PSEUDO_FUNC, 6), /* to the callback */
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_MOV64_IMM(BPF_REG_4, 0),
		BPF_EMIT_CALL(BPF_FUNC_for_each_map_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0), /* the callback: go on */
		BPF_EXIT_INSN(),
	};
	const struct bpf_func_info fi[] = { { 0, 4 }, { 9, 5 } };
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .func_info = fi, .func_info_cnt = 2,
		    .func_info_rec_size = sizeof(fi[0]));
	int btf;

	if (have >= 0)
		return have;
	btf = load_func_btf();
	opts.prog_btf_fd = btf;
	have = btf >= 0 && loads_with_map(BPF_MAP_TYPE_HASH, 8, insns,
					  sizeof(insns) / sizeof(insns[0]), &opts);
	return have;
}

/* BPF links on perf events (5.15+): else attach with PERF_EVENT_IOC_SET_BPF. */
static bool have_perf_link(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = 1000000000ULL,
		.disabled = 1,
	};
	int prog = load(BPF_PROG_TYPE_PERF_EVENT, ret0, 2), pfd, link = -1;

	if (prog < 0)
		return false;
	pfd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd >= 0) {
		link = bpf_link_create(prog, pfd, BPF_PERF_EVENT, NULL);
		close(pfd);
	}
	close(prog);
	if (link < 0)
		return false;
	close(link);
	return true;
}

/* How many BPF programs, maps and links the kernel holds, whoever made
 * them: tests compare these before and after wisp to find leftovers. */
static unsigned count_ids(int (*next)(__u32, __u32 *))
{
	__u32 id = 0;
	unsigned n = 0;

	while (!next(id, &id))
		n++;
	return n;
}

/* The same for maps, but for the feature probes' own (FEATURE_MAP). */
static unsigned count_maps(void)
{
	__u32 id = 0;
	unsigned n = 0;

	while (!bpf_map_get_next_id(id, &id)) {
		struct bpf_map_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(id);

		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    !strcmp(info.name, FEATURE_MAP)) {
			close(fd);
			continue;
		}
		if (fd >= 0)
			close(fd);
		n++;
	}
	return n;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void line(FILE *out, const char *what, bool yes, const char *why)
{
	fprintf(out, "  %-24s %s%s%s\n", what, yes ? "yes" : "no",
		why && *why ? "  " : "", why ? why : "");
}

int rt_print_info(FILE *out)
{
	struct utsname u;
	char jit[16] = "?";
	FILE *f;
	const char *tfs;
	int fd;

	load_raise_memlock(); /* kernels before 5.11 charge the probes to it */
	/* counted before the probes below make their own */
	unsigned nprogs = count_ids(bpf_prog_get_next_id), nmaps = count_maps();
	unsigned nlinks = count_ids(bpf_link_get_next_id);

	uname(&u);
	f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	if (f) {
		if (fgets(jit, sizeof(jit), f))
			jit[strcspn(jit, "\n")] = 0;
		fclose(f);
	}
	fprintf(out, "System\n");
	fprintf(out, "  kernel: %s %s %s\n", u.sysname, u.release, u.version);
	fprintf(out, "  machine: %s\n", u.machine);
	fprintf(out, "  wisp: %s (%s libdw: %s)\n", PACKAGE_VERSION,
#ifdef HAVE_LIBDW
		"with", "DWARF types and uprobe args"
#else
		"without", "no DWARF types, no uprobe args"
#endif
		);
	fprintf(out, "  bpf jit: %s\n", !strcmp(jit, "0") ? "off (interpreter)" : !strcmp(jit, "?") ? "unknown" : "on");
	tfs = tracefs_path();
	fprintf(out, "  tracefs: %s\n", tfs ? tfs : "(none)");

	fprintf(out, "Kernel features\n");
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, NULL, 8, 8, 1, NULL);
	line(out, "bpf() syscall", fd >= 0, fd < 0 ? strerror(errno) : NULL);
	if (fd < 0)
		return -1;
	close(fd);
	line(out, "ring buffer", rt_have_ringbuf(), rt_have_ringbuf() ? "printf output" : "printf output through a perf event array");
	line(out, "BEGIN/END (test_run)", have_test_run(), NULL);
	line(out, "perf event links", have_perf_link(), NULL);
	line(out, "probe_read_kernel_str", have_helper(BPF_FUNC_probe_read_kernel_str), NULL);
	line(out, "probe_read_user_str", have_helper(BPF_FUNC_probe_read_user_str), NULL);
	line(out, "probe_read_str (either)", rt_have_compat_read(), "for kprobe arguments");
	line(out, "map_lookup_percpu_elem", rt_have_percpu_lookup(), "aggregations read in probes");
	line(out, "for_each_map_elem", rt_have_for_each(), "for ($kv : @map)");
	line(out, "kernel BTF", btf_kernel() != NULL,
	     btf_kernel() ? "kernel types: structs, enums, function prototypes" :
	     getenv("WISP_BTF") && !strcmp(getenv("WISP_BTF"), "none") ? "off: WISP_BTF=none" :
	     exists("/sys/kernel/btf/vmlinux") ? "/sys/kernel/btf/vmlinux unreadable" :
	     "a program declares the kernel structs it reads");
	fprintf(out, "  %-24s %u\n", "bpf programs loaded", nprogs);
	fprintf(out, "  %-24s %u\n", "bpf maps loaded", nmaps);
	/* BPF links have ids from 5.8 on: before, none is counted */
	fprintf(out, "  %-24s %u\n", "bpf links loaded", nlinks);
	line(out, "kprobe PMU", exists("/sys/bus/event_source/devices/kprobe/type"), NULL);
	line(out, "uprobe PMU", exists("/sys/bus/event_source/devices/uprobe/type"), NULL);
	{
		char why[160];
		bool yes = fentry_supported(why, sizeof(why));

		line(out, "BPF trampolines", yes, why);
	}
	if (tfs) {
		char p[512];

		snprintf(p, sizeof(p), "%s/kprobe_events", tfs);
		line(out, "kprobe_events", exists(p), NULL);
		snprintf(p, sizeof(p), "%s/uprobe_events", tfs);
		line(out, "uprobe_events", exists(p), NULL);
	}
	return 0;
}
