#!/bin/bash
# build-static.sh ARCH OUT - build a fully static, stripped wisp for ARCH
# (x86_64 or aarch64) and write it to the file OUT; and OUT-dropcap, a
# helper of the tests (test/qemu/dropcap.c).
#
# The source tree is never touched: the tracked and untracked-but-not-ignored
# files are copied into a fresh build directory in the cache folder
# ${WISP_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wisp-qemu}, configured
# there with --enable-static-binary and built.
#
# A build for another architecture than the host's is a cross build with
# Debian's gcc-<triplet>-linux-gnu, against a sysroot made of bookworm's
# libbpf, libelf and zlib packages for that architecture. They are fetched
# with `apt-get download` through a private apt configuration (no dpkg
# architecture is added, the system's sources are not changed), unpacked
# with dpkg-deb -x, and kept in the cache for the next run.
#
# Environment: WISP_QEMU_CACHE (cache folder), WISP_DEBIAN_MIRROR (Debian
# archive URL; default: the one the system's apt sources use), WISP_JOBS
# (make -j, default 2).
set -euo pipefail

prog='build-static'
start=$SECONDS

die() {
	printf '%s: error: %s\n' "$prog" "$*" >&2
	exit 1
}

say() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

usage() {
	printf 'usage: %s ARCH OUT\n  ARCH: x86_64 or aarch64\n' "$0" >&2
	exit 2
}

[[ $# -eq 2 ]] || usage
arch=$1
out=$2
[[ -n "$out" ]] || usage
# absolute, so that it is not looked up in PATH and survives the cd's below
[[ "$out" == /* ]] || out=$PWD/$out
[[ -d "$(dirname "$out")" ]] || die "no directory for OUT: $(dirname "$out")"

case "$arch" in
x86_64)
	deb_arch=amd64
	triplet=x86_64-linux-gnu
	file_arch='x86-64'
	;;
aarch64 | arm64)
	arch=aarch64
	deb_arch=arm64
	triplet=aarch64-linux-gnu
	file_arch='ARM aarch64'
	;;
*)
	say "unknown ARCH '$arch'"
	usage
	;;
esac

# The release whose -dev packages make the cross sysroot: its static libelf
# and libbpf must link with the cross toolchain's glibc, which is bookworm's
# (trixie's do not).
suite=bookworm
sysroot_pkgs=(libbpf-dev libbpf1 libelf-dev libelf1 zlib1g-dev zlib1g)

srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ -f "$srcdir/configure.ac" && -f "$srcdir/autogen.sh" ]] ||
	die "cannot find the wisp sources (expected configure.ac in $srcdir)"

cache=${WISP_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wisp-qemu}
mkdir -p "$cache" || die "cannot create the cache folder $cache"
cache=$(cd "$cache" && pwd)
case "$cache/" in
"$srcdir"/*) die "the cache folder $cache is inside the source tree $srcdir" ;;
esac

jobs=${WISP_JOBS:-2}
host_arch=$(uname -m)
cross=no
[[ "$host_arch" == "$arch" ]] || cross=yes

# One build per ARCH at a time (two runs would share the build directory).
exec 9>"$cache/lock-$arch"
if ! flock -n 9; then
	say "waiting for another build of $arch ($cache/lock-$arch)"
	flock 9
fi

# Install Debian packages that are missing (as root only: otherwise say
# what to install).
ensure_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	[[ $EUID -eq 0 ]] ||
		die "missing packages: ${missing[*]} (run: apt-get install ${missing[*]})"
	say "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"${missing[@]}" >&2 ||
		die "apt-get install ${missing[*]} failed (try apt-get update first)"
}

# The Debian archive the system's apt uses (only Debian's mirrors may be
# reachable): the first enabled source whose path ends in /debian.
debian_mirror() {
	local f uri
	if [[ -n "${WISP_DEBIAN_MIRROR:-}" ]]; then
		printf '%s\n' "${WISP_DEBIAN_MIRROR%/}"
		return
	fi
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[[ -r "$f" ]] || continue
		if [[ "$f" == *.sources ]]; then
			uri=$(sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr '[:blank:]' '\n')
		else
			uri=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' "$f")
		fi
		uri=$(printf '%s\n' "$uri" | grep -E '^https?://[^[:space:]]+/debian/?$' | head -n 1 || true)
		if [[ -n "$uri" ]]; then
			printf '%s\n' "${uri%/}"
			return
		fi
	done
	printf '%s\n' http://deb.debian.org/debian
}

# The cross sysroot: bookworm's libbpf, libelf and zlib for $deb_arch,
# downloaded through a private apt configuration and unpacked. Reused as
# long as the mirror, suite and package list are the same.
make_sysroot() {
	local sysroot=$1 mirror stamp aptdir tmp deb p
	local -a apt_opts pkgs_arch

	mirror=$(debian_mirror)
	stamp="$deb_arch $suite $mirror ${sysroot_pkgs[*]}"
	if [[ -f "$sysroot/.wisp-sysroot" &&
		"$(cat "$sysroot/.wisp-sysroot")" == "$stamp" &&
		-f "$sysroot/usr/lib/$triplet/libbpf.a" &&
		-f "$sysroot/usr/lib/$triplet/libelf.a" &&
		-f "$sysroot/usr/lib/$triplet/libz.a" ]]; then
		say "reusing the $deb_arch sysroot $sysroot"
		return
	fi

	say "making the $deb_arch sysroot from $mirror $suite"
	aptdir=$cache/apt-$deb_arch
	mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" \
		"$aptdir/debs" "$aptdir/empty.d"
	printf 'deb [arch=%s] %s %s main\n' "$deb_arch" "$mirror" "$suite" \
		>"$aptdir/sources.list"
	apt_opts=(
		-o "Dir::Etc::sourcelist=$aptdir/sources.list"
		-o "Dir::Etc::sourceparts=-"
		-o "Dir::Etc::preferencesparts=$aptdir/empty.d"
		-o "Dir::State::Lists=$aptdir/lists"
		-o "Dir::Cache=$aptdir/cache"
		-o "APT::Architectures::=$deb_arch"
		-o "APT::Sandbox::User=root"
		-o "Debug::NoLocking=1"
	)
	apt-get "${apt_opts[@]}" -q update >&2 ||
		die "apt-get update of the private $deb_arch package lists ($mirror $suite) failed"

	pkgs_arch=()
	for p in "${sysroot_pkgs[@]}"; do
		pkgs_arch+=("$p:$deb_arch")
	done
	rm -f "$aptdir/debs"/*.deb
	(cd "$aptdir/debs" && apt-get "${apt_opts[@]}" -q download "${pkgs_arch[@]}") >&2 || {
		# Name the package that failed.
		for p in "${pkgs_arch[@]}"; do
			(cd "$aptdir/debs" && apt-get "${apt_opts[@]}" -q download "$p") \
				>/dev/null 2>&1 || die "apt-get download $p from $mirror $suite failed"
		done
		die "apt-get download ${pkgs_arch[*]} failed"
	}

	tmp=$sysroot.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	for deb in "$aptdir/debs"/*.deb; do
		dpkg-deb -x "$deb" "$tmp" || die "cannot unpack $deb"
	done
	for p in libbpf.a libelf.a libz.a; do
		[[ -f "$tmp/usr/lib/$triplet/$p" ]] ||
			die "the sysroot has no usr/lib/$triplet/$p after unpacking ${sysroot_pkgs[*]}"
	done
	[[ -f "$tmp/usr/include/bpf/bpf.h" ]] ||
		die "the sysroot has no usr/include/bpf/bpf.h (libbpf-dev:$deb_arch)"
	printf '%s\n' "$stamp" >"$tmp/.wisp-sysroot"
	rm -rf "$sysroot"
	mv "$tmp" "$sysroot"
}

# Copy the sources (tracked files and untracked ones that are not ignored,
# so uncommitted work builds) into the fresh directory $1.
copy_sources() {
	local dest=$1
	if git -C "$srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$srcdir" ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do
				# skip files deleted but not yet committed
				if [[ -e "$srcdir/$f" || -L "$srcdir/$f" ]]; then
					printf '%s\0' "$f"
				fi
			done |
			tar -C "$srcdir" --null -T - -cf - |
			tar -C "$dest" -xf - ||
			die "copying the git files of $srcdir to $dest failed"
	else
		# Not a git checkout: everything but version control and build
		# products (a configured tree's objects would be reused by make).
		tar -C "$srcdir" -cf - --exclude-vcs \
			--exclude='*.o' --exclude='*.a' --exclude='.deps' \
			--exclude='.dirstamp' --exclude='autom4te.cache' \
			--exclude='./Makefile' --exclude='./Makefile.in' \
			--exclude='./config.h' --exclude='./config.status' \
			--exclude='./config.log' --exclude='./stamp-h1' \
			--exclude='./configure' --exclude='./src/wisp' \
			--exclude='./test/out' --exclude='./wisp-static-*' . |
			tar -C "$dest" -xf - ||
			die "copying $srcdir to $dest failed"
	fi
}

say "building a static wisp for $arch (host $host_arch, cross: $cross)"

need_pkgs=(autoconf automake make file)
if [[ $cross == yes ]]; then
	# gcc-<triplet> only recommends its C library: name it and the
	# linux uapi headers (<linux/bpf.h>) explicitly.
	need_pkgs+=("gcc-${triplet//_/-}" "binutils-${triplet//_/-}"
		"libc6-dev-$deb_arch-cross" "linux-libc-dev-$deb_arch-cross")
	cc=$triplet-gcc
	strip=$triplet-strip
else
	need_pkgs+=(gcc libbpf-dev libelf-dev zlib1g-dev)
	cc=gcc
	strip='strip'
fi
ensure_pkgs "${need_pkgs[@]}"
command -v "$cc" >/dev/null || die "$cc not found after installing its package"
command -v "$strip" >/dev/null || die "$strip not found after installing its package"

configure_args=(--enable-static-binary)
if [[ $cross == yes ]]; then
	sysroot=$cache/sysroot-$deb_arch
	make_sysroot "$sysroot"
	incs=(-I"$sysroot/usr/include")
	if [[ -d "$sysroot/usr/include/$triplet" ]]; then
		incs+=(-I"$sysroot/usr/include/$triplet")
	fi
	ldflags="-L$sysroot/usr/lib/$triplet"

	# <linux/bpf.h> must come from the cross toolchain's uapi headers and
	# be recent enough (ring buffer: 5.8).
	hdr=$(printf '#include <linux/bpf.h>\n' |
		"$cc" "${incs[@]}" -E -H -x c - -o /dev/null 2>&1 |
		sed -n 's/^\. //p' | head -n 1 || true)
	[[ -n "$hdr" ]] || die "$cc finds no <linux/bpf.h> (package linux-libc-dev-${deb_arch}-cross)"
	grep -q BPF_MAP_TYPE_RINGBUF "$hdr" ||
		die "$hdr is too old (no BPF_MAP_TYPE_RINGBUF): need uapi headers >= 5.8"
	say "<linux/bpf.h> is $hdr"

	configure_args+=(--host="$triplet" CC="$cc"
		CPPFLAGS="${incs[*]}" LDFLAGS="$ldflags")
fi

build=$cache/build-$arch
say "copying the sources of $srcdir to $build"
rm -rf "$build"
mkdir -p "$build"
copy_sources "$build"

log=$cache/build-$arch.log
: >"$log"
step() {
	local what=$1
	shift
	if ! (cd "$build" && "$@") >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "$what failed for $arch (full log: $log)"
	fi
}
say "autogen.sh"
step "./autogen.sh" ./autogen.sh
say "configure ${configure_args[*]}"
step "./configure" ./configure "${configure_args[@]}"
say "make -j$jobs src/wisp"
step "make src/wisp" make -j"$jobs" src/wisp

tmp_out=$out.tmp.$$
trap 'rm -f "$tmp_out"' EXIT
"$strip" --strip-all -o "$tmp_out" "$build/src/wisp" ||
	die "$strip of $build/src/wisp failed"

# Check what was built before it replaces OUT: the architecture, static
# linking, and --version where the binary can run (natively, or under
# qemu-user if it happens to be installed: not required).
desc=$(file -b "$tmp_out")
[[ "$desc" == *"$file_arch"* ]] ||
	die "the binary is not for $arch: $desc"
[[ "$desc" == *"statically linked"* ]] ||
	die "the binary is not statically linked: $desc"
chmod 755 "$tmp_out"

runner=()
if [[ $cross == yes ]]; then
	for q in "qemu-$arch-static" "qemu-$arch"; do
		if command -v "$q" >/dev/null; then
			runner=("$q")
			break
		fi
	done
fi
if [[ $cross == no || ${#runner[@]} -gt 0 ]]; then
	ver=$("${runner[@]}" "$tmp_out" --version 2>&1) ||
		die "wisp --version failed${runner:+ under ${runner[*]}}: $ver"
	say "runs${runner:+ (under ${runner[*]})}: $ver"
else
	say "not run: no qemu-$arch-static or qemu-$arch here (optional)"
fi

mv -f "$tmp_out" "$out"
trap - EXIT

# The tests' helper OUT-dropcap (test/qemu/dropcap.c: busybox's setpriv
# cannot drop capabilities from the bounding set); not part of wisp, and
# not needed: the tests that use it skip without it.
rm -f "$out-dropcap"
if "$cc" -static -O2 -o "$build/dropcap" "$build/test/qemu/dropcap.c" >>"$log" 2>&1 &&
	"$strip" --strip-all -o "$out-dropcap" "$build/dropcap"; then
	say "$out-dropcap: the tests' helper"
else
	say "could not build the tests' helper dropcap (see $log)"
fi

size=$(stat -c %s "$out")
say "$out: $desc"
say "$out: $size bytes stripped; done in $((SECONDS - start)) s"
