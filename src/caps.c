/* caps.c: capability names and sets, in the kernel's order of operations. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

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

		/* libcap accepts "kill" and "cap_kill"; the spec wants "CAP_KILL" */
		if (strncmp(name, "CAP_", 4) != 0 || cap_from_name(name, &c) < 0 || c > 63)
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

static int set_flag(cap_t c, cap_flag_t flag, uint64_t mask)
{
	for (int i = 0; i < 64; i++) {
		cap_value_t v = i;
		if ((mask & (1ULL << i)) && cap_set_flag(c, flag, 1, &v, CAP_SET) < 0)
			return -1;
	}
	return 0;
}

int caps_apply(const struct plan_caps *caps, struct error *err)
{
	cap_t c = cap_init();
	int r = 0;

	if (!c)
		return error_sys(err, "cap_init");
	if (set_flag(c, CAP_PERMITTED, caps->permitted) < 0 ||
	    set_flag(c, CAP_EFFECTIVE, caps->effective) < 0 ||
	    set_flag(c, CAP_INHERITABLE, caps->inheritable) < 0)
		r = error_sys(err, "cap_set_flag");
	else if (cap_set_proc(c) < 0)
		r = error_sys(err, "set capabilities (a requested capability may be missing from the runtime's own bounding set)");
	cap_free(c);
	if (r < 0)
		return r;
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
