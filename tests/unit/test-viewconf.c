/*
 * test-viewconf.c: the view.conf parser (ui/viewconf.c) with the keymap
 * and colour tables it fills, and the built-in defaults: no screen.
 */
#include "common.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "home.h"
#include "keymap.h"
#include "strvec.h"
#include "tap.h"
#include "view.h"
#include "viewconf.h"

/* Parse text as file "t.conf"; the errors joined by "|". */
static const char *
parse(struct keymap *km, const char *text)
{
	static char	*joined;
	struct strvec	 errors = STRVEC_INIT;
	size_t		 i, len = 1;

	config_parse(km, text, "t.conf", &errors);
	for (i = 0; i < errors.n; i++)
		len += strlen(errors.v[i]) + 1;
	free(joined);
	joined = xcalloc(1, len);
	for (i = 0; i < errors.n; i++) {
		if (i > 0)
			strcat(joined, "|");
		strcat(joined, errors.v[i]);
	}
	strvec_clear(&errors);
	return joined;
}

static void
test_defaults(void)
{
	struct keymap	*km = keymap_new();
	struct strvec	 errors = STRVEC_INIT;
	short		 fg, bg;
	attr_t		 attr, mono;

	ok(strcmp(view_default_config_text(), view_default_config) == 0,
	    "--print-config prints the compiled-in defaults");
	ok(strncmp(view_default_config, "# Keys everywhere\n", 18) == 0,
	    "the defaults start with their first line, not the file's ## "
	    "comments");
	ok(strstr(view_default_config, "##") == NULL,
	    "no ## line is compiled in");
	config_parse(km, view_default_config, "(defaults)", &errors);
	is_int((long long)errors.n, 0, "the defaults parse without errors");
	if (errors.n > 0)
		diag("%s", errors.v[0]);
	is_int(keymap_lookup(km, KEYMAP_RUNS, 'q'), ACT_QUIT, "q quits");
	is_int(keymap_lookup(km, KEYMAP_GENERIC, KEY_CTRL('c')),
	    ACT_QUIT_NOW, "C-c quits now");
	is_int(keymap_lookup(km, KEYMAP_TRASH, 'd'), ACT_PURGE,
	    "d purges in the trash");
	is_int(keymap_lookup(km, KEYMAP_RUNS, 'd'), ACT_DELETE,
	    "d deletes elsewhere");
	is_int(keymap_lookup(km, KEYMAP_PLOT, 'l'), ACT_NEXT_SCALAR,
	    "plot keys");
	role_colours(ROLE_ERROR, &fg, &bg, &attr, &mono);
	ok(fg == 15 && bg == COLOR_RED && attr == A_BOLD,
	    "color error bright-white red bold");
	ok(mono == A_BOLD, "the error role is bold without colours");
	is_int(view_settings.refresh_ms, 1000, "set refresh-ms 1000");
	strvec_clear(&errors);
	keymap_free(km);
}

static void
test_lines(void)
{
	struct keymap	*km = keymap_new();
	short		 fg, bg;
	attr_t		 attr, mono;

	is_str(parse(km, "# a comment\n\n   \nbind generic x zoom\n"), "",
	    "comments and blank lines");
	is_int(keymap_lookup(km, KEYMAP_RUNS, 'x'), ACT_ZOOM,
	    "bind KEYMAP KEY ACTION");
	is_str(parse(km, "bind y help"), "", "the keymap is optional");
	is_int(keymap_lookup(km, KEYMAP_GENERIC, 'y'), ACT_HELP,
	    "and defaults to generic");
	is_str(parse(km, "bind runs x none"), "", "none unbinds");
	is_int(keymap_lookup(km, KEYMAP_RUNS, 'x'), ACT_NONE,
	    "in that keymap");
	is_str(parse(km, "bind generic ' ' select\nbind \"<C-x>\" mark"), "",
	    "quotes group words");
	is_int(keymap_lookup(km, KEYMAP_GENERIC, ' '), ACT_SELECT,
	    "a quoted space");
	is_int(keymap_lookup(km, KEYMAP_GENERIC, KEY_CTRL('x')), ACT_MARK,
	    "a quoted key name");
	is_str(parse(km, "bind generic z zoom"), "", "no newline at the end");

	is_str(parse(km, "color title red blue bold underline"), "",
	    "color ROLE FG BG ATTR...");
	role_colours(ROLE_TITLE, &fg, &bg, &attr, &mono);
	ok(fg == COLOR_RED && bg == COLOR_BLUE &&
	    attr == (A_BOLD | A_UNDERLINE), "the role has them");
	ok(mono == A_REVERSE, "its monochrome attributes stay");
	is_str(parse(km, "colour tag colour200"), "", "colour, colourN");
	role_colours(ROLE_TAG, &fg, &bg, &attr, &mono);
	ok(fg == 200 && bg == -1 && attr == 0, "the background defaults");
	is_str(parse(km, "color tag bright-green 17"), "", "bright-, N");
	role_colours(ROLE_TAG, &fg, &bg, &attr, &mono);
	ok(fg == 10 && bg == 17, "bright-green is 10");

	is_str(parse(km, "set refresh-ms 500\nset mouse no\nset plot-style "
	    "blocks"), "", "set NAME VALUE");
	ok(view_settings.refresh_ms == 500 && !view_settings.mouse &&
	    view_settings.plot_style == 1, "the settings changed");
	is_str(parse(km, "set mouse on\nset plot-style auto"), "",
	    "on, auto");
	ok(view_settings.mouse && view_settings.plot_style == -1,
	    "the settings changed back");
	keymap_free(km);
}

static void
test_errors(void)
{
	struct keymap	*km = keymap_new();

	is_str(parse(km, "bind nope q quit"),
	    "t.conf:1: unknown keymap 'nope'", "unknown keymap");
	is_str(parse(km, "\nbind <Nope> quit"),
	    "t.conf:2: unknown key '<Nope>'", "unknown key, its line");
	is_str(parse(km, "bind q qiut"), "t.conf:1: unknown action 'qiut'",
	    "unknown action");
	is_str(parse(km, "bind q"),
	    "t.conf:1: usage: bind [KEYMAP] KEY ACTION", "bind usage");
	is_str(parse(km, "color nope red"),
	    "t.conf:1: unknown colour role 'nope'", "unknown role");
	is_str(parse(km, "color title rouge"),
	    "t.conf:1: unknown colour 'rouge'", "unknown colour");
	is_str(parse(km, "color title red bleu"),
	    "t.conf:1: unknown colour 'bleu'", "unknown background");
	is_str(parse(km, "color title red blue blod"),
	    "t.conf:1: unknown attribute 'blod'", "unknown attribute");
	is_str(parse(km, "color title"), "t.conf:1: usage: color ROLE "
	    "FOREGROUND [BACKGROUND [ATTRIBUTE...]]", "color usage");
	is_str(parse(km, "color title color256"),
	    "t.conf:1: unknown colour 'color256'", "colours stop at 255");
	is_str(parse(km, "set refresh-ms 5"), "t.conf:1: bad value '5'",
	    "a setting out of range");
	is_str(parse(km, "set refresh-ms 1s"), "t.conf:1: bad value '1s'",
	    "a setting that is not a number");
	is_int(view_settings.refresh_ms, 500,
	    "a bad value changes nothing");
	is_str(parse(km, "set mouse maybe"),
	    "t.conf:1: bad value 'maybe' (yes or no)", "a bad boolean");
	is_str(parse(km, "set plot-style dots"), "t.conf:1: bad value "
	    "'dots' (braille, blocks, ascii or auto)", "a bad plot style");
	is_str(parse(km, "set nope 1"), "t.conf:1: unknown setting 'nope'",
	    "unknown setting");
	is_str(parse(km, "set mouse"), "t.conf:1: usage: set NAME VALUE",
	    "set usage");
	is_str(parse(km, "bnid q quit"), "t.conf:1: unknown command 'bnid'",
	    "unknown command");
	is_str(parse(km, "bind a b c d e f g h i j k l m n o p q"),
	    "t.conf:1: too many words", "too many words");
	is_str(parse(km, "bind q help\nbind nope x y\nbind w help"),
	    "t.conf:2: unknown keymap 'nope'", "one bad line of three");
	ok(keymap_lookup(km, KEYMAP_GENERIC, 'q') == ACT_HELP &&
	    keymap_lookup(km, KEYMAP_GENERIC, 'w') == ACT_HELP,
	    "the good lines still apply");
	keymap_free(km);
}

static void
test_user_path(void)
{
	struct guild_home	 home = { .path = (char *)"/h" };
	char			*p;

	unsetenv("GUILD_VIEW_CONF");
	p = config_user_path(&home);
	is_str(p, "/h/view.conf", "view.conf in GUILD_HOME");
	free(p);
	setenv("GUILD_VIEW_CONF", "", 1);
	p = config_user_path(&home);
	is_str(p, "/h/view.conf", "an empty GUILD_VIEW_CONF is not set");
	free(p);
	setenv("GUILD_VIEW_CONF", "/etc/my.conf", 1);
	p = config_user_path(&home);
	is_str(p, "/etc/my.conf", "GUILD_VIEW_CONF wins");
	free(p);
}

int
main(void)
{
	test_defaults();
	test_lines();
	test_errors();
	test_user_path();
	return done_testing();
}
