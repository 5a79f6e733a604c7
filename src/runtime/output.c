/* output.c - the table of output formats (output.h) that -f looks names
 * up in, and the pieces of a map's text that several formats print alike:
 * key fields, divided numbers, the span of a histogram's buckets.
 */
#include <stdlib.h>
#include <string.h>
#include "dump.h"
#include "output.h"
#include "values.h"

/* Explicit, not gathered by the linker: a static link keeps them all. */
const struct output_format *const output_formats[] = {
	&out_text,
	&out_json,
	&out_folded,
	NULL,
};

const struct output_format *output_find(const char *name)
{
	size_t i;

	for (i = 0; output_formats[i]; i++)
		if (!strcmp(output_formats[i]->name, name))
			return output_formats[i];
	return NULL;
}

const struct output_format *rt_output(const struct runtime *rt)
{
	return rt && rt->fmt ? rt->fmt : output_formats[0];
}

void out_write_raw(FILE *out, const char *s, size_t len)
{
	fwrite(s, 1, len, out);
}

void out_print_field(FILE *out, const struct rt_dump *d, struct type t,
		     const unsigned char *p, int indent, out_write_fn *write)
{
	uint64_t v;
	char *text;
	size_t len;

	if (rt_has_form(t)) {
		text = rt_value_text(d->rt, t, p, t.size, indent, &len);
		if (text)
			write(out, text, len);
		free(text);
		return;
	}
	if (t.kind == TYPE_STR) {
		write(out, (const char *)p, strnlen((const char *)p, t.size));
		return;
	}
	v = rt_read_int(p, t.size, t.is_signed);
	if (t.kind == TYPE_PTR)
		fprintf(out, "0x%llx", (unsigned long long)v);
	else if (t.is_signed)
		fprintf(out, "%lld", (long long)v);
	else
		fprintf(out, "%llu", (unsigned long long)v);
}

void out_print_key(FILE *out, const struct rt_dump *d,
		   const unsigned char *key, const char *sep,
		   out_write_fn *write)
{
	const struct map_def *def = d->def;
	int i;

	for (i = 0; i < def->nkeys && i < MAP_MAX_KEYS; i++) {
		if (i)
			fputs(sep, out);
		out_print_field(out, d, def->keys[i], key + def->key_off[i],
				RT_INDENT_KEY, write);
	}
}

void out_print_num(FILE *out, uint64_t v, bool is_signed, unsigned div)
{
	if (is_signed)
		fprintf(out, "%lld", (long long)((int64_t)v / (int64_t)div));
	else
		fprintf(out, "%llu", (unsigned long long)(v / div));
}

uint64_t out_bucket_span(const uint64_t *b, size_t nb, size_t *lo,
			 size_t *hi)
{
	uint64_t max = 0;
	size_t i;

	*lo = nb;
	*hi = 0;
	for (i = 0; i < nb; i++) {
		if (!b[i])
			continue;
		if (*lo == nb)
			*lo = i;
		*hi = i;
		if (b[i] > max)
			max = b[i];
	}
	return max;
}
