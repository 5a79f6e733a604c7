#!/bin/sh
# tools.sh - the scripts of tools/ on real workloads: each one's output
# checked for the event its workload makes (a program executed, a file
# opened and one missing, signals sent, syscalls counted, run queue
# latency, kernel stacks). biolatency and vfsstat: tools_kernel.sh.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_root
need_tools
WISP_TIMEOUT=60

# execsnoop: env's execve, with its arguments
env=$(command -v env)
run_wisp -c "$env wisp_marker=1 true" "$tools/execsnoop.wisp"
expect_status 0
expect_grep "^[0-9]+ +[0-9]+ +0 +$env wisp_marker=1 true\$"

# opensnoop: the file cat opens (fd, no error) and the missing one
file=$(hostname_file)
run_wisp -c "cat $file /nonexistent-wisp-file" "$tools/opensnoop.wisp"
expect_status 0
awk -v f="$file" '$2 == "cat" && $3 >= 0 && $4 == 0 && $5 == f { ok = 1 } END { exit !ok }' \
	"$TESTDIR/out" || fail "opensnoop: no line 'PID cat FD 0 $file'"
expect_grep ' cat +-1 +2 /nonexistent-wisp-file$'

# killsnoop: a signal 0 to this shell (0: it exists), a SIGKILL to a pid
# that does not exist (-3: ESRCH)
nopid=999999
while [ -d "/proc/$nopid" ]; do nopid=$((nopid + 1)); done
printf 'kill -0 %s\nkill -9 %s\n' "$$" "$nopid" >"$TESTDIR/k.sh"
run_wisp -c "sh $TESTDIR/k.sh" "$tools/killsnoop.wisp"
expect_status 0
expect_grep " sh +0 $$ +0\$"
expect_grep " sh +9 $nopid +-3\$"

# syscount: dd's reads and writes, by process
run_wisp -c "dd if=/dev/zero of=/dev/null bs=1 count=2000" "$tools/syscount.wisp"
expect_status 0
expect_grep '^Top 10 processes:'
expect_count '@process[dd]' 4000 1000000

# runqlat: sleep's wake-ups reach the CPU after some microseconds
run_wisp -c "sleep 1" "$tools/runqlat.wisp"
expect_status 0
expect_grep '^@usecs:'
awk '/^\[/ { sub(/\|.*/, ""); n += $NF } END { exit !(n > 0) }' "$TESTDIR/out" ||
	fail "runqlat: an empty histogram"

# profile: dd is on a CPU when sampled; its kernel stacks are counted
run_wisp -c "dd if=/dev/zero of=/dev/null bs=1k count=1000000" "$tools/profile.wisp"
expect_status 0
expect_grep '^@\[$'

