/*
 * prompt.c: the status line as an editor (filters, labels, tags,
 * searches) and as a yes/no question. An open prompt takes every key.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "ui.h"

struct prompt {
	char			*label;
	struct lineedit		 le;
	bool			 confirm;
	bool			 default_yes;
	prompt_done_cb		 done;
	prompt_change_cb	 change;
	void			*arg;
	void			(*free_arg)(void *);
};

void
lineedit_init(struct lineedit *le, const char *text)
{
	le->buf = xcalloc(1, sizeof *le->buf);
	strbuf_init(le->buf);
	strbuf_addstr(le->buf, text != NULL ? text : "");
	le->pos = le->buf->len;
	le->scroll = 0;
}

void
lineedit_release(struct lineedit *le)
{
	if (le->buf != NULL) {
		strbuf_release(le->buf);
		free(le->buf);
	}
	le->buf = NULL;
}

void
lineedit_set(struct lineedit *le, const char *text)
{
	strbuf_reset(le->buf);
	strbuf_addstr(le->buf, text);
	le->pos = le->buf->len;
}

const char *
lineedit_text(const struct lineedit *le)
{
	return le->buf->buf;
}

static size_t
prev_char(const char *s, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && ((unsigned char)s[pos] & 0xc0) == 0x80)
		pos--;
	return pos;
}

static size_t
next_char(const char *s, size_t len, size_t pos)
{
	int	cp;

	if (pos >= len)
		return len;
	return pos + utf8_decode(s + pos, len - pos, &cp);
}

static void
delete_range(struct lineedit *le, size_t from, size_t to)
{
	struct strbuf	*b = le->buf;

	memmove(b->buf + from, b->buf + to, b->len - to + 1);
	b->len -= to - from;
	le->pos = from;
}

bool
lineedit_key(struct lineedit *le, int key)
{
	struct strbuf	*b = le->buf;
	size_t		 p;

	switch (key) {
	case KEY_SPECIAL + KEY_LEFT:
	case KEY_CTRL('b'):
		le->pos = prev_char(b->buf, le->pos);
		return true;
	case KEY_SPECIAL + KEY_RIGHT:
	case KEY_CTRL('f'):
		le->pos = next_char(b->buf, b->len, le->pos);
		return true;
	case KEY_SPECIAL + KEY_HOME:
	case KEY_CTRL('a'):
		le->pos = 0;
		return true;
	case KEY_SPECIAL + KEY_END:
	case KEY_CTRL('e'):
		le->pos = b->len;
		return true;
	case KEY_SPECIAL + KEY_BACKSPACE:
	case KEY_CTRL('h'):
		if (le->pos > 0)
			delete_range(le, prev_char(b->buf, le->pos), le->pos);
		return true;
	case KEY_SPECIAL + KEY_DC:
	case KEY_CTRL('d'):
		if (le->pos < b->len)
			delete_range(le, le->pos, next_char(b->buf, b->len,
			    le->pos));
		return true;
	case KEY_CTRL('u'):
		delete_range(le, 0, le->pos);
		return true;
	case KEY_CTRL('k'):
		b->buf[le->pos] = '\0';
		b->len = le->pos;
		return true;
	case KEY_CTRL('w'):
		p = le->pos;
		while (p > 0 && b->buf[p - 1] == ' ')
			p--;
		while (p > 0 && b->buf[p - 1] != ' ')
			p--;
		delete_range(le, p, le->pos);
		return true;
	}
	if (key >= 0x20 && key < KEY_SPECIAL && key != 0x7f) {
		struct strbuf	ch = STRBUF_INIT;

		key_format(&ch, key);
		/* key_name writes names for a few keys: only chars here. */
		if (key == ' ') {
			strbuf_reset(&ch);
			strbuf_addch(&ch, ' ');
		}
		strbuf_grow(b, ch.len);
		memmove(b->buf + le->pos + ch.len, b->buf + le->pos,
		    b->len - le->pos + 1);
		memcpy(b->buf + le->pos, ch.buf, ch.len);
		b->len += ch.len;
		le->pos += ch.len;
		strbuf_release(&ch);
		return true;
	}
	return false;
}

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
	lineedit_init(&pr->le, initial);
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
	if (lineedit_key(&pr->le, key) && pr->change != NULL)
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
	lw = draw_str(y, 0, w, pr->label, st);
	if (pr->confirm) {
		curs_set(0);
		return;
	}
	cx = lineedit_draw(&pr->le, y, lw, w - lw, plain);
	move(y, cx);
	curs_set(1);
}
