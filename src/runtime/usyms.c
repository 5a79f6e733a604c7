/* usyms.c - user addresses to function names: /proc/PID/maps says which
 * file is mapped at an address and from which file offset; the ELF
 * program headers turn that offset into the address the file's symbol
 * tables use (which is how PIE executables and shared libraries, loaded
 * anywhere, are handled the same way as fixed executables); .symtab and
 * .dynsym, read with libelf, name it.
 *
 * A process's maps are read afresh for each value (a stack, a usym):
 * they change with dlopen and exec, and pids are reused, so a cached copy
 * could name the wrong function. The symbols of a file are what costs,
 * and those are cached for good, by path, device and inode, so that a
 * replaced library is read again. Files that cannot be read are cached
 * too, as empty, not to be retried at every frame.
 *
 * Not handled, and printed as addresses like any unknown frame: the vdso,
 * JIT code (perf-PID.map files), separate debug files other than
 * /usr/lib/debug/.build-id ones, and processes that have exited.
 */
#include <fcntl.h>
#include <limits.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "syms.h"
#include "../sys/elfsyms.h"

struct usym_sym {
	uint64_t addr, size;
	uint32_t name; /* offset in names */
	uint8_t rank;  /* among aliases the lowest wins: global functions */
};

/* A PT_LOAD segment: file bytes [off, off + filesz) are at vaddr. */
struct usym_seg {
	uint64_t off, filesz, vaddr;
};

struct usym_elf {
	struct usym_elf *next;
	char *path;
	unsigned long long dev, ino;
	struct usym_seg *segs;
	size_t nsegs;
	struct usym_sym *syms;
	size_t nsyms, cap;
	char *names;
	size_t nlen, ncap;
};

struct usym_map {
	uint64_t start, end, off;
	unsigned long long dev, ino;
	char *path;
	struct usym_elf *elf; /* found at the first lookup in the mapping */
};

struct usym_proc {
	int pid;
	struct usym_map *maps;
	size_t n;
};

static struct usym_elf *usym_cache;

static void usym_add(struct usym_elf *u, const char *name, const GElf_Sym *s)
{
	size_t len = strlen(name);
	int type = GELF_ST_TYPE(s->st_info), bind = GELF_ST_BIND(s->st_info);
	void *p;

	if (u->nsyms == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 256;

		p = realloc(u->syms, cap * sizeof(*u->syms));
		if (!p)
			return;
		u->syms = p;
		u->cap = cap;
	}
	if (u->nlen + len + 1 > u->ncap) {
		size_t ncap = u->ncap ? 2 * u->ncap : 4096;

		while (u->nlen + len + 1 > ncap)
			ncap *= 2;
		p = realloc(u->names, ncap);
		if (!p)
			return;
		u->names = p;
		u->ncap = ncap;
	}
	memcpy(u->names + u->nlen, name, len + 1);
	u->syms[u->nsyms++] = (struct usym_sym){
		.addr = s->st_value,
		.size = s->st_size,
		.name = u->nlen,
		.rank = (bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 2 : 4) +
			(type == STT_OBJECT),
	};
	u->nlen += len + 1;
}

struct usym_read {
	struct usym_elf *u;
	bool symtab;
};

static int usym_read_one(const char *name, const GElf_Sym *s, unsigned table,
			 void *ctx)
{
	struct usym_read *r = ctx;
	int type = GELF_ST_TYPE(s->st_info);

	r->symtab |= table == SHT_SYMTAB;
	if (type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_OBJECT)
		usym_add(r->u, name, s);
	return 0;
}

/* Add the functions and objects of every symbol table of e; returns
 * whether e has a .symtab (else only the exported names are known). */
static bool usym_read_tables(struct usym_elf *u, Elf *e)
{
	struct usym_read r = { u, false };

	elf_each_sym(e, usym_read_one, &r);
	return r.symtab;
}

/* /usr/lib/debug/.build-id/ab/cdef....debug for e's GNU build id, where
 * distributions install the .symtab they strip; "" when e has none. */
static void usym_debug_path(Elf *e, char *buf, size_t len)
{
	Elf_Scn *scn = NULL;

	buf[0] = '\0';
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *d;
		size_t off = 0, noff, doff, i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE ||
		    !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
			const unsigned char *id = (const unsigned char *)d->d_buf + doff;

			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)d->d_buf + noff, "GNU", 4) ||
			    nh.n_descsz < 2 || len < 2 * nh.n_descsz + 40)
				continue;
			n = snprintf(buf, len, "/usr/lib/debug/.build-id/%02x/", id[0]);
			for (i = 1; i < nh.n_descsz; i++)
				n += snprintf(buf + n, len - n, "%02x", id[i]);
			snprintf(buf + n, len - n, ".debug");
			return;
		}
	}
}

static void usym_read_debug(struct usym_elf *u, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *e;

	if (fd < 0)
		return;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (e) {
		usym_read_tables(u, e);
		elf_end(e);
	}
	close(fd);
}

static int usym_cmp(const void *pa, const void *pb)
{
	const struct usym_sym *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return (int)a->rank - (int)b->rank;
}

/* Read the segments and symbols of the file open at fd into u. */
static void usym_read_elf(struct usym_elf *u, int fd)
{
	char debug[PATH_MAX];
	Elf *e;
	GElf_Phdr ph;
	size_t nph, i, j;

	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e)
		return;
	if (elf_kind(e) != ELF_K_ELF || elf_getphdrnum(e, &nph) != 0)
		goto out;
	u->segs = calloc(nph ? nph : 1, sizeof(*u->segs));
	for (i = 0; u->segs && i < nph; i++)
		if (gelf_getphdr(e, i, &ph) && ph.p_type == PT_LOAD)
			u->segs[u->nsegs++] = (struct usym_seg){
				.off = ph.p_offset,
				.filesz = ph.p_filesz,
				.vaddr = ph.p_vaddr,
			};
	if (!usym_read_tables(u, e)) {
		usym_debug_path(e, debug, sizeof(debug));
		if (debug[0])
			usym_read_debug(u, debug);
	}
	if (!u->nsyms)
		goto out;
	qsort(u->syms, u->nsyms, sizeof(*u->syms), usym_cmp);
	/* One entry per address: the best ranked name, the largest size
	 * (.symtab and .dynsym list exported functions twice). */
	for (i = j = 0; i < u->nsyms; i++) {
		if (j && u->syms[j - 1].addr == u->syms[i].addr) {
			if (u->syms[i].size > u->syms[j - 1].size)
				u->syms[j - 1].size = u->syms[i].size;
			continue;
		}
		u->syms[j++] = u->syms[i];
	}
	u->nsyms = j;
out:
	elf_end(e);
}

/* The cached symbols of the file mapped by m, read on first use. */
static struct usym_elf *usym_elf_get(int pid, const struct usym_map *m)
{
	static bool init;
	struct usym_elf *u;
	char path[PATH_MAX + 32];
	int fd;

	for (u = usym_cache; u; u = u->next)
		if (u->ino == m->ino && u->dev == m->dev && !strcmp(u->path, m->path))
			return u;
	u = calloc(1, sizeof(*u));
	if (!u || !(u->path = strdup(m->path))) {
		free(u);
		return NULL;
	}
	u->dev = m->dev;
	u->ino = m->ino;
	u->next = usym_cache;
	usym_cache = u;
	if (!init) {
		init = true;
		elf_version(EV_CURRENT);
	}
	/* Through the process's root: it may live in another mount
	 * namespace (a container); map_files still reaches a file deleted
	 * since it was mapped (an upgraded library). */
	snprintf(path, sizeof(path), "/proc/%d/root%s", pid, m->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", pid,
			 (unsigned long long)m->start, (unsigned long long)m->end);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		fd = open(m->path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		usym_read_elf(u, fd);
		close(fd);
	}
	return u;
}

struct usym_proc *usym_proc_open(int pid)
{
	struct usym_proc *p;
	char fname[32], *line = NULL;
	size_t len = 0, cap = 0;
	FILE *f;

	if (pid <= 0)
		return NULL;
	snprintf(fname, sizeof(fname), "/proc/%d/maps", pid);
	f = fopen(fname, "r");
	if (!f)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p) {
		fclose(f);
		return NULL;
	}
	p->pid = pid;
	while (getline(&line, &len, f) > 0) {
		unsigned long long start, end, off, ino;
		unsigned major, minor;
		char perms[5], *path;
		int n = 0;

		if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end,
			   perms, &off, &major, &minor, &ino, &n) < 7 || !n)
			continue;
		path = line + n;
		path[strcspn(path, "\n")] = '\0';
		/* Anonymous memory, [heap], [stack], [vdso]: no file. */
		if (path[0] != '/')
			continue;
		if (p->n == cap) {
			void *nm;

			cap = cap ? 2 * cap : 32;
			nm = realloc(p->maps, cap * sizeof(*p->maps));
			if (!nm)
				break;
			p->maps = nm;
		}
		p->maps[p->n] = (struct usym_map){
			.start = start, .end = end, .off = off,
			.dev = (unsigned long long)major << 32 | minor, .ino = ino,
			.path = strdup(path),
		};
		if (p->maps[p->n].path)
			p->n++;
	}
	free(line);
	fclose(f);
	return p;
}

void usym_proc_close(struct usym_proc *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		free(p->maps[i].path);
	free(p->maps);
	free(p);
}

/* The symbol of u covering vaddr. Functions may have aliases and
 * zero-size markers in between: look a few entries back. */
static const char *usym_elf_lookup(const struct usym_elf *u, uint64_t vaddr,
				   uint64_t *off)
{
	size_t lo = 0, hi = u->nsyms, i;

	if (!hi || vaddr < u->syms[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (u->syms[mid].addr <= vaddr)
			lo = mid;
		else
			hi = mid;
	}
	for (i = lo + 1; i-- > 0 && lo - i < 4;) {
		const struct usym_sym *s = &u->syms[i];

		if (vaddr - s->addr < s->size || (!s->size && vaddr == s->addr)) {
			if (off)
				*off = vaddr - s->addr;
			return u->names + s->name;
		}
	}
	return NULL;
}

const char *usym_proc_lookup(struct usym_proc *p, uint64_t addr, uint64_t *off)
{
	struct usym_map *m = NULL;
	uint64_t foff;
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < p->n; i++) {
		if (addr >= p->maps[i].start && addr < p->maps[i].end) {
			m = &p->maps[i];
			break;
		}
	}
	if (!m)
		return NULL;
	if (!m->elf)
		m->elf = usym_elf_get(p->pid, m);
	if (!m->elf)
		return NULL;
	/* Where the address is in the file, then where the segment holding
	 * that file offset was linked to be. */
	foff = addr - m->start + m->off;
	for (i = 0; i < m->elf->nsegs; i++) {
		const struct usym_seg *s = &m->elf->segs[i];

		if (foff >= s->off && foff - s->off < s->filesz)
			return usym_elf_lookup(m->elf, foff - s->off + s->vaddr, off);
	}
	return NULL;
}

const char *usym_lookup(int pid, uint64_t addr, uint64_t *off)
{
	struct usym_proc *p = usym_proc_open(pid);
	const char *name = usym_proc_lookup(p, addr, off);

	usym_proc_close(p);
	return name;
}
