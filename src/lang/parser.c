/* parser.c - recursive-descent parser for the bpftrace and ply dialects.
 *
 * One function per grammar rule, with the rule in EBNF above it. The two
 * dialects share one grammar: where they differ the spelling decides
 * ("/pred/" or "if (pred)" after the specs, "delete(@m[k])" or
 * "delete m[k]", "@m[k]" or "m[k]"). Keywords are ordinary identifiers
 * recognised by position, so a builtin named like a keyword elsewhere
 * costs nothing.
 *
 * Errors: every rule returns NULL after reporting at the offending token;
 * the statement loop then skips to the next ';' or '}' and goes on, and the
 * probe loop skips a broken header up to its body, so one typo does not
 * hide the next. Names are not checked here: that is the semantic pass.
 */
#include <stdlib.h>
#include <string.h>

#include "cdecl.h"
#include "limits.h"
#include "parser.h"

#define PARSE_AHEAD 8 /* tokens of lookahead: "(u32 ***)" needs 5 */

struct parser {
	struct lexer lx;
	struct token tok;  /* the current token */
	/* the ones after it, once a decision needed them (calls, casts,
	 * the end of a predicate): ahead[0] is the next */
	struct token ahead[PARSE_AHEAD];
	int nahead;
	char **typedefs;   /* typedef names the program declared so far */
	int ntypedefs;
	int errors;
	int in_pred; /* in a /predicate/: '/' then '{' ends it, not a division */
	int depth;   /* of the syntax tree being built: LIMIT_NESTING */
	int too_deep; /* said so */
	int nspecs;  /* probe specs so far: LIMIT_SPECS */
};

typedef struct node *(*parse_fn)(struct parser *p);

static struct node *parse_expr(struct parser *p);
static struct node *parse_unary(struct parser *p);
static struct node *parse_stmt(struct parser *p);
static struct node *parse_block(struct parser *p);
static struct node *parse_if(struct parser *p);
static struct node *parse_sizeof(struct parser *p);
static struct node *parse_offsetof(struct parser *p);

/* Allocation failures of a few dozen bytes while parsing a one-liner are
 * not worth an error path through every rule. */
static void *parse_check_alloc(void *ptr)
{
	if (!ptr)
		abort();
	return ptr;
}

static struct node *parse_node(struct parser *p, enum ast_kind kind)
{
	return parse_check_alloc(node_new(kind, p->tok.loc));
}

static void parse_advance(struct parser *p)
{
	tok_free(&p->tok);
	if (p->nahead) {
		p->tok = p->ahead[0];
		memmove(p->ahead, p->ahead + 1, --p->nahead * sizeof(p->ahead[0]));
	} else {
		p->tok = lex_next(&p->lx);
	}
}

/* The k-th token after the current one (1 <= k <= PARSE_AHEAD). */
static const struct token *parse_peek_n(struct parser *p, int k)
{
	while (p->nahead < k)
		p->ahead[p->nahead++] = lex_next(&p->lx);
	return &p->ahead[k - 1];
}

/* The token after the current one. */
static const struct token *parse_peek(struct parser *p)
{
	return parse_peek_n(p, 1);
}

/* Takes ownership of the current token's text. */
static char *parse_take_text(struct parser *p)
{
	char *s = p->tok.text;

	p->tok.text = NULL;
	return s ? s : parse_check_alloc(strdup(""));
}

static int parse_is(const struct parser *p, enum tok_kind kind)
{
	return p->tok.kind == kind;
}

static int parse_is_word(const struct token *t, const char *word)
{
	return t->kind == TOK_IDENT && strcmp(t->text, word) == 0;
}

/* How a token is named in "got ..." messages. */
static const char *parse_describe(const struct token *t, char *buf, size_t len)
{
	switch (t->kind) {
	case TOK_EOF:
		return "end of input";
	case TOK_IDENT:
	case TOK_PROBE:
		snprintf(buf, len, "'%s'", t->text);
		break;
	case TOK_VAR:
		snprintf(buf, len, "'$%s'", t->text);
		break;
	case TOK_MAP:
		snprintf(buf, len, "'@%s'", t->text);
		break;
	case TOK_POSPARAM:
		if (t->ival == (uint64_t)-1)
			snprintf(buf, len, "'$#'");
		else
			snprintf(buf, len, "'$%llu'", (unsigned long long)t->ival);
		break;
	case TOK_INT:
		snprintf(buf, len, "'%llu'", (unsigned long long)t->ival);
		break;
	case TOK_STRING:
		snprintf(buf, len, "string \"%.20s%s\"", t->text,
			 t->len > 20 ? "..." : "");
		break;
	default:
		snprintf(buf, len, "'%s'", tok_spelling(t->kind));
		break;
	}
	return buf;
}

/* Reports "expected WHAT, got TOKEN" at the current token. */
static void parse_expected(struct parser *p, const char *what)
{
	char buf[80];

	diag_error(p->tok.loc, "expected %s, got %s", what,
		   parse_describe(&p->tok, buf, sizeof(buf)));
	p->errors++;
}

static int parse_expect(struct parser *p, enum tok_kind kind, const char *what)
{
	if (!parse_is(p, kind)) {
		parse_expected(p, what);
		return 0;
	}
	parse_advance(p);
	return 1;
}

/* One level deeper into the tree: 0 (said once) past LIMIT_NESTING, or
 * the recursion of the parser, and of every pass after it, could run out
 * of stack. Each successful parse_enter has its parse_leave. */
static int parse_enter(struct parser *p)
{
	if (p->depth >= LIMIT_NESTING) {
		if (!p->too_deep)
			diag_error(p->tok.loc, "nested too deeply: more than %d levels of expressions and blocks",
				   LIMIT_NESTING);
		p->too_deep = 1;
		p->errors++;
		return 0;
	}
	p->depth++;
	return 1;
}

static void parse_leave(struct parser *p, int levels)
{
	p->depth -= levels;
}

/* After an error in a statement: skip to just past the next ';', or to the
 * '}' closing the enclosing block, stepping over nested blocks whole. */
static void parse_sync(struct parser *p)
{
	int depth = 0;

	for (;;) {
		switch (p->tok.kind) {
		case TOK_EOF:
			return;
		case TOK_LBRACE:
			depth++;
			break;
		case TOK_RBRACE:
			if (depth == 0)
				return;
			if (--depth == 0) {
				parse_advance(p);
				return;
			}
			break;
		case TOK_SEMI:
			if (depth == 0) {
				parse_advance(p);
				return;
			}
			break;
		default:
			break;
		}
		parse_advance(p);
	}
}

/* ---- expressions ---- */

/* args = expr { ',' expr } */
static struct node *parse_args(struct parser *p)
{
	struct node *head = NULL, **tail = &head;
	int n = 0;

	for (;;) {
		struct node *e;

		if (++n > LIMIT_ARGS) {
			diag_error(p->tok.loc, "more than %d arguments, elements or keys",
				   LIMIT_ARGS);
			p->errors++;
			node_free(head);
			return NULL;
		}
		e = parse_expr(p);

		if (!e) {
			node_free(head);
			return NULL;
		}
		*tail = e;
		tail = &e->next;
		if (!parse_is(p, TOK_COMMA))
			return head;
		parse_advance(p);
	}
}

/* Parses "'[' args ']'" into n->args; 0 on error. */
static int parse_keys(struct parser *p, struct node *n)
{
	parse_advance(p);
	n->args = parse_args(p);
	return n->args && parse_expect(p, TOK_RBRACKET, "']' after map key");
}

/* map = MAP [ '[' args ']' ] | IDENT '[' args ']'   (ply's plain map) */
static struct node *parse_map(struct parser *p)
{
	struct node *n = parse_node(p, AST_MAP);

	n->plain = parse_is(p, TOK_IDENT);
	n->name = parse_take_text(p);
	parse_advance(p);
	if (parse_is(p, TOK_LBRACKET) && !parse_keys(p, n)) {
		node_free(n);
		return NULL;
	}
	return n;
}

/* call = IDENT '(' [ args ] ')' */
static struct node *parse_call(struct parser *p)
{
	struct node *n = parse_node(p, AST_CALL);

	n->name = parse_take_text(p);
	n->fn = func_find(n->name);
	parse_advance(p);
	parse_advance(p);
	if (!parse_is(p, TOK_RPAREN)) {
		n->args = parse_args(p);
		if (!n->args) {
			node_free(n);
			return NULL;
		}
	}
	if (!parse_expect(p, TOK_RPAREN, "')' after call arguments")) {
		node_free(n);
		return NULL;
	}
	return n;
}

/* paren = '(' expr ')' | '(' expr ',' args ')'   (a tuple) */
static struct node *parse_paren(struct parser *p)
{
	struct loc loc = p->tok.loc;
	struct node *e, *t;

	parse_advance(p);
	e = parse_expr(p);
	if (!e)
		return NULL;
	if (parse_is(p, TOK_COMMA)) {
		t = parse_check_alloc(node_new(AST_TUPLE, loc));
		t->args = e;
		parse_advance(p);
		e->next = parse_args(p);
		if (!e->next) {
			node_free(t);
			return NULL;
		}
		e = t;
	}
	if (!parse_expect(p, TOK_RPAREN, "')'")) {
		node_free(e);
		return NULL;
	}
	return e;
}

/* primary = INT | STRING | "true" | "false" | VAR | POSPARAM | map | call
 *         | sizeof | offsetof | IDENT | paren */
static struct node *parse_primary(struct parser *p)
{
	struct node *n;

	switch (p->tok.kind) {
	case TOK_INT:
		n = parse_node(p, AST_INT);
		n->ival = (int64_t)p->tok.ival;
		break;
	case TOK_STRING:
		n = parse_node(p, AST_STR);
		n->len = p->tok.len;
		n->str = parse_take_text(p);
		break;
	case TOK_VAR:
		n = parse_node(p, AST_VAR);
		n->name = parse_take_text(p);
		break;
	case TOK_POSPARAM:
		n = parse_node(p, AST_POSPARAM);
		n->ival = (int64_t)p->tok.ival;
		break;
	case TOK_MAP:
		return parse_map(p);
	case TOK_LPAREN:
		return parse_paren(p);
	case TOK_IDENT:
		if (parse_is_word(&p->tok, "sizeof") && parse_peek(p)->kind == TOK_LPAREN)
			return parse_sizeof(p);
		if (parse_is_word(&p->tok, "offsetof") && parse_peek(p)->kind == TOK_LPAREN)
			return parse_offsetof(p);
		if (parse_peek(p)->kind == TOK_LPAREN)
			return parse_call(p);
		if (parse_peek(p)->kind == TOK_LBRACKET)
			return parse_map(p);
		if (parse_is_word(&p->tok, "true") || parse_is_word(&p->tok, "false")) {
			n = parse_node(p, AST_BOOL);
			n->ival = p->tok.text[0] == 't';
			break;
		}
		n = parse_node(p, AST_IDENT);
		n->name = parse_take_text(p);
		break;
	default:
		parse_expected(p, "an expression");
		return NULL;
	}
	parse_advance(p);
	return n;
}

/* postfix = primary { '[' expr ']' | ('->' | '.') (IDENT | INT) | '++' | '--' } */
static struct node *parse_postfix(struct parser *p)
{
	struct node *e = parse_primary(p), *n;
	int levels = 0;

	/* each operator puts the expression one level deeper */
	while (e) {
		switch (p->tok.kind) {
		case TOK_LBRACKET:
		case TOK_ARROW:
		case TOK_DOT:
		case TOK_INC:
		case TOK_DEC:
			if (!parse_enter(p)) {
				node_free(e);
				e = NULL;
				continue;
			}
			levels++;
			break;
		default:
			break;
		}
		switch (p->tok.kind) {
		case TOK_LBRACKET:
			n = parse_node(p, AST_INDEX);
			n->a = e;
			parse_advance(p);
			n->b = parse_expr(p);
			if (!n->b || !parse_expect(p, TOK_RBRACKET, "']' after index")) {
				node_free(n);
				parse_leave(p, levels);
				return NULL;
			}
			e = n;
			break;
		case TOK_ARROW:
		case TOK_DOT:
			n = parse_node(p, AST_FIELD);
			n->op = p->tok.kind;
			n->a = e;
			e = n;
			parse_advance(p);
			/* ".0" reads the first element of a tuple */
			if (parse_is(p, TOK_INT)) {
				char buf[24];

				snprintf(buf, sizeof(buf), "%llu",
					 (unsigned long long)p->tok.ival);
				n->name = parse_check_alloc(strdup(buf));
			} else if (parse_is(p, TOK_IDENT)) {
				n->name = parse_take_text(p);
			} else {
				parse_expected(p, "a field name");
				node_free(n);
				parse_leave(p, levels);
				return NULL;
			}
			parse_advance(p);
			break;
		case TOK_INC:
		case TOK_DEC:
			n = parse_node(p, AST_INCDEC);
			n->op = p->tok.kind;
			n->a = e;
			e = n;
			parse_advance(p);
			break;
		default:
			parse_leave(p, levels);
			return e;
		}
	}
	parse_leave(p, levels);
	return NULL;
}

/* ---- type names: casts, sizeof, offsetof ---- */

static int parse_is_qualifier(const struct token *t)
{
	return parse_is_word(t, "const") || parse_is_word(t, "volatile") ||
	       parse_is_word(t, "restrict");
}

static int parse_is_tag(const struct token *t)
{
	return parse_is_word(t, "struct") || parse_is_word(t, "union") ||
	       parse_is_word(t, "enum");
}

/* A word that can only begin a type: a tag, a qualifier, a word of C's
 * integer types. */
static int parse_is_type_word(const struct token *t)
{
	return t->kind == TOK_IDENT && (parse_is_tag(t) || cdecl_is_keyword(t->text));
}

/* A name known to be a type while parsing: a typedef the program
 * declared before, or one every kernel has (cdecl_is_common_typedef). */
static int parse_is_type_name(const struct parser *p, const struct token *t)
{
	if (t->kind != TOK_IDENT)
		return 0;
	if (cdecl_is_common_typedef(t->text))
		return 1;
	for (int i = 0; i < p->ntypedefs; i++)
		if (!strcmp(p->typedefs[i], t->text))
			return 1;
	return 0;
}

/* Whether the '(' at the current token opens a type name, for a cast or
 * sizeof/offsetof (then operand is 0: what follows the ')' does not
 * matter). The rule:
 *  - '(' then a word only types have ("struct", "unsigned", "const",
 *    "int", ...) opens a type;
 *  - '(' NAME '*' ... '*' ')' is a type whatever NAME is: an expression
 *    cannot end with '*';
 *  - '(' NAME ')' is a type when what follows the ')' must begin an
 *    operand (a name, a number, a string, '(', '!', '~': an expression
 *    in parentheses is never followed by one), or when NAME is known to
 *    be a type (parse_is_type_name) and '-', '+', '*' or '&' follow,
 *    which would otherwise be binary operators: "(u64)-1" is a cast,
 *    "(x)-1" a subtraction.
 * Anything else is an expression in parentheses. */
static int parse_at_type(struct parser *p, int operand)
{
	const struct token *t = parse_peek(p), *after;
	int k = 2;

	if (parse_is_type_word(t))
		return 1;
	if (t->kind != TOK_IDENT)
		return 0;
	while (k < PARSE_AHEAD && (parse_peek_n(p, k)->kind == TOK_STAR ||
				   parse_is_qualifier(parse_peek_n(p, k))))
		k++;
	if (k > 2 && parse_peek_n(p, k)->kind == TOK_RPAREN)
		return 1;
	if (parse_peek_n(p, 2)->kind != TOK_RPAREN)
		return 0;
	if (!operand)
		return parse_is_type_name(p, parse_peek(p));
	after = parse_peek_n(p, 3);
	switch (after->kind) {
	case TOK_IDENT: case TOK_VAR: case TOK_MAP: case TOK_INT:
	case TOK_POSPARAM: case TOK_STRING: case TOK_LPAREN:
	case TOK_BANG: case TOK_TILDE:
		return 1;
	case TOK_MINUS: case TOK_PLUS: case TOK_STAR: case TOK_AMP:
		return parse_is_type_name(p, parse_peek(p));
	default:
		return 0;
	}
}

/* The program declares typedef name: later casts may use it. */
static void parse_add_typedef(struct parser *p, const char *name)
{
	if (!name || parse_is_type_name(p, &(struct token){ .kind = TOK_IDENT,
							     .text = (char *)name }))
		return;
	p->typedefs = parse_check_alloc(realloc(p->typedefs,
						(p->ntypedefs + 1) * sizeof(*p->typedefs)));
	p->typedefs[p->ntypedefs++] = parse_check_alloc(strdup(name));
}

static void parse_append(char **s, const char *more)
{
	size_t n = *s ? strlen(*s) : 0;
	char *r = parse_check_alloc(realloc(*s, n + strlen(more) + 1));

	strcpy(r + n, more);
	*s = r;
}

/* typename = { qual } base { qual } { '*' { qual } } { '[' INT ']' }
 * base     = ("struct" | "union" | "enum") IDENT | intword { intword }
 *          | IDENT
 * The text, qualifiers left out, words one space apart ("unsigned
 * long", "struct sock **", "char[16]"), or NULL after an error. */
static char *parse_typename(struct parser *p)
{
	char *text = NULL;

	while (parse_is_qualifier(&p->tok))
		parse_advance(p);
	if (parse_is_tag(&p->tok)) {
		char what[40];

		snprintf(what, sizeof(what), "a name after '%s'", p->tok.text);
		parse_append(&text, p->tok.text);
		parse_append(&text, " ");
		parse_advance(p);
		if (!parse_is(p, TOK_IDENT)) {
			parse_expected(p, what);
			free(text);
			return NULL;
		}
		parse_append(&text, p->tok.text);
		parse_advance(p);
	} else if (parse_is(p, TOK_IDENT) && cdecl_is_keyword(p->tok.text)) {
		while (parse_is(p, TOK_IDENT) && cdecl_is_keyword(p->tok.text)) {
			if (!parse_is_qualifier(&p->tok)) {
				if (text)
					parse_append(&text, " ");
				parse_append(&text, p->tok.text);
			}
			parse_advance(p);
		}
		if (!text) {
			parse_expected(p, "a type name");
			return NULL;
		}
	} else if (parse_is(p, TOK_IDENT)) {
		parse_append(&text, p->tok.text);
		parse_advance(p);
	} else {
		parse_expected(p, "a type name");
		return NULL;
	}
	while (parse_is_qualifier(&p->tok))
		parse_advance(p);
	if (parse_is(p, TOK_STAR))
		parse_append(&text, " ");
	while (parse_is(p, TOK_STAR) || parse_is_qualifier(&p->tok)) {
		if (parse_is(p, TOK_STAR))
			parse_append(&text, "*");
		parse_advance(p);
	}
	while (parse_is(p, TOK_LBRACKET)) {
		char buf[32];

		parse_advance(p);
		if (!parse_is(p, TOK_INT)) {
			parse_expected(p, "an array length");
			free(text);
			return NULL;
		}
		snprintf(buf, sizeof(buf), "[%llu]", (unsigned long long)p->tok.ival);
		parse_append(&text, buf);
		parse_advance(p);
		if (!parse_expect(p, TOK_RBRACKET, "']' after array length")) {
			free(text);
			return NULL;
		}
	}
	return text;
}

/* cast = '(' typename ')' unary */
static struct node *parse_cast(struct parser *p)
{
	struct node *n = parse_node(p, AST_CAST);

	parse_advance(p);
	n->ctype = parse_typename(p);
	if (!n->ctype)
		goto fail;
	if (!parse_expect(p, TOK_RPAREN, "')' after type name") || !parse_enter(p))
		goto fail;
	n->a = parse_unary(p);
	parse_leave(p, 1);
	if (n->a)
		return n;
fail:
	node_free(n);
	return NULL;
}

/* sizeof = "sizeof" '(' ( typename | expr ) ')'
 * A lone name that is not known as a type here is parsed as an
 * expression; the semantic pass takes it for a type when it names one
 * and no value. */
static struct node *parse_sizeof(struct parser *p)
{
	struct node *n = parse_node(p, AST_SIZEOF);

	parse_advance(p);
	if (parse_at_type(p, 0)) {
		parse_advance(p);
		n->ctype = parse_typename(p);
		if (!n->ctype)
			goto fail;
	} else {
		parse_advance(p);
		n->a = parse_expr(p);
		if (!n->a)
			goto fail;
	}
	if (parse_expect(p, TOK_RPAREN, "')' after sizeof's operand"))
		return n;
fail:
	node_free(n);
	return NULL;
}

/* offsetof = "offsetof" '(' typename ',' member ')'
 * member   = IDENT { '.' IDENT | '[' INT ']' } */
static struct node *parse_offsetof(struct parser *p)
{
	struct node *n = parse_node(p, AST_OFFSETOF);

	parse_advance(p);
	parse_advance(p);
	n->ctype = parse_typename(p);
	if (!n->ctype || !parse_expect(p, TOK_COMMA, "',' after offsetof's type"))
		goto fail;
	if (!parse_is(p, TOK_IDENT)) {
		parse_expected(p, "a member name");
		goto fail;
	}
	parse_append(&n->name, p->tok.text);
	parse_advance(p);
	for (;;) {
		char buf[32];

		if (parse_is(p, TOK_DOT)) {
			parse_advance(p);
			if (!parse_is(p, TOK_IDENT)) {
				parse_expected(p, "a member name after '.'");
				goto fail;
			}
			parse_append(&n->name, ".");
			parse_append(&n->name, p->tok.text);
			parse_advance(p);
		} else if (parse_is(p, TOK_LBRACKET)) {
			parse_advance(p);
			if (!parse_is(p, TOK_INT)) {
				parse_expected(p, "an array index");
				goto fail;
			}
			snprintf(buf, sizeof(buf), "[%llu]", (unsigned long long)p->tok.ival);
			parse_append(&n->name, buf);
			parse_advance(p);
			if (!parse_expect(p, TOK_RBRACKET, "']' after index"))
				goto fail;
		} else {
			break;
		}
	}
	if (parse_expect(p, TOK_RPAREN, "')' after offsetof's member"))
		return n;
fail:
	node_free(n);
	return NULL;
}

/* unary = ('-' | '+' | '~' | '!' | '*' | '&') unary
 *       | ('++' | '--') unary
 *       | cast
 *       | postfix */
static struct node *parse_unary(struct parser *p)
{
	struct node *n;

	switch (p->tok.kind) {
	case TOK_PLUS:
		/* no node, but the recursion is as deep */
		if (!parse_enter(p))
			return NULL;
		parse_advance(p);
		n = parse_unary(p);
		parse_leave(p, 1);
		return n;
	case TOK_MINUS:
	case TOK_TILDE:
	case TOK_BANG:
	case TOK_STAR:
	case TOK_AMP:
		n = parse_node(p, AST_UNOP);
		break;
	case TOK_INC:
	case TOK_DEC:
		n = parse_node(p, AST_INCDEC);
		n->ival = 1;
		break;
	case TOK_LPAREN:
		if (parse_at_type(p, 1))
			return parse_cast(p);
		return parse_postfix(p);
	default:
		return parse_postfix(p);
	}
	n->op = p->tok.kind;
	parse_advance(p);
	if (!parse_enter(p)) {
		node_free(n);
		return NULL;
	}
	n->a = parse_unary(p);
	parse_leave(p, 1);
	if (!n->a) {
		node_free(n);
		return NULL;
	}
	return n;
}

/* One left-associative binary level: sub { op sub } for op in ops
 * (a list ending with TOK_EOF). */
static struct node *parse_binary(struct parser *p, const enum tok_kind *ops,
				 parse_fn sub)
{
	struct node *lhs = sub(p);
	int levels = 0;

	/* 1 + 2 + 3 ... recurses not here but in the passes after */
	while (lhs) {
		const enum tok_kind *op = ops;
		struct node *n;

		while (*op != TOK_EOF && *op != p->tok.kind)
			op++;
		if (*op == TOK_EOF)
			break;
		if (*op == TOK_SLASH && p->in_pred &&
		    parse_peek(p)->kind == TOK_LBRACE)
			break;
		if (!parse_enter(p)) {
			node_free(lhs);
			lhs = NULL;
			break;
		}
		levels++;
		n = parse_node(p, AST_BINOP);
		n->op = *op;
		n->a = lhs;
		parse_advance(p);
		n->b = sub(p);
		if (!n->b) {
			node_free(n);
			lhs = NULL;
			break;
		}
		lhs = n;
	}
	parse_leave(p, levels);
	return lhs;
}

/* mul = unary { ('*' | '/' | '%') unary } */
static struct node *parse_mul(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_STAR, TOK_SLASH, TOK_PERCENT, TOK_EOF };

	return parse_binary(p, ops, parse_unary);
}

/* add = mul { ('+' | '-') mul } */
static struct node *parse_add(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_PLUS, TOK_MINUS, TOK_EOF };

	return parse_binary(p, ops, parse_mul);
}

/* shift = add { ('<<' | '>>') add } */
static struct node *parse_shift(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_SHL, TOK_SHR, TOK_EOF };

	return parse_binary(p, ops, parse_add);
}

/* relational = shift { ('<' | '<=' | '>' | '>=') shift } */
static struct node *parse_relational(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_LT, TOK_LE, TOK_GT, TOK_GE, TOK_EOF };

	return parse_binary(p, ops, parse_shift);
}

/* equality = relational { ('==' | '!=') relational } */
static struct node *parse_equality(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_EQ, TOK_NE, TOK_EOF };

	return parse_binary(p, ops, parse_relational);
}

/* bitand = equality { '&' equality } */
static struct node *parse_bitand(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_AMP, TOK_EOF };

	return parse_binary(p, ops, parse_equality);
}

/* bitxor = bitand { '^' bitand } */
static struct node *parse_bitxor(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_CARET, TOK_EOF };

	return parse_binary(p, ops, parse_bitand);
}

/* bitor = bitxor { '|' bitxor } */
static struct node *parse_bitor(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_PIPE, TOK_EOF };

	return parse_binary(p, ops, parse_bitxor);
}

/* logand = bitor { '&&' bitor } */
static struct node *parse_logand(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_ANDAND, TOK_EOF };

	return parse_binary(p, ops, parse_bitor);
}

/* logor = logand { '||' logand } */
static struct node *parse_logor(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_OROR, TOK_EOF };

	return parse_binary(p, ops, parse_logand);
}

/* ternary = logor [ '?' expr ':' ternary ] */
static struct node *parse_ternary(struct parser *p)
{
	struct node *cond = parse_logor(p), *n;

	if (!cond || !parse_is(p, TOK_QUESTION))
		return cond;
	n = parse_node(p, AST_TERNARY);
	n->a = cond;
	parse_advance(p);
	n->b = parse_expr(p);
	if (!n->b || !parse_expect(p, TOK_COLON, "':' in conditional expression"))
		goto fail;
	if (!parse_enter(p))
		goto fail;
	n->c = parse_ternary(p);
	parse_leave(p, 1);
	if (n->c)
		return n;
fail:
	node_free(n);
	return NULL;
}

/* expr = ternary
 * Assignment is a statement, not an expression (as in bpftrace), so that
 * "if ($x = 1)" is an error instead of a surprise. */
static struct node *parse_expr(struct parser *p)
{
	struct node *n;

	if (!parse_enter(p))
		return NULL;
	n = parse_ternary(p);
	parse_leave(p, 1);
	return n;
}

/* ---- statements ---- */

static int parse_is_assign_op(enum tok_kind k)
{
	switch (k) {
	case TOK_ASSIGN: case TOK_ADD_ASSIGN: case TOK_SUB_ASSIGN:
	case TOK_MUL_ASSIGN: case TOK_DIV_ASSIGN: case TOK_MOD_ASSIGN:
	case TOK_AND_ASSIGN: case TOK_OR_ASSIGN: case TOK_XOR_ASSIGN:
	case TOK_SHL_ASSIGN: case TOK_SHR_ASSIGN:
		return 1;
	default:
		return 0;
	}
}

/* Statements that end with a block need no ';' after them. */
static int parse_is_compound(const struct node *s)
{
	switch (s->kind) {
	case AST_BLOCK: case AST_IF: case AST_FOR: case AST_WHILE: case AST_UNROLL:
		return 1;
	default:
		return 0;
	}
}

/* simple = expr [ assignop expr ]
 * assignop = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^='
 *          | '<<=' | '>>='
 * The result is an AST_EXPR whose a is the expression or the AST_ASSIGN. */
static struct node *parse_simple(struct parser *p)
{
	struct node *stmt = parse_node(p, AST_EXPR), *lhs, *n;

	lhs = parse_expr(p);
	if (!lhs)
		goto fail;
	stmt->a = lhs;
	if (!parse_is_assign_op(p->tok.kind))
		return stmt;
	if (lhs->kind != AST_MAP && lhs->kind != AST_VAR) {
		diag_error(p->tok.loc,
			   "left side of '%s' must be a map or a $variable, not %s",
			   tok_spelling(p->tok.kind),
			   lhs->kind == AST_IDENT ? "a builtin" : "an expression");
		p->errors++;
		goto fail;
	}
	n = parse_node(p, AST_ASSIGN);
	n->op = p->tok.kind;
	n->a = lhs;
	stmt->a = n;
	parse_advance(p);
	n->b = parse_expr(p);
	if (n->b)
		return stmt;
fail:
	node_free(stmt);
	return NULL;
}

/* Wraps a single-statement body in a block so that bodies are always
 * AST_BLOCK. */
static struct node *parse_wrap(struct node *s)
{
	struct node *b = parse_check_alloc(node_new(AST_BLOCK, s->loc));

	b->args = s;
	return b;
}

/* body = block | stmt [ ';' ] */
static struct node *parse_body(struct parser *p)
{
	struct node *s;

	if (parse_is(p, TOK_LBRACE))
		return parse_block(p);
	/* "if (a) if (b) ...": no block, as deep */
	if (!parse_enter(p))
		return NULL;
	s = parse_stmt(p);
	parse_leave(p, 1);
	if (!s)
		return NULL;
	if (!parse_is_compound(s)) {
		if (parse_is(p, TOK_SEMI)) {
			parse_advance(p);
		} else if (!parse_is(p, TOK_RBRACE) && !parse_is(p, TOK_EOF) &&
			   !parse_is_word(&p->tok, "else")) {
			parse_expected(p, "';' after statement");
			node_free(s);
			return NULL;
		}
	}
	return parse_wrap(s);
}

/* cond = '(' expr ')' */
static struct node *parse_cond(struct parser *p, const char *after)
{
	char what[40];
	struct node *e;

	snprintf(what, sizeof(what), "'(' after '%s'", after);
	if (!parse_expect(p, TOK_LPAREN, what))
		return NULL;
	e = parse_expr(p);
	if (e && !parse_expect(p, TOK_RPAREN, "')' after condition")) {
		node_free(e);
		return NULL;
	}
	return e;
}

/* if = "if" cond body [ "else" ( if | body ) ] */
static struct node *parse_if(struct parser *p)
{
	struct node *n = parse_node(p, AST_IF);

	parse_advance(p);
	n->a = parse_cond(p, "if");
	if (!n->a)
		goto fail;
	n->b = parse_body(p);
	if (!n->b)
		goto fail;
	if (!parse_is_word(&p->tok, "else"))
		return n;
	parse_advance(p);
	if (!parse_enter(p))
		goto fail;
	n->c = parse_is_word(&p->tok, "if") ? parse_if(p) : parse_body(p);
	parse_leave(p, 1);
	if (n->c)
		return n;
fail:
	node_free(n);
	return NULL;
}

/* for = "for" '(' VAR ':' ( MAP ')' | expr '..' expr ')' ) block */
static struct node *parse_for(struct parser *p)
{
	struct node *n = parse_node(p, AST_FOR);

	parse_advance(p);
	if (!parse_expect(p, TOK_LPAREN, "'(' after 'for'"))
		goto fail;
	if (!parse_is(p, TOK_VAR)) {
		parse_expected(p, "a $variable");
		goto fail;
	}
	n->name = parse_take_text(p);
	parse_advance(p);
	if (!parse_expect(p, TOK_COLON, "':' after loop variable"))
		goto fail;
	if (parse_is(p, TOK_MAP) && parse_peek(p)->kind == TOK_RPAREN) {
		n->a = parse_map(p);
	} else {
		n->a = parse_expr(p);
		if (!n->a || !parse_expect(p, TOK_DOTDOT, "'..' in range"))
			goto fail;
		n->b = parse_expr(p);
		if (!n->b)
			goto fail;
	}
	if (!n->a || !parse_expect(p, TOK_RPAREN, "')' after range"))
		goto fail;
	n->c = parse_block(p);
	if (n->c)
		return n;
fail:
	node_free(n);
	return NULL;
}

/* while = "while" cond block */
static struct node *parse_while(struct parser *p)
{
	struct node *n = parse_node(p, AST_WHILE);

	parse_advance(p);
	n->a = parse_cond(p, "while");
	if (n->a)
		n->c = parse_block(p);
	if (n->c)
		return n;
	node_free(n);
	return NULL;
}

/* unroll = "unroll" '(' INT ')' block */
static struct node *parse_unroll(struct parser *p)
{
	struct node *n = parse_node(p, AST_UNROLL);

	parse_advance(p);
	if (!parse_expect(p, TOK_LPAREN, "'(' after 'unroll'"))
		goto fail;
	if (!parse_is(p, TOK_INT)) {
		parse_expected(p, "an integer count");
		goto fail;
	}
	n->ival = (int64_t)p->tok.ival;
	parse_advance(p);
	if (!parse_expect(p, TOK_RPAREN, "')' after count"))
		goto fail;
	n->b = parse_block(p);
	if (n->b)
		return n;
fail:
	node_free(n);
	return NULL;
}

/* return = "return" [ expr ] */
static struct node *parse_return(struct parser *p)
{
	struct node *n = parse_node(p, AST_RETURN);

	parse_advance(p);
	if (parse_is(p, TOK_SEMI) || parse_is(p, TOK_RBRACE) || parse_is(p, TOK_EOF))
		return n;
	n->a = parse_expr(p);
	if (n->a)
		return n;
	node_free(n);
	return NULL;
}

/* delete = "delete" map        (ply; bpftrace's delete(@m[k]) is a call) */
static struct node *parse_delete(struct parser *p)
{
	struct node *n = parse_node(p, AST_DELETE);

	parse_advance(p);
	if (parse_is(p, TOK_MAP) ||
	    (parse_is(p, TOK_IDENT) && parse_peek(p)->kind == TOK_LBRACKET)) {
		n->a = parse_map(p);
		if (n->a)
			return n;
	} else {
		parse_expected(p, "a map after 'delete'");
	}
	node_free(n);
	return NULL;
}

/* stmt = block | if | for | while | unroll | return | delete
 *      | "break" | "continue" | simple */
static struct node *parse_stmt(struct parser *p)
{
	const struct token *t = &p->tok;
	struct node *n;

	if (parse_is(p, TOK_LBRACE))
		return parse_block(p);
	if (!parse_is(p, TOK_IDENT))
		return parse_simple(p);
	if (parse_is_word(t, "if"))
		return parse_if(p);
	if (parse_is_word(t, "for"))
		return parse_for(p);
	if (parse_is_word(t, "while"))
		return parse_while(p);
	if (parse_is_word(t, "unroll"))
		return parse_unroll(p);
	if (parse_is_word(t, "return"))
		return parse_return(p);
	if (parse_is_word(t, "delete") && parse_peek(p)->kind != TOK_LPAREN)
		return parse_delete(p);
	if (parse_is_word(t, "break") || parse_is_word(t, "continue")) {
		n = parse_node(p, t->text[0] == 'b' ? AST_BREAK : AST_CONTINUE);
		parse_advance(p);
		return n;
	}
	if (parse_is_word(t, "else")) {
		diag_error(t->loc, "'else' without a previous 'if'");
		p->errors++;
		return NULL;
	}
	return parse_simple(p);
}

/* block = '{' { stmt [ ';' ] | ';' } '}'
 * The ';' may only be left out after the last statement and after
 * statements that end with a block. */
static struct node *parse_block(struct parser *p)
{
	struct node *b = parse_node(p, AST_BLOCK), **tail = &b->args;

	if (!parse_expect(p, TOK_LBRACE, "'{'")) {
		node_free(b);
		return NULL;
	}
	if (!parse_enter(p)) {
		/* skip it whole: its statements would nest deeper still */
		int open = 1;

		while (open && !parse_is(p, TOK_EOF)) {
			open += parse_is(p, TOK_LBRACE) - parse_is(p, TOK_RBRACE);
			parse_advance(p);
		}
		return b;
	}
	while (!parse_is(p, TOK_RBRACE) && !parse_is(p, TOK_EOF)) {
		struct node *s;

		if (parse_is(p, TOK_SEMI)) {
			parse_advance(p);
			continue;
		}
		s = parse_stmt(p);
		if (!s) {
			parse_sync(p);
			continue;
		}
		*tail = s;
		tail = &s->next;
		if (parse_is_compound(s) || parse_is(p, TOK_RBRACE) ||
		    parse_is(p, TOK_EOF))
			continue;
		if (parse_is(p, TOK_SEMI)) {
			parse_advance(p);
		} else {
			parse_expected(p, "';' after statement");
			parse_sync(p);
		}
	}
	parse_leave(p, 1);
	if (parse_is(p, TOK_EOF)) {
		parse_expected(p, "'}' at end of block");
		diag_note(b->loc, "the block opens here");
	} else {
		parse_advance(p);
	}
	return b;
}

/* ---- C declarations ---- */

static struct cdecl *parse_decl_body(struct parser *p, int top);

/* After an error in a declaration: to just past the ';' that ends it
 * (at the brace depth it started), or to the '}' closing the struct body
 * it is in (top: none, so a stray '}' is skipped). */
static void parse_sync_decl(struct parser *p, int top)
{
	int depth = 0;

	for (;;) {
		switch (p->tok.kind) {
		case TOK_EOF:
			return;
		case TOK_LBRACE:
			depth++;
			break;
		case TOK_RBRACE:
			if (depth == 0 && !top)
				return;
			depth -= depth > 0;
			break;
		case TOK_SEMI:
			if (depth == 0) {
				parse_advance(p);
				return;
			}
			break;
		default:
			break;
		}
		parse_advance(p);
	}
}

/* enumerators = IDENT [ '=' expr ] { ',' IDENT [ '=' expr ] } [ ',' ] */
static int parse_enumerators(struct parser *p, struct cdecl_spec *s)
{
	struct cdecl_enumerator **tail = &s->consts;

	while (!parse_is(p, TOK_RBRACE)) {
		struct cdecl_enumerator *e;

		if (!parse_is(p, TOK_IDENT)) {
			parse_expected(p, "an enumerator name");
			return 0;
		}
		e = parse_check_alloc(calloc(1, sizeof(*e)));
		e->loc = p->tok.loc;
		e->name = parse_take_text(p);
		*tail = e;
		tail = &e->next;
		parse_advance(p);
		if (parse_is(p, TOK_ASSIGN)) {
			parse_advance(p);
			e->value = parse_expr(p);
			if (!e->value)
				return 0;
		}
		if (parse_is(p, TOK_COMMA))
			parse_advance(p);
		else if (!parse_is(p, TOK_RBRACE)) {
			parse_expected(p, "',' or '}' after enumerator");
			return 0;
		}
	}
	return 1;
}

/* spec = { qual } ( ("struct" | "union") [ IDENT ] [ '{' { member } '}' ]
 *                 | "enum" [ IDENT ] [ '{' enumerators '}' ]
 *                 | intword { intword } | IDENT ) { qual } */
static struct cdecl_spec *parse_decl_spec(struct parser *p)
{
	struct cdecl_spec *s = parse_check_alloc(calloc(1, sizeof(*s)));

	while (parse_is_qualifier(&p->tok))
		parse_advance(p);
	s->loc = p->tok.loc;
	if (parse_is_tag(&p->tok)) {
		const char *w = p->tok.text;

		s->kind = w[0] == 's' ? CDS_STRUCT : w[0] == 'u' ? CDS_UNION : CDS_ENUM;
		parse_advance(p);
		if (parse_is(p, TOK_IDENT)) {
			s->name = parse_take_text(p);
			parse_advance(p);
		}
		if (parse_is(p, TOK_LBRACE)) {
			struct cdecl **tail = &s->fields;

			s->body = true;
			parse_advance(p);
			if (!parse_enter(p))
				goto fail;
			if (s->kind == CDS_ENUM) {
				if (!parse_enumerators(p, s)) {
					parse_leave(p, 1);
					goto fail;
				}
			}
			while (s->kind != CDS_ENUM && !parse_is(p, TOK_RBRACE) &&
			       !parse_is(p, TOK_EOF)) {
				struct cdecl *m;

				if (parse_is(p, TOK_SEMI)) {
					parse_advance(p);
					continue;
				}
				m = parse_decl_body(p, 0);
				if (!m) {
					parse_sync_decl(p, 0);
					continue;
				}
				*tail = m;
				tail = &m->next;
			}
			parse_leave(p, 1);
			if (!parse_expect(p, TOK_RBRACE, "'}' at the end of the members"))
				goto fail;
		} else if (!s->name) {
			parse_expected(p, s->kind == CDS_STRUCT ? "a name or '{' after 'struct'" :
					   s->kind == CDS_UNION ? "a name or '{' after 'union'" :
					   "a name or '{' after 'enum'");
			goto fail;
		}
	} else if (parse_is(p, TOK_IDENT) && cdecl_is_keyword(p->tok.text)) {
		s->kind = CDS_NAME;
		while (parse_is(p, TOK_IDENT) && cdecl_is_keyword(p->tok.text)) {
			if (!parse_is_qualifier(&p->tok)) {
				if (s->name)
					parse_append(&s->name, " ");
				parse_append(&s->name, p->tok.text);
			}
			parse_advance(p);
		}
		if (!s->name) {
			parse_expected(p, "a type");
			goto fail;
		}
	} else if (parse_is(p, TOK_IDENT)) {
		s->kind = CDS_NAME;
		s->name = parse_take_text(p);
		parse_advance(p);
	} else {
		parse_expected(p, "a type");
		goto fail;
	}
	while (parse_is_qualifier(&p->tok))
		parse_advance(p);
	return s;
fail:
	cdecl_spec_free(s);
	return NULL;
}

static void parse_add_op(struct cdecl_declarator *d, enum cdecl_op_kind kind,
			 struct loc loc, struct node *len)
{
	d->ops = parse_check_alloc(realloc(d->ops, (d->nops + 1) * sizeof(*d->ops)));
	d->ops[d->nops++] = (struct cdecl_op){ .kind = kind, .loc = loc, .len = len };
}

/* declarator = { '*' { qual } } [ IDENT | '(' declarator ')' ]
 *              { '[' [ expr ] ']' | '(' ... ')' }
 * The ops come out in the order they apply to the base type: the
 * pointers, the suffixes from the last, then the inner declarator's.
 * A function's parameters are skipped: a function pointer is read as a
 * pointer. */
static int parse_declarator(struct parser *p, struct cdecl_declarator *d)
{
	struct cdecl_declarator inner = { 0 };
	struct cdecl_op suffix[16];
	int nsuffix = 0, ok = 0, nested = 0;

	d->loc = p->tok.loc;
	while (parse_is(p, TOK_STAR) || parse_is_qualifier(&p->tok)) {
		if (parse_is(p, TOK_STAR))
			parse_add_op(d, CDO_PTR, p->tok.loc, NULL);
		parse_advance(p);
	}
	if (parse_is(p, TOK_LPAREN) && (parse_peek(p)->kind == TOK_STAR ||
					parse_peek(p)->kind == TOK_LPAREN)) {
		parse_advance(p);
		if (!parse_enter(p))
			return 0;
		nested = 1;
		if (!parse_declarator(p, &inner) ||
		    !parse_expect(p, TOK_RPAREN, "')' in declarator"))
			goto out;
		d->name = inner.name;
		d->loc = inner.loc;
		inner.name = NULL;
	} else if (parse_is(p, TOK_IDENT)) {
		d->loc = p->tok.loc;
		d->name = parse_take_text(p);
		parse_advance(p);
	}
	for (;;) {
		struct cdecl_op op = { .loc = p->tok.loc };

		if (parse_is(p, TOK_LBRACKET)) {
			op.kind = CDO_ARRAY;
			parse_advance(p);
			if (!parse_is(p, TOK_RBRACKET) && !(op.len = parse_expr(p)))
				goto out;
			if (!parse_expect(p, TOK_RBRACKET, "']' after array length")) {
				node_free(op.len);
				goto out;
			}
		} else if (parse_is(p, TOK_LPAREN)) {
			int open = 0;

			op.kind = CDO_FUNC;
			do {
				open += parse_is(p, TOK_LPAREN) - parse_is(p, TOK_RPAREN);
				parse_advance(p);
			} while (open && !parse_is(p, TOK_EOF) && !parse_is(p, TOK_SEMI));
			if (open) {
				parse_expected(p, "')' after the parameters");
				goto out;
			}
		} else {
			break;
		}
		if (nsuffix == (int)(sizeof(suffix) / sizeof(suffix[0]))) {
			diag_error(op.loc, "more than %d array or function suffixes", nsuffix);
			p->errors++;
			node_free(op.len);
			goto out;
		}
		suffix[nsuffix++] = op;
	}
	while (nsuffix > 0) {
		struct cdecl_op *op = &suffix[--nsuffix];

		parse_add_op(d, op->kind, op->loc, op->len);
	}
	for (unsigned i = 0; i < inner.nops; i++)
		parse_add_op(d, inner.ops[i].kind, inner.ops[i].loc, inner.ops[i].len);
	inner.nops = 0;
	ok = 1;
out:
	while (nsuffix > 0)
		node_free(suffix[--nsuffix].len);
	for (unsigned i = 0; i < inner.nops; i++)
		node_free(inner.ops[i].len);
	free(inner.ops);
	free(inner.name);
	if (nested)
		parse_leave(p, 1);
	return ok;
}

/* decl   = [ "typedef" ] spec [ item { ',' item } ] ';'
 * item   = declarator [ ':' expr ]          (':' only in a struct)
 * top: a top-level declaration (else a member of a struct or union). */
static struct cdecl *parse_decl_body(struct parser *p, int top)
{
	struct cdecl *d = parse_check_alloc(calloc(1, sizeof(*d)));
	struct cdecl_declarator **tail = &d->decls;

	d->loc = p->tok.loc;
	if (top && parse_is_word(&p->tok, "typedef")) {
		d->is_typedef = true;
		parse_advance(p);
	}
	d->spec = parse_decl_spec(p);
	if (!d->spec)
		goto fail;
	/* "struct x { ... }" then a probe: the ';' is missing (a program
	 * declares no variables); the probe is read as one */
	if (top && !d->is_typedef && d->spec->body && !parse_is(p, TOK_SEMI)) {
		char what[160];

		snprintf(what, sizeof(what), "';' after the definition of %s%s%s",
			 d->spec->kind == CDS_STRUCT ? "struct" :
			 d->spec->kind == CDS_UNION ? "union" : "enum",
			 d->spec->name ? " " : "", d->spec->name ? d->spec->name : "");
		parse_expected(p, what);
		lex_restart(&p->lx, p->tok.loc);
		while (p->nahead)
			tok_free(&p->ahead[--p->nahead]);
		tok_free(&p->tok);
		p->tok = lex_next(&p->lx);
		cdecl_free(d);
		return NULL;
	}
	while (!parse_is(p, TOK_SEMI)) {
		struct cdecl_declarator *dd = parse_check_alloc(calloc(1, sizeof(*dd)));

		*tail = dd;
		tail = &dd->next;
		if (!parse_declarator(p, dd))
			goto fail;
		if (!top && parse_is(p, TOK_COLON)) {
			parse_advance(p);
			dd->bits = parse_expr(p);
			if (!dd->bits)
				goto fail;
		}
		if (!dd->name && !dd->bits) {
			parse_expected(p, d->is_typedef ? "a name for the typedef" :
					   top ? "a name or ';'" : "a member name");
			goto fail;
		}
		if (d->is_typedef)
			parse_add_typedef(p, dd->name);
		if (!parse_is(p, TOK_COMMA))
			break;
		parse_advance(p);
	}
	if (!parse_is(p, TOK_SEMI)) {
		char what[160];

		if (d->spec->kind == CDS_NAME || !d->spec->name)
			snprintf(what, sizeof(what), "';' after the declaration");
		else
			snprintf(what, sizeof(what), "';' after the declaration of %s %s",
				 d->spec->kind == CDS_STRUCT ? "struct" :
				 d->spec->kind == CDS_UNION ? "union" : "enum", d->spec->name);
		parse_expected(p, what);
		goto fail;
	}
	parse_advance(p);
	return d;
fail:
	cdecl_free(d);
	return NULL;
}

/* ---- probes ---- */

/* After an error in a probe header: on to its body, or to the next probe. */
static void parse_sync_header(struct parser *p)
{
	while (!parse_is(p, TOK_LBRACE) && !parse_is(p, TOK_PROBE) &&
	       !parse_is(p, TOK_EOF))
		parse_advance(p);
}

/* specs = PROBE { ',' PROBE } */
static int parse_specs(struct parser *p, struct probe *pr)
{
	struct probe_spec **tail = &pr->specs;

	for (;;) {
		struct probe_spec *s;

		if (++p->nspecs > LIMIT_SPECS) {
			if (p->nspecs == LIMIT_SPECS + 1)
				diag_error(p->tok.loc, "more than %d probe specs in the program",
					   LIMIT_SPECS);
			p->errors++;
			parse_advance(p); /* past it, or the probe loop stays */
			return 0;
		}
		s = parse_check_alloc(calloc(1, sizeof(*s)));
		s->loc = p->tok.loc;
		s->text = parse_take_text(p);
		*tail = s;
		tail = &s->next;
		parse_advance(p);
		if (!parse_is(p, TOK_COMMA))
			return 1;
		parse_advance(p);
		if (!parse_is(p, TOK_PROBE)) {
			parse_expected(p, "a probe after ','");
			return 0;
		}
	}
}

/* pred = '/' expr '/' | "if" cond */
static struct node *parse_pred(struct parser *p)
{
	struct node *e;

	if (parse_is(p, TOK_IDENT)) {
		parse_advance(p);
		return parse_cond(p, "if");
	}
	parse_advance(p);
	p->in_pred = 1;
	e = parse_expr(p);
	p->in_pred = 0;
	if (e && !parse_expect(p, TOK_SLASH, "'/' at end of predicate")) {
		node_free(e);
		return NULL;
	}
	return e;
}

/* probe = specs [ pred ] block */
static struct probe *parse_probe(struct parser *p)
{
	struct probe *pr = parse_check_alloc(calloc(1, sizeof(*pr)));

	pr->loc = p->tok.loc;
	if (!parse_specs(p, pr))
		goto bad_header;
	if (parse_is(p, TOK_SLASH) || parse_is_word(&p->tok, "if")) {
		pr->pred = parse_pred(p);
		if (!pr->pred)
			goto bad_header;
	}
	if (!parse_is(p, TOK_LBRACE)) {
		parse_expected(p, pr->pred ? "'{' after predicate" :
				   "'{', '/' or ',' after probe");
		goto bad_header;
	}
	pr->body = parse_block(p);
	return pr;

bad_header:
	parse_sync_header(p);
	/* still parse the body, to report the errors in it too */
	if (parse_is(p, TOK_LBRACE))
		pr->body = parse_block(p);
	return pr;
}

/* program = { probe | decl } */
int parse_program(const struct source *src, struct program *prog)
{
	struct parser p;
	struct probe **tail = &prog->probes;
	struct cdecl **dtail = &prog->decls;
	int nprobes = 0;

	memset(&p, 0, sizeof(p));
	prog->src = src;
	prog->probes = NULL;
	prog->decls = NULL;
	if (src->len > LIMIT_PROGRAM_BYTES) {
		/* where the limit is crossed */
		struct loc loc = { .src = src, .line = 1, .col = 1 };

		for (size_t i = 0; i < LIMIT_PROGRAM_BYTES; i++) {
			if (src->text[i] == '\n') {
				loc.line++;
				loc.col = 1;
			} else {
				loc.col++;
			}
		}
		diag_error(loc, "the program is longer than %d bytes", LIMIT_PROGRAM_BYTES);
		return -1;
	}
	lex_init(&p.lx, src);
	p.tok = lex_next(&p.lx);
	if (parse_is(&p, TOK_EOF))
		parse_expected(&p, "a probe");
	while (!parse_is(&p, TOK_EOF)) {
		struct probe *pr;

		/* the lexer gives words at the top level only in a
		 * declaration (or after an error) */
		if (parse_is_tag(&p.tok) || parse_is_word(&p.tok, "typedef")) {
			struct cdecl *d = parse_decl_body(&p, 1);

			if (d) {
				*dtail = d;
				dtail = &d->next;
			} else if (p.lx.in_decl || !parse_is(&p, TOK_PROBE)) {
				parse_sync_decl(&p, 1);
			}
			continue;
		}
		if (!parse_is(&p, TOK_PROBE)) {
			parse_expected(&p, "a probe");
			do
				parse_advance(&p);
			while (!parse_is(&p, TOK_PROBE) && !parse_is(&p, TOK_EOF));
			continue;
		}
		if (++nprobes > LIMIT_PROBES) {
			diag_error(p.tok.loc, "more than %d probes in the program",
				   LIMIT_PROBES);
			p.errors++;
			break;
		}
		pr = parse_probe(&p);
		*tail = pr;
		tail = &pr->next;
	}
	tok_free(&p.tok);
	while (p.nahead)
		tok_free(&p.ahead[--p.nahead]);
	for (int i = 0; i < p.ntypedefs; i++)
		free(p.typedefs[i]);
	free(p.typedefs);
	return p.errors || p.lx.errors ? -1 : 0;
}
