#!/bin/bash
# run.sh - the kernel matrix: boot Debian's kernels under QEMU with a
# busybox initramfs holding a static wisp and the end-to-end tests, run
# the tests in each guest and report them like test/run.sh does:
#
#     test/qemu/run.sh [--flavours "5.10-amd64 6.1-amd64 ..."]
#                      [--wisp-x86_64 PATH] [--wisp-aarch64 PATH]
#                      [--jobs N] [--counts=FILE] [--tests=DIR]
#                      [--show-output] [FILTER...]
#
# A flavour is VERSION-ARCH: VERSION picks the Debian release whose
# kernel it is (5.10 bullseye, 6.1 bookworm, 6.12 trixie), ARCH is amd64
# or arm64. Default: "5.10-amd64 6.1-amd64 6.12-amd64 6.1-arm64".
# The tests are SRCDIR/test/e2e/*.sh, named qemu-FLAVOUR/NAME in the
# report (plus qemu-FLAVOUR/leaks: nothing of wisp left behind); with
# FILTERs, only the tests whose name contains one of them run, and a
# flavour with no test selected is not booted.
#
# Prints PASS/FAIL/SKIP lines (a failure with its output), then
# "N passed, N failed, N skipped"; exits 1 when something failed. A guest
# that panics, hangs or stops before reporting all its tests fails its
# flavour, with the end of its console log. With --counts=FILE, writes
# "PASSED FAILED SKIPPED" to FILE and leaves the summary line to the
# caller (test/run.sh adds these counts to its own).
#
# --tests=DIR runs DIR/*.sh instead of SRCDIR/test/e2e/*.sh (test/e2e's
# lib.sh goes along); --show-output prints what each test wrote, passed
# or not (bench/kprobes.sh runs its guest half this way).
#
# Everything downloaded is cached in
# ${WISP_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wisp-qemu}: kernels
# (apt-get download through a private apt configuration; the system's
# sources are not touched) and busybox. The static wisps are built by
# test/qemu/build-static.sh into the cache, unless --wisp-ARCH names one.
# QEMU is installed when missing (as root, with apt-get); when it cannot
# be, every flavour is skipped.
#
# Environment: WISP_QEMU_CACHE; WISP_QEMU_FLAVOURS (default flavours);
# WISP_QEMU_TIMEOUT (seconds per flavour, default 1200);
# WISP_QEMU_TEST_TIMEOUT (seconds per test in the guest, default 120);
# WISP_QEMU_JOBS (flavours booted at a time, default 2: each guest runs
# on one host thread); WISP_QEMU_ACCEL (default tcg,thread=single: see
# boot);
# WISP_QEMU_REFRESH=1 (download the newest kernels again);
# WISP_QEMU_KVM=1 (amd64 guests under KVM: only where KVM really works);
# WISP_QEMU_APPEND (more kernel parameters, e.g. loglevel=7 for the
# stack traces of soft lockups);
# WISP_DEBIAN_MIRROR (Debian archive URL; default: the system's).
set -euo pipefail

usage() {
	sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
flavours=${WISP_QEMU_FLAVOURS:-"5.10-amd64 6.1-amd64 6.12-amd64 6.1-arm64"}
flavour_timeout=${WISP_QEMU_TIMEOUT:-1200}
test_timeout=${WISP_QEMU_TEST_TIMEOUT:-120}
# the longest a test may take: a test's own "# timeout: N" may be longer
# (per file: sed's line numbers would run on across the files)
longest_test=$(awk 'FNR <= 20 && /^# timeout: [0-9]+$/ { print $3 }' \
	"$(dirname "${BASH_SOURCE[0]}")"/../e2e/*.sh | sort -n | tail -n 1)
[[ -n $longest_test && $longest_test -gt $test_timeout ]] || longest_test=$test_timeout
jobs=${WISP_QEMU_JOBS:-2}
counts_file=
tests_dir=$srcdir/test/e2e
show_output=no
declare -A wisp_of=()
filters=()

while [[ $# -gt 0 ]]; do
	case $1 in
	--flavours=* | --flavors=*) flavours=${1#*=} ;;
	--flavours | --flavors)
		[[ $# -ge 2 ]] || { usage >&2; exit 2; }
		flavours=$2
		shift
		;;
	--wisp-x86_64=* | --wisp-aarch64=*)
		a=${1%%=*}
		wisp_of[${a#--wisp-}]=${1#*=}
		;;
	--wisp-x86_64 | --wisp-aarch64)
		[[ $# -ge 2 ]] || { usage >&2; exit 2; }
		wisp_of[${1#--wisp-}]=$2
		shift
		;;
	--jobs=*) jobs=${1#*=} ;;
	--jobs)
		[[ $# -ge 2 ]] || { usage >&2; exit 2; }
		jobs=$2
		shift
		;;
	--counts=*) counts_file=${1#*=} ;;
	--tests=*) tests_dir=$(cd "${1#*=}" && pwd) || exit 2 ;;
	--show-output) show_output=yes ;;
	-h | --help)
		usage
		exit 0
		;;
	-*)
		echo "qemu/run.sh: unknown option $1" >&2
		usage >&2
		exit 2
		;;
	*) filters+=("$1") ;;
	esac
	shift
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "qemu/run.sh: --jobs wants a number" >&2; exit 2; }

cache=${WISP_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wisp-qemu}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
case $cache/ in
"$srcdir"/*)
	echo "qemu/run.sh: the cache $cache must be outside the source tree" >&2
	exit 2
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wisp-qemu.XXXXXX")
keep_tmp=no
cleanup() {
	local p
	# Each boot leaves the pid of its `timeout qemu-system-...` in
	# F.pid; timeout passes the signal on to QEMU.
	for p in "$tmp"/*.pid; do
		if [[ -f $p ]]; then
			kill "$(cat "$p")" 2>/dev/null || true
		fi
	done
	if [[ $keep_tmp == no ]]; then
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
skipped=0

note() {
	printf 'qemu: %s\n' "$*"
}

# The tests: every test/e2e/*.sh (or --tests DIR/*.sh) but lib.sh,
# copied now so that every flavour runs the same ones while the tree
# changes.
all_tests=()
mkdir "$tmp/tests"
cp "$srcdir/test/e2e/lib.sh" "$tmp/tests/"
for t in "$tests_dir"/*.sh; do
	[[ -f $t ]] || continue
	cp "$t" "$tmp/tests/"
	t=${t##*/}
	t=${t%.sh}
	[[ $t == lib ]] || all_tests+=("$t")
done
# the scripts of tools/, which e2e/tools*.sh run
mkdir "$tmp/tests/tools"
cp "$srcdir"/tools/*.wisp "$tmp/tests/tools/"

# selected NAME: does NAME pass the filters?
selected() {
	local f
	[[ ${#filters[@]} -eq 0 ]] && return 0
	for f in "${filters[@]}"; do
		[[ $1 == *"$f"* ]] && return 0
	done
	return 1
}

# ---- flavours --------------------------------------------------------

declare -A f_arch=() f_debarch=() f_suite=() f_tests=() f_state=() f_why=()
flavour_list=()
for f in $flavours; do
	ver=${f%-*}
	darch=${f##*-}
	case $ver in
	5.10) suite=bullseye ;;
	6.1) suite=bookworm ;;
	6.12) suite=trixie ;;
	*) suite= ;;
	esac
	case $darch in
	amd64) arch=x86_64 ;;
	arm64) arch=aarch64 ;;
	*) arch= ;;
	esac
	if [[ -z $suite || -z $arch || $f != *-* ]]; then
		echo "qemu/run.sh: unknown flavour '$f' (VERSION-ARCH: 5.10, 6.1 or 6.12; amd64 or arm64)" >&2
		exit 2
	fi
	sel=()
	for t in "${all_tests[@]}"; do
		selected "qemu-$f/$t" && sel+=("$t")
	done
	# Only the leaks check selected: it needs tests to check.
	[[ ${#sel[@]} -gt 0 ]] || continue
	flavour_list+=("$f")
	f_arch[$f]=$arch
	f_debarch[$f]=$darch
	f_suite[$f]=$suite
	f_tests[$f]=${sel[*]}
	f_state[$f]=ok
done

if [[ ${#flavour_list[@]} -eq 0 ]]; then
	[[ -z $counts_file ]] || echo "0 0 0" >"$counts_file"
	[[ -n $counts_file ]] || echo "0 passed, 0 failed, 0 skipped"
	exit 0
fi

# flavour_out F STATE WHY: the flavour cannot run (STATE skip or fail).
flavour_out() {
	if [[ ${f_state[$1]} == ok ]]; then
		f_state[$1]=$2
		f_why[$1]=$3
	fi
}

# ---- tools -----------------------------------------------------------

# ensure_cmd CMD PACKAGE: install PACKAGE when CMD is missing and we can.
ensure_cmd() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
		note "installing $2 (for $1)"
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"$2" >"$tmp/apt-install.log" 2>&1; then
			DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$tmp/apt-install.log" 2>&1 || true
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
				"$2" >>"$tmp/apt-install.log" 2>&1 || tail -n 5 "$tmp/apt-install.log" | sed 's/^/    /'
		fi
	fi
	command -v "$1" >/dev/null 2>&1
}

for tool in cpio gzip; do
	if ! ensure_cmd "$tool" "$tool"; then
		for f in "${flavour_list[@]}"; do
			flavour_out "$f" skip "$tool is not installed (apt-get install $tool)"
		done
	fi
done
for f in "${flavour_list[@]}"; do
	case ${f_arch[$f]} in
	x86_64) q=qemu-system-x86_64 pkg=qemu-system-x86 ;;
	aarch64) q=qemu-system-aarch64 pkg=qemu-system-arm ;;
	esac
	ensure_cmd "$q" "$pkg" ||
		flavour_out "$f" skip "$q is not installed (apt-get install --no-install-recommends $pkg)"
done

# ---- Debian packages through a private apt configuration ---------------

# The Debian archive the system's apt uses (only Debian's mirrors may be
# reachable): the first source whose path ends in /debian.
debian_mirror() {
	local f uri
	if [[ -n ${WISP_DEBIAN_MIRROR:-} ]]; then
		printf '%s\n' "${WISP_DEBIAN_MIRROR%/}"
		return
	fi
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[[ -r $f ]] || continue
		if [[ $f == *.sources ]]; then
			uri=$(sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr '[:blank:]' '\n')
		else
			uri=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' "$f")
		fi
		uri=$(printf '%s\n' "$uri" | grep -E '^https?://[^[:space:]]+/debian/?$' | head -n 1 || true)
		if [[ -n $uri ]]; then
			printf '%s\n' "${uri%/}"
			return
		fi
	done
	printf '%s\n' http://deb.debian.org/debian
}

mirror=$(debian_mirror)
security_mirror=${mirror%/debian}/debian-security

# apt_setup SUITE DEBARCH: the private apt configuration for one release
# and architecture in $apt (an array of options), its package lists
# fetched when missing or older than a day.
apt=()
apt_setup() {
	local suite=$1 darch=$2 dir keyring=
	dir=$cache/apt/$suite-$darch
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/empty.d" "$dir/debs"
	[[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]] &&
		keyring=" signed-by=/usr/share/keyrings/debian-archive-keyring.gpg"
	{
		printf 'deb [arch=%s%s] %s %s main\n' "$darch" "$keyring" "$mirror" "$suite"
		printf 'deb [arch=%s%s] %s %s-security main\n' "$darch" "$keyring" "$security_mirror" "$suite"
	} >"$dir/sources.list"
	apt=(
		-o "Dir::Etc::sourcelist=$dir/sources.list"
		-o "Dir::Etc::sourceparts=-"
		-o "Dir::Etc::preferencesparts=$dir/empty.d"
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache=$dir/cache"
		-o "APT::Architectures::=$darch"
		-o "APT::Sandbox::User=$(id -un)"
		-o "Debug::NoLocking=1"
	)
	if [[ -n $(find "$dir/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null) ]]; then
		return 0
	fi
	note "fetching the package lists of $suite ($darch) from $mirror"
	# A suite that is gone from the mirror (-security of an old
	# release) must not stop the others.
	apt-get "${apt[@]}" -q update >"$dir/update.log" 2>&1 ||
		note "apt-get update reported errors (see $dir/update.log)"
	[[ -n $(find "$dir/lists" -maxdepth 1 -name '*_Packages*' 2>/dev/null) ]]
}

# apt_fetch DEBARCH PACKAGE DIR: download PACKAGE (DEBARCH) into DIR.
apt_fetch() {
	(cd "$3" && apt-get "${apt[@]}" -q download "$2:$1") >"$3/download.log" 2>&1 || {
		note "apt-get download $2:$1 failed:"
		tail -n 5 "$3/download.log" | sed 's/^/    /'
		return 1
	}
}

# kernel_missing CONFIG ARCH: the options that this kernel lacks to boot
# from our initramfs on a serial console and run BPF tracing programs.
kernel_missing() {
	local want o missing=()
	want=(BPF_SYSCALL BPF_EVENTS KPROBES KPROBE_EVENTS UPROBE_EVENTS PERF_EVENTS
		FTRACE_SYSCALLS BLK_DEV_INITRD RD_GZIP DEVTMPFS TMPFS PROC_FS SYSFS)
	case $2 in
	x86_64) want+=(SERIAL_8250 SERIAL_8250_CONSOLE) ;;
	aarch64) want+=(SERIAL_AMBA_PL011 SERIAL_AMBA_PL011_CONSOLE) ;;
	esac
	for o in "${want[@]}"; do
		grep -qx "CONFIG_$o=y" "$1" || missing+=("$o")
	done
	echo "${missing[*]}"
}

# fetch_kernel F: the newest kernel of F's release in $cache/kernels/F
# (vmlinuz, config, package), downloaded once. The cloud flavour (fewer
# drivers, faster to boot) unless it lacks something built in.
fetch_kernel() {
	local f=$1 kdir=$cache/kernels/$1 suite=${f_suite[$1]} darch=${f_debarch[$1]}
	local ver=${1%-*} meta pkg dl missing why=
	if [[ -f $kdir/vmlinuz && -f $kdir/package && ${WISP_QEMU_REFRESH:-0} != 1 ]]; then
		return 0
	fi
	if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
		flavour_out "$f" skip "no cached kernel in $kdir and no apt-get/dpkg-deb to download one"
		return 0
	fi
	if ! apt_setup "$suite" "$darch"; then
		flavour_out "$f" fail "cannot fetch the package lists of $suite (see $cache/apt/$suite-$darch/update.log)"
		return 0
	fi
	for meta in "linux-image-cloud-$darch" "linux-image-$darch"; do
		pkg=$(apt-cache "${apt[@]}" depends "$meta:$darch" 2>/dev/null |
			sed -n 's/^[[:space:]]*Depends:[[:space:]]*\(linux-image-[^[:space:]:]*\).*/\1/p' |
			head -n 1)
		if [[ $pkg != "linux-image-$ver."* ]]; then
			why="$why; $meta of $suite depends on '${pkg:-nothing}', not a $ver kernel"
			continue
		fi
		note "downloading $pkg ($darch) from $suite"
		dl=$tmp/dl-$f
		rm -rf "$dl"
		mkdir -p "$dl/x"
		if ! apt_fetch "$darch" "$pkg" "$dl"; then
			why="$why; cannot download $pkg"
			continue
		fi
		dpkg-deb --fsys-tarfile "$dl"/*.deb | tar -x -C "$dl/x" ./boot || {
			why="$why; cannot unpack $pkg"
			continue
		}
		missing=$(kernel_missing "$dl"/x/boot/config-* "${f_arch[$f]}")
		if [[ -n $missing ]]; then
			why="$why; $pkg lacks CONFIG_ ${missing}"
			note "$pkg lacks built-in: $missing"
			continue
		fi
		mkdir -p "$kdir"
		cp "$dl"/x/boot/vmlinuz-* "$kdir/vmlinuz"
		cp "$dl"/x/boot/config-* "$kdir/config"
		printf '%s %s\n' "$(dpkg-deb -f "$dl"/*.deb Package)" \
			"$(dpkg-deb -f "$dl"/*.deb Version)" >"$kdir/package"
		rm -rf "$dl"
		return 0
	done
	flavour_out "$f" fail "no usable $ver kernel for $darch in $suite: ${why#; }"
}

# fetch_busybox DEBARCH: a static busybox for DEBARCH in $cache/busybox-DEBARCH:
# the host's busybox-static when the architecture matches, else bookworm's.
declare -A busybox_of=()
fetch_busybox() {
	local darch=$1 out=$cache/busybox-$1 dl
	[[ -z ${busybox_of[$darch]:-} ]] || return 0
	if [[ $darch == "$(dpkg --print-architecture 2>/dev/null)" && -x /bin/busybox ]] &&
		dpkg-query -W -f '${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then
		busybox_of[$darch]=/bin/busybox
		return 0
	fi
	if [[ ! -x $out ]]; then
		command -v apt-get >/dev/null 2>&1 || return 1
		apt_setup bookworm "$darch" || return 1
		note "downloading busybox-static ($darch) from bookworm"
		dl=$tmp/dl-busybox-$darch
		mkdir -p "$dl/x"
		apt_fetch "$darch" busybox-static "$dl" || return 1
		dpkg-deb -x "$dl"/*.deb "$dl/x" || return 1
		cp "$dl/x/bin/busybox" "$out.tmp" && mv "$out.tmp" "$out"
		rm -rf "$dl"
	fi
	busybox_of[$darch]=$out
}

# get_wisp ARCH: the static wisp for ARCH (--wisp-ARCH, or built by
# build-static.sh into the cache), in wisp_of[ARCH]; returns 1 with the
# reason in $wisp_why, and 2 when there is no way to get one (a skip).
wisp_why=
declare -A wisp_built=()
get_wisp() {
	local arch=$1 out=$cache/wisp-$1 log=$tmp/build-static-$1.log
	if [[ -n ${wisp_of[$arch]:-} ]]; then
		if [[ ! -f ${wisp_of[$arch]} ]]; then
			wisp_why="--wisp-$arch ${wisp_of[$arch]}: no such file"
			return 1
		fi
		return 0
	fi
	# Built (or failed) already for another flavour.
	case ${wisp_built[$arch]:-} in
	'') ;;
	ok) return 0 ;;
	skip:*)
		wisp_why=${wisp_built[$arch]#skip:}
		return 2
		;;
	*)
		wisp_why=${wisp_built[$arch]#fail:}
		return 1
		;;
	esac
	if [[ ! -f $srcdir/test/qemu/build-static.sh ]]; then
		wisp_why="no static wisp for $arch: pass --wisp-$arch PATH"
		return 2
	fi
	note "building a static wisp for $arch (test/qemu/build-static.sh)"
	if bash "$srcdir/test/qemu/build-static.sh" "$arch" "$out" >"$log" 2>&1; then
		wisp_of[$arch]=$out
		wisp_built[$arch]=ok
		return 0
	fi
	# Packages it needs but cannot install (not root): a skip.
	if grep -q 'missing packages:' "$log"; then
		wisp_why="no static wisp for $arch: $(grep -m1 -o 'missing packages:.*' "$log")"
		wisp_built[$arch]=skip:$wisp_why
		return 2
	fi
	wisp_why="test/qemu/build-static.sh $arch failed:
$(tail -n 20 "$log")"
	wisp_built[$arch]=fail:$wisp_why
	return 1
}

for f in "${flavour_list[@]}"; do
	[[ ${f_state[$f]} == ok ]] || continue
	fetch_kernel "$f"
	[[ ${f_state[$f]} == ok ]] || continue
	fetch_busybox "${f_debarch[$f]}" ||
		flavour_out "$f" fail "cannot get a static busybox for ${f_debarch[$f]}"
	[[ ${f_state[$f]} == ok ]] || continue
	st=0
	get_wisp "${f_arch[$f]}" || st=$?
	case $st in
	0) ;;
	2) flavour_out "$f" skip "$wisp_why" ;;
	*) flavour_out "$f" fail "$wisp_why" ;;
	esac
done

# ---- initramfs and boot ----------------------------------------------

# make_initramfs F OUT: busybox, /init, /bin/wisp, the tests and the
# flavour's configuration, as a gzip'd newc cpio (one piece: appending
# cpios needs padding that arm64 is strict about).
make_initramfs() {
	local f=$1 root=$tmp/root-$1
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,tests}
	cp "${busybox_of[${f_debarch[$f]}]}" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$srcdir/test/qemu/init" "$root/init"
	cp "${wisp_of[${f_arch[$f]}]}" "$root/bin/wisp"
	# the tests' helper, when build-static.sh made one
	if [[ -f ${wisp_of[${f_arch[$f]}]}-dropcap ]]; then
		cp "${wisp_of[${f_arch[$f]}]}-dropcap" "$root/bin/dropcap"
		chmod 755 "$root/bin/dropcap"
	fi
	cp "$tmp"/tests/*.sh "$root/tests/"
	cp -r "$tmp/tests/tools" "$root/tests/"
	chmod 755 "$root/init" "$root/bin/busybox" "$root/bin/wisp"
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
		'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' >"$root/etc/passwd"
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
	{
		printf 'FLAVOUR=%s\n' "$f"
		printf "TESTS='%s'\n" "${f_tests[$f]}"
		printf 'TEST_TIMEOUT=%s\n' "$test_timeout"
		printf 'SHOW_OUTPUT=%s\n' "$show_output"
	} >"$root/etc/wisp-qemu.conf"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -6 >"$2"
}

# boot F: boot the flavour, run its tests, write its report to
# $tmp/F.report and "PASSED FAILED SKIPPED" to $tmp/F.counts.
boot() {
	local f=$1 arch=${f_arch[$1]} kdir=$cache/kernels/$1
	local log=$tmp/$1.console initrd=$tmp/$1.cpio.gz
	local -a cmd
	# One host thread for all the guest's CPUs: with a thread per CPU
	# (MTTCG, QEMU 7.2), a CPU may go on running the old code after
	# another one patched the kernel's text (a tracepoint's static
	# branch): x86 guests hung in int3 loops of text_poke_bp, arm64
	# guests missed a new tracepoint for a second.
	local tcg=${WISP_QEMU_ACCEL:-tcg,thread=single}
	local t0 t_booted='' t_done='' st=0 why='' p=0 fl=0 s=0
	make_initramfs "$f" "$initrd"
	case $arch in
	x86_64)
		cmd=(qemu-system-x86_64)
		# KVM only when asked: where /dev/kvm opens but does not work
		# (nested, emulated), the guest dies in an emulation failure.
		if [[ ${WISP_QEMU_KVM:-0} == 1 ]]; then
			cmd+=(-accel kvm -cpu host)
		else
			cmd+=(-accel "$tcg")
		fi
		console=ttyS0
		;;
	aarch64)
		cmd=(qemu-system-aarch64 -M virt -cpu cortex-a72 -accel "$tcg")
		console=ttyAMA0
		;;
	esac
	cmd+=(-nographic -no-reboot -m 1024 -smp 2
		-kernel "$kdir/vmlinuz" -initrd "$initrd"
		-append "console=$console panic=-1 quiet ${WISP_QEMU_APPEND:-}")
	t0=$SECONDS
	: >"$log"
	timeout -k 10 "$flavour_timeout" "${cmd[@]}" </dev/null >"$log" 2>"$tmp/$f.qemu-stderr" &
	local qpid=$!
	echo "$qpid" >"$tmp/$f.pid"
	# Watch the console: the guest powers off after @@WISP-DONE@@ and
	# reboots (which ends QEMU, -no-reboot) on a panic; give either a
	# few seconds, then stop QEMU ourselves.
	# A guest whose kernel hangs (soft lockups, RCU stalls) prints no
	# marker line for longer than any test may take (the guest's own
	# per-test timeout plus a margin): stop it then, not at the flavour's
	# timeout.
	local grace='' markers=0 n last_progress=$SECONDS hung=''
	local stall=$((longest_test + 90))
	while kill -0 "$qpid" 2>/dev/null; do
		if [[ -z $t_booted ]] && grep -q '@@WISP-BOOTED@@' "$log"; then
			t_booted=$SECONDS
		fi
		if [[ -z $t_done ]] && grep -qE '@@WISP-DONE@@|Kernel panic - not syncing' "$log"; then
			t_done=$SECONDS
			grace=$((SECONDS + 15))
		fi
		if [[ -n $grace && $SECONDS -ge $grace ]]; then
			kill "$qpid" 2>/dev/null || true
			break
		fi
		n=$(grep -ac '@@WISP-' "$log" || true)
		if [[ $n != "$markers" ]]; then
			markers=$n
			last_progress=$SECONDS
		elif [[ -n $t_booted && -z $grace && $((SECONDS - last_progress)) -ge $stall ]]; then
			hung=$((SECONDS - last_progress))
			kill "$qpid" 2>/dev/null || true
			break
		fi
		sleep 1
	done
	wait "$qpid" || st=$?
	rm -f "$tmp/$f.pid"
	[[ -n $t_done ]] || t_done=$SECONDS

	local -a order=()
	local -A res=() reason=() out=()
	local line rest name verdict info_block=no out_name='' done_n='' started=''
	local -a info=() wisp_info=()
	while IFS= read -r line || [[ -n $line ]]; do
		line=${line%$'\r'}
		if [[ -n $out_name ]]; then
			if [[ $line == *"@@WISP-OUT-END@@ $out_name" ]]; then
				out_name=
			else
				out[$name]+="    $line"$'\n'
			fi
			continue
		fi
		if [[ $info_block == yes ]]; then
			if [[ $line == *@@WISP-INFO-END@@* ]]; then
				info_block=no
			else
				wisp_info+=("$line")
			fi
			continue
		fi
		case $line in
		*@@WISP-INFO@@\ *) info+=("${line#*@@WISP-INFO@@ }") ;;
		*@@WISP-INFO-BEGIN@@*) info_block=yes ;;
		*@@WISP-RESULT@@\ *)
			rest=${line#*@@WISP-RESULT@@ }
			name=${rest%% *}
			rest=${rest#* }
			verdict=${rest%% *}
			[[ $rest == *" "* ]] && rest=${rest#* } || rest=
			# The first line counts; the recap before @@WISP-DONE@@
			# repeats them all, for lines the console lost.
			if [[ -z ${res[$name]:-} ]]; then
				order+=("$name")
				res[$name]=$verdict
				reason[$name]=$rest
			fi
			;;
		*@@WISP-OUT-BEGIN@@\ *)
			name=${line#*@@WISP-OUT-BEGIN@@ }
			out_name=$name
			;;
		*@@WISP-START@@\ *) started=${line#*@@WISP-START@@ } ;;
		*@@WISP-DONE@@*) done_n=${line#*@@WISP-DONE@@ } ;;
		esac
	done <"$log"

	{
		local kver
		kver=$(printf '%s\n' "${info[@]}" | sed -n 's/^kernel: //p' | head -n 1)
		printf 'qemu-%s: %s (%s), booted in %s s, tests took %s s\n' "$f" \
			"${kver:-kernel ?}" "$(cat "$kdir/package")" \
			"$(( ${t_booted:-$t_done} - t0 ))" "$(( t_done - ${t_booted:-$t_done} ))"
		for line in "${info[@]}"; do
			[[ $line == kernel:* ]] || printf '    %s\n' "$line"
		done
		if [[ ${#wisp_info[@]} -gt 0 ]]; then
			echo "    wisp --info:"
			printf '      %s\n' "${wisp_info[@]}"
		fi
		for name in "${order[@]}"; do
			case ${res[$name]} in
			pass)
				p=$((p + 1))
				echo "PASS qemu-$f/$name"
				[[ $show_output == no ]] || printf '%s' "${out[$name]:-}"
				;;
			skip)
				s=$((s + 1))
				echo "SKIP qemu-$f/$name: ${reason[$name]:-no reason given}"
				;;
			*)
				fl=$((fl + 1))
				echo "FAIL qemu-$f/$name (${reason[$name]:-?})"
				printf '%s' "${out[$name]:-}"
				;;
			esac
		done
		# Tests that the guest never reported.
		if [[ -n $done_n ]]; then
			for name in ${f_tests[$f]} leaks; do
				if [[ -z ${res[$name]:-} ]]; then
					fl=$((fl + 1))
					echo "FAIL qemu-$f/$name (no result on the console)"
				fi
			done
		fi
		# The guest as a whole.
		if grep -q 'Kernel panic - not syncing' "$log"; then
			why="kernel panic"
		elif [[ -n $hung ]]; then
			why="the guest hung: no progress on the console for $hung s"
			grep -aq 'soft lockup' "$log" && why="$why (soft lockups)"
			grep -aq 'rcu_.* detected stalls' "$log" && why="$why (RCU stalls)"
		elif [[ $st == 124 || $st == 137 ]] && [[ -z $done_n ]]; then
			why="timed out after $flavour_timeout s (WISP_QEMU_TIMEOUT)"
		elif [[ -z $done_n ]]; then
			why="the guest stopped before @@WISP-DONE@@ (QEMU exit $st)"
		fi
		if [[ -n $why ]]; then
			if [[ -n $started && -z ${res[$started]:-} ]]; then
				why="$why, in test $started"
			fi
			fl=$((fl + 1))
			echo "FAIL qemu-$f ($why)"
			echo "    $ ${cmd[*]}"
			sed 's/^/    | /' "$tmp/$f.qemu-stderr" | tail -n 10
			echo "    last lines of the console:"
			tr -d '\r' <"$log" | tail -n 40 | sed 's/^/    | /'
			echo "    (console log: $log)"
		fi
		printf 'qemu-%s: %s passed, %s failed, %s skipped\n' "$f" "$p" "$fl" "$s"
	} >"$tmp/$f.report"
	echo "$p $fl $s" >"$tmp/$f.counts"
	[[ -z $why ]]
}

# Boot the flavours, $jobs at a time; each one's report is printed once
# it is over.
report() {
	local f=$1 c
	if [[ ! -f $tmp/$f.counts ]]; then
		# boot itself failed (making the initramfs, starting QEMU).
		cat "$tmp/$f.report" 2>/dev/null || true
		echo "FAIL qemu-$f (the boot script failed: see above)"
		failed=$((failed + 1))
		keep_tmp=yes
		return
	fi
	cat "$tmp/$f.report"
	read -r -a c <"$tmp/$f.counts"
	passed=$((passed + c[0]))
	failed=$((failed + c[1]))
	skipped=$((skipped + c[2]))
	[[ ${c[1]} == 0 ]] || keep_tmp=yes
}

declare -A running=()
finish_one() {
	local pid f
	wait -n "${!running[@]}" 2>/dev/null || true
	for pid in "${!running[@]}"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			f=${running[$pid]}
			unset "running[$pid]"
			report "$f"
		fi
	done
}

for f in "${flavour_list[@]}"; do
	case ${f_state[$f]} in
	skip)
		skipped=$((skipped + 1))
		echo "SKIP qemu-$f: ${f_why[$f]}"
		continue
		;;
	fail)
		failed=$((failed + 1))
		echo "FAIL qemu-$f (${f_why[$f]%%$'\n'*})"
		[[ ${f_why[$f]} != *$'\n'* ]] || printf '%s\n' "${f_why[$f]#*$'\n'}" | sed 's/^/    /'
		continue
		;;
	esac
	while [[ ${#running[@]} -ge $jobs ]]; do
		finish_one
	done
	note "booting $f"
	boot "$f" &
	running[$!]=$f
done
while [[ ${#running[@]} -gt 0 ]]; do
	finish_one
done

if [[ $keep_tmp == yes ]]; then
	note "console logs kept in $tmp"
fi
if [[ -n $counts_file ]]; then
	echo "$passed $failed $skipped" >"$counts_file"
else
	echo "$passed passed, $failed failed, $skipped skipped"
fi
[[ $failed == 0 ]]
