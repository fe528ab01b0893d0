/*
 * guildfile-util.c: the guild.yml loader's containers, errors, budget and
 * typed access to attributes (see guildfile-int.h).
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guildfile.h"
#include "guildfile-int.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

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
bool
gf_strset_add(struct strset *set, const char *s)
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

void
gf_strset_clear(struct strset *set)
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
void
gf_smap_add(struct smap *m, const char *key, size_t val)
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

bool
gf_smap_get(const struct smap *m, const char *key, size_t *val)
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

void
gf_smap_clear(struct smap *m)
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

void
gf_kindex_init(struct kindex *ki, const struct ynode *map)
{
	memset(ki, 0, sizeof *ki);
	ki->map = map;
	kindex_rebuild(ki, map->n + 1);
}

/* Index of key in the map, or -1. */
ssize_t
gf_kindex_find(const struct kindex *ki, const char *key, size_t len)
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
void
gf_kindex_added(struct kindex *ki)
{
	if ((ki->map->n + 1) * 2 > ki->cap)
		kindex_rebuild(ki, ki->map->n + 1);
	else {
		kindex_insert(ki, ki->map->n - 1);
		ki->n++;
	}
}

void
gf_kindex_free(struct kindex *ki)
{
	free(ki->slots);
	ki->slots = NULL;
}


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

void
gf_vbuild_init(struct vbuild *vb)
{
	vb->map = value_map();
	vb->cap = 16;
	vb->slots = xcalloc(vb->cap, sizeof *vb->slots);
}

/* Set key (replacing an earlier value); takes ownership of v. */
void
gf_vbuild_set(struct vbuild *vb, const char *key, struct value *v)
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
struct value *
gf_vbuild_done(struct vbuild *vb)
{
	free(vb->slots);
	vb->slots = NULL;
	return vb->map;
}

bool
gf_name_in(const char *name, const char *const *list, size_t n)
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

int PRINTFLIKE(3, 4)
gf_error(struct gload *g, const struct ynode *at, const char *fmt, ...)
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

	msg = xasprintf("%s:%u:%u: unknown %s attribute '%s'",
	    key->file != NULL ? key->file : GF_NAME, key->line, key->col, what,
	    key->str);
	if (g->in_op) {
		if (g->op_unknown == NULL)
			g->op_unknown = msg;
		else
			free(msg);
		return;
	}
	/* Inherited and default attributes would repeat the same warning. */
	if (gf_strset_add(&g->warned, msg))
		warnx_core("%s", msg);
	free(msg);
}

void
gf_check_attrs(struct gload *g, const struct ynode *map, const char *what,
    const char *const *known, size_t nknown)
{
	size_t	i;

	for (i = 0; i < map->n; i++) {
		if (!gf_name_in(map->keys[i]->str, known, nknown))
			unknown_attr(g, map->keys[i], what);
	}
}

int
gf_charge(struct gload *g, const struct ynode *n)
{
	/* A package's load spends the project's budget. */
	struct gload	*t = g->top != NULL ? g->top : g;
	size_t		 nodes, bytes = 0;

	nodes = ynode_count(n, &bytes);
	if (nodes > GF_MAX_NODES - t->nodes || bytes > GF_MAX_BYTES - t->bytes) {
		t->over_budget = true;
		return gf_error(g, n, "too much data after expanding include, "
		    "extends, $include and params (more than %u nodes or %u "
		    "bytes)", GF_MAX_NODES, GF_MAX_BYTES);
	}
	t->nodes += nodes;
	t->bytes += bytes;
	return 0;
}

int
gf_charge_bytes(struct gload *g, const struct ynode *at, size_t bytes)
{
	struct gload	*t = g->top != NULL ? g->top : g;

	if (bytes > GF_MAX_BYTES - t->bytes) {
		t->over_budget = true;
		return gf_error(g, at, "too much data after expanding params "
		    "(more than %u bytes)", GF_MAX_BYTES);
	}
	t->bytes += bytes;
	return 0;
}

/* A copy charged to the budget; NULL (with the error set) when over. */
struct ynode *
gf_dup(struct gload *g, const struct ynode *n)
{
	if (gf_charge(g, n) != 0)
		return NULL;
	return ynode_dup(n);
}

/* ---------------------------------------------------------------- */
/* Typed access to attributes. */

bool
gf_is_null(const struct ynode *n)
{
	return n == NULL || ynode_is_null(n);
}

/* A scalar that reads as a string (quoted, or plain text that is not a
 * number, bool or null). */
bool
gf_is_string(const struct ynode *n)
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

int
gf_type_error(struct gload *g, const struct ynode *n, const char *attr,
    const char *expected)
{
	if (n->kind == YNODE_SCALAR && n->len <= 40 &&
	    memchr(n->str, '\n', n->len) == NULL && strlen(n->str) == n->len)
		return gf_error(g, n, "invalid value '%s' for '%s': expected %s",
		    n->str, attr, expected);
	return gf_error(g, n, "invalid value for '%s': expected %s", attr,
	    expected);
}

int
gf_get_string(struct gload *g, const struct ynode *map, const char *attr,
    char **out)
{
	const struct ynode	*n = ynode_get(map, attr);

	if (gf_is_null(n))
		return 0;
	if (n->kind != YNODE_SCALAR)
		return gf_type_error(g, n, attr, "a string");
	free(*out);
	*out = xstrdup(n->str);
	return 0;
}

/* Guild strips descriptions. */
int
gf_get_description(struct gload *g, const struct ynode *map, char **out,
    bool strip)
{
	char	*s = NULL, *p, *e;

	if (gf_get_string(g, map, "description", &s) != 0)
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

	if (gf_is_null(n))
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
	return gf_type_error(g, n, attr, "yes or no");
}

int
gf_get_bool(struct gload *g, const struct ynode *map, const char *attr, bool *out)
{
	return node_bool(g, ynode_get(map, attr), attr, out);
}

int
gf_get_long(struct gload *g, const struct ynode *map, const char *attr, long *out)
{
	const struct ynode	*n = ynode_get(map, attr);
	struct value		*v;

	if (gf_is_null(n))
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
	return gf_type_error(g, n, attr, "a whole number");
}

/* A string, or a list of strings (null: nothing). */
int
gf_node_strlist(struct gload *g, const struct ynode *n, const char *attr,
    struct strvec *out)
{
	size_t	i;

	if (gf_is_null(n))
		return 0;
	if (n->kind == YNODE_SCALAR) {
		strvec_push(out, n->str);
		return 0;
	}
	if (n->kind != YNODE_SEQ)
		return gf_type_error(g, n, attr, "a string or a list of strings");
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->kind != YNODE_SCALAR)
			return gf_type_error(g, n->items[i], attr, "a string");
		strvec_push(out, n->items[i]->str);
	}
	return 0;
}

int
gf_get_strlist(struct gload *g, const struct ynode *map, const char *attr,
    struct strvec *out)
{
	return gf_node_strlist(g, ynode_get(map, attr), attr, out);
}

int
gf_get_value(struct gload *g, const struct ynode *map, const char *attr,
    enum vshape shape, struct value **out)
{
	const struct ynode	*n = ynode_get(map, attr);

	if (gf_is_null(n))
		return 0;
	if (shape == SHAPE_MAP && n->kind != YNODE_MAP)
		return gf_type_error(g, n, attr, "a mapping");
	if (shape == SHAPE_SCALAR && n->kind != YNODE_SCALAR)
		return gf_type_error(g, n, attr, "a single value");
	value_free(*out);
	*out = ynode_to_value(n);
	return 0;
}

/* target-path, with path as its older name. */
int
gf_get_target_path(struct gload *g, const struct ynode *map, char **out)
{
	if (gf_get_string(g, map, "path", out) != 0)
		return -1;
	return gf_get_string(g, map, "target-path", out);
}

int
gf_get_target_type(struct gload *g, const struct ynode *map, char **out)
{
	const struct ynode	*n = ynode_get(map, "target-type");

	if (gf_get_string(g, map, "target-type", out) != 0)
		return -1;
	if (*out != NULL && strcmp(*out, "link") != 0 &&
	    strcmp(*out, "copy") != 0)
		return gf_type_error(g, n, "target-type", "link or copy");
	return 0;
}
