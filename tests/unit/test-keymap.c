/*
 * test-keymap.c: ui/keymap.c alone: key names both ways, the action and
 * keymap tables, and bindings with generic as the fallback. No screen:
 * curses gives only its key codes here.
 */
#include "common.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "keymap.h"
#include "strbuf.h"
#include "tap.h"

static const char *
fmt(int key, bool shortform)
{
	static struct strbuf	sb = STRBUF_INIT;

	strbuf_reset(&sb);
	if (shortform)
		key_format_short(&sb, key);
	else
		key_format(&sb, key);
	return sb.buf;
}

static void
test_parse(void)
{
	static const char *const names[] = {
		"q", "Q", "<Enter>", "<Tab>", "<S-Tab>", "<Esc>", "<Space>",
		"<Up>", "<PgDn>", "<Home>", "<Del>", "<F1>", "<F24>", "<C-c>",
		"<C-z>", "<", "#", "!", "\xc3\xa9", "\xe2\x86\x92",
	};
	char	want[32];
	size_t	i;
	int	key;

	is_int(key_parse("q"), 'q', "a character is itself");
	is_int(key_parse("<Enter>"), '\n', "<Enter>");
	is_int(key_parse("<Return>"), '\n', "<Return> is <Enter>");
	is_int(key_parse("<enter>"), '\n', "names ignore case");
	is_int(key_parse("<C-c>"), 3, "<C-c> is control-C");
	is_int(key_parse("<C-C>"), 3, "<C-C> too");
	is_int(key_parse("^C"), 3, "^C too");
	is_int(key_parse("<S-Tab>"), KEY_SPECIAL + KEY_BTAB, "<S-Tab>");
	is_int(key_parse("<F1>"), KEY_SPECIAL + KEY_F(1), "<F1>");
	is_int(key_parse("<F24>"), KEY_SPECIAL + KEY_F(24), "<F24>");
	is_int(key_parse("<PageDown>"), KEY_SPECIAL + KEY_NPAGE,
	    "<PageDown> is <PgDn>");
	is_int(key_parse("\xc3\xa9"), 0xe9, "a UTF-8 character");
	is_int(key_parse("<Lt>"), '<', "<Lt> is <");
	is_int(key_parse("<"), '<', "< alone");
	is_int(key_parse("<F25>"), -1, "no F25");
	is_int(key_parse("<F0>"), -1, "no F0");
	is_int(key_parse("<Nope>"), -1, "an unknown name");
	is_int(key_parse("ab"), -1, "two characters");
	is_int(key_parse(""), -1, "nothing");
	is_int(key_parse("\xc3"), -1, "a cut UTF-8 character");

	/* Every canonical name reads back as the same key. */
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		key = key_parse(names[i]);
		ok(key != -1, "%s parses", names[i]);
		is_str(fmt(key, false), names[i], "%s formats back", names[i]);
	}
	is_str(fmt('\n', true), "Enter", "short form drops the brackets");
	is_str(fmt(3, true), "C-c", "short form of a control key");
	is_str(fmt('q', true), "q", "short form of a character");
	snprintf(want, sizeof want, "<key-%d>", KEY_A1);
	is_str(fmt(KEY_SPECIAL + KEY_A1, false), want,
	    "a curses key without a name still formats");
}

static void
test_tables(void)
{
	int	i;

	is_int(action_find("quit"), ACT_QUIT, "action by name");
	is_int(action_find("plot-style"), ACT_PLOT_STYLE, "the last action");
	is_int(action_find("nope"), ACT_NONE, "unknown action");
	is_str(action_name(ACT_NEXT_PANE), "next-pane", "action name");
	is_str(action_name(ACT_NONE), "none", "ACT_NONE is none");
	for (i = 1; i < ACT_COUNT; i++) {
		if ((int)action_find(action_name((enum action)i)) != i ||
		    *action_help((enum action)i) == '\0')
			break;
	}
	is_int(i, ACT_COUNT, "every action has a unique name and help");
	is_int(keymap_find("generic"), KEYMAP_GENERIC, "keymap by name");
	is_int(keymap_find("help"), KEYMAP_HELP, "the last keymap");
	is_int(keymap_find("nope"), -1, "unknown keymap");
	is_str(keymap_title(KEYMAP_RUNS), "Runs pane", "keymap title");
}

static void
test_bindings(void)
{
	struct keymap	*km = keymap_new();
	int		 keys[4];

	is_int(keymap_lookup(km, KEYMAP_RUNS, 'q'), ACT_NONE,
	    "nothing bound at first");
	keymap_bind(km, KEYMAP_GENERIC, 'q', ACT_QUIT);
	keymap_bind(km, KEYMAP_GENERIC, 'd', ACT_DELETE);
	keymap_bind(km, KEYMAP_TRASH, 'd', ACT_PURGE);
	is_int(keymap_lookup(km, KEYMAP_RUNS, 'q'), ACT_QUIT,
	    "a pane falls back to generic");
	is_int(keymap_lookup(km, KEYMAP_TRASH, 'd'), ACT_PURGE,
	    "a pane's binding comes first");
	is_int(keymap_lookup(km, KEYMAP_RUNS, 'd'), ACT_DELETE,
	    "other panes keep generic's");
	keymap_bind(km, KEYMAP_GENERIC, 'q', ACT_HELP);
	is_int(keymap_lookup(km, KEYMAP_GENERIC, 'q'), ACT_HELP,
	    "binding again replaces");
	keymap_bind(km, KEYMAP_OUTPUT, 'q', ACT_NONE);
	is_int(keymap_lookup(km, KEYMAP_OUTPUT, 'q'), ACT_NONE,
	    "unbinding in a pane hides generic's binding");
	is_int(keymap_lookup(km, KEYMAP_RUNS, 'q'), ACT_HELP,
	    "and only in that pane");

	keymap_bind(km, KEYMAP_GENERIC, 'j', ACT_MOVE_DOWN);
	keymap_bind(km, KEYMAP_GENERIC, KEY_SPECIAL + KEY_DOWN, ACT_MOVE_DOWN);
	is_int((long long)keymap_keys(km, KEYMAP_GENERIC, ACT_MOVE_DOWN, keys,
	    4), 2, "two keys for an action");
	ok(keys[0] == 'j' && keys[1] == KEY_SPECIAL + KEY_DOWN,
	    "in binding order");
	is_int((long long)keymap_keys(km, KEYMAP_GENERIC, ACT_MOVE_DOWN, keys,
	    1), 1, "no more than asked for");
	is_int((long long)keymap_keys(km, KEYMAP_RUNS, ACT_MOVE_DOWN, keys, 4),
	    0, "keymap_keys does not look in generic");
	is_int(keymap_first_key(km, KEYMAP_RUNS, ACT_MOVE_DOWN), 'j',
	    "first key falls back to generic");
	is_int(keymap_first_key(km, KEYMAP_TRASH, ACT_PURGE), 'd',
	    "first key of the pane's own");
	is_int(keymap_first_key(km, KEYMAP_TRASH, ACT_DELETE), -1,
	    "a generic key the pane rebinds is not offered");
	is_int(keymap_first_key(km, KEYMAP_RUNS, ACT_ZOOM), -1,
	    "an unbound action has no key");
	keymap_free(km);
	keymap_free(NULL);
}

int
main(void)
{
	test_parse();
	test_tables();
	test_bindings();
	return done_testing();
}
