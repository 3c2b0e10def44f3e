/* systemd_bus.h: the systemd cgroup driver's D-Bus side (--systemd-cgroup).
 *
 * systemd_bus.c asks the system manager for a transient unit holding the
 * container's init, as runc does, over the runtime's own D-Bus client
 * (dbus.h); where systemd is not running it fails the way runc does.  The
 * unit and its cgroup path come from systemd_unit.h.
 */
#ifndef OCI_RT_SYSTEMD_BUS_H
#define OCI_RT_SYSTEMD_BUS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"
#include "systemd_unit.h"

struct systemd_bus;

/* systemd is the host's init (features). */
bool systemd_bus_available(void);

/* Connect to the system manager; runc's "systemd not running on this host,
 * cannot use systemd cgroups manager" when systemd is not running or its
 * bus cannot be reached. */
int systemd_bus_open(struct systemd_bus **bus, struct error *err);
void systemd_bus_close(struct systemd_bus *bus);

/* StartTransientUnit for u with pid in it (scopes) and the resource
 * properties runc sets, then wait (bounded) for the job to finish. */
int systemd_bus_start(struct systemd_bus *bus, const struct systemd_unit *u, pid_t pid,
		      const struct spec_resources *r, struct error *err);

/* StopUnit and wait (bounded) for it; a unit already gone is no error. */
int systemd_bus_stop(struct systemd_bus *bus, const char *unit, struct error *err);

#endif
