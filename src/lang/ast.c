/* ast.c - creating, freeing and dumping syntax trees.
 *
 * The dump (--dump=ast) is a golden-test format, so it is deliberately
 * plain: one node per line, two spaces of indent per level,
 *     KIND detail @line:col [: type]
 * with the children in operand order (a, b, c, then the args list).
 */
#include <inttypes.h>
#include <stdlib.h>

#include "ast.h"
#include "cdecl.h"

static const char *const ast_kind_names[] = {
	[AST_INT] = "INT",         [AST_STR] = "STR",
	[AST_BOOL] = "BOOL",       [AST_IDENT] = "IDENT",
	[AST_VAR] = "VAR",         [AST_POSPARAM] = "POSPARAM",
	[AST_MAP] = "MAP",         [AST_FIELD] = "FIELD",
	[AST_INDEX] = "INDEX",     [AST_CALL] = "CALL",
	[AST_BINOP] = "BINOP",     [AST_UNOP] = "UNOP",
	[AST_INCDEC] = "INCDEC",   [AST_TERNARY] = "TERNARY",
	[AST_CAST] = "CAST",       [AST_TUPLE] = "TUPLE",
	[AST_ASSIGN] = "ASSIGN",   [AST_EXPR] = "EXPR",
	[AST_BLOCK] = "BLOCK",     [AST_IF] = "IF",
	[AST_RETURN] = "RETURN",   [AST_UNROLL] = "UNROLL",
	[AST_FOR] = "FOR",         [AST_WHILE] = "WHILE",
	[AST_DELETE] = "DELETE",   [AST_BREAK] = "BREAK",
	[AST_CONTINUE] = "CONTINUE", [AST_SIZEOF] = "SIZEOF",
	[AST_OFFSETOF] = "OFFSETOF",
};

const char *ast_kind_name(enum ast_kind k)
{
	if ((size_t)k < sizeof(ast_kind_names) / sizeof(ast_kind_names[0]) &&
	    ast_kind_names[k])
		return ast_kind_names[k];
	return "?";
}

struct node *node_new(enum ast_kind kind, struct loc loc)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = kind;
	n->loc = loc;
	return n;
}

void node_free(struct node *n)
{
	/* iterate along next so that long statement lists do not recurse */
	while (n) {
		struct node *next = n->next;

		node_free(n->a);
		node_free(n->b);
		node_free(n->c);
		node_free(n->args);
		free(n->name);
		free(n->str);
		free(n->ctype);
		free(n);
		n = next;
	}
}

void program_free(struct program *p)
{
	struct probe *pr = p->probes;

	while (pr) {
		struct probe *next = pr->next;
		struct probe_spec *s = pr->specs;

		while (s) {
			struct probe_spec *snext = s->next;

			free(s->text);
			free(s);
			s = snext;
		}
		node_free(pr->pred);
		node_free(pr->body);
		free(pr);
		pr = next;
	}
	p->probes = NULL;
	cdecl_free(p->decls);
	p->decls = NULL;
}

static void ast_dump_detail(const struct node *n, FILE *out)
{
	switch (n->kind) {
	case AST_INT:
		fprintf(out, " %" PRId64, n->ival);
		break;
	case AST_STR:
		fputc(' ', out);
		lex_write_string(out, n->str ? n->str : "", n->len);
		break;
	case AST_BOOL:
		fputs(n->ival ? " true" : " false", out);
		break;
	case AST_IDENT:
	case AST_CALL:
		fprintf(out, " %s", n->name);
		break;
	case AST_VAR:
		fprintf(out, " $%s", n->name);
		break;
	case AST_FOR:
		if (n->name)
			fprintf(out, " $%s", n->name);
		break;
	case AST_POSPARAM:
		if (n->ival < 0)
			fputs(" $#", out);
		else
			fprintf(out, " $%" PRId64, n->ival);
		break;
	case AST_MAP:
		if (n->plain)
			fprintf(out, " %s (plain)", n->name);
		else
			fprintf(out, " @%s", n->name);
		break;
	case AST_FIELD:
		fprintf(out, " %s%s", n->op == TOK_ARROW ? "->" : ".", n->name);
		break;
	case AST_BINOP:
	case AST_UNOP:
	case AST_ASSIGN:
		fprintf(out, " %s", tok_spelling(n->op));
		break;
	case AST_INCDEC:
		fprintf(out, " %s %s", tok_spelling(n->op),
			n->ival ? "prefix" : "postfix");
		break;
	case AST_CAST:
		fprintf(out, " (%s)", n->ctype);
		break;
	case AST_SIZEOF:
		if (n->ctype)
			fprintf(out, " (%s)", n->ctype);
		break;
	case AST_OFFSETOF:
		fprintf(out, " (%s, %s)", n->ctype, n->name);
		break;
	case AST_UNROLL:
		fprintf(out, " %" PRId64, n->ival);
		break;
	default:
		break;
	}
}

static void ast_dump_node(const struct node *n, int depth, FILE *out)
{
	for (; n; n = n->next) {
		fprintf(out, "%*s%s", depth * 2, "", ast_kind_name(n->kind));
		ast_dump_detail(n, out);
		fprintf(out, " @%d:%d", n->loc.line, n->loc.col);
		if (n->type.kind != TYPE_NONE) {
			char buf[32];

			fprintf(out, " : %s", type_name(n->type, buf, sizeof(buf)));
		}
		fputc('\n', out);
		ast_dump_node(n->a, depth + 1, out);
		ast_dump_node(n->b, depth + 1, out);
		ast_dump_node(n->c, depth + 1, out);
		ast_dump_node(n->args, depth + 1, out);
	}
}

void ast_dump(const struct program *p, FILE *out)
{
	cdecl_dump(p->decls, out);
	for (const struct probe *pr = p->probes; pr; pr = pr->next) {
		fputs("probe ", out);
		for (const struct probe_spec *s = pr->specs; s; s = s->next)
			fprintf(out, "%s%s", s->text, s->next ? ", " : "");
		fprintf(out, " @%d:%d\n", pr->loc.line, pr->loc.col);
		if (pr->pred) {
			fputs("  pred\n", out);
			ast_dump_node(pr->pred, 2, out);
		}
		ast_dump_node(pr->body, 1, out);
	}
}
