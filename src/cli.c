/* cli.c: the option parser described in cli.h.
 *
 * Two passes, as in urfave/cli v1: reorder (known flags to the front, the
 * rest after them), then Go's flag package: flags until the first positional
 * argument or "--", everything after that positional.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cli.h"
#include "util.h"

static const char *program = "oci-rt";

void cli_set_program(const char *argv0)
{
	if (argv0 && *argv0)
		program = argv0;
}

const char *cli_program(void)
{
	return program;
}

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

/* urfave adds "--help, -h" to every command. */
static bool is_help(const char *name, size_t len)
{
	return (len == 1 && name[0] == 'h') || (len == 4 && strncmp(name, "help", 4) == 0);
}

/* A value the way Go's %q shows it in flag errors. */
static void go_quote(struct strbuf *sb, const char *s)
{
	strbuf_putc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			strbuf_putc(sb, '\\');
			strbuf_putc(sb, (char)*p);
		} else if (*p == '\n') {
			strbuf_puts(sb, "\\n");
		} else if (*p == '\t') {
			strbuf_puts(sb, "\\t");
		} else if (*p < 0x20 || *p == 0x7f) {
			strbuf_printf(sb, "\\x%02x", *p);
		} else {
			strbuf_putc(sb, (char)*p);
		}
	}
	strbuf_putc(sb, '"');
}

/* Go's "invalid boolean value %q for -NAME: WHY" and
 * "invalid value %q for flag -NAME: WHY". */
static int value_error(struct error *err, bool boolean, const char *value, const char *name, const char *why)
{
	struct strbuf sb = STRBUF_INIT;

	go_quote(&sb, value);
	if (boolean)
		error_set(err, EINVAL, "invalid boolean value %s for -%s: %s", sb.buf, name, why);
	else
		error_set(err, EINVAL, "invalid value %s for flag -%s: %s", sb.buf, name, why);
	strbuf_release(&sb);
	return -1;
}

/* strconv.ParseBool */
static int go_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* typed: the flag's name as given (Go names that one in errors). */
static int cli_set_value(const struct cli_option *o, const char *typed, const char *value, struct error *err)
{
	switch (o->type) {
	case CLI_BOOL:
		if (!value) {
			*(bool *)o->dest = true;
			return 0;
		}
		if (go_parse_bool(value, o->dest) < 0)
			return value_error(err, true, value, typed, "parse error");
		return 0;
	case CLI_STRING:
		*(const char **)o->dest = value;
		return 0;
	case CLI_UINT: {
		uint64_t v;
		errno = 0;
		if (parse_uint64(value, &v) < 0)
			return value_error(err, false, value, typed,
					   errno == ERANGE ? "value out of range" : "parse error");
		if (v > 0x7fffffff)
			return value_error(err, false, value, typed, "value out of range");
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

/* "-dt": every letter a boolean short flag (an extension: runc refuses). */
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

/* urfave's argIsFlag: one of the command's flags, with or without "=value". */
static bool arg_is_flag(const struct cli_command *cmd, const char *arg)
{
	if (arg[0] != '-' || strcmp(arg, "-") == 0 || strcmp(arg, "--") == 0)
		return false;
	const char *name = arg + (arg[1] == '-' ? 2 : 1);
	size_t len = strcspn(name, "=");

	return cli_find(cmd, name, len) || is_help(name, len);
}

/* urfave's reorderArgs: known flags first, each followed by the next
 * argument when that may be its value (even for a boolean: `kill ID -a 9`
 * thus makes "9" the first positional, exactly as runc does). */
static void reorder(const struct cli_command *cmd, int argc, char **argv, char **out)
{
	cleanup_free char **rest = xcalloc((size_t)argc + 1, sizeof(char *));
	int n_out = 0, n_rest = 0;
	bool may_be_value = false;

	for (int i = 0; i < argc; i++) {
		char *a = argv[i];

		if (may_be_value && !arg_is_flag(cmd, a)) {
			may_be_value = false;
			out[n_out++] = a;
		} else if (strcmp(a, "--") == 0) {
			/* "--" goes in front of the positionals, the rest after them */
			out[n_out++] = a;
			for (int j = 0; j < n_rest; j++)
				out[n_out++] = rest[j];
			n_rest = 0;
			for (int j = i + 1; j < argc; j++)
				out[n_out++] = argv[j];
			return;
		} else if (arg_is_flag(cmd, a)) {
			out[n_out++] = a;
			may_be_value = strchr(a, '=') == NULL;
		} else {
			rest[n_rest++] = a;
		}
	}
	for (int j = 0; j < n_rest; j++)
		out[n_out++] = rest[j];
}

static int usage_error(const struct cli_command *cmd, struct error *err)
{
	if (!cmd->quiet_usage) {
		printf("Incorrect Usage: %s\n\n", err->msg);
		cli_print_help(cmd);
		fflush(stdout);
	}
	return -1;
}

/* Go's FlagSet.Parse over args (already reordered). */
static int parse_flags(const struct cli_command *cmd, int argc, char **args, struct cli_result *res,
		       struct error *err)
{
	int i;

	for (i = 0; i < argc; i++) {
		char *a = args[i];

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		const char *name = a + (a[1] == '-' ? 2 : 1);
		if (*name == '\0' || *name == '-' || *name == '=') {
			error_set(err, EINVAL, "bad flag syntax: %s", a);
			return usage_error(cmd, err);
		}
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct cli_option *o = cli_find(cmd, name, len);

		if (!o) {
			if (is_help(name, len)) {
				res->help = true;
				continue;
			}
			if (a[1] != '-' && !eq && cli_try_short_bools(cmd, name))
				continue;
			error_set(err, EINVAL, "flag provided but not defined: -%.*s", (int)len, name);
			return usage_error(cmd, err);
		}
		const char *value = eq ? eq + 1 : NULL;
		if (o->type != CLI_BOOL && !value) {
			/* Go takes the next argument whatever it looks like */
			if (i + 1 >= argc) {
				error_set(err, EINVAL, "flag needs an argument: -%.*s", (int)len, name);
				return usage_error(cmd, err);
			}
			value = args[++i];
		}
		char typed[64];
		snprintf(typed, sizeof(typed), "%.*s", (int)len, name);
		if (cli_set_value(o, typed, value, err) < 0)
			return usage_error(cmd, err);
	}
	for (; i < argc; i++)
		res->args[res->n_args++] = args[i];
	res->args[res->n_args] = NULL;
	return 0;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_result *res,
	      struct error *err)
{
	cleanup_free char **order = NULL;

	res->args = xcalloc((size_t)argc + 1, sizeof(char *));
	res->n_args = 0;
	res->help = false;
	if (!cmd->pass_through) {
		order = xcalloc((size_t)argc + 1, sizeof(char *));
		reorder(cmd, argc, argv, order);
		argv = order;
	}
	if (parse_flags(cmd, argc, argv, res, err) < 0) {
		cli_result_free(res);
		return -1;
	}
	return 0;
}

int cli_check_args(const struct cli_command *cmd, const struct cli_result *res, enum cli_nargs kind,
		   int n, struct error *err)
{
	static const char *const what[] = {
		[CLI_ARGS_EXACT] = "exactly",
		[CLI_ARGS_MIN] = "a minimum of",
		[CLI_ARGS_MAX] = "a maximum of",
	};
	bool bad;

	switch (kind) {
	case CLI_ARGS_MIN:
		bad = res->n_args < n;
		break;
	case CLI_ARGS_MAX:
		bad = res->n_args > n;
		break;
	default:
		bad = res->n_args != n;
	}
	if (!bad)
		return 0;
	printf("Incorrect Usage.\n\n");
	cli_print_help(cmd);
	fflush(stdout);
	return error_set(err, EINVAL, "%s: \"%s\" requires %s %d argument(s)", program, cmd->name, what[kind], n);
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
