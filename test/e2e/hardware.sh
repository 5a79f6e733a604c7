#!/bin/sh
# hardware.sh - hardware perf events count where the machine has a PMU;
# where it has none (virtual machines, this project's host) wisp says so
# in one clear line and exits 1.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
WISP_TIMEOUT=30

# The PMU drivers' names in sysfs: x86 (cpu, or cpu_core and cpu_atom on
# hybrid parts), arm and arm64, riscv.
has_pmu=
for _d in /sys/bus/event_source/devices/cpu \
	/sys/bus/event_source/devices/cpu_core \
	/sys/bus/event_source/devices/armv* \
	/sys/bus/event_source/devices/*pmu*; do
	[ -d "$_d" ] && has_pmu=yes
done

run_wisp -e 'hardware:cycles:100000 { @ = count(); } interval:s:1 { exit(); }'
if [ "$status" = 0 ]; then
	# A PMU is there: the event counted (cycles pass while wisp runs).
	expect_grep '^@: [0-9]'
else
	expect_status 1
	expect_grep '^<cmdline>:1:1: error: hardware:cycles: this machine has no hardware PMU \(perf_event_open: ' "$TESTDIR/err"
	[ "$(grep -c 'error:' "$TESTDIR/err")" = 1 ] ||
		fail "more than one error for one missing PMU"
	[ -z "$has_pmu" ] || fail "a PMU is in /sys/bus/event_source/devices, yet wisp found none"
	# nothing ran: no maps are printed
	expect_no_grep '^@'
fi

run_wisp -e 'hardware:cycels { }'
expect_status 1
expect_grep "unknown hardware event 'cycels'; did you mean 'cycles'\?" "$TESTDIR/err"
