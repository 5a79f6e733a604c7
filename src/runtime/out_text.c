/* out_text.c - wisp's default output, the text bpftrace 0.17 prints, so
 * that its users read wisp's output without surprise and the two can be
 * compared with diff. Events print as their text; maps as:
 *
 *	@name: 42                  keyless value, count, sum, min, max
 *	@name[k1, k2]: 42          keyed, sorted by value (the biggest last)
 *	@name[k]: 15               avg, sorted by average; stats print
 *	@s: count 2, average 6, total 12   "count N, average N, total N";
 *	(an empty line after the whole avg or stats map)
 *	"@name[k]: "               hist and lhist, one group per key, groups
 *	[2, 4)    3 |@@@@@   |     sorted by their total count (columns 16,
 *	(an empty line after each group)   8 and 52 wide)
 *
 * A stack key spreads over lines: "@[\n    frame\n    frame\n]: 3"
 * (frames indented 4 spaces in keys, 8 in values, as bpftrace does).
 * Quirks kept on purpose because bpftrace has them: "@h: " ends in a
 * space; an empty map prints one empty line (two for avg and stats).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "dump.h"
#include "output.h"
#include "values.h"

#define RT_HIST_BAR 52

void out_text_message(FILE *out, const char *type, const char *s,
		      size_t len, bool line)
{
	fwrite(s, 1, len, out);
	if (line)
		fputc('\n', out);
}

/* "@name[k1, k2]: " (hist and lhist go on with a newline). */
static void text_name(FILE *out, const struct rt_dump *d,
		      const unsigned char *key)
{
	const struct map_def *def = d->def;

	fputs(def->name, out);
	if (def->nkeys) {
		fputc('[', out);
		out_print_key(out, d, key, ", ", out_write_raw);
		fputc(']', out);
	}
	fputs(rt_is_hist(def->kind) ? ": \n" : ": ", out);
}

static void text_value(FILE *out, const struct rt_dump *d,
		       const struct rt_elem *e, unsigned div)
{
	const struct map_def *def = d->def;

	if (e->val && rt_has_form(def->val))
		rt_value_print(out, d->rt, def->val, e->val, d->vsize,
			       RT_INDENT_VALUE);
	else if (e->val)
		fwrite(e->val, 1, strnlen((const char *)e->val, d->vsize), out);
	else if (def->kind == MAPK_STATS)
		fprintf(out, "count %lld, average %lld, total %lld",
			(long long)e->count, (long long)e->v,
			(long long)e->total);
	else
		out_print_num(out, e->v, d->val_signed, div);
}

/* Values, counts, sums, min, max, avg and stats. */
static void text_flat(FILE *out, const struct rt_dump *d, unsigned top,
		      unsigned div)
{
	size_t i;

	for (i = rt_dump_skip(d->n, top); i < d->n; i++) {
		text_name(out, d, d->el[i].key);
		text_value(out, d, &d->el[i], div);
		fputc('\n', out);
	}
	/* bpftrace ends a map with a newline, even an empty one, and an
	 * avg or stats map with one more. */
	if (!d->n)
		fputc('\n', out);
	if (rt_is_stats(d->def->kind))
		fputc('\n', out);
}

static void text_hist_label(char *buf, size_t len, size_t bucket)
{
	static const char suffix[] = " KMGTPE";
	unsigned k = bucket - 2, lo = k / 10, hi = (k + 1) / 10;

	if (bucket == 0)
		snprintf(buf, len, "(..., 0)");
	else if (bucket == 1)
		snprintf(buf, len, "[0]");
	else if (bucket == 2)
		snprintf(buf, len, "[1]");
	else
		snprintf(buf, len, "[%u%.*s, %u%.*s)", 1u << (k % 10), lo != 0,
			 &suffix[lo], 1u << ((k + 1) % 10), hi != 0, &suffix[hi]);
}

/* An lhist bound as bpftrace writes it: 2048 is "2K", 3145728 "3M". */
static void text_lhist_number(char *buf, size_t len, int64_t n)
{
	if (n != 0 && n % (1 << 20) == 0)
		snprintf(buf, len, "%lldM", (long long)(n / (1 << 20)));
	else if (n != 0 && n % 1024 == 0)
		snprintf(buf, len, "%lldK", (long long)(n / 1024));
	else
		snprintf(buf, len, "%lld", (long long)n);
}

static void text_lhist_label(char *buf, size_t len, const struct map_def *def,
			     size_t i, size_t nb)
{
	char a[32], b[32];

	if (i == 0) {
		text_lhist_number(a, sizeof(a), def->lhist_min);
		snprintf(buf, len, "(..., %s)", a);
	} else if (i == nb - 1) {
		text_lhist_number(a, sizeof(a), def->lhist_max);
		snprintf(buf, len, "[%s, ...)", a);
	} else {
		text_lhist_number(a, sizeof(a),
				  def->lhist_min + (int64_t)(i - 1) * def->lhist_step);
		text_lhist_number(b, sizeof(b),
				  def->lhist_min + (int64_t)i * def->lhist_step);
		snprintf(buf, len, "[%s, %s)", a, b);
	}
}

/* Rows from the lowest to the highest non-zero bucket, bars scaled to the
 * biggest: bpftrace's columns, and its float arithmetic for the bar. The
 * counts shown are divided by div, the bars are not. */
static void text_buckets(FILE *out, const struct map_def *def,
			 const uint64_t *b, size_t nb, unsigned div)
{
	static const char bar[] = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";
	size_t i, lo, hi;
	uint64_t max = out_bucket_span(b, nb, &lo, &hi);
	char label[96];
	int w;

	for (i = lo; lo < nb && i <= hi; i++) {
		if (def->kind == MAPK_HIST)
			text_hist_label(label, sizeof(label), i);
		else
			text_lhist_label(label, sizeof(label), def, i, nb);
		w = (int)((float)b[i] / (float)max * RT_HIST_BAR);
		fprintf(out, "%-16s%8llu |%-*.*s|\n", label,
			(unsigned long long)(b[i] / div), RT_HIST_BAR, w, bar);
	}
}

static void text_hists(FILE *out, const struct rt_dump *d, unsigned top,
		       unsigned div)
{
	size_t i;

	for (i = rt_dump_skip(d->ngrp, top); i < d->ngrp; i++) {
		const struct rt_group *g = &d->grp[i];

		text_name(out, d, d->el[g->first].key);
		text_buckets(out, d->def, rt_group_buckets(d, g), d->nb, div);
		fputc('\n', out);
	}
	if (!d->ngrp)
		fputc('\n', out);
}

void out_text_map(FILE *out, const struct rt_dump *d, unsigned top,
		  unsigned div)
{
	if (rt_is_hist(d->def->kind))
		text_hists(out, d, top, div);
	else
		text_flat(out, d, top, div);
}

void out_text_maps_begin(FILE *out)
{
	/* bpftrace's two blank lines before the maps */
	fputs("\n\n", out);
}

/* On stderr: the output proper stays what the program printed. */
void out_text_attached(FILE *out, int nprobes)
{
	fprintf(stderr, "Attaching %d probe%s...\n", nprobes,
		nprobes == 1 ? "" : "s");
}

/* On stderr too: a warning for the user, not output. */
void out_text_loss(FILE *out, const struct rt_loss *l)
{
	switch (l->kind) {
	case LOSS_EVENTS:
		fprintf(stderr, "wisp: %llu event%s lost\n", l->n, l->n == 1 ? "" : "s");
		break;
	case LOSS_UNREAD:
		fprintf(stderr, "wisp: %llu event%s not printed: tracing was stopped by a signal\n",
			l->n, l->n == 1 ? "" : "s");
		break;
	case LOSS_MAP_FULL:
		fprintf(stderr, "wisp: %s: %llu update%s dropped, map full (%u entr%s)\n",
			l->map, l->n, l->n == 1 ? "" : "s", l->limit,
			l->limit == 1 ? "y" : "ies");
		break;
	case LOSS_STR_CUT:
		fprintf(stderr, "wisp: %llu string%s filled the %u-byte buffer of str() and may be cut (WISP_STRLEN sets its size)\n",
			l->n, l->n == 1 ? "" : "s", l->limit);
		break;
	case LOSS_STACK:
		fprintf(stderr, "wisp: %llu stack%s not recorded (the stack map was full, or two stacks collided): printed empty\n",
			l->n, l->n == 1 ? "" : "s");
		break;
	}
}

const struct output_format out_text = {
	.name = "text",
	.help = "the default",
	.printf_event = rt_fmt_print,
	.value_event = rt_fmt_print,
	.message = out_text_message,
	.map = out_text_map,
	.maps_begin = out_text_maps_begin,
	.attached = out_text_attached,
	.loss = out_text_loss,
};
