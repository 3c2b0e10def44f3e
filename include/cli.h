/* cli.h: runc-compatible command-line parsing.
 *
 * Accepts what runc's urfave/cli accepts and real clients send: `--flag value`,
 * `--flag=value`, `-flag` with one dash, short aliases (`-b`), combined short
 * booleans (`-dt`), and `--bool=true|false`.  Flags may follow positional
 * arguments (urfave reorders them) unless the command passes everything after
 * its first argument through (exec, ps).
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

#endif
