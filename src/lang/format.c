/* format.c - printf format strings, checked once at compile time: the
 * conversions a format has and the arguments they take. printf.c applies
 * them to each event record at run time.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tables.h"

/* Larger widths are almost certainly typos, and would let one event print
 * megabytes of padding. */
#define FMT_MAX_WIDTH 4096

static const char fmt_convs[] = "diuxXocsp%vr";

/* Quote the conversion text fmt[start, end) plus any UTF-8 continuation
 * bytes, so a bad multibyte character is shown whole. */
static char *fmt_quote(const char *fmt, size_t start, size_t end)
{
	char *s = NULL;

	while (((unsigned char)fmt[end] & 0xc0) == 0x80)
		end++;
	if (asprintf(&s, "invalid conversion '%.*s' in format",
		     (int)(end - start), fmt + start) < 0)
		s = NULL;
	return s;
}

static int fmt_number(const char *fmt, size_t *i)
{
	int n = 0;

	while (fmt[*i] >= '0' && fmt[*i] <= '9') {
		if (n <= FMT_MAX_WIDTH)
			n = n * 10 + (fmt[*i] - '0');
		(*i)++;
	}
	return n;
}

int fmt_parse_one(const char *fmt, size_t start, struct fmt_spec *s,
		  size_t *end, char **err)
{
	size_t i = start + 1;
	int nflags = 0;

	memset(s, 0, sizeof(*s));
	s->width = s->prec = -1;
	while (fmt[i] && strchr("-+ #0", fmt[i])) {
		if (!strchr(s->flags, fmt[i]))
			s->flags[nflags++] = fmt[i];
		i++;
	}
	if (fmt[i] >= '0' && fmt[i] <= '9')
		s->width = fmt_number(fmt, &i);
	if (fmt[i] == '.') {
		i++;
		s->prec = fmt_number(fmt, &i);
	}
	if (fmt[i] == 'h' || fmt[i] == 'l') {
		if (fmt[i + 1] == fmt[i])
			i++;
		i++;
	} else if (fmt[i] && strchr("zjt", fmt[i])) {
		i++;
	}
	if (!fmt[i]) {
		if (err)
			*err = strdup("incomplete conversion at end of format");
		return -1;
	}
	if (!strchr(fmt_convs, fmt[i]) || s->width > FMT_MAX_WIDTH ||
	    s->prec > FMT_MAX_WIDTH) {
		if (err)
			*err = fmt_quote(fmt, start, i + 1);
		return -1;
	}
	s->conv = fmt[i];
	*end = i + 1;
	return 0;
}

int fmt_parse(const char *fmt, struct fmt_conv **convs, int *nconvs,
	      char **err, size_t *err_pos)
{
	struct fmt_conv *v = NULL;
	int n = 0, cap = 0, nargs = 0;
	size_t i = 0;

	while (fmt[i]) {
		struct fmt_spec s;
		size_t end;

		if (fmt[i] != '%') {
			i++;
			continue;
		}
		if (fmt_parse_one(fmt, i, &s, &end, err) < 0) {
			if (err_pos)
				*err_pos = i;
			free(v);
			*convs = NULL;
			*nconvs = 0;
			return -1;
		}
		if (n == cap) {
			struct fmt_conv *nv;

			cap = cap ? 2 * cap : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				if (err)
					*err = strdup("out of memory");
				if (err_pos)
					*err_pos = i;
				*convs = NULL;
				*nconvs = 0;
				return -1;
			}
			v = nv;
		}
		v[n++] = (struct fmt_conv){ .start = i, .end = end, .conv = s.conv };
		if (s.conv != '%')
			nargs++;
		i = end;
	}
	*convs = v;
	*nconvs = n;
	return nargs;
}
