/*
 * pane-image.c: a run's pictures, one at a time, fitted to the screen
 * (image.h decodes and renders them), and thumbnails for the run
 * details. Symbols in the terminal's palette are drawn through curses;
 * kitty, sixel and truecolour symbols are escapes written over the
 * screen after curses drew it (view_overlay).
 */
#include "common.h"

#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions.h"
#include "display.h"
#include "home.h"
#include "image.h"
#include "pane-image.h"
#include "pane.h"
#include "runops.h"
#include "strbuf.h"
#include "theme.h"
#include "tui.h"
#include "util.h"

#define IMAGES_MAX	10000

bool
image_name(const char *name)
{
	static const char *const ext[] = {
		".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp",
	};
	size_t	i, n = strlen(name), e;

	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		e = strlen(ext[i]);
		if (n > e && strcasecmp(name + n - e, ext[i]) == 0)
			return true;
	}
	return false;
}

static void
walk_images(const char *dir, const char *rel, int depth, struct strvec *out)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path, *r;

	if (depth > 16 || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && out->n < IMAGES_MAX) {
		if (de->d_name[0] == '.')
			continue;
		path = path_join(dir, de->d_name);
		r = *rel ? xasprintf("%s/%s", rel, de->d_name) :
		    xstrdup(de->d_name);
		/* Links are not followed: they lead to upstream runs. */
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				walk_images(path, r, depth + 1, out);
			else if (S_ISREG(st.st_mode) && image_name(de->d_name))
				strvec_push(out, r);
		}
		free(r);
		free(path);
	}
	closedir(d);
}

static bool
error_image(const char *rel)
{
	const char	*dot = strrchr(rel, '.');

	return dot != NULL && dot - rel >= 6 &&
	    strncmp(dot - 6, "-error", 6) == 0;
}

static int
images_cmp(const void *a, const void *b)
{
	const char	*x = *(const char *const *)a;
	const char	*y = *(const char *const *)b;
	bool		 ex = error_image(x), ey = error_image(y);

	if (ex != ey)
		return ex ? -1 : 1;
	return natcmp(x, y);
}

void
run_images(const char *dir, struct strvec *out)
{
	walk_images(dir, "", 0, out);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, images_cmp);
}

/*
 * How this terminal shows pictures: asked once, the first time one is
 * shown (a terminal that does not answer costs the wait only then).
 */
static void
renderer(enum image_renderer *r, enum image_colours *c)
{
	static bool			 known;
	static enum image_renderer	 kr;
	static enum image_colours	 kc;
	struct image_term		 t;
	struct strbuf			 other = STRBUF_INIT;
	const char			*tmux = getenv("TMUX");
	const char			*kitty = getenv("KITTY_WINDOW_ID");
	char				*da1 = NULL;
	size_t				 i;

	if (!known) {
		memset(&t, 0, sizeof t);
		t.term = getenv("TERM");
		t.colorterm = getenv("COLORTERM");
		t.tmux = tmux != NULL && *tmux != '\0';
		t.kitty = kitty != NULL && *kitty != '\0';
		t.colours = theme_has_colour() ? COLORS : -1;
		if (!theme_has_colour())
			t.colorterm = NULL;
		if (image_should_query(&t)) {
			da1 = image_query_da1(STDIN_FILENO, STDOUT_FILENO, 500,
			    &other);
			/* Keys typed meanwhile are still keys. */
			for (i = other.len; i > 0; i--)
				ungetch((unsigned char)other.buf[i - 1]);
		}
		t.da1 = da1;
		image_choose(&t, &kr, &kc);
		free(da1);
		strbuf_release(&other);
		known = true;
	}
	*r = kr;
	*c = kc;
}

static bool
curses_draws(enum image_renderer r, enum image_colours c)
{
	return r == IMAGE_SYMBOLS && c != IMAGE_TRUECOLOR;
}

static void
draw_cells(const struct image_cells *cells, int y, int x)
{
	int	cy, cx;

	for (cy = 0; cy < cells->h; cy++) {
		for (cx = 0; cx < cells->w; cx++) {
			const struct image_cell	*c =
			    &cells->v[cy * cells->w + cx];

			draw_cp(y + cy, x + cx, (int)c->ch,
			    theme_colour_style(c->fg, c->bg));
		}
	}
}

/* Thumbnails kept between draws. */
static struct thumb {
	char			*path;
	int			 rows, cols;
	struct image_cells	*cells;
} thumbs[16];
static size_t	thumb_next;

int
draw_thumbnail(const char *path, int y, int x, int rows, int cols)
{
	enum image_renderer	 r;
	enum image_colours	 c;
	struct image		*img;
	struct thumb		*t = NULL;
	size_t			 i;

	for (i = 0; i < ARRAY_SIZE(thumbs); i++)
		if (thumbs[i].path != NULL && thumbs[i].rows == rows &&
		    thumbs[i].cols == cols && strcmp(thumbs[i].path, path) == 0)
			t = &thumbs[i];
	if (t == NULL) {
		renderer(&r, &c);
		t = &thumbs[thumb_next++ % ARRAY_SIZE(thumbs)];
		free(t->path);
		image_cells_free(t->cells);
		t->path = xstrdup(path);
		t->rows = rows;
		t->cols = cols;
		t->cells = NULL;
		if ((img = image_load(path, NULL)) != NULL)
			t->cells = image_symbols(img, cols, rows,
			    c == IMAGE_TRUECOLOR ? IMAGE_256 : c,
			    !display_utf8);
		image_free(img);
	}
	if (t->cells == NULL)
		return 0;
	draw_cells(t->cells, y, x);
	return t->cells->h;
}

void
image_thumbnails_free(void)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(thumbs); i++) {
		free(thumbs[i].path);
		image_cells_free(thumbs[i].cells);
		thumbs[i].path = NULL;
		thumbs[i].cells = NULL;
	}
}

struct imagepane {
	char			*id;
	char			*dir;
	struct strvec		 paths;
	size_t			 at;
	struct image		*img;
	char			*error;
	struct image_cells	*cells;
	int			 cw, ch;	/* the area cells were made for */
	char			*esc;
	size_t			 esc_len;
	int			 ey, ex, eh, ew;
};

static void
image_unload(struct imagepane *ip)
{
	image_free(ip->img);
	image_cells_free(ip->cells);
	free(ip->error);
	free(ip->esc);
	ip->img = NULL;
	ip->cells = NULL;
	ip->error = NULL;
	ip->esc = NULL;
	ip->esc_len = 0;
}

static void
image_show(struct pane *p)
{
	struct imagepane	*ip = p->priv;
	const char		*rel = ip->paths.v[ip->at];
	char			*path = path_join(ip->dir, rel), *real, *cause = NULL;

	image_unload(ip);
	/* A link may lead into another run, never out of the home. */
	if ((real = run_file_resolve(p->view->home, ip->dir, path)) == NULL)
		ip->error = xasprintf("%s: %s", rel, errno == EXDEV ?
		    "a link out of the Guild home" : strerror(errno));
	else if ((ip->img = image_load(real, &cause)) == NULL) {
		ip->error = xasprintf("%s", cause);
		free(cause);
	}
	free(real);
	free(path);
	view_dirty(p->view);
}

static void
image_init(struct pane *p, void *arg)
{
	struct imagepane	*ip = p->priv;
	struct image_args	*a = arg;

	ip->id = xstrdup(a->id);
	ip->dir = xstrdup(a->dir);
	ip->paths = a->paths;
	memset(&a->paths, 0, sizeof a->paths);
	ip->at = a->at < ip->paths.n ? a->at : 0;
	image_show(p);
}

static void
image_release(struct pane *p)
{
	struct imagepane	*ip = p->priv;

	image_unload(ip);
	strvec_clear(&ip->paths);
	free(ip->id);
	free(ip->dir);
}

static void
human_bytes(struct strbuf *sb, long long n)
{
	if (n < 1024)
		strbuf_addf(sb, "%lld B", n);
	else if (n < 1024 * 1024)
		strbuf_addf(sb, "%.1f KB", (double)n / 1024.0);
	else
		strbuf_addf(sb, "%.1f MB", (double)n / 1048576.0);
}

static void
image_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct imagepane	*ip = p->priv;
	enum image_renderer	 r;
	enum image_colours	 c;

	strbuf_addf(left, "Image %zu/%zu  %.8s  %s", ip->at + 1, ip->paths.n,
	    ip->id, ip->paths.v[ip->at]);
	if (ip->img == NULL)
		return;
	renderer(&r, &c);
	strbuf_addf(right, "%dx%d px  ", ip->img->w, ip->img->h);
	human_bytes(right, ip->img->bytes);
	strbuf_addf(right, "  %s  %s", ip->img->format,
	    image_renderer_name(r, c));
}

static size_t
image_count(struct pane *p)
{
	return 1;
}

static void
image_draw(struct pane *p, int y, int x, int h, int w)
{
	struct imagepane	*ip = p->priv;
	enum image_renderer	 r;
	enum image_colours	 c;

	if (ip->error != NULL) {
		draw_str_cut(y, x + 1, w - 1, ip->error,
		    theme_style(ROLE_FAILED));
		return;
	}
	if (ip->img == NULL || h <= 0 || w <= 2)
		return;
	renderer(&r, &c);
	if (curses_draws(r, c)) {
		if (ip->cells == NULL || ip->cw != w - 2 || ip->ch != h) {
			image_cells_free(ip->cells);
			ip->cells = image_symbols(ip->img, w - 2, h, c,
			    !display_utf8);
			ip->cw = w - 2;
			ip->ch = h;
		}
		if (ip->cells != NULL)
			draw_cells(ip->cells, y, x + 1);
		return;
	}
	if (ip->esc == NULL || ip->ey != y || ip->ex != x || ip->eh != h ||
	    ip->ew != w) {
		free(ip->esc);
		ip->esc = image_escapes(ip->img, y + 1, x + 2, w - 2, h, r, c,
		    &ip->esc_len);
		ip->ey = y;
		ip->ex = x;
		ip->eh = h;
		ip->ew = w;
	}
	if (ip->esc != NULL)
		view_overlay(p->view, ip->esc, ip->esc_len);
}

static bool
image_action(struct pane *p, enum action act)
{
	struct imagepane	*ip = p->priv;
	char			*path;

	switch (act) {
	case ACT_NEXT_IMAGE:
	case ACT_MOVE_DOWN:
	case ACT_PAGE_DOWN:
	case ACT_HALF_DOWN:
		if (ip->at + 1 < ip->paths.n) {
			ip->at++;
			image_show(p);
		} else
			view_message(p->view, "The last image");
		return true;
	case ACT_PREV_IMAGE:
	case ACT_MOVE_UP:
	case ACT_PAGE_UP:
	case ACT_HALF_UP:
		if (ip->at > 0) {
			ip->at--;
			image_show(p);
		} else
			view_message(p->view, "The first image");
		return true;
	case ACT_MOVE_FIRST:
		ip->at = 0;
		image_show(p);
		return true;
	case ACT_MOVE_LAST:
		ip->at = ip->paths.n - 1;
		image_show(p);
		return true;
	case ACT_REFRESH:
		image_show(p);
		return true;
	case ACT_SHELL:
		view_shell(p->view, ip->dir);
		return true;
	case ACT_EDIT:
	case ACT_OPEN:
		path = path_join(ip->dir, ip->paths.v[ip->at]);
		view_open_file(p->view, ip->dir, path, act == ACT_EDIT, false);
		free(path);
		return true;
	default:
		return false;
	}
}

static const struct run_row *
image_current(struct pane *p)
{
	struct imagepane	*ip = p->priv;

	return view_find_run(p->view, ip->id, false);
}

static const struct hint image_hints[] = {
	{ ACT_NEXT_IMAGE, "next" },
	{ ACT_PREV_IMAGE, "previous" },
	{ ACT_QUIT, "close" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_image_ops = {
	.name = "image",
	.keymap = KEYMAP_IMAGE,
	.priv_size = sizeof (struct imagepane),
	.hints = image_hints,
	.init = image_init,
	.release = image_release,
	.title = image_title,
	.count = image_count,
	.draw = image_draw,
	.action = image_action,
	.current_run = image_current,
};

bool
view_images(struct view *v, const char *id, const char *dir)
{
	struct image_args	a = { .id = id, .dir = dir, .at = 0 };

	run_images(dir, &a.paths);
	if (a.paths.n == 0) {
		strvec_clear(&a.paths);
		return false;
	}
	view_push(v, &pane_image_ops, &a);
	strvec_clear(&a.paths);
	return true;
}
