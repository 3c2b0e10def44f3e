/* plan.h: what create will do, computed from the spec before the clone.
 *
 * spec (typed config.json) -> plan (this: every option parsed, every name
 * resolved to a number, every path checked) -> apply (the init, in kernel
 * order).  The init inherits the plan through the clone and only applies it:
 * no parsing, no allocation-heavy work, no decisions that could have been
 * made earlier.  `oci-rt --debug create` prints the plan.
 */
#ifndef OCI_RT_PLAN_H
#define OCI_RT_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

struct cgroup;

struct plan_mount {
	const char *destination; /* absolute, inside the container */
	const char *source;      /* host path for binds; fs source otherwise */
	const char *type;        /* filesystem type; NULL for binds */
	bool bind;
	bool recursive;      /* rbind */
	bool source_is_dir;  /* binds: create a directory (else a file) as mount point */
	uint64_t attr_set;   /* MOUNT_ATTR_* on this mount */
	uint64_t attr_clr;
	uint64_t rattr_set;  /* MOUNT_ATTR_* on the whole tree (rro, rnosuid, ...) */
	uint64_t rattr_clr;
	unsigned long propagation; /* MS_SHARED/SLAVE/PRIVATE/UNBINDABLE, maybe | MS_REC */
	unsigned long sb_flags;    /* superblock flags: MS_SYNCHRONOUS, MS_DIRSYNC, ... */
	char **data;               /* filesystem options, "key" or "key=value", NULL-terminated */
	bool tmpcopyup;
	bool cgroup;               /* type "cgroup": the container's view of its cgroups */
};

struct plan_device {
	const char *path; /* absolute, inside the container */
	mode_t mode;      /* S_IFCHR/S_IFBLK/S_IFIFO | permissions */
	dev_t rdev;
	uid_t uid;
	gid_t gid;
	bool bind_from_host; /* in a user namespace mknod is not allowed */
	bool path_owned;     /* path is the plan's cleaned copy, freed with it */
};

struct plan_rlimit {
	int resource;
	struct rlimit limit;
};

struct plan_caps {
	uint64_t bounding, effective, permitted, inheritable, ambient;
};

struct plan_seccomp; /* seccomp_filter.h */

struct plan_id_map {
	char *uid_map; /* "container host size\n" lines; NULL when no user namespace */
	char *gid_map;
};

/* The process to run: shared by create's init and exec, one code path. */
struct plan_process {
	char **argv;
	char **envp;
	const char *cwd;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t n_groups;
	bool has_umask;
	mode_t umask;
	struct plan_rlimit *rlimits;
	size_t n_rlimits;
	bool has_caps;
	struct plan_caps caps;
	bool no_new_privs;
	bool has_oom_score_adj;
	int oom_score_adj;
	bool terminal;
	unsigned short console_rows, console_cols; /* consoleSize; 0 when not set */
	/* process.apparmorProfile, process.selinuxLabel (lsm.h); NULL if unset */
	const char *apparmor_profile;
	const char *selinux_label;
	/* linux.seccomp as BPF (seccomp_filter_build), NULL for none; loaded by
	 * process_exec, or by process_apply when it has a notify listener */
	struct plan_seccomp *seccomp;
	/* where the child sends that listener (SYNC_INIT_SECCOMP): set by the
	 * caller that holds the sync socket; -1 when none */
	int seccomp_sock;
	/* env has no HOME: envp is the plan's own copy with this slot (just
	 * before the NULL) reserved for HOME, filled from the container's
	 * /etc/passwd at apply time, as runc does; -1 when env sets HOME */
	int home_slot;
	bool envp_owned;
};

struct plan {
	const struct spec *spec;
	const char *id;
	char *bundle;  /* absolute */
	char *rootfs;  /* absolute */

	/* namespaces */
	unsigned long clone_flags;    /* CLONE_NEW* to create */
	int ns_join_fd[SPEC_NS_COUNT]; /* fds of namespaces joined by path, -1 otherwise */
	unsigned long ns_all;         /* every CLONE_NEW* the container has (new or joined) */
	struct plan_id_map maps;
	bool userns;                  /* the init runs in a user namespace (new or joined) */

	/* filesystem */
	struct plan_mount *mounts;
	size_t n_mounts;
	struct plan_device *devices; /* defaults of runtime-linux.md, then linux.devices */
	size_t n_devices;
	bool dev_is_mounted;   /* /dev is not bound from the host: the runtime sets it up
				* (default devices, symlinks); see plan_mounts */
	unsigned long root_propagation;
	bool root_readonly;
	bool no_pivot;

	struct plan_process process;
	const char *hostname;
	const char *domainname;
	struct spec_kv_array sysctl; /* validated keys */
	const struct cgroup *cgroup; /* the container's cgroup, for the "cgroup" mount (create's) */

	/* how the init learns it may exec: exec.fifo (create) or the sync socket (run) */
	bool start_via_fifo;
	int fifo_fd; /* opened read-write by the runtime, inherited by the init */

	/* v1 hierarchies' "tasks" files of the container's cgroup, which the
	 * init writes "0" to itself: a thread moving itself skips the global
	 * threadgroup lock (and its RCU grace period, ~10 ms) that moving
	 * another process takes.  NULL when the runtime must move the init
	 * (user namespaces: the init has no rights on the host's cgroupfs). */
	char **cgroup_tasks;
	int preserve_fds; /* fds 3 .. 3+preserve_fds-1 reach the process */

	/* prestart/createRuntime hooks: the init stops for the runtime to run them */
	bool has_runtime_hooks;

	/* the cgroup namespace is made by the init after it joined its cgroup
	 * (when clone3 could not place it there: v1 and hybrid hosts) */
	bool cgroupns_late;
	/* The v1 directories are made and limited by the runtime after the
	 * clone, while the init prepares its rootfs: the init waits for
	 * SYNC_PARENT_CGROUPS_READY (with their "tasks" files, open) before
	 * its first cgroup mount (which binds them), or after its mounts, and
	 * moves itself in once its mounts and devices are made, before any
	 * hook; the runtime sets the limits meanwhile and has them in before
	 * it runs a hook or create returns (create.c, cgroups_can_defer) */
	bool cgroups_deferred;
};

struct plan_options {
	const char *id;
	const char *bundle;
	bool no_pivot;
	bool rootless;
	unsigned preserve_fds;
	bool detach;
};

int plan_build(const struct spec *spec, const struct plan_options *opts, struct plan *plan,
	       struct error *err);
void plan_release(struct plan *plan);
void plan_print(const struct plan *plan);

/* mount options -> plan_mount fields (mount_options.c) */
int mount_options_parse(const struct spec_mount *m, struct plan_mount *pm, struct error *err);
void mount_options_release(struct plan_mount *pm);
/* Every option name mount_options_parse understands (for `features`). */
const char *const *mount_option_names(void);
size_t mount_option_count(void);

#endif
