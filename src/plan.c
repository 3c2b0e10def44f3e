/* plan.c: spec -> plan (see plan.h).  Everything that can be checked or
 * computed before the clone is done here, in the runtime's own namespaces. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "log.h"
#include "lsm.h"
#include "mount_api.h"
#include "namespaces.h"
#include "plan.h"
#include "process.h"
#include "seccomp_filter.h"
#include "util.h"

/* ---- paths ---- */

static int plan_paths(const struct spec *spec, const struct plan_options *opts, struct plan *plan,
		      struct error *err)
{
	char buf[PATH_MAX];
	struct stat st;

	if (!realpath(opts->bundle, buf))
		return error_sys(err, "bundle %s", opts->bundle);
	plan->bundle = xstrdup(buf);
	if (!spec->root || !spec->root->path || !*spec->root->path)
		return error_set(err, EINVAL, "config.json: .root.path: missing required field");
	cleanup_free char *joined = spec->root->path[0] == '/'
					    ? xstrdup(spec->root->path)
					    : xasprintf("%s/%s", plan->bundle, spec->root->path);
	if (!realpath(joined, buf))
		return error_sys(err, "invalid rootfs: stat %s", joined);
	if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode))
		return error_set(err, ENOTDIR, "rootfs %s is not a directory", buf);
	if (strcmp(buf, "/") == 0)
		return error_set(err, EINVAL, "rootfs cannot be the host's /");
	plan->rootfs = xstrdup(buf);
	plan->root_readonly = spec->root->readonly;
	return 0;
}

/* ---- mounts ---- */

/* A path inside the container, lexically cleaned like Go's filepath.Clean
 * of "/" + path (runc's CleanPath): relative destinations are relative to
 * "/" (runtime-spec v1.2), "a//b", "a/./b", "a/../b" and a trailing "/" are
 * folded, ".." stops at "/".  Comparisons ("/dev", "/proc") then see one
 * spelling; symlinks are still resolved in the rootfs at mount time. */
static char *clean_container_path(const char *path)
{
	size_t len = strlen(path);
	char *out = xmalloc(len + 2);
	size_t o = 0;

	out[o++] = '/';
	for (size_t i = 0; i < len;) {
		while (path[i] == '/')
			i++;
		size_t start = i;
		while (i < len && path[i] != '/')
			i++;
		size_t n = i - start;
		if (n == 0 || (n == 1 && path[start] == '.'))
			continue;
		if (n == 2 && path[start] == '.' && path[start + 1] == '.') {
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--; /* the slash before the dropped component */
			continue;
		}
		if (o > 1)
			out[o++] = '/';
		memcpy(out + o, path + start, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

static bool under_dev(const char *path)
{
	return strncmp(path, "/dev/", 5) == 0;
}

static int plan_mounts(const struct spec *spec, struct plan *plan, struct error *err)
{
	plan->mounts = xcalloc(spec->mounts.n, sizeof(struct plan_mount));
	plan->dev_is_mounted = false;
	bool dev_bound = false;

	for (size_t i = 0; i < spec->mounts.n; i++) {
		const struct spec_mount *m = &spec->mounts.v[i];
		struct plan_mount *pm = &plan->mounts[plan->n_mounts++];

		if (!m->destination || !*m->destination)
			return error_set(err, EINVAL, "config.json: .mounts[%zu].destination: must not be empty", i);
		pm->destination = clean_container_path(m->destination);
		if (mount_options_parse(m, pm, err) < 0)
			return -1;
		if (pm->bind) {
			struct stat st;
			char *src = m->source[0] == '/' ? xstrdup(m->source)
							: xasprintf("%s/%s", plan->bundle, m->source);
			pm->source = src;
			if (stat(src, &st) < 0) {
				error_sys(err, "mount %s: source %s", pm->destination, src);
				return -1;
			}
			pm->source_is_dir = S_ISDIR(st.st_mode);
		} else {
			pm->source = xstrdup(m->source && *m->source ? m->source : m->type);
		}
		if (strcmp(pm->destination, "/dev") == 0) {
			if (pm->bind)
				dev_bound = true;
			else
				plan->dev_is_mounted = true;
		}
	}
	/* runc sets up /dev (default devices, symlinks) unless /dev is bound from the host */
	plan->dev_is_mounted = !dev_bound;
	return 0;
}

/* ---- devices ---- */

static const struct {
	const char *path;
	unsigned major, minor;
} default_devices[] = {
	{ "/dev/null", 1, 3 },   { "/dev/zero", 1, 5 },    { "/dev/full", 1, 7 },
	{ "/dev/random", 1, 8 }, { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
};

static int plan_devices(const struct spec *spec, struct plan *plan, struct error *err)
{
	const struct spec_linux *lx = spec->linux_;
	size_t n_cfg = lx ? lx->devices.n : 0;

	plan->devices = xcalloc(ARRAY_SIZE(default_devices) + n_cfg, sizeof(struct plan_device));
	for (size_t i = 0; i < n_cfg; i++) {
		const struct spec_device *d = &lx->devices.v[i];
		struct plan_device *pd = &plan->devices[plan->n_devices++];
		mode_t type;

		switch (d->type[0]) {
		case 'c':
		case 'u':
			type = S_IFCHR;
			break;
		case 'b':
			type = S_IFBLK;
			break;
		default:
			type = S_IFIFO;
		}
		if (type != S_IFIFO && (!d->has_major || !d->has_minor))
			return error_set(err, EINVAL, "config.json: .linux.devices[%zu]: major and minor are required for type \"%s\"",
					 i, d->type);
		if (d->path[0] != '/')
			return error_set(err, EINVAL, "config.json: .linux.devices[%zu].path: \"%s\" is not absolute",
					 i, d->path);
		if ((d->has_major && (d->major < 0 || d->major > 0xfff)) ||
		    (d->has_minor && (d->minor < 0 || d->minor > 0xfffff)))
			return error_set(err, ERANGE, "config.json: .linux.devices[%zu]: major/minor out of range", i);
		pd->path = clean_container_path(d->path);
		pd->path_owned = true;
		if (strcmp(pd->path, "/") == 0 || strcmp(pd->path, "/dev") == 0)
			return error_set(err, EINVAL, "config.json: .linux.devices[%zu].path: \"%s\" is not a device path",
					 i, d->path);
		/* /dev bound from the host is the host's own /dev: as runc, the
		 * runtime creates nothing in it */
		if (!plan->dev_is_mounted && under_dev(pd->path)) {
			free((char *)pd->path);
			memset(pd, 0, sizeof(*pd));
			plan->n_devices--;
			continue;
		}
		pd->mode = type | (d->has_file_mode ? (d->file_mode & 07777) : 0666);
		pd->rdev = type == S_IFIFO ? 0 : makedev((unsigned)d->major, (unsigned)d->minor);
		pd->uid = d->has_uid ? d->uid : 0;
		pd->gid = d->has_gid ? d->gid : 0;
		pd->bind_from_host = plan->userns;
	}
	if (!plan->dev_is_mounted)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(default_devices); i++) {
		bool configured = false;
		for (size_t j = 0; j < plan->n_devices; j++)
			if (strcmp(plan->devices[j].path, default_devices[i].path) == 0)
				configured = true;
		if (configured)
			continue;
		struct plan_device *pd = &plan->devices[plan->n_devices++];
		pd->path = default_devices[i].path;
		pd->mode = S_IFCHR | 0666;
		pd->rdev = makedev(default_devices[i].major, default_devices[i].minor);
		pd->bind_from_host = plan->userns;
	}
	return 0;
}

static bool has_hooks(const struct spec_hook_array *a)
{
	return a->n > 0;
}

int plan_build(const struct spec *spec, const struct plan_options *opts, struct plan *plan,
	       struct error *err)
{
	memset(plan, 0, sizeof(*plan));
	for (int i = 0; i < SPEC_NS_COUNT; i++)
		plan->ns_join_fd[i] = -1;
	plan->spec = spec;
	plan->id = opts->id;
	plan->no_pivot = opts->no_pivot;
	plan->preserve_fds = (int)opts->preserve_fds;
	plan->start_via_fifo = true;
	plan->fifo_fd = -1;

	if (plan_paths(spec, opts, plan, err) < 0)
		return -1;
	if (ns_plan(spec, plan, err) < 0)
		return -1;
	if (plan_mounts(spec, plan, err) < 0)
		return -1;
	if (plan_devices(spec, plan, err) < 0)
		return -1;
	if (process_plan_build(spec->process, "config.json: .process", &plan->process, err) < 0)
		return -1;
	/* no capabilities object: no capabilities at all, as runc and crun
	 * (exec's process.json keeps the difference: it inherits the config's) */
	if (!plan->process.has_caps) {
		plan->process.has_caps = true;
		memset(&plan->process.caps, 0, sizeof(plan->process.caps));
	}
	if (seccomp_filter_build(spec->linux_ ? spec->linux_->seccomp : NULL, &plan->process.seccomp, err) < 0)
		return -1;
	if (lsm_plan(spec, plan, err) < 0)
		return -1;
	plan->hostname = spec->hostname && *spec->hostname ? spec->hostname : NULL;
	plan->domainname = spec->domainname && *spec->domainname ? spec->domainname : NULL;
	if (plan->hostname && !(plan->ns_all & CLONE_NEWUTS))
		return error_set(err, EINVAL, "unable to set hostname without a private UTS namespace");
	if (plan->domainname && !(plan->ns_all & CLONE_NEWUTS))
		return error_set(err, EINVAL, "unable to set domainname without a private UTS namespace");
	if (spec->linux_ && spec->linux_->has_rootfs_propagation) {
		static const unsigned long prop[] = {
			[SPEC_PROPAGATION_PRIVATE] = MS_PRIVATE,
			[SPEC_PROPAGATION_SHARED] = MS_SHARED,
			[SPEC_PROPAGATION_SLAVE] = MS_SLAVE,
			[SPEC_PROPAGATION_UNBINDABLE] = MS_UNBINDABLE,
			/* the root's propagation is applied recursively either way */
			[SPEC_PROPAGATION_RPRIVATE] = MS_PRIVATE,
			[SPEC_PROPAGATION_RSHARED] = MS_SHARED,
			[SPEC_PROPAGATION_RSLAVE] = MS_SLAVE,
			[SPEC_PROPAGATION_RUNBINDABLE] = MS_UNBINDABLE,
		};
		plan->root_propagation = prop[spec->linux_->rootfs_propagation];
	}
	if (spec->hooks)
		plan->has_runtime_hooks = has_hooks(&spec->hooks->prestart) ||
					  has_hooks(&spec->hooks->create_runtime);
	return 0;
}

void plan_release(struct plan *plan)
{
	for (size_t i = 0; i < plan->n_mounts; i++) {
		free((char *)plan->mounts[i].destination);
		free((char *)plan->mounts[i].source);
		mount_options_release(&plan->mounts[i]);
	}
	free(plan->mounts);
	for (size_t i = 0; i < plan->n_devices; i++)
		if (plan->devices[i].path_owned)
			free((char *)plan->devices[i].path);
	free(plan->devices);
	process_plan_release(&plan->process);
	free(plan->bundle);
	free(plan->rootfs);
	if (plan->fifo_fd >= 0)
		close(plan->fifo_fd);
	cgroup_free_files(plan->cgroup_tasks);
	free(plan->maps.uid_map);
	free(plan->maps.gid_map);
	for (int i = 0; i < SPEC_NS_COUNT; i++)
		if (plan->ns_join_fd[i] >= 0)
			close(plan->ns_join_fd[i]);
	memset(plan, 0, sizeof(*plan));
}

void plan_print(const struct plan *plan)
{
	log_debug("plan: rootfs %s, clone flags %#lx, joined namespaces %#lx, userns %d",
		  plan->rootfs, plan->clone_flags, plan->ns_all & ~plan->clone_flags, plan->userns);
	for (size_t i = 0; i < plan->n_mounts; i++) {
		const struct plan_mount *m = &plan->mounts[i];
		log_debug("plan: mount %s on %s type %s bind %d rec %d attr +%#llx -%#llx rattr +%#llx -%#llx prop %#lx",
			  m->source, m->destination, m->type ? m->type : "bind", m->bind, m->recursive,
			  (unsigned long long)m->attr_set, (unsigned long long)m->attr_clr,
			  (unsigned long long)m->rattr_set, (unsigned long long)m->rattr_clr, m->propagation);
	}
	for (size_t i = 0; i < plan->n_devices; i++)
		log_debug("plan: device %s mode %#o", plan->devices[i].path, plan->devices[i].mode);
	log_debug("plan: process %s uid %u gid %u cwd %s, %zu rlimits, caps %d nnp %d",
		  plan->process.argv[0], plan->process.uid, plan->process.gid, plan->process.cwd,
		  plan->process.n_rlimits, plan->process.has_caps, plan->process.no_new_privs);
	if (plan->process.seccomp)
		log_debug("plan: seccomp filter of %u instructions, flags %#x, notify %d",
			  plan->process.seccomp->prog.len, plan->process.seccomp->flags, plan->process.seccomp->notify);
}
