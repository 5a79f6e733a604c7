/* printf.c - printf formats applied to each printf event record at run
 * time (fmt_print); lang/format.c checked them at compile time.
 *
 * Every conversion is printed by building the equivalent host printf
 * format ("%-8s", "%08llx", ...) and handing it the argument with the C
 * type that format expects, so widths, flags and precisions behave exactly like C's.
 * Arguments come from the record, never from the format: integers are 8
 * bytes at args[i].off, strings type.size bytes at args[i].off. The values
 * with a form of their own (symbols, stacks, times, buffers: values.c)
 * are turned into their text first and printed as %s would print it.
 * %r, bpftrace's conversion for buffers, is %s here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"
#include "values.h"

/* Build the host format "%<flags><width>[.<prec>]<tail>" keeping only the
 * flags C defines for that conversion (others are undefined behaviour). */
static void fmt_host(char *buf, size_t len, const struct fmt_spec *s,
		     const char *allowed, bool prec, const char *tail)
{
	size_t n = 0;
	const char *f;

	buf[n++] = '%';
	for (f = s->flags; *f; f++)
		if (strchr(allowed, *f))
			buf[n++] = *f;
	if (s->width >= 0)
		n += snprintf(buf + n, len - n, "%d", s->width);
	if (prec && s->prec >= 0)
		n += snprintf(buf + n, len - n, ".%d", s->prec);
	snprintf(buf + n, len - n, "%s", tail);
}

/* The record holds integers widened to 64 bits; the argument's declared
 * size and sign say what the program meant. */
static uint64_t fmt_extend(uint64_t v, struct type t)
{
	switch (t.size) {
	case 1:
		return t.is_signed ? (uint64_t)(int64_t)(int8_t)v : (uint8_t)v;
	case 2:
		return t.is_signed ? (uint64_t)(int64_t)(int16_t)v : (uint16_t)v;
	case 4:
		return t.is_signed ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
	default:
		return v;
	}
}

static void fmt_print_str(FILE *out, const struct fmt_spec *s,
			  const unsigned char *rec, size_t size,
			  const struct fmt_arg *a)
{
	char hf[32];
	size_t max, len;

	if (a->off >= size)
		return;
	max = size - a->off;
	if (a->type.size && a->type.size < max)
		max = a->type.size;
	len = strnlen((const char *)rec + a->off, max);
	if (s->prec >= 0 && (size_t)s->prec < len)
		len = s->prec;
	fmt_host(hf, sizeof(hf), s, "-", false, ".*s");
	fprintf(out, hf, (int)len, (const char *)rec + a->off);
}

static void fmt_print_int(FILE *out, const struct fmt_spec *s,
			  const unsigned char *rec, size_t size,
			  const struct fmt_arg *a)
{
	char hf[32], buf[24];
	uint64_t v;
	char conv = s->conv;

	if (a->off + 8 > size)
		return;
	memcpy(&v, rec + a->off, 8);
	v = fmt_extend(v, a->type);
	if (conv == 'v' || conv == 's' || conv == 'r')
		conv = a->type.kind == TYPE_PTR ? 'p' :
		       a->type.is_signed	  ? 'd' :
						    'u';
	switch (conv) {
	case 'd':
	case 'i':
		fmt_host(hf, sizeof(hf), s, "-+ 0", true, "lld");
		fprintf(out, hf, (long long)v);
		break;
	case 'u':
		fmt_host(hf, sizeof(hf), s, "-0", true, "llu");
		fprintf(out, hf, (unsigned long long)v);
		break;
	case 'x':
	case 'X':
	case 'o':
		fmt_host(hf, sizeof(hf), s, "-0#", true,
			 conv == 'x' ? "llx" : conv == 'X' ? "llX" : "llo");
		fprintf(out, hf, (unsigned long long)v);
		break;
	case 'c':
		fmt_host(hf, sizeof(hf), s, "-", false, "c");
		fprintf(out, hf, (int)(unsigned char)v);
		break;
	case 'p':
		/* glibc's %p says "(nil)" for 0; a tracer wants the number. */
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
		fmt_host(hf, sizeof(hf), s, "-", false, "s");
		fprintf(out, hf, buf);
		break;
	}
}

static void fmt_print_value(FILE *out, const struct runtime *rt,
			    const struct fmt_spec *s, const unsigned char *rec,
			    size_t size, const struct fmt_arg *a)
{
	char hf[32], *text;
	size_t len;

	if (a->off >= size)
		return;
	/* Stacks indent their frames as in map values, as bpftrace does. */
	text = rt_value_text(rt, a->type, rec + a->off, size - a->off,
			     RT_INDENT_VALUE, &len);
	if (!text)
		return;
	if (s->prec >= 0 && (size_t)s->prec < len)
		len = s->prec;
	fmt_host(hf, sizeof(hf), s, "-", false, ".*s");
	fprintf(out, hf, (int)len, text);
	free(text);
}

void fmt_print(FILE *out, const struct fmt_def *f, const void *record,
	       size_t size)
{
	rt_fmt_print(out, NULL, f, record, size);
}

void rt_fmt_print(FILE *out, const struct runtime *rt, const struct fmt_def *f,
		  const void *record, size_t size)
{
	const char *fmt = f->fmt;
	size_t i = 0, lit = 0;
	int argi = 0;

	while (fmt[i]) {
		struct fmt_spec s;
		size_t end;

		if (fmt[i] != '%') {
			i++;
			continue;
		}
		fwrite(fmt + lit, 1, i - lit, out);
		/* fmt_parse accepted the format at compile time: a failure
		 * here means a corrupt definition; show the rest as text. */
		if (fmt_parse_one(fmt, i, &s, &end, NULL) < 0) {
			lit = i;
			break;
		}
		if (s.conv == '%') {
			fputc('%', out);
		} else if (argi >= f->nargs) {
			fwrite(fmt + i, 1, end - i, out);
		} else {
			const struct fmt_arg *a = &f->args[argi++];

			if (a->type.kind == TYPE_STR)
				fmt_print_str(out, &s, record, size, a);
			else if (rt_has_form(a->type))
				fmt_print_value(out, rt, &s, record, size, a);
			else
				fmt_print_int(out, &s, record, size, a);
		}
		i = lit = end;
	}
	fputs(fmt + lit, out);
}
