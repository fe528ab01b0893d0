/*
 * layout.c: where the panes go and drawing the whole screen: the title
 * line, the main panes or the stack of full-screen views and boxes over
 * them, and the status line (a message, a prompt, or key hints).
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "display.h"
#include "guildfile.h"
#include "home.h"
#include "keymap.h"
#include "layout.h"
#include "pane.h"
#include "prompt.h"
#include "runlist.h"
#include "strbuf.h"
#include "tui.h"
#include "util.h"

/* Below this the view says the terminal is too small. */
#define MIN_COLS	40
#define MIN_ROWS	10

/* The side panes' width when not chosen, and the narrowest shown. */
static int
side_auto(const struct view *v)
{
	int	lw = v->cols / 5;

	if (lw < 16)
		lw = 16;
	if (lw > 32)
		lw = 32;
	return lw;
}

#define SIDE_MIN	8
#define SIDE_STEP	4

void
view_side(struct view *v, int step)
{
	static const char *const where[] = { "on the left", "on the right",
	    "hidden" };
	int	lw = v->side_w > 0 ? v->side_w : side_auto(v);

	if (step == 0)
		v->side = (v->side + 1) % 3;
	else if (v->side == SIDE_HIDDEN) {
		/* Narrower than hidden is hidden; wider shows them again. */
		if (step > 0) {
			v->side = SIDE_LEFT;
			v->side_w = SIDE_MIN;
		}
	} else {
		lw += step * SIDE_STEP;
		if (lw < SIDE_MIN)
			v->side = SIDE_HIDDEN;
		else
			v->side_w = lw < v->cols / 2 ? lw : v->cols / 2;
	}
	if (v->side == SIDE_HIDDEN && (v->focus == MAIN_MODELS ||
	    v->focus == MAIN_OPS))
		v->focus = MAIN_RUNS;
	if (v->side == SIDE_HIDDEN)
		view_message(v, "Side panes hidden (+ or | shows them)");
	else if (step == 0)
		view_message(v, "Side panes %s", where[v->side]);
	else
		view_message(v, "Side panes %d columns wide", v->side_w);
}

/*
 * Layout: the side column (models over operations, on the left or the
 * right, or hidden) and the main one (runs over output), or the focused
 * pane alone when zoomed.
 */
void
view_layout(struct view *v)
{
	int	top = 1, h = v->rows - 2, lw, mh, rh, i, mx, sx;

	v->too_small = v->cols < MIN_COLS || v->rows < MIN_ROWS;
	for (i = 0; i < MAIN_COUNT; i++)
		v->main[i]->focused = v->nstack == 0 &&
		    (enum main_pane)i == v->focus;
	if (v->too_small)
		return;
	for (i = 0; i < (int)v->nstack; i++)
		pane_place(v->stack[i], top, 0, h, v->cols);
	if (v->zoom) {
		for (i = 0; i < MAIN_COUNT; i++)
			pane_place(v->main[i], 0, 0, 0, 0);
		pane_place(v->main[v->focus], top, 0, h, v->cols);
		return;
	}
	lw = v->side_w > 0 ? v->side_w : side_auto(v);
	if (lw > v->cols / 2)
		lw = v->cols / 2;
	rh = h * 9 / 20;
	if (rh < 4)
		rh = 4;
	if (v->side == SIDE_HIDDEN) {
		if (v->focus == MAIN_MODELS || v->focus == MAIN_OPS)
			v->focus = MAIN_RUNS;
		v->main[MAIN_RUNS]->focused = v->nstack == 0;
		pane_place(v->models, 0, 0, 0, 0);
		pane_place(v->ops, 0, 0, 0, 0);
		pane_place(v->runs_pane, top, 0, rh, v->cols);
		pane_place(v->output, top + rh, 0, h - rh, v->cols);
		return;
	}
	/* The main column, then the border, then the side one; or mirrored. */
	mx = v->side == SIDE_RIGHT ? 0 : lw + 1;
	sx = v->side == SIDE_RIGHT ? v->cols - lw : 0;
	mh = v->gf != NULL ? (int)guildfile_listed_models(v->gf, false) + 1 : 3;
	if (mh < 2)
		mh = 2;
	if (mh > h / 3)
		mh = h / 3;
	pane_place(v->models, top, sx, mh, lw);
	pane_place(v->ops, top + mh, sx, h - mh, lw);
	pane_place(v->runs_pane, top, mx, rh, v->cols - lw - 1);
	pane_place(v->output, top + rh, mx, h - rh, v->cols - lw - 1);
}

static void
draw_title(struct view *v)
{
	struct style	 st = theme_style(ROLE_TITLE);
	struct strbuf	 left = STRBUF_INIT, right = STRBUF_INIT;
	char		*home = path_abbrev_home(v->home->path);
	char		*cwd = path_abbrev_home(v->cwd);
	int		 rw;

	draw_fill(0, 0, v->cols, st);
	strbuf_addstr(&left, "guild view");
	strbuf_addf(&left, "  %s", cwd);
	strbuf_addf(&right, "%zu run%s", runlist_total(v->runs),
	    runlist_total(v->runs) == 1 ? "" : "s");
	if (runlist_running(v->runs) > 0)
		strbuf_addf(&right, ", %zu running", runlist_running(v->runs));
	strbuf_addf(&right, "  %s", home);
	rw = text_width(right.buf, right.len);
	if (rw > v->cols / 2)
		rw = 0;
	draw_text_cut(0, 1, v->cols - rw - 3, 0, left.buf, left.len, st);
	if (rw > 0)
		draw_text(0, v->cols - rw - 1, rw, 0, right.buf, right.len, st);
	strbuf_release(&left);
	strbuf_release(&right);
	free(home);
	free(cwd);
}

static void
draw_status(struct view *v)
{
	struct pane		*p = view_focus(v);
	struct strbuf		 sb = STRBUF_INIT;
	const struct hint	*h;
	int			 y = v->rows - 1, key;

	if (v->prompt != NULL) {
		prompt_draw(v, y, v->cols);
		return;
	}
	draw_fill(y, 0, v->cols, theme_style(ROLE_STATUS));
	if (v->msg != NULL) {
		draw_str_cut(y, 0, v->cols, v->msg, theme_style(v->msg_error ?
		    ROLE_ERROR : ROLE_STATUS));
		return;
	}
	/* Work between keys says how far it is. */
	if (view_progress(v, &sb)) {
		draw_str_cut(y, 0, v->cols, sb.buf, theme_style(ROLE_STATUS));
		strbuf_release(&sb);
		return;
	}
	/*
	 * Hints name the keys bound now, so they follow view.conf; as many
	 * whole ones as fit.
	 */
	for (h = p->ops->hints; h != NULL && h->act != ACT_NONE; h++) {
		size_t	len = sb.len;

		if ((key = keymap_first_key(v->km, p->ops->keymap,
		    h->act)) == -1)
			continue;
		if (sb.len > 0)
			strbuf_addstr(&sb, "  ");
		key_format_short(&sb, key);
		strbuf_addf(&sb, " %s", h->label);
		if (text_width(sb.buf, sb.len) > v->cols - 10) {
			strbuf_setlen(&sb, len);
			break;
		}
	}
	draw_str(y, 0, v->cols - 8, sb.buf, theme_style(ROLE_HINT));
	strbuf_reset(&sb);
	/* Panes that take text (the form) take ? as text too. */
	if (p->ops->key == NULL && (key = keymap_first_key(v->km,
	    p->ops->keymap, ACT_HELP)) != -1) {
		key_format_short(&sb, key);
		strbuf_addstr(&sb, " help");
		draw_str(y, v->cols - (int)sb.len - 1, (int)sb.len, sb.buf,
		    theme_style(ROLE_HINT));
	}
	strbuf_release(&sb);
}

static void
draw_too_small(struct view *v)
{
	struct strbuf	sb = STRBUF_INIT;
	int		w;

	strbuf_addf(&sb, "Terminal too small (%dx%d)", v->cols, v->rows);
	w = text_width(sb.buf, sb.len);
	draw_str_cut(v->rows / 2 - (v->rows > 1 ? 1 : 0), w < v->cols ?
	    (v->cols - w) / 2 : 0, v->cols, sb.buf, theme_style(ROLE_ERROR));
	strbuf_reset(&sb);
	strbuf_addf(&sb, "need %dx%d", MIN_COLS, MIN_ROWS);
	w = text_width(sb.buf, sb.len);
	if (v->rows > 1)
		draw_str_cut(v->rows / 2, w < v->cols ? (v->cols - w) / 2 : 0,
		    v->cols, sb.buf, theme_style(ROLE_DEFAULT));
	strbuf_release(&sb);
}

static void
draw_main(struct view *v)
{
	struct style	border = theme_style(ROLE_BORDER);
	int		i;

	if (v->zoom) {
		pane_draw(v->main[v->focus]);
		return;
	}
	for (i = 0; i < MAIN_COUNT; i++)
		if (v->main[i]->w > 0)
			pane_draw(v->main[i]);
	if (v->side == SIDE_RIGHT)
		draw_vline(1, v->models->x - 1, v->rows - 2, border);
	else if (v->side == SIDE_LEFT)
		draw_vline(1, v->models->w, v->rows - 2, border);
}

/*
 * Before the refresh: an overlay no pane asked for this frame is erased
 * (a full repaint; kitty's pictures are deleted by their own command),
 * and a full repaint draws the one asked for again.
 */
static void
overlay_update(struct view *v)
{
	if (v->overlay != NULL && !v->overlay_wanted) {
		if (memmem(v->overlay, v->overlay_len, "\033_G", 3) != NULL)
			(void)write_all(STDOUT_FILENO, "\033_Ga=d\033\\", 8);
		free(v->overlay);
		v->overlay = NULL;
		v->overlay_len = 0;
		clearok(curscr, TRUE);
	}
	if (v->overlay != NULL && is_cleared(curscr))
		v->overlay_sent = false;
}

void
view_draw(struct view *v)
{
	struct pane	*p;
	size_t		 i, first = 0;
	int		 cy, cx, bh, bw;
	bool		 cursor = false;

	if (v->external)
		return;
	v->dirty = false;
	v->overlay_wanted = false;
	view_layout(v);
	erase();
	if (v->too_small) {
		draw_too_small(v);
		curs_set(0);
		refresh();
		v->draws++;
		return;
	}
	draw_title(v);
	/* From the last full-screen view up; boxes show what is below. */
	for (i = v->nstack; i > 0; i--) {
		if (!v->stack[i - 1]->ops->box) {
			first = i;
			break;
		}
	}
	if (first == 0)
		draw_main(v);
	for (i = first > 0 ? first - 1 : 0; i < v->nstack; i++) {
		p = v->stack[i];
		if (p->ops->box) {
			bh = v->rows - 4;
			bw = v->cols - 4;
			if (p->ops->box_size != NULL)
				p->ops->box_size(p, &bh, &bw);
			if (bh > v->rows - 2)
				bh = v->rows - 2;
			if (bw > v->cols)
				bw = v->cols;
			draw_box((v->rows - bh) / 2, (v->cols - bw) / 2, bh, bw,
			    theme_style(ROLE_BORDER));
			pane_place(p, (v->rows - bh) / 2 + 1,
			    (v->cols - bw) / 2 + 1, bh - 2, bw - 2);
		}
		pane_draw(p);
	}
	p = view_focus(v);
	if (v->prompt == NULL && p->ops->cursor_pos != NULL &&
	    p->ops->cursor_pos(p, &cy, &cx))
		cursor = true;
	draw_status(v);
	if (cursor) {
		move(cy, cx);
		curs_set(1);
	} else if (v->prompt == NULL)
		curs_set(0);
	overlay_update(v);
	refresh();
	if (v->overlay != NULL && !v->overlay_sent) {
		/* Over what curses drew, the cursor kept where it was. */
		(void)write_all(STDOUT_FILENO, "\0337", 2);
		(void)write_all(STDOUT_FILENO, v->overlay, v->overlay_len);
		(void)write_all(STDOUT_FILENO, "\0338", 2);
		v->overlay_sent = true;
	}
	v->draws++;
}
