/* test_provider.c - the providers: spec lookup, tracepoint format parsing
 * (real format files and odd synthetic ones), interval spellings, error
 * messages, and attaching counting programs to a tracepoint, a cpu-clock
 * event and a BEGIN test run to see them fire. Without root the kernel
 * parts cannot run: the test skips, after the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include <linux/perf_event.h>

#include "provider/perf.h"
#include "provider/provider.h"
#include "sys/fs.h"
#include "unit.h"

/* ---- stderr capture, to check the diagnostics' text ---- */


/* ---- helpers ---- */

static struct source test_src;

/* Resolve one spec as provider_resolve_all would; *out gets the list. */
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

/* Resolve spec expecting an error; returns the diagnostics. */
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

static void check_field(const struct probe_inst *pi, const char *name,
			enum field_kind kind, unsigned offset, unsigned size,
			const char *ctype)
{
	const struct field *f = pi ? probe_inst_field(pi, name) : NULL;

	CHECK(f != NULL, "%s: no field %s", pi ? pi->spec : "?", name);
	if (!f)
		return;
	CHECK(f->kind == kind, "%s.%s: kind %d, want %d", pi->spec, name,
	      f->kind, kind);
	CHECK(f->offset == offset, "%s.%s: offset %u, want %u", pi->spec, name,
	      f->offset, offset);
	CHECK(f->size == size, "%s.%s: size %u, want %u", pi->spec, name,
	      f->size, size);
	CHECK_STR(f->ctype, ctype);
}

/* ---- provider_find ---- */

static void check_find(const char *spec, const struct provider *want,
		       const char *want_rest)
{
	const char *rest = NULL;
	const struct provider *p = provider_find(spec, &rest);

	CHECK(p == want, "%s: provider %s, want %s", spec, p ? p->name : "NULL",
	      want ? want->name : "NULL");
	if (p && want_rest)
		CHECK_STR(rest, want_rest);
}

static void test_find(void)
{
	const char *names[32];
	size_t n;

	check_find("tracepoint:syscalls:sys_enter_openat", &provider_tracepoint,
		   "syscalls:sys_enter_openat");
	check_find("t:syscalls:sys_enter_openat", &provider_tracepoint,
		   "syscalls:sys_enter_openat");
	check_find("tracepoint:sched/sched_switch", &provider_tracepoint,
		   "sched/sched_switch");
	check_find("t:sched/sched_switch", &provider_tracepoint,
		   "sched/sched_switch");
	check_find("tracepoint", &provider_tracepoint, "");
	check_find("interval:s:1", &provider_interval, "s:1");
	check_find("i:ms:10", &provider_interval, "ms:10");
	check_find("interval:100ms", &provider_interval, "100ms");
	check_find("BEGIN", &provider_begin, "BEGIN");
	check_find("begin", &provider_begin, "begin");
	check_find("Begin", &provider_begin, "Begin");
	check_find("END", &provider_end, "END");
	check_find("end", &provider_end, "end");
	check_find("BEGIN:x", &provider_begin, "BEGIN:x");
	check_find("BEGINX", NULL, NULL);
	check_find("tracpoint:syscalls:sys_enter_openat", NULL, NULL);
	check_find("Tracepoint:a:b", NULL, NULL);
	check_find("tracepointx:a:b", NULL, NULL);
	check_find("kprobe:do_sys_open", &provider_kprobe, "do_sys_open");
	check_find("kr:vfs_read", &provider_kretprobe, "vfs_read");
	check_find("uprobe:/bin/sh:main", &provider_uprobe, "/bin/sh:main");
	check_find("profile:hz:99", &provider_profile, "hz:99");
	check_find("software:faults:1", &provider_software, "faults:1");
	check_find("hardware:cycles:1000", &provider_hardware, "cycles:1000");
	check_find("fentry:vfs_read", &provider_fentry, "vfs_read");
	check_find("kfunc:vfs_read", &provider_fentry, "vfs_read");
	check_find("f:ext4:ext4_file_read_iter", &provider_fentry,
		   "ext4:ext4_file_read_iter");
	check_find("fexit:vfs_*", &provider_fexit, "vfs_*");
	check_find("kretfunc:vfs_read", &provider_fexit, "vfs_read");
	check_find("fr:vfs_read", &provider_fexit, "vfs_read");
	check_find("rawtracepoint:sched_switch", &provider_rawtracepoint,
		   "sched_switch");
	check_find("rt:sched_switch", &provider_rawtracepoint, "sched_switch");
	check_find("kprobx:do_sys_open", NULL, NULL);
	check_find(":a:b", NULL, NULL);
	check_find("", NULL, NULL);
	CHECK(provider_find("t:a:b", NULL) == &provider_tracepoint,
	      "NULL rest");

	n = provider_names(names, 32);
	CHECK(n == 28, "provider_names: %zu", n);
	CHECK_STR(names[0], "tracepoint");
	CHECK_STR(names[1], "t");
	CHECK_STR(names[2], "kprobe");
	CHECK_STR(names[3], "k");
	CHECK_STR(names[12], "interval");
	CHECK_STR(names[13], "i");
	CHECK_STR(names[18], "fentry");
	CHECK_STR(names[19], "kfunc");
	CHECK_STR(names[20], "f");
	CHECK_STR(names[21], "fexit");
	CHECK_STR(names[24], "rawtracepoint");
	CHECK_STR(names[25], "rt");
	CHECK_STR(names[26], "BEGIN");
	CHECK_STR(names[27], "END");
	CHECK(provider_names(names, 2) == 2, "provider_names(max 2)");

	CHECK(provider_tracepoint.prog_type == BPF_PROG_TYPE_TRACEPOINT &&
		      provider_tracepoint.when == PROBE_EVENT,
	      "tracepoint provider");
	CHECK(provider_interval.prog_type == BPF_PROG_TYPE_PERF_EVENT,
	      "interval provider");
	CHECK(provider_begin.prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT &&
		      provider_begin.when == PROBE_BEGIN &&
		      provider_end.prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT &&
		      provider_end.when == PROBE_END,
	      "BEGIN/END providers");
}

/* ---- BEGIN, END, interval (no kernel needed) ---- */

static void test_special(void)
{
	struct probe_inst *pi;
	const char *msg;

	CHECK(resolve("BEGIN", &pi) == 0 && pi, "BEGIN");
	if (pi) {
		CHECK_STR(pi->spec, "BEGIN");
		CHECK(pi->prov == &provider_begin && pi->prog_fd == -1 &&
			      !pi->fields && !pi->next,
		      "BEGIN instance");
		CHECK(pi->prov->attach(pi) == 0 && pi->nfds == 0, "BEGIN attach");
	}
	probe_inst_free_all(pi);
	CHECK(resolve("end", &pi) == 0 && pi, "end");
	if (pi)
		CHECK_STR(pi->spec, "END");
	probe_inst_free_all(pi);

	msg = resolve_error("BEGIN:x");
	CHECK_HAS(msg, "'BEGIN' takes no arguments");
}

static void check_interval(const char *rest, unsigned long long want)
{
	unsigned long long ns = 0;

	CHECK(interval_parse(rest, (struct loc){ 0 }, &ns) == 0 && ns == want,
	      "interval %s: %llu, want %llu", rest, ns, want);
}

static void check_interval_spec(const char *spec, const char *want)
{
	struct probe_inst *pi;

	CHECK(resolve(spec, &pi) == 0 && pi, "%s", spec);
	if (pi) {
		CHECK_STR(pi->spec, want);
		CHECK(pi->prov == &provider_interval && pi->priv, "%s", spec);
	}
	probe_inst_free_all(pi);
}

static void test_interval(void)
{
	const char *msg;

	check_interval("s:1", 1000000000ULL);
	check_interval("s:5", 5000000000ULL);
	check_interval("ms:100", 100000000ULL);
	check_interval("us:250", 250000ULL);
	check_interval("hz:99", 1000000000ULL / 99);
	check_interval("hz:1", 1000000000ULL);
	check_interval("1s", 1000000000ULL);
	check_interval("10ms", 10000000ULL);
	check_interval("500us", 500000ULL);

	check_interval_spec("interval:s:1", "interval:s:1");
	check_interval_spec("i:ms:100", "interval:ms:100");
	check_interval_spec("interval:hz:99", "interval:hz:99");
	check_interval_spec("interval:us:10", "interval:us:10");
	check_interval_spec("interval:2s", "interval:s:2");
	check_interval_spec("i:100ms", "interval:ms:100");
	check_interval_spec("interval:50us", "interval:us:50");

	msg = resolve_error("interval:ms:0");
	CHECK_HAS(msg, "<test>:1:1: error: bad interval 'interval:ms:0': N must be at least 1");
	msg = resolve_error("interval:0s");
	CHECK_HAS(msg, "N must be at least 1");
	msg = resolve_error("interval:m:1");
	CHECK_HAS(msg, "bad interval unit 'm'");
	CHECK_HAS(msg, "expected 'interval:UNIT:N' with UNIT s, ms, us or hz");
	msg = resolve_error("interval:10");
	CHECK_HAS(msg, "bad interval unit ''");
	msg = resolve_error("interval:10hz");
	CHECK_HAS(msg, "bad interval unit 'hz'");
	msg = resolve_error("interval:ms:");
	CHECK_HAS(msg, "bad interval 'interval:ms:'");
	msg = resolve_error("interval:ms:1x");
	CHECK_HAS(msg, "bad interval 'interval:ms:1x'");
	msg = resolve_error("interval:ms:-1");
	CHECK_HAS(msg, "bad interval");
	msg = resolve_error("interval");
	CHECK_HAS(msg, "bad interval 'interval:'");
	msg = resolve_error("interval:s");
	CHECK_HAS(msg, "bad interval 'interval:s'");
	msg = resolve_error("interval:s:99999999999999999999999");
	CHECK_HAS(msg, "is too long");
	msg = resolve_error("interval:s:10000000000");
	CHECK_HAS(msg, "is too long");
	msg = resolve_error("interval:hz:2000000000");
	CHECK_HAS(msg, "too frequent");
}

/* ---- tracepoint formats without a kernel ---- */

static const char odd_format[] =
	"name: odd\n"
	"ID: 1\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:__u8 saddr[4];\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long caller[8];\toffset:16;\tsize:64;\tsigned:0;\n"
	"\tfield:__data_loc u64[] phys;\toffset:80;\tsize:4;\tsigned:0;\n"
	"\tfield:char * const name;\toffset:88;\tsize:8;\tsigned:0;\n"
	"\tfield:struct foo bar;\toffset:96;\tsize:8;\tsigned:0;\n"
	"\tfield:bool flag;\toffset:104;\tsize:1;\tsigned:0;\n"
	"\tfield:enum zone_type zt;\toffset:108;\tsize:4;\tsigned:0;\n"
	"\tfield:char buf[];\toffset:112;\tsize:0;\tsigned:0;\n"
	"\tfield:garbage\n"
	"\tfield:int;\toffset:1;\tsize:4;\tsigned:1;\n"
	"\tfield:int x;\toffset:abc;\tsize:4;\n"
	"\tfield:int y;\tsize:4;\n"
	"\tfield:u64 old;\toffset:120;\tsize:8;\n"
	"\tfield special:char sp[16];\toffset:0;\tsize:16;\n"
	"\tfield:__rel_loc char[] rel;\toffset:128;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned char mac[6];\toffset:132;\tsize:6;\tsigned:0;\n"
	"\tfield:const char *const * argv;\toffset:144;\tsize:8;\tsigned:0;\n"
	"\tfield:const volatile char * s;\toffset:152;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned char * vec;\toffset:160;\tsize:8;\tsigned:0;\n"
	"\tfield:__data_loc char[] str;\toffset:168;\tsize:4;\tsigned:0;\n"
	"\tfield:char comm[16];\toffset:172;\tsize:16;\tsigned:0;\n"
	"\tfield:u32 ptr32 *;\toffset:1;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"field:int z; offset:1; size:4;\", REC->x\n";

static void test_format(void)
{
	struct probe_inst pi = { .spec = "odd", .prog_fd = -1 };
	const struct field *f;
	int n;

	n = tracepoint_parse_format(odd_format, false, &pi.fields);
	CHECK(n == 18, "odd format: %d fields", n);
	check_field(&pi, "common_type", FIELD_INT, 0, 2, "unsigned short");
	check_field(&pi, "common_pid", FIELD_INT, 4, 4, "int");
	check_field(&pi, "saddr", FIELD_ARRAY, 8, 4, "__u8[4]");
	check_field(&pi, "caller", FIELD_ARRAY, 16, 64, "unsigned long[8]");
	check_field(&pi, "phys", FIELD_ARRAY, 80, 4, "__data_loc u64[]");
	check_field(&pi, "name", FIELD_PTR, 88, 8, "char * const");
	check_field(&pi, "bar", FIELD_ARRAY, 96, 8, "struct foo");
	check_field(&pi, "flag", FIELD_INT, 104, 1, "bool");
	check_field(&pi, "zt", FIELD_INT, 108, 4, "enum zone_type");
	check_field(&pi, "buf", FIELD_ARRAY, 112, 0, "char[]");
	check_field(&pi, "old", FIELD_INT, 120, 8, "u64");
	check_field(&pi, "rel", FIELD_ARRAY, 128, 4, "__rel_loc char[]");
	check_field(&pi, "mac", FIELD_ARRAY, 132, 6, "unsigned char[6]");
	check_field(&pi, "argv", FIELD_PTR, 144, 8, "const char *const *");
	check_field(&pi, "s", FIELD_PTR, 152, 8, "const volatile char *");
	check_field(&pi, "vec", FIELD_PTR, 160, 8, "unsigned char *");
	check_field(&pi, "str", FIELD_DATALOC, 168, 4, "__data_loc char[]");
	check_field(&pi, "comm", FIELD_CHARS, 172, 16, "char[16]");
	CHECK(!probe_inst_field(&pi, "x") && !probe_inst_field(&pi, "y") &&
		      !probe_inst_field(&pi, "z") && !probe_inst_field(&pi, "sp") &&
		      !probe_inst_field(&pi, "ptr32"),
	      "odd lines skipped");

	f = probe_inst_field(&pi, "common_pid");
	CHECK(f && f->is_signed, "common_pid signed");
	f = probe_inst_field(&pi, "old");
	CHECK(f && !f->is_signed, "no signed: means unsigned");
	f = probe_inst_field(&pi, "name");
	CHECK(f && f->is_str && f->as == AS_KERNEL, "char * const is a string");
	f = probe_inst_field(&pi, "s");
	CHECK(f && f->is_str, "const volatile char * is a string");
	f = probe_inst_field(&pi, "argv");
	CHECK(f && !f->is_str, "char ** is not a string");
	f = probe_inst_field(&pi, "vec");
	CHECK(f && !f->is_str, "unsigned char * is not a string");
	provider_fields_free(pi.fields);
	pi.fields = NULL;

	n = tracepoint_parse_format(odd_format, true, &pi.fields);
	f = probe_inst_field(&pi, "name");
	CHECK(n == 18 && f && f->as == AS_USER, "user pointers");
	f = probe_inst_field(&pi, "comm");
	CHECK(f && f->as == AS_KERNEL, "strings in the context are not user");
	provider_fields_free(pi.fields);

	pi.fields = NULL;
	CHECK(tracepoint_parse_format("", false, &pi.fields) == 0 && !pi.fields,
	      "empty format");
	CHECK(tracepoint_parse_format("field:", false, &pi.fields) == 0,
	      "truncated format");
	CHECK(tracepoint_parse_format("\tfield:int a;\toffset:0;\tsize:4;\tsigned:1;",
				      false, &pi.fields) == 1,
	      "no final newline");
	provider_fields_free(pi.fields);
}

static void test_tracepoint_errors(void)
{
	const char *msg;

	msg = resolve_error("tracepoint:syscalls/");
	CHECK_HAS(msg, "bad tracepoint 'syscalls/'");
	msg = resolve_error("tracepoint:*");
	CHECK_HAS(msg, "bad tracepoint '*'");
	msg = resolve_error("tracepoint:syscalls");
	CHECK_HAS(msg, "bad tracepoint 'syscalls': expected 'tracepoint:CATEGORY:EVENT'");
	msg = resolve_error("tracepoint");
	CHECK_HAS(msg, "bad tracepoint ''");
	msg = resolve_error("tracepoint:../../x:y");
	CHECK_HAS(msg, "bad tracepoint");
	msg = resolve_error("tracepoint:sched:..");
	CHECK_HAS(msg, "bad tracepoint");
	msg = resolve_error("tracepoint:a:b:c");
	CHECK_HAS(msg, "bad tracepoint 'a:b:c'");
	msg = resolve_error("tracepoint::x");
	CHECK_HAS(msg, "bad tracepoint");
}


/* ---- profile, software, hardware ---- */

static void test_perf_cpus(void)
{
	int *cpus, n;

	n = perf_parse_cpus("0-3,8,10-11\n", &cpus);
	CHECK(n == 7 && cpus[0] == 0 && cpus[3] == 3 && cpus[4] == 8 &&
		      cpus[6] == 11, "0-3,8,10-11: %d", n);
	free(cpus);
	n = perf_parse_cpus("0", &cpus);
	CHECK(n == 1 && cpus[0] == 0, "0: %d", n);
	free(cpus);
	CHECK(perf_parse_cpus("", &cpus) == -1 && !cpus, "empty list");
	CHECK(perf_parse_cpus("\n", &cpus) == -1, "blank list");
	CHECK(perf_parse_cpus("3-1", &cpus) == -1, "backwards range");
	CHECK(perf_parse_cpus("0-", &cpus) == -1, "open range");
	CHECK(perf_parse_cpus("0,,1", &cpus) == -1, "empty item");
	CHECK(perf_parse_cpus("0 1", &cpus) == -1, "blank inside");
	CHECK(perf_parse_cpus("0-99999999", &cpus) == -1, "huge range");

	n = perf_online_cpus(&cpus);
	CHECK(n >= 1 && n == sysconf(_SC_NPROCESSORS_ONLN), "online: %d", n);
	free(cpus);
}

static void check_perf(const char *spec, const char *want_spec, unsigned type,
		       unsigned long long config, unsigned long long period,
		       bool freq, int cpu)
{
	struct probe_inst *pi;
	const struct perf_priv *pp;

	CHECK(resolve(spec, &pi) == 0 && pi, "%s: not resolved", spec);
	if (!pi)
		return;
	pp = pi->priv;
	CHECK_STR(pi->spec, want_spec);
	CHECK(!pi->next, "%s: several instances", spec);
	CHECK(pp && pp->type == type && pp->config == config &&
		      pp->period == period && pp->freq == freq && pp->cpu == cpu,
	      "%s: type %u config %llu period %llu freq %d cpu %d", spec,
	      pp ? pp->type : 0, pp ? pp->config : 0, pp ? pp->period : 0,
	      pp ? pp->freq : 0, pp ? pp->cpu : 0);
	probe_inst_free_all(pi);
}

static void test_profile(void)
{
	const char *msg;

	check_perf("profile:hz:99", "profile:hz:99", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CPU_CLOCK, 99, true, -1);
	check_perf("profile:ms:10", "profile:ms:10", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CPU_CLOCK, 10000000, false, -1);
	check_perf("profile:us:250", "profile:us:250", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CPU_CLOCK, 250000, false, -1);
	check_perf("p:s:2", "profile:s:2", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CPU_CLOCK, 2000000000, false, -1);
	/* ply's spellings */
	check_perf("profile:99hz", "profile:hz:99", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CPU_CLOCK, 99, true, -1);
	check_perf("profile:49", "profile:hz:49", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CPU_CLOCK, 49, true, -1);
	check_perf("profile:1:99hz", "profile:1:99hz", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CPU_CLOCK, 99, true, 1);
	check_perf("profile:10ms", "profile:ms:10", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CPU_CLOCK, 10000000, false, -1);

	msg = resolve_error("profile:hz:0");
	CHECK_HAS(msg, "<test>:1:1: error: bad profile probe 'profile:hz:0': N must be at least 1");
	msg = resolve_error("profile:kz:99");
	CHECK_HAS(msg, "bad profile unit 'kz' in 'profile:kz:99'");
	msg = resolve_error("profile:hz:");
	CHECK_HAS(msg, "bad profile probe 'profile:hz:'");
	msg = resolve_error("profile:hz:9x");
	CHECK_HAS(msg, "bad profile probe 'profile:hz:9x'");
	msg = resolve_error("profile:");
	CHECK_HAS(msg, "bad profile probe 'profile:'");
	msg = resolve_error("profile:s:99999999999999999999");
	CHECK_HAS(msg, "bad profile probe");
	msg = resolve_error("profile:s:99999999999");
	CHECK_HAS(msg, "is too long");
	msg = resolve_error("profile:hz:100000000");
	CHECK_HAS(msg, "is too frequent");
	msg = resolve_error("profile:0:hz:99");
	CHECK_HAS(msg, "bad profile probe 'profile:0:hz:99'");
}

static void test_software(void)
{
	struct probe_inst *pi;
	const char *msg;
	int n;

	check_perf("software:cs", "software:cs:1000", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CONTEXT_SWITCHES, 1000, false, -1);
	check_perf("software:context-switches:10", "software:context-switches:10",
		   PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, 10, false, -1);
	check_perf("s:cpu-clock", "software:cpu-clock:1000000", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_CPU_CLOCK, 1000000, false, -1);
	check_perf("software:faults:", "software:faults:100", PERF_TYPE_SOFTWARE,
		   PERF_COUNT_SW_PAGE_FAULTS, 100, false, -1);
	check_perf("software:migrations", "software:migrations:1",
		   PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, 1, false, -1);
	check_perf("software:major-faults:1", "software:major-faults:1",
		   PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1, false, -1);
	check_perf("hardware:cycles", "hardware:cycles:1000000",
		   PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 1000000, false, -1);
	check_perf("h:branches:5", "hardware:branches:5", PERF_TYPE_HARDWARE,
		   PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 5, false, -1);
	check_perf("hardware:ref-cycles", "hardware:ref-cycles:1000000",
		   PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES, 1000000,
		   false, -1);

	/* A wildcard probes each matching event once, by its name. */
	CHECK(resolve("software:*-faults:7", &pi) == 0 && pi, "*-faults");
	n = 0;
	for (struct probe_inst *p = pi; p; p = p->next, n++)
		CHECK(strstr(p->spec, "-faults:7") != NULL, "%s", p->spec);
	CHECK(n == 5, "*-faults: %d instances", n);
	if (pi)
		CHECK_STR(pi->spec, "software:alignment-faults:7");
	probe_inst_free_all(pi);

	msg = resolve_error("software:context-switch");
	CHECK_HAS(msg, "<test>:1:1: error: unknown software event 'context-switch'; did you mean 'context-switches'?");
	msg = resolve_error("hardware:cycels");
	CHECK_HAS(msg, "unknown hardware event 'cycels'; did you mean 'cycles'?");
	msg = resolve_error("hardware:zzzzzzzz");
	CHECK_HAS(msg, "unknown hardware event 'zzzzzzzz' (wisp -l 'hardware:*' lists them)");
	msg = resolve_error("software:cs:0");
	CHECK_HAS(msg, "bad count '0' in 'software:cs:0'");
	msg = resolve_error("software:cs:1k");
	CHECK_HAS(msg, "bad count '1k'");
	msg = resolve_error("software:");
	CHECK_HAS(msg, "expected 'software:EVENT[:COUNT]'");
	msg = resolve_error("software:zz*");
	CHECK_HAS(msg, "no software event matches 'zz*'");
}

/* ---- -l ---- */

static char *list_of(const char *pattern, bool verbose)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return strdup("");
	provider_list(pattern, verbose, f);
	fclose(f);
	return buf;
}

static void test_list(bool root)
{
	char *out;

	out = list_of("software:*", false);
	CHECK_HAS(out, "software:cpu-clock:\nsoftware:cpu-migrations:\n");
	CHECK_HAS(out, "software:cs:\n");
	CHECK(!strstr(out, "hardware:"), "software:* lists hardware");
	free(out);
	out = list_of("s:page*", false);
	CHECK_STR(out, "software:page-faults:\n");
	free(out);
	out = list_of("hardware:*cycles", false);
	CHECK_STR(out, "hardware:bus-cycles:\nhardware:cpu-cycles:\n"
		       "hardware:cycles:\nhardware:ref-cycles:\n");
	free(out);
	out = list_of("profile:*", false);
	CHECK_STR(out, "profile:hz:\nprofile:ms:\nprofile:s:\nprofile:us:\n");
	free(out);
	out = list_of("i:*", false);
	CHECK_STR(out, "interval:hz:\ninterval:ms:\ninterval:s:\ninterval:us:\n");
	free(out);
	if (!root)
		return;

	out = list_of("tracepoint:sched:*", false);
	CHECK_HAS(out, "tracepoint:sched:sched_switch\n");
	CHECK(!strstr(out, "tracepoint:syscalls:"), "sched:* lists syscalls");
	CHECK(!strstr(out, "enable\n") && !strstr(out, "filter\n"),
	      "sched:* lists files");
	free(out);
	out = list_of("t:sched/sched_switch", true);
	CHECK_STR(out, "tracepoint:sched:sched_switch\n"
		       "    char prev_comm[16]\n"
		       "    pid_t prev_pid\n"
		       "    int prev_prio\n"
		       "    long prev_state\n"
		       "    char next_comm[16]\n"
		       "    pid_t next_pid\n"
		       "    int next_prio\n");
	free(out);
	out = list_of("tracepoint:syscalls:sys_enter_openat", true);
	CHECK_HAS(out, "tracepoint:syscalls:sys_enter_openat\n    int __syscall_nr\n");
	CHECK_HAS(out, "    const char * filename\n");
	CHECK(!strstr(out, "common_"), "common fields listed");
	free(out);
	out = list_of("tracepoint:*:sched_switch", false);
	CHECK_STR(out, "tracepoint:sched:sched_switch\n");
	free(out);
	out = list_of("tracepoint:*", false);
	CHECK_HAS(out, "tracepoint:syscalls:sys_enter_openat\n");
	CHECK(!strstr(out, "tracepoint:ftrace:"), "ftrace listed");
	free(out);
}

/* ---- tracepoint wildcards (root) ---- */

static void test_tracepoint_wildcards(void)
{
	struct probe_inst *pi;
	const char *msg;
	bool openat = false;
	int n = 0;

	CHECK(resolve("tracepoint:syscalls:sys_enter_open*", &pi) == 0 && pi,
	      "sys_enter_open*");
	for (struct probe_inst *p = pi; p; p = p->next, n++) {
		CHECK(strncmp(p->spec, "tracepoint:syscalls:sys_enter_open", 34) == 0,
		      "%s", p->spec);
		if (strcmp(p->spec, "tracepoint:syscalls:sys_enter_openat") == 0) {
			openat = true;
			check_field(p, "filename", FIELD_PTR, 24, 8, "const char *");
		}
	}
	CHECK(openat && n >= 2, "sys_enter_open*: %d instances", n);
	probe_inst_free_all(pi);

	CHECK(resolve("t:sched/sched_switc?", &pi) == 0 && pi && !pi->next,
	      "sched/sched_switc?");
	if (pi)
		CHECK_STR(pi->spec, "tracepoint:sched:sched_switch");
	probe_inst_free_all(pi);
	CHECK(resolve("t:*:sched_switch", &pi) == 0 && pi && !pi->next,
	      "*:sched_switch");
	if (pi)
		CHECK_STR(pi->spec, "tracepoint:sched:sched_switch");
	probe_inst_free_all(pi);

	/* Hundreds of matches, in order, quickly. */
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(resolve("tracepoint:syscalls:*", &pi) == 0 && pi, "syscalls:*");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	n = 0;
	for (struct probe_inst *p = pi; p; p = p->next, n++) {
		CHECK(strncmp(p->spec, "tracepoint:syscalls:sys_e", 25) == 0,
		      "%s", p->spec);
		if (p->next)
			CHECK(strcmp(p->spec, p->next->spec) < 0, "order: %s, %s",
			      p->spec, p->next->spec);
	}
	CHECK(n > 100, "syscalls:*: %d instances", n);
	CHECK(t1.tv_sec - t0.tv_sec < 2, "syscalls:* took %ld s",
	      (long)(t1.tv_sec - t0.tv_sec));
	probe_inst_free_all(pi);

	msg = resolve_error("tracepoint:sched:nosuch*");
	CHECK_HAS(msg, "<test>:1:1: error: no tracepoint matches 'tracepoint:sched:nosuch*'");
	msg = resolve_error("tracepoint:syscals:sys_enter_open*");
	CHECK_HAS(msg, "no tracepoint matches 'tracepoint:syscals:sys_enter_open*': no category 'syscals'; did you mean 'syscalls'?");
	msg = resolve_error("t:nosuch*:x");
	CHECK_HAS(msg, "no tracepoint matches 'tracepoint:nosuch*:x'");
}

/* ---- tracepoints from tracefs (root) ---- */

static void test_tracepoint(void)
{
	struct probe_inst *pi;
	const struct field *f;
	const char *msg;

	CHECK(resolve("tracepoint:syscalls:sys_enter_openat", &pi) == 0 && pi,
	      "sys_enter_openat");
	if (pi) {
		CHECK_STR(pi->spec, "tracepoint:syscalls:sys_enter_openat");
		CHECK(pi->prov == &provider_tracepoint && pi->priv &&
			      pi->prog_fd == -1 && !pi->next,
		      "sys_enter_openat instance");
		check_field(pi, "filename", FIELD_PTR, 24, 8, "const char *");
		f = probe_inst_field(pi, "filename");
		CHECK(f && f->is_str && f->as == AS_USER && !f->is_signed,
		      "filename: user string");
		check_field(pi, "dfd", FIELD_INT, 16, 8, "int");
		check_field(pi, "flags", FIELD_INT, 32, 8, "int");
		check_field(pi, "mode", FIELD_INT, 40, 8, "umode_t");
		check_field(pi, "__syscall_nr", FIELD_INT, 8, 4, "int");
		check_field(pi, "common_pid", FIELD_INT, 4, 4, "int");
		f = probe_inst_field(pi, "common_pid");
		CHECK(f && f->is_signed, "common_pid signed");
		CHECK(!probe_inst_field(pi, "nosuch"), "no such field");
		/* the same fields as the struct type the compiler reads */
		{
			const struct cmember *m;
			unsigned off = 0;

			CHECK(pi->args && pi->args->kind == CT_STRUCT,
			      "args is a struct type");
			m = ctype_member(pi->args, "filename", &off);
			CHECK(m && off == 24 && ctype_is_ptr(m->type) &&
				      m->type->as == AS_USER && ctype_is_char(m->type->ref),
			      "args->filename: a char * into user memory");
			m = ctype_member(pi->args, "common_pid", &off);
			CHECK(m && off == 4 && ctype_is_int(m->type) &&
				      m->type->size == 4 && m->type->is_signed,
			      "args->common_pid: int32 at 4");
			CHECK(!ctype_member(pi->args, "nosuch", &off), "no such member");
		}
	}
	probe_inst_free_all(pi);

	/* ply's spelling resolves to the same canonical spec. */
	CHECK(resolve("tracepoint:syscalls/sys_enter_openat", &pi) == 0 && pi,
	      "syscalls/sys_enter_openat");
	if (pi) {
		CHECK_STR(pi->spec, "tracepoint:syscalls:sys_enter_openat");
		check_field(pi, "filename", FIELD_PTR, 24, 8, "const char *");
	}
	probe_inst_free_all(pi);
	CHECK(resolve("t:syscalls:sys_enter_openat", &pi) == 0 && pi,
	      "t:syscalls:sys_enter_openat");
	probe_inst_free_all(pi);

	CHECK(resolve("t:sched/sched_switch", &pi) == 0 && pi, "sched_switch");
	if (pi) {
		CHECK_STR(pi->spec, "tracepoint:sched:sched_switch");
		check_field(pi, "prev_comm", FIELD_CHARS, 8, 16, "char[16]");
		check_field(pi, "next_comm", FIELD_CHARS, 40, 16, "char[16]");
		check_field(pi, "prev_pid", FIELD_INT, 24, 4, "pid_t");
		check_field(pi, "prev_state", FIELD_INT, 32, 8, "long");
		f = probe_inst_field(pi, "prev_pid");
		CHECK(f && f->is_signed, "prev_pid signed");
	}
	probe_inst_free_all(pi);

	CHECK(resolve("tracepoint:sched:sched_process_exec", &pi) == 0 && pi,
	      "sched_process_exec");
	if (pi)
		check_field(pi, "filename", FIELD_DATALOC, 8, 4,
			    "__data_loc char[]");
	probe_inst_free_all(pi);

	/* Kernel pointers outside syscalls. */
	if (resolve("tracepoint:skb:kfree_skb", &pi) == 0 && pi) {
		check_field(pi, "skbaddr", FIELD_PTR, 8, 8, "void *");
		f = probe_inst_field(pi, "skbaddr");
		CHECK(f && !f->is_str && f->as == AS_KERNEL, "skbaddr kernel");
	}
	probe_inst_free_all(pi);

	CHECK(resolve("tracepoint:syscalls:sys_enter_execve", &pi) == 0 && pi,
	      "sys_enter_execve");
	if (pi) {
		f = probe_inst_field(pi, "argv");
		CHECK(f && f->kind == FIELD_PTR && !f->is_str && f->as == AS_USER,
		      "argv: pointer, not a string");
	}
	probe_inst_free_all(pi);

	msg = resolve_error("tracepoint:syscalls:sys_enter_opnat");
	CHECK_HAS(msg, "<test>:1:1: error: tracepoint 'syscalls:sys_enter_opnat' not found; did you mean 'syscalls:sys_enter_openat'?");
	CHECK_HAS(msg, "tracepoint:syscalls:sys_enter_opnat\n^\n");
	msg = resolve_error("tracepoint:syscalls:zzzzzzzzzzzzzz");
	CHECK_HAS(msg, "tracepoint 'syscalls:zzzzzzzzzzzzzz' not found");
	CHECK(!strstr(msg, "did you mean"), "no guess: %s", msg);
	msg = resolve_error("tracepoint:syscals:sys_enter_openat");
	CHECK_HAS(msg, "tracepoint 'syscals:sys_enter_openat' not found: no category 'syscals'; did you mean 'syscalls:sys_enter_openat'?");
	msg = resolve_error("tracepoint:schd:zzz");
	CHECK_HAS(msg, "no category 'schd'; did you mean 'sched'?");
	msg = resolve_error("tracepoint:qqqqqqqqqq:zzz");
	CHECK_HAS(msg, "no category 'qqqqqqqqqq'");
}

/* ---- provider_resolve_all ---- */

static void test_resolve_all(bool root)
{
	static const char text[] =
		"tracpoint:syscalls:sys_enter_openat,interval:s:1 {} "
		"kprobx:do_sys_open {} BEGIN {}";
	struct source src;
	struct probe_spec s1 = { .loc = { &src, 1, 1 }, .text = "tracpoint:syscalls:sys_enter_openat" };
	struct probe_spec s2 = { .loc = { &src, 1, 37 }, .text = "interval:s:1" };
	struct probe_spec s3 = { .loc = { &src, 1, 54 }, .text = "kprobx:do_sys_open" };
	struct probe_spec s4 = { .loc = { &src, 1, 76 }, .text = "BEGIN" };
	struct probe p1 = { .specs = &s1 }, p2 = { .specs = &s3 };
	struct probe p3 = { .specs = &s4 };
	struct program prog = { .src = &src, .probes = &p1 };
	struct probe_spec g1 = { .loc = { &src, 1, 1 }, .text = "interval:hz:99" };
	struct probe_spec g2 = { .loc = { &src, 1, 20 }, .text = "i:1s" };
	struct probe_spec g3 = { .loc = { &src, 1, 30 }, .text = "t:sched/sched_switch" };
	struct probe_spec g4 = { .loc = { &src, 1, 50 }, .text = "end" };
	struct probe q1 = { .specs = &g1 }, q2 = { .specs = &g4 };
	struct program good = { .src = &src };
	struct probe_inst *list = (void *)1, *pi;
	struct target tgt = target_default();
	int errors = diag_error_count();
	const char *want[5], *msg;
	int i, nwant = 0;

	source_from_string(&src, "<cmdline>", text);
	s1.next = &s2;
	p1.next = &p2;
	p2.next = &p3;
	capture_start();
	CHECK(provider_resolve_all(&prog, &tgt, &list) == -1 && !list,
	      "bad program resolved");
	msg = capture_end();
	CHECK(diag_error_count() == errors + 2, "%d errors",
	      diag_error_count() - errors);
	CHECK_HAS(msg, "<cmdline>:1:1: error: unknown probe type 'tracpoint'; did you mean 'tracepoint'?\n");
	CHECK_HAS(msg, "<cmdline>:1:54: error: unknown probe type 'kprobx'; did you mean 'kprobe'?\n");

	/* Without the bad specs: instances in spec order. */
	g1.next = &g2;
	if (root)
		g2.next = &g3;
	q1.next = &q2;
	p3.next = &q1;
	good.probes = &p3;
	want[nwant++] = "BEGIN";
	want[nwant++] = "interval:hz:99";
	want[nwant++] = "interval:s:1";
	if (root)
		want[nwant++] = "tracepoint:sched:sched_switch";
	want[nwant++] = "END";
	CHECK(provider_resolve_all(&good, &tgt, &list) == 0 && list, "good program");
	for (pi = list, i = 0; pi && i < nwant; pi = pi->next, i++) {
		CHECK_STR(pi->spec, want[i]);
		CHECK(pi->prog_fd == -1, "prog_fd");
	}
	CHECK(i == nwant && !pi, "%d instances, want %d", i, nwant);
	if (list) {
		CHECK(list->probe == &p3 && list->next->probe == &q1,
		      "instances point to their probes");
		CHECK(list->next->loc.col == 1 && list->next->next->loc.col == 20,
		      "instances keep the spec's loc");
	}
	probe_inst_free_all(list);
}

/* ---- attaching (root) ---- */

/* A program adding 1 to the u64 at key 0 of map_fd, as type. */
static int load_counter(enum bpf_prog_type type, int map_fd)
{
	struct bpf_insn insns[] = {
		/* *(u32 *)(r10 - 4) = 0 */
		{ .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = 10, .off = -4 },
		/* r2 = r10; r2 += -4 */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = -4 },
		/* r1 = map */
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd },
		{ 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_lookup_elem },
		/* if r0 == 0 goto out */
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = 0, .off = 2 },
		/* lock *(u64 *)(r0 + 0) += r1 (= 1) */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1, .imm = 1 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = 0, .src_reg = 1,
		  .imm = BPF_ADD },
		/* out: r0 = 0; exit */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(type, "wisp_test", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), NULL);
}

/* r0 = 0; exit */
static int load_trivial(enum bpf_prog_type type)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(type, "wisp_test", "GPL", insns, 2, NULL);
}

static unsigned long long counter_get(int map_fd)
{
	unsigned long long v = 0;
	unsigned key = 0;

	bpf_map_lookup_elem(map_fd, &key, &v);
	return v;
}

static void counter_reset(int map_fd)
{
	unsigned long long v = 0;
	unsigned key = 0;

	bpf_map_update_elem(map_fd, &key, &v, BPF_ANY);
}

static bool fds_valid(const struct probe_inst *pi)
{
	for (int i = 0; i < pi->nfds; i++)
		if (fcntl(pi->fds[i], F_GETFD) < 0)
			return false;
	return pi->nfds > 0;
}

static void test_attach_tracepoint(int map_fd)
{
	struct probe_inst *pi;

	CHECK(resolve("tracepoint:syscalls:sys_enter_getppid", &pi) == 0 && pi,
	      "sys_enter_getppid");
	if (!pi)
		return;

	pi->prog_fd = load_trivial(BPF_PROG_TYPE_TRACEPOINT);
	CHECK(pi->prog_fd >= 0, "load trivial tracepoint: %s",
	      strerror(errno));
	CHECK(pi->prov->attach(pi) == 0 && fds_valid(pi), "attach trivial");
	probe_inst_detach(pi);
	CHECK(pi->nfds == 0 && !pi->fds, "detached");
	close(pi->prog_fd);

	/* The counter proves the program runs, on whatever CPU. */
	pi->prog_fd = load_counter(BPF_PROG_TYPE_TRACEPOINT, map_fd);
	CHECK(pi->prog_fd >= 0, "load counter tracepoint: %s", strerror(errno));
	counter_reset(map_fd);
	CHECK(pi->prov->attach(pi) == 0 && fds_valid(pi), "attach counter");
	for (int i = 0; i < 10; i++)
		syscall(SYS_getppid);
	CHECK(counter_get(map_fd) >= 10, "getppid counted %llu times",
	      counter_get(map_fd));
	probe_inst_detach(pi);
	counter_reset(map_fd);
	syscall(SYS_getppid);
	CHECK(counter_get(map_fd) == 0, "counted after detach");
	probe_inst_free_all(pi);
}

static void test_attach_interval(int map_fd)
{
	struct probe_inst *pi;
	const char *msg;
	int ret;

	CHECK(resolve("interval:ms:10", &pi) == 0 && pi, "interval:ms:10");
	if (!pi)
		return;
	pi->prog_fd = load_trivial(BPF_PROG_TYPE_PERF_EVENT);
	CHECK(pi->prog_fd >= 0, "load trivial perf_event: %s", strerror(errno));
	CHECK(pi->prov->attach(pi) == 0 && fds_valid(pi), "attach interval");
	probe_inst_detach(pi);
	close(pi->prog_fd);

	pi->prog_fd = load_counter(BPF_PROG_TYPE_PERF_EVENT, map_fd);
	counter_reset(map_fd);
	CHECK(pi->prov->attach(pi) == 0, "attach interval counter");
	/* 10 ms period: a few ticks within a second at most. */
	for (int i = 0; i < 100 && counter_get(map_fd) < 3; i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	CHECK(counter_get(map_fd) >= 3, "interval fired %llu times",
	      counter_get(map_fd));
	probe_inst_detach(pi);
	close(pi->prog_fd);

	/* A program of the wrong type: the error names the spec. */
	pi->prog_fd = load_trivial(BPF_PROG_TYPE_TRACEPOINT);
	capture_start();
	ret = pi->prov->attach(pi);
	msg = capture_end();
	CHECK(ret == -1 && pi->nfds == 0, "wrong program type attached");
	CHECK_HAS(msg, "cannot attach 'interval:ms:10': ");
	probe_inst_free_all(pi);
}

/* profile and software events: one perf event per online CPU, and the
 * program runs; hardware: attached where there is a PMU, else the error
 * says there is none. */
static void test_attach_perf(int map_fd)
{
	struct probe_inst *pi;
	const char *msg;
	int *cpus, ncpus = perf_online_cpus(&cpus), ret;

	free(cpus);
	CHECK(resolve("profile:hz:1000", &pi) == 0 && pi, "profile:hz:1000");
	if (pi) {
		pi->prog_fd = load_counter(BPF_PROG_TYPE_PERF_EVENT, map_fd);
		counter_reset(map_fd);
		CHECK(pi->prov->attach(pi) == 0 && fds_valid(pi), "attach profile");
		CHECK(pi->nfds >= ncpus, "%d fds for %d CPUs", pi->nfds, ncpus);
		for (int i = 0; i < 200 && counter_get(map_fd) < 10; i++)
			nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
		CHECK(counter_get(map_fd) >= 10, "profile fired %llu times",
		      counter_get(map_fd));
		probe_inst_free_all(pi);
	}

	CHECK(resolve("software:cs:1", &pi) == 0 && pi, "software:cs:1");
	if (pi) {
		pi->prog_fd = load_counter(BPF_PROG_TYPE_PERF_EVENT, map_fd);
		counter_reset(map_fd);
		CHECK(pi->prov->attach(pi) == 0 && pi->nfds >= ncpus,
		      "attach software");
		for (int i = 0; i < 5; i++)
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
		CHECK(counter_get(map_fd) >= 5, "context switches counted %llu",
		      counter_get(map_fd));
		probe_inst_free_all(pi);
	}

	CHECK(resolve("hardware:cycles", &pi) == 0 && pi, "hardware:cycles");
	if (pi) {
		pi->prog_fd = load_trivial(BPF_PROG_TYPE_PERF_EVENT);
		capture_start();
		ret = pi->prov->attach(pi);
		msg = capture_end();
		if (ret < 0) {
			CHECK_HAS(msg, "error: hardware:cycles: this machine has no hardware PMU (perf_event_open: ");
			CHECK(pi->nfds == 0, "fds left after a failed attach");
		}
		probe_inst_free_all(pi);
	}
}

static void test_run(int map_fd)
{
	struct probe_inst *pi;
	const char *msg;
	int ret;

	CHECK(resolve("BEGIN", &pi) == 0 && pi, "BEGIN");
	if (!pi)
		return;

	capture_start();
	ret = probe_inst_run(pi);
	msg = capture_end();
	CHECK(ret == -1, "ran an unloaded program");
	CHECK_HAS(msg, "cannot run 'BEGIN'");

	pi->prog_fd = load_trivial(BPF_PROG_TYPE_RAW_TRACEPOINT);
	CHECK(pi->prog_fd >= 0, "load trivial raw_tp: %s", strerror(errno));
	CHECK(probe_inst_run(pi) == 0, "run trivial");
	close(pi->prog_fd);

	pi->prog_fd = load_counter(BPF_PROG_TYPE_RAW_TRACEPOINT, map_fd);
	counter_reset(map_fd);
	CHECK(pi->prov->attach(pi) == 0 && probe_inst_run(pi) == 0, "run counter");
	CHECK(counter_get(map_fd) == 1, "BEGIN ran %llu times",
	      counter_get(map_fd));
	close(pi->prog_fd);

	/* Tracepoint programs cannot be test-run: a clear error. */
	pi->prog_fd = load_trivial(BPF_PROG_TYPE_TRACEPOINT);
	capture_start();
	ret = probe_inst_run(pi);
	msg = capture_end();
	CHECK(ret == -1, "test-ran a tracepoint program");
	CHECK_HAS(msg, "cannot run 'BEGIN': ");
	CHECK(!strstr(msg, "Unknown error"), "%s", msg);
	probe_inst_free_all(pi);
}

int main(void)
{
	bool root = geteuid() == 0;
	int map_fd;

	test_find();
	test_special();
	test_interval();
	test_format();
	test_tracepoint_errors();
	test_resolve_all(root);
	test_perf_cpus();
	test_profile();
	test_software();
	test_list(root && tracefs_path());

	if (!root || !tracefs_path()) {
		unit_skip("tracefs and attach tests need root and tracefs");
		return unit_done("test_provider");
	}
	test_tracepoint();
	test_tracepoint_wildcards();

	map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "wisp_test", 4, 8, 1, NULL);
	CHECK(map_fd >= 0, "map: %s", strerror(errno));
	if (map_fd >= 0) {
		test_attach_tracepoint(map_fd);
		test_attach_interval(map_fd);
		test_attach_perf(map_fd);
		test_run(map_fd);
		close(map_fd);
	}
	return unit_done("test_provider");
}
