/* passwd.c: one entry of a passwd(5) file, read by fd (see passwd.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "passwd.h"
#include "util.h"

/* name:password:uid:gid:gecos:home:shell; true if the line is uid's. */
static bool line_match(char *line, uid_t uid, enum passwd_field field, char *out, size_t len)
{
	char *f[7] = { 0 };
	char *p = line;
	size_t n = 0;
	uint64_t id;

	for (; n < 7; n++) {
		f[n] = p;
		p = strchr(p, ':');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n < 5 || parse_uint64(f[2], &id) < 0 || id != uid)
		return false;
	if (f[field] && *f[field])
		snprintf(out, len, "%s", f[field]);
	return true;
}

bool passwd_find(int fd, uid_t uid, enum passwd_field field, char *out, size_t len)
{
	char buf[4096];
	size_t have = 0;
	bool skipping = false;

	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* the last line may lack its newline */
			buf[have] = '\0';
			return !skipping && have && line_match(buf, uid, field, out, len);
		}
		have += (size_t)n;
		buf[have] = '\0';
		char *line = buf, *nl;
		while ((nl = memchr(line, '\n', have - (size_t)(line - buf)))) {
			*nl = '\0';
			if (!skipping && line_match(line, uid, field, out, len))
				return true;
			skipping = false;
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1) {
			skipping = true;
			have = 0;
		}
	}
}
