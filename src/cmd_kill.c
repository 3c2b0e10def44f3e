/* cmd_kill.c: `oci-rt kill [--all] <container-id> [signal]`. */
#include <signal.h>

#include "cli.h"
#include "commands.h"
#include "container.h"
#include "signals.h"
#include "util.h"

int cmd_kill(const struct globals *g, int argc, char **argv, struct error *err)
{
	bool all = false;
	const struct cli_option opts[] = {
		{ "all", "a", CLI_BOOL, &all, "send the specified signal to all processes inside the container" },
	};
	struct cli_command cmd = { .name = "kill", .usage = "[command options] <container-id> [signal]",
				   .summary = "kill sends the specified signal (default: SIGTERM) to the container's init process",
				   .options = opts, .n_options = ARRAY_SIZE(opts) };
	struct cli_result res;
	struct container c;
	const char *id;
	int sig = SIGTERM;
	int r;

	if (cli_parse(&cmd, argc, argv, &res, err) < 0)
		return -1;
	if (res.help) {
		cli_print_help(&cmd);
		cli_result_free(&res);
		return 0;
	}
	r = cli_check_args(&cmd, &res, CLI_ARGS_MIN, 1, err);
	if (r == 0)
		r = cli_check_args(&cmd, &res, CLI_ARGS_MAX, 2, err);
	if (r == 0)
		r = command_require_id("kill", res.n_args, res.args, &id, err);
	/* runc looks the container up before it reads the signal */
	if (r == 0)
		r = container_open(g->root, id, false, &c, err);
	if (r < 0) {
		cli_result_free(&res);
		return -1;
	}
	if (res.n_args > 1 && res.args[1][0] != '\0')
		r = signal_parse(res.args[1], &sig, err);
	cli_result_free(&res);
	if (r == 0)
		r = container_signal(&c, sig, all, err);
	container_close(&c);
	return r;
}
