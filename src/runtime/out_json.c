/* out_json.c - -f json: one JSON object per line, in the shape bpftrace
 * 0.17 prints: {"type": "printf", "data": "..."} for events; for a map
 * {"type": "map" | "stats" | "hist", "data": {"@name": value}}, or
 * {"@name": {"k1,k2": value, ...}} when it has keys, hist values lists of
 * {"min", "max", "count"} objects, an empty map nothing. Values with a
 * form of their own (symbols, stacks...) are their text in a string.
 *
 * Escaping follows bpftrace (\" \\ \n \r \t, other control characters as
 * \u00XX) with one difference kept on purpose: bpftrace turns every byte
 * above 0x7f into "\uffffffXX", which no JSON parser accepts. wisp passes
 * valid UTF-8 through unchanged and writes each byte that is not part of
 * a valid UTF-8 sequence as \u00XX, so that the output is always JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dump.h"
#include "json.h"
#include "output.h"
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

/* The data is the text alone, line or not: readers split objects, not
 * lines. */
static void json_message(FILE *out, const char *type, const char *s,
			 size_t len, bool line)
{
	json_print_message(out, type, s, len);
}

/* {"type": "<type>", "data": {"@name": [{] ... [}]}} around a map. */
static void json_map_open(FILE *out, const struct map_def *def)
{
	const char *type = rt_is_hist(def->kind)  ? "hist" :
			   rt_is_stats(def->kind) ? "stats" :
						    "map";

	fprintf(out, "{\"type\": \"%s\", \"data\": {", type);
	json_print_str(out, def->name, strlen(def->name));
	fputs(def->nkeys ? ": {" : ": ", out);
}

static void json_map_close(FILE *out, const struct map_def *def)
{
	fputs(def->nkeys ? "}}}\n" : "}}\n", out);
}

/* "\"k1,k2\": ", nothing for a keyless map. */
static void json_key(FILE *out, const struct rt_dump *d,
		     const unsigned char *key)
{
	if (!d->def->nkeys)
		return;
	fputc('"', out);
	out_print_key(out, d, key, ",", json_escape);
	fputs("\": ", out);
}

static void json_value(FILE *out, const struct rt_dump *d,
		       const struct rt_elem *e, unsigned div)
{
	const struct map_def *def = d->def;

	if (e->val && rt_has_form(def->val))
		rt_value_json(out, d->rt, def->val, e->val, d->vsize,
			      RT_INDENT_VALUE);
	else if (e->val)
		json_print_str(out, (const char *)e->val,
			       strnlen((const char *)e->val, d->vsize));
	else if (def->kind == MAPK_STATS)
		fprintf(out, "{\"count\": %lld, \"average\": %lld, \"total\": %lld}",
			(long long)e->count, (long long)e->v,
			(long long)e->total);
	else
		out_print_num(out, e->v, d->val_signed, div);
}

/* {"min": ..., "max": ..., "count": ...}: the bucket's inclusive bounds;
 * the open-ended first and last buckets have only one. */
static void json_bucket(FILE *out, const struct map_def *def, size_t i,
			size_t nb, uint64_t count)
{
	int64_t lo, hi;
	uint64_t p;

	fputc('{', out);
	if (def->kind == MAPK_HIST) {
		if (i == 0) {
			fputs("\"max\": -1, ", out);
		} else if (i == 1) {
			fputs("\"min\": 0, \"max\": 0, ", out);
		} else {
			/* Unsigned: the top bucket reaches 2^64 - 1. */
			p = (uint64_t)1 << (i - 2);
			fprintf(out, "\"min\": %llu, \"max\": %llu, ",
				(unsigned long long)p,
				(unsigned long long)(p + (p - 1)));
		}
	} else if (i == 0) {
		fprintf(out, "\"max\": %lld, ",
			(long long)(def->lhist_min - 1));
	} else if (i == nb - 1) {
		fprintf(out, "\"min\": %lld, ", (long long)def->lhist_max);
	} else {
		lo = def->lhist_min + (int64_t)(i - 1) * def->lhist_step;
		hi = lo + def->lhist_step - 1;
		fprintf(out, "\"min\": %lld, \"max\": %lld, ", (long long)lo,
			(long long)hi);
	}
	fprintf(out, "\"count\": %llu}", (unsigned long long)count);
}

/* The non-zero span of the buckets, as bpftrace lists them. */
static void json_buckets(FILE *out, const struct map_def *def,
			 const uint64_t *b, size_t nb, unsigned div)
{
	size_t i, lo, hi;

	out_bucket_span(b, nb, &lo, &hi);
	fputc('[', out);
	for (i = lo; lo < nb && i <= hi; i++) {
		if (i > lo)
			fputs(", ", out);
		json_bucket(out, def, i, nb, b[i] / div);
	}
	fputc(']', out);
}

static void json_map(FILE *out, const struct rt_dump *d, unsigned top,
		     unsigned div)
{
	bool hist = rt_is_hist(d->def->kind);
	size_t n = hist ? d->ngrp : d->n, skip = rt_dump_skip(n, top), i;

	if (!n)
		return;
	json_map_open(out, d->def);
	for (i = skip; i < n; i++) {
		const struct rt_group *g = hist ? &d->grp[i] : NULL;

		if (i > skip)
			fputs(", ", out);
		json_key(out, d, d->el[hist ? g->first : i].key);
		if (hist)
			json_buckets(out, d->def, rt_group_buckets(d, g),
				     d->nb, div);
		else
			json_value(out, d, &d->el[i], div);
	}
	json_map_close(out, d->def);
}

/* Every map is an object of its own: nothing to set them apart. */
static void json_maps_begin(FILE *out)
{
}

static void json_attached(FILE *out, int nprobes)
{
	fprintf(out, "{\"type\": \"attached_probes\", \"data\": {\"probes\": %d}}\n",
		nprobes);
}

/* In the stream, where JSON readers look, as bpftrace tells them. */
static void json_loss(FILE *out, const struct rt_loss *l)
{
	switch (l->kind) {
	case LOSS_EVENTS:
		fprintf(out, "{\"type\": \"lost_events\", \"data\": {\"events\": %llu}}\n",
			l->n);
		break;
	case LOSS_UNREAD:
		fprintf(out, "{\"type\": \"lost_events\", \"data\": {\"events\": %llu, \"reason\": \"stopped\"}}\n",
			l->n);
		break;
	case LOSS_MAP_FULL:
		fputs("{\"type\": \"map_full\", \"data\": {\"map\": ", out);
		json_print_str(out, l->map, strlen(l->map));
		fprintf(out, ", \"dropped\": %llu, \"max_entries\": %u}}\n", l->n,
			l->limit);
		break;
	case LOSS_STR_CUT:
		fprintf(out, "{\"type\": \"strings_cut\", \"data\": {\"strings\": %llu, \"size\": %u}}\n",
			l->n, l->limit);
		break;
	case LOSS_STACK:
		fprintf(out, "{\"type\": \"stacks_lost\", \"data\": {\"stacks\": %llu}}\n",
			l->n);
		break;
	}
}

const struct output_format out_json = {
	.name = "json",
	.help = "one JSON object per line",
	.printf_event = json_printf,
	.value_event = json_print_value,
	.message = json_message,
	.map = json_map,
	.maps_begin = json_maps_begin,
	.attached = json_attached,
	.loss = json_loss,
};
