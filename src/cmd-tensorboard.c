/*
 * cmd-tensorboard.c: guild tensorboard [RUN...]: TensorBoard over runs.
 *
 * TensorBoard reads a log directory; guild builds one in a temporary
 * directory, with a subdirectory per run named "<short id> <operation>
 * <started>" holding
 *	- an event file of the scalars guild logged from the run's output
 *	  (RUN/.guild/scalars.tsv is ours; TensorBoard reads event files),
 *	- links to the event files the run wrote itself (a Keras TensorBoard
 *	  callback, Guild AI's .guild/events.out.tfevents.*), in the same
 *	  places relative to the run.
 * While TensorBoard runs, the directory is refreshed every few seconds:
 * new runs appear, new scalars are appended, new event files linked. The
 * directory is removed when TensorBoard exits.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-select.h"
#include "cmds.h"
#include "format.h"
#include "home.h"
#include "loop.h"
#include "proc.h"
#include "run.h"
#include "runindex.h"
#include "scalars.h"
#include "strbuf.h"
#include "tfevents.h"
#include "value.h"
#include "util.h"

enum {
	O_HOST = 1,
	O_PORT,
	O_NO_OPEN,
	O_REFRESH,
	O_KEEP_LOGDIR,
	O_EXPORT_SCALARS,
};

static const struct cmd_option tensorboard_options[] = {
	{ O_HOST, "h", "host", "HOST",
	  "Name of the host to listen on (TensorBoard's default: localhost)." },
	{ O_PORT, "p", "port", "PORT",
	  "Port to listen on (TensorBoard's default: 6006)." },
	{ O_NO_OPEN, "n", "no-open", NULL,
	  "Do not open a browser (guild never does; accepted for Guild)." },
	{ O_REFRESH, NULL, "refresh-interval", "SECONDS",
	  "How often to refresh the runs (default 5)." },
	{ O_KEEP_LOGDIR, NULL, "keep-logdir", NULL,
	  "Keep the log directory guild built, and say where it is." },
	{ O_EXPORT_SCALARS, NULL, "export-scalars", "PATH",
	  "Write every scalar of the runs to a CSV file ('-': standard "
	  "output) instead of starting TensorBoard." },
	{ 0 }
};

/* Bounds on the walk for a run's own event files. */
#define WALK_MAX_DEPTH		8
#define WALK_MAX_ENTRIES	20000

struct tb_key {
	char	*key;
	size_t	 written;	/* points already in the event file */
};

struct tb_run {
	char		*id;
	char		*dir;		/* the run directory */
	char		*subdir;	/* logdir/<name> */
	struct tfevents	*tf;
	struct tb_key	*keys;
	size_t		 nkeys, alloc;
	bool		 done;		/* finished when last looked at */
};

struct tb {
	char		*logdir;
	struct tb_run	*runs;
	size_t		 nruns, alloc;
};

/* "19c67a72 fashion:train 2018-10-16 15:57:32", without slashes. */
static char *
run_name(const struct run_row *row)
{
	char	*started = format_time_str(row->started), *name, *p;

	name = *started != '\0' ?
	    xasprintf("%.8s %s %s", row->id, row->op_desc, started) :
	    xasprintf("%.8s %s", row->id, row->op_desc);
	free(started);
	for (p = name; *p != '\0'; p++)
		if (*p == '/' || (unsigned char)*p < 0x20)
			*p = '_';
	return name;
}

static struct tb_run *
tb_find(struct tb *tb, const char *id)
{
	size_t	i;

	for (i = 0; i < tb->nruns; i++)
		if (strcmp(tb->runs[i].id, id) == 0)
			return &tb->runs[i];
	return NULL;
}

static struct tb_key *
run_key(struct tb_run *r, const char *key)
{
	size_t	i;

	for (i = 0; i < r->nkeys; i++)
		if (strcmp(r->keys[i].key, key) == 0)
			return &r->keys[i];
	XGROW(r->keys, r->alloc, r->nkeys + 1);
	r->keys[r->nkeys].key = xstrdup(key);
	r->keys[r->nkeys].written = 0;
	return &r->keys[r->nkeys++];
}

/* Append the scalars logged since the last time. */
static int
write_scalars(struct tb_run *r, char **cause)
{
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	struct tb_key		*k;
	size_t			 i, j;
	char			*name, *path;
	int			 rc = 0;

	/* The run's event files are linked: only its output scalars. */
	if (scalars_summary_read(r->dir, SCALARS_SERIES | SCALARS_LOG_ONLY,
	    &sum, cause) == -1)
		return -1;
	for (i = 0; i < sum.n && rc == 0; i++) {
		const struct scalar_stats	*s = &sum.v[i];

		k = run_key(r, s->key);
		for (j = k->written; j < s->nseries && rc == 0; j++) {
			const struct scalar_point	*pt = &s->series[j];

			if (r->tf == NULL) {
				name = tfevents_file_name((double)now_us() / 1e6,
				    "guild");
				path = path_join(r->subdir, name);
				r->tf = tfevents_create(path,
				    (double)now_us() / 1e6, cause);
				free(name);
				free(path);
				if (r->tf == NULL) {
					rc = -1;
					break;
				}
			}
			rc = tfevents_add_scalar(r->tf, (double)pt->time_ms / 1e3,
			    pt->step, s->key, (float)pt->value, cause);
		}
		if (rc == 0)
			k->written = s->nseries;
	}
	scalars_summary_release(&sum);
	return rc;
}

/*
 * Link the event files under dir (relative path rel) into the run's
 * subdirectory. Symbolic links are not followed: a linked dataset
 * directory would make this walk, and TensorBoard's, endless.
 */
static void
link_events(struct tb_run *r, const char *dir, const char *rel, int depth,
    size_t *budget)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*path, *sub, *dest, *slash;

	if (depth > WALK_MAX_DEPTH || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && *budget > 0) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		(*budget)--;
		path = path_join(dir, de->d_name);
		sub = *rel != '\0' ? xasprintf("%s/%s", rel, de->d_name) :
		    xstrdup(de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (strcmp(sub, ".guild/sourcecode") != 0)
				link_events(r, path, sub, depth + 1, budget);
		} else if (S_ISREG(st.st_mode) &&
		    strstr(de->d_name, "tfevents") != NULL &&
		    !str_ends_with(de->d_name, ".guild")) {
			/*
			 * (Event files ending in ".guild" are guild's copy of
			 * scalars.tsv, which the logdir has already.)
			 */
			dest = path_join(r->subdir, sub);
			if (access(dest, F_OK) == -1) {
				slash = strrchr(dest, '/');
				*slash = '\0';
				mkdir_p(dest, 0700, NULL);
				*slash = '/';
				if (symlink(path, dest) == -1)
					warnx_core("%s: %s", dest,
					    strerror(errno));
			}
			free(dest);
		}
		free(path);
		free(sub);
	}
	closedir(d);
}

/* Bring the log directory up to date with the selected runs. */
static int
tb_refresh(struct tb *tb, const struct run_rows *rows)
{
	struct tb_run	*r;
	char		*name, *cause = NULL;
	size_t		 i, budget;

	for (i = 0; i < rows->n; i++) {
		const struct run_row	*row = rows->v[i];

		if ((r = tb_find(tb, row->id)) == NULL) {
			XGROW(tb->runs, tb->alloc, tb->nruns + 1);
			r = &tb->runs[tb->nruns];
			memset(r, 0, sizeof *r);
			name = run_name(row);
			r->subdir = path_join(tb->logdir, name);
			free(name);
			if (mkdir(r->subdir, 0700) == -1 && errno != EEXIST) {
				cli_error("%s: %s", r->subdir, strerror(errno));
				free(r->subdir);
				return -1;
			}
			r->id = xstrdup(row->id);
			r->dir = xstrdup(row->dir);
			tb->nruns++;
		} else if (r->done)
			continue;
		/* A finished run is read a last time, then left alone. */
		r->done = row->status != RUN_STATUS_RUNNING &&
		    row->status != RUN_STATUS_PENDING &&
		    row->status != RUN_STATUS_STAGED;
		if (write_scalars(r, &cause) == -1) {
			/* One unreadable run must not stop the others. */
			warnx_core("run %.8s: %s", r->id, cause);
			free(cause);
			cause = NULL;
		}
		budget = WALK_MAX_ENTRIES;
		link_events(r, r->dir, "", 0, &budget);
	}
	return 0;
}

static void
tb_free(struct tb *tb)
{
	size_t	i, j;

	for (i = 0; i < tb->nruns; i++) {
		struct tb_run	*r = &tb->runs[i];

		tfevents_close(r->tf, NULL);
		for (j = 0; j < r->nkeys; j++)
			free(r->keys[j].key);
		free(r->keys);
		free(r->id);
		free(r->dir);
		free(r->subdir);
	}
	free(tb->runs);
	free(tb->logdir);
}

/* Whether "python3 -c 'import tensorboard'" works, quietly. */
static bool
python_has_tensorboard(const char *python)
{
	const char *const	 argv[] = { python, "-c", "import tensorboard.main",
				     NULL };
	struct proc_spec	 spec = {
		.argv = argv,
		.mode = PROC_INHERIT,
		.null_input = true,
		.null_output = true,
	};
	char			*cause = NULL;
	int			 rc, code;

	rc = proc_run(&spec, NULL, NULL, &code, &cause);
	free(cause);
	return rc == 0 && code == 0;
}

/* argv to start TensorBoard with, or false when it is not installed. */
static bool
tensorboard_argv(struct strvec *argv)
{
	char	*exe;

	if ((exe = path_which("tensorboard")) != NULL) {
		strvec_push_nodup(argv, exe);
		return true;
	}
	if ((exe = path_which("python3")) != NULL &&
	    python_has_tensorboard(exe)) {
		strvec_push_nodup(argv, exe);
		strvec_push(argv, "-m");
		strvec_push(argv, "tensorboard.main");
		return true;
	}
	free(exe);
	return false;
}

static int
select_runs(struct cmd_ctx *ctx, struct cmd_args *a, struct run_rows *rows)
{
	struct runindex	*idx;
	int		 rc;

	rc = cmd_runs_select(ctx, a, NULL, NULL, false, 0, &idx, rows);
	if (rc == 0)
		runindex_close(idx);
	return rc;
}

/* TensorBoard running, the runs refreshed under it. */
struct tb_wait {
	struct cmd_ctx	*ctx;
	struct cmd_args	*a;
	struct tb	*tb;
	struct loop	*loop;
	struct proc	*proc;
	int		 status;
};

static void
tb_exited(struct proc *p, int status, void *arg)
{
	struct tb_wait	*w = arg;

	(void)p;
	w->status = status;
	loop_break(w->loop);
}

/*
 * Ctrl-C reaches TensorBoard from the terminal; we wait for it to exit
 * and clean up. A TERM or HUP sent to us alone is passed on.
 */
static void
tb_signal(int signo, void *arg)
{
	struct tb_wait	*w = arg;

	if (signo != SIGINT && !proc_done(w->proc))
		proc_kill(w->proc, signo);
}

static void
tb_tick(struct loop_timer *t, void *arg)
{
	struct tb_wait	*w = arg;
	struct run_rows	 rows = RUN_ROWS_INIT;

	(void)t;
	if (select_runs(w->ctx, w->a, &rows) == 0)
		tb_refresh(w->tb, &rows);
	run_rows_release(&rows);
}

/* Run TensorBoard (argv) to its end; our exit status. */
static int
tb_serve(struct cmd_ctx *ctx, struct cmd_args *a, struct tb *tb,
    const struct strvec *argv, unsigned long refresh)
{
	struct tb_wait		 w = { .ctx = ctx, .a = a, .tb = tb };
	struct proc_spec	 spec = {
		.argv = (const char *const *)argv->v,
		.mode = PROC_INHERIT,
		.exec_cause = true,
	};
	struct proc_hooks	 hooks = { .on_exit = tb_exited };
	char			*cause = NULL;
	int			 code, rc = 1;

	w.loop = loop_new();
	if (loop_signal(w.loop, SIGINT, tb_signal, &w) == -1 ||
	    loop_signal(w.loop, SIGTERM, tb_signal, &w) == -1 ||
	    loop_signal(w.loop, SIGHUP, tb_signal, &w) == -1) {
		cli_error("signals: %s", strerror(errno));
		goto out;
	}
	if ((w.proc = proc_spawn(w.loop, &spec, &hooks, &w, &cause)) == NULL) {
		cli_error_cause(cause);
		goto out;
	}
	loop_timer_add(w.loop, refresh > UINT_MAX / 1000 ? UINT_MAX :
	    (unsigned)refresh * 1000, 1, tb_tick, &w);
	while (!proc_done(w.proc))
		if (loop_run(w.loop) == -1 && errno != EINTR) {
			cli_error("poll: %s", strerror(errno));
			goto out;
		}
	code = proc_exit_code(w.status);
	rc = code == 0 || code == -SIGINT || code == -SIGTERM ? 0 : 1;
out:
	proc_free(w.proc);
	loop_free(w.loop);
	return rc;
}

/*
 * --export-scalars: Guild's CSV, run,path,tag,value,step, from every
 * event file in the runs (guild's runs write their output scalars to
 * .guild/events.out.tfevents.* too, as Guild does).
 */

struct csv_out {
	FILE		*f;
	const char	*id;
	const char	*path;	/* the event file's directory, in the run */
	struct strbuf	 sb;
};

static void
csv_row(struct csv_out *o, const char *tag, double value, long long step)
{
	strbuf_reset(&o->sb);
	format_csv_field(&o->sb, o->id);
	strbuf_addch(&o->sb, ',');
	format_csv_field(&o->sb, o->path);
	strbuf_addch(&o->sb, ',');
	format_csv_field(&o->sb, tag);
	strbuf_addch(&o->sb, ',');
	format_double(&o->sb, value);
	strbuf_addf(&o->sb, ",%lld\r\n", step);
	fputs(o->sb.buf, o->f);
}

static int
csv_event(const struct tfevents_event *ev, void *arg)
{
	size_t	i;

	for (i = 0; i < ev->nvalues; i++)
		csv_row(arg, ev->tags[i], (double)ev->values[i], ev->step);
	return 0;
}

/*
 * The event files under dir (rel in the run, "." at its top), directory
 * by directory, files in name order; links are not followed.
 */
static void
csv_walk(struct csv_out *o, const char *dir, const char *rel, int depth,
    size_t *entries)
{
	struct strvec	 names = STRVEC_INIT, subdirs = STRVEC_INIT;
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		*path, *sub, *cause = NULL;
	size_t		 i;

	if (depth > WALK_MAX_DEPTH || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && ++*entries < WALK_MAX_ENTRIES) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		path = path_join(dir, de->d_name);
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				strvec_push(&subdirs, de->d_name);
			else if (S_ISREG(st.st_mode) &&
			    strstr(de->d_name, "tfevents") != NULL)
				strvec_push(&names, de->d_name);
		}
		free(path);
	}
	closedir(d);
	strvec_sort(&names);
	strvec_sort(&subdirs);
	o->path = rel;
	for (i = 0; i < names.n; i++) {
		path = path_join(dir, names.v[i]);
		if (tfevents_read(path, csv_event, o, &cause) == -1 &&
		    cause != NULL) {
			warnx_core("%s: %s", path, cause);
			free(cause);
			cause = NULL;
		}
		free(path);
	}
	for (i = 0; i < subdirs.n; i++) {
		path = path_join(dir, subdirs.v[i]);
		sub = strcmp(rel, ".") == 0 ? xstrdup(subdirs.v[i]) :
		    path_join(rel, subdirs.v[i]);
		csv_walk(o, path, sub, depth + 1, entries);
		free(sub);
		free(path);
	}
	strvec_clear(&names);
	strvec_clear(&subdirs);
}

static int
export_scalars(struct cmd_ctx *ctx, struct cmd_args *a, const char *dest)
{
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct csv_out		 o = { .sb = STRBUF_INIT };
	char			*tmp = NULL, *dir, *slash, *cause = NULL;
	size_t			 i, entries;
	int			 fd, rc;

	if ((rc = select_runs(ctx, a, &rows)) != 0)
		return rc;
	if (strcmp(dest, "-") == 0)
		o.f = stdout;
	else {
		dir = xstrdup(dest);
		if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
			*slash = '\0';
			if (mkdir_p(dir, 0777, &cause) == -1) {
				free(dir);
				run_rows_release(&rows);
				return cli_error_cause(cause);
			}
		}
		free(dir);
		/* Written aside and renamed: never half a file. */
		tmp = xasprintf("%s.tmp-XXXXXX", dest);
		if ((fd = mkstemp(tmp)) == -1 ||
		    (o.f = fdopen(fd, "w")) == NULL) {
			rc = cli_error("error opening %s: %s", dest,
			    strerror(errno));
			free(tmp);
			run_rows_release(&rows);
			return rc;
		}
	}
	fputs("run,path,tag,value,step\r\n", o.f);
	for (i = 0; i < rows.n; i++) {
		o.id = rows.v[i]->id;
		entries = 0;
		csv_walk(&o, rows.v[i]->dir, ".", 0, &entries);
	}
	run_rows_release(&rows);
	strbuf_release(&o.sb);
	if (tmp == NULL)
		return fflush(stdout) == 0 ? 0 : cli_error("standard output: "
		    "%s", strerror(errno));
	if (ferror(o.f) | (fclose(o.f) != 0)) {
		rc = cli_error("%s: %s", dest, strerror(errno));
		unlink(tmp);
	} else {
		chmod(tmp, 0666 & ~process_umask());
		if (rename(tmp, dest) == -1) {
			rc = cli_error("%s: %s", dest, strerror(errno));
			unlink(tmp);
		}
	}
	free(tmp);
	return rc;
}

static int
cmd_tensorboard_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct tb		 tb;
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct strvec		 argv = STRVEC_INIT;
	const char		*v, *tmpdir;
	char			*end;
	unsigned long		 refresh = 5;
	int			 rc;

	memset(&tb, 0, sizeof tb);
	if ((v = cmd_arg_value(a, O_EXPORT_SCALARS)) != NULL)
		return export_scalars(ctx, a, v);
	if ((v = cmd_arg_value(a, O_REFRESH)) != NULL) {
		errno = 0;
		refresh = strtoul(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 || refresh == 0)
			return cli_error("invalid value for --refresh-interval: "
			    "'%s' is not a positive integer", v);
	}
	if ((v = cmd_arg_value(a, O_PORT)) != NULL &&
	    (strspn(v, "0123456789") != strlen(v) || *v == '\0' ||
	    strlen(v) > 5 || strtoul(v, NULL, 10) > 65535))
		return cli_error("invalid value for --port: '%s' is not a port "
		    "number", v);
	if (!tensorboard_argv(&argv))
		return cli_error("tensorboard is not installed\n"
		    "Install it with 'pip install tensorboard' (Debian and "
		    "Ubuntu have no package for it), then run this command "
		    "again.");
	if ((rc = select_runs(ctx, a, &rows)) != 0) {
		strvec_clear(&argv);
		return rc;
	}

	if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	tb.logdir = xasprintf("%s/guild-tensorboard-XXXXXX", tmpdir);
	if (mkdtemp(tb.logdir) == NULL) {
		rc = cli_error("%s: %s", tb.logdir, strerror(errno));
		goto out;
	}
	if (tb_refresh(&tb, &rows) == -1) {
		rc = 1;
		goto out;
	}
	run_rows_release(&rows);

	strvec_push(&argv, "--logdir");
	strvec_push(&argv, tb.logdir);
	if ((v = cmd_arg_value(a, O_HOST)) != NULL) {
		strvec_push(&argv, "--host");
		strvec_push(&argv, v);
	}
	if ((v = cmd_arg_value(a, O_PORT)) != NULL) {
		strvec_push(&argv, "--port");
		strvec_push(&argv, v);
	}
	if (cmd_arg_has(a, O_KEEP_LOGDIR)) {
		fflush(stdout);
		fprintf(stderr, "Log directory: %s\n",
		    cli_field(stderr, tb.logdir));
	}

	rc = tb_serve(ctx, a, &tb, &argv, refresh);
out:
	run_rows_release(&rows);
	strvec_clear(&argv);
	if (tb.logdir != NULL && !cmd_arg_has(a, O_KEEP_LOGDIR))
		rm_rf(tb.logdir, NULL);
	tb_free(&tb);
	return rc;
}

const struct cmd_entry cmd_tensorboard_entry = {
	.name = "tensorboard",
	.usage = "[RUN...]",
	.summary = "Visualize runs with TensorBoard.",
	.description =
	    "Starts TensorBoard over the runs (all runs without RUN\n"
	    "arguments): the scalars guild logged from their output and the\n"
	    "TensorFlow event files they wrote. TensorBoard must be installed\n"
	    "('pip install tensorboard'): as 'tensorboard' on PATH, or as a\n"
	    "module of python3.",
	.options = tensorboard_options,
	.filter_options = run_filter_options,
	.exec = cmd_tensorboard_exec,
};
