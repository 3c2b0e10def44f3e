/* state.h: a container's state directory, <root>/<id>/.
 *
 *   state.json   what `state` prints plus what later commands need (written
 *                atomically, read without a lock)
 *   config.json  the config as it was at create, for exec and the hooks of
 *                delete (later edits of the bundle don't affect the container)
 *   exec.fifo    exists while the container is `created`; the init is blocked
 *                opening it for writing until `start` opens it for reading
 * An flock on the directory serializes operations on one container.
 */
#ifndef OCI_RT_STATE_H
#define OCI_RT_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "arena.h"
#include "error.h"
#include "spec.h"

/* The runtime-spec version oci-rt implements: the ociVersion of the state
 * it reports (runc reports its own spec version there, not the config's). */
#define OCI_RT_SPEC_VERSION "1.3.0"

/* The id names the state directory (and the default cgroup): a longer one
 * could only fail later with ENAMETOOLONG, after part of create was done. */
#define STATE_ID_MAX 255
#define STATE_FILE "state.json"
#define STATE_CONFIG_FILE "config.json"
#define STATE_FIFO "exec.fifo"

enum container_status {
	STATUS_CREATED,
	STATUS_RUNNING,
	STATUS_PAUSED,
	STATUS_STOPPED,
};

struct container_state {
	char *oci_version;
	char *id;
	pid_t pid;
	unsigned long long start_time; /* of the init, to detect pid reuse */
	char *bundle;
	char *rootfs;
	char *created; /* RFC 3339 */
	struct spec_kv_array annotations;
	char *cgroup_path;  /* relative to the primary hierarchy's root; NULL when none */
	struct spec_kv_array cgroup_dirs; /* hierarchy ("" for cgroup2) -> its directory (cgroup_save) */
	struct spec_kv_array cgroup_made; /* hierarchy -> the topmost directory create made there */
	unsigned ns_flags;  /* CLONE_NEW* the container was created with */
	bool systemd_cgroup;
	bool rootless;
	bool in_arena; /* the strings and arrays are an arena's: state_release frees none */
};

const char *state_status_name(enum container_status status);

/* runc's rule: [A-Za-z0-9_+.-], not "." or "..", and at most STATE_ID_MAX
 * bytes: otherwise "invalid container ID format". */
int state_validate_id(const char *id, struct error *err);

/* mkdir -p the root (0711). */
int state_root_ensure(const char *root, struct error *err);

/* Create <root>/<id> exclusively and lock it.  Returns the dir fd. */
int state_dir_create(const char *root, const char *id, struct error *err);

/* Open <root>/<id>; when lock is set, take the exclusive flock (blocking).
 * ENOENT becomes "container does not exist" with errnum ENOENT. */
int state_dir_open(const char *root, const char *id, bool lock, struct error *err);

/* Remove the state dir and everything in it. */
int state_dir_remove(const char *root, const char *id, struct error *err);

int state_write(int dirfd, const struct container_state *st, struct error *err);
int state_read(int dirfd, struct container_state *st, struct error *err);
/* What a reader needs of state.json: all of it, or what `list` shows:
 * no cgroupMade (only delete uses it) and of cgroupDirs only the freezer's
 * and the unified hierarchy's entries, which the status reads (38 strings
 * less per container on a hybrid host). */
enum state_want { STATE_ALL, STATE_SHOWN };
/* state_read from a path below atfd ("<id>/state.json" from the root's fd),
 * through no symlink. */
int state_read_at(int atfd, const char *path, enum state_want want, struct container_state *st,
		  struct error *err);
/* The same with every string and array of *st from arena (list's threads). */
int state_read_arena(int atfd, const char *path, enum state_want want, struct arena *arena,
		     struct container_state *st, struct error *err);
void state_release(struct container_state *st);

/* `created` as runc prints it (Go's time.RFC3339Nano drops the fraction's
 * trailing zeros, and the dot when nothing is left):
 * "...:18.288621160Z" -> "...:18.28862116Z".  Allocated. */
char *state_created_text(const char *created);

/* The state JSON printed by `state` and (on one line) `list --format json`. */
char *state_to_json(const struct container_state *st, enum container_status status,
		    const char *owner, bool pretty);

/* The runtime-spec State a hook reads on stdin (ociVersion, id, status,
 * pid unless stopped, bundle, annotations when present). */
char *state_hook_json(const struct container_state *st, const char *status);

/* created / running / paused / stopped, from the live system. */
enum container_status state_status(int dirfd, const struct container_state *st);
/* The same with the exec fifo at a path below atfd ("<id>/exec.fifo"). */
enum container_status state_status_at(int atfd, const char *fifo, const struct container_state *st);

/* true while the init with this pid and start time is alive (not a zombie). */
bool state_init_alive(const struct container_state *st);

#endif
