/*
 * cmd-completion.c: guild completion: the bash completion script, and the
 * helper modes it calls on every Tab.
 *
 * The script (src/completion.bash, compiled in as src/completion.inc)
 * knows no names: commands, options, operations, flags and runs come from
 * the helper modes below, which read them from the command table and the
 * project, so completion cannot fall behind guild. Each mode prints one
 * candidate per line; what a value or an argument is ("run", "op",
 * "flag", "file", "dir", "value") is derived from its metavar here, once.
 *
 * Helper modes stay quiet: no warnings, and nothing (status 0) when there
 * is nothing to complete, such as outside a project.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "guildfile.h"
#include "home.h"
#include "runindex.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

static const char completion_script[] =
#include "src/completion.inc"
    ;

enum {
	O_SHELL = 1,
	O_INSTALL,
	O_COMMANDS,
	O_OPTIONS,
	O_ARGS,
	O_OPS,
	O_FLAGS,
	O_RUNS,
	O_DELETED,
};

static const struct cmd_option completion_options[] = {
	{ O_SHELL, "s", "shell", "SHELL",
	  "Shell to print the script for (only bash is supported)." },
	{ O_INSTALL, "i", "install", NULL,
	  "Install the script for the current user instead of printing it." },
	/* The script's helpers: see guild-completion(1). */
	{ O_COMMANDS, NULL, "commands", NULL, "Print the commands.", true },
	{ O_OPTIONS, NULL, "options", NULL,
	  "Print the options of the command given as arguments.", true },
	{ O_ARGS, NULL, "args", NULL,
	  "Print what the arguments of a command are.", true },
	{ O_OPS, NULL, "ops", NULL, "Print the project's operations.", true },
	{ O_FLAGS, NULL, "flags", "OP", "Print the flags of OP.", true },
	{ O_RUNS, NULL, "runs", NULL,
	  "Print short run ids, newest first.", true },
	{ O_DELETED, NULL, "deleted", NULL, "With --runs: deleted runs.", true },
	{ 0 }
};

/*
 * Commands whose runs are in the trash: their RUN arguments complete
 * deleted runs. Nothing in the table says so.
 */
static const char *const trash_commands[] = {
	"runs restore",
	"runs purge",
	NULL
};

static void
silent_warning(const char *msg, void *arg)
{
	(void)msg;
	(void)arg;
}

/*
 * What a metavar or usage word names. A global option's PATH is a
 * directory (-C, -H).
 */
static const char *
metavar_kind(const char *mv, bool global)
{
	static const char *const file_suffixes[] = {
		"PATH", "FILE", "LOCATION", "ARCHIVE", "OUTPUT", NULL
	};
	const char	*const *s;

	if (strstr(mv, "FLAG=") != NULL)
		return "flag";
	if (strstr(mv, "OPERATION") != NULL)
		return "op";
	/* RUN, RUN1, RUN2; not RUN_DIR. */
	if (strncmp(mv, "RUN", 3) == 0 &&
	    mv[3 + strspn(mv + 3, "0123456789")] == '\0')
		return "run";
	if (str_ends_with(mv, "DIR"))
		return "dir";
	for (s = file_suffixes; *s != NULL; s++)
		if (str_ends_with(mv, *s))
			return global ? "dir" : "file";
	return "value";
}

/* Push each '|'-separated name of list, between prefix and suffix. */
static void
push_names(struct strvec *out, const char *prefix, const char *list,
    const char *suffix)
{
	const char	*p = list;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		n = strcspn(p, "|");
		strvec_pushf(out, "%s%.*s%s", prefix, (int)n, p, suffix);
		p += n + (p[n] == '|');
	}
}

static void
print_unique(const struct strvec *sv)
{
	size_t	i, j;

	for (i = 0; i < sv->n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(sv->v[i], sv->v[j]) == 0)
				break;
		if (j == i)
			printf("%s\n", cli_field(stdout, sv->v[i]));
	}
}

/* Every command and alias; a group's subcommands as "GROUP SUB". */
static int
complete_commands(void)
{
	const struct cmd_entry	*const *t, *const *s;
	struct strvec		 out = STRVEC_INIT, groups = STRVEC_INIT;
	size_t			 i;

	for (t = cli_commands(); t != NULL && *t != NULL; t++) {
		strvec_push(&out, (*t)->name);
		push_names(&out, "", (*t)->aliases, "");
	}
	for (t = cli_commands(); t != NULL && *t != NULL; t++) {
		if ((*t)->subcommands == NULL)
			continue;
		strvec_clear(&groups);
		strvec_push(&groups, (*t)->name);
		push_names(&groups, "", (*t)->aliases, "");
		for (i = 0; i < groups.n; i++) {
			char	*prefix = xasprintf("%s ", groups.v[i]);

			for (s = (*t)->subcommands; *s != NULL; s++) {
				strvec_pushf(&out, "%s%s", prefix, (*s)->name);
				push_names(&out, prefix, (*s)->aliases, "");
			}
			free(prefix);
		}
	}
	print_unique(&out);
	strvec_clear(&groups);
	strvec_clear(&out);
	return 0;
}

static void
push_options(struct strvec *out, const struct cmd_option *o, bool global)
{
	char	*suffix;

	for (; o != NULL && o->id != 0; o++) {
		if (o->hidden)
			continue;
		suffix = o->arg == NULL ? xstrdup("") :
		    xasprintf(" %s", metavar_kind(o->arg, global));
		push_names(out, "-", o->shorts, suffix);
		push_names(out, "--", o->longs, suffix);
		free(suffix);
	}
}

/* Whether the long option help is among opts. */
static bool
has_help(const struct cmd_option *o)
{
	const char	*p;
	size_t		 n;

	for (; o != NULL && o->id != 0; o++) {
		for (p = o->longs; p != NULL && *p != '\0'; ) {
			n = strcspn(p, "|");
			if (n == 4 && strncmp(p, "help", 4) == 0)
				return true;
			p += n + (p[n] == '|');
		}
	}
	return false;
}

/* The words joined by spaces. Caller frees. */
static char *
join_words(const struct strvec *sv)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < sv->n; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? " " : "", sv->v[i]);
	return strbuf_detach(&sb, NULL);
}

/* The entry at the positional arguments, or NULL after an error. */
static const struct cmd_entry *
lookup_path(const struct cmd_args *a)
{
	const struct cmd_entry	*e;
	char			*path;

	if (a->pos.n == 0) {
		cli_error("a command is required");
		return NULL;
	}
	e = cli_lookup((const char *const *)a->pos.v, a->pos.n);
	if (e == NULL) {
		path = join_words(&a->pos);
		cli_error("no such command '%s'", path);
		free(path);
	}
	return e;
}

/*
 * The options of a command (none: the global options), as "NAME" for a
 * switch and "NAME KIND" for an option with a value. A group without a
 * subcommand takes its default subcommand's options too, as guild does.
 */
static int
complete_options(const struct cmd_args *a)
{
	const struct cmd_entry	*e, *const *s;
	struct strvec		 out = STRVEC_INIT;

	if (a->pos.n == 0) {
		push_options(&out, cli_global_options(), true);
		print_unique(&out);
		strvec_clear(&out);
		return 0;
	}
	if ((e = lookup_path(a)) == NULL)
		return 1;
	push_options(&out, e->options, false);
	push_options(&out, e->filter_options, false);
	if (!has_help(e->options) && !has_help(e->filter_options))
		strvec_push(&out, "--help");
	if (e->subcommands != NULL && e->default_sub != NULL) {
		for (s = e->subcommands; *s != NULL; s++)
			if (strcmp((*s)->name, e->default_sub) == 0)
				break;
		if (*s != NULL) {
			push_options(&out, (*s)->options, false);
			push_options(&out, (*s)->filter_options, false);
		}
	}
	print_unique(&out);
	strvec_clear(&out);
	return 0;
}

/*
 * Split a usage into its argument slots: "LOCATION [RUN...]" is LOCATION
 * and RUN..., "[RUN1 RUN2]" is RUN1 and RUN2, "[FLAG=VAL | @FILE]..." one
 * repeated slot. A repeated slot keeps its "...".
 */
static void
usage_slots(const char *p, size_t len, struct strvec *out)
{
	const char	*end = p + len, *start;
	size_t		 n, inner;
	int		 depth;
	bool		 rep, split;

	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		start = p;
		depth = 0;
		while (p < end && (depth > 0 || *p != ' ')) {
			if (*p == '[')
				depth++;
			else if (*p == ']')
				depth--;
			p++;
		}
		n = (size_t)(p - start);
		rep = n > 3 && strncmp(start + n - 3, "...", 3) == 0;
		if (rep)
			n -= 3;
		/* "[...]" around the whole word: optional; look inside. */
		depth = 0;
		for (inner = 0; inner < n; inner++) {
			if (start[inner] == '[')
				depth++;
			else if (start[inner] == ']' && --depth == 0)
				break;
		}
		if (n > 2 && start[0] == '[' && inner == n - 1) {
			start++;
			n -= 2;
			split = false;
			depth = 0;
			for (inner = 0; inner < n; inner++) {
				if (start[inner] == '[')
					depth++;
				else if (start[inner] == ']')
					depth--;
				else if (depth == 0 && start[inner] == '|')
					break;
				else if (depth == 0 && start[inner] == ' ')
					split = true;
			}
			if (split && inner == n) {
				usage_slots(start, n, out);
				if (rep && out->n > 0) {
					char	*last = out->v[out->n - 1];

					out->v[out->n - 1] = xasprintf("%s...",
					    last);
					free(last);
				}
				continue;
			}
			if (n > 3 && strncmp(start + n - 3, "...", 3) == 0) {
				rep = true;
				n -= 3;
			}
		}
		strvec_pushf(out, "%.*s%s", (int)n, start, rep ? "..." : "");
	}
}

/* What each argument of a command is, one slot per line. */
static int
complete_args(const struct cmd_args *a)
{
	const struct cmd_entry	*e;
	const char		*const *t;
	struct strvec		 slots = STRVEC_INIT, names = STRVEC_INIT;
	bool			 trash = false;
	char			*path, *mv;
	size_t			 i, n;
	const char		*kind;

	if ((e = lookup_path(a)) == NULL)
		return 1;
	/* The canonical path, for aliases ("runs rm"). */
	for (i = 0; i < a->pos.n; i++)
		strvec_push(&names, cli_lookup((const char *const *)a->pos.v,
		    i + 1)->name);
	path = join_words(&names);
	for (t = trash_commands; *t != NULL; t++)
		trash = trash || strcmp(*t, path) == 0;
	free(path);
	strvec_clear(&names);
	if (e->usage != NULL)
		usage_slots(e->usage, strlen(e->usage), &slots);
	for (i = 0; i < slots.n; i++) {
		n = strlen(slots.v[i]);
		if (str_ends_with(slots.v[i], "..."))
			n -= 3;
		mv = xstrndup(slots.v[i], n);
		kind = metavar_kind(mv, false);
		if (trash && strcmp(kind, "run") == 0)
			kind = "deleted-run";
		printf("%s%s\n", kind, n < strlen(slots.v[i]) ? "..." : "");
		free(mv);
	}
	strvec_clear(&slots);
	return 0;
}

static bool
is_private(const char *name)
{
	return name[0] == '_';
}

static int
name_cmp(const void *a, const void *b)
{
	return natcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The project's operations as "model:op", and as "op" too when that
 * names the same operation (guild run train). Private ones are left out,
 * as guild ops leaves them out.
 */
static int
complete_ops(void)
{
	struct guildfile	*gf;
	const struct modeldef	*m;
	struct opdef		*op;
	struct strvec		 out = STRVEC_INIT;
	size_t			 i, j;

	if ((gf = guildfile_find(NULL, NULL)) == NULL)
		return 0;
	for (i = 0; i < gf->nmodels; i++) {
		m = gf->models[i];
		if (is_private(m->name))
			continue;
		for (j = 0; j < m->nops; j++) {
			op = m->ops[j];
			if (is_private(op->name))
				continue;
			strvec_push_nodup(&out, opdef_fullname(op));
			if (*m->name != '\0' &&
			    opspec_resolve(gf, op->name, NULL) == op)
				strvec_push(&out, op->name);
		}
	}
	if (out.n > 1)
		qsort(out.v, out.n, sizeof *out.v, name_cmp);
	print_unique(&out);
	strvec_clear(&out);
	guildfile_free(gf);
	return 0;
}

/*
 * "NAME=" for each flag of an operation ("": the default one), and
 * "NAME=VALUE" for its choices (yes and no for a boolean).
 */
static int
complete_flags(const char *spec)
{
	struct guildfile	*gf;
	const struct opdef	*op;
	const struct flagdef	*f;
	struct strbuf		 sb = STRBUF_INIT;
	const char		*name;
	size_t			 i, c;

	if ((gf = guildfile_find(NULL, NULL)) == NULL)
		return 0;
	if ((op = opspec_resolve(gf, spec, NULL)) == NULL) {
		guildfile_free(gf);
		return 0;
	}
	for (i = 0; i < op->nflags; i++) {
		f = op->flags[i];
		name = cli_field(stdout, f->name);
		printf("%s=\n", name);
		for (c = 0; c < f->nchoices; c++) {
			strbuf_reset(&sb);
			value_format_flag(&sb, f->choices[c].value);
			printf("%s=%s\n", name, cli_field(stdout, sb.buf));
		}
		if (f->nchoices == 0 && f->type == FLAG_TYPE_BOOLEAN)
			printf("%s=yes\n%s=no\n", name, name);
	}
	strbuf_release(&sb);
	guildfile_free(gf);
	return 0;
}

/*
 * Short ids of the runs (or deleted runs) starting with prefix, newest
 * first. A Tab must answer at once even among 100,000 runs: beyond
 * RUNS_MAX runs, only the newest RUNS_MAX are offered, and an id prefix
 * is looked up in the index (which gives its newest few matches).
 */
#define RUNS_MAX	1000

static int
complete_runs(struct cmd_ctx *ctx, bool deleted, const char *prefix)
{
	struct guild_home	*home;
	struct runindex		*idx;
	struct run_rows		 rows = RUN_ROWS_INIT;
	size_t			 i, len = strlen(prefix), count = 0;
	int			 rc;

	if ((home = home_new(ctx->home_override, NULL)) == NULL)
		return 0;
	/* Opening the index creates it: not for a Tab in an empty home. */
	if (!path_is_dir(deleted ? home->trash : home->runs) ||
	    (idx = runindex_open(home, NULL)) == NULL) {
		home_free(home);
		return 0;
	}
	rc = runindex_count(idx, deleted, NULL, &count, NULL);
	if (rc == 0 && count > RUNS_MAX && len > 0)
		rc = runindex_prefix(idx, deleted, NULL, prefix, 0, &rows,
		    NULL, NULL);
	else if (rc == 0)
		rc = runindex_page(idx, deleted, NULL, 0, RUNS_MAX, 0, &rows,
		    NULL, NULL);
	if (rc == 0) {
		for (i = 0; i < rows.n; i++)
			if (strncmp(rows.v[i]->id, prefix, len) == 0) {
				char	*id8 = xstrndup(rows.v[i]->id, 8);

				printf("%s\n", cli_field(stdout, id8));
				free(id8);
			}
	}
	run_rows_release(&rows);
	runindex_close(idx);
	home_free(home);
	return 0;
}

/* Where bash-completion looks for a user's completions. Caller frees. */
static char *
user_completions_dir(char **cause)
{
	const char	*dir, *home;

	if ((dir = getenv("BASH_COMPLETION_USER_DIR")) != NULL && *dir != '\0')
		return xasprintf("%s/completions", dir);
	if ((dir = getenv("XDG_DATA_HOME")) != NULL && *dir != '\0')
		return xasprintf("%s/bash-completion/completions", dir);
	if ((home = getenv("HOME")) == NULL || *home == '\0') {
		set_cause(cause, "HOME is not set");
		return NULL;
	}
	return xasprintf("%s/.local/share/bash-completion/completions", home);
}

static int
install_script(void)
{
	char	*dir, *path, *shown, *cause = NULL;

	if ((dir = user_completions_dir(&cause)) == NULL)
		return cli_error_cause(cause);
	path = xasprintf("%s/guild", dir);
	if (mkdir_p(dir, 0777, &cause) == -1 ||
	    write_file_atomic(path, completion_script,
	    sizeof completion_script - 1, &cause) == -1) {
		free(dir);
		free(path);
		return cli_error_cause(cause);
	}
	shown = path_abbrev_home(path);
	printf("Installed bash completion in %s\n"
	    "It is loaded by bash-completion in new shells.\n",
	    cli_field(stdout, shown));
	free(shown);
	free(path);
	free(dir);
	return 0;
}

static int
cmd_completion_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const int	 modes[] = {
		O_INSTALL, O_COMMANDS, O_OPTIONS, O_ARGS, O_OPS, O_FLAGS, O_RUNS
	};
	const char		*shell = cmd_arg_value(a, O_SHELL);
	size_t			 i, nmodes = 0;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		nmodes += cmd_arg_has(a, modes[i]);
	if (nmodes > 1)
		return cli_error("only one of --install and the helper modes "
		    "may be given");
	if (shell != NULL && strcmp(shell, "bash") != 0)
		return cli_error("unsupported shell '%s' (only bash is)", shell);
	if (cmd_arg_has(a, O_DELETED) && !cmd_arg_has(a, O_RUNS))
		return cli_error("--deleted goes with --runs");
	if (a->pos.n > 0 && !cmd_arg_has(a, O_OPTIONS) &&
	    !cmd_arg_has(a, O_ARGS) && !cmd_arg_has(a, O_RUNS))
		return cli_error("unexpected argument '%s'", a->pos.v[0]);
	if (cmd_arg_has(a, O_RUNS) && a->pos.n > 1)
		return cli_error("--runs takes one prefix");

	if (nmodes > 0 && !cmd_arg_has(a, O_INSTALL))
		warn_set_sink(silent_warning, NULL);
	if (cmd_arg_has(a, O_INSTALL))
		return install_script();
	if (cmd_arg_has(a, O_COMMANDS))
		return complete_commands();
	if (cmd_arg_has(a, O_OPTIONS))
		return complete_options(a);
	if (cmd_arg_has(a, O_ARGS))
		return complete_args(a);
	if (cmd_arg_has(a, O_OPS))
		return complete_ops();
	if (cmd_arg_has(a, O_FLAGS))
		return complete_flags(cmd_arg_value(a, O_FLAGS));
	if (cmd_arg_has(a, O_RUNS))
		return complete_runs(ctx, cmd_arg_has(a, O_DELETED),
		    a->pos.n > 0 ? a->pos.v[0] : "");
	fputs(completion_script, stdout);
	return 0;
}

const struct cmd_entry cmd_completion_entry = {
	.name = "completion",
	.summary = "Print or install the bash completion script.",
	.description =
	    "Completes commands, options, operations, flags and run ids.\n"
	    "Try it in the current shell with:\n"
	    "\n"
	    "  source <(guild completion)",
	.options = completion_options,
	.exec = cmd_completion_exec,
};
