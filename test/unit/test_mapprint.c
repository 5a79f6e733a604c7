/* test_mapprint.c - the runtime against the live kernel: maps created by
 * rt_maps_create, filled from user space and printed by rt_print_maps
 * (compared with text bpftrace 0.17 prints for the same data), and events
 * sent by a small BPF program through the ring buffer and the perf buffer
 * and read back by rt_events_poll; kstack and ustack keys and values, in
 * text, JSON and folded form. Needs BPF maps (root, or CAP_BPF):
 * otherwise skips, after the checks that need none. Each test needs only
 * what it uses: on a kernel without the ring buffer (before 5.8) the
 * others still run. Built again with MAPPRINT_NO_RINGBUF as
 * test_mapprint_perf, which runs as on such a kernel. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime/output.h"
#include "runtime/runtime.h"
#include "sys/kallsyms.h"
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
	/* what tab_map_layout gives these map types */
	if (bpf_type == BPF_MAP_TYPE_ARRAY || bpf_type == BPF_MAP_TYPE_PERCPU_ARRAY) {
		d->key_size = 4;
	} else if (bpf_type == BPF_MAP_TYPE_RINGBUF) {
		d->key_size = d->val_size = d->max_entries = 0;
	} else if (bpf_type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		d->key_size = d->val_size = 4;
		d->max_entries = 0;
	}
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

static char *print_map(struct runtime *rt, struct map_def *m, unsigned top,
		       unsigned div)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	rt_print_map(rt, m, top, div, out);
	fclose(out);
	return buf;
}

/* Print every map of rt, in text then in JSON, and compare. */
static void check_maps(struct runtime *rt, const char *what,
		       const char *want_text, const char *want_json)
{
	char *got;

	rt->fmt = &out_text;
	got = print_maps(rt);
	CHECK(got && strcmp(got, want_text) == 0,
	      "%s, text\n--- got:\n%s--- want:\n%s", what, got, want_text);
	free(got);
	rt->fmt = &out_json;
	got = print_maps(rt);
	CHECK(got && strcmp(got, want_json) == 0,
	      "%s, json\n--- got:\n%s--- want:\n%s", what, got, want_json);
	free(got);
	rt->fmt = &out_text;
}

static void check_print(struct runtime *rt, struct map_def *m, unsigned top,
			unsigned div, const char *want_text,
			const char *want_json)
{
	char *got;

	rt->fmt = &out_text;
	got = print_map(rt, m, top, div);
	CHECK(got && strcmp(got, want_text) == 0,
	      "print(%s, %u, %u)\n--- got:\n%s--- want:\n%s", m->name, top,
	      div, got, want_text);
	free(got);
	rt->fmt = &out_json;
	got = print_map(rt, m, top, div);
	CHECK(got && strcmp(got, want_json) == 0,
	      "print(%s, %u, %u), json\n--- got:\n%s--- want:\n%s", m->name,
	      top, div, got, want_json);
	free(got);
	rt->fmt = &out_text;
}

/* avg() and stats() values { count, sum }: split between the first and
 * the last CPU, which the printer must add back up. */
static void put_avg(struct map_def *d, const void *key, int64_t count,
		    int64_t sum)
{
	int64_t *v = calloc(ncpus, 16);

	v[0] = count - count / 2;
	v[1] = sum - sum / 2;
	v[2 * (ncpus - 1)] += count / 2;
	v[2 * (ncpus - 1) + 1] += sum / 2;
	CHECK(bpf_map_update_elem(d->fd, key, v, BPF_ANY) == 0,
	      "update %s: %s", d->name, strerror(errno));
	free(v);
}

/* min() and max() values { value, seen }: vals[i] seen on CPU i, the
 * other CPUs unseen (value 0, which must not count). With fewer CPUs than
 * values, the extra ones fold into the last CPU. */
static void put_minmax(struct map_def *d, const void *key,
		       const int64_t *vals, int n)
{
	int64_t *v = calloc(ncpus, 16);
	int i, c;

	for (i = 0; i < n; i++) {
		c = i < ncpus ? i : ncpus - 1;
		if (!v[2 * c + 1] ||
		    (d->kind == MAPK_MIN ? vals[i] < v[2 * c] :
					   vals[i] > v[2 * c]))
			v[2 * c] = vals[i];
		v[2 * c + 1] = 1;
	}
	CHECK(bpf_map_update_elem(d->fd, key, v, BPF_ANY) == 0,
	      "update %s: %s", d->name, strerror(errno));
	free(v);
}

static struct map_def *def_agg(const char *name, enum map_kind kind,
			       unsigned key_size)
{
	struct map_def *d = def_new(name, kind,
				    key_size ? BPF_MAP_TYPE_PERCPU_HASH :
					       BPF_MAP_TYPE_PERCPU_ARRAY,
				    key_size);

	d->val_size = 16;
	d->val = type_int(8, true);
	if (!key_size)
		d->max_entries = 1;
	return d;
}

static struct map_def *def_lhist(const char *name, unsigned key_size,
				 int64_t min, int64_t max, int64_t step)
{
	struct map_def *d = def_new(name, MAPK_LHIST, BPF_MAP_TYPE_PERCPU_HASH,
				    key_size);

	d->lhist_min = min;
	d->lhist_max = max;
	d->lhist_step = step;
	return d;
}

#define FULL "|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
#define NONE "|                                                    |\n"

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
	struct runtime rt = { .tab.maps = maps, .tab.nmaps = 10, .out = stdout };
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
	rt.tab.output = out;

	CHECK(rt_maps_create(&rt) == 0, "rt_maps_create");
	if (calls->fd < 0 || out->fd < 0)
		return;
	CHECK(rt.tab.ringbuf, "ring buffer output");

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
	/* no printf: a small buffer (a page at least) */
	CHECK(info.max_entries == (16u << 10 > (unsigned)sysconf(_SC_PAGESIZE) ?
				   16u << 10 : (unsigned)sysconf(_SC_PAGESIZE)),
	      "ring buffer of %u bytes", info.max_entries);
	{
		/* with per-event output, 1 MiB */
		struct map_def big_out = { .name = "@.events", .kind = MAPK_OUTPUT, .fd = -1,
					   .bpf_type = BPF_MAP_TYPE_RINGBUF };
		struct map_def *one[] = { &big_out };
		struct runtime rt2 = { .tab.maps = one, .tab.nmaps = 1, .tab.output = &big_out,
				       .tab.streams = true };

		CHECK(rt_maps_create(&rt2) == 0, "rt_maps_create, streaming");
		info_len = sizeof(info);
		memset(&info, 0, sizeof(info));
		CHECK(big_out.fd >= 0 && bpf_obj_get_info_by_fd(big_out.fd, &info, &info_len) == 0,
		      "info");
		CHECK(info.max_entries == 1 << 20, "streaming ring buffer of %u bytes",
		      info.max_entries);
		if (big_out.fd >= 0)
			close(big_out.fd);
	}

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
		 "@lat[-1]: \n"
		 "(..., 0)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		 "[0]                    0 |                                                    |\n"
		 "[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		 "\n"
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
		struct runtime rt2 = { .tab.maps = m, .tab.nmaps = 2 };
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
 * "value -5 from x" (printf 0) then exit(3) through the output map, and
 * counts losses as wisp's programs do (an atomic add at an address in
 * the value of the loss counters lost_fd, BPF_PSEUDO_MAP_VALUE): 2 events
 * and a map full, of the map numbered 1. */
static int load_sender(int map_fd, int lost_fd, bool ringbuf)
{
	struct bpf_insn p[60];
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
#define COUNT(what, by)                                                       \
	do {                                                                  \
		I(.code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,            \
		  .src_reg = BPF_PSEUDO_MAP_VALUE, .imm = lost_fd);           \
		I(.code = 0, .imm = 8 * (what));                              \
		I(.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2,          \
		  .imm = by);                                                 \
		I(.code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = 1,        \
		  .src_reg = 2, .imm = BPF_ADD);                              \
	} while (0)
	COUNT(LOST_EVENTS, 1);
	COUNT(LOST_MAP(1), 7);
	COUNT(LOST_EVENTS, 1);
	I(.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0);
	I(.code = BPF_JMP | BPF_EXIT);
#undef COUNT
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
	struct map_def *lost = def_new("@lost", MAPK_LOST, BPF_MAP_TYPE_ARRAY, 4);
	struct map_def *full = def_new("@full", MAPK_COUNT, BPF_MAP_TYPE_HASH, 8);
	struct map_def *maps[3] = { out, full, lost };
	struct runtime rt = { .tab.maps = maps, .tab.nmaps = 3, .tab.fmts = fmts,
			      .tab.nfmts = 1, .tab.output = out, .tab.lost = lost };
	LIBBPF_OPTS(bpf_test_run_opts, run);
	char *buf = NULL;
	size_t len = 0;
	int prog, n, tries;

	/* as tab_map_layout lays it out */
	lost->max_entries = 1;
	lost->val_size = 8 * LOST_MAP(rt.tab.nmaps);
	full->max_entries = 5;
	rt.out = open_memstream(&buf, &len);
	CHECK(rt_maps_create(&rt) == 0, "create");
	CHECK(rt.tab.ringbuf == ringbuf, "ringbuf flag");
	CHECK(rt_events_open(&rt) == 0, "open");
	prog = load_sender(out->fd, lost->fd, ringbuf);
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
	/* the counts the program added, read from the one value */
	rt.fmt = &out_json;
	rt.out = open_memstream(&buf, &len);
	rt_report_lost(&rt);
	fclose(rt.out);
	CHECK_STR(buf, "{\"type\": \"lost_events\", \"data\": {\"events\": 2}}\n"
		       "{\"type\": \"map_full\", \"data\": {\"map\": \"@full\", \"dropped\": 7, \"max_entries\": 5}}\n");
	free(buf);
	rt.out = NULL;
	rt_close(&rt);
	CHECK(rt.reader == NULL && out->fd == -1, "closed");
	free(out);
	free(full);
	free(lost);
}

/* avg, stats, min, max and lhist, keyless and keyed. The expected text is
 * what bpftrace 0.17 prints for
 *	BEGIN { @a = avg(10); @a = avg(21); @s = stats(5); @s = stats(7);
 *		@mi = min(-3); @mx = max(9); @l = lhist(15, 0, 100, 10);
 *		@l = lhist(150, 0, 100, 10); @l = lhist(-5, 0, 100, 10);
 *		@k[comm] = avg(4); exit(); }
 * (without its "Attaching" line and the two empty lines before the maps),
 * with and without -f json. */
static void test_kinds(void)
{
	struct map_def *a = def_agg("@a", MAPK_AVG, 0);
	struct map_def *k = def_agg("@k", MAPK_AVG, 16);
	struct map_def *st = def_agg("@s", MAPK_STATS, 0);
	struct map_def *mi = def_agg("@mi", MAPK_MIN, 0);
	struct map_def *mx = def_agg("@mx", MAPK_MAX, 0);
	struct map_def *l = def_lhist("@l", 8, 0, 100, 10);
	struct map_def *maps[6] = { mx, l, k, st, a, mi };
	struct runtime rt = { .tab.maps = maps, .tab.nmaps = 6 };
	struct bpf_map_info info;
	uint32_t info_len = sizeof(info), zero32 = 0;
	int64_t mins[2] = { 5, -3 }, maxs[2] = { 2, 9 };
	char comm[16] = "bpftrace";

	def_key(k, type_str(16), 0);
	CHECK(rt_maps_create(&rt) == 0, "rt_maps_create");
	if (a->fd < 0 || l->fd < 0)
		return;
	memset(&info, 0, sizeof(info));
	CHECK(bpf_obj_get_info_by_fd(mi->fd, &info, &info_len) == 0, "info");
	CHECK(info.type == BPF_MAP_TYPE_PERCPU_ARRAY && info.key_size == 4 &&
		      info.value_size == 16 && info.max_entries == 1,
	      "min map: type %u key %u value %u entries %u", info.type,
	      info.key_size, info.value_size, info.max_entries);

	/* Untouched: arrays hold zeros, which bpftrace's hashes would not
	 * have, so nothing is printed but the empty lines. */
	check_maps(&rt, "untouched", "\n\n\n\n\n\n\n\n\n", "");

	put_avg(a, &zero32, 2, 31);
	put_avg(k, comm, 1, 4);
	put_avg(st, &zero32, 2, 12);
	put_minmax(mi, &zero32, mins, 2);
	put_minmax(mx, &zero32, maxs, 2);
	put_bucket(l, 0, 0, 1);
	put_bucket(l, 0, 2, 1);
	put_bucket(l, 0, 11, 1);
	check_maps(&rt, "kinds",
		   "@a: 15\n"
		   "\n"
		   "@k[bpftrace]: 4\n"
		   "\n"
		   "@l: \n"
		   "(..., 0)               1 " FULL
		   "[0, 10)                0 " NONE
		   "[10, 20)               1 " FULL
		   "[20, 30)               0 " NONE
		   "[30, 40)               0 " NONE
		   "[40, 50)               0 " NONE
		   "[50, 60)               0 " NONE
		   "[60, 70)               0 " NONE
		   "[70, 80)               0 " NONE
		   "[80, 90)               0 " NONE
		   "[90, 100)              0 " NONE
		   "[100, ...)             1 " FULL
		   "\n"
		   "@mi: -3\n"
		   "@mx: 9\n"
		   "@s: count 2, average 6, total 12\n"
		   "\n",
		   "{\"type\": \"stats\", \"data\": {\"@a\": 15}}\n"
		   "{\"type\": \"stats\", \"data\": {\"@k\": {\"bpftrace\": 4}}}\n"
		   "{\"type\": \"hist\", \"data\": {\"@l\": [{\"max\": -1, \"count\": 1}, "
		   "{\"min\": 0, \"max\": 9, \"count\": 0}, "
		   "{\"min\": 10, \"max\": 19, \"count\": 1}, "
		   "{\"min\": 20, \"max\": 29, \"count\": 0}, "
		   "{\"min\": 30, \"max\": 39, \"count\": 0}, "
		   "{\"min\": 40, \"max\": 49, \"count\": 0}, "
		   "{\"min\": 50, \"max\": 59, \"count\": 0}, "
		   "{\"min\": 60, \"max\": 69, \"count\": 0}, "
		   "{\"min\": 70, \"max\": 79, \"count\": 0}, "
		   "{\"min\": 80, \"max\": 89, \"count\": 0}, "
		   "{\"min\": 90, \"max\": 99, \"count\": 0}, "
		   "{\"min\": 100, \"count\": 1}]}}\n"
		   "{\"type\": \"map\", \"data\": {\"@mi\": -3}}\n"
		   "{\"type\": \"map\", \"data\": {\"@mx\": 9}}\n"
		   "{\"type\": \"stats\", \"data\": {\"@s\": {\"count\": 2, \"average\": 6, \"total\": 12}}}\n");

	/* A max whose values are all negative: bpftrace 0.17 loses them
	 * (it prints the empty map); wisp prints the maximum. */
	maxs[0] = -7, maxs[1] = -5;
	put_minmax(mx, &zero32, maxs, 2);
	check_print(&rt, mx, 0, 0, "@mx: -5\n",
		    "{\"type\": \"map\", \"data\": {\"@mx\": -5}}\n");

	/* clear(): keyless arrays are zeroed, which prints as bpftrace's
	 * empty maps (it deletes their hash entries); keyed maps lose
	 * their keys. */
	for (int i = 0; i < 6; i++)
		rt_clear_map(&rt, maps[i]);
	check_maps(&rt, "cleared", "\n\n\n\n\n\n\n\n\n", "");
	rt_close(&rt);
	for (int i = 0; i < 6; i++)
		free(maps[i]);
}

/* Key and value shapes in JSON, lhist labels and the order of equal hist
 * totals and averages. Expected output from bpftrace 0.17 for
 *	BEGIN { @m[1, "a\"b\\c"] = count(); @m[-2, "x,y"] = count();
 *		@m[-2, "x,y"] = count(); @str["k"] = "va\"l\n";
 *		@sv = "hello"; @t["a", 1] = avg(5);
 *		@l = lhist(2048, 0, 4096, 1024);
 *		@l2 = lhist(3000000, 0, 4194304, 1048576);
 *		@n = lhist(15, 10, 30, 5); @n = lhist(35, 10, 30, 5);
 *		@n = lhist(5, 10, 30, 5);
 *		@hs["a"] = hist(1); @hs["b"] = hist(2); @hs["c"] = hist(3);
 *		@hs["aa"] = hist(4); @hi[-1] = hist(1); @hi[1] = hist(1);
 *		@hi[256] = hist(1); @hi[2] = hist(1); exit(); }
 */
static void test_shapes(void)
{
	struct map_def *m = def_new("@m", MAPK_COUNT, BPF_MAP_TYPE_PERCPU_HASH, 24);
	struct map_def *str = def_new("@str", MAPK_VALUE, BPF_MAP_TYPE_HASH, 16);
	struct map_def *sv = def_new("@sv", MAPK_VALUE, BPF_MAP_TYPE_HASH, 8);
	struct map_def *t = def_agg("@t", MAPK_AVG, 24);
	struct map_def *l = def_lhist("@l", 8, 0, 4096, 1024);
	struct map_def *l2 = def_lhist("@l2", 8, 0, 4194304, 1048576);
	struct map_def *n = def_lhist("@n", 8, 10, 30, 5);
	struct map_def *hs = def_new("@hs", MAPK_HIST, BPF_MAP_TYPE_PERCPU_HASH, 24);
	struct map_def *hi = def_new("@hi", MAPK_HIST, BPF_MAP_TYPE_PERCPU_HASH, 16);
	struct map_def *maps[9] = { m, str, sv, t, l, l2, n, hs, hi };
	struct runtime rt = { .tab.maps = maps, .tab.nmaps = 9 };
	static const int64_t his[4] = { -1, 1, 256, 2 };
	static const char *const hss[4] = { "a", "b", "c", "aa" };
	unsigned char key[24];
	char val[16];
	int64_t i64;

	def_key(m, type_int(8, true), 0);
	def_key(m, type_str(16), 8);
	def_key(str, type_str(16), 0);
	str->val = type_str(16);
	str->val_size = 16;
	sv->val = type_str(16);
	sv->val_size = 16;
	def_key(t, type_str(16), 0);
	def_key(t, type_int(8, true), 16);
	def_key(hs, type_str(16), 0);
	def_key(hi, type_int(8, true), 0);
	CHECK(rt_maps_create(&rt) == 0, "rt_maps_create");
	if (m->fd < 0 || hi->fd < 0)
		return;

	memset(key, 0, sizeof(key));
	i64 = 1;
	memcpy(key, &i64, 8);
	strcpy((char *)key + 8, "a\"b\\c");
	put_percpu(m, key, 1);
	memset(key, 0, sizeof(key));
	i64 = -2;
	memcpy(key, &i64, 8);
	strcpy((char *)key + 8, "x,y");
	put_percpu(m, key, 2);
	memset(key, 0, sizeof(key));
	memset(val, 0, sizeof(val));
	strcpy((char *)key, "k");
	strcpy(val, "va\"l\n");
	CHECK(bpf_map_update_elem(str->fd, key, val, BPF_ANY) == 0, "str");
	memset(key, 0, sizeof(key));
	memset(val, 0, sizeof(val));
	strcpy(val, "hello");
	CHECK(bpf_map_update_elem(sv->fd, key, val, BPF_ANY) == 0, "sv");
	strcpy((char *)key, "a");
	i64 = 1;
	memcpy(key + 16, &i64, 8);
	put_avg(t, key, 1, 5);
	put_bucket(l, 0, 3, 1);
	put_bucket(l2, 0, 3, 1);
	put_bucket(n, 0, 2, 1);
	put_bucket(n, 0, 5, 1);
	put_bucket(n, 0, 0, 1);
	for (int i = 0; i < 4; i++) {
		static const uint64_t bucket[4] = { 2, 3, 3, 4 };

		memset(key, 0, sizeof(key));
		strcpy((char *)key, hss[i]);
		memcpy(key + 16, &bucket[i], 8);
		put_percpu(hs, key, 1);
		put_bucket(hi, his[i], 2, 1);
	}

	check_maps(&rt, "shapes",
		   /* equal totals: in the order of the key's bytes */
		   "@hi[256]: \n"
		   "[1]                    1 " FULL
		   "\n"
		   "@hi[1]: \n"
		   "[1]                    1 " FULL
		   "\n"
		   "@hi[2]: \n"
		   "[1]                    1 " FULL
		   "\n"
		   "@hi[-1]: \n"
		   "[1]                    1 " FULL
		   "\n"
		   "@hs[a]: \n"
		   "[1]                    1 " FULL
		   "\n"
		   "@hs[aa]: \n"
		   "[4, 8)                 1 " FULL
		   "\n"
		   "@hs[b]: \n"
		   "[2, 4)                 1 " FULL
		   "\n"
		   "@hs[c]: \n"
		   "[2, 4)                 1 " FULL
		   "\n"
		   "@l: \n"
		   "[2K, 3K)               1 " FULL
		   "\n"
		   "@l2: \n"
		   "[2M, 3M)               1 " FULL
		   "\n"
		   "@m[1, a\"b\\c]: 1\n"
		   "@m[-2, x,y]: 2\n"
		   "@n: \n"
		   "(..., 10)              1 " FULL
		   "[10, 15)               0 " NONE
		   "[15, 20)               1 " FULL
		   "[20, 25)               0 " NONE
		   "[25, 30)               0 " NONE
		   "[30, ...)              1 " FULL
		   "\n"
		   "@str[k]: va\"l\n"
		   "\n"
		   "@sv: hello\n"
		   "@t[a, 1]: 5\n"
		   "\n",
		   "{\"type\": \"hist\", \"data\": {\"@hi\": {"
		   "\"256\": [{\"min\": 1, \"max\": 1, \"count\": 1}], "
		   "\"1\": [{\"min\": 1, \"max\": 1, \"count\": 1}], "
		   "\"2\": [{\"min\": 1, \"max\": 1, \"count\": 1}], "
		   "\"-1\": [{\"min\": 1, \"max\": 1, \"count\": 1}]}}}\n"
		   "{\"type\": \"hist\", \"data\": {\"@hs\": {"
		   "\"a\": [{\"min\": 1, \"max\": 1, \"count\": 1}], "
		   "\"aa\": [{\"min\": 4, \"max\": 7, \"count\": 1}], "
		   "\"b\": [{\"min\": 2, \"max\": 3, \"count\": 1}], "
		   "\"c\": [{\"min\": 2, \"max\": 3, \"count\": 1}]}}}\n"
		   "{\"type\": \"hist\", \"data\": {\"@l\": [{\"min\": 2048, \"max\": 3071, \"count\": 1}]}}\n"
		   "{\"type\": \"hist\", \"data\": {\"@l2\": [{\"min\": 2097152, \"max\": 3145727, \"count\": 1}]}}\n"
		   "{\"type\": \"map\", \"data\": {\"@m\": {\"1,a\\\"b\\\\c\": 1, \"-2,x,y\": 2}}}\n"
		   "{\"type\": \"hist\", \"data\": {\"@n\": [{\"max\": 9, \"count\": 1}, "
		   "{\"min\": 10, \"max\": 14, \"count\": 0}, "
		   "{\"min\": 15, \"max\": 19, \"count\": 1}, "
		   "{\"min\": 20, \"max\": 24, \"count\": 0}, "
		   "{\"min\": 25, \"max\": 29, \"count\": 0}, "
		   "{\"min\": 30, \"count\": 1}]}}\n"
		   "{\"type\": \"map\", \"data\": {\"@str\": {\"k\": \"va\\\"l\\n\"}}}\n"
		   "{\"type\": \"map\", \"data\": {\"@sv\": \"hello\"}}\n"
		   "{\"type\": \"stats\", \"data\": {\"@t\": {\"a,1\": 5}}}\n");
	rt_close(&rt);
	for (int i = 0; i < 9; i++)
		free(maps[i]);
}

/* print(@m, top, div), clear() and zero(), keyed maps of every kind.
 * Expected output from bpftrace 0.17 for
 *	BEGIN { @c[1] = count(); @c[2] = count(); @c[2] = count();
 *		@c[3] = count(); @c[3] = count(); @c[3] = count();
 *		@s[1] = sum(-7); @s[2] = sum(9); @s[3] = sum(-20);
 *		@a[1] = avg(10); @a[2] = avg(-30); @a[3] = avg(50);
 *		@st[1] = stats(10); @st[2] = stats(-30); @st[3] = stats(50);
 *		@h[1] = hist(10); @h[2] = hist(100) twice;
 *		@h[3] = hist(1000) three times;
 *		@l[1] = lhist(10, 0, 100, 10); @l[2] = lhist(20, ...) twice;
 *		@l[3] = lhist(30, ...) three times;
 *		@mn[1] = min(10); @mn[2] = min(-30); @mn[3] = min(50);
 *		@mx[1] = max(10); @mx[2] = max(30); @mx[3] = max(50);
 *		@v[1] = -11; @v[2] = 23; @v[3] = 7;
 *		print(@c, 2, 2); ... }
 * then the same after clear() of every map, and for maps with one key 1
 * after zero() (and @t[5], @t[1], @t[-1] = avg(1), @t[3] = avg(0)). */
static void test_print_clear_zero(void)
{
	struct map_def *c = def_new("@c", MAPK_COUNT, BPF_MAP_TYPE_PERCPU_HASH, 8);
	struct map_def *s = def_new("@s", MAPK_SUM, BPF_MAP_TYPE_PERCPU_HASH, 8);
	struct map_def *a = def_agg("@a", MAPK_AVG, 8);
	struct map_def *st = def_agg("@st", MAPK_STATS, 8);
	struct map_def *h = def_new("@h", MAPK_HIST, BPF_MAP_TYPE_PERCPU_HASH, 16);
	struct map_def *l = def_lhist("@l", 16, 0, 100, 10);
	struct map_def *mn = def_agg("@mn", MAPK_MIN, 8);
	struct map_def *mx = def_agg("@mx", MAPK_MAX, 8);
	struct map_def *v = def_new("@v", MAPK_VALUE, BPF_MAP_TYPE_HASH, 8);
	struct map_def *t = def_agg("@t", MAPK_AVG, 8);
	struct map_def *maps[10] = { c, s, a, st, h, l, mn, mx, v, t };
	struct runtime rt = { .tab.maps = maps, .tab.nmaps = 10 };
	static const int64_t sums[3] = { -7, 9, -20 }, avgs[3] = { 10, -30, 50 },
			     maxs[3] = { 10, 30, 50 }, vals[3] = { -11, 23, 7 },
			     tkeys[4] = { 5, 1, -1, 3 };
	uint64_t hb[3] = { 5, 8, 11 };

	for (int i = 0; i < 10; i++)
		def_key(maps[i], type_int(8, true), 0);
	s->val = type_int(8, true);
	v->val = type_int(8, true);
	CHECK(rt_maps_create(&rt) == 0, "rt_maps_create");
	if (c->fd < 0 || t->fd < 0)
		return;
	for (int64_t k = 1; k <= 3; k++) {
		put_percpu(c, &k, k);
		put_percpu(s, &k, sums[k - 1]);
		put_avg(a, &k, 1, avgs[k - 1]);
		put_avg(st, &k, 1, avgs[k - 1]);
		put_bucket(h, k, hb[k - 1], k);
		put_bucket(l, k, k + 1, k);
		put_minmax(mn, &k, &avgs[k - 1], 1);
		put_minmax(mx, &k, &maxs[k - 1], 1);
		CHECK(bpf_map_update_elem(v->fd, &k, &vals[k - 1], BPF_ANY) == 0,
		      "v");
	}

	check_print(&rt, c, 2, 2, "@c[2]: 1\n@c[3]: 1\n",
		    "{\"type\": \"map\", \"data\": {\"@c\": {\"2\": 1, \"3\": 1}}}\n");
	check_print(&rt, s, 2, 2, "@s[1]: -3\n@s[2]: 4\n",
		    "{\"type\": \"map\", \"data\": {\"@s\": {\"1\": -3, \"2\": 4}}}\n");
	check_print(&rt, a, 2, 3, "@a[1]: 3\n@a[3]: 16\n\n",
		    "{\"type\": \"stats\", \"data\": {\"@a\": {\"1\": 3, \"3\": 16}}}\n");
	/* bpftrace ignores top and div for stats (and warns) */
	check_print(&rt, st, 2, 3,
		    "@st[2]: count 1, average -30, total -30\n"
		    "@st[1]: count 1, average 10, total 10\n"
		    "@st[3]: count 1, average 50, total 50\n"
		    "\n",
		    "{\"type\": \"stats\", \"data\": {\"@st\": {"
		    "\"2\": {\"count\": 1, \"average\": -30, \"total\": -30}, "
		    "\"1\": {\"count\": 1, \"average\": 10, \"total\": 10}, "
		    "\"3\": {\"count\": 1, \"average\": 50, \"total\": 50}}}}\n");
	check_print(&rt, h, 2, 2,
		    "@h[2]: \n"
		    "[64, 128)              1 " FULL
		    "\n"
		    "@h[3]: \n"
		    "[512, 1K)              1 " FULL
		    "\n",
		    "{\"type\": \"hist\", \"data\": {\"@h\": {"
		    "\"2\": [{\"min\": 64, \"max\": 127, \"count\": 1}], "
		    "\"3\": [{\"min\": 512, \"max\": 1023, \"count\": 1}]}}}\n");
	/* ... and div for lhist */
	check_print(&rt, l, 2, 2,
		    "@l[2]: \n"
		    "[20, 30)               2 " FULL
		    "\n"
		    "@l[3]: \n"
		    "[30, 40)               3 " FULL
		    "\n",
		    "{\"type\": \"hist\", \"data\": {\"@l\": {"
		    "\"2\": [{\"min\": 20, \"max\": 29, \"count\": 2}], "
		    "\"3\": [{\"min\": 30, \"max\": 39, \"count\": 3}]}}}\n");
	check_print(&rt, mn, 2, 3, "@mn[1]: 3\n@mn[3]: 16\n",
		    "{\"type\": \"map\", \"data\": {\"@mn\": {\"1\": 3, \"3\": 16}}}\n");
	check_print(&rt, mx, 2, 3, "@mx[2]: 10\n@mx[3]: 16\n",
		    "{\"type\": \"map\", \"data\": {\"@mx\": {\"2\": 10, \"3\": 16}}}\n");
	check_print(&rt, v, 2, 2, "@v[3]: 3\n@v[2]: 11\n",
		    "{\"type\": \"map\", \"data\": {\"@v\": {\"3\": 3, \"2\": 11}}}\n");
	check_print(&rt, v, 0, 2, "@v[1]: -5\n@v[3]: 3\n@v[2]: 11\n",
		    "{\"type\": \"map\", \"data\": {\"@v\": {\"1\": -5, \"3\": 3, \"2\": 11}}}\n");
	check_print(&rt, s, 5, 0, "@s[3]: -20\n@s[1]: -7\n@s[2]: 9\n",
		    "{\"type\": \"map\", \"data\": {\"@s\": {\"3\": -20, \"1\": -7, \"2\": 9}}}\n");

	/* Empty maps: one empty line, two for avg and stats (@a and @st,
	 * and here @t), nothing in JSON. */
	for (int i = 0; i < 10; i++)
		rt_clear_map(&rt, maps[i]);
	check_maps(&rt, "cleared", "\n\n\n\n\n\n\n\n\n\n\n\n\n", "");
	check_print(&rt, c, 0, 0, "\n", "");

	for (int i = 0; i < 9; i++) {
		int64_t k = 1;

		if (maps[i]->kind == MAPK_HIST || maps[i]->kind == MAPK_LHIST)
			put_bucket(maps[i], k, 4, 3);
		else if (maps[i]->kind == MAPK_VALUE)
			bpf_map_update_elem(v->fd, &k, &vals[0], BPF_ANY);
		else if (maps[i]->val_size == 16)
			put_minmax(maps[i], &k, &maxs[0], 1);
		else
			put_percpu(maps[i], &k, 3);
		rt_zero_map(&rt, maps[i]);
	}
	for (int i = 0; i < 4; i++)
		put_avg(t, &tkeys[i], 1, tkeys[i] == 3 ? 0 : 1);
	check_maps(&rt, "zeroed",
		   "@a[1]: 0\n"
		   "\n"
		   "@c[1]: 0\n"
		   "@h[1]: \n"
		   "\n"
		   "@l[1]: \n"
		   "\n"
		   "@mn[1]: 0\n"
		   "@mx[1]: 0\n"
		   "@s[1]: 0\n"
		   "@st[1]: count 0, average 0, total 0\n"
		   "\n"
		   "@t[3]: 0\n"
		   "@t[1]: 1\n"
		   "@t[5]: 1\n"
		   "@t[-1]: 1\n"
		   "\n"
		   "@v[1]: 0\n",
		   "{\"type\": \"stats\", \"data\": {\"@a\": {\"1\": 0}}}\n"
		   "{\"type\": \"map\", \"data\": {\"@c\": {\"1\": 0}}}\n"
		   "{\"type\": \"hist\", \"data\": {\"@h\": {\"1\": []}}}\n"
		   "{\"type\": \"hist\", \"data\": {\"@l\": {\"1\": []}}}\n"
		   "{\"type\": \"map\", \"data\": {\"@mn\": {\"1\": 0}}}\n"
		   "{\"type\": \"map\", \"data\": {\"@mx\": {\"1\": 0}}}\n"
		   "{\"type\": \"map\", \"data\": {\"@s\": {\"1\": 0}}}\n"
		   "{\"type\": \"stats\", \"data\": {\"@st\": {\"1\": {\"count\": 0, \"average\": 0, \"total\": 0}}}}\n"
		   "{\"type\": \"stats\", \"data\": {\"@t\": {\"3\": 0, \"1\": 1, \"5\": 1, \"-1\": 1}}}\n"
		   "{\"type\": \"map\", \"data\": {\"@v\": {\"1\": 0}}}\n");

	/* A zeroed min starts over: unseen, the next value wins. */
	{
		int64_t k = 1, seven = 7;

		put_minmax(mn, &k, &seven, 1);
		check_print(&rt, mn, 0, 0, "@mn[1]: 7\n",
			    "{\"type\": \"map\", \"data\": {\"@mn\": {\"1\": 7}}}\n");
	}
	rt_close(&rt);
	for (int i = 0; i < 10; i++)
		free(maps[i]);
}

/* A raw tracepoint program, run once with BPF_PROG_TEST_RUN, that sends
 * nrec records of up to 4 u64 words through the ring buffer. */
static int load_records(int map_fd, const uint64_t (*recs)[4],
			const int *nwords, int nrec)
{
	struct bpf_insn p[512];
	int n = 0, rec = -32;

#define I(...) (p[n++] = (struct bpf_insn){ __VA_ARGS__ })
	for (int r = 0; r < nrec; r++) {
		for (int w = 0; w < nwords[r]; w++) {
			/* 64-bit immediates: through r1 */
			I(.code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
			  .imm = (int32_t)recs[r][w]);
			I(.imm = (int32_t)(recs[r][w] >> 32));
			I(.code = BPF_STX | BPF_MEM | BPF_DW, .dst_reg = 10,
			  .src_reg = 1, .off = rec + 8 * w);
		}
		I(.code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd);
		I(.code = 0);
		I(.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10);
		I(.code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = rec);
		I(.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 3,
		  .imm = 8 * nwords[r]);
		I(.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 4);
		I(.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_ringbuf_output);
	}
	I(.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0);
	I(.code = BPF_JMP | BPF_EXIT);
#undef I
	return bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "wisp_test", "GPL",
			     p, n, NULL);
}

/* print, clear, zero, time and printf events read by rt_events_poll, in
 * text and JSON. */
static void test_map_events(bool json)
{
	struct fmt_arg args[1] = { { type_str(8), 8 } };
	struct fmt_def f = { .id = EVENT_PRINTF, .fmt = "say \"%s\"\t!\n",
			     .nargs = 1, .args = args, .size = 16 };
	struct fmt_def *fmts[1] = { &f };
	struct map_def *c = def_new("@c", MAPK_COUNT, BPF_MAP_TYPE_PERCPU_ARRAY, 0);
	struct map_def *k = def_new("@k", MAPK_COUNT, BPF_MAP_TYPE_PERCPU_HASH, 8);
	struct map_def *out = def_new("@out", MAPK_OUTPUT, BPF_MAP_TYPE_RINGBUF, 0);
	struct map_def *maps[3] = { c, k, out };
	char *strs[2] = { "[%Y]\n", NULL };
	struct runtime rt = { .tab.maps = maps, .tab.nmaps = 3, .tab.fmts = fmts,
			      .tab.nfmts = 1, .tab.output = out, .tab.strs = strs,
			      .tab.nstrs = 2,
			      .fmt = json ? &out_json : &out_text };
	/* map number at 8, top at 12, div at 16 */
#define MAPARG(map, top) ((uint64_t)(top) << 32 | (map))
	static const uint64_t recs[][4] = {
		{ EVENT_PRINTF, 'q' },
		{ EVENT_PRINT, MAPARG(0, 0), 0 },
		{ EVENT_PRINT, MAPARG(1, 2), 2 },
		{ EVENT_ZERO, 0 },
		{ EVENT_PRINT, MAPARG(0, 0), 0 },
		{ EVENT_CLEAR, 1 },
		{ EVENT_PRINT, MAPARG(1, 0), 0 },
		{ EVENT_TIME, 0 },
		{ EVENT_TIME, 1 },
		{ EVENT_EXIT, 0 },
	};
#undef MAPARG
	static const int nwords[] = { 2, 3, 3, 2, 3, 2, 3, 2, 2, 2 };
	char *buf = NULL, want[1024], year[64];
	size_t len = 0, wlen;
	time_t now = time(NULL);
	int prog, tries, hh, mm, ss;
	uint32_t zero32 = 0;
	int64_t key;
	struct tm tm;

	rt.out = open_memstream(&buf, &len);
	c->max_entries = 1;
	def_key(k, type_int(8, true), 0);
	CHECK(rt_maps_create(&rt) == 0, "create");
	CHECK(rt_events_open(&rt) == 0, "open");
	put_percpu(c, &zero32, 7);
	for (key = 1; key <= 3; key++)
		put_percpu(k, &key, 10 * key + 1);
	prog = load_records(out->fd, recs, nwords, 10);
	CHECK(prog >= 0, "load: %s", strerror(errno));
	if (prog >= 0) {
		LIBBPF_OPTS(bpf_test_run_opts, run);

		CHECK(bpf_prog_test_run_opts(prog, &run) == 0, "run: %s",
		      strerror(errno));
		close(prog);
	}
	for (tries = 0; !rt.exit_requested && tries < 10; tries++)
		rt_events_poll(&rt, 100);
	CHECK(rt.exit_requested, "exit");
	fclose(rt.out);
	rt.out = NULL;

	localtime_r(&now, &tm);
	strftime(year, sizeof(year), "[%Y]\n", &tm);
	if (!json)
		snprintf(want, sizeof(want),
			 "say \"q\"\t!\n"
			 "@c: 7\n"
			 "@k[2]: 10\n"
			 "@k[3]: 15\n"
			 "@c: 0\n"
			 "\n"
			 "%s", year);
	else
		snprintf(want, sizeof(want),
			 "{\"type\": \"printf\", \"data\": \"say \\\"q\\\"\\t!\\n\"}\n"
			 "{\"type\": \"map\", \"data\": {\"@c\": 7}}\n"
			 "{\"type\": \"map\", \"data\": {\"@k\": {\"2\": 10, \"3\": 15}}}\n"
			 "{\"type\": \"map\", \"data\": {\"@c\": 0}}\n"
			 "{\"type\": \"time\", \"data\": \"%.*s\\n\"}\n",
			 (int)strlen(year) - 1, year);
	/* The last line is time() with its default format, "%H:%M:%S\n". */
	wlen = strlen(want);
	CHECK(buf && len > wlen && strncmp(buf, want, wlen) == 0,
	      "%s events\n--- got:\n%s--- want first:\n%s",
	      json ? "json" : "text", buf, want);
	if (buf && len > wlen) {
		const char *last = buf + wlen;

		if (json)
			CHECK(sscanf(last, "{\"type\": \"time\", \"data\": \"%d:%d:%d\\n\"}\n",
				     &hh, &mm, &ss) == 3 &&
				      strlen(last) == 39,
			      "default time: %s", last);
		else
			CHECK(sscanf(last, "%d:%d:%d\n", &hh, &mm, &ss) == 3 &&
				      strlen(last) == 9,
			      "default time: %s", last);
	}
	free(buf);
	rt_close(&rt);
	for (int i = 0; i < 3; i++)
		free(maps[i]);
}

/* -f json tells JSON readers about lost events on stdout. */
static void test_lost_json(void)
{
	char *buf = NULL;
	size_t len = 0;
	struct runtime rt = { .fmt = &out_json, .lost_perf = 3 };

	rt.out = open_memstream(&buf, &len);
	rt_report_lost(&rt);
	fclose(rt.out);
	CHECK_STR(buf, "{\"type\": \"lost_events\", \"data\": {\"events\": 3}}\n");
	free(buf);
}

/* A user function for ustack frames to land in: big enough for +5. */
__attribute__((noinline, used)) int stack_test_fn(int x)
{
	volatile int y = x;

	return y * 3 + y / 7 + 1;
}

static char *print_maps_folded(struct runtime *rt)
{
	char *got;

	rt->fmt = &out_folded;
	got = print_maps(rt);
	rt->fmt = &out_text;
	return got;
}

/* kstack and ustack as keys and values. The frames come from a hash
 * standing in for the stack map (user space cannot write a STACK_TRACE
 * map) and the kernel names from a made-up kallsyms. */
static void test_stacks(void)
{
	char path[] = "/tmp/wisp-kallsyms.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct map_def *stacks = def_new("@.stacks", MAPK_STACKS,
					 BPF_MAP_TYPE_HASH, 4);
	struct map_def *counts = def_new("@", MAPK_COUNT,
					 BPF_MAP_TYPE_PERCPU_HASH, 16);
	struct map_def *val = def_new("@s", MAPK_VALUE, BPF_MAP_TYPE_HASH, 8);
	struct map_def *two = def_new("@two", MAPK_COUNT,
				      BPF_MAP_TYPE_PERCPU_HASH, 32);
	struct map_def *maps[4] = { stacks, counts, val, two };
	struct runtime rt = { .tab.maps = maps, .tab.nmaps = 4 };
	struct type kst = { .kind = TYPE_STACK, .size = 16, .as = AS_KERNEL };
	struct type ust = kst;
	uint64_t frames[127] = { 0 }, key[4] = { 0 }, zero = 0;
	uint64_t fn = (uint64_t)(uintptr_t)&stack_test_fn;
	uint32_t id;
	char text[1024], json[1024], folded[1024], *got;

	fputs("ffffffff81001000 T first_fn\nffffffff81002000 t second_fn\n", f);
	fclose(f);
	CHECK(ksym_load(path) == 2, "made-up kallsyms");
	unlink(path);
	ust.as = AS_USER;
	stacks->val_size = sizeof(frames);
	stacks->max_entries = 16;
	def_key(counts, kst, 0);
	val->val = kst;
	val->val_size = 16;
	def_key(two, type_str(16), 0);
	def_key(two, ust, 16);
	CHECK(rt_maps_create(&rt) == 0, "rt_maps_create");
	if (stacks->fd < 0 || counts->fd < 0 || val->fd < 0 || two->fd < 0)
		return;

	/* Stack 1: kernel, innermost first; stack 2: ours, then an address
	 * nothing is mapped at. */
	id = 1;
	frames[0] = 0xffffffff81002010;
	frames[1] = 0xffffffff81001005;
	CHECK(bpf_map_update_elem(stacks->fd, &id, frames, BPF_ANY) == 0,
	      "stack 1");
	id = 2;
	frames[0] = fn + 5;
	frames[1] = 0x1234;
	CHECK(bpf_map_update_elem(stacks->fd, &id, frames, BPF_ANY) == 0,
	      "stack 2");

	key[0] = 1;
	put_percpu(counts, key, 2);
	/* -EFAULT: the kernel could not take the stack. */
	key[0] = (uint64_t)-14;
	put_percpu(counts, key, 1);
	key[0] = 1;
	CHECK(bpf_map_update_elem(val->fd, &zero, key, BPF_ANY) == 0, "@s");
	memset(key, 0, sizeof(key));
	memcpy(key, "cat", 3);
	key[2] = 2;
	key[3] = (uint64_t)getpid();
	put_percpu(two, key, 7);

	snprintf(text, sizeof(text),
		 "@[]: 1\n"
		 "@[\n    second_fn+16\n    first_fn+5\n]: 2\n"
		 "@s: \n        second_fn+16\n        first_fn+5\n\n"
		 "@two[cat, \n    stack_test_fn+5\n    0x1234\n]: 7\n");
	snprintf(json, sizeof(json),
		 "{\"type\": \"map\", \"data\": {\"@\": {\"\": 1, "
		 "\"\\n    second_fn+16\\n    first_fn+5\\n\": 2}}}\n"
		 "{\"type\": \"map\", \"data\": {\"@s\": "
		 "\"\\n        second_fn+16\\n        first_fn+5\\n\"}}\n"
		 "{\"type\": \"map\", \"data\": {\"@two\": "
		 "{\"cat,\\n    stack_test_fn+5\\n    0x1234\\n\": 7}}}\n");
	check_maps(&rt, "stacks", text, json);
	/* Folded: callers first, names without offsets; the keyless @s is
	 * not a stack map and prints as text. */
	snprintf(folded, sizeof(folded),
		 "[unknown] 1\n"
		 "first_fn;second_fn 2\n"
		 "@s: \n        second_fn+16\n        first_fn+5\n\n"
		 "cat;0x1234;stack_test_fn 7\n");
	got = print_maps_folded(&rt);
	CHECK(got && strcmp(got, folded) == 0,
	      "folded\n--- got:\n%s--- want:\n%s", got, folded);
	free(got);
	/* print(@, 1) in folded form too: the top entry. */
	rt.fmt = &out_folded;
	got = print_map(&rt, counts, 1, 0);
	rt.fmt = &out_text;
	CHECK_STR(got, "first_fn;second_fn 2\n");
	free(got);
	rt_close(&rt);
}

/* Can this process create BPF maps? Root, or CAP_BPF: asking the kernel
 * is the one sure way. */
static bool have_bpf(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int main(void)
{
#ifdef MAPPRINT_NO_RINGBUF
	const char *name = "test_mapprint_perf";
	bool ringbuf = false;
#else
	const char *name = "test_mapprint";
	bool ringbuf = rt_have_ringbuf();
#endif

	ncpus = libbpf_num_possible_cpus();
	test_lost_json();
	if (!have_bpf()) {
		unit_skip("creating BPF maps needs root or CAP_BPF");
		return unit_done(name);
	}
	test_events(false);
	test_kinds();
	test_shapes();
	test_print_clear_zero();
	test_stacks();
	if (ringbuf) {
		test_maps();
		test_events(true);
		test_map_events(false);
		test_map_events(true);
	}
#ifndef MAPPRINT_NO_RINGBUF
	else {
		unit_skip("no BPF ring buffer here (Linux 5.8): its output not checked");
	}
#endif
	return unit_done(name);
}
