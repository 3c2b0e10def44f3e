/* error.c: filling and decorating `struct error` values. */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

/* with_strerror: append ": <strerror(errnum)>" (error_sys). */
__attribute__((format(printf, 4, 0)))
static int error_vset(struct error *err, int errnum, bool with_strerror, const char *fmt, va_list ap)
{
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);

	if (n < 0)
		n = 0;
	/* Go (and so runc) prints errno texts in lower case: clients match
	 * "no such file or directory", "permission denied" */
	if (with_strerror && errnum && (size_t)n + 2 < sizeof(err->msg)) {
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s", strerror(errnum));
		char *first = err->msg + n + 2;
		if (*first >= 'A' && *first <= 'Z')
			*first = (char)(*first - 'A' + 'a');
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
