#!/bin/bash
# bench/run.sh - wisp against bpftrace, in one run, interleaved: start-up,
# memory, size, per-event cost, code size and compile time. `make bench`
# runs it; so can you, as root:
#
#     bench/run.sh [--wisp=PATH] [--reps=N] [--out=FILE]
#
# Each figure is the median of N runs (5 by default), the two tools taking
# turns; the table gives both and the ratio wisp/bpftrace, and goes to
# FILE too (bench/results.txt by default). A figure that cannot be
# measured here says why in its row. bpftrace comes from Debian's package,
# installed when missing. This is a benchmark, not a test: nothing here
# passes or fails.
set -u
cd "$(dirname "$0")/.."
wisp=src/wisp reps=5 out=bench/results.txt
for a; do
	case $a in
	--wisp=*) wisp=${a#--wisp=} ;;
	--reps=*) reps=${a#--reps=} ;;
	--out=*) out=${a#--out=} ;;
	-h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "bench/run.sh: unknown argument '$a'" >&2; exit 2 ;;
	esac
done
exec </dev/null
[ "$(id -u)" = 0 ] || { echo "bench/run.sh: run me as root (I load BPF programs)" >&2; exit 1; }
[ -x "$wisp" ] || { echo "bench/run.sh: no wisp at $wisp: build it first (make)" >&2; exit 1; }
wisp=$(realpath "$wisp")
if ! command -v bpftrace >/dev/null; then
	echo "bench: installing bpftrace (Debian's package)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bpftrace >&2 ||
		{ echo "bench/run.sh: bpftrace is needed and could not be installed" >&2; exit 1; }
fi
bpftrace=$(command -v bpftrace)
[ -d /sys/kernel/tracing/events ] || [ -d /sys/kernel/debug/tracing/events ] ||
	mount -t tracefs nodev /sys/kernel/tracing

tmp=$(mktemp -d /tmp/wisp-bench.XXXXXX)
bg=
cleanup() {
	[ -n "$bg" ] && kill "$bg" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
cc=${CC:-cc}
for t in tracer workload progs; do
	extra=
	[ $t = progs ] && extra=-lbpf
	$cc -O2 -o "$tmp/$t" "bench/$t.c" $extra ||
		{ echo "bench/run.sh: cannot build bench/$t.c" >&2; exit 1; }
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# ratio A B; "12+34" against "15+40" gives one ratio a program
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		na = split(a, x, "+"); nb = split(b, y, "+")
		if (a == "-" || b == "-" || a == "" || b == "" || na != nb) { print "-"; exit }
		for (i = 1; i <= na; i++) {
			if (y[i] == 0) { print "-"; exit }
			out = out sep sprintf("%.3f", x[i] / y[i]); sep = "+"
		}
		print out
	}'
}
rows=()
row() { rows+=("$(printf '%-44s %12s %12s %9s  %s' "$1" "$2" "$3" "$(ratio "$2" "$3")" "${4:-}")"); }
say() { echo "bench: $*" >&2; }

# Output to a pipe: bpftrace buffers it unless told not to, and a line
# it holds back would count as late (wisp writes each event out).
opts() { [ "$1" = "$bpftrace" ] && echo "-B none"; }
# run MARK TIMEOUT_MS TOOL PROGRAM: "first_ms total_ms maxrss_kb"
run() { "$tmp/tracer" "$1" "$2" "$3" $(opts "$3") -e "$4" 2>/dev/null; }
# turns FIELD MARK TIMEOUT_MS PROGRAM: run each tool $reps times, in
# turns; the medians of the tracer's FIELD (1 first line, 2 total, 3 RSS)
# go to $tmp/med.wisp and $tmp/med.bpftrace
turns() {
	: >"$tmp/m.w"; : >"$tmp/m.b"
	for ((i = 0; i < reps; i++)); do
		run "$2" "$3" "$wisp" "$4" | awk -v f="$1" '{ print $f }' >>"$tmp/m.w"
		run "$2" "$3" "$bpftrace" "$4" | awk -v f="$1" '{ print $f }' >>"$tmp/m.b"
	done
	median <"$tmp/m.w" >"$tmp/med.wisp"
	median <"$tmp/m.b" >"$tmp/med.bpftrace"
}

# ---- start-up -------------------------------------------------------
say "start-up to the first event (a getppid loop runs meanwhile)"
"$tmp/workload" 0 >/dev/null &
bg=$!
first='tracepoint:syscalls:sys_enter_getppid { printf("first\n"); exit(); }'
# one untimed run each: binaries and libraries in the page cache
run first 20000 "$wisp" "$first" >/dev/null
run first 20000 "$bpftrace" "$first" >/dev/null
turns 1 first 20000 "$first"
first_w=$(cat "$tmp/med.wisp")
row "start-up to first event (ms)" "$first_w" "$(cat "$tmp/med.bpftrace")" "target <= 0.05"
turns 3 first 20000 "$first"
rss_first_w=$(cat "$tmp/med.wisp")
# the same with a two-hop read through the kernel's BTF: wisp reads the
# few types it needs from /sys/kernel/btf/vmlinux, never all of it
if [ -r /sys/kernel/btf/vmlinux ]; then
	say "start-up to the first event reading curtask->real_parent->pid"
	typed='tracepoint:syscalls:sys_enter_getppid /curtask->real_parent->pid > 0/ { printf("first\n"); exit(); }'
	run first 20000 "$wisp" "$typed" >/dev/null
	turns 1 first 20000 "$typed"
	typed_w=$(cat "$tmp/med.wisp")
	row "start-up, curtask->real_parent->pid (ms)" "$typed_w" "$(cat "$tmp/med.bpftrace")" \
		"wisp $(awk -v a="$typed_w" -v b="$first_w" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')x its untyped start-up; target <= 2x"
	turns 3 first 20000 "$typed"
	row "peak RSS, curtask->real_parent->pid (KiB)" "$(cat "$tmp/med.wisp")" "$(cat "$tmp/med.bpftrace")" \
		"wisp +$(( $(cat "$tmp/med.wisp") - rss_first_w )) KiB over untyped; target <= +1024"
fi
kill "$bg"; wait "$bg" 2>/dev/null; bg=

say "BEGIN { exit(); }"
turns 2 - 0 'BEGIN { exit(); }'
row "BEGIN { exit(); } total (ms)" "$(cat "$tmp/med.wisp")" "$(cat "$tmp/med.bpftrace")" "target <= 0.05"

# ---- memory ---------------------------------------------------------
say "peak RSS of a counting one-liner for 2 s"
count='tracepoint:raw_syscalls:sys_enter { @[comm] = count(); } interval:s:2 { exit(); }'
turns 3 - 30000 "$count"
rss_bpftrace=$(cat "$tmp/med.bpftrace")
row "peak RSS, counting for 2 s (KiB)" "$(cat "$tmp/med.wisp")" "$rss_bpftrace" "target wisp <= 2048"
# The floor under any dynamically linked program on this machine: what
# `sleep 2` (coreutils, libc only) peaks at, mostly libc's text that the
# kernel maps in 64 KiB around each page fault.
: >"$tmp/rf"
for ((i = 0; i < reps; i++)); do
	"$tmp/tracer" - 30000 sleep 2 2>/dev/null | awk '{ print $3 }' >>"$tmp/rf"
done
row "peak RSS of sleep 2, libc only (KiB)" "$(median <"$tmp/rf")" "$rss_bpftrace" "the floor of a dynamic program here"

# ---- size -------------------------------------------------------------
# The stripped binary and every shared library it loads (ldd's list).
footprint() {
	local bin=$1 total lib
	strip -o "$tmp/stripped" "$bin" 2>/dev/null || cp "$bin" "$tmp/stripped"
	total=$(stat -c %s "$tmp/stripped")
	for lib in $(ldd "$bin" 2>/dev/null | awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
		total=$((total + $(stat -L -c %s "$lib")))
	done
	echo $((total / 1024))
}
say "sizes"
row "binary + shared libraries (KiB)" "$(footprint "$wisp")" "$(footprint "$bpftrace")"
static=
if [ -x test/qemu/build-static.sh ] || [ -f test/qemu/build-static.sh ]; then
	say "building the static x86_64 wisp (test/qemu/build-static.sh)"
	if bash test/qemu/build-static.sh "$(uname -m)" "$tmp/wisp-static" >"$tmp/static.log" 2>&1; then
		static=$(( $(stat -c %s "$tmp/wisp-static") / 1024 ))
	fi
fi
if [ -n "$static" ]; then
	row "static wisp, stripped, no libdw (KiB)" "$static" "-" "target <= 1464 (1.5 MB)"
	: >"$tmp/rs"
	for ((i = 0; i < reps; i++)); do
		run - 30000 "$tmp/wisp-static" "$count" | awk '{ print $3 }' >>"$tmp/rs"
	done
	row "peak RSS, counting for 2 s, static (KiB)" "$(median <"$tmp/rs")" "$rss_bpftrace" "target <= 2048"
else
	row "static wisp, stripped (KiB)" "-" "-" "not measured: the static build failed (see test/qemu/build-static.sh)"
fi

# ---- per-event cost and code size ----------------------------------------
n=5000000
progs=(
	'tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }'
	'tracepoint:syscalls:sys_exit_getppid { @ = hist(args->ret); }'
	'tracepoint:syscalls:sys_enter_getppid { @start[tid] = nsecs; } tracepoint:syscalls:sys_exit_getppid /@start[tid]/ { @ = hist(nsecs - @start[tid]); delete(@start[tid]); }'
)
names=(a b c)
# (d) a two-hop struct read through BTF types
if [ -r /sys/kernel/btf/vmlinux ]; then
	progs+=('tracepoint:syscalls:sys_enter_getppid { @[curtask->real_parent->pid] = count(); }')
	names+=(d)
fi
"$tmp/workload" 200000 >/dev/null # warm up
# traced TOOL PROGRAM: run the workload under the tool; appends the
# workload's ns to $tmp/ns.TOOL and the new programs' xlated counts
# ("12+34") to $tmp/insns.TOOL
# stop PID: end the tracer the tracer helper PID runs: SIGINT each second
# (bpftrace 0.17 was seen to miss one sent while it attaches), SIGKILL
# after 10 s.
stop() {
	local w
	for ((w = 0; w < 100; w++)); do
		kill -0 "$1" 2>/dev/null || break
		((w % 10)) || pkill -INT -P "$1" 2>/dev/null
		sleep 0.1
	done
	pkill -KILL -P "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
traced() {
	local tool=$1 prog=$2 tag=$3 pid
	"$tmp/progs" | awk '{ print $1 }' >"$tmp/before"
	rm -f "$tmp/ready"
	TRACER_READY=$tmp/ready "$tmp/tracer" ready 300000 "$tool" $(opts "$tool") \
		-e "BEGIN { printf(\"ready\\n\"); } $prog" >/dev/null 2>&1 &
	pid=$!
	# BEGIN runs once every probe is attached
	for ((w = 0; w < 600; w++)); do
		[ -e "$tmp/ready" ] && break
		sleep 0.05
	done
	if [ ! -e "$tmp/ready" ]; then
		# not attached: this turn would measure an untraced loop
		say "$(basename "$tool") did not start tracing within 30 s: turn dropped"
		stop "$pid"
		return
	fi
	"$tmp/progs" >"$tmp/after"
	# (FILENAME, not NR == FNR: "before" may be empty)
	awk 'FILENAME == ARGV[1] { old[$1] = 1; next } !($1 in old) && $2 ~ /^sys_e/ { printf "%s%s", sep, $3; sep = "+" } END { print "" }' \
		"$tmp/before" "$tmp/after" >>"$tmp/insns.$tag"
	"$tmp/workload" $n >>"$tmp/ns.$tag"
	stop "$pid"
}
for k in "${!progs[@]}"; do
	say "per-event cost (${names[$k]}): ${progs[$k]}"
	rm -f "$tmp"/ns.* "$tmp"/insns.*
	for ((i = 0; i < reps; i++)); do
		"$tmp/workload" $n >>"$tmp/ns.none"
		traced "$wisp" "${progs[$k]}" wisp
		traced "$bpftrace" "${progs[$k]}" bpftrace
	done
	base=$(median <"$tmp/ns.none")
	cw=$(median <"$tmp/ns.wisp")
	cb=$(median <"$tmp/ns.bpftrace")
	aw=$(awk -v t="$cw" -v b="$base" -v n=$n 'BEGIN { printf "%.1f\n", (t - b) / n }')
	ab=$(awk -v t="$cb" -v b="$base" -v n=$n 'BEGIN { printf "%.1f\n", (t - b) / n }')
	row "(${names[$k]}) added ns per event" "$aw" "$ab" "untraced $(awk -v b="$base" -v n=$n 'BEGIN { printf "%.1f", b / n }') ns/call; target <= 0.9"
	row "(${names[$k]}) xlated instructions" "$(sort "$tmp/insns.wisp" | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')" \
		"$(sort "$tmp/insns.bpftrace" | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')" "target <= 1 (each program)"
done

# ---- compile time ------------------------------------------------------------
# The largest script of tools/ and the tests that both tools take
# (bpftrace 0.17 has no for-over-map, no ply dialect): compiled, not
# loaded (wisp --dump=asm, bpftrace --emit-elf).
say "compile time"
big= bigsize=0
for f in tools/*.wisp test/golden/*.wisp; do
	size=$(stat -c %s "$f")
	[ "$size" -gt "$bigsize" ] || continue
	"$wisp" --dump=asm "$f" >/dev/null 2>&1 || continue
	"$bpftrace" --emit-elf "$tmp/out.elf" "$f" >/dev/null 2>&1 || continue
	big=$f bigsize=$size
done
: >"$tmp/cw"; : >"$tmp/cb"
for ((i = 0; i < reps; i++)); do
	"$tmp/tracer" - 0 "$wisp" --dump=asm "$big" 2>/dev/null | awk '{ print $2 }' >>"$tmp/cw"
	"$tmp/tracer" - 0 "$bpftrace" --emit-elf "$tmp/out.elf" "$big" 2>/dev/null | awk '{ print $2 }' >>"$tmp/cb"
done
if [ -n "$big" ]; then
	row "compile $big (ms)" "$(median <"$tmp/cw")" "$(median <"$tmp/cb")"
else
	row "compile time (ms)" "-" "-" "not measured: no script both tools compile"
fi

{
	echo "$("$wisp" --version 2>/dev/null | head -n 1) vs $("$bpftrace" --version) on $(uname -r) $(uname -m), $(nproc) CPUs, $(date -u +%Y-%m-%d)"
	echo "medians of $reps runs, interleaved; ratio = wisp / bpftrace"
	printf '%-44s %12s %12s %9s  %s\n' "measure" "wisp" "bpftrace" "ratio" "note"
	for r in "${rows[@]}"; do echo "$r"; done
} | tee "$out"
