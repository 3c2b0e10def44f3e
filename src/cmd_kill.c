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
	cleanup_command_args struct command_args a;
	struct container c;
	int sig = SIGTERM;
	int r = command_parse(&cmd, argc, argv, 1, 2, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	/* runc looks the container up before it reads the signal */
	if (container_open(g->root, a.id, false, &c, err) < 0)
		return -1;
	if (a.res.n_args > 1 && a.res.args[1][0] != '\0')
		r = signal_parse(a.res.args[1], &sig, err);
	if (r == 0)
		r = container_signal(&c, sig, all, err);
	container_close(&c);
	return r;
}
