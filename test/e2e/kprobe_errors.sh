#!/bin/sh
# kprobe_errors.sh - kprobe specs checked against the kernel's functions
# without attaching (--dry-run), so it runs on kernels without kprobes:
# a typo gets a suggestion at the spec that has it, a wildcard matching
# nothing and bad offsets are errors, a clone is found by its plain name.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
[ -r /proc/kallsyms ] || skip "no /proc/kallsyms"
grep -q ' [tT] vfs_read$' /proc/kallsyms || skip "no vfs_read in /proc/kallsyms"

run_wisp --dry-run 'kprobe:vfs_read { @ = count(); } kretprobe:vfs_read { @r = hist(retval); }'
expect_status 0

run_wisp --dry-run 'kprobe:vfs_read { @ = count(); } kprobe:vfs_raed { @x = count(); }'
expect_status 1
expect_grep "^<cmdline>:1:34: error: kernel function 'vfs_raed' not found; did you mean 'vfs_read'\?" "$TESTDIR/err"

run_wisp --dry-run 'kprobe:wisp_no_such_function_at_all* { @ = count(); }'
expect_status 1
expect_grep "error: no kernel function matches 'wisp_no_such_function_at_all\*'" "$TESTDIR/err"

run_wisp --dry-run 'kretprobe:vfs_read+4 { @ = count(); }'
expect_status 1
expect_grep "error: kretprobe takes no offset" "$TESTDIR/err"

run_wisp --dry-run 'kprobe:vfs_read+0x4 { @ = count(); } kprobe:vfs_read+4 { @ = count(); }'
expect_status 0

run_wisp --dry-run 'kprobe:vfs_read+4x { @ = count(); }'
expect_status 1
expect_grep "error: bad offset '4x'" "$TESTDIR/err"

run_wisp -l 'kprobe:vfs_rea*'
expect_status 0
expect_line 'kprobe:vfs_read'
expect_no_grep '^kretprobe:'
run_wisp -l 'kretprobe:vfs_read'
expect_line 'kretprobe:vfs_read'

# A clone is attachable by its plain name (taken from wisp's own list:
# available_filter_functions has fewer clones than kallsyms).
run_wisp -l 'kprobe:*.isra.*'
clone=$(sed -n 's/^kprobe:\([a-z_][a-z0-9_]*\.isra\.[0-9]*\)$/\1/p' "$TESTDIR/out" | head -n 1)
if [ -n "$clone" ]; then
	run_wisp --dry-run "kprobe:${clone%%.*} { @[func] = count(); }"
	expect_status 0
fi
