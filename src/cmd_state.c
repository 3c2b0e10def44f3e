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
	cleanup_command_args struct command_args a;
	struct container c;
	int r = command_parse(&cmd, argc, argv, 1, 1, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (container_open(g->root, a.id, false, &c, err) < 0)
		return -1;
	char *json = state_to_json(&c.st, c.status, "", true);
	if (write_all(STDOUT_FILENO, json, strlen(json)) < 0)
		r = error_sys(err, "write state");
	free(json);
	container_close(&c);
	return r;
}
