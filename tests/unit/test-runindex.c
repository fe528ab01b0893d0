/*
 * test-runindex.c: the run index against run directories changed behind
 * its back: added, removed, rewritten in place (as Guild AI does), dead
 * processes, a deleted or corrupt index, an unwritable cache, and many
 * processes at once.
 */
#include "common.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "home.h"
#include "run.h"
#include "runindex.h"
#include "runsel.h"
#include "scalars.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "util.h"
#include "value.h"

#include "runfixture.h"

static struct guild_home	*home;
static char			*root;

static struct runindex *
open_index(void)
{
	struct runindex	*ri;
	char		*cause = NULL;

	if ((ri = runindex_open(home, &cause)) == NULL) {
		diag("open: %s", cause);
		free(cause);
	}
	return ri;
}

/* "id8 status label" per row, newest first, as one string. */
static char *
listing(struct runindex *ri, bool deleted, unsigned what)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	char		*cause = NULL;
	size_t		 i;

	if (runindex_rows(ri, deleted, what, &rows, &cause) == -1) {
		diag("rows: %s", cause);
		free(cause);
		return xstrdup("(error)");
	}
	for (i = 0; i < rows.n; i++) {
		struct run_row	*r = rows.v[i];

		strbuf_addf(&sb, "%s%.8s %s %s", i > 0 ? "\n" : "", r->id,
		    run_status_name(r->status), r->label);
	}
	run_rows_release(&rows);
	return strbuf_detach(&sb, NULL);
}

static void
check_listing(struct runindex *ri, bool deleted, const char *want,
    const char *name)
{
	char	*got = listing(ri, deleted, 0);

	is_str(got, want, "%s", name);
	free(got);
}

static struct run_row *
one_row(struct runindex *ri, const char *id, unsigned what)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	struct run_row	*row = NULL;
	char		*cause = NULL;
	size_t		 i;

	if (runindex_rows(ri, false, what, &rows, &cause) == -1) {
		diag("rows: %s", cause);
		free(cause);
		return NULL;
	}
	for (i = 0; i < rows.n; i++) {
		if (strcmp(rows.v[i]->id, id) == 0) {
			row = rows.v[i];
			rows.v[i] = rows.v[--rows.n];
			break;
		}
	}
	run_rows_release(&rows);
	return row;
}

static char *
runpath(const char *id, const char *rel)
{
	return xasprintf("%s/%s%s%s", home->runs, id, rel != NULL ? "/" : "",
	    rel != NULL ? rel : "");
}

/* Rewrite a file in place (no rename): what Guild AI's write_attr does. */
static void
in_place(const char *id, const char *rel, const char *text)
{
	char	*path = runpath(id, rel);

	fx_write(path, text);
	free(path);
}

static void
remove_path(const char *id, const char *rel)
{
	char	*path = runpath(id, rel);

	rm_rf(path, NULL);
	free(path);
}

static void
write_bytes(const char *path, const char *bytes, size_t len)
{
	FILE	*f = fopen(path, "w");

	if (f != NULL) {
		fwrite(bytes, 1, len, f);
		fclose(f);
	}
}

static void
remove_index(void)
{
	char	*p;

	p = xasprintf("%s/runs.db", home->cache);
	unlink(p);
	free(p);
	p = xasprintf("%s/runs.db-wal", home->cache);
	unlink(p);
	free(p);
	p = xasprintf("%s/runs.db-shm", home->cache);
	unlink(p);
	free(p);
}

static void
test_basic(void)
{
	struct runindex	*ri;
	struct run_row	*row;
	char		*a = fx_id(1), *b = fx_id(2), *c = fx_id(3), *d = fx_id(4);
	char		*p;

	fx_run(home->runs, &(struct fx){ .id = a, .started = 1539705443,
	    .exit = 0, .label = "lr=0.1", .flags = "lr: 0.1\nepochs: 2",
	    .tags = "- red\n- green", .digest = "abcdef0123456789",
	    .comments = "- body: Looks GOOD\n  host: box\n  time: 1\n"
	    "  user: ann" });
	fx_run(home->runs, &(struct fx){ .id = b, .started = 1539705453,
	    .exit = 1, .label = "'yes'" });
	fx_run(home->runs, &(struct fx){ .id = c, .started = 1539705463,
	    .exit = -15, .marked = 1, .model = "", .op = "prep" });
	fx_run(home->runs, &(struct fx){ .id = d, .started = 1539705473,
	    .exit = FX_NO_EXIT, .staged = 1 });

	ok((ri = open_index()) != NULL, "open creates the index");
	p = xasprintf("%s/runs.db", home->cache);
	ok(path_is_file(p), "the index is cache/runs.db");
	free(p);
	check_listing(ri, false,
	    "44444444 staged \n"
	    "33333333 terminated \n"
	    "22222222 error yes\n"
	    "11111111 completed lr=0.1", "Guild's format, newest first");

	row = one_row(ri, a, RUNINDEX_FLAGS|RUNINDEX_ATTRS);
	ok(row != NULL, "row found");
	if (row != NULL) {
		is_str(row->op_desc, "fashion:train", "op_desc model:op");
		is_str(row->model, "fashion", "model");
		is_str(row->op, "train", "op");
		is_str(row->pkg_name, "/proj/guild.yml", "pkg_name");
		is_str(row->opref, "guildfile:/proj/guild.yml "
		    "2673b06329378ca2fc355cb5c0f38cef fashion train", "opref");
		is_int(row->started, 1539705443000000LL, "started µs");
		is_int(row->initialized, 1539705442999000LL, "initialized");
		is_int(row->stopped, 1539705453000000LL, "stopped");
		ok(row->has_exit_status && row->exit_status == 0, "exit 0");
		is_int((long long)row->tags.n, 2, "two tags");
		is_str(row->tags.n > 1 ? row->tags.v[1] : NULL, "green", "tag");
		is_str(row->sourcecode_digest, "abcdef0123456789", "digest");
		ok(!row->marked, "not marked");
		ok(!row->deleted, "not deleted");
		is_int(row->pid, 0, "no pid");
		p = xasprintf("%s/%s", home->runs, a);
		is_str(row->dir, p, "dir");
		free(p);
		ok(row->flags != NULL && row->flags->type == VALUE_MAP &&
		    row->flags->u.map.n == 2, "flags loaded");
		if (row->flags != NULL) {
			struct value	*v = value_map_get(row->flags, "lr");

			ok(v != NULL && v->type == VALUE_FLOAT && v->u.f == 0.1,
			    "flag lr is 0.1");
			v = value_map_get(row->flags, "epochs");
			ok(v != NULL && v->type == VALUE_INT && v->u.i == 2,
			    "flag epochs is 2");
		}
		ok(row->attrs != NULL && value_map_get(row->attrs, "comments")
		    != NULL && value_map_get(row->attrs, "id") != NULL,
		    "attrs loaded");
		run_row_free(row);
	}
	/* Flags again: now from the index rather than the directory. */
	row = one_row(ri, a, RUNINDEX_FLAGS);
	ok(row != NULL && row->flags != NULL && row->flags->u.map.n == 2 &&
	    value_map_get(row->flags, "epochs")->u.i == 2,
	    "flags from the index");
	run_row_free(row);
	row = one_row(ri, c, 0);
	ok(row != NULL && row->marked, "marked");
	is_str(row != NULL ? row->op_desc : NULL, "prep",
	    "anonymous model: op");
	ok(row != NULL && row->flags == NULL && row->attrs == NULL &&
	    row->scalars == NULL, "nothing extra unless asked");
	run_row_free(row);
	runindex_close(ri);
	free(a);
	free(b);
	free(c);
	free(d);
}

static void
test_behind_back(void)
{
	struct runindex	*ri = open_index(), *other;
	struct run_row	*row;
	char		*e = fx_id(5), *a = fx_id(1), *b = fx_id(2), *p, *b2;

	/* Another process adds a run. */
	fx_run(home->runs, &(struct fx){ .id = e, .started = 1539705483,
	    .exit = 0, .label = "new" });
	check_listing(ri, false,
	    "55555555 completed new\n"
	    "44444444 staged \n"
	    "33333333 terminated \n"
	    "22222222 error yes\n"
	    "11111111 completed lr=0.1", "a run added by another process");

	/* rm -rf of a run. */
	remove_path(b, NULL);
	check_listing(ri, false,
	    "55555555 completed new\n"
	    "44444444 staged \n"
	    "33333333 terminated \n"
	    "11111111 completed lr=0.1", "a run removed with rm -rf");

	/* Attrs rewritten in place, as Guild AI's label and tag do. */
	in_place(a, ".guild/attrs/label", "lr=0.1 best\n");
	in_place(e, ".guild/attrs/tags", "- x\n");
	row = one_row(ri, e, 0);
	ok(row != NULL && row->tags.n == 1 && strcmp(row->tags.v[0], "x") ==
	    0, "tags rewritten in place");
	run_row_free(row);
	check_listing(ri, false,
	    "55555555 completed new\n"
	    "44444444 staged \n"
	    "33333333 terminated \n"
	    "11111111 completed lr=0.1 best", "label rewritten in place");

	/* A staged run starts and completes (new files, renamed ones). */
	p = fx_id(4);
	remove_path(p, ".guild/STAGED");
	fx_attr(home->runs, p, "exit_status", "0\n");
	free(p);
	check_listing(ri, false,
	    "55555555 completed new\n"
	    "44444444 completed \n"
	    "33333333 terminated \n"
	    "11111111 completed lr=0.1 best", "a staged run completed");

	/* Another index connection sees the same. */
	other = open_index();
	check_listing(other, false,
	    "55555555 completed new\n"
	    "44444444 completed \n"
	    "33333333 terminated \n"
	    "11111111 completed lr=0.1 best", "a second connection agrees");
	runindex_close(other);

	/* A directory that is not a run yet, then is. */
	b2 = fx_id(6);
	p = xasprintf("%s/%s/.guild/attrs", home->runs, b2);
	mkdir_p(p, 0777, NULL);
	free(p);
	free(b2);
	check_listing(ri, false,
	    "55555555 completed new\n"
	    "44444444 completed \n"
	    "33333333 terminated \n"
	    "11111111 completed lr=0.1 best", "no opref: not a run");
	p = fx_id(6);
	fx_run(home->runs, &(struct fx){ .id = p, .started = 1539705493,
	    .exit = 2 });
	free(p);
	check_listing(ri, false,
	    "66666666 error \n"
	    "55555555 completed new\n"
	    "44444444 completed \n"
	    "33333333 terminated \n"
	    "11111111 completed lr=0.1 best", "its opref appeared");

	runindex_close(ri);
	free(e);
	free(a);
	free(b);
}

static pid_t
spawn_sleeper(void)
{
	pid_t	pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void
test_liveness(void)
{
	struct runindex	*ri = open_index();
	struct run	*run;
	struct run_row	*row;
	char		*id = fx_id(7), *p, *cause = NULL;
	pid_t		 pid;
	int		 status;

	fx_run(home->runs, &(struct fx){ .id = id, .started = 1539705503,
	    .exit = FX_NO_EXIT });
	p = runpath(id, NULL);
	run = run_open(p, &cause);
	free(p);
	pid = spawn_sleeper();
	ok(run != NULL && run_lock_write(run, pid, &cause) == 0, "LOCK");
	row = one_row(ri, id, 0);
	is_str(row != NULL ? run_status_name(row->status) : NULL, "running",
	    "a live process: running");
	is_int(row != NULL ? row->pid : 0, pid, "its pid");
	run_row_free(row);

	/* The supervisor dies without writing anything. */
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	row = one_row(ri, id, 0);
	is_str(row != NULL ? run_status_name(row->status) : NULL, "error",
	    "its process died: error, never running");
	run_row_free(row);

	/* A Guild AI LOCK (no LOCK.start) with a dead pid. */
	remove_path(id, ".guild/LOCK.start");
	row = one_row(ri, id, 0);
	is_str(row != NULL ? run_status_name(row->status) : NULL, "error",
	    "Guild's LOCK, dead pid: error");
	run_row_free(row);
	/* Our own pid is alive: a Guild AI LOCK is trusted by pid. */
	p = xasprintf("%d", (int)getpid());
	in_place(id, ".guild/LOCK", p);
	free(p);
	row = one_row(ri, id, 0);
	is_str(row != NULL ? run_status_name(row->status) : NULL, "running",
	    "Guild's LOCK, live pid: running");
	run_row_free(row);
	remove_path(id, ".guild/LOCK");
	fx_attr(home->runs, id, "exit_status", "0\n");
	row = one_row(ri, id, 0);
	is_str(row != NULL ? run_status_name(row->status) : NULL, "completed",
	    "then completed");
	run_row_free(row);
	run_free(run);
	runindex_close(ri);
	free(id);
}

static void
test_rebuild(void)
{
	struct runindex	*ri;
	char		*before, *after, *p;
	static const char garbage[] = "this is not an sqlite database, not at "
	    "all, it is just text that is long enough to look like a header.";

	ri = open_index();
	before = listing(ri, false, 0);
	runindex_close(ri);

	remove_index();
	ri = open_index();
	after = listing(ri, false, 0);
	is_str(after, before, "index deleted: rebuilt the same");
	free(after);
	runindex_close(ri);

	p = xasprintf("%s/runs.db", home->cache);
	remove_index();
	write_bytes(p, garbage, sizeof garbage);
	ri = open_index();
	ok(ri != NULL, "open a corrupt index");
	after = listing(ri, false, 0);
	is_str(after, before, "corrupt index: rebuilt the same");
	free(after);
	runindex_close(ri);

	/* Half a database: a valid header, then nothing. */
	{
		struct strbuf	sb = STRBUF_INIT;

		strbuf_read_file(&sb, p, NULL);
		remove_index();
		write_bytes(p, sb.buf, sb.len > 1024 ? 1024 : sb.len);
		strbuf_release(&sb);
	}
	ri = open_index();
	after = listing(ri, false, 0);
	is_str(after, before, "truncated index: rebuilt the same");
	free(after);
	/* And corrupted while open, between two queries. */
	write_bytes(p, garbage, sizeof garbage);
	after = listing(ri, false, 0);
	is_str(after, before, "corrupted between queries: still right");
	free(after);
	runindex_close(ri);
	free(p);

	/* No cache directory possible: an index in memory. */
	remove_index();
	rm_rf(home->cache, NULL);
	write_bytes(home->cache, "x", 1);
	ri = open_index();
	ok(ri != NULL, "open without a cache directory");
	after = listing(ri, false, 0);
	is_str(after, before, "no cache: read from the directories");
	free(after);
	runindex_close(ri);
	unlink(home->cache);
	free(before);
}

/*
 * The unfiltered count (kept by triggers, not counted) agrees with the
 * rows listed.
 */
static void
check_count(struct runindex *ri, bool deleted, const char *name)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	char		*cause = NULL;
	size_t		 n = 0;

	if (runindex_rows(ri, deleted, 0, &rows, &cause) == -1 ||
	    runindex_count(ri, deleted, NULL, &n, &cause) == -1) {
		ok(false, "%s: %s", name, cause);
		free(cause);
	} else
		ok(n == rows.n, "%s (%zu, listed %zu)", name, n, rows.n);
	run_rows_release(&rows);
}

static void
test_trash_update_forget(void)
{
	struct runindex	*ri = open_index();
	struct run_row	*row;
	char		*id = fx_id(5), *from, *to, *cause = NULL;

	check_count(ri, false, "the runs counted");
	check_count(ri, true, "the trash counted");
	from = runpath(id, NULL);
	to = xasprintf("%s/%s", home->trash, id);
	ok(rename(from, to) == 0, "move a run to the trash");
	ok(runindex_forget(ri, id, &cause) == 0, "forget");
	check_listing(ri, true, "55555555 completed new", "the trash lists it");
	check_count(ri, true, "the trash counts it");
	check_count(ri, false, "the runs no longer count it");
	row = one_row(ri, id, 0);
	ok(row == NULL, "the runs no longer do");
	ok(rename(to, from) == 0, "restore it");
	ok(runindex_update(ri, id, false, NULL, &cause) == 0, "update");
	check_listing(ri, true, "", "the trash is empty");
	check_count(ri, true, "the trash counts none");
	check_count(ri, false, "the runs count it again");
	row = one_row(ri, id, 0);
	ok(row != NULL, "back in the runs");
	/* update refreshes a row in place. */
	fx_attr(home->runs, id, "label", "changed\n");
	ok(runindex_update(ri, id, false, row, &cause) == 0,
	    "update a row in place");
	is_str(row != NULL ? row->label : NULL, "changed", "row refreshed");
	run_row_free(row);
	ok(runindex_update(ri, "nosuchrun", false, NULL, &cause) == 0,
	    "update a run that is not there");
	free(from);
	free(to);
	free(id);
	runindex_close(ri);
}

static void
test_scalars(void)
{
	struct runindex		*ri = open_index();
	struct scalars_log	*log;
	struct run_row		*row;
	const struct scalar_stats *s;
	char			*id = fx_id(1), *dir = runpath(id, NULL);
	char			*cause = NULL;

	log = scalars_log_open(dir, &cause);
	ok(log != NULL, "scalars log");
	scalars_log_append(log, "loss", 0.5, 1, &cause);
	scalars_log_append(log, "loss", 0.25, 2, &cause);
	scalars_log_append(log, "acc", NAN, 2, &cause);
	scalars_log_close(log, &cause);
	row = one_row(ri, id, RUNINDEX_SCALARS);
	ok(row != NULL && row->scalars != NULL && row->scalars->n == 2,
	    "two scalar keys");
	s = row != NULL && row->scalars != NULL ?
	    scalars_summary_find(row->scalars, "loss") : NULL;
	ok(s != NULL && s->last.value == 0.25 && s->last.step == 2 &&
	    s->first.value == 0.5 && s->min.value == 0.25 && s->max.value ==
	    0.5 && s->count == 2, "loss summary");
	s = row != NULL && row->scalars != NULL ?
	    scalars_summary_find(row->scalars, "acc") : NULL;
	ok(s != NULL && isnan(s->last.value), "NaN survives the index");
	run_row_free(row);
	/* Appended later: the summary follows. */
	log = scalars_log_open(dir, &cause);
	scalars_log_append(log, "loss", 0.125, 3, &cause);
	scalars_log_close(log, &cause);
	row = one_row(ri, id, RUNINDEX_SCALARS);
	s = row != NULL && row->scalars != NULL ?
	    scalars_summary_find(row->scalars, "loss") : NULL;
	ok(s != NULL && s->last.value == 0.125 && s->count == 3,
	    "new scalars are seen");
	run_row_free(row);
	free(dir);
	free(id);
	runindex_close(ri);
}

/*
 * Many processes writing runs while others list: no "database is locked",
 * no lost run, no corrupt index.
 */
static void
test_concurrency(void)
{
	enum { WRITERS = 10, PER = 8, READERS = 6 };
	struct runindex	*ri;
	struct run_rows	 rows = RUN_ROWS_INIT;
	char		*cause = NULL;
	pid_t		 pids[WRITERS + READERS];
	int		 i, j, status, failed = 0;
	size_t		 before;

	remove_index();
	ri = open_index();
	runindex_rows(ri, false, 0, &rows, &cause);
	before = rows.n;
	run_rows_release(&rows);
	runindex_close(ri);
	remove_index();

	for (i = 0; i < WRITERS + READERS; i++) {
		if ((pids[i] = fork()) != 0)
			continue;
		for (j = 0; j < (i < WRITERS ? PER : 15); j++) {
			struct runindex	*r = runindex_open(home, &cause);
			struct run_rows	 rr = RUN_ROWS_INIT;

			if (i < WRITERS) {
				char	*id = fx_id(100 + (unsigned)(i * PER +
				    j));

				fx_run(home->runs, &(struct fx){ .id = id,
				    .started = 1600000000 + i * PER + j,
				    .exit = 0 });
				free(id);
			}
			if (r == NULL || runindex_rows(r, false, 0, &rr,
			    &cause) == -1) {
				fprintf(stderr, "child %d: %s\n", i, cause);
				_exit(1);
			}
			run_rows_release(&rr);
			runindex_close(r);
		}
		_exit(0);
	}
	for (i = 0; i < WRITERS + READERS; i++) {
		if (waitpid(pids[i], &status, 0) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			failed++;
	}
	is_int(failed, 0, "%d processes, no errors", WRITERS + READERS);
	ri = open_index();
	ok(runindex_rows(ri, false, 0, &rows, &cause) == 0, "list after");
	is_int((long long)rows.n, (long long)(before + WRITERS * PER),
	    "no run lost");
	run_rows_release(&rows);
	runindex_close(ri);
	/* The index they wrote is the one a rebuild gives. */
	ri = open_index();
	{
		char	*shared = listing(ri, false, 0), *rebuilt;

		runindex_close(ri);
		remove_index();
		ri = open_index();
		rebuilt = listing(ri, false, 0);
		is_str(shared, rebuilt, "the shared index is not corrupt");
		free(shared);
		free(rebuilt);
	}
	runindex_close(ri);
}

static void
test_racy_default(void)
{
	struct runindex	*ri;
	char		*id = fx_id(9), *got;

	/* With the real (2 s) window: changes right after a read are seen. */
	unsetenv("GUILD_INDEX_RACY_MS");
	ri = open_index();
	free(listing(ri, false, 0));
	fx_run(home->runs, &(struct fx){ .id = id, .started = 1700000000,
	    .exit = 0, .label = "a" });
	got = listing(ri, false, 0);
	ok(strstr(got, "99999999 completed a") != NULL, "new run, same tick");
	free(got);
	in_place(id, ".guild/attrs/label", "b\n");
	got = listing(ri, false, 0);
	ok(strstr(got, "99999999 completed b") != NULL,
	    "same-size rewrite, same tick");
	free(got);
	runindex_close(ri);
	free(id);
}

/*
 * A row read once is not read again while its files stay as they were,
 * whatever attrs it has: the stamp taken while reading the run and the
 * one that verifies it later must agree (they once mixed the in-place
 * attrs in different orders, so a run with a label and an exit status
 * was read again on every listing and every filter).
 */
static void
test_read_once(void)
{
	struct runindex	*ri;
	struct run_rows	 rows = RUN_ROWS_INIT;
	struct run_filter f;
	struct runindex_filter *rf;
	unsigned long	 before;
	char		*id = fx_id(7), *cause = NULL;
	size_t		 n = 0;

	setenv("GUILD_INDEX_RACY_MS", "0", 1);
	fx_run(home->runs, &(struct fx){ .id = id, .started = 1700000100,
	    .exit = 1, .label = "every", .tags = "[read-once, y]", .marked = 1,
	    .comments = "[{body: hi, host: h, time: 1, user: u}]" });
	ri = open_index();
	free(listing(ri, false, 0));
	runindex_close(ri);

	ri = open_index();
	before = runindex_reads();
	free(listing(ri, false, 0));
	ok(runindex_reads() == before, "a listing reads no run again");
	memset(&f, 0, sizeof f);
	strvec_push(&f.tags, "read-once");
	rf = runindex_filter_new(&f, 0, &cause);
	ok(rf != NULL && runindex_count(ri, false, rf, &n, &cause) == 0 &&
	    n == 1, "the filter counts the tagged run");
	ok(runindex_reads() == before,
	    "a filter verifies every run without reading one again");
	in_place(id, ".guild/attrs/exit_status", "0\n");
	/* A new handle, as the next command has (one pass serves 500 ms). */
	runindex_close(ri);
	ri = open_index();
	ok(runindex_count(ri, false, rf, &n, &cause) == 0 && n == 1,
	    "counted again");
	ok(runindex_reads() == before,
	    "a filter on tags looks at the tags, not the exit status");
	runindex_filter_free(rf);

	/* A filter on the status looks at the exit status (1, now 0). */
	f.status = 1U << RUN_STATUS_COMPLETED;
	rf = runindex_filter_new(&f, 0, &cause);
	runindex_close(ri);
	ri = open_index();
	ok(rf != NULL && runindex_count(ri, false, rf, &n, &cause) == 0 &&
	    n == 1, "the status filter counts the run, completed now");
	ok(runindex_reads() == before + 1,
	    "an exit status rewritten in place: that run is read again");
	runindex_filter_free(rf);
	f.status = 0;

	/* Tags rewritten in place, then a tags file created from nothing. */
	rf = runindex_filter_new(&f, 0, &cause);
	in_place(id, ".guild/attrs/tags", "[y]\n");
	runindex_close(ri);
	ri = open_index();
	ok(rf != NULL && runindex_count(ri, false, rf, &n, &cause) == 0 &&
	    n == 0, "tags rewritten in place: the filter no longer counts it");
	ok(runindex_reads() == before + 2, "that run is read again");
	free(id);
	id = fx_id(8);
	fx_run(home->runs, &(struct fx){ .id = id, .started = 1700000200,
	    .exit = 0 });
	runindex_close(ri);
	ri = open_index();
	ok(runindex_count(ri, false, rf, &n, &cause) == 0 && n == 0,
	    "a run without tags is not counted");
	before = runindex_reads();
	in_place(id, ".guild/attrs/tags", "[read-once]\n");
	runindex_close(ri);
	ri = open_index();
	ok(runindex_count(ri, false, rf, &n, &cause) == 0 && n == 1,
	    "a tags file created in place: the filter counts the run");
	ok(runindex_reads() == before + 1, "only that run is read again");
	runindex_filter_free(rf);
	strvec_clear(&f.tags);
	run_rows_release(&rows);
	runindex_close(ri);
	free(cause);
	free(id);
}

/*
 * Catching up in steps (the view over a cold index): queries leave the
 * directory to the catch-up, each step's runs are queryable at once,
 * and a catch-up stopped midway keeps what it read.
 */
static void
test_catchup(void)
{
	struct runindex	*ri;
	char		*cause = NULL, *id;
	size_t		 n = 0, total = 0, done = 0, want = 0;
	unsigned long	 before;
	unsigned	 i;
	int		 rc;

	ri = open_index();
	ok(runindex_count(ri, false, NULL, &total, &cause) == 0,
	    "count the runs there are");
	runindex_close(ri);
	for (i = 0; i < 40; i++) {
		id = fx_id(200 + i);
		fx_run(home->runs, &(struct fx){ .id = id,
		    .started = 1700001000 + i, .exit = 0 });
		free(id);
	}
	total += 40;
	remove_index();
	/* Reading a run takes 2 ms: a step of 1 ms reads exactly one. */
	setenv("GUILD_TEST_SLOW_US", "2000", 1);
	ri = open_index();
	ok(runindex_catchup_start(ri, false, &cause) == 1,
	    "a cold index: a catch-up to make");
	ok(runindex_count(ri, false, NULL, &n, &cause) == 0 && n == 0,
	    "meanwhile queries leave the directory to it");
	rc = runindex_catchup_step(ri, 1, &done, &want, &cause);
	ok(rc == 1 && done == 1 && want == total,
	    "a step reads what its time allows, and says how many to read");
	ok(runindex_count(ri, false, NULL, &n, &cause) == 0 && n == 1,
	    "what a step read is queryable at once");
	while ((rc = runindex_catchup_step(ri, 50, &done, &want, &cause)) == 1)
		;
	ok(rc == 0 && done == total && want == total,
	    "steps until every run is read");
	ok(runindex_count(ri, false, NULL, &n, &cause) == 0 && n == total,
	    "then every run is counted");
	ok(runindex_catchup_start(ri, false, &cause) == 0,
	    "and the index is up to date");
	runindex_close(ri);

	remove_index();
	ri = open_index();
	ok(runindex_catchup_start(ri, false, &cause) == 1 &&
	    runindex_catchup_step(ri, 1, &done, &want, &cause) == 1 &&
	    done == 1, "a catch-up stopped after a step");
	runindex_catchup_stop(ri);
	before = runindex_reads();
	ok(runindex_count(ri, false, NULL, &n, &cause) == 0 && n == total,
	    "the next query reads the rest");
	ok(runindex_reads() - before == total - 1,
	    "and only the rest (%lu of %zu)", runindex_reads() - before,
	    total);
	runindex_close(ri);

	/* Held (Esc in the view): nothing more is read until started. */
	remove_index();
	ri = open_index();
	ok(runindex_catchup_start(ri, false, &cause) == 1 &&
	    runindex_catchup_step(ri, 1, &done, &want, &cause) == 1 &&
	    done == 1, "a catch-up held after a step");
	runindex_catchup_hold(ri);
	before = runindex_reads();
	ok(runindex_count(ri, false, NULL, &n, &cause) == 0 && n == 1 &&
	    runindex_reads() == before,
	    "queries leave the directory alone: what was read is shown");
	ok(runindex_catchup_start(ri, false, &cause) == 1,
	    "started again, there is a catch-up to make");
	while ((rc = runindex_catchup_step(ri, 50, &done, &want, &cause)) == 1)
		;
	ok(rc == 0 && done == total - 1 && want == total - 1,
	    "it goes on from where it was held (%zu of %zu)", done, want);
	ok(runindex_count(ri, false, NULL, &n, &cause) == 0 && n == total,
	    "and then every run is counted");
	runindex_close(ri);

	/* Held, then another handle (another guild) finishes it itself. */
	remove_index();
	ri = open_index();
	ok(runindex_catchup_start(ri, false, &cause) == 1 &&
	    runindex_catchup_step(ri, 1, &done, &want, &cause) == 1,
	    "a catch-up held once more");
	runindex_catchup_hold(ri);
	{
		struct runindex	*other = open_index();
		struct strvec	 ids = STRVEC_INIT;
		struct run_rows	 rows = RUN_ROWS_INIT;
		size_t		 k;
		bool		 same;

		ok(runindex_count(other, false, NULL, &n, &cause) == 0 &&
		    n == total, "another handle reads the rest by itself");
		ok(runindex_filter_ids(other, false, NULL, &ids,
		    &cause) == 0 && ids.n == total,
		    "the filtered ids: every run's");
		same = runindex_page(other, false, NULL, 0, 0, 0, &rows,
		    NULL, &cause) == 0 && rows.n == ids.n;
		for (k = 0; same && k < rows.n; k++)
			same = strcmp(rows.v[k]->id, ids.v[k]) == 0;
		ok(same, "in the order of pages");
		run_rows_release(&rows);
		strvec_clear(&ids);
		runindex_close(other);
	}
	ok(runindex_catchup_start(ri, false, &cause) == 0,
	    "and the held handle finds the index up to date");
	runindex_close(ri);
	unsetenv("GUILD_TEST_SLOW_US");
	free(cause);
}

int
main(void)
{
	char	*cause = NULL;

	root = fx_home("runindex");
	setenv("GUILD_HOME", root, 1);
	setenv("GUILD_INDEX_RACY_MS", "0", 1);
	if ((home = home_new(root, &cause)) == NULL ||
	    home_ensure(home, &cause) == -1) {
		diag("home: %s", cause);
		return 1;
	}
	test_basic();
	test_behind_back();
	test_liveness();
	test_rebuild();
	test_trash_update_forget();
	test_scalars();
	test_concurrency();
	test_read_once();
	test_catchup();
	test_racy_default();
	rm_rf(root, NULL);
	free(root);
	home_free(home);
	return done_testing();
}
