/*
 * pane-text.h: text that scrolls, with search. The text viewer (files,
 * diffs) is a pane type; the help and run details draw through the same
 * textview.
 */
#ifndef GUILD_UI_PANE_TEXT_H
#define GUILD_UI_PANE_TEXT_H

#include <stdbool.h>

#include "keymap.h"
#include "role.h"
#include "textbuf.h"

struct pane;
struct pane_ops;
struct regex;
struct view;

extern const struct pane_ops	pane_text_ops;

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

/* Arguments of the text viewer (pane_text_ops). */
struct text_args {
	char		*title;		/* taken */
	struct textbuf	 buf;		/* taken */
	/* A file's directory and path (taken, may be NULL): !, e, O. */
	char		*dir;
	char		*path;
};

/* Diff two runs (the two selected, or this and the next) in a viewer. */
void		 view_diff(struct view *, struct pane *);

#endif
