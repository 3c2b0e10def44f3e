/* systemd_bus.c: the systemd cgroup driver over D-Bus (see systemd_bus.h),
 * on the runtime's own D-Bus client (dbus.h): no libsystemd, so that the
 * runtime can be a static musl binary.
 *
 * What it does, after runc: StartTransientUnit(unit, "replace") with
 * Description, Slice= (scopes) or Wants= (slices), Delegate=true and
 * PIDs=[init] (scopes), DefaultDependencies=false, the accounting switches
 * and the simple resource properties (memory limit, cpu shares/weight, cpu
 * quota, tasks); then waits for the job's JobRemoved signal.  The cgroup
 * files are written by cgroup_resources.c as without systemd; create writes
 * them again once the unit exists, since systemd writes its own defaults.
 *
 * Proven against spec-tests/tools/fake_systemd.c (sd-bus on a private
 * dbus-daemon: what is sent and the job waiting), never against a real
 * systemd: the machines it was written on have none.  Check
 * StartTransientUnit, the JobRemoved wait and StopUnit on a systemd host
 * before relying on it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "cgroup_internal.h"
#include "cleanup.h"
#include "dbus.h"
#include "log.h"
#include "systemd_bus.h"
#include "util.h"

#define NOT_RUNNING "systemd not running on this host, cannot use systemd cgroups manager"
/* runc waits 30 s for a job */
#define JOB_TIMEOUT_USEC (30ull * 1000000ull)

#define DEST "org.freedesktop.systemd1"
#define OBJ "/org/freedesktop/systemd1"
#define MANAGER "org.freedesktop.systemd1.Manager"
#define NO_SUCH_UNIT "org.freedesktop.systemd1.NoSuchUnit"
#define JOB_REMOVED_MATCH \
	"type='signal',sender='" DEST "',interface='" MANAGER "',member='JobRemoved',path='" OBJ "'"

/* The job being waited for: its object path (once the reply is in) and
 * the results of every JobRemoved seen meanwhile for its unit. */
struct job_wait {
	const char *unit;
	char *job;
	char result[64];
	char seen_job[256];
	bool done;
};

struct systemd_bus {
	struct dbus *bus;
	/* systemd's unique name on the bus: its signals' sender */
	char *manager;
	/* JobRemoved asked for (once per connection) */
	bool matched;
	/* the job run_job waits for, NULL between jobs */
	struct job_wait *wait;
};

/* runc's IsRunningSystemd: the directory systemd makes when it is init */
static bool systemd_running(void)
{
	struct stat st;

	return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

bool systemd_bus_available(void)
{
	return systemd_running();
}

/* JobRemoved(u id, o job, s unit, s result), from systemd only */
static void on_job_removed(const struct dbus_message *m, void *userdata)
{
	struct systemd_bus *b = userdata;
	struct job_wait *w = b->wait;
	const char *job, *unit, *result;
	struct dbus_reader r;
	struct error ignored;
	uint32_t id;

	if (!w || strcmp(m->path, OBJ) != 0)
		return;
	/* the bus names the sender of what it routes; anyone may send us a
	 * signal, systemd's are from the name that answered Subscribe */
	if (b->manager[0] && (!m->sender || strcmp(m->sender, b->manager) != 0))
		return;
	dbus_reader_init(&r, m);
	if (dbus_read_u32(&r, &id, &ignored) < 0 || dbus_read_string(&r, 'o', &job, &ignored) < 0 ||
	    dbus_read_string(&r, 's', &unit, &ignored) < 0 || dbus_read_string(&r, 's', &result, &ignored) < 0)
		return;
	if (strcmp(unit, w->unit) != 0)
		return;
	/* the signal can come before the method's reply: remember it */
	snprintf(w->seen_job, sizeof(w->seen_job), "%s", job);
	snprintf(w->result, sizeof(w->result), "%s", result);
	if (w->job && strcmp(w->job, job) == 0)
		w->done = true;
}

int systemd_bus_open(struct systemd_bus **out, struct error *err)
{
	cleanup_dbus struct dbus *bus = NULL;
	cleanup_dbus_message struct dbus_message reply = { 0 };
	struct error e;

	*out = NULL;
	if (!systemd_running())
		return error_set(err, ENOTSUP, NOT_RUNNING);
	/* job signals are sent to subscribers (go-systemd subscribes too) */
	if (dbus_connect_system(&bus, &e) < 0 ||
	    dbus_call(bus, DEST, OBJ, MANAGER, "Subscribe", NULL, DBUS_TIMEOUT_USEC, &reply, &e) < 0) {
		log_debug("systemd bus: %s", e.msg);
		return error_set(err, ENOTSUP, NOT_RUNNING);
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->bus = steal_ptr(&bus);
	(*out)->manager = xstrdup(reply.sender ? reply.sender : "");
	dbus_on_signal((*out)->bus, MANAGER, "JobRemoved", on_job_removed, *out);
	return 0;
}

void systemd_bus_close(struct systemd_bus *b)
{
	if (!b)
		return;
	dbus_disconnect(b->bus);
	free(b->manager);
	free(b);
}

/* "<what> <unit>: " and the error reply's text, else the errno's (the
 * connection's own words go to the debug log). */
static int bus_fail(struct error *err, const struct dbus_message *reply, const char *what, const char *unit)
{
	const char *text = reply ? dbus_message_error_text(reply) : NULL;

	log_debug("systemd bus: %s", err->msg);
	if (text)
		return error_set(err, err->errnum, "%s %s: %s", what, unit, text);
	errno = err->errnum;
	return error_sys(err, "%s %s", what, unit);
}

/* Wait for w's JobRemoved, bounded. */
static int job_wait(struct systemd_bus *b, struct job_wait *w, struct error *err)
{
	/* a JobRemoved for the unit seen before the reply named the job */
	if (w->seen_job[0] && strcmp(w->seen_job, w->job) == 0)
		w->done = true;
	int r = dbus_wait(b->bus, &w->done, JOB_TIMEOUT_USEC, err);
	if (r < 0)
		return bus_fail(err, NULL, "wait for systemd job of unit", w->unit);
	if (r == 0)
		return error_set(err, ETIMEDOUT, "Timeout waiting for systemd to create %s", w->unit);
	return 0;
}

/* One (sv) property: open it with prop_open, write the value, prop_close. */
static void prop_open(struct dbus_writer *m, const char *name, const char *type)
{
	dbus_open_struct(m);
	dbus_put_string(m, name);
	dbus_open_variant(m, type);
}

static void prop_close(struct dbus_writer *m)
{
	dbus_close_container(m);
	dbus_close_container(m);
}

static void prop_string(struct dbus_writer *m, const char *name, const char *v)
{
	prop_open(m, name, "s");
	dbus_put_string(m, v);
	prop_close(m);
}

static void prop_bool(struct dbus_writer *m, const char *name, bool v)
{
	prop_open(m, name, "b");
	dbus_put_bool(m, v);
	prop_close(m);
}

static void prop_u64(struct dbus_writer *m, const char *name, uint64_t v)
{
	prop_open(m, name, "t");
	dbus_put_u64(m, v);
	prop_close(m);
}

/* The resource properties runc sets where they map one to one; the cgroup
 * files get every field anyway (cgroup_resources.c). */
static void append_resources(struct dbus_writer *m, const struct spec_resources *res, bool v2)
{
	const struct spec_memory *mem = res ? res->memory : NULL;
	const struct spec_cpu *cpu = res ? res->cpu : NULL;
	const struct spec_pids *pids = res ? res->pids : NULL;
	uint64_t quota;

	/* -1 is "no limit": systemd's infinity is UINT64_MAX, as uint64(-1) */
	if (mem && mem->has_limit && mem->limit != 0)
		prop_u64(m, v2 ? "MemoryMax" : "MemoryLimit", (uint64_t)mem->limit);
	if (cpu && cpu->has_shares && cpu->shares != 0) {
		if (v2)
			prop_u64(m, "CPUWeight", cgroup_shares_to_weight(cpu->shares));
		else
			prop_u64(m, "CPUShares", cpu->shares);
	}
	if (systemd_unit_cpu_quota_per_sec(cpu, &quota))
		prop_u64(m, "CPUQuotaPerSecUSec", quota);
	if (pids && (pids->limit > 0 || pids->limit == -1))
		prop_u64(m, "TasksMax", (uint64_t)pids->limit);
}

/* StartTransientUnit's a(sv) a(sa(sv)) */
static void append_properties(struct dbus_writer *m, const struct systemd_unit *u, pid_t pid,
			      const struct spec_resources *res, bool v2)
{
	char desc[512];

	snprintf(desc, sizeof(desc), "libcontainer container %s", u->name);
	dbus_open_array(m, "(sv)");
	prop_string(m, "Description", desc);
	if (u->is_slice) {
		/* a slice's parent is given by Wants= */
		prop_open(m, "Wants", "as");
		dbus_open_array(m, "s");
		dbus_put_string(m, u->slice);
		dbus_close_container(m);
		prop_close(m);
	} else {
		prop_string(m, "Slice", u->slice);
		prop_bool(m, "Delegate", true);
		prop_open(m, "PIDs", "au");
		dbus_open_array(m, "u");
		dbus_put_u32(m, (uint32_t)pid);
		dbus_close_container(m);
		prop_close(m);
	}
	prop_bool(m, "DefaultDependencies", false);
	prop_bool(m, "MemoryAccounting", true);
	prop_bool(m, "CPUAccounting", true);
	prop_bool(m, v2 ? "IOAccounting" : "BlockIOAccounting", true);
	prop_bool(m, "TasksAccounting", true);
	append_resources(m, res, v2);
	dbus_close_container(m);
	/* no auxiliary units */
	dbus_open_array(m, "(sa(sv))");
	dbus_close_container(m);
}

/* Call method(unit, "replace"[, properties]) and wait for its job. */
static int run_job(struct systemd_bus *b, const char *method, const struct systemd_unit *u, const char *unit,
		   pid_t pid, const struct spec_resources *res, struct error *err)
{
	cleanup_dbus_writer struct dbus_writer args = { 0 };
	cleanup_dbus_message struct dbus_message reply = { 0 };
	struct job_wait w = { .unit = unit };
	struct dbus_reader r;
	const char *job;
	int ret = -1;
	const struct cgroup_layout *l = cgroup_layout(err);

	if (!l)
		return -1;
	/* the match goes in before the call, or the signal could be missed */
	if (!b->matched) {
		if (dbus_add_match(b->bus, JOB_REMOVED_MATCH, err) < 0)
			return bus_fail(err, NULL, "subscribe to jobs of", unit);
		b->matched = true;
	}
	dbus_put_string(&args, unit);
	dbus_put_string(&args, "replace");
	if (u)
		append_properties(&args, u, pid, res, l->mode == CGROUP_MODE_UNIFIED);
	if (args.error) {
		errno = args.error;
		return error_sys(err, "build the request for unit %s", unit);
	}
	b->wait = &w;
	if (dbus_call(b->bus, DEST, OBJ, MANAGER, method, &args, JOB_TIMEOUT_USEC, &reply, err) < 0) {
		/* stopping a unit that is gone already is what we wanted */
		if (!u && dbus_message_is_error(&reply, NO_SUCH_UNIT))
			ret = 0;
		else
			bus_fail(err, &reply, u ? "start unit" : "stop unit", unit);
		goto out;
	}
	dbus_reader_init(&r, &reply);
	if (dbus_read_string(&r, 'o', &job, err) < 0) {
		bus_fail(err, NULL, "read the job of unit", unit);
		goto out;
	}
	w.job = xstrdup(job);
	if (job_wait(b, &w, err) < 0)
		goto out;
	if (strcmp(w.result, "done") != 0) {
		error_set(err, EIO, "error %s systemd unit `%s`: got `%s`", u ? "creating" : "stopping", unit,
			  w.result);
		goto out;
	}
	ret = 0;
out:
	b->wait = NULL;
	free(w.job);
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
