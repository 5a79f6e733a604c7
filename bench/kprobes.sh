#!/bin/bash
# bench/kprobes.sh - attach and detach times of a kprobe wildcard of 1000+
# kernel functions, in QEMU guests (test/qemu: the host may have no
# kprobes). `make bench-kprobes` runs it; so can you, as root:
#
#     bench/kprobes.sh [--flavours "5.10-amd64 6.1-amd64 6.12-amd64"]
#                      [--wisp-x86_64 PATH] [--wisp-aarch64 PATH] [--out=FILE]
#                      [--from-log=FILE]
#
# In each guest bench/guest/kprobe_wildcard.sh picks the first of tcp_*,
# *_read*, ... that matches 1000 to 4000 functions and times, for
#     count  kprobe:PATTERN { @ = count(); }    one program for all
#     func   kprobe:PATTERN { @[func] = count(); }   a program a function
# compiling (--dump=asm), compiling and loading (--dry-run), attaching
# (what wisp -v says), and the time from SIGINT to wisp's exit (detaching
# is most of it), the count program both by wisp's default way (one
# kprobe_multi link where the kernel has them) and by one perf event a
# function (WISP_KPROBE_MULTI=0). Times are in ms on QEMU's TCG (no KVM):
# far slower than real hardware, comparable between columns. The table
# goes to FILE too (bench/results-kprobes.txt by default). --from-log
# makes the table from the output of an earlier test/qemu/run.sh (its
# flavours' .report files, kept in its folder when a flavour failed). A benchmark,
# not a test: nothing passes or fails. bpftrace is not in the guests.
# The perf-event way takes minutes a flavour under TCG: the whole run
# takes 30 minutes or more (WISP_QEMU_TIMEOUT is 3600 s here).
set -u
cd "$(dirname "$0")/.."
flavours="5.10-amd64 6.1-amd64 6.12-amd64" out=bench/results-kprobes.txt
qargs=() from=
while [ $# -gt 0 ]; do
	case $1 in
	--flavours=*) flavours=${1#*=} ;;
	--flavours) flavours=$2; shift ;;
	--wisp-x86_64=* | --wisp-aarch64=*) qargs+=("$1") ;;
	--wisp-x86_64 | --wisp-aarch64) qargs+=("$1=$2"); shift ;;
	--out=*) out=${1#*=} ;;
	--from-log=*) from=${1#*=} ;;
	-h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "bench/kprobes.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
if [ -n "$from" ]; then
	log=$from
else
	log=$(mktemp /tmp/wisp-bench-kprobes.XXXXXX)
	trap 'rm -f "$log"' EXIT
	echo "bench: booting $flavours (test/qemu/run.sh; minutes)" >&2
	WISP_QEMU_TEST_TIMEOUT=${WISP_QEMU_TEST_TIMEOUT:-2400} \
		WISP_QEMU_TIMEOUT=${WISP_QEMU_TIMEOUT:-3600} \
		test/qemu/run.sh --tests=bench/guest --show-output --flavours="$flavours" \
		"${qargs[@]}" kprobe_wildcard >"$log" 2>&1
fi
grep -E '^(FAIL|SKIP)' "$log" >&2

awk -v flavours="$flavours" -v date="$(date -u +%Y-%m-%d)" -v host="$(nproc) host CPUs" '
/^qemu-[^:]*: [0-9]/ && $3 ~ /^(x86_64|aarch64)$/ {
	f = $1; sub(/^qemu-/, "", f); sub(/:$/, "", f)
	kernel[f] = $2
}
/^(PASS|FAIL|SKIP) qemu-[^\/]*\/kprobe_wildcard/ {
	cur = $2; sub(/^qemu-/, "", cur); sub(/\/.*/, "", cur)
	state[cur] = $1
	next
}
/^(PASS|FAIL|SKIP) / { cur = "" }
cur != "" && $1 == "BENCH" {
	k = $2; $1 = ""; $2 = ""; sub(/^  */, "")
	v[cur, k] = $0
}
function get(f, k) { return ((f, k) in v) ? v[f, k] : "-" }
function method(f, line) {
	line = get(f, "count.multi.v")
	if (line ~ /kprobe_multi link/) return "kprobe_multi"
	if (line ~ /perf events/) return "perf events"
	return "-"
}
function row(name, key,   i, s) {
	s = sprintf("%-46s", name)
	for (i = 1; i <= n; i++) s = s sprintf(" %13s", get(fl[i], key))
	print s
}
BEGIN { n = split(flavours, fl, " ") }
END {
	print "wisp kprobe wildcards in QEMU guests (TCG, 2 vCPUs, one host thread; " host "), " date
	s = sprintf("%-46s", "flavour")
	for (i = 1; i <= n; i++) s = s sprintf(" %13s", fl[i])
	print s
	s = sprintf("%-46s", "kernel")
	for (i = 1; i <= n; i++) s = s sprintf(" %13s", substr(kernel[fl[i]] "", 1, 13))
	print s
	s = sprintf("%-46s", "functions matched (pattern below)")
	for (i = 1; i <= n; i++) { split(get(fl[i], "pattern"), p, " "); s = s sprintf(" %13s", p[2] "") }
	print s
	s = sprintf("%-46s", "wisp'"'"'s way for count")
	for (i = 1; i <= n; i++) s = s sprintf(" %13s", method(fl[i]))
	print s
	row("count: compile, --dump=asm (ms)", "count.compile_ms")
	row("func: compile, --dump=asm (ms)", "func.compile_ms")
	row("count: compile+load, --dry-run (ms)", "count.multi.dryrun_ms")
	row("count, perf: compile+load, --dry-run (ms)", "count.perf.dryrun_ms")
	row("func: compile+load, --dry-run (ms)", "func.perf.dryrun_ms")
	row("count: functions attached", "count.multi.functions")
	row("count: attach (ms, -v)", "count.multi.attach_ms")
	row("count, perf: attach (ms, -v)", "count.perf.attach_ms")
	row("func (perf): attach (ms, -v)", "func.perf.attach_ms")
	row("count: start to attached (ms)", "count.multi.start_to_attached_ms")
	row("count, perf: start to attached (ms)", "count.perf.start_to_attached_ms")
	row("func (perf): start to attached (ms)", "func.perf.start_to_attached_ms")
	row("count: SIGINT to exit, detach (ms)", "count.multi.detach_exit_ms")
	row("count, perf: SIGINT to exit, detach (ms)", "count.perf.detach_exit_ms")
	row("func (perf): SIGINT to exit, detach (ms)", "func.perf.detach_exit_ms")
	print ""
	for (i = 1; i <= n; i++) {
		f = fl[i]
		print f ": " (f in state ? state[f] : "no result") ", pattern " get(f, "pattern") ", clock " get(f, "clock")
		print "  " get(f, "count.multi.v")
		print "  " get(f, "count.perf.v")
		print "  " get(f, "func.perf.v")
	}
}' "$log" | tee "$out"
