/* test_systemd_unit.c: unit tests for --systemd-cgroup's pure logic
 * (systemd_unit.c): "slice:prefix:name", runc's ExpandSlice, the unit name,
 * its cgroup path and the CPUQuotaPerSecUSec conversion, as TAP.  Expected
 * values are runc 1.1.5's (specconv, cgroups/systemd/common.go and its
 * ExpandSlice tests). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "systemd_unit.h"
#include "tap.h"

static bool same(const char *got, const char *want)
{
	if (got && want && strcmp(got, want) == 0)
		return true;
	printf("# got \"%s\", want \"%s\"\n", got ? got : "(null)", want ? want : "(null)");
	return false;
}

static void expand_ok(const char *slice, const char *want)
{
	struct error err;
	char *out = NULL;
	bool ok = systemd_unit_expand_slice(slice, &out, &err) == 0 && same(out, want);

	tap_result(ok, "ExpandSlice(\"%s\") is \"%s\"", slice, want);
	free(out);
}

static void expand_bad(const char *slice)
{
	struct error err;
	char *out = NULL;
	char want[256];
	int r = systemd_unit_expand_slice(slice, &out, &err);

	snprintf(want, sizeof(want), "invalid slice name: %s", slice);
	tap_result(r == -1 && out == NULL && same(err.msg, want), "ExpandSlice(\"%s\") is refused", slice);
}

static void test_expand_slice(void)
{
	/* runc's TestExpandSlice cases */
	expand_ok("-.slice", "/");
	expand_ok("system.slice", "/system.slice");
	expand_ok("a-b.slice", "/a.slice/a-b.slice");
	expand_ok("a-b-c.slice", "/a.slice/a-b.slice/a-b-c.slice");
	expand_ok("machine-qemu\\x2d1.slice", "/machine.slice/machine-qemu\\x2d1.slice");
	expand_bad("a--b.slice");
	expand_bad("-a.slice");
	expand_bad("a-.slice");
	expand_bad(".slice");
	expand_bad("system");
	expand_bad("a/b.slice");
	expand_bad("system.slicex");
	expand_bad("");
}

static void parse_ok(const char *path, const char *id, const char *slice, const char *unit,
		     const char *cg, bool is_slice)
{
	struct systemd_unit u;
	struct error err;
	bool ok = systemd_unit_parse(path, id, &u, &err) == 0 && systemd_unit_cgroup_path(&u, &err) == 0;

	if (!ok)
		printf("# error: %s\n", err.msg);
	ok = ok && same(u.slice, slice) && same(u.unit, unit) && same(u.path, cg) && u.is_slice == is_slice;
	tap_result(ok, "cgroupsPath \"%s\" (id %s): slice %s, unit %s, cgroup %s", path ? path : "(none)", id,
	       slice, unit, cg);
	systemd_unit_release(&u);
}

static void parse_bad(const char *path, const char *want)
{
	struct systemd_unit u;
	struct error err;
	int r = systemd_unit_parse(path, "c1", &u, &err);

	tap_result(r == -1 && same(err.msg, want) && u.unit == NULL && u.path == NULL,
	       "cgroupsPath \"%s\" is refused: %s", path, want);
	systemd_unit_release(&u);
}

/* the form is right, the slice is not: refused when the path is made */
static void slice_bad(const char *path, const char *want)
{
	struct systemd_unit u;
	struct error err;
	bool ok = systemd_unit_parse(path, "c1", &u, &err) == 0;

	ok = ok && systemd_unit_cgroup_path(&u, &err) == -1 && same(err.msg, want) && u.path == NULL;
	tap_result(ok, "cgroupsPath \"%s\": its slice is refused: %s", path, want);
	systemd_unit_release(&u);
}

static void test_parse(void)
{
	char want[512];

	parse_ok("system.slice:docker:1234", "c1", "system.slice", "docker-1234.scope",
		 "/system.slice/docker-1234.scope", false);
	/* an empty slice is system.slice; no cgroupsPath is runc's prefix and the id */
	parse_ok(":oci-rt:c2", "c2", "system.slice", "oci-rt-c2.scope", "/system.slice/oci-rt-c2.scope", false);
	parse_ok(NULL, "c3", "system.slice", "runc-c3.scope", "/system.slice/runc-c3.scope", false);
	parse_ok("", "c4", "system.slice", "runc-c4.scope", "/system.slice/runc-c4.scope", false);
	/* a nested slice expands into its ancestors */
	parse_ok("kubepods-besteffort.slice:cri:abc", "x", "kubepods-besteffort.slice", "cri-abc.scope",
		 "/kubepods.slice/kubepods-besteffort.slice/cri-abc.scope", false);
	/* a name ending in .slice is a slice unit, below the parent slice's path */
	parse_ok("system.slice:p:my-app.slice", "x", "system.slice", "my-app.slice", "/system.slice/my-app.slice",
		 true);
	/* the root slice: the unit sits at the top */
	parse_ok("-.slice:p:n", "x", "-.slice", "p-n.scope", "/p-n.scope", false);
	/* runc 1.1 keeps the dash of an empty prefix */
	parse_ok("system.slice::n", "x", "system.slice", "-n.scope", "/system.slice/-n.scope", false);

	static const char *const malformed[] = { "c1", "/abs/path", "a:b", "a:b:c:d", ":" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		snprintf(want, sizeof(want),
			 "expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"%s\" instead",
			 malformed[i]);
		parse_bad(malformed[i], want);
	}
	slice_bad("bad:p:n", "invalid slice name: bad");
	slice_bad("a--b.slice:p:n", "invalid slice name: a--b.slice");
}

static void test_unit_from_path(void)
{
	tap_result(same(systemd_unit_from_path("/system.slice/docker-1.scope"), "docker-1.scope"),
	       "the unit of a scope's cgroup path is its last component");
	tap_result(same(systemd_unit_from_path("/system.slice/my.slice"), "my.slice"),
	       "the unit of a slice's cgroup path is its last component");
	tap_result(systemd_unit_from_path("/a/b") == NULL && systemd_unit_from_path(NULL) == NULL,
	       "a path that names no unit gives none");
}

static void quota(bool has_quota, int64_t q, bool has_period, uint64_t p, bool want_set, uint64_t want)
{
	struct spec_cpu c = { .quota = q, .has_quota = has_quota, .period = p, .has_period = has_period };
	uint64_t got = 0;
	bool set = systemd_unit_cpu_quota_per_sec(&c, &got);

	if (set != want_set || (set && got != want))
		printf("# got set=%d %llu, want set=%d %llu\n", set, (unsigned long long)got, want_set,
		       (unsigned long long)want);
	tap_result(set == want_set && (!set || got == want), "CPUQuotaPerSecUSec of quota %lld period %llu",
	       (long long)q, (unsigned long long)p);
}

static void test_cpu_quota(void)
{
	quota(false, 0, false, 0, false, 0);                /* neither: no property */
	quota(true, 50000, true, 100000, true, 500000);     /* half a cpu */
	quota(true, 50000, false, 0, true, 500000);         /* default period 100 ms */
	quota(true, 200000, true, 100000, true, 2000000);   /* two cpus */
	quota(true, 1234, true, 100000, true, 20000);       /* 12340 us/s rounds up to 20 ms */
	quota(true, -1, true, 100000, true, UINT64_MAX);    /* no limit: infinity */
	quota(false, 0, true, 100000, true, UINT64_MAX);    /* only a period: infinity */
	tap_result(!systemd_unit_cpu_quota_per_sec(NULL, &(uint64_t){ 0 }), "no cpu object: no property");
}

int main(void)
{
	test_expand_slice();
	test_parse();
	test_unit_from_path();
	test_cpu_quota();
	return tap_finish();
}
