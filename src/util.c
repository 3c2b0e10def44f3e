/* util.c: string buffer, whole-file I/O, atomic writes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "util.h"

static void oom(void)
{
	static const char msg[] = "oci-rt: out of memory\n";

	write_all(STDERR_FILENO, msg, sizeof(msg) - 1);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		oom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	char *p;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		oom();
	va_end(ap);
	return p;
}

static void strbuf_grow(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + extra + 1)
		cap *= 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void strbuf_put(struct strbuf *sb, const char *s, size_t n)
{
	strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_putc(struct strbuf *sb, char c)
{
	strbuf_put(sb, &c, 1);
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_put(sb, s, strlen(s));
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

/* A double-quoted literal: JSON (Go's encoding/json, which also escapes
 * <, > and & for HTML) or Go's %q (\xNN for other control bytes). */
static void put_quoted(struct strbuf *sb, const char *s, bool json)
{
	strbuf_putc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			strbuf_puts(sb, "\\\"");
			break;
		case '\\':
			strbuf_puts(sb, "\\\\");
			break;
		case '\n':
			strbuf_puts(sb, "\\n");
			break;
		case '\r':
			strbuf_puts(sb, "\\r");
			break;
		case '\t':
			strbuf_puts(sb, "\\t");
			break;
		default:
			if (json && (*p < 0x20 || *p == '<' || *p == '>' || *p == '&'))
				strbuf_printf(sb, "\\u%04x", *p);
			else if (!json && (*p < 0x20 || *p == 0x7f))
				strbuf_printf(sb, "\\x%02x", *p);
			else
				strbuf_putc(sb, (char)*p);
		}
	}
	strbuf_putc(sb, '"');
}

void strbuf_json_string(struct strbuf *sb, const char *s)
{
	put_quoted(sb, s, true);
}

/* logrus quotes a value unless every byte is in [A-Za-z0-9-._/@^+]. */
static bool go_needs_quoting(const char *s)
{
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-._/@^+", c)))
			return true;
	}
	return false;
}

void strbuf_quote_go(struct strbuf *sb, const char *s)
{
	if (go_needs_quoting(s))
		put_quoted(sb, s, false);
	else
		strbuf_puts(sb, s);
}

char *strbuf_detach(struct strbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int read_all_fd(int fd, size_t max, char **out, size_t *lenp, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char chunk[8192];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			strbuf_release(&sb);
			return error_sys(err, "read");
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > max) {
			strbuf_release(&sb);
			return error_set(err, EFBIG, "read: more than %zu bytes", max);
		}
		strbuf_put(&sb, chunk, (size_t)n);
	}
	if (lenp)
		*lenp = sb.len;
	*out = strbuf_detach(&sb);
	return 0;
}

int read_file_at(int dirfd, const char *path, size_t max, char **out, struct error *err)
{
	cleanup_close int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return error_sys(err, "open %s", path);
	if (read_all_fd(fd, max, out, NULL, err) < 0)
		return error_prefix(err, "%s", path);
	return 0;
}

int write_file_atomic(int dirfd, const char *name, const char *data, size_t len, mode_t mode,
		      struct error *err)
{
	char tmp[PATH_MAX];
	cleanup_close int fd = -1;

	snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return error_sys(err, "create %s", tmp);
	if (write_all(fd, data, len) < 0) {
		error_sys(err, "write %s", tmp);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		error_sys(err, "rename %s to %s", tmp, name);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return 0;
}

int write_file_at(int dirfd, const char *path, const char *data, struct error *err)
{
	cleanup_close int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return error_sys(err, "open %s", path);
	if (write_all(fd, data, strlen(data)) < 0)
		return error_sys(err, "write %s to %s", data, path);
	return 0;
}

unsigned long long proc_start_time(pid_t pid, char *state)
{
	char path[64], buf[1024];
	cleanup_close int fd = -1;
	ssize_t n;

	if (state)
		*state = '\0';
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: fields restart after the last ')' */
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return 0;
	p += 2;
	if (state)
		*state = *p;
	/* p is field 3 (state); start time is field 22 */
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return 0;
		p++;
	}
	return strtoull(p, NULL, 10);
}

int parse_uint64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int parse_int64(const char *s, int64_t *out)
{
	char *end;

	if (!s || !*s || *s == ' ' || *s == '+')
		return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* UTC date of a day count since 1970-01-01 (the proleptic Gregorian
 * calendar in 400-year eras).  Not gmtime_r: glibc loads the host's time
 * zone (/etc/localtime) for that too, on the start path. */
static void civil_from_days(long long days, int *y, int *m, int *d)
{
	days += 719468; /* from 0000-03-01 */
	long long era = (days >= 0 ? days : days - 146096) / 146097;
	long long doe = days - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void time_rfc3339(long long secs, long nsec, char *buf, size_t len)
{
	long long days = secs / 86400, rem = secs % 86400;
	int y, mo, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &mo, &d);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", y, mo, d, (int)(rem / 3600),
		 (int)(rem / 60 % 60), (int)(rem % 60), nsec);
}

void time_rfc3339_now(char *buf, size_t len)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	time_rfc3339(ts.tv_sec, ts.tv_nsec, buf, len);
}

int close_range_cloexec(int from)
{
	return (int)syscall(SYS_close_range, from, ~0U, CLOSE_RANGE_CLOEXEC);
}

int pid_file_write(const char *path, pid_t pid, struct error *err)
{
	cleanup_free char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *name = slash ? slash + 1 : path;
	cleanup_close int dirfd = -1;
	char buf[32];

	if (slash)
		*slash = '\0';
	dirfd = openat(AT_FDCWD, slash ? (*dir ? dir : "/") : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return error_sys(err, "open directory of pid file %s", path);
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
	if (write_file_atomic(dirfd, name, buf, (size_t)n, 0644, err) < 0)
		return error_prefix(err, "pid file %s", path);
	return 0;
}

const char *table_text(const char *const *texts, size_t n, int i, const char *word, char *buf, size_t len)
{
	if (i > 0 && (size_t)i < n && texts[i])
		return texts[i];
	snprintf(buf, len, "%s %d", word, i);
	return buf;
}
