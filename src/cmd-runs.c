/*
 * cmd-runs.c: guild runs (list, info, delete, restore, purge, comment,
 * stop) and the group's entry, whose label, tag and mark are cmd-label.c's;
 * comment and stop are also top-level commands (the same entries).
 *
 * Every command here selects runs the same way (cmd-select.h: the filter
 * options, then the specs, through the run index) and writes what
 * it changes to the run directory first (attrs are written atomically by
 * run_attr_write), then tells the index. Messages, previews and questions
 * are Guild 0.9's, on stderr; listings go to stdout.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-export.h"
#include "cmd-remote.h"
#include "cmd-select.h"
#include "cmds.h"
#include "digest.h"
#include "flags.h"
#include "format.h"
#include "home.h"
#include "output.h"
#include "proc.h"
#include "remote.h"
#include "run.h"
#include "runindex.h"
#include "runops.h"
#include "runsel.h"
#include "scalars.h"
#include "slurm.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"

/* Runs shown by "guild runs" without -a, -n or -m (Guild's RUNS_PER_GROUP). */
#define RUNS_PER_GROUP		20
/* How long "runs rm" waits for a running run it stops before KILL. */
#define DELETE_STOP_TIMEOUT_MS	10000
/* For the supervisor of a stopped run to record its exit status. */
#define SUPERVISOR_WAIT_MS	2000

static struct value *
value_string_or_null(const char *s)
{
	return s != NULL ? value_string(s) : value_null();
}

/* A run attr straight from the run directory; NULL when missing. */
static struct value *
row_attr(const struct run_row *row, const char *name)
{
	struct run	*run;
	struct value	*v = NULL;

	if ((run = run_open(row->dir, NULL)) == NULL)
		return NULL;
	if (run_attr_read(run, name, &v, NULL) == -1)
		v = NULL;
	run_free(run);
	return v;
}

/*
 * A bad run (a file of it is a FIFO, a device, a link or too large):
 * listed anyway, with a warning naming the file. After stdout's lines.
 */
static void
warn_bad(const struct run_row *const *rows, size_t n)
{
	size_t	i;

	fflush(stdout);
	for (i = 0; i < n; i++) {
		if (rows[i]->problem != NULL)
			warnx_core("%s/%s", rows[i]->dir, rows[i]->problem);
	}
}

static void
index_forget(struct runindex *idx, const char *id)
{
	char	*cause = NULL;

	if (runindex_forget(idx, id, &cause) == -1) {
		warnx_core("run index: %s", cause);
		free(cause);
	}
}

/*
 * Details of a run, as "runs info" and "runs list -v" show them: Guild's
 * fields in Guild's order (the walkthrough's are among them, in the same
 * order). Arguments with a space, and empty ones, are quoted as Guild
 * quotes them.
 */
static void
command_text(struct strbuf *sb, const struct value *cmd)
{
	size_t	i;

	if (cmd == NULL || cmd->type != VALUE_LIST)
		return;
	for (i = 0; i < cmd->u.list.n; i++) {
		const struct value	*arg = cmd->u.list.v[i];
		struct strbuf		 one = STRBUF_INIT;

		if (i > 0)
			strbuf_addch(sb, ' ');
		if (arg->type == VALUE_STRING)
			strbuf_addstr(&one, arg->u.s);
		else
			value_format_flag(&one, arg);
		if (one.len == 0 || strchr(one.buf, ' ') != NULL)
			strbuf_addf(sb, "\"%s\"", one.buf);
		else
			strbuf_addstr(sb, one.buf);
		strbuf_release(&one);
	}
}

/* Guild's "from": where the operation came from (run_util.format_pkg_name). */
static char *
cmd_runs_format_from(const struct run_row *row)
{
	struct opref	 ref;
	char		*s;

	if (row->opref == NULL || opref_parse(row->opref, &ref, NULL) == -1)
		return xstrdup(row->pkg_name != NULL ? row->pkg_name : "");
	if (strcmp(ref.pkg_type, "guildfile") == 0 ||
	    strcmp(ref.pkg_type, "script") == 0)
		s = path_abbrev_home(ref.pkg_name);
	else if (strcmp(ref.pkg_type, "package") == 0)
		s = xasprintf("%s==%s", ref.pkg_name, ref.pkg_version);
	else
		s = xstrdup(ref.pkg_name);
	opref_clear(&ref);
	return s;
}

static struct value *
attr_string(const struct run_row *row, const char *name)
{
	struct value	*v = row_attr(row, name);
	struct strbuf	 sb = STRBUF_INIT;

	if (v == NULL || v->type == VALUE_NULL) {
		value_free(v);
		return value_string("");
	}
	if (v->type == VALUE_STRING)
		return v;
	value_format_flag(&sb, v);
	value_free(v);
	v = value_string(sb.buf);
	strbuf_release(&sb);
	return v;
}

/*
 * Guild's RUN_DETAIL, every field always, as run_util.format_run gives
 * them: strings, except exit_status and pid (an int, or "" when none).
 */
struct value *
cmd_runs_details(const struct run_row *row)
{
	struct value	*d = value_map(), *cmd;
	struct strbuf	 sb = STRBUF_INIT;
	char		*s;

	value_map_set(d, "id", value_string(row->id));
	s = format_op_str(row);
	value_map_set(d, "operation", value_string(s));
	free(s);
	s = cmd_runs_format_from(row);
	value_map_set(d, "from", value_string(s));
	free(s);
	value_map_set(d, "status", value_string(run_status_name(row->status)));
	s = format_time_str(row->started);
	value_map_set(d, "started", value_string(s));
	free(s);
	s = format_time_str(row->stopped);
	value_map_set(d, "stopped", value_string(s));
	free(s);
	value_map_set(d, "marked", value_string(row->marked ? "yes" : "no"));
	value_map_set(d, "label", value_string(row->label != NULL ?
	    row->label : ""));
	value_map_set(d, "sourcecode_digest", value_string(
	    row->sourcecode_digest != NULL ? row->sourcecode_digest : ""));
	value_map_set(d, "vcs_commit", attr_string(row, "vcs_commit"));
	s = path_abbrev_home(row->dir);
	value_map_set(d, "run_dir", value_string(s));
	free(s);
	cmd = row_attr(row, "cmd");
	command_text(&sb, cmd);
	value_free(cmd);
	value_map_set(d, "command", value_string(sb.buf));
	strbuf_release(&sb);
	value_map_set(d, "exit_status", row->has_exit_status ?
	    value_int(row->exit_status) : value_string(""));
	value_map_set(d, "pid", row->status == RUN_STATUS_RUNNING &&
	    row->pid > 0 ? value_int((long long)row->pid) : value_string(""));
	return d;
}

static void
print_kv(FILE *f, const char *indent, const char *key, const char *val)
{
	if (*val == '\0')
		fprintf(f, "%s%s:\n", indent, cli_field(f, key));
	else
		fprintf(f, "%s%s: %s\n", indent, cli_field(f, key),
		    cli_field(f, val));
}

/* The details' fields, one "key: value" line each. */
static void
print_details(FILE *f, const char *indent, const struct value *d)
{
	size_t	i;

	for (i = 0; i < d->u.map.n; i++) {
		const struct value	*v = d->u.map.v[i];
		char			 num[32];

		if (v->type == VALUE_INT) {
			snprintf(num, sizeof num, "%lld", v->u.i);
			print_kv(f, indent, d->u.map.k[i], num);
		} else
			print_kv(f, indent, d->u.map.k[i],
			    v->type == VALUE_STRING ? v->u.s : "");
	}
}

/* Comments, as "comment --list", "runs -c" and "runs info -c" show them. */
static void
print_comments(FILE *f, const struct value *comments, bool numbered)
{
	size_t	i;

	if (comments == NULL || comments->type != VALUE_LIST ||
	    comments->u.list.n == 0) {
		if (numbered)
			fprintf(f, "  <no comments>\n");
		return;
	}
	for (i = 0; i < comments->u.list.n; i++) {
		const struct value	*c = comments->u.list.v[i];
		const struct value	*user, *host, *body, *time;
		const char		*p;
		char			*when;
		double			 t = 0;

		user = value_map_get(c, "user");
		host = value_map_get(c, "host");
		body = value_map_get(c, "body");
		time = value_map_get(c, "time");
		value_number(time, &t);
		when = format_time_str((int64_t)t);
		fprintf(f, "  ");
		if (numbered)
			fprintf(f, "[%zu] ", i + 1);
		fprintf(f, "%s", user != NULL && user->type == VALUE_STRING ?
		    cli_field(f, user->u.s) : "");
		if (host != NULL && host->type == VALUE_STRING && *host->u.s != '\0')
			fprintf(f, "@%s", cli_field(f, host->u.s));
		fprintf(f, " %s\n", when);
		free(when);
		if (body == NULL || body->type != VALUE_STRING)
			continue;
		for (p = body->u.s; *p != '\0'; ) {
			size_t	n = strcspn(p, "\n");

			fputs("    ", f);
			cli_write_text(f, p, n);
			fputc('\n', f);
			p += n + (p[n] == '\n');
		}
	}
}

/*
 * guild runs list
 */

enum {
	LIST_ALL = 1,
	LIST_MORE,
	LIST_LIMIT,
	LIST_DELETED,
	LIST_VERBOSE,
	LIST_JSON,
	LIST_COMMENTS,
	LIST_SIMPLIFIED,
	LIST_ARCHIVE,
};

static const struct cmd_option list_options[] = {
	{ LIST_ALL, "a", "all", NULL, "Show all runs (default is 20)." },
	{ LIST_MORE, "m", "more", NULL, "Show 20 more runs (may be repeated)." },
	{ LIST_LIMIT, "n", "limit", "N", "Show the first N runs." },
	{ LIST_DELETED, "d", "deleted", NULL, "Show deleted runs (the trash)." },
	{ LIST_VERBOSE, "v", "verbose", NULL, "Show run details under each run." },
	{ LIST_JSON, NULL, "json", NULL, "Show runs as JSON (all of them unless -n)." },
	{ LIST_COMMENTS, "c", "comments", NULL, "Show comments under each run." },
	{ LIST_SIMPLIFIED, "s", "simplified", NULL, "Show index, operation, status and label only." },
	{ LIST_ARCHIVE, "A", "archive", "PATH", "Show archived runs in PATH (a directory or an archive's name)." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

static int
parse_count(const char *s, const char *what, long *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < 0)
		return cli_error("invalid value for %s: '%s' is not a valid "
		    "count", what, s);
	*out = n;
	return 0;
}

static void
list_json(const struct run_rows *rows, size_t n)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	strbuf_addch(&sb, '[');
	for (i = 0; i < n; i++) {
		const struct run_row	*row = rows->v[i];
		struct value		*o = value_map(), *tags;
		const struct value	*attrs = row->attrs;
		size_t			 j;

		value_map_set(o, "id", value_string(row->id));
		value_map_set(o, "run_dir", value_string(row->dir));
		value_map_set(o, "opref", value_string(row->opref != NULL ?
		    row->opref : ""));
		value_map_set(o, "operation",
		    value_string_or_null(row->op_desc));
		value_map_set(o, "exit_status", row->has_exit_status ?
		    value_int(row->exit_status) : value_null());
		value_map_set(o, "cmd", value_map_get(attrs, "cmd") != NULL ?
		    value_dup(value_map_get(attrs, "cmd")) : value_null());
		value_map_set(o, "comments",
		    value_map_get(attrs, "comments") != NULL ?
		    value_dup(value_map_get(attrs, "comments")) : value_null());
		value_map_set(o, "marked", value_bool(row->marked));
		value_map_set(o, "label", value_string(row->label != NULL ?
		    row->label : ""));
		value_map_set(o, "started", row->started > 0 ?
		    value_int(row->started) : value_null());
		value_map_set(o, "status",
		    value_string(run_status_name(row->status)));
		value_map_set(o, "stopped", row->stopped > 0 ?
		    value_int(row->stopped) : value_null());
		tags = value_list();
		for (j = 0; j < row->tags.n; j++)
			value_list_push(tags, value_string(row->tags.v[j]));
		value_map_set(o, "tags", tags);
		if (i > 0)
			strbuf_addstr(&sb, ", ");
		value_encode_json(&sb, o);
		value_free(o);
	}
	strbuf_addstr(&sb, "]\n");
	/* JSON escapes C0; a terminal is also kept from C1 and bad bytes. */
	cli_write_text(stdout, sb.buf, sb.len);
	strbuf_release(&sb);
}

/*
 * The table as text for stdout, so that details can go under each of
 * its lines.
 */
static char *
table_text(char **cells, size_t rows, size_t ncols)
{
	const char	**shown;
	char		 *buf = NULL;
	size_t		  len = 0, i;
	FILE		 *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return xstrdup("");
	/* cli_table cannot tell that f is going to stdout. */
	shown = xcalloc(rows * ncols + 1, sizeof *shown);
	for (i = 0; i < rows * ncols; i++)
		shown[i] = cli_field(stdout, cells[i]);
	cli_table(f, shown, rows, ncols);
	free(shown);
	fclose(f);
	return buf != NULL ? buf : xstrdup("");
}

/*
 * --archive: the runs of an archive directory are listed through a home
 * of their own, whose index is cached apart from the Guild home's.
 */
static int
list_use_archive(struct cmd_ctx *ctx, struct cmd_args *a, const char *name)
{
	struct guild_home	*home, *arch;
	char			*path, *real, *key;

	if (cmd_arg_has(a, LIST_DELETED))
		return cli_error("--archive and --deleted cannot both be used");
	if ((home = cli_home(ctx)) == NULL)
		return 1;
	if ((path = cmd_archive_path(ctx, name)) == NULL)
		return cli_error("'%s' is not a valid archive - use a path to a "
		    "file/directory or specify an archive name returned by "
		    "'guild archive --list'.", name);
	real = realpath(path, NULL);
	arch = xcalloc(1, sizeof *arch);
	arch->path = path_absolute(path);
	arch->runs = xstrdup(arch->path);
	arch->trash = path_join(arch->path, ".guild-no-trash");
	key = digest_buf(DIGEST_MD5, real != NULL ? real : arch->path,
	    strlen(real != NULL ? real : arch->path));
	arch->cache = xasprintf("%s/archives/%s", home->cache, key);
	free(key);
	free(real);
	free(path);
	/* The command's home from now on; freed with it. */
	home_free(home);
	ctx->home = arch;
	return 0;
}

/* No filter: the listing runindex_snap_page() keeps. */
static bool
list_plain(const struct cmd_args *a)
{
	const struct cmd_option	*o;

	for (o = run_filter_options; o->id != 0; o++)
		if (a->count[o->id] > 0)
			return false;
	return true;
}

/*
 * The plain listing from its snapshot, if it is current: 1; 0 when the
 * index must be asked; -1 (said) without a home.
 */
static int
list_snap(struct cmd_ctx *ctx, struct cmd_args *a, bool other, size_t want,
    struct run_rows *rows, size_t *total)
{
	struct guild_home	*home;

	if (other || !list_plain(a))
		return 0;
	if ((home = cli_home(ctx)) == NULL)
		return -1;
	return runindex_snap_page(home, want, rows, total) == 0;
}

static int
cmd_runs_list_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct runindex		*idx;
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct strvec		 none = STRVEC_INIT;
	bool			 deleted = cmd_arg_has(a, LIST_DELETED);
	bool			 json = cmd_arg_has(a, LIST_JSON);
	bool			 verbose = cmd_arg_has(a, LIST_VERBOSE);
	bool			 comments = cmd_arg_has(a, LIST_COMMENTS);
	bool			 simple = cmd_arg_has(a, LIST_SIMPLIFIED);
	long			 limit = -1;
	size_t			 n, i, ncols, want, total = 0;
	char			**cells, *text, *line;
	int			 rc;

	if (a->pos.n > 0)
		return cli_error("unexpected argument '%s'\n"
		    "Try 'guild runs list --help' for more information.",
		    a->pos.v[0]);
	if (cmd_arg_has(a, LIST_LIMIT) &&
	    parse_count(cmd_arg_value(a, LIST_LIMIT), "--limit", &limit) != 0)
		return 1;
	if ((json && (verbose || comments)) || (verbose && comments))
		return cli_error("--json, --verbose and --comments cannot be "
		    "used together");
	if (cmd_arg_has(a, LIST_ARCHIVE) &&
	    (rc = list_use_archive(ctx, a, cmd_arg_value(a, LIST_ARCHIVE))) != 0)
		return rc;
	if (cmd_arg_has(a, LIST_ALL) && limit >= 0)
		return cli_error("--all and --limit cannot both be used");
	/*
	 * Only the rows shown are loaded: "guild runs" reads 20 rows of the
	 * index however many runs there are. --json lists every run unless
	 * -n is given.
	 */
	if (limit >= 0)
		want = (size_t)limit;
	else if (json || cmd_arg_has(a, LIST_ALL))
		want = 0;
	else
		want = RUNS_PER_GROUP * ((size_t)a->count[LIST_MORE] + 1);
	if (limit == 0) {
		/* -n 0 shows nothing; the index still says how many. */
		want = 1;
	}
	idx = NULL;
	if ((rc = list_snap(ctx, a, deleted || json ||
	    cmd_arg_has(a, LIST_ARCHIVE), want, &rows, &total)) == -1)
		return 1;
	if (rc == 0) {
		if ((rc = cmd_runs_select_page(ctx, a, &none, NULL, deleted,
		    json ? RUNINDEX_ATTRS : 0, want, &idx, &rows,
		    &total)) != 0)
			return rc;
		if (!deleted && !json && !cmd_arg_has(a, LIST_ARCHIVE) &&
		    list_plain(a))
			runindex_snap_save(idx, &rows, total);
	}
	n = limit == 0 ? 0 : rows.n;
	if (limit < 0 && !json && !cmd_arg_has(a, LIST_ALL) && n < total)
		cli_note("Showing the first %zu runs (%zu total) - use --all "
		    "to show all or -m to show more", n, total);
	if (json) {
		list_json(&rows, n);
		goto out;
	}

	ncols = simple ? 4 : CMD_RUNS_ROW_NCOLS;
	cells = xcalloc(n * CMD_RUNS_ROW_NCOLS + 1, sizeof *cells);
	for (i = 0; i < n; i++) {
		char	**c = cells + i * ncols, *tmp[CMD_RUNS_ROW_NCOLS];

		cmd_runs_row_cells(rows.v[i], (long)i, true, tmp);
		if (simple) {
			/* [N]  operation  status  label */
			free(tmp[0]);
			free(tmp[2]);
			c[0] = xasprintf("[%zu]", i);
			c[1] = tmp[1];
			c[2] = tmp[3];
			c[3] = tmp[4];
		} else
			memcpy(c, tmp, sizeof tmp);
	}
	if (!verbose && !comments) {
		cli_table(stdout, (const char *const *)cells, n, ncols);
		cmd_runs_cells_free(cells, n * ncols);
		goto out;
	}
	text = table_text(cells, n, ncols);
	cmd_runs_cells_free(cells, n * ncols);
	line = text;
	for (i = 0; i < n; i++) {
		size_t	len = strcspn(line, "\n");

		printf("%.*s\n", (int)len, line);
		line += len + (line[len] == '\n');
		if (verbose) {
			struct value	*d = cmd_runs_details(rows.v[i]);

			print_details(stdout, "  ", d);
			value_free(d);
		} else {
			struct value	*c = row_attr(rows.v[i], "comments");

			print_comments(stdout, c, false);
			value_free(c);
		}
	}
	free(text);
out:
	warn_bad((const struct run_row *const *)rows.v, n);
	run_rows_release(&rows);
	runindex_close(idx);
	return 0;
}

static const struct cmd_entry cmd_runs_list_entry = {
	.name = "list",
	.aliases = "ls",
	.summary = "List runs.",
	.description =
	    "Runs are listed newest first and numbered from 0: use the numbers\n"
	    "(or id prefixes) to name runs in other commands. Filters apply\n"
	    "before the numbering.",
	.options = list_options,
	.filter_options = run_filter_options,
	.exec = cmd_runs_list_exec,
};

/*
 * guild runs info
 */

enum {
	INFO_OUTPUT = 1,
	INFO_JSON,
	INFO_COMMENTS,
	INFO_ENV,
	INFO_DEPS,
	INFO_MANIFEST,
	INFO_PLUGINS,
	INFO_ALL_SCALARS,
	INFO_PRIVATE_ATTRS,
	INFO_DELETED,
};

static const struct cmd_option info_options[] = {
	{ INFO_COMMENTS, "c", "comments", NULL, "Show the run's comments." },
	{ INFO_ENV, "e", "env", NULL, "Show the run's environment." },
	{ INFO_DEPS, "d", "deps", NULL, "Show the run's resolved dependencies." },
	{ INFO_MANIFEST, "m", "manifest", NULL, "Show the run's manifest." },
	{ INFO_PLUGINS, "p", "plugins", NULL, "Show the run's plugins." },
	{ INFO_ALL_SCALARS, "s", "all-scalars", NULL,
	  "Show first, last, min, max, avg and total of every scalar, sys/ too." },
	{ INFO_JSON, NULL, "json", NULL, "Show the information as JSON." },
	{ INFO_PRIVATE_ATTRS, NULL, "private-attrs", NULL,
	  "Show the run's opref, op and private attributes too." },
	{ INFO_OUTPUT, "O", "output", NULL, "Show the run's output." },
	{ INFO_DELETED, NULL, "deleted", NULL, "Show a deleted run." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

/* The attrs that are the run's own; the rest are "attributes". */
static const char *const core_attrs[] = {
	"cmd", "comments", "compare", "deps", "env", "exit_status", "flags",
	"host", "id", "initialized", "label", "marked", "objective", "op",
	"pip_freeze", "platform", "plugins", "random_seed", "run_params",
	"sourcecode_digest", "started", "stopped", "tags", "user",
	"user_flags", "vcs_commit", "r_sys_info", "r_packages_loaded",
};

static bool
is_core_attr(const char *name)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(core_attrs); i++)
		if (strcmp(core_attrs[i], name) == 0)
			return true;
	return false;
}

static int
str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
key_natcmp(const void *a, const void *b)
{
	return natcmp(*(char *const *)a, *(char *const *)b);
}

/* Scalar keys as Guild sorts them: by (prefix, tag) of "prefix#tag". */
static int
scalar_key_cmp(const void *a, const void *b)
{
	const char	*x = *(char *const *)a, *y = *(char *const *)b;
	const char	*hx = strchr(x, '#'), *hy = strchr(y, '#');
	size_t		 px = hx != NULL ? (size_t)(hx - x) : 0;
	size_t		 py = hy != NULL ? (size_t)(hy - y) : 0;
	int		 c;

	c = strncmp(x, y, px < py ? px : py);
	if (c == 0 && px != py)
		c = px < py ? -1 : 1;
	if (c != 0)
		return c;
	return strcmp(hx != NULL ? hx + 1 : x, hy != NULL ? hy + 1 : y);
}

struct info_output {
	struct strbuf	*sb;
	struct value	*lines;		/* JSON: a list */
	bool		 colour;
};

static void
info_output_line(const struct output_line *line, void *arg)
{
	struct info_output	*io = arg;

	if (io->lines != NULL) {
		value_list_push(io->lines, value_string_n(line->text, line->len));
		return;
	}
	strbuf_addstr(io->sb, "  ");
	/* Cooked text: the run's own escape sequences never get through. */
	if (io->colour)
		output_line_render(line, io->sb);
	else
		strbuf_add(io->sb, line->text, line->len);
	strbuf_addch(io->sb, '\n');
}

/* A scalar's value and step: [value, step] in JSON, else Guild's text. */
static struct value *
scalar_val(double value, long long step, bool json)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*v;

	if (json) {
		v = value_list();
		value_list_push(v, isnan(value) ? value_null() :
		    value_float(value));
		value_list_push(v, value_int(step));
		return v;
	}
	format_scalar_step(&sb, value, step);
	v = value_string(sb.buf);
	strbuf_release(&sb);
	return v;
}

/*
 * Scalars as Guild's _scalar_info gives them: the last value and step of
 * each, or with -s every statistic (avg and total with the count as their
 * step); sys/ scalars only with -s.
 */
static struct value *
info_scalars(const struct run_row *row, bool all, bool json)
{
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	struct value		*m = value_map(), *sv;
	const char		**keys;
	char			*cause = NULL;
	size_t			 i;

	if (scalars_summary_read(row->dir, 0, &sum, &cause) == -1) {
		/* Unreadable scalars do not hide the rest of the run. */
		warnx_core("%s", cause);
		free(cause);
	}
	keys = xcalloc(sum.n + 1, sizeof *keys);
	for (i = 0; i < sum.n; i++)
		keys[i] = sum.v[i].key;
	qsort(keys, sum.n, sizeof *keys, scalar_key_cmp);
	for (i = 0; i < sum.n; i++) {
		const struct scalar_stats	*s;
		const char			*tag;

		s = scalars_summary_find(&sum, keys[i]);
		tag = strchr(s->key, '#') != NULL ? strchr(s->key, '#') + 1 :
		    s->key;
		if (!all && str_starts_with(tag, "sys/"))
			continue;
		if (!all) {
			value_map_set(m, s->key, scalar_val(s->last.value,
			    s->last.step, json));
			continue;
		}
		/* PyYAML's order when shown as text; Guild's keys either way. */
		sv = value_map();
		value_map_set(sv, "avg", scalar_val(s->count > 0 ?
		    s->total / (double)s->count : NAN, (long long)s->count, json));
		value_map_set(sv, "first", scalar_val(s->first.value,
		    s->first.step, json));
		value_map_set(sv, "last", scalar_val(s->last.value,
		    s->last.step, json));
		value_map_set(sv, "max", scalar_val(s->max.value, s->max.step,
		    json));
		value_map_set(sv, "min", scalar_val(s->min.value, s->min.step,
		    json));
		value_map_set(sv, "total", scalar_val(s->total,
		    (long long)s->count, json));
		value_map_set(m, s->key, sv);
	}
	free(keys);
	scalars_summary_release(&sum);
	return m;
}

/* A map attr of the run, or an empty map. */
static struct value *
attr_map(const struct run_row *row, const char *name)
{
	struct value	*v = row_attr(row, name);

	if (v == NULL || v->type != VALUE_MAP) {
		value_free(v);
		return value_map();
	}
	return v;
}

/*
 * "attributes": what the operation declares (opdef_attrs) and what the
 * run logged (output-attrs, guild.summary: its *.attrs event files),
 * less the core attrs; private ones (_name) only when asked.
 */
static struct value *
info_attributes(const struct run_row *row, bool private_attrs)
{
	struct value	*opdef = attr_map(row, "opdef_attrs"), *m = value_map();
	struct value	*logged = scalars_logged_attrs(row->dir);
	const struct value *src[2] = { opdef, logged };
	size_t		 i, k;

	for (k = 0; k < ARRAY_SIZE(src); k++) {
		for (i = 0; i < src[k]->u.map.n; i++) {
			const char	*name = src[k]->u.map.k[i];

			if (is_core_attr(name) ||
			    (!private_attrs && *name == '_'))
				continue;
			value_map_set(m, name, value_dup(src[k]->u.map.v[i]));
		}
	}
	value_free(opdef);
	value_free(logged);
	return m;
}

/* Comments as Guild gives them to --json: time formatted, body trimmed. */
static struct value *
info_comments_json(const struct run_row *row)
{
	struct value	*comments = row_attr(row, "comments"), *l = value_list();
	size_t		 i;

	for (i = 0; comments != NULL && comments->type == VALUE_LIST &&
	    i < comments->u.list.n; i++) {
		const struct value	*c = comments->u.list.v[i];
		const struct value	*user, *host, *body;
		struct value		*o = value_map();
		double			 t = 0;
		char			*s;

		user = value_map_get(c, "user");
		host = value_map_get(c, "host");
		body = value_map_get(c, "body");
		value_number(value_map_get(c, "time"), &t);
		value_map_set(o, "user", value_string(user != NULL &&
		    user->type == VALUE_STRING ? user->u.s : ""));
		value_map_set(o, "host", value_string(host != NULL &&
		    host->type == VALUE_STRING ? host->u.s : ""));
		s = format_time_str((int64_t)t);
		value_map_set(o, "time", value_string(s));
		free(s);
		s = str_trim(body != NULL && body->type == VALUE_STRING ?
		    body->u.s : "");
		value_map_set(o, "body", value_string(s));
		free(s);
		value_list_push(l, o);
	}
	value_free(comments);
	return l;
}

/* The manifest (.guild/manifest): its paths by kind, each list sorted. */
static struct value *
info_manifest(const struct run_row *row)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct strvec	 src = STRVEC_INIT, deps = STRVEC_INIT;
	struct value	*m = value_map(), *l;
	char		*path = path_join(row->dir, ".guild/manifest");
	const char	*p;
	size_t		 i;

	if (file_read_regular(AT_FDCWD, path, FILE_NOFOLLOW, FILE_MANIFEST_MAX,
	    &sb, NULL, NULL) == 0) {
		for (p = sb.buf; *p != '\0'; ) {
			size_t		 n = strcspn(p, "\n");
			char		*line = xstrndup(p, n);
			struct strvec	 f = STRVEC_INIT;

			if (shlex_split(line, &f, NULL) == 0 && f.n >= 2) {
				if (strcmp(f.v[0], "s") == 0)
					strvec_push(&src, f.v[1]);
				else if (strcmp(f.v[0], "d") == 0)
					strvec_push(&deps, f.v[1]);
			}
			strvec_clear(&f);
			free(line);
			p += n + (p[n] == '\n');
		}
	}
	strbuf_release(&sb);
	free(path);
	/* Guild: "sourcecode" and "dependencies" in the order first seen. */
	if (src.n > 0) {
		qsort(src.v, src.n, sizeof *src.v, str_ptr_cmp);
		l = value_list();
		for (i = 0; i < src.n; i++)
			value_list_push(l, value_string(src.v[i]));
		value_map_set(m, "sourcecode", l);
	}
	if (deps.n > 0) {
		qsort(deps.v, deps.n, sizeof *deps.v, str_ptr_cmp);
		l = value_list();
		for (i = 0; i < deps.n; i++)
			value_list_push(l, value_string(deps.v[i]));
		value_map_set(m, "dependencies", l);
	}
	strvec_clear(&src);
	strvec_clear(&deps);
	return m;
}

/* Write text (one line or several) indented, kept from the terminal. */
static void
print_indented(const char *indent, const char *text)
{
	const char	*p;

	for (p = text; *p != '\0'; ) {
		size_t	n = strcspn(p, "\n");

		fputs(indent, stdout);
		cli_write_text(stdout, p, n);
		fputc('\n', stdout);
		p += n + (p[n] == '\n');
	}
}

static void
print_flag_val(const char *prefix, const char *name, const struct value *v)
{
	struct strbuf	sb = STRBUF_INIT;

	value_format_flag(&sb, v);
	if (name != NULL)
		printf("%s%s: %s\n", prefix, cli_field(stdout, name),
		    cli_field(stdout, sb.buf));
	else
		printf("%s%s\n", prefix, cli_field(stdout, sb.buf));
	strbuf_release(&sb);
}

/*
 * One section as Guild's _print_run_info_ordered prints it: a list item
 * per "  - " line (a map's items under "  -"), a map's items natsorted
 * (sorted is false for scalars, already in Guild's order) with lists
 * and maps under them in YAML, anything else on the name's line.
 */
static void
print_section(const char *name, const struct value *v, bool sorted)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		**keys;
	size_t		 i, j;

	if (v->type == VALUE_LIST) {
		printf("%s:\n", name);
		for (i = 0; i < v->u.list.n; i++) {
			const struct value	*item = v->u.list.v[i];

			if (item->type != VALUE_MAP) {
				print_flag_val("  - ", NULL, item);
				continue;
			}
			printf("  -\n");
			keys = xcalloc(item->u.map.n + 1, sizeof *keys);
			if (item->u.map.n > 0)
				memcpy(keys, item->u.map.k,
				    item->u.map.n * sizeof *keys);
			qsort(keys, item->u.map.n, sizeof *keys, str_ptr_cmp);
			for (j = 0; j < item->u.map.n; j++) {
				const struct value	*iv;

				iv = value_map_get(item, keys[j]);
				if (iv->type == VALUE_STRING &&
				    strchr(iv->u.s, '\n') != NULL) {
					char	*t = str_trim(iv->u.s);

					printf("    %s: |\n",
					    cli_field(stdout, keys[j]));
					print_indented("      ", t);
					free(t);
				} else
					print_flag_val("    ", keys[j], iv);
			}
			free(keys);
		}
		return;
	}
	if (v->type != VALUE_MAP) {
		if (v->type == VALUE_STRING)
			print_kv(stdout, "", name, v->u.s);
		else {
			value_format_flag(&sb, v);
			print_kv(stdout, "", name, sb.buf);
		}
		strbuf_release(&sb);
		return;
	}
	printf("%s:\n", name);
	keys = xcalloc(v->u.map.n + 1, sizeof *keys);
	if (v->u.map.n > 0)
		memcpy(keys, v->u.map.k, v->u.map.n * sizeof *keys);
	if (sorted)
		qsort(keys, v->u.map.n, sizeof *keys, key_natcmp);
	for (i = 0; i < v->u.map.n; i++) {
		const struct value	*iv = value_map_get(v, keys[i]);

		if (iv->type == VALUE_LIST) {
			printf("  %s:\n", cli_field(stdout, keys[i]));
			for (j = 0; j < iv->u.list.n; j++)
				print_flag_val("    - ", NULL, iv->u.list.v[j]);
		} else if (iv->type == VALUE_MAP) {
			printf("  %s:\n", cli_field(stdout, keys[i]));
			strbuf_reset(&sb);
			value_encode_yaml(&sb, iv);
			strbuf_rtrim(&sb);
			print_indented("    ", sb.buf);
		} else
			print_flag_val("  ", keys[i], iv);
	}
	free(keys);
	strbuf_release(&sb);
}

/* The run's output, cooked; -1 with cause when it cannot be read. */
static int
info_output(const struct run_row *row, struct value *json, char **cause)
{
	struct strbuf		sb = STRBUF_INIT;
	struct info_output	io = { .sb = &sb };

	if (json != NULL)
		io.lines = value_list();
	else
		io.colour = cli_tty(stdout) && getenv("NO_COLOR") == NULL;
	if (output_read(row->dir, info_output_line, &io, cause) == -1) {
		value_free(io.lines);
		strbuf_release(&sb);
		return -1;
	}
	if (json != NULL)
		value_map_set(json, "output", io.lines);
	else {
		printf("output:\n");
		fwrite(sb.buf, 1, sb.len, stdout);
	}
	strbuf_release(&sb);
	return 0;
}

/*
 * What Guild's _run_info_data gathers, in its order: the details (with
 * opref and op for --private-attrs), tags, flags, scalars, attributes
 * when there are any, then what the options ask for. Our --output comes
 * last, as the walkthrough shows it.
 */
static struct value *
info_data(const struct run_row *row, struct cmd_args *a, bool json)
{
	struct value	*data = cmd_runs_details(row), *v;
	size_t		 i;

	if (cmd_arg_has(a, INFO_PRIVATE_ATTRS)) {
		value_map_set(data, "opref", value_string(row->opref != NULL ?
		    row->opref : ""));
		v = row_attr(row, "op");
		value_map_set(data, "op", v != NULL ? v : value_null());
	}
	v = value_list();
	for (i = 0; i < row->tags.n; i++)
		value_list_push(v, value_string(row->tags.v[i]));
	value_map_set(data, "tags", v);
	value_map_set(data, "flags", attr_map(row, "flags"));
	value_map_set(data, "scalars", info_scalars(row,
	    cmd_arg_has(a, INFO_ALL_SCALARS), json));
	v = info_attributes(row, cmd_arg_has(a, INFO_PRIVATE_ATTRS));
	if (v->u.map.n > 0)
		value_map_set(data, "attributes", v);
	else
		value_free(v);
	if (cmd_arg_has(a, INFO_COMMENTS))
		value_map_set(data, "comments", json ? info_comments_json(row) :
		    value_null());
	if (cmd_arg_has(a, INFO_ENV))
		value_map_set(data, "environment", attr_map(row, "env"));
	if (cmd_arg_has(a, INFO_MANIFEST))
		value_map_set(data, "manifest", info_manifest(row));
	if (cmd_arg_has(a, INFO_DEPS))
		value_map_set(data, "dependencies", attr_map(row, "deps"));
	if (cmd_arg_has(a, INFO_PLUGINS)) {
		v = row_attr(row, "plugins");
		if (v == NULL || v->type != VALUE_LIST) {
			value_free(v);
			v = value_list();
		}
		value_map_set(data, "plugins", v);
	}
	return data;
}

static int
info_print(const struct run_row *row, struct cmd_args *a)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*data;
	char		*cause = NULL;
	bool		 json = cmd_arg_has(a, INFO_JSON);
	size_t		 i, ndetails;

	data = info_data(row, a, json);
	if (json) {
		if (cmd_arg_has(a, INFO_OUTPUT) &&
		    info_output(row, data, &cause) == -1) {
			value_free(data);
			return cli_error_cause(cause);
		}
		value_encode_json(&sb, data);
		printf("%s\n", cli_text(stdout, sb.buf));
		strbuf_release(&sb);
		value_free(data);
		return 0;
	}
	/* The details are one line each, as "runs list -v" shows them. */
	for (ndetails = 0; ndetails < data->u.map.n; ndetails++)
		if (strcmp(data->u.map.k[ndetails], "tags") == 0)
			break;
	for (i = 0; i < data->u.map.n; i++) {
		const char		*k = data->u.map.k[i];
		const struct value	*v = data->u.map.v[i];

		if (i < ndetails && v->type != VALUE_MAP) {
			struct value	*one = value_map();

			value_map_set(one, k, value_dup(v));
			print_details(stdout, "", one);
			value_free(one);
		} else if (strcmp(k, "comments") == 0) {
			struct value	*c = row_attr(row, "comments");

			printf("comments:\n");
			print_comments(stdout, c, true);
			value_free(c);
		} else
			print_section(k, v, strcmp(k, "scalars") != 0);
	}
	value_free(data);
	if (cmd_arg_has(a, INFO_OUTPUT) &&
	    info_output(row, NULL, &cause) == -1)
		return cli_error_cause(cause);
	return 0;
}

static int
cmd_runs_info_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct runindex	*idx;
	struct run_row	*row;
	int		 rc;

	if ((rc = cmd_runs_select_one(ctx, a, cmd_arg_has(a, INFO_DELETED), 0,
	    &idx, &row)) != 0)
		return rc;
	rc = info_print(row, a);
	warn_bad((const struct run_row *const *)&row, 1);
	run_row_free(row);
	runindex_close(idx);
	return rc;
}

const struct cmd_entry cmd_runs_info_entry = {
	.name = "info",
	.usage = "[RUN]",
	.summary = "Show run information.",
	.description =
	    "RUN is a run index (0 is the newest run) or an id prefix; it\n"
	    "defaults to the newest run that the filters select.",
	.options = info_options,
	.filter_options = run_filter_options,
	.exec = cmd_runs_info_exec,
};

/*
 * Stopping runs (runops.c: TERM to the operation's process group, KILL
 * when forced), then a moment for the supervisor to record the exit
 * status, so that what follows (a listing, the move to the trash) sees
 * the run's final status. A run whose supervisor died never gets one.
 */
/* Whether the run is a Slurm job that has not ended. */
static bool
slurm_job_live(const struct run *run)
{
	char			*job = slurm_run_job(run);
	enum run_status		 st;

	if (job == NULL)
		return false;
	free(job);
	st = run_get_status(run);
	return st == RUN_STATUS_PENDING || st == RUN_STATUS_RUNNING ||
	    st == RUN_STATUS_STAGED;
}

static void
wait_supervisor(const struct run *run)
{
	const struct timespec	 tick = { 0, 20 * 1000 * 1000 };
	uint64_t		 start = mono_ms();
	char			*lock = run_guild_path(run, "LOCK");

	/* It writes exit_status and stopped, then removes LOCK. */
	while (path_exists(lock) && mono_ms() - start < SUPERVISOR_WAIT_MS)
		nanosleep(&tick, NULL);
	free(lock);
}

/*
 * Stop one run. Returns 0, or -1 when it is still alive after everything
 * (its pid appended to alive).
 */
static int
stop_one(const struct run_row *row, bool wait, unsigned timeout_ms,
    bool force, struct strvec *alive)
{
	struct run	*run;
	pid_t		 pid;
	char		*cause = NULL;
	int		 rc = 0;

	if ((run = run_open(row->dir, &cause)) == NULL) {
		warnx_core("%s", cause);
		free(cause);
		return 0;
	}
	/* A Slurm job (waiting or running): scancel, whatever the LOCK. */
	if (slurm_job_live(run)) {
		rc = cli_remote_stop(run, wait, timeout_ms);
		run_free(run);
		return rc == -1 ? -1 : 0;
	}
	pid = run_lock_pid(run);
	if (pid <= 0 || !run_lock_alive(run)) {
		printf("Run %s is not running\n", cli_field(stdout, row->id));
		run_free(run);
		return 0;
	}
	cli_note("Stopping %s (pid %ld)", row->id, (long)pid);
	if (!wait)
		rc = run_signal(run, SIGTERM, &cause);
	else if ((rc = run_stop(run, timeout_ms, force, &cause)) == 0)
		wait_supervisor(run);
	if (rc == -1) {
		/* Gone in the meantime is what was asked for. */
		if (run_lock_alive(run))
			strvec_pushf(alive, "%ld", (long)pid);
		else
			rc = 0;
		free(cause);
	}
	run_free(run);
	return rc;
}

/*
 * guild runs delete / rm, restore, purge
 */

enum {
	RM_YES = 1,
	RM_PERMANENT,
};

static const struct cmd_option delete_options[] = {
	{ RM_YES, "y", "yes", NULL, "Do not prompt." },
	{ RM_PERMANENT, "p", "permanent", NULL,
	  "Delete permanently instead of moving runs to the trash." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

static const struct cmd_option yes_options[] = {
	{ RM_YES, "y", "yes", NULL, "Do not prompt." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

static int
cmd_runs_delete_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const struct cmd_runs_op	 op = { "Nothing to delete.", true };
	static const struct cmd_runs_op	 op_p = { "Nothing to delete.", false };
	struct runindex			*idx;
	struct run_rows			 rows = RUN_ROWS_INIT;
	struct strvec			 alive = STRVEC_INIT;
	bool				 permanent = cmd_arg_has(a, RM_PERMANENT);
	bool				 yes = cmd_arg_has(a, RM_YES);
	bool				 running = false;
	size_t				 i, done = 0;
	char				*q, *cause = NULL;
	int				 rc;

	if ((rc = cmd_runs_select(ctx, a, NULL, ":", false, 0, &idx,
	    &rows)) != 0)
		return rc;
	q = xasprintf("%s %zu run(s)?", permanent ? "Permanently delete" :
	    "Delete", rows.n);
	if (!cmd_runs_op_start(permanent ? &op_p : &op, &rows, yes, permanent ?
	    "WARNING: You are about to permanently delete the following runs:" :
	    "You are about to delete the following runs:", q))
		goto out;
	for (i = 0; i < rows.n; i++)
		if (rows.v[i]->status == RUN_STATUS_RUNNING)
			running = true;
	if (running && !yes) {
		cli_note("WARNING: One or more runs are still running and "
		    "will be stopped before being deleted.");
		if (!cli_confirm("Really delete these runs?", false))
			goto out;
	}
	for (i = 0; i < rows.n; i++) {
		const struct run_row	*row = rows.v[i];

		if (row->status == RUN_STATUS_RUNNING)
			stop_one(row, true, DELETE_STOP_TIMEOUT_MS, true, &alive);
		if (permanent)
			rc = run_remove(ctx->home, row->id, &cause);
		else
			rc = run_trash(ctx->home, row->id, &cause);
		if (rc == -1) {
			cli_error_cause(cause);
			cause = NULL;
			continue;
		}
		done++;
		index_forget(idx, row->id);
		if (!permanent)
			cmd_runs_index_update(idx, row->id, true);
	}
	rc = done == rows.n ? 0 : 1;
	cli_note("%s %zu run(s)", permanent ? "Permanently deleted" : "Deleted",
	    done);
out:
	free(q);
	strvec_clear(&alive);
	run_rows_release(&rows);
	runindex_close(idx);
	return rc;
}

static const struct cmd_entry cmd_runs_delete_entry = {
	.name = "delete",
	.aliases = "rm",
	.usage = "[RUN...]",
	.summary = "Delete one or more runs.",
	.description =
	    "Deleted runs go to the trash, from where 'guild runs restore' brings\n"
	    "them back and 'guild runs purge' removes them for good. Without RUN,\n"
	    "every run the filters select is deleted (after the question).\n"
	    "Running runs are stopped first.",
	.options = delete_options,
	.filter_options = run_filter_options,
	.exec = cmd_runs_delete_exec,
};

/*
 * restore and purge: the same steps over the trash, with a different
 * action and words.
 */
struct trash_op {
	struct cmd_runs_op	  op;
	const char	 *intro;
	const char	 *verb;		/* "Restore": "Restore N run(s)?" */
	const char	 *done;		/* "Restored": "Restored N run(s)" */
	int		(*action)(const struct guild_home *, const char *id,
			    char **cause);
	bool		  back_to_runs;	/* the run is in runs/ afterwards */
};

static int
trash_op_exec(struct cmd_ctx *ctx, struct cmd_args *a,
    const struct trash_op *t)
{
	struct runindex	*idx;
	struct run_rows	 rows = RUN_ROWS_INIT;
	size_t		 i, done = 0;
	char		*q, *cause = NULL;
	int		 rc;

	if ((rc = cmd_runs_select(ctx, a, NULL, ":", true, 0, &idx,
	    &rows)) != 0)
		return rc;
	q = xasprintf("%s %zu run(s)?", t->verb, rows.n);
	if (!cmd_runs_op_start(&t->op, &rows, cmd_arg_has(a, RM_YES), t->intro, q))
		goto out;
	for (i = 0; i < rows.n; i++) {
		const struct run_row	*row = rows.v[i];

		if (t->action(ctx->home, row->id, &cause) == -1) {
			cli_error_cause(cause);
			cause = NULL;
			continue;
		}
		done++;
		index_forget(idx, row->id);
		if (t->back_to_runs)
			cmd_runs_index_update(idx, row->id, false);
	}
	rc = done == rows.n ? 0 : 1;
	cli_note("%s %zu run(s)", t->done, done);
out:
	free(q);
	run_rows_release(&rows);
	runindex_close(idx);
	return rc;
}

static int
cmd_runs_restore_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const struct trash_op	t = {
		.op = { "Nothing to restore.", true },
		.intro = "You are about to restore the following runs:",
		.verb = "Restore",
		.done = "Restored",
		.action = run_restore,
		.back_to_runs = true,
	};

	return trash_op_exec(ctx, a, &t);
}

static const struct cmd_entry cmd_runs_restore_entry = {
	.name = "restore",
	.usage = "[RUN...]",
	.summary = "Restore deleted runs.",
	.description =
	    "RUN indexes and ids refer to the deleted runs, as 'guild runs -d'\n"
	    "lists them. Without RUN, every deleted run the filters select is\n"
	    "restored (after the question).",
	.options = yes_options,
	.filter_options = run_filter_options,
	.exec = cmd_runs_restore_exec,
};

static int
cmd_runs_purge_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const struct trash_op	t = {
		.op = { "Nothing to purge.", false },
		.intro = "WARNING: You are about to permanently delete the "
		    "following runs:",
		.verb = "Permanently delete",
		.done = "Permanently deleted",
		.action = run_purge,
	};

	return trash_op_exec(ctx, a, &t);
}

static const struct cmd_entry cmd_runs_purge_entry = {
	.name = "purge",
	.usage = "[RUN...]",
	.summary = "Permanently delete runs from the trash.",
	.description =
	    "RUN indexes and ids refer to the deleted runs, as 'guild runs -d'\n"
	    "lists them. Without RUN, every deleted run the filters select is\n"
	    "purged (after the question).",
	.options = yes_options,
	.filter_options = run_filter_options,
	.exec = cmd_runs_purge_exec,
};

/*
 * guild comment
 */

enum {
	COMMENT_LIST = 1,
	COMMENT_ADD,
	COMMENT_EDIT,
	COMMENT_DELETE,
	COMMENT_CLEAR,
	COMMENT_USER,
	COMMENT_YES,
};

static const struct cmd_option comment_options[] = {
	{ COMMENT_LIST, "l", "list", NULL, "List the runs' comments." },
	{ COMMENT_ADD, "a", "add", "TEXT", "Add a comment." },
	{ COMMENT_EDIT, "e", "edit", NULL,
	  "Write the comment in an editor ($VISUAL, $EDITOR, else vi)." },
	{ COMMENT_DELETE, "d", "delete", "INDEX",
	  "Delete comment INDEX (1 is the first, as --list numbers them)." },
	{ COMMENT_CLEAR, "c", "clear", NULL, "Delete every comment." },
	{ COMMENT_USER, "u", "user", "USER[@HOST]",
	  "Comment as USER (default: the current user and host)." },
	{ COMMENT_YES, "y", "yes", NULL, "Do not prompt." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

struct comment_change {
	const char	*body;
	const char	*user;
	const char	*host;
	long		 delete_index;	/* 1-based; 0: not deleting */
	bool		 clear;
	int64_t		 time;
};

static int
comment_change(struct run *run, const struct run_row *row UNUSED, void *arg,
    char **cause)
{
	struct comment_change	*cc = arg;
	struct value		*comments = NULL;
	size_t			 i;
	int			 rc;

	if (cc->clear)
		return run_attr_delete(run, "comments", cause);
	if (cc->delete_index <= 0)
		return run_comment_add(run, cc->body, cc->user, cc->host,
		    cc->time, cause);
	if (run_attr_read(run, "comments", &comments, cause) == -1)
		return -1;
	if (comments == NULL || comments->type != VALUE_LIST) {
		value_free(comments);
		comments = value_list();
	}
	/* A missing index is not an error (Guild, which writes the list). */
	i = (size_t)cc->delete_index - 1;
	if (i < comments->u.list.n) {
		value_free(comments->u.list.v[i]);
		memmove(comments->u.list.v + i, comments->u.list.v + i + 1,
		    (comments->u.list.n - i - 1) * sizeof *comments->u.list.v);
		comments->u.list.n--;
	}
	rc = run_attr_write(run, "comments", comments, cause);
	value_free(comments);
	return rc;
}

/*
 * The comment from an editor: the text of a temporary file after
 * $VISUAL/$EDITOR (else vi) ran on it, without '#' lines.
 */
static int
comment_from_editor(const char *initial, const struct run_rows *rows,
    char **out)
{
	const char	*editor, *tmpdir = getenv("TMPDIR");
	struct strbuf	 sb = STRBUF_INIT, text = STRBUF_INIT;
	char		*path, *cause = NULL, *cmd, **cells, *table;
	const char	*p, *argv[] = { "/bin/sh", "-c", NULL, "sh", NULL, NULL };
	struct proc_spec spec = {
		.argv = argv,
		.mode = PROC_INHERIT,
		.ignore = proc_terminal_signals,
	};
	size_t		 i;
	int		 fd, rc, code;

	*out = NULL;
	if ((editor = getenv("VISUAL")) == NULL || *editor == '\0')
		if ((editor = getenv("EDITOR")) == NULL || *editor == '\0')
			editor = "vi";
	path = xasprintf("%s/guild-comment-XXXXXX",
	    tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp");
	if ((fd = mkstemp(path)) == -1) {
		cli_error("cannot create a temporary file: %s", strerror(errno));
		free(path);
		return 1;
	}
	strbuf_addf(&sb, "%s\n"
	    "# Type a comment for the runs below. Lines starting with '#' are\n"
	    "# ignored. An empty comment aborts the command.\n#\n# Runs:\n",
	    initial != NULL ? initial : "");
	cells = xcalloc(rows->n * CMD_RUNS_ROW_NCOLS + 1, sizeof *cells);
	for (i = 0; i < rows->n; i++)
		cmd_runs_row_cells(rows->v[i], -1, true, cells + i * CMD_RUNS_ROW_NCOLS);
	table = table_text(cells, rows->n, CMD_RUNS_ROW_NCOLS);
	cmd_runs_cells_free(cells, rows->n * CMD_RUNS_ROW_NCOLS);
	for (p = table; *p != '\0'; ) {
		size_t	n = strcspn(p, "\n");

		strbuf_addf(&sb, "#   %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	free(table);
	if (write(fd, sb.buf, sb.len) != (ssize_t)sb.len) {
		close(fd);
		unlink(path);
		free(path);
		strbuf_release(&sb);
		return cli_error("cannot write a temporary file");
	}
	close(fd);
	strbuf_release(&sb);

	cmd = xasprintf("%s \"$1\"", editor);
	argv[2] = cmd;
	argv[4] = path;
	rc = proc_run(&spec, NULL, NULL, &code, &cause);
	free(cmd);
	free(cause);
	cause = NULL;
	if (rc == -1 || code != 0) {
		unlink(path);
		free(path);
		return cli_error("the editor (%s) failed", editor);
	}
	if (strbuf_read_file(&sb, path, &cause) == -1) {
		unlink(path);
		free(path);
		return cli_error_cause(cause);
	}
	unlink(path);
	free(path);
	for (p = sb.buf; *p != '\0'; ) {
		size_t	n = strcspn(p, "\n");

		if (*p != '#') {
			strbuf_add(&text, p, n);
			strbuf_addch(&text, '\n');
		}
		p += n + (p[n] == '\n');
	}
	strbuf_release(&sb);
	*out = str_trim(text.buf);
	strbuf_release(&text);
	return 0;
}

static int
comment_list(const struct run_rows *rows)
{
	char	**cells, *text, *line;
	size_t	  i;

	cells = xcalloc(rows->n * CMD_RUNS_ROW_NCOLS + 1, sizeof *cells);
	for (i = 0; i < rows->n; i++)
		cmd_runs_row_cells(rows->v[i], -1, true, cells + i * CMD_RUNS_ROW_NCOLS);
	text = table_text(cells, rows->n, CMD_RUNS_ROW_NCOLS);
	cmd_runs_cells_free(cells, rows->n * CMD_RUNS_ROW_NCOLS);
	line = text;
	for (i = 0; i < rows->n; i++) {
		size_t		 len = strcspn(line, "\n");
		struct value	*c = row_attr(rows->v[i], "comments");

		printf("%.*s\n", (int)len, line);
		line += len + (line[len] == '\n');
		print_comments(stdout, c, true);
		value_free(c);
	}
	free(text);
	return 0;
}

static int
cmd_comment_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const struct cmd_runs_op	 op = { "No runs to modify.", true };
	static const struct cmd_runs_op	 op_clear = { "No runs to modify.", false };
	struct comment_change		 cc;
	struct runindex			*idx;
	struct run_rows			 rows = RUN_ROWS_INIT;
	char				*body = NULL, *user = NULL, *host = NULL;
	char				*intro = NULL;
	const char			*at;
	int				 rc, actions;
	size_t				 done;
	bool				 yes = cmd_arg_has(a, COMMENT_YES);

	memset(&cc, 0, sizeof cc);
	actions = cmd_arg_has(a, COMMENT_LIST) + cmd_arg_has(a, COMMENT_ADD) +
	    cmd_arg_has(a, COMMENT_DELETE) + cmd_arg_has(a, COMMENT_CLEAR);
	if (actions > 1 || (cmd_arg_has(a, COMMENT_EDIT) &&
	    (cmd_arg_has(a, COMMENT_LIST) || cmd_arg_has(a, COMMENT_DELETE) ||
	    cmd_arg_has(a, COMMENT_CLEAR))))
		return cli_error("use only one of --list, --add/--edit, "
		    "--delete and --clear");
	if (cmd_arg_has(a, COMMENT_DELETE)) {
		long	n;

		if (parse_count(cmd_arg_value(a, COMMENT_DELETE), "--delete",
		    &n) != 0)
			return 1;
		if (n < 1)
			return cli_error("invalid value for --delete: comments "
			    "are numbered from 1");
		cc.delete_index = n;
	}
	if ((rc = cmd_runs_select(ctx, a, NULL, "0", false, 0, &idx,
	    &rows)) != 0)
		return rc;

	if (cmd_arg_has(a, COMMENT_LIST)) {
		if (rows.n == 0)
			cli_note("No matching runs\n"
			    "Try 'guild runs list' to list available runs.");
		else
			comment_list(&rows);
		goto out;
	}
	if (cmd_arg_has(a, COMMENT_CLEAR)) {
		cc.clear = true;
		if (cmd_runs_op_start(&op_clear, &rows, yes, "WARNING: You are about "
		    "to delete ALL comments from the following runs:",
		    "Continue?")) {
			rc = cmd_runs_change(idx, &rows, comment_change, &cc, &done);
			cli_note("Deleted all comments for %zu run(s)", done);
		}
		goto out;
	}
	if (cc.delete_index > 0) {
		intro = xasprintf("You are about to delete comment %ld from the "
		    "following runs:", cc.delete_index);
		if (cmd_runs_op_start(&op, &rows, yes, intro, "Continue?")) {
			rc = cmd_runs_change(idx, &rows, comment_change, &cc, &done);
			cli_note("Deleted comment for %zu run(s)", done);
		}
		goto out;
	}

	/* Adding: -a TEXT, else (or with -e) an editor, as Guild does. */
	if (rows.n == 0) {
		cmd_runs_op_start(&op, &rows, yes, NULL, NULL);
		goto out;
	}
	if (cmd_arg_has(a, COMMENT_ADD) && !cmd_arg_has(a, COMMENT_EDIT))
		body = str_trim(cmd_arg_value(a, COMMENT_ADD));
	else if (!isatty(STDIN_FILENO) && !cmd_arg_has(a, COMMENT_EDIT)) {
		rc = cli_error("specify a comment with --add TEXT (without it "
		    "the comment is written in an editor, which needs a "
		    "terminal)");
		goto out;
	} else if ((rc = comment_from_editor(cmd_arg_value(a, COMMENT_ADD),
	    &rows, &body)) != 0)
		goto out;
	if (*body == '\0') {
		cli_note("Aborting due to an empty comment.");
		rc = 1;
		goto out;
	}
	if (cmd_arg_has(a, COMMENT_USER)) {
		const char	*u = cmd_arg_value(a, COMMENT_USER);

		if ((at = strchr(u, '@')) != NULL) {
			user = xstrndup(u, (size_t)(at - u));
			host = xstrdup(at + 1);
		} else {
			user = xstrdup(u);
			host = run_comment_host();
		}
	} else {
		user = run_comment_user();
		host = run_comment_host();
	}
	cc.body = body;
	cc.user = user;
	cc.host = host;
	cc.time = now_us();
	/* The editor was the question already. */
	if (cmd_arg_has(a, COMMENT_ADD) && !cmd_arg_has(a, COMMENT_EDIT) &&
	    !cmd_runs_op_start(&op, &rows, yes,
	    "You are about to add a comment to the following runs:",
	    "Continue?"))
		goto out;
	rc = cmd_runs_change(idx, &rows, comment_change, &cc, &done);
	cli_note("Added comment to %zu run(s)", done);
out:
	free(intro);
	free(body);
	free(user);
	free(host);
	run_rows_release(&rows);
	runindex_close(idx);
	return rc;
}

const struct cmd_entry cmd_comment_entry = {
	.name = "comment",
	.usage = "[RUN...]",
	.summary = "Add or remove run comments.",
	.description =
	    "RUN defaults to the newest run. Without an option, the comment is\n"
	    "written in an editor.",
	.options = comment_options,
	.filter_options = run_filter_options,
	.exec = cmd_comment_exec,
};

/*
 * guild stop
 */

enum {
	STOP_YES = 1,
	STOP_NO_WAIT,
	STOP_FORCE,
	STOP_TIMEOUT,
};

static const struct cmd_option stop_options[] = {
	{ STOP_YES, "y", "yes", NULL, "Do not prompt." },
	{ STOP_NO_WAIT, "n", "no-wait", NULL,
	  "Do not wait for the runs to stop." },
	{ STOP_FORCE, NULL, "force", NULL,
	  "Kill runs that did not stop within the timeout." },
	{ STOP_TIMEOUT, NULL, "timeout", "N",
	  "Seconds to wait for each run to stop (default is 30)." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

static int
cmd_stop_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const struct cmd_runs_op	 op = { "Nothing to stop.", false };
	struct run_filter		 f;
	struct runindex			*idx = NULL;
	struct run_rows			 rows = RUN_ROWS_INIT;
	struct strvec			 alive = STRVEC_INIT;
	char				*cause = NULL, *q, *pids;
	long				 timeout = 30;
	size_t				 i;
	int				 rc;

	if (cmd_arg_has(a, STOP_TIMEOUT) && parse_count(cmd_arg_value(a,
	    STOP_TIMEOUT), "--timeout", &timeout) != 0)
		return 1;
	if (cli_run_filter(a, &f, &cause) == -1) {
		runsel_filter_release(&f);
		return cli_error_cause(cause);
	}
	/* Without RUN, every running run (Guild). */
	if (a->pos.n == 0)
		f.status |= 1u << RUN_STATUS_RUNNING;
	if ((rc = cmd_runs_open_index(ctx, &idx)) == 0)
		rc = cmd_runs_select_rows(idx, &f, &a->pos, ":", false, 0, 0, &rows,
		    NULL);
	runsel_filter_release(&f);
	if (rc != 0)
		goto out;
	q = xasprintf("Stop %zu run(s)?", rows.n);
	if (cmd_runs_op_start(&op, &rows, cmd_arg_has(a, STOP_YES),
	    "WARNING: You are about to stop the following runs:", q)) {
		for (i = 0; i < rows.n; i++)
			stop_one(rows.v[i], !cmd_arg_has(a, STOP_NO_WAIT),
			    (unsigned)(timeout > 86400 ? 86400 : timeout) * 1000,
			    cmd_arg_has(a, STOP_FORCE), &alive);
		for (i = 0; i < rows.n; i++)
			cmd_runs_index_update(idx, rows.v[i]->id, false);
		if (alive.n > 0) {
			pids = strvec_join(&alive, " ");
			for (char *p = pids; (p = strchr(p, ' ')) != NULL; p++)
				*p = ',';
			printf("The following processes did not stop as "
			    "expected: %s\n", pids);
			free(pids);
			rc = 1;
		}
	}
	free(q);
out:
	strvec_clear(&alive);
	run_rows_release(&rows);
	if (idx != NULL)
		runindex_close(idx);
	return rc;
}

const struct cmd_entry cmd_stop_entry = {
	.name = "stop",
	.usage = "[RUN...]",
	.summary = "Stop one or more runs.",
	.description =
	    "Sends SIGTERM to each run's operation (its whole process group) and\n"
	    "waits for it to end. Without RUN, every running run is stopped.",
	.options = stop_options,
	.filter_options = run_filter_options,
	.exec = cmd_stop_exec,
};

/*
 * The group.
 */

static const struct cmd_entry *const runs_subcommands[] = {
	&cmd_runs_list_entry,
	&cmd_runs_info_entry,
	&cmd_runs_delete_entry,
	&cmd_runs_restore_entry,
	&cmd_runs_purge_entry,
	&cmd_label_entry,
	&cmd_tag_entry,
	&cmd_mark_entry,
	&cmd_comment_entry,
	&cmd_stop_entry,
	&cmd_export_entry,
	&cmd_import_entry,
	&cmd_merge_entry,
	&cmd_archive_entry,
	NULL
};

const struct cmd_entry cmd_runs_entry = {
	.name = "runs",
	.usage = "[COMMAND] [ARGS]...",
	.summary = "Show or manage runs.",
	.description =
	    "Without a command, lists runs: 'guild runs' is 'guild runs list'.",
	.options = list_options,
	.filter_options = run_filter_options,
	.subcommands = runs_subcommands,
	.default_sub = "list",
};
