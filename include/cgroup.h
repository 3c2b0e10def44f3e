/* cgroup.h: where a container's cgroup lives and its lifecycle.
 *
 * Works on the three layouts a host can have: legacy (v1 controllers only),
 * hybrid (v1 controllers plus a cgroup2 mount at /sys/fs/cgroup/unified) and
 * unified (cgroup2 at /sys/fs/cgroup).  A container has one directory per
 * hierarchy: like runc, a relative cgroupsPath (and the default, the id) is
 * taken below the creator's own cgroup in *each* hierarchy, and those can
 * differ (memory is often delegated deeper than the rest).
 *
 * Resources (cgroup_resources.c) go to the v1 hierarchy of their controller,
 * or, when there is none, to the cgroup2 hierarchy if it has the controller
 * (hybrid hosts give hugetlb to cgroup2); a field no hierarchy can honour is
 * an error naming the field.
 */
#ifndef OCI_RT_CGROUP_H
#define OCI_RT_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

enum cgroup_mode {
	CGROUP_MODE_LEGACY,
	CGROUP_MODE_HYBRID,
	CGROUP_MODE_UNIFIED,
};

#define CGROUP_MAX_HIERARCHIES 24

struct cgroup_hierarchy {
	char *mountpoint;  /* "/sys/fs/cgroup/memory" */
	char *root;        /* the hierarchy's path mounted there ("/" on a host) */
	char *controllers; /* "memory", "cpu,cpuacct", "name=systemd", "" for cgroup2 */
	char *own;         /* this process's cgroup in it, from /proc/self/cgroup */
	bool v2;
};

struct cgroup_layout {
	enum cgroup_mode mode;
	struct cgroup_hierarchy h[CGROUP_MAX_HIERARCHIES];
	size_t n;
	int v2; /* index of the cgroup2 hierarchy, -1 when none */
};

/* The host's layout, read once per process. */
const struct cgroup_layout *cgroup_layout(struct error *err);
const char *cgroup_mode_name(enum cgroup_mode mode);

/* A container's cgroup: its directory in each hierarchy of the layout. */
struct cgroup {
	char *path;                           /* the resolved path, as the unified (else first) hierarchy has it */
	char *dir[CGROUP_MAX_HIERARCHIES];    /* absolute directory in hierarchy i; NULL: not in it */
	char *made[CGROUP_MAX_HIERARCHIES];   /* the topmost directory create made in hierarchy i
					       * (dir[i] or an ancestor); NULL: dir[i] was there */
	int unified_fd;                       /* O_PATH fd of the cgroup2 directory, -1 if none */
	int tasks_fd[CGROUP_MAX_HIERARCHIES]; /* cgroup_open_tasks: the v1 "tasks" files, for writing */
	size_t n_tasks_fd;
};

/* Fill cg from linux.cgroupsPath: absolute as is; relative, or the default
 * "<id>" when absent, below this process's own cgroup in each hierarchy.
 * Nothing is created. */
int cgroup_resolve(const char *cgroups_path, const char *id, struct cgroup *cg, struct error *err);

/* Which hierarchies an operation touches: the v1 ones, the v2 one, or both. */
#define CGROUP_ENTER_V1 1u
#define CGROUP_ENTER_V2 2u

/* mkdir -p the directory in the hierarchies `which` selects (initializing
 * v1 cpuset ancestors, enabling every cgroup2 controller on the way down on
 * a unified host), remembering which leaves it made.  On failure what this
 * call made is removed again. */
int cgroup_create(struct cgroup *cg, unsigned which, struct error *err);

/* Move pid into the cgroup. */
int cgroup_enter(const struct cgroup *cg, pid_t pid, unsigned which, struct error *err);

/* The v1 hierarchies' "tasks" files of cg (NULL-terminated; NULL when
 * there is no v1 hierarchy), for a process that moves itself. */
char **cgroup_v1_task_files(const struct cgroup *cg);
void cgroup_free_files(char **files);
/* Open task_files (cgroup_v1_task_files of cg) into cg->tasks_fd, closed
 * by cgroup_release, for a child to join by: opening a cgroup file and its
 * last close cost twice what the write does, and the runtime can pay them
 * while the init works. */
int cgroup_open_tasks(struct cgroup *cg, char *const *task_files, struct error *err);
/* Move the calling thread into each "tasks" file's cgroup by writing "0":
 * a thread moving itself skips the global threadgroup lock (and its RCU
 * grace period, ~10 ms) that moving another process takes.  fds (n_fds,
 * borrowed) are the files opened by cgroup_open_tasks, or none (n_fds 0):
 * the files are opened by path. */
int cgroup_join_self(char *const *task_files, const int *fds, size_t n_fds, struct error *err);

/* Remove the directories create made, and only those: the container's
 * (retrying while it drains) and the ancestors made for it that nothing
 * else uses now.  Thaws first: a frozen cgroup's tasks cannot exit. */
int cgroup_destroy(const struct cgroup *cg, struct error *err);
void cgroup_release(struct cgroup *cg);

/* The state directory's record: hierarchy controllers ("" for cgroup2) ->
 * directory, and -> the topmost directory create made there. */
void cgroup_save(const struct cgroup *cg, struct spec_kv_array *dirs, struct spec_kv_array *made);
/* ... and back.  A record without dirs (older state) means `path` in every
 * hierarchy, made by create. */
int cgroup_load(const char *path, const struct spec_kv_array *dirs, const struct spec_kv_array *made,
		struct cgroup *cg, struct error *err);

/* Directory of cg in the hierarchy holding controller `ctrl` ("memory",
 * "freezer", ...; "" for cgroup2), borrowed from cg.  NULL when absent. */
const char *cgroup_dir(const struct cgroup *cg, const char *ctrl);
/* Index of the v1 hierarchy holding ctrl, -1 when none. */
int cgroup_v1_index(const char *ctrl);
/* Does the cgroup2 directory offer ctrl (its cgroup.controllers)? */
bool cgroup_v2_has(const char *dir, const char *ctrl);
/* Enable ctrl in cgroup.subtree_control of every ancestor of dir below the
 * cgroup2 mount (hybrid hosts: only what a resource needs). */
int cgroup_v2_enable(const char *dir, const char *ctrl, struct error *err);

/* Freeze or thaw every process, waiting until the kernel says it is done
 * (v1 freezer, else cgroup.freeze). */
int cgroup_freeze(const struct cgroup *cg, bool frozen, struct error *err);
bool cgroup_is_frozen(const struct cgroup *cg);

/* Host pids of every process in the cgroup and the cgroups below it (v2
 * or the v1 pids/freezer hierarchy). */
int cgroup_pids(const struct cgroup *cg, pid_t **pids, size_t *n, struct error *err);

/* Send sig to every process of the cgroup (cgroup.kill for SIGKILL when present). */
int cgroup_kill_all(const struct cgroup *cg, int sig, struct error *err);

/* ---- resources (cgroup_resources.c) ---------------------------------- */

/* Apply linux.resources (r may be NULL) but its device rules.  update
 * treats the zero values runc's update sends for "unchanged" as unchanged. */
#define CGROUP_SET_CREATE 1u
#define CGROUP_SET_UPDATE 2u
int cgroup_set_resources(const struct cgroup *cg, const struct spec_resources *r, unsigned flags,
			 struct error *err);

/* The device rules of create (cgroup_devices.c): linux.resources.devices in
 * order, then runc's default allowed devices (those of them whose path
 * linux.devices redefines left out), as v1 devices.allow/deny writes or a
 * cgroup2 BPF program.  Every container gets them, resources or not. */
int cgroup_set_devices(const struct cgroup *cg, const struct spec_device_cgroup_array *rules,
		       const struct spec_device_array *devices, struct error *err);

/* ---- stats and oom events (cgroup_stats.c) ---------------------------- */

/* runc's `events` stats object ("data" of a stats event), as JSON. */
char *cgroup_stats_json(const struct cgroup *cg, struct error *err);

/* An fd that becomes readable when an OOM kill happened in the cgroup or
 * the cgroup went away; cgroup_oom_read() then says which (1 oom, 0 gone,
 * 2 nothing yet, -1 error). */
struct cgroup_oom_watch {
	int fd;
	int oom_fd;    /* v1: memory.oom_control; v2: unused */
	char *events;  /* v2: memory.events path */
	char *cgevents; /* v2: cgroup.events path; v1: the cgroup directory */
	uint64_t kills;
	bool v2;
};
int cgroup_oom_watch(const struct cgroup *cg, struct cgroup_oom_watch *w, struct error *err);
int cgroup_oom_read(struct cgroup_oom_watch *w, struct error *err);
void cgroup_oom_unwatch(struct cgroup_oom_watch *w);

#endif
