/*
 * pane-models.c: the models of the project in the current directory.
 * Moving here changes the operations pane (and, with filter-op, the
 * runs shown).
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "guildfile.h"
#include "pane-models.h"
#include "pane.h"
#include "strbuf.h"
#include "tui.h"

static size_t
models_count(struct pane *p)
{
	struct view	*v = p->view;

	return v->gf != NULL ? guildfile_listed_models(v->gf, false) : 0;
}

const struct modeldef *
models_selected(struct view *v)
{
	const struct modeldef	*m;

	if (v->gf == NULL)
		return NULL;
	/* Private models (named _...) are not listed, as in guild models. */
	if ((m = guildfile_listed_model(v->gf, v->models->cursor, false)) ==
	    NULL)
		m = guildfile_listed_model(v->gf, 0, false);
	return m;
}

static void
models_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	strbuf_addstr(left, "Models");
	if (models_count(p) > 0)
		strbuf_addf(right, "%zu", models_count(p));
}

static void
models_draw_line(struct pane *p, size_t idx, int y, int x, int w,
    bool cursor)
{
	const struct modeldef	*m = guildfile_listed_model(p->view->gf, idx,
				    false);
	struct style		 st = theme_style(ROLE_DEFAULT);

	if (cursor)
		st = theme_style(p->focused ? ROLE_CURSOR : ROLE_CURSOR_BLUR);
	draw_fill(y, x, w, st);
	if (*m->name == '\0')
		draw_str_cut(y, x + 1, w - 2, "(anonymous)", st);
	else
		draw_str_cut(y, x + 1, w - 2, m->name, st);
}

static void
models_empty(struct pane *p, int y, int x, int h, int w)
{
	struct view	*v = p->view;

	(void)h;
	if (v->gf != NULL)
		return;
	/* The operations pane has room for the error itself. */
	if (v->gf_error != NULL)
		draw_str_cut(y, x + 1, w - 2, "bad guild.yml",
		    theme_style(ROLE_ERROR));
	else
		draw_str_cut(y, x + 1, w - 2, "no guild.yml",
		    theme_style(ROLE_DIM));
}

static void
models_moved(struct pane *p)
{
	struct view	*v = p->view;

	v->ops->cursor = v->ops->top = 0;
	view_sync_op_filter(v);
}

static bool
models_action(struct pane *p, enum action act)
{
	struct view	*v = p->view;

	if (act == ACT_ENTER) {
		/* Into the model's operations. */
		view_focus_main(v, MAIN_OPS);
		return true;
	}
	return false;
}

static const struct hint models_hints[] = {
	{ ACT_ENTER, "operations" },
	{ ACT_NEXT_PANE, "next pane" },
	{ ACT_FILTER_OP, "its runs" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_models_ops = {
	.name = "models",
	.keymap = KEYMAP_MODELS,
	.cursor = true,
	.hints = models_hints,
	.title = models_title,
	.count = models_count,
	.draw_line = models_draw_line,
	.empty = models_empty,
	.moved = models_moved,
	.action = models_action,
};
