/*
 * test-cli.c: the option parser (src/cli.c), through cli_main() on a
 * small command table of its own: what a command's handler receives, and
 * the errors a user sees.
 */
#include "common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"
#include "runsel.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "xmalloc.h"

enum { O_ALL = 1, O_NUM, O_VERBOSE, O_OUT, O_MULTI, O_COLS };

static const struct cmd_option test_options[] = {
	{ O_ALL, "a", "all", NULL, "Everything." },
	{ O_NUM, "n", "limit|max", "N", "How many." },
	{ O_VERBOSE, "v", "verbose", NULL, "Say more." },
	{ O_OUT, "o", "output", "FILE", "Where to." },
	{ O_MULTI, "Xy", NULL, NULL, "A two-letter short name." },
	{ O_COLS, "c", NULL, "COLS", "Columns." },
	{ 0 }
};

/* What the last command's handler was given. */
static struct {
	int		calls;
	int		count[CMD_MAX_OPTIONS];
	struct strvec	values[CMD_MAX_OPTIONS];
	struct strvec	pos;
	struct run_filter filter;
	int		filter_rc;
} got;

static void
got_clear(void)
{
	for (size_t i = 0; i < CMD_MAX_OPTIONS; i++)
		strvec_clear(&got.values[i]);
	strvec_clear(&got.pos);
	memset(&got, 0, sizeof got);
}

static int
record(struct cmd_ctx *ctx, struct cmd_args *a)
{
	(void)ctx;
	got.calls++;
	for (size_t i = 0; i < CMD_MAX_OPTIONS; i++) {
		got.count[i] = a->count[i];
		for (size_t j = 0; j < a->values[i].n; j++)
			strvec_push(&got.values[i], a->values[i].v[j]);
	}
	for (size_t j = 0; j < a->pos.n; j++)
		strvec_push(&got.pos, a->pos.v[j]);
	return 0;
}

static int
record_filter(struct cmd_ctx *ctx, struct cmd_args *a)
{
	record(ctx, a);
	got.filter_rc = cli_run_filter(a, &got.filter, NULL);
	return 0;
}

static const struct cmd_entry test_entry = {
	.name = "test",
	.summary = "A command for the parser's tests.",
	.options = test_options,
	.exec = record,
};

/* The same options and the run filters; -o is the command's here. */
static const struct cmd_entry filtered_entry = {
	.name = "filtered",
	.summary = "A command that takes run filters.",
	.options = test_options,
	.filter_options = run_filter_options,
	.exec = record_filter,
};

/* A table that breaks cli.h's id ranges: refused, nothing counted. */
static const struct cmd_option bad_options[] = {
	{ CMD_FILTER_BASE + 1, "b", "bad", NULL, "In the filters' range." },
	{ 0 }
};
static const struct cmd_entry bad_entry = {
	.name = "bad",
	.summary = "Options with ids out of range.",
	.options = bad_options,
	.exec = record,
};
static const struct cmd_option bad_filter_options[] = {
	{ 3, "z", "zed", NULL, "A filter with a command's id." },
	{ 0 }
};
static const struct cmd_entry bad_filter_entry = {
	.name = "badfilter",
	.summary = "Filters with ids out of range.",
	.filter_options = bad_filter_options,
	.exec = record,
};

static const struct cmd_entry *const table[] = {
	&test_entry, &filtered_entry, &bad_entry, &bad_filter_entry, NULL
};

/*
 * Run "guild WORDS..." (space-separated) through cli_main(); return its
 * exit status, with what it wrote on stderr in *err (caller frees).
 */
static int
run(const char *words, char **err)
{
	struct strvec	 argv = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	char		*copy = xstrdup(words), *w, *save = NULL;
	char		 path[] = "/tmp/test-cli.XXXXXX";
	int		 fd, saved, rc;

	got_clear();
	strvec_push(&argv, "guild");
	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save))
		strvec_push(&argv, w);
	free(copy);
	if ((fd = mkstemp(path)) == -1 || (saved = dup(STDERR_FILENO)) == -1)
		abort();
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	rc = cli_main(table, (int)argv.n, argv.v);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	if (strbuf_read_file(&sb, path, NULL) == -1)
		abort();
	unlink(path);
	*err = strbuf_detach(&sb, NULL);
	strvec_clear(&argv);
	return rc;
}

/* The values option id was given, joined with ','. Caller frees. */
static char *
values(int id)
{
	struct strbuf	sb = STRBUF_INIT;

	for (size_t i = 0; i < got.values[id].n; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? "," : "", got.values[id].v[i]);
	return strbuf_detach(&sb, NULL);
}

static char *
positionals(void)
{
	struct strbuf	sb = STRBUF_INIT;

	for (size_t i = 0; i < got.pos.n; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? " " : "", got.pos.v[i]);
	return strbuf_detach(&sb, NULL);
}

#define is_values(id, want, name) do {				\
	char	*v_ = values(id);					\
	is_str(v_, want, "%s", name);					\
	free(v_);							\
} while (0)
#define is_pos(want, name) do {						\
	char	*p_ = positionals();					\
	is_str(p_, want, "%s", name);					\
	free(p_);							\
} while (0)

static void
test_options_parse(void)
{
	char	*err;

	is_int(run("test -a --verbose", &err), 0, "short and long switches");
	is_int(got.calls, 1, "the handler ran once");
	is_int(got.count[O_ALL], 1, "-a counted");
	is_int(got.count[O_VERBOSE], 1, "--verbose counted");
	is_int(got.count[O_NUM], 0, "-n not given");
	is_str(err, "", "nothing on stderr");
	free(err);

	run("test -n 5 --output out.txt", &err);
	is_values(O_NUM, "5", "-n takes the next word");
	is_values(O_OUT, "out.txt", "--output takes the next word");
	free(err);

	run("test -n5 --limit=7 --max 9", &err);
	is_values(O_NUM, "5,7,9", "-n5, --limit=7 and the alias --max 9, in order");
	is_int(got.count[O_NUM], 3, "a repeated option is counted each time");
	free(err);

	run("test -av", &err);
	ok(got.count[O_ALL] == 1 && got.count[O_VERBOSE] == 1,
	    "bundled short switches: -av is -a -v");
	free(err);

	run("test -avn 3 x", &err);
	ok(got.count[O_ALL] == 1 && got.count[O_VERBOSE] == 1,
	    "a bundle ending in an option that takes a value");
	is_values(O_NUM, "3", "its value is the next word");
	is_pos("x", "and the word after is positional");
	free(err);

	run("test -van4", &err);
	is_values(O_NUM, "4", "a bundle's last option takes the rest of the word");
	free(err);

	run("test -Xy", &err);
	is_int(got.count[O_MULTI], 1, "a two-letter short name is one option");
	free(err);

	run("test -vvv", &err);
	is_int(got.count[O_VERBOSE], 3, "-vvv counts three");
	free(err);

	run("test one -a two --output=f three", &err);
	is_pos("one two three", "options and positional arguments mixed");
	is_values(O_OUT, "f", "--output=f");
	free(err);

	run("test -a -- -v --output x -", &err);
	is_int(got.count[O_VERBOSE], 0, "after --, -v is not an option");
	is_pos("-v --output x -", "after --, everything is positional");
	free(err);

	run("test --output=", &err);
	is_int(got.count[O_OUT], 1, "--output= gives an empty value");
	is_values(O_OUT, "", "the value is empty");
	free(err);

	run("test -c=1", &err);
	is_values(O_COLS, "=1", "-c=1: a short option's value is the rest");
	free(err);
}

static void
test_errors(void)
{
	char	*err;

	is_int(run("test --nope", &err), 1, "an unknown long option: status 1");
	is_str(err, "guild: no such option: --nope\n"
	    "Try 'guild test --help' for more information.\n",
	    "an unknown long option: the message");
	is_int(got.calls, 0, "the handler did not run");
	free(err);

	is_int(run("test --nope=3", &err), 1, "--nope=3: status 1");
	is_str(err, "guild: no such option: --nope\n"
	    "Try 'guild test --help' for more information.\n",
	    "--nope=3: the name without the value");
	free(err);

	is_int(run("test -aq", &err), 1, "an unknown letter in a bundle");
	is_str(err, "guild: no such option: -q\n"
	    "Try 'guild test --help' for more information.\n",
	    "an unknown letter in a bundle: the message names it");
	free(err);

	is_int(run("test -n", &err), 1, "-n without its value");
	is_str(err, "guild: option -n requires an argument\n",
	    "-n without its value: the message");
	free(err);

	is_int(run("test --limit", &err), 1, "--limit without its value");
	is_str(err, "guild: option --limit requires an argument\n",
	    "--limit without its value: the message");
	free(err);

	is_int(run("test -av -n", &err), 1, "a value missing after a bundle");
	is_str(err, "guild: option -n requires an argument\n",
	    "a value missing after a bundle: the message");
	free(err);

	is_int(run("test -vn", &err), 1, "-vn without -n's value");
	is_str(err, "guild: option -n requires an argument\n",
	    "-vn without -n's value: the message");
	free(err);

	is_int(run("test --all=yes", &err), 1, "a value for a switch");
	is_str(err, "guild: option --all does not take a value\n",
	    "a value for a switch: the message");
	free(err);

	is_int(run("nosuch", &err), 1, "an unknown command");
	is_str(err, "guild: no such command 'nosuch'\n"
	    "Try 'guild --help' for a list of commands.\n",
	    "an unknown command: the message");
	free(err);
}

static void
test_filters(void)
{
	char	*err;

	is_int(run("filtered -Fo train --label best -Fl x -Sce -R 3", &err), 0,
	    "filter options parse");
	is_int(got.filter_rc, 0, "and make a run filter");
	is_int((long long)got.filter.ops.n, 1, "-Fo train: one operation");
	is_str(got.filter.ops.n > 0 ? got.filter.ops.v[0] : NULL, "train",
	    "-Fo train: the operation");
	is_int((long long)got.filter.labels.n, 2, "--label and -Fl: two labels");
	ok(got.filter.status ==
	    ((1u << RUN_STATUS_COMPLETED) | (1u << RUN_STATUS_ERROR) |
	    (1u << RUN_STATUS_RUNNING)), "-Sce and -R: the statuses");
	is_pos("3", "and a positional run spec");
	ok(cmd_arg_has_filter(&(struct cmd_args){ .count[CMD_FILTER_BASE] = 1 }),
	    "cmd_arg_has_filter sees a filter");
	free(err);
	runsel_filter_release(&got.filter);

	run("filtered -o out.txt", &err);
	is_values(O_OUT, "out.txt", "-o is the command's own --output");
	is_int((long long)got.filter.ops.n, 0, "not the filter alias -o");
	free(err);
	runsel_filter_release(&got.filter);

	run("filtered --operation train", &err);
	is_int((long long)got.filter.ops.n, 1,
	    "the filter keeps its long name --operation");
	free(err);
	runsel_filter_release(&got.filter);

	is_int(run("test -Fo train", &err), 1,
	    "a command without filters refuses them");
	is_str(err, "guild: no such option: -F\n"
	    "Try 'guild test --help' for more information.\n",
	    "a command without filters: the message");
	free(err);

	is_int(run("filtered -Sx", &err), 0, "-Sx parses");
	is_int(got.filter_rc, -1, "but is no status");
	free(err);
	runsel_filter_release(&got.filter);
}

static void
test_ranges(void)
{
	char	*err;

	is_int(run("bad -b", &err), 1, "a command option in the filters' range");
	is_str(err, "guild: internal error: option --bad of 'guild bad' has id "
	    "57, outside 1..55\n", "is refused before counting");
	is_int(got.calls, 0, "and the command does not run");
	free(err);

	is_int(run("badfilter", &err), 1, "a filter with a command's id");
	is_str(err, "guild: internal error: option --zed of 'guild badfilter' "
	    "has id 3, outside 56..79\n", "is refused too");
	free(err);

	ok(cmd_arg_value(&(struct cmd_args){ 0 }, CMD_MAX_OPTIONS) == NULL &&
	    !cmd_arg_has(&(struct cmd_args){ 0 }, -1) &&
	    !cmd_arg_has(&(struct cmd_args){ 0 }, CMD_MAX_OPTIONS),
	    "ids out of range are never given, never read out of bounds");
}

/* Click's wrap_text and write_dl, as --help-op uses them. */
static void
test_wrap(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*rows[] = {
		"lr", "Learning rate (default is 0.1)",
		"a-name-longer-than-thirty-columns-x", "Long",
		"mode", "How\n\n\b\nChoices:  a, b",
		"bare", "",
	};

	cli_wrap(&sb, "one two three four five six", 14, 0);
	is_str(sb.buf, "one two three\nfour five six", "words fill the width");
	strbuf_reset(&sb);
	cli_wrap(&sb, "a b\nc\n\n  d e\n\n\b\n  x   y\n z", 10, 2);
	is_str(sb.buf, "  a b c\n\n    d e\n\n    x   y\n   z",
	    "paragraphs, their indent, a \\b block kept as written");
	strbuf_reset(&sb);
	cli_wrap(&sb, "", 10, 0);
	is_str(sb.buf, "", "nothing");
	strbuf_reset(&sb);
	/* Expected texts: Click's wrap_text (Python's textwrap) on the same. */
	cli_wrap(&sb, "supercalifragilistic word", 5, 0);
	is_str(sb.buf, "super\ncalif\nragil\nistic\nword",
	    "a word longer than the width is broken, as textwrap does");
	strbuf_reset(&sb);
	cli_wrap(&sb, "abc supercalifragilisticexpialidocious end", 10, 0);
	is_str(sb.buf, "abc superc\nalifragili\nsticexpial\nidocious\nend",
	    "a long word fills what is left of the line first");
	strbuf_reset(&sb);
	cli_wrap(&sb, "use a-very-long-hyphenated-flag-name here", 12, 2);
	is_str(sb.buf, "  use\n  a-very-\n  long-hyphe\n  nated-\n"
	    "  flag-name\n  here", "hyphenated words break after a hyphen");
	strbuf_reset(&sb);
	cli_wrap(&sb, "lr0-1e-3 value", 6, 0);
	is_str(sb.buf, "lr0-1e\n-3\nvalue", "but not between digits");
	strbuf_reset(&sb);
	cli_wrap(&sb, "path /usr/local/share/some/very/long/path/name.txt ok",
	    20, 4);
	is_str(sb.buf, "    path /usr/local/\n    share/some/very/\n"
	    "    long/path/name.t\n    xt ok", "a long path, indented");
	strbuf_reset(&sb);
	cli_wrap(&sb, "x   y  z", 10, 0);
	is_str(sb.buf, "x   y  z", "spaces between words are kept");
	strbuf_reset(&sb);
	cli_dl(&sb, rows, 4, 2, 78);
	is_str(sb.buf,
	    "  lr                              Learning rate (default is 0.1)\n"
	    "  a-name-longer-than-thirty-columns-x\n"
	    "                                  Long\n"
	    "  mode                            How\n"
	    "\n"
	    "                                  Choices:  a, b\n"
	    "\n"
	    "  bare\n",
	    "definition list: column after the longest term up to 30");
	strbuf_reset(&sb);
	cli_dl(&sb, rows, 1, 0, 20);
	is_str(sb.buf, "lr  Learning rate\n    (default is\n    0.1)\n\n",
	    "a narrow list wraps its texts (at least 10 columns)");
	strbuf_release(&sb);
}

int
main(void)
{
	test_wrap();
	test_options_parse();
	test_errors();
	test_filters();
	test_ranges();
	got_clear();
	return done_testing();
}
