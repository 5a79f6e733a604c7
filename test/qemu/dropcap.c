/* dropcap.c - run a command with capabilities taken out of the bounding
 * set, for the tests in the QEMU guests, whose busybox setpriv cannot do
 * it (util-linux's `setpriv --inh-caps=-all --bounding-set=-CAP,...`
 * does the same):
 *
 *     dropcap CAP[,CAP...] COMMAND [ARGS...]
 *
 * CAP is a name without CAP_ (sys_admin, sys_resource, bpf, perfmon,
 * dac_override, ipc_lock) or a number. A root process that executes a
 * file gets the bounding set as its permitted and effective sets: the
 * command runs without CAPs. Built static by build-static.sh, never part
 * of wisp.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static const struct {
	const char *name;
	int cap;
} caps[] = {
	{ "dac_override", 1 }, { "ipc_lock", 14 }, { "sys_admin", 21 },
	{ "sys_resource", 24 }, { "perfmon", 38 }, { "bpf", 39 },
};

static int cap_number(const char *s)
{
	char *end;
	long n;

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (!strcmp(s, caps[i].name))
			return caps[i].cap;
	n = strtol(s, &end, 10);
	return *s && !*end && n >= 0 && n < 64 ? (int)n : -1;
}

int main(int argc, char **argv)
{
	char *list, *save = NULL;

	if (argc < 3) {
		fprintf(stderr, "usage: dropcap CAP[,CAP...] COMMAND [ARGS...]\n");
		return 2;
	}
	list = strdup(argv[1]);
	for (char *c = strtok_r(list, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		int n = cap_number(c);

		if (n < 0) {
			fprintf(stderr, "dropcap: unknown capability '%s'\n", c);
			return 2;
		}
		if (prctl(PR_CAPBSET_DROP, n, 0, 0, 0)) {
			perror("dropcap: PR_CAPBSET_DROP");
			return 1;
		}
	}
	free(list);
	execvp(argv[2], argv + 2);
	fprintf(stderr, "dropcap: cannot run %s: ", argv[2]);
	perror(NULL);
	return 127;
}
