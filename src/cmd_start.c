/* cmd_start.c: `oci-rt start <container-id>`. */
#include <signal.h>
#include <stdlib.h>

#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"
#include "hooks.h"

/* poststart hooks: since runtime-spec v1.3.0 a failure is an error and the
 * container is stopped. */
static int run_poststart(struct container *c, struct error *err)
{
	struct error ignored;
	struct spec *spec = container_spec(c, err);
	int r = 0;

	if (!spec)
		return -1;
	if (spec->hooks && spec->hooks->poststart.n) {
		cleanup_free char *state = state_hook_json(&c->st, "running");
		r = hooks_run(&spec->hooks->poststart, "poststart", state, NULL, err);
		if (r < 0)
			container_signal(c, SIGKILL, true, &ignored);
	}
	spec_free(spec);
	return r;
}

int cmd_start(const struct globals *g, int argc, char **argv, struct error *err)
{
	struct cli_command cmd = { .name = "start", .usage = "<container-id>",
				   .summary = "executes the user defined process in a created container" };
	cleanup_command_args struct command_args a;
	struct container c;
	int r = command_parse(&cmd, argc, argv, 1, 1, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (container_open(g->root, a.id, true, &c, err) < 0)
		return -1;
	r = container_start(&c, err);
	if (r == 0)
		r = run_poststart(&c, err);
	container_close(&c);
	return r;
}
