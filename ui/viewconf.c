/*
 * viewconf.c: view.conf, the key bindings, colours and settings of guild
 * view. The defaults are ui/view-defaults.conf, compiled in by the build
 * (view_default_config) and parsed by the same code as the user's file,
 * which is read after it and so overrides it line by line.
 */
#include "common.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "home.h"
#include "keymap.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "view.h"
#include "viewconf.h"

struct view_settings view_settings = {
	.refresh_ms = 1000,
	.follow_ms = 100,
	.redraw_ms = 50,
	.output_lines = 10000,
	.plot_style = -1,
	.mouse = true,
};

const char *
view_default_config_text(void)
{
	return view_default_config;
}

char *
config_user_path(const struct guild_home *home)
{
	const char	*env = getenv("GUILD_VIEW_CONF");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	return path_join(home->path, "view.conf");
}

/* Split a line into words; quotes ('...' "...") group spaces. */
static int
split_words(char *line, char **words, int max)
{
	char	*p = line, *out;
	int	 n = 0;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (n == max)
			return -1;
		words[n++] = out = p;
		while (*p != '\0' && !isspace((unsigned char)*p)) {
			if (*p == '"' || *p == '\'') {
				char	q = *p++;

				while (*p != '\0' && *p != q)
					*out++ = *p++;
				if (*p == q)
					p++;
				continue;
			}
			*out++ = *p++;
		}
		if (*p != '\0')
			p++;
		*out = '\0';
	}
	return n;
}

static void __attribute__((format(printf, 4, 5)))
add_error(struct strvec *errors, const char *file, unsigned line,
    const char *fmt, ...)
{
	va_list		ap;
	struct strbuf	sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s:%u: ", file, line);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strvec_push(errors, sb.buf);
	strbuf_release(&sb);
}

static void
parse_bind(struct keymap *km, char **w, int n, const char *file,
    unsigned line, struct strvec *errors)
{
	int		map = KEYMAP_GENERIC, key;
	enum action	act;

	if (n == 4) {
		if ((map = keymap_find(w[1])) == -1) {
			add_error(errors, file, line, "unknown keymap '%s'",
			    w[1]);
			return;
		}
		w++;
	} else if (n != 3) {
		add_error(errors, file, line, "%s", "usage: bind [KEYMAP] KEY "
		    "ACTION");
		return;
	}
	if ((key = key_parse(w[1])) == -1) {
		add_error(errors, file, line, "unknown key '%s'", w[1]);
		return;
	}
	act = action_find(w[2]);
	if (act == ACT_NONE && strcmp(w[2], "none") != 0) {
		add_error(errors, file, line, "unknown action '%s'", w[2]);
		return;
	}
	keymap_bind(km, (enum keymap_id)map, key, act);
}

static void
parse_color(char **w, int n, const char *file, unsigned line,
    struct strvec *errors)
{
	short	fg = -1, bg = -1;
	attr_t	attr = 0, a;
	int	role, i;

	if (n < 3) {
		add_error(errors, file, line, "%s", "usage: color ROLE "
		    "FOREGROUND [BACKGROUND [ATTRIBUTE...]]");
		return;
	}
	if ((role = role_find(w[1])) == -1) {
		add_error(errors, file, line, "unknown colour role '%s'", w[1]);
		return;
	}
	if (colour_parse(w[2], &fg) == -1) {
		add_error(errors, file, line, "unknown colour '%s'", w[2]);
		return;
	}
	if (n > 3 && colour_parse(w[3], &bg) == -1) {
		add_error(errors, file, line, "unknown colour '%s'", w[3]);
		return;
	}
	for (i = 4; i < n; i++) {
		if (attr_parse(w[i], &a) == -1) {
			add_error(errors, file, line, "unknown attribute '%s'",
			    w[i]);
			return;
		}
		attr |= a;
	}
	role_set_colours((enum role)role, fg, bg, attr);
}

static int
parse_bool(const char *s)
{
	if (strcmp(s, "yes") == 0 || strcmp(s, "on") == 0 ||
	    strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
		return 1;
	if (strcmp(s, "no") == 0 || strcmp(s, "off") == 0 ||
	    strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
		return 0;
	return -1;
}

static void
parse_set(char **w, int n, const char *file, unsigned line,
    struct strvec *errors)
{
	static const struct {
		const char	*name;
		int		*value;
		int		 min, max;
	} ints[] = {
		{ "refresh-ms", &view_settings.refresh_ms, 100, 60000 },
		{ "follow-ms", &view_settings.follow_ms, 20, 5000 },
		{ "redraw-ms", &view_settings.redraw_ms, 10, 1000 },
		{ "output-lines", &view_settings.output_lines, 100, 1000000 },
	};
	size_t	i;
	char	*end;
	long	v;
	int	b;

	if (n != 3) {
		add_error(errors, file, line, "%s", "usage: set NAME VALUE");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(ints); i++) {
		if (strcmp(w[1], ints[i].name) != 0)
			continue;
		v = strtol(w[2], &end, 10);
		if (*end != '\0' || end == w[2] || v < ints[i].min ||
		    v > ints[i].max) {
			add_error(errors, file, line, "bad value '%s'", w[2]);
			return;
		}
		*ints[i].value = (int)v;
		return;
	}
	if (strcmp(w[1], "mouse") == 0) {
		if ((b = parse_bool(w[2])) == -1)
			add_error(errors, file, line, "bad value '%s' (yes or "
			    "no)", w[2]);
		else
			view_settings.mouse = b;
		return;
	}
	if (strcmp(w[1], "plot-smoothing") == 0) {
		double	d = strtod(w[2], &end);

		if (*end != '\0' || end == w[2] || !(d >= 0 && d < 1))
			add_error(errors, file, line, "bad value '%s' (from 0, "
			    "none, to below 1)", w[2]);
		else
			view_settings.plot_smoothing = d;
		return;
	}
	if (strcmp(w[1], "plot-style") == 0) {
		if (strcmp(w[2], "braille") == 0)
			view_settings.plot_style = 0;
		else if (strcmp(w[2], "blocks") == 0)
			view_settings.plot_style = 1;
		else if (strcmp(w[2], "ascii") == 0)
			view_settings.plot_style = 2;
		else if (strcmp(w[2], "auto") == 0)
			view_settings.plot_style = -1;
		else
			add_error(errors, file, line, "bad value '%s' (braille, "
			    "blocks, ascii or auto)", w[2]);
		return;
	}
	add_error(errors, file, line, "unknown setting '%s'", w[1]);
}

void
config_parse(struct keymap *km, const char *text, const char *file,
    struct strvec *errors)
{
	const char	*p = text, *nl;
	unsigned	 line = 0;
	char		*copy, *words[16];
	int		 n;

	while (*p != '\0') {
		line++;
		nl = strchr(p, '\n');
		copy = nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		p = nl != NULL ? nl + 1 : p + strlen(p);
		n = split_words(copy, words, (int)ARRAY_SIZE(words));
		if (n == -1)
			add_error(errors, file, line, "%s", "too many words");
		else if (n == 0 || words[0][0] == '#')
			;
		else if (strcmp(words[0], "bind") == 0)
			parse_bind(km, words, n, file, line, errors);
		else if (strcmp(words[0], "color") == 0 ||
		    strcmp(words[0], "colour") == 0)
			parse_color(words, n, file, line, errors);
		else if (strcmp(words[0], "set") == 0)
			parse_set(words, n, file, line, errors);
		else
			add_error(errors, file, line, "unknown command '%s'",
			    words[0]);
		free(copy);
	}
}
