/*
 * lineedit.h: one line of text being edited (prompt, run form): the
 * text, a cursor on a character boundary of its UTF-8, and the column
 * it is shown from. Keys are those of keymap.h (code points, control
 * keys, KEY_SPECIAL + curses codes); drawing is prompt.h's.
 */
#ifndef GUILD_UI_LINEEDIT_H
#define GUILD_UI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct lineedit {
	struct strbuf	*buf;
	size_t		 pos;	/* byte offset of the cursor */
	int		 scroll;	/* first column shown */
};

/* text may be NULL (empty); the cursor goes to the end. */
void		 lineedit_init(struct lineedit *, const char *text);
void		 lineedit_release(struct lineedit *);
/* Replace the text; the cursor goes to the end. */
void		 lineedit_set(struct lineedit *, const char *text);
const char	*lineedit_text(const struct lineedit *);
/*
 * Edit or move: characters insert, Left/Right/Home/End (C-b C-f C-a
 * C-e) move, Backspace/Del (C-h C-d), C-u, C-k and C-w delete. true
 * when the key was one of these.
 */
bool		 lineedit_key(struct lineedit *, int key);

#endif
