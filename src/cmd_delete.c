/* cmd_delete.c: `oci-rt delete [--force] <container-id>`. */
#include <errno.h>

#include "cli.h"
#include "commands.h"
#include "container.h"
#include "util.h"

int cmd_delete(const struct globals *g, int argc, char **argv, struct error *err)
{
	bool force = false;
	const struct cli_option opts[] = {
		{ "force", "f", CLI_BOOL, &force, "Forcibly deletes the container if it is still running (uses SIGKILL)" },
	};
	struct cli_command cmd = { .name = "delete", .usage = "[command options] <container-id>",
				   .summary = "delete any resources held by the container often used with detached container",
				   .options = opts, .n_options = ARRAY_SIZE(opts) };
	cleanup_command_args struct command_args a;
	struct container c;
	int r = command_parse(&cmd, argc, argv, 1, 1, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (state_validate_id(a.id, err) < 0)
		return -1;
	if (container_open(g->root, a.id, true, &c, err) < 0) {
		/* --force also clears a stray directory without state (runc #1451) */
		if (force && err->errnum == ENOENT)
			return state_dir_remove(g->root, a.id, err);
		return -1;
	}
	/* a created container is killed and deleted without --force (runc) */
	if (!force && (c.status == STATUS_RUNNING || c.status == STATUS_PAUSED))
		r = error_set(err, EBUSY, "cannot delete container %s that is not stopped: %s", c.st.id,
			      state_status_name(c.status));
	else
		r = container_destroy(&c, err);
	container_close(&c);
	return r;
}
