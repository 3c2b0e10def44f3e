/* main.c: global flags and dispatch to the verbs. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "log.h"
#include "state.h"
#include "timing.h"
#include "util.h"

#define SPEC_VERSION OCI_RT_SPEC_VERSION

struct verb {
	const char *name;
	command_fn fn;
	int fail_code;
	const char *summary;
};

static const struct verb verbs[] = {
	{ "create", cmd_create, 1, "create a container" },
	{ "delete", cmd_delete, 1, "delete any resources held by the container often used with detached container" },
	{ "events", cmd_events, 1, "display container events such as OOM notifications, cpu, memory, and IO usage statistics" },
	{ "exec", cmd_exec, 255, "execute new process inside the container" },
	{ "features", cmd_features, 1, "show the enabled features" },
	{ "kill", cmd_kill, 1, "kill sends the specified signal (default: SIGTERM) to the container's init process" },
	{ "list", cmd_list, 1, "lists containers started by oci-rt with the given root" },
	{ "pause", cmd_pause, 1, "pause suspends all processes inside the container" },
	{ "ps", cmd_ps, 1, "ps displays the processes running inside a container" },
	{ "resume", cmd_resume, 1, "resumes all processes that have been previously paused" },
	{ "run", cmd_run, 1, "create and run a container" },
	{ "spec", cmd_spec, 1, "create a new specification file" },
	{ "start", cmd_start, 1, "executes the user defined process in a created container" },
	{ "state", cmd_state, 1, "output the state of a container" },
	{ "update", cmd_update, 1, "update container resource constraints" },
};

static void print_usage(void)
{
	printf("NAME:\n   oci-rt - Open Container Initiative runtime\n\n"
	       "USAGE:\n   oci-rt [global options] command [command options] [arguments...]\n\n"
	       "VERSION:\n   %s\nspec: %s\n\nCOMMANDS:\n",
	       OCI_RT_VERSION, SPEC_VERSION);
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
		printf("   %-10s %s\n", verbs[i].name, verbs[i].summary);
	printf("\nGLOBAL OPTIONS:\n"
	       "   --debug             enable debug logging\n"
	       "   --log value         set the log file to write oci-rt logs to (default is '/dev/stderr')\n"
	       "   --log-format value  set the log format ('text' (default), or 'json') (default: \"text\")\n"
	       "   --root value        root directory for storage of container state (this should be located in tmpfs) (default: \"/run/oci-rt\")\n"
	       "   --criu value        accepted for compatibility and ignored (no checkpoint/restore)\n"
	       "   --systemd-cgroup    enable systemd cgroup support, expects cgroupsPath to be of form \"slice:prefix:name\"\n"
	       "   --rootless value    ignore cgroup permission errors ('true', 'false', or 'auto') (default: \"auto\")\n"
	       "   --help, -h          show help\n"
	       "   --version, -v       print the version\n");
}

static void print_version(void)
{
	printf("oci-rt version %s\nspec: %s\n", OCI_RT_VERSION, SPEC_VERSION);
}

/* runc's default: /run/<name> as root, $XDG_RUNTIME_DIR/<name> otherwise. */
static char *default_root(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (geteuid() != 0 && xdg && *xdg)
		return xasprintf("%s/oci-rt", xdg);
	return xstrdup("/run/oci-rt");
}

static char *absolute(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return xstrdup(path);
	return xasprintf("%s/%s", cwd, path);
}

static const struct verb *find_verb(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

/* urfave's help command: "help [command]"; an unknown topic exits 3. */
static int help_topic(const struct globals *g, const char *topic, struct error *err)
{
	char help_flag[] = "--help";
	char *args[] = { help_flag, NULL };
	const struct verb *v;

	if (!topic) {
		print_usage();
		return 0;
	}
	v = find_verb(topic);
	if (!v) {
		/* urfave prints it with Fprintln: the message keeps its newline */
		error_set(err, EINVAL, "No help topic for '%s'\n", topic);
		return -1;
	}
	return v->fn(g, 1, args, err);
}

int main(int argc, char **argv)
{
	struct globals g = { .log_format = "text" };
	bool help = false, version = false;
	const struct cli_option global_opts[] = {
		{ "root", NULL, CLI_STRING, &g.root, "" },
		{ "log", NULL, CLI_STRING, &g.log, "" },
		{ "log-format", NULL, CLI_STRING, &g.log_format, "" },
		{ "debug", NULL, CLI_BOOL, &g.debug, "" },
		{ "systemd-cgroup", NULL, CLI_BOOL, &g.systemd_cgroup, "" },
		{ "rootless", NULL, CLI_STRING, &g.rootless, "" },
		{ "criu", NULL, CLI_STRING, &g.criu, "" },
		{ "version", "v", CLI_BOOL, &version, "" },
		{ "help", "h", CLI_BOOL, &help, "" },
	};
	const struct cli_command global_cmd = {
		.name = "oci-rt", .options = global_opts, .n_options = ARRAY_SIZE(global_opts),
		.pass_through = true, .quiet_usage = true,
	};
	struct cli_result res;
	struct error err;
	char *root = NULL;
	int rc;

	error_clear(&err);
	cli_set_program(argv[0]);
	/* hooks and consoles may go away without reading what we write */
	signal(SIGPIPE, SIG_IGN);
	/* no process of a container sharing our pid namespace may open our
	 * /proc/<pid>/exe, the host's binary (CVE-2019-5736, selfprotect.h) */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (cli_parse(&global_cmd, argc - 1, argv + 1, &res, &err) < 0) {
		/* urfave's app-level usage error: help on stdout, error logged */
		printf("Incorrect Usage. %s\n\n", err.msg);
		print_usage();
		fflush(stdout);
		log_fatal(err.msg);
		return 1;
	}
	if (version) {
		print_version();
		cli_result_free(&res);
		return 0;
	}
	if (help || res.help || res.n_args == 0) {
		print_usage();
		cli_result_free(&res);
		return 0;
	}
	if (log_setup(g.log, g.log_format, g.debug, &err) < 0) {
		log_fatal(err.msg);
		cli_result_free(&res);
		return 1;
	}
	timing_enable(g.debug || getenv("OCI_RT_TIMING"));
	root = g.root ? absolute(g.root) : default_root();
	g.root = root;

	const char *name = res.args[0];
	const struct verb *v = find_verb(name);
	if (!v) {
		if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0)
			rc = help_topic(&g, res.n_args > 1 ? res.args[1] : NULL, &err);
		else
			rc = help_topic(&g, name, &err); /* what urfave does for an unknown command */
		cli_result_free(&res);
		if (rc < 0) {
			log_fatal(err.msg);
			rc = 3;
		}
		free(root);
		log_close();
		return rc;
	}
	/* the rest of argv after the verb goes to it unparsed */
	int verb_index = 1;
	while (verb_index < argc && argv[verb_index] != name)
		verb_index++;
	cli_result_free(&res);
	rc = v->fn(&g, argc - verb_index - 1, argv + verb_index + 1, &err);
	if (rc < 0) {
		log_fatal(err.msg);
		rc = v->fail_code;
	}
	free(root);
	log_close();
	return rc;
}
