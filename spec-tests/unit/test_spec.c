/* test_spec.c: unit tests for the config.json parser (spec_parse.c), as TAP.
 *
 * Inline documents are written with ' for " so they stay readable; json()
 * swaps them back.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec.h"
#include "tap.h"

#ifndef SPEC_TEST_DIR
#error "SPEC_TEST_DIR must name the directory of this file"
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- TAP --------------------------------------------------------------- */

static int check_failures;
static char notes[16384];
static size_t notes_len;

static void __attribute__((format(printf, 1, 2))) note(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (notes_len >= sizeof(notes) - 1)
		return;
	n = snprintf(notes + notes_len, sizeof(notes) - notes_len, "# ");
	notes_len += (size_t)n;
	va_start(ap, fmt);
	n = vsnprintf(notes + notes_len, sizeof(notes) - notes_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		notes_len += (size_t)n;
	if (notes_len > sizeof(notes) - 2)
		notes_len = sizeof(notes) - 2;
	notes[notes_len++] = '\n';
	notes[notes_len] = '\0';
}

/* Ends a test: its CHECKs and `pass` decide; the notes follow the line. */
static void __attribute__((format(printf, 2, 3))) result(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline(pass && !check_failures, fmt, ap);
	va_end(ap);
	printf("%s", notes);
	fflush(stdout);
	notes_len = 0;
	notes[0] = '\0';
	check_failures = 0;
}

static bool check(bool ok, int line, const char *expr)
{
	if (!ok) {
		check_failures++;
		note("line %d: %s", line, expr);
	}
	return ok;
}

static bool check_str(const char *got, const char *want, int line, const char *expr)
{
	if (got == want || (got && want && strcmp(got, want) == 0))
		return true;
	check_failures++;
	note("line %d: %s is \"%s\", want \"%s\"", line, expr, got ? got : "(null)",
	     want ? want : "(null)");
	return false;
}

static bool check_u(uint64_t got, uint64_t want, int line, const char *expr)
{
	if (got == want)
		return true;
	check_failures++;
	note("line %d: %s is %llu, want %llu", line, expr, (unsigned long long)got,
	     (unsigned long long)want);
	return false;
}

static bool check_i(int64_t got, int64_t want, int line, const char *expr)
{
	if (got == want)
		return true;
	check_failures++;
	note("line %d: %s is %lld, want %lld", line, expr, (long long)got, (long long)want);
	return false;
}

/* strv: values, count and the NULL terminator.  `want` ends with NULL. */
static bool check_strv(struct strv v, const char *const *want, int line, const char *expr)
{
	size_t n = 0, i;

	while (want[n])
		n++;
	if (v.n != n || !v.v) {
		check_failures++;
		note("line %d: %s has %zu elements, want %zu", line, expr, v.n, n);
		return false;
	}
	for (i = 0; i < n; i++)
		if (!check_str(v.v[i], want[i], line, expr))
			return false;
	return check(v.v[n] == NULL, line, "strv is NULL-terminated");
}

#define CHECK(c) check((c), __LINE__, #c)
#define CHECK_STR(a, b) check_str((a), (b), __LINE__, #a)
#define CHECK_U(a, b) check_u((uint64_t)(a), (uint64_t)(b), __LINE__, #a)
#define CHECK_I(a, b) check_i((int64_t)(a), (int64_t)(b), __LINE__, #a)
#define CHECK_STRV(v, ...) check_strv((v), (const char *const[]){ __VA_ARGS__, NULL }, __LINE__, #v)

/* ---- helpers ----------------------------------------------------------- */

static char *json(const char *s)
{
	char *d = strdup(s), *p;

	if (!d)
		abort();
	for (p = d; *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

static struct spec *parse(const char *doc, struct error *err)
{
	char *text = json(doc);
	struct spec *s = spec_parse(text, "config.json", err);

	free(text);
	return s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* File names in a directory, sorted, for a stable TAP order. */
static size_t list_dir(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names || !(names[n] = strdup(e->d_name)))
			abort();
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	*out = names;
	return n;
}

/* ---- 1. the runtime-spec's own good and bad examples ------------------ */

static void test_upstream(const char *kind, bool want_ok)
{
	char dir[4096], path[8192];
	char **names = NULL;
	size_t n, i;

	snprintf(dir, sizeof(dir), "%s/upstream-configs/%s", SPEC_TEST_DIR, kind);
	n = list_dir(dir, &names);
	result(n > 0, "upstream %s/ has examples", kind);
	for (i = 0; i < n; i++) {
		struct error err = { 0 };
		struct spec *s;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		s = spec_parse_file(path, &err);
		if (s && !want_ok)
			note("parsed, but should have been rejected");
		if (!s)
			note("%s", err.msg);
		/* Messages name the file by its basename. */
		if (!s)
			CHECK(strncmp(err.msg, names[i], strlen(names[i])) == 0);
		result(!!s == want_ok, "upstream %s/%s %s", kind, names[i],
		       want_ok ? "parses" : "is rejected");
		spec_free(s);
		free(names[i]);
	}
	free(names);
}

/* ---- 2. every value lands in its field -------------------------------- */

static void test_full_top(const struct spec *s)
{
	const struct spec_mount *m;
	const struct spec_hooks *h;

	CHECK_STR(s->oci_version, "1.3.0");
	if (CHECK(s->root)) {
		CHECK_STR(s->root->path, "rootfs");
		CHECK(s->root->readonly);
	}
	CHECK_STR(s->hostname, "box");
	CHECK_STR(s->domainname, "example.org");
	if (CHECK_U(s->annotations.n, 2)) {
		CHECK_STR(s->annotations.v[0].key, "org.example.a");
		CHECK_STR(s->annotations.v[0].value, "1");
		CHECK_STR(s->annotations.v[1].key, "org.example.b");
		CHECK_STR(s->annotations.v[1].value, "");
	}
	if (CHECK_U(s->mounts.n, 2)) {
		m = &s->mounts.v[0];
		CHECK_STR(m->destination, "/proc");
		CHECK_STR(m->type, "proc");
		CHECK_STR(m->source, "proc");
		CHECK(m->options.n == 0 && m->options.v == NULL);
		CHECK(m->uid_mappings.n == 0 && m->gid_mappings.n == 0);
		m = &s->mounts.v[1];
		CHECK_STR(m->destination, "/data");
		CHECK_STR(m->source, "/srv/data");
		CHECK_STR(m->type, "bind");
		CHECK_STRV(m->options, "rbind", "ro");
		if (CHECK_U(m->uid_mappings.n, 1) && CHECK_U(m->gid_mappings.n, 1)) {
			CHECK_U(m->uid_mappings.v[0].container_id, 0);
			CHECK_U(m->uid_mappings.v[0].host_id, 100000);
			CHECK_U(m->uid_mappings.v[0].size, 65536);
			CHECK_U(m->gid_mappings.v[0].container_id, 1);
			CHECK_U(m->gid_mappings.v[0].host_id, 200000);
			CHECK_U(m->gid_mappings.v[0].size, 1000);
		}
	}
	h = s->hooks;
	if (CHECK(h)) {
		if (CHECK_U(h->prestart.n, 1)) {
			CHECK_STR(h->prestart.v[0].path, "/bin/pre");
			CHECK_STRV(h->prestart.v[0].args, "pre", "x");
			CHECK_STRV(h->prestart.v[0].env, "A=1");
			CHECK(h->prestart.v[0].has_timeout);
			CHECK_I(h->prestart.v[0].timeout, INT64_MAX);
		}
		if (CHECK_U(h->create_runtime.n, 1)) {
			CHECK_STR(h->create_runtime.v[0].path, "/bin/cr");
			CHECK(!h->create_runtime.v[0].has_timeout);
			CHECK(h->create_runtime.v[0].args.v == NULL);
		}
		if (CHECK_U(h->create_container.n, 1)) {
			CHECK_STR(h->create_container.v[0].path, "/bin/cc");
			CHECK(h->create_container.v[0].has_timeout);
			CHECK_I(h->create_container.v[0].timeout, 1);
		}
		if (CHECK_U(h->start_container.n, 2))
			CHECK_STR(h->start_container.v[1].path, "/bin/sc2");
		if (CHECK_U(h->poststart.n, 1))
			CHECK_STR(h->poststart.v[0].path, "/bin/ps");
		if (CHECK_U(h->poststop.n, 1)) {
			CHECK_STR(h->poststop.v[0].path, "/bin/pst");
			/* present but empty: allocated, terminated, n == 0 */
			CHECK(h->poststop.v[0].env.n == 0 && h->poststop.v[0].env.v &&
			      !h->poststop.v[0].env.v[0]);
		}
	}
	result(true, "full.json: ociVersion, root, mounts, hooks, annotations");
}

static void test_full_process(const struct spec *s)
{
	const struct spec_process *p = s->process;

	if (!CHECK(p))
		goto out;
	CHECK(p->terminal);
	if (CHECK(p->console_size)) {
		CHECK_U(p->console_size->height, 24);
		CHECK_U(p->console_size->width, UINT64_MAX);
	}
	CHECK_STR(p->cwd, "/work");
	CHECK_STRV(p->env, "PATH=/bin", "TERM=xterm");
	CHECK_STRV(p->args, "sh", "-c", "echo \"hi\" \xc3\xa9");
	CHECK_STR(p->command_line, "sh -c hi");
	if (CHECK(p->user)) {
		CHECK_U(p->user->uid, UINT32_MAX);
		CHECK_U(p->user->gid, 42);
		CHECK(p->user->has_umask);
		CHECK_U(p->user->umask, 18);
		if (CHECK_U(p->user->additional_gids.n, 2)) {
			CHECK_U(p->user->additional_gids.v[0], 5);
			CHECK_U(p->user->additional_gids.v[1], UINT32_MAX);
		}
		CHECK_STR(p->user->username, "alice");
	}
	if (CHECK(p->capabilities)) {
		CHECK_STRV(p->capabilities->bounding, "CAP_KILL", "CAP_CHOWN");
		CHECK_STRV(p->capabilities->permitted, "CAP_KILL");
		CHECK_STRV(p->capabilities->effective, "CAP_CHOWN");
		CHECK(p->capabilities->inheritable.n == 0 && p->capabilities->inheritable.v);
		CHECK_STRV(p->capabilities->ambient, "CAP_NET_RAW");
	}
	CHECK_STR(p->apparmor_profile, "acme");
	CHECK(p->has_oom_score_adj);
	CHECK_I(p->oom_score_adj, -1000);
	CHECK_STR(p->selinux_label, "system_u:system_r:container_t:s0");
	if (CHECK(p->io_priority)) {
		CHECK_I(p->io_priority->class, SPEC_IOPRIO_CLASS_IDLE);
		CHECK_I(p->io_priority->priority, 7);
	}
	CHECK(p->no_new_privileges);
	if (CHECK(p->scheduler)) {
		const struct spec_scheduler *sc = p->scheduler;

		CHECK_I(sc->policy, SPEC_SCHED_DEADLINE);
		CHECK(sc->has_nice && sc->has_priority);
		CHECK_I(sc->nice, -20);
		CHECK_I(sc->priority, INT32_MAX);
		if (CHECK_U(sc->flags.n, 2)) {
			CHECK_I(sc->flags.v[0], SPEC_SCHED_FLAG_RESET_ON_FORK);
			CHECK_I(sc->flags.v[1], SPEC_SCHED_FLAG_UTIL_CLAMP_MAX);
		}
		CHECK(sc->has_runtime && sc->has_deadline && sc->has_period);
		CHECK_U(sc->runtime, 1000);
		CHECK_U(sc->deadline, 2000);
		CHECK_U(sc->period, UINT64_MAX);
	}
	if (CHECK_U(p->rlimits.n, 2)) {
		CHECK_STR(p->rlimits.v[0].type, "RLIMIT_NOFILE");
		CHECK_U(p->rlimits.v[0].soft, 1024);
		CHECK_U(p->rlimits.v[0].hard, UINT64_MAX);
		CHECK_STR(p->rlimits.v[1].type, "RLIMIT_CORE");
		CHECK_U(p->rlimits.v[1].hard, 0);
	}
	if (CHECK(p->exec_cpu_affinity)) {
		CHECK_STR(p->exec_cpu_affinity->initial, "0-3, 7");
		CHECK_STR(p->exec_cpu_affinity->final, "");
	}
out:
	result(true, "full.json: process");
}

static void test_full_linux(const struct spec *s)
{
	const struct spec_linux *l = s->linux_;
	const struct spec_device *d;
	size_t i;

	if (!CHECK(l))
		goto out;
	if (CHECK_U(l->namespaces.n, SPEC_NS_COUNT)) {
		static const int order[] = { SPEC_NS_MOUNT, SPEC_NS_PID, SPEC_NS_NETWORK, SPEC_NS_UTS,
					     SPEC_NS_IPC, SPEC_NS_USER, SPEC_NS_CGROUP, SPEC_NS_TIME };
		for (i = 0; i < N_ELEMS(order); i++)
			CHECK_I(l->namespaces.v[i].type, order[i]);
		CHECK_STR(l->namespaces.v[2].path, "/proc/1/ns/net");
		CHECK(l->namespaces.v[0].path == NULL);
	}
	if (CHECK_U(l->uid_mappings.n, 1) && CHECK_U(l->gid_mappings.n, 1)) {
		CHECK_U(l->uid_mappings.v[0].host_id, 1000);
		CHECK_U(l->uid_mappings.v[0].size, 1);
		CHECK_U(l->gid_mappings.v[0].host_id, 1001);
		CHECK_U(l->gid_mappings.v[0].size, 2);
	}
	if (CHECK_U(l->devices.n, 3)) {
		d = &l->devices.v[0];
		CHECK_STR(d->type, "c");
		CHECK_STR(d->path, "/dev/fuse");
		CHECK(d->has_file_mode && d->has_major && d->has_minor && d->has_uid && d->has_gid);
		CHECK_U(d->file_mode, 0777);
		CHECK_I(d->major, 10);
		CHECK_I(d->minor, 229);
		CHECK_U(d->uid, 0);
		CHECK_U(d->gid, UINT32_MAX);
		d = &l->devices.v[1];
		CHECK_STR(d->type, "p");
		CHECK(!d->has_file_mode && !d->has_major && !d->has_minor && !d->has_uid &&
		      !d->has_gid);
		d = &l->devices.v[2];
		CHECK_I(d->major, INT64_MIN);
		CHECK_I(d->minor, INT64_MAX);
	}
	if (CHECK_U(l->net_devices.n, 2)) {
		CHECK_STR(l->net_devices.v[0].key, "eth0");
		CHECK_STR(l->net_devices.v[0].name, "ceth0");
		CHECK_STR(l->net_devices.v[1].key, "ens4");
		CHECK(l->net_devices.v[1].name == NULL);
	}
	CHECK_STR(l->cgroups_path, "/oci/c1");
	CHECK(l->has_rootfs_propagation);
	CHECK_I(l->rootfs_propagation, SPEC_PROPAGATION_UNBINDABLE);
	if (CHECK_U(l->sysctl.n, 1)) {
		CHECK_STR(l->sysctl.v[0].key, "net.ipv4.ip_forward");
		CHECK_STR(l->sysctl.v[0].value, "1");
	}
	CHECK_STRV(l->masked_paths, "/proc/kcore");
	CHECK_STRV(l->readonly_paths, "/proc/sys", "/proc/bus");
	CHECK_STR(l->mount_label, "system_u:object_r:container_file_t:s0");
	if (CHECK(l->intel_rdt)) {
		CHECK_STR(l->intel_rdt->clos_id, "gold");
		CHECK_STRV(l->intel_rdt->schemata, "L3:0=ff", "MB:0=50");
		CHECK_STR(l->intel_rdt->l3_cache_schema, "L3:0=f");
		CHECK_STR(l->intel_rdt->mem_bw_schema, "MB:0=20");
		CHECK(l->intel_rdt->enable_monitoring);
	}
	if (CHECK(l->memory_policy)) {
		CHECK_I(l->memory_policy->mode, SPEC_MPOL_WEIGHTED_INTERLEAVE);
		CHECK_STR(l->memory_policy->nodes, "0-1");
		if (CHECK_U(l->memory_policy->flags.n, 1))
			CHECK_I(l->memory_policy->flags.v[0], SPEC_MPOL_F_STATIC_NODES);
	}
	if (CHECK(l->personality)) {
		CHECK_I(l->personality->domain, SPEC_PER_LINUX32);
		CHECK_STRV(l->personality->flags, "ADDR_NO_RANDOMIZE", "READ_IMPLIES_EXEC");
	}
	if (CHECK(l->time_offsets) && CHECK(l->time_offsets->boottime) &&
	    CHECK(l->time_offsets->monotonic)) {
		CHECK_I(l->time_offsets->boottime->secs, -5);
		CHECK_U(l->time_offsets->boottime->nanosecs, UINT32_MAX);
		CHECK_I(l->time_offsets->monotonic->secs, INT64_MAX);
		CHECK_U(l->time_offsets->monotonic->nanosecs, 0);
	}
out:
	result(true, "full.json: linux");
}

static void test_full_resources(const struct spec *s)
{
	const struct spec_resources *r = s->linux_ ? s->linux_->resources : NULL;
	const struct spec_blkio *b;

	if (!CHECK(r))
		goto out;
	if (CHECK_U(r->devices.n, 2)) {
		CHECK(!r->devices.v[0].allow);
		CHECK(r->devices.v[0].type == NULL);
		CHECK(!r->devices.v[0].has_major && !r->devices.v[0].has_minor);
		CHECK_STR(r->devices.v[0].access, "rwm");
		CHECK(r->devices.v[1].allow);
		CHECK_STR(r->devices.v[1].type, "c");
		CHECK(r->devices.v[1].has_major && r->devices.v[1].has_minor);
		CHECK_I(r->devices.v[1].major, 1);
		CHECK_I(r->devices.v[1].minor, 3);
	}
	if (CHECK(r->memory)) {
		const struct spec_memory *m = r->memory;

		CHECK(m->has_limit && m->has_reservation && m->has_swap && m->has_kernel &&
		      m->has_kernel_tcp && m->has_swappiness && m->has_disable_oom_killer &&
		      m->has_use_hierarchy && m->has_check_before_update);
		CHECK_I(m->limit, 536870912);
		CHECK_I(m->reservation, 268435456);
		CHECK_I(m->swap, -1);
		CHECK_I(m->kernel, -1);
		CHECK_I(m->kernel_tcp, 0);
		CHECK_U(m->swappiness, UINT64_MAX);
		CHECK(m->disable_oom_killer && !m->use_hierarchy && m->check_before_update);
	}
	if (CHECK(r->cpu)) {
		const struct spec_cpu *c = r->cpu;

		CHECK(c->has_shares && c->has_quota && c->has_burst && c->has_period &&
		      c->has_realtime_runtime && c->has_realtime_period && c->has_idle);
		CHECK_U(c->shares, 1024);
		CHECK_I(c->quota, -1);
		CHECK_U(c->burst, 5000);
		CHECK_U(c->period, 100000);
		CHECK_I(c->realtime_runtime, INT64_MIN);
		CHECK_U(c->realtime_period, 1000000);
		CHECK_STR(c->cpus, "0-3");
		CHECK_STR(c->mems, "0");
		CHECK_I(c->idle, 1);
	}
	if (CHECK(r->pids))
		CHECK_I(r->pids->limit, -1);
	b = r->block_io;
	if (CHECK(b)) {
		CHECK(b->has_weight && b->has_leaf_weight);
		CHECK_U(b->weight, 65535);
		CHECK_U(b->leaf_weight, 10);
		if (CHECK_U(b->weight_device.n, 2)) {
			CHECK_I(b->weight_device.v[0].major, 8);
			CHECK_I(b->weight_device.v[0].minor, 0);
			CHECK(b->weight_device.v[0].has_weight && b->weight_device.v[0].has_leaf_weight);
			CHECK_U(b->weight_device.v[0].weight, 500);
			CHECK_U(b->weight_device.v[0].leaf_weight, 300);
			CHECK_I(b->weight_device.v[1].minor, 16);
			CHECK(!b->weight_device.v[1].has_weight &&
			      !b->weight_device.v[1].has_leaf_weight);
		}
		if (CHECK_U(b->throttle_read_bps_device.n, 1) &&
		    CHECK_U(b->throttle_write_bps_device.n, 1) &&
		    CHECK_U(b->throttle_read_iops_device.n, 1) &&
		    CHECK_U(b->throttle_write_iops_device.n, 1)) {
			CHECK_U(b->throttle_read_bps_device.v[0].rate, 600);
			CHECK_I(b->throttle_write_bps_device.v[0].minor, 1);
			CHECK_U(b->throttle_write_bps_device.v[0].rate, 601);
			CHECK_I(b->throttle_read_iops_device.v[0].minor, 2);
			CHECK_U(b->throttle_read_iops_device.v[0].rate, 602);
			CHECK_I(b->throttle_write_iops_device.v[0].major, 8);
			CHECK_I(b->throttle_write_iops_device.v[0].minor, 3);
			CHECK_U(b->throttle_write_iops_device.v[0].rate, UINT64_MAX);
		}
	}
	if (CHECK_U(r->hugepage_limits.n, 2)) {
		CHECK_STR(r->hugepage_limits.v[0].page_size, "2MB");
		CHECK_U(r->hugepage_limits.v[0].limit, 9223372036854772000ull);
		CHECK_STR(r->hugepage_limits.v[1].page_size, "1GB");
		CHECK_U(r->hugepage_limits.v[1].limit, 0);
	}
	if (CHECK(r->network)) {
		CHECK(r->network->has_class_id);
		CHECK_U(r->network->class_id, 1048577);
		if (CHECK_U(r->network->priorities.n, 2)) {
			CHECK_STR(r->network->priorities.v[0].name, "eth0");
			CHECK_U(r->network->priorities.v[0].priority, 500);
			CHECK_U(r->network->priorities.v[1].priority, UINT32_MAX);
		}
	}
	if (CHECK_U(r->rdma.n, 2)) {
		CHECK_STR(r->rdma.v[0].key, "mlx5_1");
		CHECK(r->rdma.v[0].has_hca_handles && r->rdma.v[0].has_hca_objects);
		CHECK_U(r->rdma.v[0].hca_handles, 3);
		CHECK_U(r->rdma.v[0].hca_objects, 10000);
		CHECK_STR(r->rdma.v[1].key, "mlx4_0");
		CHECK(!r->rdma.v[1].has_hca_handles && r->rdma.v[1].has_hca_objects);
		CHECK_U(r->rdma.v[1].hca_objects, 1000);
	}
	if (CHECK_U(r->unified.n, 2)) {
		CHECK_STR(r->unified.v[0].key, "memory.high");
		CHECK_STR(r->unified.v[0].value, "max");
		CHECK_STR(r->unified.v[1].key, "io.weight");
		CHECK_STR(r->unified.v[1].value, "default 100");
	}
out:
	result(true, "full.json: linux.resources");
}

static void test_full_seccomp(const struct spec *s)
{
	const struct spec_seccomp *sc = s->linux_ ? s->linux_->seccomp : NULL;
	const struct spec_syscall *sys;

	if (!CHECK(sc))
		goto out;
	CHECK_I(sc->default_action, SPEC_SCMP_ACT_ERRNO);
	CHECK(sc->has_default_errno_ret);
	CHECK_U(sc->default_errno_ret, 38);
	if (CHECK_U(sc->architectures.n, 2)) {
		CHECK_I(sc->architectures.v[0], SPEC_SCMP_ARCH_X86_64);
		CHECK_I(sc->architectures.v[1], SPEC_SCMP_ARCH_RISCV64);
	}
	if (CHECK_U(sc->flags.n, 2)) {
		CHECK_I(sc->flags.v[0], SPEC_SECCOMP_FLAG_LOG);
		CHECK_I(sc->flags.v[1], SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV);
	}
	CHECK_STR(sc->listener_path, "/run/seccomp.sock");
	CHECK_STR(sc->listener_metadata, "meta");
	if (!CHECK_U(sc->syscalls.n, 2))
		goto out;
	sys = &sc->syscalls.v[0];
	CHECK_STRV(sys->names, "read", "write");
	CHECK_I(sys->action, SPEC_SCMP_ACT_ALLOW);
	CHECK(!sys->has_errno_ret);
	CHECK(sys->args.n == 0);
	sys = &sc->syscalls.v[1];
	CHECK_STRV(sys->names, "personality");
	CHECK_I(sys->action, SPEC_SCMP_ACT_NOTIFY);
	CHECK(sys->has_errno_ret);
	CHECK_U(sys->errno_ret, 1);
	if (CHECK_U(sys->args.n, 2)) {
		CHECK_U(sys->args.v[0].index, 0);
		CHECK_U(sys->args.v[0].value, UINT64_MAX);
		CHECK(sys->args.v[0].has_value_two);
		CHECK_U(sys->args.v[0].value_two, 0);
		CHECK_I(sys->args.v[0].op, SPEC_SCMP_CMP_MASKED_EQ);
		CHECK_U(sys->args.v[1].index, 5);
		CHECK_U(sys->args.v[1].value, 8);
		CHECK(!sys->args.v[1].has_value_two);
		CHECK_I(sys->args.v[1].op, SPEC_SCMP_CMP_NE);
	}
out:
	result(true, "full.json: linux.seccomp");
}

static void test_full(void)
{
	struct error err = { 0 };
	struct spec *s = spec_parse_file(SPEC_TEST_DIR "/configs/full.json", &err);

	if (!s)
		note("%s", err.msg);
	result(s != NULL, "full.json parses");
	if (!s)
		return;
	test_full_top(s);
	test_full_process(s);
	test_full_linux(s);
	test_full_resources(s);
	test_full_seccomp(s);
	spec_free(s);
}

/* Optional members left out: has_ flags false, pointers NULL, arrays empty. */
static void test_sparse(void)
{
	struct error err = { 0 };
	struct spec *s = parse("{'ociVersion':'1.0.0','process':{'cwd':'/','user':{'uid':0,'gid':0},"
			       "'scheduler':{'policy':'SCHED_OTHER'}},"
			       "'hooks':{},'linux':{'resources':{'memory':{},'cpu':{},'blockIO':{},"
			       "'network':{}},'seccomp':{'defaultAction':'SCMP_ACT_KILL'},"
			       "'timeOffsets':{}}}",
			       &err);
	const struct spec_process *p;
	const struct spec_linux *l;

	if (!s) {
		note("%s", err.msg);
		result(false, "sparse config: absent members stay unset");
		return;
	}
	p = s->process;
	l = s->linux_;
	CHECK(s->root == NULL && s->mounts.n == 0 && s->mounts.v == NULL && !s->hostname);
	CHECK(s->annotations.n == 0 && s->hooks && s->hooks->prestart.n == 0);
	if (CHECK(p)) {
		CHECK(!p->terminal && !p->console_size && !p->capabilities && !p->io_priority);
		CHECK(!p->has_oom_score_adj && !p->no_new_privileges && !p->exec_cpu_affinity);
		CHECK(p->args.v == NULL && p->env.v == NULL && p->rlimits.n == 0);
		CHECK(p->user && !p->user->has_umask && !p->user->username);
		CHECK(p->scheduler && !p->scheduler->has_nice && !p->scheduler->has_priority &&
		      !p->scheduler->has_runtime && !p->scheduler->has_deadline &&
		      !p->scheduler->has_period && p->scheduler->flags.n == 0);
	}
	if (CHECK(l) && CHECK(l->resources)) {
		const struct spec_resources *r = l->resources;

		CHECK(!l->has_rootfs_propagation && !l->personality && !l->memory_policy);
		CHECK(l->time_offsets && !l->time_offsets->boottime && !l->time_offsets->monotonic);
		CHECK(!r->pids && r->devices.n == 0 && r->rdma.n == 0 && r->unified.n == 0);
		CHECK(r->memory && !r->memory->has_limit && !r->memory->has_reservation &&
		      !r->memory->has_swap && !r->memory->has_kernel && !r->memory->has_kernel_tcp &&
		      !r->memory->has_swappiness && !r->memory->has_disable_oom_killer &&
		      !r->memory->has_use_hierarchy && !r->memory->has_check_before_update);
		CHECK(r->cpu && !r->cpu->has_shares && !r->cpu->has_quota && !r->cpu->has_burst &&
		      !r->cpu->has_period && !r->cpu->has_realtime_runtime &&
		      !r->cpu->has_realtime_period && !r->cpu->has_idle && !r->cpu->cpus);
		CHECK(r->block_io && !r->block_io->has_weight && !r->block_io->has_leaf_weight);
		CHECK(r->network && !r->network->has_class_id);
		CHECK(l->seccomp && !l->seccomp->has_default_errno_ret &&
		      l->seccomp->architectures.n == 0 && l->seccomp->syscalls.n == 0);
	}
	result(true, "sparse config: absent members stay unset");
	spec_free(s);
}

/* ---- 3. rejected documents and their exact messages ------------------- */

#define V "'ociVersion':'1.0.0',"
#define P "'process':{'cwd':'/',"
#define L "'linux':{"
#define R "'linux':{'resources':{"
#define SC "'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW',"
#define SYS "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW',"

static const struct {
	const char *doc;
	const char *want;
} bad_cases[] = {
	/* wrong types, at several depths */
	{ "{" V P "'args':['a',1]}}", "config.json: .process.args[1]: expected a string" },
	{ "{'ociVersion':1}", "config.json: .ociVersion: expected a string" },
	{ "{'ociVersion':null}", "config.json: .ociVersion: expected a string" },
	{ "{" V "'root':{'path':'r','readonly':'yes'}}",
	  "config.json: .root.readonly: expected a boolean" },
	{ "{" V P "'user':{'uid':'0','gid':0}}}",
	  "config.json: .process.user.uid: expected an integer" },
	{ "{" V "'process':[]}", "config.json: .process: expected an object" },
	{ "{" V "'mounts':{}}", "config.json: .mounts: expected an array" },
	{ "{" V "'mounts':[{'destination':'/x','options':'ro'}]}",
	  "config.json: .mounts[0].options: expected an array" },
	{ "{" V "'hooks':{'prestart':['x']}}", "config.json: .hooks.prestart[0]: expected an object" },
	{ "{" V P "'user':{'uid':0,'gid':0,'additionalGids':[1,'2']}}}",
	  "config.json: .process.user.additionalGids[1]: expected an integer" },
	{ "{" V R "'devices':[{'allow':true,'major':'8'}]}}}",
	  "config.json: .linux.resources.devices[0].major: expected an integer" },
	{ "{" V SC SYS "'args':[{'index':0,'value':true,'op':'SCMP_CMP_EQ'}]}]}}}",
	  "config.json: .linux.seccomp.syscalls[0].args[0].value: expected an integer" },
	{ "{" V SC "'architectures':[7]}}}",
	  "config.json: .linux.seccomp.architectures[0]: expected a string" },
	{ "{" V "'annotations':{'a':'x','b':1}}", "config.json: .annotations.b: expected a string" },
	{ "{" V L "'sysctl':[]}}", "config.json: .linux.sysctl: expected an object" },
	{ "{" V L "'netDevices':{'eth0':'x'}}}",
	  "config.json: .linux.netDevices.eth0: expected an object" },
	{ "{" V R "'unified':{'memory.max':1}}}}",
	  "config.json: .linux.resources.unified.memory.max: expected a string" },
	{ "{" V L "'timeOffsets':{'boottime':{'secs':'1'}}}}",
	  "config.json: .linux.timeOffsets.boottime.secs: expected an integer" },
	{ "{" V "'hooks':{'poststop':[{'path':'/x','args':[null]}]}}",
	  "config.json: .hooks.poststop[0].args[0]: expected a string" },

	/* integer ranges, for every kind */
	{ "{" V P "'user':{'uid':4294967296,'gid':0}}}",
	  "config.json: .process.user.uid: 4294967296 is out of range for uint32" },
	{ "{" V P "'user':{'uid':0,'gid':-1}}}",
	  "config.json: .process.user.gid: -1 is out of range for uint32" },
	{ "{" V P "'scheduler':{'policy':'SCHED_RR','nice':2147483648}}}",
	  "config.json: .process.scheduler.nice: 2147483648 is out of range for int32" },
	{ "{" V P "'ioPriority':{'class':'IOPRIO_CLASS_BE','priority':-2147483649}}}",
	  "config.json: .process.ioPriority.priority: -2147483649 is out of range for int32" },
	{ "{" V R "'memory':{'limit':9223372036854775808}}}}",
	  "config.json: .linux.resources.memory.limit: 9223372036854775808 is out of range for int64" },
	{ "{" V R "'cpu':{'quota':-9223372036854775809}}}}",
	  "config.json: .linux.resources.cpu.quota: -9223372036854775809 is out of range for int64" },
	{ "{" V R "'blockIO':{'weight':65536}}}}",
	  "config.json: .linux.resources.blockIO.weight: 65536 is out of range for uint16" },
	{ "{" V R "'blockIO':{'weightDevice':[{'major':8,'minor':0,'leafWeight':-1}]}}}}",
	  "config.json: .linux.resources.blockIO.weightDevice[0].leafWeight: -1 is out of range for uint16" },
	{ "{" V P "'rlimits':[{'type':'RLIMIT_CPU','soft':1,'hard':18446744073709551616}]}}",
	  "config.json: .process.rlimits[0].hard: 18446744073709551616 is out of range for uint64" },
	{ "{" V P "'consoleSize':{'height':-1,'width':80}}}",
	  "config.json: .process.consoleSize.height: -1 is out of range for uint64" },
	{ "{" V L "'devices':[{'type':'c','path':'/dev/x','major':1,'minor':1,'fileMode':512}]}}",
	  "config.json: .linux.devices[0].fileMode: 512 is out of range for FileMode" },
	{ "{" V R "'cpu':{'shares':123456789012345678901234567890123456789012345678901234567890123456789}}}}",
	  "config.json: .linux.resources.cpu.shares: "
	  "1234567890123456789012345678901234567890123456789012345678901234... is out of range for uint64" },
	{ "{" V P "'oomScoreAdj':1.5}}", "config.json: .process.oomScoreAdj: expected an integer" },
	{ "{" V R "'hugepageLimits':[{'pageSize':'2MB','limit':1e3}]}}}",
	  "config.json: .linux.resources.hugepageLimits[0].limit: expected an integer" },
	{ "{" V R "'pids':{'limit':-0.0}}}}",
	  "config.json: .linux.resources.pids.limit: expected an integer" },
	{ "{" V "'hooks':{'poststart':[{'path':'/x','timeout':0}]}}",
	  "config.json: .hooks.poststart[0].timeout: 0 is less than the minimum 1" },
	{ "{" V "'hooks':{'prestart':[{'path':'/x','timeout':-5}]}}",
	  "config.json: .hooks.prestart[0].timeout: -5 is less than the minimum 1" },

	/* missing required members, at several depths */
	{ "{}", "config.json: .ociVersion: missing required field" },
	{ "{" V "'process':{'args':['sh']}}", "config.json: .process.cwd: missing required field" },
	{ "{" V P "'user':{'uid':0}}}", "config.json: .process.user.gid: missing required field" },
	{ "{" V P "'user':{'gid':0}}}", "config.json: .process.user.uid: missing required field" },
	{ "{" V "'root':{'readonly':true}}", "config.json: .root.path: missing required field" },
	{ "{" V "'mounts':[{'destination':'/a'},{'source':'/b'}]}",
	  "config.json: .mounts[1].destination: missing required field" },
	{ "{" V "'hooks':{'createRuntime':[{'args':['x']}]}}",
	  "config.json: .hooks.createRuntime[0].path: missing required field" },
	{ "{" V P "'consoleSize':{'height':1}}}",
	  "config.json: .process.consoleSize.width: missing required field" },
	{ "{" V P "'ioPriority':{'class':'IOPRIO_CLASS_RT'}}}",
	  "config.json: .process.ioPriority.priority: missing required field" },
	{ "{" V P "'scheduler':{'nice':1}}}",
	  "config.json: .process.scheduler.policy: missing required field" },
	{ "{" V P "'rlimits':[{'type':'RLIMIT_CPU','hard':1}]}}",
	  "config.json: .process.rlimits[0].soft: missing required field" },
	{ "{" V L "'uidMappings':[{'containerID':0,'hostID':1}]}}",
	  "config.json: .linux.uidMappings[0].size: missing required field" },
	{ "{" V "'mounts':[{'destination':'/a','gidMappings':[{'hostID':1,'size':1}]}]}",
	  "config.json: .mounts[0].gidMappings[0].containerID: missing required field" },
	{ "{" V L "'namespaces':[{'path':'/proc/1/ns/pid'}]}}",
	  "config.json: .linux.namespaces[0].type: missing required field" },
	{ "{" V L "'devices':[{'type':'c','path':'/dev/x','minor':1}]}}",
	  "config.json: .linux.devices[0].major: missing required field" },
	{ "{" V L "'devices':[{'type':'p','path':'/dev/f'},{'type':'b','path':'/dev/x','major':1}]}}",
	  "config.json: .linux.devices[1].minor: missing required field" },
	{ "{" V L "'devices':[{'path':'/dev/x'}]}}",
	  "config.json: .linux.devices[0].type: missing required field" },
	{ "{" V R "'devices':[{'access':'rwm'}]}}}",
	  "config.json: .linux.resources.devices[0].allow: missing required field" },
	{ "{" V R "'pids':{}}}}", "config.json: .linux.resources.pids.limit: missing required field" },
	{ "{" V R "'blockIO':{'throttleWriteIOPSDevice':[{'major':8,'minor':0}]}}}}",
	  "config.json: .linux.resources.blockIO.throttleWriteIOPSDevice[0].rate: missing required field" },
	{ "{" V R "'blockIO':{'weightDevice':[{'major':8,'weight':10}]}}}}",
	  "config.json: .linux.resources.blockIO.weightDevice[0].minor: missing required field" },
	{ "{" V R "'hugepageLimits':[{'pageSize':'2MB'}]}}}",
	  "config.json: .linux.resources.hugepageLimits[0].limit: missing required field" },
	{ "{" V R "'network':{'priorities':[{'priority':1}]}}}}",
	  "config.json: .linux.resources.network.priorities[0].name: missing required field" },
	{ "{" V L "'seccomp':{'syscalls':[]}}}",
	  "config.json: .linux.seccomp.defaultAction: missing required field" },
	{ "{" V SC "'syscalls':[{'names':['read']}]}}}",
	  "config.json: .linux.seccomp.syscalls[0].action: missing required field" },
	{ "{" V SC "'syscalls':[{'action':'SCMP_ACT_LOG'}]}}}",
	  "config.json: .linux.seccomp.syscalls[0].names: missing required field" },
	{ "{" V SC SYS "'args':[{'index':1,'value':2}]}]}}}",
	  "config.json: .linux.seccomp.syscalls[0].args[0].op: missing required field" },
	{ "{" V L "'memoryPolicy':{'nodes':'0'}}}",
	  "config.json: .linux.memoryPolicy.mode: missing required field" },
	{ "{" V L "'personality':{'flags':[]}}}",
	  "config.json: .linux.personality.domain: missing required field" },

	/* enum values, for every enum */
	{ "{" V L "'namespaces':[{'type':'foo'}]}}",
	  "config.json: .linux.namespaces[0].type: invalid value \"foo\"" },
	{ "{" V L "'namespaces':[{'type':'pid'},{'type':'PID'}]}}",
	  "config.json: .linux.namespaces[1].type: invalid value \"PID\"" },
	{ "{" V P "'ioPriority':{'class':'IOPRIO_CLASS_NONE','priority':0}}}",
	  "config.json: .process.ioPriority.class: invalid value \"IOPRIO_CLASS_NONE\"" },
	{ "{" V P "'scheduler':{'policy':'SCHED_NORMAL'}}}",
	  "config.json: .process.scheduler.policy: invalid value \"SCHED_NORMAL\"" },
	{ "{" V P "'scheduler':{'policy':'SCHED_FIFO','flags':['SCHED_FLAG_RECLAIM','bogus']}}}",
	  "config.json: .process.scheduler.flags[1]: invalid value \"bogus\"" },
	{ "{" V L "'rootfsPropagation':'rprivatex'}}",
	  "config.json: .linux.rootfsPropagation: invalid value \"rprivatex\"" },
	{ "{" V L "'seccomp':{'defaultAction':'SCMP_ACT_FOO'}}}",
	  "config.json: .linux.seccomp.defaultAction: invalid value \"SCMP_ACT_FOO\"" },
	{ "{" V SC "'syscalls':[{'names':['read'],'action':'allow'}]}}}",
	  "config.json: .linux.seccomp.syscalls[0].action: invalid value \"allow\"" },
	{ "{" V SC "'architectures':['SCMP_ARCH_X86','SCMP_ARCH_VAX']}}}",
	  "config.json: .linux.seccomp.architectures[1]: invalid value \"SCMP_ARCH_VAX\"" },
	{ "{" V SC "'flags':['SECCOMP_FILTER_FLAG_NEW_LISTENER']}}}",
	  "config.json: .linux.seccomp.flags[0]: invalid value \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"" },
	{ "{" V SC SYS "'args':[{'index':0,'value':1,'op':'=='}]}]}}}",
	  "config.json: .linux.seccomp.syscalls[0].args[0].op: invalid value \"==\"" },
	{ "{" V L "'memoryPolicy':{'mode':'MPOL_NONE'}}}",
	  "config.json: .linux.memoryPolicy.mode: invalid value \"MPOL_NONE\"" },
	{ "{" V L "'memoryPolicy':{'mode':'MPOL_BIND','flags':['MPOL_F_BOGUS']}}}",
	  "config.json: .linux.memoryPolicy.flags[0]: invalid value \"MPOL_F_BOGUS\"" },
	{ "{" V L "'personality':{'domain':'LINUX64'}}}",
	  "config.json: .linux.personality.domain: invalid value \"LINUX64\"" },
	{ "{" V L "'rootfsPropagation':'a\\\"b\\\\c\\nd'}}",
	  "config.json: .linux.rootfsPropagation: invalid value \"a\\\"b\\\\c\\nd\"" },

	/* the schema's patterns and minimums */
	{ "{" V P "'rlimits':[{'type':'RLIMIT_nofile','soft':1,'hard':1}]}}",
	  "config.json: .process.rlimits[0].type: \"RLIMIT_nofile\" does not match ^RLIMIT_[A-Z]+$" },
	{ "{" V P "'rlimits':[{'type':'RLIMIT_','soft':1,'hard':1}]}}",
	  "config.json: .process.rlimits[0].type: \"RLIMIT_\" does not match ^RLIMIT_[A-Z]+$" },
	{ "{" V R "'hugepageLimits':[{'pageSize':'64kB','limit':1}]}}}",
	  "config.json: .linux.resources.hugepageLimits[0].pageSize: \"64kB\" does not match ^[1-9][0-9]*[KMG]B$" },
	{ "{" V R "'hugepageLimits':[{'pageSize':'2MB','limit':1},{'pageSize':'02MB','limit':1}]}}}",
	  "config.json: .linux.resources.hugepageLimits[1].pageSize: \"02MB\" does not match ^[1-9][0-9]*[KMG]B$" },
	{ "{" V R "'hugepageLimits':[{'pageSize':'1GBx','limit':1}]}}}",
	  "config.json: .linux.resources.hugepageLimits[0].pageSize: \"1GBx\" does not match ^[1-9][0-9]*[KMG]B$" },
	{ "{" V L "'intelRdt':{'memBwSchema':'L3:0=f'}}}",
	  "config.json: .linux.intelRdt.memBwSchema: \"L3:0=f\" does not match ^MB:[^\\n]*$" },
	{ "{" V L "'intelRdt':{'memBwSchema':'MB:0=20\\nL3:0=f'}}}",
	  "config.json: .linux.intelRdt.memBwSchema: \"MB:0=20\\nL3:0=f\" does not match ^MB:[^\\n]*$" },
	{ "{" V P "'execCPUAffinity':{'initial':'0-3;7'}}}",
	  "config.json: .process.execCPUAffinity.initial: \"0-3;7\" does not match ^[0-9, -]*$" },
	{ "{" V P "'execCPUAffinity':{'initial':'1','final':'all'}}}",
	  "config.json: .process.execCPUAffinity.final: \"all\" does not match ^[0-9, -]*$" },
	{ "{" V L "'devices':[{'type':'x','path':'/dev/x'}]}}",
	  "config.json: .linux.devices[0].type: \"x\" does not match ^[cbup]$" },
	{ "{" V L "'devices':[{'type':'cb','path':'/dev/x'}]}}",
	  "config.json: .linux.devices[0].type: \"cb\" does not match ^[cbup]$" },
	{ "{" V SC "'syscalls':[{'names':[],'action':'SCMP_ACT_LOG'}]}}}",
	  "config.json: .linux.seccomp.syscalls[0].names: must not be empty" },

	/* NUL bytes, which C strings cannot hold */
	{ "{" V P "'args':['a\\u0000b']}}", "config.json: .process.args[0]: contains a NUL byte" },
	{ "{" V "'annotations':{'k':'v\\u0000'}}", "config.json: .annotations.k: contains a NUL byte" },
	{ "{" V "'process':{'cwd\\u0000x':'/'}}",
	  "config.json: .process: a member name contains a NUL byte" },
	{ "{" V "'x':[1,{'y':[true,'\\u0000']}]}", "config.json: .x[1].y[1]: contains a NUL byte" },

	/* not JSON, or not an object */
	{ "{]", "config.json: invalid JSON: parse error: invalid object key (must be a string) "
		"at line 1, column 2" },
	{ "", "config.json: invalid JSON: parse error: premature EOF at line 1, column 1" },
	{ "{" V "\n'hostname':'a'}\n x", "config.json: invalid JSON: parse error: trailing garbage "
					 "at line 3, column 2" },
	{ "{" V "\n 'process': {'cwd': '/' 'args': []}}",
	  "config.json: invalid JSON: parse error: after key and value, inside map, I expect ',' or '}' "
	  "at line 2, column 26" },
	{ "{" V "'hostname': tru}", "config.json: invalid JSON: lexical error: invalid string in json "
				    "text. at line 1, column 37" },
	{ "[]", "config.json: expected an object" },
	{ "'config'", "config.json: expected an object" },
	{ "null", "config.json: expected an object" },
};

static void test_bad_cases(void)
{
	size_t i;

	for (i = 0; i < N_ELEMS(bad_cases); i++) {
		struct error err = { 0 };
		struct spec *s = parse(bad_cases[i].doc, &err);

		if (s)
			note("parsed, but should have been rejected");
		else
			CHECK_STR(err.msg, bad_cases[i].want);
		result(!s, "rejects: %s", bad_cases[i].want);
		spec_free(s);
	}
}

static void test_deep_nesting(void)
{
	static const char head[] = "{\"ociVersion\":\"1.0.0\",\"x\":";
	size_t depth = 100000, n = strlen(head);
	char *doc = malloc(n + 2 * depth + 2);
	struct error err = { 0 };
	struct spec *s;

	if (!doc)
		abort();
	memcpy(doc, head, n);
	memset(doc + n, '[', depth);
	memset(doc + n + depth, ']', depth);
	strcpy(doc + n + 2 * depth, "}");
	s = spec_parse(doc, "config.json", &err);
	CHECK(!s);
	CHECK_STR(err.msg, "config.json: nested deeper than 256 levels");
	result(true, "deep nesting is refused before yajl recurses");
	spec_free(s);

	/* Nesting that real documents could have, in an unknown member. */
	memset(doc + n, '[', 200);
	memset(doc + n + 200, ']', 200);
	strcpy(doc + n + 400, "}");
	s = spec_parse(doc, "config.json", &err);
	if (!s)
		note("%s", err.msg);
	result(s != NULL, "200 levels in an unknown member are fine");
	spec_free(s);
	free(doc);
}

/* ---- unknown members, null, repeated members --------------------------- */

static void test_lenient(void)
{
	struct error err = { 0 };
	struct spec *s;

	s = parse("{'ociVersion':'1.0.0','future':{'a':[1,2,{'b':null}]},'solaris':{'milestone':1},"
		  "'windows':5,'vm':'x','zos':[],'freebsd':{'jail':true},"
		  "'process':{'cwd':'/','Cwd':3,'user':{'uid':1,'gid':2,'extra':'x'},'newThing':[{}]},"
		  "'linux':{'resources':{'memory':{'limit':1,'swapiness':'typo'},"
		  "'devices':[{'allow':true,'comment':{}}]},'namespaces':[{'type':'pid','x':1}],"
		  "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['a'],"
		  "'action':'SCMP_ACT_LOG','comment':'why'}]}},"
		  "'mounts':[{'destination':'/a','unknownOption':true}],"
		  "'hooks':{'prestart':[{'path':'/p','when':'now'}],'onCrash':[]}}",
		  &err);
	if (!s)
		note("%s", err.msg);
	else
		CHECK(s->process && s->process->user && s->process->user->gid == 2 &&
		      s->linux_ && s->linux_->resources && s->linux_->resources->memory &&
		      s->linux_->resources->memory->limit == 1 && s->mounts.n == 1);
	result(s != NULL, "unknown members are ignored at every depth");
	spec_free(s);

	s = parse("{'ociVersion':'1.0.0','process':null,'root':null,'mounts':null,"
		  "'linux':{'seccomp':null,'sysctl':null,'rootfsPropagation':null,"
		  "'resources':{'memory':{'limit':null}}}}",
		  &err);
	if (!s)
		note("%s", err.msg);
	else
		CHECK(!s->process && !s->root && !s->mounts.v && s->linux_ && !s->linux_->seccomp &&
		      !s->linux_->has_rootfs_propagation && s->linux_->resources &&
		      s->linux_->resources->memory && !s->linux_->resources->memory->has_limit);
	result(s != NULL, "null optional members count as absent");
	spec_free(s);

	s = parse("{'ociVersion':'1.0.0','hostname':'a','hostname':'b',"
		  "'annotations':{'k':'1','j':'x','k':'2'}}",
		  &err);
	if (!s)
		note("%s", err.msg);
	else if (CHECK_STR(s->hostname, "b") && CHECK_U(s->annotations.n, 3)) {
		/* maps keep document order; applied in order, the last one wins */
		CHECK_STR(s->annotations.v[0].key, "k");
		CHECK_STR(s->annotations.v[0].value, "1");
		CHECK_STR(s->annotations.v[1].key, "j");
		CHECK_STR(s->annotations.v[2].key, "k");
		CHECK_STR(s->annotations.v[2].value, "2");
	}
	result(s != NULL, "a repeated member keeps its last value; maps keep every entry in order");
	spec_free(s);
}

/* Every enum string of the spec maps to the C enum of the same position. */
static int get_ns(const struct spec *s) { return s->linux_->namespaces.v[0].type; }
static int get_ioprio(const struct spec *s) { return s->process->io_priority->class; }
static int get_policy(const struct spec *s) { return s->process->scheduler->policy; }
static int get_sched_flag(const struct spec *s) { return s->process->scheduler->flags.v[0]; }
static int get_prop(const struct spec *s) { return s->linux_->rootfs_propagation; }
static int get_action(const struct spec *s) { return s->linux_->seccomp->default_action; }
static int get_scmp_flag(const struct spec *s) { return s->linux_->seccomp->flags.v[0]; }
static int get_arch(const struct spec *s) { return s->linux_->seccomp->architectures.v[0]; }
static int get_op(const struct spec *s) { return s->linux_->seccomp->syscalls.v[0].args.v[0].op; }
static int get_mpol(const struct spec *s) { return s->linux_->memory_policy->mode; }
static int get_mpol_flag(const struct spec *s) { return s->linux_->memory_policy->flags.v[0]; }
static int get_domain(const struct spec *s) { return s->linux_->personality->domain; }

static const char *const ioprio_names[] = { "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
					    "IOPRIO_CLASS_IDLE", NULL };
static const char *const policy_names[] = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",
					    "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE",
					    "SCHED_DEADLINE", NULL };
static const char *const sched_flag_names[] = {
	"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN",
	"SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
	"SCHED_FLAG_UTIL_CLAMP_MAX", NULL
};
static const char *const prop_names[] = { "private", "shared", "slave", "unbindable", NULL };
static const char *const mpol_names[] = { "MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE",
					  "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED",
					  "MPOL_PREFERRED_MANY", "MPOL_LOCAL", NULL };
static const char *const mpol_flag_names[] = { "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES",
					       "MPOL_F_STATIC_NODES", NULL };
static const char *const domain_names[] = { "LINUX", "LINUX32", NULL };

static const struct {
	const char *what;
	const char *tmpl; /* @ stands for the value */
	int (*get)(const struct spec *);
	const char *const *names;            /* a list written from the spec, or */
	const char *(*name_of)(int value);   /* the parser's own name function */
} enum_cases[] = {
	{ "namespace types", "{" V L "'namespaces':[{'type':'@'}]}}", get_ns, NULL,
	  spec_ns_type_name },
	{ "ioPriority classes", "{" V P "'ioPriority':{'class':'@','priority':0}}}", get_ioprio,
	  ioprio_names, NULL },
	{ "scheduler policies", "{" V P "'scheduler':{'policy':'@'}}}", get_policy, policy_names,
	  NULL },
	{ "scheduler flags", "{" V P "'scheduler':{'policy':'SCHED_RR','flags':['@']}}}",
	  get_sched_flag, sched_flag_names, NULL },
	{ "rootfs propagations", "{" V L "'rootfsPropagation':'@'}}", get_prop, prop_names, NULL },
	{ "seccomp actions", "{" V L "'seccomp':{'defaultAction':'@'}}}", get_action, NULL,
	  spec_seccomp_action_name },
	{ "seccomp flags", "{" V SC "'flags':['@']}}}", get_scmp_flag, NULL,
	  spec_seccomp_flag_name },
	{ "seccomp architectures", "{" V SC "'architectures':['@']}}}", get_arch, NULL,
	  spec_seccomp_arch_name },
	{ "seccomp operators", "{" V SC SYS "'args':[{'index':0,'value':0,'op':'@'}]}]}}}", get_op,
	  NULL, spec_seccomp_op_name },
	{ "memory policy modes", "{" V L "'memoryPolicy':{'mode':'@'}}}", get_mpol, mpol_names,
	  NULL },
	{ "memory policy flags", "{" V L "'memoryPolicy':{'mode':'MPOL_BIND','flags':['@']}}}",
	  get_mpol_flag, mpol_flag_names, NULL },
	{ "personality domains", "{" V L "'personality':{'domain':'@'}}}", get_domain,
	  domain_names, NULL },
};

static void test_enums(void)
{
	size_t i;
	int v;

	for (i = 0; i < N_ELEMS(enum_cases); i++) {
		const char *name;
		int count = 0;

		for (v = 0;; v++) {
			char doc[512];
			struct error err = { 0 };
			struct spec *s;
			const char *at;

			name = enum_cases[i].names ? enum_cases[i].names[v] : enum_cases[i].name_of(v);
			if (!name)
				break;
			count++;
			at = strchr(enum_cases[i].tmpl, '@');
			snprintf(doc, sizeof(doc), "%.*s%s%s", (int)(at - enum_cases[i].tmpl),
				 enum_cases[i].tmpl, name, at + 1);
			s = parse(doc, &err);
			if (!s)
				note("%s: %s", name, err.msg);
			else if (enum_cases[i].get(s) != v)
				note("%s parsed as %d, want %d", name, enum_cases[i].get(s), v);
			check(s && enum_cases[i].get(s) == v, __LINE__, name);
			spec_free(s);
		}
		result(count > 1, "all %d %s parse to their C enum", count, enum_cases[i].what);
	}

	CHECK_STR(spec_ns_type_name(SPEC_NS_TIME), "time");
	CHECK(spec_ns_type_name(SPEC_NS_COUNT) == NULL && spec_ns_type_name(-1) == NULL);
	CHECK_STR(spec_seccomp_action_name(SPEC_SCMP_ACT_KILL_PROCESS), "SCMP_ACT_KILL_PROCESS");
	CHECK(spec_seccomp_action_name(SPEC_SCMP_ACT_NOTIFY + 1) == NULL);
	CHECK_STR(spec_seccomp_arch_name(SPEC_SCMP_ARCH_LOONGARCH64), "SCMP_ARCH_LOONGARCH64");
	CHECK(spec_seccomp_arch_name(SPEC_SCMP_ARCH_RISCV64 + 1) == NULL);
	CHECK_STR(spec_seccomp_op_name(SPEC_SCMP_CMP_MASKED_EQ), "SCMP_CMP_MASKED_EQ");
	CHECK_STR(spec_seccomp_flag_name(SPEC_SECCOMP_FLAG_SPEC_ALLOW),
		  "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
	CHECK(spec_seccomp_flag_name(SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV + 1) == NULL);
	result(true, "spec_*_name() give the spec's strings and NULL past the end");
}

/* ---- 4. bare process and resources documents -------------------------- */

static void test_process_doc(void)
{
	struct error err = { 0 };
	struct spec_process *p;
	char *doc;

	doc = json("{'cwd':'/srv','args':['sh','-c','true'],'env':['A=B'],'terminal':true,"
		   "'user':{'uid':1,'gid':2,'additionalGids':[3]},'noNewPrivileges':true,"
		   "'capabilities':{'bounding':['CAP_KILL']},'rlimits':[{'type':'RLIMIT_NPROC',"
		   "'soft':5,'hard':6}],'oomScoreAdj':-17,'unknown':{}}");
	p = spec_parse_process(doc, "process.json", &err);
	free(doc);
	if (!p) {
		note("%s", err.msg);
	} else {
		CHECK_STR(p->cwd, "/srv");
		CHECK_STRV(p->args, "sh", "-c", "true");
		CHECK_STRV(p->env, "A=B");
		CHECK(p->terminal && p->no_new_privileges);
		CHECK(p->user && p->user->uid == 1 && p->user->gid == 2 &&
		      p->user->additional_gids.n == 1 && p->user->additional_gids.v[0] == 3);
		CHECK(p->capabilities && p->capabilities->bounding.n == 1);
		CHECK(p->rlimits.n == 1 && p->rlimits.v[0].soft == 5 && p->rlimits.v[0].hard == 6);
		CHECK(p->has_oom_score_adj && p->oom_score_adj == -17);
	}
	result(p != NULL, "spec_parse_process: a bare process object");
	spec_process_free(p);

	static const struct {
		const char *doc;
		const char *want;
	} bad[] = {
		{ "{'args':['sh']}", "process.json: .cwd: missing required field" },
		{ "{'cwd':'/','args':[0]}", "process.json: .args[0]: expected a string" },
		{ "{'cwd':'/','user':{'uid':-1,'gid':0}}",
		  "process.json: .user.uid: -1 is out of range for uint32" },
		{ "{'cwd':'/','rlimits':[{'type':'NOFILE','soft':1,'hard':1}]}",
		  "process.json: .rlimits[0].type: \"NOFILE\" does not match ^RLIMIT_[A-Z]+$" },
		{ "{'cwd':'/','env':['A=\\u0000']}", "process.json: .env[0]: contains a NUL byte" },
		{ "[]", "process.json: expected an object" },
		{ "{'cwd':'/'", "process.json: invalid JSON: parse error: premature EOF at line 1, column 10" },
	};
	size_t i;

	for (i = 0; i < N_ELEMS(bad); i++) {
		doc = json(bad[i].doc);
		p = spec_parse_process(doc, "process.json", &err);
		free(doc);
		if (p)
			note("parsed, but should have been rejected");
		else
			CHECK_STR(err.msg, bad[i].want);
		result(!p, "spec_parse_process rejects: %s", bad[i].want);
		spec_process_free(p);
	}
}

static void test_resources_doc(void)
{
	struct error err = { 0 };
	struct spec_resources *r;
	char *doc;

	doc = json("{'memory':{'limit':1073741824,'swap':-1},'cpu':{'shares':512,'cpus':'0-1'},"
		   "'pids':{'limit':100},'blockIO':{'weight':100},'unified':{'pids.max':'10'},"
		   "'rdma':{'mlx5_0':{'hcaHandles':1}},'devices':[{'allow':false}]}");
	r = spec_parse_resources(doc, "resources.json", &err);
	free(doc);
	if (!r) {
		note("%s", err.msg);
	} else {
		CHECK(r->memory && r->memory->has_limit && r->memory->limit == 1073741824);
		CHECK(r->memory && r->memory->has_swap && r->memory->swap == -1);
		CHECK(r->cpu && r->cpu->shares == 512);
		if (r->cpu)
			CHECK_STR(r->cpu->cpus, "0-1");
		CHECK(r->pids && r->pids->limit == 100);
		CHECK(r->block_io && r->block_io->has_weight && r->block_io->weight == 100);
		CHECK(r->unified.n == 1 && strcmp(r->unified.v[0].value, "10") == 0);
		CHECK(r->rdma.n == 1 && strcmp(r->rdma.v[0].key, "mlx5_0") == 0 &&
		      r->rdma.v[0].has_hca_handles && !r->rdma.v[0].has_hca_objects);
		CHECK(r->devices.n == 1 && !r->devices.v[0].allow);
	}
	result(r != NULL, "spec_parse_resources: a bare linux.resources object");
	spec_resources_free(r);

	static const struct {
		const char *doc;
		const char *want;
	} bad[] = {
		{ "{'pids':{}}", "resources.json: .pids.limit: missing required field" },
		{ "{'cpu':{'shares':-1}}", "resources.json: .cpu.shares: -1 is out of range for uint64" },
		{ "{'memory':{'limit':'1G'}}", "resources.json: .memory.limit: expected an integer" },
		{ "{'rdma':{'mlx':{'hcaObjects':4294967296}}}",
		  "resources.json: .rdma.mlx.hcaObjects: 4294967296 is out of range for uint32" },
		{ "5", "resources.json: expected an object" },
	};
	size_t i;

	for (i = 0; i < N_ELEMS(bad); i++) {
		doc = json(bad[i].doc);
		r = spec_parse_resources(doc, "resources.json", &err);
		free(doc);
		if (r)
			note("parsed, but should have been rejected");
		else
			CHECK_STR(err.msg, bad[i].want);
		result(!r, "spec_parse_resources rejects: %s", bad[i].want);
		spec_resources_free(r);
	}
}

/* ---- spec_parse_file ----------------------------------------------------- */

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

static void test_parse_file(void)
{
	char dir[] = "/tmp/test-spec.XXXXXX", path[256];
	struct error err = { 0 };
	struct spec *s;

	s = spec_parse_file("/nonexistent/config.json", &err);
	CHECK(!s);
	CHECK_STR(err.msg, "open /nonexistent/config.json: no such file or directory");
	CHECK(err.errnum == ENOENT);
	result(!s, "spec_parse_file: a missing file");

	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/my-config.json", dir);
	write_file(path, "{}", 2);
	s = spec_parse_file(path, &err);
	CHECK_STR(err.msg, "my-config.json: .ociVersion: missing required field");
	result(!s, "spec_parse_file: messages name the file by its basename");
	spec_free(s);

	write_file(path, "{\"ociVersion\":\"1\"}\0{", 20);
	s = spec_parse_file(path, &err);
	CHECK_STR(err.msg, "my-config.json: invalid JSON: NUL byte at offset 18");
	result(!s, "spec_parse_file: a raw NUL byte is refused");
	spec_free(s);

	write_file(path, "{\"ociVersion\":\"1.2.3\"}\n", 23);
	s = spec_parse_file(path, &err);
	if (!s)
		note("%s", err.msg);
	else
		CHECK_STR(s->oci_version, "1.2.3");
	result(s != NULL, "spec_parse_file: a minimal file");
	spec_free(s);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_upstream("good", true);
	test_upstream("bad", false);
	test_full();
	test_sparse();
	test_bad_cases();
	test_deep_nesting();
	test_lenient();
	test_enums();
	test_process_doc();
	test_resources_doc();
	test_parse_file();
	return tap_finish();
}
