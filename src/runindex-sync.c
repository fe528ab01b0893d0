/*
 * runindex-sync.c: keeping the run index up with the run directories.
 *
 * The runs (and trash) directory's stamp says when runs were added or
 * removed; rows that may change without a new stamp (running, pending,
 * staged, racy) are checked on every query; a filter on what changes in
 * place verifies every row first (ri_sync_all). See runindex.c.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "run.h"
#include "runindex-impl.h"
#include "runindex.h"
#include "runread.h"
#include "strvec.h"
#include "util.h"

/* Keeping up with the directories. */

const char *
ri_base_dir(const struct runindex *ri, bool deleted)
{
	return deleted ? ri->trash : ri->runs;
}

/* The base directory, open; -1 with errno ENOENT when it is missing. */
int
ri_open_base(const struct runindex *ri, bool deleted)
{
	return open(ri_base_dir(ri, deleted), O_RDONLY|O_DIRECTORY|O_CLOEXEC);
}


int
ri_ids_query(struct runindex *ri, enum ri_stmt which, bool deleted,
    struct strvec *out, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = ri_stmt(ri, which, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strvec_push(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ri_sqlfail(ri, cause);
	return 0;
}

static int
pending_write(struct runindex *ri, bool deleted, const struct strvec *add,
    const struct strvec *del, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (add->n == 0 && del->n == 0)
		return 0;
	if (ri_begin(ri, cause) == -1)
		return -1;
	for (i = 0; i < add->n + del->n; i++) {
		if ((st = ri_stmt(ri, i < add->n ? S_PENDING_ADD :
		    S_PENDING_DEL, cause)) == NULL)
			goto fail;
		sqlite3_bind_int(st, 1, deleted);
		ri_bind_text(st, 2, i < add->n ? add->v[i] :
		    del->v[i - add->n]);
		if (ri_step_done(ri, st, cause) == -1)
			goto fail;
	}
	return ri_commit(ri, cause);
fail:
	ri_rollback(ri);
	return -1;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directory names that may be runs, sorted. */
static int
list_dir(int dfd, struct strvec *names)
{
	DIR		*d;
	struct dirent	*de;
	int		 fd;

	if ((fd = dup(dfd)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_LNK &&
		    de->d_type != DT_UNKNOWN)
			continue;
		strvec_push(names, de->d_name);
	}
	closedir(d);
	if (names->n > 0)
		qsort(names->v, names->n, sizeof *names->v, cmp_strp);
	return 0;
}

/*
 * Catching up with the directory: the names listed and the ids indexed,
 * merged a step at a time. sync_dir() takes every step at once; the
 * view takes them from its event loop (runindex_catchup_*), and what
 * each step read is committed, so queries see it at once.
 */
struct ri_catchup {
	bool		 deleted;
	int		 dfd;		/* ours, or -1: the directory is gone */
	uint64_t	 cur;		/* its stamp when it was listed */
	struct strvec	 names, ids, gone, wait;
	struct run_recs	 rs;
	size_t		 i, j;		/* merge positions */
	size_t		 toread, nread;	/* names not in the index */
};

static void
catchup_free(struct ri_catchup *cu)
{
	if (cu == NULL)
		return;
	if (cu->dfd != -1)
		close(cu->dfd);
	strvec_clear(&cu->names);
	strvec_clear(&cu->ids);
	strvec_clear(&cu->gone);
	strvec_clear(&cu->wait);
	run_recs_clear(&cu->rs);
	free(cu);
}

/* A test hook: reading a run takes this long more (GUILD_TEST_SLOW_US). */
static void
test_slow(const struct runindex *ri)
{
	struct timespec	ts;

	if (ri->test_slow_us == 0)
		return;
	ts.tv_sec = (time_t)(ri->test_slow_us / 1000000);
	ts.tv_nsec = (long)(ri->test_slow_us % 1000000) * 1000;
	nanosleep(&ts, NULL);
}

/*
 * Runs added or removed: when the directory's stamp changed, list it
 * and the index's ids, to be merged. 0 with *out NULL when nothing
 * changed.
 */
static int
sync_dir_begin(struct runindex *ri, bool deleted, int dfd, int64_t now,
    struct ri_catchup **out, char **cause)
{
	struct ri_catchup	*cu;
	struct run_stamper	 s = RUN_STAMPER_INIT;
	struct stat		 st;
	sqlite3_stmt		*q;
	uint64_t		 cur, stored = 0;
	size_t			 i = 0, j = 0;
	int			 c;

	*out = NULL;
	if (dfd == -1)
		run_stamper_missing(&s);
	else if (fstat(dfd, &st) == 0)
		run_stamper_stat(&s, &st);
	cur = run_stamper_final(&s, now);
	if ((q = ri_stmt(ri, S_DIR_GET, cause)) == NULL)
		return -1;
	sqlite3_bind_int(q, 1, deleted);
	if ((c = sqlite3_step(q)) == SQLITE_ROW)
		stored = (uint64_t)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (c != SQLITE_ROW && c != SQLITE_DONE)
		return ri_sqlfail(ri, cause);
	if (cur != 0 && stored == cur)
		return 0;

	cu = xcalloc(1, sizeof *cu);
	cu->deleted = deleted;
	cu->cur = cur;
	cu->dfd = -1;
	if (dfd != -1 && (cu->dfd = fcntl(dfd, F_DUPFD_CLOEXEC, 0)) == -1) {
		set_cause(cause, "%s: %s", ri_base_dir(ri, deleted),
		    strerror(errno));
		catchup_free(cu);
		return -1;
	}
	if (dfd != -1 && list_dir(dfd, &cu->names) == -1) {
		set_cause(cause, "%s: %s", ri_base_dir(ri, deleted),
		    strerror(errno));
		catchup_free(cu);
		return -1;
	}
	if (ri_ids_query(ri, S_IDS, deleted, &cu->ids, cause) == -1) {
		catchup_free(cu);
		return -1;
	}
	/* How many to read, for progress. */
	while (i < cu->names.n) {
		c = j == cu->ids.n ? -1 : strcmp(cu->names.v[i], cu->ids.v[j]);
		if (c <= 0) {
			if (c < 0)
				cu->toread++;
			i++;
		}
		if (c >= 0)
			j++;
	}
	*out = cu;
	return 0;
}

/*
 * Merge the listing with the index, reading the runs that are new,
 * until done (0) or, with deadline_ms (monotonic) not 0, until then
 * (1: more to do). What was read is written before returning.
 */
static int
sync_dir_run(struct runindex *ri, struct ri_catchup *cu, uint64_t deadline_ms,
    char **cause)
{
	const char	*base = ri_base_dir(ri, cu->deleted);
	int64_t		 now = ri_real_ns();
	int		 c;

	while (cu->i < cu->names.n || cu->j < cu->ids.n) {
		c = cu->i == cu->names.n ? 1 : cu->j == cu->ids.n ? -1 :
		    strcmp(cu->names.v[cu->i], cu->ids.v[cu->j]);
		if (c < 0) {
			struct run_rec	*r;

			r = run_read(base, cu->dfd, cu->names.v[cu->i],
			    cu->deleted, now);
			test_slow(ri);
			if (r != NULL) {
				XGROW(cu->rs.v, cu->rs.alloc, cu->rs.n + 1);
				cu->rs.v[cu->rs.n++] = r;
			} else
				strvec_push(&cu->wait, cu->names.v[cu->i]);
			cu->i++;
			cu->nread++;
		} else if (c > 0)
			strvec_push(&cu->gone, cu->ids.v[cu->j++]);
		else {
			cu->i++;
			cu->j++;
		}
		if (cu->rs.n >= WRITE_BATCH || (c < 0 && deadline_ms != 0 &&
		    mono_ms() >= deadline_ms)) {
			if (ri_write_batch(ri, cu->deleted, &cu->rs, NULL,
			    cause) == -1)
				return -1;
			run_recs_clear(&cu->rs);
			if (deadline_ms != 0 && mono_ms() >= deadline_ms)
				return 1;
		}
	}
	return 0;
}

/* The end of a merge: runs gone, pending names, the directory's stamp. */
static int
sync_dir_finish(struct runindex *ri, struct ri_catchup *cu, char **cause)
{
	struct strvec	 old = STRVEC_INIT, nowait = STRVEC_INIT;
	sqlite3_stmt	*q;
	size_t		 i;
	int		 rc = -1;

	if (ri_write_batch(ri, cu->deleted, &cu->rs, &cu->gone, cause) == -1)
		goto out;
	run_recs_clear(&cu->rs);
	/* Pending names that are no longer there. */
	if (ri_ids_query(ri, S_PENDING_ALL, cu->deleted, &old, cause) == -1)
		goto out;
	for (i = 0; i < old.n; i++) {
		if (bsearch(&old.v[i], cu->names.v, cu->names.n,
		    sizeof *cu->names.v, cmp_strp) == NULL)
			strvec_push(&nowait, old.v[i]);
	}
	if (pending_write(ri, cu->deleted, &cu->wait, &nowait, cause) == -1)
		goto out;
	if ((q = ri_stmt(ri, S_DIR_SET, cause)) == NULL)
		goto out;
	sqlite3_bind_int(q, 1, cu->deleted);
	sqlite3_bind_int64(q, 2, (int64_t)cu->cur);
	rc = ri_step_done(ri, q, cause);
out:
	strvec_clear(&old);
	strvec_clear(&nowait);
	return rc;
}

/*
 * Runs added or removed: diff the directory with the index when its
 * stamp changed. Directories that are not runs yet go to "pending".
 */
static int
sync_dir(struct runindex *ri, bool deleted, int dfd, int64_t now,
    char **cause)
{
	struct ri_catchup	*cu;
	int			 rc;

	if (sync_dir_begin(ri, deleted, dfd, now, &cu, cause) == -1)
		return -1;
	if (cu == NULL)
		return 0;
	rc = sync_dir_run(ri, cu, 0, cause);
	if (rc == 0)
		rc = sync_dir_finish(ri, cu, cause);
	catchup_free(cu);
	return rc;
}

int
runindex_catchup_start(struct runindex *ri, bool deleted, char **cause)
{
	struct ri_catchup	*cu;
	int			 dfd, rc;

	runindex_catchup_stop(ri);
	ri->held[deleted] = false;
	if ((dfd = ri_open_base(ri, deleted)) == -1 && errno != ENOENT &&
	    errno != ENOTDIR)
		return set_cause(cause, "%s: %s", ri_base_dir(ri, deleted),
		    strerror(errno));
	rc = sync_dir_begin(ri, deleted, dfd, ri_real_ns(), &cu, cause);
	if (dfd != -1)
		close(dfd);
	if (rc == -1)
		return -1;
	ri->catchup = cu;
	return cu != NULL ? 1 : 0;
}

int
runindex_catchup_step(struct runindex *ri, unsigned budget_ms,
    size_t *done, size_t *total, char **cause)
{
	struct ri_catchup	*cu = ri->catchup;
	int			 rc;

	if (cu == NULL)
		return 0;
	rc = sync_dir_run(ri, cu, mono_ms() + (budget_ms > 0 ? budget_ms : 1),
	    cause);
	if (done != NULL)
		*done = cu->nread;
	if (total != NULL)
		*total = cu->toread;
	if (rc == 0)
		rc = sync_dir_finish(ri, cu, cause);
	if (rc != 1) {
		ri->catchup = NULL;
		catchup_free(cu);
	}
	return rc;
}

void
runindex_catchup_stop(struct runindex *ri)
{
	catchup_free(ri->catchup);
	ri->catchup = NULL;
}

void
runindex_catchup_hold(struct runindex *ri)
{
	if (ri->catchup != NULL)
		ri->held[ri->catchup->deleted] = true;
	runindex_catchup_stop(ri);
}

/* Directories that were not runs yet: are they now? */
static int
sync_pending(struct runindex *ri, bool deleted, int dfd, int64_t now,
    char **cause)
{
	struct strvec	 names = STRVEC_INIT, none = STRVEC_INIT;
	struct strvec	 done = STRVEC_INIT;
	struct run_recs	 rs = { NULL, 0, 0 };
	struct stat	 st;
	struct run_rec	*r;
	size_t		 i;
	int		 rc = -1;

	if (ri_ids_query(ri, S_PENDING_ALL, deleted, &names, cause) == -1)
		return -1;
	for (i = 0; i < names.n; i++) {
		if (dfd == -1 || fstatat(dfd, names.v[i], &st, 0) == -1) {
			strvec_push(&done, names.v[i]);
			continue;
		}
		r = run_read(ri_base_dir(ri, deleted), dfd, names.v[i], deleted,
		    now);
		if (r == NULL)
			continue;
		XGROW(rs.v, rs.alloc, rs.n + 1);
		rs.v[rs.n++] = r;
		strvec_push(&done, names.v[i]);
	}
	if (ri_write_batch(ri, deleted, &rs, NULL, cause) == 0 &&
	    pending_write(ri, deleted, &none, &done, cause) == 0)
		rc = 0;
	run_recs_clear(&rs);
	strvec_clear(&names);
	strvec_clear(&done);
	return rc;
}

/*
 * test(run) of the run id: whether its LOCK's process is alive
 * (run_lock_alive), or a pending run's creator (run_pending_live, as a
 * pending row goes stale when its creator dies and the files stay).
 */
static bool
run_test(const char *base, const char *id, bool (*test)(const struct run *))
{
	struct run	run;
	bool		yes;

	run.id = (char *)id;
	run.path = path_join(base, id);
	run.guild = path_join(run.path, ".guild");
	yes = test(&run);
	free(run.path);
	free(run.guild);
	return yes;
}


/*
 * Whether a row whose stamp still matches is current: a running run's
 * process must be alive, and an error without exit status must still
 * have no live process (a LOCK rewritten in place does not show in the
 * stamps).
 */
bool
ri_run_current(const char *base, const char *id, enum run_status status,
    bool has_exit_status)
{
	if (status == RUN_STATUS_RUNNING)
		return run_test(base, id, run_lock_alive);
	if (status == RUN_STATUS_PENDING)
		return run_test(base, id, run_pending_live);
	if (status == RUN_STATUS_ERROR && !has_exit_status)
		return !run_test(base, id, run_lock_alive);
	return true;
}

bool
ri_still_current(const struct runindex *ri, bool deleted, const char *id,
    enum run_status status, bool has_exit_status)
{
	return ri_run_current(ri_base_dir(ri, deleted), id, status,
	    has_exit_status);
}

/*
 * Rows that change without telling: running (liveness), pending, staged,
 * errors without exit status, and rows read too recently to trust.
 */
static int
sync_check(struct runindex *ri, bool deleted, int dfd, int64_t now,
    char **cause)
{
	struct run_recs	 rs = { NULL, 0, 0 };
	struct strvec	 gone = STRVEC_INIT;
	sqlite3_stmt	*st;
	struct run_rec	*r;
	int		 rc;
	const char	*id;
	uint64_t	 stamp;

	if ((st = ri_stmt(ri, S_CHECK, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		stamp = (uint64_t)sqlite3_column_int64(st, 2);
		if (stamp != 0 && dfd != -1 &&
		    run_stamp(dfd, id, (unsigned)sqlite3_column_int(st, 3),
		    now) == stamp &&
		    ri_still_current(ri, deleted, id,
		    (enum run_status)sqlite3_column_int(st, 1),
		    sqlite3_column_int(st, 4) != 0))
			continue;
		r = dfd == -1 ? NULL : run_read(ri_base_dir(ri, deleted), dfd,
		    id, deleted, now);
		if (r == NULL)
			strvec_push(&gone, id);
		else {
			XGROW(rs.v, rs.alloc, rs.n + 1);
			rs.v[rs.n++] = r;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		rc = ri_sqlfail(ri, cause);
	else
		rc = ri_write_batch(ri, deleted, &rs, &gone, cause);
	run_recs_clear(&rs);
	strvec_clear(&gone);
	return rc;
}


/*
 * Verify every row against its directory (the rows sync_check() does
 * not already look at), re-reading those that changed, so that a filter
 * over the index sees what the directories hold now, however recently
 * or long ago they changed: all of the row's files (watch
 * RUN_WATCH_FULL), or those the filter's columns come from. The stats
 * run on a few threads.
 */
static int
ri_sync_all(struct runindex *ri, bool deleted, int dfd, unsigned watch,
    int64_t now, char **cause)
{
	struct run_recs	 rs = { NULL, 0, 0 };
	struct strvec	 ids = STRVEC_INIT, gone = STRVEC_INIT;
	sqlite3_stmt	*st;
	uint64_t	*stored = NULL, *cur, *fst = NULL;
	unsigned	*editable = NULL;
	size_t		 alloc = 0, ealloc = 0, falloc = 0, i;
	struct run_rec	*r;
	int		 rc;
	bool		 full = (watch & RUN_WATCH_FULL) != 0, same;

	if (dfd == -1)
		return 0;	/* sync_dir() has dropped every row */
	if ((st = ri_stmt(ri, S_ALL_ROWS, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(stored, alloc, ids.n + 1);
		XGROW(editable, ealloc, ids.n + 1);
		stored[ids.n] = (uint64_t)sqlite3_column_int64(st, 1);
		editable[ids.n] = (unsigned)sqlite3_column_int(st, 2);
		if (!full) {
			/* A row without them (NULL) is read again. */
			XGROW(fst, falloc, (ids.n + 1) * RUN_FST_N);
			if (sqlite3_column_bytes(st, 3) ==
			    (int)(sizeof *fst * RUN_FST_N))
				memcpy(fst + ids.n * RUN_FST_N,
				    sqlite3_column_blob(st, 3),
				    sizeof *fst * RUN_FST_N);
			else
				stored[ids.n] = 0;
		}
		strvec_push(&ids, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(stored);
		free(editable);
		free(fst);
		strvec_clear(&ids);
		return ri_sqlfail(ri, cause);
	}
	cur = xcalloc(ids.n + 1, sizeof *cur);
	run_stamps(dfd, (const char *const *)ids.v, editable, watch, fst,
	    ids.n, now, cur);
	for (i = 0; i < ids.n; i++) {
		same = full ? cur[i] == stored[i] : cur[i] != 0;
		if (stored[i] != 0 && same)
			continue;
		r = run_read(ri_base_dir(ri, deleted), dfd, ids.v[i], deleted,
		    now);
		if (r == NULL)
			strvec_push(&gone, ids.v[i]);
		else {
			XGROW(rs.v, rs.alloc, rs.n + 1);
			rs.v[rs.n++] = r;
		}
	}
	rc = ri_write_batch(ri, deleted, &rs, &gone, cause);
	run_recs_clear(&rs);
	strvec_clear(&gone);
	strvec_clear(&ids);
	free(stored);
	free(editable);
	free(fst);
	free(cur);
	return rc;
}

/* Whether verifying the files of a covers everything verifying b would. */
static bool
watch_covers(unsigned a, unsigned b)
{
	return (a & RUN_WATCH_FULL) ||
	    (~b & RUN_WATCH_FULL && (a & b) == b);
}

/*
 * Bring the index up to date for a query: runs added and removed, rows
 * that must always be looked at, and every row's files of watch.
 */
int
ri_index_sync(struct runindex *ri, bool deleted, unsigned watch,
    char **cause)
{
	int64_t	now = ri_real_ns();
	int	dfd, rc;

	ri->verified[deleted] = 0;
	if ((dfd = ri_open_base(ri, deleted)) == -1 && errno != ENOENT &&
	    errno != ENOTDIR)
		return set_cause(cause, "%s: %s", ri_base_dir(ri, deleted),
		    strerror(errno));
	/*
	 * A catch-up under way reads the directory, one held waits to be
	 * started again: the rest waits.
	 */
	if ((ri->catchup != NULL && ri->catchup->deleted == deleted) ||
	    ri->held[deleted])
		rc = 0;
	else {
		rc = sync_dir(ri, deleted, dfd, now, cause);
		if (rc == 0)
			rc = sync_pending(ri, deleted, dfd, now, cause);
	}
	if (rc == 0)
		rc = sync_check(ri, deleted, dfd, now, cause);
	if (rc == 0 && watch != 0) {
		uint64_t	ms = mono_ms();

		if (ri->verified_ms[deleted] == 0 ||
		    ms - ri->verified_ms[deleted] >= VERIFY_REUSE_MS ||
		    !watch_covers(ri->verified_watch[deleted], watch)) {
			rc = ri_sync_all(ri, deleted, dfd, watch, now, cause);
			ri->verified_ms[deleted] = rc == 0 ? mono_ms() : 0;
			ri->verified_watch[deleted] = watch;
		}
		if (rc == 0)
			ri->verified[deleted] = ri->verified_watch[deleted];
	}
	if (dfd != -1)
		close(dfd);
	return rc;
}
