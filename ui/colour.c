/*
 * colour.c: the colour and attribute names of view.conf, and the colours
 * and attributes configured for each role. Only curses' constants are
 * used here, never a call: the configuration parser and its tests need
 * no screen. theme.c turns what is configured into curses styles.
 */
#include "common.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "colour.h"

struct role_def {
	const char	*name;
	attr_t		 mono;
	short		 fg, bg;
	attr_t		 attr;
};

static struct role_def roles[ROLE_COUNT] = {
#define ROLE_ROW(id, n, m) [ROLE_##id] = { n, m, -1, -1, 0 },
	ROLE_LIST(ROLE_ROW)
#undef ROLE_ROW
};

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

const char *
role_name(enum role r)
{
	return roles[r].name;
}

int
role_find(const char *name)
{
	int	i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (strcmp(roles[i].name, name) == 0)
			return i;
	return -1;
}

int
colour_parse(const char *s, short *out)
{
	const char	*p = s;
	char		*end;
	long		 n;
	size_t		 i;
	int		 bright = 0;

	if (strcasecmp(s, "default") == 0 || strcmp(s, "-1") == 0) {
		*out = -1;
		return 0;
	}
	if (strncasecmp(p, "bright-", 7) == 0) {
		bright = 8;
		p += 7;
	} else if (strncasecmp(p, "bright", 6) == 0) {
		bright = 8;
		p += 6;
	}
	for (i = 0; i < ARRAY_SIZE(colour_names); i++) {
		if (strcasecmp(p, colour_names[i]) == 0) {
			*out = (short)(i + (size_t)bright);
			return 0;
		}
	}
	if (bright == 0 && (strcasecmp(p, "grey") == 0 ||
	    strcasecmp(p, "gray") == 0)) {
		*out = 8;
		return 0;
	}
	if (bright != 0)
		return -1;
	if (strncasecmp(p, "colour", 6) == 0)
		p += 6;
	else if (strncasecmp(p, "color", 5) == 0)
		p += 5;
	if (*p < '0' || *p > '9')
		return -1;
	n = strtol(p, &end, 10);
	if (*end != '\0' || n < 0 || n > 255)
		return -1;
	*out = (short)n;
	return 0;
}

int
attr_parse(const char *s, attr_t *out)
{
	static const struct {
		const char	*name;
		attr_t		 attr;
	} names[] = {
		{ "normal", A_NORMAL },
		{ "bold", A_BOLD },
		{ "dim", A_DIM },
		{ "reverse", A_REVERSE },
		{ "underline", A_UNDERLINE },
		{ "italic", A_ITALIC },
		{ "blink", A_BLINK },
		{ "standout", A_STANDOUT },
	};
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].attr;
			return 0;
		}
	}
	return -1;
}

void
role_set_colours(enum role r, short fg, short bg, attr_t attr)
{
	roles[r].fg = fg;
	roles[r].bg = bg;
	roles[r].attr = attr;
}

void
role_colours(enum role r, short *fg, short *bg, attr_t *attr, attr_t *mono)
{
	*fg = roles[r].fg;
	*bg = roles[r].bg;
	*attr = roles[r].attr;
	*mono = roles[r].mono;
}
