/*
 * cmd-select.h: selecting runs for the commands that take runs (runs,
 * label, tag, ls, cat, diff, compare, export, tensorboard, ...): the
 * filter options and the specs, through the run index, with errors
 * printed as the CLI prints them; and Guild's preview and question
 * before runs are changed.
 */
#ifndef GUILD_CMD_SELECT_H
#define GUILD_CMD_SELECT_H

#include <stdbool.h>
#include <stddef.h>

struct cmd_args;
struct cmd_ctx;
struct run;
struct run_filter;
struct run_row;
struct value;
struct run_rows;
struct runindex;
struct strvec;

/*
 * Open the run index and select runs: the filter options in args, then
 * specs (NULL: the positional arguments; none: default_spec, NULL meaning
 * every filtered run). Returns 0 with *idx open (caller closes it), or
 * the exit status after printing an error.
 */
int	 cmd_runs_select(struct cmd_ctx *, struct cmd_args *,
	    const struct strvec *specs, const char *default_spec, bool deleted,
	    unsigned what, struct runindex **idx, struct run_rows *rows);
/*
 * One run: the positional argument (at most one; default "0", the newest)
 * over the filtered runs. Selecting none or several is an error. Returns
 * 0 with *idx open and *row to free with run_row_free(), or the exit
 * status after printing an error.
 */
int	 cmd_runs_select_one(struct cmd_ctx *, struct cmd_args *, bool deleted,
	    unsigned what, struct runindex **idx, struct run_row **row);
/*
 * As cmd_runs_select, loading only the first limit rows when limit > 0
 * (*total, when not NULL, gets the selection's size).
 */
int	 cmd_runs_select_page(struct cmd_ctx *, struct cmd_args *,
	    const struct strvec *specs, const char *default_spec, bool deleted,
	    unsigned what, size_t limit, struct runindex **idx,
	    struct run_rows *rows, size_t *total);
/*
 * Open the home's index, creating the home's directories when it can.
 * Returns 0 or the exit status after printing an error.
 */
int	 cmd_runs_open_index(struct cmd_ctx *, struct runindex **idx);
/*
 * Select in an open index with a filter already parsed: specs
 * (duplicates dropped), else default_spec; limit and total as in
 * cmd_runs_select_page. Prints errors; returns 0 or the exit status.
 */
int	 cmd_runs_select_rows(struct runindex *, const struct run_filter *,
	    const struct strvec *specs, const char *default_spec, bool deleted,
	    unsigned what, size_t limit, struct run_rows *rows, size_t *total);

/*
 * Guild's run details (run_util.format_run's RUN_DETAIL fields, in
 * Guild's order): a map of strings, exit_status and pid an int or "".
 * Defined in cmd-runs.c, shared with "select --attr".
 */
struct value	*cmd_runs_details(const struct run_row *);

/*
 * The table cells of a run, CMD_RUNS_ROW_NCOLS of them: index
 * ("[0:19c67a72]", or "[19c67a72]" when index < 0), operation (with
 * " [marked]" when marked_suffix), started, status, label. Free them with
 * cmd_runs_cells_free().
 */
#define CMD_RUNS_ROW_NCOLS	5
void	 cmd_runs_row_cells(const struct run_row *, long index,
	    bool marked_suffix, char **cells);
/* Free n cells and the array. */
void	 cmd_runs_cells_free(char **cells, size_t n);
/*
 * Guild's preview and question on stderr: intro, the runs as
 * "  [19c67a72]  ./fashion:train  <started>  <status>  <label>", then
 * question (with "(Y/n)" added). Returns the answer.
 */
bool	 cmd_runs_confirm(const struct run_rows *, const char *intro,
	    const char *question, bool default_yes);

/*
 * What a command that changes runs does around its work: nothing
 * selected is a note (exit 0), then the preview and question unless yes.
 * Returns true to go ahead.
 */
struct cmd_runs_op {
	const char	*nothing;	/* "Nothing to delete."; NULL: Guild's */
	bool		 default_yes;
};
bool	 cmd_runs_op_start(const struct cmd_runs_op *,
	    const struct run_rows *, bool yes, const char *intro,
	    const char *question);
/*
 * Changing attrs of the selected runs (label, tag, mark, comment): each
 * run is changed by fn, then the index is told. Errors are printed;
 * returns 0 or 1 when some run failed, with *done the runs changed.
 */
typedef int (*cmd_runs_change_fn)(struct run *, const struct run_row *,
    void *arg, char **cause);
int	 cmd_runs_change(struct runindex *, const struct run_rows *,
	    cmd_runs_change_fn, void *arg, size_t *done);
/*
 * Tell the index that run id changed (it would notice anyway; this is
 * quicker). A failure is a warning.
 */
void	 cmd_runs_index_update(struct runindex *, const char *id,
	    bool deleted);

#endif
