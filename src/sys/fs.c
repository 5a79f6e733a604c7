/* fs.c - reading the kernel's pseudo-files: the whole of a procfs,
 * sysfs or tracefs file, and where tracefs is mounted, found at run time.
 *
 * ply fixed the tracefs path at build time and broke on systems that only
 * have the debugfs one. We look at both, and mount tracefs ourselves when
 * neither is there (initramfs, minimal distributions), since wisp runs
 * as root anyway.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lang/diag.h"
#include "fs.h"

#define TRACEFS_PATH "/sys/kernel/tracing"
#define TRACEFS_DEBUGFS_PATH "/sys/kernel/debug/tracing"

/* procfs and tracefs files claim a size of 0 or 4096: read until EOF. */
char *sys_read_file(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		ssize_t got;

		if (len + 1 >= cap) {
			char *nbuf = realloc(buf, cap * 2);

			if (!nbuf)
				break;
			buf = nbuf;
			cap *= 2;
		}
		got = read(fd, buf + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = errno;
			break;
		}
		if (got == 0) {
			close(fd);
			buf[len] = '\0';
			return buf;
		}
		len += got;
	}
	close(fd);
	free(buf);
	errno = err ? err : ENOMEM;
	return NULL;
}

/* A bare mount-point directory exists even when nothing is mounted on
 * it; "events" is there only when tracefs is. Returns 0 or an errno:
 * EACCES when tracefs is there but this user may not look into it. */
static int tracefs_is_mounted(const char *dir)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", dir);
	if (stat(path, &st) < 0)
		return errno == EACCES ? EACCES : ENOENT;
	return S_ISDIR(st.st_mode) ? 0 : ENOENT;
}

const char *tracefs_path(void)
{
	/* The failure is cached too, so that it is reported once however
	 * many tracepoint specs the program has. */
	static bool tried;
	static const char *path;
	int err;

	if (tried)
		return path;
	tried = true;

	if (!(err = tracefs_is_mounted(TRACEFS_PATH)))
		return path = TRACEFS_PATH;
	if (err == EACCES || tracefs_is_mounted(TRACEFS_DEBUGFS_PATH) == EACCES) {
		/* mode 700, root's: CAP_BPF and CAP_PERFMON do not open it */
		diag_error((struct loc){ 0 },
			   "tracefs (" TRACEFS_PATH ") is not readable by this user: "
			   "run wisp as root (or with CAP_DAC_OVERRIDE)");
		return NULL;
	}
	if (!tracefs_is_mounted(TRACEFS_DEBUGFS_PATH))
		return path = TRACEFS_DEBUGFS_PATH;
	if (mount("nodev", TRACEFS_PATH, "tracefs", 0, NULL) == 0) {
		if (!tracefs_is_mounted(TRACEFS_PATH))
			return path = TRACEFS_PATH;
		err = ENOENT;
	} else {
		err = errno;
	}
	diag_error((struct loc){ 0 },
		   "tracefs is not mounted and mounting it failed (%s); "
		   "as root, run: mount -t tracefs nodev " TRACEFS_PATH,
		   strerror(err));
	return NULL;
}
