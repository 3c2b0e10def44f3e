/* dbus_internal.h: what dbus_message.c (reading) shares with dbus_writer.c
 * (writing): the rules of the wire format's types, and the check of a body
 * against its signature. */
#ifndef OCI_RT_DBUS_INTERNAL_H
#define OCI_RT_DBUS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the header fields the specification names */
enum {
	DBUS_FIELD_PATH = 1,
	DBUS_FIELD_INTERFACE = 2,
	DBUS_FIELD_MEMBER = 3,
	DBUS_FIELD_ERROR_NAME = 4,
	DBUS_FIELD_REPLY_SERIAL = 5,
	DBUS_FIELD_DESTINATION = 6,
	DBUS_FIELD_SENDER = 7,
	DBUS_FIELD_SIGNATURE = 8,
	DBUS_FIELD_UNIX_FDS = 9,
};

/* the type of each, by its code: "\0osssussgu" */
extern const char dbus_field_type[];

/* The alignment of a value of type code t. */
size_t dbus_align_of(char t);
/* s is one complete type ("a(sv)"); a sequence of them, n chars, at most
 * 255, nested within the limits. */
bool dbus_sig_is_one(const char *s);
bool dbus_sig_valid(const char *s, size_t n);
bool dbus_utf8_valid(const uint8_t *s, size_t n);
bool dbus_path_valid(const char *s, size_t n);

/* The values of sig, exactly filling d[start..end) (start 8-aligned, as a
 * body is): NULL, or what is wrong. */
const char *dbus_check_body(const uint8_t *d, size_t start, size_t end, bool big, const char *sig);

#endif
