/* kallsyms.c - kernel addresses to function names, from /proc/kallsyms.
 *
 * The file is read once, at the first lookup: most programs print no
 * kernel symbol, and the file is a hundred thousand lines or more. Only
 * text symbols are kept (bcc, which bpftrace uses, drops data symbols
 * too), sorted by address in one array searched by bisection: a frame
 * belongs to the last symbol at or below it, without a size check, since
 * kallsyms gives no sizes.
 *
 * Several names often share an address (aliases, section markers). bcc
 * picks one depending on its sort's internal order; the last one listed
 * is what it ends up with most often, and is what we keep.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kallsyms.h"

struct ksym {
	uint64_t addr;
	uint32_t name; /* offset in ksym_names */
	uint32_t seq;  /* line number: ties keep the last listed */
};

static struct ksym *ksym_tab;
static size_t ksym_n;
static char *ksym_names;
static bool ksym_tried;

static int ksym_cmp(const void *pa, const void *pb)
{
	const struct ksym *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool ksym_is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

long ksym_load(const char *path)
{
	FILE *f = fopen(path, "r");
	struct ksym *tab = NULL, *nt;
	char *names = NULL, *nn, line[1024];
	size_t n = 0, cap = 0, nlen = 0, ncap = 0, len, i, j;
	uint32_t seq = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p, *name;
		unsigned long long addr = strtoull(line, &p, 16);

		seq++;
		/* "addr type name[\t[module]]": kptr_restrict shows zeros,
		 * which would make every address resolve to the last name. */
		if (p == line || addr == 0 || p[0] != ' ' || !ksym_is_text(p[1]) ||
		    p[2] != ' ')
			continue;
		name = p + 3;
		len = strcspn(name, "\t\n ");
		if (!len)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16384;
			nt = realloc(tab, cap * sizeof(*tab));
			if (!nt)
				goto fail;
			tab = nt;
		}
		if (nlen + len + 1 > ncap) {
			ncap = ncap ? 2 * ncap : 1 << 18;
			while (nlen + len + 1 > ncap)
				ncap *= 2;
			nn = realloc(names, ncap);
			if (!nn)
				goto fail;
			names = nn;
		}
		memcpy(names + nlen, name, len);
		names[nlen + len] = '\0';
		tab[n++] = (struct ksym){ .addr = addr, .name = nlen, .seq = seq };
		nlen += len + 1;
	}
	fclose(f);
	if (n)
		qsort(tab, n, sizeof(*tab), ksym_cmp);
	/* Keep the last name of each address. */
	for (i = j = 0; i < n; i++) {
		if (i + 1 < n && tab[i + 1].addr == tab[i].addr)
			continue;
		tab[j++] = tab[i];
	}
	free(ksym_tab);
	free(ksym_names);
	ksym_tab = tab;
	ksym_n = j;
	ksym_names = names;
	ksym_tried = true;
	return (long)j;
fail:
	fclose(f);
	free(tab);
	free(names);
	return -1;
}

const char *ksym_lookup(uint64_t addr, uint64_t *off)
{
	size_t lo = 0, hi;

	if (!ksym_tried) {
		ksym_tried = true;
		ksym_load("/proc/kallsyms");
	}
	hi = ksym_n;
	if (!hi || addr < ksym_tab[0].addr)
		return NULL;
	/* The last entry at or below addr: tab[lo].addr <= addr always. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ksym_tab[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (off)
		*off = addr - ksym_tab[lo].addr;
	return ksym_names + ksym_tab[lo].name;
}
