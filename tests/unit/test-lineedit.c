/*
 * test-lineedit.c: the line editor of the prompt and the run form
 * (ui/lineedit.c): moving and deleting by UTF-8 character, the readline
 * keys, inserting. Only curses' key codes, no screen.
 */
#include "common.h"

#include <curses.h>
#include <locale.h>
#include <string.h>

#include "keymap.h"
#include "lineedit.h"
#include "tap.h"

#define LEFT	(KEY_SPECIAL + KEY_LEFT)
#define RIGHT	(KEY_SPECIAL + KEY_RIGHT)

static void
keys(struct lineedit *le, const int *k, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		lineedit_key(le, k[i]);
}

int
main(void)
{
	struct lineedit	le;
	static const int typed[] = { 'a', 0xe9, ' ', 0x2192, 'z' };
	static const int home_x[] = { KEY_CTRL('a'), 'x' };
	static const int back2[] = { KEY_SPECIAL + KEY_END, LEFT, LEFT };

	setlocale(LC_CTYPE, "C.UTF-8");
	lineedit_init(&le, NULL);
	is_str(lineedit_text(&le), "", "starts empty");
	keys(&le, typed, ARRAY_SIZE(typed));
	is_str(lineedit_text(&le), "a\xc3\xa9 \xe2\x86\x92z",
	    "characters insert as UTF-8");
	is_int((long long)le.pos, 8, "the cursor after them");
	keys(&le, home_x, ARRAY_SIZE(home_x));
	is_str(lineedit_text(&le), "xa\xc3\xa9 \xe2\x86\x92z",
	    "C-a, then insert at the start");
	is_int((long long)le.pos, 1, "the cursor after the insert");
	keys(&le, back2, ARRAY_SIZE(back2));
	is_int((long long)le.pos, 5, "Left steps over a whole character");
	lineedit_key(&le, KEY_SPECIAL + KEY_BACKSPACE);
	is_str(lineedit_text(&le), "xa\xc3\xa9\xe2\x86\x92z",
	    "Backspace deletes the space");
	lineedit_key(&le, KEY_CTRL('h'));
	is_str(lineedit_text(&le), "xa\xe2\x86\x92z",
	    "C-h deletes a two-byte character whole");
	lineedit_key(&le, KEY_SPECIAL + KEY_DC);
	is_str(lineedit_text(&le), "xaz", "Del deletes the arrow whole");
	lineedit_key(&le, KEY_CTRL('d'));
	is_str(lineedit_text(&le), "xa", "C-d deletes under the cursor");
	lineedit_key(&le, KEY_CTRL('d'));
	is_str(lineedit_text(&le), "xa", "C-d at the end does nothing");
	lineedit_key(&le, KEY_CTRL('b'));
	lineedit_key(&le, KEY_CTRL('k'));
	is_str(lineedit_text(&le), "x", "C-b, C-k: kill to the end");
	lineedit_key(&le, KEY_CTRL('f'));
	is_int((long long)le.pos, 1, "C-f at the end stays");
	lineedit_key(&le, KEY_SPECIAL + KEY_HOME);
	lineedit_key(&le, KEY_CTRL('h'));
	is_str(lineedit_text(&le), "x", "Backspace at the start does nothing");

	lineedit_set(&le, "one two  three");
	is_int((long long)le.pos, 14, "set puts the cursor at the end");
	lineedit_key(&le, KEY_CTRL('w'));
	is_str(lineedit_text(&le), "one two  ", "C-w deletes a word");
	lineedit_key(&le, KEY_CTRL('w'));
	is_str(lineedit_text(&le), "one ", "and the spaces before the next");
	lineedit_key(&le, LEFT);
	lineedit_key(&le, KEY_CTRL('u'));
	is_str(lineedit_text(&le), " ", "C-u deletes to the start");
	is_int((long long)le.pos, 0, "the cursor at the start");
	lineedit_key(&le, KEY_CTRL('e'));
	is_int((long long)le.pos, 1, "C-e goes to the end");

	ok(!lineedit_key(&le, '\n'), "Enter is not the editor's");
	ok(!lineedit_key(&le, 27), "nor Esc");
	ok(!lineedit_key(&le, 0x7f), "nor DEL as a character");
	ok(!lineedit_key(&le, KEY_SPECIAL + KEY_F(1)), "nor F1");
	ok(lineedit_key(&le, '<') && lineedit_key(&le, '#'),
	    "< and # are characters");
	is_str(lineedit_text(&le), " <#", "inserted as themselves");
	lineedit_release(&le);
	lineedit_release(&le);

	lineedit_init(&le, "start");
	is_str(lineedit_text(&le), "start", "initial text");
	is_int((long long)le.pos, 5, "the cursor at its end");
	lineedit_release(&le);
	return done_testing();
}
