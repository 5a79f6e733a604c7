/* kfuncs.c - the list of kernel functions kprobes can attach to.
 *
 * available_filter_functions is what bpftrace filters wildcards with: the
 * functions ftrace can trace, which leaves out notrace code that a kprobe
 * would refuse anyway. It is unreadable under lockdown and absent without
 * ftrace, so /proc/kallsyms' text symbols stand in (a superset: some of
 * those refuse to be probed, which attaching then reports). Both hold
 * ~60k names with duplicates (static functions of the same name in
 * several files); the list is sorted once so that exact names, clones and
 * literal wildcard prefixes are binary searches.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "provider.h"
#include "../sys/fs.h"
#include "../sys/kallsyms.h"
#include "kfuncs.h"

static int kfuncs_add(struct kfuncs *kf, const char *name, size_t len,
		      size_t *cap)
{
	char *s;

	if (kf->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4096;
		char **nn = realloc(kf->names, ncap * sizeof(*nn));

		if (!nn)
			return -1;
		kf->names = nn;
		*cap = ncap;
	}
	s = strndup(name, len);
	if (!s)
		return -1;
	kf->names[kf->n++] = s;
	return 0;
}

/* A ".cold" part is the unlikely tail of a function split off by the
 * compiler: probing it is never what "func" meant. */
static bool kfuncs_is_cold(const char *name, size_t len)
{
	return memmem(name, len, ".cold", 5) != NULL;
}

int kfuncs_parse_filter_functions(struct kfuncs *kf, const char *text)
{
	size_t cap = kf->n;

	for (const char *p = text; *p;) {
		const char *eol = strchrnul(p, '\n');
		size_t len = strcspn(p, " \t\n");

		if (len && !kfuncs_is_cold(p, len) &&
		    kfuncs_add(kf, p, len, &cap) < 0)
			return -1;
		p = *eol ? eol + 1 : eol;
	}
	return 0;
}

struct kfuncs_build {
	struct kfuncs *kf;
	size_t cap;
};

/* kfuncs_parse_kallsyms' callback: the functions, whatever their address
 * (kptr_restrict shows zeros; the names still take kprobes). */
static int kfuncs_add_kallsyms(uint64_t addr, char type, const char *name,
			       const char *module, void *arg)
{
	struct kfuncs_build *b = arg;
	size_t len = strlen(name);

	if (type != 't' && type != 'T')
		return 0;
	/* __pfx_ symbols are the padding in front of each function (6.2+
	 * call depth tracking), not functions. */
	if (kfuncs_is_cold(name, len) || strncmp(name, "__pfx_", 6) == 0)
		return 0;
	return kfuncs_add(b->kf, name, len, &b->cap);
}

int kfuncs_parse_kallsyms(struct kfuncs *kf, const char *text)
{
	struct kfuncs_build b = { kf, kf->n };

	return kallsyms_parse(text, kfuncs_add_kallsyms, &b) ? -1 : 0;
}

static int kfuncs_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void kfuncs_finish(struct kfuncs *kf)
{
	size_t out = 0;

	if (!kf->n)
		return;
	qsort(kf->names, kf->n, sizeof(*kf->names), kfuncs_cmp);
	for (size_t i = 0; i < kf->n; i++) {
		if (out && strcmp(kf->names[out - 1], kf->names[i]) == 0)
			free(kf->names[i]);
		else
			kf->names[out++] = kf->names[i];
	}
	kf->n = out;
}

void kfuncs_release(struct kfuncs *kf)
{
	for (size_t i = 0; i < kf->n; i++)
		free(kf->names[i]);
	free(kf->names);
	kf->names = NULL;
	kf->n = 0;
}


/* Read and parse path into kf (kallsyms text or not). Returns 0, or -1
 * with errno set. */
static int kfuncs_load(struct kfuncs *kf, const char *path, bool kallsyms)
{
	char *text = sys_read_file(path);
	int ret;

	if (!text)
		return -1;
	kf->source = path;
	ret = kallsyms ? kfuncs_parse_kallsyms(kf, text) :
			 kfuncs_parse_filter_functions(kf, text);
	free(text);
	if (ret < 0) {
		kfuncs_release(kf);
		errno = ENOMEM;
		return -1;
	}
	kfuncs_finish(kf);
	if (!kf->n) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

const struct kfuncs *kfuncs_kallsyms(void)
{
	static struct kfuncs kf;
	static bool tried;
	static int err;

	if (!tried) {
		tried = true;
		if (kfuncs_load(&kf, provider_kallsyms_file ? provider_kallsyms_file
							    : "/proc/kallsyms", true) < 0)
			err = errno;
	}
	errno = err;
	return kf.n ? &kf : NULL;
}

const struct kfuncs *kfuncs_get(const char **why)
{
	static struct kfuncs kf;
	static const struct kfuncs *list;
	static bool tried;
	static int err;
	static char path[256];
	const char *tfs;

	*why = path;
	if (tried) {
		errno = err;
		return list;
	}
	tried = true;

	/* WISP_KPROBE_NO_FILTER=1 (for tests) takes kallsyms, as under
	 * lockdown; a described kernel has only its kallsyms file. */
	tfs = getenv("WISP_KPROBE_NO_FILTER") || provider_kallsyms_file ? NULL
								     : tracefs_path();
	if (tfs) {
		snprintf(path, sizeof(path), "%s/available_filter_functions",
			 tfs);
		if (kfuncs_load(&kf, path, false) == 0)
			return list = &kf;
	}
	snprintf(path, sizeof(path), "%s",
		 provider_kallsyms_file ? provider_kallsyms_file : "/proc/kallsyms");
	list = kfuncs_kallsyms();
	err = errno;
	return list;
}

/* The first index whose name is >= key (n when none). */
static size_t kfuncs_lower_bound(const struct kfuncs *kf, const char *key,
				 size_t keylen)
{
	size_t lo = 0, hi = kf->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strncmp(kf->names[mid], key, keylen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool kfuncs_has(const struct kfuncs *kf, const char *name)
{
	size_t i = kfuncs_lower_bound(kf, name, strlen(name) + 1);

	return i < kf->n && strcmp(kf->names[i], name) == 0;
}

const char *kfuncs_clone(const struct kfuncs *kf, const char *name)
{
	size_t len = strlen(name);
	size_t i;

	if (kfuncs_has(kf, name))
		return NULL;
	/* "name." sorts right after "name" and before "name_x" ('.' <
	 * '_'), but after "name-x": scan the range that starts with name. */
	for (i = kfuncs_lower_bound(kf, name, len);
	     i < kf->n && strncmp(kf->names[i], name, len) == 0; i++) {
		const char *s = kf->names[i];

		if (s[len] == '.' && !kfuncs_is_cold(s, strlen(s)))
			return s;
	}
	return NULL;
}

int kfuncs_each_match(const struct kfuncs *kf, const char *pattern,
		      int (*fn)(const char *name, void *arg), void *arg)
{
	/* Names sharing the pattern's literal prefix are contiguous. */
	size_t plen = strcspn(pattern, "*?");

	for (size_t i = kfuncs_lower_bound(kf, pattern, plen);
	     i < kf->n && strncmp(kf->names[i], pattern, plen) == 0; i++) {
		int ret;

		if (!provider_glob(pattern, kf->names[i]))
			continue;
		ret = fn(kf->names[i], arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* A lower bound of the edit distance from the letters used: each edit
 * changes the counts by at most 2. */
static size_t kfuncs_count_bound(const unsigned char *ca, const char *b)
{
	unsigned char cb[128] = { 0 };
	size_t diff = 0;

	for (; *b; b++)
		cb[(unsigned char)*b & 127]++;
	for (int c = 0; c < 128; c++)
		diff += ca[c] > cb[c] ? ca[c] - cb[c] : cb[c] - ca[c];
	return (diff + 1) / 2;
}

const char *kfuncs_closest(const struct kfuncs *kf, const char *name)
{
	/* diag_closest on 60k names costs a second; only names within its
	 * distance limit by length and letter counts can win, and those
	 * are a few hundred. */
	size_t len = strlen(name), limit = len / 3 ? len / 3 : 1;
	unsigned char ca[128] = { 0 };
	const char **cand, *best;
	size_t n = 0;

	cand = malloc(kf->n * sizeof(*cand));
	if (!cand)
		return NULL;
	for (const char *p = name; *p; p++)
		ca[(unsigned char)*p & 127]++;
	for (size_t i = 0; i < kf->n; i++) {
		size_t l = strlen(kf->names[i]);

		if (l + limit < len || l > len + limit)
			continue;
		if (kfuncs_count_bound(ca, kf->names[i]) > limit)
			continue;
		cand[n++] = kf->names[i];
	}
	best = diag_closest(name, cand, n);
	free(cand);
	return best;
}
