/* cmd_ps.c: `oci-rt ps [--format table|json] <container-id> [ps options]`.
 *
 * json: the host pids of the container's processes, as a JSON array and a
 * newline (`null` when there is none, as runc's encoder prints).  table:
 * the host's `ps` (default `-ef`), its header and the rows whose PID column
 * is one of them (go-runc's Top needs that column).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"
#include "util.h"

static void print_json(const pid_t *pids, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	if (n == 0)
		strbuf_puts(&sb, "null");
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&sb, "%s%d", i ? "," : "[", (int)pids[i]);
	strbuf_puts(&sb, n ? "]\n" : "\n");
	write_all(STDOUT_FILENO, sb.buf, sb.len);
	strbuf_release(&sb);
}

/* Run the host's ps with args; its stdout and stderr together, as runc. */
static int run_ps(char **args, int n_args, char **out, struct error *err)
{
	/* "ps", the args (or "-ef"), NULL */
	cleanup_free char **argv = xcalloc((size_t)(n_args ? n_args : 1) + 2, sizeof(char *));
	char dash_ef[] = "-ef";
	int pipefd[2], status;
	size_t len;

	argv[0] = "ps";
	for (int i = 0; i < n_args; i++)
		argv[i + 1] = args[i];
	if (n_args == 0)
		argv[1] = dash_ef;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return error_sys(err, "pipe");
	pid_t pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return error_sys(err, "fork");
	}
	if (pid == 0) {
		if (dup2(pipefd[1], STDOUT_FILENO) >= 0 && dup2(pipefd[1], STDERR_FILENO) >= 0)
			execvp("ps", argv);
		char buf[ERRNO_TEXT_MAX];
		dprintf(pipefd[1], "exec ps: %s\n", errno_text(errno, buf, sizeof(buf)));
		_exit(127);
	}
	close(pipefd[1]);
	int r = read_all_fd(pipefd[0], 64 << 20, out, &len, err);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_sys(err, "wait for ps");
	if (r < 0)
		return error_prefix(err, "read ps output");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		error_set(err, ECHILD, "exit status %d: %s", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
			  *out);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* The whitespace-separated field number `index` of line (Go's strings.Fields). */
static bool nth_field(const char *line, int index, char *buf, size_t len)
{
	const char *p = line;

	for (int i = 0;; i++) {
		p += strspn(p, " \t");
		if (!*p)
			return false;
		size_t n = strcspn(p, " \t");
		if (i == index) {
			snprintf(buf, len, "%.*s", (int)n, p);
			return true;
		}
		p += n;
	}
}

static int print_table(char **ps_args, int n_args, const pid_t *pids, size_t n, struct error *err)
{
	cleanup_free char *out = NULL;
	struct strbuf sb = STRBUF_INIT;
	int pid_index = -1;
	char field[64];

	if (run_ps(ps_args, n_args, &out, err) < 0)
		return -1;
	char *save = NULL;
	char *header = strtok_r(out, "\n", &save);
	for (int i = 0; header && nth_field(header, i, field, sizeof(field)); i++)
		if (strcmp(field, "PID") == 0) {
			pid_index = i;
			break;
		}
	if (pid_index < 0)
		return error_set(err, EINVAL, "couldn't find PID field in ps output");
	strbuf_printf(&sb, "%s\n", header);
	for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int64_t p;
		if (!nth_field(line, pid_index, field, sizeof(field)) || parse_int64(field, &p) < 0) {
			strbuf_release(&sb);
			return error_set(err, EINVAL, "unable to parse pid: %s", line);
		}
		for (size_t i = 0; i < n; i++) {
			if (pids[i] == p) {
				strbuf_printf(&sb, "%s\n", line);
				break;
			}
		}
	}
	write_all(STDOUT_FILENO, sb.buf, sb.len);
	strbuf_release(&sb);
	return 0;
}

int cmd_ps(const struct globals *g, int argc, char **argv, struct error *err)
{
	const char *format = "table";
	const struct cli_option opts[] = {
		{ "format", "f", CLI_STRING, &format, "select one of: table or json (default: \"table\")" },
	};
	struct cli_command cmd = {
		.name = "ps",
		.usage = "[command options] <container-id> [ps options]",
		.summary = "ps displays the processes running inside a container",
		.options = opts,
		.n_options = ARRAY_SIZE(opts),
		/* what follows the id goes to ps */
		.pass_through = true,
	};
	cleanup_command_args struct command_args a;
	cleanup_free pid_t *pids = NULL;
	struct container c;
	size_t n;
	int r = command_parse(&cmd, argc, argv, 1, INT_MAX, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (container_open(g->root, a.id, false, &c, err) < 0)
		return -1;
	r = container_pids(&c, &pids, &n, err);
	container_close(&c);
	if (r < 0)
		return -1;
	if (strcmp(format, "json") == 0) {
		print_json(pids, n);
		return 0;
	}
	if (strcmp(format, "table") != 0)
		return error_set(err, EINVAL, "invalid format option");
	return print_table(a.res.args + 1, a.res.n_args - 1, pids, n, err);
}
