/*
 * cmd-files.c: a run's files: guild ls, cat, open, and select (which
 * prints a run's id, directory or an attr for scripts).
 *
 * Source code lives in RUN/.guild/sourcecode (GUIDE.md 2.3), so a plain
 * "guild ls" shows what the run generated, as in the walkthrough;
 * "guild ls -s" lists the snapshot relative to its own root, which reads
 * like the project did (and like Guild 0.9, which copies source code to
 * the run directory's root). Runs written by Guild 0.9 have no snapshot
 * directory: their source files are the manifest's "s" entries.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-select.h"
#include "cmds.h"
#include "format.h"
#include "output.h"
#include "proc.h"
#include "run.h"
#include "runattrs.h"
#include "runindex.h"
#include "runops.h"
#include "scalars.h"
#include "strbuf.h"
#include "termsafe.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

#define SOURCECODE_DIR	".guild/sourcecode"

/* Components of a relative path, without empty ones. */
static void
split_path(const char *path, struct strvec *parts)
{
	const char	*p = path;

	while (*p != '\0') {
		size_t	n = strcspn(p, "/");

		if (n > 0)
			strvec_push_nodup(parts, xstrndup(p, n));
		p += n + (p[n] == '/');
	}
}

static bool
is_hidden(const char *name)
{
	return name[0] == '.';
}

/*
 * A path given with -p must stay in the run directory: relative, and no
 * ".." component. Symbolic links inside the run (dependencies linked from
 * an upstream run) are the run's files and are followed.
 */
static int
check_rel_path(const char *path)
{
	struct strvec	parts = STRVEC_INIT;
	size_t		i;
	bool		up = false;

	if (*path == '/')
		return cli_error("PATH must be relative to the run directory: "
		    "'%s'", path);
	split_path(path, &parts);
	for (i = 0; i < parts.n; i++)
		if (strcmp(parts.v[i], "..") == 0)
			up = true;
	strvec_clear(&parts);
	if (up)
		return cli_error("PATH may not leave the run directory: '%s'",
		    path);
	return 0;
}

/* Where source code is: the snapshot, or (Guild 0.9 runs) the run dir. */
static char *
sourcecode_root(const char *run_dir)
{
	char	*dir = path_join(run_dir, SOURCECODE_DIR);

	if (path_is_dir(dir))
		return dir;
	free(dir);
	return xstrdup(run_dir);
}

/*
 * guild ls
 */

enum {
	LS_PATH = 1,
	LS_SOURCECODE,
	LS_DEPENDENCIES,
	LS_GENERATED,
	LS_ALL,
	LS_FULL,
	LS_NO_FORMAT,
	LS_FOLLOW,
	LS_NO_FOLLOW,
};

static const struct cmd_option ls_options[] = {
	{ LS_PATH, "p", "path", "PATH",
	  "List PATH only (a path, or a glob pattern with * or ?)." },
	{ LS_SOURCECODE, "s", "sourcecode", NULL,
	  "List source code files (relative to the source code snapshot)." },
	{ LS_DEPENDENCIES, "d", "dependencies", NULL,
	  "List dependency files." },
	{ LS_GENERATED, "g", "generated", NULL,
	  "List generated files (neither source code nor dependencies)." },
	{ LS_ALL, "a", "all", NULL, "Include hidden files and .guild." },
	{ LS_FULL, "f", "full-path", NULL, "Show full paths." },
	{ LS_NO_FORMAT, "n", "no-format", NULL,
	  "Show relative paths without the header and indent." },
	{ LS_FOLLOW, "L", "follow-links", NULL,
	  "Follow links to directories (the default)." },
	{ LS_NO_FOLLOW, NULL, "no-follow-links", NULL,
	  "List links to directories without their contents." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

enum ls_filter_kind {
	LS_FILTER_DEFAULT,
	LS_FILTER_PATTERN,
	LS_FILTER_PATH,
};

/* Manifest types (Guild: s source, d dependency, g generated). */
#define LS_TYPE_S	0x1
#define LS_TYPE_D	0x2
#define LS_TYPE_G	0x4

struct ls_entry {
	char	*rel;
	bool	 dir;
};

struct ls {
	enum ls_filter_kind	 kind;
	struct strvec		 pattern;	/* parts of -p */
	bool			 all;
	bool			 follow;
	unsigned		 types;		/* 0: no manifest filter */
	struct strvec		 man_paths;	/* manifest paths and types */
	struct strvec		 man_types;

	struct ls_entry		*v;
	size_t			 n, alloc;

	dev_t			*devs;		/* directories being walked, */
	ino_t			*inos;		/* against link cycles */
	size_t			 depth, dalloc;

	/* Where links may lead: the run, the runs of the home. */
	const struct guild_home	*home;
	const char		*run_dir;
};

static bool
parts_prefix(const struct strvec *prefix, const struct strvec *path)
{
	size_t	i;

	if (path->n < prefix->n)
		return false;
	for (i = 0; i < prefix->n; i++)
		if (strcmp(prefix->v[i], path->v[i]) != 0)
			return false;
	return true;
}

static bool
base_match(const struct ls *ls, const struct strvec *parts)
{
	size_t	i;

	switch (ls->kind) {
	case LS_FILTER_DEFAULT:
		return ls->all || !is_hidden(parts->v[parts->n - 1]);
	case LS_FILTER_PATTERN:
		if (parts->n < ls->pattern.n)
			return false;
		for (i = 0; i < ls->pattern.n; i++)
			if (fnmatch(ls->pattern.v[i], parts->v[i], 0) != 0)
				return false;
		/* Hidden parts only when the pattern asks for them. */
		for (i = 0; !ls->all && i < parts->n; i++)
			if (is_hidden(parts->v[i]) && (i >= ls->pattern.n ||
			    !is_hidden(ls->pattern.v[i])))
				return false;
		return true;
	case LS_FILTER_PATH:
		if (!ls->all && is_hidden(parts->v[parts->n - 1])) {
			if (parts->n != ls->pattern.n)
				return false;
			return parts_prefix(&ls->pattern, parts);
		}
		return parts_prefix(&ls->pattern, parts);
	}
	return false;
}

/* Whether an unmatched directory can hold nothing that matches. */
static bool
base_prune(const struct ls *ls, const char *name, const struct strvec *parts)
{
	switch (ls->kind) {
	case LS_FILTER_DEFAULT:
		return !ls->all && is_hidden(name);
	case LS_FILTER_PATTERN:
		if (ls->all || !is_hidden(name))
			return false;
		return ls->pattern.n >= parts->n &&
		    !is_hidden(ls->pattern.v[parts->n - 1]);
	case LS_FILTER_PATH:
		return !parts_prefix(parts, &ls->pattern);
	}
	return false;
}

static bool
ls_match(const struct ls *ls, const char *rel, const struct strvec *parts)
{
	long		i;
	unsigned	type;

	if (!base_match(ls, parts))
		return false;
	if (ls->types == 0)
		return true;
	if ((i = strvec_find(&ls->man_paths, rel)) != -1)
		type = ls->man_types.v[i][0] == 's' ? LS_TYPE_S : LS_TYPE_D;
	else if (strcmp(parts->v[0], ".guild") == 0)
		return false;
	else
		type = LS_TYPE_G;
	return (ls->types & type) != 0;
}

/*
 * Whether a link to a directory leads into the run or another run beside
 * it (dependencies): links out of the Guild home are listed, not entered.
 */
static bool
link_inside(const struct ls *ls, const char *path)
{
	char	*real = run_file_resolve(ls->home, ls->run_dir, path);
	bool	 in = real != NULL;

	free(real);
	return in;
}

static void
ls_walk(struct ls *ls, const char *dir, const char *rel)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	size_t		 i;

	if ((d = opendir(dir)) == NULL)
		return;
	if (fstat(dirfd(d), &st) == 0) {
		for (i = 0; i < ls->depth; i++)
			if (ls->devs[i] == st.st_dev && ls->inos[i] == st.st_ino) {
				closedir(d);
				return;
			}
		XGROW(ls->devs, ls->dalloc, ls->depth + 1);
		ls->inos = xreallocarray(ls->inos, ls->dalloc, sizeof *ls->inos);
		ls->devs[ls->depth] = st.st_dev;
		ls->inos[ls->depth] = st.st_ino;
		ls->depth++;
	}
	while ((de = readdir(d)) != NULL) {
		struct strvec	 parts = STRVEC_INIT;
		struct stat	 lst, tst;
		char		*full, *child;
		bool		 is_dir, is_link, matched;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		full = path_join(dir, de->d_name);
		child = rel != NULL ? xasprintf("%s/%s", rel, de->d_name) :
		    xstrdup(de->d_name);
		if (lstat(full, &lst) == -1) {
			free(full);
			free(child);
			continue;
		}
		is_link = S_ISLNK(lst.st_mode);
		is_dir = S_ISDIR(lst.st_mode) ||
		    (is_link && stat(full, &tst) == 0 && S_ISDIR(tst.st_mode));
		split_path(child, &parts);
		matched = ls_match(ls, child, &parts);
		if (matched) {
			XGROW(ls->v, ls->alloc, ls->n + 1);
			ls->v[ls->n].rel = xstrdup(child);
			ls->v[ls->n].dir = is_dir;
			ls->n++;
		}
		if (is_dir && (matched || !base_prune(ls, de->d_name, &parts)) &&
		    (!is_link || (ls->follow && link_inside(ls, full))))
			ls_walk(ls, full, child);
		strvec_clear(&parts);
		free(full);
		free(child);
	}
	closedir(d);
	if (ls->depth > 0)
		ls->depth--;
}

static int
ls_entry_cmp(const void *a, const void *b)
{
	const struct ls_entry	*x = a, *y = b;

	return natcmp(x->rel, y->rel);
}

/* The manifest's "s" and "d" entries (run-relative paths). */
static void
read_manifest(const char *run_dir, struct ls *ls)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path = path_join(run_dir, ".guild/manifest");
	const char	*p;

	if (file_read_regular(AT_FDCWD, path, FILE_NOFOLLOW, FILE_MANIFEST_MAX,
	    &sb, NULL, NULL) == 0) {
		for (p = sb.buf; *p != '\0'; ) {
			size_t		 n = strcspn(p, "\n");
			char		*line = xstrndup(p, n);
			struct strvec	 f = STRVEC_INIT;

			if (shlex_split(line, &f, NULL) == 0 && f.n >= 2 &&
			    (strcmp(f.v[0], "s") == 0 || strcmp(f.v[0], "d") == 0)) {
				strvec_push(&ls->man_paths, f.v[1]);
				strvec_push(&ls->man_types, f.v[0]);
			}
			strvec_clear(&f);
			free(line);
			p += n + (p[n] == '\n');
		}
	}
	strbuf_release(&sb);
	free(path);
}

static int
cmd_ls_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct runindex	*idx;
	struct run_row	*row;
	struct ls	 ls;
	const char	*path = cmd_arg_value(a, LS_PATH);
	bool		 full = cmd_arg_has(a, LS_FULL);
	bool		 plain = cmd_arg_has(a, LS_NO_FORMAT);
	char		*root, *header;
	size_t		 i;
	int		 rc;

	if (path != NULL && *path == '/')
		return cli_error("PATH must be relative\n"
		    "Try 'guild ls --help' for more information.");
	if ((rc = cmd_runs_select_one(ctx, a, false, 0, &idx, &row)) != 0)
		return rc;
	memset(&ls, 0, sizeof ls);
	ls.all = cmd_arg_has(a, LS_ALL);
	ls.follow = !cmd_arg_has(a, LS_NO_FOLLOW);
	if (cmd_arg_has(a, LS_SOURCECODE))
		ls.types |= LS_TYPE_S;
	if (cmd_arg_has(a, LS_DEPENDENCIES))
		ls.types |= LS_TYPE_D;
	if (cmd_arg_has(a, LS_GENERATED))
		ls.types |= LS_TYPE_G;
	if (path != NULL) {
		split_path(path, &ls.pattern);
		ls.kind = strpbrk(path, "*?[") != NULL ? LS_FILTER_PATTERN :
		    LS_FILTER_PATH;
	}

	ls.home = cli_home(ctx);
	ls.run_dir = row->dir;
	root = xstrdup(row->dir);
	if (ls.types == LS_TYPE_S) {
		char	*snap = path_join(row->dir, SOURCECODE_DIR);

		if (path_is_dir(snap)) {
			/* Our snapshot: list it as it is, from its root. */
			free(root);
			root = snap;
			ls.types = 0;
		} else
			free(snap);
	}
	if (ls.types != 0) {
		read_manifest(row->dir, &ls);
		/* Guild shows hidden source files with -s. */
		if (ls.types & LS_TYPE_S)
			ls.all = true;
	}
	if (ls.kind == LS_FILTER_PATH && ls.pattern.n == 0)
		ls.kind = LS_FILTER_DEFAULT;
	ls_walk(&ls, root, NULL);
	if (ls.n > 0)
		qsort(ls.v, ls.n, sizeof *ls.v, ls_entry_cmp);

	if (!full && !plain) {
		header = path_abbrev_home(root);
		printf("%s:\n", cli_field(stdout, header));
		free(header);
	}
	for (i = 0; i < ls.n; i++) {
		const char	*slash = ls.v[i].dir ? "/" : "";

		if (full)
			printf("%s/%s%s\n", cli_field(stdout, root),
			    cli_field(stdout, ls.v[i].rel), slash);
		else
			printf("%s%s%s\n", plain ? "" : "  ",
			    cli_field(stdout, ls.v[i].rel), slash);
		free(ls.v[i].rel);
	}
	free(ls.v);
	free(ls.devs);
	free(ls.inos);
	strvec_clear(&ls.pattern);
	strvec_clear(&ls.man_paths);
	strvec_clear(&ls.man_types);
	free(root);
	run_row_free(row);
	runindex_close(idx);
	return 0;
}

const struct cmd_entry cmd_ls_entry = {
	.name = "ls",
	.usage = "[RUN]",
	.summary = "List run files.",
	.description =
	    "RUN defaults to the newest run. Hidden files and the .guild\n"
	    "directory are left out unless --all is given. Source code is kept\n"
	    "in .guild/sourcecode: list it with --sourcecode.",
	.options = ls_options,
	.filter_options = run_filter_options,
	.exec = cmd_ls_exec,
};

/*
 * guild cat
 */

enum {
	CAT_PATH = 1,
	CAT_SOURCECODE,
	CAT_OUTPUT,
	CAT_RAW,
};

static const struct cmd_option cat_options[] = {
	{ CAT_PATH, "p", "path", "PATH", "Print the run file PATH." },
	{ CAT_SOURCECODE, "s", "sourcecode", NULL,
	  "PATH is relative to the source code snapshot." },
	{ CAT_OUTPUT, "O", "output", NULL, "Print the run's output." },
	{ CAT_RAW, NULL, "raw", NULL,
	  "Print the bytes as written, escape sequences included: the "
	  "output's, or with --path the file's." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

/*
 * Print a run file (name: as the user gave it) that is regular (flags:
 * file_open_regular()'s). On a terminal, unless raw, a text file is shown
 * with its control bytes made visible (cli_text) and a binary file only
 * named; elsewhere it is copied byte for byte.
 */
static int
copy_file(const char *path, const char *name, unsigned flags, bool raw)
{
	struct strbuf	 shown = STRBUF_INIT, pend = STRBUF_INIT;
	struct stat	 st;
	char		 buf[65536];
	ssize_t		 n;
	size_t		 used;
	bool		 first = true;
	int		 fd, rc = 0;

	if ((fd = file_open_regular(AT_FDCWD, path, flags, NULL, NULL)) == -1) {
		if (errno == EINVAL)
			return cli_error("%s: not a regular file", name);
		return cli_error("%s: %s", name, strerror(errno));
	}
	if (!cli_tty(stdout))
		raw = true;
	fflush(stdout);
	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = cli_error("%s: %s", name, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (raw) {
			if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
				break;
			continue;
		}
		if (first && termsafe_binary(buf, (size_t)n)) {
			rc = cli_error("%s is a binary file (%lld bytes): use "
			    "--raw or redirect", name, fstat(fd, &st) == 0 ?
			    (long long)st.st_size : (long long)n);
			break;
		}
		first = false;
		/* A UTF-8 character cut by the read waits for its rest. */
		strbuf_add(&pend, buf, (size_t)n);
		strbuf_reset(&shown);
		used = termsafe_add(&shown, pend.buf, pend.len,
		    TERMSAFE_PARTIAL);
		memmove(pend.buf, pend.buf + used, pend.len - used);
		strbuf_setlen(&pend, pend.len - used);
		if (fwrite(shown.buf, 1, shown.len, stdout) != shown.len)
			break;
	}
	if (rc == 0 && pend.len > 0) {
		strbuf_reset(&shown);
		termsafe_add(&shown, pend.buf, pend.len, 0);
		fwrite(shown.buf, 1, shown.len, stdout);
	}
	strbuf_release(&shown);
	strbuf_release(&pend);
	close(fd);
	return rc;
}

/*
 * guild cat -p PATH: PATH (relative to base, in the run) may pass through
 * links, as dependencies link to the files of upstream runs, but where it
 * leads must be in the run or in another run beside it: never out of the
 * Guild home (a link to /etc/shadow planted by an operation).
 */
static int
cat_run_file(const struct guild_home *home, const struct run_row *row,
    const char *base, const char *path, bool raw)
{
	char	*file = path_join(base, path), *real;
	int	 rc;

	real = run_file_resolve(home, row->dir, file);
	free(file);
	if (real == NULL && errno == EXDEV)
		return cli_error("PATH may not leave the run directory: '%s'",
		    path);
	if (real == NULL && (errno == ENOENT || errno == ENOTDIR))
		return cli_error("%s does not exist in run %.8s", path,
		    row->id);
	if (real == NULL)
		return cli_error("%s: %s", path, strerror(errno));
	if (path_is_dir(real))
		rc = cli_error("%s is a directory", path);
	else
		rc = copy_file(real, path, FILE_NOFOLLOW, raw);
	free(real);
	return rc;
}

struct cat_output {
	bool	colour;
};

static void
cat_output_line(const struct output_line *line, void *arg)
{
	struct cat_output	*co = arg;
	struct strbuf		 sb = STRBUF_INIT;

	if (co->colour)
		output_line_render(line, &sb);
	else
		strbuf_add(&sb, line->text, line->len);
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

static int
cmd_cat_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct runindex		*idx;
	struct run_row		*row;
	struct cat_output	 co;
	const char		*path = cmd_arg_value(a, CAT_PATH);
	bool			 output = cmd_arg_has(a, CAT_OUTPUT);
	bool			 raw = cmd_arg_has(a, CAT_RAW);
	char			*base, *file, *cause = NULL;
	int			 rc;

	if ((path != NULL) + output != 1 && !(path == NULL && raw))
		return cli_error("specify a file with --path PATH or the "
		    "output with --output\n"
		    "Try 'guild cat --help' for more information.");
	if (path != NULL && check_rel_path(path) != 0)
		return 1;
	if ((rc = cmd_runs_select_one(ctx, a, false, 0, &idx, &row)) != 0)
		return rc;
	if (raw && path == NULL) {
		file = path_join(row->dir, ".guild/output");
		if (path_exists(file))
			rc = copy_file(file, ".guild/output", FILE_NOFOLLOW,
			    true);
		free(file);
	} else if (output) {
		co.colour = cli_tty(stdout) && getenv("NO_COLOR") == NULL;
		if (output_read(row->dir, cat_output_line, &co, &cause) == -1)
			rc = cli_error_cause(cause);
	} else {
		base = cmd_arg_has(a, CAT_SOURCECODE) ?
		    sourcecode_root(row->dir) : xstrdup(row->dir);
		rc = cat_run_file(cli_home(ctx), row, base, path, raw);
		free(base);
	}
	fflush(stdout);
	run_row_free(row);
	runindex_close(idx);
	return rc;
}

const struct cmd_entry cmd_cat_entry = {
	.name = "cat",
	.usage = "[RUN]",
	.summary = "Show a run file or the run's output.",
	.description =
	    "RUN defaults to the newest run. The output is shown as a terminal\n"
	    "would show it (progress bars collapsed, colours kept on a terminal,\n"
	    "other escape sequences removed) unless --raw is given. A file\n"
	    "shown on a terminal has its control bytes made visible, and a\n"
	    "binary file is only named, unless --raw is given.",
	.options = cat_options,
	.filter_options = run_filter_options,
	.exec = cmd_cat_exec,
};

/*
 * guild open
 */

enum {
	OPEN_PATH = 1,
	OPEN_SOURCECODE,
	OPEN_OUTPUT,
	OPEN_CMD,
	OPEN_SHELL,
	OPEN_SHELL_CMD,
};

static const struct cmd_option open_options[] = {
	{ OPEN_PATH, "p", "path", "PATH", "Open PATH in the run directory." },
	{ OPEN_SOURCECODE, "s", "sourcecode", NULL,
	  "Open the source code snapshot (PATH is relative to it)." },
	{ OPEN_OUTPUT, "O", "output", NULL, "Open the run's output file." },
	{ OPEN_CMD, "c", "cmd", "CMD",
	  "Open with CMD (the path is added as its last argument)." },
	{ OPEN_SHELL, NULL, "shell", NULL,
	  "Start a shell ($SHELL) in the run directory." },
	{ OPEN_SHELL_CMD, NULL, "shell-cmd", "CMD",
	  "Start CMD instead of $SHELL (implies --shell)." },
	{ 0 }
};

/*
 * Run argv (in dir when not NULL) with the terminal and wait; our exit
 * status, as a shell's for it.
 */
static int
open_program(char *const *argv, const char *dir)
{
	struct proc_spec	 spec = {
		.argv = (const char *const *)argv,
		.cwd = dir,
		.mode = PROC_INHERIT,
		.ignore = proc_terminal_signals,
	};
	char			*cause = NULL;
	int			 code;

	if (proc_run(&spec, NULL, NULL, &code, &cause) == -1) {
		cli_error_cause(cause);
		return code;
	}
	return proc_shell_status(code);
}

static int
cmd_open_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct runindex	*idx;
	struct run_row	*row;
	struct strvec	 argv = STRVEC_INIT;
	const char	*path = cmd_arg_value(a, OPEN_PATH);
	const char	*cmd = cmd_arg_value(a, OPEN_CMD);
	const char	*shell_cmd = cmd_arg_value(a, OPEN_SHELL_CMD);
	bool		 shell = cmd_arg_has(a, OPEN_SHELL) || shell_cmd != NULL;
	char		*base, *target, *cause = NULL, *dir;
	int		 rc;

	if (path != NULL && check_rel_path(path) != 0)
		return 1;
	if (path != NULL && cmd_arg_has(a, OPEN_OUTPUT))
		return cli_error("--path and --output cannot both be used");
	if (shell && cmd != NULL)
		return cli_error("--cmd and --shell cannot both be used");
	if (!shell && cmd == NULL) {
		char	*xdg = path_which("xdg-open");

		if (xdg == NULL)
			return cli_error("xdg-open is not installed: use "
			    "--cmd CMD to open the run with a program (guild "
			    "open -c 'ls -l'), or --shell to start a shell in "
			    "the run directory");
		free(xdg);
	}
	if ((rc = cmd_runs_select_one(ctx, a, false, 0, &idx, &row)) != 0)
		return rc;
	base = cmd_arg_has(a, OPEN_SOURCECODE) ?
	    sourcecode_root(row->dir) : xstrdup(row->dir);
	if (cmd_arg_has(a, OPEN_OUTPUT))
		target = path_join(row->dir, ".guild/output");
	else if (path != NULL)
		target = path_join(base, path);
	else
		target = xstrdup(base);
	if (!path_exists(target)) {
		rc = cli_error("%s does not exist", target);
		goto out;
	}
	if (shell) {
		/* A shell in the directory (of the file, for a file). */
		if (path_is_dir(target))
			dir = xstrdup(target);
		else {
			char	*slash = strrchr(target, '/');

			dir = xstrndup(target, (size_t)(slash - target));
		}
		if (shell_cmd != NULL) {
			if (shlex_split(shell_cmd, &argv, &cause) == -1) {
				free(dir);
				rc = cli_error_cause(cause);
				goto out;
			}
		} else {
			const char	*sh = getenv("SHELL");

			strvec_push(&argv, sh != NULL && *sh != '\0' ? sh :
			    "/bin/sh");
		}
		if (argv.n == 0)
			rc = cli_error("--shell-cmd: empty command");
		else
			rc = open_program(argv.v, dir);
		free(dir);
		goto out;
	}
	if (cmd != NULL) {
		if (shlex_split(cmd, &argv, &cause) == -1) {
			rc = cli_error_cause(cause);
			goto out;
		}
		if (argv.n == 0) {
			rc = cli_error("--cmd: empty command");
			goto out;
		}
	} else
		strvec_push(&argv, "xdg-open");
	strvec_push(&argv, target);
	rc = open_program(argv.v, NULL);
out:
	strvec_clear(&argv);
	free(target);
	free(base);
	run_row_free(row);
	runindex_close(idx);
	return rc;
}

const struct cmd_entry cmd_open_entry = {
	.name = "open",
	.usage = "[RUN]",
	.summary = "Open a run directory or file.",
	.description =
	    "RUN defaults to the newest run. Opens with xdg-open, or with the\n"
	    "program given with --cmd; --shell starts a shell there instead.",
	.options = open_options,
	.filter_options = run_filter_options,
	.exec = cmd_open_exec,
};

/*
 * guild select
 */

enum {
	SELECT_ALL = 1,
	SELECT_MIN,
	SELECT_MAX,
	SELECT_SHORT,
	SELECT_ATTR,
	SELECT_PATH,
};

static const struct cmd_option select_options[] = {
	{ SELECT_ALL, "A", "all", NULL, "Print every selected run." },
	{ SELECT_MIN, "min", "min", "COL",
	  "Select the run with the lowest COL (scalar, =FLAG, .ATTR, attr:ATTR)." },
	{ SELECT_MAX, "max", "max", "COL",
	  "Select the run with the highest COL." },
	{ SELECT_SHORT, "s", "short-id", NULL, "Print the short id." },
	{ SELECT_ATTR, "a", "attr", "ATTR", "Print the attribute ATTR." },
	{ SELECT_PATH, "p", "path|dir", NULL, "Print the run directory." },
	CMD_REMOTE_OPTION,
	{ 0 }
};

/* A run's value for a --min/--max column; false when it has none. */
static bool
col_value(const struct run_row *row, const char *col, double *out)
{
	const struct scalar_stats	*s;
	const struct value		*o;
	struct value			*v, *other;
	struct run			*run;
	bool				 ok;

	if (*col == '=')
		return value_number(value_map_get(row->flags, col + 1), out);
	if (*col == '.') {
		/*
		 * As Guild's index: what the run logged or its operation
		 * declares first (text: a number when it reads as one), then
		 * its attr files.
		 */
		other = runattrs_read(row->dir);
		if ((o = value_map_get(other, col + 1)) != NULL) {
			v = o->type == VALUE_STRING ? yaml_parse_value(o->u.s,
			    strlen(o->u.s), NULL) : value_dup(o);
			ok = value_number(v, out);
			value_free(v);
			value_free(other);
			return ok;
		}
		value_free(other);
		if ((run = run_open(row->dir, NULL)) == NULL)
			return false;
		v = NULL;
		ok = run_attr_read(run, col + 1, &v, NULL) == 0 &&
		    value_number(v, out);
		value_free(v);
		run_free(run);
		return ok;
	}
	if (row->scalars == NULL ||
	    (s = scalars_summary_find(row->scalars, col)) == NULL ||
	    isnan(s->last.value))
		return false;
	*out = s->last.value;
	return true;
}

/*
 * A field of Guild's run_util.format_run, as "select --attr" prints it;
 * NULL when attr is not one.
 */
static char *
select_formatted(const struct run_row *row, const char *attr)
{
	struct value		*d;
	const struct value	*v;
	struct opref		 ref;
	struct strbuf		 sb = STRBUF_INIT;
	char			*s = NULL;

	if (strcmp(attr, "short_id") == 0)
		return xstrndup(row->id, RUN_SHORT_ID_LEN);
	if (strcmp(attr, "index") == 0 || strcmp(attr, "short_index") == 0)
		return xasprintf("[%.*s]", RUN_SHORT_ID_LEN, row->id);
	if (strcmp(attr, "num_index") == 0)
		return xstrdup("[?]");
	if (strcmp(attr, "status_with_remote") == 0)
		return xstrdup(run_status_name(row->status));
	if (strcmp(attr, "duration") == 0) {
		if (row->started <= 0)
			return xstrdup("None");
		format_duration(&sb, (row->stopped > 0 ? row->stopped :
		    now_us()) - row->started);
		return strbuf_detach(&sb, NULL);
	}
	if (strcmp(attr, "model") == 0 || strcmp(attr, "op_name") == 0 ||
	    strcmp(attr, "pkg_name") == 0) {
		if (row->opref == NULL || opref_parse(row->opref, &ref,
		    NULL) == -1)
			return xstrdup("");
		s = xstrdup(strcmp(attr, "model") == 0 ? ref.model :
		    strcmp(attr, "op_name") == 0 ? ref.op : ref.pkg_name);
		opref_clear(&ref);
		return s;
	}
	d = cmd_runs_details(row);
	if ((v = value_map_get(d, attr)) != NULL) {
		if (v->type == VALUE_INT)
			s = xasprintf("%lld", v->u.i);
		else
			s = xstrdup(v->type == VALUE_STRING ? v->u.s : "");
	}
	value_free(d);
	return s;
}

static int
print_select(const struct run_row *row, struct cmd_args *a)
{
	const char	*attr = cmd_arg_value(a, SELECT_ATTR);
	struct value	*v = NULL;
	struct strbuf	 sb = STRBUF_INIT;
	struct run	*run;
	char		*s = NULL, *cause = NULL;

	if (attr == NULL) {
		if (cmd_arg_has(a, SELECT_SHORT))
			s = xstrndup(row->id, RUN_SHORT_ID_LEN);
		else
			s = xstrdup(cmd_arg_has(a, SELECT_PATH) ? row->dir :
			    row->id);
		printf("%s\n", cli_field(stdout, s));
		free(s);
		return 0;
	}
	/* Guild's formatted fields first (format_run), then raw attrs. */
	if ((s = select_formatted(row, attr)) != NULL) {
		printf("%s\n", cli_field(stdout, s));
		free(s);
		return 0;
	}
	if ((run = run_open(row->dir, &cause)) == NULL)
		return cli_error_cause(cause);
	if (run_attr_read(run, attr, &v, &cause) == -1) {
		run_free(run);
		return cli_error_cause(cause);
	}
	run_free(run);
	if (v == NULL)
		return cli_error("no such run attribute '%s'", attr);
	/* As yaml_util.encode_yaml: block YAML, "..." and spaces stripped. */
	value_encode_yaml(&sb, v);
	strbuf_rtrim(&sb);
	if (sb.len >= 4 && strcmp(sb.buf + sb.len - 4, "\n...") == 0) {
		sb.buf[sb.len - 4] = '\0';
		sb.len -= 4;
	}
	printf("%s\n", cli_text(stdout, sb.buf));
	strbuf_release(&sb);
	value_free(v);
	return 0;
}

static int
select_exec(struct cmd_ctx *ctx, struct cmd_args *a, char **colbufp)
{
	struct runindex	*idx;
	struct run_row	*row;
	struct run_rows	 rows = RUN_ROWS_INIT;
	const char	*col = cmd_arg_value(a, SELECT_MIN);
	bool		 max = false, all = cmd_arg_has(a, SELECT_ALL);
	size_t		 i, best = 0;
	unsigned	 what;
	double		 bestv = 0, v;
	bool		 found = false;
	int		 rc = 0;

	if (cmd_arg_has(a, SELECT_SHORT) && cmd_arg_has(a, SELECT_ATTR))
		return cli_error("--short-id and --attr cannot both be used");
	if (cmd_arg_has(a, SELECT_MIN) && cmd_arg_has(a, SELECT_MAX))
		return cli_error("--min and --max cannot both be used");
	if (col == NULL && (col = cmd_arg_value(a, SELECT_MAX)) != NULL)
		max = true;
	/* Guild's column specs name attrs and flags these ways too. */
	if (col != NULL && str_starts_with(col, "attr:"))
		col = *colbufp = xasprintf(".%s", col + 5);
	else if (col != NULL && str_starts_with(col, "flag:"))
		col = *colbufp = xasprintf("=%s", col + 5);
	if (col != NULL && (*col == '\0' || strcmp(col, "=") == 0 ||
	    strcmp(col, ".") == 0))
		return cli_error("invalid column '%s'", col);
	if (a->pos.n > 1 && col == NULL)
		all = true;
	if (col != NULL)
		all = false;

	if (!all && col == NULL) {
		if ((rc = cmd_runs_select_one(ctx, a, false, 0, &idx, &row)) != 0)
			return rc;
		rc = print_select(row, a);
		run_row_free(row);
		runindex_close(idx);
		return rc;
	}
	/* Load only what the column needs. */
	if (col == NULL || *col == '.')
		what = 0;
	else if (*col == '=')
		what = RUNINDEX_FLAGS;
	else
		what = RUNINDEX_SCALARS;
	if ((rc = cmd_runs_select(ctx, a, NULL, ":", false, what, &idx,
	    &rows)) != 0)
		return rc;
	if (rows.n == 0)
		rc = cli_error("no matching runs\n"
		    "Try 'guild runs list' to list available runs.");
	else if (col == NULL) {
		for (i = 0; i < rows.n && rc == 0; i++)
			rc = print_select(rows.v[i], a);
	} else {
		for (i = 0; i < rows.n; i++) {
			if (!col_value(rows.v[i], col, &v))
				continue;
			if (!found || (max ? v > bestv : v < bestv)) {
				best = i;
				bestv = v;
				found = true;
			}
		}
		if (!found)
			rc = cli_error("no selected run has a value for '%s'",
			    col);
		else
			rc = print_select(rows.v[best], a);
	}
	run_rows_release(&rows);
	runindex_close(idx);
	return rc;
}

static int
cmd_select_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	char	*colbuf = NULL;
	int	 rc;

	rc = select_exec(ctx, a, &colbuf);
	free(colbuf);
	return rc;
}

const struct cmd_entry cmd_select_entry = {
	.name = "select",
	.usage = "[RUN...]",
	.summary = "Select a run and show its id, directory or an attribute.",
	.description =
	    "RUN defaults to the newest run; several RUNs (or --all) print each\n"
	    "selected run. For scripts: cd \"$(guild select -p)\".",
	.options = select_options,
	.filter_options = run_filter_options,
	.exec = cmd_select_exec,
};
