/*
 * pane-help.c: the keys, generated from the action table and the
 * bindings in force (the defaults and view.conf), so it can never
 * disagree with what the keys do. The keymap of the pane it was opened
 * from comes first.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "compat.h"
#include "guildfile.h"
#include "home.h"
#include "pane-help.h"
#include "pane-text.h"
#include "pane.h"
#include "strbuf.h"
#include "theme.h"
#include "tui.h"
#include "utf8.h"
#include "util.h"
#include "viewconf.h"

struct helppane {
	struct textview	tv;
};

static void
add_key_line(struct textview *tv, const char *keys, enum action act)
{
	struct tline	*l;
	int		 pad = 22 - text_width(keys, strlen(keys));

	l = textbuf_addf(&tv->buf, ROLE_DEFAULT, "  %s%*s %-15s %s", keys,
	    pad > 0 ? pad : 0, "", action_name(act), action_help(act));
	l->key_len = 2 + strlen(keys);
}

/* The bindings of one keymap; generic ones only in the generic part. */
static void
add_keymap(struct view *v, struct textview *tv, enum keymap_id id)
{
	struct strbuf	sb = STRBUF_INIT;
	int		keys[16];
	bool		header = false;
	int		a;

	for (a = 1; a < ACT_COUNT; a++) {
		size_t	n = keymap_keys(v->km, id, (enum action)a, keys,
			    ARRAY_SIZE(keys)), i;

		if (n == 0)
			continue;
		if (!header) {
			textbuf_addf(&tv->buf, ROLE_HEADER, "%s",
			    keymap_title(id));
			header = true;
		}
		strbuf_reset(&sb);
		for (i = 0; i < n; i++) {
			if (i > 0)
				strbuf_addch(&sb, ' ');
			key_format(&sb, keys[i]);
		}
		add_key_line(tv, sb.buf, (enum action)a);
	}
	if (header)
		textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "");
	strbuf_release(&sb);
}

/* The files this view reads, as they are now: no guessing which applies. */
static void
add_files(struct view *v, struct textview *tv, const char *conf)
{
	char	*yml = path_join(v->cwd, "guild.yml");
	char	*user = user_config_path(v->home->path);
	char	*index = path_join(v->home->cache, "runs.db");

	textbuf_addf(&tv->buf, ROLE_HEADER, "%s", "Files read");
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "  keys and colours  %s%s", conf,
	    path_exists(conf) ? "" : " (not there: the defaults)");
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "  project           %s%s",
	    v->gf != NULL ? v->gf->path : yml, v->gf != NULL ? "" :
	    v->gf_error != NULL ? " (has errors)" : " (not there)");
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "  user config       %s",
	    user != NULL ? user : "none (GUILD_CONFIG, guild-config.yml, "
	    "config.yml in the Guild home)");
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "  runs              %s",
	    v->home->runs);
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "  deleted runs      %s",
	    v->home->trash);
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "  index (a cache)   %s", index);
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "");
	free(yml);
	free(user);
	free(index);
}

static void
help_init(struct pane *p, void *arg)
{
	struct helppane		*h = p->priv;
	struct pane		*from = arg;
	struct view		*v = p->view;
	struct textview		*tv = &h->tv;
	char			*conf = config_user_path(v->home);
	int			 keys[1], id, a, r;
	bool			 header = false;

	textview_init(tv);
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "Keys of guild view, "
	    "from the defaults and your configuration file:");
	textbuf_addf(&tv->buf, ROLE_DIM, "  %s", conf);
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "");
	add_files(v, tv, conf);
	if (from != NULL && from->ops->keymap != KEYMAP_GENERIC)
		add_keymap(v, tv, from->ops->keymap);
	add_keymap(v, tv, KEYMAP_GENERIC);
	for (id = 1; id < KEYMAP_COUNT; id++)
		if (from == NULL || id != (int)from->ops->keymap)
			add_keymap(v, tv, (enum keymap_id)id);
	for (a = 1; a < ACT_COUNT; a++) {
		bool	bound = false;

		for (id = 0; id < KEYMAP_COUNT && !bound; id++)
			if (keymap_keys(v->km, (enum keymap_id)id,
			    (enum action)a, keys, 1) > 0)
				bound = true;
		if (bound)
			continue;
		if (!header) {
			textbuf_addf(&tv->buf, ROLE_HEADER, "%s",
			    "Not bound to any key");
			header = true;
		}
		add_key_line(tv, "-", (enum action)a);
	}
	if (header)
		textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "");
	textbuf_addf(&tv->buf, ROLE_HEADER, "%s", "Prompts");
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "  Enter accepts, Esc "
	    "cancels; Left Right Home End C-a C-e C-u C-k C-w edit.");
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "  Questions: y or Enter "
	    "(when the default is yes) confirm; n or Esc do not.");
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "");
	textbuf_addf(&tv->buf, ROLE_HEADER, "%s", "Colour roles (color ROLE "
	    "FG BG [ATTR...])");
	for (r = 0; r < ROLE_COUNT; r++) {
		struct tline	*l = textbuf_addf(&tv->buf, (enum role)r,
				    "  %s", role_name((enum role)r));

		(void)l;
	}
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "");
	textbuf_addf(&tv->buf, ROLE_DIM, "%s", "See guild-view(1) for the "
	    "configuration file.");
	free(conf);
}

static void
help_release(struct pane *p)
{
	struct helppane	*h = p->priv;

	textview_release(&h->tv);
}

static void
help_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	strbuf_addstr(left, "Help");
	strbuf_addstr(right, "q closes");
}

static size_t
help_count(struct pane *p)
{
	struct helppane	*h = p->priv;

	return h->tv.buf.n;
}

static void
help_draw(struct pane *p, int y, int x, int hh, int w)
{
	struct helppane	*h = p->priv;

	textview_draw(p, &h->tv, y, x, hh, w);
}

static bool
help_action(struct pane *p, enum action act)
{
	struct helppane	*h = p->priv;

	if (act == ACT_HELP) {
		view_pop(p->view);
		return true;
	}
	return textview_action(p, &h->tv, act);
}

static const struct hint help_hints[] = {
	{ ACT_SEARCH, "search" },
	{ ACT_SEARCH_NEXT, "next" },
	{ ACT_QUIT, "close" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_help_ops = {
	.name = "help",
	.keymap = KEYMAP_HELP,
	.priv_size = sizeof (struct helppane),
	.hints = help_hints,
	.init = help_init,
	.release = help_release,
	.title = help_title,
	.count = help_count,
	.draw = help_draw,
	.action = help_action,
};
