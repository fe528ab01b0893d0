/*
 * test-textbuf.c: the view's ring of lines (ui/textbuf.c): budgets in
 * lines and bytes, dropping the oldest first, and cooked text. No
 * screen and no curses.
 */
#include "common.h"

#include <stdio.h>
#include <string.h>

#include "output.h"
#include "tap.h"
#include "textbuf.h"

static void
test_ring(void)
{
	struct textbuf	 tb;
	struct tline	*l;
	char		 text[32];
	int		 i;

	textbuf_init(&tb, 3, 0);
	ok(textbuf_get(&tb, 0) == NULL, "empty");
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof text, "line %d", i);
		l = textbuf_push(&tb, text, strlen(text), NULL, 0,
		    (uint64_t)i);
		ok(l != NULL && l->role == ROLE_DEFAULT &&
		    l->key_len == 0, "push %d: a plain line", i);
	}
	is_int((long long)tb.n, 3, "three lines kept");
	is_int((long long)tb.dropped, 2, "two dropped");
	is_str(textbuf_get(&tb, 0)->text, "line 2", "the oldest went first");
	is_str(textbuf_get(&tb, 2)->text, "line 4", "the newest is last");
	is_int((long long)textbuf_get(&tb, 0)->lineno, 2, "line numbers stay");
	ok(textbuf_get(&tb, 3) == NULL, "past the end");
	is_int((long long)tb.bytes, 18, "bytes counted");
	textbuf_clear(&tb);
	ok(tb.n == 0 && tb.bytes == 0 && tb.dropped == 0, "cleared");
	l = textbuf_push(&tb, "a\0b", 3, NULL, 0, 0);
	ok(l->len == 3 && memcmp(l->text, "a\0b", 4) == 0,
	    "bytes kept as they are, NUL-terminated");
	textbuf_release(&tb);
	textbuf_release(&tb);

	/* A byte budget: 10 bytes hold two 4-byte lines, not three. */
	textbuf_init(&tb, 100, 10);
	textbuf_push(&tb, "aaaa", 4, NULL, 0, 0);
	textbuf_push(&tb, "bbbb", 4, NULL, 0, 1);
	textbuf_push(&tb, "cccc", 4, NULL, 0, 2);
	is_int((long long)tb.n, 2, "the byte budget drops lines");
	is_str(textbuf_get(&tb, 0)->text, "bbbb", "the oldest first");
	textbuf_push(&tb, "a line longer than the budget", 29, NULL, 0, 3);
	is_int((long long)tb.n, 1, "a line over the budget is still kept");
	is_str(textbuf_get(&tb, 0)->text, "a line longer than the budget",
	    "alone");
	textbuf_release(&tb);

	textbuf_init(&tb, 0, 0);
	textbuf_push(&tb, "x", 1, NULL, 0, 0);
	textbuf_push(&tb, "y", 1, NULL, 0, 1);
	ok(tb.n == 1 && strcmp(textbuf_get(&tb, 0)->text, "y") == 0,
	    "a budget of 0 lines keeps one");
	textbuf_release(&tb);
}

static void
test_cooked(void)
{
	struct textbuf		 tb;
	struct tline		*l;
	struct output_span	 span = { 0, 1, { 0 } };
	static const char	 out[] = "plain\n\033[31mred\033[0m text\n"
				     "10%\r50%\r100%\nno newline";

	textbuf_init(&tb, 100, 0);
	textbuf_add_cooked(&tb, out, sizeof out - 1);
	is_int((long long)tb.n, 4, "four lines, the last without newline");
	is_str(textbuf_get(&tb, 0)->text, "plain", "a plain line");
	l = textbuf_get(&tb, 1);
	is_str(l->text, "red text", "escapes dropped");
	ok(l->nspans >= 1 && l->spans[0].start == 0 && l->spans[0].end == 3,
	    "the colour kept as a span");
	is_str(textbuf_get(&tb, 2)->text, "100%", "\\r rewrites the line");
	is_str(textbuf_get(&tb, 3)->text, "no newline", "the tail");

	l = textbuf_addf(&tb, ROLE_HEADER, "%s: %d", "n", 7);
	is_str(l->text, "n: 7", "a formatted line");
	ok(l->role == ROLE_HEADER, "with its role");
	l = textbuf_push(&tb, "z", 1, &span, 1, 9);
	ok(l->nspans == 1 && l->spans != &span, "spans are copied");
	textbuf_release(&tb);
}

int
main(void)
{
	test_ring();
	test_cooked();
	return done_testing();
}
