/* tracer.c - runs a tracer for bench/run.sh and times it:
 *
 *     tracer MARK TIMEOUT_MS CMD [ARG...]
 *
 * starts CMD with its stdout on a pipe, and prints
 *     "<ms until a stdout line equal to MARK> <ms until CMD ended> <peak RSS KiB>"
 * (-1 for the first when no such line came). With MARK "-" it waits for
 * no line. CMD gets SIGINT after TIMEOUT_MS (0: never), SIGKILL 10 s
 * later if still there. When the
 * environment names a file in TRACER_READY, it is created when MARK is
 * seen. Part of the benchmark, not of wisp. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *mark;
	double start, first = -1, timeout, killed_at = 0;
	char buf[65536], line[4096];
	size_t ll = 0;
	struct rusage ru;
	int fds[2], status;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: tracer MARK TIMEOUT_MS CMD [ARG...]\n");
		return 2;
	}
	mark = argv[1];
	timeout = atof(argv[2]);
	if (pipe(fds) < 0)
		return 1;
	start = now_ms();
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		int wait_ms = 100;
		ssize_t n;

		if (timeout > 0 && now_ms() - start > timeout) {
			kill(pid, SIGINT);
			timeout = 0;
			killed_at = now_ms();
		}
		/* a command that ignores SIGINT: 10 s, then SIGKILL */
		if (killed_at > 0 && now_ms() - killed_at > 10000) {
			kill(pid, SIGKILL);
			killed_at = 0;
		}
		if (poll(&p, 1, wait_ms) <= 0)
			continue;
		n = read(fds[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (ll + 1 < sizeof(line))
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = 0;
			ll = 0;
			if (first < 0 && strcmp(mark, "-") && !strcmp(line, mark)) {
				first = now_ms() - start;
				if (getenv("TRACER_READY"))
					fclose(fopen(getenv("TRACER_READY"), "w"));
			}
		}
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return 1;
	printf("%.2f %.2f %ld\n", first, now_ms() - start, ru.ru_maxrss);
	return 0;
}
