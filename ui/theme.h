/*
 * theme.h: the style (curses attributes and colour pair) of each colour
 * role, made from what view.conf configured (colour.h) once the
 * terminal's colours are known; without colours every role falls back
 * to attributes. Also the styles of colours in run output.
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

/* After start_color(): allocate pairs, or only attributes when !colour. */
void		 theme_init(bool colour);
struct style	 theme_style(enum role);
/* A style of cooked output (SGR colours) for curses. */
struct style	 theme_output_style(const struct output_style *);
/* A style of 256-colour indexes (-1: default), fitted to the terminal. */
struct style	 theme_colour_style(int fg, int bg);
bool		 theme_has_colour(void);
/* The status role of a run status. */
enum role	 theme_status_role(int run_status);

#endif
