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
		r = command_require_id("delete", res.n_args, res.args, &id, err);
	if (r < 0 || state_validate_id(id, err) < 0) {
		cli_result_free(&res);
		return -1;
	}
	r = container_open(g->root, id, true, &c, err);
	if (r < 0) {
		/* --force also clears a stray directory without state (runc #1451) */
		if (force && err->errnum == ENOENT)
			r = state_dir_remove(g->root, id, err);
		cli_result_free(&res);
		return r;
	}
	cli_result_free(&res);
	/* a created container is killed and deleted without --force (runc) */
	if (!force && (c.status == STATUS_RUNNING || c.status == STATUS_PAUSED))
		r = error_set(err, EBUSY, "cannot delete container %s that is not stopped: %s", c.st.id,
			      state_status_name(c.status));
	else
		r = container_destroy(&c, err);
	container_close(&c);
	return r;
}
