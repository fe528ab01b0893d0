/*
 * cmd-run.h: the parts of guild run kept in cmd-run-ops.c: --help-op as
 * Guild lays it out, scripts and executables as operations, and the
 * optimizers an operation declares.
 */
#ifndef GUILD_CMD_RUN_H
#define GUILD_CMD_RUN_H

#include <stdbool.h>

#include "batch.h"

struct cmd_ctx;
struct run_plan;
struct guildfile;
struct opdef;
struct strvec;

/* guild run OP --help-op, on stdout (opname: "fashion:train"). */
void		 run_help_op(const struct opdef *, const char *opname);
/*
 * The operation opspec names (NULL: the default one): in the project's
 * guild.yml, a script, or an installed package's; *own_gf is a guild.yml
 * loaded for it (the caller's to free) or NULL. 0, or the exit status
 * after printing an error.
 */
int		 run_opspec(struct cmd_ctx *, const char *opspec,
		    struct guildfile **own_gf, const struct opdef **op);
/* The guild.yml of the installed package name, for a restart. */
struct guildfile *run_package_named(struct cmd_ctx *, const char *name,
		    char **cause);
struct guildfile *run_script_at(struct cmd_ctx *, const char *pkg_name,
		    const char *op, char **cause);
/*
 * The operation's optimizers: names (sorted) and their algorithms; the
 * default's index, or -1.
 */
long		 run_op_optimizers(const struct opdef *, struct strvec *names,
		    struct strvec *algos);
/*
 * --test-sourcecode: the rules, and the files a run would copy and skip,
 * as Guild's _test_sourcecode shows them; nothing is created. 0 or the
 * exit status after an error.
 */
int		 run_test_sourcecode(const struct opdef *);

/*
 * --debug (guild --debug run): Guild's debug lines on stderr,
 * "DEBUG: [guild] ...": run_debug_log() one, run_debug_start() those of
 * op.py as a run starts (its command as a Python list; its environment
 * too with DEBUG_ENV=1, secrets as ***). Nothing unless run_debug_set().
 */
void		 run_debug_set(bool);
void		 run_debug_log(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
void		 run_debug_start(const struct run_plan *);
/* --stage --run-dir: how to start the run by hand, as Guild says. */
void		 run_stage_dir_note(const struct run_plan *);

/* guild run's options (ids into cmd_args), shared by cmd-run*.c. */
enum {
	OPT_YES = 1,
	OPT_LABEL,
	OPT_TAG,
	OPT_BACKGROUND,
	OPT_PRINT_CMD,
	OPT_PRINT_ENV,
	OPT_QUIET,
	OPT_FORCE_FLAGS,
	OPT_STAGE,
	OPT_START,
	OPT_RESTART,
	OPT_TEST_SCALARS,
	OPT_HELP_OP,
	OPT_FORCE_DEPS,
	OPT_OPTIMIZER,
	OPT_MAX_TRIALS,
	OPT_RANDOM_SEED,
	OPT_PRINT_TRIALS,
	OPT_PARALLEL,
	OPT_NEEDED,
	OPT_FAIL_ON_TRIAL_ERROR,
	OPT_KEEP_BATCH,
	OPT_RUN_ID,
	OPT_RUN_STEPS,
	OPT_GPUS,
	OPT_NO_GPUS,
	OPT_COMMENT,
	OPT_STOP_AFTER,
	OPT_PIDFILE,
	OPT_OPTIMIZE,
	OPT_KEEP_RUN,
	OPT_BATCH_LABEL,
	OPT_BATCH_TAG,
	OPT_BATCH_COMMENT,
	OPT_RUN_DIR,
	OPT_PROTO,
	OPT_FORCE_SOURCECODE,
	OPT_STAGE_TRIALS,
	OPT_OPT_FLAG,
	OPT_BREAK_ON_ERROR,
	OPT_TEST_SOURCECODE,
	OPT_TEST_FLAGS,
	OPT_DEBUG,
	OPT_NO_WAIT,
	OPT_TEST_ATTRS,
};

struct guild_home;
struct run;
/* --run-dir DIR, absolute (relative to where guild started: -C). */
char		*run_dir_arg(const struct cmd_args *);
/*
 * --test-flags: the operation's flags as Guild's _test_flags shows them,
 * with the flags-dest its runs would get.
 */
int		 run_test_flags_plan(const struct guild_home *,
		    const struct opdef *);
/* --proto RUN with an operation of its own: the run, to read. */
int		 run_proto_open(const struct guild_home *, const char *spec,
		    struct run **, char **idp);
/*
 * Options that cannot go together, as Guild's _check_incompatible_options
 * and _check_incompatible_with_restart; -1 after printing the error.
 */
int		 run_options_check(const struct cmd_args *);
/*
 * --test-output-attrs OUTPUT ('-': standard input): each line and what
 * each output-attrs pattern finds in it, as Guild 0.9 shows it
 * (cmd-run-testout.c). Returns the exit status.
 */
int		 run_test_output_attrs(const struct opdef *, const char *path);
/* --test-output-scalars OUTPUT: each line and the scalars found in it. */
int		 run_test_output_scalars(const struct opdef *,
			    const struct value *flags, const char *path);
/* -Fo FLAG=VAL; -1 after printing an error. */
int		 run_opt_flags_check(const struct cmd_args *,
		    const struct opdef *, enum batch_kind, const char *algo);

#endif
