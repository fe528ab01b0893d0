/* deps.c: resolve an operation's dependencies into its run directory. */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "configflags.h"
#include "deps.h"
#include "digest.h"
#include "flags.h"
#include "guildfile.h"
#include "home.h"
#include "regex.h"
#include "run.h"
#include "runsel.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"

/* What a source provides: one entry to link or copy. */
struct provided {
	char	*src;		/* absolute source path */
	char	*target;	/* run-relative target path */
	char	*subpath;	/* for the manifest, or NULL */
};

struct provided_list {
	struct provided	*v;
	size_t		 n, alloc;
};

static void
provided_push(struct provided_list *pl, char *src, char *target, char *subpath)
{
	XGROW(pl->v, pl->alloc, pl->n + 1);
	pl->v[pl->n].src = src;
	pl->v[pl->n].target = target;
	pl->v[pl->n].subpath = subpath;
	pl->n++;
}

static void
provided_clear(struct provided_list *pl)
{
	size_t	i;

	for (i = 0; i < pl->n; i++) {
		free(pl->v[i].src);
		free(pl->v[i].target);
		free(pl->v[i].subpath);
	}
	free(pl->v);
	memset(pl, 0, sizeof *pl);
}

/* A resource a requires: item names, or NULL. */
static const struct resdef *
find_resdef(const struct opdef *op, const char *ref)
{
	const struct modeldef	*m = op->model;
	const char		*colon, *res = ref;
	size_t			 i;

	if ((colon = strchr(ref, ':')) != NULL) {
		m = NULL;
		for (i = 0; op->model->gf != NULL && i < op->model->gf->nmodels;
		    i++) {
			const struct modeldef	*c = op->model->gf->models[i];

			if (strlen(c->name) == (size_t)(colon - ref) &&
			    strncmp(c->name, ref, (size_t)(colon - ref)) == 0)
				m = c;
		}
		if (m == NULL)
			return NULL;
		res = colon + 1;
	}
	for (i = 0; i < m->nresources; i++)
		if (strcmp(m->resources[i]->name, res) == 0)
			return m->resources[i];
	return NULL;
}

static bool
has_flagdef(const struct opdef *op, const char *name)
{
	size_t	i;

	for (i = 0; i < op->nflags; i++)
		if (strcmp(op->flags[i]->name, name) == 0)
			return true;
	return false;
}

/* The flag of a resource (flags.c's resource_flag_names rule). */
static const char *
resource_flag(const struct resdef *res)
{
	size_t	j;

	if (res->flag_name != NULL)
		return res->flag_name;
	for (j = 0; j < res->nsources; j++)
		if (res->sources[j]->flag_name != NULL)
			return res->sources[j]->flag_name;
	/*
	 * Guild's flag for an operation source is the source's name, which
	 * is "operation:train" unless given: "- operation: train" is the
	 * flag operation:train (FLAG_OPERATION_TRAIN). A named resource
	 * keeps its name.
	 */
	for (j = 0; j < res->nsources; j++)
		if (res->sources[j]->kind == SOURCE_OPERATION)
			return res->name != NULL ? res->name :
			    res->sources[j]->name != NULL ? res->sources[j]->name :
			    res->sources[j]->uri;
	return NULL;
}

void
deps_flag_names(const struct opdef *op, struct strvec *names)
{
	const struct resdef	*res;
	const char		*name;
	size_t			 i;

	for (i = 0; op != NULL && i < op->nrequires; i++) {
		res = op->requires[i]->inline_res;
		if (res == NULL && op->requires[i]->resource_ref != NULL)
			res = find_resdef(op, op->requires[i]->resource_ref);
		if (res == NULL || (name = resource_flag(res)) == NULL)
			continue;
		/* A flag of the operation with that name is a real flag. */
		if (strvec_find(names, name) < 0 && !has_flagdef(op, name))
			strvec_push(names, name);
	}
}

static char *
res_display_name(const struct resdef *res)
{
	if (res->name != NULL)
		return xstrdup(res->name);
	if (res->nsources > 0)
		return xstrdup(res->sources[0]->name);
	return xstrdup("resource");
}

static void
not_met(char **cause, const struct dep_source *d, const char *why)
{
	set_cause(cause, "run failed because a dependency was not met: "
	    "could not resolve '%s' in %s resource: %s", d->src->name,
	    d->res_name, why);
}

/* ------------------------------------------------------------------ */
/* Upstream runs */

void
deps_child_runs(const char *runs_dir, const char *parent_id,
    struct strvec *ids)
{
	char		*dir = run_dir_path(runs_dir, parent_id);
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char		*p = path_join(dir, de->d_name), *t;
		struct stat	 st;
		ssize_t		 n;

		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
			t = xmalloc((size_t)st.st_size + 2);
			n = readlink(p, t, (size_t)st.st_size + 1);
			if (n > 3 && n <= st.st_size) {
				t[n] = '\0';
				if (strncmp(t, "../", 3) == 0 &&
				    strchr(t + 3, '/') == NULL &&
				    strvec_find(ids, t + 3) < 0)
					strvec_push(ids, t + 3);
			}
			free(t);
		}
		free(p);
	}
	closedir(d);
	free(dir);
}

struct opmatch {
	char		*model;
	struct regex	*re;	/* NULL: not a valid regex, compare text */
	char		*op;
};

static void
opmatch_clear(struct opmatch *m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(m[i].model);
		free(m[i].op);
		regex_free(m[i].re);
	}
	free(m);
}

/* "train", "fashion:train", "train,finetune", op names as regexes. */
static struct opmatch *
opmatch_parse(const char *uri, const char *default_model, size_t *np)
{
	struct opmatch	*m = NULL;
	size_t		 n = 0, alloc = 0;
	const char	*p = uri;

	while (*p != '\0') {
		size_t		 len = strcspn(p, ",");
		char		*item = xstrndup(p, len), *s, *e, *colon, *re;

		for (s = item; *s == ' ' || *s == '\t'; s++)
			;
		for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (*s != '\0') {
			XGROW(m, alloc, n + 1);
			memset(&m[n], 0, sizeof m[n]);
			if ((colon = strrchr(s, ':')) != NULL) {
				m[n].model = xstrndup(s, (size_t)(colon - s));
				m[n].op = xstrdup(colon + 1);
			} else {
				m[n].model = xstrdup(default_model);
				m[n].op = xstrdup(s);
			}
			re = xasprintf("\\A(?:%s)\\z", m[n].op);
			m[n].re = regex_new(re, 0, NULL);
			free(re);
			n++;
		}
		free(item);
		p += len;
		if (*p == ',')
			p++;
	}
	*np = n;
	return m;
}

static bool
opmatch_test(const struct opmatch *m, size_t n, const struct opref *ref)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(m[i].model, ref->model) != 0)
			continue;
		if (m[i].re != NULL ? regex_match(m[i].re, ref->op,
		    strlen(ref->op)) : strcmp(m[i].op, ref->op) == 0)
			return true;
	}
	return false;
}

struct cand {
	char	*id;
	int64_t	 ts;
};

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand	*x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts > y->ts ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Candidate run ids, newest first: siblings in a pipeline, else all. */
static int
candidate_runs(const struct guild_home *home, struct strvec *ids,
    char **cause)
{
	const char	*parent = getenv("GUILD_RUNS_PARENT");
	struct strvec	 kids = STRVEC_INIT;
	struct cand	*c;
	size_t		 i;

	if (parent == NULL || *parent == '\0')
		return runsel_list(home->runs, ids, cause);
	deps_child_runs(home->runs, parent, &kids);
	c = xcalloc(kids.n + 1, sizeof *c);
	for (i = 0; i < kids.n; i++) {
		char		*path = run_dir_path(home->runs, kids.v[i]);
		struct run	*run = run_open(path, NULL);

		c[i].id = kids.v[i];
		c[i].ts = run != NULL ? run_timestamp(run) : 0;
		run_free(run);
		free(path);
	}
	qsort(c, kids.n, sizeof *c, cand_cmp);
	for (i = 0; i < kids.n; i++)
		strvec_push(ids, c[i].id);
	free(c);
	strvec_clear(&kids);
	return 0;
}

static bool
run_is_marked(const struct run *run)
{
	struct value	*v = NULL;
	bool		 marked;

	if (run_attr_read(run, "marked", &v, NULL) == -1)
		return false;
	marked = v != NULL && v->type == VALUE_BOOL && v->u.b;
	value_free(v);
	return marked;
}

/*
 * The upstream run for an operation source: with a prefix, the newest
 * run of the operation whose id starts with it (any status); else the
 * newest completed, running or terminated run, a marked one first.
 * With all, every run that could be chosen is appended to it, newest
 * first, so a chooser offers what deps_plan() would accept.
 */
static char *
match_upstream(const struct guild_home *home, const struct opdef *op,
    const struct source *src, const char *prefix, const struct strvec *ids,
    struct strvec *all, char **why)
{
	struct opmatch	*m;
	size_t		 nm, i;
	char		*first = NULL, *marked = NULL;

	m = opmatch_parse(src->uri, op->model->name, &nm);
	for (i = 0; i < ids->n && (marked == NULL || all != NULL); i++) {
		struct run	*run;
		struct opref	 ref;
		char		*path;
		enum run_status	 st;
		bool		 ok;

		if (prefix != NULL && strncmp(ids->v[i], prefix,
		    strlen(prefix)) != 0)
			continue;
		path = run_dir_path(home->runs, ids->v[i]);
		run = run_open(path, NULL);
		free(path);
		if (run == NULL)
			continue;
		if (run_opref_read(run, &ref, NULL) == -1) {
			run_free(run);
			continue;
		}
		ok = opmatch_test(m, nm, &ref);
		opref_clear(&ref);
		if (ok && prefix == NULL) {
			st = run_get_status(run);
			ok = st == RUN_STATUS_COMPLETED || st == RUN_STATUS_RUNNING ||
			    st == RUN_STATUS_TERMINATED;
		}
		if (ok) {
			if (all != NULL)
				strvec_push(all, ids->v[i]);
			if (first == NULL)
				first = xstrdup(ids->v[i]);
			if (prefix == NULL && marked == NULL &&
			    run_is_marked(run))
				marked = xstrdup(ids->v[i]);
			if (prefix != NULL) {
				run_free(run);
				break;
			}
		}
		run_free(run);
	}
	opmatch_clear(m, nm);
	if (marked != NULL) {
		free(first);
		return marked;
	}
	if (first == NULL) {
		if (prefix != NULL)
			*why = xasprintf("no suitable run for %s matching '%s'",
			    src->uri, prefix);
		else
			*why = xasprintf("no suitable run for %s", src->uri);
	}
	return first;
}

static char *
find_upstream(const struct guild_home *home, const struct opdef *op,
    const struct source *src, const char *prefix, char **why)
{
	struct strvec	 ids = STRVEC_INIT;
	char		*id;

	if (candidate_runs(home, &ids, why) == -1)
		return NULL;
	id = match_upstream(home, op, src, prefix, &ids, NULL, why);
	strvec_clear(&ids);
	return id;
}

/* ------------------------------------------------------------------ */
/* Planning */

static void
plan_push(struct deps_plan *plan, const struct resdef *res,
    const struct source *src, const char *flag)
{
	struct dep_source	*d;

	plan->v = xreallocarray(plan->v, plan->n + 1, sizeof *plan->v);
	d = &plan->v[plan->n++];
	memset(d, 0, sizeof *d);
	d->res = res;
	d->src = src;
	d->res_name = res_display_name(res);
	d->flag = flag != NULL ? xstrdup(flag) : NULL;
}

int
deps_plan(const struct guild_home *home, const struct opdef *op,
    struct value *flags, const struct value *prior, bool force,
    struct deps_plan *plan, char **cause)
{
	const struct resdef	*res;
	const struct value	*fv;
	const char		*flag;
	size_t			 i, j;

	memset(plan, 0, sizeof *plan);
	plan->force = force;
	for (i = 0; i < op->nrequires; i++) {
		res = op->requires[i]->inline_res;
		if (res == NULL) {
			res = find_resdef(op, op->requires[i]->resource_ref);
			if (res == NULL) {
				char	*name = opdef_fullname(op);

				set_cause(cause, "resource '%s' required by "
				    "operation '%s' is not defined",
				    op->requires[i]->resource_ref, name);
				free(name);
				deps_plan_clear(plan);
				return -1;
			}
		}
		flag = resource_flag(res);
		for (j = 0; j < res->nsources; j++)
			plan_push(plan, res, res->sources[j], flag);
	}

	for (i = 0; i < plan->n; i++) {
		struct dep_source	*d = &plan->v[i];
		const char		*prefix = NULL;
		char			*why = NULL;

		if (d->src->kind != SOURCE_OPERATION)
			continue;
		fv = value_map_get(value_map_get(value_map_get(prior,
		    d->res_name), d->src->name), "config");
		if (fv != NULL && fv->type == VALUE_STRING) {
			d->run_id = xstrdup(fv->u.s);
			if (d->flag != NULL && flags != NULL &&
			    flags->type == VALUE_MAP)
				value_map_set(flags, d->flag,
				    value_string(d->run_id));
			continue;
		}
		fv = d->flag != NULL ? value_map_get(flags, d->flag) : NULL;
		if (fv != NULL && fv->type == VALUE_STRING && *fv->u.s != '\0')
			prefix = fv->u.s;
		d->run_id = find_upstream(home, op, d->src, prefix, &why);
		if (d->run_id != NULL) {
			if (d->flag != NULL && flags != NULL &&
			    flags->type == VALUE_MAP)
				value_map_set(flags, d->flag,
				    value_string(d->run_id));
			continue;
		}
		if (!force && !d->src->optional) {
			not_met(cause, d, why);
			free(why);
			deps_plan_clear(plan);
			return -1;
		}
		d->error = why;
	}
	return 0;
}

int
deps_candidates(const struct guild_home *home, const struct opdef *op,
    const struct dep_source *d, struct strvec *ids, char **cause)
{
	struct strvec	 all = STRVEC_INIT;
	char		*why = NULL;

	if (d->src->kind != SOURCE_OPERATION)
		return 0;
	if (candidate_runs(home, &all, cause) == -1)
		return -1;
	/* None is an answer here, not an error. */
	free(match_upstream(home, op, d->src, NULL, &all, ids, &why));
	free(why);
	strvec_clear(&all);
	return 0;
}

void
deps_plan_clear(struct deps_plan *plan)
{
	size_t	i;

	for (i = 0; i < plan->n; i++) {
		free(plan->v[i].res_name);
		free(plan->v[i].flag);
		free(plan->v[i].run_id);
		free(plan->v[i].error);
	}
	free(plan->v);
	memset(plan, 0, sizeof *plan);
}

/* ------------------------------------------------------------------ */
/* Paths */

char *
deps_relpath(const char *from_dir, const char *to)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i = 0, common = 0;
	const char	*p;

	/* The longest common directory prefix. */
	while (from_dir[i] != '\0' && from_dir[i] == to[i]) {
		if (from_dir[i] == '/')
			common = i;
		i++;
	}
	if (from_dir[i] == '\0' && (to[i] == '/' || to[i] == '\0'))
		common = i;
	else if (to[i] == '\0' && from_dir[i] == '/')
		common = i;
	for (p = from_dir + common; *p != '\0'; p++)
		if (*p == '/' && p[1] != '\0')
			strbuf_addstr(&sb, "../");
	p = to + common;
	while (*p == '/')
		p++;
	strbuf_addstr(&sb, p);
	if (sb.len == 0)
		strbuf_addch(&sb, '.');
	else if (sb.buf[sb.len - 1] == '/')
		strbuf_setlen(&sb, sb.len - 1);
	return strbuf_detach(&sb, NULL);
}

/* A target-path: relative, without "..". "" when absent. */
static int
check_target_path(const char *tp, char **norm, char **why)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*copy, *seg, *save;

	*norm = NULL;
	if (tp == NULL || *tp == '\0') {
		*norm = xstrdup("");
		return 0;
	}
	if (*tp == '/') {
		*why = xasprintf("invalid path '%s' (path must be relative)",
		    tp);
		return -1;
	}
	copy = xstrdup(tp);
	for (seg = strtok_r(copy, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			*why = xasprintf("invalid path '%s' (path must not "
			    "leave the run directory)", tp);
			free(copy);
			strbuf_release(&sb);
			return -1;
		}
		if (sb.len > 0)
			strbuf_addch(&sb, '/');
		strbuf_addstr(&sb, seg);
	}
	free(copy);
	*norm = strbuf_detach(&sb, NULL);
	return 0;
}

/*
 * Python's re.sub(pattern, repl, name, count=1), where repl is plain
 * text but for \0 or \g<0>, the whole match.
 */
static char *
rename_name(const char *name, const char *pattern, const char *repl,
    char **why)
{
	struct regex	*re;
	struct strbuf	 sb = STRBUF_INIT;
	const char	*r;
	size_t		 start, end;
	char		*err = NULL;

	if ((re = regex_new(pattern, 0, &err)) == NULL) {
		*why = xasprintf("invalid rename pattern '%s': %s", pattern, err);
		free(err);
		return NULL;
	}
	if (!regex_search(re, name, strlen(name), 0, &start, &end)) {
		regex_free(re);
		return xstrdup(name);
	}
	strbuf_add(&sb, name, start);
	for (r = repl; *r != '\0'; r++) {
		if (strncmp(r, "\\0", 2) == 0) {
			strbuf_add(&sb, name + start, end - start);
			r++;
		} else if (strncmp(r, "\\g<0>", 5) == 0) {
			strbuf_add(&sb, name + start, end - start);
			r += 4;
		} else if (*r == '\\' && r[1] == '\\') {
			strbuf_addch(&sb, '\\');
			r++;
		} else
			strbuf_addch(&sb, *r);
	}
	strbuf_addstr(&sb, name + end);
	regex_free(re);
	return strbuf_detach(&sb, NULL);
}

static const char *
base_name(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* target-path/basename (renamed). */
static char *
target_for(const struct dep_source *d, const char *tpath, const char *src,
    char **why)
{
	const char	*base = base_name(src);
	char		*name, *t;

	if (d->src->rename_pattern != NULL) {
		name = rename_name(base, d->src->rename_pattern,
		    d->src->rename_repl != NULL ? d->src->rename_repl : "", why);
		if (name == NULL)
			return NULL;
	} else
		name = xstrdup(base);
	t = *tpath != '\0' ? xasprintf("%s/%s", tpath, name) : xstrdup(name);
	free(name);
	return t;
}

/* ------------------------------------------------------------------ */
/* Selecting files */

struct selector {
	struct regex	**re;
	size_t		  n;
};

static int
selector_init(struct selector *s, const struct strvec *patterns, char **why)
{
	char	*err = NULL;
	size_t	 i;

	s->n = 0;
	s->re = xcalloc(patterns->n + 1, sizeof *s->re);
	for (i = 0; i < patterns->n; i++) {
		char	*full = xasprintf("\\A(?:%s)\\z", patterns->v[i]);

		s->re[s->n] = regex_new(full, 0, &err);
		free(full);
		if (s->re[s->n] == NULL) {
			*why = xasprintf("invalid select pattern '%s': %s",
			    patterns->v[i], err);
			free(err);
			return -1;
		}
		s->n++;
	}
	return 0;
}

static void
selector_clear(struct selector *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		regex_free(s->re[i]);
	free(s->re);
	s->re = NULL;
	s->n = 0;
}

static bool
selector_match(const struct selector *s, const char *rel)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (regex_match(s->re[i], rel, strlen(rel)))
			return true;
	return false;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entry names of dir (not . and ..); -1 if it cannot be read. */
static int
list_dir(const char *dir, struct strvec *names)
{
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		strvec_push(names, de->d_name);
	}
	closedir(d);
	if (names->n > 1)
		qsort(names->v, names->n, sizeof *names->v, name_cmp);
	return 0;
}

/*
 * Walk root/rel: entries whose relative path a pattern matches are
 * taken (a matched directory whole); other directories are entered.
 * skip_guild leaves out .guild at the top.
 */
static void
select_walk(const char *root, const char *rel, const struct selector *sel,
    bool skip_guild, int depth, struct strvec *out)
{
	struct strvec	 names = STRVEC_INIT;
	char		*dir = *rel != '\0' ? path_join(root, rel) : xstrdup(root);
	size_t		 i;

	if (depth > 64 || list_dir(dir, &names) == -1) {
		free(dir);
		return;
	}
	for (i = 0; i < names.n; i++) {
		char		*r = *rel != '\0' ?
		    xasprintf("%s/%s", rel, names.v[i]) : xstrdup(names.v[i]);
		char		*p = path_join(dir, names.v[i]);
		struct stat	 st;

		if (skip_guild && depth == 0 && strcmp(names.v[i], ".guild") == 0) {
			free(r);
			free(p);
			continue;
		}
		if (selector_match(sel, r))
			strvec_push(out, r);
		else if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			select_walk(root, r, sel, skip_guild, depth + 1, out);
		free(r);
		free(p);
	}
	strvec_clear(&names);
	free(dir);
}

/* Paths of an upstream run's manifest: its dependencies and sources. */
static void
manifest_paths(const char *run_dir, struct strvec *out)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path = path_join(run_dir, ".guild/manifest");
	char		*line, *save;

	if (file_read_regular(AT_FDCWD, path, FILE_NOFOLLOW, FILE_MANIFEST_MAX,
	    &sb, NULL, NULL) == 0) {
		for (line = strtok_r(sb.buf, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			struct strvec	w = STRVEC_INIT;

			if (shlex_split(line, &w, NULL) == 0 && w.n >= 2 &&
			    (strcmp(w.v[0], "d") == 0 || strcmp(w.v[0], "s") == 0))
				strvec_push(out, w.v[1]);
			strvec_clear(&w);
		}
	}
	strbuf_release(&sb);
	free(path);
}

/* rel is excluded, or holds excluded paths (1), or neither (0). */
static int
excluded(const struct strvec *ex, const char *rel)
{
	size_t	i, len = strlen(rel);
	int	r = 0;

	for (i = 0; i < ex->n; i++) {
		if (strcmp(ex->v[i], rel) == 0)
			return 2;
		if (strncmp(ex->v[i], rel, len) == 0 && ex->v[i][len] == '/')
			r = 1;
	}
	return r;
}

/*
 * Generated files of an upstream run: top-level entries but .guild and
 * what its manifest lists; a directory holding listed paths is entered
 * so that its other entries are still found (they keep their path).
 */
static void
generated_walk(const char *root, const char *rel, const struct strvec *ex,
    int depth, struct strvec *out)
{
	struct strvec	 names = STRVEC_INIT;
	char		*dir = *rel != '\0' ? path_join(root, rel) : xstrdup(root);
	size_t		 i;

	if (depth > 64 || list_dir(dir, &names) == -1) {
		free(dir);
		return;
	}
	for (i = 0; i < names.n; i++) {
		char	*r = *rel != '\0' ?
		    xasprintf("%s/%s", rel, names.v[i]) : xstrdup(names.v[i]);
		int	 x;

		if (depth == 0 && strcmp(names.v[i], ".guild") == 0) {
			free(r);
			continue;
		}
		x = excluded(ex, r);
		if (x == 0)
			strvec_push(out, r);
		else if (x == 1)
			generated_walk(root, r, ex, depth + 1, out);
		free(r);
	}
	strvec_clear(&names);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* Copying and linking */

static int
copy_file(const char *src, const char *dst, mode_t mode, char **why)
{
	char		 buf[65536];
	char		*tmp = xasprintf("%s.guild-tmp", dst);
	int		 in, out;
	ssize_t		 n;

	/* Upstream runs' files are untrusted: a FIFO must not hang us. */
	if ((in = file_open_regular(AT_FDCWD, src, 0, NULL, why)) == -1) {
		free(tmp);
		return -1;
	}
	/*
	 * The kernel takes the umask off; setuid and setgid are never
	 * given to a copy, which is data for the run, not a program to run
	 * with its owner's rights.
	 */
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode & 0777)) == -1) {
		*why = xasprintf("%s: %s", dst, strerror(errno));
		close(in);
		free(tmp);
		return -1;
	}
	for (;;) {
		n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = xasprintf("%s: %s", src, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		{
			const char	*p = buf;
			size_t		 left = (size_t)n;

			while (left > 0) {
				ssize_t	w = write(out, p, left);

				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					*why = xasprintf("%s: %s", dst,
					    strerror(errno));
					goto fail;
				}
				p += w;
				left -= (size_t)w;
			}
		}
	}
	close(in);
	if (close(out) == -1 || rename(tmp, dst) == -1) {
		*why = xasprintf("%s: %s", dst, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
fail:
	close(in);
	close(out);
	unlink(tmp);
	free(tmp);
	return -1;
}

static int
copy_tree(const char *src, const char *dst, int depth, char **why)
{
	struct stat	 st;
	struct strvec	 names = STRVEC_INIT;
	size_t		 i;
	int		 rc = 0;

	if (lstat(src, &st) == -1) {
		*why = xasprintf("%s: %s", src, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		char	*t = xmalloc((size_t)st.st_size + 1);
		ssize_t	 n = readlink(src, t, (size_t)st.st_size + 1);

		if (n < 0 || n > st.st_size || (t[n] = '\0', symlink(t, dst)) == -1) {
			*why = xasprintf("%s: %s", dst, strerror(errno));
			rc = -1;
		}
		free(t);
		return rc;
	}
	if (S_ISREG(st.st_mode))
		return copy_file(src, dst, st.st_mode, why);
	if (!S_ISDIR(st.st_mode))
		return 0;
	if (depth > 64) {
		*why = xasprintf("%s: too deep", src);
		return -1;
	}
	if (mkdir(dst, (st.st_mode & 07777) | 0700) == -1 && errno != EEXIST) {
		*why = xasprintf("%s: %s", dst, strerror(errno));
		return -1;
	}
	if (list_dir(src, &names) == -1) {
		*why = xasprintf("%s: %s", src, strerror(errno));
		return -1;
	}
	for (i = 0; i < names.n && rc == 0; i++) {
		char	*s = path_join(src, names.v[i]);
		char	*d = path_join(dst, names.v[i]);

		rc = copy_tree(s, d, depth + 1, why);
		free(s);
		free(d);
	}
	strvec_clear(&names);
	return rc;
}

static bool
under(const char *path, const char *dir)
{
	size_t	len = strlen(dir);

	return strncmp(path, dir, len) == 0 && (path[len] == '/' ||
	    path[len] == '\0');
}

/*
 * Put one provided entry in place. Existing targets are kept (a warning),
 * as Guild does, unless replace.
 */
static int
place(const struct guild_home *home, const struct run *run,
    const struct provided *pv, bool link, bool replace, char **why)
{
	char		*target = path_join(run->path, pv->target);
	char		*dir = xstrdup(target), *slash;
	struct stat	 st;
	int		 rc = -1;

	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (lstat(target, &st) == 0) {
		if (!replace) {
			warnx_core("%s already exists, skipping %s", target,
			    link ? "link" : "copy");
			rc = 0;
			goto out;
		}
		if (rm_rf(target, why) == -1)
			goto out;
	}
	if (mkdir_p(dir, 0755, why) == -1)
		goto out;
	if (link) {
		char	*to;

		/* Inside the Guild home, links are relative: homes move. */
		if (under(pv->src, home->path))
			to = deps_relpath(dir, pv->src);
		else
			to = xstrdup(pv->src);
		if (symlink(to, target) == -1) {
			*why = xasprintf("unable to link to dependency source: "
			    "%s: %s", target, strerror(errno));
			free(to);
			goto out;
		}
		free(to);
	} else if (copy_tree(pv->src, target, 0, why) == -1)
		goto out;
	rc = 0;
out:
	free(dir);
	free(target);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Sources */

static int
resolve_operation(const struct guild_home *home, const struct dep_source *d,
    const char *tpath, struct provided_list *pl, char **why)
{
	char		*up = run_dir_path(home->runs, d->run_id);
	struct run	*run;
	struct strvec	 rels = STRVEC_INIT, ex = STRVEC_INIT;
	size_t		 i;

	if ((run = run_open(up, NULL)) == NULL) {
		*why = xasprintf("run %s was deleted", d->run_id);
		free(up);
		return -1;
	}
	run_free(run);
	if (d->src->select.n > 0) {
		struct selector	sel;

		if (selector_init(&sel, &d->src->select, why) == -1) {
			selector_clear(&sel);
			free(up);
			return -1;
		}
		select_walk(up, "", &sel, true, 0, &rels);
		selector_clear(&sel);
	} else {
		manifest_paths(up, &ex);
		generated_walk(up, "", &ex, 0, &rels);
	}
	for (i = 0; i < rels.n; i++) {
		char	*src = path_join(up, rels.v[i]), *t;

		/* Selected files go by base name; generated ones keep paths. */
		if (d->src->select.n > 0 || d->src->rename_pattern != NULL)
			t = target_for(d, tpath, src, why);
		else
			t = *tpath != '\0' ? xasprintf("%s/%s", tpath, rels.v[i]) :
			    xstrdup(rels.v[i]);
		if (t == NULL) {
			free(src);
			goto fail;
		}
		provided_push(pl, src, t, xasprintf("%s/%s", d->run_id, rels.v[i]));
	}
	strvec_clear(&rels);
	strvec_clear(&ex);
	free(up);
	return 0;
fail:
	strvec_clear(&rels);
	strvec_clear(&ex);
	free(up);
	return -1;
}

/*
 * A file source's path with its ${flag} references replaced by the run's
 * flag values (Guild's FileResolver: "file: ${data}"), or NULL with why
 * for a reference to no flag.
 */
static char *
resolve_flag_refs(const char *s, const struct value *flags, char **why)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p = s, *ref, *close;

	while ((ref = strstr(p, "${")) != NULL &&
	    (close = strchr(ref + 2, '}')) != NULL) {
		char			*name = xstrndup(ref + 2,
					    (size_t)(close - ref - 2));
		const struct value	*v = value_map_get(flags, name);

		if (v == NULL) {
			*why = xasprintf("cannot resolve '%s': undefined "
			    "reference '%s'", s, name);
			free(name);
			strbuf_release(&sb);
			return NULL;
		}
		free(name);
		strbuf_add(&sb, p, (size_t)(ref - p));
		if (v->type == VALUE_STRING)
			strbuf_addstr(&sb, v->u.s);
		else
			value_format_flag(&sb, v);
		p = close + 1;
	}
	strbuf_addstr(&sb, p);
	return strbuf_detach(&sb, NULL);
}

/* A local file or directory (file: sources, cached URLs). */
static int
resolve_path(const struct dep_source *d, const char *path, const char *tpath,
    struct provided_list *pl, char **why)
{
	struct strvec	 rels = STRVEC_INIT;
	size_t		 i;
	char		*t;

	if (!path_exists(path)) {
		*why = xasprintf("%s does not exist", path);
		return -1;
	}
	if (d->src->select.n > 0 && path_is_dir(path)) {
		struct selector	sel;

		if (selector_init(&sel, &d->src->select, why) == -1) {
			selector_clear(&sel);
			return -1;
		}
		select_walk(path, "", &sel, false, 0, &rels);
		selector_clear(&sel);
		for (i = 0; i < rels.n; i++) {
			char	*src = path_join(path, rels.v[i]);

			if ((t = target_for(d, tpath, src, why)) == NULL) {
				free(src);
				strvec_clear(&rels);
				return -1;
			}
			provided_push(pl, src, t, xstrdup(rels.v[i]));
		}
		strvec_clear(&rels);
		return 0;
	}
	if ((t = target_for(d, tpath, path, why)) == NULL)
		return -1;
	provided_push(pl, xstrdup(path), t, NULL);
	return 0;
}

/* scheme, netloc, path, params, query, fragment as urlparse splits. */
static void
url_parts(const char *url, struct strvec *parts)
{
	const char	*p = url, *s;
	char		*scheme = xstrdup(""), *netloc = xstrdup("");
	char		*rest, *q, *frag = NULL, *query = NULL, *params = NULL;

	if ((s = strstr(p, "://")) != NULL) {
		free(scheme);
		scheme = xstrndup(p, (size_t)(s - p));
		p = s + 3;
		free(netloc);
		netloc = xstrndup(p, strcspn(p, "/?#"));
		p += strlen(netloc);
	}
	rest = xstrdup(p);
	if ((q = strchr(rest, '#')) != NULL) {
		*q = '\0';
		frag = q + 1;
	}
	if ((q = strchr(rest, '?')) != NULL) {
		*q = '\0';
		query = q + 1;
	}
	if ((q = strrchr(rest, ';')) != NULL && strchr(q, '/') == NULL) {
		*q = '\0';
		params = q + 1;
	}
	strvec_push(parts, scheme);
	strvec_push(parts, netloc);
	strvec_push(parts, rest);
	strvec_push(parts, params != NULL ? params : "");
	strvec_push(parts, query != NULL ? query : "");
	strvec_push(parts, frag != NULL ? frag : "");
	free(scheme);
	free(netloc);
	free(rest);
}

char *
deps_url_cache_dir(const struct guild_home *home, const char *url)
{
	struct strvec	 parts = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	char		*hex, *dir;
	size_t		 i;

	url_parts(url, &parts);
	for (i = 0; i < parts.n; i++) {
		if (i > 0)
			strbuf_addch(&sb, '\n');
		strbuf_addstr(&sb, parts.v[i]);
	}
	hex = digest_buf(DIGEST_SHA256, sb.buf, sb.len);
	dir = xasprintf("%s/resources/%s", home->cache, hex);
	free(hex);
	strbuf_release(&sb);
	strvec_clear(&parts);
	return dir;
}

static int
check_sha256(const char *path, const char *want, const char *url, char **why)
{
	char	*got, *err = NULL;
	int	 rc = 0;

	if (want == NULL || path_is_dir(path))
		return 0;
	if ((got = digest_file(DIGEST_SHA256, path, &err)) == NULL) {
		*why = err;
		return -1;
	}
	if (strcasecmp(got, want) != 0) {
		*why = xasprintf("bad sha256 for '%s' (expected %s but got %s)",
		    url, want, got);
		rc = -1;
	}
	free(got);
	return rc;
}

/* A URL from the download cache; file:// URLs are "downloaded" into it. */
static int
resolve_url(const struct guild_home *home, const struct dep_source *d,
    const char *tpath, struct provided_list *pl, char **why)
{
	struct strvec	 parts = STRVEC_INIT;
	const char	*url = d->src->uri, *base;
	char		*dir, *cached = NULL;
	int		 rc = -1;

	url_parts(url, &parts);
	base = base_name(parts.v[2]);
	if (*base == '\0')
		base = "download";
	dir = deps_url_cache_dir(home, url);
	cached = path_join(dir, base);
	if (path_exists(cached) &&
	    check_sha256(cached, d->src->sha256, url, why) == 0)
		goto found;
	free(*why);
	*why = NULL;
	if (strcmp(parts.v[0], "file") == 0) {
		const char	*local = parts.v[2];
		struct stat	 st;

		if (stat(local, &st) == -1) {
			*why = xasprintf("%s does not exist", local);
			goto out;
		}
		if (check_sha256(local, d->src->sha256, url, why) == -1)
			goto out;
		if (mkdir_p(dir, 0755, why) == -1)
			goto out;
		if (path_exists(cached) && rm_rf(cached, why) == -1)
			goto out;
		if (copy_tree(local, cached, 0, why) == -1)
			goto out;
		goto found;
	}
	*why = xasprintf("cannot download '%s': guild does not use the "
	    "network; put the file at %s", url, cached);
	goto out;
found:
	rc = resolve_path(d, cached, tpath, pl, why);
out:
	free(cached);
	free(dir);
	strvec_clear(&parts);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Resolving */

static bool
already_resolved(const struct value *deps, const struct dep_source *d)
{
	const struct value	*r = value_map_get(deps, d->res_name);

	return value_map_get(r, d->src->name) != NULL;
}

/*
 * A config source (Guild's ConfigResolver): the project's file with the
 * run's flag values written into it (dotted names nested), generated in
 * RUN/.guild/generated/ID/ and then linked like a file. NULL with why.
 */
static char *
generate_config(const struct opdef *op, const struct dep_source *d,
    struct run *run, char **why)
{
	struct value	*flags = NULL;
	const char	*base = strrchr(d->src->uri, '/'), *dir;
	char		*gen, *id, *file, *src;

	struct value	*read = NULL;

	if (run_attr_read(run, "flags", &read, why) == -1)
		return NULL;
	/* Guild's ConfigResolver splits arg-split flags into lists too. */
	flags = flags_split_values(op, read);
	value_free(read);
	if ((id = run_new_id(why)) == NULL) {
		value_free(flags);
		return NULL;
	}
	gen = xasprintf("%s/.guild/generated/%.8s", run->path, id);
	free(id);
	base = base != NULL ? base + 1 : d->src->uri;
	file = path_join(gen, base);
	dir = modeldef_file_dir(op->model, d->src->uri);
	src = path_join(dir, d->src->uri);
	if (!path_is_file(src) || config_flags_write_to(dir,
	    d->src->uri, file, flags, why) == -1) {
		if (*why == NULL)
			*why = xasprintf("cannot find config file %s",
			    d->src->uri);
		free(file);
		file = NULL;
	}
	value_free(flags);
	free(src);
	free(gen);
	return file;
}

static int
resolve_one(const struct guild_home *home, const struct opdef *op,
    const struct dep_source *d, struct run *run, const struct value *flags,
    struct value *deps, struct strbuf *manifest, deps_log_fn log, void *arg,
    char **why)
{
	struct provided_list	 pl = { NULL, 0, 0 };
	const char		*ttype;
	char			*tpath = NULL, *file, *uri;
	struct value		*entry, *paths, *res;
	bool			 link;
	size_t			 i;
	int			 rc = -1;

	if (check_target_path(d->src->target_path != NULL ?
	    d->src->target_path : d->res->target_path, &tpath, why) == -1)
		return -1;
	ttype = d->src->target_type != NULL ? d->src->target_type :
	    d->res->target_type;
	switch (d->src->kind) {
	case SOURCE_OPERATION:
		link = ttype == NULL || strcmp(ttype, "copy") != 0;
		if (resolve_operation(home, d, tpath, &pl, why) == -1)
			goto out;
		log_linef(log, arg, "Using run %s for %s", d->run_id,
		    d->src->name);
		break;
	case SOURCE_FILE:
		link = ttype != NULL && strcmp(ttype, "link") == 0;
		if ((uri = resolve_flag_refs(d->src->uri, flags, why)) == NULL)
			goto out;
		file = path_join(modeldef_file_dir(op->model, uri), uri);
		free(uri);
		rc = resolve_path(d, file, tpath, &pl, why);
		free(file);
		if (rc == -1)
			goto out;
		rc = -1;
		break;
	case SOURCE_URL:
		link = ttype == NULL || strcmp(ttype, "copy") != 0;
		if (resolve_url(home, d, tpath, &pl, why) == -1)
			goto out;
		break;
	case SOURCE_CONFIG:
		link = ttype == NULL || strcmp(ttype, "copy") != 0;
		if ((file = generate_config(op, d, run, why)) == NULL)
			goto out;
		rc = resolve_path(d, file, tpath, &pl, why);
		free(file);
		if (rc == -1)
			goto out;
		rc = -1;
		break;
	default:
		*why = xasprintf("unsupported source '%s'", d->src->name);
		goto out;
	}
	if (pl.n == 0 && d->src->warn_if_empty)
		warnx_core("nothing resolved for %s in %s resource",
		    d->src->name, d->res_name);
	if (pl.n == 0 && d->src->fail_if_empty) {
		*why = xasprintf("nothing resolved for %s", d->src->name);
		goto out;
	}

	paths = value_list();
	for (i = 0; i < pl.n; i++) {
		char	*rel;

		if (place(home, run, &pl.v[i], link, d->src->replace_existing,
		    why) == -1) {
			value_free(paths);
			goto out;
		}
		rel = deps_relpath(run->path, pl.v[i].src);
		value_list_push(paths, value_string(rel));
		free(rel);

		strbuf_addstr(manifest, "d ");
		shlex_quote(manifest, pl.v[i].target);
		strbuf_addch(manifest, ' ');
		if (!link && path_is_file(pl.v[i].src)) {
			char	*sha = digest_file(DIGEST_SHA1, pl.v[i].src, NULL);

			shlex_quote(manifest, sha != NULL ? sha : "-");
			free(sha);
		} else
			strbuf_addch(manifest, '-');
		strbuf_addch(manifest, ' ');
		shlex_quote(manifest, d->src->kind == SOURCE_OPERATION ?
		    d->src->name : d->src->uri);
		if (pl.v[i].subpath != NULL) {
			strbuf_addch(manifest, ' ');
			shlex_quote(manifest, pl.v[i].subpath);
		}
		strbuf_addch(manifest, '\n');
	}
	entry = value_map();
	if (d->run_id != NULL)
		value_map_set(entry, "config", value_string(d->run_id));
	value_map_set(entry, "paths", paths);
	value_map_set(entry, "uri", value_string(d->src->kind ==
	    SOURCE_OPERATION ? d->src->name : d->src->uri));
	if ((res = value_map_get(deps, d->res_name)) == NULL) {
		value_map_set(deps, d->res_name, value_map());
		res = value_map_get(deps, d->res_name);
	}
	value_map_set(res, d->src->name, entry);
	rc = 0;
out:
	provided_clear(&pl);
	free(tpath);
	return rc;
}

int
deps_resolve(const struct guild_home *home, const struct opdef *op,
    const struct deps_plan *plan, struct run *run, deps_log_fn log, void *arg,
    char **cause)
{
	struct value	*deps = NULL, *flags = NULL;
	struct strbuf	 manifest = STRBUF_INIT;
	char		*mpath, *why = NULL;
	const char	*last_res = NULL;
	size_t		 i;
	int		 rc = -1;

	if (plan->n == 0)
		return 0;
	if (run_attr_read(run, "deps", &deps, NULL) == -1 || deps == NULL ||
	    deps->type != VALUE_MAP) {
		value_free(deps);
		deps = value_map();
	}
	run_attr_read(run, "flags", &flags, NULL);
	mpath = path_join(run->guild, "manifest");
	file_read_regular(AT_FDCWD, mpath, FILE_NOFOLLOW, FILE_MANIFEST_MAX,
	    &manifest, NULL, NULL);
	if (manifest.len > 0 && manifest.buf[manifest.len - 1] != '\n')
		strbuf_addch(&manifest, '\n');

	for (i = 0; i < plan->n; i++) {
		const struct dep_source	*d = &plan->v[i];

		if (last_res == NULL || strcmp(last_res, d->res_name) != 0)
			log_linef(log, arg, "Resolving %s", d->res_name);
		last_res = d->res_name;
		if (already_resolved(deps, d)) {
			log_linef(log, arg, "Skipping resolution of %s because "
			    "it's already resolved", d->src->name);
			continue;
		}
		if (d->error != NULL) {
			warnx_core("could not resolve '%s' in %s resource: %s "
			    "(continuing)", d->src->name, d->res_name, d->error);
			continue;
		}
		if (resolve_one(home, op, d, run, flags, deps, &manifest, log,
		    arg, &why) == 0)
			continue;
		if (plan->force || d->src->optional) {
			warnx_core("could not resolve '%s' in %s resource: %s "
			    "(continuing)", d->src->name, d->res_name, why);
			free(why);
			why = NULL;
			continue;
		}
		not_met(cause, d, why);
		free(why);
		goto out;
	}
	if (write_file_atomic(mpath, manifest.buf, manifest.len, cause) == -1)
		goto out;
	if (run_attr_write(run, "deps", deps, cause) == -1)
		goto out;
	rc = 0;
out:
	value_free(deps);
	value_free(flags);
	strbuf_release(&manifest);
	free(mpath);
	return rc;
}
