/* error.c: filling and decorating `struct error` values. */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

/* with_strerror: append ": <errno_text(errnum)>" (error_sys). */
__attribute__((format(printf, 4, 0)))
static int error_vset(struct error *err, int errnum, bool with_strerror, const char *fmt, va_list ap)
{
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);

	if (n < 0)
		n = 0;
	if (with_strerror && errnum && (size_t)n + 2 < sizeof(err->msg)) {
		char buf[ERRNO_TEXT_MAX];
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s", errno_text(errnum, buf, sizeof(buf)));
	}
	err->errnum = errnum;
	return -1;
}

int error_set(struct error *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, errnum, false, fmt, ap);
	va_end(ap);
	return -1;
}

int error_sys(struct error *err, const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, errnum, true, fmt, ap);
	va_end(ap);
	return -1;
}

int error_prefix(struct error *err, const char *fmt, ...)
{
	char prefix[ERROR_MSG_MAX];
	char old[ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return -1;
}
