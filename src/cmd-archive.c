/*
 * cmd-archive.c: guild archive NAME [RUN...] (also guild runs archive):
 * runs moved (or copied) to an archive directory, as Guild AI 0.9 does,
 * and listed from there with guild runs --archive NAME.
 *
 * Guild's archives are named: ARCHIVES/<32-hex id>/archive.json holds
 * {"label": NAME, "description": ...}, ARCHIVES being the directory of
 * the user config (dirname of $GUILD_CONFIG, else the Guild home)
 * /archives. NAME may also be a path to a directory (one with a '/', or
 * an existing one), which is used as it is.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-export.h"
#include "cmd-select.h"
#include "cmds.h"
#include "home.h"
#include "run.h"
#include "runindex.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

enum {
	O_CREATE = 1,
	O_LIST,
	O_COPY,
	O_COPY_RESOURCES,
	O_DESCRIPTION,
	O_VERBOSE,
	O_YES,
};

/*
 * Guild gives both --create and --copy the short name -c; -c is
 * --create here (the first one Guild declares).
 */
static const struct cmd_option archive_options[] = {
	{ O_CREATE, "c", "create", NULL,
	  "Create a new archive if NAME doesn't exist." },
	{ O_LIST, "l", "list", NULL, "List archives." },
	{ O_COPY, NULL, "copy", NULL, "Copy archived runs rather than move." },
	{ O_COPY_RESOURCES, "r", "copy-resources", NULL,
	  "Copy resources for each archived run." },
	{ O_DESCRIPTION, "d", "description", "TEXT",
	  "Description used for the archive when creating." },
	{ O_VERBOSE, "v", "verbose", NULL,
	  "Show more information when listing archives." },
	{ O_YES, "y", "yes", NULL, "Do not prompt before archiving." },
	{ 0 }
};

static char *
archives_home(struct cmd_ctx *ctx)
{
	const char	*cfg = getenv("GUILD_CONFIG");
	char		*dir, *slash, *p;

	if (cfg != NULL && *cfg != '\0') {
		dir = path_absolute(cfg);
		if ((slash = strrchr(dir, '/')) != NULL)
			*slash = '\0';
		p = path_join(dir, "archives");
		free(dir);
		return p;
	}
	return path_join(ctx->home->path, "archives");
}

struct archive {
	char	*name;		/* the directory's name */
	char	*path;
	char	*label;		/* or NULL */
	char	*desc;		/* or NULL */
};

static char *
meta_string(const struct value *m, const char *key)
{
	const struct value	*v = m != NULL ? value_map_get(m, key) : NULL;

	return v != NULL && v->type == VALUE_STRING ? xstrdup(v->u.s) : NULL;
}

/* Every archive, sorted by label (or name). */
static size_t
archives_list(struct cmd_ctx *ctx, struct archive **out)
{
	struct archive	*v = NULL;
	struct dirent	*de;
	struct ynode	*y;
	struct value	*m;
	char		*home = archives_home(ctx), *meta;
	size_t		 n = 0, i, j;
	DIR		*d;

	if ((d = opendir(home)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			char	*path;

			if (de->d_name[0] == '.')
				continue;
			path = path_join(home, de->d_name);
			if (!path_is_dir(path)) {
				free(path);
				continue;
			}
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n].name = xstrdup(de->d_name);
			v[n].path = path;
			meta = path_join(path, "archive.json");
			y = path_is_file(meta) ?
			    ynode_parse_file(meta, meta, NULL) : NULL;
			m = y != NULL ? ynode_to_value(y) : NULL;
			v[n].label = meta_string(m, "label");
			v[n].desc = meta_string(m, "description");
			value_free(m);
			ynode_free(y);
			free(meta);
			n++;
		}
		closedir(d);
	}
	free(home);
	/* A few archives: insertion sort. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0; j--) {
			const char	*a = v[j - 1].label != NULL ?
			    v[j - 1].label : v[j - 1].name;
			const char	*b = v[j].label != NULL ?
			    v[j].label : v[j].name;
			struct archive	 t;

			if (strcmp(a, b) <= 0)
				break;
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

static void
archives_free(struct archive *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].path);
		free(v[i].label);
		free(v[i].desc);
	}
	free(v);
}

char *
cmd_archive_path(struct cmd_ctx *ctx, const char *name)
{
	struct archive	*v;
	char		*path = NULL;
	size_t		 n, i;

	if (strchr(name, '/') != NULL || path_is_dir(name))
		return path_is_dir(name) ? xstrdup(name) : NULL;
	if (cli_home(ctx) == NULL)
		return NULL;
	n = archives_list(ctx, &v);
	for (i = 0; i < n && path == NULL; i++)
		if ((v[i].label != NULL && strcmp(v[i].label, name) == 0) ||
		    strcmp(v[i].name, name) == 0)
			path = xstrdup(v[i].path);
	archives_free(v, n);
	return path;
}

static int
list_archives(struct cmd_ctx *ctx, bool verbose)
{
	struct archive	*v;
	const char	**cells;
	char		**paths;
	size_t		 n, i, ncols = verbose ? 3 : 2;

	n = archives_list(ctx, &v);
	cells = xcalloc(n * ncols + 1, sizeof *cells);
	paths = xcalloc(n + 1, sizeof *paths);
	for (i = 0; i < n; i++) {
		cells[i * ncols] = cli_field(stdout, v[i].label != NULL ?
		    v[i].label : v[i].name);
		cells[i * ncols] = xstrdup(cells[i * ncols]);
		cells[i * ncols + 1] = xstrdup(cli_field(stdout,
		    v[i].desc != NULL ? v[i].desc : ""));
		if (verbose) {
			paths[i] = path_abbrev_home(v[i].path);
			cells[i * ncols + 2] = paths[i];
		}
	}
	cli_table(stdout, cells, n, ncols);
	for (i = 0; i < n; i++) {
		free((char *)cells[i * ncols]);
		free((char *)cells[i * ncols + 1]);
		free(paths[i]);
	}
	free(cells);
	free(paths);
	archives_free(v, n);
	return 0;
}

/* A new named archive; its path, or NULL after an error. */
static char *
create_archive(struct cmd_ctx *ctx, const char *name, const char *desc)
{
	struct value	*m = value_map();
	struct strbuf	 sb = STRBUF_INIT;
	char		*home = archives_home(ctx), *dir, *meta, *id, *cause = NULL;

	if ((id = run_new_id(&cause)) == NULL) {
		free(home);
		value_free(m);
		cli_error_cause(cause);
		return NULL;
	}
	dir = path_join(home, id);
	free(id);
	free(home);
	printf("Creating '%s'\n", cli_field(stdout, name));
	value_map_set(m, "label", value_string(name));
	if (desc != NULL)
		value_map_set(m, "description", value_string(desc));
	value_encode_json(&sb, m);
	value_free(m);
	meta = path_join(dir, "archive.json");
	if (mkdir_p(dir, 0777, &cause) == -1 ||
	    write_file_atomic(meta, sb.buf, sb.len, &cause) == -1) {
		cli_error_cause(cause);
		free(dir);
		dir = NULL;
	}
	free(meta);
	strbuf_release(&sb);
	return dir;
}

static int
cmd_archive_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct runindex		*idx = NULL;
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct strvec		 specs = STRVEC_INIT;
	struct cmd_runs_op	 op = { .nothing = "No runs to archive.",
				    .default_yes = true };
	const char		*name;
	char			*dest = NULL, *intro;
	bool			 copy = cmd_arg_has(a, O_COPY);
	size_t			 i, count = 0;
	int			 rc;

	if (cli_home(ctx) == NULL)
		return 1;
	if (cmd_arg_has(a, O_LIST))
		return list_archives(ctx, cmd_arg_has(a, O_VERBOSE));
	if (a->pos.n == 0)
		return cli_error("missing argument for NAME");
	name = a->pos.v[0];
	dest = cmd_archive_path(ctx, name);
	if (dest == NULL && !cmd_arg_has(a, O_CREATE))
		return cli_error("archive '%s' does not exist\nTry 'guild "
		    "archive --list' to list available archives or use the "
		    "'--create' option.", name);
	for (i = 1; i < a->pos.n; i++)
		strvec_push(&specs, a->pos.v[i]);
	rc = cmd_runs_select(ctx, a, &specs, NULL, false, 0, &idx, &rows);
	strvec_clear(&specs);
	if (rc != 0)
		goto out;
	if (!copy)
		for (i = 0; i < rows.n; i++)
			if (rows.v[i]->status == RUN_STATUS_RUNNING) {
				rc = cli_error("cannot move run %s: it is "
				    "running\nStop it first with 'guild stop "
				    "%.8s'.", rows.v[i]->id, rows.v[i]->id);
				goto out;
			}
	intro = xasprintf("You are about to archive (%s) the following runs "
	    "to '%s':", copy ? "copy" : "move", name);
	if (!cmd_runs_op_start(&op, &rows, cmd_arg_has(a, O_YES), intro,
	    "Continue?")) {
		free(intro);
		goto out;
	}
	free(intro);
	if (dest == NULL) {
		if (strchr(name, '/') != NULL) {
			char	*cause = NULL;

			if (mkdir_p(name, 0777, &cause) == -1) {
				rc = cli_error_cause(cause);
				goto out;
			}
			dest = xstrdup(name);
		} else if ((dest = create_archive(ctx, name,
		    cmd_arg_value(a, O_DESCRIPTION))) == NULL) {
			rc = 1;
			goto out;
		}
	}
	rc = cmd_export_to_dir(ctx, idx, &rows, dest, !copy,
	    cmd_arg_has(a, O_COPY_RESOURCES), &count);
	if (count > 0 || rc == 0)
		cli_note("Archived %zu run(s) to '%s'", count, name);
out:
	free(dest);
	run_rows_release(&rows);
	runindex_close(idx);
	return rc;
}

const struct cmd_entry cmd_archive_entry = {
	.name = "archive",
	.usage = "[NAME] [RUN...]",
	.summary = "Archive one or more runs.",
	.description =
	    "Moves runs (all runs without RUN arguments) to the archive NAME,\n"
	    "or copies them with --copy. NAME is an archive made with --create\n"
	    "(listed by --list) or a directory path. 'guild runs --archive\n"
	    "NAME' lists the runs in an archive, and 'guild import' brings\n"
	    "them back.",
	.options = archive_options,
	.filter_options = run_filter_options,
	.exec = cmd_archive_exec,
};
