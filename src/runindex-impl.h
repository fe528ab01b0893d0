/*
 * runindex-impl.h: what the files of the run index share (runindex.c,
 * runindex-sync.c, runindex-filter.c); nothing else includes it. They
 * are the only ones that include <sqlite3.h>: its types are named here
 * by their struct tags.
 */
#ifndef GUILD_RUNINDEX_IMPL_H
#define GUILD_RUNINDEX_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filterexpr.h"
#include "runindex.h"
#include "runread.h"
#include "strvec.h"

struct sqlite3;
struct sqlite3_context;
struct sqlite3_stmt;
struct sqlite3_value;

#define SCHEMA_VERSION	12
#define STR(x)		#x
#define XSTR(x)		STR(x)
#define SEP		RUN_REC_SEP
#define SEP_S		"\x1f"
#define WRITE_BATCH	200
/* How long a pass of ri_sync_all() serves later queries of one handle. */
#define VERIFY_REUSE_MS	500

/* Row metadata kept beside the rows handed out, for verification. */
struct meta {
	uint64_t	stamp;
	unsigned	editable;
	bool		flags_loaded;
	bool		has_scalars_stamp;
	uint64_t	scalars_stamp;
	bool		scalars_read;	/* just now: no second look */
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
	 * only the rows it hands out, against the files those columns come
	 * from (RUN_WATCH_*; 0: none). Operations never change in place.
	 */
	unsigned		 watch;
};

/*
 * The statements prepared once per connection (ri_stmt()); their SQL is
 * runindex.c's stmt_sql[]. A new statement is a new name here.
 */
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
	S_SCALARS_SRC,
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
	S_RUN_COUNT,
	S_COUNT
};

struct runindex {
	struct sqlite3	*db;
	char		*path;		/* NULL: in memory */
	char		*runs, *trash;	/* absolute directories */
	bool		 memory;
	int		 sqlerr;	/* the last sqlite failure, or 0 */
	int		 recovered;	/* times we rebuilt or fell back */
	struct sqlite3_stmt *stmts[S_COUNT];	/* ri_stmt(): NULL until used */

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
	 * Every row (of runs, of the trash) was checked against the files
	 * of verified[] (RUN_WATCH_*; 0: none) for this query, by a pass of
	 * ri_sync_all() over those of verified_watch[] at verified_ms
	 * (monotonic; 0: never). One command asks several queries in a row
	 * (count, then page), and the view asks again each second: a pass
	 * younger than VERIFY_REUSE_MS serves them all.
	 */
	unsigned		 verified[2];
	unsigned		 verified_watch[2];
	uint64_t		 verified_ms[2];

	/* A catch-up in steps (runindex_catchup_start), or NULL. */
	struct ri_catchup	*catchup;
	/*
	 * A catch-up stopped by runindex_catchup_hold: the directory (of
	 * runs, of the trash) is left alone until the next start.
	 */
	bool			 held[2];
	/* GUILD_TEST_SLOW_US: a test hook, see runindex.h. */
	unsigned long		 test_slow_us;
	/* runindex-snap.c: the state at open, and runs.db-gen open or -1. */
	uint64_t		 snap_key;
	int			 gen_fd;
};

/* What a query with filter rf must verify first (RUN_WATCH_*). */
#define VERIFY_ALL(rf)	((rf) != NULL ? (rf)->watch : 0U)

/* The arguments of guild_expr(), in this order (runindex-filter.c). */
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

struct expr_row {
	struct runindex	 *ri;
	struct sqlite3_value **argv;
};


/* runindex-snap.c: the plain listing without the index. */
void ri_snap_hooks(struct runindex *ri);
void ri_snap_open(struct runindex *ri);

/* runindex.c: SQL plumbing, records, flags and scalars, core attrs. */
void ri_racy_from_env(void);
const char *ri_arg_text(struct sqlite3_value *v);
int ri_begin(struct runindex *ri, char **cause);
void ri_bind_text(struct sqlite3_stmt *st, int i, const char *s);
double ri_col_double(struct sqlite3_stmt *st, int i);
char *ri_col_dup(struct sqlite3_stmt *st, int i);
int ri_commit(struct runindex *ri, char **cause);
struct value *ri_core_value(const struct expr_row *er, enum core_attr which);
/* Load the flags of every run that has none loaded yet. */
int ri_ensure_all_flags(struct runindex *ri, bool deleted, char **cause);

/* runindex-scalars.c: the scalars cache. */
/* Scalars of every run that has none cached, or may have new ones. */
int ri_ensure_all_scalars(struct runindex *ri, bool deleted, int64_t now,
    char **cause);
/*
 * The scalars of those of the n runs rids (directories dirs) never read,
 * read on worker threads and written; done[i] tells which were.
 */
int ri_read_new_scalars(struct runindex *ri, size_t n, const int64_t *rids,
    char *const *dirs, bool *done, char **cause);
/* The cached summary of run rid, in key order. */
int ri_read_row_scalars(struct runindex *ri, int64_t rid,
    struct scalars_summary *sum, char **cause);
/*
 * Re-read run rid's scalars when their files changed (dfd and id: the
 * runs directory and the run's name there, or -1 and dir).
 */
int ri_refresh_scalars(struct runindex *ri, int64_t rid, int dfd,
    const char *id, const char *dir, bool loaded, char **cause);
struct sqlite3_stmt *ri_prepare(struct runindex *ri, const char *sql,
    char **cause);
int64_t ri_real_ns(void);
void ri_rollback(struct runindex *ri);
void ri_split_col(struct strvec *out, const char *col);
int ri_sqlfail(struct runindex *ri, char **cause);
/* Run a write statement to completion. */
int ri_step_done(struct runindex *ri, struct sqlite3_stmt *st, char **cause);
/* A statement prepared once per connection, reset for a new use. */
struct sqlite3_stmt *ri_stmt(struct runindex *ri, enum ri_stmt which,
    char **cause);
struct value *ri_value_from_sql(int type, struct sqlite3_value *val);
/* Apply records (upserts) and removals (ids) in short transactions. */
int ri_write_batch(struct runindex *ri, bool deleted, struct run_recs *rs,
    const struct strvec *gone, char **cause);
/* runindex-sync.c: keeping up with the directories. */
const char *ri_base_dir(const struct runindex *ri, bool deleted);
int ri_ids_query(struct runindex *ri, enum ri_stmt which, bool deleted,
    struct strvec *out, char **cause);
/*
 * Bring the index up to date for a query: runs added and removed, rows
 * that must always be looked at, and every row's files of watch
 * (RUN_WATCH_*; 0: none).
 */
int ri_index_sync(struct runindex *ri, bool deleted, unsigned watch,
    char **cause);
/* The base directory, open; -1 with errno ENOENT when it is missing. */
int ri_open_base(const struct runindex *ri, bool deleted);
/*
 * Whether a row whose stamp still matches is current: a running run's
 * process must be alive, and an error without exit status must still
 * have no live process (a LOCK rewritten in place does not show in the
 * stamps).
 */
bool ri_still_current(const struct runindex *ri, bool deleted,
    const char *id, enum run_status status, bool has_exit_status);
/* The same, of the run base/id. */
bool ri_run_current(const char *base, const char *id, enum run_status status,
    bool has_exit_status);
/* runindex-filter.c: filters in SQL. */
/* A statement for the filtered runs: "SELECT what ... WHERE ... tail". */
struct sqlite3_stmt *ri_filtered(struct runindex *ri, bool deleted,
    struct runindex_filter *rf, const char *what, const char *extra,
    const char *tail, char **cause);
void ri_preload_clear(struct runindex *ri);
void ri_sql_expr(struct sqlite3_context *ctx, int argc,
    struct sqlite3_value **argv);
void ri_sql_ops(struct sqlite3_context *ctx, int argc,
    struct sqlite3_value **argv);

#endif
