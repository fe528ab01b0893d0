/*
 * test-format.c: how a run reads in the CLI and the view: times,
 * durations, the operation label, scalar values, table cells and
 * counts of runs.
 * Expected texts are guild runs' and guild runs info's (Guild 0.9).
 */
#include "common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "runindex.h"
#include "strbuf.h"
#include "tap.h"
#include "util.h"
#include "value.h"
#include "xmalloc.h"

/* 2018-10-16 15:57:32 UTC, the walkthrough's run. */
#define WALKTHROUGH_US	1539705452000000LL
#define SEC		1000000LL

static struct strbuf	sb = STRBUF_INIT;

static void
time_cases(void)
{
	char	*s;

	strbuf_reset(&sb);
	format_time(&sb, WALKTHROUGH_US + 123456);
	is_str(sb.buf, "2018-10-16 15:57:32", "time: local, seconds");
	strbuf_reset(&sb);
	format_time(&sb, 0);
	format_time(&sb, -SEC);
	is_str(sb.buf, "", "time: none for 0 and before the epoch");
	strbuf_reset(&sb);
	format_time_short(&sb, WALKTHROUGH_US);
	is_str(sb.buf, "10-16 15:57", "time: short form");
	s = format_time_str(WALKTHROUGH_US);
	is_str(s, "2018-10-16 15:57:32", "time: as a string");
	free(s);
	s = format_time_str(0);
	is_str(s, "", "time: as a string, none");
	free(s);
}

static void
duration_cases(void)
{
	static const struct {
		long long	 us;
		const char	*want;
	} cases[] = {
		{ 0, "0:00:00" },
		{ 999999, "0:00:00" },
		{ 47 * SEC, "0:00:47" },
		{ 62 * SEC, "0:01:02" },
		{ 3723 * SEC + 500000, "1:02:03" },
		{ 100 * 3600 * SEC, "100:00:00" },
		{ -5 * SEC, "0:00:00" },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		strbuf_reset(&sb);
		format_duration(&sb, cases[i].us);
		is_str(sb.buf, cases[i].want, "duration %lld us",
		    cases[i].us);
	}

	/* Guild's "time" of a run. */
	strbuf_reset(&sb);
	ok(format_run_time(&sb, WALKTHROUGH_US, WALKTHROUGH_US + 47 * SEC,
	    false, WALKTHROUGH_US + 99 * SEC), "run time: finished");
	is_str(sb.buf, "0:00:47", "run time: started to stopped");
	strbuf_reset(&sb);
	ok(format_run_time(&sb, WALKTHROUGH_US, 0, true,
	    WALKTHROUGH_US + 3601 * SEC), "run time: running");
	is_str(sb.buf, "1:00:01", "run time: running, to now");
	strbuf_reset(&sb);
	ok(!format_run_time(&sb, 0, WALKTHROUGH_US, false, WALKTHROUGH_US),
	    "run time: not started");
	ok(!format_run_time(&sb, WALKTHROUGH_US, 0, false, WALKTHROUGH_US),
	    "run time: finished without a stop time");
	is_str(sb.buf, "", "run time: nothing when unknown");
}

static void
op_case(const char *opref, const char *pkg_name, const char *desc,
    const char *want, const char *name)
{
	struct run_row	row;
	char		*s;

	memset(&row, 0, sizeof row);
	row.opref = (char *)opref;
	row.pkg_name = (char *)pkg_name;
	row.op_desc = (char *)desc;
	strbuf_reset(&sb);
	format_op(&sb, &row);
	is_str(sb.buf, want, "op: %s", name);
	s = format_op_str(&row);
	is_str(s, want, "op: %s, as a string", name);
	free(s);
}

static void
op_cases(const char *tmp)
{
	char	*proj, *other, *link, *yml, *other_yml, *opref, *want;

	proj = path_join(tmp, "proj");
	other = path_join(tmp, "other");
	link = path_join(tmp, "link");
	mkdir_p(proj, 0755, NULL);
	mkdir_p(other, 0755, NULL);
	ok(symlink("proj", link) == 0, "a link to the project");
	yml = path_join(proj, "guild.yml");
	other_yml = path_join(other, "guild.yml");
	/* HOME is tmp: the other project is "~/other". */
	setenv("HOME", tmp, 1);
	if (chdir(proj) == -1)
		diag("chdir %s failed", proj);

	opref = xasprintf("guildfile:%s 0123 fashion train", yml);
	op_case(opref, yml, "fashion:train", "./fashion:train",
	    "the project in the current directory");
	free(opref);
	opref = xasprintf("guildfile:%s/guild.yml 0123 fashion train", link);
	want = xasprintf("%s/guild.yml", link);
	op_case(opref, want, "fashion:train", "./fashion:train",
	    "the current directory through a link");
	free(want);
	free(opref);
	opref = xasprintf("guildfile:%s 0123 fashion evaluate", other_yml);
	op_case(opref, other_yml, "fashion:evaluate",
	    "fashion:evaluate (~/other)", "another project under HOME");
	/* The same again: the answer kept for that directory. */
	op_case(opref, other_yml, "fashion:evaluate",
	    "fashion:evaluate (~/other)", "another project, again");
	free(opref);
	setenv("HOME", "/nonexistent", 1);
	opref = xasprintf("guildfile:%s 0123 fashion evaluate", other_yml);
	want = xasprintf("fashion:evaluate (%s)", other);
	op_case(opref, other_yml, "fashion:evaluate", want,
	    "another project outside HOME");
	free(want);
	free(opref);
	opref = xasprintf("script:%s 0123 '' train.py", proj);
	op_case(opref, proj, "train.py", "./train.py",
	    "a script in the current directory");
	free(opref);
	op_case("package:gpkg.mnist 0.6.0 logreg train", "gpkg.mnist",
	    "logreg:train", "logreg:train", "a package: no project");
	op_case(NULL, NULL, NULL, "", "nothing known");

	strbuf_reset(&sb);
	format_op_in(&sb, "train", NULL);
	is_str(sb.buf, "train", "op_in: no project");
	strbuf_reset(&sb);
	format_op_in(&sb, "train", proj);
	is_str(sb.buf, "./train", "op_in: the current directory");

	free(yml);
	free(other_yml);
	free(link);
	free(other);
	free(proj);
}

static void
scalar_cases(void)
{
	static const struct {
		double		 v;
		const char	*want, *want_short;
	} cases[] = {
		{ 0.456, "0.456000", "0.456" },
		{ 12, "12.000000", "12" },
		{ 0, "0.000000", "0" },
		{ -1.5, "-1.500000", "-1.5" },
		{ 0.1234567, "0.123457", "0.123457" },
		{ 1e-5, "0.000010", "1e-05" },
		{ 1.5e10, "15000000000.000000", "15000000000" },
		{ 1.5e15 + 0.5, "1500000000000000.500000", "1.5e+15" },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		strbuf_reset(&sb);
		format_scalar(&sb, cases[i].v);
		is_str(sb.buf, cases[i].want, "scalar %s", cases[i].want);
		strbuf_reset(&sb);
		format_scalar_short(&sb, cases[i].v);
		is_str(sb.buf, cases[i].want_short, "short scalar %s",
		    cases[i].want);
	}
	strbuf_reset(&sb);
	format_scalar(&sb, NAN);
	format_scalar(&sb, -NAN);
	format_scalar(&sb, INFINITY);
	format_scalar(&sb, -INFINITY);
	is_str(sb.buf, "nannaninf-inf", "scalar: nan (never -nan), inf");
	strbuf_reset(&sb);
	format_scalar_short(&sb, -NAN);
	format_scalar_short(&sb, -INFINITY);
	is_str(sb.buf, "nan-inf", "short scalar: nan, -inf");
	strbuf_reset(&sb);
	format_scalar_step(&sb, 1.234, 2);
	is_str(sb.buf, "1.234000 (step 2)", "scalar with its step");
}

static void
count_cases(void)
{
	static const struct {
		enum runs_done	 what;
		const char	*want;
	} cases[] = {
		{ RUNS_DELETED, "Deleted 2 run(s)" },
		{ RUNS_PURGED, "Permanently deleted 2 run(s)" },
		{ RUNS_RESTORED, "Restored 2 run(s)" },
		{ RUNS_LABELED, "Labeled 2 run(s)" },
		{ RUNS_LABEL_CLEARED, "Cleared label for 2 run(s)" },
		{ RUNS_TAGGED, "Modified tags for 2 run(s)" },
		{ RUNS_MARKED, "Marked 2 run(s)" },
		{ RUNS_UNMARKED, "Unmarked 2 run(s)" },
		{ RUNS_STOPPING, "Stopping 2 run(s)" },
		{ RUNS_KILLED, "Killed 2 run(s)" },
		{ RUNS_SELECTED, "Selected 2 run(s)" },
	};
	size_t	i;

	strbuf_reset(&sb);
	format_runs(&sb, 1);
	is_str(sb.buf, "1 run(s)", "one run: Guild's one wording");
	strbuf_reset(&sb);
	format_runs(&sb, 0);
	is_str(sb.buf, "0 run(s)", "no runs");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		strbuf_reset(&sb);
		format_runs_done(&sb, cases[i].what, 2);
		is_str(sb.buf, cases[i].want, "done: %s", cases[i].want);
	}
	strbuf_reset(&sb);
	format_runs_done(&sb, RUNS_LABELED, 1);
	is_str(sb.buf, "Labeled 1 run(s)", "done: one run");
}

static void
cell_case(struct value *v, const char *want, const char *name)
{
	strbuf_reset(&sb);
	format_value_cell(&sb, v);
	is_str(sb.buf, want, "cell: %s", name);
	value_free(v);
}

/* guild compare's table cells, which the view's compare table shows too. */
static void
cell_cases(void)
{
	struct value	*l;

	cell_case(value_float(0.123456789), "0.123456", "a float is cut");
	cell_case(value_float(0.9999999), "0.999999", "cut, not rounded");
	cell_case(value_float(2), "2.0", "an integral float");
	cell_case(value_float(1e-5), "1.0e-05", "exponent form");
	cell_case(value_float(1.25e-7), "1.25e-07", "few digits stay");
	cell_case(value_int(3), "3", "an int");
	cell_case(value_bool(true), "yes", "true");
	cell_case(value_bool(false), "no", "false");
	cell_case(value_string("adam"), "adam", "a string as it is");
	cell_case(value_string("1"), "1", "a string that reads as a number");
	cell_case(value_null(), "", "null");
	l = value_list();
	value_list_push(l, value_int(1));
	value_list_push(l, value_string("a"));
	cell_case(l, "[1, a]", "a list as a flag value");
	strbuf_reset(&sb);
	format_value_cell(&sb, NULL);
	is_str(sb.buf, "", "cell: nothing");
}

int
main(void)
{
	char	 tmpl[] = "/tmp/test-format.XXXXXX";
	char	*tmp, *real;

	setenv("TZ", "UTC", 1);
	tzset();
	if ((tmp = mkdtemp(tmpl)) == NULL)
		return 1;
	/* /tmp may be a link: the test compares real paths. */
	if ((real = realpath(tmp, NULL)) == NULL)
		return 1;
	time_cases();
	duration_cases();
	op_cases(real);
	scalar_cases();
	count_cases();
	cell_cases();
	if (chdir("/") == -1 || rm_rf(real, NULL) == -1)
		diag("could not remove %s", real);
	free(real);
	strbuf_release(&sb);
	return done_testing();
}
