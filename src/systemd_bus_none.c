/* systemd_bus_none.c: the build without libsystemd: no systemd driver, and
 * --systemd-cgroup fails as runc does on a host without systemd. */
#include <errno.h>
#include <stdlib.h>

#include "systemd_bus.h"

bool systemd_bus_available(void)
{
	return false;
}

int systemd_bus_open(struct systemd_bus **bus, struct error *err)
{
	*bus = NULL;
	return error_set(err, ENOTSUP, "systemd not running on this host, cannot use systemd cgroups manager");
}

void systemd_bus_close(struct systemd_bus *bus)
{
	(void)bus;
}

int systemd_bus_start(struct systemd_bus *bus, const struct systemd_unit *u, pid_t pid,
		      const struct spec_resources *r, struct error *err)
{
	(void)bus, (void)u, (void)pid, (void)r;
	return error_set(err, ENOTSUP, "systemd not running on this host, cannot use systemd cgroups manager");
}

int systemd_bus_stop(struct systemd_bus *bus, const char *unit, struct error *err)
{
	(void)bus, (void)unit;
	return error_set(err, ENOTSUP, "systemd not running on this host, cannot use systemd cgroups manager");
}
