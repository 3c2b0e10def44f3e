/* terminal.h: the container's pseudo-terminal (process.terminal).
 *
 * The pty is allocated inside the container, from the devpts instance at
 * its /dev/pts, by the process that will exec (create's init, or the exec
 * child): its slave becomes that process's controlling terminal and stdio
 * (and, for the init, /dev/console); its master goes to the runtime
 * (SYNC_INIT_CONSOLE), which hands it on to --console-socket or, in a
 * foreground run or exec, relays it to its own stdio.
 */
#ifndef OCI_RT_TERMINAL_H
#define OCI_RT_TERMINAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "plan.h"

/* ---- inside the container ---- */

/* Open rootfd's /dev/pts/ptmx (reached without symlinks, checked to be a
 * devpts ptmx), take the slave by TIOCGPTPEER, apply the consoleSize, bind
 * the slave over /dev/console (made with O_NOFOLLOW) when `console`, make
 * it the controlling terminal and fds 0-2 of this process, owned by the
 * process's uid, and send the master over `sock`. */
int terminal_setup(int rootfd, const struct plan_process *pp, bool console, int sock,
		   struct error *err);

/* ---- in the runtime ---- */

/* Connect to --console-socket: done before the container process exists,
 * so that a wrong path fails before anything was made. */
int terminal_socket_connect(const char *path, struct error *err);

/* Hand the master on: one sendmsg with the name and exactly one fd. */
int terminal_socket_send(int sock, int master, struct error *err);

/* Relay between the runtime's stdio and the pty master until process pid
 * has exited (reaping it and any other child: *wstatus gets pid's wait
 * status) and its output is drained: stdin in raw mode while it is a
 * terminal, its window size copied to the pty now and on every SIGWINCH.
 * Signals other than SIGCHLD and SIGWINCH are left to the caller's
 * handlers.  Closes master. */
int terminal_relay(int master, pid_t pid, int *wstatus, struct error *err);

#endif
