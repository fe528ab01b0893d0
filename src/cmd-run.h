/*
 * cmd-run.h: the parts of guild run kept in cmd-run-ops.c: --help-op as
 * Guild lays it out, scripts and executables as operations, and the
 * optimizers an operation declares.
 */
#ifndef GUILD_CMD_RUN_H
#define GUILD_CMD_RUN_H

#include <stdbool.h>

struct cmd_ctx;
struct run_plan;
struct guildfile;
struct opdef;
struct strvec;

/* guild run OP --help-op, on stdout (opname: "fashion:train"). */
void		 run_help_op(const struct opdef *, const char *opname);
/*
 * "guild run train.py" / "guild run ./train.sh": a guild.yml of one
 * operation for the file spec names, or NULL when spec is not such a
 * file (or guild.yml has an operation of that name); NULL with cause
 * for a file that cannot be run.
 */
struct guildfile *run_script_guildfile(struct cmd_ctx *, const char *spec,
		    char **cause);
/* The same for a run of one (opref pkg_name DIR/guild.yml, op). */
/*
 * "PACKAGE/MODEL:OP" (or PACKAGE/OP): the installed package's guild.yml
 * (package.h) with *rest the spec within it; NULL without cause when spec
 * names no package (no '/', or a path that exists), NULL with cause when
 * the package is not installed.
 */
struct guildfile *run_package_guildfile(struct cmd_ctx *, const char *spec,
		    const char **rest, char **cause);
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
 * --test-flags: the operation's flags as Guild's _test_flags shows them;
 * flags_dest is the one its runs get (NULL: none).
 */
int		 run_test_flags(const struct opdef *, const char *flags_dest);
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

#endif
