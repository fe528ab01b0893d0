/*
 * deps.h: an operation's dependencies (guild.yml requires:), resolved
 * into its run directory before the operation starts.
 *
 * Two phases, so that the preview can name what will be used and a
 * dependency that cannot be met stops the run before anything is created:
 *
 *	deps_plan()	choose: for every operation source the upstream run
 *			(the run given by the resource's flag, else the
 *			newest completed, running or terminated run of that
 *			operation, a marked run preferred); the flag is set
 *			to the chosen run's id. Nothing is written.
 *	deps_resolve()	link or copy what each source provides into the
 *			run directory, write the deps attr and append "d"
 *			lines to the manifest. Sources already resolved
 *			(a restart) are skipped.
 *
 * Sources (Guild AI 0.9, resourcedef.py and resolver.py):
 *
 *	operation: [MODEL:]OP[,...]	files an upstream run generated:
 *		everything outside .guild/ except the files it got as
 *		dependencies itself and its source snapshot; linked by
 *		default, with relative symlinks (../<id>/file)
 *	file: PATH	a file or directory of the project; copied by default
 *	url: URL	file:// URLs, and files already in the download cache
 *		$GUILD_HOME/cache/resources/<sha256 of the URL parts>/;
 *		nothing is downloaded (no network); sha256: is checked
 *
 * with select: (Perl-style regular expressions, each matched against the
 * whole path relative to the source), target-path: (path: too), rename:
 * ("PATTERN REPL" on the base name; REPL is text, \0 the match),
 * target-type: link|copy and optional: yes (a source that cannot be
 * resolved is a warning).
 * Directories are never unpacked or post-processed here.
 *
 * GUILD_RUNS_PARENT in the environment (set for the steps of a pipeline)
 * restricts operation sources to runs linked from that run's directory,
 * so that a step uses its sibling steps' runs.
 *
 * The deps attr is Guild's:
 *
 *	trained-model:			resource name (inline: its source)
 *	  operation:train:		source name
 *	    config: <upstream run id>	(operation sources only)
 *	    paths:			what the source provided, relative
 *	    - ../<id>/weights.hdf5	to the run directory
 *	    uri: operation:train
 */
#ifndef GUILD_DEPS_H
#define GUILD_DEPS_H

#include <stdbool.h>
#include <stddef.h>

#include "strvec.h"

struct guild_home;
struct opdef;
struct resdef;
struct run;
struct source;
struct value;

struct dep_source {
	const struct resdef	*res;
	const struct source	*src;
	char			*res_name;	/* deps attr key */
	char			*flag;		/* the resource's flag, or NULL */
	char			*run_id;	/* operation: the chosen run */
	char			*error;		/* could not be met (forced) */
};

struct deps_plan {
	struct dep_source	*v;
	size_t			 n;
	bool			 force;		/* --force-deps */
};

/*
 * Choose the upstream runs. flags (the run's flags map) gives run ids
 * (or prefixes) for resource flags and gets the chosen ids. prior is the
 * deps attr of a run being restarted (or NULL): sources resolved there
 * keep their run and are not looked up again. A source
 * that cannot be met is an error ("run failed because a dependency was
 * not met: could not resolve 'operation:train' in trained-model
 * resource: no suitable run for train") unless the source is optional
 * or force is set: then it is kept in the plan with its error and
 * reported by deps_resolve().
 */
int	deps_plan(const struct guild_home *, const struct opdef *,
	    struct value *flags, const struct value *prior, bool force,
	    struct deps_plan *, char **cause);
void	deps_plan_clear(struct deps_plan *);

/*
 * The runs deps_plan() could choose for an operation source d (of a
 * plan of op), newest first, appended to ids: completed, running or
 * terminated runs of the upstream operation, so that a user can pick
 * another than the one chosen. Other sources append nothing.
 */
int	deps_candidates(const struct guild_home *, const struct opdef *,
	    const struct dep_source *, struct strvec *ids, char **cause);

/*
 * Names of the flags that stand for dependencies (resource flags): they
 * hold run ids, are never passed to the operation and are left out of
 * default labels. Mirrors flags.c's rule.
 */
void	deps_flag_names(const struct opdef *, struct strvec *);

/*
 * Progress lines ("Resolving trained-model", "Using run ID for
 * operation:train"), for the caller to show.
 */
typedef void (*deps_log_fn)(const char *line, void *arg);

/*
 * Resolve the plan into run. An upstream run deleted since deps_plan()
 * and any file that cannot be linked or copied are errors (unless forced
 * or optional, then warnings); the run is left as it is for the caller
 * to finish.
 */
int	deps_resolve(const struct guild_home *, const struct opdef *,
	    const struct deps_plan *, struct run *, deps_log_fn, void *arg,
	    char **cause);

/*
 * "../../a/b" from directory from_dir to path to (both absolute and
 * normalised). Caller frees.
 */
char	*deps_relpath(const char *from_dir, const char *to);

/*
 * The download cache directory of a URL:
 * $GUILD_HOME/cache/resources/<sha256 of scheme, host, path, params,
 * query and fragment, newline-joined>. Caller frees.
 */
char	*deps_url_cache_dir(const struct guild_home *, const char *url);

/*
 * Ids of the runs linked from a run's directory (pipeline steps, batch
 * trials): entries that are symlinks to ../<id>.
 */
void	deps_child_runs(const char *runs_dir, const char *parent_id,
	    struct strvec *ids);

#endif
