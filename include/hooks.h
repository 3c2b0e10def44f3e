/* hooks.h: running OCI hooks (config.md "POSIX-platform Hooks"). */
#ifndef OCI_RT_HOOKS_H
#define OCI_RT_HOOKS_H

#include "error.h"
#include "spec.h"

/* Run each hook in order with the state JSON on its stdin; stop at the first
 * failure ("error running <name> hook #<i>: ..."), killing a hook that runs
 * past its timeout.  state_json may be NULL (empty stdin).  A hook without
 * env of its own gets default_env (startContainer: the process's, as runc
 * does), or an empty environment when that is NULL. */
int hooks_run(const struct spec_hook_array *hooks, const char *name, const char *state_json,
	      char *const *default_env, struct error *err);

#endif
