/*
 * utf8.h: UTF-8 text measured in terminal columns. Invalid bytes count
 * as one U+FFFD each, so any bytes (run output, file names) measure and
 * draw without surprises. No curses here.
 */
#ifndef GUILD_UI_UTF8_H
#define GUILD_UI_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The terminal takes UTF-8 (set at start-up); else every cell is 1. */
extern bool	display_utf8;

/* Decode one UTF-8 character; invalid bytes give U+FFFD, one byte. */
size_t		 utf8_decode(const char *s, size_t len, int *cp);
/* Columns of text as drawn (tabs to the next multiple of 8). */
int		 text_width(const char *s, size_t len);
/* Bytes of s that fit in w columns. */
size_t		 text_fit(const char *s, size_t len, int w);

/*
 * Every cut shows: these are the one place that decides where text cut
 * to a width ends and that it ends with an ellipsis.
 *
 * The ellipsis: U+2026 on a UTF-8 terminal, else "~"; one column.
 */
const char	*text_ellipsis(void);
/*
 * The bytes of s to draw in w columns after skipping skip columns (a
 * horizontal scroll): all of it when the rest fits (*cut false), else
 * what fits in w - 1 columns, *cut true, the last column being for the
 * ellipsis. Never inside a UTF-8 sequence or a wide character; the
 * combining marks of a character kept are kept.
 */
size_t		 text_cut(const char *s, size_t len, int skip, int w,
		    bool *cut);

struct strbuf;
/*
 * Append s in exactly w columns, for text laid out in columns before it
 * is drawn: cut with the ellipsis when wider (as text_cut), padded with
 * spaces when narrower (printf's %-*s counts bytes, not columns).
 */
void		 text_add_cut(struct strbuf *, const char *s, int w);

#endif
