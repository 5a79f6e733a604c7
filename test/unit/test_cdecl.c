/* test_cdecl.c - the layout of C declarations in wisp programs
 * (src/lang/cdecl.c) against gcc's own for the same declarations:
 * sizes, alignments, member offsets and bitfield positions, on x86_64
 * (the host's gcc) and 32-bit ARM EABI (arm-linux-gnueabihf-gcc), and on
 * arm64 and riscv64 where their cross compilers are installed.
 *
 * gcc's values are read without running its code (a cross-compiled
 * program cannot run here): the sizes and offsets are an array in a
 * section of its own, and each bitfield is set to all ones in a struct
 * in a section of its own, whose bytes show where the bits are; objcopy
 * dumps the sections. Then the type names, the errors of declarations
 * and sizeof/offsetof of types from a program. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "lang/cdecl.h"
#include "lang/parser.h"
#include "unit.h"

/* Valid C and valid wisp: u8..u64 are typedefs gcc is given below and
 * wisp knows without BTF. */
static const char decls[] =
	"struct pair { char c; u64 v; };\n"
	"struct mixed { char a; short b; char c; int d; char e; long long f; char g; };\n"
	"struct ptrs { char c; void *p; char *q[3]; struct pair *next; long l; };\n"
	"struct fwd;\n"
	"struct uses_fwd { struct fwd *f; char c; };\n"
	"union num { char c; short s; long long ll; int i; };\n"
	"struct qstr { union { struct { u32 hash; u32 len; }; u64 hash_len; }; const unsigned char *name; };\n"
	"struct nested { char c; struct inner { short s; char t[3]; } in; struct inner arr[2]; char d; };\n"
	"struct matrix { char c; int m[2][3]; short s[4][1][2]; char end; };\n"
	"struct bits { unsigned a:3; unsigned b:5; unsigned c:30; char d; int e:7; unsigned long long f:40; u8 g:1; };\n"
	"struct bits2 { char c; int :0; char d; int x:31; int y:2; short z:9; };\n"
	"struct bits3 { char c; int :3; char d; };\n"
	"struct bits4 { char c; long long :5; };\n"
	"struct bits5 { short s; char c; int x:9; long long y:33; char t:4; };\n"
	"union ubits { char c; int x:3; u64 y:40; };\n"
	"enum color { RED, GREEN = 10, BLUE };\n"
	"enum big { SMALL = -1, LARGE = 0x100000000 };\n"
	"struct enums { char c; enum color col; char d; enum big b; };\n"
	"struct fnptr { char c; void (*fn)(int, char *); int (*ops[2])(void); char d; };\n"
	"typedef struct pair pair_t;\n"
	"typedef unsigned long ulong_t;\n"
	"struct tdefs { char c; pair_t p; ulong_t u; pair_t *pp; };\n"
	"struct anon2 { int x; union { char a; struct { short b; long long c; }; }; char z; };\n"
	"struct flex { int n; char c; long data[]; };\n"
	"struct cv { const volatile int a; const char *const b; volatile long c; };\n"
	"struct sized { char buf[sizeof(struct pair) * 2]; char e[BLUE]; };\n";

enum query_kind { Q_SIZE, Q_ALIGN, Q_OFF, Q_BITS };

static const struct query {
	enum query_kind kind;
	const char *type, *member;
} queries[] = {
	{ Q_SIZE, "struct pair", NULL }, { Q_ALIGN, "struct pair", NULL }, { Q_OFF, "struct pair", "v" },
	{ Q_SIZE, "struct mixed", NULL }, { Q_ALIGN, "struct mixed", NULL },
	{ Q_OFF, "struct mixed", "b" }, { Q_OFF, "struct mixed", "d" },
	{ Q_OFF, "struct mixed", "e" }, { Q_OFF, "struct mixed", "f" },
	{ Q_OFF, "struct mixed", "g" },
	{ Q_SIZE, "struct ptrs", NULL }, { Q_OFF, "struct ptrs", "p" }, { Q_OFF, "struct ptrs", "q" },
	{ Q_OFF, "struct ptrs", "q[2]" }, { Q_OFF, "struct ptrs", "next" },
	{ Q_OFF, "struct ptrs", "l" },
	{ Q_SIZE, "struct uses_fwd", NULL }, { Q_OFF, "struct uses_fwd", "c" },
	{ Q_SIZE, "union num", NULL }, { Q_ALIGN, "union num", NULL },
	{ Q_SIZE, "struct qstr", NULL }, { Q_OFF, "struct qstr", "len" },
	{ Q_OFF, "struct qstr", "hash_len" }, { Q_OFF, "struct qstr", "name" },
	{ Q_SIZE, "struct nested", NULL }, { Q_SIZE, "struct inner", NULL }, { Q_ALIGN, "struct inner", NULL },
	{ Q_OFF, "struct nested", "in" }, { Q_OFF, "struct nested", "in.t" },
	{ Q_OFF, "struct nested", "arr[1].t[2]" }, { Q_OFF, "struct nested", "d" },
	{ Q_SIZE, "struct matrix", NULL }, { Q_OFF, "struct matrix", "m[1][2]" },
	{ Q_OFF, "struct matrix", "s" }, { Q_OFF, "struct matrix", "end" },
	{ Q_SIZE, "struct bits", NULL }, { Q_ALIGN, "struct bits", NULL },
	{ Q_BITS, "struct bits", "a" }, { Q_BITS, "struct bits", "b" },
	{ Q_BITS, "struct bits", "c" }, { Q_OFF, "struct bits", "d" },
	{ Q_BITS, "struct bits", "e" }, { Q_BITS, "struct bits", "f" },
	{ Q_BITS, "struct bits", "g" },
	{ Q_SIZE, "struct bits2", NULL }, { Q_ALIGN, "struct bits2", NULL }, { Q_OFF, "struct bits2", "d" },
	{ Q_BITS, "struct bits2", "x" }, { Q_BITS, "struct bits2", "y" },
	{ Q_BITS, "struct bits2", "z" },
	{ Q_SIZE, "struct bits3", NULL }, { Q_ALIGN, "struct bits3", NULL }, { Q_OFF, "struct bits3", "d" },
	{ Q_SIZE, "struct bits4", NULL }, { Q_ALIGN, "struct bits4", NULL },
	{ Q_SIZE, "struct bits5", NULL }, { Q_ALIGN, "struct bits5", NULL },
	{ Q_BITS, "struct bits5", "x" }, { Q_BITS, "struct bits5", "y" },
	{ Q_BITS, "struct bits5", "t" },
	{ Q_SIZE, "union ubits", NULL }, { Q_ALIGN, "union ubits", NULL },
	{ Q_BITS, "union ubits", "x" }, { Q_BITS, "union ubits", "y" },
	{ Q_SIZE, "enum color", NULL }, { Q_SIZE, "enum big", NULL },
	{ Q_SIZE, "struct enums", NULL }, { Q_OFF, "struct enums", "col" },
	{ Q_OFF, "struct enums", "d" }, { Q_OFF, "struct enums", "b" },
	{ Q_SIZE, "struct fnptr", NULL }, { Q_OFF, "struct fnptr", "fn" },
	{ Q_OFF, "struct fnptr", "ops[1]" }, { Q_OFF, "struct fnptr", "d" },
	{ Q_SIZE, "pair_t", NULL }, { Q_SIZE, "ulong_t", NULL },
	{ Q_SIZE, "struct tdefs", NULL }, { Q_OFF, "struct tdefs", "p.v" },
	{ Q_OFF, "struct tdefs", "u" }, { Q_OFF, "struct tdefs", "pp" },
	{ Q_SIZE, "struct anon2", NULL }, { Q_ALIGN, "struct anon2", NULL }, { Q_OFF, "struct anon2", "a" },
	{ Q_OFF, "struct anon2", "b" }, { Q_OFF, "struct anon2", "c" },
	{ Q_OFF, "struct anon2", "z" },
	{ Q_SIZE, "struct flex", NULL }, { Q_OFF, "struct flex", "data" },
	{ Q_SIZE, "struct cv", NULL }, { Q_OFF, "struct cv", "c" },
	{ Q_SIZE, "struct sized", NULL }, { Q_OFF, "struct sized", "e" },
	{ Q_SIZE, "long", NULL }, { Q_SIZE, "void *", NULL }, { Q_ALIGN, "long long", NULL },
	{ Q_SIZE, "size_t", NULL },
};
#define NQUERIES (sizeof(queries) / sizeof(queries[0]))

struct abi {
	const char *arch;   /* as regs_for() knows it */
	const char *prefix; /* of gcc and objcopy; "" the host's */
	bool required;      /* a skip when its compiler is missing */
};

static const char *tmpdir;

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The bytes of section sec of obj (malloc'd), *len their number. */
static unsigned char *section(const struct abi *a, const char *obj, const char *sec,
			      size_t *len)
{
	char cmd[1024], out[600];
	unsigned char *buf;
	FILE *f;
	long n;

	snprintf(out, sizeof(out), "%s/sec.bin", tmpdir);
	snprintf(cmd, sizeof(cmd), "%sobjcopy -O binary -j %s %s %s", a->prefix, sec, obj, out);
	if (run(cmd) || !(f = fopen(out, "rb")))
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n > 0 ? (size_t)n : 1);
	*len = buf ? fread(buf, 1, (size_t)n, f) : 0;
	fclose(f);
	return buf;
}

/* gcc's value of each query into want[] (bitfields: bit offset * 1000 +
 * width). Returns 0, or -1 when gcc or objcopy failed. */
static int gcc_values(const struct abi *a, uint64_t *want)
{
	char path[512], obj[512], cmd[2048];
	unsigned char *vals;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/layout-%s.c", tmpdir, a->arch);
	snprintf(obj, sizeof(obj), "%s/layout-%s.o", tmpdir, a->arch);
	if (!(f = fopen(path, "w")))
		return -1;
	fprintf(f, "#include <stddef.h>\n"
		"typedef unsigned char u8; typedef unsigned short u16;\n"
		"typedef unsigned int u32; typedef unsigned long long u64;\n%s\n"
		"__attribute__((section(\"s_vals\"))) const unsigned int vals[] = {\n",
		decls);
	for (size_t i = 0; i < NQUERIES; i++) {
		const struct query *q = &queries[i];

		switch (q->kind) {
		case Q_SIZE: fprintf(f, "\tsizeof(%s),\n", q->type); break;
		case Q_ALIGN: fprintf(f, "\t_Alignof(%s),\n", q->type); break;
		case Q_OFF: fprintf(f, "\toffsetof(%s, %s),\n", q->type, q->member); break;
		case Q_BITS: fprintf(f, "\t0,\n"); break;
		}
	}
	fprintf(f, "};\n");
	for (size_t i = 0; i < NQUERIES; i++)
		if (queries[i].kind == Q_BITS)
			fprintf(f, "__attribute__((section(\"s_bf%zu\"))) %s bf%zu = { .%s = -1 };\n",
				i, queries[i].type, i, queries[i].member);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%sgcc -w -O0 -c -o %s %s", a->prefix, obj, path);
	if (run(cmd))
		return -1;
	if (!(vals = section(a, obj, "s_vals", &len)) || len != NQUERIES * 4) {
		free(vals);
		return -1;
	}
	for (size_t i = 0; i < NQUERIES; i++) {
		want[i] = (uint64_t)vals[4 * i] | (uint64_t)vals[4 * i + 1] << 8 |
			  (uint64_t)vals[4 * i + 2] << 16 | (uint64_t)vals[4 * i + 3] << 24;
		if (queries[i].kind == Q_BITS) {
			char sec[32];
			unsigned char *b;
			size_t blen, first = SIZE_MAX, n = 0;

			snprintf(sec, sizeof(sec), "s_bf%zu", i);
			if (!(b = section(a, obj, sec, &blen))) {
				free(vals);
				return -1;
			}
			/* little endian: bit k of the struct is bit k % 8 of byte k / 8 */
			for (size_t k = 0; k < blen * 8; k++) {
				if (b[k / 8] >> (k % 8) & 1) {
					first = first == SIZE_MAX ? k : first;
					n++;
				}
			}
			want[i] = (uint64_t)first * 1000 + n;
			free(b);
		}
	}
	free(vals);
	return 0;
}

/* wisp's value of query q (declarations registered for target t). */
static uint64_t wisp_value(const struct query *q, const struct target *t)
{
	char err[512], path[128];
	const struct ctype *ct = cdecl_typename(q->type, t, err, sizeof(err));
	const struct cmember *m;
	uint64_t v = (uint64_t)-1;
	unsigned off;
	char *dot;

	if (!ct) {
		printf("  %s: %s\n", q->type, err);
		return v;
	}
	switch (q->kind) {
	case Q_SIZE:
		if (cdecl_sizeof(ct, &v, err, sizeof(err)))
			printf("  %s: %s\n", q->type, err);
		break;
	case Q_ALIGN:
		v = cdecl_align(ct, t);
		break;
	case Q_OFF:
		if (cdecl_offsetof(ct, q->member, &v, err, sizeof(err)))
			printf("  %s: %s\n", q->type, err);
		break;
	case Q_BITS:
		/* the container's offset, then the bitfield in it */
		snprintf(path, sizeof(path), "%s", q->member);
		dot = strrchr(path, '.');
		v = 0;
		if (dot) {
			*dot = 0;
			if (cdecl_offsetof(ct, path, &v, err, sizeof(err)))
				return (uint64_t)-1;
		}
		m = ctype_member(ct, dot ? dot + 1 : path, &off);
		if (!m)
			return (uint64_t)-1;
		v = ((v + off) * 8 + m->bit_off) * 1000 + m->bit_size;
		break;
	}
	return v;
}

static void test_abi(const struct abi *a)
{
	uint64_t want[NQUERIES];
	char cmd[256], text[sizeof(decls) + 32];
	struct target t = target_default();
	struct program prog;
	struct source src;
	int errors;

	snprintf(cmd, sizeof(cmd), "command -v %sgcc >/dev/null 2>&1 && command -v %sobjcopy >/dev/null 2>&1",
		 a->prefix, a->prefix);
	if (run(cmd)) {
		char why[200];

		snprintf(why, sizeof(why), "no %sgcc to compare the %s layout with (apt-get install gcc-%.*s)",
			 a->prefix, a->arch, (int)strlen(a->prefix) - 1, a->prefix);
		if (a->required)
			unit_skip(why);
		else
			printf("note: %s\n", why);
		return;
	}
	if (gcc_values(a, want)) {
		CHECK(0, "%sgcc compiled the declarations (%s/layout-%s.c)", a->prefix,
		      tmpdir, a->arch);
		return;
	}
	t.regs = regs_for(a->arch);
	snprintf(text, sizeof(text), "%sBEGIN { }\n", decls);
	source_from_string(&src, "<decls>", text);
	CHECK(parse_program(&src, &prog) == 0, "the declarations parse");
	errors = cdecl_declare(&prog, &t);
	CHECK(errors == 0, "%d errors declaring them for %s", errors, a->arch);
	for (size_t i = 0; i < NQUERIES; i++) {
		const struct query *q = &queries[i];
		uint64_t got = wisp_value(q, &t);
		static const char *const kinds[] = { "sizeof", "_Alignof", "offsetof", "bits of" };

		CHECK(got == want[i], "%s: %s(%s%s%s): wisp %llu, gcc %llu", a->arch, kinds[q->kind],
		      q->type, q->member ? ", " : "", q->member ? q->member : "",
		      (unsigned long long)got, (unsigned long long)want[i]);
	}
	program_free(&prog);
}

int main(void)
{
	static const struct abi abis[] = {
#if defined(__x86_64__)
		{ "x86_64", "", true },
#else
		{ "x86_64", "x86_64-linux-gnu-", true },
#endif
		{ "arm", "arm-linux-gnueabihf-", true },
		{ "aarch64", "aarch64-linux-gnu-", false },
		{ "riscv64", "riscv64-linux-gnu-", false },
	};
	char dir[] = "/tmp/wisp-cdecl-XXXXXX", cmd[128];

	if (!(tmpdir = mkdtemp(dir))) {
		printf("FAIL: no temporary directory\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++)
		test_abi(&abis[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	run(cmd);
	return unit_done("test_cdecl");
}
