/* test_kprobe.c - the kernel function list (kfuncs.c): parsing
 * available_filter_functions and kallsyms text, exact names, compiler
 * clones, wildcard ranges and "did you mean" on a synthetic list; then
 * the kprobe provider's spec errors, which need no kernel support. */
#include <stdlib.h>
#include <string.h>

#include "provider/provider.h"
#include "provider/kfuncs.h"
#include "unit.h"

static const char filter_text[] =
	"vfs_read\n"
	"vfs_write\n"
	"vfs_readv\n"
	"finish_task_switch.isra.0\n"
	"do_sys_openat2\n"
	"vfs_read\n"
	"e1000_probe [e1000]\n"
	"name-x\n"
	"name.cold\n"
	"name.part.0\n";

static const char kallsyms_text[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000010 t __pfx_vfs_read\n"
	"ffffffff81000020 T vfs_read\n"
	"ffffffff81000030 D some_data\n"
	"ffffffff81000040 t helper.cold\n"
	"ffffffff81000050 t helper.constprop.0\n"
	"ffffffffc0000000 t mod_func\t[mod]\n";

static int collect(const char *name, void *arg)
{
	char *buf = arg;

	strcat(buf, name);
	strcat(buf, ",");
	return 0;
}

static void test_filter_functions(void)
{
	struct kfuncs kf = { 0 };
	char got[512] = "";

	CHECK(kfuncs_parse_filter_functions(&kf, filter_text) == 0, "parse");
	kfuncs_finish(&kf);
	CHECK(kf.n == 8, "n = %zu (duplicates and .cold dropped)", kf.n);
	CHECK(kfuncs_has(&kf, "vfs_read"), "vfs_read");
	CHECK(kfuncs_has(&kf, "e1000_probe"), "module suffix stripped");
	CHECK(!kfuncs_has(&kf, "vfs_rea"), "no prefix match");
	CHECK(!kfuncs_has(&kf, "finish_task_switch"), "clone only");
	CHECK_STR(kfuncs_clone(&kf, "finish_task_switch"),
		  "finish_task_switch.isra.0");
	CHECK_STR(kfuncs_clone(&kf, "name"), "name.part.0");
	CHECK(kfuncs_clone(&kf, "vfs_read") == NULL, "exact name: no clone");
	CHECK(kfuncs_clone(&kf, "vfs") == NULL, "vfs_read is no clone of vfs");

	kfuncs_each_match(&kf, "vfs_rea*", collect, got);
	CHECK_STR(got, "vfs_read,vfs_readv,");
	got[0] = '\0';
	kfuncs_each_match(&kf, "*_task_*", collect, got);
	CHECK_STR(got, "finish_task_switch.isra.0,");
	got[0] = '\0';
	kfuncs_each_match(&kf, "vfs_?rite", collect, got);
	CHECK_STR(got, "vfs_write,");

	CHECK_STR(kfuncs_closest(&kf, "vfs_raed"), "vfs_read");
	CHECK_STR(kfuncs_closest(&kf, "do_sys_openat"), "do_sys_openat2");
	CHECK(kfuncs_closest(&kf, "completely_different") == NULL, "no guess");
	kfuncs_release(&kf);
}

static void test_kallsyms(void)
{
	struct kfuncs kf = { 0 };
	char got[512] = "";

	CHECK(kfuncs_parse_kallsyms(&kf, kallsyms_text) == 0, "parse");
	kfuncs_finish(&kf);
	kfuncs_each_match(&kf, "*", collect, got);
	CHECK_STR(got, "_stext,helper.constprop.0,mod_func,vfs_read,");
	CHECK_STR(kfuncs_clone(&kf, "helper"), "helper.constprop.0");
	kfuncs_release(&kf);
}

static struct source test_src;

static const char *resolve_error(const char *spec)
{
	struct probe_inst *list = NULL, **tail = &list;
	const struct provider *prov;
	struct loc loc = { &test_src, 1, 1 };
	const char *rest;
	int ret;

	source_from_string(&test_src, "<test>", spec);
	prov = provider_find(spec, &rest);
	if (!prov)
		return "(no provider)";
	capture_start();
	ret = prov->resolve(prov, NULL, rest, loc, &tail);
	probe_inst_free_all(list);
	return ret < 0 ? capture_end() : (capture_end(), "(resolved)");
}


static void test_spec_errors(void)
{
	CHECK_HAS(resolve_error("kretprobe:vfs_read+4"), "takes no offset");
	CHECK_HAS(resolve_error("kprobe:vfs_*+4"), "wildcard cannot take an offset");
	CHECK_HAS(resolve_error("kprobe:vfs_read+0x"), "bad offset");
	CHECK_HAS(resolve_error("k:"), "expected 'kprobe:FUNCTION[+OFFSET]'");
	CHECK_HAS(resolve_error("kprobe:a/b"), "bad function name 'a/b'");
}

int main(void)
{
	test_filter_functions();
	test_kallsyms();
	test_spec_errors();
	return unit_done("test_kprobe");
}
