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

#include "limits.h"
#include "parser.h"

struct parser {
	struct lexer lx;
	struct token tok;  /* the current token */
	struct token next; /* the one after it, once a decision needed it
			    * (calls, casts, the end of a predicate) */
	int has_next;
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
	if (p->has_next) {
		p->tok = p->next;
		p->has_next = 0;
	} else {
		p->tok = lex_next(&p->lx);
	}
}

/* The token after the current one. */
static const struct token *parse_peek(struct parser *p)
{
	if (!p->has_next) {
		p->next = lex_next(&p->lx);
		p->has_next = 1;
	}
	return &p->next;
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
 *         | IDENT | paren */
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

static const char *const parse_int_types[] = {
	"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
	"uint64", "int", "uint", "char", "short", "long", "unsigned", "bool",
};

static int parse_is_int_type(const struct token *t)
{
	if (t->kind != TOK_IDENT)
		return 0;
	for (size_t i = 0; i < sizeof(parse_int_types) / sizeof(parse_int_types[0]); i++)
		if (strcmp(t->text, parse_int_types[i]) == 0)
			return 1;
	return 0;
}

/* Whether the '(' at the current token opens a cast rather than a group. */
static int parse_at_cast(struct parser *p)
{
	const struct token *t = parse_peek(p);

	return parse_is_int_type(t) || parse_is_word(t, "struct");
}

static void parse_append(char **s, const char *more)
{
	size_t n = *s ? strlen(*s) : 0;
	char *r = parse_check_alloc(realloc(*s, n + strlen(more) + 1));

	strcpy(r + n, more);
	*s = r;
}

/* cast     = '(' typename ')' unary
 * typename = ( "struct" IDENT | inttype { inttype } ) { '*' } */
static struct node *parse_cast(struct parser *p)
{
	struct node *n = parse_node(p, AST_CAST);

	parse_advance(p);
	if (parse_is_word(&p->tok, "struct")) {
		parse_advance(p);
		if (!parse_is(p, TOK_IDENT)) {
			parse_expected(p, "a struct name");
			goto fail;
		}
		parse_append(&n->ctype, "struct ");
		parse_append(&n->ctype, p->tok.text);
		parse_advance(p);
	} else {
		while (parse_is_int_type(&p->tok)) {
			if (n->ctype)
				parse_append(&n->ctype, " ");
			parse_append(&n->ctype, p->tok.text);
			parse_advance(p);
		}
	}
	if (parse_is(p, TOK_STAR))
		parse_append(&n->ctype, " ");
	while (parse_is(p, TOK_STAR)) {
		parse_append(&n->ctype, "*");
		parse_advance(p);
	}
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
		if (parse_at_cast(p))
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

/* program = probe { probe } */
int parse_program(const struct source *src, struct program *prog)
{
	struct parser p;
	struct probe **tail = &prog->probes;
	int nprobes = 0;

	memset(&p, 0, sizeof(p));
	prog->src = src;
	prog->probes = NULL;
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
	if (p.has_next)
		tok_free(&p.next);
	return p.errors || p.lx.errors ? -1 : 0;
}
