/*
 * runlist.h: the runs a pane shows, read from the run index a page at a
 * time, so the first screen and the memory do not grow with the number
 * of runs: rows are fetched when they are drawn or asked for, and pages
 * not used lately are dropped. No curses here.
 *
 * Over the index's own selection (optionally a -F expression), the view
 * filters by a pattern over operation, label and tags and by model or
 * operation; for those a compact digest of every run is read once and
 * kept, by run id. Reading it takes seconds over many runs, so it is
 * read in steps (runlist_step) that the view takes between keys:
 * meanwhile the runs shown are those of the digests read so far, in
 * order, and more are added as they are read. Runs added meanwhile
 * (runlist_update) are read in turn: the filter never starts again. The runs selected for actions on several runs
 * are kept by id.
 *
 * Changes made by anyone show on the next poll: runs added or removed
 * (the runs directory changed), and unfinished runs that changed status.
 *
 * A metric (a scalar's last, min or max value) can be read with the
 * rows, and the list sorted by it: the value of every run is then read
 * once, the order kept as a permutation like the filters' rows shown.
 */
#ifndef GUILD_UI_RUNLIST_H
#define GUILD_UI_RUNLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "runindex.h"
#include "strvec.h"

struct regex;
struct rpage;
struct rmeta;

struct runlist {
	struct runindex	*idx;		/* borrowed */
	char		*dir;		/* runs or trash directory */
	bool		 deleted;

	/* Read only, outside runlist.c. */
	struct regex	*re;		/* the pattern filter, or NULL */
	char		*expr;		/* the -F expression, or NULL */
	char		*model;		/* only this model's runs, or NULL */
	char		*op;		/* and this operation, or NULL */
	char		*project;	/* of this guild.yml, or NULL */
	struct strvec	 selected;	/* ids, sorted */
	uint64_t	 generation;	/* bumped when rows change */
	char		*metric;	/* scalar of the metric column, or NULL */
	int		 metric_stat;	/* RUNLIST_LAST, _MIN or _MAX */
	int		 sort;		/* 0 newest first, 1 ascending metric,
					   -1 descending */
	bool		 metric_max;	/* the higher the better */

	/* Private. */
	struct runindex_filter *rf;	/* the expression, compiled */
	struct runindex_filter *rf_live;	/* unfinished runs */
	size_t		 total;
	size_t		 running;
	struct rpage	**pages;
	size_t		 npages;
	size_t		 nloaded;
	uint64_t	 clock;
	size_t		 op_width;
	struct rmeta	*meta;		/* per run, for the view's filters */
	size_t		 nmetas;	/* places in meta (total when made) */
	size_t		 nmeta;		/* digests read (known) */
	size_t		 scan_at;	/* no unknown digest before this */
	size_t		 scan_rows;	/* runs per query, when reading them */
	unsigned long	 test_slow_us;	/* GUILD_TEST_SLOW_US */
	struct strvec	 interned;
	size_t		*vis;		/* shown, when a view filter is on */
	size_t		 nvis;
	struct strvec	 live;		/* "id status started" of unfinished */
	double		*mval;		/* metric by position; NaN: none */
	size_t		 nmval;
	size_t		*perm;		/* shown, when sorted */
	size_t		 nperm;
	struct timespec	 dir_mtime;
	/*
	 * The index's count of all runs (of the base) when total was
	 * counted: a directory that becomes a run after it was seen (a
	 * pull's rsync fills it after its mkdir) changes no directory time.
	 */
	size_t		 indexed;
};

void		 runlist_init(struct runlist *, struct runindex *,
		    const char *dir, bool deleted);
void		 runlist_release(struct runlist *);
/* Count the runs again and forget what was read. */
int		 runlist_load(struct runlist *, char **cause);
/*
 * Runs were added or removed (a cold index being read, a run started):
 * take the selection again, keeping what the filters read of the runs
 * still there, so a filter under way goes on over the new runs.
 */
int		 runlist_update(struct runlist *, char **cause);
/*
 * The cheap check of every refresh: reload when the directory changed;
 * otherwise, when unfinished runs changed, forget what was read. true
 * when anything changed.
 */
bool		 runlist_poll(struct runlist *, char **cause);

/* Runs shown (after the view's filters), and in the index's selection. */
size_t		 runlist_count(const struct runlist *);
size_t		 runlist_total(const struct runlist *);
/* Unfinished runs (running, pending, staged) of the whole list. */
size_t		 runlist_running(const struct runlist *);
/* Whether a view filter (pattern, model, op) is on. */
bool		 runlist_filtered(const struct runlist *);

/*
 * Row i of those shown, read when needed; NULL when out of range or
 * unreadable. Valid until rows of another page are asked for.
 */
struct run_row	*runlist_row(struct runlist *, size_t i);
/*
 * Whether the view's filters (pattern, model, op) pass this run, which
 * need not be in the list yet (compare matches runs by id this way).
 */
bool		 runlist_shows(struct runlist *, const struct run_row *);
/* The run's number in guild runs terms: its place in the selection. */
size_t		 runlist_number(const struct runlist *, size_t i);
/* Index among those shown of a run id (or a unique prefix); -1. */
long		 runlist_find(struct runlist *, const char *id);
/* A run by id, shown or not; NULL when not in the list. */
struct run_row	*runlist_get(struct runlist *, const char *id);
/* The widest operation column of the rows read so far. */
size_t		 runlist_op_width(const struct runlist *);

/*
 * Whether a view filter is on and not every run's digest is read yet
 * (then *done of *total are).
 */
bool		 runlist_busy(const struct runlist *, size_t *done,
		    size_t *total);
/*
 * Read more digests, for about budget_ms (0: all of them); true while
 * runlist_busy().
 */
bool		 runlist_step(struct runlist *, unsigned budget_ms);
/* Read every digest the filters need (what benchmarks wait for). */
void		 runlist_finish(struct runlist *);

/* Set the pattern filter (NULL or "": none); -1 with cause when bad. */
int		 runlist_set_pattern(struct runlist *, const char *,
		    char **cause);
/* Set the expression (NULL or "": none); -1 with cause. */
int		 runlist_set_expr(struct runlist *, const char *, char **cause);
/* Only the runs of project's model (and op); model NULL: all. */
void		 runlist_set_op(struct runlist *, const char *project,
		    const char *model, const char *op);

#define RUNLIST_LAST	0
#define RUNLIST_MIN	1
#define RUNLIST_MAX	2
/*
 * The metric column: a scalar name (as compare names them) and which of
 * its values; NULL: none (and no sort by it).
 */
void		 runlist_set_metric(struct runlist *, const char *scalar,
		    int stat);
/*
 * Sort by the metric (1 ascending, -1 descending) or newest first (0);
 * a new metric starts newest first.
 */
void		 runlist_set_sort(struct runlist *, int sort);
/* A row's metric value; NaN when it has none (or no metric is set). */
double		 runlist_metric(const struct runlist *, const struct run_row *);

bool		 runlist_is_selected(const struct runlist *, const char *id);
void		 runlist_toggle(struct runlist *, const char *id);
void		 runlist_select_all(struct runlist *);
/* Select these ids (others stay as they are). */
void		 runlist_select_ids(struct runlist *, const struct strvec *);
void		 runlist_clear_selection(struct runlist *);

#endif
