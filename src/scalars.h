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
struct strvec;
struct value;

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
/*
 * With the default patterns only (no output-scalars): Guild 0.9's Keras
 * patterns first ("Epoch N" the step, " - KEY: VALUE", "Test loss:",
 * "Test accuracy:"), then the defaults. For a main script that
 * scalars_keras_script() says is one: it imports keras or tensorflow
 * (or a module under them) and calls fit or predict.
 */
int		 scalars_use_keras(struct scalars *, char **cause);
bool		 scalars_keras_script(const char *path);
/* false for output-scalars: no. */
bool		 scalars_enabled(const struct scalars *);
/* Match one cooked line; calls fn per scalar, returns how many. */
int		 scalars_feed_line(struct scalars *, const char *line,
		    size_t len, scalars_cb fn, void *arg);
/* The same, pushing every key the line gave onto captured (may be NULL). */
int		 scalars_feed_line_keys(struct scalars *, const char *line,
		    size_t len, scalars_cb fn, void *arg,
		    struct strvec *captured);

/*
 * Output attrs (guild.yml output-attrs), as Guild 0.9 captures them: the
 * same patterns, but \value is any word (\S+) and values are text; the
 * default is "^(\key):\s+(\value)$", flag names ignored. A line's keys
 * that output scalars took (captured) are not attrs ("loss: 0.5" is a
 * scalar, "model: cnn" an attr).
 */
typedef void (*scalars_text_cb)(const char *key, const char *text,
	    void *arg);
struct scalars	*scalars_attrs_new(const struct capture *,
		    const char *const *flag_names, char **cause);
int		 scalars_feed_attrs(struct scalars *, const char *line,
		    size_t len, const struct strvec *captured,
		    scalars_text_cb fn, void *arg);
/*
 * The attrs a run logged: the text values of every Guild AI attr log
 * (event files named *.attrs) under run_dir, keys prefixed by their
 * directory as scalars' are. A map, maybe empty; damage is a warning.
 */
struct value	*scalars_logged_attrs(const char *run_dir);
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
#define SCALARS_LOG_ONLY	0x2	/* only .guild/scalars.tsv */

/*
 * Every scalar of a run: its log (.guild/scalars.tsv) and every
 * TensorBoard event file under its directory, as Guild 0.9 reads them: a
 * file in a subdirectory gives keys "DIR#TAG" (logs/train#epoch_loss),
 * one at the root or in .guild plain tags. guild's own copy of its log in
 * .guild (an event file named "*.guild") is left out when the log is
 * there. Between sources, times decide: last is the top step, and of the
 * same step the later one, so a restart by Guild AI (a newer event file)
 * wins. A damaged event file gives what comes before the damage and a
 * warning (warnx_core). A run without any has no keys. Returns 0 or -1.
 */
int		 scalars_summary_read(const char *run_dir, int flags,
		    struct scalars_summary *, char **cause);

/*
 * Where reading stopped, per source, so that a growing file (a log, an
 * event file: both append-only) is read from there on. A file replaced,
 * cut or gone makes the next update read everything again.
 */
struct scalars_source {
	char		*path;		/* relative to the run directory */
	uint64_t	 ino;
	uint64_t	 size;		/* when last read */
	int64_t		 mtime_ns;
	uint64_t	 offset;	/* read up to here */
};

/*
 * Besides the files, the directories the last search went through (path
 * "." for the run's own, size and offset 0, mtime -1 when it was too
 * recent to trust): a file created in one of them changes its mtime, so
 * that a finished run is searched again when an event file is added to
 * one of its subdirectories. At most SCALARS_DIRS_MAX of them (a run
 * with a tree of thousands: those first met), .guild left out (the run
 * index's own stamp covers it).
 */
struct scalars_sources {
	struct scalars_source	*v;
	size_t			 n, alloc;
	struct scalars_source	*dirs;
	size_t			 ndirs, dalloc;
};

#define SCALARS_SOURCES_INIT	{ NULL, 0, 0, NULL, 0, 0 }
#define SCALARS_DIRS_MAX	64

/*
 * Bring a summary (from an earlier update with the same src, or empty
 * with src empty) up to date: the known sources are read from where they
 * stopped; with rescan, the run directory is searched for new ones too.
 * Returns 1 when the summary changed, 0 when not, -1 on error (summary
 * and src emptied).
 */
int		 scalars_summary_update(const char *run_dir, int flags,
		    struct scalars_summary *, struct scalars_sources *src,
		    bool rescan, char **cause);
/*
 * Whether a source or a directory of text (scalars_sources_encode())
 * changed since it was read, a stat each, of dfd/run_dir (dfd may be
 * AT_FDCWD): true too when text is malformed or lists no directory (an
 * index written before directories were kept), so that the run is
 * searched again.
 */
bool		 scalars_sources_stale(int dfd, const char *run_dir,
		    const char *text);
/* Directory mtimes younger than this are not trusted (default 2 s). */
void		 scalars_set_racy_ns(int64_t ns);
void		 scalars_sources_release(struct scalars_sources *);
/* A text form for the run index; decode: 0, or -1 when malformed. */
char		*scalars_sources_encode(const struct scalars_sources *);
int		 scalars_sources_decode(const char *,
		    struct scalars_sources *);
/*
 * Keys sort as Guild shows them: plain tags first, then by prefix, then
 * tag (runs info: top_metric before logs/train#epoch_loss).
 */
void		 scalars_summary_sort(struct scalars_summary *);
/* The tag of a key: what follows "PREFIX#", or the key. */
const char	*scalars_key_tag(const char *key);
/* By key exactly. */
const struct scalar_stats *scalars_summary_find(const struct scalars_summary *,
		    const char *key);
/*
 * By name as compare columns name scalars (Guild's run_scalar()): a key,
 * else a tag under any prefix ("epoch_loss" finds
 * "logs/train#epoch_loss"), or "PREFIX#TAG" under a prefix starting so.
 */
const struct scalar_stats *scalars_summary_lookup(
		    const struct scalars_summary *, const char *name);
void		 scalars_summary_release(struct scalars_summary *);

#endif
