/*
 * tui.h: the view's state and what every part of ui/ may ask of it:
 * focus, the stack of full-screen views, messages, redraws, refreshes
 * of the runs, and running programs (in the terminal or the
 * background). tui.c owns the application loop; layout.c draws the
 * screen; actions.c runs the actions that are not a pane's own;
 * bench.c holds the benchmark hooks.
 *
 * The screen:
 *
 *	title line
 *	+-----------+-----------------------------+
 *	| models    | runs                        |
 *	|-----------|-----------------------------|
 *	| ops       | output of the selected run  |
 *	+-----------+-----------------------------+
 *	status line: messages, errors, prompts, key hints
 *
 * Full-screen views (help, run details, compare, plot, trash, files,
 * text) stack over the main panes; the run form is a box over them.
 * Everything is drawn into stdscr from scratch (erase, draw, refresh):
 * curses sends only what changed.
 */
#ifndef GUILD_UI_TUI_H
#define GUILD_UI_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "keymap.h"
#include "strvec.h"

struct cmd_ctx;
struct guild_home;
struct guildfile;
struct loop;
struct loop_io;
struct loop_timer;
struct pane;
struct pane_ops;
struct prompt;
struct remotesync;
struct runindex;
struct runlist;
struct strbuf;
struct view_options;

/* The main panes, in focus order (next-pane goes down this list). */
enum main_pane {
	MAIN_MODELS,
	MAIN_OPS,
	MAIN_RUNS,
	MAIN_OUTPUT,
	MAIN_COUNT
};

#define VIEW_STACK_MAX 16

/* Where the side panes (models, operations) go. */
#define SIDE_LEFT	0
#define SIDE_RIGHT	1
#define SIDE_HIDDEN	2

/* What the benchmark hooks measure (bench.c); times in ms. */
/* The longest a key waits for work done between keys (a step of it). */
#define VIEW_WORK_STEP_MS	30

struct view_bench {
	double		 first_ms;	/* to the first screen */
	size_t		 first_rows;	/* runs read for it */
	double		 filter_ms;	/* --bench-keys: the first filter */
	double		 filter_first_ms;	/* its first step drawn */
	double		 load_ms;	/* --bench-load: every run read */
	struct timespec	 t0;		/* when the view started */
	double		 key_avg, key_max;	/* a key and its redraw */
	double		 lag_max, lag_sum;	/* --bench-follow */
	unsigned	 samples;
};

struct view {
	struct cmd_ctx		*ctx;
	struct guild_home	*home;
	struct loop		*loop;
	struct runindex		*idx;
	struct keymap		*km;
	struct guildfile	*gf;
	char			*gf_error;
	char			*cwd;
	char			*self_exe;	/* the guild program, to run guild */

	int			 rows, cols;
	bool			 colour;
	bool			 too_small;

	struct runlist		*runs;		/* the runs pane's list */
	struct pane		*models, *ops, *runs_pane, *output;
	struct pane		*main[MAIN_COUNT];
	enum main_pane		 focus;
	bool			 zoom;
	int			 side_w;	/* side panes' width; 0: auto */
	int			 side;		/* SIDE_LEFT, _RIGHT, _HIDDEN */
	struct pane		*stack[VIEW_STACK_MAX];	/* full-screen views */
	size_t			 nstack;

	/* The status line: a message, or a prompt. */
	char			*msg;
	bool			 msg_error;
	uint64_t		 msg_time;
	struct prompt		*prompt;
	struct strvec		 config_errors;

	struct loop_io		*in_io;
	uint64_t		 external_end;
	struct loop_timer	*redraw_timer;
	struct loop_timer	*refresh_timer;
	struct loop_timer	*msg_timer;
	struct loop_timer	*kick_timer;
	/*
	 * Work in steps between keys (work_cb): catching up with a cold or
	 * stale index, then reading what a filter needs of every run.
	 */
	struct loop_timer	*work_timer;
	bool			 catchup;
	size_t			 catchup_done, catchup_total;
	uint64_t		 catchup_shown;
	/* Stopped with Esc: not started again until R (or a run of ours). */
	bool			 catchup_held;
	bool			 catchup_filter;	/* its turn to filter */
	bool			 dirty;
	bool			 quit;
	bool			 external;	/* a program has the terminal */
	char			*select_id;	/* select this run when it shows */
	struct remotesync	*remotes;	/* NULL: no remotes */

	/*
	 * Escapes written over the screen after curses drew it (pictures
	 * in the terminal's graphics), set by a pane's draw every frame.
	 */
	char			*overlay;
	size_t			 overlay_len;
	bool			 overlay_sent;
	bool			 overlay_wanted;

	const struct view_options *opts;
	uint64_t		 draws;
	struct view_bench	 bench;
};

/* The focused pane: the top of the stack, else the focused main pane. */
struct pane	*view_focus(struct view *);
/* The main pane step places after (or, negative, before) from, around. */
enum main_pane	 main_pane_step(enum main_pane from, int step);
/* Focus a main pane (under any full-screen views). */
void		 view_focus_main(struct view *, enum main_pane);
/* Something changed: redraw soon (throttled). */
void		 view_dirty(struct view *);
/* Messages on the status line (errors in the error colour). */
void		 view_message(struct view *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 view_error(struct view *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Take and free cause as an error message. */
void		 view_error_cause(struct view *, char *cause);
/* Open a full-screen view on top of the stack; NULL when full. */
struct pane	*view_push(struct view *, const struct pane_ops *, void *arg);
/* Close the top view. */
void		 view_pop(struct view *);
/* Re-read the runs now (after an action changed them). */
void		 view_reload_runs(struct view *);
/*
 * Reading the runs the index has not seen yet (a cold index): stop it
 * (Esc; true when there was one), or start it again (R).
 */
bool		 view_catchup_stop(struct view *);
void		 view_catchup_resume(struct view *);
/* Check the runs for changes soon (a run ended), not in a second. */
void		 view_refresh_soon(struct view *);
/*
 * What the view is reading between keys, for the status line ("Reading
 * runs 3,400/10,000"); false when nothing.
 */
bool		 view_progress(struct view *, struct strbuf *);
/* With filter-op on, show the runs of the selected model or op. */
void		 view_sync_op_filter(struct view *);
/*
 * Run argv (argv[0] a path) with the terminal, outside curses: the
 * screen is left and restored afterwards. wait_key: ask for a key
 * before coming back (to read what the program printed).
 */
void		 view_external(struct view *, const char *dir,
		    const char *const *argv, bool wait_key);
/*
 * Run a program (argv[0] found in PATH) in the background, collecting
 * its output; done() gets the exit code (proc.h: minus the signal that
 * killed it) and the cooked output, stdout and stderr as written.
 */
typedef void	(*spawn_done_cb)(struct view *, int status, const char *out,
		    void *arg);
void		 view_spawn(struct view *, const char *const *argv,
		    spawn_done_cb, void *arg);
/* The same with our own binary: args after "guild". */
void		 view_spawn_guild(struct view *, const char *const *args,
		    spawn_done_cb, void *arg);
/* The id under the runs pane's cursor (to keep it); caller frees. */
char		*view_cursor_id(struct view *);
/* After the runs list changed: the cursor stays on its run (prev). */
void		 view_runs_changed(struct view *, const char *prev);
/* Load guild.yml of the current directory again. */
void		 view_load_project(struct view *);
/* A key from the terminal: the prompt, the focused pane, the keymap. */
void		 view_key(struct view *, int key);
/*
 * From a pane's draw: write seq over the screen once curses has drawn
 * it (again after a full repaint); a frame that does not ask for it
 * again repaints the screen without it.
 */
void		 view_overlay(struct view *, const char *seq, size_t len);
/* Leave the screen, stop; restore it when continued. */
void		 view_suspend(struct view *);
/* Follow the terminal's size. */
void		 view_resize(struct view *);

#endif
