/* timeit: run a command many times and print each run's wall time in
 * microseconds, one per line (the benchmark takes medians of these).
 *
 *   timeit N CMD ARGS...            N sequential runs
 *   timeit -p P CMD ARGS...         P runs started at once; prints the wall
 *                                   time of the whole batch and the failures
 * CMD may be a chain "A ARGS ;; B ARGS ;; ...": each run executes the
 * commands one after the other (stopping at a failure) and is timed as a
 * whole, with no shell in between.
 * "{}" in an argument is replaced by the run's index (unique container ids).
 * Output of the command goes to /dev/null; a failing run prints "FAIL". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static char **expand(char **argv, int argc, int index)
{
	char **out = calloc((size_t)argc + 1, sizeof(char *));
	char num[16];

	snprintf(num, sizeof(num), "%d", index);
	for (int i = 0; i < argc; i++) {
		char *p = strstr(argv[i], "{}");
		if (!p) {
			out[i] = argv[i];
			continue;
		}
		size_t n = strlen(argv[i]) + strlen(num);
		out[i] = malloc(n);
		snprintf(out[i], n, "%.*s%s%s", (int)(p - argv[i]), argv[i], num, p + 2);
	}
	return out;
}

static pid_t spawn(char **argv)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static int wait_ok(pid_t pid)
{
	int status;

	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Run the chain argv[0..argc) ("a ;; b ;; c") for one index. */
static int run_chain(char **argv, int argc, int index)
{
	int start = 0;

	for (int i = 0; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], ";;") != 0)
			continue;
		char **cmd = expand(argv + start, i - start, index);
		if (!wait_ok(spawn(cmd)))
			return 0;
		start = i + 1;
	}
	return 1;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "-p") == 0) {
		int p = atoi(argv[2]), failures = 0;
		pid_t *pids = calloc((size_t)p, sizeof(pid_t));
		long long t0 = now_us();
		for (int i = 0; i < p; i++) {
			/* each batch member runs its chain in its own process */
			pids[i] = fork();
			if (pids[i] == 0)
				_exit(run_chain(argv + 3, argc - 3, i) ? 0 : 1);
		}
		for (int i = 0; i < p; i++)
			failures += !wait_ok(pids[i]);
		printf("%lld %d\n", now_us() - t0, failures);
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: timeit N CMD... | timeit -p P CMD...\n");
		return 2;
	}
	int n = atoi(argv[1]);
	for (int i = 0; i < n; i++) {
		long long t0 = now_us();
		int ok = run_chain(argv + 2, argc - 2, i);
		long long dt = now_us() - t0;
		if (ok)
			printf("%lld\n", dt);
		else
			printf("FAIL\n");
		fflush(stdout);
	}
	return 0;
}
