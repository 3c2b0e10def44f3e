/* signals.c: signal name parsing. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <strings.h>

#include "signals.h"
#include "util.h"

static const struct {
	const char *name;
	int sig;
} names[] = {
	{ "ABRT", SIGABRT }, { "ALRM", SIGALRM },     { "BUS", SIGBUS },       { "CHLD", SIGCHLD },
	{ "CLD", SIGCHLD },  { "CONT", SIGCONT },     { "FPE", SIGFPE },       { "HUP", SIGHUP },
	{ "ILL", SIGILL },   { "INT", SIGINT },       { "IO", SIGIO },         { "IOT", SIGIOT },
	{ "KILL", SIGKILL }, { "PIPE", SIGPIPE },     { "POLL", SIGPOLL },     { "PROF", SIGPROF },
	{ "PWR", SIGPWR },   { "QUIT", SIGQUIT },     { "SEGV", SIGSEGV },     { "STKFLT", SIGSTKFLT },
	{ "STOP", SIGSTOP }, { "SYS", SIGSYS },       { "TERM", SIGTERM },     { "TRAP", SIGTRAP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },     { "TTOU", SIGTTOU },     { "URG", SIGURG },
	{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },     { "VTALRM", SIGVTALRM }, { "WINCH", SIGWINCH },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
};

int signal_parse(const char *s, int *sig, struct error *err)
{
	int64_t n;

	/* a number is taken as is, like runc's strconv.Atoi: the kernel
	 * judges it ("unable to signal init: invalid argument"); 0 only
	 * checks that the init exists */
	if (parse_int64(s[0] == '+' && s[1] != '-' ? s + 1 : s, &n) == 0) {
		if (n < INT32_MIN || n > INT32_MAX)
			return error_set(err, EINVAL, "unknown signal \"%s\"", s);
		*sig = (int)n;
		return 0;
	}
	const char *name = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*sig = names[i].sig;
			return 0;
		}
	}
	/* RTMIN, RTMIN+n, RTMAX, RTMAX-n (an extension of runc 1.1's names) */
	if (strncasecmp(name, "RTMIN", 5) == 0 || strncasecmp(name, "RTMAX", 5) == 0) {
		uint64_t k;
		bool min = toupper((unsigned char)name[3]) == 'I';
		int base = min ? SIGRTMIN : SIGRTMAX;
		const char *rest = name + 5;
		if (*rest == '\0') {
			*sig = base;
			return 0;
		}
		if ((min && *rest == '+') || (!min && *rest == '-')) {
			if (parse_uint64(rest + 1, &k) == 0 && k <= (uint64_t)(SIGRTMAX - SIGRTMIN)) {
				*sig = min ? base + (int)k : base - (int)k;
				return 0;
			}
		}
	}
	return error_set(err, EINVAL, "unknown signal \"%s\"", s);
}
