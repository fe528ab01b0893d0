/* runlist.c: the runs a pane shows, a page at a time (see runlist.h). */
#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "format.h"
#include "regex.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "runsel.h"
#include "scalars.h"
#include "strbuf.h"
#include "util.h"

/* Rows per page, and pages kept: at most 16,384 rows in memory. */
#define PAGE_ROWS	256
#define MAX_PAGES	64
/* Rows per query when every run is read (few queries: OFFSET is linear). */
#define SCAN_ROWS	8192

struct rpage {
	struct run_rows	rows;
	uint64_t	used;
};

/*
 * What the view's filters look at, for every run: kept by id, so that
 * runs added meanwhile (a cold index read, a run started) do not make
 * the filter start again.
 */
struct rmeta {
	char		*id;		/* the run at this place, or NULL */
	const char	*pkg;		/* interned */
	const char	*model;
	const char	*op;
	char		*text;		/* operation, label and tags */
	bool		 known;		/* the digest is read */
	bool		 shown;		/* and passes the filters */
};

static void
dir_stamp(const char *dir, struct timespec *ts)
{
	struct stat	st;

	if (stat(dir, &st) == 0)
		*ts = st.st_mtim;
	else
		ts->tv_sec = ts->tv_nsec = 0;
}

void
runlist_init(struct runlist *rl, struct runindex *idx, const char *dir,
    bool deleted)
{
	const char	*env;

	memset(rl, 0, sizeof *rl);
	rl->idx = idx;
	rl->dir = xstrdup(dir);
	rl->deleted = deleted;
	if ((env = getenv("GUILD_TEST_SLOW_US")) != NULL)
		rl->test_slow_us = strtoul(env, NULL, 10);
}

static void
drop_pages(struct runlist *rl)
{
	size_t	i;

	for (i = 0; i < rl->npages; i++) {
		if (rl->pages[i] == NULL)
			continue;
		run_rows_release(&rl->pages[i]->rows);
		free(rl->pages[i]);
		rl->pages[i] = NULL;
	}
	rl->nloaded = 0;
}

static void
drop_meta(struct runlist *rl)
{
	size_t	i;

	for (i = 0; rl->meta != NULL && i < rl->nmetas; i++) {
		free(rl->meta[i].id);
		free(rl->meta[i].text);
	}
	free(rl->meta);
	rl->meta = NULL;
	rl->nmeta = rl->nmetas = rl->scan_at = 0;
}

static void
drop_metric(struct runlist *rl)
{
	free(rl->mval);
	rl->mval = NULL;
	rl->nmval = 0;
	free(rl->perm);
	rl->perm = NULL;
	rl->nperm = 0;
}

void
runlist_release(struct runlist *rl)
{
	drop_pages(rl);
	drop_metric(rl);
	free(rl->metric);
	free(rl->pages);
	drop_meta(rl);
	free(rl->vis);
	runindex_filter_free(rl->rf);
	runindex_filter_free(rl->rf_live);
	regex_free(rl->re);
	free(rl->expr);
	free(rl->model);
	free(rl->op);
	free(rl->project);
	free(rl->dir);
	strvec_clear(&rl->selected);
	strvec_clear(&rl->interned);
	strvec_clear(&rl->live);
	memset(rl, 0, sizeof *rl);
}

/* The few distinct projects, models and operations, stored once. */
static const char *
intern(struct runlist *rl, const char *s)
{
	long	i;

	if (s == NULL)
		s = "";
	if ((i = strvec_find(&rl->interned, s)) >= 0)
		return rl->interned.v[i];
	strvec_push(&rl->interned, s);
	return rl->interned.v[rl->interned.n - 1];
}

static int
compile_filters(struct runlist *rl, char **cause)
{
	struct run_filter	f;

	runindex_filter_free(rl->rf);
	rl->rf = NULL;
	memset(&f, 0, sizeof f);
	f.expr = rl->expr;
	if ((rl->rf = runindex_filter_new(&f, (int64_t)time(NULL),
	    cause)) == NULL)
		return -1;
	if (rl->rf_live == NULL) {
		memset(&f, 0, sizeof f);
		f.status = 1u << RUN_STATUS_RUNNING | 1u << RUN_STATUS_PENDING |
		    1u << RUN_STATUS_STAGED;
		if ((rl->rf_live = runindex_filter_new(&f, (int64_t)time(NULL),
		    cause)) == NULL)
			return -1;
	}
	return 0;
}

static void
evict(struct runlist *rl)
{
	size_t	i, lru = rl->npages;

	for (i = 0; i < rl->npages; i++) {
		if (rl->pages[i] == NULL)
			continue;
		if (lru == rl->npages || rl->pages[i]->used <
		    rl->pages[lru]->used)
			lru = i;
	}
	if (lru == rl->npages)
		return;
	run_rows_release(&rl->pages[lru]->rows);
	free(rl->pages[lru]);
	rl->pages[lru] = NULL;
	rl->nloaded--;
}

static struct rpage *
load_page(struct runlist *rl, size_t pg)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct rpage	*p;
	size_t		 i, w;

	if (rl->nloaded >= MAX_PAGES)
		evict(rl);
	p = xcalloc(1, sizeof *p);
	/* The metric column's values come with the rows. */
	if (runindex_page(rl->idx, rl->deleted, rl->rf, pg * PAGE_ROWS,
	    PAGE_ROWS, rl->metric != NULL ? RUNINDEX_SCALARS : 0, &p->rows,
	    NULL, NULL) == -1) {
		run_rows_release(&p->rows);
		free(p);
		return NULL;
	}
	for (i = 0; i < p->rows.n; i++) {
		strbuf_reset(&sb);
		format_op(&sb, p->rows.v[i]);
		w = utf8_width(sb.buf);
		if (w > rl->op_width)
			rl->op_width = w;
	}
	strbuf_release(&sb);
	rl->pages[pg] = p;
	rl->nloaded++;
	return p;
}

/* Row abs of the index's selection. */
static struct run_row *
row_abs(struct runlist *rl, size_t abs)
{
	struct rpage	*p;
	size_t		 pg = abs / PAGE_ROWS;

	if (abs >= rl->total || pg >= rl->npages)
		return NULL;
	if ((p = rl->pages[pg]) == NULL && (p = load_page(rl, pg)) == NULL)
		return NULL;
	p->used = ++rl->clock;
	if (abs % PAGE_ROWS >= p->rows.n)
		return NULL;
	return p->rows.v[abs % PAGE_ROWS];
}

bool
runlist_filtered(const struct runlist *rl)
{
	return rl->re != NULL || rl->model != NULL || rl->project != NULL;
}

/*
 * Call fn for every run of the selection, in order, a big chunk at a
 * time (the chunk is freed after): for what needs every run once.
 */
static void
scan_all(struct runlist *rl, unsigned what, void (*fn)(struct runlist *,
    size_t, const struct run_row *, void *), void *arg)
{
	struct run_rows	rows = RUN_ROWS_INIT;
	size_t		off = 0, i;

	for (;;) {
		if (runindex_page(rl->idx, rl->deleted, rl->rf, off, SCAN_ROWS,
		    what, &rows, NULL, NULL) == -1 || rows.n == 0) {
			run_rows_release(&rows);
			return;
		}
		for (i = 0; i < rows.n; i++)
			fn(rl, off + i, rows.v[i], arg);
		off += rows.n;
		i = rows.n;
		run_rows_release(&rows);
		if (i < SCAN_ROWS)
			return;
	}
}

static bool
meta_shown(struct runlist *rl, const struct rmeta *m)
{
	if (rl->project != NULL && strcmp(m->pkg, rl->project) != 0)
		return false;
	if (rl->model != NULL && strcmp(m->model, rl->model) != 0)
		return false;
	if (rl->op != NULL && strcmp(m->op, rl->op) != 0)
		return false;
	if (rl->re != NULL && !regex_match(rl->re, m->text, strlen(m->text)))
		return false;
	return true;
}

double
runlist_metric(const struct runlist *rl, const struct run_row *row)
{
	const struct scalar_stats	*st;

	if (rl->metric == NULL || row == NULL || row->scalars == NULL ||
	    (st = scalars_summary_lookup(row->scalars, rl->metric)) == NULL)
		return NAN;
	switch (rl->metric_stat) {
	case RUNLIST_MIN:
		return st->min.value;
	case RUNLIST_MAX:
		return st->max.value;
	default:
		return st->last.value;
	}
}

static void
mval_add(struct runlist *rl, size_t i, const struct run_row *row, void *arg)
{
	if (i < rl->nmval)
		rl->mval[i] = runlist_metric(rl, row);
}

/* Whether row abs of the index's selection is shown (view filters). */
static bool	 runlist_shown_abs(const struct runlist *, size_t abs);
static const struct runlist *perm_ctx;

/* By the metric, runs without one last either way; then newest first. */
static int
perm_cmp(const void *a, const void *b)
{
	size_t	x = *(const size_t *)a, y = *(const size_t *)b;
	double	vx = perm_ctx->mval[x], vy = perm_ctx->mval[y];

	if (isnan(vx) || isnan(vy)) {
		if (!isnan(vx))
			return -1;
		if (!isnan(vy))
			return 1;
	} else if (vx != vy)
		return (vx < vy ? -1 : 1) * perm_ctx->sort;
	return x < y ? -1 : x > y;
}

/* The order shown when sorted: every metric value read once. */
static void
build_perm(struct runlist *rl)
{
	size_t	i;

	free(rl->perm);
	rl->perm = NULL;
	rl->nperm = 0;
	if (rl->sort == 0 || rl->metric == NULL)
		return;
	if (rl->mval == NULL) {
		rl->nmval = rl->total;
		rl->mval = xcalloc(rl->nmval + 1, sizeof *rl->mval);
		for (i = 0; i < rl->nmval; i++)
			rl->mval[i] = NAN;
		scan_all(rl, RUNINDEX_SCALARS, mval_add, NULL);
	}
	rl->perm = xcalloc(rl->total + 1, sizeof *rl->perm);
	for (i = 0; i < rl->total; i++)
		if (runlist_shown_abs(rl, i))
			rl->perm[rl->nperm++] = i;
	perm_ctx = rl;
	qsort(rl->perm, rl->nperm, sizeof *rl->perm, perm_cmp);
	perm_ctx = NULL;
}

/* What the filters match a run's text against: operation, label, tags. */
static void
meta_text(struct strbuf *sb, const struct run_row *row)
{
	size_t	j;

	strbuf_reset(sb);
	strbuf_addstr(sb, row->op_desc != NULL ? row->op_desc : "");
	strbuf_addch(sb, ' ');
	strbuf_addstr(sb, row->label != NULL ? row->label : "");
	for (j = 0; j < row->tags.n; j++) {
		strbuf_addch(sb, ' ');
		strbuf_addstr(sb, row->tags.v[j]);
	}
}

static void
meta_set(struct runlist *rl, size_t i, const struct run_row *row,
    struct strbuf *sb)
{
	struct rmeta	*m = &rl->meta[i];

	meta_text(sb, row);
	if (m->id == NULL)
		m->id = xstrdup(row->id);
	m->pkg = intern(rl, row->pkg_name);
	m->model = intern(rl, row->model);
	m->op = intern(rl, row->op);
	free(m->text);
	m->text = xstrdup(sb->buf);
	m->known = true;
	m->shown = meta_shown(rl, m);
	rl->nmeta++;
}

bool
runlist_shows(struct runlist *rl, const struct run_row *row)
{
	struct strbuf	sb = STRBUF_INIT;
	struct rmeta	m;
	bool		shown;

	if (!runlist_filtered(rl))
		return true;
	meta_text(&sb, row);
	memset(&m, 0, sizeof m);
	m.pkg = row->pkg_name != NULL ? row->pkg_name : "";
	m.model = row->model != NULL ? row->model : "";
	m.op = row->op != NULL ? row->op : "";
	m.text = sb.buf;
	shown = meta_shown(rl, &m);
	strbuf_release(&sb);
	return shown;
}

/* The rows shown: those whose digest is read and passes, in order. */
static void
vis_build(struct runlist *rl)
{
	size_t	i;

	rl->nvis = 0;
	for (i = 0; i < rl->nmetas && i < rl->total; i++)
		if (rl->meta[i].known && rl->meta[i].shown)
			rl->vis[rl->nvis++] = i;
}

/* A test hook: reading a run takes this long more (GUILD_TEST_SLOW_US). */
static void
test_slow(const struct runlist *rl)
{
	struct timespec	ts;

	if (rl->test_slow_us == 0)
		return;
	ts.tv_sec = (time_t)(rl->test_slow_us / 1000000);
	ts.tv_nsec = (long)(rl->test_slow_us % 1000000) * 1000;
	nanosleep(&ts, NULL);
}

static int
meta_id_cmp(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct rmeta *const *)elem)->id);
}

static int
meta_ptr_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct rmeta *const *)a)->id,
	    (*(const struct rmeta *const *)b)->id);
}

/*
 * Take the index's selection again (its ids, in order): the runs whose
 * digest was read keep it wherever they are now, so what a filter read
 * is never read again and its progress never goes back. -1 when the
 * ids cannot be read (the digests are then dropped).
 */
static int
resnap(struct runlist *rl, char **cause)
{
	struct strvec	  ids = STRVEC_INIT;
	struct rmeta	 *meta, **byid, **at;
	size_t		  i, n = 0;

	if (runindex_filter_ids(rl->idx, rl->deleted, rl->rf, &ids,
	    cause) == -1) {
		strvec_clear(&ids);
		drop_meta(rl);
		return -1;
	}
	byid = xcalloc(rl->nmetas + 1, sizeof *byid);
	for (i = 0; rl->meta != NULL && i < rl->nmetas; i++)
		if (rl->meta[i].known && rl->meta[i].id != NULL)
			byid[n++] = &rl->meta[i];
	qsort(byid, n, sizeof *byid, meta_ptr_cmp);
	meta = xcalloc(ids.n + 1, sizeof *meta);
	rl->nmeta = 0;
	for (i = 0; i < ids.n; i++) {
		meta[i].id = ids.v[i];
		ids.v[i] = NULL;
		at = n == 0 ? NULL : bsearch(meta[i].id, byid, n,
		    sizeof *byid, meta_id_cmp);
		if (at == NULL || (*at)->text == NULL)
			continue;
		meta[i].pkg = (*at)->pkg;
		meta[i].model = (*at)->model;
		meta[i].op = (*at)->op;
		meta[i].text = (*at)->text;
		(*at)->text = NULL;
		meta[i].known = true;
		meta[i].shown = meta_shown(rl, &meta[i]);
		rl->nmeta++;
	}
	free(byid);
	for (i = 0; rl->meta != NULL && i < rl->nmetas; i++) {
		free(rl->meta[i].id);
		free(rl->meta[i].text);
	}
	free(rl->meta);
	rl->meta = meta;
	rl->nmetas = ids.n;
	rl->scan_at = 0;
	strvec_clear(&ids);
	/* The selection is what the ids say now. */
	drop_pages(rl);
	rl->total = rl->nmetas;
	rl->npages = (rl->total + PAGE_ROWS - 1) / PAGE_ROWS;
	free(rl->pages);
	rl->pages = xcalloc(rl->npages + 1, sizeof *rl->pages);
	free(rl->vis);
	rl->vis = xcalloc(rl->total + 1, sizeof *rl->vis);
	vis_build(rl);
	rl->generation++;
	return 0;
}

/* Places of the runs the index lost meanwhile: they match nothing. */
static void
meta_lost(struct runlist *rl, size_t from)
{
	size_t	i;

	for (i = from; i < rl->nmetas; i++) {
		if (rl->meta[i].known)
			continue;
		rl->meta[i].pkg = rl->meta[i].model = rl->meta[i].op =
		    intern(rl, "");
		free(rl->meta[i].text);
		rl->meta[i].text = xstrdup("");
		rl->meta[i].known = true;
		rl->meta[i].shown = false;
		rl->nmeta++;
	}
}

/*
 * Read the digests of the next runs not read, for about budget_ms: a
 * chunk sized from how fast the last went (reading a run checks its
 * files). Rows come by position; one that is not the run expected
 * there (the index changed since the list was taken) takes the
 * selection again, keeping what was read. -1 when the index cannot
 * be read.
 */
static int
meta_step(struct runlist *rl, unsigned budget_ms)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	uint64_t	 t0 = mono_ms(), ms;
	size_t		 i, want, at;

	if (rl->scan_rows == 0)
		rl->scan_rows = 64;
	while (rl->scan_at < rl->nmetas && rl->meta[rl->scan_at].known)
		rl->scan_at++;
	if (rl->scan_at >= rl->nmetas)
		return 0;
	want = rl->scan_rows;
	if (want > rl->nmetas - rl->scan_at)
		want = rl->nmetas - rl->scan_at;
	if (runindex_page(rl->idx, rl->deleted, rl->rf, rl->scan_at, want, 0,
	    &rows, NULL, NULL) == -1 || rows.n == 0) {
		meta_lost(rl, rl->scan_at);
		run_rows_release(&rows);
		return 0;
	}
	for (i = 0; i < rows.n; i++) {
		at = rl->scan_at + i;
		if (at >= rl->nmetas)
			break;
		if (rl->meta[at].id != NULL &&
		    strcmp(rl->meta[at].id, rows.v[i]->id) != 0) {
			/* Moved: find the places again, then go on. */
			run_rows_release(&rows);
			strbuf_release(&sb);
			return resnap(rl, NULL);
		}
		if (rl->meta[at].known)
			continue;
		meta_set(rl, at, rows.v[i], &sb);
		test_slow(rl);
	}
	rl->scan_at += i;
	run_rows_release(&rows);
	strbuf_release(&sb);
	ms = mono_ms() - t0;
	if (budget_ms == 0)
		rl->scan_rows = SCAN_ROWS;
	else if (ms * 2 < budget_ms && rl->scan_rows < SCAN_ROWS)
		rl->scan_rows *= 2;
	else if (ms > budget_ms && rl->scan_rows > 16)
		rl->scan_rows /= 2;
	return 0;
}

/*
 * The rows shown, after the view's filters: those of the runs whose
 * digest was read (runlist_step() reads the others), then put in the
 * metric's order when sorted.
 */
static void
apply(struct runlist *rl)
{
	size_t	i;

	free(rl->vis);
	rl->vis = NULL;
	rl->nvis = 0;
	if (runlist_filtered(rl)) {
		/* The places of the runs, to read digests into by id. */
		if (rl->meta == NULL && resnap(rl, NULL) == -1) {
			rl->meta = xcalloc(rl->total + 1, sizeof *rl->meta);
			rl->nmetas = rl->total;
		}
		for (i = 0; i < rl->nmetas; i++)
			if (rl->meta[i].known)
				rl->meta[i].shown = meta_shown(rl,
				    &rl->meta[i]);
		free(rl->vis);
		rl->vis = xcalloc(rl->total + 1, sizeof *rl->vis);
		vis_build(rl);
	}
	build_perm(rl);
}

bool
runlist_busy(const struct runlist *rl, size_t *done, size_t *total)
{
	if (!runlist_filtered(rl) || rl->meta == NULL ||
	    rl->nmeta >= rl->nmetas)
		return false;
	if (done != NULL)
		*done = rl->nmeta;
	if (total != NULL)
		*total = rl->nmetas;
	return true;
}

bool
runlist_step(struct runlist *rl, unsigned budget_ms)
{
	uint64_t	deadline = mono_ms() + budget_ms;
	size_t		before = rl->nvis;

	if (!runlist_busy(rl, NULL, NULL))
		return false;
	do {
		if (meta_step(rl, budget_ms) == -1) {
			/* Nothing could be read: what is left matches none. */
			meta_lost(rl, 0);
			break;
		}
	} while (runlist_busy(rl, NULL, NULL) && (budget_ms == 0 ||
	    mono_ms() < deadline));
	vis_build(rl);
	if (rl->nvis != before) {
		/* Runs newly known to pass take their place in the order. */
		build_perm(rl);
		rl->generation++;
	}
	return runlist_busy(rl, NULL, NULL);
}

void
runlist_finish(struct runlist *rl)
{
	while (runlist_step(rl, 0))
		;
}

/* The unfinished runs: their count, and whether any changed. */
static bool
poll_live(struct runlist *rl, char **cause)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	struct strvec	 now = STRVEC_INIT;
	size_t		 i;
	bool		 changed;

	if (runindex_page(rl->idx, rl->deleted, rl->rf_live, 0, 0, 0, &rows,
	    NULL, cause) == -1) {
		run_rows_release(&rows);
		return false;
	}
	for (i = 0; i < rows.n; i++)
		strvec_pushf(&now, "%s %d %lld", rows.v[i]->id,
		    (int)rows.v[i]->status, (long long)rows.v[i]->started);
	strvec_sort(&now);
	changed = now.n != rl->live.n;
	for (i = 0; !changed && i < now.n; i++)
		changed = strcmp(now.v[i], rl->live.v[i]) != 0;
	strvec_clear(&rl->live);
	rl->live = now;
	rl->running = rows.n;
	run_rows_release(&rows);
	return changed;
}

int
runlist_load(struct runlist *rl, char **cause)
{
	size_t	total = 0;

	/* Stamps first: a change while we read is seen next time. */
	dir_stamp(rl->dir, &rl->dir_mtime);
	if (runindex_count(rl->idx, rl->deleted, NULL, &rl->indexed,
	    cause) == -1)
		return -1;
	if (rl->rf == NULL && compile_filters(rl, cause) == -1)
		return -1;
	if (runindex_count(rl->idx, rl->deleted, rl->rf, &total, cause) == -1)
		return -1;
	drop_pages(rl);
	drop_meta(rl);
	drop_metric(rl);
	rl->total = total;
	rl->npages = (total + PAGE_ROWS - 1) / PAGE_ROWS;
	free(rl->pages);
	rl->pages = xcalloc(rl->npages + 1, sizeof *rl->pages);
	rl->op_width = 0;
	poll_live(rl, NULL);
	apply(rl);
	rl->generation++;
	return 0;
}

int
runlist_update(struct runlist *rl, char **cause)
{
	/* Nothing read to keep: counting again is all. */
	if (!runlist_filtered(rl) || rl->meta == NULL || rl->rf == NULL)
		return runlist_load(rl, cause);
	dir_stamp(rl->dir, &rl->dir_mtime);
	if (runindex_count(rl->idx, rl->deleted, NULL, &rl->indexed,
	    cause) == -1)
		return -1;
	if (resnap(rl, NULL) == -1)
		return runlist_load(rl, cause);
	drop_metric(rl);
	poll_live(rl, NULL);
	apply(rl);
	rl->generation++;
	return 0;
}

bool
runlist_poll(struct runlist *rl, char **cause)
{
	struct timespec	ts;
	size_t		n;

	dir_stamp(rl->dir, &ts);
	if (ts.tv_sec != rl->dir_mtime.tv_sec ||
	    ts.tv_nsec != rl->dir_mtime.tv_nsec)
		return runlist_update(rl, cause) == 0;
	/* Runs the index found without a new directory time. */
	if (runindex_count(rl->idx, rl->deleted, NULL, &n, cause) == -1)
		return false;
	if (n != rl->indexed)
		return runlist_update(rl, cause) == 0;
	if (rl->rf == NULL || !poll_live(rl, cause))
		return false;
	/*
	 * Statuses and start times moved: read rows again as needed; the
	 * filters' digests stay (runs keep their operation and label).
	 */
	drop_pages(rl);
	/* Digests not kept up to date by place would land on other runs. */
	if (rl->meta != NULL && (!runlist_filtered(rl) ||
	    resnap(rl, NULL) == -1))
		drop_meta(rl);
	if (runlist_filtered(rl) || rl->sort != 0) {
		drop_metric(rl);
		apply(rl);
	}
	rl->generation++;
	return true;
}

static bool
sorted(const struct runlist *rl)
{
	return rl->perm != NULL;
}

size_t
runlist_count(const struct runlist *rl)
{
	if (sorted(rl))
		return rl->nperm;
	return runlist_filtered(rl) ? rl->nvis : rl->total;
}

size_t
runlist_total(const struct runlist *rl)
{
	return rl->total;
}

size_t
runlist_running(const struct runlist *rl)
{
	return rl->running;
}

size_t
runlist_op_width(const struct runlist *rl)
{
	return rl->op_width;
}

size_t
runlist_number(const struct runlist *rl, size_t i)
{
	if (sorted(rl))
		return i < rl->nperm ? rl->perm[i] : 0;
	if (!runlist_filtered(rl))
		return i;
	return i < rl->nvis ? rl->vis[i] : 0;
}

struct run_row *
runlist_row(struct runlist *rl, size_t i)
{
	if (i >= runlist_count(rl))
		return NULL;
	return row_abs(rl, runlist_number(rl, i));
}

/* The position of a run in the index's selection, or -1. */
static long
find_abs(struct runlist *rl, const char *id)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	size_t		 pg, i, len = strlen(id);
	long		 abs = -1;

	if (len == 0 || rl->rf == NULL)
		return -1;
	/* What is in memory first: the rows around the screen. */
	for (pg = 0; pg < rl->npages; pg++) {
		struct rpage	*p = rl->pages[pg];

		for (i = 0; p != NULL && i < p->rows.n; i++)
			if (strcmp(p->rows.v[i]->id, id) == 0)
				return (long)(pg * PAGE_ROWS + i);
	}
	if (runindex_prefix(rl->idx, rl->deleted, rl->rf, id, 0, &rows, NULL,
	    NULL) == 0 && rows.n == 1 && rows.v[0]->index >= 0)
		abs = rows.v[0]->index;
	run_rows_release(&rows);
	return abs;
}

static int
size_cmp(const void *a, const void *b)
{
	size_t	x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static bool
runlist_shown_abs(const struct runlist *rl, size_t abs)
{
	if (!runlist_filtered(rl))
		return abs < rl->total;
	return bsearch(&abs, rl->vis, rl->nvis, sizeof *rl->vis,
	    size_cmp) != NULL;
}

long
runlist_find(struct runlist *rl, const char *id)
{
	long	 abs = find_abs(rl, id);
	size_t	 key, *at, i;

	if (abs >= 0 && sorted(rl)) {
		for (i = 0; i < rl->nperm; i++)
			if (rl->perm[i] == (size_t)abs)
				return (long)i;
		return -1;
	}
	if (abs < 0 || !runlist_filtered(rl))
		return abs;
	key = (size_t)abs;
	at = bsearch(&key, rl->vis, rl->nvis, sizeof *rl->vis, size_cmp);
	return at != NULL ? (long)(at - rl->vis) : -1;
}

struct run_row *
runlist_get(struct runlist *rl, const char *id)
{
	long		 abs = find_abs(rl, id);
	struct run_row	*row;

	if (abs < 0 || (row = row_abs(rl, (size_t)abs)) == NULL)
		return NULL;
	/* A prefix finds the run, but only the whole id is the run. */
	return strcmp(row->id, id) == 0 ? row : NULL;
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
	apply(rl);
	rl->generation++;
	return 0;
}

int
runlist_set_expr(struct runlist *rl, const char *expr, char **cause)
{
	char	*old = rl->expr;

	rl->expr = expr != NULL && *expr != '\0' ? xstrdup(expr) : NULL;
	if (compile_filters(rl, cause) == -1 || runlist_load(rl, cause) == -1) {
		free(rl->expr);
		rl->expr = old;
		compile_filters(rl, NULL);
		runlist_load(rl, NULL);
		return -1;
	}
	free(old);
	return 0;
}

static void
set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s != NULL ? xstrdup(s) : NULL;
}

void
runlist_set_op(struct runlist *rl, const char *project, const char *model,
    const char *op)
{
	set_str(&rl->project, model != NULL ? project : NULL);
	set_str(&rl->model, model);
	set_str(&rl->op, model != NULL ? op : NULL);
	apply(rl);
	rl->generation++;
}

void
runlist_set_metric(struct runlist *rl, const char *scalar, int stat)
{
	set_str(&rl->metric, scalar);
	rl->metric_stat = stat;
	/* A new metric starts unsorted: "best" meant the old one's best. */
	rl->sort = 0;
	/* Rows read without scalars are read again with them. */
	drop_pages(rl);
	drop_metric(rl);
	apply(rl);
	rl->generation++;
}

void
runlist_set_sort(struct runlist *rl, int sort)
{
	rl->sort = rl->metric != NULL ? sort : 0;
	apply(rl);
	rl->generation++;
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
	char	**at;
	size_t	  i;

	if (rl->selected.n > 0 && (at = bsearch(&id, rl->selected.v,
	    rl->selected.n, sizeof (char *), id_cmp)) != NULL) {
		i = (size_t)(at - rl->selected.v);
		free(rl->selected.v[i]);
		memmove(&rl->selected.v[i], &rl->selected.v[i + 1],
		    (rl->selected.n - i) * sizeof (char *));
		rl->selected.n--;
		return;
	}
	strvec_push(&rl->selected, id);
	strvec_sort(&rl->selected);
}

static void
select_add(struct runlist *rl, size_t i, const struct run_row *row,
    void *arg)
{
	strvec_push(&rl->selected, row->id);
}

void
runlist_select_all(struct runlist *rl)
{
	struct run_row	*row;
	size_t		 i, n = runlist_count(rl);

	strvec_clear(&rl->selected);
	if (!runlist_filtered(rl))
		scan_all(rl, 0, select_add, NULL);
	else {
		for (i = 0; i < n; i++)
			if ((row = runlist_row(rl, i)) != NULL)
				strvec_push(&rl->selected, row->id);
	}
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
	if (rl->selected.v != NULL)
		rl->selected.v[j] = NULL;
}

void
runlist_clear_selection(struct runlist *rl)
{
	strvec_clear(&rl->selected);
}
