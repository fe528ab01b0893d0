/*
 * yamlnode.c: YAML text to struct ynode, through libyaml's event API.
 *
 * This is the only file that includes <yaml.h>. The tree is built with an
 * explicit stack, so hostile nesting cannot exhaust the C stack; aliases
 * are expanded into copies, charged against a node and byte budget so a
 * "billion laughs" document fails quickly instead of eating memory.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "strbuf.h"
#include "value.h"
#include "yamlnode.h"

/* Bytes that alias copies may add on top of the text itself. */
#define YNODE_MAX_ALIAS_BYTES	(64u * 1024 * 1024)
#define YNODE_MAX_FILE		(64u * 1024 * 1024)

#define TAG_PREFIX		"tag:yaml.org,2002:"

struct anchor {
	char		*name;
	struct ynode	*node;
	size_t		 height;	/* levels below node, for depth checks */
	bool		 complete;
};

struct frame {
	struct ynode	*node;
	size_t		 height;	/* levels below node so far */
	struct ynode	*key;		/* map key waiting for its value */
	size_t		 anchor;	/* index + 1 in anchors, or 0 */
};

struct builder {
	const char	*name;		/* owned by root->file once set */
	char		*file;		/* the root's copy of name */
	const char	*buf;
	size_t		 len;
	struct frame	*stack;
	size_t		 depth, stack_alloc;
	struct anchor	*anchors;
	size_t		 nanchors, anchors_alloc;
	size_t		*anchor_slots;
	size_t		 anchor_cap;
	struct ynode	*root;
	struct ynode	**graveyard;
	size_t		 ngraveyard, graveyard_alloc;
	size_t		 nodes;
	size_t		 alias_bytes;
	int		 documents;
	char		**cause;
};

static void	ynode_free_tree(struct ynode *);

static int PRINTFLIKE(4, 5)
node_error(struct builder *b, unsigned line, unsigned col, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (b->name != NULL)
		set_cause(b->cause, "%s:%u:%u: %s", b->name, line, col, msg);
	else
		set_cause(b->cause, "%u:%u: %s", line, col, msg);
	free(msg);
	return -1;
}

static struct ynode *
node_alloc(enum ynode_kind kind, const char *file, unsigned line, unsigned col)
{
	struct ynode	*n;

	n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->file = file;
	n->line = line;
	n->col = col;
	return n;
}

/* Free a tree whose file pointers are not ours to check (the builder's). */
static void
ynode_free_tree(struct ynode *n)
{
	size_t	i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++) {
		if (n->kind == YNODE_MAP)
			ynode_free_tree(n->keys[i]);
		ynode_free_tree(n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n->str);
	if (n->own_file)
		free((char *)n->file);
	free(n);
}

void
ynode_free(struct ynode *n)
{
	ynode_free_tree(n);
}

/*
 * Copy n. A node whose file is its parent's shares the copy's string;
 * where the file changes (or at the top) the copy owns its own string, so
 * any subtree can be copied out of any tree.
 */
static struct ynode *
dup_node(const struct ynode *n, const char *parent_file, const char *new_file)
{
	struct ynode	*d;
	size_t		 i;

	d = node_alloc(n->kind, NULL, n->line, n->col);
	if (n->file == NULL)
		d->file = NULL;
	else if (parent_file != NULL && n->file == parent_file)
		d->file = new_file;
	else {
		d->file = xstrdup(n->file);
		d->own_file = true;
	}
	d->plain = n->plain;
	if (n->kind == YNODE_SCALAR) {
		d->str = xmemdup(n->str, n->len + 1);
		d->len = n->len;
		return d;
	}
	if (n->n != 0) {
		d->alloc = n->n;
		d->items = xreallocarray(NULL, n->n, sizeof *d->items);
		if (n->kind == YNODE_MAP)
			d->keys = xreallocarray(NULL, n->n, sizeof *d->keys);
	}
	for (i = 0; i < n->n; i++) {
		if (n->kind == YNODE_MAP)
			d->keys[i] = dup_node(n->keys[i], n->file, d->file);
		d->items[i] = dup_node(n->items[i], n->file, d->file);
	}
	d->n = n->n;
	return d;
}

struct ynode *
ynode_dup(const struct ynode *n)
{
	if (n == NULL)
		return NULL;
	return dup_node(n, NULL, NULL);
}

size_t
ynode_count(const struct ynode *n, size_t *bytes)
{
	size_t	i, count = 1;

	if (n == NULL)
		return 0;
	if (bytes != NULL && n->kind == YNODE_SCALAR)
		*bytes += n->len;
	for (i = 0; i < n->n; i++) {
		if (n->kind == YNODE_MAP)
			count += ynode_count(n->keys[i], bytes);
		count += ynode_count(n->items[i], bytes);
	}
	return count;
}

static void
node_push(struct ynode *parent, struct ynode *key, struct ynode *item)
{
	if (parent->n == parent->alloc) {
		size_t	alloc = parent->alloc;

		XGROW(parent->items, alloc, parent->n + 1);
		if (parent->kind == YNODE_MAP)
			parent->keys = xreallocarray(parent->keys, alloc,
			    sizeof *parent->keys);
		parent->alloc = alloc;
	}
	if (parent->kind == YNODE_MAP)
		parent->keys[parent->n] = key;
	parent->items[parent->n++] = item;
}

static struct ynode *
new_at(enum ynode_kind kind, const struct ynode *at)
{
	struct ynode	*n;

	n = node_alloc(kind, NULL, 0, 0);
	if (at != NULL) {
		n->line = at->line;
		n->col = at->col;
		if (at->file != NULL) {
			n->file = xstrdup(at->file);
			n->own_file = true;
		}
	}
	return n;
}

struct ynode *
ynode_new_scalar(const char *s, size_t len, bool plain, const struct ynode *at)
{
	struct ynode	*n;

	n = new_at(YNODE_SCALAR, at);
	n->str = xmalloc(len + 1);
	memcpy(n->str, s, len);
	n->str[len] = '\0';
	n->len = len;
	n->plain = plain;
	return n;
}

struct ynode *
ynode_new_seq(const struct ynode *at)
{
	return new_at(YNODE_SEQ, at);
}

struct ynode *
ynode_new_map(const struct ynode *at)
{
	return new_at(YNODE_MAP, at);
}

void
ynode_seq_push(struct ynode *seq, struct ynode *item)
{
	node_push(seq, NULL, item);
}

void
ynode_map_push(struct ynode *map, struct ynode *key, struct ynode *value)
{
	node_push(map, key, value);
}

static bool
is_merge_key(const struct ynode *k)
{
	return k->kind == YNODE_SCALAR && k->plain && k->len == 2 &&
	    memcmp(k->str, "<<", 2) == 0;
}

static int
charge(struct builder *b, size_t nodes, unsigned line, unsigned col)
{
	if (nodes > YNODE_MAX_NODES - b->nodes)
		return node_error(b, line, col, "document too large (more "
		    "than %u nodes after expanding aliases)", YNODE_MAX_NODES);
	b->nodes += nodes;
	return 0;
}

/* Nodes dropped while parsing stay alive until the end: anchors may still
 * point into them. */
static void
bury(struct builder *b, struct ynode *n)
{
	if (n == NULL)
		return;
	XGROW(b->graveyard, b->graveyard_alloc, b->ngraveyard + 1);
	b->graveyard[b->ngraveyard++] = n;
}

static int
key_cmp(const struct ynode *a, const struct ynode *b)
{
	size_t	n = a->len < b->len ? a->len : b->len;
	int	c;

	if ((c = memcmp(a->str, b->str, n)) != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static const struct ynode *sort_map;

static int
index_cmp(const void *pa, const void *pb)
{
	size_t	a = *(const size_t *)pa, b = *(const size_t *)pb;
	int	c;

	if ((c = key_cmp(sort_map->keys[a], sort_map->keys[b])) != 0)
		return c;
	return a < b ? -1 : a > b;
}

/*
 * Fold duplicate keys as PyYAML's dict construction does: the first
 * occurrence keeps its place, the last value wins. Sorting an index keeps
 * this O(n log n) for large maps.
 */
static void
map_dedup(struct builder *b, struct ynode *map)
{
	size_t	*idx, i, j, k, n = map->n;
	bool	*drop, any = false;

	if (n < 2)
		return;
	if (n <= 16) {
		for (i = 0; i < n; i++) {
			for (j = i + 1; j < n; j++) {
				if (key_cmp(map->keys[i], map->keys[j]) == 0)
					break;
			}
			if (j < n)
				break;
		}
		if (i == n)
			return;
	}
	idx = xreallocarray(NULL, n, sizeof *idx);
	for (i = 0; i < n; i++)
		idx[i] = i;
	sort_map = map;
	qsort(idx, n, sizeof *idx, index_cmp);
	sort_map = NULL;
	drop = xcalloc(n, sizeof *drop);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n; j++) {
			if (key_cmp(map->keys[idx[i]], map->keys[idx[j]]) != 0)
				break;
		}
		if (j - i == 1)
			continue;
		any = true;
		/* idx[i] is the first occurrence, idx[j - 1] the last. */
		bury(b, map->items[idx[i]]);
		map->items[idx[i]] = map->items[idx[j - 1]];
		map->items[idx[j - 1]] = NULL;
		for (k = i + 1; k < j; k++)
			drop[idx[k]] = true;
	}
	if (any) {
		for (i = j = 0; i < n; i++) {
			if (drop[i]) {
				bury(b, map->keys[i]);
				bury(b, map->items[i]);
				continue;
			}
			map->keys[j] = map->keys[i];
			map->items[j] = map->items[i];
			j++;
		}
		map->n = j;
	}
	free(drop);
	free(idx);
}

/* Append copies of the pairs of src (a map) to dst. */
static int
copy_pairs(struct builder *b, struct ynode *dst, const struct ynode *src)
{
	size_t	i;

	if (charge(b, ynode_count(src, NULL) - 1, src->line, src->col) != 0)
		return -1;
	for (i = 0; i < src->n; i++)
		node_push(dst, dup_node(src->keys[i], src->file, dst->file),
		    dup_node(src->items[i], src->file, dst->file));
	return 0;
}

/*
 * Apply merge keys: merged pairs go first (for a list of maps, the first
 * map wins), then the map's own pairs, which win over all of them. The
 * merged maps are copied, since an anchor may name them.
 */
static int
map_merge_keys(struct builder *b, struct ynode *map)
{
	struct ynode	*out, *v;
	size_t		 i, j;
	bool		 found = false;
	int		 rc = 0;

	for (i = 0; i < map->n; i++) {
		if (!is_merge_key(map->keys[i]))
			continue;
		found = true;
		v = map->items[i];
		if (v->kind == YNODE_SEQ) {
			for (j = 0; j < v->n; j++) {
				if (v->items[j]->kind != YNODE_MAP)
					return node_error(b, v->items[j]->line,
					    v->items[j]->col, "expected a mapping "
					    "for merging");
			}
		} else if (v->kind != YNODE_MAP)
			return node_error(b, v->line, v->col, "expected a "
			    "mapping or list of mappings for merging");
	}
	if (!found)
		return 0;
	out = node_alloc(YNODE_MAP, map->file, map->line, map->col);
	for (i = 0; rc == 0 && i < map->n; i++) {
		if (!is_merge_key(map->keys[i]))
			continue;
		v = map->items[i];
		if (v->kind == YNODE_MAP)
			rc = copy_pairs(b, out, v);
		else {
			for (j = v->n; rc == 0 && j > 0; j--)
				rc = copy_pairs(b, out, v->items[j - 1]);
		}
	}
	if (rc != 0) {
		ynode_free_tree(out);
		return -1;
	}
	for (i = 0; i < map->n; i++) {
		if (is_merge_key(map->keys[i])) {
			bury(b, map->keys[i]);
			bury(b, map->items[i]);
		} else
			node_push(out, map->keys[i], map->items[i]);
	}
	free(map->keys);
	free(map->items);
	map->keys = out->keys;
	map->items = out->items;
	map->n = out->n;
	map->alloc = out->alloc;
	free(out);
	return 0;
}

/*
 * Anchors are found through a hash table of their names (slots hold an
 * index + 1 into b->anchors): a document may hold many of them.
 */
static size_t
anchor_hash(const char *s)
{
	size_t	h = 5381;

	while (*s != '\0')
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static size_t *
anchor_slot(struct builder *b, const char *name)
{
	size_t	j, mask = b->anchor_cap - 1;

	j = anchor_hash(name) & mask;
	while (b->anchor_slots[j] != 0 &&
	    strcmp(b->anchors[b->anchor_slots[j] - 1].name, name) != 0)
		j = (j + 1) & mask;
	return &b->anchor_slots[j];
}

static struct anchor *
anchor_find(struct builder *b, const char *name)
{
	size_t	*slot;

	if (b->anchor_cap == 0)
		return NULL;
	slot = anchor_slot(b, name);
	return *slot != 0 ? &b->anchors[*slot - 1] : NULL;
}

static size_t
anchor_add(struct builder *b, const char *name, struct ynode *node)
{
	struct anchor	*a;
	size_t		 i;

	XGROW(b->anchors, b->anchors_alloc, b->nanchors + 1);
	a = &b->anchors[b->nanchors++];
	a->name = xstrdup(name);
	a->node = node;
	a->height = 0;
	a->complete = false;
	if (b->nanchors * 2 > b->anchor_cap) {
		free(b->anchor_slots);
		b->anchor_cap = b->anchor_cap == 0 ? 64 : b->anchor_cap * 2;
		b->anchor_slots = xcalloc(b->anchor_cap,
		    sizeof *b->anchor_slots);
		/* Later definitions of a name replace earlier ones. */
		for (i = 0; i < b->nanchors; i++)
			*anchor_slot(b, b->anchors[i].name) = i + 1;
	} else
		*anchor_slot(b, name) = b->nanchors;
	return b->nanchors;
}

/* Attach a finished node to the open container, or make it the root. */
static int
attach(struct builder *b, struct ynode *n, size_t height)
{
	struct frame	*f;

	if (b->depth == 0) {
		b->root = n;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	if (height + 1 > f->height)
		f->height = height + 1;
	if (f->node->kind == YNODE_SEQ) {
		node_push(f->node, NULL, n);
		return 0;
	}
	if (f->key == NULL) {
		if (n->kind != YNODE_SCALAR) {
			node_error(b, n->line, n->col, "found unhashable key");
			bury(b, n);
			return -1;
		}
		f->key = n;
		return 0;
	}
	node_push(f->node, f->key, n);
	f->key = NULL;
	return 0;
}

static int
depth_check(struct builder *b, size_t height, unsigned line, unsigned col)
{
	if (b->depth + height >= YNODE_MAX_DEPTH)
		return node_error(b, line, col, "document nested too deeply "
		    "(more than %u levels)", YNODE_MAX_DEPTH);
	return 0;
}

static void
apply_tag(struct ynode *n, const char *tag)
{
	if (tag == NULL)
		return;
	if (strcmp(tag, "!") == 0 || strcmp(tag, TAG_PREFIX "str") == 0)
		n->plain = false;
	else if (strcmp(tag, TAG_PREFIX "int") == 0 ||
	    strcmp(tag, TAG_PREFIX "float") == 0 ||
	    strcmp(tag, TAG_PREFIX "bool") == 0 ||
	    strcmp(tag, TAG_PREFIX "null") == 0)
		n->plain = true;
}

static unsigned
mark_line(const yaml_mark_t *m)
{
	return m->line + 1 > (size_t)~0u ? ~0u : (unsigned)(m->line + 1);
}

static unsigned
mark_col(const yaml_mark_t *m)
{
	return m->column + 1 > (size_t)~0u ? ~0u : (unsigned)(m->column + 1);
}

static int
on_alias(struct builder *b, yaml_event_t *ev)
{
	struct anchor	*a;
	struct ynode	*copy;
	size_t		 count, bytes = 0;
	unsigned	 line = mark_line(&ev->start_mark);
	unsigned	 col = mark_col(&ev->start_mark);

	a = anchor_find(b, (const char *)ev->data.alias.anchor);
	if (a == NULL)
		return node_error(b, line, col, "found undefined alias '%s'",
		    (const char *)ev->data.alias.anchor);
	if (!a->complete)
		return node_error(b, line, col, "found recursive alias '%s'",
		    (const char *)ev->data.alias.anchor);
	if (depth_check(b, a->height, line, col) != 0)
		return -1;
	count = ynode_count(a->node, &bytes);
	if (charge(b, count, line, col) != 0)
		return -1;
	if (bytes > YNODE_MAX_ALIAS_BYTES - b->alias_bytes)
		return node_error(b, line, col, "document too large (aliases "
		    "expand to more than %u bytes)", YNODE_MAX_ALIAS_BYTES);
	b->alias_bytes += bytes;
	copy = dup_node(a->node, b->file, b->file);
	/* The copy's root is where the alias is; inside, the anchor's text. */
	copy->line = line;
	copy->col = col;
	return attach(b, copy, a->height);
}

static int
on_scalar(struct builder *b, yaml_event_t *ev)
{
	struct ynode	*n;
	unsigned	 line = mark_line(&ev->start_mark);
	unsigned	 col = mark_col(&ev->start_mark);
	size_t		 ai;

	if (charge(b, 1, line, col) != 0)
		return -1;
	n = node_alloc(YNODE_SCALAR, b->file, line, col);
	n->len = ev->data.scalar.length;
	n->str = xmalloc(n->len + 1);
	memcpy(n->str, ev->data.scalar.value, n->len);
	n->str[n->len] = '\0';
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	apply_tag(n, (const char *)ev->data.scalar.tag);
	if (ev->data.scalar.anchor != NULL) {
		ai = anchor_add(b, (const char *)ev->data.scalar.anchor, n);
		b->anchors[ai - 1].complete = true;
	}
	return attach(b, n, 0);
}

static int
on_start(struct builder *b, yaml_event_t *ev, enum ynode_kind kind)
{
	struct ynode	*n;
	struct frame	*f;
	yaml_char_t	*anchor;
	unsigned	 line = mark_line(&ev->start_mark);
	unsigned	 col = mark_col(&ev->start_mark);

	if (depth_check(b, 0, line, col) != 0 || charge(b, 1, line, col) != 0)
		return -1;
	n = node_alloc(kind, b->file, line, col);
	XGROW(b->stack, b->stack_alloc, b->depth + 1);
	f = &b->stack[b->depth++];
	f->node = n;
	f->height = 0;
	f->key = NULL;
	f->anchor = 0;
	if (kind == YNODE_SEQ)
		anchor = ev->data.sequence_start.anchor;
	else
		anchor = ev->data.mapping_start.anchor;
	if (anchor != NULL)
		f->anchor = anchor_add(b, (const char *)anchor, n);
	return 0;
}

static int
on_end(struct builder *b)
{
	struct frame	*f = &b->stack[b->depth - 1];
	struct ynode	*n = f->node;
	size_t		 height = f->height;
	struct anchor	*a;

	if (n->kind == YNODE_MAP) {
		if (map_merge_keys(b, n) != 0)
			return -1;
		map_dedup(b, n);
	}
	if (f->anchor != 0) {
		a = &b->anchors[f->anchor - 1];
		a->complete = true;
		a->height = height;
	}
	b->depth--;
	return attach(b, n, height);
}

/* Line and column of a byte offset, for reader errors (bad encoding). */
static void
offset_position(const char *buf, size_t len, size_t off, unsigned *line,
    unsigned *col)
{
	size_t	i;

	*line = 1;
	*col = 1;
	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

static int
parser_error(struct builder *b, yaml_parser_t *p)
{
	unsigned	 line, col;
	const char	*problem = p->problem != NULL ? p->problem : "error";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return node_error(b, 1, 1, "out of memory");
	case YAML_READER_ERROR:
		offset_position(b->buf, b->len, p->problem_offset, &line, &col);
		return node_error(b, line, col, "%s", problem);
	default:
		line = mark_line(&p->problem_mark);
		col = mark_col(&p->problem_mark);
		/* The context helps when it started elsewhere. */
		if (p->context != NULL && mark_line(&p->context_mark) != line)
			return node_error(b, line, col, "%s (%s at line %u)",
			    problem, p->context, mark_line(&p->context_mark));
		return node_error(b, line, col, "%s", problem);
	}
}

static void
builder_clear(struct builder *b)
{
	size_t	i;

	for (i = b->depth; i > 0; i--) {
		ynode_free_tree(b->stack[i - 1].key);
		ynode_free_tree(b->stack[i - 1].node);
	}
	free(b->stack);
	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	free(b->anchors);
	free(b->anchor_slots);
	for (i = 0; i < b->ngraveyard; i++)
		ynode_free_tree(b->graveyard[i]);
	free(b->graveyard);
}

struct ynode *
ynode_parse(const char *buf, size_t len, const char *name, char **cause)
{
	struct builder	 b;
	yaml_parser_t	 p;
	yaml_event_t	 ev;
	int		 rc = 0;
	bool		 done = false;

	memset(&b, 0, sizeof b);
	b.name = name;
	b.buf = buf;
	b.len = len;
	b.cause = cause;
	if (name != NULL)
		b.file = xstrdup(name);

	if (!yaml_parser_initialize(&p)) {
		free(b.file);
		set_cause(cause, "%s: out of memory", name ? name : "yaml");
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = parser_error(&b, &p);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++b.documents > 1)
				rc = node_error(&b, mark_line(&ev.start_mark),
				    mark_col(&ev.start_mark), "expected a "
				    "single document in the stream");
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(&b, &ev);
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(&b, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(&b, &ev, YNODE_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(&b, &ev, YNODE_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = on_end(&b);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	builder_clear(&b);
	if (rc != 0) {
		ynode_free_tree(b.root);
		free(b.file);
		return NULL;
	}
	if (b.root == NULL) {
		free(b.file);
		return NULL;
	}
	if (b.file != NULL)
		b.root->own_file = true;
	return b.root;
}

struct ynode *
ynode_parse_file(const char *path, const char *name, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct stat	 st;
	struct ynode	*n;
	ssize_t		 r;
	int		 fd;

	if (name == NULL)
		name = path;
	/* O_NONBLOCK: opening a FIFO must not hang; it is refused below. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		set_cause(cause, "%s: %s", name, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		set_cause(cause, "%s: not a regular file", name);
		return NULL;
	}
	for (;;) {
		if (sb.len >= YNODE_MAX_FILE) {
			close(fd);
			strbuf_release(&sb);
			set_cause(cause, "%s: file too large (more than %u "
			    "bytes)", name, YNODE_MAX_FILE);
			return NULL;
		}
		/*
		 * The size fstat gave and one byte (to see the end), so that
		 * a small file costs a small buffer: 64 KB grown to 128 KB
		 * is an mmap and munmap of its own.
		 */
		if (sb.alloc == 0 && st.st_size >= 0 &&
		    st.st_size < YNODE_MAX_FILE)
			strbuf_grow(&sb, (size_t)st.st_size + 1);
		else if (sb.alloc - sb.len <= 1)
			strbuf_grow(&sb, 65536);
		r = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			set_cause(cause, "%s: %s", name, strerror(errno));
			close(fd);
			strbuf_release(&sb);
			return NULL;
		}
		sb.len += (size_t)r;
		sb.buf[sb.len] = '\0';
		/*
		 * All fstat said, in a short read: the end, without a read
		 * to see it (a file still growing is read as it was then).
		 * A size of 0 says nothing (/proc): read to the end.
		 */
		if (st.st_size > 0 && sb.len >= (size_t)st.st_size &&
		    sb.alloc - sb.len > 1)
			break;
	}
	close(fd);
	n = ynode_parse(sb.buf, sb.len, name, cause);
	strbuf_release(&sb);
	return n;
}

struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	size_t	i, len;

	if (map == NULL || map->kind != YNODE_MAP)
		return NULL;
	len = strlen(key);
	for (i = map->n; i > 0; i--) {
		const struct ynode	*k = map->keys[i - 1];

		if (k->len == len && memcmp(k->str, key, len) == 0)
			return map->items[i - 1];
	}
	return NULL;
}

bool
ynode_is_null(const struct ynode *n)
{
	if (n == NULL || n->kind != YNODE_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	    strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	    strcmp(n->str, "NULL") == 0;
}

/*
 * Fill a value map directly: keys are unique already, and value_map_set
 * would make large maps quadratic. Same layout as value.c (one count for
 * both arrays).
 */
static void
map_append(struct value *map, const char *key, struct value *item)
{
	size_t	alloc;

	if (map->u.map.n == map->u.map.alloc) {
		alloc = map->u.map.alloc;
		XGROW(map->u.map.v, alloc, map->u.map.n + 1);
		map->u.map.k = xreallocarray(map->u.map.k, alloc,
		    sizeof *map->u.map.k);
		map->u.map.alloc = alloc;
	}
	map->u.map.k[map->u.map.n] = xstrdup(key);
	map->u.map.v[map->u.map.n++] = item;
}

struct value *
ynode_to_value(const struct ynode *n)
{
	struct value	*v;
	size_t		 i;
	bool		 nul;

	if (n == NULL)
		return value_null();
	switch (n->kind) {
	case YNODE_SCALAR:
		if (n->plain)
			return value_from_plain_scalar(n->str, n->len);
		return value_string_n(n->str, n->len);
	case YNODE_SEQ:
		v = value_list();
		for (i = 0; i < n->n; i++)
			value_list_push(v, ynode_to_value(n->items[i]));
		return v;
	case YNODE_MAP:
		v = value_map();
		/* Keys cut at a NUL may collide: then let value.c fold them. */
		for (i = 0; i < n->n; i++) {
			if (strlen(n->keys[i]->str) != n->keys[i]->len)
				break;
		}
		nul = i < n->n;
		for (i = 0; i < n->n; i++) {
			if (nul)
				value_map_set(v, n->keys[i]->str,
				    ynode_to_value(n->items[i]));
			else
				map_append(v, n->keys[i]->str,
				    ynode_to_value(n->items[i]));
		}
		return v;
	}
	return value_null();
}

struct ynode *
ynode_from_value(const struct value *v)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct ynode	*n;
	size_t		 i;

	if (v == NULL)
		return ynode_new_scalar("null", 4, true, NULL);
	switch (v->type) {
	case VALUE_NULL:
		return ynode_new_scalar("null", 4, true, NULL);
	case VALUE_BOOL:
		return v->u.b ? ynode_new_scalar("true", 4, true, NULL) :
		    ynode_new_scalar("false", 5, true, NULL);
	case VALUE_INT:
		strbuf_addf(&sb, "%lld", v->u.i);
		break;
	case VALUE_FLOAT:
		/* YAML spells the specials differently from Python. */
		if (isnan(v->u.f))
			strbuf_addstr(&sb, ".nan");
		else if (isinf(v->u.f))
			strbuf_addstr(&sb, v->u.f > 0 ? ".inf" : "-.inf");
		else
			format_double(&sb, v->u.f);
		break;
	case VALUE_STRING:
		return ynode_new_scalar(v->u.s, strlen(v->u.s), false, NULL);
	case VALUE_LIST:
		n = ynode_new_seq(NULL);
		for (i = 0; i < v->u.list.n; i++)
			ynode_seq_push(n, ynode_from_value(v->u.list.v[i]));
		return n;
	case VALUE_MAP:
		n = ynode_new_map(NULL);
		for (i = 0; i < v->u.map.n; i++)
			ynode_map_push(n, ynode_new_scalar(v->u.map.k[i],
			    strlen(v->u.map.k[i]), false, NULL),
			    ynode_from_value(v->u.map.v[i]));
		return n;
	}
	n = ynode_new_scalar(sb.buf, sb.len, true, NULL);
	strbuf_release(&sb);
	return n;
}

struct value *
yaml_parse_value(const char *text, size_t len, char **cause)
{
	struct ynode	*n;
	struct value	*v;
	char		*error = NULL;

	n = ynode_parse(text, len, NULL, &error);
	if (n == NULL) {
		if (error != NULL) {
			set_cause(cause, "%s", error);
			free(error);
			return NULL;
		}
		return value_null();
	}
	v = ynode_to_value(n);
	ynode_free(n);
	return v;
}
