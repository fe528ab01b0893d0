/*
 * utf8.c: measuring UTF-8 text as a terminal draws it. No curses: the
 * line editor and the tests use it without a screen.
 */
#include "common.h"

#include <string.h>
#include <wchar.h>

#include "strbuf.h"
#include "utf8.h"

bool	display_utf8;

size_t
utf8_decode(const char *s, size_t len, int *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 c, n, i, min;

	if (len == 0) {
		*cp = 0;
		return 0;
	}
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		c = p[0] & 0x1f;
		n = 1;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		n = 2;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		c = p[0] & 0x07;
		n = 3;
		min = 0x10000;
	} else
		goto bad;
	if ((size_t)n >= len)
		goto bad;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return (size_t)n + 1;
bad:
	*cp = 0xfffd;
	return 1;
}

/* Columns of one code point as drawn (controls and invalid: 1). */
static int
cp_width(int cp)
{
	int	w;

	if (cp < 0x80)
		return 1;
	if (!display_utf8)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int
text_width(const char *s, size_t len)
{
	size_t	i = 0, n;
	int	cp, w = 0;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == '\t')
			w += 8 - w % 8;
		else
			w += cp_width(cp);
		i += n;
	}
	return w;
}

size_t
text_fit(const char *s, size_t len, int w)
{
	size_t	i = 0, n;
	int	cp, cw, used = 0;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		cw = cp == '\t' ? 8 - used % 8 : cp_width(cp);
		if (used + cw > w)
			break;
		used += cw;
		i += n;
	}
	return i;
}

const char *
text_ellipsis(void)
{
	return display_utf8 ? "\xe2\x80\xa6" : "~";
}

size_t
text_cut(const char *s, size_t len, int skip, int w, bool *cut)
{
	size_t	i = 0, n, keep = 0;
	int	cp, cw, used = 0, end;

	*cut = false;
	if (w <= 0)
		return 0;
	end = (skip > 0 ? skip : 0) + w;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		cw = cp == '\t' ? 8 - used % 8 : cp_width(cp);
		if (used + cw > end) {
			*cut = true;
			return keep;
		}
		used += cw;
		i += n;
		/* Up to here fits beside the ellipsis (marks included). */
		if (used < end)
			keep = i;
	}
	return len;
}

void
text_add_cut(struct strbuf *sb, const char *s, int w)
{
	size_t	len = strlen(s), n;
	bool	cut;
	int	used;

	n = text_cut(s, len, 0, w, &cut);
	strbuf_add(sb, s, n);
	used = text_width(s, n);
	if (cut) {
		strbuf_addstr(sb, text_ellipsis());
		used++;
	}
	while (used++ < w)
		strbuf_addch(sb, ' ');
}
