/* tracefs.c - where tracefs is mounted, found at run time.
 *
 * ply fixed the path at build time and broke on systems that only have
 * the debugfs one. We look at both, and mount tracefs ourselves when
 * neither is there (initramfs, minimal distributions), since wisp runs
 * as root anyway.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "provider.h"

#define TRACEFS_PATH "/sys/kernel/tracing"
#define TRACEFS_DEBUGFS_PATH "/sys/kernel/debug/tracing"

/* A bare mount-point directory exists even when nothing is mounted on
 * it; "events" is there only when tracefs is. */
static bool tracefs_is_mounted(const char *dir)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", dir);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
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

	if (tracefs_is_mounted(TRACEFS_PATH))
		return path = TRACEFS_PATH;
	if (tracefs_is_mounted(TRACEFS_DEBUGFS_PATH))
		return path = TRACEFS_DEBUGFS_PATH;
	if (mount("nodev", TRACEFS_PATH, "tracefs", 0, NULL) == 0) {
		if (tracefs_is_mounted(TRACEFS_PATH))
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
