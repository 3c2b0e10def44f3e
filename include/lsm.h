/* lsm.h: AppArmor profiles and SELinux labels: process.apparmorProfile,
 * process.selinuxLabel and linux.mountLabel.
 *
 * Labels take effect at the process's next execve and are written to
 * /proc/self/attr/... through a procfs the runtime verified itself
 * (fs_open_proc), never through the container's /proc, which the image or
 * the config may have replaced (CVE-2019-16884, CVE-2025-52881).
 */
#ifndef OCI_RT_LSM_H
#define OCI_RT_LSM_H

#include <stdbool.h>

#include "error.h"
#include "plan.h"

/* What the host has (runc's tests: securityfs entry and module parameter
 * for AppArmor, a mounted selinuxfs for SELinux). */
bool lsm_apparmor_enabled(void);
bool lsm_selinux_enabled(void);

/* In the runtime: refuse SELinux labels on a host without SELinux (runc's
 * message), and put linux.mountLabel on the mounts that take one. */
int lsm_plan(const struct spec *spec, struct plan *plan, struct error *err);

/* In the child, before its last execve: write pp's labels through proc (a
 * fs_open_proc fd, or -1 to open the caller's /proc now).  Nothing to do
 * without labels. */
int lsm_apply(const struct plan_process *pp, int proc, struct error *err);

#endif
