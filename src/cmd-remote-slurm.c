/*
 * cmd-remote-slurm.c: -r/--remote for a Slurm remote without a host: the
 * user is on the login node, so sbatch, squeue and scancel run here and
 * the remote's Guild home (its guild-home, else ours) is a directory of
 * this machine that the compute nodes share. guild run -r stages the run
 * there, submits it (slurm.c) and follows its output; the other commands
 * act on that home once the statuses of its jobs are refreshed (other
 * remotes are cmd-remote.c's, over ssh).
 */
#include "common.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd-remote.h"
#include "home.h"
#include "output.h"
#include "proc.h"
#include "remote.h"
#include "run.h"
#include "runner.h"
#include "slurm.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"

/* The home a hostless Slurm remote's runs live in, as a path here. */
static char *
remote_local_home(const struct remote *r, const char *ours)
{
	const char	*home = getenv("HOME");
	const char	*g = r->guild_home;

	if (g == NULL)
		return xstrdup(ours);
	if (g[0] == '/')
		return xstrdup(g);
	if (strcmp(g, "~") == 0)
		return xstrdup(home != NULL ? home : "/");
	if (strncmp(g, "~/", 2) == 0)
		g += 2;
	return path_join(home != NULL ? home : "/", g);
}

/* The poll-interval of the remote last opened here, in ms. */
static unsigned	poll_ms = (unsigned)(REMOTE_POLL_INTERVAL * 1000);

unsigned
cli_remote_poll_ms(void)
{
	return poll_ms;
}

int
cli_remote_here(struct cmd_ctx *ctx, const char *name, struct remote **rp)
{
	struct guild_home	*home, *rhome;
	struct remote		*r;
	char			*cause = NULL, *path;
	size_t			 changed;

	if (rp != NULL)
		*rp = NULL;
	if ((home = cli_home(ctx)) == NULL)
		return -1;
	if ((r = remote_get(home->path, name, &cause)) == NULL) {
		cli_error_cause(cause);
		return -1;
	}
	if (r->type != REMOTE_SLURM || r->host != NULL) {
		remote_free(r);
		return 0;
	}
	path = remote_local_home(r, home->path);
	rhome = home_new(path, &cause);
	free(path);
	if (rhome == NULL || home_ensure(rhome, &cause) == -1) {
		home_free(rhome);
		remote_free(r);
		cli_error_cause(cause);
		return -1;
	}
	home_free(ctx->home);
	ctx->home = rhome;
	if (r->poll_interval > 0)
		poll_ms = (unsigned)(r->poll_interval * 1000);
	/* What the run directories cannot say, from Slurm: one squeue. */
	if (slurm_refresh(rhome->runs, &changed, &cause) == -1) {
		cli_note("guild: warning: remote %s: %s", r->name, cause);
		free(cause);
	}
	if (rp != NULL)
		*rp = r;
	else
		remote_free(r);
	return 1;
}

/* Following the run: output as watch shows it, Slurm at poll-interval. */

static volatile sig_atomic_t	detach_signo;

static void
on_interrupt(int signo)
{
	detach_signo = signo;
}

static void
print_line(const struct output_line *line, void *arg)
{
	(void)arg;
	fwrite(line->text, 1, line->len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

struct follow {
	struct run		 *run;		/* the run, or the batch run */
	struct run		**all;		/* run first, then the trials */
	size_t			  n;
	struct output_tail	**tails;	/* one per run with output */
	size_t			  ntails;
	char			 *reason;	/* the last pending reason said */
};

static bool
ended(enum run_status st)
{
	return st != RUN_STATUS_RUNNING && st != RUN_STATUS_PENDING &&
	    st != RUN_STATUS_STAGED;
}

/* Say why the job waits, once for each reason Slurm gives. */
static void
say_reason(struct follow *f, const char *job)
{
	struct value	*v = NULL;

	if (run_get_status(f->run) != RUN_STATUS_PENDING ||
	    run_attr_read(f->run, "slurm_reason", &v, NULL) == -1 ||
	    v == NULL || v->type != VALUE_STRING) {
		value_free(v);
		return;
	}
	/* "None": not yet looked at by the scheduler. */
	if (strcmp(v->u.s, "None") != 0 && *v->u.s != '\0' &&
	    (f->reason == NULL || strcmp(f->reason, v->u.s) != 0)) {
		cli_note("Slurm job %s is pending (%s)", job,
		    cli_field(stderr, v->u.s));
		free(f->reason);
		f->reason = xstrdup(v->u.s);
	}
	value_free(v);
}

static int
follow(struct follow *f, const struct remote *r, const char *job,
    bool quiet)
{
	struct output_tail_hooks hooks = { .on_line = print_line };
	struct sigaction	 sa, old_int, old_term;
	const struct timespec	 tick = { 0, 100 * 1000 * 1000 };
	double			 interval = r->poll_interval > 0 ?
				    r->poll_interval : REMOTE_POLL_INTERVAL;
	uint64_t		 next_poll = 0;
	enum run_status		 st;
	struct value		*v = NULL;
	char			*cause = NULL;
	size_t			 i;
	int			 code = 1;

	f->tails = xreallocarray(NULL, f->n, sizeof *f->tails);
	/* A batch's own output is ours; its trials' are the job's. */
	for (i = f->n > 1 ? 1 : 0; !quiet && i < f->n; i++) {
		if ((f->tails[f->ntails] = output_tail_open(f->all[i]->path,
		    OUTPUT_TAIL_ALL, &hooks, NULL, &cause)) == NULL) {
			cli_error_cause(cause);
			return 1;
		}
		f->ntails++;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	detach_signo = 0;
	for (;;) {
		if (mono_ms() >= next_poll) {
			if (slurm_refresh_runs(f->all, f->n, NULL, &cause) == -1) {
				cli_note("guild: warning: remote %s: %s",
				    r->name, cause);
				free(cause);
				cause = NULL;
			}
			say_reason(f, job);
			next_poll = mono_ms() + (uint64_t)(interval * 1000);
		}
		/* Status first: output written before the end is then there. */
		st = run_get_status(f->run);
		for (i = 0; i < f->ntails; i++)
			output_tail_poll(f->tails[i], NULL);
		if (ended(st) || detach_signo != 0)
			break;
		nanosleep(&tick, NULL);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	for (i = 0; i < f->ntails; i++)
		output_tail_finish(f->tails[i]);
	if (detach_signo != 0) {
		/* Ctrl-C leaves the job alone: it runs on without us. */
		cli_note("Detached from run %.8s (Slurm job %s); to re-attach "
		    "use 'guild watch %.8s -r %s'", f->run->id, job,
		    f->run->id, r->name);
		return 0;
	}
	printf("Run %s stopped with a status of '%s'\n",
	    cli_field(stdout, f->run->id), run_status_name(st));
	if (st == RUN_STATUS_COMPLETED)
		return 0;
	if (run_attr_read(f->run, "exit_status", &v, NULL) == 0 &&
	    v != NULL && v->type == VALUE_INT)
		code = proc_shell_status((int)v->u.i);
	value_free(v);
	return code != 0 ? code : 1;
}

int
cli_remote_submit(const struct guild_home *home, const struct remote *r,
    struct run *run, const struct strvec *trials, unsigned parallel,
    bool wait, bool quiet)
{
	struct slurm_job_spec	 spec;
	struct follow		 f;
	char			*cause = NULL, *job = NULL, *exe = NULL, *path;
	size_t			 i;
	int			 rc;

	memset(&spec, 0, sizeof spec);
	/*
	 * On a login node the compute nodes see this guild where we do
	 * (a shared file system), unless guild-bin says otherwise.
	 */
	spec.guild_bin = r->guild_bin != NULL ? r->guild_bin :
	    (exe = runner_guild_exe());
	spec.guild_home = home->path;
	spec.sbatch_args = &r->sbatch_args;
	spec.init = &r->init;
	spec.env = &r->env;
	spec.trials = trials;
	spec.parallel = parallel > 0 ? parallel : r->array_parallelism;
	rc = slurm_submit(run, &spec, &job, &cause);
	free(exe);
	if (rc == -1) {
		cli_error("remote %s: %s", r->name, cause);
		free(cause);
		return 1;
	}
	if (trials != NULL)
		printf("Batch %s (%zu trials) submitted to %s as Slurm array "
		    "job %s\n", run->id, trials->n, r->name, job);
	else
		printf("Run %s submitted to %s as Slurm job %s\n", run->id,
		    r->name, job);
	fflush(stdout);
	if (!wait) {
		printf("To watch it, use 'guild watch %.8s -r %s'\n", run->id,
		    r->name);
		free(job);
		return 0;
	}
	memset(&f, 0, sizeof f);
	f.run = run;
	f.n = 1 + (trials != NULL ? trials->n : 0);
	f.all = xreallocarray(NULL, f.n, sizeof *f.all);
	f.all[0] = run;
	for (i = 1; i < f.n; i++) {
		path = run_dir_path(home->runs, trials->v[i - 1]);
		if ((f.all[i] = run_open(path, &cause)) == NULL) {
			free(path);
			f.n = i;
			rc = cli_error_cause(cause);
			goto out;
		}
		free(path);
	}
	rc = follow(&f, r, job, quiet);
out:
	for (i = 0; i < f.ntails; i++)
		output_tail_free(f.tails[i]);
	free(f.tails);
	for (i = 1; i < f.n; i++)
		run_free(f.all[i]);
	free(f.all);
	free(f.reason);
	free(job);
	return rc;
}

int
cli_remote_stop(const struct run *run, bool wait, unsigned timeout_ms)
{
	char		*job, *cause = NULL;
	uint64_t	 start = mono_ms();
	const struct timespec tick = { 0, 200 * 1000 * 1000 };
	struct run	*one[1];

	if ((job = slurm_run_job(run)) == NULL)
		return 1;
	cli_note("Stopping %s (Slurm job %s)", run->id, job);
	if (slurm_cancel(job, &cause) == -1) {
		cli_error_cause(cause);
		free(job);
		return -1;
	}
	free(job);
	/*
	 * Until the run has its end: its guild writes it, or, cancelled
	 * before it started, slurm_reconcile does once Slurm says so.
	 */
	one[0] = (struct run *)run;
	while (wait && !ended(run_get_status(run)) &&
	    mono_ms() - start < timeout_ms) {
		if (slurm_refresh_runs(one, 1, NULL, &cause) == -1) {
			free(cause);
			cause = NULL;
		}
		if (ended(run_get_status(run)))
			break;
		nanosleep(&tick, NULL);
	}
	return 0;
}
