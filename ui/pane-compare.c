/*
 * pane-compare.c: the runs side by side, one row per run and a column
 * per field, flag and scalar, as guild compare.
 *
 * The run column stays at the left while the others scroll a column at
 * a time; any column sorts (numbers as numbers, text naturally, empty
 * cells last), hides, and moves; "skip unchanged" hides the columns
 * whose values are all the same; a scalar column shows the last, min or
 * max value.
 *
 * Every run is compared: rows come from the run index in one query
 * (flags and scalar summaries are cached there), not from each run's
 * files. Unfinished runs are read again on every refresh, and runs
 * added meanwhile join in their place; rows are matched to runs by id,
 * never by position, and the cursor stays on its run.
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

/* Which value of a scalar a column shows. */
enum col_stat {
	STAT_LAST,
	STAT_MIN,
	STAT_MAX,
	STAT_COUNT
};

static const char *const stat_names[] = { "last", "min", "max" };

struct column {
	char		*name;		/* header */
	char		*key;		/* flag or scalar name */
	enum col_kind	 kind;
	enum col_stat	 stat;		/* COL_SCALAR */
	bool		 hidden;
	bool		 unchanged;	/* every row has the same value */
	int		 width;
};

struct cell {
	char	*text;
	bool	 num;
	double	 val;
	bool	 scalar;		/* stats holds last, min and max */
	double	 stats[STAT_COUNT];
};

struct crow {
	char		*id;
	enum run_status	 status;
	int64_t		 ts;		/* the index's order: newest first */
	size_t		 order;		/* in that order: the tie-breaker */
	struct cell	*cells;		/* by column index */
	size_t		 ncells;
};

/* What a reload keeps of the columns: order, hidden, value shown. */
struct colstate {
	enum col_kind	 kind;
	char		*key;		/* key, or name for fixed columns */
	enum col_stat	 stat;
	bool		 hidden;
};

struct comparepane {
	struct runlist	*rl;
	struct column	*cols;
	size_t		 ncols, colalloc;
	size_t		*order;		/* display order of columns */
	struct crow	*rows;
	size_t		 nrows;
	size_t		 ccol;		/* cursor: index into order */
	size_t		 first;		/* first scrolled column shown */
	long		 sort_col;	/* column index, -1 none */
	bool		 sort_desc;
	bool		 skip_unchanged;
	struct strvec	 seen;		/* ids of the list's runs, sorted:
					   those not here are new */
};

/* What rows are read with: flags and scalar summaries, from the index. */
#define COMPARE_WHAT	(RUNINDEX_FLAGS | RUNINDEX_SCALARS)

static bool
unfinished(enum run_status st)
{
	return st == RUN_STATUS_RUNNING || st == RUN_STATUS_PENDING ||
	    st == RUN_STATUS_STAGED;
}

/* Every row has a cell for every column (columns come as rows do). */
static void
grow_cells(struct comparepane *c)
{
	size_t	i, j;

	for (i = 0; i < c->nrows; i++) {
		struct crow	*r = &c->rows[i];

		if (r->ncells >= c->ncols)
			continue;
		r->cells = xreallocarray(r->cells, c->ncols, sizeof *r->cells);
		for (j = r->ncells; j < c->ncols; j++) {
			memset(&r->cells[j], 0, sizeof r->cells[j]);
			r->cells[j].text = xstrdup("");
		}
		r->ncells = c->ncols;
	}
}

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
	/* A column that came after the first load goes at the end. */
	if (c->order != NULL) {
		c->order = xreallocarray(c->order, c->ncols + 1,
		    sizeof *c->order);
		c->order[c->ncols] = c->ncols;
	}
	c->ncols++;
	grow_cells(c);
	return c->ncols - 1;
}

static void
set_cell(struct crow *r, size_t col, const char *text, bool num, double val)
{
	free(r->cells[col].text);
	r->cells[col].text = xstrdup(text);
	r->cells[col].num = num;
	r->cells[col].val = val;
}

/* A scalar cell shows its column's value: last, min or max. */
static void
show_stat(struct cell *cl, enum col_stat stat)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*sv;
	double		 d = cl->stats[stat];

	/* As guild compare's table shows it. */
	sv = value_float(d);
	format_value_cell(&sb, sv);
	value_free(sv);
	free(cl->text);
	cl->text = strbuf_detach(&sb, NULL);
	cl->num = !isnan(d);
	cl->val = d;
}

static void
free_row(struct crow *r)
{
	size_t	j;

	for (j = 0; j < r->ncells; j++)
		free(r->cells[j].text);
	free(r->cells);
	free(r->id);
	r->cells = NULL;
	r->ncells = 0;
	r->id = NULL;
}

static void
free_data(struct comparepane *c)
{
	size_t	i;

	for (i = 0; i < c->nrows; i++)
		free_row(&c->rows[i]);
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

/* The index's order key: started, else initialized. */
static int64_t
row_ts(const struct run_row *row)
{
	return row->started > 0 ? row->started : row->initialized;
}

static int
row_ptr_cmp(const void *a, const void *b)
{
	const struct run_row	*x = *(const struct run_row *const *)a;
	const struct run_row	*y = *(const struct run_row *const *)b;

	if (row_ts(x) != row_ts(y))
		return row_ts(x) > row_ts(y) ? -1 : 1;
	return strcmp(x->id, y->id);
}

/*
 * Row r from its run, its flags and its scalars' summary: a cell per
 * column, numbers kept as numbers for sorting. Flags and scalars the
 * columns do not have yet get one.
 */
static void
fill_row(struct comparepane *c, struct crow *r, size_t i,
    const struct run_row *row)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		j, col;
	int64_t		end;

	free_row(r);
	r->id = xstrdup(row->id);
	r->status = row->status;
	r->ts = row_ts(row);
	r->order = i;
	r->cells = xcalloc(c->ncols + 1, sizeof *r->cells);
	r->ncells = c->ncols;
	for (j = 0; j < c->ncols; j++)
		r->cells[j].text = xstrdup("");
	strbuf_addf(&sb, "%.8s", row->id);
	set_cell(r, COL_RUN, sb.buf, false, 0);
	strbuf_reset(&sb);
	format_op(&sb, row);
	if (row->marked)
		strbuf_addstr(&sb, " [marked]");
	set_cell(r, COL_OP, sb.buf, false, 0);
	strbuf_reset(&sb);
	format_time(&sb, row->started);
	set_cell(r, COL_STARTED, sb.buf, true, (double)row->started);
	strbuf_reset(&sb);
	/* guild compare's time: a running run's so far. */
	end = row->status == RUN_STATUS_RUNNING ? run_now_us() : row->stopped;
	if (format_run_time(&sb, row->started, end, false, 0))
		set_cell(r, COL_TIME, sb.buf, true,
		    (double)(end - row->started));
	set_cell(r, COL_STATUS, run_status_name(row->status), false, 0);
	set_cell(r, COL_LABEL, row->label != NULL ? row->label : "", false, 0);
	if (row->flags != NULL && row->flags->type == VALUE_MAP) {
		for (j = 0; j < row->flags->u.map.n; j++) {
			const struct value	*fv = row->flags->u.map.v[j];
			double			 d = 0;
			bool			 num;

			strbuf_reset(&sb);
			strbuf_addf(&sb, "=%s", row->flags->u.map.k[j]);
			col = add_col(c, COL_FLAG, sb.buf,
			    row->flags->u.map.k[j]);
			strbuf_reset(&sb);
			format_value_cell(&sb, fv);
			num = value_number(fv, &d);
			set_cell(r, col, sb.buf, num, d);
		}
	}
	for (j = 0; row->scalars != NULL && j < row->scalars->n; j++) {
		const struct scalar_stats	*st = &row->scalars->v[j];
		struct cell			*cl;

		if (strncmp(st->key, "sys/", 4) == 0)
			continue;
		col = add_col(c, COL_SCALAR, st->key, st->key);
		cl = &r->cells[col];
		cl->scalar = true;
		cl->stats[STAT_LAST] = st->last.value;
		cl->stats[STAT_MIN] = st->min.value;
		cl->stats[STAT_MAX] = st->max.value;
		show_stat(cl, c->cols[col].stat);
	}
	strbuf_release(&sb);
}

/* Column widths (capped) and which columns hold one value throughout. */
static void
measure_cols(struct comparepane *c)
{
	size_t	i, j, n = c->nrows;

	for (i = 0; i < c->ncols; i++) {
		struct column	*cl = &c->cols[i];
		bool		 same = true;

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

/* A scalar column's header: "loss", "min loss", "max loss" (guild's). */
static void
name_col(struct column *cl)
{
	free(cl->name);
	if (cl->stat == STAT_LAST)
		cl->name = xstrdup(cl->key);
	else
		cl->name = xasprintf("%s %s", stat_names[cl->stat], cl->key);
}

static bool
same_col(const struct column *cl, const struct colstate *cs)
{
	return cl->kind == cs->kind && strcmp(cl->key != NULL ? cl->key :
	    cl->name, cs->key) == 0;
}

/*
 * The columns as they were: their order, which were hidden and which
 * value of a scalar each shows; the cursor and the sort column too.
 */
static struct colstate *
save_cols(struct comparepane *c, size_t *n, long *sort, long *cur)
{
	struct colstate	*cs = xcalloc(c->ncols + 1, sizeof *cs);
	size_t		 i;

	for (i = 0; i < c->ncols; i++) {
		const struct column	*cl = &c->cols[c->order[i]];

		cs[i].kind = cl->kind;
		cs[i].key = xstrdup(cl->key != NULL ? cl->key : cl->name);
		cs[i].stat = cl->stat;
		cs[i].hidden = cl->hidden;
		if ((long)c->order[i] == c->sort_col)
			*sort = (long)i;
		if (i == c->ccol)
			*cur = (long)i;
	}
	*n = c->ncols;
	return cs;
}

/* Put the saved state back on the columns read again; new ones last. */
static void
restore_cols(struct comparepane *c, struct colstate *cs, size_t n, long sort,
    long cur)
{
	size_t	*order = xcalloc(c->ncols + 1, sizeof *order);
	bool	*used = xcalloc(c->ncols + 1, sizeof *used);
	size_t	 i, j, r, k = 0;

	c->sort_col = -1;
	c->ccol = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < c->ncols; j++)
			if (!used[j] && same_col(&c->cols[j], &cs[i]))
				break;
		if (j == c->ncols)
			continue;
		used[j] = true;
		c->cols[j].hidden = cs[i].hidden;
		if (c->cols[j].kind == COL_SCALAR && cs[i].stat != STAT_LAST) {
			c->cols[j].stat = cs[i].stat;
			name_col(&c->cols[j]);
			for (r = 0; r < c->nrows; r++)
				if (c->rows[r].cells[j].scalar)
					show_stat(&c->rows[r].cells[j],
					    cs[i].stat);
		}
		if ((long)i == sort)
			c->sort_col = (long)j;
		if ((long)i == cur)
			c->ccol = k;
		order[k++] = j;
	}
	for (j = 0; j < c->ncols; j++)
		if (!used[j])
			order[k++] = j;
	free(c->order);
	c->order = order;
	free(used);
	for (i = 0; i < n; i++)
		free(cs[i].key);
	free(cs);
}

/* The runs to compare: the selected ones, else those shown. */
static void
read_rows(struct comparepane *c, struct run_rows *out)
{
	struct runlist	*rl = c->rl;
	struct run_rows	 all = RUN_ROWS_INIT, one = RUN_ROWS_INIT;
	size_t		 i;

	if (rl->selected.n > 0) {
		for (i = 0; i < rl->selected.n; i++) {
			if (runindex_prefix(rl->idx, rl->deleted, NULL,
			    rl->selected.v[i], COMPARE_WHAT, &one, NULL,
			    NULL) == 0 && one.n == 1 &&
			    strcmp(one.v[0]->id, rl->selected.v[i]) == 0) {
				run_rows_push(out, one.v[0]);
				one.n = 0;
			}
			run_rows_release(&one);
		}
		/* Selected runs in list order: newest first. */
		if (out->n > 1)
			qsort(out->v, out->n, sizeof *out->v, row_ptr_cmp);
		return;
	}
	/*
	 * Every run shown: one query, not a run directory read per run.
	 * The view's filters are applied to each row, not taken from the
	 * list's places: runs added since the list was read shift those.
	 */
	if (runindex_page(rl->idx, rl->deleted, rl->rf, 0, 0, COMPARE_WHAT,
	    &all, NULL, NULL) == -1) {
		run_rows_release(&all);
		return;
	}
	strvec_clear(&c->seen);
	for (i = 0; i < all.n; i++) {
		strvec_push(&c->seen, all.v[i]->id);
		if (runlist_shows(rl, all.v[i])) {
			run_rows_push(out, all.v[i]);
			all.v[i] = NULL;
		}
	}
	strvec_sort(&c->seen);
	for (i = 0; i < all.n; i++)
		if (all.v[i] != NULL)
			run_row_free(all.v[i]);
	all.n = 0;
	run_rows_release(&all);
}

/* Read every run's flags and scalars; columns are their union. */
static void
load(struct pane *p)
{
	struct comparepane	*c = p->priv;
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct strvec		 flagnames = STRVEC_INIT, keys = STRVEC_INIT;
	struct colstate		*saved = NULL;
	size_t			 nsaved = 0, i, j;
	long			 sort = -1, cur = -1;
	struct strbuf		 sb = STRBUF_INIT;

	if (c->ncols > 0)
		saved = save_cols(c, &nsaved, &sort, &cur);
	free_data(c);
	read_rows(c, &rows);
	/* Flags, then scalars, each sorted: the first columns' order. */
	for (i = 0; i < rows.n; i++) {
		const struct run_row	*row = rows.v[i];

		if (row->flags != NULL && row->flags->type == VALUE_MAP) {
			for (j = 0; j < row->flags->u.map.n; j++)
				if (strvec_find(&flagnames,
				    row->flags->u.map.k[j]) < 0)
					strvec_push(&flagnames,
					    row->flags->u.map.k[j]);
		}
		for (j = 0; row->scalars != NULL && j < row->scalars->n; j++)
			if (strncmp(row->scalars->v[j].key, "sys/", 4) != 0 &&
			    strvec_find(&keys, row->scalars->v[j].key) < 0)
				strvec_push(&keys, row->scalars->v[j].key);
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

	c->rows = xcalloc(rows.n + 1, sizeof *c->rows);
	for (i = 0; i < rows.n; i++) {
		fill_row(c, &c->rows[i], i, rows.v[i]);
		c->nrows = i + 1;
	}
	c->order = xcalloc(c->ncols + 1, sizeof *c->order);
	for (i = 0; i < c->ncols; i++)
		c->order[i] = i;
	if (saved != NULL)
		restore_cols(c, saved, nsaved, sort, cur);
	measure_cols(c);
	run_rows_release(&rows);
	strvec_clear(&flagnames);
	strvec_clear(&keys);
	strbuf_release(&sb);
	if (c->ccol >= c->ncols)
		c->ccol = 0;
	if (c->first >= c->ncols)
		c->first = 1;
}

/*
 * Runs that were not finished are read again (status, time, scalars so
 * far): true when any was. Rows keep their place unless sorted.
 */
static bool
update_live(struct comparepane *c)
{
	struct runlist	*rl = c->rl;
	struct run_rows	 one = RUN_ROWS_INIT;
	size_t		 i;
	bool		 any = false;

	for (i = 0; i < c->nrows; i++) {
		struct crow	*r = &c->rows[i];

		if (!unfinished(r->status))
			continue;
		if (runindex_prefix(rl->idx, rl->deleted, NULL, r->id,
		    COMPARE_WHAT, &one, NULL, NULL) == 0 && one.n == 1 &&
		    strcmp(one.v[0]->id, r->id) == 0) {
			fill_row(c, r, r->order, one.v[0]);
			any = true;
		}
		run_rows_release(&one);
	}
	if (any)
		measure_cols(c);
	return any;
}

/* Whether sorted ids has id. */
static bool
has_id(const struct strvec *ids, const char *id)
{
	return ids->n > 0 && bsearch(&id, ids->v, ids->n, sizeof *ids->v,
	    str_cmp) != NULL;
}

/* More new runs than this: everything is read again in one query. */
#define ADD_ONE_BY_ONE	64

/*
 * Runs of the list that compare has not seen (started since it was
 * read, found by a catch-up) join it, and runs gone leave: true when
 * any did. The rows are not in order yet (place_rows).
 */
static bool
update_runs(struct pane *p)
{
	struct comparepane	*c = p->priv;
	struct runlist		*rl = c->rl;
	struct strvec		 ids = STRVEC_INIT, added = STRVEC_INIT;
	struct run_rows		 one = RUN_ROWS_INIT;
	size_t			 i, j;
	bool			 any = false;

	/* The selected runs are what is compared: new ones are not. */
	if (rl->selected.n > 0)
		return false;
	if (runindex_filter_ids(rl->idx, rl->deleted, rl->rf, &ids,
	    NULL) == -1) {
		strvec_clear(&ids);
		return false;
	}
	strvec_sort(&ids);
	for (i = 0; i < ids.n; i++)
		if (!has_id(&c->seen, ids.v[i]))
			strvec_push(&added, ids.v[i]);
	if (c->seen.n == 0 || added.n > ADD_ONE_BY_ONE) {
		/* Columns, their order and the cursor's run stay. */
		strvec_clear(&ids);
		strvec_clear(&added);
		load(p);
		return true;
	}
	/* Runs gone (deleted, purged by anyone) leave. */
	for (i = j = 0; i < c->nrows; i++) {
		if (!has_id(&ids, c->rows[i].id)) {
			free_row(&c->rows[i]);
			any = true;
			continue;
		}
		c->rows[j++] = c->rows[i];
	}
	c->nrows = j;
	for (i = 0; i < added.n; i++) {
		if (runindex_prefix(rl->idx, rl->deleted, NULL, added.v[i],
		    COMPARE_WHAT, &one, NULL, NULL) == 0 && one.n == 1 &&
		    strcmp(one.v[0]->id, added.v[i]) == 0 &&
		    runlist_shows(rl, one.v[0])) {
			c->rows = xreallocarray(c->rows, c->nrows + 2,
			    sizeof *c->rows);
			memset(&c->rows[c->nrows], 0, sizeof c->rows[c->nrows]);
			/*
			 * Counted first: new flags and scalars make columns
			 * (at the end), and every row counted gets their cells.
			 */
			c->nrows++;
			fill_row(c, &c->rows[c->nrows - 1], c->nrows - 1,
			    one.v[0]);
			any = true;
		}
		run_rows_release(&one);
	}
	strvec_clear(&c->seen);
	c->seen = ids;
	strvec_clear(&added);
	if (any)
		measure_cols(c);
	return any;
}

static int
ts_cmp(const void *a, const void *b)
{
	const struct crow	*x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts > y->ts ? -1 : 1;
	return strcmp(x->id, y->id);
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

/* Put the cursor on the row of run id (when it is still there). */
static void
cursor_to(struct pane *p, const char *id)
{
	struct comparepane	*c = p->priv;
	size_t			 i;

	for (i = 0; id != NULL && i < c->nrows; i++)
		if (strcmp(c->rows[i].id, id) == 0)
			p->cursor = i;
	pane_scroll_to_cursor(p);
}

static void
sort_rows(struct pane *p)
{
	struct comparepane	*c = p->priv;
	char			*id = NULL;

	if (c->sort_col < 0 || c->nrows == 0)
		return;
	if (p->cursor < c->nrows)
		id = xstrdup(c->rows[p->cursor].id);
	sort_ctx = c;
	qsort(c->rows, c->nrows, sizeof *c->rows, row_cmp);
	sort_ctx = NULL;
	cursor_to(p, id);
	free(id);
}

/*
 * Rows in their order after runs joined or moved (a staged run that
 * starts): newest first, then by the sort column when there is one;
 * the cursor stays on run id.
 */
static void
place_rows(struct pane *p, const char *id)
{
	struct comparepane	*c = p->priv;
	size_t			 i;

	if (c->nrows > 1)
		qsort(c->rows, c->nrows, sizeof *c->rows, ts_cmp);
	for (i = 0; i < c->nrows; i++)
		c->rows[i].order = i;
	if (c->sort_col >= 0 && c->nrows > 0) {
		sort_ctx = c;
		qsort(c->rows, c->nrows, sizeof *c->rows, row_cmp);
		sort_ctx = NULL;
	}
	cursor_to(p, id);
}

/* The run under the cursor, to keep it there; caller frees. */
static char *
cursor_id(struct pane *p)
{
	struct comparepane	*c = p->priv;

	return p->cursor < c->nrows ? xstrdup(c->rows[p->cursor].id) : NULL;
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
	strvec_clear(&c->seen);
}

static void
compare_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct comparepane	*c = p->priv;
	size_t			 i, hidden = 0;

	strbuf_addf(left, "Compare  %zu run%s", c->nrows, c->nrows == 1 ? "" :
	    "s");
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
		strbuf_addf(right, "%zu hidden  ", hidden);
	/* Where the cursor is, as tig and less say it. */
	if (c->nrows > 0)
		strbuf_addf(right, "%zu/%zu", p->cursor + 1, c->nrows);
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
	draw_str_cut(y, x, w, cl->text, st);
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
		draw_str_cut(y, x + 1, w - 1, "No runs to compare.",
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
		/* A name wider than its column is cut to it, as cells are. */
		draw_str_cut(y, col, cw < x + w - col ? cw : x + w - col,
		    c->cols[ci].name, i == c->ccol ? hcur : hdr);
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
		/* The best row is what a sort is for: show it. */
		p->cursor = 0;
		p->top = 0;
		view_dirty(v);
		return true;
	case ACT_SCALAR_STAT:
		if (c->cols[ci].kind != COL_SCALAR) {
			view_error(v, "Not a scalar column: last, min and max "
			    "are for scalars");
			return true;
		}
		c->cols[ci].stat = (c->cols[ci].stat + 1) % STAT_COUNT;
		name_col(&c->cols[ci]);
		for (i = 0; i < c->nrows; i++)
			if (c->rows[i].cells[ci].scalar)
				show_stat(&c->rows[i].cells[ci],
				    c->cols[ci].stat);
		measure_cols(c);
		if (c->sort_col == (long)ci)
			sort_rows(p);
		view_message(v, "Showing the %s value of %s",
		    stat_names[c->cols[ci].stat], c->cols[ci].key);
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
	case ACT_REFRESH: {
		char	*id = cursor_id(p);

		/* Runs not read yet (Esc stopped it) are read meanwhile. */
		view_catchup_resume(v);
		view_reload_runs(v);
		load(p);
		place_rows(p, id);
		free(id);
		view_message(v, "Reloaded %zu runs", c->nrows);
		return true;
	}
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

/*
 * After an action of ours, everything is read again (columns keep their
 * order and state); when a refresh found changes, the runs that were
 * not finished are, so a run that ends shows it.
 */
static void
compare_reload(struct pane *p, bool action)
{
	struct comparepane	*c = p->priv;
	char			*id = cursor_id(p);
	bool			 live, runs;

	if (action)
		load(p);
	else {
		live = update_live(c);
		runs = update_runs(p);
		if (!live && !runs) {
			free(id);
			return;
		}
	}
	place_rows(p, id);
	free(id);
	view_dirty(p->view);
}

/* Running runs' time and scalars move on. */
static void
compare_tick(struct pane *p)
{
	struct comparepane	*c = p->priv;
	char			*id;

	if (!update_live(c))
		return;
	id = cursor_id(p);
	place_rows(p, id);
	free(id);
	view_dirty(p->view);
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
	{ ACT_SCALAR_STAT, "last/min/max" },
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
	.tick = compare_tick,
	.current_run = compare_current,
	.runlist = compare_runlist,
	.click = compare_click,
};
