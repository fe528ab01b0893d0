/*
 * pane-text.c: text that scrolls, with search: the file viewer, the diff
 * of two runs, and the drawing the help and run details share.
 */
#include "common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "display.h"
#include "format.h"
#include "pane-text.h"
#include "pane.h"
#include "prompt.h"
#include "regex.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "scalars.h"
#include "strbuf.h"
#include "tui.h"
#include "util.h"
#include "value.h"

void
textview_init(struct textview *tv)
{
	textbuf_init(&tv->buf, 1000000, 64 * 1024 * 1024);
	tv->search = NULL;
}

void
textview_release(struct textview *tv)
{
	textbuf_release(&tv->buf);
	regex_free(tv->search);
	tv->search = NULL;
}

struct tline *
textview_kv(struct textview *tv, int indent, const char *key,
    const char *value, enum role role)
{
	struct tline	*l;

	l = textbuf_addf(&tv->buf, role, "%*s%s: %s", indent, "", key,
	    value != NULL ? value : "");
	l->key_len = (size_t)indent + strlen(key) + 1;
	return l;
}

void
textview_draw(struct pane *p, struct textview *tv, int y, int x, int h,
    int w)
{
	struct style	 base, key;
	struct mark	*marks = NULL;
	size_t		 alloc = 0, nm, from, s, e, i, max, n = tv->buf.n;
	int		 row, used, keyw, kw;

	max = n > (size_t)h ? n - (size_t)h : 0;
	if (p->top > max)
		p->top = max;
	for (row = 0; row < h; row++) {
		struct tline	*l = textbuf_get(&tv->buf, p->top + (size_t)row);

		if (l == NULL)
			break;
		base = theme_style(l->role);
		nm = 0;
		if (tv->search != NULL) {
			from = 0;
			while (from <= l->len && regex_search(tv->search,
			    l->text, l->len, from, &s, &e)) {
				if (e == s) {
					from = e + 1;
					continue;
				}
				XGROW(marks, alloc, nm + 1);
				marks[nm].start = s;
				marks[nm].end = e;
				nm++;
				from = e;
			}
		}
		used = 0;
		if (l->key_len > 0 && nm == 0) {
			key = theme_style(l->key_role);
			keyw = text_width(l->text, l->key_len);
			/* A column for the value, or for its cut. */
			kw = w - 1 - (l->len > l->key_len ? 1 : 0);
			used = draw_text_cut(y + row, x + 1, kw, p->hscroll,
			    l->text, l->key_len, key);
			i = l->key_len;
			/* A key cut is the line's cut. */
			if (keyw - p->hscroll <= kw)
				draw_rich_cut(y + row, x + 1 + used,
				    w - 1 - used, p->hscroll > keyw ?
				    p->hscroll - keyw : 0, l->text + i,
				    l->len - i, NULL, 0, base, NULL, 0, base);
			continue;
		}
		draw_rich_cut(y + row, x + 1, w - 1, p->hscroll, l->text,
		    l->len, l->spans, l->nspans, base, marks, nm,
		    theme_style(ROLE_MATCH));
	}
	free(marks);
}

static bool
tv_search(struct pane *p, struct textview *tv, size_t from, int dir)
{
	size_t	i, n = tv->buf.n;

	if (tv->search == NULL || n == 0 || from >= n)
		return false;
	for (i = from;; i = dir > 0 ? i + 1 : i - 1) {
		struct tline	*l = textbuf_get(&tv->buf, i);

		if (l == NULL)
			break;
		if (regex_match(tv->search, l->text, l->len)) {
			p->top = i;
			view_dirty(p->view);
			return true;
		}
		if (dir < 0 && i == 0)
			break;
	}
	return false;
}

struct search_arg {
	struct pane	*pane;
	struct textview	*tv;
};

static void
tv_search_done(struct view *v, const char *text, void *arg)
{
	struct search_arg	*sa = arg;
	struct regex		*re;
	char			*cause = NULL;

	if (text == NULL)
		return;
	if (*text == '\0') {
		regex_free(sa->tv->search);
		sa->tv->search = NULL;
		return;
	}
	if ((re = regex_new(text, REGEX_SMARTCASE, &cause)) == NULL) {
		view_error(v, "Bad pattern: %s", cause);
		free(cause);
		return;
	}
	regex_free(sa->tv->search);
	sa->tv->search = re;
	if (!tv_search(sa->pane, sa->tv, sa->pane->top, 1) &&
	    !tv_search(sa->pane, sa->tv, 0, 1))
		view_error(v, "Pattern not found: %s", text);
}

bool
textview_action(struct pane *p, struct textview *tv, enum action act)
{
	struct view		*v = p->view;
	struct search_arg	*sa;

	switch (act) {
	case ACT_SEARCH:
	case ACT_FILTER:
		sa = xcalloc(1, sizeof *sa);
		sa->pane = p;
		sa->tv = tv;
		prompt_open(v, "Search: /", tv->search != NULL ?
		    regex_pattern(tv->search) : "", tv_search_done, NULL, sa,
		    free);
		return true;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (tv->search == NULL)
			view_error(v, "No search: press / first");
		else if (act == ACT_SEARCH_NEXT ?
		    !tv_search(p, tv, p->top + 1, 1) :
		    (p->top == 0 || !tv_search(p, tv, p->top - 1, -1)))
			view_error(v, "No more matches for %s",
			    regex_pattern(tv->search));
		return true;
	default:
		return false;
	}
}

/* The text viewer. */
struct textpane {
	char		*title;
	struct textview	 tv;
	char		*dir;	/* a file's: for !, e and O */
	char		*path;
};

static void
text_init(struct pane *p, void *arg)
{
	struct textpane		*t = p->priv;
	struct text_args	*a = arg;

	t->title = a->title;
	t->dir = a->dir;
	t->path = a->path;
	t->tv.buf = a->buf;
	t->tv.search = NULL;
}

static void
text_release(struct pane *p)
{
	struct textpane	*t = p->priv;

	free(t->title);
	free(t->dir);
	free(t->path);
	textview_release(&t->tv);
}

static void
text_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct textpane	*t = p->priv;

	strbuf_addstr(left, t->title);
	if (t->tv.buf.n > 0)
		strbuf_addf(right, "%zu/%zu", p->top + 1, t->tv.buf.n);
}

static size_t
text_count(struct pane *p)
{
	struct textpane	*t = p->priv;

	return t->tv.buf.n;
}

static void
text_draw(struct pane *p, int y, int x, int h, int w)
{
	struct textpane	*t = p->priv;

	if (t->tv.buf.n == 0) {
		draw_str_cut(y, x + 1, w - 1, "(empty)", theme_style(ROLE_DIM));
		return;
	}
	textview_draw(p, &t->tv, y, x, h, w);
}

static bool
text_action(struct pane *p, enum action act)
{
	struct textpane	*t = p->priv;

	if (t->dir != NULL) {
		switch (act) {
		case ACT_SHELL:
			view_shell(p->view, t->dir);
			return true;
		case ACT_EDIT:
		case ACT_OPEN:
			view_open_file(p->view, t->dir, t->path, act == ACT_EDIT,
			    true);
			return true;
		default:
			break;
		}
	}
	return textview_action(p, &t->tv, act);
}

static const struct hint text_hints[] = {
	{ ACT_SEARCH, "search" },
	{ ACT_SEARCH_NEXT, "next" },
	{ ACT_QUIT, "close" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_text_ops = {
	.name = "text",
	.keymap = KEYMAP_TEXT,
	.priv_size = sizeof (struct textpane),
	.hints = text_hints,
	.init = text_init,
	.release = text_release,
	.title = text_title,
	.count = text_count,
	.draw = text_draw,
	.action = text_action,
};

/*
 * Diff two runs: what tells them apart (flags, scalars, status, label)
 * as a unified diff of two summaries, then the files that differ.
 * diff(1) does the work, in the background, and its output is cooked.
 */
struct diff_job {
	char	*a, *b;		/* summary files */
	char	*label_a, *label_b;
	char	*title;
	char	*tmpdir;
	char	*dir_a, *dir_b;
	struct strbuf out;
	int	 step;
};

static void
summary(struct strbuf *sb, struct view *v, const struct run_row *row)
{
	struct run		*run = run_open(row->dir, NULL);
	struct value		*flags = NULL, *cmd = NULL;
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	size_t			 i;

	strbuf_addf(sb, "operation: ");
	format_op(sb, row);
	strbuf_addf(sb, "\nstatus: %s\nlabel: %s\n",
	    run_status_name(row->status), row->label != NULL ? row->label :
	    "");
	if (row->has_exit_status)
		strbuf_addf(sb, "exit_status: %d\n", row->exit_status);
	if (row->started > 0 && row->stopped > row->started) {
		strbuf_addstr(sb, "time: ");
		format_duration(sb, row->stopped - row->started);
		strbuf_addch(sb, '\n');
	}
	if (run != NULL && run_attr_read(run, "cmd", &cmd, NULL) == 0 &&
	    cmd != NULL) {
		strbuf_addstr(sb, "command: ");
		value_encode_flow(sb, cmd);
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, "flags:\n");
	if (run != NULL && run_attr_read(run, "flags", &flags, NULL) == 0 &&
	    flags != NULL && flags->type == VALUE_MAP) {
		value_map_sort(flags);
		for (i = 0; i < flags->u.map.n; i++) {
			strbuf_addf(sb, "  %s: ", flags->u.map.k[i]);
			value_format_flag(sb, flags->u.map.v[i]);
			strbuf_addch(sb, '\n');
		}
	}
	strbuf_addstr(sb, "scalars:\n");
	if (scalars_summary_read(row->dir, 0, &sum, NULL) == 0) {
		for (i = 0; i < sum.n; i++) {
			strbuf_addf(sb, "  %s: ", sum.v[i].key);
			format_scalar_step(sb, sum.v[i].last.value,
			    sum.v[i].last.step);
			strbuf_addch(sb, '\n');
		}
	}
	scalars_summary_release(&sum);
	value_free(flags);
	value_free(cmd);
	run_free(run);
}

static void
diff_job_free(struct diff_job *j)
{
	if (j->tmpdir != NULL)
		rm_rf(j->tmpdir, NULL);
	free(j->a);
	free(j->b);
	free(j->label_a);
	free(j->label_b);
	free(j->title);
	free(j->tmpdir);
	free(j->dir_a);
	free(j->dir_b);
	strbuf_release(&j->out);
	free(j);
}

static void
diff_show(struct view *v, struct diff_job *j)
{
	struct text_args	 ta = { 0 };
	size_t			 i;

	textbuf_init(&ta.buf, 1000000, 64 * 1024 * 1024);
	textbuf_add_cooked(&ta.buf, j->out.buf, j->out.len);
	for (i = 0; i < ta.buf.n; i++) {
		struct tline	*l = textbuf_get(&ta.buf, i);

		if (str_starts_with(l->text, "+++") ||
		    str_starts_with(l->text, "---"))
			l->role = ROLE_HEADER;
		else if (l->text[0] == '+')
			l->role = ROLE_DIFF_ADD;
		else if (l->text[0] == '-')
			l->role = ROLE_DIFF_DEL;
		else if (str_starts_with(l->text, "@@"))
			l->role = ROLE_DIFF_HUNK;
		else if (str_starts_with(l->text, "Files ") ||
		    str_starts_with(l->text, "Only in "))
			l->role = ROLE_HEADER;
	}
	ta.title = j->title;
	j->title = NULL;
	view_push(v, &pane_text_ops, &ta);
}

static void
diff_next(struct view *v, int status, const char *out, void *arg)
{
	struct diff_job	*j = arg;
	const char	*args[10];

	if (out != NULL) {
		if (status > 1 || status < 0) {
			view_error(v, "diff failed: %s", out);
			diff_job_free(j);
			return;
		}
		if (*out == '\0' && j->step == 1)
			strbuf_addstr(&j->out, "(flags, scalars, status and "
			    "label are the same)\n");
		strbuf_addstr(&j->out, out);
	}
	j->step++;
	if (j->step > 2) {
		diff_show(v, j);
		diff_job_free(j);
		return;
	}
	if (j->step == 2)
		strbuf_addstr(&j->out, "\nFiles (.guild excluded):\n");
	args[0] = "diff";
	if (j->step == 1) {
		args[1] = "-u";
		args[2] = "--label";
		args[3] = j->label_a;
		args[4] = "--label";
		args[5] = j->label_b;
		args[6] = j->a;
		args[7] = j->b;
		args[8] = NULL;
	} else {
		args[1] = "-rq";
		args[2] = "--exclude=.guild";
		args[3] = j->dir_a;
		args[4] = j->dir_b;
		args[5] = NULL;
	}
	view_spawn(v, args, diff_next, j);
}

void
view_diff(struct view *v, struct pane *p)
{
	struct strvec		 ids = STRVEC_INIT;
	struct runlist		*rl = p->ops->runlist != NULL ?
				    p->ops->runlist(p) : v->runs;
	const struct run_row	*ra = NULL, *rb = NULL;
	struct diff_job		*j;
	struct strbuf		 sa = STRBUF_INIT, sb = STRBUF_INIT;
	char			 tmpl[] = "/tmp/guild-diff.XXXXXX";
	char			*cause = NULL;
	long			 i;

	if (rl->selected.n == 2) {
		i = runlist_find(rl, rl->selected.v[0]);
		ra = i >= 0 ? runlist_row(rl, (size_t)i) : NULL;
		i = runlist_find(rl, rl->selected.v[1]);
		rb = i >= 0 ? runlist_row(rl, (size_t)i) : NULL;
	} else if (rl->selected.n == 0 && p->ops->current_run != NULL) {
		/* The run under the cursor and the one before it in time. */
		size_t	c = p == v->runs_pane || p->ops->runlist != NULL ?
			    p->cursor : v->runs_pane->cursor;

		ra = runlist_row(rl, c + 1);
		rb = runlist_row(rl, c);
	}
	if (ra == NULL || rb == NULL) {
		view_error(v, "Diff needs two runs: select two with Space, or "
		    "stand on a run that has an older one below");
		strvec_clear(&ids);
		return;
	}
	/* Older first, so + is what the newer run changed. */
	if (ra->started > rb->started) {
		const struct run_row	*t = ra;

		ra = rb;
		rb = t;
	}
	j = xcalloc(1, sizeof *j);
	strbuf_init(&j->out);
	if (mkdtemp(tmpl) == NULL) {
		view_error(v, "mkdtemp: %s", strerror(errno));
		diff_job_free(j);
		return;
	}
	j->tmpdir = xstrdup(tmpl);
	j->a = xasprintf("%s/%.8s", tmpl, ra->id);
	j->b = xasprintf("%s/%.8s", tmpl, rb->id);
	j->label_a = xasprintf("%.8s", ra->id);
	j->label_b = xasprintf("%.8s", rb->id);
	j->dir_a = xstrdup(ra->dir);
	j->dir_b = xstrdup(rb->dir);
	j->title = xasprintf("Diff  %.8s -> %.8s", ra->id, rb->id);
	summary(&sa, v, ra);
	summary(&sb, v, rb);
	if (write_file_atomic(j->a, sa.buf, sa.len, &cause) == -1 ||
	    write_file_atomic(j->b, sb.buf, sb.len, &cause) == -1) {
		view_error_cause(v, cause);
		diff_job_free(j);
	} else
		diff_next(v, 0, NULL, j);
	strbuf_release(&sa);
	strbuf_release(&sb);
	strvec_clear(&ids);
}
