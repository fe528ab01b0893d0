/*
 * pane-info.c: one run in detail: its fields as guild runs info shows
 * them, flags, scalars (last, min, max and a sparkline each), tags,
 * label and files. Rebuilt while the run is live.
 */
#include "common.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "actions.h"
#include "display.h"
#include "format.h"
#include "home.h"
#include "pane-image.h"
#include "pane-info.h"
#include "pane-text.h"
#include "pane.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "scalars.h"
#include "sparkline.h"
#include "strbuf.h"
#include "theme.h"
#include "tui.h"
#include "util.h"
#include "value.h"

struct infopane {
	char		*id;
	bool		 deleted;
	struct textview	 tv;
	bool		 live;
	char		*dir;
	struct strvec	 images;	/* thumbnails, where there is room */
};

static void
human_size(struct strbuf *sb, long long n)
{
	if (n < 1024)
		strbuf_addf(sb, "%lld B", n);
	else if (n < 1024 * 1024)
		strbuf_addf(sb, "%.1f KB", (double)n / 1024.0);
	else if (n < 1024LL * 1024 * 1024)
		strbuf_addf(sb, "%.1f MB", (double)n / 1048576.0);
	else
		strbuf_addf(sb, "%.1f GB", (double)n / 1073741824.0);
}

static int
name_cmp(const void *a, const void *b)
{
	return natcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The files of the run (not .guild), a level deep, with sizes. */
static void
add_files(struct textview *tv, const char *dir)
{
	struct strvec	 names = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	size_t		 i;
	char		*path;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		strvec_push(&names, de->d_name);
	}
	closedir(d);
	if (names.n > 1)
		qsort(names.v, names.n, sizeof *names.v, name_cmp);
	textbuf_addf(&tv->buf, ROLE_HEADER, "files: %zu%s", names.n,
	    names.n > 0 ? " (f browses them)" : "");
	for (i = 0; i < names.n && i < 200; i++) {
		path = path_join(dir, names.v[i]);
		/* The name cut to its column (an ellipsis), so sizes align. */
		strbuf_reset(&sb);
		text_add_cut(&sb, names.v[i], 32);
		strbuf_addch(&sb, ' ');
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				strbuf_addstr(&sb, "dir");
			else if (S_ISLNK(st.st_mode))
				strbuf_addstr(&sb, "link");
			else
				human_size(&sb, (long long)st.st_size);
		}
		textbuf_addf(&tv->buf, ROLE_DEFAULT, "  %s", sb.buf);
		free(path);
	}
	if (names.n > 200)
		textbuf_addf(&tv->buf, ROLE_DIM, "  ... %zu more", names.n - 200);
	strvec_clear(&names);
	strbuf_release(&sb);
}

static void
add_scalars(struct textview *tv, const char *dir, int w)
{
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	struct strbuf		 sb = STRBUF_INIT, a = STRBUF_INIT;
	size_t			 i, j;
	double			*vals;
	int			 sparkw, keyw = 6, kw, maxw;

	if (scalars_summary_read(dir, SCALARS_SERIES, &sum, NULL) == -1 ||
	    sum.n == 0) {
		scalars_summary_release(&sum);
		return;
	}
	for (i = 0; i < sum.n; i++)
		if ((kw = text_width(sum.v[i].key, strlen(sum.v[i].key))) >
		    keyw)
			keyw = kw;
	/* Longer keys are cut (and say so), so the columns line up. */
	maxw = w / 4 > 30 ? w / 4 : 30;
	if (keyw > maxw)
		keyw = maxw;
	sparkw = w - keyw - 4 - 4 * 12 - 2;
	if (sparkw > 40)
		sparkw = 40;
	strbuf_addf(&sb, "scalars:%*s  %-11s %-11s %-11s %-8s %s",
	    keyw - 6, "", "last", "min", "max", "step",
	    sparkw >= 8 ? "history" : "");
	textbuf_addf(&tv->buf, ROLE_HEADER, "%s", sb.buf);
	for (i = 0; i < sum.n; i++) {
		const struct scalar_stats	*s = &sum.v[i];
		struct tline			*l;
		size_t				 key_len;

		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		text_add_cut(&sb, s->key, keyw);
		key_len = sb.len;
		strbuf_addstr(&sb, "  ");
		strbuf_reset(&a);
		format_scalar_short(&a, s->last.value);
		strbuf_addf(&sb, "%-11s ", a.buf);
		strbuf_reset(&a);
		format_scalar_short(&a, s->min.value);
		strbuf_addf(&sb, "%-11s ", a.buf);
		strbuf_reset(&a);
		format_scalar_short(&a, s->max.value);
		strbuf_addf(&sb, "%-11s ", a.buf);
		strbuf_addf(&sb, "%-8lld ", s->last.step);
		if (sparkw >= 8 && s->nseries > 1) {
			vals = xcalloc(s->nseries, sizeof *vals);
			for (j = 0; j < s->nseries; j++)
				vals[j] = s->series[j].value;
			fmt_sparkline(&sb, vals, s->nseries, sparkw);
			free(vals);
		}
		l = textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", sb.buf);
		l->key_len = key_len;
	}
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "");
	strbuf_release(&sb);
	strbuf_release(&a);
	scalars_summary_release(&sum);
}

static void
value_text(struct strbuf *sb, const struct value *v)
{
	if (v == NULL)
		return;
	if (v->type == VALUE_STRING)
		strbuf_addstr(sb, v->u.s);
	else
		value_format_flag(sb, v);
}

static void
build(struct pane *p)
{
	struct infopane		*ip = p->priv;
	struct view		*v = p->view;
	struct textview		*tv = &ip->tv;
	struct strbuf		 sb = STRBUF_INIT;
	struct run		*run;
	struct opref		 ref;
	struct value		*flags = NULL, *cmd = NULL, *tags = NULL;
	struct value		*label = NULL, *marked = NULL, *digest = NULL;
	struct run_row		 row;
	enum run_status		 st;
	long long		 n;
	char			*dir, *cause = NULL, *s;
	size_t			 i;
	pid_t			 pid;

	textbuf_clear(&tv->buf);
	dir = path_join(ip->deleted ? v->home->trash : v->home->runs, ip->id);
	if ((run = run_open(dir, &cause)) == NULL) {
		textbuf_addf(&tv->buf, ROLE_ERROR, "%s", cause);
		free(cause);
		free(dir);
		return;
	}
	memset(&row, 0, sizeof row);
	st = run_get_status(run);
	ip->live = st == RUN_STATUS_RUNNING || st == RUN_STATUS_PENDING;
	textview_kv(tv, 0, "id", run->id, ROLE_DEFAULT);
	if (run_opref_read(run, &ref, NULL) == 0) {
		/* The row's fields format_op() reads, as the index has them. */
		row.opref = opref_format(&ref);
		row.pkg_name = ref.pkg_name;
		row.op_desc = *ref.model ? xasprintf("%s:%s", ref.model,
		    ref.op) : xstrdup(ref.op);
		format_op(&sb, &row);
		textview_kv(tv, 0, "operation", sb.buf, ROLE_DEFAULT);
		s = path_abbrev_home(ref.pkg_name);
		textview_kv(tv, 0, "from", s, ROLE_DEFAULT);
		free(s);
		free(row.op_desc);
		free(row.opref);
		opref_clear(&ref);
	}
	textview_kv(tv, 0, "status", run_status_name(st),
	    theme_status_role((int)st));
	strbuf_reset(&sb);
	if (run_attr_int(run, "started", &n))
		format_time(&sb, n);
	textview_kv(tv, 0, "started", sb.buf, ROLE_DEFAULT);
	strbuf_reset(&sb);
	{
		long long	started = 0, stopped = 0;

		run_attr_int(run, "started", &started);
		if (run_attr_int(run, "stopped", &stopped))
			format_time(&sb, stopped);
		textview_kv(tv, 0, "stopped", sb.buf, ROLE_DEFAULT);
		strbuf_reset(&sb);
		format_run_time(&sb, started, stopped,
		    st == RUN_STATUS_RUNNING, run_now_us());
		textview_kv(tv, 0, "time", sb.buf, ROLE_DEFAULT);
	}
	strbuf_reset(&sb);
	run_attr_read(run, "label", &label, NULL);
	value_text(&sb, label);
	textview_kv(tv, 0, "label", sb.buf, ROLE_LABEL);
	strbuf_reset(&sb);
	run_attr_read(run, "tags", &tags, NULL);
	if (tags != NULL && tags->type == VALUE_LIST) {
		for (i = 0; i < tags->u.list.n; i++) {
			if (i > 0)
				strbuf_addstr(&sb, ", ");
			value_text(&sb, tags->u.list.v[i]);
		}
	}
	textview_kv(tv, 0, "tags", sb.buf, ROLE_TAG);
	run_attr_read(run, "marked", &marked, NULL);
	textview_kv(tv, 0, "marked", marked != NULL &&
	    marked->type == VALUE_BOOL && marked->u.b ? "yes" : "no",
	    ROLE_DEFAULT);
	s = path_abbrev_home(run->path);
	textview_kv(tv, 0, "run_dir", s, ROLE_DEFAULT);
	free(s);
	strbuf_reset(&sb);
	if (run_attr_read(run, "cmd", &cmd, NULL) == 0 && cmd != NULL &&
	    cmd->type == VALUE_LIST) {
		for (i = 0; i < cmd->u.list.n; i++) {
			const struct value	*a = cmd->u.list.v[i];

			if (i > 0)
				strbuf_addch(&sb, ' ');
			if (a->type == VALUE_STRING && strchr(a->u.s, ' '))
				strbuf_addf(&sb, "\"%s\"", a->u.s);
			else
				value_text(&sb, a);
		}
	}
	textview_kv(tv, 0, "command", sb.buf, ROLE_DEFAULT);
	strbuf_reset(&sb);
	if (run_attr_int(run, "exit_status", &n))
		strbuf_addf(&sb, "%lld", n);
	textview_kv(tv, 0, "exit_status", sb.buf, ROLE_DEFAULT);
	strbuf_reset(&sb);
	if (st == RUN_STATUS_RUNNING && (pid = run_lock_pid(run)) > 0)
		strbuf_addf(&sb, "%ld", (long)pid);
	textview_kv(tv, 0, "pid", sb.buf, ROLE_DEFAULT);
	strbuf_reset(&sb);
	run_attr_read(run, "sourcecode_digest", &digest, NULL);
	value_text(&sb, digest);
	if (sb.len > 0)
		textview_kv(tv, 0, "sourcecode_digest", sb.buf, ROLE_DEFAULT);
	textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "");

	if (run_attr_read(run, "flags", &flags, NULL) == 0 && flags != NULL &&
	    flags->type == VALUE_MAP && flags->u.map.n > 0) {
		value_map_sort(flags);
		textbuf_addf(&tv->buf, ROLE_HEADER, "%s", "flags:");
		for (i = 0; i < flags->u.map.n; i++) {
			strbuf_reset(&sb);
			value_format_flag(&sb, flags->u.map.v[i]);
			textview_kv(tv, 2, flags->u.map.k[i], sb.buf,
			    ROLE_DEFAULT);
		}
		textbuf_addf(&tv->buf, ROLE_DEFAULT, "%s", "");
	}
	add_scalars(tv, dir, p->w);
	strvec_clear(&ip->images);
	run_images(dir, &ip->images);
	if (ip->images.n > 0)
		textbuf_addf(&tv->buf, ROLE_HEADER, "images: %zu (v steps "
		    "through them)", ip->images.n);
	add_files(tv, dir);
	free(ip->dir);
	ip->dir = xstrdup(dir);

	value_free(flags);
	value_free(cmd);
	value_free(tags);
	value_free(label);
	value_free(marked);
	value_free(digest);
	strbuf_release(&sb);
	run_free(run);
	free(dir);
}

static void
info_init(struct pane *p, void *arg)
{
	struct infopane	*ip = p->priv;
	const char	**args = arg;

	ip->id = xstrdup(args[0]);
	ip->deleted = args[1] != NULL;
	textview_init(&ip->tv);
	p->w = p->view->cols;
	build(p);
}

static void
info_release(struct pane *p)
{
	struct infopane	*ip = p->priv;

	textview_release(&ip->tv);
	strvec_clear(&ip->images);
	free(ip->dir);
	free(ip->id);
}

static void
info_title(struct pane *p, struct strbuf *left, struct strbuf *right)
{
	struct infopane	*ip = p->priv;

	strbuf_addf(left, "Run %.8s%s", ip->id, ip->deleted ? " (deleted)" :
	    "");
	if (ip->live)
		strbuf_addstr(right, "live");
}

static size_t
info_count(struct pane *p)
{
	struct infopane	*ip = p->priv;

	return ip->tv.buf.n;
}

static void
info_draw(struct pane *p, int y, int x, int h, int w)
{
	struct infopane	*ip = p->priv;
	struct style	 dim = theme_style(ROLE_DIM);
	char		*path;
	size_t		 i;
	int		 tw, th, ty, used;

	/*
	 * Thumbnails in a column on the right when the text keeps 70
	 * columns, each under its name, as many as fit.
	 */
	tw = w - 72 > 40 ? 40 : w - 72;
	th = tw / 2 > 3 ? tw / 2 : 3;
	if (ip->images.n == 0 || ip->dir == NULL || tw < 16 || h < th + 1) {
		textview_draw(p, &ip->tv, y, x, h, w);
		return;
	}
	textview_draw(p, &ip->tv, y, x, h, w - tw - 1);
	draw_vline(y, x + w - tw - 1, h, theme_style(ROLE_BORDER));
	for (i = 0, ty = y; i < ip->images.n && ty + th + 1 <= y + h; i++) {
		draw_str_cut(ty, x + w - tw + 1, tw - 1, ip->images.v[i], dim);
		path = path_join(ip->dir, ip->images.v[i]);
		used = draw_thumbnail(path, ty + 1, x + w - tw + 1, th, tw - 2);
		free(path);
		ty += 1 + (used > 0 ? used : 1) + 1;
	}
}

static void
info_tick(struct pane *p)
{
	struct infopane	*ip = p->priv;

	if (ip->live) {
		build(p);
		view_dirty(p->view);
	}
}

static void
info_reload(struct pane *p, bool action)
{
	if (action) {
		build(p);
		view_dirty(p->view);
	}
}

static const struct run_row *
info_current(struct pane *p)
{
	struct infopane	*ip = p->priv;

	return view_find_run(p->view, ip->id, ip->deleted);
}

static bool
info_action(struct pane *p, enum action act)
{
	struct infopane	*ip = p->priv;

	switch (act) {
	case ACT_INFO:
	case ACT_ENTER:
		return true;
	case ACT_REFRESH:
		build(p);
		view_dirty(p->view);
		return true;
	default:
		return textview_action(p, &ip->tv, act);
	}
}

static const struct hint info_hints[] = {
	{ ACT_LABEL, "label" },
	{ ACT_TAG, "tag" },
	{ ACT_MARK, "mark" },
	{ ACT_STOP, "stop" },
	{ ACT_DELETE, "delete" },
	{ ACT_FILES, "files" },
	{ ACT_PLOT, "plot" },
	{ ACT_QUIT, "close" },
	{ ACT_NONE, NULL }
};

const struct pane_ops pane_info_ops = {
	.name = "info",
	.keymap = KEYMAP_INFO,
	.priv_size = sizeof (struct infopane),
	.hints = info_hints,
	.init = info_init,
	.release = info_release,
	.title = info_title,
	.count = info_count,
	.draw = info_draw,
	.action = info_action,
	.tick = info_tick,
	.reload = info_reload,
	.current_run = info_current,
};
