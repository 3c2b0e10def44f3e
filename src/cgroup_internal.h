/* cgroup_internal.h: what the cgroup files share among themselves.
 *
 * cgroup_resources.c decides, per group of linux.resources fields, which
 * hierarchy honours it and calls the v1 (cgroup_v1.c) or v2 (cgroup_v2.c)
 * writer with that hierarchy's directory of the container.  Every writer
 * takes the resources with "unset" already decided (has_* flags, zero
 * values dropped where runc treats zero as unset) and names the field in
 * any error.
 */
#ifndef OCI_RT_CGROUP_INTERNAL_H
#define OCI_RT_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"
#include "error.h"
#include "spec.h"

/* Write val to dir/file; an error names the linux.resources field. */
int cgroup_write(const char *dir, const char *file, const char *val, const char *field,
		 struct error *err);
int cgroup_write_u64(const char *dir, const char *file, uint64_t val, const char *field,
		     struct error *err);
int cgroup_write_i64(const char *dir, const char *file, int64_t val, const char *field,
		     struct error *err);
bool cgroup_file_exists(const char *dir, const char *file);
/* Read a file's first line / a number (u64; "max" reads as UINT64_MAX). */
int cgroup_read_line(const char *dir, const char *file, char **out, struct error *err);
int cgroup_read_u64(const char *dir, const char *file, uint64_t *out, struct error *err);
/* The value of `key` in a flat-keyed file ("key value" lines). */
int cgroup_read_key(const char *dir, const char *file, const char *key, uint64_t *out,
		    struct error *err);

/* v1 writers, one per controller (cgroup_v1.c). */
int cgroup_v1_set_cpuset(const char *dir, const struct spec_cpu *c, struct error *err);
int cgroup_v1_set_memory(const char *dir, const struct spec_memory *m, struct error *err);
int cgroup_v1_set_cpu(const char *dir, const struct spec_cpu *c, struct error *err);
int cgroup_v1_set_pids(const char *dir, const struct spec_pids *p, struct error *err);
int cgroup_v1_set_blkio(const char *dir, const struct spec_blkio *b, struct error *err);
int cgroup_v1_set_net_cls(const char *dir, const struct spec_network *n, struct error *err);
int cgroup_v1_set_net_prio(const char *dir, const struct spec_network *n, struct error *err);
/* rdma.max has the same format in both versions */
int cgroup_set_rdma(const char *dir, const struct spec_rdma_array *r, struct error *err);

/* v2 writers (cgroup_v2.c); update: runc's update semantics (cpu.max keeps
 * the quota or period not given, checkBeforeUpdate). */
int cgroup_v2_set_cpuset(const char *dir, const struct spec_cpu *c, struct error *err);
int cgroup_v2_set_memory(const char *dir, const struct spec_memory *m, struct error *err);
int cgroup_v2_set_cpu(const char *dir, const struct spec_cpu *c, bool update, struct error *err);
int cgroup_v2_set_pids(const char *dir, const struct spec_pids *p, struct error *err);
int cgroup_v2_set_io(const char *dir, const struct spec_blkio *b, struct error *err);
int cgroup_v2_set_unified(const char *dir, const struct spec_kv_array *u, struct error *err);

/* runc's conversions for cgroup2 (libcontainer/cgroups/utils.go). */
uint64_t cgroup_shares_to_weight(uint64_t shares);
uint64_t cgroup_blkio_to_io_weight(uint16_t weight);

#endif
