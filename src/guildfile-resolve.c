/*
 * guildfile-resolve.c: guild.yml's top-level items and include: files,
 * extends, params and $include (stages 1 and 2 and the first half of 3;
 * see guildfile.c).
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
    "package", "test" };

static const char *const inheritable[] = { "description", "extra", "flags",
    "operation-defaults", "operations", "params", "references", "resources",
    "sourcecode" };

static int	apply_section(struct gload *, const struct ynode *,
		    const char *, struct strset *, struct ynode *,
		    struct kindex *, const struct strvec *, unsigned, bool);

/* The finder of installed packages' guild.yml files (guildfile.h). */
static guildfile_pkg_finder	 pkg_finder;
static void			*pkg_finder_arg;

void
guildfile_set_pkg_finder(guildfile_pkg_finder finder, void *arg)
{
	pkg_finder = finder;
	pkg_finder_arg = arg;
}

static char *
find_pkg_guildfile(const char *name)
{
	char	*path, *abs;

	if (pkg_finder == NULL || *name == '\0' ||
	    (path = pkg_finder(name, pkg_finder_arg)) == NULL)
		return NULL;
	abs = path_absolute(path);
	free(path);
	return abs;
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

	if (gf_is_null(flags)) {
		*slot = ynode_new_map(flags);
		ynode_free(flags);
		return 0;
	}
	if (flags->kind != YNODE_MAP)
		return gf_type_error(g, flags, "flags", "a mapping");
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

	if (gf_is_null(op)) {
		*slot = ynode_new_map(op);
		ynode_free(op);
		return 0;
	}
	if (op->kind == YNODE_SCALAR) {
		wrap_in_map(slot, "main");
		return 0;
	}
	/*
	 * Neither: read_op fails this operation only, when it is used;
	 * operation-defaults apply to all of them.
	 */
	if (op->kind != YNODE_MAP && strcmp(name, "operation-defaults") == 0)
		return gf_error(g, op, "invalid value for '%s': expected a "
		    "mapping", name);
	if (op->kind != YNODE_MAP)
		return 0;
	for (i = 0; i < op->n; i++) {
		if (strcmp(op->keys[i]->str, "flags") == 0 &&
		    coerce_flags(g, &op->items[i]) != 0) {
			/*
			 * Bad flags fail this operation only, when it is
			 * used: the error waits in the op as "$error" (see
			 * read_op), its flags made empty for the stages
			 * between.
			 */
			struct ynode	*bad = op->items[i];

			if (g->cause == NULL || *g->cause == NULL)
				return -1;
			op->items[i] = ynode_new_map(bad);
			ynode_map_push(op, new_key(GF_OP_ERROR_KEY, bad),
			    new_key(*g->cause, bad));
			ynode_free(bad);
			free(*g->cause);
			*g->cause = NULL;
		}
	}
	return 0;
}

static int
coerce_ops(struct gload *g, struct ynode **slot)
{
	struct ynode	*ops = *slot;
	size_t		 i;

	if (gf_is_null(ops)) {
		*slot = ynode_new_map(ops);
		ynode_free(ops);
		return 0;
	}
	if (ops->kind != YNODE_MAP)
		return gf_type_error(g, ops, "operations", "a mapping");
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
const char *
gf_item_name(const struct ynode *item)
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
		return gf_error(g, item, "invalid item: expected a mapping");
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
		return gf_error(g, item, "missing required type (one of: config, "
		    "include, model, package, test)");
	}
	if (used > 1) {
		gf_error(g, item, "multiple types (%s)", sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	strbuf_release(&sb);
	type = item_type(item);
	name = ynode_get(item, type);
	if (strcmp(type, "include") != 0 &&
	    (name->kind != YNODE_SCALAR || ynode_is_null(name)))
		return gf_error(g, name, "invalid %s name: expected a string", type);
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

char *
gf_dir_of(const char *path)
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
	char		*pkgfile, *gpkg;
	size_t		 i;
	int		 rc;

	joined = path_join(dir, inc);
	full = path_absolute(joined);
	free(joined);
	pkgfile = NULL;
	if (!path_is_file(full)) {
		/* Else an installed package's, as Guild's _sys_path_include. */
		gpkg = xasprintf("gpkg.%s", inc);
		if ((pkgfile = find_pkg_guildfile(inc)) == NULL)
			pkgfile = find_pkg_guildfile(gpkg);
		free(gpkg);
		if (pkgfile != NULL) {
			free(full);
			full = xstrdup(pkgfile);
		}
	}
	if (!path_is_file(full) || (real = realpath(full, NULL)) == NULL) {
		free(full);
		free(pkgfile);
		return gf_error(g, at, "cannot find include '%s' (includes are "
		    "relative to the including file, or installed packages)",
		    inc);
	}
	if (++g->nincludes > GF_MAX_INCLUDES) {
		free(real);
		free(full);
		free(pkgfile);
		return gf_error(g, at, "too many includes (more than %u files)",
		    GF_MAX_INCLUDES);
	}
	/* Real paths, so a symlink cannot hide a cycle. */
	if (g->first_unreal) {
		char	*first = realpath(g->included.v[0], NULL);

		if (first != NULL) {
			free(g->included.v[0]);
			g->included.v[0] = first;
		}
		g->first_unreal = false;
	}
	if (strvec_find(&g->included, real) >= 0) {
		for (i = 0; i < g->included_names.n; i++)
			strbuf_addf(&cycle, "%s -> ", g->included_names.v[i]);
		strbuf_addstr(&cycle, inc);
		gf_error(g, at, "cycle in 'includes' (%s)", cycle.buf);
		strbuf_release(&cycle);
		free(real);
		free(full);
		free(pkgfile);
		return -1;
	}
	if (depth >= GF_MAX_NESTING) {
		free(real);
		free(full);
		free(pkgfile);
		return gf_error(g, at, "includes nested too deeply");
	}
	/* Name it as the user would: relative to the including file. */
	if (pkgfile != NULL)
		display = pkgfile;
	else if (*inc != '/' && strchr(name, '/') != NULL) {
		fdir = gf_dir_of(name);
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
	if (root != NULL && gf_charge(g, root) != 0) {
		free(display);
		free(real);
		free(full);
		return -1;
	}
	strvec_push_nodup(&g->included, real);
	strvec_push(&g->included_names, display);
	fdir = gf_dir_of(full);
	rc = gf_load_root(g, root, display, fdir, depth + 1);
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
	if (gf_is_null(inc))
		return 0;
	if (inc->kind == YNODE_SCALAR)
		return include_file(g, inc, inc->str, name, dir, depth);
	if (inc->kind != YNODE_SEQ)
		return gf_type_error(g, inc, "include", "a string or a list");
	for (i = 0; i < inc->n; i++) {
		if (inc->items[i]->kind != YNODE_SCALAR)
			return gf_type_error(g, inc->items[i], "include",
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
int
gf_load_root(struct gload *g, struct ynode *root, const char *name,
    const char *dir, unsigned depth)
{
	struct ynode	*model, *wrap;
	size_t		 i;

	if (root == NULL || gf_is_null(root))
		return 0;
	if (root->kind == YNODE_SCALAR)
		return gf_error(g, root, "expected a mapping or a list");
	if (root->kind == YNODE_SEQ) {
		for (i = 0; i < root->n; i++) {
			if (add_item(g, root->items[i], name, dir, depth) != 0)
				return -1;
		}
		return 0;
	}
	model = ynode_get(root, "model");
	if (model != NULL && model->kind == YNODE_SCALAR && !gf_is_null(model))
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

	if (!gf_smap_get(&g->item_names, name, &i))
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
	gf_kindex_init(&ki, child);
	for (i = 0; rc == 0 && i < parent->n; i++) {
		const struct ynode	*k = parent->keys[i];

		if (top && !gf_name_in(k->str, inheritable,
		    ARRAY_SIZE(inheritable)))
			continue;
		j = gf_kindex_find(&ki, k->str, k->len);
		if (j >= 0) {
			rc = apply_parent(g, parent->items[i],
			    child->items[j], false);
			continue;
		}
		if ((copy = gf_dup(g, parent->items[i])) == NULL) {
			rc = -1;
			break;
		}
		ynode_map_push(child, ynode_dup(k), copy);
		gf_kindex_added(&ki);
	}
	gf_kindex_free(&ki);
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
	if (gf_is_null(ext))
		return 0;
	if (ext->kind == YNODE_SCALAR) {
		*out = xmalloc(sizeof **out);
		(*out)[0] = ext;
		*n = 1;
		return 0;
	}
	if (ext->kind != YNODE_SEQ)
		return gf_type_error(g, ext, "extends", "a string or a list");
	for (i = 0; i < ext->n; i++) {
		if (ext->items[i]->kind != YNODE_SCALAR)
			return gf_type_error(g, ext->items[i], "extends",
			    "a string");
	}
	*out = xreallocarray(NULL, ext->n ? ext->n : 1, sizeof **out);
	memcpy(*out, ext->items, ext->n * sizeof **out);
	*n = ext->n;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Installed packages: extends: PKG/MODEL, include: PKG. */

static void
gpkg_free(struct gpkg *p)
{
	struct gload	*sub = p->g;
	size_t		 i;

	for (i = 0; i < sub->nroots; i++)
		ynode_free(sub->roots[i]);
	free(sub->roots);
	free(sub->items);
	strvec_clear(&sub->included);
	strvec_clear(&sub->included_names);
	gf_strset_clear(&sub->warned);
	gf_smap_clear(&sub->item_names);
	free(sub);
	free(p->name);
	free(p->path);
	free(p->dir);
	free(p);
}

void
gf_pkgs_free(struct gload *g)
{
	size_t	i;

	for (i = 0; i < g->npkgs; i++)
		gpkg_free(g->pkgs[i]);
	free(g->pkgs);
	g->pkgs = NULL;
	g->npkgs = 0;
}

/*
 * The package's guild.yml, parsed and its items read (stage 1), once per
 * load; NULL with the error at at.
 */
static struct gpkg *
pkg_load(struct gload *g, const struct ynode *at, const char *name)
{
	struct gload	*top = g->top, *sub;
	struct gpkg	*p;
	struct ynode	*root;
	char		*path, *real, *error = NULL;
	size_t		 i;
	int		 rc;

	for (i = 0; i < top->npkgs; i++) {
		if (strcmp(top->pkgs[i]->name, name) == 0)
			return top->pkgs[i];
	}
	if ((path = find_pkg_guildfile(name)) == NULL) {
		gf_error(g, at, "cannot find Guild file for package '%s' (guild "
		    "packages lists those installed)", name);
		return NULL;
	}
	/* Named by its full path: it is no file of the project. */
	root = ynode_parse_file(path, path, &error);
	if (root == NULL && error != NULL) {
		set_cause(g->cause, "%s", error);
		free(error);
		free(path);
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	p->name = xstrdup(name);
	p->path = path;
	p->dir = gf_dir_of(path);
	p->g = sub = xcalloc(1, sizeof *sub);
	sub->gf = top->gf;
	sub->top = top;
	sub->pkg = p->name;
	sub->cause = g->cause;
	sub->roots = xmalloc(sizeof *sub->roots);
	sub->roots[0] = root;
	sub->nroots = sub->roots_alloc = 1;
	real = realpath(path, NULL);
	strvec_push(&sub->included, real != NULL ? real : path);
	free(real);
	strvec_push(&sub->included_names, path);
	top->pkgs = xreallocarray(top->pkgs, top->npkgs + 1, sizeof *top->pkgs);
	top->pkgs[top->npkgs++] = p;

	rc = root != NULL ? gf_charge(sub, root) : 0;
	if (rc == 0)
		rc = gf_load_root(sub, root, path, p->dir, 0);
	if (rc != 0)
		return NULL;
	for (i = 0; i < sub->nitems; i++) {
		const char	*n = gf_item_name(sub->items[i]);

		if (n != NULL)
			gf_smap_add(&sub->item_names, n, i);
	}
	return p;
}

/*
 * The directory of the package a node was read from (an operation's
 * main, say), else the project's.
 */
const char *
gf_origin_dir(const struct gload *g, const struct ynode *n)
{
	const struct gload	*top = g->top != NULL ? g->top : g;
	size_t			 i, len;

	for (i = 0; n != NULL && n->file != NULL && i < top->npkgs; i++) {
		len = strlen(top->pkgs[i]->dir);
		if (strncmp(n->file, top->pkgs[i]->dir, len) == 0 &&
		    n->file[len] == '/')
			return top->pkgs[i]->dir;
	}
	return g->gf->dir;
}

static void
add_parents(struct strvec *to, const struct strvec *from)
{
	size_t	i;

	for (i = 0; to != NULL && i < from->n; i++) {
		if (strvec_find(to, from->v[i]) < 0)
			strvec_push(to, from->v[i]);
	}
}

/*
 * The extended data of a parent, computed once per load: a config that
 * many others extend (or one extended twice) costs one copy, not one per
 * path to it. A name with a slash is PKG/MODEL: the model or config of
 * an installed package (Guild's _pkg_parent_data). *parents gets the
 * package directories the parent's data came from.
 */
static const struct ynode *
parent_data(struct gload *g, const struct ynode *at, struct strvec *seen,
    const struct strvec **parents)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct strvec		 pv = STRVEC_INIT;
	struct gload		*top = g->top, *pg = g;
	const struct ynode	*pitem;
	struct ynode		*data;
	struct gpkg		*p = NULL;
	const char		*name = at->str, *slash = strchr(name, '/');
	char			*key, *pkg;
	size_t			 i;

	/* A package's own names are its: "PKG/NAME" in seen and the memo. */
	key = slash != NULL || g->pkg == NULL ? xstrdup(name) :
	    xasprintf("%s/%s", g->pkg, name);
	if (gf_smap_get(&top->memo, key, &i)) {
		free(key);
		*parents = &top->memo_parents[i];
		return top->memo_data[i];
	}
	if (strvec_find(seen, key) >= 0) {
		for (i = 0; i < seen->n; i++)
			strbuf_addf(&sb, "%s -> ", seen->v[i]);
		strbuf_addstr(&sb, key);
		gf_error(g, at, "cycle in 'extends' (%s)", sb.buf);
		strbuf_release(&sb);
		goto fail;
	}
	if (seen->n >= GF_MAX_NESTING) {
		gf_error(g, at, "extends nested too deeply");
		goto fail;
	}
	if (slash != NULL) {
		if (slash == name || slash[1] == '\0') {
			gf_error(g, at, "invalid model or config reference '%s': "
			    "expected PACKAGE/MODEL", name);
			goto fail;
		}
		pkg = xstrndup(name, (size_t)(slash - name));
		p = pkg_load(g, at, pkg);
		free(pkg);
		if (p == NULL)
			goto fail;
		pg = p->g;
		if ((pitem = find_item(pg, slash + 1)) == NULL) {
			gf_error(g, at, "undefined model or config '%s' in "
			    "package '%s' (%s)", slash + 1, p->name, p->path);
			goto fail;
		}
	} else if ((pitem = find_item(g, name)) == NULL) {
		gf_error(g, at, "undefined model or config '%s'", name);
		goto fail;
	}
	strvec_push(seen, key);
	data = gf_extended_data(pg, pitem, seen, &pv);
	strvec_pop(seen);
	if (data == NULL) {
		strvec_clear(&pv);
		goto fail;
	}
	if (p != NULL && strvec_find(&pv, p->dir) < 0)
		strvec_push(&pv, p->dir);
	top->memo_data = xreallocarray(top->memo_data, top->nmemo + 1,
	    sizeof *top->memo_data);
	top->memo_parents = xreallocarray(top->memo_parents, top->nmemo + 1,
	    sizeof *top->memo_parents);
	top->memo_data[top->nmemo] = data;
	top->memo_parents[top->nmemo] = pv;
	*parents = &top->memo_parents[top->nmemo];
	gf_smap_add(&top->memo, key, top->nmemo++);
	free(key);
	return data;
fail:
	free(key);
	return NULL;
}

/*
 * A copy of item with its parents applied (seen: the extends chain);
 * parents, when not NULL, gets the package directories they came from.
 */
struct ynode *
gf_extended_data(struct gload *g, const struct ynode *item, struct strvec *seen,
    struct strvec *parents)
{
	struct ynode		 *data, **ext;
	const struct ynode	 *parent;
	const struct strvec	 *pp;
	size_t			  i, n;

	if (extends_list(g, item, &ext, &n) != 0)
		return NULL;
	if ((data = gf_dup(g, item)) == NULL) {
		free(ext);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if ((parent = parent_data(g, ext[i], seen, &pp)) == NULL ||
		    apply_parent(g, parent, data, true) != 0) {
			free(ext);
			ynode_free(data);
			return NULL;
		}
		add_parents(parents, pp);
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
	found = gf_smap_get(&p->index, key, &i);
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
	size_t			 limit = GF_MAX_BYTES -
				    (g->top != NULL ? g->top : g)->bytes;

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
			return gf_error(g, at, "too much data after expanding "
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
	if (memmem(n->str, n->len, "{{", 2) == NULL || !gf_is_string(n))
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
		if ((copy = gf_dup(g, whole)) == NULL)
			return -1;
		*slot = copy;
		ynode_free(n);
		return 0;
	}
	if (gf_charge_bytes(g, n, sb.len) != 0) {
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
		gf_smap_add(&p->index, pm->keys[i]->str, i);
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
	gf_smap_clear(&p->index);
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
		if (gf_is_string(pm->items[i]))
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
		rc = gf_error(g, pm->keys[first], "param '%s' refers to itself",
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
int
gf_apply_params(struct gload *g, struct ynode *data)
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
	if (gf_is_null(pm))
		return 0;
	if (pm->kind != YNODE_MAP)
		return gf_type_error(g, pm, "params", "a mapping");
	if (pm->n == 0)
		return 0;
	params_init(&raw, pm, false);
	params_init(&res, pm, true);
	if (check_param_cycles(g, pm, &raw) != 0)
		goto out;
	for (i = 0; i < pm->n; i++) {
		if ((cur = gf_dup(g, pm->items[i])) == NULL)
			goto out;
		res.v[i].value = cur;
		strvec_clear(&seen);
		for (round = 0; gf_is_string(cur); round++) {
			if (strvec_find(&seen, cur->str) >= 0)
				break;
			if (round == GF_PARAM_ROUNDS) {
				gf_error(g, pm->keys[i], "cannot resolve param "
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
				cur = gf_dup(g, whole);
			else if (gf_charge_bytes(g, cur, sb.len) == 0)
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

/* The section a $include reference names in items; *found false if none. */
static const struct ynode *
include_target_in(struct ynode *const *items, size_t nitems, const char *model,
    const char *op, const char *section, bool *found)
{
	const struct ynode	*ops, *opdata;
	const char		*n;
	size_t			 i;

	*found = false;
	for (i = 0; i < nitems; i++) {
		if ((n = gf_item_name(items[i])) == NULL || strcmp(n, model) != 0)
			continue;
		if (op == NULL) {
			*found = true;
			return ynode_get(items[i], section);
		}
		ops = ynode_get(items[i], "operations");
		if ((opdata = ynode_get(ops, op)) == NULL)
			continue;
		*found = true;
		return ynode_get(opdata, section);
	}
	return NULL;
}

/*
 * The project's items, then those of the packages the model being read
 * extends (Guild's guildfile_search_path).
 */
static const struct ynode *
include_target(const struct gload *g, const char *model, const char *op,
    const char *section, bool *found)
{
	const struct gload	*top = g->top != NULL ? g->top : g;
	const struct ynode	*t;
	size_t			 i, j;

	t = include_target_in(g->items, g->nitems, model, op, section, found);
	for (i = 0; !*found && g->parents != NULL && i < g->parents->n; i++) {
		for (j = 0; j < top->npkgs; j++) {
			if (strcmp(top->pkgs[j]->dir, g->parents->v[i]) != 0)
				continue;
			t = include_target_in(top->pkgs[j]->g->items,
			    top->pkgs[j]->g->nitems, model, op, section, found);
			break;
		}
	}
	return t;
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
		return gf_type_error(g, refs, "$include", "a string or a list");
	for (i = 0; i < n; i++) {
		ref = refs->kind == YNODE_SEQ ? refs->items[i] : refs;
		if (ref->kind != YNODE_SCALAR)
			return gf_type_error(g, ref, "$include", "a string");
		/* Guild stops at a reference it has seen. */
		if (!gf_strset_add(seen, ref->str))
			break;
		if (depth >= GF_MAX_NESTING)
			return gf_error(g, ref, "$include nested too deeply");
		if (split_include_ref(ref->str, &model, &op, &attrs) != 0) {
			strvec_clear(&attrs);
			return gf_error(g, ref, "invalid include reference '%s': "
			    "expected CONFIG[#ATTRS] or MODEL:OPERATION[#ATTRS]",
			    ref->str);
		}
		target = include_target(g, model, op, section, &found);
		free(model);
		free(op);
		if (!found) {
			strvec_clear(&attrs);
			return gf_error(g, ref, "invalid include reference '%s': "
			    "cannot find target", ref->str);
		}
		rc = apply_section(g, target, section, seen, resolved, ki,
		    attrs.n != 0 ? &attrs : NULL, depth + 1, false);
		strvec_clear(&attrs);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/*
 * The node in *slot, taken out of it (charged to the budget as its copy
 * would be), or, with slot NULL, a copy of val.
 */
static struct ynode *
take_or_dup(struct gload *g, const struct ynode *val, struct ynode **slot)
{
	struct ynode	*n;

	if (slot == NULL)
		return gf_dup(g, val);
	if (gf_charge(g, *slot) != 0)
		return NULL;
	n = *slot;
	*slot = NULL;
	return n;
}

/*
 * Set one pair of a section: maps update what is there, others replace.
 * With slot (where val is in a map of the caller's own), val is taken
 * rather than copied.
 */
static int
apply_entry(struct gload *g, const struct ynode *key, const struct ynode *val,
    struct ynode **slot, struct ynode *resolved, struct kindex *ki)
{
	struct kindex	 cki;
	struct ynode	*cur, *copy;
	ssize_t		 j, k;
	size_t		 i;

	j = gf_kindex_find(ki, key->str, key->len);
	if (j >= 0 && val->kind == YNODE_MAP &&
	    (cur = resolved->items[j])->kind == YNODE_MAP) {
		gf_kindex_init(&cki, cur);
		for (i = 0; i < val->n; i++) {
			if ((copy = take_or_dup(g, val->items[i], slot != NULL ?
			    &val->items[i] : NULL)) == NULL) {
				gf_kindex_free(&cki);
				return -1;
			}
			k = gf_kindex_find(&cki, val->keys[i]->str,
			    val->keys[i]->len);
			if (k >= 0) {
				ynode_free(cur->items[k]);
				cur->items[k] = copy;
			} else {
				ynode_map_push(cur, ynode_dup(val->keys[i]),
				    copy);
				gf_kindex_added(&cki);
			}
		}
		gf_kindex_free(&cki);
		return 0;
	}
	if ((copy = take_or_dup(g, val, slot)) == NULL)
		return -1;
	if (j >= 0) {
		ynode_free(resolved->items[j]);
		resolved->items[j] = copy;
		return 0;
	}
	ynode_map_push(resolved, ynode_dup(key), copy);
	gf_kindex_added(ki);
	return 0;
}

static int
apply_section(struct gload *g, const struct ynode *data, const char *section,
    struct strset *seen, struct ynode *resolved, struct kindex *ki,
    const struct strvec *only, unsigned depth, bool take)
{
	const struct ynode	*inc;
	size_t			 i;

	if (gf_is_null(data))
		return 0;
	if (data->kind != YNODE_MAP)
		return gf_type_error(g, data, section, "a mapping");
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
		if (apply_entry(g, k, data->items[i], take ? &data->items[i] :
		    NULL, resolved, ki) != 0)
			return -1;
	}
	return 0;
}

/*
 * data[section] with $include references resolved: a new map. With take,
 * data is the caller's own, and its section's entries are moved into the
 * map instead of copied (leaving NULL behind).
 */
struct ynode *
gf_resolve_includes(struct gload *g, const struct ynode *data,
    const char *section, bool take)
{
	const struct ynode	*sec = ynode_get(data, section);
	struct strset		 seen = { NULL, 0, 0 };
	struct ynode		*resolved;
	struct kindex		 ki;
	int			 rc;

	resolved = ynode_new_map(sec != NULL ? sec : data);
	gf_kindex_init(&ki, resolved);
	rc = apply_section(g, sec, section, &seen, resolved, &ki, NULL, 0,
	    take);
	gf_kindex_free(&ki);
	gf_strset_clear(&seen);
	if (rc != 0) {
		ynode_free(resolved);
		return NULL;
	}
	return resolved;
}
