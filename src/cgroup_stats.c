/* cgroup_stats.c: what `events` reports: runc's stats object (types.Stats
 * of runc 1.1, libcontainer/cgroups/fs and fs2 for where each number comes
 * from), and OOM notifications (v1 eventfd on memory.oom_control, v2
 * inotify on memory.events). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "util.h"

/* Go's encoding/json of a uint64 field: `omitempty` drops a zero. */
static void num(struct strbuf *sb, bool *first, const char *key, uint64_t v, bool omitempty)
{
	if (omitempty && v == 0)
		return;
	strbuf_printf(sb, "%s\"%s\":%" PRIu64, *first ? "" : ",", key, v);
	*first = false;
}

static void key(struct strbuf *sb, bool *first, const char *k)
{
	strbuf_printf(sb, "%s\"%s\":", *first ? "" : ",", k);
	*first = false;
}

static uint64_t read_u64(const char *dir, const char *file)
{
	struct error ignored;
	uint64_t v = 0;

	if (dir && cgroup_read_u64(dir, file, &v, &ignored) < 0)
		v = 0;
	return v;
}

/* A "max" limit reads as the largest uint64 (runc's math.MaxUint64). */
static uint64_t read_key(const char *dir, const char *file, const char *k)
{
	struct error ignored;
	uint64_t v = 0;

	if (dir && cgroup_read_key(dir, file, k, &v, &ignored) < 0)
		v = 0;
	return v;
}

static char *read_text(const char *dir, const char *file)
{
	struct error ignored;
	char *text = NULL;
	cleanup_free char *path = dir ? xasprintf("%s/%s", dir, file) : NULL;

	if (!path || read_file_at(AT_FDCWD, path, 1 << 20, &text, &ignored) < 0)
		return NULL;
	return text;
}

/* "12 34 56" -> [12,34,56]; omitted when empty */
static void num_list(struct strbuf *sb, bool *first, const char *k, const char *text)
{
	bool any = false;

	for (const char *p = text; p && *p;) {
		char *end;
		uint64_t v = strtoull(p, &end, 10);
		if (end == p)
			break;
		strbuf_printf(sb, "%s%" PRIu64, any ? "," : (key(sb, first, k), "["), v);
		any = true;
		p = end;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	if (any)
		strbuf_putc(sb, ']');
}

/* ---- cpu ------------------------------------------------------------ */

static void cpu_v1(struct strbuf *sb, const struct cgroup *cg)
{
	const char *acct = cgroup_dir(cg, "cpuacct");
	const char *cpu = cgroup_dir(cg, "cpu");
	cleanup_free char *percpu = read_text(acct, "cpuacct.usage_percpu");
	cleanup_free char *percpu_sys = read_text(acct, "cpuacct.usage_percpu_sys");
	cleanup_free char *percpu_user = read_text(acct, "cpuacct.usage_percpu_user");
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t ns_per_tick = hz > 0 ? 1000000000ull / (uint64_t)hz : 10000000ull;
	bool first = true, f2 = true;

	strbuf_puts(sb, "\"cpu\":{\"usage\":{");
	num(sb, &first, "total", read_u64(acct, "cpuacct.usage"), true);
	num_list(sb, &first, "percpu", percpu);
	num_list(sb, &first, "percpu_kernel", percpu_sys);
	num_list(sb, &first, "percpu_user", percpu_user);
	num(sb, &first, "kernel", read_key(acct, "cpuacct.stat", "system") * ns_per_tick, false);
	num(sb, &first, "user", read_key(acct, "cpuacct.stat", "user") * ns_per_tick, false);
	strbuf_puts(sb, "},\"throttling\":{");
	num(sb, &f2, "periods", read_key(cpu, "cpu.stat", "nr_periods"), true);
	num(sb, &f2, "throttledPeriods", read_key(cpu, "cpu.stat", "nr_throttled"), true);
	num(sb, &f2, "throttledTime", read_key(cpu, "cpu.stat", "throttled_time"), true);
	strbuf_puts(sb, "}}");
}

static void cpu_v2(struct strbuf *sb, const char *dir)
{
	bool first = true, f2 = true;

	strbuf_puts(sb, "\"cpu\":{\"usage\":{");
	num(sb, &first, "total", read_key(dir, "cpu.stat", "usage_usec") * 1000, true);
	num(sb, &first, "kernel", read_key(dir, "cpu.stat", "system_usec") * 1000, false);
	num(sb, &first, "user", read_key(dir, "cpu.stat", "user_usec") * 1000, false);
	strbuf_puts(sb, "},\"throttling\":{");
	num(sb, &f2, "periods", read_key(dir, "cpu.stat", "nr_periods"), true);
	num(sb, &f2, "throttledPeriods", read_key(dir, "cpu.stat", "nr_throttled"), true);
	num(sb, &f2, "throttledTime", read_key(dir, "cpu.stat", "throttled_usec") * 1000, true);
	strbuf_puts(sb, "}}");
}

/* "0-2,5" -> [0,1,2,5] */
static void id_list(struct strbuf *sb, bool *first, const char *k, const char *text)
{
	bool any = false;

	for (const char *p = text; p && *p && *p != '\n';) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi;
		if (end == p)
			break;
		hi = lo;
		p = end;
		if (*p == '-') {
			hi = strtoul(p + 1, &end, 10);
			p = end;
		}
		for (unsigned long v = lo; v <= hi && v < 65536; v++) {
			strbuf_printf(sb, "%s%lu", any ? "," : (key(sb, first, k), "["), v);
			any = true;
		}
		if (*p == ',')
			p++;
	}
	if (any)
		strbuf_putc(sb, ']');
}

static void cpuset_stats(struct strbuf *sb, const struct cgroup *cg)
{
	const char *dir = cgroup_dir(cg, "cpuset");
	cleanup_free char *cpus = read_text(dir, "cpuset.cpus");
	cleanup_free char *mems = read_text(dir, "cpuset.mems");
	cleanup_free char *relax = read_text(dir, "cpuset.sched_relax_domain_level");
	bool first = true;

	strbuf_puts(sb, "\"cpuset\":{");
	id_list(sb, &first, "cpus", cpus);
	num(sb, &first, "cpu_exclusive", read_u64(dir, "cpuset.cpu_exclusive"), false);
	id_list(sb, &first, "mems", mems);
	num(sb, &first, "mem_hardwall", read_u64(dir, "cpuset.mem_hardwall"), false);
	num(sb, &first, "mem_exclusive", read_u64(dir, "cpuset.mem_exclusive"), false);
	num(sb, &first, "memory_migrate", read_u64(dir, "cpuset.memory_migrate"), false);
	num(sb, &first, "memory_spread_page", read_u64(dir, "cpuset.memory_spread_page"), false);
	num(sb, &first, "memory_spread_slab", read_u64(dir, "cpuset.memory_spread_slab"), false);
	num(sb, &first, "memory_pressure", read_u64(dir, "cpuset.memory_pressure"), false);
	num(sb, &first, "sched_load_balance", read_u64(dir, "cpuset.sched_load_balance"), false);
	key(sb, &first, "sched_relax_domain_level");
	strbuf_printf(sb, "%ld", relax ? strtol(relax, NULL, 10) : 0L);
	strbuf_putc(sb, '}');
}

/* ---- memory -------------------------------------------------------- */

static void mem_entry(struct strbuf *sb, const char *k, uint64_t limit, uint64_t usage, uint64_t max,
		      uint64_t failcnt)
{
	bool first = true;

	strbuf_printf(sb, ",\"%s\":{", k);
	num(sb, &first, "limit", limit, false);
	num(sb, &first, "usage", usage, true);
	num(sb, &first, "max", max, true);
	num(sb, &first, "failcnt", failcnt, false);
	strbuf_putc(sb, '}');
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* memory.stat as "raw", keys sorted like a Go map; returns the value of
 * cache_key too */
static uint64_t raw_stats(struct strbuf *sb, const char *dir, const char *cache_key)
{
	cleanup_free char *text = read_text(dir, "memory.stat");
	char *lines[256];
	size_t n = 0;
	uint64_t cache = 0;

	for (char *save = NULL, *l = text ? strtok_r(text, "\n", &save) : NULL; l && n < ARRAY_SIZE(lines);
	     l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	if (n == 0)
		return 0;
	qsort(lines, n, sizeof(char *), cmp_str);
	strbuf_puts(sb, ",\"raw\":{");
	for (size_t i = 0; i < n; i++) {
		char *sp = strchr(lines[i], ' ');
		if (!sp)
			continue;
		*sp = '\0';
		uint64_t v = strtoull(sp + 1, NULL, 10);
		if (strcmp(lines[i], cache_key) == 0)
			cache = v;
		strbuf_printf(sb, "%s\"%s\":%" PRIu64, i ? "," : "", lines[i], v);
	}
	strbuf_putc(sb, '}');
	return cache;
}

static void memory_v1(struct strbuf *sb, const char *dir)
{
	struct strbuf body = STRBUF_INIT;

	mem_entry(&body, "usage", read_u64(dir, "memory.limit_in_bytes"), read_u64(dir, "memory.usage_in_bytes"),
		  read_u64(dir, "memory.max_usage_in_bytes"), read_u64(dir, "memory.failcnt"));
	mem_entry(&body, "swap", read_u64(dir, "memory.memsw.limit_in_bytes"), read_u64(dir, "memory.memsw.usage_in_bytes"),
		  read_u64(dir, "memory.memsw.max_usage_in_bytes"), read_u64(dir, "memory.memsw.failcnt"));
	mem_entry(&body, "kernel", read_u64(dir, "memory.kmem.limit_in_bytes"), read_u64(dir, "memory.kmem.usage_in_bytes"),
		  read_u64(dir, "memory.kmem.max_usage_in_bytes"), read_u64(dir, "memory.kmem.failcnt"));
	mem_entry(&body, "kernelTCP", read_u64(dir, "memory.kmem.tcp.limit_in_bytes"),
		  read_u64(dir, "memory.kmem.tcp.usage_in_bytes"), read_u64(dir, "memory.kmem.tcp.max_usage_in_bytes"),
		  read_u64(dir, "memory.kmem.tcp.failcnt"));
	uint64_t cache = raw_stats(&body, dir, "cache");
	strbuf_puts(sb, "\"memory\":{");
	if (cache)
		strbuf_printf(sb, "\"cache\":%" PRIu64, cache);
	strbuf_puts(sb, body.buf + (cache ? 0 : 1));
	strbuf_putc(sb, '}');
	strbuf_release(&body);
}

static void memory_v2(struct strbuf *sb, const char *dir)
{
	struct strbuf body = STRBUF_INIT;
	uint64_t limit = read_u64(dir, "memory.max"), usage = read_u64(dir, "memory.current");
	uint64_t swap_limit = read_u64(dir, "memory.swap.max"), swap = read_u64(dir, "memory.swap.current");

	/* v1 reports swap as memory+swap: so does runc on v2 */
	if (swap_limit != UINT64_MAX && limit != UINT64_MAX)
		swap_limit += limit;
	mem_entry(&body, "usage", limit, usage, read_u64(dir, "memory.peak"), read_key(dir, "memory.events", "max"));
	mem_entry(&body, "swap", swap_limit, swap + usage, 0, read_key(dir, "memory.swap.events", "max"));
	mem_entry(&body, "kernel", 0, 0, 0, 0);
	mem_entry(&body, "kernelTCP", 0, 0, 0, 0);
	uint64_t cache = raw_stats(&body, dir, "file");
	strbuf_puts(sb, "\"memory\":{");
	if (cache)
		strbuf_printf(sb, "\"cache\":%" PRIu64, cache);
	strbuf_puts(sb, body.buf + (cache ? 0 : 1));
	strbuf_putc(sb, '}');
	strbuf_release(&body);
}

/* ---- pids, blkio, hugetlb ------------------------------------------ */

static void pids_stats(struct strbuf *sb, const char *dir)
{
	bool first = true;
	uint64_t limit = read_u64(dir, "pids.max");

	strbuf_puts(sb, "\"pids\":{");
	num(sb, &first, "current", read_u64(dir, "pids.current"), true);
	num(sb, &first, "limit", limit == UINT64_MAX ? 0 : limit, true);
	strbuf_putc(sb, '}');
}

/* v1 "8:0 Read 4096" lines -> entries (the "Total" lines are dropped) */
static void blkio_v1_list(struct strbuf *sb, bool *first, const char *k, const char *dir, const char *file)
{
	cleanup_free char *text = read_text(dir, file);
	bool any = false;

	for (char *save = NULL, *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		unsigned long long maj, min, v;
		char op[16];
		if (sscanf(l, "%llu:%llu %15s %llu", &maj, &min, op, &v) != 4)
			continue;
		strbuf_puts(sb, any ? "," : (key(sb, first, k), "["));
		any = true;
		bool f = true;
		strbuf_putc(sb, '{');
		num(sb, &f, "major", maj, true);
		num(sb, &f, "minor", min, true);
		strbuf_printf(sb, "%s\"op\":\"%s\"", f ? "" : ",", op);
		f = false;
		num(sb, &f, "value", v, true);
		strbuf_putc(sb, '}');
	}
	if (any)
		strbuf_putc(sb, ']');
}

static void blkio_v1(struct strbuf *sb, const char *dir)
{
	bool first = true;
	bool bfq = dir && cgroup_file_exists(dir, "blkio.bfq.io_service_bytes_recursive");

	strbuf_puts(sb, "\"blkio\":{");
	blkio_v1_list(sb, &first, "ioServiceBytesRecursive", dir,
		      bfq ? "blkio.bfq.io_service_bytes_recursive" : "blkio.throttle.io_service_bytes_recursive");
	blkio_v1_list(sb, &first, "ioServicedRecursive", dir,
		      bfq ? "blkio.bfq.io_serviced_recursive" : "blkio.throttle.io_serviced_recursive");
	strbuf_putc(sb, '}');
}

/* v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..." -> runc's v1 shape */
static void io_v2(struct strbuf *sb, const char *dir)
{
	cleanup_free char *text = read_text(dir, "io.stat");
	struct strbuf bytes = STRBUF_INIT, ios = STRBUF_INIT;

	for (char *save = NULL, *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		unsigned long long maj, min, rb = 0, wb = 0, ri = 0, wi = 0;
		if (sscanf(l, "%llu:%llu", &maj, &min) != 2)
			continue;
		char *p;
		if ((p = strstr(l, "rbytes=")))
			rb = strtoull(p + 7, NULL, 10);
		if ((p = strstr(l, "wbytes=")))
			wb = strtoull(p + 7, NULL, 10);
		if ((p = strstr(l, "rios=")))
			ri = strtoull(p + 5, NULL, 10);
		if ((p = strstr(l, "wios=")))
			wi = strtoull(p + 5, NULL, 10);
		const char *ops[2] = { "Read", "Write" };
		unsigned long long bv[2] = { rb, wb }, iv[2] = { ri, wi };
		for (int k = 0; k < 2; k++) {
			strbuf_printf(&bytes, "%s{\"major\":%llu,\"minor\":%llu,\"op\":\"%s\"", bytes.len ? "," : "", maj, min, ops[k]);
			if (bv[k])
				strbuf_printf(&bytes, ",\"value\":%llu", bv[k]);
			strbuf_putc(&bytes, '}');
			strbuf_printf(&ios, "%s{\"major\":%llu,\"minor\":%llu,\"op\":\"%s\"", ios.len ? "," : "", maj, min, ops[k]);
			if (iv[k])
				strbuf_printf(&ios, ",\"value\":%llu", iv[k]);
			strbuf_putc(&ios, '}');
		}
	}
	strbuf_puts(sb, "\"blkio\":{");
	if (bytes.len)
		strbuf_printf(sb, "\"ioServiceBytesRecursive\":[%s],\"ioServicedRecursive\":[%s]", bytes.buf, ios.buf);
	strbuf_putc(sb, '}');
	strbuf_release(&bytes);
	strbuf_release(&ios);
}

/* "hugepages-2048kB" -> "2MB", as runc names the page sizes */
static bool page_size_name(const char *dirent, char *out, size_t len)
{
	unsigned long kb;

	if (sscanf(dirent, "hugepages-%lukB", &kb) != 1)
		return false;
	if (kb >= 1024 * 1024 && kb % (1024 * 1024) == 0)
		snprintf(out, len, "%luGB", kb / (1024 * 1024));
	else if (kb >= 1024 && kb % 1024 == 0)
		snprintf(out, len, "%luMB", kb / 1024);
	else
		snprintf(out, len, "%luKB", kb);
	return true;
}

static void hugetlb_stats(struct strbuf *sb, const char *dir, bool v2)
{
	cleanup_closedir DIR *d = dir ? opendir("/sys/kernel/mm/hugepages") : NULL;
	char *names[16];
	size_t n = 0;

	strbuf_puts(sb, "\"hugetlb\":{");
	for (struct dirent *e; d && (e = readdir(d)) && n < ARRAY_SIZE(names);) {
		char name[32];
		if (page_size_name(e->d_name, name, sizeof(name)))
			names[n++] = xstrdup(name);
	}
	qsort(names, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *usage = xasprintf(v2 ? "hugetlb.%s.current" : "hugetlb.%s.usage_in_bytes", names[i]);
		cleanup_free char *max = xasprintf("hugetlb.%s.max_usage_in_bytes", names[i]);
		cleanup_free char *fail = xasprintf(v2 ? "hugetlb.%s.events" : "hugetlb.%s.failcnt", names[i]);
		bool first = true;
		strbuf_printf(sb, "%s\"%s\":{", i ? "," : "", names[i]);
		num(sb, &first, "usage", read_u64(dir, usage), true);
		num(sb, &first, "max", v2 ? 0 : read_u64(dir, max), true);
		num(sb, &first, "failcnt", v2 ? read_key(dir, fail, "max") : read_u64(dir, fail), false);
		strbuf_putc(sb, '}');
		free(names[i]);
	}
	strbuf_putc(sb, '}');
}

char *cgroup_stats_json(const struct cgroup *cg, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *v2 = cgroup_dir(cg, "");
	const char *d;

	(void)err;
	strbuf_putc(&sb, '{');
	if (cgroup_dir(cg, "cpuacct") || !v2)
		cpu_v1(&sb, cg);
	else
		cpu_v2(&sb, v2);
	strbuf_putc(&sb, ',');
	cpuset_stats(&sb, cg);
	strbuf_putc(&sb, ',');
	if ((d = cgroup_dir(cg, "memory")))
		memory_v1(&sb, d);
	else if (v2 && cgroup_v2_has(v2, "memory"))
		memory_v2(&sb, v2);
	else
		strbuf_puts(&sb, "\"memory\":{\"usage\":{\"limit\":0,\"failcnt\":0},\"swap\":{\"limit\":0,\"failcnt\":0},"
				 "\"kernel\":{\"limit\":0,\"failcnt\":0},\"kernelTCP\":{\"limit\":0,\"failcnt\":0}}");
	strbuf_putc(&sb, ',');
	d = cgroup_dir(cg, "pids");
	pids_stats(&sb, d ? d : (v2 && cgroup_v2_has(v2, "pids") ? v2 : NULL));
	strbuf_putc(&sb, ',');
	if ((d = cgroup_dir(cg, "blkio")))
		blkio_v1(&sb, d);
	else if (v2 && cgroup_v2_has(v2, "io"))
		io_v2(&sb, v2);
	else
		strbuf_puts(&sb, "\"blkio\":{}");
	strbuf_putc(&sb, ',');
	if ((d = cgroup_dir(cg, "hugetlb")))
		hugetlb_stats(&sb, d, false);
	else
		hugetlb_stats(&sb, v2 && cgroup_v2_has(v2, "hugetlb") ? v2 : NULL, true);
	strbuf_puts(&sb, ",\"intel_rdt\":{},\"network_interfaces\":null}");
	return strbuf_detach(&sb);
}

/* ---- OOM notifications ---------------------------------------------- */

int cgroup_oom_watch(const struct cgroup *cg, struct cgroup_oom_watch *w, struct error *err)
{
	const char *dir = cgroup_dir(cg, "memory");
	struct error ignored;

	memset(w, 0, sizeof(*w));
	w->fd = w->oom_fd = -1;
	if (dir) {
		/* v1: an eventfd the kernel signals on OOM, and on rmdir */
		cleanup_free char *oc = xasprintf("%s/memory.oom_control", dir);
		cleanup_free char *ec = xasprintf("%s/cgroup.event_control", dir);
		char line[64];
		w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		w->oom_fd = openat(AT_FDCWD, oc, O_RDONLY | O_CLOEXEC);
		if (w->fd < 0 || w->oom_fd < 0) {
			cgroup_oom_unwatch(w);
			return error_sys(err, "watch %s", oc);
		}
		snprintf(line, sizeof(line), "%d %d", w->fd, w->oom_fd);
		if (write_file_at(AT_FDCWD, ec, line, err) < 0) {
			cgroup_oom_unwatch(w);
			return -1;
		}
		w->cgevents = xstrdup(dir);
		return 0;
	}
	dir = cgroup_dir(cg, "");
	if (!dir || !cgroup_v2_has(dir, "memory"))
		return error_set(err, ENOTSUP, "no memory controller to watch for OOM events");
	w->v2 = true;
	w->events = xasprintf("%s/memory.events", dir);
	w->cgevents = xasprintf("%s/cgroup.events", dir);
	w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (w->fd < 0 || inotify_add_watch(w->fd, w->events, IN_MODIFY) < 0 ||
	    inotify_add_watch(w->fd, w->cgevents, IN_MODIFY) < 0) {
		cgroup_oom_unwatch(w);
		return error_sys(err, "watch %s/memory.events", dir);
	}
	cgroup_read_key(dir, "memory.events", "oom_kill", &w->kills, &ignored);
	return 0;
}

int cgroup_oom_read(struct cgroup_oom_watch *w, struct error *err)
{
	if (!w->v2) {
		uint64_t count;
		if (read(w->fd, &count, sizeof(count)) != (ssize_t)sizeof(count))
			return errno == EAGAIN ? 2 : error_sys(err, "read oom eventfd");
		/* the eventfd also fires when the cgroup is removed */
		return access(w->cgevents, F_OK) == 0 ? 1 : 0;
	}
	char buf[4096];
	bool gone = false;
	ssize_t n = read(w->fd, buf, sizeof(buf));
	if (n < 0 && errno != EAGAIN)
		return error_sys(err, "read inotify");
	for (ssize_t off = 0; n > 0 && off < n;) {
		const struct inotify_event *ev = (const struct inotify_event *)(buf + off);
		if (ev->mask & IN_IGNORED)
			gone = true;
		off += (ssize_t)(sizeof(*ev) + ev->len);
	}
	char *dir = xstrdup(w->events);
	*strrchr(dir, '/') = '\0';
	uint64_t kills = 0, populated = 1;
	struct error ignored;
	if (cgroup_read_key(dir, "memory.events", "oom_kill", &kills, &ignored) < 0 ||
	    cgroup_read_key(dir, "cgroup.events", "populated", &populated, &ignored) < 0)
		gone = true;
	free(dir);
	if (kills > w->kills) {
		w->kills = kills;
		return 1;
	}
	return gone || populated == 0 ? 0 : 2;
}

void cgroup_oom_unwatch(struct cgroup_oom_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->oom_fd >= 0)
		close(w->oom_fd);
	free(w->events);
	free(w->cgevents);
	w->fd = w->oom_fd = -1;
	w->events = w->cgevents = NULL;
}
