/*
 * cmd-run.h: the parts of guild run kept in cmd-run-ops.c: --help-op as
 * Guild lays it out, scripts and executables as operations, and the
 * optimizers an operation declares.
 */
#ifndef GUILD_CMD_RUN_H
#define GUILD_CMD_RUN_H

struct cmd_ctx;
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

#endif
