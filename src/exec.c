/* exec.c: a new process in an existing container (see exec.h).
 *
 * The runtime enters the init's pid namespace for its children only and
 * clone3s the exec child straight into the container's cgroup2 directory;
 * the child moves itself into the v1 hierarchies (cgroup_join_self, before
 * it gives up the host's view), joins every other namespace of the init at
 * once through its pidfd (setns: the user namespace first, by the kernel),
 * and then applies the process with create's own code (process.c) and
 * execs.  It is the runtime's own child: a foreground exec waits for it, a
 * detached one leaves it to the caller's subreaper, as runc does.  Until
 * its execve the child is not dumpable and holds no fd of the runtime but
 * the sync socket, so nothing in the container can reach the runtime's
 * memory or files through it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "exec.h"
#include "foreground.h"
#include "lsm.h"
#include "seccomp_filter.h"
#include "selfprotect.h"
#include "fs_safe.h"
#include "log.h"
#include "namespaces.h"
#include "process.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* What the exec child needs, prepared by the runtime before the clone. */
struct exec_child {
	const struct plan_process *pp;
	int sock;
	int pidfd;             /* the init's */
	int join;              /* CLONE_NEW* of the init's namespaces that are not ours (but pid) */
	char **cgroup_tasks;   /* v1 "tasks" files to move into */
	int preserve_fds;
};

/* ---- namespaces ---- */

static bool same_ns(pid_t pid, const char *name)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	if (stat(path, &a) < 0)
		return true; /* a kind the kernel lacks: nothing to join */
	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Every namespace of the init that differs from the runtime's: what the
 * container has, new or joined by path, whatever its config said. */
static unsigned long init_namespaces(pid_t pid)
{
	unsigned long flags = 0;

	for (int t = 0; t < SPEC_NS_COUNT; t++)
		if (!same_ns(pid, ns_proc_name(t)))
			flags |= ns_clone_flag(t);
	return flags;
}

/* ---- cgroups ---- */

/* The container's cgroups, in every hierarchy, with --cgroup's sub-cgroups. */
struct exec_cgroup {
	char **tasks; /* v1 "tasks" files, NULL-terminated */
	size_t n_tasks;
	int v2_fd;    /* the cgroup2 directory, -1 when none */
	char *v2_dir;
};

static void exec_cgroup_release(struct exec_cgroup *cg)
{
	cgroup_free_files(cg->tasks);
	free(cg->v2_dir);
	if (cg->v2_fd >= 0)
		close(cg->v2_fd);
}

/* ctrl (len bytes) in a comma-separated list of controllers ("cpu,cpuacct"),
 * which ends at a NUL or, in a --cgroup argument, at its ':' */
static bool list_has(const char *list, const char *ctrl, size_t len)
{
	for (const char *p = list; *p && *p != ':';) {
		size_t n = strcspn(p, ",:");
		if (n == len && strncmp(p, ctrl, len) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

static bool path_has_dotdot(const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n + (p[n] == '/');
	}
	return false;
}

/* Whether controller c (n bytes) was named before position `at` of
 * argument i, in it or in an earlier argument. */
static bool named_before(const struct exec_options *o, size_t i, const char *at, const char *c, size_t n)
{
	for (size_t j = 0; j <= i; j++) {
		const char *arg = o->cgroups[j];
		const char *colon = strchr(arg, ':');
		for (const char *p = arg; colon && p < colon && (j < i || p < at);) {
			size_t m = strcspn(p, ",:");
			if (m == n && strncmp(p, c, n) == 0)
				return true;
			p += m + (p[m] == ',');
		}
	}
	return false;
}

/* A v1 hierarchy of this host with controller c (n bytes). */
static bool have_controller(const struct cgroup_layout *l, const char *c, size_t n)
{
	for (size_t i = 0; i < l->n; i++)
		if (!l->h[i].v2 && list_has(l->h[i].controllers, c, n))
			return true;
	return false;
}

/* runc's --cgroup rules: "<ctrl>[,<ctrl>...]:<path>" any number of times,
 * each controller once, or a single "<path>" for every hierarchy; no path
 * may climb out of the container's cgroup. */
static int check_sub_cgroups(const struct cgroup_layout *l, const struct exec_options *o, struct error *err)
{
	for (size_t i = 0; i < o->n_cgroups; i++) {
		const char *arg = o->cgroups[i];
		const char *colon = strchr(arg, ':');
		const char *path = colon ? colon + 1 : arg;

		if (path_has_dotdot(path))
			return error_set(err, EINVAL, "invalid --cgroup argument: %s (\"..\" is not allowed)", arg);
		if (!colon) {
			if (o->n_cgroups != 1)
				return error_set(err, EINVAL, "invalid --cgroup argument: %s (missing <controller>: prefix)", arg);
			continue;
		}
		if (l->mode == CGROUP_MODE_UNIFIED)
			return error_set(err, EINVAL, "invalid --cgroup argument: %s (cgroup v2 takes a single path without <controller>:)", arg);
		if (colon == arg)
			return error_set(err, EINVAL, "invalid --cgroup argument: %s (empty <controller> prefix)", arg);
		for (const char *c = arg; c < colon;) {
			size_t n = strcspn(c, ",:");
			if (n == 0)
				return error_set(err, EINVAL, "invalid --cgroup argument: %s (empty <controller> prefix)", arg);
			if (named_before(o, i, c, c, n))
				return error_set(err, EINVAL, "invalid --cgroup argument(s): controller %.*s specified multiple times",
						 (int)n, c);
			if (!have_controller(l, c, n))
				return error_set(err, EINVAL, "invalid --cgroup argument: %s (no %.*s controller on this host)", arg,
						 (int)n, c);
			c += n + (c[n] == ',');
		}
	}
	return 0;
}

/* The sub-cgroup for hierarchy h: the one naming one of its controllers,
 * else the one for all, else none. */
static const char *sub_cgroup(const struct cgroup_hierarchy *h, const struct exec_options *o)
{
	for (size_t i = 0; i < o->n_cgroups; i++) {
		const char *arg = o->cgroups[i];
		const char *colon = strchr(arg, ':');

		if (!colon)
			return arg;
		if (h->v2)
			continue;
		for (const char *c = arg; c < colon;) {
			size_t n = strcspn(c, ",:");
			if (list_has(h->controllers, c, n))
				return colon + 1;
			c += n + (c[n] == ',');
		}
	}
	return NULL;
}

/* The init's own cgroup in hierarchy h, from /proc/<pid>/cgroup (read from
 * the host's cgroup namespace: full paths). */
static char *init_cgroup_in(const char *proc_cgroup, const struct cgroup_hierarchy *h)
{
	for (const char *l = proc_cgroup; l && *l;) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);
		const char *c1 = memchr(l, ':', len);
		const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - l)) : NULL;

		if (c2 && (size_t)(c2 - c1 - 1) == strlen(h->controllers) &&
		    strncmp(c1 + 1, h->controllers, (size_t)(c2 - c1 - 1)) == 0)
			return xasprintf("%.*s", (int)(len - (size_t)(c2 + 1 - l)), c2 + 1);
		l = end ? end + 1 : NULL;
	}
	return NULL;
}

static int resolve_cgroups(const struct container *c, const struct exec_options *o, struct exec_cgroup *cg,
			   struct error *err)
{
	const struct cgroup_layout *l;
	cleanup_free char *proc_cgroup = NULL;

	l = cgroup_layout(err);
	if (!l || check_sub_cgroups(l, o, err) < 0)
		return -1;
	/* a container placed in a cgroup it did not make records none: the
	 * exec'd process goes where its init is */
	if (!c->st.cgroup_path) {
		char path[64];
		if (c->st.rootless && o->n_cgroups == 0)
			return 0;
		snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)c->st.pid);
		if (read_file_at(AT_FDCWD, path, 1 << 20, &proc_cgroup, err) < 0)
			return error_prefix(err, "the container's cgroup");
	}
	/* the state records the container's directory in each hierarchy:
	 * they differ where the runtime's own cgroups do */
	struct cgroup ccg = { .unified_fd = -1 };
	if (c->st.cgroup_path && container_cgroup(c, &ccg, err) < 0) {
		cgroup_release(&ccg);
		return -1;
	}
	cg->tasks = xcalloc(l->n + 1, sizeof(char *));
	for (size_t i = 0; i < l->n; i++) {
		const struct cgroup_hierarchy *h = &l->h[i];
		cleanup_free char *base = NULL;
		const char *sub = sub_cgroup(h, o);

		if (c->st.cgroup_path) {
			base = ccg.dir[i] ? xstrdup(ccg.dir[i]) : NULL;
		} else {
			cleanup_free char *own = init_cgroup_in(proc_cgroup, h);
			base = own ? xasprintf("%s%s", h->mountpoint, own) : NULL;
		}
		if (!base)
			continue;
		cleanup_free char *dir = xasprintf("%s%s%s", base, sub ? "/" : "", sub ? sub : "");
		if (!h->v2) {
			cg->tasks[cg->n_tasks++] = xasprintf("%s/tasks", dir);
			continue;
		}
		cg->v2_fd = openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cg->v2_fd < 0) {
			error_sys(err, "cgroup %s", dir);
			cgroup_release(&ccg);
			return -1;
		}
		cg->v2_dir = steal_ptr(&dir);
	}
	cgroup_release(&ccg);
	return 0;
}

/* ---- the exec child ---- */

__attribute__((noreturn)) static void exec_child_main(const struct exec_child *x)
{
	char exe[PATH_MAX];
	struct error err;
	struct sync_msg msg;
	int keep[] = { x->sock, x->pidfd };
	cleanup_close int proc = -1;

	error_clear(&err);
	/* until the exec, nothing in the container may read our memory or fds */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		error_sys(&err, "prctl(PR_SET_DUMPABLE)");
		goto fail;
	}
	/* a runtime that dies before the exec takes us with it */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		error_sys(&err, "prctl(PR_SET_PDEATHSIG)");
		goto fail;
	}
	log_close();
	/* only stdio, the preserved fds, the sync socket and the init's pidfd */
	if (process_close_fds(3 + x->preserve_fds, keep, ARRAY_SIZE(keep), &err) < 0)
		goto fail;
	/* still with the host's view and rights on its cgroupfs */
	if (cgroup_join_self(x->cgroup_tasks, NULL, 0, &err) < 0)
		goto fail;
	/* before anything of the container can see us (CVE-2019-5736) */
	if (selfprotect_exe(NULL, &err) < 0)
		goto fail;
	/* labels are written through our own /proc, verified before we join
	 * the container's mount namespace (CVE-2019-16884) */
	if ((x->pp->apparmor_profile || x->pp->selinux_label) && (proc = fs_open_proc(&err)) < 0)
		goto fail;
	if (sync_expect(x->sock, SYNC_PARENT_SETUP_DONE, &msg, &err) < 0)
		goto fail;
	if (x->join && setns(x->pidfd, x->join) < 0) {
		error_sys(&err, "join the container's namespaces");
		goto fail;
	}
	close(x->pidfd);
	if ((x->join & CLONE_NEWUSER) && ns_become_root(&err) < 0)
		goto fail;
	if (x->pp->terminal) {
		/* the mount namespace's root is the container's */
		cleanup_close int rootfd = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0) {
			error_sys(&err, "open the container's root");
			goto fail;
		}
		if (terminal_setup(rootfd, x->pp, false, x->sock, &err) < 0) {
			error_prefix(&err, "terminal");
			goto fail;
		}
	}
	if (lsm_apply(x->pp, proc, &err) < 0)
		goto fail;
	if (process_apply(x->pp, exe, sizeof(exe), &err) < 0)
		goto fail;
	/* only stdio and the preserved fds reach the process */
	if (close_range_cloexec(3 + x->preserve_fds) < 0) {
		error_sys(&err, "mark fds close-on-exec");
		goto fail;
	}
	/* the process outlives a detached exec's runtime */
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	process_exec(x->pp, exe, &err);
fail:
	sync_send_error(x->sock, &err);
	_exit(1);
}

/* ---- the runtime's side ---- */

/* Until the child's execve: its console (if any) and its errors.  The
 * master then goes to the console socket (before exec returns, as before
 * create does) or stays in *master for the relay. */
static int serve_child(int sock, const struct container *c, pid_t pid, const struct plan_process *pp,
		       const struct exec_options *o, int console_sock, int *master, struct error *err)
{
	struct sync_msg msg;
	bool eof;

	for (;;) {
		if (sync_recv_eof(sock, &msg, &eof, err) < 0)
			return -1;
		if (eof)
			break;
		if (msg.type == SYNC_INIT_ERROR)
			return sync_take_error(&msg, err);
		if (msg.type == SYNC_INIT_SECCOMP && o->seccomp && msg.n_fds == 1) {
			/* the process's notify listener, for the agent at listenerPath */
			cleanup_close int fd = sync_take_fd(&msg);
			cleanup_free char *state = state_hook_json(&c->st, "running");
			if (seccomp_filter_send_listener(o->seccomp, state, pid, fd, err) < 0)
				return -1;
			continue;
		}
		if (msg.type != SYNC_INIT_CONSOLE || !pp->terminal)
			return sync_unexpected(&msg, "the exec child", err);
		if (sync_take_console(&msg, master, err) < 0)
			return -1;
	}
	if (pp->terminal && *master < 0)
		return error_set(err, EPROTO, "sync: the exec child sent no pty");
	if (console_sock >= 0) {
		int r = terminal_socket_send(console_sock, *master, err);
		close(steal_fd(master));
		return r;
	}
	return 0;
}

int exec_run(const struct container *c, const struct plan_process *pp, const struct exec_options *o,
	     struct error *err)
{
	struct exec_cgroup cg = { .v2_fd = -1 };
	struct plan_process child_pp = *pp; /* with the child's end for SYNC_INIT_SECCOMP */
	struct exec_child x = { .pp = &child_pp, .preserve_fds = (int)o->preserve_fds, .sock = -1, .pidfd = -1 };
	cleanup_close int pidfd = -1;
	cleanup_close int parent_sock = -1;
	cleanup_close int child_sock = -1;
	cleanup_close int console_sock = -1;
	cleanup_close int own_pid = -1;
	cleanup_close int master = -1;
	cleanup_pid pid_t pid = 0;
	bool into_cgroup = false;
	int socks[2];
	int r = -1;

	pidfd = container_init_pidfd(c);
	if (pidfd < 0)
		return error_set(err, ESRCH, "cannot exec in a stopped container");
	unsigned long ns = init_namespaces(c->st.pid);
	x.join = (int)(ns & ~(unsigned long)CLONE_NEWPID);
	if (resolve_cgroups(c, o, &cg, err) < 0)
		goto out;
	x.cgroup_tasks = cg.tasks;
	if (o->console_socket) {
		console_sock = terminal_socket_connect(o->console_socket, err);
		if (console_sock < 0)
			goto out;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0) {
		error_sys(err, "socketpair");
		goto out;
	}
	/* (both close-on-exec: one that landed among the preserved fds still
	 * never reaches the process) */
	parent_sock = socks[0];
	child_sock = socks[1];
	x.sock = child_sock;
	x.pidfd = pidfd;
	child_pp.seccomp_sock = child_sock;

	/* born in the init's pid namespace (and its cgroup2 directory) */
	if (ns_enter_pid_for_children((ns & CLONE_NEWPID) ? pidfd : -1, &own_pid, err) < 0)
		goto out;
	pid = process_clone(0, cg.v2_fd, &into_cgroup);
	if (pid == 0) {
		close(parent_sock);
		exec_child_main(&x);
	}
	int clone_errno = errno;
	if (own_pid >= 0 && setns(own_pid, CLONE_NEWPID) < 0) {
		error_sys(err, "return to own pid namespace");
		goto out;
	}
	if (pid < 0) {
		pid = 0;
		errno = clone_errno;
		error_sys(err, "clone3");
		goto out;
	}
	close(steal_fd(&child_sock));
	if (!o->detach)
		foreground_forward_signals(pid);

	if (cg.v2_dir && !into_cgroup) {
		cleanup_free char *procs = xasprintf("%s/cgroup.procs", cg.v2_dir);
		char buf[16];
		snprintf(buf, sizeof(buf), "%d", (int)pid);
		if (write_file_at(AT_FDCWD, procs, buf, err) < 0) {
			error_prefix(err, "join cgroup");
			goto out;
		}
	}
	if (process_set_oom_score_adj(pid, pp, err) < 0)
		goto out;
	if (sync_send(parent_sock, SYNC_PARENT_SETUP_DONE, NULL, 0, -1, err) < 0 ||
	    serve_child(parent_sock, c, pid, pp, o, console_sock, &master, err) < 0)
		goto out;
	/* the process runs: now, and only now, the pid file */
	if (o->pid_file && pid_file_write(o->pid_file, pid, err) < 0)
		goto out;
	if (o->detach) {
		steal_pid(&pid);
		r = 0;
		goto out;
	}
	pid_t waited = steal_pid(&pid);
	r = foreground_wait(waited, steal_fd(&master), err);
out:
	exec_cgroup_release(&cg);
	return r;
}
