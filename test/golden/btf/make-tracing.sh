#!/bin/sh
# Remake tracing.btf from tracing.c (gcc 12+ with -gbtf, binutils' objcopy).
set -e
cd "$(dirname "$0")"
gcc -gbtf -c tracing.c -o tracing.o
objcopy --dump-section .BTF=tracing.btf tracing.o
rm -f tracing.o
