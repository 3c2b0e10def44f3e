/* fs_safe.h: path work inside a rootfs that may be hostile.
 *
 * Every path from config.json or the image is resolved by fd, with
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): a symlink, even an
 * absolute one or one swapped in during the lookup, can never lead outside
 * the rootfs.  Missing components are created one at a time relative to the
 * fd of their already-resolved parent, never by path. */
#ifndef OCI_RT_FS_SAFE_H
#define OCI_RT_FS_SAFE_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* openat2 in root; returns the fd or -1 with errno set (no error filled). */
int fs_openat_in_root(int rootfd, const char *path, int flags, mode_t mode);

/* openat2 in root following no symlink at all (a device node the runtime
 * opens, such as the container's /dev/pts/ptmx); -1 with errno set. */
int fs_open_exact_in_root(int rootfd, const char *path, int flags);

/* openat2 without magic links (/proc/self/fd/N, /proc/<pid>/root): for
 * files read after the pivot, where the root already confines the path but
 * the init's own fds must stay unreachable.  -1 with errno set. */
int fs_open_no_magiclinks(int dirfd, const char *path, int flags);

/* path below dirfd through no symlink, "..", or magic link (the runtime's
 * own state root: "<id>/state.json" in one lookup).  -1 with errno set. */
int fs_open_beneath(int dirfd, const char *path, int flags);

/* mkdir -p inside root; returns an O_PATH fd of the directory.  A dangling
 * symlink on the way is followed by creating its target, still inside root
 * (as runc's SecureJoin + MkdirAll: "/var/run -> /run" in a fresh image). */
int fs_mkdir_in_root(int rootfd, const char *path, mode_t mode, struct error *err);

/* A mount point inside root: a directory (dir) or an empty regular file
 * (created O_EXCL|O_NOFOLLOW; a dangling symlink in its place, such as an
 * image's "/etc/resolv.conf -> /run/...", gets the file made at its target
 * inside root).  Returns an O_PATH fd of it. */
int fs_mountpoint_in_root(int rootfd, const char *path, bool dir, struct error *err);

/* The final component of path must exist and not be a symlink; returns an
 * O_PATH fd (used for /proc, /sys and /dev, which must be real directories). */
int fs_open_nofollow_in_root(int rootfd, const char *path, struct error *err);
/* The same for a directory that must be a real one, made when missing
 * (/proc, /sys and /dev: CVE-2019-19921); a non-directory is refused. */
int fs_real_dir_in_root(int rootfd, const char *path, struct error *err);

/* Split "a/b/c" into a directory fd (created if needed) and a basename.
 * base points into path. */
int fs_parent_in_root(int rootfd, const char *path, const char **base, struct error *err);

/* "/proc" of the caller's mount namespace, checked to be the root of a
 * procfs (fstatfs PROC_SUPER_MAGIC, root inode): an image or a mount over
 * /proc can never stand in for it (CVE-2019-16884).  O_PATH fd. */
int fs_open_proc(struct error *err);

/* A file below a verified procfs (fs_open_proc), without crossing a mount
 * or a magic link (CVE-2025-52881).  -1 with errno set. */
int fs_open_in_proc(int proc, const char *path, int flags);

#endif
