/*
 * pane.c: what every pane does the same way: a header line, a body of
 * lines drawn by the pane type, a cursor (lists) or a scroll position
 * (texts), and the movement keys.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "pane.h"
#include "strbuf.h"
#include "tui.h"

struct pane *
pane_new(struct view *v, const struct pane_ops *ops, void *arg)
{
	struct pane	*p = xcalloc(1, sizeof *p);

	p->ops = ops;
	p->view = v;
	if (ops->priv_size > 0)
		p->priv = xcalloc(1, ops->priv_size);
	if (ops->init != NULL)
		ops->init(p, arg);
	return p;
}

void
pane_free(struct pane *p)
{
	if (p == NULL)
		return;
	if (p->ops->release != NULL)
		p->ops->release(p);
	free(p->priv);
	free(p);
}

void
pane_place(struct pane *p, int y, int x, int h, int w)
{
	p->y = y;
	p->x = x;
	p->h = h < 0 ? 0 : h;
	p->w = w < 0 ? 0 : w;
	if (p->ops->cursor)
		pane_scroll_to_cursor(p);
}

/* Body height (without the header line). */
static int
pane_body_h(const struct pane *p)
{
	return p->h > 1 ? p->h - 1 : 0;
}

static size_t
pane_count(struct pane *p)
{
	return p->ops->count != NULL ? p->ops->count(p) : 0;
}

void
pane_scroll_to_cursor(struct pane *p)
{
	size_t	h = (size_t)pane_body_h(p), n = pane_count(p);

	if (n == 0) {
		p->cursor = p->top = 0;
		return;
	}
	if (p->cursor >= n)
		p->cursor = n - 1;
	if (h == 0)
		return;
	if (p->cursor < p->top)
		p->top = p->cursor;
	else if (p->cursor >= p->top + h)
		p->top = p->cursor - h + 1;
	/* No empty space at the end while there are lines above. */
	if (p->top + h > n)
		p->top = n > h ? n - h : 0;
}

void
pane_set_cursor(struct pane *p, size_t idx)
{
	size_t	old = p->cursor;

	p->cursor = idx;
	pane_scroll_to_cursor(p);
	if (p->cursor != old && p->ops->moved != NULL)
		p->ops->moved(p);
	view_dirty(p->view);
}

/* Texts scroll: top moves, there is no cursor. */
static bool
text_move(struct pane *p, enum action act)
{
	size_t	h = (size_t)pane_body_h(p), n = pane_count(p);
	size_t	max = n > h ? n - h : 0;

	switch (act) {
	case ACT_MOVE_UP:
		if (p->top > 0)
			p->top--;
		break;
	case ACT_MOVE_DOWN:
		if (p->top < max)
			p->top++;
		break;
	case ACT_PAGE_UP:
		p->top = p->top > h ? p->top - h : 0;
		break;
	case ACT_PAGE_DOWN:
		p->top = p->top + h < max ? p->top + h : max;
		break;
	case ACT_HALF_UP:
		p->top = p->top > (h + 1) / 2 ? p->top - (h + 1) / 2 : 0;
		break;
	case ACT_HALF_DOWN:
		p->top = p->top + (h + 1) / 2 < max ? p->top + (h + 1) / 2 :
		    max;
		break;
	case ACT_MOVE_FIRST:
		p->top = 0;
		break;
	case ACT_MOVE_LAST:
		p->top = max;
		break;
	case ACT_SCROLL_LEFT:
		p->hscroll = p->hscroll > 8 ? p->hscroll - 8 : 0;
		break;
	case ACT_SCROLL_RIGHT:
		p->hscroll += 8;
		break;
	default:
		return false;
	}
	view_dirty(p->view);
	return true;
}

bool
pane_move(struct pane *p, enum action act)
{
	size_t	h = (size_t)pane_body_h(p), n = pane_count(p);
	size_t	c = p->cursor;

	if (!p->ops->cursor)
		return text_move(p, act);
	if (h == 0)
		h = 1;
	switch (act) {
	case ACT_MOVE_UP:
		if (c > 0)
			c--;
		break;
	case ACT_MOVE_DOWN:
		if (c + 1 < n)
			c++;
		break;
	case ACT_PAGE_UP:
		c = c > h ? c - h : 0;
		if (p->top > h)
			p->top -= h;
		else
			p->top = 0;
		break;
	case ACT_PAGE_DOWN:
		c = c + h < n ? c + h : (n > 0 ? n - 1 : 0);
		p->top += h;
		break;
	case ACT_HALF_UP:
		/* The cursor and the rows move together, as in vi and less. */
		c = c > (h + 1) / 2 ? c - (h + 1) / 2 : 0;
		p->top = p->top > (h + 1) / 2 ? p->top - (h + 1) / 2 : 0;
		break;
	case ACT_HALF_DOWN:
		c = c + (h + 1) / 2 < n ? c + (h + 1) / 2 : (n > 0 ? n - 1 : 0);
		p->top += (h + 1) / 2;
		break;
	case ACT_MOVE_FIRST:
		c = 0;
		break;
	case ACT_MOVE_LAST:
		c = n > 0 ? n - 1 : 0;
		break;
	case ACT_SCROLL_LEFT:
		p->hscroll = p->hscroll > 8 ? p->hscroll - 8 : 0;
		view_dirty(p->view);
		return true;
	case ACT_SCROLL_RIGHT:
		p->hscroll += 8;
		view_dirty(p->view);
		return true;
	default:
		return false;
	}
	pane_set_cursor(p, c);
	pane_scroll_to_cursor(p);
	view_dirty(p->view);
	return true;
}

void
pane_draw(struct pane *p)
{
	struct strbuf	 left = STRBUF_INIT, right = STRBUF_INIT;
	struct style	 ts;
	size_t		 i, n;
	int		 bh = pane_body_h(p), rw, y;

	if (p->h <= 0 || p->w <= 0)
		return;
	ts = theme_style(p->focused ? ROLE_PANE_TITLE_FOCUS : ROLE_PANE_TITLE);
	if (p->ops->title != NULL)
		p->ops->title(p, &left, &right);
	draw_fill(p->y, p->x, p->w, ts);
	rw = text_width(right.buf, right.len);
	if (rw > p->w - 10)
		rw = 0;
	/* Alone, a cut title has the last column for its ellipsis. */
	draw_text_cut(p->y, p->x + 1, p->w - (rw > 0 ? rw + 4 : 1), 0,
	    left.buf, left.len, ts);
	if (rw > 0)
		draw_text(p->y, p->x + p->w - rw - 1, rw, 0, right.buf,
		    right.len, ts);
	strbuf_release(&left);
	strbuf_release(&right);
	if (bh <= 0)
		return;
	if (p->ops->draw != NULL) {
		p->ops->draw(p, p->y + 1, p->x, bh, p->w);
		return;
	}
	n = pane_count(p);
	if (n == 0 && p->ops->empty != NULL) {
		p->ops->empty(p, p->y + 1, p->x, bh, p->w);
		return;
	}
	if (p->ops->cursor)
		pane_scroll_to_cursor(p);
	for (y = 0; y < bh; y++) {
		i = p->top + (size_t)y;
		if (i >= n)
			break;
		p->ops->draw_line(p, i, p->y + 1 + y, p->x, p->w,
		    p->ops->cursor && i == p->cursor);
	}
}

void
pane_click(struct pane *p, int y, int x)
{
	int	row = y - p->y - 1;

	if (row < 0)
		return;
	if (p->ops->click != NULL) {
		p->ops->click(p, row, x - p->x);
		return;
	}
	if (p->ops->cursor && p->top + (size_t)row < pane_count(p))
		pane_set_cursor(p, p->top + (size_t)row);
}
