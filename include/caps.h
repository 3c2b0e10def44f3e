/* caps.h: process capabilities (libcap), resolved in the plan, applied in the init. */
#ifndef OCI_RT_CAPS_H
#define OCI_RT_CAPS_H

#include <stdint.h>

#include "error.h"
#include "plan.h"
#include "spec.h"

/* Names ("CAP_KILL") -> bit mask.  Unknown names are an error naming `which`. */
int caps_from_names(const struct strv *names, uint64_t *mask, const char *which,
		    struct error *err);

/* The highest capability the running kernel knows. */
int caps_last_cap(void);

/* Before changing uid: drop what is not in the bounding set and keep the
 * permitted set across setuid (PR_SET_KEEPCAPS). */
int caps_prepare(const struct plan_caps *caps, struct error *err);

/* After changing uid: set permitted, effective, inheritable, then ambient,
 * and stop keeping capabilities across uid changes.  A capability the
 * runtime does not hold is an error naming it. */
int caps_apply(const struct plan_caps *caps, struct error *err);

/* After changing uid, when a later step still needs capabilities the
 * process will not keep (CAP_SYS_ADMIN to load a seccomp filter without
 * no_new_privs): the configured sets plus `extra` in permitted and
 * effective.  caps_apply (or caps_drop_all) finishes the job. */
int caps_hold(const struct plan_caps *caps, uint64_t extra, struct error *err);

/* No capabilities configured, a non-root user, and capabilities kept
 * across setuid only for a later step: raise `extra` in the effective set
 * now, then drop permitted and effective as setuid would have. */
int caps_raise_effective(uint64_t extra, struct error *err);
int caps_drop_all(struct error *err);

#endif
