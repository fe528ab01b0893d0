/*
 * runsel.h: which runs a command means: run specs and filters, shared by
 * every command that takes runs.
 *
 * Runs are numbered from 0, newest first, as in the walkthrough ("0" the
 * newest run, "1" the one before). Specs: N, ranges A:B (inclusive, either
 * side optional, ":" = all), id prefixes (ambiguous = an error listing the
 * matches), full ids. Filters apply before indexes: "guild runs rm -o
 * train 1" removes the second newest train run.
 *
 * Filters (struct run_filter) come from the options in run_filter_options
 * (cli.h, src/cli-filter.c), which commands that take runs include as
 * cmd_entry.filter_options:
 *	-o/-Fo/--operation OP, -l/-Fl/--label LABEL, -Fu/--unlabeled,
 *	-Ft/--tag TAG, -Fc/--comment TEXT, -M/-Fm/--marked, -Fn/--unmarked,
 *	-Fs/--started RANGE, -Fd/--digest PREFIX, -F/--filter EXPR,
 *	-S CHARS (rcetps), -R/-Sr/--running, -C/-Sc/--completed,
 *	-E/-Se/--error, -T/-St/--terminated, -P/-Sp/--pending, -G/-Ss/--staged
 * Status flags OR together; the other filters AND.
 */
#ifndef GUILD_RUNSEL_H
#define GUILD_RUNSEL_H

#include <stdbool.h>

#include "strvec.h"

struct run_rows;
struct runindex;

struct run_filter {
	struct strvec	 ops;
	struct strvec	 labels;
	bool		 unlabeled;
	struct strvec	 tags;
	struct strvec	 comments;
	bool		 marked;
	bool		 unmarked;
	char		*started;	/* a time range, e.g. "last 2 hours" */
	char		*digest;
	char		*expr;		/* -F: "loss < 0.3 and lr = 0.1" */
	unsigned	 status;	/* bits 1 << enum run_status; 0: any */
};

/* Check a filter's started range and expression; -1 with cause. */
int	runsel_filter_check(const struct run_filter *, char **cause);
void	runsel_filter_release(struct run_filter *);

/*
 * Select runs: rows of the index (the trash when deleted), filtered, then
 * the specs applied in order (duplicates dropped); no specs means
 * default_spec (NULL: every filtered run). Loads `what` (RUNINDEX_*)
 * into the rows. An empty result is not an error.
 */
int	runsel_select(struct runindex *, const struct run_filter *,
	    const struct strvec *specs, const char *default_spec, bool deleted,
	    unsigned what, struct run_rows *out, char **cause);

/*
 * The same selection, but only rows [offset, offset + limit) of it are
 * loaded (limit 0: all), and *total (when not NULL) gets the size of the
 * whole selection. "guild runs" uses this to show 20 of 100,000 runs
 * without loading the others.
 */
int	runsel_select_page(struct runindex *, const struct run_filter *,
	    const struct strvec *specs, const char *default_spec, bool deleted,
	    unsigned what, size_t offset, size_t limit, struct run_rows *out,
	    size_t *total, char **cause);

/*
 * For the run engine: ids of the runs in runs_dir, newest first (from
 * the home's index when runs_dir is HOME/runs, else read from the
 * directories), and the id one spec names among them.
 */
int	 runsel_list(const char *runs_dir, struct strvec *ids, char **cause);
char	*runsel_one(const struct strvec *ids, const char *spec, char **cause);

#endif
