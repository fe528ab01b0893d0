/*
 * runlist.h: the runs a pane shows: rows from the index (optionally
 * through a -F expression), then the view's own filters (a pattern over
 * operation, label and tags; a model or operation), and the runs the user
 * selected for actions on several runs. No curses here.
 *
 * Rows are reloaded when the runs directory changes (runs added or
 * removed by anyone) and unfinished runs are re-read on every poll, so
 * status changes show without a reload of everything.
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

struct runlist {
	struct runindex	*idx;		/* borrowed */
	char		*dir;		/* runs or trash directory */
	bool		 deleted;

	struct run_rows	 rows;		/* newest first; after the expression */
	size_t		*vis;		/* rows shown: indexes into rows */
	size_t		 nvis;
	size_t		 visalloc;
	size_t		 applied;	/* rows the filters have seen */
	size_t		 total;		/* rows the index has */
	bool		 loading;	/* rows < total: more to read */
	struct runindex_filter *rf;	/* the expression, compiled */

	struct regex	*re;		/* the pattern filter, or NULL */
	char		*expr;		/* the -F expression, or NULL */
	char		*model;		/* only this model's runs, or NULL */
	char		*op;		/* and this operation, or NULL */
	char		*project;	/* of this guild.yml, or NULL */

	struct strvec	 selected;	/* ids, sorted */
	struct timespec	 dir_mtime;
	uint64_t	 generation;	/* bumped when rows change */
	size_t		 running;	/* unfinished runs */
	size_t		 op_width;	/* widest op column shown */
};

void		 runlist_init(struct runlist *, struct runindex *,
		    const char *dir, bool deleted);
void		 runlist_release(struct runlist *);
/*
 * Read the rows again: the first page now (so the first screen is
 * quick with 100,000 runs), the others with runlist_load_more().
 */
int		 runlist_load(struct runlist *, char **cause);
/* Read the next chunk of rows; -1 on error. loading tells if more. */
int		 runlist_load_more(struct runlist *, char **cause);
/*
 * The cheap check of every refresh: reload when the directory changed,
 * re-read unfinished runs otherwise. true when anything changed.
 */
bool		 runlist_poll(struct runlist *, char **cause);
/* Recompute the rows shown after a filter changed. */
void		 runlist_apply(struct runlist *);
/* Only for rows added at the end since. */
void		 runlist_apply_more(struct runlist *);
/* Set the pattern filter (NULL or "": none); -1 with cause when bad. */
int		 runlist_set_pattern(struct runlist *, const char *,
		    char **cause);
/* Set the expression (NULL or "": none); reloads; -1 with cause. */
int		 runlist_set_expr(struct runlist *, const char *, char **cause);
/* Row i of those shown. */
struct run_row	*runlist_row(const struct runlist *, size_t i);
/* The run's number in guild runs terms: its place in rows. */
size_t		 runlist_number(const struct runlist *, size_t i);
/* Index among those shown of a run id (or a unique prefix); -1. */
long		 runlist_find(const struct runlist *, const char *id);

bool		 runlist_is_selected(const struct runlist *, const char *id);
void		 runlist_toggle(struct runlist *, const char *id);
void		 runlist_select_all(struct runlist *);
/* Select these ids (others stay as they are). */
void		 runlist_select_ids(struct runlist *, const struct strvec *);
void		 runlist_clear_selection(struct runlist *);

#endif
