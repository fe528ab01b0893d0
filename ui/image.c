/*
 * image.c: decode pictures (stb_image, libwebp) and draw them in
 * character cells or a terminal's graphics protocol (libchafa). The only
 * file that includes these libraries' headers (tests/check-layering.sh).
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chafa.h>
#include <stb_image.h>
#include <webp/decode.h>

#include "error.h"
#include "image.h"
#include "strbuf.h"
#include "util.h"
#include "xmalloc.h"

const char *
image_format(const void *head, size_t len)
{
	const unsigned char	*b = head;

	if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "PNG";
	if (len >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return "JPEG";
	if (len >= 6 && (memcmp(b, "GIF87a", 6) == 0 ||
	    memcmp(b, "GIF89a", 6) == 0))
		return "GIF";
	if (len >= 12 && memcmp(b, "RIFF", 4) == 0 &&
	    memcmp(b + 8, "WEBP", 4) == 0)
		return "WebP";
	if (len >= 14 && b[0] == 'B' && b[1] == 'M')
		return "BMP";
	return NULL;
}

struct image *
image_load(const char *path, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct stat	 st;
	struct image	*img;
	const char	*fmt;
	unsigned char	*px = NULL;
	int		 w = 0, h = 0, comp;

	if (file_read_regular(AT_FDCWD, path, 0, IMAGE_FILE_MAX, &sb, &st,
	    cause) == -1)
		return NULL;
	if ((fmt = image_format(sb.buf, sb.len)) == NULL) {
		set_cause(cause, "%s: not an image (PNG, JPEG, GIF, WebP or "
		    "BMP)", path);
		strbuf_release(&sb);
		return NULL;
	}
	/* The size first: a small file can claim a huge picture. */
	if (strcmp(fmt, "WebP") == 0) {
		if (!WebPGetInfo((const uint8_t *)sb.buf, sb.len, &w, &h))
			w = h = 0;
	} else if (sb.len > INT_MAX ||
	    !stbi_info_from_memory((const stbi_uc *)sb.buf, (int)sb.len, &w,
	    &h, &comp))
		w = h = 0;
	if (w <= 0 || h <= 0) {
		set_cause(cause, "%s: a damaged %s image", path, fmt);
		strbuf_release(&sb);
		return NULL;
	}
	if ((long long)w * h > IMAGE_PIXELS_MAX) {
		set_cause(cause, "%s: %dx%d pixels, too large to show", path, w,
		    h);
		strbuf_release(&sb);
		return NULL;
	}
	if (strcmp(fmt, "WebP") == 0) {
		uint8_t	*rgba = WebPDecodeRGBA((const uint8_t *)sb.buf, sb.len,
			    &w, &h);

		if (rgba != NULL) {
			px = xmalloc((size_t)w * (size_t)h * 4);
			memcpy(px, rgba, (size_t)w * (size_t)h * 4);
			WebPFree(rgba);
		}
	} else {
		stbi_uc	*rgba = stbi_load_from_memory((const stbi_uc *)sb.buf,
			    (int)sb.len, &w, &h, &comp, 4);

		if (rgba != NULL) {
			px = xmalloc((size_t)w * (size_t)h * 4);
			memcpy(px, rgba, (size_t)w * (size_t)h * 4);
			stbi_image_free(rgba);
		}
	}
	strbuf_release(&sb);
	if (px == NULL) {
		set_cause(cause, "%s: a damaged %s image", path, fmt);
		return NULL;
	}
	img = xcalloc(1, sizeof *img);
	img->w = w;
	img->h = h;
	img->bytes = (long long)st.st_size;
	img->format = fmt;
	img->rgba = px;
	return img;
}

void
image_free(struct image *img)
{
	if (img == NULL)
		return;
	free(img->rgba);
	free(img);
}

/* Whether the device attributes list parameter 4 (sixel graphics). */
static bool
da1_has_sixel(const char *da1)
{
	const char	*s;
	long		 n;
	char		*end;

	if (da1 == NULL || (s = strstr(da1, "\033[?")) == NULL)
		return false;
	s += 3;
	while (*s != '\0' && *s != 'c') {
		n = strtol(s, &end, 10);
		if (end == s)
			return false;
		if (n == 4)
			return true;
		s = end;
		if (*s == ';')
			s++;
	}
	return false;
}

void
image_choose(const struct image_term *t, enum image_renderer *r,
    enum image_colours *c)
{
	const char	*term = t->term != NULL ? t->term : "";
	const char	*ct = t->colorterm != NULL ? t->colorterm : "";

	if (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0)
		*c = IMAGE_TRUECOLOR;
	else if (t->colours >= 256)
		*c = IMAGE_256;
	else if (t->colours >= 8)
		*c = IMAGE_16;
	else
		*c = IMAGE_MONO;
	*r = IMAGE_SYMBOLS;
	/* tmux passes neither protocol through: what it shows are symbols. */
	if (t->tmux)
		return;
	if (t->kitty || strstr(term, "kitty") != NULL) {
		*r = IMAGE_KITTY;
		*c = IMAGE_TRUECOLOR;
	} else if (da1_has_sixel(t->da1))
		*r = IMAGE_SIXEL;
}

const char *
image_renderer_name(enum image_renderer r, enum image_colours c)
{
	if (r == IMAGE_KITTY)
		return "kitty graphics";
	if (r == IMAGE_SIXEL)
		return "sixel";
	switch (c) {
	case IMAGE_TRUECOLOR:
		return "symbols, truecolour";
	case IMAGE_256:
		return "symbols, 256 colours";
	case IMAGE_16:
		return "symbols, 16 colours";
	default:
		return "symbols, monochrome";
	}
}

bool
image_should_query(const struct image_term *t)
{
	static const char *const plain[] = {
		"screen", "tmux", "linux", "dumb", "vt100", "vt220", "ansi",
	};
	const char	*term = t->term != NULL ? t->term : "";
	size_t		 i;

	if (t->tmux || t->kitty || *term == '\0')
		return false;
	for (i = 0; i < ARRAY_SIZE(plain); i++)
		if (str_starts_with(term, plain[i]))
			return false;
	return true;
}

char *
image_query_da1(int in_fd, int out_fd, int timeout_ms, struct strbuf *other)
{
	struct strbuf	 got = STRBUF_INIT;
	struct pollfd	 pfd = { .fd = in_fd, .events = POLLIN };
	uint64_t	 end = mono_ms() + (uint64_t)timeout_ms;
	char		 buf[256], *start, *stop, *reply = NULL;
	ssize_t		 n;

	if (write_all(out_fd, "\033[c", 3) == -1)
		return NULL;
	while (mono_ms() < end) {
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)(end - mono_ms())) <= 0)
			break;
		if ((n = read(in_fd, buf, sizeof buf)) <= 0)
			break;
		strbuf_add(&got, buf, (size_t)n);
		if ((start = strstr(got.buf, "\033[?")) != NULL &&
		    (stop = strchr(start, 'c')) != NULL) {
			reply = xstrndup(start, (size_t)(stop - start + 1));
			strbuf_add(other, got.buf, (size_t)(start - got.buf));
			strbuf_addstr(other, stop + 1);
			strbuf_release(&got);
			return reply;
		}
	}
	strbuf_add(other, got.buf, got.len);
	strbuf_release(&got);
	return NULL;
}

void
image_fit(const struct image *img, int cols, int rows, int *w, int *h)
{
	gint	dw = cols > 0 ? cols : 1, dh = rows > 0 ? rows : 1;

	/* A cell is about twice as high as wide; small pictures grow. */
	chafa_calc_canvas_geometry(img->w, img->h, &dw, &dh, 0.5f, TRUE,
	    FALSE);
	*w = dw > 0 ? dw : 1;
	*h = dh > 0 ? dh : 1;
}

static ChafaCanvas *
canvas_new(const struct image *img, int w, int h, ChafaCanvasMode mode,
    ChafaPixelMode pixels, bool ascii)
{
	ChafaSymbolMap		*map = chafa_symbol_map_new();
	ChafaCanvasConfig	*cfg = chafa_canvas_config_new();
	ChafaCanvas		*canvas;

	chafa_symbol_map_add_by_tags(map, ascii ? CHAFA_SYMBOL_TAG_ASCII :
	    CHAFA_SYMBOL_TAG_BLOCK | CHAFA_SYMBOL_TAG_SPACE);
	chafa_canvas_config_set_geometry(cfg, w, h);
	chafa_canvas_config_set_canvas_mode(cfg, mode);
	chafa_canvas_config_set_pixel_mode(cfg, pixels);
	chafa_canvas_config_set_symbol_map(cfg, map);
	canvas = chafa_canvas_new(cfg);
	chafa_canvas_config_unref(cfg);
	chafa_symbol_map_unref(map);
	if (canvas != NULL)
		chafa_canvas_draw_all_pixels(canvas,
		    CHAFA_PIXEL_RGBA8_UNASSOCIATED, img->rgba, img->w, img->h,
		    img->w * 4);
	return canvas;
}

struct image_cells *
image_symbols(const struct image *img, int cols, int rows,
    enum image_colours colours, bool ascii)
{
	struct image_cells	*cells;
	ChafaCanvas		*canvas;
	ChafaCanvasMode		 mode;
	int			 w, h, x, y, fg, bg;

	if (cols <= 0 || rows <= 0)
		return NULL;
	image_fit(img, cols, rows, &w, &h);
	switch (colours) {
	case IMAGE_MONO:
		mode = CHAFA_CANVAS_MODE_FGBG;
		break;
	case IMAGE_16:
		mode = CHAFA_CANVAS_MODE_INDEXED_16;
		break;
	default:
		/* 16..255: the first 16 are whatever the user's theme made them. */
		mode = CHAFA_CANVAS_MODE_INDEXED_240;
		break;
	}
	if ((canvas = canvas_new(img, w, h, mode, CHAFA_PIXEL_MODE_SYMBOLS,
	    ascii)) == NULL)
		return NULL;
	cells = xcalloc(1, sizeof *cells);
	cells->w = w;
	cells->h = h;
	cells->v = xcalloc((size_t)w * (size_t)h, sizeof *cells->v);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			struct image_cell	*c = &cells->v[y * w + x];

			c->ch = chafa_canvas_get_char_at(canvas, x, y);
			if (c->ch == 0)
				c->ch = ' ';
			fg = bg = -1;
			if (mode != CHAFA_CANVAS_MODE_FGBG)
				chafa_canvas_get_raw_colors_at(canvas, x, y,
				    &fg, &bg);
			c->fg = fg >= 0 && fg < 256 ? fg : -1;
			c->bg = bg >= 0 && bg < 256 ? bg : -1;
		}
	}
	chafa_canvas_unref(canvas);
	return cells;
}

void
image_cells_free(struct image_cells *cells)
{
	if (cells == NULL)
		return;
	free(cells->v);
	free(cells);
}

char *
image_escapes(const struct image *img, int y0, int x0, int cols, int rows,
    enum image_renderer r, enum image_colours colours, size_t *len)
{
	struct strbuf	 sb = STRBUF_INIT;
	ChafaCanvas	*canvas;
	ChafaTermInfo	*ti;
	GString		*gs;
	ChafaPixelMode	 pm = r == IMAGE_KITTY ? CHAFA_PIXEL_MODE_KITTY :
			    r == IMAGE_SIXEL ? CHAFA_PIXEL_MODE_SIXELS :
			    CHAFA_PIXEL_MODE_SYMBOLS;
	const char	*s, *nl;
	int		 w, h, row = 0;

	(void)colours;
	*len = 0;
	if (cols <= 0 || rows <= 0)
		return NULL;
	image_fit(img, cols, rows, &w, &h);
	if ((canvas = canvas_new(img, w, h, CHAFA_CANVAS_MODE_TRUECOLOR, pm,
	    false)) == NULL)
		return NULL;
	/* The fallback knows every protocol's sequences. */
	ti = chafa_term_db_get_fallback_info(chafa_term_db_get_default());
	gs = chafa_canvas_print(canvas, ti);
	chafa_term_info_unref(ti);
	chafa_canvas_unref(canvas);
	if (pm != CHAFA_PIXEL_MODE_SYMBOLS) {
		strbuf_addf(&sb, "\033[%d;%dH", y0, x0);
		strbuf_add(&sb, gs->str, gs->len);
	} else {
		for (s = gs->str; *s != '\0' && row < h; s = nl + 1, row++) {
			nl = strchr(s, '\n');
			strbuf_addf(&sb, "\033[%d;%dH", y0 + row, x0);
			strbuf_add(&sb, s, nl != NULL ? (size_t)(nl - s) :
			    strlen(s));
			if (nl == NULL)
				break;
		}
		strbuf_addstr(&sb, "\033[0m");
	}
	g_string_free(gs, TRUE);
	*len = sb.len;
	return strbuf_detach(&sb, NULL);
}
