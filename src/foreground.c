/* foreground.c: forwarding signals to a foreground process and waiting for
 * it (see foreground.h). */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "foreground.h"
#include "terminal.h"

static volatile pid_t forward_to;

static void forward_signal(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

void foreground_forward_signals(pid_t pid)
{
	struct sigaction sa = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };

	forward_to = pid;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sig == SIGPIPE ||
		    sig == SIGURG || sig == SIGWINCH || (sig >= 32 && sig < SIGRTMIN))
			continue;
		sigaction(sig, &sa, NULL);
	}
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

int foreground_wait(pid_t pid, int console, struct error *err)
{
	int status;

	if (console >= 0) {
		if (terminal_relay(console, pid, &status, err) < 0)
			return -1;
		return exit_code(status);
	}
	/* as a subreaper we also reap orphans handed to us */
	for (;;) {
		pid_t r = waitpid(-1, &status, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return error_sys(err, "wait for process %d", (int)pid);
		}
		if (r == pid)
			return exit_code(status);
	}
}
