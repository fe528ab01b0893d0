/*
 * cmd-view.c: guild view's command: its options and help, here so that
 * guild lists them without curses, and the hand-over to the view program.
 *
 * The view is a program of its own, guild-view (ui/main.c), so that no
 * other command pays for loading curses. guild parses "guild view ..."
 * (its --help is answered here) and becomes guild-view with the same
 * command line; guild-view parses it again with cmd_ctx.view set and opens
 * the view. guild compare on a terminal hands itself over the same way.
 */
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmds.h"
#include "error.h"
#include "home.h"
#include "proc.h"
#include "run.h"
#include "runner.h"
#include "runsel.h"
#include "strvec.h"
#include "util.h"
#include "xmalloc.h"
#include "../ui/view.h"

#define VIEW_PROGRAM	"guild-view"

enum {
	OPT_COMPARE = 1,
	OPT_PRINT_CONFIG,
	OPT_EXIT_AFTER_DRAW,
	OPT_BENCH_KEYS,
	OPT_BENCH_FOLLOW,
	OPT_BENCH_LOAD,
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
	{ OPT_BENCH_LOAD, NULL, "bench-load", NULL,
	  "Wait until every run is read, report how long it took and exit.",
	  true },
	{ 0 }
};

/*
 * The view program: beside this guild (the build tree, or an install
 * that keeps the two together), else where make install put it.
 */
static char *
view_program(char **cause)
{
	char	*self, *slash, *near = NULL, *installed;

	if ((self = realpath("/proc/self/exe", NULL)) != NULL &&
	    (slash = strrchr(self, '/')) != NULL) {
		*slash = '\0';
		near = path_join(*self != '\0' ? self : "/", VIEW_PROGRAM);
		if (access(near, X_OK) == 0) {
			free(self);
			return near;
		}
	}
	free(self);
	installed = xstrdup(GUILD_PKGLIBEXECDIR "/" VIEW_PROGRAM);
	if (access(installed, X_OK) == 0 || near == NULL) {
		free(near);
		return installed;
	}
	set_cause(cause, "the view program is not installed: neither %s nor "
	    "%s can be run", near, installed);
	free(near);
	free(installed);
	return NULL;
}

int
cmd_view_handoff(struct cmd_ctx *ctx)
{
	struct strvec	 argv = STRVEC_INIT;
	char		*prog, *exe, *cause = NULL;
	int		 i;

	if ((prog = view_program(&cause)) == NULL)
		return cli_error_cause(cause);
	/* guild-view GUILD [-H HOME] COMMAND ARGS...: see ui/main.c. */
	strvec_push(&argv, prog);
	/* $GUILD_EXE may be relative: guild-view wants it absolute. */
	if ((exe = runner_guild_exe())[0] != '/') {
		char	*abs = path_absolute(exe);

		free(exe);
		exe = abs;
	}
	strvec_push_nodup(&argv, exe);
	if (ctx->home_override != NULL) {
		strvec_push(&argv, "-H");
		strvec_push(&argv, ctx->home_override);
	}
	for (i = 0; i < ctx->cmd_argc; i++)
		strvec_push(&argv, ctx->cmd_argv[i]);
	proc_exec_replace(prog, argv.v, &cause);
	strvec_clear(&argv);
	free(prog);
	return cli_error_cause(cause);
}

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

	if (ctx->view == NULL)
		return cmd_view_handoff(ctx);
	memset(&opts, 0, sizeof opts);
	opts.print_config = cmd_arg_has(a, OPT_PRINT_CONFIG);
	opts.start = cmd_arg_has(a, OPT_COMPARE) ? VIEW_START_COMPARE :
	    VIEW_START_MAIN;
	opts.exit_after_draw = cmd_arg_has(a, OPT_EXIT_AFTER_DRAW);
	opts.bench_load = cmd_arg_has(a, OPT_BENCH_LOAD);
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
	rc = ctx->view(ctx, &opts);
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
