#!/bin/sh
# run.sh - wisp's test driver; `make check` runs it, and so can you:
#
#     test/run.sh [--srcdir=DIR] [--builddir=DIR] [--wisp=PATH] [FILTER...]
#
# In order:
#   unit    every executable BUILDDIR/test/unit/test_*: exit 0 passes when
#           its checks ran (its last line counts them: "NAME: N passed, 0
#           failed", N > 0, and no line starts with SKIP), 77 skips (the
#           reason is its last line of output), else it fails; as root,
#           each runs again as user nobody, "unit/test_NAME (not root)",
#           where what needs privileges must skip, not pass unchecked
#   golden  each SRCDIR/test/golden/NAME.wisp against its expected outputs:
#           NAME.tokens, NAME.ast, NAME.lower, NAME.ir, NAME.ra, NAME.asm are the stdout
#           of `wisp --target=T --dump=STAGE NAME.wisp` (exit 0), NAME.err the
#           stderr of `wisp --target=T --dump=ast NAME.wisp` (exit 1), compared
#           exactly; run from test/golden so that diagnostics name the file
#           NAME.wisp. T is NAME.target, else default.target: the kernel
#           compiled for (features, architecture, tracepoint formats from
#           test/golden/tracefs), so the dumps are the same for any user
#           on any machine; as root each runs again as user nobody,
#           "golden/NAME.STAGE (not root)".
#           WISP_UPDATE_GOLDEN=1 rewrites the expected files (and creates
#           NAME.ir and NAME.asm, or NAME.err, for a NAME.wisp that has
#           none). NAME.reachable: a NAME.wisp without NAME.err compiles
#           (--dump=asm exits 0), which wisp allows only when every
#           instruction of the encoded code is reachable.
#   fuzz    the fuzz target's replay (BUILDDIR/test/fuzz/replay) on the
#           seed corpus and SRCDIR/test/fuzz/regress: fuzz/seeds,
#           fuzz/regress
#   e2e     each SRCDIR/test/e2e/NAME.sh (but lib.sh), run as `sh NAME.sh`
#           in a fresh directory TESTDIR with WISP set: exit 0 passes, 77
#           skips (the reason is its last line of stdout), else it fails;
#           then "e2e/leaks": no wisp process a test started may outlive
#           it, and kprobe_events/uprobe_events gain nothing named wisp.
#   qemu    the e2e tests again in QEMU guests on other kernels and
#           architectures (test/qemu/run.sh; WISP_QEMU=0 leaves them out),
#           named qemu-FLAVOUR/NAME: see test/qemu/README
# Every test runs under a timeout (WISP_TEST_TIMEOUT, default 60 s); an
# e2e test that needs more says so in a line "# timeout: SECONDS" among
# its first 20 (the QEMU guests honour it too).
# Prints one line per test (PASS name, FAIL name (why) and its output,
# SKIP name: reason), then "N passed, N failed, N skipped"; exits 1 when a
# test failed. With FILTERs, runs only the tests whose name (unit/test_lexer,
# golden/NAME.ir, e2e/openat) contains one of them.
#
# POSIX sh, so that it also runs under dash (make's $(SHELL)) and busybox.

usage() {
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
}

srcdir=.
builddir=.
wisp=
filters=
for arg; do
	case $arg in
	--srcdir=*) srcdir=${arg#*=} ;;
	--builddir=*) builddir=${arg#*=} ;;
	--wisp=*) wisp=${arg#*=} ;;
	-h | --help)
		usage
		exit 0
		;;
	-*)
		echo "run.sh: unknown option $arg" >&2
		usage >&2
		exit 2
		;;
	*) filters="$filters
$arg" ;;
	esac
done

srcdir=$(cd "$srcdir" && pwd) || exit 2
builddir=$(cd "$builddir" && pwd) || exit 2
[ -n "$wisp" ] || wisp=$builddir/src/wisp
case $wisp in
/*) ;;
*) wisp=$(pwd)/$wisp ;;
esac
LC_ALL=C
export LC_ALL

timeout_s=${WISP_TEST_TIMEOUT:-60}
if command -v timeout >/dev/null 2>&1; then
	if timeout -k 5 10 true 2>/dev/null; then
		with_timeout="timeout -k 5 $timeout_s"
	else
		with_timeout="timeout $timeout_s"
	fi
else
	with_timeout=
fi

# test_timeout FILE: the "# timeout: N" of FILE when it is more than
# timeout_s, else timeout_s; sets with_timeout and cur_timeout for it.
test_timeout() {
	cur_timeout=$(sed -n '1,20s/^# timeout: \([0-9][0-9]*\)$/\1/p' "$1" | head -n 1)
	if [ -z "$cur_timeout" ] || [ "$cur_timeout" -le "$timeout_s" ]; then
		cur_timeout=$timeout_s
	fi
	[ -n "$with_timeout" ] || return 0
	if timeout -k 5 10 true 2>/dev/null; then
		with_timeout="timeout -k 5 $cur_timeout"
	else
		with_timeout="timeout $cur_timeout"
	fi
}

is_root=no
[ "$(id -u)" = 0 ] && is_root=yes

# Every process the tests start carries this variable: that is how
# leftovers are told from other wisp processes on the machine.
WISP_TEST_RUN=$$.$(date +%s)
export WISP_TEST_RUN
wisp_comm=$(basename "$wisp" | cut -c1-15)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wisp-test.XXXXXX") || exit 2
chmod 755 "$tmp"
keep_tmp=no

passed=0
failed=0
skipped=0

# selected NAME: does NAME pass the filters?
selected() {
	[ -z "$filters" ] && return 0
	# The filters are one a line; a case pattern per line.
	_sel=1
	_ifs=$IFS
	IFS='
'
	for _f in $filters; do
		case $1 in
		*"$_f"*) _sel=0 ;;
		esac
	done
	IFS=$_ifs
	return $_sel
}

# show FILE: print FILE indented (at most 200 lines).
show() {
	[ -s "$1" ] || return 0
	sed -n '1,200s/^/    /p' "$1"
	_n=$(wc -l <"$1")
	[ "$_n" -le 200 ] || echo "    ... ($_n lines, first 200 shown)"
}

pass() {
	passed=$((passed + 1))
	echo "PASS $1"
}

# fail NAME WHY [FILE...]: report a failure and show the files.
fail() {
	failed=$((failed + 1))
	printf 'FAIL %s (%s)\n' "$1" "$2"
	shift 2
	for _f; do
		show "$_f"
	done
}

skip() {
	skipped=$((skipped + 1))
	printf 'SKIP %s: %s\n' "$1" "${2:-no reason given}"
}

# why STATUS: words for a failing exit status.
why() {
	if [ "$1" = 124 ] && [ -n "$with_timeout" ]; then
		echo "timed out after ${cur_timeout:-$timeout_s} s"
	elif [ "$1" -gt 128 ] 2>/dev/null; then
		echo "killed by signal $(($1 - 128))"
	else
		echo "exit $1"
	fi
}

# last_line FILE: the last non-empty line of FILE.
last_line() {
	# shellcheck disable=SC2016 # a sed script
	sed -n '/./h; ${x;p;}' "$1"
}

# ---- unit tests ------------------------------------------------------

# A unit test that cannot run its checks (not root, no tracefs) must say
# so by skipping: exit 0 after a SKIP line, or with no check counted,
# would hide that nothing was tested.
unit_verdict() { # NAME STATUS: of the test whose output is $tmp/unit.out
	case $2 in
	0)
		if grep -q '^SKIP' "$tmp/unit.out"; then
			fail "$1" "exit 0, yet it skipped checks: that is exit 77" "$tmp/unit.out"
		elif ! last_line "$tmp/unit.out" | grep -q ': [1-9][0-9]* passed, 0 failed$'; then
			fail "$1" "exit 0 without a count of its checks as its last line" "$tmp/unit.out"
		else
			pass "$1"
		fi
		;;
	77) skip "$1" "$(last_line "$tmp/unit.out")" ;;
	*) fail "$1" "$(why "$2")" "$tmp/unit.out" ;;
	esac
}

# As root, the unit tests run once more as user nobody (65534).
as_nobody=
if [ $is_root = yes ]; then
	if command -v setpriv >/dev/null 2>&1 &&
		setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	elif command -v runuser >/dev/null 2>&1 && runuser -u nobody -- true 2>/dev/null; then
		as_nobody="runuser -u nobody --"
	fi
fi

for t in "$builddir"/test/unit/test_*; do
	{ [ -f "$t" ] && [ -x "$t" ]; } || continue
	base=${t##*/}
	case $base in
	*.*) continue ;; # sources, objects, scripts
	esac
	name=unit/$base
	if selected "$name"; then
		(cd "$builddir" && srcdir=$srcdir builddir=$builddir \
			$with_timeout "$t" </dev/null >"$tmp/unit.out" 2>&1)
		unit_verdict "$name" $?
	fi
	name="unit/$base (not root)"
	if [ $is_root = no ] || ! selected "$name"; then
		continue
	fi
	if [ -z "$as_nobody" ]; then
		skip "$name" "needs setpriv or runuser to drop privileges"
	elif ! $as_nobody test -x "$t" 2>/dev/null; then
		skip "$name" "user nobody cannot run $t"
	else
		# shellcheck disable=SC2086 # $as_nobody is a command and its options
		(cd "$builddir" && srcdir=$srcdir builddir=$builddir \
			$with_timeout $as_nobody "$t" </dev/null >"$tmp/unit.out" 2>&1)
		unit_verdict "$name" $?
	fi
done

# ---- golden tests ----------------------------------------------------

golden=$srcdir/test/golden
update=${WISP_UPDATE_GOLDEN:-}
[ "$update" = 0 ] && update=

# golden_target NAME: the target a golden program is compiled for:
# NAME.target where the test pins a kernel of its own, else
# default.target (Linux 6.18, x86_64, the tracepoint formats in tracefs/).
golden_target() {
	if [ -f "$golden/$1.target" ]; then
		echo "--target=$1.target"
	else
		echo "--target=default.target"
	fi
}

# golden_one NAME STAGE [RUNNER]: compare one expected file. RUNNER
# (as_nobody) runs wisp as another user: compiling for a described
# kernel depends on nothing of this machine's, root's rights included.
golden_one() {
	_name=$1
	_stage=$2
	_as=${3:-}
	_test=golden/$_name.$_stage${_as:+ (not root)}
	_exp=$golden/$_name.$_stage
	_target=$(golden_target "$_name")
	if [ "$_stage" = err ]; then
		# compile only: a described target is not loaded
		# shellcheck disable=SC2086 # $_as is a command and its options
		(cd "$golden" && $with_timeout $_as "$wisp" "$_target" --dump=ast "$_name.wisp" \
			</dev/null >"$tmp/golden.other" 2>"$tmp/golden.got")
		_st=$?
		_want=1
	else
		# shellcheck disable=SC2086
		(cd "$golden" && $with_timeout $_as "$wisp" "$_target" --dump="$_stage" "$_name.wisp" \
			</dev/null >"$tmp/golden.got" 2>"$tmp/golden.other")
		_st=$?
		_want=0
	fi
	if [ "$_st" != "$_want" ]; then
		fail "$_test" "$(why "$_st"), expected exit $_want" \
			"$tmp/golden.got" "$tmp/golden.other"
		return
	fi
	if [ -n "$update" ]; then
		if [ -f "$_exp" ] && cmp -s "$_exp" "$tmp/golden.got"; then
			pass "$_test"
		else
			cp "$tmp/golden.got" "$_exp"
			passed=$((passed + 1))
			echo "PASS $_test (updated)"
		fi
	elif cmp -s "$_exp" "$tmp/golden.got"; then
		pass "$_test"
	else
		(cd "$golden" && diff -u "$_name.$_stage" - <"$tmp/golden.got") \
			>"$tmp/golden.diff" 2>&1
		fail "$_test" "output differs" "$tmp/golden.diff"
	fi
}

for w in "$golden"/*.wisp; do
	[ -f "$w" ] || continue
	name=${w##*/}
	name=${name%.wisp}
	stages=
	for stage in tokens ast lower ir ra asm err; do
		[ -f "$golden/$name.$stage" ] && stages="$stages $stage"
	done
	if [ -z "$stages" ]; then
		selected "golden/$name" || continue
		if [ -z "$update" ]; then
			fail "golden/$name" "no expected output: add $name.ir and/or $name.asm (or $name.err), or run with WISP_UPDATE_GOLDEN=1"
			continue
		fi
		# A new test: dumps when it compiles, the error when it does not.
		if (cd "$golden" && $with_timeout "$wisp" "$(golden_target "$name")" --dump=ir "$name.wisp") \
			</dev/null >/dev/null 2>&1; then
			stages="ir asm"
		else
			stages=err
		fi
	fi
	for stage in $stages; do
		selected "golden/$name.$stage" || continue
		golden_one "$name" "$stage"
		# and as user nobody, where root runs the tests
		if [ -n "$as_nobody" ] && [ -z "$update" ] &&
			$as_nobody test -x "$wisp" 2>/dev/null &&
			$as_nobody test -r "$golden/$name.wisp" 2>/dev/null; then
			golden_one "$name" "$stage" "$as_nobody"
		fi
	done
	# What compiles has no instruction the verifier would call
	# unreachable: wisp checks the encoded code after every compile.
	case " $stages " in
	*" err "*) continue ;;
	esac
	selected "golden/$name.reachable" || continue
	(cd "$golden" && $with_timeout "$wisp" "$(golden_target "$name")" --dump=asm "$name.wisp" \
		</dev/null >"$tmp/golden.got" 2>"$tmp/golden.other")
	st=$?
	if [ $st = 0 ]; then
		pass "golden/$name.reachable"
	else
		fail "golden/$name.reachable" "$(why "$st")" "$tmp/golden.other"
	fi
done

# ---- fuzz regression inputs -----------------------------------------

# The fuzz target (test/fuzz/fuzz_compile.c: the whole compiler for a
# described kernel) built without libFuzzer as BUILDDIR/test/fuzz/replay:
# "fuzz/seeds" feeds it the seed corpus (the golden programs, tools/, the
# e2e one-liners: test/fuzz/seeds.sh), "fuzz/regress" every input a
# fuzzer run found a bug with (test/fuzz/regress). Each passes when no
# input crashes, hangs, trips a sanitizer or an internal check.
replay=$builddir/test/fuzz/replay
for set in seeds regress; do
	name=fuzz/$set
	selected "$name" || continue
	if [ ! -x "$replay" ]; then
		fail "$name" "$replay is not built (make check builds it)"
		continue
	fi
	if [ $set = seeds ]; then
		dir=$tmp/seeds
		rm -rf "$dir"
		if ! sh "$srcdir/test/fuzz/seeds.sh" "$srcdir" "$dir" >"$tmp/fuzz.out" 2>&1; then
			fail "$name" "test/fuzz/seeds.sh failed" "$tmp/fuzz.out"
			continue
		fi
	else
		dir=$srcdir/test/fuzz/regress
	fi
	# each input has its own alarm (20 s); the whole set, a process per
	# input (slow under the sanitizers), five times the usual timeout
	if [ -n "$with_timeout" ]; then
		${with_timeout%"$timeout_s"}$((timeout_s * 5)) "$replay" "$dir" </dev/null >"$tmp/fuzz.out" 2>&1
	else
		"$replay" "$dir" </dev/null >"$tmp/fuzz.out" 2>&1
	fi
	st=$?
	if [ $st = 0 ]; then
		pass "$name ($(last_line "$tmp/fuzz.out" | sed 's/^replay: //'))"
	else
		fail "$name" "$(why "$st")" "$tmp/fuzz.out"
	fi
	rm -rf "$tmp/seeds"
done

# ---- e2e tests -------------------------------------------------------

# our_wisps: pids of the wisp processes that carry our WISP_TEST_RUN.
our_wisps() {
	for _d in /proc/[0-9]*; do
		{ read -r _comm <"$_d/comm"; } 2>/dev/null || continue
		[ "$_comm" = "$wisp_comm" ] || continue
		# (a process may end between the two reads: say nothing then)
		{ tr '\000' '\n' <"$_d/environ"; } 2>/dev/null |
			grep -qx "WISP_TEST_RUN=$WISP_TEST_RUN" && echo "${_d#/proc/}"
	done
}

# kill_ours PID...: TERM, then KILL what is still there.
kill_ours() {
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null
	_n=30
	while [ "$_n" -gt 0 ]; do
		_alive=
		for _p; do
			[ -d "/proc/$_p" ] && _alive="$_alive $_p"
		done
		[ -n "$_alive" ] || return 0
		sleep 0.1 2>/dev/null || sleep 1
		_n=$((_n - 1))
	done
	# shellcheck disable=SC2086 # a list of pids
	kill -KILL $_alive 2>/dev/null
}

# probe_events FILE: the lines of kprobe_events and uprobe_events that
# name wisp (nothing when tracefs cannot be read).
events_dir=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	if [ -d "$d/events" ]; then
		events_dir=$d
		break
	fi
done
probe_events() {
	: >"$1"
	[ -n "$events_dir" ] || return 0
	for _f in kprobe_events uprobe_events; do
		[ -r "$events_dir/$_f" ] || continue
		grep wisp "$events_dir/$_f" 2>/dev/null | sed "s|^|$_f: |" >>"$1"
	done
}

# check_leaks WHEN: record in $tmp/leaks what leaked since the baseline
# (wisp processes of ours: killed; probe events: removed).
check_leaks() {
	_pids=$(our_wisps)
	if [ -n "$_pids" ]; then
		for _p in $_pids; do
			printf '%s: wisp pid %s still running: %s\n' "$1" "$_p" \
				"$(tr '\000' ' ' <"/proc/$_p/cmdline" 2>/dev/null)" >>"$tmp/leaks"
		done
		# shellcheck disable=SC2086 # a list of pids
		kill_ours $_pids
	fi
	probe_events "$tmp/events.now"
	grep -Fxv -f "$tmp/events.base" "$tmp/events.now" >"$tmp/events.new"
	if [ -s "$tmp/events.new" ]; then
		sed "s|^|$1: left in |" "$tmp/events.new" >>"$tmp/leaks"
		# Remove them (only ours: they were not there before), so that
		# the next test starts clean: "-:GROUP/EVENT".
		while read -r _file _line; do
			_ev=${_line%% *}
			_ev=${_ev#*:}
			printf -- '-:%s\n' "$_ev" >>"$events_dir/${_file%:}" 2>/dev/null
		done <"$tmp/events.new"
	fi
}

# Interrupted: leave no wisp of ours running and no scratch files.
# shellcheck disable=SC2046 # a list of pids
trap 'kill_ours $(our_wisps); rm -rf "$tmp"; exit 130' INT TERM

ran_e2e=no
: >"$tmp/leaks"
for t in "$srcdir"/test/e2e/*.sh; do
	[ -f "$t" ] || continue
	base=${t##*/}
	base=${base%.sh}
	[ "$base" = lib ] && continue
	name=e2e/$base
	selected "$name" || continue
	if [ "$ran_e2e" = no ]; then
		ran_e2e=yes
		probe_events "$tmp/events.base"
		if [ -s "$tmp/events.base" ]; then
			echo "note: probe events naming wisp before the e2e tests (not counted as leaks):"
			show "$tmp/events.base"
		fi
		# -x: a pattern file with no line matches nothing.
		[ -s "$tmp/events.base" ] || echo "wisp-test-no-such-event" >"$tmp/events.base"
		check_leaks "before the e2e tests"
	fi
	dir=$tmp/e2e/$base
	mkdir -p "$dir" || exit 2
	test_timeout "$t"
	(cd "$dir" && WISP=$wisp TESTDIR=$dir $with_timeout sh "$t" \
		</dev/null >"$dir.stdout" 2>"$dir.stderr")
	st=$?
	check_leaks "$name"
	case $st in
	0)
		pass "$name"
		rm -rf "$dir" "$dir.stdout" "$dir.stderr"
		;;
	77)
		skip "$name" "$(last_line "$dir.stdout")"
		rm -rf "$dir" "$dir.stdout" "$dir.stderr"
		;;
	*)
		fail "$name" "$(why "$st")" "$dir.stdout" "$dir.stderr"
		echo "    (files kept in $dir)"
		keep_tmp=yes
		;;
	esac
	# the next test has the usual time again (why() above told this one's)
	test_timeout /dev/null
done

if [ "$ran_e2e" = yes ]; then
	if [ -s "$tmp/leaks" ]; then
		fail e2e/leaks "wisp left processes or probe events behind" "$tmp/leaks"
	else
		pass e2e/leaks
	fi
fi

# ---- the kernel matrix -----------------------------------------------

# test/qemu/run.sh runs the e2e tests again in QEMU guests booted on
# other kernels and architectures (tests named qemu-FLAVOUR/NAME, so the
# FILTERs select them too); its counts join ours. It skips what it cannot
# run (no QEMU and no way to install it). WISP_QEMU=0 leaves it out.
if [ "${WISP_QEMU:-1}" != 0 ] && [ -f "$srcdir/test/qemu/run.sh" ]; then
	if command -v bash >/dev/null 2>&1; then
		# The filters, one an argument.
		_ifs=$IFS
		IFS='
'
		set -f
		# shellcheck disable=SC2086 # split on newlines only
		bash "$srcdir/test/qemu/run.sh" --counts="$tmp/qemu.counts" $filters
		st=$?
		set +f
		IFS=$_ifs
		if read -r qp qf qs <"$tmp/qemu.counts" 2>/dev/null; then
			passed=$((passed + qp))
			failed=$((failed + qf))
			skipped=$((skipped + qs))
		else
			fail qemu "test/qemu/run.sh $(why "$st") before counting its tests"
		fi
	else
		skip qemu "the kernel matrix (test/qemu/run.sh) needs bash"
	fi
fi

if [ "$keep_tmp" = no ]; then
	rm -rf "$tmp"
else
	rm -f "$tmp"/unit.out "$tmp"/golden.* "$tmp"/events.* "$tmp"/leaks "$tmp"/fuzz.out
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
