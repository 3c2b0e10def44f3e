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
	uint64_t n;

	if (parse_uint64(s, &n) == 0) {
		if (n == 0 || n >= (uint64_t)NSIG)
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
	/* RTMIN, RTMIN+n, RTMAX-n */
	if (strncasecmp(name, "RTMIN", 5) == 0 || strncasecmp(name, "RTMAX", 5) == 0) {
		bool min = toupper((unsigned char)name[3]) == 'I';
		int base = min ? SIGRTMIN : SIGRTMAX;
		const char *rest = name + 5;
		if (*rest == '\0') {
			*sig = base;
			return 0;
		}
		if ((min && *rest == '+') || (!min && *rest == '-')) {
			if (parse_uint64(rest + 1, &n) == 0 && n <= (uint64_t)(SIGRTMAX - SIGRTMIN)) {
				*sig = min ? base + (int)n : base - (int)n;
				return 0;
			}
		}
	}
	return error_set(err, EINVAL, "unknown signal \"%s\"", s);
}
