/* test-termsafe.c: untrusted bytes shown visibly on a terminal. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tap.h"
#include "termsafe.h"

/* termsafe_add over the whole of s (len bytes), as a new string. */
static char *
shown(const char *s, size_t len, unsigned flags)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		used;

	used = termsafe_add(&sb, s, len, flags);
	if (used != len && !(flags & TERMSAFE_PARTIAL))
		diag("consumed %zu of %zu", used, len);
	return strbuf_detach(&sb, NULL);
}

static void
check(const char *in, size_t len, unsigned flags, const char *want,
    const char *what)
{
	char	*got = shown(in, len, flags);

	is_str(got, want, "%s", what);
	/* Whatever came in, nothing a terminal obeys goes out. */
	ok(strpbrk(got, "\033\a\b\r\x7f\x9b") == NULL &&
	    strstr(got, "\xc2\x9b") == NULL, "%s: no control byte left", what);
	free(got);
}

#define CHECK(lit, flags, want, what) \
	check((lit), sizeof(lit) - 1, (flags), (want), (what))

/* Feed in in chunks of n bytes with TERMSAFE_PARTIAL, then the rest. */
static char *
chunked(const char *in, size_t len, size_t n, unsigned flags)
{
	struct strbuf	sb = STRBUF_INIT;
	struct strbuf	pend = STRBUF_INIT;
	size_t		i, used;

	for (i = 0; i < len; i += n) {
		strbuf_add(&pend, in + i, len - i < n ? len - i : n);
		used = termsafe_add(&sb, pend.buf, pend.len,
		    flags | TERMSAFE_PARTIAL);
		memmove(pend.buf, pend.buf + used, pend.len - used);
		strbuf_setlen(&pend, pend.len - used);
	}
	termsafe_add(&sb, pend.buf, pend.len, flags);
	strbuf_release(&pend);
	return strbuf_detach(&sb, NULL);
}

int
main(void)
{
	static const char	mixed[] = "a\xc3\xa9\033]0;t\a\xe2\x82\xac"
	    "\xf0\x9f\x98\x80\xc2\x9b\x9b z";
	char			*p, *whole;
	size_t			 n;

	CHECK("plain text, caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\e", 0,
	    "plain text, caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\e",
	    "printable UTF-8 and backslashes pass");
	CHECK("", 0, "", "empty");
	CHECK("\033]0;pwned\a", 0, "\\e]0;pwned\\a", "OSC 0 title");
	CHECK("\033]52;c;aGk=\033\\", 0, "\\e]52;c;aGk=\\e\\",
	    "OSC 52 clipboard with ST");
	CHECK("\033[2J\033[H", 0, "\\e[2J\\e[H", "CSI clear screen");
	CHECK("\x9b" "2J", 0, "\\x9b2J", "raw 8-bit CSI");
	CHECK("\xc2\x9b" "2J", 0, "\\u009b2J", "U+009B, C1 CSI as UTF-8");
	CHECK("\xc2\x80\xc2\x9f\xc2\xa0", 0, "\\u0080\\u009f\xc2\xa0",
	    "C1 range ends; U+00A0 passes");
	CHECK("a\rb\bc\fd\ve\x7f" "f\x01g", 0,
	    "a\\rb\\bc\\fd\\ve\\x7ff\\x01g", "C0 controls and DEL");
	CHECK("a\0b", 0, "a\\x00b", "NUL");
	CHECK("a\tb\nc", 0, "a\tb\nc", "tab and newline pass in text");
	CHECK("a\tb\nc", TERMSAFE_SINGLE_LINE, "a\\tb\\nc",
	    "tab and newline shown in a single-line field");
	CHECK("\xff\xfe", 0, "\\xff\\xfe", "bytes never in UTF-8");
	CHECK("\xc0\x9b", 0, "\\xc0\\x9b", "overlong ESC");
	CHECK("\xe0\x80\x9b", 0, "\\xe0\\x80\\x9b", "3-byte overlong");
	CHECK("\xed\xa0\x80", 0, "\\xed\\xa0\\x80", "UTF-16 surrogate");
	CHECK("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80",
	    "past U+10FFFF");
	CHECK("\xf0\x8f\xbf\xbf", 0, "\\xf0\\x8f\\xbf\\xbf",
	    "4-byte overlong");
	CHECK("\xf4\x8f\xbf\xbf", 0, "\xf4\x8f\xbf\xbf", "U+10FFFF passes");
	CHECK("\xe2\x82", 0, "\\xe2\\x82", "sequence cut at the end");
	CHECK("\xe2\x82z", 0, "\\xe2\\x82z", "sequence cut by ASCII");
	CHECK("\x80\xbf", 0, "\\x80\\xbf", "lone continuation bytes");
	CHECK("\xc3\033", 0, "\\xc3\\e", "ESC inside a sequence");

	is_int((long long)termsafe_span("ab\033c", 4, 0), 2,
	    "span stops at ESC");
	is_int((long long)termsafe_span("ab\tc", 4, 0), 4,
	    "span: tab passes in text");
	is_int((long long)termsafe_span("ab\tc", 4, TERMSAFE_SINGLE_LINE), 2,
	    "span: tab stops a single-line field");
	is_int((long long)termsafe_span("a\xc3\xa9", 3, 0), 3,
	    "span over UTF-8");
	is_int((long long)termsafe_span("a\xc3", 2, 0), 1,
	    "span stops before a cut sequence");

	{
		struct strbuf	sb = STRBUF_INIT;

		n = termsafe_add(&sb, "x\xe2\x82", 3, TERMSAFE_PARTIAL);
		is_int((long long)n, 1, "partial: a cut sequence is left");
		is_str(sb.buf, "x", "partial: nothing shown for it yet");
		n = termsafe_add(&sb, "x\xe2\x28", 3, TERMSAFE_PARTIAL);
		is_int((long long)n, 3, "partial: an invalid start is shown");
		is_str(sb.buf, "xx\\xe2(", "partial: shown as bytes");
		strbuf_release(&sb);
	}

	whole = shown(mixed, sizeof mixed - 1, 0);
	is_str(whole, "a\xc3\xa9\\e]0;t\\a\xe2\x82\xac\xf0\x9f\x98\x80"
	    "\\u009b\\x9b z", "mixed text");
	for (n = 1; n <= 5; n++) {
		p = chunked(mixed, sizeof mixed - 1, n, 0);
		is_str(p, whole, "split into %zu-byte chunks: the same", n);
		free(p);
	}
	free(whole);

	ok(!termsafe_binary("text\n\xff", 6), "text with invalid UTF-8: text");
	ok(termsafe_binary("ELF\0\1", 5), "a NUL: binary");
	{
		char	*big = calloc(1, TERMSAFE_BINARY_PROBE + 10);

		memset(big, 'a', TERMSAFE_BINARY_PROBE);
		ok(!termsafe_binary(big, TERMSAFE_BINARY_PROBE + 10),
		    "a NUL past the probe: text");
		free(big);
	}
	return done_testing();
}
