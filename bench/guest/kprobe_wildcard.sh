#!/bin/sh
# kprobe_wildcard.sh - the guest half of bench/kprobes.sh (a benchmark,
# not a test): a kprobe wildcard of 1000+ kernel functions, attached and
# detached, by one kprobe_multi link where the kernel has them and by one
# perf event a function (WISP_KPROBE_MULTI=0); and a program that reads
# func, which takes one program a function. Prints "BENCH KEY VALUE"
# lines; test/qemu runs it as a test (--tests=bench/guest --show-output).
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=../../test/e2e/lib.sh
. "$here/lib.sh"
need_root
[ -d /sys/bus/event_source/devices/kprobe ] || skip "no kprobe PMU on this kernel"
set -f

# ms: a monotonic-enough clock in milliseconds (busybox's date may lack %N)
if [ "$(date +%N 2>/dev/null)" != "%N" ] && [ -n "$(date +%N 2>/dev/null)" ]; then
	ms() { echo $(($(date +%s%N) / 1000000)); }
	echo "BENCH clock date+%N"
else
	ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
	echo "BENCH clock /proc/uptime(10ms)"
fi
bench() { echo "BENCH $*"; }

# The first pattern matching 1000 to 4000 functions.
pat=
patterns=${BENCH_PATTERNS:-"tcp_* *_read* ext4_* *_get_* *_lock* *_init*"}
for p in $patterns; do
	n=$("$WISP" -l "kprobe:$p" 2>/dev/null | wc -l)
	bench "matches kprobe:$p $n"
	if [ -z "$pat" ] && [ "$n" -ge 1000 ] && [ "$n" -le 4000 ]; then
		pat=$p
		nmatch=$n
	fi
done
[ -n "$pat" ] || fail "no pattern matches 1000 to 4000 functions"
bench "pattern kprobe:$pat $nmatch"

count="kprobe:$pat { @ = count(); }"
func="kprobe:$pat { @[func] = count(); }"

# timed CMD...: run CMD (output dropped), print its milliseconds
timed() {
	_t0=$(ms)
	"$@" >/dev/null 2>&1
	_st=$?
	echo $(($(ms) - _t0))
	return $_st
}

# attach_detach TAG PROGRAM: start wisp -v, wait for the -v line of the
# attach, SIGINT it, time its exit.
attach_detach() {
	_tag=$1
	_t0=$(ms)
	start_wisp -v "$2"
	_n=0
	while ! grep -q "^wisp: kprobe:.* attached by" "$TESTDIR/err"; do
		running "$wisp_pid" || break
		_n=$((_n + 1))
		[ "$_n" -lt 6000 ] || break
		sleep 0.1
	done
	_t1=$(ms)
	sleep 1
	_t2=$(ms)
	kill -INT "$wisp_pid"
	wait_wisp 600
	_t3=$(ms)
	grep -q "attached by" "$TESTDIR/err" || fail "$_tag: not attached"
	_line=$(grep "^wisp: kprobe:.* attached by" "$TESTDIR/err")
	bench "$_tag.v $_line"
	bench "$_tag.start_to_attached_ms $((_t1 - _t0))"
	bench "$_tag.attach_ms $(echo "$_line" | sed -n 's/.* in \([0-9.]*\) ms.*/\1/p')"
	bench "$_tag.functions $(echo "$_line" | sed -n 's/.*: \([0-9]*\) functions\{0,1\} attached.*/\1/p')"
	bench "$_tag.detach_exit_ms $((_t3 - _t2))"
	bench "$_tag.exit_status $status"
}

bench "count.compile_ms $(timed "$WISP" --dump=asm "$count")"
bench "func.compile_ms $(timed "$WISP" --dump=asm "$func")"
bench "count.multi.dryrun_ms $(timed "$WISP" --dry-run "$count")"
WISP_KPROBE_MULTI=0
export WISP_KPROBE_MULTI
bench "count.perf.dryrun_ms $(timed "$WISP" --dry-run "$count")"
bench "func.perf.dryrun_ms $(timed "$WISP" --dry-run "$func")"
unset WISP_KPROBE_MULTI

attach_detach count.multi "$count"
WISP_KPROBE_MULTI=0
export WISP_KPROBE_MULTI
attach_detach count.perf "$count"
unset WISP_KPROBE_MULTI
attach_detach func.perf "$func"
exit 0
