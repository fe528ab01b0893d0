/*
 * image.h: pictures in the terminal, the one wrapper of the image
 * libraries (stb_image decodes PNG, JPEG, GIF and BMP, libwebp WebP,
 * libchafa draws). Nothing here touches curses: the image view draws
 * the cells it gets (symbols) or writes the escapes (kitty, sixel,
 * truecolour symbols) over the screen curses drew.
 *
 * The renderer is chosen from what the terminal says of itself (TERM,
 * COLORTERM, the colours of its terminfo entry, its answer to the
 * device attributes query), never guessed: a terminal that did not say
 * it shows pictures gets symbols, and under tmux, which passes no
 * graphics, always symbols.
 */
#ifndef GUILD_UI_IMAGE_H
#define GUILD_UI_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A decoded picture: RGBA, 8 bits a channel, rows of w * 4 bytes. */
struct image {
	int		 w, h;
	long long	 bytes;		/* of the file */
	const char	*format;	/* "PNG", "JPEG", "GIF", "WebP", "BMP" */
	unsigned char	*rgba;
};

/* What files are read and decoded at most (a run's files are untrusted). */
#define IMAGE_FILE_MAX		(64 * 1024 * 1024)
#define IMAGE_PIXELS_MAX	(64 * 1024 * 1024)

/*
 * The format of a file from its first bytes ("PNG", ...), NULL when it
 * is none we decode.
 */
const char	*image_format(const void *head, size_t len);
/*
 * Read and decode a picture. NULL with cause ("PATH: not an image",
 * "PATH: 30000x30000 pixels, too large to show") on failure.
 */
struct image	*image_load(const char *path, char **cause);
void		 image_free(struct image *);

enum image_renderer {
	IMAGE_SYMBOLS,	/* Unicode block symbols (ASCII without UTF-8) */
	IMAGE_SIXEL,
	IMAGE_KITTY
};

enum image_colours {
	IMAGE_MONO,
	IMAGE_16,
	IMAGE_256,
	IMAGE_TRUECOLOR
};

/* What the terminal said of itself. */
struct image_term {
	const char	*term;		/* $TERM */
	const char	*colorterm;	/* $COLORTERM */
	bool		 tmux;		/* $TMUX set */
	bool		 kitty;		/* $KITTY_WINDOW_ID set */
	int		 colours;	/* terminfo's colors (-1: none) */
	const char	*da1;		/* the reply to ESC [ c, NULL: none */
};

/* The renderer and the colours for a terminal. */
void		 image_choose(const struct image_term *,
		    enum image_renderer *, enum image_colours *);
/* "symbols, 256 colours", for the title of the image view. */
const char	*image_renderer_name(enum image_renderer, enum image_colours);
/*
 * Whether to ask the terminal for its device attributes: not under
 * tmux or a terminal known not to draw pictures (no answer to wait for).
 */
bool		 image_should_query(const struct image_term *);
/*
 * Ask the terminal on out_fd for its primary device attributes and read
 * the answer from in_fd (in raw mode) for up to timeout_ms. The answer
 * ("\033[?62;4;22c") is returned (caller frees), NULL when none came;
 * other bytes read meanwhile (keys) are appended to other.
 */
struct strbuf;
char		*image_query_da1(int in_fd, int out_fd, int timeout_ms,
		    struct strbuf *other);

/* The cells a picture takes in a cols x rows area, its aspect kept. */
void		 image_fit(const struct image *, int cols, int rows, int *w,
		    int *h);

/* A cell of the symbol renderer: colours are indexes, -1 the default. */
struct image_cell {
	uint32_t	ch;
	int		fg, bg;
};
struct image_cells {
	int			 w, h;
	struct image_cell	*v;	/* w * h, by rows */
};
/*
 * The picture as symbols fitted into cols x rows, in colours (indexes
 * into the 256 or 16 colour palette; mono: every colour -1); ascii:
 * only ASCII characters (no UTF-8). NULL when it cannot be drawn.
 */
struct image_cells *image_symbols(const struct image *, int cols, int rows,
		    enum image_colours, bool ascii);
void		 image_cells_free(struct image_cells *);
/*
 * The picture fitted into cols x rows as the escape sequences of a
 * renderer (sixel, kitty, or symbols in truecolour), to be written with
 * the cursor at the top left of the area; each row of symbols starts
 * with "\033[%d;%dH" for row y0 + i, column x0 (1-based). Caller frees.
 */
char		*image_escapes(const struct image *, int y0, int x0, int cols,
		    int rows, enum image_renderer, enum image_colours,
		    size_t *len);

#endif
