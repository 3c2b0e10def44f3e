/* devices.c: device nodes and /dev symlinks, all relative to in-root fds. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "devices.h"
#include "fs_safe.h"
#include "mount_api.h"
#include "mounts.h"
#include "util.h"

static const struct {
	const char *name;
	const char *target;
} dev_symlinks[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

/* An existing node must be the one asked for (runtime-spec config-linux.md). */
static int check_existing(int dirfd, const char *base, const struct plan_device *d, struct error *err)
{
	struct stat st;

	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return error_sys(err, "stat %s", d->path);
	if ((st.st_mode & S_IFMT) != (d->mode & S_IFMT) || ((d->mode & S_IFMT) != S_IFIFO && st.st_rdev != d->rdev))
		return error_set(err, EEXIST, "%s exists and is not the requested device", d->path);
	return 0;
}

static int bind_host_device(int dirfd, const char *base, const struct plan_device *d, struct error *err)
{
	cleanup_close int fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0);
	cleanup_close int target = -1;
	cleanup_close int mfd = -1;

	if (fd < 0)
		return error_sys(err, "create mount point for %s", d->path);
	target = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0)
		return error_sys(err, "open %s", d->path);
	mfd = open_tree(AT_FDCWD, d->path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (mfd < 0)
		return error_sys(err, "bind host device %s", d->path);
	return mounts_attach(mfd, target, err);
}

static int create_device(int rootfd, const struct plan_device *d, struct error *err)
{
	const char *base;
	cleanup_close int dir = fs_parent_in_root(rootfd, d->path, &base, err);

	if (dir < 0)
		return -1;
	if (d->bind_from_host)
		return bind_host_device(dir, base, d, err);
	if (mknodat(dir, base, d->mode, d->rdev) < 0) {
		if (errno != EEXIST)
			return error_sys(err, "mknod %s", d->path);
		return check_existing(dir, base, d, err);
	}
	if (fchownat(dir, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return error_sys(err, "chown %s", d->path);
	return 0;
}

int devices_create(const struct plan *plan, int rootfd, struct error *err)
{
	cleanup_close int devfd = -1;

	if (plan->dev_is_mounted) {
		devfd = fs_real_dir_in_root(rootfd, "/dev", err);
		if (devfd < 0)
			return -1;
	}
	for (size_t i = 0; i < plan->n_devices; i++)
		if (create_device(rootfd, &plan->devices[i], err) < 0)
			return error_prefix(err, "create device %s", plan->devices[i].path);
	if (devfd < 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(dev_symlinks); i++) {
		if (symlinkat(dev_symlinks[i].target, devfd, dev_symlinks[i].name) < 0 && errno != EEXIST)
			return error_sys(err, "create symlink /dev/%s", dev_symlinks[i].name);
	}
	if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", devfd, "core") < 0 && errno != EEXIST)
		return error_sys(err, "create symlink /dev/core");
	return 0;
}
