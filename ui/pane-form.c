/*
 * pane-form.c: the run form. One field per flag of the operation,
 * filled with its default (or, to run a run again, with that run's
 * flags), then label and tags. Enter checks every value as guild run
 * would (types, choices, ranges, required flags: the reason shows at
 * the field), then previews; Enter again starts the run as a detached
 * `guild run --background`, so it goes on after the view is closed, and
 * the view selects it and follows its output.
 *
 * With remotes in the user config, a last field says where the run goes:
 * "local", or a remote (Left/Right step through them). A run for a
 * remote starts as `guild run -r NAME --no-wait` in the background, and
 * the view selects it once its remote's sync has brought it here.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#include "display.h"
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
	const struct remotesync	*rs;		/* FIELD_REMOTE */
};

struct formpane {
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

static void
form_init(struct pane *p, void *arg)
{
	struct formpane		*f = p->priv;
	struct form_args	*a = arg;
	const struct opdef	*op = a->op;
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 i;

	f->op = op;
	f->opname = opdef_fullname(op);
	f->fields = xcalloc(op->nflags + 3, sizeof *f->fields);
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

			draw_text(y + row, x + 1, w - 2, 0, l->text, l->len,
			    theme_style(l->role));
		}
		return;
	}
	if (*f->op->description != '\0' && row < h) {
		const char	*d = f->op->description;
		const char	*nl = strchr(d, '\n');

		draw_text(y + row++, x + 1, w - 2, 0, d, nl != NULL ?
		    (size_t)(nl - d) : strlen(d), dim);
	}
	if (f->op->nflags == 0 && row < h)
		draw_str(y + row++, x + 1, w - 2, "This operation has no "
		    "flags.", dim);
	row++;
	for (i = 0; i < f->n; i++)
		if (strlen(f->fields[i].name) > namew)
			namew = strlen(f->fields[i].name);
	if (namew > 20)
		namew = 20;
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

		draw_str(y + row, x + 1, (int)namew, fl->name,
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
			draw_str(y + row, x + 3 + (int)namew + vw,
			    w - 4 - (int)namew - vw, fl->error, err);
		else {
			field_hint(&sb, fl);
			draw_str(y + row, x + 3 + (int)namew + vw,
			    w - 4 - (int)namew - vw, sb.buf, dim);
		}
	}
	row = h - 2;
	if (f->error != NULL)
		draw_str(y + row, x + 1, w - 2, f->error, err);
	draw_str(y + h - 1, x + 1, w - 2, "Up/Down fields  Left/Right choices "
	    " Enter preview  Esc cancel", dim);
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
		if (fl->kind != FIELD_FLAG)
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
	struct value	*flags = NULL, *user = NULL, *sorted;
	struct strbuf	 sb = STRBUF_INIT;
	char		*cause = NULL;
	size_t		 i;

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
	if (flags_resolve(f->op, (const char *const *)assigns.v, assigns.n,
	    false, &flags, &user, &cause) == -1) {
		f->error = cause;
		/* Point at the field the message names, if it names one. */
		for (i = 0; i < f->n; i++)
			if (f->fields[i].kind == FIELD_FLAG &&
			    strstr(cause, f->fields[i].name) != NULL) {
				f->cur = i;
				break;
			}
		strvec_clear(&assigns);
		strvec_clear(&tags);
		return;
	}
	textbuf_clear(&f->pv);
	textbuf_addf(&f->pv, ROLE_DEFAULT, "You are about to run %s",
	    f->opname);
	sorted = value_dup(flags);
	if (sorted != NULL && sorted->type == VALUE_MAP) {
		value_map_sort(sorted);
		for (i = 0; i < sorted->u.map.n; i++) {
			strbuf_reset(&sb);
			flag_format(&sb, sorted->u.map.v[i], false);
			textbuf_addf(&f->pv, ROLE_DEFAULT, "  %s: %s",
			    sorted->u.map.k[i], sb.buf);
		}
	}
	value_free(sorted);
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
	value_free(flags);
	value_free(user);
	strvec_clear(&assigns);
	strvec_clear(&tags);
	strbuf_release(&sb);
}

struct start_arg {
	char	*opname;
	char	*remote;	/* or NULL */
};

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
			view_message(v, "Started %s as %.8s", sa->opname, id);
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

static void
form_args_from_run(struct view *v, const struct run_row *row,
    struct form_args *a, struct value **flags)
{
	struct run	*run = run_open(row->dir, NULL);

	if (run != NULL)
		run_attr_read(run, "flags", flags, NULL);
	run_free(run);
	a->flags = *flags;
	a->label = NULL;
	a->tags = &row->tags;
	/* Again where it ran. */
	a->remote = remotesync_remote_of(v->remotes, row->id);
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

void
view_run_form(struct view *v, struct pane *p)
{
	struct form_args	 a;
	const struct run_row	*row = NULL;
	const struct opdef	*op = NULL;
	struct value		*flags = NULL;

	memset(&a, 0, sizeof a);
	/* From a run: the same operation with the same flags. */
	if (p != v->models && p != v->ops && p->ops->current_run != NULL)
		row = p->ops->current_run(p);
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
		form_args_from_run(v, row, &a, &flags);
	} else if ((op = ops_selected(v)) == NULL) {
		view_error(v, v->gf_error != NULL ? "guild.yml has errors: "
		    "see the models pane" : "No operation: there is no "
		    "guild.yml in this directory");
		return;
	}
	if (op->error != NULL) {
		view_error(v, "%s", op->error);
		value_free(flags);
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
		value_free(flags);
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
	value_free(flags);
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
