/*
 * cmd-remote.h: -r/--remote for Slurm remotes without a host
 * (cmd-remote-slurm.c): sbatch, squeue and scancel on this machine, the
 * remote's Guild home a directory here; and guild run --start of what
 * guild run -r sent from elsewhere (cmd-run-remote.c).
 */
#ifndef GUILD_CMD_REMOTE_H
#define GUILD_CMD_REMOTE_H

#include <stdbool.h>

struct cmd_ctx;
struct guild_home;
struct remote;
struct run;
struct strvec;

/*
 * -r/--remote name, when the remote is a Slurm remote without a host:
 * ctx's home becomes the remote's, whose runs' statuses are refreshed
 * from Slurm (one squeue), and the command runs here; 1 then (*rp, may
 * be NULL, the remote, for the caller to free). 0 for other remotes
 * (cmd-remote.c runs the command there), -1 after printing an error.
 */
int		 cli_remote_here(struct cmd_ctx *, const char *name,
		    struct remote **rp);
/* How often to ask Slurm: the poll-interval of the remote, in ms. */
unsigned	 cli_remote_poll_ms(void);

/*
 * Submit run, staged in home (the remote's: cli_remote_here), as a Slurm job; with
 * trials, run is their batch run and the job an array job with one task
 * per trial (parallel 0: the remote's array-parallelism). With wait,
 * follow the output until the run ends (Ctrl-C detaches) and return its
 * exit status as guild run does; else return at once. Prints errors.
 */
int		 cli_remote_submit(const struct guild_home *, const struct remote *,
		    struct run *, const struct strvec *trials,
		    unsigned parallel, bool wait, bool quiet);

/*
 * Stop a run that is a Slurm job (scancel), and with wait until it has
 * its end (at most timeout_ms). 1 when run has no job (not ours), 0
 * when cancelled, -1 after printing an error.
 */
int		 cli_remote_stop(const struct run *, bool wait,
		    unsigned timeout_ms);

/*
 * On a Slurm login node (REMOTE_LOGIN_ENV): guild run --start ID -r NAME
 * submits the run that guild run -r copied into home (a batch run with
 * the trials its .guild/slurm-trials names: one array job) as
 * cli_remote_submit() does. Returns the exit status.
 */
int		 cli_remote_submit_staged(const struct guild_home *,
		    const struct remote *, const char *id, unsigned parallel,
		    bool wait, bool quiet);

/*
 * A batch that guild run -r sent to an ssh remote: its trials staged
 * where it was made, named one a line in BATCH/.guild/REMOTE_TRIALS.
 * guild run --start BATCH runs them one after another (with background,
 * under a detached supervisor that holds the batch's LOCK), each as
 * guild run --start TRIAL does, then ends the batch run: 0 when every
 * trial could be run (a trial's own failure is the trial's, as in a
 * batch here). -1 when id is not such a batch (nothing done), else the
 * exit status.
 */
#define REMOTE_TRIALS	"remote-trials"
int		 cli_run_staged_batch(const struct guild_home *, const char *id,
		    bool background, bool quiet);

#endif
