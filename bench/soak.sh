#!/bin/bash
# bench/soak.sh - wisp and bpftrace under the highest event rate the
# machine gives, for a long time: memory, losses, throughput, and how fast
# each stops. `make bench-soak` runs it; so can you, as root:
#
#     bench/soak.sh [--wisp=PATH] [--soak=SECONDS] [--out=FILE] [--no-bpftrace]
#
# A getppid loop per CPU (bench/workload.c) runs all along; four tracers
# run side by side for SECONDS (600 by default), on the same events:
#     count   tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }
#     printf  tracepoint:raw_syscalls:sys_enter { printf("%d %s\n", pid, comm); }
#             with its output into awk, a /dev/null that counts the lines
#             (and bpftrace's "Lost N events" lines);
#             it traces its own writes too, as such a one-liner does
# each as wisp and as bpftrace (Debian's package, installed when missing;
# --no-bpftrace leaves it out). The table gives, for each tracer, the
# events it saw a second (count: the sum of @; printf: the lines
# written), its RSS 10 s after it attached, at the end and at its peak,
# the events it said it lost, and the time from SIGINT to its exit; the
# ratio is wisp / bpftrace. The RSS samples taken every tenth of the run
# go below the table. The table goes to FILE too (bench/results-soak.txt
# by default). This is a benchmark, not a test: nothing passes or fails.
set -u
cd "$(dirname "$0")/.."
wisp=src/wisp soak=600 out=bench/results-soak.txt with_bpftrace=yes
for a; do
	case $a in
	--wisp=*) wisp=${a#--wisp=} ;;
	--soak=*) soak=${a#--soak=} ;;
	--out=*) out=${a#--out=} ;;
	--no-bpftrace) with_bpftrace=no ;;
	-h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "bench/soak.sh: unknown argument '$a'" >&2; exit 2 ;;
	esac
done
[[ $soak =~ ^[1-9][0-9]*$ ]] && [ "$soak" -ge 20 ] ||
	{ echo "bench/soak.sh: --soak wants seconds, 20 or more" >&2; exit 2; }
exec </dev/null
[ "$(id -u)" = 0 ] || { echo "bench/soak.sh: run me as root (I load BPF programs)" >&2; exit 1; }
[ -x "$wisp" ] || { echo "bench/soak.sh: no wisp at $wisp: build it first (make)" >&2; exit 1; }
wisp=$(realpath "$wisp")
tools=(wisp)
if [ $with_bpftrace = yes ]; then
	if ! command -v bpftrace >/dev/null; then
		echo "bench: installing bpftrace (Debian's package)" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bpftrace >&2 ||
			{ echo "bench/soak.sh: bpftrace could not be installed (--no-bpftrace runs without)" >&2; exit 1; }
	fi
	tools+=(bpftrace)
fi
bpftrace=$(command -v bpftrace || echo bpftrace)
[ -d /sys/kernel/tracing/events ] || [ -d /sys/kernel/debug/tracing/events ] ||
	mount -t tracefs nodev /sys/kernel/tracing

tmp=$(mktemp -d /tmp/wisp-soak.XXXXXX)
pids=() loads=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { echo "bench: $*" >&2; }
now() { date +%s.%N; }
${CC:-cc} -O2 -o "$tmp/workload" bench/workload.c ||
	{ echo "bench/soak.sh: cannot build bench/workload.c" >&2; exit 1; }

progs=(count printf)
declare -A text=(
	[count]='tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'
	[printf]='tracepoint:raw_syscalls:sys_enter { printf("%d %s\n", pid, comm); }'
)
bin() { if [ "$1" = wisp ]; then echo "$wisp"; else echo "$bpftrace"; fi; }
rss() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
# attached PID: does PID hold a perf event or a BPF link (a probe)?
attached() {
	ls -l "/proc/$1/fd" 2>/dev/null | grep -Eq 'perf_event|bpf_link|bpf-link'
}

say "a getppid loop on each of $(nproc) CPUs"
for ((c = 0; c < $(nproc); c++)); do
	"$tmp/workload" 0 >/dev/null &
	pids+=($!)
	loads+=($!)
done

# ---- start: every tracer at once, under the load -----------------------
declare -A pid t_attach rss0
for t in "${tools[@]}"; do
	for p in "${progs[@]}"; do
		k=$t.$p
		if [ $p = printf ]; then
			mkfifo "$tmp/$k.fifo"
			# the lines, and the losses bpftrace reports on stdout
			awk '/^Lost [0-9]+ events/ { lost += $2; next } { n++ }
				END { print n + 0, lost + 0 }' <"$tmp/$k.fifo" >"$tmp/$k.lines" &
			"$(bin $t)" -e "${text[$p]}" >"$tmp/$k.fifo" 2>"$tmp/$k.err" &
		else
			"$(bin $t)" -e "${text[$p]}" >"$tmp/$k.out" 2>"$tmp/$k.err" &
		fi
		pid[$k]=$!
		pids+=($!)
	done
done
say "tracers started; waiting for each to attach"
t_start=$(now)
for ((w = 0; w < 600; w++)); do
	left=0
	for k in "${!pid[@]}"; do
		[ -n "${t_attach[$k]:-}" ] && continue
		if attached "${pid[$k]}"; then
			t_attach[$k]=$(now)
		elif kill -0 "${pid[$k]}" 2>/dev/null; then
			left=1
		fi
	done
	[ $left = 0 ] && break
	sleep 0.1
done
for k in "${!pid[@]}"; do
	[ -n "${t_attach[$k]:-}" ] || say "$k did not attach within 60 s (see below)"
done

# ---- soak: RSS now and then -----------------------------------------------
say "soaking for $soak s"
sleep 10
: >"$tmp/trend"
for k in "${!pid[@]}"; do
	rss0[$k]=$(rss "${pid[$k]}" VmRSS)
done
step=$((soak / 10))
for ((s = 10; s < soak; s += step)); do
	line=$(printf '%5d s' "$s")
	for t in "${tools[@]}"; do
		for p in "${progs[@]}"; do
			line+=$(printf ' %10s' "$(rss "${pid[$t.$p]}" VmRSS)")
		done
	done
	echo "$line" >>"$tmp/trend"
	left=$((soak - s))
	sleep $((left < step ? left : step))
done
declare -A rss1 hwm t_int t_exit
for k in "${!pid[@]}"; do
	rss1[$k]=$(rss "${pid[$k]}" VmRSS)
	hwm[$k]=$(rss "${pid[$k]}" VmHWM)
done
line=$(printf '%5d s' "$soak")
for t in "${tools[@]}"; do
	for p in "${progs[@]}"; do
		line+=$(printf ' %10s' "${rss1[$t.$p]}")
	done
done
echo "$line" >>"$tmp/trend"

# ---- stop: SIGINT to all at once, each one's exit timed -----------------------
say "SIGINT to every tracer"
for k in "${!pid[@]}"; do
	t_int[$k]=$(now)
	kill -INT "${pid[$k]}" 2>/dev/null
done
for ((w = 0; w < 300; w++)); do
	left=0
	for k in "${!pid[@]}"; do
		[ -n "${t_exit[$k]:-}" ] && continue
		if kill -0 "${pid[$k]}" 2>/dev/null &&
			[ "$(awk '{ print $3 }' "/proc/${pid[$k]}/stat" 2>/dev/null)" != Z ]; then
			left=1
		else
			t_exit[$k]=$(now)
		fi
	done
	[ $left = 0 ] && break
	sleep 0.01
done
for k in "${!pid[@]}"; do
	if [ -z "${t_exit[$k]:-}" ]; then
		say "$k did not exit within 30 s of SIGINT: killed"
		kill -KILL "${pid[$k]}" 2>/dev/null
	fi
done
# the loads end; each awk counts its tracer's lines once that is gone
for p in "${loads[@]}"; do
	kill "$p" 2>/dev/null
done
wait 2>/dev/null
pids=()

# ---- the table ----------------------------------------------------------------
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"
		else printf "%.3f\n", a / b
	}'
}
rows=()
row() {
	local w=$2 b=${3:--}
	rows+=("$(printf '%-40s %12s %12s %9s  %s' "$1" "$w" "$b" "$(ratio "$w" "$b")" "${4:-}")")
}
# events K: what tracer K saw
events() {
	case $1 in
	*.count) awk '/^@\[.*\]: [0-9]+$/ { n += $NF } END { print n + 0 }' "$tmp/$1.out" ;;
	*.printf) awk '{ print $1 + 0 }' "$tmp/$1.lines" 2>/dev/null ;;
	esac
}
# lost K: the events tracer K said it lost ("wisp: N events lost",
# bpftrace's "Lost N events")
lost() {
	{
		cat "$tmp/$1.err"
		[ -f "$tmp/$1.lines" ] && awk '{ print "Lost", $2 + 0, "events" }' "$tmp/$1.lines"
	} | awk '{ for (i = 1; i < NF; i++) {
		if ($(i + 1) == "events" && $(i + 2) ~ /^lost/ && $i ~ /^[0-9]+$/) n += $i
		if ($i == "Lost" && $(i + 1) ~ /^[0-9]+$/) n += $(i + 1)
	} } END { print n + 0 }'
}
val() { # val TOOL PROG WHAT
	local k=$1.$2 a
	[ -n "${pid[$k]:-}" ] || { echo -; return; }
	case $3 in
	rate)
		[ -n "${t_attach[$k]:-}" ] || { echo -; return; }
		awk -v n="$(events "$k")" -v a="${t_attach[$k]}" -v b="${t_int[$k]}" \
			'BEGIN { printf "%.0f\n", n / (b - a) }'
		;;
	rss0) echo "${rss0[$k]:--}" ;;
	rss1) echo "${rss1[$k]:--}" ;;
	hwm) echo "${hwm[$k]:--}" ;;
	lost)
		# a tracer killed has said nothing
		[ -n "${t_exit[$k]:-}" ] || { echo -; return; }
		lost "$k"
		;;
	stop)
		[ -n "${t_exit[$k]:-}" ] || { echo -; return; }
		awk -v a="${t_int[$k]}" -v b="${t_exit[$k]}" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'
		;;
	attach)
		[ -n "${t_attach[$k]:-}" ] || { echo -; return; }
		awk -v a="$t_start" -v b="${t_attach[$k]}" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'
		;;
	esac
}
for p in "${progs[@]}"; do
	row "($p) events seen per second" "$(val wisp $p rate)" "$(val bpftrace $p rate)"
	row "($p) RSS 10 s after attaching (KiB)" "$(val wisp $p rss0)" "$(val bpftrace $p rss0)"
	row "($p) RSS at the end (KiB)" "$(val wisp $p rss1)" "$(val bpftrace $p rss1)" "no growth: the same as above"
	row "($p) peak RSS (KiB)" "$(val wisp $p hwm)" "$(val bpftrace $p hwm)"
	row "($p) events lost (said)" "$(val wisp $p lost)" "$(val bpftrace $p lost)"
	row "($p) start to attached, under load (ms)" "$(val wisp $p attach)" "$(val bpftrace $p attach)"
	note="target <= 1000"
	for t in "${tools[@]}"; do
		[ -n "${t_exit[$t.$p]:-}" ] || note="$note; $t did not stop in 30 s: SIGKILL"
	done
	row "($p) SIGINT to exit (ms)" "$(val wisp $p stop)" "$(val bpftrace $p stop)" "$note"
done

{
	echo "$("$wisp" --version 2>/dev/null | head -n 1)$([ $with_bpftrace = yes ] && echo " vs $("$bpftrace" --version)") on $(uname -r) $(uname -m), $(nproc) CPUs, $(date -u +%Y-%m-%d)"
	echo "soak of $soak s: ${#pid[@]} tracers side by side on the same events, a getppid loop per CPU; ratio = wisp / bpftrace"
	printf '%-40s %12s %12s %9s  %s\n' "measure" "wisp" "bpftrace" "ratio" "note"
	for r in "${rows[@]}"; do echo "$r"; done
	echo
	line=$(printf '%7s' "RSS KiB")
	for t in "${tools[@]}"; do
		for p in "${progs[@]}"; do
			line+=$(printf ' %10s' "$t.$p" | cut -c1-11)
		done
	done
	echo "$line"
	cat "$tmp/trend"
	for k in "${!pid[@]}"; do
		# what a tracer said on stderr besides the usual, for the record
		grep -Ev '^(Attaching [0-9]+ probes?\.\.\.|)$' "$tmp/$k.err" | head -n 5 | sed "s/^/$k: /"
	done
} | tee "$out"
