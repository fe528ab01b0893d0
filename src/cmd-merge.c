/*
 * cmd-merge.c: guild merge [RUN] (also guild runs merge): copy a run's
 * files into a project directory, as Guild AI 0.9 does.
 *
 * What is copied comes from the run's manifest (.guild/manifest, written
 * when the run started): source code ("s" lines) goes back to its project
 * path, project-local file dependencies ("d" lines with a file: source)
 * to theirs; other files of the run (what it generated) only with --all,
 * at the same path. Files already the same in the target are skipped.
 *
 * Before anything is written, Guild's checks against losing work: a file
 * that would be replaced is an error, unless --replace, or unless the
 * target is a git work tree and every such file is tracked with no
 * unstaged change (it can be had back from git). git runs through proc.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-select.h"
#include "cmds.h"
#include "proc.h"
#include "run.h"
#include "runindex.h"
#include "runsel.h"
#include "strbuf.h"
#include "util.h"

enum {
	O_TARGET_DIR = 1,
	O_SOURCECODE,
	O_ALL,
	O_SKIP_SOURCECODE,
	O_SKIP_DEPS,
	O_EXCLUDE,
	O_PREVIEW,
	O_YES,
	O_REPLACE,
	O_NO_REPLACE,
};

static const struct cmd_option merge_options[] = {
	{ O_TARGET_DIR, "t", "target-dir", "DIR",
	  "Directory to merge run files to (required if the run's project "
	  "directory is not the current directory)." },
	{ O_SOURCECODE, "s", "sourcecode", NULL,
	  "Only copy run source code. Implies --skip-deps." },
	{ O_ALL, "a", "all", NULL,
	  "Copy all run files, also those the run generated." },
	{ O_SKIP_SOURCECODE, NULL, "skip-sourcecode", NULL,
	  "Don't copy run source code." },
	{ O_SKIP_DEPS, "D", "skip-deps", NULL,
	  "Don't copy project-local dependencies." },
	{ O_EXCLUDE, "x", "exclude", "PATTERN",
	  "Exclude a file or pattern (may be used multiple times)." },
	{ O_PREVIEW, "p", "preview", NULL,
	  "Show what would happen on a merge." },
	{ O_YES, "y", "yes", NULL, "Don't prompt before copying files." },
	{ O_REPLACE, NULL, "replace", NULL,
	  "Allow replacement of existing files." },
	{ O_NO_REPLACE, NULL, "no-replace", NULL,
	  "Fail if any target file would be replaced, even if that file is "
	  "committed to git." },
	{ 0 }
};

/* A file of the run: to copy, or skipped with a reason (Guild's codes). */
struct mfile {
	char	 type;		/* 's' source, 'd' dependency, 'o' other */
	char	*run_path;
	char	*target;	/* or NULL: not from the project */
	char	*reason;	/* NULL: to copy */
	bool	 dropped;	/* overlapped by another file to copy */
};

struct merge {
	const char	*run_dir;
	char		*target_dir;
	bool		 all, skip_source, skip_deps;
	struct strvec	 exclude;
	struct mfile	*v;
	size_t		 n, cap;
};

static void
merge_add(struct merge *m, char type, const char *run_path,
    const char *target, const char *reason)
{
	struct mfile	*f;

	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 64 : m->cap * 2;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	f = &m->v[m->n++];
	f->type = type;
	f->run_path = xstrdup(run_path);
	f->target = target != NULL ? xstrdup(target) : NULL;
	f->reason = reason != NULL ? xstrdup(reason) : NULL;
	f->dropped = false;
}

static void
merge_release(struct merge *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].run_path);
		free(m->v[i].target);
		free(m->v[i].reason);
	}
	free(m->v);
	free(m->target_dir);
	strvec_clear(&m->exclude);
}

static bool
excluded(const struct merge *m, const char *path)
{
	size_t	i;

	for (i = 0; i < m->exclude.n; i++)
		if (fnmatch(m->exclude.v[i], path, 0) == 0)
			return true;
	return false;
}

/* Whether two files (following links) have the same bytes. */
static bool
same_file(const char *a, const char *b)
{
	struct strbuf	 x = STRBUF_INIT, y = STRBUF_INIT;
	bool		 same;

	if (!path_is_file(b))
		return false;
	same = file_read_regular(AT_FDCWD, a, 0, 0, &x, NULL, NULL) == 0 &&
	    file_read_regular(AT_FDCWD, b, 0, 0, &y, NULL, NULL) == 0 &&
	    x.len == y.len && memcmp(x.buf, y.buf, x.len) == 0;
	strbuf_release(&x);
	strbuf_release(&y);
	return same;
}

/* A file to copy unless excluded or unchanged. */
static void
consider(struct merge *m, char type, const char *run_path, const char *target)
{
	char	*src, *dst;

	if (excluded(m, target)) {
		merge_add(m, type, run_path, target, "excluded");
		return;
	}
	src = path_join(m->run_dir, run_path);
	dst = path_join(m->target_dir, target);
	if (same_file(src, dst))
		merge_add(m, type, run_path, target, "unchanged");
	else
		merge_add(m, type, run_path, target, NULL);
	free(src);
	free(dst);
}

/* One manifest line: "s|d RUN_PATH SHA SOURCE [SUBPATH]", shell-quoted. */
static void
apply_entry(struct merge *m, const struct strvec *w)
{
	const char	*run_path = w->v[1], *source = w->v[3];

	if (strcmp(w->v[0], "s") == 0) {
		if (m->skip_source)
			merge_add(m, 's', run_path, source,
			    "skipped source code");
		else
			consider(m, 's', run_path, source);
		return;
	}
	/*
	 * Only a file dependency, whole, has a place in the project: Guild
	 * writes its source as "file:PATH", guild as PATH (at the same path
	 * in the run, where an operation's files sit under other names).
	 */
	if (w->n == 4 && strncmp(source, "file:", 5) == 0)
		source += 5;
	else if (w->n != 4 || strchr(source, ':') != NULL ||
	    strcmp(source, run_path) != 0)
		source = NULL;
	if (source != NULL) {
		if (m->skip_deps)
			merge_add(m, 'd', run_path, source,
			    "skipped dependency");
		else
			consider(m, 'd', run_path, source);
	} else if (m->skip_deps)
		merge_add(m, 'd', run_path, NULL, "skipped dependency");
	else
		merge_add(m, 'd', run_path, NULL, "non-project dependency");
}

/* Every file of the run (links followed), relative paths, sorted. */
static void
run_files(const char *dir, const char *rel, int depth, struct strvec *out)
{
	struct strvec	 names = STRVEC_INIT;
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path, *r;
	size_t		 i;

	if (depth > 32 || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strvec_push(&names, de->d_name);
	closedir(d);
	strvec_sort(&names);
	for (i = 0; i < names.n; i++) {
		path = path_join(dir, names.v[i]);
		r = *rel != '\0' ? path_join(rel, names.v[i]) :
		    xstrdup(names.v[i]);
		if (stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				run_files(path, r, depth + 1, out);
			else if (S_ISREG(st.st_mode))
				strvec_push(out, r);
		}
		free(path);
		free(r);
	}
	strvec_clear(&names);
}

static int
merge_init(struct merge *m, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct strvec	 files = STRVEC_INIT, seen = STRVEC_INIT;
	char		*path, *line, *save, *id;
	size_t		 i, j;
	bool		 shadowed;

	path = path_join(m->run_dir, ".guild/manifest");
	id = strrchr(m->run_dir, '/');
	if (file_read_regular(AT_FDCWD, path, FILE_NOFOLLOW, FILE_MANIFEST_MAX,
	    &sb, NULL, NULL) == -1) {
		free(path);
		return set_cause(cause, "run manifest does not exist for run "
		    "%s", id != NULL ? id + 1 : m->run_dir);
	}
	free(path);
	for (line = strtok_r(sb.buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		struct strvec	w = STRVEC_INIT;

		if (shlex_split(line, &w, NULL) == 0 && w.n >= 4 &&
		    (strcmp(w.v[0], "s") == 0 || strcmp(w.v[0], "d") == 0) &&
		    strvec_find(&seen, w.v[1]) == -1) {
			strvec_push(&seen, w.v[1]);
			apply_entry(m, &w);
		}
		strvec_clear(&w);
	}
	strbuf_release(&sb);
	/* What the run generated: at the same path, with --all. */
	run_files(m->run_dir, "", 0, &files);
	for (i = 0; i < files.n; i++) {
		const char	*f = files.v[i];

		if (strvec_find(&seen, f) != -1 || str_starts_with(f, ".guild"))
			continue;
		if (!m->all)
			merge_add(m, 'o', f, f, "non-project file");
		else
			consider(m, 'o', f, f);
	}
	strvec_clear(&files);
	strvec_clear(&seen);
	/* Two files for one target: the run's own (not source) wins, as
	 * Guild prefers it; the other is not listed at all. */
	for (i = 0; i < m->n; i++) {
		if (m->v[i].reason != NULL || m->v[i].type != 's')
			continue;
		shadowed = false;
		for (j = 0; j < m->n && !shadowed; j++)
			shadowed = j != i && m->v[j].reason == NULL &&
			    m->v[j].type != 's' && m->v[j].target != NULL &&
			    strcmp(m->v[j].target, m->v[i].target) == 0;
		m->v[i].dropped = shadowed;
	}
	return 0;
}

static size_t
count_copy(const struct merge *m)
{
	size_t	i, n = 0;

	for (i = 0; i < m->n; i++)
		n += m->v[i].reason == NULL && !m->v[i].dropped;
	return n;
}

static int
target_cmp(const void *a, const void *b)
{
	const struct mfile	*x = *(const struct mfile *const *)a;
	const struct mfile	*y = *(const struct mfile *const *)b;

	int			 c;

	c = strcmp(x->target != NULL ? x->target : x->run_path,
	    y->target != NULL ? y->target : y->run_path);
	return c != 0 ? c : strcmp(x->run_path, y->run_path);
}

/* The files to copy (skipped: the others), sorted by target path. */
static const struct mfile **
sorted_files(const struct merge *m, bool skipped, size_t *n)
{
	const struct mfile	**v = xcalloc(m->n + 1, sizeof *v);
	size_t			  i;

	*n = 0;
	for (i = 0; i < m->n; i++)
		if ((m->v[i].reason != NULL) == skipped && !m->v[i].dropped)
			v[(*n)++] = &m->v[i];
	qsort(v, *n, sizeof *v, target_cmp);
	return v;
}

/* "the current directory" or 'DIR', as Guild says it. */
static char *
dir_desc(const char *dir)
{
	char	*a = path_absolute(dir), *b = path_absolute("."), *s;

	s = strcmp(a, b) == 0 ? xstrdup("the current directory") :
	    xasprintf("'%s'", dir);
	free(a);
	free(b);
	return s;
}

/* git's output in dir, as lines (-z: NUL-separated). */
struct git_out {
	struct strbuf	sb;
};

static void
git_data(struct proc *p, const char *buf, size_t len, int stream, void *arg)
{
	struct git_out	*g = arg;

	(void)p;
	if (stream == 0)
		strbuf_add(&g->sb, buf, len);
}

/* 0 with out filled, or -1 (not a git work tree, or no git). */
static int
git_lines(const char *dir, const char *const *argv, struct strvec *out)
{
	struct proc_spec	 spec = {
		.argv = argv, .cwd = dir, .mode = PROC_PIPES,
		.exec_cause = true,
	};
	struct proc_hooks	 hooks = { .on_data = git_data };
	struct git_out		 g = { .sb = STRBUF_INIT };
	char			*cause = NULL;
	size_t			 off = 0;
	int			 code = 1;

	if (proc_run(&spec, &hooks, &g, &code, &cause) == -1 || code != 0) {
		free(cause);
		strbuf_release(&g.sb);
		return -1;
	}
	while (off < g.sb.len) {
		strvec_push(out, g.sb.buf + off);
		off += strlen(g.sb.buf + off) + 1;
	}
	strbuf_release(&g.sb);
	return 0;
}

static int
replace_error(const struct merge *m, const struct strvec *paths,
    const char *what, const char *advice)
{
	char	*desc = dir_desc(m->target_dir);
	size_t	 i;

	fflush(stdout);
	fprintf(stderr, "guild: files in %s %s:\n", desc, what);
	for (i = 0; i < paths->n; i++)
		fprintf(stderr, "  %s\n", cli_field(stderr, paths->v[i]));
	fprintf(stderr, "%s\n", advice);
	free(desc);
	return 1;
}

/* Guild's checks before replacing files; 0 to go on, else the status. */
static int
check_replace(const struct merge *m, bool no_replace)
{
	static const char *const ls[] = { "git", "ls-files", "-z", NULL };
	static const char *const diff[] = { "git", "diff", "--name-only",
	    "--relative", "-z", NULL };
	struct strvec	 replacing = STRVEC_INIT, tracked = STRVEC_INIT;
	struct strvec	 unstaged = STRVEC_INIT, bad = STRVEC_INIT;
	const struct mfile **v;
	size_t		 i, n;
	char		*dst;
	int		 rc = 0;
	bool		 git;

	v = sorted_files(m, false, &n);
	for (i = 0; i < n; i++) {
		dst = path_join(m->target_dir, v[i]->target);
		if (path_exists(dst))
			strvec_push(&replacing, v[i]->target);
		free(dst);
	}
	free(v);
	if (replacing.n == 0)
		goto out;
	git = !no_replace && git_lines(m->target_dir, ls, &tracked) == 0 &&
	    git_lines(m->target_dir, diff, &unstaged) == 0;
	if (!git) {
		rc = replace_error(m, &replacing, "would be replaced",
		    "Use --replace to skip this check.");
		goto out;
	}
	for (i = 0; i < replacing.n; i++)
		if (strvec_find(&tracked, replacing.v[i]) == -1) {
			rc = replace_error(m, &replacing, "would be replaced",
			    "Use --replace to skip this check.");
			goto out;
		}
	for (i = 0; i < replacing.n; i++)
		if (strvec_find(&unstaged, replacing.v[i]) != -1)
			strvec_push(&bad, replacing.v[i]);
	if (bad.n > 0)
		rc = replace_error(m, &bad, "have unstaged changes",
		    "Stage or stash these changes or use --replace to skip "
		    "this check.");
out:
	strvec_clear(&replacing);
	strvec_clear(&tracked);
	strvec_clear(&unstaged);
	strvec_clear(&bad);
	return rc;
}

static void
print_run(const struct run_row *row)
{
	char	**cells = xcalloc(CMD_RUNS_ROW_NCOLS, sizeof *cells);
	size_t	  i;

	cmd_runs_row_cells(row, -1, false, cells);
	for (i = 0; i < CMD_RUNS_ROW_NCOLS; i++)
		if (*cells[i] != '\0')
			fprintf(stderr, "  %s", cli_field(stderr, cells[i]));
	fputc('\n', stderr);
	cmd_runs_cells_free(cells, CMD_RUNS_ROW_NCOLS);
}

static void
preview(const struct merge *m, const struct run_row *row, bool full)
{
	const struct mfile	**v;
	char			 *desc = dir_desc(m->target_dir);
	size_t			  i, n;

	fflush(stdout);
	if (full)
		fprintf(stderr, "Merge will copy files from the following run "
		    "to %s:\n", desc);
	else
		fprintf(stderr, "You are about to copy files from the "
		    "following run to %s:\n", desc);
	free(desc);
	print_run(row);
	fputs("Files:\n", stderr);
	v = sorted_files(m, false, &n);
	if (n == 0)
		fputs("  nothing to copy\n", stderr);
	for (i = 0; i < n; i++)
		fprintf(stderr, "  %s\n", cli_field(stderr, v[i]->target));
	free(v);
	v = sorted_files(m, true, &n);
	if (n > 0 && full) {
		fputs("Skipped:\n", stderr);
		for (i = 0; i < n; i++)
			fprintf(stderr, "  %s  %s\n", cli_field(stderr,
			    v[i]->target != NULL ? v[i]->target :
			    v[i]->run_path), v[i]->reason);
	} else if (n > 0)
		fprintf(stderr, "%zu file%s will not be copied (use --preview "
		    "to show the full list)\n", n, n == 1 ? "" : "s");
	free(v);
}

/* Copy one file into place: written aside, then renamed. */
static int
copy_into(const char *src, const char *dst, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct stat	 st;
	char		*dir, *slash;
	int		 rc;

	dir = xstrdup(dst);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	rc = mkdir_p(dir, 0777, cause);
	free(dir);
	if (rc == -1)
		return -1;
	if (file_read_regular(AT_FDCWD, src, 0, 0, &sb, NULL, cause) == -1)
		return -1;
	rc = write_file_atomic(dst, sb.buf, sb.len, cause);
	if (rc == 0 && stat(src, &st) == 0)
		chmod(dst, st.st_mode & 0777);
	strbuf_release(&sb);
	return rc;
}

/* The run's project directory, checked against the current one. */
static char *
checked_cwd(const struct run_row *row)
{
	struct opref	 o;
	struct run	*run;
	char		*proj = NULL, *slash, *a, *b;
	bool		 same;

	if ((run = run_open(row->dir, NULL)) == NULL ||
	    run_opref_read(run, &o, NULL) == -1) {
		run_free(run);
		cli_error("run %s does not originate from a project - cannot "
		    "merge to the current directory by default\nUse "
		    "--target-dir to skip this check or try 'guild merge "
		    "--help' for more information.", row->id);
		return NULL;
	}
	run_free(run);
	if (strcmp(o.pkg_type, "guildfile") != 0 &&
	    strcmp(o.pkg_type, "script") != 0) {
		cli_error("run %s does not originate from a project - cannot "
		    "merge to the current directory by default\nUse "
		    "--target-dir to skip this check or try 'guild merge "
		    "--help' for more information.", row->id);
		opref_clear(&o);
		return NULL;
	}
	proj = xstrdup(o.pkg_name);
	if (strcmp(o.pkg_type, "guildfile") == 0 &&
	    (slash = strrchr(proj, '/')) != NULL)
		*slash = '\0';
	opref_clear(&o);
	a = realpath(proj, NULL);
	b = realpath(".", NULL);
	same = a != NULL && b != NULL && strcmp(a, b) == 0;
	free(a);
	free(b);
	if (!same) {
		a = path_abbrev_home(proj);
		cli_error("run %s was created from a different project (%s) - "
		    "cannot merge to the current directory by default\nUse "
		    "'--target-dir .' to override this check or try 'guild "
		    "merge --help' for more information.", row->id, a);
		free(a);
		free(proj);
		return NULL;
	}
	free(proj);
	return xstrdup(".");
}

static int
cmd_merge_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct merge	 m;
	struct runindex	*idx = NULL;
	struct run_row	*row = NULL;
	const struct mfile **v;
	char		*cause = NULL, *src, *dst;
	size_t		 i, n;
	int		 rc;

	if (cmd_arg_has(a, O_REPLACE) && cmd_arg_has(a, O_NO_REPLACE))
		return cli_error("--replace and --no-replace cannot both be "
		    "specified\nTry 'guild merge --help' for more "
		    "information.");
	if (cmd_arg_has(a, O_SOURCECODE) && cmd_arg_has(a, O_SKIP_SOURCECODE))
		return cli_error("--sourcecode and --skip-sourcecode cannot "
		    "both be specified\nTry 'guild merge --help' for more "
		    "information.");
	if ((rc = cmd_runs_select_one(ctx, a, false, 0, &idx, &row)) != 0)
		return rc;
	runindex_close(idx);

	memset(&m, 0, sizeof m);
	m.run_dir = row->dir;
	m.all = cmd_arg_has(a, O_ALL);
	m.skip_source = cmd_arg_has(a, O_SKIP_SOURCECODE);
	m.skip_deps = cmd_arg_has(a, O_SKIP_DEPS) ||
	    cmd_arg_has(a, O_SOURCECODE);
	for (i = 0; i < a->values[O_EXCLUDE].n; i++)
		strvec_push(&m.exclude, a->values[O_EXCLUDE].v[i]);
	if (cmd_arg_value(a, O_TARGET_DIR) != NULL)
		m.target_dir = xstrdup(cmd_arg_value(a, O_TARGET_DIR));
	else if ((m.target_dir = checked_cwd(row)) == NULL) {
		rc = 1;
		goto out;
	}
	if (merge_init(&m, &cause) == -1) {
		rc = cli_error_cause(cause);
		goto out;
	}
	if (!cmd_arg_has(a, O_REPLACE) && path_is_dir(m.target_dir) &&
	    (rc = check_replace(&m, cmd_arg_has(a, O_NO_REPLACE))) != 0)
		goto out;
	if (count_copy(&m) == 0 && !cmd_arg_has(a, O_PREVIEW)) {
		fflush(stdout);
		fputs("Nothing to copy for the following run:\n", stderr);
		print_run(row);
		fputs("Try 'guild merge --preview' for a list of skipped "
		    "files.\n", stderr);
		goto out;
	}
	if (cmd_arg_has(a, O_PREVIEW) || !cmd_arg_has(a, O_YES)) {
		preview(&m, row, cmd_arg_has(a, O_PREVIEW));
		if (cmd_arg_has(a, O_PREVIEW))
			goto out;
		if (!cli_confirm("Continue?", false)) {
			rc = 0;
			goto out;
		}
	}
	v = sorted_files(&m, false, &n);
	for (i = 0; i < n && rc == 0; i++) {
		fflush(stdout);
		fprintf(stderr, "Copying %s\n", cli_field(stderr, v[i]->target));
		src = path_join(m.run_dir, v[i]->run_path);
		dst = path_join(m.target_dir, v[i]->target);
		if (copy_into(src, dst, &cause) == -1)
			rc = cli_error_cause(cause);
		free(src);
		free(dst);
	}
	free(v);
out:
	merge_release(&m);
	run_row_free(row);
	return rc;
}

const struct cmd_entry cmd_merge_entry = {
	.name = "merge",
	.usage = "[RUN]",
	.summary = "Copy run files to a project directory.",
	.description =
	    "Copies the files of RUN (the newest run by default) into the\n"
	    "current directory, or DIR with --target-dir: its source code and\n"
	    "project-local file dependencies, as its manifest lists them, and\n"
	    "with --all what it generated. The run must come from the project\n"
	    "in the current directory unless --target-dir is given. Files that\n"
	    "would be replaced are an error unless --replace, or unless they\n"
	    "are committed to git with no unstaged change (not with\n"
	    "--no-replace).",
	.options = merge_options,
	.filter_options = run_filter_options,
	.exec = cmd_merge_exec,
};
