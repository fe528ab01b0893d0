/*
 * guildfile.c: guild.yml into struct guildfile.
 *
 * Loading follows Guild 0.9 (guild/guildfile.py) in stages, all on ynode
 * trees so that every error can point at a line and column:
 *
 *   1. parse each file and coerce its top-level items (the three forms,
 *      "op: main" strings, scalar flags), splicing include: files in;
 *   2. for each model: copy its data, apply extends parents, substitute
 *      {{ params }};
 *   3. resolve $include in operations, resources and flags, apply
 *      operation-defaults, and read every attribute into the structs.
 *
 * Copies made in stages 2 and 3 are charged to a budget, so no input can
 * make the loader run away (a chain of extends or params doubling itself
 * fails with a message instead).
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guildfile.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

#define GF_NAME			GUILDFILE_NAME
#define GF_MAX_NODES		4000000
#define GF_MAX_BYTES		(64u * 1024 * 1024)
#define GF_MAX_NESTING		64	/* include:, extends, $include */
#define GF_PARAM_ROUNDS		100
#define GF_MAX_INCLUDES		1000	/* files read through include: */

/* A string set and map-key index: open addressing on FNV-1a. */
struct strset {
	char	**slots;
	size_t	  n, cap;
};

/* Names to indexes. */
struct smap {
	char	**keys;
	size_t	 *vals;
	size_t	  n, cap;
};

struct kindex {
	const struct ynode *map;
	size_t	*slots;		/* pair index + 1; 0 is empty */
	size_t	 n, cap;
};

struct gload {
	struct guildfile *gf;
	struct ynode	**roots;	/* parsed files, freed at the end */
	size_t		  nroots, roots_alloc;
	struct ynode	**items;	/* coerced top-level items */
	size_t		  nitems, items_alloc;
	struct strvec	  included;	/* real paths, outermost first */
	struct strvec	  included_names;
	size_t		  nincludes;
	struct strset	  warned;
	struct smap	  item_names;	/* model/config name -> first item */
	struct smap	  memo;		/* name -> extended data in memo_data */
	struct ynode	**memo_data;
	size_t		  nmemo;
	size_t		  nodes, bytes;
	char		**cause;
};

struct param {
	const char	*name;
	struct ynode	*value;
	char		*text;		/* str() of value, made when needed */
	size_t		 len;
};

struct params {
	struct param	*v;
	size_t		 n;
	struct smap	 index;		/* name -> v[] */
	bool		 owned;		/* values are ours to free */
};

static const char *const all_types[] = { "config", "include", "model",
    "package" };

/* Attribute names, sorted: unknown ones are warnings. */
static const char *const model_attrs[] = { "config", "default", "description",
    "extends", "extra", "flags", "model", "operation-defaults", "operations",
    "params", "plugins", "python-requires", "references", "resources",
    "sourcecode" };
static const char *const op_attrs[] = { "can-stage-trials", "compare",
    "default", "default-flag-arg-skip", "default-max-trials",
    "delete-on-success", "description", "env", "env-secrets", "exec",
    "flag-encoder", "flags", "flags-dest", "flags-import",
    "flags-import-skip", "handle-keyboard-interrupt", "label", "main",
    "notebook", "objective", "optimizer", "optimizers", "output-attrs",
    "output-scalars", "pip-freeze", "plugins", "publish", "python-path",
    "python-requires", "requires", "run-attrs", "sourcecode", "steps",
    "stoppable", "tags" };
static const char *const flag_attrs[] = { "alias", "allow-other",
    "arg-encoding", "arg-name", "arg-skip", "arg-split", "arg-switch",
    "choices", "default", "description", "distribution", "env-encoding",
    "env-name", "max", "min", "null-label", "required", "type" };
static const char *const choice_attrs[] = { "alias", "description", "flags",
    "value" };
static const char *const resource_attrs[] = { "default-unpack",
    "description", "flag-name", "path", "preserve-path", "private",
    "references", "sources", "target-path", "target-type" };
static const char *const inline_resource_attrs[] = { "default-unpack",
    "description", "flag-name", "name", "path", "preserve-path", "private",
    "references", "sources", "target-path", "target-type" };
static const char *const source_attrs[] = { "always-resolve", "config",
    "fail-if-empty", "file", "flag-name", "help", "module", "name",
    "operation", "optional", "params", "path", "post-process",
    "preserve-path", "rename", "replace-existing", "select", "select-max",
    "select-min", "sha256", "target-path", "target-type", "type", "unpack",
    "url", "warn-if-empty" };
static const char *const sourcecode_attrs[] = { "dest", "digest", "root",
    "select" };
static const char *const select_attrs[] = { "exclude", "include" };

static const char *const inheritable[] = { "description", "extra", "flags",
    "operation-defaults", "operations", "params", "references", "resources",
    "sourcecode" };

static const char *const source_types[] = { "file", "url", "module",
    "config", "operation" };

static const char *const flag_type_names[] = {
	[FLAG_TYPE_AUTO] = "auto",
	[FLAG_TYPE_STRING] = "string",
	[FLAG_TYPE_INT] = "int",
	[FLAG_TYPE_FLOAT] = "float",
	[FLAG_TYPE_NUMBER] = "number",
	[FLAG_TYPE_BOOLEAN] = "boolean",
	[FLAG_TYPE_PATH] = "path",
	[FLAG_TYPE_EXISTING_PATH] = "existing-path",
};

static int	apply_section(struct gload *, const struct ynode *,
		    const char *, struct strset *, struct ynode *,
		    struct kindex *, const struct strvec *, unsigned);
static int	read_resource(struct gload *, const char *,
		    const struct ynode *, const struct ynode *, bool,
		    struct resdef **);
static void	resdef_free(struct resdef *);

/* ---------------------------------------------------------------- */
/* Small containers. */

static uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
strset_grow(struct strset *set)
{
	char	**old = set->slots;
	size_t	  i, j, oldcap = set->cap;

	set->cap = oldcap == 0 ? 16 : oldcap * 2;
	set->slots = xcalloc(set->cap, sizeof *set->slots);
	for (i = 0; i < oldcap; i++) {
		if (old[i] == NULL)
			continue;
		j = hash_bytes(old[i], strlen(old[i])) & (set->cap - 1);
		while (set->slots[j] != NULL)
			j = (j + 1) & (set->cap - 1);
		set->slots[j] = old[i];
	}
	free(old);
}

/* Add s; false when it was there already. */
static bool
strset_add(struct strset *set, const char *s)
{
	size_t	j;

	if ((set->n + 1) * 2 > set->cap)
		strset_grow(set);
	j = hash_bytes(s, strlen(s)) & (set->cap - 1);
	while (set->slots[j] != NULL) {
		if (strcmp(set->slots[j], s) == 0)
			return false;
		j = (j + 1) & (set->cap - 1);
	}
	set->slots[j] = xstrdup(s);
	set->n++;
	return true;
}

static void
strset_clear(struct strset *set)
{
	size_t	i;

	for (i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof *set);
}

static void
smap_grow(struct smap *m)
{
	char	**keys = m->keys;
	size_t	 *vals = m->vals, i, j, cap = m->cap;

	m->cap = cap == 0 ? 16 : cap * 2;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
	for (i = 0; i < cap; i++) {
		if (keys[i] == NULL)
			continue;
		j = hash_bytes(keys[i], strlen(keys[i])) & (m->cap - 1);
		while (m->keys[j] != NULL)
			j = (j + 1) & (m->cap - 1);
		m->keys[j] = keys[i];
		m->vals[j] = vals[i];
	}
	free(keys);
	free(vals);
}

/* Add key -> val unless key is there already. */
static void
smap_add(struct smap *m, const char *key, size_t val)
{
	size_t	j;

	if ((m->n + 1) * 2 > m->cap)
		smap_grow(m);
	j = hash_bytes(key, strlen(key)) & (m->cap - 1);
	while (m->keys[j] != NULL) {
		if (strcmp(m->keys[j], key) == 0)
			return;
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j] = xstrdup(key);
	m->vals[j] = val;
	m->n++;
}

static bool
smap_get(const struct smap *m, const char *key, size_t *val)
{
	size_t	j;

	if (m->cap == 0)
		return false;
	j = hash_bytes(key, strlen(key)) & (m->cap - 1);
	while (m->keys[j] != NULL) {
		if (strcmp(m->keys[j], key) == 0) {
			*val = m->vals[j];
			return true;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return false;
}

static void
smap_clear(struct smap *m)
{
	size_t	i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static void
kindex_insert(struct kindex *ki, size_t i)
{
	const struct ynode	*k = ki->map->keys[i];
	size_t			 j;

	j = hash_bytes(k->str, k->len) & (ki->cap - 1);
	while (ki->slots[j] != 0)
		j = (j + 1) & (ki->cap - 1);
	ki->slots[j] = i + 1;
}

static void
kindex_rebuild(struct kindex *ki, size_t want)
{
	size_t	i;

	ki->cap = 16;
	while (ki->cap < want * 2)
		ki->cap *= 2;
	free(ki->slots);
	ki->slots = xcalloc(ki->cap, sizeof *ki->slots);
	for (i = 0; i < ki->map->n; i++)
		kindex_insert(ki, i);
	ki->n = ki->map->n;
}

static void
kindex_init(struct kindex *ki, const struct ynode *map)
{
	memset(ki, 0, sizeof *ki);
	ki->map = map;
	kindex_rebuild(ki, map->n + 1);
}

/* Index of key in the map, or -1. */
static ssize_t
kindex_find(const struct kindex *ki, const char *key, size_t len)
{
	const struct ynode	*k;
	size_t			 j;

	j = hash_bytes(key, len) & (ki->cap - 1);
	while (ki->slots[j] != 0) {
		k = ki->map->keys[ki->slots[j] - 1];
		if (k->len == len && memcmp(k->str, key, len) == 0)
			return (ssize_t)(ki->slots[j] - 1);
		j = (j + 1) & (ki->cap - 1);
	}
	return -1;
}

/* Note the pair just pushed onto the map. */
static void
kindex_added(struct kindex *ki)
{
	if ((ki->map->n + 1) * 2 > ki->cap)
		kindex_rebuild(ki, ki->map->n + 1);
	else {
		kindex_insert(ki, ki->map->n - 1);
		ki->n++;
	}
}

static void
kindex_free(struct kindex *ki)
{
	free(ki->slots);
	ki->slots = NULL;
}

/*
 * Building a value map without value_map_set's linear search, which would
 * make a hostile map of many keys quadratic.
 */
struct vbuild {
	struct value	*map;
	size_t		*slots;		/* index + 1; 0 is empty */
	size_t		 cap;
};

static void
vbuild_insert(struct vbuild *vb, size_t i)
{
	const char	*k = vb->map->u.map.k[i];
	size_t		 j;

	j = hash_bytes(k, strlen(k)) & (vb->cap - 1);
	while (vb->slots[j] != 0)
		j = (j + 1) & (vb->cap - 1);
	vb->slots[j] = i + 1;
}

static void
vbuild_init(struct vbuild *vb)
{
	vb->map = value_map();
	vb->cap = 16;
	vb->slots = xcalloc(vb->cap, sizeof *vb->slots);
}

/* Set key (replacing an earlier value); takes ownership of v. */
static void
vbuild_set(struct vbuild *vb, const char *key, struct value *v)
{
	struct value	*m = vb->map;
	size_t		 i, j, alloc;

	j = hash_bytes(key, strlen(key)) & (vb->cap - 1);
	while (vb->slots[j] != 0) {
		i = vb->slots[j] - 1;
		if (strcmp(m->u.map.k[i], key) == 0) {
			value_free(m->u.map.v[i]);
			m->u.map.v[i] = v;
			return;
		}
		j = (j + 1) & (vb->cap - 1);
	}
	/* Same layout as value.c: one count for keys and values. */
	if (m->u.map.n == m->u.map.alloc) {
		alloc = m->u.map.alloc;
		XGROW(m->u.map.v, alloc, m->u.map.n + 1);
		m->u.map.k = xreallocarray(m->u.map.k, alloc,
		    sizeof *m->u.map.k);
		m->u.map.alloc = alloc;
	}
	m->u.map.k[m->u.map.n] = xstrdup(key);
	m->u.map.v[m->u.map.n++] = v;
	if (m->u.map.n * 2 > vb->cap) {
		free(vb->slots);
		vb->cap *= 2;
		vb->slots = xcalloc(vb->cap, sizeof *vb->slots);
		for (i = 0; i < m->u.map.n; i++)
			vbuild_insert(vb, i);
	} else
		vbuild_insert(vb, m->u.map.n - 1);
}

/* The finished map. */
static struct value *
vbuild_done(struct vbuild *vb)
{
	free(vb->slots);
	vb->slots = NULL;
	return vb->map;
}

static bool
name_in(const char *name, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(name, list[i]) == 0)
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------- */
/* Errors, warnings and the budget. */

static int PRINTFLIKE(3, 4)
gerror(struct gload *g, const struct ynode *at, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (at != NULL && at->file != NULL && at->line != 0)
		set_cause(g->cause, "%s:%u:%u: %s", at->file, at->line,
		    at->col, msg);
	else if (at != NULL && at->file != NULL)
		set_cause(g->cause, "%s: %s", at->file, msg);
	else
		set_cause(g->cause, "%s", msg);
	free(msg);
	return -1;
}

static void
unknown_attr(struct gload *g, const struct ynode *key, const char *what)
{
	char	*msg;

	msg = xasprintf("%s:%u: unknown %s attribute '%s'",
	    key->file != NULL ? key->file : GF_NAME, key->line, what, key->str);
	/* Inherited and default attributes would repeat the same warning. */
	if (strset_add(&g->warned, msg))
		warnx_core("%s", msg);
	free(msg);
}

static void
check_attrs(struct gload *g, const struct ynode *map, const char *what,
    const char *const *known, size_t nknown)
{
	size_t	i;

	for (i = 0; i < map->n; i++) {
		if (!name_in(map->keys[i]->str, known, nknown))
			unknown_attr(g, map->keys[i], what);
	}
}

static int
charge(struct gload *g, const struct ynode *n)
{
	size_t	nodes, bytes = 0;

	nodes = ynode_count(n, &bytes);
	if (nodes > GF_MAX_NODES - g->nodes || bytes > GF_MAX_BYTES - g->bytes)
		return gerror(g, n, "too much data after expanding include, "
		    "extends, $include and params (more than %u nodes or %u "
		    "bytes)", GF_MAX_NODES, GF_MAX_BYTES);
	g->nodes += nodes;
	g->bytes += bytes;
	return 0;
}

static int
charge_bytes(struct gload *g, const struct ynode *at, size_t bytes)
{
	if (bytes > GF_MAX_BYTES - g->bytes)
		return gerror(g, at, "too much data after expanding params "
		    "(more than %u bytes)", GF_MAX_BYTES);
	g->bytes += bytes;
	return 0;
}

/* A copy charged to the budget; NULL (with the error set) when over. */
static struct ynode *
gdup(struct gload *g, const struct ynode *n)
{
	if (charge(g, n) != 0)
		return NULL;
	return ynode_dup(n);
}

/* ---------------------------------------------------------------- */
/* Typed access to attributes. */

static bool
is_null(const struct ynode *n)
{
	return n == NULL || ynode_is_null(n);
}

/* A scalar that reads as a string (quoted, or plain text that is not a
 * number, bool or null). */
static bool
is_string(const struct ynode *n)
{
	struct value	*v;
	bool		 s;

	if (n == NULL || n->kind != YNODE_SCALAR)
		return false;
	if (!n->plain)
		return true;
	v = value_from_plain_scalar(n->str, n->len);
	s = v->type == VALUE_STRING;
	value_free(v);
	return s;
}

static int
type_error(struct gload *g, const struct ynode *n, const char *attr,
    const char *expected)
{
	if (n->kind == YNODE_SCALAR && n->len <= 40 &&
	    memchr(n->str, '\n', n->len) == NULL && strlen(n->str) == n->len)
		return gerror(g, n, "invalid value '%s' for '%s': expected %s",
		    n->str, attr, expected);
	return gerror(g, n, "invalid value for '%s': expected %s", attr,
	    expected);
}

static int
get_string(struct gload *g, const struct ynode *map, const char *attr,
    char **out)
{
	const struct ynode	*n = ynode_get(map, attr);

	if (is_null(n))
		return 0;
	if (n->kind != YNODE_SCALAR)
		return type_error(g, n, attr, "a string");
	free(*out);
	*out = xstrdup(n->str);
	return 0;
}

/* Guild strips descriptions. */
static int
get_description(struct gload *g, const struct ynode *map, char **out,
    bool strip)
{
	char	*s = NULL, *p, *e;

	if (get_string(g, map, "description", &s) != 0)
		return -1;
	free(*out);
	if (s == NULL) {
		*out = xstrdup("");
		return 0;
	}
	if (!strip) {
		*out = s;
		return 0;
	}
	for (p = s; *p == ' ' || (*p >= '\t' && *p <= '\r'); p++)
		/* nothing */;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
		e--;
	*out = xstrndup(p, (size_t)(e - p));
	free(s);
	return 0;
}

static int
node_bool(struct gload *g, const struct ynode *n, const char *attr, bool *out)
{
	struct value	*v;

	if (is_null(n))
		return 0;
	/* Guild takes Python's truth of the value; 0 and 1 are fine too. */
	if (n->kind == YNODE_SCALAR && n->plain) {
		v = value_from_plain_scalar(n->str, n->len);
		if (v->type == VALUE_BOOL || v->type == VALUE_INT) {
			*out = v->type == VALUE_BOOL ? v->u.b : v->u.i != 0;
			value_free(v);
			return 0;
		}
		value_free(v);
	}
	return type_error(g, n, attr, "yes or no");
}

static int
get_bool(struct gload *g, const struct ynode *map, const char *attr, bool *out)
{
	return node_bool(g, ynode_get(map, attr), attr, out);
}

static int
get_long(struct gload *g, const struct ynode *map, const char *attr, long *out)
{
	const struct ynode	*n = ynode_get(map, attr);
	struct value		*v;

	if (is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR && n->plain) {
		v = value_from_plain_scalar(n->str, n->len);
		if (v->type == VALUE_INT && v->u.i >= 0 && v->u.i <= 1000000000) {
			*out = (long)v->u.i;
			value_free(v);
			return 0;
		}
		value_free(v);
	}
	return type_error(g, n, attr, "a whole number");
}

/* A string, or a list of strings (null: nothing). */
static int
node_strlist(struct gload *g, const struct ynode *n, const char *attr,
    struct strvec *out)
{
	size_t	i;

	if (is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR) {
		strvec_push(out, n->str);
		return 0;
	}
	if (n->kind != YNODE_SEQ)
		return type_error(g, n, attr, "a string or a list of strings");
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->kind != YNODE_SCALAR)
			return type_error(g, n->items[i], attr, "a string");
		strvec_push(out, n->items[i]->str);
	}
	return 0;
}

static int
get_strlist(struct gload *g, const struct ynode *map, const char *attr,
    struct strvec *out)
{
	return node_strlist(g, ynode_get(map, attr), attr, out);
}

enum vshape {
	SHAPE_ANY,
	SHAPE_MAP,
	SHAPE_SCALAR,
};

static int
get_value(struct gload *g, const struct ynode *map, const char *attr,
    enum vshape shape, struct value **out)
{
	const struct ynode	*n = ynode_get(map, attr);

	if (is_null(n))
		return 0;
	if (shape == SHAPE_MAP && n->kind != YNODE_MAP)
		return type_error(g, n, attr, "a mapping");
	if (shape == SHAPE_SCALAR && n->kind != YNODE_SCALAR)
		return type_error(g, n, attr, "a single value");
	value_free(*out);
	*out = ynode_to_value(n);
	return 0;
}

/* target-path, with path as its older name. */
static int
get_target_path(struct gload *g, const struct ynode *map, char **out)
{
	if (get_string(g, map, "path", out) != 0)
		return -1;
	return get_string(g, map, "target-path", out);
}

static int
get_target_type(struct gload *g, const struct ynode *map, char **out)
{
	const struct ynode	*n = ynode_get(map, "target-type");

	if (get_string(g, map, "target-type", out) != 0)
		return -1;
	if (*out != NULL && strcmp(*out, "link") != 0 &&
	    strcmp(*out, "copy") != 0)
		return type_error(g, n, "target-type", "link or copy");
	return 0;
}

/* ---------------------------------------------------------------- */
/* Stage 1: files and top-level items. */

static struct ynode *
new_key(const char *s, const struct ynode *at)
{
	return ynode_new_scalar(s, strlen(s), false, at);
}

/* Wrap n as {key: n}, in place of *slot. */
static void
wrap_in_map(struct ynode **slot, const char *key)
{
	struct ynode	*n = *slot, *map;

	map = ynode_new_map(n);
	ynode_map_push(map, new_key(key, n), n);
	*slot = map;
}

static int
coerce_flags(struct gload *g, struct ynode **slot)
{
	struct ynode	*flags = *slot;
	size_t		 i;

	if (is_null(flags)) {
		*slot = ynode_new_map(flags);
		ynode_free(flags);
		return 0;
	}
	if (flags->kind != YNODE_MAP)
		return type_error(g, flags, "flags", "a mapping");
	for (i = 0; i < flags->n; i++) {
		if (strcmp(flags->keys[i]->str, "$include") == 0)
			continue;
		if (flags->items[i]->kind != YNODE_MAP)
			wrap_in_map(&flags->items[i], "default");
	}
	return 0;
}

/* An operation: a string is its main, flags are coerced. */
static int
coerce_op(struct gload *g, const char *name, struct ynode **slot)
{
	struct ynode	*op = *slot;
	size_t		 i;

	if (is_null(op)) {
		*slot = ynode_new_map(op);
		ynode_free(op);
		return 0;
	}
	if (op->kind == YNODE_SCALAR) {
		wrap_in_map(slot, "main");
		return 0;
	}
	if (op->kind != YNODE_MAP)
		return gerror(g, op, "invalid value for operation '%s': "
		    "expected a string or a mapping", name);
	for (i = 0; i < op->n; i++) {
		if (strcmp(op->keys[i]->str, "flags") == 0 &&
		    coerce_flags(g, &op->items[i]) != 0)
			return -1;
	}
	return 0;
}

static int
coerce_ops(struct gload *g, struct ynode **slot)
{
	struct ynode	*ops = *slot;
	size_t		 i;

	if (is_null(ops)) {
		*slot = ynode_new_map(ops);
		ynode_free(ops);
		return 0;
	}
	if (ops->kind != YNODE_MAP)
		return type_error(g, ops, "operations", "a mapping");
	for (i = 0; i < ops->n; i++) {
		if (strcmp(ops->keys[i]->str, "$include") == 0)
			continue;
		if (coerce_op(g, ops->keys[i]->str, &ops->items[i]) != 0)
			return -1;
	}
	return 0;
}

static const char *
item_type(const struct ynode *item)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(all_types); i++) {
		if (ynode_get(item, all_types[i]) != NULL)
			return all_types[i];
	}
	return NULL;
}

/* The model or config name of an item, or NULL. */
static const char *
item_name(const struct ynode *item)
{
	const struct ynode	*n;

	if ((n = ynode_get(item, "model")) == NULL)
		n = ynode_get(item, "config");
	if (n == NULL || n->kind != YNODE_SCALAR)
		return NULL;
	return n->str;
}

/* Check an item's type and coerce its attributes in place. */
static int
coerce_item(struct gload *g, struct ynode *item)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*type;
	struct ynode	*name;
	size_t		 i, used = 0;

	if (item->kind != YNODE_MAP)
		return gerror(g, item, "invalid item: expected a mapping");
	if (ynode_get(item, "operations") != NULL &&
	    ynode_get(item, "model") == NULL &&
	    ynode_get(item, "config") == NULL) {
		ynode_map_push(item, new_key("model", item),
		    ynode_new_scalar("", 0, false, item));
	}
	for (i = 0; i < ARRAY_SIZE(all_types); i++) {
		if (ynode_get(item, all_types[i]) == NULL)
			continue;
		strbuf_addf(&sb, "%s%s", used ? ", " : "", all_types[i]);
		used++;
	}
	if (used == 0) {
		strbuf_release(&sb);
		return gerror(g, item, "missing required type (one of: config, "
		    "include, model, package)");
	}
	if (used > 1) {
		gerror(g, item, "multiple types (%s)", sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	strbuf_release(&sb);
	type = item_type(item);
	name = ynode_get(item, type);
	if (strcmp(type, "include") != 0 &&
	    (name->kind != YNODE_SCALAR || ynode_is_null(name)))
		return gerror(g, name, "invalid %s name: expected a string", type);
	for (i = 0; i < item->n; i++) {
		const char	*k = item->keys[i]->str;

		if (strcmp(k, "operations") == 0) {
			if (coerce_ops(g, &item->items[i]) != 0)
				return -1;
		} else if (strcmp(k, "flags") == 0) {
			if (coerce_flags(g, &item->items[i]) != 0)
				return -1;
		} else if (strcmp(k, "operation-defaults") == 0) {
			if (coerce_op(g, "operation-defaults",
			    &item->items[i]) != 0)
				return -1;
		}
	}
	return 0;
}

static int	load_root(struct gload *, struct ynode *, const char *,
		    const char *, unsigned);

static char *
dir_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int
include_file(struct gload *g, const struct ynode *at, const char *inc,
    const char *name, const char *dir, unsigned depth)
{
	struct strbuf	 cycle = STRBUF_INIT;
	struct ynode	*root;
	char		*full, *joined, *display, *fdir, *error = NULL, *real;
	size_t		 i;
	int		 rc;

	joined = path_join(dir, inc);
	full = path_absolute(joined);
	free(joined);
	if (!path_is_file(full) || (real = realpath(full, NULL)) == NULL) {
		free(full);
		return gerror(g, at, "cannot find include '%s' (includes are "
		    "relative to the including file)", inc);
	}
	if (++g->nincludes > GF_MAX_INCLUDES) {
		free(real);
		free(full);
		return gerror(g, at, "too many includes (more than %u files)",
		    GF_MAX_INCLUDES);
	}
	/* Real paths, so a symlink cannot hide a cycle. */
	if (strvec_find(&g->included, real) >= 0) {
		for (i = 0; i < g->included_names.n; i++)
			strbuf_addf(&cycle, "%s -> ", g->included_names.v[i]);
		strbuf_addstr(&cycle, inc);
		gerror(g, at, "cycle in 'includes' (%s)", cycle.buf);
		strbuf_release(&cycle);
		free(real);
		free(full);
		return -1;
	}
	if (depth >= GF_MAX_NESTING) {
		free(real);
		free(full);
		return gerror(g, at, "includes nested too deeply");
	}
	/* Name it as the user would: relative to the including file. */
	if (*inc != '/' && strchr(name, '/') != NULL) {
		fdir = dir_of(name);
		display = path_join(fdir, inc);
		free(fdir);
	} else
		display = xstrdup(inc);
	root = ynode_parse_file(full, display, &error);
	if (root == NULL && error != NULL) {
		set_cause(g->cause, "%s", error);
		free(error);
		free(display);
		free(real);
		free(full);
		return -1;
	}
	XGROW(g->roots, g->roots_alloc, g->nroots + 1);
	g->roots[g->nroots++] = root;
	if (root != NULL && charge(g, root) != 0) {
		free(display);
		free(real);
		free(full);
		return -1;
	}
	strvec_push_nodup(&g->included, real);
	strvec_push(&g->included_names, display);
	fdir = dir_of(full);
	rc = load_root(g, root, display, fdir, depth + 1);
	free(fdir);
	strvec_pop(&g->included);
	strvec_pop(&g->included_names);
	free(display);
	free(full);
	return rc;
}

static int
add_item(struct gload *g, struct ynode *item, const char *name,
    const char *dir, unsigned depth)
{
	struct ynode	*inc;
	size_t		 i;

	if (coerce_item(g, item) != 0)
		return -1;
	if ((inc = ynode_get(item, "include")) == NULL) {
		XGROW(g->items, g->items_alloc, g->nitems + 1);
		g->items[g->nitems++] = item;
		return 0;
	}
	if (is_null(inc))
		return 0;
	if (inc->kind == YNODE_SCALAR)
		return include_file(g, inc, inc->str, name, dir, depth);
	if (inc->kind != YNODE_SEQ)
		return type_error(g, inc, "include", "a string or a list");
	for (i = 0; i < inc->n; i++) {
		if (inc->items[i]->kind != YNODE_SCALAR)
			return type_error(g, inc->items[i], "include",
			    "a string");
		if (include_file(g, inc->items[i], inc->items[i]->str, name,
		    dir, depth) != 0)
			return -1;
	}
	return 0;
}

/*
 * The three forms: a list of items; a map whose model is a string (the
 * walkthrough's single model); any other map, the operations of the
 * anonymous model.
 */
static int
load_root(struct gload *g, struct ynode *root, const char *name,
    const char *dir, unsigned depth)
{
	struct ynode	*model, *wrap;
	size_t		 i;

	if (root == NULL || is_null(root))
		return 0;
	if (root->kind == YNODE_SCALAR)
		return gerror(g, root, "expected a mapping or a list");
	if (root->kind == YNODE_SEQ) {
		for (i = 0; i < root->n; i++) {
			if (add_item(g, root->items[i], name, dir, depth) != 0)
				return -1;
		}
		return 0;
	}
	model = ynode_get(root, "model");
	if (model != NULL && model->kind == YNODE_SCALAR && !is_null(model))
		return add_item(g, root, name, dir, depth);
	/* The wrapper takes root's place in the roots list. */
	wrap = ynode_new_map(root);
	ynode_map_push(wrap, new_key("model", root),
	    ynode_new_scalar("", 0, false, root));
	ynode_map_push(wrap, new_key("operations", root), root);
	for (i = 0; i < g->nroots; i++) {
		if (g->roots[i] == root)
			g->roots[i] = wrap;
	}
	return add_item(g, wrap, name, dir, depth);
}

static const struct ynode *
find_item(const struct gload *g, const char *name)
{
	size_t	i;

	if (!smap_get(&g->item_names, name, &i))
		return NULL;
	return g->items[i];
}

/* ---------------------------------------------------------------- */
/* Stage 2: extends and params. */

/* Apply parent's pairs missing from child, merging maps recursively. */
static int
apply_parent(struct gload *g, const struct ynode *parent, struct ynode *child,
    bool top)
{
	struct kindex	 ki;
	struct ynode	*copy;
	ssize_t		 j;
	size_t		 i;
	int		 rc = 0;

	if (parent->kind != YNODE_MAP || child->kind != YNODE_MAP)
		return 0;
	kindex_init(&ki, child);
	for (i = 0; rc == 0 && i < parent->n; i++) {
		const struct ynode	*k = parent->keys[i];

		if (top && !name_in(k->str, inheritable,
		    ARRAY_SIZE(inheritable)))
			continue;
		j = kindex_find(&ki, k->str, k->len);
		if (j >= 0) {
			rc = apply_parent(g, parent->items[i],
			    child->items[j], false);
			continue;
		}
		if ((copy = gdup(g, parent->items[i])) == NULL) {
			rc = -1;
			break;
		}
		ynode_map_push(child, ynode_dup(k), copy);
		kindex_added(&ki);
	}
	kindex_free(&ki);
	return rc;
}

static int
extends_list(struct gload *g, const struct ynode *item, struct ynode ***out,
    size_t *n)
{
	struct ynode	*ext = ynode_get(item, "extends");
	size_t		 i;

	*out = NULL;
	*n = 0;
	if (is_null(ext))
		return 0;
	if (ext->kind == YNODE_SCALAR) {
		*out = xmalloc(sizeof **out);
		(*out)[0] = ext;
		*n = 1;
		return 0;
	}
	if (ext->kind != YNODE_SEQ)
		return type_error(g, ext, "extends", "a string or a list");
	for (i = 0; i < ext->n; i++) {
		if (ext->items[i]->kind != YNODE_SCALAR)
			return type_error(g, ext->items[i], "extends",
			    "a string");
	}
	*out = xreallocarray(NULL, ext->n ? ext->n : 1, sizeof **out);
	memcpy(*out, ext->items, ext->n * sizeof **out);
	*n = ext->n;
	return 0;
}

static struct ynode	*extended_data(struct gload *, const struct ynode *,
			    struct strvec *);

/*
 * The extended data of a parent, computed once per load: a config that
 * many others extend (or one extended twice) costs one copy, not one per
 * path to it.
 */
static const struct ynode *
parent_data(struct gload *g, const struct ynode *at, struct strvec *seen)
{
	struct strbuf		 sb = STRBUF_INIT;
	const struct ynode	*pitem;
	struct ynode		*data;
	const char		*name = at->str;
	size_t			 i;

	if (smap_get(&g->memo, name, &i))
		return g->memo_data[i];
	if (strvec_find(seen, name) >= 0) {
		for (i = 0; i < seen->n; i++)
			strbuf_addf(&sb, "%s -> ", seen->v[i]);
		strbuf_addstr(&sb, name);
		gerror(g, at, "cycle in 'extends' (%s)", sb.buf);
		strbuf_release(&sb);
		return NULL;
	}
	if (seen->n >= GF_MAX_NESTING) {
		gerror(g, at, "extends nested too deeply");
		return NULL;
	}
	if ((pitem = find_item(g, name)) == NULL) {
		gerror(g, at, "undefined model or config '%s'", name);
		return NULL;
	}
	strvec_push(seen, name);
	data = extended_data(g, pitem, seen);
	strvec_pop(seen);
	if (data == NULL)
		return NULL;
	g->memo_data = xreallocarray(g->memo_data, g->nmemo + 1,
	    sizeof *g->memo_data);
	g->memo_data[g->nmemo] = data;
	smap_add(&g->memo, name, g->nmemo++);
	return data;
}

/* A copy of item with its parents applied (seen: the extends chain). */
static struct ynode *
extended_data(struct gload *g, const struct ynode *item, struct strvec *seen)
{
	struct ynode		 *data, **ext;
	const struct ynode	 *parent;
	size_t			  i, n;

	if (extends_list(g, item, &ext, &n) != 0)
		return NULL;
	if ((data = gdup(g, item)) == NULL) {
		free(ext);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if ((parent = parent_data(g, ext[i], seen)) == NULL ||
		    apply_parent(g, parent, data, true) != 0) {
			free(ext);
			ynode_free(data);
			return NULL;
		}
	}
	free(ext);
	return data;
}

static struct param *
param_find(const struct params *p, const char *name, size_t len)
{
	char	*key;
	size_t	 i;
	bool	 found;

	key = xstrndup(name, len);
	found = smap_get(&p->index, key, &i);
	free(key);
	return found ? &p->v[i] : NULL;
}

static bool
py_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* str() of a parameter's value, as Python would join it into text. */
static void
py_str(struct strbuf *sb, const struct ynode *n)
{
	struct value	*v;

	if (n->kind == YNODE_SCALAR && !n->plain) {
		strbuf_add(sb, n->str, n->len);
		return;
	}
	v = ynode_to_value(n);
	if (v->type == VALUE_LIST || v->type == VALUE_MAP)
		value_encode_flow(sb, v);
	else
		value_format_py(sb, v, false);
	value_free(v);
}

static void
param_text(struct param *p, const char **text, size_t *len)
{
	struct strbuf	sb = STRBUF_INIT;

	if (p->text == NULL) {
		py_str(&sb, p->value);
		p->text = strbuf_detach(&sb, &p->len);
	}
	*text = p->text;
	*len = p->len;
}

/*
 * The next "{{ NAME }}" in s from *i on (on one line): true with *i at its
 * "{{" and *j at its "}}".
 */
static bool
next_ref(const char *s, size_t len, size_t *i, size_t *j)
{
	while (*i + 1 < len) {
		if (s[*i] != '{' || s[*i + 1] != '{') {
			(*i)++;
			continue;
		}
		for (*j = *i + 2; *j + 1 < len && s[*j] != '\n'; (*j)++) {
			if (s[*j] == '}' && s[*j + 1] == '}')
				break;
		}
		if (*j + 1 < len && s[*j] != '\n')
			return true;
		/* No reference starts before *j either. */
		*i = *j + 1;
	}
	return false;
}

/* The name of the reference s[i..j+2), without its spaces. */
static const char *
ref_name(const char *s, size_t i, size_t j, size_t *nlen)
{
	const char	*name = s + i + 2, *end = s + j;

	while (name < end && py_space(*name))
		name++;
	while (end > name && py_space(end[-1]))
		end--;
	*nlen = (size_t)(end - name);
	return name;
}

/*
 * Substitute {{ name }} references in a string (PARAM_P = "({{.*?}})":
 * a reference does not span lines). A string that is exactly one known
 * reference becomes that parameter's value, with its type: *whole is set
 * to it. Otherwise the text is joined into out; *changed tells whether
 * anything was substituted. Fails when out would pass the budget.
 */
static int
subst_text(struct gload *g, const struct ynode *at, const char *s,
    size_t len, const struct params *p, struct strbuf *out,
    const struct ynode **whole, bool *changed)
{
	struct param		*val;
	const char		*name, *text;
	size_t			 i = 0, start, j, nlen, tlen, parts = 0;
	size_t			 limit = GF_MAX_BYTES - g->bytes;

	*whole = NULL;
	*changed = false;
	start = 0;
	while (next_ref(s, len, &i, &j)) {
		/* Text before the reference, then the reference. */
		if (i > start)
			parts++;
		strbuf_add(out, s + start, i - start);
		name = ref_name(s, i, j, &nlen);
		parts++;
		if ((val = param_find(p, name, nlen)) != NULL) {
			*changed = true;
			if (i == 0 && j + 2 == len)
				*whole = val->value;
			else {
				param_text(val, &text, &tlen);
				strbuf_add(out, text, tlen);
			}
		} else
			strbuf_add(out, s + i, j + 2 - i);
		i = start = j + 2;
		if (out->len > limit)
			return gerror(g, at, "too much data after expanding "
			    "params (more than %u bytes)", GF_MAX_BYTES);
	}
	if (len > start)
		parts++;
	strbuf_add(out, s + start, len - start);
	if (parts != 1)
		*whole = NULL;
	return 0;
}

/* Replace references in every string of the tree at *slot. */
static int
subst_tree(struct gload *g, struct ynode **slot, const struct params *p)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct ynode		*n = *slot, *copy;
	const struct ynode	*whole;
	bool			 changed;
	size_t			 i;

	if (n->kind != YNODE_SCALAR) {
		for (i = 0; i < n->n; i++) {
			if (subst_tree(g, &n->items[i], p) != 0)
				return -1;
		}
		return 0;
	}
	if (memmem(n->str, n->len, "{{", 2) == NULL || !is_string(n))
		return 0;
	if (subst_text(g, n, n->str, n->len, p, &sb, &whole, &changed) != 0) {
		strbuf_release(&sb);
		return -1;
	}
	if (!changed) {
		strbuf_release(&sb);
		return 0;
	}
	if (whole != NULL) {
		strbuf_release(&sb);
		/* The copy keeps the position of the param's value. */
		if ((copy = gdup(g, whole)) == NULL)
			return -1;
		*slot = copy;
		ynode_free(n);
		return 0;
	}
	if (charge_bytes(g, n, sb.len) != 0) {
		strbuf_release(&sb);
		return -1;
	}
	*slot = ynode_new_scalar(sb.buf, sb.len, false, n);
	ynode_free(n);
	strbuf_release(&sb);
	return 0;
}

static void
params_init(struct params *p, const struct ynode *pm, bool owned)
{
	size_t	i;

	p->v = xcalloc(pm->n, sizeof *p->v);
	p->n = pm->n;
	p->owned = owned;
	memset(&p->index, 0, sizeof p->index);
	for (i = 0; i < pm->n; i++) {
		p->v[i].name = pm->keys[i]->str;
		p->v[i].value = owned ? NULL : pm->items[i];
		smap_add(&p->index, pm->keys[i]->str, i);
	}
}

static void
params_free(struct params *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		if (p->owned)
			ynode_free(p->v[i].value);
		free(p->v[i].text);
	}
	free(p->v);
	smap_clear(&p->index);
}

struct refs {
	size_t	*v, n, cap;
};

static void
refs_push(struct refs *r, size_t i)
{
	XGROW(r->v, r->cap, r->n + 1);
	r->v[r->n++] = i;
}

/* The params that s names in {{ }} references, as subst_text finds them. */
static void
param_refs(const char *s, size_t len, const struct params *p,
    struct refs *out)
{
	const char	*name;
	size_t		 i = 0, j, nlen;
	struct param	*val;

	while (next_ref(s, len, &i, &j)) {
		name = ref_name(s, i, j, &nlen);
		if ((val = param_find(p, name, nlen)) != NULL)
			refs_push(out, (size_t)(val - p->v));
		i = j + 2;
	}
}

/*
 * A param that refers to itself, directly or through others, would be
 * expanded again and again (to the size limit, when it doubles each
 * time): an error before anything is expanded. The params that refer to
 * nothing unresolved are peeled off; what is left each refers to one
 * more that is left, so a walk from any of them ends on a cycle, named
 * by its first param in the file.
 */
static int
check_param_cycles(struct gload *g, const struct ynode *pm,
    const struct params *raw)
{
	struct refs	 to = { NULL, 0, 0 }, from = { NULL, 0, 0 };
	struct refs	 queue = { NULL, 0, 0 };
	size_t		*off, *roff, *rfill, *left, i, k, cur, first, n = pm->n;
	int		 rc = 0;

	/* Edges i -> j (i refers to j), by source and by target. */
	off = xcalloc(n + 1, sizeof *off);
	for (i = 0; i < n; i++) {
		off[i] = to.n;
		if (is_string(pm->items[i]))
			param_refs(pm->items[i]->str, pm->items[i]->len, raw,
			    &to);
	}
	off[n] = to.n;
	roff = xcalloc(n + 1, sizeof *roff);
	for (k = 0; k < to.n; k++)
		roff[to.v[k] + 1]++;
	for (i = 0; i < n; i++)
		roff[i + 1] += roff[i];
	rfill = xcalloc(n, sizeof *rfill);
	from.v = xcalloc(to.n + 1, sizeof *from.v);
	for (i = 0; i < n; i++)
		for (k = off[i]; k < off[i + 1]; k++)
			from.v[roff[to.v[k]] + rfill[to.v[k]]++] = i;

	left = xcalloc(n, sizeof *left);
	for (i = 0; i < n; i++)
		if ((left[i] = off[i + 1] - off[i]) == 0)
			refs_push(&queue, i);
	for (k = 0; k < queue.n; k++) {
		cur = queue.v[k];
		for (i = roff[cur]; i < roff[cur + 1]; i++)
			if (--left[from.v[i]] == 0)
				refs_push(&queue, from.v[i]);
	}
	if (queue.n < n) {
		for (cur = 0; left[cur] == 0; cur++)
			;
		/* n steps along edges that stay among the left: on a cycle. */
		for (i = 0; i < n; i++) {
			for (k = off[cur]; left[to.v[k]] == 0; k++)
				;
			cur = to.v[k];
		}
		first = cur;
		i = cur;
		do {
			for (k = off[i]; left[to.v[k]] == 0; k++)
				;
			i = to.v[k];
			if (i < first)
				first = i;
		} while (i != cur);
		rc = gerror(g, pm->keys[first], "param '%s' refers to itself",
		    pm->keys[first]->str);
	}
	free(off);
	free(roff);
	free(rfill);
	free(left);
	free(to.v);
	free(from.v);
	free(queue.v);
	return rc;
}

/*
 * Resolve each string parameter against the others until it stops
 * changing (Guild's _resolve_param), then substitute in data.
 */
static int
apply_params(struct gload *g, struct ynode *data)
{
	struct params		 raw, res;
	struct strbuf		 sb = STRBUF_INIT;
	struct strvec		 seen = STRVEC_INIT;
	const struct ynode	*pm, *whole;
	struct ynode		*cur;
	bool			 changed;
	size_t			 i, round;
	int			 rc = -1;

	pm = ynode_get(data, "params");
	if (is_null(pm))
		return 0;
	if (pm->kind != YNODE_MAP)
		return type_error(g, pm, "params", "a mapping");
	if (pm->n == 0)
		return 0;
	params_init(&raw, pm, false);
	params_init(&res, pm, true);
	if (check_param_cycles(g, pm, &raw) != 0)
		goto out;
	for (i = 0; i < pm->n; i++) {
		if ((cur = gdup(g, pm->items[i])) == NULL)
			goto out;
		res.v[i].value = cur;
		strvec_clear(&seen);
		for (round = 0; is_string(cur); round++) {
			if (strvec_find(&seen, cur->str) >= 0)
				break;
			if (round == GF_PARAM_ROUNDS) {
				gerror(g, pm->keys[i], "cannot resolve param "
				    "'%s'", pm->keys[i]->str);
				goto out;
			}
			strvec_push(&seen, cur->str);
			strbuf_reset(&sb);
			if (subst_text(g, cur, cur->str, cur->len, &raw, &sb,
			    &whole, &changed) != 0)
				goto out;
			if (!changed)
				break;
			if (whole != NULL)
				cur = gdup(g, whole);
			else if (charge_bytes(g, cur, sb.len) == 0)
				cur = ynode_new_scalar(sb.buf, sb.len, false,
				    cur);
			else
				cur = NULL;
			if (cur == NULL)
				goto out;
			ynode_free(res.v[i].value);
			res.v[i].value = cur;
		}
	}
	for (i = 0; i < data->n; i++) {
		if (subst_tree(g, &data->items[i], &res) != 0)
			goto out;
	}
	rc = 0;
out:
	strvec_clear(&seen);
	strbuf_release(&sb);
	params_free(&raw);
	params_free(&res);
	return rc;
}

/* ---------------------------------------------------------------- */
/* Stage 3: $include. */

/*
 * Split "MODEL:OP[#ATTRS]" or "CONFIG[#ATTRS]" (Guild's INCLUDE_REF_P1
 * and INCLUDE_REF_P2). The model may be empty (the anonymous model).
 */
static int
split_include_ref(const char *ref, char **model, char **op,
    struct strvec *attrs)
{
	const char	*hash, *colon;
	char		*copy, *p, *save;

	*model = *op = NULL;
	hash = strchr(ref, '#');
	colon = strchr(ref, ':');
	if (colon != NULL && (hash == NULL || colon < hash)) {
		if (colon + 1 == (hash ? hash : ref + strlen(ref)))
			return -1;
		*model = xstrndup(ref, (size_t)(colon - ref));
		*op = hash ? xstrndup(colon + 1, (size_t)(hash - colon - 1)) :
		    xstrdup(colon + 1);
	} else {
		if (ref == hash || *ref == '\0')
			return -1;
		*model = hash ? xstrndup(ref, (size_t)(hash - ref)) :
		    xstrdup(ref);
	}
	if (hash != NULL && hash[1] != '\0') {
		copy = xstrdup(hash + 1);
		for (p = strtok_r(copy, ",", &save); p != NULL;
		    p = strtok_r(NULL, ",", &save)) {
			while (py_space(*p))
				p++;
			strvec_push(attrs, p);
			p = attrs->v[attrs->n - 1];
			while (*p != '\0' && !py_space(*p))
				p++;
			*p = '\0';
		}
		free(copy);
	}
	return 0;
}

/* The section a $include reference names; *found false if none. */
static const struct ynode *
include_target(const struct gload *g, const char *model, const char *op,
    const char *section, bool *found)
{
	const struct ynode	*ops, *opdata;
	const char		*n;
	size_t			 i;

	*found = false;
	for (i = 0; i < g->nitems; i++) {
		if ((n = item_name(g->items[i])) == NULL || strcmp(n, model) != 0)
			continue;
		if (op == NULL) {
			*found = true;
			return ynode_get(g->items[i], section);
		}
		ops = ynode_get(g->items[i], "operations");
		if ((opdata = ynode_get(ops, op)) == NULL)
			continue;
		*found = true;
		return ynode_get(opdata, section);
	}
	return NULL;
}

static int
apply_includes(struct gload *g, const struct ynode *refs, const char *section,
    struct strset *seen, struct ynode *resolved, struct kindex *ki,
    unsigned depth)
{
	struct strvec		 attrs = STRVEC_INIT;
	const struct ynode	*ref, *target;
	char			*model, *op;
	size_t			 i, n;
	bool			 found;
	int			 rc;

	if (refs->kind == YNODE_SEQ)
		n = refs->n;
	else if (refs->kind == YNODE_SCALAR)
		n = 1;
	else
		return type_error(g, refs, "$include", "a string or a list");
	for (i = 0; i < n; i++) {
		ref = refs->kind == YNODE_SEQ ? refs->items[i] : refs;
		if (ref->kind != YNODE_SCALAR)
			return type_error(g, ref, "$include", "a string");
		/* Guild stops at a reference it has seen. */
		if (!strset_add(seen, ref->str))
			break;
		if (depth >= GF_MAX_NESTING)
			return gerror(g, ref, "$include nested too deeply");
		if (split_include_ref(ref->str, &model, &op, &attrs) != 0) {
			strvec_clear(&attrs);
			return gerror(g, ref, "invalid include reference '%s': "
			    "expected CONFIG[#ATTRS] or MODEL:OPERATION[#ATTRS]",
			    ref->str);
		}
		target = include_target(g, model, op, section, &found);
		free(model);
		free(op);
		if (!found) {
			strvec_clear(&attrs);
			return gerror(g, ref, "invalid include reference '%s': "
			    "cannot find target", ref->str);
		}
		rc = apply_section(g, target, section, seen, resolved, ki,
		    attrs.n != 0 ? &attrs : NULL, depth + 1);
		strvec_clear(&attrs);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Set one pair of a section: maps update what is there, others replace. */
static int
apply_entry(struct gload *g, const struct ynode *key, const struct ynode *val,
    struct ynode *resolved, struct kindex *ki)
{
	struct kindex	 cki;
	struct ynode	*cur, *copy;
	ssize_t		 j, k;
	size_t		 i;

	j = kindex_find(ki, key->str, key->len);
	if (j >= 0 && val->kind == YNODE_MAP &&
	    (cur = resolved->items[j])->kind == YNODE_MAP) {
		kindex_init(&cki, cur);
		for (i = 0; i < val->n; i++) {
			if ((copy = gdup(g, val->items[i])) == NULL) {
				kindex_free(&cki);
				return -1;
			}
			k = kindex_find(&cki, val->keys[i]->str,
			    val->keys[i]->len);
			if (k >= 0) {
				ynode_free(cur->items[k]);
				cur->items[k] = copy;
			} else {
				ynode_map_push(cur, ynode_dup(val->keys[i]),
				    copy);
				kindex_added(&cki);
			}
		}
		kindex_free(&cki);
		return 0;
	}
	if ((copy = gdup(g, val)) == NULL)
		return -1;
	if (j >= 0) {
		ynode_free(resolved->items[j]);
		resolved->items[j] = copy;
		return 0;
	}
	ynode_map_push(resolved, ynode_dup(key), copy);
	kindex_added(ki);
	return 0;
}

static int
apply_section(struct gload *g, const struct ynode *data, const char *section,
    struct strset *seen, struct ynode *resolved, struct kindex *ki,
    const struct strvec *only, unsigned depth)
{
	const struct ynode	*inc;
	size_t			 i;

	if (is_null(data))
		return 0;
	if (data->kind != YNODE_MAP)
		return type_error(g, data, section, "a mapping");
	inc = ynode_get(data, "$include");
	if (inc != NULL && (only == NULL || strvec_find(only, "$include") >= 0) &&
	    apply_includes(g, inc, section, seen, resolved, ki, depth) != 0)
		return -1;
	for (i = 0; i < data->n; i++) {
		const struct ynode	*k = data->keys[i];

		if (strcmp(k->str, "$include") == 0)
			continue;
		if (only != NULL && strvec_find(only, k->str) < 0)
			continue;
		if (apply_entry(g, k, data->items[i], resolved, ki) != 0)
			return -1;
	}
	return 0;
}

/* data[section] with $include references resolved: a new map. */
static struct ynode *
resolve_includes(struct gload *g, const struct ynode *data,
    const char *section)
{
	const struct ynode	*sec = ynode_get(data, section);
	struct strset		 seen = { NULL, 0, 0 };
	struct ynode		*resolved;
	struct kindex		 ki;
	int			 rc;

	resolved = ynode_new_map(sec != NULL ? sec : data);
	kindex_init(&ki, resolved);
	rc = apply_section(g, sec, section, &seen, resolved, &ki, NULL, 0);
	kindex_free(&ki);
	strset_clear(&seen);
	if (rc != 0) {
		ynode_free(resolved);
		return NULL;
	}
	return resolved;
}

/* ---------------------------------------------------------------- */
/* Stage 3: reading attributes. */

static void
sourcecode_free(struct sourcecode_spec *sc)
{
	size_t	i;

	for (i = 0; i < sc->nrules; i++)
		strvec_clear(&sc->rules[i].patterns);
	free(sc->rules);
	free(sc->root);
	free(sc->dest);
	memset(sc, 0, sizeof *sc);
}

static struct select_rule *
add_rule(struct sourcecode_spec *sc, bool include, enum select_match match)
{
	struct select_rule	*r;

	sc->rules = xreallocarray(sc->rules, sc->nrules + 1, sizeof *sc->rules);
	r = &sc->rules[sc->nrules++];
	memset(r, 0, sizeof *r);
	r->include = include;
	r->match = match;
	return r;
}

static int
read_select_rule(struct gload *g, struct sourcecode_spec *sc,
    const struct ynode *item)
{
	static const char *const matches[] = { "dir", "text", "binary" };
	const struct ynode	*inc, *exc, *pat, *typed = NULL;
	struct select_rule	*r;
	enum select_match	 m = SELECT_ANY;
	const char		*what;
	size_t			 i;

	inc = ynode_get(item, "include");
	exc = ynode_get(item, "exclude");
	if (inc != NULL && exc != NULL)
		return gerror(g, item, "invalid sourcecode item: cannot both "
		    "include and exclude (use one item for each, in order)");
	if (inc == NULL && exc == NULL)
		return gerror(g, item, "invalid sourcecode item: expected "
		    "include or exclude");
	check_attrs(g, item, "sourcecode", select_attrs,
	    ARRAY_SIZE(select_attrs));
	what = inc != NULL ? "include" : "exclude";
	pat = inc != NULL ? inc : exc;
	if (pat->kind == YNODE_MAP) {
		for (i = 0; i < ARRAY_SIZE(matches); i++) {
			if ((typed = ynode_get(pat, matches[i])) != NULL) {
				m = SELECT_DIR + (enum select_match)i;
				break;
			}
		}
		if (typed == NULL)
			return type_error(g, pat, what, "patterns or a mapping "
			    "with dir, text or binary");
		pat = typed;
	}
	r = add_rule(sc, inc != NULL, m);
	return node_strlist(g, pat, what, &r->patterns);
}

/* sourcecode: no, [], a pattern, a list, or {select, root, digest, dest}. */
static int
read_select(struct gload *g, const struct ynode *n, struct sourcecode_spec *sc)
{
	struct select_rule	*r;
	struct value		*v;
	bool			 b, is_bool, all_strings = true;
	size_t			 i;

	if (is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR && n->plain) {
		v = value_from_plain_scalar(n->str, n->len);
		is_bool = v->type == VALUE_BOOL;
		b = is_bool && v->u.b;
		value_free(v);
		if (b)
			return type_error(g, n, "sourcecode", "no, a pattern, a "
			    "list or a mapping");
		if (is_bool) {
			sc->disabled = true;
			return 0;
		}
	}
	if (n->kind == YNODE_SCALAR) {
		r = add_rule(sc, false, SELECT_ANY);
		strvec_push(&r->patterns, "*");
		r = add_rule(sc, true, SELECT_ANY);
		strvec_push(&r->patterns, n->str);
		return 0;
	}
	if (n->kind != YNODE_SEQ)
		return type_error(g, n, "sourcecode", "a string, a list or a "
		    "mapping");
	if (n->n == 0) {
		sc->disabled = true;
		return 0;
	}
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->kind != YNODE_SCALAR)
			all_strings = false;
	}
	if (all_strings) {
		r = add_rule(sc, false, SELECT_ANY);
		strvec_push(&r->patterns, "*");
	}
	for (i = 0; i < n->n; i++) {
		const struct ynode	*item = n->items[i];

		if (item->kind == YNODE_SCALAR) {
			r = add_rule(sc, true, SELECT_ANY);
			strvec_push(&r->patterns, item->str);
		} else if (item->kind == YNODE_MAP) {
			if (read_select_rule(g, sc, item) != 0)
				return -1;
		} else
			return type_error(g, item, "sourcecode", "a string or "
			    "a mapping");
	}
	return 0;
}

static int
read_sourcecode(struct gload *g, const struct ynode *map,
    struct sourcecode_spec *sc)
{
	const struct ynode	*n = ynode_get(map, "sourcecode");

	sc->digest = true;
	if (is_null(n))
		return 0;
	sc->set = true;
	if (n->kind != YNODE_MAP)
		return read_select(g, n, sc);
	check_attrs(g, n, "sourcecode", sourcecode_attrs,
	    ARRAY_SIZE(sourcecode_attrs));
	if (read_select(g, ynode_get(n, "select"), sc) != 0 ||
	    get_string(g, n, "root", &sc->root) != 0 ||
	    get_string(g, n, "dest", &sc->dest) != 0 ||
	    get_bool(g, n, "digest", &sc->digest) != 0)
		return -1;
	return 0;
}

/* output-scalars / output-attrs: no, a regex, {key: regex}, or a list. */
static int
read_capture(struct gload *g, const struct ynode *map, const char *attr,
    struct capture *c)
{
	const struct ynode	*n = ynode_get(map, attr), *item;
	struct capture_spec	*s;
	size_t			 i, j, count;
	struct value		*v;

	c->mode = CAPTURE_DEFAULT;
	if (is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR && n->plain) {
		v = value_from_plain_scalar(n->str, n->len);
		if (v->type == VALUE_BOOL) {
			bool	b = v->u.b;

			value_free(v);
			if (b)
				return type_error(g, n, attr, "no, a pattern, "
				    "a mapping or a list");
			c->mode = CAPTURE_NONE;
			return 0;
		}
		value_free(v);
	}
	if (n->kind == YNODE_SEQ && n->n == 0) {
		c->mode = CAPTURE_NONE;
		return 0;
	}
	count = n->kind == YNODE_SEQ ? n->n : 1;
	c->mode = CAPTURE_CUSTOM;
	for (i = 0; i < count; i++) {
		item = n->kind == YNODE_SEQ ? n->items[i] : n;
		if (item->kind == YNODE_SCALAR) {
			c->specs = xreallocarray(c->specs, c->nspecs + 1,
			    sizeof *c->specs);
			s = &c->specs[c->nspecs++];
			s->key = NULL;
			s->pattern = xstrdup(item->str);
			continue;
		}
		if (item->kind != YNODE_MAP)
			return type_error(g, item, attr, "a pattern or a "
			    "mapping");
		for (j = 0; j < item->n; j++) {
			if (item->items[j]->kind != YNODE_SCALAR ||
			    is_null(item->items[j]))
				return type_error(g, item->items[j], attr,
				    "a pattern");
			c->specs = xreallocarray(c->specs, c->nspecs + 1,
			    sizeof *c->specs);
			s = &c->specs[c->nspecs++];
			s->key = xstrdup(item->keys[j]->str);
			s->pattern = xstrdup(item->items[j]->str);
		}
	}
	if (c->nspecs == 0)
		c->mode = CAPTURE_NONE;
	return 0;
}

static void
capture_free(struct capture *c)
{
	size_t	i;

	for (i = 0; i < c->nspecs; i++) {
		free(c->specs[i].key);
		free(c->specs[i].pattern);
	}
	free(c->specs);
	memset(c, 0, sizeof *c);
}

/* Encoding maps: keys as value_format_flag writes the key's value. */
static int
read_encoding(struct gload *g, const struct ynode *map, const char *attr,
    struct value **out)
{
	const struct ynode	*n = ynode_get(map, attr);
	struct strbuf		 sb = STRBUF_INIT;
	struct vbuild		 vb;
	struct value		*k;
	size_t			 i;

	if (is_null(n))
		return 0;
	if (n->kind != YNODE_MAP)
		return type_error(g, n, attr, "a mapping");
	vbuild_init(&vb);
	for (i = 0; i < n->n; i++) {
		k = ynode_to_value(n->keys[i]);
		strbuf_reset(&sb);
		value_format_flag(&sb, k);
		value_free(k);
		vbuild_set(&vb, sb.buf, ynode_to_value(n->items[i]));
	}
	strbuf_release(&sb);
	*out = vbuild_done(&vb);
	return 0;
}

static void
flag_free(struct flagdef *f)
{
	size_t	i;

	if (f == NULL)
		return;
	free(f->name);
	value_free(f->default_value);
	free(f->description);
	free(f->alias);
	free(f->arg_name);
	value_free(f->arg_switch);
	free(f->arg_split);
	value_free(f->arg_encoding);
	value_free(f->env_encoding);
	free(f->env_name);
	for (i = 0; i < f->nchoices; i++) {
		value_free(f->choices[i].value);
		free(f->choices[i].description);
		free(f->choices[i].alias);
		value_free(f->choices[i].flags);
	}
	free(f->choices);
	free(f->null_label);
	value_free(f->min);
	value_free(f->max);
	free(f->distribution);
	free(f);
}

static int
read_choices(struct gload *g, struct flagdef *f, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "choices"), *c, *v;
	struct flag_choice	*ch;
	size_t			 i;

	if (is_null(n))
		return 0;
	if (n->kind != YNODE_SEQ)
		return type_error(g, n, "choices", "a list of values or "
		    "mappings");
	f->choices = xcalloc(n->n ? n->n : 1, sizeof *f->choices);
	for (i = 0; i < n->n; i++) {
		c = n->items[i];
		ch = &f->choices[f->nchoices++];
		if (c->kind != YNODE_MAP) {
			ch->value = ynode_to_value(c);
			continue;
		}
		check_attrs(g, c, "flag choice", choice_attrs,
		    ARRAY_SIZE(choice_attrs));
		if ((v = ynode_get(c, "value")) == NULL)
			return gerror(g, c, "invalid choice for flag '%s': "
			    "missing required 'value' attribute", f->name);
		ch->value = ynode_to_value(v);
		if (get_string(g, c, "description", &ch->description) != 0 ||
		    get_string(g, c, "alias", &ch->alias) != 0 ||
		    get_value(g, c, "flags", SHAPE_MAP, &ch->flags) != 0)
			return -1;
	}
	return 0;
}

static int
read_flag_type(struct gload *g, struct flagdef *f, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "type");
	size_t			 i;

	f->type = FLAG_TYPE_AUTO;
	if (is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR) {
		for (i = 0; i < ARRAY_SIZE(flag_type_names); i++) {
			if (strcmp(n->str, flag_type_names[i]) == 0) {
				f->type = (enum flag_type)i;
				return 0;
			}
		}
	}
	return type_error(g, n, "type", "one of string, int, float, number, "
	    "boolean, path, existing-path, auto");
}

static int
read_arg_split(struct gload *g, struct flagdef *f, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "arg-split");
	struct value		*v;

	if (is_null(n))
		return 0;
	if (n->kind != YNODE_SCALAR)
		return type_error(g, n, "arg-split", "yes, shlex or a "
		    "delimiter");
	if (n->plain) {
		v = value_from_plain_scalar(n->str, n->len);
		if (v->type == VALUE_BOOL) {
			if (v->u.b)
				f->arg_split = xstrdup("shlex");
			value_free(v);
			return 0;
		}
		value_free(v);
	}
	f->arg_split = xstrdup(n->str);
	return 0;
}

static int
read_flag(struct gload *g, const struct ynode *key, const struct ynode *n,
    struct flagdef **out)
{
	struct flagdef	*f;
	int		 rc;

	f = xcalloc(1, sizeof *f);
	f->name = xstrdup(key->str);
	f->line = key->line;
	if (n->kind != YNODE_MAP) {
		if (!is_null(n))
			f->default_value = ynode_to_value(n);
		f->description = xstrdup("");
		*out = f;
		return 0;
	}
	check_attrs(g, n, "flag", flag_attrs, ARRAY_SIZE(flag_attrs));
	if (!is_null(ynode_get(n, "default")))
		f->default_value = ynode_to_value(ynode_get(n, "default"));
	rc = get_description(g, n, &f->description, false);
	if (rc == 0)
		rc = read_flag_type(g, f, n);
	if (rc == 0)
		rc = get_bool(g, n, "required", &f->required);
	if (rc == 0)
		rc = get_string(g, n, "alias", &f->alias);
	if (rc == 0)
		rc = get_string(g, n, "arg-name", &f->arg_name);
	if (rc == 0)
		rc = get_bool(g, n, "arg-skip", &f->arg_skip);
	if (rc == 0)
		rc = get_value(g, n, "arg-switch", SHAPE_ANY, &f->arg_switch);
	if (rc == 0)
		rc = read_arg_split(g, f, n);
	if (rc == 0)
		rc = read_encoding(g, n, "arg-encoding", &f->arg_encoding);
	if (rc == 0)
		rc = read_encoding(g, n, "env-encoding", &f->env_encoding);
	if (rc == 0)
		rc = get_string(g, n, "env-name", &f->env_name);
	if (rc == 0)
		rc = read_choices(g, f, n);
	if (rc == 0)
		rc = get_bool(g, n, "allow-other", &f->allow_other);
	if (rc == 0)
		rc = get_string(g, n, "null-label", &f->null_label);
	if (rc == 0)
		rc = get_value(g, n, "min", SHAPE_SCALAR, &f->min);
	if (rc == 0)
		rc = get_value(g, n, "max", SHAPE_SCALAR, &f->max);
	if (rc == 0)
		rc = get_string(g, n, "distribution", &f->distribution);
	if (rc != 0) {
		flag_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

/* Split like Python's shlex.split (POSIX mode), for rename specs. */
static int
shlex_split(const char *s, struct strvec *out)
{
	struct strbuf	 sb = STRBUF_INIT;
	bool		 in_word = false;
	char		 q;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (in_word)
				strvec_push(out, sb.buf);
			strbuf_reset(&sb);
			in_word = false;
			continue;
		}
		in_word = true;
		if (*s == '\\') {
			if (s[1] == '\0')
				break;
			strbuf_addch(&sb, *++s);
		} else if (*s == '\'' || *s == '"') {
			q = *s++;
			while (*s != '\0' && *s != q) {
				if (q == '"' && *s == '\\' && s[1] != '\0' &&
				    strchr("\\\"$`\n", s[1]) != NULL)
					s++;
				strbuf_addch(&sb, *s++);
			}
			if (*s == '\0') {
				strbuf_release(&sb);
				return -1;
			}
		} else
			strbuf_addch(&sb, *s);
	}
	if (in_word)
		strvec_push(out, sb.buf);
	strbuf_release(&sb);
	return 0;
}

static int
read_rename(struct gload *g, struct source *src, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "rename");
	struct strvec		 parts = STRVEC_INIT;

	if (is_null(n))
		return 0;
	if (n->kind == YNODE_MAP) {
		if (get_string(g, n, "pattern", &src->rename_pattern) != 0 ||
		    get_string(g, n, "repl", &src->rename_repl) != 0)
			return -1;
		if (src->rename_pattern == NULL)
			src->rename_pattern = xstrdup("");
		if (src->rename_repl == NULL)
			src->rename_repl = xstrdup("");
		return 0;
	}
	if (n->kind != YNODE_SCALAR)
		return type_error(g, n, "rename", "'PATTERN REPL' or a mapping");
	if (shlex_split(n->str, &parts) != 0 || parts.n == 0 || parts.n > 2) {
		strvec_clear(&parts);
		return type_error(g, n, "rename", "'PATTERN REPL' or 'NAME'");
	}
	if (parts.n == 1) {
		src->rename_pattern = xstrdup(".*");
		src->rename_repl = xstrdup(parts.v[0]);
	} else {
		src->rename_pattern = xstrdup(parts.v[0]);
		src->rename_repl = xstrdup(parts.v[1]);
	}
	strvec_clear(&parts);
	return 0;
}

static void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	free(s->uri);
	free(s->name);
	free(s->flag_name);
	free(s->sha256);
	free(s->type);
	strvec_clear(&s->select);
	free(s->select_min);
	free(s->select_max);
	free(s->rename_pattern);
	free(s->rename_repl);
	free(s->help);
	free(s->post_process);
	free(s->target_path);
	free(s->target_type);
	value_free(s->params);
	free(s);
}

static int
read_source(struct gload *g, const struct resdef *res, const struct ynode *n,
    struct source **out)
{
	struct strbuf		 sb = STRBUF_INIT;
	const struct ynode	*t, *found = NULL;
	struct source		*s;
	size_t			 i, count = 0;
	int			 rc;

	s = xcalloc(1, sizeof *s);
	s->line = n->line;
	s->unpack = res->default_unpack;
	s->warn_if_empty = true;
	if (n->kind == YNODE_SCALAR && !is_null(n)) {
		s->kind = SOURCE_FILE;
		s->uri = xstrdup(n->str);
		s->name = xasprintf("file:%s", s->uri);
		*out = s;
		return 0;
	}
	if (n->kind != YNODE_MAP) {
		free(s);
		return gerror(g, n, "invalid source: expected a string or a "
		    "mapping");
	}
	check_attrs(g, n, "source", source_attrs, ARRAY_SIZE(source_attrs));
	for (i = 0; i < ARRAY_SIZE(source_types); i++) {
		t = ynode_get(n, source_types[i]);
		if (is_null(t) || (t->kind == YNODE_SCALAR && t->len == 0))
			continue;
		strbuf_addf(&sb, "%s%s", count ? ", " : "", source_types[i]);
		if (count++ == 0) {
			found = t;
			s->kind = (enum source_kind)i;
		}
	}
	if (count != 1) {
		if (count == 0)
			gerror(g, n, "invalid source: missing required "
			    "attribute (one of file, url, module, config, "
			    "operation)");
		else
			gerror(g, n, "invalid source: conflicting attributes "
			    "(%s)", sb.buf);
		strbuf_release(&sb);
		free(s);
		return -1;
	}
	strbuf_release(&sb);
	if (found->kind != YNODE_SCALAR) {
		i = s->kind;
		free(s);
		return type_error(g, found, source_types[i], "a string");
	}
	s->uri = xstrdup(found->str);
	rc = get_string(g, n, "name", &s->name);
	if (rc == 0 && s->name == NULL)
		s->name = s->kind == SOURCE_URL ? xstrdup(s->uri) :
		    xasprintf("%s:%s", source_types[s->kind], s->uri);
	if (rc == 0)
		rc = get_string(g, n, "flag-name", &s->flag_name);
	if (rc == 0)
		rc = get_string(g, n, "sha256", &s->sha256);
	if (rc == 0)
		rc = get_bool(g, n, "unpack", &s->unpack);
	if (rc == 0)
		rc = get_string(g, n, "type", &s->type);
	if (rc == 0)
		rc = get_strlist(g, n, "select", &s->select);
	if (rc == 0)
		rc = get_string(g, n, "select-min", &s->select_min);
	if (rc == 0)
		rc = get_string(g, n, "select-max", &s->select_max);
	if (rc == 0)
		rc = get_bool(g, n, "warn-if-empty", &s->warn_if_empty);
	if (rc == 0)
		rc = get_bool(g, n, "optional", &s->optional);
	if (rc == 0)
		rc = get_bool(g, n, "fail-if-empty", &s->fail_if_empty);
	if (rc == 0)
		rc = read_rename(g, s, n);
	if (rc == 0)
		rc = get_string(g, n, "help", &s->help);
	if (rc == 0)
		rc = get_string(g, n, "post-process", &s->post_process);
	if (rc == 0)
		rc = get_target_path(g, n, &s->target_path);
	if (rc == 0)
		rc = get_target_type(g, n, &s->target_type);
	if (rc == 0)
		rc = get_bool(g, n, "replace-existing", &s->replace_existing);
	if (rc == 0)
		rc = get_bool(g, n, "always-resolve", &s->always_resolve);
	if (rc == 0)
		rc = get_bool(g, n, "preserve-path", &s->preserve_path);
	if (rc == 0)
		rc = get_value(g, n, "params", SHAPE_ANY, &s->params);
	if (rc != 0) {
		source_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

static void
resdef_free(struct resdef *r)
{
	size_t	i;

	if (r == NULL)
		return;
	free(r->name);
	free(r->description);
	for (i = 0; i < r->nsources; i++)
		source_free(r->sources[i]);
	free(r->sources);
	free(r->target_path);
	free(r->target_type);
	free(r->flag_name);
	value_free(r->references);
	free(r);
}

/*
 * A resource: a map of attributes, or a list (its sources). inline_ is a
 * requires: item, which may also carry a name.
 */
static int
read_resource(struct gload *g, const char *name, const struct ynode *at,
    const struct ynode *n, bool inline_, struct resdef **out)
{
	const struct ynode	*sources;
	struct resdef		*r;
	size_t			 i;
	int			 rc = 0;

	if (n->kind != YNODE_MAP && n->kind != YNODE_SEQ) {
		if (name != NULL)
			return gerror(g, n, "invalid value for resource '%s': "
			    "expected a mapping or a list", name);
		return gerror(g, n, "invalid resource: expected a mapping or "
		    "a list");
	}
	r = xcalloc(1, sizeof *r);
	r->name = name != NULL ? xstrdup(name) : NULL;
	r->line = at->line;
	r->default_unpack = true;
	if (n->kind == YNODE_SEQ)
		sources = n;
	else {
		sources = ynode_get(n, "sources");
		if (inline_)
			check_attrs(g, n, "resource", inline_resource_attrs,
			    ARRAY_SIZE(inline_resource_attrs));
		else
			check_attrs(g, n, "resource", resource_attrs,
			    ARRAY_SIZE(resource_attrs));
		if (inline_ && r->name == NULL)
			rc = get_string(g, n, "name", &r->name);
		if (rc == 0)
			rc = get_description(g, n, &r->description, false);
		if (rc == 0)
			rc = get_target_path(g, n, &r->target_path);
		if (rc == 0)
			rc = get_target_type(g, n, &r->target_type);
		if (rc == 0)
			rc = get_bool(g, n, "default-unpack",
			    &r->default_unpack);
		if (rc == 0)
			rc = get_bool(g, n, "private", &r->private_);
		if (rc == 0)
			rc = get_bool(g, n, "preserve-path", &r->preserve_path);
		if (rc == 0)
			rc = get_string(g, n, "flag-name", &r->flag_name);
		if (rc == 0)
			rc = get_value(g, n, "references", SHAPE_ANY,
			    &r->references);
	}
	if (r->description == NULL)
		r->description = xstrdup("");
	if (rc == 0 && !is_null(sources)) {
		if (sources->kind != YNODE_SEQ)
			rc = type_error(g, sources, "sources", "a list");
		else {
			r->sources = xcalloc(sources->n ? sources->n : 1,
			    sizeof *r->sources);
			for (i = 0; rc == 0 && i < sources->n; i++) {
				rc = read_source(g, r, sources->items[i],
				    &r->sources[r->nsources]);
				if (rc == 0)
					r->nsources++;
			}
		}
	}
	if (rc != 0) {
		resdef_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

static void
opdep_free(struct opdep *d)
{
	if (d == NULL)
		return;
	free(d->resource_ref);
	resdef_free(d->inline_res);
	free(d);
}

static int
read_opdep(struct gload *g, const struct ynode *n, struct opdep **out)
{
	const struct ynode	*res;
	struct opdep		*d;
	struct ynode		*wrap;
	int			 rc;

	d = xcalloc(1, sizeof *d);
	d->line = n->line;
	if (n->kind == YNODE_SCALAR && !is_null(n)) {
		d->resource_ref = xstrdup(n->str);
		*out = d;
		return 0;
	}
	if (n->kind != YNODE_MAP) {
		free(d);
		return type_error(g, n, "requires", "a string or a mapping");
	}
	if ((res = ynode_get(n, "resource")) != NULL) {
		if (res->kind != YNODE_SCALAR || is_null(res)) {
			free(d);
			return type_error(g, res, "resource", "a string");
		}
		d->resource_ref = xstrdup(res->str);
		*out = d;
		return 0;
	}
	if (ynode_get(n, "sources") != NULL)
		rc = read_resource(g, NULL, n, n, true, &d->inline_res);
	else {
		/* A single source: {sources: [n]}. */
		wrap = ynode_new_seq(n);
		ynode_seq_push(wrap, ynode_dup(n));
		rc = read_resource(g, NULL, n, wrap, true, &d->inline_res);
		ynode_free(wrap);
	}
	if (rc != 0) {
		free(d);
		return -1;
	}
	*out = d;
	return 0;
}

static int
read_requires(struct gload *g, struct opdef *op, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "requires"), *item;
	size_t			 i, count;

	if (is_null(n))
		return 0;
	count = n->kind == YNODE_SEQ ? n->n : 1;
	op->requires = xcalloc(count ? count : 1, sizeof *op->requires);
	for (i = 0; i < count; i++) {
		item = n->kind == YNODE_SEQ ? n->items[i] : n;
		if (read_opdep(g, item,
		    &op->requires[op->nrequires]) != 0)
			return -1;
		op->nrequires++;
	}
	return 0;
}

static void
step_free(struct step *s)
{
	if (s == NULL)
		return;
	free(s->run);
	free(s->name);
	value_free(s->flags);
	value_free(s->params);
	free(s);
}

/* Step flags: $include resolved, flag maps reduced to their default. */
static int
read_step_flags(struct gload *g, struct step *s, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "flags"), *v;
	struct ynode		*resolved;
	struct vbuild		 vb;
	const char		*eq;
	char			*k;
	size_t			 i;

	if (is_null(n))
		return 0;
	if (n->kind == YNODE_SEQ) {
		for (i = 0; i < n->n; i++) {
			v = n->items[i];
			if (v->kind != YNODE_SCALAR ||
			    (eq = strchr(v->str, '=')) == NULL || eq == v->str)
				return type_error(g, v, "flags", "NAME=VALUE");
		}
		vbuild_init(&vb);
		for (i = 0; i < n->n; i++) {
			v = n->items[i];
			eq = strchr(v->str, '=');
			k = xstrndup(v->str, (size_t)(eq - v->str));
			vbuild_set(&vb, k, value_from_plain_scalar(eq + 1,
			    strlen(eq + 1)));
			free(k);
		}
		s->flags = vbuild_done(&vb);
		return 0;
	}
	if ((resolved = resolve_includes(g, map, "flags")) == NULL)
		return -1;
	vbuild_init(&vb);
	for (i = 0; i < resolved->n; i++) {
		v = resolved->items[i];
		if (v->kind == YNODE_MAP)
			v = ynode_get(v, "default");
		vbuild_set(&vb, resolved->keys[i]->str, ynode_to_value(v));
	}
	s->flags = vbuild_done(&vb);
	ynode_free(resolved);
	return 0;
}

static int
read_step(struct gload *g, const struct ynode *n, struct step **out)
{
	struct step	*s;
	struct vbuild	 vb;
	size_t		 i;
	int		 rc = 0;

	s = xcalloc(1, sizeof *s);
	s->line = n->line;
	s->isolate_runs = true;
	if (n->kind == YNODE_SCALAR && !is_null(n)) {
		s->run = xstrdup(n->str);
		*out = s;
		return 0;
	}
	if (n->kind != YNODE_MAP) {
		free(s);
		return gerror(g, n, "invalid step: expected a string or a "
		    "mapping");
	}
	if (get_string(g, n, "run", &s->run) != 0)
		rc = -1;
	else if (s->run == NULL)
		rc = gerror(g, n, "invalid step: missing required 'run' "
		    "attribute");
	if (rc == 0)
		rc = get_string(g, n, "name", &s->name);
	if (rc == 0)
		rc = get_bool(g, n, "isolate-runs", &s->isolate_runs);
	if (rc == 0)
		rc = read_step_flags(g, s, n);
	if (rc == 0) {
		vbuild_init(&vb);
		for (i = 0; i < n->n; i++) {
			const char	*k = n->keys[i]->str;

			if (strcmp(k, "run") == 0 || strcmp(k, "name") == 0 ||
			    strcmp(k, "flags") == 0 ||
			    strcmp(k, "isolate-runs") == 0)
				continue;
			vbuild_set(&vb, k, ynode_to_value(n->items[i]));
		}
		s->params = vbuild_done(&vb);
		if (s->params->u.map.n == 0) {
			value_free(s->params);
			s->params = NULL;
		}
	}
	if (rc != 0) {
		step_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

static int
read_steps(struct gload *g, struct opdef *op, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "steps");
	size_t			 i;

	if (is_null(n))
		return 0;
	if (n->kind != YNODE_SEQ)
		return type_error(g, n, "steps", "a list");
	op->steps = xcalloc(n->n ? n->n : 1, sizeof *op->steps);
	for (i = 0; i < n->n; i++) {
		if (read_step(g, n->items[i], &op->steps[op->nsteps]) != 0)
			return -1;
		op->nsteps++;
	}
	return 0;
}

static int
read_flags(struct gload *g, struct opdef *op, const struct ynode *map)
{
	struct ynode	*resolved;
	size_t		 i;
	int		 rc = 0;

	if ((resolved = resolve_includes(g, map, "flags")) == NULL)
		return -1;
	op->flags = xcalloc(resolved->n ? resolved->n : 1, sizeof *op->flags);
	for (i = 0; rc == 0 && i < resolved->n; i++) {
		rc = read_flag(g, resolved->keys[i], resolved->items[i],
		    &op->flags[op->nflags]);
		if (rc == 0)
			op->nflags++;
	}
	ynode_free(resolved);
	return rc;
}

static int
read_flags_import(struct gload *g, struct opdef *op, const struct ynode *map)
{
	const struct ynode	*n = ynode_get(map, "flags-import");
	struct value		*v;
	size_t			 i;

	if (is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR) {
		v = ynode_to_value(n);
		if (v->type == VALUE_BOOL) {
			op->flags_import = v->u.b ? value_bool(true) :
			    value_list();
			value_free(v);
			return 0;
		}
		if (v->type == VALUE_STRING && strcmp(v->u.s, "all") == 0) {
			op->flags_import = value_bool(true);
			value_free(v);
			return 0;
		}
		value_free(v);
	}
	if (n->kind != YNODE_SEQ)
		return type_error(g, n, "flags-import", "yes, all, no or a list "
		    "of flag names");
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->kind != YNODE_SCALAR)
			return type_error(g, n->items[i], "flags-import",
			    "a flag name");
	}
	op->flags_import = ynode_to_value(n);
	return 0;
}

static void
opdef_free(struct opdef *op)
{
	size_t	i;

	if (op == NULL)
		return;
	free(op->name);
	free(op->description);
	free(op->main);
	free(op->exec);
	for (i = 0; i < op->nsteps; i++)
		step_free(op->steps[i]);
	free(op->steps);
	free(op->notebook);
	for (i = 0; i < op->nflags; i++)
		flag_free(op->flags[i]);
	free(op->flags);
	free(op->flags_dest);
	value_free(op->flags_import);
	strvec_clear(&op->flags_import_skip);
	for (i = 0; i < op->nrequires; i++)
		opdep_free(op->requires[i]);
	free(op->requires);
	value_free(op->env);
	strvec_clear(&op->env_secrets);
	free(op->python_requires);
	strvec_clear(&op->python_path);
	free(op->label);
	strvec_clear(&op->tags);
	strvec_clear(&op->compare);
	free(op->flag_encoder);
	capture_free(&op->output_scalars);
	capture_free(&op->output_attrs);
	value_free(op->objective);
	value_free(op->optimizers);
	value_free(op->publish);
	sourcecode_free(&op->sourcecode);
	value_free(op->run_attrs);
	free(op);
}

/* Copy the operation-defaults attributes an operation lacks. */
static int
apply_op_defaults(struct gload *g, struct ynode *op, const struct ynode *defs)
{
	struct kindex	 ki;
	struct ynode	*copy;
	size_t		 i;
	int		 rc = 0;

	if (is_null(defs) || defs->kind != YNODE_MAP || defs->n == 0)
		return 0;
	kindex_init(&ki, op);
	for (i = 0; i < defs->n; i++) {
		if (kindex_find(&ki, defs->keys[i]->str, defs->keys[i]->len) >= 0)
			continue;
		if ((copy = gdup(g, defs->items[i])) == NULL) {
			rc = -1;
			break;
		}
		ynode_map_push(op, ynode_dup(defs->keys[i]), copy);
		kindex_added(&ki);
	}
	kindex_free(&ki);
	return rc;
}

static int
read_op(struct gload *g, struct modeldef *m, const struct ynode *key,
    struct ynode *n, struct opdef **out)
{
	struct opdef	*op;
	int		 rc;

	if (n->kind != YNODE_MAP)
		return gerror(g, n, "invalid value for operation '%s': expected "
		    "a string or a mapping", key->str);
	check_attrs(g, n, "operation", op_attrs, ARRAY_SIZE(op_attrs));
	op = xcalloc(1, sizeof *op);
	op->model = m;
	op->name = xstrdup(key->str);
	op->line = key->line;
	rc = get_description(g, n, &op->description, true);
	if (rc == 0)
		rc = get_bool(g, n, "default", &op->default_);
	if (rc == 0)
		rc = get_string(g, n, "main", &op->main);
	if (rc == 0)
		rc = get_string(g, n, "exec", &op->exec);
	if (rc == 0)
		rc = read_steps(g, op, n);
	if (rc == 0)
		rc = get_string(g, n, "notebook", &op->notebook);
	if (rc == 0)
		rc = read_flags(g, op, n);
	if (rc == 0)
		rc = get_string(g, n, "flags-dest", &op->flags_dest);
	if (rc == 0)
		rc = read_flags_import(g, op, n);
	if (rc == 0)
		rc = get_strlist(g, n, "flags-import-skip",
		    &op->flags_import_skip);
	if (rc == 0)
		rc = read_requires(g, op, n);
	if (rc == 0)
		rc = get_value(g, n, "env", SHAPE_MAP, &op->env);
	if (rc == 0)
		rc = get_strlist(g, n, "env-secrets", &op->env_secrets);
	if (rc == 0)
		rc = get_string(g, n, "python-requires", &op->python_requires);
	if (rc == 0)
		rc = get_strlist(g, n, "python-path", &op->python_path);
	if (rc == 0)
		rc = get_bool(g, n, "stoppable", &op->stoppable);
	if (rc == 0)
		rc = get_string(g, n, "label", &op->label);
	if (rc == 0)
		rc = get_strlist(g, n, "tags", &op->tags);
	if (rc == 0)
		rc = get_strlist(g, n, "compare", &op->compare);
	if (rc == 0)
		rc = get_bool(g, n, "handle-keyboard-interrupt",
		    &op->handle_keyboard_interrupt);
	if (rc == 0)
		rc = get_string(g, n, "flag-encoder", &op->flag_encoder);
	if (rc == 0)
		rc = get_long(g, n, "default-max-trials",
		    &op->default_max_trials);
	if (rc == 0)
		rc = read_capture(g, n, "output-scalars", &op->output_scalars);
	if (rc == 0)
		rc = read_capture(g, n, "output-attrs", &op->output_attrs);
	if (rc == 0)
		rc = get_value(g, n, "objective", SHAPE_ANY, &op->objective);
	if (rc == 0 && ynode_get(n, "optimizer") != NULL &&
	    ynode_get(n, "optimizers") != NULL)
		rc = gerror(g, key, "conflicting optimizer configuration in "
		    "operation '%s': cannot define both 'optimizer' and "
		    "'optimizers'", key->str);
	if (rc == 0)
		rc = get_value(g, n, "optimizer", SHAPE_ANY, &op->optimizers);
	if (rc == 0)
		rc = get_value(g, n, "optimizers", SHAPE_ANY, &op->optimizers);
	if (rc == 0)
		rc = get_value(g, n, "publish", SHAPE_MAP, &op->publish);
	if (rc == 0)
		rc = read_sourcecode(g, n, &op->sourcecode);
	if (rc == 0)
		rc = get_bool(g, n, "delete-on-success", &op->delete_on_success);
	if (rc == 0)
		rc = get_bool(g, n, "can-stage-trials", &op->can_stage_trials);
	if (rc == 0)
		rc = get_bool(g, n, "pip-freeze", &op->pip_freeze);
	if (rc == 0)
		rc = get_value(g, n, "run-attrs", SHAPE_MAP, &op->run_attrs);
	if (rc == 0)
		rc = get_bool(g, n, "default-flag-arg-skip",
		    &op->default_flag_arg_skip);
	if (rc != 0) {
		opdef_free(op);
		return -1;
	}
	*out = op;
	return 0;
}

static void
modeldef_free(struct modeldef *m)
{
	size_t	i;

	if (m == NULL)
		return;
	free(m->name);
	free(m->description);
	for (i = 0; i < m->nops; i++)
		opdef_free(m->ops[i]);
	free(m->ops);
	for (i = 0; i < m->nresources; i++)
		resdef_free(m->resources[i]);
	free(m->resources);
	sourcecode_free(&m->sourcecode);
	strvec_clear(&m->extends);
	value_free(m->references);
	value_free(m->extra);
	free(m->python_requires);
	free(m);
}

static int
read_model_ops(struct gload *g, struct modeldef *m, const struct ynode *data)
{
	const struct ynode	*defs = ynode_get(data, "operation-defaults");
	struct ynode		*ops;
	size_t			 i;
	int			 rc = 0;

	if (!is_null(defs) && defs->kind != YNODE_MAP)
		return type_error(g, defs, "operation-defaults", "a mapping");
	if ((ops = resolve_includes(g, data, "operations")) == NULL)
		return -1;
	m->ops = xcalloc(ops->n ? ops->n : 1, sizeof *m->ops);
	for (i = 0; rc == 0 && i < ops->n; i++) {
		if (ops->items[i]->kind == YNODE_MAP)
			rc = apply_op_defaults(g, ops->items[i], defs);
		if (rc == 0)
			rc = read_op(g, m, ops->keys[i], ops->items[i],
			    &m->ops[m->nops]);
		if (rc == 0)
			m->nops++;
	}
	ynode_free(ops);
	return rc;
}

static int
read_model_resources(struct gload *g, struct modeldef *m,
    const struct ynode *data)
{
	struct ynode	*res;
	size_t		 i;
	int		 rc = 0;

	if ((res = resolve_includes(g, data, "resources")) == NULL)
		return -1;
	m->resources = xcalloc(res->n ? res->n : 1, sizeof *m->resources);
	for (i = 0; rc == 0 && i < res->n; i++) {
		rc = read_resource(g, res->keys[i]->str, res->keys[i],
		    res->items[i], false, &m->resources[m->nresources]);
		if (rc == 0)
			m->nresources++;
	}
	ynode_free(res);
	return rc;
}

static int
read_model(struct gload *g, const struct ynode *item, const char *name)
{
	struct strvec	 seen = STRVEC_INIT;
	struct modeldef	*m;
	struct ynode	*data;
	int		 rc;

	strvec_push(&seen, name);
	data = extended_data(g, item, &seen);
	strvec_clear(&seen);
	if (data == NULL)
		return -1;
	if (apply_params(g, data) != 0) {
		ynode_free(data);
		return -1;
	}
	check_attrs(g, data, "model", model_attrs, ARRAY_SIZE(model_attrs));

	m = xcalloc(1, sizeof *m);
	m->gf = g->gf;
	m->name = xstrdup(name);
	m->line = item->line;
	rc = get_description(g, data, &m->description, true);
	if (rc == 0)
		rc = get_bool(g, data, "default", &m->default_);
	if (rc == 0)
		rc = get_strlist(g, item, "extends", &m->extends);
	if (rc == 0)
		rc = get_value(g, data, "references", SHAPE_ANY,
		    &m->references);
	if (rc == 0)
		rc = get_value(g, data, "extra", SHAPE_ANY, &m->extra);
	if (rc == 0)
		rc = get_string(g, data, "python-requires",
		    &m->python_requires);
	if (rc == 0)
		rc = read_sourcecode(g, data, &m->sourcecode);
	if (rc == 0)
		rc = read_model_ops(g, m, data);
	if (rc == 0)
		rc = read_model_resources(g, m, data);
	ynode_free(data);
	if (rc != 0) {
		modeldef_free(m);
		return -1;
	}
	g->gf->models = xreallocarray(g->gf->models, g->gf->nmodels + 1,
	    sizeof *g->gf->models);
	g->gf->models[g->gf->nmodels++] = m;
	return 0;
}

static int
read_models(struct gload *g)
{
	const struct ynode	*item, *name;
	struct strset		 names = { NULL, 0, 0 };
	const char		*n;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < g->nitems; i++) {
		if ((n = item_name(g->items[i])) != NULL)
			smap_add(&g->item_names, n, i);
	}
	for (i = 0; rc == 0 && i < g->nitems; i++) {
		item = g->items[i];
		if ((name = ynode_get(item, "model")) == NULL)
			continue;
		if (!strset_add(&names, name->str))
			rc = gerror(g, item, "duplicate model '%s'", name->str);
		else
			rc = read_model(g, item, name->str);
	}
	strset_clear(&names);
	return rc;
}

/* ---------------------------------------------------------------- */
/* Loading. */

static struct guildfile *
load(struct ynode *root, const char *name, const char *path, char **cause)
{
	struct gload	 g;
	struct guildfile *gf;
	char		*real;
	size_t		 i;
	int		 rc;

	gf = xcalloc(1, sizeof *gf);
	gf->path = path_absolute(path);
	gf->dir = dir_of(gf->path);
	real = realpath(gf->path, NULL);

	memset(&g, 0, sizeof g);
	g.gf = gf;
	g.cause = cause;
	g.roots = xmalloc(sizeof *g.roots);
	g.roots[0] = root;
	g.nroots = g.roots_alloc = 1;
	strvec_push(&g.included, real != NULL ? real : gf->path);
	free(real);
	strvec_push(&g.included_names, name);

	rc = root != NULL ? charge(&g, root) : 0;
	if (rc == 0)
		rc = load_root(&g, root, name, gf->dir, 0);
	if (rc == 0)
		rc = read_models(&g);

	for (i = 0; i < g.nroots; i++)
		ynode_free(g.roots[i]);
	free(g.roots);
	free(g.items);
	strvec_clear(&g.included);
	strvec_clear(&g.included_names);
	strset_clear(&g.warned);
	smap_clear(&g.item_names);
	smap_clear(&g.memo);
	for (i = 0; i < g.nmemo; i++)
		ynode_free(g.memo_data[i]);
	free(g.memo_data);
	if (rc != 0) {
		guildfile_free(gf);
		return NULL;
	}
	return gf;
}

struct guildfile *
guildfile_load_buf(const char *buf, size_t len, const char *name,
    const char *dir, char **cause)
{
	struct ynode	*root;
	char		*error = NULL, *path, *cwd;
	struct guildfile *gf;

	if (name == NULL)
		name = GF_NAME;
	root = ynode_parse(buf, len, name, &error);
	if (root == NULL && error != NULL) {
		set_cause(cause, "%s", error);
		free(error);
		return NULL;
	}
	if (dir != NULL)
		path = path_join(dir, name);
	else {
		cwd = path_absolute(".");
		path = path_join(cwd, name);
		free(cwd);
	}
	gf = load(root, name, path, cause);
	free(path);
	return gf;
}

struct guildfile *
guildfile_load(const char *path, char **cause)
{
	struct ynode	*root;
	char		*error = NULL;

	root = ynode_parse_file(path, path, &error);
	if (root == NULL && error != NULL) {
		set_cause(cause, "%s", error);
		free(error);
		return NULL;
	}
	return load(root, path, path, cause);
}

struct guildfile *
guildfile_find(const char *dir, char **cause)
{
	struct guildfile *gf;
	struct ynode	*root;
	char		*path, *shown, *abs, *error = NULL;

	path = path_join(dir != NULL ? dir : ".", GF_NAME);
	if (!path_exists(path)) {
		abs = path_absolute(dir != NULL ? dir : ".");
		set_cause(cause, "no %s in %s (run guild inside a project "
		    "directory or use -C DIR)", GF_NAME,
		    dir != NULL ? dir : abs);
		free(abs);
		free(path);
		return NULL;
	}
	/* Messages name the file as the user would write it. */
	shown = dir != NULL ? xstrdup(path) : xstrdup(GF_NAME);
	root = ynode_parse_file(path, shown, &error);
	if (root == NULL && error != NULL) {
		set_cause(cause, "%s", error);
		free(error);
		free(shown);
		free(path);
		return NULL;
	}
	gf = load(root, shown, path, cause);
	free(shown);
	free(path);
	return gf;
}

void
guildfile_free(struct guildfile *gf)
{
	size_t	i;

	if (gf == NULL)
		return;
	for (i = 0; i < gf->nmodels; i++)
		modeldef_free(gf->models[i]);
	free(gf->models);
	free(gf->path);
	free(gf->dir);
	free(gf);
}

/* ---------------------------------------------------------------- */
/* Lookups. */

struct modeldef *
guildfile_default_model(const struct guildfile *gf)
{
	size_t	i;

	if (gf->nmodels == 1)
		return gf->models[0];
	for (i = 0; i < gf->nmodels; i++) {
		if (gf->models[i]->default_)
			return gf->models[i];
	}
	return NULL;
}

struct modeldef *
guildfile_model(const struct guildfile *gf, const char *name)
{
	size_t	i;

	for (i = 0; i < gf->nmodels; i++) {
		if (strcmp(gf->models[i]->name, name) == 0)
			return gf->models[i];
	}
	return NULL;
}

struct opdef *
modeldef_op(const struct modeldef *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->nops; i++) {
		if (strcmp(m->ops[i]->name, name) == 0)
			return m->ops[i];
	}
	return NULL;
}

struct resdef *
modeldef_resource(const struct modeldef *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->nresources; i++) {
		if (strcmp(m->resources[i]->name, name) == 0)
			return m->resources[i];
	}
	return NULL;
}

struct flagdef *
opdef_flag(const struct opdef *op, const char *name)
{
	size_t	i;

	for (i = 0; i < op->nflags; i++) {
		if (strcmp(op->flags[i]->name, name) == 0)
			return op->flags[i];
	}
	return NULL;
}

struct opdef *
modeldef_default_op(const struct modeldef *m)
{
	struct opdef	*public = NULL;
	size_t		 i, npublic = 0;

	for (i = 0; i < m->nops; i++) {
		if (m->ops[i]->default_)
			return m->ops[i];
		if (m->ops[i]->name[0] != '_') {
			public = m->ops[i];
			npublic++;
		}
	}
	return npublic == 1 ? public : NULL;
}

char *
opdef_fullname(const struct opdef *op)
{
	if (op->model == NULL || *op->model->name == '\0')
		return xstrdup(op->name);
	return xasprintf("%s:%s", op->model->name, op->name);
}

const char *
flag_type_name(enum flag_type t)
{
	if ((size_t)t >= ARRAY_SIZE(flag_type_names))
		return "auto";
	return flag_type_names[t];
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "\nOperations: a:x, a:y" or " (no operations defined)". */
static void
list_ops(struct strbuf *sb, const struct guildfile *gf)
{
	struct strvec	 names = STRVEC_INIT;
	size_t		 i, j;

	for (i = 0; i < gf->nmodels; i++) {
		for (j = 0; j < gf->models[i]->nops; j++)
			strvec_push_nodup(&names,
			    opdef_fullname(gf->models[i]->ops[j]));
	}
	if (names.n == 0) {
		strbuf_addstr(sb, " (no operations defined)");
		return;
	}
	qsort(names.v, names.n, sizeof *names.v, cmp_str);
	strbuf_addstr(sb, "\nOperations: ");
	for (i = 0; i < names.n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", names.v[i]);
	strvec_clear(&names);
}

/* Fail with msg (which is freed) and the list of operations. */
static struct opdef *
resolve_fail(const struct guildfile *gf, char **cause, char *msg)
{
	struct strbuf	sb = STRBUF_INIT;

	strbuf_addstr(&sb, msg);
	free(msg);
	list_ops(&sb, gf);
	set_cause(cause, "%s", sb.buf);
	strbuf_release(&sb);
	return NULL;
}

/* A model by exact name, else by unique substring; NULL with cause. */
static struct modeldef *
match_model(const struct guildfile *gf, const char *name, bool quiet,
    char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct modeldef	*m, *found = NULL;
	size_t		 i, count = 0;

	if ((m = guildfile_model(gf, name)) != NULL)
		return m;
	for (i = 0; i < gf->nmodels; i++) {
		if (strstr(gf->models[i]->name, name) != NULL) {
			strbuf_addf(&sb, "%s%s", count ? ", " : "",
			    gf->models[i]->name);
			found = gf->models[i];
			count++;
		}
	}
	if (count == 1) {
		strbuf_release(&sb);
		return found;
	}
	if (!quiet) {
		if (count > 1)
			set_cause(cause, "model '%s' is ambiguous: %s", name,
			    sb.buf);
		else {
			strbuf_reset(&sb);
			for (i = 0; i < gf->nmodels; i++)
				strbuf_addf(&sb, "%s%s", i ? ", " : "",
				    gf->models[i]->name);
			if (gf->nmodels == 0)
				set_cause(cause, "cannot find model '%s' (no "
				    "models defined)", name);
			else
				set_cause(cause, "cannot find model '%s'\n"
				    "Models: %s", name, sb.buf);
		}
	}
	strbuf_release(&sb);
	return NULL;
}

struct opdef *
opspec_resolve(const struct guildfile *gf, const char *spec, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct modeldef	*m;
	struct opdef	*op, *found = NULL;
	const char	*colon;
	char		*model, *full;
	size_t		 i, count = 0;

	if (*spec == '\0') {
		if ((m = guildfile_default_model(gf)) != NULL &&
		    (op = modeldef_default_op(m)) != NULL)
			return op;
		return resolve_fail(gf, cause,
		    xstrdup("cannot find a default operation"));
	}
	if ((colon = strchr(spec, ':')) == NULL) {
		m = guildfile_default_model(gf);
		if (m != NULL && (op = modeldef_op(m, spec)) != NULL)
			return op;
		for (i = 0; i < gf->nmodels; i++) {
			if ((op = modeldef_op(gf->models[i], spec)) == NULL)
				continue;
			full = opdef_fullname(op);
			strbuf_addf(&sb, "%s%s", count ? ", " : "", full);
			free(full);
			found = op;
			count++;
		}
		if (count == 1) {
			strbuf_release(&sb);
			return found;
		}
		if (count > 1) {
			set_cause(cause, "operation '%s' is ambiguous: %s", spec,
			    sb.buf);
			strbuf_release(&sb);
			return NULL;
		}
		strbuf_release(&sb);
		/* "guild run MODEL": the model's default operation. */
		m = match_model(gf, spec, true, NULL);
		if (m != NULL && (op = modeldef_default_op(m)) != NULL)
			return op;
		return resolve_fail(gf, cause,
		    xasprintf("cannot find operation '%s'", spec));
	}
	model = xstrndup(spec, (size_t)(colon - spec));
	m = match_model(gf, model, false, cause);
	free(model);
	if (m == NULL)
		return NULL;
	if (colon[1] == '\0') {
		if ((op = modeldef_default_op(m)) != NULL)
			return op;
		return resolve_fail(gf, cause, xasprintf("model '%s' has no "
		    "default operation", m->name));
	}
	if ((op = modeldef_op(m, colon + 1)) != NULL)
		return op;
	return resolve_fail(gf, cause,
	    xasprintf("cannot find operation '%s'", spec));
}
