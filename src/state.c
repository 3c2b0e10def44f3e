/* state.c: the state directory and state.json (see state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "cgroup.h"
#include "cleanup.h"
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
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
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
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
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
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return error_sys(err, "open state directory %s", path);
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlinkat(fd, files[i], 0);
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

static char *json_string_dup(yajl_val obj, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(obj, path, yajl_t_string);

	return v ? xstrdup(v->u.string) : NULL;
}

static long long json_int(yajl_val obj, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(obj, path, yajl_t_number);

	return v && YAJL_IS_INTEGER(v) ? v->u.number.i : 0;
}

static bool json_bool(yajl_val obj, const char *key)
{
	const char *path[] = { key, NULL };

	return YAJL_IS_TRUE(yajl_tree_get(obj, path, yajl_t_true));
}

int state_read(int dirfd, struct container_state *st, struct error *err)
{
	cleanup_free char *text = NULL;
	char errbuf[256];
	yajl_val root;

	memset(st, 0, sizeof(*st));
	if (read_file_at(dirfd, STATE_FILE, STATE_JSON_MAX, &text, err) < 0) {
		if (err->errnum == ENOENT)
			return error_set(err, ENOENT, "container does not exist");
		return -1;
	}
	root = yajl_tree_parse(text, errbuf, sizeof(errbuf));
	if (!root || !YAJL_IS_OBJECT(root)) {
		yajl_tree_free(root);
		return error_set(err, EINVAL, "state.json is corrupt");
	}
	st->oci_version = json_string_dup(root, "ociVersion");
	st->id = json_string_dup(root, "id");
	st->pid = (pid_t)json_int(root, "pid");
	st->start_time = (unsigned long long)json_int(root, "starttime");
	st->bundle = json_string_dup(root, "bundle");
	st->rootfs = json_string_dup(root, "rootfs");
	st->created = json_string_dup(root, "created");
	st->cgroup_path = json_string_dup(root, "cgroupPath");
	st->ns_flags = (unsigned)json_int(root, "nsFlags");
	st->systemd_cgroup = json_bool(root, "systemdCgroup");
	st->rootless = json_bool(root, "rootless");
	const char *apath[] = { "annotations", NULL };
	yajl_val ann = yajl_tree_get(root, apath, yajl_t_object);
	if (ann && ann->u.object.len) {
		size_t n = ann->u.object.len;
		st->annotations.v = xcalloc(n, sizeof(struct spec_kv));
		for (size_t i = 0; i < n; i++) {
			yajl_val v = ann->u.object.values[i];
			if (!YAJL_IS_STRING(v))
				continue;
			struct spec_kv *kv = &st->annotations.v[st->annotations.n++];
			kv->key = xstrdup(ann->u.object.keys[i]);
			kv->value = xstrdup(v->u.string);
		}
	}
	yajl_tree_free(root);
	if (!st->id || !st->bundle) {
		state_release(st);
		return error_set(err, EINVAL, "state.json is corrupt");
	}
	if (!st->rootfs)
		st->rootfs = xstrdup("");
	if (!st->created)
		st->created = xstrdup("");
	return 0;
}

void state_release(struct container_state *st)
{
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
	memset(st, 0, sizeof(*st));
}

bool state_init_alive(const struct container_state *st)
{
	bool zombie;

	if (st->pid <= 0)
		return false;
	unsigned long long t = proc_start_time(st->pid, &zombie);
	return t != 0 && t == st->start_time && !zombie;
}

enum container_status state_status(int dirfd, const struct container_state *st)
{
	struct stat sb;

	if (!state_init_alive(st))
		return STATUS_STOPPED;
	if (fstatat(dirfd, STATE_FIFO, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return STATUS_CREATED;
	if (st->cgroup_path && cgroup_is_frozen(st->cgroup_path))
		return STATUS_PAUSED;
	return STATUS_RUNNING;
}
