/* cgroup_resources.c: linux.resources -> the hierarchy that honours each
 * group of fields (see cgroup.h), and the file helpers the writers share. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "util.h"

/* ---- file helpers ---------------------------------------------------- */

int cgroup_write(const char *dir, const char *file, const char *val, const char *field,
		 struct error *err)
{
	cleanup_free char *path = xasprintf("%s/%s", dir, file);
	cleanup_close int fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return error_sys(err, "linux.resources.%s: open %s", field, path);
	if (write(fd, val, strlen(val)) < 0)
		return error_sys(err, "linux.resources.%s: failed to write \"%s\" to %s", field, val, path);
	return 0;
}

int cgroup_write_u64(const char *dir, const char *file, uint64_t val, const char *field,
		     struct error *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	return cgroup_write(dir, file, buf, field, err);
}

int cgroup_write_i64(const char *dir, const char *file, int64_t val, const char *field,
		     struct error *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, val);
	return cgroup_write(dir, file, buf, field, err);
}

bool cgroup_file_exists(const char *dir, const char *file)
{
	cleanup_free char *path = xasprintf("%s/%s", dir, file);

	return access(path, F_OK) == 0;
}

int cgroup_read_line(const char *dir, const char *file, char **out, struct error *err)
{
	cleanup_free char *path = xasprintf("%s/%s", dir, file);

	if (read_file_at(AT_FDCWD, path, 1 << 20, out, err) < 0)
		return -1;
	(*out)[strcspn(*out, "\n")] = '\0';
	return 0;
}

int cgroup_read_u64(const char *dir, const char *file, uint64_t *out, struct error *err)
{
	cleanup_free char *line = NULL;

	if (cgroup_read_line(dir, file, &line, err) < 0)
		return -1;
	if (strcmp(line, "max") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	if (parse_uint64(line, out) < 0)
		return error_set(err, EINVAL, "%s/%s: not a number: \"%s\"", dir, file, line);
	return 0;
}

int cgroup_read_key(const char *dir, const char *file, const char *key, uint64_t *out,
		    struct error *err)
{
	cleanup_free char *path = xasprintf("%s/%s", dir, file);
	cleanup_free char *text = NULL;
	size_t kl = strlen(key);

	*out = 0;
	if (read_file_at(AT_FDCWD, path, 1 << 20, &text, err) < 0)
		return -1;
	for (char *l = text; l && *l;) {
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(l, key, kl) == 0 && l[kl] == ' ') {
			*out = strtoull(l + kl + 1, NULL, 10);
			return 0;
		}
		l = nl ? nl + 1 : NULL;
	}
	return error_set(err, ENOENT, "%s: no key %s", path, key);
}

/* ---- conversions ----------------------------------------------------- */

uint64_t cgroup_shares_to_weight(uint64_t shares)
{
	/* [2, 262144] -> [1, 10000] */
	if (shares == 0)
		return 0;
	if (shares < 2)
		shares = 2;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cgroup_blkio_to_io_weight(uint16_t weight)
{
	/* [10, 1000] -> [1, 10000] */
	if (weight == 0)
		return 0;
	if (weight < 10)
		weight = 10;
	return 1 + ((uint64_t)weight - 10) * 9999 / 990;
}

/* ---- hugetlb: the same files in both versions but for their suffix --- */

static int set_hugetlb(const char *dir, bool v2, const struct spec_hugepage_limit_array *h, struct error *err)
{
	const char *suffix = v2 ? "max" : "limit_in_bytes";

	for (size_t i = 0; i < h->n; i++) {
		cleanup_free char *file = xasprintf("hugetlb.%s.%s", h->v[i].page_size, suffix);
		cleanup_free char *rsvd = xasprintf("hugetlb.%s.rsvd.%s", h->v[i].page_size, suffix);
		if (!cgroup_file_exists(dir, file))
			return error_set(err, ENOTSUP, "linux.resources.hugepageLimits: page size %s is not supported by this host",
					 h->v[i].page_size);
		if (cgroup_write_u64(dir, file, h->v[i].limit, "hugepageLimits", err) < 0)
			return -1;
		/* reservations too, where the kernel accounts them (>= 5.7) */
		if (cgroup_file_exists(dir, rsvd) && cgroup_write_u64(dir, rsvd, h->v[i].limit, "hugepageLimits", err) < 0)
			return -1;
	}
	return 0;
}

/* ---- what is set --------------------------------------------------- */

static bool memory_set(const struct spec_memory *m)
{
	return m && (m->has_limit || m->has_reservation || m->has_swap || m->has_kernel ||
		     m->has_kernel_tcp || m->has_swappiness || m->has_disable_oom_killer ||
		     m->has_use_hierarchy);
}

static bool cpu_set(const struct spec_cpu *c)
{
	return c && (c->has_shares || c->has_quota || c->has_burst || c->has_period ||
		     c->has_realtime_runtime || c->has_realtime_period || c->has_idle);
}

static bool cpuset_set(const struct spec_cpu *c)
{
	return c && ((c->cpus && *c->cpus) || (c->mems && *c->mems));
}

static bool blkio_set(const struct spec_blkio *b)
{
	return b && (b->has_weight || b->has_leaf_weight || b->weight_device.n ||
		     b->throttle_read_bps_device.n || b->throttle_write_bps_device.n ||
		     b->throttle_read_iops_device.n || b->throttle_write_iops_device.n);
}

/* runc treats a zero limit as "not set" (libcontainer's configs.Resources
 * has no pointers); its update sends zeros for every flag not given. */
static void drop_zero_memory(struct spec_memory *m)
{
	m->has_limit &= m->limit != 0;
	m->has_reservation &= m->reservation != 0;
	m->has_swap &= m->swap != 0;
	m->has_kernel &= m->kernel != 0;
	m->has_kernel_tcp &= m->kernel_tcp != 0;
}

static void drop_zero_cpu(struct spec_cpu *c)
{
	c->has_shares &= c->shares != 0;
	c->has_quota &= c->quota != 0;
	c->has_period &= c->period != 0;
	c->has_realtime_runtime &= c->realtime_runtime != 0;
	c->has_realtime_period &= c->realtime_period != 0;
}

/* ---- dispatch ------------------------------------------------------ */

struct target {
	const char *dir;
	bool v2;
};

/* The hierarchy of v1 controller ctrl, else the cgroup2 one when it has
 * (or can be given) v2 controller ctrl2.  Errors name the field. */
static int target_for(const struct cgroup *cg, const char *field, const char *ctrl, const char *ctrl2,
		      struct target *t, struct error *err)
{
	int i = cgroup_v1_index(ctrl);

	if (i >= 0 && cg->dir[i]) {
		t->dir = cg->dir[i];
		t->v2 = false;
		return 0;
	}
	const char *d2 = cgroup_dir(cg, "");
	if (d2 && ctrl2) {
		struct error why;
		if (cgroup_v2_enable(d2, ctrl2, &why) < 0)
			return error_set(err, ENOTSUP, "linux.resources.%s: the %s controller is not available: %s",
					 field, ctrl2, why.msg);
		t->dir = d2;
		t->v2 = true;
		return 0;
	}
	const struct cgroup_layout *l = cgroup_layout(err);
	if (l && l->mode == CGROUP_MODE_UNIFIED && !ctrl2)
		return error_set(err, ENOTSUP, "linux.resources.%s: %s is a cgroup v1 controller, this host has only cgroup v2",
				 field, ctrl);
	return error_set(err, ENOTSUP, "linux.resources.%s: the %s controller is not mounted on this host", field,
			 ctrl);
}

static int set_groups(const struct cgroup *cg, const struct spec_resources *r, bool update,
		      struct error *err)
{
	struct target t;

	if (cpuset_set(r->cpu)) {
		if (target_for(cg, "cpu.cpus", "cpuset", "cpuset", &t, err) < 0 ||
		    (t.v2 ? cgroup_v2_set_cpuset(t.dir, r->cpu, err) : cgroup_v1_set_cpuset(t.dir, r->cpu, err)) < 0)
			return -1;
	}
	if (memory_set(r->memory)) {
		if (target_for(cg, "memory", "memory", "memory", &t, err) < 0 ||
		    (t.v2 ? cgroup_v2_set_memory(t.dir, r->memory, err) : cgroup_v1_set_memory(t.dir, r->memory, err)) < 0)
			return -1;
	}
	if (cpu_set(r->cpu)) {
		if (target_for(cg, "cpu", "cpu", "cpu", &t, err) < 0 ||
		    (t.v2 ? cgroup_v2_set_cpu(t.dir, r->cpu, update, err) : cgroup_v1_set_cpu(t.dir, r->cpu, err)) < 0)
			return -1;
	}
	if (r->pids) {
		if (target_for(cg, "pids", "pids", "pids", &t, err) < 0 ||
		    (t.v2 ? cgroup_v2_set_pids(t.dir, r->pids, err) : cgroup_v1_set_pids(t.dir, r->pids, err)) < 0)
			return -1;
	}
	if (blkio_set(r->block_io)) {
		if (target_for(cg, "blockIO", "blkio", "io", &t, err) < 0 ||
		    (t.v2 ? cgroup_v2_set_io(t.dir, r->block_io, err) : cgroup_v1_set_blkio(t.dir, r->block_io, err)) < 0)
			return -1;
	}
	if (r->hugepage_limits.n) {
		if (target_for(cg, "hugepageLimits", "hugetlb", "hugetlb", &t, err) < 0 ||
		    set_hugetlb(t.dir, t.v2, &r->hugepage_limits, err) < 0)
			return -1;
	}
	if (r->network && r->network->has_class_id) {
		if (target_for(cg, "network.classID", "net_cls", NULL, &t, err) < 0 ||
		    cgroup_v1_set_net_cls(t.dir, r->network, err) < 0)
			return -1;
	}
	if (r->network && r->network->priorities.n) {
		if (target_for(cg, "network.priorities", "net_prio", NULL, &t, err) < 0 ||
		    cgroup_v1_set_net_prio(t.dir, r->network, err) < 0)
			return -1;
	}
	if (r->rdma.n) {
		if (target_for(cg, "rdma", "rdma", "rdma", &t, err) < 0 || cgroup_set_rdma(t.dir, &r->rdma, err) < 0)
			return -1;
	}
	if (r->unified.n) {
		const struct cgroup_layout *l = cgroup_layout(err);
		const char *d2 = cgroup_dir(cg, "");
		if (!l)
			return -1;
		/* runc's ErrV1NoUnified, with the field named */
		if (l->mode != CGROUP_MODE_UNIFIED || !d2)
			return error_set(err, ENOTSUP,
					 "linux.resources.unified: invalid configuration: cannot use unified on cgroup v1");
		if (cgroup_v2_set_unified(d2, &r->unified, err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_set_resources(const struct cgroup *cg, const struct spec_resources *r, unsigned flags,
			 struct error *err)
{
	static const struct spec_resources none;
	struct spec_resources copy = r ? *r : none;
	struct spec_memory mem;
	struct spec_cpu cpu;
	struct spec_blkio bio;

	if (copy.memory) {
		mem = *copy.memory;
		drop_zero_memory(&mem);
		copy.memory = &mem;
	}
	if (copy.cpu) {
		cpu = *copy.cpu;
		drop_zero_cpu(&cpu);
		copy.cpu = &cpu;
	}
	if (copy.block_io) {
		bio = *copy.block_io;
		bio.has_weight &= bio.weight != 0;
		bio.has_leaf_weight &= bio.leaf_weight != 0;
		copy.block_io = &bio;
	}
	if (flags & CGROUP_SET_UPDATE) {
		/* runc update: a pids limit of 0 means unchanged */
		if (copy.pids && copy.pids->limit == 0)
			copy.pids = NULL;
	}
	return set_groups(cg, &copy, (flags & CGROUP_SET_UPDATE) != 0, err);
}
