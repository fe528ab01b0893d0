/*
 * pane-trash.c: deleted runs ($GUILD_HOME/trash/runs), listed like the
 * runs pane. Restore brings runs back; purge deletes them for good.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "display.h"
#include "home.h"
#include "pane-runs.h"
#include "pane-trash.h"
#include "pane.h"
#include "runindex.h"
#include "runlist.h"
#include "strbuf.h"
#include "tui.h"

struct trashpane {
	struct runlist		rl;
	struct runs_hidden	hidden;
};

static void
trash_init(struct pane *p, void *arg)
{
	struct trashpane	*t = p->priv;
	struct view		*v = p->view;
	char			*cause = NULL;

	runlist_init(&t->rl, v->idx, v->home->trash, true);
	if (runlist_load(&t->rl, &cause) == -1)
		view_error_cause(v, cause);
}

static void
trash_release(struct pane *p)
{
	struct trashpane	*t = p->priv;

	runlist_release(&t->rl);
	runs_hidden_release(&t->hidden);
}

static struct runlist *
trash_runlist(struct pane *p)
{
	struct trashpane	*t = p->priv;

	return &t->rl;
}

static size_t
trash_count(struct pane *p)
{
	return runlist_count(trash_runlist(p));
}

static void
trash_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct trashpane	*t = p->priv;

	runs_title_for(&t->rl, "Deleted runs", &t->hidden, left, right);
}

static void
trash_draw_line(struct pane *p, size_t idx, int y, int x, int w,
    bool cursor)
{
	runs_draw_row(p, trash_runlist(p), idx, y, x, w, cursor);
}

static void
trash_empty(struct pane *p, int y, int x, int h, int w)
{
	(void)h;
	draw_str_cut(y, x + 2, w - 2, runlist_total(trash_runlist(p)) == 0 ?
	    "The trash is empty." : "No deleted runs match the filter.",
	    theme_style(ROLE_DIM));
}

static const struct run_row *
trash_current(struct pane *p)
{
	return runlist_row(trash_runlist(p), p->cursor);
}

static bool
trash_action(struct pane *p, enum action act)
{
	struct runlist	*rl = trash_runlist(p);

	switch (act) {
	case ACT_ENTER:
		view_action(p->view, ACT_INFO);
		return true;
	case ACT_TRASH:
		view_pop(p->view);
		return true;
	case ACT_RUN_OP:
	case ACT_COMPARE:
	case ACT_PLOT:
	case ACT_DIFF:
		view_error(p->view, "Restore the runs first (u)");
		return true;
	case ACT_SELECT:
		if (trash_current(p) != NULL) {
			runlist_toggle(rl, trash_current(p)->id);
			pane_move(p, ACT_MOVE_DOWN);
		}
		return true;
	default:
		return false;
	}
}

static void
trash_tick(struct pane *p)
{
	struct runlist	*rl = trash_runlist(p);
	char		*cause = NULL;

	if (runlist_poll(rl, &cause)) {
		pane_scroll_to_cursor(p);
		view_dirty(p->view);
	} else
		free(cause);
}

static void
trash_reload(struct pane *p, bool action)
{
	struct runlist	*rl = trash_runlist(p);
	char		*cause = NULL;

	if (!action)
		return;
	if (runlist_load(rl, &cause) == -1)
		view_error_cause(p->view, cause);
	pane_scroll_to_cursor(p);
}

static const struct hint trash_hints[] = {
	{ ACT_RESTORE, "restore" },
	{ ACT_PURGE, "purge" },
	{ ACT_SELECT, "select" },
	{ ACT_ENTER, "info" },
	{ ACT_QUIT, "close" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_trash_ops = {
	.name = "trash",
	.keymap = KEYMAP_TRASH,
	.priv_size = sizeof (struct trashpane),
	.cursor = true,
	.hints = trash_hints,
	.init = trash_init,
	.release = trash_release,
	.title = trash_title,
	.count = trash_count,
	.draw_line = trash_draw_line,
	.empty = trash_empty,
	.action = trash_action,
	.tick = trash_tick,
	.reload = trash_reload,
	.current_run = trash_current,
	.runlist = trash_runlist,
};
