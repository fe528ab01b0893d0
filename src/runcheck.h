/*
 * runcheck.h: the expect: checks of a pipeline step (guild.yml), applied
 * to the step's run once it has succeeded. Guild AI 0.9's run_check has
 * the first two kinds; scalar checks are guild's own:
 *
 *	- file: model/?.joblib		a glob in the run directory: at least
 *	  contains: REGEX		one match; each match contains REGEX
 *	  compare-to: FILE		and/or has the same lines as FILE
 *					(relative to the project)
 *	- output: REGEX			the run's cooked output matches
 *	- scalar: accuracy >= 0.9	the scalar's last value (or "min KEY",
 *					"max KEY") compared with a number by
 *					>=, >, <=, <, == or !=
 *
 * Regular expressions are PCRE2, searched anywhere (as Python's
 * re.search), case-sensitive.
 */
#ifndef GUILD_RUNCHECK_H
#define GUILD_RUNCHECK_H

struct value;

/*
 * Whether check (one item of expect:, a map) is well formed: exactly one
 * of file, output and scalar, string values, regular expressions that
 * compile, a scalar test that parses, no other keys. -1 with a cause
 * naming what is wrong.
 */
int	 runcheck_validate(const struct value *check, char **cause);

/*
 * What the check tests, for progress and failure lines: "output matches
 * 'loss'", "file 'model/x' contains 'x'", "scalar accuracy >= 0.9".
 */
char	*runcheck_describe(const struct value *check);

/*
 * Apply a validated check to the finished run in run_dir; project_dir
 * is where compare-to files are. 1: passed, with *found saying what was
 * seen where there is something to say ("last 0.93 at step 3"), else
 * NULL; 0: failed, with *found saying what was found instead ("no file
 * matches", "last 0.52 at step 1"); -1 when the check cannot be made
 * (cause set).
 */
int	 runcheck_apply(const struct value *check, const char *run_dir,
	    const char *project_dir, char **found, char **cause);

#endif
