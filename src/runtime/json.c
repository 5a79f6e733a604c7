/* json.c - JSON strings and messages for -f json, in the shape bpftrace
 * 0.17 prints: {"type": "printf", "data": "..."}, one object per line.
 *
 * Escaping follows bpftrace (\" \\ \n \r \t, other control characters as
 * \u00XX) with one difference kept on purpose: bpftrace turns every byte
 * above 0x7f into "\uffffffXX", which no JSON parser accepts. wisp passes
 * valid UTF-8 through unchanged and writes each byte that is not part of
 * a valid UTF-8 sequence as \u00XX, so that the output is always JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include "json.h"
#include "values.h"

/* Length of the valid UTF-8 sequence at s (at most left bytes), or 0.
 * Overlong forms, surrogates and code points above U+10FFFF are invalid:
 * strict parsers reject them. */
static size_t json_utf8_len(const unsigned char *s, size_t left)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0xc2)
		return 0;
	if (s[0] < 0xe0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] < 0xf0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] < 0xf5) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_escape(FILE *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	while (i < len) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (c < 0x20) {
				fprintf(out, "\\u%04x", c);
			} else if (c < 0x80) {
				fputc(c, out);
			} else if ((n = json_utf8_len(s + i, len - i)) != 0) {
				fwrite(s + i, 1, n, out);
				i += n;
				continue;
			} else {
				fprintf(out, "\\u%04x", c);
			}
		}
		i++;
	}
}

void json_print_str(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	json_escape(out, s, len);
	fputc('"', out);
}

void json_print_message(FILE *out, const char *type, const char *s,
			size_t len)
{
	fprintf(out, "{\"type\": \"%s\", \"data\": ", type);
	json_print_str(out, s, len);
	fputs("}\n", out);
}

void json_printf(FILE *out, const struct runtime *rt, const struct fmt_def *f,
		 const void *record, size_t size)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *text = open_memstream(&buf, &len);

	/* Formatting first and escaping after keeps one printf
	 * implementation: widths and padding come out as in text mode. */
	if (!text)
		return;
	rt_fmt_print(text, rt, f, record, size);
	if (fclose(text) == 0)
		json_print_message(out, "printf", buf, len);
	free(buf);
}

void json_print_value(FILE *out, const struct runtime *rt, const struct fmt_def *f,
		      const void *record, size_t size)
{
	const struct fmt_arg *a = &f->args[0];

	if (f->nargs < 1 || a->off >= size)
		return;
	fputs("{\"type\": \"value\", \"data\": ", out);
	rt_value_json(out, rt, a->type, (const char *)record + a->off, size - a->off,
		      RT_INDENT_VALUE);
	fputs("}\n", out);
}
