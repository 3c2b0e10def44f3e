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

/* The real-time range by the names runc (Go's x/sys/unix) gives it: glibc
 * keeps 32 and 33 for itself, so RTMIN is 34; musl keeps 34 as well, and
 * its SIGRTMIN (35) would shift every RTMIN+n a user writes. */
#define RT_MIN 34
#define RT_MAX 64

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
		int base = min ? RT_MIN : RT_MAX;
		const char *rest = name + 5;
		if (*rest == '\0') {
			*sig = base;
			return 0;
		}
		if ((min && *rest == '+') || (!min && *rest == '-')) {
			if (parse_uint64(rest + 1, &k) == 0 && k <= (uint64_t)(RT_MAX - RT_MIN)) {
				*sig = min ? base + (int)k : base - (int)k;
				return 0;
			}
		}
	}
	return error_set(err, EINVAL, "unknown signal \"%s\"", s);
}

/* Go's syscall.Signal texts (x/sys/unix zerrors_linux), not the C
 * library's strsignal: musl's and glibc's differ ("Arithmetic exception"). */
static const char *const texts[] = {
	[SIGHUP] = "hangup",
	[SIGINT] = "interrupt",
	[SIGQUIT] = "quit",
	[SIGILL] = "illegal instruction",
	[SIGTRAP] = "trace/breakpoint trap",
	[SIGABRT] = "aborted",
	[SIGBUS] = "bus error",
	[SIGFPE] = "floating point exception",
	[SIGKILL] = "killed",
	[SIGUSR1] = "user defined signal 1",
	[SIGSEGV] = "segmentation fault",
	[SIGUSR2] = "user defined signal 2",
	[SIGPIPE] = "broken pipe",
	[SIGALRM] = "alarm clock",
	[SIGTERM] = "terminated",
	[SIGSTKFLT] = "stack fault",
	[SIGCHLD] = "child exited",
	[SIGCONT] = "continued",
	[SIGSTOP] = "stopped (signal)",
	[SIGTSTP] = "stopped",
	[SIGTTIN] = "stopped (tty input)",
	[SIGTTOU] = "stopped (tty output)",
	[SIGURG] = "urgent I/O condition",
	[SIGXCPU] = "CPU time limit exceeded",
	[SIGXFSZ] = "file size limit exceeded",
	[SIGVTALRM] = "virtual timer expired",
	[SIGPROF] = "profiling timer expired",
	[SIGWINCH] = "window changed",
	[SIGIO] = "I/O possible",
	[SIGPWR] = "power failure",
	[SIGSYS] = "bad system call",
};

const char *signal_text(int sig, char *buf, size_t len)
{
	return table_text(texts, ARRAY_SIZE(texts), sig, "signal", buf, len);
}
