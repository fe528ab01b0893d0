/* cmd-run.c: guild run [MODEL:]OP [FLAG=VAL...]. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cmds.h"
#include "flags.h"
#include "guildfile.h"
#include "home.h"
#include "loop.h"
#include "output.h"
#include "run.h"
#include "runner.h"
#include "runsel.h"
#include "scalars.h"
#include "strbuf.h"
#include "term.h"
#include "util.h"
#include "value.h"

enum {
	OPT_YES = 1,
	OPT_LABEL,
	OPT_TAG,
	OPT_BACKGROUND,
	OPT_PRINT_CMD,
	OPT_PRINT_ENV,
	OPT_QUIET,
	OPT_FORCE_FLAGS,
	OPT_STAGE,
	OPT_START,
	OPT_RESTART,
	OPT_TEST_SCALARS,
	OPT_HELP_OP,
};

static const struct cmd_option run_options[] = {
	{ OPT_YES, "y", "yes", NULL, "Do not prompt before running." },
	{ OPT_LABEL, "l", "label", "LABEL", "Set a label for the run (${flag} refers to flags)." },
	{ OPT_TAG, "t", "tag", "TAG", "Tag the run; may be given more than once." },
	{ OPT_BACKGROUND, "b", "background", NULL, "Run in the background, detached from the terminal." },
	{ OPT_PRINT_CMD, NULL, "print-cmd", NULL, "Show the operation command and exit." },
	{ OPT_PRINT_ENV, NULL, "print-env", NULL, "Show the operation environment and exit." },
	{ OPT_QUIET, "q", "quiet", NULL, "Do not show output." },
	{ OPT_FORCE_FLAGS, "f", "force-flags", NULL, "Accept flags that are not defined for the operation." },
	{ OPT_STAGE, NULL, "stage", NULL, "Stage the run without starting it." },
	{ OPT_START, NULL, "start", "RUN", "Start a staged run." },
	{ OPT_RESTART, NULL, "restart", "RUN", "Restart a run in its run directory." },
	{ OPT_TEST_SCALARS, NULL, "test-output-scalars", "OUTPUT", "Show the output scalars found in OUTPUT ('-' for stdin) and exit." },
	{ OPT_HELP_OP, NULL, "help-op", NULL, "Show the operation's help and exit." },
	{ 0 }
};

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
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t	n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
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
	struct runner_hooks	 hooks = { .on_data = fg_data, .on_done = fg_done };
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
	runner_free(fg.runner);
	loop_free(fg.loop);
	if (fg.code == 0)
		return 0;
	/* A signal's death becomes the shell's 128 + N. */
	return fg.code > 0 ? (fg.code > 255 ? 1 : fg.code) : 128 - fg.code;
}

static void
bg_done(int code, void *arg)
{
	struct loop	*loop = arg;

	loop_break(loop);
}

/*
 * Detach a supervisor that owns the run's terminal: the run goes on
 * after this terminal closes, and is followed with `guild watch`.
 */
static int
run_background(const struct runner_spec *spec, const struct run_plan *plan,
    struct run *run, bool quiet)
{
	pid_t	pid;
	int	fd;

	fflush(NULL);
	if ((pid = fork()) == -1)
		return cli_error("fork: %s", strerror(errno));
	if (pid == 0) {
		struct loop		*loop;
		struct runner		*r;
		struct runner_hooks	 hooks = { .on_done = bg_done };

		setsid();
		/* Again, so the supervisor can never regain a terminal. */
		if ((pid = fork()) != 0)
			_exit(pid == -1 ? 1 : 0);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			if (fd > 2)
				close(fd);
		}
		signal(SIGHUP, SIG_IGN);
		loop = loop_new();
		hooks.on_done = bg_done;
		r = runner_start(loop, spec, plan, run, &hooks, loop, 0, 0, NULL);
		if (r == NULL)
			runner_fail(run, 127, NULL);
		else
			loop_run(loop);
		runner_free(r);
		loop_free(loop);
		_exit(0);
	}
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
	if (!quiet)
		printf("%s started in background as %s\n", plan->opname, plan->id);
	return 0;
}

static void
print_preview(const char *what, const struct value *flags)
{
	size_t	i;

	struct value	*sorted;

	fprintf(stderr, "You are about to %s\n", what);
	if (flags == NULL || flags->type != VALUE_MAP)
		return;
	sorted = value_dup(flags);
	value_map_sort(sorted);
	for (i = 0; i < sorted->u.map.n; i++) {
		struct strbuf	sb = STRBUF_INIT;

		flag_format(&sb, sorted->u.map.v[i], false);
		fprintf(stderr, "  %s: %s\n", sorted->u.map.k[i], sb.buf);
		strbuf_release(&sb);
	}
	value_free(sorted);
}

static void
test_scalar(const char *key, double value, long long step, void *arg)
{
	struct strbuf	sb = STRBUF_INIT;

	format_double(&sb, value);
	printf("  %s: %s (step %lld)\n", key, sb.buf, step);
	strbuf_release(&sb);
}

struct test_ctx {
	struct scalars	*s;
};

static void
test_line(const struct output_line *line, void *arg)
{
	struct test_ctx	*t = arg;

	printf("%s\n", line->text);
	scalars_feed_line(t->s, line->text, line->len, test_scalar, NULL);
}

static int
test_output_scalars(const struct opdef *op, const struct value *flags,
    const char *path)
{
	struct test_ctx		 t;
	struct output_cooker	*c;
	const char		**names;
	char			*cause = NULL, buf[8192];
	size_t			 i, n = 0;
	int			 fd;
	ssize_t			 len;

	names = xcalloc(flags->u.map.n + 1, sizeof *names);
	for (i = 0; i < flags->u.map.n; i++)
		names[n++] = flags->u.map.k[i];
	t.s = scalars_new(&op->output_scalars, names, &cause);
	free(names);
	if (t.s == NULL)
		return cli_error_cause(cause);
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		scalars_free(t.s);
		return cli_error("%s: %s", path, strerror(errno));
	}
	c = output_cooker_new(test_line, &t);
	while ((len = read(fd, buf, sizeof buf)) != 0) {
		if (len < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		output_cooker_feed(c, buf, (size_t)len);
	}
	output_cooker_finish(c);
	output_cooker_free(c);
	if (fd != STDIN_FILENO)
		close(fd);
	scalars_free(t.s);
	return 0;
}

static void
help_op(const struct opdef *op, const char *opname)
{
	const char	**cells;
	char		**texts;
	size_t		  i;

	printf("Usage: guild run [OPTIONS] %s [FLAG=VAL]...\n\n", opname);
	if (op->description != NULL && *op->description != '\0')
		printf("%s\n\n", op->description);
	if (op->nflags == 0) {
		printf("This operation has no flags.\n");
		return;
	}
	printf("Flags:\n");
	cells = xcalloc(op->nflags * 2, sizeof *cells);
	texts = xcalloc(op->nflags * 2, sizeof *texts);
	for (i = 0; i < op->nflags; i++) {
		const struct flagdef	*f = op->flags[i];
		struct strbuf		 sb = STRBUF_INIT;

		strbuf_addstr(&sb, f->description != NULL ? f->description : "");
		if (f->required)
			strbuf_addstr(&sb, sb.len > 0 ? " (required)" : "(required)");
		else if (f->default_value != NULL) {
			strbuf_addstr(&sb, sb.len > 0 ? " (default is " : "(default is ");
			value_format_flag(&sb, f->default_value);
			strbuf_addch(&sb, ')');
		}
		texts[2 * i] = xasprintf("  %s", f->name);
		texts[2 * i + 1] = strbuf_detach(&sb, NULL);
		cells[2 * i] = texts[2 * i];
		cells[2 * i + 1] = texts[2 * i + 1];
	}
	cli_table(stdout, cells, op->nflags, 2);
	for (i = 0; i < op->nflags * 2; i++)
		free(texts[i]);
	free(texts);
	free(cells);
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

static int
cmd_run_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guildfile	*gf;
	struct guild_home	*home;
	const struct opdef	*op;
	struct runner_spec	 spec;
	struct run_plan		 plan;
	struct value		*flags = NULL, *user_flags = NULL;
	struct run		*run = NULL, *old = NULL;
	const char		*opspec = NULL, *restart;
	char			*cause = NULL, *id = NULL, *what;
	size_t			 nassign = a->pos.n, first = 0;
	int			 rc = 1;

	if ((home = cli_home(ctx)) == NULL)
		return 1;
	if ((gf = cli_guildfile(ctx)) == NULL)
		return 1;
	restart = cmd_arg_value(a, OPT_RESTART);
	if (restart == NULL)
		restart = cmd_arg_value(a, OPT_START);
	if (restart == NULL) {
		/* The operation is the first argument without '='. */
		if (a->pos.n > 0 && strchr(a->pos.v[0], '=') == NULL) {
			opspec = a->pos.v[0];
			first = 1;
			nassign--;
		}
		if ((op = opspec_resolve(gf, opspec != NULL ? opspec : "", &cause)) == NULL)
			return cli_error_cause(cause);
	} else {
		struct strvec	ids = STRVEC_INIT;
		struct opref	ref;
		struct modeldef	*m;

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
		m = guildfile_model(gf, ref.model);
		op = m != NULL ? modeldef_op(m, ref.op) : NULL;
		if (op == NULL) {
			rc = cli_error("cannot find operation %s%s%s of run %.8s in %s",
			    ref.model, *ref.model ? ":" : "", ref.op, id, gf->path);
			opref_clear(&ref);
			run_free(old);
			free(id);
			return rc;
		}
		opref_clear(&ref);
		if (cmd_arg_has(a, OPT_START) &&
		    run_get_status(old) != RUN_STATUS_STAGED) {
			run_free(old);
			rc = cli_error("run %.8s is not staged: use --restart", id);
			free(id);
			return rc;
		}
	}
	if (cmd_arg_has(a, OPT_HELP_OP)) {
		char	*name = opdef_fullname(op);

		help_op(op, name);
		free(name);
		run_free(old);
		free(id);
		return 0;
	}

	if (flags_parse_assigns(op, (const char *const *)a->pos.v + first,
	    nassign, &user_flags, &cause) == -1)
		goto flag_error;
	if (old != NULL) {
		struct value	*stored = NULL, *merged;

		run_attr_read(old, "user_flags", &stored, NULL);
		merged = merge_flags(stored, user_flags);
		value_free(stored);
		value_free(user_flags);
		user_flags = merged;
	}
	if (flags_apply(op, user_flags, cmd_arg_has(a, OPT_FORCE_FLAGS),
	    &flags, &cause) == -1)
		goto flag_error;

	if (cmd_arg_has(a, OPT_TEST_SCALARS)) {
		rc = test_output_scalars(op, flags,
		    cmd_arg_value(a, OPT_TEST_SCALARS));
		goto out;
	}

	memset(&spec, 0, sizeof spec);
	spec.home = home;
	spec.op = op;
	spec.flags = flags;
	spec.user_flags = user_flags;
	spec.label = cmd_arg_value(a, OPT_LABEL);
	spec.tags = &a->values[OPT_TAG];
	spec.restart_id = id;
	spec.stage = cmd_arg_has(a, OPT_STAGE);
	if (runner_plan(&spec, &plan, &cause) == -1) {
		rc = cli_error_cause(cause);
		goto out;
	}
	if (cmd_arg_has(a, OPT_PRINT_CMD) || cmd_arg_has(a, OPT_PRINT_ENV)) {
		if (cmd_arg_has(a, OPT_PRINT_CMD)) {
			struct strbuf	sb = STRBUF_INIT;
			size_t		i;

			for (i = 0; i < plan.argv.n; i++) {
				if (i > 0)
					strbuf_addch(&sb, ' ');
				shlex_quote(&sb, plan.argv.v[i]);
			}
			printf("%s\n", sb.buf);
			strbuf_release(&sb);
		}
		if (cmd_arg_has(a, OPT_PRINT_ENV)) {
			struct strvec	env = STRVEC_INIT;
			size_t		i;

			strvec_pushv(&env, (const char *const *)plan.env.v);
			strvec_sort(&env);
			for (i = 0; i < env.n; i++)
				printf("%s\n", env.v[i]);
			strvec_clear(&env);
		}
		run_plan_clear(&plan);
		rc = 0;
		goto out;
	}

	if (!cmd_arg_has(a, OPT_YES)) {
		if (id != NULL)
			what = xasprintf("%s %.8s (%s)", cmd_arg_has(a, OPT_START) ?
			    "start" : "restart", id, plan.opname);
		else if (spec.stage)
			what = xasprintf("stage %s", plan.opname);
		else
			what = xasprintf("run %s", plan.opname);
		print_preview(what, flags);
		free(what);
		if (!cli_confirm("Continue?", true)) {
			run_plan_clear(&plan);
			rc = 0;
			goto out;
		}
	}

	if ((run = runner_create(&spec, &plan, &cause)) == NULL) {
		run_plan_clear(&plan);
		rc = cli_error_cause(cause);
		goto out;
	}
	if (spec.stage) {
		printf("%s staged as %s\n"
		    "To start the operation, use 'guild run --start %s'\n",
		    plan.opname, plan.id, plan.id);
		rc = 0;
	} else if (cmd_arg_has(a, OPT_BACKGROUND))
		rc = run_background(&spec, &plan, run, cmd_arg_has(a, OPT_QUIET));
	else
		rc = run_foreground(&spec, &plan, run, cmd_arg_has(a, OPT_QUIET));
	run_plan_clear(&plan);
	goto out;

flag_error:
	cli_error_cause(cause);
	{
		char	*name = opdef_fullname(op);

		fprintf(stderr, "Try 'guild run %s --help-op' for a list of flags "
		    "or use --force-flags to skip this check.\n", name);
		free(name);
	}
	rc = 1;
out:
	value_free(flags);
	value_free(user_flags);
	run_free(run);
	run_free(old);
	free(id);
	return rc;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "[[MODEL:]OPERATION] [FLAG=VAL]...",
	.summary = "Run an operation.",
	.description =
	    "Runs the operation in a new run directory under $GUILD_HOME/runs,\n"
	    "in a pseudo-terminal: its output reaches this terminal as it comes,\n"
	    "keys typed reach the operation, and everything it prints is kept\n"
	    "in the run. FLAG=VAL arguments set the operation's flags.",
	.options = run_options,
	.exec = cmd_run_exec,
};
