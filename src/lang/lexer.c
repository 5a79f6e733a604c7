/* lexer.c - turns the program text into tokens for both dialects.
 *
 * Most of the language is lexed like C. The exception is the top level:
 * probe specs ("uprobe:/bin/bash:readline", "tracepoint:sched/sched_switch",
 * "kprobe:vfs_*") are not made of ordinary tokens, so where a spec is
 * expected the lexer reads it raw up to whitespace, ',', '{' or the end.
 * It knows where specs are expected by tracking brace and paren depth:
 * at the start, after a ',' between specs, and after the '}' that closes
 * a probe body, unless a C declaration starts there ("struct x { ... };",
 * see lex_is_decl). Comments are C's two kinds plus ply's '#', which also eats
 * "#!" interpreter lines and bpftrace's "#include" lines.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "limits.h"

static const char *const tok_spellings[] = {
#define X(name, spelling) spelling,
	TOK_LIST(X)
#undef X
};

static const char *const tok_names[] = {
#define X(name, spelling) #name,
	TOK_LIST(X)
#undef X
};

const char *tok_spelling(enum tok_kind k)
{
	return k < TOK__COUNT ? tok_spellings[k] : "?";
}

const char *tok_name(enum tok_kind k)
{
	return k < TOK__COUNT ? tok_names[k] : "?";
}

/* Longest spellings first so that "<<=" is not read as "<<" then "=". */
static const struct {
	const char *s;
	enum tok_kind kind;
} lex_ops[] = {
	{ "<<=", TOK_SHL_ASSIGN }, { ">>=", TOK_SHR_ASSIGN },
	{ "->", TOK_ARROW },       { "..", TOK_DOTDOT },
	{ "<<", TOK_SHL },         { ">>", TOK_SHR },
	{ "<=", TOK_LE },          { ">=", TOK_GE },
	{ "==", TOK_EQ },          { "!=", TOK_NE },
	{ "&&", TOK_ANDAND },      { "||", TOK_OROR },
	{ "++", TOK_INC },         { "--", TOK_DEC },
	{ "+=", TOK_ADD_ASSIGN },  { "-=", TOK_SUB_ASSIGN },
	{ "*=", TOK_MUL_ASSIGN },  { "/=", TOK_DIV_ASSIGN },
	{ "%=", TOK_MOD_ASSIGN },  { "&=", TOK_AND_ASSIGN },
	{ "|=", TOK_OR_ASSIGN },   { "^=", TOK_XOR_ASSIGN },
	{ "{", TOK_LBRACE },       { "}", TOK_RBRACE },
	{ "(", TOK_LPAREN },       { ")", TOK_RPAREN },
	{ "[", TOK_LBRACKET },     { "]", TOK_RBRACKET },
	{ ",", TOK_COMMA },        { ";", TOK_SEMI },
	{ ":", TOK_COLON },        { "?", TOK_QUESTION },
	{ ".", TOK_DOT },          { "+", TOK_PLUS },
	{ "-", TOK_MINUS },        { "*", TOK_STAR },
	{ "/", TOK_SLASH },        { "%", TOK_PERCENT },
	{ "&", TOK_AMP },          { "|", TOK_PIPE },
	{ "^", TOK_CARET },        { "~", TOK_TILDE },
	{ "!", TOK_BANG },         { "<", TOK_LT },
	{ ">", TOK_GT },           { "=", TOK_ASSIGN },
};

void lex_init(struct lexer *lx, const struct source *src)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->line = 1;
	lx->col = 1;
	lx->expect_probe = 1;
}

void tok_free(struct token *t)
{
	free(t->text);
	t->text = NULL;
}

static int lex_at_end(const struct lexer *lx, size_t off)
{
	return lx->pos + off >= lx->src->len;
}

static int lex_peek(const struct lexer *lx, size_t off)
{
	return lex_at_end(lx, off) ? 0 : (unsigned char)lx->src->text[lx->pos + off];
}

static int lex_get(struct lexer *lx)
{
	int c = lex_peek(lx, 0);

	if (lex_at_end(lx, 0))
		return 0;
	lx->pos++;
	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	return c;
}

static struct loc lex_here(const struct lexer *lx)
{
	return (struct loc){ .src = lx->src, .line = lx->line, .col = lx->col };
}

static void lex_error(struct lexer *lx, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void lex_error(struct lexer *lx, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
	lx->errors++;
}

static int lex_is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int lex_is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static void lex_skip_space(struct lexer *lx)
{
	for (;;) {
		int c = lex_peek(lx, 0);

		if (lex_at_end(lx, 0))
			return;
		if (isspace(c)) {
			lex_get(lx);
		} else if (c == '#' || (c == '/' && lex_peek(lx, 1) == '/')) {
			while (!lex_at_end(lx, 0) && lex_peek(lx, 0) != '\n')
				lex_get(lx);
		} else if (c == '/' && lex_peek(lx, 1) == '*') {
			struct loc start = lex_here(lx);

			lex_get(lx);
			lex_get(lx);
			while (!(lex_peek(lx, 0) == '*' && lex_peek(lx, 1) == '/')) {
				if (lex_at_end(lx, 0)) {
					lex_error(lx, start, "unterminated comment");
					return;
				}
				lex_get(lx);
			}
			lex_get(lx);
			lex_get(lx);
		} else {
			return;
		}
	}
}

/* A growable byte buffer for specs and strings, whose length is not known
 * until their end is found. */
struct lex_buf {
	char *s;
	size_t len, cap;
};

static void lex_buf_add(struct lex_buf *b, char c)
{
	if (b->len + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		char *s = realloc(b->s, cap);

		if (!s)
			abort(); /* out of memory while lexing a few bytes */
		b->s = s;
		b->cap = cap;
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static char *lex_buf_take(struct lex_buf *b)
{
	if (!b->s) {
		/* an empty spec or "" still needs a string */
		lex_buf_add(b, 'x');
		b->len = 0;
		b->s[0] = '\0';
	}
	return b->s;
}

/* What can begin a probe spec. Anything else where a spec is expected (a
 * stray '}' for instance) is lexed normally so the parser can say what it
 * found. */
static int lex_is_spec_start(int c)
{
	return isalnum(c) || c == '_' || c == '*' || c == '?' || c == '"';
}

/* spec = { any char but space ',' '{' | '"' chars '"' } */
static void lex_spec(struct lexer *lx, struct token *t)
{
	struct lex_buf b = { 0 };

	for (;;) {
		int c = lex_peek(lx, 0);

		if (lex_at_end(lx, 0) || isspace(c) || c == ',' || c == '{')
			break;
		if (c == '"') {
			struct loc q = lex_here(lx);

			lex_get(lx);
			while (lex_peek(lx, 0) != '"') {
				if (lex_at_end(lx, 0) || lex_peek(lx, 0) == '\n') {
					lex_error(lx, q, "unterminated quoted part of probe spec");
					break;
				}
				lex_buf_add(&b, lex_get(lx));
			}
			if (lex_peek(lx, 0) == '"')
				lex_get(lx);
			continue;
		}
		lex_buf_add(&b, lex_get(lx));
	}
	t->kind = TOK_PROBE;
	t->text = lex_buf_take(&b);
	t->len = b.len;
	lx->expect_probe = 0;
	if (t->len > LIMIT_SPEC)
		lex_error(lx, t->loc, "probe spec of %zu bytes: the limit is %d",
			  t->len, LIMIT_SPEC);
}

static int lex_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* int = digit { digit | '_' } | "0x" hexdigit { hexdigit | '_' }
 * A leading 0 does not mean octal: nobody writes octal in a one-liner and
 * 010 meaning 8 would only surprise. */
static void lex_number(struct lexer *lx, struct token *t)
{
	unsigned base = 10;
	uint64_t v = 0;
	int overflow = 0, ndigits = 0;

	t->kind = TOK_INT;
	if (lex_peek(lx, 0) == '0' && (lex_peek(lx, 1) == 'x' || lex_peek(lx, 1) == 'X')) {
		base = 16;
		lex_get(lx);
		lex_get(lx);
	}
	for (;;) {
		int c = lex_peek(lx, 0), d;

		if (c == '_' && ndigits) {
			lex_get(lx);
			continue;
		}
		d = base == 16 ? lex_hex_digit(c) : (isdigit(c) ? c - '0' : -1);
		if (d < 0)
			break;
		if (v > (UINT64_MAX - d) / base)
			overflow = 1;
		v = v * base + d;
		ndigits++;
		lex_get(lx);
	}
	if (!ndigits) {
		lex_error(lx, t->loc, "hexadecimal literal without digits");
	} else if (lex_is_ident(lex_peek(lx, 0))) {
		lex_error(lx, lex_here(lx), "invalid character '%c' in integer literal",
			  lex_peek(lx, 0));
		while (lex_is_ident(lex_peek(lx, 0)))
			lex_get(lx);
	} else if (overflow) {
		lex_error(lx, t->loc, "integer literal does not fit in 64 bits");
	}
	t->ival = overflow ? UINT64_MAX : v;
}

static void lex_ident(struct lexer *lx, struct token *t, enum tok_kind kind)
{
	size_t start = lx->pos;

	while (lex_is_ident(lex_peek(lx, 0)))
		lex_get(lx);
	t->kind = kind;
	t->len = lx->pos - start;
	t->text = strndup(lx->src->text + start, t->len);
	if (!t->text)
		abort();
	if (t->len > LIMIT_IDENT)
		lex_error(lx, t->loc, "name of %zu characters: the limit is %d",
			  t->len, LIMIT_IDENT);
}

/* One escape after the backslash; returns the byte it stands for. */
static int lex_escape(struct lexer *lx)
{
	struct loc loc = lex_here(lx);
	int c = lex_get(lx), v, d;

	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'v': return '\v';
	case 'e': return 0x1b;
	case '\\': return '\\';
	case '"': return '"';
	case '\'': return '\'';
	case '?': return '?';
	case 'x':
		if (lex_hex_digit(lex_peek(lx, 0)) < 0) {
			lex_error(lx, loc, "\\x used with no following hex digits");
			return 'x';
		}
		v = 0;
		for (int i = 0; i < 2 && (d = lex_hex_digit(lex_peek(lx, 0))) >= 0; i++) {
			v = v * 16 + d;
			lex_get(lx);
		}
		return v;
	case '0': case '1': case '2': case '3':
	case '4': case '5': case '6': case '7':
		v = c - '0';
		for (int i = 0; i < 2 && lex_peek(lx, 0) >= '0' && lex_peek(lx, 0) <= '7'; i++)
			v = v * 8 + (lex_get(lx) - '0');
		if (v > 255)
			lex_error(lx, loc, "octal escape out of range");
		return v & 0xff;
	default:
		lex_error(lx, loc, "unknown escape sequence '\\%c'", c ? c : '0');
		return c;
	}
}

/* string = '"' { char | '\' escape } '"' */
static void lex_string(struct lexer *lx, struct token *t)
{
	struct lex_buf b = { 0 };

	lex_get(lx);
	for (;;) {
		int c = lex_peek(lx, 0);

		if (lex_at_end(lx, 0) || c == '\n') {
			lex_error(lx, t->loc, "unterminated string");
			break;
		}
		lex_get(lx);
		if (c == '"')
			break;
		if (c == '\\')
			c = lex_escape(lx);
		lex_buf_add(&b, (char)c);
	}
	t->kind = TOK_STRING;
	t->text = lex_buf_take(&b);
	t->len = b.len;
	if (t->len > LIMIT_STRING)
		lex_error(lx, t->loc, "string of %zu bytes: the limit is %d",
			  t->len, LIMIT_STRING);
}

/* $name, $N, $# */
static int lex_dollar(struct lexer *lx, struct token *t)
{
	int c;

	lex_get(lx);
	c = lex_peek(lx, 0);
	if (lex_is_ident_start(c)) {
		lex_ident(lx, t, TOK_VAR);
		return 0;
	}
	if (c == '#') {
		lex_get(lx);
		t->kind = TOK_POSPARAM;
		t->ival = (uint64_t)-1;
		return 0;
	}
	if (isdigit(c)) {
		t->kind = TOK_POSPARAM;
		while (isdigit(lex_peek(lx, 0))) {
			if (t->ival < 1000000)
				t->ival = t->ival * 10 + (lex_peek(lx, 0) - '0');
			lex_get(lx);
		}
		return 0;
	}
	lex_error(lx, t->loc, "expected a name, a number or '#' after '$'");
	return -1;
}

/* Keeps the top-level state machine described in lexer.h up to date. */
static void lex_track(struct lexer *lx, enum tok_kind kind)
{
	switch (kind) {
	case TOK_LBRACE:
		if (lx->depth == 0) {
			lx->in_pred = 0;
			lx->expect_probe = 0;
		}
		lx->depth++;
		break;
	case TOK_RBRACE:
		if (lx->depth > 0)
			lx->depth--;
		if (lx->depth == 0 && !lx->in_decl) {
			lx->expect_probe = 1;
			lx->in_pred = 0;
			lx->paren = 0;
		}
		break;
	case TOK_LPAREN:
		lx->paren++;
		break;
	case TOK_RPAREN:
		if (lx->paren > 0)
			lx->paren--;
		break;
	case TOK_COMMA:
		if (lx->depth == 0 && lx->paren == 0 && !lx->in_pred && !lx->in_decl)
			lx->expect_probe = 1;
		break;
	case TOK_SLASH:
		if (lx->depth == 0 && lx->paren == 0 && !lx->in_decl)
			lx->in_pred = 1;
		break;
	case TOK_SEMI:
		if (lx->depth == 0 && lx->in_decl) {
			lx->in_decl = 0;
			lx->expect_probe = 1;
		}
		break;
	default:
		break;
	}
}

/* Does a C declaration start here, where a probe spec is expected: one
 * of the words below, followed by a space, a '{' or a comment (no probe
 * type is named so, and a spec goes on with ':')? */
static int lex_is_decl(const struct lexer *lx)
{
	static const char *const words[] = { "struct", "union", "enum", "typedef" };
	const char *s = lx->src->text + lx->pos;
	size_t left = lx->src->len - lx->pos;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);

		if (left > n && !memcmp(s, words[i], n) &&
		    (isspace((unsigned char)s[n]) || s[n] == '{' || s[n] == '/'))
			return 1;
	}
	return 0;
}

/* One token, or -1 after reporting a lexical error (the caller retries). */
static int lex_one(struct lexer *lx, struct token *t)
{
	int c;

	lex_skip_space(lx);
	memset(t, 0, sizeof(*t));
	t->loc = lex_here(lx);
	if (lex_at_end(lx, 0)) {
		t->kind = TOK_EOF;
		return 0;
	}
	c = lex_peek(lx, 0);
	if (lx->depth == 0 && lx->expect_probe && !lx->in_pred && lx->paren == 0 &&
	    lex_is_spec_start(c)) {
		if (!lex_is_decl(lx)) {
			lex_spec(lx, t);
			return 0;
		}
		lx->in_decl = 1;
		lx->expect_probe = 0;
	}
	if (isdigit(c)) {
		lex_number(lx, t);
		return 0;
	}
	if (lex_is_ident_start(c)) {
		lex_ident(lx, t, TOK_IDENT);
		return 0;
	}
	if (c == '"') {
		lex_string(lx, t);
		return 0;
	}
	if (c == '$')
		return lex_dollar(lx, t);
	if (c == '@') {
		lex_get(lx);
		lex_ident(lx, t, TOK_MAP);
		return 0;
	}
	for (size_t i = 0; i < sizeof(lex_ops) / sizeof(lex_ops[0]); i++) {
		size_t n = strlen(lex_ops[i].s);

		if (lx->pos + n <= lx->src->len &&
		    memcmp(lx->src->text + lx->pos, lex_ops[i].s, n) == 0) {
			for (size_t j = 0; j < n; j++)
				lex_get(lx);
			t->kind = lex_ops[i].kind;
			lex_track(lx, t->kind);
			return 0;
		}
	}
	if (isprint(c))
		lex_error(lx, t->loc, "unexpected character '%c'", c);
	else
		lex_error(lx, t->loc, "unexpected byte 0x%02x", c);
	lex_get(lx);
	return -1;
}

void lex_restart(struct lexer *lx, struct loc at)
{
	size_t pos = 0;
	int line = 1;

	while (pos < lx->src->len && line < at.line)
		line += lx->src->text[pos++] == '\n';
	pos += (size_t)at.col - 1;
	if (pos > lx->src->len)
		pos = lx->src->len;
	lx->pos = pos;
	lx->line = at.line;
	lx->col = at.col;
	lx->depth = lx->paren = lx->in_pred = lx->in_decl = 0;
	lx->expect_probe = 1;
}

struct token lex_next(struct lexer *lx)
{
	struct token t;

	while (lex_one(lx, &t) < 0)
		tok_free(&t);
	return t;
}

void lex_write_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '\\': fputs("\\\\", out); break;
		case '"': fputs("\\\"", out); break;
		default:
			if (isprint(c))
				fputc(c, out);
			else
				fprintf(out, "\\x%02x", c);
		}
	}
	fputc('"', out);
}

int lex_dump(const struct source *src, FILE *out)
{
	struct lexer lx;
	struct token t;

	lex_init(&lx, src);
	do {
		t = lex_next(&lx);
		fprintf(out, "%d:%d %s", t.loc.line, t.loc.col, tok_name(t.kind));
		switch (t.kind) {
		case TOK_INT:
			fprintf(out, " %llu", (unsigned long long)t.ival);
			break;
		case TOK_POSPARAM:
			fprintf(out, " %lld", (long long)t.ival);
			break;
		case TOK_STRING:
			fputc(' ', out);
			lex_write_string(out, t.text, t.len);
			break;
		case TOK_PROBE:
		case TOK_IDENT:
		case TOK_VAR:
		case TOK_MAP:
			if (t.text[0])
				fprintf(out, " %s", t.text);
			break;
		default:
			break;
		}
		fputc('\n', out);
		tok_free(&t);
	} while (t.kind != TOK_EOF);
	return lx.errors ? -1 : 0;
}
