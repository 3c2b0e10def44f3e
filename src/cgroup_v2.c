/* cgroup_v2.c: linux.resources written to the unified hierarchy, with
 * runc's conversions (shares -> cpu.weight, blkio weight -> io.weight,
 * memory+swap -> swap alone).  v1-only fields are errors naming them. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "util.h"

int cgroup_v2_set_cpuset(const char *dir, const struct spec_cpu *c, struct error *err)
{
	if (c->cpus && *c->cpus && cgroup_write(dir, "cpuset.cpus", c->cpus, "cpu.cpus", err) < 0)
		return -1;
	if (c->mems && *c->mems && cgroup_write(dir, "cpuset.mems", c->mems, "cpu.mems", err) < 0)
		return -1;
	return 0;
}

/* -1 is "max"; the caller has dropped 0 (unset). */
static void limit_text(int64_t v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%" PRId64, v);
}

int cgroup_v2_set_memory(const char *dir, const struct spec_memory *m, struct error *err)
{
	char buf[32];

	if (m->has_swappiness)
		return error_set(err, ENOTSUP, "linux.resources.memory.swappiness: not supported on cgroup v2");
	if (m->has_disable_oom_killer && m->disable_oom_killer)
		return error_set(err, ENOTSUP, "linux.resources.memory.disableOOMKiller: not supported on cgroup v2");
	if (m->has_use_hierarchy && !m->use_hierarchy)
		return error_set(err, ENOTSUP,
				 "linux.resources.memory.useHierarchy: cgroup v2 accounting is always hierarchical");
	if (m->has_kernel && m->kernel != -1)
		return error_set(err, ENOTSUP, "linux.resources.memory.kernel: not supported on cgroup v2");
	if (m->has_kernel_tcp && m->kernel_tcp != -1)
		return error_set(err, ENOTSUP, "linux.resources.memory.kernelTCP: not supported on cgroup v2");
	/* what cgroup v1 does by itself: refuse a limit below the usage */
	if (m->has_check_before_update && m->check_before_update && m->has_limit && m->limit > 0) {
		uint64_t usage = 0;
		if (cgroup_read_u64(dir, "memory.current", &usage, err) < 0)
			return -1;
		if (usage >= (uint64_t)m->limit)
			return error_set(err, EBUSY, "rejecting memory limit %" PRId64 " below current usage %" PRIu64,
					 m->limit, usage);
	}

	/* memory.swap.max is swap alone, the spec's swap is memory+swap */
	bool set_swap = false;
	int64_t swap = 0;
	if (m->has_limit && m->limit == -1 && !m->has_swap) {
		set_swap = true;
		swap = -1;
	} else if (m->has_swap) {
		set_swap = true;
		if (m->swap == -1) {
			swap = -1;
		} else {
			if (!m->has_limit || m->limit == -1)
				return error_set(err, EINVAL, "linux.resources.memory.swap: unable to set swap limit without memory limit");
			if (m->swap < m->limit)
				return error_set(err, EINVAL, "linux.resources.memory.swap: memory+swap limit should be >= memory limit");
			swap = m->swap - m->limit;
		}
	}
	if (set_swap) {
		limit_text(swap, buf, sizeof(buf));
		if (!cgroup_file_exists(dir, "memory.swap.max")) {
			/* no swap accounting: lifting or disabling swap is moot */
			if (swap != -1 && swap != 0)
				return error_set(err, ENOTSUP,
						 "linux.resources.memory.swap: swap accounting is not enabled on this host (no memory.swap.max)");
		} else if (cgroup_write(dir, "memory.swap.max", buf, "memory.swap", err) < 0) {
			return -1;
		}
	}
	if (m->has_limit) {
		limit_text(m->limit, buf, sizeof(buf));
		if (cgroup_write(dir, "memory.max", buf, "memory.limit", err) < 0)
			return -1;
	}
	if (m->has_reservation) {
		limit_text(m->reservation, buf, sizeof(buf));
		if (cgroup_write(dir, "memory.low", buf, "memory.reservation", err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_v2_set_cpu(const char *dir, const struct spec_cpu *c, bool update, struct error *err)
{
	bool burst_pending = false;

	if (c->has_realtime_runtime || c->has_realtime_period)
		return error_set(err, ENOTSUP, "linux.resources.cpu.%s: real-time scheduling is not supported on cgroup v2",
				 c->has_realtime_runtime ? "realtimeRuntime" : "realtimePeriod");
	if (c->has_shares) {
		if (c->shares < 2 || c->shares > 262144)
			return error_set(err, EINVAL, "linux.resources.cpu.shares: %" PRIu64 " is outside [2, 262144]",
					 c->shares);
		if (cgroup_write_u64(dir, "cpu.weight", cgroup_shares_to_weight(c->shares), "cpu.shares", err) < 0)
			return -1;
	}
	if (c->has_burst && cgroup_write_u64(dir, "cpu.max.burst", c->burst, "cpu.burst", err) < 0) {
		/* may exceed the old quota: retry once the new one is in */
		if (err->errnum != EINVAL || !c->has_quota)
			return -1;
		burst_pending = true;
	}
	if (c->has_quota || c->has_period) {
		char quota[32] = "max";
		char line[64];
		uint64_t period = c->period;
		if (c->has_quota && c->quota > 0)
			snprintf(quota, sizeof(quota), "%" PRId64, c->quota);
		/* cpu.max holds both: an update that gives one keeps the other */
		if (update && (!c->has_quota || !c->has_period)) {
			cleanup_free char *cur = NULL;
			if (cgroup_read_line(dir, "cpu.max", &cur, err) < 0)
				return -1;
			char *sp = strchr(cur, ' ');
			if (!c->has_quota && sp) {
				*sp = '\0';
				snprintf(quota, sizeof(quota), "%s", cur);
			}
			if (!c->has_period && sp)
				parse_uint64(sp + 1, &period);
		}
		if (period)
			snprintf(line, sizeof(line), "%s %" PRIu64, quota, period);
		else
			snprintf(line, sizeof(line), "%s", quota);
		if (cgroup_write(dir, "cpu.max", line, c->has_quota ? "cpu.quota" : "cpu.period", err) < 0)
			return -1;
		if (burst_pending && cgroup_write_u64(dir, "cpu.max.burst", c->burst, "cpu.burst", err) < 0)
			return -1;
	}
	if (c->has_idle && cgroup_write_i64(dir, "cpu.idle", c->idle, "cpu.idle", err) < 0)
		return -1;
	return 0;
}

int cgroup_v2_set_pids(const char *dir, const struct spec_pids *p, struct error *err)
{
	if (p->limit < 0)
		return cgroup_write(dir, "pids.max", "max", "pids.limit", err);
	return cgroup_write_i64(dir, "pids.max", p->limit, "pids.limit", err);
}

static int write_io_max(const char *dir, const char *key, const char *field,
			const struct spec_blkio_throttle_array *a, struct error *err)
{
	char buf[128];

	for (size_t i = 0; i < a->n; i++) {
		snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %s=%" PRIu64, a->v[i].major, a->v[i].minor, key,
			 a->v[i].rate);
		if (cgroup_write(dir, "io.max", buf, field, err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_v2_set_io(const char *dir, const struct spec_blkio *b, struct error *err)
{
	/* BFQ takes blkio's weights as they are; io.weight needs converting */
	bool bfq = cgroup_file_exists(dir, "io.bfq.weight");
	char buf[96];

	if (b->has_leaf_weight)
		return error_set(err, ENOTSUP, "linux.resources.blockIO.leafWeight: not supported on cgroup v2");
	if (b->has_weight) {
		if (bfq ? cgroup_write_u64(dir, "io.bfq.weight", b->weight, "blockIO.weight", err) < 0
			: cgroup_write_u64(dir, "io.weight", cgroup_blkio_to_io_weight(b->weight), "blockIO.weight", err) < 0)
			return -1;
	}
	for (size_t i = 0; i < b->weight_device.n; i++) {
		const struct spec_blkio_weight_device *w = &b->weight_device.v[i];
		if (w->has_leaf_weight && w->leaf_weight)
			return error_set(err, ENOTSUP,
					 "linux.resources.blockIO.weightDevice.leafWeight: not supported on cgroup v2");
		if (!w->has_weight || !w->weight)
			continue;
		snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %" PRIu64, w->major, w->minor,
			 bfq ? (uint64_t)w->weight : cgroup_blkio_to_io_weight(w->weight));
		if (cgroup_write(dir, bfq ? "io.bfq.weight" : "io.weight", buf, "blockIO.weightDevice", err) < 0)
			return -1;
	}
	return write_io_max(dir, "rbps", "blockIO.throttleReadBpsDevice", &b->throttle_read_bps_device, err) < 0 ||
			       write_io_max(dir, "wbps", "blockIO.throttleWriteBpsDevice", &b->throttle_write_bps_device,
					    err) < 0 ||
			       write_io_max(dir, "riops", "blockIO.throttleReadIOPSDevice", &b->throttle_read_iops_device,
					    err) < 0 ||
			       write_io_max(dir, "wiops", "blockIO.throttleWriteIOPSDevice",
					    &b->throttle_write_iops_device, err) < 0
		       ? -1
		       : 0;
}

/* Written as given, after everything else (it overrides); an unknown
 * file is an error that says whether its controller is missing. */
int cgroup_v2_set_unified(const char *dir, const struct spec_kv_array *u, struct error *err)
{
	for (size_t i = 0; i < u->n; i++) {
		const char *key = u->v[i].key;
		if (strchr(key, '/') || strcmp(key, ".") == 0 || strcmp(key, "..") == 0 || !*key)
			return error_set(err, EINVAL, "linux.resources.unified: unified resource \"%s\" must be a file name (no slashes)",
					 key);
		if (!cgroup_file_exists(dir, key)) {
			const char *dot = strchr(key, '.');
			if (!dot)
				return error_set(err, EINVAL,
						 "linux.resources.unified: unified resource \"%s\" must be in the form CONTROLLER.PARAMETER",
						 key);
			cleanup_free char *ctrl = xasprintf("%.*s", (int)(dot - key), key);
			if (strcmp(ctrl, "cgroup") != 0 && !cgroup_v2_has(dir, ctrl))
				return error_set(err, ENOTSUP,
						 "linux.resources.unified: unified resource \"%s\" can't be set: controller \"%s\" not available",
						 key, ctrl);
		}
		if (cgroup_write(dir, key, u->v[i].value, "unified", err) < 0)
			return -1;
	}
	return 0;
}
