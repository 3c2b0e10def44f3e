/* cmd_run.c: `oci-rt run [options] <container-id>`: create, start, and in
 * the foreground wait for the container and exit with its status. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"
#include "foreground.h"
#include "hooks.h"
#include "log.h"
#include "sync.h"
#include "timing.h"
#include "util.h"

/* After the init is released: run poststart hooks (a failure stops the
 * container, runtime-spec v1.3.0). */
static int run_poststart(const struct created *c, struct error *err)
{
	const struct spec *spec = c->spec;

	if (!spec->hooks || spec->hooks->poststart.n == 0)
		return 0;
	cleanup_free char *state = state_hook_json(&c->state, "running");
	return hooks_run(&spec->hooks->poststart, "poststart", state, NULL, err);
}

/* spec: the one create made the container with, used while the state
 * dir still holds that container (not one deleted and made again) */
static void destroy(const char *root, const char *id, const struct spec *spec, pid_t pid,
		    unsigned long long start_time)
{
	struct container ct;
	struct error err;

	if (container_open(root, id, false, &ct, &err) < 0)
		return;
	if (ct.st.pid == pid && ct.st.start_time == start_time)
		ct.spec = spec;
	if (container_destroy(&ct, &err) < 0)
		log_warn("delete %s: %s", id, err.msg);
	container_close(&ct);
}

int cmd_run(const struct globals *g, int argc, char **argv, struct error *err)
{
	struct container_options o = { 0 };
	struct cli_option opts[12];
	struct cli_command cmd = {
		.name = "run",
		.usage = "[command options] <container-id>",
		.summary = "create and run a container",
		.options = opts,
	};
	cleanup_free char *owned = NULL;
	struct created c;
	bool help;

	size_t n = create_cli_options(&o, opts);
	opts[n++] = (struct cli_option){ "detach", "d", CLI_BOOL, &o.detach, "detach from the container's process" };
	opts[n++] = (struct cli_option){ "keep", NULL, CLI_BOOL, &o.keep, "do not delete the container after it exits" };
	opts[n++] = (struct cli_option){ "no-subreaper", NULL, CLI_BOOL, &o.no_subreaper,
					 "disable the use of the subreaper used to reap reparented processes" };
	cmd.n_options = n;
	if (create_parse(g, &cmd, argc, argv, &o, &help, &owned, err) < 0)
		return -1;
	if (help)
		return 0;
	if (!o.detach && !o.no_subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (container_create(&o, true, &c, err) < 0) {
		timing_report("run");
		return error_prefix(err, "run %s", o.id);
	}
	pid_t pid = c.state.pid;
	unsigned long long start_time = c.state.start_time;
	if (!o.detach)
		foreground_forward_signals(pid);
	timing_mark("start");
	/* release the init; EOF on the socket means it reached execve */
	if (sync_send(c.sock, SYNC_PARENT_START, NULL, 0, -1, err) < 0 ||
	    sync_wait_exec(c.sock, err) < 0 ||
	    run_poststart(&c, err) < 0) {
		timing_report("run");
		destroy(o.root, o.id, c.spec, pid, start_time);
		created_release(&c);
		return error_prefix(err, "run %s", o.id);
	}
	error_clear(err);
	/* runc writes it once the process runs, detached or not */
	if (o.pid_file && pid_file_write(o.pid_file, pid, err) < 0) {
		destroy(o.root, o.id, c.spec, pid, start_time);
		created_release(&c);
		return error_prefix(err, "run %s", o.id);
	}
	if (o.detach) {
		created_release(&c);
		timing_report("run");
		return 0;
	}
	/* unlock: delete, kill and state from others must work while we wait */
	int console = steal_fd(&c.console_fd);
	cleanup_spec struct spec *spec = steal_ptr(&c.spec);
	created_release(&c);
	timing_mark("wait");
	int code = foreground_wait(pid, console, err);
	if (code < 0) {
		log_warn("%s", err->msg);
		code = 255;
	}
	timing_mark("destroy");
	if (!o.keep)
		destroy(o.root, o.id, spec, pid, start_time);
	timing_report("run");
	return code;
}
