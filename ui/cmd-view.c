/*
 * cmd-view.c: guild view, the only place where the command line meets
 * curses (through view_main).
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "home.h"
#include "run.h"
#include "runsel.h"
#include "strvec.h"
#include "view.h"

enum {
	OPT_COMPARE = 1,
	OPT_PRINT_CONFIG,
	OPT_EXIT_AFTER_DRAW,
	OPT_BENCH_KEYS,
	OPT_BENCH_FOLLOW,
};

static const struct cmd_option view_options[] = {
	{ OPT_COMPARE, NULL, "compare", NULL,
	  "Open on the compare table of the runs (or of RUN...)." },
	{ OPT_PRINT_CONFIG, NULL, "print-config", NULL,
	  "Print the default key bindings, colours and settings and exit." },
	{ OPT_EXIT_AFTER_DRAW, NULL, "exit-after-draw", NULL,
	  "Draw the first screen, print how long it took and exit.", true },
	{ OPT_BENCH_KEYS, NULL, "bench-keys", "N",
	  "Time N key presses after the first screen and exit.", true },
	{ OPT_BENCH_FOLLOW, NULL, "bench-follow", "SECONDS",
	  "Follow the newest run for SECONDS, then report the lag.", true },
	{ 0 }
};

static int
cmd_view_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct view_options	 opts;
	struct guild_home	*home;
	struct strvec		 all = STRVEC_INIT, ids = STRVEC_INIT;
	const char		*n;
	char			*cause = NULL, *id;
	size_t			 i;
	int			 rc;

	if (cmd_arg_has(a, OPT_PRINT_CONFIG)) {
		fputs(view_default_config_text(), stdout);
		return 0;
	}
	memset(&opts, 0, sizeof opts);
	opts.start = cmd_arg_has(a, OPT_COMPARE) ? VIEW_START_COMPARE :
	    VIEW_START_MAIN;
	opts.exit_after_draw = cmd_arg_has(a, OPT_EXIT_AFTER_DRAW);
	if ((n = cmd_arg_value(a, OPT_BENCH_KEYS)) != NULL)
		opts.bench_keys = atoi(n);
	if ((n = cmd_arg_value(a, OPT_BENCH_FOLLOW)) != NULL)
		opts.bench_follow = atoi(n);
	if (a->pos.n > 0) {
		if ((home = cli_home(ctx)) == NULL)
			return 1;
		if (runsel_list(home->runs, &all, &cause) == -1)
			return cli_error_cause(cause);
		for (i = 0; i < a->pos.n; i++) {
			if ((id = runsel_one(&all, a->pos.v[i], &cause)) ==
			    NULL) {
				strvec_clear(&all);
				strvec_clear(&ids);
				return cli_error_cause(cause);
			}
			strvec_push_nodup(&ids, id);
		}
		strvec_clear(&all);
		opts.run_ids = &ids;
	}
	rc = view_main(ctx, &opts);
	strvec_clear(&ids);
	return rc;
}

const struct cmd_entry cmd_view_entry = {
	.name = "view",
	.usage = "[RUN...]",
	.summary = "Browse, run and manage runs in a full-screen view.",
	.description =
	    "Opens a full-screen terminal view of the project's models and\n"
	    "operations, the runs, and the live output of the selected run.\n"
	    "Every run action is a key: ? lists them. RUN selects a run to\n"
	    "start on (with --compare, the runs to compare). Needs a terminal.",
	.options = view_options,
	.exec = cmd_view_exec,
};
