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
#include "spec_parse.h"
#include "spec_schema.h"

/* A config.json is kilobytes; this only stops a runaway read. */
#define MAX_FILE_SIZE (64u << 20)

/* Every SPEC_ARRAY has this layout, whatever its element type. */
struct any_array {
	void *v;
	size_t n;
};

static void free_struct(const struct schema *s, void *obj);

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
		return spec_fail(c, "expected an integer");
	raw = node->u.number.r;
	if (strpbrk(raw, ".eE"))
		return spec_fail(c, "expected an integer");
	neg = raw[0] == '-';
	errno = 0;
	if (neg)
		sval = strtoll(raw, &end, 10);
	else
		uval = strtoull(raw, &end, 10);
	if (*end || end == raw)
		return spec_fail(c, "expected an integer");
	if (errno == ERANGE || (neg ? sval < range->min : uval > range->max))
		return spec_fail(c, "%s is out of range for %s", spec_clip(shown, sizeof(shown), raw),
			    range->name);
	if (f->has_min && (neg ? sval < f->min : f->min > 0 && uval < (uint64_t)f->min))
		return spec_fail(c, "%s is less than the minimum %" PRId64,
			    spec_clip(shown, sizeof(shown), raw), f->min);
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
		return spec_fail(c, "expected a string");
	if (f->check && !f->check(node->u.string))
		return spec_fail(c, "%s does not match %s", spec_quote(quoted, sizeof(quoted), node->u.string),
			    f->pattern);
	copy = strdup(node->u.string);
	if (!copy)
		return spec_fail_oom(c);
	memcpy(dst, &copy, sizeof(copy));
	return 0;
}

static int parse_enum(struct ctx *c, const struct field *f, yajl_val node, void *dst)
{
	char quoted[MSG_VALUE_MAX * 4 + 16];
	int i;

	if (!YAJL_IS_STRING(node))
		return spec_fail(c, "expected a string");
	for (i = 0; f->enum_names[i]; i++) {
		if (strcmp(f->enum_names[i], node->u.string) == 0) {
			memcpy(dst, &i, sizeof(i));
			return 0;
		}
	}
	return spec_fail(c, "invalid value %s", spec_quote(quoted, sizeof(quoted), node->u.string));
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
		return spec_fail(c, "expected an array");
	if (f->nonempty && !node->u.array.len)
		return spec_fail(c, "must not be empty");
	array_elem(f, &kind, &size);
	/* One spare element: a strv is NULL-terminated for execve(). */
	a.v = calloc(node->u.array.len + 1, size);
	if (!a.v)
		return spec_fail_oom(c);
	a.n = node->u.array.len;
	memcpy(dst, &a, sizeof(a));
	for (i = 0; i < a.n; i++) {
		size_t old = spec_path_index(c, i);
		int r = parse_value(c, kind, f, node->u.array.values[i], (char *)a.v + i * size);

		if (r < 0)
			return r;
		spec_path_pop(c, old);
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
		return spec_fail(c, "expected an object");
	a.v = calloc(node->u.object.len + 1, size);
	if (!a.v)
		return spec_fail_oom(c);
	a.n = node->u.object.len;
	memcpy(dst, &a, sizeof(a));
	for (i = 0; i < a.n; i++) {
		char *elem = (char *)a.v + i * size, *key = strdup(node->u.object.keys[i]);
		yajl_val value = node->u.object.values[i];
		size_t old;
		int r;

		if (!key)
			return spec_fail_oom(c);
		memcpy(elem, &key, sizeof(key));
		old = spec_path_key(c, key, strlen(key));
		if (f->kind == FK_STRING_MAP)
			r = parse_string(c, f, value, elem + offsetof(struct spec_kv, value));
		else
			r = parse_value(c, FK_STRUCT, f, value, elem);
		if (r < 0)
			return r;
		spec_path_pop(c, old);
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
			return spec_fail(c, "expected a boolean");
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
			return spec_fail(c, "expected an object");
		obj = calloc(1, f->sub->size);
		if (!obj)
			return spec_fail_oom(c);
		memcpy(dst, &obj, sizeof(obj));
		return parse_struct(c, f->sub, node, obj);
	}
	case FK_STRUCT:
		if (!YAJL_IS_OBJECT(node))
			return spec_fail(c, "expected an object");
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
	return spec_fail(c, "internal error: unknown field kind %d", (int)kind);
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
			spec_path_key(c, f->name, strlen(f->name));
			return spec_fail(c, "missing required field");
		}
		old = spec_path_key(c, f->name, strlen(f->name));
		r = parse_value(c, f->kind, f, value, (char *)obj + f->offset);
		if (r < 0)
			return r;
		spec_path_pop(c, old);
		if (f->has) {
			bool present = true;
			memcpy((char *)obj + f->has_offset, &present, sizeof(present));
		}
	}
	if (s->missing && (missing = s->missing(obj))) {
		spec_path_key(c, missing, strlen(missing));
		return spec_fail(c, "missing required field");
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

	if (spec_json_prescan(&c, json) < 0)
		return NULL;
	root = yajl_tree_parse(json, yajl_msg, sizeof(yajl_msg));
	if (!root) {
		spec_json_invalid(&c, json, yajl_msg);
		return NULL;
	}
	if (!YAJL_IS_OBJECT(root)) {
		spec_fail(&c, "expected an object");
		yajl_tree_free(root);
		return NULL;
	}
	obj = calloc(1, s->size);
	if (!obj) {
		spec_fail_oom(&c);
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
	cleanup_close int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
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
