/*
 * view.h: guild view, the full-screen terminal application. The only
 * header of ui/ that src/ may include: it names no curses type.
 */
#ifndef GUILD_UI_VIEW_H
#define GUILD_UI_VIEW_H

#include <stdbool.h>

struct cmd_ctx;
struct strvec;

/* The screen the view opens on. */
enum view_start {
	VIEW_START_MAIN,	/* models, operations, runs, output */
	VIEW_START_COMPARE,	/* the compare table (guild compare) */
};

struct view_options {
	enum view_start		 start;
	/*
	 * Run ids to open with (compare: these rows; main: select the
	 * first). NULL or empty: every run.
	 */
	const struct strvec	*run_ids;
	bool			 print_config;	/* print the defaults, no view */
	/* Benchmarks and tests: see guild-view(1), hidden options. */
	bool			 exit_after_draw;	/* time the first screen */
	int			 bench_keys;		/* time N key presses */
	int			 bench_follow;		/* follow run 0 for N s */
	bool			 bench_load;	/* time reading every run */
};

/* The built-in configuration: a view.conf of the defaults. */
const char	*view_default_config_text(void);

/*
 * Run the view on the controlling terminal until the user quits. Prints
 * "guild: view needs a terminal" and returns 1 when stdin or stdout is
 * not one. Returns the exit status. The view program's only: guild
 * reaches it through cmd_ctx.view (cli.h), in guild-view (ui/main.c).
 */
int	view_main(struct cmd_ctx *, const struct view_options *);

#endif
