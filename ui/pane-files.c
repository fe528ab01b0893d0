/*
 * pane-files.c: the files of a run, as guild ls lists them (relative
 * paths, directories with a trailing /, .guild hidden unless asked),
 * with sizes. Enter shows a file in the text viewer; its bytes are
 * cooked like output, so a file cannot drive the terminal either.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions.h"
#include "image.h"
#include "display.h"
#include "home.h"
#include "pane-files.h"
#include "pane-image.h"
#include "pane-text.h"
#include "pane.h"
#include "runops.h"
#include "strbuf.h"
#include "tui.h"
#include "util.h"

#define FILES_MAX	20000
#define FILE_VIEW_MAX	(16 * 1024 * 1024)

struct file_entry {
	char		*rel;
	long long	 size;
	bool		 dir;
	bool		 link;
};

struct filespane {
	char			*id;
	char			*dir;
	bool			 all;	/* .guild and hidden files too */
	struct file_entry	*v;
	size_t			 n, alloc;
	bool			 truncated;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct file_entry	*x = a, *y = b;

	return natcmp(x->rel, y->rel);
}

static void
walk(struct filespane *f, const char *dir, const char *rel, int depth)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path, *r;

	if (depth > 32 || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (!f->all && de->d_name[0] == '.')
			continue;
		if (f->n >= FILES_MAX) {
			f->truncated = true;
			break;
		}
		path = path_join(dir, de->d_name);
		r = *rel ? xasprintf("%s/%s", rel, de->d_name) :
		    xstrdup(de->d_name);
		XGROW(f->v, f->alloc, f->n + 1);
		memset(&f->v[f->n], 0, sizeof f->v[f->n]);
		f->v[f->n].rel = r;
		if (lstat(path, &st) == 0) {
			f->v[f->n].link = S_ISLNK(st.st_mode);
			/* Links to directories are followed, as guild ls -L. */
			if (f->v[f->n].link && stat(path, &st) == -1)
				st.st_mode = 0;
			f->v[f->n].dir = S_ISDIR(st.st_mode);
			f->v[f->n].size = (long long)st.st_size;
		}
		f->n++;
		if (f->v[f->n - 1].dir)
			walk(f, path, r, depth + 1);
		free(path);
	}
	closedir(d);
}

static void
files_load(struct pane *p)
{
	struct filespane	*f = p->priv;
	size_t			 i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].rel);
	f->n = 0;
	f->truncated = false;
	walk(f, f->dir, "", 0);
	if (f->n > 1)
		qsort(f->v, f->n, sizeof *f->v, entry_cmp);
	pane_scroll_to_cursor(p);
}

static void
files_init(struct pane *p, void *arg)
{
	struct filespane	*f = p->priv;
	struct view		*v = p->view;
	const char		**args = arg;

	f->id = xstrdup(args[0]);
	f->dir = path_join(args[1] != NULL ? v->home->trash : v->home->runs,
	    args[0]);
	files_load(p);
}

static void
files_release(struct pane *p)
{
	struct filespane	*f = p->priv;
	size_t			 i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].rel);
	free(f->v);
	free(f->id);
	free(f->dir);
}

static void
files_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct filespane	*f = p->priv;
	char			*d = path_abbrev_home(f->dir);

	strbuf_addf(left, "Files  %s", d);
	strbuf_addf(right, "%zu%s%s", f->n, f->truncated ? "+" : "",
	    f->all ? "  all" : "");
	free(d);
}

static size_t
files_count(struct pane *p)
{
	struct filespane	*f = p->priv;

	return f->n;
}

static void
files_draw_line(struct pane *p, size_t idx, int y, int x, int w,
    bool cursor)
{
	struct filespane	*f = p->priv;
	struct file_entry	*e = &f->v[idx];
	struct style		 st = theme_style(ROLE_DEFAULT);
	struct style		 dim = theme_style(ROLE_DIM);
	struct strbuf		 sb = STRBUF_INIT;

	if (cursor)
		st = dim = theme_style(ROLE_CURSOR);
	draw_fill(y, x, w, st);
	if (e->dir)
		strbuf_addstr(&sb, "dir");
	else if (e->size < 1024)
		strbuf_addf(&sb, "%lld B", e->size);
	else if (e->size < 1024 * 1024)
		strbuf_addf(&sb, "%.1f KB", (double)e->size / 1024.0);
	else
		strbuf_addf(&sb, "%.1f MB", (double)e->size / 1048576.0);
	if (e->link)
		strbuf_addstr(&sb, " link");
	draw_str_cut(y, x + 1, 12, sb.buf, dim);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s%s", e->rel, e->dir ? "/" : "");
	draw_str_cut(y, x + 14, w - 15, sb.buf, st);
	strbuf_release(&sb);
}

/*
 * A picture: the image viewer, stepping through the pictures of this
 * list (in its order), from this one.
 */
static void
open_images(struct pane *p, struct file_entry *e)
{
	struct filespane	*f = p->priv;
	struct image_args	 a = { .id = f->id, .dir = f->dir };
	size_t			 i;

	for (i = 0; i < f->n; i++) {
		if (f->v[i].dir || (&f->v[i] != e && !image_name(f->v[i].rel)))
			continue;
		if (&f->v[i] == e)
			a.at = a.paths.n;
		strvec_push(&a.paths, f->v[i].rel);
	}
	view_push(p->view, &pane_image_ops, &a);
	strvec_clear(&a.paths);
}

/* e and O: the file in $EDITOR, the desktop's opener or $PAGER. */
static void
external_open(struct pane *p, struct file_entry *e, bool edit)
{
	struct filespane	*f = p->priv;
	char			*path = path_join(f->dir, e->rel), *real;
	char			 buf[65536];
	ssize_t			 n = 0;
	int			 fd;

	if ((real = run_file_resolve(p->view->home, f->dir, path)) == NULL) {
		view_error(p->view, "%s: %s", e->rel, errno == EXDEV ?
		    "a link out of the Guild home" : strerror(errno));
		free(path);
		return;
	}
	if (!e->dir) {
		/* Text: no NUL in its first 64 KB (as the viewer judges). */
		if ((fd = file_open_regular(AT_FDCWD, real, 0, NULL, NULL)) ==
		    -1) {
			view_error(p->view, "%s: %s", e->rel, errno == EINVAL ?
			    "not a regular file" : strerror(errno));
			free(real);
			free(path);
			return;
		}
		n = read(fd, buf, sizeof buf);
		close(fd);
	}
	view_open_file(p->view, f->dir, real, edit, !e->dir && n >= 0 &&
	    memchr(buf, '\0', (size_t)(n > 0 ? n : 0)) == NULL);
	free(real);
	free(path);
}

/* Show a file: cooked text, or a note for what is not text. */
static void
open_file(struct pane *p, struct file_entry *e)
{
	struct filespane	*f = p->priv;
	struct text_args	 ta = { 0 };
	struct strbuf		 sb = STRBUF_INIT;
	char			*path = path_join(f->dir, e->rel), buf[65536];
	char			*real;
	ssize_t			 n;
	int			 fd;
	bool			 binary = false;

	/*
	 * Links lead into this run or another (dependencies), never out of
	 * the home; a FIFO or a device must not hang or flood the view.
	 */
	if ((real = run_file_resolve(p->view->home, f->dir, path)) == NULL) {
		view_error(p->view, "%s: %s", e->rel, errno == EXDEV ?
		    "a link out of the Guild home" : strerror(errno));
		free(path);
		return;
	}
	fd = file_open_regular(AT_FDCWD, real, FILE_NOFOLLOW, NULL, NULL);
	free(real);
	if (fd == -1) {
		view_error(p->view, "%s: %s", e->rel, errno == EINVAL ?
		    "not a regular file" : strerror(errno));
		free(path);
		return;
	}
	/* A picture by its first bytes, whatever its name. */
	n = read(fd, buf, 16);
	if (n > 0 && image_format(buf, (size_t)n) != NULL) {
		close(fd);
		free(path);
		open_images(p, e);
		return;
	}
	if (n > 0) {
		strbuf_add(&sb, buf, (size_t)n);
		binary = memchr(buf, '\0', (size_t)n) != NULL;
	}
	while (!binary && sb.len < FILE_VIEW_MAX &&
	    (n = read(fd, buf, sizeof buf)) > 0) {
		if (memchr(buf, '\0', (size_t)n) != NULL && sb.len < 65536)
			binary = true;
		strbuf_add(&sb, buf, (size_t)n);
		if (binary)
			break;
	}
	close(fd);
	textbuf_init(&ta.buf, 2000000, 64 * 1024 * 1024);
	if (binary)
		textbuf_addf(&ta.buf, ROLE_DIM, "(a binary file of %lld bytes: "
		    "! opens a shell in the run directory)", e->size);
	else {
		textbuf_add_cooked(&ta.buf, sb.buf, sb.len);
		if (e->size > FILE_VIEW_MAX)
			textbuf_addf(&ta.buf, ROLE_DIM, "(the first %d MB of "
			    "%lld bytes)", FILE_VIEW_MAX / 1048576, e->size);
	}
	ta.title = xasprintf("%.8s  %s", f->id, e->rel);
	ta.dir = xstrdup(f->dir);
	ta.path = xstrdup(path);
	view_push(p->view, &pane_text_ops, &ta);
	strbuf_release(&sb);
	free(path);
}

static bool
files_action(struct pane *p, enum action act)
{
	struct filespane	*f = p->priv;

	switch (act) {
	case ACT_ENTER:
		if (p->cursor < f->n && !f->v[p->cursor].dir)
			open_file(p, &f->v[p->cursor]);
		return true;
	case ACT_FILES:
		/* f again: show hidden files and .guild too, or not. */
		f->all = !f->all;
		files_load(p);
		view_message(p->view, f->all ? "Showing hidden files and "
		    ".guild" : "Hiding hidden files and .guild");
		return true;
	case ACT_REFRESH:
		files_load(p);
		view_dirty(p->view);
		return true;
	case ACT_SHELL:
		/* This run's, even when a filter hides it in the runs list. */
		view_shell(p->view, f->dir);
		return true;
	case ACT_EDIT:
	case ACT_OPEN:
		if (p->cursor < f->n)
			external_open(p, &f->v[p->cursor], act == ACT_EDIT);
		return true;
	default:
		return false;
	}
}

static const struct run_row *
files_current(struct pane *p)
{
	struct filespane	*f = p->priv;

	return view_find_run(p->view, f->id, false);
}

static const struct hint files_hints[] = {
	{ ACT_ENTER, "view" },
	{ ACT_FILES, "hidden files" },
	{ ACT_EDIT, "edit" },
	{ ACT_OPEN, "open" },
	{ ACT_SHELL, "shell" },
	{ ACT_QUIT, "close" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_files_ops = {
	.name = "files",
	.keymap = KEYMAP_FILES,
	.priv_size = sizeof (struct filespane),
	.cursor = true,
	.hints = files_hints,
	.init = files_init,
	.release = files_release,
	.title = files_title,
	.count = files_count,
	.draw_line = files_draw_line,
	.action = files_action,
	.current_run = files_current,
};
