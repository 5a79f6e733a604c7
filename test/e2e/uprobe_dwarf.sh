#!/bin/sh
# uprobe_dwarf.sh - a uprobe's args named and typed from the binary's
# DWARF (libdw): a small C program built here with gcc -g, at -O0 and at
# -O2 (where the parameters live in registers only), whose function takes
# (int n, const char *s, long x); args.n, str(args.s), args->x printed
# for known calls; -lv lists the parameters; a parameter on the stack,
# one after a struct passed by value, a binary without DWARF and an
# offset into the function are refused. In a wisp built without libdw
# (the static binaries of the QEMU guests) args is refused, saying so.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
[ -r /sys/bus/event_source/devices/uprobe/type ] || skip "no uprobe PMU"

"$WISP" --info >"$TESTDIR/info" 2>&1 || fail "wisp --info failed: $(cat "$TESTDIR/info")"
if grep -q '^  wisp: .*without libdw' "$TESTDIR/info"; then
	# resolving the spec stops there, before the file is looked at
	run_wisp --dry-run 'uprobe:/nonexistent/prog:f { printf("%d\n", args.n); }'
	expect_status 1
	expect_grep 'args of a uprobe .*built without libdw' "$TESTDIR/err"
	expect_grep '^ +\^$' "$TESTDIR/err"
	# arg0 needs no DWARF: the same spec fails on the missing file instead
	run_wisp --dry-run 'uprobe:/nonexistent/prog:f { printf("%d\n", arg0); }'
	expect_status 1
	expect_no_grep 'libdw' "$TESTDIR/err"
	exit 0
fi
grep -q '^  wisp: .*with libdw' "$TESTDIR/info" || fail "wisp --info does not say whether it has libdw"
need_cmd gcc

cat >"$TESTDIR/prog.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>

struct pair { long a, b; };

/* not static: the calling convention stays the ABI's at -O2 */
__attribute__((noinline)) long wt_target(int n, const char *s, long x)
{
	return printf("called %d %s %ld\n", n, s, x) + n + x;
}

__attribute__((noinline)) long wt_many(int a, int b, int c, int d, int e,
					int f, int g, struct pair p, int h)
{
	return a + b + c + d + e + f + g + p.a + p.b + h;
}

int main(int argc, char **argv)
{
	struct pair p = { argc, argc };
	long sum;

	if (argc < 5)
		return 2;
	/* the strings are argv's: pages the kernel wrote, so a probe
	 * can read them (a string literal's page may not be mapped in yet) */
	sum = wt_target(atoi(argv[1]), argv[2], atol(argv[3]));
	sum += wt_target(-5, argv[4], 123456789012L);
	sum += wt_many(argc, 2, 3, 4, 5, 6, 7, p, 8);
	return sum == 0;
}
EOF
for opt in O0 O2; do
	gcc -g "-$opt" -o "$TESTDIR/prog_$opt" "$TESTDIR/prog.c" ||
		fail "gcc -g -$opt prog.c failed"
done
gcc -g0 -O0 -o "$TESTDIR/prog_nodebug" "$TESTDIR/prog.c" || fail "gcc -g0 failed"

for opt in O0 O2; do
	prog=$TESTDIR/prog_$opt
	run_wisp -c "$prog 42 hello -7000000000 world" \
		"uprobe:$prog:wt_target { printf(\"n=%d s=%s x=%d\\n\", args.n, str(args.s), args->x); }"
	expect_status 0
	expect_line 'n=42 s=hello x=-7000000000'
	expect_line 'n=-5 s=world x=123456789012'
	# the first six int parameters of wt_many are in registers
	run_wisp -c "$prog 1 a 2 b" "uprobe:$prog:wt_many { printf(\"a=%d f=%d\\n\", args.a, args.f); }"
	expect_status 0
	expect_line 'a=5 f=6'
done
prog=$TESTDIR/prog_O2

# args in a predicate, and as a map key
run_wisp -c "$prog 7 x 8 y" "uprobe:$prog:wt_target /args.n > 0/ { @[args.n, args.x] = count(); }"
expect_status 0
expect_line '@[7, 8]: 1'
expect_no_grep '^@\[-5'

# -lv: the typed parameters, and why some cannot be read
run_wisp -lv "uprobe:$prog:wt_*"
expect_status 0
expect_line "uprobe:$prog:wt_target"
expect_line '    int n'
expect_line '    char *s'
expect_line '    long int x'
expect_grep '^    int g  \(not readable: it is passed on the stack'
expect_grep '^    struct pair p  \(not readable: '

# the errors, each at the use
run_wisp --dry-run "uprobe:$prog:wt_many { printf(\"%d\\n\", args.g); }"
expect_status 1
expect_grep 'args\.g: parameter 7 of wt_many is passed on the stack' "$TESTDIR/err"
run_wisp --dry-run "uprobe:$prog:wt_many { printf(\"%d\\n\", args.h); }"
expect_status 1
expect_grep 'args\.h: parameter 9 of wt_many comes after a struct pair passed by value' "$TESTDIR/err"
run_wisp --dry-run "uprobe:$prog:wt_target+1 { printf(\"%d\\n\", args.n); }"
expect_status 1
expect_grep 'known at its entry only' "$TESTDIR/err"
run_wisp --dry-run "uprobe:$TESTDIR/prog_nodebug:wt_target { printf(\"%d\\n\", args.n); }"
expect_status 1
expect_grep "args of uprobe:.*prog_nodebug:wt_target: .*(DWARF|debug info)" "$TESTDIR/err"
run_wisp --dry-run "uprobe:$prog:wt_target { printf(\"%d\\n\", args.nn); }"
expect_status 1
expect_grep "has no field 'nn'; did you mean 'n'\\?" "$TESTDIR/err"
# a return probe has no parameters
run_wisp --dry-run "uretprobe:$prog:wt_target { printf(\"%d\\n\", args.n); }"
expect_status 1
expect_grep "'uretprobe' has no 'args'" "$TESTDIR/err"
# without args, no DWARF is needed
run_wisp -c "$TESTDIR/prog_nodebug 3 a 4 b" "uprobe:$TESTDIR/prog_nodebug:wt_target { printf(\"arg0=%d\\n\", arg0); }"
expect_status 0
expect_line 'arg0=3'
exit 0
