/*
 * role.h: the colour roles of guild view, the names "color" lines and
 * the theme use. No curses here, so the pure parts of ui/ (text
 * buffers) can name a role without a screen; theme.h gives them styles.
 */
#ifndef GUILD_UI_ROLE_H
#define GUILD_UI_ROLE_H

/*
 * X(ID, "name", monochrome attributes). The attributes are curses
 * A_* names, expanded only where <curses.h> is included (theme.c).
 */
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

#endif
