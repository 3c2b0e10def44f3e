/* spec_schema.h: the descriptor tables that drive spec_parse.c.
 *
 * Private to the parser.  Each struct of spec.h has a `struct schema` in
 * spec_schema.c listing its JSON fields; one generic walker parses and frees
 * every struct from these rows, so a new spec field is a new table row.
 */
#ifndef OCI_RT_SPEC_SCHEMA_H
#define OCI_RT_SPEC_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h" /* ARRAY_SIZE */

enum field_kind {
	FK_STRING,     /* char * */
	FK_BOOL,       /* bool */
	FK_INT32,      /* int32_t */
	FK_INT64,      /* int64_t */
	FK_UINT16,     /* uint16_t */
	FK_UINT32,     /* uint32_t */
	FK_UINT64,     /* uint64_t */
	FK_FILEMODE,   /* uint32_t, 0..0777 */
	FK_ENUM,       /* int, index into enum_names */
	FK_OBJECT,     /* pointer to a sub-struct, NULL when absent */
	FK_STRUCT,     /* sub-struct stored in place (elements of FK_ARRAY) */
	FK_ARRAY,      /* { v, n } of sub-structs */
	FK_STRV,       /* struct strv */
	FK_U32V,       /* struct u32v */
	FK_ENUMV,      /* struct enumv */
	FK_STRING_MAP, /* struct spec_kv_array */
	FK_OBJECT_MAP, /* { v, n } of sub-structs whose first member is char *key */
};

struct schema;

struct field {
	const char *name; /* JSON member name */
	enum field_kind kind;
	size_t offset; /* of the C member in the enclosing struct */
	bool required;
	bool has;          /* a `bool has_<member>` is set when present */
	size_t has_offset;
	const struct schema *sub;      /* FK_OBJECT, FK_ARRAY, FK_OBJECT_MAP */
	const char *const *enum_names; /* FK_ENUM, FK_ENUMV; NULL-terminated */
	/* FK_STRING: the schema's `pattern`, checked by hand; `pattern` is
	 * only quoted in the message. */
	bool (*check)(const char *s);
	const char *pattern;
	bool nonempty; /* arrays: minItems 1 */
	bool has_min;  /* integers: minimum */
	int64_t min;
};

struct schema {
	size_t size; /* of the C struct */
	const struct field *fields;
	size_t n_fields;
	/* Requirements that depend on other members (device major/minor unless
	 * type is "p"): the JSON name of a member that must be present but is
	 * not, or NULL.  Called after all fields parsed. */
	const char *(*missing)(const void *obj);
};

/* The three documents the parser accepts. */
extern const struct schema spec_schema_config;    /* struct spec */
extern const struct schema spec_schema_process;   /* struct spec_process */
extern const struct schema spec_schema_resources; /* struct spec_resources */

#endif
