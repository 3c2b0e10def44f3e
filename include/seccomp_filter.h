/* seccomp_filter.h: linux.seccomp as a BPF program.
 *
 * The runtime turns the config into BPF with libseccomp while it plans
 * (seccomp_filter_build); the child only hands that program to seccomp(2)
 * (seccomp_filter_load, from process.c, as late as the process allows).
 * With SCMP_ACT_NOTIFY the kernel returns a listener fd: the child sends it
 * to the runtime (SYNC_INIT_SECCOMP), which sends it with the container
 * process state to the agent at listenerPath (seccomp_filter_send_listener).
 */
#ifndef OCI_RT_SECCOMP_FILTER_H
#define OCI_RT_SECCOMP_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

struct plan_seccomp {
	struct sock_fprog prog; /* the filter, exported by libseccomp */
	unsigned int flags;     /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
	bool notify;            /* some rule notifies: loading returns a listener fd */
};

/* Build the filter for `s` (NULL: none, *out stays NULL). */
int seccomp_filter_build(const struct spec_seccomp *s, struct plan_seccomp **out, struct error *err);
void seccomp_filter_free(struct plan_seccomp *f);

/* In the child: install the filter; *listener gets the notify fd
 * (close-on-exec) or -1.  Needs no_new_privs or CAP_SYS_ADMIN. */
int seccomp_filter_load(const struct plan_seccomp *f, int *listener, struct error *err);

/* In the runtime: send the container process state (config-linux.md) with
 * `fd` as "seccompFd" to the agent at s->listener_path, in one sendmsg on a
 * fresh connection.  state_json is the container's state (state.h). */
int seccomp_filter_send_listener(const struct spec_seccomp *s, const char *state_json, pid_t pid, int fd,
				 struct error *err);

/* For `features`: the architectures libseccomp can put in a filter, and
 * the flags the kernel accepts (spec names, at most `max`). */
size_t seccomp_filter_archs(const char **names, size_t max);
size_t seccomp_filter_supported_flags(const char **names, size_t max);

#endif
