/* mounts.c: the config's mounts, in order, with the new mount API.
 *
 * Each mount is built detached (fsopen+fsmount, or open_tree for binds), its
 * attributes set with mount_setattr, and then attached with move_mount onto
 * an fd of its destination resolved inside the rootfs.  No path from the
 * config is ever handed to mount(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "fs_safe.h"
#include "mount_api.h"
#include "mounts.h"
#include "util.h"

/* The filesystem context's own error lines, for the message. */
static void fs_context_log(int fsfd, struct error *err)
{
	char buf[512];
	ssize_t n = read(fsfd, buf, sizeof(buf) - 1);

	if (n > 2) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		error_prefix(err, "%s", buf + 2); /* lines start with "e " */
	}
}

static const struct {
	unsigned long flag;
	const char *name;
} sb_flag_names[] = {
	{ MS_SYNCHRONOUS, "sync" },
	{ MS_DIRSYNC, "dirsync" },
	{ MS_LAZYTIME, "lazytime" },
	{ MS_MANDLOCK, "mand" },
};

int mounts_new_fs(const char *type, const char *source, char *const *data, unsigned long sb_flags, uint64_t attr,
		  struct error *err)
{
	cleanup_close int fsfd = fsopen(type, FSOPEN_CLOEXEC);

	if (fsfd < 0)
		return error_sys(err, "fsopen %s", type);
	if (source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return error_sys(err, "%s: set source", type);
	for (char *const *p = data; p && *p; p++) {
		char key[256];
		const char *eq = strchr(*p, '=');
		int r;

		if (eq) {
			size_t n = (size_t)(eq - *p);
			if (n >= sizeof(key))
				return error_set(err, EINVAL, "%s: option %s is too long", type, *p);
			memcpy(key, *p, n);
			key[n] = '\0';
			r = fsconfig(fsfd, FSCONFIG_SET_STRING, key, eq + 1, 0);
		} else {
			r = fsconfig(fsfd, FSCONFIG_SET_FLAG, *p, NULL, 0);
		}
		if (r < 0) {
			error_sys(err, "%s: option %s", type, *p);
			fs_context_log(fsfd, err);
			return -1;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(sb_flag_names); i++)
		if ((sb_flags & sb_flag_names[i].flag) &&
		    fsconfig(fsfd, FSCONFIG_SET_FLAG, sb_flag_names[i].name, NULL, 0) < 0)
			return error_sys(err, "%s: option %s", type, sb_flag_names[i].name);
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		error_sys(err, "create %s filesystem", type);
		fs_context_log(fsfd, err);
		return -1;
	}
	int mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned int)attr);
	if (mfd < 0)
		return error_sys(err, "fsmount %s", type);
	return mfd;
}

int mounts_set_attr(int mfd, uint64_t set, uint64_t clr, bool recursive, struct error *err)
{
	struct mount_attr attr = { .attr_set = set, .attr_clr = clr };

	if (!set && !clr)
		return 0;
	if (mount_setattr(mfd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
			  sizeof(attr)) < 0)
		return error_sys(err, "set mount attributes");
	return 0;
}

int mounts_attach(int mfd, int targetfd, struct error *err)
{
	if (move_mount(mfd, "", targetfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return error_sys(err, "attach mount");
	return 0;
}

int mounts_set_propagation(int mfd, unsigned long propagation, struct error *err)
{
	struct mount_attr attr = { .propagation = propagation & ~(unsigned long)MS_REC };

	if (!propagation)
		return 0;
	if (mount_setattr(mfd, "", AT_EMPTY_PATH | ((propagation & MS_REC) ? AT_RECURSIVE : 0),
			  &attr, sizeof(attr)) < 0)
		return error_sys(err, "set mount propagation");
	return 0;
}

/* The mount's own propagation option, else linux.rootfsPropagation (over
 * the whole tree of an rbind; "unbindable" is the root's alone and means
 * private here), else none: it stays the slave it was made. */
static unsigned long propagation_of(const struct plan *plan, const struct plan_mount *m)
{
	unsigned long p = plan->root_propagation;

	if (m->propagation)
		return m->propagation;
	if (!p)
		return 0;
	return (p == MS_UNBINDABLE ? MS_PRIVATE : p) | (m->recursive ? MS_REC : 0);
}

/* What fsmount itself can set on a new filesystem's mount. */
#define FSMOUNT_ATTRS                                                                                  \
	(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME | \
	 MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW)

/* A new filesystem's mount takes its attributes at fsmount (a new mount
 * has no flags to clear and no mounts below it), unless something is
 * written into it first (tmpcopyup) or recursive ones must come after. */
static bool attrs_at_fsmount(const struct plan_mount *m)
{
	return !m->tmpcopyup && !m->rattr_set && !m->rattr_clr && !(m->attr_set & ~(uint64_t)FSMOUNT_ATTRS);
}

/* Decorate (unless fsmount did: attrs_done) and attach one detached mount. */
static int finish_mount(const struct plan *plan, int mfd, const struct plan_mount *m, int targetfd, bool attrs_done,
			struct error *err)
{
	if ((!attrs_done && (mounts_set_attr(mfd, m->attr_set, m->attr_clr, false, err) < 0 ||
			     mounts_set_attr(mfd, m->rattr_set, m->rattr_clr, true, err) < 0)) ||
	    mounts_attach(mfd, targetfd, err) < 0 ||
	    mounts_set_propagation(mfd, propagation_of(plan, m), err) < 0)
		return -1;
	return 0;
}

/* tmpfs with tmpcopyup: the new tmpfs starts with a copy of what was there. */
static int copy_up(int fromfd, int tofd, struct error *err);

static bool is_special_destination(const char *dest)
{
	return strcmp(dest, "/proc") == 0 || strcmp(dest, "/sys") == 0 || strcmp(dest, "/dev") == 0;
}

/* The container's view of its cgroups: cgroup2 itself (unified host, or in
 * a cgroup namespace), or on v1 a tmpfs holding one entry per hierarchy. */
static int mount_cgroup(const struct plan *plan, const struct plan_mount *m, int targetfd,
			struct error *err)
{
	struct error lerr;
	const struct cgroup_layout *l = cgroup_layout(&lerr);
	bool cgroupns = plan->ns_all & CLONE_NEWCGROUP;

	if (!l)
		return error_set(err, lerr.errnum, "%s", lerr.msg);
	if (l->mode == CGROUP_MODE_UNIFIED) {
		cleanup_close int mfd = -1;
		if (cgroupns) {
			mfd = mounts_new_fs("cgroup2", "cgroup", NULL, 0, 0, err);
		} else {
			const char *dir = plan->cgroup->dir[0];
			mfd = open_tree(AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
			if (mfd < 0)
				error_sys(err, "bind %s", dir);
		}
		return mfd < 0 ? -1 : finish_mount(plan, mfd, m, targetfd, false, err);
	}

	char *tmpfs_opts[] = { "mode=755", NULL };
	cleanup_close int tfd = mounts_new_fs("tmpfs", "tmpfs", tmpfs_opts, 0, 0, err);
	if (tfd < 0 || mounts_attach(tfd, targetfd, err) < 0)
		return -1;
	/* the hierarchies get nosuid, nodev and noexec whatever the mount
	 * says; when it says them anyway (the usual config), one recursive
	 * mount_setattr at the end serves the tmpfs and all of them */
	const uint64_t always = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
	bool at_once = (m->attr_set & always) == always;
	for (size_t i = 0; i < l->n; i++) {
		const struct cgroup_hierarchy *h = &l->h[i];
		const char *name = strrchr(h->mountpoint, '/') + 1;
		cleanup_close int mfd = -1;

		/* in the tmpfs just made, which only we write to: the name (a
		 * hierarchy's, no slash) is safe to resolve in it */
		if (mkdirat(tfd, name, 0755) < 0 && errno != EEXIST)
			return error_sys(err, "create cgroup mount point %s", name);
		if (cgroupns && h->v2) {
			mfd = mounts_new_fs("cgroup2", "cgroup", NULL, 0, 0, err);
		} else if (cgroupns) {
			/* "cpu,cpuacct" or "name=systemd" as filesystem options */
			char opts[256];
			char *data[8] = { 0 };
			size_t nd = 0;
			snprintf(opts, sizeof(opts), "%s", h->controllers);
			char *save = NULL;
			for (char *t = strtok_r(opts, ",", &save); t && nd < 7; t = strtok_r(NULL, ",", &save))
				data[nd++] = t;
			mfd = mounts_new_fs("cgroup", "cgroup", data, 0, 0, err);
		} else {
			const char *dir = plan->cgroup->dir[i];
			mfd = open_tree(AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
			if (mfd < 0)
				error_sys(err, "bind %s", dir);
		}
		if (mfd < 0)
			return error_prefix(err, "cgroup hierarchy %s", name);
		if ((!at_once && mounts_set_attr(mfd, m->attr_set | always, m->attr_clr, false, err) < 0) ||
		    move_mount(mfd, "", tfd, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return error_sys(err, "attach cgroup hierarchy %s", name);
	}
	/* the tmpfs itself gets the mount's attributes last (it is usually ro) */
	unsigned long prop = propagation_of(plan, m);
	return mounts_set_attr(tfd, m->attr_set, m->attr_clr, at_once, err) < 0 ||
			       mounts_set_propagation(tfd, prop ? prop | MS_REC : 0, err) < 0
		       ? -1
		       : 0;
}

static int mount_one(const struct plan *plan, const struct plan_mount *m, int rootfd,
		     struct error *err)
{
	cleanup_close int target = -1;
	cleanup_close int mfd = -1;
	bool dir = !m->bind || m->source_is_dir;
	bool early = false;

	if (is_special_destination(m->destination)) {
		/* /proc, /sys, /dev must be real directories (CVE-2019-19921) */
		target = fs_real_dir_in_root(rootfd, m->destination, err);
	} else {
		target = fs_mountpoint_in_root(rootfd, m->destination, dir, err);
	}
	if (target < 0)
		return -1;
	if (m->cgroup)
		return mount_cgroup(plan, m, target, err);
	if (m->bind) {
		mfd = open_tree(AT_FDCWD, m->source,
				OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (m->recursive ? AT_RECURSIVE : 0));
		if (mfd < 0)
			return error_sys(err, "bind %s", m->source);
	} else {
		early = attrs_at_fsmount(m);
		mfd = mounts_new_fs(m->type, m->source, m->data, m->sb_flags, early ? m->attr_set : 0, err);
		if (mfd < 0)
			return -1;
		if (m->tmpcopyup && strcmp(m->type, "tmpfs") == 0 && copy_up(target, mfd, err) < 0)
			return -1;
	}
	return finish_mount(plan, mfd, m, target, early, err);
}

size_t mounts_first_cgroup(const struct plan *plan)
{
	size_t i = 0;

	while (i < plan->n_mounts && !plan->mounts[i].cgroup)
		i++;
	return i;
}

int mounts_apply(const struct plan *plan, int rootfd, size_t from, size_t to, struct error *err)
{
	for (size_t i = from; i < to; i++) {
		const struct plan_mount *m = &plan->mounts[i];
		if (mount_one(plan, m, rootfd, err) < 0)
			/* runc's wording, which tools match */
			return error_prefix(err, "error mounting \"%s\" to rootfs at \"%s\"", m->source,
					    m->destination);
	}
	return 0;
}

/* ---- tmpcopyup: recursive copy between two directory fds ---- */

static int copy_file(int fromdir, int todir, const char *name, const struct stat *st, struct error *err)
{
	cleanup_close int in = openat(fromdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_close int out = -1;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return error_sys(err, "tmpcopyup: open %s", name);
	out = openat(todir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 07777);
	if (out < 0)
		return error_sys(err, "tmpcopyup: create %s", name);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) < 0)
			return error_sys(err, "tmpcopyup: write %s", name);
	if (n < 0)
		return error_sys(err, "tmpcopyup: read %s", name);
	if (fchown(out, st->st_uid, st->st_gid) < 0)
		return error_sys(err, "tmpcopyup: chown %s", name);
	return 0;
}

static int copy_dir(int fromdir, int todir, struct error *err, int depth)
{
	cleanup_closedir DIR *d = NULL;
	struct dirent *de;
	int fd = openat(fromdir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (depth > 64)
		return error_set(err, ELOOP, "tmpcopyup: directory tree too deep");
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return error_sys(err, "tmpcopyup: open directory");
	}
	while ((de = readdir(d))) {
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return error_sys(err, "tmpcopyup: stat %s", de->d_name);
		if (S_ISDIR(st.st_mode)) {
			if (mkdirat(todir, de->d_name, st.st_mode & 07777) < 0)
				return error_sys(err, "tmpcopyup: mkdir %s", de->d_name);
			cleanup_close int a = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			cleanup_close int b = openat(todir, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (a < 0 || b < 0 || copy_dir(a, b, err, depth + 1) < 0)
				return a < 0 || b < 0 ? error_sys(err, "tmpcopyup: open %s", de->d_name) : -1;
			if (fchownat(todir, de->d_name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
				return error_sys(err, "tmpcopyup: chown %s", de->d_name);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
			if (n < 0)
				return error_sys(err, "tmpcopyup: readlink %s", de->d_name);
			target[n] = '\0';
			if (symlinkat(target, todir, de->d_name) < 0)
				return error_sys(err, "tmpcopyup: symlink %s", de->d_name);
			if (fchownat(todir, de->d_name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
				return error_sys(err, "tmpcopyup: chown %s", de->d_name);
		} else if (S_ISREG(st.st_mode)) {
			if (copy_file(dirfd(d), todir, de->d_name, &st, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int copy_up(int targetfd, int mfd, struct error *err)
{
	cleanup_close int from = openat(targetfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int to = openat(mfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (from < 0 || to < 0)
		return error_sys(err, "tmpcopyup: open");
	return copy_dir(from, to, err, 0);
}
