/* fake_systemd.c: a stand-in for systemd's org.freedesktop.systemd1 Manager
 * on a private D-Bus system bus, for the tests of the systemd cgroup driver
 * (spec-tests/systemd.bats) on machines without systemd.
 *
 * Answers Subscribe, StartTransientUnit and StopUnit like systemd: the reply
 * names a job, then JobRemoved(id, job, unit, result) follows.  Each call is
 * appended to LOG as lines "<Method> <unit> <mode>" and, for
 * StartTransientUnit, one "  <Property>=<value>" line per property.  The
 * result is "done", or FAKE_SYSTEMD_RESULT.  It moves no process and makes
 * no cgroup: it checks what the runtime asks, not what systemd does.
 *
 *   fake_systemd LOG    (the bus: DBUS_SYSTEM_BUS_ADDRESS or the default)
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

static FILE *logf_;
static uint32_t next_job = 1;

static int dump_variant(sd_bus_message *m)
{
	const char *contents;
	char type;
	int r = sd_bus_message_peek_type(m, &type, &contents);

	if (r < 0 || (r = sd_bus_message_enter_container(m, 'v', contents)) < 0)
		return r;
	if (strcmp(contents, "s") == 0) {
		const char *s;
		r = sd_bus_message_read(m, "s", &s);
		fprintf(logf_, "%s", s);
	} else if (strcmp(contents, "b") == 0) {
		int b;
		r = sd_bus_message_read(m, "b", &b);
		fprintf(logf_, "%s", b ? "true" : "false");
	} else if (strcmp(contents, "t") == 0) {
		uint64_t t;
		r = sd_bus_message_read(m, "t", &t);
		fprintf(logf_, "%" PRIu64, t);
	} else if (strcmp(contents, "au") == 0 || strcmp(contents, "as") == 0) {
		bool u = contents[1] == 'u';
		r = sd_bus_message_enter_container(m, 'a', contents + 1);
		fputc('[', logf_);
		for (int i = 0; r >= 0; i++) {
			if (u) {
				uint32_t v;
				r = sd_bus_message_read(m, "u", &v);
				if (r > 0)
					fprintf(logf_, "%s%" PRIu32, i ? " " : "", v);
			} else {
				const char *v;
				r = sd_bus_message_read(m, "s", &v);
				if (r > 0)
					fprintf(logf_, "%s%s", i ? " " : "", v);
			}
			if (r == 0)
				break;
		}
		fputc(']', logf_);
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	} else {
		fprintf(logf_, "(type %s)", contents);
		r = sd_bus_message_skip(m, contents);
	}
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	return r;
}

static int job_reply(sd_bus_message *m, const char *unit)
{
	char job[128];
	const char *result = getenv("FAKE_SYSTEMD_RESULT");
	uint32_t id = next_job++;
	int r;

	fflush(logf_);
	snprintf(job, sizeof(job), "/org/freedesktop/systemd1/job/%" PRIu32, id);
	r = sd_bus_reply_method_return(m, "o", job);
	if (r < 0)
		return r;
	return sd_bus_emit_signal(sd_bus_message_get_bus(m), "/org/freedesktop/systemd1",
				  "org.freedesktop.systemd1.Manager", "JobRemoved", "uoss", id, job, unit,
				  result ? result : "done");
}

static int on_start(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	const char *unit, *mode, *name;
	int r;

	(void)userdata, (void)e;
	r = sd_bus_message_read(m, "ss", &unit, &mode);
	if (r < 0)
		return r;
	fprintf(logf_, "StartTransientUnit %s %s\n", unit, mode);
	r = sd_bus_message_enter_container(m, 'a', "(sv)");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'r', "sv")) > 0) {
		if ((r = sd_bus_message_read(m, "s", &name)) < 0)
			break;
		fprintf(logf_, "  %s=", name);
		if ((r = dump_variant(m)) < 0)
			break;
		fputc('\n', logf_);
		r = sd_bus_message_exit_container(m);
	}
	if (r < 0)
		return r;
	sd_bus_message_exit_container(m);
	return job_reply(m, unit);
}

static int on_stop(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	const char *unit, *mode;
	int r;

	(void)userdata, (void)e;
	r = sd_bus_message_read(m, "ss", &unit, &mode);
	if (r < 0)
		return r;
	fprintf(logf_, "StopUnit %s %s\n", unit, mode);
	return job_reply(m, unit);
}

static int on_subscribe(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	(void)userdata, (void)e;
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable manager[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Subscribe", "", "", on_subscribe, 0),
	SD_BUS_METHOD("StartTransientUnit", "ssa(sv)a(sa(sv))", "o", on_start, 0),
	SD_BUS_METHOD("StopUnit", "ss", "o", on_stop, 0),
	SD_BUS_SIGNAL("JobRemoved", "uoss", 0),
	SD_BUS_VTABLE_END,
};

int main(int argc, char **argv)
{
	sd_bus *bus = NULL;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: fake_systemd LOG\n");
		return 2;
	}
	logf_ = fopen(argv[1], "a");
	if (!logf_)
		return perror(argv[1]), 1;
	setvbuf(logf_, NULL, _IOLBF, 0);
	if ((r = sd_bus_open_system(&bus)) < 0 ||
	    (r = sd_bus_add_object_vtable(bus, NULL, "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
					  manager, NULL)) < 0 ||
	    (r = sd_bus_request_name(bus, "org.freedesktop.systemd1", 0)) < 0) {
		fprintf(stderr, "fake_systemd: %s\n", strerror(-r));
		return 1;
	}
	/* ready: the tests wait for this line */
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		r = sd_bus_process(bus, NULL);
		if (r < 0)
			return 1;
		if (r == 0 && sd_bus_wait(bus, UINT64_MAX) < 0)
			return 1;
	}
}
