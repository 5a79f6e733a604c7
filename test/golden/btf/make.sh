#!/bin/sh
# Remake kernel.btf from kernel.c (gcc 12+ with -gbtf, binutils' objcopy).
set -e
cd "$(dirname "$0")"
gcc -gbtf -c kernel.c -o kernel.o
objcopy --dump-section .BTF=kernel.btf kernel.o
rm -f kernel.o
