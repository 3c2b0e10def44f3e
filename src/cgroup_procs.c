/* cgroup_procs.c: a container cgroup's processes: freezing and thawing
 * them (pause/resume, and before destroy), listing them (ps, kill --all)
 * and signalling them all. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "util.h"

/* ---- freezer ------------------------------------------------------- */

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

static int read_trimmed(const char *dir, const char *file, char **out, struct error *err)
{
	cleanup_free char *path = xasprintf("%s/%s", dir, file);

	if (read_file_at(AT_FDCWD, path, 1 << 16, out, err) < 0)
		return -1;
	(*out)[strcspn(*out, "\n")] = '\0';
	return 0;
}

static int write_in(const char *dir, const char *file, const char *val, struct error *err)
{
	cleanup_free char *path = xasprintf("%s/%s", dir, file);

	return write_file_at(AT_FDCWD, path, val, err);
}

/* v1: FREEZING can last while tasks keep forking; retry as runc does,
 * thawing now and then so that new tasks get caught, and never leave
 * the cgroup half-frozen. */
static int freeze_v1(const char *dir, bool frozen, struct error *err)
{
	if (!frozen)
		return write_in(dir, "freezer.state", "THAWED", err);
	for (int i = 0; i < 1000; i++) {
		if (i % 50 == 49) {
			write_in(dir, "freezer.state", "THAWED", err);
			sleep_us(10000);
		}
		if (write_in(dir, "freezer.state", "FROZEN", err) < 0)
			return -1;
		if (i % 25 == 24)
			sleep_us(10);
		cleanup_free char *state = NULL;
		if (read_trimmed(dir, "freezer.state", &state, err) < 0)
			return -1;
		if (strcmp(state, "FROZEN") == 0)
			return 0;
		if (strcmp(state, "FREEZING") != 0)
			return error_set(err, EIO, "unexpected state %s after writing FROZEN", state);
		sleep_us(i < 10 ? 100 : 1000);
	}
	write_in(dir, "freezer.state", "THAWED", err);
	return error_set(err, EBUSY, "unable to freeze");
}

/* "frozen 1" in cgroup.events, once every task has stopped. */
static int events_frozen(const char *dir, int *frozen, struct error *err)
{
	cleanup_free char *ev = NULL;
	cleanup_free char *path = xasprintf("%s/cgroup.events", dir);

	if (read_file_at(AT_FDCWD, path, 4096, &ev, err) < 0)
		return -1;
	char *p = strstr(ev, "frozen ");
	*frozen = p ? p[7] == '1' : -1;
	return 0;
}

static int freeze_v2(const char *dir, bool frozen, struct error *err)
{
	int state = -1;

	if (write_in(dir, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
		return -1;
	for (int i = 0; i < 2000; i++) {
		if (events_frozen(dir, &state, err) < 0)
			return -1;
		if (state < 0 || state == (int)frozen)
			return 0;
		sleep_us(i < 20 ? 100 : 5000);
	}
	if (frozen) {
		write_in(dir, "cgroup.freeze", "0", err);
		return error_set(err, EBUSY, "unable to freeze");
	}
	return error_set(err, EBUSY, "unable to thaw");
}

int cgroup_freeze(const struct cgroup *cg, bool frozen, struct error *err)
{
	const char *dir = cgroup_dir(cg, "freezer");

	if (dir)
		return freeze_v1(dir, frozen, err);
	dir = cgroup_dir(cg, "");
	if (dir)
		return freeze_v2(dir, frozen, err);
	return error_set(err, ENOTSUP, "the host has no freezer: neither the v1 freezer controller nor cgroup2");
}

bool cgroup_is_frozen(const struct cgroup *cg)
{
	struct error err;
	cleanup_free char *val = NULL;
	const char *dir = cgroup_dir(cg, "freezer");

	if (dir)
		return read_trimmed(dir, "freezer.state", &val, &err) == 0 && strcmp(val, "FROZEN") == 0;
	dir = cgroup_dir(cg, "");
	return dir && read_trimmed(dir, "cgroup.freeze", &val, &err) == 0 && val[0] == '1';
}

/* ---- processes ----------------------------------------------------- */

/* The directory whose cgroup.procs lists the container's processes. */
static const char *procs_dir(const struct cgroup *cg)
{
	struct error err;
	const struct cgroup_layout *l = cgroup_layout(&err);
	const char *d;

	if (!l)
		return NULL;
	if (l->mode == CGROUP_MODE_UNIFIED)
		return cgroup_dir(cg, "");
	if ((d = cgroup_dir(cg, "pids")) || (d = cgroup_dir(cg, "freezer")))
		return d;
	for (size_t i = 0; i < l->n; i++)
		if (cg->dir[i])
			return cg->dir[i];
	return NULL;
}

/* Append the pids of dir's cgroup.procs and of every cgroup below it
 * (runc's GetAllPids: a process in a sub-cgroup is the container's too). */
static int collect_pids(int dirfd, const char *name, pid_t **pids, size_t *n, size_t *cap, int depth,
			struct error *err)
{
	cleanup_free char *text = NULL;
	cleanup_closedir DIR *d = NULL;
	struct dirent *de;

	if (depth > 64)
		return error_set(err, ELOOP, "cgroup tree too deep at %s", name);
	if (read_file_at(dirfd, "cgroup.procs", 1 << 24, &text, err) < 0)
		return -1;
	for (char *p = text; *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*pids = xrealloc(*pids, *cap * sizeof(pid_t));
		}
		(*pids)[(*n)++] = (pid_t)v;
		p = end;
		while (*p == '\n')
			p++;
	}
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return error_sys(err, "open cgroup %s", name);
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		cleanup_close int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* a sub-cgroup removed meanwhile holds no process */
		if (sub < 0 && errno == ENOENT)
			continue;
		if (sub < 0)
			return error_sys(err, "open cgroup %s/%s", name, de->d_name);
		if (collect_pids(sub, de->d_name, pids, n, cap, depth + 1, err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_pids(const struct cgroup *cg, pid_t **pids, size_t *n, struct error *err)
{
	const char *dir = procs_dir(cg);
	cleanup_close int fd = -1;
	size_t cap = 0;

	*pids = NULL;
	*n = 0;
	if (!dir)
		return error_set(err, ENOENT, "no cgroup hierarchy to list processes");
	fd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return error_sys(err, "open cgroup %s", dir);
	if (collect_pids(fd, dir, pids, n, &cap, 0, err) < 0) {
		free(*pids);
		*pids = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static int kill_listed(const struct cgroup *cg, int sig, struct error *err)
{
	pid_t *pids;
	size_t n;

	if (cgroup_pids(cg, &pids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
	return 0;
}

int cgroup_kill_all(const struct cgroup *cg, int sig, struct error *err)
{
	if (sig == SIGKILL) {
		const char *dir = cgroup_dir(cg, "");
		if (dir) {
			/* atomic against forks, kernel >= 5.14 */
			cleanup_free char *kill_file = xasprintf("%s/cgroup.kill", dir);
			if (access(kill_file, W_OK) == 0 && write_file_at(AT_FDCWD, kill_file, "1", err) == 0)
				return 0;
		}
		/* a frozen cgroup can't fork while we go through its list (runc) */
		if (cgroup_dir(cg, "freezer") && !cgroup_is_frozen(cg)) {
			struct error ignored;
			if (cgroup_freeze(cg, true, &ignored) == 0) {
				int r = kill_listed(cg, sig, err);
				cgroup_freeze(cg, false, &ignored);
				return r;
			}
		}
	}
	return kill_listed(cg, sig, err);
}
