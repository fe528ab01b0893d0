/*
 * pane-runs.c: the runs, newest first, as guild runs lists them:
 *
 *	[0:19c67a72]  ./fashion:train  2026-01-02 15:57:32  completed  label
 *
 * A run of a remote (remotesync.h) has the remote's name after its
 * status: "running     @gpu".
 *
 * Moving the cursor makes the output pane follow the run. The list is
 * the view's runlist, so filters and the selection for actions on
 * several runs are shared with compare and plot.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "actions.h"
#include "display.h"
#include "format.h"
#include "pane-output.h"
#include "pane-runs.h"
#include "pane.h"
#include "regex.h"
#include "remotesync.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "strbuf.h"
#include "tui.h"

static size_t
runs_count(struct pane *p)
{
	return runlist_count(p->view->runs);
}

static const struct run_row *
runs_current(struct pane *p)
{
	return runlist_row(p->view->runs, p->cursor);
}

static struct runlist *
runs_runlist(struct pane *p)
{
	return p->view->runs;
}

void
runs_title_for(struct runlist *rl, const char *name, struct strbuf *left,
    struct strbuf *right)
{
	strbuf_addstr(left, name);
	if (runlist_filtered(rl))
		strbuf_addf(left, "  %zu of %zu", runlist_count(rl),
		    runlist_total(rl));
	else
		strbuf_addf(left, "  %zu", runlist_total(rl));
	if (rl->re != NULL)
		strbuf_addf(left, "  /%s/", regex_pattern(rl->re));
	if (rl->expr != NULL)
		strbuf_addf(left, "  :%s", rl->expr);
	if (rl->model != NULL) {
		strbuf_addf(left, "  op: %s", rl->model);
		if (rl->op != NULL)
			strbuf_addf(left, "%s%s", *rl->model ? ":" : "",
			    rl->op);
	}
	if (rl->selected.n > 0)
		strbuf_addf(right, "%zu selected", rl->selected.n);
	if (runlist_running(rl) > 0 && !rl->deleted)
		strbuf_addf(right, "%s%zu running", right->len ? "  " : "",
		    runlist_running(rl));
}

static void
runs_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	runs_title_for(p->view->runs, "Runs", left, right);
	/* A remote that cannot be synced is said as long as it lasts. */
	remotesync_failing(p->view->remotes, right, right->len > 0 ?
	    "  sync failed: " : "sync failed: ");
}

void
runs_draw_row(struct pane *p, struct runlist *rl, size_t idx, int y, int x,
    int w, bool cursor)
{
	const struct run_row	*row = runlist_row(rl, idx);
	struct strbuf		 sb = STRBUF_INIT;
	struct style		 base, st;
	bool			 sel;
	bool			 narrow = w < 90;
	const char		*remote;
	int			 col = x, end = x + w, n, opw, numw;
	size_t			 i;

	base = theme_style(ROLE_DEFAULT);
	if (cursor)
		base = theme_style(p->focused ? ROLE_CURSOR : ROLE_CURSOR_BLUR);
	draw_fill(y, x, w, base);
	if (row == NULL)
		return;
	sel = runlist_is_selected(rl, row->id);
#define FIELD(role) (cursor ? base : theme_style(role))

	/* The selection gutter. */
	if (sel)
		draw_cp(y, col, display_utf8 ? 0x25cf : '*',
		    cursor ? base : theme_style(ROLE_SELECTED));
	col += 2;

	strbuf_addf(&sb, "%zu", runlist_total(rl) > 0 ?
	    runlist_total(rl) - 1 : 0);
	numw = (int)sb.len + 13;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "[%zu:%.8s]", runlist_number(rl, idx) +
	    compat_index_base(), row->id);
	draw_str(y, col, end - col, sb.buf, FIELD(ROLE_ID));
	col += numw;

	strbuf_reset(&sb);
	format_op(&sb, row);
	opw = (int)runlist_op_width(rl);
	if (opw > w / 3)
		opw = w / 3;
	if (opw < 8)
		opw = 8;
	n = draw_text(y, col, opw, 0, sb.buf, sb.len, FIELD(ROLE_OP));
	col += (n > opw ? n : opw) + 2;
	if (col >= end)
		goto out;

	strbuf_reset(&sb);
	if (narrow)
		format_time_short(&sb, row->started);
	else
		format_time(&sb, row->started);
	draw_str(y, col, end - col, sb.buf, FIELD(ROLE_DATE));
	col += (narrow ? 11 : 19) + 2;
	if (col >= end)
		goto out;

	st = cursor ? base : theme_style(theme_status_role(row->status));
	draw_str(y, col, end - col, run_status_name(row->status), st);
	col += 10 + 2;
	if (col >= end)
		goto out;

	if (!rl->deleted && (remote = remotesync_remote_of(p->view->remotes,
	    row->id)) != NULL) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "@%s", remote);
		n = draw_str(y, col, end - col, sb.buf, FIELD(ROLE_OP));
		col += n + 1;
	}
	if (row->marked) {
		n = draw_str(y, col, end - col, "[marked]", FIELD(ROLE_MARKED));
		col += n + 1;
	}
	if (row->label != NULL && *row->label != '\0') {
		n = draw_str(y, col, end - col, row->label, FIELD(ROLE_LABEL));
		col += n + 1;
	}
	for (i = 0; i < row->tags.n && col < end; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "#%s", row->tags.v[i]);
		n = draw_str(y, col, end - col, sb.buf, FIELD(ROLE_TAG));
		col += n + 1;
	}
#undef FIELD
out:
	strbuf_release(&sb);
}

static void
runs_draw_line(struct pane *p, size_t idx, int y, int x, int w, bool cursor)
{
	runs_draw_row(p, p->view->runs, idx, y, x, w, cursor);
}

static void
runs_empty(struct pane *p, int y, int x, int h, int w)
{
	struct runlist	*rl = p->view->runs;
	struct style	 dim = theme_style(ROLE_DIM);

	(void)h;
	if (runlist_total(rl) == 0)
		draw_str(y, x + 2, w - 2, "No runs yet: select an operation "
		    "and press Enter (or r) to start one.", dim);
	else
		draw_str(y, x + 2, w - 2, "No runs match the filter (Esc "
		    "clears it).", dim);
}

static void
runs_moved(struct pane *p)
{
	struct view	*v = p->view;

	output_follow_run(v->output, runs_current(p));
}

static bool
runs_action(struct pane *p, enum action act)
{
	struct view	*v = p->view;

	switch (act) {
	case ACT_ENTER:
		view_action(v, ACT_INFO);
		return true;
	case ACT_SELECT:
		if (runs_current(p) != NULL) {
			runlist_toggle(v->runs, runs_current(p)->id);
			pane_move(p, ACT_MOVE_DOWN);
		}
		view_dirty(v);
		return true;
	default:
		return false;
	}
}

static void
runs_tick(struct pane *p)
{
	runs_moved(p);
}

static void
runs_click(struct pane *p, int row, int col)
{
	size_t	i = p->top + (size_t)row;

	if (i < runs_count(p))
		pane_set_cursor(p, i);
}

static const struct hint runs_hints[] = {
	{ ACT_ENTER, "info" },
	{ ACT_SELECT, "select" },
	{ ACT_RUN_OP, "run again" },
	{ ACT_STOP, "stop" },
	{ ACT_DELETE, "delete" },
	{ ACT_LABEL, "label" },
	{ ACT_COMPARE, "compare" },
	{ ACT_PLOT, "plot" },
	{ ACT_FILTER, "filter" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_runs_ops = {
	.name = "runs",
	.keymap = KEYMAP_RUNS,
	.cursor = true,
	.hints = runs_hints,
	.title = runs_title,
	.count = runs_count,
	.draw_line = runs_draw_line,
	.empty = runs_empty,
	.moved = runs_moved,
	.action = runs_action,
	.tick = runs_tick,
	.current_run = runs_current,
	.runlist = runs_runlist,
	.click = runs_click,
};
