/*
 * pane-runs.h: the runs, newest first, as guild runs lists them. The
 * title and the row are shared with the trash view, which lists deleted
 * runs the same way.
 */
#ifndef GUILD_UI_PANE_RUNS_H
#define GUILD_UI_PANE_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strvec.h"

struct pane;
struct pane_ops;
struct runlist;
struct strbuf;

extern const struct pane_ops	pane_runs_ops;

/*
 * How many of the selected runs a filter (a pattern, an operation, an
 * expression) hides: what an action on the selection reaches unseen.
 */
size_t		 runs_hidden_count(struct runlist *);
/*
 * The same as last counted for a title: finding runs takes queries, so
 * they are counted again only when the rows or the selection changed.
 * Zeroed, it is empty; runs_hidden_release frees it.
 */
struct runs_hidden {
	const struct runlist	*rl;
	uint64_t		 generation;
	struct strvec		 selection;	/* as counted */
	size_t			 n;
	bool			 valid;
};
void		 runs_hidden_release(struct runs_hidden *);
/*
 * The header of a runs list: name, filters, counts ("3 selected, 2
 * hidden" when the filter hides selected runs).
 */
void		 runs_title_for(struct runlist *, const char *name,
		    struct runs_hidden *, struct strbuf *left,
		    struct strbuf *right);
/* Row idx of a runs list at (y, x), w columns. */
void		 runs_draw_row(struct pane *, struct runlist *, size_t idx,
		    int y, int x, int w, bool cursor);

#endif
