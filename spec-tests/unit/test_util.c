/* test_util.c: unit tests for util.c's pure logic, as TAP.  The RFC 3339
 * times state.json records are computed without the C library's calendar
 * (which loads the host's time zone on the start path): they must match
 * gmtime_r everywhere. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "util.h"


/* What strftime makes of gmtime_r, with our nanosecond suffix. */
static void reference(long long secs, long nsec, char *buf, size_t len)
{
	time_t t = (time_t)secs;
	struct tm tm;
	char base[64];

	gmtime_r(&t, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%09ldZ", base, nsec);
}

static bool matches(long long secs, long nsec)
{
	char got[64], want[64];

	time_rfc3339(secs, nsec, got, sizeof(got));
	reference(secs, nsec, want, sizeof(want));
	if (strcmp(got, want) == 0)
		return true;
	printf("# %lld: got %s, want %s\n", secs, got, want);
	return false;
}

static void known(long long secs, long nsec, const char *want)
{
	char got[64];

	time_rfc3339(secs, nsec, got, sizeof(got));
	bool ok = strcmp(got, want) == 0;
	if (!ok)
		printf("# got %s\n", got);
	tap_result(ok, "%lld.%09ld is %s", secs, nsec, want);
}

int main(void)
{
	known(0, 0, "1970-01-01T00:00:00.000000000Z");
	known(-1, 0, "1969-12-31T23:59:59.000000000Z");
	known(951782400, 5, "2000-02-29T00:00:00.000000005Z");
	known(4107542400, 0, "2100-03-01T00:00:00.000000000Z");
	known(1795493243, 459854048, "2026-11-24T04:07:23.459854048Z");

	/* every day from 1900 to 2400 at a time of day that moves, and the
	 * second before and after each midnight */
	bool all = true;
	long long first = -2208988800LL, last = 13569465600LL;
	for (long long day = first; day <= last && all; day += 86400) {
		long long in_day = (day / 86400 * 7919) % 86400;
		if (in_day < 0)
			in_day += 86400;
		all = matches(day, 0) && matches(day - 1, 999999999) && matches(day + in_day, 123);
	}
	tap_result(all, "every day from 1900 to 2400 matches gmtime_r");
	return tap_finish();
}
