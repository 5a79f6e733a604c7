/* test_mapprint.c - the runtime against the live kernel: maps created by
 * rt_maps_create, filled from user space and printed by rt_print_maps
 * (compared with text bpftrace 0.17 prints for the same data), and events
 * sent by a small BPF program through the ring buffer and the perf buffer
 * and read back by rt_events_poll. Needs root: otherwise prints SKIP. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime/runtime.h"
#include "unit.h"

static int ncpus;

static struct map_def *def_new(const char *name, enum map_kind kind,
			       uint32_t bpf_type, unsigned key_size)
{
	struct map_def *d = calloc(1, sizeof(*d));

	d->name = (char *)name;
	d->kind = kind;
	d->bpf_type = bpf_type;
	d->key_size = key_size;
	d->val_size = 8;
	d->val = type_int(8, false);
	d->max_entries = MAP_DEFAULT_ENTRIES;
	d->fd = -1;
	return d;
}

static void def_key(struct map_def *d, struct type t, unsigned off)
{
	d->keys[d->nkeys] = t;
	d->key_off[d->nkeys++] = off;
}

/* Spread total over the CPUs the way per-CPU maps hold it: the printer
 * must add the slots back up. */
static void put_percpu(struct map_def *d, const void *key, uint64_t total)
{
	uint64_t *v = calloc(ncpus, 8);
	int i;

	for (i = 0; i < ncpus && total; i++) {
		v[i] = i == ncpus - 1 ? total : (total + 1) / 2;
		total -= v[i];
	}
	CHECK(bpf_map_update_elem(d->fd, key, v, BPF_ANY) == 0,
	      "update %s: %s", d->name, strerror(errno));
	free(v);
}

static void put_str_key(struct map_def *d, const char *s, uint64_t n)
{
	char key[16] = { 0 };

	memcpy(key, s, strnlen(s, sizeof(key)));
	put_percpu(d, key, n);
}

static void put_bucket(struct map_def *d, int64_t k, uint64_t bucket,
		       uint64_t n)
{
	unsigned char key[16];

	memcpy(key, &k, 8);
	memcpy(key + d->key_size - 8, &bucket, 8);
	put_percpu(d, key, n);
}

static char *print_maps(struct runtime *rt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	rt_print_maps(rt, out);
	fclose(out);
	return buf;
}

static const char bytes_want[] =
	"@bytes: \n"
	"[0]                    1 |@                                                   |\n"
	"[1]                    0 |                                                    |\n"
	"[2, 4)                 3 |@@@                                                 |\n"
	"[4, 8)                 0 |                                                    |\n"
	"[8, 16)                0 |                                                    |\n"
	"[16, 32)               0 |                                                    |\n"
	"[32, 64)               0 |                                                    |\n"
	"[64, 128)              0 |                                                    |\n"
	"[128, 256)             0 |                                                    |\n"
	"[256, 512)             0 |                                                    |\n"
	"[512, 1K)              0 |                                                    |\n"
	"[1K, 2K)              40 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	"\n";

static void test_maps(void)
{
	struct map_def *calls, *bytes, *total, *lat, *v, *sums, *empty, *strs,
		*big, *out;
	struct map_def *maps[10];
	struct runtime rt = { .maps = maps, .nmaps = 10, .out = stdout };
	struct bpf_map_info info;
	uint32_t info_len = sizeof(info), zero32 = 0;
	uint64_t zero64 = 0;
	int64_t sv;
	char *got, want[16384];
	char two[8] = "two", one[8] = "one\0xxxx";
	unsigned char key[16];

	calls = def_new("@calls", MAPK_COUNT, BPF_MAP_TYPE_PERCPU_HASH, 16);
	def_key(calls, type_str(16), 0);
	bytes = def_new("@bytes", MAPK_HIST, BPF_MAP_TYPE_PERCPU_HASH, 8);
	total = def_new("@", MAPK_COUNT, BPF_MAP_TYPE_PERCPU_ARRAY, 0);
	total->max_entries = 1;
	lat = def_new("@lat", MAPK_HIST, BPF_MAP_TYPE_PERCPU_HASH, 16);
	def_key(lat, type_int(8, true), 0);
	v = def_new("@v", MAPK_VALUE, BPF_MAP_TYPE_HASH, 8);
	v->val = type_int(4, true);
	sums = def_new("@sum_by_key.and-long-name", MAPK_SUM,
		       BPF_MAP_TYPE_PERCPU_HASH, 16);
	sums->val = type_int(8, true);
	def_key(sums, type_int(4, true), 0);
	def_key(sums, type_str(8), 8);
	empty = def_new("@empty", MAPK_COUNT, BPF_MAP_TYPE_PERCPU_HASH, 8);
	def_key(empty, type_int(8, false), 0);
	strs = def_new("@s", MAPK_VALUE, BPF_MAP_TYPE_HASH, 8);
	def_key(strs, type_int(8, false), 0);
	strs->val = type_str(8);
	strs->val_size = 8;
	/* A keyless histogram kept in an array indexed by bucket. */
	big = def_new("@big", MAPK_HIST, BPF_MAP_TYPE_PERCPU_ARRAY, 8);
	big->max_entries = HIST_BUCKETS;
	/* Never printed. */
	out = def_new("@out", MAPK_OUTPUT, BPF_MAP_TYPE_RINGBUF, 0);
	maps[0] = calls, maps[1] = bytes, maps[2] = total, maps[3] = lat;
	maps[4] = v, maps[5] = sums, maps[6] = empty, maps[7] = strs;
	maps[8] = big, maps[9] = out;
	rt.output = out;

	CHECK(rt_maps_create(&rt) == 0, "rt_maps_create");
	if (calls->fd < 0 || out->fd < 0)
		return;
	CHECK(rt.ringbuf, "ring buffer output");

	/* Names the kernel accepts: 15 characters of [A-Za-z0-9_.]. */
	memset(&info, 0, sizeof(info));
	CHECK(bpf_obj_get_info_by_fd(sums->fd, &info, &info_len) == 0, "info");
	CHECK_STR(info.name, "sum_by_key.and_");
	info_len = sizeof(info);
	memset(&info, 0, sizeof(info));
	CHECK(bpf_obj_get_info_by_fd(total->fd, &info, &info_len) == 0, "info");
	CHECK_STR(info.name, "_");
	CHECK(info.key_size == 4 && info.max_entries == 1, "array key %u",
	      info.key_size);
	info_len = sizeof(info);
	memset(&info, 0, sizeof(info));
	CHECK(bpf_obj_get_info_by_fd(out->fd, &info, &info_len) == 0, "info");
	CHECK(info.max_entries == 1 << 20, "ring buffer of %u bytes",
	      info.max_entries);

	put_str_key(calls, "bash", 5);
	put_str_key(calls, "sshd", 1);
	put_str_key(calls, "zsh", 5);
	put_str_key(calls, "a", 10);
	put_bucket(bytes, 0, 1, 1);
	put_bucket(bytes, 0, 3, 3);
	put_bucket(bytes, 0, 12, 40);
	put_percpu(total, &zero32, 7);
	put_bucket(lat, 3, 6, 1);
	put_bucket(lat, 3, 42, 1);
	put_bucket(lat, -1, 0, 2);
	put_bucket(lat, -1, 2, 1);
	sv = -3;
	CHECK(bpf_map_update_elem(v->fd, &zero64, &sv, BPF_ANY) == 0, "v");
	memset(key, 0, sizeof(key));
	sv = -2;
	memcpy(key, &sv, 4);
	strcpy((char *)key + 8, "b");
	put_percpu(sums, key, (uint64_t)-100);
	strcpy((char *)key + 8, "a");
	put_percpu(sums, key, 100);
	sv = 5;
	memcpy(key, &sv, 4);
	put_percpu(sums, key, 100);
	sv = 2;
	CHECK(bpf_map_update_elem(strs->fd, &sv, two, BPF_ANY) == 0, "s");
	sv = 1;
	CHECK(bpf_map_update_elem(strs->fd, &sv, one, BPF_ANY) == 0,
	      "s");
	for (uint32_t b = 64; b <= 65; b++)
		put_percpu(big, &b, b == 65 ? 4 : 1);

	got = print_maps(&rt);
	snprintf(want, sizeof(want), "%s%s%s%s%s%s%s%s%s",
		 "@: 7\n",
		 "@big: \n"
		 "[4E, 8E)               1 |@@@@@@@@@@@@@                                       |\n"
		 "[8E, 16E)              4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		 "\n",
		 bytes_want,
		 "@calls[sshd]: 1\n"
		 "@calls[bash]: 5\n"
		 "@calls[zsh]: 5\n"
		 "@calls[a]: 10\n",
		 "\n", /* @empty: bpftrace prints an empty line */
		 "@lat[-1]: \n"
		 "(..., 0)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		 "[0]                    0 |                                                    |\n"
		 "[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		 "\n"
		 "@lat[3]: \n"
		 "[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		 "[32, 64)               0 |                                                    |\n"
		 "[64, 128)              0 |                                                    |\n"
		 "[128, 256)             0 |                                                    |\n"
		 "[256, 512)             0 |                                                    |\n"
		 "[512, 1K)              0 |                                                    |\n"
		 "[1K, 2K)               0 |                                                    |\n"
		 "[2K, 4K)               0 |                                                    |\n"
		 "[4K, 8K)               0 |                                                    |\n"
		 "[8K, 16K)              0 |                                                    |\n"
		 "[16K, 32K)             0 |                                                    |\n"
		 "[32K, 64K)             0 |                                                    |\n"
		 "[64K, 128K)            0 |                                                    |\n"
		 "[128K, 256K)           0 |                                                    |\n"
		 "[256K, 512K)           0 |                                                    |\n"
		 "[512K, 1M)             0 |                                                    |\n"
		 "[1M, 2M)               0 |                                                    |\n"
		 "[2M, 4M)               0 |                                                    |\n"
		 "[4M, 8M)               0 |                                                    |\n"
		 "[8M, 16M)              0 |                                                    |\n"
		 "[16M, 32M)             0 |                                                    |\n"
		 "[32M, 64M)             0 |                                                    |\n"
		 "[64M, 128M)            0 |                                                    |\n"
		 "[128M, 256M)           0 |                                                    |\n"
		 "[256M, 512M)           0 |                                                    |\n"
		 "[512M, 1G)             0 |                                                    |\n"
		 "[1G, 2G)               0 |                                                    |\n"
		 "[2G, 4G)               0 |                                                    |\n"
		 "[4G, 8G)               0 |                                                    |\n"
		 "[8G, 16G)              0 |                                                    |\n"
		 "[16G, 32G)             0 |                                                    |\n"
		 "[32G, 64G)             0 |                                                    |\n"
		 "[64G, 128G)            0 |                                                    |\n"
		 "[128G, 256G)           0 |                                                    |\n"
		 "[256G, 512G)           0 |                                                    |\n"
		 "[512G, 1T)             0 |                                                    |\n"
		 "[1T, 2T)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		 "\n",
		 "@s[1]: one\n"
		 "@s[2]: two\n",
		 "@sum_by_key.and-long-name[-2, b]: -100\n"
		 "@sum_by_key.and-long-name[-2, a]: 100\n"
		 "@sum_by_key.and-long-name[5, a]: 100\n",
		 "@v: -3\n");
	CHECK(got && strcmp(got, want) == 0, "maps\n--- got:\n%s--- want:\n%s",
	      got, want);
	free(got);

	/* An untouched keyless count prints 0, an untouched array
	 * histogram prints like an empty map: as bpftrace does. */
	{
		struct map_def *m[2] = { total, big };
		struct runtime rt2 = { .maps = m, .nmaps = 2 };
		uint64_t *zeros = calloc(ncpus, 8);

		CHECK(bpf_map_update_elem(total->fd, &zero32, zeros, 0) == 0,
		      "reset");
		for (uint32_t b = 0; b < HIST_BUCKETS; b++)
			bpf_map_update_elem(big->fd, &b, zeros, 0);
		free(zeros);
		got = print_maps(&rt2);
		CHECK_STR(got, "@: 0\n\n");
		free(got);
	}
	rt_close(&rt);
	CHECK(calls->fd == -1 && out->fd == -1, "rt_close resets fds");
	for (int i = 0; i < 10; i++)
		free(maps[i]);
}

/* A raw tracepoint program, run once with BPF_PROG_TEST_RUN, that sends
 * "value -5 from x" (printf 0) then exit(3) through the output map. */
static int load_sender(int map_fd, bool ringbuf)
{
	struct bpf_insn p[40];
	int n = 0, rec;

#define I(...) (p[n++] = (struct bpf_insn){ __VA_ARGS__ })
#define LD_MAP(reg, fd)                                                       \
	do {                                                                  \
		I(.code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = reg,          \
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = fd);                   \
		I(.code = 0);                                                 \
	} while (0)
#define ST64(o, v) I(.code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = 10, \
		     .off = o, .imm = v)
#define SEND(size)                                                            \
	do {                                                                  \
		if (ringbuf) {                                                \
			LD_MAP(1, map_fd);                                    \
			I(.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2,  \
			  .src_reg = 10);                                     \
			I(.code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2,  \
			  .imm = rec);                                        \
			I(.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 3,  \
			  .imm = size);                                       \
			I(.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 4); \
			I(.code = BPF_JMP | BPF_CALL,                         \
			  .imm = BPF_FUNC_ringbuf_output);                    \
		} else {                                                      \
			I(.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 1,  \
			  .src_reg = 6);                                      \
			LD_MAP(2, map_fd);                                    \
			/* BPF_F_CURRENT_CPU: a 32-bit move, no sign bits */  \
			I(.code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = 3,    \
			  .imm = -1);                                         \
			I(.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 4,  \
			  .src_reg = 10);                                     \
			I(.code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 4,  \
			  .imm = rec);                                        \
			I(.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 5,  \
			  .imm = size);                                       \
			I(.code = BPF_JMP | BPF_CALL,                         \
			  .imm = BPF_FUNC_perf_event_output);                 \
		}                                                             \
	} while (0)

	rec = -32;
	I(.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 6, .src_reg = 1);
	ST64(rec, EVENT_PRINTF);
	ST64(rec + 8, -5);
	ST64(rec + 16, 'x');
	ST64(rec + 24, 0);
	SEND(32);
	ST64(rec, EVENT_EXIT);
	ST64(rec + 8, 3);
	SEND(16);
	I(.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0);
	I(.code = BPF_JMP | BPF_EXIT);
#undef SEND
#undef ST64
#undef LD_MAP
#undef I
	return bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "wisp_test", "GPL",
			     p, n, NULL);
}

static void test_events(bool ringbuf)
{
	struct fmt_arg args[2] = { { type_int(8, true), 8 },
				   { type_str(8), 16 } };
	struct fmt_def f = { .id = EVENT_PRINTF, .fmt = "value %d from %s\n",
			     .nargs = 2, .args = args, .size = 32 };
	struct fmt_def *fmts[1] = { &f };
	struct map_def *out = def_new("@out", MAPK_OUTPUT,
				      ringbuf ? BPF_MAP_TYPE_RINGBUF :
						BPF_MAP_TYPE_PERF_EVENT_ARRAY,
				      0);
	struct map_def *lost = def_new("@lost", MAPK_LOST,
				       BPF_MAP_TYPE_PERCPU_ARRAY, 4);
	struct map_def *maps[2] = { out, lost };
	struct runtime rt = { .maps = maps, .nmaps = 2, .fmts = fmts,
			      .nfmts = 1, .output = out, .lost = lost };
	LIBBPF_OPTS(bpf_test_run_opts, run);
	char *buf = NULL;
	size_t len = 0;
	int prog, n, tries;

	lost->max_entries = 1;
	rt.out = open_memstream(&buf, &len);
	CHECK(rt_maps_create(&rt) == 0, "create");
	CHECK(rt.ringbuf == ringbuf, "ringbuf flag");
	CHECK(rt_events_open(&rt) == 0, "open");
	prog = load_sender(out->fd, ringbuf);
	CHECK(prog >= 0, "load sender (%s): %s",
	      ringbuf ? "ringbuf" : "perf", strerror(errno));
	if (prog >= 0) {
		CHECK(bpf_prog_test_run_opts(prog, &run) == 0, "run: %s",
		      strerror(errno));
		close(prog);
	}
	for (n = 0, tries = 0; !rt.exit_requested && tries < 10; tries++)
		n += rt_events_poll(&rt, 100);
	CHECK(n == 2, "%s: %d events", ringbuf ? "ringbuf" : "perf", n);
	CHECK(rt.exit_requested && rt.exit_code == 3, "exit(%d)",
	      rt.exit_code);
	fclose(rt.out);
	CHECK_STR(buf, "value -5 from x\n");
	free(buf);
	rt.out = NULL;
	/* Nothing lost: prints nothing. */
	rt_report_lost(&rt);
	rt_close(&rt);
	CHECK(rt.reader == NULL && out->fd == -1, "closed");
	free(out);
	free(lost);
}

int main(void)
{
	ncpus = libbpf_num_possible_cpus();
	if (geteuid() != 0 || !rt_have_ringbuf()) {
		printf("SKIP test_mapprint: needs root and BPF\n");
		return unit_done("test_mapprint");
	}
	test_maps();
	test_events(true);
	test_events(false);
	return unit_done("test_mapprint");
}
