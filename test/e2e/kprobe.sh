#!/bin/sh
# kprobe.sh - kprobes and kretprobes attached through the perf kprobe PMU:
# counts and hist(retval) of vfs_read under dd, its caller, a wildcard with func, a
# compiler clone found by its plain name, and arg1 of do_sys_openat2.
# Skips where the kernel has no kprobes (the host); runs in test/qemu.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
[ -d /sys/bus/event_source/devices/kprobe ] || skip "no kprobe PMU on this kernel"
need_cmd dd
dd='dd if=/dev/zero of=/dev/null bs=1k count=200'

run_wisp -c "$dd" 'kprobe:vfs_read /comm == "dd"/ { @[comm] = count(); }'
expect_status 0
expect_count '@[dd]' 200 260

# A row "[1K, 2K)   200 |@@@@|": the 200 reads of 1 KiB.
run_wisp -c "$dd" 'kretprobe:vfs_read /comm == "dd"/ { @ = hist(retval); }'
expect_status 0
n=$(awk '/^\[1K, 2K\)/ { sub(/^\[1K, 2K\)/, ""); print $1; exit }' "$TESTDIR/out")
is_uint "$n" || fail "no count in the [1K, 2K) row"
{ [ "$n" -ge 200 ] && [ "$n" -le 210 ]; } ||
	fail "the [1K, 2K) row holds $n, expected 200..210"

# ply's caller: vfs_read returns to ksys_read (or, inlined, the read
# syscall itself)
run_wisp -c "$dd" 'kprobe:vfs_read /comm == "dd"/ { @[caller] = count(); }'
expect_status 0
expect_grep '^@\[(ksys_read|__[a-z0-9]*_sys_read|__do_sys_read)\]: 2[0-9][0-9]$'

run_wisp -c "$dd" 'kprobe:vfs_rea* /comm == "dd"/ { @[func] = count(); }'
expect_status 0
expect_count '@[vfs_read]' 200 260

# do_sys_open on older kernels, do_sys_openat2 (5.6+) on newer: the
# probe builtin names the instance that fired. The syscall wrapper is
# reachable by its architecture's name too.
case $(uname -m) in
x86_64) wrapper=__x64_sys_openat ;;
aarch64) wrapper=__arm64_sys_openat ;;
*) wrapper=do_sys_open ;;
esac
file=$(hostname_file)
run_wisp -c "cat $file" "kprobe:do_sys_open*,kprobe:$wrapper /comm == \"cat\"/ { @[probe] = count(); }"
expect_status 0
expect_grep '^@\[kprobe:do_sys_open[a-z0-9_]*\]: [1-9]'
expect_grep "^@\\[kprobe:$wrapper\\]: [1-9]"

# finish_task_switch is a clone (.isra.0) in many builds: either way the
# plain name attaches, and func says which function it really is.
run_wisp -c 'sleep 0' 'kprobe:finish_task_switch { @[func] = count(); }'
expect_status 0
expect_grep '^@\[finish_task_switch(\.[a-z]+\.[0-9]+)?\]: [1-9]'

# arg1 of do_sys_openat2 is the user's file name.
run_wisp -c "cat $file" 'kprobe:do_sys_openat2 /comm == "cat"/ { printf("open %s\n", str(arg1)); }'
if ! grep -q "'do_sys_openat2' not found" "$TESTDIR/err"; then
	expect_status 0
	expect_line "open $file"
fi

# With the kallsyms list (WISP_KPROBE_NO_FILTER=1, as under lockdown)
# functions the kernel refuses are offered too: __init ones, freed after
# boot, and notrace entry code. A wildcard skips them with a warning...
WISP_KPROBE_NO_FILTER=1
export WISP_KPROBE_NO_FILTER
run_wisp -c 'sleep 0' 'kprobe:vfs_ca* { @ = count(); }'
expect_status 0
expect_grep "warning: skipped [0-9]+ of the [0-9]+ functions matching 'kprobe:vfs_ca\*': they cannot be probed" "$TESTDIR/err"
if [ "$(uname -m)" = x86_64 ]; then
	# ... a single one is an error naming it, and so is a wildcard
	# matching nothing else.
	run_wisp -c 'sleep 0' 'kprobe:exc_int3 { @ = count(); }'
	expect_status 1
	expect_grep "function 'exc_int3' cannot be probed" "$TESTDIR/err"
	run_wisp -c 'sleep 0' 'kprobe:*exc_int3 { @ = count(); }'
	expect_status 1
	expect_grep "none of the [0-9]+ functions matching 'kprobe:\*exc_int3' can be probed" "$TESTDIR/err"
fi
unset WISP_KPROBE_NO_FILTER
