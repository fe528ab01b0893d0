/*
 * pane-compare.c: the runs side by side, one row per run and a column
 * per field, flag and scalar (its last value), as guild compare.
 *
 * The run column stays at the left while the others scroll a column at
 * a time; any column sorts (numbers as numbers, text naturally, empty
 * cells last), hides, and moves; "skip unchanged" hides the columns
 * whose values are all the same.
 */
#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "display.h"
#include "format.h"
#include "pane-compare.h"
#include "pane.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "scalars.h"
#include "strbuf.h"
#include "tui.h"
#include "util.h"
#include "value.h"

#define COMPARE_MAX_RUNS	2000
#define COL_MAX_W		24

enum col_kind {
	COL_RUN,
	COL_OP,
	COL_STARTED,
	COL_TIME,
	COL_STATUS,
	COL_LABEL,
	COL_FLAG,
	COL_SCALAR,
};

struct column {
	char		*name;		/* header */
	char		*key;		/* flag or scalar name */
	enum col_kind	 kind;
	bool		 hidden;
	bool		 unchanged;	/* every row has the same value */
	int		 width;
};

struct cell {
	char	*text;
	bool	 num;
	double	 val;
};

struct crow {
	char		*id;
	enum run_status	 status;
	size_t		 order;		/* as loaded: the tie-breaker */
	struct cell	*cells;		/* by column index */
};

struct comparepane {
	struct runlist	*rl;
	struct column	*cols;
	size_t		 ncols, colalloc;
	size_t		*order;		/* display order of columns */
	struct crow	*rows;
	size_t		 nrows;
	size_t		 total;		/* runs there were to compare */
	size_t		 ccol;		/* cursor: index into order */
	size_t		 first;		/* first scrolled column shown */
	long		 sort_col;	/* column index, -1 none */
	bool		 sort_desc;
	bool		 skip_unchanged;
};

static size_t
add_col(struct comparepane *c, enum col_kind kind, const char *name,
    const char *key)
{
	size_t	i;

	if (key != NULL) {
		for (i = 0; i < c->ncols; i++)
			if (c->cols[i].kind == kind && c->cols[i].key != NULL &&
			    strcmp(c->cols[i].key, key) == 0)
				return i;
	}
	XGROW(c->cols, c->colalloc, c->ncols + 1);
	memset(&c->cols[c->ncols], 0, sizeof c->cols[c->ncols]);
	c->cols[c->ncols].kind = kind;
	c->cols[c->ncols].name = xstrdup(name);
	c->cols[c->ncols].key = key != NULL ? xstrdup(key) : NULL;
	return c->ncols++;
}

static void
set_cell(struct crow *r, size_t col, const char *text, bool num, double val)
{
	free(r->cells[col].text);
	r->cells[col].text = xstrdup(text);
	r->cells[col].num = num;
	r->cells[col].val = val;
}

static void
free_data(struct comparepane *c)
{
	size_t	i, j;

	for (i = 0; i < c->nrows; i++) {
		for (j = 0; j < c->ncols; j++)
			free(c->rows[i].cells[j].text);
		free(c->rows[i].cells);
		free(c->rows[i].id);
	}
	free(c->rows);
	c->rows = NULL;
	c->nrows = 0;
	for (i = 0; i < c->ncols; i++) {
		free(c->cols[i].name);
		free(c->cols[i].key);
	}
	free(c->cols);
	c->cols = NULL;
	c->ncols = c->colalloc = 0;
	free(c->order);
	c->order = NULL;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct crun;
static int	crun_cmp(const void *, const void *);

/* What compare needs of a run, copied: list rows do not stay. */
struct crun {
	char		*id;
	char		*dir;
	char		*op;
	char		*label;
	int64_t		 started, stopped;
	enum run_status	 status;
};

static int
crun_cmp(const void *a, const void *b)
{
	const struct crun	*x = a, *y = b;

	if (x->started != y->started)
		return x->started > y->started ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void
crun_take(struct crun *cr, struct view *v, const struct run_row *row)
{
	struct strbuf	sb = STRBUF_INIT;

	format_op(&sb, row);
	if (row->marked)
		strbuf_addstr(&sb, " [marked]");
	cr->id = xstrdup(row->id);
	cr->dir = xstrdup(row->dir);
	cr->op = strbuf_detach(&sb, NULL);
	cr->label = xstrdup(row->label != NULL ? row->label : "");
	cr->started = row->started;
	cr->stopped = row->stopped;
	cr->status = row->status;
}

/*
 * Row i from its run, its flags and its scalars' summary: a cell per
 * column, numbers kept as numbers for sorting. Flags the columns do not
 * have yet get one.
 */
static void
fill_row(struct comparepane *c, struct crow *r, size_t i,
    const struct crun *cr, const struct value *flags,
    const struct scalars_summary *sums)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		j, k, col;
	int64_t		end;
	struct value	*sv;

	r->id = xstrdup(cr->id);
	r->status = cr->status;
	r->order = i;
	r->cells = xcalloc(c->ncols, sizeof *r->cells);
	for (j = 0; j < c->ncols; j++)
		set_cell(r, j, "", false, 0);
	strbuf_addf(&sb, "%.8s", cr->id);
	set_cell(r, COL_RUN, sb.buf, false, 0);
	set_cell(r, COL_OP, cr->op, false, 0);
	strbuf_reset(&sb);
	format_time(&sb, cr->started);
	set_cell(r, COL_STARTED, sb.buf, true, (double)cr->started);
	strbuf_reset(&sb);
	/* guild compare's time: a running run's so far. */
	end = cr->status == RUN_STATUS_RUNNING ? run_now_us() : cr->stopped;
	if (format_run_time(&sb, cr->started, end, false, 0))
		set_cell(r, COL_TIME, sb.buf, true, (double)(end - cr->started));
	set_cell(r, COL_STATUS, run_status_name(cr->status), false, 0);
	set_cell(r, COL_LABEL, cr->label, false, 0);
	if (flags != NULL && flags->type == VALUE_MAP) {
		for (j = 0; j < flags->u.map.n; j++) {
			const struct value	*fv = flags->u.map.v[j];
			double			 d = 0;
			bool			 num;

			col = add_col(c, COL_FLAG, "", flags->u.map.k[j]);
			strbuf_reset(&sb);
			format_value_cell(&sb, fv);
			num = value_number(fv, &d);
			set_cell(r, col, sb.buf, num, d);
		}
	}
	for (j = 0; j < sums->n; j++) {
		const struct scalar_stats	*st = &sums->v[j];

		if (strncmp(st->key, "sys/", 4) == 0)
			continue;
		for (k = 0; k < c->ncols; k++)
			if (c->cols[k].kind == COL_SCALAR &&
			    strcmp(c->cols[k].key, st->key) == 0)
				break;
		if (k == c->ncols)
			continue;
		/* As guild compare's table shows it. */
		strbuf_reset(&sb);
		sv = value_float(st->last.value);
		format_value_cell(&sb, sv);
		value_free(sv);
		set_cell(r, k, sb.buf, !isnan(st->last.value), st->last.value);
	}
	strbuf_release(&sb);
}

/* Column widths (capped) and which columns hold one value throughout. */
static void
measure_cols(struct comparepane *c)
{
	size_t	i, j, n = c->nrows;

	c->order = xcalloc(c->ncols, sizeof *c->order);
	for (i = 0; i < c->ncols; i++) {
		struct column	*cl = &c->cols[i];
		bool		 same = true;

		c->order[i] = i;
		cl->width = text_width(cl->name, strlen(cl->name));
		for (j = 0; j < n; j++) {
			int	w = text_width(c->rows[j].cells[i].text,
				    strlen(c->rows[j].cells[i].text));

			if (w > cl->width)
				cl->width = w;
			if (j > 0 && strcmp(c->rows[j].cells[i].text,
			    c->rows[0].cells[i].text) != 0)
				same = false;
		}
		if (cl->width > COL_MAX_W)
			cl->width = COL_MAX_W;
		if (cl->width < 3)
			cl->width = 3;
		cl->unchanged = same && n > 1;
	}
}

/* Read every run's flags and scalars; columns are their union. */
static void
load(struct pane *p)
{
	struct comparepane	*c = p->priv;
	struct view		*v = p->view;
	struct runlist		*rl = c->rl;
	struct strvec		 flagnames = STRVEC_INIT, keys = STRVEC_INIT;
	struct strbuf		 sb = STRBUF_INIT;
	const struct run_row	*row;
	struct crun		*runs;
	struct value		**flags;
	struct scalars_summary	*sums;
	struct run		*run;
	size_t			 n = 0, i, j, total;
	bool			 sel = rl->selected.n > 0;

	free_data(c);
	total = sel ? rl->selected.n : runlist_count(rl);
	c->total = total;
	if (total > COMPARE_MAX_RUNS)
		total = COMPARE_MAX_RUNS;
	runs = xcalloc(total + 1, sizeof *runs);
	for (i = 0; i < total; i++) {
		row = sel ? runlist_get(rl, rl->selected.v[i]) :
		    runlist_row(rl, i);
		if (row != NULL)
			crun_take(&runs[n++], v, row);
	}
	/* Selected runs in list order: newest first. */
	if (sel && n > 1)
		qsort(runs, n, sizeof *runs, crun_cmp);
	flags = xcalloc(n + 1, sizeof *flags);
	sums = xcalloc(n + 1, sizeof *sums);
	for (i = 0; i < n; i++) {
		if ((run = run_open(runs[i].dir, NULL)) != NULL)
			run_attr_read(run, "flags", &flags[i], NULL);
		run_free(run);
		scalars_summary_read(runs[i].dir, 0, &sums[i], NULL);
		if (flags[i] != NULL && flags[i]->type == VALUE_MAP) {
			for (j = 0; j < flags[i]->u.map.n; j++)
				if (strvec_find(&flagnames,
				    flags[i]->u.map.k[j]) < 0)
					strvec_push(&flagnames,
					    flags[i]->u.map.k[j]);
		}
		for (j = 0; j < sums[i].n; j++)
			if (strncmp(sums[i].v[j].key, "sys/", 4) != 0 &&
			    strvec_find(&keys, sums[i].v[j].key) < 0)
				strvec_push(&keys, sums[i].v[j].key);
	}
	if (flagnames.n > 1)
		qsort(flagnames.v, flagnames.n, sizeof (char *), str_cmp);
	if (keys.n > 1)
		qsort(keys.v, keys.n, sizeof (char *), str_cmp);

	add_col(c, COL_RUN, "run", NULL);
	add_col(c, COL_OP, "operation", NULL);
	add_col(c, COL_STARTED, "started", NULL);
	add_col(c, COL_TIME, "time", NULL);
	add_col(c, COL_STATUS, "status", NULL);
	add_col(c, COL_LABEL, "label", NULL);
	for (i = 0; i < flagnames.n; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "=%s", flagnames.v[i]);
		add_col(c, COL_FLAG, sb.buf, flagnames.v[i]);
	}
	for (i = 0; i < keys.n; i++)
		add_col(c, COL_SCALAR, keys.v[i], keys.v[i]);

	c->rows = xcalloc(n + 1, sizeof *c->rows);
	for (i = 0; i < n; i++)
		fill_row(c, &c->rows[i], i, &runs[i], flags[i], &sums[i]);
	c->nrows = n;

	measure_cols(c);
	for (i = 0; i < n; i++) {
		value_free(flags[i]);
		scalars_summary_release(&sums[i]);
		free(runs[i].id);
		free(runs[i].dir);
		free(runs[i].op);
		free(runs[i].label);
	}
	free(flags);
	free(sums);
	free(runs);
	strvec_clear(&flagnames);
	strvec_clear(&keys);
	strbuf_release(&sb);
	if (c->ccol >= c->ncols)
		c->ccol = 0;
	if (c->first >= c->ncols)
		c->first = 1;
}

static bool
col_shown(struct comparepane *c, size_t idx)
{
	const struct column	*cl = &c->cols[idx];

	if (cl->kind == COL_RUN)
		return true;
	if (cl->hidden)
		return false;
	if (c->skip_unchanged && cl->unchanged)
		return false;
	return true;
}

static struct comparepane *sort_ctx;

static int
row_cmp(const void *a, const void *b)
{
	const struct crow	*x = a, *y = b;
	const struct cell	*cx, *cy;
	int			 r;

	cx = &x->cells[sort_ctx->sort_col];
	cy = &y->cells[sort_ctx->sort_col];
	/* Empty cells last, whichever the direction. */
	if (*cx->text == '\0' || *cy->text == '\0') {
		if (*cx->text != '\0')
			return -1;
		if (*cy->text != '\0')
			return 1;
		return x->order < y->order ? -1 : 1;
	}
	if (cx->num && cy->num)
		r = cx->val < cy->val ? -1 : cx->val > cy->val ? 1 : 0;
	else if (cx->num != cy->num)
		r = cx->num ? -1 : 1;
	else
		r = natcmp(cx->text, cy->text);
	if (sort_ctx->sort_desc)
		r = -r;
	if (r == 0)
		r = x->order < y->order ? -1 : 1;
	return r;
}

static void
sort_rows(struct pane *p)
{
	struct comparepane	*c = p->priv;
	char			*id = NULL;
	size_t			 i;

	if (c->sort_col < 0 || c->nrows == 0)
		return;
	if (p->cursor < c->nrows)
		id = xstrdup(c->rows[p->cursor].id);
	sort_ctx = c;
	qsort(c->rows, c->nrows, sizeof *c->rows, row_cmp);
	sort_ctx = NULL;
	for (i = 0; id != NULL && i < c->nrows; i++)
		if (strcmp(c->rows[i].id, id) == 0)
			p->cursor = i;
	free(id);
	pane_scroll_to_cursor(p);
}

static void
compare_init(struct pane *p, void *arg)
{
	struct comparepane	*c = p->priv;

	c->rl = arg;
	c->sort_col = -1;
	c->first = 1;
	load(p);
}

static void
compare_release(struct pane *p)
{
	struct comparepane	*c = p->priv;

	free_data(c);
}

static void
compare_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct comparepane	*c = p->priv;
	size_t			 i, hidden = 0;

	strbuf_addf(left, "Compare  %zu run%s", c->nrows, c->nrows == 1 ? "" :
	    "s");
	if (c->total > c->nrows)
		strbuf_addf(left, " (the first of %zu)", c->total);
	if (c->rl->selected.n > 0)
		strbuf_addstr(left, " selected");
	if (c->sort_col >= 0)
		strbuf_addf(left, "  sorted by %s %s",
		    c->cols[c->sort_col].name, c->sort_desc ? "desc" : "asc");
	for (i = 0; i < c->ncols; i++)
		if (!col_shown(c, i))
			hidden++;
	if (c->skip_unchanged)
		strbuf_addstr(right, "unchanged skipped  ");
	if (hidden > 0)
		strbuf_addf(right, "%zu hidden", hidden);
}

static size_t
compare_count(struct pane *p)
{
	struct comparepane	*c = p->priv;

	return c->nrows;
}

/* The columns that fit from c->first, for drawing and scrolling. */
static void
draw_cell(int y, int x, int w, const struct cell *cl, struct style st,
    bool right)
{
	int	tw = text_width(cl->text, strlen(cl->text));

	if (right && tw < w)
		x += w - tw;
	draw_str(y, x, w, cl->text, st);
}

/* Keep the cursor column in view: scroll by whole columns. */
static void
scroll_to_col(struct comparepane *c, int w)
{
	size_t	i;
	int	used;

	if (c->ccol == 0 || c->ncols <= 1)
		return;
	if (c->first < 1)
		c->first = 1;
	if (c->ccol < c->first)
		c->first = c->ccol;
	for (;;) {
		used = c->cols[c->order[0]].width + 2;
		for (i = c->first; i <= c->ccol; i++)
			if (col_shown(c, c->order[i]))
				used += c->cols[c->order[i]].width + 2;
		if (used <= w || c->first >= c->ccol)
			break;
		c->first++;
	}
}

static void
compare_draw(struct pane *p, int y, int x, int h, int w)
{
	struct comparepane	*c = p->priv;
	struct style		 hdr = theme_style(ROLE_HEADER);
	struct style		 hcur = theme_style(ROLE_PANE_TITLE_FOCUS);
	struct style		 st, base;
	size_t			 r, i, ci;
	int			 col, row, cw;

	if (c->nrows == 0) {
		draw_str(y, x + 1, w - 1, "No runs to compare.",
		    theme_style(ROLE_DIM));
		return;
	}
	scroll_to_col(c, w);
	/* Header. */
	draw_fill(y, x, w, hdr);
	for (i = 0, col = x; i < c->ncols && col < x + w; i++) {
		if (i > 0 && i < c->first)
			continue;
		ci = c->order[i];
		if (!col_shown(c, ci))
			continue;
		cw = c->cols[ci].width;
		draw_str(y, col, x + w - col, c->cols[ci].name,
		    i == c->ccol ? hcur : hdr);
		col += cw + 2;
	}
	/* The header takes a row: scroll within the rest. */
	h--;
	if (h < 1)
		return;
	if (p->cursor >= c->nrows)
		p->cursor = c->nrows - 1;
	if (p->cursor < p->top)
		p->top = p->cursor;
	else if (p->cursor >= p->top + (size_t)h)
		p->top = p->cursor - (size_t)h + 1;
	for (row = 0; row < h; row++) {
		r = p->top + (size_t)row;
		if (r >= c->nrows)
			break;
		base = theme_style(ROLE_DEFAULT);
		if (r == p->cursor)
			base = theme_style(ROLE_CURSOR);
		draw_fill(y + 1 + row, x, w, base);
		if (runlist_is_selected(c->rl, c->rows[r].id) && r != p->cursor)
			base = theme_style(ROLE_SELECTED);
		for (i = 0, col = x; i < c->ncols && col < x + w; i++) {
			if (i > 0 && i < c->first)
				continue;
			ci = c->order[i];
			if (!col_shown(c, ci))
				continue;
			cw = c->cols[ci].width;
			st = base;
			if (r != p->cursor) {
				if (c->cols[ci].kind == COL_STATUS)
					st = theme_style(theme_status_role(
					    (int)c->rows[r].status));
				else if (c->cols[ci].kind == COL_RUN)
					st = theme_style(ROLE_ID);
			}
			if (col + cw > x + w)
				cw = x + w - col;
			draw_cell(y + 1 + row, col, cw, &c->rows[r].cells[ci],
			    st, c->rows[r].cells[ci].num &&
			    (c->cols[ci].kind == COL_FLAG ||
			    c->cols[ci].kind == COL_SCALAR));
			col += c->cols[ci].width + 2;
		}
	}
}

/* Move the cursor column to the next shown one. */
static void
move_col(struct comparepane *c, int dir)
{
	size_t	i = c->ccol;

	for (;;) {
		if (dir < 0 && i == 0)
			return;
		i = dir < 0 ? i - 1 : i + 1;
		if (i >= c->ncols)
			return;
		if (col_shown(c, c->order[i])) {
			c->ccol = i;
			return;
		}
	}
}

static bool
compare_action(struct pane *p, enum action act)
{
	struct comparepane	*c = p->priv;
	struct view		*v = p->view;
	size_t			 ci, i, t;

	if (c->ncols == 0)
		return false;
	ci = c->order[c->ccol];
	switch (act) {
	case ACT_SCROLL_LEFT:
		move_col(c, -1);
		if (c->ccol > 0 && c->ccol < c->first)
			c->first = c->ccol;
		view_dirty(v);
		return true;
	case ACT_SCROLL_RIGHT:
		move_col(c, 1);
		view_dirty(v);
		return true;
	case ACT_SORT_ASC:
	case ACT_SORT_DESC:
		c->sort_col = (long)ci;
		c->sort_desc = act == ACT_SORT_DESC;
		sort_rows(p);
		view_dirty(v);
		return true;
	case ACT_HIDE_COLUMN:
		if (c->cols[ci].kind == COL_RUN) {
			view_error(v, "The run column stays");
			return true;
		}
		c->cols[ci].hidden = true;
		if (c->ccol + 1 < c->ncols)
			move_col(c, 1);
		if (!col_shown(c, c->order[c->ccol]))
			move_col(c, -1);
		view_message(v, "Hid %s (X shows every column)",
		    c->cols[ci].name);
		return true;
	case ACT_SHOW_COLUMNS:
		for (i = 0; i < c->ncols; i++)
			c->cols[i].hidden = false;
		c->skip_unchanged = false;
		view_message(v, "Showing every column");
		return true;
	case ACT_COLUMN_LEFT:
	case ACT_COLUMN_RIGHT:
		/* The run column stays first. */
		i = c->ccol;
		if (i == 0)
			return true;
		if (act == ACT_COLUMN_LEFT ? i <= 1 : i + 1 >= c->ncols)
			return true;
		t = act == ACT_COLUMN_LEFT ? i - 1 : i + 1;
		c->order[i] = c->order[t];
		c->order[t] = ci;
		c->ccol = t;
		view_dirty(v);
		return true;
	case ACT_SKIP_UNCHANGED:
		c->skip_unchanged = !c->skip_unchanged;
		if (!col_shown(c, c->order[c->ccol]))
			c->ccol = 0;
		view_message(v, c->skip_unchanged ? "Hiding the columns that "
		    "do not change" : "Showing the columns that do not change");
		return true;
	case ACT_ENTER:
		view_action(v, ACT_INFO);
		return true;
	case ACT_REFRESH:
		load(p);
		sort_rows(p);
		view_message(v, "Reloaded %zu runs", c->nrows);
		return true;
	case ACT_COMPARE:
		return true;
	case ACT_SELECT:
		if (p->cursor < c->nrows) {
			runlist_toggle(c->rl, c->rows[p->cursor].id);
			pane_move(p, ACT_MOVE_DOWN);
		}
		return true;
	case ACT_COLUMN_FIRST:
		/* g and Home go to the first row; the edges have their keys. */
		c->ccol = 0;
		c->first = 1;
		view_dirty(v);
		return true;
	case ACT_COLUMN_LAST:
		for (i = c->ncols; i > 1; i--) {
			if (col_shown(c, c->order[i - 1])) {
				c->ccol = i - 1;
				break;
			}
		}
		view_dirty(v);
		return true;
	default:
		return false;
	}
}

static const struct run_row *
compare_current(struct pane *p)
{
	struct comparepane	*c = p->priv;

	if (p->cursor >= c->nrows)
		return NULL;
	return view_find_run(p->view, c->rows[p->cursor].id, false);
}

static struct runlist *
compare_runlist(struct pane *p)
{
	struct comparepane	*c = p->priv;

	return c->rl;
}

static void
compare_reload(struct pane *p, bool action)
{
	if (!action)
		return;
	load(p);
	sort_rows(p);
	pane_scroll_to_cursor(p);
}

static void
compare_click(struct pane *p, int row, int col)
{
	struct comparepane	*c = p->priv;
	size_t			 r;

	if (row == 0)
		return;
	r = p->top + (size_t)row - 1;
	if (r < c->nrows)
		pane_set_cursor(p, r);
}

static const struct hint compare_hints[] = {
	{ ACT_SORT_ASC, "sort" },
	{ ACT_SORT_DESC, "sort desc" },
	{ ACT_HIDE_COLUMN, "hide" },
	{ ACT_SHOW_COLUMNS, "show all" },
	{ ACT_COLUMN_LEFT, "move left" },
	{ ACT_COLUMN_RIGHT, "move right" },
	{ ACT_SKIP_UNCHANGED, "skip unchanged" },
	{ ACT_ENTER, "info" },
	{ ACT_QUIT, "close" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_compare_ops = {
	.name = "compare",
	.keymap = KEYMAP_COMPARE,
	.priv_size = sizeof (struct comparepane),
	.cursor = true,
	.hints = compare_hints,
	.init = compare_init,
	.release = compare_release,
	.title = compare_title,
	.count = compare_count,
	.draw = compare_draw,
	.action = compare_action,
	.reload = compare_reload,
	.current_run = compare_current,
	.runlist = compare_runlist,
	.click = compare_click,
};
