/* dbus_message.c: D-Bus messages from bytes (see dbus_message.h), and the
 * rules of the wire format's types that the writer (dbus_writer.c) keeps
 * too.
 *
 * Everything read comes from a peer: positions are checked against the end
 * of what holds them before each read (`n > end - pos`, which cannot wrap),
 * and recursion is bounded by the specification's nesting limits. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbus_internal.h"
#include "dbus_message.h"

const char dbus_field_type[] = "\0osssussgu";

#define SIG_MAX 255
/* 32 arrays and 32 structs in a signature; values count variants too */
#define NEST_MAX 32
#define VALUE_DEPTH_MAX 64

static bool is_basic(char c)
{
	return c && strchr("ybnqiuxtdhsog", c);
}

size_t dbus_align_of(char t)
{
	switch (t) {
	case 'n':
	case 'q':
		return 2;
	case 'b':
	case 'i':
	case 'u':
	case 'h':
	case 's':
	case 'o':
	case 'a':
		return 4;
	case 'x':
	case 't':
	case 'd':
	case '(':
	case '{':
		return 8;
	default:
		return 1;
	}
}

/* The length of the single complete type at s (n chars), 0 if none. */
static size_t sig_one(const char *s, size_t n, int arrays, int structs)
{
	if (n == 0)
		return 0;
	if (is_basic(s[0]) || s[0] == 'v')
		return 1;
	if (s[0] == 'a') {
		if (arrays >= NEST_MAX || n < 2)
			return 0;
		if (s[1] == '{') {
			/* a{KV}: K basic, V one complete type */
			if (structs >= NEST_MAX || n < 5 || !is_basic(s[2]))
				return 0;
			size_t v = sig_one(s + 3, n - 3, arrays + 1, structs + 1);
			if (!v || 3 + v >= n || s[3 + v] != '}')
				return 0;
			return 4 + v;
		}
		size_t e = sig_one(s + 1, n - 1, arrays + 1, structs);
		return e ? e + 1 : 0;
	}
	if (s[0] == '(') {
		if (structs >= NEST_MAX)
			return 0;
		size_t i = 1;
		while (i < n && s[i] != ')') {
			size_t k = sig_one(s + i, n - i, arrays, structs + 1);
			if (!k)
				return 0;
			i += k;
		}
		return i < n && i > 1 ? i + 1 : 0;
	}
	return 0;
}

bool dbus_sig_is_one(const char *s)
{
	size_t n = strlen(s);

	return n && sig_one(s, n, 0, 0) == n;
}

/* A sequence of complete types, within the length limit. */
bool dbus_sig_valid(const char *s, size_t n)
{
	if (n > SIG_MAX)
		return false;
	for (size_t i = 0, k; i < n; i += k)
		if (!(k = sig_one(s + i, n - i, 0, 0)))
			return false;
	return true;
}

bool dbus_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		size_t len;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			len = 2, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			len = 3, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			len = 4, cp = c & 0x07, min = 0x10000;
		else
			return false;
		if (len > n - i)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		/* no overlong forms, no surrogates, nothing past Unicode */
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* "/" or "/a/b_1": elements of [A-Za-z0-9_], no empty one, no trailing / */
bool dbus_path_valid(const char *s, size_t n)
{
	if (n == 0 || s[0] != '/')
		return false;
	if (n == 1)
		return true;
	if (s[n - 1] == '/')
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (c == '/') {
			if (s[i - 1] == '/')
				return false;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
			return false;
		}
	}
	return true;
}

/* ---- reading, bounded ---- */

struct rd {
	const uint8_t *d;
	size_t pos;
	size_t end;
	bool big;
};

static uint32_t load32(const uint8_t *p, bool big)
{
	if (big)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Skip the padding to a (zero bytes, within the end). */
static bool rd_align(struct rd *r, size_t a)
{
	size_t to = (r->pos + a - 1) / a * a;

	if (to > r->end)
		return false;
	for (; r->pos < to; r->pos++)
		if (r->d[r->pos])
			return false;
	return true;
}

static bool rd_take(struct rd *r, size_t n, size_t *at)
{
	if (n > r->end - r->pos)
		return false;
	*at = r->pos;
	r->pos += n;
	return true;
}

static bool rd_fixed(struct rd *r, size_t n, size_t *at)
{
	return rd_align(r, n) && rd_take(r, n, at);
}

static bool rd_u32(struct rd *r, uint32_t *v)
{
	size_t at;

	if (!rd_fixed(r, 4, &at))
		return false;
	*v = load32(r->d + at, r->big);
	return true;
}

/* n bytes and their NUL, none inside; NULL or what is wrong */
static const char *rd_chars(struct rd *r, size_t n, const char **v)
{
	size_t at;

	if (n >= r->end - r->pos || !rd_take(r, n + 1, &at))
		return "a string runs past its end";
	if (r->d[at + n] != '\0' || memchr(r->d + at, '\0', n))
		return "a string is not NUL-terminated or holds a NUL";
	*v = (const char *)r->d + at;
	return NULL;
}

/* s or o */
static const char *rd_string(struct rd *r, char type, const char **v)
{
	const char *why;
	uint32_t n;

	if (!rd_u32(r, &n))
		return "truncated";
	if ((why = rd_chars(r, n, v)))
		return why;
	if (!dbus_utf8_valid((const uint8_t *)*v, n))
		return "a string is not UTF-8";
	if (type == 'o' && !dbus_path_valid(*v, n))
		return "an object path is not valid";
	return NULL;
}

static const char *rd_signature(struct rd *r, const char **v)
{
	const char *why;
	size_t at;

	if (!rd_take(r, 1, &at))
		return "truncated";
	if ((why = rd_chars(r, r->d[at], v)))
		return why;
	if (!dbus_sig_valid(*v, r->d[at]))
		return "a signature is not valid";
	return NULL;
}

/* Check (and pass) one value of the complete type at sig (valid). */
static const char *rd_value(struct rd *r, const char *sig, int depth)
{
	const char *why = NULL, *s;
	size_t at;
	uint32_t n;

	if (depth > VALUE_DEPTH_MAX)
		return "values nested too deep";
	switch (sig[0]) {
	case 'y':
		return rd_take(r, 1, &at) ? NULL : "truncated";
	case 'b':
		if (!rd_u32(r, &n))
			return "truncated";
		return n <= 1 ? NULL : "a boolean is neither 0 nor 1";
	case 'n':
	case 'q':
	case 'i':
	case 'u':
	case 'h':
	case 'x':
	case 't':
	case 'd':
		return rd_fixed(r, dbus_align_of(sig[0]), &at) ? NULL : "truncated";
	case 's':
	case 'o':
		return rd_string(r, sig[0], &s);
	case 'g':
		return rd_signature(r, &s);
	case 'v':
		if ((why = rd_signature(r, &s)))
			return why;
		if (!dbus_sig_is_one(s))
			return "a variant holds no single type";
		return rd_value(r, s, depth + 1);
	case 'a': {
		if (!rd_u32(r, &n))
			return "truncated";
		if (n > DBUS_ARRAY_MAX)
			return "an array is longer than the limit";
		/* the padding to the first element is there even when empty */
		if (!rd_align(r, dbus_align_of(sig[1])) || n > r->end - r->pos)
			return "an array runs past its end";
		size_t end = r->end;
		r->end = r->pos + n;
		while (!why && r->pos < r->end)
			why = rd_value(r, sig + 1, depth + 1);
		r->end = end;
		return why;
	}
	case '(':
	case '{':
		if (!rd_align(r, 8))
			return "truncated";
		for (s = sig + 1; !why && *s != ')' && *s != '}'; s += sig_one(s, strlen(s), 0, 0))
			why = rd_value(r, s, depth + 1);
		return why;
	default:
		return "unknown type";
	}
}

/* The values of sig, exactly filling d[start..end). */
const char *dbus_check_body(const uint8_t *d, size_t start, size_t end, bool big, const char *sig)
{
	struct rd r = { .d = d, .pos = start, .end = end, .big = big };
	const char *why = NULL;

	for (const char *s = sig; !why && *s; s += sig_one(s, strlen(s), 0, 0))
		why = rd_value(&r, s, 0);
	if (!why && r.pos != end)
		why = "the body is longer than its signature says";
	return why;
}

/* ---- parsing ---- */

static int bad(struct error *err, const char *why)
{
	return error_set(err, EBADMSG, "bad D-Bus message: %s", why);
}

int dbus_message_length(const uint8_t *buf, size_t *total, struct error *err)
{
	bool big = buf[0] == 'B';

	if (buf[0] != 'l' && !big)
		return bad(err, "unknown byte order");
	if (buf[3] != 1)
		return bad(err, "protocol version is not 1");
	uint32_t body = load32(buf + 4, big);
	uint32_t fields = load32(buf + 12, big);
	if (fields > DBUS_ARRAY_MAX || body > DBUS_MESSAGE_MAX)
		return bad(err, "longer than the limit");
	size_t n = DBUS_FIXED_HEADER + ((size_t)fields + 7) / 8 * 8 + body;
	if (n > DBUS_MESSAGE_MAX)
		return bad(err, "longer than the limit");
	*total = n;
	return 0;
}

/* One header field at r (its struct's padding passed). */
static const char *parse_field(struct dbus_message *m, struct rd *r, unsigned *seen)
{
	const char *why, *sig;
	size_t at;
	uint8_t code;

	if (!rd_take(r, 1, &at))
		return "truncated header field";
	code = r->d[at];
	if ((why = rd_signature(r, &sig)))
		return why;
	if (!dbus_sig_is_one(sig))
		return "a header field holds no single type";
	if (code == 0)
		return "header field 0";
	if (code > DBUS_FIELD_UNIX_FDS) /* unknown: passed over */
		return rd_value(r, sig, 1);
	if (*seen & (1u << code))
		return "a header field is given twice";
	*seen |= 1u << code;
	if (sig[0] != dbus_field_type[code] || sig[1])
		return "a header field is of the wrong type";
	switch (code) {
	case DBUS_FIELD_PATH:
		return rd_string(r, 'o', &m->path);
	case DBUS_FIELD_INTERFACE:
		return rd_string(r, 's', &m->interface);
	case DBUS_FIELD_MEMBER:
		return rd_string(r, 's', &m->member);
	case DBUS_FIELD_ERROR_NAME:
		return rd_string(r, 's', &m->error_name);
	case DBUS_FIELD_DESTINATION:
		return rd_string(r, 's', &m->destination);
	case DBUS_FIELD_SENDER:
		return rd_string(r, 's', &m->sender);
	case DBUS_FIELD_SIGNATURE:
		return rd_signature(r, &m->signature);
	case DBUS_FIELD_REPLY_SERIAL:
		if (!rd_u32(r, &m->reply_serial))
			return "truncated";
		return m->reply_serial ? NULL : "a reply serial is 0";
	default: /* UNIX_FDS: none were asked for */
		return rd_value(r, sig, 1);
	}
}

static const char *parse_header(struct dbus_message *m)
{
	struct rd r = { .d = m->data, .pos = 12, .end = m->len, .big = m->big_endian };
	const char *why = NULL;
	unsigned seen = 0;
	uint32_t n;

	if (!rd_u32(&r, &n) || n > r.end - r.pos)
		return "truncated header";
	r.end = r.pos + n;
	while (!why && r.pos < r.end)
		why = rd_align(&r, 8) ? parse_field(m, &r, &seen) : "truncated header field";
	if (why)
		return why;
	r.end = m->len;
	if (!rd_align(&r, 8))
		return "the header's padding is not zero";
	m->body = r.pos;
	switch (m->type) {
	case DBUS_MESSAGE_METHOD_CALL:
		return m->path && m->member ? NULL : "a method call without path or member";
	case DBUS_MESSAGE_SIGNAL:
		return m->path && m->interface && m->member ? NULL : "a signal without path, interface or member";
	case DBUS_MESSAGE_ERROR:
		return m->error_name && m->reply_serial ? NULL : "an error without name or reply serial";
	case DBUS_MESSAGE_METHOD_RETURN:
		return m->reply_serial ? NULL : "a method return without reply serial";
	default: /* to be ignored by the reader */
		return NULL;
	}
}

int dbus_message_parse(struct dbus_message *m, uint8_t *data, size_t len, struct error *err)
{
	const char *why;
	size_t total;

	memset(m, 0, sizeof(*m));
	m->data = data;
	m->len = len;
	m->signature = "";
	if (len < DBUS_FIXED_HEADER)
		return bad(err, "shorter than its header");
	if (dbus_message_length(data, &total, err) < 0)
		return -1;
	if (total != len)
		return bad(err, "its length is not what its header says");
	m->big_endian = data[0] == 'B';
	m->type = data[1];
	m->flags = data[2];
	m->serial = load32(data + 8, m->big_endian);
	if (m->type == 0 || m->serial == 0)
		return bad(err, "type or serial 0");
	if ((why = parse_header(m)) || (why = dbus_check_body(data, m->body, len, m->big_endian, m->signature)))
		return bad(err, why);
	return 0;
}

void dbus_message_free(struct dbus_message *m)
{
	free(m->data);
	m->data = NULL;
	m->len = 0;
}

bool dbus_message_is_error(const struct dbus_message *m, const char *name)
{
	return m->data && m->type == DBUS_MESSAGE_ERROR && m->error_name && strcmp(m->error_name, name) == 0;
}

const char *dbus_message_error_text(const struct dbus_message *m)
{
	struct dbus_reader r;
	struct error ignored;
	const char *text;

	if (!m->data || m->type != DBUS_MESSAGE_ERROR)
		return NULL;
	dbus_reader_init(&r, m);
	if (dbus_read_string(&r, 's', &text, &ignored) == 0)
		return text;
	return m->error_name;
}

/* sd-bus's errno for the names the driver may see (for err->errnum) */
static const struct {
	const char *name;
	int errnum;
} error_names[] = {
	{ "org.freedesktop.DBus.Error.AccessDenied", EACCES },
	{ "org.freedesktop.DBus.Error.InvalidArgs", EINVAL },
	{ "org.freedesktop.DBus.Error.NameHasNoOwner", ENXIO },
	{ "org.freedesktop.DBus.Error.NoMemory", ENOMEM },
	{ "org.freedesktop.DBus.Error.NoReply", ETIMEDOUT },
	{ "org.freedesktop.DBus.Error.ServiceUnknown", EHOSTUNREACH },
	{ "org.freedesktop.DBus.Error.Timeout", ETIMEDOUT },
	{ "org.freedesktop.DBus.Error.UnknownMethod", EBADR },
	{ "org.freedesktop.systemd1.NoSuchUnit", ENOENT },
	{ "org.freedesktop.systemd1.UnitExists", EEXIST },
};

int dbus_error_errno(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(error_names); i++)
		if (strcmp(name, error_names[i].name) == 0)
			return error_names[i].errnum;
	return EIO;
}

void dbus_reader_init(struct dbus_reader *r, const struct dbus_message *m)
{
	r->m = m;
	r->pos = m->body;
	r->sig = m->signature;
}

/* A bounded reader at r's next value, which must be of type. */
static int reader_at(const struct dbus_reader *r, char type, struct rd *rd, struct error *err)
{
	if (r->sig[0] != type)
		return error_set(err, ENXIO, "D-Bus message: no '%c' next in \"%s\"", type, r->m->signature);
	*rd = (struct rd){ .d = r->m->data, .pos = r->pos, .end = r->m->len, .big = r->m->big_endian };
	return 0;
}

int dbus_read_u32(struct dbus_reader *r, uint32_t *v, struct error *err)
{
	struct rd rd;

	if (reader_at(r, 'u', &rd, err) < 0)
		return -1;
	if (!rd_u32(&rd, v))
		return bad(err, "truncated");
	r->pos = rd.pos;
	r->sig++;
	return 0;
}

int dbus_read_string(struct dbus_reader *r, char type, const char **v, struct error *err)
{
	const char *why;
	struct rd rd;

	if (reader_at(r, type, &rd, err) < 0)
		return -1;
	why = type == 'g' ? rd_signature(&rd, v) : rd_string(&rd, type, v);
	if (why)
		return bad(err, why);
	r->pos = rd.pos;
	r->sig++;
	return 0;
}
