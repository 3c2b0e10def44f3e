/* cgroup.h: where a container's cgroup lives and its lifecycle.
 *
 * Works on the three layouts a host can have: legacy (v1 controllers only),
 * hybrid (v1 controllers plus a cgroup2 mount at /sys/fs/cgroup/unified) and
 * unified (cgroup2 at /sys/fs/cgroup).  A container's cgroup has one path,
 * relative to the root of every hierarchy, e.g. "/oci-rt/c1".
 */
#ifndef OCI_RT_CGROUP_H
#define OCI_RT_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

enum cgroup_mode {
	CGROUP_MODE_LEGACY,
	CGROUP_MODE_HYBRID,
	CGROUP_MODE_UNIFIED,
};

#define CGROUP_MAX_HIERARCHIES 24

struct cgroup_hierarchy {
	char *mountpoint;  /* "/sys/fs/cgroup/memory" */
	char *controllers; /* "memory", "cpu,cpuacct", "name=systemd", "" for cgroup2 */
	char *own;         /* this process's cgroup in it, from /proc/self/cgroup */
	bool v2;
};

struct cgroup_layout {
	enum cgroup_mode mode;
	struct cgroup_hierarchy h[CGROUP_MAX_HIERARCHIES];
	size_t n;
};

/* The host's layout, read once per process. */
const struct cgroup_layout *cgroup_layout(struct error *err);
const char *cgroup_mode_name(enum cgroup_mode mode);

/* The container's cgroup path (absolute within every hierarchy) from
 * linux.cgroupsPath: absolute as is; relative, or the default "<id>" when
 * absent, below this process's own cgroup. */
char *cgroup_resolve_path(const char *cgroups_path, const char *id, struct error *err);

struct cgroup {
	char *path;      /* relative to each hierarchy root, starts with '/' */
	int unified_fd;  /* O_DIRECTORY fd of the cgroup2 directory, -1 if none */
	bool created;    /* we made the leaf directories (delete removes them) */
};

/* mkdir -p the path in every hierarchy (initializing v1 cpuset ancestors). */
int cgroup_create(const char *path, struct cgroup *cg, struct error *err);
/* Move pid into the cgroup: in the v1 hierarchies, the v2 one, or both. */
#define CGROUP_ENTER_V1 1u
#define CGROUP_ENTER_V2 2u
int cgroup_enter(const struct cgroup *cg, pid_t pid, unsigned which, struct error *err);

/* The v1 hierarchies' "tasks" files of path (NULL-terminated; NULL when
 * there is no v1 hierarchy), for a process that moves itself. */
char **cgroup_v1_task_files(const char *path);
void cgroup_free_files(char **files);
/* Move the calling thread into each "tasks" file's cgroup by writing "0":
 * a thread moving itself skips the global threadgroup lock (and its RCU
 * grace period, ~10 ms) that moving another process takes. */
int cgroup_join_self(char *const *task_files, struct error *err);
/* Remove the leaf directory in every hierarchy; retries while it drains. */
int cgroup_destroy(const char *path, struct error *err);
void cgroup_release(struct cgroup *cg);

/* Directory of `path` in the hierarchy holding controller `ctrl`
 * ("memory", "freezer", ...; "" for cgroup2).  NULL when absent. */
char *cgroup_dir(const char *path, const char *ctrl);

bool cgroup_is_frozen(const char *path);

/* Host pids of every process in the cgroup and the cgroups below it (v2
 * or the v1 pids/freezer hierarchy). */
int cgroup_pids(const char *path, pid_t **pids, size_t *n, struct error *err);

/* Send sig to every process of the cgroup (cgroup.kill for SIGKILL when present). */
int cgroup_kill_all(const char *path, int sig, struct error *err);

#endif
