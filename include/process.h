/* process.h: the container process, from `process` in config.json (create)
 * or process.json (exec), applied by one code path in both cases. */
#ifndef OCI_RT_PROCESS_H
#define OCI_RT_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "plan.h"
#include "spec.h"

/* Validate and resolve a spec process into a plan_process.  The plan points
 * into *p; `what` prefixes messages ("config.json: .process"). */
int process_plan_build(const struct spec_process *p, const char *what, struct plan_process *pp,
		       struct error *err);
void process_plan_release(struct plan_process *pp);

/* In the child, inside the container's namespaces and root, in this order:
 * rlimits, umask, groups/gid/uid with capabilities kept as configured,
 * no_new_privs, cwd.  Then the executable is looked up with the process's
 * PATH and its full path written to `path`.  A seccomp filter with a notify
 * listener is loaded last, and the listener sent on pp->seccomp_sock
 * (SYNC_INIT_SECCOMP); any other filter waits for process_exec.  Labels
 * (lsm_apply) are the caller's: they need a procfs opened before the
 * container's root. */
int process_apply(const struct plan_process *pp, char *path, size_t path_len, struct error *err);

/* Close every fd from `first` up, except `keep` (the init's sync socket):
 * nothing the runtime held (cgroup dirs, log file, the caller's other fds)
 * may stay open in the container's init (CVE-2024-21626). */
int process_close_fds(int first, const int *keep, size_t n_keep, struct error *err);

/* clone3 into cgroup_fd (a cgroup2 directory; -1 for none) when the
 * kernel can (*into_cgroup tells), else plain: the child of create's init
 * and of exec.  Returns as fork() does. */
pid_t process_clone(unsigned long flags, int cgroup_fd, bool *into_cgroup);

/* Parent: write the process's oomScoreAdj (if any) for child pid. */
int process_set_oom_score_adj(pid_t pid, const struct plan_process *pp, struct error *err);

/* Reset the signals the runtime ignores or blocks, load the seccomp
 * filter (unless process_apply did), then execve; never returns on
 * success.  Every child that runs a container process ends here, so that
 * it gets the filter. */
int process_exec(const struct plan_process *pp, const char *path, struct error *err);

/* Parse "uid[:gid]" (exec -u) strictly. */
int process_parse_user(const char *s, uid_t *uid, gid_t *gid, bool *has_gid, struct error *err);

#endif
