/*
 * pane.h: panes, the parts of the screen, each a struct pane with a
 * vtable of its type (struct pane_ops), as tig's views are. What every
 * pane does the same way lives in pane.c: a header line, a body of rows
 * drawn by the type (or the whole body, for plots and tables), a cursor
 * (lists) or a scroll position (texts), and the movement keys.
 *
 * Each pane type's file declares its ops in its own header (pane-*.h).
 */
#ifndef GUILD_UI_PANE_H
#define GUILD_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>

#include "keymap.h"

struct pane;
struct run_row;
struct runlist;
struct strbuf;
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
	/*
	 * The body when count() is 0 (why the list is empty, an error):
	 * drawn instead of the rows.
	 */
	void		(*empty)(struct pane *, int y, int x, int h, int w);
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
/*
 * The header line, then the body: ops->draw if the type has one, else
 * ops->empty when there is nothing to list, else a row per visible
 * item through ops->draw_line, the cursor's row highlighted.
 */
void		 pane_draw(struct pane *);
/* Move the cursor (clamped, scrolled into view); calls moved(). */
void		 pane_set_cursor(struct pane *, size_t);
/* Scroll so that the cursor is visible. */
void		 pane_scroll_to_cursor(struct pane *);
/* Movement actions for lists and texts; true when handled. */
bool		 pane_move(struct pane *, enum action);
/* A click at screen (y, x) inside the pane. */
void		 pane_click(struct pane *, int y, int x);

#endif
