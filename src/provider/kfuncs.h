/* kfuncs.h - the kernel functions a kprobe can attach to.
 *
 * The list comes from tracefs' available_filter_functions, or from the
 * text symbols of /proc/kallsyms where that file cannot be read (kernel
 * lockdown, no ftrace). It is sorted and without duplicates, so that exact
 * names and compiler clones ("name.isra.0") are found by binary search.
 */
#ifndef WISP_KFUNCS_H
#define WISP_KFUNCS_H

#include <stdbool.h>
#include <stddef.h>

struct kfuncs {
	char **names; /* sorted, unique */
	size_t n;
	const char *source; /* the file the names came from */
};

/* Parse available_filter_functions text ("name" or "name [module]" per
 * line) or /proc/kallsyms text ("addr t name [module]"; only text
 * symbols). Appends to kf; sort with kfuncs_finish. Returns 0 or -1
 * when out of memory. */
int kfuncs_parse_filter_functions(struct kfuncs *kf, const char *text);
int kfuncs_parse_kallsyms(struct kfuncs *kf, const char *text);
/* Sort and drop duplicates. */
void kfuncs_finish(struct kfuncs *kf);
void kfuncs_release(struct kfuncs *kf);

/* The running kernel's list, read once and cached. NULL with errno set
 * (and *why naming the file) when neither file could be read. */
const struct kfuncs *kfuncs_get(const char **why);

/* The text symbols of /proc/kallsyms, read once: names missing from
 * available_filter_functions may still take a kprobe. */
const struct kfuncs *kfuncs_kallsyms(void);

bool kfuncs_has(const struct kfuncs *kf, const char *name);
/* The compiler clone of name ("name.isra.0", "name.constprop.0",
 * "name.part.0"; never a ".cold" part) when name itself is not in the
 * list, else NULL. */
const char *kfuncs_clone(const struct kfuncs *kf, const char *name);
/* Call fn for each name matching the glob pattern, in order; stops
 * when fn returns nonzero and returns that value, else 0. */
int kfuncs_each_match(const struct kfuncs *kf, const char *pattern,
		      int (*fn)(const char *name, void *arg), void *arg);
/* "did you mean": the closest name, or NULL. */
const char *kfuncs_closest(const struct kfuncs *kf, const char *name);

#endif
