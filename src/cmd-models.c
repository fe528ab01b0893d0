/* cmd-models.c: guild models, guild operations (ops). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "compat.h"
#include "guildfile.h"
#include "package.h"
#include "strbuf.h"
#include "util.h"

enum {
	OPT_ALL = 1,
};

static const struct cmd_option models_options[] = {
	{ OPT_ALL, "a", "all", NULL, "Show all models, including private ones." },
	{ 0 }
};

static const struct cmd_option ops_options[] = {
	{ OPT_ALL, "a", "all", NULL, "Show all operations, including private ones." },
	{ 0 }
};

/* The first line of a description, as listings show it. */
static char *
first_line(const char *s)
{
	if (s == NULL)
		return xstrdup("");
	while (*s == '\n' || *s == ' ')
		s++;
	return xstrndup(s, strcspn(s, "\n"));
}

static bool
matches_filters(const char *name, const struct strvec *filters)
{
	size_t	i;

	if (filters->n == 0)
		return true;
	for (i = 0; i < filters->n; i++)
		if (strstr(name, filters->v[i]) != NULL)
			return true;
	return false;
}

struct row {
	char	*name;
	char	*desc;
};

static int
row_cmp(const void *a, const void *b)
{
	return natcmp(((const struct row *)a)->name, ((const struct row *)b)->name);
}

/* The project's rows (the first nproject), then the packages', sorted. */
static void
print_rows(struct row *rows, size_t nproject, size_t n)
{
	const char	**cells;
	size_t		  i;

	if (n == 0)
		return;
	qsort(rows, nproject, sizeof *rows, row_cmp);
	qsort(rows + nproject, n - nproject, sizeof *rows, row_cmp);
	cells = xcalloc(n * 2 + 1, sizeof *cells);
	for (i = 0; i < n; i++) {
		cells[2 * i] = rows[i].name;
		cells[2 * i + 1] = rows[i].desc;
	}
	cli_table(stdout, cells, n, 2);
	for (i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].desc);
	}
	free(cells);
}

/*
 * The models of installed packages, as Guild names them: "gpkg.hello/
 * hello", "gpkg.hello/hello:say" (package.h). A package whose guild.yml
 * cannot be read is skipped with a warning.
 */
static void
add_installed(struct cmd_ctx *ctx, struct cmd_args *a, bool ops,
    struct row **rows, size_t *n, size_t *alloc)
{
	struct installed_pkg	*pkgs = NULL;
	size_t			 npkgs = 0, i, j, k;
	char			*cause = NULL;
	bool			 all = cmd_arg_has(a, OPT_ALL);

	if (packages_installed(cli_home(ctx), &pkgs, &npkgs, NULL) == -1)
		return;
	for (i = 0; i < npkgs; i++) {
		struct guildfile	*gf = package_guildfile(&pkgs[i], &cause);

		if (gf == NULL) {
			cli_note("guild: warning: package %s: %s", pkgs[i].name,
			    cause);
			free(cause);
			cause = NULL;
			continue;
		}
		for (j = 0; j < gf->nmodels; j++) {
			const struct modeldef	*m = gf->models[j];

			if (!all && guildfile_private_name(m->name))
				continue;
			for (k = 0; k < (ops ? m->nops : 1); k++) {
				const struct opdef	*op = ops ? m->ops[k] : NULL;
				char			*name;

				if (op != NULL && !all &&
				    guildfile_private_name(op->name))
					continue;
				name = xasprintf("%s/%s%s%s", pkgs[i].name,
				    m->name, op != NULL ? ":" : "",
				    op != NULL ? op->name : "");
				if (!matches_filters(name, &a->pos)) {
					free(name);
					continue;
				}
				XGROW(*rows, *alloc, *n + 1);
				(*rows)[*n].name = name;
				(*rows)[*n].desc = first_line(op != NULL ?
				    op->description : m->description);
				(*n)++;
			}
		}
		guildfile_free(gf);
	}
	packages_free(pkgs, npkgs);
}

/*
 * The project's guild.yml into *gf, or NULL outside a project: there is
 * nothing of its own to list then, and Guild 0.9 lists the installed
 * packages' models alone (a guild.yml that cannot be read is still an
 * error: -1, said). Whether it is there is asked only when it cannot be
 * read.
 */
static int
project_guildfile(struct cmd_ctx *ctx, struct guildfile **gf)
{
	char	*cause = NULL;

	if (ctx->gf == NULL &&
	    (ctx->gf = guildfile_find(NULL, &cause)) == NULL) {
		if (path_exists(GUILDFILE_NAME)) {
			cli_error_cause(cause);
			return -1;
		}
		free(cause);
	}
	*gf = ctx->gf;
	return 0;
}

static int
cmd_models_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guildfile	*gf = NULL;
	struct row		*rows = NULL;
	size_t			 n = 0, nproject, alloc = 0, i;
	bool			 all = cmd_arg_has(a, OPT_ALL);

	if (project_guildfile(ctx, &gf) == -1)
		return 1;
	for (i = 0; gf != NULL && i < gf->nmodels; i++) {
		const struct modeldef	*m = gf->models[i];
		char			*name;

		/* The anonymous model has no name to show. */
		if (*m->name == '\0' || (!all && guildfile_private_name(m->name)))
			continue;
		name = xasprintf("%s%s", compat_guild09() ? "" : "./", m->name);
		if (!matches_filters(name, &a->pos)) {
			free(name);
			continue;
		}
		XGROW(rows, alloc, n + 1);
		rows[n].name = name;
		rows[n].desc = first_line(m->description);
		n++;
	}
	nproject = n;
	add_installed(ctx, a, false, &rows, &n, &alloc);
	print_rows(rows, nproject, n);
	free(rows);
	return 0;
}

static int
cmd_ops_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guildfile	*gf = NULL;
	struct row		*rows = NULL;
	size_t			 n = 0, nproject, alloc = 0, i, j;
	bool			 all = cmd_arg_has(a, OPT_ALL);

	if (project_guildfile(ctx, &gf) == -1)
		return 1;
	for (i = 0; gf != NULL && i < gf->nmodels; i++) {
		const struct modeldef	*m = gf->models[i];

		if (!all && guildfile_private_name(m->name))
			continue;
		for (j = 0; j < m->nops; j++) {
			const struct opdef	*op = m->ops[j];
			char			*full, *name;

			if (!all && guildfile_private_name(op->name))
				continue;
			full = opdef_fullname(op);
			name = xasprintf("%s%s", compat_guild09() ? "" : "./",
			    full);
			free(full);
			if (!matches_filters(name, &a->pos)) {
				free(name);
				continue;
			}
			XGROW(rows, alloc, n + 1);
			rows[n].name = name;
			rows[n].desc = first_line(op->description);
			n++;
		}
	}
	nproject = n;
	add_installed(ctx, a, true, &rows, &n, &alloc);
	print_rows(rows, nproject, n);
	free(rows);
	return 0;
}

const struct cmd_entry cmd_models_entry = {
	.name = "models",
	.usage = "[FILTER]...",
	.summary = "Show available models.",
	.description =
	    "Lists the models of the project in the current directory.\n"
	    "FILTER limits the list to models whose name contains it.",
	.options = models_options,
	.exec = cmd_models_exec,
};

const struct cmd_entry cmd_ops_entry = {
	.name = "operations",
	.aliases = "ops",
	.usage = "[FILTER]...",
	.summary = "Show model operations.",
	.description =
	    "Lists the operations of the project in the current directory\n"
	    "as MODEL:OPERATION with the first line of their description.\n"
	    "FILTER limits the list to operations whose name contains it.",
	.options = ops_options,
	.exec = cmd_ops_exec,
};
