/* mount_options.c: a config mount's "options" -> how to mount it.
 *
 * Mounts are made with the new mount API (fsopen/open_tree, mount_setattr,
 * move_mount), so per-mount flags become MOUNT_ATTR_* bits and only true
 * superblock flags stay MS_* (passed to fsconfig).  Anything not recognized
 * is a filesystem option ("size=65536k", "mode=755", "newinstance").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mount_api.h"
#include "plan.h"
#include "util.h"

enum opt_kind {
	OPT_ATTR,   /* mount attribute on this mount */
	OPT_RATTR,  /* mount attribute on the whole tree (r*) */
	OPT_SB,     /* superblock flag */
	OPT_PROP,   /* propagation */
	OPT_BIND,
	OPT_SPECIAL,
};

struct mount_opt {
	const char *name;
	enum opt_kind kind;
	bool clear;      /* the option removes the attribute/flag */
	uint64_t value;  /* MOUNT_ATTR_*, MS_* */
};

/* MOUNT_ATTR_RELATIME is 0: atime modes are set by clearing the atime mask
 * and setting the mode, see apply_atime(). */
#define ATIME_MODE (1ULL << 63)

static const struct mount_opt options[] = {
	{ "defaults", OPT_SPECIAL, false, 0 },
	/* every mount here is new: its flags are set as it is made, there is
	 * nothing to remount */
	{ "remount", OPT_SPECIAL, false, 0 },
	{ "bind", OPT_BIND, false, 0 },
	{ "rbind", OPT_BIND, false, 1 },
	{ "ro", OPT_ATTR, false, MOUNT_ATTR_RDONLY },
	{ "rw", OPT_ATTR, true, MOUNT_ATTR_RDONLY },
	{ "nosuid", OPT_ATTR, false, MOUNT_ATTR_NOSUID },
	{ "suid", OPT_ATTR, true, MOUNT_ATTR_NOSUID },
	{ "nodev", OPT_ATTR, false, MOUNT_ATTR_NODEV },
	{ "dev", OPT_ATTR, true, MOUNT_ATTR_NODEV },
	{ "noexec", OPT_ATTR, false, MOUNT_ATTR_NOEXEC },
	{ "exec", OPT_ATTR, true, MOUNT_ATTR_NOEXEC },
	{ "nodiratime", OPT_ATTR, false, MOUNT_ATTR_NODIRATIME },
	{ "diratime", OPT_ATTR, true, MOUNT_ATTR_NODIRATIME },
	{ "nosymfollow", OPT_ATTR, false, MOUNT_ATTR_NOSYMFOLLOW },
	{ "symfollow", OPT_ATTR, true, MOUNT_ATTR_NOSYMFOLLOW },
	{ "relatime", OPT_ATTR, false, ATIME_MODE | MOUNT_ATTR_RELATIME },
	{ "norelatime", OPT_ATTR, false, ATIME_MODE | MOUNT_ATTR_STRICTATIME },
	{ "noatime", OPT_ATTR, false, ATIME_MODE | MOUNT_ATTR_NOATIME },
	{ "atime", OPT_ATTR, false, ATIME_MODE | MOUNT_ATTR_RELATIME },
	{ "strictatime", OPT_ATTR, false, ATIME_MODE | MOUNT_ATTR_STRICTATIME },
	{ "nostrictatime", OPT_ATTR, false, ATIME_MODE | MOUNT_ATTR_RELATIME },
	{ "rro", OPT_RATTR, false, MOUNT_ATTR_RDONLY },
	{ "rrw", OPT_RATTR, true, MOUNT_ATTR_RDONLY },
	{ "rnosuid", OPT_RATTR, false, MOUNT_ATTR_NOSUID },
	{ "rsuid", OPT_RATTR, true, MOUNT_ATTR_NOSUID },
	{ "rnodev", OPT_RATTR, false, MOUNT_ATTR_NODEV },
	{ "rdev", OPT_RATTR, true, MOUNT_ATTR_NODEV },
	{ "rnoexec", OPT_RATTR, false, MOUNT_ATTR_NOEXEC },
	{ "rexec", OPT_RATTR, true, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", OPT_RATTR, false, MOUNT_ATTR_NODIRATIME },
	{ "rdiratime", OPT_RATTR, true, MOUNT_ATTR_NODIRATIME },
	{ "rnosymfollow", OPT_RATTR, false, MOUNT_ATTR_NOSYMFOLLOW },
	{ "rsymfollow", OPT_RATTR, true, MOUNT_ATTR_NOSYMFOLLOW },
	{ "rrelatime", OPT_RATTR, false, ATIME_MODE | MOUNT_ATTR_RELATIME },
	{ "rnorelatime", OPT_RATTR, false, ATIME_MODE | MOUNT_ATTR_STRICTATIME },
	{ "rnoatime", OPT_RATTR, false, ATIME_MODE | MOUNT_ATTR_NOATIME },
	{ "ratime", OPT_RATTR, false, ATIME_MODE | MOUNT_ATTR_RELATIME },
	{ "rstrictatime", OPT_RATTR, false, ATIME_MODE | MOUNT_ATTR_STRICTATIME },
	{ "rnostrictatime", OPT_RATTR, false, ATIME_MODE | MOUNT_ATTR_RELATIME },
	{ "sync", OPT_SB, false, MS_SYNCHRONOUS },
	{ "async", OPT_SB, true, MS_SYNCHRONOUS },
	{ "dirsync", OPT_SB, false, MS_DIRSYNC },
	{ "mand", OPT_SB, false, MS_MANDLOCK },
	{ "nomand", OPT_SB, true, MS_MANDLOCK },
	{ "lazytime", OPT_SB, false, MS_LAZYTIME },
	{ "nolazytime", OPT_SB, true, MS_LAZYTIME },
	{ "silent", OPT_SB, false, MS_SILENT },
	{ "loud", OPT_SB, true, MS_SILENT },
	{ "iversion", OPT_SB, false, MS_I_VERSION },
	{ "noiversion", OPT_SB, true, MS_I_VERSION },
	{ "private", OPT_PROP, false, MS_PRIVATE },
	{ "rprivate", OPT_PROP, false, MS_PRIVATE | MS_REC },
	{ "shared", OPT_PROP, false, MS_SHARED },
	{ "rshared", OPT_PROP, false, MS_SHARED | MS_REC },
	{ "slave", OPT_PROP, false, MS_SLAVE },
	{ "rslave", OPT_PROP, false, MS_SLAVE | MS_REC },
	{ "unbindable", OPT_PROP, false, MS_UNBINDABLE },
	{ "runbindable", OPT_PROP, false, MS_UNBINDABLE | MS_REC },
	{ "tmpcopyup", OPT_SPECIAL, false, 0 },
	{ "idmap", OPT_SPECIAL, false, 0 },
	{ "ridmap", OPT_SPECIAL, false, 0 },
};

static const char *option_names[ARRAY_SIZE(options)];
static size_t n_option_names;

/* idmapped mounts are refused, so they are not advertised */
static bool option_supported(const struct mount_opt *o)
{
	return strcmp(o->name, "idmap") != 0 && strcmp(o->name, "ridmap") != 0;
}

const char *const *mount_option_names(void)
{
	n_option_names = 0;
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		if (option_supported(&options[i]))
			option_names[n_option_names++] = options[i].name;
	return option_names;
}

size_t mount_option_count(void)
{
	mount_option_names();
	return n_option_names;
}

static const struct mount_opt *find_option(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		if (strcmp(options[i].name, name) == 0)
			return &options[i];
	return NULL;
}

static void set_attr(uint64_t *set, uint64_t *clr, const struct mount_opt *o)
{
	if (o->value & ATIME_MODE) {
		*clr |= MOUNT_ATTR__ATIME;
		*set = (*set & ~(uint64_t)MOUNT_ATTR__ATIME) | (o->value & ~ATIME_MODE);
	} else if (o->clear) {
		*set &= ~o->value;
		*clr |= o->value;
	} else {
		*set |= o->value;
		*clr &= ~o->value;
	}
}

int mount_options_parse(const struct spec_mount *m, struct plan_mount *pm, struct error *err)
{
	size_t n_data = 0;

	/* destination and source are the plan's own copies (plan_mounts) */
	pm->type = m->type;
	pm->data = xcalloc(m->options.n + 1, sizeof(char *));
	for (size_t i = 0; i < m->options.n; i++) {
		const char *name = m->options.v[i];
		const struct mount_opt *o = find_option(name);

		if (!o) {
			pm->data[n_data++] = xstrdup(name);
			continue;
		}
		switch (o->kind) {
		case OPT_ATTR:
			set_attr(&pm->attr_set, &pm->attr_clr, o);
			break;
		case OPT_RATTR:
			set_attr(&pm->rattr_set, &pm->rattr_clr, o);
			break;
		case OPT_SB:
			if (o->clear)
				pm->sb_flags &= ~o->value;
			else
				pm->sb_flags |= o->value;
			break;
		case OPT_PROP:
			pm->propagation = o->value;
			break;
		case OPT_BIND:
			pm->bind = true;
			pm->recursive = o->value != 0;
			break;
		case OPT_SPECIAL:
			if (strcmp(name, "tmpcopyup") == 0)
				pm->tmpcopyup = true;
			else if (strcmp(name, "idmap") == 0 || strcmp(name, "ridmap") == 0)
				return error_set(err, ENOTSUP,
						 "mount %s: option %s: idmapped mounts are not supported",
						 m->destination, name);
			break;
		}
	}
	if (m->type && strcmp(m->type, "bind") == 0)
		pm->bind = true;
	if (pm->bind) {
		if (!m->source || !*m->source)
			return error_set(err, EINVAL, "mount %s: bind mount without a source",
					 m->destination);
		pm->type = NULL;
	} else if (!m->type || !*m->type) {
		return error_set(err, EINVAL, "mount %s: no type given and not a bind mount",
				 m->destination);
	} else if (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0) {
		pm->cgroup = true;
	}
	if (m->uid_mappings.n || m->gid_mappings.n)
		return error_set(err, ENOTSUP, "mount %s: uidMappings/gidMappings are not supported",
				 m->destination);
	return 0;
}

void mount_options_release(struct plan_mount *pm)
{
	if (!pm->data)
		return;
	for (char **p = pm->data; *p; p++)
		free(*p);
	free(pm->data);
	pm->data = NULL;
}
