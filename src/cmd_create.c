/* cmd_create.c: `oci-rt create [options] <container-id>`. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"
#include "log.h"
#include "timing.h"
#include "util.h"

/* $LISTEN_FDS (socket activation) adds to --preserve-fds, as in runc. */
static unsigned listen_fds(void)
{
	const char *s = getenv("LISTEN_FDS");
	uint64_t n;

	return s && parse_uint64(s, &n) == 0 && n < 1024 ? (unsigned)n : 0;
}

/* The options create and run share; returns how many were written. */
size_t create_cli_options(struct container_options *o, struct cli_option *out)
{
	const struct cli_option opts[] = {
		{ "bundle", "b", CLI_STRING, &o->bundle,
		  "path to the root of the bundle directory, defaults to the current directory" },
		{ "console-socket", NULL, CLI_STRING, &o->console_socket,
		  "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal" },
		{ "pid-file", NULL, CLI_STRING, &o->pid_file, "specify the file to write the process id to" },
		{ "no-pivot", NULL, CLI_BOOL, &o->no_pivot,
		  "do not use pivot root to jail process inside rootfs" },
		{ "no-new-keyring", NULL, CLI_BOOL, &o->no_new_keyring,
		  "do not create a new session keyring for the container" },
		{ "preserve-fds", NULL, CLI_UINT, &o->preserve_fds,
		  "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)" },
	};
	memcpy(out, opts, sizeof(opts));
	return ARRAY_SIZE(opts);
}

/* runc's setupSpec: chdir to the bundle, then find config.json there, with
 * runc's messages (the bundle's contents are checked later, by create). */
static int check_bundle(const char *bundle, struct error *err)
{
	cleanup_close int fd = -1;

	if (bundle && *bundle) {
		fd = openat(AT_FDCWD, bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return error_sys(err, "chdir %s", bundle);
	}
	if (faccessat(fd >= 0 ? fd : AT_FDCWD, "config.json", F_OK, 0) < 0 && errno == ENOENT)
		return error_set(err, ENOENT, "JSON specification file config.json not found");
	return 0;
}

/* Parse a create/run command line into *o; the pid file is made absolute
 * against the caller's cwd (*owned holds the string to free). */
int create_parse(const struct globals *g, const struct cli_command *cmd, int argc, char **argv,
		 struct container_options *o, bool *help, char **owned, struct error *err)
{
	cleanup_command_args struct command_args a;
	char cwd[PATH_MAX];

	*owned = NULL;
	int r = command_parse(cmd, argc, argv, 1, 1, &a, err);
	*help = r > 0;
	if (r != 0)
		return r > 0 ? 0 : -1;
	o->id = a.id; /* points into argv */
	if (o->bundle && !*o->bundle)
		o->bundle = NULL; /* runc: an empty --bundle is the current directory */
	o->root = g->root;
	o->systemd_cgroup = g->systemd_cgroup;
	o->rootless = globals_rootless(g);
	o->preserve_fds += listen_fds();
	if (o->pid_file && o->pid_file[0] != '/' && getcwd(cwd, sizeof(cwd)))
		o->pid_file = *owned = xasprintf("%s/%s", cwd, o->pid_file);
	if (check_bundle(o->bundle, err) < 0)
		return error_prefix(err, "%s %s", cmd->name, o->id);
	return 0;
}

int cmd_create(const struct globals *g, int argc, char **argv, struct error *err)
{
	struct container_options o = { 0 };
	struct cli_option opts[8];
	struct cli_command cmd = {
		.name = "create",
		.usage = "[command options] <container-id>",
		.summary = "create a container",
		.options = opts,
	};
	struct created c;
	cleanup_free char *owned = NULL;
	bool help;

	cmd.n_options = create_cli_options(&o, opts);
	if (create_parse(g, &cmd, argc, argv, &o, &help, &owned, err) < 0)
		return -1;
	if (help)
		return 0;
	int r = container_create(&o, false, &c, err);
	timing_report("create");
	if (r < 0)
		return error_prefix(err, "create %s", o.id);
	created_release(&c);
	return 0;
}
