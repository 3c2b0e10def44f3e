/* init.h: the container's init (the child of create's clone3). */
#ifndef OCI_RT_INIT_H
#define OCI_RT_INIT_H

#include "plan.h"

/* Apply the plan, report over sock (see sync.h), wait for start, exec.
 * Never returns. */
__attribute__((noreturn)) void init_main(const struct plan *plan, int sock);

#endif
