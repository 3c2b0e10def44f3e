/* init.c: the container's init, from its clone to its execve.
 *
 * Runs in the child of the one clone3() create makes, already inside every
 * new namespace.  It applies the plan top to bottom in the order the kernel
 * needs; any failure travels to the parent as a SYNC_INIT_ERROR and the
 * init exits.  See sync.h for the conversation with the parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "devices.h"
#include "fs_safe.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "lsm.h"
#include "mounts.h"
#include "namespaces.h"
#include "process.h"
#include "rootfs.h"
#include "selfprotect.h"
#include "sync.h"
#include "terminal.h"
#include "timing.h"
#include "util.h"

/* The states createContainer and startContainer hooks read, handed over by
 * the parent with SYNC_PARENT_SETUP_DONE ("creating\0created\0"). */
static const char *hook_state_creating;
static const char *hook_state_created;

static int read_hook_states(int fd, struct error *err)
{
	char *buf;
	size_t len;

	if (fd < 0)
		return 0;
	int r = read_all_fd(fd, 1 << 20, &buf, &len, err);
	close(fd);
	if (r < 0)
		return error_prefix(err, "read hook state");
	hook_state_creating = buf;
	size_t first = strnlen(buf, len);
	hook_state_created = first < len ? buf + first + 1 : buf;
	return 0;
}

/* In the container's UTS namespace (new or joined): plan_build refused
 * names without one.  The kernel bounds them (64 bytes, EINVAL). */
static int set_names(const struct plan *plan, struct error *err)
{
	if (plan->hostname && sethostname(plan->hostname, strlen(plan->hostname)) < 0)
		return error_sys(err, "sethostname");
	if (plan->domainname && setdomainname(plan->domainname, strlen(plan->domainname)) < 0)
		return error_sys(err, "setdomainname");
	return 0;
}

/* Is `path` at or below `dir` (both absolute, clean)? */
static bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1)
		return true; /* "/" */
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Can the device nodes be made before mounts [from, n_mounts)?  Yes when
 * none of those lands on /dev, above it, or on a device's path: then the
 * init makes them while the runtime still makes the cgroups the init waits
 * for (deferred cgroups), instead of after.  A device path that is not
 * plainly clean keeps the spec's order. */
static bool devices_before(const struct plan *plan, size_t from)
{
	for (size_t j = 0; j < plan->n_devices; j++)
		if (strstr(plan->devices[j].path, "//") || strstr(plan->devices[j].path, "/."))
			return false;
	for (size_t i = from; i < plan->n_mounts; i++) {
		const char *dest = plan->mounts[i].destination;
		if (path_within(dest, "/dev") || path_within("/dev", dest))
			return false;
		for (size_t j = 0; j < plan->n_devices; j++)
			if (path_within(plan->devices[j].path, dest))
				return false;
	}
	return true;
}

/* Everything up to the pivot: the container's filesystem. */
static int init_filesystem(const struct plan *plan, int sock, int nullfd, struct error *err)
{
	cleanup_close int rootfd = -1;
	struct sync_msg msg;
	int keep[] = { sock, plan->fifo_fd, nullfd };
	/* the deferred cgroups' "tasks" files, open */
	cleanup_sync_msg struct sync_msg cgroups = { .n_fds = 0 };

	/* from here on only stdio, the preserved fds, the sync socket and the
	 * exec fifo are open: no host fd can be reached through /proc/self/fd */
	log_close();
	if (process_close_fds(3 + plan->preserve_fds, keep, ARRAY_SIZE(keep), err) < 0)
		return -1;
	timing_mark("rootfs");
	rootfd = rootfs_prepare(plan, err);
	if (rootfd < 0)
		return -1;
	timing_mark("selfprotect");
	/* before the container can see us (CVE-2019-5736); our mounts outside
	 * the rootfs are private when the mount namespace is a new one */
	if (selfprotect_exe(plan->ns_join_fd[SPEC_NS_MOUNT] < 0 && (plan->clone_flags & CLONE_NEWNS) ? plan->rootfs : NULL,
			    err) < 0)
		return -1;
	/* deferred cgroups: made by the runtime meanwhile, and joined here,
	 * before the first cgroup mount (which binds them) and anything of
	 * the container */
	timing_mark("mounts");
	size_t first_cgroup = plan->cgroups_deferred ? mounts_first_cgroup(plan) : plan->n_mounts;
	bool devices_early = first_cgroup < plan->n_mounts && devices_before(plan, first_cgroup);
	if (mounts_apply(plan, rootfd, 0, first_cgroup, err) < 0)
		return -1;
	if (devices_early) {
		timing_mark("devices");
		if (devices_create(plan, rootfd, err) < 0)
			return -1;
	}
	if (plan->cgroups_deferred) {
		timing_mark("cgroups");
		if (sync_expect(sock, SYNC_PARENT_CGROUPS_READY, &cgroups, err) < 0)
			return -1;
		timing_mark("mounts-rest");
	}
	if (mounts_apply(plan, rootfd, first_cgroup, plan->n_mounts, err) < 0)
		return -1;
	if (!devices_early) {
		timing_mark("devices");
		if (devices_create(plan, rootfd, err) < 0)
			return -1;
	}
	/* into the deferred cgroups once the mounts and devices are made, as
	 * runc's init is there before its limits are set; before any hook,
	 * which may look for our cgroups (a prestart hook adding devices) */
	if (plan->cgroups_deferred) {
		timing_mark("cgroup-join");
		if (cgroup_join_self(plan->cgroup_tasks, cgroups.fds, cgroups.n_fds, err) < 0)
			return -1;
		sync_msg_close(&cgroups);
	}
	timing_mark("pivot"); /* with the createRuntime/createContainer hooks */
	if (plan->has_runtime_hooks) {
		if (sync_send(sock, SYNC_INIT_HOOKS, NULL, 0, -1, err) < 0 ||
		    sync_expect(sock, SYNC_PARENT_HOOKS_DONE, &msg, err) < 0)
			return -1;
	}
	if (plan->spec->hooks &&
	    hooks_run(&plan->spec->hooks->create_container, "createContainer", hook_state_creating, NULL, err) < 0)
		return -1;
	/* a missing cwd is created, as runc does, before the root may turn
	 * read-only; "/" (the usual cwd) costs nothing */
	if (strcmp(plan->process.cwd, "/") != 0) {
		int cwdfd = fs_mkdir_in_root(rootfd, plan->process.cwd, 0755, err);
		if (cwdfd < 0)
			return error_prefix(err, "cwd");
		close(cwdfd);
	}
	if (rootfs_readonly_paths(plan, rootfd, err) < 0 || rootfs_mask_paths(plan, rootfd, nullfd, err) < 0)
		return -1;
	if (plan->process.terminal && terminal_setup(rootfd, &plan->process, true, sock, err) < 0)
		return error_prefix(err, "terminal");
	if (plan->root_readonly && rootfs_set_readonly(rootfd, err) < 0)
		return -1;
	/* labels for the execve, through our own /proc while it is still the
	 * one we verify, not the container's (CVE-2019-16884) */
	if (lsm_apply(&plan->process, -1, err) < 0)
		return -1;
	return rootfs_enter(plan, rootfd, err);
}

static int init_setup(const struct plan *plan, int sock, char *exe, size_t exe_len, struct error *err)
{
	cleanup_close int nullfd = -1;
	struct sync_msg msg;

	/* until the exec, nothing in the container may read our memory or fds */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return error_sys(err, "prctl(PR_SET_DUMPABLE)");
	/* a runtime that dies before we are ready takes us with it; if it is
	 * already gone, its end of the socket is closed and the wait below fails */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return error_sys(err, "prctl(PR_SET_PDEATHSIG)");
	if (!plan->cgroups_deferred && cgroup_join_self(plan->cgroup_tasks, NULL, 0, err) < 0)
		return -1;

	/* device nodes and mount points get exactly the modes asked for */
	umask(0);
	if (sync_expect(sock, SYNC_PARENT_SETUP_DONE, &msg, err) < 0 || read_hook_states(sync_take_fd(&msg), err) < 0)
		return -1;
	/* the maps are written: take the user namespace's root as our ids */
	if (plan->userns && ns_become_root(err) < 0)
		return -1;
	if (plan->cgroupns_late && unshare(CLONE_NEWCGROUP) < 0)
		return error_sys(err, "unshare cgroup namespace");
	if (ns_join_remaining(plan, err) < 0)
		return -1;
	/* /dev/null of the mount namespace we build in (the runtime's, or one
	 * joined by path: open_tree can't clone a mount of another one), opened
	 * before the rootfs is touched and checked to be the 1:3 device */
	nullfd = rootfs_open_null(err);
	if (nullfd < 0)
		return -1;
	if (set_names(plan, err) < 0 || ns_write_sysctls(plan, err) < 0)
		return -1;
	if (init_filesystem(plan, sock, nullfd, err) < 0)
		return -1;
	timing_mark("process");
	if (process_apply(&plan->process, exe, exe_len, err) < 0)
		return -1;
	/* only stdio and the preserved fds reach the process */
	if (close_range_cloexec(3 + plan->preserve_fds) < 0)
		return error_sys(err, "mark fds close-on-exec");
	return 0;
}

static int init_wait_start(const struct plan *plan, int sock, struct error *err)
{
	struct sync_msg msg;
	char c;

	if (!plan->start_via_fifo)
		return sync_expect(sock, SYNC_PARENT_START, &msg, err);
	for (;;) {
		ssize_t n = read(plan->fifo_fd, &c, 1);
		if (n == 1)
			return 0;
		if (n < 0 && errno != EINTR)
			return error_sys(err, "wait on exec fifo");
	}
}

void init_main(const struct plan *plan, int sock)
{
	char exe[PATH_MAX];
	struct error err;

	error_clear(&err);
	/* the init's own phases (OCI_RT_TIMING), from its first instruction */
	timing_reset();
	timing_mark("namespaces");
	if (init_setup(plan, sock, exe, sizeof(exe), &err) < 0)
		goto fail;
	timing_mark("wait-start");
	/* the runtime may exit once we are ready: we must not die with it */
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (sync_send(sock, SYNC_INIT_READY, NULL, 0, -1, &err) < 0)
		goto fail;
	if (init_wait_start(plan, sock, &err) < 0)
		goto fail;
	if (plan->spec->hooks &&
	    hooks_run(&plan->spec->hooks->start_container, "startContainer", hook_state_created,
		      plan->process.envp, &err) < 0)
		goto fail;
	timing_mark("exec");
	/* on the container's stderr: only when asked for by the environment,
	 * never because a client passed --debug */
	if (getenv("OCI_RT_TIMING"))
		timing_report("init");
	process_exec(&plan->process, exe, &err);
fail:
	sync_send_error(sock, &err);
	_exit(1);
}
