/*
 * yamlnode.h: the only user of libyaml.
 *
 * Parses YAML text into a small tree that remembers where each node came
 * from (line and column, 1-based), whether a scalar was plain (subject to
 * type resolution) or quoted, and converts trees into struct value.
 *
 * Hostile input is expected: aliases are expanded under a node budget,
 * nesting depth is bounded, and errors are "NAME:LINE:COL: message".
 */
#ifndef GUILD_YAMLNODE_H
#define GUILD_YAMLNODE_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

enum ynode_kind {
	YNODE_SCALAR,
	YNODE_SEQ,
	YNODE_MAP,
};

struct ynode {
	enum ynode_kind	 kind;
	unsigned	 line, col;	/* 1-based, in file */
	const char	*file;		/* name used in messages; owned by the tree root */
	char		*str;		/* scalar text (NUL-terminated; may hold NULs) */
	size_t		 len;
	bool		 plain;		/* plain scalar: resolve its type */
	size_t		 n;		/* items (seq) or pairs (map) */
	struct ynode	**items;	/* seq items, or map values */
	struct ynode	**keys;		/* map keys (scalars in practice) */
};

/* Parse the first document; an empty document gives NULL with *cause NULL. */
struct ynode	*ynode_parse(const char *buf, size_t len, const char *name,
		    char **cause);
struct ynode	*ynode_parse_file(const char *path, const char *name, char **cause);
void		 ynode_free(struct ynode *);
struct ynode	*ynode_dup(const struct ynode *);

/* Map lookup by key text (the last pair wins, as PyYAML does). */
struct ynode	*ynode_get(const struct ynode *map, const char *key);
/* A scalar that resolves to null (~, null, empty plain). */
bool		 ynode_is_null(const struct ynode *);
/* Resolve to a value (scalars as PyYAML's SafeLoader with Guild's patch). */
struct value	*ynode_to_value(const struct ynode *);
/* Build a tree from a value (positions are 0). */
struct ynode	*ynode_from_value(const struct value *);

/*
 * Parse YAML text (an attribute file, a flag value on the command line)
 * into a value. Empty text is null.
 */
struct value	*yaml_parse_value(const char *text, size_t len, char **cause);

#endif
