/* commands.h: one function per CLI verb (src/cmd_<verb>.c). */
#ifndef OCI_RT_COMMANDS_H
#define OCI_RT_COMMANDS_H

#include <stdbool.h>

#include "cli.h"
#include "error.h"

struct globals {
	const char *root;
	const char *log;
	const char *log_format;
	const char *rootless; /* "true", "false", "auto" */
	const char *criu;     /* accepted, ignored */
	bool debug;
	bool systemd_cgroup;
};

/* A verb returns its exit code (>= 0), or -1 with *err filled; main then
 * reports the error and exits with the verb's failure code (1; 255 for exec). */
typedef int (*command_fn)(const struct globals *g, int argc, char **argv, struct error *err);

int cmd_create(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_run(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_start(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_state(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_list(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_kill(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_delete(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_spec(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_features(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_pause(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_resume(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_update(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_events(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_exec(const struct globals *g, int argc, char **argv, struct error *err);
int cmd_ps(const struct globals *g, int argc, char **argv, struct error *err);

bool globals_rootless(const struct globals *g);

/* A verb's positional arguments (res.args) and its container id. */
struct command_args {
	struct cli_result res;
	const char *id; /* res.args[0] when the verb takes an id */
};
void command_args_free(struct command_args *a);
#define cleanup_command_args __attribute__((cleanup(command_args_free)))

/* A verb's command line: flags into their destinations, --help, between
 * min_args and max_args positional arguments, the first of them the
 * container id when min_args >= 1 (runc's usage errors otherwise).
 * Returns 1 when help was printed (the verb exits 0), 0 to go on, -1. */
int command_parse(const struct cli_command *cmd, int argc, char **argv, int min_args, int max_args,
		  struct command_args *a, struct error *err);

/* create and run share their options and parsing (cmd_create.c) */
struct cli_option;
struct cli_command;
struct container_options;
size_t create_cli_options(struct container_options *o, struct cli_option *out);
int create_parse(const struct globals *g, const struct cli_command *cmd, int argc, char **argv,
		 struct container_options *o, bool *help, char **owned, struct error *err);


#endif
