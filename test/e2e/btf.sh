#!/bin/sh
# btf.sh - where kernel types come from: -v names the sources (--btf's
# file first, then the running kernel's BTF), WISP_BTF=none makes wisp
# behave as on a kernel without BTF, and a --btf file that is not BTF is
# an error that says so.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

prog='BEGIN { exit(); }'
run_wisp -v --dump=ast "$prog"
expect_status 0
if [ -r /sys/kernel/btf/vmlinux ]; then
	expect_grep "^wisp: types from the kernel's BTF \(/sys/kernel/btf/vmlinux\)\$" "$TESTDIR/err"
else
	expect_grep '^wisp: no kernel BTF \(no /sys/kernel/btf/vmlinux\)' "$TESTDIR/err"
fi

WISP_BTF=none
export WISP_BTF
run_wisp -v --dump=ast "$prog"
expect_status 0
expect_grep '^wisp: no kernel BTF \(WISP_BTF=none\): only the program' "$TESTDIR/err"
expect_no_grep "types from the kernel's BTF" "$TESTDIR/err"
if [ "$(id -u)" = 0 ]; then
	run_wisp --info
	expect_status 0
	expect_grep '^  kernel BTF  *no  off: WISP_BTF=none$'
fi
unset WISP_BTF

# not BTF: refused before compiling, whatever the kernel has
printf 'not BTF at all, but long enough for a header\n' >"$TESTDIR/bad.btf"
run_wisp --btf="$TESTDIR/bad.btf" --dump=ast "$prog"
expect_status 1
expect_grep "^wisp: $TESTDIR/bad.btf: not BTF \(bad magic\)\$" "$TESTDIR/err"
run_wisp --btf="$TESTDIR/none.btf" --dump=ast "$prog"
expect_status 1
expect_grep "^wisp: cannot open $TESTDIR/none.btf: " "$TESTDIR/err"

# a BTF file first, then the kernel's (the kernel's own file as --btf)
[ -r /sys/kernel/btf/vmlinux ] || skip "no /sys/kernel/btf/vmlinux: --btf with a good file not tried"
cp /sys/kernel/btf/vmlinux "$TESTDIR/vmlinux.btf"
run_wisp -v --btf="$TESTDIR/vmlinux.btf" --dump=ast "$prog"
expect_status 0
expect_grep "^wisp: types from $TESTDIR/vmlinux.btf\$" "$TESTDIR/err"
[ "$(grep -n 'types from' "$TESTDIR/err" | head -n 1 | cut -d: -f1)" = 1 ] ||
	fail "the --btf file is not the first source"
