/* devices.h: device nodes and the /dev symlinks of runtime-linux.md. */
#ifndef OCI_RT_DEVICES_H
#define OCI_RT_DEVICES_H

#include "error.h"
#include "plan.h"

/* Create plan->devices (mknod, or a bind of the host node inside a user
 * namespace) and, when the runtime sets up /dev, its standard symlinks.
 * /dev itself is opened without following symlinks: a rootfs whose /dev is
 * a symlink to a host directory gets an error, not nodes on the host. */
int devices_create(const struct plan *plan, int rootfd, struct error *err);

#endif
