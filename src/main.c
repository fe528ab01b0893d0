/*
 * main.c: the command table and main(). Everything else lives in the
 * core library (src/) and the view (ui/).
 */
#include "common.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "guildfile.h"

/*
 * "guild run info [RUN]" is "guild runs info [RUN]", as the walkthrough
 * shows, unless the project defines an operation named info: then it runs.
 */
static const struct cmd_entry *
route_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct guildfile	*gf;
	bool			 is_op = false;
	size_t			 i;

	if (strcmp(argv[0], "info") != 0)
		return NULL;
	if ((gf = guildfile_find(NULL, NULL)) != NULL) {
		for (i = 0; i < gf->nmodels && !is_op; i++)
			is_op = modeldef_op(gf->models[i], "info") != NULL;
		guildfile_free(gf);
	}
	return is_op ? NULL : &cmd_runs_info_entry;
}

static struct cmd_entry run_entry;

/* Listed in --help in this order. */
static const struct cmd_entry *const commands[] = {
	&cmd_help_entry,
	&cmd_models_entry,
	&cmd_ops_entry,
	&run_entry,
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
	&cmd_tensorboard_entry,
	&cmd_check_entry,
	&cmd_view_entry,
	&cmd_completion_entry,
	NULL
};

int
main(int argc, char **argv)
{
	/*
	 * The character set only, as Python (so Guild AI) does: the other
	 * categories would cost every start a dozen locale files, and guild
	 * formats numbers and times itself.
	 */
	setlocale(LC_CTYPE, "");
	run_entry = cmd_run_entry;
	run_entry.route = route_run;
	return cli_main(commands, argc, argv);
}
