/*
 * cmd-export.c: guild runs export LOCATION [RUN...] and guild runs import
 * ARCHIVE [RUN...] (also top-level: guild export, guild import).
 *
 * LOCATION and ARCHIVE are a directory (runs as LOCATION/<id>, as Guild
 * exports them) or an archive file: .tar, .tar.gz/.tgz or .zip
 * (runarchive.h). Runs appear whole or not at all: a run is copied to a
 * temporary name beside its destination and renamed into place, and an
 * archive is written to a temporary file and renamed.
 *
 * Import treats an archive as hostile: it is extracted into a temporary
 * directory inside the runs directory (so runs can be renamed into place),
 * checked, and only then are its runs moved in; on any error the
 * temporary directory goes and nothing is imported. A valid archive holds
 * only run directories, each named by a 32-hex-digit run id and holding
 * .guild/opref (and may hold Guild's .guild-nocopy marker).
 */
#include "common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-export.h"
#include "cmd-select.h"
#include "cmds.h"
#include "home.h"
#include "run.h"
#include "runarchive.h"
#include "runindex.h"
#include "runsel.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"

#define NOCOPY_MARKER	".guild-nocopy"

enum {
	O_MOVE = 1,
	O_COPY_RESOURCES,
	O_YES,
};

static const struct cmd_option export_options[] = {
	{ O_MOVE, "m", "move", NULL,
	  "Move the runs rather than copy them (once all are exported)." },
	{ O_COPY_RESOURCES, "r", "copy-resources", NULL,
	  "Copy the files the runs link to, rather than the links." },
	{ O_YES, "y", "yes", NULL, "Do not ask for confirmation." },
	{ 0 }
};

static const struct cmd_option import_options[] = {
	{ O_MOVE, "m", "move", NULL,
	  "Move the runs out of a directory rather than copy them." },
	{ O_COPY_RESOURCES, NULL, "copy-resources", NULL,
	  "Copy the files the runs link to, rather than the links." },
	{ O_YES, "y", "yes", NULL, "Do not ask for confirmation." },
	{ 0 }
};

/*
 * What a run's symbolic links become in an export. A link that stays in
 * its run travels as it is. A link into a run exported together (a
 * dependency: ours are relative, Guild's absolute) is made relative, so
 * it points to that run wherever the two land. Any other link is copied
 * as what it points to with --copy-resources; otherwise a directory copy
 * gets it as an absolute link (it still works from there) and an archive,
 * which cannot carry it, leaves it out with a warning.
 */
struct link_plan {
	char		*runs, *runs_real;	/* where the runs are */
	struct strvec	 ids;			/* exported together */
	bool		 copy_resources;
	bool		 to_dir;
};

static void
plan_init(struct link_plan *p, const char *runs, const struct run_rows *rows,
    bool copy_resources, bool to_dir)
{
	size_t	i;

	memset(p, 0, sizeof *p);
	p->runs = path_absolute(runs);
	p->runs_real = realpath(runs, NULL);
	p->ids = (struct strvec)STRVEC_INIT;
	for (i = 0; i < rows->n; i++)
		strvec_push(&p->ids, rows->v[i]->id);
	p->copy_resources = copy_resources;
	p->to_dir = to_dir;
}

static void
plan_release(struct link_plan *p)
{
	free(p->runs);
	free(p->runs_real);
	strvec_clear(&p->ids);
}

/* The run id an absolute path falls in, if it is one of p's runs. */
static char *
plan_run_of(const struct link_plan *p, const char *abs, const char **rest)
{
	const char	*base[2] = { p->runs, p->runs_real }, *q;
	char		*id;
	size_t		 i, len;

	for (i = 0; i < 2; i++) {
		if (base[i] == NULL || (len = strlen(base[i])) == 0 ||
		    strncmp(abs, base[i], len) != 0 || abs[len] != '/')
			continue;
		q = abs + len + 1;
		id = xstrndup(q, strcspn(q, "/"));
		if (strvec_find(&p->ids, id) != -1) {
			*rest = q + strlen(id);
			return id;
		}
		free(id);
	}
	return NULL;
}

static enum runarchive_link_action
plan_link(void *arg, const char *disk, const char *rel, const char *target,
    char **to)
{
	const struct link_plan	*p = arg;
	struct strbuf		 sb = STRBUF_INIT;
	const char		*rest, *q;
	char			*dir, *slash, *abs, *id;

	if (runarchive_link_ok(rel, target))
		return RUNARCHIVE_LINK_KEEP;
	dir = xstrdup(disk);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (*target == '/')
		abs = path_absolute(target);
	else {
		char	*joined = path_join(dir, target);

		abs = path_absolute(joined);
		free(joined);
	}
	free(dir);
	if ((id = plan_run_of(p, abs, &rest)) != NULL) {
		/* Up from the link's directory to the export's top. */
		for (q = strchr(rel, '/'); q != NULL; q = strchr(q + 1, '/'))
			strbuf_addstr(&sb, "../");
		strbuf_addf(&sb, "%s%s", id, rest);
		*to = strbuf_detach(&sb, NULL);
		free(id);
		free(abs);
		return RUNARCHIVE_LINK_REWRITE;
	}
	if (p->copy_resources) {
		free(abs);
		return RUNARCHIVE_LINK_FOLLOW;
	}
	if (p->to_dir && *target != '/') {
		*to = abs;
		return RUNARCHIVE_LINK_REWRITE;
	}
	free(abs);
	return RUNARCHIVE_LINK_KEEP;
}

/*
 * Copy a tree: directories, regular files and symbolic links (as links,
 * or as what they point to: see struct link_plan), with permission bits
 * and modification times. Other file types are left out with a warning.
 * dst must not exist.
 */
static int
copy_file(const char *src, const char *dst, const struct stat *st,
    bool follow, char **cause)
{
	char		 buf[65536];
	struct timespec	 ts[2];
	ssize_t		 n, w;
	size_t		 off;
	int		 in, out, rc = 0;

	/* Never blocking, even on a FIFO swapped in since it was listed. */
	if ((in = file_open_regular(AT_FDCWD, src, follow ? 0 : FILE_NOFOLLOW,
	    NULL, cause)) == -1)
		return errno == ENOENT ? 0 : -1;	/* gone since listed */
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		close(in);
		return set_cause(cause, "%s: %s", dst, strerror(errno));
	}
	while (rc == 0) {
		n = read(in, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = set_cause(cause, "%s: %s", src, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		for (off = 0; off < (size_t)n; off += (size_t)w) {
			w = write(out, buf + off, (size_t)n - off);
			if (w == -1 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w <= 0) {
				rc = set_cause(cause, "%s: %s", dst,
				    w == 0 ? "short write" : strerror(errno));
				break;
			}
		}
	}
	ts[0] = st->st_atim;
	ts[1] = st->st_mtim;
	if (rc == 0 && (fchmod(out, st->st_mode & 0777) == -1 ||
	    futimens(out, ts) == -1))
		rc = set_cause(cause, "%s: %s", dst, strerror(errno));
	if (close(out) == -1 && rc == 0)
		rc = set_cause(cause, "%s: %s", dst, strerror(errno));
	close(in);
	return rc;
}

/* The directories above an entry, to notice followed links that loop. */
struct dirchain {
	dev_t			 dev;
	ino_t			 ino;
	const struct dirchain	*up;
};

struct copier {
	const struct link_plan	*plan;	/* NULL: links as they are */
};

static int	copy_tree_at(const struct copier *, const char *, const char *,
		    const char *, int, const struct dirchain *, char **);

static int
copy_tree(const char *src, const char *dst, const struct link_plan *plan,
    const char *rel, char **cause)
{
	struct copier	c = { .plan = plan };

	return copy_tree_at(&c, src, dst, rel, 0, NULL, cause);
}

/*
 * A link at src: made at dst (0), or to be copied as what it points to
 * (1, st filled), or left out (0, nothing made); -1 with cause.
 */
static int
copy_link(const struct copier *c, const char *src, const char *dst,
    const char *rel, int follow, struct stat *st, char **cause)
{
	enum runarchive_link_action	 act = RUNARCHIVE_LINK_KEEP;
	char				*to, *other = NULL;
	int				 rc = 0;

	if ((to = path_readlink(src)) == NULL)
		return errno == ENOENT ? 0 :
		    set_cause(cause, "%s: %s", src, strerror(errno));
	if (follow > 0)
		act = RUNARCHIVE_LINK_FOLLOW;
	else if (c->plan != NULL)
		act = plan_link((void *)c->plan, src, rel, to, &other);
	if (act == RUNARCHIVE_LINK_FOLLOW) {
		if (follow >= RUNARCHIVE_MAX_FOLLOW)
			warnx_core("leaving out %s: links lead to links too "
			    "deep", rel);
		else if (stat(src, st) == -1)
			warnx_core("leaving out %s: it links to '%s', which "
			    "does not exist", rel, to);
		else
			rc = 1;
	} else if (symlink(other != NULL ? other : to, dst) == -1)
		rc = set_cause(cause, "%s: %s", dst, strerror(errno));
	free(to);
	free(other);
	return rc;
}

/*
 * A running run's files come and go (attributes are replaced through
 * temporary files): below the top, one gone since its directory was read
 * is left out.
 */
static int
copy_tree_at(const struct copier *c, const char *src, const char *dst,
    const char *rel, int follow, const struct dirchain *chain, char **cause)
{
	struct stat		 st;
	struct timespec		 ts[2];
	struct dirchain		 here;
	const struct dirchain	*up;
	DIR			*d;
	struct dirent		*de;
	char			*s, *t, *r;
	bool			 top = chain == NULL && follow == 0;
	int			 rc = 0;

	if (lstat(src, &st) == -1) {
		if (errno == ENOENT && !top)
			return 0;
		return set_cause(cause, "%s: %s", src, strerror(errno));
	}
	if (S_ISLNK(st.st_mode)) {
		if ((rc = copy_link(c, src, dst, rel, follow, &st,
		    cause)) <= 0)
			return rc;
		follow++;
		rc = 0;
	}
	if (S_ISREG(st.st_mode))
		return copy_file(src, dst, &st, follow > 0, cause);
	if (!S_ISDIR(st.st_mode)) {
		warnx_core("leaving out %s: not a file, directory or link", src);
		return 0;
	}
	for (up = chain; follow > 0 && up != NULL; up = up->up)
		if (up->dev == st.st_dev && up->ino == st.st_ino) {
			warnx_core("leaving out %s: its links loop", rel);
			return 0;
		}
	here.dev = st.st_dev;
	here.ino = st.st_ino;
	here.up = chain;
	if (mkdir(dst, 0700) == -1)
		return set_cause(cause, "%s: %s", dst, strerror(errno));
	if ((d = opendir(src)) == NULL) {
		if (errno == ENOENT && !top)
			return 0;
		return set_cause(cause, "%s: %s", src, strerror(errno));
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		s = path_join(src, de->d_name);
		t = path_join(dst, de->d_name);
		r = path_join(rel, de->d_name);
		rc = copy_tree_at(c, s, t, r, follow, &here, cause);
		free(s);
		free(t);
		free(r);
	}
	closedir(d);
	/* The mode last, so a read-only directory could be filled. */
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	if (rc == 0 && (chmod(dst, (st.st_mode & 0777) | 0700) == -1 ||
	    utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW) == -1))
		rc = set_cause(cause, "%s: %s", dst, strerror(errno));
	return rc;
}

/* Say which links in a copied tree lead nowhere. */
static void
warn_dangling(const char *path, const char *shown)
{
	struct stat	 st;
	DIR		*d;
	struct dirent	*de;
	char		*s, *n, *to;

	if (lstat(path, &st) == -1)
		return;
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) == -1 && (to = path_readlink(path)) != NULL) {
			warnx_core("%s links to '%s', which does not exist",
			    shown, to);
			free(to);
		}
		return;
	}
	if (!S_ISDIR(st.st_mode) || (d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		s = path_join(path, de->d_name);
		n = path_join(shown, de->d_name);
		warn_dangling(s, n);
		free(s);
		free(n);
	}
	closedir(d);
}

/*
 * Move a run directory: rename when on the same file system, else copy
 * to a temporary name beside dst, rename that, and remove src.
 */
static int
move_tree(const char *src, const char *dst, const char *tmp_base,
    char **cause)
{
	char	*tmp;
	int	 rc;

	if (rename(src, dst) == 0)
		return 0;
	if (errno != EXDEV)
		return set_cause(cause, "%s: %s", dst, strerror(errno));
	tmp = xasprintf("%s/.move-%ld", tmp_base, (long)getpid());
	rm_rf(tmp, NULL);
	if ((rc = copy_tree(src, tmp, NULL, "", cause)) == 0 &&
	    rename(tmp, dst) == -1)
		rc = set_cause(cause, "%s: %s", dst, strerror(errno));
	if (rc == 0)
		rc = rm_rf(src, cause);
	else
		rm_rf(tmp, NULL);
	free(tmp);
	return rc;
}

static void
index_update(struct runindex *idx, const char *id)
{
	char	*cause = NULL;

	if (idx != NULL && runindex_update(idx, id, false, NULL, &cause) == -1) {
		warnx_core("run index: %s", cause);
		free(cause);
	}
}

static void
index_forget(struct runindex *idx, const char *id)
{
	char	*cause = NULL;

	if (idx != NULL && runindex_forget(idx, id, &cause) == -1) {
		warnx_core("run index: %s", cause);
		free(cause);
	}
}

/* Export. */

static int
export_to_dir(const struct run_rows *rows, const char *loc,
    const struct link_plan *plan, bool *done, size_t *count)
{
	char	*marker, *tmp, *cause = NULL, *staged, *dest;
	size_t	 i;
	int	 rc = 0;

	if (mkdir_p(loc, 0777, &cause) == -1)
		return cli_error_cause(cause);
	/* Guild's marker: the directory is not copied as source code. */
	marker = path_join(loc, NOCOPY_MARKER);
	if (!path_exists(marker))
		write_file_atomic(marker, "", 0, NULL);
	free(marker);
	tmp = xasprintf("%s/.guild-export-XXXXXX", loc);
	if (mkdtemp(tmp) == NULL) {
		rc = cli_error("%s: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	for (i = 0; i < rows->n && rc == 0; i++) {
		const struct run_row	*row = rows->v[i];
		struct stat		 st;

		dest = path_join(loc, row->id);
		if (lstat(dest, &st) == 0) {
			warnx_core("%s exists, skipping", dest);
			free(dest);
			continue;
		}
		staged = path_join(tmp, row->id);
		if (copy_tree(row->dir, staged, plan, row->id, &cause) == -1 ||
		    (rename(staged, dest) == -1 &&
		    set_cause(&cause, "%s: %s", dest, strerror(errno)) == -1))
			rc = cli_error_cause(cause);
		else {
			done[i] = true;
			(*count)++;
		}
		free(staged);
		free(dest);
	}
	rm_rf(tmp, NULL);
	free(tmp);
	/* Once all are there: links into runs exported together resolve. */
	for (i = 0; i < rows->n; i++)
		if (done[i]) {
			dest = path_join(loc, rows->v[i]->id);
			warn_dangling(dest, dest);
			free(dest);
		}
	return rc;
}

static int
export_to_archive(const struct run_rows *rows, const char *loc,
    enum runarchive_format fmt, const char *runs_dir,
    struct link_plan *plan, bool *done, size_t *count)
{
	struct runarchive_links	 links = { .fn = plan_link, .arg = plan };
	struct strvec	 ids = STRVEC_INIT;
	char		*dir, *slash, *cause = NULL;
	size_t		 i;
	int		 rc;

	dir = xstrdup(loc);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0777, &cause) == -1) {
			free(dir);
			return cli_error_cause(cause);
		}
	}
	free(dir);
	for (i = 0; i < rows->n; i++)
		strvec_push(&ids, rows->v[i]->id);
	rc = runarchive_create(loc, fmt, runs_dir, &ids, &links, &cause);
	strvec_clear(&ids);
	if (rc == -1)
		return cli_error_cause(cause);
	for (i = 0; i < rows->n; i++)
		done[i] = true;
	*count = rows->n;
	return 0;
}

/* Guild's warning and question for --copy-resources (not with -y). */
static bool
confirm_copy_resources(struct cmd_args *a)
{
	if (cmd_arg_has(a, O_YES))
		return true;
	fprintf(stderr, "WARNING: You specified --copy-resources, which will "
	    "copy resources used by each run.\n");
	return cli_confirm("Really copy resources exported runs?", false);
}

static int
cmd_export_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct link_plan	 plan;
	struct runindex		*idx = NULL;
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct strvec		 specs = STRVEC_INIT;
	enum runarchive_format	 fmt;
	const char		*loc;
	char			*intro, *cause = NULL;
	bool			*done = NULL, move = cmd_arg_has(a, O_MOVE);
	size_t			 i, count = 0;
	int			 rc;

	if (a->pos.n == 0)
		return cli_error("missing argument 'LOCATION'\n"
		    "Try 'guild export --help' for more information.");
	if (cli_home(ctx) == NULL)
		return 1;
	loc = a->pos.v[0];
	fmt = runarchive_format_for(loc);
	if (fmt == RUNARCHIVE_NONE && path_exists(loc) && !path_is_dir(loc))
		return cli_error("%s is not a directory or an archive name "
		    "(.tar, .tar.gz, .tgz, .zip)", loc);
	if (fmt != RUNARCHIVE_NONE && path_exists(loc))
		return cli_error("%s exists", loc);
	for (i = 1; i < a->pos.n; i++)
		strvec_push(&specs, a->pos.v[i]);
	rc = cmd_runs_select(ctx, a, &specs, NULL, false, 0, &idx, &rows);
	strvec_clear(&specs);
	if (rc != 0)
		return rc;
	if (rows.n == 0) {
		cli_note("No runs to export.");
		goto out;
	}
	if (move)
		for (i = 0; i < rows.n; i++)
			if (rows.v[i]->status == RUN_STATUS_RUNNING) {
				rc = cli_error("cannot move run %s: it is "
				    "running\nStop it first with 'guild stop "
				    "%.8s'.", rows.v[i]->id, rows.v[i]->id);
				goto out;
			}
	if (!cmd_arg_has(a, O_YES)) {
		intro = xasprintf("You are about to %s the following runs to "
		    "'%s':", move ? "move" : "copy", loc);
		if (!cmd_runs_confirm(&rows, intro, "Continue?", true)) {
			free(intro);
			goto out;
		}
		free(intro);
	}
	if (cmd_arg_has(a, O_COPY_RESOURCES) && !confirm_copy_resources(a)) {
		rc = 0;
		goto out;
	}
	done = xcalloc(rows.n + 1, sizeof *done);
	plan_init(&plan, ctx->home->runs, &rows,
	    cmd_arg_has(a, O_COPY_RESOURCES), fmt == RUNARCHIVE_NONE);
	if (fmt == RUNARCHIVE_NONE)
		rc = export_to_dir(&rows, loc, &plan, done, &count);
	else
		rc = export_to_archive(&rows, loc, fmt, ctx->home->runs, &plan,
		    done, &count);
	plan_release(&plan);
	/* Originals go only once every run is safely exported. */
	if (rc == 0 && move)
		for (i = 0; i < rows.n; i++) {
			if (!done[i])
				continue;
			if (rm_rf(rows.v[i]->dir, &cause) == -1) {
				rc = cli_error_cause(cause);
				cause = NULL;
				continue;
			}
			index_forget(idx, rows.v[i]->id);
		}
	if (count > 0 || rc == 0)
		cli_note("Exported %zu run(s) to %s", count, loc);
out:
	free(done);
	run_rows_release(&rows);
	runindex_close(idx);
	return rc;
}

int
cmd_export_to_dir(struct cmd_ctx *ctx, struct runindex *idx,
    const struct run_rows *rows, const char *loc, bool move,
    bool copy_resources, size_t *count)
{
	struct link_plan	 plan;
	char			*cause = NULL;
	bool			*done;
	size_t			 i;
	int			 rc;

	*count = 0;
	done = xcalloc(rows->n + 1, sizeof *done);
	plan_init(&plan, ctx->home->runs, rows, copy_resources, true);
	rc = export_to_dir(rows, loc, &plan, done, count);
	plan_release(&plan);
	if (rc == 0 && move)
		for (i = 0; i < rows->n; i++) {
			if (!done[i])
				continue;
			if (rm_rf(rows->v[i]->dir, &cause) == -1) {
				rc = cli_error_cause(cause);
				cause = NULL;
				continue;
			}
			index_forget(idx, rows->v[i]->id);
		}
	free(done);
	return rc;
}

/* Import. */

static bool
is_run_id(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return i == RUN_ID_LEN;
}

/* A preview row for a run that is not in the index (yet). */
static struct run_row *
row_from_dir(const char *dir, const char *id)
{
	struct run_row	*row;
	struct run	*run;
	struct opref	 o;
	struct value	*v = NULL;
	long long	 n;

	row = xcalloc(1, sizeof *row);
	row->id = xstrdup(id);
	row->dir = xstrdup(dir);
	row->label = xstrdup("");
	if ((run = run_open(dir, NULL)) == NULL) {
		row->op_desc = xstrdup("?");
		row->status = RUN_STATUS_ERROR;
		return row;
	}
	if (run_opref_read(run, &o, NULL) == 0) {
		row->opref = opref_format(&o);
		row->pkg_name = xstrdup(o.pkg_name);
		row->model = xstrdup(o.model);
		row->op = xstrdup(o.op);
		row->op_desc = *o.model != '\0' ?
		    xasprintf("%s:%s", o.model, o.op) : xstrdup(o.op);
		opref_clear(&o);
	} else
		row->op_desc = xstrdup("?");
	if (run_attr_int(run, "started", &n))
		row->started = n;
	row->status = run_get_status(run);
	if (run_attr_read(run, "label", &v, NULL) == 0 && v != NULL &&
	    v->type == VALUE_STRING) {
		free(row->label);
		row->label = xstrdup(v->u.s);
	}
	value_free(v);
	v = NULL;
	if (run_attr_read(run, "marked", &v, NULL) == 0 && v != NULL)
		row->marked = v->type == VALUE_BOOL && v->u.b;
	value_free(v);
	run_free(run);
	return row;
}

/* Indexes "N", ranges "A:B" and id prefixes over ids (newest first). */
static int
select_ids(const struct strvec *ids, const struct strvec *specs,
    struct strvec *out, char **cause)
{
	const char	*spec, *colon;
	char		*id, *end;
	unsigned long	 lo, hi, k;
	size_t		 i;

	if (specs->n == 0) {
		for (i = 0; i < ids->n; i++)
			strvec_push(out, ids->v[i]);
		return 0;
	}
	for (i = 0; i < specs->n; i++) {
		spec = specs->v[i];
		colon = strchr(spec, ':');
		if (colon != NULL && strspn(spec, "0123456789:") ==
		    strlen(spec) && strchr(colon + 1, ':') == NULL) {
			lo = colon == spec ? 0 : strtoul(spec, &end, 10);
			hi = colon[1] == '\0' ? (unsigned long)-1 :
			    strtoul(colon + 1, &end, 10);
			for (k = lo; k <= hi && k < ids->n; k++)
				if (strvec_find(out, ids->v[k]) == -1)
					strvec_push(out, ids->v[k]);
			continue;
		}
		if ((id = runsel_one(ids, spec, cause)) == NULL)
			return -1;
		if (strvec_find(out, id) == -1)
			strvec_push(out, id);
		free(id);
	}
	return 0;
}

/* Free space for an import: what the runs' file system has, less a margin. */
static uint64_t
import_byte_limit(const char *dir)
{
	struct statvfs	sv;
	uint64_t	avail, margin = 64ull << 20;

	if (statvfs(dir, &sv) == -1)
		return 0;
	avail = (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
	if (avail > 2 * margin)
		return avail - margin;
	return avail / 2 + 1;
}

/* The runs of an extracted archive, checked; -1 with cause. */
static int
check_extracted(const char *tmp, const struct strvec *top, char **cause)
{
	struct stat	 st;
	char		*opref;
	size_t		 i;

	for (i = 0; i < top->n; i++) {
		if (!is_run_id(top->v[i]))
			return set_cause(cause, "'%s' is not a run directory "
			    "(run directories are named by 32-digit hex ids)",
			    top->v[i]);
		opref = xasprintf("%s/%s/.guild/opref", tmp, top->v[i]);
		if (lstat(opref, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(opref);
			return set_cause(cause, "'%s' is not a run directory "
			    "(it has no .guild/opref)", top->v[i]);
		}
		free(opref);
	}
	return 0;
}

/*
 * Where runs wait before they are moved into place: tmp/x, with tmp a
 * new directory in the runs directory (the same file system, so a run is
 * renamed into place whole). Runs sit a level deeper than tmp, so that
 * tmp itself never looks like a run to a listing running meanwhile.
 */
static char *
make_staging(const struct guild_home *home, char **tmp)
{
	char	*stage;

	*tmp = xasprintf("%s/.import-XXXXXX", home->runs);
	if (mkdtemp(*tmp) == NULL) {
		cli_error("%s: %s", *tmp, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	stage = path_join(*tmp, "x");
	if (mkdir(stage, 0700) == -1) {
		cli_error("%s: %s", stage, strerror(errno));
		free(stage);
		return NULL;
	}
	return stage;
}

/*
 * Put one chosen run into the home: moved (a directory with --move),
 * copied, or renamed from where the archive was extracted. 0, or 1 after
 * printing an error; a run that is there already is skipped with a
 * warning.
 */
static int
import_one(const struct guild_home *home, const struct run_row *row,
    bool is_dir, bool move, bool copy_res, const char *stage, const char *tmp,
    struct link_plan *plan, struct runindex *idx, struct strvec *landed,
    size_t *count)
{
	const char	*id = row->id;
	char		*dest, *trashed, *path, *cause = NULL;
	int		 rc = 0;

	dest = path_join(home->runs, id);
	trashed = path_join(home->trash, id);
	if (path_exists(dest))
		warnx_core("run %s exists, skipping", id);
	else if (path_exists(trashed))
		warnx_core("run %s exists in the trash (see 'guild runs "
		    "restore'), skipping", id);
	else if (is_dir && move) {
		if (move_tree(row->dir, dest, home->runs, &cause) == -1)
			rc = cli_error_cause(cause);
		else
			(*count)++;
	} else {
		/* A copy goes beside the extracted run. */
		bool	 copy = is_dir || copy_res;

		path = path_join(is_dir || !copy ? stage : tmp, id);
		if (copy && copy_tree(row->dir, path, plan, id, &cause) == -1)
			rc = cli_error_cause(cause);
		else if (rename(path, dest) == -1)
			rc = cli_error("%s: %s", dest, strerror(errno));
		else
			(*count)++;
		free(path);
	}
	if (rc == 0 && path_exists(dest))
		index_update(idx, id);
	if (rc == 0)
		strvec_push(landed, dest);
	free(dest);
	free(trashed);
	return rc;
}

static int
cmd_import_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guild_home		*home;
	struct runindex			*idx;
	struct runarchive_limits	 lim;
	struct run_rows			 rows = RUN_ROWS_INIT;
	struct strvec			 top = STRVEC_INIT, ids = STRVEC_INIT;
	struct strvec			 specs = STRVEC_INIT, chosen = STRVEC_INIT;
	const char			*src, *from;
	char				*tmp = NULL, *stage = NULL, *cause = NULL;
	char				*intro;
	char				*path;
	struct strvec			 landed = STRVEC_INIT;
	char				*named = NULL;
	struct link_plan		 plan;
	bool				 is_dir, move = cmd_arg_has(a, O_MOVE);
	bool				 copy_res = cmd_arg_has(a, O_COPY_RESOURCES);
	size_t				 i, count = 0;
	int				 rc = 1;

	if (a->pos.n == 0)
		return cli_error("missing argument 'ARCHIVE'\n"
		    "Try 'guild import --help' for more information.");
	src = a->pos.v[0];
	/* An archive's name, as 'guild archive --list' shows it. */
	if (!path_exists(src) && strchr(src, '/') == NULL &&
	    (named = cmd_archive_path(ctx, src)) != NULL)
		src = named;
	if (!path_exists(src)) {
		free(named);
		return cli_error("archive '%s' does not exist", src);
	}
	is_dir = path_is_dir(src);
	if (move && !is_dir) {
		free(named);
		return cli_error("'--move' can only be used with a directory");
	}
	if ((home = cli_home(ctx)) == NULL || home_ensure(home, &cause) == -1) {
		free(named);
		return home == NULL ? 1 : cli_error_cause(cause);
	}
	for (i = 1; i < a->pos.n; i++)
		strvec_push(&specs, a->pos.v[i]);

	if (is_dir) {
		/* Runs in a directory: those with .guild/opref, as Guild does. */
		if (runsel_list(src, &ids, &cause) == -1) {
			cli_error_cause(cause);
			goto out;
		}
		from = src;
	} else {
		if ((stage = make_staging(home, &tmp)) == NULL)
			goto out;
		memset(&lim, 0, sizeof lim);
		lim.max_bytes = import_byte_limit(home->runs);
		if (runarchive_extract(src, stage, &lim, &top, &cause) == -1 ||
		    check_extracted(stage, &top, &cause) == -1) {
			cli_error("cannot import %s: %s\nNothing was imported.",
			    src, cause);
			free(cause);
			goto out;
		}
		if (runsel_list(stage, &ids, &cause) == -1) {
			cli_error_cause(cause);
			goto out;
		}
		from = stage;
	}
	if (select_ids(&ids, &specs, &chosen, &cause) == -1) {
		cli_error_cause(cause);
		goto out;
	}
	if (chosen.n == 0) {
		cli_note("No runs to import.");
		rc = 0;
		goto out;
	}
	for (i = 0; i < chosen.n; i++) {
		path = path_join(from, chosen.v[i]);
		run_rows_push(&rows, row_from_dir(path, chosen.v[i]));
		free(path);
	}
	if (!cmd_arg_has(a, O_YES)) {
		intro = xasprintf("You are about to import (%s) the following "
		    "runs from '%s':", move ? "move" : "copy", a->pos.v[0]);
		if (!cmd_runs_confirm(&rows, intro, "Continue?", true)) {
			free(intro);
			rc = 0;
			goto out;
		}
		free(intro);
	}

	if (copy_res && !confirm_copy_resources(a)) {
		rc = 0;
		goto out;
	}
	/* Copies are staged first, like an archive's runs. */
	if (is_dir && !move && (stage = make_staging(home, &tmp)) == NULL)
		goto out;
	/* Links into runs imported together stay links, unless told. */
	plan_init(&plan, from, &rows, copy_res, true);
	if (copy_res)
		strvec_clear(&plan.ids);
	idx = runindex_open(home, NULL);
	rc = 0;
	for (i = 0; i < rows.n && rc == 0; i++)
		rc = import_one(home, rows.v[i], is_dir, move, copy_res, stage,
		    tmp, &plan, idx, &landed, &count);
	runindex_close(idx);
	plan_release(&plan);
	for (i = 0; i < landed.n; i++)
		warn_dangling(landed.v[i], landed.v[i]);
	cli_note("Imported %zu run(s) from %s", count, a->pos.v[0]);
out:
	strvec_clear(&landed);
	free(named);
	if (tmp != NULL) {
		rm_rf(tmp, NULL);
		free(tmp);
	}
	free(stage);
	run_rows_release(&rows);
	strvec_clear(&top);
	strvec_clear(&ids);
	strvec_clear(&specs);
	strvec_clear(&chosen);
	return rc;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "LOCATION [RUN...]",
	.summary = "Export runs to a directory or an archive.",
	.description =
	    "Copies runs (all runs without RUN arguments) to LOCATION: a\n"
	    "directory, where each run becomes LOCATION/<id>, or an archive,\n"
	    "by its extension: .tar, .tar.gz, .tgz or .zip. Runs already in a\n"
	    "directory LOCATION are skipped; an archive must not exist. With\n"
	    "--move the runs are removed once all of them are exported.",
	.options = export_options,
	.filter_options = run_filter_options,
	.exec = cmd_export_exec,
};

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "ARCHIVE [RUN...]",
	.summary = "Import runs from a directory or an archive.",
	.description =
	    "Copies the runs in ARCHIVE (a directory of runs, or a .tar,\n"
	    "compressed .tar or .zip file) into the Guild home; RUN arguments\n"
	    "(indexes, ranges and id prefixes over ARCHIVE's runs, newest\n"
	    "first) choose some. Runs already present are skipped. An archive\n"
	    "is checked before anything is imported: it may hold only run\n"
	    "directories, with no absolute paths, no '..', no links leaving\n"
	    "their run and no special files.",
	.options = import_options,
	.exec = cmd_import_exec,
};
