/*
 * scalars.h: output scalars. Patterns turn cooked output lines into
 * (key, value, step) triples, Guild's way; a per-run log keeps them and a
 * summary reads them back.
 *
 * Patterns (guild.yml output-scalars, see struct capture in guildfile.h)
 * are PCRE2 regexes after the aliases \key, \value and \step are
 * expanded. Without output-scalars, Guild's defaults capture "key: value"
 * and "key: value (step N)" lines. Each line (right-trimmed) is matched
 * against every pattern, every match on the line counts:
 *	- named groups: _key and _val give the key and the value; otherwise
 *	  each named group is a key and its text the value;
 *	- one group: the value of the map form's key;
 *	- two groups: key, value.
 * Values are read as Python's float() would (nan and inf too); anything
 * else is ignored. A "step" key sets the step for this and later lines.
 * Until then, the step is implied: 0, plus one whenever a key seen since
 * the last increment comes again. With the default patterns, keys that
 * are flag names are not reported (a script printing its flags).
 */
#ifndef GUILD_SCALARS_H
#define GUILD_SCALARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct capture;

typedef void (*scalars_cb)(const char *key, double value, long long step,
	    void *arg);

struct scalars;

/*
 * capture NULL or mode CAPTURE_DEFAULT: the default patterns;
 * CAPTURE_NONE: a matcher that finds nothing. flag_names (NULL-terminated,
 * may be NULL) are ignored with the default patterns only. An invalid
 * regex, or one with groups that cannot give a key and a value, is an
 * error naming the pattern.
 */
struct scalars	*scalars_new(const struct capture *,
		    const char *const *flag_names, char **cause);
/* false for output-scalars: no. */
bool		 scalars_enabled(const struct scalars *);
/* Match one cooked line; calls fn per scalar, returns how many. */
int		 scalars_feed_line(struct scalars *, const char *line,
		    size_t len, scalars_cb fn, void *arg);
void		 scalars_free(struct scalars *);

/*
 * The per-run scalar log, RUN/.guild/scalars.tsv: appended as scalars
 * come, one write per scalar, so readers see them live. Its format is
 * private to this module: use scalars_summary_read().
 */
struct scalars_log;

struct scalars_log *scalars_log_open(const char *run_dir, char **cause);
int		 scalars_log_append(struct scalars_log *, const char *key,
		    double value, long long step, char **cause);
int		 scalars_log_close(struct scalars_log *, char **cause);

struct scalar_point {
	long long	step;
	double		value;
	int64_t		time_ms;	/* when it was logged */
};

/* One key. min and max skip NaN; they are NaN when every value is. */
struct scalar_stats {
	char			*key;
	struct scalar_point	 first;	/* first logged */
	struct scalar_point	 last;	/* top step; ties: later */
	struct scalar_point	 min;
	struct scalar_point	 max;
	double			 total;	/* sum of non-NaN values */
	size_t			 count;
	struct scalar_point	*series;	/* with SCALARS_SERIES, in */
	size_t			 nseries;	/* logged order */
};

/* Every key of a run, sorted by key. */
struct scalars_summary {
	struct scalar_stats	*v;
	size_t			 n;
};

#define SCALARS_SUMMARY_INIT	{ NULL, 0 }
#define SCALARS_SERIES		0x1	/* also keep every point */

/* A run without a log has no keys. Returns 0 or -1. */
int		 scalars_summary_read(const char *run_dir, int flags,
		    struct scalars_summary *, char **cause);
const struct scalar_stats *scalars_summary_find(const struct scalars_summary *,
		    const char *key);
void		 scalars_summary_release(struct scalars_summary *);

#endif
