/*
 * pane-form.h: the run form, a box over the main panes: a field per flag
 * of the operation, then label and tags, checked as guild run checks
 * them; the run starts as a detached guild run --background.
 */
#ifndef GUILD_UI_PANE_FORM_H
#define GUILD_UI_PANE_FORM_H

struct pane;
struct view;

/* Open the form for the selected op, or (from a run) to run it again. */
void		 view_run_form(struct view *, struct pane *);

#endif
