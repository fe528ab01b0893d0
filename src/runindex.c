/*
 * runindex.c: the run index, a cache of the run directories in sqlite3.
 *
 * The only module that speaks SQL: this file (opening, writing records,
 * rows, flags and scalars, the queries), runindex-sync.c (keeping up with
 * the directories) and runindex-filter.c (filters in SQL), sharing
 * runindex-impl.h. Rows are read from the run directories (runread.c)
 * and written here; nothing is ever only here.
 *
 * Staying current without reading every run on every command:
 *
 * - The runs (and trash) directory's stamp (mtime, ctime, inode) tells
 *   that runs were added or removed: then it is read and diffed with
 *   the index. A directory without .guild/opref (a run being created)
 *   is remembered and looked at again on every query.
 * - Each row keeps a stamp of what it was read from: RUN/.guild,
 *   RUN/.guild/attrs and the attrs that are rewritten in place after a
 *   run ended (label, tags, marked, comments, exit_status: Guild AI does
 *   not rename over them, so their directory does not change). Rows
 *   handed out are checked against it (three stat calls for a typical
 *   run) and re-read when it differs.
 * - A filter that tests anything that may change in place (everything
 *   but the operation) runs in SQL over the cached columns, so every row
 *   is verified first, not only those handed out: a run tagged by
 *   another process a moment or a month ago matches from the next query
 *   on. Each file of a row's stamp also has a stamp of its own, so a
 *   filter on tags verifies a row with one stat: its tags, or its attrs
 *   directory while it has none (creating them changes it). Filters on
 *   the start time, the digest or an expression verify the whole stamp.
 *   The stats run on a few threads.
 * - Rows that may change without any of that (running: their process may
 *   die; pending, staged; an error without exit status, which is also
 *   what a run looks like for a moment before its LOCK is written) and
 *   rows read too soon after a change to trust their stamp (the clock
 *   that stamps files is coarse) are checked on every query, running
 *   ones for liveness too. So a dead run never shows "running".
 * - Flags and scalar summaries are loaded lazily: flags when a filter
 *   expression or a caller asks for them, scalars keyed by the stamp of
 *   RUN/.guild/scalars.tsv.
 *
 * Concurrency: WAL mode, a busy timeout, short write transactions that
 * begin IMMEDIATE (so a reader never has to upgrade), and idempotent
 * writes (an upsert of what the directory holds, with the stamp taken
 * before reading it), so processes racing to update the same rows agree
 * or leave a stamp that makes the next reader look again.
 *
 * Failures of the cache are never the user's problem: a corrupt file or
 * another schema version is deleted and rebuilt; anything else (a locked
 * or unwritable cache) falls back to an in-memory index built from the
 * directories.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
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

/*
 * The oldest schema that schema_sql brings up to date in place: it only
 * adds objects (IF NOT EXISTS) to those. Older ones are rebuilt.
 */
#define SCHEMA_UPGRADABLE 11
#define BUSY_TIMEOUT_MS	30000
#define PREFIX_MAX_S	"11"	/* runindex_prefix: matches returned */

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS runs ("
	" rid INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL,"
	" deleted INTEGER NOT NULL,"
	" ts INTEGER NOT NULL,"
	" status INTEGER NOT NULL,"
	" check_ INTEGER NOT NULL,"
	" stamp INTEGER NOT NULL,"
	" editable INTEGER NOT NULL,"
	" op_desc TEXT NOT NULL,"
	" model TEXT NOT NULL,"
	" op TEXT NOT NULL,"
	" pkg_type TEXT NOT NULL,"
	" pkg_name TEXT NOT NULL,"
	" opref TEXT NOT NULL,"
	" label TEXT,"			/* NULL: no such attr, and so on */
	" marked INTEGER,"
	" tags TEXT,"
	" comments TEXT NOT NULL,"
	" digest TEXT,"
	" initialized INTEGER,"
	" started INTEGER NOT NULL,"
	" stopped INTEGER NOT NULL,"
	" exit_status INTEGER,"
	" pid INTEGER NOT NULL,"
	" attr_names TEXT NOT NULL,"
	" flags_loaded INTEGER NOT NULL DEFAULT 0,"
	" scalars_stamp INTEGER,"	/* NULL: to be searched for */
	" scalars_src TEXT,"		/* scalars_sources_encode() */
	" problem TEXT,"		/* run_row.problem */
	" fstamps BLOB,"		/* run_rec.fst, native order */
	" UNIQUE (deleted, id));"
	/*
	 * In listing order, and covering what filters test, so that counting
	 * and filtering 100,000 runs reads this narrow index, not the rows.
	 */
	"CREATE INDEX IF NOT EXISTS runs_order ON runs (deleted, ts DESC, id,"
	" status, marked, model, op, op_desc, pkg_type, label, tags, comments,"
	" started, stopped, exit_status);"
	/*
	 * Covering ROW_COLS in listing order: "guild runs" reads its 20
	 * newest rows from a leaf or two of this index instead of 20 table
	 * pages, each a page fault of its own (rows are in rid order, which
	 * is the order they were first read in: directory order when the
	 * index is rebuilt). Schema 12.
	 */
	"CREATE INDEX IF NOT EXISTS runs_list ON runs (deleted, ts DESC, id,"
	" status, op_desc, model, op, pkg_type, pkg_name, opref, label, marked,"
	" tags, digest, initialized, started, stopped, exit_status, pid, stamp,"
	" editable, flags_loaded, scalars_stamp, problem);"
	"CREATE INDEX IF NOT EXISTS runs_noflags ON runs (deleted)"
	" WHERE flags_loaded = 0;"
	"CREATE INDEX IF NOT EXISTS runs_noscalars ON runs (deleted)"
	" WHERE scalars_stamp IS NULL;"
	"CREATE INDEX IF NOT EXISTS runs_check ON runs (deleted)"
	" WHERE check_ != 0;"
	"CREATE TABLE IF NOT EXISTS flags ("
	" rid INTEGER NOT NULL, name TEXT NOT NULL, type INTEGER NOT NULL,"
	" val, PRIMARY KEY (rid, name)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS flags_name ON flags (name, rid, type, val);"
	"CREATE TABLE IF NOT EXISTS scalars ("
	" rid INTEGER NOT NULL, key TEXT NOT NULL,"
	" first_v, first_step, first_t, last_v, last_step, last_t,"
	" min_v, min_step, min_t, max_v, max_step, max_t, total, count,"
	" PRIMARY KEY (rid, key)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS scalars_key ON scalars (key, rid, last_v);"
	"CREATE TABLE IF NOT EXISTS dirs ("
	" deleted INTEGER PRIMARY KEY, stamp INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS attrnames ("
	" name TEXT PRIMARY KEY) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS pending ("
	" deleted INTEGER NOT NULL, name TEXT NOT NULL,"
	" PRIMARY KEY (deleted, name)) WITHOUT ROWID;"
	/*
	 * The number of runs and of deleted runs, kept by the triggers:
	 * "guild runs" shows it on every call, and counting even the
	 * narrowest index reads a page in every 500 rows, each a page fault
	 * of its own (20 of 10,000 runs: a millisecond).
	 */
	"CREATE TABLE IF NOT EXISTS counts ("
	" deleted INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS runs_new AFTER INSERT ON runs BEGIN"
	" INSERT INTO counts (deleted, n) VALUES (new.deleted, 1)"
	" ON CONFLICT (deleted) DO UPDATE SET n = n + 1;"
	" END;"
	"CREATE TRIGGER IF NOT EXISTS runs_gone AFTER DELETE ON runs BEGIN"
	" DELETE FROM flags WHERE rid = old.rid;"
	" DELETE FROM scalars WHERE rid = old.rid;"
	" UPDATE counts SET n = n - 1 WHERE deleted = old.deleted;"
	" END;";

/*
 * The columns a row is made of, in row_from_stmt()'s order; all in the
 * runs_list index (tests/cli/runs-index.sh checks its plan).
 */
#define ROW_COLS \
	"rid, id, deleted, status, op_desc, model, op, pkg_type, pkg_name," \
	" opref, label, marked, tags, digest, initialized, started, stopped," \
	" exit_status, pid, stamp, editable, flags_loaded, scalars_stamp," \
	" problem"
enum {
	C_RID, C_ID, C_DELETED, C_STATUS, C_OP_DESC, C_MODEL, C_OP,
	C_PKG_TYPE, C_PKG_NAME, C_OPREF, C_LABEL, C_MARKED, C_TAGS, C_DIGEST,
	C_INITIALIZED, C_STARTED, C_STOPPED, C_EXIT_STATUS, C_PID, C_STAMP,
	C_EDITABLE, C_FLAGS_LOADED, C_SCALARS_STAMP, C_PROBLEM,
};



static const char *const stmt_sql[S_COUNT] = {
	[S_UPSERT] =
	    "INSERT INTO runs (id, deleted, ts, status, check_, stamp, editable,"
	    " op_desc, model, op, pkg_type, pkg_name, opref, label, marked, tags,"
	    " comments, digest, initialized, started, stopped, exit_status, pid,"
	    " attr_names, problem, fstamps, flags_loaded)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	    " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, 0)"
	    " ON CONFLICT (deleted, id) DO UPDATE SET ts = excluded.ts,"
	    " status = excluded.status, check_ = excluded.check_,"
	    " stamp = excluded.stamp, editable = excluded.editable,"
	    " op_desc = excluded.op_desc, model = excluded.model, op = excluded.op,"
	    " pkg_type = excluded.pkg_type, pkg_name = excluded.pkg_name,"
	    " opref = excluded.opref, label = excluded.label,"
	    " marked = excluded.marked, tags = excluded.tags,"
	    " comments = excluded.comments, digest = excluded.digest,"
	    " initialized = excluded.initialized, started = excluded.started,"
	    " stopped = excluded.stopped, exit_status = excluded.exit_status,"
	    " pid = excluded.pid, attr_names = excluded.attr_names,"
	    " problem = excluded.problem, fstamps = excluded.fstamps,"
	    " flags_loaded = 0,"
	    /* A run changed (restarted, finished): look for new logs. */
	    " scalars_stamp = CASE WHEN stamp = excluded.stamp"
	    " THEN scalars_stamp END"
	    " RETURNING rid",
	[S_FLAGS_DEL] =
	    "DELETE FROM flags WHERE rid = ?1",
	[S_DEL_ID] =
	    "DELETE FROM runs WHERE deleted = ?1 AND id = ?2",
	[S_ATTRNAME] =
	    "INSERT OR IGNORE INTO attrnames (name) VALUES (?1)",
	[S_DIR_GET] =
	    "SELECT stamp FROM dirs WHERE deleted = ?1",
	[S_DIR_SET] =
	    "INSERT OR REPLACE INTO dirs (deleted, stamp) VALUES (?1, ?2)",
	[S_IDS] =
	    "SELECT id FROM runs WHERE deleted = ?1 ORDER BY id",
	[S_PENDING_ALL] =
	    "SELECT name FROM pending WHERE deleted = ?1",
	[S_PENDING_ADD] =
	    "INSERT OR IGNORE INTO pending (deleted, name) VALUES (?1, ?2)",
	[S_PENDING_DEL] =
	    "DELETE FROM pending WHERE deleted = ?1 AND name = ?2",
	[S_CHECK] =
	    "SELECT id, status, stamp, editable, exit_status IS NOT NULL FROM runs"
	    " WHERE deleted = ?1 AND check_ != 0",
	[S_ALL_ROWS] =
	    "SELECT id, stamp, editable, fstamps FROM runs"
	    " WHERE deleted = ?1 AND check_ = 0",
	[S_FLAG_INS] =
	    "INSERT OR REPLACE INTO flags (rid, name, type, val)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[S_FLAGS_LOADED] =
	    "UPDATE runs SET flags_loaded = 1 WHERE rid = ?1",
	[S_UNLOADED_FLAGS] =
	    "SELECT rid, id FROM runs WHERE deleted = ?1 AND flags_loaded = 0",
	[S_ROW_FLAGS] =
	    "SELECT name, type, val FROM flags WHERE rid = ?1 ORDER BY name",
	[S_SCALARS_DEL] =
	    "DELETE FROM scalars WHERE rid = ?1",
	[S_SCALAR_INS] =
	    "INSERT OR REPLACE INTO scalars (rid, key, first_v, first_step,"
	    " first_t, last_v, last_step, last_t, min_v, min_step, min_t, max_v,"
	    " max_step, max_t, total, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	    " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
	[S_SCALARS_STAMP] =
	    "UPDATE runs SET scalars_stamp = ?2, scalars_src = ?3"
	    " WHERE rid = ?1",
	[S_SCALARS_SRC] =
	    "SELECT scalars_src, check_ FROM runs WHERE rid = ?1",
	[S_ROW_SCALARS] =
	    "SELECT key, first_v, first_step, first_t, last_v, last_step, last_t,"
	    " min_v, min_step, min_t, max_v, max_step, max_t, total, count"
	    " FROM scalars WHERE rid = ?1 ORDER BY key",
	[S_UNLOADED_SCALARS] =
	    "SELECT rid, id, scalars_stamp FROM runs WHERE deleted = ?1"
	    " AND scalars_stamp IS NULL"
	    " UNION ALL SELECT rid, id, scalars_stamp FROM runs WHERE deleted = ?1"
	    " AND check_ != 0 AND scalars_stamp IS NOT NULL",
	[S_ATTRNAME_GET] =
	    "SELECT 1 FROM attrnames WHERE name = ?1",
	/* Of runs and trash alike: rows are looked up by rid. */
	[S_PRE_FLAGS] =
	    "SELECT rid, type, val FROM flags WHERE name = ?1",
	[S_PRE_SCALARS] =
	    "SELECT rid, last_v FROM scalars WHERE key = ?1",
	[S_PRE_COUNT_SCALARS] =
	    "SELECT count(*) FROM scalars WHERE key = ?1",
	[S_PRE_COUNT_FLAGS] =
	    "SELECT count(*) FROM flags WHERE name = ?1",
	[S_MAX_RID] =
	    "SELECT max(rid) FROM runs",
	[S_IDS_ORDERED] =
	    "SELECT id FROM runs WHERE deleted = ?1 ORDER BY ts DESC, id",
	[S_FORGET] =
	    "DELETE FROM runs WHERE id = ?1",
	[S_FORGET_PENDING] =
	    "DELETE FROM pending WHERE name = ?1",
	[S_RUN_COUNT] =
	    "SELECT n FROM counts WHERE deleted = ?1",
};

/* Clocks. */

int64_t
ri_real_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* SQL plumbing. */

int
ri_sqlfail(struct runindex *ri, char **cause)
{
	ri->sqlerr = sqlite3_errcode(ri->db);
	if (ri->sqlerr == SQLITE_OK)
		ri->sqlerr = SQLITE_ERROR;
	return set_cause(cause, "run index %s: %s",
	    ri->path != NULL ? ri->path : "(memory)", sqlite3_errmsg(ri->db));
}

/* A statement prepared once per connection, reset for a new use. */
sqlite3_stmt *
ri_stmt(struct runindex *ri, enum ri_stmt which, char **cause)
{
	sqlite3_stmt	*st = ri->stmts[which];

	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(ri->db, stmt_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		ri_sqlfail(ri, cause);
		return NULL;
	}
	ri->stmts[which] = st;
	return st;
}

sqlite3_stmt *
ri_prepare(struct runindex *ri, const char *sql, char **cause)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(ri->db, sql, -1, &st, NULL) != SQLITE_OK) {
		ri_sqlfail(ri, cause);
		return NULL;
	}
	return st;
}

static int
exec(struct runindex *ri, const char *sql, char **cause)
{
	if (sqlite3_exec(ri->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return ri_sqlfail(ri, cause);
	return 0;
}

/* Run a write statement to completion. */
int
ri_step_done(struct runindex *ri, sqlite3_stmt *st, char **cause)
{
	int	rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return ri_sqlfail(ri, cause);
	}
	sqlite3_reset(st);
	return 0;
}

int
ri_begin(struct runindex *ri, char **cause)
{
	return exec(ri, "BEGIN IMMEDIATE", cause);
}

int
ri_commit(struct runindex *ri, char **cause)
{
	if (exec(ri, "COMMIT", cause) == -1) {
		sqlite3_exec(ri->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

void
ri_rollback(struct runindex *ri)
{
	if (!sqlite3_get_autocommit(ri->db))
		sqlite3_exec(ri->db, "ROLLBACK", NULL, NULL, NULL);
}

void
ri_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

char *
ri_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return xstrdup(t != NULL ? (const char *)t : "");
}

/* Opening, creating, rebuilding. */


static void
db_close(struct runindex *ri)
{
	size_t	i;

	for (i = 0; i < S_COUNT; i++) {
		sqlite3_finalize(ri->stmts[i]);
		ri->stmts[i] = NULL;
	}
	if (ri->db != NULL)
		sqlite3_close_v2(ri->db);
	ri->db = NULL;
}

static void
db_unlink(const char *path)
{
	static const char *const suffixes[] = { "-wal", "-shm", "-journal" };
	char			*p;
	size_t			 i;

	/* The WAL first: replayed over a new file, it would corrupt it. */
	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		p = xasprintf("%s%s", path, suffixes[i]);
		unlink(p);
		free(p);
	}
	unlink(path);
}

static int
schema_version(struct runindex *ri, int *version, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = ri_prepare(ri, "PRAGMA user_version", cause)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ri_sqlfail(ri, cause);
	return 0;
}

static int
db_open(struct runindex *ri, bool memory, char **cause)
{
	int		 flags = SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE|
			    SQLITE_OPEN_NOMUTEX;
	int		 version = 0;

	ri->sqlerr = 0;
	ri->memory = memory || ri->path == NULL;
	if (sqlite3_open_v2(ri->memory ? ":memory:" : ri->path, &ri->db,
	    flags, NULL) != SQLITE_OK) {
		if (ri->db == NULL)
			return set_cause(cause, "run index: out of memory");
		return ri_sqlfail(ri, cause);
	}
	if (!ri->memory && sqlite3_db_readonly(ri->db, "main") == 1) {
		ri->sqlerr = SQLITE_READONLY;
		return set_cause(cause, "run index %s: read-only", ri->path);
	}
	sqlite3_busy_timeout(ri->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(ri->db, 0);
	if (sqlite3_create_function_v2(ri->db, "guild_ops", 5,
	    SQLITE_UTF8|SQLITE_DETERMINISTIC, ri, ri_sql_ops, NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(ri->db, "guild_expr", -1,
	    SQLITE_UTF8, ri, ri_sql_expr, NULL, NULL, NULL) != SQLITE_OK)
		return ri_sqlfail(ri, cause);
	if (schema_version(ri, &version, cause) == -1)
		return -1;
	if (version != 0 && (version < SCHEMA_UPGRADABLE ||
	    version > SCHEMA_VERSION)) {
		ri->sqlerr = SQLITE_SCHEMA;
		return set_cause(cause, "run index %s: schema version %d",
		    ri->path, version);
	}
	if (!ri->memory) {
		int	persist = 1;

		/* Persistent in the file; a no-op once set. */
		sqlite3_exec(ri->db, "PRAGMA journal_mode=WAL", NULL, NULL,
		    NULL);
		/*
		 * Keep the -wal and -shm files: otherwise every command
		 * creates both and deletes them at close. A WAL kept is
		 * emptied at the last close (journal_size_limit 0, after the
		 * checkpoint), so a runs.db deleted by hand never meets stale
		 * frames.
		 */
		sqlite3_file_control(ri->db, "main", SQLITE_FCNTL_PERSIST_WAL,
		    &persist);
		ri_snap_hooks(ri);
		if (exec(ri, "PRAGMA synchronous=NORMAL; "
		    "PRAGMA journal_size_limit=0", cause) == -1)
			return -1;
	}
	/* Scans read pages through the mapping, not a read() each. */
	if (exec(ri, "PRAGMA mmap_size=1073741824", cause) == -1 ||
	    exec(ri, "PRAGMA cache_size=-16000", cause) == -1 ||
	    exec(ri, "PRAGMA temp_store=MEMORY", cause) == -1)
		return -1;
	if (version == SCHEMA_VERSION)
		return 0;
	/*
	 * New, or of an older schema: create it or bring it up to date,
	 * unless another process just did.
	 */
	if (ri_begin(ri, cause) == -1)
		return -1;
	if (schema_version(ri, &version, cause) == -1)
		goto fail;
	if (version == 0 || (version >= SCHEMA_UPGRADABLE &&
	    version < SCHEMA_VERSION)) {
		if (exec(ri, schema_sql, cause) == -1 ||
		    exec(ri, "PRAGMA user_version = " XSTR(SCHEMA_VERSION),
		    cause) == -1)
			goto fail;
	} else if (version != SCHEMA_VERSION) {
		ri->sqlerr = SQLITE_SCHEMA;
		set_cause(cause, "run index %s: schema version %d", ri->path,
		    version);
		goto fail;
	}
	return ri_commit(ri, cause);
fail:
	ri_rollback(ri);
	return -1;
}

/* Errors that mean the file itself is bad: rebuild it. */
static bool
corrupt_error(int err)
{
	return err == SQLITE_CORRUPT || err == SQLITE_NOTADB ||
	    err == SQLITE_SCHEMA || err == SQLITE_FORMAT;
}

/*
 * After a failure of the cache: rebuild a bad file, else (or after that
 * failed too) carry on in memory. False when nothing is left to try.
 */
static bool
recover(struct runindex *ri)
{
	char	*c = NULL;
	int	 err = ri->sqlerr;

	if (ri->memory || ri->recovered >= 2)
		return false;
	ri->recovered++;
	db_close(ri);
	if (ri->recovered == 1 && corrupt_error(err) && ri->path != NULL) {
		db_unlink(ri->path);
		if (db_open(ri, false, &c) == 0)
			return true;
		free(c);
		c = NULL;
		db_close(ri);
		ri->recovered++;
	}
	if (db_open(ri, true, &c) == 0)
		return true;
	free(c);
	return false;
}

static void
give_cause(char **cause, char *c)
{
	if (cause != NULL)
		*cause = c;
	else
		free(c);
}

/*
 * Before SQLite's first use. Every page of memory first touched is a
 * page fault, which costs more than most queries of a command: pages are
 * read through the mapping (mmap_size), so the page cache needs no pages
 * set up in advance, and a connection needs a small lookaside (the
 * default, 120 KB, is written through at every open).
 */
static void
sqlite_setup(void)
{
	static bool	done;

	if (done)
		return;
	done = true;
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 128, 64);
	/*
	 * No memory statistics (nothing reads them): each allocation would
	 * take a global mutex to count itself, 5% of "guild runs".
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* GUILD_INDEX_RACY_MS: tests trust stamps sooner than RACY_NS. */
void
ri_racy_from_env(void)
{
	const char	*env = getenv("GUILD_INDEX_RACY_MS");

	if (env != NULL && *env != '\0') {
		run_stamp_set_racy_ns(strtoll(env, NULL, 10) * 1000 * 1000);
		scalars_set_racy_ns(strtoll(env, NULL, 10) * 1000 * 1000);
	}
}

struct runindex *
runindex_open(const struct guild_home *home, char **cause)
{
	struct runindex	*ri = xcalloc(1, sizeof *ri);
	char		*c = NULL;
	const char	*env;

	sqlite_setup();

	ri_racy_from_env();
	if ((env = getenv("GUILD_TEST_SLOW_US")) != NULL && *env != '\0')
		ri->test_slow_us = strtoul(env, NULL, 10);
	ri->runs = path_absolute(home->runs);
	ri->trash = path_absolute(home->trash);
	ri->pre_deleted = -1;
	ri->gen_fd = -1;
	/* No cache directory: an index in memory, built every time. */
	if (mkdir_p(home->cache, 0777, NULL) == 0 &&
	    access(home->cache, W_OK) == 0)
		ri->path = path_join(home->cache, "runs.db");
	/* Before anything is read: what runindex_snap_save() compares. */
	if (ri->path != NULL)
		ri_snap_open(ri);
	if (db_open(ri, false, &c) == 0)
		return ri;
	if (recover(ri)) {
		free(c);
		return ri;
	}
	give_cause(cause, c);
	runindex_close(ri);
	return NULL;
}


void
runindex_close(struct runindex *ri)
{
	if (ri == NULL)
		return;
	runindex_catchup_stop(ri);
	ri_preload_clear(ri);
	db_close(ri);
	if (ri->gen_fd != -1)
		close(ri->gen_fd);
	free(ri->path);
	free(ri->runs);
	free(ri->trash);
	free(ri);
}

/* Writing records. */


static char *
opref_type(const char *opref)
{
	const char	*colon = strchr(opref, ':');

	if (colon == NULL)
		return xstrdup("");
	return xstrndup(opref, (size_t)(colon - opref));
}

static int
write_rec(struct runindex *ri, struct run_rec *r, char **cause)
{
	sqlite3_stmt	*st;
	char		*type;
	int		 rc;

	if ((st = ri_stmt(ri, S_UPSERT, cause)) == NULL)
		return -1;
	type = opref_type(r->row.opref);
	ri_bind_text(st, 1, r->row.id);
	sqlite3_bind_int(st, 2, r->row.deleted);
	sqlite3_bind_int64(st, 3, r->ts);
	sqlite3_bind_int(st, 4, (int)r->row.status);
	sqlite3_bind_int(st, 5, r->check);
	sqlite3_bind_int64(st, 6, (int64_t)r->stamp);
	sqlite3_bind_int(st, 7, (int)r->editable);
	ri_bind_text(st, 8, r->row.op_desc);
	ri_bind_text(st, 9, r->row.model);
	ri_bind_text(st, 10, r->row.op);
	ri_bind_text(st, 11, type);
	ri_bind_text(st, 12, r->row.pkg_name);
	ri_bind_text(st, 13, r->row.opref);
	/* Attrs that are missing are NULL, so -F can tell "undefined". */
	ri_bind_text(st, 14, r->editable & 1U ? r->row.label : NULL);
	if (r->editable & 4U)
		sqlite3_bind_int(st, 15, r->row.marked);
	else
		sqlite3_bind_null(st, 15);
	ri_bind_text(st, 16, r->editable & 2U ? r->tags_col : NULL);
	ri_bind_text(st, 17, r->comments);
	ri_bind_text(st, 18, r->row.sourcecode_digest);
	if (r->row.initialized != 0)
		sqlite3_bind_int64(st, 19, r->row.initialized);
	else
		sqlite3_bind_null(st, 19);
	sqlite3_bind_int64(st, 20, r->row.started);
	sqlite3_bind_int64(st, 21, r->row.stopped);
	if (r->row.has_exit_status)
		sqlite3_bind_int(st, 22, r->row.exit_status);
	else
		sqlite3_bind_null(st, 22);
	sqlite3_bind_int64(st, 23, r->row.pid);
	ri_bind_text(st, 24, r->attr_names);
	ri_bind_text(st, 25, r->row.problem);
	sqlite3_bind_blob(st, 26, r->fst, sizeof r->fst, SQLITE_STATIC);
	free(type);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r->row.rowid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return ri_sqlfail(ri, cause);
	if ((st = ri_stmt(ri, S_FLAGS_DEL, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, r->row.rowid);
	ri->gen++;
	return ri_step_done(ri, st, cause);
}


/*
 * Every attr name any run ever had (a superset: never removed), so that
 * a filter expression knows when a name cannot be an attr of any run and
 * skips looking for one.
 */
static int
write_attrnames(struct runindex *ri, struct run_rec *const *v, size_t n,
    char **cause)
{
	struct strvec	 names = STRVEC_INIT;
	sqlite3_stmt	*st;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < n; i++) {
		struct strvec	one = STRVEC_INIT;
		size_t		j;

		ri_split_col(&one, v[i]->attr_names);
		for (j = 0; j < one.n; j++) {
			if (strvec_find(&names, one.v[j]) == -1)
				strvec_push(&names, one.v[j]);
		}
		strvec_clear(&one);
	}
	for (i = 0; i < names.n && rc == 0; i++) {
		if ((st = ri_stmt(ri, S_ATTRNAME, cause)) == NULL)
			rc = -1;
		else {
			ri_bind_text(st, 1, names.v[i]);
			rc = ri_step_done(ri, st, cause);
		}
	}
	strvec_clear(&names);
	return rc;
}

/* Apply records (upserts) and removals (ids) in short transactions. */
int
ri_write_batch(struct runindex *ri, bool deleted, struct run_recs *rs,
    const struct strvec *gone, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i = 0, j = 0, k;

	while (i < rs->n || (gone != NULL && j < gone->n)) {
		if (ri_begin(ri, cause) == -1)
			return -1;
		for (k = 0; k < WRITE_BATCH && i < rs->n; k++, i++) {
			if (write_rec(ri, rs->v[i], cause) == -1)
				goto fail;
		}
		/* Only removals: rs->v may be NULL, no pointer to offset. */
		if (k > 0 && write_attrnames(ri, rs->v + i - k, k, cause) == -1)
			goto fail;
		for (; k < WRITE_BATCH && gone != NULL && j < gone->n; k++,
		    j++) {
			if ((st = ri_stmt(ri, S_DEL_ID, cause)) == NULL)
				goto fail;
			sqlite3_bind_int(st, 1, deleted);
			ri_bind_text(st, 2, gone->v[j]);
			if (ri_step_done(ri, st, cause) == -1)
				goto fail;
		}
		if (ri_commit(ri, cause) == -1)
			return -1;
	}
	return 0;
fail:
	ri_rollback(ri);
	return -1;
}

/* Rows. */

void
ri_split_col(struct strvec *out, const char *col)
{
	const char	*p = col, *q;

	if (*p == SEP)
		p++;
	while (*p != '\0') {
		q = strchr(p, SEP);
		if (q == NULL)
			q = p + strlen(p);
		strvec_pushf(out, "%.*s", (int)(q - p), p);
		p = *q == SEP ? q + 1 : q;
	}
}

static struct run_row *
row_from_stmt(const struct runindex *ri, sqlite3_stmt *st, struct meta *m)
{
	struct run_row	*row = xcalloc(1, sizeof *row);

	row->rowid = sqlite3_column_int64(st, C_RID);
	row->id = ri_col_dup(st, C_ID);
	row->deleted = sqlite3_column_int(st, C_DELETED) != 0;
	row->dir = path_join(ri_base_dir(ri, row->deleted), row->id);
	row->status = (enum run_status)sqlite3_column_int(st, C_STATUS);
	row->op_desc = ri_col_dup(st, C_OP_DESC);
	row->model = ri_col_dup(st, C_MODEL);
	row->op = ri_col_dup(st, C_OP);
	row->pkg_name = ri_col_dup(st, C_PKG_NAME);
	row->opref = ri_col_dup(st, C_OPREF);
	row->label = ri_col_dup(st, C_LABEL);
	row->marked = sqlite3_column_int(st, C_MARKED) != 0;
	ri_split_col(&row->tags,
	    (const char *)sqlite3_column_text(st, C_TAGS) != NULL ?
	    (const char *)sqlite3_column_text(st, C_TAGS) : "");
	if (sqlite3_column_type(st, C_DIGEST) != SQLITE_NULL)
		row->sourcecode_digest = ri_col_dup(st, C_DIGEST);
	row->initialized = sqlite3_column_int64(st, C_INITIALIZED);
	row->started = sqlite3_column_int64(st, C_STARTED);
	row->stopped = sqlite3_column_int64(st, C_STOPPED);
	if (sqlite3_column_type(st, C_EXIT_STATUS) != SQLITE_NULL) {
		row->has_exit_status = true;
		row->exit_status = sqlite3_column_int(st, C_EXIT_STATUS);
	}
	row->pid = (pid_t)sqlite3_column_int64(st, C_PID);
	if (sqlite3_column_type(st, C_PROBLEM) != SQLITE_NULL)
		row->problem = ri_col_dup(st, C_PROBLEM);
	row->index = -1;
	if (m != NULL) {
		m->stamp = (uint64_t)sqlite3_column_int64(st, C_STAMP);
		m->editable = (unsigned)sqlite3_column_int(st, C_EDITABLE);
		m->flags_loaded = sqlite3_column_int(st, C_FLAGS_LOADED) != 0;
		m->has_scalars_stamp = sqlite3_column_type(st,
		    C_SCALARS_STAMP) != SQLITE_NULL;
		m->scalars_stamp = (uint64_t)sqlite3_column_int64(st,
		    C_SCALARS_STAMP);
		m->scalars_read = false;
	}
	return row;
}

static bool
str_differs(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/* Whether a fresh record differs from a row in what filters look at. */
static bool
row_differs(const struct run_row *row, const struct run_rec *r)
{
	size_t	i;

	if (row->started != r->row.started ||
	    row->initialized != r->row.initialized ||
	    row->stopped != r->row.stopped || row->status != r->row.status ||
	    row->has_exit_status != r->row.has_exit_status ||
	    row->exit_status != r->row.exit_status ||
	    row->marked != r->row.marked || row->tags.n != r->row.tags.n ||
	    str_differs(row->label, r->row.label) ||
	    str_differs(row->opref, r->row.opref) ||
	    str_differs(row->sourcecode_digest, r->row.sourcecode_digest) ||
	    str_differs(row->problem, r->row.problem))
		return true;
	for (i = 0; i < row->tags.n; i++) {
		if (strcmp(row->tags.v[i], r->row.tags.v[i]) != 0)
			return true;
	}
	/* Comments are not in rows: with some, assume they changed. */
	return (r->editable & 1U << 3) != 0;
}

/* Replace a row's core fields with a fresh record's (keeping extras). */
static void
row_take(struct run_row *row, struct run_rec *r)
{
	long	index = row->index;

	free(row->id);
	free(row->dir);
	free(row->opref);
	free(row->pkg_name);
	free(row->model);
	free(row->op);
	free(row->op_desc);
	free(row->label);
	strvec_clear(&row->tags);
	free(row->sourcecode_digest);
	free(row->problem);
	row->id = xstrdup(r->row.id);
	row->dir = xstrdup(r->row.dir);
	row->deleted = r->row.deleted;
	row->opref = xstrdup(r->row.opref);
	row->pkg_name = xstrdup(r->row.pkg_name);
	row->model = xstrdup(r->row.model);
	row->op = xstrdup(r->row.op);
	row->op_desc = xstrdup(r->row.op_desc);
	row->initialized = r->row.initialized;
	row->started = r->row.started;
	row->stopped = r->row.stopped;
	row->has_exit_status = r->row.has_exit_status;
	row->exit_status = r->row.exit_status;
	row->status = r->row.status;
	row->pid = r->row.pid;
	row->label = xstrdup(r->row.label);
	strvec_pushv(&row->tags, (const char *const *)r->row.tags.v);
	row->marked = r->row.marked;
	row->sourcecode_digest = r->row.sourcecode_digest != NULL ?
	    xstrdup(r->row.sourcecode_digest) : NULL;
	row->problem = r->row.problem != NULL ? xstrdup(r->row.problem) :
	    NULL;
	row->rowid = r->row.rowid;
	row->index = index;
}

/* Flags. */

static void
bind_value(sqlite3_stmt *st, int typecol, int valcol, const struct value *v)
{
	struct strbuf	sb = STRBUF_INIT;

	sqlite3_bind_int(st, typecol, v != NULL ? (int)v->type : VALUE_NULL);
	if (v == NULL) {
		sqlite3_bind_null(st, valcol);
		return;
	}
	switch (v->type) {
	case VALUE_NULL:
		sqlite3_bind_null(st, valcol);
		break;
	case VALUE_BOOL:
		sqlite3_bind_int(st, valcol, v->u.b);
		break;
	case VALUE_INT:
		sqlite3_bind_int64(st, valcol, v->u.i);
		break;
	case VALUE_FLOAT:
		/* NaN becomes NULL in sqlite; read back as NaN. */
		sqlite3_bind_double(st, valcol, v->u.f);
		break;
	case VALUE_STRING:
		ri_bind_text(st, valcol, v->u.s);
		break;
	case VALUE_LIST:
	case VALUE_MAP:
		value_encode_flow(&sb, v);
		ri_bind_text(st, valcol, sb.buf);
		strbuf_release(&sb);
		break;
	}
}

struct value *
ri_value_from_sql(int type, sqlite3_value *val)
{
	const char	*t;
	struct value	*v;

	switch (type) {
	case VALUE_BOOL:
		return value_bool(sqlite3_value_int(val) != 0);
	case VALUE_INT:
		return value_int(sqlite3_value_int64(val));
	case VALUE_FLOAT:
		if (sqlite3_value_type(val) == SQLITE_NULL)
			return value_float(NAN);
		return value_float(sqlite3_value_double(val));
	case VALUE_STRING:
		t = (const char *)sqlite3_value_text(val);
		return value_string(t != NULL ? t : "");
	case VALUE_LIST:
	case VALUE_MAP:
		t = (const char *)sqlite3_value_text(val);
		if (t == NULL)
			return value_null();
		if ((v = yaml_parse_value(t, strlen(t), NULL)) == NULL)
			v = value_string(t);
		return v;
	default:
		return value_null();
	}
}


struct flagload {
	int64_t		 rid;
	struct value	*flags;		/* map, or NULL */
};

static struct value *
read_flags_attr(const char *dir)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct stat	 st;
	struct value	*v = NULL;
	char		*path = path_join(dir, ".guild/attrs/flags");

	/* Unreadable flags are none; run_read() tells why. */
	if (file_read_regular(AT_FDCWD, path, FILE_NOFOLLOW, FILE_ATTR_MAX, &sb,
	    &st, NULL) == 0)
		v = yaml_parse_value(sb.buf, sb.len, NULL);
	if (v != NULL && v->type != VALUE_MAP) {
		value_free(v);
		v = NULL;
	}
	strbuf_release(&sb);
	free(path);
	return v;
}

static int
write_flags(struct runindex *ri, struct flagload *fl, size_t n, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i, k;
	bool		 own = sqlite3_get_autocommit(ri->db) != 0;

	if (n == 0)
		return 0;
	if (own && ri_begin(ri, cause) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((st = ri_stmt(ri, S_FLAGS_DEL, cause)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, fl[i].rid);
		if (ri_step_done(ri, st, cause) == -1)
			goto fail;
		for (k = 0; fl[i].flags != NULL && k < fl[i].flags->u.map.n;
		    k++) {
			if ((st = ri_stmt(ri, S_FLAG_INS, cause)) == NULL)
				goto fail;
			sqlite3_bind_int64(st, 1, fl[i].rid);
			ri_bind_text(st, 2, fl[i].flags->u.map.k[k]);
			bind_value(st, 3, 4, fl[i].flags->u.map.v[k]);
			if (ri_step_done(ri, st, cause) == -1)
				goto fail;
		}
		if ((st = ri_stmt(ri, S_FLAGS_LOADED, cause)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, fl[i].rid);
		if (ri_step_done(ri, st, cause) == -1)
			goto fail;
	}
	ri->gen++;
	return own ? ri_commit(ri, cause) : 0;
fail:
	if (own)
		ri_rollback(ri);
	return -1;
}

static void
flagloads_clear(struct flagload *fl, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		value_free(fl[i].flags);
}


/* Load the flags of every run that has none loaded yet. */
int
ri_ensure_all_flags(struct runindex *ri, bool deleted, char **cause)
{
	struct flagload	*fl = NULL;
	struct strvec	 dirs = STRVEC_INIT;
	size_t		 n = 0, alloc = 0, i, j, end;
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = ri_stmt(ri, S_UNLOADED_FLAGS, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(fl, alloc, n + 1);
		fl[n].rid = sqlite3_column_int64(st, 0);
		fl[n].flags = NULL;
		strvec_push_nodup(&dirs, path_join(ri_base_dir(ri, deleted),
		    (const char *)sqlite3_column_text(st, 1)));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		rc = ri_sqlfail(ri, cause);
	else
		rc = 0;
	for (i = 0; i < n && rc == 0; i += WRITE_BATCH) {
		end = i + WRITE_BATCH < n ? i + WRITE_BATCH : n;
		for (j = i; j < end; j++)
			fl[j].flags = read_flags_attr(dirs.v[j]);
		rc = write_flags(ri, fl + i, end - i, cause);
	}
	flagloads_clear(fl, n);
	free(fl);
	strvec_clear(&dirs);
	return rc;
}


static int
row_flags(struct runindex *ri, struct run_row *row, bool loaded,
    char **cause)
{
	struct flagload	 fl;
	sqlite3_stmt	*st;
	int		 rc;

	value_free(row->flags);
	row->flags = NULL;
	if (!loaded) {
		fl.rid = row->rowid;
		fl.flags = read_flags_attr(row->dir);
		rc = write_flags(ri, &fl, 1, cause);
		if (rc == 0)
			row->flags = fl.flags != NULL ? fl.flags : value_map();
		else
			value_free(fl.flags);
		return rc;
	}
	row->flags = value_map();
	if ((st = ri_stmt(ri, S_ROW_FLAGS, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, row->rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		value_map_set(row->flags,
		    (const char *)sqlite3_column_text(st, 0),
		    ri_value_from_sql(sqlite3_column_int(st, 1),
		    sqlite3_column_value(st, 2)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ri_sqlfail(ri, cause);
	return 0;
}

/* Scalars: runindex-scalars.c, but for the rows' own. */

static int
row_scalars(struct runindex *ri, int dfd, struct run_row *row,
    const struct meta *m, char **cause)
{
	if (!m->scalars_read && ri_refresh_scalars(ri, row->rowid, dfd,
	    row->id, row->dir, m->has_scalars_stamp, cause) == -1)
		return -1;
	if (row->scalars != NULL) {
		scalars_summary_release(row->scalars);
		free(row->scalars);
	}
	row->scalars = xcalloc(1, sizeof *row->scalars);
	return ri_read_row_scalars(ri, row->rowid, row->scalars, cause);
}


/* Rows whose scalars were never read: all at once, on worker threads. */
static int
new_scalars(struct runindex *ri, struct run_rows *rows, size_t from,
    struct meta *meta, char **cause)
{
	int64_t		*rids = xcalloc(rows->n - from + 1, sizeof *rids);
	char		**dirs = xcalloc(rows->n - from + 1, sizeof *dirs);
	bool		*done = xcalloc(rows->n - from + 1, sizeof *done);
	size_t		 i, n = 0;
	int		 rc = 0;

	for (i = from; i < rows->n; i++) {
		if (!meta[i - from].has_scalars_stamp) {
			rids[n] = rows->v[i]->rowid;
			dirs[n++] = rows->v[i]->dir;
		}
	}
	if (n > 1)
		rc = ri_read_new_scalars(ri, n, rids, dirs, done, cause);
	for (i = from, n = 0; i < rows->n && rc == 0; i++)
		if (!meta[i - from].has_scalars_stamp)
			meta[i - from].scalars_read = done[n++];
	free(rids);
	free(dirs);
	free(done);
	return rc;
}

/* Every attr, read from the directory. */
static void
row_attrs(struct run_row *row)
{
	struct run	 run;
	struct value	*v;
	struct strvec	 names = STRVEC_INIT;
	char		*dir;
	DIR		*d;
	struct dirent	*de;
	size_t		 i;

	value_free(row->attrs);
	row->attrs = value_map();
	run.id = row->id;
	run.path = row->dir;
	run.guild = path_join(row->dir, ".guild");
	dir = path_join(run.guild, "attrs");
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] != '.')
				strvec_push(&names, de->d_name);
		}
		closedir(d);
	}
	strvec_sort(&names);
	for (i = 0; i < names.n; i++) {
		if (run_attr_read(&run, names.v[i], &v, NULL) == 0 && v != NULL)
			value_map_set(row->attrs, names.v[i], v);
	}
	strvec_clear(&names);
	free(dir);
	free(run.guild);
}

/*
 * Rows about to be handed out: check each against its directory, re-read
 * what changed (dropping runs that are gone), then load what was asked.
 */
static int
finish_rows(struct runindex *ri, bool deleted, struct run_rows *rows,
    size_t from, struct meta *meta, unsigned what, bool *changed,
    char **cause)
{
	struct run_recs	 rs = { NULL, 0, 0 };
	struct strvec	 gone = STRVEC_INIT;
	int64_t		 now = ri_real_ns();
	struct run_rec	*r;
	uint64_t	*cur;
	unsigned	*editable;
	const char	**ids;
	size_t		 i, k;
	int		 dfd, rc = 0;
	bool		 batch;

	dfd = ri_open_base(ri, deleted);
	cur = xcalloc(rows->n - from + 1, sizeof *cur);
	editable = xcalloc(rows->n - from + 1, sizeof *editable);
	ids = xcalloc(rows->n - from + 1, sizeof *ids);
	for (i = from; i < rows->n; i++) {
		editable[i - from] = meta[i - from].editable;
		ids[i - from] = rows->v[i]->id;
	}
	/* Rows that ri_sync_all() has just verified need no second look. */
	if (dfd != -1 && !(ri->verified[deleted] & RUN_WATCH_FULL))
		run_stamps(dfd, ids, editable, RUN_WATCH_FULL, NULL,
		    rows->n - from, now, cur);
	for (i = from; i < rows->n; i++) {
		struct run_row	*row = rows->v[i];
		struct meta	*m = &meta[i - from];

		if (dfd != -1 && m->stamp != 0 &&
		    ((ri->verified[deleted] & RUN_WATCH_FULL) ||
		    cur[i - from] == m->stamp) &&
		    ri_still_current(ri, deleted, row->id, row->status,
		    row->has_exit_status))
			continue;
		r = dfd == -1 ? NULL : run_read(ri_base_dir(ri, deleted), dfd,
		    row->id, deleted, now);
		if (r == NULL) {
			*changed = true;
			strvec_push(&gone, row->id);
			continue;
		}
		/* Only what selection uses moves positions. */
		if (row_differs(row, r))
			*changed = true;
		XGROW(rs.v, rs.alloc, rs.n + 1);
		rs.v[rs.n++] = r;
		m->flags_loaded = false;
	}
	free(cur);
	free(editable);
	free(ids);
	if (rs.n > 0 || gone.n > 0) {
		rc = ri_write_batch(ri, deleted, &rs, &gone, cause);
		/* Swap the fresh records in; drop the rows that are gone. */
		for (i = from, k = from; i < rows->n; i++) {
			struct run_row	*row = rows->v[i];
			size_t		 j;

			if (strvec_find(&gone, row->id) != -1) {
				run_row_free(row);
				continue;
			}
			for (j = 0; j < rs.n; j++) {
				if (strcmp(rs.v[j]->row.id, row->id) == 0) {
					row_take(row, rs.v[j]);
					break;
				}
			}
			meta[k - from] = meta[i - from];
			rows->v[k++] = row;
		}
		rows->n = k;
	}
	run_recs_clear(&rs);
	strvec_clear(&gone);
	if (rc == 0 && (what & RUNINDEX_SCALARS))
		rc = new_scalars(ri, rows, from, meta, cause);
	/* Rows loaded for the first time: a transaction per batch. */
	for (i = from, k = 0; i < rows->n; i++)
		if (((what & RUNINDEX_FLAGS) && !meta[i - from].flags_loaded) ||
		    ((what & RUNINDEX_SCALARS) &&
		    !meta[i - from].has_scalars_stamp &&
		    !meta[i - from].scalars_read))
			k++;
	batch = k > 1 && sqlite3_get_autocommit(ri->db);
	for (i = from, k = 0; rc == 0 && i < rows->n; i++, k++) {
		if (batch && k % WRITE_BATCH == 0)
			rc = ri_begin(ri, cause);
		if (rc == 0 && (what & RUNINDEX_FLAGS))
			rc = row_flags(ri, rows->v[i], meta[i - from].flags_loaded,
			    cause);
		if (rc == 0 && (what & RUNINDEX_SCALARS))
			rc = row_scalars(ri, dfd, rows->v[i],
			    &meta[i - from], cause);
		if (rc == 0 && (what & RUNINDEX_ATTRS))
			row_attrs(rows->v[i]);
		if (rc == 0 && batch && (k % WRITE_BATCH == WRITE_BATCH - 1 ||
		    i == rows->n - 1))
			rc = ri_commit(ri, cause);
	}
	if (rc == -1 && batch)
		ri_rollback(ri);
	if (dfd != -1)
		close(dfd);
	return rc;
}

/* Guild's core attrs of a row, for filter expressions. */

const char *
ri_arg_text(sqlite3_value *v)
{
	const char	*t = (const char *)sqlite3_value_text(v);

	return t != NULL ? t : "";
}

static struct value *
time_value(sqlite3_value *v)
{
	struct value	*val;
	char		*s;

	if (sqlite3_value_int64(v) <= 0)
		return NULL;
	s = format_time_str(sqlite3_value_int64(v));
	val = value_string(s);
	free(s);
	return val;
}

/* Guild's "time" attr: the run's duration, H:MM:SS. */
static struct value *
duration_value(const struct expr_row *er)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*v = NULL;

	if (format_run_time(&sb, sqlite3_value_int64(er->argv[E_STARTED]),
	    sqlite3_value_int64(er->argv[E_STOPPED]),
	    sqlite3_value_int(er->argv[E_STATUS]) == RUN_STATUS_RUNNING,
	    now_us()))
		v = value_string(sb.buf);
	strbuf_release(&sb);
	return v;
}

static struct value *
short_value(sqlite3_value *v)
{
	const char	*t = ri_arg_text(v);

	if (*t == '\0')
		return NULL;
	return value_string_n(t, strnlen(t, RUN_SHORT_ID_LEN));
}

struct value *
ri_core_value(const struct expr_row *er, enum core_attr which)
{
	sqlite3_value	**a = er->argv;

	switch (which) {
	case A_ID:
		return value_string(ri_arg_text(a[E_ID]));
	case A_RUN:
	case A_SHORT_ID:
		return short_value(a[E_ID]);
	case A_OPERATION:
		return value_string(ri_arg_text(a[E_OP_DESC]));
	case A_OP:
		return value_string(ri_arg_text(a[E_OP]));
	case A_OP_MODEL:
		return value_string(ri_arg_text(a[E_MODEL]));
	case A_FROM:
		return value_string(ri_arg_text(a[E_PKG_NAME]));
	case A_SOURCECODE:
		return short_value(a[E_DIGEST]);
	case A_STARTED:
		return time_value(a[E_STARTED]);
	case A_STOPPED:
		return time_value(a[E_STOPPED]);
	case A_STATUS:
		return value_string(run_status_name(
		    (enum run_status)sqlite3_value_int(a[E_STATUS])));
	case A_TIME:
		return duration_value(er);
	}
	return NULL;
}

/* Public entry points; each retries once the cache has recovered. */

static void
rows_truncate(struct run_rows *rows, size_t n)
{
	while (rows->n > n)
		run_row_free(rows->v[--rows->n]);
}

/* After a failed attempt: true to try again (with *cause cleared). */
static bool
retry(struct runindex *ri, char **c)
{
	if (ri->sqlerr == 0)
		return false;
	ri_rollback(ri);
	ri->cur = NULL;
	ri_preload_clear(ri);
	if (!recover(ri))
		return false;
	free(*c);
	*c = NULL;
	return true;
}

static int
count_once(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    size_t *count, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (ri_index_sync(ri, deleted, VERIFY_ALL(rf), cause) == -1)
		return -1;
	if (rf == NULL || (rf->nops == 0 && rf->expr == NULL &&
	    *rf->cond == '\0' && rf->params.n == 0)) {
		/* No filter: the count the triggers keep. */
		if ((st = ri_stmt(ri, S_RUN_COUNT, cause)) == NULL)
			return -1;
		sqlite3_bind_int(st, 1, deleted);
		rc = sqlite3_step(st);
		*count = rc == SQLITE_ROW ?
		    (size_t)sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return ri_sqlfail(ri, cause);
		return 0;
	}
	if ((st = ri_filtered(ri, deleted, rf, "count(*)", NULL, NULL,
	    cause)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = (size_t)sqlite3_column_int64(st, 0);
	ri->cur = NULL;
	if (rc != SQLITE_ROW) {
		ri_sqlfail(ri, cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int
runindex_count(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    size_t *count, char **cause)
{
	char	*c = NULL;

	ri->sqlerr = 0;
	while (count_once(ri, deleted, rf, count, &c) == -1) {
		if (!retry(ri, &c)) {
			give_cause(cause, c);
			return -1;
		}
	}
	return 0;
}

/* Rows of a statement (ROW_COLS), their metadata, then finish them. */
static int
collect(struct runindex *ri, bool deleted, sqlite3_stmt *st, long index0,
    unsigned what, struct run_rows *rows, bool *changed, char **cause)
{
	struct meta	*meta = NULL;
	size_t		 from = rows->n, alloc = 0;
	int		 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(meta, alloc, rows->n - from + 1);
		run_rows_push(rows, row_from_stmt(ri, st,
		    &meta[rows->n - from]));
		if (index0 >= 0)
			rows->v[rows->n - 1]->index = index0 +
			    (long)(rows->n - 1 - from);
	}
	ri->cur = NULL;
	if (rc != SQLITE_DONE)
		rc = ri_sqlfail(ri, cause);
	else
		rc = 0;
	sqlite3_finalize(st);
	if (rc == 0)
		rc = finish_rows(ri, deleted, rows, from, meta, what, changed,
		    cause);
	free(meta);
	return rc;
}

static int
page_once(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    size_t offset, size_t limit, unsigned what, struct run_rows *rows,
    bool *changed, char **cause)
{
	sqlite3_stmt	*st;
	char		*tail;

	if (ri_index_sync(ri, deleted, VERIFY_ALL(rf), cause) == -1)
		return -1;
	tail = xasprintf("ORDER BY ts DESC, id LIMIT %lld OFFSET %zu",
	    limit == 0 ? -1LL : (long long)limit, offset);
	st = ri_filtered(ri, deleted, rf, ROW_COLS, NULL, tail, cause);
	free(tail);
	if (st == NULL)
		return -1;
	return collect(ri, deleted, st, (long)offset, what, rows, changed,
	    cause);
}

int
runindex_page(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    size_t offset, size_t limit, unsigned what, struct run_rows *rows,
    bool *changed, char **cause)
{
	size_t	n0 = rows->n;
	char	*c = NULL;
	bool	 dummy = false;

	if (changed == NULL)
		changed = &dummy;
	ri->sqlerr = 0;
	while (page_once(ri, deleted, rf, offset, limit, what, rows, changed,
	    &c) == -1) {
		rows_truncate(rows, n0);
		if (!retry(ri, &c)) {
			give_cause(cause, c);
			return -1;
		}
	}
	return 0;
}

static int
position(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    const struct run_row *row, int64_t ts, long *index, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = ri_filtered(ri, deleted, rf, "count(*)",
	    "(ts > ?7 OR (ts = ?7 AND id < ?8))", NULL, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 7, ts);
	ri_bind_text(st, 8, row->id);
	rc = sqlite3_step(st);
	ri->cur = NULL;
	if (rc == SQLITE_ROW)
		*index = (long)sqlite3_column_int64(st, 0);
	else
		ri_sqlfail(ri, cause);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
prefix_once(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    const char *prefix, unsigned what, struct run_rows *rows, bool *changed,
    char **cause)
{
	sqlite3_stmt	*st;
	char		*hi;
	size_t		 from = rows->n, i;
	int		 rc;

	if (ri_index_sync(ri, deleted, VERIFY_ALL(rf), cause) == -1)
		return -1;
	/*
	 * +ts: so that the id range is searched in the (deleted, id) index,
	 * not all of runs_list scanned because it has the order and every
	 * column.
	 */
	st = ri_filtered(ri, deleted, rf, ROW_COLS, "id >= ?5 AND id < ?6",
	    "ORDER BY +ts DESC, id LIMIT " PREFIX_MAX_S, cause);
	if (st == NULL)
		return -1;
	/* Every id with the prefix sorts below prefix + 0xff. */
	hi = xasprintf("%s\xff", prefix);
	ri_bind_text(st, 5, prefix);
	ri_bind_text(st, 6, hi);
	free(hi);
	if ((rc = collect(ri, deleted, st, -1, what, rows, changed,
	    cause)) == -1)
		return -1;
	/* Positions cost a count each: only for the one match. */
	for (i = from; i < rows->n && rows->n - from == 1; i++) {
		struct run_row	*row = rows->v[i];
		int64_t		 ts = row->started > 0 ? row->started :
				    row->initialized;

		if (position(ri, deleted, rf, row, ts, &row->index,
		    cause) == -1)
			return -1;
	}
	return 0;
}

int
runindex_prefix(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    const char *prefix, unsigned what, struct run_rows *rows, bool *changed,
    char **cause)
{
	size_t	n0 = rows->n;
	char	*c = NULL;
	bool	 dummy = false;

	if (changed == NULL)
		changed = &dummy;
	ri->sqlerr = 0;
	while (prefix_once(ri, deleted, rf, prefix, what, rows, changed,
	    &c) == -1) {
		rows_truncate(rows, n0);
		if (!retry(ri, &c)) {
			give_cause(cause, c);
			return -1;
		}
	}
	return 0;
}

unsigned long
runindex_reads(void)
{
	return run_read_count();
}

int
runindex_rows(struct runindex *ri, bool deleted, unsigned what,
    struct run_rows *rows, char **cause)
{
	return runindex_page(ri, deleted, NULL, 0, 0, what, rows, NULL,
	    cause);
}

static int
update_once(struct runindex *ri, const char *id, bool deleted,
    struct run_row *row, char **cause)
{
	struct run_recs	 rs = { NULL, 0, 0 };
	struct strvec	 gone = STRVEC_INIT;
	struct run_rec	*r = NULL;
	int		 dfd, rc;

	if ((dfd = ri_open_base(ri, deleted)) != -1) {
		r = run_read(ri_base_dir(ri, deleted), dfd, id, deleted,
		    ri_real_ns());
		close(dfd);
	}
	if (r != NULL) {
		XGROW(rs.v, rs.alloc, 1);
		rs.v[rs.n++] = r;
	} else
		strvec_push(&gone, id);
	rc = ri_write_batch(ri, deleted, &rs, &gone, cause);
	if (rc == 0 && row != NULL && r != NULL) {
		row_take(row, r);
		/* Extras the caller loaded are refreshed as they were. */
		if (row->flags != NULL)
			rc = row_flags(ri, row, false, cause);
		if (rc == 0 && row->attrs != NULL)
			row_attrs(row);
		if (rc == 0 && row->scalars != NULL) {
			struct meta	m = { 0, 0, false, false, 0 };

			rc = row_scalars(ri, -1, row, &m, cause);
		}
	}
	run_recs_clear(&rs);
	strvec_clear(&gone);
	return rc;
}

int
runindex_update(struct runindex *ri, const char *id, bool deleted,
    struct run_row *row, char **cause)
{
	char	*c = NULL;

	ri->sqlerr = 0;
	while (update_once(ri, id, deleted, row, &c) == -1) {
		if (!retry(ri, &c)) {
			give_cause(cause, c);
			return -1;
		}
	}
	return 0;
}


static int
filter_ids_once(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    struct strvec *ids, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (ri_index_sync(ri, deleted, VERIFY_ALL(rf), cause) == -1)
		return -1;
	if ((st = ri_filtered(ri, deleted, rf, "id", NULL,
	    "ORDER BY ts DESC, id", cause)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strvec_push(ids, (const char *)sqlite3_column_text(st, 0));
	ri->cur = NULL;
	if (rc != SQLITE_DONE)
		ri_sqlfail(ri, cause);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
runindex_filter_ids(struct runindex *ri, bool deleted,
    struct runindex_filter *rf, struct strvec *ids, char **cause)
{
	size_t	n0 = ids->n;
	char	*c = NULL;

	ri->sqlerr = 0;
	while (filter_ids_once(ri, deleted, rf, ids, &c) == -1) {
		while (ids->n > n0)
			strvec_pop(ids);
		if (!retry(ri, &c)) {
			give_cause(cause, c);
			return -1;
		}
	}
	return 0;
}

static int
ids_once(struct runindex *ri, bool deleted, struct strvec *ids, char **cause)
{
	if (ri_index_sync(ri, deleted, false, cause) == -1)
		return -1;
	return ri_ids_query(ri, S_IDS_ORDERED, deleted, ids, cause);
}

int
runindex_ids(struct runindex *ri, bool deleted, struct strvec *ids,
    char **cause)
{
	size_t	n0 = ids->n;
	char	*c = NULL;

	ri->sqlerr = 0;
	while (ids_once(ri, deleted, ids, &c) == -1) {
		while (ids->n > n0)
			strvec_pop(ids);
		if (!retry(ri, &c)) {
			give_cause(cause, c);
			return -1;
		}
	}
	return 0;
}


static int
forget_once(struct runindex *ri, const char *id, char **cause)
{
	sqlite3_stmt	*st;

	if (ri_begin(ri, cause) == -1)
		return -1;
	if ((st = ri_stmt(ri, S_FORGET, cause)) == NULL)
		goto fail;
	ri_bind_text(st, 1, id);
	if (ri_step_done(ri, st, cause) == -1)
		goto fail;
	if ((st = ri_stmt(ri, S_FORGET_PENDING, cause)) == NULL)
		goto fail;
	ri_bind_text(st, 1, id);
	if (ri_step_done(ri, st, cause) == -1)
		goto fail;
	return ri_commit(ri, cause);
fail:
	ri_rollback(ri);
	return -1;
}

int
runindex_forget(struct runindex *ri, const char *id, char **cause)
{
	char	*c = NULL;

	ri->sqlerr = 0;
	while (forget_once(ri, id, &c) == -1) {
		if (!retry(ri, &c)) {
			give_cause(cause, c);
			return -1;
		}
	}
	return 0;
}

/* Rows. */

char *
run_row_project_dir(const struct run_row *row)
{
	const char	*slash;

	if (row->pkg_name == NULL || *row->pkg_name != '/' ||
	    row->opref == NULL)
		return NULL;
	if (str_starts_with(row->opref, "script:"))
		return xstrdup(row->pkg_name);
	/* A batch (builtin) carries its prototype's guild.yml as pkg_name. */
	if (!str_starts_with(row->opref, "guildfile:") &&
	    !str_starts_with(row->opref, "builtin:"))
		return NULL;
	slash = strrchr(row->pkg_name, '/');
	if (slash == row->pkg_name)
		return xstrdup("/");
	return xstrndup(row->pkg_name, (size_t)(slash - row->pkg_name));
}

void
run_row_free(struct run_row *row)
{
	if (row == NULL)
		return;
	free(row->id);
	free(row->dir);
	free(row->opref);
	free(row->pkg_name);
	free(row->model);
	free(row->op);
	free(row->op_desc);
	free(row->label);
	strvec_clear(&row->tags);
	free(row->sourcecode_digest);
	free(row->problem);
	value_free(row->flags);
	if (row->scalars != NULL) {
		scalars_summary_release(row->scalars);
		free(row->scalars);
	}
	value_free(row->attrs);
	free(row);
}

void
run_rows_push(struct run_rows *rows, struct run_row *row)
{
	XGROW(rows->v, rows->alloc, rows->n + 1);
	rows->v[rows->n++] = row;
}

void
run_rows_release(struct run_rows *rows)
{
	size_t	i;

	for (i = 0; i < rows->n; i++)
		run_row_free(rows->v[i]);
	free(rows->v);
	rows->v = NULL;
	rows->n = rows->alloc = 0;
}
