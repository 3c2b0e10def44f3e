/* cli.c: the option parser described in cli.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static const struct cli_option *cli_find(const struct cli_command *cmd, const char *name, size_t len)
{
	for (size_t i = 0; i < cmd->n_options; i++) {
		const struct cli_option *o = &cmd->options[i];
		if ((strlen(o->name) == len && strncmp(o->name, name, len) == 0) ||
		    (o->alias && strlen(o->alias) == len && strncmp(o->alias, name, len) == 0))
			return o;
	}
	return NULL;
}

static int cli_set_bool(const struct cli_option *o, const char *value, struct error *err)
{
	bool *dest = o->dest;

	if (!value || strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
		*dest = true;
	else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
		*dest = false;
	else
		return error_set(err, 0, "invalid boolean value \"%s\" for flag -%s", value, o->name);
	return 0;
}

static int cli_set_value(const struct cli_option *o, const char *value, struct error *err)
{
	switch (o->type) {
	case CLI_BOOL:
		return cli_set_bool(o, value, err);
	case CLI_STRING:
		*(const char **)o->dest = value;
		return 0;
	case CLI_UINT: {
		uint64_t v;
		if (parse_uint64(value, &v) < 0 || v > 0x7fffffff)
			return error_set(err, 0, "invalid value \"%s\" for flag -%s", value, o->name);
		*(unsigned *)o->dest = (unsigned)v;
		return 0;
	}
	case CLI_LIST: {
		struct cli_list *l = o->dest;
		l->v = xrealloc(l->v, (l->n + 2) * sizeof(*l->v));
		l->v[l->n++] = value;
		l->v[l->n] = NULL;
		return 0;
	}
	}
	return 0;
}

/* "-dt": every letter a boolean short flag. */
static bool cli_try_short_bools(const struct cli_command *cmd, const char *letters)
{
	size_t n = strlen(letters);

	if (n < 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct cli_option *o = cli_find(cmd, letters + i, 1);
		if (!o || o->type != CLI_BOOL)
			return false;
	}
	for (size_t i = 0; i < n; i++)
		*(bool *)cli_find(cmd, letters + i, 1)->dest = true;
	return true;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_result *res,
	      struct error *err)
{
	bool flags_done = false;

	res->args = xcalloc((size_t)argc + 1, sizeof(char *));
	res->n_args = 0;
	res->help = false;
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];

		if (flags_done || a[0] != '-' || a[1] == '\0') {
			res->args[res->n_args++] = a;
			if (cmd->pass_through)
				flags_done = true;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			flags_done = true;
			continue;
		}
		const char *name = a + (a[1] == '-' ? 2 : 1);
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct cli_option *o = cli_find(cmd, name, len);

		if (!o) {
			if ((len == 1 && name[0] == 'h') || (len == 4 && strncmp(name, "help", 4) == 0)) {
				res->help = true;
				continue;
			}
			if (a[1] != '-' && !eq && cli_try_short_bools(cmd, name))
				continue;
			return error_set(err, 0, "flag provided but not defined: -%.*s", (int)len, name);
		}
		const char *value = eq ? eq + 1 : NULL;
		if (o->type != CLI_BOOL && !value) {
			if (i + 1 >= argc)
				return error_set(err, 0, "flag needs an argument: -%s", o->name);
			value = argv[++i];
		}
		if (cli_set_value(o, value, err) < 0)
			return -1;
	}
	res->args[res->n_args] = NULL;
	return 0;
}

void cli_result_free(struct cli_result *res)
{
	free(res->args);
	res->args = NULL;
}

void cli_list_free(struct cli_list *list)
{
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

void cli_print_help(const struct cli_command *cmd)
{
	printf("NAME:\n   oci-rt %s - %s\n\nUSAGE:\n   oci-rt %s %s\n", cmd->name, cmd->summary,
	       cmd->name, cmd->usage);
	if (cmd->n_options == 0)
		return;
	printf("\nOPTIONS:\n");
	for (size_t i = 0; i < cmd->n_options; i++) {
		const struct cli_option *o = &cmd->options[i];
		char left[64];
		const char *val = o->type == CLI_BOOL ? "" : " value";

		if (o->alias)
			snprintf(left, sizeof(left), "--%s%s, -%s%s", o->name, val, o->alias, val);
		else
			snprintf(left, sizeof(left), "--%s%s", o->name, val);
		printf("   %-34s %s\n", left, o->help);
	}
}
