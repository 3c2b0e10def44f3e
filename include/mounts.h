/* mounts.h: attaching mounts inside the rootfs with the new mount API. */
#ifndef OCI_RT_MOUNTS_H
#define OCI_RT_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "plan.h"

/* The config's mounts [from, to), in order.  rootfd is the rootfs directory.
 * A mount without a propagation option of its own gets
 * linux.rootfsPropagation (recursively for rbind), set right after it is
 * attached: while a bind is still the slave of its source, so that "slave"
 * keeps receiving the host's mounts and "private" stops. */
int mounts_apply(const struct plan *plan, int rootfd, size_t from, size_t to, struct error *err);

/* The index of the first mount of the container's cgroups (type cgroup or
 * cgroup2); n_mounts when there is none. */
size_t mounts_first_cgroup(const struct plan *plan);

/* A new detached filesystem (fsopen/fsconfig/fsmount) whose mount has the
 * MOUNT_ATTR_* flags `attr` (what fsmount accepts); returns its mount fd. */
int mounts_new_fs(const char *type, const char *source, char *const *data, unsigned long sb_flags, uint64_t attr,
		  struct error *err);
int mounts_set_attr(int mfd, uint64_t set, uint64_t clr, bool recursive, struct error *err);
int mounts_set_propagation(int mfd, unsigned long propagation, struct error *err);
/* move_mount the detached mount onto the O_PATH fd targetfd. */
int mounts_attach(int mfd, int targetfd, struct error *err);

#endif
