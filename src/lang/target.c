/* target.c - target descriptions as text: the default target and the
 * parser of the files that describe one (tests pin a kernel's features
 * and architecture with them, so that a dump is the same on any machine).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "target.h"

/* The features by name, as target descriptions spell them. */
static const char *const feature_names[TF_COUNT] = {
	[TF_RINGBUF] = "ringbuf", [TF_COMPAT_READ] = "compat_read",
	[TF_FOR_EACH] = "for_each", [TF_PERCPU_LOOKUP] = "percpu_lookup",
};

bool target_has(const struct target *t, enum target_feature f)
{
	if (t->have[f] >= 0)
		return t->have[f];
	return t->probe ? t->probe(f) : false;
}

struct target target_default(void)
{
	struct target t = { .regs = regs_native(), .strlen = TARGET_STR_DEFAULT };

	for (size_t i = 0; i < TF_COUNT; i++)
		t.have[i] = 1;
	return t;
}

/* A decimal number in [min, max]. */
static int number(const char *s, long long min, long long max, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return !*s || *end || errno || *v < min || *v > max ? -1 : 0;
}

static int line_error(char **err, int line, const char *fmt, const char *what)
{
	char *msg = NULL;

	if (asprintf(&msg, fmt, what) < 0)
		msg = NULL;
	if (asprintf(err, "line %d: %s", line, msg ? msg : "out of memory") < 0)
		*err = NULL;
	free(msg);
	return -1;
}

/* dir/path, or path when it is absolute. */
static char *path_in(const char *dir, const char *path)
{
	char *s = NULL;

	if (path[0] == '/' || !dir || !*dir)
		return strdup(path);
	if (asprintf(&s, "%s/%s", dir, path) < 0)
		return NULL;
	return s;
}

static int parse_line(struct target *t, const char *dir, char *line,
		      int lineno, char **err)
{
	char *save = NULL, *key = strtok_r(line, " \t", &save), *word;
	long long v;

	if (!key || *key == '#')
		return 0;
	if (!strcmp(key, "features")) {
		memset(t->have, 0, sizeof(t->have));
		while ((word = strtok_r(NULL, " \t", &save))) {
			size_t i;

			for (i = 0; i < TF_COUNT; i++)
				if (!strcmp(word, feature_names[i]))
					break;
			if (i == TF_COUNT)
				return line_error(err, lineno, "unknown feature '%s'", word);
			t->have[i] = 1;
		}
		return 0;
	}
	word = strtok_r(NULL, " \t", &save);
	if (!word || strtok_r(NULL, " \t", &save))
		return line_error(err, lineno, "'%s' takes one value", key);
	if (!strcmp(key, "arch")) {
		t->regs = regs_for(word);
		if (!t->regs)
			return line_error(err, lineno, "unknown architecture '%s'", word);
	} else if (!strcmp(key, "strlen")) {
		if (number(word, 2, TARGET_STR_MAX, &v))
			return line_error(err, lineno, "strlen must be from 2 to 1024, not '%s'", word);
		t->strlen = (unsigned)v;
	} else if (!strcmp(key, "pid") || !strcmp(key, "cpid")) {
		if (number(word, -1, 0x3fffffff, &v))
			return line_error(err, lineno, "bad pid '%s'", word);
		*(!strcmp(key, "pid") ? &t->pid : &t->cpid) = (int)v;
	} else if (!strcmp(key, "start_ns")) {
		if (number(word, 0, INT64_MAX, &v))
			return line_error(err, lineno, "bad start_ns '%s'", word);
		t->start_ns = (uint64_t)v;
	} else if (!strcmp(key, "tracefs")) {
		free(t->tracefs);
		t->tracefs = path_in(dir, word);
	} else if (!strcmp(key, "kallsyms")) {
		free(t->kallsyms);
		t->kallsyms = path_in(dir, word);
	} else if (!strcmp(key, "btf")) {
		free(t->btf);
		t->btf = path_in(dir, word);
	} else {
		return line_error(err, lineno, "unknown key '%s'", key);
	}
	return 0;
}

int target_parse(struct target *t, const char *text, const char *dir,
		 char **err)
{
	char *copy = strdup(text);
	int lineno = 0, ret = 0;

	*err = NULL;
	if (!copy) {
		*err = strdup("out of memory");
		return -1;
	}
	/* strtok_r would skip empty lines and miscount them */
	for (char *line = copy, *next; line && !ret; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		ret = parse_line(t, dir, line, lineno, err);
	}
	free(copy);
	return ret;
}

void target_free(struct target *t)
{
	free(t->tracefs);
	free(t->kallsyms);
	free(t->btf);
	t->tracefs = t->kallsyms = t->btf = NULL;
}
