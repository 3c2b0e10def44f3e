/* command.c: what every verb does first (see commands.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

bool globals_rootless(const struct globals *g)
{
	if (g->rootless && strcmp(g->rootless, "true") == 0)
		return true;
	if (g->rootless && strcmp(g->rootless, "false") == 0)
		return false;
	return geteuid() != 0;
}

int command_parse(const struct cli_command *cmd, int argc, char **argv, int min_args, int max_args,
		  struct command_args *a, struct error *err)
{
	a->id = NULL;
	if (cli_parse(cmd, argc, argv, &a->res, err) < 0)
		return -1;
	if (a->res.help) {
		cli_print_help(cmd);
		return 1;
	}
	if (min_args == max_args) {
		if (cli_check_args(cmd, &a->res, CLI_ARGS_EXACT, min_args, err) < 0)
			return -1;
	} else if (cli_check_args(cmd, &a->res, CLI_ARGS_MIN, min_args, err) < 0 ||
		   cli_check_args(cmd, &a->res, CLI_ARGS_MAX, max_args, err) < 0) {
		return -1;
	}
	if (min_args >= 1) {
		if (a->res.args[0][0] == '\0')
			return error_set(err, EINVAL, "container id cannot be empty");
		a->id = a->res.args[0];
	}
	return 0;
}

void command_args_free(struct command_args *a)
{
	cli_result_free(&a->res);
}
