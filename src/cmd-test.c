/*
 * cmd-test.c: guild test, the project's model tests. Each test: item of
 * guild.yml is a pipeline (steps with expect: checks, see runcheck.h) of
 * the hidden model "test"; a test is one run of it, labelled with the
 * test's name, made by `guild run` as a child so that it is an ordinary,
 * tracked pipeline run. Results are printed as Python's unittest prints
 * them: "test NAME ... ok", then a summary.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "guildfile.h"
#include "proc.h"
#include "runner.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "xmalloc.h"

enum {
	OPT_LIST = 1,
	OPT_YES,
	OPT_STOP_ON_FAIL,
	OPT_VERBOSE,
};

static const struct cmd_option test_options[] = {
	{ OPT_LIST, "l", "list", NULL, "List the tests and exit." },
	{ OPT_YES, "y", "yes", NULL, "Do not prompt before running tests." },
	{ OPT_STOP_ON_FAIL, NULL, "stop-on-fail", NULL,
	    "Stop after the first test that fails." },
	{ OPT_VERBOSE, "v", "verbose", NULL,
	    "Show each test's output as it runs." },
	{ 0 }
};

/* Lines of a failed test's output shown under it when none is an error. */
#define TAIL_LINES	10

static const char *
first_line(const char *s, char **copy)
{
	const char	*nl;

	*copy = NULL;
	if (s == NULL)
		return "";
	if ((nl = strchr(s, '\n')) == NULL)
		return s;
	return *copy = xstrndup(s, (size_t)(nl - s));
}

static int
list_tests(FILE *out, const struct modeldef *m)
{
	struct strvec	 cells = STRVEC_INIT;
	char		*copy;
	size_t		 i;

	for (i = 0; m != NULL && i < m->nops; i++) {
		strvec_push(&cells, cli_field(out, m->ops[i]->name));
		strvec_push(&cells, cli_field(out,
		    first_line(m->ops[i]->description, &copy)));
		free(copy);
	}
	if (cells.n > 0)
		cli_table(out, (const char *const *)cells.v, cells.n / 2, 2);
	strvec_clear(&cells);
	return 0;
}

struct captured {
	struct strbuf	text;
};

static void
capture_data(struct proc *p, const char *buf, size_t len, int stream,
    void *arg)
{
	struct captured	*c = arg;

	(void)p;
	(void)stream;
	strbuf_add(&c->text, buf, len);
}

/*
 * Under a failed test: the checks that failed, else (a step that failed,
 * a dependency not met) the end of its output, indented.
 */
static void
print_failure(FILE *out, const struct strbuf *text)
{
	struct strvec	 lines = STRVEC_INIT, shown = STRVEC_INIT;
	const char	*p = text->buf, *end = text->buf + text->len, *nl;
	size_t		 i, from;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		strvec_push_nodup(&lines, xstrndup(p, (size_t)(nl - p)));
		p = nl + 1;
	}
	for (i = 0; i < lines.n; i++) {
		if (str_starts_with(lines.v[i], "ERROR: [guild] "))
			strvec_push(&shown, lines.v[i]);
	}
	if (shown.n == 0) {
		from = lines.n > TAIL_LINES ? lines.n - TAIL_LINES : 0;
		for (i = from; i < lines.n; i++)
			strvec_push(&shown, lines.v[i]);
	}
	for (i = 0; i < shown.n; i++) {
		size_t	len = strlen(shown.v[i]);

		if (len > 0 && shown.v[i][len - 1] == '\r')
			shown.v[i][len - 1] = '\0';
		fprintf(out, "    %s\n", cli_field(out, shown.v[i]));
	}
	strvec_clear(&lines);
	strvec_clear(&shown);
}

/* Run one test; 0 when it passed, 1 when it failed, -1 when it could not run. */
static int
run_test(struct cmd_ctx *ctx, const struct guildfile *gf, const char *name,
    const struct strvec *flags, bool verbose)
{
	struct proc_spec	 spec;
	struct proc_hooks	 hooks = { .on_data = capture_data };
	struct captured		 c = { STRBUF_INIT };
	struct strvec		 argv = STRVEC_INIT;
	char			*exe = runner_guild_exe(), *cause = NULL;
	char			*opspec;
	int			 code = 1, rc;

	strvec_push(&argv, exe);
	if (ctx->home_override != NULL) {
		strvec_push(&argv, "-H");
		strvec_push(&argv, ctx->home_override);
	}
	strvec_push(&argv, "-C");
	strvec_push(&argv, gf->dir);
	strvec_push(&argv, "run");
	strvec_push(&argv, "-y");
	strvec_push(&argv, "--label");
	strvec_push(&argv, name);
	opspec = xasprintf("%s:%s", GUILDFILE_TEST_MODEL, name);
	strvec_push(&argv, opspec);
	free(opspec);
	strvec_pushv(&argv, (const char *const *)flags->v);

	memset(&spec, 0, sizeof spec);
	spec.argv = (const char *const *)argv.v;
	spec.exec_cause = true;
	if (verbose) {
		/* The output goes to our terminal, as `guild run` shows it. */
		spec.mode = PROC_INHERIT;
		spec.null_input = true;
		spec.forward = proc_terminal_signals;
	} else {
		spec.mode = PROC_PIPES;
		spec.merge_err = true;
	}
	fprintf(ctx->out, "test %s ... ", cli_field(ctx->out, name));
	if (verbose)
		fputc('\n', ctx->out);
	fflush(ctx->out);
	if (proc_run(&spec, verbose ? NULL : &hooks, &c, &code, &cause) == -1) {
		fprintf(ctx->out, "ERROR\n");
		cli_error_cause(cause);
		rc = -1;
	} else if (code == 0) {
		if (verbose)
			fprintf(ctx->out, "test %s ... ",
			    cli_field(ctx->out, name));
		fprintf(ctx->out, "ok\n");
		rc = 0;
	} else {
		if (verbose)
			fprintf(ctx->out, "test %s ... ",
			    cli_field(ctx->out, name));
		fprintf(ctx->out, "FAILED\n");
		if (!verbose)
			print_failure(ctx->out, &c.text);
		rc = 1;
	}
	fflush(ctx->out);
	strbuf_release(&c.text);
	strvec_clear(&argv);
	free(exe);
	return rc;
}

static int
cmd_test_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct strvec		 names = STRVEC_INIT, flags = STRVEC_INIT;
	struct strbuf		 sb = STRBUF_INIT;
	const struct modeldef	*m;
	struct guildfile	*gf;
	size_t			 i, j, passed = 0, failed = 0, ran = 0;
	bool			 stop = cmd_arg_has(args, OPT_STOP_ON_FAIL);
	int			 rc = 1, r;

	if ((gf = cli_guildfile(ctx)) == NULL)
		return 1;
	m = gf->test_model;
	if (cmd_arg_has(args, OPT_LIST))
		return list_tests(ctx->out, m);
	for (i = 0; i < args->pos.n; i++)
		strvec_push(strchr(args->pos.v[i], '=') != NULL ? &flags :
		    &names, args->pos.v[i]);
	if (m == NULL || m->nops == 0)
		return cli_error("%s has no tests (add a test: item; see "
		    "guildfile(5))", gf->path);
	for (i = 0; i < names.n; i++) {
		if (modeldef_op(m, names.v[i]) != NULL)
			continue;
		for (j = 0; j < m->nops; j++)
			strbuf_addf(&sb, "%s%s", j ? ", " : "", m->ops[j]->name);
		cli_error("no test named '%s' in %s (tests: %s)", names.v[i],
		    gf->path, sb.buf);
		goto out;
	}
	if (names.n == 0) {
		for (j = 0; j < m->nops; j++)
			strvec_push(&names, m->ops[j]->name);
	}
	if (!cmd_arg_has(args, OPT_YES)) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "You are about to run %zu test%s:",
		    names.n, names.n == 1 ? "" : "s");
		for (i = 0; i < names.n; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : " ",
			    cli_field(stderr, names.v[i]));
		for (i = 0; i < flags.n; i++)
			strbuf_addf(&sb, "%s%s", i ? " " : "\nwith flags: ",
			    cli_field(stderr, flags.v[i]));
		strbuf_addstr(&sb, "\nContinue?");
		if (!cli_confirm(sb.buf, true)) {
			rc = 1;
			goto out;
		}
	}
	for (i = 0; i < names.n; i++) {
		const struct opdef *op = modeldef_op(m, names.v[i]);

		ran++;
		if (op->error != NULL) {
			fprintf(ctx->out, "test %s ... FAILED\n    %s\n",
			    cli_field(ctx->out, names.v[i]),
			    cli_field(ctx->out, op->error));
			r = 1;
		} else
			r = run_test(ctx, gf, names.v[i], &flags,
			    cmd_arg_has(args, OPT_VERBOSE));
		if (r == 0)
			passed++;
		else
			failed++;
		if (r != 0 && stop)
			break;
	}
	fprintf(ctx->out, "\n%zu test%s: %zu passed, %zu failed", ran,
	    ran == 1 ? "" : "s", passed, failed);
	if (ran < names.n)
		fprintf(ctx->out, ", %zu not run", names.n - ran);
	fputc('\n', ctx->out);
	rc = failed > 0 ? 1 : 0;
out:
	strbuf_release(&sb);
	strvec_clear(&names);
	strvec_clear(&flags);
	return rc;
}

const struct cmd_entry cmd_test_entry = {
	.name = "test",
	.usage = "[TEST]... [FLAG=VAL]...",
	.summary = "Run the project's model tests.",
	.description =
	    "Runs the tests of guild.yml's test: items (all of them, or those\n"
	    "named), each as a pipeline run labelled with the test's name, and\n"
	    "prints \"test NAME ... ok\" or \"FAILED\" with the checks that\n"
	    "failed, then a summary. The exit status is 1 when a test failed.\n"
	    "\n"
	    "FLAG=VAL arguments go to every step whose operation has that flag\n"
	    "(guild test quick epochs=1).\n"
	    "\n"
	    "A test is an operation of the model \"test\": guild runs -o\n"
	    "test: lists its runs, and guild run test:NAME runs it too.",
	.options = test_options,
	.exec = cmd_test_exec,
};
