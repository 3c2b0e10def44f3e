/* fake_systemd.c: a stand-in for systemd's org.freedesktop.systemd1 Manager
 * on a private D-Bus system bus, for the tests of the systemd cgroup driver
 * (spec-tests/systemd.bats) on machines without systemd.
 *
 * Answers Subscribe, StartTransientUnit and StopUnit like systemd: the reply
 * names a job, then JobRemoved(id, job, unit, result) follows.  Each call is
 * appended to LOG as lines "<Method> <unit> <mode>" and, for
 * StartTransientUnit, one "  <Property>=<value>" line per property.  It
 * moves no process and makes no cgroup: it checks what the runtime asks,
 * not what systemd does.  Modes, from the environment:
 *
 *   FAKE_SYSTEMD_RESULT=R        every job's result (default "done")
 *   FAKE_SYSTEMD_START_ERROR=N   StartTransientUnit fails: D-Bus error N
 *   FAKE_SYSTEMD_STOP_ERROR=N    StopUnit fails the same way
 *   FAKE_SYSTEMD_ERROR_SIZE=B    the error's text is B bytes long
 *   FAKE_SYSTEMD_SIGNAL_FIRST=1  JobRemoved goes out before the reply
 *   FAKE_SYSTEMD_SPOOF=1         first, another bus client sends the caller
 *                                a JobRemoved of the same job, "spoofed"
 *
 *   fake_systemd LOG    (the bus: DBUS_SYSTEM_BUS_ADDRESS or the default)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

static FILE *logf_;
static uint32_t next_job = 1;
/* the other client of FAKE_SYSTEMD_SPOOF */
static sd_bus *spoofer;

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

/* A JobRemoved "spoofed" for job, sent to the caller of m alone by
 * another client, and through the bus before anything that follows. */
static int spoof(sd_bus_message *m, uint32_t id, const char *job, const char *unit)
{
	sd_bus_message *s = NULL;
	int r = sd_bus_message_new_signal(spoofer, &s, "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
					  "JobRemoved");

	if (r >= 0)
		r = sd_bus_message_set_destination(s, sd_bus_message_get_sender(m));
	if (r >= 0)
		r = sd_bus_message_append(s, "uoss", id, job, unit, "spoofed");
	if (r >= 0)
		r = sd_bus_send(spoofer, s, NULL);
	sd_bus_message_unref(s);
	/* the bus handles a client's messages in order: once the ping is
	 * answered, the spoof is on its way to the caller */
	if (r >= 0)
		r = sd_bus_call_method(spoofer, "org.freedesktop.DBus", "/org/freedesktop/DBus",
				       "org.freedesktop.DBus.Peer", "Ping", NULL, NULL, "");
	return r;
}

static int job_reply(sd_bus_message *m, const char *unit)
{
	char job[128];
	const char *result = getenv("FAKE_SYSTEMD_RESULT");
	bool signal_first = getenv("FAKE_SYSTEMD_SIGNAL_FIRST") != NULL;
	uint32_t id = next_job++;
	int r = 0;

	fflush(logf_);
	snprintf(job, sizeof(job), "/org/freedesktop/systemd1/job/%" PRIu32, id);
	if (!signal_first)
		r = sd_bus_reply_method_return(m, "o", job);
	if (r >= 0 && spoofer)
		r = spoof(m, id, job, unit);
	if (r >= 0)
		r = sd_bus_emit_signal(sd_bus_message_get_bus(m), "/org/freedesktop/systemd1",
				       "org.freedesktop.systemd1.Manager", "JobRemoved", "uoss", id, job, unit,
				       result ? result : "done");
	if (r >= 0 && signal_first)
		r = sd_bus_reply_method_return(m, "o", job);
	return r;
}

/* FAKE_SYSTEMD_<which>_ERROR: fail the call with that error name */
static int refuse(const char *which, const char *unit, sd_bus_error *e)
{
	char var[64];
	const char *name;

	snprintf(var, sizeof(var), "FAKE_SYSTEMD_%s_ERROR", which);
	name = getenv(var);
	if (!name)
		return 0;
	fflush(logf_);
	const char *size = getenv("FAKE_SYSTEMD_ERROR_SIZE");
	if (size) {
		size_t n = strtoul(size, NULL, 10);
		char *text = malloc(n + 1);
		if (!text)
			return -ENOMEM;
		memset(text, 'x', n);
		text[n] = '\0';
		int r = sd_bus_error_setf(e, name, "%s", text);
		free(text);
		return r;
	}
	return sd_bus_error_setf(e, name, "Unit %s refused by fake_systemd.", unit);
}

static int on_start(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	const char *unit, *mode, *name;
	int r;

	(void)userdata;
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
	if ((r = refuse("START", unit, e)) < 0)
		return r;
	return job_reply(m, unit);
}

static int on_stop(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	const char *unit, *mode;
	int r;

	(void)userdata;
	r = sd_bus_message_read(m, "ss", &unit, &mode);
	if (r < 0)
		return r;
	fprintf(logf_, "StopUnit %s %s\n", unit, mode);
	if ((r = refuse("STOP", unit, e)) < 0)
		return r;
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
	if (getenv("FAKE_SYSTEMD_SPOOF") && (r = sd_bus_open_system(&spoofer)) < 0) {
		fprintf(stderr, "fake_systemd: spoofer: %s\n", strerror(-r));
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
