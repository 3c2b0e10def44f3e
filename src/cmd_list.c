/* cmd_list.c: `oci-rt list [--format table|json] [--quiet]`. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "arena.h"
#include "cli.h"
#include "commands.h"
#include "container.h"
#include "passwd.h"
#include "util.h"

struct entry {
	char *name; /* the directory's */
	bool ok;    /* false: being created or deleted right now, skipped */
	struct container_state st;
	enum container_status status;
	uid_t uid;
	char *owner;
	char *created; /* as runc prints it */
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->st.id, ((const struct entry *)b)->st.id);
}

/* Reading the containers is all path lookups in the kernel (state.json,
 * /proc/<pid>/stat, the freezer): with many containers, every core reads.
 * Each worker takes the next LIST_GRAIN containers until none are left, so
 * a core that something else holds up reads fewer (with a fixed half each,
 * list waited for the slower). */
/* a worker more for each LIST_PER_WORKER containers, up to the cores */
#define LIST_PER_WORKER 32
#define LIST_THREADS_MAX 8
#define LIST_GRAIN 16

struct work {
	int rootfd;
	struct entry *e;
	size_t n;
	atomic_size_t next;
	cpu_set_t all; /* the CPUs list may run on */
};

struct worker {
	struct work *w;
	atomic_bool pinned; /* to the others of other_cpus: w->all back */
	struct arena *arena; /* the strings of the entries it reads (arena.h) */
};

static void *peek_worker(void *arg)
{
	struct worker *k = arg;
	struct work *w = k->w;
	bool unpinned = false;

	for (;;) {
		/* pinned to the other CPUs only to start there (other_cpus):
		 * left pinned, a worker that something holds up on its CPU can't
		 * move to the one the others free at the end, and list waits for
		 * it (1000 containers beside 1000 of crun's: the slowest of 80
		 * lists took 54 ms pinned, 31 ms unpinned; the median, 16 ms) */
		if (!unpinned && atomic_load_explicit(&k->pinned, memory_order_acquire)) {
			pthread_setaffinity_np(pthread_self(), sizeof(w->all), &w->all);
			unpinned = true;
		}
		size_t from = atomic_fetch_add(&w->next, LIST_GRAIN);
		if (from >= w->n)
			return NULL;
		size_t to = w->n - from > LIST_GRAIN ? from + LIST_GRAIN : w->n;
		for (size_t i = from; i < to; i++) {
			struct error ignored;
			struct entry *e = &w->e[i];
			e->ok = container_peek(w->rootfd, e->name, k->arena, &e->st, &e->status, &e->uid, &ignored) == 0;
		}
	}
}

/* all: the CPUs this thread may run on; others: those but the one it runs
 * on now, where the other workers start.  Left to the scheduler, a new
 * thread often starts on its creator's CPU and the two share it for
 * milliseconds (wake-affine), while the other core idles; list then took a
 * third longer. */
static bool other_cpus(cpu_set_t *all, cpu_set_t *others)
{
	int here = sched_getcpu();

	if (here < 0 || sched_getaffinity(0, sizeof(*all), all) < 0)
		return false;
	*others = *all;
	CPU_CLR(here, others);
	return CPU_COUNT(others) > 0;
}

/* arenas[t] gets the strings worker t read: LIST_THREADS_MAX of them. */
static void peek_all(int rootfd, struct entry *e, size_t n, struct arena *arenas)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t threads = n / LIST_PER_WORKER;
	struct work w = { .rootfd = rootfd, .e = e, .n = n };
	struct worker k[LIST_THREADS_MAX];
	pthread_t tid[LIST_THREADS_MAX];
	size_t started = 0;

	if (threads > LIST_THREADS_MAX)
		threads = LIST_THREADS_MAX;
	if (cpus > 0 && threads > (size_t)cpus)
		threads = (size_t)cpus;
	if (threads == 0)
		threads = 1;
	if (threads > 1) {
		struct error ignored;
		cgroup_layout(&ignored); /* loaded once, before the threads read it */
	}
	/* musl's threads get 128 KiB of stack unless asked; a peek needs
	 * its state.json buffer and yajl's recursion */
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 1 << 20);
	cpu_set_t others;
	bool spread = threads > 1 && other_cpus(&w.all, &others);
	for (size_t t = 0; t < threads; t++) {
		k[t] = (struct worker){ .w = &w, .arena = &arenas[t] };
		/* the last worker is this thread; one that can't start leaves
		 * its share to the others, as does one held up on a busy CPU */
		if (t + 1 < threads && pthread_create(&tid[started], &attr, peek_worker, &k[t]) == 0) {
			if (spread && pthread_setaffinity_np(tid[started], sizeof(others), &others) == 0)
				atomic_store_explicit(&k[t].pinned, true, memory_order_release);
			started++;
		}
	}
	peek_worker(&k[threads - 1]);
	for (size_t t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_attr_destroy(&attr);
}

/* The owner's name from the host's /etc/passwd ("#uid" without an entry),
 * as runc's user lookup does.  The containers of one root nearly always
 * share an owner: remember the last. */
static char *owner_of(uid_t uid)
{
	static uid_t last_uid = (uid_t)-1;
	static char last_name[256];

	if (uid != last_uid) {
		cleanup_close int fd = openat(AT_FDCWD, "/etc/passwd", O_RDONLY | O_CLOEXEC);
		last_name[0] = '\0';
		if (fd < 0 || !passwd_find(fd, uid, PASSWD_NAME, last_name, sizeof(last_name)) ||
		    !last_name[0])
			snprintf(last_name, sizeof(last_name), "#%u", uid);
		last_uid = uid;
	}
	return xstrdup(last_name);
}

static void put_row(struct strbuf *sb, const char *const *cells, const size_t *width, int cols)
{
	for (int i = 0; i < cols - 1; i++) {
		size_t len = strlen(cells[i]);
		strbuf_put(sb, cells[i], len);
		while (len++ < width[i])
			strbuf_putc(sb, ' ');
	}
	strbuf_puts(sb, cells[cols - 1]);
	strbuf_putc(sb, '\n');
}

/* Go's text/tabwriter as runc uses it: minwidth 12, padding 3. */
static void print_table(const struct entry *e, size_t n)
{
	enum { COLS = 6 };
	const char *head[COLS] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };
	struct strbuf sb = STRBUF_INIT;
	size_t width[COLS];
	char (*pid)[16] = xcalloc(n ? n : 1, sizeof(*pid));

	for (int i = 0; i < COLS; i++)
		width[i] = strlen(head[i]);
	for (size_t r = 0; r < n; r++) {
		snprintf(pid[r], sizeof(pid[r]), "%d", e[r].status == STATUS_STOPPED ? 0 : (int)e[r].st.pid);
		const char *cells[COLS] = { e[r].st.id, pid[r], state_status_name(e[r].status),
					    e[r].st.bundle, e[r].created, e[r].owner };
		for (int i = 0; i < COLS; i++)
			if (strlen(cells[i]) > width[i])
				width[i] = strlen(cells[i]);
	}
	for (int i = 0; i < COLS - 1; i++)
		width[i] = width[i] + 3 < 12 ? 12 : width[i] + 3;
	put_row(&sb, head, width, COLS);
	for (size_t r = 0; r < n; r++) {
		const char *cells[COLS] = { e[r].st.id, pid[r], state_status_name(e[r].status),
					    e[r].st.bundle, e[r].created, e[r].owner };
		put_row(&sb, cells, width, COLS);
	}
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	free(pid);
}

static void print_json(const struct entry *e, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	if (n == 0) {
		fputs("null\n", stdout);
		return;
	}
	strbuf_putc(&sb, '[');
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *one = state_to_json(&e[i].st, e[i].status, e[i].owner, false);
		if (i)
			strbuf_putc(&sb, ',');
		strbuf_puts(&sb, one);
	}
	strbuf_puts(&sb, "]\n");
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
}

int cmd_list(const struct globals *g, int argc, char **argv, struct error *err)
{
	const char *format = "table";
	bool quiet = false;
	const struct cli_option opts[] = {
		{ "format", "f", CLI_STRING, &format, "select one of: table or json (default: \"table\")" },
		{ "quiet", "q", CLI_BOOL, &quiet, "display only container IDs" },
	};
	struct cli_command cmd = { .name = "list", .usage = "[command options]",
				   .summary = "lists containers started by oci-rt with the given root",
				   .options = opts, .n_options = ARRAY_SIZE(opts) };
	cleanup_command_args struct command_args a;
	cleanup_close int rootfd = -1;
	struct entry *entries = NULL;
	size_t n = 0, cap = 0, shown = 0;
	DIR *d = NULL;

	int r = command_parse(&cmd, argc, argv, 0, 0, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return error_set(err, EINVAL, "invalid format option");
	rootfd = openat(AT_FDCWD, g->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 && errno != ENOENT)
		return error_sys(err, "open root %s", g->root);
	if (rootfd >= 0) {
		d = fdopendir(dup(rootfd));
		if (!d)
			return error_sys(err, "open root %s", g->root);
	}
	for (struct dirent *de; d && (de = readdir(d));) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			entries = xrealloc(entries, cap * sizeof(*entries));
		}
		entries[n++] = (struct entry){ .name = xstrdup(de->d_name) };
	}
	if (d)
		closedir(d);
	struct arena arenas[LIST_THREADS_MAX] = { ARENA_INIT };
	peek_all(rootfd, entries, n, arenas);
	for (size_t i = 0; i < n; i++) {
		if (!entries[i].ok) {
			free(entries[i].name);
			continue;
		}
		entries[shown] = entries[i];
		entries[shown].owner = owner_of(entries[i].uid);
		entries[shown].created = state_created_text(entries[i].st.created);
		shown++;
	}
	n = shown;
	if (n)
		qsort(entries, n, sizeof(*entries), by_id);
	if (quiet) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", entries[i].st.id);
	} else if (strcmp(format, "json") == 0) {
		print_json(entries, n);
	} else {
		print_table(entries, n);
	}
	for (size_t i = 0; i < n; i++) {
		state_release(&entries[i].st);
		free(entries[i].name);
		free(entries[i].owner);
		free(entries[i].created);
	}
	free(entries);
	for (size_t t = 0; t < LIST_THREADS_MAX; t++)
		arena_release(&arenas[t]);
	return 0;
}
