/*
 * theme.h: the style (curses attributes and colour pair) of each colour
 * role, set by "color" lines of view.conf and allocated once colours
 * are known; without colours every role falls back to attributes.
 */
#ifndef GUILD_UI_THEME_H
#define GUILD_UI_THEME_H

#include <curses.h>
#include <stdbool.h>

#include "role.h"

struct output_style;

/* A curses style: attributes and a colour pair. */
struct style {
	attr_t	attr;
	int	pair;
};

const char	*role_name(enum role);
int		 role_find(const char *);	/* -1 when unknown */
/* Colour names: default, black..white, bright-*, colorN, N (0-255). */
int		 colour_parse(const char *, short *out);
/* Attribute names: bold, dim, reverse, underline, italic, blink, normal. */
int		 attr_parse(const char *, attr_t *out);
void		 theme_set(enum role, short fg, short bg, attr_t);
/* After start_color(): allocate pairs, or only attributes when !colour. */
void		 theme_init(bool colour);
struct style	 theme_style(enum role);
/* A style of cooked output (SGR colours) for curses. */
struct style	 theme_output_style(const struct output_style *);
bool		 theme_has_colour(void);
/* The status role of a run status. */
enum role	 theme_status_role(int run_status);

#endif
