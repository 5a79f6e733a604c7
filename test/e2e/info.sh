#!/bin/sh
# info.sh - wisp --info probes the running kernel: its answers must agree
# with what the kernel shows by other means.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root

run_wisp --info
expect_status 0
grep -Fq "  kernel: Linux $(uname -r) " "$TESTDIR/out" ||
	fail "the kernel line does not name $(uname -r)"
expect_grep '^  bpf\(\) syscall  *yes'
expect_grep '^  BEGIN/END \(test_run\)  *yes'
# Each PMU answer must match sysfs.
for pmu in kprobe uprobe; do
	if [ -e "/sys/bus/event_source/devices/$pmu/type" ]; then
		expect_grep "^  $pmu PMU  *yes"
	else
		expect_grep "^  $pmu PMU  *no"
	fi
done
if [ -e /sys/kernel/btf/vmlinux ]; then
	expect_grep '^  kernel BTF  *yes'
else
	expect_grep '^  kernel BTF  *no'
fi
expect_grep '^  ring buffer  *(yes|no)'
