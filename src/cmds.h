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
/* cmd-runs.c, cmd-label.c: the runs group; label..stop are also top-level. */
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
extern const struct cmd_entry	cmd_merge_entry;
extern const struct cmd_entry	cmd_archive_entry;
extern const struct cmd_entry	cmd_tensorboard_entry;
/* cmd-publish.c, cmd-api.c */
extern const struct cmd_entry	cmd_publish_entry;
extern const struct cmd_entry	cmd_api_entry;
/* cmd-view.c */
extern const struct cmd_entry	cmd_view_entry;
/*
 * In guild (cmd_ctx.view NULL): become the view program running this
 * command (guild view, guild compare on a terminal). Returns only on
 * failure, 1 after printing why.
 */
int	cmd_view_handoff(struct cmd_ctx *);
/* cmd-check.c */
extern const struct cmd_entry	cmd_check_entry;
/* cmd-package.c */
extern const struct cmd_entry	cmd_package_entry;
extern const struct cmd_entry	cmd_packages_entry;
extern const struct cmd_entry	cmd_install_entry;
extern const struct cmd_entry	cmd_uninstall_entry;
/* cmd-test.c */
extern const struct cmd_entry	cmd_test_entry;
/* cmd-remote.c */
extern const struct cmd_entry	cmd_remotes_entry;
extern const struct cmd_entry	cmd_remote_entry;
extern const struct cmd_entry	cmd_push_entry;
extern const struct cmd_entry	cmd_pull_entry;
/*
 * guild run -r: the run staged in stage (a Guild home) as id (with
 * trials, a batch run whose trials are staged too: a Slurm remote's
 * array job), copied to the remote name, started there and, unless
 * no_wait, followed and pulled when it ends. Returns the exit status.
 */
struct guild_home;
struct strvec;
struct remote_job {
	const char		*id;
	const struct strvec	*trials;	/* NULL: a single run */
	unsigned		 parallel;	/* 0: the remote's */
	bool			 no_wait;
	bool			 quiet;
};
int	cmd_remote_run(struct cmd_ctx *, const char *name,
	    const struct guild_home *stage, const struct remote_job *);
/* cmd-completion.c */
extern const struct cmd_entry	cmd_completion_entry;

/* Selecting runs, for the commands that take them: cmd-select.h. */

#endif
