/* libpath.c - find the file a uprobe names: "uprobe:libc:malloc" must
 * reach the libc.so.6 the dynamic linker would load, "uprobe:bash:readline"
 * the bash the shell would run.
 *
 * Libraries are looked up as ld.so does: /etc/ld.so.cache first (parsed
 * here, since there is no library call that reads it), then the standard
 * directories. Only files of wisp's own architecture count: the cache
 * also lists i386 libraries on an amd64 system, and /usr/lib holds linker
 * scripts named libc.so.
 */
#include <ctype.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfsyms.h"

#define LIB_CACHE_FILE "/etc/ld.so.cache"
#define LIB_CACHE_OLD "ld.so-1.7.0"
#define LIB_CACHE_NEW "glibc-ld.so.cache1.1"
#define LIB_OLD_HDR 16   /* magic[11], padding, u32 nlibs */
#define LIB_OLD_ENTRY 12 /* i32 flags, u32 key, u32 value */
#define LIB_NEW_HDR 48   /* magic and version[20], nlibs, len_strings, ... */
#define LIB_NEW_ENTRY 24 /* i32 flags, u32 key, value, osversion, u64 hwcap */

#if defined(__x86_64__)
#define LIB_TRIPLET "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define LIB_TRIPLET "aarch64-linux-gnu"
#elif defined(__arm__)
#define LIB_TRIPLET "arm-linux-gnueabihf"
#elif defined(__riscv) && __riscv_xlen == 64
#define LIB_TRIPLET "riscv64-linux-gnu"
#elif defined(__i386__)
#define LIB_TRIPLET "i386-linux-gnu"
#else
#define LIB_TRIPLET "unknown-linux-gnu"
#endif

static const char *const lib_std_dirs[] = {
	"/lib", "/usr/lib", "/lib/" LIB_TRIPLET, "/usr/lib/" LIB_TRIPLET,
	"/lib64", "/usr/lib64",
};

bool lib_name_matches(const char *want, const char *file)
{
	size_t wl = strlen(want);
	const char *t;

	/* "c" and "libc" alike */
	if (strncmp(want, "lib", 3) != 0) {
		if (strncmp(file, "lib", 3) != 0)
			return false;
		file += 3;
	}
	if (strncmp(file, want, wl) != 0)
		return false;
	t = file + wl;
	if (!*t)
		return true;
	/* "libc.so" takes a version; "libc" takes ".so" and a version,
	 * and must not be the start of libcrypt */
	if (!strstr(want, ".so")) {
		if (strncmp(t, ".so", 3) != 0)
			return false;
		t += 3;
		if (!*t)
			return true;
	}
	return t[0] == '.' && isdigit((unsigned char)t[1]);
}

static uint32_t lib_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The string at off of the strings region [base, base + size), or NULL
 * when it is not NUL-terminated inside it: a corrupt cache must not make
 * wisp read beyond the file. */
static const char *lib_cache_str(const char *base, size_t size, uint32_t off)
{
	if (off >= size || !memchr(base + off, '\0', size - off))
		return NULL;
	return base + off;
}

int lib_cache_walk(const void *data, size_t len,
		   int (*fn)(const char *key, const char *path, void *arg),
		   void *arg)
{
	const unsigned char *p = data;
	size_t base = 0, nlibs;

	if (len >= LIB_OLD_HDR &&
	    memcmp(p, LIB_CACHE_OLD, strlen(LIB_CACHE_OLD)) == 0) {
		/* glibc keeps the old table for old readers; the new one
		 * follows it, aligned as struct cache_file_new (8) */
		size_t old = lib_u32(p + 12);

		if (old > (len - LIB_OLD_HDR) / LIB_OLD_ENTRY)
			return -1;
		base = (LIB_OLD_HDR + old * LIB_OLD_ENTRY + 7) & ~(size_t)7;
	}
	if (base > len || len - base < LIB_NEW_HDR ||
	    memcmp(p + base, LIB_CACHE_NEW, strlen(LIB_CACHE_NEW)) != 0)
		return -1;
	nlibs = lib_u32(p + base + 20);
	if (nlibs > (len - base - LIB_NEW_HDR) / LIB_NEW_ENTRY)
		return -1;

	/* string offsets count from the new header */
	for (size_t i = 0; i < nlibs; i++) {
		const unsigned char *e = p + base + LIB_NEW_HDR + i * LIB_NEW_ENTRY;
		const char *strs = (const char *)p + base;
		const char *key = lib_cache_str(strs, len - base, lib_u32(e + 4));
		const char *val = lib_cache_str(strs, len - base, lib_u32(e + 8));
		int ret;

		if (!key || !val)
			continue;
		ret = fn(key, val, arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* The ELF class and machine of a file, from its header: 0 when it is
 * not an ELF file. */
static unsigned lib_elf_machine(const char *path, unsigned char *cls)
{
	unsigned char hdr[sizeof(Elf64_Ehdr)];
	uint16_t machine;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return 0;
	got = read(fd, hdr, sizeof(hdr));
	close(fd);
	if (got < (ssize_t)sizeof(Elf32_Ehdr) || memcmp(hdr, ELFMAG, SELFMAG) != 0)
		return 0;
	/* e_machine sits at the same offset in both classes; the host's
	 * byte order is the one that matters */
	memcpy(&machine, hdr + offsetof(Elf64_Ehdr, e_machine), sizeof(machine));
	*cls = hdr[EI_CLASS];
	return machine;
}

/* Is path an ELF file that wisp's own architecture would load? When
 * /proc/self/exe cannot be read, any ELF file is. */
static bool lib_is_native(const char *path)
{
	static unsigned native;
	static unsigned char native_cls;
	static bool known;
	unsigned char cls = 0;
	unsigned machine;

	if (!known) {
		native = lib_elf_machine("/proc/self/exe", &native_cls);
		known = true;
	}
	machine = lib_elf_machine(path, &cls);
	if (!machine)
		return false;
	return !native || (machine == native && cls == native_cls);
}

struct lib_search {
	const char *name;
	char *found;
};

static int lib_cache_match(const char *key, const char *path, void *arg)
{
	struct lib_search *s = arg;

	if (!lib_name_matches(s->name, key) || !lib_is_native(path))
		return 0;
	s->found = strdup(path);
	return 1;
}

static void *lib_read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size < (64 << 20)) {
		buf = malloc(st.st_size);
		if (buf && read(fd, buf, st.st_size) != st.st_size) {
			free(buf);
			buf = NULL;
		}
		*len = st.st_size;
	}
	close(fd);
	return buf;
}

/* The best match for name in dir: several versions of one library
 * (libfoo.so.1, libfoo.so.2) give the highest. */
static char *lib_scan_dir(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *best = NULL;
	char path[PATH_MAX];

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (!lib_name_matches(name, de->d_name))
			continue;
		if (best && strverscmp(de->d_name, strrchr(best, '/') + 1) <= 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path) || !lib_is_native(path))
			continue;
		free(best);
		best = strdup(path);
	}
	closedir(d);
	return best;
}

char *lib_find(const char *cache_file, const char *name)
{
	struct lib_search s = { name, NULL };
	size_t len = 0;
	void *cache = lib_read_file(cache_file ? cache_file : LIB_CACHE_FILE,
				    &len);

	if (cache) {
		lib_cache_walk(cache, len, lib_cache_match, &s);
		free(cache);
		if (s.found)
			return s.found;
	}
	for (size_t i = 0; i < sizeof(lib_std_dirs) / sizeof(lib_std_dirs[0]); i++) {
		char *found = lib_scan_dir(lib_std_dirs[i], name);

		if (found)
			return found;
	}
	return NULL;
}

static bool lib_is_exec_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/* As the shell finds a command; an empty $PATH element is the current
 * directory. */
static char *lib_search_path(const char *prog)
{
	const char *env = getenv("PATH");
	char path[PATH_MAX];

	if (!env)
		env = "/usr/local/bin:/usr/bin:/bin";
	while (env) {
		const char *colon = strchr(env, ':');
		int dlen = colon ? (int)(colon - env) : (int)strlen(env);

		if (snprintf(path, sizeof(path), "%.*s%s%s", dlen, env,
			     dlen ? "/" : "", prog) < (int)sizeof(path) &&
		    lib_is_exec_file(path))
			return realpath(path, NULL);
		env = colon ? colon + 1 : NULL;
	}
	return NULL;
}

/* A library the process has mapped: with -p, the one it really uses
 * (another version, a private copy) rather than the system's. */
static char *lib_search_maps(const char *name, int pid)
{
	char maps[64], line[PATH_MAX + 128];
	char *found = NULL;
	FILE *f;

	snprintf(maps, sizeof(maps), "/proc/%d/maps", pid);
	f = fopen(maps, "re");
	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/');
		char *nl, *base;

		if (!path)
			continue;
		nl = strchr(path, '\n');
		if (nl)
			*nl = '\0';
		base = strrchr(path, '/') + 1;
		if (lib_name_matches(name, base))
			found = strdup(path);
	}
	fclose(f);
	return found;
}

char *lib_resolve_target(const char *target, int pid)
{
	char *path;

	errno = 0;
	/* whether it is an ELF file is for elf_syms_load to say */
	if (strchr(target, '/'))
		return realpath(target, NULL);
	path = lib_search_path(target);
	if (!path && pid > 0)
		path = lib_search_maps(target, pid);
	if (!path)
		path = lib_find(NULL, target);
	if (!path) {
		errno = ENOENT;
		return NULL;
	}
	/* one name per file in specs and messages */
	char *real = realpath(path, NULL);

	if (real) {
		free(path);
		path = real;
	}
	return path;
}
