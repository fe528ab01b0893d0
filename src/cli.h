/*
 * cli.h: the command table and option parsing shared by every command.
 *
 * Commands are rows of a table (struct cmd_entry); each declares its
 * options (struct cmd_option) once, and --help, the option parser and
 * the man-page check are all driven by that declaration.
 */
#ifndef GUILD_CLI_H
#define GUILD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "strvec.h"

struct guild_home;
struct guildfile;
struct strbuf;
struct view_options;

/*
 * Option ids index cmd_args. A command's own options take ids 1 to
 * CMD_FILTER_BASE - 1 and the shared run filters (run_filter_options)
 * CMD_FILTER_BASE to CMD_MAX_OPTIONS - 1, so the two never share a slot:
 * the parser refuses an option outside its range, and tests/check-options
 * walks every command table for ids out of range and repeated names.
 */
#define CMD_FILTER_BASE	56
#define CMD_MAX_OPTIONS	80

/*
 * -r/--remote REMOTE, the same id in every command that takes it (the
 * last before the filters): given, the command runs on REMOTE instead
 * (cli_remote_forward), unless its entry has remote_self (guild run,
 * which stages here first).
 */
#define CMD_OPT_REMOTE	(CMD_FILTER_BASE - 1)
#define CMD_REMOTE_OPTION { CMD_OPT_REMOTE, "r", "remote", "REMOTE", \
	"Run the command on REMOTE's runs (see guild remotes)." }

struct cmd_option {
	int		 id;		/* index into cmd_args; 0 ends the table */
	const char	*shorts;	/* "a" or "a|Fo": short names without '-' */
	const char	*longs;		/* "all" or "all|everything" without "--" */
	const char	*arg;		/* metavar, NULL for a switch */
	const char	*help;
	bool		 hidden;	/* accepted, not listed in --help */
};

struct value;

struct cmd_args {
	int		 count[CMD_MAX_OPTIONS];	/* times each option was given */
	struct strvec	 values[CMD_MAX_OPTIONS];	/* values, in order */
	struct strvec	 pos;				/* positional arguments */
};

struct cmd_ctx {
	const char		*argv0;
	const char		*home_override;	/* -H */
	/* The command line from the command's name on, as given. */
	int			 cmd_argc;
	char			**cmd_argv;
	/*
	 * The view (view_main, ui/view.h) in the view program, guild-view;
	 * NULL in guild, which does not load curses: there a command that
	 * opens the view hands itself over (cmd_view_handoff, cmds.h).
	 */
	int			(*view)(struct cmd_ctx *, const struct view_options *);
	struct guild_home	*home;		/* resolved by cli_home() */
	bool			 debug;		/* guild --debug */
	struct guildfile	*gf;		/* loaded by cli_guildfile() */
	FILE			*out;
};

struct cmd_entry {
	const char		*name;
	const char		*aliases;	/* "ops" or NULL; '|'-separated */
	const char		*usage;		/* after "guild NAME [OPTIONS]" */
	const char		*summary;	/* one line for the command list */
	const char		*description;	/* paragraphs for --help, or NULL */
	const struct cmd_option	*options;
	/* Run filters (run_filter_options), or NULL. */
	const struct cmd_option	*filter_options;
	int			(*exec)(struct cmd_ctx *, struct cmd_args *);
	const struct cmd_entry	*const *subcommands;	/* NULL-terminated, or NULL */
	/*
	 * Before parsing: another entry that should handle these arguments
	 * (without argv[0]), or NULL. "guild run info" is "guild runs info"
	 * unless the project has an operation named info.
	 */
	const struct cmd_entry	*(*route)(struct cmd_ctx *, int argc, char **argv);
	const char		*default_sub;	/* subcommand run when none given */
	bool			 remote_self;	/* exec handles CMD_OPT_REMOTE */
};

/*
 * Run filters shared by every command that takes runs (ids from
 * CMD_FILTER_BASE), and the struct run_filter (runsel.h) they give.
 * src/cli-filter.c.
 */
struct run_filter;
extern const struct cmd_option	run_filter_options[];
int		 cli_run_filter(const struct cmd_args *, struct run_filter *,
		    char **cause);

/* The last value of option id, or NULL. */
const char	*cmd_arg_value(const struct cmd_args *, int id);
/* Whether option id was given. */
bool		 cmd_arg_has(const struct cmd_args *, int id);
/* Whether any run filter option was given. */
bool		 cmd_arg_has_filter(const struct cmd_args *);

/*
 * The command at path ("runs delete") with args (its arguments, without
 * -r/--remote) run on the remote named name over ssh, its output passed
 * through (cmd-remote.c); on a Slurm remote with a host, with -r NAME
 * there, where NAME is that login node's own Slurm remote
 * (REMOTE_LOGIN_ENV). Returns the exit status.
 */
int		 cli_remote_forward(struct cmd_ctx *, const char *path,
		    const struct strvec *args, const char *name);

/* Run the program: parse global options and dispatch. Returns exit status. */
int		 cli_main(const struct cmd_entry *const *table, int argc, char **argv);
/* In the view program, before cli_main(): the view, for cmd_ctx.view. */
void		 cli_set_view(int (*)(struct cmd_ctx *, const struct view_options *));

/*
 * For commands that describe the others (guild completion): the table
 * given to cli_main() (NULL before), the global options, and the entry
 * at path ("runs", "runs rm": names or aliases, each word a subcommand
 * of the one before), or NULL when there is none.
 */
const struct cmd_entry *const *cli_commands(void);
const struct cmd_option *cli_global_options(void);
const struct cmd_entry *cli_lookup(const char *const *path, size_t n);

/* The Guild home (resolved once). NULL after printing an error. */
struct guild_home *cli_home(struct cmd_ctx *);
/* The project's guild.yml in the current directory; NULL after an error. */
struct guildfile *cli_guildfile(struct cmd_ctx *);

/*
 * Untrusted text: anything from a run, a project (guild.yml), a file or
 * the command line. Whether stdout and stderr are terminals is decided
 * once; on a terminal such text is printed as cli_field() or cli_text()
 * return it, with every control byte and invalid UTF-8 shown visibly
 * (termsafe.h), and elsewhere (a pipe, a file) byte for byte.
 *
 * cli_field() is for a one-line field (a label, a tag, a name, a table
 * cell: tabs and newlines are shown too), cli_text() for text with lines
 * (a comment, a description). Each returns s itself when it can be
 * printed as it is, else a copy that lives until cli_main() returns.
 * NULL stays NULL.
 */
bool		 cli_tty(FILE *);
/*
 * The options of a parsed command line by name, as Guild records a
 * run's run_params (click's args.as_kw()): each long name with "_" for
 * "-", a switch true or false, an option's value (a list when given more
 * than once, null when not given). Caller frees.
 */
struct value	*cli_args_params(const struct cmd_option *,
		    const struct cmd_args *);
const char	*cli_field(FILE *, const char *s);
const char	*cli_text(FILE *, const char *s);
/* Write len bytes of untrusted text with lines to f (cli_text). */
void		 cli_write_text(FILE *, const void *buf, size_t len);

/*
 * Print "guild: MSG" on stderr (shown as cli_text: a message may quote
 * user input). Always returns 1 (the exit status).
 */
int		 cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Print what a command did or found on stderr (so that stdout stays the
 * listing), shown as cli_text.
 */
void		 cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "guild: CAUSE" and free it; returns 1. */
int		 cli_error_cause(char *cause);

/*
 * Print rows of columns aligned as Guild does: every column but the last
 * padded to its widest cell plus two spaces. cells is rows*ncols strings.
 * On a terminal, lines are cut at its width (COLUMNS when set), the last
 * column first, as Guild AI does; piped output is never cut.
 */
void		 cli_table(FILE *, const char *const *cells, size_t rows, size_t ncols);

/*
 * Help text laid out as Guild's (Click's) formatter does. The width:
 * the terminal's columns ($COLUMNS first, else 80), at most 80, less 2,
 * and at least 50.
 */
size_t		 cli_help_width(void);
/*
 * The directory the command started in, before -C DIR changed it: paths
 * the user gives for files of their own (a pidfile) are relative to it.
 */
const char	*cli_start_dir(void);
/*
 * Click's wrap_text(preserve_paragraphs=True), appended to out without a
 * final newline: paragraphs (separated by blank lines) are filled to
 * width, each line starting with indent spaces plus the paragraph's own
 * indentation; a paragraph whose first line is "\b" is kept as written.
 * Paragraphs are separated by a blank line.
 */
void		 cli_wrap(struct strbuf *out, const char *text, size_t width,
		    size_t indent);
/*
 * Click's write_dl: rows of (term, text) pairs (2 * n strings), terms
 * indented by indent, texts in a column after the longest term (at most
 * 30 columns; a longer term puts its text on the next line) plus two
 * spaces, wrapped to width. A text of several lines is followed by a
 * blank line.
 */
void		 cli_dl(struct strbuf *out, const char *const *rows, size_t n,
		    size_t indent, size_t width);

/*
 * Write text through $PAGER (default "less -FRX") when out is a terminal
 * and paging is allowed; otherwise print it.
 */
void		 cli_page(const char *text, bool allow_pager);

/*
 * Ask a yes/no question on stderr, reading an answer from stdin. Enter
 * takes the default. EOF is "no".
 */
bool		 cli_confirm(const char *question, bool default_yes);

#endif
