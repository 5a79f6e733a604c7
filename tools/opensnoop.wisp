#!/usr/bin/env wisp
// opensnoop: files opened (openat and openat2, which libc's open() calls
// too; arm64 has no open(2)), with the descriptor or the error they got.
// Ctrl-C to end.
BEGIN { printf("%-7s %-16s %4s %3s %s\n", "PID", "COMM", "FD", "ERR", "PATH"); }

tracepoint:syscalls:sys_enter_openat* {
	@filename[tid] = args->filename;
}

tracepoint:syscalls:sys_exit_openat* /@filename[tid]/ {
	$ret = args->ret;
	$fd = $ret >= 0 ? $ret : -1;
	$err = $ret >= 0 ? 0 : -$ret;
	printf("%-7d %-16s %4d %3d %s\n", pid, comm, $fd, $err, str(@filename[tid]));
	delete(@filename[tid]);
}

END { clear(@filename); }
