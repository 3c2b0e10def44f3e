/* caps.c: capability names and sets, in the kernel's order of operations. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"

int caps_last_cap(void)
{
	static int last = -1;

	if (last < 0) {
		FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
		if (!f || fscanf(f, "%d", &last) != 1)
			last = CAP_LAST_CAP;
		if (f)
			fclose(f);
	}
	return last;
}

int caps_from_names(const struct strv *names, uint64_t *mask, const char *which,
		    struct error *err)
{
	*mask = 0;
	for (size_t i = 0; i < names->n; i++) {
		cap_value_t c;
		const char *name = names->v[i];

		/* libcap accepts "kill" and "cap_Kill"; the spec's names are
		 * "CAP_KILL" exactly, as runc matches them */
		if (strncmp(name, "CAP_", 4) != 0 || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(name) ||
		    cap_from_name(name, &c) < 0 || c > 63)
			return error_set(err, EINVAL, "unknown capability \"%s\" in process.capabilities.%s",
					 name, which);
		if (c > caps_last_cap())
			return error_set(err, EINVAL,
					 "capability \"%s\" in process.capabilities.%s is not known to the running kernel",
					 name, which);
		*mask |= 1ULL << c;
	}
	return 0;
}

int caps_prepare(const struct plan_caps *caps, struct error *err)
{
	int last = caps_last_cap();

	for (int c = 0; c <= last; c++) {
		if (caps->bounding & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return error_sys(err, "drop capability %d from the bounding set", c);
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return error_sys(err, "prctl(PR_SET_KEEPCAPS)");
	return 0;
}

/* capget/capset directly: no allocation, so the final call can run after a
 * seccomp filter that blocks mmap and brk. */
static int caps_get(uint64_t *permitted, uint64_t *effective, uint64_t *inheritable)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	*permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*effective = d[0].effective | (uint64_t)d[1].effective << 32;
	*inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int caps_set(uint64_t permitted, uint64_t effective, uint64_t inheritable)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
		{ (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
	};

	return (int)syscall(SYS_capset, &h, d);
}

static void cap_upper_name(int c, char *buf, size_t len)
{
	char *name = cap_to_name(c);

	snprintf(buf, len, "%s", name ? name : "?");
	for (char *p = buf; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	cap_free(name);
}

/* capset refused the sets: name the capability the runtime cannot give
 * (the kernel only says EPERM).  A permitted or effective capability must
 * be in our own permitted set; an inheritable one in the bounding set. */
static int caps_explain(const struct plan_caps *caps, uint64_t extra, struct error *err)
{
	int saved = errno;
	uint64_t perm, eff, inh;
	char name[64];

	if (saved == EPERM && caps_get(&perm, &eff, &inh) == 0) {
		static const struct {
			const char *set;
			size_t off;
		} sets[] = {
			{ "permitted", offsetof(struct plan_caps, permitted) },
			{ "effective", offsetof(struct plan_caps, effective) },
			{ "inheritable", offsetof(struct plan_caps, inheritable) },
		};
		for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
			uint64_t want = *(const uint64_t *)((const char *)caps + sets[s].off);
			if (s < 2)
				want |= extra;
			for (int c = 0; c < 64; c++) {
				bool have = s < 2 ? (perm >> c) & 1
						  : ((inh | perm) >> c) & 1 && prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1;
				if (!((want >> c) & 1) || have)
					continue;
				cap_upper_name(c, name, sizeof(name));
				if (s < 2)
					return error_set(err, EPERM,
							 "unable to apply caps: %s in process.capabilities.%s is not available to oci-rt (not in its own permitted set)",
							 name, sets[s].set);
				return error_set(err, EPERM,
						 "unable to apply caps: %s in process.capabilities.%s is not in the bounding set",
						 name, sets[s].set);
			}
		}
	}
	errno = saved;
	return error_sys(err, "unable to apply caps");
}

int caps_hold(const struct plan_caps *caps, uint64_t extra, struct error *err)
{
	if (caps_set(caps->permitted | extra, caps->effective | extra, caps->inheritable) < 0)
		return caps_explain(caps, extra, err);
	return 0;
}

int caps_apply(const struct plan_caps *caps, struct error *err)
{
	if (caps_set(caps->permitted, caps->effective, caps->inheritable) < 0)
		return caps_explain(caps, 0, err);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return error_sys(err, "prctl(PR_SET_KEEPCAPS, 0)");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return error_sys(err, "clear ambient capabilities");
	/* The kernel raises an ambient capability only if it is permitted and
	 * inheritable; like runc, the others are left out rather than failing
	 * (runc's own template lists ambient capabilities without inheritable). */
	uint64_t ambient = caps->ambient & caps->permitted & caps->inheritable;
	for (int i = 0; i < 64; i++) {
		if (!(ambient & (1ULL << i)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0, 0) < 0)
			return error_sys(err, "raise ambient capability %d (it must also be permitted and inheritable)", i);
	}
	return 0;
}

int caps_drop_all(struct error *err)
{
	uint64_t perm, eff, inh;

	if (caps_get(&perm, &eff, &inh) < 0 || caps_set(0, 0, inh) < 0)
		return error_sys(err, "drop capabilities");
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return error_sys(err, "prctl(PR_SET_KEEPCAPS, 0)");
	return 0;
}

int caps_raise_effective(uint64_t extra, struct error *err)
{
	uint64_t perm, eff, inh;

	if (caps_get(&perm, &eff, &inh) < 0 || caps_set(perm, eff | (perm & extra), inh) < 0)
		return error_sys(err, "raise effective capabilities");
	return 0;
}
