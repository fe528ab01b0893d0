/*
 * batch.h: batches of runs: grid and random searches.
 *
 * A batch is a run of its own (Guild AI's format: opref op "+" for a
 * grid, "random" for a random search, the operation's prototype in
 * .guild/proto/) whose trials are ordinary runs of the operation, linked
 * from it as <batch run>/<trial id> -> ../<trial id>.
 *
 * Trials (batch_trials) come from the flags the user gave:
 *
 *	grid	every list value (lr=[0.1,0.01], range[1:5], linspace[..],
 *		logspace[..]) is a dimension; trials are the cartesian
 *		product, flag names in byte order, the first name varying
 *		slowest; rows of batch files (@file.csv, .json, .yml) each
 *		give a trial, expanded by the list flags they do not set.
 *		With max_trials, that many trials are sampled, in order.
 *	random	flag functions uniform[a:b] (also [a:b]) and
 *		loguniform[a:b], an optional third argument being the first
 *		trial's value; list values are choices; max_trials trials
 *		(default: the operation's default-max-trials, else 20).
 *		Integer bounds give integers.
 *
 * Random numbers come from our own seeded generator (xoshiro256**), so
 * a seed (--random-seed, recorded as the batch's random_seed attr) gives
 * the same trials everywhere.
 *
 * Running (batch_start) happens in the caller's event loop: up to
 * `parallel` trials at once, each with the runner in its own
 * pseudo-terminal and its own output file. Each trial's flags are
 * checked, its dependencies planned and resolved, then it starts.
 * batch_stop() stops every running trial (they are recorded as
 * terminated), starts no more, and the batch ends terminated. The batch
 * run holds LOCK with the caller's pid while it runs, so `guild stop`
 * on the batch reaches the caller, which should call batch_stop().
 * Log lines (INFO: [guild] Running trial ...) are written to the batch
 * run's output and given to on_log.
 */
#ifndef GUILD_BATCH_H
#define GUILD_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guild_home;
struct loop;
struct opdef;
struct output_line;
struct run;
struct strvec;
struct value;

#define BATCH_DEFAULT_MAX_TRIALS	20

enum batch_kind {
	BATCH_NONE,
	BATCH_GRID,
	BATCH_RANDOM,
};

/* The generator: xoshiro256** seeded through splitmix64. */
struct batch_rng {
	uint64_t	s[4];
};
void		batch_rng_seed(struct batch_rng *, uint64_t seed);
uint64_t	batch_rng_next(struct batch_rng *);
/* Uniform in [0, 1). */
double		batch_rng_double(struct batch_rng *);
/* Uniform in [0, n); n > 0. */
uint64_t	batch_rng_below(struct batch_rng *, uint64_t n);

/*
 * Read a batch file: CSV (a header row of flag names, then one trial per
 * row, values decoded as flag values, short rows leaving flags out),
 * JSON or YAML (a list of maps, or one map), by extension (.csv, .json,
 * .yml, .yaml). *rows is a list of maps.
 */
int	batch_read_file(const char *path, struct value **rows, char **cause);

/*
 * What kind of batch user_flags and nfiles batch files make with an
 * optimizer (NULL, "+" or "random"; others are errors). A flag function
 * means a random search, a list value or a batch file a grid.
 */
int	batch_kind(const struct opdef *, const struct value *user_flags,
	    size_t nfiles, const char *optimizer, enum batch_kind *,
	    char **cause);

/*
 * The trials, one at a time: maps, each user_flags with one value for
 * every dimension (rows: a list of maps from batch files, or NULL).
 * max_trials 0: no limit for grids, the default for random searches.
 * A random search makes each trial when it is asked for (memory does
 * not grow with max_trials); a grid is made whole (at most a million
 * trials). batch_gen_new() fails on a bad flag function, so nothing
 * later does. batch_gen_next() gives the next trial (caller frees);
 * batch_gen_rewind() starts again with the same trials.
 */
struct batch_gen;
struct batch_gen *batch_gen_new(const struct opdef *,
		    const struct value *user_flags, const struct value *rows,
		    enum batch_kind, long max_trials, uint64_t seed,
		    char **cause);
size_t		 batch_gen_count(const struct batch_gen *);
struct value	*batch_gen_next(struct batch_gen *, char **cause);
void		 batch_gen_rewind(struct batch_gen *);
void		 batch_gen_free(struct batch_gen *);

/* Every trial at once, as a list of maps (for tests and small batches). */
int	batch_trials(const struct opdef *, const struct value *user_flags,
	    const struct value *rows, enum batch_kind, long max_trials,
	    uint64_t seed, struct value **trials, char **cause);

/*
 * Create the batch run (PENDING until batch_start), with id (NULL: a new
 * random one): opref, flags, random_seed and max_trials attrs, and the
 * prototype of the operation with the user's flags in .guild/proto/.
 */
struct run	*batch_create(const struct guild_home *, const struct opdef *,
		    enum batch_kind, const struct value *user_flags,
		    uint64_t seed, long max_trials, const char *id,
		    char **cause);

struct batch_spec {
	const struct guild_home	*home;
	const struct opdef	*op;
	struct batch_gen	*trials;	/* used from the start, in order */
	const char		*label;		/* template, or NULL */
	const struct strvec	*tags;		/* or NULL */
	const struct strvec	*env;		/* runner_spec's, or NULL */
	const char		*comment;	/* each trial's, or NULL */
	unsigned		 stop_after_ms;	/* the batch's; 0: none */
	unsigned		 parallel;	/* trials at once; 0 is 1 */
	bool			 force_flags;
	bool			 force_deps;
	bool			 needed;	/* skip trials already run */
	bool			 fail_on_trial_error;
	bool			 stage_trials;	/* staged, not run (--stage-trials) */
	unsigned short		 rows, cols;	/* terminal size for trials */
	const char		*vcs_commit;	/* each trial's, or NULL */
};

struct batch_hooks {
	/* "INFO: [guild] Running trial ID: OP (FLAGS)" and such. */
	void	(*on_log)(const char *line, void *arg);
	/* A trial's raw output, and its cooked lines. */
	void	(*on_data)(const char *trial_id, const char *buf, size_t len,
		    void *arg);
	void	(*on_line)(const char *trial_id, const struct output_line *,
		    void *arg);
	/* After the batch run's exit_status is written. */
	void	(*on_done)(int exit_status, void *arg);
};

struct batch;

/*
 * Run the trials of a created batch run. spec and everything it points
 * to must stay valid until on_done; the caller keeps batch_run and
 * frees it after batch_free().
 */
struct batch	*batch_start(struct loop *, const struct batch_spec *,
		    struct run *batch_run, const struct batch_hooks *,
		    void *arg, char **cause);
/* Stop: signal running trials, start no more. */
void		 batch_stop(struct batch *, int signo);
void		 batch_free(struct batch *);

/*
 * Stage every trial (as `guild run --stage` stages a run: flags,
 * resolved dependencies, source code), linked from the batch run, for
 * something else to start them (a Slurm array job); their ids are
 * appended to ids. log (may be NULL) gets a line per trial. -1 with
 * cause at the first trial that cannot be staged (those before stay).
 */
int		 batch_stage_trials(const struct batch_spec *, struct run *brun,
		    struct strvec *ids, void (*log)(const char *, void *),
		    void *arg, char **cause);

/*
 * --needed: the id of a completed or terminated run of op (same guild.yml,
 * model and operation) with the same flags (dependency flags aside), or
 * NULL. Caller frees.
 */
char		*batch_find_same(const struct guild_home *, const struct opdef *,
		    const struct value *flags);

/*
 * The flags shown for a trial: non-null, not dependency flags, sorted,
 * as "loud=no, msg='hello 1'". Caller frees.
 */
char		*batch_trial_desc(const struct opdef *, const struct value *flags);

#endif
