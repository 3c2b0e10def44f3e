/* namespaces.c: namespace flags, paths, id maps, time offsets, and entering
 * namespaces joined by path (see namespaces.h for who enters which). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs_safe.h"
#include "namespaces.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
	unsigned long flag;
	const char *proc;
} ns_info[SPEC_NS_COUNT] = {
	[SPEC_NS_MOUNT] = { CLONE_NEWNS, "mnt" },
	[SPEC_NS_PID] = { CLONE_NEWPID, "pid" },
	[SPEC_NS_NETWORK] = { CLONE_NEWNET, "net" },
	[SPEC_NS_UTS] = { CLONE_NEWUTS, "uts" },
	[SPEC_NS_IPC] = { CLONE_NEWIPC, "ipc" },
	[SPEC_NS_USER] = { CLONE_NEWUSER, "user" },
	[SPEC_NS_CGROUP] = { CLONE_NEWCGROUP, "cgroup" },
	[SPEC_NS_TIME] = { CLONE_NEWTIME, "time" },
};

/* The order namespaces other than user and pid are joined in.  runc joins
 * user, ipc, uts, net, pid, mnt, cgroup, time; crun mount first.  The order
 * matters little here because every fd was opened by the runtime before the
 * clone (no path is resolved in a joined mount namespace); mount comes last
 * so nothing the init does before it happens in a foreign mount table. */
static const int join_order[] = {
	SPEC_NS_IPC, SPEC_NS_UTS, SPEC_NS_NETWORK, SPEC_NS_CGROUP, SPEC_NS_TIME, SPEC_NS_MOUNT,
};

unsigned long ns_clone_flag(int type)
{
	return ns_info[type].flag;
}

const char *ns_proc_name(int type)
{
	return ns_info[type].proc;
}

static char *format_map(const struct spec_id_mapping_array *m)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < m->n; i++)
		strbuf_printf(&sb, "%u %u %u\n", m->v[i].container_id, m->v[i].host_id, m->v[i].size);
	return strbuf_detach(&sb);
}

static int open_ns_path(int type, const char *path, struct error *err)
{
	cleanup_close int fd = -1;

	if (path[0] != '/')
		return error_set(err, EINVAL, "\"%s\" is not an absolute path", path);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_sys(err, "open %s namespace %s", spec_ns_type_name(type), path);
	/* ENOTTY for anything that is not an nsfs file */
	int kind = ioctl(fd, NS_GET_NSTYPE);
	if (kind < 0 || (unsigned long)kind != ns_info[type].flag)
		return error_set(err, EINVAL, "%s is not a %s namespace", path, spec_ns_type_name(type));
	return steal_fd(&fd);
}

/* Whether fd is the namespace the runtime itself is in (/proc/self/ns/<name>). */
static bool is_own_ns(int fd, const char *name)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	if (fstat(fd, &a) < 0 || stat(path, &b) < 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* ---- sysctl: only keys of a namespace the container owns (runc's rules) ---- */

static bool sysctl_is_ipc(const char *key)
{
	static const char *const ipc[] = {
		"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",  "kernel.sem",
		"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
	};
	for (size_t i = 0; i < ARRAY_SIZE(ipc); i++)
		if (strcmp(key, ipc[i]) == 0)
			return true;
	return strncmp(key, "fs.mqueue.", 10) == 0;
}

/* runc reads "net/ipv4/ip_forward" as "net.ipv4.ip_forward": when the first
 * separator is a '/', '.' and '/' swap roles.  Classify by the dotted form
 * (whether '/' keys are accepted at all is the syntax check's business). */
static char *sysctl_dotted(const char *key)
{
	char *k = xstrdup(key);
	size_t sep = strcspn(k, "./");

	if (k[sep] != '/')
		return k;
	for (char *p = k; *p; p++) {
		if (*p == '.')
			*p = '/';
		else if (*p == '/')
			*p = '.';
	}
	return k;
}

/* A key names a file below /proc/sys and nothing else: no empty, "." or
 * ".." component (RESOLVE_BENEATH alone would still allow /proc/sys/../1/...). */
static bool sysctl_key_valid(const char *key)
{
	const char *p = key;

	while (*p) {
		size_t n = strcspn(p, "./");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p && !*++p)
			return false; /* trailing separator */
	}
	return p != key;
}

static int check_sysctls(const struct spec_linux *lx, const struct plan *plan, struct error *err)
{
	for (size_t i = 0; i < lx->sysctl.n; i++) {
		if (!sysctl_key_valid(lx->sysctl.v[i].key))
			return error_set(err, EINVAL, "config.json: .linux.sysctl: invalid key \"%s\"",
					 lx->sysctl.v[i].key);
		cleanup_free char *key = sysctl_dotted(lx->sysctl.v[i].key);

		if (sysctl_is_ipc(key)) {
			if (!(plan->ns_all & CLONE_NEWIPC))
				return error_set(err, EINVAL, "sysctl \"%s\" is not allowed in the hosts ipc namespace", key);
			continue;
		}
		if (strncmp(key, "net.", 4) == 0) {
			/* "host" is the runtime's: no netns, or one joined that is ours */
			int fd = plan->ns_join_fd[SPEC_NS_NETWORK];
			if (!(plan->ns_all & CLONE_NEWNET) || (fd >= 0 && is_own_ns(fd, "net")))
				return error_set(err, EINVAL, "sysctl \"%s\" not allowed in host network namespace", key);
			continue;
		}
		if (plan->ns_all & CLONE_NEWUTS) {
			if (strcmp(key, "kernel.domainname") == 0)
				continue;
			if (strcmp(key, "kernel.hostname") == 0)
				return error_set(err, EINVAL,
						 "sysctl \"%s\" is not allowed as it conflicts with the OCI \"hostname\" field", key);
		}
		return error_set(err, EINVAL, "sysctl \"%s\" is not in a separate kernel namespace", key);
	}
	return 0;
}

/* Writes go through the init's /proc, checked to be the root of a procfs,
 * and resolve beneath it without crossing a mount or following a symlink:
 * no mount an image, a joined mount namespace or the config put over
 * /proc/sys can redirect them (CVE-2025-52881).  Which sysctl a path means
 * is decided by the writer's namespaces, not by the procfs instance. */
int ns_write_sysctls(const struct plan *plan, struct error *err)
{
	cleanup_close int proc = -1;

	if (plan->sysctl.n == 0)
		return 0;
	proc = fs_open_proc(err);
	if (proc < 0)
		return -1;
	for (size_t i = 0; i < plan->sysctl.n; i++) {
		const char *key = plan->sysctl.v[i].key;
		const char *value = plan->sysctl.v[i].value;
		struct open_how how = {
			.flags = O_WRONLY | O_NOCTTY | O_CLOEXEC,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
		};
		char path[PATH_MAX];
		cleanup_close int fd = -1;

		if ((size_t)snprintf(path, sizeof(path), "sys/%s", key) >= sizeof(path))
			return error_set(err, ENAMETOOLONG, "sysctl %s: name too long", key);
		/* dotted form: dots separate; runc's '/' form keeps its dots */
		if (key[strcspn(key, "./")] != '/')
			for (char *p = path; *p; p++)
				if (*p == '.')
					*p = '/';
		do
			fd = (int)syscall(SYS_openat2, proc, path, &how, sizeof(how));
		while (fd < 0 && errno == EAGAIN);
		if (fd < 0)
			return error_sys(err, "sysctl %s: open /proc/%s", key, path);
		if (write_all(fd, value, strlen(value)) < 0)
			return error_sys(err, "sysctl %s: write %s", key, value);
	}
	return 0;
}

static int plan_id_maps(const struct spec_linux *lx, struct plan *plan, struct error *err)
{
	if (plan->clone_flags & CLONE_NEWUSER) {
		if (lx->uid_mappings.n == 0)
			return error_set(err, EINVAL, "User namespaces enabled, but no uid mappings found.");
		if (lx->gid_mappings.n == 0)
			return error_set(err, EINVAL, "User namespaces enabled, but no gid mappings found.");
		plan->maps.uid_map = format_map(&lx->uid_mappings);
		plan->maps.gid_map = format_map(&lx->gid_mappings);
		return 0;
	}
	/* A joined user namespace has its maps already; mappings in the config
	 * (runc 1.1 requires them, CRI-O sends them) describe it and are not
	 * written. */
	if (!(plan->ns_all & CLONE_NEWUSER) && (lx->uid_mappings.n || lx->gid_mappings.n))
		return error_set(err, EINVAL, "User namespace mappings specified, but USER namespace isn't enabled in the config");
	return 0;
}

int ns_plan(const struct spec *spec, struct plan *plan, struct error *err)
{
	const struct spec_linux *lx = spec->linux_;

	for (size_t i = 0; lx && i < lx->namespaces.n; i++) {
		const struct spec_namespace *ns = &lx->namespaces.v[i];
		unsigned long flag = ns_info[ns->type].flag;

		if (plan->ns_all & flag)
			return error_set(err, EINVAL, "config.json: .linux.namespaces[%zu]: duplicate namespace type \"%s\"",
					 i, spec_ns_type_name(ns->type));
		plan->ns_all |= flag;
		if (ns->path && *ns->path) {
			plan->ns_join_fd[ns->type] = open_ns_path(ns->type, ns->path, err);
			if (plan->ns_join_fd[ns->type] < 0)
				return error_prefix(err, "config.json: .linux.namespaces[%zu].path", i);
		} else {
			plan->clone_flags |= flag;
		}
	}
	/* (so from here on lx is set: it holds the mount namespace) */
	if (!(plan->ns_all & CLONE_NEWNS))
		return error_set(err, EINVAL, "config.json: .linux.namespaces: a mount namespace is required");
	/* setns() into the user namespace one is already in fails (EINVAL):
	 * joining the runtime's own is having none of the container's own */
	int *user_fd = &plan->ns_join_fd[SPEC_NS_USER];
	if (*user_fd >= 0 && is_own_ns(*user_fd, "user")) {
		close(*user_fd);
		*user_fd = -1;
	}
	plan->userns = (plan->clone_flags & CLONE_NEWUSER) || *user_fd >= 0;
	if (plan_id_maps(lx, plan, err) < 0)
		return -1;
	if (lx->time_offsets) {
		if (!(plan->ns_all & CLONE_NEWTIME))
			return error_set(err, EINVAL, "time namespace offsets specified, but time namespace isn't enabled in the config");
		if (!(plan->clone_flags & CLONE_NEWTIME))
			return error_set(err, EINVAL, "time namespace enabled, but both namespace path and time offsets specified -- you may only provide one");
	}
	if (check_sysctls(lx, plan, err) < 0)
		return -1;
	plan->sysctl = lx->sysctl;
	return 0;
}

static int write_map(pid_t pid, const char *file, const char *map, struct error *err)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if (write_file_at(AT_FDCWD, path, map, err) < 0)
		return error_prefix(err, "write %s", file);
	return 0;
}

int ns_write_id_maps(pid_t pid, const struct plan_id_map *maps, struct error *err)
{
	if (!maps->uid_map)
		return 0;
	if (write_map(pid, "uid_map", maps->uid_map, err) < 0 ||
	    write_map(pid, "gid_map", maps->gid_map, err) < 0)
		return -1;
	return 0;
}

int ns_prepare_time(const struct spec *spec, const struct plan *plan, int *own_fd, struct error *err)
{
	const struct spec_time_offsets *to = spec->linux_ ? spec->linux_->time_offsets : NULL;
	cleanup_close int own = -1;
	struct strbuf sb = STRBUF_INIT;

	*own_fd = -1;
	if (!to || !(plan->clone_flags & CLONE_NEWTIME))
		return 0;
	own = openat(AT_FDCWD, "/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return error_sys(err, "open own time namespace");
	if (unshare(CLONE_NEWTIME) < 0)
		return error_sys(err, "unshare time namespace");
	if (to->monotonic)
		strbuf_printf(&sb, "monotonic %lld %u\n", (long long)to->monotonic->secs, to->monotonic->nanosecs);
	if (to->boottime)
		strbuf_printf(&sb, "boottime %lld %u\n", (long long)to->boottime->secs, to->boottime->nanosecs);
	int r = sb.buf ? write_file_at(AT_FDCWD, "/proc/self/timens_offsets", sb.buf, err) : 0;
	strbuf_release(&sb);
	if (r < 0) {
		setns(own, CLONE_NEWTIME);
		return error_prefix(err, "set linux.timeOffsets");
	}
	*own_fd = steal_fd(&own);
	return 0;
}

int ns_enter_pid_for_children(int target, int *own_fd, struct error *err)
{
	cleanup_close int own = -1;

	*own_fd = -1;
	if (target < 0)
		return 0;
	own = openat(AT_FDCWD, "/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return error_sys(err, "open own pid namespace");
	if (setns(target, CLONE_NEWPID) < 0)
		return error_sys(err, "join pid namespace");
	*own_fd = steal_fd(&own);
	return 0;
}

bool ns_join_needs_helper(const struct plan *plan)
{
	if (plan->ns_join_fd[SPEC_NS_USER] >= 0)
		return true;
	if (!(plan->clone_flags & CLONE_NEWUSER))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++)
		if (plan->ns_join_fd[join_order[i]] >= 0)
			return true;
	return false;
}

/* setns() and forget the fd; with may_defer, EPERM leaves it for later. */
static int join_one(struct plan *plan, int type, bool may_defer, struct error *err)
{
	int *fd = &plan->ns_join_fd[type];

	if (*fd < 0)
		return 0;
	if (setns(*fd, (int)ns_info[type].flag) < 0) {
		if (may_defer && errno == EPERM)
			return 0;
		return error_sys(err, "join %s namespace", spec_ns_type_name(type));
	}
	close(*fd);
	*fd = -1;
	return 0;
}

int ns_join_before_clone(struct plan *plan, struct error *err)
{
	/* from here on, nothing in the joined namespaces may read our memory
	 * or fds; the init inherits this and stays so until its exec */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return error_sys(err, "prctl(PR_SET_DUMPABLE)");
	/* pid first, while we still hold the runtime's privileges over it */
	if (join_one(plan, SPEC_NS_PID, false, err) < 0)
		return -1;
	/* As crun does: the others before the user namespace where we may
	 * (root of the runtime's user namespace may enter any), the rest,
	 * owned by the joined user namespace, from inside it.  With a new
	 * user namespace, all of them now: the init will be born in it. */
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++)
		if (join_one(plan, join_order[i], plan->ns_join_fd[SPEC_NS_USER] >= 0, err) < 0)
			return -1;
	if (join_one(plan, SPEC_NS_USER, false, err) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++)
		if (join_one(plan, join_order[i], false, err) < 0)
			return -1;
	return 0;
}

int ns_become_root(struct error *err)
{
	/* The init (or exec child) still carries the host's uid 0, unmapped when the container's
	 * root is another host id: files it created would fail (EOVERFLOW) */
	if (setresgid(0, 0, 0) < 0)
		return error_sys(err, "failed to become root in user namespace");
	/* a joined user namespace may have setgroups denied */
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		return error_sys(err, "failed to become root in user namespace: setgroups");
	if (setresuid(0, 0, 0) < 0)
		return error_sys(err, "failed to become root in user namespace");
	return 0;
}

int ns_join_remaining(const struct plan *plan, struct error *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++) {
		int type = join_order[i];
		int fd = plan->ns_join_fd[type];

		if (fd >= 0 && setns(fd, (int)ns_info[type].flag) < 0)
			return error_sys(err, "join %s namespace", spec_ns_type_name(type));
	}
	return 0;
}
