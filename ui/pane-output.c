/*
 * pane-output.c: the output of the selected run, followed live.
 *
 * Lines are cooked by the core (output_tail): a progress bar that
 * redraws itself with \r is one line showing its last state, colours are
 * spans, and no escape sequence from the run ever reaches the terminal.
 * While the run is live the file is polled every follow-ms and the pane
 * redraws on the view's throttled timer, never per line. Lines are kept
 * in a ring with a line and a byte budget, so a run writing at full
 * speed is followed with flat memory.
 *
 * Scrolling up pauses following (the file is not read while paused);
 * follow (F) or move-last (End) reopens it at its end.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "display.h"
#include "format.h"
#include "loop.h"
#include "output.h"
#include "pane-output.h"
#include "pane.h"
#include "prompt.h"
#include "regex.h"
#include "run.h"
#include "runindex.h"
#include "scalars.h"
#include "strbuf.h"
#include "textbuf.h"
#include "tui.h"
#include "viewconf.h"

#define OUTPUT_MAX_BYTES	(16 * 1024 * 1024)
/* Lines read when a run is first shown: enough to fill a big pane. */
#define OUTPUT_FIRST_LINES	400

struct outpane {
	char			*id;
	char			*dir;
	char			*op;
	enum run_status		 status;
	bool			 live;		/* the run may still write */
	struct output_tail	*tail;
	size_t			 loaded;	/* last_lines asked for */
	struct textbuf		 buf;
	bool			 follow;
	bool			 wrap;
	struct loop_timer	*timer;
	char			*error;
	off_t			 paused_size;	/* output size when paused */

	struct regex		*search;

	/*
	 * Latest scalars: the log and the run's event files, read on from
	 * where they stopped as they grow.
	 */
	char			*scalars;
	struct scalars_summary	 sum;
	struct scalars_sources	 src;
};

static void	out_poll(struct pane *);
static void	out_read_scalars(struct pane *);

static void
out_on_line(const struct output_line *line, void *arg)
{
	struct pane	*p = arg;
	struct outpane	*o = p->priv;

	textbuf_push(&o->buf, line->text, line->len, line->spans,
	    line->nspans, line->lineno);
}

static void
out_on_reset(void *arg)
{
	struct pane	*p = arg;
	struct outpane	*o = p->priv;

	textbuf_clear(&o->buf);
}

static const struct output_tail_hooks out_hooks = {
	.on_line = out_on_line,
	.on_reset = out_on_reset,
};

static void
out_timer_cb(struct loop_timer *t, void *arg)
{
	struct pane	*p = arg;

	out_poll(p);
}

static void
out_stop_timer(struct outpane *o)
{
	loop_timer_del(o->timer);
	o->timer = NULL;
}

static void
out_close(struct pane *p)
{
	struct outpane	*o = p->priv;

	out_stop_timer(o);
	output_tail_free(o->tail);
	o->tail = NULL;
	textbuf_clear(&o->buf);
	free(o->error);
	o->error = NULL;
}

static bool
status_live(enum run_status st)
{
	return st == RUN_STATUS_RUNNING || st == RUN_STATUS_PENDING;
}

/* (Re)open the run's output at its end, keeping last_lines lines. */
static void
out_open(struct pane *p, size_t last_lines)
{
	struct outpane	*o = p->priv;
	char		*cause = NULL;

	out_close(p);
	o->loaded = last_lines;
	o->tail = output_tail_open(o->dir, last_lines, &out_hooks, p, &cause);
	if (o->tail == NULL) {
		o->error = cause;
		return;
	}
	out_poll(p);
	out_read_scalars(p);
}

static void
out_read_scalars(struct pane *p)
{
	struct outpane		*o = p->priv;
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 i;
	long long		 step = -1;

	if (scalars_summary_update(o->dir, 0, &o->sum, &o->src, true,
	    NULL) != 1)
		return;
	for (i = 0; i < o->sum.n; i++) {
		const struct scalar_stats	*s = &o->sum.v[i];

		if (strncmp(s->key, "sys/", 4) == 0)
			continue;
		if (sb.len > 0)
			strbuf_addstr(&sb, "  ");
		strbuf_addf(&sb, "%s ", s->key);
		format_scalar_short(&sb, s->last.value);
		if (s->last.step > step)
			step = s->last.step;
	}
	if (step > 0)
		strbuf_addf(&sb, "  (step %lld)", step);
	free(o->scalars);
	o->scalars = strbuf_detach(&sb, NULL);
}

static void
out_forget_scalars(struct outpane *o)
{
	free(o->scalars);
	o->scalars = NULL;
	scalars_summary_release(&o->sum);
	scalars_sources_release(&o->src);
}

static void
out_poll(struct pane *p)
{
	struct outpane	*o = p->priv;
	struct run	*run;
	char		*cause = NULL;
	bool		 live;

	if (o->tail == NULL)
		return;
	/* Status first: output written before the end is then all there. */
	live = o->live;
	if (live && (run = run_open(o->dir, NULL)) != NULL) {
		o->status = run_get_status(run);
		live = status_live(o->status);
		run_free(run);
	}
	if (output_tail_poll(o->tail, &cause) == -1) {
		free(o->error);
		o->error = cause;
	}
	if (!live) {
		output_tail_finish(o->tail);
		out_stop_timer(o);
	} else if (o->timer == NULL && o->follow)
		o->timer = loop_timer_add(p->view->loop,
		    (unsigned)view_settings.follow_ms, 1, out_timer_cb, p);
	if (live != o->live) {
		o->live = live;
		out_read_scalars(p);
		/* The runs list would see it within a second; hurry it. */
		view_refresh_soon(p->view);
	}
	view_dirty(p->view);
}

void
output_follow_run(struct pane *p, const struct run_row *row)
{
	struct outpane	*o = p->priv;

	if (row == NULL) {
		if (o->id != NULL) {
			out_close(p);
			free(o->id);
			free(o->dir);
			free(o->op);
			out_forget_scalars(o);
			o->id = o->dir = o->op = NULL;
			view_dirty(p->view);
		}
		return;
	}
	if (o->id != NULL && strcmp(o->id, row->id) == 0) {
		/*
		 * The same run: it may have started since (the run itself
		 * says so: the list may be a moment behind).
		 */
		if (!o->live && status_live(row->status) && o->follow) {
			struct run	*run = run_open(o->dir, NULL);

			if (run != NULL && status_live(run_get_status(run))) {
				o->live = true;
				o->status = run_get_status(run);
				out_open(p, o->loaded);
			}
			run_free(run);
		}
		return;
	}
	free(o->id);
	free(o->dir);
	free(o->op);
	out_forget_scalars(o);
	o->id = xstrdup(row->id);
	o->dir = xstrdup(row->dir);
	o->op = xstrdup(row->op_desc != NULL ? row->op_desc : "");
	o->status = row->status;
	o->live = status_live(row->status);
	o->follow = true;
	p->top = 0;
	p->hscroll = 0;
	out_open(p, OUTPUT_FIRST_LINES);
}

static void
out_init(struct pane *p, void *arg)
{
	struct outpane	*o = p->priv;

	textbuf_init(&o->buf, (size_t)view_settings.output_lines,
	    OUTPUT_MAX_BYTES);
	o->follow = true;
}

static void
out_release(struct pane *p)
{
	struct outpane	*o = p->priv;

	out_close(p);
	textbuf_release(&o->buf);
	regex_free(o->search);
	free(o->id);
	free(o->dir);
	free(o->op);
	out_forget_scalars(o);
}

/* The lines shown: the ring, then the line being written (progress). */
static size_t
out_count(struct pane *p)
{
	struct outpane		*o = p->priv;
	struct output_line	 partial;

	if (o->tail != NULL && o->live && output_tail_partial(o->tail, &partial))
		return o->buf.n + 1;
	return o->buf.n;
}

static bool
out_line(struct pane *p, size_t i, struct output_line *out)
{
	struct outpane	*o = p->priv;
	struct tline	*l;

	if (i < o->buf.n) {
		l = textbuf_get(&o->buf, i);
		memset(out, 0, sizeof *out);
		out->text = l->text;
		out->len = l->len;
		out->spans = l->spans;
		out->nspans = l->nspans;
		out->lineno = l->lineno;
		return true;
	}
	return o->tail != NULL && output_tail_partial(o->tail, out);
}

bool
output_last_line(struct pane *p, const char **text, size_t *len)
{
	struct output_line	l;
	size_t			n = out_count(p);

	if (n == 0 || !out_line(p, n - 1, &l))
		return false;
	*text = l.text;
	*len = l.len;
	return true;
}

static void
out_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct outpane	*o = p->priv;
	struct stat	 st;
	char		*path;

	strbuf_addstr(left, "Output");
	if (o->id == NULL)
		return;
	strbuf_addf(left, "  %.8s %s  %s", o->id, o->op,
	    run_status_name(o->status));
	if (o->scalars != NULL && *o->scalars != '\0')
		strbuf_addf(left, "  %s", o->scalars);
	if (o->search != NULL)
		strbuf_addf(right, "/%s/  ", regex_pattern(o->search));
	if (!o->live)
		return;
	if (o->follow) {
		strbuf_addstr(right, "following");
		return;
	}
	strbuf_addstr(right, "paused (F follows)");
	path = xasprintf("%s/.guild/output", o->dir);
	if (stat(path, &st) == 0 && st.st_size > o->paused_size) {
		off_t	n = st.st_size - o->paused_size;

		if (n >= 1024 * 1024)
			strbuf_addf(right, " +%.1f MB", (double)n / 1048576.0);
		else
			strbuf_addf(right, " +%lld KB", (long long)(n + 1023) /
			    1024);
	}
	free(path);
}

/* Matches of the search in a line, for highlighting. */
static size_t
find_marks(struct regex *re, const char *text, size_t len,
    struct mark **marks)
{
	size_t	n = 0, alloc = 0, from = 0, s, e;

	*marks = NULL;
	if (re == NULL)
		return 0;
	while (from <= len && regex_search(re, text, len, from, &s, &e)) {
		if (e == s) {
			from = e + 1;
			continue;
		}
		XGROW(*marks, alloc, n + 1);
		(*marks)[n].start = s;
		(*marks)[n].end = e;
		n++;
		from = e;
	}
	return n;
}

/* Rows a line takes when wrapped at w columns. */
static int
wrapped_rows(const struct output_line *l, int w)
{
	int	cols = text_width(l->text, l->len);

	if (w <= 0 || cols <= w)
		return 1;
	return (cols + w - 1) / w;
}

/* A line, or a row of it when wrapped (else a cut shows). */
static void
draw_one(struct pane *p, const struct output_line *l, int y, int x, int w,
    int skip, bool wrapped)
{
	struct outpane	*o = p->priv;
	struct mark	*marks;
	size_t		 nm = find_marks(o->search, l->text, l->len, &marks);

	(wrapped ? draw_rich : draw_rich_cut)(y, x, w, skip, l->text, l->len,
	    l->spans, l->nspans, theme_style(ROLE_DEFAULT), marks, nm,
	    theme_style(ROLE_MATCH));
	free(marks);
}

static void
out_draw(struct pane *p, int y, int x, int h, int w)
{
	struct outpane		*o = p->priv;
	struct output_line	 l;
	struct style		 dim = theme_style(ROLE_DIM);
	size_t			 n = out_count(p), i, max;
	int			 row, rows, used;

	if (o->id == NULL) {
		draw_str_cut(y, x + 1, w - 1, "No run selected.", dim);
		return;
	}
	if (o->error != NULL) {
		draw_str_cut(y, x + 1, w - 1, o->error,
		    theme_style(ROLE_ERROR));
		y++;
		h--;
	}
	if (n == 0) {
		draw_str_cut(y, x + 1, w - 1, o->live ? "(waiting for output)" :
		    "(no output)", dim);
		return;
	}
	/* Never a cut history that looks whole: its top says so. */
	if (p->top == 0 && h > 1 && textbuf_get(&o->buf, 0) != NULL &&
	    textbuf_get(&o->buf, 0)->lineno > 0) {
		struct strbuf	sb = STRBUF_INIT;
		uint64_t	cut = textbuf_get(&o->buf, 0)->lineno;

		strbuf_addf(&sb, "... %llu earlier line%s not shown (%s)",
		    (unsigned long long)cut, cut == 1 ? "" : "s",
		    o->loaded < (size_t)view_settings.output_lines ?
		    "Up reads more" : "guild cat shows them all");
		draw_str_cut(y, x + 1, w - 1, sb.buf, dim);
		strbuf_release(&sb);
		y++;
		h--;
	}
	if (!o->wrap) {
		max = n > (size_t)h ? n - (size_t)h : 0;
		if (o->follow || p->top > max)
			p->top = max;
		for (row = 0; row < h && p->top + (size_t)row < n; row++) {
			if (!out_line(p, p->top + (size_t)row, &l))
				break;
			draw_one(p, &l, y + row, x + 1, w - 1, p->hscroll,
			    false);
		}
		return;
	}
	/* Wrapped: when following, start where the last lines just fit. */
	x++;
	w--;
	if (o->follow) {
		used = 0;
		i = n;
		while (i > 0) {
			if (!out_line(p, i - 1, &l))
				break;
			rows = wrapped_rows(&l, w);
			if (used + rows > h)
				break;
			used += rows;
			i--;
		}
		p->top = i;
	}
	for (row = 0, i = p->top; row < h && i < n; i++) {
		int	r, cols;

		if (!out_line(p, i, &l))
			break;
		rows = wrapped_rows(&l, w);
		for (r = 0; r < rows && row < h; r++, row++) {
			cols = r * w;
			draw_one(p, &l, y + row, x, w, cols, true);
		}
	}
}

static void
out_pause(struct pane *p)
{
	struct outpane	*o = p->priv;
	struct stat	 st;
	char		*path;

	if (!o->follow)
		return;
	o->follow = false;
	out_stop_timer(o);
	path = xasprintf("%s/.guild/output", o->dir);
	o->paused_size = stat(path, &st) == 0 ? st.st_size : 0;
	free(path);
}

static void
out_resume(struct pane *p)
{
	struct outpane	*o = p->priv;

	if (o->id == NULL)
		return;
	o->follow = true;
	p->hscroll = 0;
	if (o->live)
		out_open(p, o->loaded);
	view_dirty(p->view);
}

/* Search from line `from` in direction dir; true when found. */
static bool
out_search(struct pane *p, size_t from, int dir)
{
	struct outpane		*o = p->priv;
	struct output_line	 l;
	size_t			 n = out_count(p), i;

	if (o->search == NULL || n == 0)
		return false;
	for (i = from; i < n; i = dir > 0 ? i + 1 : i - 1) {
		if (out_line(p, i, &l) && regex_match(o->search, l.text,
		    l.len)) {
			out_pause(p);
			p->top = i;
			view_dirty(p->view);
			return true;
		}
		if (dir < 0 && i == 0)
			break;
	}
	return false;
}

static void
search_done(struct view *v, const char *text, void *arg)
{
	struct pane	*p = arg;
	struct outpane	*o = p->priv;
	struct regex	*re;
	char		*cause = NULL;

	if (text == NULL)
		return;
	if (*text == '\0') {
		regex_free(o->search);
		o->search = NULL;
		return;
	}
	if ((re = regex_new(text, REGEX_SMARTCASE, &cause)) == NULL) {
		view_error(v, "bad pattern: %s", cause);
		free(cause);
		return;
	}
	regex_free(o->search);
	o->search = re;
	if (!out_search(p, p->top, 1) && !out_search(p, 0, 1))
		view_error(v, "Pattern not found: %s", text);
}

static bool
out_action(struct pane *p, enum action act)
{
	struct outpane	*o = p->priv;
	struct view	*v = p->view;

	switch (act) {
	case ACT_MOVE_UP:
	case ACT_PAGE_UP:
	case ACT_HALF_UP:
	case ACT_MOVE_FIRST:
		out_pause(p);
		if (p->top == 0 && o->buf.n > 0 &&
		    textbuf_get(&o->buf, 0)->lineno > 0 &&
		    o->loaded < (size_t)view_settings.output_lines) {
			/* At the top of what was read: read more. */
			size_t	before = o->buf.n;

			out_open(p, (size_t)view_settings.output_lines);
			out_pause(p);
			p->top = o->buf.n > before ? o->buf.n - before : 0;
		}
		pane_move(p, act);
		return true;
	case ACT_MOVE_DOWN:
	case ACT_PAGE_DOWN:
	case ACT_HALF_DOWN:
		if (o->follow)
			return true;
		pane_move(p, act);
		return true;
	case ACT_MOVE_LAST:
	case ACT_FOLLOW:
		out_resume(p);
		return true;
	case ACT_WRAP:
		o->wrap = !o->wrap;
		p->hscroll = 0;
		view_message(v, o->wrap ? "Wrapping long lines" :
		    "Not wrapping long lines");
		return true;
	case ACT_SEARCH:
		prompt_open(v, "Search output: /", o->search != NULL ?
		    regex_pattern(o->search) : "", search_done, NULL, p, NULL);
		return true;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (o->search == NULL) {
			view_error(v, "No search: press / first");
			return true;
		}
		if (act == ACT_SEARCH_NEXT ? !out_search(p, p->top + 1, 1) :
		    (p->top == 0 || !out_search(p, p->top - 1, -1)))
			view_error(v, "No more matches for %s",
			    regex_pattern(o->search));
		return true;
	case ACT_CLOSE:
		if (o->search != NULL) {
			regex_free(o->search);
			o->search = NULL;
			view_dirty(v);
			return true;
		}
		return false;
	default:
		return false;
	}
}

/*
 * Paused too, the title stays live: the scalars and the bytes written
 * since, until the run ends.
 */
static void
out_tick(struct pane *p)
{
	struct outpane	*o = p->priv;
	struct run	*run;

	if (o->id == NULL || !o->live)
		return;
	out_read_scalars(p);
	if (o->follow)
		return;
	if ((run = run_open(o->dir, NULL)) != NULL) {
		o->status = run_get_status(run);
		o->live = status_live(o->status);
		run_free(run);
	}
	view_dirty(p->view);
}

static const struct run_row *
out_current(struct pane *p)
{
	struct view	*v = p->view;

	return v->runs_pane->ops->current_run(v->runs_pane);
}

static const struct hint output_hints[] = {
	{ ACT_FOLLOW, "follow" },
	{ ACT_SEARCH, "search" },
	{ ACT_SEARCH_NEXT, "next" },
	{ ACT_WRAP, "wrap" },
	{ ACT_ZOOM, "zoom" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_output_ops = {
	.name = "output",
	.keymap = KEYMAP_OUTPUT,
	.priv_size = sizeof (struct outpane),
	.cursor = false,
	.hints = output_hints,
	.init = out_init,
	.release = out_release,
	.title = out_title,
	.count = out_count,
	.draw = out_draw,
	.action = out_action,
	.tick = out_tick,
	.current_run = out_current,
};
