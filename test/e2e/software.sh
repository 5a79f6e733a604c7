#!/bin/sh
# software.sh - software perf events: context switches of a sleeping
# command, bpftrace's aliases and default counts, unknown names, -l.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
WISP_TIMEOUT=30

# sleep gives up its CPU at least once: with COUNT 1 every switch counts.
run_wisp -e 'software:context-switches:1 { @[comm] = count(); }' -c 'sleep 1'
expect_status 0
expect_count '@[sleep]' 1 1000000

# The alias and the default count (1000 switches a sample) resolve, and
# the probe builtin says which event fired.
run_wisp -e 'software:cs { @[probe] = count(); } software:cpu-clock:1000000 { @[probe] = count(); } interval:s:1 { exit(); }'
expect_status 0
expect_count '@[software:cpu-clock:1000000]' 1 1000000

run_wisp -e 'software:context-switch { }'
expect_status 1
expect_grep "unknown software event 'context-switch'; did you mean 'context-switches'\?" "$TESTDIR/err"

run_wisp -l 'software:*'
expect_status 0
expect_line 'software:cpu-clock:'
expect_line 'software:context-switches:'
expect_line 'software:cs:'
expect_line 'software:page-faults:'
expect_no_grep '^hardware:'
run_wisp -l 'hardware:*'
expect_status 0
expect_line 'hardware:cycles:'
expect_line 'hardware:instructions:'
run_wisp -l 'profile:*'
expect_line 'profile:hz:'
