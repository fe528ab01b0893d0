/*
 * termsafe.c: untrusted bytes made safe to show on a terminal (see
 * termsafe.h for what is shown how).
 */
#include "common.h"

#include <string.h>

#include "strbuf.h"
#include "termsafe.h"

/*
 * The length of the UTF-8 sequence at p (Unicode's table 3-7 of
 * well-formed sequences: no overlong forms, surrogates or code points
 * past U+10FFFF), 0 if the first byte starts no valid sequence, or
 * SEQ_CUT if the bytes so far are a valid start that len cuts short.
 */
#define SEQ_CUT	((size_t)-1)

static size_t
utf8_seq(const unsigned char *p, size_t len)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if (i >= len)
			return SEQ_CUT;
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/* Whether the byte or sequence at p (of length n) passes as it is. */
static bool
passes(const unsigned char *p, size_t n, unsigned flags)
{
	if (n == 1) {
		if (p[0] == '\n' || p[0] == '\t')
			return (flags & TERMSAFE_SINGLE_LINE) == 0;
		return p[0] >= 0x20 && p[0] != 0x7f;
	}
	/* U+0080..U+009F, the C1 controls, are C2 80..C2 9F. */
	return !(n == 2 && p[0] == 0xc2 && p[1] < 0xa0);
}

size_t
termsafe_span(const void *buf, size_t len, unsigned flags)
{
	const unsigned char	*p = buf;
	size_t			 i = 0, n;

	while (i < len) {
		/* Printable ASCII, most of any text, in a tight loop. */
		while (i < len && p[i] >= 0x20 && p[i] < 0x7f)
			i++;
		if (i == len)
			break;
		n = utf8_seq(p + i, len - i);
		if (n == 0 || n == SEQ_CUT || !passes(p + i, n, flags))
			break;
		i += n;
	}
	return i;
}

size_t
termsafe_add(struct strbuf *sb, const void *buf, size_t len, unsigned flags)
{
	static const char	 names[] = "\a\b\t\n\v\f\r\033";
	static const char	 shown[] = "abtnvfre";
	const unsigned char	*p = buf;
	const char		*q;
	size_t			 i = 0, n;

	while (i < len) {
		n = termsafe_span(p + i, len - i, flags);
		strbuf_add(sb, p + i, n);
		if ((i += n) == len)
			break;
		n = utf8_seq(p + i, len - i);
		if (n == SEQ_CUT) {
			if (flags & TERMSAFE_PARTIAL)
				return i;
			n = 0;	/* cut for good: show the bytes */
		}
		if (n == 2) {
			strbuf_addf(sb, "\\u00%02x", p[i + 1]);
			i += 2;
		} else if (n == 1 && p[i] != '\0' &&
		    (q = strchr(names, p[i])) != NULL) {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, shown[q - names]);
			i++;
		} else {
			strbuf_addf(sb, "\\x%02x", p[i]);
			i++;
		}
	}
	return len;
}

bool
termsafe_binary(const void *buf, size_t len)
{
	if (len > TERMSAFE_BINARY_PROBE)
		len = TERMSAFE_BINARY_PROBE;
	return memchr(buf, '\0', len) != NULL;
}
