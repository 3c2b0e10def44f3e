/* systemd_unit.h: --systemd-cgroup's cgroupsPath, the unit it names and
 * the cgroup systemd gives that unit (runc 1.1's rules, pure logic).
 *
 * cgroupsPath is "slice:prefix:name" (absent: ":runc:<id>"); the slice
 * defaults to "system.slice"; a name ending in ".slice" is itself a slice
 * unit, anything else the scope "<prefix>-<name>.scope".  The cgroup is the
 * expanded slice ("a-b.slice" -> "/a.slice/a-b.slice") and the unit below
 * it, the same path in every hierarchy.  The D-Bus side is systemd_bus.h.
 */
#ifndef OCI_RT_SYSTEMD_UNIT_H
#define OCI_RT_SYSTEMD_UNIT_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "spec.h"

struct systemd_unit {
	char *slice;  /* the parent slice unit: "system.slice" */
	char *prefix; /* "docker" */
	char *name;   /* "1234" */
	char *unit;   /* "docker-1234.scope", or name when it is a slice */
	char *path;   /* "/system.slice/docker-1234.scope" (systemd_unit_cgroup_path) */
	bool is_slice;
};

/* Fill u but its path from cgroupsPath (NULL or "" for the default of
 * container id); runc's error for a path not of the form. */
int systemd_unit_parse(const char *cgroups_path, const char *id, struct systemd_unit *u,
		       struct error *err);
/* Fill u->path; runc's error for an invalid slice name.  Separate because
 * runc checks the slice only once it knows systemd runs. */
int systemd_unit_cgroup_path(struct systemd_unit *u, struct error *err);
void systemd_unit_release(struct systemd_unit *u);

/* runc's ExpandSlice: "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice",
 * "-.slice" -> "/".  *out is malloc'ed. */
int systemd_unit_expand_slice(const char *slice, char **out, struct error *err);

/* The unit of a cgroup path systemd_unit_parse made (its last component),
 * for delete, which has only the path from the state.  NULL when none. */
const char *systemd_unit_from_path(const char *path);

/* runc's CPUQuotaPerSecUSec for linux.resources.cpu: false when neither
 * quota nor period is set; UINT64_MAX is "infinity" (no quota). */
bool systemd_unit_cpu_quota_per_sec(const struct spec_cpu *c, uint64_t *usec);

#endif
