/*
 * runindex-scalars.c: the run index's cache of each run's scalars (the
 * summary of every key: first, last, min, max, count) and the list of
 * files it came from, refreshed when those files change. See runindex.c.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "format.h"
#include "home.h"
#include "run.h"
#include "runindex-impl.h"
#include "runindex.h"
#include "runread.h"
#include "scalars.h"
#include "strbuf.h"
#include "strvec.h"
#include "timerange.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

/* Scalars. */

static void
bind_point(sqlite3_stmt *st, int i, const struct scalar_point *p)
{
	sqlite3_bind_double(st, i, p->value);
	sqlite3_bind_int64(st, i + 1, p->step);
	sqlite3_bind_int64(st, i + 2, p->time_ms);
}

/* In a transaction (own, unless the caller has one open). */
static int
write_scalars(struct runindex *ri, int64_t rid,
    const struct scalars_summary *sum, const char *src, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i;
	bool		 own = sqlite3_get_autocommit(ri->db) != 0;

	if (own && ri_begin(ri, cause) == -1)
		return -1;
	if ((st = ri_stmt(ri, S_SCALARS_DEL, cause)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, rid);
	if (ri_step_done(ri, st, cause) == -1)
		goto fail;
	for (i = 0; i < sum->n; i++) {
		const struct scalar_stats	*s = &sum->v[i];

		if ((st = ri_stmt(ri, S_SCALAR_INS, cause)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, rid);
		ri_bind_text(st, 2, s->key);
		bind_point(st, 3, &s->first);
		bind_point(st, 6, &s->last);
		bind_point(st, 9, &s->min);
		bind_point(st, 12, &s->max);
		sqlite3_bind_double(st, 15, s->total);
		sqlite3_bind_int64(st, 16, (int64_t)s->count);
		if (ri_step_done(ri, st, cause) == -1)
			goto fail;
	}
	if ((st = ri_stmt(ri, S_SCALARS_STAMP, cause)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, rid);
	sqlite3_bind_int64(st, 2, 1);
	ri_bind_text(st, 3, src);
	if (ri_step_done(ri, st, cause) == -1)
		goto fail;
	ri->gen++;
	return own ? ri_commit(ri, cause) : 0;
fail:
	if (own)
		ri_rollback(ri);
	return -1;
}

static void
col_point(sqlite3_stmt *st, int i, struct scalar_point *p)
{
	p->value = ri_col_double(st, i);
	p->step = sqlite3_column_int64(st, i + 1);
	p->time_ms = sqlite3_column_int64(st, i + 2);
}

/* The cached summary of a run, in key order. */
int
ri_read_row_scalars(struct runindex *ri, int64_t rid,
    struct scalars_summary *sum, char **cause)
{
	struct scalar_stats	*s;
	sqlite3_stmt		*st;
	size_t			 alloc = 0;
	int			 rc;

	if ((st = ri_stmt(ri, S_ROW_SCALARS, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(sum->v, alloc, sum->n + 1);
		s = &sum->v[sum->n++];
		memset(s, 0, sizeof *s);
		s->key = ri_col_dup(st, 0);
		col_point(st, 1, &s->first);
		col_point(st, 4, &s->last);
		col_point(st, 7, &s->min);
		col_point(st, 10, &s->max);
		s->total = ri_col_double(st, 13);
		s->count = (size_t)sqlite3_column_int64(st, 14);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ri_sqlfail(ri, cause);
	scalars_summary_sort(sum);
	return 0;
}

/*
 * Bring one run's cached scalar summary up to date: the sources read
 * before are read on from where they stopped, when they grew. Runs that
 * may change (running, or changed since the last look: loaded false) are
 * searched for new event files; finished runs when one of their sources
 * or of the directories searched last changed, so that a listing of many
 * costs a stat per known source and directory, and no decoding unless
 * something changed. dfd: the runs directory, and id the run's there
 * (fewer path lookups than dir), or -1.
 */
int
ri_refresh_scalars(struct runindex *ri, int64_t rid, int dfd, const char *id,
    const char *dir, bool loaded, char **cause)
{
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	struct scalars_sources	 src = SCALARS_SOURCES_INIT;
	sqlite3_stmt		*st;
	const char		*text;
	char			*enc, *old = NULL;
	bool			 known = false;
	int			 rc;

	if ((st = ri_stmt(ri, S_SCALARS_SRC, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		text = (const char *)sqlite3_column_text(st, 0);
		if (text != NULL && loaded && sqlite3_column_int(st, 1) == 0 &&
		    !scalars_sources_stale(dfd != -1 ? dfd : AT_FDCWD,
		    dfd != -1 ? id : dir, text)) {
			sqlite3_reset(st);
			return 0;
		}
		known = text != NULL && scalars_sources_decode(text, &src) == 0;
		old = text != NULL ? xstrdup(text) : NULL;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		scalars_sources_release(&src);
		free(old);
		return ri_sqlfail(ri, cause);
	}
	if (known && ri_read_row_scalars(ri, rid, &sum, cause) == -1) {
		free(old);
		scalars_sources_release(&src);
		scalars_summary_release(&sum);
		return -1;
	}
	/* An unreadable log is no scalars, not an error. */
	rc = scalars_summary_update(dir, 0, &sum, &src, true, NULL);
	enc = scalars_sources_encode(&src);
	/* The directories too may have changed, whatever was found. */
	if (rc != 0 || !known || !loaded || strcmp(enc, old) != 0)
		rc = write_scalars(ri, rid, &sum, enc, cause);
	free(enc);
	free(old);
	scalars_sources_release(&src);
	scalars_summary_release(&sum);
	return rc;
}

double
ri_col_double(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, i);
}

/*
 * Runs whose scalars were never read (a new index, new runs): the search
 * of each run directory and the reading of its files run on a few worker
 * threads, a chunk of runs at a time, and this thread writes what they
 * found, a transaction per batch. Warnings keep the order of the runs.
 */
#define FRESH_CHUNK	(4 * WRITE_BATCH)
#define FRESH_THREADS	4

struct fresh {
	const char		*dir;
	struct scalars_summary	 sum;
	struct scalars_sources	 src;
	char			*enc;
	struct strvec		 warnings;
};

struct fresh_pool {
	struct fresh		*v;
	size_t			 n;
	atomic_size_t		 next;
};

static void
keep_warning(const char *msg, void *arg)
{
	strvec_push(arg, msg);
}

static void *
fresh_worker(void *arg)
{
	struct fresh_pool	*p = arg;
	struct fresh		*f;
	size_t			 i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n) {
		f = &p->v[i];
		warn_set_thread_sink(keep_warning, &f->warnings);
		/* An unreadable log is no scalars, not an error. */
		scalars_summary_update(f->dir, 0, &f->sum, &f->src, true, NULL);
		f->enc = scalars_sources_encode(&f->src);
	}
	warn_set_thread_sink(NULL, NULL);
	return NULL;
}

static void
fresh_read(struct fresh *v, size_t n)
{
	struct fresh_pool	 p;
	pthread_t		 tids[FRESH_THREADS];
	bool			 started[FRESH_THREADS];
	long			 cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t			 nt, i;

	p.v = v;
	p.n = n;
	atomic_init(&p.next, 0);
	nt = cpus > 1 ? (size_t)cpus : 1;
	if (nt > FRESH_THREADS)
		nt = FRESH_THREADS;
	if (nt > n / 8)
		nt = n / 8 > 0 ? n / 8 : 1;
	/* This thread is one of them; a thread not started is no harm. */
	for (i = 1; i < nt; i++)
		started[i] = pthread_create(&tids[i], NULL, fresh_worker,
		    &p) == 0;
	fresh_worker(&p);
	for (i = 1; i < nt; i++)
		if (started[i])
			pthread_join(tids[i], NULL);
}

static void
fresh_release(struct fresh *f)
{
	scalars_summary_release(&f->sum);
	scalars_sources_release(&f->src);
	strvec_clear(&f->warnings);
	free(f->enc);
}

/* Whether run rid's scalars were never read. */
static int
never_read(struct runindex *ri, int64_t rid, bool *never, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = ri_stmt(ri, S_SCALARS_SRC, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rid);
	rc = sqlite3_step(st);
	*never = rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_NULL;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ri_sqlfail(ri, cause);
	return 0;
}

/* Write a chunk read: in the caller's transaction, else in batches. */
static int
fresh_write(struct runindex *ri, const int64_t *rids, struct fresh *v,
    size_t n, char **cause)
{
	bool	batch = n > 1 && sqlite3_get_autocommit(ri->db) != 0;
	size_t	i, k;
	int	rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		for (k = 0; k < v[i].warnings.n; k++)
			warnx_core("%s", v[i].warnings.v[k]);
		if (batch && i % WRITE_BATCH == 0)
			rc = ri_begin(ri, cause);
		if (rc == 0)
			rc = write_scalars(ri, rids[i], &v[i].sum, v[i].enc,
			    cause);
		if (rc == 0 && batch && (i % WRITE_BATCH == WRITE_BATCH - 1 ||
		    i == n - 1))
			rc = ri_commit(ri, cause);
	}
	if (rc == -1 && batch)
		ri_rollback(ri);
	return rc;
}

int
ri_read_new_scalars(struct runindex *ri, size_t n, const int64_t *rids,
    char *const *dirs, bool *done, char **cause)
{
	struct fresh	*v;
	int64_t		*vrids;
	size_t		*at, nv = 0, i, k;
	bool		 never;
	int		 rc = 0;

	v = xcalloc(FRESH_CHUNK, sizeof *v);
	vrids = xcalloc(FRESH_CHUNK, sizeof *vrids);
	at = xcalloc(FRESH_CHUNK, sizeof *at);
	for (i = 0; i < n; i++)
		done[i] = false;
	for (i = 0; i <= n && rc == 0; i++) {
		if (i < n) {
			if ((rc = never_read(ri, rids[i], &never,
			    cause)) == -1 || !never)
				continue;
			v[nv].dir = dirs[i];
			vrids[nv] = rids[i];
			at[nv++] = i;
		}
		if (nv == FRESH_CHUNK || (i == n && nv > 0)) {
			fresh_read(v, nv);
			rc = fresh_write(ri, vrids, v, nv, cause);
			for (k = 0; k < nv; k++) {
				done[at[k]] = rc == 0;
				fresh_release(&v[k]);
				memset(&v[k], 0, sizeof v[k]);
			}
			nv = 0;
		}
	}
	free(at);
	free(vrids);
	free(v);
	return rc;
}

/* Scalars of every run that has none cached, or may have new ones. */
int
ri_ensure_all_scalars(struct runindex *ri, bool deleted, int64_t now,
    char **cause)
{
	struct todo {
		int64_t		 rid;
		char		*dir;
		bool		 has, done;
	}		*t = NULL;
	int64_t		*rids;
	char		**dirs;
	bool		*done;
	size_t		 n = 0, alloc = 0, nnew = 0, i, k;
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = ri_stmt(ri, S_UNLOADED_SCALARS, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(t, alloc, n + 1);
		t[n].rid = sqlite3_column_int64(st, 0);
		t[n].dir = path_join(ri_base_dir(ri, deleted),
		    (const char *)sqlite3_column_text(st, 1));
		t[n].has = sqlite3_column_type(st, 2) != SQLITE_NULL;
		n++;
	}
	sqlite3_reset(st);
	rc = rc != SQLITE_DONE ? ri_sqlfail(ri, cause) : 0;
	/* Runs without a stamp first, on worker threads when never read. */
	rids = xcalloc(n + 1, sizeof *rids);
	dirs = xcalloc(n + 1, sizeof *dirs);
	done = xcalloc(n + 1, sizeof *done);
	for (i = 0; i < n; i++) {
		if (!t[i].has) {
			rids[nnew] = t[i].rid;
			dirs[nnew++] = t[i].dir;
		}
	}
	if (rc == 0 && nnew > 0)
		rc = ri_read_new_scalars(ri, nnew, rids, dirs, done, cause);
	for (i = 0, k = 0; i < n; i++)
		t[i].done = !t[i].has && done[k++];
	/* The rest: a transaction per batch, not per run. */
	for (i = 0, k = 0; i < n && rc == 0; i++) {
		if (t[i].done)
			continue;
		if (k % WRITE_BATCH == 0 && n > 1)
			rc = ri_begin(ri, cause);
		if (rc == 0)
			rc = ri_refresh_scalars(ri, t[i].rid, -1, NULL, t[i].dir,
			    t[i].has, cause);
		if (rc == 0 && k % WRITE_BATCH == WRITE_BATCH - 1 && n > 1)
			rc = ri_commit(ri, cause);
		k++;
	}
	if (rc == 0 && k % WRITE_BATCH != 0 && n > 1)
		rc = ri_commit(ri, cause);
	if (rc == -1)
		ri_rollback(ri);
	for (i = 0; i < n; i++)
		free(t[i].dir);
	free(rids);
	free(dirs);
	free(done);
	free(t);
	return rc;
}
