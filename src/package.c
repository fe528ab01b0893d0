/* package.c: guild packages as Python wheels (see package.h). */
#include "common.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "error.h"
#include "format.h"
#include "guildfile.h"
#include "home.h"
#include "package.h"
#include "proc.h"
#include "runarchive.h"
#include "runner.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "xmalloc.h"

/* A file of the project put into a wheel, read whole. */
#define PACKAGE_FILE_MAX	(512 * 1024 * 1024)
/* What the Python path query may print. */
#define PYPATH_MAX		(1024 * 1024)

static char *
package_name(const struct guildfile *gf)
{
	const struct modeldef	*m;
	char			*md5, *name;

	if (gf->package != NULL)
		return xstrdup(gf->package->name);
	if ((m = guildfile_default_model(gf)) != NULL && *m->name != '\0')
		return xstrdup(m->name);
	md5 = digest_buf(DIGEST_MD5, gf->path, strlen(gf->path));
	name = xasprintf("gpkg.anonymous_%.8s", md5);
	free(md5);
	return name;
}

/* Wheel file names: runs of -_. become one _ (the binary format's rule). */
static char *
wheel_escape(const char *s)
{
	struct strbuf	sb = STRBUF_INIT;

	for (; *s != '\0'; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			if (sb.len == 0 || sb.buf[sb.len - 1] != '_')
				strbuf_addch(&sb, '_');
		} else
			strbuf_addch(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

/* ---------------------------------------------------------------- */
/* Names and versions pip takes. */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A run of digits at *p, stepped over. */
static bool
digits(const char **p)
{
	const char	*s = *p;

	while (is_digit(**p))
		(*p)++;
	return *p > s;
}

/* A word at *p followed by digits, both stepped over. */
static bool
word_number(const char **p, const char *word)
{
	const char	*s = *p;
	size_t		 len = strlen(word);

	if (strncmp(s, word, len) != 0)
		return false;
	s += len;
	if (!digits(&s))
		return false;
	*p = s;
	return true;
}

/*
 * A PEP 440 version in its normal form ([N!]N(.N)*[{a|b|rc}N][.postN]
 * [.devN][+LOCAL]): what the wheel's file name and METADATA need to
 * agree on, without '-' (the file name's separator) or blanks (the
 * opref's). Guild, through setuptools, would normalise "1.0-beta" to
 * 1.0b0; saying so is as good.
 */
static bool
version_ok(const char *v)
{
	const char	*p = v, *q;

	if (!digits(&p))
		return false;
	if (*p == '!' && (p++, !digits(&p)))
		return false;
	while (*p == '.' && is_digit(p[1])) {
		p++;
		digits(&p);
	}
	(void)(word_number(&p, "a") || word_number(&p, "b") ||
	    word_number(&p, "rc"));
	word_number(&p, ".post");
	word_number(&p, ".dev");
	if (*p == '+') {
		do {
			q = ++p;
			while (is_digit(*p) || (*p >= 'a' && *p <= 'z'))
				p++;
			if (p == q)
				return false;
		} while (*p == '.');
	}
	return *p == '\0';
}

/* A distribution name as PEP 508 has it. */
static bool
name_ok(const char *s)
{
	size_t	len = strlen(s), i;

	if (len == 0 || !is_alnum(s[0]) || !is_alnum(s[len - 1]))
		return false;
	for (i = 0; i < len; i++)
		if (!is_alnum(s[i]) && strchr("._-", s[i]) == NULL)
			return false;
	return true;
}

/* ---------------------------------------------------------------- */
/* Building. */

struct wheel {
	struct runarchive_zip	*zip;
	struct strbuf		 record;
	const char		*project;
	struct strvec		 added;	/* archive names, against duplicates */
	size_t			 nfiles;
};

static void
b64url(struct strbuf *sb, const unsigned char *p, size_t n)
{
	static const char	abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t			i;
	unsigned		v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		strbuf_addch(sb, abc[v >> 18 & 63]);
		strbuf_addch(sb, abc[v >> 12 & 63]);
		strbuf_addch(sb, abc[v >> 6 & 63]);
		strbuf_addch(sb, abc[v & 63]);
	}
	if (n - i == 1) {
		v = (unsigned)p[i] << 16;
		strbuf_addch(sb, abc[v >> 18 & 63]);
		strbuf_addch(sb, abc[v >> 12 & 63]);
	} else if (n - i == 2) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		strbuf_addch(sb, abc[v >> 18 & 63]);
		strbuf_addch(sb, abc[v >> 12 & 63]);
		strbuf_addch(sb, abc[v >> 6 & 63]);
	}
}

/* "sha256=<urlsafe base64, no padding>" as RECORD has it. */
static void
record_hash(struct strbuf *sb, const void *buf, size_t len)
{
	char		*hex = digest_buf(DIGEST_SHA256, buf, len);
	unsigned char	 raw[32];
	size_t		 i;

	for (i = 0; i < 32; i++) {
		unsigned	v;

		sscanf(hex + 2 * i, "%2x", &v);
		raw[i] = (unsigned char)v;
	}
	free(hex);
	strbuf_addstr(sb, "sha256=");
	b64url(sb, raw, sizeof raw);
}

static int
wheel_add(struct wheel *w, const char *name, const void *buf, size_t len,
    unsigned mode, time_t mtime, char **cause)
{
	if (strvec_find(&w->added, name) >= 0)
		return 0;
	strvec_push(&w->added, name);
	if (runarchive_zip_add(w->zip, name, buf, len, mode, mtime,
	    cause) == -1)
		return -1;
	/* RECORD is CSV. */
	format_csv_field(&w->record, name);
	strbuf_addch(&w->record, ',');
	record_hash(&w->record, buf, len);
	strbuf_addf(&w->record, ",%zu\n", len);
	return 0;
}

/* The project file rel (a regular file) as dest in the wheel. */
static int
wheel_add_file(struct wheel *w, const char *rel, const char *dest,
    char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct stat	 st;
	char		*path = path_join(w->project, rel);
	int		 rc;

	rc = file_read_regular(AT_FDCWD, path, 0, PACKAGE_FILE_MAX, &sb, &st,
	    cause);
	free(path);
	if (rc == 0) {
		rc = wheel_add(w, dest, sb.buf, sb.len,
		    (st.st_mode & 0111) ? 0755 : 0644, st.st_mtime, cause);
		w->nfiles++;
	}
	strbuf_release(&sb);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The entries of dir (relative to the project) that are regular files
 * (files) or directories (dirs), sorted; hidden ones and __pycache__
 * left out.
 */
static void
list_dir(const char *project, const char *dir, struct strvec *files,
    struct strvec *dirs)
{
	char		*full = path_join(project, dir);
	DIR		*d = opendir(full);
	struct dirent	*de;
	struct stat	 st;

	free(full);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char	*rel, *abs;

		if (de->d_name[0] == '.' ||
		    strcmp(de->d_name, "__pycache__") == 0)
			continue;
		rel = *dir != '\0' && strcmp(dir, ".") != 0 ?
		    xasprintf("%s/%s", dir, de->d_name) : xstrdup(de->d_name);
		abs = path_join(project, rel);
		if (stat(abs, &st) == 0) {
			if (S_ISREG(st.st_mode) && files != NULL)
				strvec_push(files, rel);
			else if (S_ISDIR(st.st_mode) && dirs != NULL)
				strvec_push(dirs, rel);
		}
		free(abs);
		free(rel);
	}
	closedir(d);
	if (files != NULL && files->n > 1)
		qsort(files->v, files->n, sizeof *files->v, name_cmp);
	if (dirs != NULL && dirs->n > 1)
		qsort(dirs->v, dirs->n, sizeof *dirs->v, name_cmp);
}

/* The *.py modules of a Python package dir (project-relative) as dest/. */
static int
add_modules(struct wheel *w, const char *dir, const char *dest, char **cause)
{
	struct strvec	files = STRVEC_INIT;
	size_t		i;
	int		rc = 0;

	list_dir(w->project, dir, &files, NULL);
	for (i = 0; rc == 0 && i < files.n; i++) {
		const char	*base = strrchr(files.v[i], '/');
		char		*to;

		base = base != NULL ? base + 1 : files.v[i];
		if (!str_ends_with(base, ".py"))
			continue;
		to = xasprintf("%s/%s", dest, base);
		rc = wheel_add_file(w, files.v[i], to, cause);
		free(to);
	}
	strvec_clear(&files);
	return rc;
}

/*
 * The project's Python packages under dir (directories with an
 * __init__.py, as setuptools' find_packages finds them), each under
 * dest.
 */
static int
add_subpackages(struct wheel *w, const char *dir, const char *dest,
    char **cause)
{
	struct strvec	dirs = STRVEC_INIT;
	size_t		i;
	int		rc = 0;

	list_dir(w->project, dir, NULL, &dirs);
	for (i = 0; rc == 0 && i < dirs.n; i++) {
		const char	*base = strrchr(dirs.v[i], '/');
		char		*init = xasprintf("%s/%s/__init__.py", w->project,
				    dirs.v[i]);
		char		*to;

		base = base != NULL ? base + 1 : dirs.v[i];
		if (path_is_file(init) && strcmp(base, "dist") != 0 &&
		    strcmp(base, "build") != 0) {
			to = xasprintf("%s/%s", dest, base);
			rc = add_modules(w, dirs.v[i], to, cause);
			if (rc == 0)
				rc = add_subpackages(w, dirs.v[i], to, cause);
			free(to);
		}
		free(init);
	}
	strvec_clear(&dirs);
	return rc;
}

/* Every regular file under dir (project-relative), as dest/REL. */
static int
add_tree(struct wheel *w, const char *dir, const char *dest, char **cause)
{
	struct strvec	files = STRVEC_INIT, dirs = STRVEC_INIT;
	size_t		i;
	int		rc = 0;

	list_dir(w->project, dir, &files, &dirs);
	for (i = 0; rc == 0 && i < files.n; i++) {
		char	*to = xasprintf("%s/%s", dest, files.v[i]);

		rc = wheel_add_file(w, files.v[i], to, cause);
		free(to);
	}
	for (i = 0; rc == 0 && i < dirs.n; i++)
		rc = add_tree(w, dirs.v[i], dest, cause);
	strvec_clear(&files);
	strvec_clear(&dirs);
	return rc;
}

/* Whether a data-files pattern stays in the project: relative, no "..". */
static bool
inside_pattern(const char *pat)
{
	const char	*p = pat;
	size_t		 n;

	if (*pat == '/')
		return false;
	while (*p != '\0') {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += n;
		p += *p == '/';
	}
	return true;
}

/* Whether path, links followed, is in the directory real (a real path). */
static bool
inside_real(const char *path, const char *real)
{
	char	*rp = realpath(path, NULL);
	size_t	 len = strlen(real);
	bool	 in;

	in = rp != NULL && strncmp(rp, real, len) == 0 &&
	    (rp[len] == '/' || (len == 1 && real[0] == '/'));
	free(rp);
	return in;
}

/* guild.yml, README*, LICENSE* and the data-files (Guild's package_data). */
static int
add_data(struct wheel *w, const struct pkgdef *p, const char *dest,
    char **cause)
{
	static const char *const defaults[] = { "guild.yml", "LICENSE",
	    "LICENSE.*", "README", "README.*" };
	struct strvec	 pats = STRVEC_INIT;
	size_t		 i, j, plen = strlen(w->project);
	glob_t		 g;
	char		*real;
	int		 rc = 0;

	/*
	 * A wheel holds the project's files only: "../x" or a link out of
	 * the project would put another's files in it.
	 */
	for (i = 0; p != NULL && i < p->data_files.n; i++) {
		if (!inside_pattern(p->data_files.v[i]))
			return set_cause(cause, "data-files: '%s' is outside the "
			    "project (data files are relative to %s, without "
			    "'..')", p->data_files.v[i], w->project);
	}
	if ((real = realpath(w->project, NULL)) == NULL)
		return set_cause(cause, "%s: %s", w->project, strerror(errno));
	for (i = 0; i < ARRAY_SIZE(defaults); i++)
		strvec_push(&pats, defaults[i]);
	for (i = 0; p != NULL && i < p->data_files.n; i++)
		strvec_push(&pats, p->data_files.v[i]);
	for (i = 0; rc == 0 && i < pats.n; i++) {
		char	*full = path_join(w->project, pats.v[i]);
		int	 grc = glob(full, 0, NULL, &g);

		free(full);
		if (grc == GLOB_NOMATCH && i >= ARRAY_SIZE(defaults))
			warnx_core("nothing matched data file pattern '%s'",
			    pats.v[i]);
		for (j = 0; grc == 0 && rc == 0 && j < g.gl_pathc; j++) {
			const char	*rel = g.gl_pathv[j];
			char		*to;

			if (strncmp(rel, w->project, plen) == 0 &&
			    rel[plen] == '/')
				rel += plen + 1;
			if (!inside_real(g.gl_pathv[j], real)) {
				rc = set_cause(cause, "data-files: '%s' is "
				    "outside the project (a link out of it)",
				    rel);
				break;
			}
			if (path_is_dir(g.gl_pathv[j])) {
				rc = add_tree(w, rel, dest, cause);
				continue;
			}
			to = xasprintf("%s/%s", dest, rel);
			rc = wheel_add_file(w, rel, to, cause);
			free(to);
		}
		if (grc == 0)
			globfree(&g);
	}
	strvec_clear(&pats);
	free(real);
	return rc;
}

/* The package description, first line the summary. */
static const char *
pkg_description(const struct guildfile *gf)
{
	const struct modeldef	*m;

	if (gf->package != NULL && gf->package->description != NULL &&
	    *gf->package->description != '\0')
		return gf->package->description;
	if ((m = guildfile_default_model(gf)) != NULL &&
	    m->description != NULL)
		return m->description;
	return "";
}

/* "Key: value", lines after the first folded as RFC 822 continuations. */
static void
add_header(struct strbuf *sb, const char *key, const char *value)
{
	strbuf_addf(sb, "%s: ", key);
	for (; *value != '\0'; value++) {
		if (*value == '\r')
			continue;
		if (*value == '\n')
			strbuf_addstr(sb, value[1] != '\0' ? "\n        " : "");
		else
			strbuf_addch(sb, *value);
	}
	strbuf_addch(sb, '\n');
}

static void
metadata(struct strbuf *sb, const struct guildfile *gf, const char *name,
    const char *version)
{
	const struct pkgdef	*p = gf->package;
	const char		*desc = pkg_description(gf), *nl;
	size_t			 i;
	bool			 gpkg = false;

	strbuf_addf(sb, "Metadata-Version: 2.1\nName: %s\nVersion: %s\n",
	    name, version);
	nl = strchr(desc, '\n');
	strbuf_addf(sb, "Summary: %.*s\n", nl != NULL ? (int)(nl - desc) :
	    (int)strlen(desc), desc);
	if (p != NULL && p->url != NULL)
		add_header(sb, "Home-page", p->url);
	if (p != NULL && p->author != NULL)
		add_header(sb, "Author", p->author);
	if (p != NULL && p->author_email != NULL)
		add_header(sb, "Author-email", p->author_email);
	if (p != NULL && p->license != NULL)
		add_header(sb, "License", p->license);
	strbuf_addstr(sb, "Keywords: ");
	for (i = 0; p != NULL && i < p->tags.n; i++) {
		strbuf_addf(sb, "%s ", p->tags.v[i]);
		gpkg |= strcmp(p->tags.v[i], "gpkg") == 0;
	}
	strbuf_addstr(sb, gpkg ? "\n" : "gpkg\n");
	if (p != NULL && p->python_requires != NULL)
		add_header(sb, "Requires-Python", p->python_requires);
	for (i = 0; p != NULL && i < p->requires.n; i++)
		add_header(sb, "Requires-Dist", p->requires.v[i]);
	strbuf_addf(sb, "\n%s\n", desc);
}

static void
entry_points(struct strbuf *sb, const struct guildfile *gf)
{
	struct strvec	models = STRVEC_INIT, res = STRVEC_INIT;
	size_t		i, j;

	for (i = 0; i < gf->nmodels; i++) {
		const struct modeldef	*m = gf->models[i];

		strvec_pushf(&models, "%s = guild.model:PackageModel",
		    *m->name != '\0' ? m->name : "__anonymous__");
		for (j = 0; j < m->nresources; j++)
			if (m->resources[j]->name != NULL)
				strvec_pushf(&res, "%s:%s = guild.model:"
				    "PackageModelResource", m->name,
				    m->resources[j]->name);
	}
	if (models.n > 1)
		qsort(models.v, models.n, sizeof *models.v, name_cmp);
	if (models.n > 0)
		strbuf_addstr(sb, "[guild.models]\n");
	for (i = 0; i < models.n; i++)
		strbuf_addf(sb, "%s\n", models.v[i]);
	if (res.n > 0)
		strbuf_addstr(sb, "\n[guild.resources]\n");
	for (i = 0; i < res.n; i++)
		strbuf_addf(sb, "%s\n", res.v[i]);
	strvec_clear(&models);
	strvec_clear(&res);
}

/* Remove dist_dir's other wheels of the package (--clean). */
static void
clean_wheels(const char *dist, const char *escaped, const char *keep)
{
	char	*pat = xasprintf("%s/%s-*.whl", dist, escaped);
	glob_t	 g;
	size_t	 i;

	if (glob(pat, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			if (strcmp(g.gl_pathv[i], keep) != 0)
				unlink(g.gl_pathv[i]);
		globfree(&g);
	}
	free(pat);
}

int
package_build(const struct guildfile *gf, const char *dist_dir, bool clean,
    struct package_build *out, char **cause)
{
	struct wheel	 w;
	struct strbuf	 sb = STRBUF_INIT;
	char		*name = package_name(gf), *escaped, *dist, *pydir;
	char		*distinfo, *file, *p;
	const char	*version = gf->package != NULL ?
			    gf->package->version : "0.0.0";
	const char	*tag = gf->package != NULL &&
			    gf->package->python_tag != NULL ?
			    gf->package->python_tag : "py2.py3";
	time_t		 now = time(NULL);
	size_t		 i;
	int		 rc = -1;

	memset(out, 0, sizeof *out);
	if (!name_ok(name)) {
		set_cause(cause, "invalid package name '%s': expected letters, "
		    "digits and . _ - (starting and ending with a letter or "
		    "digit)", name);
		free(name);
		return -1;
	}
	if (!version_ok(version)) {
		set_cause(cause, "invalid package version '%s': expected a "
		    "PEP 440 version in its normal form, such as 1.0, 1.0b1, "
		    "1.0rc1, 1.0.post1 or 1.0.dev1", version);
		free(name);
		return -1;
	}
	memset(&w, 0, sizeof w);
	strbuf_init(&w.record);
	w.project = gf->dir;
	escaped = wheel_escape(name);
	dist = dist_dir[0] == '/' ? xstrdup(dist_dir) :
	    path_join(gf->dir, dist_dir);
	/* gpkg.hello -> gpkg/hello, gpkg-x -> gpkg_x */
	pydir = xstrdup(name);
	for (p = pydir; *p != '\0'; p++)
		*p = *p == '.' ? '/' : *p == '-' ? '_' : *p;
	distinfo = xasprintf("%s-%s.dist-info", escaped, version);
	file = xasprintf("%s/%s-%s-%s-none-any.whl", dist, escaped, version,
	    tag);
	if (mkdir_p(dist, 0777, cause) == -1 ||
	    (w.zip = runarchive_zip_new(file, cause)) == NULL)
		goto out;

	if (gf->package != NULL && gf->package->packages != NULL) {
		const struct value	*pk = gf->package->packages;

		for (i = 0; i < pk->u.map.n; i++) {
			const struct value	*d = pk->u.map.v[i];
			char			*to = xstrdup(pk->u.map.k[i]);
			int			 r;

			for (p = to; *p != '\0'; p++)
				*p = *p == '.' ? '/' : *p;
			/* rc stays -1 until the wheel is in place. */
			r = d->type == VALUE_STRING ?
			    add_modules(&w, d->u.s, to, cause) : 0;
			free(to);
			if (r == -1)
				goto out;
		}
	} else if (add_modules(&w, ".", pydir, cause) == -1 ||
	    add_subpackages(&w, ".", pydir, cause) == -1)
		goto out;
	if (add_data(&w, gf->package, pydir, cause) == -1)
		goto out;

	metadata(&sb, gf, name, version);
	p = xasprintf("%s/METADATA", distinfo);
	rc = wheel_add(&w, p, sb.buf, sb.len, 0644, now, cause);
	free(p);
	strbuf_reset(&sb);
	if (rc == -1)
		goto out;
	strbuf_addf(&sb, "Wheel-Version: 1.0\nGenerator: guild (%s)\n"
	    "Root-Is-Purelib: true\n", PACKAGE_VERSION);
	if (strcmp(tag, "py2.py3") == 0)
		strbuf_addstr(&sb, "Tag: py2-none-any\nTag: py3-none-any\n");
	else
		strbuf_addf(&sb, "Tag: %s-none-any\n", tag);
	p = xasprintf("%s/WHEEL", distinfo);
	rc = wheel_add(&w, p, sb.buf, sb.len, 0644, now, cause);
	free(p);
	strbuf_reset(&sb);
	if (rc == -1)
		goto out;
	entry_points(&sb, gf);
	p = xasprintf("%s/entry_points.txt", distinfo);
	rc = wheel_add(&w, p, sb.buf, sb.len, 0644, now, cause);
	free(p);
	strbuf_reset(&sb);
	if (rc == -1)
		goto out;
	strbuf_addf(&sb, "%.*s\n", (int)strcspn(pydir, "/"), pydir);
	p = xasprintf("%s/top_level.txt", distinfo);
	rc = wheel_add(&w, p, sb.buf, sb.len, 0644, now, cause);
	free(p);
	strbuf_reset(&sb);
	if (rc == -1)
		goto out;
	/* RECORD lists itself without a hash. */
	p = xasprintf("%s/RECORD", distinfo);
	strbuf_addf(&w.record, "%s,,\n", p);
	rc = runarchive_zip_add(w.zip, p, w.record.buf, w.record.len, 0644,
	    now, cause);
	free(p);
	if (rc == -1)
		goto out;
	rc = runarchive_zip_commit(w.zip, cause);
	w.zip = NULL;
	if (rc == -1)
		goto out;
	if (clean)
		clean_wheels(dist, escaped, file);
	out->wheel = file;
	out->nfiles = w.nfiles;
	file = NULL;
	rc = 0;
out:
	if (rc == -1)
		runarchive_zip_abort(w.zip);
	strbuf_release(&w.record);
	strbuf_release(&sb);
	strvec_clear(&w.added);
	free(name);
	free(escaped);
	free(dist);
	free(pydir);
	free(distinfo);
	free(file);
	return rc;
}

void
package_build_clear(struct package_build *b)
{
	free(b->wheel);
	b->wheel = NULL;
}

/* ---------------------------------------------------------------- */
/* Installed packages. */

static void
collect(struct proc *p, const char *buf, size_t len, int stream, void *arg)
{
	struct strbuf	*sb = arg;

	(void)p;
	if (stream == 0 && sb->len < PYPATH_MAX)
		strbuf_add(sb, buf, len);
}

/* "Key: value" of an RFC 822 style header block, or NULL. Caller frees. */
static char *
header(const char *text, const char *key)
{
	size_t		 klen = strlen(key);
	const char	*p = text, *end;

	while (*p != '\0' && *p != '\n') {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > klen + 1 &&
		    strncasecmp(p, key, klen) == 0 && p[klen] == ':') {
			p += klen + 1;
			while (*p == ' ')
				p++;
			return xstrndup(p, (size_t)(end - p));
		}
		p = *end != '\0' ? end + 1 : end;
	}
	return NULL;
}

static bool
has_guild_models(const char *distinfo)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path = path_join(distinfo, "entry_points.txt");
	bool		 yes = false;

	if (file_read_regular(AT_FDCWD, path, 0, PYPATH_MAX, &sb, NULL,
	    NULL) == 0)
		yes = strstr(sb.buf, "[guild.models]") != NULL;
	free(path);
	strbuf_release(&sb);
	return yes;
}

/*
 * The first field of a RECORD line (CSV: perhaps quoted, "" for a quote).
 * Caller frees.
 */
static char *
record_path(const char *line, size_t len)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	if (len == 0 || line[0] != '"') {
		for (i = 0; i < len && line[i] != ','; i++)
			;
		return xstrndup(line, i);
	}
	for (i = 1; i < len; i++) {
		if (line[i] == '"') {
			if (i + 1 < len && line[i + 1] == '"') {
				strbuf_addch(&sb, '"');
				i++;
				continue;
			}
			break;
		}
		strbuf_addch(&sb, line[i]);
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * The directory of the package's guild.yml: as Guild does, the first file
 * named guild.yml that its RECORD lists (relative to the directory the
 * dist-info is in), or NULL.
 */
static char *
record_guildfile_dir(const char *dir, const char *distinfo)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*line, *end, *base;
	char		*path = path_join(distinfo, "RECORD"), *rel, *full;
	char		*found = NULL;

	if (file_read_regular(AT_FDCWD, path, 0, PYPATH_MAX, &sb, NULL,
	    NULL) == -1) {
		free(path);
		return NULL;
	}
	free(path);
	for (line = sb.buf; found == NULL && *line != '\0'; line = end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		rel = record_path(line, (size_t)(end - line));
		if (*end == '\n')
			end++;
		base = strrchr(rel, '/');
		base = base != NULL ? base + 1 : rel;
		if (strcmp(base, GUILDFILE_NAME) == 0) {
			full = path_join(dir, rel);
			if (path_is_file(full))
				found = xstrndup(full, strlen(full) -
				    strlen(GUILDFILE_NAME) - 1);
			free(full);
		}
		free(rel);
	}
	strbuf_release(&sb);
	return found;
}

/*
 * The Python path of the interpreter and, for each of its directories,
 * the .dist-info directories in it whose entry points name guild models.
 * Asking the interpreter costs a Python start and reading every
 * entry_points.txt of a site-packages hundreds of files, so the answer is
 * kept in one file of the home's cache (python-packages/<md5 of the
 * interpreter's path>), so that "guild ops" reads one file and stats each
 * directory once:
 *
 *	INTERPRETER CTIME INO [LINK-CTIME]
 *	PYTHONPATH=LEN:VALUE		(and the other variables that move the
 *					path, when set)
 *	CWD=DIR				(only when PYTHONPATH has a relative
 *					entry: Python makes it absolute)
 *	P MTIME CTIME INO DIR		a directory of the path
 *	+NAME.dist-info			one of it that names guild models
 *	W MTIME CTIME INO DIR		a directory watched only: the user
 *					site-packages, on the path once made
 *
 * The answer is used while every directory has the times and inode
 * recorded: pip installs, upgrades and removes a package by adding,
 * renaming or removing its .dist-info, and a .pth file added changes the
 * path, all of which change a directory's time. A directory changed within
 * a second of the question may change again within the same time stamp:
 * the answer is then not kept (git's racy index).
 */
/* Three numbers of at most 20 digits, two with 10 more, and blanks. */
#define STAMP_MAX	96

struct pydir {
	char	*dir;
	char	*models;	/* "NAME.dist-info\n"..., or NULL */
	bool	 watched;	/* a W line: not on the path */
};

struct pypath {
	struct pydir	*v;
	size_t		 n;
};

static void
pypath_clear(struct pypath *pp)
{
	size_t	i;

	for (i = 0; i < pp->n; i++) {
		free(pp->v[i].dir);
		free(pp->v[i].models);
	}
	free(pp->v);
	pp->v = NULL;
	pp->n = 0;
}

static struct pydir *
pypath_add(struct pypath *pp, const char *dir, size_t len, bool watched)
{
	struct pydir	*d;

	pp->v = xreallocarray(pp->v, pp->n + 1, sizeof *pp->v);
	d = &pp->v[pp->n++];
	d->dir = xstrndup(dir, len);
	d->models = NULL;
	d->watched = watched;
	return d;
}

/*
 * A directory's stamp for the cache, "MTIME CTIME INO" (0 0 0 when
 * missing), into buf; st filled and true when it is there. The change
 * time too, as a time set back (touch -d, a copy keeping times) sets it
 * to now.
 */
static bool
dir_stamp(char buf[static STAMP_MAX], const char *dir, struct stat *st)
{
	if (stat(dir, st) == -1) {
		snprintf(buf, STAMP_MAX, "0 0 0");
		return false;
	}
	snprintf(buf, STAMP_MAX, "%lld.%09ld %lld.%09ld %llu",
	    (long long)st->st_mtime, (long)st->st_mtim.tv_nsec,
	    (long long)st->st_ctime, (long)st->st_ctim.tv_nsec,
	    (unsigned long long)st->st_ino);
	return true;
}

/*
 * The cached answer after its key (body), into pp, if every directory
 * still has its stamp.
 */
static bool
cache_load(const char *body, size_t len, struct pypath *pp)
{
	const char	*line, *end, *sp, *stop = body + len;
	struct pydir	*last = NULL;
	struct strbuf	 models = STRBUF_INIT;
	struct stat	 st;
	char		 now[STAMP_MAX], *dir;
	bool		 fresh;
	int		 i;

	for (line = body; line < stop; line = end + 1) {
		if ((end = memchr(line, '\n', (size_t)(stop - line))) == NULL)
			goto stale;
		if (*line == '+' && last != NULL) {
			strbuf_add(&models, line + 1, (size_t)(end - line));
			continue;
		}
		if (last != NULL && models.len > 0)
			last->models = strbuf_detach(&models, NULL);
		/* "P MTIME CTIME INO DIR": the directory after the 4th blank. */
		if (end - line < 2 || (*line != 'P' && *line != 'W') ||
		    line[1] != ' ')
			goto stale;
		for (sp = line + 1, i = 0; sp != NULL && i < 3; i++)
			sp = memchr(sp + 1, ' ', (size_t)(end - sp - 1));
		if (sp == NULL)
			goto stale;
		dir = xstrndup(sp + 1, (size_t)(end - sp - 1));
		dir_stamp(now, dir, &st);
		free(dir);
		fresh = strlen(now) == (size_t)(sp - line - 2) &&
		    memcmp(now, line + 2, (size_t)(sp - line - 2)) == 0;
		if (!fresh)
			goto stale;
		last = pypath_add(pp, sp + 1, (size_t)(end - sp - 1),
		    *line == 'W');
	}
	if (last != NULL && models.len > 0)
		last->models = strbuf_detach(&models, NULL);
	strbuf_release(&models);
	return true;
stale:
	strbuf_release(&models);
	pypath_clear(pp);
	return false;
}

/* The .dist-info directories of dir whose entry points name guild models. */
static char *
scan_models(const char *dir)
{
	struct strbuf	 names = STRBUF_INIT;
	struct dirent	*de;
	DIR		*d;
	char		*di;

	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (!str_ends_with(de->d_name, ".dist-info"))
			continue;
		di = path_join(dir, de->d_name);
		if (has_guild_models(di))
			strbuf_addf(&names, "%s\n", de->d_name);
		free(di);
	}
	closedir(d);
	return names.len > 0 ? strbuf_detach(&names, NULL) : NULL;
}

/*
 * NAME=LEN:VALUE of the variables that move Python's path, as the key
 * (PYENV_VERSION: which Python a pyenv shim runs).
 */
static void
key_env(struct strbuf *key)
{
	static const char *const names[] = { "PYTHONHOME", "PYTHONUSERBASE",
	    "PYTHONNOUSERSITE", "PYTHONPLATLIBDIR", "HOME", "PYENV_VERSION" };
	const char	*env = getenv("PYTHONPATH"), *p;
	char		*cwd;
	size_t		 i, n;

	strbuf_addf(key, "PYTHONPATH=%zu:%s\n", env != NULL ? strlen(env) :
	    (size_t)0, env != NULL ? env : "");
	/* Python ignores an empty variable; relative entries are the cwd's. */
	for (p = env; p != NULL && *env != '\0'; p += n + 1) {
		n = strcspn(p, ":");
		if (n == 0 || *p != '/') {
			if ((cwd = getcwd(NULL, 0)) != NULL)
				strbuf_addf(key, "CWD=%s\n", cwd);
			free(cwd);
			break;
		}
		if (p[n] == '\0')
			break;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((env = getenv(names[i])) != NULL)
			strbuf_addf(key, "%s=%zu:%s\n", names[i], strlen(env),
			    env);
}

/* The Python path of runner_python() with its packages, as said above. */
static int
python_path(const struct guild_home *home, struct pypath *pp)
{
	static const char	 code[] = "import site, sys\n"
	    "p = [d for d in sys.path if d]\n"
	    "print('\\n'.join('P' + d for d in p))\n"
	    "u = site.ENABLE_USER_SITE and site.getusersitepackages()\n"
	    "if u and u not in p:\n"
	    "    print('W' + u)\n";
	const struct runner_python *py = runner_python();
	struct proc_spec	 spec;
	struct proc_hooks	 hooks = { .on_data = collect };
	struct strbuf		 cached = STRBUF_INIT, key = STRBUF_INIT;
	struct stat		 st;
	struct pydir		*d;
	const char		*argv[] = { py->exe, "-c", code, NULL };
	const char		*line, *end, *m, *e;
	char			*md5, *dir = NULL, *path = NULL;
	char			 stamp[STAMP_MAX];
	time_t			 now;
	bool			 racy = false;
	int			 code_rc = 1, rc = -1;

	if (py->abs == NULL)
		return -1;
	/*
	 * A venv's python is a link to the system's: the key has the link's
	 * path and change time (a venv made again at the same path, perhaps
	 * with other settings, makes the link again) and the target's.
	 */
	strbuf_addf(&key, "%s %lld.%09ld %lld", py->abs,
	    (long long)py->st.st_ctime, (long)py->st.st_ctim.tv_nsec,
	    (long long)py->st.st_ino);
	if (py->has_lst)
		strbuf_addf(&key, " %lld.%09ld", (long long)py->lst.st_ctime,
		    (long)py->lst.st_ctim.tv_nsec);
	strbuf_addch(&key, '\n');
	key_env(&key);
	if (home != NULL) {
		md5 = digest_buf(DIGEST_MD5, py->abs, strlen(py->abs));
		dir = path_join(home->cache, "python-packages");
		path = path_join(dir, md5);
		free(md5);
		if (file_read_regular(AT_FDCWD, path, 0, PYPATH_MAX, &cached,
		    NULL, NULL) == 0 && cached.len >= key.len &&
		    memcmp(cached.buf, key.buf, key.len) == 0 &&
		    cache_load(cached.buf + key.len, cached.len - key.len,
		    pp)) {
			rc = 0;
			goto out;
		}
	}
	/*
	 * Before the question: a directory changed during it is racy, and
	 * so is an interpreter replaced within the second of its key.
	 */
	now = time(NULL);
	if (py->st.st_ctime + 1 >= now ||
	    (py->has_lst && py->lst.st_ctime + 1 >= now))
		racy = true;
	memset(&spec, 0, sizeof spec);
	spec.argv = argv;
	spec.mode = PROC_PIPES;
	spec.exec_cause = true;
	strbuf_reset(&cached);
	if (proc_run(&spec, &hooks, &cached, &code_rc, NULL) == -1 ||
	    code_rc != 0)
		goto out;
	for (line = cached.buf; *line != '\0'; line = *end ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		if (end - line < 2 || (*line != 'P' && *line != 'W'))
			continue;
		d = pypath_add(pp, line + 1, (size_t)(end - line - 1),
		    *line == 'W');
		/* The stamp before the scan: a change after it is seen. */
		if (dir_stamp(stamp, d->dir, &st)) {
			if (st.st_mtime + 1 >= now || st.st_ctime + 1 >= now)
				racy = true;
			if (!d->watched && S_ISDIR(st.st_mode))
				d->models = scan_models(d->dir);
		}
		strbuf_addf(&key, "%c %s %s\n", d->watched ? 'W' : 'P', stamp,
		    d->dir);
		for (m = d->models; m != NULL && *m != '\0'; m = e + 1) {
			e = strchr(m, '\n');
			strbuf_addch(&key, '+');
			strbuf_add(&key, m, (size_t)(e - m + 1));
		}
	}
	/* A read-only home: asked again next time. */
	if (path != NULL && !racy && mkdir_p(dir, 0777, NULL) == 0)
		write_file_atomic(path, key.buf, key.len, NULL);
	rc = 0;
out:
	if (rc == -1)
		pypath_clear(pp);
	free(dir);
	free(path);
	strbuf_release(&cached);
	strbuf_release(&key);
	return rc;
}

/* The packages whose .dist-info in dir are named in models. */
static void
scan_dir(const char *dir, const char *models, struct installed_pkg **v,
    size_t *n)
{
	const char	*entry, *end;

	for (entry = models; entry != NULL && *entry != '\0'; entry = end + 1) {
		struct strbuf	 meta = STRBUF_INIT;
		char		*base, *di, *mp, *name, *pkgdir;

		end = strchr(entry, '\n');
		base = xstrndup(entry, (size_t)(end - entry));
		di = path_join(dir, base);
		free(base);
		mp = path_join(di, "METADATA");
		name = NULL;
		if (file_read_regular(AT_FDCWD, mp, 0, PYPATH_MAX, &meta, NULL,
		    NULL) == 0 && (name = header(meta.buf, "Name")) != NULL &&
		    (pkgdir = record_guildfile_dir(dir, di)) != NULL) {
			if (packages_find(*v, *n, name) == NULL) {
				struct installed_pkg	*ip;

				*v = xreallocarray(*v, *n + 1, sizeof **v);
				ip = &(*v)[(*n)++];
				ip->name = name;
				name = NULL;
				ip->version = header(meta.buf, "Version");
				if (ip->version == NULL)
					ip->version = xstrdup("0.0.0");
				ip->summary = header(meta.buf, "Summary");
				if (ip->summary == NULL)
					ip->summary = xstrdup("");
				ip->dir = pkgdir;
				ip->dist_info = di;
				di = NULL;
			} else
				free(pkgdir);
		}
		free(name);
		free(di);
		free(mp);
		strbuf_release(&meta);
	}
}

static int
pkg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct installed_pkg *)a)->name,
	    ((const struct installed_pkg *)b)->name);
}

int
packages_installed(const struct guild_home *home, struct installed_pkg **out,
    size_t *n, char **cause)
{
	struct pypath	pp = { NULL, 0 };
	size_t		i;

	(void)cause;
	*out = NULL;
	*n = 0;
	if (python_path(home, &pp) == 0)
		for (i = 0; i < pp.n; i++)
			if (!pp.v[i].watched)
				scan_dir(pp.v[i].dir, pp.v[i].models, out, n);
	if (*n > 1)
		qsort(*out, *n, sizeof **out, pkg_cmp);
	pypath_clear(&pp);
	return 0;
}

char *
package_guildfile_path(const struct guild_home *home, const char *pkg)
{
	struct pypath	 pp = { NULL, 0 };
	char		*rel, *p, *path = NULL;
	size_t		 i;

	/* Guild's _find_pkg_guildfile: PKG's dots are directories. */
	rel = xstrdup(pkg);
	for (p = rel; *p != '\0'; p++)
		*p = *p == '.' ? '/' : *p == '-' ? '_' : *p;
	if (python_path(home, &pp) == 0) {
		for (i = 0; i < pp.n; i++) {
			if (pp.v[i].watched)
				continue;
			path = xasprintf("%s/%s/%s", pp.v[i].dir, rel,
			    GUILDFILE_NAME);
			if (path_is_file(path))
				break;
			free(path);
			path = NULL;
		}
	}
	free(rel);
	pypath_clear(&pp);
	return path;
}

void
packages_free(struct installed_pkg *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].version);
		free(v[i].dir);
		free(v[i].dist_info);
		free(v[i].summary);
	}
	free(v);
}

/* Names compared as pip does: case and runs of -_. do not matter. */
static bool
same_name(const char *a, const char *b)
{
	char	*x = wheel_escape(a), *y = wheel_escape(b);
	bool	 same = strcasecmp(x, y) == 0;

	free(x);
	free(y);
	return same;
}

const struct installed_pkg *
packages_find(const struct installed_pkg *v, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (same_name(v[i].name, name))
			return &v[i];
	return NULL;
}

struct guildfile *
package_guildfile(const struct installed_pkg *ip, char **cause)
{
	struct guildfile	*gf;
	char			*path = path_join(ip->dir, "guild.yml");

	gf = guildfile_load(path, cause);
	free(path);
	if (gf != NULL) {
		gf->installed_name = xstrdup(ip->name);
		gf->installed_version = xstrdup(ip->version);
	}
	return gf;
}
