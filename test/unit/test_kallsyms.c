/* test_kallsyms.c - the kallsyms parser (sys/kallsyms.c) on a small
 * made-up kallsyms: every line it calls back with (address, type, name,
 * module without its brackets), the lines it skips, stopping early, and
 * the views built on it: addresses to names (ksym_lookup), a name to its
 * address (ksym_addr_file) and the kprobe function list (kfuncs).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "provider/kfuncs.h"
#include "sys/kallsyms.h"
#include "unit.h"

/* Unsorted like module symbols are; a data symbol before the function
 * of the same name, aliases, a __pfx_ and a .cold part, a weak symbol,
 * zero addresses (as kptr_restrict shows them), and lines of other
 * forms (blank, no type, a type but no name, a word for an address). */
static const char text[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000010 t __pfx_vfs_read\n"
	"ffffffff81000020 T vfs_read\n"
	"ffffffff81000030 D jiffies\n"
	"ffffffff81000040 t helper.cold\n"
	"ffffffff81000050 t helper.constprop.0\n"
	"ffffffff81000050 T helper_alias\n"
	"ffffffff81000060 W weak_fn\n"
	"ffffffff81000070 t jiffies\n"
	"0000000000000000 A zero_abs\n"
	"0000000000000000 t hidden_fn\n"
	"\n"
	"ffffffff81000080\n"
	"ffffffff81000090 T \n"
	"nothex T not_a_symbol\n"
	"ffffffffc0000010 t mod_func\t[mod]\n"
	"ffffffffc0000000 T mod_init\t[other_mod]\n"
	"ffffffffc0000020 t no_newline\t[mod]";

static int collect(uint64_t addr, char type, const char *name,
		   const char *module, void *arg)
{
	char *buf = arg;
	size_t len = strlen(buf);

	snprintf(buf + len, 2048 - len, "%" PRIx64 " %c %s %s;", addr, type,
		 name, module ? module : "-");
	return 0;
}

static const char want_lines[] =
	"ffffffff81000000 T _stext -;"
	"ffffffff81000010 t __pfx_vfs_read -;"
	"ffffffff81000020 T vfs_read -;"
	"ffffffff81000030 D jiffies -;"
	"ffffffff81000040 t helper.cold -;"
	"ffffffff81000050 t helper.constprop.0 -;"
	"ffffffff81000050 T helper_alias -;"
	"ffffffff81000060 W weak_fn -;"
	"ffffffff81000070 t jiffies -;"
	"0 A zero_abs -;"
	"0 t hidden_fn -;"
	"ffffffffc0000010 t mod_func mod;"
	"ffffffffc0000000 T mod_init other_mod;"
	"ffffffffc0000020 t no_newline mod;";

static int stop_at_vfs_read(uint64_t addr, char type, const char *name,
			    const char *module, void *arg)
{
	++*(int *)arg;
	return strcmp(name, "vfs_read") ? 0 : 42;
}

/* text in a temporary file: path must hold "/tmp/wisp-kallsyms.XXXXXX". */
static bool write_text(char *path)
{
	int fd = mkstemp(path);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok;
}

static void test_parse(const char *path)
{
	char got[2048] = "";
	int calls = 0;

	CHECK(kallsyms_parse(text, collect, got) == 0, "parse");
	CHECK_STR(got, want_lines);
	CHECK(kallsyms_parse(text, stop_at_vfs_read, &calls) == 42 &&
	      calls == 3, "stopped after %d calls", calls);

	got[0] = '\0';
	CHECK(kallsyms_read(path, collect, got) == 0, "read %s", path);
	CHECK_STR(got, want_lines);
	calls = 0;
	CHECK(kallsyms_read(path, stop_at_vfs_read, &calls) == 42 &&
	      calls == 3, "stopped after %d calls", calls);
	CHECK(kallsyms_read("/nonexistent/kallsyms", collect, got) == -1 &&
	      errno == ENOENT, "missing file");
	CHECK(kallsyms_parse("", collect, got) == 0, "empty text");
}

/* Addresses to names: text symbols only (t T w W) with an address, the
 * last listed of each address. */
static void test_lookup(const char *path)
{
	uint64_t off = 99;

	CHECK(ksym_load(path) == 10, "10 text symbols at distinct addresses");
	CHECK_STR(ksym_lookup(0xffffffff81000020, &off), "vfs_read");
	CHECK(off == 0, "offset %" PRIu64, off);
	/* jiffies the data symbol is no function: vfs_read goes on. */
	CHECK_STR(ksym_lookup(0xffffffff81000038, &off), "vfs_read");
	CHECK(off == 0x18, "offset %" PRIu64, off);
	CHECK_STR(ksym_lookup(0xffffffff81000050, NULL), "helper_alias");
	CHECK_STR(ksym_lookup(0xffffffff81000064, NULL), "weak_fn");
	CHECK_STR(ksym_lookup(0xffffffff81000070, NULL), "jiffies");
	CHECK_STR(ksym_lookup(0xffffffffc0000004, NULL), "mod_init");
	CHECK_STR(ksym_lookup(0xffffffffc0000011, &off), "mod_func");
	CHECK(off == 1, "offset %" PRIu64, off);
	CHECK_STR(ksym_lookup(0xffffffffc0000fff, NULL), "no_newline");
	CHECK(ksym_lookup(0xffffffff80000000, NULL) == NULL, "below all");
	CHECK(ksym_load("/nonexistent/kallsyms") == -1, "missing file");
}

/* A name to its address: the first symbol of that name, of any type. */
static void test_addr(const char *path)
{
	uint64_t addr = 0;

	CHECK(ksym_addr_file(path, "vfs_read", &addr) &&
	      addr == 0xffffffff81000020, "vfs_read: %" PRIx64, addr);
	CHECK(ksym_addr_file(path, "jiffies", &addr) &&
	      addr == 0xffffffff81000030, "jiffies, the data symbol: %" PRIx64,
	      addr);
	CHECK(ksym_addr_file(path, "mod_func", &addr) &&
	      addr == 0xffffffffc0000010, "mod_func: %" PRIx64, addr);
	addr = 7;
	CHECK(!ksym_addr_file(path, "zero_abs", &addr) && addr == 7,
	      "a zero address is no address");
	CHECK(!ksym_addr_file(path, "vfs", &addr), "no prefix match");
	CHECK(!ksym_addr_file(path, "mod", &addr), "no module match");
	CHECK(!ksym_addr_file("/nonexistent/kallsyms", "vfs_read", &addr),
	      "missing file");
}

/* The kprobe function list: text symbols, but for __pfx_ padding and
 * .cold parts, whatever their address; sorted, without duplicates. */
static void test_kfuncs(void)
{
	struct kfuncs kf = { 0 };
	char got[512] = "";

	CHECK(kfuncs_parse_kallsyms(&kf, text) == 0, "parse");
	kfuncs_finish(&kf);
	for (size_t i = 0; i < kf.n; i++) {
		strcat(got, kf.names[i]);
		strcat(got, ",");
	}
	CHECK_STR(got, "_stext,helper.constprop.0,helper_alias,hidden_fn,"
		       "jiffies,mod_func,mod_init,no_newline,vfs_read,");
	kfuncs_release(&kf);
}

int main(void)
{
	char path[] = "/tmp/wisp-kallsyms.XXXXXX";

	if (!write_text(path)) {
		printf("cannot write %s\n", path);
		return 1;
	}
	test_parse(path);
	test_lookup(path);
	test_addr(path);
	test_kfuncs();
	unlink(path);
	return unit_done("test_kallsyms");
}
