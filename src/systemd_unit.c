/* systemd_unit.c: --systemd-cgroup's "slice:prefix:name", the unit and its
 * cgroup path (see systemd_unit.h).  Pure: no system call, unit-tested in
 * spec-tests/unit/test_systemd_unit.c.  Follows runc 1.1.5's specconv
 * (CreateCgroupConfig) and cgroups/systemd (ExpandSlice, getUnitName,
 * addCpuQuota). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "systemd_unit.h"

#define SLICE_SUFFIX ".slice"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

static char *printf_or_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printf_or_die(const char *fmt, ...)
{
	va_list ap;
	char *out;

	va_start(ap, fmt);
	int n = vasprintf(&out, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return out;
}

int systemd_unit_expand_slice(const char *slice, char **out, struct error *err)
{
	size_t len = strlen(slice), slen = strlen(SLICE_SUFFIX);
	size_t cap, used = 0;
	char *path;

	*out = NULL;
	if (!ends_with(slice, SLICE_SUFFIX) || strchr(slice, '/'))
		return error_set(err, EINVAL, "invalid slice name: %s", slice);
	len -= slen;
	if (len == 1 && slice[0] == '-') {
		*out = dup_or_die("/");
		return 0;
	}
	/* each component repeats the prefix before it: at most len * (len + 1) */
	cap = (len + 1) * (len + slen + 2) + 1;
	path = malloc(cap);
	if (!path)
		abort();
	path[0] = '\0';
	for (size_t start = 0;;) {
		size_t end = start;
		while (end < len && slice[end] != '-')
			end++;
		/* "a--b.slice", "-a.slice", "a-.slice" and ".slice" are refused */
		if (end == start) {
			free(path);
			return error_set(err, EINVAL, "invalid slice name: %s", slice);
		}
		used += (size_t)snprintf(path + used, cap - used, "/%.*s" SLICE_SUFFIX, (int)end, slice);
		if (end == len)
			break;
		start = end + 1;
	}
	*out = path;
	return 0;
}

int systemd_unit_parse(const char *cgroups_path, const char *id, struct systemd_unit *u, struct error *err)
{
	const char *slice, *prefix, *name;
	char *copy = NULL;

	memset(u, 0, sizeof(*u));
	if (!cgroups_path || !*cgroups_path) {
		/* runc: the default is runc's own prefix and the id */
		slice = "";
		prefix = "runc";
		name = id;
	} else {
		copy = dup_or_die(cgroups_path);
		char *c1 = strchr(copy, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || strchr(c2 + 1, ':')) {
			free(copy);
			return error_set(err, EINVAL,
					 "expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"%s\" instead",
					 cgroups_path);
		}
		*c1 = *c2 = '\0';
		slice = copy;
		prefix = c1 + 1;
		name = c2 + 1;
	}
	u->slice = dup_or_die(*slice ? slice : "system.slice");
	u->prefix = dup_or_die(prefix);
	u->name = dup_or_die(name);
	free(copy);
	u->is_slice = ends_with(u->name, SLICE_SUFFIX);
	/* runc 1.1 joins prefix and name even when the prefix is empty */
	u->unit = u->is_slice ? dup_or_die(u->name) : printf_or_die("%s-%s.scope", u->prefix, u->name);
	return 0;
}

int systemd_unit_cgroup_path(struct systemd_unit *u, struct error *err)
{
	char *expanded = NULL;

	if (systemd_unit_expand_slice(u->slice, &expanded, err) < 0)
		return -1;
	free(u->path);
	u->path = printf_or_die("%s/%s", strcmp(expanded, "/") == 0 ? "" : expanded, u->unit);
	free(expanded);
	return 0;
}

void systemd_unit_release(struct systemd_unit *u)
{
	free(u->slice);
	free(u->prefix);
	free(u->name);
	free(u->unit);
	free(u->path);
	memset(u, 0, sizeof(*u));
}

const char *systemd_unit_from_path(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	const char *unit = slash ? slash + 1 : path;

	if (!unit || (!ends_with(unit, ".scope") && !ends_with(unit, SLICE_SUFFIX)))
		return NULL;
	return unit;
}

bool systemd_unit_cpu_quota_per_sec(const struct spec_cpu *c, uint64_t *usec)
{
	int64_t quota = c && c->has_quota ? c->quota : 0;
	uint64_t period = c && c->has_period ? c->period : 0;

	if (quota == 0 && period == 0)
		return false;
	*usec = UINT64_MAX;
	if (quota > 0) {
		if (period == 0)
			period = 100000; /* the kernel's default period */
		/* systemd works in percent, i.e. 10 ms steps of a second:
		 * round up, as runc does, or the quota would shrink */
		*usec = (uint64_t)quota * 1000000 / period;
		if (*usec % 10000)
			*usec = (*usec / 10000 + 1) * 10000;
	}
	return true;
}
