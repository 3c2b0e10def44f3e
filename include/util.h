/* util.h: small helpers shared by every part: a growable string buffer,
 * whole-file I/O, atomic writes, and process start times.
 *
 * Files are opened with openat(AT_FDCWD, ...), never open(): musl's open()
 * follows every O_CLOEXEC open with an fcntl(F_SETFD) for kernels older than
 * 2.6.23, a second system call each time; its openat() does not. */
#ifndef OCI_RT_UTIL_H
#define OCI_RT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- string buffer: appends never fail (abort on OOM, like xmalloc) ---- */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_putc(struct strbuf *sb, char c);
void strbuf_put(struct strbuf *sb, const char *s, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string literal, quotes included (escapes like Go's encoding/json). */
void strbuf_json_string(struct strbuf *sb, const char *s);
/* A value the way logrus' text formatter prints it (Go %q when needed). */
void strbuf_quote_go(struct strbuf *sb, const char *s);
/* Take the buffer (NUL-terminated, never NULL); the strbuf is reset. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- I/O ---- */
int write_all(int fd, const void *buf, size_t len);
/* Read all of fd (at most max bytes; more is an error) into a NUL-terminated buffer. */
int read_all_fd(int fd, size_t max, char **out, size_t *len, struct error *err);
int read_file_at(int dirfd, const char *path, size_t max, char **out, struct error *err);
/* Write `data` to dirfd/name through a temporary file and rename(2):
 * readers see the old or the new content, never a partial one. */
int write_file_atomic(int dirfd, const char *name, const char *data, size_t len,
		      mode_t mode, struct error *err);
/* Write a short string to an existing file (proc, sysfs, cgroupfs). */
int write_file_at(int dirfd, const char *path, const char *data, struct error *err);

/* ---- processes ---- */
/* The pid as decimal, no newline, written atomically (what clients parse). */
int pid_file_write(const char *path, pid_t pid, struct error *err);

/* Field 22 of /proc/<pid>/stat (start time in clock ticks); 0 if gone.
 * *state (when set) gets field 3, the state letter ('S', 'D', 'Z'...). */
unsigned long long proc_start_time(pid_t pid, char *state);

/* ---- parsing ---- */
int parse_uint64(const char *s, uint64_t *out);
int parse_int64(const char *s, int64_t *out);

/* Current time as RFC 3339 with nanoseconds, UTC ("2026-11-22T22:53:36.459854048Z"). */
void time_rfc3339_now(char *buf, size_t len);
/* The same for a given time (seconds since the epoch, nanoseconds). */
void time_rfc3339(long long secs, long nsec, char *buf, size_t len);

/* texts[i] when i indexes a text of the n-entry table, else "<word> <i>"
 * in buf (Go's words for an errno or signal without a name). */
const char *table_text(const char *const *texts, size_t n, int i, const char *word, char *buf, size_t len);

/* Mark every fd >= from close-on-exec (close_range(2)). */
int close_range_cloexec(int from);

#endif
