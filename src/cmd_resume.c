/* cmd_resume.c: `oci-rt resume <container-id>`: thaw a paused container. */
#include <errno.h>

#include "cgroup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"

int cmd_resume(const struct globals *g, int argc, char **argv, struct error *err)
{
	struct cli_command cmd = { .name = "resume", .usage = "<container-id>",
				   .summary = "resumes all processes that have been previously paused" };
	cleanup_command_args struct command_args a;
	struct container c;
	struct cgroup cg;
	int r = command_parse(&cmd, argc, argv, 1, 1, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (container_open(g->root, a.id, true, &c, err) < 0)
		return -1;
	if (c.status != STATUS_PAUSED)
		r = error_set(err, EINVAL, "container not paused");
	else if ((r = container_cgroup(&c, &cg, err)) == 0) {
		r = cgroup_freeze(&cg, false, err);
		cgroup_release(&cg);
	}
	container_close(&c);
	return r;
}
