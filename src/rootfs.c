/* rootfs.c: preparing, confining and entering the container's root. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs_safe.h"
#include "mount_api.h"
#include "mounts.h"
#include "rootfs.h"

int rootfs_prepare(const struct plan *plan, struct error *err)
{
	int fd;

	/* nothing we mount from here on may reach the host */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return error_sys(err, "make / a slave mount");
	if (mount(plan->rootfs, plan->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return error_sys(err, "bind rootfs %s", plan->rootfs);
	/* "shared" and "unbindable" are for the root mount itself and wait
	 * until rootfs_enter (pivot_root refuses a shared root; nothing could be
	 * bound from an unbindable one); below it they mean slave and private */
	if (plan->root_propagation && plan->root_propagation != MS_SHARED &&
	    mount(NULL, plan->rootfs, NULL,
		  (plan->root_propagation == MS_UNBINDABLE ? MS_PRIVATE : plan->root_propagation) | MS_REC,
		  NULL) < 0)
		return error_sys(err, "set rootfs propagation");
	fd = openat(AT_FDCWD, plan->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return error_sys(err, "open rootfs %s", plan->rootfs);
	return fd;
}

int rootfs_open_null(struct error *err)
{
	struct stat st;
	cleanup_close int fd = openat(AT_FDCWD, "/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return error_sys(err, "open /dev/null");
	if (fstat(fd, &st) < 0)
		return error_sys(err, "stat /dev/null");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return error_set(err, EINVAL, "/dev/null is not the null device");
	return steal_fd(&fd);
}

int rootfs_readonly_paths(const struct plan *plan, int rootfd, struct error *err)
{
	const struct spec_linux *lx = plan->spec->linux_;

	for (size_t i = 0; lx && i < lx->readonly_paths.n; i++) {
		const char *path = lx->readonly_paths.v[i];
		cleanup_close int target = fs_openat_in_root(rootfd, path, O_PATH | O_NOFOLLOW, 0);
		cleanup_close int mfd = -1;

		if (target < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			return error_sys(err, "readonly path %s", path);
		}
		mfd = open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
		if (mfd < 0)
			return error_sys(err, "readonly path %s: bind", path);
		if (mounts_set_attr(mfd, MOUNT_ATTR_RDONLY, 0, true, err) < 0 ||
		    mounts_set_attr(mfd, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0, false, err) < 0 ||
		    mounts_attach(mfd, target, err) < 0)
			return error_prefix(err, "readonly path %s", path);
	}
	return 0;
}

int rootfs_mask_paths(const struct plan *plan, int rootfd, int nullfd, struct error *err)
{
	const struct spec_linux *lx = plan->spec->linux_;
	/* every masked directory shows one empty read-only tmpfs: made once,
	 * then bound (the mount of the first mask, cloned) */
	cleanup_close int empty = -1;

	for (size_t i = 0; lx && i < lx->masked_paths.n; i++) {
		const char *path = lx->masked_paths.v[i];
		cleanup_close int target = fs_openat_in_root(rootfd, path, O_PATH | O_NOFOLLOW, 0);
		cleanup_close int mfd = -1;
		struct stat st;

		if (target < 0) {
			/* a path that is not there (or under a non-directory) needs no mask */
			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			return error_sys(err, "masked path %s", path);
		}
		if (fstat(target, &st) < 0)
			return error_sys(err, "masked path %s", path);
		if (S_ISLNK(st.st_mode))
			continue; /* nothing can be mounted on a symlink itself */
		if (S_ISDIR(st.st_mode) && empty >= 0) {
			mfd = open_tree(empty, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
			if (mfd < 0)
				return error_sys(err, "masked path %s: bind the empty tmpfs", path);
		} else if (S_ISDIR(st.st_mode)) {
			mfd = mounts_new_fs("tmpfs", "tmpfs", NULL, 0, MOUNT_ATTR_RDONLY, err);
			if (mfd < 0)
				return error_prefix(err, "masked path %s", path);
			if (mounts_attach(mfd, target, err) < 0)
				return error_prefix(err, "masked path %s", path);
			empty = steal_fd(&mfd); /* now the mount on `target` */
			continue;
		} else {
			mfd = open_tree(nullfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
			if (mfd < 0)
				return error_sys(err, "masked path %s: bind /dev/null", path);
		}
		if (mounts_attach(mfd, target, err) < 0)
			return error_prefix(err, "masked path %s", path);
	}
	return 0;
}

int rootfs_set_readonly(int rootfd, struct error *err)
{
	if (mounts_set_attr(rootfd, MOUNT_ATTR_RDONLY, 0, false, err) < 0)
		return error_prefix(err, "make rootfs read-only");
	return 0;
}

/* With --no-pivot the host's mounts stay in the namespace under the new
 * root.  A full procfs or sysfs among them would let a process in the
 * container mount a new one (the kernel only checks that some unmasked
 * instance is visible in the namespace), so they are detached first, as
 * runc does.  These are the host's own paths, not the image's. */
static int detach_host_kernel_fs(const struct plan *plan, struct error *err)
{
	static const char *const paths[] = { "/proc", "/sys" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		size_t n = strlen(paths[i]);
		if (strncmp(plan->rootfs, paths[i], n) == 0 && (plan->rootfs[n] == '/' || !plan->rootfs[n]))
			continue;
		if (umount2(paths[i], MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
			return error_sys(err, "detach the host's %s", paths[i]);
	}
	return 0;
}

int rootfs_enter(const struct plan *plan, int rootfd, struct error *err)
{
	if (plan->no_pivot && detach_host_kernel_fs(plan, err) < 0)
		return -1;
	if (fchdir(rootfd) < 0)
		return error_sys(err, "chdir to rootfs");
	if (plan->no_pivot) {
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			return error_sys(err, "move rootfs to /");
		if (chroot(".") < 0)
			return error_sys(err, "chroot");
	} else {
		/* pivot_root(".", ".") stacks the old root on top of the new one;
		 * detaching "." then drops it without a temporary directory.
		 * The old root needs no "rslave" first: rootfs_prepare made every
		 * mount of the namespace a slave, so the detach cannot reach the
		 * host.  (mount(".", MS_SLAVE|MS_REC) would not even reach it: it
		 * resolves to the new root below, whose mounts have their own
		 * propagation by now; only umount follows the mount on top.) */
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return error_sys(err, "pivot_root");
		if (umount2(".", MNT_DETACH) < 0)
			return error_sys(err, "detach old root");
	}
	if (chdir("/") < 0)
		return error_sys(err, "chdir /");
	/* the root only: the mounts below have theirs (mounts_apply) */
	if ((plan->root_propagation == MS_SHARED || plan->root_propagation == MS_UNBINDABLE) &&
	    mount(NULL, "/", NULL, plan->root_propagation, NULL) < 0)
		return error_sys(err, "set rootfs propagation");
	return 0;
}
