/* cmd_pause.c: `oci-rt pause <container-id>` freezes every process of the
 * container (v1 freezer or cgroup.freeze), returning once they are;
 * `oci-rt resume <container-id>` thaws a paused one.  One verb, two ways. */
#include <errno.h>

#include "cgroup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"

static int freeze_verb(const struct globals *g, int argc, char **argv, bool freeze, struct error *err)
{
	struct cli_command cmd = {
		.name = freeze ? "pause" : "resume",
		.usage = "<container-id>",
		.summary = freeze ? "pause suspends all processes inside the container"
				  : "resumes all processes that have been previously paused",
	};
	cleanup_command_args struct command_args a;
	struct container c;
	struct cgroup cg;
	int r = command_parse(&cmd, argc, argv, 1, 1, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (container_open(g->root, a.id, true, &c, err) < 0)
		return -1;
	/* runc pauses created and running containers, and resumes paused ones */
	if (freeze && c.status != STATUS_RUNNING && c.status != STATUS_CREATED)
		r = error_set(err, EINVAL, "container not running");
	else if (!freeze && c.status != STATUS_PAUSED)
		r = error_set(err, EINVAL, "container not paused");
	else if ((r = container_cgroup(&c, &cg, err)) == 0) {
		r = cgroup_freeze(&cg, freeze, err);
		cgroup_release(&cg);
	}
	container_close(&c);
	return r;
}

int cmd_pause(const struct globals *g, int argc, char **argv, struct error *err)
{
	return freeze_verb(g, argc, argv, true, err);
}

int cmd_resume(const struct globals *g, int argc, char **argv, struct error *err)
{
	return freeze_verb(g, argc, argv, false, err);
}
