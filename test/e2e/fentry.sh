#!/bin/sh
# fentry.sh - fentry and fexit through BPF trampolines: a histogram of
# vfs_read's args.count (and args->count) while dd reads a file of known
# size in 1000-byte blocks, fexit's retval summing to the file's size, a
# wildcard with func, argN, kfunc/kretfunc, a module's function, -l/-lv,
# and the errors (a typo, retval in fentry, no BTF).
# Skips, saying why, where the kernel cannot attach them: no BTF, no
# trampolines on the architecture (arm64 before 6.0), or a kernel that
# refuses tracing programs (the host's); the errors are checked anyway.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_cmd dd
[ -r /sys/kernel/btf/vmlinux ] || skip "no kernel BTF (/sys/kernel/btf/vmlinux): fentry needs it"

# Errors found before anything is loaded: they hold on any kernel with BTF.
run_wisp --dry-run -e 'fentry:vfs_raed { @ = count(); }'
expect_status 1
expect_grep "error: kernel function 'vfs_raed' not found in the BTF of vmlinux or any module; did you mean 'vfs_read'\?" "$TESTDIR/err"
run_wisp --dry-run -e 'fentry:vfs_read { @ = retval; }'
expect_status 1
expect_grep "error: retval exists in fexit probes, not in fentry: fexit:vfs_read has it" "$TESTDIR/err"
run_wisp --dry-run -e 'fentry:vfs_read { @ = arg4; }'
expect_status 1
expect_grep "error: arg4: vfs_read takes 4 arguments \(arg0\.\.arg3\)" "$TESTDIR/err"
run_wisp --dry-run -e 'fentry:vfs_read { @ = args.cont; }'
expect_status 1
expect_grep "error: fentry:vfs_read has no field 'cont'; did you mean 'count'\?" "$TESTDIR/err"
run_wisp --dry-run -e 'fentry:wisp_no_such_function_at_all* { @ = count(); }'
expect_status 1
expect_grep "error: no kernel function in BTF matches 'fentry:wisp_no_such_function_at_all\*'" "$TESTDIR/err"
WISP_BTF=none
export WISP_BTF
run_wisp --dry-run -e 'fentry:vfs_read { @ = count(); }'
unset WISP_BTF
expect_status 1
expect_grep "error: fentry:vfs_read needs the kernel's BTF: WISP_BTF=none says to use no BTF \(kprobe:vfs_read works without it\)" "$TESTDIR/err"

run_wisp -lv 'fexit:vfs_rea*'
expect_status 0
expect_line 'fexit:vfs_read'
expect_grep '^    size_t count$'
expect_grep '^    ssize_t retval$'
expect_no_grep '^fentry:'

# Can this kernel attach one at all? --info must say the same.
"$WISP" --info >"$TESTDIR/info" 2>&1
run_wisp -e 'fentry:vfs_read { exit(); }' -c 'sleep 0'
if [ "$status" = 0 ]; then
	expect_grep '^  BPF trampolines  *yes' "$TESTDIR/info"
else
	expect_grep '^  BPF trampolines  *no' "$TESTDIR/info"
	grep -q 'refuses BPF tracing programs' "$TESTDIR/err" &&
		skip "this kernel refuses BPF tracing programs even to root (errors checked)"
	grep -q 'no BPF trampolines' "$TESTDIR/err" &&
		skip "no BPF trampolines on $(uname -m) $(uname -r): fentry cannot attach (errors checked, the message says so)"
	fail "fentry:vfs_read does not attach: $(head -n 1 "$TESTDIR/err")"
fi

# 200 reads of 1000 bytes and the one that finds the end: 201 reads that
# ask for 1000, in the [512, 1K) row; ld.so's reads ask for other sizes.
dd if=/dev/zero of="$TESTDIR/data" bs=1000 count=200 2>/dev/null
dd="dd if=$TESTDIR/data of=/dev/null bs=1000"
run_wisp -c "$dd" 'fentry:vfs_read /comm == "dd"/ { @ = hist(args.count); @n = count(); @a = hist(args->count); }'
expect_status 0
for m in @ @a; do
	n=$(awk -v m="$m:" '$1 == m { on = 1; next } on && /^\[512, 1K\)/ { sub(/^\[512, 1K\)/, ""); print $1; exit }' "$TESTDIR/out")
	is_uint "$n" || fail "no count in the [512, 1K) row of $m"
	[ "$n" -eq 201 ] || fail "the [512, 1K) row of $m holds $n, expected 201"
done

# fexit: what those reads returned adds up to the file's size
run_wisp -c "$dd" 'fexit:vfs_read /comm == "dd" && args.count == 1000/ { @s = sum(retval); @n = count(); @z[retval == 0] = count(); }'
expect_status 0
expect_count @s 200000 200000
expect_count @n 201 201
expect_count '@z[1]' 1 1

# the old names, and argN: arg2 is count
run_wisp -c "$dd" 'kfunc:vfs_read /comm == "dd" && arg2 == 1000/ { @e = count(); } kretfunc:vfs_read /comm == "dd" && arg2 == 1000/ { @x = count(); }'
expect_status 0
expect_count @e 201 201
expect_count @x 201 201

# a wildcard: one trampoline a function, func names it
run_wisp -c "$dd" 'fentry:vfs_rea* /comm == "dd"/ { @[func] = count(); }'
expect_status 0
expect_count '@[vfs_read]' 201 300

# a module's function, where a loaded module has BTF: its program loads
# against the module's BTF object
spec=$("$WISP" -l 'fentry:*:*' 2>/dev/null | grep -v '^fentry:[^:]*$' | head -n 1)
if [ -n "$spec" ]; then
	run_wisp --dry-run -e "$spec { @ = count(); }"
	expect_status 0
fi
