/* cmd_exec.c: `oci-rt exec [options] <container-id> <command> [args...]`
 * or `exec -p process.json <container-id>`.
 *
 * The process is the container's own (its saved config.json) with the
 * command line as args and runc's flags on top, or, with -p, exactly the
 * given runtime-spec process (runc 1.1 ignores the other process flags
 * then).  Every failure of the runtime exits 255, an attached process's
 * status is the exit code, a detached exec exits 0 once it runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"
#include "exec.h"
#include "process.h"
#include "seccomp_filter.h"
#include "util.h"

struct exec_flags {
	const char *console_socket;
	const char *cwd;
	struct cli_list env;
	bool tty;
	const char *user;
	struct cli_list gids;
	const char *process;
	bool detach;
	const char *pid_file;
	const char *process_label;
	const char *apparmor;
	bool no_new_privs;
	struct cli_list caps;
	unsigned preserve_fds;
	struct cli_list cgroups;
	bool ignore_paused;
};

/* What the flags put in place of the container's own process fields; the
 * spec_process copy points into these (and into argv, and the spec). */
struct exec_process {
	struct spec_process p;
	struct spec_user user;
	struct spec_capabilities caps;
	char **args, **env, **cap_sets[4];
	uint32_t *gids;
	struct spec *spec;            /* the container's config (no -p) */
	struct spec_process *from_file; /* -p */
};

static void exec_process_release(struct exec_process *x)
{
	free(x->args);
	free(x->env);
	for (size_t i = 0; i < ARRAY_SIZE(x->cap_sets); i++)
		free(x->cap_sets[i]);
	free(x->gids);
	spec_free(x->spec);
	spec_process_free(x->from_file);
}

/* runc applies env entries one by one (os.Setenv): a later one with the
 * same name replaces the earlier in place; one without '=' is an error. */
static int env_merge(char **env, size_t *n, char *entry, struct error *err)
{
	const char *eq = strchr(entry, '=');

	if (!eq)
		return error_set(err, EINVAL, "invalid environment variable: \"%s\"", entry);
	size_t klen = (size_t)(eq - entry) + 1;
	for (size_t i = 0; i < *n; i++) {
		if (strncmp(env[i], entry, klen) == 0) {
			env[i] = entry;
			return 0;
		}
	}
	env[(*n)++] = entry;
	return 0;
}

static int build_env(struct exec_process *x, const struct strv *base, const struct cli_list *add,
		     struct error *err)
{
	size_t n = 0;

	x->env = xcalloc(base->n + add->n + 1, sizeof(char *));
	for (size_t i = 0; i < base->n; i++)
		if (env_merge(x->env, &n, base->v[i], err) < 0)
			return -1;
	for (size_t i = 0; i < add->n; i++)
		if (env_merge(x->env, &n, (char *)add->v[i], err) < 0)
			return -1;
	x->p.env = (struct strv){ x->env, n };
	return 0;
}

/* --cap: added to the bounding, effective and permitted sets, never to the
 * inheritable one (CVE-2022-29162); to the ambient set only when the
 * process has inheritable capabilities at all, as runc. */
static void add_caps(struct exec_process *x, const struct cli_list *caps)
{
	if (!caps->n || !x->p.capabilities)
		return; /* no capabilities section: nothing is dropped anyway */
	x->caps = *x->p.capabilities;
	struct strv *sets[] = { &x->caps.bounding, &x->caps.effective, &x->caps.permitted, &x->caps.ambient };
	size_t n_sets = x->caps.inheritable.n ? 4 : 3;
	for (size_t s = 0; s < n_sets; s++) {
		struct strv *set = sets[s];
		char **v = xcalloc(set->n + caps->n + 1, sizeof(char *));
		if (set->n)
			memcpy(v, set->v, set->n * sizeof(char *));
		for (size_t i = 0; i < caps->n; i++)
			v[set->n + i] = (char *)caps->v[i];
		x->cap_sets[s] = v;
		*set = (struct strv){ v, set->n + caps->n };
	}
	x->p.capabilities = &x->caps;
}

static int set_user(struct exec_process *x, const struct exec_flags *f, struct error *err)
{
	/* runc: an empty -u is no -u */
	if ((!f->user || !*f->user) && !f->gids.n)
		return 0;
	if (x->p.user)
		x->user = *x->p.user;
	if (f->user && *f->user) {
		bool has_gid;
		gid_t gid;
		if (process_parse_user(f->user, &x->user.uid, &gid, &has_gid, err) < 0)
			return -1;
		if (has_gid)
			x->user.gid = gid;
	}
	size_t n = x->user.additional_gids.n;
	x->gids = xcalloc(n + f->gids.n, sizeof(uint32_t));
	if (n)
		memcpy(x->gids, x->user.additional_gids.v, n * sizeof(uint32_t));
	for (size_t i = 0; i < f->gids.n; i++) {
		int64_t g;
		if (parse_int64(f->gids.v[i], &g) < 0)
			return error_set(err, EINVAL, "invalid value \"%s\" for flag -additional-gids: parse error",
					 f->gids.v[i]);
		if (g < 0 || g > 0xfffffffe)
			return error_set(err, EINVAL, "additional-gids must be a positive number %lld", (long long)g);
		x->gids[n++] = (uint32_t)g;
	}
	x->user.additional_gids = (struct u32v){ x->gids, n };
	x->p.user = &x->user;
	return 0;
}

/* The process from the command line over the container's config. */
static int process_from_flags(const struct container *c, const struct exec_flags *f,
			      const struct command_args *a, struct exec_process *x, struct error *err)
{
	x->spec = container_spec(c, err);
	if (!x->spec)
		return error_prefix(err, "read the container's config");
	if (!x->spec->process)
		return error_set(err, EINVAL, "the container's config has no process");
	x->p = *x->spec->process;
	x->args = xcalloc((size_t)a->res.n_args, sizeof(char *));
	for (int i = 1; i < a->res.n_args; i++)
		x->args[i - 1] = a->res.args[i];
	x->p.args = (struct strv){ x->args, (size_t)a->res.n_args - 1 };
	if (build_env(x, &x->spec->process->env, &f->env, err) < 0)
		return -1;
	if (f->cwd)
		x->p.cwd = (char *)f->cwd;
	/* the container's own terminal setting is not inherited */
	x->p.terminal = f->tty;
	if (f->no_new_privs)
		x->p.no_new_privileges = true;
	add_caps(x, &f->caps);
	return set_user(x, f, err);
}

static int process_from_file(const char *path, struct exec_process *x, struct error *err)
{
	cleanup_free char *text = NULL;
	struct cli_list no_env = { 0 };

	if (read_file_at(AT_FDCWD, path, 16 << 20, &text, err) < 0)
		return -1;
	x->from_file = spec_parse_process(text, "process.json", err);
	if (!x->from_file)
		return -1;
	x->p = *x->from_file;
	/* the same env rules as from the command line */
	return build_env(x, &x->from_file->env, &no_env, err);
}

/* runc's validateProcessSpec, and a refusal of the label flags: oci-rt
 * supports no LSM (an apparmorProfile in a config is ignored, as create
 * does). */
static int validate(const struct spec_process *p, const struct exec_flags *f, struct error *err)
{
	if (f->process_label && *f->process_label)
		return error_set(err, EINVAL, "selinux label is specified in config, but selinux is disabled or not supported");
	if (f->apparmor && *f->apparmor)
		return error_set(err, EINVAL, "apparmor profile specified but AppArmor is not enabled on this system");
	if (!p->cwd || !*p->cwd)
		return error_set(err, EINVAL, "Cwd property must not be empty");
	if (p->cwd[0] != '/')
		return error_set(err, EINVAL, "Cwd must be an absolute path");
	if (p->args.n == 0)
		return error_set(err, EINVAL, "args must not be empty");
	if (p->selinux_label && *p->selinux_label)
		return error_set(err, EINVAL, "selinux label is specified in config, but selinux is disabled or not supported");
	return 0;
}

/* runc's checkTerminal. */
static int check_terminal(const struct spec_process *p, const struct exec_flags *f, struct error *err)
{
	if (f->detach && p->terminal && !f->console_socket)
		return error_set(err, EINVAL, "cannot allocate tty if oci-rt will detach without setting console socket");
	if ((!f->detach || !p->terminal) && f->console_socket)
		return error_set(err, EINVAL, "cannot use console socket if oci-rt will not detach or allocate tty");
	return 0;
}

static int run_exec(const struct globals *g, const struct exec_flags *f, const struct command_args *a,
		    struct error *err)
{
	struct exec_process x;
	struct container c;
	struct plan_process pp;
	int r = -1;

	memset(&x, 0, sizeof(x));
	memset(&pp, 0, sizeof(pp));
	if (container_open(g->root, a->id, false, &c, err) < 0)
		return -1;
	if (c.status == STATUS_STOPPED) {
		error_set(err, EINVAL, "cannot exec in a stopped container");
		goto out;
	}
	if (c.status == STATUS_PAUSED && !f->ignore_paused) {
		error_set(err, EINVAL, "cannot exec in a paused container (use --ignore-paused to override)");
		goto out;
	}
	if (!f->process && a->res.n_args == 1) {
		error_set(err, EINVAL, "process args cannot be empty");
		goto out;
	}
	if ((f->process ? process_from_file(f->process, &x, err) : process_from_flags(&c, f, a, &x, err)) < 0 ||
	    validate(&x.p, f, err) < 0 || check_terminal(&x.p, f, err) < 0)
		goto out;
	if (process_plan_build(&x.p, "process", &pp, err) < 0)
		goto out;
	/* the container's seccomp profile applies to every process in it (runc) */
	if (!x.spec && !(x.spec = container_spec(&c, err)))
		goto out;
	const struct spec_seccomp *seccomp = x.spec->linux_ ? x.spec->linux_->seccomp : NULL;
	if (seccomp_filter_build(seccomp, &pp.seccomp, err) < 0)
		goto out;
	struct exec_options o = {
		.console_socket = f->console_socket,
		.pid_file = f->pid_file,
		.detach = f->detach,
		.preserve_fds = f->preserve_fds,
		.cgroups = f->cgroups.v,
		.n_cgroups = f->cgroups.n,
		.seccomp = seccomp,
	};
	r = exec_run(&c, &pp, &o, err);
out:
	process_plan_release(&pp);
	exec_process_release(&x);
	container_close(&c);
	return r;
}

int cmd_exec(const struct globals *g, int argc, char **argv, struct error *err)
{
	struct exec_flags f = { 0 };
	const struct cli_option opts[] = {
		{ "console-socket", NULL, CLI_STRING, &f.console_socket,
		  "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal" },
		{ "cwd", NULL, CLI_STRING, &f.cwd, "current working directory in the container" },
		{ "env", "e", CLI_LIST, &f.env, "set environment variables" },
		{ "tty", "t", CLI_BOOL, &f.tty, "allocate a pseudo-TTY" },
		{ "user", "u", CLI_STRING, &f.user, "UID (format: <uid>[:<gid>])" },
		{ "additional-gids", "g", CLI_LIST, &f.gids, "additional gids" },
		{ "process", "p", CLI_STRING, &f.process, "path to the process.json" },
		{ "detach", "d", CLI_BOOL, &f.detach, "detach from the container's process" },
		{ "pid-file", NULL, CLI_STRING, &f.pid_file, "specify the file to write the process id to" },
		{ "process-label", NULL, CLI_STRING, &f.process_label,
		  "set the asm process label for the process commonly used with selinux" },
		{ "apparmor", NULL, CLI_STRING, &f.apparmor, "set the apparmor profile for the process" },
		{ "no-new-privs", NULL, CLI_BOOL, &f.no_new_privs, "set the no new privileges value for the process" },
		{ "cap", "c", CLI_LIST, &f.caps, "add a capability to the bounding set for the process" },
		{ "preserve-fds", NULL, CLI_UINT, &f.preserve_fds,
		  "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total) (default: 0)" },
		{ "cgroup", NULL, CLI_LIST, &f.cgroups,
		  "run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>." },
		{ "ignore-paused", NULL, CLI_BOOL, &f.ignore_paused, "allow exec in a paused container" },
	};
	struct cli_command cmd = {
		.name = "exec",
		.usage = "[command options] <container-id> <command> [command options]  || -p process.json <container-id>",
		.summary = "execute new process inside the container",
		.options = opts,
		.n_options = ARRAY_SIZE(opts),
		/* everything after the id is the command's */
		.pass_through = true,
	};
	cleanup_command_args struct command_args a;
	int r = command_parse(&cmd, argc, argv, 1, INT_MAX, &a, err);

	if (r == 0) {
		r = run_exec(g, &f, &a, err);
		if (r < 0)
			error_prefix(err, "exec failed");
	} else if (r > 0) {
		r = 0;
	}
	cli_list_free(&f.env);
	cli_list_free(&f.gids);
	cli_list_free(&f.caps);
	cli_list_free(&f.cgroups);
	return r;
}
