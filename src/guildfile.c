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
#include "guildfile-int.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

/* ---------------------------------------------------------------- */
/* Loading. */

static struct guildfile *
load(struct ynode *root, const char *name, const char *path, char **cause)
{
	struct gload	 g;
	struct guildfile *gf;
	size_t		 i;
	int		 rc;

	gf = xcalloc(1, sizeof *gf);
	gf->path = path_absolute(path);
	gf->dir = gf_dir_of(gf->path);

	memset(&g, 0, sizeof g);
	g.gf = gf;
	g.top = &g;
	g.cause = cause;
	g.roots = xmalloc(sizeof *g.roots);
	g.roots[0] = root;
	g.nroots = g.roots_alloc = 1;
	strvec_push(&g.included, gf->path);
	g.first_unreal = true;
	strvec_push(&g.included_names, name);

	rc = root != NULL ? gf_charge(&g, root) : 0;
	if (rc == 0)
		rc = gf_load_root(&g, root, name, gf->dir, 0);
	if (rc == 0)
		rc = gf_read_models(&g);
	if (rc == 0)
		rc = gf_read_tests(&g);
	if (rc == 0)
		rc = gf_read_package(&g);

	for (i = 0; i < g.nroots; i++)
		ynode_free(g.roots[i]);
	free(g.roots);
	free(g.items);
	strvec_clear(&g.included);
	strvec_clear(&g.included_names);
	gf_strset_clear(&g.warned);
	gf_smap_clear(&g.item_names);
	gf_smap_clear(&g.memo);
	for (i = 0; i < g.nmemo; i++) {
		ynode_free(g.memo_data[i]);
		strvec_clear(&g.memo_parents[i]);
	}
	free(g.memo_data);
	free(g.memo_parents);
	gf_pkgs_free(&g);
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
	/* Messages name the file as the user would write it. */
	shown = dir != NULL ? xstrdup(path) : xstrdup(GF_NAME);
	/* Whether it is there is asked only when it cannot be read. */
	root = ynode_parse_file(path, shown, &error);
	if (root == NULL && error != NULL && !path_exists(path)) {
		abs = path_absolute(dir != NULL ? dir : ".");
		set_cause(cause, "no %s in %s (run guild inside a project "
		    "directory or use -C DIR)", GF_NAME,
		    dir != NULL ? dir : abs);
		free(abs);
		free(error);
		free(shown);
		free(path);
		return NULL;
	}
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
		gf_modeldef_free(gf->models[i]);
	free(gf->models);
	if (gf->test_model != NULL)
		gf_modeldef_free(gf->test_model);
	gf_pkgdef_free(gf->package);
	free(gf->installed_name);
	free(gf->installed_version);
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
	if (gf->test_model != NULL && strcmp(name, gf->test_model->name) == 0)
		return gf->test_model;
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

const char *
modeldef_file_dir(const struct modeldef *m, const char *rel)
{
	const char	*dir = m->gf->dir;
	char		*path;
	size_t		 i;

	path = path_join(dir, rel);
	for (i = 0; !path_exists(path) && i < m->parents.n; i++) {
		free(path);
		path = path_join(m->parents.v[i], rel);
		if (path_exists(path))
			dir = m->parents.v[i];
	}
	free(path);
	return dir;
}

const char *
opdef_dir(const struct opdef *op)
{
	return op->dir != NULL ? op->dir : op->model->gf->dir;
}

char *
opdef_fullname(const struct opdef *op)
{
	if (op->model == NULL || *op->model->name == '\0')
		return xstrdup(op->name);
	return xasprintf("%s:%s", op->model->name, op->name);
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

static struct opdef *
opspec_find(const struct guildfile *gf, const char *spec, char **cause)
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

struct opdef *
opspec_resolve(const struct guildfile *gf, const char *spec, char **cause)
{
	struct opdef	*op = opspec_find(gf, spec, cause);

	if (op != NULL && op->error != NULL) {
		set_cause(cause, "%s", op->error);
		return NULL;
	}
	return op;
}

/* ---------------------------------------------------------------- */
/* Listings. */

bool
guildfile_private_name(const char *name)
{
	return name[0] == '_';
}

size_t
guildfile_listed_models(const struct guildfile *gf, bool all)
{
	size_t	i, n = 0;

	for (i = 0; i < gf->nmodels; i++)
		n += all || !guildfile_private_name(gf->models[i]->name);
	return n;
}

struct modeldef *
guildfile_listed_model(const struct guildfile *gf, size_t idx, bool all)
{
	size_t	i;

	for (i = 0; i < gf->nmodels; i++) {
		if (!all && guildfile_private_name(gf->models[i]->name))
			continue;
		if (idx-- == 0)
			return gf->models[i];
	}
	return NULL;
}

size_t
modeldef_listed_ops(const struct modeldef *m, bool all)
{
	size_t	i, n = 0;

	for (i = 0; i < m->nops; i++)
		n += all || !guildfile_private_name(m->ops[i]->name);
	return n;
}

struct opdef *
modeldef_listed_op(const struct modeldef *m, size_t idx, bool all)
{
	size_t	i;

	for (i = 0; i < m->nops; i++) {
		if (!all && guildfile_private_name(m->ops[i]->name))
			continue;
		if (idx-- == 0)
			return m->ops[i];
	}
	return NULL;
}
