/* test_values.c - the symbolizers and the printed form of the values user
 * space formats: kernel addresses against /proc/kallsyms itself (and a
 * made-up kallsyms file for the corner cases), user addresses against
 * this test's own PIE executable and libc, then ntop, buf escaping and
 * strftime (with bpftrace's %f), and printf of those values. */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "runtime/runtime.h"
#include "runtime/syms.h"
#include "runtime/values.h"
#include "sys/kallsyms.h"
#include "unit.h"

/* A function of our own for the ELF symbolizer to find; noinline and
 * used so that it exists, with a size, in .symtab. */
__attribute__((noinline, used)) int usym_test_target(int x)
{
	return x * 3 + 1;
}

static char *print_value(const struct runtime *rt, struct type t,
			 const void *p, size_t avail)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	rt_value_print(out, rt, t, p, avail, RT_INDENT_VALUE);
	fclose(out);
	return buf;
}

static void test_ksym_file(void)
{
	char path[] = "/tmp/wisp-kallsyms.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	uint64_t off = 99;

	/* Unsorted like module symbols are, with a data symbol, an alias
	 * pair (the last listed wins) and a module suffix. */
	fputs("ffffffff81002000 T second_fn\n"
	      "ffffffff81001000 T first_alias\n"
	      "ffffffff81001000 t first_fn\n"
	      "ffffffff81001800 D some_data\n"
	      "ffffffffc0001000 t mod_fn\t[mymod]\n"
	      "0000000000000000 A zero_abs\n"
	      "ffffffff81003000 W weak_fn\n",
	      f);
	fclose(f);
	CHECK(ksym_load(path) == 4, "4 text symbols at distinct addresses");
	unlink(path);
	CHECK_STR(ksym_lookup(0xffffffff81001000, &off), "first_fn");
	CHECK(off == 0, "offset %llu", (unsigned long long)off);
	/* No data symbol, no size: the previous function goes on. */
	CHECK_STR(ksym_lookup(0xffffffff81001900, &off), "first_fn");
	CHECK(off == 0x900, "offset %llu", (unsigned long long)off);
	CHECK_STR(ksym_lookup(0xffffffff81002fff, NULL), "second_fn");
	CHECK_STR(ksym_lookup(0xffffffff81003000, NULL), "weak_fn");
	CHECK_STR(ksym_lookup(0xffffffffc0001004, &off), "mod_fn");
	CHECK(off == 4, "offset %llu", (unsigned long long)off);
	CHECK(ksym_lookup(0xffffffff80000000, NULL) == NULL, "below all");
	CHECK(ksym_lookup(0x401000, NULL) == NULL, "a user address");
	CHECK(ksym_load("/nonexistent/kallsyms") == -1, "missing file");
}

/* A function of the running kernel and its address, straight from
 * /proc/kallsyms: one alone at its address, with the next symbol far
 * enough for addr + 1 to be still inside it. */
static bool pick_kernel_function(char *name, size_t len, uint64_t *addr)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], sym[256], prev_sym[256] = "", type, prev_type = 0;
	unsigned long long a, prev_a = 0, prev_prev_a = 0;
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) != 3)
			continue;
		/* prev is unique: distinct from both neighbours (the file is
		 * sorted for the kernel image, which comes first). */
		if (prev_type == 'T' && prev_a && prev_a != prev_prev_a &&
		    a > prev_a + 16 && !strchr(prev_sym, '.') &&
		    strncmp(prev_sym, "__pfx_", 6)) {
			snprintf(name, len, "%s", prev_sym);
			*addr = prev_a;
			found = true;
		}
		prev_prev_a = prev_a;
		prev_a = a;
		prev_type = type;
		snprintf(prev_sym, sizeof(prev_sym), "%s", sym);
	}
	fclose(f);
	return found;
}

static void test_ksym_kernel(void)
{
	char name[256], *got;
	uint64_t addr = 0, off = 99, v;
	struct type t = { .kind = TYPE_KSYM, .size = 8 };

	CHECK(ksym_load("/proc/kallsyms") >= 0, "read /proc/kallsyms");
	if (!pick_kernel_function(name, sizeof(name), &addr)) {
		unit_skip("/proc/kallsyms shows no addresses here: kernel lookups not checked");
		CHECK(ksym_lookup(0xffffffff81000000, NULL) == NULL,
		      "no addresses, no names");
		return;
	}
	CHECK_STR(ksym_lookup(addr, &off), name);
	CHECK(off == 0, "%s: offset %llu", name, (unsigned long long)off);
	CHECK_STR(ksym_lookup(addr + 1, &off), name);
	CHECK(off == 1, "%s+1: offset %llu", name, (unsigned long long)off);
	/* ksym(): the name alone; unknown addresses in hex, 0 as "0". */
	got = print_value(NULL, t, &addr, 8);
	CHECK_STR(got, name);
	free(got);
	v = 0x1000;
	got = print_value(NULL, t, &v, 8);
	CHECK_STR(got, "0x1000");
	free(got);
	v = 0;
	got = print_value(NULL, t, &v, 8);
	CHECK_STR(got, "0");
	free(got);
}

static bool self_is_pie(void)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	Elf64_Ehdr eh;
	bool pie = false;

	if (f && fread(&eh, sizeof(eh), 1, f) == 1)
		pie = eh.e_type == ET_DYN;
	if (f)
		fclose(f);
	return pie;
}

static void test_usym(void)
{
	uint64_t addr = (uint64_t)(uintptr_t)&usym_test_target, off = 99;
	uint64_t v[2] = { addr, (uint64_t)getpid() };
	struct type t = { .kind = TYPE_USYM, .size = 16 };
	struct usym_proc *p;
	const char *name;
	char *got, want[32];
	pid_t child;

	if (!self_is_pie())
		printf("note: this test is not a PIE executable\n");
	CHECK_STR(usym_lookup(getpid(), addr, &off), "usym_test_target");
	CHECK(off == 0, "offset %llu", (unsigned long long)off);
	CHECK_STR(usym_lookup(getpid(), addr + 2, &off), "usym_test_target");
	CHECK(off == 2, "offset %llu", (unsigned long long)off);
	/* A shared library: libc's exported getppid. */
	p = usym_proc_open(getpid());
	CHECK(p != NULL, "our own maps");
	name = usym_proc_lookup(p, (uint64_t)(uintptr_t)&getppid, &off);
	CHECK(name && strstr(name, "getppid"), "getppid resolved to %s",
	      name ? name : "(null)");
	/* The same file again, from the cache. */
	CHECK_STR(usym_proc_lookup(p, addr + 1, NULL), "usym_test_target");
	CHECK(usym_proc_lookup(p, 0x1000, NULL) == NULL, "unmapped");
	usym_proc_close(p);
	CHECK(usym_proc_open(0) == NULL, "pid 0");

	got = print_value(NULL, t, v, sizeof(v));
	CHECK_STR(got, "usym_test_target");
	free(got);
	/* A process that is gone: the address, as bpftrace prints it. */
	child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	v[1] = (uint64_t)child;
	got = print_value(NULL, t, v, sizeof(v));
	snprintf(want, sizeof(want), "0x%llx", (unsigned long long)addr);
	CHECK_STR(got, want);
	free(got);
}

static void test_ntop(void)
{
	unsigned char v[24] = { 0 };
	struct type t = { .kind = TYPE_INET, .size = 24 };
	char buf[64], *got;

	v[0] = 2;
	memcpy(v + 8, "\x7f\x00\x00\x01", 4);
	CHECK_STR(rt_ntop(v, buf, sizeof(buf)), "127.0.0.1");
	v[0] = 10;
	memset(v + 8, 0, 16);
	v[23] = 1;
	CHECK_STR(rt_ntop(v, buf, sizeof(buf)), "::1");
	memcpy(v + 8, "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x2a", 16);
	got = print_value(NULL, t, v, sizeof(v));
	CHECK_STR(got, "2001:db8::2a");
	free(got);
	v[0] = 3;
	CHECK_STR(rt_ntop(v, buf, sizeof(buf)), "");
}

static void test_buf(void)
{
	unsigned char v[8 + 12];
	struct type t = { .kind = TYPE_BUF, .size = sizeof(v) };
	uint64_t len = 9;
	char *got = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&got, &n);

	rt_buf_print(out, "a\\b \x00\x7f\xff\n~\"", 10);
	fclose(out);
	CHECK_STR(got, "a\\b \\x00\\x7f\\xff\\x0a~\"");
	free(got);
	/* The length field says how much of the data is the value. */
	memcpy(v, &len, 8);
	memcpy(v + 8, "/etc/host\0\0\0", 12);
	got = print_value(NULL, t, v, sizeof(v));
	CHECK_STR(got, "/etc/host");
	free(got);
	len = 12;
	memcpy(v, &len, 8);
	got = print_value(NULL, t, v, sizeof(v));
	CHECK_STR(got, "/etc/host\\x00\\x00\\x00");
	free(got);
	/* A length beyond the buffer stops at its end. */
	len = 1000;
	memcpy(v, &len, 8);
	got = print_value(NULL, t, v, sizeof(v));
	CHECK_STR(got, "/etc/host\\x00\\x00\\x00");
	free(got);
}

static void test_strftime(void)
{
	char buf[128], year[8], *got;
	char *strs[] = { "%Y", "XX" };
	struct runtime rt = { .tab.strs = strs, .tab.nstrs = 2 };
	struct type t = { .kind = TYPE_TIME, .size = 16 };
	struct timespec mono;
	uint64_t ns[2];
	time_t now;
	size_t n;

	setenv("TZ", "UTC", 1);
	tzset();
	n = rt_strftime_real(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S.%f",
			     1700000000123456789LL);
	CHECK_STR(buf, "2023-11-14 22:13:20.123456");
	CHECK(n == strlen(buf), "length %zu", n);
	rt_strftime_real(buf, sizeof(buf), "%%f|%f|%%%f|%", 1000);
	CHECK_STR(buf, "%f|000001|%000001|%");
	/* Before the epoch: the microseconds count from the second before. */
	rt_strftime_real(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S.%f", -1000);
	CHECK_STR(buf, "1969-12-31 23:59:59.999999");
	CHECK(rt_strftime_real(buf, sizeof(buf), "", 0) == 0, "empty");
	CHECK(rt_strftime_real(buf, 4, "%Y-%m", 0) == 0, "too long");

	/* A monotonic time of now is this year. */
	clock_gettime(CLOCK_MONOTONIC, &mono);
	ns[0] = (uint64_t)mono.tv_sec * 1000000000 + mono.tv_nsec;
	ns[1] = 0; /* the format: strs[0] */
	now = time(NULL);
	strftime(year, sizeof(year), "%Y", gmtime(&now));
	got = print_value(&rt, t, ns, sizeof(ns));
	CHECK_STR(got, year);
	free(got);
	/* the value says which format */
	ns[1] = 1;
	got = print_value(&rt, t, ns, sizeof(ns));
	CHECK_STR(got, "XX");
	free(got);
	/* one the runtime does not have, or no runtime: bpftrace's "(?)" */
	ns[1] = 2;
	got = print_value(&rt, t, ns, sizeof(ns));
	CHECK_STR(got, "(?)");
	free(got);
	ns[1] = 0;
	got = print_value(NULL, t, ns, sizeof(ns));
	CHECK_STR(got, "(?)");
	free(got);
}

/* printf with those values: widths apply to their text, as with %s. */
static void test_printf_values(void)
{
	struct fmt_arg args[3] = {
		{ .type = { .kind = TYPE_INET, .size = 24 }, .off = 8 },
		{ .type = { .kind = TYPE_BUF, .size = 12 }, .off = 32 },
		{ .type = { .kind = TYPE_USYM, .size = 16 }, .off = 48 },
	};
	struct fmt_def f = { .fmt = "[%-12s|%6r|%v]\n", .nargs = 3, .args = args,
			     .size = 64 };
	unsigned char rec[64] = { 0 };
	uint64_t len = 3, addr = (uint64_t)(uintptr_t)&usym_test_target;
	uint64_t pid = (uint64_t)getpid();
	char *got = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&got, &n);

	rec[8] = 2;
	memcpy(rec + 16, "\x0a\x00\x00\x02", 4);
	memcpy(rec + 32, &len, 8);
	memcpy(rec + 40, "a\tb", 3);
	memcpy(rec + 48, &addr, 8);
	memcpy(rec + 56, &pid, 8);
	fmt_print(out, &f, rec, sizeof(rec));
	fclose(out);
	CHECK_STR(got, "[10.0.0.2    |a\\x09b|usym_test_target]\n");
	free(got);
}

int main(void)
{
	test_ksym_file();
	test_ksym_kernel();
	test_usym();
	test_ntop();
	test_buf();
	test_strftime();
	test_printf_values();
	return unit_done("test_values");
}
