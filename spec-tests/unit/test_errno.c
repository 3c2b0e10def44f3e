/* test_errno.c: errno_text gives runc's (Go's) words for an errno. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "tap.h"

static void known(int e, const char *want)
{
	char buf[ERRNO_TEXT_MAX];
	const char *got = errno_text(e, buf, sizeof(buf));

	tap_result(strcmp(got, want) == 0, "errno %d is \"%s\" (got \"%s\")", e, want, got);
}

int main(void)
{
	known(ENOENT, "no such file or directory");
	known(EACCES, "permission denied");
	known(EPERM, "operation not permitted");
	/* where musl's own words differ */
	known(EBUSY, "device or resource busy");
	known(EOPNOTSUPP, "operation not supported");
	known(ENOTTY, "inappropriate ioctl for device");
	known(EHWPOISON, "memory page has hardware error");
	/* Go's words for a number without a name */
	known(0, "errno 0");
	known(41, "errno 41");
	known(4095, "errno 4095");
	known(-2, "errno -2");

#ifdef __GLIBC__
	/* the table is glibc's strerror with a lower-case first letter */
	bool all = true;
	for (int e = 1; e <= EHWPOISON; e++) {
		char want[128], buf[ERRNO_TEXT_MAX];
		if (!strerrorname_np(e))
			continue;
		snprintf(want, sizeof(want), "%s", strerror(e));
		if (want[0] >= 'A' && want[0] <= 'Z')
			want[0] = (char)(want[0] - 'A' + 'a');
		if (strcmp(errno_text(e, buf, sizeof(buf)), want) != 0) {
			printf("# errno %d: \"%s\" vs glibc's \"%s\"\n", e, errno_text(e, buf, sizeof(buf)), want);
			all = false;
		}
	}
	tap_result(all, "every named errno matches glibc's strerror, first letter lowered");
#endif
	return tap_finish();
}
