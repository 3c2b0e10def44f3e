/* log.c: runc's log line formats on stderr or a --log file. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static int log_out = STDERR_FILENO;
static bool log_is_file;
static bool log_json;
static bool log_debug_on;

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARN] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

int log_setup(const char *path, const char *format, bool debug, struct error *err)
{
	if (format && strcmp(format, "json") == 0)
		log_json = true;
	else if (format && strcmp(format, "text") != 0)
		return error_set(err, 0, "invalid log-format: %s", format);
	log_debug_on = debug;
	if (path && *path && strcmp(path, "/dev/stderr") != 0) {
		int fd = openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_APPEND | O_SYNC | O_CLOEXEC, 0644);

		if (fd < 0)
			return error_sys(err, "open log file %s", path);
		log_out = fd;
		log_is_file = true;
	}
	return 0;
}

bool log_debug_enabled(void)
{
	return log_debug_on;
}

int log_fd(void)
{
	return log_is_file ? log_out : -1;
}

void log_close(void)
{
	if (log_is_file) {
		close(log_out);
		log_out = STDERR_FILENO;
		log_is_file = false;
	}
}

/* logrus' default timestamp: time.RFC3339 in local time, "Z" for UTC,
 * "+hh:mm" otherwise. */
static void log_time(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char base[32];

	localtime_r(&now, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	long off = tm.tm_gmtoff / 60;
	if (off == 0) {
		snprintf(buf, len, "%sZ", base);
		return;
	}
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, len, "%s%c%02ld:%02ld", base, sign, off / 60, off % 60);
}

static void log_write_line(enum log_level level, const char *msg)
{
	char when[40];
	struct strbuf line = STRBUF_INIT;

	log_time(when, sizeof(when));
	if (log_json) {
		strbuf_puts(&line, "{\"level\":\"");
		strbuf_puts(&line, level_names[level]);
		strbuf_puts(&line, "\",\"msg\":");
		strbuf_json_string(&line, msg);
		strbuf_puts(&line, ",\"time\":\"");
		strbuf_puts(&line, when);
		strbuf_puts(&line, "\"}\n");
	} else {
		strbuf_printf(&line, "time=\"%s\" level=%s msg=", when, level_names[level]);
		strbuf_quote_go(&line, msg);
		strbuf_putc(&line, '\n');
	}
	if (line.buf)
		write_all(log_out, line.buf, line.len);
	strbuf_release(&line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[ERROR_MSG_MAX];
	va_list ap;
	int saved = errno;

	if (level == LOG_LEVEL_DEBUG && !log_debug_on)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_write_line(level, msg);
	errno = saved;
}

void log_fatal(const char *msg)
{
	log_write_line(LOG_LEVEL_ERROR, msg);
	if (log_is_file) {
		struct strbuf line = STRBUF_INIT;

		strbuf_puts(&line, msg);
		/* a message may carry its own newline (urfave's "No help topic") */
		if (line.len == 0 || line.buf[line.len - 1] != '\n')
			strbuf_putc(&line, '\n');
		if (line.buf)
			write_all(STDERR_FILENO, line.buf, line.len);
		strbuf_release(&line);
	}
}
