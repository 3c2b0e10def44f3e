/* cmd_pause.c: `oci-rt pause <container-id>`: freeze every process of the
 * container (v1 freezer or cgroup.freeze), returning once they are. */
#include <errno.h>

#include "cgroup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"

int cmd_pause(const struct globals *g, int argc, char **argv, struct error *err)
{
	struct cli_command cmd = { .name = "pause", .usage = "<container-id>",
				   .summary = "pause suspends all processes inside the container" };
	cleanup_command_args struct command_args a;
	struct container c;
	struct cgroup cg;
	int r = command_parse(&cmd, argc, argv, 1, 1, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (container_open(g->root, a.id, true, &c, err) < 0)
		return -1;
	/* runc pauses created and running containers, nothing else */
	if (c.status != STATUS_RUNNING && c.status != STATUS_CREATED)
		r = error_set(err, EINVAL, "container not running");
	else if ((r = container_cgroup(&c, &cg, err)) == 0) {
		r = cgroup_freeze(&cg, true, err);
		cgroup_release(&cg);
	}
	container_close(&c);
	return r;
}
