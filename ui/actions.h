/*
 * actions.h: the actions that are not one pane's own (quit, focus,
 * filters, and every action on runs: stop, delete, label, ...). Actions
 * on runs apply to the runs selected in the focused list, else to the
 * run under its cursor; those that change runs run guild itself in the
 * background, so the view and the command line behave the same.
 */
#ifndef GUILD_UI_ACTIONS_H
#define GUILD_UI_ACTIONS_H

#include <stdbool.h>

#include "keymap.h"

struct pane;
struct run_row;
struct strvec;
struct view;

/* Run an action that the focused pane did not take. */
void		 view_action(struct view *, enum action);
/* A run of the runs list (or, deleted, of an open trash view). */
const struct run_row *view_find_run(struct view *, const char *id,
		    bool deleted);
/* A shell ($SHELL, else /bin/sh) in dir, with the terminal. */
void		 view_shell(struct view *, const char *dir);
/*
 * Open the file path (its directory dir): edit, in $VISUAL or $EDITOR
 * (else vi) with the terminal; else with the desktop's opener when
 * there is a desktop (xdg-open with DISPLAY or WAYLAND_DISPLAY set),
 * else, text, in $PAGER (else less).
 */
void		 view_open_file(struct view *, const char *dir,
		    const char *path, bool edit, bool text);
/* Forget what it remembers (the last filters), at exit. */
void		 actions_cleanup(void);

#endif
