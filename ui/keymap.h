/*
 * keymap.h: the view's actions, declared once with their help text, and
 * the key bindings that map keys to them.
 *
 * Every action is a row of ACTION_LIST: the enum, the name users write
 * in "bind" lines and the help screen all come from it. Bindings live in
 * keymaps, one per pane type plus "generic"; a key is looked up in the
 * focused pane's keymap first, then in generic. The defaults are a
 * built-in configuration (ui/view-defaults.conf), parsed like the
 * user's file.
 */
#ifndef GUILD_UI_KEYMAP_H
#define GUILD_UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* X(ID, "name", "help") */
#define ACTION_LIST(X) \
	X(QUIT, "quit", "Close the current view; quit at the main screen") \
	X(QUIT_NOW, "quit-now", "Quit guild view") \
	X(CLOSE, "close", "Close the view, cancel, clear the selection") \
	X(HELP, "help", "Show the keys") \
	X(REDRAW, "redraw", "Redraw the screen") \
	X(REFRESH, "refresh", "Reload the project and the runs") \
	X(SUSPEND, "suspend", "Suspend guild view (resume with fg)") \
	X(MOVE_UP, "move-up", "Move up") \
	X(MOVE_DOWN, "move-down", "Move down") \
	X(PAGE_UP, "page-up", "Move up a page") \
	X(PAGE_DOWN, "page-down", "Move down a page") \
	X(HALF_UP, "half-page-up", "Move up half a page") \
	X(HALF_DOWN, "half-page-down", "Move down half a page") \
	X(MOVE_FIRST, "move-first", "Move to the first line") \
	X(MOVE_LAST, "move-last", "Move to the last line (and follow output)") \
	X(SCROLL_LEFT, "scroll-left", "Scroll left (a column in compare)") \
	X(SCROLL_RIGHT, "scroll-right", "Scroll right (a column in compare)") \
	X(NEXT_PANE, "next-pane", "Focus the next pane") \
	X(PREV_PANE, "prev-pane", "Focus the previous pane") \
	X(ENTER, "enter", "Open the selected item") \
	X(ZOOM, "zoom", "Zoom the pane to the full screen and back") \
	X(RUN_OP, "run", "Run the operation (from a run: again, with its flags)") \
	X(STOP, "stop", "Stop the selected runs") \
	X(DELETE, "delete", "Delete the selected runs (to the trash)") \
	X(TRASH, "trash", "Show deleted runs") \
	X(RESTORE, "restore", "Restore the selected deleted runs") \
	X(PURGE, "purge", "Delete the selected deleted runs for good") \
	X(LABEL, "label", "Set the label of the selected runs") \
	X(TAG, "tag", "Edit the tags of the selected runs") \
	X(MARK, "mark", "Mark or unmark the selected runs") \
	X(SELECT, "select", "Select the run for actions on several runs") \
	X(SELECT_ALL, "select-all", "Select every run shown") \
	X(DIFF, "diff", "Diff two runs (the two selected, or this and the next)") \
	X(SHELL, "shell", "Open a shell in the run directory") \
	X(FILES, "files", "Browse the run's files") \
	X(INFO, "info", "Show the run's details") \
	X(COMPARE, "compare", "Compare the runs shown (or selected)") \
	X(PLOT, "plot", "Plot the scalars of the selected runs") \
	X(FILTER, "filter", "Filter runs by a pattern over operation, label and tags") \
	X(FILTER_EXPR, "filter-expr", "Filter runs by an expression, as guild runs -F") \
	X(FILTER_OP, "filter-op", "Show only runs of the selected model or operation") \
	X(SEARCH, "search", "Search the text") \
	X(SEARCH_NEXT, "search-next", "Go to the next match") \
	X(SEARCH_PREV, "search-prev", "Go to the previous match") \
	X(FOLLOW, "follow", "Follow the output again") \
	X(WRAP, "wrap", "Wrap long lines or not") \
	X(SORT_ASC, "sort-asc", "Sort by this column, ascending") \
	X(SORT_DESC, "sort-desc", "Sort by this column, descending") \
	X(HIDE_COLUMN, "hide-column", "Hide this column") \
	X(SHOW_COLUMNS, "show-columns", "Show every hidden column") \
	X(COLUMN_LEFT, "column-left", "Move this column left") \
	X(COLUMN_RIGHT, "column-right", "Move this column right") \
	X(COLUMN_FIRST, "first-column", "Go to the first column") \
	X(COLUMN_LAST, "last-column", "Go to the last column") \
	X(SKIP_UNCHANGED, "skip-unchanged", "Hide columns whose values are all the same") \
	X(NEXT_SCALAR, "next-scalar", "Plot the next scalar") \
	X(PREV_SCALAR, "prev-scalar", "Plot the previous scalar") \
	X(PLOT_STYLE, "plot-style", "Draw with braille dots, blocks or ASCII") \
	X(PLOT_LOG, "plot-log", "Plot on a log scale or a linear one") \
	X(SMOOTH_MORE, "smooth-more", "Smooth the plot more (as TensorBoard)") \
	X(SMOOTH_LESS, "smooth-less", "Smooth the plot less (down to none)") \
	X(METRIC, "metric", "Choose the runs list's metric column (a scalar)") \
	X(SORT_METRIC, "sort-metric", "Sort the runs by the metric: best, worst, newest first") \
	X(SCALAR_STAT, "scalar-stat", "Show each scalar's last, min or max value") \
	X(SIDE_WIDER, "side-wider", "Widen the side panes (models and operations)") \
	X(SIDE_NARROWER, "side-narrower", "Narrow the side panes, down to hidden") \
	X(LAYOUT, "layout", "Side panes on the left, on the right, or hidden") \
	X(IMAGES, "images", "Step through the run's images (errors first)") \
	X(NEXT_IMAGE, "next-image", "Show the next image") \
	X(PREV_IMAGE, "prev-image", "Show the previous image") \
	X(COPY_ID, "copy-id", "Copy the run's id to the clipboard (OSC 52)") \
	X(COPY_DIR, "copy-dir", "Copy the run's directory to the clipboard (OSC 52)") \
	X(EDIT, "edit", "Open the file in $VISUAL or $EDITOR") \
	X(OPEN, "open", "Open the file with the desktop's opener, else $PAGER")

enum action {
	ACT_NONE = 0,
#define ACTION_ENUM(id, name, help) ACT_##id,
	ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
	ACT_COUNT
};

/* Keymaps, one per pane type; KEYMAP_GENERIC applies everywhere. */
#define KEYMAP_LIST(X) \
	X(GENERIC, "generic", "Everywhere") \
	X(MODELS, "models", "Models pane") \
	X(OPS, "ops", "Operations pane") \
	X(RUNS, "runs", "Runs pane") \
	X(OUTPUT, "output", "Output pane") \
	X(INFO, "info", "Run details") \
	X(COMPARE, "compare", "Compare view") \
	X(PLOT, "plot", "Scalar plot") \
	X(TRASH, "trash", "Deleted runs") \
	X(FILES, "files", "Run files") \
	X(TEXT, "text", "File and diff viewer") \
	X(IMAGE, "image", "Image viewer") \
	X(HELP, "help", "Help")

enum keymap_id {
#define KEYMAP_ENUM(id, name, title) KEYMAP_##id,
	KEYMAP_LIST(KEYMAP_ENUM)
#undef KEYMAP_ENUM
	KEYMAP_COUNT
};

/*
 * Keys: a Unicode code point for characters (control keys are 1..31),
 * or KEY_SPECIAL + a curses KEY_* code for function keys.
 */
#define KEY_SPECIAL	0x1000000
#define KEY_CTRL(c)	((c) & 0x1f)

const char	*action_name(enum action);
const char	*action_help(enum action);
/* The action for a name, or ACT_NONE. */
enum action	 action_find(const char *name);

const char	*keymap_title(enum keymap_id);
int		 keymap_find(const char *name);	/* -1 when unknown */

/*
 * Key names: "q", "<Enter>", "<C-c>", "<S-Tab>", "<F1>", "<PgDn>", and
 * "^C" for control keys. Returns the key, or -1.
 */
int		 key_parse(const char *);
/* The canonical name of a key, appended to sb. */
void		 key_format(struct strbuf *, int key);
/* The same without the brackets ("Enter", "C-c"), for key hints. */
void		 key_format_short(struct strbuf *, int key);

struct keymap;

struct keymap	*keymap_new(void);
void		 keymap_free(struct keymap *);
/* Bind (replacing the key's binding in that keymap); ACT_NONE unbinds. */
void		 keymap_bind(struct keymap *, enum keymap_id, int key,
		    enum action);
/* The key's action in km, else in generic; ACT_NONE when unbound. */
enum action	 keymap_lookup(const struct keymap *, enum keymap_id, int key);
/*
 * Keys bound to act in one keymap (not generic's), in binding order;
 * returns how many were stored (up to max).
 */
size_t		 keymap_keys(const struct keymap *, enum keymap_id,
		    enum action, int *keys, size_t max);
/* The first key of an action in km (else generic), or -1. */
int		 keymap_first_key(const struct keymap *, enum keymap_id,
		    enum action);

#endif
