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
 *
 * A metric column (the operation's objective or any scalar) can follow
 * the status, and the list sorts by it. Narrow panes cut the operation
 * and the label, each with an ellipsis, and give up the date before
 * the label: the label says what the run was.
 */
#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "actions.h"
#include "display.h"
#include "format.h"
#include "guildfile.h"
#include "pane-output.h"
#include "pane-runs.h"
#include "pane.h"
#include "prompt.h"
#include "regex.h"
#include "remotesync.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "strbuf.h"
#include "tui.h"
#include "value.h"

struct runspane {
	struct runs_hidden	hidden;
};

/* More runs (un)selected than this since the last count: count again. */
#define RECOUNT_CHANGES	16

/* The metric column's width. */
#define METRIC_W	10
/* Room for the label that is enough to keep the date too. */
#define LABEL_ROOM	24

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

/*
 * Finding one run is a query of the index (milliseconds); reading the
 * rows shown is a page query per 256 rows. Below this many shown runs
 * per selected one, the selected runs are looked for one by one.
 */
#define FIND_EACH_RATIO	200

static bool
run_shown(struct runlist *rl, const char *id)
{
	return runlist_find(rl, id) >= 0;
}

size_t
runs_hidden_count(struct runlist *rl)
{
	struct run_row	*row;
	size_t		 i, n = 0, count;

	if (rl->selected.n == 0 || (!runlist_filtered(rl) &&
	    rl->expr == NULL))
		return 0;
	count = runlist_count(rl);
	if (rl->selected.n * FIND_EACH_RATIO < count) {
		for (i = 0; i < rl->selected.n; i++)
			if (!run_shown(rl, rl->selected.v[i]))
				n++;
		return n;
	}
	/* Those shown that are selected; the others are hidden. */
	for (i = 0; i < count; i++)
		if ((row = runlist_row(rl, i)) != NULL &&
		    runlist_is_selected(rl, row->id))
			n++;
	return rl->selected.n - n;
}

/*
 * Walk two sorted id lists together: *cmp < 0 when now's id is not in
 * was (selected since), > 0 when was's is not in now (unselected since).
 * false at the end of both.
 */
static bool
diff_next(const struct strvec *now, const struct strvec *was, size_t *i,
    size_t *j, int *cmp)
{
	if (*i == now->n && *j == was->n)
		return false;
	*cmp = *i == now->n ? 1 : *j == was->n ? -1 : strcmp(now->v[*i],
	    was->v[*j]);
	return true;
}

/*
 * runs_hidden_count for a title: counted again only when the rows or
 * the selection changed, and for a few runs selected or unselected
 * (Space) only those are looked for. Not known while the filter is
 * still reading runs.
 */
static size_t
hidden_selected(struct runlist *rl, struct runs_hidden *c)
{
	const struct strvec	*now = &rl->selected, *was = &c->selection;
	size_t			 i, j, changed = 0;
	long			 n;
	int			 cmp;
	bool			 same_rows;

	if (rl->selected.n == 0 || runlist_busy(rl, NULL, NULL) ||
	    (!runlist_filtered(rl) && rl->expr == NULL))
		return 0;
	same_rows = c->valid && c->rl == rl && c->generation == rl->generation;
	for (i = j = 0; same_rows && changed <= RECOUNT_CHANGES &&
	    diff_next(now, was, &i, &j, &cmp);) {
		changed += cmp != 0;
		i += cmp <= 0;
		j += cmp >= 0;
	}
	if (same_rows && changed == 0)
		return c->n;
	if (same_rows && changed <= RECOUNT_CHANGES) {
		n = (long)c->n;
		for (i = j = 0; diff_next(now, was, &i, &j, &cmp);) {
			if (cmp < 0 && !run_shown(rl, now->v[i]))
				n++;
			else if (cmp > 0 && !run_shown(rl, was->v[j]))
				n--;
			i += cmp <= 0;
			j += cmp >= 0;
		}
		c->n = n > 0 ? (size_t)n : 0;
	} else
		c->n = runs_hidden_count(rl);
	c->rl = rl;
	c->generation = rl->generation;
	c->valid = true;
	strvec_clear(&c->selection);
	for (i = 0; i < now->n; i++)
		strvec_push(&c->selection, now->v[i]);
	return c->n;
}

void
runs_hidden_release(struct runs_hidden *c)
{
	strvec_clear(&c->selection);
	c->valid = false;
}

void
runs_title_for(struct runlist *rl, const char *name, struct runs_hidden *hc,
    struct strbuf *left, struct strbuf *right)
{
	size_t	hidden;

	size_t	done, total;

	strbuf_addstr(left, name);
	if (runlist_filtered(rl))
		strbuf_addf(left, "  %zu of %zu", runlist_count(rl),
		    runlist_total(rl));
	else
		strbuf_addf(left, "  %zu", runlist_total(rl));
	if (rl->re != NULL)
		strbuf_addf(left, "  /%s/", regex_pattern(rl->re));
	if (runlist_busy(rl, &done, &total))
		strbuf_addf(left, "  filtering %zu%%", done * 100 / total);
	if (rl->expr != NULL)
		strbuf_addf(left, "  :%s", rl->expr);
	if (rl->metric != NULL) {
		static const char *const stats[] = { "", "min ", "max " };

		strbuf_addf(left, "  metric: %s%s", stats[rl->metric_stat],
		    rl->metric);
		if (rl->sort != 0)
			strbuf_addf(left, " (%s first)", (rl->sort < 0) ==
			    rl->metric_max ? "best" : "worst");
	}
	if (rl->model != NULL) {
		strbuf_addf(left, "  op: %s", rl->model);
		if (rl->op != NULL)
			strbuf_addf(left, "%s%s", *rl->model ? ":" : "",
			    rl->op);
	}
	if (rl->selected.n > 0) {
		strbuf_addf(right, "%zu selected", rl->selected.n);
		/* An action on them reaches these too: never unsaid. */
		if ((hidden = hidden_selected(rl, hc)) > 0)
			strbuf_addf(right, ", %zu hidden", hidden);
	}
	if (runlist_running(rl) > 0 && !rl->deleted)
		strbuf_addf(right, "%s%zu running", right->len ? "  " : "",
		    runlist_running(rl));
}

static void
runs_release(struct pane *p)
{
	struct runspane	*rp = p->priv;

	runs_hidden_release(&rp->hidden);
}

static void
runs_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct runspane	*rp = p->priv;

	runs_title_for(p->view->runs, "Runs", &rp->hidden, left, right);
	/* A remote that cannot be synced is said as long as it lasts. */
	remotesync_failing(p->view->remotes, right, right->len > 0 ?
	    "  sync failed: " : "sync failed: ");
}

/* What follows the status: [marked], the label and the tags. */
static void
row_notes(const struct run_row *row, struct strbuf *sb)
{
	size_t	i;

	if (row->marked)
		strbuf_addstr(sb, "[marked] ");
	if (row->label != NULL && *row->label != '\0')
		strbuf_addf(sb, "%s ", row->label);
	for (i = 0; i < row->tags.n; i++)
		strbuf_addf(sb, "#%s ", row->tags.v[i]);
	strbuf_rtrim(sb);
}

/*
 * Whether the rows on screen show the date: not when a label would be
 * cut for it to less than LABEL_ROOM columns (the label tells runs
 * apart, the date less so). Decided for the screen, so the columns
 * stay aligned.
 */
static bool
show_date(struct pane *p, struct runlist *rl, int room, int datew)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct run_row	*row;
	size_t		 i, n = p->h > 1 ? (size_t)p->h - 1 : 1;
	int		 most = 0, tw;

	for (i = p->top; i < p->top + n && i < runlist_count(rl); i++) {
		if ((row = runlist_row(rl, i)) == NULL)
			continue;
		strbuf_reset(&sb);
		row_notes(row, &sb);
		tw = text_width(sb.buf, sb.len);
		if (tw > most)
			most = tw;
	}
	strbuf_release(&sb);
	return most <= room - datew || room - datew >= LABEL_ROOM;
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
	int			 col = x, end = x + w, n, opw, numw, datew, mw;
	size_t			 i;
	double			 mv;

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
	draw_str_cut(y, col, end - col, sb.buf, FIELD(ROLE_ID));
	col += numw;
	if (col >= end)
		goto out;

	strbuf_reset(&sb);
	format_op(&sb, row);
	opw = (int)runlist_op_width(rl);
	if (opw > w / 3)
		opw = w / 3;
	if (opw < 8)
		opw = 8;
	n = draw_str_cut(y, col, opw < end - col ? opw : end - col, sb.buf,
	    FIELD(ROLE_OP));
	col += (n > opw ? n : opw) + 2;
	if (col >= end)
		goto out;

	datew = (narrow ? 11 : 19) + 2;
	mw = rl->metric != NULL ? METRIC_W + 2 : 0;
	if (show_date(p, rl, end - col - 12 - mw, datew)) {
		strbuf_reset(&sb);
		if (narrow)
			format_time_short(&sb, row->started);
		else
			format_time(&sb, row->started);
		draw_str_cut(y, col, end - col, sb.buf, FIELD(ROLE_DATE));
		col += datew;
		if (col >= end)
			goto out;
	}

	st = cursor ? base : theme_style(theme_status_role(row->status));
	draw_str_cut(y, col, end - col, run_status_name(row->status), st);
	col += 10 + 2;
	if (col >= end)
		goto out;

	if (rl->metric != NULL) {
		strbuf_reset(&sb);
		if (!isnan(mv = runlist_metric(rl, row)))
			format_scalar_short(&sb, mv);
		n = text_width(sb.buf, sb.len);
		/* Right-aligned, as numbers are. */
		if (n < METRIC_W)
			draw_str(y, col + METRIC_W - n, end - col - METRIC_W +
			    n, sb.buf, FIELD(ROLE_DEFAULT));
		else
			draw_str_cut(y, col, end - col, sb.buf,
			    FIELD(ROLE_DEFAULT));
		col += mw;
		if (col >= end)
			goto out;
	}

	if (!rl->deleted && (remote = remotesync_remote_of(p->view->remotes,
	    row->id)) != NULL) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "@%s", remote);
		n = draw_str_cut(y, col, end - col, sb.buf, FIELD(ROLE_OP));
		col += n + 1;
	}
	if (row->marked) {
		n = draw_str_cut(y, col, end - col, "[marked]",
		    FIELD(ROLE_MARKED));
		col += n + 1;
	}
	if (row->label != NULL && *row->label != '\0' && col < end) {
		n = draw_str_cut(y, col, end - col, row->label,
		    FIELD(ROLE_LABEL));
		col += n + 1;
	}
	for (i = 0; i < row->tags.n && col < end; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "#%s", row->tags.v[i]);
		n = draw_str_cut(y, col, end - col, sb.buf, FIELD(ROLE_TAG));
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
	/* Not read yet is not none. */
	if (runlist_busy(rl, NULL, NULL))
		draw_str_cut(y, x + 2, w - 2, "Looking for runs that match "
		    "(Esc clears the filter)...", dim);
	else if (p->view->catchup)
		draw_str_cut(y, x + 2, w - 2, "Reading runs...", dim);
	else if (runlist_total(rl) == 0)
		draw_str_cut(y, x + 2, w - 2, "No runs yet: select an "
		    "operation and press Enter (or r) to start one.", dim);
	else
		draw_str_cut(y, x + 2, w - 2, "No runs match the filter (Esc "
		    "clears it).", dim);
}

static void
runs_moved(struct pane *p)
{
	struct view	*v = p->view;

	output_follow_run(v->output, runs_current(p));
}

/*
 * The objective of the operation of the run under the cursor, from the
 * project's guild.yml: "loss" (minimized), "-acc" or {maximize: acc}.
 * NULL when it has none.
 */
static char *
objective_of(struct view *v, const struct run_row *row, bool *maximize)
{
	const struct modeldef	*m;
	const struct opdef	*op;
	const struct value	*o, *k;

	*maximize = false;
	if (v->gf == NULL || row == NULL ||
	    (m = guildfile_model(v->gf, row->model)) == NULL ||
	    (op = modeldef_op(m, row->op)) == NULL ||
	    (o = op->objective) == NULL)
		return NULL;
	if (o->type == VALUE_STRING) {
		if (o->u.s[0] == '-' && o->u.s[1] != '\0') {
			*maximize = true;
			return xstrdup(o->u.s + 1);
		}
		return *o->u.s != '\0' ? xstrdup(o->u.s) : NULL;
	}
	if (o->type == VALUE_MAP) {
		if ((k = value_map_get(o, "maximize")) != NULL &&
		    k->type == VALUE_STRING) {
			*maximize = true;
			return xstrdup(k->u.s);
		}
		if ((k = value_map_get(o, "minimize")) != NULL &&
		    k->type == VALUE_STRING)
			return xstrdup(k->u.s);
	}
	return NULL;
}

/*
 * The metric prompt's answer: "[min|max|last] [-]SCALAR" (a leading -
 * says the higher the better, as objectives do), nothing for the
 * operation's objective, or "none".
 */
static void
metric_done(struct view *v, const char *text, void *arg)
{
	struct pane	*p = arg;
	struct runlist	*rl = p->view->runs;
	char		*name = NULL, *prev;
	const char	*s;
	int		 stat = RUNLIST_LAST;
	bool		 maximize = false;
	long		 i;

	if (text == NULL)
		return;
	s = text + strspn(text, " \t");
	if (*s == '\0') {
		name = objective_of(v, runs_current(p), &maximize);
		if (name == NULL) {
			view_error(v, "This run's operation has no objective: "
			    "name a scalar");
			return;
		}
	} else if (strcmp(s, "none") == 0) {
		;
	} else {
		if (strncmp(s, "min ", 4) == 0 || strncmp(s, "max ", 4) == 0) {
			stat = s[1] == 'i' ? RUNLIST_MIN : RUNLIST_MAX;
			s += 4;
		} else if (strncmp(s, "last ", 5) == 0)
			s += 5;
		s += strspn(s, " \t");
		if (*s == '-') {
			maximize = true;
			s++;
		}
		name = xstrndup(s, strcspn(s, " \t"));
		if (*name == '\0' || s[strlen(name)] != '\0') {
			view_error(v, "Bad metric '%s': [min|max|last] "
			    "[-]SCALAR, or none", text);
			free(name);
			return;
		}
	}
	prev = view_cursor_id(v);
	runlist_set_metric(rl, name, stat);
	rl->metric_max = maximize;
	if (prev != NULL && (i = runlist_find(rl, prev)) >= 0)
		p->cursor = (size_t)i;
	pane_scroll_to_cursor(p);
	free(prev);
	if (name != NULL)
		view_message(v, "Metric column: %s%s (s sorts by it)",
		    stat == RUNLIST_MIN ? "min " : stat == RUNLIST_MAX ?
		    "max " : "", name);
	else
		view_message(v, "No metric column");
	free(name);
	view_dirty(v);
}

static bool
runs_action(struct pane *p, enum action act)
{
	struct view	*v = p->view;
	struct runlist	*rl = v->runs;
	int		 best;

	switch (act) {
	case ACT_METRIC:
		prompt_open(v, "Metric column ([min|max] SCALAR, empty: the "
		    "objective, none): ", rl->metric, metric_done, NULL, p,
		    NULL);
		return true;
	case ACT_SORT_METRIC:
		if (rl->metric == NULL) {
			view_error(v, "No metric column to sort by (M chooses "
			    "one)");
			return true;
		}
		/* Best first, then worst first, then newest first again. */
		best = rl->metric_max ? -1 : 1;
		runlist_set_sort(rl, rl->sort == 0 ? best : rl->sort == best ?
		    -best : 0);
		pane_set_cursor(p, 0);
		pane_scroll_to_cursor(p);
		if (rl->sort == 0)
			view_message(v, "Newest first");
		else
			view_message(v, "Sorted by %s, %s first", rl->metric,
			    rl->sort == best ? "best" : "worst");
		view_dirty(v);
		return true;
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
	{ ACT_METRIC, "metric" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_runs_ops = {
	.name = "runs",
	.keymap = KEYMAP_RUNS,
	.priv_size = sizeof (struct runspane),
	.cursor = true,
	.hints = runs_hints,
	.release = runs_release,
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
