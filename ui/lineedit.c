/*
 * lineedit.c: editing one line of text with the keys of readline's
 * emacs mode, for the status line prompt and the run form. No curses
 * calls here (only its key codes): tests drive it without a screen.
 */
#include "common.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "lineedit.h"
#include "strbuf.h"
#include "utf8.h"

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
