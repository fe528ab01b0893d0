/*
 * pane-models.h: the models of the project in the current directory,
 * the first of the main panes. Moving here changes the operations pane
 * (and, with filter-op, the runs shown).
 */
#ifndef GUILD_UI_PANE_MODELS_H
#define GUILD_UI_PANE_MODELS_H

struct modeldef;
struct pane_ops;
struct view;

extern const struct pane_ops	pane_models_ops;

/* The model under the models pane's cursor; NULL without a project. */
const struct modeldef	*models_selected(struct view *);

#endif
