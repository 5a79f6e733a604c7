/* test_lexer.c - the lexer (probe specs, predicates, numbers, strings,
 * comments, every operator), the token dump, and the diagnostics, type
 * names and source reading it relies on. */
#include <stdlib.h>
#include <unistd.h>

#include "lang/diag.h"
#include "lang/lexer.h"
#include "lang/type.h"
#include "unit.h"

/* The token dump of text, in a static buffer; *rc gets lex_dump's result. */
static const char *dump(const char *text, int *rc)
{
	static char *buf;
	struct source src;
	size_t len;
	FILE *out;
	int r;

	free(buf);
	source_from_string(&src, "<test>", text);
	out = open_memstream(&buf, &len);
	capture_start();
	r = lex_dump(&src, out);
	capture_end();
	fclose(out);
	if (rc)
		*rc = r;
	return buf;
}

/* The first token of text, whose text is kept in a static buffer. */
static struct token first(const char *text)
{
	static char keep[256];
	struct source src;
	struct lexer lx;
	struct token t;

	source_from_string(&src, "<test>", text);
	lex_init(&lx, &src);
	t = lex_next(&lx);
	snprintf(keep, sizeof(keep), "%s", t.text ? t.text : "");
	tok_free(&t);
	t.text = keep;
	return t;
}

static void test_specs(void)
{
	static const char *const specs[] = {
		"tracepoint:syscalls:sys_enter_openat",
		"t:sched:sched_switch",
		"tracepoint:sched/sched_switch",
		"kprobe:do_sys_open+0x10",
		"uprobe:/bin/bash:readline",
		"uretprobe:/lib/x86_64-linux-gnu/libc.so.6:malloc",
		"interval:s:1",
		"interval:5ms",
		"profile:hz:99",
		"profile:99hz",
		"BEGIN",
		"END",
		"kprobe:vfs_*",
		"k:vfs_rea?",
		"uprobe:/bin/x:0x401000",
		"software:cpu-clock:1000",
		"usdt:/usr/lib/libc.so.6:libc:setjmp",
		"fentry:vfs_read",
	};
	char prog[256];

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct token t;

		snprintf(prog, sizeof(prog), "%s { }", specs[i]);
		t = first(prog);
		CHECK(t.kind == TOK_PROBE, "%s: kind %s", specs[i], tok_name(t.kind));
		CHECK_STR(t.text, specs[i]);
		/* the spec ends at '{' and ',' as well as at spaces */
		snprintf(prog, sizeof(prog), "%s{}", specs[i]);
		CHECK_STR(first(prog).text, specs[i]);
		snprintf(prog, sizeof(prog), "%s,BEGIN{}", specs[i]);
		CHECK_STR(first(prog).text, specs[i]);
	}

	CHECK_STR(first("uprobe:/bin/x:\"foo(int)\" { }").text, "uprobe:/bin/x:foo(int)");
	CHECK_STR(first("uprobe:/bin/x:\"a b\"{}").text, "uprobe:/bin/x:a b");

	CHECK_STR(dump("kprobe:a, kprobe:b,\n\tkprobe:c{}", NULL),
		  "1:1 PROBE kprobe:a\n"
		  "1:9 COMMA\n"
		  "1:11 PROBE kprobe:b\n"
		  "1:19 COMMA\n"
		  "2:2 PROBE kprobe:c\n"
		  "2:10 LBRACE\n"
		  "2:11 RBRACE\n"
		  "2:12 EOF\n");

	/* after the '}' of a body comes the next spec; inside, ordinary tokens */
	CHECK_STR(dump("BEGIN { a:b } END { }", NULL),
		  "1:1 PROBE BEGIN\n"
		  "1:7 LBRACE\n"
		  "1:9 IDENT a\n"
		  "1:10 COLON\n"
		  "1:11 IDENT b\n"
		  "1:13 RBRACE\n"
		  "1:15 PROBE END\n"
		  "1:19 LBRACE\n"
		  "1:21 RBRACE\n"
		  "1:22 EOF\n");

	/* nested braces do not end the body */
	CHECK_STR(dump("BEGIN{{}x}", NULL),
		  "1:1 PROBE BEGIN\n1:6 LBRACE\n1:7 LBRACE\n1:8 RBRACE\n"
		  "1:9 IDENT x\n1:10 RBRACE\n1:11 EOF\n");

	/* a stray '}' where a spec is expected is a brace, for the parser */
	CHECK(first("} BEGIN").kind == TOK_RBRACE, "stray brace");
}

static void test_predicates(void)
{
	CHECK_STR(dump("kprobe:f /pid == 1/ { @[comm] = count(); }", NULL),
		  "1:1 PROBE kprobe:f\n"
		  "1:10 SLASH\n"
		  "1:11 IDENT pid\n"
		  "1:15 EQ\n"
		  "1:18 INT 1\n"
		  "1:19 SLASH\n"
		  "1:21 LBRACE\n"
		  "1:23 MAP\n"
		  "1:24 LBRACKET\n"
		  "1:25 IDENT comm\n"
		  "1:29 RBRACKET\n"
		  "1:31 ASSIGN\n"
		  "1:33 IDENT count\n"
		  "1:38 LPAREN\n"
		  "1:39 RPAREN\n"
		  "1:40 SEMI\n"
		  "1:42 RBRACE\n"
		  "1:43 EOF\n");

	/* ',' inside a predicate or a ply condition does not start a spec */
	CHECK_STR(dump("k:f /f(a, b)/ {}", NULL),
		  "1:1 PROBE k:f\n1:5 SLASH\n1:6 IDENT f\n1:7 LPAREN\n"
		  "1:8 IDENT a\n1:9 COMMA\n1:11 IDENT b\n1:12 RPAREN\n"
		  "1:13 SLASH\n1:15 LBRACE\n1:16 RBRACE\n1:17 EOF\n");
	CHECK_STR(dump("k:f if (f(a, b)) {}", NULL),
		  "1:1 PROBE k:f\n1:5 IDENT if\n1:8 LPAREN\n1:9 IDENT f\n"
		  "1:10 LPAREN\n1:11 IDENT a\n1:12 COMMA\n1:14 IDENT b\n"
		  "1:15 RPAREN\n1:16 RPAREN\n1:18 LBRACE\n1:19 RBRACE\n1:20 EOF\n");
}

static void test_numbers(void)
{
	int rc;

	CHECK(first("{1_000").kind == TOK_LBRACE, "brace");
	CHECK_STR(dump("{ 1_000 0x1f 0xFF_FF 0 010 18446744073709551615 }", &rc),
		  "1:1 LBRACE\n"
		  "1:3 INT 1000\n"
		  "1:9 INT 31\n"
		  "1:14 INT 65535\n"
		  "1:22 INT 0\n"
		  "1:24 INT 10\n"
		  "1:28 INT 18446744073709551615\n"
		  "1:49 RBRACE\n"
		  "1:50 EOF\n");
	CHECK(rc == 0, "rc %d", rc);

	/* ranges are INT DOTDOT INT, not a number with a dot */
	CHECK_STR(dump("{1..10}", NULL),
		  "1:1 LBRACE\n1:2 INT 1\n1:3 DOTDOT\n1:5 INT 10\n1:7 RBRACE\n1:8 EOF\n");

	dump("{ 18446744073709551616 }", &rc);
	CHECK(rc < 0, "overflow accepted");
	CHECK(strstr(unit_errbuf, "<test>:1:3: error: integer literal does not fit in 64 bits"),
	      "%s", unit_errbuf);
	dump("{ 12ab }", &rc);
	CHECK(rc < 0 && strstr(unit_errbuf, "1:5: error: invalid character 'a' in integer literal"),
	      "%s", unit_errbuf);
	dump("{ 0x }", &rc);
	CHECK(rc < 0 && strstr(unit_errbuf, "1:3: error: hexadecimal literal without digits"),
	      "%s", unit_errbuf);
}

static void test_strings(void)
{
	struct source src;
	struct lexer lx;
	struct token t;
	int rc;

	source_from_string(&src, "<test>", "{ \"a\\n\\t\\\\\\\"\\0z\\x41\\101\\1234\" }");
	lex_init(&lx, &src);
	t = lex_next(&lx);
	tok_free(&t);
	t = lex_next(&lx);
	CHECK(t.kind == TOK_STRING, "kind %s", tok_name(t.kind));
	CHECK(t.len == 11, "len %zu", t.len);
	CHECK(memcmp(t.text, "a\n\t\\\"\0zAAS4", 12) == 0, "bytes");
	tok_free(&t);
	CHECK(lx.errors == 0, "errors %d", lx.errors);

	CHECK_STR(dump("{ \"hi\\n\" \"\" }", NULL),
		  "1:1 LBRACE\n1:3 STRING \"hi\\n\"\n1:10 STRING \"\"\n1:13 RBRACE\n1:14 EOF\n");

	dump("{ \"abc\n }", &rc);
	CHECK(rc < 0 && strstr(unit_errbuf, "<test>:1:3: error: unterminated string"), "%s", unit_errbuf);
	dump("{ \"a\\qb\" }", &rc);
	CHECK(rc < 0 && strstr(unit_errbuf, "1:6: error: unknown escape sequence '\\q'"), "%s", unit_errbuf);
	dump("{ \"\\xzz\" }", &rc);
	CHECK(rc < 0 && strstr(unit_errbuf, "\\x used with no following hex digits"), "%s", unit_errbuf);
}

static void test_comments(void)
{
	int rc;

	CHECK_STR(dump("#!/usr/bin/env wisp\n"
		       "#include <linux/sched.h>\n"
		       "// a comment\n"
		       "/* one\n two */ BEGIN # ply comment\n"
		       "{ x // y\n /* } */ }\n", &rc),
		  "5:9 PROBE BEGIN\n"
		  "6:1 LBRACE\n"
		  "6:3 IDENT x\n"
		  "7:10 RBRACE\n"
		  "8:1 EOF\n");
	CHECK(rc == 0, "rc %d", rc);

	dump("BEGIN { /* never closed }", &rc);
	CHECK(rc < 0 && strstr(unit_errbuf, "<test>:1:9: error: unterminated comment"), "%s", unit_errbuf);
}

static void test_operators(void)
{
	static const enum tok_kind want[] = {
		TOK_LBRACE, TOK_LPAREN, TOK_RPAREN, TOK_LBRACKET, TOK_RBRACKET,
		TOK_COMMA, TOK_SEMI, TOK_COLON, TOK_QUESTION, TOK_DOT, TOK_ARROW,
		TOK_DOTDOT, TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH, TOK_PERCENT,
		TOK_AMP, TOK_PIPE, TOK_CARET, TOK_TILDE, TOK_BANG, TOK_SHL,
		TOK_SHR, TOK_LT, TOK_GT, TOK_LE, TOK_GE, TOK_EQ, TOK_NE,
		TOK_ANDAND, TOK_OROR, TOK_INC, TOK_DEC, TOK_ASSIGN,
		TOK_ADD_ASSIGN, TOK_SUB_ASSIGN, TOK_MUL_ASSIGN, TOK_DIV_ASSIGN,
		TOK_MOD_ASSIGN, TOK_AND_ASSIGN, TOK_OR_ASSIGN, TOK_XOR_ASSIGN,
		TOK_SHL_ASSIGN, TOK_SHR_ASSIGN, TOK_RBRACE, TOK_EOF,
	};
	const char *text = "{ ( ) [ ] , ; : ? . -> .. + - * / % & | ^ ~ ! << >> "
			   "< > <= >= == != && || ++ -- = += -= *= /= %= &= |= "
			   "^= <<= >>= }";
	struct source src;
	struct lexer lx;

	source_from_string(&src, "<test>", text);
	lex_init(&lx, &src);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct token t = lex_next(&lx);

		CHECK(t.kind == want[i], "token %zu: got %s want %s", i,
		      tok_name(t.kind), tok_name(want[i]));
		if (t.kind != TOK_EOF && t.kind != TOK_LBRACE && t.kind != TOK_RBRACE)
			CHECK(strncmp(text + t.loc.col - 1, tok_spelling(t.kind),
				      strlen(tok_spelling(t.kind))) == 0,
			      "spelling of %s at col %d", tok_name(t.kind), t.loc.col);
		tok_free(&t);
	}
	CHECK(lx.errors == 0, "errors %d", lx.errors);

	/* maximal munch without spaces */
	CHECK_STR(dump("{a<<=b>>c->d&&e||f!=g}", NULL),
		  "1:1 LBRACE\n1:2 IDENT a\n1:3 SHL_ASSIGN\n1:6 IDENT b\n1:7 SHR\n"
		  "1:9 IDENT c\n1:10 ARROW\n1:12 IDENT d\n1:13 ANDAND\n1:15 IDENT e\n"
		  "1:16 OROR\n1:18 IDENT f\n1:19 NE\n1:21 IDENT g\n1:22 RBRACE\n1:23 EOF\n");

	CHECK_STR(tok_spelling(TOK_SHL_ASSIGN), "<<=");
	CHECK_STR(tok_spelling(TOK_EOF), "end of input");
	CHECK_STR(tok_name(TOK_ADD_ASSIGN), "ADD_ASSIGN");
}

static void test_names(void)
{
	int rc;

	CHECK_STR(dump("{ $x $_y1 $1 $12 $# @ @m @_a9 x_1 }", &rc),
		  "1:1 LBRACE\n"
		  "1:3 VAR x\n"
		  "1:6 VAR _y1\n"
		  "1:11 POSPARAM 1\n"
		  "1:14 POSPARAM 12\n"
		  "1:18 POSPARAM -1\n"
		  "1:21 MAP\n"
		  "1:23 MAP m\n"
		  "1:26 MAP _a9\n"
		  "1:31 IDENT x_1\n"
		  "1:35 RBRACE\n"
		  "1:36 EOF\n");
	CHECK(rc == 0, "rc %d", rc);
	CHECK(first("{$#").kind == TOK_LBRACE, "lbrace");

	/* an error is reported and lexing goes on with the next token */
	CHECK_STR(dump("{ $ x ` y }", &rc),
		  "1:1 LBRACE\n1:5 IDENT x\n1:9 IDENT y\n1:11 RBRACE\n1:12 EOF\n");
	CHECK(rc < 0, "rc %d", rc);
	CHECK(strstr(unit_errbuf, "<test>:1:3: error: expected a name, a number or '#' after '$'"),
	      "%s", unit_errbuf);
	CHECK(strstr(unit_errbuf, "<test>:1:7: error: unexpected character '`'"), "%s", unit_errbuf);
}

static void test_diag(void)
{
	static const char *const names[] = { "printf", "pid", "comm", "count", "nsecs" };
	struct source src;
	int before = diag_error_count();

	source_from_string(&src, "f.wt", "BEGIN {\n\t@x = foo;\n}\n");
	capture_start();
	diag_error(((struct loc){ &src, 2, 7 }), "unknown identifier '%s'", "foo");
	diag_warning(((struct loc){ &src, 1, 1 }), "just a warning");
	diag_note(((struct loc){ NULL, 0, 0 }), "no location");
	capture_end();
	CHECK_STR(unit_errbuf,
		  "f.wt:2:7: error: unknown identifier 'foo'\n"
		  "\t@x = foo;\n"
		  "\t     ^\n"
		  "f.wt:1:1: warning: just a warning\n"
		  "BEGIN {\n"
		  "^\n"
		  "wisp: note: no location\n");
	CHECK(diag_error_count() == before + 1, "count %d", diag_error_count());

	CHECK_STR(diag_closest("prinft", names, 5), "printf");
	CHECK_STR(diag_closest("pidd", names, 5), "pid");
	CHECK_STR(diag_closest("cmm", names, 5), "comm");
	CHECK(diag_closest("xyzzy", names, 5) == NULL, "no suggestion");
	CHECK(diag_closest("nsec", names, 5) != NULL, "nsecs");
}

static void test_source(void)
{
	char path[] = "/tmp/wisp_test_XXXXXX";
	struct source src;
	int fd = mkstemp(path);

	CHECK(fd >= 0, "mkstemp");
	CHECK(write(fd, "BEGIN { }\n", 10) == 10, "write");
	close(fd);
	CHECK(source_read_file(&src, path) == 0, "read");
	CHECK_STR(src.text, "BEGIN { }\n");
	CHECK(src.len == 10, "len %zu", src.len);
	CHECK_STR(src.name, path);
	free((char *)src.text);
	unlink(path);
	CHECK(source_read_file(&src, "/nonexistent/x") < 0, "missing file");
}

static void test_types(void)
{
	char buf[32];

	CHECK_STR(type_name(type_int(8, true), buf, sizeof(buf)), "int64");
	CHECK_STR(type_name(type_int(1, false), buf, sizeof(buf)), "uint8");
	CHECK_STR(type_name(type_str(64), buf, sizeof(buf)), "string[64]");
	CHECK_STR(type_name((struct type){ .kind = TYPE_PTR, .size = 8 }, buf, sizeof(buf)),
		  "pointer");
	CHECK_STR(type_name((struct type){ .kind = TYPE_COUNT }, buf, sizeof(buf)), "count");
	CHECK_STR(type_name((struct type){ .kind = TYPE_SUM }, buf, sizeof(buf)), "sum");
	CHECK_STR(type_name((struct type){ .kind = TYPE_HIST }, buf, sizeof(buf)), "hist");
	CHECK_STR(type_name((struct type){ .kind = TYPE_VOID }, buf, sizeof(buf)), "void");
	CHECK_STR(type_name((struct type){ .kind = TYPE_NONE }, buf, sizeof(buf)), "none");
	CHECK(type_equal(type_int(4, true), type_int(4, true)), "int32 == int32");
	CHECK(!type_equal(type_int(4, true), type_int(4, false)), "int32 != uint32");
	CHECK(!type_equal(type_str(16), type_str(64)), "string sizes");
	CHECK(!type_equal(type_str(8), type_int(8, true)), "kinds");
}

int main(void)
{
	test_specs();
	test_predicates();
	test_numbers();
	test_strings();
	test_comments();
	test_operators();
	test_names();
	test_diag();
	test_source();
	test_types();
	return unit_done("lexer");
}
