/* runsel.c: which runs a command means: specs and filters (runsel.h). */
#include "common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "home.h"
#include "run.h"
#include "compat.h"
#include "runindex.h"
#include "runsel.h"
#include "strbuf.h"
#include "util.h"

/* Ambiguous prefixes list this many matches at most. */
#define AMBIGUOUS_SHOWN	10
/* Re-select at most this often when rows changed under us. */
#define SELECT_TRIES	3

int
runsel_filter_check(const struct run_filter *f, char **cause)
{
	struct runindex_filter	*rf;

	if ((rf = runindex_filter_new(f, (int64_t)time(NULL), cause)) == NULL)
		return -1;
	runindex_filter_free(rf);
	return 0;
}

void
runsel_filter_release(struct run_filter *f)
{
	strvec_clear(&f->ops);
	strvec_clear(&f->labels);
	strvec_clear(&f->tags);
	strvec_clear(&f->comments);
	free(f->started);
	free(f->digest);
	free(f->expr);
	memset(f, 0, sizeof *f);
}

static bool
all_digits(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

/*
 * A decimal index that fits, as a position from 0; false otherwise (then
 * it is an id prefix). Users number from 1 in Guild 0.9 mode, where 0
 * still means the newest run.
 */
static bool
parse_index(const char *s, size_t len, size_t *out)
{
	size_t	i, n = 0;

	if (len == 0 || len > 9 || !all_digits(s, len))
		return false;
	for (i = 0; i < len; i++)
		n = n * 10 + (size_t)(s[i] - '0');
	*out = n >= compat_index_base() ? n - compat_index_base() : 0;
	return true;
}

static void
not_found(const char *spec, bool deleted, char **cause)
{
	set_cause(cause, "could not find a run matching '%s'\n"
	    "Try 'guild runs list%s' for a list.", spec,
	    deleted ? " --deleted" : "");
}

static void
ambiguous(const char *spec, const struct run_rows *rows, char **cause)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	strbuf_addf(&sb, "'%s' matches multiple runs:", spec);
	for (i = 0; i < rows->n && i < AMBIGUOUS_SHOWN; i++)
		strbuf_addf(&sb, "\n  %.8s  %s  %s", rows->v[i]->id,
		    rows->v[i]->op_desc, run_status_name(rows->v[i]->status));
	if (rows->n > AMBIGUOUS_SHOWN)
		strbuf_addstr(&sb, "\n  ...");
	set_cause(cause, "%s", sb.buf);
	strbuf_release(&sb);
}

/* Move rows from src to dst, dropping the ids dst already has. */
static void
take_rows(struct run_rows *dst, struct run_rows *src)
{
	size_t	i, j;

	for (i = 0; i < src->n; i++) {
		for (j = 0; j < dst->n; j++) {
			if (strcmp(dst->v[j]->id, src->v[i]->id) == 0)
				break;
		}
		if (j < dst->n)
			run_row_free(src->v[i]);
		else
			run_rows_push(dst, src->v[i]);
	}
	src->n = 0;
}

/* One spec's runs, appended to out. */
static int
select_spec(struct runindex *ri, struct runindex_filter *rf,
    const char *spec, size_t nfiltered, bool deleted, unsigned what,
    struct run_rows *out, bool *changed, char **cause)
{
	struct run_rows	 got = RUN_ROWS_INIT;
	const char	*colon = strchr(spec, ':');
	size_t		 len = strlen(spec), a, b;
	int		 rc = 0;

	if (len == 0)
		return set_cause(cause, "empty run spec");
	if (parse_index(spec, len, &a) && a < nfiltered) {
		rc = runindex_page(ri, deleted, rf, a, 1, what, &got, changed,
		    cause);
		goto out;
	}
	if (colon != NULL && strchr(colon + 1, ':') == NULL &&
	    all_digits(spec, (size_t)(colon - spec)) &&
	    all_digits(colon + 1, strlen(colon + 1))) {
		/* A:B, inclusive; either side may be left out. */
		size_t	alen = (size_t)(colon - spec), blen = strlen(colon + 1);
		bool	ok = true;

		a = 0;
		b = nfiltered > 0 ? nfiltered - 1 : 0;
		if (alen > 0 && !parse_index(spec, alen, &a))
			ok = false;
		if (blen > 0 && (!parse_index(colon + 1, blen, &b) ||
		    b >= nfiltered))
			ok = false;
		if (ok) {
			if (nfiltered == 0 || a > b)
				return 0;
			rc = runindex_page(ri, deleted, rf, a, b - a + 1,
			    what, &got, changed, cause);
			goto out;
		}
	}
	/* Anything else names runs by id prefix. */
	if ((rc = runindex_prefix(ri, deleted, rf, spec, what, &got, changed,
	    cause)) == -1)
		goto out;
	if (got.n == 0) {
		not_found(spec, deleted, cause);
		rc = -1;
	} else if (got.n > 1) {
		ambiguous(spec, &got, cause);
		rc = -1;
	}
out:
	if (rc == 0)
		take_rows(out, &got);
	run_rows_release(&got);
	return rc;
}

static int
select_once(struct runindex *ri, struct runindex_filter *rf,
    const struct strvec *specs, const char *default_spec, bool deleted,
    unsigned what, size_t offset, size_t limit, struct run_rows *out,
    size_t *total, bool *changed, char **cause)
{
	struct run_rows	 all = RUN_ROWS_INIT;
	const char	*one[2] = { default_spec, NULL };
	const char	*const *list;
	size_t		 n, i, end;

	if (runindex_count(ri, deleted, rf, &n, cause) == -1)
		return -1;
	if ((specs == NULL || specs->n == 0) && default_spec == NULL) {
		*total = n;
		if (offset >= n)
			return 0;
		return runindex_page(ri, deleted, rf, offset, limit, what, out,
		    changed, cause);
	}
	list = specs != NULL && specs->n > 0 ?
	    (const char *const *)specs->v : one;
	for (i = 0; list[i] != NULL; i++) {
		if (select_spec(ri, rf, list[i], n, deleted, what, &all,
		    changed, cause) == -1) {
			run_rows_release(&all);
			return -1;
		}
	}
	*total = all.n;
	end = limit == 0 || offset + limit > all.n ? all.n : offset + limit;
	for (i = 0; i < all.n; i++) {
		if (i >= offset && i < end)
			run_rows_push(out, all.v[i]);
		else
			run_row_free(all.v[i]);
	}
	free(all.v);
	return 0;
}

int
runsel_select_page(struct runindex *ri, const struct run_filter *f,
    const struct strvec *specs, const char *default_spec, bool deleted,
    unsigned what, size_t offset, size_t limit, struct run_rows *out,
    size_t *total, char **cause)
{
	struct runindex_filter	*rf;
	size_t			 n0 = out->n, dummy;
	bool			 changed;
	int			 tries, rc = -1;

	if (total == NULL)
		total = &dummy;
	if ((rf = runindex_filter_new(f, (int64_t)time(NULL), cause)) == NULL)
		return -1;
	/*
	 * Rows that changed on disk are re-read while being handed out; if
	 * any did, their positions may have moved: select again.
	 */
	for (tries = 0; tries < SELECT_TRIES; tries++) {
		changed = false;
		rc = select_once(ri, rf, specs, default_spec, deleted, what,
		    offset, limit, out, total, &changed, cause);
		if (rc == -1 || !changed)
			break;
		if (tries + 1 < SELECT_TRIES) {
			while (out->n > n0)
				run_row_free(out->v[--out->n]);
		}
	}
	runindex_filter_free(rf);
	return rc;
}

int
runsel_select(struct runindex *ri, const struct run_filter *f,
    const struct strvec *specs, const char *default_spec, bool deleted,
    unsigned what, struct run_rows *out, char **cause)
{
	return runsel_select_page(ri, f, specs, default_spec, deleted, what,
	    0, 0, out, NULL, cause);
}

/* Without the index. */

struct entry {
	char	*id;
	int64_t	 ts;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry	*x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts > y->ts ? -1 : 1;
	return strcmp(x->id, y->id);
}

/*
 * A home's runs directory (HOME/runs): its index has the order already,
 * which reading every run's timestamp (100,000 of them) does not.
 */
static int
list_indexed(const char *runs_dir, struct strvec *out)
{
	struct guild_home	 home;
	struct runindex		*ri;
	char			*abs = path_absolute(runs_dir), *slash;
	int			 rc = -1;

	slash = strrchr(abs, '/');
	if (slash == NULL || slash == abs || strcmp(slash, "/runs") != 0) {
		free(abs);
		return -1;
	}
	*slash = '\0';
	home.path = abs;
	home.runs = xasprintf("%s/runs", abs);
	home.trash = xasprintf("%s/trash/runs", abs);
	home.cache = xasprintf("%s/cache", abs);
	/* Only a home that has a cache already: nothing is created here. */
	if (path_is_dir(home.cache) &&
	    (ri = runindex_open(&home, NULL)) != NULL) {
		rc = runindex_ids(ri, false, out, NULL);
		runindex_close(ri);
	}
	free(home.runs);
	free(home.trash);
	free(home.cache);
	free(abs);
	return rc;
}

int
runsel_list(const char *runs_dir, struct strvec *out, char **cause)
{
	struct strvec	 ids = STRVEC_INIT;
	struct entry	*e;
	size_t		 i, n0 = out->n;

	if (list_indexed(runs_dir, out) == 0)
		return 0;
	while (out->n > n0)
		strvec_pop(out);
	if (run_list(runs_dir, &ids, cause) == -1)
		return -1;
	e = xcalloc(ids.n + 1, sizeof *e);
	for (i = 0; i < ids.n; i++) {
		char		*path = path_join(runs_dir, ids.v[i]);
		struct run	*run = run_open(path, NULL);

		e[i].id = ids.v[i];
		e[i].ts = run != NULL ? run_timestamp(run) : 0;
		run_free(run);
		free(path);
	}
	qsort(e, ids.n, sizeof *e, entry_cmp);
	for (i = 0; i < ids.n; i++)
		strvec_push(out, e[i].id);
	free(e);
	strvec_clear(&ids);
	return 0;
}

char *
runsel_one(const struct strvec *ids, const char *spec, char **cause)
{
	struct strvec	 matches = STRVEC_INIT;
	size_t		 i, n, len = strlen(spec);
	char		*id;

	if (parse_index(spec, len, &n) && n < ids->n)
		return xstrdup(ids->v[n]);
	if (len == 0) {
		set_cause(cause, "empty run spec");
		return NULL;
	}
	for (i = 0; i < ids->n; i++) {
		if (strncmp(ids->v[i], spec, len) == 0)
			strvec_push(&matches, ids->v[i]);
	}
	if (matches.n == 1) {
		id = xstrdup(matches.v[0]);
		strvec_clear(&matches);
		return id;
	}
	if (matches.n == 0)
		not_found(spec, false, cause);
	else {
		struct strbuf	sb = STRBUF_INIT;

		strbuf_addf(&sb, "'%s' matches multiple runs:", spec);
		for (i = 0; i < matches.n && i < AMBIGUOUS_SHOWN; i++)
			strbuf_addf(&sb, "\n  %.8s", matches.v[i]);
		if (matches.n > AMBIGUOUS_SHOWN)
			strbuf_addstr(&sb, "\n  ...");
		set_cause(cause, "%s", sb.buf);
		strbuf_release(&sb);
	}
	strvec_clear(&matches);
	return NULL;
}
