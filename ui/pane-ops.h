/*
 * pane-ops.h: the operations of the selected model. Enter (or the run
 * key anywhere) opens the run form for the one under the cursor.
 */
#ifndef GUILD_UI_PANE_OPS_H
#define GUILD_UI_PANE_OPS_H

struct opdef;
struct pane_ops;
struct view;

extern const struct pane_ops	pane_ops_ops;

/* The operation under the ops pane's cursor; NULL when none. */
const struct opdef	*ops_selected(struct view *);

#endif
