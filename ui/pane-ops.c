/*
 * pane-ops.c: the operations of the selected model. Enter (or the run
 * key anywhere) opens the run form for the selected one.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "display.h"
#include "guildfile.h"
#include "pane-models.h"
#include "pane-ops.h"
#include "pane.h"
#include "runlist.h"
#include "strbuf.h"
#include "tui.h"

static size_t
ops_count(struct pane *p)
{
	const struct modeldef	*m = models_selected(p->view);

	return m != NULL ? modeldef_listed_ops(m, false) : 0;
}

const struct opdef *
ops_selected(struct view *v)
{
	const struct modeldef	*m = models_selected(v);
	const struct opdef	*op;

	if (m == NULL)
		return NULL;
	/* Private operations (named _...) are not listed, as in guild ops. */
	if ((op = modeldef_listed_op(m, v->ops->cursor, false)) == NULL)
		op = modeldef_listed_op(m, 0, false);
	return op;
}

static void
ops_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	const struct modeldef	*m = models_selected(p->view);

	strbuf_addstr(left, "Operations");
	if (m != NULL && *m->name != '\0' && p->view->gf->nmodels > 1)
		strbuf_addf(right, "%s", m->name);
}

static void
ops_draw_line(struct pane *p, size_t idx, int y, int x, int w, bool cursor)
{
	const struct modeldef	*m = models_selected(p->view);
	const struct opdef	*op = modeldef_listed_op(m, idx, false);
	struct style		 st = theme_style(ROLE_DEFAULT);
	struct style		 dim = theme_style(ROLE_DIM);
	int			 n;

	if (cursor)
		st = dim = theme_style(p->focused ? ROLE_CURSOR :
		    ROLE_CURSOR_BLUR);
	draw_fill(y, x, w, st);
	n = draw_str_cut(y, x + 1, w - 2, op->name, st);
	/* The description when there is room: it says what the op does. */
	if (*op->description != '\0' && n + 4 < w - 2) {
		const char	*d = op->description;
		char		*line = xstrndup(d, strcspn(d, "\n"));

		draw_str_cut(y, x + 3 + n, w - 4 - n, line, dim);
		free(line);
	}
}

/* Without a project: why, wrapped to the pane. */
static void
ops_empty(struct pane *p, int y, int x, int h, int w)
{
	struct view	*v = p->view;
	struct style	 err = theme_style(ROLE_ERROR);
	struct style	 dim = theme_style(ROLE_DIM);

	if (v->gf != NULL)
		return;
	if (v->gf_error == NULL)
		draw_wrapped(y, x + 1, h, w - 2, "Operations come from "
		    "guild.yml in the current directory.", dim, dim);
	else
		draw_wrapped(y, x + 1, h, w - 2, v->gf_error, err, dim);
}

static void
ops_moved(struct pane *p)
{
	view_sync_op_filter(p->view);
}

static bool
ops_action(struct pane *p, enum action act)
{
	if (act == ACT_ENTER) {
		view_action(p->view, ACT_RUN_OP);
		return true;
	}
	return false;
}

static const struct hint ops_hints[] = {
	{ ACT_ENTER, "run" },
	{ ACT_FILTER_OP, "its runs" },
	{ ACT_NEXT_PANE, "next pane" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_ops_ops = {
	.name = "ops",
	.keymap = KEYMAP_OPS,
	.cursor = true,
	.hints = ops_hints,
	.title = ops_title,
	.count = ops_count,
	.draw_line = ops_draw_line,
	.empty = ops_empty,
	.moved = ops_moved,
	.action = ops_action,
};
