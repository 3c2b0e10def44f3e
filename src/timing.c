/* timing.c: phase timestamps, printed on request (see timing.h). */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "timing.h"
#include "util.h"

#define TIMING_MAX 32

static bool enabled;
static struct {
	const char *phase;
	struct timespec at;
} marks[TIMING_MAX];
static int n_marks;

void timing_enable(bool on)
{
	enabled = on;
}

void timing_mark(const char *phase)
{
	if (!enabled || n_marks >= TIMING_MAX)
		return;
	marks[n_marks].phase = phase;
	clock_gettime(CLOCK_MONOTONIC, &marks[n_marks].at);
	n_marks++;
}

void timing_reset(void)
{
	n_marks = 0;
}

void timing_report(const char *who)
{
	struct strbuf sb = STRBUF_INIT;

	if (!enabled || n_marks == 0)
		return;
	timing_mark("end");
	strbuf_printf(&sb, "oci-rt timing (%s):", who);
	for (int i = 0; i + 1 < n_marks; i++) {
		long us = (marks[i + 1].at.tv_sec - marks[i].at.tv_sec) * 1000000L +
			  (marks[i + 1].at.tv_nsec - marks[i].at.tv_nsec) / 1000;
		strbuf_printf(&sb, " %s=%ldus", marks[i].phase, us);
	}
	if (log_fd() >= 0) {
		/* with --log, stderr belongs to the container (the shim's and
		 * conmon's pipes): the report is a log line like the others */
		log_msg(log_debug_enabled() ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, "%s", sb.buf);
	} else {
		strbuf_putc(&sb, '\n');
		write_all(STDERR_FILENO, sb.buf, sb.len);
	}
	strbuf_release(&sb);
	n_marks = 0;
}
