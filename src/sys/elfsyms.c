/* elfsyms.c - the symbols of a user binary, for uprobes, uaddr() and
 * user stacks: names from .symtab and .dynsym (libelf), and for each
 * function the offset in the file, which is what the kernel's uprobes
 * take.
 *
 * A symbol's value is a virtual address in the ELF file's own layout,
 * whatever the binary is (fixed executable, PIE, shared object); the
 * PT_LOAD program header that maps it gives its file offset:
 * offset = vaddr - p_vaddr + p_offset. Nothing depends on where a process
 * has actually mapped the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfsyms.h"

struct elf_file {
	int fd;
	Elf *elf;
	GElf_Phdr *loads; /* the PT_LOAD headers */
	size_t nloads;
};

static void elf_file_close(struct elf_file *ef)
{
	free(ef->loads);
	if (ef->elf)
		elf_end(ef->elf);
	if (ef->fd >= 0)
		close(ef->fd);
}

/* Open path as an executable or shared object and read its PT_LOAD
 * headers. Returns 0, or -1 with errno set (ENOEXEC: not such an ELF). */
static int elf_file_open(const char *path, struct elf_file *ef)
{
	GElf_Ehdr eh;
	size_t nph;
	int err = ENOEXEC;

	memset(ef, 0, sizeof(*ef));
	ef->fd = -1;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		errno = ENOSYS;
		return -1;
	}
	ef->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ef->fd < 0)
		return -1;
	ef->elf = elf_begin(ef->fd, ELF_C_READ_MMAP, NULL);
	/* relocatable objects and core files have nothing to probe */
	if (!ef->elf || elf_kind(ef->elf) != ELF_K_ELF || !gelf_getehdr(ef->elf, &eh) ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) ||
	    elf_getphdrnum(ef->elf, &nph) != 0)
		goto fail;
	ef->loads = calloc(nph ? nph : 1, sizeof(*ef->loads));
	if (!ef->loads) {
		err = ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(ef->elf, i, &ph) && ph.p_type == PT_LOAD)
			ef->loads[ef->nloads++] = ph;
	}
	return 0;
fail:
	elf_file_close(ef);
	errno = err;
	return -1;
}

static int elf_file_offset(const struct elf_file *ef, unsigned long long vaddr,
			   bool exec_only, unsigned long long *offset)
{
	const GElf_Phdr *best = NULL;

	/* Some linkers emit overlapping segments; code lives in the
	 * executable one, so that one wins. */
	for (size_t i = 0; i < ef->nloads; i++) {
		const GElf_Phdr *ph = &ef->loads[i];

		if (vaddr < ph->p_vaddr || vaddr - ph->p_vaddr >= ph->p_filesz ||
		    (exec_only && !(ph->p_flags & PF_X)))
			continue;
		if (!best || ((ph->p_flags & PF_X) && !(best->p_flags & PF_X)))
			best = ph;
	}
	if (!best) {
		errno = ERANGE;
		return -1;
	}
	*offset = vaddr - best->p_vaddr + best->p_offset;
	return 0;
}

int elf_vaddr_to_offset(const char *path, unsigned long long vaddr,
			unsigned long long *offset)
{
	struct elf_file ef;
	int ret;

	if (elf_file_open(path, &ef) < 0)
		return -1;
	/* an address typed by hand: a breakpoint in data would corrupt it */
	ret = elf_file_offset(&ef, vaddr, true, offset);
	elf_file_close(&ef);
	if (ret < 0)
		errno = ERANGE;
	return ret;
}

static int elf_sym_cmp(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int elf_syms_add(struct elf_syms *syms, size_t *cap, const char *name,
			const GElf_Sym *sym, unsigned long long offset)
{
	const char *at = strchr(name, '@');
	struct elf_sym *s;

	if (syms->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct elf_sym *v = realloc(syms->v, ncap * sizeof(*v));

		if (!v)
			return -1;
		syms->v = v;
		*cap = ncap;
	}
	s = &syms->v[syms->n];
	/* .symtab of unstripped binaries spells "malloc@@GLIBC_2.2.5" */
	s->name = at ? strndup(name, at - name) : strdup(name);
	if (!s->name)
		return -1;
	s->addr = sym->st_value;
	s->size = sym->st_size;
	s->offset = offset;
	s->ifunc = GELF_ST_TYPE(sym->st_info) == STT_GNU_IFUNC;
	syms->n++;
	return 0;
}

int elf_each_sym(Elf *e, int (*fn)(const char *name, const GElf_Sym *sym,
				   unsigned table, void *ctx), void *ctx)
{
	Elf_Scn *scn = NULL;
	int r = 0;

	while (!r && (scn = elf_nextscn(e, scn))) {
		Elf_Data *data;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; !r && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, i, &sym))
				break;
			if (sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
				continue;
			name = elf_strptr(e, sh.sh_link, sym.st_name);
			if (name && *name)
				r = fn(name, &sym, sh.sh_type, ctx);
		}
	}
	return r;
}

struct syms_load {
	struct elf_file *ef;
	struct elf_syms *syms;
	size_t cap;
};

/* elf_syms_load's callback: the functions, at their file offsets */
static int syms_load_one(const char *name, const GElf_Sym *s, unsigned table,
			 void *ctx)
{
	struct syms_load *sl = ctx;
	int type = GELF_ST_TYPE(s->st_info);
	GElf_Sym sym = *s;
	unsigned long long off;

	(void)table;
	if (type != STT_FUNC && type != STT_GNU_IFUNC)
		return 0;
#ifdef __arm__
	/* the low bit marks Thumb code, not an address */
	sym.st_value &= ~1ULL;
#endif
	if (elf_file_offset(sl->ef, sym.st_value, false, &off) < 0)
		return 0;
	return elf_syms_add(sl->syms, &sl->cap, name, &sym, off) < 0 ? -1 : 0;
}

int elf_syms_load(const char *path, struct elf_syms *syms)
{
	struct elf_file ef;
	struct syms_load sl = { &ef, syms, 0 };
	size_t kept = 0;

	syms->v = NULL;
	syms->n = 0;
	if (elf_file_open(path, &ef) < 0)
		return -1;
	if (elf_each_sym(ef.elf, syms_load_one, &sl) < 0) {
		elf_file_close(&ef);
		elf_syms_free(syms);
		errno = ENOMEM;
		return -1;
	}
	elf_file_close(&ef);

	/* a function is in both tables when the binary is not stripped */
	if (syms->n)
		qsort(syms->v, syms->n, sizeof(*syms->v), elf_sym_cmp);
	for (size_t i = 0; i < syms->n; i++) {
		if (kept && elf_sym_cmp(&syms->v[kept - 1], &syms->v[i]) == 0) {
			free(syms->v[i].name);
			continue;
		}
		syms->v[kept++] = syms->v[i];
	}
	syms->n = kept;
	return 0;
}

void elf_syms_free(struct elf_syms *syms)
{
	for (size_t i = 0; i < syms->n; i++)
		free(syms->v[i].name);
	free(syms->v);
	syms->v = NULL;
	syms->n = 0;
}

/* Which of two names for one address to show: the shortest ("malloc"
 * over "__libc_malloc"), then the first in order, so that runs agree. */
static bool elf_name_better(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return la != lb ? la < lb : strcmp(a, b) < 0;
}

static int elf_ptr_offset_cmp(const void *a, const void *b)
{
	const struct elf_sym *x = *(const struct elf_sym *const *)a;
	const struct elf_sym *y = *(const struct elf_sym *const *)b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return elf_name_better(x->name, y->name) ? -1 :
	       elf_name_better(y->name, x->name);
}

static int elf_ptr_name_cmp(const void *a, const void *b)
{
	const struct elf_sym *x = *(const struct elf_sym *const *)a;
	const struct elf_sym *y = *(const struct elf_sym *const *)b;

	return elf_sym_cmp(x, y);
}

long elf_syms_filter(const struct elf_syms *syms,
		     bool (*keep)(const char *name, const void *arg),
		     const void *arg, const struct elf_sym ***out)
{
	const struct elf_sym **v = malloc((syms->n ? syms->n : 1) * sizeof(*v));
	size_t n = 0, kept = 0;

	*out = NULL;
	if (!v)
		return -1;
	for (size_t i = 0; i < syms->n; i++)
		if (keep(syms->v[i].name, arg))
			v[n++] = &syms->v[i];
	/* two probes at one address would fire twice per call */
	qsort(v, n, sizeof(*v), elf_ptr_offset_cmp);
	for (size_t i = 0; i < n; i++)
		if (!kept || v[kept - 1]->offset != v[i]->offset)
			v[kept++] = v[i];
	qsort(v, kept, sizeof(*v), elf_ptr_name_cmp);
	*out = v;
	return (long)kept;
}

const struct elf_sym *elf_syms_at(const struct elf_syms *syms,
				  unsigned long long addr)
{
	const struct elf_sym *best = NULL;

	for (size_t i = 0; i < syms->n; i++) {
		const struct elf_sym *s = &syms->v[i];

		if (addr < s->addr || addr - s->addr >= (s->size ? s->size : 1))
			continue;
		if (!best || elf_name_better(s->name, best->name))
			best = s;
	}
	return best;
}

struct sym_find {
	const char *name;
	size_t len;
	unsigned long long vaddr;
};

/* elf_sym_lookup's callback: "name" or "name@VERSION", code or data */
static int sym_find_one(const char *sn, const GElf_Sym *sym, unsigned table,
			void *ctx)
{
	struct sym_find *sf = ctx;
	int type = GELF_ST_TYPE(sym->st_info);

	(void)table;
	if (type != STT_FUNC && type != STT_OBJECT && type != STT_GNU_IFUNC &&
	    type != STT_NOTYPE)
		return 0;
	if (strncmp(sn, sf->name, sf->len) || (sn[sf->len] && sn[sf->len] != '@'))
		return 0;
	sf->vaddr = sym->st_value;
	return 1;
}

int elf_sym_lookup(const char *path, const char *name, unsigned long long *vaddr,
		   unsigned long long *load_vaddr, bool *pie)
{
	struct elf_file ef;
	struct sym_find sf = { name, strlen(name), 0 };
	GElf_Ehdr eh;
	int found;

	if (elf_file_open(path, &ef) < 0)
		return -1;
	*pie = gelf_getehdr(ef.elf, &eh) && eh.e_type == ET_DYN;
	*load_vaddr = ef.nloads ? ef.loads[0].p_vaddr & ~0xfffULL : 0;
	found = elf_each_sym(ef.elf, sym_find_one, &sf);
	elf_file_close(&ef);
	if (!found) {
		errno = ENOENT;
		return -1;
	}
	*vaddr = sf.vaddr;
	return 0;
}

int elf_map_base(int pid, const char *path, unsigned long long *base)
{
	char maps[64], line[4096], file[4096];
	unsigned long long start, off;
	FILE *f;
	int ret = -1;

	snprintf(maps, sizeof(maps), "/proc/%d/maps", pid);
	f = fopen(maps, "r");
	if (!f)
		return -1;
	errno = ENOENT;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%*x %*s %llx %*s %*s %4095s", &start, &off, file) == 3 &&
		    off == 0 && !strcmp(file, path)) {
			*base = start;
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}
