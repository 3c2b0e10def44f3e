/* spec_parse.h: what the parser's two files share (private to them).
 * spec_parse.c walks the yajl tree along the schema tables; spec_json.c
 * looks at the raw text first and words the messages. */
#ifndef OCI_RT_SPEC_PARSE_H
#define OCI_RT_SPEC_PARSE_H

#include <stddef.h>

#include "error.h"

/* How much of a rejected value a message shows. */
#define MSG_VALUE_MAX 64

/* One parse: the document's name and the JSON path being read. */
struct ctx {
	const char *what;
	struct error *err;
	size_t len;
	char path[1024]; /* ".process.args[1]"; "" at the top */
};


/* "<what>: <path>: <message>" into c->err; returns -1. */
int spec_fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int spec_fail_oom(struct ctx *c);
/* A value as a message shows it: quoted, escaped onto one line, cut short. */
const char *spec_quote(char *buf, size_t size, const char *s);
/* A number as a message shows it. */
const char *spec_clip(char *buf, size_t size, const char *s);

/* Append to the path; each returns the length to restore with spec_path_pop(). */
size_t spec_path_key(struct ctx *c, const char *key, size_t len); /* ".key" */
size_t spec_path_index(struct ctx *c, size_t i);                   /* "[i]" */
void spec_path_pop(struct ctx *c, size_t old);

/* Before yajl_tree_parse: refuse deep nesting and NUL bytes in strings and
 * keys (which the tree would silently cut). */
int spec_json_prescan(struct ctx *c, const char *json);
/* After yajl_tree_parse failed: the message with a line and column. */
int spec_json_invalid(struct ctx *c, const char *json, const char *tree_msg);

#endif
