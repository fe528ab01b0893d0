/* runlist.c: the runs a pane shows (see runlist.h). */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "regex.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "runsel.h"
#include "strbuf.h"
#include "util.h"

static void
drop_filter(struct runlist *rl)
{
	runindex_filter_free(rl->rf);
	rl->rf = NULL;
}

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
	drop_filter(rl);
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

/* Rows read for the first screen, and per chunk after it. */
#define FIRST_PAGE	256
#define CHUNK		8192
/* New runs at the top are merged when there are at most this many. */
#define PEEK		128

static int
compile_filter(struct runlist *rl, char **cause)
{
	struct run_filter	f;

	drop_filter(rl);
	memset(&f, 0, sizeof f);
	f.expr = rl->expr;
	rl->rf = runindex_filter_new(&f, (int64_t)time(NULL), cause);
	return rl->rf != NULL ? 0 : -1;
}

static void
reset_rows(struct runlist *rl)
{
	run_rows_release(&rl->rows);
	rl->nvis = rl->applied = rl->running = rl->op_width = 0;
}

int
runlist_load(struct runlist *rl, char **cause)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	size_t		 total = 0;

	/* Stamp first: a change while we read is seen next time. */
	dir_stamp(rl->dir, &rl->dir_mtime);
	if (rl->rf == NULL && compile_filter(rl, cause) == -1)
		return -1;
	if (runindex_count(rl->idx, rl->deleted, rl->rf, &total,
	    cause) == -1 ||
	    runindex_page(rl->idx, rl->deleted, rl->rf, 0, FIRST_PAGE, 0,
	    &rows, NULL, cause) == -1) {
		run_rows_release(&rows);
		return -1;
	}
	reset_rows(rl);
	rl->rows = rows;
	rl->total = total > rows.n ? total : rows.n;
	rl->loading = rows.n < rl->total && rows.n == FIRST_PAGE;
	rl->generation++;
	runlist_apply(rl);
	return 0;
}

int
runlist_load_more(struct runlist *rl, char **cause)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	size_t		 i;

	if (!rl->loading)
		return 0;
	if (runindex_page(rl->idx, rl->deleted, rl->rf, rl->rows.n, CHUNK, 0,
	    &rows, NULL, cause) == -1) {
		run_rows_release(&rows);
		rl->loading = false;
		return -1;
	}
	for (i = 0; i < rows.n; i++)
		run_rows_push(&rl->rows, rows.v[i]);
	free(rows.v);
	if (rows.n < CHUNK || rl->rows.n >= rl->total) {
		rl->loading = false;
		rl->total = rl->rows.n;
	}
	rl->generation++;
	runlist_apply_more(rl);
	return 0;
}

/*
 * The runs directory changed. Mostly new runs were started: they are the
 * newest, so they go on top without reading everything again.
 */
static int
merge_new(struct runlist *rl, char **cause)
{
	struct run_rows	 fresh = RUN_ROWS_INIT;
	size_t		 total = 0, k, i;

	if (rl->loading || rl->rows.n == 0)
		return runlist_load(rl, cause);
	dir_stamp(rl->dir, &rl->dir_mtime);
	if (runindex_count(rl->idx, rl->deleted, rl->rf, &total,
	    cause) == -1 ||
	    runindex_page(rl->idx, rl->deleted, rl->rf, 0, PEEK, 0, &fresh,
	    NULL, cause) == -1) {
		run_rows_release(&fresh);
		return -1;
	}
	for (k = 0; k < fresh.n; k++)
		if (strcmp(fresh.v[k]->id, rl->rows.v[0]->id) == 0)
			break;
	/* Anything but runs added on top: read everything. */
	if (k == fresh.n || total != rl->total + k) {
		run_rows_release(&fresh);
		return runlist_load(rl, cause);
	}
	if (k > 0) {
		XGROW(rl->rows.v, rl->rows.alloc, rl->rows.n + k + 1);
		memmove(rl->rows.v + k, rl->rows.v,
		    rl->rows.n * sizeof *rl->rows.v);
		for (i = 0; i < k; i++)
			rl->rows.v[i] = fresh.v[i];
		rl->rows.n += k;
		rl->total = total;
	}
	for (i = k; i < fresh.n; i++)
		run_row_free(fresh.v[i]);
	free(fresh.v);
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
	    ts.tv_nsec != rl->dir_mtime.tv_nsec)
		return merge_new(rl, cause) == 0;
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
runlist_apply_more(struct runlist *rl)
{
	size_t	i, w;

	XGROW(rl->vis, rl->visalloc, rl->rows.n + 1);
	for (i = rl->applied; i < rl->rows.n; i++) {
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
	rl->applied = rl->rows.n;
}

void
runlist_apply(struct runlist *rl)
{
	rl->nvis = rl->applied = rl->running = rl->op_width = 0;
	runlist_apply_more(rl);
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
	char	*old = rl->expr;

	rl->expr = expr != NULL && *expr != '\0' ? xstrdup(expr) : NULL;
	if (compile_filter(rl, cause) == -1 || runlist_load(rl, cause) == -1) {
		free(rl->expr);
		rl->expr = old;
		compile_filter(rl, NULL);
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
runlist_select_ids(struct runlist *rl, const struct strvec *ids)
{
	size_t	i, j;

	for (i = 0; i < ids->n; i++)
		strvec_push(&rl->selected, ids->v[i]);
	strvec_sort(&rl->selected);
	/* Duplicates go: the list is kept sorted and unique. */
	for (i = j = 0; i < rl->selected.n; i++) {
		if (j > 0 && strcmp(rl->selected.v[j - 1],
		    rl->selected.v[i]) == 0) {
			free(rl->selected.v[i]);
			continue;
		}
		rl->selected.v[j++] = rl->selected.v[i];
	}
	rl->selected.n = j;
	rl->selected.v[j] = NULL;
}

void
runlist_clear_selection(struct runlist *rl)
{
	strvec_clear(&rl->selected);
}
