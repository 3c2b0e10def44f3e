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

/* After changing uid: set permitted, effective, inheritable, then ambient. */
int caps_apply(const struct plan_caps *caps, struct error *err);

#endif
