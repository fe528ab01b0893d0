/*
 * display.h: drawing into stdscr. Text is UTF-8 from anywhere (run
 * output, labels, file names): control characters never reach the
 * terminal, wide characters are never cut in half, and without a UTF-8
 * terminal lines and box corners fall back to ASCII.
 */
#ifndef GUILD_UI_DISPLAY_H
#define GUILD_UI_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "theme.h"
#include "utf8.h"

struct output_span;

/*
 * Draw UTF-8 text at (y, x), at most w columns, after skipping the
 * first skip columns. Tabs expand to 8 columns, control characters are
 * never sent (drawn as '?'), wide characters are not cut in half.
 * Returns the columns drawn.
 */
int		 draw_text(int y, int x, int w, int skip, const char *s,
		    size_t len, struct style);
int		 draw_str(int y, int x, int w, const char *s, struct style);
/*
 * The same, but a text cut ends with an ellipsis (~ without UTF-8)
 * right after what is drawn of it, so a cut never passes for the whole
 * text: every text cut to a width is drawn with these (text_cut says
 * where the cut falls). Returns the columns drawn, the ellipsis's too.
 */
int		 draw_text_cut(int y, int x, int w, int skip, const char *s,
		    size_t len, struct style);
int		 draw_str_cut(int y, int x, int w, const char *s,
		    struct style);
/* Formatted, and cut as draw_str_cut cuts. */
int		 draw_printf(int y, int x, int w, struct style, const char *fmt,
		    ...) __attribute__((format(printf, 5, 6)));
void		 draw_fill(int y, int x, int w, struct style);
/* Byte ranges to highlight in draw_rich. */
struct mark {
	size_t	start, end;
};
/*
 * Text with cooked-output colour spans and highlighted ranges (search
 * matches) over a base style.
 */
int		 draw_rich(int y, int x, int w, int skip, const char *s,
		    size_t len, const struct output_span *, size_t nspans,
		    struct style base, const struct mark *, size_t nmarks,
		    struct style mark);
/* The same, a cut marked as draw_text_cut marks it. */
int		 draw_rich_cut(int y, int x, int w, int skip, const char *s,
		    size_t len, const struct output_span *, size_t nspans,
		    struct style base, const struct mark *, size_t nmarks,
		    struct style mark);
/*
 * Text wrapped at spaces into at most h rows, the last one cut with an
 * ellipsis when text is left over; returns the rows used.
 */
int		 draw_wrapped(int y, int x, int h, int w, const char *s,
		    struct style first, struct style rest);
/* One cell with a code point (box drawing, plots). */
void		 draw_cp(int y, int x, int cp, struct style);
/* A horizontal or vertical line: UTF-8 box drawing, else ASCII. */
void		 draw_hline(int y, int x, int w, struct style);
void		 draw_vline(int y, int x, int h, struct style);
/* A box with a border, its inside erased. */
void		 draw_box(int y, int x, int h, int w, struct style);

#endif
