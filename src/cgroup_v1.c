/* cgroup_v1.c: linux.resources written to cgroup v1 controllers, in
 * runc's order and with its ordering rules where values depend on each
 * other (memory and memsw, cfs period and quota, rt period and runtime). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "util.h"

int cgroup_v1_set_cpuset(const char *dir, const struct spec_cpu *c, struct error *err)
{
	if (c->cpus && *c->cpus && cgroup_write(dir, "cpuset.cpus", c->cpus, "cpu.cpus", err) < 0)
		return -1;
	if (c->mems && *c->mems && cgroup_write(dir, "cpuset.mems", c->mems, "cpu.mems", err) < 0)
		return -1;
	return 0;
}

/* EBUSY: below what the cgroup already uses; say how much (runc's words). */
static int set_memory_limit(const char *dir, int64_t limit, struct error *err)
{
	uint64_t usage = 0, peak = 0;
	struct error ignored;

	if (cgroup_write_i64(dir, "memory.limit_in_bytes", limit, "memory.limit", err) == 0)
		return 0;
	if (err->errnum != EBUSY)
		return -1;
	cgroup_read_u64(dir, "memory.usage_in_bytes", &usage, &ignored);
	cgroup_read_u64(dir, "memory.max_usage_in_bytes", &peak, &ignored);
	return error_set(err, EBUSY, "unable to set memory limit to %" PRId64 " (current usage: %" PRIu64
			 ", peak usage: %" PRIu64 ")", limit, usage, peak);
}

static int set_memory_and_swap(const char *dir, const struct spec_memory *m, struct error *err)
{
	bool memsw = cgroup_file_exists(dir, "memory.memsw.limit_in_bytes");
	bool has_swap = m->has_swap;
	int64_t swap = m->swap;

	/* unlimited memory with swap unset: unlimited swap too */
	if (m->has_limit && m->limit == -1 && !has_swap && memsw) {
		has_swap = true;
		swap = -1;
	}
	if (has_swap && !memsw) {
		if (swap == -1)
			has_swap = false; /* nothing to lift */
		else
			return error_set(err, ENOTSUP,
					 "linux.resources.memory.swap: swap accounting is not enabled on this host (no memory.memsw.limit_in_bytes)");
	}
	if (has_swap && m->has_limit && m->limit > 0 && swap >= 0 && swap < m->limit)
		return error_set(err, EINVAL, "linux.resources.memory.swap: memory+swap limit %" PRId64
				 " must not be below the memory limit %" PRId64, swap, m->limit);
	/* the kernel wants memory <= memsw at every step: raise memsw first
	 * when it grows past the current memory limit */
	if (m->has_limit && has_swap) {
		uint64_t cur = 0;
		if (cgroup_read_u64(dir, "memory.limit_in_bytes", &cur, err) < 0)
			return -1;
		if (swap == -1 || cur < (uint64_t)swap) {
			if (cgroup_write_i64(dir, "memory.memsw.limit_in_bytes", swap, "memory.swap", err) < 0)
				return -1;
			return set_memory_limit(dir, m->limit, err);
		}
	}
	if (m->has_limit && set_memory_limit(dir, m->limit, err) < 0)
		return -1;
	if (has_swap && cgroup_write_i64(dir, "memory.memsw.limit_in_bytes", swap, "memory.swap", err) < 0)
		return -1;
	return 0;
}

int cgroup_v1_set_memory(const char *dir, const struct spec_memory *m, struct error *err)
{
	if (set_memory_and_swap(dir, m, err) < 0)
		return -1;
	if (m->has_reservation &&
	    cgroup_write_i64(dir, "memory.soft_limit_in_bytes", m->reservation, "memory.reservation", err) < 0)
		return -1;
	if (m->has_kernel) {
		/* since 5.16 the kernel takes the write and ignores it */
		uint64_t got = 0;
		if (cgroup_write_i64(dir, "memory.kmem.limit_in_bytes", m->kernel, "memory.kernel", err) < 0 ||
		    cgroup_read_u64(dir, "memory.kmem.limit_in_bytes", &got, err) < 0)
			return -1;
		if (m->kernel > 0 && got != ((uint64_t)m->kernel & ~(uint64_t)4095) && got != (uint64_t)m->kernel)
			return error_set(err, ENOTSUP,
					 "linux.resources.memory.kernel: this kernel does not limit kernel memory (memory.kmem.limit_in_bytes ignores it)");
	}
	if (m->has_kernel_tcp &&
	    cgroup_write_i64(dir, "memory.kmem.tcp.limit_in_bytes", m->kernel_tcp, "memory.kernelTCP", err) < 0)
		return -1;
	if (m->has_disable_oom_killer && m->disable_oom_killer &&
	    cgroup_write(dir, "memory.oom_control", "1", "memory.disableOOMKiller", err) < 0)
		return -1;
	if (m->has_swappiness) {
		if (m->swappiness > 100)
			return error_set(err, EINVAL, "invalid memory swappiness value: %" PRIu64 " (valid range is 0-100)",
					 m->swappiness);
		if (cgroup_write_u64(dir, "memory.swappiness", m->swappiness, "memory.swappiness", err) < 0)
			return -1;
	}
	if (m->has_use_hierarchy &&
	    cgroup_write(dir, "memory.use_hierarchy", m->use_hierarchy ? "1" : "0", "memory.useHierarchy", err) < 0)
		return -1;
	return 0;
}

/* Real-time bandwidth before the tasks arrive: a SCHED_RR task can't join
 * a group without it.  Period and runtime constrain each other: a period
 * the kernel refuses first may be accepted once the runtime is set. */
static int set_rt(const char *dir, const struct spec_cpu *c, struct error *err)
{
	bool period_pending = false;

	if (c->has_realtime_period &&
	    cgroup_write_u64(dir, "cpu.rt_period_us", c->realtime_period, "cpu.realtimePeriod", err) < 0) {
		if (err->errnum != EINVAL || !c->has_realtime_runtime)
			return -1;
		period_pending = true;
	}
	if (c->has_realtime_runtime) {
		if (cgroup_write_i64(dir, "cpu.rt_runtime_us", c->realtime_runtime, "cpu.realtimeRuntime", err) < 0)
			return -1;
		if (period_pending &&
		    cgroup_write_u64(dir, "cpu.rt_period_us", c->realtime_period, "cpu.realtimePeriod", err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_v1_set_cpu(const char *dir, const struct spec_cpu *c, struct error *err)
{
	bool period_pending = false, burst_pending = false;

	if (c->has_shares) {
		uint64_t got = 0;
		if (cgroup_write_u64(dir, "cpu.shares", c->shares, "cpu.shares", err) < 0 ||
		    cgroup_read_u64(dir, "cpu.shares", &got, err) < 0)
			return -1;
		/* the kernel clamps silently: runc's words for it */
		if (c->shares > got)
			return error_set(err, EINVAL, "the maximum allowed cpu-shares is %" PRIu64, got);
		if (c->shares < got)
			return error_set(err, EINVAL, "the minimum allowed cpu-shares is %" PRIu64, got);
	}
	/* a shorter period may exceed the parent's quota until the new quota
	 * is in: retry it after the quota */
	if (c->has_period && cgroup_write_u64(dir, "cpu.cfs_period_us", c->period, "cpu.period", err) < 0) {
		if (err->errnum != EINVAL || !c->has_quota)
			return -1;
		period_pending = true;
	}
	if (c->has_burst) {
		if (!cgroup_file_exists(dir, "cpu.cfs_burst_us"))
			return error_set(err, ENOTSUP, "linux.resources.cpu.burst: not supported by this kernel (no cpu.cfs_burst_us)");
		if (cgroup_write_u64(dir, "cpu.cfs_burst_us", c->burst, "cpu.burst", err) < 0) {
			if (err->errnum != EINVAL || !c->has_quota)
				return -1;
			burst_pending = true;
		}
	}
	if (c->has_quota) {
		if (cgroup_write_i64(dir, "cpu.cfs_quota_us", c->quota, "cpu.quota", err) < 0)
			return -1;
		if (period_pending && cgroup_write_u64(dir, "cpu.cfs_period_us", c->period, "cpu.period", err) < 0)
			return -1;
		if (burst_pending && cgroup_write_u64(dir, "cpu.cfs_burst_us", c->burst, "cpu.burst", err) < 0)
			return -1;
	}
	if (c->has_idle) {
		if (!cgroup_file_exists(dir, "cpu.idle"))
			return error_set(err, ENOTSUP, "linux.resources.cpu.idle: not supported by this kernel (no cpu.idle)");
		if (cgroup_write_i64(dir, "cpu.idle", c->idle, "cpu.idle", err) < 0)
			return -1;
	}
	if ((c->has_realtime_period || c->has_realtime_runtime) && !cgroup_file_exists(dir, "cpu.rt_runtime_us"))
		return error_set(err, ENOTSUP,
				 "linux.resources.cpu.realtimeRuntime: real-time group scheduling is not enabled in this kernel");
	return set_rt(dir, c, err);
}

int cgroup_v1_set_pids(const char *dir, const struct spec_pids *p, struct error *err)
{
	if (p->limit < 0)
		return cgroup_write(dir, "pids.max", "max", "pids.limit", err);
	return cgroup_write_i64(dir, "pids.max", p->limit, "pids.limit", err);
}

static int write_throttle(const char *dir, const char *file, const char *field,
			  const struct spec_blkio_throttle_array *a, struct error *err)
{
	char buf[96];

	for (size_t i = 0; i < a->n; i++) {
		snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %" PRIu64, a->v[i].major, a->v[i].minor,
			 a->v[i].rate);
		if (cgroup_write(dir, file, buf, field, err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_v1_set_blkio(const char *dir, const struct spec_blkio *b, struct error *err)
{
	/* CFQ's files, or BFQ's on kernels without CFQ (runc's detection) */
	bool cfq = cgroup_file_exists(dir, "blkio.weight");
	const char *weight = cfq ? "blkio.weight" : "blkio.bfq.weight";
	const char *weight_dev = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
	char buf[96];

	if ((b->has_weight || b->weight_device.n) && !cfq && !cgroup_file_exists(dir, weight))
		return error_set(err, ENOTSUP,
				 "linux.resources.blockIO.weight: no proportional weight policy (neither blkio.weight nor blkio.bfq.weight)");
	if (b->has_weight && cgroup_write_u64(dir, weight, b->weight, "blockIO.weight", err) < 0)
		return -1;
	if (b->has_leaf_weight) {
		if (!cgroup_file_exists(dir, "blkio.leaf_weight"))
			return error_set(err, ENOTSUP,
					 "linux.resources.blockIO.leafWeight: not supported by this kernel (no blkio.leaf_weight)");
		if (cgroup_write_u64(dir, "blkio.leaf_weight", b->leaf_weight, "blockIO.leafWeight", err) < 0)
			return -1;
	}
	for (size_t i = 0; i < b->weight_device.n; i++) {
		const struct spec_blkio_weight_device *w = &b->weight_device.v[i];
		if (w->has_weight && w->weight) {
			snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %u", w->major, w->minor, w->weight);
			if (cgroup_write(dir, weight_dev, buf, "blockIO.weightDevice", err) < 0)
				return -1;
		}
		if (w->has_leaf_weight && w->leaf_weight) {
			snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %u", w->major, w->minor, w->leaf_weight);
			if (cgroup_write(dir, "blkio.leaf_weight_device", buf, "blockIO.weightDevice.leafWeight", err) < 0)
				return -1;
		}
	}
	return write_throttle(dir, "blkio.throttle.read_bps_device", "blockIO.throttleReadBpsDevice",
			      &b->throttle_read_bps_device, err) < 0 ||
			       write_throttle(dir, "blkio.throttle.write_bps_device", "blockIO.throttleWriteBpsDevice",
					      &b->throttle_write_bps_device, err) < 0 ||
			       write_throttle(dir, "blkio.throttle.read_iops_device", "blockIO.throttleReadIOPSDevice",
					      &b->throttle_read_iops_device, err) < 0 ||
			       write_throttle(dir, "blkio.throttle.write_iops_device", "blockIO.throttleWriteIOPSDevice",
					      &b->throttle_write_iops_device, err) < 0
		       ? -1
		       : 0;
}

int cgroup_v1_set_net_cls(const char *dir, const struct spec_network *n, struct error *err)
{
	return cgroup_write_u64(dir, "net_cls.classid", n->class_id, "network.classID", err);
}

int cgroup_v1_set_net_prio(const char *dir, const struct spec_network *n, struct error *err)
{
	char buf[128];

	for (size_t i = 0; i < n->priorities.n; i++) {
		snprintf(buf, sizeof(buf), "%s %u", n->priorities.v[i].name, n->priorities.v[i].priority);
		if (cgroup_write(dir, "net_prio.ifpriomap", buf, "network.priorities", err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_set_rdma(const char *dir, const struct spec_rdma_array *r, struct error *err)
{
	for (size_t i = 0; i < r->n; i++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_puts(&sb, r->v[i].key);
		if (r->v[i].has_hca_handles)
			strbuf_printf(&sb, " hca_handle=%u", r->v[i].hca_handles);
		if (r->v[i].has_hca_objects)
			strbuf_printf(&sb, " hca_object=%u", r->v[i].hca_objects);
		int rc = cgroup_write(dir, "rdma.max", sb.buf, "rdma", err);
		strbuf_release(&sb);
		if (rc < 0)
			return -1;
	}
	return 0;
}
