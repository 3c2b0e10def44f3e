/* spec_parse.c: config.json -> struct spec, driven by spec_schema.c.
 *
 * yajl's tree API builds the document; one walker then follows the field
 * tables, converting and range-checking every value into the structs of
 * spec.h, and naming the JSON path of anything it rejects.  The same tables
 * drive the free walker, so a partly filled struct is released the same way
 * as a complete one: every allocation is linked into the struct as soon as
 * it is made, and unfilled members are zero.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "cleanup.h"
#include "spec.h"
#include "spec_schema.h"

/* yajl recurses per nesting level (a million '[' crash it); no real
 * config nests beyond ten. */
#define MAX_DEPTH 256
/* A config.json is kilobytes; this only stops a runaway read. */
#define MAX_FILE_SIZE (64u << 20)
/* How much of a rejected value a message shows. */
#define MSG_VALUE_MAX 64

struct ctx {
	const char *what;
	struct error *err;
	size_t len;
	char path[1024]; /* ".process.args[1]"; "" at the top */
};

/* Every SPEC_ARRAY has this layout, whatever its element type. */
struct any_array {
	void *v;
	size_t n;
};

static void free_struct(const struct schema *s, void *obj);

/* ---- messages -------------------------------------------------------- */

static int __attribute__((format(printf, 2, 3))) fail(struct ctx *c, const char *fmt, ...)
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

static int fail_oom(struct ctx *c)
{
	return error_set(c->err, ENOMEM, "%s", c->what);
}

/* A value as a message shows it: quoted, escaped onto one line, cut short. */
static const char *quote(char *buf, size_t size, const char *s)
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
static const char *clip(char *buf, size_t size, const char *s)
{
	snprintf(buf, size, "%.*s%s", MSG_VALUE_MAX, s, strlen(s) > MSG_VALUE_MAX ? "..." : "");
	return buf;
}

/* ---- the path in messages ------------------------------------------ */

/* Appends to the path and returns the length to restore with path_pop().
 * A path too long for the buffer is cut, never overflowed. */
static size_t __attribute__((format(printf, 2, 3))) path_push(struct ctx *c, const char *fmt, ...)
{
	size_t old = c->len, room = sizeof(c->path) - c->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path + c->len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->len += (size_t)n < room ? (size_t)n : room - 1;
	return old;
}

static void path_pop(struct ctx *c, size_t old)
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
		path_pop(s->c, s->frames[s->depth - 1].base);
		path_push(s->c, "[%zu]", s->frames[s->depth - 1].index++);
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
	fail(s->c, "contains a NUL byte");
	return 0;
}

static int nul_on_open(void *ctx, bool is_array)
{
	struct nul_scan *s = nul_value(ctx);

	if (s->depth == ARRAY_SIZE(s->frames)) { /* prescan() makes this unreachable */
		fail(s->c, "nested deeper than %d levels", MAX_DEPTH);
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

	path_pop(s->c, s->frames[s->depth - 1].base);
	if (memchr(key, '\0', len)) {
		fail(s->c, "a member name contains a NUL byte");
		return 0;
	}
	path_push(s->c, ".%.*s", (int)(len < 256 ? len : 256), (const char *)key);
	return 1;
}

static int nul_on_end(void *ctx)
{
	struct nul_scan *s = ctx;

	path_pop(s->c, s->frames[--s->depth].base);
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
		return fail_oom(c);
	}
	s->c = c;
	yajl_config(h, yajl_allow_comments, 1); /* as yajl_tree_parse does */
	st = yajl_parse(h, (const unsigned char *)json, strlen(json));
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	yajl_free(h);
	free(s);
	path_pop(c, 0);
	/* A syntax error is left for yajl_tree_parse to report. */
	return st == yajl_status_client_canceled ? -1 : 0;
}

/* One cheap pass over the text: nesting depth, and whether a \u0000
 * escape occurs.  Strings and comments (yajl_tree_parse allows them) are
 * skipped so their brackets do not count. */
static int prescan(struct ctx *c, const char *json)
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
				return fail(c, "nested deeper than %d levels", MAX_DEPTH);
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
static int fail_invalid_json(struct ctx *c, const char *json, const char *tree_msg)
{
	size_t len = strlen(json), off, line = 1, col = 0, i;
	yajl_handle h = yajl_alloc(NULL, NULL, NULL);
	unsigned char *msg;
	yajl_status st;
	int r;

	if (!h)
		return fail_oom(c);
	yajl_config(h, yajl_allow_comments, 1); /* as yajl_tree_parse does */
	st = yajl_parse(h, (const unsigned char *)json, len);
	off = yajl_get_bytes_consumed(h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		off = len;
	}
	if (st == yajl_status_ok) { /* the tree failed on its own, out of memory */
		yajl_free(h);
		return fail(c, "invalid JSON: %.*s", (int)strcspn(tree_msg, "\n"), tree_msg);
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
	r = fail(c, "invalid JSON: %.*s at line %zu, column %zu", (int)strcspn((char *)msg, "\n"),
		 (char *)msg, line, col + 1);
	if (*msg)
		yajl_free_error(h, msg);
	yajl_free(h);
	return r;
}

/* ---- values ---------------------------------------------------------- */

struct int_range {
	const char *name;
	int64_t min;
	uint64_t max;
};

static const struct int_range int_ranges[] = {
	[FK_INT32] = { "int32", INT32_MIN, INT32_MAX },
	[FK_INT64] = { "int64", INT64_MIN, INT64_MAX },
	[FK_UINT16] = { "uint16", 0, UINT16_MAX },
	[FK_UINT32] = { "uint32", 0, UINT32_MAX },
	[FK_UINT64] = { "uint64", 0, UINT64_MAX },
	[FK_FILEMODE] = { "FileMode", 0, 0777 },
};

/* From yajl's raw text: u.number.i only holds what fits a long long, and a
 * double would round large uint64 values. */
static int parse_int(struct ctx *c, enum field_kind kind, const struct field *f, yajl_val node,
		     void *dst)
{
	const struct int_range *range = &int_ranges[kind];
	char shown[MSG_VALUE_MAX + 8];
	const char *raw;
	int64_t sval = 0;
	uint64_t uval = 0;
	bool neg;
	char *end;

	if (!YAJL_IS_NUMBER(node))
		return fail(c, "expected an integer");
	raw = node->u.number.r;
	if (strpbrk(raw, ".eE"))
		return fail(c, "expected an integer");
	neg = raw[0] == '-';
	errno = 0;
	if (neg)
		sval = strtoll(raw, &end, 10);
	else
		uval = strtoull(raw, &end, 10);
	if (*end || end == raw)
		return fail(c, "expected an integer");
	if (errno == ERANGE || (neg ? sval < range->min : uval > range->max))
		return fail(c, "%s is out of range for %s", clip(shown, sizeof(shown), raw),
			    range->name);
	if (f->has_min && (neg ? sval < f->min : f->min > 0 && uval < (uint64_t)f->min))
		return fail(c, "%s is less than the minimum %" PRId64,
			    clip(shown, sizeof(shown), raw), f->min);
	if (!neg)
		sval = (int64_t)uval; /* within range->max, so exact for signed kinds */

	switch (kind) {
	case FK_INT32: {
		int32_t v = (int32_t)sval;
		memcpy(dst, &v, sizeof(v));
		break;
	}
	case FK_INT64:
		memcpy(dst, &sval, sizeof(sval));
		break;
	case FK_UINT16: {
		uint16_t v = (uint16_t)uval;
		memcpy(dst, &v, sizeof(v));
		break;
	}
	case FK_UINT32:
	case FK_FILEMODE: {
		uint32_t v = (uint32_t)uval;
		memcpy(dst, &v, sizeof(v));
		break;
	}
	default:
		memcpy(dst, &uval, sizeof(uval));
		break;
	}
	return 0;
}

static int parse_string(struct ctx *c, const struct field *f, yajl_val node, void *dst)
{
	char quoted[MSG_VALUE_MAX * 4 + 16];
	char *copy;

	if (!YAJL_IS_STRING(node))
		return fail(c, "expected a string");
	if (f->check && !f->check(node->u.string))
		return fail(c, "%s does not match %s", quote(quoted, sizeof(quoted), node->u.string),
			    f->pattern);
	copy = strdup(node->u.string);
	if (!copy)
		return fail_oom(c);
	memcpy(dst, &copy, sizeof(copy));
	return 0;
}

static int parse_enum(struct ctx *c, const struct field *f, yajl_val node, void *dst)
{
	char quoted[MSG_VALUE_MAX * 4 + 16];
	int i;

	if (!YAJL_IS_STRING(node))
		return fail(c, "expected a string");
	for (i = 0; f->enum_names[i]; i++) {
		if (strcmp(f->enum_names[i], node->u.string) == 0) {
			memcpy(dst, &i, sizeof(i));
			return 0;
		}
	}
	return fail(c, "invalid value %s", quote(quoted, sizeof(quoted), node->u.string));
}

/* What an array field holds, element by element. */
static void array_elem(const struct field *f, enum field_kind *kind, size_t *size)
{
	switch (f->kind) {
	case FK_STRV:
		*kind = FK_STRING;
		*size = sizeof(char *);
		break;
	case FK_U32V:
		*kind = FK_UINT32;
		*size = sizeof(uint32_t);
		break;
	case FK_ENUMV:
		*kind = FK_ENUM;
		*size = sizeof(int);
		break;
	default:
		*kind = FK_STRUCT;
		*size = f->sub->size;
		break;
	}
}

static int parse_struct(struct ctx *c, const struct schema *s, yajl_val node, void *obj);
static int parse_value(struct ctx *c, enum field_kind kind, const struct field *f, yajl_val node,
		       void *dst);

static int parse_array(struct ctx *c, const struct field *f, yajl_val node, void *dst)
{
	struct any_array a;
	enum field_kind kind;
	size_t size, i;

	if (!YAJL_IS_ARRAY(node))
		return fail(c, "expected an array");
	if (f->nonempty && !node->u.array.len)
		return fail(c, "must not be empty");
	array_elem(f, &kind, &size);
	/* One spare element: a strv is NULL-terminated for execve(). */
	a.v = calloc(node->u.array.len + 1, size);
	if (!a.v)
		return fail_oom(c);
	a.n = node->u.array.len;
	memcpy(dst, &a, sizeof(a));
	for (i = 0; i < a.n; i++) {
		size_t old = path_push(c, "[%zu]", i);
		int r = parse_value(c, kind, f, node->u.array.values[i], (char *)a.v + i * size);

		if (r < 0)
			return r;
		path_pop(c, old);
	}
	return 0;
}

/* A FK_STRING_MAP element is a struct spec_kv; a FK_OBJECT_MAP element is
 * a sub-struct whose first member takes the key (KEY_FIRST in the tables). */
static size_t map_elem_size(const struct field *f)
{
	return f->kind == FK_OBJECT_MAP ? f->sub->size : sizeof(struct spec_kv);
}

/* Entries stay in document order, repeated keys included: consumers apply
 * them in order, so the last one wins as with runc's Go maps. */
static int parse_map(struct ctx *c, const struct field *f, yajl_val node, void *dst)
{
	size_t size = map_elem_size(f), i;
	struct any_array a;

	if (!YAJL_IS_OBJECT(node))
		return fail(c, "expected an object");
	a.v = calloc(node->u.object.len + 1, size);
	if (!a.v)
		return fail_oom(c);
	a.n = node->u.object.len;
	memcpy(dst, &a, sizeof(a));
	for (i = 0; i < a.n; i++) {
		char *elem = (char *)a.v + i * size, *key = strdup(node->u.object.keys[i]);
		yajl_val value = node->u.object.values[i];
		size_t old;
		int r;

		if (!key)
			return fail_oom(c);
		memcpy(elem, &key, sizeof(key));
		old = path_push(c, ".%s", key);
		if (f->kind == FK_STRING_MAP)
			r = parse_string(c, f, value, elem + offsetof(struct spec_kv, value));
		else
			r = parse_value(c, FK_STRUCT, f, value, elem);
		if (r < 0)
			return r;
		path_pop(c, old);
	}
	return 0;
}

static int parse_value(struct ctx *c, enum field_kind kind, const struct field *f, yajl_val node,
		       void *dst)
{
	switch (kind) {
	case FK_STRING:
		return parse_string(c, f, node, dst);
	case FK_BOOL: {
		bool b = YAJL_IS_TRUE(node);

		if (!b && !YAJL_IS_FALSE(node))
			return fail(c, "expected a boolean");
		memcpy(dst, &b, sizeof(b));
		return 0;
	}
	case FK_INT32:
	case FK_INT64:
	case FK_UINT16:
	case FK_UINT32:
	case FK_UINT64:
	case FK_FILEMODE:
		return parse_int(c, kind, f, node, dst);
	case FK_ENUM:
		return parse_enum(c, f, node, dst);
	case FK_OBJECT: {
		void *obj;

		if (!YAJL_IS_OBJECT(node))
			return fail(c, "expected an object");
		obj = calloc(1, f->sub->size);
		if (!obj)
			return fail_oom(c);
		memcpy(dst, &obj, sizeof(obj));
		return parse_struct(c, f->sub, node, obj);
	}
	case FK_STRUCT:
		if (!YAJL_IS_OBJECT(node))
			return fail(c, "expected an object");
		return parse_struct(c, f->sub, node, dst);
	case FK_ARRAY:
	case FK_STRV:
	case FK_U32V:
	case FK_ENUMV:
		return parse_array(c, f, node, dst);
	case FK_STRING_MAP:
	case FK_OBJECT_MAP:
		return parse_map(c, f, node, dst);
	}
	return fail(c, "internal error: unknown field kind %d", (int)kind);
}

/* The last of repeated members wins, as with Go's decoder (runc). */
static yajl_val find_member(yajl_val obj, const char *name)
{
	size_t i = obj->u.object.len;

	while (i--)
		if (strcmp(obj->u.object.keys[i], name) == 0)
			return obj->u.object.values[i];
	return NULL;
}

/* Members not in the table are never looked at: unknown fields are
 * ignored, as the spec requires.  An optional member set to null counts
 * as absent, as runc reads it. */
static int parse_struct(struct ctx *c, const struct schema *s, yajl_val node, void *obj)
{
	const char *missing;
	size_t i;

	for (i = 0; i < s->n_fields; i++) {
		const struct field *f = &s->fields[i];
		yajl_val value = find_member(node, f->name);
		size_t old;
		int r;

		if (!value || (YAJL_IS_NULL(value) && !f->required)) {
			if (!f->required)
				continue;
			path_push(c, ".%s", f->name);
			return fail(c, "missing required field");
		}
		old = path_push(c, ".%s", f->name);
		r = parse_value(c, f->kind, f, value, (char *)obj + f->offset);
		if (r < 0)
			return r;
		path_pop(c, old);
		if (f->has) {
			bool present = true;
			memcpy((char *)obj + f->has_offset, &present, sizeof(present));
		}
	}
	if (s->missing && (missing = s->missing(obj))) {
		path_push(c, ".%s", missing);
		return fail(c, "missing required field");
	}
	return 0;
}

/* ---- freeing ----------------------------------------------------------- */

static void free_value(enum field_kind kind, const struct field *f, void *p)
{
	switch (kind) {
	case FK_STRING: {
		char *s;

		memcpy(&s, p, sizeof(s));
		free(s);
		break;
	}
	case FK_OBJECT: {
		void *obj;

		memcpy(&obj, p, sizeof(obj));
		if (obj)
			free_struct(f->sub, obj);
		free(obj);
		break;
	}
	case FK_STRUCT:
		free_struct(f->sub, p);
		break;
	case FK_ARRAY:
	case FK_STRV:
	case FK_U32V:
	case FK_ENUMV: {
		struct any_array a;
		enum field_kind elem;
		size_t size, i;

		memcpy(&a, p, sizeof(a));
		array_elem(f, &elem, &size);
		if (elem == FK_STRING || elem == FK_STRUCT)
			for (i = 0; i < a.n; i++)
				free_value(elem, f, (char *)a.v + i * size);
		free(a.v);
		break;
	}
	case FK_STRING_MAP:
	case FK_OBJECT_MAP: {
		size_t size = map_elem_size(f), i;
		struct any_array a;

		memcpy(&a, p, sizeof(a));
		for (i = 0; i < a.n; i++) {
			char *elem = (char *)a.v + i * size;

			free_value(FK_STRING, f, elem); /* the key */
			if (f->kind == FK_STRING_MAP)
				free_value(FK_STRING, f, elem + offsetof(struct spec_kv, value));
			else
				free_struct(f->sub, elem);
		}
		free(a.v);
		break;
	}
	default:
		break; /* scalars own nothing */
	}
}

static void free_struct(const struct schema *s, void *obj)
{
	size_t i;

	for (i = 0; i < s->n_fields; i++)
		free_value(s->fields[i].kind, &s->fields[i], (char *)obj + s->fields[i].offset);
}

static void free_document(const struct schema *s, void *obj)
{
	if (obj) {
		free_struct(s, obj);
		free(obj);
	}
}

/* ---- entry points ------------------------------------------------------ */

static void *parse_document(const char *json, const char *what, const struct schema *s,
			    struct error *err)
{
	struct ctx c = { .what = what ? what : "config.json", .err = err };
	char yajl_msg[1024] = "";
	yajl_val root;
	void *obj;

	if (prescan(&c, json) < 0)
		return NULL;
	root = yajl_tree_parse(json, yajl_msg, sizeof(yajl_msg));
	if (!root) {
		fail_invalid_json(&c, json, yajl_msg);
		return NULL;
	}
	if (!YAJL_IS_OBJECT(root)) {
		fail(&c, "expected an object");
		yajl_tree_free(root);
		return NULL;
	}
	obj = calloc(1, s->size);
	if (!obj) {
		fail_oom(&c);
	} else if (parse_struct(&c, s, root, obj) < 0) {
		free_document(s, obj);
		obj = NULL;
	}
	yajl_tree_free(root);
	return obj;
}

struct spec *spec_parse(const char *json, const char *what, struct error *err)
{
	return parse_document(json, what, &spec_schema_config, err);
}

struct spec_process *spec_parse_process(const char *json, const char *what, struct error *err)
{
	return parse_document(json, what, &spec_schema_process, err);
}

struct spec_resources *spec_parse_resources(const char *json, const char *what,
					    struct error *err)
{
	return parse_document(json, what, &spec_schema_resources, err);
}

/* The whole file, NUL-terminated; *len excludes the terminator. */
static char *read_file(const char *path, size_t *len, struct error *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	cleanup_free char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (fd < 0) {
		error_sys(err, "open %s", path);
		return NULL;
	}
	for (*len = 0;; *len += (size_t)n) {
		if (cap - *len < 4096) {
			char *bigger = cap < MAX_FILE_SIZE ? realloc(buf, 2 * cap + 16384 + 1) : NULL;

			if (!bigger) {
				error_set(err, cap < MAX_FILE_SIZE ? ENOMEM : EFBIG, "read %s", path);
				return NULL;
			}
			buf = bigger;
			cap = 2 * cap + 16384;
		}
		do
			n = read(fd, buf + *len, cap - *len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			error_sys(err, "read %s", path);
			return NULL;
		}
		if (n == 0)
			break;
	}
	buf[*len] = '\0';
	return steal_ptr(&buf);
}

struct spec *spec_parse_file(const char *path, struct error *err)
{
	const char *slash = strrchr(path, '/'), *what = slash ? slash + 1 : path;
	cleanup_free char *json = NULL;
	size_t len;
	char *nul;

	json = read_file(path, &len, err);
	if (!json)
		return NULL;
	/* A raw NUL would end the text early for yajl; JSON never has one. */
	nul = memchr(json, '\0', len);
	if (nul) {
		error_set(err, 0, "%s: invalid JSON: NUL byte at offset %zu", what,
			  (size_t)(nul - json));
		return NULL;
	}
	return spec_parse(json, what, err);
}

void spec_free(struct spec *spec)
{
	free_document(&spec_schema_config, spec);
}

void spec_process_free(struct spec_process *process)
{
	free_document(&spec_schema_process, process);
}

void spec_resources_free(struct spec_resources *resources)
{
	free_document(&spec_schema_resources, resources);
}
