/*
 * cmd-remote.h: -r/--remote for Slurm remotes without a host
 * (cmd-remote-slurm.c): sbatch, squeue and scancel on this machine, the
 * remote's Guild home a directory here.
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

#endif
