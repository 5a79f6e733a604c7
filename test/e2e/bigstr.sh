#!/bin/sh
# bigstr.sh - values larger than the 512-byte BPF stack: the probe's
# buffers move to a per-CPU scratch map, and the results are the same.
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
need_tracepoint syscalls sys_enter_openat
need_cmd cat

file=$(hostname_file)
# three 1000-byte strings in one printf record, a 400-byte string key
run_wisp -c "cat $file" 'tracepoint:syscalls:sys_enter_openat /pid == cpid && comm == "cat"/ {
	$a = str(args->filename, 1000);
	printf("%s|%s|%s\n", $a, str(args->filename, 1000), str(args->filename, 1000));
	@[str(args->filename, 400)] = count();
}'
expect_status 0
expect_line "$file|$file|$file"
expect_line "@[$file]: 1"
# it is the scratch map that made it fit
run_wisp --dump=ir 'tracepoint:syscalls:sys_enter_openat { printf("%s\n", str(args->filename, 1000)); }'
expect_status 0
expect_grep 'map\[@\.scratch'

# keys are the kernel's limit: 512 bytes
run_wisp 'BEGIN { @[str(0, 600)] = count(); }'
expect_status 1
expect_grep 'the kernel allows 512' "$TESTDIR/err"

# in the scratch value the first local gets offset 0, a real slot: it must
# not be given a new one (and lose its value) at its next assignment
run_wisp 'BEGIN { $x = 1; $x += 1; $x += 1; printf("%d %s\n", $x, str(0, 600)); exit(); }'
expect_status 0
expect_line '3 '
# more locals than fit the stack: each one forgets its stack slot when
# the probe moves to the scratch value
prog='BEGIN {'
i=1
while [ $i -le 70 ]; do
	prog="$prog \$v$i = $i;"
	i=$((i + 1))
done
prog="$prog \$s = 0;"
i=1
while [ $i -le 70 ]; do
	prog="$prog \$s += \$v$i;"
	i=$((i + 1))
done
run_wisp "$prog printf(\"sum %d\\n\", \$s); exit(); }"
expect_status 0
expect_line 'sum 2485'
