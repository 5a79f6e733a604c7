/* lexer.h - tokens of the wisp language (bpftrace and ply dialects).
 *
 * The lexer is stateful in one respect: at the top level (brace depth 0,
 * outside a predicate) it reads probe specifications as single raw tokens
 * (TOK_PROBE), because specs such as "tracepoint:syscalls:sys_enter_openat",
 * "tracepoint:sched/sched_switch" or "uprobe:/bin/bash:readline" are not
 * made of ordinary tokens. A spec ends at whitespace, ',', '{' or end of
 * input. After a spec, at depth 0, '/' starts a bpftrace predicate and
 * "if" a ply predicate; ',' expects another spec; '}' closing depth 0
 * expects the next probe.
 *
 * C declarations may come between probes: a word "struct", "union",
 * "enum" or "typedef" where a spec is expected starts one instead, lexed
 * as ordinary tokens (in_decl) up to the ';' that ends it at depth 0.
 */
#ifndef WISP_LEXER_H
#define WISP_LEXER_H

#include <stdint.h>
#include <stdio.h>
#include "diag.h"

/* X-macro: TOK(name, spelling) */
#define TOK_LIST(X)                                                     \
	X(EOF, "end of input")                                          \
	X(PROBE, "probe")   /* raw probe spec: text */                  \
	X(INT, "integer")   /* ival */                                  \
	X(STRING, "string") /* text (escapes decoded), len */           \
	X(IDENT, "identifier") /* text: pid, comm, printf, if, ... */   \
	X(VAR, "local variable") /* text without '$': $x -> "x" */      \
	X(POSPARAM, "positional parameter") /* $1: ival=1; $#: ival=-1 */ \
	X(MAP, "map")       /* text without '@': @x -> "x", @ -> "" */  \
	X(LBRACE, "{") X(RBRACE, "}") X(LPAREN, "(") X(RPAREN, ")")     \
	X(LBRACKET, "[") X(RBRACKET, "]") X(COMMA, ",") X(SEMI, ";")    \
	X(COLON, ":") X(QUESTION, "?") X(DOT, ".") X(ARROW, "->")       \
	X(DOTDOT, "..")                                                 \
	X(PLUS, "+") X(MINUS, "-") X(STAR, "*") X(SLASH, "/")           \
	X(PERCENT, "%") X(AMP, "&") X(PIPE, "|") X(CARET, "^")          \
	X(TILDE, "~") X(BANG, "!") X(SHL, "<<") X(SHR, ">>")            \
	X(LT, "<") X(GT, ">") X(LE, "<=") X(GE, ">=") X(EQ, "==")       \
	X(NE, "!=") X(ANDAND, "&&") X(OROR, "||")                       \
	X(INC, "++") X(DEC, "--")                                       \
	X(ASSIGN, "=") X(ADD_ASSIGN, "+=") X(SUB_ASSIGN, "-=")          \
	X(MUL_ASSIGN, "*=") X(DIV_ASSIGN, "/=") X(MOD_ASSIGN, "%=")     \
	X(AND_ASSIGN, "&=") X(OR_ASSIGN, "|=") X(XOR_ASSIGN, "^=")      \
	X(SHL_ASSIGN, "<<=") X(SHR_ASSIGN, ">>=")

enum tok_kind {
#define X(name, spelling) TOK_##name,
	TOK_LIST(X)
#undef X
	TOK__COUNT
};

struct token {
	enum tok_kind kind;
	struct loc loc;
	char *text;   /* PROBE, STRING, IDENT, VAR, MAP: malloc'd, NUL-terminated */
	size_t len;   /* STRING: bytes in text (may contain NULs from \0) */
	uint64_t ival; /* INT, POSPARAM */
};

struct lexer {
	const struct source *src;
	size_t pos;
	int line, col;
	int depth;          /* brace depth */
	int paren;          /* paren depth, for "if (...)" at the top level */
	int expect_probe;   /* next token at depth 0 is a probe spec */
	int in_pred;        /* inside a /predicate/ */
	int in_decl;        /* inside a top-level C declaration */
	int errors;
};

void lex_init(struct lexer *lx, const struct source *src);
/* Next token. On a lexical error reports it (diag_error), counts it in
 * lx->errors and returns the next valid token or TOK_EOF. */
struct token lex_next(struct lexer *lx);
void tok_free(struct token *t);
/* Lex again from at (a token's location) as at the top level where a
 * probe is expected: after a declaration whose ';' is missing. */
void lex_restart(struct lexer *lx, struct loc at);
const char *tok_spelling(enum tok_kind k); /* "==", "identifier", ... */
const char *tok_name(enum tok_kind k);     /* "EQ", "IDENT", ... */

/* s[0..len) as a C string literal with escapes, quotes included: how
 * dumps show string values. */
void lex_write_string(FILE *out, const char *s, size_t len);

/* --dump=tokens: one token per line, "line:col NAME [text]". */
int lex_dump(const struct source *src, FILE *out);

#endif
