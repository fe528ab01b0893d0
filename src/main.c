/*
 * main.c: the command table and main(). Everything else lives in the
 * core library (src/) and the view (ui/).
 */
#include "common.h"


#include "cli.h"
#include "cmds.h"

/* Listed in --help in this order. */
static const struct cmd_entry *const commands[] = {
	&cmd_help_entry,
	&cmd_models_entry,
	&cmd_ops_entry,
	&cmd_run_entry,
	&cmd_watch_entry,
	&cmd_runs_entry,
	&cmd_label_entry,
	&cmd_tag_entry,
	&cmd_mark_entry,
	&cmd_comment_entry,
	&cmd_stop_entry,
	&cmd_ls_entry,
	&cmd_cat_entry,
	&cmd_open_entry,
	&cmd_select_entry,
	&cmd_compare_entry,
	&cmd_diff_entry,
	&cmd_export_entry,
	&cmd_import_entry,
	&cmd_merge_entry,
	&cmd_archive_entry,
	&cmd_tensorboard_entry,
	&cmd_publish_entry,
	&cmd_api_entry,
	&cmd_remotes_entry,
	&cmd_remote_entry,
	&cmd_push_entry,
	&cmd_pull_entry,
	&cmd_check_entry,
	&cmd_test_entry,
	&cmd_package_entry,
	&cmd_packages_entry,
	&cmd_install_entry,
	&cmd_uninstall_entry,
	&cmd_view_entry,
	&cmd_completion_entry,
	NULL
};

int
main(int argc, char **argv)
{
	return cli_main(commands, argc, argv);
}
