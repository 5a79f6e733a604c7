/* parse.c - read back the text asm_format prints, one instruction per
 * line, into raw instructions. It exists so tests can write programs as
 * text and check that text -> insns -> text and insns -> text -> insns
 * are both identities; it is not a user-facing assembler, so it knows
 * only the raw forms (pc-relative jumps, map[id:N], no labels or names).
 *
 * Each parse_* helper consumes its piece from *s and returns 1, or returns
 * 0 and leaves *s wherever it stopped: the caller gives up on the line,
 * so partial consumption never matters.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "bpfasm.h"

struct asm_op {
	const char *text;
	int op;
	int off; /* signed division and modulo are DIV/MOD with off 1 */
};

/* Longest spellings first, since matching is by prefix. */
static const struct asm_op asm_alu_table[] = {
	{ "s>>=", BPF_ARSH, 0 }, { "<<=", BPF_LSH, 0 }, { ">>=", BPF_RSH, 0 },
	{ "s/=", BPF_DIV, 1 },   { "s%=", BPF_MOD, 1 }, { "+=", BPF_ADD, 0 },
	{ "-=", BPF_SUB, 0 },    { "*=", BPF_MUL, 0 },  { "/=", BPF_DIV, 0 },
	{ "|=", BPF_OR, 0 },     { "&=", BPF_AND, 0 },  { "%=", BPF_MOD, 0 },
	{ "^=", BPF_XOR, 0 },    { NULL, 0, 0 },
};

static const struct asm_op asm_jmp_table[] = {
	{ "s>=", BPF_JSGE, 0 }, { "s<=", BPF_JSLE, 0 }, { "s>", BPF_JSGT, 0 },
	{ "s<", BPF_JSLT, 0 },  { "==", BPF_JEQ, 0 },   { "!=", BPF_JNE, 0 },
	{ ">=", BPF_JGE, 0 },   { "<=", BPF_JLE, 0 },   { ">", BPF_JGT, 0 },
	{ "<", BPF_JLT, 0 },    { "&", BPF_JSET, 0 },   { NULL, 0, 0 },
};

static const struct asm_op asm_atomic_table[] = {
	{ "+=", BPF_ADD, 0 }, { "&=", BPF_AND, 0 }, { "|=", BPF_OR, 0 },
	{ "^=", BPF_XOR, 0 }, { "add", BPF_ADD, 0 }, { "and", BPF_AND, 0 },
	{ "or", BPF_OR, 0 },  { "xor", BPF_XOR, 0 }, { NULL, 0, 0 },
};

static void parse_ws(const char **s)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
}

static int parse_lit(const char **s, const char *lit)
{
	size_t n = strlen(lit);

	parse_ws(s);
	if (strncmp(*s, lit, n))
		return 0;
	*s += n;
	return 1;
}

static const struct asm_op *parse_op(const char **s, const struct asm_op *t)
{
	for (; t->text; t++)
		if (parse_lit(s, t->text))
			return t;
	return NULL;
}

/* r0..r10 or w0..w10; *w32 tells which. */
static int parse_reg(const char **s, int *r, int *w32)
{
	const char *p;
	long n;
	char *end;

	parse_ws(s);
	p = *s;
	if ((*p != 'r' && *p != 'w') || !isdigit((unsigned char)p[1]))
		return 0;
	n = strtol(p + 1, &end, 10);
	if (n > 10)
		return 0;
	*r = n;
	if (w32)
		*w32 = *p == 'w';
	*s = end;
	return 1;
}

/* A signed decimal or hex number; hex may use all 64 bits. */
static int parse_num(const char **s, long long *v)
{
	char *end;

	parse_ws(s);
	if (**s == '-' || **s == '+')
		*v = strtoll(*s, &end, 0);
	else
		*v = (long long)strtoull(*s, &end, 0);
	if (end == *s || isalnum((unsigned char)*end) || *end == '_')
		return 0;
	*s = end;
	return 1;
}

/* A 32-bit immediate: signed, or unsigned as the jump forms print it. */
static int parse_imm(const char **s, int32_t *imm)
{
	long long v;

	if (!parse_num(s, &v) || v < INT32_MIN || v > UINT32_MAX)
		return 0;
	*imm = (int32_t)(uint32_t)v;
	return 1;
}

static int parse_off(const char **s, int16_t *off)
{
	long long v;

	if (!parse_num(s, &v) || v < INT16_MIN || v > INT16_MAX)
		return 0;
	*off = v;
	return 1;
}

/* "pc+N" / "pc-N" */
static int parse_pcrel(const char **s, long long *v)
{
	return parse_lit(s, "pc") && (**s == '+' || **s == '-') &&
	       parse_num(s, v);
}

/* "(u64 *)": sets the BPF_SIZE bits and whether the load sign-extends. */
static int parse_cast(const char **s, int *size, int *sx)
{
	static const struct {
		const char *name;
		int size, sx;
	} t[] = {
		{ "u8", BPF_B, 0 },   { "u16", BPF_H, 0 }, { "u32", BPF_W, 0 },
		{ "u64", BPF_DW, 0 }, { "s8", BPF_B, 1 },  { "s16", BPF_H, 1 },
		{ "s32", BPF_W, 1 },
	};
	size_t i, n;

	if (!parse_lit(s, "("))
		return 0;
	parse_ws(s);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = strlen(t[i].name);
		if (!strncmp(*s, t[i].name, n) && !isalnum((unsigned char)(*s)[n])) {
			*s += n;
			*size = t[i].size;
			*sx = t[i].sx;
			return parse_lit(s, "*") && parse_lit(s, ")");
		}
	}
	return 0;
}

/* "(r10 -8)" */
static int parse_addr(const char **s, int *reg, int16_t *off)
{
	return parse_lit(s, "(") && parse_reg(s, reg, NULL) &&
	       parse_off(s, off) && parse_lit(s, ")");
}

/* "*(u64 *)(r10 -8)" after the '*' */
static int parse_mem(const char **s, int *size, int *sx, int *reg,
		     int16_t *off)
{
	return parse_cast(s, size, sx) && parse_addr(s, reg, off);
}

/* "atomic64_fetch_add((u64 *)(r1 +0), r2)" after "rS = "; the result
 * register must be the source operand (r0 for cmpxchg). */
static int parse_atomic(const char **s, int res, struct bpf_insn *in)
{
	const struct asm_op *op = NULL;
	int size, sx, dst, src, r0;
	int16_t off;
	int32_t imm;

	if (!parse_lit(s, "atomic"))
		return 0;
	parse_lit(s, "64");
	if (parse_lit(s, "_fetch_") && (op = parse_op(s, asm_atomic_table)))
		imm = op->op | BPF_FETCH;
	else if (parse_lit(s, "_xchg"))
		imm = BPF_XCHG;
	else if (parse_lit(s, "_cmpxchg"))
		imm = BPF_CMPXCHG;
	else
		return 0;
	if (!parse_lit(s, "(") || !parse_mem(s, &size, &sx, &dst, &off) ||
	    sx || !parse_lit(s, ","))
		return 0;
	if (imm == BPF_CMPXCHG &&
	    (res != 0 || !parse_reg(s, &r0, NULL) || r0 != 0 ||
	     !parse_lit(s, ",")))
		return 0;
	if (!parse_reg(s, &src, NULL) || !parse_lit(s, ")"))
		return 0;
	if (imm != BPF_CMPXCHG && res != src)
		return 0;
	*in = BPF_ATOMIC_OP(size, imm, dst, src, off);
	return 1;
}

/* Everything that starts "rD = "; returns the slots written, 0 if none. */
static int parse_assign(const char **s, int dst, int w, struct bpf_insn *in)
{
	static const struct {
		const char *text;
		int code;
	} ends[] = {
		/* ALU64|END is the unconditional swap of cpu v4. */
		{ "bswap", BPF_ALU64 | BPF_END | BPF_TO_LE },
		{ "be", BPF_ALU | BPF_END | BPF_TO_BE },
		{ "le", BPF_ALU | BPF_END | BPF_TO_LE },
	};
	int cls = w ? BPF_ALU : BPF_ALU64, size, sx, src, w2;
	int16_t off;
	int32_t imm;
	long long v, v2;
	size_t i;

	if (parse_lit(s, "*")) {
		if (w || !parse_cast(s, &size, &sx))
			return 0;
		if (parse_lit(s, "skb[")) {
			/* Legacy packet loads always write r0. */
			if (dst != 0 || sx)
				return 0;
			if (parse_reg(s, &src, NULL)) {
				if (!parse_lit(s, "+") || !parse_imm(s, &imm))
					return 0;
				*in = BPF_LD_IND(size, src, imm);
			} else {
				if (!parse_imm(s, &imm))
					return 0;
				*in = BPF_LD_ABS(size, imm);
			}
			return parse_lit(s, "]");
		}
		if (!parse_addr(s, &src, &off))
			return 0;
		*in = sx ? BPF_LDX_MEMSX(size, dst, src, off) :
			   BPF_LDX_MEM(size, dst, src, off);
		return 1;
	}
	if (parse_lit(s, "map[id:")) {
		if (w || !parse_num(s, &v) || v < 0 || v > UINT32_MAX ||
		    !parse_lit(s, "]"))
			return 0;
		if (!parse_lit(s, "[0]+")) {
			in[0] = BPF_LD_IMM64_RAW_1(dst, BPF_PSEUDO_MAP_FD, v);
			in[1] = BPF_LD_IMM64_RAW_2(0);
			return 2;
		}
		if (!parse_num(s, &v2) || v2 < 0 || v2 > UINT32_MAX)
			return 0;
		v |= v2 << 32;
		in[0] = BPF_LD_IMM64_RAW_1(dst, BPF_PSEUDO_MAP_VALUE, v);
		in[1] = BPF_LD_IMM64_RAW_2(v);
		return 2;
	}
	if (parse_lit(s, "func")) {
		/* a subprogram's address (BPF_PSEUDO_FUNC), pc-relative */
		if (w || !parse_pcrel(s, &v) || v < INT32_MIN || v > INT32_MAX)
			return 0;
		in[0] = BPF_LD_IMM64_RAW_1(dst, BPF_PSEUDO_FUNC, (int32_t)v);
		in[1] = BPF_LD_IMM64_RAW_2(0);
		return 2;
	}
	parse_ws(s);
	if (**s == '-' && ((*s)[1] == 'r' || (*s)[1] == 'w')) {
		(*s)++;
		if (!parse_reg(s, &src, &w2) || src != dst || w2 != w)
			return 0;
		*in = BPF_RAW_INSN(cls | BPF_NEG | BPF_K, dst, 0, 0, 0);
		return 1;
	}
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		if (!parse_lit(s, ends[i].text))
			continue;
		if (w || !parse_imm(s, &imm) || !parse_reg(s, &src, &w2) ||
		    src != dst || w2)
			return 0;
		*in = BPF_RAW_INSN(ends[i].code, dst, 0, 0, imm);
		return 1;
	}
	if (parse_lit(s, "(s")) {
		if (!parse_num(s, &v) || !parse_lit(s, ")") ||
		    !parse_reg(s, &src, &w2) || w2 != w)
			return 0;
		*in = BPF_RAW_INSN(cls | BPF_MOV | BPF_X, dst, src, v, 0);
		return 1;
	}
	if (parse_reg(s, &src, &w2)) {
		if (w2 != w)
			return 0;
		*in = BPF_RAW_INSN(cls | BPF_MOV | BPF_X, dst, src, 0, 0);
		return 1;
	}
	if (!w && parse_atomic(s, dst, in))
		return 1;
	if (!parse_num(s, &v))
		return 0;
	if (parse_lit(s, "ll")) {
		if (w)
			return 0;
		in[0] = BPF_LD_IMM64_RAW_1(dst, 0, v);
		in[1] = BPF_LD_IMM64_RAW_2(v);
		return 2;
	}
	if (v < INT32_MIN || v > INT32_MAX)
		return 0;
	*in = BPF_RAW_INSN(cls | BPF_MOV | BPF_K, dst, 0, 0, (int32_t)v);
	return 1;
}

/* One instruction; returns the slots written into in[0..1], 0 on error. */
static int parse_insn(const char *s, struct bpf_insn *in)
{
	const struct asm_op *op;
	int dst, src, w, w2, size, sx, n;
	int16_t off;
	int32_t imm;
	long long v;

	n = 1;
	if (parse_lit(&s, "exit")) {
		*in = BPF_EXIT_INSN();
	} else if (parse_lit(&s, "call")) {
		if (parse_pcrel(&s, &v)) {
			*in = BPF_CALL_REL((int32_t)v);
		} else if (parse_lit(&s, "kfunc#") && parse_imm(&s, &imm)) {
			*in = BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0,
					   BPF_PSEUDO_KFUNC_CALL, 0, imm);
		} else {
			/* "bpf_name#id" or "#id": the id is what counts. */
			parse_ws(&s);
			while (isalnum((unsigned char)*s) || *s == '_')
				s++;
			if (!parse_lit(&s, "#") || !parse_imm(&s, &imm))
				return 0;
			*in = BPF_EMIT_CALL(imm);
		}
	} else if (parse_lit(&s, "gotol")) {
		if (!parse_pcrel(&s, &v) || v < INT32_MIN || v > INT32_MAX)
			return 0;
		*in = BPF_JMP32_A((int32_t)v);
	} else if (parse_lit(&s, "goto")) {
		if (!parse_pcrel(&s, &v) || v < INT16_MIN || v > INT16_MAX)
			return 0;
		*in = BPF_JMP_A(v);
	} else if (parse_lit(&s, "if")) {
		int cls;

		if (!parse_reg(&s, &dst, &w) || !(op = parse_op(&s, asm_jmp_table)))
			return 0;
		cls = w ? BPF_JMP32 : BPF_JMP;
		if (parse_reg(&s, &src, &w2)) {
			if (w2 != w)
				return 0;
			*in = BPF_RAW_INSN(cls | op->op | BPF_X, dst, src, 0, 0);
		} else if (parse_imm(&s, &imm)) {
			*in = BPF_RAW_INSN(cls | op->op | BPF_K, dst, 0, 0, imm);
		} else {
			return 0;
		}
		if (!parse_lit(&s, "goto") || !parse_pcrel(&s, &v) ||
		    v < INT16_MIN || v > INT16_MAX)
			return 0;
		in->off = v;
	} else if (parse_lit(&s, "lock")) {
		if (!parse_lit(&s, "*") || !parse_mem(&s, &size, &sx, &dst, &off) ||
		    sx || !(op = parse_op(&s, asm_atomic_table)) ||
		    !parse_reg(&s, &src, NULL))
			return 0;
		*in = BPF_ATOMIC_OP(size, op->op, dst, src, off);
	} else if (parse_lit(&s, "*")) {
		if (!parse_mem(&s, &size, &sx, &dst, &off) || sx ||
		    !parse_lit(&s, "="))
			return 0;
		if (parse_reg(&s, &src, NULL))
			*in = BPF_STX_MEM(size, dst, src, off);
		else if (parse_imm(&s, &imm))
			*in = BPF_ST_MEM(size, dst, off, imm);
		else
			return 0;
	} else if (parse_reg(&s, &dst, &w)) {
		int cls = w ? BPF_ALU : BPF_ALU64;

		if ((op = parse_op(&s, asm_alu_table))) {
			if (parse_reg(&s, &src, &w2) && w2 == w)
				*in = BPF_RAW_INSN(cls | op->op | BPF_X, dst,
						   src, op->off, 0);
			else if (parse_imm(&s, &imm))
				*in = BPF_RAW_INSN(cls | op->op | BPF_K, dst,
						   0, op->off, imm);
			else
				return 0;
		} else if (!parse_lit(&s, "=") ||
			   !(n = parse_assign(&s, dst, w, in))) {
			return 0;
		}
	} else {
		return 0;
	}
	parse_ws(&s);
	return *s ? 0 : n;
}

static char *parse_errf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *parse_errf(const char *fmt, ...)
{
	va_list ap;
	char *e;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !(e = malloc(len + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(e, len + 1, fmt, ap);
	va_end(ap);
	return e;
}

long asm_parse(const char *text, struct bpf_insn **out, char **err)
{
	struct bpf_insn *insns = NULL, *grown;
	size_t n = 0, cap = 0, len;
	int lineno = 0, k;
	char line[256];
	const char *p, *nl;

	*out = NULL;
	*err = NULL;
	for (p = text; *p; p = *nl ? nl + 1 : nl) {
		const char *s = line;

		lineno++;
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		len = nl - p;
		if (len >= sizeof(line)) {
			*err = parse_errf("line %d: line too long", lineno);
			goto fail;
		}
		memcpy(line, p, len);
		line[len] = 0;
		while (len && isspace((unsigned char)line[len - 1]))
			line[--len] = 0;
		parse_ws(&s);
		if (!*s || *s == ';')
			continue;
		/* An optional "pc:" prefix, as asm_disasm prints. */
		if (isdigit((unsigned char)*s)) {
			const char *q = s;

			while (isdigit((unsigned char)*q))
				q++;
			if (*q == ':')
				s = q + 1;
		}
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(insns, cap * sizeof(*insns));
			if (!grown) {
				*err = parse_errf("out of memory");
				goto fail;
			}
			insns = grown;
		}
		k = parse_insn(s, &insns[n]);
		if (!k) {
			parse_ws(&s);
			*err = parse_errf("line %d: not an instruction: %s",
					  lineno, s);
			goto fail;
		}
		n += k;
	}
	*out = insns;
	return n;
fail:
	free(insns);
	return -1;
}
