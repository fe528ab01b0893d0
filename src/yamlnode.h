/*
 * yamlnode.h: the only user of libyaml.
 *
 * Parses YAML text into a small tree that remembers where each node came
 * from (line and column, 1-based), whether a scalar was plain (subject to
 * type resolution) or quoted, and converts trees into struct value.
 *
 * Hostile input is expected: aliases are expanded under a node budget,
 * nesting depth is bounded, and errors are "NAME:LINE:COL: message".
 *
 * Map keys are always scalars and unique within a map: duplicates are
 * folded as PyYAML does (the key keeps its first position, the last value
 * wins) and merge keys (<<: *base) are applied while parsing.
 */
#ifndef GUILD_YAMLNODE_H
#define GUILD_YAMLNODE_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

/* Limits for one document (after alias expansion). */
#define YNODE_MAX_NODES		1000000
#define YNODE_MAX_DEPTH		256

enum ynode_kind {
	YNODE_SCALAR,
	YNODE_SEQ,
	YNODE_MAP,
};

struct ynode {
	enum ynode_kind	 kind;
	unsigned	 line, col;	/* 1-based, in file; 0 when made up */
	const char	*file;		/* name used in messages, or NULL */
	bool		 own_file;	/* file is this node's to free */
	char		*str;		/* scalar text (NUL-terminated; may hold NULs) */
	size_t		 len;
	bool		 plain;		/* plain scalar: resolve its type */
	size_t		 n;		/* items (seq) or pairs (map) */
	size_t		 alloc;
	struct ynode	**items;	/* seq items, or map values */
	struct ynode	**keys;		/* map keys (always scalars) */
};

/*
 * Parse the single document of a stream; an empty stream gives NULL with
 * *cause NULL. name prefixes messages; NULL gives "LINE:COL: message".
 * A second document is an error, as with PyYAML's safe_load.
 */
struct ynode	*ynode_parse(const char *buf, size_t len, const char *name,
		    char **cause);
/* Read a regular file (at most 64 MiB) and parse it. */
struct ynode	*ynode_parse_file(const char *path, const char *name, char **cause);
void		 ynode_free(struct ynode *);
/* Deep copy; the copy owns copies of the file names it needs. */
struct ynode	*ynode_dup(const struct ynode *);

/* Map lookup by key text; NULL when absent or map is not a map. */
struct ynode	*ynode_get(const struct ynode *map, const char *key);
/* A scalar that resolves to null (~, null, empty plain). */
bool		 ynode_is_null(const struct ynode *);
/* Resolve to a value (scalars as PyYAML's SafeLoader with Guild's patch). */
struct value	*ynode_to_value(const struct ynode *);
/* Build a tree from a value (positions are 0). */
struct ynode	*ynode_from_value(const struct value *);

/*
 * Building trees. New nodes take their position and file name from at
 * (which may be NULL). ynode_map_push does not look for an existing key:
 * the caller keeps keys unique. Both take ownership of what they add.
 */
struct ynode	*ynode_new_scalar(const char *s, size_t len, bool plain,
		    const struct ynode *at);
struct ynode	*ynode_new_seq(const struct ynode *at);
struct ynode	*ynode_new_map(const struct ynode *at);
void		 ynode_seq_push(struct ynode *seq, struct ynode *item);
void		 ynode_map_push(struct ynode *map, struct ynode *key,
		    struct ynode *value);
/* Nodes in a tree, and the bytes of its scalars (for budgets). */
size_t		 ynode_count(const struct ynode *, size_t *bytes);

/*
 * Parse YAML text (an attribute file, a flag value on the command line)
 * into a value. Empty text is null.
 */
struct value	*yaml_parse_value(const char *text, size_t len, char **cause);

#endif
