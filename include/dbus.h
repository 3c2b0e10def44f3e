/* dbus.h: a D-Bus client connection of its own over a unix socket, with
 * plain POSIX calls only (no libdbus, no libsystemd: the runtime must build
 * statically against musl, where neither can be linked or dlopen'ed).
 *
 * What the systemd driver needs and no more: connect to a bus address
 * (unix:path= or unix:abstract=), SASL EXTERNAL with our uid, Hello, method
 * calls that wait (bounded) for their reply, AddMatch, and signals handed to
 * one callback while waiting.  No unix fds, no server side: method calls
 * sent to us are dropped.  Messages are built and checked by
 * dbus_message.h.
 */
#ifndef OCI_RT_DBUS_H
#define OCI_RT_DBUS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "dbus_message.h"
#include "error.h"

#define DBUS_SYSTEM_BUS_DEFAULT "unix:path=/run/dbus/system_bus_socket"
/* sd-bus's default wait for a method's reply */
#define DBUS_TIMEOUT_USEC (25ull * 1000000ull)

struct dbus;

/* The next unix socket of a ;-separated D-Bus address list, from *cursor
 * on (which moves past it): 1 with its address, 0 when none is left.
 * Entries of other transports or with keys other than path=, abstract= and
 * guid= are passed over; values are %-unescaped. */
int dbus_address_next(const char **cursor, struct sockaddr_un *sa, socklen_t *len);

/* Connect to the first address of the list that accepts, authenticate and
 * say Hello. */
int dbus_connect(struct dbus **bus, const char *address, struct error *err);
/* The system bus: $DBUS_SYSTEM_BUS_ADDRESS, else DBUS_SYSTEM_BUS_DEFAULT. */
int dbus_connect_system(struct dbus **bus, struct error *err);
void dbus_disconnect(struct dbus *bus);

static inline void dbus_disconnectp(struct dbus **bus)
{
	dbus_disconnect(*bus);
}
#define cleanup_dbus __attribute__((cleanup(dbus_disconnectp)))

/* Call dest's path/interface.member with args (NULL: none) and wait up to
 * timeout_usec for its reply into *reply (dbus_message_free it).  An error
 * reply fails with its text in err (errnum from its name) and is in *reply
 * too, for its name.  Signals that come meanwhile go to the callback. */
int dbus_call(struct dbus *bus, const char *dest, const char *path, const char *interface, const char *member,
	      const struct dbus_writer *args, uint64_t timeout_usec, struct dbus_message *reply,
	      struct error *err);

/* Ask the bus for the signals of rule (org.freedesktop.DBus.AddMatch). */
int dbus_add_match(struct dbus *bus, const char *rule, struct error *err);

typedef void dbus_signal_fn(const struct dbus_message *m, void *userdata);

/* The signals of interface.member that arrive while dbus_call or dbus_wait
 * waits go to fn (one callback per connection; NULL fn: none). */
void dbus_on_signal(struct dbus *bus, const char *interface, const char *member, dbus_signal_fn *fn,
		    void *userdata);

/* Handle incoming messages until *done (set by the callback): 1, or 0 when
 * timeout_usec passes first. */
int dbus_wait(struct dbus *bus, const bool *done, uint64_t timeout_usec, struct error *err);

#endif
