/*
 * pane-runs.h: the runs, newest first, as guild runs lists them. The
 * title and the row are shared with the trash view, which lists deleted
 * runs the same way.
 */
#ifndef GUILD_UI_PANE_RUNS_H
#define GUILD_UI_PANE_RUNS_H

#include <stdbool.h>
#include <stddef.h>

struct pane;
struct pane_ops;
struct runlist;
struct strbuf;

extern const struct pane_ops	pane_runs_ops;

/* The header of a runs list: name, filters, counts. */
void		 runs_title_for(struct runlist *, const char *name,
		    struct strbuf *left, struct strbuf *right);
/* Row idx of a runs list at (y, x), w columns. */
void		 runs_draw_row(struct pane *, struct runlist *, size_t idx,
		    int y, int x, int w, bool cursor);

#endif
