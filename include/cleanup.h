/* cleanup.h: scope-bound resources (GCC/clang cleanup attribute).
 *
 * Every early return releases what the scope holds.  Ownership is handed on
 * with steal_fd()/steal_ptr(), which return the value and reset the variable
 * so the cleanup does nothing.
 */
#ifndef OCI_RT_CLEANUP_H
#define OCI_RT_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
	void **pp = p;
	free(*pp);
}

static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void cleanup_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

static inline void cleanup_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

/* A child that must not outlive the scope unless stolen: killed and reaped. */
static inline void cleanup_killp(pid_t *pid)
{
	if (*pid > 0) {
		int saved = errno;
		kill(*pid, SIGKILL);
		while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
			;
		errno = saved;
	}
}

#define cleanup_free __attribute__((cleanup(cleanup_freep)))
#define cleanup_close __attribute__((cleanup(cleanup_closep)))
#define cleanup_fclose __attribute__((cleanup(cleanup_fclosep)))
#define cleanup_closedir __attribute__((cleanup(cleanup_closedirp)))
#define cleanup_pid __attribute__((cleanup(cleanup_killp)))

static inline int steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

static inline void *steal_ptr_impl(void **p)
{
	void *r = *p;
	*p = NULL;
	return r;
}
#define steal_ptr(pp) steal_ptr_impl((void **)(pp))

static inline pid_t steal_pid(pid_t *pid)
{
	pid_t r = *pid;
	*pid = 0;
	return r;
}

#endif
