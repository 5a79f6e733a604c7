/* test_uprobe.c - the uprobe provider's parts: library names, the
 * ld.so.cache parser (synthetic caches in both layouts, and the real
 * one), symbol lookup on this very binary (the file offset must be what
 * /proc/self/maps says the function's address maps to), wildcard
 * deduplication, resolve errors, and, as root, a uprobe and a uretprobe
 * on a function of this binary counting its calls.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "provider/provider.h"
#include "provider/uprobe.h"
#include "sys/elfsyms.h"
#include "unit.h"

#define CHECK_HAS(text, want)                                              \
	CHECK(strstr((text), (want)) != NULL, "\n  want: %s\n  in:   %s",  \
	      (want), (text))

/* The function probed: not inlined, not folded into another. */
__attribute__((noinline)) int test_uprobe_target(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 3 + 1;
}

static char *self_path;

static void test_names(void)
{
	CHECK(lib_name_matches("libc", "libc.so.6"), "libc");
	CHECK(lib_name_matches("c", "libc.so.6"), "c");
	CHECK(lib_name_matches("libc.so", "libc.so.6"), "libc.so");
	CHECK(lib_name_matches("libc.so.6", "libc.so.6"), "libc.so.6");
	CHECK(lib_name_matches("libssl", "libssl.so.1.1"), "libssl.so.1.1");
	CHECK(lib_name_matches("libz", "libz.so"), "libz.so");
	CHECK(!lib_name_matches("libc", "libcrypt.so.1"), "libcrypt");
	CHECK(!lib_name_matches("libc", "libc_malloc_debug.so.0"), "libc_malloc");
	CHECK(!lib_name_matches("c", "c.so.6"), "no lib prefix");
	CHECK(!lib_name_matches("libc.so", "libc.so.x"), "libc.so.x");
	CHECK(!lib_name_matches("libc.so.6", "libc.so.7"), "libc.so.7");
}

/* ---- synthetic ld.so.cache images ---- */

static size_t put32(unsigned char *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
	return off + 4;
}

/* A cache of n entries (keys[i] -> paths[i]) at buf; with old, behind
 * an old-format table of one entry. Returns its size. */
static size_t make_cache(unsigned char *buf, bool old, size_t n,
			 const char *const *keys, const char *const *paths)
{
	size_t base = 0, strs;

	memset(buf, 0, 4096);
	if (old) {
		memcpy(buf, "ld.so-1.7.0", 11);
		put32(buf, 12, 1);
		/* 16 + 12 = 28, aligned to 8 */
		base = 32;
	}
	memcpy(buf + base, "glibc-ld.so.cache1.1", 20);
	put32(buf, base + 20, n);
	strs = 48 + n * 24;
	for (size_t i = 0; i < n; i++) {
		size_t e = base + 48 + i * 24;

		put32(buf, e, 0x0303);
		put32(buf, e + 4, strs);
		strcpy((char *)buf + base + strs, keys[i]);
		strs += strlen(keys[i]) + 1;
		put32(buf, e + 8, strs);
		strcpy((char *)buf + base + strs, paths[i]);
		strs += strlen(paths[i]) + 1;
	}
	return base + strs;
}

struct walked {
	char text[512];
};

static int walk_collect(const char *key, const char *path, void *arg)
{
	struct walked *w = arg;
	size_t len = strlen(w->text);

	snprintf(w->text + len, sizeof(w->text) - len, "%s=%s;", key, path);
	return 0;
}

static void test_cache(void)
{
	static unsigned char buf[4096];
	const char *keys[] = { "libfoo.so.1", "libc.so.6" };
	const char *paths[] = { "/x/libfoo.so.1", "/y/libc.so.6" };
	struct walked w;
	size_t len;

	for (int old = 0; old < 2; old++) {
		len = make_cache(buf, old, 2, keys, paths);
		memset(&w, 0, sizeof(w));
		CHECK(lib_cache_walk(buf, len, walk_collect, &w) == 0,
		      "walk (old %d)", old);
		CHECK_STR(w.text, "libfoo.so.1=/x/libfoo.so.1;libc.so.6=/y/libc.so.6;");
		/* truncated: no entry may be read beyond the end */
		memset(&w, 0, sizeof(w));
		CHECK(lib_cache_walk(buf, len - 20, walk_collect, &w) == 0,
		      "truncated walk");
		CHECK_STR(w.text, "libfoo.so.1=/x/libfoo.so.1;");
		CHECK(lib_cache_walk(buf, 40, walk_collect, &w) == -1,
		      "header only");
	}
	CHECK(lib_cache_walk("not a cache at all, not at all......................",
			     50, walk_collect, &w) == -1, "garbage");
}

/* lib_find reads a cache file: entries that are not ELF files of this
 * machine are passed over (as the i386 libc on amd64 would be). */
static void test_find_synthetic(void)
{
	static unsigned char buf[4096];
	char tmpl[] = "/tmp/wisp-test-cache.XXXXXX";
	const char *keys[] = { "libwispfake.so.2", "libwispfake.so.1" };
	const char *paths[] = { "/etc/passwd", self_path };
	size_t len = make_cache(buf, true, 2, keys, paths);
	int fd = mkstemp(tmpl);
	char *found;

	CHECK(fd >= 0, "mkstemp: %s", strerror(errno));
	if (fd < 0)
		return;
	CHECK(write(fd, buf, len) == (ssize_t)len, "write");
	close(fd);
	found = lib_find(tmpl, "wispfake");
	CHECK_STR(found, self_path);
	free(found);
	found = lib_find(tmpl, "libwispfake.so.3");
	CHECK(!found, "found %s", found);
	free(found);
	unlink(tmpl);
}

static bool have_libc(void)
{
	return access("/etc/ld.so.cache", R_OK) == 0;
}

static void test_find_real(void)
{
	char *p = lib_find(NULL, "libc");
	char *q = lib_resolve_target("c", 0);
	char *sh = lib_resolve_target("sh", 0);

	CHECK(p && strstr(p, "/libc.so.6"), "libc: %s", p ? p : "(null)");
	CHECK(q && strstr(q, "/libc.so.6") && q[0] == '/', "c: %s",
	      q ? q : "(null)");
	CHECK(sh && sh[0] == '/', "sh in $PATH: %s", sh ? sh : "(null)");
	free(p);
	free(q);
	free(sh);
	q = lib_resolve_target("libwisp-no-such-lib", 0);
	CHECK(!q && errno == ENOENT, "no such lib: %s", q);
	free(q);
	/* with -p, the library the process has mapped */
	q = lib_resolve_target("libc", getpid());
	CHECK(q && strstr(q, "/libc.so.6"), "libc of pid: %s", q ? q : "(null)");
	free(q);
}

/* The offset the kernel needs for test_uprobe_target, computed the
 * other way: from where it is in memory and the mapping that holds it. */
static unsigned long long self_offset(void *fn)
{
	uintptr_t addr = (uintptr_t)fn;
	unsigned long long start, end, off, got = ~0ULL;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx %*s %llx", &start, &end, &off) == 3 &&
		    addr >= start && addr < end)
			got = addr - start + off;
	}
	if (f)
		fclose(f);
	return got;
}

static void test_self_syms(void)
{
	struct elf_syms syms;
	const struct elf_sym **v;
	unsigned long long off;
	long n;

	CHECK(elf_syms_load(self_path, &syms) == 0, "load %s: %s", self_path,
	      strerror(errno));
	n = uprobe_syms_match(&syms, "test_uprobe_target", &v);
	CHECK(n == 1, "test_uprobe_target: %ld matches", n);
	if (n == 1) {
		CHECK(v[0]->offset == self_offset(test_uprobe_target),
		      "offset 0x%llx, maps says 0x%llx", v[0]->offset,
		      self_offset(test_uprobe_target));
		CHECK(elf_vaddr_to_offset(self_path, v[0]->addr, &off) == 0 &&
		      off == v[0]->offset, "vaddr to offset");
		CHECK(elf_syms_at(&syms, v[0]->addr + 1) == v[0], "syms_at");
		CHECK(!v[0]->ifunc, "ifunc");
	}
	free(v);
	CHECK(uprobe_syms_match(&syms, "main", &v) == 1, "main");
	free(v);
	CHECK(elf_vaddr_to_offset(self_path, 0x7fff00000000ULL, &off) == -1 &&
	      errno == ERANGE, "0x7fff00000000 is in no segment");
	elf_syms_free(&syms);

	CHECK(elf_syms_load("/etc/passwd", &syms) == -1 && errno == ENOEXEC,
	      "not an ELF: %s", strerror(errno));
	CHECK(elf_syms_load("/no/such/file", &syms) == -1 && errno == ENOENT,
	      "missing: %s", strerror(errno));
}

static void test_dedup(void)
{
	struct elf_sym v[] = {
		{ "__libc_malloc", 0x100, 8, 0x100, false },
		{ "calloc", 0x200, 8, 0x200, false },
		{ "malloc", 0x100, 8, 0x100, false },
		{ "xmalloc", 0x300, 8, 0x300, false },
	};
	struct elf_syms syms = { v, 4 };
	const struct elf_sym **out;
	long n = uprobe_syms_match(&syms, "*alloc", &out);

	CHECK(n == 3, "%ld matches", n);
	if (n == 3) {
		CHECK_STR(out[0]->name, "calloc");
		CHECK_STR(out[1]->name, "malloc");
		CHECK_STR(out[2]->name, "xmalloc");
	}
	free(out);
	n = uprobe_syms_match(&syms, "__libc_*", &out);
	CHECK(n == 1 && !strcmp(out[0]->name, "__libc_malloc"), "__libc_*");
	free(out);
}

static void test_libc_syms(void)
{
	char *libc = lib_find(NULL, "libc");
	struct elf_syms syms;
	const struct elf_sym **v;
	long n, dups;

	if (!libc || elf_syms_load(libc, &syms) < 0) {
		CHECK(0, "libc symbols: %s", strerror(errno));
		free(libc);
		return;
	}
	n = uprobe_syms_match(&syms, "*", &v);
	CHECK(n > 1000, "libc functions: %ld", n);
	dups = 0;
	for (long i = 1; i < n; i++)
		for (long j = 0; j < i; j++)
			dups += v[i]->offset == v[j]->offset;
	CHECK(dups == 0, "%ld functions share an address", dups);
	free(v);
	n = uprobe_syms_match(&syms, "malloc", &v);
	CHECK(n == 1, "malloc: %ld", n);
	free(v);
	elf_syms_free(&syms);
	free(libc);
}

/* ---- through the provider ---- */

static struct source test_src;

static int resolve(const char *spec, struct probe_inst **out)
{
	const struct provider *prov;
	struct probe_inst **tail = out;
	const char *rest;
	struct loc loc = { &test_src, 1, 1 };

	*out = NULL;
	source_from_string(&test_src, "<test>", spec);
	prov = provider_find(spec, &rest);
	if (!prov)
		return -2;
	return prov->resolve(prov, NULL, rest, loc, &tail);
}

static const char *resolve_error(const char *spec)
{
	struct probe_inst *pi;
	const char *msg;
	int ret;

	capture_start();
	ret = resolve(spec, &pi);
	msg = capture_end();
	CHECK(ret == -1 && !pi, "%s: resolved (%d)", spec, ret);
	probe_inst_free_all(pi);
	return msg;
}

static void test_resolve(void)
{
	struct probe_inst *pi;
	char spec[512];

	snprintf(spec, sizeof(spec), "uprobe:%s:test_uprobe_target", self_path);
	CHECK(resolve(spec, &pi) == 0 && pi && !pi->next, "%s", spec);
	if (pi) {
		CHECK_STR(pi->spec, spec);
		CHECK_STR(pi->func, "test_uprobe_target");
	}
	probe_inst_free_all(pi);

	snprintf(spec, sizeof(spec), "ur:%s:test_uprobe_*", self_path);
	CHECK(resolve(spec, &pi) == 0 && pi, "%s", spec);
	if (pi)
		CHECK_STR(pi->prov->name, "uretprobe");
	probe_inst_free_all(pi);

	CHECK_HAS(resolve_error("uprobe:/no/such/bin:main"),
		  "uprobe target '/no/such/bin': No such file or directory");
	CHECK_HAS(resolve_error("uprobe:/etc/passwd:main"),
		  "not an ELF executable or shared object");
	CHECK_HAS(resolve_error("uprobe:/bin/sh"), "expected 'uprobe:PATH:FUNC'");
	CHECK_HAS(resolve_error("uprobe:libwisp-no-such-lib:f"),
		  "no such program in $PATH, nor library");
	snprintf(spec, sizeof(spec), "uprobe:%s:test_uprobe_targt", self_path);
	CHECK_HAS(resolve_error(spec), "did you mean 'test_uprobe_target'?");
	snprintf(spec, sizeof(spec), "uprobe:%s:nothing_like_this_*", self_path);
	CHECK_HAS(resolve_error(spec), "no function of");
	snprintf(spec, sizeof(spec), "uretprobe:%s:main+4", self_path);
	CHECK_HAS(resolve_error(spec), "a return probe takes no offset");
	if (have_libc()) {
		/* strlen is chosen at load time: its symbol is the chooser;
		 * this program uses libc too, so the choice is known */
		CHECK(resolve("uprobe:libc:strlen", &pi) == 0 && pi,
		      "uprobe:libc:strlen (an IFUNC)");
		probe_inst_free_all(pi);
		pi = NULL;
		/* a breakpoint in the ELF header would show in every mmap of
		 * libc: only code is probed */
		CHECK_HAS(resolve_error("uprobe:libc:0x10"), "is not in the code");
		CHECK(resolve("uprobe:libc:malloc", &pi) == 0 && pi,
		      "uprobe:libc:malloc");
		if (pi)
			CHECK(strstr(pi->spec, "/libc.so.6:malloc") != NULL,
			      "spec %s", pi->spec);
		probe_inst_free_all(pi);
	}
}

/* ---- attaching (root) ---- */

static int load_counter(int map_fd)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = 10, .off = -4 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = -4 },
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd },
		{ 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_lookup_elem },
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = 0, .off = 2 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1, .imm = 1 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = 0, .src_reg = 1,
		  .imm = BPF_ADD },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_KPROBE, "wisp_test", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), NULL);
}

static unsigned long long counter_get(int map_fd)
{
	unsigned long long v = 0;
	unsigned key = 0;

	bpf_map_lookup_elem(map_fd, &key, &v);
	return v;
}

static void test_attach(const char *prefix, int pid)
{
	struct probe_inst *pi;
	char spec[512];
	int map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "wisp_test", 4, 8, 1, NULL);
	volatile int sum = 0;

	CHECK(map_fd >= 0, "map: %s", strerror(errno));
	snprintf(spec, sizeof(spec), "%s:%s:test_uprobe_target", prefix, self_path);
	CHECK(resolve(spec, &pi) == 0 && pi, "%s", spec);
	if (!pi || map_fd < 0)
		goto out;
	pi->prog_fd = load_counter(map_fd);
	CHECK(pi->prog_fd >= 0, "load: %s", strerror(errno));
	provider_target_pid = pid;
	CHECK(pi->prov->attach(pi) == 0 && pi->nfds > 0, "attach %s (pid %d)",
	      spec, pid);
	provider_target_pid = 0;
	for (int i = 0; i < 7; i++)
		sum += test_uprobe_target(i);
	CHECK(counter_get(map_fd) == 7, "%s (pid %d) fired %llu times, not 7",
	      spec, pid, counter_get(map_fd));
	probe_inst_detach(pi);
	sum += test_uprobe_target(1);
	CHECK(counter_get(map_fd) == 7, "fired after detach");
out:
	probe_inst_free_all(pi);
	if (map_fd >= 0)
		close(map_fd);
}

int main(void)
{
	self_path = realpath("/proc/self/exe", NULL);
	if (!self_path) {
		unit_skip("no /proc/self/exe");
		return unit_done("test_uprobe");
	}
	test_names();
	test_cache();
	test_find_synthetic();
	test_self_syms();
	test_dedup();
	test_resolve();
	if (have_libc()) {
		test_find_real();
		test_libc_syms();
	} else {
		unit_skip("libc tests need /etc/ld.so.cache");
	}
	if (geteuid() != 0 ||
	    access("/sys/bus/event_source/devices/uprobe/type", R_OK) != 0) {
		unit_skip("attach tests need root and the uprobe PMU");
	} else {
		test_attach("uprobe", 0);
		test_attach("uretprobe", 0);
		test_attach("uprobe", getpid());
	}
	free(self_path);
	return unit_done("test_uprobe");
}
