/* hooks.c: fork/exec one hook at a time, feeding the state and bounding its time. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "hooks.h"
#include "signals.h"
#include "util.h"

#define HOOK_OUTPUT_MAX 4096

struct capture {
	int fd;
	char buf[HOOK_OUTPUT_MAX];
	size_t len;
};

static void capture_read(struct capture *c)
{
	char tmp[1024];
	ssize_t n = read(c->fd, tmp, sizeof(tmp));

	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	size_t take = (size_t)n;
	if (take > sizeof(c->buf) - 1 - c->len)
		take = sizeof(c->buf) - 1 - c->len;
	memcpy(c->buf + c->len, tmp, take);
	c->len += take;
	c->buf[c->len] = '\0';
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int run_one(const struct spec_hook *h, const char *name, size_t idx, const char *state,
		   char *const *default_env, struct error *err)
{
	int in[2], out[2], errp[2];
	struct capture co = { .fd = -1 }, ce = { .fd = -1 };
	static char *empty[] = { NULL };

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		return error_sys(err, "error running %s hook #%zu: pipe", name, idx);
	pid_t pid = fork();
	if (pid < 0)
		return error_sys(err, "error running %s hook #%zu: fork", name, idx);
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(errp[1], 2);
		char *const *argv = h->args.n ? h->args.v : (char *[]){ h->path, NULL };
		execve(h->path, argv, h->env.n ? h->env.v : default_env ? default_env : empty);
		char buf[ERRNO_TEXT_MAX];
		dprintf(2, "exec %s: %s", h->path, errno_text(errno, buf, sizeof(buf)));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	co.fd = out[0];
	ce.fd = errp[0];
	/* a hook that never reads stdin gets EPIPE, which is fine (SIGPIPE is ignored) */
	if (state)
		write_all(in[1], state, strlen(state));
	close(in[1]);

	cleanup_close int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	long long deadline = h->has_timeout ? now_ms() + h->timeout * 1000 : -1;
	bool timed_out = false;
	for (;;) {
		struct pollfd p[3] = { { pidfd, POLLIN, 0 }, { co.fd, POLLIN, 0 }, { ce.fd, POLLIN, 0 } };
		int wait = deadline < 0 ? -1 : (int)(deadline - now_ms());
		if (deadline >= 0 && wait <= 0) {
			timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		int r = poll(p, 3, wait);
		if (r < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			capture_read(&co);
		if (p[2].revents)
			capture_read(&ce);
		if (p[0].revents && co.fd < 0 && ce.fd < 0)
			break;
		if (p[0].revents && !p[1].revents && !p[2].revents) {
			/* exited; whatever is still buffered is read below */
			while (co.fd >= 0)
				capture_read(&co);
			while (ce.fd >= 0)
				capture_read(&ce);
			break;
		}
	}
	if (co.fd >= 0)
		close(co.fd);
	if (ce.fd >= 0)
		close(ce.fd);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out)
		return error_set(err, ETIMEDOUT, "error running %s hook #%zu: hook ran past specified timeout of %.1fs",
				 name, idx, (double)h->timeout);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* runc's wording, which people grep their logs for */
	if (WIFEXITED(status))
		return error_set(err, 0,
				 "error running %s hook #%zu: error running hook: exit status %d, stdout: %s, stderr: %s",
				 name, idx, WEXITSTATUS(status), co.buf, ce.buf);
	char sigbuf[SIGNAL_TEXT_MAX];
	return error_set(err, 0, "error running %s hook #%zu: error running hook: signal: %s, stdout: %s, stderr: %s",
			 name, idx, signal_text(WTERMSIG(status), sigbuf, sizeof(sigbuf)), co.buf, ce.buf);
}

int hooks_run(const struct spec_hook_array *hooks, const char *name, const char *state_json,
	      char *const *default_env, struct error *err)
{
	for (size_t i = 0; i < hooks->n; i++)
		if (run_one(&hooks->v[i], name, i, state_json, default_env, err) < 0)
			return -1;
	return 0;
}
