/* out_folded.c - -f folded: text, except that a map whose key holds a
 * stack prints one line per element, "field;outer_frame;...;inner_frame
 * value": the other key fields first, then user frames, then kernel
 * frames, callers before callees, which is what flame graph tools read.
 */
#include <stdio.h>
#include "dump.h"
#include "output.h"
#include "values.h"

/* Maps keyed by a stack whose value is one number fold; others print as
 * text. */
static bool folded_applies(const struct rt_dump *d)
{
	int i;

	if (!d->int_val || d->def->kind == MAPK_STATS ||
	    rt_is_hist(d->def->kind))
		return false;
	for (i = 0; i < d->def->nkeys && i < MAP_MAX_KEYS; i++)
		if (d->def->keys[i].kind == TYPE_STACK)
			return true;
	return false;
}

/* Text as one folded frame: ';' separates frames and a newline ends the
 * line, so neither may appear inside one. */
static void folded_write(FILE *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fputc(s[i] == ';' || s[i] == '\n' || s[i] == '\r' ? '_' : s[i],
		      out);
}

/* "[unknown]" stands for a stack the kernel could not take. */
static void folded_map(FILE *out, const struct rt_dump *d, unsigned top,
		       unsigned div)
{
	const struct map_def *def = d->def;
	int k, pass, frames;
	bool first;
	size_t i;

	if (!folded_applies(d)) {
		out_text_map(out, d, top, div);
		return;
	}
	for (i = rt_dump_skip(d->n, top); i < d->n; i++) {
		const unsigned char *key = d->el[i].key;

		first = true;
		frames = 0;
		for (k = 0; k < def->nkeys && k < MAP_MAX_KEYS; k++) {
			if (def->keys[k].kind == TYPE_STACK)
				continue;
			if (!first)
				fputc(';', out);
			first = false;
			out_print_field(out, d, def->keys[k],
					key + def->key_off[k], 0, folded_write);
		}
		/* A user program calls into the kernel: user frames first. */
		for (pass = 0; pass < 2; pass++)
			for (k = 0; k < def->nkeys && k < MAP_MAX_KEYS; k++)
				if (def->keys[k].kind == TYPE_STACK &&
				    type_is_ustack(def->keys[k]) == (pass == 0))
					frames += rt_stack_fold(out, d->rt, def->keys[k],
								key + def->key_off[k],
								def->keys[k].size,
								&first);
		if (!frames)
			fputs(first ? "[unknown]" : ";[unknown]", out);
		fputc(' ', out);
		out_print_num(out, d->el[i].v, d->val_signed, div);
		fputc('\n', out);
	}
}

const struct output_format out_folded = {
	.name = "folded",
	.help = "stack maps as folded lines for flame graphs",
	.printf_event = rt_fmt_print,
	.value_event = rt_fmt_print,
	.message = out_text_message,
	.map = folded_map,
	.maps_begin = out_text_maps_begin,
	.attached = out_text_attached,
	.loss = out_text_loss,
};
