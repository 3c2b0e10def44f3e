/* cgroup.c: layout detection and the container cgroup's lifecycle. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "util.h"

static struct cgroup_layout layout;
static bool layout_loaded;

const char *cgroup_mode_name(enum cgroup_mode mode)
{
	switch (mode) {
	case CGROUP_MODE_LEGACY:
		return "legacy";
	case CGROUP_MODE_HYBRID:
		return "hybrid";
	case CGROUP_MODE_UNIFIED:
		return "unified";
	}
	return "?";
}

static bool fs_is(const char *path, unsigned long magic)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (unsigned long)sfs.f_type == magic;
}

/* Does the comma-separated `opts` contain every item of `want`? */
static bool opts_contain_all(const char *opts, const char *want)
{
	const char *p = want;

	while (*p) {
		size_t n = strcspn(p, ",");
		const char *o = opts;
		bool found = false;
		while (*o) {
			size_t m = strcspn(o, ",");
			if (m == n && strncmp(o, p, n) == 0) {
				found = true;
				break;
			}
			o += m + (o[m] == ',');
		}
		if (!found)
			return false;
		p += n + (p[n] == ',');
	}
	return true;
}

/* Find the mount point of the cgroup v1 hierarchy with these controllers, or
 * the cgroup2 mount when controllers is "". */
static char *find_mount(const char *mountinfo, const char *controllers, bool v2)
{
	const char *line = mountinfo;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[4096];
		if (len < sizeof(buf)) {
			char *f[12] = { 0 };
			int nf = 0;
			memcpy(buf, line, len);
			buf[len] = '\0';
			char *dash = strstr(buf, " - ");
			if (dash) {
				*dash = '\0';
				char *save = NULL;
				for (char *t = strtok_r(buf, " ", &save); t && nf < 6; t = strtok_r(NULL, " ", &save))
					f[nf++] = t;
				char *fstype = strtok_r(dash + 3, " ", &save);
				strtok_r(NULL, " ", &save); /* source */
				char *super = strtok_r(NULL, " ", &save);
				if (nf >= 5 && fstype && super && strncmp(f[4], CGROUP_ROOT, strlen(CGROUP_ROOT)) == 0) {
					if (v2 && strcmp(fstype, "cgroup2") == 0)
						return xstrdup(f[4]);
					if (!v2 && strcmp(fstype, "cgroup") == 0 && opts_contain_all(super, controllers))
						return xstrdup(f[4]);
				}
			}
		}
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

const struct cgroup_layout *cgroup_layout(struct error *err)
{
	cleanup_free char *mountinfo = NULL;
	cleanup_free char *self = NULL;

	if (layout_loaded)
		return &layout;
	if (read_file_at(AT_FDCWD, "/proc/self/mountinfo", 1 << 22, &mountinfo, err) < 0 ||
	    read_file_at(AT_FDCWD, "/proc/self/cgroup", 1 << 20, &self, err) < 0)
		return NULL;
	if (fs_is(CGROUP_ROOT, CGROUP2_SUPER_MAGIC))
		layout.mode = CGROUP_MODE_UNIFIED;
	else if (fs_is(CGROUP_ROOT "/unified", CGROUP2_SUPER_MAGIC))
		layout.mode = CGROUP_MODE_HYBRID;
	else
		layout.mode = CGROUP_MODE_LEGACY;

	/* /proc/self/cgroup: "hierarchy-id:controllers:path" */
	char *save = NULL;
	for (char *l = strtok_r(self, "\n", &save); l && layout.n < CGROUP_MAX_HIERARCHIES;
	     l = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(l, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		const char *ctrls = c1 + 1;
		bool v2 = *ctrls == '\0';
		if (v2 && layout.mode == CGROUP_MODE_LEGACY)
			continue;
		char *mp = find_mount(mountinfo, ctrls, v2);
		if (!mp)
			continue;
		struct cgroup_hierarchy *h = &layout.h[layout.n++];
		h->mountpoint = mp;
		h->controllers = xstrdup(ctrls);
		h->own = xstrdup(c2 + 1);
		h->v2 = v2;
	}
	if (layout.n == 0)
		return error_set(err, ENOENT, "no cgroup hierarchy found under " CGROUP_ROOT), NULL;
	layout_loaded = true;
	return &layout;
}

static const struct cgroup_hierarchy *hierarchy_for(const char *ctrl)
{
	struct error err;
	const struct cgroup_layout *l = cgroup_layout(&err);

	if (!l)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const struct cgroup_hierarchy *h = &l->h[i];
		if (*ctrl == '\0' ? h->v2 : (!h->v2 && opts_contain_all(h->controllers, ctrl)))
			return h;
	}
	return NULL;
}

char *cgroup_dir(const char *path, const char *ctrl)
{
	const struct cgroup_hierarchy *h = hierarchy_for(ctrl);

	return h ? xasprintf("%s%s", h->mountpoint, path) : NULL;
}

/* Normalize: one leading '/', no "//", no "." or ".." components. */
static char *clean_path(const char *in, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = in;

	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
			strbuf_release(&sb);
			return error_set(err, EINVAL, "invalid cgroupsPath \"%s\"", in), NULL;
		}
		strbuf_putc(&sb, '/');
		strbuf_put(&sb, p, n);
		p += n;
	}
	if (sb.len == 0)
		strbuf_putc(&sb, '/');
	return strbuf_detach(&sb);
}

char *cgroup_resolve_path(const char *cgroups_path, const char *id, struct error *err)
{
	const struct cgroup_layout *l = cgroup_layout(err);
	cleanup_free char *joined = NULL;

	if (!l)
		return NULL;
	if (cgroups_path && *cgroups_path == '/')
		return clean_path(cgroups_path, err);
	/* relative: below our own cgroup (the first hierarchy's, all agree on
	 * the hosts we run on) */
	const char *own = l->h[0].own;
	for (size_t i = 0; i < l->n; i++)
		if (l->h[i].v2 == (l->mode == CGROUP_MODE_UNIFIED) && *l->h[i].controllers != 'n') {
			own = l->h[i].own;
			break;
		}
	joined = xasprintf("%s/%s", own, cgroups_path && *cgroups_path ? cgroups_path : id);
	return clean_path(joined, err);
}

/* v1 cpuset: a new cgroup starts with empty cpus/mems and accepts no task. */
static int cpuset_inherit(const char *dir, const char *file, struct error *err)
{
	cleanup_free char *mine_path = xasprintf("%s/%s", dir, file);
	cleanup_free char *parent_path = NULL;
	cleanup_free char *mine = NULL;
	cleanup_free char *parent_val = NULL;

	if (read_file_at(AT_FDCWD, mine_path, 4096, &mine, err) < 0)
		return -1;
	if (mine[0] != '\n' && mine[0] != '\0')
		return 0;
	parent_path = xasprintf("%.*s/%s", (int)(strrchr(dir, '/') - dir), dir, file);
	if (read_file_at(AT_FDCWD, parent_path, 4096, &parent_val, err) < 0)
		return -1;
	return write_file_at(AT_FDCWD, mine_path, parent_val, err);
}

static int mkdir_cgroup(const struct cgroup_hierarchy *h, const char *path, bool *created,
			struct error *err)
{
	cleanup_free char *full = xasprintf("%s%s", h->mountpoint, path);
	size_t base = strlen(h->mountpoint);
	bool cpuset = !h->v2 && opts_contain_all(h->controllers, "cpuset");

	*created = false;
	for (char *p = full + base + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(full, 0755) == 0) {
			*created = saved == '\0';
			if (cpuset && (cpuset_inherit(full, "cpuset.cpus", err) < 0 ||
				       cpuset_inherit(full, "cpuset.mems", err) < 0))
				return -1;
		} else if (errno != EEXIST) {
			return error_sys(err, "create cgroup %s", full);
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	return 0;
}

int cgroup_create(const char *path, struct cgroup *cg, struct error *err)
{
	const struct cgroup_layout *l = cgroup_layout(err);

	cg->path = xstrdup(path);
	cg->unified_fd = -1;
	cg->created = false;
	if (!l)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		bool created;
		if (mkdir_cgroup(&l->h[i], path, &created, err) < 0) {
			if (cg->created) {
				struct error ignored;
				cgroup_destroy(path, &ignored);
			}
			return -1;
		}
		cg->created |= created;
		if (l->h[i].v2) {
			cleanup_free char *dir = xasprintf("%s%s", l->h[i].mountpoint, path);
			cg->unified_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		}
	}
	return 0;
}

int cgroup_enter(const struct cgroup *cg, pid_t pid, unsigned which, struct error *err)
{
	const struct cgroup_layout *l = cgroup_layout(err);
	char buf[32];

	if (!l)
		return -1;
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < l->n; i++) {
		if (!(which & (l->h[i].v2 ? CGROUP_ENTER_V2 : CGROUP_ENTER_V1)))
			continue;
		cleanup_free char *procs = xasprintf("%s%s/cgroup.procs", l->h[i].mountpoint, cg->path);
		if (write_file_at(AT_FDCWD, procs, buf, err) < 0)
			return error_prefix(err, "join cgroup");
	}
	return 0;
}

char **cgroup_v1_task_files(const char *path)
{
	struct error err;
	const struct cgroup_layout *l = cgroup_layout(&err);
	char **files;
	size_t n = 0;

	if (!l || l->mode == CGROUP_MODE_UNIFIED)
		return NULL;
	files = xcalloc(l->n + 1, sizeof(char *));
	for (size_t i = 0; i < l->n; i++)
		if (!l->h[i].v2)
			files[n++] = xasprintf("%s%s/tasks", l->h[i].mountpoint, path);
	return files;
}

int cgroup_join_self(char *const *task_files, struct error *err)
{
	for (char *const *f = task_files; f && *f; f++) {
		cleanup_close int fd = open(*f, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1)
			return error_sys(err, "join cgroup %s", *f);
	}
	return 0;
}

void cgroup_free_files(char **files)
{
	for (char **p = files; p && *p; p++)
		free(*p);
	free(files);
}

int cgroup_destroy(const char *path, struct error *err)
{
	const struct cgroup_layout *l = cgroup_layout(err);
	int rc = 0;

	if (!l)
		return -1;
	if (strcmp(path, "/") == 0)
		return 0;
	for (size_t i = 0; i < l->n; i++) {
		cleanup_free char *dir = xasprintf("%s%s", l->h[i].mountpoint, path);
		/* exiting tasks leave the cgroup shortly after they die */
		for (int tries = 0;; tries++) {
			if (rmdir(dir) == 0 || errno == ENOENT)
				break;
			if (errno != EBUSY || tries >= 200) {
				rc = error_sys(err, "remove cgroup %s", dir);
				break;
			}
			struct timespec ts = { 0, 5 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	return rc;
}

void cgroup_release(struct cgroup *cg)
{
	free(cg->path);
	cg->path = NULL;
	if (cg->unified_fd >= 0)
		close(cg->unified_fd);
	cg->unified_fd = -1;
}

bool cgroup_is_frozen(const char *path)
{
	struct error err;
	cleanup_free char *dir = cgroup_dir(path, "freezer");
	cleanup_free char *val = NULL;

	if (dir) {
		cleanup_free char *file = xasprintf("%s/freezer.state", dir);
		return read_file_at(AT_FDCWD, file, 64, &val, &err) == 0 && strncmp(val, "FROZEN", 6) == 0;
	}
	dir = cgroup_dir(path, "");
	if (!dir)
		return false;
	cleanup_free char *file = xasprintf("%s/cgroup.freeze", dir);
	return read_file_at(AT_FDCWD, file, 64, &val, &err) == 0 && val[0] == '1';
}

/* The hierarchy whose cgroup.procs lists the container's processes. */
static char *procs_dir(const char *path)
{
	const struct cgroup_layout *l;
	struct error err;

	if (!(l = cgroup_layout(&err)))
		return NULL;
	if (l->mode == CGROUP_MODE_UNIFIED)
		return cgroup_dir(path, "");
	char *d = cgroup_dir(path, "pids");
	return d ? d : cgroup_dir(path, "freezer");
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

int cgroup_pids(const char *path, pid_t **pids, size_t *n, struct error *err)
{
	cleanup_free char *dir = procs_dir(path);
	cleanup_close int fd = -1;
	size_t cap = 0;

	*pids = NULL;
	*n = 0;
	if (!dir)
		return error_set(err, ENOENT, "no cgroup hierarchy to list processes");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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

int cgroup_kill_all(const char *path, int sig, struct error *err)
{
	if (sig == SIGKILL) {
		cleanup_free char *dir = cgroup_dir(path, "");
		if (dir) {
			cleanup_free char *kill_file = xasprintf("%s/cgroup.kill", dir);
			if (access(kill_file, W_OK) == 0 && write_file_at(AT_FDCWD, kill_file, "1", err) == 0)
				return 0;
		}
	}
	pid_t *pids;
	size_t n;
	if (cgroup_pids(path, &pids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
	return 0;
}
