/* test-strbuf.c: strbuf, strvec and util helpers. */
#include "common.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "util.h"

int
main(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct strvec	 sv = STRVEC_INIT;
	char		*p;
	size_t		 len;
	int		 i;

	is_str(sb.buf, "", "empty strbuf is an empty string");
	setlocale(LC_CTYPE, "C.UTF-8");
	strbuf_addstr(&sb, "abc");
	strbuf_addf(&sb, "-%d-", 42);
	strbuf_addch(&sb, 'z');
	is_str(sb.buf, "abc-42-z", "adds and formats");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%04d", i);
	is_int((long long)sb.len, 8 + 4000, "grows past its first allocation");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "x  \n\t");
	strbuf_rtrim(&sb);
	is_str(sb.buf, "x", "rtrim");
	p = strbuf_detach(&sb, &len);
	is_int((long long)len, 1, "detach gives the length");
	is_str(sb.buf, "", "detached buffer is reset");
	free(p);

	strvec_push(&sv, "b");
	strvec_pushf(&sv, "%s", "a");
	strvec_sort(&sv);
	is_str(sv.v[0], "a", "strvec sorts");
	ok(sv.v[2] == NULL, "strvec is NULL-terminated");
	strvec_setenv(&sv, "K", "1");
	strvec_setenv(&sv, "K", "2");
	is_str(strvec_getenv(&sv, "K"), "2", "setenv replaces");
	is_int((long long)sv.n, 3, "setenv does not duplicate");
	p = strvec_join(&sv, ", ");
	is_str(p, "a, b, K=2", "strvec_join");
	free(p);
	strvec_clear(&sv);
	p = strvec_join(&sv, " ");
	is_str(p, "", "strvec_join of nothing");
	free(p);
	p = str_trim(" \t a  b\r\n");
	is_str(p, "a  b", "str_trim: both ends only");
	free(p);
	p = str_trim(" \n ");
	is_str(p, "", "str_trim: all space");
	free(p);

	ok(natcmp("run2", "run10") < 0, "natcmp orders numbers by value");
	ok(natcmp("b", "a") > 0, "natcmp orders bytes");
	ok(natcmp("x007", "x7") == 0, "natcmp ignores leading zeros");
	p = path_join("/a/", "b");
	is_str(p, "/a/b", "path_join avoids double slashes");
	free(p);
	p = path_absolute("/a/./b/../c//d");
	is_str(p, "/a/c/d", "path_absolute normalises");
	free(p);
	setenv("HOME", "/home/u", 1);
	p = path_abbrev_home("/home/u/.guild/runs");
	is_str(p, "~/.guild/runs", "abbreviates HOME");
	free(p);
	p = path_abbrev_home("/home/user2/x");
	is_str(p, "/home/user2/x", "only a whole HOME component");
	free(p);
	is_int((long long)utf8_width("h\xc3\xa9llo"), 5, "utf8 width");
	is_int((long long)utf8_width("plain ascii"), 11, "utf8 width: ASCII");
	is_int((long long)utf8_width("a\tb"), 3,
	    "utf8 width: a control byte is a column");
	is_int((long long)utf8_width("ab\xe6\x97\xa5x"), 5,
	    "utf8 width: ASCII then a wide character");
	is_int((long long)utf8_width("ab\xffx"), 4,
	    "utf8 width: ASCII then a byte that is no character");
	is_int((long long)utf8_width(""), 0, "utf8 width: empty");
	setenv("PATH", "/nonexistent:/bin:/usr/bin", 1);
	p = path_which("sh");
	ok(p != NULL && p[0] == '/' && str_ends_with(p, "/sh"),
	    "path_which finds sh in PATH");
	free(p);
	ok(path_which("no-such-program-guild") == NULL,
	    "path_which: a missing program is NULL");
	ok(path_which("/etc") == NULL, "path_which: a directory is not a program");
	return done_testing();
}
