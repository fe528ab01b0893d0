/*
 * colour.h: the names "color" lines of view.conf use (roles, colours,
 * attributes) and the colours configured per role. Curses' types and
 * constants only, no calls: the configuration is read before there is a
 * screen (and in tests without one). theme.h makes styles of it.
 */
#ifndef GUILD_UI_COLOUR_H
#define GUILD_UI_COLOUR_H

#include <curses.h>

#include "role.h"

const char	*role_name(enum role);
int		 role_find(const char *);	/* -1 when unknown */
/*
 * Colour names: default (-1), black..white (0-7), bright-* (8-15),
 * grey, colorN or N (0-255). -1 when unknown.
 */
int		 colour_parse(const char *, short *out);
/* Attribute names: bold, dim, reverse, underline, italic, blink, normal. */
int		 attr_parse(const char *, attr_t *out);
/* Configure a role (replacing what it had); -1: the terminal default. */
void		 role_set_colours(enum role, short fg, short bg, attr_t);
/*
 * What is configured for a role, and the attributes it falls back to
 * without colours (mono).
 */
void		 role_colours(enum role, short *fg, short *bg, attr_t *attr,
		    attr_t *mono);

#endif
