/* spec_json.c: the parser's view of the raw text and its messages.
 *
 * Before the tree is built: nesting too deep for yajl's recursion and NUL
 * bytes the tree would silently cut.  After a syntax error: yajl's message
 * with a line and column.  And the wording every parser message shares:
 * "<document>: <json path>: <what is wrong>".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "spec_parse.h"
#include "util.h" /* ARRAY_SIZE only: the core library does not link util.c */

/* yajl recurses per nesting level (a million '[' crash it); no real
 * config nests beyond ten. */
#define MAX_DEPTH 256

/* ---- messages -------------------------------------------------------- */

int spec_fail(struct ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->len)
		return error_set(c->err, 0, "%s: %s: %s", c->what, c->path, msg);
	return error_set(c->err, 0, "%s: %s", c->what, msg);
}

int spec_fail_oom(struct ctx *c)
{
	return error_set(c->err, ENOMEM, "%s", c->what);
}

/* A value as a message shows it: quoted, escaped onto one line, cut short. */
const char *spec_quote(char *buf, size_t size, const char *s)
{
	size_t o = 0, i;

	buf[o++] = '"';
	for (i = 0; s[i] && i < MSG_VALUE_MAX && o + 8 < size; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)ch;
		} else if (ch == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else if (ch < 0x20 || ch == 0x7f) {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
		} else {
			buf[o++] = (char)ch;
		}
	}
	if (s[i])
		o += (size_t)snprintf(buf + o, size - o, "...");
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* A number as a message shows it (yajl's text holds only [-+.0-9eE]). */
const char *spec_clip(char *buf, size_t size, const char *s)
{
	snprintf(buf, size, "%.*s%s", MSG_VALUE_MAX, s, strlen(s) > MSG_VALUE_MAX ? "..." : "");
	return buf;
}

/* ---- the path in messages ------------------------------------------ */

/* Appends to the path and returns the length to restore with spec_path_pop().
 * A path too long for the buffer is cut, never overflowed.  Every node of
 * the config passes here, so no printf: the start path parses it. */
static void path_put(struct ctx *c, const char *s, size_t n)
{
	size_t room = sizeof(c->path) - 1 - c->len;

	if (n > room)
		n = room;
	memcpy(c->path + c->len, s, n);
	c->len += n;
	c->path[c->len] = '\0';
}

size_t spec_path_key(struct ctx *c, const char *key, size_t len)
{
	size_t old = c->len;

	path_put(c, ".", 1);
	path_put(c, key, len);
	return old;
}

size_t spec_path_index(struct ctx *c, size_t i)
{
	char digits[24];
	size_t at = sizeof(digits);
	size_t old = c->len;

	digits[--at] = ']';
	do
		digits[--at] = (char)('0' + i % 10);
	while ((i /= 10) != 0);
	digits[--at] = '[';
	path_put(c, digits + at, sizeof(digits) - at);
	return old;
}

void spec_path_pop(struct ctx *c, size_t old)
{
	c->len = old;
	c->path[old] = '\0';
}

/* ---- NUL bytes and nesting, before yajl_tree_parse ------------------ */

/* yajl's tree keeps strings as C strings, so "a\u0000b" arrives as "a": a
 * value would be silently cut and a key "cwd\u0000x" would pass for "cwd".
 * A yajl callback pass, which sees lengths, finds such a string and its
 * path; it only runs when the text has a \u0000 escape at all.  Any member
 * counts, even one we would ignore, for the key case's sake. */
struct nul_scan {
	struct ctx *c;
	size_t depth;
	struct {
		bool is_array;
		size_t index;
		size_t base; /* path length of the container itself */
	} frames[MAX_DEPTH + 1];
};

/* Before each value: an array element's path ends in its index. */
static struct nul_scan *nul_value(void *ctx)
{
	struct nul_scan *s = ctx;

	if (s->depth && s->frames[s->depth - 1].is_array) {
		spec_path_pop(s->c, s->frames[s->depth - 1].base);
		spec_path_index(s->c, s->frames[s->depth - 1].index++);
	}
	return s;
}

static int nul_on_null(void *ctx)
{
	nul_value(ctx);
	return 1;
}

static int nul_on_boolean(void *ctx, int value)
{
	(void)value;
	return nul_on_null(ctx);
}

static int nul_on_number(void *ctx, const char *num, size_t len)
{
	(void)num;
	(void)len;
	return nul_on_null(ctx);
}

static int nul_on_string(void *ctx, const unsigned char *str, size_t len)
{
	struct nul_scan *s = nul_value(ctx);

	if (!memchr(str, '\0', len))
		return 1;
	spec_fail(s->c, "contains a NUL byte");
	return 0;
}

static int nul_on_open(void *ctx, bool is_array)
{
	struct nul_scan *s = nul_value(ctx);

	if (s->depth == ARRAY_SIZE(s->frames)) { /* spec_json_prescan() makes this unreachable */
		spec_fail(s->c, "nested deeper than %d levels", MAX_DEPTH);
		return 0;
	}
	s->frames[s->depth].is_array = is_array;
	s->frames[s->depth].index = 0;
	s->frames[s->depth++].base = s->c->len;
	return 1;
}

static int nul_on_start_map(void *ctx)
{
	return nul_on_open(ctx, false);
}

static int nul_on_start_array(void *ctx)
{
	return nul_on_open(ctx, true);
}

static int nul_on_key(void *ctx, const unsigned char *key, size_t len)
{
	struct nul_scan *s = ctx;

	spec_path_pop(s->c, s->frames[s->depth - 1].base);
	if (memchr(key, '\0', len)) {
		spec_fail(s->c, "a member name contains a NUL byte");
		return 0;
	}
	spec_path_key(s->c, (const char *)key, len < 256 ? len : 256);
	return 1;
}

static int nul_on_end(void *ctx)
{
	struct nul_scan *s = ctx;

	spec_path_pop(s->c, s->frames[--s->depth].base);
	return 1;
}

static const yajl_callbacks nul_callbacks = {
	.yajl_null = nul_on_null,
	.yajl_boolean = nul_on_boolean,
	.yajl_number = nul_on_number,
	.yajl_string = nul_on_string,
	.yajl_start_map = nul_on_start_map,
	.yajl_map_key = nul_on_key,
	.yajl_end_map = nul_on_end,
	.yajl_start_array = nul_on_start_array,
	.yajl_end_array = nul_on_end,
};

static int find_nul(struct ctx *c, const char *json)
{
	struct nul_scan *s = calloc(1, sizeof(*s));
	yajl_handle h = s ? yajl_alloc(&nul_callbacks, NULL, s) : NULL;
	yajl_status st;

	if (!h) {
		free(s);
		return spec_fail_oom(c);
	}
	s->c = c;
	yajl_config(h, yajl_allow_comments, 1); /* as yajl_tree_parse does */
	st = yajl_parse(h, (const unsigned char *)json, strlen(json));
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	yajl_free(h);
	free(s);
	spec_path_pop(c, 0);
	/* A syntax error is left for yajl_tree_parse to report. */
	return st == yajl_status_client_canceled ? -1 : 0;
}

/* One cheap pass over the text: nesting depth, and whether a \u0000
 * escape occurs.  Strings and comments (yajl_tree_parse allows them) are
 * skipped so their brackets do not count. */
int spec_json_prescan(struct ctx *c, const char *json)
{
	unsigned depth = 0;
	bool nul = false;
	const char *p;

	for (p = json; *p; p++) {
		switch (*p) {
		case '"':
			for (p++; *p != '"'; p++) {
				if (!*p)
					goto done;
				if (*p == '\\') {
					if (!p[1])
						goto done;
					if (strncmp(p + 1, "u0000", 5) == 0)
						nul = true;
					p++;
				}
			}
			break;
		case '/':
			if (p[1] == '/') {
				p += strcspn(p, "\n");
				if (!*p)
					goto done;
			} else if (p[1] == '*') {
				p = strstr(p + 2, "*/");
				if (!p)
					goto done;
				p++;
			}
			break;
		case '[':
		case '{':
			if (++depth > MAX_DEPTH)
				return spec_fail(c, "nested deeper than %d levels", MAX_DEPTH);
			break;
		case ']':
		case '}':
			if (depth)
				depth--;
			break;
		}
	}
done:
	return nul ? find_nul(c, json) : 0;
}

/* yajl_tree_parse's own message quotes the text around a stale offset (the
 * start of the document); a plain yajl pass over the text gives the message
 * and the offset just past the offending byte, shown as line and column. */
int spec_json_invalid(struct ctx *c, const char *json, const char *tree_msg)
{
	size_t len = strlen(json), off, line = 1, col = 0, i;
	yajl_handle h = yajl_alloc(NULL, NULL, NULL);
	unsigned char *msg;
	yajl_status st;
	int r;

	if (!h)
		return spec_fail_oom(c);
	yajl_config(h, yajl_allow_comments, 1); /* as yajl_tree_parse does */
	st = yajl_parse(h, (const unsigned char *)json, len);
	off = yajl_get_bytes_consumed(h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		off = len;
	}
	if (st == yajl_status_ok) { /* the tree failed on its own, out of memory */
		yajl_free(h);
		return spec_fail(c, "invalid JSON: %.*s", (int)strcspn(tree_msg, "\n"), tree_msg);
	}
	for (i = 0; i + 1 < off && i < len; i++) {
		if (json[i] == '\n') {
			line++;
			col = 0;
		} else {
			col++;
		}
	}
	msg = yajl_get_error(h, 0, NULL, 0);
	if (!msg)
		msg = (unsigned char *)"";
	r = spec_fail(c, "invalid JSON: %.*s at line %zu, column %zu", (int)strcspn((char *)msg, "\n"),
		 (char *)msg, line, col + 1);
	if (*msg)
		yajl_free_error(h, msg);
	yajl_free(h);
	return r;
}
