/* state.c: the state directory and state.json (see state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stddef.h>
#include <yajl/yajl_parse.h>

#include "cgroup.h"
#include "cleanup.h"
#include "fs_safe.h"
#include "json_arena.h"
#include "state.h"
#include "util.h"

/* state.json carries the config's annotations, which may be as large as
 * the config.json create reads (16 MiB): what state_write accepts,
 * state_read must read back, or the container could not even be deleted.
 * Anything bigger was not written by us. */
#define STATE_JSON_MAX ((16 << 20) + (64 << 10))

static const char *const status_names[] = {
	[STATUS_CREATED] = "created",
	[STATUS_RUNNING] = "running",
	[STATUS_PAUSED] = "paused",
	[STATUS_STOPPED] = "stopped",
};

const char *state_status_name(enum container_status status)
{
	return status_names[status];
}

int state_validate_id(const char *id, struct error *err)
{
	size_t n = strlen(id);

	if (n == 0 || n > STATE_ID_MAX || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return error_set(err, EINVAL, "invalid container ID format");
	for (const char *p = id; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-' || c == '.'))
			return error_set(err, EINVAL, "invalid container ID format");
	}
	return 0;
}

int state_root_ensure(const char *root, struct error *err)
{
	char path[4096];
	size_t n = strlen(root);

	if (n == 0 || n >= sizeof(path))
		return error_set(err, EINVAL, "invalid root directory \"%s\"", root);
	memcpy(path, root, n + 1);
	for (char *p = path + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(path, 0711) < 0 && errno != EEXIST)
				return error_sys(err, "create root directory %s", path);
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	return 0;
}

static int state_dir_lock(int fd, const char *id, struct error *err)
{
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR)
			return error_sys(err, "lock container %s", id);
	}
	return 0;
}

int state_dir_create(const char *root, const char *id, struct error *err)
{
	cleanup_close int rootfd = -1;
	cleanup_close int fd = -1;

	if (state_root_ensure(root, err) < 0)
		return -1;
	rootfd = openat(AT_FDCWD, root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return error_sys(err, "open root directory %s", root);
	if (mkdirat(rootfd, id, 0711) < 0) {
		if (errno == EEXIST)
			return error_set(err, EEXIST, "container with given ID already exists");
		return error_sys(err, "create state directory %s/%s", root, id);
	}
	fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || state_dir_lock(fd, id, err) < 0) {
		if (fd < 0)
			error_sys(err, "open state directory %s/%s", root, id);
		unlinkat(rootfd, id, AT_REMOVEDIR);
		return -1;
	}
	return steal_fd(&fd);
}

int state_dir_open(const char *root, const char *id, bool lock, struct error *err)
{
	char path[4096 + STATE_ID_MAX + 2];
	cleanup_close int fd = -1;

	if (state_validate_id(id, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", root, id);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return error_set(err, ENOENT, "container does not exist");
		return error_sys(err, "open state directory %s", path);
	}
	if (lock && state_dir_lock(fd, id, err) < 0)
		return -1;
	return steal_fd(&fd);
}

int state_dir_remove(const char *root, const char *id, struct error *err)
{
	static const char *const files[] = { STATE_FILE, STATE_CONFIG_FILE, STATE_FIFO };
	char path[4096 + STATE_ID_MAX + 2];
	cleanup_close int fd = -1;
	cleanup_closedir DIR *d = NULL;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/%s", root, id);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return error_sys(err, "open state directory %s", path);
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlinkat(fd, files[i], 0);
	if (rmdir(path) == 0 || errno == ENOENT)
		return 0;
	/* anything else (a temp file of an interrupted write) goes too */
	d = fdopendir(steal_fd(&fd));
	while (d && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	}
	if (rmdir(path) < 0 && errno != ENOENT)
		return error_sys(err, "remove state directory %s", path);
	return 0;
}

/* ---- state.json ---- */

static void json_key(struct strbuf *sb, const char *key, bool *first, bool pretty)
{
	if (!*first)
		strbuf_putc(sb, ',');
	*first = false;
	if (pretty)
		strbuf_puts(sb, "\n  ");
	strbuf_json_string(sb, key);
	strbuf_puts(sb, pretty ? ": " : ":");
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct spec_kv *const *)a)[0]->key, ((const struct spec_kv *const *)b)[0]->key);
}

/* sorted: the state's annotations are a Go map, which encoding/json sorts */
static void json_annotations(struct strbuf *sb, const struct spec_kv_array *a, bool pretty, bool sorted)
{
	cleanup_free const struct spec_kv **kv = xcalloc(a->n, sizeof(*kv));

	for (size_t i = 0; i < a->n; i++)
		kv[i] = &a->v[i];
	if (sorted)
		qsort(kv, a->n, sizeof(*kv), by_key);
	strbuf_putc(sb, '{');
	for (size_t i = 0; i < a->n; i++) {
		if (i)
			strbuf_putc(sb, ',');
		if (pretty)
			strbuf_puts(sb, "\n    ");
		strbuf_json_string(sb, kv[i]->key);
		strbuf_puts(sb, pretty ? ": " : ":");
		strbuf_json_string(sb, kv[i]->value);
	}
	if (pretty && a->n)
		strbuf_puts(sb, "\n  ");
	strbuf_putc(sb, '}');
}

char *state_created_text(const char *t)
{
	const char *dot = strchr(t, '.');
	size_t frac, zone, end;

	if (!dot)
		return xstrdup(t);
	frac = (size_t)(dot - t) + 1;
	zone = frac + strspn(dot + 1, "0123456789");
	end = zone;
	while (end > frac && t[end - 1] == '0')
		end--;
	if (end == frac)
		end--; /* only zeros: no fraction at all */
	return xasprintf("%.*s%s", (int)end, t, t + zone);
}

static void json_time(struct strbuf *sb, const char *t)
{
	cleanup_free char *trimmed = state_created_text(t);

	strbuf_json_string(sb, trimmed);
}

/* The fields and order of runc's containerState. */
char *state_to_json(const struct container_state *st, enum container_status status,
		    const char *owner, bool pretty)
{
	struct strbuf sb = STRBUF_INIT;
	bool first = true;

	strbuf_putc(&sb, '{');
	json_key(&sb, "ociVersion", &first, pretty);
	strbuf_json_string(&sb, OCI_RT_SPEC_VERSION);
	json_key(&sb, "id", &first, pretty);
	strbuf_json_string(&sb, st->id);
	json_key(&sb, "pid", &first, pretty);
	strbuf_printf(&sb, "%d", status == STATUS_STOPPED ? 0 : (int)st->pid);
	json_key(&sb, "status", &first, pretty);
	strbuf_json_string(&sb, state_status_name(status));
	json_key(&sb, "bundle", &first, pretty);
	strbuf_json_string(&sb, st->bundle);
	json_key(&sb, "rootfs", &first, pretty);
	strbuf_json_string(&sb, st->rootfs);
	json_key(&sb, "created", &first, pretty);
	json_time(&sb, st->created);
	if (st->annotations.n) {
		json_key(&sb, "annotations", &first, pretty);
		json_annotations(&sb, &st->annotations, pretty, true);
	}
	json_key(&sb, "owner", &first, pretty);
	strbuf_json_string(&sb, owner ? owner : "");
	if (pretty)
		strbuf_putc(&sb, '\n');
	strbuf_putc(&sb, '}');
	return strbuf_detach(&sb);
}

char *state_hook_json(const struct container_state *st, const char *status)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_puts(&sb, "{\"ociVersion\":");
	strbuf_json_string(&sb, OCI_RT_SPEC_VERSION);
	strbuf_puts(&sb, ",\"id\":");
	strbuf_json_string(&sb, st->id);
	strbuf_puts(&sb, ",\"status\":");
	strbuf_json_string(&sb, status);
	if (strcmp(status, "stopped") != 0 && st->pid > 0)
		strbuf_printf(&sb, ",\"pid\":%d", (int)st->pid);
	strbuf_puts(&sb, ",\"bundle\":");
	strbuf_json_string(&sb, st->bundle);
	if (st->annotations.n) {
		strbuf_puts(&sb, ",\"annotations\":");
		json_annotations(&sb, &st->annotations, false, true);
	}
	strbuf_putc(&sb, '}');
	return strbuf_detach(&sb);
}

int state_write(int dirfd, const struct container_state *st, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	bool first = true;
	int r;

	strbuf_putc(&sb, '{');
	json_key(&sb, "ociVersion", &first, false);
	strbuf_json_string(&sb, st->oci_version ? st->oci_version : "");
	json_key(&sb, "id", &first, false);
	strbuf_json_string(&sb, st->id);
	json_key(&sb, "pid", &first, false);
	strbuf_printf(&sb, "%d", (int)st->pid);
	json_key(&sb, "starttime", &first, false);
	strbuf_printf(&sb, "%llu", st->start_time);
	json_key(&sb, "bundle", &first, false);
	strbuf_json_string(&sb, st->bundle);
	json_key(&sb, "rootfs", &first, false);
	strbuf_json_string(&sb, st->rootfs);
	json_key(&sb, "created", &first, false);
	strbuf_json_string(&sb, st->created);
	json_key(&sb, "annotations", &first, false);
	json_annotations(&sb, &st->annotations, false, false);
	if (st->cgroup_path) {
		json_key(&sb, "cgroupPath", &first, false);
		strbuf_json_string(&sb, st->cgroup_path);
		json_key(&sb, "cgroupDirs", &first, false);
		json_annotations(&sb, &st->cgroup_dirs, false, false);
		json_key(&sb, "cgroupMade", &first, false);
		json_annotations(&sb, &st->cgroup_made, false, false);
	}
	json_key(&sb, "nsFlags", &first, false);
	strbuf_printf(&sb, "%u", st->ns_flags);
	json_key(&sb, "systemdCgroup", &first, false);
	strbuf_puts(&sb, st->systemd_cgroup ? "true" : "false");
	json_key(&sb, "rootless", &first, false);
	strbuf_puts(&sb, st->rootless ? "true" : "false");
	strbuf_puts(&sb, "}\n");
	if (sb.len > STATE_JSON_MAX)
		r = error_set(err, EFBIG, "state.json would be %zu bytes (at most %d): annotations too large", sb.len,
			      STATE_JSON_MAX);
	else
		r = write_file_atomic(dirfd, STATE_FILE, sb.buf, sb.len, 0600, err);
	strbuf_release(&sb);
	return r;
}

/* state.json is read with yajl's callbacks straight into the struct: no
 * tree, few allocations (`list` reads one per container).  One row per
 * field; unknown keys are skipped. */
enum state_kind { SK_STRING, SK_PID, SK_ULL, SK_UINT, SK_BOOL };

static const struct {
	const char *key;
	enum state_kind kind;
	size_t offset;
} state_fields[] = {
	{ "ociVersion", SK_STRING, offsetof(struct container_state, oci_version) },
	{ "id", SK_STRING, offsetof(struct container_state, id) },
	{ "pid", SK_PID, offsetof(struct container_state, pid) },
	{ "starttime", SK_ULL, offsetof(struct container_state, start_time) },
	{ "bundle", SK_STRING, offsetof(struct container_state, bundle) },
	{ "rootfs", SK_STRING, offsetof(struct container_state, rootfs) },
	{ "created", SK_STRING, offsetof(struct container_state, created) },
	{ "cgroupPath", SK_STRING, offsetof(struct container_state, cgroup_path) },
	{ "nsFlags", SK_UINT, offsetof(struct container_state, ns_flags) },
	{ "systemdCgroup", SK_BOOL, offsetof(struct container_state, systemd_cgroup) },
	{ "rootless", SK_BOOL, offsetof(struct container_state, rootless) },
};

/* The objects of strings, kept in document order. */
static const struct {
	const char *key;
	size_t offset;
} state_maps[] = {
	{ "annotations", offsetof(struct container_state, annotations) },
	{ "cgroupDirs", offsetof(struct container_state, cgroup_dirs) },
	{ "cgroupMade", offsetof(struct container_state, cgroup_made) },
};

struct state_reader {
	struct container_state *st;
	int depth;
	int field;             /* index in state_fields of the current key, -1 */
	int map;               /* index in state_maps of the object we are in (depth 2), -1 */
	char *map_key;         /* the current entry's key */
	bool shown;            /* STATE_SHOWN: no cgroupMade, few cgroupDirs */
	struct arena *arena;   /* where strings go; NULL: the heap */
	size_t map_cap[ARRAY_SIZE(state_maps)];
};

/* want (NUL-terminated) is the len bytes of key; stops at the first
 * difference, without measuring want (a thousand files a `list`). */
static bool key_is(const char *want, const unsigned char *key, size_t len)
{
	return strncmp(want, (const char *)key, len) == 0 && want[len] == '\0';
}

static char *reader_strndup(struct state_reader *r, const void *s, size_t len)
{
	return r->arena ? arena_strndup(r->arena, s, len) : xstrndup(s, len);
}

static int reader_key(void *ctx, const unsigned char *key, size_t len)
{
	struct state_reader *r = ctx;

	if (r->depth == 2 && r->map >= 0) {
		if (!r->arena)
			free(r->map_key);
		r->map_key = NULL;
		/* shown: of the cgroup dirs, only what the status reads (the
		 * v1 freezer's, the unified hierarchy's "") */
		if (r->shown && state_maps[r->map].offset == offsetof(struct container_state, cgroup_dirs) &&
		    !key_is("freezer", key, len) && len != 0)
			return 1;
		r->map_key = reader_strndup(r, key, len);
		return 1;
	}
	r->field = -1;
	if (r->depth != 1)
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(state_fields); i++)
		if (key_is(state_fields[i].key, key, len))
			r->field = (int)i;
	r->map = -1;
	for (size_t i = 0; i < ARRAY_SIZE(state_maps); i++)
		if (key_is(state_maps[i].key, key, len))
			r->map = (int)i;
	if (r->shown && r->map >= 0 &&
	    state_maps[r->map].offset == offsetof(struct container_state, cgroup_made))
		r->map = -1;
	return 1;
}

static void *field_ptr(struct state_reader *r, enum state_kind kind)
{
	if (r->depth != 1 || r->field < 0 || state_fields[r->field].kind != kind)
		return NULL;
	return (char *)r->st + state_fields[r->field].offset;
}

static int reader_string(void *ctx, const unsigned char *s, size_t len)
{
	struct state_reader *r = ctx;
	struct container_state *st = r->st;

	if (r->depth == 2 && r->map >= 0 && r->map_key) {
		struct spec_kv_array *a = (struct spec_kv_array *)((char *)st + state_maps[r->map].offset);
		size_t *cap = &r->map_cap[r->map];
		if (a->n == *cap) {
			*cap = *cap ? *cap * 2 : 4;
			if (r->arena) {
				struct spec_kv *v = arena_alloc(r->arena, *cap * sizeof(struct spec_kv));
				if (a->n)
					memcpy(v, a->v, a->n * sizeof(struct spec_kv));
				a->v = v;
			} else {
				a->v = xrealloc(a->v, *cap * sizeof(struct spec_kv));
			}
		}
		struct spec_kv *kv = &a->v[a->n++];
		kv->key = r->map_key;
		kv->value = reader_strndup(r, s, len);
		r->map_key = NULL;
		return 1;
	}
	char **dst = field_ptr(r, SK_STRING);
	if (dst) {
		if (!r->arena)
			free(*dst);
		*dst = reader_strndup(r, s, len);
	}
	return 1;
}

static int reader_integer(void *ctx, long long v)
{
	struct state_reader *r = ctx;
	void *p;

	if ((p = field_ptr(r, SK_PID)))
		*(pid_t *)p = (pid_t)v;
	else if ((p = field_ptr(r, SK_ULL)))
		*(unsigned long long *)p = (unsigned long long)v;
	else if ((p = field_ptr(r, SK_UINT)))
		*(unsigned *)p = (unsigned)v;
	return 1;
}

static int reader_boolean(void *ctx, int v)
{
	bool *p = field_ptr(ctx, SK_BOOL);

	if (p)
		*p = v != 0;
	return 1;
}

static int reader_start(void *ctx)
{
	((struct state_reader *)ctx)->depth++;
	return 1;
}

static int reader_end(void *ctx)
{
	struct state_reader *r = ctx;

	if (--r->depth == 1)
		r->map = -1;
	return 1;
}

static const yajl_callbacks reader_callbacks = {
	.yajl_boolean = reader_boolean,
	.yajl_integer = reader_integer,
	.yajl_string = reader_string,
	.yajl_start_map = reader_start,
	.yajl_map_key = reader_key,
	.yajl_end_map = reader_end,
	.yajl_start_array = reader_start,
	.yajl_end_array = reader_end,
};

int state_read_at(int atfd, const char *path, enum state_want want, struct container_state *st,
		  struct error *err)
{
	return state_read_arena(atfd, path, want, NULL, st, err);
}

int state_read_arena(int atfd, const char *path, enum state_want want, struct arena *arena,
		     struct container_state *st, struct error *err)
{
	cleanup_free char *big = NULL;
	char small[8192];
	const char *text = small;
	struct state_reader r = { .st = st, .field = -1, .map = -1, .shown = want == STATE_SHOWN, .arena = arena };
	size_t len;
	yajl_handle h;
	yajl_status ys;

	memset(st, 0, sizeof(*st));
	st->in_arena = arena != NULL;
	{
		cleanup_close int fd = fs_open_beneath(atfd, path, O_RDONLY | O_NOFOLLOW);
		if (fd < 0) {
			if (errno == ENOENT)
				return error_set(err, ENOENT, "container does not exist");
			return error_sys(err, "open %s", STATE_FILE);
		}
		/* one read for the usual few hundred bytes: a regular file read
		 * short is read to its end (`list` reads a thousand of them) */
		ssize_t n;
		while ((n = read(fd, small, sizeof(small))) < 0 && errno == EINTR)
			;
		if (n < 0)
			return error_sys(err, "%s: read", STATE_FILE);
		len = (size_t)n;
		if (len == sizeof(small)) {
			size_t rest;
			if (read_all_fd(fd, STATE_JSON_MAX - len, &big, &rest, err) < 0)
				return error_prefix(err, "%s", STATE_FILE);
			big = xrealloc(big, len + rest + 1);
			memmove(big + len, big, rest);
			memcpy(big, small, len);
			len += rest;
			text = big;
		}
	}
	/* yajl's handle and buffers on the stack (json_arena.h) */
	_Alignas(16) char yajl_buf[4096];
	struct json_arena yajl_mem;
	yajl_alloc_funcs funcs;
	json_arena_init(&yajl_mem, yajl_buf, sizeof(yajl_buf), &funcs);
	h = yajl_alloc(&reader_callbacks, &funcs, &r);
	if (!h)
		return error_set(err, ENOMEM, "state.json");
	ys = yajl_parse(h, (const unsigned char *)text, len);
	if (ys == yajl_status_ok)
		ys = yajl_complete_parse(h);
	yajl_free(h);
	if (!arena)
		free(r.map_key);
	if (ys != yajl_status_ok || !st->id || !st->bundle) {
		state_release(st);
		return error_set(err, EINVAL, "state.json is corrupt");
	}
	if (!st->rootfs)
		st->rootfs = reader_strndup(&r, "", 0);
	if (!st->created)
		st->created = reader_strndup(&r, "", 0);
	return 0;
}

int state_read(int dirfd, struct container_state *st, struct error *err)
{
	return state_read_at(dirfd, STATE_FILE, STATE_ALL, st, err);
}

void state_release(struct container_state *st)
{
	if (st->in_arena) {
		memset(st, 0, sizeof(*st));
		return;
	}
	free(st->oci_version);
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->cgroup_path);
	for (size_t i = 0; i < st->annotations.n; i++) {
		free(st->annotations.v[i].key);
		free(st->annotations.v[i].value);
	}
	free(st->annotations.v);
	for (size_t i = 0; i < st->cgroup_dirs.n; i++) {
		free(st->cgroup_dirs.v[i].key);
		free(st->cgroup_dirs.v[i].value);
	}
	free(st->cgroup_dirs.v);
	for (size_t i = 0; i < st->cgroup_made.n; i++) {
		free(st->cgroup_made.v[i].key);
		free(st->cgroup_made.v[i].value);
	}
	free(st->cgroup_made.v);
	memset(st, 0, sizeof(*st));
}

/* The init's state letter from /proc/<pid>/stat; '\0' when the init with
 * this pid and start time is gone or only a zombie is left. */
static char init_state(const struct container_state *st)
{
	char state;

	if (st->pid <= 0)
		return '\0';
	unsigned long long t = proc_start_time(st->pid, &state);
	if (t == 0 || t != st->start_time || state == 'Z' || state == 'X')
		return '\0';
	return state;
}

bool state_init_alive(const struct container_state *st)
{
	return init_state(st) != '\0';
}

enum container_status state_status(int dirfd, const struct container_state *st)
{
	return state_status_at(dirfd, STATE_FIFO, st);
}

/* A task the v1 freezer holds is never reported sleeping: it shows 'D'
 * (or 'R' on kernels 6.1 to 6.5).  So a sleeping init rules out a FROZEN
 * v1 freezer without reading the cgroup, which was most of `list`'s time.
 * Tasks the v2 freezer holds do sleep: there the file is always read. */
static bool surely_thawed(const struct container_state *st, char init)
{
	if (init != 'S')
		return false;
	for (size_t i = 0; i < st->cgroup_dirs.n; i++)
		if (strcmp(st->cgroup_dirs.v[i].key, "freezer") == 0)
			return true;
	return false;
}

enum container_status state_status_at(int atfd, const char *fifo, const struct container_state *st)
{
	struct stat sb;
	char init = init_state(st);

	if (!init)
		return STATUS_STOPPED;
	/* a created container can be paused too (runc) */
	if (st->cgroup_path && !surely_thawed(st, init)) {
		struct cgroup cg;
		struct error ignored;
		bool frozen = cgroup_load(st->cgroup_path, &st->cgroup_dirs, &st->cgroup_made, &cg, &ignored) == 0 &&
			      cgroup_is_frozen(&cg);
		cgroup_release(&cg);
		if (frozen)
			return STATUS_PAUSED;
	}
	if (fstatat(atfd, fifo, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return STATUS_CREATED;
	return STATUS_RUNNING;
}
