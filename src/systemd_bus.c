/* systemd_bus.c: the systemd cgroup driver over D-Bus, with libsystemd's
 * sd-bus (built when meson finds libsystemd; see systemd_bus.h).
 *
 * UNPROVEN: written against runc 1.1.5's cgroups/systemd and the sd-bus and
 * org.freedesktop.systemd1 documentation, but never run against a systemd:
 * the machines it was written on have none, and no VM booted with systemd
 * was tried.  Only the "systemd is not running" path (no
 * /run/systemd/system) is exercised by the tests.  Check StartTransientUnit,
 * the JobRemoved wait and StopUnit on a systemd host before relying on it.
 *
 * What it does, after runc: StartTransientUnit(unit, "replace") with
 * Description, Slice= (scopes) or Wants= (slices), Delegate=true and
 * PIDs=[init] (scopes), DefaultDependencies=false, the accounting switches
 * and the simple resource properties (memory limit, cpu shares/weight, cpu
 * quota, tasks); then waits for the job's JobRemoved signal.  The cgroup
 * files are written by cgroup_resources.c as without systemd; create writes
 * them again once the unit exists, since systemd writes its own defaults.
 * libsystemd.so.0 is dlopen'ed on first use (see sd_load), not linked.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <time.h>

#include "cgroup.h"
#include "cgroup_internal.h"
#include "systemd_bus.h"
#include "util.h"

#define NOT_RUNNING "systemd not running on this host, cannot use systemd cgroups manager"
/* runc waits 30 s for a job */
#define JOB_TIMEOUT_USEC (30ull * 1000000ull)

#define DEST "org.freedesktop.systemd1"
#define OBJ "/org/freedesktop/systemd1"
#define MANAGER "org.freedesktop.systemd1.Manager"

/* libsystemd is opened only when --systemd-cgroup asks for it: linked, it
 * and its libraries (gcrypt, lzma, zstd, lz4) cost every start of the
 * runtime ~1 ms in the dynamic loader.  The header still types each call. */
#define SD_FUNCS(X) \
	X(sd_bus_call) \
	X(sd_bus_call_method) \
	X(sd_bus_error_free) \
	X(sd_bus_error_has_name) \
	X(sd_bus_error_is_set) \
	X(sd_bus_flush_close_unref) \
	X(sd_bus_match_signal) \
	X(sd_bus_message_append) \
	X(sd_bus_message_close_container) \
	X(sd_bus_message_new_method_call) \
	X(sd_bus_message_open_container) \
	X(sd_bus_message_read) \
	X(sd_bus_message_unref) \
	X(sd_bus_open_system) \
	X(sd_bus_process) \
	X(sd_bus_slot_unref) \
	X(sd_bus_wait)

#define SD_DECLARE(f) static __typeof__(f) *p_##f;
SD_FUNCS(SD_DECLARE)

static bool sd_load(void)
{
	static int loaded; /* 0 not tried, 1 ok, -1 failed */
	void *h;

	if (loaded)
		return loaded > 0;
	loaded = -1;
	h = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return false;
#define SD_RESOLVE(f)                                      \
	if (!(p_##f = (__typeof__(p_##f))dlsym(h, #f))) { \
		dlclose(h);                                \
		return false;                              \
	}
	SD_FUNCS(SD_RESOLVE)
#undef SD_RESOLVE
	loaded = 1;
	return true;
}

/* from here on every sd_bus_* call goes through its pointer */
#define SD_CALL(f) (*p_##f)
#define sd_bus_call SD_CALL(sd_bus_call)
#define sd_bus_call_method SD_CALL(sd_bus_call_method)
#define sd_bus_error_free SD_CALL(sd_bus_error_free)
#define sd_bus_error_has_name SD_CALL(sd_bus_error_has_name)
#define sd_bus_error_is_set SD_CALL(sd_bus_error_is_set)
#define sd_bus_flush_close_unref SD_CALL(sd_bus_flush_close_unref)
#define sd_bus_match_signal SD_CALL(sd_bus_match_signal)
#define sd_bus_message_append SD_CALL(sd_bus_message_append)
#define sd_bus_message_close_container SD_CALL(sd_bus_message_close_container)
#define sd_bus_message_new_method_call SD_CALL(sd_bus_message_new_method_call)
#define sd_bus_message_open_container SD_CALL(sd_bus_message_open_container)
#define sd_bus_message_read SD_CALL(sd_bus_message_read)
#define sd_bus_message_unref SD_CALL(sd_bus_message_unref)
#define sd_bus_open_system SD_CALL(sd_bus_open_system)
#define sd_bus_process SD_CALL(sd_bus_process)
#define sd_bus_slot_unref SD_CALL(sd_bus_slot_unref)
#define sd_bus_wait SD_CALL(sd_bus_wait)

struct systemd_bus {
	sd_bus *bus;
};

/* The job being waited for: its object path (once the reply is in) and
 * the results of every JobRemoved seen meanwhile for its unit. */
struct job_wait {
	const char *unit;
	char *job;
	char result[64];
	char seen_job[256];
	bool done;
};

/* runc's IsRunningSystemd: the directory systemd makes when it is init */
static bool systemd_running(void)
{
	struct stat st;

	return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

bool systemd_bus_available(void)
{
	return systemd_running() && sd_load();
}

int systemd_bus_open(struct systemd_bus **out, struct error *err)
{
	sd_bus *bus = NULL;

	*out = NULL;
	if (!systemd_running() || !sd_load() || sd_bus_open_system(&bus) < 0)
		return error_set(err, ENOTSUP, NOT_RUNNING);
	/* job signals are sent to subscribers (go-systemd subscribes too) */
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r = sd_bus_call_method(bus, DEST, OBJ, MANAGER, "Subscribe", &e, NULL, "");
	sd_bus_error_free(&e);
	if (r < 0) {
		sd_bus_flush_close_unref(bus);
		return error_set(err, ENOTSUP, NOT_RUNNING);
	}
	*out = xmalloc(sizeof(**out));
	(*out)->bus = bus;
	return 0;
}

void systemd_bus_close(struct systemd_bus *b)
{
	if (!b)
		return;
	sd_bus_flush_close_unref(b->bus);
	free(b);
}

/* JobRemoved(u id, o job, s unit, s result) */
static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct job_wait *w = userdata;
	const char *job = NULL, *unit = NULL, *result = NULL;
	uint32_t id;

	(void)ret_error;
	if (sd_bus_message_read(m, "uoss", &id, &job, &unit, &result) < 0)
		return 0;
	if (strcmp(unit, w->unit) != 0)
		return 0;
	/* the signal can come before the method's reply: remember it */
	snprintf(w->seen_job, sizeof(w->seen_job), "%s", job);
	snprintf(w->result, sizeof(w->result), "%s", result);
	if (w->job && strcmp(w->job, job) == 0)
		w->done = true;
	return 0;
}

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000;
}

/* Process the bus until w's job is removed or the timeout passes. */
static int job_wait(sd_bus *bus, struct job_wait *w, struct error *err)
{
	uint64_t deadline = now_usec() + JOB_TIMEOUT_USEC;

	/* a JobRemoved for the unit seen before the reply named the job */
	if (w->seen_job[0] && strcmp(w->seen_job, w->job) == 0)
		w->done = true;
	while (!w->done) {
		int r = sd_bus_process(bus, NULL);
		if (r < 0) {
			errno = -r;
			return error_sys(err, "wait for systemd job of unit %s", w->unit);
		}
		if (r > 0)
			continue;
		uint64_t now = now_usec();
		if (now >= deadline)
			return error_set(err, ETIMEDOUT, "Timeout waiting for systemd to create %s", w->unit);
		r = sd_bus_wait(bus, deadline - now);
		if (r < 0 && r != -EINTR) {
			errno = -r;
			return error_sys(err, "wait for systemd job of unit %s", w->unit);
		}
	}
	return 0;
}

static int bus_fail(struct error *err, int r, const sd_bus_error *e, const char *what, const char *unit)
{
	if (e && sd_bus_error_is_set(e))
		return error_set(err, -r, "%s %s: %s", what, unit, e->message ? e->message : e->name);
	errno = -r;
	return error_sys(err, "%s %s", what, unit);
}

/* The resource properties runc sets where they map one to one; the cgroup
 * files get every field anyway (cgroup_resources.c). */
static int append_resources(sd_bus_message *m, const struct spec_resources *res, bool v2)
{
	const struct spec_memory *mem = res ? res->memory : NULL;
	const struct spec_cpu *cpu = res ? res->cpu : NULL;
	const struct spec_pids *pids = res ? res->pids : NULL;
	uint64_t quota;
	int r = 0;

	/* -1 is "no limit": systemd's infinity is UINT64_MAX, as uint64(-1) */
	if (r >= 0 && mem && mem->has_limit && mem->limit != 0)
		r = sd_bus_message_append(m, "(sv)", v2 ? "MemoryMax" : "MemoryLimit", "t", (uint64_t)mem->limit);
	if (r >= 0 && cpu && cpu->has_shares && cpu->shares != 0) {
		if (v2)
			r = sd_bus_message_append(m, "(sv)", "CPUWeight", "t", cgroup_shares_to_weight(cpu->shares));
		else
			r = sd_bus_message_append(m, "(sv)", "CPUShares", "t", cpu->shares);
	}
	if (r >= 0 && systemd_unit_cpu_quota_per_sec(cpu, &quota))
		r = sd_bus_message_append(m, "(sv)", "CPUQuotaPerSecUSec", "t", quota);
	if (r >= 0 && pids && (pids->limit > 0 || pids->limit == -1))
		r = sd_bus_message_append(m, "(sv)", "TasksMax", "t", (uint64_t)pids->limit);
	return r;
}

static int append_properties(sd_bus_message *m, const struct systemd_unit *u, pid_t pid,
			     const struct spec_resources *res, bool v2)
{
	char desc[512];
	int r;

	snprintf(desc, sizeof(desc), "libcontainer container %s", u->name);
	r = sd_bus_message_open_container(m, 'a', "(sv)");
	if (r >= 0)
		r = sd_bus_message_append(m, "(sv)", "Description", "s", desc);
	if (r >= 0 && u->is_slice) {
		/* a slice's parent is given by Wants= */
		r = sd_bus_message_append(m, "(sv)", "Wants", "as", 1, u->slice);
	} else if (r >= 0) {
		r = sd_bus_message_append(m, "(sv)", "Slice", "s", u->slice);
		if (r >= 0)
			r = sd_bus_message_append(m, "(sv)", "Delegate", "b", 1);
		if (r >= 0)
			r = sd_bus_message_append(m, "(sv)", "PIDs", "au", 1, (uint32_t)pid);
	}
	if (r >= 0)
		r = sd_bus_message_append(m, "(sv)", "DefaultDependencies", "b", 0);
	if (r >= 0)
		r = sd_bus_message_append(m, "(sv)", "MemoryAccounting", "b", 1);
	if (r >= 0)
		r = sd_bus_message_append(m, "(sv)", "CPUAccounting", "b", 1);
	if (r >= 0)
		r = sd_bus_message_append(m, "(sv)", v2 ? "IOAccounting" : "BlockIOAccounting", "b", 1);
	if (r >= 0)
		r = sd_bus_message_append(m, "(sv)", "TasksAccounting", "b", 1);
	if (r >= 0)
		r = append_resources(m, res, v2);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	/* no auxiliary units */
	if (r >= 0)
		r = sd_bus_message_append(m, "a(sa(sv))", 0);
	return r;
}

/* Call method(unit, "replace"[, properties]) and wait for its job. */
static int run_job(struct systemd_bus *b, const char *method, const struct systemd_unit *u, const char *unit,
		   pid_t pid, const struct spec_resources *res, struct error *err)
{
	sd_bus_message *m = NULL, *reply = NULL;
	sd_bus_slot *slot = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	struct job_wait w = { .unit = unit };
	const char *job = NULL;
	int ret = -1;
	const struct cgroup_layout *l = cgroup_layout(err);

	if (!l)
		return -1;
	/* the match goes in before the call, or the signal could be missed */
	int r = sd_bus_match_signal(b->bus, &slot, DEST, OBJ, MANAGER, "JobRemoved", on_job_removed, &w);
	if (r < 0) {
		bus_fail(err, r, NULL, "subscribe to jobs of", unit);
		goto out;
	}
	r = sd_bus_message_new_method_call(b->bus, &m, DEST, OBJ, MANAGER, method);
	if (r >= 0)
		r = sd_bus_message_append(m, "ss", unit, "replace");
	if (r >= 0 && u)
		r = append_properties(m, u, pid, res, l->mode == CGROUP_MODE_UNIFIED);
	if (r < 0) {
		bus_fail(err, r, NULL, "build the request for unit", unit);
		goto out;
	}
	r = sd_bus_call(b->bus, m, JOB_TIMEOUT_USEC, &e, &reply);
	if (r < 0) {
		/* stopping a unit that is gone already is what we wanted */
		if (!u && sd_bus_error_has_name(&e, "org.freedesktop.systemd1.NoSuchUnit"))
			ret = 0;
		else
			bus_fail(err, r, &e, u ? "start unit" : "stop unit", unit);
		goto out;
	}
	r = sd_bus_message_read(reply, "o", &job);
	if (r < 0) {
		bus_fail(err, r, NULL, "read the job of unit", unit);
		goto out;
	}
	w.job = xstrdup(job);
	if (job_wait(b->bus, &w, err) < 0)
		goto out;
	if (strcmp(w.result, "done") != 0) {
		error_set(err, EIO, "error %s systemd unit `%s`: got `%s`", u ? "creating" : "stopping", unit,
			  w.result);
		goto out;
	}
	ret = 0;
out:
	free(w.job);
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	sd_bus_message_unref(m);
	sd_bus_slot_unref(slot);
	return ret;
}

int systemd_bus_start(struct systemd_bus *b, const struct systemd_unit *u, pid_t pid,
		      const struct spec_resources *r, struct error *err)
{
	return run_job(b, "StartTransientUnit", u, u->unit, pid, r, err);
}

int systemd_bus_stop(struct systemd_bus *b, const char *unit, struct error *err)
{
	struct systemd_bus *own = NULL;
	int r;

	if (!b) {
		if (systemd_bus_open(&own, err) < 0)
			return -1;
		b = own;
	}
	r = run_job(b, "StopUnit", NULL, unit, 0, NULL, err);
	systemd_bus_close(own);
	return r;
}
