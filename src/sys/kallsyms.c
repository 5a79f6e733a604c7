/* kallsyms.c - the kernel's symbols, from /proc/kallsyms: the one parser
 * of its lines ("addr type name[\t[module]]"), and the views built on it.
 *
 * Addresses to names (ksym_lookup): the file is read once, at the first
 * lookup: most programs print no kernel symbol, and the file is a hundred
 * thousand lines or more. Only text symbols are kept (bcc, which bpftrace
 * uses, drops data symbols too), sorted by address in one array searched
 * by bisection: a frame belongs to the last symbol at or below it,
 * without a size check, since kallsyms gives no sizes.
 *
 * Several names often share an address (aliases, section markers). bcc
 * picks one depending on its sort's internal order; the last one listed
 * is what it ends up with most often, and is what we keep.
 *
 * A name to its address (ksym_addr): one walk per call, stopping at the
 * first symbol of that name; kaddr() asks once per use in the program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

/* Longer than any line: names are at most KSYM_NAME_LEN (512) bytes,
 * module names 56. */
#define KALLSYMS_LINE_MAX 1024

/* Parse one line (len bytes, without its newline) and call fn; 0 for a
 * line of another form. */
static int kallsyms_line(const char *line, size_t len, kallsyms_fn fn,
			 void *arg)
{
	char buf[KALLSYMS_LINE_MAX], *p, *name, *module = NULL, type;
	unsigned long long addr;
	size_t n;

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, line, len);
	buf[len] = '\0';
	addr = strtoull(buf, &p, 16);
	if (p == buf || p[0] != ' ' || !p[1] || p[1] == ' ' || p[2] != ' ')
		return 0;
	type = p[1];
	name = p + 3;
	n = strcspn(name, " \t");
	if (!n)
		return 0;
	p = name + n;
	p += strspn(p, " \t");
	name[n] = '\0';
	if (*p == '[' && (n = strcspn(p + 1, "]")) && p[1 + n] == ']') {
		module = p + 1;
		module[n] = '\0';
	}
	return fn(addr, type, name, module, arg);
}

int kallsyms_parse(const char *text, kallsyms_fn fn, void *arg)
{
	int ret = 0;

	for (const char *p = text; *p && !ret;) {
		const char *eol = strchrnul(p, '\n');

		ret = kallsyms_line(p, eol - p, fn, arg);
		p = *eol ? eol + 1 : eol;
	}
	return ret;
}

int kallsyms_read(const char *path, kallsyms_fn fn, void *arg)
{
	FILE *f = fopen(path ? path : "/proc/kallsyms", "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	if (!f)
		return -1;
	while (!ret && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		ret = kallsyms_line(line, len, fn, arg);
	}
	free(line);
	fclose(f);
	return ret;
}

bool kallsyms_is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* ---- addresses to names ---- */

struct ksym {
	uint64_t addr;
	uint32_t name; /* offset in ksym_names */
	uint32_t seq;  /* line number: ties keep the last listed */
};

static struct ksym *ksym_tab;
static size_t ksym_n;
static char *ksym_names;
static bool ksym_tried;

struct ksym_build {
	struct ksym *tab;
	size_t n, cap;
	char *names;
	size_t nlen, ncap;
	uint32_t seq;
};

static int ksym_cmp(const void *pa, const void *pb)
{
	const struct ksym *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ksym_load's callback: the text symbols with an address (kptr_restrict
 * shows zeros, which would make every address resolve to the last name). */
static int ksym_add(uint64_t addr, char type, const char *name,
		    const char *module, void *arg)
{
	struct ksym_build *b = arg;
	size_t len = strlen(name);

	(void)module;
	b->seq++;
	if (!addr || !kallsyms_is_text(type))
		return 0;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16384;
		struct ksym *nt = realloc(b->tab, cap * sizeof(*nt));

		if (!nt)
			return -1;
		b->tab = nt;
		b->cap = cap;
	}
	if (b->nlen + len + 1 > b->ncap) {
		size_t ncap = b->ncap ? 2 * b->ncap : 1 << 18;
		char *nn;

		while (b->nlen + len + 1 > ncap)
			ncap *= 2;
		nn = realloc(b->names, ncap);
		if (!nn)
			return -1;
		b->names = nn;
		b->ncap = ncap;
	}
	memcpy(b->names + b->nlen, name, len + 1);
	b->tab[b->n++] = (struct ksym){ .addr = addr, .name = b->nlen,
					.seq = b->seq };
	b->nlen += len + 1;
	return 0;
}

long ksym_load(const char *path)
{
	struct ksym_build b = { 0 };
	size_t i, j;

	if (kallsyms_read(path, ksym_add, &b) < 0) {
		free(b.tab);
		free(b.names);
		return -1;
	}
	if (b.n)
		qsort(b.tab, b.n, sizeof(*b.tab), ksym_cmp);
	/* Keep the last name of each address. */
	for (i = j = 0; i < b.n; i++) {
		if (i + 1 < b.n && b.tab[i + 1].addr == b.tab[i].addr)
			continue;
		b.tab[j++] = b.tab[i];
	}
	free(ksym_tab);
	free(ksym_names);
	ksym_tab = b.tab;
	ksym_n = j;
	ksym_names = b.names;
	ksym_tried = true;
	return (long)j;
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

/* ---- a name to its address ---- */

struct ksym_find {
	const char *name;
	uint64_t addr;
};

static int ksym_find_one(uint64_t addr, char type, const char *name,
			 const char *module, void *arg)
{
	struct ksym_find *kf = arg;

	(void)type;
	(void)module;
	if (strcmp(name, kf->name))
		return 0;
	kf->addr = addr;
	return 1;
}

bool ksym_addr_file(const char *path, const char *name, uint64_t *addr)
{
	struct ksym_find kf = { name, 0 };

	if (kallsyms_read(path, ksym_find_one, &kf) <= 0 || !kf.addr)
		return false;
	*addr = kf.addr;
	return true;
}

