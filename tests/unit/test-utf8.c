/*
 * test-utf8.c: text measured and cut as the view draws it (ui/utf8.c):
 * where a cut falls in terminal columns, never inside a UTF-8 sequence
 * or a wide character, combining marks kept with their character, a
 * horizontal scroll, and the ellipsis that marks the cut. No screen.
 */
#include "common.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tap.h"
#include "utf8.h"

/* A run of text_cut: the bytes kept, as a string, and the flag. */
static void
cut_is(const char *s, int skip, int w, const char *want, bool want_cut,
    const char *name)
{
	bool	cut = !want_cut;
	size_t	n = text_cut(s, strlen(s), skip, w, &cut);
	char	*got = xstrndup(s, n);

	is_str(got, want, "%s: the bytes kept", name);
	ok(cut == want_cut, "%s: %s", name, want_cut ? "cut" : "not cut");
	free(got);
}

static void
add_cut_is(const char *s, int w, const char *want, const char *name)
{
	struct strbuf	sb = STRBUF_INIT;

	text_add_cut(&sb, s, w);
	is_str(sb.buf, want, "%s", name);
	is_int(text_width(sb.buf, sb.len), w, "%s: %d columns", name, w);
	strbuf_release(&sb);
}

#define HAN	"\xe6\xbc\xa2"		/* U+6F22, two columns */
#define ACUTE	"\xcc\x81"		/* U+0301, combining */
#define EACUTE	"\xc3\xa9"		/* U+00E9 */
#define ELL	"\xe2\x80\xa6"		/* U+2026 */

int
main(void)
{
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		diag("no C.UTF-8 locale");
		return done_testing();
	}
	display_utf8 = true;
	is_str(text_ellipsis(), ELL, "the ellipsis is U+2026 with UTF-8");

	cut_is("abcdef", 0, 6, "abcdef", false, "ascii that fits exactly");
	cut_is("abcdefg", 0, 6, "abcde", true,
	    "ascii one too long: w - 1 columns kept");
	cut_is("", 0, 4, "", false, "nothing");
	cut_is("ab", 0, 0, "", false, "no columns: nothing, no ellipsis");
	cut_is("ab", 0, 1, "", true, "one column: the ellipsis alone");
	cut_is("ab" HAN, 0, 4, "ab" HAN, false, "a wide character that fits");
	cut_is("ab" HAN, 0, 3, "ab", true,
	    "a wide character is not cut in half");
	cut_is("a" HAN "b", 0, 3, "a", true,
	    "nor kept when only half of it has room beside the ellipsis");
	cut_is(EACUTE EACUTE EACUTE, 0, 2, EACUTE, true,
	    "never inside a UTF-8 sequence");
	cut_is("cafe" ACUTE "s!", 0, 6, "cafe" ACUTE "s!", false,
	    "a combining mark takes no column");
	cut_is("cafe" ACUTE "s!", 0, 5, "cafe" ACUTE, true,
	    "a combining mark stays with its character");
	cut_is("cafe" ACUTE "s", 0, 4, "caf", true,
	    "and goes with it");
	cut_is("ab\xff" "cd", 0, 4, "ab\xff", true,
	    "an invalid byte is one column");
	cut_is("a\tb", 0, 9, "a\tb", false, "a tab to column 8");
	cut_is("a\tb", 0, 8, "a", true, "a tab is not cut either");
	cut_is("abcdefghij", 3, 4, "abcdef", true,
	    "scrolled: 3 skipped, 3 drawn, then the ellipsis");
	cut_is("abcdefghij", 6, 4, "abcdefghij", false,
	    "scrolled to the end: no cut");
	cut_is(HAN HAN HAN, 1, 4, HAN HAN, true,
	    "scrolled through half a wide character");

	add_cut_is("ab", 5, "ab   ", "padded to its columns");
	add_cut_is(HAN, 3, HAN " ", "padded by columns, not bytes");
	add_cut_is("abcdefg", 5, "abcd" ELL, "cut with the ellipsis");
	add_cut_is("a" HAN "b", 3, "a" ELL " ", "a cut before a wide "
	    "character, padded");
	add_cut_is("cafe" ACUTE "s!", 5, "cafe" ACUTE ELL,
	    "the mark kept before the ellipsis");

	display_utf8 = false;
	is_str(text_ellipsis(), "~", "the ellipsis is ~ without UTF-8");
	cut_is(HAN HAN "x", 0, 2, HAN, true,
	    "without UTF-8 a character is a column");
	add_cut_is("abcdefg", 5, "abcd~", "cut with ~ without UTF-8");
	return done_testing();
}
