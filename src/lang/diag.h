/* diag.h - source locations and diagnostics in GNU form.
 *
 * Every token and AST node carries a struct loc. Diagnostics print
 *     file:line:col: error: message
 *         the source line
 *             ^
 * with 1-based columns. Library code reports and returns; only main exits.
 */
#ifndef WISP_DIAG_H
#define WISP_DIAG_H

#include <stdarg.h>
#include <stddef.h>

/* The program text and where it came from ("<stdin>", "<cmdline>", a path). */
struct source {
	const char *name;
	const char *text; /* NUL-terminated */
	size_t len;
};

struct loc {
	const struct source *src; /* NULL for locations outside the program */
	int line;                 /* 1-based; 0 = unknown */
	int col;                  /* 1-based */
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

/* Print one diagnostic to stderr with the source line and a caret under
 * loc.col. A NULL src or line 0 prints "wisp: error: message" only.
 * After LIMIT_ERRORS_SHOWN errors, one line says so and later
 * diagnostics are counted, not printed. */
void diag_report(enum diag_level level, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_vreport(enum diag_level level, struct loc loc, const char *fmt,
		  va_list ap);

#define diag_error(loc, ...) diag_report(DIAG_ERROR, loc, __VA_ARGS__)
#define diag_warning(loc, ...) diag_report(DIAG_WARNING, loc, __VA_ARGS__)
#define diag_note(loc, ...) diag_report(DIAG_NOTE, loc, __VA_ARGS__)

/* Number of errors reported so far (warnings do not count). */
int diag_error_count(void);

/* "did you mean": the candidate closest to name by edit distance, or NULL
 * when none is close enough (distance <= max(1, strlen(name) / 3)). */
const char *diag_closest(const char *name, const char *const *candidates,
			 size_t n);

/* Read a whole file ("-" = stdin) into a struct source, but no more than
 * a byte past LIMIT_PROGRAM_BYTES (limits.h): parse_program refuses what
 * is longer. Returns 0 or -errno. */
int source_read_file(struct source *src, const char *path);
void source_from_string(struct source *src, const char *name, const char *text);

#endif
