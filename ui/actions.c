/*
 * actions.c: the actions that are not a pane's own: on runs (stop,
 * delete, restore, purge, label, tag, mark, shell), filters, panes and
 * views. Actions on runs apply to the runs selected in the focused list,
 * else to the run under the cursor; the destructive ones ask first.
 * A run that runs on a remote (remotesync.h) is stopped there, by a
 * guild stop -r in the background.
 */
#include "common.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "format.h"
#include "guildfile.h"
#include "home.h"
#include "layout.h"
#include "loop.h"
#include "pane-compare.h"
#include "pane-files.h"
#include "pane-form.h"
#include "pane-help.h"
#include "pane-image.h"
#include "pane-info.h"
#include "pane-models.h"
#include "pane-output.h"
#include "pane-plot.h"
#include "pane-runs.h"
#include "pane-text.h"
#include "pane-trash.h"
#include "pane.h"
#include "prompt.h"
#include "regex.h"
#include "remotesync.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "runops.h"
#include "strbuf.h"
#include "tui.h"
#include "util.h"
#include "view.h"

/* The runs an action on runs applies to (ids); false when none. */
static bool
view_targets(struct view *v, struct pane *p, struct strvec *ids)
{
	struct runlist		*rl = NULL;
	const struct run_row	*row = NULL;
	size_t			 i;

	if (p->ops->runlist != NULL)
		rl = p->ops->runlist(p);
	else if (v->nstack == 0)
		rl = v->runs;
	if (rl != NULL && rl->selected.n > 0) {
		for (i = 0; i < rl->selected.n; i++)
			strvec_push(ids, rl->selected.v[i]);
		return true;
	}
	if (p->ops->current_run != NULL)
		row = p->ops->current_run(p);
	else if (v->nstack == 0)
		row = runlist_row(v->runs, v->runs_pane->cursor);
	if (row == NULL)
		return false;
	strvec_push(ids, row->id);
	return true;
}

static bool
targets_deleted(struct view *v, struct pane *p)
{
	struct runlist	*rl = p->ops->runlist != NULL ? p->ops->runlist(p) :
			    NULL;

	return rl != NULL && rl->deleted;
}

static char *
run_dir_of(struct view *v, const char *id, bool deleted)
{
	return path_join(deleted ? v->home->trash : v->home->runs, id);
}

static struct run *
open_run(struct view *v, const char *id, bool deleted, char **cause)
{
	char		*dir = run_dir_of(v, id, deleted);
	struct run	*run = run_open(dir, cause);

	free(dir);
	return run;
}

/* Tell the index what we changed, so every guild sees it at once. */
static void
index_touch(struct view *v, const char *id, bool deleted)
{
	runindex_update(v->idx, id, deleted, NULL, NULL);
}

struct ids_arg {
	struct strvec	ids;
	bool		deleted;
	struct pane	*pane;
};

static struct ids_arg *
ids_arg_new(struct strvec *ids, bool deleted, struct pane *p)
{
	struct ids_arg	*a = xcalloc(1, sizeof *a);

	a->ids = *ids;
	memset(ids, 0, sizeof *ids);
	a->deleted = deleted;
	a->pane = p;
	return a;
}

static void
ids_arg_free(void *arg)
{
	struct ids_arg	*a = arg;

	strvec_clear(&a->ids);
	free(a);
}


/*
 * The CLI's "run(s)" (Guild's words, kept there) read as a sentence on
 * the status line: "1 run", "3 runs".
 */
static void
natural_runs(struct strbuf *sb, size_t n)
{
	char	*at = strstr(sb->buf, "run(s)");
	char	*rest;

	if (at == NULL)
		return;
	rest = xstrdup(at + strlen("run(s)"));
	strbuf_setlen(sb, (size_t)(at - sb->buf));
	strbuf_addf(sb, "%s%s", n == 1 ? "run" : "runs", rest);
	free(rest);
}

/*
 * What an action did, in the CLI's words ("Labeled 2 runs"), with the
 * view's own hint after them when there is one.
 */
static void
done_message(struct view *v, enum runs_done what, size_t n, const char *hint)
{
	struct strbuf	sb = STRBUF_INIT;

	format_runs_done(&sb, what, n);
	natural_runs(&sb, n);
	if (hint != NULL)
		strbuf_addf(&sb, " %s", hint);
	view_message(v, "%s", sb.buf);
	strbuf_release(&sb);
}

/*
 * The selected runs the filter hides: an action never reaches them
 * without saying so.
 */
static size_t
hidden_targets(struct view *v, struct pane *p, const struct strvec *ids)
{
	struct runlist	*rl = p->ops->runlist != NULL ? p->ops->runlist(p) :
			    v->nstack == 0 ? v->runs : NULL;

	/* Several targets are the selection (view_targets). */
	if (rl == NULL || ids->n < 2)
		return 0;
	return runs_hidden_count(rl);
}

/* The question for many runs: "Delete 3 runs (2 hidden by the filter)?". */
static void
runs_question(struct strbuf *sb, const char *verb, size_t n, size_t hidden)
{
	strbuf_addf(sb, "%s %zu runs", verb, n);
	if (hidden > 0)
		strbuf_addf(sb, " (%zu hidden by the filter)", hidden);
	strbuf_addch(sb, '?');
}

/* Reload what shows runs after an action changed them. */
static void
after_change(struct view *v, struct pane *p)
{
	size_t	i;

	struct runlist	*rl = p->ops->runlist != NULL ? p->ops->runlist(p) :
			    NULL;

	if (rl != NULL)
		runlist_clear_selection(rl);
	else
		runlist_clear_selection(v->runs);
	view_reload_runs(v);
	for (i = 0; i < v->nstack; i++)
		if (v->stack[i]->ops->reload != NULL)
			v->stack[i]->ops->reload(v->stack[i], true);
}

const struct run_row *
view_find_run(struct view *v, const char *id, bool deleted)
{
	struct runlist	*rl = deleted ? NULL : v->runs;
	size_t		 i;

	for (i = 0; rl == NULL && i < v->nstack; i++) {
		struct pane	*q = v->stack[i];

		if (q->ops->runlist != NULL && q->ops->runlist(q)->deleted)
			rl = q->ops->runlist(q);
	}
	return rl != NULL ? runlist_get(rl, id) : NULL;
}

static void
do_delete(struct view *v, const char *text, void *arg)
{
	struct ids_arg	*a = arg;
	size_t		 i, done = 0;
	char		*cause = NULL;

	for (i = 0; i < a->ids.n; i++) {
		if (run_trash(v->home, a->ids.v[i], &cause) == -1) {
			view_error_cause(v, cause);
			cause = NULL;
			continue;
		}
		runindex_forget(v->idx, a->ids.v[i], NULL);
		index_touch(v, a->ids.v[i], true);
		done++;
	}
	after_change(v, a->pane);
	if (done == a->ids.n)
		done_message(v, RUNS_DELETED, done, "(T shows the trash)");
}

static void
do_restore(struct view *v, const char *text, void *arg)
{
	struct ids_arg	*a = arg;
	size_t		 i, done = 0;
	char		*cause = NULL;

	for (i = 0; i < a->ids.n; i++) {
		if (run_restore(v->home, a->ids.v[i], &cause) == -1) {
			view_error_cause(v, cause);
			cause = NULL;
			continue;
		}
		runindex_forget(v->idx, a->ids.v[i], NULL);
		index_touch(v, a->ids.v[i], false);
		done++;
	}
	after_change(v, a->pane);
	if (done == a->ids.n)
		done_message(v, RUNS_RESTORED, done, NULL);
}

static void
do_purge(struct view *v, const char *text, void *arg)
{
	struct ids_arg	*a = arg;
	size_t		 i, done = 0;
	char		*cause = NULL;

	for (i = 0; i < a->ids.n; i++) {
		if (run_purge(v->home, a->ids.v[i], &cause) == -1) {
			view_error_cause(v, cause);
			cause = NULL;
			continue;
		}
		runindex_forget(v->idx, a->ids.v[i], NULL);
		done++;
	}
	after_change(v, a->pane);
	if (done == a->ids.n)
		done_message(v, RUNS_PURGED, done, NULL);
}

/* Runs told to stop, so that stopping again kills. */
static struct {
	char		*id;
	uint64_t	 when;
} stopping[64];

static bool
recently_stopped(const char *id)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(stopping); i++)
		if (stopping[i].id != NULL && strcmp(stopping[i].id, id) == 0 &&
		    mono_ms() - stopping[i].when < 60000)
			return true;
	return false;
}

static void
remember_stop(const char *id)
{
	size_t	i, oldest = 0;

	for (i = 0; i < ARRAY_SIZE(stopping); i++) {
		if (stopping[i].id == NULL) {
			oldest = i;
			break;
		}
		if (stopping[i].when < stopping[oldest].when)
			oldest = i;
	}
	free(stopping[oldest].id);
	stopping[oldest].id = xstrdup(id);
	stopping[oldest].when = mono_ms();
}

struct remote_stop {
	char	*id;
	char	*remote;
};

static void
remote_stopped(struct view *v, int status, const char *out, void *arg)
{
	struct remote_stop	*rs = arg;
	char			*line;

	if (status == 0)
		view_message(v, "Stopped run %.8s on %s", rs->id, rs->remote);
	else {
		/* The gist: guild's own error, or its last line. */
		const char	*e = strstr(out, "guild: ");

		/* (The status line shows its first line.) */
		line = str_trim(e != NULL ? e + 7 : out);
		view_error(v, "Cannot stop run %.8s on %s%s%s", rs->id,
		    rs->remote, *line != '\0' ? ": " : "", line);
		free(line);
	}
	/* Its end comes here with the remote's next sync: now. */
	remotesync_now(v->remotes, rs->remote);
	free(rs->id);
	free(rs->remote);
	free(rs);
}

/* Stop a run on its remote (guild stop -r there); false: not remote. */
static bool
stop_remote(struct view *v, const char *id)
{
	struct remote_stop	*rs;
	char			*dir = run_dir_of(v, id, false), *remote;
	const char		*args[] = { "-H", v->home->path, "stop", "-r",
				    NULL, "-y", NULL, NULL };

	remote = remotesync_live_remote(dir);
	free(dir);
	if (remote == NULL)
		return false;
	rs = xcalloc(1, sizeof *rs);
	rs->id = xstrdup(id);
	rs->remote = remote;
	args[4] = remote;
	args[6] = id;
	view_spawn_guild(v, args, remote_stopped, rs);
	return true;
}

static void
do_stop(struct view *v, const char *text, void *arg)
{
	struct ids_arg	*a = arg;
	struct run	*run;
	size_t		 i, done = 0, killed = 0, remote = 0;
	char		*cause = NULL;

	for (i = 0; i < a->ids.n; i++) {
		bool	kill_it = recently_stopped(a->ids.v[i]);

		if (stop_remote(v, a->ids.v[i])) {
			remote++;
			continue;
		}
		if ((run = open_run(v, a->ids.v[i], false, &cause)) == NULL ||
		    run_signal(run, kill_it ? SIGKILL : SIGTERM, &cause) == -1) {
			view_error_cause(v, cause);
			cause = NULL;
			run_free(run);
			continue;
		}
		run_free(run);
		remember_stop(a->ids.v[i]);
		if (kill_it)
			killed++;
		else
			done++;
	}
	if (done + killed > 0) {
		if (killed > 0)
			done_message(v, RUNS_KILLED, killed, NULL);
		else
			done_message(v, RUNS_STOPPING, done,
			    "(S again kills)");
	} else if (remote > 0)
		view_message(v, "Stopping %zu run%s on %s remote...", remote,
		    remote == 1 ? "" : "s", remote == 1 ? "its" : "their");
	view_reload_runs(v);
}

static void
do_label(struct view *v, const char *text, void *arg)
{
	struct ids_arg	*a = arg;
	struct run	*run;
	size_t		 i, done = 0;
	char		*cause = NULL;

	if (text == NULL)
		return;
	for (i = 0; i < a->ids.n; i++) {
		if ((run = open_run(v, a->ids.v[i], a->deleted, &cause)) ==
		    NULL || run_set_label(run, text, &cause) == -1) {
			view_error_cause(v, cause);
			cause = NULL;
			run_free(run);
			continue;
		}
		run_free(run);
		index_touch(v, a->ids.v[i], a->deleted);
		done++;
	}
	after_change(v, a->pane);
	if (done == a->ids.n)
		done_message(v, *text == '\0' ? RUNS_LABEL_CLEARED :
		    RUNS_LABELED, done, NULL);
}

static void
do_tag(struct view *v, const char *text, void *arg)
{
	struct ids_arg	*a = arg;
	struct strvec	 words = STRVEC_INIT;
	struct run	*run;
	size_t		 i, j, done = 0;
	char		*cause = NULL;
	bool		 edit = true;

	if (text == NULL)
		return;
	if (shlex_split(text, &words, &cause) == -1) {
		view_error_cause(v, cause);
		return;
	}
	/* "+a -b" adds and removes; plain words set the tags. */
	for (j = 0; j < words.n; j++)
		if (words.v[j][0] != '+' && words.v[j][0] != '-')
			edit = false;
	if (words.n == 0)
		edit = false;
	/*
	 * + and - say what to do with a tag, so no tag starts with one:
	 * "a -b" or "++a" would make a tag no command could remove.
	 */
	for (j = 0; j < words.n; j++) {
		const char	*w = edit ? words.v[j] + 1 : words.v[j];

		if (*w == '+' || *w == '-') {
			view_error(v, "A tag cannot start with + or - (%s): +TAG "
			    "adds TAG, -TAG removes it, plain words set the "
			    "tags", w);
			strvec_clear(&words);
			return;
		}
	}
	for (i = 0; i < a->ids.n; i++) {
		struct strvec	tags = STRVEC_INIT;

		if ((run = open_run(v, a->ids.v[i], a->deleted, &cause)) ==
		    NULL || (edit && run_get_tags(run, &tags, &cause) == -1)) {
			view_error_cause(v, cause);
			cause = NULL;
			run_free(run);
			strvec_clear(&tags);
			continue;
		}
		for (j = 0; j < words.n; j++) {
			const char	*w = edit ? words.v[j] + 1 : words.v[j];
			long		 at = strvec_find(&tags, w);

			if (edit && words.v[j][0] == '-') {
				if (at >= 0) {
					free(tags.v[at]);
					memmove(&tags.v[at], &tags.v[at + 1],
					    (tags.n - (size_t)at) *
					    sizeof (char *));
					tags.n--;
				}
			} else if (at < 0 && *w != '\0')
				strvec_push(&tags, w);
		}
		if (run_set_tags(run, &tags, &cause) == -1) {
			view_error_cause(v, cause);
			cause = NULL;
		} else {
			index_touch(v, a->ids.v[i], a->deleted);
			done++;
		}
		strvec_clear(&tags);
		run_free(run);
	}
	strvec_clear(&words);
	after_change(v, a->pane);
	if (done == a->ids.n)
		done_message(v, RUNS_TAGGED, done, NULL);
}

static const struct run_row *
find_row(struct view *v, struct pane *p, const char *id)
{
	struct runlist	*rl = p->ops->runlist != NULL ? p->ops->runlist(p) :
			    v->runs;

	return runlist_get(rl, id);
}

static void
do_mark(struct view *v, struct pane *p, struct strvec *ids, bool deleted)
{
	const struct run_row	*row;
	struct run		*run;
	size_t			 i, done = 0;
	bool			 all = true;
	char			*cause = NULL;

	for (i = 0; i < ids->n; i++) {
		row = find_row(v, p, ids->v[i]);
		if (row == NULL || !row->marked)
			all = false;
	}
	for (i = 0; i < ids->n; i++) {
		if ((run = open_run(v, ids->v[i], deleted, &cause)) == NULL ||
		    run_set_marked(run, !all, &cause) == -1) {
			view_error_cause(v, cause);
			cause = NULL;
			run_free(run);
			continue;
		}
		run_free(run);
		index_touch(v, ids->v[i], deleted);
		done++;
	}
	after_change(v, p);
	if (done == ids->n)
		done_message(v, all ? RUNS_UNMARKED : RUNS_MARKED, done,
		    NULL);
}

void
view_shell(struct view *v, const char *dir)
{
	const char	*shell = getenv("SHELL");
	const char	*argv[2];

	if (shell == NULL || *shell == '\0')
		shell = "/bin/sh";
	argv[0] = shell;
	argv[1] = NULL;
	view_external(v, dir, argv, false);
}

static void
run_shell(struct view *v, const char *id, bool deleted)
{
	char	*dir = run_dir_of(v, id, deleted);

	view_shell(v, dir);
	free(dir);
}

static const char *
env_or(const char *a, const char *b, const char *dflt)
{
	const char	*s = a != NULL ? getenv(a) : NULL;

	if (s == NULL || *s == '\0')
		s = b != NULL ? getenv(b) : NULL;
	return s != NULL && *s != '\0' ? s : dflt;
}

static bool
has_desktop(void)
{
	return *env_or("DISPLAY", "WAYLAND_DISPLAY", "") != '\0';
}

static void
opened(struct view *v, int status, const char *out, void *arg)
{
	char	*name = arg;

	if (status != 0)
		view_error(v, "xdg-open %s: %s", name, *out != '\0' ? out :
		    "failed");
	free(name);
}

void
view_open_file(struct view *v, const char *dir, const char *path, bool edit,
    bool text)
{
	struct strvec	 argv = STRVEC_INIT;
	const char	*cmd, *args[3];
	char		*cause = NULL, *opener;

	if (!edit && has_desktop() && (opener = path_which("xdg-open")) !=
	    NULL) {
		/* In the background: it may start a program that stays. */
		args[0] = opener;
		args[1] = path;
		args[2] = NULL;
		view_spawn(v, args, opened, xstrdup(path));
		view_message(v, "Opening %s with xdg-open", path);
		free(opener);
		return;
	}
	if (!edit && !text) {
		view_error(v, "Not text, and no desktop to open it (no DISPLAY):"
		    " e opens it in $EDITOR");
		return;
	}
	cmd = edit ? env_or("VISUAL", "EDITOR", "vi") :
	    env_or("PAGER", NULL, "less");
	/* "code -w" and "less -R" are commands with their options. */
	if (shlex_split(cmd, &argv, &cause) == -1 || argv.n == 0) {
		view_error(v, "%s: %s", edit ? "$EDITOR" : "$PAGER",
		    cause != NULL ? cause : "empty");
		free(cause);
		strvec_clear(&argv);
		return;
	}
	strvec_push(&argv, path);
	view_external(v, dir, (const char *const *)argv.v, false);
	strvec_clear(&argv);
}

/* Apply an action to the target runs, asking first when it is big. */
static void
runs_action(struct view *v, struct pane *p, enum action act)
{
	struct strvec		 ids = STRVEC_INIT;
	const struct run_row	*row;
	struct strbuf		 sb = STRBUF_INIT;
	bool			 deleted = targets_deleted(v, p);
	size_t			 i, running = 0, hidden, again = 0;

	if (!view_targets(v, p, &ids)) {
		view_error(v, "No run selected");
		return;
	}
	hidden = hidden_targets(v, p, &ids);
	switch (act) {
	case ACT_DELETE:
		if (deleted) {
			view_error(v, "Already deleted: d in the trash purges");
			break;
		}
		for (i = 0; i < ids.n; i++) {
			row = find_row(v, p, ids.v[i]);
			if (row != NULL && row->status == RUN_STATUS_RUNNING)
				running++;
		}
		if (running > 0 && ids.n == 1) {
			view_error(v, "Run %.8s is running: stop it first (S)",
			    ids.v[0]);
			break;
		}
		if (running > 0) {
			view_error(v, "%zu of the %zu runs %s running: stop %s "
			    "first (S)", running, ids.n,
			    running == 1 ? "is" : "are",
			    running == 1 ? "it" : "them");
			break;
		}
		if (ids.n == 1)
			strbuf_addf(&sb, "Delete run %.8s?", ids.v[0]);
		else
			runs_question(&sb, "Delete", ids.n, hidden);
		prompt_confirm(v, sb.buf, true, do_delete,
		    ids_arg_new(&ids, deleted, p), ids_arg_free);
		break;
	case ACT_STOP:
		if (deleted) {
			view_error(v, "Deleted runs do not run");
			break;
		}
		for (i = 0; i < ids.n; i++) {
			row = find_row(v, p, ids.v[i]);
			if (row != NULL && (row->status == RUN_STATUS_RUNNING))
				running++;
			if (recently_stopped(ids.v[i]))
				again++;
		}
		if (running == 0) {
			if (ids.n == 1)
				view_error(v, "Run %.8s is not running",
				    ids.v[0]);
			else
				view_error(v, "None of the %zu runs is running",
				    ids.n);
			break;
		}
		/* A second S kills: the question says so. */
		if (ids.n == 1)
			strbuf_addf(&sb, again > 0 ? "Kill run %.8s (it was "
			    "told to stop; SIGKILL)?" : "Stop run %.8s?",
			    ids.v[0]);
		else {
			runs_question(&sb, "Stop", ids.n,
			    hidden);
			if (again > 0)
				strbuf_addf(&sb, " %zu told to stop already "
				    "will be killed.", again);
		}
		prompt_confirm(v, sb.buf, true, do_stop,
		    ids_arg_new(&ids, deleted, p), ids_arg_free);
		break;
	case ACT_LABEL:
		row = ids.n == 1 ? find_row(v, p, ids.v[0]) : NULL;
		if (ids.n == 1)
			strbuf_addf(&sb, "Label of %.8s: ", ids.v[0]);
		else if (hidden > 0)
			strbuf_addf(&sb, "Label of %zu runs (%zu hidden by the "
			    "filter): ", ids.n, hidden);
		else
			strbuf_addf(&sb, "Label of %zu runs: ", ids.n);
		prompt_open(v, sb.buf, row != NULL ? row->label : "", do_label,
		    NULL, ids_arg_new(&ids, deleted, p), ids_arg_free);
		break;
	case ACT_TAG:
		row = ids.n == 1 ? find_row(v, p, ids.v[0]) : NULL;
		if (row != NULL) {
			for (i = 0; i < row->tags.n; i++) {
				if (i > 0)
					strbuf_addch(&sb, ' ');
				shlex_quote(&sb, row->tags.v[i]);
			}
		}
		prompt_open(v, ids.n == 1 ? "Tags (+add -remove, or the "
		    "list): " : "Tags of the runs (+add -remove): ", sb.buf,
		    do_tag, NULL, ids_arg_new(&ids, deleted, p), ids_arg_free);
		break;
	case ACT_MARK:
		do_mark(v, p, &ids, deleted);
		break;
	case ACT_RESTORE:
		if (!deleted) {
			view_error(v, "Restore works in the trash view (T)");
			break;
		}
		if (ids.n == 1)
			strbuf_addf(&sb, "Restore run %.8s?", ids.v[0]);
		else
			runs_question(&sb, "Restore", ids.n, hidden);
		prompt_confirm(v, sb.buf, true, do_restore,
		    ids_arg_new(&ids, deleted, p), ids_arg_free);
		break;
	case ACT_PURGE:
		if (!deleted) {
			view_error(v, "Purge works in the trash view (T)");
			break;
		}
		if (ids.n == 1)
			strbuf_addf(&sb, "Permanently delete run %.8s? This "
			    "cannot be undone.", ids.v[0]);
		else {
			runs_question(&sb, "Permanently delete", ids.n, hidden);
			strbuf_addstr(&sb, " This cannot be undone.");
		}
		prompt_confirm(v, sb.buf, false, do_purge,
		    ids_arg_new(&ids, deleted, p), ids_arg_free);
		break;
	case ACT_SHELL:
		run_shell(v, ids.v[ids.n - 1], deleted);
		break;
	default:
		break;
	}
	strvec_clear(&ids);
	strbuf_release(&sb);
}

struct filter_arg {
	struct pane	*pane;
	char		*old;
};

static void
filter_change(struct view *v, const char *text, void *arg)
{
	struct filter_arg	*fa = arg;
	struct runlist		*rl = fa->pane->ops->runlist(fa->pane);
	char			*cause = NULL;

	/* While typing, a half-written pattern just keeps the last one. */
	if (runlist_set_pattern(rl, text, &cause) == -1)
		free(cause);
	else
		pane_set_cursor(fa->pane, 0);
	view_dirty(v);
}

static void
filter_arg_free(void *arg)
{
	struct filter_arg	*fa = arg;

	free(fa->old);
	free(fa);
}

static void
filter_done(struct view *v, const char *text, void *arg)
{
	struct filter_arg	*fa = arg;
	struct runlist		*rl = fa->pane->ops->runlist(fa->pane);
	char			*cause = NULL;

	if (text == NULL)
		text = fa->old;
	if (runlist_set_pattern(rl, text, &cause) == -1) {
		view_error(v, "Bad pattern: %s", cause);
		free(cause);
		runlist_set_pattern(rl, fa->old, NULL);
	}
	pane_scroll_to_cursor(fa->pane);
	if (fa->pane == v->runs_pane)
		output_follow_run(v->output, runlist_row(rl, fa->pane->cursor));
}

static void
expr_done(struct view *v, const char *text, void *arg)
{
	struct pane	*p = arg;
	struct runlist	*rl = p->ops->runlist(p);
	char		*cause = NULL, *prev;

	if (text == NULL)
		return;
	prev = view_cursor_id(v);
	if (runlist_set_expr(rl, text, &cause) == -1)
		view_error_cause(v, cause);
	else if (*text == '\0')
		view_message(v, "Expression filter cleared");
	if (rl == v->runs)
		view_runs_changed(v, prev);
	else
		pane_scroll_to_cursor(p);
	free(prev);
}

/* The pane whose runs a filter applies to. */
static struct pane *
runs_pane_for(struct view *v)
{
	struct pane	*p = view_focus(v);

	if (p->ops->runlist != NULL)
		return p;
	if (v->nstack == 0)
		return v->runs_pane;
	return NULL;
}

static void
toggle_op_filter(struct view *v)
{
	char	*prev;

	if (v->runs->model != NULL) {
		prev = view_cursor_id(v);
		runlist_set_op(v->runs, NULL, NULL, NULL);
		view_runs_changed(v, prev);
		free(prev);
		view_message(v, "Showing the runs of every operation");
		return;
	}
	if (models_selected(v) == NULL) {
		view_error(v, "No project here: nothing to filter by");
		return;
	}
	runlist_set_op(v->runs, NULL, "", NULL);
	view_sync_op_filter(v);
	view_message(v, "Showing the runs of the selected %s (o again shows "
	    "all)", v->focus == MAIN_MODELS ? "model" : "operation");
}

static void
open_info(struct view *v, struct pane *p)
{
	struct strvec	ids = STRVEC_INIT;
	const char	*args[2];

	if (!view_targets(v, p, &ids) && ids.n == 0) {
		view_error(v, "No run selected");
		return;
	}
	/* With several selected, the one under the cursor. */
	if (p->ops->current_run != NULL && p->ops->current_run(p) != NULL)
		args[0] = p->ops->current_run(p)->id;
	else
		args[0] = ids.v[0];
	args[1] = targets_deleted(v, p) ? "deleted" : NULL;
	view_push(v, &pane_info_ops, (void *)args);
	strvec_clear(&ids);
}

/* q, Q, Esc: close what is open, or quit. */
static void
quit_or_close(struct view *v, enum action act)
{
	switch (act) {
	case ACT_QUIT:
		/* guild compare: q leaves, as it came to compare. */
		if (v->nstack == 1 && v->opts->start == VIEW_START_COMPARE) {
			v->quit = true;
			loop_break(v->loop);
		} else if (v->nstack > 0)
			view_pop(v);
		else {
			v->quit = true;
			loop_break(v->loop);
		}
		return;
	case ACT_QUIT_NOW:
		v->quit = true;
		loop_break(v->loop);
		return;
	default:
		break;
	}
	if (v->nstack > 0) {
		view_pop(v);
		return;
	}
	/* Reading a cold index first: the outermost work under way. */
	if (view_catchup_stop(v))
		;
	else if (v->runs->selected.n > 0) {
		runlist_clear_selection(v->runs);
		view_message(v, "Selection cleared");
	} else if (v->runs->re != NULL) {
		runlist_set_pattern(v->runs, NULL, NULL);
		view_runs_changed(v, NULL);
		view_message(v, "Filter cleared");
	} else if (v->runs->expr != NULL && *v->runs->expr != '\0') {
		char	*prev = view_cursor_id(v);

		runlist_set_expr(v->runs, NULL, NULL);
		view_runs_changed(v, prev);
		free(prev);
		view_message(v, "Expression filter cleared");
	} else if (v->zoom)
		v->zoom = false;
	view_dirty(v);
}

/* Space and A: select the run under the cursor, or every run shown. */
static void
select_runs(struct view *v, enum action act)
{
	struct pane	*rp;
	struct runlist	*rl;

	if ((rp = runs_pane_for(v)) == NULL) {
		view_error(v, "No runs here to select");
		return;
	}
	rl = rp->ops->runlist(rp);
	if (act == ACT_SELECT) {
		const struct run_row	*row = rp->ops->current_run(rp);

		if (row != NULL) {
			runlist_toggle(rl, row->id);
			pane_move(rp, ACT_MOVE_DOWN);
		}
	} else if (rl->selected.n > 0 && rl->selected.n >= runlist_count(rl)) {
		runlist_clear_selection(rl);
		view_message(v, "Selection cleared");
	} else {
		runlist_select_all(rl);
		done_message(v, RUNS_SELECTED, rl->selected.n, NULL);
	}
	view_dirty(v);
}

/* The files of the run under the cursor (else the first target). */
static void
open_files(struct view *v, struct pane *p)
{
	struct strvec		 ids = STRVEC_INIT;
	const struct run_row	*row;
	const char		*args[2];

	if (!view_targets(v, p, &ids)) {
		view_error(v, "No run selected");
		return;
	}
	row = p->ops->current_run != NULL ? p->ops->current_run(p) : NULL;
	args[0] = row != NULL ? row->id : ids.v[0];
	args[1] = targets_deleted(v, p) ? "deleted" : NULL;
	view_push(v, &pane_files_ops, (void *)args);
	strvec_clear(&ids);
}

/*
 * The terminal's clipboard, through OSC 52: it works over ssh and in
 * tmux (set-clipboard on), where no X display is at hand.
 */
static void
osc52_copy(const char *text)
{
	static const char	 b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*s = (const unsigned char *)text;
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 i, n = strlen(text);
	unsigned		 v;

	strbuf_addstr(&sb, "\033]52;c;");
	for (i = 0; i < n; i += 3) {
		v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		strbuf_addch(&sb, b64[(v >> 18) & 63]);
		strbuf_addch(&sb, b64[(v >> 12) & 63]);
		strbuf_addch(&sb, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		strbuf_addch(&sb, i + 2 < n ? b64[v & 63] : '=');
	}
	strbuf_addstr(&sb, "\a");
	(void)write_all(STDOUT_FILENO, sb.buf, sb.len);
	strbuf_release(&sb);
}

/* y and Y: the id or the directory of the run under the cursor. */
static void
copy_run(struct view *v, struct pane *p, enum action act)
{
	struct strvec		 ids = STRVEC_INIT;
	const struct run_row	*row;
	const char		*id;
	char			*text;

	if (!view_targets(v, p, &ids)) {
		view_error(v, "No run selected");
		return;
	}
	row = p->ops->current_run != NULL ? p->ops->current_run(p) : NULL;
	id = row != NULL ? row->id : ids.v[0];
	text = act == ACT_COPY_ID ? xstrdup(id) :
	    run_dir_of(v, id, targets_deleted(v, p));
	osc52_copy(text);
	view_message(v, "Copied %s to the clipboard", text);
	free(text);
	strvec_clear(&ids);
}

/* v: the pictures of the run under the cursor, errors first. */
static void
open_images(struct view *v, struct pane *p)
{
	struct strvec		 ids = STRVEC_INIT;
	const struct run_row	*row;
	const char		*id;
	char			*dir;

	if (!view_targets(v, p, &ids)) {
		view_error(v, "No run selected");
		return;
	}
	row = p->ops->current_run != NULL ? p->ops->current_run(p) : NULL;
	id = row != NULL ? row->id : ids.v[0];
	dir = run_dir_of(v, id, targets_deleted(v, p));
	if (!view_images(v, id, dir))
		view_error(v, "Run %.8s has no images (PNG, JPEG, GIF, WebP, "
		    "BMP)", id);
	free(dir);
	strvec_clear(&ids);
}

/* / and :, the pattern and the expression filters of a runs list. */
static void
open_filter(struct view *v, enum action act)
{
	struct pane		*rp;
	struct filter_arg	*fa;
	struct runlist		*rl;

	if ((rp = runs_pane_for(v)) == NULL) {
		view_error(v, "Nothing to filter here");
		return;
	}
	rl = rp->ops->runlist(rp);
	if (act == ACT_FILTER_EXPR) {
		prompt_open(v, "Filter expression: ", rl->expr, expr_done, NULL,
		    rp, NULL);
		return;
	}
	fa = xcalloc(1, sizeof *fa);
	fa->pane = rp;
	fa->old = rl->re != NULL ? xstrdup(regex_pattern(rl->re)) : NULL;
	prompt_open(v, "Filter runs: /", fa->old, filter_done, filter_change,
	    fa, filter_arg_free);
}

void
view_action(struct view *v, enum action act)
{
	struct pane	*p = view_focus(v);
	struct pane	*rp;
	struct strvec	 ids = STRVEC_INIT;

	switch (act) {
	case ACT_QUIT:
	case ACT_QUIT_NOW:
	case ACT_CLOSE:
		quit_or_close(v, act);
		return;
	case ACT_HELP:
		view_push(v, &pane_help_ops, p);
		return;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		view_resize(v);
		return;
	case ACT_REFRESH:
		view_load_project(v);
		/* Runs not read yet (Esc stopped it) are read between keys. */
		view_catchup_resume(v);
		view_reload_runs(v);
		view_message(v, "Reloaded");
		return;
	case ACT_SUSPEND:
		view_suspend(v);
		return;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE:
		if (v->nstack > 0)
			return;
		view_focus_main(v, main_pane_step(v->focus,
		    act == ACT_NEXT_PANE ? 1 : -1));
		return;
	case ACT_ZOOM:
		if (v->nstack > 0)
			return;
		v->zoom = !v->zoom;
		view_dirty(v);
		return;
	case ACT_SIDE_WIDER:
	case ACT_SIDE_NARROWER:
	case ACT_LAYOUT:
		view_side(v, act == ACT_LAYOUT ? 0 : act == ACT_SIDE_WIDER ?
		    1 : -1);
		return;
	case ACT_RUN_OP:
		view_run_form(v, p);
		return;
	case ACT_STOP:
	case ACT_DELETE:
	case ACT_LABEL:
	case ACT_TAG:
	case ACT_MARK:
	case ACT_RESTORE:
	case ACT_PURGE:
	case ACT_SHELL:
		runs_action(v, p, act);
		return;
	case ACT_TRASH:
		view_push(v, &pane_trash_ops, NULL);
		return;
	case ACT_SELECT:
	case ACT_SELECT_ALL:
		select_runs(v, act);
		return;
	case ACT_DIFF:
		view_diff(v, p);
		return;
	case ACT_FILES:
		open_files(v, p);
		return;
	case ACT_INFO:
		open_info(v, p);
		return;
	case ACT_IMAGES:
		open_images(v, p);
		return;
	case ACT_COPY_ID:
	case ACT_COPY_DIR:
		copy_run(v, p, act);
		return;
	case ACT_COMPARE:
		rp = runs_pane_for(v);
		view_push(v, &pane_compare_ops, rp != NULL ?
		    rp->ops->runlist(rp) : v->runs);
		return;
	case ACT_PLOT:
		if (!view_targets(v, p, &ids)) {
			view_error(v, "No run selected");
			return;
		}
		view_push(v, &pane_plot_ops, &ids);
		strvec_clear(&ids);
		return;
	case ACT_FILTER:
	case ACT_FILTER_EXPR:
		open_filter(v, act);
		return;
	case ACT_FILTER_OP:
		if (v->nstack > 0) {
			view_error(v, "The operation filter is for the main "
			    "screen");
			return;
		}
		toggle_op_filter(v);
		return;
	case ACT_FOLLOW:
	case ACT_WRAP:
	case ACT_SEARCH:
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		/* The output pane's, from anywhere on the main screen. */
		if (v->nstack == 0 && p != v->output &&
		    v->output->ops->action(v->output, act))
			return;
		view_error(v, "Nothing to search here");
		return;
	case ACT_ENTER:
		return;
	default:
		view_error(v, "%s does not apply here", action_name(act));
		return;
	}
}


void
actions_cleanup(void)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(stopping); i++) {
		free(stopping[i].id);
		stopping[i].id = NULL;
	}
}
