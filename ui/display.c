/*
 * display.c: drawing text into stdscr. Text arrives as UTF-8 from run
 * names, labels, files and cooked output; it is measured with wcwidth
 * and drawn cell by cell, so wide characters line up and nothing but
 * printable characters reaches the terminal.
 */
#include "common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "display.h"
#include "output.h"
#include "strbuf.h"

/* Put one cell; cp is known to be printable here. */
static void
put_cell(int y, int x, const wchar_t *wc, struct style st)
{
	cchar_t	cc;

	if (setcchar(&cc, wc, st.attr, (short)st.pair, NULL) == ERR)
		return;
	mvadd_wch(y, x, &cc);
}

/*
 * The state of a row being drawn: where we are, what is left, and the
 * cell being built (a base character and its combining marks).
 */
struct cursor {
	int	y, x, end;	/* next column; first column past the area */
	int	skip;		/* columns still to skip (horizontal scroll) */
	int	col;		/* text column reached (tabs) */
	wchar_t	cell[CCHARW_MAX + 1];
	int	ncell;
	int	cellw;
	struct style cellst;
};

static void
flush_cell(struct cursor *c)
{
	if (c->ncell == 0)
		return;
	c->cell[c->ncell] = L'\0';
	put_cell(c->y, c->x, c->cell, c->cellst);
	c->x += c->cellw;
	c->ncell = 0;
}

/* Add a code point; false when the area is full. */
static bool
add_cp(struct cursor *c, int cp, struct style st)
{
	int	w;

	if (cp == '\t') {
		int	n = 8 - c->col % 8;

		while (n-- > 0)
			if (!add_cp(c, ' ', st))
				return false;
		return true;
	}
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		cp = '?';
	else if (cp >= 0x80 && !display_utf8)
		cp = '?';
	w = display_utf8 && cp >= 0x80 ? wcwidth((wchar_t)cp) : 1;
	if (w < 0) {
		cp = display_utf8 ? 0xfffd : '?';
		w = 1;
	}
	if (w == 0) {
		/* A combining mark joins the cell before it, if any. */
		if (c->ncell > 0 && c->ncell < CCHARW_MAX)
			c->cell[c->ncell++] = (wchar_t)cp;
		return true;
	}
	c->col += w;
	if (c->skip > 0) {
		c->skip -= w;
		if (c->skip < 0) {
			/* Half a wide character scrolled away: a blank. */
			flush_cell(c);
			while (c->skip < 0 && c->x < c->end) {
				put_cell(c->y, c->x, L" ", st);
				c->x++;
				c->skip++;
			}
			c->skip = 0;
		}
		return true;
	}
	flush_cell(c);
	if (c->x + w > c->end) {
		/* A wide character that does not fit: blank the rest. */
		while (c->x < c->end) {
			put_cell(c->y, c->x, L" ", st);
			c->x++;
		}
		return false;
	}
	c->cell[0] = (wchar_t)cp;
	c->ncell = 1;
	c->cellw = w;
	c->cellst = st;
	return true;
}

static void
cursor_init(struct cursor *c, int y, int x, int w, int skip)
{
	memset(c, 0, sizeof *c);
	c->y = y;
	c->x = x;
	c->end = x + (w < 0 ? 0 : w);
	c->skip = skip;
}

static int
cursor_done(struct cursor *c, int x0)
{
	flush_cell(c);
	return c->x - x0;
}

int
draw_str(int y, int x, int w, const char *s, struct style st)
{
	return draw_text(y, x, w, 0, s, strlen(s), st);
}

int
draw_printf(int y, int x, int w, struct style st, const char *fmt, ...)
{
	struct strbuf	sb = STRBUF_INIT;
	va_list		ap;
	int		n;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	n = draw_text_cut(y, x, w, 0, sb.buf, sb.len, st);
	strbuf_release(&sb);
	return n;
}

void
draw_fill(int y, int x, int w, struct style st)
{
	int	i;

	for (i = 0; i < w; i++)
		put_cell(y, x + i, L" ", st);
}

static struct style
merge(struct style base, struct style over)
{
	struct style	st = base;

	st.attr |= over.attr;
	if (over.pair != 0)
		st.pair = over.pair;
	return st;
}

/*
 * Every text drawn goes through here. With cut, a text that does not
 * fit ends with the ellipsis right after what is drawn of it.
 */
static int
draw_spans(int y, int x, int w, int skip, const char *s, size_t len,
    const struct output_span *spans, size_t nspans, struct style base,
    const struct mark *marks, size_t nmarks, struct style mark, bool cut)
{
	struct cursor	c;
	struct style	st;
	size_t		i = 0, si = 0, mi = 0, n;
	int		cp, drawn;
	bool		over = false;

	if (w <= 0)
		return 0;
	if (cut)
		len = text_cut(s, len, skip, w, &over);
	cursor_init(&c, y, x, w, skip);
	while (i < len) {
		while (si < nspans && spans[si].end <= i)
			si++;
		while (mi < nmarks && marks[mi].end <= i)
			mi++;
		st = base;
		if (si < nspans && spans[si].start <= i)
			st = merge(base, theme_output_style(&spans[si].style));
		if (mi < nmarks && marks[mi].start <= i)
			st = mark;
		n = utf8_decode(s + i, len - i, &cp);
		i += n;
		if (!add_cp(&c, cp, st))
			break;
	}
	drawn = cursor_done(&c, x);
	if (over && drawn < w) {
		utf8_decode(text_ellipsis(), strlen(text_ellipsis()), &cp);
		draw_cp(y, x + drawn, cp, base);
		drawn++;
	}
	return drawn;
}

int
draw_text(int y, int x, int w, int skip, const char *s, size_t len,
    struct style st)
{
	return draw_spans(y, x, w, skip, s, len, NULL, 0, st, NULL, 0, st,
	    false);
}

int
draw_text_cut(int y, int x, int w, int skip, const char *s, size_t len,
    struct style st)
{
	return draw_spans(y, x, w, skip, s, len, NULL, 0, st, NULL, 0, st,
	    true);
}

int
draw_rich(int y, int x, int w, int skip, const char *s, size_t len,
    const struct output_span *spans, size_t nspans, struct style base,
    const struct mark *marks, size_t nmarks, struct style mark)
{
	return draw_spans(y, x, w, skip, s, len, spans, nspans, base, marks,
	    nmarks, mark, false);
}

int
draw_rich_cut(int y, int x, int w, int skip, const char *s, size_t len,
    const struct output_span *spans, size_t nspans, struct style base,
    const struct mark *marks, size_t nmarks, struct style mark)
{
	return draw_spans(y, x, w, skip, s, len, spans, nspans, base, marks,
	    nmarks, mark, true);
}

void
draw_cp(int y, int x, int cp, struct style st)
{
	wchar_t	wc[2] = { (wchar_t)cp, L'\0' };

	if (cp >= 0x80 && !display_utf8)
		wc[0] = L'?';
	put_cell(y, x, wc, st);
}

void
draw_hline(int y, int x, int w, struct style st)
{
	int	i;

	for (i = 0; i < w; i++)
		draw_cp(y, x + i, display_utf8 ? 0x2500 : '-', st);
}

void
draw_vline(int y, int x, int h, struct style st)
{
	int	i;

	for (i = 0; i < h; i++)
		draw_cp(y + i, x, display_utf8 ? 0x2502 : '|', st);
}

void
draw_box(int y, int x, int h, int w, struct style st)
{
	struct style	plain = theme_style(ROLE_DEFAULT);
	int		i;

	if (h < 2 || w < 2)
		return;
	for (i = 1; i < h - 1; i++)
		draw_fill(y + i, x + 1, w - 2, plain);
	draw_hline(y, x + 1, w - 2, st);
	draw_hline(y + h - 1, x + 1, w - 2, st);
	draw_vline(y + 1, x, h - 2, st);
	draw_vline(y + 1, x + w - 1, h - 2, st);
	draw_cp(y, x, display_utf8 ? 0x250c : '+', st);
	draw_cp(y, x + w - 1, display_utf8 ? 0x2510 : '+', st);
	draw_cp(y + h - 1, x, display_utf8 ? 0x2514 : '+', st);
	draw_cp(y + h - 1, x + w - 1, display_utf8 ? 0x2518 : '+', st);
}

int
draw_wrapped(int y, int x, int h, int w, const char *s, struct style first,
    struct style rest)
{
	const char	*line, *end, *brk;
	size_t		 len, fit;
	int		 row = 0;

	if (w <= 0)
		return 0;
	while (row < h && *s != '\0') {
		line = s;
		end = strchr(s, '\n');
		len = end != NULL ? (size_t)(end - s) : strlen(s);
		fit = text_fit(line, len, w);
		if (row == h - 1 && (fit < len || (end != NULL &&
		    end[1] != '\0'))) {
			/* The last row: what does not fit is cut, visibly. */
			struct strbuf	sb = STRBUF_INIT;

			strbuf_add(&sb, line, len);
			if (end != NULL)
				strbuf_addstr(&sb, text_ellipsis());
			draw_text_cut(y + row, x, w, 0, sb.buf, sb.len,
			    row == 0 ? first : rest);
			strbuf_release(&sb);
			return row + 1;
		}
		if (fit < len) {
			/* Break at the last space that fits, if any. */
			for (brk = line + fit; brk > line && *brk != ' '; brk--)
				;
			if (brk > line)
				fit = (size_t)(brk - line);
			else if (fit == 0)
				fit = 1;
		}
		draw_text(y + row, x, w, 0, line, fit, row == 0 ? first : rest);
		row++;
		s = line + fit;
		while (*s == ' ')
			s++;
		if (fit == len && *s == '\n')
			s++;
	}
	return row;
}

int
draw_str_cut(int y, int x, int w, const char *s, struct style st)
{
	return draw_text_cut(y, x, w, 0, s, strlen(s), st);
}
