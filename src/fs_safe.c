/* fs_safe.c: in-root resolution and creation (see fs_safe.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs_safe.h"
#include "util.h"

static int sys_openat2(int dirfd, const char *path, int flags, mode_t mode, unsigned long long resolve)
{
	struct open_how how = {
		.flags = (unsigned long long)flags | O_CLOEXEC,
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
		.resolve = resolve,
	};
	int fd;

	do
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN);
	return fd;
}

int fs_openat_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
	while (*path == '/')
		path++;
	return sys_openat2(rootfd, *path ? path : ".", flags, mode,
			   RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

int fs_open_exact_in_root(int rootfd, const char *path, int flags)
{
	while (*path == '/')
		path++;
	return sys_openat2(rootfd, *path ? path : ".", flags, 0,
			   RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
}

int fs_open_no_magiclinks(int dirfd, const char *path, int flags)
{
	return sys_openat2(dirfd, path, flags, 0, RESOLVE_NO_MAGICLINKS);
}

int fs_open_beneath(int dirfd, const char *path, int flags)
{
	return sys_openat2(dirfd, path, flags, 0,
			   RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
}

/* Open exactly `name` in dirfd: no symlink, no "..". */
static int open_child_dir(int dirfd, const char *name)
{
	return fs_open_beneath(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW);
}

/* Symlinks followed while creating one path, as the kernel's own limit. */
#define MAX_SYMLINKS 40

/* A dangling symlink on the way (dirfd/name, the component path[start..end))
 * is followed the way runc's SecureJoin does, by creating what it points to
 * inside the root: an image's "/etc/resolv.conf -> /run/.../stub" must take
 * a bind.  Returns the path to create instead ("target" + the rest of path,
 * relative to the link's directory unless absolute), or NULL when dirfd/name
 * is not a symlink.  Resolving the result in root keeps it inside. */
static char *follow_dangling(int dirfd, const char *name, const char *path, size_t start, size_t end)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

	if (n <= 0)
		return NULL;
	target[n] = '\0';
	if (target[0] == '/')
		return xasprintf("%s%s", target, path + end);
	return xasprintf("%.*s%s%s", (int)start, path, target, path + end);
}

static int mkdir_in_root(int rootfd, const char *path, mode_t mode, int depth, struct error *err);

/* Make and open the component `name` (path[start..end)) in dirfd.  A
 * dangling symlink there is followed by making what it points to, with
 * the rest of path: then the result is the whole path's (*whole). */
static int make_component(int rootfd, int dirfd, const char *name, const char *path, size_t start, size_t end,
			  const char *shown, mode_t mode, int depth, bool *whole, struct error *err)
{
	int fd;

	*whole = false;
	if (mkdirat(dirfd, name, mode) < 0 && errno != EEXIST)
		return error_sys(err, "create directory %s in rootfs", shown);
	fd = open_child_dir(dirfd, name);
	if (fd >= 0)
		return fd;
	if (errno == ENOTDIR || errno == ELOOP) {
		cleanup_free char *next = follow_dangling(dirfd, name, path, start, end);
		if (next) {
			*whole = true;
			if (depth >= MAX_SYMLINKS)
				return error_set(err, ELOOP, "create directory %s in rootfs: too many symlinks", shown);
			return mkdir_in_root(rootfd, next, mode, depth + 1, err);
		}
		errno = ENOTDIR;
	}
	return error_sys(err, "create directory %s in rootfs", shown);
}

static int mkdir_in_root(int rootfd, const char *path, mode_t mode, int depth, struct error *err)
{
	char prefix[PATH_MAX];
	cleanup_close int cur = -1;
	size_t len = strlen(path);
	int fd;

	if (len >= sizeof(prefix))
		return error_set(err, ENAMETOOLONG, "path %s is too long", path);
	fd = fs_openat_in_root(rootfd, path, O_PATH | O_DIRECTORY, 0);
	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		return error_sys(err, "open %s in rootfs", path);

	/* usually only the last component is missing: its parent, opened as
	 * the walk below would, takes it; else the walk from the top */
	const char *slash = strrchr(path, '/');
	const char *leaf = slash ? slash + 1 : path;
	size_t plen = slash ? (size_t)(slash - path) : 0;
	if (*leaf && strcmp(leaf, ".") != 0 && strcmp(leaf, "..") != 0 && strlen(leaf) <= NAME_MAX) {
		memcpy(prefix, path, plen);
		prefix[plen] = '\0';
		cur = fs_openat_in_root(rootfd, prefix, O_PATH | O_DIRECTORY, 0);
		if (cur >= 0) {
			bool whole;
			return make_component(rootfd, cur, leaf, path, plen + 1, len, path, mode, depth, &whole, err);
		}
		if (errno != ENOENT)
			return error_sys(err, "open %s in rootfs", prefix);
	}

	cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (cur < 0)
		return error_sys(err, "dup rootfs fd");
	for (size_t i = 0; i < len;) {
		while (path[i] == '/')
			i++;
		size_t start = i;
		while (i < len && path[i] != '/')
			i++;
		if (i == start)
			break;
		const char *comp = path + start;
		size_t clen = i - start;
		if (clen == 1 && comp[0] == '.')
			continue;

		memcpy(prefix, path, i);
		prefix[i] = '\0';
		fd = fs_openat_in_root(rootfd, prefix, O_PATH | O_DIRECTORY, 0);
		if (fd < 0 && errno == ENOENT) {
			char name[NAME_MAX + 1];
			if (clen > NAME_MAX)
				return error_set(err, ENAMETOOLONG, "create %s in rootfs", prefix);
			memcpy(name, comp, clen);
			name[clen] = '\0';
			bool whole;
			fd = make_component(rootfd, cur, name, path, start, i, prefix, mode, depth, &whole, err);
			if (fd < 0 || whole)
				return fd;
		}
		if (fd < 0)
			return error_sys(err, "create directory %s in rootfs", prefix);
		close(cur);
		cur = fd;
	}
	return steal_fd(&cur);
}

int fs_mkdir_in_root(int rootfd, const char *path, mode_t mode, struct error *err)
{
	return mkdir_in_root(rootfd, path, mode, 0, err);
}

int fs_parent_in_root(int rootfd, const char *path, const char **base, struct error *err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	*base = slash ? slash + 1 : path;
	if (!**base || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0)
		return error_set(err, EINVAL, "invalid path %s", path);
	if (n >= sizeof(dir))
		return error_set(err, ENAMETOOLONG, "path %s is too long", path);
	memcpy(dir, path, n);
	dir[n] = '\0';
	return fs_mkdir_in_root(rootfd, dir, 0755, err);
}

static int file_mountpoint_in_root(int rootfd, const char *path, int depth, struct error *err)
{
	cleanup_close int parent = -1;
	const char *base;
	int fd;

	/* an existing file (or a symlink resolved inside root) is used as is */
	fd = fs_openat_in_root(rootfd, path, O_PATH, 0);
	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		return error_sys(err, "open %s in rootfs", path);
	parent = fs_parent_in_root(rootfd, path, &base, err);
	if (parent < 0)
		return -1;
	fd = openat(parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno != EEXIST)
		return error_sys(err, "create mount point %s in rootfs", path);
	if (fd >= 0)
		close(fd);
	fd = fs_openat_in_root(rootfd, path, O_PATH, 0);
	if (fd < 0 && errno == ENOENT) {
		size_t start = (size_t)(base - path);
		cleanup_free char *next = follow_dangling(parent, base, path, start, strlen(path));
		if (next) {
			if (depth >= MAX_SYMLINKS)
				return error_set(err, ELOOP, "create mount point %s in rootfs: too many symlinks", path);
			return file_mountpoint_in_root(rootfd, next, depth + 1, err);
		}
		errno = ENOENT;
	}
	if (fd < 0)
		return error_sys(err, "open %s in rootfs", path);
	return fd;
}

int fs_mountpoint_in_root(int rootfd, const char *path, bool dir, struct error *err)
{
	if (dir)
		return fs_mkdir_in_root(rootfd, path, 0755, err);
	return file_mountpoint_in_root(rootfd, path, 0, err);
}

/* path's last component, not followed; a symlink there is refused */
static int open_nofollow(int rootfd, const char *path, struct stat *st, struct error *err)
{
	cleanup_close int fd = fs_openat_in_root(rootfd, path, O_PATH | O_NOFOLLOW, 0);

	if (fd < 0)
		return error_sys(err, "open %s in rootfs", path);
	if (fstat(fd, st) < 0)
		return error_sys(err, "stat %s in rootfs", path);
	if (S_ISLNK(st->st_mode))
		return error_set(err, ELOOP, "%s in rootfs is a symlink, refusing to use it", path);
	return steal_fd(&fd);
}

int fs_open_nofollow_in_root(int rootfd, const char *path, struct error *err)
{
	struct stat st;

	return open_nofollow(rootfd, path, &st, err);
}

int fs_real_dir_in_root(int rootfd, const char *path, struct error *err)
{
	struct stat st;
	int fd = open_nofollow(rootfd, path, &st, err);

	if (fd < 0 && err->errnum == ENOENT)
		return fs_mkdir_in_root(rootfd, path, 0755, err);
	if (fd >= 0 && !S_ISDIR(st.st_mode)) {
		close(fd);
		return error_set(err, ENOTDIR, "%s in rootfs is not a directory", path);
	}
	return fd;
}

/* The procfs root inode (fs/proc/internal.h) */
#define PROC_ROOT_INO 1

int fs_open_proc(struct error *err)
{
	struct statfs sfs;
	struct stat st;
	cleanup_close int proc = openat(AT_FDCWD, "/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (proc < 0 || fstatfs(proc, &sfs) < 0 || fstat(proc, &st) < 0)
		return error_sys(err, "open /proc");
	if (sfs.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO)
		return error_set(err, EINVAL, "/proc is not the root of a procfs");
	return steal_fd(&proc);
}

int fs_open_in_proc(int proc, const char *path, int flags)
{
	/* "self" and "thread-self" are the only symlinks on the way and stay
	 * inside this procfs; no mount over a file below can be crossed */
	return sys_openat2(proc, path, flags, 0, RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS);
}
