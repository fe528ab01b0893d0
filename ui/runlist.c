/* runlist.c: the runs a pane shows (see runlist.h). */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "regex.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "runsel.h"
#include "strbuf.h"
#include "util.h"

void
runlist_init(struct runlist *rl, struct runindex *idx, const char *dir,
    bool deleted)
{
	memset(rl, 0, sizeof *rl);
	rl->idx = idx;
	rl->dir = xstrdup(dir);
	rl->deleted = deleted;
}

void
runlist_release(struct runlist *rl)
{
	run_rows_release(&rl->rows);
	free(rl->vis);
	regex_free(rl->re);
	free(rl->expr);
	free(rl->model);
	free(rl->op);
	free(rl->project);
	free(rl->dir);
	strvec_clear(&rl->selected);
	memset(rl, 0, sizeof *rl);
}

static bool
unfinished(const struct run_row *row)
{
	return row->status == RUN_STATUS_RUNNING ||
	    row->status == RUN_STATUS_PENDING ||
	    row->status == RUN_STATUS_STAGED;
}

static void
dir_stamp(const char *dir, struct timespec *ts)
{
	struct stat	st;

	if (stat(dir, &st) == 0)
		*ts = st.st_mtim;
	else
		ts->tv_sec = ts->tv_nsec = 0;
}

int
runlist_load(struct runlist *rl, char **cause)
{
	struct run_filter	 f;
	struct run_rows		 rows = RUN_ROWS_INIT;
	int			 rc;

	/* Stamp first: a change while we read is seen next time. */
	dir_stamp(rl->dir, &rl->dir_mtime);
	memset(&f, 0, sizeof f);
	f.expr = rl->expr;
	rc = runsel_select(rl->idx, &f, NULL, NULL, rl->deleted, 0, &rows,
	    cause);
	if (rc == -1) {
		run_rows_release(&rows);
		return -1;
	}
	run_rows_release(&rl->rows);
	rl->rows = rows;
	rl->generation++;
	runlist_apply(rl);
	return 0;
}

bool
runlist_poll(struct runlist *rl, char **cause)
{
	struct timespec	 ts;
	bool		 changed = false;
	size_t		 i;

	dir_stamp(rl->dir, &ts);
	if (ts.tv_sec != rl->dir_mtime.tv_sec ||
	    ts.tv_nsec != rl->dir_mtime.tv_nsec) {
		if (runlist_load(rl, cause) == -1)
			return false;
		return true;
	}
	for (i = 0; i < rl->rows.n; i++) {
		struct run_row	*row = rl->rows.v[i];
		enum run_status	 st = row->status;
		int64_t		 started = row->started;

		if (!unfinished(row))
			continue;
		if (runindex_update(rl->idx, row->id, rl->deleted, row,
		    NULL) == -1)
			continue;
		if (row->status != st || row->started != started)
			changed = true;
	}
	if (changed) {
		rl->generation++;
		runlist_apply(rl);
	}
	return changed;
}

/* The text the pattern filter searches: operation, label, tags. */
static bool
pattern_matches(struct runlist *rl, const struct run_row *row)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;
	bool		 m;

	strbuf_addstr(&sb, row->op_desc != NULL ? row->op_desc : "");
	strbuf_addch(&sb, ' ');
	strbuf_addstr(&sb, row->label != NULL ? row->label : "");
	for (i = 0; i < row->tags.n; i++) {
		strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, row->tags.v[i]);
	}
	m = regex_match(rl->re, sb.buf, sb.len);
	strbuf_release(&sb);
	return m;
}

static bool
row_shown(struct runlist *rl, const struct run_row *row)
{
	if (rl->project != NULL &&
	    (row->pkg_name == NULL || strcmp(row->pkg_name, rl->project) != 0))
		return false;
	if (rl->model != NULL &&
	    (row->model == NULL || strcmp(row->model, rl->model) != 0))
		return false;
	if (rl->op != NULL &&
	    (row->op == NULL || strcmp(row->op, rl->op) != 0))
		return false;
	if (rl->re != NULL && !pattern_matches(rl, row))
		return false;
	return true;
}

void
runlist_apply(struct runlist *rl)
{
	size_t	i, w;

	free(rl->vis);
	rl->vis = xcalloc(rl->rows.n + 1, sizeof *rl->vis);
	rl->nvis = 0;
	rl->running = 0;
	rl->op_width = 0;
	for (i = 0; i < rl->rows.n; i++) {
		const struct run_row	*row = rl->rows.v[i];

		if (unfinished(row))
			rl->running++;
		if (!row_shown(rl, row))
			continue;
		rl->vis[rl->nvis++] = i;
		/* The view adds "./" for the current project: room for it. */
		w = utf8_width(row->op_desc != NULL ? row->op_desc : "") + 2;
		if (w > rl->op_width)
			rl->op_width = w;
	}
}

int
runlist_set_pattern(struct runlist *rl, const char *pattern, char **cause)
{
	struct regex	*re = NULL;

	if (pattern != NULL && *pattern != '\0') {
		if ((re = regex_new(pattern, REGEX_SMARTCASE, cause)) == NULL)
			return -1;
	}
	regex_free(rl->re);
	rl->re = re;
	runlist_apply(rl);
	return 0;
}

int
runlist_set_expr(struct runlist *rl, const char *expr, char **cause)
{
	struct run_filter	 f;
	char			*old = rl->expr;

	if (expr != NULL && *expr != '\0') {
		memset(&f, 0, sizeof f);
		f.expr = (char *)expr;
		if (runsel_filter_check(&f, cause) == -1)
			return -1;
		rl->expr = xstrdup(expr);
	} else
		rl->expr = NULL;
	if (runlist_load(rl, cause) == -1) {
		free(rl->expr);
		rl->expr = old;
		return -1;
	}
	free(old);
	return 0;
}

struct run_row *
runlist_row(const struct runlist *rl, size_t i)
{
	return i < rl->nvis ? rl->rows.v[rl->vis[i]] : NULL;
}

size_t
runlist_number(const struct runlist *rl, size_t i)
{
	return i < rl->nvis ? rl->vis[i] : 0;
}

long
runlist_find(const struct runlist *rl, const char *id)
{
	size_t	i, len = strlen(id);
	long	found = -1;

	if (len == 0)
		return -1;
	for (i = 0; i < rl->nvis; i++) {
		const struct run_row	*row = rl->rows.v[rl->vis[i]];

		if (strcmp(row->id, id) == 0)
			return (long)i;
		if (strncmp(row->id, id, len) == 0)
			found = found == -1 ? (long)i : -2;
	}
	return found < 0 ? -1 : found;
}

static int
id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool
runlist_is_selected(const struct runlist *rl, const char *id)
{
	if (rl->selected.n == 0)
		return false;
	return bsearch(&id, rl->selected.v, rl->selected.n, sizeof (char *),
	    id_cmp) != NULL;
}

void
runlist_toggle(struct runlist *rl, const char *id)
{
	long	i = strvec_find(&rl->selected, id);

	if (i >= 0) {
		free(rl->selected.v[i]);
		memmove(&rl->selected.v[i], &rl->selected.v[i + 1],
		    (rl->selected.n - (size_t)i) * sizeof (char *));
		rl->selected.n--;
		return;
	}
	strvec_push(&rl->selected, id);
	strvec_sort(&rl->selected);
}

void
runlist_select_all(struct runlist *rl)
{
	size_t	i;

	strvec_clear(&rl->selected);
	for (i = 0; i < rl->nvis; i++)
		strvec_push(&rl->selected, rl->rows.v[rl->vis[i]]->id);
	strvec_sort(&rl->selected);
}

void
runlist_clear_selection(struct runlist *rl)
{
	strvec_clear(&rl->selected);
}
