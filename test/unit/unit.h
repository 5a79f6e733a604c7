/* unit.h - a minimal unit-test harness: CHECK records a failure and goes
 * on; unit_done prints "name: N passed, N failed" and returns the status.
 * test/run.sh reads the "UNIT pass|fail name" lines. */
#ifndef WISP_UNIT_H
#define WISP_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;

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

static inline int unit_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
