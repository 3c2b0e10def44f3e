/* cmd_state.c: `oci-rt state <container-id>`: runc's state JSON on stdout,
 * pretty-printed, no trailing newline.  Nothing goes to stderr on success:
 * clients parse stdout and stderr together. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "container.h"
#include "util.h"

int cmd_state(const struct globals *g, int argc, char **argv, struct error *err)
{
	struct cli_command cmd = { .name = "state", .usage = "<container-id>",
				   .summary = "output the state of a container" };
	struct cli_result res;
	struct container c;
	const char *id;
	int r;

	if (cli_parse(&cmd, argc, argv, &res, err) < 0)
		return -1;
	if (res.help) {
		cli_print_help(&cmd);
		cli_result_free(&res);
		return 0;
	}
	r = cli_check_args(&cmd, &res, CLI_ARGS_EXACT, 1, err);
	if (r == 0)
		r = command_require_id("state", res.n_args, res.args, &id, err);
	if (r == 0)
		r = container_open(g->root, id, false, &c, err);
	cli_result_free(&res);
	if (r < 0)
		return -1;
	char *json = state_to_json(&c.st, c.status, "", true);
	if (write_all(STDOUT_FILENO, json, strlen(json)) < 0)
		r = error_sys(err, "write state");
	free(json);
	container_close(&c);
	return r;
}
