/*
 * runindex.c: the run index, a cache of the run directories in sqlite3.
 *
 * The only file that speaks SQL. Rows are read from the run directories
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
 *   on. The stamps are taken on a few threads.
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

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "filterexpr.h"
#include "home.h"
#include "regex.h"
#include "run.h"
#include "runindex.h"
#include "runread.h"
#include "runsel.h"
#include "scalars.h"
#include "strbuf.h"
#include "strvec.h"
#include "timerange.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

#define SCHEMA_VERSION	7
#define STR(x)		#x
#define XSTR(x)		STR(x)
#define BUSY_TIMEOUT_MS	30000
#define WRITE_BATCH	200
/* How long a pass of sync_all() serves later queries of the same handle. */
#define VERIFY_REUSE_MS	500
#define SEP		RUN_REC_SEP
#define PREFIX_MAX_S	"11"	/* runindex_prefix: matches returned */
#define SEP_S		"\x1f"

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
	" scalars_stamp INTEGER,"
	" problem TEXT,"		/* run_row.problem */
	" UNIQUE (deleted, id));"
	/*
	 * In listing order, and covering what filters test, so that counting
	 * and filtering 100,000 runs reads this narrow index, not the rows.
	 */
	"CREATE INDEX IF NOT EXISTS runs_order ON runs (deleted, ts DESC, id,"
	" status, marked, model, op, op_desc, pkg_type, label, tags, comments,"
	" started, stopped, exit_status);"
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
	"CREATE TRIGGER IF NOT EXISTS runs_gone AFTER DELETE ON runs BEGIN"
	" DELETE FROM flags WHERE rid = old.rid;"
	" DELETE FROM scalars WHERE rid = old.rid;"
	" END;";

/* The columns a row is made of, in row_from_stmt()'s order. */
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

/* Row metadata kept beside the rows handed out, for verification. */
struct meta {
	uint64_t	stamp;
	unsigned	editable;
	bool		flags_loaded;
	bool		has_scalars_stamp;
	uint64_t	scalars_stamp;
};

/*
 * rid -> value, for the flags and scalars a filter expression uses: an
 * array indexed by rid (rids are small and dense: sqlite gives the next
 * one to each new run), so a lookup is one load.
 */
struct valmap {
	const struct value	**v;
	size_t			  n;		/* max rid + 1 */
	struct value		 *slab;		/* one allocation for them all */
	struct value		**owned;	/* lists and maps, to free */
	char			**strs;		/* strings in the slab */
	size_t			  nowned, aowned, nstrs, astrs;
};

struct preload {
	char			*name;
	enum filterexpr_source	 src;		/* FLAG or SCALAR */
	struct valmap		 map;
};

/* What the expression's names are, by the address of its strings. */
struct exname {
	const char		*ptr;
	int			 core;		/* core_attrs[], or -1 */
	bool			 attr;		/* some run has such an attr */
	int			 flag, scalar;	/* preload[], or -1 */
};

struct op_pat {
	struct regex	*re;		/* ^... or ...$: a search on op_desc */
	char		*pkg, *model, *op;	/* NULL: any */
};

struct runindex_filter {
	struct op_pat		*ops;
	size_t			 nops;
	struct filterexpr	*expr;
	char			*cond;		/* SQL, "" for none */
	struct strvec		 params;	/* ?10, ?11, ... */
	char			*expr_call;	/* guild_expr(...), by preload() */
	unsigned long		 serial;	/* never reused, unlike addresses */
	/*
	 * It tests what may change in place (labels, tags, status, times,
	 * flags...): every row must be verified before it is applied, not
	 * only the rows it hands out. Operations never change in place.
	 */
	bool			 verify_all;
};

/* The statements prepared once per connection: stmt(). */
enum ri_stmt {
	S_UPSERT,
	S_FLAGS_DEL,
	S_DEL_ID,
	S_ATTRNAME,
	S_DIR_GET,
	S_DIR_SET,
	S_IDS,
	S_PENDING_ALL,
	S_PENDING_ADD,
	S_PENDING_DEL,
	S_CHECK,
	S_ALL_ROWS,
	S_FLAG_INS,
	S_FLAGS_LOADED,
	S_UNLOADED_FLAGS,
	S_ROW_FLAGS,
	S_SCALARS_DEL,
	S_SCALAR_INS,
	S_SCALARS_STAMP,
	S_ROW_SCALARS,
	S_UNLOADED_SCALARS,
	S_ATTRNAME_GET,
	S_PRE_FLAGS,
	S_PRE_SCALARS,
	S_PRE_COUNT_SCALARS,
	S_PRE_COUNT_FLAGS,
	S_MAX_RID,
	S_IDS_ORDERED,
	S_FORGET,
	S_FORGET_PENDING,
	S_COUNT
};

struct runindex {
	sqlite3		*db;
	char		*path;		/* NULL: in memory */
	char		*runs, *trash;	/* absolute directories */
	bool		 memory;
	int		 sqlerr;	/* the last sqlite failure, or 0 */
	int		 recovered;	/* times we rebuilt or fell back */
	sqlite3_stmt	*stmts[S_COUNT];	/* stmt(): NULL until used */

	/* The filter being run, for the SQL functions. */
	struct runindex_filter	*cur;
	bool			 cur_deleted;
	struct preload		*pre;
	size_t			 npre;
	struct exname		*names;
	size_t			 nnames;
	unsigned long		 pre_for;	/* filter serial, 0: none */
	int			 pre_deleted;
	unsigned		 pre_gen;
	unsigned		 gen;		/* flags/scalars writes */
	/*
	 * Every row (of runs, of the trash) was checked against its
	 * directory for this query, by sync_all() at verified_ms (monotonic;
	 * 0: never). One command asks several queries in a row (count, then
	 * page), and the view asks again each second: a pass younger than
	 * VERIFY_REUSE_MS serves them all.
	 */
	bool			 verified[2];
	uint64_t		 verified_ms[2];
};

static void	split_col(struct strvec *, const char *);

static const char *const stmt_sql[S_COUNT] = {
	[S_UPSERT] =
	    "INSERT INTO runs (id, deleted, ts, status, check_, stamp, editable,"
	    " op_desc, model, op, pkg_type, pkg_name, opref, label, marked, tags,"
	    " comments, digest, initialized, started, stopped, exit_status, pid,"
	    " attr_names, problem, flags_loaded)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	    " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, 0)"
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
	    " problem = excluded.problem, flags_loaded = 0"
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
	    "SELECT id, stamp, editable FROM runs WHERE deleted = ?1 AND check_ = 0",
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
	    "UPDATE runs SET scalars_stamp = ?2 WHERE rid = ?1",
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
};

/* Clocks. */

static int64_t
real_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* SQL plumbing. */

static int
sqlfail(struct runindex *ri, char **cause)
{
	ri->sqlerr = sqlite3_errcode(ri->db);
	if (ri->sqlerr == SQLITE_OK)
		ri->sqlerr = SQLITE_ERROR;
	return set_cause(cause, "run index %s: %s",
	    ri->path != NULL ? ri->path : "(memory)", sqlite3_errmsg(ri->db));
}

/* A statement prepared once per connection, reset for a new use. */
static sqlite3_stmt *
stmt(struct runindex *ri, enum ri_stmt which, char **cause)
{
	sqlite3_stmt	*st = ri->stmts[which];

	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(ri->db, stmt_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		sqlfail(ri, cause);
		return NULL;
	}
	ri->stmts[which] = st;
	return st;
}

static sqlite3_stmt *
prepare(struct runindex *ri, const char *sql, char **cause)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(ri->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlfail(ri, cause);
		return NULL;
	}
	return st;
}

static int
exec(struct runindex *ri, const char *sql, char **cause)
{
	if (sqlite3_exec(ri->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sqlfail(ri, cause);
	return 0;
}

/* Run a write statement to completion. */
static int
step_done(struct runindex *ri, sqlite3_stmt *st, char **cause)
{
	int	rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return sqlfail(ri, cause);
	}
	sqlite3_reset(st);
	return 0;
}

static int
begin(struct runindex *ri, char **cause)
{
	return exec(ri, "BEGIN IMMEDIATE", cause);
}

static int
commit(struct runindex *ri, char **cause)
{
	if (exec(ri, "COMMIT", cause) == -1) {
		sqlite3_exec(ri->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

static void
rollback(struct runindex *ri)
{
	if (!sqlite3_get_autocommit(ri->db))
		sqlite3_exec(ri->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return xstrdup(t != NULL ? (const char *)t : "");
}

/* Opening, creating, rebuilding. */

static void	sql_ops(sqlite3_context *, int, sqlite3_value **);
static void	sql_expr(sqlite3_context *, int, sqlite3_value **);

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

	if ((st = prepare(ri, "PRAGMA user_version", cause)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return sqlfail(ri, cause);
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
		return sqlfail(ri, cause);
	}
	if (!ri->memory && sqlite3_db_readonly(ri->db, "main") == 1) {
		ri->sqlerr = SQLITE_READONLY;
		return set_cause(cause, "run index %s: read-only", ri->path);
	}
	sqlite3_busy_timeout(ri->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(ri->db, 0);
	if (sqlite3_create_function_v2(ri->db, "guild_ops", 5,
	    SQLITE_UTF8|SQLITE_DETERMINISTIC, ri, sql_ops, NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(ri->db, "guild_expr", -1,
	    SQLITE_UTF8, ri, sql_expr, NULL, NULL, NULL) != SQLITE_OK)
		return sqlfail(ri, cause);
	if (schema_version(ri, &version, cause) == -1)
		return -1;
	if (version != 0 && version != SCHEMA_VERSION) {
		ri->sqlerr = SQLITE_SCHEMA;
		return set_cause(cause, "run index %s: schema version %d",
		    ri->path, version);
	}
	if (!ri->memory) {
		/* Persistent in the file; a no-op once set. */
		sqlite3_exec(ri->db, "PRAGMA journal_mode=WAL", NULL, NULL,
		    NULL);
		if (exec(ri, "PRAGMA synchronous=NORMAL", cause) == -1)
			return -1;
	}
	/* Scans read pages through the mapping, not a read() each. */
	if (exec(ri, "PRAGMA mmap_size=1073741824", cause) == -1 ||
	    exec(ri, "PRAGMA cache_size=-16000", cause) == -1 ||
	    exec(ri, "PRAGMA temp_store=MEMORY", cause) == -1)
		return -1;
	if (version == SCHEMA_VERSION)
		return 0;
	/* New: create it, unless another process just did. */
	if (begin(ri, cause) == -1)
		return -1;
	if (schema_version(ri, &version, cause) == -1)
		goto fail;
	if (version == 0) {
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
	return commit(ri, cause);
fail:
	rollback(ri);
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

struct runindex *
runindex_open(const struct guild_home *home, char **cause)
{
	struct runindex	*ri = xcalloc(1, sizeof *ri);
	char		*c = NULL;
	const char	*env;

	if ((env = getenv("GUILD_INDEX_RACY_MS")) != NULL && *env != '\0')
		run_stamp_set_racy_ns(strtoll(env, NULL, 10) * 1000 * 1000);
	ri->runs = path_absolute(home->runs);
	ri->trash = path_absolute(home->trash);
	ri->pre_deleted = -1;
	/* No cache directory: an index in memory, built every time. */
	if (mkdir_p(home->cache, 0777, NULL) == 0 &&
	    access(home->cache, W_OK) == 0)
		ri->path = path_join(home->cache, "runs.db");
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

static void	preload_clear(struct runindex *);

void
runindex_close(struct runindex *ri)
{
	if (ri == NULL)
		return;
	preload_clear(ri);
	db_close(ri);
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

	if ((st = stmt(ri, S_UPSERT, cause)) == NULL)
		return -1;
	type = opref_type(r->row.opref);
	bind_text(st, 1, r->row.id);
	sqlite3_bind_int(st, 2, r->row.deleted);
	sqlite3_bind_int64(st, 3, r->ts);
	sqlite3_bind_int(st, 4, (int)r->row.status);
	sqlite3_bind_int(st, 5, r->check);
	sqlite3_bind_int64(st, 6, (int64_t)r->stamp);
	sqlite3_bind_int(st, 7, (int)r->editable);
	bind_text(st, 8, r->row.op_desc);
	bind_text(st, 9, r->row.model);
	bind_text(st, 10, r->row.op);
	bind_text(st, 11, type);
	bind_text(st, 12, r->row.pkg_name);
	bind_text(st, 13, r->row.opref);
	/* Attrs that are missing are NULL, so -F can tell "undefined". */
	bind_text(st, 14, r->editable & 1U ? r->row.label : NULL);
	if (r->editable & 4U)
		sqlite3_bind_int(st, 15, r->row.marked);
	else
		sqlite3_bind_null(st, 15);
	bind_text(st, 16, r->editable & 2U ? r->tags_col : NULL);
	bind_text(st, 17, r->comments);
	bind_text(st, 18, r->row.sourcecode_digest);
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
	bind_text(st, 24, r->attr_names);
	bind_text(st, 25, r->row.problem);
	free(type);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r->row.rowid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return sqlfail(ri, cause);
	if ((st = stmt(ri, S_FLAGS_DEL, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, r->row.rowid);
	ri->gen++;
	return step_done(ri, st, cause);
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

		split_col(&one, v[i]->attr_names);
		for (j = 0; j < one.n; j++) {
			if (strvec_find(&names, one.v[j]) == -1)
				strvec_push(&names, one.v[j]);
		}
		strvec_clear(&one);
	}
	for (i = 0; i < names.n && rc == 0; i++) {
		if ((st = stmt(ri, S_ATTRNAME, cause)) == NULL)
			rc = -1;
		else {
			bind_text(st, 1, names.v[i]);
			rc = step_done(ri, st, cause);
		}
	}
	strvec_clear(&names);
	return rc;
}

/* Apply records (upserts) and removals (ids) in short transactions. */
static int
write_batch(struct runindex *ri, bool deleted, struct run_recs *rs,
    const struct strvec *gone, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i = 0, j = 0, k;

	while (i < rs->n || (gone != NULL && j < gone->n)) {
		if (begin(ri, cause) == -1)
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
			if ((st = stmt(ri, S_DEL_ID, cause)) == NULL)
				goto fail;
			sqlite3_bind_int(st, 1, deleted);
			bind_text(st, 2, gone->v[j]);
			if (step_done(ri, st, cause) == -1)
				goto fail;
		}
		if (commit(ri, cause) == -1)
			return -1;
	}
	return 0;
fail:
	rollback(ri);
	return -1;
}

/* Keeping up with the directories. */

static const char *
base_dir(const struct runindex *ri, bool deleted)
{
	return deleted ? ri->trash : ri->runs;
}

/* The base directory, open; -1 with errno ENOENT when it is missing. */
static int
open_base(const struct runindex *ri, bool deleted)
{
	return open(base_dir(ri, deleted), O_RDONLY|O_DIRECTORY|O_CLOEXEC);
}


static int
ids_query(struct runindex *ri, enum ri_stmt which, bool deleted,
    struct strvec *out, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = stmt(ri, which, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strvec_push(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sqlfail(ri, cause);
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
	if (begin(ri, cause) == -1)
		return -1;
	for (i = 0; i < add->n + del->n; i++) {
		if ((st = stmt(ri, i < add->n ? S_PENDING_ADD :
		    S_PENDING_DEL, cause)) == NULL)
			goto fail;
		sqlite3_bind_int(st, 1, deleted);
		bind_text(st, 2, i < add->n ? add->v[i] :
		    del->v[i - add->n]);
		if (step_done(ri, st, cause) == -1)
			goto fail;
	}
	return commit(ri, cause);
fail:
	rollback(ri);
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
 * Runs added or removed: diff the directory with the index when its
 * stamp changed. Directories that are not runs yet go to "pending".
 */
static int
sync_dir(struct runindex *ri, bool deleted, int dfd, int64_t now,
    char **cause)
{
	struct strvec	 names = STRVEC_INIT, ids = STRVEC_INIT;
	struct strvec	 gone = STRVEC_INIT, wait = STRVEC_INIT;
	struct strvec	 old = STRVEC_INIT, nowait = STRVEC_INIT;
	struct run_recs	 rs = { NULL, 0, 0 };
	struct run_stamper	 s = RUN_STAMPER_INIT;
	struct stat	 st;
	sqlite3_stmt	*q;
	uint64_t	 cur, stored = 0;
	size_t		 i = 0, j = 0;
	int		 c, rc = -1;

	if (dfd == -1)
		run_stamper_missing(&s);
	else if (fstat(dfd, &st) == 0)
		run_stamper_stat(&s, &st);
	cur = run_stamper_final(&s, now);
	if ((q = stmt(ri, S_DIR_GET, cause)) == NULL)
		return -1;
	sqlite3_bind_int(q, 1, deleted);
	if ((c = sqlite3_step(q)) == SQLITE_ROW)
		stored = (uint64_t)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (c != SQLITE_ROW && c != SQLITE_DONE)
		return sqlfail(ri, cause);
	if (cur != 0 && stored == cur)
		return 0;

	if (dfd != -1 && list_dir(dfd, &names) == -1) {
		set_cause(cause, "%s: %s", base_dir(ri, deleted),
		    strerror(errno));
		goto out;
	}
	if (ids_query(ri, S_IDS, deleted, &ids, cause) == -1)
		goto out;
	while (i < names.n || j < ids.n) {
		c = i == names.n ? 1 : j == ids.n ? -1 :
		    strcmp(names.v[i], ids.v[j]);
		if (c < 0) {
			struct run_rec	*r;

			r = run_read(base_dir(ri, deleted), dfd, names.v[i],
			    deleted, now);
			if (r != NULL) {
				XGROW(rs.v, rs.alloc, rs.n + 1);
				rs.v[rs.n++] = r;
			} else
				strvec_push(&wait, names.v[i]);
			i++;
		} else if (c > 0)
			strvec_push(&gone, ids.v[j++]);
		else {
			i++;
			j++;
		}
		if (rs.n >= WRITE_BATCH) {
			if (write_batch(ri, deleted, &rs, NULL, cause) == -1)
				goto out;
			run_recs_clear(&rs);
		}
	}
	if (write_batch(ri, deleted, &rs, &gone, cause) == -1)
		goto out;
	/* Pending names that are no longer there. */
	if (ids_query(ri, S_PENDING_ALL, deleted, &old, cause) == -1)
		goto out;
	for (i = 0; i < old.n; i++) {
		if (bsearch(&old.v[i], names.v, names.n, sizeof *names.v,
		    cmp_strp) == NULL)
			strvec_push(&nowait, old.v[i]);
	}
	if (pending_write(ri, deleted, &wait, &nowait, cause) == -1)
		goto out;
	if ((q = stmt(ri, S_DIR_SET, cause)) == NULL)
		goto out;
	sqlite3_bind_int(q, 1, deleted);
	sqlite3_bind_int64(q, 2, (int64_t)cur);
	rc = step_done(ri, q, cause);
out:
	run_recs_clear(&rs);
	strvec_clear(&names);
	strvec_clear(&ids);
	strvec_clear(&gone);
	strvec_clear(&wait);
	strvec_clear(&old);
	strvec_clear(&nowait);
	return rc;
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

	if (ids_query(ri, S_PENDING_ALL, deleted, &names, cause) == -1)
		return -1;
	for (i = 0; i < names.n; i++) {
		if (dfd == -1 || fstatat(dfd, names.v[i], &st, 0) == -1) {
			strvec_push(&done, names.v[i]);
			continue;
		}
		r = run_read(base_dir(ri, deleted), dfd, names.v[i], deleted,
		    now);
		if (r == NULL)
			continue;
		XGROW(rs.v, rs.alloc, rs.n + 1);
		rs.v[rs.n++] = r;
		strvec_push(&done, names.v[i]);
	}
	if (write_batch(ri, deleted, &rs, NULL, cause) == 0 &&
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
run_test(const struct runindex *ri, bool deleted, const char *id,
    bool (*test)(const struct run *))
{
	struct run	run;
	bool		yes;

	run.id = (char *)id;
	run.path = path_join(base_dir(ri, deleted), id);
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
static bool
still_current(const struct runindex *ri, bool deleted, const char *id,
    enum run_status status, bool has_exit_status)
{
	if (status == RUN_STATUS_RUNNING)
		return run_test(ri, deleted, id, run_lock_alive);
	if (status == RUN_STATUS_PENDING)
		return run_test(ri, deleted, id, run_pending_live);
	if (status == RUN_STATUS_ERROR && !has_exit_status)
		return !run_test(ri, deleted, id, run_lock_alive);
	return true;
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

	if ((st = stmt(ri, S_CHECK, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		stamp = (uint64_t)sqlite3_column_int64(st, 2);
		if (stamp != 0 && dfd != -1 &&
		    run_stamp(dfd, id, (unsigned)sqlite3_column_int(st, 3),
		    now) == stamp &&
		    still_current(ri, deleted, id,
		    (enum run_status)sqlite3_column_int(st, 1),
		    sqlite3_column_int(st, 4) != 0))
			continue;
		r = dfd == -1 ? NULL : run_read(base_dir(ri, deleted), dfd,
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
		rc = sqlfail(ri, cause);
	else
		rc = write_batch(ri, deleted, &rs, &gone, cause);
	run_recs_clear(&rs);
	strvec_clear(&gone);
	return rc;
}


/*
 * Verify every row against its directory (the rows sync_check() does
 * not already look at), re-reading those that changed, so that a filter
 * over the index sees what the directories hold now, however recently
 * or long ago they changed. The stamps are taken on a few threads.
 */
static int
sync_all(struct runindex *ri, bool deleted, int dfd, int64_t now,
    char **cause)
{
	struct run_recs	 rs = { NULL, 0, 0 };
	struct strvec	 ids = STRVEC_INIT, gone = STRVEC_INIT;
	sqlite3_stmt	*st;
	uint64_t	*stored = NULL, *cur;
	unsigned	*editable = NULL;
	size_t		 alloc = 0, ealloc = 0, i;
	struct run_rec	*r;
	int		 rc;

	if (dfd == -1)
		return 0;	/* sync_dir() has dropped every row */
	if ((st = stmt(ri, S_ALL_ROWS, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(stored, alloc, ids.n + 1);
		XGROW(editable, ealloc, ids.n + 1);
		stored[ids.n] = (uint64_t)sqlite3_column_int64(st, 1);
		editable[ids.n] = (unsigned)sqlite3_column_int(st, 2);
		strvec_push(&ids, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(stored);
		free(editable);
		strvec_clear(&ids);
		return sqlfail(ri, cause);
	}
	cur = xcalloc(ids.n + 1, sizeof *cur);
	run_stamps(dfd, (const char *const *)ids.v, editable, ids.n, now, cur);
	for (i = 0; i < ids.n; i++) {
		if (stored[i] != 0 && cur[i] == stored[i])
			continue;
		r = run_read(base_dir(ri, deleted), dfd, ids.v[i], deleted,
		    now);
		if (r == NULL)
			strvec_push(&gone, ids.v[i]);
		else {
			XGROW(rs.v, rs.alloc, rs.n + 1);
			rs.v[rs.n++] = r;
		}
	}
	rc = write_batch(ri, deleted, &rs, &gone, cause);
	run_recs_clear(&rs);
	strvec_clear(&gone);
	strvec_clear(&ids);
	free(stored);
	free(editable);
	free(cur);
	return rc;
}

/*
 * Bring the index up to date for a query: runs added and removed, rows
 * that must always be looked at, and every row when verify_all.
 */
static int
index_sync(struct runindex *ri, bool deleted, bool verify_all, char **cause)
{
	int64_t	now = real_ns();
	int	dfd, rc;

	ri->verified[deleted] = false;
	if ((dfd = open_base(ri, deleted)) == -1 && errno != ENOENT &&
	    errno != ENOTDIR)
		return set_cause(cause, "%s: %s", base_dir(ri, deleted),
		    strerror(errno));
	rc = sync_dir(ri, deleted, dfd, now, cause);
	if (rc == 0)
		rc = sync_pending(ri, deleted, dfd, now, cause);
	if (rc == 0)
		rc = sync_check(ri, deleted, dfd, now, cause);
	if (rc == 0 && verify_all) {
		uint64_t	ms = mono_ms();

		if (ri->verified_ms[deleted] == 0 ||
		    ms - ri->verified_ms[deleted] >= VERIFY_REUSE_MS) {
			rc = sync_all(ri, deleted, dfd, now, cause);
			ri->verified_ms[deleted] = rc == 0 ? mono_ms() : 0;
		}
		ri->verified[deleted] = rc == 0;
	}
	if (dfd != -1)
		close(dfd);
	return rc;
}

/* Rows. */

static void
split_col(struct strvec *out, const char *col)
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
	row->id = col_dup(st, C_ID);
	row->deleted = sqlite3_column_int(st, C_DELETED) != 0;
	row->dir = path_join(base_dir(ri, row->deleted), row->id);
	row->status = (enum run_status)sqlite3_column_int(st, C_STATUS);
	row->op_desc = col_dup(st, C_OP_DESC);
	row->model = col_dup(st, C_MODEL);
	row->op = col_dup(st, C_OP);
	row->pkg_name = col_dup(st, C_PKG_NAME);
	row->opref = col_dup(st, C_OPREF);
	row->label = col_dup(st, C_LABEL);
	row->marked = sqlite3_column_int(st, C_MARKED) != 0;
	split_col(&row->tags,
	    (const char *)sqlite3_column_text(st, C_TAGS) != NULL ?
	    (const char *)sqlite3_column_text(st, C_TAGS) : "");
	if (sqlite3_column_type(st, C_DIGEST) != SQLITE_NULL)
		row->sourcecode_digest = col_dup(st, C_DIGEST);
	row->initialized = sqlite3_column_int64(st, C_INITIALIZED);
	row->started = sqlite3_column_int64(st, C_STARTED);
	row->stopped = sqlite3_column_int64(st, C_STOPPED);
	if (sqlite3_column_type(st, C_EXIT_STATUS) != SQLITE_NULL) {
		row->has_exit_status = true;
		row->exit_status = sqlite3_column_int(st, C_EXIT_STATUS);
	}
	row->pid = (pid_t)sqlite3_column_int64(st, C_PID);
	if (sqlite3_column_type(st, C_PROBLEM) != SQLITE_NULL)
		row->problem = col_dup(st, C_PROBLEM);
	row->index = -1;
	if (m != NULL) {
		m->stamp = (uint64_t)sqlite3_column_int64(st, C_STAMP);
		m->editable = (unsigned)sqlite3_column_int(st, C_EDITABLE);
		m->flags_loaded = sqlite3_column_int(st, C_FLAGS_LOADED) != 0;
		m->has_scalars_stamp = sqlite3_column_type(st,
		    C_SCALARS_STAMP) != SQLITE_NULL;
		m->scalars_stamp = (uint64_t)sqlite3_column_int64(st,
		    C_SCALARS_STAMP);
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
		bind_text(st, valcol, v->u.s);
		break;
	case VALUE_LIST:
	case VALUE_MAP:
		value_encode_flow(&sb, v);
		bind_text(st, valcol, sb.buf);
		strbuf_release(&sb);
		break;
	}
}

static struct value *
value_from_sql(int type, sqlite3_value *val)
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

	if (n == 0)
		return 0;
	if (begin(ri, cause) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((st = stmt(ri, S_FLAGS_DEL, cause)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, fl[i].rid);
		if (step_done(ri, st, cause) == -1)
			goto fail;
		for (k = 0; fl[i].flags != NULL && k < fl[i].flags->u.map.n;
		    k++) {
			if ((st = stmt(ri, S_FLAG_INS, cause)) == NULL)
				goto fail;
			sqlite3_bind_int64(st, 1, fl[i].rid);
			bind_text(st, 2, fl[i].flags->u.map.k[k]);
			bind_value(st, 3, 4, fl[i].flags->u.map.v[k]);
			if (step_done(ri, st, cause) == -1)
				goto fail;
		}
		if ((st = stmt(ri, S_FLAGS_LOADED, cause)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, fl[i].rid);
		if (step_done(ri, st, cause) == -1)
			goto fail;
	}
	ri->gen++;
	return commit(ri, cause);
fail:
	rollback(ri);
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
static int
ensure_all_flags(struct runindex *ri, bool deleted, char **cause)
{
	struct flagload	*fl = NULL;
	struct strvec	 dirs = STRVEC_INIT;
	size_t		 n = 0, alloc = 0, i, j, end;
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = stmt(ri, S_UNLOADED_FLAGS, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(fl, alloc, n + 1);
		fl[n].rid = sqlite3_column_int64(st, 0);
		fl[n].flags = NULL;
		strvec_push_nodup(&dirs, path_join(base_dir(ri, deleted),
		    (const char *)sqlite3_column_text(st, 1)));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		rc = sqlfail(ri, cause);
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
	if ((st = stmt(ri, S_ROW_FLAGS, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, row->rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		value_map_set(row->flags,
		    (const char *)sqlite3_column_text(st, 0),
		    value_from_sql(sqlite3_column_int(st, 1),
		    sqlite3_column_value(st, 2)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sqlfail(ri, cause);
	return 0;
}

/* Scalars. */

static uint64_t
scalars_stamp(const char *dir, int64_t now)
{
	struct run_stamper	 s = RUN_STAMPER_INIT;
	char		*path = path_join(dir, ".guild/scalars.tsv");

	run_stamper_path(&s, AT_FDCWD, path);
	free(path);
	return run_stamper_final(&s, now);
}


static void
bind_point(sqlite3_stmt *st, int i, const struct scalar_point *p)
{
	sqlite3_bind_double(st, i, p->value);
	sqlite3_bind_int64(st, i + 1, p->step);
	sqlite3_bind_int64(st, i + 2, p->time_ms);
}

/* In a transaction (own, unless the caller has one open). */
static int
write_scalars(struct runindex *ri, int64_t rid, uint64_t stamp,
    const struct scalars_summary *sum, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i;
	bool		 own = sqlite3_get_autocommit(ri->db) != 0;

	if (own && begin(ri, cause) == -1)
		return -1;
	if ((st = stmt(ri, S_SCALARS_DEL, cause)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, rid);
	if (step_done(ri, st, cause) == -1)
		goto fail;
	for (i = 0; i < sum->n; i++) {
		const struct scalar_stats	*s = &sum->v[i];

		if ((st = stmt(ri, S_SCALAR_INS, cause)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, rid);
		bind_text(st, 2, s->key);
		bind_point(st, 3, &s->first);
		bind_point(st, 6, &s->last);
		bind_point(st, 9, &s->min);
		bind_point(st, 12, &s->max);
		sqlite3_bind_double(st, 15, s->total);
		sqlite3_bind_int64(st, 16, (int64_t)s->count);
		if (step_done(ri, st, cause) == -1)
			goto fail;
	}
	if ((st = stmt(ri, S_SCALARS_STAMP, cause)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, rid);
	if (stamp == 0)
		sqlite3_bind_null(st, 2);
	else
		sqlite3_bind_int64(st, 2, (int64_t)stamp);
	if (step_done(ri, st, cause) == -1)
		goto fail;
	ri->gen++;
	return own ? commit(ri, cause) : 0;
fail:
	if (own)
		rollback(ri);
	return -1;
}

/* Bring one run's cached scalar summary up to date. */
static int
refresh_scalars(struct runindex *ri, int64_t rid, const char *dir,
    bool has_stamp, uint64_t old, int64_t now, char **cause)
{
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	uint64_t		 cur = scalars_stamp(dir, now);
	int			 rc;

	if (has_stamp && cur != 0 && cur == old)
		return 0;
	/* An unreadable log is no scalars, not an error. */
	if (scalars_summary_read(dir, 0, &sum, NULL) == -1)
		scalars_summary_release(&sum);
	rc = write_scalars(ri, rid, cur, &sum, cause);
	scalars_summary_release(&sum);
	return rc;
}

static double
col_double(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, i);
}

static void
col_point(sqlite3_stmt *st, int i, struct scalar_point *p)
{
	p->value = col_double(st, i);
	p->step = sqlite3_column_int64(st, i + 1);
	p->time_ms = sqlite3_column_int64(st, i + 2);
}


static int
row_scalars(struct runindex *ri, struct run_row *row, const struct meta *m,
    int64_t now, char **cause)
{
	struct scalars_summary	*sum;
	struct scalar_stats	*s;
	sqlite3_stmt		*st;
	size_t			 alloc = 0;
	int			 rc;

	if (refresh_scalars(ri, row->rowid, row->dir, m->has_scalars_stamp,
	    m->scalars_stamp, now, cause) == -1)
		return -1;
	if (row->scalars != NULL) {
		scalars_summary_release(row->scalars);
		free(row->scalars);
	}
	sum = row->scalars = xcalloc(1, sizeof *row->scalars);
	if ((st = stmt(ri, S_ROW_SCALARS, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, row->rowid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(sum->v, alloc, sum->n + 1);
		s = &sum->v[sum->n++];
		memset(s, 0, sizeof *s);
		s->key = col_dup(st, 0);
		col_point(st, 1, &s->first);
		col_point(st, 4, &s->last);
		col_point(st, 7, &s->min);
		col_point(st, 10, &s->max);
		s->total = col_double(st, 13);
		s->count = (size_t)sqlite3_column_int64(st, 14);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sqlfail(ri, cause);
	return 0;
}


/* Scalars of every run that has none cached, or may have new ones. */
static int
ensure_all_scalars(struct runindex *ri, bool deleted, int64_t now,
    char **cause)
{
	struct todo {
		int64_t		 rid;
		char		*dir;
		bool		 has;
		uint64_t	 stamp;
	}		*t = NULL;
	size_t		 n = 0, alloc = 0, i;
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = stmt(ri, S_UNLOADED_SCALARS, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, deleted);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(t, alloc, n + 1);
		t[n].rid = sqlite3_column_int64(st, 0);
		t[n].dir = path_join(base_dir(ri, deleted),
		    (const char *)sqlite3_column_text(st, 1));
		t[n].has = sqlite3_column_type(st, 2) != SQLITE_NULL;
		t[n].stamp = (uint64_t)sqlite3_column_int64(st, 2);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		rc = sqlfail(ri, cause);
	else
		rc = 0;
	/* Many runs: a transaction per batch, not per run. */
	for (i = 0; i < n; i++) {
		if (rc == 0 && i % WRITE_BATCH == 0 && n > 1)
			rc = begin(ri, cause);
		if (rc == 0)
			rc = refresh_scalars(ri, t[i].rid, t[i].dir, t[i].has,
			    t[i].stamp, now, cause);
		if (rc == 0 && (i % WRITE_BATCH == WRITE_BATCH - 1 ||
		    i == n - 1) && n > 1)
			rc = commit(ri, cause);
		free(t[i].dir);
	}
	if (rc == -1)
		rollback(ri);
	free(t);
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
	int64_t		 now = real_ns();
	struct run_rec	*r;
	uint64_t	*cur;
	unsigned	*editable;
	const char	**ids;
	size_t		 i, k;
	int		 dfd, rc = 0;

	dfd = open_base(ri, deleted);
	cur = xcalloc(rows->n - from + 1, sizeof *cur);
	editable = xcalloc(rows->n - from + 1, sizeof *editable);
	ids = xcalloc(rows->n - from + 1, sizeof *ids);
	for (i = from; i < rows->n; i++) {
		editable[i - from] = meta[i - from].editable;
		ids[i - from] = rows->v[i]->id;
	}
	/* Rows that sync_all() has just verified need no second look. */
	if (dfd != -1 && !ri->verified[deleted])
		run_stamps(dfd, ids, editable, rows->n - from, now, cur);
	for (i = from; i < rows->n; i++) {
		struct run_row	*row = rows->v[i];
		struct meta	*m = &meta[i - from];

		if (dfd != -1 && m->stamp != 0 && (ri->verified[deleted] ||
		    cur[i - from] == m->stamp) &&
		    still_current(ri, deleted, row->id, row->status,
		    row->has_exit_status))
			continue;
		r = dfd == -1 ? NULL : run_read(base_dir(ri, deleted), dfd,
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
	if (dfd != -1)
		close(dfd);
	free(cur);
	free(editable);
	free(ids);
	if (rs.n > 0 || gone.n > 0) {
		rc = write_batch(ri, deleted, &rs, &gone, cause);
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
	for (i = from; rc == 0 && i < rows->n; i++) {
		if (what & RUNINDEX_FLAGS)
			rc = row_flags(ri, rows->v[i], meta[i - from].flags_loaded,
			    cause);
		if (rc == 0 && (what & RUNINDEX_SCALARS))
			rc = row_scalars(ri, rows->v[i], &meta[i - from], now,
			    cause);
		if (rc == 0 && (what & RUNINDEX_ATTRS))
			row_attrs(rows->v[i]);
	}
	return rc;
}

/* Filters. */

static char *
opt_part(const char *s, size_t len)
{
	if (len == 0)
		return NULL;
	return xstrndup(s, len);
}

/* "[pkg/]model:op", "model:", "op" (Guild's opspec parts). */
static void
op_pat_parse(struct op_pat *p, const char *spec)
{
	const char	*colon = strrchr(spec, ':'), *slash;

	if (colon == NULL) {
		p->op = opt_part(spec, strlen(spec));
		return;
	}
	p->op = opt_part(colon + 1, strlen(colon + 1));
	slash = memchr(spec, '/', (size_t)(colon - spec));
	if (slash != NULL) {
		p->pkg = opt_part(spec, (size_t)(slash - spec));
		p->model = opt_part(slash + 1, (size_t)(colon - slash - 1));
	} else
		p->model = opt_part(spec, (size_t)(colon - spec));
}

static bool
part_match(const char *want, const char *have)
{
	if (want == NULL)
		return true;
	if (have == NULL || *have == '\0')
		return false;
	if (strchr(want, '*') != NULL)
		return fnmatch(want, have, 0) == 0;
	return strcmp(want, have) == 0;
}

static bool
op_pat_match(const struct op_pat *p, const char *pkg_type,
    const char *pkg_name, const char *model, const char *op,
    const char *op_desc)
{
	if (p->re != NULL)
		return regex_match(p->re, op_desc, strlen(op_desc));
	return part_match(p->pkg, strcmp(pkg_type, "package") == 0 ?
	    pkg_name : NULL) && part_match(p->model, model) &&
	    part_match(p->op, op);
}

static const char *
arg_text(sqlite3_value *v)
{
	const char	*t = (const char *)sqlite3_value_text(v);

	return t != NULL ? t : "";
}

static void
sql_ops(sqlite3_context *ctx, int argc UNUSED, sqlite3_value **argv)
{
	struct runindex		*ri = sqlite3_user_data(ctx);
	struct runindex_filter	*f = ri->cur;
	size_t			 i;

	for (i = 0; f != NULL && i < f->nops; i++) {
		if (op_pat_match(&f->ops[i], arg_text(argv[0]),
		    arg_text(argv[1]), arg_text(argv[2]), arg_text(argv[3]),
		    arg_text(argv[4]))) {
			sqlite3_result_int(ctx, 1);
			return;
		}
	}
	sqlite3_result_int(ctx, 0);
}

/*
 * The -F expression's arguments, in this order; the columns a given
 * expression does not use are passed as NULL (decoding every column of
 * every row would cost more than the test).
 */
static const char *const expr_cols[] = {
	"rid", "id", "status", "op_desc", "model", "op", "pkg_type",
	"pkg_name", "label", "marked", "tags", "digest", "initialized",
	"started", "stopped", "exit_status", "attr_names",
};
enum {
	E_RID, E_ID, E_STATUS, E_OP_DESC, E_MODEL, E_OP, E_PKG_TYPE,
	E_PKG_NAME, E_LABEL, E_MARKED, E_TAGS, E_DIGEST, E_INITIALIZED,
	E_STARTED, E_STOPPED, E_EXIT_STATUS, E_ATTR_NAMES, E_COUNT,
};

/* Guild's core attrs (never attr files) and the columns they need. */
enum core_attr {
	A_ID, A_RUN, A_SHORT_ID, A_OPERATION, A_OP, A_OP_MODEL, A_FROM,
	A_SOURCECODE, A_STARTED, A_STOPPED, A_STATUS, A_TIME,
};
static const struct {
	const char	*name;
	unsigned	 cols;
} core_attrs[] = {
	[A_ID] = { "id", 1U << E_ID },
	[A_RUN] = { "run", 1U << E_ID },
	[A_SHORT_ID] = { "short_id", 1U << E_ID },
	[A_OPERATION] = { "operation", 1U << E_OP_DESC },
	[A_OP] = { "op", 1U << E_OP },
	[A_OP_MODEL] = { "op_model", 1U << E_MODEL },
	[A_FROM] = { "from", 1U << E_PKG_NAME },
	[A_SOURCECODE] = { "sourcecode", 1U << E_DIGEST },
	[A_STARTED] = { "started", 1U << E_STARTED },
	[A_STOPPED] = { "stopped", 1U << E_STOPPED },
	[A_STATUS] = { "status", 1U << E_STATUS },
	[A_TIME] = { "time", 1U << E_STARTED | 1U << E_STOPPED |
	    1U << E_STATUS },
};

/* Attr files the index has a column for. */
static const struct {
	const char	*name;
	int		 col;
} column_attrs[] = {
	{ "label", E_LABEL },
	{ "marked", E_MARKED },
	{ "sourcecode_digest", E_DIGEST },
	{ "initialized", E_INITIALIZED },
	{ "exit_status", E_EXIT_STATUS },
	{ "tags", E_TAGS },
};

static bool
is_core_attr(const char *name, unsigned *cols)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(core_attrs); i++) {
		if (strcmp(core_attrs[i].name, name) == 0) {
			*cols = core_attrs[i].cols;
			return true;
		}
	}
	return false;
}

/* The columns an attr file needs: its own, or the id to read it. */
static unsigned
attr_file_cols(const char *name)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(column_attrs); i++) {
		if (strcmp(column_attrs[i].name, name) == 0)
			return 1U << column_attrs[i].col;
	}
	return 1U << E_ID | 1U << E_ATTR_NAMES;
}

struct expr_row {
	struct runindex	 *ri;
	sqlite3_value	**argv;
};

static bool
has_attr(const struct expr_row *er, const char *name)
{
	const char	*names = arg_text(er->argv[E_ATTR_NAMES]), *p;
	size_t		 len = strlen(name);

	for (p = names; (p = strstr(p, name)) != NULL; p++) {
		if (p > names && p[-1] == SEP && p[len] == SEP)
			return true;
	}
	return false;
}

static struct value *
time_value(sqlite3_value *v)
{
	time_t		t = (time_t)(sqlite3_value_int64(v) / 1000000);
	struct tm	tm;
	char		buf[64];

	if (sqlite3_value_int64(v) <= 0)
		return NULL;
	localtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
	return value_string(buf);
}

/* Guild's "time" attr: the run's duration, H:MM:SS. */
static struct value *
duration_value(const struct expr_row *er)
{
	int64_t	started = sqlite3_value_int64(er->argv[E_STARTED]);
	int64_t	stopped = sqlite3_value_int64(er->argv[E_STOPPED]);
	int64_t	secs;
	char	buf[64];

	if (started <= 0)
		return NULL;
	if (sqlite3_value_int(er->argv[E_STATUS]) == RUN_STATUS_RUNNING)
		stopped = now_us();
	else if (stopped <= 0)
		return NULL;
	secs = (stopped - started) / 1000000;
	if (secs < 0)
		secs = 0;
	snprintf(buf, sizeof buf, "%lld:%02lld:%02lld",
	    (long long)(secs / 3600), (long long)(secs / 60 % 60),
	    (long long)(secs % 60));
	return value_string(buf);
}

static struct value *
short_value(sqlite3_value *v)
{
	const char	*t = arg_text(v);

	if (*t == '\0')
		return NULL;
	return value_string_n(t, strnlen(t, RUN_SHORT_ID_LEN));
}

static struct value *
core_value(const struct expr_row *er, enum core_attr which)
{
	sqlite3_value	**a = er->argv;

	switch (which) {
	case A_ID:
		return value_string(arg_text(a[E_ID]));
	case A_RUN:
	case A_SHORT_ID:
		return short_value(a[E_ID]);
	case A_OPERATION:
		return value_string(arg_text(a[E_OP_DESC]));
	case A_OP:
		return value_string(arg_text(a[E_OP]));
	case A_OP_MODEL:
		return value_string(arg_text(a[E_MODEL]));
	case A_FROM:
		return value_string(arg_text(a[E_PKG_NAME]));
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

/* Run attributes: Guild's core ones, then the run's attr files. */
static struct value *
attr_value(const struct expr_row *er, const char *name)
{
	sqlite3_value	**a = er->argv;
	struct value	 *v;
	struct run	  run;
	struct strvec	  tags = STRVEC_INIT;
	char		 *dir;
	size_t		  i;

	for (i = 0; i < ARRAY_SIZE(core_attrs); i++) {
		if (strcmp(core_attrs[i].name, name) == 0)
			return core_value(er, (enum core_attr)i);
	}
	/* Attrs with a column: NULL there when the run has none. */
	for (i = 0; i < ARRAY_SIZE(column_attrs); i++) {
		if (strcmp(column_attrs[i].name, name) == 0)
			break;
	}
	if (i < ARRAY_SIZE(column_attrs) &&
	    sqlite3_value_type(a[column_attrs[i].col]) == SQLITE_NULL)
		return NULL;
	if (strcmp(name, "label") == 0)
		return value_string(arg_text(a[E_LABEL]));
	if (strcmp(name, "marked") == 0)
		return value_bool(sqlite3_value_int(a[E_MARKED]) != 0);
	if (strcmp(name, "sourcecode_digest") == 0)
		return value_string(arg_text(a[E_DIGEST]));
	if (strcmp(name, "initialized") == 0)
		return value_int(sqlite3_value_int64(a[E_INITIALIZED]));
	if (strcmp(name, "exit_status") == 0)
		return value_int(sqlite3_value_int64(a[E_EXIT_STATUS]));
	if (strcmp(name, "tags") == 0) {
		v = value_list();
		split_col(&tags, arg_text(a[E_TAGS]));
		for (i = 0; i < tags.n; i++)
			value_list_push(v, value_string(tags.v[i]));
		strvec_clear(&tags);
		return v;
	}
	/* Anything else is read from the run. */
	if (!has_attr(er, name))
		return NULL;
	dir = path_join(base_dir(er->ri, er->ri->cur_deleted),
	    arg_text(a[E_ID]));
	run.id = (char *)arg_text(a[E_ID]);
	run.path = dir;
	run.guild = path_join(dir, ".guild");
	if (run_attr_read(&run, name, &v, NULL) == -1)
		v = NULL;
	free(run.guild);
	free(dir);
	return v;
}

static const struct exname *exname_find(struct runindex *, const char *);

static const struct value *
map_get(const struct runindex *ri, int i, int64_t rid)
{
	const struct valmap	*m;

	if (i < 0)
		return NULL;
	m = &ri->pre[i].map;
	return rid >= 0 && (uint64_t)rid < m->n ? m->v[rid] : NULL;
}

static const struct value *
expr_lookup(enum filterexpr_source src, const char *name, void *arg,
    struct value **owned)
{
	struct expr_row		*er = arg;
	const struct exname	*x = exname_find(er->ri, name);
	int64_t			 rid = sqlite3_value_int64(er->argv[E_RID]);
	const struct value	*v;

	if (src == FILTEREXPR_ANY || src == FILTEREXPR_ATTR) {
		if (x != NULL && x->core >= 0)
			*owned = core_value(er, (enum core_attr)x->core);
		else if (x == NULL || x->attr)
			*owned = attr_value(er, name);
		if (src == FILTEREXPR_ATTR || (*owned != NULL &&
		    (*owned)->type != VALUE_NULL))
			return *owned;
		value_free(*owned);
		*owned = NULL;
	}
	if (x == NULL)
		return NULL;
	if (src == FILTEREXPR_ANY || src == FILTEREXPR_FLAG) {
		v = map_get(er->ri, x->flag, rid);
		if (src == FILTEREXPR_FLAG || (v != NULL &&
		    v->type != VALUE_NULL))
			return v;
	}
	return map_get(er->ri, x->scalar, rid);
}

static void
sql_expr(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct expr_row	 er;
	struct runindex	*ri = sqlite3_user_data(ctx);

	if (ri->cur == NULL || ri->cur->expr == NULL || argc != E_COUNT) {
		/* Not ours to decide: keep the row. */
		sqlite3_result_int(ctx, 1);
		return;
	}
	er.ri = ri;
	er.argv = argv;
	sqlite3_result_int(ctx, filterexpr_eval(ri->cur->expr, expr_lookup,
	    &er));
}

/* Preloaded flags and scalars for the names an expression uses. */

static void
valmap_clear(struct valmap *m)
{
	size_t	i;

	for (i = 0; i < m->nowned; i++)
		value_free(m->owned[i]);
	for (i = 0; i < m->nstrs; i++)
		free(m->strs[i]);
	free(m->owned);
	free(m->strs);
	free(m->slab);
	free(m->v);
	memset(m, 0, sizeof *m);
}

static void
preload_clear(struct runindex *ri)
{
	size_t	i;

	for (i = 0; i < ri->npre; i++) {
		free(ri->pre[i].name);
		valmap_clear(&ri->pre[i].map);
	}
	free(ri->pre);
	free(ri->names);
	ri->pre = NULL;
	ri->npre = 0;
	ri->names = NULL;
	ri->nnames = 0;
	ri->pre_for = 0;
	ri->pre_deleted = -1;
}

static int
preload_add(struct runindex *ri, enum filterexpr_source src, const char *name)
{
	size_t	i;

	for (i = 0; i < ri->npre; i++) {
		if (ri->pre[i].src == src && strcmp(ri->pre[i].name, name) == 0)
			return (int)i;
	}
	ri->pre = xreallocarray(ri->pre, ri->npre + 1, sizeof *ri->pre);
	memset(&ri->pre[ri->npre], 0, sizeof *ri->pre);
	ri->pre[ri->npre].name = xstrdup(name);
	ri->pre[ri->npre].src = src;
	return (int)ri->npre++;
}

static const struct exname *
exname_find(struct runindex *ri, const char *name)
{
	size_t	i;

	/* The expression's own strings: by address, then (safely) by text. */
	for (i = 0; i < ri->nnames; i++) {
		if (ri->names[i].ptr == name)
			return &ri->names[i];
	}
	for (i = 0; i < ri->nnames; i++) {
		if (strcmp(ri->names[i].ptr, name) == 0)
			return &ri->names[i];
	}
	return NULL;
}

static void
preload_name(enum filterexpr_source src, const char *name, void *arg)
{
	struct runindex	*ri = arg;
	struct exname	*x;
	unsigned	 cols;
	size_t		 i;

	for (i = 0; i < ri->nnames; i++) {
		if (ri->names[i].ptr == name)
			return;
	}
	ri->names = xreallocarray(ri->names, ri->nnames + 1,
	    sizeof *ri->names);
	x = &ri->names[ri->nnames++];
	x->ptr = name;
	x->core = -1;
	x->attr = false;
	x->flag = x->scalar = -1;
	if (src == FILTEREXPR_ANY || src == FILTEREXPR_ATTR) {
		if (is_core_attr(name, &cols)) {
			for (i = 0; i < ARRAY_SIZE(core_attrs); i++) {
				if (strcmp(core_attrs[i].name, name) == 0)
					x->core = (int)i;
			}
		} else
			x->attr = true;		/* until attr_entries() */
	}
	if (src == FILTEREXPR_ANY || src == FILTEREXPR_FLAG)
		x->flag = preload_add(ri, FILTEREXPR_FLAG, name);
	if (src == FILTEREXPR_ANY || src == FILTEREXPR_SCALAR)
		x->scalar = preload_add(ri, FILTEREXPR_SCALAR, name);
}


/*
 * Names no run has (or had) an attr file of are never looked for in
 * attrs; the columns the others need.
 */
static int
attr_entries(struct runindex *ri, unsigned *cols, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i;
	int		 rc;

	for (i = 0; i < ri->nnames; i++) {
		struct exname	*x = &ri->names[i];

		if (x->core >= 0)
			*cols |= core_attrs[x->core].cols;
		if (!x->attr)
			continue;
		if ((st = stmt(ri, S_ATTRNAME_GET, cause)) == NULL)
			return -1;
		bind_text(st, 1, x->ptr);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return sqlfail(ri, cause);
		x->attr = rc == SQLITE_ROW;
		if (x->attr)
			*cols |= attr_file_cols(x->ptr);
	}
	return 0;
}

/* "guild_expr(rid, NULL, status, ...)": the columns it needs. */
static char *
expr_call(unsigned cols)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	strbuf_addstr(&sb, "guild_expr(");
	for (i = 0; i < ARRAY_SIZE(expr_cols); i++) {
		if (i > 0)
			strbuf_addstr(&sb, ", ");
		strbuf_addstr(&sb, (cols & (1U << i)) ? expr_cols[i] : "NULL");
	}
	strbuf_addch(&sb, ')');
	return strbuf_detach(&sb, NULL);
}


static int
fill_map(struct runindex *ri, struct preload *p, size_t nrids, char **cause)
{
	struct valmap	*m = &p->map;
	struct value	*v;
	sqlite3_stmt	*st;
	size_t		 nslab = 0, used = 0;
	int64_t		 rid;
	int		 rc, type;
	bool		 flag = p->src == FILTEREXPR_FLAG;

	/*
	 * One allocation for all the values (100,000 runs, 100,000 values):
	 * plain values live in the slab, strings beside it.
	 */
	st = stmt(ri, flag ? S_PRE_COUNT_FLAGS : S_PRE_COUNT_SCALARS,
	    cause);
	if (st == NULL)
		return -1;
	bind_text(st, 1, p->name);
	if (sqlite3_step(st) == SQLITE_ROW)
		nslab = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	m->n = nrids;
	m->v = xcalloc(nrids + 1, sizeof *m->v);
	m->slab = xcalloc(nslab + 1, sizeof *m->slab);
	if ((st = stmt(ri, flag ? S_PRE_FLAGS : S_PRE_SCALARS,
	    cause)) == NULL)
		return -1;
	bind_text(st, 1, p->name);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && used < nslab) {
		rid = sqlite3_column_int64(st, 0);
		if (rid < 0 || (uint64_t)rid >= nrids)
			continue;
		v = &m->slab[used++];
		type = flag ? sqlite3_column_int(st, 1) : VALUE_FLOAT;
		switch (type) {
		case VALUE_BOOL:
			v->type = VALUE_BOOL;
			v->u.b = sqlite3_column_int(st, 2) != 0;
			break;
		case VALUE_INT:
			v->type = VALUE_INT;
			v->u.i = sqlite3_column_int64(st, 2);
			break;
		case VALUE_FLOAT:
			v->type = VALUE_FLOAT;
			v->u.f = col_double(st, flag ? 2 : 1);
			break;
		case VALUE_STRING:
			v->type = VALUE_STRING;
			v->u.s = col_dup(st, 2);
			XGROW(m->strs, m->astrs, m->nstrs + 1);
			m->strs[m->nstrs++] = v->u.s;
			break;
		case VALUE_LIST:
		case VALUE_MAP:
			v = value_from_sql(type, sqlite3_column_value(st, 2));
			XGROW(m->owned, m->aowned, m->nowned + 1);
			m->owned[m->nowned++] = v;
			break;
		default:
			v->type = VALUE_NULL;
			break;
		}
		m->v[rid] = v;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sqlfail(ri, cause);
	return 0;
}

static int
preload(struct runindex *ri, bool deleted, struct runindex_filter *f,
    char **cause)
{
	sqlite3_stmt	*st;
	bool		 scalars = false, flags = false;
	unsigned	 cols = 1U << E_RID;
	size_t		 i, nrids = 0;

	if (f->expr == NULL || (ri->pre_for == f->serial &&
	    ri->pre_deleted == (int)deleted && ri->pre_gen == ri->gen))
		return 0;
	preload_clear(ri);
	filterexpr_names(f->expr, preload_name, ri);
	if (attr_entries(ri, &cols, cause) == -1)
		return -1;
	free(f->expr_call);
	f->expr_call = expr_call(cols);
	for (i = 0; i < ri->npre; i++) {
		if (ri->pre[i].src == FILTEREXPR_FLAG)
			flags = true;
		else
			scalars = true;
	}
	if (flags && ensure_all_flags(ri, deleted, cause) == -1)
		return -1;
	if (scalars && ensure_all_scalars(ri, deleted, real_ns(), cause) == -1)
		return -1;
	if ((st = stmt(ri, S_MAX_RID, cause)) == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		nrids = (size_t)sqlite3_column_int64(st, 0) + 1;
	sqlite3_reset(st);
	for (i = 0; i < ri->npre; i++) {
		if (fill_map(ri, &ri->pre[i], nrids, cause) == -1)
			return -1;
	}
	ri->pre_for = f->serial;
	ri->pre_deleted = deleted;
	ri->pre_gen = ri->gen;
	return 0;
}

/* Guild strips labels; trim() only what may need it (it is slow). */
static const char unlabeled_sql[] =
	"label IS NULL OR label = '' OR (label GLOB '[ \t\n\r]*' AND"
	" trim(label, ' \t\n\r') = '')";

static void
cond_add(struct strbuf *sb, const char *fmt, ...) PRINTFLIKE(2, 3);

static void
cond_add(struct strbuf *sb, const char *fmt, ...)
{
	va_list	ap;

	strbuf_addstr(sb, sb->len == 0 ? "(" : " AND (");
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	strbuf_addch(sb, ')');
}

/* "?N" for a new text parameter. */
static char *
param(struct runindex_filter *rf, const char *text)
{
	strvec_push(&rf->params, text);
	return xasprintf("?%zu", 9 + rf->params.n);
}

static void
any_of(struct runindex_filter *rf, struct strbuf *sb,
    const struct strvec *vals, const char *dash, const char *tmpl,
    bool lower, bool sep)
{
	struct strbuf	 alt = STRBUF_INIT;
	const char	*q;
	char		*p, *t;
	size_t		 i;

	for (i = 0; i < vals->n; i++) {
		if (i > 0)
			strbuf_addstr(&alt, " OR ");
		if (dash != NULL && strcmp(vals->v[i], "-") == 0) {
			strbuf_addstr(&alt, dash);
			continue;
		}
		t = sep ? xasprintf(SEP_S "%s" SEP_S, vals->v[i]) :
		    xstrdup(vals->v[i]);
		for (p = t; lower && *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		/* tmpl holds one "@", the parameter. */
		p = param(rf, t);
		q = strchr(tmpl, '@');
		strbuf_add(&alt, tmpl, (size_t)(q - tmpl));
		strbuf_addstr(&alt, p);
		strbuf_addstr(&alt, q + 1);
		free(p);
		free(t);
	}
	cond_add(sb, "%s", alt.buf);
	strbuf_release(&alt);
}

struct runindex_filter *
runindex_filter_new(const struct run_filter *f, int64_t now_s, char **cause)
{
	static unsigned long	 serial;
	struct runindex_filter	*rf = xcalloc(1, sizeof *rf);
	struct strbuf		 sb = STRBUF_INIT;
	struct timerange	 tr;
	char			*c = NULL, *p;
	size_t			 i;
	unsigned		 all = (1U << RUN_STATUS_COUNT) - 1;

	rf->serial = ++serial;
	if (f == NULL) {
		rf->cond = xstrdup("");
		return rf;
	}
	if (f->expr != NULL && *f->expr != '\0' &&
	    (rf->expr = filterexpr_parse(f->expr, cause)) == NULL)
		goto fail;
	if (f->started != NULL) {
		if (timerange_parse(f->started, (time_t)now_s, &tr, &c) == -1) {
			set_cause(cause, "invalid RANGE '%s': %s", f->started, c);
			free(c);
			goto fail;
		}
		/* Guild compares whole seconds: [start, end) in µs. */
		cond_add(&sb, "ts > 0");
		if (tr.has_start)
			cond_add(&sb, "ts >= %lld", (long long)tr.start *
			    1000000);
		if (tr.has_end)
			cond_add(&sb, "ts < %lld", (long long)tr.end * 1000000);
	}
	if (f->status != 0 && (f->status & all) != all) {
		strbuf_addstr(&sb, sb.len == 0 ? "(status IN (" :
		    " AND (status IN (");
		for (i = 0; i < RUN_STATUS_COUNT; i++) {
			if (f->status & (1U << i))
				strbuf_addf(&sb, "%s%zu", sb.buf[sb.len - 1] ==
				    '(' ? "" : ", ", i);
		}
		strbuf_addstr(&sb, "))");
	}
	if (f->marked)
		cond_add(&sb, "marked != 0");
	if (f->unmarked)
		cond_add(&sb, "marked IS NOT 1");
	if (f->unlabeled)
		cond_add(&sb, "%s", unlabeled_sql);
	if (f->labels.n > 0)
		any_of(rf, &sb, &f->labels, unlabeled_sql,
		    "instr(label, @) > 0", false, false);
	if (f->tags.n > 0)
		any_of(rf, &sb, &f->tags, NULL, "instr(tags, @) > 0", false,
		    true);
	if (f->comments.n > 0)
		any_of(rf, &sb, &f->comments, "comments = ''",
		    "instr(comments, @) > 0", true, false);
	if (f->digest != NULL) {
		p = param(rf, f->digest);
		cond_add(&sb, "substr(ifnull(digest, ''), 1, length(%s)) = %s",
		    p, p);
		free(p);
	}
	if (f->ops.n > 0) {
		rf->ops = xcalloc(f->ops.n, sizeof *rf->ops);
		rf->nops = f->ops.n;
		for (i = 0; i < f->ops.n; i++) {
			const char	*s = f->ops.v[i];
			size_t		 len = strlen(s);

			if (*s == '^' || (len > 0 && s[len - 1] == '$')) {
				/* Guild quietly matches nothing; say why. */
				rf->ops[i].re = regex_new(s, 0, &c);
				if (rf->ops[i].re == NULL) {
					set_cause(cause, "invalid operation "
					    "pattern '%s': %s", s, c);
					free(c);
					goto fail;
				}
			} else
				op_pat_parse(&rf->ops[i], s);
		}
		cond_add(&sb, "guild_ops(pkg_type, pkg_name, model, op, "
		    "op_desc)");
	}
	rf->verify_all = rf->expr != NULL || f->started != NULL ||
	    (f->status != 0 && (f->status & all) != all) || f->marked ||
	    f->unmarked || f->unlabeled || f->labels.n > 0 ||
	    f->tags.n > 0 || f->comments.n > 0 || f->digest != NULL;
	rf->cond = strbuf_detach(&sb, NULL);
	return rf;
fail:
	strbuf_release(&sb);
	runindex_filter_free(rf);
	return NULL;
}

void
runindex_filter_free(struct runindex_filter *rf)
{
	size_t	i;

	if (rf == NULL)
		return;
	for (i = 0; i < rf->nops; i++) {
		regex_free(rf->ops[i].re);
		free(rf->ops[i].pkg);
		free(rf->ops[i].model);
		free(rf->ops[i].op);
	}
	free(rf->ops);
	filterexpr_free(rf->expr);
	free(rf->expr_call);
	free(rf->cond);
	strvec_clear(&rf->params);
	free(rf);
}

/* Whether a query with filter rf must verify every row first. */
#define VERIFY_ALL(rf)	((rf) != NULL && (rf)->verify_all)

/* A statement for the filtered runs: "SELECT what ... WHERE ... tail". */
static sqlite3_stmt *
filtered(struct runindex *ri, bool deleted, struct runindex_filter *rf,
    const char *what, const char *extra, const char *tail, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	sqlite3_stmt	*st;
	size_t		 i;

	if (rf != NULL && preload(ri, deleted, rf, cause) == -1)
		return NULL;
	ri->cur = rf;
	ri->cur_deleted = deleted;
	strbuf_addf(&sb, "SELECT %s FROM runs WHERE deleted = ?1", what);
	if (rf != NULL && *rf->cond != '\0')
		strbuf_addf(&sb, " AND %s", rf->cond);
	if (rf != NULL && rf->expr != NULL)
		strbuf_addf(&sb, " AND %s", rf->expr_call);
	if (extra != NULL)
		strbuf_addf(&sb, " AND %s", extra);
	if (tail != NULL)
		strbuf_addf(&sb, " %s", tail);
	st = prepare(ri, sb.buf, cause);
	strbuf_release(&sb);
	if (st == NULL)
		return NULL;
	sqlite3_bind_int(st, 1, deleted);
	for (i = 0; rf != NULL && i < rf->params.n; i++)
		bind_text(st, 10 + (int)i, rf->params.v[i]);
	return st;
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
	rollback(ri);
	ri->cur = NULL;
	preload_clear(ri);
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

	if (index_sync(ri, deleted, VERIFY_ALL(rf), cause) == -1)
		return -1;
	if ((st = filtered(ri, deleted, rf, "count(*)", NULL, NULL,
	    cause)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = (size_t)sqlite3_column_int64(st, 0);
	ri->cur = NULL;
	if (rc != SQLITE_ROW) {
		sqlfail(ri, cause);
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
		rc = sqlfail(ri, cause);
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

	if (index_sync(ri, deleted, VERIFY_ALL(rf), cause) == -1)
		return -1;
	tail = xasprintf("ORDER BY ts DESC, id LIMIT %lld OFFSET %zu",
	    limit == 0 ? -1LL : (long long)limit, offset);
	st = filtered(ri, deleted, rf, ROW_COLS, NULL, tail, cause);
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

	st = filtered(ri, deleted, rf, "count(*)",
	    "(ts > ?7 OR (ts = ?7 AND id < ?8))", NULL, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 7, ts);
	bind_text(st, 8, row->id);
	rc = sqlite3_step(st);
	ri->cur = NULL;
	if (rc == SQLITE_ROW)
		*index = (long)sqlite3_column_int64(st, 0);
	else
		sqlfail(ri, cause);
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

	if (index_sync(ri, deleted, VERIFY_ALL(rf), cause) == -1)
		return -1;
	st = filtered(ri, deleted, rf, ROW_COLS, "id >= ?5 AND id < ?6",
	    "ORDER BY ts DESC, id LIMIT " PREFIX_MAX_S, cause);
	if (st == NULL)
		return -1;
	/* Every id with the prefix sorts below prefix + 0xff. */
	hi = xasprintf("%s\xff", prefix);
	bind_text(st, 5, prefix);
	bind_text(st, 6, hi);
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

	if ((dfd = open_base(ri, deleted)) != -1) {
		r = run_read(base_dir(ri, deleted), dfd, id, deleted,
		    real_ns());
		close(dfd);
	}
	if (r != NULL) {
		XGROW(rs.v, rs.alloc, 1);
		rs.v[rs.n++] = r;
	} else
		strvec_push(&gone, id);
	rc = write_batch(ri, deleted, &rs, &gone, cause);
	if (rc == 0 && row != NULL && r != NULL) {
		row_take(row, r);
		/* Extras the caller loaded are refreshed as they were. */
		if (row->flags != NULL)
			rc = row_flags(ri, row, false, cause);
		if (rc == 0 && row->attrs != NULL)
			row_attrs(row);
		if (rc == 0 && row->scalars != NULL) {
			struct meta	m = { 0, 0, false, false, 0 };

			rc = row_scalars(ri, row, &m, real_ns(), cause);
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
ids_once(struct runindex *ri, bool deleted, struct strvec *ids, char **cause)
{
	if (index_sync(ri, deleted, false, cause) == -1)
		return -1;
	return ids_query(ri, S_IDS_ORDERED, deleted, ids, cause);
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

	if (begin(ri, cause) == -1)
		return -1;
	if ((st = stmt(ri, S_FORGET, cause)) == NULL)
		goto fail;
	bind_text(st, 1, id);
	if (step_done(ri, st, cause) == -1)
		goto fail;
	if ((st = stmt(ri, S_FORGET_PENDING, cause)) == NULL)
		goto fail;
	bind_text(st, 1, id);
	if (step_done(ri, st, cause) == -1)
		goto fail;
	return commit(ri, cause);
fail:
	rollback(ri);
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
