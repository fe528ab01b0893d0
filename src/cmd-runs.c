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
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-remote.h"
#include "cmd-select.h"
#include "cmds.h"
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
 * Details of a run, as "runs info" and "runs list -v" show them: the
 * walkthrough's fields in Guild's order; marked and label only when set.
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
		if (strchr(one.buf, ' ') != NULL)
			strbuf_addf(sb, "\"%s\"", one.buf);
		else
			strbuf_addstr(sb, one.buf);
		strbuf_release(&one);
	}
}

static void
run_details(const struct run_row *row, struct strvec *keys,
    struct strvec *vals)
{
	struct value	*cmd;
	struct strbuf	 sb = STRBUF_INIT;
	char		*s;

	strvec_push(keys, "id");
	strvec_push(vals, row->id);
	strvec_push(keys, "operation");
	strvec_push_nodup(vals, format_op_str(row));
	strvec_push(keys, "status");
	strvec_push(vals, run_status_name(row->status));
	strvec_push(keys, "started");
	strvec_push_nodup(vals, format_time_str(row->started));
	strvec_push(keys, "stopped");
	strvec_push_nodup(vals, format_time_str(row->stopped));
	if (row->marked) {
		strvec_push(keys, "marked");
		strvec_push(vals, "yes");
	}
	if (row->label != NULL && *row->label != '\0') {
		strvec_push(keys, "label");
		strvec_push(vals, row->label);
	}
	strvec_push(keys, "run_dir");
	strvec_push_nodup(vals, path_abbrev_home(row->dir));
	cmd = row_attr(row, "cmd");
	command_text(&sb, cmd);
	value_free(cmd);
	strvec_push(keys, "command");
	strvec_push_nodup(vals, strbuf_detach(&sb, NULL));
	strvec_push(keys, "exit_status");
	if (row->has_exit_status)
		strvec_pushf(vals, "%d", row->exit_status);
	else
		strvec_push(vals, "");
	strvec_push(keys, "pid");
	if (row->status == RUN_STATUS_RUNNING && row->pid > 0)
		s = xasprintf("%ld", (long)row->pid);
	else
		s = xstrdup("");
	strvec_push_nodup(vals, s);
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
	if ((rc = cmd_runs_select_page(ctx, a, &none, NULL, deleted,
	    json ? RUNINDEX_ATTRS : 0, want, &idx, &rows, &total)) != 0)
		return rc;
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
			struct strvec	keys = STRVEC_INIT, vals = STRVEC_INIT;
			size_t		j;

			run_details(rows.v[i], &keys, &vals);
			for (j = 0; j < keys.n; j++)
				print_kv(stdout, "  ", keys.v[j], vals.v[j]);
			strvec_clear(&keys);
			strvec_clear(&vals);
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
	INFO_ALL_SCALARS,
	INFO_DELETED,
	INFO_DEPS,
};

static const struct cmd_option info_options[] = {
	{ INFO_OUTPUT, "O", "output", NULL, "Show the run's output." },
	{ INFO_COMMENTS, "c", "comments", NULL, "Show the run's comments." },
	{ INFO_ALL_SCALARS, "s", "all-scalars", NULL,
	  "Show first, last, min, max, avg and total of every scalar." },
	{ INFO_JSON, NULL, "json", NULL, "Show the information as JSON." },
	{ INFO_DELETED, "d", "deleted", NULL, "Show a deleted run." },
	{ INFO_DEPS, NULL, "deps", NULL, "Show the run's resolved dependencies." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

static int
key_natcmp(const void *a, const void *b)
{
	return natcmp(*(char *const *)a, *(char *const *)b);
}

static void
scalar_text(struct strbuf *sb, const struct scalar_point *p)
{
	format_scalar_step(sb, p->value, p->step);
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

static struct value *
scalar_point_json(const struct scalar_point *p)
{
	struct value	*l = value_list();

	value_list_push(l, isnan(p->value) ? value_null() : value_float(p->value));
	value_list_push(l, value_int(p->step));
	return l;
}

/* The details, as "key: value" lines or into json. */
static void
info_details(const struct run_row *row, struct value *json)
{
	struct strvec	 keys = STRVEC_INIT, vals = STRVEC_INIT;
	struct value	*v;
	size_t		 i;

	run_details(row, &keys, &vals);
	for (i = 0; i < keys.n; i++) {
		if (json == NULL) {
			print_kv(stdout, "", keys.v[i], vals.v[i]);
			continue;
		}
		if (strcmp(keys.v[i], "marked") == 0)
			v = value_bool(true);
		else if ((strcmp(keys.v[i], "exit_status") == 0 ||
		    strcmp(keys.v[i], "pid") == 0))
			v = *vals.v[i] == '\0' ? value_null() :
			    value_int(strtoll(vals.v[i], NULL, 10));
		else
			v = value_string(vals.v[i]);
		value_map_set(json, keys.v[i], v);
	}
	if (json != NULL && !row->marked)
		value_map_set(json, "marked", value_bool(false));
	strvec_clear(&keys);
	strvec_clear(&vals);
}

static void
info_tags(const struct run_row *row, struct value *json)
{
	struct value	*v;
	size_t		 i;

	if (json != NULL) {
		v = value_list();
		for (i = 0; i < row->tags.n; i++)
			value_list_push(v, value_string(row->tags.v[i]));
		value_map_set(json, "tags", v);
	} else if (row->tags.n > 0) {
		printf("tags:\n");
		for (i = 0; i < row->tags.n; i++)
			printf("  - %s\n", cli_field(stdout, row->tags.v[i]));
	}
}

/* Flags in natural order of their names. */
static void
info_flags(const struct run_row *row, struct value *json)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*flags;
	char		**names;
	size_t		 i, n;

	flags = row_attr(row, "flags");
	if (flags != NULL && flags->type == VALUE_MAP) {
		n = flags->u.map.n;
		names = xcalloc(n + 1, sizeof *names);
		if (n > 0) {
			memcpy(names, flags->u.map.k, n * sizeof *names);
			qsort(names, n, sizeof *names, key_natcmp);
		}
		if (json != NULL)
			value_map_set(json, "flags", value_dup(flags));
		else if (n > 0)
			printf("flags:\n");
		for (i = 0; json == NULL && i < n; i++) {
			strbuf_reset(&sb);
			value_format_flag(&sb, value_map_get(flags, names[i]));
			printf("  %s: %s\n", cli_field(stdout, names[i]),
			    cli_field(stdout, sb.buf));
		}
		free(names);
	} else if (json != NULL)
		value_map_set(json, "flags", value_map());
	value_free(flags);
	strbuf_release(&sb);
}

/* -s: every statistic of a scalar, as JSON. */
static struct value *
scalar_stats_json(const struct scalar_stats *s)
{
	struct scalar_point	 avg = s->last, total = s->last;
	struct value		*sv;

	avg.value = s->count > 0 ? s->total / (double)s->count : NAN;
	avg.step = (long long)s->count;
	total.value = s->total;
	total.step = (long long)s->count;
	sv = value_map();
	value_map_set(sv, "first", scalar_point_json(&s->first));
	value_map_set(sv, "last", scalar_point_json(&s->last));
	value_map_set(sv, "min", scalar_point_json(&s->min));
	value_map_set(sv, "max", scalar_point_json(&s->max));
	value_map_set(sv, "avg", scalar_point_json(&avg));
	value_map_set(sv, "total", scalar_point_json(&total));
	return sv;
}

/* -s: every statistic of a scalar, as text. */
static void
scalar_stats_print(const struct scalar_stats *s)
{
	struct strbuf	sb = STRBUF_INIT;

	printf("  %s:\n", cli_field(stdout, s->key));
	strbuf_reset(&sb);
	scalar_text(&sb, &s->first);
	printf("    first: %s\n", sb.buf);
	strbuf_reset(&sb);
	scalar_text(&sb, &s->last);
	printf("    last: %s\n", sb.buf);
	strbuf_reset(&sb);
	scalar_text(&sb, &s->min);
	printf("    min: %s\n", sb.buf);
	strbuf_reset(&sb);
	scalar_text(&sb, &s->max);
	printf("    max: %s\n", sb.buf);
	strbuf_reset(&sb);
	format_scalar(&sb, s->count > 0 ? s->total / (double)s->count : NAN);
	printf("    avg: %s (count %zu)\n", sb.buf, s->count);
	strbuf_reset(&sb);
	format_scalar(&sb, s->total);
	printf("    total: %s (count %zu)\n", sb.buf, s->count);
	strbuf_release(&sb);
}

/* Scalars: the last value of each, every statistic with -s. */
static void
info_scalars(const struct run_row *row, struct value *json, bool all_scalars)
{
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	struct strbuf		 sb = STRBUF_INIT;
	struct value		*v;
	char			*cause = NULL;
	size_t			 i, n;

	if (scalars_summary_read(row->dir, 0, &sum, &cause) == -1) {
		/* Unreadable scalars do not hide the rest of the run. */
		warnx_core("%s", cause);
		free(cause);
		cause = NULL;
	}
	v = json != NULL ? value_map() : NULL;
	for (i = 0, n = 0; i < sum.n; i++) {
		const struct scalar_stats	*s = &sum.v[i];

		if (!all_scalars && str_starts_with(s->key, "sys/"))
			continue;
		if (v != NULL) {
			value_map_set(v, s->key, all_scalars ?
			    scalar_stats_json(s) : scalar_point_json(&s->last));
			continue;
		}
		if (n++ == 0)
			printf("scalars:\n");
		if (!all_scalars) {
			strbuf_reset(&sb);
			scalar_text(&sb, &s->last);
			printf("  %s: %s\n", cli_field(stdout, s->key),
			    sb.buf);
			continue;
		}
		scalar_stats_print(s);
	}
	if (v != NULL)
		value_map_set(json, "scalars", v);
	scalars_summary_release(&sum);
	strbuf_release(&sb);
}

static void
info_comments(const struct run_row *row, struct value *json)
{
	struct value	*comments = row_attr(row, "comments");

	if (json != NULL)
		value_map_set(json, "comments", comments != NULL ?
		    value_dup(comments) : value_list());
	else {
		printf("comments:\n");
		print_comments(stdout, comments, true);
	}
	value_free(comments);
}

/* The deps attr (deps.h): resource -> source -> paths. */
static void
info_deps(const struct run_row *row, struct value *json)
{
	struct value	*deps = row_attr(row, "deps");
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p, *nl;

	if (json != NULL)
		value_map_set(json, "dependencies", deps != NULL ?
		    value_dup(deps) : value_map());
	else {
		printf("dependencies:\n");
		if (deps != NULL && deps->type == VALUE_MAP &&
		    deps->u.map.n > 0)
			value_encode_yaml(&sb, deps);
		for (p = sb.buf; *p != '\0'; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL)
				break;
			fputs("  ", stdout);
			cli_write_text(stdout, p, (size_t)(nl - p));
			fputc('\n', stdout);
		}
	}
	value_free(deps);
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

static int
info_print(const struct run_row *row, struct cmd_args *a)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*json = NULL;
	char		*cause = NULL;

	if (cmd_arg_has(a, INFO_JSON))
		json = value_map();
	info_details(row, json);
	/* Tags, flags and scalars, in Guild's order, when there are any. */
	info_tags(row, json);
	info_flags(row, json);
	info_scalars(row, json, cmd_arg_has(a, INFO_ALL_SCALARS));
	if (cmd_arg_has(a, INFO_COMMENTS))
		info_comments(row, json);
	if (cmd_arg_has(a, INFO_DEPS))
		info_deps(row, json);
	if (cmd_arg_has(a, INFO_OUTPUT) &&
	    info_output(row, json, &cause) == -1) {
		value_free(json);
		return cli_error_cause(cause);
	}
	if (json != NULL) {
		strbuf_reset(&sb);
		value_encode_json(&sb, json);
		printf("%s\n", cli_text(stdout, sb.buf));
		value_free(json);
	}
	strbuf_release(&sb);
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
