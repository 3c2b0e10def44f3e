/* error.h: errors as values.
 *
 * A function that can fail returns a negative number and fills a
 * `struct error`.  Callers add context as the error travels up, so the user
 * reads "create c1: mount proc on /proc: No such device" rather than "-19".
 * The struct is a fixed-size value: it can be filled in the container's init
 * without allocating and sent to the parent over the sync socket as is.
 */
#ifndef OCI_RT_ERROR_H
#define OCI_RT_ERROR_H

#include <stddef.h>

#define ERROR_MSG_MAX 2048

struct error {
	int errnum; /* errno of the root cause, 0 when there is none */
	char msg[ERROR_MSG_MAX];
};

/* Fill *err with a formatted message and remember errnum (0 for none) for
 * callers that branch on the cause; the message is exactly fmt's.  Always
 * returns -1 so callers can `return error_set(...)`. */
int error_set(struct error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like error_set with errno, and ": <errno_text(errno)>" appended. */
int error_sys(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prepend "context: " to the message already in *err.  Returns -1. */
int error_prefix(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* errno's text as runc (Go) prints it: "no such file or directory".  buf
 * (ERRNO_TEXT_MAX) holds the text of a number without a name. */
#define ERRNO_TEXT_MAX 32
const char *errno_text(int errnum, char *buf, size_t len);

static inline void error_clear(struct error *err)
{
	err->errnum = 0;
	err->msg[0] = '\0';
}

#endif
