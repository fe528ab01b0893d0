/*
 * pane-form.c: the run form. One field per flag of the operation,
 * filled with its default (or, to run a run again, with that run's
 * flags), then label and tags. Enter checks every value as guild run
 * would (types, choices, ranges, required flags: the reason shows at
 * the field), then previews what guild run would say: the upstream run
 * each dependency will use (deps_plan(), as the run will choose it) and,
 * for list values or flag functions, the batch and its trials (the
 * core's batch_kind() and batch_gen). A dependency is a field too: Left
 * and Right pick another of the runs deps_plan() would accept. Enter
 * again starts the run as a detached `guild run --background`, so it
 * goes on after the view is closed, and the view selects it and follows
 * its output.
 *
 * With remotes in the user config, a last field says where the run goes:
 * "local", or a remote (Left/Right step through them). A run for a
 * remote starts as `guild run -r NAME --no-wait` in the background, and
 * the view selects it once its remote's sync has brought it here.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "deps.h"
#include "display.h"
#include "format.h"
#include "flagimport.h"
#include "flags.h"
#include "guildfile.h"
#include "home.h"
#include "lineedit.h"
#include "pane-form.h"
#include "pane-ops.h"
#include "pane-text.h"
#include "pane.h"
#include "prompt.h"
#include "remotesync.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "strbuf.h"
#include "tui.h"
#include "util.h"
#include "value.h"

enum field_kind {
	FIELD_FLAG,
	FIELD_LABEL,
	FIELD_TAGS,
	FIELD_REMOTE,		/* "local" or a remote's name */
};

struct field {
	enum field_kind		 kind;
	const struct flagdef	*fd;
	char			*name;
	char			*initial;
	struct lineedit		 le;
	char			*error;
	/* A dependency's flag: the runs to pick from, described. */
	bool			 dep;
	char			*upstream;	/* "prepare" */
	char			*dflt;		/* what empty picks, or NULL */
	struct strvec		 cands;		/* ids, newest first */
	struct strvec		 descs;		/* "n=2 12-05 21:54 completed" */
	const struct remotesync	*rs;		/* FIELD_REMOTE */
};

struct formpane {
	struct view		*view;
	const struct opdef	*op;
	char			*opname;
	struct field		*fields;
	size_t			 n;
	size_t			 cur;
	size_t			 top;
	bool			 preview;
	struct textbuf		 pv;		/* the preview */
	char			*error;
	int			 cx, cy;	/* the text cursor */
	bool			 has_cursor;
};

struct form_args {
	const struct opdef	*op;
	const struct value	*flags;		/* to run again, or NULL */
	const char		*label;
	const struct strvec	*tags;
	const char		*remote;	/* run again there, or NULL */
};

static const struct pane_ops pane_form_ops;

/* "prepare 12-05 21:54 completed  n=2  best" for a run to pick. */
static char *
describe_run(const struct guild_home *home, const char *id)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path = run_dir_path(home->runs, id);
	struct run	*run = run_open(path, NULL);
	struct value	*label = NULL;

	free(path);
	strbuf_addf(&sb, "%.8s", id);
	if (run == NULL)
		return strbuf_detach(&sb, NULL);
	strbuf_addch(&sb, ' ');
	format_time_short(&sb, run_timestamp(run));
	strbuf_addf(&sb, " %s", run_status_name(run_get_status(run)));
	if (run_attr_read(run, "label", &label, NULL) == 0 && label != NULL &&
	    label->type == VALUE_STRING && *label->u.s != '\0')
		strbuf_addf(&sb, "  %s", label->u.s);
	value_free(label);
	run_free(run);
	return strbuf_detach(&sb, NULL);
}

static struct field *
field_named(struct formpane *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (f->fields[i].kind == FIELD_FLAG &&
		    strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

/*
 * A field for each operation dependency with a flag, with the runs that
 * deps_plan() would accept for it; empty leaves the choice to it (the
 * marked run, else the newest), as guild run does.
 */
static void
form_deps_init(struct formpane *f, const struct value *flags)
{
	const struct guild_home	*home = f->view->home;
	struct deps_plan	 plan;
	struct value		*dflt = value_map();
	char			*cause = NULL;
	size_t			 i, j;

	if (deps_plan(home, f->op, dflt, NULL, true, &plan, &cause) == -1) {
		free(cause);
		value_free(dflt);
		return;
	}
	for (i = 0; i < plan.n; i++) {
		struct dep_source	*d = &plan.v[i];
		const struct value	*given;
		struct field		*fl;
		const char		*uri = d->src->uri;

		if (d->flag == NULL || d->src->kind != SOURCE_OPERATION)
			continue;
		if ((fl = field_named(f, d->flag)) == NULL) {
			fl = &f->fields[f->n++];
			fl->kind = FIELD_FLAG;
			fl->name = xstrdup(d->flag);
			fl->initial = xstrdup("");
			given = value_map_get(flags, d->flag);
			lineedit_init(&fl->le, given != NULL &&
			    given->type == VALUE_STRING ? given->u.s : "");
		} else if (fl->dep)
			continue;
		fl->dep = true;
		if (str_starts_with(uri, "operation:"))
			uri += strlen("operation:");
		fl->upstream = xstrdup(uri);
		fl->dflt = d->run_id != NULL ? xstrdup(d->run_id) : NULL;
		if (deps_candidates(home, f->op, d, &fl->cands, &cause) == -1) {
			free(cause);
			cause = NULL;
		}
		for (j = 0; j < fl->cands.n; j++) {
			char	*desc = describe_run(home, fl->cands.v[j]);

			strvec_push(&fl->descs, desc);
			free(desc);
		}
	}
	deps_plan_clear(&plan);
	value_free(dflt);
}

static void
form_init(struct pane *p, void *arg)
{
	struct formpane		*f = p->priv;
	struct form_args	*a = arg;
	const struct opdef	*op = a->op;
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 i;

	f->view = p->view;
	f->op = op;
	f->opname = opdef_fullname(op);
	f->fields = xcalloc(op->nflags + op->nrequires * 4 + 3,
	    sizeof *f->fields);
	for (i = 0; i < op->nflags; i++) {
		const struct flagdef	*fd = op->flags[i];
		const struct value	*dv = fd->default_value;
		struct field		*fl = &f->fields[f->n++];

		if (a->flags != NULL && value_map_get(a->flags, fd->name))
			dv = value_map_get(a->flags, fd->name);
		strbuf_reset(&sb);
		if (dv != NULL && dv->type != VALUE_NULL)
			flag_format(&sb, dv, false);
		fl->kind = FIELD_FLAG;
		fl->fd = fd;
		fl->name = xstrdup(fd->name);
		/* The default, so an unchanged field stays a default. */
		strbuf_reset(&sb);
		if (fd->default_value != NULL &&
		    fd->default_value->type != VALUE_NULL)
			flag_format(&sb, fd->default_value, false);
		fl->initial = xstrdup(sb.buf);
		strbuf_reset(&sb);
		if (dv != NULL && dv->type != VALUE_NULL)
			flag_format(&sb, dv, false);
		lineedit_init(&fl->le, sb.buf);
	}
	form_deps_init(f, a->flags);
	f->fields[f->n].kind = FIELD_LABEL;
	f->fields[f->n].name = xstrdup("label");
	f->fields[f->n].initial = xstrdup("");
	lineedit_init(&f->fields[f->n].le, a->label != NULL ? a->label : "");
	f->n++;
	strbuf_reset(&sb);
	for (i = 0; a->tags != NULL && i < a->tags->n; i++) {
		if (i > 0)
			strbuf_addch(&sb, ' ');
		shlex_quote(&sb, a->tags->v[i]);
	}
	f->fields[f->n].kind = FIELD_TAGS;
	f->fields[f->n].name = xstrdup("tags");
	f->fields[f->n].initial = xstrdup("");
	lineedit_init(&f->fields[f->n].le, sb.buf);
	f->n++;
	if (remotesync_count(p->view->remotes) > 0) {
		f->fields[f->n].kind = FIELD_REMOTE;
		f->fields[f->n].name = xstrdup("remote");
		f->fields[f->n].initial = xstrdup("local");
		f->fields[f->n].rs = p->view->remotes;
		lineedit_init(&f->fields[f->n].le, a->remote != NULL ?
		    a->remote : "local");
		f->n++;
	}
	textbuf_init(&f->pv, 1000, 1024 * 1024);
	strbuf_release(&sb);
}

static void
form_release(struct pane *p)
{
	struct formpane	*f = p->priv;
	size_t		 i;

	for (i = 0; i < f->n; i++) {
		free(f->fields[i].name);
		free(f->fields[i].initial);
		free(f->fields[i].error);
		free(f->fields[i].upstream);
		free(f->fields[i].dflt);
		strvec_clear(&f->fields[i].cands);
		strvec_clear(&f->fields[i].descs);
		lineedit_release(&f->fields[i].le);
	}
	free(f->fields);
	free(f->opname);
	free(f->error);
	textbuf_release(&f->pv);
}

static void
form_box_size(struct pane *p, int *h, int *w)
{
	struct formpane	*f = p->priv;
	int		 want = (int)f->n + 8;

	if (f->preview)
		want = (int)f->pv.n + 5;
	*w = p->view->cols - 4 > 84 ? 84 : p->view->cols - 4;
	*h = want < p->view->rows - 2 ? want : p->view->rows - 2;
}

static void
form_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct formpane	*f = p->priv;

	strbuf_addf(left, "%s %s", f->preview ? "Start" : "Run", f->opname);
	strbuf_addstr(right, f->preview ? "Enter starts  Esc back" :
	    "Enter check and preview  Esc cancel");
}

/* The run a dependency field names (a prefix), or -1. */
static long
dep_pick(const struct field *fl, const char *text)
{
	size_t	i;

	for (i = 0; *text != '\0' && i < fl->cands.n; i++)
		if (str_starts_with(fl->cands.v[i], text))
			return (long)i;
	return -1;
}

/* "<> 58c828f5 12-05 21:54 completed (2/3)": the run first, cut last. */
static void
dep_hint(struct strbuf *sb, const struct field *fl)
{
	const char	*text = lineedit_text(&fl->le);
	long		 at = -1;
	size_t		 i;

	if (fl->cands.n == 0) {
		strbuf_addf(sb, "no run of %s to use yet", fl->upstream);
		return;
	}
	if (*text == '\0') {
		for (i = 0; fl->dflt != NULL && i < fl->cands.n; i++)
			if (strcmp(fl->cands.v[i], fl->dflt) == 0)
				at = (long)i;
		strbuf_addstr(sb, "<> empty: ");
	} else {
		at = dep_pick(fl, text);
		strbuf_addstr(sb, "<> ");
	}
	if (at >= 0)
		strbuf_addf(sb, "%s (%ld/%zu)", fl->descs.v[at], at + 1,
		    fl->cands.n);
	else if (*text == '\0')
		strbuf_addf(sb, "one of %zu runs of %s", fl->cands.n,
		    fl->upstream);
	else
		strbuf_addf(sb, "not one of the %zu runs of %s", fl->cands.n,
		    fl->upstream);
}

/* What a field accepts, for the hint beside it. */
static void
field_hint(struct strbuf *sb, const struct field *fl)
{
	const struct flagdef	*fd = fl->fd;
	size_t			 i;

	if (fl->kind == FIELD_LABEL) {
		strbuf_addstr(sb, "empty: the default label");
		return;
	}
	if (fl->kind == FIELD_TAGS) {
		strbuf_addstr(sb, "separated by spaces");
		return;
	}
	if (fl->dep) {
		dep_hint(sb, fl);
		return;
	}
	if (fl->kind == FIELD_REMOTE) {
		strbuf_addstr(sb, "<> local");
		for (i = 0; i < remotesync_count(fl->rs); i++)
			strbuf_addf(sb, "|%s", remotesync_name(fl->rs, i));
		strbuf_addstr(sb, " where it runs");
		return;
	}
	if (fd->type != FLAG_TYPE_AUTO)
		strbuf_addf(sb, "%s ", flag_type_name(fd->type));
	if (fd->required)
		strbuf_addstr(sb, "required ");
	if (fd->nchoices > 0) {
		strbuf_addstr(sb, "<> ");
		for (i = 0; i < fd->nchoices; i++) {
			if (i > 0)
				strbuf_addch(sb, '|');
			flag_format(sb, fd->choices[i].value, false);
		}
		strbuf_addch(sb, ' ');
	}
	if (*fd->description != '\0')
		strbuf_addstr(sb, fd->description);
}

static void
form_draw(struct pane *p, int y, int x, int h, int w)
{
	struct formpane	*f = p->priv;
	struct style	 plain = theme_style(ROLE_DEFAULT);
	struct style	 dim = theme_style(ROLE_DIM);
	struct style	 key = theme_style(ROLE_KEY);
	struct style	 err = theme_style(ROLE_ERROR);
	struct style	 edit = theme_style(ROLE_CURSOR_BLUR);
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i, namew = 6;
	int		 row = 0, rows, vw, cx;

	f->has_cursor = false;
	if (f->preview) {
		for (i = 0; i < f->pv.n && row < h; i++, row++) {
			struct tline	*l = textbuf_get(&f->pv, i);

			draw_text_cut(y + row, x + 1, w - 2, 0, l->text,
			    l->len, theme_style(l->role));
		}
		return;
	}
	if (*f->op->description != '\0' && row < h) {
		const char	*d = f->op->description;
		const char	*nl = strchr(d, '\n');

		draw_text_cut(y + row++, x + 1, w - 2, 0, d, nl != NULL ?
		    (size_t)(nl - d) : strlen(d), dim);
	}
	if (f->op->nflags == 0 && row < h)
		draw_str_cut(y + row++, x + 1, w - 2, "This operation has no "
		    "flags.", dim);
	row++;
	for (i = 0; i < f->n; i++)
		if (strlen(f->fields[i].name) > namew)
			namew = strlen(f->fields[i].name);
	if (namew > 20)
		namew = 20;
	/* As wide as the values need, so that hints have the rest. */
	vw = 16;
	for (i = 0; i < f->n; i++)
		if ((int)f->fields[i].le.buf->len + 2 > vw)
			vw = (int)f->fields[i].le.buf->len + 2;
	if (vw > (w - (int)namew - 4) / 2)
		vw = (w - (int)namew - 4) / 2;
	if (vw < 10)
		vw = w - (int)namew - 4;
	rows = h - row - 3;
	if (rows < 1)
		rows = 1;
	if (f->cur < f->top)
		f->top = f->cur;
	if (f->cur >= f->top + (size_t)rows)
		f->top = f->cur - (size_t)rows + 1;
	for (i = f->top; i < f->n && row < h - 3; i++, row++) {
		struct field	*fl = &f->fields[i];

		draw_str_cut(y + row, x + 1, (int)namew, fl->name,
		    i == f->cur ? key : plain);
		cx = lineedit_draw(&fl->le, y + row, x + 2 + (int)namew, vw,
		    i == f->cur ? edit : plain);
		if (i == f->cur) {
			f->cx = cx;
			f->cy = y + row;
			f->has_cursor = true;
		}
		strbuf_reset(&sb);
		if (fl->error != NULL)
			draw_str_cut(y + row, x + 3 + (int)namew + vw,
			    w - 4 - (int)namew - vw, fl->error, err);
		else {
			field_hint(&sb, fl);
			draw_str_cut(y + row, x + 3 + (int)namew + vw,
			    w - 4 - (int)namew - vw, sb.buf, dim);
		}
	}
	row = h - 2;
	if (f->error != NULL)
		draw_str_cut(y + row, x + 1, w - 2, f->error, err);
	draw_str_cut(y + h - 1, x + 1, w - 2, "Up/Down fields  Left/Right "
	    "choices  Enter preview  Esc cancel", dim);
	strbuf_release(&sb);
}

static bool
form_cursor_pos(struct pane *p, int *y, int *x)
{
	struct formpane	*f = p->priv;

	if (!f->has_cursor || f->preview)
		return false;
	*y = f->cy;
	*x = f->cx;
	return true;
}

/* The assignments the form makes: fields changed from the default. */
static void
form_assigns(struct formpane *f, struct strvec *assigns)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		struct field	*fl = &f->fields[i];

		if (fl->kind != FIELD_FLAG)
			continue;
		if (strcmp(lineedit_text(&fl->le), fl->initial) == 0)
			continue;
		strvec_pushf(assigns, "%s=%s", fl->name,
		    lineedit_text(&fl->le));
	}
}

/* Check each field alone, so the reason shows where it belongs. */
static bool
check_fields(struct formpane *f)
{
	struct value	*v, *c;
	char		*cause;
	size_t		 i;
	bool		 ok = true;

	for (i = 0; i < f->n; i++) {
		struct field	*fl = &f->fields[i];
		const char	*text = lineedit_text(&fl->le);

		free(fl->error);
		fl->error = NULL;
		/* A dependency's run is checked by deps_plan(). */
		if (fl->kind != FIELD_FLAG || fl->dep)
			continue;
		if (*text == '\0') {
			if (fl->fd->required) {
				fl->error = xstrdup("required");
				ok = false;
			}
			continue;
		}
		cause = NULL;
		v = flag_decode(text, fl->fd->type);
		/* A list or a function is a batch: its trials are checked. */
		if (v->type == VALUE_LIST || flag_is_function(v)) {
			value_free(v);
			continue;
		}
		c = flag_coerce(fl->fd, v, &cause);
		if (c == NULL) {
			fl->error = cause != NULL ? cause : xstrdup("invalid");
			if (ok)
				f->cur = i;
			ok = false;
		}
		value_free(v);
		value_free(c);
	}
	return ok;
}

static struct field *
field_of(struct formpane *f, enum field_kind kind)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (f->fields[i].kind == kind)
			return &f->fields[i];
	return NULL;
}

/* Point at the field a message names, if it names one. */
static void
point_at_field(struct formpane *f, const char *cause)
{
	size_t	i;

	for (i = 0; cause != NULL && i < f->n; i++)
		if (f->fields[i].kind == FIELD_FLAG &&
		    strstr(cause, f->fields[i].name) != NULL) {
			f->cur = i;
			break;
		}
}

/*
 * A batch: how many trials and which search, as guild run says it; the
 * first trials' flags are checked as guild run checks them.
 */
static int
batch_preview(struct formpane *f, const struct value *user,
    enum batch_kind kind, char **what, char **cause)
{
	struct batch_gen	*gen;
	struct value		*t, *flags;
	size_t			 n, i;

	if ((gen = batch_gen_new(f->op, user, NULL, kind, 0, 0,
	    cause)) == NULL)
		return -1;
	n = batch_gen_count(gen);
	for (i = 0; i < n && i < 20; i++) {
		if ((t = batch_gen_next(gen, cause)) == NULL)
			break;
		flags = NULL;
		if (flags_apply(f->op, t, false, &flags, cause) == -1) {
			value_free(t);
			break;
		}
		value_free(t);
		value_free(flags);
	}
	batch_gen_free(gen);
	if (i < n && i < 20)
		return -1;
	if (n == 0) {
		*cause = xstrdup("the batch has no trials");
		return -1;
	}
	if (kind == BATCH_RANDOM)
		*what = xasprintf("run %s with random search (max %zu trials)",
		    f->opname, n);
	else
		*what = xasprintf("run %s as a batch (%zu trial%s)", f->opname,
		    n, n == 1 ? "" : "s");
	return 0;
}

/* The remote the run goes to, or NULL: here. */
static const char *
form_remote(struct formpane *f)
{
	struct field	*fl = field_of(f, FIELD_REMOTE);

	if (fl == NULL || strcmp(lineedit_text(&fl->le), "local") == 0)
		return NULL;
	return lineedit_text(&fl->le);
}

/* Check everything as guild run would, then show what will run. */
static void
form_preview(struct pane *p)
{
	struct formpane	*f = p->priv;
	struct strvec	 assigns = STRVEC_INIT, tags = STRVEC_INIT;
	struct value	*flags = NULL, *user = NULL, *sorted = NULL;
	struct deps_plan plan;
	struct strbuf	 sb = STRBUF_INIT;
	enum batch_kind	 kind = BATCH_NONE;
	char		*cause = NULL, *what = NULL;
	size_t		 i, j;

	memset(&plan, 0, sizeof plan);
	free(f->error);
	f->error = NULL;
	if (!check_fields(f)) {
		f->error = xstrdup("Some values are not valid: see the fields "
		    "in red.");
		return;
	}
	if (shlex_split(lineedit_text(&field_of(f, FIELD_TAGS)->le), &tags,
	    &cause) == -1) {
		f->error = cause;
		return;
	}
	form_assigns(f, &assigns);
	if (flags_parse_assigns(f->op, (const char *const *)assigns.v,
	    assigns.n, &user, &cause) == -1 ||
	    batch_kind(f->op, user, 0, NULL, &kind, &cause) == -1)
		goto fail;
	if (kind != BATCH_NONE) {
		if (batch_preview(f, user, kind, &what, &cause) == -1)
			goto fail;
		/* As guild run shows a batch: the values the user gave. */
		flags_apply(f->op, user, true, &flags, NULL);
	} else if (flags_apply(f->op, user, false, &flags, &cause) == -1)
		goto fail;
	else
		what = xasprintf("run %s", f->opname);
	/* The upstream runs, chosen now as the run will choose them. */
	if (flags == NULL)
		flags = value_map();
	if (deps_plan(f->view->home, f->op, flags, NULL, false, &plan,
	    &cause) == -1)
		goto fail;
	textbuf_clear(&f->pv);
	textbuf_addf(&f->pv, ROLE_DEFAULT, "You are about to %s", what);
	sorted = value_dup(flags);
	if (sorted != NULL && sorted->type == VALUE_MAP) {
		value_map_sort(sorted);
		for (i = 0; i < sorted->u.map.n; i++) {
			strbuf_reset(&sb);
			flag_format(&sb, sorted->u.map.v[i], false);
			textbuf_addf(&f->pv, ROLE_DEFAULT, "  %s: %s",
			    sorted->u.map.k[i], sb.buf);
			for (j = 0; j < plan.n; j++) {
				char	*desc;

				if (plan.v[j].flag == NULL ||
				    plan.v[j].run_id == NULL || strcmp(
				    plan.v[j].flag, sorted->u.map.k[i]) != 0)
					continue;
				desc = describe_run(f->view->home,
				    plan.v[j].run_id);
				textbuf_addf(&f->pv, ROLE_DIM, "    the run of "
				    "%s %s", plan.v[j].src->uri +
				    (str_starts_with(plan.v[j].src->uri,
				    "operation:") ? strlen("operation:") : 0),
				    desc);
				free(desc);
				break;
			}
		}
	}
	if (*lineedit_text(&field_of(f, FIELD_LABEL)->le) != '\0')
		textbuf_addf(&f->pv, ROLE_LABEL, "label: %s",
		    lineedit_text(&field_of(f, FIELD_LABEL)->le));
	if (tags.n > 0)
		textbuf_addf(&f->pv, ROLE_TAG, "tags: %s",
		    lineedit_text(&field_of(f, FIELD_TAGS)->le));
	if (form_remote(f) != NULL)
		textbuf_addf(&f->pv, ROLE_DEFAULT, "on remote %s",
		    form_remote(f));
	textbuf_addf(&f->pv, ROLE_DEFAULT, "%s", "");
	if (form_remote(f) != NULL)
		textbuf_addf(&f->pv, ROLE_DIM, "It is copied to %s and started "
		    "there; it shows here when the view syncs.",
		    form_remote(f));
	else
		textbuf_addf(&f->pv, ROLE_DIM, "%s", "It runs in the "
		    "background and goes on when the view is closed.");
	textbuf_addf(&f->pv, ROLE_PROMPT, "%s", "Enter starts it, Esc goes "
	    "back.");
	f->preview = true;
	goto out;
fail:
	f->error = cause != NULL ? cause : xstrdup("cannot run it");
	point_at_field(f, f->error);
out:
	deps_plan_clear(&plan);
	value_free(sorted);
	value_free(flags);
	value_free(user);
	free(what);
	strvec_clear(&assigns);
	strvec_clear(&tags);
	strbuf_release(&sb);
}

struct start_arg {
	char	*opname;
	char	*remote;	/* or NULL */
};

struct unhide_arg {
	struct view	*v;
	char		*id;
	bool		 cleared;
};

static void
unhide_yes(struct view *v, const char *answer, void *arg)
{
	struct unhide_arg	*ua = arg;

	runlist_set_pattern(v->runs, NULL, NULL);
	runlist_set_expr(v->runs, NULL, NULL);
	runlist_set_op(v->runs, NULL, NULL, NULL);
	ua->cleared = true;
	view_runs_changed(v, NULL);
	view_message(v, "Filter cleared: %.8s is selected", ua->id);
}

static void
unhide_free(void *arg)
{
	struct unhide_arg	*ua = arg;

	/* Kept: the run is not picked later by some other filter. */
	if (!ua->cleared && ua->v->select_id != NULL &&
	    strcmp(ua->v->select_id, ua->id) == 0) {
		free(ua->v->select_id);
		ua->v->select_id = NULL;
		view_message(ua->v, "Filter kept: %.8s is hidden by it",
		    ua->id);
	}
	free(ua->id);
	free(ua);
}

/* The new run is hidden by a filter: the filter says so and offers to go. */
static void
started_hidden(struct view *v, const char *id, const char *opname)
{
	struct unhide_arg	*ua;
	char			*q;

	ua = xcalloc(1, sizeof *ua);
	ua->v = v;
	ua->id = xstrdup(id);
	q = xasprintf("Started %s as %.8s, hidden by the filter: clear the "
	    "filter?", opname, id);
	prompt_confirm(v, q, true, unhide_yes, ua, unhide_free);
	free(q);
}

/*
 * Where run -r names the run: "Run ID is running on NAME" (ssh) or
 * "Run ID submitted to NAME as Slurm job N" (Slurm); NULL when not.
 */
static const char *
remote_run_id(const char *out)
{
	const char	*p;

	for (p = out; (p = strstr(p, "Run ")) != NULL; p++)
		if (strspn(p + 4, "0123456789abcdef") >= 8)
			return p + 4;
	return NULL;
}

static void
started(struct view *v, int status, const char *out, void *arg)
{
	struct start_arg	*sa = arg;
	const char		*p;
	char			 id[RUN_ID_LEN + 1];
	size_t			 n;

	if (sa->remote != NULL)
		p = remote_run_id(out);
	else if ((p = strstr(out, "started in background as ")) != NULL)
		p += strlen("started in background as ");
	if (status == 0 && p != NULL) {
		n = strspn(p, "0123456789abcdef");
		if (n > RUN_ID_LEN)
			n = RUN_ID_LEN;
		memcpy(id, p, n);
		id[n] = '\0';
		free(v->select_id);
		v->select_id = xstrdup(id);
		if (sa->remote != NULL) {
			/* It shows once its remote's sync brings it. */
			view_message(v, "Started %s on %s as %.8s", sa->opname,
			    sa->remote, id);
			remotesync_now(v->remotes, sa->remote);
		} else {
			view_reload_runs(v);
			if (v->select_id != NULL &&
			    (runlist_filtered(v->runs) || v->runs->expr != NULL))
				started_hidden(v, id, sa->opname);
			else
				view_message(v, "Started %s as %.8s",
				    sa->opname, id);
		}
	} else if (*out != '\0') {
		struct text_args	ta = { 0 };

		/* The whole story in a viewer, the gist on the status line. */
		textbuf_init(&ta.buf, 10000, 1024 * 1024);
		textbuf_add_cooked(&ta.buf, out, strlen(out));
		ta.title = sa->remote != NULL ? xasprintf("guild run -r %s %s "
		    "failed", sa->remote, sa->opname) :
		    xasprintf("guild run %s failed", sa->opname);
		view_push(v, &pane_text_ops, &ta);
		view_error(v, "%s", out);
	} else
		view_error(v, "guild run %s failed (exit status %d)",
		    sa->opname, status);
	free(sa->opname);
	free(sa->remote);
	free(sa);
}

static void
form_start(struct pane *p)
{
	struct formpane		*f = p->priv;
	struct view		*v = p->view;
	struct strvec		 args = STRVEC_INIT, assigns = STRVEC_INIT;
	struct strvec		 tags = STRVEC_INIT;
	struct start_arg	*sa;
	const char		*label, *remote = form_remote(f);
	size_t			 i;

	form_assigns(f, &assigns);
	shlex_split(lineedit_text(&field_of(f, FIELD_TAGS)->le), &tags, NULL);
	label = lineedit_text(&field_of(f, FIELD_LABEL)->le);
	strvec_push(&args, "-H");
	strvec_push(&args, v->home->path);
	strvec_push(&args, "run");
	strvec_push(&args, "-y");
	if (remote != NULL) {
		strvec_push(&args, "-r");
		strvec_push(&args, remote);
		strvec_push(&args, "--no-wait");
	} else
		strvec_push(&args, "-b");
	if (*label != '\0') {
		strvec_push(&args, "-l");
		strvec_push(&args, label);
	}
	for (i = 0; i < tags.n; i++) {
		strvec_push(&args, "-t");
		strvec_push(&args, tags.v[i]);
	}
	strvec_push(&args, f->opname);
	for (i = 0; i < assigns.n; i++)
		strvec_push(&args, assigns.v[i]);
	sa = xcalloc(1, sizeof *sa);
	sa->opname = xstrdup(f->opname);
	if (remote != NULL) {
		sa->remote = xstrdup(remote);
		view_message(v, "Starting %s on %s...", f->opname, remote);
	} else
		view_message(v, "Starting %s...", f->opname);
	view_spawn_guild(v, (const char *const *)args.v, started, sa);
	strvec_clear(&args);
	strvec_clear(&assigns);
	strvec_clear(&tags);
	/* The form goes; the new run is selected when it shows. */
	view_pop(v);
	view_focus_main(v, MAIN_RUNS);
}

/* Empty (deps_plan()'s choice), then each run, newest first. */
static bool
cycle_dep(struct field *fl, int dir)
{
	long	n = (long)fl->cands.n + 1, at;
	char	 id[9];

	if (fl->cands.n == 0)
		return false;
	at = *lineedit_text(&fl->le) == '\0' ? 0 :
	    dep_pick(fl, lineedit_text(&fl->le)) + 1;
	at = (at + dir + n) % n;
	if (at == 0)
		lineedit_set(&fl->le, "");
	else {
		snprintf(id, sizeof id, "%.8s", fl->cands.v[at - 1]);
		lineedit_set(&fl->le, id);
	}
	return true;
}

/* Left and Right step through choices (and yes/no) when there are some. */
static bool
cycle_choice(struct field *fl, int dir)
{
	const struct flagdef	*fd = fl->fd;
	struct strbuf		 sb = STRBUF_INIT;
	const char		*text = lineedit_text(&fl->le);
	size_t			 i, n;
	long			 at = -1;

	if (fl->kind == FIELD_REMOTE) {
		n = remotesync_count(fl->rs) + 1;
		for (i = 1; i < n; i++)
			if (strcmp(remotesync_name(fl->rs, i - 1), text) == 0)
				at = (long)i;
		if (at < 0)
			at = 0;
		at = (at + dir + (long)n) % (long)n;
		lineedit_set(&fl->le, at == 0 ? "local" :
		    remotesync_name(fl->rs, (size_t)at - 1));
		return true;
	}
	if (fl->kind != FIELD_FLAG)
		return false;
	if (fl->dep)
		return cycle_dep(fl, dir);
	if (fd->type == FLAG_TYPE_BOOLEAN && fd->nchoices == 0) {
		lineedit_set(&fl->le, strcmp(text, "yes") == 0 ||
		    strcmp(text, "true") == 0 ? "no" : "yes");
		return true;
	}
	if (fd->nchoices == 0)
		return false;
	n = fd->nchoices;
	for (i = 0; i < n; i++) {
		strbuf_reset(&sb);
		flag_format(&sb, fd->choices[i].value, false);
		if (strcmp(sb.buf, text) == 0)
			at = (long)i;
	}
	if (at < 0)
		at = dir > 0 ? -1 : (long)n;
	at = (at + dir + (long)n) % (long)n;
	strbuf_reset(&sb);
	flag_format(&sb, fd->choices[at].value, false);
	lineedit_set(&fl->le, sb.buf);
	strbuf_release(&sb);
	return true;
}

static bool
form_key(struct pane *p, int key)
{
	struct formpane	*f = p->priv;
	struct view	*v = p->view;
	struct field	*fl = &f->fields[f->cur];

	if (f->preview) {
		if (key == '\n')
			form_start(p);
		else if (key == 27 || key == KEY_SPECIAL + KEY_BACKSPACE)
			f->preview = false;
		else if (key == KEY_CTRL('c') || key == 'q')
			view_pop(v);
		view_dirty(v);
		return true;
	}
	switch (key) {
	case 27:
	case KEY_CTRL('c'):
		view_pop(v);
		return true;
	case '\n':
		form_preview(p);
		return true;
	case KEY_SPECIAL + KEY_UP:
	case KEY_SPECIAL + KEY_BTAB:
	case KEY_CTRL('p'):
		if (f->cur > 0)
			f->cur--;
		return true;
	case KEY_SPECIAL + KEY_DOWN:
	case '\t':
	case KEY_CTRL('n'):
		if (f->cur + 1 < f->n)
			f->cur++;
		return true;
	case KEY_SPECIAL + KEY_LEFT:
	case KEY_SPECIAL + KEY_RIGHT:
		if (cycle_choice(fl, key == KEY_SPECIAL + KEY_LEFT ? -1 : 1)) {
			free(fl->error);
			fl->error = NULL;
			return true;
		}
		break;
	}
	/* Where it runs is one of a list: no typing. */
	if (fl->kind == FIELD_REMOTE)
		return true;
	if (lineedit_key(&fl->le, key)) {
		free(fl->error);
		fl->error = NULL;
	}
	/* Every other key belongs to the form, not to the actions. */
	return true;
}

/* The flags of a run, to run it again. */
static struct value *
run_flags(const struct run_row *row)
{
	struct run	*run = run_open(row->dir, NULL);
	struct value	*flags = NULL;

	if (run != NULL)
		run_attr_read(run, "flags", &flags, NULL);
	run_free(run);
	return flags;
}

struct import_arg {
	struct pane	*p;
	const struct opdef *op;
	struct guildfile *gf;
	char		*opname;
};

static void
imported(struct view *v, int status, const char *out, void *arg)
{
	struct import_arg	*ia = arg;
	size_t			 i;
	bool			 main_pane = false;

	for (i = 0; i < MAIN_COUNT; i++)
		main_pane = main_pane || v->main[i] == ia->p;
	/* Nothing cached: the script could not be read (out says why). */
	if (status != 0 || v->gf != ia->gf ||
	    flags_import_pending(v->home, ia->op))
		view_error(v, "cannot import the flags of %s: %s", ia->opname,
		    *out != '\0' ? out : "guild.yml changed");
	/* The same form, if the same operation is still the one chosen. */
	else if (main_pane && v->nstack == 0)
		view_run_form(v, ia->p);
	else
		view_message(v, "Flags of %s imported", ia->opname);
	free(ia->opname);
	free(ia);
}

static void
import_then_form(struct view *v, struct pane *p, const struct opdef *op)
{
	struct import_arg	*ia = xcalloc(1, sizeof *ia);
	const char		*args[] = { "-H", v->home->path, "run", NULL,
				    "--test-flags", NULL };

	ia->p = p;
	ia->op = op;
	ia->gf = v->gf;
	ia->opname = opdef_fullname(op);
	args[3] = ia->opname;
	view_message(v, "Importing the flags of %s...", ia->opname);
	view_spawn_guild(v, args, imported, ia);
}

static void open_form(struct view *, struct pane *, const struct opdef *,
		    const struct value *flags, const struct strvec *tags,
		    const char *remote);

/* A batch run again: its prototype, the operation with the user's flags. */
struct proto_arg {
	const struct opdef	*op;
	struct value		*flags;
	struct guildfile	*gf;
	struct pane		*p;
};

static void
proto_yes(struct view *v, const char *answer, void *arg)
{
	struct proto_arg	*pa = arg;

	/* guild.yml reloaded meanwhile: op is gone with the old one. */
	if (v->gf != pa->gf)
		view_error(v, "guild.yml changed: try again");
	else
		open_form(v, pa->p, pa->op, pa->flags, NULL, NULL);
}

static void
proto_free(void *arg)
{
	struct proto_arg	*pa = arg;

	value_free(pa->flags);
	free(pa);
}

/* True when row is a batch run (its question asked or its error said). */
static bool
batch_run_again(struct view *v, struct pane *p, const struct run_row *row)
{
	struct opref		 ref;
	struct proto_arg	*pa;
	const struct modeldef	*m;
	const struct opdef	*op;
	struct value		*flags = NULL;
	struct run		*proto;
	char			*dir, *name, *q;

	/* A batch keeps its operation as a prototype (Guild's layout). */
	dir = path_join(row->dir, ".guild/proto/.guild/opref");
	if (!path_exists(dir)) {
		free(dir);
		return false;
	}
	free(dir);
	dir = path_join(row->dir, ".guild/proto");
	proto = run_open(dir, NULL);
	free(dir);
	memset(&ref, 0, sizeof ref);
	if (proto == NULL || run_opref_read(proto, &ref, NULL) == -1) {
		view_error(v, "Batch %.8s has no prototype to run again",
		    row->id);
		run_free(proto);
		return true;
	}
	if (v->gf == NULL || strcmp(ref.pkg_name, v->gf->path) != 0 ||
	    (m = guildfile_model(v->gf, ref.model)) == NULL ||
	    (op = modeldef_op(m, ref.op)) == NULL) {
		view_error(v, "Batch %.8s is not of an operation of the "
		    "project here", row->id);
		opref_clear(&ref);
		run_free(proto);
		return true;
	}
	if (run_attr_read(proto, "user_flags", &flags, NULL) == -1 ||
	    flags == NULL)
		run_attr_read(proto, "flags", &flags, NULL);
	run_free(proto);
	opref_clear(&ref);
	pa = xcalloc(1, sizeof *pa);
	pa->op = op;
	pa->flags = flags;
	pa->gf = v->gf;
	pa->p = p;
	name = opdef_fullname(op);
	q = xasprintf("%s is a batch: run its prototype %s?", row->op_desc,
	    name);
	prompt_confirm(v, q, true, proto_yes, pa, proto_free);
	free(q);
	free(name);
	return true;
}

void
view_run_form(struct view *v, struct pane *p)
{
	const struct run_row	*row = NULL;
	const struct opdef	*op = NULL;
	struct value		*flags = NULL;

	/* From a run: the same operation with the same flags. */
	if (p != v->models && p != v->ops && p->ops->current_run != NULL)
		row = p->ops->current_run(p);
	if (row != NULL && batch_run_again(v, p, row))
		return;
	if (row != NULL) {
		const struct modeldef	*m;

		if (v->gf == NULL || row->pkg_name == NULL ||
		    strcmp(row->pkg_name, v->gf->path) != 0) {
			view_error(v, "Run %.8s is not of the project here: "
			    "cannot run it again from this directory", row->id);
			return;
		}
		if ((m = guildfile_model(v->gf, row->model)) == NULL ||
		    (op = modeldef_op(m, row->op)) == NULL) {
			view_error(v, "%s is no longer in guild.yml",
			    row->op_desc);
			return;
		}
		flags = run_flags(row);
	} else if ((op = ops_selected(v)) == NULL) {
		view_error(v, v->gf_error != NULL ? "guild.yml has errors: "
		    "see the models pane" : "No operation: there is no "
		    "guild.yml in this directory");
		return;
	}
	/* Again where it ran. */
	open_form(v, p, op, flags, row != NULL ? &row->tags : NULL,
	    row != NULL ? remotesync_remote_of(v->remotes, row->id) : NULL);
	value_free(flags);
}

/*
 * The form of op, filled with flags (or the defaults) and tags, to run
 * here or on remote.
 */
static void
open_form(struct view *v, struct pane *p, const struct opdef *op,
    const struct value *flags, const struct strvec *tags, const char *remote)
{
	struct form_args	 a;

	memset(&a, 0, sizeof a);
	a.flags = flags;
	a.tags = tags;
	a.remote = remote;
	if (op->error != NULL) {
		view_error(v, "%s", op->error);
		return;
	}
	/*
	 * The script's own flags too, as guild run has them. The first time
	 * a guild process imports them (this process's loop cannot wait for
	 * Python in a loop of its own), and the form opens when it is done;
	 * then they come from the cache. One that cannot be read is said,
	 * and the form has the flags guild.yml declares.
	 */
	if (flags_import_pending(v->home, op)) {
		import_then_form(v, p, op);
		return;
	}
	{
		char	*cause = NULL;

		if (flags_import_apply(v->home, (struct opdef *)op,
		    &cause) == -1) {
			view_message(v, "cannot import flags: %s", cause);
			free(cause);
		}
	}
	a.op = op;
	view_push(v, &pane_form_ops, &a);
}

static const struct pane_ops pane_form_ops = {
	.name = "form",
	.keymap = KEYMAP_GENERIC,
	.priv_size = sizeof (struct formpane),
	.box = true,
	.init = form_init,
	.release = form_release,
	.title = form_title,
	.draw = form_draw,
	.key = form_key,
	.box_size = form_box_size,
	.cursor_pos = form_cursor_pos,
};
