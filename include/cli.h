/* cli.h: runc-compatible command-line parsing.
 *
 * Behaves like runc 1.1's urfave/cli v1 over Go's flag package, because
 * clients send what runc accepts: `--flag value`, `--flag=value`, `-flag`
 * with one dash, short aliases (`-b`), `--bool=true|false`.  Known flags may
 * follow positional arguments (urfave reorders them to the front; an unknown
 * `-x` after the first positional stays positional, as in `kill ID -9`)
 * unless the command passes everything after its first argument through
 * (exec, ps: urfave's SkipArgReorder).  One extension: combined short
 * booleans (`-dt`) where runc would refuse them.
 *
 * Usage errors are reported like urfave: "Incorrect Usage: <why>" and the
 * command's help on stdout, the error itself through the log.
 */
#ifndef OCI_RT_CLI_H
#define OCI_RT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum cli_type {
	CLI_BOOL,   /* bool * */
	CLI_STRING, /* const char ** */
	CLI_UINT,   /* unsigned * */
	CLI_LIST,   /* struct cli_list *, repeatable */
};

struct cli_list {
	const char **v;
	size_t n;
};

struct cli_option {
	const char *name;  /* long name, without dashes */
	const char *alias; /* short alias ("b") or NULL */
	enum cli_type type;
	void *dest;
	const char *help;
};

struct cli_command {
	const char *name;
	const char *usage;   /* "[command options] <container-id>" */
	const char *summary; /* one line */
	const struct cli_option *options;
	size_t n_options;
	bool pass_through; /* stop at the first positional argument */
	bool quiet_usage;  /* on a flag error print nothing (the caller does) */
};

struct cli_result {
	char **args; /* positional arguments, in order */
	int n_args;
	bool help;
};

/* Parse argv[0..argc) (argv[0] is the first argument after the command
 * name).  Positional arguments are returned in res (pointing into argv). */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_result *res,
	      struct error *err);

void cli_result_free(struct cli_result *res);
void cli_list_free(struct cli_list *list);

void cli_print_help(const struct cli_command *cmd);

/* The program name as invoked (argv[0]); runc puts it in usage errors. */
void cli_set_program(const char *argv0);
const char *cli_program(void);

enum cli_nargs {
	CLI_ARGS_EXACT,
	CLI_ARGS_MIN,
	CLI_ARGS_MAX,
};

/* runc's checkArgs: a wrong number of positional arguments prints
 * "Incorrect Usage." and the help on stdout and fails with
 * `<program>: "<cmd>" requires exactly|a minimum of|a maximum of N argument(s)`. */
int cli_check_args(const struct cli_command *cmd, const struct cli_result *res, enum cli_nargs kind,
		   int n, struct error *err);

#endif
