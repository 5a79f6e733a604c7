/* diag.c - diagnostics in GNU form, "did you mean" suggestions and
 * reading the program text.
 *
 * A diagnostic is three lines: "file:line:col: error: message", the source
 * line, and a caret under the column. The caret line copies the tabs of
 * the source line so that the caret lines up whatever the tab width of the
 * terminal is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "limits.h"

/* The only mutable global of the front end: main asks it whether to go on. */
static int diag_errors;

static const char *diag_level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "error";
}

/* Start of 1-based line `line` in src, or NULL when the text is shorter. */
static const char *diag_line_start(const struct source *src, int line)
{
	const char *p = src->text, *end = src->text + src->len;

	for (int l = 1; l < line; l++) {
		p = memchr(p, '\n', end - p);
		if (!p)
			return NULL;
		p++;
	}
	return p;
}

static void diag_show_line(const struct source *src, struct loc loc)
{
	const char *start = diag_line_start(src, loc.line);
	const char *end = src->text + src->len;
	const char *eol;
	size_t n;

	if (!start)
		return;
	eol = memchr(start, '\n', end - start);
	n = (eol ? eol : end) - start;
	if (n && start[n - 1] == '\r')
		n--;
	fprintf(stderr, "%.*s\n", (int)n, start);
	for (int i = 0; i < loc.col - 1; i++)
		fputc(i < (int)n && start[i] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
}

void diag_vreport(enum diag_level level, struct loc loc, const char *fmt,
		  va_list ap)
{
	if (level == DIAG_ERROR)
		diag_errors++;
	/* A broken program can make an error per token; each shows its
	 * line, found from the start: past a hundred, count only. */
	if (diag_errors > LIMIT_ERRORS_SHOWN) {
		if (level == DIAG_ERROR && diag_errors == LIMIT_ERRORS_SHOWN + 1)
			fprintf(stderr, "wisp: error: too many errors; the others are not shown\n");
		return;
	}

	if (!loc.src || loc.line <= 0) {
		fprintf(stderr, "wisp: %s: ", diag_level_name(level));
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return;
	}
	if (loc.col > 0)
		fprintf(stderr, "%s:%d:%d: %s: ", loc.src->name, loc.line,
			loc.col, diag_level_name(level));
	else
		fprintf(stderr, "%s:%d: %s: ", loc.src->name, loc.line,
			diag_level_name(level));
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	if (loc.col > 0)
		diag_show_line(loc.src, loc);
}

void diag_report(enum diag_level level, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(level, loc, fmt, ap);
	va_end(ap);
}

int diag_error_count(void)
{
	return diag_errors;
}

/* Levenshtein distance with one row of the matrix. */
static size_t diag_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = malloc((lb + 1) * sizeof(*row));
	size_t d;

	if (!row)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *diag_closest(const char *name, const char *const *candidates,
			 size_t n)
{
	size_t limit = strlen(name) / 3, best_d = (size_t)-1;
	const char *best = NULL;

	if (limit < 1)
		limit = 1;
	for (size_t i = 0; i < n; i++) {
		size_t d;

		if (!candidates[i])
			continue;
		d = diag_distance(name, candidates[i]);
		if (d <= limit && d < best_d) {
			best = candidates[i];
			best_d = d;
		}
	}
	return best;
}

int source_read_file(struct source *src, const char *path)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	size_t cap = 4096, len = 0;
	char *buf;
	int err = 0;

	if (!f)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		size_t got;

		/* one byte past the limit is enough for the parser to
		 * say where the program got too long (/dev/zero ends) */
		if (len > LIMIT_PROGRAM_BYTES)
			break;
		if (len + 1 >= cap) {
			char *nbuf = realloc(buf, cap * 2);

			if (!nbuf) {
				err = -ENOMEM;
				goto out;
			}
			buf = nbuf;
			cap *= 2;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0) {
			if (ferror(f))
				err = errno ? -errno : -EIO;
			break;
		}
	}
out:
	if (!is_stdin)
		fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = '\0';
	src->name = is_stdin ? "<stdin>" : path;
	src->text = buf;
	src->len = len;
	return 0;
}

void source_from_string(struct source *src, const char *name, const char *text)
{
	src->name = name;
	src->text = text;
	src->len = strlen(text);
}
