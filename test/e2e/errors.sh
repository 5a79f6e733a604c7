#!/bin/sh
# errors.sh - compile errors: "file:line:col: error: message", the source
# line and a caret under the column, exit status 1, never a crash. As
# root the programs are run as given; otherwise with --dump=ast, which
# compiles (and reports the same errors) without needing privileges. The
# errors that need a tracepoint's format (unknown tracepoint, unknown
# field) are checked as root only.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

# check_error NAME LINE [COL]: the last run failed with status 1 and its
# first diagnostic is "NAME:LINE:COL: error: ..." (any COL when none is
# given), followed by a line holding the source text $SRC and a caret
# line whose "^" stands under column COL of that text.
check_error() {
	expect_status 1
	_re="^$1:$2:[0-9]+: error: "
	first=$(grep -E -- "$_re" "$TESTDIR/err" | head -n 1)
	[ -n "$first" ] || fail "no diagnostic of the form $1:$2:COL: error: ..."
	col=${first%%: error: *}
	col=${col##*:}
	if [ -n "${3:-}" ] && [ "$col" != "$3" ]; then
		fail "the error is at column $col, expected $3"
	fi
	SRC=$SRC FIRST=$first COL=$col awk '
	found == 2 {
		c = index($0, "^")
		if (c == start + ENVIRON["COL"] - 1) ok = 1
		else print "the caret is at offset " c - start + 1 " of the source line, expected " ENVIRON["COL"]
		exit
	}
	found == 1 {
		start = index($0, ENVIRON["SRC"])
		if (start == 0) { print "the line after the error is not the source line: " $0; exit }
		found = 2
		next
	}
	$0 == ENVIRON["FIRST"] { found = 1 }
	END { exit !ok }' "$TESTDIR/err" >"$TESTDIR/check" || fail "$(cat "$TESTDIR/check")"
}

# compile ARGS...: run_wisp ARGS, compiling only when not root.
if [ "$(id -u)" = 0 ]; then
	compile() { run_wisp "$@"; }
else
	compile() { run_wisp --dump=ast "$@"; }
fi

# A syntax error: where exactly is the parser's business, but the caret
# must agree with the column it reports.
SRC='BEGIN { @x = 1 +; }'
compile "$SRC"
check_error '<cmdline>' 1

# An unknown function: at the name.
SRC='BEGIN { @x = cuont(); }'
compile "$SRC"
check_error '<cmdline>' 1 14
compile -e "$SRC"
check_error '<cmdline>' 1 14
printf '%s\n' "$SRC" >"$TESTDIR/stdin.wisp"
compile - <"$TESTDIR/stdin.wisp"
check_error '<stdin>' 1 14

# In a file: the file's name and the second line.
printf 'BEGIN {\n  @x = cuont();\n}\n' >"$TESTDIR/typo.wisp"
SRC='  @x = cuont();'
cd "$TESTDIR" || fail "cannot cd to $TESTDIR"
compile typo.wisp
check_error '([^:]*/)?typo\.wisp' 2 8

SRC='BEGIN { printf("abc); }'
compile "$SRC"
check_error '<cmdline>' 1

SRC='nosuch:foo { @x = count(); }'
compile "$SRC"
check_error '<cmdline>' 1 1
expect_grep nosuch "$TESTDIR/err"

SRC='BEGIN { @x = nosuchvar; }'
compile "$SRC"
check_error '<cmdline>' 1 14
expect_grep nosuchvar "$TESTDIR/err"

# Wrong types.
SRC='BEGIN { @x = count(); @x = 1; }'
compile "$SRC"
check_error '<cmdline>' 1
SRC='BEGIN { @y = comm + 1; }'
compile "$SRC"
check_error '<cmdline>' 1
SRC='BEGIN { printf("%d %d\n", 1); }'
compile "$SRC"
check_error '<cmdline>' 1
SRC='BEGIN { printf("%d\n", "str"); }'
compile "$SRC"
check_error '<cmdline>' 1

# Names that only the kernel's tracepoint formats can settle.
need_tracepoint syscalls sys_enter_openat
SRC='tracepoint:syscalls:sys_enter_nosuch { @x = count(); }'
compile "$SRC"
check_error '<cmdline>' 1
expect_grep sys_enter_nosuch "$TESTDIR/err"
SRC='tracepoint:nosuchcat:nosuchevent { @x = count(); }'
compile "$SRC"
check_error '<cmdline>' 1
expect_grep nosuch "$TESTDIR/err"
SRC='tracepoint:syscalls:sys_enter_openat { @x = args->nosuch; }'
compile "$SRC"
check_error '<cmdline>' 1
expect_grep nosuch "$TESTDIR/err"
SRC='tracepoint:syscalls:sys_enter_openat /args->nosuch == 1/ { @x = count(); }'
compile "$SRC"
check_error '<cmdline>' 1
expect_grep nosuch "$TESTDIR/err"
