/*
 * runner.h: running an operation, end to end. The one place it happens:
 * `guild run` in the foreground, its detached supervisor with
 * --background, and later the view and batches all come through here.
 *
 *	runner_plan()	what would run: the run id and directory, the command,
 *			the environment, the label (--print-cmd and
 *			--print-env stop here; nothing is written)
 *	runner_create()	the run directory: opref, attrs, source snapshot;
 *			left PENDING (or STAGED with --stage)
 *	runner_start()	the process in a pseudo-terminal, output to
 *			.guild/output and the scalar log, LOCK while it runs;
 *			on_done after both end of output and the reap, when
 *			exit_status and stopped are written
 *
 * Dependencies (deps.h) are planned before runner_plan() (the resource
 * flags get the upstream run ids) and resolved between runner_create()
 * and runner_start(), while the run is still PENDING. An operation with
 * steps: and neither main: nor exec: runs guild itself as
 * `guild -C PROJECT run --run-steps RUN_DIR` (see steps.h), with the
 * steps in the run's steps attr.
 */
#ifndef GUILD_RUNNER_H
#define GUILD_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "deps.h"
#include "strvec.h"

struct guild_home;
struct loop;
struct opdef;
struct output_line;
struct run;
struct value;

struct runner_spec {
	const struct guild_home	*home;
	const struct opdef	*op;
	const struct value	*flags;		/* resolved (flags_resolve) */
	const struct value	*user_flags;	/* as given on the command line */
	const char		*label;		/* NULL: template or default */
	const struct strvec	*tags;		/* may be NULL */
	const char		*restart_id;	/* reuse this run, or NULL */
	const char		*run_id;	/* a new run with this id, or NULL */
	/*
	 * --run-dir: the new run in this directory (absolute) instead of
	 * under the runs directory, with a new id in its attrs; NULL: none.
	 */
	const char		*run_dir;
	/*
	 * --proto: the prototype run's directory; the new run takes its
	 * source files and its sourcecode_digest and vcs_commit attrs
	 * instead of a snapshot of the project. NULL: none.
	 */
	const char		*proto_dir;
	/* --force-sourcecode with a restart: a new snapshot of the project. */
	bool			 force_sourcecode;
	/* NAME=VALUE set last in the run's environment (--gpus), or NULL. */
	const struct strvec	*env;
	const char		*comment;	/* the run's first comment, or NULL */
	/*
	 * --stop-after: stop the run (SIGTERM, as guild stop does; SIGKILL
	 * RUNNER_KILL_DELAY_MS later if it is still there) after this long;
	 * 0: never.
	 */
	unsigned		 stop_after_ms;
	bool			 stage;
	/*
	 * Guild's run_params attr: the run command's options by name, or
	 * NULL ({}). A restarted run keeps its own.
	 */
	const struct value	*run_params;
	/* Guild's random_seed attr: this one, else one picked at random. */
	bool			 has_random_seed;
	unsigned long long	 random_seed;
};

struct run_plan {
	char		*id;
	char		*run_dir;
	char		*opname;	/* "fashion:train" */
	char		*label;
	char		*sourcecode_dest;	/* run-relative */
	char		*flags_dest;	/* "args", "globals", ... */
	struct strvec	 argv;		/* the command, argv[0] absolute */
	struct strvec	 env;		/* the whole environment */
	struct strvec	 op_env;	/* what guild adds (for --print-env) */
	/* runner_vcs_commit() of the project, set by runner_prepare. */
	char		*vcs_commit;
};

int	runner_plan(const struct runner_spec *, struct run_plan *, char **cause);

/*
 * Guild 0.9's Keras output scalars on s, when op has no output-scalars
 * and its main script is a Keras one (see scalars_use_keras()).
 */
struct scalars;
int	runner_keras_scalars(struct scalars *, const struct opdef *,
	    char **cause);
void	run_plan_clear(struct run_plan *);

/*
 * Guild's vcs_commit of a project directory (vcs_util.commit_for_dir):
 * "git:SHA" of the last commit that touched it, with "*" when "git
 * status -s" has anything to say; NULL when it is not in a git work tree
 * (or has no commit, or git is missing), or NO_VCS_COMMIT=1. Runs git
 * with proc_run(): not while a loop owns the signals. Caller frees.
 */
char	*runner_vcs_commit(const char *dir);

/*
 * The attrs Guild writes for every run it starts: host, user, platform;
 * and env, the environment given (without op's secrets).
 */
int	runner_write_system_attrs(const struct run *, const struct opdef *,
	    const struct strvec *env, char **cause);

/*
 * The opref of a run of op: guild.yml's path and MD5 (in *md5, the
 * caller's to free), or the installed package's name and version; model,
 * op. ref's strings are borrowed from op and *md5.
 */
struct opref;
void	runner_opref(const struct opdef *, struct opref *ref, char **md5);
/* Write the opref of a run of op. */
int	runner_write_opref(const struct run *, const struct opdef *,
	    char **cause);

/* Create (or, with restart_id, reset) the run directory. */
struct run *runner_create(const struct runner_spec *, const struct run_plan *,
	    char **cause);

/*
 * The run sequence up to the process, for every front end: prepare
 * (dependencies planned: the upstream runs are chosen now, so that a
 * preview names them, and their ids go into flags; then runner_plan),
 * then, once the user agreed, launch (runner_create, then the
 * dependencies resolved while the run is PENDING). The caller then starts
 * the process (runner_start) in the foreground or from a detached
 * supervisor: signals, the terminal and detaching belong to the process
 * that owns the run, not to the core.
 */
struct runner_prep {
	struct run_plan		plan;
	struct deps_plan	deps;
};

/*
 * flags is the map spec->flags points to (the chosen upstream run ids
 * are written into it). plan_deps false skips the dependencies (to print
 * the command or environment, nothing else). prior: the deps attr of a
 * run being restarted, or NULL. -1 with cause; prep is cleared either way
 * by runner_prep_clear().
 */
int	runner_prepare(const struct runner_spec *, struct value *flags,
	    const struct value *prior, bool plan_deps, bool force_deps,
	    struct runner_prep *, char **cause);
/*
 * Create the run and resolve its dependencies (progress lines to log). A
 * dependency not met ends the run before it starts: its output says why,
 * its status is error, and this returns NULL with cause.
 */
struct run *runner_launch(const struct runner_spec *, struct runner_prep *,
	    deps_log_fn log, void *arg, char **cause);
void	runner_prep_clear(struct runner_prep *);

struct runner_hooks {
	/* Raw bytes as the process wrote them (a terminal's view). */
	void	(*on_data)(const char *buf, size_t len, void *arg);
	/* Each cooked line. */
	void	(*on_line)(const struct output_line *, void *arg);
	/* After exit_status and stopped are written. */
	void	(*on_done)(int exit_status, void *arg);
	/* What Guild logs about the run: "Stopping process early ...". */
	void	(*on_log)(const char *line, void *arg);
};

/* Guild's kill delay after stopping a run early (op_util). */
#define RUNNER_KILL_DELAY_MS	30000

struct runner;

/*
 * Start the process of a created run. rows/cols: the initial terminal
 * size (0: 24x80).
 */
struct runner	*runner_start(struct loop *, const struct runner_spec *,
		    const struct run_plan *, struct run *,
		    const struct runner_hooks *, void *arg,
		    unsigned short rows, unsigned short cols, char **cause);
/* Keys for the process's terminal. */
int		 runner_write(struct runner *, const void *, size_t);
int		 runner_resize(struct runner *, unsigned short rows,
		    unsigned short cols);
/* Signal the process group. */
int		 runner_kill(struct runner *, int signo);
/*
 * Stop the run: signal the process group, and record the run as
 * terminated (exit_status -signo) even if the operation handles the
 * signal and exits with an error status.
 */
int		 runner_stop(struct runner *, int signo);
pid_t		 runner_pid(const struct runner *);
/*
 * After on_done: NULL when the run was written whole, else the first
 * failure ("output not fully written: No space left on device"); each
 * failure is also a warning as it happens.
 */
const char	*runner_error(const struct runner *);
void		 runner_free(struct runner *);

/*
 * Finish a run whose process could not be started: exit_status (127 for
 * a failed start), stopped, no LOCK.
 */
int		 runner_fail(struct run *, int exit_status, char **cause);

/*
 * Whether an environment variable must not be recorded in the run's env
 * attr: a name with PASSWORD, TOKEN or SECRET in it (Guild's rule), or
 * with a component (split at anything but letters and digits) KEY, KEYS,
 * APIKEY, PRIVKEY, PWD (not PWD alone), PW, PASS, PASSWD, PASSPHRASE,
 * AUTH, CRED, CREDS, CREDENTIAL(S) or PRIVATE, in any case; or a value
 * with a URL that carries a password (scheme://user:password@host).
 */
bool		 runner_env_secret(const char *name, const char *value);
/*
 * The python interpreter guild uses: $GUILD_PYTHON_EXE, else python3 or
 * python in PATH (else "python3").
 */
char		*runner_python_exe(void);
/*
 * The same, looked up once per process (a command asks for it for the
 * installed packages, an extends: PKG/MODEL and the run itself), with
 * what the package cache keys on: its absolute path (NULL when it is not
 * found or cannot be stat'ed), stat(2) of it and, when has_lst, lstat(2).
 */
struct runner_python {
	char		*exe;
	char		*abs;
	struct stat	 st;
	struct stat	 lst;
	bool		 has_lst;
};
const struct runner_python *runner_python(void);
/*
 * PYTHONPATH for guild's Python children: FIRST (a directory, or NULL),
 * guild's own package (guild.op_main, guild.pass, guild.import_flags:
 * $GUILD_PYTHON_LIB, the installed one, else the source tree's), then the
 * inherited $PYTHONPATH.
 */
char		*runner_python_path(const char *first);
/* This guild program, for pipelines: $GUILD_EXE, else /proc/self/exe. */
char		*runner_guild_exe(void);

#endif
