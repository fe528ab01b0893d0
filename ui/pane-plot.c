/*
 * pane-plot.c: one scalar of one or more runs against its step. Drawn
 * with braille dots (2x4 per cell) on UTF-8 terminals, half blocks, or
 * ASCII; each run in its own colour (or symbol, without colour). Live
 * runs are re-read every refresh.
 *
 * The values can be smoothed as TensorBoard smooths them (an
 * exponential moving average, debiased so the first points are not
 * pulled towards zero) and drawn on a log scale. Runs are told apart by
 * the flags whose values differ between them, as people name them.
 */
#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "display.h"
#include "format.h"
#include "home.h"
#include "pane-plot.h"
#include "pane.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "scalars.h"
#include "strbuf.h"
#include "tui.h"
#include "util.h"
#include "value.h"
#include "viewconf.h"

#define PLOT_MAX_RUNS	12

enum plot_style {
	PLOT_BRAILLE,
	PLOT_BLOCKS,
	PLOT_ASCII,
};

struct plotrun {
	char			*id;
	char			*dir;
	char			*name;		/* legend: flags that differ */
	bool			 live;
	struct scalars_summary	 sum;
};

/* Smoothing weights [ and ] step through; 0 is off. */
static const double	smooth_steps[] = {
	0, 0.3, 0.6, 0.8, 0.9, 0.95, 0.99,
};

struct plotpane {
	struct plotrun	*runs;
	size_t		 nruns;
	size_t		 more;		/* runs left out */
	struct strvec	 keys;
	size_t		 key;
	enum plot_style	 style;
	bool		 logy;		/* log10 value axis */
	double		 smooth;	/* TensorBoard's weight; 0: none */
};

/* A cell of the canvas: sub-cell dots and the run that drew last. */
struct pcell {
	unsigned char	bits;
	signed char	series;
};

struct canvas {
	struct pcell	*cells;
	int		 w, h;		/* cells */
	int		 sx, sy;	/* dots per cell */
};

static int
str_cmp(const void *a, const void *b)
{
	return natcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The value of flag key in vals ("KEY\tVALUE" lines); "" when unset. */
static const char *
flag_of(const struct strvec *vals, const char *key)
{
	size_t	i, n = strlen(key);

	for (i = 0; i < vals->n; i++)
		if (strncmp(vals->v[i], key, n) == 0 && vals->v[i][n] == '\t')
			return vals->v[i] + n + 1;
	return "";
}

static void
plot_load(struct pane *p)
{
	struct plotpane	*pp = p->priv;
	struct run	*run;
	size_t		 i, j;
	char		*current = pp->keys.n > 0 ?
			    xstrdup(pp->keys.v[pp->key]) : NULL;
	enum run_status	 st;

	strvec_clear(&pp->keys);
	for (i = 0; i < pp->nruns; i++) {
		struct plotrun	*r = &pp->runs[i];

		scalars_summary_release(&r->sum);
		scalars_summary_read(r->dir, SCALARS_SERIES, &r->sum, NULL);
		if ((run = run_open(r->dir, NULL)) != NULL) {
			st = run_get_status(run);
			r->live = st == RUN_STATUS_RUNNING ||
			    st == RUN_STATUS_PENDING;
			run_free(run);
		}
		for (j = 0; j < r->sum.n; j++)
			if (strncmp(r->sum.v[j].key, "sys/", 4) != 0 &&
			    strvec_find(&pp->keys, r->sum.v[j].key) < 0)
				strvec_push(&pp->keys, r->sum.v[j].key);
	}
	if (pp->keys.n > 1)
		qsort(pp->keys.v, pp->keys.n, sizeof (char *), str_cmp);
	pp->key = 0;
	if (current != NULL) {
		long	k = strvec_find(&pp->keys, current);

		if (k >= 0)
			pp->key = (size_t)k;
	} else {
		/* Loss first: what people look at. */
		long	k = strvec_find(&pp->keys, "loss");

		if (k >= 0)
			pp->key = (size_t)k;
	}
	free(current);
}

/*
 * Each run's legend: the flags whose values are not the same in every
 * run plotted ("lr=0.1 epochs=2"), as the runs were told apart when
 * they were started; the short id when no flag differs.
 */
static void
plot_names(struct plotpane *pp)
{
	struct strvec	 keys = STRVEC_INIT, *vals;
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*flags;
	struct run	*run;
	size_t		 i, j, k;
	long		 at;

	vals = xcalloc(pp->nruns + 1, sizeof *vals);
	for (i = 0; i < pp->nruns; i++) {
		flags = NULL;
		if ((run = run_open(pp->runs[i].dir, NULL)) != NULL)
			run_attr_read(run, "flags", &flags, NULL);
		run_free(run);
		if (flags == NULL || flags->type != VALUE_MAP) {
			value_free(flags);
			continue;
		}
		for (j = 0; j < flags->u.map.n; j++) {
			if ((at = strvec_find(&keys, flags->u.map.k[j])) < 0) {
				strvec_push(&keys, flags->u.map.k[j]);
				at = (long)keys.n - 1;
			}
			strbuf_reset(&sb);
			format_value_cell(&sb, flags->u.map.v[j]);
			/* vals[i]: "KEY\tVALUE" for each flag of run i. */
			strvec_pushf(&vals[i], "%s\t%s", keys.v[at], sb.buf);
		}
		value_free(flags);
	}
	if (keys.n > 1)
		qsort(keys.v, keys.n, sizeof (char *), str_cmp);
	for (i = 0; i < pp->nruns; i++) {
		strbuf_reset(&sb);
		for (k = 0; pp->nruns > 1 && k < keys.n; k++) {
			const char	*v0 = flag_of(&vals[0], keys.v[k]);
			const char	*vi = flag_of(&vals[i], keys.v[k]);
			bool		 differ = false;

			for (j = 1; j < pp->nruns && !differ; j++)
				differ = strcmp(flag_of(&vals[j], keys.v[k]),
				    v0) != 0;
			if (!differ)
				continue;
			strbuf_addf(&sb, "%s%s=%s", sb.len > 0 ? " " : "",
			    keys.v[k], *vi != '\0' ? vi : "-");
		}
		if (sb.len == 0)
			strbuf_addf(&sb, "%.8s", pp->runs[i].id);
		free(pp->runs[i].name);
		pp->runs[i].name = strbuf_detach(&sb, NULL);
	}
	for (i = 0; i < pp->nruns; i++)
		strvec_clear(&vals[i]);
	free(vals);
	strvec_clear(&keys);
	strbuf_release(&sb);
}

static void
plot_init(struct pane *p, void *arg)
{
	struct plotpane		*pp = p->priv;
	struct strvec		*ids = arg;
	struct view		*v = p->view;
	const struct run_row	*row;
	size_t			 i;

	pp->runs = xcalloc(ids->n + 1, sizeof *pp->runs);
	for (i = 0; i < ids->n; i++) {
		if (pp->nruns == PLOT_MAX_RUNS) {
			pp->more++;
			continue;
		}
		row = view_find_run(v, ids->v[i], false);
		pp->runs[pp->nruns].id = xstrdup(ids->v[i]);
		pp->runs[pp->nruns].dir = row != NULL ? xstrdup(row->dir) :
		    path_join(v->home->runs, ids->v[i]);
		pp->nruns++;
	}
	if (view_settings.plot_style >= 0)
		pp->style = (enum plot_style)view_settings.plot_style;
	else
		pp->style = display_utf8 ? PLOT_BRAILLE : PLOT_ASCII;
	pp->smooth = view_settings.plot_smoothing;
	plot_names(pp);
	plot_load(p);
	if (pp->more > 0)
		view_message(v, "Plotting %zu of the %zu runs selected (at most "
		    "%d)", pp->nruns, pp->nruns + pp->more, PLOT_MAX_RUNS);
}

static void
plot_release(struct pane *p)
{
	struct plotpane	*pp = p->priv;
	size_t		 i;

	for (i = 0; i < pp->nruns; i++) {
		free(pp->runs[i].id);
		free(pp->runs[i].dir);
		free(pp->runs[i].name);
		scalars_summary_release(&pp->runs[i].sum);
	}
	free(pp->runs);
	strvec_clear(&pp->keys);
}

static void
plot_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct plotpane	*pp = p->priv;
	static const char *const names[] = { "braille", "blocks", "ascii" };

	strbuf_addstr(left, "Plot");
	if (pp->keys.n > 0)
		strbuf_addf(left, "  %s  (%zu/%zu, Left/Right for others)",
		    pp->keys.v[pp->key], pp->key + 1, pp->keys.n);
	if (pp->smooth > 0)
		strbuf_addf(right, "smoothing %.2g  ", pp->smooth);
	if (pp->logy)
		strbuf_addstr(right, "log  ");
	strbuf_addf(right, "%s", names[pp->style]);
}

static void
canvas_set(struct canvas *cv, int dx, int dy, int series)
{
	static const unsigned char	braille[4][2] = {
		{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 },
	};
	struct pcell			*c;
	int				 cx = dx / cv->sx, cy = dy / cv->sy;

	if (dx < 0 || dy < 0 || cx >= cv->w || cy >= cv->h)
		return;
	c = &cv->cells[cy * cv->w + cx];
	if (cv->sx == 2)
		c->bits |= braille[dy % 4][dx % 2];
	else if (cv->sy == 2)
		c->bits |= (dy % 2) == 0 ? 1 : 2;
	else
		c->bits = 1;
	c->series = (signed char)series;
}

static void
canvas_line(struct canvas *cv, int x0, int y0, int x1, int y1, int series)
{
	int	dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int	sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int	err = dx + dy, e2, guard = 0;

	for (;;) {
		canvas_set(cv, x0, y0, series);
		if ((x0 == x1 && y0 == y1) || ++guard > 100000)
			break;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

static const struct scalar_stats *
run_key(const struct plotrun *r, const char *key)
{
	return scalars_summary_find(&r->sum, key);
}

static void
fmt_axis(struct strbuf *sb, double v)
{
	format_scalar_short(sb, v);
	if (sb->len > 10) {
		strbuf_reset(sb);
		strbuf_addf(sb, "%.3g", v);
	}
}

static const char	plot_symbols[] = "*+ox#@";

/* The range of steps and values of the scalar over every run. */
struct bounds {
	double	xmin, xmax, ymin, ymax;
};

/*
 * The values as drawn: smoothed as TensorBoard does (last = last * w +
 * (1 - w) * value, divided by 1 - w^n so the start is not biased to
 * zero; values that are not finite pass through and do not count), then
 * log10 on a log scale (where values <= 0 have no place: NaN). Caller
 * frees.
 */
static double *
plot_values(const struct plotpane *pp, const struct scalar_stats *s,
    bool logy)
{
	double	*y = xcalloc(s->nseries + 1, sizeof *y);
	double	 last = 0, w = pp->smooth;
	size_t	 j, n = 0;

	for (j = 0; j < s->nseries; j++) {
		double	sv = s->series[j].value;

		if (w > 0 && isfinite(sv)) {
			last = last * w + (1 - w) * sv;
			n++;
			sv = last / (1 - pow(w, (double)n));
		}
		if (logy)
			sv = sv > 0 ? log10(sv) : NAN;
		y[j] = sv;
	}
	return y;
}

static void
plot_bounds(const struct plotpane *pp, const char *key, struct bounds *b)
{
	size_t	i, j;

	b->xmin = b->ymin = INFINITY;
	b->xmax = b->ymax = -INFINITY;
	for (i = 0; i < pp->nruns; i++) {
		const struct scalar_stats	*s = run_key(&pp->runs[i], key);
		double				*y;

		if (s == NULL)
			continue;
		y = plot_values(pp, s, pp->logy);
		for (j = 0; j < s->nseries; j++) {
			double	sv = y[j];
			double	st = (double)s->series[j].step;

			if (isnan(sv) || isinf(sv))
				continue;
			if (st < b->xmin)
				b->xmin = st;
			if (st > b->xmax)
				b->xmax = st;
			if (sv < b->ymin)
				b->ymin = sv;
			if (sv > b->ymax)
				b->ymax = sv;
		}
		free(y);
	}
}

/* The legend, a line per run, up to a third of h; returns its rows. */
static int
plot_legend(struct plotpane *pp, const char *key, int y, int x, int h, int w)
{
	struct strbuf	sb = STRBUF_INIT, stats = STRBUF_INIT;
	size_t		i;
	int		legend, row, col, namew;

	legend = (int)pp->nruns + (pp->more > 0 ? 1 : 0);
	if (legend > h / 3)
		legend = h / 3;
	for (i = 0, row = 0; i < pp->nruns && row < legend; i++, row++) {
		const struct scalar_stats	*s = run_key(&pp->runs[i], key);
		struct style			 st = theme_style((enum role)
						    (ROLE_SERIES1 + (int)(i %
						    SERIES_COUNT)));

		strbuf_reset(&stats);
		if (s != NULL) {
			strbuf_addf(&stats, "  last ");
			format_scalar_short(&stats, s->last.value);
			strbuf_addf(&stats, " (step %lld)", s->last.step);
			if (pp->smooth > 0 && s->nseries > 0) {
				double	*sm = plot_values(pp, s, false);

				strbuf_addstr(&stats, "  smoothed ");
				format_scalar_short(&stats, sm[s->nseries - 1]);
				free(sm);
			}
			strbuf_addstr(&stats, "  min ");
			format_scalar_short(&stats, s->min.value);
			strbuf_addstr(&stats, "  max ");
			format_scalar_short(&stats, s->max.value);
			if (pp->runs[i].live)
				strbuf_addstr(&stats, "  live");
		} else
			strbuf_addstr(&stats, "  (no such scalar)");
		strbuf_reset(&sb);
		if (theme_has_colour() && display_utf8)
			strbuf_addstr(&sb, "\xe2\x97\x8f ");
		else
			strbuf_addf(&sb, "%c ", plot_symbols[i % 6]);
		strbuf_addstr(&sb, pp->runs[i].name);
		/*
		 * A long name (the flags that differ) leaves the values half
		 * the line at least; each cut shows.
		 */
		namew = w - 1 - text_width(stats.buf, stats.len);
		if (namew < (w - 1) / 2)
			namew = (w - 1) / 2;
		col = draw_str_cut(y + row, x + 1, namew, sb.buf, st);
		draw_str_cut(y + row, x + 1 + col, w - 1 - col, stats.buf,
		    theme_style(ROLE_DEFAULT));
	}
	if (pp->more > 0 && row < legend)
		draw_printf(y + row, x + 1, w - 1, theme_style(ROLE_DIM),
		    "(%zu more runs not plotted)", pp->more);
	strbuf_release(&sb);
	strbuf_release(&stats);
	return legend;
}

/* The value at the top (0), middle (1) or bottom (2) of the axis. */
static double
axis_value(const struct bounds *b, bool logy, int i)
{
	double	v = i == 0 ? b->ymax : i == 1 ? (b->ymin + b->ymax) / 2 :
		    b->ymin;

	return logy ? pow(10, v) : v;
}

/*
 * The axes around a plot area of ph rows and pw columns at (y, x + labw
 * + 3): value labels at top, middle and bottom, steps below.
 */
static void
plot_axes(const struct bounds *b, bool logy, int y, int x, int labw, int ph,
    int pw)
{
	struct style	axis = theme_style(ROLE_AXIS);
	struct strbuf	sb = STRBUF_INIT;
	int		i;

	for (i = 0; i < 3; i++) {
		int	ly = i == 0 ? 0 : i == 1 ? ph / 2 : ph - 1;

		strbuf_reset(&sb);
		fmt_axis(&sb, axis_value(b, logy, i));
		draw_str(y + ly, x + 1 + labw - (int)sb.len, (int)sb.len,
		    sb.buf, axis);
	}
	draw_vline(y, x + labw + 2, ph, axis);
	draw_hline(y + ph, x + labw + 2, pw + 1, axis);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%.0f", b->xmin);
	draw_str(y + ph + 1, x + labw + 3, pw, sb.buf, axis);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "step %.0f", b->xmax);
	draw_str(y + ph + 1, x + labw + 3 + pw - (int)sb.len, (int)sb.len,
	    sb.buf, axis);
	strbuf_release(&sb);
}

/* Every run's series into a canvas of ph x pw cells, drawn at (y, x). */
static void
plot_series(const struct plotpane *pp, const char *key,
    const struct bounds *b, int y, int x, int ph, int pw)
{
	struct canvas	cv;
	size_t		i, j;
	int		row, col;

	cv.w = pw;
	cv.h = ph;
	cv.sx = pp->style == PLOT_BRAILLE ? 2 : 1;
	cv.sy = pp->style == PLOT_BRAILLE ? 4 : pp->style == PLOT_BLOCKS ?
	    2 : 1;
	cv.cells = xcalloc((size_t)pw * (size_t)ph, sizeof *cv.cells);
	for (i = 0; i < pp->nruns; i++) {
		const struct scalar_stats	*s = run_key(&pp->runs[i], key);
		int				 px = -1, py = -1;
		double				*yv;

		if (s == NULL)
			continue;
		yv = plot_values(pp, s, pp->logy);
		for (j = 0; j < s->nseries; j++) {
			double	sv = yv[j];
			int	dx, dy;

			if (isnan(sv) || isinf(sv))
				continue;
			dx = (int)(((double)s->series[j].step - b->xmin) /
			    (b->xmax - b->xmin) * (cv.w * cv.sx - 1) + 0.5);
			dy = (int)((b->ymax - sv) / (b->ymax - b->ymin) *
			    (cv.h * cv.sy - 1) + 0.5);
			if (px >= 0)
				canvas_line(&cv, px, py, dx, dy, (int)i);
			else
				canvas_set(&cv, dx, dy, (int)i);
			px = dx;
			py = dy;
		}
		free(yv);
	}
	for (row = 0; row < ph; row++) {
		for (col = 0; col < pw; col++) {
			struct pcell	*c = &cv.cells[row * pw + col];
			struct style	 st;
			int		 cp;

			if (c->bits == 0)
				continue;
			st = theme_style((enum role)(ROLE_SERIES1 +
			    c->series % SERIES_COUNT));
			if (pp->style == PLOT_BRAILLE)
				cp = 0x2800 + c->bits;
			else if (pp->style == PLOT_BLOCKS)
				cp = c->bits == 1 ? 0x2580 : c->bits == 2 ?
				    0x2584 : 0x2588;
			else
				cp = plot_symbols[c->series % 6];
			draw_cp(y + row, x + col, cp, st);
		}
	}
	free(cv.cells);
}

static void
plot_draw(struct pane *p, int y, int x, int h, int w)
{
	struct plotpane		*pp = p->priv;
	struct strbuf		 sb = STRBUF_INIT;
	struct bounds		 b;
	const char		*key;
	int			 i, labw = 0, pw, ph, legend;

	if (pp->keys.n == 0) {
		draw_str_cut(y, x + 1, w - 1, pp->nruns == 1 ? "This run has "
		    "no scalars (yet)." : "These runs have no scalars (yet).",
		    theme_style(ROLE_DIM));
		return;
	}
	key = pp->keys.v[pp->key];
	plot_bounds(pp, key, &b);
	legend = plot_legend(pp, key, y, x, h, w);
	y += legend + 1;
	h -= legend + 1;
	if (b.xmin > b.xmax || h < 3) {
		draw_str_cut(y, x + 1, w - 1, pp->logy ? "No values above 0 to "
		    "plot on a log scale." : "No values to plot.",
		    theme_style(ROLE_DIM));
		return;
	}
	if (b.ymin == b.ymax) {
		double	d = fabs(b.ymin) > 0 ? fabs(b.ymin) * 0.1 : 1;

		b.ymin -= d;
		b.ymax += d;
	}
	if (b.xmin == b.xmax)
		b.xmax = b.xmin + 1;
	/* The labels' width, for the widest of top, middle and bottom. */
	for (i = 0; i < 3; i++) {
		strbuf_reset(&sb);
		fmt_axis(&sb, axis_value(&b, pp->logy, i));
		if ((int)sb.len > labw)
			labw = (int)sb.len;
	}
	strbuf_release(&sb);
	ph = h - 2;
	pw = w - labw - 3;
	if (pw < 10 || ph < 2)
		return;
	plot_axes(&b, pp->logy, y, x, labw, ph, pw);
	plot_series(pp, key, &b, y, x + labw + 3, ph, pw);
}

/* The next weight up or down from w (which may be any, from view.conf). */
static double
smooth_step(double w, bool up)
{
	size_t	i, n = ARRAY_SIZE(smooth_steps);

	if (up) {
		for (i = 0; i < n; i++)
			if (smooth_steps[i] > w + 1e-9)
				return smooth_steps[i];
		return smooth_steps[n - 1];
	}
	for (i = n; i > 0; i--)
		if (smooth_steps[i - 1] < w - 1e-9)
			return smooth_steps[i - 1];
	return 0;
}

static bool
plot_action(struct pane *p, enum action act)
{
	struct plotpane	*pp = p->priv;

	switch (act) {
	case ACT_NEXT_SCALAR:
	case ACT_MOVE_DOWN:
		if (pp->keys.n > 0)
			pp->key = (pp->key + 1) % pp->keys.n;
		view_dirty(p->view);
		return true;
	case ACT_PREV_SCALAR:
	case ACT_MOVE_UP:
		if (pp->keys.n > 0)
			pp->key = (pp->key + pp->keys.n - 1) % pp->keys.n;
		view_dirty(p->view);
		return true;
	case ACT_PLOT_STYLE:
		pp->style = (enum plot_style)((pp->style + 1) % 3);
		if (pp->style != PLOT_ASCII && !display_utf8)
			pp->style = PLOT_ASCII;
		view_dirty(p->view);
		return true;
	case ACT_PLOT_LOG:
		pp->logy = !pp->logy;
		view_message(p->view, pp->logy ? "Log scale" : "Linear scale");
		return true;
	case ACT_SMOOTH_MORE:
	case ACT_SMOOTH_LESS:
		pp->smooth = smooth_step(pp->smooth, act == ACT_SMOOTH_MORE);
		if (pp->smooth > 0)
			view_message(p->view, "Smoothing %.2g", pp->smooth);
		else
			view_message(p->view, "No smoothing");
		return true;
	case ACT_REFRESH:
		plot_load(p);
		view_dirty(p->view);
		return true;
	case ACT_PLOT:
		return true;
	default:
		return false;
	}
}

static void
plot_tick(struct pane *p)
{
	struct plotpane	*pp = p->priv;
	size_t		 i;

	for (i = 0; i < pp->nruns; i++) {
		if (pp->runs[i].live) {
			plot_load(p);
			view_dirty(p->view);
			return;
		}
	}
}

static const struct hint plot_hints[] = {
	{ ACT_NEXT_SCALAR, "next scalar" },
	{ ACT_PREV_SCALAR, "previous" },
	{ ACT_PLOT_STYLE, "style" },
	{ ACT_PLOT_LOG, "log" },
	{ ACT_SMOOTH_MORE, "smooth" },
	{ ACT_QUIT, "close" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_plot_ops = {
	.name = "plot",
	.keymap = KEYMAP_PLOT,
	.priv_size = sizeof (struct plotpane),
	.hints = plot_hints,
	.init = plot_init,
	.release = plot_release,
	.title = plot_title,
	.draw = plot_draw,
	.action = plot_action,
	.tick = plot_tick,
};
