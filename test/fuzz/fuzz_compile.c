/* fuzz_compile.c - the libFuzzer target: the whole compiler on any input.
 *
 * An input is a program in either dialect. It goes through every stage
 * wisp runs before loading: the token and AST dumps, the parser, probe
 * resolution, sema, lowering, the optimiser, register allocation,
 * emission of encoded instructions, the reachability check, the
 * --dump=asm disassembly, and a round trip of the encoded code through
 * the disassembler and back through the assembler, which must give the
 * same instructions.
 *
 * The kernel is a described target (as --target gives): the tracepoint
 * formats and kernel symbols of test/golden, so nothing here touches the
 * running kernel and no bpf() is made. Probe types whose resolution
 * reads the live system (kprobes list the kernel's functions, uprobes
 * read the binaries and may remove stale probe events) are resolved
 * here by hand into instances with the provider's own context; the
 * others go through their provider. Each program that compiles is
 * compiled again for a second target of another architecture and
 * feature set, chosen by the input's bytes.
 *
 * A finding is a crash, a sanitizer report, a leak, or an abort() below:
 * encoded code with an unreachable instruction (wisp refuses to load it
 * as an internal error) or a disassembly that does not assemble back to
 * the same instructions.
 *
 * LLVMFuzzerTestOneInput is the entry point of both libFuzzer (make fuzz)
 * and test/fuzz/replay.c (make check replays the corpus without clang).
 * WISP_FUZZ_GOLDEN names the folder of the fixtures (test/golden); the
 * build gives the source tree's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfasm/bpfasm.h"
#include "ir/ir.h"
#include "ir/lower.h"
#include "lang/parser.h"
#include "lang/sema.h"
#include "provider/provider.h"
#include "runtime/runtime.h"

#ifndef WISP_FUZZ_GOLDEN
#define WISP_FUZZ_GOLDEN "test/golden"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The kernels compiled for: the first is the golden tests' one. */
static const char *const target_texts[] = {
	"arch x86_64\nfeatures ringbuf compat_read for_each percpu_lookup\n",
	"arch aarch64\nfeatures\nstrlen 200\npid 1234\n",
	"arch arm\nfeatures ringbuf\nstrlen 16\ncpid 99\nstart_ns 1000\n",
	"arch riscv64\nfeatures for_each percpu_lookup\nstrlen 1024\n",
	"arch x86_64\nfeatures compat_read\nstrlen 2\npid 7\ncpid 8\n",
};
#define NTARGETS (sizeof(target_texts) / sizeof(target_texts[0]))

static struct target targets[NTARGETS];
static FILE *sink; /* the dumps go here: written, never read */

/* uaddr(): every symbol but those named "missing*" is at a made-up
 * address in any binary; a real lookup would read the named file. */
static int fuzz_user_sym(const struct target *t, const char *path,
			 const char *name, uint64_t *addr, char *err, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	if (!strncmp(name, "missing", 7)) {
		snprintf(err, len, "no symbol '%s' in %s", name, path);
		return -1;
	}
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	*addr = 0x400000 + (h & 0xffff0);
	return 0;
}

static void fuzz_setup(void)
{
	static int done;
	const char *golden = getenv("WISP_FUZZ_GOLDEN");
	char *path = NULL;

	if (done)
		return;
	done = 1;
	if (!golden)
		golden = WISP_FUZZ_GOLDEN;
	for (size_t i = 0; i < NTARGETS; i++) {
		char *err = NULL;
		struct target *t = &targets[i];

		*t = target_default();
		target_lookups(t);
		t->user_sym = fuzz_user_sym;
		if (target_parse(t, target_texts[i], golden, &err)) {
			fprintf(stderr, "fuzz: target %zu: %s\n", i, err);
			abort();
		}
		if (asprintf(&path, "%s/tracefs", golden) < 0)
			abort();
		t->tracefs = path;
		if (asprintf(&path, "%s/kallsyms", golden) < 0)
			abort();
		t->kallsyms = path;
	}
	/* the kernel types of the golden tests (btf/kernel.c): casts, members,
	 * bitfields and enum constants are fuzzed against them */
	if (asprintf(&path, "%s/btf/kernel.btf", golden) < 0)
		abort();
	targets[0].btf = path;
	if (target_type_sources(&targets[0], NULL, false, false))
		abort();
	sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
}

/* ---- probe instances without the live system ---- */

/* The kernel functions a kprobe wildcard may match. */
static const char *const kernel_funcs[] = {
	"do_sys_openat2", "vfs_read", "vfs_write", "tcp_connect", "do_nanosleep",
};

/* An instance made here (kprobe, uprobe), freed here: the provider's
 * free() would look for its private data. */
struct fake {
	struct probe_inst *pi;
	char *binary;
	struct fake *next;
};

static struct probe_inst *fake_add(struct fake **fakes, const struct provider *prov,
				   struct probe *probe, struct loc loc,
				   const char *func, const char *binary)
{
	struct fake *fk = calloc(1, sizeof(*fk));
	char *spec = NULL;

	if (!fk)
		abort();
	if (binary ? asprintf(&spec, "%s:%s:%s", prov->name, binary, func) < 0 :
		     asprintf(&spec, "%s:%s", prov->name, func) < 0)
		abort();
	fk->pi = probe_inst_new(prov, probe, spec, loc);
	free(spec);
	if (!fk->pi)
		abort();
	fk->pi->func = strdup(func);
	fk->binary = binary ? strdup(binary) : NULL;
	fk->next = *fakes;
	*fakes = fk;
	return fk->pi;
}

/* "kprobe:FUNC[+OFF]" (a module "MOD:FUNC" too), "uprobe:BINARY:FUNC":
 * one instance per match, without looking at the system. Returns the
 * number added, or -1 after an error. */
static int fake_resolve(struct fake **fakes, const struct provider *prov,
			struct probe *probe, const char *rest, struct loc loc,
			struct probe_inst ***tail)
{
	bool user = !strcmp(prov->name, "uprobe") || !strcmp(prov->name, "uretprobe");
	const char *colon = strrchr(rest, ':');
	char *func = strdup(colon ? colon + 1 : rest), *binary = NULL;
	int n = 0;

	if (!func)
		abort();
	func[strcspn(func, "+")] = '\0';
	if (user) {
		if (!colon || colon == rest || !*func) {
			diag_error(loc, "%s: expected '%s:BINARY:FUNCTION'", prov->name,
				   prov->name);
			free(func);
			return -1;
		}
		binary = strndup(rest, (size_t)(colon - rest));
	} else if (!*func) {
		diag_error(loc, "%s: expected '%s:FUNCTION'", prov->name, prov->name);
		free(func);
		return -1;
	}
	for (size_t i = 0; i < sizeof(kernel_funcs) / sizeof(kernel_funcs[0]); i++) {
		const char *name = strpbrk(func, "*?") ? kernel_funcs[i] : func;
		struct probe_inst *pi;

		if (name == kernel_funcs[i] && !provider_glob(func, name))
			continue;
		pi = fake_add(fakes, prov, probe, loc, name, binary);
		**tail = pi;
		*tail = &pi->next;
		n++;
		if (name == func)
			break;
	}
	if (!n)
		diag_error(loc, "no function matches '%s'", func);
	free(func);
	free(binary);
	return n ? n : -1;
}

static bool is_fake(const struct fake *fakes, const struct probe_inst *pi)
{
	for (; fakes; fakes = fakes->next)
		if (fakes->pi == pi)
			return true;
	return false;
}

static const char *fake_binary(const struct fake *fakes, const struct probe_inst *pi)
{
	for (; fakes; fakes = fakes->next)
		if (fakes->pi == pi)
			return fakes->binary;
	return NULL;
}

/* provider_resolve_all, with kprobes and uprobes made up. */
static int resolve(struct program *prog, const struct target *t,
		   struct probe_inst **list, struct fake **fakes)
{
	struct probe_inst *head = NULL, **tail = &head;
	int err = 0;

	provider_target_pid = t->pid;
	provider_formats_dir = t->tracefs;
	for (struct probe *probe = prog->probes; probe; probe = probe->next) {
		for (struct probe_spec *s = probe->specs; s; s = s->next) {
			const struct provider *prov;
			const char *rest;

			prov = provider_find(s->text, &rest);
			if (!prov) {
				diag_error(s->loc, "unknown probe type in '%s'", s->text);
				err = -1;
			} else if (prov->prog_type == BPF_PROG_TYPE_KPROBE) {
				if (fake_resolve(fakes, prov, probe, rest, s->loc, &tail) < 0)
					err = -1;
			} else if (prov->resolve(prov, probe, rest, s->loc, &tail) < 0) {
				err = -1;
			}
		}
	}
	for (struct probe_inst *pi = head; pi; pi = pi->next) {
		probe_inst_ctx(pi);
		if (is_fake(*fakes, pi))
			pi->ctx.binary = fake_binary(*fakes, pi);
	}
	*list = head;
	return err;
}

/* Free the list: the provider's instances through the provider. */
static void free_insts(struct probe_inst *list, struct fake *fakes)
{
	while (list) {
		struct probe_inst *next = list->next;

		list->next = NULL;
		if (!is_fake(fakes, list))
			probe_inst_free_all(list);
		list = next;
	}
	while (fakes) {
		struct fake *next = fakes->next;

		free(fakes->pi->spec);
		free(fakes->pi->func);
		free(fakes->pi);
		free(fakes->binary);
		free(fakes);
		fakes = next;
	}
}

/* ---- compiling ---- */

static const char *map_name(int map, void *ctx)
{
	struct prog_tables *tab = ctx;

	return map >= 0 && map < tab->nmaps ? tab->maps[map]->name : NULL;
}

/* The encoded code, disassembled and assembled again, is the same. */
static void round_trip(const struct asm_prog *code)
{
	char *text = NULL, *err = NULL;
	size_t len = 0;
	struct bpf_insn *again = NULL;
	FILE *f = open_memstream(&text, &len);
	long n;

	if (!f)
		abort();
	asm_disasm_insns(code->insns, code->n, f);
	fclose(f);
	n = asm_parse(text, &again, &err);
	if (n != (long)code->n ||
	    memcmp(again, code->insns, code->n * sizeof(*again))) {
		size_t pc = 0;

		while (n == (long)code->n && pc < code->n &&
		       !memcmp(&again[pc], &code->insns[pc], sizeof(*again)))
			pc++;
		fprintf(stderr, "fuzz: the disassembly does not assemble back (%ld of %zu: %s):\n%s",
			n, code->n, err ? err : "differs", text);
		if (n == (long)code->n)
			fprintf(stderr, "fuzz: at %zu: code %#x dst %d src %d off %d imm %d, back as code %#x dst %d src %d off %d imm %d\n",
				pc, code->insns[pc].code, code->insns[pc].dst_reg,
				code->insns[pc].src_reg, code->insns[pc].off,
				code->insns[pc].imm, again[pc].code, again[pc].dst_reg,
				again[pc].src_reg, again[pc].off, again[pc].imm);
		abort();
	}
	free(again);
	free(err);
	free(text);
}

/* What main's compile_inst does, every dump written. Returns 0 when
 * the instance compiled. */
static int compile_one(struct sema *s, const struct target *t,
		       struct prog_tables *tab, struct probe_inst *pi)
{
	struct ir_func f;
	struct asm_prog code;
	char *err = NULL;
	int ret = -1;
	long pc;

	if (sema_probe(s, &pi->ctx))
		return -1;
	ir_init(&f);
	asm_init(&code);
	if (lower_probe(&pi->ctx, t, tab, &f))
		goto out;
	ir_print(&f, sink);
	ir_optimize(&f);
	ir_print(&f, sink);
	for (int k = -1; k < f.nsubs; k++) {
		if (ra_run(k < 0 ? &f : f.subs[k], &err))
			goto out;
	}
	ir_print(&f, sink);
	if (ir_emit_asm(&f, &code, &err))
		goto out;
	asm_disasm(&code, sink, map_name, tab);
	pc = asm_unreachable(code.insns, code.n);
	if (pc >= 0) {
		fprintf(stderr, "fuzz: %s: instruction %ld is unreachable\n", pi->spec, pc);
		asm_disasm(&code, stderr, map_name, tab);
		abort();
	}
	round_trip(&code);
	ret = 0;
out:
	free(err);
	asm_free(&code);
	ir_free(&f);
	return ret;
}

/* Compile prog for t as main does, from the resolution on. */
static int compile(struct program *prog, const struct target *t)
{
	/* each program declares its own types: none of the last one's */
	ctype_forget_registered();
	static char *params[] = { "42", "hello", "-1" };
	struct sema s = { .params = params, .nparams = 3 };
	struct prog_tables tab = { 0 };
	struct probe_inst *insts = NULL;
	struct fake *fakes = NULL;
	const struct probe_ctx **ctxs;
	int n = 0, ret = -1;

	if (resolve(prog, t, &insts, &fakes))
		goto out_insts;
	for (struct probe_inst *pi = insts; pi; pi = pi->next)
		n++;
	ctxs = calloc(n ? n : 1, sizeof(*ctxs));
	if (!ctxs)
		abort();
	n = 0;
	for (struct probe_inst *pi = insts; pi; pi = pi->next)
		ctxs[n++] = &pi->ctx;
	if (sema_program(&s, prog, ctxs, n, t, &tab))
		goto out;
	ast_dump(prog, sink);
	ret = 0;
	for (struct probe_inst *pi = insts; pi && !ret; pi = pi->next)
		ret = compile_one(&s, t, &tab, pi);
out:
	free(ctxs);
	sema_free(&s);
	tab_free(&tab);
out_insts:
	free_insts(insts, fakes);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source src;
	struct program prog = { 0 };
	char *text = malloc(size + 1);
	unsigned sum = 0;

	fuzz_setup();
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	source_from_string(&src, "<fuzz>", text);
	lex_dump(&src, sink);
	if (parse_program(&src, &prog) == 0 && prog.probes &&
	    compile(&prog, &targets[0]) == 0) {
		/* compiles: again for another kernel */
		for (size_t i = 0; i < size; i++)
			sum = sum * 31 + data[i];
		program_free(&prog);
		memset(&prog, 0, sizeof(prog));
		if (parse_program(&src, &prog) == 0)
			compile(&prog, &targets[1 + sum % (NTARGETS - 1)]);
	}
	program_free(&prog);
	free(text);
	return 0;
}
