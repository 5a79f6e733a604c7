/* ast.h - the abstract syntax tree.
 *
 * One node struct for every kind, with generic operand slots whose meaning
 * per kind is given below. Lists (statements, call arguments, map keys)
 * are chained through next. Every node carries its location. The parser
 * fills kind/loc/operands; the semantic pass fills type and the sema_*
 * annotations.
 */
#ifndef WISP_AST_H
#define WISP_AST_H

#include <stdint.h>
#include <stdio.h>
#include "diag.h"
#include "funcs.h"
#include "lexer.h"
#include "type.h"

enum ast_kind {
	/* expressions */
	AST_INT,     /* ival */
	AST_STR,     /* str, len (bytes, without the terminating NUL) */
	AST_BOOL,    /* ival 0/1: true, false */
	AST_IDENT,   /* name: builtin or provider name (pid, comm, args, data, arg0, retval) */
	AST_VAR,     /* name: local $x (without '$') */
	AST_POSPARAM,/* ival: $1 -> 1, $# -> -1 */
	AST_MAP,     /* name: "@x" -> "x", "@" -> ""; ply plain "m" -> "m" with
	              * plain=1; args: key expressions (NULL when keyless) */
	AST_FIELD,   /* a: base expression; name: member; op: TOK_ARROW or TOK_DOT */
	AST_INDEX,   /* a: base; b: index expression   (p[i] on non-maps) */
	AST_CALL,    /* name: function; args: argument list */
	AST_BINOP,   /* op: TOK_PLUS ... TOK_OROR; a, b */
	AST_UNOP,    /* op: TOK_MINUS, TOK_TILDE, TOK_BANG, TOK_STAR (deref),
	              * TOK_AMP (address-of); a */
	AST_INCDEC,  /* op: TOK_INC/TOK_DEC; a: lvalue; ival: 1 = prefix, 0 = postfix */
	AST_TERNARY, /* a ? b : c */
	AST_CAST,    /* ctype: type name text ("uint32", "struct task_struct *"); a */
	AST_TUPLE,   /* args: elements (2 or more) */
	AST_SIZEOF,  /* sizeof(TYPE): ctype, the type name text; sizeof(expr):
	              * a (ctype NULL). The semantic pass makes it an AST_INT */
	AST_OFFSETOF,/* offsetof(TYPE, a.b[2].c): ctype, the type name text;
	              * name, the member path. Made an AST_INT likewise */
	AST_ASSIGN,  /* op: TOK_ASSIGN or a compound TOK_*_ASSIGN; a: lvalue
	              * (AST_MAP or AST_VAR); b: value */

	/* statements */
	AST_EXPR,    /* a: expression */
	AST_BLOCK,   /* args: statements */
	AST_IF,      /* a: condition; b: then (AST_BLOCK); c: else (AST_BLOCK,
	              * AST_IF for "else if", or NULL) */
	AST_RETURN,  /* a: optional value */
	AST_UNROLL,  /* ival: count; b: body (AST_BLOCK) */
	AST_FOR,     /* name: loop variable (without '$'); a: from; b: to
	              * (for ($i : a..b)); or a: AST_MAP with args NULL
	              * (for ($kv : @m)) and b NULL; c: body */
	AST_WHILE,   /* a: condition; c: body */
	AST_DELETE,  /* a: AST_MAP with keys (ply "delete m[k]") */
	AST_BREAK,
	AST_CONTINUE,
};

struct sema_var;
struct map_def;
struct fmt_def;
struct cmember;

struct node {
	enum ast_kind kind;
	struct loc loc;
	struct node *next;  /* next element of the enclosing list */

	char *name;         /* IDENT, VAR, MAP, FIELD, CALL, FOR, OFFSETOF */
	char *str;          /* STR: bytes (NUL-terminated too) */
	size_t len;         /* STR */
	char *ctype;        /* CAST, SIZEOF, OFFSETOF */
	int64_t ival;       /* INT, BOOL, POSPARAM, INCDEC, UNROLL; CALL time
	                     * and strftime: the format's index in rt->strs */
	enum tok_kind op;   /* BINOP, UNOP, ASSIGN, INCDEC, FIELD */
	int plain;          /* MAP: ply plain map spelling m[k] */
	struct node *a, *b, *c;
	struct node *args;  /* CALL args, MAP keys, BLOCK statements, TUPLE elements */

	/* filled by the semantic pass */
	struct type type;
	int builtin;                /* IDENT: enum builtin */
	const struct cmember *member; /* FIELD: the member read */
	unsigned member_off;        /* FIELD of args: its offset in the
	                             * context; of memory: from its base's
	                             * address; INDEX: a constant index's
	                             * offset */
	/* FIELD, INDEX and '*' that read C data in memory (kernel or user)
	 * at an address: mem is set, ct is the C type there, as the memory
	 * it is in. A base whose ct is a struct, union or array is not read:
	 * its address is its member's base (one read at the summed offset). */
	bool mem;
	const struct ctype *ct;
	enum addr_space as;
	enum func fn;               /* CALL: the function (FN_NONE: unknown) */
	struct map_def *map;        /* MAP, and aggregation CALLs (the map assigned) */
	struct fmt_def *fmt;        /* CALL printf */
	struct sema_var *var;       /* VAR */
};

/* A probe specification as written, e.g. "tracepoint:syscalls:sys_enter_read". */
struct probe_spec {
	struct loc loc;
	char *text;
	struct probe_spec *next;
};

/* specs [/pred/ | if (pred)] { body } */
struct probe {
	struct loc loc;
	struct probe_spec *specs;
	struct node *pred;  /* NULL when none */
	struct node *body;  /* AST_BLOCK */
	struct probe *next;
};

struct cdecl;

struct program {
	const struct source *src;
	struct probe *probes;
	struct cdecl *decls; /* C declarations before and between the probes,
	                      * in order (cdecl.h) */
};

struct node *node_new(enum ast_kind kind, struct loc loc);
void node_free(struct node *n);       /* n and everything below and after it */
void program_free(struct program *p); /* the probes and declarations,
                                       * not the source */
const char *ast_kind_name(enum ast_kind k);

/* --dump=ast: an indented tree, one node per line with line:col; types
 * are printed after sema has run (types of kind TYPE_NONE are omitted). */
void ast_dump(const struct program *p, FILE *out);

#endif
