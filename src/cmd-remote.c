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
#include "cmd-remote.h"
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
cli_remote_forward(struct cmd_ctx *ctx, const char *path,
    const struct strvec *fwd, const char *name)
{
	struct strvec	 args = STRVEC_INIT;
	struct remote	*r;
	struct sshconn	*c;
	char		*words, *w, *save = NULL;
	size_t		 i;
	int		 rc;

	if ((rc = remote_connect(ctx, name, &r, &c)) != 0)
		return rc;
	words = xstrdup(path);
	for (w = strtok_r(words, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save))
		strvec_push(&args, w);
	free(words);
	/* There, the Slurm remote of that machine: statuses from Slurm. */
	if (r->type == REMOTE_SLURM) {
		strvec_push(&args, "-r");
		strvec_push(&args, r->name);
	}
	for (i = 0; i < fwd->n; i++)
		strvec_push(&args, fwd->v[i]);
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

/*
 * A Slurm remote's part of its status, after guild's: the controller
 * (scontrol ping: exit 0 when it answers) and the partitions (sinfo),
 * between marker lines. One round trip with the version.
 */
#define SLURM_MARK	"\001guild-slurm"
#define SLURM_STATUS_SCRIPT \
	"printf '\\001guild-slurm\\n'\n" \
	"scontrol ping 2>&1\n" \
	"printf '\\001guild-slurm %s\\n' \"$?\"\n" \
	"sinfo 2>&1\n"

/* Print the Slurm part of out (from the marker on); 0 or exit status. */
static int
slurm_status(const struct remote *r, const char *out)
{
	const char	*mark, *ping, *end, *info;
	char		*said, *nl;
	int		 code = -1;

	if ((mark = strstr(out, SLURM_MARK "\n")) == NULL)
		return cli_error("remote %s: no answer from the Slurm "
		    "commands there", r->name);
	ping = mark + strlen(SLURM_MARK "\n");
	if ((end = strstr(ping, SLURM_MARK " ")) == NULL)
		return cli_error("remote %s: no answer from scontrol there",
		    r->name);
	code = atoi(end + strlen(SLURM_MARK " "));
	info = strchr(end, '\n');
	info = info != NULL ? info + 1 : "";
	nl = xstrndup(ping, (size_t)(end - ping));
	said = str_trim(nl);
	free(nl);
	/* scontrol may say more; its last line is the controller's. */
	while ((nl = strrchr(said, '\n')) != NULL && nl[1] == '\0')
		*nl = '\0';
	if (code != 0) {
		nl = strrchr(said, '\n');
		code = cli_error("remote %s: the Slurm controller does not "
		    "answer%s%s", r->name, *said != '\0' ? ": " : "",
		    nl != NULL ? nl + 1 : said);
		free(said);
		return code;
	}
	printf("Slurm controller: ");
	cli_write_text(stdout, said, strlen(said));
	printf("\n");
	cli_write_text(stdout, info, strlen(info));
	free(said);
	return 0;
}

static int
cmd_remote_status_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const char *const version[] = { "--version", NULL };
	struct sshconn_io	 io = { 0 };
	struct strbuf		 out = STRBUF_INIT, err = STRBUF_INIT;
	struct remote		*r;
	struct sshconn		*c;
	char			*script, *cause = NULL, *dest, *v, *mark;
	bool			 slurm, ask_guild;
	int			 rc, code;

	if (a->pos.n != 1)
		return cli_error("remote status: expected one REMOTE");
	if ((rc = remote_connect(ctx, a->pos.v[0], &r, &c)) != 0)
		return rc;
	/* Connecting first: its failure is ssh's, in one line. */
	if (sshconn_open(c, &cause) == -1) {
		rc = cli_error_cause(cause);
		remote_disconnect(r, c);
		return rc;
	}
	io.out = &out;
	io.err = &err;
	slurm = r->type == REMOTE_SLURM;
	/* Here, without a guild-bin, jobs run this very guild. */
	ask_guild = !sshconn_is_local(c) || r->guild_bin != NULL;
	script = remote_script_shell(r, ask_guild ? version : NULL,
	    slurm ? SLURM_STATUS_SCRIPT : "");
	if (sshconn_run(c, script, &io, &code, &cause) == -1) {
		rc = cli_error_cause(cause);
		goto out;
	}
	dest = remote_destination(r);
	/* Its failure ends the script before the Slurm part. */
	if (ask_guild && (slurm ? out.buf == NULL ||
	    strstr(out.buf, SLURM_MARK) == NULL : code != 0)) {
		v = str_trim(err.buf != NULL ? err.buf : "");
		rc = cli_error("remote %s (%s): cannot run %s there%s%s",
		    r->name, dest, remote_guild_bin(r), *v ? ": " : "", v);
		free(v);
	} else {
		printf("%s (%s) is available%s\n", r->name, dest,
		    sshconn_is_local(c) ? " (this machine)" : "");
		if (ask_guild) {
			v = xstrdup(out.buf);
			if ((mark = strstr(v, SLURM_MARK)) != NULL)
				*mark = '\0';
			mark = str_trim(v);
			printf("%s\n", cli_field(stdout, mark));
			free(mark);
			free(v);
		}
		if (slurm)
			rc = slurm_status(r, out.buf != NULL ? out.buf : "");
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
	    "--version). For a Slurm remote, also asks whether its\n"
	    "controller answers (scontrol ping) and shows its partitions\n"
	    "(sinfo).",
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

/* guild runs -r NAME there, for its refresh from Slurm; -1 after an error. */
static int
slurm_login_refresh(struct sshconn *c)
{
	const struct remote	*r = sshconn_remote(c);
	const char		*args[] = { "runs", "list", "-r", r->name, "-n",
				    "1", NULL };
	struct strbuf		 err = STRBUF_INIT;
	struct sshconn_io	 io = { .err = &err };
	char			*script, *cause = NULL;
	int			 code, rc = 0;

	script = remote_script(r, args);
	if (sshconn_run(c, script, &io, &code, &cause) == -1) {
		cli_error_cause(cause);
		rc = -1;
	} else if (code != 0) {
		const char	*last;

		/* Its last line says why (guild's own one-line error). */
		strbuf_rtrim(&err);
		last = err.len > 0 ? strrchr(err.buf, '\n') : NULL;
		last = last != NULL ? last + 1 : err.len > 0 ? err.buf :
		    "no message";
		if (strncmp(last, "guild: ", 7) == 0)
			last += 7;
		cli_error("remote %s: %s", r->name, last);
		rc = -1;
	}
	free(script);
	strbuf_release(&err);
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

	/*
	 * On a Slurm login node, a job that ended without its run writing
	 * the end (cancelled while pending, killed by Slurm) is known only
	 * to Slurm: its guild asks Slurm first (any -r command there does),
	 * so that a pulled run never stays pending or running.
	 */
	if (r->type == REMOTE_SLURM && r->host != NULL &&
	    slurm_login_refresh(c) == -1)
		return NULL;
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
static int
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

/* Pull the runs ids of c into home as they are there; -1 after an error. */
static int
pull_ids(struct cmd_ctx *ctx, struct sshconn *c, const struct strvec *ids,
    bool live)
{
	struct run_rows	 rows = RUN_ROWS_INIT;
	struct run_row	*v;
	struct runindex	*idx;
	struct guild_home *home = cli_home(ctx);
	size_t		 i;
	int		 rc;

	if (home == NULL)
		return -1;
	home_ensure(home, NULL);
	/* The ids are known: no listing there first (one round trip). */
	v = xcalloc(ids->n + 1, sizeof *v);
	rows.v = xcalloc(ids->n + 1, sizeof *rows.v);
	for (i = 0; i < ids->n; i++) {
		v[i].id = ids->v[i];
		v[i].status = live ? RUN_STATUS_RUNNING : RUN_STATUS_COMPLETED;
		rows.v[i] = &v[i];
	}
	rows.n = ids->n;
	rc = pull_rows(c, home, &rows, false);
	free(rows.v);
	free(v);
	if (rc == 0 && cmd_runs_open_index(ctx, &idx) == 0) {
		for (i = 0; i < ids->n; i++)
			cmd_runs_index_update(idx, ids->v[i], false);
		runindex_close(idx);
	}
	return rc;
}

/* The last non-empty line of text, trimmed. Caller frees. */
static char *
last_line_of(const char *text)
{
	const char	*end = text + strlen(text), *start;

	while (end > text && (end[-1] == '\n' || end[-1] == '\r' ||
	    end[-1] == ' '))
		end--;
	for (start = end; start > text && start[-1] != '\n'; start--)
		;
	return xstrndup(start, (size_t)(end - start));
}

/* What comes back while the run starts there, then its output. */
#define STARTED_MARKER	"\001guild-started"

struct start_follow {
	bool		 started;
	struct strbuf	 out;	/* stdout before the marker */
	struct strbuf	 err;	/* stderr before the marker */
};

static void
sf_out(const char *buf, size_t len, void *arg)
{
	struct start_follow	*sf = arg;
	const char		*nl;
	size_t			 skip;

	if (sf->started) {
		pass_out(buf, len, NULL);
		return;
	}
	strbuf_add(&sf->out, buf, len);
	if ((nl = memchr(sf->out.buf, '\n', sf->out.len)) == NULL)
		return;
	skip = (size_t)(nl - sf->out.buf) + 1;
	sf->started = true;
	if (sf->err.len > 0)
		pass_err(sf->err.buf, sf->err.len, NULL);
	if (sf->out.len > skip)
		pass_out(sf->out.buf + skip, sf->out.len - skip, NULL);
}

static void
sf_err(const char *buf, size_t len, void *arg)
{
	struct start_follow	*sf = arg;

	if (sf->started)
		pass_err(buf, len, NULL);
	else
		strbuf_add(&sf->err, buf, len);
}

/*
 * A batch there: started detached (start_staged_batch() in cmd-run.c),
 * then each trial followed in turn (guild watch) once it has left its
 * staged state, and the batch until it has its end.
 */
static char *
batch_follow_script(const struct remote *r, const char *id,
    const struct strvec *trials)
{
	const char	*start[] = { "run", "--start", id, "--background",
	    "-y", "-q", NULL };
	const char	*watch[] = { "watch", NULL };
	struct strbuf	 sb = STRBUF_INIT;
	char		*home, *q, *w, *script;
	size_t		 i;

	home = remote_home_shell(r);
	q = shell_quote(STARTED_MARKER);
	strbuf_addf(&sb, "printf '%%s\\n' %s\nruns=%s/runs\nb=\"$runs\"/%s\n",
	    q, home, id);
	free(q);
	free(home);
	/* Waits for the batch's supervisor; it ends every trial it starts. */
	strbuf_addstr(&sb, "for t in");
	for (i = 0; i < trials->n; i++) {
		q = shell_quote(trials->v[i]);
		strbuf_addf(&sb, " %s", q);
		free(q);
	}
	strbuf_addstr(&sb, "; do\n"
	    "  while [ -e \"$runs/$t/.guild/STAGED\" ] &&"
	    " [ ! -e \"$b/.guild/attrs/exit_status\" ]; do sleep 0.2; done\n");
	w = remote_guild_command(r, watch);
	strbuf_addf(&sb, "  %s \"$t\"\n", w);
	free(w);
	strbuf_addstr(&sb, "done\n"
	    "while [ ! -e \"$b/.guild/attrs/exit_status\" ] &&"
	    " [ -e \"$b/.guild/LOCK\" ]; do sleep 0.2; done\n");
	script = remote_script_shell(r, start, sb.buf);
	strbuf_release(&sb);
	return script;
}

/*
 * Start the copied run there, detached, and follow its output (guild
 * watch): one round trip. 0 at its end, 1 when Ctrl-C detached, -1 with
 * cause (the start failed, or ssh).
 */
static int
start_follow(struct sshconn *c, const char *id, const struct strvec *trials,
    char **cause)
{
	const char		*start[] = { "run", "--start", id,
	    "--background", "-y", "-q", NULL };
	const char		*watch[] = { "watch", id, NULL };
	struct start_follow	 sf = { false, STRBUF_INIT, STRBUF_INIT };
	struct sshconn_io	 io = { .on_out = sf_out, .on_err = sf_err,
	    .arg = &sf, .forward_int = true };
	char			*script, *line;
	int			 code, rc;

	if (trials != NULL)
		script = batch_follow_script(sshconn_remote(c), id, trials);
	else
		script = remote_script2(sshconn_remote(c), start,
		    STARTED_MARKER, watch);
	rc = sshconn_run(c, script, &io, &code, cause);
	free(script);
	if (rc == 0 && !sf.started && code != -SIGINT) {
		line = last_line_of(sf.err.buf != NULL ? sf.err.buf : "");
		rc = set_cause(cause, "remote %s: cannot start run %.8s "
		    "there%s%s", sshconn_remote(c)->name, id,
		    *line != '\0' ? ": " : "", line);
		free(line);
	} else if (rc == 0 && (code == -SIGINT || code == 128 + SIGINT))
		rc = 1;
	strbuf_release(&sf.out);
	strbuf_release(&sf.err);
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

/* Copy the runs ids of stage there (into its runs); -1 with cause. */
static int
push_staged(struct sshconn *c, const struct guild_home *stage,
    const struct strvec *ids, char **cause)
{
	struct strvec	 args = STRVEC_INIT;
	char		*rruns, *dest;
	size_t		 i;
	int		 rc;

	rruns = remote_runs(sshconn_remote(c));
	strvec_push(&args, "-a");
	/* A batch run's lock is this process's: it means nothing there. */
	strvec_push(&args, "--exclude=/*/.guild/LOCK*");
	for (i = 0; i < ids->n; i++)
		strvec_push_nodup(&args, path_join(stage->runs, ids->v[i]));
	dest = sshconn_path(c, rruns);
	strvec_pushf(&args, "%s/", dest);
	free(dest);
	rc = sshconn_rsync(c, &args, rruns, NULL, cause);
	free(rruns);
	strvec_clear(&args);
	return rc;
}

/*
 * A Slurm remote with a host: its login node's guild submits the copied
 * run (guild run --start ID -r NAME, the remote there being a Slurm
 * remote of that machine: REMOTE_LOGIN_ENV) and follows it; its output
 * and exit status are ours. One round trip.
 */
static int
submit_there(struct sshconn *c, const struct remote_job *job, int *code,
    char **cause)
{
	const struct remote	*r = sshconn_remote(c);
	struct strvec		 args = STRVEC_INIT;
	struct sshconn_io	 io = { .on_out = pass_out, .on_err = pass_err,
	    .forward_int = true };
	char			*script;
	int			 rc;

	strvec_push(&args, "run");
	strvec_push(&args, "--start");
	strvec_push(&args, job->id);
	strvec_push(&args, "-r");
	strvec_push(&args, r->name);
	strvec_push(&args, "-y");
	if (job->parallel > 0)
		strvec_pushf(&args, "--parallel=%u", job->parallel);
	if (job->no_wait)
		strvec_push(&args, "--no-wait");
	if (job->quiet)
		strvec_push(&args, "-q");
	script = remote_script(r, (const char *const *)args.v);
	rc = sshconn_run(c, script, &io, code, cause);
	free(script);
	strvec_clear(&args);
	return rc;
}

/*
 * The trials file of a batch, written before the copy: slurm-trials for
 * a Slurm remote (slurm.h), remote-trials for an ssh remote (guild run
 * --start of the batch there runs them).
 */
static int
write_trials(const struct guild_home *stage, const struct remote_job *job,
    const char *name, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path;
	size_t		 i;
	int		 rc;

	for (i = 0; i < job->trials->n; i++)
		strbuf_addf(&sb, "%s\n", job->trials->v[i]);
	path = xasprintf("%s/%s/.guild/%s", stage->runs, job->id, name);
	rc = write_file_atomic(path, sb.buf != NULL ? sb.buf : "", sb.len,
	    cause);
	free(path);
	strbuf_release(&sb);
	return rc;
}

int
cmd_remote_run(struct cmd_ctx *ctx, const char *name,
    const struct guild_home *stage, const struct remote_job *job)
{
	struct strvec	 ids = STRVEC_INIT;
	struct remote	*r;
	struct sshconn	*c;
	struct run	*run;
	char		*dest, *cause = NULL;
	const char	*id = job->id;
	bool		 slurm;
	size_t		 i;
	int		 rc, code;

	if ((rc = remote_connect(ctx, name, &r, &c)) != 0)
		return rc;
	slurm = r->type == REMOTE_SLURM;
	strvec_push(&ids, id);
	for (i = 0; job->trials != NULL && i < job->trials->n; i++)
		strvec_push(&ids, job->trials->v[i]);
	if ((job->trials != NULL && write_trials(stage, job, slurm ?
	    "slurm-trials" : REMOTE_TRIALS, &cause) == -1) ||
	    push_staged(c, stage, &ids, &cause) == -1) {
		rc = cli_error_cause(cause);
		goto out;
	}
	if (slurm) {
		if (submit_there(c, job, &code, &cause) == -1) {
			rc = cli_error_cause(cause);
			goto out;
		}
		if (code == -SIGINT || code == 128 + SIGINT) {
			cli_note("Detached from run %.8s (it goes on as a Slurm "
			    "job on %s)\nTo re-attach use 'guild watch %.8s "
			    "-r %s'", id, r->name, id, r->name);
			rc = 0;
			goto out;
		}
		rc = proc_shell_status(code);
		/* Its end is there (unless it was not waited for). */
		if (!job->no_wait && pull_ids(ctx, c, &ids, false) == -1 &&
		    rc == 0)
			rc = 1;
		goto out;
	}
	if (job->no_wait) {
		if (start_there(c, id, &cause) == -1) {
			rc = cli_error_cause(cause);
			goto out;
		}
		cli_note("Run %.8s is running on %s\nTo watch use 'guild watch "
		    "%.8s -r %s'", id, r->name, id, r->name);
		goto out;
	}
	if ((rc = start_follow(c, id, job->trials, &cause)) == -1) {
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
	if (pull_ids(ctx, c, &ids, false) == -1) {
		rc = 1;
		goto out;
	}
	dest = path_join(cli_home(ctx)->runs, id);
	if ((run = run_open(dest, NULL)) != NULL) {
		rc = run_get_status(run) == RUN_STATUS_COMPLETED ? 0 : 1;
		run_free(run);
	}
	free(dest);
out:
	strvec_clear(&ids);
	remote_disconnect(r, c);
	return rc;
}
