/* fs.h - reading the kernel's pseudo-files (fs.c): /proc, sysfs and
 * tracefs files, and where tracefs is.
 */
#ifndef WISP_SYS_FS_H
#define WISP_SYS_FS_H

/* The whole of a procfs, sysfs or tracefs file (they claim a size of 0
 * or 4096), NUL-terminated, malloc'd; NULL with errno set. */
char *sys_read_file(const char *path);

/* The tracefs mount point (/sys/kernel/tracing, then
 * /sys/kernel/debug/tracing, mounting tracefs on the first when neither
 * is mounted). NULL after printing how to fix it, once: the answer is
 * kept. */
const char *tracefs_path(void);

#endif
