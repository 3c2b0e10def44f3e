/* cgroup.c: layout detection, a container cgroup's directories and its
 * lifecycle (create, enter, destroy; its processes: cgroup_procs.c). */
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

static struct cgroup_layout layout = { .v2 = -1 };
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

/* Is `item` one of the items of the `sep`-separated list? */
static bool list_has(const char *list, const char *item, char sep)
{
	size_t n = strlen(item);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, sep);
		size_t m = end ? (size_t)(end - p) : strlen(p);
		if (m == n && strncmp(p, item, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* Does the comma-separated `opts` contain every item of `want`? */
static bool opts_contain_all(const char *opts, const char *want)
{
	char item[64];

	for (const char *p = want; *p;) {
		size_t n = strcspn(p, ",");
		if (n >= sizeof(item))
			return false;
		memcpy(item, p, n);
		item[n] = '\0';
		if (!list_has(opts, item, ','))
			return false;
		p += n + (p[n] == ',');
	}
	return true;
}

/* Find the mount of the cgroup v1 hierarchy with these controllers, or the
 * cgroup2 mount when v2: its mount point and the hierarchy path mounted. */
static bool find_mount(const char *mountinfo, const char *controllers, bool v2, char **mountpoint,
		       char **root)
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
				if (nf >= 5 && fstype && super && strncmp(f[4], CGROUP_ROOT, strlen(CGROUP_ROOT)) == 0 &&
				    ((v2 && strcmp(fstype, "cgroup2") == 0) ||
				     (!v2 && strcmp(fstype, "cgroup") == 0 && opts_contain_all(super, controllers)))) {
					*mountpoint = xstrdup(f[4]);
					*root = xstrdup(f[3]);
					return true;
				}
			}
		}
		line = end ? end + 1 : NULL;
	}
	return false;
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
		char *mp, *root;
		if (!find_mount(mountinfo, ctrls, v2, &mp, &root))
			continue;
		struct cgroup_hierarchy *h = &layout.h[layout.n];
		h->mountpoint = mp;
		h->root = root;
		h->controllers = xstrdup(ctrls);
		h->own = xstrdup(c2 + 1);
		h->v2 = v2;
		if (v2)
			layout.v2 = (int)layout.n;
		layout.n++;
	}
	if (layout.n == 0)
		return error_set(err, ENOENT, "no cgroup hierarchy found under " CGROUP_ROOT), NULL;
	layout_loaded = true;
	return &layout;
}

static int hierarchy_index(const char *ctrl)
{
	struct error err;
	const struct cgroup_layout *l = cgroup_layout(&err);

	if (!l)
		return -1;
	if (*ctrl == '\0')
		return l->v2;
	for (size_t i = 0; i < l->n; i++)
		if (!l->h[i].v2 && opts_contain_all(l->h[i].controllers, ctrl))
			return (int)i;
	return -1;
}

int cgroup_v1_index(const char *ctrl)
{
	return *ctrl ? hierarchy_index(ctrl) : -1;
}

const char *cgroup_dir(const struct cgroup *cg, const char *ctrl)
{
	int i = hierarchy_index(ctrl);

	return i >= 0 ? cg->dir[i] : NULL;
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

/* The directory of hierarchy path `p` (absolute in the hierarchy): below
 * the mount point, minus the part of the hierarchy not mounted there. */
static char *hierarchy_dir(const struct cgroup_hierarchy *h, const char *p)
{
	size_t rl = strlen(h->root);

	if (rl > 1 && strncmp(p, h->root, rl) == 0 && (p[rl] == '/' || p[rl] == '\0'))
		p += rl;
	return xasprintf("%s%s", h->mountpoint, strcmp(p, "/") == 0 ? "" : p);
}

int cgroup_resolve(const char *cgroups_path, const char *id, struct cgroup *cg, struct error *err)
{
	const struct cgroup_layout *l = cgroup_layout(err);
	bool absolute = cgroups_path && *cgroups_path == '/';
	cleanup_free char *clean = NULL;

	memset(cg, 0, sizeof(*cg));
	cg->unified_fd = -1;
	if (!l)
		return -1;
	clean = clean_path(cgroups_path && *cgroups_path ? cgroups_path : id, err);
	if (!clean)
		return -1;
	if (strcmp(clean, "/") == 0)
		return error_set(err, EINVAL, "invalid cgroupsPath \"%s\": the root cgroup", cgroups_path);
	size_t primary = l->v2 >= 0 ? (size_t)l->v2 : 0;
	for (size_t i = 0; i < l->n; i++) {
		cleanup_free char *joined = absolute ? NULL : xasprintf("%s%s", l->h[i].own, clean);
		cleanup_free char *p = absolute ? xstrdup(clean) : clean_path(joined, err);
		if (!p) {
			cgroup_release(cg);
			return -1;
		}
		cg->dir[i] = hierarchy_dir(&l->h[i], p);
		if (i == primary)
			cg->path = steal_ptr(&p);
	}
	return 0;
}

/* v1 cpuset: a new cgroup starts with empty cpus/mems and accepts no
 * task; it takes its parent's. */
static int cpuset_inherit(const char *dir, struct error *err)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	size_t up = (size_t)(strrchr(dir, '/') - dir);

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		cleanup_free char *parent = xasprintf("%.*s/%s", (int)up, dir, files[i]);
		cleanup_free char *mine = xasprintf("%s/%s", dir, files[i]);
		cleanup_free char *val = NULL;
		if (read_file_at(AT_FDCWD, parent, 4096, &val, err) < 0 || write_file_at(AT_FDCWD, mine, val, err) < 0)
			return -1;
	}
	return 0;
}

/* mkdir -p below the mount point; *made: the topmost directory made (NULL
 * when the leaf was there already). */
static int mkdir_cgroup(const struct cgroup_hierarchy *h, char *full, char **made, struct error *err)
{
	size_t base = strlen(h->mountpoint);
	bool cpuset = !h->v2 && opts_contain_all(h->controllers, "cpuset");

	*made = NULL;
	if (full[base] == '\0')
		return 0;
	/* the leaf alone when its parent is there (nearly always) */
	if (mkdir(full, 0755) == 0) {
		*made = xstrdup(full);
		return cpuset ? cpuset_inherit(full, err) : 0;
	}
	if (errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return error_sys(err, "create cgroup %s", full);
	for (char *p = full + base + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(full, 0755) == 0) {
			if (!*made)
				*made = xstrdup(full);
			if (cpuset && cpuset_inherit(full, err) < 0) {
				*p = saved;
				return -1;
			}
		} else if (errno != EEXIST) {
			error_sys(err, "create cgroup %s", full);
			*p = saved;
			return -1;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	return 0;
}

/* Enable `want` (space-separated controllers, "" = all the parent offers)
 * in cgroup.subtree_control of dir's ancestors below the mount point.
 * Best effort, as runc: an ancestor with processes of its own can't enable
 * domain controllers, and the resource that needs one says so later. */
static void v2_enable_ancestors(const struct cgroup_hierarchy *h, const char *dir, const char *want)
{
	size_t base = strlen(h->mountpoint);
	cleanup_free char *cur = xstrdup(dir);

	for (char *p = cur + base;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (*p == '\0')
			break; /* the leaf itself: its children are not ours to plan */
		char saved = *p;
		*p = '\0';
		struct error ignored;
		cleanup_free char *avail = NULL;
		cleanup_free char *enabled = NULL;
		cleanup_free char *cf = xasprintf("%s/cgroup.controllers", cur);
		cleanup_free char *sf = xasprintf("%s/cgroup.subtree_control", cur);
		if (read_file_at(AT_FDCWD, cf, 4096, &avail, &ignored) == 0 &&
		    read_file_at(AT_FDCWD, sf, 4096, &enabled, &ignored) == 0) {
			struct strbuf add = STRBUF_INIT;
			char *save = NULL;
			avail[strcspn(avail, "\n")] = '\0';
			enabled[strcspn(enabled, "\n")] = '\0';
			cleanup_free char *copy = xstrdup(*want ? want : avail);
			for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
				if (!list_has(enabled, t, ' ') && list_has(avail, t, ' '))
					strbuf_printf(&add, "%s+%s", add.len ? " " : "", t);
			if (add.len && write_file_at(AT_FDCWD, sf, add.buf, &ignored) < 0) {
				/* one by one: enable what can be */
				save = NULL;
				for (char *t = strtok_r(add.buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
					write_file_at(AT_FDCWD, sf, t, &ignored);
			}
			strbuf_release(&add);
		}
		*p = saved;
	}
}

bool cgroup_v2_has(const char *dir, const char *ctrl)
{
	struct error ignored;
	cleanup_free char *file = xasprintf("%s/cgroup.controllers", dir);
	cleanup_free char *avail = NULL;

	if (read_file_at(AT_FDCWD, file, 4096, &avail, &ignored) < 0)
		return false;
	avail[strcspn(avail, "\n")] = '\0';
	return list_has(avail, ctrl, ' ');
}

int cgroup_v2_enable(const char *dir, const char *ctrl, struct error *err)
{
	const struct cgroup_layout *l = cgroup_layout(err);

	if (!l)
		return -1;
	if (l->v2 < 0)
		return error_set(err, ENOENT, "no cgroup2 hierarchy");
	if (cgroup_v2_has(dir, ctrl))
		return 0;
	v2_enable_ancestors(&l->h[l->v2], dir, ctrl);
	if (!cgroup_v2_has(dir, ctrl))
		return error_set(err, ENOTSUP, "the %s controller cannot be enabled for %s", ctrl, dir);
	return 0;
}

/* Remove what one cgroup_create call made (the hierarchies `which` selects). */
static void cgroup_undo(struct cgroup *cg, const struct cgroup_layout *l, unsigned which)
{
	struct error ignored;
	struct cgroup part = { .unified_fd = -1 };

	for (size_t i = 0; i < l->n; i++) {
		if (!(which & (l->h[i].v2 ? CGROUP_ENTER_V2 : CGROUP_ENTER_V1)))
			continue;
		part.dir[i] = cg->dir[i];
		part.made[i] = cg->made[i];
		cg->made[i] = NULL;
	}
	cgroup_destroy(&part, &ignored);
	for (size_t i = 0; i < CGROUP_MAX_HIERARCHIES; i++)
		free(part.made[i]);
}

int cgroup_create(struct cgroup *cg, unsigned which, struct error *err)
{
	const struct cgroup_layout *l = cgroup_layout(err);

	if (!l)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		if (!cg->dir[i] || !(which & (l->h[i].v2 ? CGROUP_ENTER_V2 : CGROUP_ENTER_V1)))
			continue;
		if (mkdir_cgroup(&l->h[i], cg->dir[i], &cg->made[i], err) < 0) {
			cgroup_undo(cg, l, which);
			return -1;
		}
		if (l->h[i].v2) {
			/* runc's way: every controller the hierarchy has, so that
			 * update and events find their files later */
			if (l->mode == CGROUP_MODE_UNIFIED)
				v2_enable_ancestors(&l->h[i], cg->dir[i], "");
			cg->unified_fd = openat(AT_FDCWD, cg->dir[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
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
		if (!cg->dir[i] || !(which & (l->h[i].v2 ? CGROUP_ENTER_V2 : CGROUP_ENTER_V1)))
			continue;
		cleanup_free char *procs = xasprintf("%s/cgroup.procs", cg->dir[i]);
		if (write_file_at(AT_FDCWD, procs, buf, err) < 0)
			return error_prefix(err, "join cgroup");
	}
	return 0;
}

char **cgroup_v1_task_files(const struct cgroup *cg)
{
	struct error err;
	const struct cgroup_layout *l = cgroup_layout(&err);
	char **files;
	size_t n = 0;

	if (!l || l->mode == CGROUP_MODE_UNIFIED)
		return NULL;
	files = xcalloc(l->n + 1, sizeof(char *));
	for (size_t i = 0; i < l->n; i++)
		if (!l->h[i].v2 && cg->dir[i])
			files[n++] = xasprintf("%s/tasks", cg->dir[i]);
	return files;
}

int cgroup_open_tasks(struct cgroup *cg, char *const *task_files, struct error *err)
{
	for (char *const *f = task_files; f && *f && cg->n_tasks_fd < CGROUP_MAX_HIERARCHIES; f++) {
		int fd = openat(AT_FDCWD, *f, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return error_sys(err, "open %s", *f);
		cg->tasks_fd[cg->n_tasks_fd++] = fd;
	}
	return 0;
}

int cgroup_join_self(char *const *task_files, const int *fds, size_t n_fds, struct error *err)
{
	size_t n = 0;

	while (task_files && task_files[n])
		n++;
	if (n_fds && n_fds != n)
		return error_set(err, EPROTO, "join cgroups: %zu tasks files open for %zu hierarchies", n_fds, n);
	for (size_t i = 0; i < n; i++) {
		cleanup_close int own = n_fds ? -1 : openat(AT_FDCWD, task_files[i], O_WRONLY | O_CLOEXEC);
		int fd = n_fds ? fds[i] : own;
		if (fd < 0 || write(fd, "0", 1) != 1)
			return error_sys(err, "join cgroup %s", task_files[i]);
	}
	return 0;
}

void cgroup_free_files(char **files)
{
	for (char **p = files; p && *p; p++)
		free(*p);
	free(files);
}

/* rmdir a cgroup directory and the cgroups the container made below it,
 * waiting (bounded) while exiting tasks leave. */
static int rmdir_tree(const char *dir, struct error *err)
{
	cleanup_closedir DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT ? 0 : error_sys(err, "open cgroup %s", dir);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		cleanup_free char *sub = xasprintf("%s/%s", dir, e->d_name);
		if (rmdir_tree(sub, err) < 0)
			return -1;
	}
	for (int tries = 0;; tries++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || tries >= 400)
			return error_sys(err, "remove cgroup %s", dir);
		struct timespec ts = { 0, (tries < 20 ? 1 : 5) * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

int cgroup_destroy(const struct cgroup *cg, struct error *err)
{
	const struct cgroup_layout *l = cgroup_layout(err);
	bool gone[CGROUP_MAX_HIERARCHIES] = { false };
	bool all_gone = true;
	int rc = 0;

	if (!l)
		return -1;
	/* usually every task has left: one rmdir each, the freezer unread */
	for (size_t i = 0; i < l->n; i++) {
		if (cg->dir[i] && cg->made[i]) {
			gone[i] = rmdir(cg->dir[i]) == 0 || errno == ENOENT;
			all_gone = all_gone && gone[i];
		}
	}
	if (!all_gone && cgroup_is_frozen(cg)) {
		struct error ignored;
		cgroup_freeze(cg, false, &ignored);
	}
	for (size_t i = 0; i < l->n; i++) {
		if (!cg->dir[i] || !cg->made[i])
			continue;
		if (!gone[i] && rmdir_tree(cg->dir[i], err) < 0) {
			rc = -1;
			continue;
		}
		/* the ancestors made for it, while nothing else uses them */
		cleanup_free char *up = xstrdup(cg->dir[i]);
		size_t top = strlen(cg->made[i]);
		for (char *slash; (slash = strrchr(up, '/')) && (size_t)(slash - up) >= top;) {
			*slash = '\0';
			if (rmdir(up) < 0)
				break;
		}
	}
	return rc;
}

void cgroup_release(struct cgroup *cg)
{
	free(cg->path);
	cg->path = NULL;
	for (size_t i = 0; i < CGROUP_MAX_HIERARCHIES; i++) {
		free(cg->dir[i]);
		free(cg->made[i]);
		cg->dir[i] = cg->made[i] = NULL;
	}
	if (cg->unified_fd >= 0)
		close(cg->unified_fd);
	cg->unified_fd = -1;
	for (size_t i = 0; i < cg->n_tasks_fd; i++)
		close(cg->tasks_fd[i]);
	cg->n_tasks_fd = 0;
}

void cgroup_save(const struct cgroup *cg, struct spec_kv_array *dirs, struct spec_kv_array *made)
{
	struct error err;
	const struct cgroup_layout *l = cgroup_layout(&err);

	memset(dirs, 0, sizeof(*dirs));
	memset(made, 0, sizeof(*made));
	if (!l)
		return;
	dirs->v = xcalloc(l->n, sizeof(*dirs->v));
	made->v = xcalloc(l->n, sizeof(*made->v));
	for (size_t i = 0; i < l->n; i++) {
		if (!cg->dir[i])
			continue;
		dirs->v[dirs->n].key = xstrdup(l->h[i].controllers);
		dirs->v[dirs->n++].value = xstrdup(cg->dir[i]);
		if (cg->made[i]) {
			made->v[made->n].key = xstrdup(l->h[i].controllers);
			made->v[made->n++].value = xstrdup(cg->made[i]);
		}
	}
}

int cgroup_load(const char *path, const struct spec_kv_array *dirs, const struct spec_kv_array *made,
		struct cgroup *cg, struct error *err)
{
	const struct cgroup_layout *l = cgroup_layout(err);

	memset(cg, 0, sizeof(*cg));
	cg->unified_fd = -1;
	if (!l)
		return -1;
	cg->path = xstrdup(path);
	for (size_t i = 0; i < l->n; i++) {
		const struct cgroup_hierarchy *h = &l->h[i];
		if (dirs->n == 0) {
			cg->dir[i] = hierarchy_dir(h, path);
			cg->made[i] = xstrdup(cg->dir[i]);
			continue;
		}
		for (size_t k = 0; k < dirs->n; k++)
			if (strcmp(dirs->v[k].key, h->controllers) == 0 && !cg->dir[i])
				cg->dir[i] = xstrdup(dirs->v[k].value);
		for (size_t k = 0; k < made->n && cg->dir[i]; k++)
			if (strcmp(made->v[k].key, h->controllers) == 0 && !cg->made[i])
				cg->made[i] = xstrdup(made->v[k].value);
	}
	return 0;
}

