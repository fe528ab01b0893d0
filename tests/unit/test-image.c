/*
 * test-image.c: the image wrapper (ui/image.c) on a PNG and a JPEG
 * fixture (16x8 pixels, the left half red, the right half blue): decode,
 * fit, symbols in each palette, the escapes of each protocol, and the
 * renderer chosen from what a terminal says of itself.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"
#include "strbuf.h"
#include "tap.h"
#include "util.h"

/* The 240-colour palette's cube: which of red and blue dominates. */
static int
redness(int idx)
{
	int	r, b;

	if (idx < 16 || idx > 231)
		return 0;
	r = (idx - 16) / 36;
	b = (idx - 16) % 6;
	return r - b;
}

static void
check_fixture(const char *name, const char *format)
{
	char			*path = xasprintf("%s/%s", IMAGES_DIR, name);
	char			*cause = NULL, *esc;
	struct image		*img = image_load(path, &cause);
	struct image_cells	*cells;
	const struct image_cell	*left, *right;
	size_t			 len;
	int			 w, h;

	ok(img != NULL, "%s: decoded (%s)", name, cause ? cause : "");
	if (img == NULL) {
		free(cause);
		free(path);
		return;
	}
	is_int(img->w, 16, "%s: 16 pixels wide", name);
	is_int(img->h, 8, "%s: 8 high", name);
	is_str(img->format, format, "%s: its format", name);
	ok(img->bytes > 0 && img->bytes < 2000, "%s: its size in bytes (%lld)",
	    name, img->bytes);
	ok(img->rgba[0] > 180 && img->rgba[2] < 80,
	    "%s: the first pixel is red", name);
	ok(img->rgba[(8 * 16 - 1) * 4 + 2] > 180 &&
	    img->rgba[(8 * 16 - 1) * 4] < 80, "%s: the last one blue", name);

	image_fit(img, 40, 40, &w, &h);
	is_int(w, 40, "%s: fitted to 40 columns", name);
	is_int(h, 10, "%s: and 10 rows (cells twice as high as wide)", name);
	image_fit(img, 80, 5, &w, &h);
	ok(w == 20 && h == 5, "%s: a short area limits the width (%dx%d)",
	    name, w, h);

	cells = image_symbols(img, 8, 8, IMAGE_256, false);
	ok(cells != NULL && cells->w == 8 && cells->h == 2,
	    "%s: 256 colours, 8x2 cells", name);
	if (cells != NULL) {
		left = &cells->v[0];
		right = &cells->v[cells->w - 1];
		ok(redness(left->ch == ' ' ? left->bg : left->fg) > 0 ||
		    redness(left->bg) > 0, "%s: red on the left (%d/%d)",
		    name, left->fg, left->bg);
		ok(redness(right->ch == ' ' ? right->bg : right->fg) < 0 ||
		    redness(right->bg) < 0, "%s: blue on the right (%d/%d)",
		    name, right->fg, right->bg);
		ok(left->ch == ' ' || (left->ch >= 0x2580 &&
		    left->ch <= 0x259f), "%s: block symbols (U+%04X)", name,
		    (unsigned)left->ch);
	}
	image_cells_free(cells);
	cells = image_symbols(img, 8, 8, IMAGE_16, false);
	ok(cells != NULL && cells->v[0].fg < 16 && cells->v[0].bg < 16,
	    "%s: 16 colours", name);
	image_cells_free(cells);
	cells = image_symbols(img, 8, 8, IMAGE_MONO, true);
	ok(cells != NULL && cells->v[0].fg == -1 && cells->v[0].ch < 128,
	    "%s: monochrome ASCII", name);
	image_cells_free(cells);

	esc = image_escapes(img, 3, 5, 8, 8, IMAGE_SYMBOLS, IMAGE_TRUECOLOR,
	    &len);
	ok(esc != NULL && strstr(esc, "\033[3;5H") != NULL &&
	    strstr(esc, "\033[4;5H") != NULL && strstr(esc, "38;2;") != NULL,
	    "%s: truecolour symbols, each row placed", name);
	free(esc);
	esc = image_escapes(img, 1, 1, 8, 8, IMAGE_SIXEL, IMAGE_256, &len);
	ok(esc != NULL && strstr(esc, "\033P") != NULL, "%s: sixel", name);
	free(esc);
	esc = image_escapes(img, 1, 1, 8, 8, IMAGE_KITTY, IMAGE_TRUECOLOR,
	    &len);
	ok(esc != NULL && strstr(esc, "\033_G") != NULL, "%s: kitty", name);
	free(esc);
	image_free(img);
	free(path);
}

static void
check_choose(void)
{
	struct image_term	t = { .term = "xterm-256color", .colours = 256 };
	enum image_renderer	r;
	enum image_colours	c;

	image_choose(&t, &r, &c);
	ok(r == IMAGE_SYMBOLS && c == IMAGE_256, "xterm-256color: symbols, 256");
	ok(image_should_query(&t), "xterm-256color is asked what it draws");
	t.da1 = "\033[?62;4;22c";
	image_choose(&t, &r, &c);
	ok(r == IMAGE_SIXEL, "device attributes with 4: sixel");
	t.da1 = "\033[?62;22c";
	image_choose(&t, &r, &c);
	ok(r == IMAGE_SYMBOLS, "device attributes without 4: symbols");
	t.da1 = "\033[?64;4c";
	t.tmux = true;
	image_choose(&t, &r, &c);
	ok(r == IMAGE_SYMBOLS, "under tmux: symbols, whatever it answers");
	ok(!image_should_query(&t), "tmux is not asked");
	t.tmux = false;
	t.da1 = NULL;
	t.kitty = true;
	image_choose(&t, &r, &c);
	ok(r == IMAGE_KITTY && c == IMAGE_TRUECOLOR, "kitty: its protocol");
	t.kitty = false;
	t.term = "xterm-kitty";
	image_choose(&t, &r, &c);
	ok(r == IMAGE_KITTY, "TERM=xterm-kitty: its protocol");
	t.term = "xterm";
	t.colours = 8;
	t.colorterm = "truecolor";
	image_choose(&t, &r, &c);
	ok(r == IMAGE_SYMBOLS && c == IMAGE_TRUECOLOR,
	    "COLORTERM=truecolor: symbols in truecolour");
	t.colorterm = NULL;
	image_choose(&t, &r, &c);
	ok(c == IMAGE_16, "8 colours: the 16-colour palette");
	t.colours = -1;
	image_choose(&t, &r, &c);
	ok(c == IMAGE_MONO, "no colours: monochrome");
	t.term = "linux";
	ok(!image_should_query(&t), "the Linux console is not asked");
	is_str(image_renderer_name(IMAGE_SYMBOLS, IMAGE_256),
	    "symbols, 256 colours", "the renderer's name");
}

static void
check_bad(void)
{
	char		 dir[] = "/tmp/test-image.XXXXXX";
	char		*path, *cause = NULL;
	/* A PNG header that claims 10000x10000 pixels. */
	static const unsigned char bomb[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
		0, 0, 0, 13, 'I', 'H', 'D', 'R',
		0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10, 8, 6, 0, 0, 0,
		0, 0, 0, 0,
	};

	ok(mkdtemp(dir) != NULL, "a temporary directory");
	ok(image_format("hello, world", 12) == NULL, "text is no image");
	ok(image_format("GIF89a......", 12) != NULL, "a GIF by its bytes");
	ok(image_format("RIFF\0\0\0\0WEBPVP8 ", 16) != NULL,
	    "a WebP by its bytes");
	path = xasprintf("%s/a.png", dir);
	write_file_atomic(path, "hello, world\n", 13, NULL);
	ok(image_load(path, &cause) == NULL && cause != NULL &&
	    strstr(cause, "not an image") != NULL,
	    "a text file named .png: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	write_file_atomic(path, bomb, sizeof bomb, NULL);
	ok(image_load(path, &cause) == NULL && cause != NULL &&
	    strstr(cause, "10000x10000 pixels, too large") != NULL,
	    "a picture too large is not decoded: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	write_file_atomic(path, bomb, 20, NULL);
	ok(image_load(path, &cause) == NULL && cause != NULL &&
	    strstr(cause, "damaged PNG") != NULL, "a cut one: %s",
	    cause ? cause : "");
	free(cause);
	free(path);
	rm_rf(dir, NULL);
}

int
main(void)
{
	check_fixture("red-blue.png", "PNG");
	check_fixture("red-blue.jpg", "JPEG");
	check_choose();
	check_bad();
	return done_testing();
}
