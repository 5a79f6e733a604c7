/* kconst.c - the kernel's #define constants known by name (kconst.h).
 *
 * Only values that have stayed the same in every kernel wisp supports
 * (5.10 on): task states of include/linux/sched.h and the address
 * families of include/linux/socket.h. bpftrace's tools get them from
 * the headers they #include; an enum constant of the kernel's BTF or of
 * the program's own declarations takes precedence.
 */
#include <string.h>
#include "kconst.h"

static const struct {
	const char *name;
	int64_t value;
} consts[] = {
	{ "TASK_RUNNING", 0x0 },
	{ "TASK_INTERRUPTIBLE", 0x1 },
	{ "TASK_UNINTERRUPTIBLE", 0x2 },
	{ "__TASK_STOPPED", 0x4 },
	{ "__TASK_TRACED", 0x8 },
	{ "EXIT_DEAD", 0x10 },
	{ "EXIT_ZOMBIE", 0x20 },
	{ "EXIT_TRACE", 0x30 },
	{ "TASK_PARKED", 0x40 },
	{ "TASK_DEAD", 0x80 },
	{ "TASK_WAKEKILL", 0x100 },
	{ "TASK_WAKING", 0x200 },
	{ "TASK_NOLOAD", 0x400 },
	{ "TASK_NEW", 0x800 },
	{ "TASK_KILLABLE", 0x100 | 0x2 },
	{ "TASK_IDLE", 0x2 | 0x400 },
	{ "TASK_NORMAL", 0x1 | 0x2 },
	{ "TASK_COMM_LEN", 16 },
	{ "AF_UNSPEC", 0 },
	{ "AF_UNIX", 1 },
	{ "AF_LOCAL", 1 },
	{ "AF_INET", 2 },
	{ "AF_INET6", 10 },
	{ "AF_NETLINK", 16 },
	{ "AF_PACKET", 17 },
	{ "AF_VSOCK", 40 },
};

bool kconst_lookup(const char *name, int64_t *value)
{
	for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
		if (!strcmp(consts[i].name, name)) {
			*value = consts[i].value;
			return true;
		}
	}
	return false;
}
