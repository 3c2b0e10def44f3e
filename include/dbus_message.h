/* dbus_message.h: D-Bus messages as bytes, both ways (the wire format of the
 * D-Bus specification, protocol version 1).
 *
 * Out: a writer appends the body's values one by one and composes the body's
 * signature as it goes; dbus_message_build puts the header in front.  The
 * types are those the systemd driver sends: y b u t s o g, arrays, structs
 * and variants.  Written little-endian.
 *
 * In: dbus_message_parse checks a whole message before anything is read from
 * it: every length against the buffer, every string (UTF-8, its NUL), path
 * and signature, the padding, the header fields and the body against its
 * signature; messages from the bus are not trusted.  Both byte orders are
 * read.  A dbus_reader then reads the body's leading basic values in order.
 * Pure logic: no I/O (dbus.h is the connection).  Written by dbus_writer.c,
 * read by dbus_message.c.
 */
#ifndef OCI_RT_DBUS_MESSAGE_H
#define OCI_RT_DBUS_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "util.h"

enum dbus_message_type {
	DBUS_MESSAGE_METHOD_CALL = 1,
	DBUS_MESSAGE_METHOD_RETURN = 2,
	DBUS_MESSAGE_ERROR = 3,
	DBUS_MESSAGE_SIGNAL = 4,
};

/* the specification's limits */
#define DBUS_MESSAGE_MAX (128u * 1024 * 1024)
#define DBUS_ARRAY_MAX (64u * 1024 * 1024)
/* the fixed part of the header: what dbus_message_length needs */
#define DBUS_FIXED_HEADER 16

/* ---- out ---- */

#define DBUS_WRITER_DEPTH 16

struct dbus_writer {
	struct strbuf data;
	struct strbuf sig;
	/* open containers: 'a' '(' 'v'; an array's length offset and first element */
	char kind[DBUS_WRITER_DEPTH];
	size_t len_at[DBUS_WRITER_DEPTH];
	size_t start[DBUS_WRITER_DEPTH];
	int depth;
	/* containers opened past DBUS_WRITER_DEPTH (refused: w->error) */
	int overflow;
	/* open arrays and variants: what is written inside has their signature */
	int opaque;
	/* errno of the first bad value (EINVAL, E2BIG), 0 while all is well */
	int error;
};

void dbus_writer_init(struct dbus_writer *w);
void dbus_writer_release(struct dbus_writer *w);
#define cleanup_dbus_writer __attribute__((cleanup(dbus_writer_release)))

void dbus_put_byte(struct dbus_writer *w, uint8_t v);
void dbus_put_bool(struct dbus_writer *w, bool v);
void dbus_put_u32(struct dbus_writer *w, uint32_t v);
void dbus_put_u64(struct dbus_writer *w, uint64_t v);
/* s: valid UTF-8; o: an object path; g: a signature (else w->error = EINVAL) */
void dbus_put_string(struct dbus_writer *w, const char *s);
void dbus_put_path(struct dbus_writer *w, const char *s);
void dbus_put_signature(struct dbus_writer *w, const char *s);
/* Containers, each closed by dbus_close_container: an array of elem (one
 * complete type), a struct, a variant holding one value of type sig. */
void dbus_open_array(struct dbus_writer *w, const char *elem);
void dbus_open_struct(struct dbus_writer *w);
void dbus_open_variant(struct dbus_writer *w, const char *sig);
void dbus_close_container(struct dbus_writer *w);

/* What goes in a message's header; NULL and 0 fields are left out. */
struct dbus_header {
	enum dbus_message_type type;
	uint8_t flags;
	uint32_t serial;
	const char *path;
	const char *interface;
	const char *member;
	const char *error_name;
	uint32_t reply_serial;
	const char *destination;
	const char *sender;
};

/* The message's bytes into *out: h's header, then body (NULL: none) with
 * the signature it composed.  Fails on a bad value, an open container or a
 * message over the limits. */
int dbus_message_build(const struct dbus_header *h, const struct dbus_writer *body, struct strbuf *out,
		       struct error *err);

/* ---- in ---- */

struct dbus_message {
	uint8_t *data; /* owned: the whole message */
	size_t len;
	bool big_endian;
	uint8_t type; /* enum dbus_message_type, or one to ignore */
	uint8_t flags;
	uint32_t serial;
	uint32_t reply_serial; /* 0: none */
	/* NULL when absent; they point into data */
	const char *path;
	const char *interface;
	const char *member;
	const char *error_name;
	const char *destination;
	const char *sender;
	const char *signature; /* "" when absent */
	size_t body; /* offset of the body in data */
};

/* The total length of the message whose first DBUS_FIXED_HEADER bytes are
 * at buf (after checking them and the limits). */
int dbus_message_length(const uint8_t *buf, size_t *total, struct error *err);

/* Check and index the message in data[0..len); *m owns data from then on,
 * even when this fails (dbus_message_free frees it). */
int dbus_message_parse(struct dbus_message *m, uint8_t *data, size_t len, struct error *err);
void dbus_message_free(struct dbus_message *m);
#define cleanup_dbus_message __attribute__((cleanup(dbus_message_free)))

/* An error reply of that name. */
bool dbus_message_is_error(const struct dbus_message *m, const char *name);
/* An error reply's text: its first argument when it is a string, else its
 * name; NULL when m is no error. */
const char *dbus_message_error_text(const struct dbus_message *m);
/* The errno that an error name stands for (EIO when it is none known). */
int dbus_error_errno(const char *name);

/* Reads the body's values in order; each read checks the next type in the
 * signature (ENXIO when it is another, or none). */
struct dbus_reader {
	const struct dbus_message *m;
	size_t pos;
	const char *sig;
};

void dbus_reader_init(struct dbus_reader *r, const struct dbus_message *m);
int dbus_read_u32(struct dbus_reader *r, uint32_t *v, struct error *err);
/* s, o or g as given by type; *v points into the message */
int dbus_read_string(struct dbus_reader *r, char type, const char **v, struct error *err);

#endif
