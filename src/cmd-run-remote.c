/*
 * cmd-run-remote.c: what guild run --start does with a run sent from
 * another machine by guild run -r (cmd-remote.c): a batch for an ssh
 * remote, run there trial after trial; a run or a batch for a Slurm
 * remote with a host, submitted by its login node's guild.
 */
#include "common.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-remote.h"
#include "home.h"
#include "proc.h"
#include "run.h"
#include "runner.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "xmalloc.h"

/* The ids of a trials file, one a line; false when it cannot be read. */
static bool
read_trials(const char *path, struct strvec *trials)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*line, *save = NULL;

	if (strbuf_read_file(&sb, path, NULL) == -1 || sb.buf == NULL) {
		strbuf_release(&sb);
		return false;
	}
	for (line = strtok_r(sb.buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		strvec_push(trials, line);
	strbuf_release(&sb);
	return true;
}

int
cli_remote_submit_staged(const struct guild_home *home,
    const struct remote *r, const char *id, unsigned parallel, bool wait,
    bool quiet)
{
	struct strvec	 trials = STRVEC_INIT;
	struct run	*run;
	char		*path, *cause = NULL;
	int		 rc;

	path = run_dir_path(home->runs, id);
	run = run_open(path, &cause);
	free(path);
	if (run == NULL)
		return cli_error_cause(cause);
	/* A batch run is not staged: its trials are. */
	path = path_join(run->guild, "slurm-trials");
	read_trials(path, &trials);
	free(path);
	if (trials.n == 0 && run_get_status(run) != RUN_STATUS_STAGED) {
		rc = cli_error("run %s is not staged", id);
		run_free(run);
		return rc;
	}
	rc = cli_remote_submit(home, r, run, trials.n > 0 ? &trials : NULL,
	    parallel, wait, quiet);
	strvec_clear(&trials);
	run_free(run);
	return rc;
}

/* The trials one after another, then the batch run's end. */
static void
staged_batch_loop(const struct guild_home *home, struct run *brun,
    const struct strvec *trials, bool quiet)
{
	struct proc_spec	 spec;
	char			*exe = runner_guild_exe(), *cause = NULL;
	const char		*argv[] = { exe, "-H", home->path, "run",
	    "--start", NULL, "-y", quiet ? "-q" : NULL, NULL };
	size_t			 i;
	int			 code, failed = 0;

	for (i = 0; i < trials->n; i++) {
		memset(&spec, 0, sizeof spec);
		argv[5] = trials->v[i];
		spec.argv = argv;
		spec.mode = PROC_INHERIT;
		if (proc_run(&spec, NULL, NULL, &code, &cause) == -1) {
			if (!quiet)
				cli_error_cause(cause);
			else
				free(cause);
			cause = NULL;
			failed = 1;
		}
	}
	runner_fail(brun, failed, NULL);
	free(exe);
}

int
cli_run_staged_batch(const struct guild_home *home, const char *id,
    bool background, bool quiet)
{
	struct strvec	 trials = STRVEC_INIT;
	struct run	*brun;
	char		*path, *cause = NULL;
	int		 ready, rc = 0;

	if (home == NULL || id == NULL || strchr(id, '/') != NULL)
		return -1;
	path = xasprintf("%s/%s/.guild/" REMOTE_TRIALS, home->runs, id);
	if (!read_trials(path, &trials)) {
		free(path);
		return -1;
	}
	free(path);
	path = run_dir_path(home->runs, id);
	brun = run_open(path, &cause);
	free(path);
	if (brun == NULL) {
		strvec_clear(&trials);
		return cli_error_cause(cause);
	}
	if (!background) {
		run_lock_write(brun, getpid(), NULL);
		staged_batch_loop(home, brun, &trials, quiet);
	} else if ((rc = proc_detach(&ready, &cause)) == -1) {
		rc = cli_error_cause(cause);
	} else if (rc == 0) {
		/* The supervisor: its lock, then the caller may go. */
		signal(SIGHUP, SIG_IGN);
		run_lock_write(brun, getpid(), NULL);
		close(ready);
		staged_batch_loop(home, brun, &trials, true);
		_exit(0);
	} else {
		rc = 0;
		if (!quiet)
			printf("Batch %s (%zu trials) started in background\n",
			    brun->id, trials.n);
	}
	run_free(brun);
	strvec_clear(&trials);
	return rc;
}
