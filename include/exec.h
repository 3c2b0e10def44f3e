/* exec.h: a new process in an existing container (`oci-rt exec`).
 *
 * The process is resolved by cmd_exec.c into the same plan_process create
 * uses, and applied by the same code (process.c) in the exec child: see
 * exec.c for how the child gets into the container, sync.h for how it
 * talks to the runtime.
 */
#ifndef OCI_RT_EXEC_H
#define OCI_RT_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "container.h"
#include "error.h"
#include "plan.h"

struct exec_options {
	const char *console_socket;
	const char *pid_file;
	bool detach;
	unsigned preserve_fds;      /* fds 3 .. 3+preserve_fds-1 reach the process */
	const char *const *cgroups; /* --cgroup [<controller>[,...]:]<path>, relative to the container's */
	size_t n_cgroups;
	const struct spec_seccomp *seccomp; /* the container's, for a notify listener */
};

/* Run pp in container c (created or running; the caller checked its
 * status).  Returns 0 when detached (once the process runs), the process's
 * exit code (128+signal if killed) when attached, -1 when the runtime
 * failed (nothing is left running then). */
int exec_run(const struct container *c, const struct plan_process *pp, const struct exec_options *o,
	     struct error *err);

#endif
