/*
 * output.c: raw output capture, output.index, cooking, reading back and
 * following (see output.h for the rules).
 *
 * The cooker is a small ECMA-48 parser, not a terminal emulator: it only
 * needs to know where sequences end, so that everything but SGR can be
 * thrown away. Every LF ends a line in every state, so the cooked lines
 * always pair one to one with the LFs of the raw file (and with Guild's
 * readline()-based reader), whatever garbage came before.
 */
#include "common.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "strbuf.h"
#include "util.h"

#define OUTPUT_FILE		"output"
#define OUTPUT_INDEX_FILE	"output.index"
#define INDEX_RECORD		9

/* Read size for the reader and the follower. */
#define READ_CHUNK		65536

/*
 * Parameter bytes kept for one CSI sequence. A longer sequence is still
 * consumed to its end, but never applied: no real SGR is that long.
 */
#define CSI_MAX			256

/* At most this many sub-parameters (38:2::r:g:b has 6) are looked at. */
#define SGR_SUBS		8

/* The follower counts LFs before its start up to here; beyond, it guesses. */
#define TAIL_COUNT_MAX		(32 * 1024 * 1024)

static const char replacement[] = "\xef\xbf\xbd";	/* U+FFFD */

enum cook_state {
	ST_GROUND,
	ST_ESC,		/* after ESC */
	ST_ESC_INTER,	/* ESC + intermediates (charsets and such) */
	ST_CSI,
	ST_STR,		/* OSC, DCS, SOS, PM, APC: up to BEL or ST */
	ST_STR_ESC,	/* ESC inside a string: ST, or a new sequence */
};

struct output_cooker {
	output_line_cb		 cb;
	void			*arg;

	struct strbuf		 text;
	struct output_span	*spans;
	size_t			 nspans;
	size_t			 spans_alloc;
	bool			 pending_cr;	/* next text restarts */
	bool			 truncated;
	uint64_t		 cut;		/* cooked bytes cut off */
	uint64_t		 since_lf;	/* raw bytes since the LF */
	uint64_t		 lineno;

	struct output_style	 style;		/* SGR state */
	enum cook_state		 state;
	char			 csi[CSI_MAX];
	size_t			 csilen;
	bool			 csi_bad;	/* not an SGR we apply */

	unsigned char		 u8[4];	/* UTF-8 being read */
	size_t			 u8len;
	size_t			 u8need;	/* 0: none */
	unsigned char		 u8lo, u8hi;	/* next byte's range */
};

static const struct output_style default_style = {
	.fg = OUTPUT_COLOUR_DEFAULT,
	.bg = OUTPUT_COLOUR_DEFAULT,
	.attrs = 0,
};

static bool
style_equal(const struct output_style *a, const struct output_style *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attrs == b->attrs;
}

static void
cook_clear_line(struct output_cooker *c)
{
	strbuf_reset(&c->text);
	c->nspans = 0;
	c->truncated = false;
	c->cut = 0;
	c->pending_cr = false;
}

/*
 * Add cooked text in the current style. A multi-byte character is kept or
 * cut whole; a run of ASCII (split_ok) may be cut in the middle.
 */
static void
cook_add(struct output_cooker *c, const void *s, size_t n, bool split_ok)
{
	struct output_span	*sp;
	size_t			 off, room;

	if (c->pending_cr)
		cook_clear_line(c);
	if (c->truncated) {
		c->cut += n;
		return;
	}
	room = OUTPUT_LINE_MAX - c->text.len;
	if (n > room) {
		c->truncated = true;
		if (!split_ok)
			room = 0;
		c->cut += n - room;
		n = room;
		if (n == 0)
			return;
	}
	off = c->text.len;
	strbuf_add(&c->text, s, n);

	if (style_equal(&c->style, &default_style))
		return;
	if (c->nspans > 0) {
		sp = &c->spans[c->nspans - 1];
		if (sp->end == off && style_equal(&sp->style, &c->style)) {
			sp->end += n;
			return;
		}
	}
	XGROW(c->spans, c->spans_alloc, c->nspans + 1);
	sp = &c->spans[c->nspans++];
	sp->start = off;
	sp->end = off + n;
	sp->style = c->style;
}

static void
cook_fill(const struct output_cooker *c, struct output_line *l)
{
	memset(l, 0, sizeof *l);
	l->text = c->text.buf;
	l->len = c->text.len;
	l->spans = c->spans;
	l->nspans = c->nspans;
	l->lineno = c->lineno;
	l->truncated = c->truncated;
}

static void
cook_emit(struct output_cooker *c)
{
	struct output_line	l;
	size_t			len;

	len = c->text.len;
	if (c->truncated)
		strbuf_addf(&c->text, " [... %llu bytes cut]",
		    (unsigned long long)c->cut);
	cook_fill(c, &l);
	c->lineno++;
	c->cb(&l, c->arg);
	strbuf_setlen(&c->text, len);
	cook_clear_line(c);
	c->since_lf = 0;
}

/*
 * SGR. Parameters are split on ';' into groups and on ':' into
 * sub-parameters; an empty parameter is -1 (read as 0 where that matters).
 */
struct sgr_group {
	int	v[SGR_SUBS];
	size_t	n;
};

static size_t
sgr_parse(const char *p, size_t len, struct sgr_group *g, size_t max)
{
	const char	*end = p + len;
	size_t		 ng = 0;
	int		 v;
	bool		 digits;

	for (;;) {
		if (ng == max)
			return ng;
		g[ng].n = 0;
		for (;;) {
			v = 0;
			digits = false;
			while (p < end && *p >= '0' && *p <= '9') {
				if (v < 1000000)
					v = v * 10 + (*p - '0');
				digits = true;
				p++;
			}
			if (g[ng].n < SGR_SUBS)
				g[ng].v[g[ng].n++] = digits ? v : -1;
			if (p < end && *p == ':') {
				p++;
				continue;
			}
			break;
		}
		ng++;
		if (p >= end)
			return ng;
		p++;	/* ';' (anything else was rejected as csi_bad) */
	}
}

static int
sgr_rgb(int r, int g, int b)
{
	if (r < 0)
		r = 0;
	if (g < 0)
		g = 0;
	if (b < 0)
		b = 0;
	if (r > 255 || g > 255 || b > 255)
		return -2;
	return OUTPUT_COLOUR_RGB | (r << 16) | (g << 8) | b;
}

/*
 * An extended colour (38/48/58) at group *i: the colon form lives in one
 * group, the semicolon form takes the following groups. Returns the
 * colour, or -2 when it is malformed; *i is left on the last group used.
 */
static int
sgr_extended(const struct sgr_group *g, size_t ng, size_t *i)
{
	const struct sgr_group	*x = &g[*i];
	int			 mode, idx;

	if (x->n > 1) {
		mode = x->v[1];
		if (mode == 5 && x->n >= 3) {
			idx = x->v[2] < 0 ? 0 : x->v[2];
			return idx > 255 ? -2 : idx;
		}
		if (mode == 2 && x->n >= 6)	/* 38:2:CS:r:g:b */
			return sgr_rgb(x->v[3], x->v[4], x->v[5]);
		if (mode == 2 && x->n == 5)	/* 38:2:r:g:b */
			return sgr_rgb(x->v[2], x->v[3], x->v[4]);
		return -2;
	}
	if (*i + 1 >= ng)
		return -2;
	mode = g[*i + 1].v[0];
	if (mode == 5 && *i + 2 < ng) {
		idx = g[*i + 2].v[0] < 0 ? 0 : g[*i + 2].v[0];
		*i += 2;
		return idx > 255 ? -2 : idx;
	}
	if (mode == 2 && *i + 4 < ng) {
		*i += 4;
		return sgr_rgb(g[*i - 2].v[0], g[*i - 1].v[0], g[*i].v[0]);
	}
	/* Unknown: the rest of the sequence cannot be trusted. */
	*i = ng;
	return -2;
}

static void
sgr_apply(struct output_cooker *c)
{
	struct sgr_group	 g[CSI_MAX / 2 + 1];
	struct output_style	*st = &c->style;
	size_t			 ng, i;
	int			 p, col;

	ng = sgr_parse(c->csi, c->csilen, g, ARRAY_SIZE(g));
	for (i = 0; i < ng; i++) {
		p = g[i].v[0] < 0 ? 0 : g[i].v[0];
		switch (p) {
		case 0:
			*st = default_style;
			break;
		case 1:
			st->attrs |= OUTPUT_BOLD;
			break;
		case 2:
			st->attrs |= OUTPUT_DIM;
			break;
		case 3:
			st->attrs |= OUTPUT_ITALIC;
			break;
		case 4:
			if (g[i].n > 1 && g[i].v[1] == 0)
				st->attrs &= ~OUTPUT_UNDERLINE;
			else
				st->attrs |= OUTPUT_UNDERLINE;
			break;
		case 7:
			st->attrs |= OUTPUT_REVERSE;
			break;
		case 9:
			st->attrs |= OUTPUT_STRIKE;
			break;
		case 21:
			st->attrs |= OUTPUT_UNDERLINE;
			break;
		case 22:
			st->attrs &= ~(OUTPUT_BOLD | OUTPUT_DIM);
			break;
		case 23:
			st->attrs &= ~OUTPUT_ITALIC;
			break;
		case 24:
			st->attrs &= ~OUTPUT_UNDERLINE;
			break;
		case 27:
			st->attrs &= ~OUTPUT_REVERSE;
			break;
		case 29:
			st->attrs &= ~OUTPUT_STRIKE;
			break;
		case 39:
			st->fg = OUTPUT_COLOUR_DEFAULT;
			break;
		case 49:
			st->bg = OUTPUT_COLOUR_DEFAULT;
			break;
		case 38:
		case 48:
		case 58:
			col = sgr_extended(g, ng, &i);
			/* 58, the underline colour, is not used. */
			if (col == -2 || p == 58)
				break;
			if (p == 38)
				st->fg = col;
			else
				st->bg = col;
			break;
		default:
			/* Blink, hidden, fonts and the rest are ignored. */
			if (p >= 30 && p <= 37)
				st->fg = p - 30;
			else if (p >= 40 && p <= 47)
				st->bg = p - 40;
			else if (p >= 90 && p <= 97)
				st->fg = p - 90 + 8;
			else if (p >= 100 && p <= 107)
				st->bg = p - 100 + 8;
			break;
		}
	}
}

/* Start a UTF-8 sequence at lead byte ch; false if ch cannot lead one. */
static bool
utf8_start(struct output_cooker *c, unsigned char ch)
{
	c->u8lo = 0x80;
	c->u8hi = 0xbf;
	if (ch >= 0xc2 && ch <= 0xdf)
		c->u8need = 2;
	else if (ch >= 0xe0 && ch <= 0xef) {
		c->u8need = 3;
		if (ch == 0xe0)
			c->u8lo = 0xa0;		/* overlong */
		else if (ch == 0xed)
			c->u8hi = 0x9f;		/* surrogates */
	} else if (ch >= 0xf0 && ch <= 0xf4) {
		c->u8need = 4;
		if (ch == 0xf0)
			c->u8lo = 0x90;		/* overlong */
		else if (ch == 0xf4)
			c->u8hi = 0x8f;		/* > U+10FFFF */
	} else
		return false;
	c->u8[0] = ch;
	c->u8len = 1;
	return true;
}

static void
cook_byte(struct output_cooker *c, unsigned char ch)
{
again:
	switch (c->state) {
	case ST_GROUND:
		if (c->u8need != 0) {
			if (ch >= c->u8lo && ch <= c->u8hi) {
				c->u8[c->u8len++] = ch;
				c->u8lo = 0x80;
				c->u8hi = 0xbf;
				if (c->u8len < c->u8need)
					return;
				c->u8need = 0;
				/* C1 controls: U+009B is CSI to some. */
				if (c->u8len == 2 && c->u8[0] == 0xc2 &&
				    c->u8[1] < 0xa0)
					return;
				cook_add(c, c->u8, c->u8len, false);
				return;
			}
			/* The maximal invalid subpart becomes one U+FFFD. */
			c->u8need = 0;
			cook_add(c, replacement, 3, false);
		}
		if (ch >= 0x80) {
			if (!utf8_start(c, ch))
				cook_add(c, replacement, 3, false);
			return;
		}
		if (ch >= 0x20 && ch != 0x7f) {
			cook_add(c, &ch, 1, true);
			return;
		}
		switch (ch) {
		case '\n':
			cook_emit(c);
			break;
		case '\r':
			c->pending_cr = true;
			break;
		case '\t':
			cook_add(c, &ch, 1, true);
			break;
		case 0x1b:
			c->state = ST_ESC;
			break;
		}
		return;
	case ST_ESC:
		if (ch == '[') {
			c->state = ST_CSI;
			c->csilen = 0;
			c->csi_bad = false;
		} else if (ch == ']' || ch == 'P' || ch == 'X' || ch == '^' ||
		    ch == '_')
			c->state = ST_STR;
		else if (ch >= 0x20 && ch <= 0x2f)
			c->state = ST_ESC_INTER;
		else if (ch >= 0x30 && ch <= 0x7e)
			c->state = ST_GROUND;
		else if (ch != 0x1b) {
			c->state = ST_GROUND;
			goto again;
		}
		return;
	case ST_ESC_INTER:
		if (ch >= 0x20 && ch <= 0x2f)
			return;
		if (ch >= 0x30 && ch <= 0x7e) {
			c->state = ST_GROUND;
			return;
		}
		c->state = ch == 0x1b ? ST_ESC : ST_GROUND;
		if (ch != 0x1b)
			goto again;
		return;
	case ST_CSI:
		if (ch >= 0x30 && ch <= 0x3f) {
			if (ch >= 0x3c)		/* private: < = > ? */
				c->csi_bad = true;
			if (c->csilen < CSI_MAX)
				c->csi[c->csilen++] = (char)ch;
			else
				c->csi_bad = true;
		} else if (ch >= 0x20 && ch <= 0x2f)
			c->csi_bad = true;
		else if (ch >= 0x40 && ch <= 0x7e) {
			if (ch == 'm' && !c->csi_bad)
				sgr_apply(c);
			c->state = ST_GROUND;
		} else if (ch == 0x1b)
			c->state = ST_ESC;
		else if (ch == '\n' || ch >= 0x80) {
			c->state = ST_GROUND;
			goto again;
		}
		/* Other controls inside a CSI are dropped; it goes on. */
		return;
	case ST_STR:
		if (ch == 0x07)
			c->state = ST_GROUND;
		else if (ch == 0x1b)
			c->state = ST_STR_ESC;
		else if (ch == '\n') {
			/* Unterminated: do not let it swallow the output. */
			c->state = ST_GROUND;
			goto again;
		}
		return;
	case ST_STR_ESC:
		if (ch == '\\') {
			c->state = ST_GROUND;
			return;
		}
		c->state = ST_ESC;
		goto again;
	}
}

struct output_cooker *
output_cooker_new(output_line_cb cb, void *arg)
{
	struct output_cooker	*c;

	c = xcalloc(1, sizeof *c);
	c->cb = cb;
	c->arg = arg;
	strbuf_init(&c->text);
	c->style = default_style;
	return c;
}

void
output_cooker_feed(struct output_cooker *c, const void *buf, size_t len)
{
	const unsigned char	*p = buf, *end = p + len, *q;

	while (p < end) {
		/* The common case, printable ASCII, goes in runs. */
		if (c->state == ST_GROUND && c->u8need == 0 &&
		    *p >= 0x20 && *p < 0x7f) {
			q = p + 1;
			while (q < end && *q >= 0x20 && *q < 0x7f)
				q++;
			c->since_lf += (size_t)(q - p);
			cook_add(c, p, (size_t)(q - p), true);
			p = q;
			continue;
		}
		c->since_lf++;
		cook_byte(c, *p++);
	}
}

void
output_cooker_finish(struct output_cooker *c)
{
	if (c->u8need != 0) {
		c->u8need = 0;
		cook_add(c, replacement, 3, false);
	}
	c->state = ST_GROUND;
	if (c->since_lf > 0)
		cook_emit(c);
}

bool
output_cooker_partial(const struct output_cooker *c, struct output_line *l)
{
	if (c->since_lf == 0)
		return false;
	/* After a \r this is still the text it will replace: the latest. */
	cook_fill(c, l);
	return true;
}

/* Forget everything: line, colour state and line count. */
static void
output_cooker_reset(struct output_cooker *c)
{
	cook_clear_line(c);
	c->since_lf = 0;
	c->lineno = 0;
	c->style = default_style;
	c->state = ST_GROUND;
	c->u8need = 0;
}

void
output_cooker_free(struct output_cooker *c)
{
	if (c == NULL)
		return;
	strbuf_release(&c->text);
	free(c->spans);
	free(c);
}

static void
render_style(struct strbuf *sb, const struct output_style *st)
{
	static const struct {
		unsigned	attr;
		int		code;
	} attrs[] = {
		{ OUTPUT_BOLD, 1 },
		{ OUTPUT_DIM, 2 },
		{ OUTPUT_ITALIC, 3 },
		{ OUTPUT_UNDERLINE, 4 },
		{ OUTPUT_REVERSE, 7 },
		{ OUTPUT_STRIKE, 9 },
	};
	size_t	i;
	int	rgb;

	strbuf_addstr(sb, "\033[0");
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		if (st->attrs & attrs[i].attr)
			strbuf_addf(sb, ";%d", attrs[i].code);
	}
	if (st->fg >= 0 && st->fg < 8)
		strbuf_addf(sb, ";%d", 30 + st->fg);
	else if (st->fg >= 8 && st->fg < 16)
		strbuf_addf(sb, ";%d", 90 + st->fg - 8);
	else if (st->fg >= 16 && st->fg < 256)
		strbuf_addf(sb, ";38;5;%d", st->fg);
	else if (st->fg & OUTPUT_COLOUR_RGB && st->fg > 0) {
		rgb = st->fg & 0xffffff;
		strbuf_addf(sb, ";38;2;%d;%d;%d", rgb >> 16, (rgb >> 8) & 0xff,
		    rgb & 0xff);
	}
	if (st->bg >= 0 && st->bg < 8)
		strbuf_addf(sb, ";%d", 40 + st->bg);
	else if (st->bg >= 8 && st->bg < 16)
		strbuf_addf(sb, ";%d", 100 + st->bg - 8);
	else if (st->bg >= 16 && st->bg < 256)
		strbuf_addf(sb, ";48;5;%d", st->bg);
	else if (st->bg & OUTPUT_COLOUR_RGB && st->bg > 0) {
		rgb = st->bg & 0xffffff;
		strbuf_addf(sb, ";48;2;%d;%d;%d", rgb >> 16, (rgb >> 8) & 0xff,
		    rgb & 0xff);
	}
	strbuf_addch(sb, 'm');
}

void
output_line_render(const struct output_line *l, struct strbuf *sb)
{
	const struct output_span	*sp;
	size_t				 pos = 0, i;

	for (i = 0; i < l->nspans; i++) {
		sp = &l->spans[i];
		if (sp->start > pos) {
			if (i > 0)
				strbuf_addstr(sb, "\033[m");
			strbuf_add(sb, l->text + pos, sp->start - pos);
		}
		render_style(sb, &sp->style);
		strbuf_add(sb, l->text + sp->start, sp->end - sp->start);
		pos = sp->end;
	}
	if (l->nspans > 0)
		strbuf_addstr(sb, "\033[m");
	if (pos < l->len)
		strbuf_add(sb, l->text + pos, l->len - pos);
}

/* pread(2) up to len bytes, retrying short reads; -1 on error. */
static ssize_t
read_at(int fd, void *buf, size_t len, off_t off)
{
	char	*p = buf;
	size_t	 got = 0;
	ssize_t	 n;

	while (got < len) {
		n = pread(fd, p + got, len - got, off + (off_t)got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static void
index_encode(unsigned char *rec, int64_t ms, int stream)
{
	uint64_t	v = ms < 0 ? 0 : (uint64_t)ms;
	int		i;

	for (i = 7; i >= 0; i--) {
		rec[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	rec[8] = (unsigned char)stream;
}

static void
index_decode(const unsigned char *rec, int64_t *ms, int *stream)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | rec[i];
	*ms = v > INT64_MAX ? INT64_MAX : (int64_t)v;
	*stream = rec[8];
}

/* Writer. */

struct output_sub {
	output_line_cb	 cb;
	void		*arg;
};

struct output {
	char			*path;
	char			*index_path;
	int			 fd;
	int			 ifd;
	bool			 failed;	/* no more disk writes */
	char			*error;	/* failure to return */

	struct output_cooker	*cookers[2];
	int			 feeding;	/* stream being cooked */
	int64_t			 now_ms;	/* time of this feed */
	int64_t			 last_ms;
	uint64_t		 nlines;

	unsigned char		*ibuf;	/* this feed's records */
	size_t			 ilen;
	size_t			 ialloc;

	struct output_sub	*subs;
	size_t			 nsubs;
	size_t			 subs_alloc;
	bool			 dispatching;
};

static void
output_fail(struct output *o, const char *what, const char *path, int errnum)
{
	if (o->failed)
		return;
	o->failed = true;
	o->error = xasprintf("%s %s: %s", what, path, strerror(errnum));
}

static void
output_compact_subs(struct output *o)
{
	size_t	i, j = 0;

	for (i = 0; i < o->nsubs; i++) {
		if (o->subs[i].cb != NULL)
			o->subs[j++] = o->subs[i];
	}
	o->nsubs = j;
}

static void
output_on_line(const struct output_line *cooked, void *arg)
{
	struct output		*o = arg;
	struct output_line	 l = *cooked;
	size_t			 i;

	l.lineno = o->nlines++;
	l.time_ms = o->now_ms;
	l.stream = o->feeding;

	XGROW(o->ibuf, o->ialloc, o->ilen + INDEX_RECORD);
	index_encode(o->ibuf + o->ilen, l.time_ms, l.stream);
	o->ilen += INDEX_RECORD;

	/* Unsubscribing during this loop only clears the entry. */
	o->dispatching = true;
	for (i = 0; i < o->nsubs; i++) {
		if (o->subs[i].cb != NULL)
			o->subs[i].cb(&l, o->subs[i].arg);
	}
	o->dispatching = false;
	output_compact_subs(o);
}

static int
output_open_file(const char *path, char **cause)
{
	struct stat	st;
	int		fd;

	/* Appending to a restarted run: its files may be anything. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0644);
	if (fd < 0)
		set_cause(cause, "open %s: %s", path, strerror(errno));
	else if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		set_cause(cause, "%s: not a regular file", path);
		close(fd);
		fd = -1;
	}
	return fd;
}

struct output *
output_open(const char *run_dir, char **cause)
{
	struct output	*o;
	char		*dir;

	dir = path_join(run_dir, ".guild");
	if (mkdir_p(dir, 0755, cause) != 0) {
		free(dir);
		return NULL;
	}
	o = xcalloc(1, sizeof *o);
	o->path = path_join(dir, OUTPUT_FILE);
	o->index_path = path_join(dir, OUTPUT_INDEX_FILE);
	free(dir);
	o->ifd = -1;
	o->fd = output_open_file(o->path, cause);
	if (o->fd >= 0)
		o->ifd = output_open_file(o->index_path, cause);
	if (o->fd < 0 || o->ifd < 0) {
		if (o->fd >= 0)
			close(o->fd);
		free(o->path);
		free(o->index_path);
		free(o);
		return NULL;
	}
	o->cookers[0] = output_cooker_new(output_on_line, o);
	o->cookers[1] = output_cooker_new(output_on_line, o);
	return o;
}

void
output_subscribe(struct output *o, output_line_cb cb, void *arg)
{
	XGROW(o->subs, o->subs_alloc, o->nsubs + 1);
	o->subs[o->nsubs].cb = cb;
	o->subs[o->nsubs].arg = arg;
	o->nsubs++;
}

void
output_unsubscribe(struct output *o, output_line_cb cb, void *arg)
{
	size_t	i;

	for (i = 0; i < o->nsubs; i++) {
		if (o->subs[i].cb == cb && o->subs[i].arg == arg) {
			o->subs[i].cb = NULL;
			if (!o->dispatching)
				output_compact_subs(o);
			return;
		}
	}
}

/* Write the index records gathered during a feed or close. */
static void
output_flush_index(struct output *o)
{
	if (o->ilen > 0 && !o->failed &&
	    write_all(o->ifd, o->ibuf, o->ilen) != 0)
		output_fail(o, "write", o->index_path, errno);
	o->ilen = 0;
}

/* Hand over a pending failure once. */
static int
output_take_error(struct output *o, char **cause)
{
	if (o->error == NULL)
		return 0;
	set_cause(cause, "%s", o->error);
	free(o->error);
	o->error = NULL;
	return -1;
}

static void
output_stamp(struct output *o)
{
	int64_t	now = now_us() / 1000;

	/* Timestamps never go backwards, even when the clock does. */
	if (now < o->last_ms)
		now = o->last_ms;
	o->now_ms = o->last_ms = now;
}

int
output_feed(struct output *o, const void *buf, size_t len, int stream,
    char **cause)
{
	if (len == 0)
		return 0;
	stream = stream == 0 ? 0 : 1;

	/* Raw bytes first, so an index record never precedes its line. */
	if (!o->failed && write_all(o->fd, buf, len) != 0)
		output_fail(o, "write", o->path, errno);

	output_stamp(o);
	o->feeding = stream;
	output_cooker_feed(o->cookers[stream], buf, len);
	output_flush_index(o);
	return output_take_error(o, cause);
}

bool
output_partial(const struct output *o, int stream, struct output_line *l)
{
	if (!output_cooker_partial(o->cookers[stream == 0 ? 0 : 1], l))
		return false;
	l->lineno = o->nlines;
	l->time_ms = 0;
	l->stream = stream == 0 ? 0 : 1;
	return true;
}

int
output_close(struct output *o, char **cause)
{
	int	i, rv;

	if (o == NULL)
		return 0;
	output_stamp(o);
	for (i = 0; i < 2; i++) {
		o->feeding = i;
		output_cooker_finish(o->cookers[i]);
	}
	output_flush_index(o);
	if (close(o->fd) != 0)
		output_fail(o, "close", o->path, errno);
	if (close(o->ifd) != 0)
		output_fail(o, "close", o->index_path, errno);
	rv = output_take_error(o, cause);

	for (i = 0; i < 2; i++)
		output_cooker_free(o->cookers[i]);
	free(o->ibuf);
	free(o->subs);
	free(o->path);
	free(o->index_path);
	free(o);
	return rv;
}

/*
 * Index records read in blocks, for pairing lines with their times: the
 * reader goes forward only, the follower may start anywhere.
 */
#define RECS_BLOCK	4096

struct index_reader {
	int		 fd;
	unsigned char	*buf;
	uint64_t	 first;		/* record number of buf[0] */
	size_t		 n;
};

static void
index_reader_init(struct index_reader *ir, int fd)
{
	ir->fd = fd;
	ir->buf = NULL;
	ir->first = 0;
	ir->n = 0;
}

static void
index_reader_release(struct index_reader *ir)
{
	if (ir->fd >= 0)
		close(ir->fd);
	free(ir->buf);
	index_reader_init(ir, -1);
}

/* Record n; false when the index does not have it (yet). */
static bool
index_reader_get(struct index_reader *ir, uint64_t n, int64_t *ms,
    int *stream)
{
	ssize_t	got;

	if (ir->fd < 0)
		return false;
	if (n < ir->first || n >= ir->first + ir->n) {
		if (ir->buf == NULL)
			ir->buf = xmalloc(RECS_BLOCK * INDEX_RECORD);
		if (n > (uint64_t)INT64_MAX / INDEX_RECORD)
			return false;
		got = read_at(ir->fd, ir->buf, RECS_BLOCK * INDEX_RECORD,
		    (off_t)(n * INDEX_RECORD));
		ir->first = n;
		ir->n = got < 0 ? 0 : (size_t)got / INDEX_RECORD;
		if (ir->n == 0)
			return false;
	}
	index_decode(ir->buf + (n - ir->first) * INDEX_RECORD, ms, stream);
	return true;
}

/*
 * A run's output or index: streamed, so no size limit, but a FIFO or a
 * device there must not block or flood us. -1 with errno and cause.
 */
static int
open_read(const char *path, char **cause)
{
	return file_open_regular(AT_FDCWD, path, FILE_NOFOLLOW, NULL, cause);
}

/* Reader. */

struct output_reader {
	struct index_reader	 ir;
	output_line_cb		 cb;
	void			*arg;
	long long		 n;
};

static void
reader_on_line(const struct output_line *cooked, void *arg)
{
	struct output_reader	*r = arg;
	struct output_line	 l = *cooked;

	if (!index_reader_get(&r->ir, l.lineno, &l.time_ms, &l.stream)) {
		l.time_ms = 0;
		l.stream = 0;
	}
	r->n++;
	r->cb(&l, r->arg);
}

long long
output_read(const char *run_dir, output_line_cb cb, void *arg, char **cause)
{
	struct output_reader	 r;
	struct output_cooker	*c;
	char			*path, *ipath, *buf, *c0 = NULL;
	ssize_t			 n;
	int			 fd;

	path = xasprintf("%s/.guild/%s", run_dir, OUTPUT_FILE);
	fd = open_read(path, &c0);
	if (fd < 0) {
		int	err = errno;

		free(path);
		if (err == ENOENT) {
			free(c0);
			return 0;
		}
		set_cause(cause, "%s", c0);
		free(c0);
		return -1;
	}
	ipath = xasprintf("%s/.guild/%s", run_dir, OUTPUT_INDEX_FILE);
	index_reader_init(&r.ir, open_read(ipath, NULL));
	free(ipath);
	r.cb = cb;
	r.arg = arg;
	r.n = 0;

	c = output_cooker_new(reader_on_line, &r);
	buf = xmalloc(READ_CHUNK);
	for (;;) {
		n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		output_cooker_feed(c, buf, (size_t)n);
	}
	if (n < 0)
		r.n = set_cause(cause, "read %s: %s", path, strerror(errno));
	else
		output_cooker_finish(c);

	output_cooker_free(c);
	index_reader_release(&r.ir);
	free(buf);
	free(path);
	close(fd);
	return r.n;
}

/* Follower. */

struct output_tail {
	char			*path;
	char			*index_path;
	size_t			 last_lines;
	struct output_tail_hooks hooks;
	void			*arg;

	int			 fd;		/* -1: not open (yet) */
	dev_t			 dev;
	ino_t			 ino;
	off_t			 offset;	/* next byte to read */
	uint64_t		 base;		/* first line's number */
	struct index_reader	 ir;
	struct output_cooker	*cooker;
	char			*buf;
	long long		 delivered;	/* by the current poll */
};

static void
tail_on_line(const struct output_line *cooked, void *arg)
{
	struct output_tail	*t = arg;
	struct output_line	 l = *cooked;

	l.lineno = t->base + cooked->lineno;
	if (t->ir.fd < 0)
		index_reader_init(&t->ir, open_read(t->index_path, NULL));
	if (!index_reader_get(&t->ir, l.lineno, &l.time_ms, &l.stream)) {
		l.time_ms = 0;
		l.stream = 0;
	}
	t->delivered++;
	t->hooks.on_line(&l, t->arg);
}

/*
 * Where the last n complete lines start: just after the (n+1)-th LF from
 * the end (bytes after the last LF are the line being written).
 */
static int
tail_find_start(struct output_tail *t, off_t size, off_t *start)
{
	off_t	pos = size, chunk;
	size_t	count = 0;
	ssize_t	got, i;

	*start = 0;
	if (t->last_lines == OUTPUT_TAIL_ALL)
		return 0;
	while (pos > 0) {
		chunk = pos < READ_CHUNK ? pos : READ_CHUNK;
		got = read_at(t->fd, t->buf, (size_t)chunk, pos - chunk);
		if (got != chunk)
			return -1;
		for (i = got - 1; i >= 0; i--) {
			if (t->buf[i] != '\n')
				continue;
			if (++count == t->last_lines + 1) {
				*start = pos - chunk + i + 1;
				return 0;
			}
		}
		pos -= chunk;
	}
	return 0;
}

/* Line number of the line starting at offset start. */
static uint64_t
tail_line_number(struct output_tail *t, off_t start)
{
	struct stat	 st;
	off_t		 pos = 0, chunk;
	uint64_t	 n = 0, records;
	ssize_t		 got;
	const char	*p, *end;

	if (start == 0)
		return 0;
	if (start <= TAIL_COUNT_MAX) {
		while (pos < start) {
			chunk = start - pos < READ_CHUNK ? start - pos :
			    READ_CHUNK;
			got = read_at(t->fd, t->buf, (size_t)chunk, pos);
			if (got <= 0)
				break;
			end = t->buf + got;
			for (p = t->buf; p < end; p++) {
				p = memchr(p, '\n', (size_t)(end - p));
				if (p == NULL)
					break;
				n++;
			}
			pos += got;
		}
		return n;
	}
	/* One record per complete line, if the index kept up. */
	if (t->ir.fd < 0)
		index_reader_init(&t->ir, open_read(t->index_path, NULL));
	if (t->ir.fd < 0 || fstat(t->ir.fd, &st) != 0)
		return 0;
	records = (uint64_t)st.st_size / INDEX_RECORD;
	return records > t->last_lines ? records - t->last_lines : 0;
}

static void
tail_close(struct output_tail *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	index_reader_release(&t->ir);
	output_cooker_reset(t->cooker);
}

/* Position at the start of the last lines of what is there now. */
static int
tail_start(struct output_tail *t, off_t size, char **cause)
{
	off_t	start;

	if (tail_find_start(t, size, &start) != 0)
		return set_cause(cause, "read %s: %s", t->path,
		    strerror(errno));
	t->offset = start;
	t->base = tail_line_number(t, start);
	output_cooker_reset(t->cooker);
	return 0;
}

/* Open the file if it exists now; 0 when it does not (yet). */
static int
tail_try_open(struct output_tail *t, char **cause)
{
	struct stat	 st;
	char		*c = NULL;

	t->fd = open_read(t->path, &c);
	if (t->fd < 0) {
		if (errno == ENOENT) {
			free(c);
			return 0;
		}
		set_cause(cause, "%s", c);
		free(c);
		return -1;
	}
	if (fstat(t->fd, &st) != 0) {
		set_cause(cause, "stat %s: %s", t->path, strerror(errno));
		tail_close(t);
		return -1;
	}
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	if (tail_start(t, st.st_size, cause) != 0) {
		tail_close(t);
		return -1;
	}
	return 0;
}

static void
tail_reset(struct output_tail *t)
{
	tail_close(t);
	if (t->hooks.on_reset != NULL)
		t->hooks.on_reset(t->arg);
}

struct output_tail *
output_tail_open(const char *run_dir, size_t last_lines,
    const struct output_tail_hooks *hooks, void *arg, char **cause)
{
	struct output_tail	*t;

	t = xcalloc(1, sizeof *t);
	t->path = xasprintf("%s/.guild/%s", run_dir, OUTPUT_FILE);
	t->index_path = xasprintf("%s/.guild/%s", run_dir, OUTPUT_INDEX_FILE);
	t->last_lines = last_lines;
	t->hooks = *hooks;
	t->arg = arg;
	t->fd = -1;
	index_reader_init(&t->ir, -1);
	t->cooker = output_cooker_new(tail_on_line, t);
	t->buf = xmalloc(READ_CHUNK);
	if (tail_try_open(t, cause) != 0) {
		output_tail_free(t);
		return NULL;
	}
	return t;
}

long long
output_tail_poll(struct output_tail *t, char **cause)
{
	struct stat	st;
	ssize_t		n;

	t->delivered = 0;
	if (t->fd >= 0) {
		/* Replaced (or removed) under the same name? */
		if (stat(t->path, &st) != 0 || st.st_dev != t->dev ||
		    st.st_ino != t->ino)
			tail_reset(t);
		else if (fstat(t->fd, &st) == 0 && st.st_size < t->offset) {
			tail_reset(t);
		}
	}
	if (t->fd < 0) {
		if (tail_try_open(t, cause) != 0)
			return -1;
		if (t->fd < 0)
			return 0;
	}
	for (;;) {
		n = pread(t->fd, t->buf, READ_CHUNK, t->offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return set_cause(cause, "read %s: %s", t->path,
			    strerror(errno));
		if (n == 0)
			break;
		t->offset += n;
		output_cooker_feed(t->cooker, t->buf, (size_t)n);
	}
	return t->delivered;
}

bool
output_tail_partial(const struct output_tail *t, struct output_line *l)
{
	uint64_t	lineno;

	if (!output_cooker_partial(t->cooker, l))
		return false;
	lineno = t->base + l->lineno;
	l->lineno = lineno;
	return true;
}

void
output_tail_finish(struct output_tail *t)
{
	output_cooker_finish(t->cooker);
}

void
output_tail_free(struct output_tail *t)
{
	if (t == NULL)
		return;
	tail_close(t);
	output_cooker_free(t->cooker);
	free(t->buf);
	free(t->path);
	free(t->index_path);
	free(t);
}
