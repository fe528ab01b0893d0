/*
 * fuzz-cooker.c: libFuzzer target for the output cooker (output.c).
 *
 * Output is untrusted: whatever bytes come in, a cooked line must be safe
 * to print (output.h): valid UTF-8, no control character but tab, no C1
 * control, no escape sequence (SGR colours become spans), at most
 * OUTPUT_LINE_MAX bytes (and the cut marker); spans ascending, disjoint and inside the text;
 * and output_line_render() writes only SGR sequences of its own. The
 * lines must not depend on how the bytes are split: the input is cooked
 * whole, then again in chunks of sizes drawn from its first byte, and
 * both give the same lines. Bit 0x80 of that byte repeats the input 17
 * times, to pass the line cap.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "output.h"
#include "strbuf.h"

#define REPEAT	17

struct seen {
	struct strbuf	 sb;		/* every line, serialised */
	uint64_t	 lines;
};

static void
check_utf8(const unsigned char *p, size_t len)
{
	size_t		i = 0, n, k;
	unsigned	c;

	while (i < len) {
		c = p[i];
		if (c < 0x80) {
			FUZZ_ASSERT(c >= 0x20 || c == '\t');
			FUZZ_ASSERT(c != 0x7f);
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, c &= 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, c &= 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, c &= 0x07;
		else {
			FUZZ_ASSERT(!"invalid UTF-8 lead byte");
			return;
		}
		for (k = 1; k <= n; k++) {
			FUZZ_ASSERT(i + k < len);
			FUZZ_ASSERT((p[i + k] & 0xc0) == 0x80);
			c = c << 6 | (p[i + k] & 0x3f);
		}
		FUZZ_ASSERT(!(n == 2 && c < 0x800));
		FUZZ_ASSERT(!(n == 3 && (c < 0x10000 || c > 0x10ffff)));
		FUZZ_ASSERT(!(c >= 0xd800 && c <= 0xdfff));
		FUZZ_ASSERT(!(c >= 0x80 && c <= 0x9f));
		i += n + 1;
	}
}

/* Only ESC [ digits and semicolons m, and nothing else below 0x20. */
static void
check_render(const struct output_line *l)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p;

	output_line_render(l, &sb);
	for (p = sb.buf; *p != '\0'; p++) {
		if (*p != '\033')
			continue;
		FUZZ_ASSERT(p[1] == '[');
		for (p += 2; (*p >= '0' && *p <= '9') || *p == ';'; p++)
			;
		FUZZ_ASSERT(*p == 'm');
	}
	strbuf_release(&sb);
}

static void
check_line(const struct output_line *l)
{
	size_t	i;

	FUZZ_ASSERT(l->text != NULL && l->text[l->len] == '\0');
	FUZZ_ASSERT(strlen(l->text) == l->len);
	/* A cut line ends in a marker: " [... N bytes cut]". */
	FUZZ_ASSERT(l->len <= OUTPUT_LINE_MAX + (l->truncated ? 40 : 0));
	check_utf8((const unsigned char *)l->text, l->len);
	for (i = 0; i < l->nspans; i++) {
		FUZZ_ASSERT(l->spans[i].start < l->spans[i].end);
		FUZZ_ASSERT(l->spans[i].end <= l->len);
		if (i > 0)
			FUZZ_ASSERT(l->spans[i - 1].end <= l->spans[i].start);
	}
	check_render(l);
}

static void
on_line(const struct output_line *l, void *arg)
{
	struct seen	*s = arg;
	size_t		 i;

	check_line(l);
	FUZZ_ASSERT(l->lineno == s->lines);
	s->lines++;
	strbuf_addf(&s->sb, "%d:%zu:", (int)l->truncated, l->len);
	strbuf_add(&s->sb, l->text, l->len);
	for (i = 0; i < l->nspans; i++)
		strbuf_addf(&s->sb, "[%zu,%zu,%d,%d,%u]", l->spans[i].start,
		    l->spans[i].end, (int)l->spans[i].style.fg,
		    (int)l->spans[i].style.bg, l->spans[i].style.attrs);
	strbuf_addch(&s->sb, '\n');
}

static void
check_partial(const struct output_cooker *c)
{
	struct output_line	l;

	if (output_cooker_partial(c, &l))
		check_line(&l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct output_cooker	*c;
	struct seen		 whole = { STRBUF_INIT, 0 };
	struct seen		 parts = { STRBUF_INIT, 0 };
	uint32_t		 rng;
	unsigned		 sel, times, t;
	size_t			 at, n;

	if (size == 0)
		return 0;
	sel = data[0];
	data++;
	size--;
	times = sel & 0x80 ? REPEAT : 1;
	rng = sel * 2654435761U + 1;

	c = output_cooker_new(on_line, &whole);
	for (t = 0; t < times; t++)
		output_cooker_feed(c, data, size);
	check_partial(c);
	output_cooker_finish(c);
	output_cooker_free(c);

	c = output_cooker_new(on_line, &parts);
	for (t = 0; t < times; t++) {
		for (at = 0; at < size; at += n) {
			rng = rng * 1103515245U + 12345U;
			/* Mostly tiny chunks, where sequences get split. */
			n = (rng >> 16) % ((sel & 0x40) ? 64 : 4) + 1;
			if (n > size - at)
				n = size - at;
			output_cooker_feed(c, data + at, n);
			/* Now and then: a check is as long as the line. */
			if ((rng >> 8 & 63) == 0)
				check_partial(c);
		}
	}
	output_cooker_finish(c);
	output_cooker_free(c);

	FUZZ_ASSERT(whole.lines == parts.lines);
	FUZZ_ASSERT(whole.sb.len == parts.sb.len &&
	    memcmp(whole.sb.buf, parts.sb.buf, whole.sb.len) == 0);
	strbuf_release(&whole.sb);
	strbuf_release(&parts.sb);
	return 0;
}
