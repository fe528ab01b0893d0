/*
 * ui.h: what the files of ui/ share: the view, panes and their vtable,
 * drawing helpers, the theme, prompts. Never included by src/.
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
#ifndef GUILD_UI_UI_H
#define GUILD_UI_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keymap.h"
#include "strvec.h"

struct cmd_ctx;
struct guild_home;
struct guildfile;
struct loop;
struct loop_timer;
struct modeldef;
struct opdef;
struct output_span;
struct output_style;
struct run_row;
struct runindex;
struct runlist;
struct strbuf;
struct view_options;

/* theme.c: colour roles. X(ID, "name", monochrome attributes) */
#define ROLE_LIST(X) \
	X(DEFAULT, "default", A_NORMAL) \
	X(TITLE, "title", A_REVERSE) \
	X(STATUS, "status", A_NORMAL) \
	X(ERROR, "error", A_BOLD) \
	X(HINT, "hint", A_NORMAL) \
	X(PROMPT, "prompt", A_BOLD) \
	X(PANE_TITLE, "pane-title", A_UNDERLINE) \
	X(PANE_TITLE_FOCUS, "pane-title-focus", A_REVERSE | A_BOLD) \
	X(BORDER, "border", A_NORMAL) \
	X(CURSOR, "cursor", A_REVERSE) \
	X(CURSOR_BLUR, "cursor-blur", A_UNDERLINE) \
	X(SELECTED, "selected", A_BOLD) \
	X(ID, "id", A_NORMAL) \
	X(OP, "op", A_NORMAL) \
	X(DATE, "date", A_NORMAL) \
	X(LABEL, "label", A_NORMAL) \
	X(TAG, "tag", A_NORMAL) \
	X(MARKED, "marked", A_BOLD) \
	X(RUNNING, "running", A_BOLD) \
	X(COMPLETED, "completed", A_NORMAL) \
	X(FAILED, "failed", A_BOLD) \
	X(TERMINATED, "terminated", A_NORMAL) \
	X(PENDING, "pending", A_NORMAL) \
	X(HEADER, "header", A_BOLD) \
	X(KEY, "key", A_BOLD) \
	X(MATCH, "match", A_REVERSE) \
	X(DIM, "dim", A_DIM) \
	X(DIFF_ADD, "diff-add", A_BOLD) \
	X(DIFF_DEL, "diff-del", A_DIM) \
	X(DIFF_HUNK, "diff-hunk", A_UNDERLINE) \
	X(AXIS, "axis", A_NORMAL) \
	X(SERIES1, "series-1", A_NORMAL) \
	X(SERIES2, "series-2", A_NORMAL) \
	X(SERIES3, "series-3", A_NORMAL) \
	X(SERIES4, "series-4", A_NORMAL) \
	X(SERIES5, "series-5", A_NORMAL) \
	X(SERIES6, "series-6", A_NORMAL)

enum role {
#define ROLE_ENUM(id, name, mono) ROLE_##id,
	ROLE_LIST(ROLE_ENUM)
#undef ROLE_ENUM
	ROLE_COUNT
};
#define SERIES_COUNT 6

/* A curses style: attributes and a colour pair. */
struct style {
	attr_t	attr;
	int	pair;
};

const char	*role_name(enum role);
int		 role_find(const char *);	/* -1 when unknown */
/* Colour names: default, black..white, bright-*, colorN, N (0-255). */
int		 colour_parse(const char *, short *out);
/* Attribute names: bold, dim, reverse, underline, italic, blink, normal. */
int		 attr_parse(const char *, attr_t *out);
void		 theme_set(enum role, short fg, short bg, attr_t);
/* After start_color(): allocate pairs, or only attributes when !colour. */
void		 theme_init(bool colour);
struct style	 theme_style(enum role);
/* A style of cooked output (SGR colours) for curses. */
struct style	 theme_output_style(const struct output_style *);
bool		 theme_has_colour(void);
/* The status role of a run status. */
enum role	 theme_status_role(int run_status);

/* config.c: the built-in defaults, then the user's view.conf. */
extern const char	view_default_config[];
/*
 * Parse configuration text: "bind [KEYMAP] KEY ACTION", "color ROLE FG
 * [BG [ATTR...]]", "set NAME VALUE", "# comments". Errors are collected
 * as "FILE:LINE: message" in errors; good lines still apply.
 */
void		 config_parse(struct keymap *, const char *text,
		    const char *file, struct strvec *errors);
/* The user's file: $GUILD_VIEW_CONF, else $GUILD_HOME/view.conf. */
char		*config_user_path(const struct guild_home *);
struct view_settings {
	int	refresh_ms;	/* runs list refresh */
	int	follow_ms;	/* output polling while following */
	int	redraw_ms;	/* throttle for redraws caused by data */
	int	output_lines;	/* lines of output kept per run */
	int	plot_style;	/* 0 braille, 1 blocks, 2 ascii; -1: auto */
	bool	mouse;
};
extern struct view_settings	view_settings;

/* display.c: drawing into stdscr. */
extern bool	display_utf8;	/* the terminal takes UTF-8 */

/* Decode one UTF-8 character; invalid bytes give U+FFFD, one byte. */
size_t		 utf8_decode(const char *s, size_t len, int *cp);
/* Columns of one code point as drawn (controls and invalid: 1). */
int		 cp_width(int cp);
/* Columns of text as drawn. */
int		 text_width(const char *s, size_t len);
/* Bytes of s that fit in w columns. */
size_t		 text_fit(const char *s, size_t len, int w);

/*
 * Draw UTF-8 text at (y, x), at most w columns, after skipping the
 * first skip columns. Tabs expand to 8 columns, control characters are
 * never sent (drawn as '?'), wide characters are not cut in half.
 * Returns the columns drawn.
 */
int		 draw_text(int y, int x, int w, int skip, const char *s,
		    size_t len, struct style);
int		 draw_str(int y, int x, int w, const char *s, struct style);
int		 draw_printf(int y, int x, int w, struct style, const char *fmt,
		    ...) __attribute__((format(printf, 5, 6)));
void		 draw_fill(int y, int x, int w, struct style);
/* Byte ranges to highlight in draw_rich. */
struct mark {
	size_t	start, end;
};
/*
 * Text with cooked-output colour spans and highlighted ranges (search
 * matches) over a base style.
 */
int		 draw_rich(int y, int x, int w, int skip, const char *s,
		    size_t len, const struct output_span *, size_t nspans,
		    struct style base, const struct mark *, size_t nmarks,
		    struct style mark);
/* Text wrapped at spaces into at most h rows; returns the rows used. */
int		 draw_wrapped(int y, int x, int h, int w, const char *s,
		    struct style first, struct style rest);
/* One cell with a code point (box drawing, plots). */
void		 draw_cp(int y, int x, int cp, struct style);
/* A horizontal or vertical line: UTF-8 box drawing, else ASCII. */
void		 draw_hline(int y, int x, int w, struct style);
void		 draw_vline(int y, int x, int h, struct style);
/* A box with a border, its inside erased. */
void		 draw_box(int y, int x, int h, int w, struct style);

/* textbuf.c: lines of text with colour spans, for output and files. */
struct tline {
	char			*text;
	size_t			 len;
	struct output_span	*spans;
	size_t			 nspans;
	uint64_t		 lineno;
	enum role		 role;	/* ROLE_DEFAULT, or diff colours, ... */
	size_t			 key_len;	/* leading bytes drawn as a key */
	enum role		 key_role;
};

/*
 * A ring of lines with a line and a byte budget: the oldest lines go
 * first, so following a run that writes without end keeps memory flat.
 */
struct textbuf {
	struct tline	*v;
	size_t		 cap;	/* slots */
	size_t		 head;	/* index of the oldest line */
	size_t		 n;
	size_t		 bytes;
	size_t		 max_bytes;
	uint64_t	 dropped;	/* lines dropped from the front */
};

void		 textbuf_init(struct textbuf *, size_t max_lines,
		    size_t max_bytes);
void		 textbuf_release(struct textbuf *);
void		 textbuf_clear(struct textbuf *);
struct tline	*textbuf_push(struct textbuf *, const char *text, size_t len,
		    const struct output_span *, size_t nspans,
		    uint64_t lineno);
struct tline	*textbuf_get(const struct textbuf *, size_t i);
/* Split text into lines (cooked: escapes dropped, colours kept). */
void		 textbuf_add_cooked(struct textbuf *, const char *text,
		    size_t len);
/* One plain line (a format). */
struct tline	*textbuf_addf(struct textbuf *, enum role, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

/* pane.c: panes, each with a vtable. */
struct pane;
struct view;

/* A key hint of the status line: the action's key, then the label. */
struct hint {
	enum action	 act;
	const char	*label;
};

struct pane_ops {
	const char	*name;
	enum keymap_id	 keymap;
	size_t		 priv_size;
	bool		 cursor;	/* a list with a cursor (else text) */
	bool		 box;		/* a box over what is below */
	const struct hint *hints;	/* status line when focused */

	void		(*init)(struct pane *, void *arg);
	void		(*release)(struct pane *);
	/* The header line: left and right parts. */
	void		(*title)(struct pane *, struct strbuf *left,
			    struct strbuf *right);
	size_t		(*count)(struct pane *);
	void		(*draw_line)(struct pane *, size_t idx, int y, int x,
			    int w, bool cursor);
	/* Draw the body instead of draw_line (plots, tables). */
	void		(*draw)(struct pane *, int y, int x, int h, int w);
	/* true when handled. */
	bool		(*action)(struct pane *, enum action);
	/* Keys that are not actions (text entry); true when handled. */
	bool		(*key)(struct pane *, int key);
	/* The cursor moved (the cascade models -> ops -> runs -> output). */
	void		(*moved)(struct pane *);
	/* Every refresh (1 s). */
	void		(*tick)(struct pane *);
	/*
	 * The runs changed: by an action of ours (action), or found by a
	 * refresh.
	 */
	void		(*reload)(struct pane *, bool action);
	/* The run under the cursor, for actions on runs; NULL: none. */
	const struct run_row *(*current_run)(struct pane *);
	/* The run list the pane shows (its selection, its rows). */
	struct runlist	*(*runlist)(struct pane *);
	/* A click in the body at (row, col) relative to it. */
	void		(*click)(struct pane *, int row, int col);
	/* Size of a box pane. */
	void		(*box_size)(struct pane *, int *h, int *w);
	/* Where the terminal cursor goes (text entry); false: hidden. */
	bool		(*cursor_pos)(struct pane *, int *y, int *x);
};

struct pane {
	const struct pane_ops	*ops;
	struct view		*view;
	int			 y, x, h, w;	/* the header line included */
	size_t			 cursor;
	size_t			 top;
	int			 hscroll;
	bool			 focused;
	void			*priv;
};

struct pane	*pane_new(struct view *, const struct pane_ops *, void *arg);
void		 pane_free(struct pane *);
void		 pane_place(struct pane *, int y, int x, int h, int w);
void		 pane_draw(struct pane *);
/* Body height (without the header line). */
int		 pane_body_h(const struct pane *);
size_t		 pane_count(struct pane *);
/* Move the cursor (clamped, scrolled into view); calls moved(). */
void		 pane_set_cursor(struct pane *, size_t);
/* Scroll so that the cursor is visible. */
void		 pane_scroll_to_cursor(struct pane *);
/* Movement actions for lists and texts; true when handled. */
bool		 pane_move(struct pane *, enum action);
void		 pane_click(struct pane *, int y, int x);

/* Pane types. */
extern const struct pane_ops	pane_models_ops;
extern const struct pane_ops	pane_ops_ops;
extern const struct pane_ops	pane_runs_ops;
extern const struct pane_ops	pane_output_ops;
extern const struct pane_ops	pane_info_ops;
extern const struct pane_ops	pane_help_ops;
extern const struct pane_ops	pane_compare_ops;
extern const struct pane_ops	pane_plot_ops;
extern const struct pane_ops	pane_trash_ops;
extern const struct pane_ops	pane_files_ops;
extern const struct pane_ops	pane_text_ops;
extern const struct pane_ops	pane_form_ops;

/*
 * pane-text.c: a scrolling text with search, for the text-like panes
 * (help, run details, file and diff viewers).
 */
struct textview {
	struct textbuf	 buf;
	struct regex	*search;
};
void		 textview_init(struct textview *);
void		 textview_release(struct textview *);
void		 textview_draw(struct pane *, struct textview *, int y, int x,
		    int h, int w);
/* Search, scrolling; true when handled. */
bool		 textview_action(struct pane *, struct textview *,
		    enum action);
/* A line "key: value" with the key in the key colour. */
struct tline	*textview_kv(struct textview *, int indent, const char *key,
		    const char *value, enum role);

/* Arguments of the text viewer. */
struct text_args {
	char		*title;		/* taken */
	struct textbuf	 buf;		/* taken */
};

/* pane-runs.c: the runs list, shared with the trash view. */
void		 runs_title_for(struct runlist *, const char *name,
		    struct strbuf *left, struct strbuf *right);
void		 runs_draw_row(struct pane *, struct runlist *, size_t idx,
		    int y, int x, int w, bool cursor);

/* The models and ops panes share what the cascade needs. */
const struct modeldef	*models_selected(struct view *);
const struct opdef	*ops_selected(struct view *);
/* With filter-op on, show the runs of the selected model or op. */
void		 view_sync_op_filter(struct view *);
/* The output pane: which run it follows (NULL: none). */
void		 output_follow_run(struct pane *, const struct run_row *);
/* The last line it shows (benchmarks); false when none. */
bool		 output_last_line(struct pane *, const char **text, size_t *len);

/* tui.c: the view. */
struct view {
	struct cmd_ctx		*ctx;
	struct guild_home	*home;
	struct loop		*loop;
	struct runindex		*idx;
	struct keymap		*km;
	struct guildfile	*gf;
	char			*gf_error;
	char			*cwd;
	char			*self_exe;	/* our binary, to run guild */

	int			 rows, cols;
	bool			 colour;
	bool			 too_small;

	struct runlist		*runs;		/* the runs pane's list */
	struct pane		*models, *ops, *runs_pane, *output;
	struct pane		*main[4];
	int			 focus;		/* index in main[] */
	bool			 zoom;
	struct pane		*stack[16];	/* full-screen views */
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
	bool			 dirty;
	bool			 quit;
	bool			 external;	/* a program has the terminal */
	char			*select_id;	/* select this run when it shows */

	const struct view_options *opts;
	uint64_t		 draws;
	double			 bench_lag_max;	/* ms, --bench-follow */
	double			 bench_lag_sum;
	unsigned		 bench_samples;
};

/* The focused pane: the top of the stack, else the focused main pane. */
struct pane	*view_focus(struct view *);
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
/* Check the runs for changes soon (a run ended), not in a second. */
void		 view_refresh_soon(struct view *);
/*
 * Run argv (argv[0] a path) with the terminal, outside curses: the
 * screen is left and restored afterwards. wait_key: ask for a key
 * before coming back (to read what the program printed).
 */
void		 view_external(struct view *, const char *dir,
		    const char *const *argv, bool wait_key);
/*
 * Run a program (argv[0] found in PATH) in the background, collecting
 * its output; done() gets the exit status and the cooked output.
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
/* Leave the screen, stop; restore it when continued. */
void		 view_suspend(struct view *);
/* Follow the terminal's size. */
void		 view_resize(struct view *);
/* actions.c: forget what it remembers, at exit. */
void		 actions_cleanup(void);
/* Run an action that is not a pane's own. */
void		 view_action(struct view *, enum action);
/* The run form (pane-form.c): for the selected op, or to run again. */
void		 view_run_form(struct view *, struct pane *);
/* Diff two runs (pane-text.c). */
void		 view_diff(struct view *, struct pane *);
/* A run of the runs list (or, deleted, of an open trash view). */
const struct run_row *view_find_run(struct view *, const char *id,
		    bool deleted);
/* The runs an action on runs applies to (ids); false when none. */
bool		 view_targets(struct view *, struct pane *, struct strvec *ids);

/* prompt.c: the status line editor and questions. */
struct prompt;
typedef void	(*prompt_done_cb)(struct view *, const char *text, void *arg);
typedef void	(*prompt_change_cb)(struct view *, const char *text, void *arg);
/*
 * Ask for a line of text. done gets the text (NULL when cancelled with
 * Esc); change, if set, gets every edit (live filters).
 */
void		 prompt_open(struct view *, const char *label,
		    const char *initial, prompt_done_cb done,
		    prompt_change_cb change, void *arg, void (*free_arg)(void *));
/*
 * A yes/no question: y confirms, n and Esc do not; Enter gives
 * default_yes.
 */
void		 prompt_confirm(struct view *, const char *question,
		    bool default_yes, prompt_done_cb yes, void *arg,
		    void (*free_arg)(void *));
/* Keys go to an open prompt first; true when it took the key. */
bool		 prompt_key(struct view *, int key);
void		 prompt_draw(struct view *, int y, int w);
void		 prompt_free(struct prompt *);

/* Line editing shared by the prompt and the run form. */
struct lineedit {
	struct strbuf	*buf;
	size_t		 pos;	/* byte offset of the cursor */
	int		 scroll;	/* first column shown */
};
void		 lineedit_init(struct lineedit *, const char *text);
void		 lineedit_release(struct lineedit *);
void		 lineedit_set(struct lineedit *, const char *text);
const char	*lineedit_text(const struct lineedit *);
/* true when the key edited or moved. */
bool		 lineedit_key(struct lineedit *, int key);
/* Draw in w columns; returns the cursor's column. */
int		 lineedit_draw(struct lineedit *, int y, int x, int w,
		    struct style);

/* Formatting helpers (format.c); the rest is src/format.h. */
/* Sparkline of values (UTF-8 blocks, else ASCII), w cells. */
void		 fmt_sparkline(struct strbuf *, const double *v, size_t n,
		    int w);

#endif
