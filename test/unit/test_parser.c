/* test_parser.c - the parser on both dialects: whole programs against
 * their --dump=ast text, operator precedence through a compact
 * s-expression form, and error messages (with line:col) including that
 * parsing goes on after an error. */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "lang/cdecl.h"
#include "lang/limits.h"
#include "lang/parser.h"
#include "unit.h"

static int last_rc;

/* Parses text; returns its AST dump (static buffer), sets last_rc and
 * leaves the diagnostics in unit_errbuf. */
static const char *dump(const char *text)
{
	static char *buf;
	struct program prog;
	struct source src;
	size_t len;
	FILE *out;

	free(buf);
	source_from_string(&src, "<test>", text);
	capture_start();
	last_rc = parse_program(&src, &prog);
	capture_end();
	out = open_memstream(&buf, &len);
	ast_dump(&prog, out);
	fclose(out);
	program_free(&prog);
	return buf;
}

/* ---- s-expressions: a compact view of expression trees ---- */

static void sx(const struct node *n, FILE *out);

static void sx_list(const struct node *n, FILE *out)
{
	for (; n; n = n->next) {
		fputc(' ', out);
		sx(n, out);
	}
}

static void sx(const struct node *n, FILE *out)
{
	switch (n->kind) {
	case AST_INT: fprintf(out, "%lld", (long long)n->ival); break;
	case AST_STR: fprintf(out, "\"%s\"", n->str); break;
	case AST_BOOL: fputs(n->ival ? "true" : "false", out); break;
	case AST_IDENT: fputs(n->name, out); break;
	case AST_VAR: fprintf(out, "$%s", n->name); break;
	case AST_POSPARAM: fprintf(out, "$%lld", (long long)n->ival); break;
	case AST_MAP:
		fprintf(out, "%s%s", n->plain ? "" : "@", n->name);
		if (n->args) {
			fputs("[", out);
			sx_list(n->args, out);
			fputs(" ]", out);
		}
		break;
	case AST_FIELD:
		fprintf(out, "(%s ", n->op == TOK_ARROW ? "->" : ".");
		sx(n->a, out);
		fprintf(out, " %s)", n->name);
		break;
	case AST_INDEX:
		fputs("([] ", out);
		sx(n->a, out);
		fputc(' ', out);
		sx(n->b, out);
		fputc(')', out);
		break;
	case AST_CALL:
		fprintf(out, "(%s", n->name);
		sx_list(n->args, out);
		fputc(')', out);
		break;
	case AST_BINOP:
	case AST_UNOP:
	case AST_INCDEC:
		fprintf(out, "(%s%s ", n->kind == AST_INCDEC && !n->ival ? "post" : "",
			tok_spelling(n->op));
		sx(n->a, out);
		if (n->b) {
			fputc(' ', out);
			sx(n->b, out);
		}
		fputc(')', out);
		break;
	case AST_TERNARY:
		fputs("(? ", out);
		sx(n->a, out);
		fputc(' ', out);
		sx(n->b, out);
		fputc(' ', out);
		sx(n->c, out);
		fputc(')', out);
		break;
	case AST_CAST:
		fprintf(out, "((%s) ", n->ctype);
		sx(n->a, out);
		fputc(')', out);
		break;
	case AST_SIZEOF:
		if (n->ctype) {
			fprintf(out, "(sizeof %s)", n->ctype);
		} else {
			fputs("(sizeof ", out);
			sx(n->a, out);
			fputc(')', out);
		}
		break;
	case AST_OFFSETOF:
		fprintf(out, "(offsetof %s %s)", n->ctype, n->name);
		break;
	case AST_TUPLE:
		fputs("(tuple", out);
		sx_list(n->args, out);
		fputc(')', out);
		break;
	default:
		fprintf(out, "<%s>", ast_kind_name(n->kind));
		break;
	}
}

/* C declarations before and between probes: the words struct, union,
 * enum and typedef start one where a probe is expected; a typedef makes
 * "(NAME)-1" a cast after it. */
static const char *errors(const char *text);

static void test_decls(void)
{
	struct program prog;
	struct source src;
	int nprobes = 0, ndecls = 0;
	struct node *e;

	source_from_string(&src, "<test>",
			   "#include <linux/sched.h>\n"
			   "struct a { int x; struct { char c; }; unsigned f:3; };\n"
			   "kprobe:f { }\n"
			   "typedef struct a *my_t, arr_t[2];\n"
			   "union u { long l; } ;\n"
			   "enum e { E1 = 1, E2, };\n"
			   "struct fwd;\n"
			   "BEGIN { (my_t)-1 }\n");
	capture_start();
	last_rc = parse_program(&src, &prog);
	capture_end();
	CHECK(last_rc == 0, "parsed: %s", unit_errbuf);
	for (struct probe *p = prog.probes; p; p = p->next)
		nprobes++;
	for (struct cdecl *d = prog.decls; d; d = d->next)
		ndecls++;
	CHECK(nprobes == 2 && ndecls == 5, "%d probes, %d declarations", nprobes, ndecls);
	if (ndecls == 5) {
		struct cdecl *td = prog.decls->next;

		CHECK(prog.decls->spec->kind == CDS_STRUCT && prog.decls->spec->body &&
		      !strcmp(prog.decls->spec->name, "a"), "struct a defined");
		CHECK(td->is_typedef && td->decls && td->decls->nops == 1 &&
		      td->decls->ops[0].kind == CDO_PTR && td->decls->next &&
		      td->decls->next->ops[0].kind == CDO_ARRAY, "typedef of a pointer and an array");
	}
	e = nprobes == 2 ? prog.probes->next->body->args->a : NULL;
	CHECK(e && e->kind == AST_CAST && !strcmp(e->ctype, "my_t"), "(my_t)-1 is a cast");
	program_free(&prog);

	CHECK_HAS(errors("struct a { int x; }\nBEGIN { }\n"),
		  "<test>:2:1: error: expected ';' after the definition of struct a, got 'BEGIN'");
	CHECK(last_rc != 0, "an error");
}

/* The s-expression of the expression statement in "BEGIN { expr }". */
static const char *expr(const char *e)
{
	static char *buf;
	char text[512];
	struct program prog;
	struct source src;
	size_t len;
	FILE *out;

	free(buf);
	snprintf(text, sizeof(text), "BEGIN { %s }", e);
	source_from_string(&src, "<test>", text);
	capture_start();
	last_rc = parse_program(&src, &prog);
	capture_end();
	out = open_memstream(&buf, &len);
	if (last_rc == 0 && prog.probes->body->args &&
	    prog.probes->body->args->kind == AST_EXPR)
		sx(prog.probes->body->args->a, out);
	else
		fputs("(error)", out);
	fclose(out);
	program_free(&prog);
	return buf;
}

/* ---- tests ---- */

static void test_precedence(void)
{
	CHECK_STR(expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
	CHECK_STR(expr("1 - 2 - 3"), "(- (- 1 2) 3)");
	CHECK_STR(expr("8 / 4 / 2 % 3"), "(% (/ (/ 8 4) 2) 3)");
	CHECK_STR(expr("1 << 2 + 3"), "(<< 1 (+ 2 3))");
	CHECK_STR(expr("a < b << 1"), "(< a (<< b 1))");
	CHECK_STR(expr("a == b < c"), "(== a (< b c))");
	CHECK_STR(expr("a != b >= c"), "(!= a (>= b c))");
	CHECK_STR(expr("a & b == c"), "(& a (== b c))");
	CHECK_STR(expr("a ^ b & c"), "(^ a (& b c))");
	CHECK_STR(expr("a | b ^ c"), "(| a (^ b c))");
	CHECK_STR(expr("a && b | c"), "(&& a (| b c))");
	CHECK_STR(expr("a || b && c"), "(|| a (&& b c))");
	CHECK_STR(expr("a || b ? c : d"), "(? (|| a b) c d)");
	CHECK_STR(expr("a ? b : c ? d : e"), "(? a b (? c d e))");
	CHECK_STR(expr("a ? b ? 1 : 2 : 3"), "(? a (? b 1 2) 3)");
	CHECK_STR(expr("(1 + 2) * 3"), "(* (+ 1 2) 3)");
	CHECK_STR(expr("a <= b > c"), "(> (<= a b) c)");
	CHECK_STR(expr("1 >> 2 >> 3"), "(>> (>> 1 2) 3)");

	CHECK_STR(expr("-a * ~b"), "(* (- a) (~ b))");
	CHECK_STR(expr("!a && *p"), "(&& (! a) (* p))");
	CHECK_STR(expr("&a"), "(& a)");
	CHECK_STR(expr("- -1"), "(- (- 1))");
	CHECK_STR(expr("+1"), "1");
	CHECK_STR(expr("a * -b"), "(* a (- b))");
	CHECK_STR(expr("$x++ + ++$y"), "(+ (post++ $x) (++ $y))");
	CHECK_STR(expr("--@c"), "(-- @c)");
	CHECK_STR(expr("@c--"), "(post-- @c)");
	CHECK_STR(expr("-x->y"), "(- (-> x y))");
	CHECK_STR(expr("*$p[1]"), "(* ([] $p 1))");

	CHECK_STR(expr("(uint32)x + 1"), "(+ ((uint32) x) 1)");
	CHECK_STR(expr("(int8)-x"), "((int8) (- x))");
	CHECK_STR(expr("(struct task_struct *)curtask"),
		  "((struct task_struct *) curtask)");
	CHECK_STR(expr("((struct sock **)arg0)->sk"),
		  "(-> ((struct sock **) arg0) sk)");
	CHECK_STR(expr("(unsigned long)x"), "((unsigned long) x)");
	CHECK_STR(expr("(uint8 *)p"), "((uint8 *) p)");
	CHECK_STR(expr("(x)"), "x");
	/* casts to any C type name (see parse_at_type) */
	CHECK_STR(expr("(const char *)p"), "((char *) p)");
	CHECK_STR(expr("(struct x **)p"), "((struct x **) p)");
	CHECK_STR(expr("(union u *)arg0"), "((union u *) arg0)");
	CHECK_STR(expr("(unsigned long long)x"), "((unsigned long long) x)");
	CHECK_STR(expr("(u64)x"), "((u64) x)");
	CHECK_STR(expr("(u64)-1"), "((u64) (- 1))");
	CHECK_STR(expr("(x)-1"), "(- x 1)");
	CHECK_STR(expr("(x)*y"), "(* x y)");
	CHECK_STR(expr("(pgoff_t)x"), "((pgoff_t) x)");
	CHECK_STR(expr("(pgoff_t)-x"), "(- pgoff_t x)");
	CHECK_STR(expr("(my_t *)$p"), "((my_t *) $p)");
	CHECK_STR(expr("(my_t * const *)$p"), "((my_t **) $p)");
	CHECK_STR(expr("(a * b)"), "(* a b)");
	CHECK_STR(expr("(size_t)!x"), "((size_t) (! x))");
	CHECK_STR(expr("(x)++"), "(post++ x)");
	CHECK_STR(expr("(char[16])x"), "((char[16]) x)");
	CHECK_STR(expr("sizeof(struct sock)"), "(sizeof struct sock)");
	CHECK_STR(expr("sizeof(u32 *)"), "(sizeof u32 *)");
	CHECK_STR(expr("sizeof(x)"), "(sizeof x)");
	CHECK_STR(expr("sizeof($x + 1)"), "(sizeof (+ $x 1))");
	CHECK_STR(expr("offsetof(struct a, b.c[2].d)"), "(offsetof struct a b.c[2].d)");
	CHECK_STR(expr("offsetof(t_t, x) + 1"), "(+ (offsetof t_t x) 1)");
	CHECK_STR(expr("(1, \"a\", $z)"), "(tuple 1 \"a\" $z)");
	CHECK_STR(expr("((1, 2), 3)"), "(tuple (tuple 1 2) 3)");
	CHECK_STR(expr("$t.0 + $t.1"), "(+ (. $t 0) (. $t 1))");

	CHECK_STR(expr("args->filename"), "(-> args filename)");
	CHECK_STR(expr("args.filename"), "(. args filename)");
	CHECK_STR(expr("data->comm"), "(-> data comm)");
	CHECK_STR(expr("curtask->parent->pid"), "(-> (-> curtask parent) pid)");
	CHECK_STR(expr("$p[1][2]"), "([] ([] $p 1) 2)");
	CHECK_STR(expr("p[1][2]"), "([] p[ 1 ] 2)");
	CHECK_STR(expr("@m[1, \"x\"]"), "@m[ 1 \"x\" ]");
	CHECK_STR(expr("@m[1][2]"), "([] @m[ 1 ] 2)");
	CHECK_STR(expr("@[tid]"), "@[ tid ]");
	CHECK_STR(expr("@"), "@");
	CHECK_STR(expr("m[comm]"), "m[ comm ]");
	CHECK_STR(expr("printf(\"%d %s\\n\", pid, comm)"), "(printf \"%d %s\n\" pid comm)");
	CHECK_STR(expr("exit()"), "(exit)");
	CHECK_STR(expr("delete(@m[1])"), "(delete @m[ 1 ])");
	CHECK_STR(expr("str($1) == \"x\""), "(== (str $1) \"x\")");
	CHECK_STR(expr("$#"), "$-1");
	CHECK_STR(expr("true || false"), "(|| true false)");
	CHECK_STR(expr("hist(nsecs - @start[tid])"), "(hist (- nsecs @start[ tid ]))");
}

static void test_bpftrace(void)
{
	CHECK_STR(dump("tracepoint:syscalls:sys_enter_openat /pid == 1/ {\n"
		       "\t@[comm] = count();\n"
		       "\tprintf(\"%s\\n\", str(args->filename))\n"
		       "}\n"),
		  "probe tracepoint:syscalls:sys_enter_openat @1:1\n"
		  "  pred\n"
		  "    BINOP == @1:43\n"
		  "      IDENT pid @1:39\n"
		  "      INT 1 @1:46\n"
		  "  BLOCK @1:49\n"
		  "    EXPR @2:2\n"
		  "      ASSIGN = @2:10\n"
		  "        MAP @ @2:2\n"
		  "          IDENT comm @2:4\n"
		  "        CALL count @2:12\n"
		  "    EXPR @3:2\n"
		  "      CALL printf @3:2\n"
		  "        STR \"%s\\n\" @3:9\n"
		  "        CALL str @3:17\n"
		  "          FIELD ->filename @3:25\n"
		  "            IDENT args @3:21\n");
	CHECK(last_rc == 0, "rc %d: %s", last_rc, unit_errbuf);

	/* several specs, several probes, empty bodies, division in a predicate */
	CHECK_STR(dump("BEGIN,END{}\n"
		       "kprobe:a, kr:b /$1 / 2 > 0/ { }\n"
		       "interval:s:1 { exit(); }"),
		  "probe BEGIN, END @1:1\n"
		  "  BLOCK @1:10\n"
		  "probe kprobe:a, kr:b @2:1\n"
		  "  pred\n"
		  "    BINOP > @2:24\n"
		  "      BINOP / @2:20\n"
		  "        POSPARAM $1 @2:17\n"
		  "        INT 2 @2:22\n"
		  "      INT 0 @2:26\n"
		  "  BLOCK @2:29\n"
		  "probe interval:s:1 @3:1\n"
		  "  BLOCK @3:14\n"
		  "    EXPR @3:16\n"
		  "      CALL exit @3:16\n");
	CHECK(last_rc == 0, "rc %d: %s", last_rc, unit_errbuf);

	/* statements */
	CHECK_STR(dump("BEGIN {\n"
		       "  $x = 1; $x += 2; @a -= 1; @b *= 2; @c /= 3; @d %= 4;\n"
		       "  @e &= 5; @f |= 6; @g ^= 7; @h <<= 1; @i >>= 1;;\n"
		       "  if ($x > 1) { print(@a); } else if ($x) @z = 1; else { return; }\n"
		       "  unroll (3) { $x++ }\n"
		       "  for ($i : 0..10) { if ($i == 5) { break } continue; }\n"
		       "  for ($kv : @a) { print($kv.0); }\n"
		       "  while ($x < 100) { $x *= 2; }\n"
		       "  { $y = 2 }\n"
		       "  return 1\n"
		       "}\n"),
		  "probe BEGIN @1:1\n"
		  "  BLOCK @1:7\n"
		  "    EXPR @2:3\n"
		  "      ASSIGN = @2:6\n"
		  "        VAR $x @2:3\n"
		  "        INT 1 @2:8\n"
		  "    EXPR @2:11\n"
		  "      ASSIGN += @2:14\n"
		  "        VAR $x @2:11\n"
		  "        INT 2 @2:17\n"
		  "    EXPR @2:20\n"
		  "      ASSIGN -= @2:23\n"
		  "        MAP @a @2:20\n"
		  "        INT 1 @2:26\n"
		  "    EXPR @2:29\n"
		  "      ASSIGN *= @2:32\n"
		  "        MAP @b @2:29\n"
		  "        INT 2 @2:35\n"
		  "    EXPR @2:38\n"
		  "      ASSIGN /= @2:41\n"
		  "        MAP @c @2:38\n"
		  "        INT 3 @2:44\n"
		  "    EXPR @2:47\n"
		  "      ASSIGN %= @2:50\n"
		  "        MAP @d @2:47\n"
		  "        INT 4 @2:53\n"
		  "    EXPR @3:3\n"
		  "      ASSIGN &= @3:6\n"
		  "        MAP @e @3:3\n"
		  "        INT 5 @3:9\n"
		  "    EXPR @3:12\n"
		  "      ASSIGN |= @3:15\n"
		  "        MAP @f @3:12\n"
		  "        INT 6 @3:18\n"
		  "    EXPR @3:21\n"
		  "      ASSIGN ^= @3:24\n"
		  "        MAP @g @3:21\n"
		  "        INT 7 @3:27\n"
		  "    EXPR @3:30\n"
		  "      ASSIGN <<= @3:33\n"
		  "        MAP @h @3:30\n"
		  "        INT 1 @3:37\n"
		  "    EXPR @3:40\n"
		  "      ASSIGN >>= @3:43\n"
		  "        MAP @i @3:40\n"
		  "        INT 1 @3:47\n"
		  "    IF @4:3\n"
		  "      BINOP > @4:10\n"
		  "        VAR $x @4:7\n"
		  "        INT 1 @4:12\n"
		  "      BLOCK @4:15\n"
		  "        EXPR @4:17\n"
		  "          CALL print @4:17\n"
		  "            MAP @a @4:23\n"
		  "      IF @4:35\n"
		  "        VAR $x @4:39\n"
		  "        BLOCK @4:43\n"
		  "          EXPR @4:43\n"
		  "            ASSIGN = @4:46\n"
		  "              MAP @z @4:43\n"
		  "              INT 1 @4:48\n"
		  "        BLOCK @4:56\n"
		  "          RETURN @4:58\n"
		  "    UNROLL 3 @5:3\n"
		  "      BLOCK @5:14\n"
		  "        EXPR @5:16\n"
		  "          INCDEC ++ postfix @5:18\n"
		  "            VAR $x @5:16\n"
		  "    FOR $i @6:3\n"
		  "      INT 0 @6:13\n"
		  "      INT 10 @6:16\n"
		  "      BLOCK @6:20\n"
		  "        IF @6:22\n"
		  "          BINOP == @6:29\n"
		  "            VAR $i @6:26\n"
		  "            INT 5 @6:32\n"
		  "          BLOCK @6:35\n"
		  "            BREAK @6:37\n"
		  "        CONTINUE @6:45\n"
		  "    FOR $kv @7:3\n"
		  "      MAP @a @7:14\n"
		  "      BLOCK @7:18\n"
		  "        EXPR @7:20\n"
		  "          CALL print @7:20\n"
		  "            FIELD .0 @7:29\n"
		  "              VAR $kv @7:26\n"
		  "    WHILE @8:3\n"
		  "      BINOP < @8:13\n"
		  "        VAR $x @8:10\n"
		  "        INT 100 @8:15\n"
		  "      BLOCK @8:20\n"
		  "        EXPR @8:22\n"
		  "          ASSIGN *= @8:25\n"
		  "            VAR $x @8:22\n"
		  "            INT 2 @8:28\n"
		  "    BLOCK @9:3\n"
		  "      EXPR @9:5\n"
		  "        ASSIGN = @9:8\n"
		  "          VAR $y @9:5\n"
		  "          INT 2 @9:10\n"
		  "    RETURN @10:3\n"
		  "      INT 1 @10:10\n");
	CHECK(last_rc == 0, "rc %d: %s", last_rc, unit_errbuf);

	/* a #! line, a bpftrace #include and comments */
	CHECK_STR(dump("#!/usr/bin/env wisp\n#include <linux/fs.h>\n"
		       "BEGIN /* c */ { // c\n}\n"),
		  "probe BEGIN @3:1\n  BLOCK @3:15\n");
	CHECK(last_rc == 0, "rc %d: %s", last_rc, unit_errbuf);
}

static void test_ply(void)
{
	CHECK_STR(dump("kprobe:SyS_read if (pid > 100) {\n"
		       "\tm[comm, pid] = quantize(arg2);\n"
		       "\t@[kpid] = count();\n"
		       "\tdelete m[comm, pid];\n"
		       "\tdelete @x[1]\n"
		       "}\n"
		       "tracepoint:sched/sched_switch { @[data->prev_comm] = count() }\n"),
		  "probe kprobe:SyS_read @1:1\n"
		  "  pred\n"
		  "    BINOP > @1:25\n"
		  "      IDENT pid @1:21\n"
		  "      INT 100 @1:27\n"
		  "  BLOCK @1:32\n"
		  "    EXPR @2:2\n"
		  "      ASSIGN = @2:15\n"
		  "        MAP m (plain) @2:2\n"
		  "          IDENT comm @2:4\n"
		  "          IDENT pid @2:10\n"
		  "        CALL quantize @2:17\n"
		  "          IDENT arg2 @2:26\n"
		  "    EXPR @3:2\n"
		  "      ASSIGN = @3:10\n"
		  "        MAP @ @3:2\n"
		  "          IDENT kpid @3:4\n"
		  "        CALL count @3:12\n"
		  "    DELETE @4:2\n"
		  "      MAP m (plain) @4:9\n"
		  "        IDENT comm @4:11\n"
		  "        IDENT pid @4:17\n"
		  "    DELETE @5:2\n"
		  "      MAP @x @5:9\n"
		  "        INT 1 @5:12\n"
		  "probe tracepoint:sched/sched_switch @7:1\n"
		  "  BLOCK @7:31\n"
		  "    EXPR @7:33\n"
		  "      ASSIGN = @7:52\n"
		  "        MAP @ @7:33\n"
		  "          FIELD ->prev_comm @7:39\n"
		  "            IDENT data @7:35\n"
		  "        CALL count @7:54\n");
	CHECK(last_rc == 0, "rc %d: %s", last_rc, unit_errbuf);
}

/* Errors: the first line of each diagnostic, in order. */
static const char *errors(const char *text)
{
	static char lines[4096];
	char *p = lines;

	dump(text);
	lines[0] = '\0';
	for (const char *l = unit_errbuf; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);

		if (strncmp(l, "<test>:", 7) == 0 && p + n + 2 < lines + sizeof(lines)) {
			memcpy(p, l, n);
			p += n;
			*p++ = '\n';
			*p = '\0';
		}
		l += n + (nl != NULL);
	}
	return lines;
}

static void test_errors(void)
{
	CHECK_STR(errors("BEGIN { printf(\"hi\") foo }"),
		  "<test>:1:22: error: expected ';' after statement, got 'foo'\n");
	CHECK(last_rc == -1, "rc %d", last_rc);
	/* the full diagnostic: source line and caret */
	CHECK_STR(unit_errbuf,
		  "<test>:1:22: error: expected ';' after statement, got 'foo'\n"
		  "BEGIN { printf(\"hi\") foo }\n"
		  "                     ^\n");

	/* parsing goes on after each error, in the same body and the next probe */
	CHECK_STR(errors("BEGIN {\n"
			 "\t@x = ;\n"
			 "\t@y = 1 +;\n"
			 "\t@z = (1;\n"
			 "\tok = 1;\n"
			 "}\n"
			 "END { if (x { } }\n"
			 "kprobe:f /pid ==/ { @a[1 = 2; }\n"),
		  "<test>:2:7: error: expected an expression, got ';'\n"
		  "<test>:3:10: error: expected an expression, got ';'\n"
		  "<test>:4:9: error: expected ')', got ';'\n"
		  "<test>:5:5: error: left side of '=' must be a map or a $variable, not a builtin\n"
		  "<test>:7:13: error: expected ')' after condition, got '{'\n"
		  "<test>:8:17: error: expected an expression, got '/'\n"
		  "<test>:8:26: error: expected ']' after map key, got '='\n");
	CHECK(last_rc == -1, "rc %d", last_rc);

	CHECK_STR(errors("BEGIN { @x = 1 "),
		  "<test>:1:16: error: expected '}' at end of block, got end of input\n"
		  "<test>:1:7: note: the block opens here\n");
	CHECK_STR(errors("BEGIN printf(\"x\"); }"),
		  "<test>:1:7: error: expected '{', '/' or ',' after probe, got 'printf'\n");
	/* "/1/ x" reads as a division: the predicate ends at "/ {" only */
	CHECK_STR(errors("BEGIN /1/ x { } END { @ = 1 + }"),
		  "<test>:1:13: error: expected '/' at end of predicate, got '{'\n"
		  "<test>:1:31: error: expected an expression, got '}'\n");
	CHECK_STR(errors("kprobe:a, { }"),
		  "<test>:1:11: error: expected a probe after ',', got '{'\n");
	CHECK_STR(errors("BEGIN { } }"),
		  "<test>:1:11: error: expected a probe, got '}'\n");
	CHECK_STR(errors(""), "<test>:1:1: error: expected a probe, got end of input\n");
	CHECK_STR(errors("BEGIN { } // nothing\n\nEND /1/ { } x"),
		  "<test>:3:14: error: expected '{', '/' or ',' after probe, got end of input\n");
	CHECK_STR(errors("BEGIN { else { } }"),
		  "<test>:1:9: error: 'else' without a previous 'if'\n");
	CHECK_STR(errors("BEGIN { if (1) @a = 1 @b = 2 }"),
		  "<test>:1:23: error: expected ';' after statement, got '@b'\n");
	CHECK_STR(errors("BEGIN { for (i : 0..1) { } for ($i : 0) { } }"),
		  "<test>:1:14: error: expected a $variable, got 'i'\n"
		  "<test>:1:39: error: expected '..' in range, got ')'\n");
	CHECK_STR(errors("BEGIN { unroll ($n) { } while 1 { } }"),
		  "<test>:1:17: error: expected an integer count, got '$n'\n"
		  "<test>:1:31: error: expected '(' after 'while', got '1'\n");
	CHECK_STR(errors("BEGIN { delete 1; x->; (struct) y; 1 ? 2; }"),
		  "<test>:1:16: error: expected a map after 'delete', got '1'\n"
		  "<test>:1:22: error: expected a field name, got ';'\n"
		  "<test>:1:31: error: expected a name after 'struct', got ')'\n"
		  "<test>:1:41: error: expected ':' in conditional expression, got ';'\n");
	/* lexical errors make the parse fail too */
	CHECK_STR(errors("BEGIN { @x = 0x; }"),
		  "<test>:1:14: error: hexadecimal literal without digits\n");
	CHECK(last_rc == -1, "rc %d", last_rc);
	/* and a correct program still parses after all of the above */
	errors("BEGIN { @x = 1 }");
	CHECK(last_rc == 0, "rc %d", last_rc);
}

/* Every function of funcs.h is found by its name and named back; names
 * that are not functions are FN_NONE. */
static void test_funcs(void)
{
	for (int f = FN_NONE + 1; f < FN_END; f++) {
		CHECK(func_find(func_name((enum func)f)) == (enum func)f, "function %d: %s",
		      f, func_name((enum func)f));
		CHECK(!strcmp(func_names()[f - 1], func_name((enum func)f)), "names[%d]", f - 1);
	}
	CHECK(func_find("printf") == FN_PRINTF && func_find("uaddr") == FN_UADDR,
	      "first and last");
	CHECK(func_find("prinft") == FN_NONE && func_find("") == FN_NONE, "not functions");
	CHECK(!strcmp(func_name(FN_NONE), "") && !strcmp(func_name(FN_END), ""),
	      "no name out of range");
}

/* limits.h: what would exhaust the stack or memory is refused where it
 * goes over, the rest of the program aside. */
static void test_limits(void)
{
	size_t n = 100000, len = 2 * n + 32, i = 0;
	char *text = malloc(len > LIMIT_PROGRAM_BYTES + 64 ? len : LIMIT_PROGRAM_BYTES + 64);

	/* the issue's program: 100,000 parentheses, once a SIGSEGV */
	i += sprintf(text, "BEGIN { @x = ");
	memset(text + i, '(', n);
	i += n;
	text[i++] = '1';
	memset(text + i, ')', n);
	i += n;
	strcpy(text + i, "; }");
	dump(text);
	CHECK(last_rc == -1, "100,000 parentheses are refused");
	CHECK(strstr(unit_errbuf, "<test>:1:269: error: nested too deeply: more than 256 levels") != NULL,
	      "at the 256th parenthesis: %.200s", unit_errbuf);
	/* as many unary minus signs, and '!' */
	i = sprintf(text, "BEGIN { @x = ");
	memset(text + i, '-', n);
	strcpy(text + i + n, "1; @y = 1; }");
	dump(text);
	CHECK(last_rc == -1 && strstr(unit_errbuf, "nested too deeply"), "100,000 minus signs");
	/* a 1 MiB program, and one byte more */
	i = sprintf(text, "BEGIN { }\n//");
	memset(text + i, 'x', LIMIT_PROGRAM_BYTES - i);
	text[LIMIT_PROGRAM_BYTES] = '\0';
	dump(text);
	CHECK(last_rc == 0, "a program of exactly the limit parses: %.200s", unit_errbuf);
	strcpy(text + LIMIT_PROGRAM_BYTES, "x");
	dump(text);
	CHECK(last_rc == -1, "one byte more is refused");
	CHECK(strstr(unit_errbuf, "<test>:2:1048567: error: the program is longer than 1048576 bytes") != NULL,
	      "where the limit is crossed: %.200s", unit_errbuf);
	free(text);
}

int main(void)
{
	test_funcs();
	test_precedence();
	test_decls();
	test_bpftrace();
	test_ply();
	test_errors();
	test_limits();
	return unit_done("parser");
}
