/* test_printf.c - printf formats: fmt_parse accepts what C accepts (plus
 * %v) and places its errors; fmt_print renders event records like C's
 * printf with 64-bit arguments; json_printf wraps that text in
 * bpftrace's -f json message with the string escaped. */
#include <stdint.h>
#include <stdlib.h>
#include "runtime/json.h"
#include "runtime/runtime.h"
#include "unit.h"

static void parse_ok(const char *fmt, int want_args, int want_convs,
		     const char *want_kinds)
{
	struct fmt_conv *c = NULL;
	char *err = NULL, kinds[64] = "";
	size_t pos = 0;
	int n = -1, i, r;

	r = fmt_parse(fmt, &c, &n, &err, &pos);
	CHECK(r == want_args, "fmt_parse(\"%s\") = %d, want %d (%s)", fmt, r,
	      want_args, err ? err : "");
	CHECK(n == want_convs, "\"%s\": %d conversions, want %d", fmt, n,
	      want_convs);
	for (i = 0; r >= 0 && i < n && i < 63; i++)
		kinds[i] = c[i].conv;
	CHECK_STR(kinds, want_kinds);
	free(c);
	free(err);
}

static void parse_bad(const char *fmt, const char *want_err, size_t want_pos)
{
	struct fmt_conv *c = (void *)1;
	char *err = NULL;
	size_t pos = 999;
	int n = -1, r;

	r = fmt_parse(fmt, &c, &n, &err, &pos);
	CHECK(r == -1, "fmt_parse(\"%s\") = %d, want -1", fmt, r);
	CHECK_STR(err, want_err);
	CHECK(pos == want_pos, "\"%s\": error at %zu, want %zu", fmt, pos,
	      want_pos);
	CHECK(c == NULL && n == 0, "\"%s\": convs not cleared", fmt);
	free(err);
}

static void test_parse(void)
{
	struct fmt_conv *c;
	char *err = NULL;
	size_t pos;
	int n;

	parse_ok("", 0, 0, "");
	parse_ok("plain text\n", 0, 0, "");
	parse_ok("%d %s\n", 2, 2, "ds");
	parse_ok("100%% %u%%", 1, 3, "%u%");
	parse_ok("%-8s|%08llx|%+5.2d|% i|%#o|%hhu|%hd|%ld|%zu|%jd|%td|%X", 12,
		 12, "sxdioudduddX");
	parse_ok("%c%p%v%.3s%-v", 5, 5, "cpvsv");
	parse_ok("%r|%-8r", 2, 2, "rr"); /* bpftrace's buffers */

	/* Byte ranges: '%' to the conversion character. */
	CHECK(fmt_parse("ab %-10lld!", &c, &n, &err, &pos) == 1, "ranges");
	CHECK(n == 1 && c[0].start == 3 && c[0].end == 10 && c[0].conv == 'd',
	      "range %zu-%zu", c[0].start, c[0].end);
	free(c);

	parse_bad("%q", "invalid conversion '%q' in format", 0);
	parse_bad("pid %-5q\n", "invalid conversion '%-5q' in format", 4);
	parse_bad("%d %lf", "invalid conversion '%lf' in format", 3);
	parse_bad("%d %", "incomplete conversion at end of format", 3);
	parse_bad("x %08", "incomplete conversion at end of format", 2);
	parse_bad("%lll", "invalid conversion '%lll' in format", 0);
	parse_bad("%*d", "invalid conversion '%*' in format", 0);
	parse_bad("%\xc3\xa9", "invalid conversion '%\xc3\xa9' in format", 0);
	parse_bad("%99999d", "invalid conversion '%99999d' in format", 0);
}

/* A record: header, then the arguments at the offsets in args. */
struct rec {
	unsigned char b[128];
	size_t size;
	struct fmt_arg args[8];
	int nargs;
};

static void rec_init(struct rec *r, uint32_t id)
{
	uint64_t hdr = id;

	memset(r, 0, sizeof(*r));
	memcpy(r->b, &hdr, 8);
	r->size = 8;
}

static void rec_int(struct rec *r, int64_t v, unsigned size, bool is_signed)
{
	memcpy(r->b + r->size, &v, 8);
	r->args[r->nargs++] = (struct fmt_arg){ type_int(size, is_signed),
						(unsigned)r->size };
	r->size += 8;
}

static void rec_ptr(struct rec *r, uint64_t v)
{
	struct type t = { .kind = TYPE_PTR, .size = 8 };

	memcpy(r->b + r->size, &v, 8);
	r->args[r->nargs++] = (struct fmt_arg){ t, (unsigned)r->size };
	r->size += 8;
}

static void rec_str(struct rec *r, const char *s, unsigned size)
{
	strncpy((char *)r->b + r->size, s, size);
	r->args[r->nargs++] = (struct fmt_arg){ type_str(size),
						(unsigned)r->size };
	r->size += (size + 7) / 8 * 8;
}

static void print_check(const char *fmt, struct rec *r, const char *want)
{
	struct fmt_def f = { .id = EVENT_PRINTF, .fmt = (char *)fmt,
			     .nargs = r->nargs, .args = r->args,
			     .size = r->size };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	fmt_print(out, &f, r->b, r->size);
	fclose(out);
	CHECK(strcmp(buf, want) == 0, "fmt \"%s\"\n  got:  [%s]\n  want: [%s]",
	      fmt, buf, want);
	free(buf);
}

static void test_print(void)
{
	struct rec r;

	rec_init(&r, EVENT_PRINTF);
	print_check("hello\n", &r, "hello\n");
	print_check("100%%\n", &r, "100%\n");

	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, -42, 8, true);
	rec_int(&r, -1, 8, false);
	rec_int(&r, 255, 8, false);
	print_check("%d %u %x", &r, "-42 18446744073709551615 ff");
	/* %d of an unsigned argument: the conversion decides. */
	print_check("%5d|%-5d|%05d", &r, "  -42|-1   |00255");

	rec_init(&r, EVENT_PRINTF);
	for (int i = 0; i < 4; i++)
		rec_int(&r, -42, 8, true);
	print_check("[%5d|%-5d|%05d|%+d]", &r, "[  -42|-42  |-0042|-42]");

	rec_init(&r, EVENT_PRINTF);
	for (int i = 0; i < 8; i++)
		rec_int(&r, 3054, 8, true);
	print_check("%X %#x %o %08llx %-6x| %lu %i %5.3d", &r,
		    "BEE 0xbee 5756 00000bee bee   | 3054 3054  3054");
	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, 3054, 8, true);
	rec_int(&r, 7, 8, true);
	rec_int(&r, 5, 8, true);
	print_check("%x|%5.3d|% d|%+d", &r, "bee|  007| 5|%+d");

	/* Narrow types: the record holds them widened to 64 bits. */
	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, 0xffffffff, 4, true);
	rec_int(&r, -1, 4, false);
	rec_int(&r, 0x1ff, 1, false);
	rec_int(&r, -2, 2, true);
	print_check("%d %u %d %d", &r, "-1 4294967295 255 -2");

	rec_init(&r, EVENT_PRINTF);
	rec_str(&r, "bash", 16);
	rec_str(&r, "ab", 16);
	rec_str(&r, "abcdef", 16);
	rec_str(&r, "xyz", 16);
	print_check("<%s> <%-8s> <%.3s> <%6s>\n", &r,
		    "<bash> <ab      > <abc> <   xyz>\n");

	/* A string filling its buffer has no NUL: stop at type.size. */
	rec_init(&r, EVENT_PRINTF);
	rec_str(&r, "0123456789abcdefXX", 16);
	rec_int(&r, 1, 8, true);
	print_check("%s|%d", &r, "0123456789abcdef|1");

	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, 'A', 1, true);
	rec_int(&r, 'z', 8, true);
	rec_ptr(&r, 0xffff888012345678ULL);
	rec_ptr(&r, 0);
	print_check("%c%-3c| %p %p", &r, "Az  | 0xffff888012345678 0x0");

	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, -7, 8, true);
	rec_int(&r, 7, 8, false);
	rec_str(&r, "comm", 16);
	rec_ptr(&r, 0x1000);
	print_check("%v %v %v %v|", &r, "-7 7 comm 0x1000|");
	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, -7, 8, true);
	print_check("%-5v|%5v", &r, "-7   |%5v");

	/* More conversions than arguments: shown as written, not a crash. */
	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, 1, 8, true);
	print_check("%d %d %s", &r, "1 %d %s");
	/* A record cut short: the missing argument prints nothing. */
	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, 1, 8, true);
	rec_int(&r, 2, 8, true);
	r.size -= 8;
	print_check("%d,%d.", &r, "1,.");
}

static void json_check(const char *fmt, struct rec *r, const char *want)
{
	struct fmt_def f = { .id = EVENT_PRINTF, .fmt = (char *)fmt,
			     .nargs = r->nargs, .args = r->args,
			     .size = r->size };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	json_printf(out, NULL, &f, r->b, r->size);
	fclose(out);
	CHECK(strcmp(buf, want) == 0,
	      "json fmt \"%s\"\n  got:  [%s]\n  want: [%s]", fmt, buf, want);
	free(buf);
}

static void test_json(void)
{
	struct rec r;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	/* bpftrace 0.17, -f json:
	 *	printf("a\"b\\c\td\n\x01e%s\n", "q\"\\") */
	rec_init(&r, EVENT_PRINTF);
	rec_str(&r, "q\"\\", 16);
	json_check("a\"b\\c\td\n\x01" "e%s\n", &r,
		   "{\"type\": \"printf\", \"data\": "
		   "\"a\\\"b\\\\c\\td\\n\\u0001eq\\\"\\\\\\n\"}\n");

	/* Widths are applied before escaping. */
	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, 42, 8, true);
	rec_str(&r, "ab", 16);
	json_check("%5d|%-4s|\n", &r,
		   "{\"type\": \"printf\", \"data\": \"   42|ab  |\\n\"}\n");

	/* Other control characters as \u00XX, DEL as it is, a NUL from %c
	 * kept. */
	rec_init(&r, EVENT_PRINTF);
	rec_int(&r, 0, 8, false);
	json_check("\r\b\f\x1f\x7f[%c]", &r,
		   "{\"type\": \"printf\", \"data\": "
		   "\"\\r\\u0008\\u000c\\u001f\x7f[\\u0000]\"}\n");

	/* Valid UTF-8 passes; other bytes above 0x7f become \u00XX so
	 * that the line stays JSON (bpftrace writes "\uffffffXX"). */
	rec_init(&r, EVENT_PRINTF);
	rec_str(&r, "\xc3\xa9t\xc3\xa9", 16);
	json_check("%s \xf0\x9f\x90\x9d \xe2\x82\xac", &r,
		   "{\"type\": \"printf\", \"data\": "
		   "\"\xc3\xa9t\xc3\xa9 \xf0\x9f\x90\x9d \xe2\x82\xac\"}\n");
	rec_init(&r, EVENT_PRINTF);
	json_check("\xff|\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80|\xc3", &r,
		   "{\"type\": \"printf\", \"data\": "
		   "\"\\u00ff|\\u00c0\\u00af|\\u00ed\\u00a0\\u0080|\\u00e2\\u0082|"
		   "\\u00f4\\u0090\\u0080\\u0080|\\u00c3\"}\n");

	out = open_memstream(&buf, &len);
	json_print_message(out, "time", "12:00:01\n", 9);
	json_print_str(out, "a\0b", 3);
	fclose(out);
	CHECK_STR(buf, "{\"type\": \"time\", \"data\": \"12:00:01\\n\"}\n"
		       "\"a\\u0000b\"");
	free(buf);
}

int main(void)
{
	test_parse();
	test_print();
	test_json();
	return unit_done("test_printf");
}
