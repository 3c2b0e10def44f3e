/* tap.h: the TAP lines of the C unit tests ("ok N - ...", then "1..N"),
 * shared by every test program (header-only: each program is one file). */
#ifndef OCI_RT_TEST_TAP_H
#define OCI_RT_TEST_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_tests, tap_failed;

/* One result line; the caller prints anything that follows it. */
static void __attribute__((format(printf, 2, 0))) tap_vline(bool pass, const char *fmt, va_list ap)
{
	tap_tests++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_tests);
	vprintf(fmt, ap);
	printf("\n");
}

/* One result line, flushed (a crash after it keeps what passed). */
static inline void __attribute__((format(printf, 2, 3))) tap_result(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline(pass, fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* The plan, a summary of failures; the program's exit status. */
static int tap_finish(void)
{
	printf("1..%d\n", tap_tests);
	if (tap_failed)
		printf("# %d of %d tests failed\n", tap_failed, tap_tests);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif
