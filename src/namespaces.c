/* namespaces.c: namespace flags, paths, id maps and time offsets. */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cleanup.h"
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

/* The order the init joins namespaces in: user (before the clone), then
 * the ones that don't change what the init sees of the filesystem, and
 * the mount namespace last. */
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
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return error_sys(err, "open %s namespace %s", spec_ns_type_name(type), path);
	int kind = ioctl(fd, NS_GET_NSTYPE);
	if (kind < 0 || (unsigned long)kind != ns_info[type].flag)
		return error_set(err, EINVAL, "%s is not a %s namespace", path, spec_ns_type_name(type));
	return steal_fd(&fd);
}

int ns_plan(const struct spec *spec, struct plan *plan, struct error *err)
{
	const struct spec_linux *lx = spec->linux_;

	if (!lx)
		return 0;
	for (size_t i = 0; i < lx->namespaces.n; i++) {
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
	plan->userns = plan->ns_all & CLONE_NEWUSER;
	if (plan->clone_flags & CLONE_NEWUSER) {
		if (lx->uid_mappings.n == 0 || lx->gid_mappings.n == 0)
			return error_set(err, EINVAL, "user namespaces enabled, but no user mapping found");
		plan->maps.uid_map = format_map(&lx->uid_mappings);
		plan->maps.gid_map = format_map(&lx->gid_mappings);
	} else if (lx->uid_mappings.n || lx->gid_mappings.n) {
		return error_set(err, EINVAL, "user mappings are specified, but no new user namespace is requested");
	}
	if (lx->time_offsets && !(plan->clone_flags & CLONE_NEWTIME))
		return error_set(err, EINVAL, "config.json: .linux.timeOffsets: requires a new time namespace");
	if (!(plan->ns_all & CLONE_NEWNS))
		return error_set(err, EINVAL, "config.json: .linux.namespaces: a mount namespace is required");
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
	own = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
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
