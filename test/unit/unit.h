/* unit.h - a minimal unit-test harness: CHECK records a failure and goes
 * on; unit_skip notes checks that cannot run here; unit_done prints
 * "name: N passed, N failed" and returns the exit status test/run.sh
 * reads: 0 passed, 1 failed, 77 skipped (the reason its last line). */
#ifndef WISP_UNIT_H
#define WISP_UNIT_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int unit_passed, unit_failed;
static char unit_skipped[512]; /* why some checks did not run, "; "-joined */

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (cond) {                                               \
			unit_passed++;                                    \
		} else {                                                  \
			unit_failed++;                                    \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                              \
			printf("\n");                                     \
		}                                                         \
	} while (0)

#define CHECK_STR(got, want)                                              \
	do {                                                              \
		const char *g_ = (got), *w_ = (want);                     \
		CHECK(g_ && strcmp(g_, w_) == 0, "\n  got:  %s\n  want: %s", \
		      g_ ? g_ : "(null)", w_);                            \
	} while (0)

/* Diagnostics go to fd 2: capture_start sends them to a temporary file
 * until capture_end, which returns what was written (a static buffer). */
static char unit_errbuf[8192];
static FILE *unit_errfile;
static int unit_saved_stderr;

static inline void capture_start(void)
{
	fflush(stderr);
	unit_errfile = tmpfile();
	unit_saved_stderr = dup(2);
	dup2(fileno(unit_errfile), 2);
}

static inline const char *capture_end(void)
{
	size_t n;

	fflush(stderr);
	dup2(unit_saved_stderr, 2);
	close(unit_saved_stderr);
	rewind(unit_errfile);
	n = fread(unit_errbuf, 1, sizeof(unit_errbuf) - 1, unit_errfile);
	unit_errbuf[n] = '\0';
	fclose(unit_errfile);
	return unit_errbuf;
}

/* Some checks cannot run here (not root, no tracefs): the test is then
 * a skip, not a pass, unless a check that did run failed. */
static inline void unit_skip(const char *reason)
{
	size_t n = strlen(unit_skipped);

	snprintf(unit_skipped + n, sizeof(unit_skipped) - n, "%s%s",
		 n ? "; " : "", reason);
}

static inline int unit_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_passed, unit_failed);
	if (unit_failed)
		return 1;
	if (unit_skipped[0]) {
		printf("%s\n", unit_skipped); /* run.sh shows it as the reason */
		return 77;
	}
	if (!unit_passed) {
		printf("FAIL %s: no check ran\n", name);
		return 1;
	}
	return 0;
}

/* text contains want. */
#define CHECK_HAS(text, want)                                              \
	CHECK(strstr((text), (want)) != NULL, "\n  want: %s\n  in:   %s",  \
	      (want), (text))

#endif
