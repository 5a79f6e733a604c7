/* replay.c - feed files to the fuzz target without libFuzzer:
 *
 *     replay [-t SECONDS] FILE|DIR...
 *
 * Each file (a directory: each file in it) runs through
 * LLVMFuzzerTestOneInput in a child process of its own, so that one
 * crash does not hide the others, under an alarm (default 20 s) that
 * counts a hang as a failure. The compiler's diagnostics are not shown;
 * a failing input's are, with its name. The last line counts the
 * inputs: "replay: N passed, N failed"; exit 1 when one failed. make
 * check runs it on the seed corpus and test/fuzz/regress, built with
 * the ordinary compiler (and its sanitizers with --enable-sanitizers).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned timeout_s = 20;
static int passed, failed;

static int read_all(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	uint8_t *buf = malloc(cap);

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return -1;
	}
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *bigger = realloc(buf, cap * 2);

			if (!bigger) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	*data = buf;
	*size = n;
	return 0;
}

/* Run one file in a child whose stderr goes to a scratch file, shown
 * when the child fails. */
static void replay_file(const char *path)
{
	char log[] = "/tmp/wisp-replay.XXXXXX";
	int fd = mkstemp(log), status;
	pid_t pid;

	if (fd < 0) {
		perror("replay: mkstemp");
		exit(2);
	}
	unlink(log);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("replay: fork");
		exit(2);
	}
	if (pid == 0) {
		uint8_t *data;
		size_t size;

		dup2(fd, 1);
		dup2(fd, 2);
		if (read_all(path, &data, &size)) {
			fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
			_exit(2);
		}
		alarm(timeout_s);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		fflush(NULL);
		exit(0); /* exit, not _exit: LeakSanitizer checks at exit */
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		passed++;
	} else {
		char buf[4096];
		ssize_t n;
		off_t end = lseek(fd, 0, SEEK_END);

		failed++;
		if (WIFSIGNALED(status))
			printf("replay: FAIL %s: killed by signal %d%s\n", path,
			       WTERMSIG(status),
			       WTERMSIG(status) == SIGALRM ? " (a hang)" : "");
		else
			printf("replay: FAIL %s: exit %d\n", path, WEXITSTATUS(status));
		/* the end of its output: the sanitizer's report */
		lseek(fd, end > (off_t)sizeof(buf) * 4 ? end - (off_t)sizeof(buf) * 4 : 0,
		      SEEK_SET);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
	}
	close(fd);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d) {
		printf("replay: FAIL %s: %s\n", dir, strerror(errno));
		failed++;
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				exit(2);
		}
		if (asprintf(&names[n++], "%s/%s", dir, e->d_name) < 0)
			exit(2);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			replay_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int i = 1;

	if (i + 1 < argc && !strcmp(argv[i], "-t")) {
		timeout_s = (unsigned)atoi(argv[i + 1]);
		i += 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: replay [-t SECONDS] FILE|DIR...\n");
		return 2;
	}
	for (; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			replay_dir(argv[i]);
		else
			replay_file(argv[i]);
	}
	printf("replay: %d passed, %d failed\n", passed, failed);
	return failed || !passed ? 1 : 0;
}
