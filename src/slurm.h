/*
 * slurm.h: runs as Slurm jobs: the job script, sbatch, squeue, scancel.
 *
 * A run (staged as `guild run --stage` stages it) becomes a job through a
 * script written into its directory, RUN/.guild/slurm.sh:
 *
 *	#!/bin/sh
 *	#SBATCH --job-name=guild-1a2b3c4d
 *	#SBATCH --comment=guild-run:<run id>
 *	#SBATCH --chdir=<run dir>		(absolute)
 *	#SBATCH --output=<run dir>/.guild/slurm-%j.out
 *	#SBATCH --no-requeue
 *	#SBATCH <the remote's sbatch-args, one a line>
 *	<the remote's init lines>
 *	export GUILD_HOME=...
 *	rm -f <run dir>/.guild/PENDING
 *	exec guild run --start <run id> -y
 *
 * submitted with `sbatch --parsable`; the job id goes into the run's
 * attrs (slurm_job_id). While the job waits the run holds an empty
 * PENDING (Guild's: status pending) beside STAGED, so the job's
 * `guild run --start` finds it staged once PENDING is gone.
 *
 * A batch is one array job: the batch run's script has --array=0-N-1%P
 * and starts, in task I, the I-th staged trial named in
 * BATCH/.guild/slurm-trials (one run id a line); trial I's slurm_job_id
 * is "JOB_I".
 *
 * Status comes from the run directory; what it cannot say (a job still
 * waiting, one cancelled before it started, one killed for its time or
 * memory before guild could write an exit status) comes from Slurm, for
 * all of a home's jobs with one squeue call (and sacct for jobs squeue
 * no longer shows, when accounting answers). slurm_reconcile() then writes
 * the end into the run directory, so it holds from then on.
 *
 * Every Slurm command runs through proc_run with our environment
 * (SLURM_CONF and PATH as the user has them).
 */
#ifndef GUILD_SLURM_H
#define GUILD_SLURM_H

#include <stdbool.h>
#include <stddef.h>

struct run;
struct strvec;

/* What the job script holds besides the run itself. */
struct slurm_job_spec {
	const char		*guild_bin;	/* NULL: "guild" in PATH */
	const char		*guild_home;	/* exported; NULL: not set */
	const struct strvec	*sbatch_args;	/* NULL: none */
	const struct strvec	*init;		/* shell lines; NULL: none */
	const struct strvec	*env;		/* NAME=VALUE; NULL: none */
	/* An array job: the trials' run ids, one task each (NULL: a run). */
	const struct strvec	*trials;
	unsigned		 parallel;	/* %P of --array; 0: none */
};

/*
 * The job script for run (the batch run of an array job), as text.
 * Caller frees.
 */
char		*slurm_script(const struct run *, const struct slurm_job_spec *);

/*
 * Write the script (and for an array job the trials file) into the run,
 * mark the run (and each trial) pending, submit with sbatch --parsable,
 * and record slurm_job_id. On failure nothing stays pending and cause
 * says what sbatch said. *job_id (caller frees) is Slurm's id.
 */
int		 slurm_submit(const struct run *, const struct slurm_job_spec *,
		    char **job_id, char **cause);

/* What guild makes of a Slurm job state. */
enum slurm_state {
	SLURM_UNKNOWN,		/* Slurm does not know the job (any more) */
	SLURM_PENDING,
	SLURM_RUNNING,
	SLURM_COMPLETED,
	SLURM_ERROR,		/* failed, out of memory, node failure */
	SLURM_TERMINATED,	/* cancelled, timed out, preempted */
};

/* Slurm's state name (PENDING, CANCELLED, "CANCELLED by 0", ...). */
enum slurm_state slurm_state_of(const char *name);
/* true for the three ends. */
bool		 slurm_state_ended(enum slurm_state);

struct slurm_job {
	char		*id;		/* "123", or "123_4" for a task */
	enum slurm_state state;
	char		*state_name;	/* Slurm's own: PENDING, TIMEOUT... */
	char		*reason;	/* why it waits or ended; may be "" */
	int		 exit_code;	/* from sacct; -1: not known */
};

struct slurm_jobs {
	struct slurm_job *v;
	size_t		  n;
};

#define SLURM_JOBS_INIT { NULL, 0 }

/*
 * Parse `squeue -h -r -t all -o '%i|%T|%r'` output into jobs (appended).
 * Lines that do not parse are skipped.
 */
void		 slurm_parse_squeue(const char *text, struct slurm_jobs *);
/* The same for `sacct -X -n -P -o JobID,State,ExitCode`. */
void		 slurm_parse_sacct(const char *text, struct slurm_jobs *);
const struct slurm_job *slurm_jobs_find(const struct slurm_jobs *,
		    const char *id);
void		 slurm_jobs_clear(struct slurm_jobs *);

/*
 * Bring run in line with its job: when the job has ended and the run has
 * no exit status (cancelled while pending, killed before guild could
 * write it), write exit_status (-15 terminated, else Slurm's exit code or
 * 1 for an error), stopped, and drop PENDING, STAGED and LOCK. A waiting
 * job's reason is kept in the slurm_reason attr. Returns 1 when the run
 * was changed, 0 when not, -1 on error.
 */
int		 slurm_reconcile(const struct run *, const struct slurm_job *,
		    char **cause);

/*
 * Refresh the runs of runs_dir that have a job and no exit status: one
 * squeue for all of their jobs (squeue --me, the user's jobs, finished
 * ones too while Slurm keeps them, one line per array task), one sacct
 * for the ids squeue no longer shows (its failure, as without
 * accounting, leaves them unknown: the run directory decides), then
 * slurm_reconcile for each. *changed (may be
 * NULL) counts the runs changed.
 */
int		 slurm_refresh(const char *runs_dir, size_t *changed,
		    char **cause);

/* The same for the runs given (those without a job are left alone). */
int		 slurm_refresh_runs(struct run *const *runs, size_t n,
		    size_t *changed, char **cause);

/* The run's job id (slurm_job_id), or NULL when it has none. */
char		*slurm_run_job(const struct run *);

/* scancel the job (a task "J_I" cancels that task alone). */
int		 slurm_cancel(const char *job_id, char **cause);

#endif
