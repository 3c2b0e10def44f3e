/* log.h: runc-compatible logging (--log, --log-format text|json, --debug).
 *
 * Lines look exactly like runc's (logrus) so that containerd and podman can
 * read them:
 *   text: time="2026-11-22T22:53:27Z" level=error msg="container does not exist"
 *   json: {"level":"error","msg":"container does not exist","time":"2026-11-22T22:53:27Z"}
 */
#ifndef OCI_RT_LOG_H
#define OCI_RT_LOG_H

#include <stdbool.h>

#include "error.h"

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* path NULL means stderr; format "text" or "json". */
int log_setup(const char *path, const char *format, bool debug, struct error *err);

bool log_debug_enabled(void);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...)                                    \
	do {                                              \
		if (log_debug_enabled())                  \
			log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__); \
	} while (0)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)

/* Report a command's failure the way runc's fatal() does: one error line to
 * the log and, when the log is a file, the bare message on stderr too. */
void log_fatal(const char *msg);


/* Release the log fd (before exec'ing something that must not inherit it). */
void log_close(void);

/* The log fd, or -1 when logging to stderr (callers that fork keep it). */
int log_fd(void);

#endif
