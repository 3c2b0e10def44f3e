/* cmd_events.c: `oci-rt events [--stats] [--interval D] <container-id>`:
 * runc's event stream, one JSON object per line: {"type":"stats",...}
 * every interval and {"type":"oom",...} when the kernel OOM-kills in the
 * container; it ends when the container's cgroup goes away.  --stats
 * prints one stats event and exits. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"
#include "log.h"
#include "util.h"

/* Go's time.ParseDuration: "5s", "1m30s", "250ms", "1.5h". */
static int parse_duration(const char *s, int64_t *ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = { { "ns", 1 }, { "us", 1e3 }, { "µs", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 } };
	double total = 0;
	bool neg = *s == '-';

	if (*s == '-' || *s == '+')
		s++;
	if (strcmp(s, "0") == 0) {
		*ns = 0;
		return 0;
	}
	if (!*s)
		return -1;
	while (*s) {
		char *end;
		if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return -1;
		double v = strtod(s, &end);
		if (end == s)
			return -1;
		s = end;
		size_t best = 0, best_len = 0;
		for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
			size_t l = strlen(units[i].unit);
			if (strncmp(s, units[i].unit, l) == 0 && l > best_len) {
				best = i;
				best_len = l;
			}
		}
		if (!best_len)
			return -1;
		total += v * units[best].ns;
		s += best_len;
	}
	*ns = (int64_t)(neg ? -total : total);
	return 0;
}

static int emit(const char *type, const char *id, const char *data, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int r = 0;

	strbuf_puts(&sb, "{\"type\":");
	strbuf_json_string(&sb, type);
	strbuf_puts(&sb, ",\"id\":");
	strbuf_json_string(&sb, id);
	if (data) {
		strbuf_puts(&sb, ",\"data\":");
		strbuf_puts(&sb, data);
	}
	strbuf_puts(&sb, "}\n");
	if (write_all(STDOUT_FILENO, sb.buf, sb.len) < 0)
		r = error_sys(err, "write event");
	strbuf_release(&sb);
	return r;
}

static int emit_stats(const struct cgroup *cg, const char *id, struct error *err)
{
	cleanup_free char *data = cgroup_stats_json(cg, err);

	if (!data)
		return -1;
	return emit("stats", id, data, err);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Stats every interval, oom events as they come, until the cgroup goes. */
static int stream(const struct cgroup *cg, const char *id, int64_t interval, struct error *err)
{
	struct cgroup_oom_watch w;
	int64_t next = now_ns() + interval;

	if (cgroup_oom_watch(cg, &w, err) < 0)
		return -1;
	for (;;) {
		int64_t left = next - now_ns();
		if (left <= 0) {
			struct error serr;
			if (emit_stats(cg, id, &serr) < 0)
				log_msg(LOG_LEVEL_ERROR, "%s", serr.msg);
			next += interval;
			continue;
		}
		struct pollfd p = { w.fd, POLLIN, 0 };
		int timeout = left / 1000000 > 60000 ? 60000 : (int)(left / 1000000) + 1;
		int n = poll(&p, 1, timeout);
		if (n < 0 && errno != EINTR) {
			cgroup_oom_unwatch(&w);
			return error_sys(err, "poll");
		}
		if (n <= 0)
			continue;
		/* one read may report an oom and the next that the cgroup is gone */
		for (;;) {
			int what = cgroup_oom_read(&w, err);
			if (what < 0 || what == 0) {
				cgroup_oom_unwatch(&w);
				return what < 0 ? -1 : 0;
			}
			if (what == 2)
				break;
			if (emit("oom", id, NULL, err) < 0) {
				cgroup_oom_unwatch(&w);
				return -1;
			}
		}
	}
}

int cmd_events(const struct globals *g, int argc, char **argv, struct error *err)
{
	const char *interval_text = "5s";
	bool stats = false;
	const struct cli_option opts[] = {
		{ "interval", NULL, CLI_STRING, &interval_text, "set the stats collection interval (default: 5s)" },
		{ "stats", NULL, CLI_BOOL, &stats, "display the container's stats then exit" },
	};
	struct cli_command cmd = { .name = "events", .usage = "[command options] <container-id>",
				   .summary = "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
				   .options = opts, .n_options = ARRAY_SIZE(opts) };
	cleanup_command_args struct command_args a;
	struct container c;
	struct cgroup cg;
	int64_t interval;
	int r = command_parse(&cmd, argc, argv, 1, 1, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (parse_duration(interval_text, &interval) < 0)
		return error_set(err, EINVAL, "invalid value \"%s\" for flag -interval: parse error", interval_text);
	if (interval <= 0)
		return error_set(err, EINVAL, "duration interval must be greater than 0");
	if (container_open(g->root, a.id, false, &c, err) < 0)
		return -1;
	if (c.status == STATUS_STOPPED)
		r = error_set(err, ESRCH, "container with id %s is not running", c.st.id);
	else if ((r = container_cgroup(&c, &cg, err)) == 0) {
		r = stats ? emit_stats(&cg, c.st.id, err) : stream(&cg, c.st.id, interval, err);
		cgroup_release(&cg);
	}
	container_close(&c);
	return r;
}
