/* textbuf.c: a ring of lines with colour spans (see textbuf.h). */
#include "common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "strbuf.h"
#include "textbuf.h"

void
textbuf_init(struct textbuf *tb, size_t max_lines, size_t max_bytes)
{
	memset(tb, 0, sizeof *tb);
	tb->cap = max_lines < 1 ? 1 : max_lines;
	tb->max_bytes = max_bytes;
}

static void
tline_release(struct tline *l)
{
	free(l->text);
	free(l->spans);
	memset(l, 0, sizeof *l);
}

void
textbuf_clear(struct textbuf *tb)
{
	size_t	i;

	for (i = 0; i < tb->n; i++)
		tline_release(&tb->v[(tb->head + i) % tb->cap]);
	tb->head = tb->n = tb->bytes = 0;
	tb->dropped = 0;
}

void
textbuf_release(struct textbuf *tb)
{
	textbuf_clear(tb);
	free(tb->v);
	tb->v = NULL;
}

static void
drop_first(struct textbuf *tb)
{
	struct tline	*l = &tb->v[tb->head];

	tb->bytes -= l->len + l->nspans * sizeof *l->spans;
	tline_release(l);
	tb->head = (tb->head + 1) % tb->cap;
	tb->n--;
	tb->dropped++;
}

struct tline *
textbuf_push(struct textbuf *tb, const char *text, size_t len,
    const struct output_span *spans, size_t nspans, uint64_t lineno)
{
	struct tline	*l;
	size_t		 cost = len + nspans * sizeof *spans;

	if (tb->v == NULL)
		tb->v = xcalloc(tb->cap, sizeof *tb->v);
	while (tb->n > 0 && (tb->n == tb->cap ||
	    (tb->max_bytes > 0 && tb->bytes + cost > tb->max_bytes)))
		drop_first(tb);
	l = &tb->v[(tb->head + tb->n) % tb->cap];
	l->text = xmemdup(text, len + 1);
	l->text[len] = '\0';
	l->len = len;
	l->spans = nspans > 0 ? xmemdup(spans, nspans * sizeof *spans) : NULL;
	l->nspans = nspans;
	l->lineno = lineno;
	l->role = ROLE_DEFAULT;
	l->key_len = 0;
	l->key_role = ROLE_KEY;
	tb->n++;
	tb->bytes += cost;
	return l;
}

struct tline *
textbuf_get(const struct textbuf *tb, size_t i)
{
	if (i >= tb->n)
		return NULL;
	return &tb->v[(tb->head + i) % tb->cap];
}

static void
cooked_line(const struct output_line *line, void *arg)
{
	struct textbuf	*tb = arg;

	textbuf_push(tb, line->text, line->len, line->spans, line->nspans,
	    line->lineno);
}

void
textbuf_add_cooked(struct textbuf *tb, const char *text, size_t len)
{
	struct output_cooker	*ck = output_cooker_new(cooked_line, tb);

	output_cooker_feed(ck, text, len);
	output_cooker_finish(ck);
	output_cooker_free(ck);
}

struct tline *
textbuf_addf(struct textbuf *tb, enum role role, const char *fmt, ...)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct tline	*l;
	va_list		 ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	l = textbuf_push(tb, sb.buf, sb.len, NULL, 0, tb->n + tb->dropped);
	l->role = role;
	strbuf_release(&sb);
	return l;
}
