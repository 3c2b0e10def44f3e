/* dbus.c: the D-Bus client connection (see dbus.h): address, socket, SASL,
 * and the exchange of messages built and checked by dbus_message.c.
 *
 * The socket is non-blocking and every wait goes through poll(2) with a
 * deadline, so a bus that stops answering costs a bounded time.  Bytes read
 * past a message stay buffered for the next one.  A message whose framing
 * cannot be trusted breaks the connection: nothing after it is read. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "dbus.h"
#include "util.h"

/* an authentication reply line longer than this is no D-Bus server's */
#define AUTH_LINE_MAX 512

#define BUS_NAME "org.freedesktop.DBus"
#define BUS_PATH "/org/freedesktop/DBus"

struct dbus {
	int fd;
	uint32_t serial;
	/* received, not yet taken */
	uint8_t *in;
	size_t in_len;
	size_t in_cap;
	/* errno once the stream is out of step (a bad message), else 0 */
	int broken;
	dbus_signal_fn *on_signal;
	void *userdata;
	const char *signal_interface;
	const char *signal_member;
};

/* ---- addresses ---- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unescape s[0..n) (%XX) into out (room for max bytes): its length, or -1
 * for a bad escape, a NUL or too long. */
static ssize_t unescape(const char *s, size_t n, char *out, size_t max)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int hi = i + 2 < n ? hex_digit(s[i + 1]) : -1;
			int lo = hi >= 0 ? hex_digit(s[i + 2]) : -1;
			if (lo < 0)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		}
		if (c == 0 || len >= max)
			return -1;
		out[len++] = (char)c;
	}
	return len;
}

/* One "unix:key=value,..." entry (n chars) as a socket address. */
static bool address_entry(const char *e, size_t n, struct sockaddr_un *sa, socklen_t *len)
{
	static const char unix_prefix[] = "unix:";
	const size_t plen = sizeof(unix_prefix) - 1;
	const size_t max = sizeof(sa->sun_path);
	bool found = false;
	ssize_t path_len = -1;

	if (n < plen || memcmp(e, unix_prefix, plen) != 0)
		return false;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	for (size_t i = plen; i < n;) {
		const char *kv = e + i, *comma = memchr(kv, ',', n - i);
		size_t kvlen = comma ? (size_t)(comma - kv) : n - i;
		const char *eq = memchr(kv, '=', kvlen);
		size_t klen = eq ? (size_t)(eq - kv) : kvlen;

		i += kvlen + 1;
		if (!eq)
			return false;
		const char *v = eq + 1;
		size_t vlen = kvlen - klen - 1;
		if (klen == 4 && memcmp(kv, "guid", 4) == 0)
			continue;
		if (found)
			return false;
		if (klen == 4 && memcmp(kv, "path", 4) == 0) {
			/* a NUL after the path */
			path_len = unescape(v, vlen, sa->sun_path, max - 1);
		} else if (klen == 8 && memcmp(kv, "abstract", 8) == 0) {
			/* a NUL before the name */
			path_len = unescape(v, vlen, sa->sun_path + 1, max - 1);
		} else {
			return false;
		}
		found = true;
		if (path_len <= 0)
			return false;
	}
	if (!found)
		return false;
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)path_len + 1);
	return true;
}

int dbus_address_next(const char **cursor, struct sockaddr_un *sa, socklen_t *len)
{
	while (**cursor) {
		const char *e = *cursor, *semi = strchr(e, ';');
		size_t n = semi ? (size_t)(semi - e) : strlen(e);

		*cursor = e + n + (semi ? 1 : 0);
		if (address_entry(e, n, sa, len))
			return 1;
	}
	return 0;
}

/* ---- bytes ---- */

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t deadline_after(uint64_t usec)
{
	uint64_t now = now_usec();

	return usec > UINT64_MAX - now ? UINT64_MAX : now + usec;
}

/* Wait for events on the socket: 1, or 0 once the deadline has passed. */
static int wait_fd(struct dbus *bus, short events, uint64_t deadline, struct error *err)
{
	for (;;) {
		uint64_t now = now_usec();
		if (now >= deadline)
			return 0;
		uint64_t ms = (deadline - now + 999) / 1000;
		struct pollfd p = { .fd = bus->fd, .events = events };
		int r = poll(&p, 1, ms > INT_MAX ? INT_MAX : (int)ms);
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return error_sys(err, "poll the bus connection");
	}
}

static int send_all(struct dbus *bus, const void *buf, size_t n, uint64_t deadline, struct error *err)
{
	const char *p = buf;

	while (n) {
		ssize_t k = send(bus->fd, p, n, MSG_NOSIGNAL);
		if (k >= 0) {
			p += k;
			n -= (size_t)k;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return error_sys(err, "write to the bus");
		int r = wait_fd(bus, POLLOUT, deadline, err);
		if (r < 0)
			return -1;
		if (r == 0)
			return error_set(err, ETIMEDOUT, "write to the bus: timed out");
	}
	return 0;
}

/* Read until at least want bytes are buffered: 1, or 0 when the deadline
 * passes first (what came stays buffered). */
static int fill(struct dbus *bus, size_t want, uint64_t deadline, struct error *err)
{
	if (want > bus->in_cap) {
		size_t cap = want < 4096 ? 4096 : want;
		bus->in = xrealloc(bus->in, cap);
		bus->in_cap = cap;
	}
	while (bus->in_len < want) {
		ssize_t k = recv(bus->fd, bus->in + bus->in_len, bus->in_cap - bus->in_len, 0);
		if (k > 0) {
			bus->in_len += (size_t)k;
			continue;
		}
		if (k == 0)
			return error_set(err, ECONNRESET, "the bus closed the connection");
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return error_sys(err, "read from the bus");
		int r = wait_fd(bus, POLLIN, deadline, err);
		if (r <= 0)
			return r;
	}
	return 1;
}

/* What the systemd driver ever receives is a few hundred bytes (a job's
 * path, a JobRemoved, an error's text); the specification allows 128 MiB,
 * which a broken or hostile bus peer could make us buffer. */
#define DBUS_RECEIVE_MAX (1u << 20)

/* Drop the first n buffered bytes. */
static void consume(struct dbus *bus, size_t n)
{
	memmove(bus->in, bus->in + n, bus->in_len - n);
	bus->in_len -= n;
}

/* The next message: 1, or 0 when the deadline passes first. */
static int read_message(struct dbus *bus, uint64_t deadline, struct dbus_message *m, struct error *err)
{
	size_t total;
	int r;

	memset(m, 0, sizeof(*m));
	if (bus->broken)
		return error_set(err, bus->broken, "the bus connection is out of step after a bad message");
	if ((r = fill(bus, DBUS_FIXED_HEADER, deadline, err)) <= 0)
		return r;
	if (dbus_message_length(bus->in, &total, err) < 0) {
		bus->broken = err->errnum;
		return -1;
	}
	if (total > DBUS_RECEIVE_MAX) {
		bus->broken = EMSGSIZE;
		return error_set(err, EMSGSIZE, "a D-Bus message of %zu bytes: more than the %u this client takes",
				 total, DBUS_RECEIVE_MAX);
	}
	if ((r = fill(bus, total, deadline, err)) <= 0)
		return r;
	uint8_t *data = xmalloc(total);
	memcpy(data, bus->in, total);
	consume(bus, total);
	if (dbus_message_parse(m, data, total, err) < 0) {
		dbus_message_free(m);
		bus->broken = err->errnum;
		return -1;
	}
	return 1;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static void dispatch(struct dbus *bus, const struct dbus_message *m)
{
	if (m->type == DBUS_MESSAGE_SIGNAL && bus->on_signal && same(m->interface, bus->signal_interface) &&
	    same(m->member, bus->signal_member))
		bus->on_signal(m, bus->userdata);
}

/* ---- calls ---- */

int dbus_call(struct dbus *bus, const char *dest, const char *path, const char *interface, const char *member,
	      const struct dbus_writer *args, uint64_t timeout_usec, struct dbus_message *reply,
	      struct error *err)
{
	struct strbuf out = STRBUF_INIT;
	uint64_t deadline = deadline_after(timeout_usec);
	int r;

	memset(reply, 0, sizeof(*reply));
	if (++bus->serial == 0)
		bus->serial = 1;
	struct dbus_header h = {
		.type = DBUS_MESSAGE_METHOD_CALL,
		.serial = bus->serial,
		.path = path,
		.interface = interface,
		.member = member,
		.destination = dest,
	};
	r = dbus_message_build(&h, args, &out, err);
	if (r == 0)
		r = send_all(bus, out.buf, out.len, deadline, err);
	strbuf_release(&out);
	if (r < 0)
		return -1;
	for (;;) {
		struct dbus_message m;
		r = read_message(bus, deadline, &m, err);
		if (r < 0)
			return -1;
		if (r == 0)
			return error_set(err, ETIMEDOUT, "%s.%s: no reply in time", interface, member);
		if ((m.type == DBUS_MESSAGE_METHOD_RETURN || m.type == DBUS_MESSAGE_ERROR) &&
		    m.reply_serial == h.serial) {
			*reply = m;
			if (m.type == DBUS_MESSAGE_ERROR)
				return error_set(err, dbus_error_errno(m.error_name), "%s",
						 dbus_message_error_text(&m));
			return 0;
		}
		dispatch(bus, &m);
		dbus_message_free(&m);
	}
}

int dbus_add_match(struct dbus *bus, const char *rule, struct error *err)
{
	cleanup_dbus_writer struct dbus_writer args = { 0 };
	cleanup_dbus_message struct dbus_message reply = { 0 };

	dbus_put_string(&args, rule);
	return dbus_call(bus, BUS_NAME, BUS_PATH, BUS_NAME, "AddMatch", &args, DBUS_TIMEOUT_USEC, &reply, err);
}

void dbus_on_signal(struct dbus *bus, const char *interface, const char *member, dbus_signal_fn *fn,
		    void *userdata)
{
	bus->signal_interface = interface;
	bus->signal_member = member;
	bus->on_signal = fn;
	bus->userdata = userdata;
}

int dbus_wait(struct dbus *bus, const bool *done, uint64_t timeout_usec, struct error *err)
{
	uint64_t deadline = deadline_after(timeout_usec);

	while (!*done) {
		struct dbus_message m;
		int r = read_message(bus, deadline, &m, err);
		if (r <= 0)
			return r;
		dispatch(bus, &m);
		dbus_message_free(&m);
	}
	return 1;
}

/* ---- connecting ---- */

/* SASL: EXTERNAL as our uid (what the kernel tells the server about the
 * socket: the effective one), expect OK, then BEGIN. */
static int authenticate(struct dbus *bus, uint64_t deadline, struct error *err)
{
	char uid[16], hex[2 * sizeof(uid) + 1] = "";
	struct strbuf out = STRBUF_INIT;
	size_t eol = 0;
	int r;

	snprintf(uid, sizeof(uid), "%u", (unsigned)geteuid());
	for (size_t i = 0; uid[i]; i++)
		snprintf(hex + 2 * i, sizeof(hex) - 2 * i, "%02x", (unsigned char)uid[i]);
	strbuf_putc(&out, '\0');
	strbuf_printf(&out, "AUTH EXTERNAL %s\r\n", hex);
	r = send_all(bus, out.buf, out.len, deadline, err);
	strbuf_release(&out);
	if (r < 0)
		return -1;
	/* one line back: "OK <server guid>\r\n" */
	for (;;) {
		for (; eol + 1 < bus->in_len; eol++)
			if (bus->in[eol] == '\r' && bus->in[eol + 1] == '\n')
				break;
		if (eol + 1 < bus->in_len)
			break;
		if (bus->in_len >= AUTH_LINE_MAX)
			return error_set(err, EPROTO, "authenticate to the bus: the reply has no end of line");
		r = fill(bus, bus->in_len + 1, deadline, err);
		if (r < 0)
			return error_prefix(err, "authenticate to the bus");
		if (r == 0)
			return error_set(err, ETIMEDOUT, "authenticate to the bus: no reply in time");
	}
	bool ok = eol >= 2 && memcmp(bus->in, "OK", 2) == 0 && (eol == 2 || bus->in[2] == ' ');
	consume(bus, eol + 2);
	if (!ok)
		return error_set(err, EACCES, "authenticate to the bus: EXTERNAL as uid %s was refused", uid);
	return send_all(bus, "BEGIN\r\n", 7, deadline, err);
}

int dbus_connect(struct dbus **out, const char *address, struct error *err)
{
	cleanup_dbus struct dbus *bus = NULL;
	cleanup_close int fd = -1;
	const char *cursor = address;
	struct sockaddr_un sa;
	socklen_t len;
	int last = 0;

	*out = NULL;
	while (fd < 0 && dbus_address_next(&cursor, &sa, &len) > 0) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return error_sys(err, "socket");
		if (connect(fd, (const struct sockaddr *)&sa, len) < 0) {
			last = errno;
			close(steal_fd(&fd));
		}
	}
	if (fd < 0 && !last)
		return error_set(err, EINVAL, "no unix socket in the bus address \"%s\"", address);
	if (fd < 0) {
		errno = last;
		return error_sys(err, "connect to the bus at %s", address);
	}
	/* connected while blocking (a full backlog waits); bounded from here */
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return error_sys(err, "make the bus socket non-blocking");

	bus = xcalloc(1, sizeof(*bus));
	bus->fd = steal_fd(&fd);
	uint64_t deadline = deadline_after(DBUS_TIMEOUT_USEC);
	if (authenticate(bus, deadline, err) < 0)
		return -1;
	/* the first message on a bus: it gives us our name */
	cleanup_dbus_message struct dbus_message reply = { 0 };
	if (dbus_call(bus, BUS_NAME, BUS_PATH, BUS_NAME, "Hello", NULL, DBUS_TIMEOUT_USEC, &reply, err) < 0)
		return error_prefix(err, "Hello");
	*out = steal_ptr(&bus);
	return 0;
}

int dbus_connect_system(struct dbus **bus, struct error *err)
{
	/* as sd-bus: a set but empty variable is no address */
	const char *address = getenv("DBUS_SYSTEM_BUS_ADDRESS");

	return dbus_connect(bus, address ? address : DBUS_SYSTEM_BUS_DEFAULT, err);
}

void dbus_disconnect(struct dbus *bus)
{
	if (!bus)
		return;
	if (bus->fd >= 0)
		close(bus->fd);
	free(bus->in);
	free(bus);
}
