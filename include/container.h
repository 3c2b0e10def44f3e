/* container.h: the lifecycle operations behind the CLI verbs. */
#ifndef OCI_RT_CONTAINER_H
#define OCI_RT_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"
#include "state.h"

struct container_options {
	const char *root;
	const char *id;
	const char *bundle;
	const char *pid_file;
	const char *console_socket;
	bool no_pivot;
	bool no_new_keyring;
	bool detach;
	bool keep;
	bool no_subreaper;
	bool systemd_cgroup;
	bool rootless;
	unsigned preserve_fds;
};

/* A container create just made: its init is blocked before exec. */
struct created {
	struct spec *spec;
	struct container_state state;
	int dirfd; /* the locked state directory */
	int sock;  /* the sync socket to the init (run starts it through it) */
	int console_fd; /* process.terminal without --console-socket: the pty
			 * master for run to relay; -1 otherwise */
};

/* for_run: the init waits on the sync socket instead of the exec fifo. */
int container_create(const struct container_options *o, bool for_run, struct created *c,
		     struct error *err);
void created_release(struct created *c);

/* An existing container, opened from its state directory. */
struct container {
	const char *root;
	int dirfd;
	struct container_state st;
	enum container_status status;
	const struct spec *spec; /* borrowed when known (run keeps create's); else read */
};

/* Open <root>/<id> (locked when `lock`) and read its state and status. */
int container_open(const char *root, const char *id, bool lock, struct container *c,
		   struct error *err);
void container_close(struct container *c);

/* What `list` shows of <root>/<id> (rootfd: the root's fd), read without
 * opening or locking the directory (owner: the directory's, as runc); the
 * strings of *st come from arena. */
int container_peek(int rootfd, const char *id, struct arena *arena, struct container_state *st,
		   enum container_status *status, uid_t *owner, struct error *err);

/* A pidfd of the init, only while it is still the process the state
 * names (start time checked after opening); -1 with errno otherwise. */
int container_init_pidfd(const struct container *c);

/* Host pids of the container's processes: its cgroup's, or without one,
 * those of its pid namespace (just the init when it has none). */
int container_pids(const struct container *c, pid_t **pids, size_t *n, struct error *err);

/* Release a created container's init (start). */
int container_start(struct container *c, struct error *err);

/* The container's cgroup, from its state (error when it has none). */
struct cgroup;
int container_cgroup(const struct container *c, struct cgroup *cg, struct error *err);

/* Send sig to the init (all: every process of the container). */
int container_signal(struct container *c, int sig, bool all, struct error *err);

/* Kill what is left, remove the cgroup and the state dir, run poststop hooks. */
int container_destroy(struct container *c, struct error *err);

/* The spec the container was created with (its saved config.json). */
struct spec *container_spec(const struct container *c, struct error *err);

#endif
