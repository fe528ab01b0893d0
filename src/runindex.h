/*
 * runindex.h: the run index, the only user of sqlite3.
 *
 * A cache of what listing and selecting runs needs (opref, timestamps,
 * status, label, tags, marked, flags, scalar summaries), kept in
 * $GUILD_HOME/cache/runs.db. The run directories are the truth: the index
 * can be deleted at any time and is rebuilt from them; it is rebuilt too
 * when it is corrupt or its schema version is not ours.
 *
 * It notices what other processes (another guild, Guild AI, rm -rf) did:
 * runs added or removed (the runs directory changed), runs whose files
 * changed (each row keeps the stamps it was read from and rows handed to
 * callers are checked against them; a filter on anything but the
 * operation checks every row first), and runs that are not finished
 * (pending, staged, running) are re-read and checked for liveness on
 * every query, so a dead run never shows "running".
 *
 * WAL mode and a busy timeout: many guild processes may write and read
 * at once. A cache that cannot be used (unwritable, locked for longer than
 * the timeout) is never an error: the index is then built in memory from
 * the directories.
 *
 * Stamps younger than two seconds are not trusted (file times are coarse);
 * GUILD_INDEX_RACY_MS changes that window (the tests set 0).
 * GUILD_TEST_SLOW_US, a test hook, makes reading each new run take that
 * many microseconds more, so that catching up can be watched.
 */
#ifndef GUILD_RUNINDEX_H
#define GUILD_RUNINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "run.h"
#include "strvec.h"

struct guild_home;
struct value;
struct scalars_summary;

/* What to load into rows besides the core fields. */
#define RUNINDEX_FLAGS		0x1	/* row->flags */
#define RUNINDEX_SCALARS	0x2	/* row->scalars (summary, no series) */
#define RUNINDEX_ATTRS		0x4	/* row->attrs: every attr, as values */

struct run_row {
	char			*id;
	char			*dir;		/* absolute run directory */
	bool			 deleted;	/* in the trash */
	char			*opref;		/* encoded */
	char			*pkg_name;	/* guildfile path, script dir, ... */
	char			*model;		/* "" for the anonymous model */
	char			*op;
	char			*op_desc;	/* "fashion:train", "train" */
	int64_t			 initialized;	/* µs; 0: unknown */
	int64_t			 started;
	int64_t			 stopped;
	bool			 has_exit_status;
	int			 exit_status;
	enum run_status		 status;
	pid_t			 pid;		/* from LOCK; 0: none */
	char			*label;		/* "" when none */
	struct strvec		 tags;
	bool			 marked;
	char			*sourcecode_digest;	/* or NULL */
	/*
	 * A bad run: the first file of it that could not be read, relative
	 * to dir, with why (".guild/attrs/label: not a regular file"); NULL
	 * when none. That file is taken as missing, and a finished run
	 * with a problem has status error.
	 */
	char			*problem;
	struct value		*flags;		/* RUNINDEX_FLAGS: map */
	struct scalars_summary	*scalars;	/* RUNINDEX_SCALARS */
	struct value		*attrs;		/* RUNINDEX_ATTRS: map */
	long			 index;		/* position among the filtered
						   runs, newest 0; -1: unknown */
	int64_t			 rowid;		/* the index's own key */
};

struct run_rows {
	struct run_row	**v;
	size_t		  n, alloc;
};

#define RUN_ROWS_INIT	{ NULL, 0, 0 }

struct runindex;

/* Open (creating, migrating or rebuilding as needed) the home's index. */
struct runindex	*runindex_open(const struct guild_home *, char **cause);
void		 runindex_close(struct runindex *);

/*
 * Every run (of the trash when deleted), newest first (started, else
 * initialized; then id), brought up to date with the directories first.
 */
int		 runindex_rows(struct runindex *, bool deleted, unsigned what,
		    struct run_rows *, char **cause);
/* Just the ids, in the same order (no row is checked or loaded). */
int		 runindex_ids(struct runindex *, bool deleted, struct strvec *,
		    char **cause);
/*
 * Re-read one run from its directory into the index (after a command
 * changed it), or drop it when the directory is gone. row may be NULL;
 * otherwise it is updated in place.
 */
int		 runindex_update(struct runindex *, const char *id, bool deleted,
		    struct run_row *row, char **cause);
/* Forget a run (moved or removed by us). */
int		 runindex_forget(struct runindex *, const char *id, char **cause);

/*
 * Catching up with the runs (or trash) directory in steps, for a caller
 * that must stay responsive (the view, over a cold or stale index).
 * start lists the directory and compares it with the index: 1 when
 * there are runs to read (or forget), 0 when the index is up to date.
 * Each step reads new runs for about budget_ms and commits them, so
 * queries see them at once (the runs read so far, in the usual order);
 * it gives the runs read and the runs to read, and returns 1 while
 * there is more, 0 once the catch-up is over (-1 with cause: it is over
 * too). While a catch-up is under way, this handle's queries leave the
 * directory to it. stop abandons one (what was read stays: the next
 * sync continues from there). hold abandons one too, but this handle's
 * queries keep leaving the directory alone (runs added since are not
 * seen) until the next start, which continues from there: what a user
 * who stopped a long catch-up asked for. Each step committed what it
 * read, so the index is never half-written; its directory stamp is
 * only stored at the end, so any other handle (another guild) finishes
 * the catch-up by itself.
 */
int		 runindex_catchup_start(struct runindex *, bool deleted,
		    char **cause);
int		 runindex_catchup_step(struct runindex *, unsigned budget_ms,
		    size_t *done, size_t *total, char **cause);
void		 runindex_catchup_stop(struct runindex *);
void		 runindex_catchup_hold(struct runindex *);

/*
 * Selection primitives, for runsel.c. A filter (NULL: every run) is
 * compiled once (parsing its expression and time range), then counted,
 * paged or searched by id prefix. The rows handed out are checked
 * against their run directories first and re-read when something
 * changed; *changed then tells that positions may have moved, and a
 * caller that needs exact positions selects again.
 */
struct run_filter;
struct runindex_filter;

struct runindex_filter *runindex_filter_new(const struct run_filter *,
		    int64_t now_s, char **cause);
void		 runindex_filter_free(struct runindex_filter *);
int		 runindex_count(struct runindex *, bool deleted,
		    struct runindex_filter *, size_t *count, char **cause);
/* Rows [offset, offset + limit) of the filtered runs; limit 0: all. */
int		 runindex_page(struct runindex *, bool deleted,
		    struct runindex_filter *, size_t offset, size_t limit,
		    unsigned what, struct run_rows *, bool *changed,
		    char **cause);
/*
 * The ids of the filtered runs, in the order of pages (a caller that
 * keeps what it knew of each run by id finds its place again after
 * runs were added); no row is loaded.
 */
int		 runindex_filter_ids(struct runindex *, bool deleted,
		    struct runindex_filter *, struct strvec *ids,
		    char **cause);
/*
 * The filtered runs whose id starts with prefix, newest first: at most
 * 11 (enough to show that a prefix is ambiguous), and with a position
 * only when there is exactly one.
 */
int		 runindex_prefix(struct runindex *, bool deleted,
		    struct runindex_filter *, const char *prefix, unsigned what,
		    struct run_rows *, bool *changed, char **cause);

/*
 * How many run directories this process has read into an index (a row
 * whose stamps still match is not read again): for tests and benchmarks.
 */
unsigned long	 runindex_reads(void);

/*
 * The project directory of a run's operation (the guild.yml's directory,
 * a script's directory), or NULL (packages). Caller frees.
 */
char		*run_row_project_dir(const struct run_row *);

/*
 * out[i]: rows[i]'s declared and logged attrs (runattrs_read), from the
 * index's cache while the run's stamp and scalar sources are unchanged
 * (rows loaded with RUNINDEX_SCALARS, so that those are current); read
 * from the run directory otherwise, or on any failure (ri may be NULL).
 * See runindex-attrs.c.
 */
void		 runindex_run_attrs(struct runindex *ri,
		    struct run_row *const *rows, size_t n, struct value **out);
/*
 * The plain listing ("guild runs": no filter, no run named, not the
 * trash) without opening the index, when nothing it depends on changed
 * since it was saved: the first want rows (0: all) and the total, 0; -1
 * when the index must be asked. See runindex-snap.c.
 */
int		 runindex_snap_page(const struct guild_home *, size_t want,
		    struct run_rows *rows, size_t *total);
/* Keep rows (what runindex_page gave, from 0) and total for that. */
void		 runindex_snap_save(struct runindex *,
		    const struct run_rows *rows, size_t total);
void		 run_row_free(struct run_row *);
void		 run_rows_push(struct run_rows *, struct run_row *);
void		 run_rows_release(struct run_rows *);

#endif
