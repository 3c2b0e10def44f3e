/* test_dbus.c: unit tests for the D-Bus client's pure logic, as TAP: the
 * marshaller against a hand-checked StartTransientUnit (every alignment
 * case: strings after padding, arrays of structs, an array of strings and
 * of u32 in variants, a u64, an empty array whose element padding stays),
 * round trips through the parser, the parser on truncated, mutated and
 * malicious messages (it must refuse them, never crash: run it under the
 * sanitizer build too), the writer's refusals, and bus addresses. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbus.h"
#include "dbus_message.h"
#include "tap.h"

/* ---- helpers ---- */

static bool same_bytes(const void *got, size_t got_len, const void *want, size_t want_len)
{
	const uint8_t *g = got, *w = want;

	if (got_len == want_len && memcmp(got, want, want_len) == 0)
		return true;
	for (size_t i = 0; i < got_len || i < want_len; i++) {
		if (i >= got_len || i >= want_len || g[i] != w[i]) {
			printf("# first difference at byte %zu (got %zu bytes, want %zu)\n", i, got_len, want_len);
			break;
		}
	}
	return false;
}

static bool same(const char *got, const char *want)
{
	if (got && want && strcmp(got, want) == 0)
		return true;
	printf("# got \"%s\", want \"%s\"\n", got ? got : "(null)", want ? want : "(null)");
	return false;
}

/* Parse a copy of buf[0..len): 0 or -1, *m filled (free it). */
static int parse_copy(struct dbus_message *m, const void *buf, size_t len, struct error *err)
{
	uint8_t *copy = malloc(len ? len : 1);

	memcpy(copy, buf, len);
	return dbus_message_parse(m, copy, len, err);
}

/* A header field (yv) whose value is a string of type. */
static void raw_field(struct dbus_writer *w, uint8_t code, const char *type, const char *v)
{
	dbus_open_struct(w);
	dbus_put_byte(w, code);
	dbus_open_variant(w, type);
	if (type[0] == 'o')
		dbus_put_path(w, v);
	else if (type[0] == 'g')
		dbus_put_signature(w, v);
	else
		dbus_put_string(w, v);
	dbus_close_container(w);
	dbus_close_container(w);
}

/* A message whose body bytes are given as they are (the writer would check
 * them): a header of type with path, interface and member, and sig. */
static size_t raw_message(uint8_t type, const char *sig, const void *body, size_t body_len, uint8_t *out,
			  size_t max)
{
	struct dbus_writer w;

	dbus_writer_init(&w);
	dbus_put_byte(&w, 'l');
	dbus_put_byte(&w, type);
	dbus_put_byte(&w, 0);
	dbus_put_byte(&w, 1);
	dbus_put_u32(&w, (uint32_t)body_len);
	dbus_put_u32(&w, 9);
	dbus_open_array(&w, "(yv)");
	raw_field(&w, 1, "o", "/a");
	raw_field(&w, 2, "s", "i.f");
	raw_field(&w, 3, "s", "M");
	if (*sig)
		raw_field(&w, 8, "g", sig);
	dbus_close_container(&w);
	while (w.data.len % 8)
		dbus_put_byte(&w, 0);
	size_t n = w.data.len + body_len;
	if (n <= max) {
		memcpy(out, w.data.buf, w.data.len);
		memcpy(out + w.data.len, body, body_len);
	}
	dbus_writer_release(&w);
	return n;
}

/* A signal with sig and the given body: parsed (true) or refused. */
static bool body_parses(const char *sig, const void *body, size_t len)
{
	uint8_t buf[4096];
	struct dbus_message m;
	struct error err;
	size_t n = raw_message(DBUS_MESSAGE_SIGNAL, sig, body, len, buf, sizeof(buf));
	int r = parse_copy(&m, buf, n, &err);

	dbus_message_free(&m);
	return r == 0;
}

#define BODY_OK(sig, body, what) tap_result(body_parses(sig, body, sizeof(body) - 1), "parsed: %s", what)
#define BODY_BAD(sig, body, what) tap_result(!body_parses(sig, body, sizeof(body) - 1), "refused: %s", what)

/* ---- the marshaller, byte by byte ---- */

/* StartTransientUnit("a.scope", "replace", [Description "d", Wants
 * ["x.slice"], PIDs [42], Delegate true, TasksMax 42], []) as serial 7.
 * Offsets are the message's; the body starts at 200. */
static const char want_call[] =
	/* 0: little-endian, method call, no flags, version 1; body length
	 * 176, serial 7, header fields 182 bytes */
	"l\x01\x00\x01" "\xb0\x00\x00\x00" "\x07\x00\x00\x00" "\xb6\x00\x00\x00"
	/* 16: PATH, variant "o" */
	"\x01\x01o\x00" "\x19\x00\x00\x00" "/org/freedesktop/systemd1\x00" "\x00\x00\x00\x00\x00\x00"
	/* 56: INTERFACE, "s" */
	"\x02\x01s\x00" "\x20\x00\x00\x00" "org.freedesktop.systemd1.Manager\x00" "\x00\x00\x00\x00\x00\x00\x00"
	/* 104: MEMBER */
	"\x03\x01s\x00" "\x12\x00\x00\x00" "StartTransientUnit\x00" "\x00\x00\x00\x00\x00"
	/* 136: DESTINATION */
	"\x06\x01s\x00" "\x18\x00\x00\x00" "org.freedesktop.systemd1\x00" "\x00\x00\x00\x00\x00\x00\x00"
	/* 176: SIGNATURE, variant "g": 16 chars; 198: padding to 200 */
	"\x08\x01g\x00" "\x10" "ssa(sv)a(sa(sv))\x00" "\x00\x00"
	/* body 0 (200): "a.scope", "replace" */
	"\x07\x00\x00\x00" "a.scope\x00" "\x07\x00\x00\x00" "replace\x00"
	/* 24: a(sv) of 136 bytes, padded to its first struct at 32 */
	"\x88\x00\x00\x00" "\x00\x00\x00\x00"
	/* 32: ("Description", <"d">): a byte of padding before the string */
	"\x0b\x00\x00\x00" "Description\x00" "\x01s\x00" "\x00" "\x01\x00\x00\x00" "d\x00"
	/* 58: padding to 64; ("Wants", <["x.slice"]>): the array's length at
	 * 80, after two bytes of padding */
	"\x00\x00\x00\x00\x00\x00"
	"\x05\x00\x00\x00" "Wants\x00" "\x02" "as\x00" "\x00\x00" "\x0c\x00\x00\x00"
	"\x07\x00\x00\x00" "x.slice\x00"
	/* 96: ("PIDs", <[42]>) */
	"\x04\x00\x00\x00" "PIDs\x00" "\x02" "au\x00" "\x00\x00\x00" "\x04\x00\x00\x00" "\x2a\x00\x00\x00"
	/* 120: ("Delegate", <true>) */
	"\x08\x00\x00\x00" "Delegate\x00" "\x01" "b\x00" "\x01\x00\x00\x00"
	/* 140: padding to 144; ("TasksMax", <uint64 42>) at 160 */
	"\x00\x00\x00\x00"
	"\x08\x00\x00\x00" "TasksMax\x00" "\x01t\x00" "\x2a\x00\x00\x00\x00\x00\x00\x00"
	/* 168: a(sa(sv)), empty: its length, then the padding to where a
	 * struct would start (176) all the same */
	"\x00\x00\x00\x00" "\x00\x00\x00\x00";

static void write_call(struct dbus_writer *w)
{
	dbus_put_string(w, "a.scope");
	dbus_put_string(w, "replace");
	dbus_open_array(w, "(sv)");
	dbus_open_struct(w);
	dbus_put_string(w, "Description");
	dbus_open_variant(w, "s");
	dbus_put_string(w, "d");
	dbus_close_container(w);
	dbus_close_container(w);
	dbus_open_struct(w);
	dbus_put_string(w, "Wants");
	dbus_open_variant(w, "as");
	dbus_open_array(w, "s");
	dbus_put_string(w, "x.slice");
	dbus_close_container(w);
	dbus_close_container(w);
	dbus_close_container(w);
	dbus_open_struct(w);
	dbus_put_string(w, "PIDs");
	dbus_open_variant(w, "au");
	dbus_open_array(w, "u");
	dbus_put_u32(w, 42);
	dbus_close_container(w);
	dbus_close_container(w);
	dbus_close_container(w);
	dbus_open_struct(w);
	dbus_put_string(w, "Delegate");
	dbus_open_variant(w, "b");
	dbus_put_bool(w, true);
	dbus_close_container(w);
	dbus_close_container(w);
	dbus_open_struct(w);
	dbus_put_string(w, "TasksMax");
	dbus_open_variant(w, "t");
	dbus_put_u64(w, 42);
	dbus_close_container(w);
	dbus_close_container(w);
	dbus_close_container(w);
	dbus_open_array(w, "(sa(sv))");
	dbus_close_container(w);
}

static const struct dbus_header call_header = {
	.type = DBUS_MESSAGE_METHOD_CALL,
	.serial = 7,
	.path = "/org/freedesktop/systemd1",
	.interface = "org.freedesktop.systemd1.Manager",
	.member = "StartTransientUnit",
	.destination = "org.freedesktop.systemd1",
};

static void build_call(struct strbuf *out)
{
	struct dbus_writer w;
	struct error err;

	dbus_writer_init(&w);
	write_call(&w);
	if (dbus_message_build(&call_header, &w, out, &err) < 0)
		printf("# %s\n", err.msg);
	dbus_writer_release(&w);
}

static void test_marshal(void)
{
	struct strbuf out = STRBUF_INIT;
	struct dbus_message m;
	struct dbus_reader r;
	struct error err;
	const char *s1 = NULL, *s2 = NULL;
	uint32_t u;

	build_call(&out);
	tap_result(same_bytes(out.buf, out.len, want_call, sizeof(want_call) - 1),
		   "StartTransientUnit is marshalled byte for byte as checked by hand");

	int r0 = parse_copy(&m, out.buf, out.len, &err);
	if (r0 < 0)
		printf("# %s\n", err.msg);
	tap_result(r0 == 0 && m.type == DBUS_MESSAGE_METHOD_CALL && m.serial == 7 && m.body == 200 &&
			   same(m.path, call_header.path) && same(m.interface, call_header.interface) &&
			   same(m.member, call_header.member) && same(m.destination, call_header.destination) &&
			   same(m.signature, "ssa(sv)a(sa(sv))") && !m.sender && !m.error_name && m.reply_serial == 0,
		   "it parses back: header fields, signature, body offset");
	dbus_reader_init(&r, &m);
	bool read = dbus_read_string(&r, 's', &s1, &err) == 0 && dbus_read_string(&r, 's', &s2, &err) == 0;
	tap_result(read && same(s1, "a.scope") && same(s2, "replace"), "its leading strings read back");
	tap_result(dbus_read_u32(&r, &u, &err) < 0 && err.errnum == ENXIO,
		   "reading a u32 where the signature has an array: ENXIO");
	dbus_message_free(&m);

	/* every prefix is refused (the length no longer matches the header) */
	bool all = true;
	for (size_t n = 0; n < out.len; n++) {
		if (parse_copy(&m, out.buf, n, &err) == 0)
			all = false, printf("# a prefix of %zu bytes parsed\n", n);
		dbus_message_free(&m);
	}
	size_t total = 0;
	tap_result(all && dbus_message_length((const uint8_t *)out.buf, &total, &err) == 0 && total == out.len,
		   "every truncation is refused; the fixed header gives the whole length");

	/* every byte changed, one at a time, three ways: parsed or refused,
	 * never a read out of bounds (the sanitizer build checks that) */
	static const uint8_t flips[] = { 0x01, 0x80, 0xff };
	int parsed = 0, refused = 0;
	bool consistent = true;
	for (size_t i = 0; i < out.len; i++) {
		for (size_t f = 0; f < sizeof(flips); f++) {
			uint8_t *copy = malloc(out.len);
			memcpy(copy, out.buf, out.len);
			copy[i] ^= flips[f];
			if (dbus_message_parse(&m, copy, out.len, &err) == 0) {
				/* what parsed is still consistent */
				consistent = consistent && m.body <= m.len && m.signature;
				parsed++;
			} else {
				refused++;
			}
			dbus_message_free(&m);
		}
	}
	printf("# of %zu mutations %d parsed, %d refused\n", out.len * sizeof(flips), parsed, refused);
	tap_result(consistent && refused > 0, 
		   "every one-byte mutation is parsed or refused");
	strbuf_release(&out);
}

/* ---- replies and signals ---- */

static bool build(const struct dbus_header *h, struct dbus_writer *w, struct dbus_message *m)
{
	struct strbuf out = STRBUF_INIT;
	struct error err;
	int r = dbus_message_build(h, w, &out, &err);

	if (r == 0 && (r = parse_copy(m, out.buf, out.len, &err)) < 0)
		dbus_message_free(m);
	if (r < 0)
		printf("# %s\n", err.msg);
	strbuf_release(&out);
	dbus_writer_release(w);
	return r == 0;
}

static void test_replies(void)
{
	struct dbus_message m;
	struct dbus_writer w;
	struct dbus_reader r;
	struct error err;
	const char *s = NULL, *job = NULL, *unit = NULL, *result = NULL;
	uint32_t id = 0;

	struct dbus_header ret = {
		.type = DBUS_MESSAGE_METHOD_RETURN, .serial = 3, .reply_serial = 7, .sender = ":1.5",
	};
	dbus_writer_init(&w);
	dbus_put_path(&w, "/org/freedesktop/systemd1/job/12");
	bool ok = build(&ret, &w, &m);
	dbus_reader_init(&r, &m);
	tap_result(ok && m.reply_serial == 7 && same(m.sender, ":1.5") && dbus_read_string(&r, 'o', &s, &err) == 0 &&
			   same(s, "/org/freedesktop/systemd1/job/12") && !dbus_message_error_text(&m),
		   "a method return: its reply serial, sender and job path");
	if (ok)
		dbus_message_free(&m);

	struct dbus_header error = {
		.type = DBUS_MESSAGE_ERROR, .serial = 4, .reply_serial = 8,
		.error_name = "org.freedesktop.systemd1.NoSuchUnit",
	};
	dbus_writer_init(&w);
	dbus_put_string(&w, "Unit x.scope not loaded.");
	ok = build(&error, &w, &m);
	tap_result(ok && dbus_message_is_error(&m, "org.freedesktop.systemd1.NoSuchUnit") &&
			   !dbus_message_is_error(&m, "org.freedesktop.DBus.Error.AccessDenied") &&
			   same(dbus_message_error_text(&m), "Unit x.scope not loaded.") &&
			   dbus_error_errno(m.error_name) == ENOENT,
		   "an error: its name, text and errno");
	if (ok)
		dbus_message_free(&m);
	dbus_writer_init(&w);
	ok = build(&error, &w, &m);
	tap_result(ok && same(dbus_message_error_text(&m), "org.freedesktop.systemd1.NoSuchUnit") &&
			   dbus_error_errno("x.Unknown") == EIO,
		   "an error without a text: its name; an unknown name is EIO");
	if (ok)
		dbus_message_free(&m);

	struct dbus_header sig = {
		.type = DBUS_MESSAGE_SIGNAL, .serial = 5, .path = "/org/freedesktop/systemd1",
		.interface = "org.freedesktop.systemd1.Manager", .member = "JobRemoved", .sender = ":1.5",
	};
	dbus_writer_init(&w);
	dbus_put_u32(&w, 12);
	dbus_put_path(&w, "/org/freedesktop/systemd1/job/12");
	dbus_put_string(&w, "a.scope");
	dbus_put_string(&w, "done");
	ok = build(&sig, &w, &m);
	dbus_reader_init(&r, &m);
	tap_result(ok && same(m.signature, "uoss") && dbus_read_u32(&r, &id, &err) == 0 &&
			   dbus_read_string(&r, 'o', &job, &err) == 0 && dbus_read_string(&r, 's', &unit, &err) == 0 &&
			   dbus_read_string(&r, 's', &result, &err) == 0 && id == 12 &&
			   same(job, "/org/freedesktop/systemd1/job/12") && same(unit, "a.scope") && same(result, "done") &&
			   dbus_read_string(&r, 's', &s, &err) < 0,
		   "a JobRemoved signal: u o s s, and nothing after");
	if (ok)
		dbus_message_free(&m);

	/* big-endian, by hand: a method return (reply serial 42) of u 0x01020304 */
	static const char be[] = "B\x02\x00\x01" "\x00\x00\x00\x04" "\x00\x00\x00\x01" "\x00\x00\x00\x0f"
				 "\x05\x01u\x00" "\x00\x00\x00\x2a" "\x08\x01g\x00\x01u\x00" "\x00"
				 "\x01\x02\x03\x04";
	ok = parse_copy(&m, be, sizeof(be) - 1, &err) == 0;
	dbus_reader_init(&r, &m);
	tap_result(ok && m.big_endian && m.reply_serial == 42 && dbus_read_u32(&r, &id, &err) == 0 && id == 0x01020304,
		   "a big-endian message is read in its byte order");
	dbus_message_free(&m);
}

/* ---- malicious messages ---- */

/* a variant holding a variant... depth times, then a byte */
static bool nested_variants(int depth)
{
	char body[1024];
	size_t n = 0;

	for (int i = 0; i < depth; i++) {
		memcpy(body + n, "\x01v\x00", 3);
		n += 3;
	}
	memcpy(body + n, "\x01y\x00\x07", 4);
	n += 4;
	return body_parses("v", body, n);
}

static bool header_parses(const char *hdr, size_t n)
{
	struct dbus_message m;
	struct error err;
	int r = parse_copy(&m, hdr, n, &err);

	dbus_message_free(&m);
	return r == 0;
}

static void test_malicious(void)
{
	BODY_OK("s", "\x03\x00\x00\x00" "abc\x00", "a string");
	BODY_BAD("s", "\x64\x00\x00\x00" "abc\x00", "a string longer than the body");
	BODY_BAD("s", "\xff\xff\xff\xff" "abc\x00", "a string of length 2^32-1");
	BODY_BAD("s", "\x03\x00\x00\x00" "abcd", "a string without its NUL");
	BODY_BAD("s", "\x03\x00\x00\x00" "a\x00" "b\x00", "a string with a NUL inside");
	BODY_BAD("s", "\x02\x00\x00\x00" "\xc3\x28\x00", "a string of bad UTF-8");
	BODY_BAD("s", "\x02\x00\x00\x00" "\xc0\xaf\x00", "an overlong UTF-8 form");
	BODY_BAD("s", "\x03\x00\x00\x00" "\xed\xa0\x80\x00", "a UTF-16 surrogate in UTF-8");
	BODY_OK("s", "\x03\x00\x00\x00" "\xe2\x82\xac\x00", "a string of UTF-8 (the euro sign)");
	BODY_BAD("o", "\x03\x00\x00\x00" "/a/\x00", "an object path ending in /");
	BODY_BAD("o", "\x04\x00\x00\x00" "/a-b\x00", "an object path with a -");
	BODY_BAD("b", "\x02\x00\x00\x00", "a boolean of 2");
	BODY_OK("yu", "\x01\x00\x00\x00" "\x05\x00\x00\x00", "a byte and a u32 after zero padding");
	BODY_BAD("yu", "\x01\x01\x00\x00" "\x05\x00\x00\x00", "padding that is not zero");
	BODY_BAD("u", "\x01\x00\x00", "a truncated u32");
	BODY_BAD("ay", "\xff\xff\xff\xff", "an array of length 2^32-1");
	BODY_BAD("ay", "\x01\x00\x00\x04" "x", "an array over the 64 MiB limit");
	BODY_BAD("ay", "\x08\x00\x00\x00" "abc", "an array longer than the body");
	BODY_BAD("a(yy)", "\x03\x00\x00\x00" "\x00\x00\x00\x00" "abc", "an array ending inside an element");
	BODY_OK("a(yy)", "\x0a\x00\x00\x00" "\x00\x00\x00\x00" "ab\x00\x00\x00\x00\x00\x00" "cd",
		"an array of two structs, padded between them");
	BODY_OK("at", "\x00\x00\x00\x00" "\x00\x00\x00\x00", "an empty array keeps its element padding");
	BODY_BAD("at", "\x00\x00\x00\x00", "an empty array without its element padding");
	BODY_BAD("v", "\x02ss\x00" "\x00\x00\x00\x00", "a variant of two types");
	BODY_BAD("v", "\x01(\x00" "\x00", "a variant of a bad signature");
	BODY_BAD("g", "\x02(y\x00", "a signature with an open struct");
	BODY_BAD("g", "\x02()\x00", "a signature with an empty struct");
	BODY_BAD("g", "\x03{sv\x00", "a dict entry outside an array");
	BODY_OK("g", "\x05" "a{sv}\x00", "a signature with a dict");
	BODY_BAD("", "\x00", "a body with no signature");
	BODY_BAD("y", "\x01\x02", "a body longer than its signature");
	tap_result(nested_variants(60), "60 nested variants are read");
	tap_result(!nested_variants(200), "200 nested variants are refused (depth limit)");
	tap_result(!body_parses("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay", "\x00\x00\x00\x00", 4),
		   "a signature of 33 nested arrays is refused");

	/* headers, by hand */
	static const char ret[] = "l\x02\x00\x01" "\x00\x00\x00\x00" "\x01\x00\x00\x00" "\x08\x00\x00\x00"
				  "\x05\x01u\x00" "\x07\x00\x00\x00";
	size_t n = sizeof(ret) - 1;
	char h[64];
	tap_result(header_parses(ret, n), "a minimal method return");
	memcpy(h, ret, n), h[0] = 'X';
	tap_result(!header_parses(h, n), "refused: an unknown byte order");
	memcpy(h, ret, n), h[3] = 2;
	tap_result(!header_parses(h, n), "refused: protocol version 2");
	memcpy(h, ret, n), h[8] = 0;
	tap_result(!header_parses(h, n), "refused: serial 0");
	memcpy(h, ret, n), h[16] = 6;
	tap_result(!header_parses(h, n), "refused: a destination of type u");
	memcpy(h, ret, n), h[16] = 0x40;
	tap_result(!header_parses(h, n), "refused: an unknown field passed over leaves no reply serial");
	memcpy(h, ret, n), h[20] = 0;
	tap_result(!header_parses(h, n), "refused: reply serial 0");
	memcpy(h, ret, n), h[12] = 0xff, h[13] = 0xff, h[14] = 0xff, h[15] = 0xff;
	tap_result(!header_parses(h, n), "refused: header fields of length 2^32-1");
	tap_result(!header_parses(ret, n - 1) && !header_parses(ret, 15), "refused: shorter than the header says");
	memcpy(h, ret, n), h[n] = 0;
	tap_result(!header_parses(h, n + 1), "refused: longer than the header says");
	static const char twice[] = "l\x02\x00\x01" "\x00\x00\x00\x00" "\x01\x00\x00\x00" "\x10\x00\x00\x00"
				    "\x05\x01u\x00" "\x07\x00\x00\x00" "\x05\x01u\x00" "\x07\x00\x00\x00";
	tap_result(!header_parses(twice, sizeof(twice) - 1), "refused: a header field given twice");
	/* field 200, an empty "as": 24-35, then the header's padding */
	static const char unknown[] = "l\x02\x00\x01" "\x00\x00\x00\x00" "\x01\x00\x00\x00" "\x14\x00\x00\x00"
				      "\x05\x01u\x00" "\x07\x00\x00\x00" "\xc8\x02" "as\x00" "\x00\x00\x00"
				      "\x00\x00\x00\x00" "\x00\x00\x00\x00";
	tap_result(header_parses(unknown, sizeof(unknown) - 1), "an unknown header field is passed over");
	static const char nosig[] = "l\x04\x00\x01" "\x00\x00\x00\x00" "\x01\x00\x00\x00" "\x0a\x00\x00\x00"
				    "\x01\x01o\x00" "\x01\x00\x00\x00" "/\x00" "\x00\x00\x00\x00\x00\x00";
	tap_result(!header_parses(nosig, sizeof(nosig) - 1), "refused: a signal without interface and member");
}

/* ---- the writer's refusals ---- */

static int build_error(void (*fill)(struct dbus_writer *))
{
	struct dbus_header h = { .type = DBUS_MESSAGE_METHOD_CALL, .serial = 1, .path = "/", .member = "M" };
	struct strbuf out = STRBUF_INIT;
	struct dbus_writer w;
	struct error err = { 0 };

	dbus_writer_init(&w);
	fill(&w);
	int r = dbus_message_build(&h, &w, &out, &err);
	strbuf_release(&out);
	dbus_writer_release(&w);
	return r < 0 ? err.errnum : 0;
}

static void bad_utf8(struct dbus_writer *w)
{
	dbus_put_string(w, "\xff");
}

static void bad_path(struct dbus_writer *w)
{
	dbus_put_path(w, "a/b");
}

static void bad_array(struct dbus_writer *w)
{
	dbus_open_array(w, "(s");
	dbus_close_container(w);
}

static void open_left(struct dbus_writer *w)
{
	dbus_open_array(w, "u");
}

static void empty_struct(struct dbus_writer *w)
{
	dbus_open_struct(w);
	dbus_close_container(w);
}

static void wrong_type(struct dbus_writer *w)
{
	dbus_open_variant(w, "s");
	dbus_put_u32(w, 1);
	dbus_close_container(w);
}

static void too_deep(struct dbus_writer *w)
{
	for (int i = 0; i < DBUS_WRITER_DEPTH + 2; i++)
		dbus_open_array(w, "ay");
	for (int i = 0; i < DBUS_WRITER_DEPTH + 2; i++)
		dbus_close_container(w);
}

static void closed_twice(struct dbus_writer *w)
{
	dbus_open_struct(w);
	dbus_put_byte(w, 1);
	dbus_close_container(w);
	dbus_close_container(w);
}

static void test_writer(void)
{
	tap_result(build_error(bad_utf8) == EINVAL, "writer: a string of bad UTF-8 is refused");
	tap_result(build_error(bad_path) == EINVAL, "writer: a bad object path is refused");
	tap_result(build_error(bad_array) == EINVAL, "writer: an array of a bad type is refused");
	tap_result(build_error(open_left) == EINVAL, "writer: a container left open is refused");
	tap_result(build_error(empty_struct) == EINVAL, "writer: an empty struct is refused");
	tap_result(build_error(wrong_type) == EINVAL, "writer: a value of another type than its variant's is refused");
	tap_result(build_error(too_deep) == EINVAL, "writer: nesting past its depth is refused");
	tap_result(build_error(closed_twice) == EINVAL, "writer: closing what is not open is refused");
}

/* ---- addresses ---- */

static bool next_is(const char **cursor, const char *path, bool abstract)
{
	struct sockaddr_un sa;
	socklen_t len = 0;
	size_t n = strlen(path);

	if (dbus_address_next(cursor, &sa, &len) != 1) {
		printf("# no address where %s was expected\n", path);
		return false;
	}
	size_t want = offsetof(struct sockaddr_un, sun_path) + n + 1;
	const char *got = abstract ? sa.sun_path + 1 : sa.sun_path;
	bool ok = sa.sun_family == AF_UNIX && len == want && memcmp(got, path, n) == 0 &&
		  (abstract ? sa.sun_path[0] == '\0' : sa.sun_path[n] == '\0');
	if (!ok)
		printf("# got %.*s (length %u), want %s\n", (int)sizeof(sa.sun_path), got, (unsigned)len, path);
	return ok;
}

static bool at_end(const char **cursor)
{
	struct sockaddr_un sa;
	socklen_t len;

	return dbus_address_next(cursor, &sa, &len) == 0;
}

static void test_addresses(void)
{
	const char *c = DBUS_SYSTEM_BUS_DEFAULT;
	tap_result(next_is(&c, "/run/dbus/system_bus_socket", false) && at_end(&c), "address: the default");

	c = "unix:abstract=/tmp/dbus-x,guid=0123";
	tap_result(next_is(&c, "/tmp/dbus-x", true) && at_end(&c), "address: abstract, with a guid");

	c = "tcp:host=localhost,port=1;unix:guid=1,path=/a%20b%2c;unix:path=/c";
	tap_result(next_is(&c, "/a b,", false) && next_is(&c, "/c", false) && at_end(&c),
		   "address: a list, past tcp, %%-escapes, a guid before the path");

	char longpath[200];
	snprintf(longpath, sizeof(longpath), "unix:path=/%0150d;unix:path=/ok", 0);
	c = longpath;
	tap_result(next_is(&c, "/ok", false) && at_end(&c), "address: a path too long for a socket is passed over");

	c = "unix:path=/a%2;unix:path=%00;unix:path=;unix:runtime=yes;unix:path=/a,abstract=b;unix:path;unix:;"
	    "unixexec:path=/bin/true;;";
	tap_result(at_end(&c), "address: bad escapes, a NUL, empty, unknown or two keys, no '=': none usable");
	c = "";
	tap_result(at_end(&c), "address: the empty list has none");
}

int main(void)
{
	test_marshal();
	test_replies();
	test_malicious();
	test_writer();
	test_addresses();
	return tap_finish();
}
