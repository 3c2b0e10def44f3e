/* foreground.h: the runtime staying with a process it started (run, and
 * exec without --detach) until it exits, as runc does: every signal the
 * runtime gets is passed on to it, its pty (if any) is relayed to the
 * runtime's stdio, and its wait status becomes the runtime's exit code. */
#ifndef OCI_RT_FOREGROUND_H
#define OCI_RT_FOREGROUND_H

#include <sys/types.h>

#include "error.h"

/* From now on, signals the runtime receives go to pid. */
void foreground_forward_signals(pid_t pid);

/* Wait for pid, reaping any other child too (a subreaper's orphans),
 * relaying console (a pty master, or -1; closed here) meanwhile.  Returns
 * the exit code: the process's status, or 128+signal. */
int foreground_wait(pid_t pid, int console, struct error *err);

#endif
