/* container.c: operations on an existing container (see container.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "hooks.h"
#include "log.h"
#include "systemd_bus.h"
#include "util.h"

#ifndef CLONE_NEWPID
#define CLONE_NEWPID 0x20000000
#endif

int container_open(const char *root, const char *id, bool lock, struct container *c,
		   struct error *err)
{
	memset(c, 0, sizeof(*c));
	c->root = root;
	c->dirfd = state_dir_open(root, id, lock, err);
	if (c->dirfd < 0)
		return -1;
	if (state_read(c->dirfd, &c->st, err) < 0) {
		close(c->dirfd);
		c->dirfd = -1;
		return -1;
	}
	c->status = state_status(c->dirfd, &c->st);
	return 0;
}

int container_peek(int rootfd, const char *id, struct arena *arena, struct container_state *st,
		   enum container_status *status, uid_t *owner, struct error *err)
{
	char path[STATE_ID_MAX + sizeof("/" STATE_FILE) + sizeof(STATE_FIFO)];
	struct stat sb;

	if (state_validate_id(id, err) < 0)
		return -1;
	if (fstatat(rootfd, id, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return error_sys(err, "stat state directory %s", id);
	*owner = sb.st_uid;
	snprintf(path, sizeof(path), "%s/%s", id, STATE_FILE);
	if (state_read_arena(rootfd, path, STATE_SHOWN, arena, st, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", id, STATE_FIFO);
	*status = state_status_at(rootfd, path, st);
	return 0;
}

void container_close(struct container *c)
{
	state_release(&c->st);
	if (c->dirfd >= 0)
		close(c->dirfd);
	c->dirfd = -1;
}

struct spec *container_spec(const struct container *c, struct error *err)
{
	cleanup_free char *text = NULL;

	if (read_file_at(c->dirfd, STATE_CONFIG_FILE, 16 << 20, &text, err) < 0)
		return NULL;
	return spec_parse(text, "config.json", err);
}

int container_init_pidfd(const struct container *c)
{
	int fd = (int)syscall(SYS_pidfd_open, c->st.pid, 0);

	if (fd < 0)
		return -1;
	/* checked after opening: the pidfd pins the process we verified */
	if (!state_init_alive(&c->st)) {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	return fd;
}

/* Every process of the init's pid namespace, found by its nsfs inode. */
static int pidns_pids(const struct container *c, pid_t **pids, size_t *n, struct error *err)
{
	cleanup_closedir DIR *proc = NULL;
	struct dirent *de;
	struct stat init_ns;
	char path[64];
	size_t cap = 0;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)c->st.pid);
	if (stat(path, &init_ns) < 0)
		return 0; /* gone meanwhile: no process left */
	proc = opendir("/proc");
	if (!proc)
		return error_sys(err, "open /proc");
	while ((de = readdir(proc))) {
		struct stat st;
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
		if (stat(path, &st) < 0 || st.st_dev != init_ns.st_dev || st.st_ino != init_ns.st_ino)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*pids = xrealloc(*pids, cap * sizeof(pid_t));
		}
		(*pids)[(*n)++] = (pid_t)pid;
	}
	return 0;
}

int container_pids(const struct container *c, pid_t **pids, size_t *n, struct error *err)
{
	*pids = NULL;
	*n = 0;
	if (c->st.cgroup_path) {
		struct cgroup cg;
		int r = container_cgroup(c, &cg, err);
		if (r == 0)
			r = cgroup_pids(&cg, pids, n, err);
		cgroup_release(&cg);
		return r;
	}
	cleanup_close int pidfd = container_init_pidfd(c);
	if (pidfd < 0)
		return 0;
	if (c->st.ns_flags & CLONE_NEWPID)
		return pidns_pids(c, pids, n, err);
	*pids = xmalloc(sizeof(pid_t));
	(*pids)[(*n)++] = c->st.pid;
	return 0;
}

int container_start(struct container *c, struct error *err)
{
	cleanup_close int fifo = -1;

	switch (c->status) {
	case STATUS_CREATED:
		break;
	case STATUS_STOPPED:
		return error_set(err, EINVAL, "cannot start a container that has stopped");
	case STATUS_RUNNING:
		return error_set(err, EINVAL, "cannot start an already running container");
	default:
		return error_set(err, EINVAL, "cannot start a container in the %s state",
				 state_status_name(c->status));
	}
	/* the init holds the fifo open; a missing reader means it died */
	fifo = openat(c->dirfd, STATE_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (fifo < 0) {
		if (errno == ENXIO || errno == ENOENT)
			return error_set(err, ESRCH, "cannot start a container that has stopped");
		return error_sys(err, "open exec fifo");
	}
	if (write(fifo, "0", 1) != 1)
		return error_sys(err, "release the container's init");
	if (unlinkat(c->dirfd, STATE_FIFO, 0) < 0)
		return error_sys(err, "remove exec fifo");
	/* start returns (and poststart hooks run) only once the init is past
	 * its startContainer hooks: its close-on-exec read end goes with the
	 * execve (or its death), which the write end sees as POLLERR */
	struct pollfd pfd = { .fd = fifo, .events = 0 };
	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			return error_sys(err, "wait for the container's init to exec");
	c->status = STATUS_RUNNING;
	return 0;
}

int container_cgroup(const struct container *c, struct cgroup *cg, struct error *err)
{
	if (!c->st.cgroup_path)
		return error_set(err, ENOENT, "container %s has no cgroup", c->st.id);
	return cgroup_load(c->st.cgroup_path, &c->st.cgroup_dirs, &c->st.cgroup_made, cg, err);
}

int container_signal(struct container *c, int sig, bool all, struct error *err)
{
	struct cgroup cg;
	struct error ignored;

	/* --all: every process of the container's cgroup, in a pid namespace
	 * or not (runc); for a stopped container whatever may linger there,
	 * and "not running" is not an error */
	if (all && container_cgroup(c, &cg, &ignored) == 0) {
		int r = cgroup_kill_all(&cg, sig, c->status == STATUS_STOPPED ? &ignored : err);
		cgroup_release(&cg);
		return c->status == STATUS_STOPPED ? 0 : r;
	}
	/* without a cgroup: the processes of its pid namespace */
	if (all && c->status != STATUS_STOPPED && (c->st.ns_flags & CLONE_NEWPID)) {
		pid_t *pids;
		size_t n;
		if (container_pids(c, &pids, &n, err) < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			kill(pids[i], sig);
		free(pids);
		return 0;
	}
	if (c->status == STATUS_STOPPED) {
		if (all)
			return 0;
		return error_set(err, ESRCH, "container not running");
	}
	/* through a pidfd taken while the start time still matched: the
	 * signal cannot reach a process that reused the init's pid */
	cleanup_close int pidfd = container_init_pidfd(c);
	if (pidfd < 0)
		return error_set(err, ESRCH, "container not running");
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0) {
		if (errno == ESRCH)
			return error_set(err, ESRCH, "container not running");
		return error_sys(err, "unable to signal init");
	}
	/* in its own pid namespace, killing init kills every process in it */
	return 0;
}

/* Wait (bounded) until the init is gone. */
static void wait_init_gone(const struct container *c, int timeout_ms)
{
	cleanup_close int pidfd = container_init_pidfd(c);

	if (pidfd < 0)
		return;
	struct pollfd p = { pidfd, POLLIN, 0 };
	while (poll(&p, 1, timeout_ms) < 0 && errno == EINTR)
		;
}

int container_destroy(struct container *c, struct error *err)
{
	struct error ignored;
	struct cgroup cg;
	bool has_cgroup = container_cgroup(c, &cg, &ignored) == 0;

	if (c->status != STATUS_STOPPED) {
		container_signal(c, SIGKILL, false, &ignored);
		/* v1 frozen tasks act on the SIGKILL only once thawed */
		if (c->status == STATUS_PAUSED && has_cgroup)
			cgroup_freeze(&cg, false, &ignored);
		wait_init_gone(c, 10000);
	}
	/* systemd removes its unit's cgroups; a systemd gone since create
	 * must not make the container undeletable */
	const char *unit = c->st.systemd_cgroup ? systemd_unit_from_path(c->st.cgroup_path) : NULL;
	if (unit && systemd_bus_stop(NULL, unit, &ignored) < 0)
		log_warn("%s", ignored.msg);
	if (has_cgroup) {
		/* processes outside a pid namespace outlive their init */
		if (!(c->st.ns_flags & CLONE_NEWPID))
			cgroup_kill_all(&cg, SIGKILL, &ignored);
		int r = cgroup_destroy(&cg, err);
		cgroup_release(&cg);
		if (r < 0)
			return -1;
	}
	struct spec *read = c->spec ? NULL : container_spec(c, &ignored);
	const struct spec *spec = c->spec ? c->spec : read;
	if (state_dir_remove(c->root, c->st.id, err) < 0) {
		spec_free(read);
		return -1;
	}
	if (spec && spec->hooks && spec->hooks->poststop.n) {
		cleanup_free char *state = state_hook_json(&c->st, "stopped");
		if (hooks_run(&spec->hooks->poststop, "poststop", state, NULL, &ignored) < 0)
			log_warn("%s", ignored.msg);
	}
	spec_free(read);
	return 0;
}
