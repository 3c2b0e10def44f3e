/* namespaces.h: which namespaces a container gets and how it enters them.
 *
 * New namespaces are created by the one clone3() of the init.  Namespaces
 * joined by `path` are opened (and their type checked) by the runtime before
 * the clone; the user and pid ones must be entered before the clone (they
 * decide what the clone creates), the others are entered by the init. */
#ifndef OCI_RT_NAMESPACES_H
#define OCI_RT_NAMESPACES_H

#include <sys/types.h>

#include "error.h"
#include "plan.h"
#include "spec.h"

unsigned long ns_clone_flag(int spec_ns_type);
const char *ns_proc_name(int spec_ns_type); /* "mnt", "pid", ... as in /proc/<pid>/ns */

/* Fill plan->clone_flags, ns_join_fd, ns_all, maps, userns. */
int ns_plan(const struct spec *spec, struct plan *plan, struct error *err);

/* Parent: write the uid/gid maps of the init's new user namespace. */
int ns_write_id_maps(pid_t pid, const struct plan_id_map *maps, struct error *err);

/* Parent, before the clone: prepare a time namespace with linux.timeOffsets
 * for the child to be born in (unshare + timens_offsets).  *own_fd gets an
 * fd of the runtime's own time namespace, to return to after the clone. */
int ns_prepare_time(const struct spec *spec, const struct plan *plan, int *own_fd, struct error *err);

/* Init: setns() into every namespace joined by path except user and pid. */
int ns_join_remaining(const struct plan *plan, struct error *err);

#endif
