/* dbus_writer.c: D-Bus messages to bytes (see dbus_message.h): values
 * appended in order, the body's signature composed as they come, and the
 * header put in front.  Written little-endian whatever the host. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "dbus_internal.h"
#include "dbus_message.h"

void dbus_writer_init(struct dbus_writer *w)
{
	memset(w, 0, sizeof(*w));
}

void dbus_writer_release(struct dbus_writer *w)
{
	strbuf_release(&w->data);
	strbuf_release(&w->sig);
}

static void fail(struct dbus_writer *w, int errnum)
{
	if (!w->error)
		w->error = errnum;
}

static void sig_add(struct dbus_writer *w, const char *s, size_t n)
{
	if (!w->opaque)
		strbuf_put(&w->sig, s, n);
}

static void pad(struct dbus_writer *w, size_t a)
{
	while (w->data.len % a)
		strbuf_putc(&w->data, '\0');
}

static void store32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put32(struct dbus_writer *w, uint32_t v)
{
	uint8_t b[4];

	pad(w, 4);
	store32(b, v);
	strbuf_put(&w->data, (const char *)b, sizeof(b));
}

void dbus_put_byte(struct dbus_writer *w, uint8_t v)
{
	strbuf_putc(&w->data, (char)v);
	sig_add(w, "y", 1);
}

void dbus_put_bool(struct dbus_writer *w, bool v)
{
	put32(w, v ? 1 : 0);
	sig_add(w, "b", 1);
}

void dbus_put_u32(struct dbus_writer *w, uint32_t v)
{
	put32(w, v);
	sig_add(w, "u", 1);
}

void dbus_put_u64(struct dbus_writer *w, uint64_t v)
{
	uint8_t b[8];

	pad(w, 8);
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	strbuf_put(&w->data, (const char *)b, sizeof(b));
	sig_add(w, "t", 1);
}

/* s, o or g: its length (u32, or a byte for g), its bytes, a NUL */
static void put_chars(struct dbus_writer *w, char type, const char *s)
{
	size_t n = strlen(s);
	bool ok = type == 'g' ? dbus_sig_valid(s, n) : dbus_utf8_valid((const uint8_t *)s, n) && (type != 'o' || dbus_path_valid(s, n));

	if (n > DBUS_MESSAGE_MAX) {
		fail(w, E2BIG);
		return;
	}
	if (!ok)
		fail(w, EINVAL);
	if (type == 'g')
		strbuf_putc(&w->data, (char)n);
	else
		put32(w, (uint32_t)n);
	strbuf_put(&w->data, s, n + 1);
}

void dbus_put_string(struct dbus_writer *w, const char *s)
{
	put_chars(w, 's', s);
	sig_add(w, "s", 1);
}

void dbus_put_path(struct dbus_writer *w, const char *s)
{
	put_chars(w, 'o', s);
	sig_add(w, "o", 1);
}

void dbus_put_signature(struct dbus_writer *w, const char *s)
{
	put_chars(w, 'g', s);
	sig_add(w, "g", 1);
}

/* Push a container; false when too deep (counted, for dbus_close_container). */
static bool push(struct dbus_writer *w, char kind)
{
	if (w->depth >= DBUS_WRITER_DEPTH) {
		fail(w, EINVAL);
		w->overflow++;
		return false;
	}
	w->kind[w->depth++] = kind;
	return true;
}

void dbus_open_array(struct dbus_writer *w, const char *elem)
{
	if (!dbus_sig_is_one(elem))
		fail(w, EINVAL);
	if (!push(w, 'a'))
		return;
	sig_add(w, "a", 1);
	sig_add(w, elem, strlen(elem));
	w->opaque++;
	put32(w, 0);
	w->len_at[w->depth - 1] = w->data.len - 4;
	pad(w, dbus_align_of(elem[0]));
	w->start[w->depth - 1] = w->data.len;
}

void dbus_open_struct(struct dbus_writer *w)
{
	if (!push(w, '('))
		return;
	pad(w, 8);
	sig_add(w, "(", 1);
}

void dbus_open_variant(struct dbus_writer *w, const char *sig)
{
	if (!dbus_sig_is_one(sig))
		fail(w, EINVAL);
	if (!push(w, 'v'))
		return;
	put_chars(w, 'g', sig);
	sig_add(w, "v", 1);
	w->opaque++;
}

void dbus_close_container(struct dbus_writer *w)
{
	if (w->overflow) {
		w->overflow--;
		return;
	}
	if (w->depth == 0) {
		fail(w, EINVAL);
		return;
	}
	int i = --w->depth;
	if (w->kind[i] == '(') {
		sig_add(w, ")", 1);
		return;
	}
	w->opaque--;
	if (w->kind[i] == 'a') {
		size_t n = w->data.len - w->start[i];
		if (n > DBUS_ARRAY_MAX)
			fail(w, E2BIG);
		store32((uint8_t *)w->data.buf + w->len_at[i], (uint32_t)n);
	}
}

static void put_field(struct dbus_writer *w, uint8_t code, const char *s)
{
	char sig[2] = { dbus_field_type[code], '\0' };

	if (!s)
		return;
	dbus_open_struct(w);
	dbus_put_byte(w, code);
	dbus_open_variant(w, sig);
	put_chars(w, sig[0], s);
	dbus_close_container(w);
	dbus_close_container(w);
}

int dbus_message_build(const struct dbus_header *h, const struct dbus_writer *body, struct strbuf *out,
		       struct error *err)
{
	cleanup_dbus_writer struct dbus_writer w = { 0 };
	const char *sig = body && body->sig.buf ? body->sig.buf : "";
	size_t len = body ? body->data.len : 0;
	const char *why;

	if (body && body->error)
		return error_set(err, body->error, "D-Bus message: a value of the body is not valid");
	if (body && (body->depth || body->overflow))
		return error_set(err, EINVAL, "D-Bus message: a container of the body is left open");
	if (!dbus_sig_valid(sig, strlen(sig)))
		return error_set(err, EINVAL, "D-Bus message: the body's signature \"%s\" is not valid", sig);
	/* what the writer was given is what its signature says (or the bus
	 * would drop the connection) */
	if ((why = dbus_check_body((const uint8_t *)(body ? body->data.buf : ""), 0, len, false, sig)))
		return error_set(err, EINVAL, "D-Bus message: the body does not match \"%s\": %s", sig, why);
	if (h->serial == 0 || h->type == 0)
		return error_set(err, EINVAL, "D-Bus message: no type or serial");

	dbus_put_byte(&w, 'l');
	dbus_put_byte(&w, (uint8_t)h->type);
	dbus_put_byte(&w, h->flags);
	dbus_put_byte(&w, 1);
	dbus_put_u32(&w, (uint32_t)len);
	dbus_put_u32(&w, h->serial);
	dbus_open_array(&w, "(yv)");
	put_field(&w, DBUS_FIELD_PATH, h->path);
	put_field(&w, DBUS_FIELD_INTERFACE, h->interface);
	put_field(&w, DBUS_FIELD_MEMBER, h->member);
	put_field(&w, DBUS_FIELD_ERROR_NAME, h->error_name);
	if (h->reply_serial) {
		dbus_open_struct(&w);
		dbus_put_byte(&w, DBUS_FIELD_REPLY_SERIAL);
		dbus_open_variant(&w, "u");
		dbus_put_u32(&w, h->reply_serial);
		dbus_close_container(&w);
		dbus_close_container(&w);
	}
	put_field(&w, DBUS_FIELD_DESTINATION, h->destination);
	put_field(&w, DBUS_FIELD_SENDER, h->sender);
	if (*sig)
		put_field(&w, DBUS_FIELD_SIGNATURE, sig);
	dbus_close_container(&w);
	pad(&w, 8);
	if (w.error)
		return error_set(err, w.error, "D-Bus message: a header field is not valid");
	if (len > DBUS_MESSAGE_MAX - w.data.len)
		return error_set(err, E2BIG, "D-Bus message: longer than the limit");
	strbuf_put(out, w.data.buf, w.data.len);
	if (len)
		strbuf_put(out, body->data.buf, len);
	return 0;
}
