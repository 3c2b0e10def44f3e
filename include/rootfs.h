/* rootfs.h: turning the bundle's rootfs into the container's root. */
#ifndef OCI_RT_ROOTFS_H
#define OCI_RT_ROOTFS_H

#include "error.h"
#include "plan.h"

/* In the init's new mount namespace: stop propagation to the host, bind the
 * rootfs onto itself (pivot_root needs a mount point), give it
 * linux.rootfsPropagation (but "shared", see rootfs_enter) and return an
 * O_PATH fd of it. */
int rootfs_prepare(const struct plan *plan, struct error *err);

/* linux.readonlyPaths and linux.maskedPaths, resolved inside the rootfs.
 * Masking binds a /dev/null opened from the runtime's side and checked to be
 * the real 1:3 character device (CVE-2025-31133). */
int rootfs_readonly_paths(const struct plan *plan, int rootfd, struct error *err);
int rootfs_mask_paths(const struct plan *plan, int rootfd, int nullfd, struct error *err);

/* Open and check the runtime's /dev/null before the container can touch anything. */
int rootfs_open_null(struct error *err);

/* root.readonly */
int rootfs_set_readonly(int rootfd, struct error *err);

/* pivot_root into the rootfs (or MS_MOVE + chroot with --no-pivot) and drop
 * the old root; a "shared" linux.rootfsPropagation is applied here, since
 * pivot_root refuses a shared new root. */
int rootfs_enter(const struct plan *plan, int rootfd, struct error *err);

#endif
