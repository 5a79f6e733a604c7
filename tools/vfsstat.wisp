#!/usr/bin/env wisp
// vfsstat: calls of the main VFS functions, counted each second.
// Ctrl-C to end.
BEGIN { printf("Tracing key VFS calls... Hit Ctrl-C to end.\n"); }

kprobe:vfs_read, kprobe:vfs_write, kprobe:vfs_fsync, kprobe:vfs_open, kprobe:vfs_create {
	@[func] = count();
}

interval:s:1 {
	time("%H:%M:%S\n");
	print(@);
	clear(@);
}

END { clear(@); }
