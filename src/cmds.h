/*
 * cmds.h: the command entries, one per cmd-*.c file, gathered into the
 * table in main.c.
 */
#ifndef GUILD_CMDS_H
#define GUILD_CMDS_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

extern const struct cmd_entry	cmd_help_entry;
extern const struct cmd_entry	cmd_models_entry;
extern const struct cmd_entry	cmd_ops_entry;
extern const struct cmd_entry	cmd_run_entry;
extern const struct cmd_entry	cmd_watch_entry;
/* cmd-runs.c: the runs group; label..stop are also top-level commands. */
extern const struct cmd_entry	cmd_runs_entry;
extern const struct cmd_entry	cmd_runs_info_entry;
extern const struct cmd_entry	cmd_label_entry;
extern const struct cmd_entry	cmd_tag_entry;
extern const struct cmd_entry	cmd_mark_entry;
extern const struct cmd_entry	cmd_comment_entry;
extern const struct cmd_entry	cmd_stop_entry;
/* cmd-files.c */
extern const struct cmd_entry	cmd_ls_entry;
extern const struct cmd_entry	cmd_cat_entry;
extern const struct cmd_entry	cmd_open_entry;
extern const struct cmd_entry	cmd_select_entry;
/* cmd-compare.c, cmd-diff.c, cmd-export.c, cmd-tensorboard.c */
extern const struct cmd_entry	cmd_compare_entry;
extern const struct cmd_entry	cmd_diff_entry;
extern const struct cmd_entry	cmd_export_entry;
extern const struct cmd_entry	cmd_import_entry;
extern const struct cmd_entry	cmd_tensorboard_entry;
/* ui/cmd-view.c */
extern const struct cmd_entry	cmd_view_entry;
/* cmd-check.c */
extern const struct cmd_entry	cmd_check_entry;
/* cmd-completion.c */
extern const struct cmd_entry	cmd_completion_entry;

/*
 * Helpers of cmd-runs.c for every command that takes runs.
 */
struct run_row;
struct run_rows;
struct runindex;

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
 * Guild's preview and question on stderr: intro, the runs as
 * "  [19c67a72]  ./fashion:train  <started>  <status>  <label>", then
 * question (with "(Y/n)" added). Returns the answer.
 */
bool	 cmd_runs_confirm(const struct run_rows *, const char *intro,
	    const char *question, bool default_yes);
/* guild runs info, for "guild run info" (cmd-run.c). */
int	 cmd_runs_info_exec(struct cmd_ctx *, struct cmd_args *);

#endif
