/*
 * sparkline.h: a series of values drawn as one line of w cells, with
 * UTF-8 block characters when the terminal takes them, else ASCII.
 */
#ifndef GUILD_UI_SPARKLINE_H
#define GUILD_UI_SPARKLINE_H

#include <stddef.h>

struct strbuf;

/* Sparkline of values (UTF-8 blocks, else ASCII), w cells. */
void		 fmt_sparkline(struct strbuf *, const double *v, size_t n,
		    int w);

#endif
