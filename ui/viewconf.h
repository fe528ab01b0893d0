/*
 * viewconf.h: view.conf, the key bindings, colours and settings of guild
 * view. The defaults are a view.conf of their own (view-defaults.conf,
 * compiled in at build time), parsed by the same code as the user's
 * file, which is read after it and so overrides it line by line.
 *
 * The parser needs no screen: it fills a keymap, the theme's table and
 * view_settings, and collects errors instead of printing them.
 */
#ifndef GUILD_UI_VIEWCONF_H
#define GUILD_UI_VIEWCONF_H

#include <stdbool.h>

struct guild_home;
struct keymap;
struct strvec;

/* The built-in defaults: view-defaults.conf without its ## lines. */
extern const char	view_default_config[];

/*
 * Parse configuration text: "bind [KEYMAP] KEY ACTION", "color ROLE FG
 * [BG [ATTR...]]", "set NAME VALUE", "# comments". Errors are collected
 * as "FILE:LINE: message" in errors; good lines still apply.
 */
void		 config_parse(struct keymap *, const char *text,
		    const char *file, struct strvec *errors);
/* The user's file: $GUILD_VIEW_CONF, else $GUILD_HOME/view.conf. */
char		*config_user_path(const struct guild_home *);

struct view_settings {
	int	refresh_ms;	/* runs list refresh */
	int	follow_ms;	/* output polling while following */
	int	redraw_ms;	/* throttle for redraws caused by data */
	int	output_lines;	/* lines of output kept per run */
	int	plot_style;	/* 0 braille, 1 blocks, 2 ascii; -1: auto */
	double	plot_smoothing;	/* TensorBoard's weight, [0, 1); 0: none */
	bool	mouse;
};
extern struct view_settings	view_settings;

#endif
