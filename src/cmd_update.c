/* cmd_update.c: `oci-rt update [options] <container-id>`: change a live
 * container's limits, from a linux.resources JSON (--resources FILE or -,
 * which makes every other flag ignored) or from runc's individual flags.
 * As in runc, a value of 0 leaves the limit as it is, and the device rules
 * are never touched. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "cli.h"
#include "commands.h"
#include "container.h"
#include "util.h"

struct update_flags {
	const char *resources;
	const char *blkio_weight, *cpu_period, *cpu_quota, *cpu_share, *cpu_rt_period, *cpu_rt_runtime;
	const char *cpu_burst, *cpu_idle, *cpuset_cpus, *cpuset_mems;
	const char *memory, *memory_reservation, *memory_swap, *pids_limit;
	const char *l3_cache_schema, *mem_bw_schema;
};

/* go-units RAMInBytes: "64m", "1.5GiB", "100 kb", "4096"; -1 passes as is. */
static int ram_in_bytes(const char *flag, const char *s, int64_t *out, struct error *err)
{
	char *end;
	double v;

	if (strcmp(s, "-1") == 0) {
		*out = -1;
		return 0;
	}
	if (!*s || !(*s >= '0' && *s <= '9'))
		goto bad;
	v = strtod(s, &end);
	if (*end == ' ')
		end++;
	double mul = 1;
	switch (*end) {
	case 'k': case 'K': mul = 1024.0; end++; break;
	case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
	case 't': case 'T': mul = 1024.0 * 1024 * 1024 * 1024; end++; break;
	case 'p': case 'P': mul = 1024.0 * 1024 * 1024 * 1024 * 1024; end++; break;
	default: break;
	}
	if (*end == 'i' || *end == 'I')
		end++;
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end || !isfinite(v * mul) || v * mul > 9.2e18)
		goto bad;
	*out = (int64_t)(v * mul);
	return 0;
bad:
	return error_set(err, EINVAL, "invalid value for %s: invalid size: '%s'", flag, s);
}

static int flag_u64(const char *flag, const char *s, uint64_t *out, bool *has, struct error *err)
{
	if (!s || !*s)
		return 0;
	if (parse_uint64(s, out) < 0)
		return error_set(err, EINVAL, "invalid value for %s: strconv.ParseUint: parsing \"%s\": invalid syntax", flag,
				 s);
	*has = true;
	return 0;
}

static int flag_i64(const char *flag, const char *s, int64_t *out, bool *has, struct error *err)
{
	if (!s || !*s)
		return 0;
	if (parse_int64(s, out) < 0)
		return error_set(err, EINVAL, "invalid value for %s: strconv.ParseInt: parsing \"%s\": invalid syntax", flag,
				 s);
	*has = true;
	return 0;
}

static int flag_mem(const char *flag, const char *s, int64_t *out, bool *has, struct error *err)
{
	if (!s || !*s)
		return 0;
	if (ram_in_bytes(flag, s, out, err) < 0)
		return -1;
	*has = true;
	return 0;
}

/* runc's individual flags -> linux.resources */
static int resources_from_flags(const struct update_flags *f, struct spec_resources *r, struct spec_memory *mem,
				struct spec_cpu *cpu, struct spec_blkio *bio, struct spec_pids *pids, struct error *err)
{
	bool has_pids = false;

	if (flag_mem("memory", f->memory, &mem->limit, &mem->has_limit, err) < 0 ||
	    flag_mem("memory-swap", f->memory_swap, &mem->swap, &mem->has_swap, err) < 0 ||
	    flag_mem("memory-reservation", f->memory_reservation, &mem->reservation, &mem->has_reservation, err) < 0 ||
	    flag_u64("cpu-period", f->cpu_period, &cpu->period, &cpu->has_period, err) < 0 ||
	    flag_u64("cpu-rt-period", f->cpu_rt_period, &cpu->realtime_period, &cpu->has_realtime_period, err) < 0 ||
	    flag_u64("cpu-share", f->cpu_share, &cpu->shares, &cpu->has_shares, err) < 0 ||
	    flag_u64("cpu-burst", f->cpu_burst, &cpu->burst, &cpu->has_burst, err) < 0 ||
	    flag_i64("cpu-quota", f->cpu_quota, &cpu->quota, &cpu->has_quota, err) < 0 ||
	    flag_i64("cpu-rt-runtime", f->cpu_rt_runtime, &cpu->realtime_runtime, &cpu->has_realtime_runtime, err) < 0 ||
	    flag_i64("cpu-idle", f->cpu_idle, &cpu->idle, &cpu->has_idle, err) < 0 ||
	    flag_i64("pids-limit", f->pids_limit, &pids->limit, &has_pids, err) < 0)
		return -1;
	if (f->blkio_weight && *f->blkio_weight) {
		uint64_t w;
		if (parse_uint64(f->blkio_weight, &w) < 0 || w > 65535)
			return error_set(err, EINVAL, "invalid value \"%s\" for flag -blkio-weight: parse error", f->blkio_weight);
		bio->weight = (uint16_t)w;
		bio->has_weight = w != 0;
	}
	cpu->cpus = (char *)(f->cpuset_cpus && *f->cpuset_cpus ? f->cpuset_cpus : NULL);
	cpu->mems = (char *)(f->cpuset_mems && *f->cpuset_mems ? f->cpuset_mems : NULL);
	r->memory = mem;
	r->cpu = cpu;
	r->block_io = bio;
	r->pids = has_pids ? pids : NULL;
	return 0;
}

static char *read_resources(const char *path, struct error *err)
{
	char *text = NULL;

	if (strcmp(path, "-") == 0) {
		if (read_all_fd(STDIN_FILENO, 16 << 20, &text, NULL, err) < 0)
			return NULL;
		return text;
	}
	if (read_file_at(AT_FDCWD, path, 16 << 20, &text, err) < 0)
		return NULL;
	return text;
}

int cmd_update(const struct globals *g, int argc, char **argv, struct error *err)
{
	struct update_flags f = { 0 };
	const struct cli_option opts[] = {
		{ "resources", "r", CLI_STRING, &f.resources,
		  "path to the file containing the resources to update or '-' to read from the standard input" },
		{ "blkio-weight", NULL, CLI_STRING, &f.blkio_weight, "Specifies per cgroup weight, range is from 10 to 1000 (default: 0)" },
		{ "cpu-period", NULL, CLI_STRING, &f.cpu_period, "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default" },
		{ "cpu-quota", NULL, CLI_STRING, &f.cpu_quota, "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period" },
		{ "cpu-burst", NULL, CLI_STRING, &f.cpu_burst, "CPU CFS hardcap burst limit (in usecs). Allowed accumulated cpu time additionally for burst a given period" },
		{ "cpu-share", NULL, CLI_STRING, &f.cpu_share, "CPU shares (relative weight vs. other containers)" },
		{ "cpu-rt-period", NULL, CLI_STRING, &f.cpu_rt_period, "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default" },
		{ "cpu-rt-runtime", NULL, CLI_STRING, &f.cpu_rt_runtime, "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period" },
		{ "cpu-idle", NULL, CLI_STRING, &f.cpu_idle, "set cgroup SCHED_IDLE or not, 0: default behavior, 1: SCHED_IDLE" },
		{ "cpuset-cpus", NULL, CLI_STRING, &f.cpuset_cpus, "CPU(s) to use" },
		{ "cpuset-mems", NULL, CLI_STRING, &f.cpuset_mems, "Memory node(s) to use" },
		{ "memory", NULL, CLI_STRING, &f.memory, "Memory limit (in bytes)" },
		{ "memory-reservation", NULL, CLI_STRING, &f.memory_reservation, "Memory reservation or soft_limit (in bytes)" },
		{ "memory-swap", NULL, CLI_STRING, &f.memory_swap, "Total memory usage (memory + swap); set '-1' to enable unlimited swap" },
		{ "pids-limit", NULL, CLI_STRING, &f.pids_limit, "Maximum number of pids allowed in the container (default: 0)" },
		{ "l3-cache-schema", NULL, CLI_STRING, &f.l3_cache_schema, "The string of Intel RDT/CAT L3 cache schema" },
		{ "mem-bw-schema", NULL, CLI_STRING, &f.mem_bw_schema, "The string of Intel RDT/MBA memory bandwidth schema" },
	};
	struct cli_command cmd = { .name = "update", .usage = "[command options] <container-id>",
				   .summary = "update container resource constraints",
				   .options = opts, .n_options = ARRAY_SIZE(opts) };
	cleanup_command_args struct command_args a;
	struct spec_resources flags_res = { 0 }, *from_file = NULL;
	struct spec_memory mem = { 0 };
	struct spec_cpu cpu = { 0 };
	struct spec_blkio bio = { 0 };
	struct spec_pids pids = { 0 };
	const struct spec_resources *res = &flags_res;
	struct container c;
	struct cgroup cg;
	int r = command_parse(&cmd, argc, argv, 1, 1, &a, err);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (container_open(g->root, a.id, true, &c, err) < 0)
		return -1;
	if (f.resources && *f.resources) {
		cleanup_free char *text = read_resources(f.resources, err);
		if (!text || !(from_file = spec_parse_resources(text, "resources", err))) {
			container_close(&c);
			return -1;
		}
		res = from_file;
	} else if (resources_from_flags(&f, &flags_res, &mem, &cpu, &bio, &pids, err) < 0) {
		container_close(&c);
		return -1;
	}
	if (c.status == STATUS_STOPPED)
		r = error_set(err, ESRCH, "container not running");
	else if (!from_file && f.l3_cache_schema && *f.l3_cache_schema)
		r = error_set(err, ENOTSUP, "Intel RDT/CAT: l3 cache schema is not enabled");
	else if (!from_file && f.mem_bw_schema && *f.mem_bw_schema)
		r = error_set(err, ENOTSUP, "Intel RDT/MBA: memory bandwidth schema is not enabled");
	else if ((r = container_cgroup(&c, &cg, err)) == 0) {
		r = cgroup_set_resources(&cg, res, CGROUP_SET_UPDATE, err);
		cgroup_release(&cg);
	}
	spec_resources_free(from_file);
	container_close(&c);
	return r;
}
