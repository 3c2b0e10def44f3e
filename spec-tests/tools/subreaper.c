/* subreaper: stand in for containerd's shim or conmon, a child subreaper.
 *
 *   subreaper CMD [ARGS...]
 *
 * Becomes a child subreaper, runs CMD, and reaps every process that ends
 * up its child (CMD, and whatever CMD leaves behind when it exits), one
 * line each on stdout, in the order they end:
 *   <pid> exited <status>     or     <pid> killed <signal>
 * Exits when it has no child left.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: subreaper CMD [ARGS...]\n");
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		perror("subreaper: prctl");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("subreaper: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("subreaper: exec");
		_exit(127);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((pid = wait(&status)) > 0 || errno == EINTR) {
		if (pid <= 0)
			continue;
		if (WIFEXITED(status))
			printf("%d exited %d\n", (int)pid, WEXITSTATUS(status));
		else
			printf("%d killed %d\n", (int)pid, WTERMSIG(status));
	}
	return 0;
}
