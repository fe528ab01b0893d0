/* cmd-run.c: guild run [MODEL:]OP [FLAG=VAL...]. */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "cmd-run.h"
#include "cmd-remote.h"
#include "cmds.h"
#include "deps.h"
#include "flagimport.h"
#include "flags.h"
#include "guildfile.h"
#include "home.h"
#include "loop.h"
#include "output.h"
#include "proc.h"
#include "remote.h"
#include "run.h"
#include "runner.h"
#include "runops.h"
#include "runsel.h"
#include "scalars.h"
#include "steps.h"
#include "strbuf.h"
#include "term.h"
#include "util.h"
#include "value.h"

static const struct cmd_option run_options[] = {
	{ OPT_YES, "y", "yes", NULL, "Do not prompt before running." },
	{ OPT_LABEL, "l", "label", "LABEL", "Set a label for the run (${flag} refers to flags)." },
	{ OPT_TAG, "t", "tag", "TAG", "Tag the run; may be given more than once." },
	{ OPT_COMMENT, "c", "comment", "COMMENT", "Comment associated with the run." },
	{ OPT_BACKGROUND, "b", "background", NULL, "Run in the background, detached from the terminal." },
	{ OPT_PRINT_CMD, NULL, "print-cmd", NULL, "Show the operation command and exit." },
	{ OPT_PRINT_ENV, NULL, "print-env", NULL, "Show the operation environment and exit." },
	{ OPT_QUIET, "q", "quiet", NULL, "Do not show output." },
	{ OPT_FORCE_FLAGS, "f", "force-flags", NULL, "Accept flags that are not defined for the operation." },
	{ OPT_RUN_DIR, "d", "run-dir", "DIR", "Use alternative run directory DIR; the run is not listed by guild." },
	{ OPT_STAGE, NULL, "stage", NULL, "Stage the run without starting it." },
	{ OPT_START, NULL, "start", "RUN", "Start a staged run." },
	{ OPT_RESTART, NULL, "restart", "RUN", "Restart a run in its run directory." },
	{ OPT_PROTO, NULL, "proto", "RUN", "Use the operation, flags and source code from RUN. Cannot be used with --restart." },
	{ OPT_FORCE_SOURCECODE, NULL, "force-sourcecode", NULL, "Use working source code when --restart or --proto is specified." },
	{ OPT_TEST_SCALARS, NULL, "test-output-scalars", "OUTPUT", "Show the output scalars found in OUTPUT ('-' for stdin) and exit." },
	{ OPT_TEST_ATTRS, NULL, "test-output-attrs", "OUTPUT", "Show what output-attrs patterns find in OUTPUT ('-' for stdin) and exit." },
	{ OPT_HELP_OP, NULL, "help-op", NULL, "Show the operation's help and exit." },
	{ OPT_FORCE_DEPS, NULL, "force-deps", NULL, "Run even when a dependency cannot be met." },
	{ OPT_OPTIMIZER, "o", "optimizer", "ALGORITHM", "Run a batch with ALGORITHM (random, or + for grid) or an optimizer of the operation." },
	{ OPT_OPTIMIZE, "O", "optimize", NULL, "Run a batch with the operation's default optimizer." },
	{ OPT_KEEP_RUN, NULL, "keep-run", NULL, "Keep the run even when its operation has delete-on-success." },
	{ OPT_BATCH_LABEL, "bl", "batch-label", "LABEL", "Label for the batch run. Ignored for non-batch runs." },
	{ OPT_BATCH_TAG, "bt", "batch-tag", "TAG", "Tag the batch run; may be given more than once. Ignored for non-batch runs." },
	{ OPT_BATCH_COMMENT, "bc", "batch-comment", "COMMENT", "Comment associated with the batch run." },
	{ OPT_OPT_FLAG, "Fo", "opt-flag", "FLAG=VAL", "Flag for OPTIMIZER; may be given more than once." },
	{ OPT_STAGE_TRIALS, NULL, "stage-trials", NULL, "For batch operations, stage trials without running them." },
	{ OPT_MAX_TRIALS, "m", "max-trials|trials", "N", "Run at most N trials (random search: default 20)." },
	{ OPT_RANDOM_SEED, NULL, "random-seed", "N", "Seed for random searches and trial sampling." },
	{ OPT_PRINT_TRIALS, NULL, "print-trials", NULL, "Show the trials of a batch and exit." },
	{ OPT_PARALLEL, NULL, "parallel", "N", "Run up to N trials of a batch at once (default 1)." },
	{ OPT_NEEDED, NULL, "needed", NULL, "Skip runs and trials whose flags match a completed or terminated run." },
	{ OPT_FAIL_ON_TRIAL_ERROR, NULL, "fail-on-trial-error", NULL, "Stop a batch when a trial fails." },
	{ OPT_KEEP_BATCH, NULL, "keep-batch", NULL, "Keep the batch run when it succeeds (its trials are always kept)." },
	{ OPT_GPUS, NULL, "gpus", "DEVICES", "Limit the GPUs the run sees to DEVICES, comma-separated ids (CUDA_VISIBLE_DEVICES)." },
	{ OPT_NO_GPUS, NULL, "no-gpus", NULL, "Run without GPUs (CUDA_VISIBLE_DEVICES empty)." },
	{ OPT_STOP_AFTER, NULL, "stop-after", "N", "Stop the run after N minutes." },
	{ OPT_BREAK_ON_ERROR, NULL, "break-on-error", NULL, "Enter the Python debugger where an error occurs (Python operations, in the foreground)." },
	{ OPT_TEST_SOURCECODE, NULL, "test-sourcecode", NULL, "Show the source code a run would copy and exit." },
	{ OPT_TEST_FLAGS, NULL, "test-flags", NULL, "Show the operation's flag configuration and exit." },
	{ OPT_DEBUG, NULL, "debug", NULL, "Log more information about the run." },
	{ OPT_PIDFILE, NULL, "pidfile", "PIDFILE", "Run in the background, writing the background process id to PIDFILE." },
	{ OPT_RUN_ID, NULL, "run-id", "ID", "Use ID as the new run's id.", true },
	{ OPT_RUN_STEPS, NULL, "run-steps", "RUN_DIR", "Run a pipeline's steps (its own process).", true },
	{ OPT_NO_WAIT, "n", "no-wait", NULL, "With --remote: start the run there and return." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

/* -r/--remote: where the run goes (cli_remote_open), or NULL: here. */
static struct remote	*remote_target;

/* While run -r stages: the id staged, instead of "staged as" printed. */
static bool	 remote_staging;
static char	*remote_staged_id;
/* A batch staged for a remote: its trials, --parallel. */
static struct strvec remote_staged_trials = STRVEC_INIT;
static unsigned	 remote_staged_parallel;

/* --NAME of a run option, for messages. */
static const char *
option_long_name(int id)
{
	size_t	 i;

	for (i = 0; run_options[i].id != 0; i++)
		if (run_options[i].id == id)
			return run_options[i].longs;
	return "?";
}

/*
 * What --gpus, --no-gpus and --stop-after add to every run of the
 * command: environment (NAME=VALUE into env) and the stop time. Prints
 * an error and returns -1 for options that cannot go together (as
 * Guild's _check_incompatible_options) or a bad value.
 */
static int
run_extras(const struct cmd_args *a, struct strvec *env, unsigned *stop_ms)
{
	const char	*gpus = cmd_arg_value(a, OPT_GPUS);
	const char	*after = cmd_arg_value(a, OPT_STOP_AFTER);
	char		*end;
	double		 min;

	if (cmd_arg_has(a, OPT_NO_GPUS))
		strvec_push(env, "CUDA_VISIBLE_DEVICES=");
	else if (gpus != NULL)
		strvec_pushf(env, "CUDA_VISIBLE_DEVICES=%s", gpus);
	/* guild.op_main enters pdb's post mortem on an error. */
	if (cmd_arg_has(a, OPT_BREAK_ON_ERROR))
		strvec_push(env, "BREAK_ON_ERROR=1");
	*stop_ms = 0;
	if (after != NULL) {
		errno = 0;
		min = strtod(after, &end);
		if (*after == '\0' || *end != '\0' || isnan(min)) {
			cli_error("invalid value for --stop-after: '%s' is not a "
			    "number of minutes", after);
			return -1;
		}
		/* As Guild: 0 or less stops at once; the longest ~49 days. */
		if (!(min * 60000.0 >= 1))
			*stop_ms = 1;
		else if (min * 60000.0 >= (double)UINT_MAX)
			*stop_ms = UINT_MAX;
		else
			*stop_ms = (unsigned)(min * 60000.0);
	}
	return 0;
}

/*
 * The label template of the command's runs, as Guild chooses it: -l,
 * else the tags before the default label ("best v1 ${default_label}"),
 * else stored (a restarted run's own, from its op attr; NULL: the
 * operation's). *owned is what to free.
 */
static const char *
label_template(const struct cmd_args *a, const char *stored, char **owned)
{
	const struct strvec	*tags = &a->values[OPT_TAG];
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 i;

	*owned = NULL;
	if (cmd_arg_has(a, OPT_LABEL))
		return cmd_arg_value(a, OPT_LABEL);
	if (tags->n == 0)
		return stored;
	for (i = 0; i < tags->n; i++)
		strbuf_addf(&sb, "%s ", tags->v[i]);
	strbuf_addstr(&sb, "${default_label}");
	return *owned = strbuf_detach(&sb, NULL);
}

/*
 * The algorithm -o or -O asks for (NULL: neither): -o NAME is one of the
 * operation's optimizers or an algorithm; -O the operation's default
 * optimizer (Guild's default algorithm, gp, when it has none). *out is
 * what to free. -1 after printing an error.
 */
static int
optimizer_algorithm(const struct cmd_args *a, const struct opdef *op,
    char **out)
{
	struct strvec	 names = STRVEC_INIT, algos = STRVEC_INIT;
	const char	*want = cmd_arg_value(a, OPT_OPTIMIZER);
	long		 def, i;
	int		 rc = 0;

	*out = NULL;
	if (want == NULL && !cmd_arg_has(a, OPT_OPTIMIZE))
		return 0;
	if (want != NULL && cmd_arg_has(a, OPT_OPTIMIZE)) {
		cli_error("--optimize and --optimizer cannot both be used");
		fprintf(stderr, "Try 'guild run --help' for more information.\n");
		return -1;
	}
	def = run_op_optimizers(op, &names, &algos);
	if (want != NULL) {
		i = strvec_find(&names, want);
		*out = xstrdup(i >= 0 ? algos.v[i] : want);
	} else if (def >= 0)
		*out = xstrdup(algos.v[def]);
	else if (names.n == 0)
		*out = xstrdup("gp");
	else {
		char	*list = strvec_join(&names, ", ");

		cli_error("no default optimizer defined for %s", op->name);
		fprintf(stderr, "Specify one of the following with "
		    "'--optimizer': %s\n", list);
		free(list);
		rc = -1;
	}
	strvec_clear(&names);
	strvec_clear(&algos);
	return rc;
}

/* Trials a preview (--print-trials, --print-cmd, --print-env) shows. */
#define PREVIEW_MAX_TRIALS	1000

struct fg {
	struct loop		*loop;
	struct runner		*runner;
	struct loop_io		*in;
	struct term_state	 ts;
	bool			 quiet;
	bool			 done;
	int			 code;
};

static void
fg_log(const char *line, void *arg)
{
	(void)arg;
	fprintf(stderr, "%s\n", cli_text(stderr, line));
}

static void
fg_data(const char *buf, size_t len, void *arg)
{
	struct fg	*fg = arg;

	if (!fg->quiet)
		write_all(STDOUT_FILENO, buf, len);
}

static void
fg_done(int code, void *arg)
{
	struct fg	*fg = arg;

	fg->done = true;
	fg->code = code;
	loop_break(fg->loop);
}

static void
fg_stdin(struct loop_io *io, int fd, short revents, void *arg)
{
	struct fg	*fg = arg;
	char		 buf[4096];
	ssize_t		 n;

	n = read(fd, buf, sizeof buf);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n > 0) {
		runner_write(fg->runner, buf, (size_t)n);
		return;
	}
	/*
	 * End of our input: the operation reading its terminal gets end of
	 * file too (^D at the start of a line, in canonical mode).
	 */
	runner_write(fg->runner, "\004", 1);
	loop_io_del(io);
	fg->in = NULL;
}

static void
fg_winch(int signo, void *arg)
{
	struct fg	*fg = arg;
	unsigned short	 rows, cols;

	if (fg->runner == NULL)
		return;
	if (term_get_size(STDIN_FILENO, &rows, &cols) == 0 ||
	    term_get_size(STDOUT_FILENO, &rows, &cols) == 0)
		runner_resize(fg->runner, rows, cols);
}

static void
fg_signal(int signo, void *arg)
{
	struct fg	*fg = arg;

	/* Ctrl-C and friends go to the operation's whole process group. */
	if (fg->runner != NULL)
		runner_kill(fg->runner, signo);
}

/* Run in the foreground; returns the operation's exit status. */
static int
run_foreground(const struct runner_spec *spec, const struct run_plan *plan,
    struct run *run, bool quiet)
{
	struct fg		 fg;
	struct runner_hooks	 hooks = { .on_data = fg_data, .on_done = fg_done,
				    .on_log = fg_log };
	unsigned short		 rows = 0, cols = 0;
	char			*cause = NULL;

	memset(&fg, 0, sizeof fg);
	fg.ts = (struct term_state)TERM_STATE_INIT;
	fg.quiet = quiet;
	fg.loop = loop_new();
	if (term_get_size(STDOUT_FILENO, &rows, &cols) == -1)
		term_get_size(STDIN_FILENO, &rows, &cols);
	fflush(stdout);
	/*
	 * Signals first: the operation may print and be interrupted before
	 * runner_start() returns. Until then fg.runner is NULL and they wait.
	 */
	loop_signal(fg.loop, SIGWINCH, fg_winch, &fg);
	loop_signal(fg.loop, SIGINT, fg_signal, &fg);
	loop_signal(fg.loop, SIGTERM, fg_signal, &fg);
	loop_signal(fg.loop, SIGHUP, fg_signal, &fg);
	loop_signal(fg.loop, SIGQUIT, fg_signal, &fg);
	fg.runner = runner_start(fg.loop, spec, plan, run, &hooks, &fg, rows,
	    cols, &cause);
	if (fg.runner == NULL) {
		char	*c2 = NULL;

		runner_fail(run, 127, &c2);
		free(c2);
		loop_free(fg.loop);
		return cli_error_cause(cause);
	}
	if (isatty(STDIN_FILENO) && !quiet)
		term_raw(&fg.ts, STDIN_FILENO, NULL);
	fg.in = loop_io_add(fg.loop, STDIN_FILENO, LOOP_READ, fg_stdin, &fg);
	while (!fg.done && loop_run(fg.loop) == 0 && !fg.done)
		;
	term_restore(&fg.ts);
	if (runner_error(fg.runner) != NULL) {
		/* The run is not what it should be: not a success. */
		cli_error("run %.8s: %s", plan->id, runner_error(fg.runner));
		if (fg.code == 0)
			fg.code = 1;
	}
	runner_free(fg.runner);
	loop_free(fg.loop);
	if (fg.code == 0)
		return 0;
	/* A signal's death becomes the shell's 128 + N. */
	return fg.code > 255 ? 1 : proc_shell_status(fg.code);
}

static void
bg_done(int code, void *arg)
{
	struct loop	*loop = arg;

	loop_break(loop);
}

/*
 * Fork a detached supervisor: its own session, never a terminal again,
 * standard streams on /dev/null. Returns 0 in the supervisor, which
 * calls detach_ready(*ready) once it has taken the run over (its PENDING
 * names the supervisor: this process is about to exit); 1 in the
 * caller, after that; -1 after an error (printed).
 */
static int
detach(int *ready)
{
	char	*cause = NULL;
	int	 rc;

	if ((rc = proc_detach(ready, &cause)) == -1) {
		cli_error_cause(cause);
		return -1;
	}
	if (rc == 0)
		signal(SIGHUP, SIG_IGN);
	return rc;
}

static void
detach_ready(const struct run *run, int ready)
{
	run_marker_set(run, RUN_MARKER_PENDING, NULL);
	close(ready);
}

/*
 * --pidfile: the path made absolute (the supervisor does not stay in this
 * directory) and written empty now, so that a pidfile that cannot be
 * written is said here. *path NULL without one; -1 after an error.
 */
static int
pidfile_prepare(const char *pidfile, char **path)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*cause = NULL, *rel;
	long		 pid;

	*path = NULL;
	if (pidfile == NULL || *pidfile == '\0')
		return 0;
	rel = *pidfile == '/' ? xstrdup(pidfile) :
	    path_join(cli_start_dir(), pidfile);
	*path = path_absolute(rel);
	free(rel);
	/* One process per pidfile, as Guild's daemon locks it. */
	if (strbuf_read_file(&sb, *path, NULL) == 0 &&
	    sscanf(sb.buf, "%ld", &pid) == 1 && pid > 0 &&
	    (kill((pid_t)pid, 0) == 0 || errno == EPERM)) {
		strbuf_release(&sb);
		cli_error("%s: in use by process %ld", pidfile, pid);
		free(*path);
		*path = NULL;
		return -1;
	}
	strbuf_release(&sb);
	if (write_file_atomic(*path, "", 0, &cause) == -1) {
		free(*path);
		*path = NULL;
		cli_error_cause(cause);
		return -1;
	}
	return 0;
}

/* In the supervisor: Guild's pidfile holds its id while it runs. */
static void
pidfile_own(const char *path)
{
	char	 pid[32], *cause = NULL;

	if (path == NULL)
		return;
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (write_file_atomic(path, pid, strlen(pid), &cause) == -1)
		free(cause);
}

/* At the supervisor's end: its pidfile goes, unless another has it now. */
static void
pidfile_release(const char *path)
{
	struct strbuf	sb = STRBUF_INIT;
	long		pid;

	if (path == NULL)
		return;
	if (strbuf_read_file(&sb, path, NULL) == 0 &&
	    sscanf(sb.buf, "%ld", &pid) == 1 && pid == (long)getpid())
		unlink(path);
	strbuf_release(&sb);
}

/*
 * Detach a supervisor that owns the run's terminal: the run goes on
 * after this terminal closes, and is followed with `guild watch`.
 */
static int
run_background(const struct runner_spec *spec, const struct run_plan *plan,
    struct run *run, bool quiet, const char *pidfile, const char *pidpath)
{
	int	 ready;

	switch (detach(&ready)) {
	case -1:
		return 1;
	case 0: {
		struct loop		*loop;
		struct runner		*r;
		struct runner_hooks	 hooks = { .on_done = bg_done };

		pidfile_own(pidpath);
		detach_ready(run, ready);
		loop = loop_new();
		r = runner_start(loop, spec, plan, run, &hooks, loop, 0, 0, NULL);
		if (r == NULL)
			runner_fail(run, 127, NULL);
		else
			loop_run(loop);
		runner_free(r);
		loop_free(loop);
		pidfile_release(pidpath);
		_exit(0);
	}
	}
	if (!quiet && pidpath != NULL)
		printf("%s started in background as %s (pidfile %s)\n",
		    cli_field(stdout, plan->opname), plan->id,
		    cli_field(stdout, pidfile));
	else if (!quiet)
		printf("%s started in background as %s\n",
		    cli_field(stdout, plan->opname), plan->id);
	return 0;
}

static void
print_preview(const char *what, const struct value *flags)
{
	size_t	i;

	struct value	*sorted;

	fprintf(stderr, "You are about to %s\n", cli_text(stderr, what));
	if (flags == NULL || flags->type != VALUE_MAP)
		return;
	sorted = value_dup(flags);
	value_map_sort(sorted);
	for (i = 0; i < sorted->u.map.n; i++) {
		struct strbuf	sb = STRBUF_INIT;

		flag_format(&sb, sorted->u.map.v[i], false);
		fprintf(stderr, "  %s: %s\n", cli_field(stderr,
		    sorted->u.map.k[i]), cli_field(stderr, sb.buf));
		strbuf_release(&sb);
	}
	value_free(sorted);
}

/* User flags of a stored run, with the new assignments over them. */
static struct value *
merge_flags(const struct value *base, const struct value *over)
{
	struct value	*m = base != NULL && base->type == VALUE_MAP ?
	    value_dup(base) : value_map();
	size_t		 i;

	for (i = 0; over != NULL && i < over->u.map.n; i++)
		value_map_set(m, over->u.map.k[i], value_dup(over->u.map.v[i]));
	return m;
}

static void
log_stderr(const char *line, void *arg)
{
	fprintf(stderr, "%s\n", cli_text(stderr, line));
}

/*
 * The pipeline's terminal goes raw for good (each step's guild passes
 * bytes on to its own step's terminal), and input already ended is
 * noticed: an end of file typed or sent before that arrives as a NUL (or
 * ^D) byte, and then the steps get no input at all.
 */
static bool
input_ended(struct term_state *ts)
{
	char	buf[256];
	ssize_t	n, i;
	int	fl;
	bool	eof = false;

	if (!isatty(STDIN_FILENO) || term_raw(ts, STDIN_FILENO, NULL) == -1)
		return false;
	if ((fl = fcntl(STDIN_FILENO, F_GETFL)) == -1)
		return false;
	fcntl(STDIN_FILENO, F_SETFL, fl | O_NONBLOCK);
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0)
		for (i = 0; i < n; i++)
			if (buf[i] == '\0' || buf[i] == '\004')
				eof = true;
	fcntl(STDIN_FILENO, F_SETFL, fl);
	return eof;
}

/*
 * A step's guild run, in this terminal: stopping the pipeline (INT, TERM
 * or HUP to its process) stops the step.
 */
static int
run_step(const char *const *argv, const char *const *env, void *arg)
{
	static const int	 forward[] = { SIGINT, SIGTERM, SIGHUP, 0 };
	const bool		*no_input = arg;
	struct proc_spec	 spec = {
		.argv = argv,
		.env = env,
		.mode = PROC_INHERIT,
		.null_input = *no_input,
		.forward = forward,
	};
	char			*cause = NULL;
	int			 code;

	if (proc_run(&spec, NULL, NULL, &code, &cause) == -1)
		cli_error_cause(cause);
	return code;
}

/* --run-steps: the process of a pipeline run. */
static int
run_steps(const char *run_dir)
{
	struct steps_hooks	 hooks = { .log = log_stderr, .run = run_step };
	struct term_state	 ts = TERM_STATE_INIT;
	char			*exe = runner_guild_exe(), *cause = NULL;
	bool			 no_input;
	int			 rc;

	no_input = input_ended(&ts);
	rc = steps_run(run_dir, exe, &hooks, &no_input, &cause);
	term_restore(&ts);
	free(exe);
	if (cause != NULL) {
		cli_error_cause(cause);
		return rc > 0 ? rc : 1;
	}
	if (rc < 0) {
		/* Die of the step's signal: the pipeline is terminated too. */
		fflush(NULL);
		signal(-rc, SIG_DFL);
		raise(-rc);
		return proc_shell_status(rc);
	}
	return rc;
}

/* A non-negative integer option; -1 after an error. */
static long
int_option(const struct cmd_args *a, int id, const char *name, long dflt)
{
	const char	*v = cmd_arg_value(a, id);
	char		*end;
	long		 n;

	if (v == NULL)
		return dflt;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 0 || errno != 0) {
		cli_error("invalid value for --%s: '%s' (expected a number)",
		    name, v);
		return -1;
	}
	return n;
}

static uint64_t
random_seed(void)
{
	uint64_t	seed = 0;
	int		fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		if (read(fd, &seed, sizeof seed) != (ssize_t)sizeof seed)
			seed = 0;
		close(fd);
	}
	if (seed == 0)
		seed = (uint64_t)now_us() ^ ((uint64_t)getpid() << 32);
	/* Guild keeps seeds that Python's random.seed() takes. */
	return seed & 0xffffffffULL;
}

/* --print-cmd and --print-env of a planned run. */
static void
print_plan(const struct cmd_args *a, const struct run_plan *plan)
{
	size_t	i;

	if (cmd_arg_has(a, OPT_PRINT_CMD)) {
		struct strbuf	sb = STRBUF_INIT;

		for (i = 0; i < plan->argv.n; i++) {
			if (i > 0)
				strbuf_addch(&sb, ' ');
			shlex_quote(&sb, plan->argv.v[i]);
		}
		printf("%s\n", cli_field(stdout, sb.buf));
		strbuf_release(&sb);
	}
	if (cmd_arg_has(a, OPT_PRINT_ENV)) {
		struct strvec	env = STRVEC_INIT;

		strvec_pushv(&env, (const char *const *)plan->env.v);
		strvec_sort(&env);
		for (i = 0; i < env.n; i++)
			printf("%s\n", cli_field(stdout, env.v[i]));
		strvec_clear(&env);
	}
}

/*
 * --print-cmd and --print-env of a batch: each trial's, in order (with
 * --print-env, a blank line between trials). Nothing is created.
 */
static int
print_trial_plans(const struct cmd_args *a, const struct guild_home *home,
    const struct opdef *op, const struct value *resolved)
{
	struct runner_spec	 spec;
	struct run_plan		 plan;
	struct strvec		 env = STRVEC_INIT;
	char			*cause = NULL, *tpl;
	const char		*label = label_template(a, NULL, &tpl);
	size_t			 i;
	unsigned		 stop_ms;
	int			 rc = 0;

	if (run_extras(a, &env, &stop_ms) == -1) {
		free(tpl);
		return -1;
	}
	for (i = 0; i < resolved->u.list.n; i++) {
		memset(&spec, 0, sizeof spec);
		spec.home = home;
		spec.op = op;
		spec.flags = resolved->u.list.v[i];
		spec.label = label;
		spec.env = &env;
		if (runner_plan(&spec, &plan, &cause) == -1) {
			cli_error_cause(cause);
			rc = -1;
			break;
		}
		if (i > 0 && cmd_arg_has(a, OPT_PRINT_ENV))
			printf("\n");
		print_plan(a, &plan);
		run_plan_clear(&plan);
	}
	strvec_clear(&env);
	free(tpl);
	return rc;
}

/* The --print-trials table: "#  lr  epochs" / "1  0.1  2". */
static void
print_trials(const struct opdef *op, const struct value *resolved)
{
	struct strvec	  names = STRVEC_INIT, dep = STRVEC_INIT;
	const char	**cells;
	char		**texts;
	size_t		  i, k, ncols, nrows = resolved->u.list.n + 1, n = 0;

	deps_flag_names(op, &dep);
	for (i = 0; i < resolved->u.list.n; i++) {
		const struct value	*t = resolved->u.list.v[i];

		for (k = 0; k < t->u.map.n; k++)
			if (strvec_find(&names, t->u.map.k[k]) < 0 &&
			    strvec_find(&dep, t->u.map.k[k]) < 0)
				strvec_push(&names, t->u.map.k[k]);
	}
	strvec_sort(&names);
	ncols = names.n + 1;
	cells = xcalloc(nrows * ncols, sizeof *cells);
	texts = xcalloc(nrows * ncols, sizeof *texts);
	texts[n++] = xstrdup("#");
	for (k = 0; k < names.n; k++)
		texts[n++] = xstrdup(names.v[k]);
	for (i = 0; i < resolved->u.list.n; i++) {
		texts[n++] = xasprintf("%zu", i + 1);
		for (k = 0; k < names.n; k++) {
			const struct value	*v;
			struct strbuf		 sb = STRBUF_INIT;

			v = value_map_get(resolved->u.list.v[i], names.v[k]);
			if (v != NULL && v->type != VALUE_NULL)
				value_format_flag(&sb, v);
			texts[n++] = strbuf_detach(&sb, NULL);
		}
	}
	for (i = 0; i < n; i++)
		cells[i] = texts[i];
	cli_table(stdout, cells, nrows, ncols);
	for (i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(cells);
	strvec_clear(&names);
	strvec_clear(&dep);
}

struct fgb {
	struct loop	*loop;
	struct batch	*batch;
	bool		 quiet;
	bool		 parallel;
	bool		 color;
	bool		 done;
	int		 code;
};

static void
fgb_log(const char *line, void *arg)
{
	fprintf(stderr, "%s\n", cli_text(stderr, line));
}

static void
fgb_data(const char *id, const char *buf, size_t len, void *arg)
{
	struct fgb	*f = arg;

	/* One trial at a time: its output as a terminal shows it. */
	if (!f->quiet && !f->parallel)
		write_all(STDOUT_FILENO, buf, len);
}

static void
fgb_line(const char *id, const struct output_line *line, void *arg)
{
	struct fgb	*f = arg;
	struct strbuf	 sb = STRBUF_INIT;

	/* Trials at once: whole lines, each marked with its trial. */
	if (f->quiet || !f->parallel)
		return;
	strbuf_addf(&sb, "[%.8s] ", id);
	if (f->color)
		output_line_render(line, &sb);
	else
		strbuf_add(&sb, line->text, line->len);
	strbuf_addch(&sb, '\n');
	write_all(STDOUT_FILENO, sb.buf, sb.len);
	strbuf_release(&sb);
}

static void
fgb_done(int code, void *arg)
{
	struct fgb	*f = arg;

	f->done = true;
	f->code = code;
	loop_break(f->loop);
}

static void
fgb_signal(int signo, void *arg)
{
	struct fgb	*f = arg;

	if (f->batch != NULL)
		batch_stop(f->batch, signo);
}

/* Run a batch in this process's loop; returns the batch's exit status. */
static int
batch_loop(const struct batch_spec *bs, struct run *brun, bool quiet,
    bool background)
{
	struct fgb		 f;
	struct batch_hooks	 hooks = { .on_log = fgb_log, .on_data = fgb_data,
				    .on_line = fgb_line, .on_done = fgb_done };
	char			*cause = NULL;

	memset(&f, 0, sizeof f);
	f.loop = loop_new();
	f.quiet = quiet;
	f.parallel = bs->parallel > 1;
	f.color = !background && cli_tty(stdout);
	loop_signal(f.loop, SIGINT, fgb_signal, &f);
	loop_signal(f.loop, SIGTERM, fgb_signal, &f);
	loop_signal(f.loop, SIGHUP, fgb_signal, &f);
	if (background) {
		memset(&hooks, 0, sizeof hooks);
		hooks.on_done = fgb_done;
	}
	f.batch = batch_start(f.loop, bs, brun, &hooks, &f, &cause);
	if (f.batch == NULL) {
		runner_fail(brun, 1, NULL);
		loop_free(f.loop);
		return cli_error_cause(cause);
	}
	while (!f.done && loop_run(f.loop) == 0 && !f.done)
		;
	batch_free(f.batch);
	loop_free(f.loop);
	return f.code;
}

/* After a flag error: how to see the flags, or skip the check. */
static void
flags_hint(const struct opdef *op)
{
	char	*name = opdef_fullname(op);

	fprintf(stderr, "Try 'guild run %s --help-op' for a list of flags "
	    "or use --force-flags to skip this check.\n",
	    cli_field(stderr, name));
	free(name);
}

/* The rows of the batch files, in order, onto rows; 0 or exit status. */
static int
batch_files_read(const struct strvec *files, struct value *rows)
{
	char	*cause = NULL;
	size_t	 i, k;

	for (i = 0; i < files->n; i++) {
		struct value	*r;

		if (batch_read_file(files->v[i], &r, &cause) == -1)
			return cli_error_cause(cause);
		for (k = 0; k < r->u.list.n; k++) {
			value_list_push(rows, r->u.list.v[k]);
			r->u.list.v[k] = NULL;
		}
		r->u.list.n = 0;
		value_free(r);
	}
	return 0;
}

/*
 * Guild's batch operations have delete-on-success: a batch that succeeded
 * goes to the trash (quietly, as Guild logs it only to debug); its trials
 * stay. --keep-batch keeps it.
 */
static void
batch_delete(const struct guild_home *home, const struct run *brun)
{
	char	*cause = NULL;

	if (run_trash(home, brun->id, &cause) == -1) {
		cli_note("guild: warning: %s", cause);
		free(cause);
	}
}

/* A batch under a detached supervisor, as run_background() does a run. */
static int
batch_background(const struct cmd_args *a, const struct batch_spec *bs,
    struct run *brun, const char *name, enum batch_kind kind,
    const char *pidpath)
{
	int	ready;

	switch (detach(&ready)) {
	case -1:
		return 1;
	case 0:
		pidfile_own(pidpath);
		detach_ready(brun, ready);
		if (batch_loop(bs, brun, true, true) == 0 &&
		    !cmd_arg_has(a, OPT_KEEP_BATCH) && !bs->stage_trials)
			batch_delete(bs->home, brun);
		pidfile_release(pidpath);
		_exit(0);
	}
	if (!cmd_arg_has(a, OPT_QUIET))
		printf("%s+%s started in background as %s\n",
		    cli_field(stdout, name), kind == BATCH_RANDOM ? "random" : "",
		    brun->id);
	return 0;
}

/* -bl, -bt and -bc: the batch run's own label, tags and comment. */
/* A batch on a Slurm remote: its trials staged, one array job. */
static int
batch_remote(const struct cmd_args *a, const struct batch_spec *bs,
    struct run *brun, const struct guild_home *home)
{
	struct strvec	 ids = STRVEC_INIT;
	char		*cause = NULL;
	int		 rc;

	if (batch_stage_trials(bs, brun, &ids, cmd_arg_has(a, OPT_QUIET) ?
	    NULL : log_stderr, NULL, &cause) == -1) {
		runner_fail(brun, 1, NULL);
		rc = cli_error_cause(cause);
	} else if (remote_target->host != NULL ||
	    remote_target->type == REMOTE_SSH) {
		/* Staged here: cmd_remote_run() takes it there. */
		remote_staged_id = xstrdup(brun->id);
		strvec_clear(&remote_staged_trials);
		remote_staged_trials = ids;
		memset(&ids, 0, sizeof ids);
		remote_staged_parallel = cmd_arg_has(a, OPT_PARALLEL) ?
		    bs->parallel : 0;
		rc = 0;
	} else if ((rc = cli_remote_submit(home, remote_target, brun, &ids,
	    cmd_arg_has(a, OPT_PARALLEL) ? bs->parallel : 0,
	    !cmd_arg_has(a, OPT_NO_WAIT), cmd_arg_has(a, OPT_QUIET))) != 0 &&
	    run_get_status(brun) == RUN_STATUS_PENDING)
		runner_fail(brun, 1, NULL);
	strvec_clear(&ids);
	return rc;
}

static int
batch_run_attrs(const struct cmd_args *a, const struct run *brun)
{
	const char	*label = cmd_arg_value(a, OPT_BATCH_LABEL);
	const char	*comment = cmd_arg_value(a, OPT_BATCH_COMMENT);
	char		*cause = NULL;

	if ((label != NULL && run_set_label(brun, label, &cause) == -1) ||
	    (a->values[OPT_BATCH_TAG].n > 0 &&
	    run_set_tags(brun, &a->values[OPT_BATCH_TAG], &cause) == -1) ||
	    (comment != NULL &&
	    run_comment_add(brun, comment, NULL, NULL, 0, &cause) == -1)) {
		cli_error_cause(cause);
		return -1;
	}
	/* As Guild records it, for the batch's restart. */
	if (cmd_arg_has(a, OPT_STAGE_TRIALS)) {
		struct value	*v = value_bool(true);
		int		 rc = run_attr_write(brun, "stage_trials", v, &cause);

		value_free(v);
		if (rc == -1) {
			cli_error_cause(cause);
			return -1;
		}
	}
	return 0;
}

/*
 * The flags of the first ncheck trials, checked (then gen is rewound);
 * resolved gets the first PREVIEW_MAX_TRIALS of them. 0 or exit status.
 */
static int
trials_check(struct cmd_args *a, const struct opdef *op,
    struct batch_gen *gen, size_t ncheck, struct value *resolved)
{
	char	*cause = NULL;
	size_t	 i;

	for (i = 0; i < ncheck; i++) {
		struct value	*t, *f;
		int		 r;

		if ((t = batch_gen_next(gen, &cause)) == NULL)
			return cli_error_cause(cause);
		r = flags_apply(op, t, cmd_arg_has(a, OPT_FORCE_FLAGS), &f,
		    &cause);
		value_free(t);
		if (r == -1) {
			cli_error_cause(cause);
			flags_hint(op);
			return 1;
		}
		if (i < PREVIEW_MAX_TRIALS)
			value_list_push(resolved, f);
		else
			value_free(f);
	}
	batch_gen_rewind(gen);
	return 0;
}

static int
run_batch(struct cmd_args *a, const struct guild_home *home,
    const struct opdef *op, const struct value *user_flags,
    const struct strvec *files, enum batch_kind kind)
{
	struct batch_spec	 bs;
	struct batch_gen	*gen = NULL;
	struct strvec		 env = STRVEC_INIT;
	char			*tpl = NULL, *pidpath = NULL;
	struct value		*rows = value_list();
	struct value		*resolved = value_list(), *shown = NULL;
	struct run		*brun;
	char			*cause = NULL, *name, *what, *vcs = NULL;
	long			 max_trials, parallel, seedopt;
	uint64_t		 seed;
	size_t			 ntrials, ncheck;
	int			 rc = 1;

	if ((max_trials = int_option(a, OPT_MAX_TRIALS, "max-trials", 0)) < 0 ||
	    (parallel = int_option(a, OPT_PARALLEL, "parallel", 1)) < 0 ||
	    (seedopt = int_option(a, OPT_RANDOM_SEED, "random-seed", -2)) == -1)
		goto out;
	memset(&bs, 0, sizeof bs);
	if (run_extras(a, &env, &bs.stop_after_ms) == -1)
		goto out;
	seed = seedopt >= 0 ? (uint64_t)seedopt : random_seed();
	if (cmd_arg_has(a, OPT_STAGE) || cmd_arg_has(a, OPT_RUN_DIR)) {
		rc = cli_error("%s", cmd_arg_has(a, OPT_STAGE) ? "a batch cannot "
		    "be staged (use --stage-trials to stage its trials)" :
		    "--run-dir cannot be used with a batch");
		goto out;
	}
	if ((rc = batch_files_read(files, rows)) != 0)
		goto out;
	rc = 1;
	if ((gen = batch_gen_new(op, user_flags, rows, kind, max_trials, seed,
	    &cause)) == NULL) {
		rc = cli_error_cause(cause);
		goto out;
	}
	ntrials = batch_gen_count(gen);
	/*
	 * Flags are checked before anything is created: every trial of a
	 * grid (made whole anyway), the first of a random search (the rest
	 * as they start: a search may have millions). Previews keep the
	 * first PREVIEW_MAX_TRIALS.
	 */
	ncheck = kind == BATCH_RANDOM && ntrials > PREVIEW_MAX_TRIALS ?
	    PREVIEW_MAX_TRIALS : ntrials;
	if (trials_check(a, op, gen, ncheck, resolved) != 0)
		goto out;
	if (cmd_arg_has(a, OPT_PRINT_TRIALS) || cmd_arg_has(a, OPT_PRINT_CMD) ||
	    cmd_arg_has(a, OPT_PRINT_ENV)) {
		if (cmd_arg_has(a, OPT_PRINT_TRIALS))
			print_trials(op, resolved);
		else if (print_trial_plans(a, home, op, resolved) == -1)
			goto out;
		if (ntrials > resolved->u.list.n)
			printf("... and %zu more trial%s\n",
			    ntrials - resolved->u.list.n,
			    ntrials - resolved->u.list.n == 1 ? "" : "s");
		rc = 0;
		goto out;
	}
	if (ntrials == 0) {
		rc = cli_error("the batch has no trials");
		goto out;
	}
	name = opdef_fullname(op);
	if (!cmd_arg_has(a, OPT_YES)) {
		const char	*verb = cmd_arg_has(a, OPT_STAGE_TRIALS) ?
		    "stage trials for" : "run";

		if (kind == BATCH_RANDOM)
			what = xasprintf("%s %s with random search (max %zu "
			    "trials)", verb, name, ntrials);
		else
			what = xasprintf("%s %s as a batch (%zu trial%s)", verb,
			    name, ntrials, ntrials == 1 ? "" : "s");
		flags_apply(op, user_flags, true, &shown, NULL);
		print_preview(what, shown);
		free(what);
		if (!cli_confirm("Continue?", true)) {
			free(name);
			rc = 0;
			goto out;
		}
	}
	if (pidfile_prepare(cmd_arg_value(a, OPT_PIDFILE), &pidpath) == -1) {
		free(name);
		rc = 1;
		goto out;
	}
	if ((brun = batch_create(home, op, kind, user_flags, seed, max_trials,
	    cmd_arg_value(a, OPT_RUN_ID), &cause)) == NULL) {
		free(name);
		rc = cli_error_cause(cause);
		goto out;
	}
	if (batch_run_attrs(a, brun) == -1) {
		free(name);
		run_free(brun);
		goto out;
	}
	bs.home = home;
	bs.op = op;
	bs.trials = gen;
	bs.label = label_template(a, NULL, &tpl);
	bs.tags = &a->values[OPT_TAG];
	bs.env = &env;
	bs.comment = cmd_arg_value(a, OPT_COMMENT);
	bs.parallel = parallel > 0 ? (unsigned)parallel : 1;
	bs.force_flags = cmd_arg_has(a, OPT_FORCE_FLAGS);
	bs.force_deps = cmd_arg_has(a, OPT_FORCE_DEPS);
	bs.needed = cmd_arg_has(a, OPT_NEEDED);
	bs.fail_on_trial_error = cmd_arg_has(a, OPT_FAIL_ON_TRIAL_ERROR);
	/* Once for all trials, before the batch's loop owns the signals. */
	bs.vcs_commit = vcs = runner_vcs_commit(op->model->gf->dir);
	bs.stage_trials = cmd_arg_has(a, OPT_STAGE_TRIALS);
	if (term_get_size(STDOUT_FILENO, &bs.rows, &bs.cols) == -1)
		term_get_size(STDIN_FILENO, &bs.rows, &bs.cols);

	if (remote_target != NULL)
		rc = batch_remote(a, &bs, brun, home);
	else if (cmd_arg_has(a, OPT_BACKGROUND) || pidpath != NULL)
		rc = batch_background(a, &bs, brun, name, kind, pidpath);
	else {
		rc = batch_loop(&bs, brun, cmd_arg_has(a, OPT_QUIET), false);
		/* Staged trials have not run: their batch stays. */
		if (rc == 0 && !cmd_arg_has(a, OPT_KEEP_BATCH) &&
		    !bs.stage_trials)
			batch_delete(home, brun);
		rc = proc_shell_status(rc);
	}
	free(name);
	run_free(brun);
out:
	if (pidpath != NULL && rc != 0)
		unlink(pidpath);
	free(pidpath);
	free(vcs);
	free(tpl);
	strvec_clear(&env);
	value_free(rows);
	batch_gen_free(gen);
	value_free(resolved);
	value_free(shown);
	return rc;
}

/*
 * --restart/--start RUN: the run (*old, its id in *id) and its own
 * operation, from the project it was run in, whatever the current
 * directory holds (*own_gf when loaded for it). proto: --proto RUN, whose
 * status does not matter. Returns 0 or the exit
 * status after printing an error.
 */
static int
restart_resolve(struct cmd_ctx *ctx, struct cmd_args *a,
    const struct guild_home *home, const char *restart, struct run **oldp,
    char **idp, struct guildfile **own_gf, const struct opdef **opp,
    bool proto)
{
	struct strvec		 ids = STRVEC_INIT;
	struct opref		 ref;
	struct modeldef		*m;
	struct guildfile	*gf = NULL;
	const struct opdef	*op;
	struct run		*old;
	enum run_status		 st;
	char			*cause = NULL, *id, *what;

	if (runsel_list(home->runs, &ids, &cause) == -1 ||
	    (id = runsel_one(&ids, restart, &cause)) == NULL) {
		strvec_clear(&ids);
		return cli_error_cause(cause);
	}
	strvec_clear(&ids);
	what = run_dir_path(home->runs, id);
	old = run_open(what, &cause);
	free(what);
	if (old == NULL || run_opref_read(old, &ref, &cause) == -1) {
		run_free(old);
		free(id);
		return cli_error_cause(cause);
	}
	*oldp = old;
	*idp = id;
	if (strcmp(ref.pkg_type, "package") == 0) {
		if ((*own_gf = run_package_named(ctx, ref.pkg_name,
		    &cause)) != NULL)
			gf = *own_gf;
	} else if (strcmp(ref.pkg_type, "script") == 0) {
		/* Guild 0.9's runs of scripts, and ours: DIR is the project. */
		char	*in = path_join(ref.pkg_name, GUILDFILE_NAME);

		/* Guild names an executable as typed: "./train.sh". */
		if (strncmp(ref.op, "./", 2) == 0)
			memmove(ref.op, ref.op + 2, strlen(ref.op + 2) + 1);

		if ((*own_gf = run_script_at(ctx, in, ref.op, &cause)) != NULL)
			gf = *own_gf;
		else if (cause == NULL)
			cause = xasprintf("cannot find %s for run %.8s in %s",
			    ref.op, id, ref.pkg_name);
		free(in);
	} else if (strcmp(ref.pkg_type, "guildfile") != 0)
		cause = xasprintf("run %.8s is a run of %s:%s %s, not of "
		    "a guild.yml operation", id, ref.pkg_type,
		    ref.pkg_name, ref.op);
	else if (ctx->gf != NULL &&
	    strcmp(ctx->gf->path, ref.pkg_name) == 0)
		gf = ctx->gf;
	else if (!path_exists(ref.pkg_name) &&
	    (*own_gf = run_script_at(ctx, ref.pkg_name, ref.op, &cause)) != NULL)
		gf = *own_gf;	/* a script run: "guild run train.py" */
	else if (cause == NULL &&
	    (*own_gf = guildfile_load(ref.pkg_name, &cause)) != NULL)
		gf = *own_gf;
	m = gf != NULL ? guildfile_model(gf, ref.model) : NULL;
	op = m != NULL ? modeldef_op(m, ref.op) : NULL;
	if (op != NULL && op->error != NULL) {
		cause = xstrdup(op->error);
		op = NULL;
	} else if (op == NULL && gf != NULL)
		cause = xasprintf("cannot find operation %s%s%s of run "
		    "%.8s in %s", ref.model, *ref.model ? ":" : "",
		    ref.op, id, gf->path);
	opref_clear(&ref);
	if (op == NULL)
		return cli_error_cause(cause);
	/* A prototype is only read: any status does. */
	st = proto ? RUN_STATUS_COMPLETED : run_get_status(old);
	if (st == RUN_STATUS_RUNNING || st == RUN_STATUS_PENDING)
		cause = xasprintf("run %.8s is %s: wait for it to end "
		    "or stop it with 'guild stop %.8s'", id,
		    run_status_name(st), id);
	else if (cmd_arg_has(a, OPT_START) && st != RUN_STATUS_STAGED)
		cause = xasprintf("run %.8s is not staged: use "
		    "--restart", id);
	if (cause != NULL)
		return cli_error_cause(cause);
	*opp = op;
	return 0;
}

/* The preview and question before a run; true to go ahead. */
static bool
run_confirm(struct cmd_args *a, const char *id, const struct runner_spec *spec,
    const struct run_plan *plan, const struct value *flags)
{
	char	*what;

	if (id != NULL)
		what = xasprintf("%s %.8s (%s)", cmd_arg_has(a, OPT_START) ?
		    "start" : "restart", id, plan->opname);
	else if (spec->stage)
		what = xasprintf("stage %s", plan->opname);
	else
		what = xasprintf("run %s", plan->opname);
	print_preview(what, flags);
	free(what);
	return cli_confirm("Continue?", true);
}

/*
 * A batch (a list flag value, a batch file, an optimizer): its trials
 * run; --test-output-scalars tests once. Returns the exit status.
 */
static int
batch_exec(struct cmd_args *a, const struct guild_home *home,
    const struct opdef *op, const struct value *user_flags,
    const struct strvec *files, enum batch_kind kind, bool restart)
{
	struct value	*flags = NULL;
	int		 rc;

	if (restart)
		return cli_error("a run cannot be restarted as a batch");
	if (!cmd_arg_has(a, OPT_TEST_SCALARS))
		return run_batch(a, home, op, user_flags, files, kind);
	/* The same patterns for every trial: one test. */
	if (flags_apply(op, user_flags, true, &flags, NULL) == -1)
		flags = user_flags != NULL ? value_dup(user_flags) :
		    value_map();
	rc = run_test_output_scalars(op, flags, cmd_arg_value(a, OPT_TEST_SCALARS));
	value_free(flags);
	return rc;
}

/* --needed: true (and a note) when a run with the same flags exists. */
static bool
needed_skip(const struct guild_home *home, const struct opdef *op,
    const struct value *flags)
{
	char	*match = batch_find_same(home, op, flags), *name;

	if (match == NULL)
		return false;
	name = opdef_fullname(op);
	printf("Skipping because the following runs match this "
	    "operation (--needed specified):\n  [%.8s]  %s\n",
	    match, cli_field(stdout, name));
	free(name);
	free(match);
	return true;
}

/*
 * delete-on-success: a run that succeeded goes to the trash, with Guild's
 * note (restore it with guild runs restore).
 */
static void
delete_interim(const struct guild_home *home, const struct run_plan *plan)
{
	char	*cause = NULL;

	fprintf(stderr, "Deleting interim run %s ('%s' is configured for "
	    "deletion on success)\n", plan->id, cli_field(stderr,
	    plan->opname));
	if (run_trash(home, plan->id, &cause) == -1) {
		cli_note("guild: warning: %s", cause);
		free(cause);
	}
}

/* Guild's run_params: the run command's options, operation and flags. */
static struct value *
run_params_value(const struct cmd_args *a)
{
	struct value	*m = cli_args_params(run_options, a), *flags;
	size_t		 i;

	value_map_set(m, "opspec", a->pos.n > 0 ? value_string(a->pos.v[0]) :
	    value_null());
	flags = value_list();
	for (i = 1; i < a->pos.n; i++)
		value_list_push(flags, value_string(a->pos.v[i]));
	value_map_set(m, "flags", flags);
	return m;
}

/*
 * The run itself, once its operation and flags are known: the sequence
 * is the runner's (runner_prepare, runner_launch); this prints, asks,
 * and owns the process in the foreground or detaches its supervisor.
 */
static int
run_one(struct cmd_args *a, const struct guild_home *home,
    const struct opdef *op, struct value *flags,
    const struct value *user_flags, const struct value *prior,
    const char *id, const char *stored_label, const char *proto_dir)
{
	struct runner_spec	 spec;
	struct runner_prep	 prep;
	struct run		*run;
	struct strvec		 env = STRVEC_INIT;
	struct value		*run_params = NULL;
	char			*cause = NULL, *tpl = NULL, *pidpath = NULL;
	char			*run_dir = NULL;
	bool			 printing;
	int			 rc;

	memset(&spec, 0, sizeof spec);
	if (cmd_arg_has(a, OPT_RUN_DIR))
		run_dir = run_dir_arg(a);
	spec.run_dir = run_dir;
	if (!cmd_arg_has(a, OPT_FORCE_SOURCECODE))
		spec.proto_dir = proto_dir;
	spec.force_sourcecode = id != NULL &&
	    cmd_arg_has(a, OPT_FORCE_SOURCECODE);
	if (run_extras(a, &env, &spec.stop_after_ms) == -1) {
		rc = 1;
		goto out;
	}
	if (cmd_arg_has(a, OPT_BATCH_COMMENT))
		cli_note("guild: warning: operation is not a batch - ignoring "
		    "batch comment");
	spec.home = home;
	spec.op = op;
	spec.flags = flags;
	spec.user_flags = user_flags;
	spec.label = label_template(a, stored_label, &tpl);
	spec.tags = &a->values[OPT_TAG];
	spec.env = &env;
	spec.comment = cmd_arg_value(a, OPT_COMMENT);
	spec.restart_id = id;
	spec.run_id = cmd_arg_value(a, OPT_RUN_ID);
	/* A run for a remote is staged here and started there. */
	spec.stage = cmd_arg_has(a, OPT_STAGE) || remote_target != NULL;
	run_params = run_params_value(a);
	spec.run_params = run_params;
	if (cmd_arg_has(a, OPT_RANDOM_SEED)) {
		spec.has_random_seed = true;
		spec.random_seed = strtoull(cmd_arg_value(a, OPT_RANDOM_SEED),
		    NULL, 10);
	}
	printing = cmd_arg_has(a, OPT_PRINT_CMD) ||
	    cmd_arg_has(a, OPT_PRINT_ENV);
	if (runner_prepare(&spec, flags, prior, !printing,
	    cmd_arg_has(a, OPT_FORCE_DEPS), &prep, &cause) == -1) {
		runner_prep_clear(&prep);
		rc = cli_error_cause(cause);
		goto out;
	}
	if (printing) {
		print_plan(a, &prep.plan);
		runner_prep_clear(&prep);
		rc = 0;
		goto out;
	}
	/* Guild's note, unless staged there or NO_WARN_RUNDIR=1. */
	if (run_dir != NULL && !spec.stage &&
	    (getenv("NO_WARN_RUNDIR") == NULL ||
	    strcmp(getenv("NO_WARN_RUNDIR"), "1") != 0))
		cli_note("Run directory is '%s' (results will not be visible "
		    "to Guild)", cli_field(stderr, run_dir));
	if (!cmd_arg_has(a, OPT_YES) &&
	    !run_confirm(a, id, &spec, &prep.plan, flags)) {
		runner_prep_clear(&prep);
		rc = 0;
		goto out;
	}
	/* Before the run exists: a pidfile that cannot be written is said. */
	if (pidfile_prepare(cmd_arg_value(a, OPT_PIDFILE), &pidpath) == -1) {
		runner_prep_clear(&prep);
		rc = 1;
		goto out;
	}
	run_debug_log("initializing run in %s", prep.plan.run_dir);
	if ((run = runner_launch(&spec, &prep, log_stderr, NULL,
	    &cause)) == NULL) {
		runner_prep_clear(&prep);
		rc = cli_error_cause(cause);
		goto out;
	}
	if (!spec.stage)
		run_debug_start(&prep.plan);
	if (remote_target != NULL && remote_target->host == NULL)
		rc = cli_remote_submit(home, remote_target, run, NULL, 0,
		    !cmd_arg_has(a, OPT_NO_WAIT), cmd_arg_has(a, OPT_QUIET));
	else if (spec.stage && remote_staging) {
		remote_staged_id = xstrdup(prep.plan.id);
		rc = 0;
	} else if (spec.stage && run_dir != NULL) {
		run_stage_dir_note(&prep.plan);
		rc = 0;
	} else if (spec.stage) {
		printf("%s staged as %s\n"
		    "To start the operation, use 'guild run --start %s'\n",
		    cli_field(stdout, prep.plan.opname), prep.plan.id,
		    prep.plan.id);
		rc = 0;
	} else if (cmd_arg_has(a, OPT_BACKGROUND) || pidpath != NULL)
		rc = run_background(&spec, &prep.plan, run,
		    cmd_arg_has(a, OPT_QUIET), cmd_arg_value(a, OPT_PIDFILE),
		    pidpath);
	else {
		rc = run_foreground(&spec, &prep.plan, run,
		    cmd_arg_has(a, OPT_QUIET));
		if (rc == 0 && op->delete_on_success && run_dir == NULL &&
		    !cmd_arg_has(a, OPT_KEEP_RUN))
			delete_interim(home, &prep.plan);
	}
	runner_prep_clear(&prep);
	run_free(run);
out:
	/* A pidfile prepared for a run that did not start goes. */
	if (pidpath != NULL && rc != 0)
		unlink(pidpath);
	strvec_clear(&env);
	value_free(run_params);
	free(tpl);
	free(pidpath);
	free(run_dir);
	return rc;
}

/* What guild run runs: from the command line, a restart or a prototype. */
struct target {
	const struct opdef	*op;
	struct guildfile	*own_gf;	/* loaded for it, or NULL */
	struct run		*old;		/* restarted or prototype run */
	char			*id;		/* the restarted run's id */
	const char		*proto_dir;	/* --proto: old's directory */
	size_t			 first;		/* first flag argument */
};

/*
 * The operation: the first argument without '=' or '@' (a guild.yml
 * operation or a script), else --restart's or --proto's. t's members
 * are the caller's to free even on failure; returns 0 or the exit
 * status after printing an error.
 */
static int
run_target(struct cmd_ctx *ctx, struct cmd_args *a,
    const struct guild_home *home, struct target *t)
{
	const char	*opspec = NULL, *restart, *proto;
	int		 rc;

	memset(t, 0, sizeof *t);
	restart = cmd_arg_value(a, OPT_RESTART);
	if (restart == NULL)
		restart = cmd_arg_value(a, OPT_START);
	proto = cmd_arg_value(a, OPT_PROTO);
	if (restart == NULL && a->pos.n > 0 &&
	    strchr(a->pos.v[0], '=') == NULL && a->pos.v[0][0] != '@') {
		opspec = a->pos.v[0];
		t->first = 1;
	}
	if (restart != NULL || (proto != NULL && opspec == NULL)) {
		/* The prototype's operation, as a restart finds it. */
		rc = restart_resolve(ctx, a, home, restart != NULL ? restart :
		    proto, &t->old, &t->id, &t->own_gf, &t->op, restart == NULL);
		if (rc != 0)
			return rc;
	} else {
		if ((rc = run_opspec(ctx, opspec, &t->own_gf, &t->op)) != 0)
			return rc;
		if (proto != NULL && (rc = run_proto_open(home, proto, &t->old,
		    &t->id)) != 0)
			return rc;
	}
	if (proto != NULL) {
		/* Not a restart: the prototype gives flags and source. */
		t->proto_dir = t->old->path;
		free(t->id);
		t->id = NULL;
	}
	return 0;
}

/*
 * --help-op, --test-sourcecode and --test-flags: shown, nothing run.
 * -1 when none is asked for (--test-output-scalars comes later), else
 * the exit status.
 */
static int
run_inspect(struct cmd_args *a, const struct guild_home *home,
    const struct opdef *op)
{
	char	*name;

	if (cmd_arg_has(a, OPT_HELP_OP)) {
		name = opdef_fullname(op);
		run_help_op(op, name);
		free(name);
		return 0;
	}
	if (cmd_arg_has(a, OPT_TEST_SCALARS))
		return -1;
	if (cmd_arg_has(a, OPT_TEST_ATTRS))
		return run_test_output_attrs(op,
		    cmd_arg_value(a, OPT_TEST_ATTRS));
	if (cmd_arg_has(a, OPT_TEST_SOURCECODE))
		return run_test_sourcecode(op);
	if (cmd_arg_has(a, OPT_TEST_FLAGS))
		return run_test_flags_plan(home, op);
	return -1;
}

static int	cmd_run_exec(struct cmd_ctx *, struct cmd_args *);

/* The options a run on a remote cannot take: 0, or 1 after an error. */
static int
remote_refused(const struct cmd_args *a)
{
	static const int	 refused[] = { OPT_STAGE, OPT_START, OPT_RESTART,
	    OPT_BACKGROUND, OPT_PIDFILE, OPT_PRINT_CMD, OPT_PRINT_ENV,
	    OPT_RUN_ID, 0 };
	size_t			 i;

	for (i = 0; refused[i] != 0; i++)
		if (cmd_arg_has(a, refused[i]))
			return cli_error("--remote cannot be used with --%s",
			    option_long_name(refused[i]));
	return 0;
}

/*
 * guild run -r REMOTE: stage the run as --stage does, in a Guild home of
 * its own (under the cache), then hand it to cmd_remote_run(), which
 * copies it there, starts it and follows it. A batch is staged with its
 * trials (remote_target set: run_main() stages them as for a Slurm
 * remote of this machine): one array job on a Slurm remote, on an ssh
 * remote a batch run there (start_staged_batch()).
 */
static int
run_remote(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guild_home	*local, *stage = NULL;
	struct remote_job	 job;
	struct remote		*r;
	char			*dir = NULL, *cause = NULL;
	const char		*name = cmd_arg_value(a, CMD_OPT_REMOTE);
	int			 rc = 1;

	if ((local = cli_home(ctx)) == NULL)
		return 1;
	if ((r = remote_get(local->path, name, &cause)) == NULL)
		return cli_error_cause(cause);
	dir = path_join(local->cache, "remote-stage.XXXXXX");
	if (mkdir_p(local->cache, 0777, &cause) == -1 || mkdtemp(dir) == NULL ||
	    (stage = home_new(dir, &cause)) == NULL ||
	    home_ensure(stage, &cause) == -1) {
		if (cause == NULL)
			cause = xasprintf("%s: %s", dir, strerror(errno));
		rc = cli_error_cause(cause);
		remote_free(r);
		goto out;
	}
	a->count[CMD_OPT_REMOTE] = 0;
	/* remote_target: run_main() stages a batch with its trials. */
	remote_target = r;
	ctx->home = stage;
	remote_staging = true;
	rc = cmd_run_exec(ctx, a);
	remote_staging = false;
	ctx->home = local;
	memset(&job, 0, sizeof job);
	job.id = remote_staged_id;
	job.trials = remote_staged_trials.n > 0 ? &remote_staged_trials : NULL;
	job.parallel = remote_staged_parallel;
	job.no_wait = cmd_arg_has(a, OPT_NO_WAIT);
	job.quiet = cmd_arg_has(a, OPT_QUIET);
	if (rc == 0 && remote_staged_id != NULL)
		rc = cmd_remote_run(ctx, name, stage, &job);
out:
	if (stage != NULL)
		rm_rf(dir, NULL);
	free(remote_staged_id);
	remote_staged_id = NULL;
	strvec_clear(&remote_staged_trials);
	remote_staged_parallel = 0;
	home_free(stage);
	free(dir);
	return rc;
}

/*
 * -r/--remote: -1 to go on here (none, or a Slurm remote of this
 * machine, whose home is now ours: remote_target), else the exit status.
 */
static int
remote_start(struct cmd_ctx *ctx, struct cmd_args *a)
{
	int	rc;

	if (cmd_arg_has(a, OPT_NO_WAIT) && !cmd_arg_has(a, CMD_OPT_REMOTE) &&
	    !remote_staging)
		return cli_error("--no-wait is for runs on a remote (--remote)");
	if (!cmd_arg_has(a, CMD_OPT_REMOTE)) {
		if (cmd_arg_has(a, OPT_START))
			return cli_run_staged_batch(cli_home(ctx),
			    cmd_arg_value(a, OPT_START),
			    cmd_arg_has(a, OPT_BACKGROUND),
			    cmd_arg_has(a, OPT_QUIET));
		return -1;
	}
	/* --start -r: a staged run on a Slurm remote of this machine. */
	if (cmd_arg_has(a, OPT_START)) {
		a->count[OPT_START] = 0;
		rc = remote_refused(a);
		a->count[OPT_START] = 1;
	} else
		rc = remote_refused(a);
	if (rc != 0)
		return rc;
	switch (cli_remote_here(ctx, cmd_arg_value(a, CMD_OPT_REMOTE),
	    &remote_target)) {
	case -1:
		return 1;
	case 0:
		if (cmd_arg_has(a, OPT_START))
			return cli_error("--remote cannot be used with "
			    "--start");
		return run_remote(ctx, a);
	}
	if (cmd_arg_has(a, OPT_START)) {
		long	parallel = int_option(a, OPT_PARALLEL, "parallel", 0);

		if (parallel < 0)
			return 1;
		return cli_remote_submit_staged(cli_home(ctx), remote_target,
		    cmd_arg_value(a, OPT_START), (unsigned)parallel,
		    !cmd_arg_has(a, OPT_NO_WAIT), cmd_arg_has(a, OPT_QUIET));
	}
	return -1;
}

static int
run_main(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guildfile	*own_gf = NULL;
	struct guild_home	*home;
	struct target		 t;
	const struct opdef	*op = NULL;
	struct value		*flags = NULL, *user_flags = NULL, *prior = NULL;
	struct value		*opattr = NULL;
	const struct value	*v;
	struct run		*old = NULL;
	struct strvec		 assigns = STRVEC_INIT, files = STRVEC_INIT;
	const char		*stored_label = NULL;
	const char		*proto_dir = NULL;
	char			*algo = NULL;
	char			*cause = NULL, *id = NULL;
	size_t			 first = 0, i;
	enum batch_kind		 kind;
	int			 rc = 1;

	if (cmd_arg_has(a, OPT_RUN_STEPS))
		return run_steps(cmd_arg_value(a, OPT_RUN_STEPS));
	if ((rc = remote_start(ctx, a)) != -1)
		return rc;
	if (run_options_check(a) == -1)
		return 1;
	run_debug_set(ctx->debug || cmd_arg_has(a, OPT_DEBUG));
	if ((home = cli_home(ctx)) == NULL)
		return 1;
	rc = run_target(ctx, a, home, &t);
	op = t.op;
	own_gf = t.own_gf;
	old = t.old;
	id = t.id;
	proto_dir = t.proto_dir;
	first = t.first;
	if (rc != 0)
		goto out;
	/* Flags from the Python script; as in Guild, a failure warns. */
	if (flags_import_apply(home, (struct opdef *)op, &cause) == -1) {
		cli_note("guild: warning: %s", cause);
		free(cause);
		cause = NULL;
	}
	if ((rc = run_inspect(a, home, op)) != -1)
		goto out;
	rc = 1;

	/* @FILE arguments are batch files; the rest are assignments. */
	for (i = first; i < a->pos.n; i++) {
		if (a->pos.v[i][0] == '@')
			strvec_push(&files, a->pos.v[i] + 1);
		else
			strvec_push(&assigns, a->pos.v[i]);
	}
	if (flags_parse_assigns(op, (const char *const *)assigns.v, assigns.n,
	    &user_flags, &cause) == -1)
		goto flag_error;
	if (old != NULL) {
		struct value	*stored = NULL, *merged;

		/* Guild AI 0.9's own runs may have flags only. */
		if (run_attr_read(old, "user_flags", &stored, NULL) == 0 &&
		    stored == NULL)
			run_attr_read(old, "flags", &stored, NULL);
		merged = merge_flags(stored, user_flags);
		value_free(stored);
		value_free(user_flags);
		user_flags = merged;
		if (proto_dir == NULL)
			run_attr_read(old, "deps", &prior, NULL);
		/* The run's own label template, as Guild restarts it. */
		if (proto_dir == NULL &&
		    run_attr_read(old, "op", &opattr, NULL) == 0 &&
		    (v = value_map_get(opattr, "label-template")) != NULL &&
		    v->type == VALUE_STRING)
			stored_label = v->u.s;
	}

	if (optimizer_algorithm(a, op, &algo) == -1)
		goto out;
	if (batch_kind(op, user_flags, files.n, algo, &kind, &cause) == -1) {
		rc = cli_error_cause(cause);
		goto out;
	}
	if (run_opt_flags_check(a, op, kind, algo) == -1)
		goto out;
	if (kind != BATCH_NONE) {
		rc = batch_exec(a, home, op, user_flags, &files, kind,
		    id != NULL);
		goto out;
	}
	if (cmd_arg_has(a, OPT_STAGE_TRIALS))
		cli_note("guild: warning: not a batch run - ignoring "
		    "--stage-trials");
	if (cmd_arg_has(a, OPT_PRINT_TRIALS)) {
		rc = cli_error("not a batch: nothing to print for --print-trials");
		goto out;
	}

	if (flags_apply(op, user_flags, cmd_arg_has(a, OPT_FORCE_FLAGS),
	    &flags, &cause) == -1)
		goto flag_error;

	if (cmd_arg_has(a, OPT_TEST_SCALARS))
		rc = run_test_output_scalars(op, flags,
		    cmd_arg_value(a, OPT_TEST_SCALARS));
	else if (cmd_arg_has(a, OPT_NEEDED) && old == NULL &&
	    needed_skip(home, op, flags))
		rc = 0;
	else
		rc = run_one(a, home, op, flags, user_flags, prior, id,
		    stored_label, proto_dir);
	goto out;

flag_error:
	cli_error_cause(cause);
	flags_hint(op);
	rc = 1;
out:
	value_free(flags);
	value_free(user_flags);
	value_free(prior);
	value_free(opattr);
	free(algo);
	strvec_clear(&assigns);
	strvec_clear(&files);
	run_free(old);
	free(id);
	guildfile_free(own_gf);
	return rc;
}

static int
cmd_run_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	int	rc = run_main(ctx, a);

	remote_free(remote_target);
	remote_target = NULL;
	return rc;
}

/*
 * "guild run info [RUN]" is "guild runs info [RUN]", as the walkthrough
 * shows, unless the project defines an operation named info: then it runs.
 */
static const struct cmd_entry *
route_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct guildfile	*gf;
	bool			 is_op = false;
	size_t			 i;

	if (strcmp(argv[0], "info") != 0)
		return NULL;
	if ((gf = guildfile_find(NULL, NULL)) != NULL) {
		for (i = 0; i < gf->nmodels && !is_op; i++)
			is_op = modeldef_op(gf->models[i], "info") != NULL;
		guildfile_free(gf);
	}
	return is_op ? NULL : &cmd_runs_info_entry;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "[[MODEL:]OPERATION] [FLAG=VAL | @BATCH_FILE]...",
	.summary = "Run an operation.",
	.description =
	    "Runs the operation in a new run directory under $GUILD_HOME/runs,\n"
	    "in a pseudo-terminal: its output reaches this terminal as it comes,\n"
	    "keys typed reach the operation, and everything it prints is kept\n"
	    "in the run. FLAG=VAL arguments set the operation's flags.\n"
	    "\n"
	    "Dependencies (requires:) are resolved before the operation starts.\n"
	    "A list value (lr=[0.1,0.01]), range[], linspace[], logspace[] or a\n"
	    "batch file (@trials.csv, .json, .yml) runs a grid of trials;\n"
	    "uniform[a:b] and loguniform[a:b] run a random search.",
	.options = run_options,
	.exec = cmd_run_exec,
	.route = route_run,
	.remote_self = true,
};
