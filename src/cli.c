/* cli.c: global options, dispatch over the command table, shared CLI helpers. */
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-remote.h"
#include "compat.h"
#include "format.h"
#include "guildfile.h"
#include "home.h"
#include "package.h"
#include "proc.h"
#include "strbuf.h"
#include "strvec.h"
#include "termsafe.h"
#include "util.h"
#include "value.h"

static const struct cmd_option global_options[] = {
	{ 1, "C", NULL, "PATH", "Use PATH as current directory for a command." },
	{ 2, "H", NULL, "PATH", "Use PATH as Guild home (default is $GUILD_HOME, then ~/.guild)." },
	{ 3, NULL, "version", NULL, "Show the version and exit." },
	{ 4, "h", "help", NULL, "Show this message and exit." },
	{ 5, NULL, "debug", NULL, "Log more information during command." },
	{ 0 }
};

/* The table cli_main() runs, for cli_commands(). */
static const struct cmd_entry *const *cli_table_cmds;
/* cli_set_view()'s, for cmd_ctx.view. */
static int	(*cli_view)(struct cmd_ctx *, const struct view_options *);

static const struct cmd_option help_option = {
	-1, NULL, "help", NULL, "Show this message and exit."
};

/* Whether stdout and stderr are terminals (-1: not decided yet). */
static int		tty_out = -1, tty_err = -1;
/* The shown copies cli_field() and cli_text() handed out. */
static struct strvec	shown_copies;

static void
tty_decide(void)
{
	if (tty_out == -1)
		tty_out = isatty(STDOUT_FILENO);
	if (tty_err == -1)
		tty_err = isatty(STDERR_FILENO);
}

struct value *
cli_args_params(const struct cmd_option *opts, const struct cmd_args *a)
{
	struct value	*m = value_map(), *v;
	size_t		 i, j;

	for (i = 0; opts[i].id != 0; i++) {
		const struct strvec	*vals = &a->values[opts[i].id];
		char			*name;

		if (opts[i].longs == NULL)
			continue;
		name = xstrndup(opts[i].longs, strcspn(opts[i].longs, "|"));
		for (j = 0; name[j] != '\0'; j++)
			if (name[j] == '-')
				name[j] = '_';
		if (opts[i].arg == NULL)
			v = value_bool(a->count[opts[i].id] > 0);
		else if (vals->n == 0)
			v = value_null();
		else if (vals->n == 1)
			v = value_string(vals->v[0]);
		else {
			v = value_list();
			for (j = 0; j < vals->n; j++)
				value_list_push(v, value_string(vals->v[j]));
		}
		value_map_set(m, name, v);
		free(name);
	}
	return m;
}

bool
cli_tty(FILE *f)
{
	tty_decide();
	if (f == stdout)
		return tty_out;
	if (f == stderr)
		return tty_err;
	return false;	/* a file a command writes: bytes as they are */
}

static const char *
shown(FILE *f, const char *s, unsigned flags)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		len;

	if (s == NULL || !cli_tty(f))
		return s;
	len = strlen(s);
	if (termsafe_span(s, len, flags) == len)
		return s;
	termsafe_add(&sb, s, len, flags);
	strvec_push_nodup(&shown_copies, strbuf_detach(&sb, NULL));
	return shown_copies.v[shown_copies.n - 1];
}

const char *
cli_field(FILE *f, const char *s)
{
	return shown(f, s, TERMSAFE_SINGLE_LINE);
}

const char *
cli_text(FILE *f, const char *s)
{
	return shown(f, s, 0);
}

void
cli_write_text(FILE *f, const void *buf, size_t len)
{
	struct strbuf	sb = STRBUF_INIT;

	if (!cli_tty(f) || termsafe_span(buf, len, 0) == len) {
		fwrite(buf, 1, len, f);
		return;
	}
	termsafe_add(&sb, buf, len, 0);
	fwrite(sb.buf, 1, sb.len, f);
	strbuf_release(&sb);
}

/* Core warnings, shown as cli_text too: they quote paths and names. */
static void
cli_warning(const char *msg, void *arg)
{
	(void)arg;
	cli_note("guild: warning: %s", msg);
}

static void	emit(const char *, const char *, va_list) PRINTFLIKE(2, 0);

/* prefix + the message + "\n" on stderr, as untrusted text (cli_text). */
static void
emit(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf	sb = STRBUF_INIT;

	fflush(stdout);
	strbuf_addstr(&sb, prefix);
	strbuf_vaddf(&sb, fmt, ap);
	strbuf_addch(&sb, '\n');
	cli_write_text(stderr, sb.buf, sb.len);
	strbuf_release(&sb);
}

int
cli_error(const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	emit("guild: ", fmt, ap);
	va_end(ap);
	return 1;
}

void
cli_note(const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	emit("", fmt, ap);
	va_end(ap);
}

int
cli_error_cause(char *cause)
{
	cli_error("%s", cause != NULL ? cause : "unknown error");
	free(cause);
	return 1;
}

const char *
cmd_arg_value(const struct cmd_args *a, int id)
{
	const struct strvec	*sv;

	if (id <= 0 || id >= CMD_MAX_OPTIONS)
		return NULL;
	sv = &a->values[id];
	return sv->n == 0 ? NULL : sv->v[sv->n - 1];
}

bool
cmd_arg_has(const struct cmd_args *a, int id)
{
	return id > 0 && id < CMD_MAX_OPTIONS && a->count[id] > 0;
}

bool
cmd_arg_has_filter(const struct cmd_args *a)
{
	int	id;

	for (id = CMD_FILTER_BASE; id < CMD_MAX_OPTIONS; id++)
		if (a->count[id] > 0)
			return true;
	return false;
}

static void
cmd_args_clear(struct cmd_args *a)
{
	size_t	i;

	for (i = 0; i < CMD_MAX_OPTIONS; i++)
		strvec_clear(&a->values[i]);
	strvec_clear(&a->pos);
	memset(a, 0, sizeof *a);
}

/* Whether name is one of the '|'-separated names in list. */
static bool
name_in(const char *list, const char *name, size_t len)
{
	const char	*p = list, *bar;
	size_t		 n;

	if (list == NULL)
		return false;
	for (;;) {
		bar = strchr(p, '|');
		n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (n == len && strncmp(p, name, len) == 0)
			return true;
		if (bar == NULL)
			return false;
		p = bar + 1;
	}
}

static const struct cmd_option *
find_long(const struct cmd_option *opts, const char *name, size_t len)
{
	for (; opts != NULL && opts->id != 0; opts++)
		if (name_in(opts->longs, name, len))
			return opts;
	return NULL;
}

static const struct cmd_option *
find_short(const struct cmd_option *opts, const char *name, size_t len)
{
	for (; opts != NULL && opts->id != 0; opts++)
		if (name_in(opts->shorts, name, len))
			return opts;
	return NULL;
}

static void
print_option_names(struct strbuf *sb, const struct cmd_option *o)
{
	const char	*p;
	bool		 first = true;

	for (p = o->shorts; p != NULL && *p != '\0'; ) {
		size_t	n = strcspn(p, "|");

		strbuf_addf(sb, "%s-%.*s", first ? "" : ", ", (int)n, p);
		first = false;
		p += n + (p[n] == '|');
	}
	for (p = o->longs; p != NULL && *p != '\0'; ) {
		size_t	n = strcspn(p, "|");

		strbuf_addf(sb, "%s--%.*s", first ? "" : ", ", (int)n, p);
		first = false;
		p += n + (p[n] == '|');
	}
	if (o->arg != NULL)
		strbuf_addf(sb, " %s", o->arg);
}

static void	table_print(FILE *, const char *const *, size_t, size_t,
		    size_t);

static void
print_options(FILE *f, const struct cmd_option *opts,
    const struct cmd_option *opts2)
{
	struct strbuf		 names[2 * CMD_MAX_OPTIONS + 1];
	const struct cmd_option	*list[2 * CMD_MAX_OPTIONS + 1];
	size_t			 n = 0, i, width = 0;

	for (; opts != NULL && opts->id != 0 && n < CMD_MAX_OPTIONS; opts++) {
		if (opts->hidden)
			continue;
		list[n++] = opts;
	}
	for (; opts2 != NULL && opts2->id != 0 && n < 2 * CMD_MAX_OPTIONS; opts2++) {
		if (opts2->hidden)
			continue;
		list[n++] = opts2;
	}
	for (i = 0; i < n; i++)
		if (name_in(list[i]->longs, "help", 4))
			break;
	if (i == n)
		list[n++] = &help_option;
	for (i = 0; i < n; i++) {
		strbuf_init(&names[i]);
		print_option_names(&names[i], list[i]);
		if (names[i].len > width)
			width = names[i].len;
	}
	fputs("Options:\n", f);
	for (i = 0; i < n; i++) {
		fprintf(f, "  %-*s  %s\n", (int)width, names[i].buf, list[i]->help);
		strbuf_release(&names[i]);
	}
}

static void
print_wrapped(FILE *f, const char *text, int indent)
{
	const char	*p = text;

	/* Paragraphs are written pre-wrapped in the tables; indent each line. */
	while (*p != '\0') {
		size_t	n = strcspn(p, "\n");

		if (n > 0)
			fprintf(f, "%*s%.*s", indent, "", (int)n, p);
		fputc('\n', f);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void
command_help(FILE *f, const char *path, const struct cmd_entry *e)
{
	const struct cmd_entry	*const *s;

	fprintf(f, "Usage: guild %s [OPTIONS]%s%s\n\n", path,
	    e->usage != NULL ? " " : "", e->usage != NULL ? e->usage : "");
	print_wrapped(f, e->summary, 2);
	if (e->description != NULL) {
		fputc('\n', f);
		print_wrapped(f, e->description, 2);
	}
	fputc('\n', f);
	print_options(f, e->options, e->filter_options);
	if (e->subcommands != NULL) {
		const char	*cells[2 * 64];
		size_t		 rows = 0;

		fputs("\nCommands:\n", f);
		for (s = e->subcommands; *s != NULL && rows < 64; s++) {
			char	*name;

			name = (*s)->aliases != NULL ?
			    xasprintf("  %s, %s", (*s)->name, (*s)->aliases) :
			    xasprintf("  %s", (*s)->name);
			for (char *bar = name; (bar = strchr(bar, '|')) != NULL; )
				*bar = ',';
			cells[2 * rows] = name;
			cells[2 * rows + 1] = (*s)->summary;
			rows++;
		}
		table_print(f, cells, rows, 2, 0);
		for (size_t i = 0; i < rows; i++)
			free((char *)cells[2 * i]);
	}
}

static void
main_help(FILE *f, const struct cmd_entry *const *table)
{
	const struct cmd_entry	*const *t, *e;
	const char		*cells[2 * 128];
	size_t			 rows = 0, i;

	fputs("Usage: guild [OPTIONS] COMMAND [ARGS]...\n\n"
	    "  Track, inspect and compare machine-learning experiments.\n\n"
	    "  Describe models and operations in guild.yml, run them as tracked\n"
	    "  experiments, and manage the runs from the command line.\n\n", f);
	print_options(f, global_options, NULL);
	fputs("\nCommands:\n", f);
	for (t = table; *t != NULL && rows < 128; t++) {
		char	*name;

		e = *t;
		name = e->aliases != NULL ?
		    xasprintf("  %s, %s", e->name, e->aliases) :
		    xasprintf("  %s", e->name);
		for (char *bar = name; (bar = strchr(bar, '|')) != NULL; )
			*bar = ',';
		cells[2 * rows] = name;
		cells[2 * rows + 1] = e->summary;
		rows++;
	}
	table_print(f, cells, rows, 2, 0);
	for (i = 0; i < rows; i++)
		free((char *)cells[2 * i]);
	fputs("\nRun 'guild COMMAND --help' for help on a command.\n", f);
}

static const struct cmd_entry *
find_command(const struct cmd_entry *const *table, const char *name)
{
	for (; *table != NULL; table++)
		if (strcmp((*table)->name, name) == 0 ||
		    name_in((*table)->aliases, name, strlen(name)))
			return *table;
	return NULL;
}

/* Whether arg ("-n", "--limit", not "--limit=5") takes the next word. */
static bool
option_takes_value(const struct cmd_entry *e, const char *arg)
{
	const struct cmd_option	*o;
	const char		*name = arg + 1;

	if (strchr(arg, '=') != NULL || strcmp(arg, "--") == 0)
		return false;
	if (*name == '-') {
		name++;
		o = find_long(e->options, name, strlen(name));
		if (o == NULL)
			o = find_long(e->filter_options, name, strlen(name));
	} else {
		o = find_short(e->options, name, strlen(name));
		if (o == NULL)
			o = find_short(e->filter_options, name, strlen(name));
		/* A cluster: the last letter decides. */
		if (o == NULL && strlen(name) > 1) {
			o = find_short(e->options, name + strlen(name) - 1, 1);
			if (o == NULL)
				o = find_short(e->filter_options,
				    name + strlen(name) - 1, 1);
		}
	}
	return o != NULL && o->arg != NULL;
}

enum parse_result { PARSE_OK, PARSE_HELP, PARSE_ERROR };

/*
 * Whether every id in opts lies in [lo, hi) (cli.h): an id outside would
 * count two options as one or write past struct cmd_args. A table that
 * breaks this is a bug, refused before any argument is counted.
 */
static bool
ids_in_range(const char *path, const struct cmd_option *opts, int lo, int hi)
{
	for (; opts != NULL && opts->id != 0; opts++) {
		if (opts->id >= lo && opts->id < hi)
			continue;
		cli_error("internal error: option %s%s of 'guild%s%s' has id %d, "
		    "outside %d..%d", opts->longs != NULL ? "--" : "-",
		    opts->longs != NULL ? opts->longs : opts->shorts,
		    *path != '\0' ? " " : "", path, opts->id, lo, hi - 1);
		return false;
	}
	return true;
}

/*
 * Parse argv (after the command name) against opts. Options and
 * positional arguments may be mixed, as click allows; "--" ends options.
 * When stop_at_positional is set (commands with subcommands) the first
 * positional argument stops parsing and the rest is left in a->pos.
 */
static enum parse_result
parse_args(const char *path, const struct cmd_option *opts,
    const struct cmd_option *opts2, int argc, char **argv,
    bool stop_at_positional, struct cmd_args *a)
{
	const struct cmd_option	*o;
	int			 i;
	bool			 only_pos = false;

	if (!ids_in_range(path, opts, 1, CMD_FILTER_BASE) ||
	    !ids_in_range(path, opts2, CMD_FILTER_BASE, CMD_MAX_OPTIONS))
		return PARSE_ERROR;
	for (i = 0; i < argc; i++) {
		const char	*arg = argv[i], *val = NULL, *eq;
		size_t		 len;

		if (only_pos || arg[0] != '-' || arg[1] == '\0') {
			strvec_push(&a->pos, arg);
			if (stop_at_positional)
				only_pos = true;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (arg[1] == '-') {
			if ((eq = strchr(arg + 2, '=')) != NULL)
				len = (size_t)(eq - arg - 2);
			else
				len = strlen(arg + 2);
			if (len == 4 && strncmp(arg + 2, "help", 4) == 0 &&
			    find_long(opts, "help", 4) == NULL)
				return PARSE_HELP;
			if ((o = find_long(opts, arg + 2, len)) == NULL)
				o = find_long(opts2, arg + 2, len);
			if (o == NULL) {
				cli_error("no such option: --%.*s\n"
				    "Try 'guild %s --help' for more information.",
				    (int)len, arg + 2, path);
				return PARSE_ERROR;
			}
			if (o->arg == NULL && eq != NULL) {
				cli_error("option --%.*s does not take a value",
				    (int)len, arg + 2);
				return PARSE_ERROR;
			}
			if (o->arg != NULL) {
				if (eq != NULL)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else {
					cli_error("option --%.*s requires an argument",
					    (int)len, arg + 2);
					return PARSE_ERROR;
				}
			}
		} else {
			/*
			 * Guild has multi-letter short options (-Fo, -Sr):
			 * try the whole word first, then a cluster of single
			 * letters, the last of which may take a value.
			 */
			const char	*p = arg + 1;

			if ((o = find_short(opts, p, strlen(p))) != NULL ||
			    (o = find_short(opts2, p, strlen(p))) != NULL) {
				if (o->arg != NULL) {
					if (i + 1 >= argc) {
						cli_error("option -%s requires an argument", p);
						return PARSE_ERROR;
					}
					val = argv[++i];
				}
			} else {
				for (; *p != '\0'; p++) {
					if ((o = find_short(opts, p, 1)) == NULL)
						o = find_short(opts2, p, 1);
					if (o == NULL && *p == 'h' &&
					    find_long(opts, "help", 4) == NULL)
						return PARSE_HELP;
					if (o == NULL) {
						cli_error("no such option: -%c\n"
						    "Try 'guild %s --help' for more information.",
						    *p, path);
						return PARSE_ERROR;
					}
					if (o->arg != NULL)
						break;
					a->count[o->id]++;
					strvec_push(&a->values[o->id], "");
				}
				if (*p == '\0')
					continue;
				if (p[1] != '\0')
					val = p + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else {
					cli_error("option -%c requires an argument", *p);
					return PARSE_ERROR;
				}
			}
		}
		a->count[o->id]++;
		strvec_push(&a->values[o->id], val != NULL ? val : "");
	}
	return PARSE_OK;
}

/*
 * argv without -r/--remote and its value, read as parse_args() reads
 * them: in a cluster of short options (-yr box, -yrbox) only the r goes,
 * and a multi-letter short option (-Sr) is not a cluster.
 */
static void
args_without_remote(const struct cmd_entry *e, int argc, char **argv,
    struct strvec *out)
{
	const struct cmd_option	*o;
	struct strbuf		 kept = STRBUF_INIT;
	const char		*arg, *p, *eq, *val;
	bool			 only_pos = false;
	size_t			 len;
	int			 i;

	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (only_pos || arg[0] != '-' || arg[1] == '\0') {
			strvec_push(out, arg);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_pos = true;
			strvec_push(out, arg);
			continue;
		}
		if (arg[1] == '-') {
			eq = strchr(arg + 2, '=');
			len = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
			if ((o = find_long(e->options, arg + 2, len)) == NULL)
				o = find_long(e->filter_options, arg + 2, len);
			val = o != NULL && o->arg != NULL && eq == NULL &&
			    i + 1 < argc ? argv[++i] : NULL;
			if (o != NULL && o->id == CMD_OPT_REMOTE)
				continue;
			strvec_push(out, arg);
			if (val != NULL)
				strvec_push(out, val);
			continue;
		}
		p = arg + 1;
		if ((o = find_short(e->options, p, strlen(p))) != NULL ||
		    (o = find_short(e->filter_options, p, strlen(p))) != NULL) {
			val = o->arg != NULL && i + 1 < argc ? argv[++i] : NULL;
			if (o->id == CMD_OPT_REMOTE)
				continue;
			strvec_push(out, arg);
			if (val != NULL)
				strvec_push(out, val);
			continue;
		}
		strbuf_addch(&kept, '-');
		val = NULL;
		for (; *p != '\0'; p++) {
			if ((o = find_short(e->options, p, 1)) == NULL)
				o = find_short(e->filter_options, p, 1);
			if (o == NULL || o->arg == NULL) {
				strbuf_addch(&kept, *p);
				continue;
			}
			/* The last of the cluster: its value follows. */
			if (p[1] == '\0' && i + 1 < argc)
				val = argv[++i];
			if (o->id != CMD_OPT_REMOTE) {
				strbuf_addstr(&kept, p);
				if (p[1] != '\0')
					val = NULL;
			} else
				val = NULL;
			break;
		}
		if (kept.len > 1)
			strvec_push(out, kept.buf);
		if (val != NULL)
			strvec_push(out, val);
		strbuf_setlen(&kept, 0);
	}
	strbuf_release(&kept);
}

static int
dispatch(struct cmd_ctx *ctx, const char *path, const struct cmd_entry *e,
    int argc, char **argv)
{
	struct cmd_args	 a;
	int		 rc, i, here = 0;

	if (e->subcommands != NULL) {
		const struct cmd_entry	*sub = NULL;
		char			*subpath, **subargv;
		int			 subargc = 0;

		/*
		 * The first word that is not an option names the subcommand
		 * ("guild runs rm 1"); without one the default subcommand
		 * gets every argument ("guild runs -a" is "guild runs list -a").
		 */
		const struct cmd_entry	*def = e->default_sub != NULL ?
		    find_command(e->subcommands, e->default_sub) : NULL;

		for (i = 0; i < argc; i++) {
			if (argv[i][0] == '-') {
				/* Skip the value of an option of the default subcommand. */
				if (def != NULL && i + 1 < argc &&
				    option_takes_value(def, argv[i]))
					i++;
				continue;
			}
			if ((sub = find_command(e->subcommands, argv[i])) == NULL &&
			    e->default_sub == NULL) {
				return cli_error("no such command '%s %s'\n"
				    "Try 'guild %s --help' for a list of commands.",
				    path, argv[i], path);
			}
			break;
		}
		if (sub == NULL) {
			for (i = 0; i < argc; i++)
				if (strcmp(argv[i], "--help") == 0 ||
				    strcmp(argv[i], "-h") == 0) {
					command_help(stdout, path, e);
					return 0;
				}
			if (e->default_sub == NULL) {
				command_help(stderr, path, e);
				return 1;
			}
			sub = find_command(e->subcommands, e->default_sub);
			i = argc;
		}
		subargv = xcalloc((size_t)argc + 1, sizeof *subargv);
		for (int j = 0; j < argc; j++)
			if (j != i)
				subargv[subargc++] = argv[j];
		subpath = xasprintf("%s %s", path, sub->name);
		rc = dispatch(ctx, subpath, sub, subargc, subargv);
		free(subpath);
		free(subargv);
		return rc;
	}

	if (e->route != NULL && argc > 0) {
		const struct cmd_entry	*other = e->route(ctx, argc, argv);

		if (other != NULL) {
			char	*subpath = xasprintf("%s %s", path, argv[0]);

			rc = dispatch(ctx, subpath, other, argc - 1, argv + 1);
			free(subpath);
			return rc;
		}
	}
	memset(&a, 0, sizeof a);
	switch (parse_args(path, e->options, e->filter_options, argc, argv,
	    false, &a)) {
	case PARSE_HELP:
		command_help(stdout, path, e);
		cmd_args_clear(&a);
		return 0;
	case PARSE_ERROR:
		cmd_args_clear(&a);
		return 1;
	case PARSE_OK:
		break;
	}
	/* A Slurm remote of this machine: the command runs here, in its home. */
	if (a.count[CMD_OPT_REMOTE] > 0 && !e->remote_self &&
	    (here = cli_remote_here(ctx, cmd_arg_value(&a, CMD_OPT_REMOTE),
	    NULL)) != 1)
	{
		struct strvec	fwd = STRVEC_INIT;

		if (here != -1)
			args_without_remote(e, argc, argv, &fwd);
		rc = here == -1 ? 1 : cli_remote_forward(ctx, path, &fwd,
		    cmd_arg_value(&a, CMD_OPT_REMOTE));
		strvec_clear(&fwd);
	} else
		rc = e->exec(ctx, &a);
	cmd_args_clear(&a);
	return rc;
}

void
cli_set_view(int (*view)(struct cmd_ctx *, const struct view_options *))
{
	cli_view = view;
}

const struct cmd_entry *const *
cli_commands(void)
{
	return cli_table_cmds;
}

const struct cmd_option *
cli_global_options(void)
{
	return global_options;
}

const struct cmd_entry *
cli_lookup(const char *const *path, size_t n)
{
	const struct cmd_entry	*const *table = cli_table_cmds, *e = NULL;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (table == NULL || (e = find_command(table, path[i])) == NULL)
			return NULL;
		table = e->subcommands;
	}
	return e;
}

struct guild_home *
cli_home(struct cmd_ctx *ctx)
{
	char	*cause = NULL;

	if (ctx->home == NULL &&
	    (ctx->home = home_new(ctx->home_override, &cause)) == NULL)
		cli_error_cause(cause);
	return ctx->home;
}

struct guildfile *
cli_guildfile(struct cmd_ctx *ctx)
{
	char	*cause = NULL;

	if (ctx->gf == NULL && (ctx->gf = guildfile_find(NULL, &cause)) == NULL)
		cli_error_cause(cause);
	return ctx->gf;
}

/* Where the command started, before -C (NULL: no -C, or unknown). */
static char	*start_dir;

const char *
cli_start_dir(void)
{
	return start_dir != NULL ? start_dir : ".";
}

/* Guild 0.9 mode, from the environment or the user's config file. */
static int
load_compat(const struct cmd_ctx *ctx)
{
	struct guild_home	*h = home_new(ctx->home_override, NULL);
	char			*cause = NULL;
	int			 rc;

	rc = compat_load(h != NULL ? h->path : NULL, &cause);
	home_free(h);
	if (rc == -1)
		cli_error_cause(cause);
	return rc;
}

/*
 * extends: PKG/MODEL finds the package through the home's cache of the
 * Python path; the home is not made for it when the command has none.
 */
static char *
find_pkg(const char *pkg, void *arg)
{
	struct cmd_ctx		*ctx = arg;
	struct guild_home	*h = ctx->home;
	char			*path;

	if (h == NULL)
		h = home_new(ctx->home_override, NULL);
	path = package_guildfile_path(h, pkg);
	if (h != ctx->home)
		home_free(h);
	return path;
}

int
cli_main(const struct cmd_entry *const *table, int argc, char **argv)
{
	struct cmd_ctx		 ctx;
	struct cmd_args		 a;
	const struct cmd_entry	*e;
	const char		*dir;
	int			 rc;

	cli_table_cmds = table;
	tty_decide();
	warn_set_sink(cli_warning, NULL);
	memset(&ctx, 0, sizeof ctx);
	memset(&a, 0, sizeof a);
	ctx.argv0 = argv[0];
	ctx.view = cli_view;
	ctx.out = stdout;
	switch (parse_args("", global_options, NULL, argc - 1, argv + 1, true, &a)) {
	case PARSE_HELP:
		main_help(stdout, table);
		cmd_args_clear(&a);
		return 0;
	case PARSE_ERROR:
		cmd_args_clear(&a);
		return 1;
	case PARSE_OK:
		break;
	}
	if (cmd_arg_has(&a, 4) || (a.pos.n == 0 && !cmd_arg_has(&a, 3))) {
		main_help(stdout, table);
		cmd_args_clear(&a);
		return 0;
	}
	if (cmd_arg_has(&a, 3)) {
		printf("guild %s\n", PACKAGE_VERSION);
		cmd_args_clear(&a);
		return 0;
	}
	if ((dir = cmd_arg_value(&a, 1)) != NULL && start_dir == NULL)
		start_dir = getcwd(NULL, 0);
	if (dir != NULL && chdir(dir) == -1) {
		rc = cli_error("-C %s: %s", dir, strerror(errno));
		cmd_args_clear(&a);
		return rc;
	}
	ctx.home_override = cmd_arg_value(&a, 2);
	ctx.debug = cmd_arg_has(&a, 5);
	guildfile_set_pkg_finder(find_pkg, &ctx);
	if (load_compat(&ctx) == -1) {
		cmd_args_clear(&a);
		return 1;
	}
	if ((e = find_command(table, a.pos.v[0])) == NULL) {
		rc = cli_error("no such command '%s'\n"
		    "Try 'guild --help' for a list of commands.", a.pos.v[0]);
		cmd_args_clear(&a);
		return rc;
	}
	/* a.pos holds the command and everything after it. */
	ctx.cmd_argc = (int)a.pos.n;
	ctx.cmd_argv = a.pos.v;
	rc = dispatch(&ctx, e->name, e, (int)a.pos.n - 1, a.pos.v + 1);
	fflush(stdout);
	strvec_clear(&shown_copies);
	cmd_args_clear(&a);
	guildfile_free(ctx.gf);
	guildfile_set_pkg_finder(NULL, NULL);
	home_free(ctx.home);
	return rc;
}

/*
 * The columns a table may take on f: on a terminal, COLUMNS when set,
 * else the terminal's width; 0 (no limit) when f is no terminal, so
 * that what is piped is never cut.
 */
static size_t
table_width(FILE *f)
{
	const char	*env = getenv("COLUMNS");
	struct winsize	 ws;
	long		 cols;
	char		*end;

	if (!cli_tty(f))
		return 0;
	if (env != NULL && *env != '\0') {
		cols = strtol(env, &end, 10);
		if (*end == '\0' && cols > 0)
			return (size_t)cols;
	}
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

/* Help is wrapped as it is, never cut: maxw 0. */
static void
table_print(FILE *f, const char *const *cells, size_t rows, size_t ncols,
    size_t maxw)
{
	const char	**shown_cells;
	size_t		 *width, r, c;

	if (rows == 0 || ncols == 0)
		return;
	width = xcalloc(ncols, sizeof *width);
	shown_cells = xcalloc(rows * ncols, sizeof *shown_cells);
	for (r = 0; r < rows * ncols; r++)
		shown_cells[r] = cli_field(f, cells[r]);
	cells = shown_cells;
	for (r = 0; r < rows; r++)
		for (c = 0; c + 1 < ncols; c++) {
			size_t	w = utf8_width(cells[r * ncols + c]);

			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r < rows; r++) {
		struct strbuf	line = STRBUF_INIT;

		for (c = 0; c < ncols; c++) {
			const char	*cell = cells[r * ncols + c];

			strbuf_addstr(&line, cell != NULL ? cell : "");
			if (c + 1 < ncols)
				strbuf_addchars(&line, ' ',
				    width[c] - utf8_width(cell) + 2);
		}
		strbuf_rtrim(&line);
		/*
		 * As Guild AI: a line is cut at the terminal's edge, so the
		 * last column (the label, the flags) goes first.
		 */
		if (maxw > 0 && utf8_width(line.buf) > maxw)
			strbuf_setlen(&line, format_fit_width(line.buf, maxw));
		fprintf(f, "%s\n", line.buf);
		strbuf_release(&line);
	}
	free(shown_cells);
	free(width);
}

void
cli_table(FILE *f, const char *const *cells, size_t rows, size_t ncols)
{
	table_print(f, cells, rows, ncols, table_width(f));
}

size_t
cli_help_width(void)
{
	const char	*env = getenv("COLUMNS");
	struct winsize	 ws;
	long		 cols = 0;
	char		*end;

	if (env != NULL && *env != '\0') {
		cols = strtol(env, &end, 10);
		if (*end != '\0' || cols <= 0)
			cols = 0;
	}
	if (cols == 0 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		cols = ws.ws_col;
	if (cols == 0)
		cols = 80;
	if (cols > 80)
		cols = 80;
	return cols - 2 < 50 ? 50 : (size_t)cols - 2;
}

/* Code points in s[0..n) (Python's len(), which textwrap measures). */
static size_t
cp_len(const char *s, size_t n)
{
	size_t	i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Bytes of the first n code points of s[0..len). */
static size_t
cp_prefix(const char *s, size_t len, size_t n)
{
	size_t	i = 0, c = 0;

	while (i < len) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (c == n)
				break;
			c++;
		}
		i++;
	}
	return i;
}

/* A letter as textwrap's [^\d\W] sees one (any non-ASCII byte too). */
static bool
wrap_letter(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '_';
}

/*
 * Where a word may break after a hyphen, as textwrap's wordsep_re allows:
 * two letters (or letter-hyphen-letter) before it, and a letter, maybe a
 * hyphen, and a letter after it. Returns the length of the word's first
 * chunk.
 */
static size_t
word_chunk(const char *w, size_t len)
{
	size_t	i;

	for (i = 1; i + 2 < len; i++) {
		const unsigned char *u = (const unsigned char *)w;

		if (w[i] != '-')
			continue;
		if (!((i >= 2 && wrap_letter(u[i - 2]) && wrap_letter(u[i - 1])) ||
		    (i >= 3 && wrap_letter(u[i - 3]) && u[i - 2] == '-' &&
		    wrap_letter(u[i - 1]))))
			continue;
		if (wrap_letter(u[i + 1]) && (wrap_letter(u[i + 2]) ||
		    (u[i + 2] == '-' && i + 3 < len && wrap_letter(u[i + 3]))))
			return i + 1;
	}
	return len;
}

struct chunk {
	const char	*s;
	size_t		 len;
	bool		 space;
};

/*
 * One paragraph filled to width after the indent as Python's textwrap
 * (through Click's wrap_text) fills it: whitespace runs kept between
 * words, hyphenated words broken after a hyphen, and a word longer than
 * the line broken to fill what is left of it (break_long_words).
 */
static void
fill(struct strbuf *out, const char *text, size_t width, size_t indent)
{
	struct chunk	*c = NULL;
	size_t		 n = 0, alloc = 0, i = 0, k, len, cur, w, room;
	const char	*p = text;
	size_t		 base = out->len;
	bool		 first_line = true;

	while (*p != '\0') {
		XGROW(c, alloc, n + 1);
		c[n].s = p;
		c[n].space = *p == ' ' || *p == '\t' || *p == '\n';
		if (c[n].space)
			len = strspn(p, " \t\n");
		else
			len = word_chunk(p, strcspn(p, " \t\n"));
		c[n++].len = len;
		p += len;
	}
	room = width > indent ? width - indent : 1;
	while (i < n) {
		size_t	start;

		/* Whitespace at the start of a line other than the first goes. */
		if (!first_line && c[i].space)
			i++;
		start = out->len;
		strbuf_addchars(out, ' ', indent);
		cur = 0;
		while (i < n && cur + (w = cp_len(c[i].s, c[i].len)) <= room) {
			strbuf_add(out, c[i].s, c[i].len);
			cur += w;
			i++;
		}
		if (i < n && cp_len(c[i].s, c[i].len) > room) {
			/* The long word: as much as the line has room for. */
			k = cp_prefix(c[i].s, c[i].len, room > cur ? room - cur : 1);
			strbuf_add(out, c[i].s, k);
			cur += cp_len(c[i].s, k);
			c[i].s += k;
			c[i].len -= k;
		}
		/* Trailing whitespace is dropped. */
		while (out->len > start + indent &&
		    (out->buf[out->len - 1] == ' ' ||
		    out->buf[out->len - 1] == '\t' ||
		    out->buf[out->len - 1] == '\n'))
			strbuf_setlen(out, out->len - 1);
		if (out->len == start + indent) {
			strbuf_setlen(out, start);
			if (!first_line)
				continue;
		}
		if (i < n && out->len > start)
			strbuf_addch(out, '\n');
		first_line = false;
	}
	/* A last line of whitespace alone leaves no newline behind. */
	while (out->len > base && out->buf[out->len - 1] == '\n')
		strbuf_setlen(out, out->len - 1);
	free(c);
}

/* One paragraph of cli_wrap(), after the first if *npars. */
static void
flush_par(struct strbuf *out, struct strbuf *par, bool raw, size_t width,
    size_t indent, size_t *npars)
{
	if (*npars > 0)
		strbuf_addstr(out, "\n\n");
	(*npars)++;
	if (raw)
		strbuf_add(out, par->buf, par->len);
	else
		fill(out, par->buf, width, indent);
	strbuf_reset(par);
}

void
cli_wrap(struct strbuf *out, const char *text, size_t width, size_t indent)
{
	struct strbuf	 par = STRBUF_INIT;
	const char	*p = text, *nl;
	size_t		 len, pind = 0, npars = 0;
	bool		 raw = false, in = false;

	for (; p != NULL; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (strspn(p, " \t\r") >= len) {
			if (in)
				flush_par(out, &par, raw, width, indent + pind,
				    &npars);
			in = false;
		} else if (!in) {
			in = true;
			pind = strspn(p, " ");
			raw = len - pind == 1 && p[pind] == '\b';
			if (!raw)
				strbuf_add(&par, p + pind, len - pind);
		} else if (raw) {
			if (par.len > 0)
				strbuf_addch(&par, '\n');
			strbuf_addchars(&par, ' ', indent);
			strbuf_add(&par, p, len);
		} else {
			/* Click strips each line before joining them. */
			size_t	lead = strspn(p, " \t");

			strbuf_addch(&par, ' ');
			strbuf_add(&par, p + lead, len - lead);
		}
	}
	if (in)
		flush_par(out, &par, raw, width, indent + pind, &npars);
	strbuf_release(&par);
}

void
cli_dl(struct strbuf *out, const char *const *rows, size_t n, size_t indent,
    size_t width)
{
	struct strbuf	 text = STRBUF_INIT;
	size_t		 i, w, first = 0, tw;
	const char	*line, *nl;
	bool		 several;

	for (i = 0; i < n; i++) {
		if ((w = utf8_width(rows[2 * i])) > first)
			first = w;
	}
	first = (first < 30 ? first : 30) + 2;
	tw = width > first + 2 + 10 ? width - first - 2 : 10;
	for (i = 0; i < n; i++) {
		strbuf_addchars(out, ' ', indent);
		strbuf_addstr(out, rows[2 * i]);
		if (rows[2 * i + 1] == NULL || *rows[2 * i + 1] == '\0') {
			strbuf_addch(out, '\n');
			continue;
		}
		if ((w = utf8_width(rows[2 * i])) <= first - 2)
			strbuf_addchars(out, ' ', first - w);
		else {
			strbuf_addch(out, '\n');
			strbuf_addchars(out, ' ', first + indent);
		}
		strbuf_reset(&text);
		cli_wrap(&text, rows[2 * i + 1], tw, 0);
		several = strchr(text.buf, '\n') != NULL;
		for (line = text.buf; ; line = nl + 1) {
			nl = strchr(line, '\n');
			w = nl != NULL ? (size_t)(nl - line) : strlen(line);
			if (line != text.buf && w > 0)
				strbuf_addchars(out, ' ', first + indent);
			strbuf_add(out, line, w);
			strbuf_addch(out, '\n');
			if (nl == NULL)
				break;
		}
		if (several)
			strbuf_addch(out, '\n');
	}
	strbuf_release(&text);
}

void
cli_page(const char *text, bool allow_pager)
{
	const char		*pager, *argv[] = { "/bin/sh", "-c", NULL, NULL };
	struct proc_spec	 spec = { .argv = argv, .mode = PROC_INHERIT };
	struct strvec		 env = STRVEC_INIT;
	char			*cause = NULL, **e;
	int			 code;

	text = cli_text(stdout, text);
	pager = getenv("PAGER");
	if (pager == NULL || *pager == '\0')
		pager = "less -FRX";
	if (!allow_pager || !isatty(STDOUT_FILENO) || strcmp(pager, "cat") == 0) {
		fputs(text, stdout);
		return;
	}
	argv[2] = pager;
	for (e = environ; *e != NULL; e++)
		strvec_push(&env, *e);
	if (getenv("LESS") == NULL)
		strvec_setenv(&env, "LESS", "FRX");
	spec.env = (const char *const *)env.v;
	spec.input = text;
	spec.input_len = strlen(text);
	if (proc_run(&spec, NULL, NULL, &code, &cause) == -1) {
		/* No pager after all: the text still goes out. */
		free(cause);
		fputs(text, stdout);
	}
	strvec_clear(&env);
}

bool
cli_confirm(const char *question, bool default_yes)
{
	char	 buf[64];
	size_t	 n;

	fprintf(stderr, "%s %s ", cli_text(stderr, question),
	    default_yes ? "(Y/n)" : "(y/N)");
	fflush(stderr);
	if (fgets(buf, sizeof buf, stdin) == NULL) {
		fputc('\n', stderr);
		return false;
	}
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	if (n == 0)
		return default_yes;
	return strcasecmp(buf, "y") == 0 || strcasecmp(buf, "yes") == 0;
}
