/*
 * theme.c: the styles the colour roles give on this terminal (colour.c
 * holds what is configured); colours of cooked output mapped to what
 * the terminal has.
 *
 * Without colours (NO_COLOR, a monochrome terminal) every role falls
 * back to its attributes: the table's monochrome ones plus those the
 * configuration gives.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "colour.h"
#include "output.h"
#include "run.h"
#include "theme.h"

/* The styles of the roles, made by theme_init(). */
static struct style	styles[ROLE_COUNT];

static bool	have_colour;

/* Pairs for output colours, found by a small open-addressing table. */
#define PAIR_SLOTS 16384
static struct {
	int	fg, bg;
	int	pair;	/* 0: empty */
} pair_cache[PAIR_SLOTS];
static int	next_pair = 1;

/* Fit a 256-colour index into the terminal's colours. */
static short
fit_colour(int c, attr_t *extra)
{
	static const unsigned char	cube[6] = { 0, 95, 135, 175, 215, 255 };
	int				r, g, b, best, i;
	long				bestd;

	if (c < 0 || c < COLORS)
		return (short)c;
	if (c < 16) {
		/* Bright colours on 8-colour terminals: bold. */
		*extra |= A_BOLD;
		return (short)(c - 8);
	}
	if (c < 232) {
		r = cube[(c - 16) / 36];
		g = cube[((c - 16) / 6) % 6];
		b = cube[(c - 16) % 6];
	} else
		r = g = b = 8 + (c - 232) * 10;
	/* The nearest of the eight basic colours. */
	best = 0;
	bestd = -1;
	for (i = 0; i < 8; i++) {
		int	cr = (i & 1) ? 205 : 0;
		int	cg = (i & 2) ? 205 : 0;
		int	cb = (i & 4) ? 205 : 0;
		long	d = (long)(r - cr) * (r - cr) + (long)(g - cg) * (g - cg) +
			    (long)(b - cb) * (b - cb);

		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return (short)best;
}

/* An RGB colour as the nearest xterm 256-colour index. */
static int
rgb_index(int32_t rgb)
{
	int	r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
	int	ri = r < 48 ? 0 : r < 115 ? 1 : (r - 35) / 40;
	int	gi = g < 48 ? 0 : g < 115 ? 1 : (g - 35) / 40;
	int	bi = b < 48 ? 0 : b < 115 ? 1 : (b - 35) / 40;

	if (r == g && g == b) {
		if (r < 8)
			return 16;
		if (r > 238)
			return 231;
		return 232 + (r - 8) / 10;
	}
	return 16 + ri * 36 + gi * 6 + bi;
}

static int
pair_for(int fg, int bg)
{
	unsigned	h = ((unsigned)(fg + 2) * 257u + (unsigned)(bg + 2)) %
			    PAIR_SLOTS;
	unsigned	i;
	int		pair;

	if (fg == -1 && bg == -1)
		return 0;
	for (i = 0; i < PAIR_SLOTS; i++) {
		unsigned	slot = (h + i) % PAIR_SLOTS;

		if (pair_cache[slot].pair == 0) {
			if (next_pair >= COLOR_PAIRS || next_pair > 32767)
				return 0;
			pair = next_pair++;
			if (init_pair((short)pair, (short)fg, (short)bg) == ERR)
				return 0;
			pair_cache[slot].fg = fg;
			pair_cache[slot].bg = bg;
			pair_cache[slot].pair = pair;
			return pair;
		}
		if (pair_cache[slot].fg == fg && pair_cache[slot].bg == bg)
			return pair_cache[slot].pair;
	}
	return 0;
}

void
theme_init(bool colour)
{
	int	i;

	have_colour = colour;
	memset(pair_cache, 0, sizeof pair_cache);
	next_pair = 1;
	for (i = 0; i < ROLE_COUNT; i++) {
		struct style	*st = &styles[i];
		attr_t		 attr, mono, extra = 0;
		short		 fg, bg;

		role_colours((enum role)i, &fg, &bg, &attr, &mono);
		/* Without colours, configured attributes would blur roles. */
		if (!colour) {
			st->attr = mono;
			st->pair = 0;
			continue;
		}
		st->attr = attr;
		st->pair = pair_for(fit_colour(fg, &extra),
		    fit_colour(bg, &extra));
		st->attr |= extra;
	}
}

struct style
theme_style(enum role r)
{
	return styles[r];
}

bool
theme_has_colour(void)
{
	return have_colour;
}

struct style
theme_output_style(const struct output_style *os)
{
	struct style	st = { 0, 0 };
	attr_t		extra = 0;
	int		fg = os->fg, bg = os->bg;

	if (os->attrs & OUTPUT_BOLD)
		st.attr |= A_BOLD;
	if (os->attrs & OUTPUT_DIM)
		st.attr |= A_DIM;
	if (os->attrs & OUTPUT_ITALIC)
		st.attr |= A_ITALIC;
	if (os->attrs & OUTPUT_UNDERLINE)
		st.attr |= A_UNDERLINE;
	if (os->attrs & OUTPUT_REVERSE)
		st.attr |= A_REVERSE;
	if (!have_colour)
		return st;
	if (fg != OUTPUT_COLOUR_DEFAULT && (fg & OUTPUT_COLOUR_RGB))
		fg = rgb_index(fg & 0xffffff);
	if (bg != OUTPUT_COLOUR_DEFAULT && (bg & OUTPUT_COLOUR_RGB))
		bg = rgb_index(bg & 0xffffff);
	fg = fit_colour(fg, &extra);
	bg = fit_colour(bg, &extra);
	st.pair = pair_for(fg, bg);
	st.attr |= extra;
	return st;
}

struct style
theme_colour_style(int fg, int bg)
{
	struct style	st = { 0, 0 };
	attr_t		extra = 0;

	if (!have_colour)
		return st;
	fg = fit_colour(fg, &extra);
	bg = fit_colour(bg, &extra);
	st.pair = pair_for(fg, bg);
	st.attr |= extra;
	return st;
}

enum role
theme_status_role(int status)
{
	switch (status) {
	case RUN_STATUS_RUNNING:
		return ROLE_RUNNING;
	case RUN_STATUS_COMPLETED:
		return ROLE_COMPLETED;
	case RUN_STATUS_ERROR:
		return ROLE_FAILED;
	case RUN_STATUS_TERMINATED:
		return ROLE_TERMINATED;
	default:
		return ROLE_PENDING;
	}
}
