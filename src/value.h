/*
 * value.h: dynamically typed values (the data model of YAML as Guild uses
 * it): flag values, attribute values, guild.yml data after resolution.
 *
 * Values are trees; every node is owned by its parent. Scalars follow
 * YAML 1.1 as PyYAML resolves them, with Guild's float patch (1e3 is a
 * float): see yamlnode.h for parsing and value_encode_yaml() for output.
 */
#ifndef GUILD_VALUE_H
#define GUILD_VALUE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

enum value_type {
	VALUE_NULL,
	VALUE_BOOL,
	VALUE_INT,
	VALUE_FLOAT,
	VALUE_STRING,
	VALUE_LIST,
	VALUE_MAP,
};

struct value {
	enum value_type	 type;
	union {
		bool		 b;
		long long	 i;
		double		 f;
		char		*s;
		struct {
			struct value	**v;
			size_t		  n, alloc;
		} list;
		struct {
			char		**k;	/* keys, in insertion order */
			struct value	**v;
			size_t		  n, alloc;
		} map;
	} u;
};

struct value	*value_null(void);
struct value	*value_bool(bool);
struct value	*value_int(long long);
struct value	*value_float(double);
struct value	*value_string(const char *);
struct value	*value_string_n(const char *, size_t);
struct value	*value_list(void);
struct value	*value_map(void);
void		 value_free(struct value *);
struct value	*value_dup(const struct value *);
bool		 value_equal(const struct value *, const struct value *);

/* Append to a list (takes ownership). */
void		 value_list_push(struct value *list, struct value *item);
/* Set a map key (takes ownership of item; replaces an existing key). */
void		 value_map_set(struct value *map, const char *key, struct value *item);
/* Remove a key; returns true when it was there. */
bool		 value_map_del(struct value *map, const char *key);
/* Look up a key; NULL when absent or when map is not a map. */
struct value	*value_map_get(const struct value *map, const char *key);
/* Sort a map's keys (byte order, as PyYAML's safe_dump does). */
void		 value_map_sort(struct value *map);

/* Numeric value of an int or float; false for other types. */
bool		 value_number(const struct value *, double *out);

/*
 * Python's repr() of a float: the shortest text that reads back exactly,
 * with ".0" on integral values, "inf", "-inf", "nan", and exponent form
 * as Python writes it (1e-05, 1e+16).
 */
void		 format_double(struct strbuf *, double);

/*
 * Python's repr() of a str: single quotes unless the text has some and no
 * double quotes, backslash escapes for quotes, \\, \n, \r, \t and other
 * control characters; other bytes as they are.
 */
void		 format_str_repr(struct strbuf *, const char *);
/*
 * Python's str() of a value (repr() when repr is set): None, True,
 * False, floats as repr, lists and maps with their items as repr().
 */
void		 value_format_py(struct strbuf *, const struct value *, bool repr);

/* strtod() in the C locale, whatever LC_NUMERIC says. */
double		 value_strtod(const char *, char **end);

/*
 * Guild's flag encoding for display and command lines
 * (flag_util.encode_flag_val): true/false become yes/no, null is "null",
 * floats as PyYAML writes them (Python repr, but 1.0e-05 and .inf),
 * strings as they are unless they would read back as another type (then
 * single-quoted), lists and maps in YAML flow style. Always one line.
 */
void		 value_format_flag(struct strbuf *, const struct value *);

/*
 * YAML text as Guild writes attribute files (PyYAML safe_dump,
 * default_flow_style=False, indent=2, keys sorted, Guild's strict y/n
 * quoting), ending in one newline. Strings are quoted exactly when PyYAML
 * would quote them. Unlike PyYAML, long lines are never folded at 80
 * columns (the text reads back the same).
 */
void		 value_encode_yaml(struct strbuf *, const struct value *);
/*
 * Single-line YAML flow style: [1, 2], {a: 1}, 'yes'; no newline added.
 * Multi-line strings are double-quoted so the text stays on one line.
 */
void		 value_encode_flow(struct strbuf *, const struct value *);
/*
 * JSON for --json, laid out as Python's json.dumps() lays it out (", "
 * and ": " separators, keys in the map's order, floats as repr). NaN
 * and infinities, which JSON cannot write, are null, as is a NULL value.
 * Control characters and DEL are escaped; other bytes go as they are.
 */
void		 value_encode_json(struct strbuf *, const struct value *);

/*
 * Resolve a plain (unquoted) YAML scalar as PyYAML's SafeLoader would,
 * with Guild's float patch: null/~/"", yes/no/true/false/on/off (in the
 * three spellings YAML 1.1 allows), ints (decimal, 0x, 0b, old octal 017,
 * underscores, sexagesimal 1:30 = 90), floats (.5, 1., 1e3, 1:30.5, .inf,
 * .nan), else a string. As in PyYAML, 0o17 and timestamps stay strings;
 * ints beyond long long become the nearest double.
 */
struct value	*value_from_plain_scalar(const char *text, size_t len);

#endif
