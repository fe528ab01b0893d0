/*
 * format.h: how a run reads to people, the same in the CLI and the view:
 * its times, how long it ran, its operation, its scalars, and the counts
 * in messages about runs. The forms are Guild 0.9's (guild runs, guild
 * runs info and their messages); the view uses them as they are, so the
 * two front ends show one run one way. Nothing here prints.
 */
#ifndef GUILD_FORMAT_H
#define GUILD_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct run_row;
struct strbuf;
struct value;

/* "2018-10-16 15:57:32", local time; nothing for us <= 0 (no time). */
void	 format_time(struct strbuf *, int64_t us);
/* format_time() as a new string, "" for no time. Caller frees. */
char	*format_time_str(int64_t us);
/* "10-16 15:57": the same time where a column has no room for more. */
void	 format_time_short(struct strbuf *, int64_t us);

/* Guild's "time" of a run: H:MM:SS ("0:00:47"); a negative span as 0. */
void	 format_duration(struct strbuf *, int64_t us);
/*
 * How long a run ran or has been running, as format_duration(): from
 * started to stopped, or to now while it runs. Adds nothing and returns
 * false when that is unknown (not started; finished without a stop time).
 */
bool	 format_run_time(struct strbuf *, int64_t started, int64_t stopped,
	    bool running, int64_t now);

/*
 * The operation as guild runs shows it: "./fashion:train" for the
 * project in the current directory, "fashion:evaluate (~/other)" for
 * another project, the bare description for runs of no project (a
 * package, a run from elsewhere). The current directory is read on the
 * first call.
 */
void	 format_op(struct strbuf *, const struct run_row *);
/* format_op() as a new string. Caller frees. */
char	*format_op_str(const struct run_row *);
/* The same for a description and a project directory (NULL: none). */
void	 format_op_in(struct strbuf *, const char *op_desc,
	    const char *project_dir);

/*
 * A scalar value as guild runs info shows it (Python's "%f"): 0.456000,
 * 12.000000, nan, inf, -inf.
 */
void	 format_scalar(struct strbuf *, double);
/* A value and its step, as guild runs info: "0.456000 (step 2)". */
void	 format_scalar_step(struct strbuf *, double, long long step);
/*
 * A scalar value for a narrow column or a plot's axis: format_scalar()'s
 * six decimals without the trailing zeros (0.456, 12), and four
 * significant digits for values too small or too large for that.
 */
void	 format_scalar_short(struct strbuf *, double);

/*
 * A value in a table cell as guild compare shows it: floats cut (not
 * rounded) to six decimals as Guild does (0.123456, 2.0, 1.0e-05), yes
 * and no, strings as they are, lists and maps as flag values; nothing
 * for NULL and null.
 */
void	 format_value_cell(struct strbuf *, const struct value *);

/*
 * Guild counts runs in messages as "3 run(s)", whatever the number: one
 * wording, so the view's messages read as the CLI's.
 */
void	 format_runs(struct strbuf *, size_t n);

/* What a command did to runs, in the CLI's words. */
enum runs_done {
	RUNS_DELETED,		/* "Deleted 2 run(s)" */
	RUNS_PURGED,		/* "Permanently deleted 2 run(s)" */
	RUNS_RESTORED,		/* "Restored 2 run(s)" */
	RUNS_LABELED,		/* "Labeled 2 run(s)" */
	RUNS_LABEL_CLEARED,	/* "Cleared label for 2 run(s)" */
	RUNS_TAGGED,		/* "Modified tags for 2 run(s)" */
	RUNS_MARKED,		/* "Marked 2 run(s)" */
	RUNS_UNMARKED,		/* "Unmarked 2 run(s)" */
	RUNS_STOPPING,		/* "Stopping 2 run(s)" */
	RUNS_KILLED,		/* "Killed 2 run(s)" */
	RUNS_SELECTED,		/* "Selected 2 run(s)" */
};
void	 format_runs_done(struct strbuf *, enum runs_done, size_t n);

/*
 * How many bytes of s fit in w terminal columns, whole characters only
 * (a wide one that would straddle the edge is left out).
 */
size_t	 format_fit_width(const char *s, size_t w);

/* A CSV field as RFC 4180 and Python's csv module write one: quoted only
 * when it has a comma, a quote or a line break. */
void	 format_csv_field(struct strbuf *, const char *);
/* Guild's util.format_bytes: "512", "1.5K", "3.0M"... */
void	 format_bytes(struct strbuf *, unsigned long long);

#endif
