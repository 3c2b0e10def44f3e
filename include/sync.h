/* sync.h: the protocol between the runtime (parent) and the container's init.
 *
 * One SOCK_SEQPACKET socketpair, made by create before the clone; every
 * message is one packet: a sync_hdr, then `len` bytes of payload, and for
 * the messages marked [fd] one file descriptor as SCM_RIGHTS ([fds]: up to
 * SYNC_FDS_MAX).  The init's end
 * is close-on-exec, so a successful execve shows up as EOF in the parent.
 *
 * In order, for one create:
 *
 *   parent                                   init
 *   ------                                   ----
 *   clone3(all namespaces) ------------------> (born, waits)
 *     (with a user namespace joined by path, or a new one next to other
 *      namespaces joined by path, see namespaces.h: a helper child enters
 *      the namespaces, clones the init with CLONE_PARENT, sends
 *      SYNC_HELPER_PID [payload: int32_t pid of the init, in the
 *      runtime's pid namespace] or SYNC_INIT_ERROR, and exits)
 *   write uid_map/gid_map, join cgroups
 *   SYNC_PARENT_SETUP_DONE ----------------->
 *                                            join namespaces by path, sysctls,
 *                                            self-protection ...
 *   (plan.cgroups_deferred: make the v1      mounts up to the first cgroup one
 *    cgroups, open their "tasks" files)
 *   SYNC_PARENT_CGROUPS_READY [fds] -------->  (only when deferred; the fds:
 *                                             the "tasks" files)
 *   (deferred: set their limits)             the other mounts, devices, then
 *   write config.json, state.json            move into them ("0" to tasks)
 *                       <------------------- SYNC_INIT_HOOKS       (only if prestart/createRuntime hooks)
 *   run prestart, createRuntime hooks
 *   SYNC_PARENT_HOOKS_DONE ----------------->
 *                                            createContainer hooks, pivot_root,
 *                                            masked/readonly paths, /dev/console
 *                       <------------------- SYNC_INIT_CONSOLE [fd] (only with process.terminal)
 *                                            user, caps; a seccomp filter with
 *                                            a notify rule is loaded here and
 *                       <------------------- SYNC_INIT_SECCOMP [fd] its listener sent up
 *                                            (the runtime passes it to the agent)
 *                       <------------------- SYNC_INIT_READY
 *   pid file; exit                           blocks on exec.fifo (create)
 *                                            or waits for SYNC_PARENT_START (run)
 *   SYNC_PARENT_START ---------------------->  (run only)
 *                                            startContainer hooks, any other
 *                                            seccomp filter, then execve
 *                       <------------------- EOF on execve
 *
 * At any step the init may send SYNC_INIT_ERROR (payload: struct error) and
 * exit; the parent reports that message and cleans up.
 *
 * For one exec (exec.c), with the exec child, which plays the init's part
 * with the same messages:
 *
 *   parent                                   exec child
 *   ------                                   ----------
 *   setns(pid_for_children: the init's),
 *   clone3(CLONE_INTO_CGROUP) --------------> (born in the container's pid
 *                                              namespace and v2 cgroup)
 *                                            write "0" to the v1 "tasks" files
 *   (v2 cgroup.procs if clone3 could not
 *    place it; oomScoreAdj)
 *   SYNC_PARENT_SETUP_DONE ----------------->
 *                                            setns(init's pidfd, every other
 *                                            namespace: user first)
 *                       <------------------- SYNC_INIT_CONSOLE [fd] (only with process.terminal)
 *                                            user, caps, cwd ... (process_apply)
 *                       <------------------- EOF on execve
 *   write the pid file; exit (--detach)
 *   or relay and wait for it
 *
 * Here too SYNC_INIT_ERROR ends the conversation at any step.
 */
#ifndef OCI_RT_SYNC_H
#define OCI_RT_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum sync_type {
	/* parent -> init */
	SYNC_PARENT_SETUP_DONE = 1, /* maps written, cgroups made (unless deferred) */
	SYNC_PARENT_HOOKS_DONE,     /* runtime-namespace hooks ran */
	SYNC_PARENT_START,          /* run: exec the process now */
	SYNC_PARENT_CGROUPS_READY,  /* [fds] deferred v1 cgroups made and limited */
	/* init -> parent */
	SYNC_INIT_HOOKS,   /* filesystem ready: run prestart/createRuntime */
	SYNC_INIT_CONSOLE, /* [fd] pty master */
	SYNC_INIT_SECCOMP, /* [fd] seccomp notify listener */
	SYNC_INIT_READY,   /* set up and waiting for start */
	SYNC_INIT_ERROR,   /* payload: struct error */
	/* namespace helper -> parent */
	SYNC_HELPER_PID, /* payload: int32_t, the init's pid */
};

/* Payloads are bounded; anything longer is a protocol error, never trusted. */
#define SYNC_PAYLOAD_MAX 4096
/* So are the fds of one message: more is a protocol error. */
#define SYNC_FDS_MAX 32

struct sync_hdr {
	uint32_t type;
	uint32_t len;
};

struct sync_msg {
	enum sync_type type;
	uint32_t len;
	unsigned n_fds; /* received, owned by the message until taken */
	int fds[SYNC_FDS_MAX];
	char payload[SYNC_PAYLOAD_MAX];
};

const char *sync_type_name(enum sync_type type);

/* Send one message; pass_fd < 0 for none. */
int sync_send(int sock, enum sync_type type, const void *payload, uint32_t len, int pass_fd,
	      struct error *err);
/* Send one message without payload carrying n_fds (<= SYNC_FDS_MAX) fds. */
int sync_send_fds(int sock, enum sync_type type, const int *fds, size_t n_fds, struct error *err);
/* The one fd of an [fd] message (-1 when none came); any others are
 * closed.  The message owns no fd afterwards. */
int sync_take_fd(struct sync_msg *msg);
/* Close the fds the message still owns. */
void sync_msg_close(struct sync_msg *msg);
static inline void sync_msg_closep(struct sync_msg *msg)
{
	sync_msg_close(msg);
}
#define cleanup_sync_msg __attribute__((cleanup(sync_msg_closep)))

/* Receive one message.  EOF is reported as an error mentioning `what`. */
int sync_recv(int sock, struct sync_msg *msg, struct error *err);

/* Receive and require `type`; a SYNC_INIT_ERROR becomes *err. */
int sync_expect(int sock, enum sync_type type, struct sync_msg *msg, struct error *err);

/* A SYNC_INIT_CONSOLE's pty master into *fd, which must still be -1 (one
 * console per process). */
int sync_take_console(struct sync_msg *msg, int *fd, struct error *err);

/* A message the receiver has no use for: its fd closed, a protocol error
 * naming it and `from`; returns -1. */
int sync_unexpected(struct sync_msg *msg, const char *from, struct error *err);

/* The init's error carried by a SYNC_INIT_ERROR message, into *err; returns -1. */
int sync_take_error(const struct sync_msg *msg, struct error *err);

/* Receive one message; *eof is set instead when the peer's end closed
 * (its execve, in an exec). */
int sync_recv_eof(int sock, struct sync_msg *msg, bool *eof, struct error *err);

/* After SYNC_PARENT_START: 0 once the init's end closes (it reached execve),
 * -1 with the init's error if it sent one instead. */
int sync_wait_exec(int sock, struct error *err);

/* Used by the init: send *err to the parent (best effort). */
void sync_send_error(int sock, const struct error *err);

#endif
