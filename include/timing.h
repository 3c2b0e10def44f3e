/* timing.h: where create's time goes (`--debug`, or OCI_RT_TIMING=1).
 * timing_mark("phase") closes the previous phase and opens the next;
 * timing_report() prints one debug line per phase in microseconds. */
#ifndef OCI_RT_TIMING_H
#define OCI_RT_TIMING_H

#include <stdbool.h>

void timing_enable(bool on);
void timing_mark(const char *phase);
void timing_report(const char *who);
/* Forget the marks so far (the init, after clone, starts its own line). */
void timing_reset(void);

#endif
