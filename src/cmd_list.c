/* cmd_list.c: `oci-rt list [--format table|json] [--quiet]`. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"
#include "passwd.h"
#include "util.h"

struct entry {
	struct container c;
	char *owner;
	char *created; /* as runc prints it */
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->c.st.id, ((const struct entry *)b)->c.st.id);
}

/* The owner's name from the host's /etc/passwd ("#uid" without an entry),
 * as runc's user lookup does.  The containers of one root nearly always
 * share an owner: remember the last. */
static char *owner_of(int dirfd)
{
	static uid_t last_uid = (uid_t)-1;
	static char last_name[256];
	struct stat st;

	if (fstat(dirfd, &st) < 0)
		return xstrdup("");
	if (st.st_uid != last_uid) {
		cleanup_close int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
		last_name[0] = '\0';
		if (fd < 0 || !passwd_find(fd, st.st_uid, PASSWD_NAME, last_name, sizeof(last_name)) ||
		    !last_name[0])
			snprintf(last_name, sizeof(last_name), "#%u", st.st_uid);
		last_uid = st.st_uid;
	}
	return xstrdup(last_name);
}

static void print_row(const char *const *cells, const size_t *width, int cols)
{
	for (int i = 0; i < cols - 1; i++)
		printf("%-*s", (int)width[i], cells[i]);
	printf("%s\n", cells[cols - 1]);
}

/* Go's text/tabwriter as runc uses it: minwidth 12, padding 3. */
static void print_table(const struct entry *e, size_t n)
{
	enum { COLS = 6 };
	const char *head[COLS] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };
	size_t width[COLS];
	char pid[16];

	for (int i = 0; i < COLS; i++)
		width[i] = strlen(head[i]);
	for (size_t r = 0; r < n; r++) {
		snprintf(pid, sizeof(pid), "%d", e[r].c.status == STATUS_STOPPED ? 0 : (int)e[r].c.st.pid);
		const char *cells[COLS] = { e[r].c.st.id, pid, state_status_name(e[r].c.status),
					    e[r].c.st.bundle, e[r].created, e[r].owner };
		for (int i = 0; i < COLS; i++)
			if (strlen(cells[i]) > width[i])
				width[i] = strlen(cells[i]);
	}
	for (int i = 0; i < COLS - 1; i++)
		width[i] = width[i] + 3 < 12 ? 12 : width[i] + 3;
	print_row(head, width, COLS);
	for (size_t r = 0; r < n; r++) {
		snprintf(pid, sizeof(pid), "%d", e[r].c.status == STATUS_STOPPED ? 0 : (int)e[r].c.st.pid);
		const char *cells[COLS] = { e[r].c.st.id, pid, state_status_name(e[r].c.status),
					    e[r].c.st.bundle, e[r].created, e[r].owner };
		print_row(cells, width, COLS);
	}
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
		cleanup_free char *one = state_to_json(&e[i].c.st, e[i].c.status, e[i].owner, false);
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
	struct entry *entries = NULL;
	size_t n = 0, cap = 0;
	DIR *d;

	int r = command_parse(&cmd, argc, argv, 0, 0, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return error_set(err, EINVAL, "invalid format option");
	d = opendir(g->root);
	if (!d && errno != ENOENT)
		return error_sys(err, "open root %s", g->root);
	for (struct dirent *de; d && (de = readdir(d));) {
		struct error ignored;
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			entries = xrealloc(entries, cap * sizeof(*entries));
		}
		/* a container being created or deleted right now is skipped */
		if (container_open(g->root, de->d_name, false, &entries[n].c, &ignored) < 0)
			continue;
		entries[n].owner = owner_of(entries[n].c.dirfd);
		entries[n].created = state_created_text(entries[n].c.st.created);
		n++;
	}
	if (d)
		closedir(d);
	if (n)
		qsort(entries, n, sizeof(*entries), by_id);
	if (quiet) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", entries[i].c.st.id);
	} else if (strcmp(format, "json") == 0) {
		print_json(entries, n);
	} else {
		print_table(entries, n);
	}
	for (size_t i = 0; i < n; i++) {
		container_close(&entries[i].c);
		free(entries[i].owner);
		free(entries[i].created);
	}
	free(entries);
	return 0;
}
