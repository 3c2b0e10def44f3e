/* lsm.c: AppArmor and SELinux labels (see lsm.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs_safe.h"
#include "lsm.h"
#include "util.h"

bool lsm_apparmor_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0) {
		cleanup_close int fd = -1;
		char c = 0;

		enabled = access("/sys/kernel/security/apparmor", F_OK) == 0 &&
			  (fd = openat(AT_FDCWD, "/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC)) >= 0 &&
			  read(fd, &c, 1) == 1 && c == 'Y';
	}
	return enabled;
}

bool lsm_selinux_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0) {
		struct statfs sfs;
		cleanup_close int fd = -1;
		char label[16] = "";

		/* a selinuxfs, and a process label other than the one the
		 * kernel reports before a policy is loaded (go-selinux) */
		enabled = statfs("/sys/fs/selinux", &sfs) == 0 && sfs.f_type == SELINUX_MAGIC &&
			  (fd = openat(AT_FDCWD, "/proc/self/attr/current", O_RDONLY | O_CLOEXEC)) >= 0 &&
			  read(fd, label, sizeof(label) - 1) > 0 && strncmp(label, "kernel", 6) != 0;
	}
	return enabled;
}

/* Mounts that get linux.mountLabel as their "context" option: those runc
 * labels, i.e. neither binds nor the kernel's own proc, sysfs and cgroup
 * (which refuse it) nor mqueue. */
static bool takes_mount_label(const struct plan_mount *m)
{
	static const char *const unlabeled[] = { "proc", "sysfs", "mqueue", "cgroup", "cgroup2" };

	if (m->bind || m->cgroup || !m->type)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(unlabeled); i++)
		if (strcmp(m->type, unlabeled[i]) == 0)
			return false;
	return true;
}

int lsm_plan(const struct spec *spec, struct plan *plan, struct error *err)
{
	const char *label = plan->process.selinux_label;
	const char *mount_label = spec->linux_ ? spec->linux_->mount_label : NULL;

	if (label && *label && !lsm_selinux_enabled())
		return error_set(err, EINVAL, "selinux label is specified in config, but selinux is disabled or not supported");
	if (!mount_label || !*mount_label)
		return 0;
	if (!lsm_selinux_enabled())
		return error_set(err, EINVAL,
				 "selinux mount label is specified in config, but selinux is disabled or not supported");
	for (size_t i = 0; i < plan->n_mounts; i++) {
		struct plan_mount *m = &plan->mounts[i];
		size_t n = 0;

		if (!takes_mount_label(m))
			continue;
		while (m->data && m->data[n])
			n++;
		/* fsconfig takes the value as is: no quoting, commas allowed */
		m->data = xrealloc(m->data, (n + 2) * sizeof(char *));
		m->data[n] = xasprintf("context=%s", mount_label);
		m->data[n + 1] = NULL;
	}
	return 0;
}

/* Write `value` to an attr file below proc ("self/attr/exec"). */
static int write_attr(int proc, const char *path, const char *value)
{
	cleanup_close int fd = fs_open_in_proc(proc, path, O_WRONLY | O_NOCTTY);

	if (fd < 0)
		return -1;
	return write_all(fd, value, strlen(value));
}

/* aa_change_onexec: "exec <profile>" to attr/apparmor/exec (Linux 5.8's
 * per-LSM directory) or attr/exec. */
static int apply_apparmor(int proc, const char *profile, struct error *err)
{
	const char *path = "self/attr/apparmor/exec";
	cleanup_free char *value = xasprintf("exec %s", profile);
	cleanup_close int probe = fs_open_in_proc(proc, path, O_PATH);

	if (probe < 0 && errno == ENOENT)
		path = "self/attr/exec";
	if (write_attr(proc, path, value) == 0)
		return 0;
	/* runc's wording, and why */
	error_sys(err, "unable to apply apparmor profile: apparmor failed to apply profile: write /proc/%s", path);
	return lsm_apparmor_enabled() ? -1 : error_prefix(err, "AppArmor is not enabled on this host");
}

int lsm_apply(const struct plan_process *pp, int proc, struct error *err)
{
	bool apparmor = pp->apparmor_profile && *pp->apparmor_profile;
	bool selinux = pp->selinux_label && *pp->selinux_label;
	cleanup_close int own = -1;

	if (!apparmor && !selinux)
		return 0;
	if (proc < 0) {
		own = fs_open_proc(err);
		if (own < 0)
			return error_prefix(err, "apply process labels");
		proc = own;
	}
	if (apparmor && apply_apparmor(proc, pp->apparmor_profile, err) < 0)
		return -1;
	if (selinux && write_attr(proc, "self/attr/exec", pp->selinux_label) < 0)
		return error_sys(err, "set selinux process label: write /proc/self/attr/exec");
	return 0;
}
