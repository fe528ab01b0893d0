/*
 * cmd-diff.c: guild diff [RUN1 RUN2]: what differs between two runs,
 * shown by an external diff program.
 *
 * For each run a small tree is built in a temporary directory, named by
 * the run's short id, and the diff command is run there on the two trees
 * (or on the two files, when only one thing is compared), so its output
 * reads "diff -ru 1451e20c/flags 19c67a72/flags":
 *
 *	flags		"name: value" per flag, sorted
 *	attrs/		the run's attributes, except those that differ for
 *			every run (id, initialized, started, stopped) and env
 *	output		the output, cooked: no escape sequences from the run
 *			reach the terminal through the diff
 *	sourcecode	the source code snapshot
 *	files/		what else is in the run directory
 *
 * Everything but flags and output is a symbolic link into the run, which
 * diff follows, so nothing big is copied.
 */
#include "common.h"

#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-select.h"
#include "cmds.h"
#include "home.h"
#include "output.h"
#include "proc.h"
#include "run.h"
#include "runindex.h"
#include "strbuf.h"
#include "termsafe.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

#define DEFAULT_DIFF_CMD	"diff -ru"

enum {
	O_OUTPUT = 1,
	O_SOURCECODE,
	O_ENV,
	O_FLAGS,
	O_ATTRS,
	O_PATH,
	O_CMD,
	O_DEPS,
	O_WORKING,
	O_DIR,
};

static const struct cmd_option diff_options[] = {
	{ O_OUTPUT, "O", "output", NULL, "Diff the runs' output (cooked)." },
	{ O_SOURCECODE, "s", "sourcecode", NULL,
	  "Diff the runs' source code." },
	{ O_ENV, "e", "env", NULL, "Diff the runs' environments." },
	{ O_FLAGS, "f", "flags", NULL, "Diff the runs' flags." },
	{ O_ATTRS, "a", "attrs", NULL, "Diff all the runs' attributes." },
	{ O_DEPS, "D", "deps", NULL, "Diff the runs' dependencies." },
	{ O_PATH, "p", "path", "PATH",
	  "Diff PATH, relative to the run directories (repeatable)." },
	{ O_WORKING, "w", "working", NULL,
	  "Diff the run's source code to its project directory." },
	{ O_DIR, "d", "dir", "PATH",
	  "Diff the run to the directory PATH." },
	{ O_CMD, "c", "cmd", "CMD",
	  "Diff with CMD (default: the user config's diff command, else "
	  "'diff -ru')." },
	{ 0 }
};

/* Attributes left out of the default comparison: they always differ. */
static const char *const noisy_attrs[] = {
	"id", "initialized", "started", "stopped", "env", NULL
};

struct side {
	struct run_row	*row;
	char		*label;		/* directory name in the tree */
	char		*dir;		/* tmp/label */
};

static int
link_into(const char *target, const char *dir, const char *name,
    char **cause)
{
	char	*path = path_join(dir, name), *slash;
	int	 rc = 0;

	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		rc = mkdir_p(path, 0700, cause);
		*slash = '/';
	}
	if (rc == 0 && symlink(target, path) == -1)
		rc = set_cause(cause, "%s: %s", path, strerror(errno));
	free(path);
	return rc;
}

static int
write_flags(const struct side *s, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct strvec	 names = STRVEC_INIT;
	const struct value *flags = s->row->flags;
	char		*path;
	size_t		 i, j;
	int		 rc;

	for (i = 0; flags != NULL && flags->type == VALUE_MAP &&
	    i < flags->u.map.n; i++)
		strvec_push(&names, flags->u.map.k[i]);
	/* Natural order, as guild runs info lists flags. */
	for (i = 1; i < names.n; i++)
		for (j = i; j > 0 && natcmp(names.v[j - 1], names.v[j]) > 0;
		    j--) {
			char	*tmp = names.v[j - 1];

			names.v[j - 1] = names.v[j];
			names.v[j] = tmp;
		}
	for (i = 0; i < names.n; i++) {
		strbuf_addf(&sb, "%s: ", names.v[i]);
		value_format_flag(&sb, value_map_get(flags, names.v[i]));
		strbuf_addch(&sb, '\n');
	}
	strvec_clear(&names);
	path = path_join(s->dir, "flags");
	rc = write_file_atomic(path, sb.buf, sb.len, cause);
	free(path);
	strbuf_release(&sb);
	return rc;
}

static void
output_line(const struct output_line *line, void *arg)
{
	struct strbuf	*sb = arg;

	strbuf_add(sb, line->text, line->len);
	strbuf_addch(sb, '\n');
}

static int
write_output(const struct side *s, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path;
	int		 rc;

	if (output_read(s->row->dir, output_line, &sb, cause) == -1) {
		strbuf_release(&sb);
		return -1;
	}
	path = path_join(s->dir, "output");
	rc = write_file_atomic(path, sb.buf, sb.len, cause);
	free(path);
	strbuf_release(&sb);
	return rc;
}

/* Links to the entries of run_sub (a directory of the run) except skip. */
static int
link_entries(const struct side *s, const char *run_sub, const char *name,
    const char *const *skip, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	char		*from = path_join(s->row->dir, run_sub);
	char		*to = path_join(s->dir, name), *target, *sub;
	size_t		 i;
	int		 rc = 0;

	if (mkdir_p(to, 0700, cause) == -1) {
		free(from);
		free(to);
		return -1;
	}
	if ((d = opendir(from)) == NULL) {
		/* A run without attrs or files: an empty directory. */
		free(from);
		free(to);
		return 0;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		for (i = 0; skip != NULL && skip[i] != NULL; i++)
			if (strcmp(skip[i], de->d_name) == 0)
				break;
		if (skip != NULL && skip[i] != NULL)
			continue;
		target = path_join(from, de->d_name);
		sub = path_join(name, de->d_name);
		rc = link_into(target, s->dir, sub, cause);
		free(target);
		free(sub);
	}
	closedir(d);
	free(from);
	free(to);
	return rc;
}

static int
link_run_path(const struct side *s, const char *rel, const char *name,
    char **cause)
{
	char	*target = path_join(s->row->dir, rel);
	int	 rc = 0;

	/* A missing path shows as "Only in" rather than a dangling link. */
	if (path_exists(target))
		rc = link_into(target, s->dir, name, cause);
	free(target);
	return rc;
}

/* Refuse paths that climb out of the run ("-p ../other"). */
static int
check_rel_path(const char *rel, char **cause)
{
	const char	*p = rel;
	size_t		 n;

	if (*rel == '/' || *rel == '\0')
		return set_cause(cause, "invalid path '%s': must be relative "
		    "to the run directory", rel);
	while (*p != '\0') {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return set_cause(cause, "invalid path '%s': must stay "
			    "in the run directory", rel);
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

/* The items to compare; each adds one entry to a tree. */
struct items {
	bool		 flags, attrs, all_attrs, env, deps, output, sourcecode;
	bool		 files;
	const struct strvec *paths;
	size_t		 count;
	const char	*single;	/* the entry name when count == 1 */
};

static int
build_tree(const struct side *s, const struct items *it, char **cause)
{
	static const char *const skip_guild[] = { ".guild", NULL };
	size_t	i;

	if (mkdir(s->dir, 0700) == -1)
		return set_cause(cause, "%s: %s", s->dir, strerror(errno));
	if (it->flags && write_flags(s, cause) == -1)
		return -1;
	if (it->attrs && link_entries(s, ".guild/attrs", "attrs",
	    it->all_attrs ? NULL : noisy_attrs, cause) == -1)
		return -1;
	if (it->env && link_run_path(s, ".guild/attrs/env", "env", cause) == -1)
		return -1;
	if (it->deps && link_run_path(s, ".guild/attrs/deps", "deps",
	    cause) == -1)
		return -1;
	if (it->output && write_output(s, cause) == -1)
		return -1;
	if (it->sourcecode && link_run_path(s, ".guild/sourcecode",
	    "sourcecode", cause) == -1)
		return -1;
	if (it->files && link_entries(s, ".", "files", skip_guild, cause) == -1)
		return -1;
	for (i = 0; it->paths != NULL && i < it->paths->n; i++)
		if (link_run_path(s, it->paths->v[i], it->paths->v[i],
		    cause) == -1)
			return -1;
	return 0;
}

/*
 * The diff command of the user config (Guild's diff: command: ...):
 * $GUILD_CONFIG, else config.yml in the Guild home, else ~/.guild.
 */
static char *
config_diff_cmd(const struct guild_home *home)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*cfg, *d, *c;
	const char	*env = getenv("GUILD_CONFIG"), *h;
	char		*path = NULL, *cmd = NULL, *cause = NULL;

	if (env != NULL && *env != '\0')
		path = xstrdup(env);
	else {
		path = path_join(home->path, "config.yml");
		if (!path_is_file(path) && (h = getenv("HOME")) != NULL) {
			free(path);
			path = xasprintf("%s/.guild/config.yml", h);
		}
	}
	if (!path_is_file(path)) {
		free(path);
		return NULL;
	}
	if (strbuf_read_file(&sb, path, &cause) == -1 ||
	    (cfg = yaml_parse_value(sb.buf, sb.len, &cause)) == NULL) {
		warnx_core("ignoring %s: %s", path, cause);
		free(cause);
		free(path);
		strbuf_release(&sb);
		return NULL;
	}
	if ((d = value_map_get(cfg, "diff")) != NULL &&
	    (c = value_map_get(d, "command")) != NULL &&
	    c->type == VALUE_STRING && *c->u.s != '\0')
		cmd = xstrdup(c->u.s);
	value_free(cfg);
	free(path);
	strbuf_release(&sb);
	return cmd;
}

/*
 * Run argv in dir and wait; its exit status, or -1. Shown: its output is
 * read back and shown through cli_text (a diff quotes run files, labels
 * and output: on a terminal their control bytes are shown, not obeyed),
 * and Ctrl-C is passed on to it. Otherwise it has the terminal (meld,
 * vimdiff) and Ctrl-C is its own. We clean up after either way.
 */
struct shown_child {
	struct strbuf	 pend[2];	/* a UTF-8 character cut by a read */
};

static void
shown_child_data(struct proc *p, const char *buf, size_t len, int stream,
    void *arg)
{
	struct shown_child	*sc = arg;
	struct strbuf		*pend = &sc->pend[stream != 0];
	struct strbuf		 out = STRBUF_INIT;
	FILE			*f = stream != 0 ? stderr : stdout;
	size_t			 used;

	(void)p;
	strbuf_add(pend, buf, len);
	used = termsafe_add(&out, pend->buf, pend->len, TERMSAFE_PARTIAL);
	memmove(pend->buf, pend->buf + used, pend->len - used);
	strbuf_setlen(pend, pend->len - used);
	fwrite(out.buf, 1, out.len, f);
	fflush(f);
	strbuf_release(&out);
}

static int
run_diff(char *const *argv, const char *dir, bool shown, char **cause)
{
	struct shown_child	 sc;
	struct proc_spec	 spec = {
		.argv = (const char *const *)argv,
		.cwd = dir,
		.mode = shown ? PROC_PIPES : PROC_INHERIT,
		.forward = shown ? proc_terminal_signals : NULL,
		.ignore = shown ? NULL : proc_terminal_signals,
	};
	struct proc_hooks	 hooks = { .on_data = shown_child_data };
	struct strbuf		 out = STRBUF_INIT;
	int			 i, rc, code;

	strbuf_init(&sc.pend[0]);
	strbuf_init(&sc.pend[1]);
	rc = proc_run(&spec, &hooks, &sc, &code, cause);
	for (i = 0; i < 2; i++) {
		termsafe_add(&out, sc.pend[i].buf, sc.pend[i].len, 0);
		fwrite(out.buf, 1, out.len, i == 0 ? stdout : stderr);
		strbuf_reset(&out);
		strbuf_release(&sc.pend[i]);
	}
	strbuf_release(&out);
	if (rc == -1)
		return -1;
	if (code < 0)
		return set_cause(cause, "'%s' was killed by signal %d",
		    argv[0], -code);
	return code;
}

static int
select_side(struct cmd_ctx *ctx, struct cmd_args *a, const char *spec,
    struct run_row **row)
{
	struct strvec	 specs = STRVEC_INIT;
	struct run_rows	 rows = RUN_ROWS_INIT;
	struct runindex	*idx;
	int		 rc;

	strvec_push(&specs, spec);
	rc = cmd_runs_select(ctx, a, &specs, NULL, false, RUNINDEX_FLAGS, &idx,
	    &rows);
	strvec_clear(&specs);
	if (rc != 0)
		return rc;
	runindex_close(idx);
	if (rows.n != 1) {
		if (rows.n == 0)
			rc = cli_error("could not find a run matching '%s'", spec);
		else
			rc = cli_error("'%s' matches %zu runs: diff compares "
			    "one run with another", spec, rows.n);
		run_rows_release(&rows);
		return rc;
	}
	*row = rows.v[0];
	rows.v[0] = NULL;
	rows.n = 0;
	run_rows_release(&rows);
	return 0;
}

/* The diff command: --cmd, the user config's, else ours (shown safely). */
static int
diff_argv(struct cmd_ctx *ctx, struct cmd_args *a, struct strvec *argv,
    bool *shown)
{
	const char	*cmdv;
	char		*cmd, *cause = NULL;

	*shown = false;
	if ((cmdv = cmd_arg_value(a, O_CMD)) != NULL)
		cmd = xstrdup(cmdv);
	else if ((cmd = config_diff_cmd(ctx->home)) == NULL) {
		cmd = xstrdup(DEFAULT_DIFF_CMD);
		*shown = cli_tty(stdout);
	}
	if (shlex_split(cmd, argv, &cause) == -1 || argv->n == 0) {
		if (cause == NULL)
			cause = xstrdup("empty diff command");
		cli_error("invalid diff command '%s': %s", cmd, cause);
		free(cause);
		free(cmd);
		return -1;
	}
	free(cmd);
	return 0;
}

/* The project directory a run's source code came from, or NULL. */
static char *
run_project_dir(const struct run_row *row)
{
	struct opref	 o;
	struct run	*run;
	char		*dir = NULL, *slash;

	if ((run = run_open(row->dir, NULL)) == NULL)
		return NULL;
	if (run_opref_read(run, &o, NULL) == 0) {
		if (strcmp(o.pkg_type, "guildfile") == 0) {
			dir = xstrdup(o.pkg_name);
			if ((slash = strrchr(dir, '/')) != NULL)
				*slash = '\0';
		} else if (strcmp(o.pkg_type, "script") == 0)
			dir = xstrdup(o.pkg_name);
		opref_clear(&o);
	}
	run_free(run);
	if (dir != NULL && !path_is_dir(dir)) {
		free(dir);
		dir = NULL;
	}
	return dir;
}

/*
 * --dir PATH and --working: one run against a directory, as Guild does
 * (the run directory, or its source code, against PATH or the project).
 * Both appear in a temporary directory by name, as runs do.
 */
static int
diff_with_dir(struct cmd_ctx *ctx, struct cmd_args *a)
{
	const bool	 working = cmd_arg_has(a, O_WORKING);
	struct run_row	*row = NULL;
	struct strvec	 argv = STRVEC_INIT;
	const struct strvec *paths = &a->values[O_PATH];
	char		*tmp = NULL, *mine = NULL, *other = NULL, *label = NULL;
	char		*olabel = NULL, *base, *cause = NULL, *p;
	const char	*tmpdir;
	size_t		 i, n;
	int		 rc = 1, st;
	bool		 shown;

	if (a->pos.n > 1)
		return cli_error("cannot specify second RUN and %s",
		    working ? "--working" : "--dir");
	for (i = 0; i < paths->n; i++)
		if (check_rel_path(paths->v[i], &cause) == -1)
			return cli_error_cause(cause);
	if (cli_home(ctx) == NULL)
		return 1;
	if ((rc = select_side(ctx, a, a->pos.n == 1 ? a->pos.v[0] : "0",
	    &row)) != 0)
		return rc;
	rc = 1;
	if (working) {
		mine = path_join(row->dir, ".guild/sourcecode");
		/* Guild 0.9's own layout: the source at the run's root. */
		if (!path_is_dir(mine)) {
			free(mine);
			mine = xstrdup(row->dir);
		}
		if ((other = run_project_dir(row)) == NULL) {
			cli_error("cannot find working source code directory "
			    "for run %.8s\nTry specifying the directory with "
			    "'guild diff %.8s --dir DIR'.", row->id, row->id);
			goto out;
		}
	} else {
		mine = xstrdup(row->dir);
		other = path_absolute(cmd_arg_value(a, O_DIR));
		if (!path_is_dir(other)) {
			cli_error("%s is not a directory",
			    cmd_arg_value(a, O_DIR));
			goto out;
		}
	}
	label = xasprintf("%.8s", row->id);
	base = strrchr(other, '/');
	olabel = xstrdup(base != NULL && base[1] != '\0' ? base + 1 : "dir");
	if (strcmp(olabel, label) == 0) {
		free(olabel);
		olabel = xasprintf("%.8s.dir", row->id);
	}
	if (diff_argv(ctx, a, &argv, &shown) == -1)
		goto out;
	if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	tmp = xasprintf("%s/guild-diff-XXXXXX", tmpdir);
	if (mkdtemp(tmp) == NULL) {
		cli_error("%s: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (link_into(mine, tmp, label, &cause) == -1 ||
	    link_into(other, tmp, olabel, &cause) == -1) {
		cli_error_cause(cause);
		goto out;
	}
	n = argv.n;
	rc = 0;
	for (i = 0; i < (paths->n > 0 ? paths->n : 1) && rc == 0; i++) {
		while (argv.n > n) {
			free(argv.v[--argv.n]);
			argv.v[argv.n] = NULL;
		}
		if (paths->n > 0) {
			strvec_pushf(&argv, "%s/%s", label, paths->v[i]);
			strvec_pushf(&argv, "%s/%s", olabel, paths->v[i]);
		} else {
			/* A trailing '/': diff follows the links. */
			p = xasprintf("%s/", label);
			strvec_push(&argv, p);
			free(p);
			p = xasprintf("%s/", olabel);
			strvec_push(&argv, p);
			free(p);
		}
		st = run_diff(argv.v, tmp, shown, &cause);
		if (st == -1)
			rc = cli_error_cause(cause);
		else if (st == 127)
			rc = 1;
		else if (st > 1)
			rc = cli_error("'%s' exited with status %d", argv.v[0],
			    st);
	}
out:
	if (tmp != NULL) {
		rm_rf(tmp, NULL);
		free(tmp);
	}
	run_row_free(row);
	strvec_clear(&argv);
	free(mine);
	free(other);
	free(label);
	free(olabel);
	return rc;
}

/* What to compare, from the options: everything by default. */
static void
diff_items(const struct cmd_args *a, struct items *itp)
{
	struct items	it;

	memset(&it, 0, sizeof it);
	it.flags = cmd_arg_has(a, O_FLAGS);
	it.attrs = it.all_attrs = cmd_arg_has(a, O_ATTRS);
	it.env = cmd_arg_has(a, O_ENV) && !it.attrs;
	it.deps = cmd_arg_has(a, O_DEPS) && !it.attrs;
	it.output = cmd_arg_has(a, O_OUTPUT);
	it.sourcecode = cmd_arg_has(a, O_SOURCECODE);
	it.paths = &a->values[O_PATH];
	it.count = it.flags + it.attrs + it.env + it.deps + it.output +
	    it.sourcecode + it.paths->n;
	if (it.count == 0) {
		it.flags = it.attrs = it.output = it.sourcecode = true;
		it.files = true;
		it.count = 5;
	}
	if (it.count == 1)
		it.single = it.flags ? "flags" : it.attrs ? "attrs" :
		    it.env ? "env" : it.deps ? "deps" : it.output ? "output" :
		    it.sourcecode ? "sourcecode" : it.paths->v[0];
	if (cmd_arg_has(a, O_ENV) && it.attrs)
		warnx_core("ignoring --env (already included in --attrs)");
	if (cmd_arg_has(a, O_DEPS) && it.attrs)
		warnx_core("ignoring --deps (already included in --attrs)");
	*itp = it;
}

static int
cmd_diff_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guild_home	*home;
	struct side		 s[2];
	struct items		 it;
	struct strvec		 argv = STRVEC_INIT;
	const char		*spec[2], *cmdv;
	char			*cmd = NULL, *cause = NULL, *tmp = NULL;
	char			 tmpl[] = "guild-diff-XXXXXX";
	const char		*tmpdir;
	size_t			 i;
	int			 rc = 1, st;
	bool			 shown = false;

	memset(s, 0, sizeof s);
	if (cmd_arg_has(a, O_WORKING) && cmd_arg_has(a, O_DIR))
		return cli_error("--working and --dir cannot both be specified\n"
		    "Try 'guild diff --help' for more information.");
	if (cmd_arg_has(a, O_WORKING) && cmd_arg_has(a, O_SOURCECODE))
		return cli_error("--working and --sourcecode cannot both be "
		    "specified\nTry 'guild diff --help' for more information.");
	if (cmd_arg_has(a, O_WORKING) || cmd_arg_has(a, O_DIR))
		return diff_with_dir(ctx, a);
	if (a->pos.n == 1)
		return cli_error("diff requires two runs\n"
		    "Try specifying a second run or 'guild diff --help' for "
		    "more information.");
	if (a->pos.n > 2)
		return cli_error("cannot compare more than two runs\n"
		    "Try specifying just two runs or 'guild diff --help' for "
		    "more information.");
	/* Guild diffs its runs 2 and 1: our 1 and 0, older first. */
	spec[0] = a->pos.n == 2 ? a->pos.v[0] : "1";
	spec[1] = a->pos.n == 2 ? a->pos.v[1] : "0";
	for (i = 0; i < a->values[O_PATH].n; i++)
		if (check_rel_path(a->values[O_PATH].v[i], &cause) == -1)
			return cli_error_cause(cause);

	diff_items(a, &it);

	if ((home = cli_home(ctx)) == NULL)
		return 1;
	for (i = 0; i < 2; i++)
		if ((rc = select_side(ctx, a, spec[i], &s[i].row)) != 0)
			goto out;
	rc = 1;

	s[0].label = xasprintf("%.8s", s[0].row->id);
	s[1].label = xasprintf("%.8s", s[1].row->id);
	if (strcmp(s[0].row->id, s[1].row->id) == 0) {
		free(s[1].label);
		s[1].label = xasprintf("%.8s.2", s[1].row->id);
	} else if (strcmp(s[0].label, s[1].label) == 0) {
		free(s[0].label);
		free(s[1].label);
		s[0].label = xstrdup(s[0].row->id);
		s[1].label = xstrdup(s[1].row->id);
	}

	if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	tmp = path_join(tmpdir, tmpl);
	if (mkdtemp(tmp) == NULL) {
		cli_error("%s: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	for (i = 0; i < 2; i++) {
		s[i].dir = path_join(tmp, s[i].label);
		if (build_tree(&s[i], &it, &cause) == -1) {
			cli_error_cause(cause);
			goto out;
		}
	}

	if ((cmdv = cmd_arg_value(a, O_CMD)) != NULL)
		cmd = xstrdup(cmdv);
	else if ((cmd = config_diff_cmd(home)) == NULL) {
		cmd = xstrdup(DEFAULT_DIFF_CMD);
		/*
		 * Our diff's output is shown safely on a terminal; a program
		 * the user names (meld, vimdiff) gets the terminal itself.
		 */
		shown = cli_tty(stdout);
	}
	if (shlex_split(cmd, &argv, &cause) == -1 || argv.n == 0) {
		if (cause == NULL)
			cause = xstrdup("empty diff command");
		cli_error("invalid diff command '%s': %s", cmd, cause);
		free(cause);
		goto out;
	}
	/*
	 * One thing compared: the two files themselves, unless one run
	 * lacks it (diff would fail; on the trees it says "Only in").
	 */
	for (i = 0; it.single != NULL && i < 2; i++) {
		char	*p = path_join(s[i].dir, it.single);

		if (!path_exists(p))
			it.single = NULL;
		free(p);
	}
	for (i = 0; i < 2; i++) {
		if (it.single != NULL)
			strvec_pushf(&argv, "%s/%s", s[i].label, it.single);
		else
			strvec_push(&argv, s[i].label);
	}
	st = run_diff(argv.v, tmp, shown, &cause);
	if (st == -1)
		cli_error_cause(cause);
	else if (st == 127)
		;	/* the child said why */
	else if (st > 1)
		cli_error("'%s' exited with status %d", cmd, st);
	else
		rc = 0;
out:
	if (tmp != NULL) {
		rm_rf(tmp, NULL);
		free(tmp);
	}
	for (i = 0; i < 2; i++) {
		run_row_free(s[i].row);
		free(s[i].label);
		free(s[i].dir);
	}
	strvec_clear(&argv);
	free(cmd);
	return rc;
}

const struct cmd_entry cmd_diff_entry = {
	.name = "diff",
	.usage = "[RUN1 RUN2]",
	.summary = "Diff two runs.",
	.description =
	    "Compares two runs with an external diff program: by default\n"
	    "their flags, attributes (but id, times and environment), cooked\n"
	    "output, source code and files, or only what the options name.\n"
	    "Without RUN arguments the two newest runs are compared (1, then\n"
	    "0). The command is --cmd, else 'diff: command:' in the user\n"
	    "config, else 'diff -ru'; it runs in a temporary directory where\n"
	    "each run appears under its short id.",
	.options = diff_options,
	.filter_options = run_filter_options,
	.exec = cmd_diff_exec,
};
