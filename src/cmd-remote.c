/*
 * cmd-remote.c: guild remotes, guild remote status, guild push and pull,
 * and -r/--remote on the run commands (the command runs there, through
 * the command's one ssh connection; sshconn.h).
 *
 * Pull selects among the remote's runs as every run command selects:
 * their metadata (opref, attrs, LOCK*, PENDING, STAGED) is mirrored into
 * GUILD_HOME/remotes/NAME/meta/runs by one rsync, and the usual run
 * index selects there. Pulled runs that still run there carry
 * .guild/LOCK.remote (the remote's name), so they show "running" here;
 * a pull that brings the run's end removes it.
 */
#include "common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-select.h"
#include "cmds.h"
#include "error.h"
#include "home.h"
#include "proc.h"
#include "remote.h"
#include "run.h"
#include "runindex.h"
#include "sshconn.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "xmalloc.h"

/* The remote named name and a connection to it; 1 after an error. */
static int
remote_connect(struct cmd_ctx *ctx, const char *name, struct remote **rp,
    struct sshconn **cp)
{
	struct guild_home	*home = cli_home(ctx);
	char			*cause = NULL;

	if (home == NULL)
		return 1;
	if ((*rp = remote_get(home->path, name, &cause)) == NULL)
		return cli_error_cause(cause);
	*cp = sshconn_new(*rp);
	return 0;
}

static void
remote_disconnect(struct remote *r, struct sshconn *c)
{
	sshconn_close(c);
	remote_free(r);
}

/* Output of a command run there, as any untrusted text of ours. */
static void
pass_out(const char *buf, size_t len, void *arg UNUSED)
{
	cli_write_text(stdout, buf, len);
	fflush(stdout);
}

static void
pass_err(const char *buf, size_t len, void *arg UNUSED)
{
	fflush(stdout);
	cli_write_text(stderr, buf, len);
	fflush(stderr);
}

/*
 * Run guild there with args; its output passed through (on a terminal
 * it gets ours: it may ask questions). Returns our exit status.
 */
static int
remote_guild(struct sshconn *c, const char *const *args, bool terminal)
{
	struct sshconn_io	 io = { .on_out = pass_out, .on_err = pass_err,
	    .terminal = terminal };
	char			*script, *cause = NULL;
	int			 code;

	script = remote_script(sshconn_remote(c), args);
	if (sshconn_run(c, script, &io, &code, &cause) == -1) {
		free(script);
		return cli_error_cause(cause);
	}
	free(script);
	return proc_shell_status(code);
}

/*
 * -r/--remote on a run command: run the same command there, without
 * the option. path is the command ("runs delete"), argv its arguments.
 */
int
cli_remote_forward(struct cmd_ctx *ctx, const char *path, int argc,
    char **argv, const char *name)
{
	struct strvec	 args = STRVEC_INIT;
	struct remote	*r;
	struct sshconn	*c;
	char		*words, *w, *save = NULL;
	bool		 opts = true;
	int		 i, rc;

	if ((rc = remote_connect(ctx, name, &r, &c)) != 0)
		return rc;
	words = xstrdup(path);
	for (w = strtok_r(words, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save))
		strvec_push(&args, w);
	free(words);
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (opts && strcmp(a, "--") == 0)
			opts = false;
		else if (opts && (strcmp(a, "-r") == 0 ||
		    strcmp(a, "--remote") == 0)) {
			i++;
			continue;
		} else if (opts && (str_starts_with(a, "--remote=") ||
		    (str_starts_with(a, "-r") && a[2] != '\0' && a[1] != '-')))
			continue;
		strvec_push(&args, a);
	}
	/* A terminal for questions and Ctrl-C; else output passed on. */
	rc = remote_guild(c, (const char *const *)args.v,
	    isatty(STDIN_FILENO) && isatty(STDOUT_FILENO));
	strvec_clear(&args);
	remote_disconnect(r, c);
	return rc;
}

/*
 * guild remotes
 */
static int
cmd_remotes_exec(struct cmd_ctx *ctx, struct cmd_args *a UNUSED)
{
	struct remote_list	 list = REMOTE_LIST_INIT;
	struct guild_home	*home = cli_home(ctx);
	const char		**cells;
	char			*cause = NULL;
	size_t			 i;

	if (home == NULL)
		return 1;
	if (remotes_load(home->path, &list, &cause) == -1)
		return cli_error_cause(cause);
	cells = xcalloc(list.n * 4 + 1, sizeof *cells);
	for (i = 0; i < list.n; i++) {
		const struct remote *r = list.v[i];
		char *dest = remote_destination(r);

		cells[i * 4] = r->name;
		cells[i * 4 + 1] = remote_type_name(r->type);
		if (r->port > 0) {
			char *d = xasprintf("%s:%u", dest, r->port);
			free(dest);
			dest = d;
		}
		cells[i * 4 + 2] = dest;
		cells[i * 4 + 3] = r->description != NULL ? r->description : "";
	}
	cli_table(stdout, cells, list.n, 4);
	for (i = 0; i < list.n; i++)
		free((char *)cells[i * 4 + 2]);
	free(cells);
	remotes_clear(&list);
	return 0;
}

const struct cmd_entry cmd_remotes_entry = {
	.name = "remotes",
	.usage = "",
	.summary = "Show available remotes.",
	.description =
	    "Lists the remotes of the user config file (guild-remote(1)):\n"
	    "name, type, destination and description.",
	.options = (const struct cmd_option[]){ { 0 } },
	.exec = cmd_remotes_exec,
};

/*
 * guild remote status R
 */
static int
cmd_remote_status_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const char *const version[] = { "--version", NULL };
	struct sshconn_io	 io = { 0 };
	struct strbuf		 out = STRBUF_INIT, err = STRBUF_INIT;
	struct remote		*r;
	struct sshconn		*c;
	char			*script, *cause = NULL, *dest, *v;
	int			 rc, code;

	if (a->pos.n != 1)
		return cli_error("remote status: expected one REMOTE");
	if ((rc = remote_connect(ctx, a->pos.v[0], &r, &c)) != 0)
		return rc;
	io.out = &out;
	io.err = &err;
	script = remote_script(r, version);
	if (sshconn_run(c, script, &io, &code, &cause) == -1) {
		rc = cli_error_cause(cause);
		goto out;
	}
	dest = remote_destination(r);
	if (code != 0) {
		v = str_trim(err.buf != NULL ? err.buf : "");
		rc = cli_error("remote %s (%s): cannot run %s there%s%s",
		    r->name, dest, remote_guild_bin(r), *v ? ": " : "", v);
		free(v);
	} else {
		v = str_trim(out.buf != NULL ? out.buf : "");
		printf("%s (%s) is available\n", r->name, dest);
		printf("%s\n", cli_field(stdout, v));
		free(v);
	}
	free(dest);
out:
	free(script);
	strbuf_release(&out);
	strbuf_release(&err);
	remote_disconnect(r, c);
	return rc;
}

static const struct cmd_entry cmd_remote_status_entry = {
	.name = "status",
	.usage = "REMOTE",
	.summary = "Show whether a remote is available.",
	.description =
	    "Connects to REMOTE and runs its guild-bin there (guild\n"
	    "--version).",
	.options = (const struct cmd_option[]){ { 0 } },
	.exec = cmd_remote_status_exec,
};

static const struct cmd_entry *const remote_subcommands[] = {
	&cmd_remote_status_entry,
	NULL
};

const struct cmd_entry cmd_remote_entry = {
	.name = "remote",
	.usage = "COMMAND [ARGS]...",
	.summary = "Manage remote status.",
	.subcommands = remote_subcommands,
};

/*
 * guild push / guild pull
 */
enum {
	SYNC_DELETE = 1,
	SYNC_YES,
};

static const struct cmd_option push_options[] = {
	{ SYNC_DELETE, "n", "delete", NULL,
	  "Delete remote files missing locally." },
	{ SYNC_YES, "y", "yes", NULL, "Do not prompt before copying." },
	{ 0 }
};

static const struct cmd_option pull_options[] = {
	{ SYNC_DELETE, "d", "delete", NULL,
	  "Delete local files missing on remote." },
	{ SYNC_YES, "y", "yes", NULL, "Do not prompt before copying." },
	{ 0 }
};

/* The run specs after REMOTE. */
static void
specs_after_remote(const struct cmd_args *a, struct strvec *specs)
{
	size_t	 i;

	for (i = 1; i < a->pos.n; i++)
		strvec_push(specs, a->pos.v[i]);
}

/* The remote's runs directory, for rsync. Caller frees. */
static char *
remote_runs(const struct remote *r)
{
	char	*home = remote_home_rsync(r), *runs;

	runs = path_join(home, "runs");
	free(home);
	return runs;
}

static int
cmd_push_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct strvec	 specs = STRVEC_INIT, args = STRVEC_INIT;
	struct run_rows	 rows = RUN_ROWS_INIT;
	struct runindex	*idx = NULL;
	struct remote	*r = NULL;
	struct sshconn	*c = NULL;
	char		*intro, *rruns = NULL, *cause = NULL, *dest;
	bool		 del = cmd_arg_has(a, SYNC_DELETE);
	size_t		 i;
	int		 rc;

	if (a->pos.n < 1)
		return cli_error("push: missing argument REMOTE");
	if ((rc = remote_connect(ctx, a->pos.v[0], &r, &c)) != 0)
		return rc;
	specs_after_remote(a, &specs);
	if ((rc = cmd_runs_select(ctx, a, &specs, ":", false, 0, &idx,
	    &rows)) != 0)
		goto out;
	intro = xasprintf("You are about to copy (push%s) the following runs "
	    "to %s:", del ? " with delete" : "", r->name);
	if (!cmd_runs_op_start(&(struct cmd_runs_op){ "No runs to copy.",
	    true }, &rows, cmd_arg_has(a, SYNC_YES), intro, "Continue?")) {
		free(intro);
		goto out;
	}
	free(intro);
	rruns = remote_runs(r);
	strvec_push(&args, "-a");
	if (del)
		strvec_push(&args, "--delete");
	/* Our mark of another remote's run means nothing there. */
	strvec_push(&args, "--exclude=.guild/LOCK.remote");
	for (i = 0; i < rows.n; i++)
		strvec_push(&args, rows.v[i]->dir);
	/* Sources without "/": each run directory goes into runs/. */
	dest = sshconn_path(c, rruns);
	strvec_pushf(&args, "%s/", dest);
	free(dest);
	if (sshconn_rsync(c, &args, rruns, NULL, &cause) == -1) {
		rc = cli_error_cause(cause);
		goto out;
	}
	cli_note("Copied %zu run(s) to %s", rows.n, r->name);
out:
	free(rruns);
	strvec_clear(&args);
	strvec_clear(&specs);
	run_rows_release(&rows);
	if (idx != NULL)
		runindex_close(idx);
	remote_disconnect(r, c);
	return rc;
}

/*
 * The remote's run metadata mirrored in GUILD_HOME/remotes/NAME/meta, a
 * Guild home of its own for selecting. Returns it or NULL after an error.
 */
static struct guild_home *
sync_meta(struct cmd_ctx *ctx, struct sshconn *c)
{
	static const char *const filters[] = {
		"--include=/*/", "--include=/*/.guild/",
		"--include=/*/.guild/opref", "--include=/*/.guild/attrs/***",
		"--include=/*/.guild/LOCK*", "--include=/*/.guild/PENDING",
		"--include=/*/.guild/STAGED", "--exclude=*", NULL,
	};
	const struct remote	*r = sshconn_remote(c);
	struct strvec		 args = STRVEC_INIT;
	struct guild_home	*meta;
	char			*dir, *rruns, *src, *cause = NULL;
	size_t			 i;

	dir = xasprintf("%s/remotes/%s/meta", cli_home(ctx)->path, r->name);
	if ((meta = home_new(dir, &cause)) == NULL ||
	    home_ensure(meta, &cause) == -1) {
		free(dir);
		home_free(meta);
		cli_error_cause(cause);
		return NULL;
	}
	free(dir);
	rruns = remote_runs(r);
	strvec_push(&args, "-a");
	strvec_push(&args, "--delete");
	strvec_push(&args, "--delete-excluded");
	for (i = 0; filters[i] != NULL; i++)
		strvec_push(&args, filters[i]);
	src = sshconn_path(c, rruns);
	strvec_pushf(&args, "%s/", src);
	strvec_pushf(&args, "%s/", meta->runs);
	free(src);
	if (sshconn_rsync(c, &args, rruns, NULL, &cause) == -1) {
		cli_error_cause(cause);
		home_free(meta);
		meta = NULL;
	}
	free(rruns);
	strvec_clear(&args);
	return meta;
}

/*
 * After a pull: a run that has not ended there carries LOCK.remote here;
 * one whose end came with the pull (or that is dead there) does not.
 */
static void
mark_pulled(const struct guild_home *home, const struct run_row *meta_row,
    const char *remote)
{
	struct run	 run;
	char		*lock, *cause = NULL;
	bool		 live;

	char		*ended;

	run.id = meta_row->id;
	run.path = path_join(home->runs, meta_row->id);
	run.guild = path_join(run.path, ".guild");
	lock = path_join(run.guild, "LOCK.remote");
	ended = path_join(run.guild, "attrs/exit_status");
	live = (meta_row->status == RUN_STATUS_RUNNING ||
	    meta_row->status == RUN_STATUS_PENDING) && !path_exists(ended);
	free(ended);
	if (live) {
		if (write_file_atomic(lock, remote, strlen(remote),
		    &cause) == -1) {
			cli_error_cause(cause);
		}
	} else if (unlink(lock) == -1 && errno != ENOENT)
		cli_error("%s: %s", lock, strerror(errno));
	free(lock);
	free(run.guild);
	free(run.path);
}

/* Pull ids (rows of the meta home) from c into home; -1 after an error. */
static int
pull_rows(struct sshconn *c, const struct guild_home *home,
    const struct run_rows *rows, bool del)
{
	const struct remote	*r = sshconn_remote(c);
	struct strvec		 args = STRVEC_INIT;
	char			*rruns, *cause = NULL;
	size_t			 i;
	int			 rc = 0;

	rruns = remote_runs(r);
	strvec_push(&args, "-a");
	if (del)
		strvec_push(&args, "--delete");
	/* Their locks are the remote's; ours is LOCK.remote. */
	strvec_push(&args, "--exclude=.guild/LOCK*");
	strvec_push(&args, "--exclude=.guild/job-packages");
	for (i = 0; i < rows->n; i++) {
		char *p = path_join(rruns, rows->v[i]->id);
		strvec_push_nodup(&args, sshconn_path(c, p));
		free(p);
	}
	strvec_pushf(&args, "%s/", home->runs);
	if (sshconn_rsync(c, &args, NULL, NULL, &cause) == -1) {
		cli_error_cause(cause);
		rc = -1;
	}
	free(rruns);
	strvec_clear(&args);
	if (rc == 0)
		for (i = 0; i < rows->n; i++)
			mark_pulled(home, rows->v[i], r->name);
	return rc;
}

/* Pull: select there (in the mirrored metadata), copy, mark. */
int
cmd_remote_pull(struct cmd_ctx *ctx, struct cmd_args *a, struct sshconn *c,
    const struct strvec *specs, bool del, bool yes, bool quiet)
{
	const struct remote	*r = sshconn_remote(c);
	struct guild_home	*meta, *local = cli_home(ctx);
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct runindex		*idx = NULL, *lidx = NULL;
	char			*intro;
	size_t			 i;
	int			 rc;

	if (local == NULL || (meta = sync_meta(ctx, c)) == NULL)
		return 1;
	/* Select among the remote's runs as every run command selects. */
	ctx->home = meta;
	rc = cmd_runs_select(ctx, a, specs, ":", false, 0, &idx, &rows);
	ctx->home = local;
	if (rc != 0)
		goto out;
	intro = xasprintf("You are about to copy (pull%s) the following runs "
	    "from %s:", del ? " with delete" : "", r->name);
	if (!cmd_runs_op_start(&(struct cmd_runs_op){ "No runs to copy.",
	    true }, &rows, yes, intro, "Continue?")) {
		free(intro);
		goto out;
	}
	free(intro);
	home_ensure(local, NULL);
	if (pull_rows(c, local, &rows, del) == -1) {
		rc = 1;
		goto out;
	}
	if (cmd_runs_open_index(ctx, &lidx) == 0) {
		for (i = 0; i < rows.n; i++)
			cmd_runs_index_update(lidx, rows.v[i]->id, false);
		runindex_close(lidx);
	}
	if (!quiet)
		cli_note("Copied %zu run(s) from %s", rows.n, r->name);
out:
	run_rows_release(&rows);
	if (idx != NULL)
		runindex_close(idx);
	home_free(meta);
	return rc;
}

static int
cmd_pull_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct strvec	 specs = STRVEC_INIT;
	struct remote	*r;
	struct sshconn	*c;
	int		 rc;

	if (a->pos.n < 1)
		return cli_error("pull: missing argument REMOTE");
	if ((rc = remote_connect(ctx, a->pos.v[0], &r, &c)) != 0)
		return rc;
	specs_after_remote(a, &specs);
	rc = cmd_remote_pull(ctx, a, c, &specs, cmd_arg_has(a, SYNC_DELETE),
	    cmd_arg_has(a, SYNC_YES), false);
	strvec_clear(&specs);
	remote_disconnect(r, c);
	return rc;
}

const struct cmd_entry cmd_push_entry = {
	.name = "push",
	.usage = "REMOTE [RUN...]",
	.summary = "Copy one or more runs to a remote.",
	.description =
	    "Copies the selected runs (all runs without RUN) to REMOTE's\n"
	    "Guild home by rsync over ssh: only what changed is sent. With\n"
	    "--delete, files of those runs that are not here are removed\n"
	    "there.",
	.options = push_options,
	.filter_options = run_filter_options,
	.exec = cmd_push_exec,
};

const struct cmd_entry cmd_pull_entry = {
	.name = "pull",
	.usage = "REMOTE [RUN...]",
	.summary = "Copy one or more runs from a remote.",
	.description =
	    "Copies REMOTE's runs (all runs without RUN; RUN and the filters\n"
	    "select among the remote's runs) into the local Guild home by\n"
	    "rsync over ssh: only what changed is copied. A run still running\n"
	    "there shows as running here until a pull brings its end. With\n"
	    "--delete, files of those runs that are not there are removed\n"
	    "here.",
	.options = pull_options,
	.filter_options = run_filter_options,
	.exec = cmd_pull_exec,
};

/* Follow the run's output there (guild watch); 1 when Ctrl-C detached. */
static int
follow(struct sshconn *c, const char *id, char **cause)
{
	const char		*args[] = { "watch", id, NULL };
	struct sshconn_io	 io = { .on_out = pass_out, .on_err = pass_err,
	    .forward_int = true };
	char			*script;
	int			 code, rc;

	script = remote_script(sshconn_remote(c), args);
	rc = sshconn_run(c, script, &io, &code, cause);
	free(script);
	if (rc == 0 && (code == -SIGINT || code == 128 + SIGINT))
		rc = 1;
	return rc;
}

/* Start the copied run there, detached; -1 with cause. */
static int
start_there(struct sshconn *c, const char *id, char **cause)
{
	const char		*args[] = { "run", "--start", id, "--background",
	    "-y", "-q", NULL };
	struct strbuf		 err = STRBUF_INIT;
	struct sshconn_io	 io = { .err = &err };
	char			*script, *line;
	int			 code, rc;

	script = remote_script(sshconn_remote(c), args);
	rc = sshconn_run(c, script, &io, &code, cause);
	free(script);
	if (rc == 0 && code != 0) {
		line = str_trim(err.buf != NULL ? err.buf : "");
		rc = set_cause(cause, "remote %s: cannot start run %.8s there%s%s",
		    sshconn_remote(c)->name, id, *line != '\0' ? ": " : "",
		    line);
		free(line);
	}
	strbuf_release(&err);
	return rc;
}

int
cmd_remote_run(struct cmd_ctx *ctx, const char *name,
    const struct guild_home *stage, const char *id, bool no_wait)
{
	struct strvec	 args = STRVEC_INIT, specs = STRVEC_INIT;
	struct cmd_args	 none;
	struct remote	*r;
	struct sshconn	*c;
	struct run	*run;
	char		*rruns, *dest, *cause = NULL;
	int		 rc;

	if ((rc = remote_connect(ctx, name, &r, &c)) != 0)
		return rc;
	rruns = remote_runs(r);
	strvec_push(&args, "-a");
	strvec_push_nodup(&args, path_join(stage->runs, id));
	dest = sshconn_path(c, rruns);
	strvec_pushf(&args, "%s/", dest);
	free(dest);
	if (sshconn_rsync(c, &args, rruns, NULL, &cause) == -1 ||
	    start_there(c, id, &cause) == -1) {
		rc = cli_error_cause(cause);
		goto out;
	}
	if (no_wait) {
		cli_note("Run %.8s is running on %s\nTo watch use 'guild watch "
		    "%.8s -r %s'", id, r->name, id, r->name);
		goto out;
	}
	if ((rc = follow(c, id, &cause)) == -1) {
		rc = cli_error_cause(cause);
		goto out;
	}
	if (rc == 1) {
		cli_note("Detached from run %.8s (it goes on running on %s)\n"
		    "To re-attach use 'guild watch %.8s -r %s'", id, r->name,
		    id, r->name);
		rc = 0;
		goto out;
	}
	/* Its end is there: bring the run here. */
	memset(&none, 0, sizeof none);
	strvec_push(&specs, id);
	if ((rc = cmd_remote_pull(ctx, &none, c, &specs, false, true,
	    true)) != 0)
		goto out;
	dest = path_join(cli_home(ctx)->runs, id);
	if ((run = run_open(dest, NULL)) != NULL) {
		rc = run_get_status(run) == RUN_STATUS_COMPLETED ? 0 : 1;
		run_free(run);
	}
	free(dest);
out:
	free(rruns);
	strvec_clear(&args);
	strvec_clear(&specs);
	remote_disconnect(r, c);
	return rc;
}
