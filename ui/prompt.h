/*
 * prompt.h: the status line as a line editor (filters, labels, tags,
 * searches) and as a yes/no question. An open prompt takes every key
 * before the panes and the keymap see it.
 */
#ifndef GUILD_UI_PROMPT_H
#define GUILD_UI_PROMPT_H

#include <stdbool.h>

#include "theme.h"

struct lineedit;
struct prompt;
struct view;

typedef void	(*prompt_done_cb)(struct view *, const char *text, void *arg);
typedef void	(*prompt_change_cb)(struct view *, const char *text, void *arg);
/*
 * Ask for a line of text, starting empty; initial (the value now, may
 * be NULL) comes back with Up (C-p), and Down (C-n) empties the line
 * again. done gets the text (NULL when cancelled with
 * Esc); change, if set, gets every edit (live filters). free_arg, if
 * set, frees arg when the prompt closes.
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
/* Draw the open prompt on row y, w columns wide. */
void		 prompt_draw(struct view *, int y, int w);
void		 prompt_free(struct prompt *);

/*
 * Draw a line editor in w columns, scrolled so that its cursor shows
 * (shared with the run form); returns the cursor's column.
 */
int		 lineedit_draw(struct lineedit *, int y, int x, int w,
		    struct style);

#endif
