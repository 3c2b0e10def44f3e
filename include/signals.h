/* signals.h: signal names and numbers as `kill` accepts them. */
#ifndef OCI_RT_SIGNALS_H
#define OCI_RT_SIGNALS_H

#include <stddef.h>

#include "error.h"

/* runc's parseSignal: a decimal number, taken as is (0 and out-of-range
 * numbers are left to the kernel, as in runc), or a name with or without
 * "SIG", any case ("9", "KILL", "SIGKILL", "sigterm", "RTMIN+3"); any other
 * name is `unknown signal "NAME"`. */
int signal_parse(const char *s, int *sig, struct error *err);

/* A signal's text as Go (and so runc) words it in an exit error: "killed",
 * "CPU time limit exceeded"; "signal N" for one without a name.  buf
 * (SIGNAL_TEXT_MAX) holds the latter. */
#define SIGNAL_TEXT_MAX 24
const char *signal_text(int sig, char *buf, size_t len);

#endif
