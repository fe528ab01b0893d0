/*
 * pane-help.h: the keys, generated from the action table and the
 * bindings in force, so it never disagrees with what the keys do. Opened
 * with the pane it was opened from, whose keymap comes first.
 */
#ifndef GUILD_UI_PANE_HELP_H
#define GUILD_UI_PANE_HELP_H

struct pane_ops;

extern const struct pane_ops	pane_help_ops;

#endif
