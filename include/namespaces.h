/* namespaces.h: which namespaces a container gets and how it enters them.
 *
 * New namespaces are created by the one clone3() of the init.  Namespaces
 * joined by `path` are opened (and their type checked) by the runtime before
 * the clone.  Who enters them:
 *
 *  - ipc, uts, net, cgroup, time, mount: the init, after the clone
 *    (ns_join_remaining), in that order, mount last;
 *  - pid: only decides where the *next* child is born, so the runtime
 *    enters it for the clone and returns to its own right after
 *    (ns_enter_pid_for_children);
 *  - user: must be entered before the clone (the new namespaces belong to
 *    the user namespace of their creator) and cannot be left again, so a
 *    short-lived helper child enters it (with every other joined namespace,
 *    ns_join_before_clone) and clones the init for the runtime.  The same
 *    helper is used when a new user namespace comes with namespaces joined
 *    by path: from inside the new user namespace the init could not enter
 *    namespaces owned by the runtime's.
 */
#ifndef OCI_RT_NAMESPACES_H
#define OCI_RT_NAMESPACES_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "plan.h"
#include "spec.h"

unsigned long ns_clone_flag(int spec_ns_type);
const char *ns_proc_name(int spec_ns_type); /* "mnt", "pid", ... as in /proc/<pid>/ns */

/* Fill plan->clone_flags, ns_join_fd, ns_all, maps, userns; check the id
 * mappings, linux.timeOffsets, and that every linux.sysctl key lives in a
 * namespace of the container's own (runc's rules and messages). */
int ns_plan(const struct spec *spec, struct plan *plan, struct error *err);

/* Parent: write the uid/gid maps of the init's new user namespace. */
int ns_write_id_maps(pid_t pid, const struct plan_id_map *maps, struct error *err);

/* Parent, before the clone: prepare a time namespace with linux.timeOffsets
 * for the child to be born in (unshare + timens_offsets).  *own_fd gets an
 * fd of the runtime's own time namespace, to return to after the clone. */
int ns_prepare_time(const struct spec *spec, const struct plan *plan, int *own_fd, struct error *err);

/* Parent, before the clone: the next child is born in the pid namespace
 * of target (an nsfs fd, or a pidfd: exec), if target >= 0.  *own_fd (-1
 * when target is -1) gets the runtime's pid_for_children; setns() back to
 * it right after the clone. */
int ns_enter_pid_for_children(int target, int *own_fd, struct error *err);

/* Whether the init must be cloned by a helper child (see above). */
bool ns_join_needs_helper(const struct plan *plan);

/* Helper child: enter the pid namespace (for children), every other
 * namespace joined by path and the user namespace, so that the init it
 * clones next is born in all of them.  The fds are closed and set to -1 in
 * the helper's copy of the plan, which the init inherits: it joins nothing. */
int ns_join_before_clone(struct plan *plan, struct error *err);

/* Init (once the maps are written) and exec child (after joining the
 * container's user namespace): become root of the user namespace (uid and
 * gid 0, no supplementary groups). */
int ns_become_root(struct error *err);

/* Init, in its namespaces, before the pivot: write linux.sysctl. */
int ns_write_sysctls(const struct plan *plan, struct error *err);

/* Init: setns() into every namespace joined by path except user and pid. */
int ns_join_remaining(const struct plan *plan, struct error *err);

#endif
