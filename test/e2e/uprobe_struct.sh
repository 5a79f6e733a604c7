#!/bin/sh
# uprobe_struct.sh - user memory through typed pointers: a uprobe's
# struct pointer parameter typed by DWARF, and the same struct declared
# in the program and cast; members, nested structs, bitfields, char
# arrays and a second pointer are read with the user helpers.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_cmd gcc
WISP_TIMEOUT=60

cat >"$TESTDIR/p.c" <<'C'
#include <stdio.h>
#include <unistd.h>
struct inner { short a; unsigned flag:3; int b; };
struct point { long x; char name[8]; struct inner in; struct point *next; };
__attribute__((noinline)) long walk(struct point *p) { return p->x + p->next->x; }
int main(void)
{
	struct point q = { 7, "second", { -3, 5, 9 }, 0 };
	struct point p = { 42, "first", { 1, 2, 3 }, &q };

	q.next = &p;
	usleep(100000);
	printf("%ld\n", walk(&p));
	return 0;
}
C
gcc -g -O1 -o "$TESTDIR/p" "$TESTDIR/p.c" || fail "cannot build the test program"

# the program's own declaration, through a cast: no DWARF needed
run_wisp -c "$TESTDIR/p" 'struct inner { short a; unsigned flag:3; int b; };
struct point { long x; char name[8]; struct inner in; struct point *next; };
uprobe:'"$TESTDIR/p"':walk {
	$p = (struct point *)arg0;
	printf("%d %s %d %d %d %s\n", $p->x, $p->name, $p->in.a, $p->in.flag,
	       $p->next->in.a, $p->next->name);
	print(*$p->next);
}'
expect_status 0
expect_line '42 first 1 2 -3 second'
expect_grep '^\{ \.x = 7, \.name = "second", \.in = \{ \.a = -3, \.flag = 5, \.b = 9 \}, \.next = 0x[0-9a-f]+ \}$'
expect_line '49'

# the parameter typed by the binary's DWARF (wisp built with libdw)
if "$WISP" --info 2>/dev/null | grep -q 'with libdw'; then
	run_wisp -c "$TESTDIR/p" 'uprobe:'"$TESTDIR/p"':walk {
		printf("%d %s %d %d\n", args.p->x, args.p->name, args.p->in.flag, args.p->next->x);
	}'
	expect_status 0
	expect_line '42 first 2 7'
fi
