/* process.c: resolving and applying the container process (see process.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "cleanup.h"
#include "fs_safe.h"
#include "passwd.h"
#include "process.h"
#include "seccomp_filter.h"
#include "sync.h"
#include "util.h"

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static int build_rlimits(const struct spec_rlimit_array *in, const char *what, struct plan_process *pp,
			 struct error *err)
{
	pp->rlimits = xcalloc(in->n, sizeof(struct plan_rlimit));
	pp->n_rlimits = 0;
	for (size_t i = 0; i < in->n; i++) {
		const struct spec_rlimit *r = &in->v[i];
		int resource = -1;

		for (size_t j = 0; j < ARRAY_SIZE(rlimit_names); j++)
			if (strcmp(rlimit_names[j].name, r->type) == 0)
				resource = rlimit_names[j].resource;
		if (resource < 0)
			return error_set(err, EINVAL, "%s.rlimits[%zu].type: unknown rlimit \"%s\"", what, i, r->type);
		for (size_t j = 0; j < pp->n_rlimits; j++)
			if (pp->rlimits[j].resource == resource)
				return error_set(err, EINVAL, "%s.rlimits[%zu].type: duplicate rlimit \"%s\"", what,
						 i, r->type);
		if (r->soft > r->hard)
			return error_set(err, EINVAL, "%s.rlimits[%zu]: soft limit %llu is above the hard limit %llu",
					 what, i, (unsigned long long)r->soft, (unsigned long long)r->hard);
		struct plan_rlimit *pr = &pp->rlimits[pp->n_rlimits++];
		pr->resource = resource;
		pr->limit.rlim_cur = r->soft;
		pr->limit.rlim_max = r->hard;
	}
	return 0;
}

static bool env_has(char *const envp[], const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return true;
	return false;
}

/* Without HOME in env, runc sets it from the container's /etc/passwd at
 * exec time: keep the env in a copy with one free slot before the NULL. */
static void build_env(const struct strv *env, struct plan_process *pp)
{
	static char *empty_env[] = { NULL };

	pp->home_slot = -1;
	pp->envp = env->v ? env->v : empty_env;
	if (env_has(pp->envp, "HOME"))
		return;
	pp->envp = xcalloc(env->n + 2, sizeof(char *));
	if (env->n)
		memcpy(pp->envp, env->v, env->n * sizeof(char *));
	pp->home_slot = (int)env->n;
	pp->envp_owned = true;
}

int process_plan_build(const struct spec_process *p, const char *what, struct plan_process *pp,
		       struct error *err)
{
	memset(pp, 0, sizeof(*pp));
	pp->home_slot = -1;
	pp->seccomp_sock = -1;
	if (!p)
		return error_set(err, EINVAL, "%s: missing (it is required to start a container)", what);
	if (p->args.n == 0 || !*p->args.v[0])
		return error_set(err, EINVAL, "%s.args: must not be empty", what);
	if (!p->cwd || p->cwd[0] != '/')
		return error_set(err, EINVAL, "%s.cwd: \"%s\" is not an absolute path", what,
				 p->cwd ? p->cwd : "");
	pp->argv = p->args.v;
	build_env(&p->env, pp);
	pp->cwd = p->cwd;
	pp->terminal = p->terminal;
	if (p->console_size) {
		if (p->console_size->height > 0xffff || p->console_size->width > 0xffff)
			return error_set(err, ERANGE, "%s.consoleSize: %llux%llu is too large", what,
					 (unsigned long long)p->console_size->height,
					 (unsigned long long)p->console_size->width);
		pp->console_rows = (unsigned short)p->console_size->height;
		pp->console_cols = (unsigned short)p->console_size->width;
	}
	pp->apparmor_profile = p->apparmor_profile;
	pp->selinux_label = p->selinux_label;
	if (p->user) {
		pp->uid = p->user->uid;
		pp->gid = p->user->gid;
		pp->groups = p->user->additional_gids.v;
		pp->n_groups = p->user->additional_gids.n;
		pp->has_umask = p->user->has_umask;
		pp->umask = (mode_t)(p->user->umask & 07777);
	}
	if (build_rlimits(&p->rlimits, what, pp, err) < 0)
		return -1;
	if (p->capabilities) {
		const struct spec_capabilities *c = p->capabilities;
		pp->has_caps = true;
		if (caps_from_names(&c->bounding, &pp->caps.bounding, "bounding", err) < 0 ||
		    caps_from_names(&c->effective, &pp->caps.effective, "effective", err) < 0 ||
		    caps_from_names(&c->permitted, &pp->caps.permitted, "permitted", err) < 0 ||
		    caps_from_names(&c->inheritable, &pp->caps.inheritable, "inheritable", err) < 0 ||
		    caps_from_names(&c->ambient, &pp->caps.ambient, "ambient", err) < 0)
			return -1;
	}
	pp->no_new_privs = p->no_new_privileges;
	if (p->has_oom_score_adj) {
		if (p->oom_score_adj < -1000 || p->oom_score_adj > 1000)
			return error_set(err, ERANGE, "%s.oomScoreAdj: %lld is outside [-1000, 1000]", what,
					 (long long)p->oom_score_adj);
		pp->has_oom_score_adj = true;
		pp->oom_score_adj = (int)p->oom_score_adj;
	}
	return 0;
}

void process_plan_release(struct plan_process *pp)
{
	seccomp_filter_free(pp->seccomp);
	pp->seccomp = NULL;
	free(pp->rlimits);
	pp->rlimits = NULL;
	if (pp->envp_owned)
		free(pp->envp);
	pp->envp = NULL;
	pp->envp_owned = false;
}

static const char *rlimit_name(int resource)
{
	for (size_t i = 0; i < ARRAY_SIZE(rlimit_names); i++)
		if (rlimit_names[i].resource == resource)
			return rlimit_names[i].name;
	return "?";
}

/* ---- applying ---- */

/* Without no_new_privs, loading a seccomp filter takes CAP_SYS_ADMIN: the
 * process holds it on top of its configured sets until the filter is in
 * (finish_identity), which is then as late as with no_new_privs. */
#define SECCOMP_NEEDS (1ULL << CAP_SYS_ADMIN)

static bool holds_for_seccomp(const struct plan_process *pp)
{
	return pp->seccomp && !pp->no_new_privs;
}

static int set_identity(const struct plan_process *pp, struct error *err)
{
	bool hold = holds_for_seccomp(pp);

	if (pp->has_caps && caps_prepare(&pp->caps, err) < 0)
		return -1;
	if (!pp->has_caps && hold && pp->uid != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return error_sys(err, "prctl(PR_SET_KEEPCAPS)");
	/* setgroups is denied in a user namespace without a gid mapping for it;
	 * an empty list is then the only possible state anyway */
	if (setgroups(pp->n_groups, pp->groups) < 0 && !(errno == EPERM && pp->n_groups == 0))
		return error_sys(err, "setgroups");
	if (setresgid(pp->gid, pp->gid, pp->gid) < 0)
		return error_sys(err, "setgid %u", pp->gid);
	if (setresuid(pp->uid, pp->uid, pp->uid) < 0)
		return error_sys(err, "setuid %u", pp->uid);
	if (pp->has_caps)
		return hold ? caps_hold(&pp->caps, SECCOMP_NEEDS, err) : caps_apply(&pp->caps, err);
	if (hold && pp->uid != 0)
		return caps_raise_effective(SECCOMP_NEEDS, err);
	return 0;
}

/* After the filter: the capabilities the process was configured with. */
static int finish_identity(const struct plan_process *pp, struct error *err)
{
	if (!holds_for_seccomp(pp))
		return 0;
	if (pp->has_caps)
		return caps_apply(&pp->caps, err);
	/* what setuid would have done without PR_SET_KEEPCAPS */
	return pp->uid != 0 ? caps_drop_all(err) : 0;
}

/* One process loads one filter: process_apply (notify) or process_exec. */
static bool seccomp_loaded;

/* Install the filter; a notify listener goes to the runtime before anything
 * else (the sendmsg below is the one syscall no rule may notify, see
 * seccomp_filter.c), then the capabilities held for loading are dropped. */
static int load_seccomp(const struct plan_process *pp, struct error *err)
{
	int listener, r = 0;

	if (!pp->seccomp || seccomp_loaded)
		return 0;
	if (seccomp_filter_load(pp->seccomp, &listener, err) < 0)
		return -1;
	seccomp_loaded = true;
	if (listener >= 0) {
		if (pp->seccomp_sock < 0)
			r = error_set(err, EINVAL, "seccomp: no runtime to send the notify listener to");
		else
			r = sync_send(pp->seccomp_sock, SYNC_INIT_SECCOMP, NULL, 0, listener, err);
		close(listener);
		if (r < 0)
			return -1;
	}
	return finish_identity(pp, err);
}

static const char *env_get(char *const envp[], const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/* Go's exec.LookPath, whose wording clients match (podman: 126/127). */
static int find_executable(const char *file, char *const envp[], char *out, size_t len,
			   struct error *err)
{
	struct stat st;

	if (strchr(file, '/')) {
		if (stat(file, &st) < 0)
			return error_sys(err, "exec: \"%s\": stat %s", file, file);
		if (S_ISDIR(st.st_mode) || !(st.st_mode & 0111) || access(file, X_OK) < 0)
			return error_set(err, EACCES, "exec: \"%s\": permission denied", file);
		snprintf(out, len, "%s", file);
		return 0;
	}
	const char *path = env_get(envp, "PATH");
	while (path && *path) {
		size_t n = strcspn(path, ":");
		int w = snprintf(out, len, "%.*s/%s", (int)n, n ? path : ".", file);
		if (w > 0 && (size_t)w < len && stat(out, &st) == 0 && !S_ISDIR(st.st_mode) &&
		    (st.st_mode & 0111) && access(out, X_OK) == 0)
			return 0;
		path += n + (path[n] == ':');
	}
	return error_set(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", file);
}

/* The home directory of uid in the container's /etc/passwd, or "/" (runc's
 * default) when there is no such file or entry.  The file belongs to the
 * image: it must be a regular file reached without magic links (never one
 * of the init's own fds); a line longer than the buffer is skipped. */
static void passwd_home(uid_t uid, char *home, size_t len)
{
	cleanup_close int fd = fs_open_no_magiclinks(AT_FDCWD, "/etc/passwd",
						      O_RDONLY | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	snprintf(home, len, "/");
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	passwd_find(fd, uid, PASSWD_HOME, home, len);
}

int process_apply(const struct plan_process *pp, char *path, size_t path_len, struct error *err)
{
	/* one per process: the child applies one plan and execs */
	static char home_env[PATH_MAX + 5];

	if (pp->home_slot >= 0) {
		memcpy(home_env, "HOME=", 5);
		passwd_home(pp->uid, home_env + 5, sizeof(home_env) - 5);
		pp->envp[pp->home_slot] = home_env;
	}
	for (size_t i = 0; i < pp->n_rlimits; i++) {
		const struct plan_rlimit *r = &pp->rlimits[i];
		if (setrlimit(r->resource, &r->limit) < 0)
			return error_sys(err, "error setting rlimit type %d (%s, soft %llu, hard %llu)",
					 r->resource, rlimit_name(r->resource),
					 (unsigned long long)r->limit.rlim_cur,
					 (unsigned long long)r->limit.rlim_max);
	}
	umask(pp->has_umask ? pp->umask : 0022);
	if (set_identity(pp, err) < 0)
		return -1;
	if (pp->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return error_sys(err, "prctl(PR_SET_NO_NEW_PRIVS)");
	/* the cwd is resolved inside the root; a cwd that is not reachable from
	 * it (a leaked host fd, CVE-2024-21626) is refused */
	if (chdir(pp->cwd) < 0)
		return error_sys(err, "chdir to cwd (\"%s\") set in config.json", pp->cwd);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
		return error_set(err, EPERM, "current working directory is outside of container mount namespace root");
	if (find_executable(pp->argv[0], pp->envp, path, path_len, err) < 0)
		return -1;
	/* the listener must reach the runtime while it still waits for us;
	 * any other filter waits for process_exec */
	if (pp->seccomp && pp->seccomp->notify)
		return load_seccomp(pp, err);
	return 0;
}

int process_close_fds(int first, const int *keep, size_t n_keep, struct error *err)
{
	/* close_range over the gaps between the fds to keep, in order */
	int next = first;

	for (;;) {
		int lowest = -1;
		for (size_t i = 0; i < n_keep; i++)
			if (keep[i] >= next && (lowest < 0 || keep[i] < lowest))
				lowest = keep[i];
		if (lowest < 0)
			break;
		if (lowest > next && syscall(SYS_close_range, next, lowest - 1, 0) < 0)
			return error_sys(err, "close inherited file descriptors");
		next = lowest + 1;
	}
	if (syscall(SYS_close_range, next, ~0U, 0) < 0)
		return error_sys(err, "close inherited file descriptors");
	return 0;
}

/* An ignored signal and the blocked mask survive execve: the process must
 * not start with the runtime's own SIGPIPE-ignore (main.c) or a mask it
 * blocked (a foreground relay's SIGCHLD/SIGWINCH).  What the caller itself
 * ignored is passed on, as runc does. */
static void reset_signals(void)
{
	sigset_t none;

	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int process_exec(const struct plan_process *pp, const char *path, struct error *err)
{
	reset_signals();
	/* as late as possible: after the exec fifo, the startContainer hooks
	 * and everything else the init does, only execve runs under the filter
	 * (and, without no_new_privs, the capset dropping CAP_SYS_ADMIN) */
	if (load_seccomp(pp, err) < 0)
		return -1;
	execve(path, pp->argv, pp->envp);
	return error_sys(err, "exec: \"%s\"", pp->argv[0]);
}

pid_t process_clone(unsigned long flags, int cgroup_fd, bool *into_cgroup)
{
	struct clone_args args = {
		.flags = flags,
		/* with CLONE_PARENT the child inherits its creator's exit signal
		 * and clone3 refuses one given explicitly */
		.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD,
	};
	pid_t pid;

	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup_fd;
		pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
		if (pid >= 0) {
			*into_cgroup = true;
			return pid;
		}
		/* older kernels, or a cgroup clone3 can't use: place it afterwards */
		args.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		args.cgroup = 0;
	}
	*into_cgroup = false;
	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

int process_set_oom_score_adj(pid_t pid, const struct plan_process *pp, struct error *err)
{
	char path[64], val[16];

	if (!pp->has_oom_score_adj)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	snprintf(val, sizeof(val), "%d", pp->oom_score_adj);
	if (write_file_at(AT_FDCWD, path, val, err) < 0)
		return error_prefix(err, "set oomScoreAdj");
	return 0;
}

int process_parse_user(const char *s, uid_t *uid, gid_t *gid, bool *has_gid, struct error *err)
{
	uint64_t u, g;
	const char *colon = strchr(s, ':');
	char ubuf[32];

	*has_gid = false;
	/* decimal digits and one ':' only: no sign, space, or second field */
	if (s[strspn(s, "0123456789:")] || (colon && strchr(colon + 1, ':')))
		return error_set(err, EINVAL, "invalid user \"%s\": expected uid[:gid]", s);
	if (colon) {
		size_t n = (size_t)(colon - s);
		if (n == 0 || n >= sizeof(ubuf))
			return error_set(err, EINVAL, "invalid user \"%s\": expected uid[:gid]", s);
		memcpy(ubuf, s, n);
		ubuf[n] = '\0';
	} else {
		snprintf(ubuf, sizeof(ubuf), "%s", s);
	}
	if (parse_uint64(ubuf, &u) < 0 || u > 0xfffffffeU)
		return error_set(err, EINVAL, "invalid user \"%s\": expected uid[:gid]", s);
	*uid = (uid_t)u;
	if (colon) {
		if (parse_uint64(colon + 1, &g) < 0 || g > 0xfffffffeU)
			return error_set(err, EINVAL, "invalid user \"%s\": expected uid[:gid]", s);
		*gid = (gid_t)g;
		*has_gid = true;
	}
	return 0;
}
