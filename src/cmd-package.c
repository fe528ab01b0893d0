/*
 * cmd-package.c: guild package (a wheel of the project, package.h),
 * guild packages (list, info, delete) and guild install / uninstall,
 * which hand the Python environment's pip the work, as Guild AI does.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "guildfile.h"
#include "home.h"
#include "package.h"
#include "proc.h"
#include "runner.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "xmalloc.h"

enum {
	OPT_CLEAN = 1,
	OPT_DIST_DIR,
	OPT_UPLOAD,
	OPT_ALL,
	OPT_YES,
	OPT_UPGRADE,
	OPT_REINSTALL,
	OPT_NO_DEPS,
	OPT_PRE,
	OPT_NO_CACHE,
	OPT_TARGET,
	OPT_FILES,
	OPT_VERBOSE,
};

static const struct cmd_option package_options[] = {
	{ OPT_CLEAN, NULL, "clean", NULL,
	    "Remove the package's other wheels from the distribution "
	    "directory." },
	{ OPT_DIST_DIR, "d", "dist-dir", "DIR",
	    "Directory to create the package distribution in." },
	/* Guild's upload options: accepted, to say what to do instead. */
	{ OPT_UPLOAD, "s|i|u|p|e|c",
	    "upload|upload-test|repo|sign|identity|user|password|"
	    "skip-existing|comment", NULL, "Upload (not supported).", true },
	{ 0 }
};

/* Run python -m pip ARGS... with our terminal; its exit code. */
static int
run_pip(const struct strvec *args)
{
	struct proc_spec	 spec;
	struct strvec		 argv = STRVEC_INIT;
	char			*py = runner_python_exe(), *cause = NULL;
	int			 code = 1;

	strvec_push(&argv, py);
	strvec_push(&argv, "-m");
	strvec_push(&argv, "pip");
	strvec_pushv(&argv, (const char *const *)args->v);
	memset(&spec, 0, sizeof spec);
	spec.argv = (const char *const *)argv.v;
	spec.mode = PROC_INHERIT;
	spec.exec_cause = true;
	spec.forward = proc_terminal_signals;
	if (proc_run(&spec, NULL, NULL, &code, &cause) == -1)
		code = cli_error_cause(cause);
	strvec_clear(&argv);
	free(py);
	return code;
}

static int
cmd_package_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct package_build	 b;
	struct guildfile	*gf;
	const char		*dist = cmd_arg_value(args, OPT_DIST_DIR);
	char			*cause = NULL, *shown;

	if (cmd_arg_has(args, OPT_UPLOAD))
		return cli_error("guild does not upload packages: build the "
		    "wheel, then upload it with twine (twine upload "
		    "dist/*.whl)");
	if ((gf = cli_guildfile(ctx)) == NULL)
		return 1;
	if (package_build(gf, dist != NULL ? dist : "dist",
	    cmd_arg_has(args, OPT_CLEAN), &b, &cause) == -1)
		return cli_error_cause(cause);
	shown = path_abbrev_home(b.wheel);
	fprintf(ctx->out, "Created %s (%zu project file%s)\n",
	    cli_field(ctx->out, shown), b.nfiles, b.nfiles == 1 ? "" : "s");
	free(shown);
	package_build_clear(&b);
	return 0;
}

const struct cmd_entry cmd_package_entry = {
	.name = "package",
	.summary = "Create a package for distribution.",
	.description =
	    "Writes a Python wheel of the project in the current directory\n"
	    "into dist/ (or --dist-dir): its guild.yml, Python modules and\n"
	    "packages, README and LICENSE files and the data-files of its\n"
	    "package: item, with the metadata pip needs. 'pip install' or\n"
	    "'guild install' of the wheel makes its models available to guild\n"
	    "anywhere, as PACKAGE/MODEL:OPERATION.\n"
	    "\n"
	    "Without a package: item the package is named after the default\n"
	    "model, at version 0.0.0.",
	.options = package_options,
	.exec = cmd_package_exec,
};

/* guild packages ... */

static const struct cmd_option list_options[] = {
	{ OPT_ALL, "a", "all", NULL, "Show all installed Python packages." },
	{ 0 }
};

static bool
matches(const char *const *terms, size_t n, const char *a, const char *b)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strstr(a, terms[i]) == NULL && strstr(b, terms[i]) == NULL)
			return false;
	return true;
}

static int
cmd_packages_list_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct installed_pkg	*v = NULL;
	struct guild_home	*home;
	struct strvec		 cells = STRVEC_INIT, pip = STRVEC_INIT;
	size_t			 n = 0, i;
	char			*cause = NULL;

	if (cmd_arg_has(args, OPT_ALL)) {
		strvec_push(&pip, "list");
		i = (size_t)run_pip(&pip);
		strvec_clear(&pip);
		return (int)i;
	}
	home = cli_home(ctx);
	if (packages_installed(home, &v, &n, &cause) == -1)
		return cli_error_cause(cause);
	for (i = 0; i < n; i++) {
		if (!matches((const char *const *)args->pos.v, args->pos.n,
		    v[i].name, v[i].summary))
			continue;
		strvec_push(&cells, cli_field(ctx->out, v[i].name));
		strvec_push(&cells, cli_field(ctx->out, v[i].version));
		strvec_push(&cells, cli_field(ctx->out, v[i].summary));
	}
	if (cells.n > 0)
		cli_table(ctx->out, (const char *const *)cells.v, cells.n / 3,
		    3);
	strvec_clear(&cells);
	packages_free(v, n);
	return 0;
}

static const struct cmd_entry cmd_packages_list_entry = {
	.name = "list",
	.aliases = "ls",
	.usage = "[TERM]...",
	.summary = "Show installed packages.",
	.description =
	    "Lists the guild packages installed for the Python guild runs\n"
	    "(those with models): name, version and summary. TERM limits the\n"
	    "list to packages whose name or summary contains it.",
	.options = list_options,
	.exec = cmd_packages_list_exec,
};

static const struct cmd_option info_options[] = {
	{ OPT_VERBOSE, "v", "verbose", NULL, "Show more information." },
	{ OPT_FILES, "f", "files", NULL, "Show the package's files." },
	{ 0 }
};

static int
cmd_packages_info_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct strvec	pip = STRVEC_INIT;
	int		rc;

	(void)ctx;
	if (args->pos.n == 0)
		return cli_error("missing argument PACKAGE");
	strvec_push(&pip, "show");
	if (cmd_arg_has(args, OPT_VERBOSE))
		strvec_push(&pip, "--verbose");
	if (cmd_arg_has(args, OPT_FILES))
		strvec_push(&pip, "--files");
	strvec_pushv(&pip, (const char *const *)args->pos.v);
	rc = run_pip(&pip);
	strvec_clear(&pip);
	return rc;
}

static const struct cmd_entry cmd_packages_info_entry = {
	.name = "info",
	.usage = "PACKAGE...",
	.summary = "Show package details.",
	.description = "Shows what pip knows of each package (pip show).",
	.options = info_options,
	.exec = cmd_packages_info_exec,
};

static const struct cmd_option uninstall_options[] = {
	{ OPT_YES, "y", "yes", NULL, "Do not prompt before uninstalling." },
	{ 0 }
};

static int
cmd_uninstall_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct strvec	pip = STRVEC_INIT;
	int		rc;

	(void)ctx;
	if (args->pos.n == 0)
		return cli_error("missing argument PACKAGE");
	strvec_push(&pip, "uninstall");
	if (cmd_arg_has(args, OPT_YES))
		strvec_push(&pip, "--yes");
	strvec_pushv(&pip, (const char *const *)args->pos.v);
	rc = run_pip(&pip);
	strvec_clear(&pip);
	return rc;
}

static const struct cmd_entry cmd_packages_delete_entry = {
	.name = "delete",
	.aliases = "rm|uninstall",
	.usage = "PACKAGE...",
	.summary = "Uninstall packages.",
	.description = "Uninstalls the packages with pip (pip uninstall).",
	.options = uninstall_options,
	.exec = cmd_uninstall_exec,
};

static const struct cmd_entry *const packages_subcommands[] = {
	&cmd_packages_list_entry,
	&cmd_packages_info_entry,
	&cmd_packages_delete_entry,
	NULL
};

const struct cmd_entry cmd_packages_entry = {
	.name = "packages",
	.usage = "[COMMAND] [ARGS]...",
	.summary = "Show or manage packages.",
	.description =
	    "Without a command, lists the guild packages installed:\n"
	    "'guild packages' is 'guild packages list'.",
	.options = list_options,
	.subcommands = packages_subcommands,
	.default_sub = "list",
};

static const struct cmd_option install_options[] = {
	{ OPT_UPGRADE, "U", "upgrade", NULL,
	    "Upgrade the packages if they are installed." },
	{ OPT_REINSTALL, NULL, "reinstall", NULL,
	    "Reinstall the packages if they are installed." },
	{ OPT_NO_DEPS, NULL, "no-deps", NULL,
	    "Don't install dependencies." },
	{ OPT_PRE, NULL, "pre", NULL,
	    "Install pre-release versions." },
	{ OPT_NO_CACHE, NULL, "no-cache", NULL,
	    "Don't use the package cache." },
	{ OPT_TARGET, NULL, "target", "DIR",
	    "Install the packages into DIR." },
	{ 0 }
};

static int
cmd_install_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct strvec	 pip = STRVEC_INIT;
	const char	*target = cmd_arg_value(args, OPT_TARGET);
	int		 rc;

	(void)ctx;
	if (args->pos.n == 0)
		return cli_error("missing argument PACKAGE");
	strvec_push(&pip, "install");
	if (cmd_arg_has(args, OPT_UPGRADE) || cmd_arg_has(args, OPT_REINSTALL))
		strvec_push(&pip, "--upgrade");
	if (cmd_arg_has(args, OPT_REINSTALL))
		strvec_push(&pip, "--force-reinstall");
	if (cmd_arg_has(args, OPT_NO_DEPS))
		strvec_push(&pip, "--no-deps");
	if (cmd_arg_has(args, OPT_PRE))
		strvec_push(&pip, "--pre");
	if (cmd_arg_has(args, OPT_NO_CACHE))
		strvec_push(&pip, "--no-cache-dir");
	if (target != NULL) {
		strvec_push(&pip, "--target");
		strvec_push(&pip, target);
	}
	strvec_pushv(&pip, (const char *const *)args->pos.v);
	rc = run_pip(&pip);
	strvec_clear(&pip);
	return rc;
}

const struct cmd_entry cmd_install_entry = {
	.name = "install",
	.usage = "PACKAGE...",
	.summary = "Install one or more packages.",
	.description =
	    "Installs packages (names, wheel files or directories) into the\n"
	    "Python environment guild runs operations with, by pip.",
	.options = install_options,
	.exec = cmd_install_exec,
};

const struct cmd_entry cmd_uninstall_entry = {
	.name = "uninstall",
	.usage = "PACKAGE...",
	.summary = "Uninstall one or more packages.",
	.description = "Uninstalls packages from that environment, by pip.",
	.options = uninstall_options,
	.exec = cmd_uninstall_exec,
};
