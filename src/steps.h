/*
 * steps.h: pipelines. An operation with steps: runs each step as a run
 * of its own, in order, as Guild AI's steps_main does.
 *
 * The pipeline's run is an ordinary run whose process is guild itself
 * (`guild -C PROJECT run --run-steps RUN_DIR`, see runner.h), so it has
 * a terminal, an output file and a status like any run, and stopping it
 * stops the step that is running. steps_run() is that process's work:
 *
 *	for each step of the run's steps attr:
 *		${flag} in the step's run: string and flags: values is
 *		replaced by the pipeline's flag value;
 *		the link RUN_DIR/<step name> -> ../<step run id> names the
 *		step's run (a name used twice becomes name_2, name_3, ...);
 *		`guild run -y --run-id ID OP FLAG=VAL...` runs it in this
 *		terminal, with GUILD_RUNS_PARENT=<pipeline run id> unless the
 *		step says isolate-runs: no, so that its dependencies resolve
 *		to its sibling steps' runs;
 *		a step that fails ends the pipeline with its status;
 *		after a step that succeeded, its expect: checks
 *		(runcheck.h) are applied to its run, each logged as passed
 *		or failed, and a failed one ends the pipeline.
 *
 * A model test (guild.yml's test:, marked by the run's test attr) is such
 * a pipeline whose flags also go to each step whose operation has them.
 *
 * When the pipeline is restarted, steps that have a link to a run are
 * restarted in that run (`guild run -y --restart ID FLAG=VAL...`).
 * Progress lines ("INFO: [guild] running train: fashion:train lr=0.1")
 * go to the log callback.
 */
#ifndef GUILD_STEPS_H
#define GUILD_STEPS_H

typedef void (*steps_log_fn)(const char *line, void *arg);

/*
 * What the pipeline's process does for steps_run(): the core decides what
 * to run; the command that owns the process runs it (its terminal, its
 * signals, its stdin).
 */
struct steps_hooks {
	/* A progress line. NULL: none. */
	steps_log_fn	 log;
	/*
	 * Run argv (`guild -C PROJECT run -y ...`) with exactly env, and
	 * wait: its exit code as proc.h defines it (minus the signal that
	 * killed it). Never NULL.
	 */
	int		(*run)(const char *const *argv, const char *const *env,
			    void *arg);
};

/*
 * Run the steps of the pipeline run in run_dir with the guild program
 * guild_exe, one after the other through hooks->run. Returns what the
 * pipeline's exit status should be: 0, the failed step's exit status, or
 * -SIGNO when a step was ended by a signal (the caller then dies of that
 * signal, so the pipeline is terminated too). When the pipeline cannot
 * run at all (no steps attr, a step that is not "OP [FLAG=VAL...]", a
 * step link in the way) *cause is set and the result is 1; when a check
 * failed, *cause says so and the result is STEPS_CHECK_FAILED.
 */
#define STEPS_CHECK_FAILED	3	/* Guild's exit_code.TEST_FAILED */
int	steps_run(const char *run_dir, const char *guild_exe,
	    const struct steps_hooks *, void *arg, char **cause);

#endif
