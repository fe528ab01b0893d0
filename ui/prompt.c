/*
 * prompt.c: the status line as an editor (filters, labels, tags,
 * searches) and as a yes/no question. An open prompt takes every key.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "keymap.h"
#include "lineedit.h"
#include "prompt.h"
#include "strbuf.h"
#include "tui.h"

struct prompt {
	char			*label;
	char			*prev;	/* the previous value, one Up away */
	struct lineedit		 le;
	bool			 confirm;
	bool			 default_yes;
	prompt_done_cb		 done;
	prompt_change_cb	 change;
	void			*arg;
	void			(*free_arg)(void *);
};

int
lineedit_draw(struct lineedit *le, int y, int x, int w, struct style st)
{
	const char	*s = le->buf->buf;
	int		 col = text_width(s, le->pos), total;

	if (w <= 1)
		return x;
	total = text_width(s, le->buf->len);
	/* Keep the cursor in view, with a little context. */
	if (col - le->scroll >= w)
		le->scroll = col - w + 1;
	if (col < le->scroll)
		le->scroll = col > 4 ? col - 4 : 0;
	if (le->scroll > 0 && total - le->scroll < w - 1)
		le->scroll = total - w + 1 > 0 ? total - w + 1 : 0;
	draw_fill(y, x, w, st);
	draw_text(y, x, w, le->scroll, s, le->buf->len, st);
	return x + col - le->scroll;
}

void
prompt_free(struct prompt *pr)
{
	if (pr == NULL)
		return;
	if (pr->free_arg != NULL)
		pr->free_arg(pr->arg);
	lineedit_release(&pr->le);
	free(pr->prev);
	free(pr->label);
	free(pr);
}

void
prompt_open(struct view *v, const char *label, const char *initial,
    prompt_done_cb done, prompt_change_cb change, void *arg,
    void (*free_arg)(void *))
{
	struct prompt	*pr;

	prompt_free(v->prompt);
	pr = xcalloc(1, sizeof *pr);
	pr->label = xstrdup(label);
	/*
	 * Empty, so that typing replaces (not "grid" + "good"); what was
	 * there is one Up away, as in a shell's history.
	 */
	lineedit_init(&pr->le, NULL);
	if (initial != NULL && *initial != '\0')
		pr->prev = xstrdup(initial);
	pr->done = done;
	pr->change = change;
	pr->arg = arg;
	pr->free_arg = free_arg;
	v->prompt = pr;
	free(v->msg);
	v->msg = NULL;
	view_dirty(v);
}

void
prompt_confirm(struct view *v, const char *question, bool default_yes,
    prompt_done_cb yes, void *arg, void (*free_arg)(void *))
{
	struct strbuf	sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s %s ", question, default_yes ? "(Y/n)" : "(y/N)");
	prompt_open(v, sb.buf, "", yes, NULL, arg, free_arg);
	v->prompt->confirm = true;
	v->prompt->default_yes = default_yes;
	strbuf_release(&sb);
}

bool
prompt_key(struct view *v, int key)
{
	struct prompt	*pr = v->prompt;
	prompt_done_cb	 done;
	void		*arg;
	char		*text;
	bool		 yes;

	if (pr == NULL)
		return false;
	if (pr->confirm) {
		if (key == 'y' || key == 'Y')
			yes = true;
		else if (key == '\n')
			yes = pr->default_yes;
		else if (key == 'n' || key == 'N' || key == 27 ||
		    key == KEY_CTRL('c') || key == 'q')
			yes = false;
		else
			return true;
		/* The callback may open another prompt: detach first. */
		v->prompt = NULL;
		if (yes)
			pr->done(v, "y", pr->arg);
		prompt_free(pr);
		if (v->prompt == NULL)
			curs_set(0);
		view_dirty(v);
		return true;
	}
	if (key == '\n' || key == 27 || key == KEY_CTRL('c') ||
	    key == KEY_CTRL('g')) {
		v->prompt = NULL;
		text = key == '\n' ? xstrdup(lineedit_text(&pr->le)) : NULL;
		done = pr->done;
		arg = pr->arg;
		done(v, text, arg);
		free(text);
		prompt_free(pr);
		if (v->prompt == NULL)
			curs_set(0);
		view_dirty(v);
		return true;
	}
	if (key == KEY_SPECIAL + KEY_UP || key == KEY_CTRL('p')) {
		if (pr->prev != NULL)
			lineedit_set(&pr->le, pr->prev);
	} else if (key == KEY_SPECIAL + KEY_DOWN || key == KEY_CTRL('n')) {
		lineedit_set(&pr->le, "");
	} else if (!lineedit_key(&pr->le, key)) {
		view_dirty(v);
		return true;
	}
	if (pr->change != NULL)
		pr->change(v, lineedit_text(&pr->le), pr->arg);
	view_dirty(v);
	return true;
}

void
prompt_draw(struct view *v, int y, int w)
{
	struct prompt	*pr = v->prompt;
	struct style	 st = theme_style(ROLE_PROMPT);
	struct style	 plain = theme_style(ROLE_STATUS);
	int		 lw, cx;

	draw_fill(y, 0, w, plain);
	lw = draw_str_cut(y, 0, w, pr->label, st);
	if (pr->confirm) {
		curs_set(0);
		return;
	}
	cx = lineedit_draw(&pr->le, y, lw, w - lw, plain);
	move(y, cx);
	curs_set(1);
}
