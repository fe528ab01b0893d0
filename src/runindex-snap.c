/*
 * runindex-snap.c: "guild runs" without opening the index.
 *
 * Opening SQLite and reading 20 rows costs more than a whole command
 * should (bench/startup.sh, sqlite-20-rows: 1.2 ms over a bare C program
 * on a VM, before guild looks at a directory). So the plain listing (no
 * filter, no run named, not the trash) keeps what it showed in
 * CACHE/runs-list, with everything the index path would look at to find
 * it out of date:
 *
 *   - the index's own state: a nonce in CACHE/runs.db-gen, rewritten by
 *     every connection before and after each commit (SQLite's commit and
 *     WAL hooks), with the stat of runs.db and runs.db-wal (a writer
 *     without the hooks: an older guild, a person with sqlite3);
 *   - the runs directory's stamp, as the index keeps it (runs added or
 *     removed);
 *   - each row's own stamp (run_stamps(): .guild, attrs, the editable
 *     attrs), as the index checks every row it hands out;
 *   - what the index looks at on every query, looked at the same way:
 *     the rows that may change without a new stamp (running, pending,
 *     an error without exit status: its stamp and whether its process
 *     lives) and the directories of runs that are not runs yet (still
 *     there, still not a run).
 *
 * It is written only when the index needed nothing (none of those
 * changed, no row too recently read to trust) and nothing was committed
 * while it was read; stamps too recent to trust (run_stamper_final)
 * mean no snapshot either way.
 * Anything that does not match sends the command to the index, which
 * writes a new one. GUILD_TEST_INDEX_TRACE names a file the listing
 * appends "snapshot" or "index" to, for the tests.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "home.h"
#include "runindex-impl.h"
#include "runindex.h"
#include "runread.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "xmalloc.h"

#define SNAP_MAGIC	"guild runs-list 1 " XSTR(SCHEMA_VERSION) "\n"
#define SNAP_FILE	"runs-list"
#define GEN_SUFFIX	"-gen"
/* More rows (--all) would cost more stats to check than the index. */
#define SNAP_ROWS_MAX	200
/* SQLite's own default: checkpoint once the WAL holds this many pages. */
#define WAL_AUTOCHECKPOINT	1000

/* The generation nonce, written around every commit. */

static void
gen_bump(struct runindex *ri)
{
	static uint64_t	 serial;
	uint64_t	 v;
	char		*p;

	if (ri->gen_fd == -1) {
		p = xasprintf("%s" GEN_SUFFIX, ri->path);
		ri->gen_fd = open(p, O_RDWR|O_CREAT|O_NOFOLLOW|O_CLOEXEC,
		    0666);
		/*
		 * One this connection cannot rewrite (another user's) must
		 * not be trusted either: gone, no listing is kept.
		 */
		if (ri->gen_fd == -1 && errno != ENOENT)
			unlink(p);
		free(p);
		if (ri->gen_fd == -1)
			return;
	}
	/* Any new value will do, so long as it never comes back. */
	if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v)
		v = (uint64_t)ri_real_ns() ^ ((uint64_t)getpid() << 40) ^
		    ++serial;
	if (pwrite(ri->gen_fd, &v, sizeof v, 0) != (ssize_t)sizeof v) {
		/* A nonce that could not change must not be trusted. */
		close(ri->gen_fd);
		ri->gen_fd = -1;
		p = xasprintf("%s" GEN_SUFFIX, ri->path);
		unlink(p);
		free(p);
	}
}

static int
commit_hook(void *arg)
{
	gen_bump(arg);
	return 0;
}

/* After a commit; replaces SQLite's default hook, so checkpoints as it does. */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	gen_bump(arg);
	if (frames >= WAL_AUTOCHECKPOINT)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
		    NULL, NULL);
	return SQLITE_OK;
}

void
ri_snap_hooks(struct runindex *ri)
{
	sqlite3_commit_hook(ri->db, commit_hook, ri);
	sqlite3_wal_hook(ri->db, wal_hook, ri);
}

/*
 * The index's state: the nonce and the files' stats (the WAL's ctime
 * changes at every open, SQLite fchowns it: mtimes only). 0: unknown or
 * too recent to trust.
 */
static uint64_t
snap_key(const char *db_path, int64_t now)
{
	static const char *const suffixes[] = { "", "-wal" };
	struct run_stamper	 s = RUN_STAMPER_INIT;
	struct stat		 st;
	uint64_t		 gen;
	char			*p;
	size_t			 i;
	int			 fd;
	ssize_t			 n;

	p = xasprintf("%s" GEN_SUFFIX, db_path);
	fd = open(p, O_RDONLY|O_NOFOLLOW|O_CLOEXEC);
	free(p);
	if (fd == -1)
		return 0;
	n = pread(fd, &gen, sizeof gen, 0);
	close(fd);
	if (n != (ssize_t)sizeof gen)
		return 0;
	run_stamper_u64(&s, gen);
	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		p = xasprintf("%s%s", db_path, suffixes[i]);
		if (stat(p, &st) == -1)
			run_stamper_missing(&s);
		else {
			st.st_ctim = st.st_mtim;
			run_stamper_stat(&s, &st);
		}
		free(p);
	}
	return run_stamper_final(&s, now);
}

/* The key at open, the nonce made first if there is none yet. */
void
ri_snap_open(struct runindex *ri)
{
	char		*p = xasprintf("%s" GEN_SUFFIX, ri->path);
	struct stat	 st;

	if (lstat(p, &st) == -1 && errno == ENOENT)
		gen_bump(ri);
	free(p);
	ri->snap_key = snap_key(ri->path, ri_real_ns());
}

/* The runs directory's stamp, as sync_dir_begin() takes it; 0: none. */
static uint64_t
dir_stamp(int dfd, int64_t now)
{
	struct run_stamper	s = RUN_STAMPER_INIT;
	struct stat		st;

	if (dfd == -1 || fstat(dfd, &st) == -1)
		return 0;
	run_stamper_stat(&s, &st);
	return run_stamper_final(&s, now);
}

static void
trace(const char *what)
{
	const char	*path = getenv("GUILD_TEST_INDEX_TRACE");
	FILE		*f;

	if (path == NULL || *path == '\0' || (f = fopen(path, "a")) == NULL)
		return;
	fprintf(f, "%s\n", what);
	fclose(f);
}

/* Encoding: a number or a string a line, strings as "LENGTH BYTES". */

static void
put_num(struct strbuf *sb, long long v)
{
	strbuf_addf(sb, "%lld\n", v);
}

static void
put_str(struct strbuf *sb, const char *s)
{
	if (s == NULL) {
		strbuf_addstr(sb, "-\n");
		return;
	}
	strbuf_addf(sb, "%zu ", strlen(s));
	strbuf_addstr(sb, s);
	strbuf_addch(sb, '\n');
}

struct reader {
	const char	*p, *end;
	bool		 bad;
};

static long long
get_num(struct reader *r)
{
	char		*e;
	long long	 v;

	if (r->bad || r->p >= r->end || memchr(r->p, '\n',
	    (size_t)(r->end - r->p)) == NULL) {
		r->bad = true;
		return 0;
	}
	errno = 0;
	v = strtoll(r->p, &e, 10);
	if (e == r->p || *e != '\n' || errno != 0) {
		r->bad = true;
		return 0;
	}
	r->p = e + 1;
	return v;
}

/* A count: no more than max. */
static size_t
get_count(struct reader *r, size_t max)
{
	long long	v = get_num(r);

	if (v < 0 || (unsigned long long)v > max) {
		r->bad = true;
		return 0;
	}
	return (size_t)v;
}

/* A string (NULL for "-"); *bad on anything else. */
static char *
get_str(struct reader *r)
{
	char	*e, *s;
	size_t	 len;

	if (r->bad || r->end - r->p < 2) {
		r->bad = true;
		return NULL;
	}
	if (r->p[0] == '-' && r->p[1] == '\n') {
		r->p += 2;
		return NULL;
	}
	errno = 0;
	len = (size_t)strtoull(r->p, &e, 10);
	/* e: the space; then len bytes and a newline, all before end. */
	if (e == r->p || *e != ' ' || errno != 0 || r->end - e < 2 ||
	    len > (size_t)(r->end - e) - 2 || e[1 + len] != '\n') {
		r->bad = true;
		return NULL;
	}
	s = xstrndup(e + 1, len);
	r->p = e + 2 + len;
	return s;
}

static char *
get_text(struct reader *r)
{
	char	*s = get_str(r);

	if (s == NULL)
		r->bad = true;
	return s;
}

static void
put_row(struct strbuf *sb, const struct run_row *row, unsigned editable,
    uint64_t stamp)
{
	size_t	i;

	put_str(sb, row->id);
	put_str(sb, row->dir);
	put_str(sb, row->opref);
	put_str(sb, row->pkg_name);
	put_str(sb, row->model);
	put_str(sb, row->op);
	put_str(sb, row->op_desc);
	put_num(sb, row->initialized);
	put_num(sb, row->started);
	put_num(sb, row->stopped);
	put_num(sb, row->has_exit_status);
	put_num(sb, row->exit_status);
	put_num(sb, row->status);
	put_num(sb, row->pid);
	put_str(sb, row->label);
	put_num(sb, (long long)row->tags.n);
	for (i = 0; i < row->tags.n; i++)
		put_str(sb, row->tags.v[i]);
	put_num(sb, row->marked);
	put_str(sb, row->sourcecode_digest);
	put_str(sb, row->problem);
	put_num(sb, row->index);
	put_num(sb, row->rowid);
	put_num(sb, editable);
	put_num(sb, (long long)stamp);
}

static struct run_row *
get_row(struct reader *r, unsigned *editable, uint64_t *stamp)
{
	struct run_row	*row = xcalloc(1, sizeof *row);
	long long	 ntags, i;

	row->id = get_text(r);
	row->dir = get_text(r);
	row->opref = get_text(r);
	row->pkg_name = get_text(r);
	row->model = get_text(r);
	row->op = get_text(r);
	row->op_desc = get_text(r);
	row->initialized = get_num(r);
	row->started = get_num(r);
	row->stopped = get_num(r);
	row->has_exit_status = get_num(r) != 0;
	row->exit_status = (int)get_num(r);
	row->status = (enum run_status)get_num(r);
	row->pid = (pid_t)get_num(r);
	row->label = get_text(r);
	ntags = (long long)get_count(r, SIZE_MAX / 2);
	for (i = 0; i < ntags && !r->bad; i++) {
		char	*t = get_text(r);

		if (t != NULL)
			strvec_push(&row->tags, t);
		free(t);
	}
	row->marked = get_num(r) != 0;
	row->sourcecode_digest = get_str(r);
	row->problem = get_str(r);
	row->index = (long)get_num(r);
	row->rowid = get_num(r);
	*editable = (unsigned)get_num(r);
	*stamp = (uint64_t)get_num(r);
	if (r->bad) {
		run_row_free(row);
		return NULL;
	}
	return row;
}

/* What the index looks at on every query (sync_check, sync_pending). */

struct checked {
	char		*id;
	int		 status;
	bool		 has_exit_status;
	unsigned	 editable;
	uint64_t	 stamp;
};

struct watch {
	struct checked	*v;
	size_t		 n, alloc;
	struct strvec	 pending;	/* directories not runs yet */
};

#define WATCH_INIT	{ NULL, 0, 0, STRVEC_INIT }

static void
watch_clear(struct watch *w)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].id);
	free(w->v);
	w->v = NULL;
	w->n = w->alloc = 0;
	strvec_clear(&w->pending);
}

/*
 * Whether the index would find nothing to do in w: every row it checks
 * every time unchanged and current (sync_check), every directory that
 * was not a run yet still there and still not one (sync_pending).
 */
static bool
watch_quiet(const struct watch *w, const char *base, int dfd, int64_t now)
{
	struct run_rec	*rec;
	struct stat	 st;
	size_t		 i;

	for (i = 0; i < w->n; i++) {
		const struct checked	*c = &w->v[i];

		if (c->stamp == 0 ||
		    run_stamp(dfd, c->id, c->editable, now) != c->stamp ||
		    !ri_run_current(base, c->id, (enum run_status)c->status,
		    c->has_exit_status))
			return false;
	}
	for (i = 0; i < w->pending.n; i++) {
		if (fstatat(dfd, w->pending.v[i], &st, 0) == -1)
			return false;
		if ((rec = run_read(base, dfd, w->pending.v[i], false,
		    now)) != NULL) {
			run_rec_free(rec);
			return false;
		}
	}
	return true;
}

static void
put_watch(struct strbuf *sb, const struct watch *w)
{
	size_t	i;

	put_num(sb, (long long)w->n);
	for (i = 0; i < w->n; i++) {
		put_str(sb, w->v[i].id);
		put_num(sb, w->v[i].status);
		put_num(sb, w->v[i].has_exit_status);
		put_num(sb, w->v[i].editable);
		put_num(sb, (long long)w->v[i].stamp);
	}
	put_num(sb, (long long)w->pending.n);
	for (i = 0; i < w->pending.n; i++)
		put_str(sb, w->pending.v[i]);
}

static void
get_watch(struct reader *r, struct watch *w)
{
	size_t	n, i;
	char	*name;

	n = get_count(r, SNAP_ROWS_MAX);
	for (i = 0; i < n && !r->bad; i++) {
		struct checked	c;

		c.id = get_text(r);
		c.status = (int)get_num(r);
		c.has_exit_status = get_num(r) != 0;
		c.editable = (unsigned)get_num(r);
		c.stamp = (uint64_t)get_num(r);
		if (c.id == NULL)
			break;
		XGROW(w->v, w->alloc, w->n + 1);
		w->v[w->n++] = c;
	}
	n = get_count(r, SNAP_ROWS_MAX);
	for (i = 0; i < n && !r->bad; i++) {
		if ((name = get_text(r)) == NULL)
			break;
		strvec_push(&w->pending, name);
		free(name);
	}
}

/* Serving. */

int
runindex_snap_page(const struct guild_home *home, size_t want,
    struct run_rows *rows, size_t *total)
{
	struct reader	 r;
	struct watch	 w = WATCH_INIT;
	struct run_row	**got = NULL;
	const char	**ids = NULL;
	unsigned	*editable = NULL;
	uint64_t	*stamps = NULL, *cur = NULL, key, dstamp;
	struct strbuf	 text = STRBUF_INIT;
	char		*path, *db, *runs, *dir;
	size_t		 n = 0, i, nrows = 0, all;
	int64_t		 now;
	int		 dfd = -1, rc = -1;

	ri_racy_from_env();
	path = path_join(home->cache, SNAP_FILE);
	db = path_join(home->cache, "runs.db");
	runs = path_absolute(home->runs);
	now = ri_real_ns();
	if (strbuf_read_file(&text, path, NULL) == -1 ||
	    text.len < sizeof SNAP_MAGIC - 1 ||
	    memcmp(text.buf, SNAP_MAGIC, sizeof SNAP_MAGIC - 1) != 0)
		goto out;
	r.p = text.buf + sizeof SNAP_MAGIC - 1;
	r.end = text.buf + text.len;
	r.bad = false;
	dir = get_text(&r);
	key = (uint64_t)get_num(&r);
	dstamp = (uint64_t)get_num(&r);
	all = get_count(&r, SIZE_MAX / 2);
	nrows = get_count(&r, SNAP_ROWS_MAX);
	/* All of them asked for, or more than were kept: the index. */
	if (r.bad || dir == NULL || strcmp(dir, runs) != 0 || key == 0 ||
	    dstamp == 0 || nrows > all ||
	    (nrows != all && (want == 0 || want > nrows))) {
		free(dir);
		goto out;
	}
	free(dir);
	/* The index path would use an index in memory: not this one. */
	if (access(home->cache, W_OK) != 0 || access(db, R_OK|W_OK) != 0 ||
	    snap_key(db, now) != key)
		goto out;
	if ((dfd = open(runs, O_RDONLY|O_DIRECTORY|O_CLOEXEC)) == -1 ||
	    dir_stamp(dfd, now) != dstamp)
		goto out;
	got = xcalloc(nrows + 1, sizeof *got);
	ids = xcalloc(nrows + 1, sizeof *ids);
	editable = xcalloc(nrows + 1, sizeof *editable);
	stamps = xcalloc(nrows + 1, sizeof *stamps);
	cur = xcalloc(nrows + 1, sizeof *cur);
	for (n = 0; n < nrows; n++) {
		if ((got[n] = get_row(&r, &editable[n], &stamps[n])) == NULL)
			goto out;
		ids[n] = got[n]->id;
	}
	get_watch(&r, &w);
	if (r.bad || r.p != r.end || !watch_quiet(&w, runs, dfd, now))
		goto out;
	/* Only the rows handed out are verified, as the index does. */
	if (want != 0 && want < nrows)
		nrows = want;
	run_stamps(dfd, ids, editable, RUN_WATCH_FULL, NULL, nrows, now, cur);
	for (i = 0; i < nrows; i++)
		if (cur[i] == 0 || cur[i] != stamps[i])
			goto out;
	for (i = 0; i < nrows; i++) {
		run_rows_push(rows, got[i]);
		got[i] = NULL;
	}
	*total = all;
	rc = 0;
out:
	trace(rc == 0 ? "snapshot" : "index");
	watch_clear(&w);
	for (i = 0; i < n; i++)
		run_row_free(got[i]);
	if (dfd != -1)
		close(dfd);
	free(got);
	free(ids);
	free(editable);
	free(stamps);
	free(cur);
	strbuf_release(&text);
	free(path);
	free(db);
	free(runs);
	return rc;
}

/* Saving. */

/*
 * Whether the index has nothing to do for the next query: the runs
 * directory as it knows it, and what it looks at every time (into w)
 * quiet. *dstamp: the directory's stamp.
 */
static bool
index_settled(struct runindex *ri, int64_t now, int dfd, uint64_t *dstamp,
    struct watch *w)
{
	sqlite3_stmt	*st;
	uint64_t	 stored = 0, cur = dir_stamp(dfd, now);
	int		 rc;

	*dstamp = cur;
	if (cur == 0 || ri->catchup != NULL || ri->held[0])
		return false;
	if ((st = ri_stmt(ri, S_DIR_GET, NULL)) == NULL)
		return false;
	sqlite3_bind_int(st, 1, 0);
	if (sqlite3_step(st) == SQLITE_ROW)
		stored = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (stored != cur)
		return false;
	if ((st = ri_stmt(ri, S_CHECK, NULL)) == NULL)
		return false;
	sqlite3_bind_int(st, 1, 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && w->n < SNAP_ROWS_MAX) {
		XGROW(w->v, w->alloc, w->n + 1);
		w->v[w->n].id = ri_col_dup(st, 0);
		w->v[w->n].status = sqlite3_column_int(st, 1);
		w->v[w->n].stamp = (uint64_t)sqlite3_column_int64(st, 2);
		w->v[w->n].editable = (unsigned)sqlite3_column_int(st, 3);
		w->v[w->n].has_exit_status = sqlite3_column_int(st, 4) != 0;
		w->n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE ||
	    ri_ids_query(ri, S_PENDING_ALL, false, &w->pending, NULL) == -1 ||
	    w->pending.n > SNAP_ROWS_MAX)
		return false;
	return watch_quiet(w, ri->runs, dfd, now);
}

void
runindex_snap_save(struct runindex *ri, const struct run_rows *rows,
    size_t total)
{
	struct strbuf	 sb = STRBUF_INIT;
	sqlite3_stmt	*st = NULL;
	const char	**ids;
	unsigned	*editable;
	uint64_t	*stamps, *cur;
	char		*path;
	int64_t		 now = ri_real_ns();
	size_t		 i;
	int		 dfd;
	bool		 ok;
	uint64_t	 dstamp = 0;
	struct watch	 w = WATCH_INIT;

	if (ri == NULL || ri->memory || ri->path == NULL ||
	    ri->snap_key == 0 || ri->recovered != 0 ||
	    rows->n > SNAP_ROWS_MAX)
		return;
	if ((dfd = ri_open_base(ri, false)) == -1)
		return;
	ids = xcalloc(rows->n + 1, sizeof *ids);
	editable = xcalloc(rows->n + 1, sizeof *editable);
	stamps = xcalloc(rows->n + 1, sizeof *stamps);
	cur = xcalloc(rows->n + 1, sizeof *cur);
	ok = index_settled(ri, now, dfd, &dstamp, &w) &&
	    (st = ri_prepare(ri, "SELECT stamp, editable FROM runs WHERE"
	    " deleted = 0 AND id = ?1", NULL)) != NULL;
	for (i = 0; ok && i < rows->n; i++) {
		const struct run_row	*row = rows->v[i];

		ids[i] = row->id;
		ok = !row->deleted && row->flags == NULL &&
		    row->scalars == NULL && row->attrs == NULL &&
		    row->index == (long)i;
		sqlite3_reset(st);
		ri_bind_text(st, 1, row->id);
		if (ok && (ok = sqlite3_step(st) == SQLITE_ROW)) {
			stamps[i] = (uint64_t)sqlite3_column_int64(st, 0);
			editable[i] = (unsigned)sqlite3_column_int(st, 1);
		}
	}
	sqlite3_finalize(st);
	if (ok)
		run_stamps(dfd, ids, editable, RUN_WATCH_FULL, NULL, rows->n,
		    now, cur);
	for (i = 0; ok && i < rows->n; i++)
		ok = cur[i] != 0 && cur[i] == stamps[i];
	/* Last: nothing was committed while the rows were read. */
	if (ok && snap_key(ri->path, now) == ri->snap_key) {
		strbuf_addstr(&sb, SNAP_MAGIC);
		put_str(&sb, ri->runs);
		put_num(&sb, (long long)ri->snap_key);
		put_num(&sb, (long long)dstamp);
		put_num(&sb, (long long)total);
		put_num(&sb, (long long)rows->n);
		for (i = 0; i < rows->n; i++)
			put_row(&sb, rows->v[i], editable[i], stamps[i]);
		put_watch(&sb, &w);
		path = xasprintf("%.*s" SNAP_FILE,
		    (int)(strrchr(ri->path, '/') + 1 - ri->path), ri->path);
		write_file_atomic(path, sb.buf, sb.len, NULL);
		free(path);
	}
	strbuf_release(&sb);
	watch_clear(&w);
	close(dfd);
	free(ids);
	free(editable);
	free(stamps);
	free(cur);
}
