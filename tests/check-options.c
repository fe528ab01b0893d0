/*
 * check-options.c: every command table, walked. A command's options and
 * the run filters it takes share struct cmd_args, indexed by option id
 * (cli.h), and one name must mean one option. For each command (every
 * subcommand too): its own ids within 1..CMD_FILTER_BASE-1, filter ids
 * within CMD_FILTER_BASE..CMD_MAX_OPTIONS-1, no id twice, no long name
 * twice, no short name twice within one table, and a filter's short name
 * shadowed by the command's own (the parser tries the command's first:
 * "guild comment -l" is --list) only when the filter keeps another name.
 *
 * The table is main.c's, taken with its main() renamed, so that a command
 * added there is checked without a word here.
 */
#include "common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "strbuf.h"
#include "strvec.h"
#include "unit/tap.h"
#include "xmalloc.h"

int	guild_main(int, char **);

#define main guild_main
#include "main.c"
#undef main

/* The '|'-separated names of list, each as its own string, in out. */
static void
split_names(const char *list, struct strvec *out)
{
	const char	*p = list;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		n = strcspn(p, "|");
		strvec_pushf(out, "%.*s", (int)n, p);
		p += n + (p[n] == '|');
	}
}

/* Whether option o has a name (short or long) other than the short name. */
static bool
has_other_name(const struct cmd_option *o, const char *shortname)
{
	struct strvec	names = STRVEC_INIT;
	bool		other;

	split_names(o->shorts, &names);
	other = o->longs != NULL && *o->longs != '\0';
	for (size_t i = 0; i < names.n && !other; i++)
		other = strcmp(names.v[i], shortname) != 0;
	strvec_clear(&names);
	return other;
}

struct seen {
	const struct cmd_option	*by_id[CMD_MAX_OPTIONS];
	struct strvec		 longs;
	struct strvec		 shorts[2];	/* own, filter */
	const struct cmd_option	*short_opt[2][2 * CMD_MAX_OPTIONS];
};

static void
check_table(const struct cmd_option *opts, int which, struct seen *s,
    struct strvec *problems)
{
	int	lo = which == 0 ? 1 : CMD_FILTER_BASE;
	int	hi = which == 0 ? CMD_FILTER_BASE : CMD_MAX_OPTIONS;

	for (; opts != NULL && opts->id != 0; opts++) {
		struct strvec	names = STRVEC_INIT;
		const char	*what = opts->longs != NULL ? opts->longs :
			    opts->shorts != NULL ? opts->shorts : "?";

		if (opts->id < lo || opts->id >= hi)
			strvec_pushf(problems, "%s: id %d outside %d..%d",
			    what, opts->id, lo, hi - 1);
		else if (s->by_id[opts->id] != NULL)
			strvec_pushf(problems, "%s: id %d is also %s", what,
			    opts->id, s->by_id[opts->id]->longs != NULL ?
			    s->by_id[opts->id]->longs :
			    s->by_id[opts->id]->shorts);
		else
			s->by_id[opts->id] = opts;
		split_names(opts->longs, &names);
		for (size_t i = 0; i < names.n; i++) {
			if (strvec_find(&s->longs, names.v[i]) >= 0)
				strvec_pushf(problems, "--%s twice", names.v[i]);
			else
				strvec_push(&s->longs, names.v[i]);
		}
		strvec_clear(&names);
		split_names(opts->shorts, &names);
		for (size_t i = 0; i < names.n; i++) {
			struct strvec	*sv = &s->shorts[which];

			if (strvec_find(sv, names.v[i]) >= 0) {
				strvec_pushf(problems, "-%s twice", names.v[i]);
				continue;
			}
			if (sv->n < 2 * CMD_MAX_OPTIONS) {
				s->short_opt[which][sv->n] = opts;
				strvec_push(sv, names.v[i]);
			}
		}
		strvec_clear(&names);
	}
}

/* What is wrong with e's options, one line each, in problems. */
static void
check_entry(const struct cmd_entry *e, struct strvec *problems)
{
	struct seen	s;
	size_t		i;

	memset(&s, 0, sizeof s);
	check_table(e->options, 0, &s, problems);
	check_table(e->filter_options, 1, &s, problems);
	/* A filter's short name the command's own option takes. */
	for (i = 0; i < s.shorts[1].n; i++) {
		const char	*name = s.shorts[1].v[i];

		if (strvec_find(&s.shorts[0], name) >= 0 &&
		    !has_other_name(s.short_opt[1][i], name))
			strvec_pushf(problems, "-%s hides a filter with no "
			    "other name", name);
	}
	strvec_clear(&s.longs);
	strvec_clear(&s.shorts[0]);
	strvec_clear(&s.shorts[1]);
}

static void
check_commands(const char *prefix, const struct cmd_entry *const *table,
    int *ncommands)
{
	for (; *table != NULL; table++) {
		const struct cmd_entry	*e = *table;
		struct strvec		 problems = STRVEC_INIT;
		char			*path;

		path = xasprintf("%s %s", prefix, e->name);
		check_entry(e, &problems);
		ok(problems.n == 0, "%s: option ids in range, no name twice",
		    path);
		for (size_t i = 0; i < problems.n; i++)
			diag("%s", problems.v[i]);
		strvec_clear(&problems);
		(*ncommands)++;
		if (e->subcommands != NULL)
			check_commands(path, e->subcommands, ncommands);
		free(path);
	}
}

/* Whether checking e finds a problem containing want. */
static bool
finds(const struct cmd_entry *e, const char *want)
{
	struct strvec	problems = STRVEC_INIT;
	bool		found = false;

	check_entry(e, &problems);
	for (size_t i = 0; i < problems.n && !found; i++)
		found = strstr(problems.v[i], want) != NULL;
	strvec_clear(&problems);
	return found;
}

/* The check itself finds what it is for, on tables made wrong on purpose. */
static void
check_the_check(void)
{
	static const struct cmd_option bad_filters[] = {
		{ CMD_FILTER_BASE, "Fo|o", "operation", "VAL", "" },
		{ CMD_FILTER_BASE + 1, "x", NULL, NULL, "" },
		{ CMD_FILTER_BASE + 2, "y", NULL, NULL, "" },
		{ 0 }
	};
	static const struct cmd_option bad[] = {
		{ 1, "a", "all", NULL, "" },
		{ 1, "b", "both", NULL, "" },
		{ CMD_FILTER_BASE, "c", "clash", NULL, "" },
		{ 2, "a", "again", NULL, "" },
		{ 3, NULL, "all", NULL, "" },
		{ 4, NULL, "operation", NULL, "" },
		{ 5, "o|x", NULL, NULL, "" },
		{ 0 }
	};
	static const struct cmd_entry e = {
		.name = "bad", .summary = "", .options = bad,
		.filter_options = bad_filters,
	};
	static const struct cmd_entry fine = {
		.name = "fine", .summary = "", .options = bad_filters + 1,
	};

	ok(finds(&e, "both: id 1 is also all"), "check: an id twice");
	ok(finds(&e, "clash: id 56 outside 1..55"),
	    "check: a command's id in the filters' range");
	ok(finds(&e, "--all twice"), "check: a long name twice");
	ok(finds(&e, "--operation twice"),
	    "check: a long name both the command's and a filter's");
	ok(finds(&e, "-a twice"), "check: a short name twice");
	ok(finds(&e, "-x hides a filter"),
	    "check: a filter's only name taken by the command");
	ok(!finds(&e, "-o hides"),
	    "check: a filter's alias taken by the command is allowed");
	ok(finds(&fine, "x: id 57 outside 1..55"),
	    "check: filter ids given as a command's own");
}

int
main(void)
{
	char		 arg0[] = "guild", arg1[] = "--version";
	char		*argv[] = { arg0, arg1, NULL };
	int		 out, null, rc, ncommands = 0;

	check_the_check();

	/* main.c's main() hands its table to cli_main(): run it quietly. */
	fflush(stdout);
	if ((out = dup(STDOUT_FILENO)) == -1 ||
	    (null = open("/dev/null", O_WRONLY)) == -1 ||
	    dup2(null, STDOUT_FILENO) == -1)
		abort();
	rc = guild_main(2, argv);
	fflush(stdout);
	dup2(out, STDOUT_FILENO);
	close(out);
	close(null);
	is_int(rc, 0, "guild --version runs");

	if (!ok(cli_commands() != NULL, "the command table is known"))
		return done_testing();
	{
		static const struct cmd_entry globals = { .name = "" };
		struct cmd_entry	g = globals;
		struct strvec		problems = STRVEC_INIT;

		g.options = cli_global_options();
		check_entry(&g, &problems);
		ok(problems.n == 0, "global options: ids in range, no name twice");
		for (size_t i = 0; i < problems.n; i++)
			diag("%s", problems.v[i]);
		strvec_clear(&problems);
	}
	check_commands("guild", cli_commands(), &ncommands);
	ok(ncommands > 20, "every command was checked (%d)", ncommands);
	return done_testing();
}
