/* workload.c - the per-event cost workload of bench/run.sh: getppid()
 * N times (a raw syscall, so no library may answer it), then the
 * nanoseconds the loop took on stdout. N = 0 loops until killed (a
 * steady stream of events for the start-up measure). Part of the
 * benchmark, not of wisp. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 5000000;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; n == 0 || i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%lld\n", (long long)(b.tv_sec - a.tv_sec) * 1000000000LL +
				 (b.tv_nsec - a.tv_nsec));
	return 0;
}
