#!/bin/sh
# errors_options.sh - the compile errors that a golden test cannot show,
# because they need a command-line option (--unsafe, -p) or name the
# machine (its argument registers, the path of libc): signal()'s
# arguments, argN beyond the registers, uaddr() in a process that has
# not mapped the probed binary. Each is "file:line:col: error: ...",
# with exit status 1. Compiled only (--dump=ast) when not root.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

if [ "$(id -u)" = 0 ]; then
	compile() { run_wisp "$@"; }
else
	compile() { run_wisp --dump=ast "$@"; }
fi

# signal() with --unsafe: a number from 1 to 64, a known name, one of them
compile --unsafe 'BEGIN { signal(0); }'
expect_status 1
expect_grep '^<cmdline>:1:16: error: signal\(\) takes a signal number from 1 to 64 or a name$' "$TESTDIR/err"
compile --unsafe 'BEGIN { signal("SIGFOO"); }'
expect_status 1
expect_grep "^<cmdline>:1:16: error: unknown signal 'SIGFOO'\$" "$TESTDIR/err"
compile --unsafe 'BEGIN { signal(SIGNOPE); }'
expect_status 1
expect_grep "^<cmdline>:1:16: error: unknown signal 'SIGNOPE'\$" "$TESTDIR/err"
compile --unsafe 'BEGIN { signal(1, 2); }'
expect_status 1
expect_grep '^<cmdline>:1:9: error: signal\(\) takes one signal: a number or a name like "SIGKILL"$' "$TESTDIR/err"

# The rest probe libc: a dynamically linked system only (the QEMU guests
# have a static busybox).
[ -r /etc/ld.so.cache ] || skip "no /etc/ld.so.cache (no shared libc)"
run_wisp --dump=ast 'uprobe:libc:malloc { @x = arg0; }'
[ "$status" = 0 ] || skip "uprobe:libc:malloc does not compile here: $(head -n 1 "$TESTDIR/err")"

# argN: as many as the architecture passes in registers (6 on x86_64,
# 8 on arm64), counted from 0
compile 'uprobe:libc:malloc { @x = arg99; }'
expect_status 1
expect_grep '^<cmdline>:1:27: error: arg99: this architecture passes [0-9]+ arguments in registers \(arg0\.\.arg[0-9]+\)$' "$TESTDIR/err"

# uaddr() of a position-independent libc in a process without it: a
# kernel thread (kthreadd, pid 2) maps nothing; only root may name it
if [ "$(id -u)" = 0 ]; then
	compile -p 2 'uprobe:libc:write { @x = uaddr("__environ"); }'
	expect_status 1
	expect_grep '^<cmdline>:1:26: error: process 2 has not mapped .*libc\.so\.6: uaddr\("__environ"\) has no address there$' "$TESTDIR/err"
fi
exit 0
