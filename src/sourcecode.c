/* sourcecode.c: select and copy a project's source code into a run. */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "digest.h"
#include "guildfile.h"
#include "run.h"
#include "sourcecode.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

#define TEXT_SAMPLE	1024

/* Guild's extension lists (util._text_ext, util._binary_ext). */
static const char *const text_exts[] = {
	".csv", ".md", ".py", ".sh", ".txt",
};
static const char *const binary_exts[] = {
	".ai", ".bmp", ".gif", ".ico", ".jpeg", ".jpg", ".png", ".ps", ".psd",
	".svg", ".tif", ".tiff", ".aif", ".mid", ".midi", ".mpa", ".mp3",
	".ogg", ".wav", ".wma", ".avi", ".mov", ".mp4", ".mpeg", ".swf",
	".wmv", ".7z", ".deb", ".gz", ".pkg", ".rar", ".rpm", ".tar", ".xz",
	".z", ".zip", ".doc", ".docx", ".key", ".pdf", ".ppt", ".pptx",
	".xlr", ".xls", ".xlsx", ".bin", ".pickle", ".pkl", ".pyc",
};

enum text_state {
	TEXT_UNKNOWN,
	TEXT_YES,
	TEXT_NO,
	TEXT_UNREADABLE,	/* could not be opened or read: not text */
};

struct rule {
	bool		 include;
	enum select_match match;
	struct strvec	 patterns;
	struct strvec	 shown;		/* as written, for --test-sourcecode */
	struct strvec	 basename;	/* "1" when the pattern has no '/' */
	const char	*sentinel;	/* dir rules: must exist in the dir */
	off_t		 size_max;	/* 0: any size */
	size_t		 max_matches;	/* 0: no limit */
	size_t		 matches;
	bool		 base;		/* the default text-file rule */
};

struct devino {
	dev_t	dev;
	ino_t	ino;
};

struct walk {
	char		*root;		/* absolute source root */
	char		*realroot;	/* its real path */
	const char	*rootrel;	/* root relative to the project, or "" */
	char		*destdir;	/* absolute snapshot directory */
	const char	*dest;		/* run-relative snapshot directory */
	const char	*opname;
	struct rule	*rules;
	size_t		 nrules;
	bool		 defaults_only;	/* no file rules from guild.yml */
	bool		 warned_max;
	struct devino	 rundir;	/* never walk into the run itself */
	struct devino	*stack;		/* directories being walked */
	size_t		 nstack, astack;
	struct strvec	 copied;	/* in copy order */
	struct strbuf	 manifest;
	/* --test-sourcecode: nothing is copied, what would be is listed. */
	bool		 dry;
	struct strvec	*selected, *skipped;
};

struct entry {
	char	*name;
	off_t	 size;
	mode_t	 mode;
	dev_t	 dev;
	ino_t	 ino;
};

/* Text detection. */

static bool
utf8_valid(const unsigned char *s, size_t n)
{
	size_t	i = 0, k, len;

	while (i < n) {
		unsigned char	c = s[i];
		unsigned int	cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else
			return false;
		for (k = 1; k < len; k++) {
			/* The sample may end inside a character. */
			if (i + k == n)
				return true;
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += len;
	}
	return true;
}

static bool
sample_is_text(const unsigned char *s, size_t n)
{
	size_t	i, ctl = 0, high = 0;

	if (n == 0)
		return true;
	if (memchr(s, '\0', n) != NULL)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if ((c < 0x20 && strchr("\t\n\r\f\b\033", c) == NULL) ||
		    c == 0x7f)
			ctl++;
		else if (c >= 0x80)
			high++;
	}
	if (ctl * 10 > n * 3)
		return false;
	if (utf8_valid(s, n))
		return true;
	return high * 10 <= n * 3;
}

static int
ext_in(const char *name, const char *const *list, size_t n)
{
	const char	*dot = strrchr(name, '.');
	size_t		 i;

	/* Python's splitext: a leading dot does not start an extension. */
	if (dot == NULL || dot == name)
		return 0;
	for (i = 0; i < n; i++) {
		if (strcasecmp(dot, list[i]) == 0)
			return 1;
	}
	return 0;
}

static enum text_state
text_state(const char *path, int *err)
{
	const char	*name = strrchr(path, '/');
	unsigned char	 buf[TEXT_SAMPLE];
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd;

	name = name != NULL ? name + 1 : path;
	if (ext_in(name, text_exts, ARRAY_SIZE(text_exts)))
		return TEXT_YES;
	if (ext_in(name, binary_exts, ARRAY_SIZE(binary_exts)))
		return TEXT_NO;
	if ((fd = open(path, O_RDONLY|O_CLOEXEC|O_NONBLOCK)) == -1) {
		*err = errno;
		return TEXT_UNREADABLE;
	}
	while (got < sizeof buf) {
		n = read(fd, buf + got, sizeof buf - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*err = errno;
			close(fd);
			return TEXT_UNREADABLE;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return sample_is_text(buf, got) ? TEXT_YES : TEXT_NO;
}

bool
sourcecode_is_text_file(const char *path)
{
	struct stat	st;
	int		err;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return false;
	return text_state(path, &err) == TEXT_YES;
}

/* Rules. */

static void
rule_add_pattern(struct rule *r, const char *pattern)
{
	bool	base = strchr(pattern, '/') == NULL;

	strvec_push(&r->shown, pattern);
	/* A leading '/' anchors at the root: strip it after the test. */
	while (*pattern == '/')
		pattern++;
	strvec_push(&r->patterns, pattern);
	strvec_push(&r->basename, base ? "1" : "0");
}

static struct rule *
rule_new(struct walk *w, bool include, enum select_match match,
    const char *pattern)
{
	struct rule	*r;

	w->rules = xreallocarray(w->rules, w->nrules + 1, sizeof *w->rules);
	r = &w->rules[w->nrules++];
	memset(r, 0, sizeof *r);
	r->include = include;
	r->match = match;
	if (pattern != NULL)
		rule_add_pattern(r, pattern);
	return r;
}

/*
 * Guild's own order (its default rules, then the Python plugin's): the
 * last match decides, and directory and file rules never compete, so the
 * order only shows in --test-sourcecode.
 */
static void
rules_base(struct walk *w)
{
	struct rule	*r;

	rule_new(w, false, SELECT_DIR, ".*");
	r = rule_new(w, false, SELECT_DIR, "*");
	r->sentinel = ".guild-nocopy";
	r = rule_new(w, true, SELECT_TEXT, "*");
	r->size_max = SOURCECODE_MAX_FILE_SIZE;
	r->max_matches = SOURCECODE_MAX_FILES;
	r->base = true;
	rule_new(w, false, SELECT_DIR, "__pycache__");
	r = rule_new(w, false, SELECT_DIR, "*");
	r->sentinel = "bin/activate";
	r = rule_new(w, false, SELECT_DIR, "*");
	r->sentinel = "Scripts/activate";
	rule_new(w, false, SELECT_DIR, "build");
	rule_new(w, false, SELECT_DIR, "dist");
	rule_new(w, false, SELECT_DIR, "*.egg-info");
}

/* A rule as Guild's FileSelectRule.__str__ shows it. */
static void
rule_describe(const struct rule *r, struct strbuf *sb)
{
	static const char *const types[] = {
		[SELECT_ANY] = NULL, [SELECT_DIR] = "dir",
		[SELECT_TEXT] = "text", [SELECT_BINARY] = "binary",
	};
	const char	*sep = " ";
	size_t		 i;

	strbuf_addstr(sb, r->include ? "include" : "exclude");
	if (types[r->match] != NULL)
		strbuf_addf(sb, " %s", types[r->match]);
	for (i = 0; i < r->shown.n; i++) {
		strbuf_addstr(sb, i == 0 ? " " : ", ");
		if (strchr(r->shown.v[i], ' ') != NULL)
			shlex_quote(sb, r->shown.v[i]);
		else
			strbuf_addstr(sb, r->shown.v[i]);
	}
	if (r->sentinel != NULL) {
		strbuf_addf(sb, "%scontaining %s", sep, r->sentinel);
		sep = ", ";
	}
	if (r->size_max != 0) {
		strbuf_addf(sb, "%ssize < %lld", sep,
		    (long long)r->size_max + 1);
		sep = ", ";
	}
	if (r->max_matches != 0)
		strbuf_addf(sb, "%smax match %zu", sep, r->max_matches);
}

static void
rules_spec(struct walk *w, const struct sourcecode_spec *spec)
{
	struct rule	*r;
	size_t		 i, j;

	if (spec == NULL || !spec->set)
		return;
	for (i = 0; i < spec->nrules; i++) {
		const struct select_rule *sr = &spec->rules[i];

		r = rule_new(w, sr->include, sr->match, NULL);
		for (j = 0; j < sr->patterns.n; j++) {
			const char	*p = sr->patterns.v[j], *q = p;
			char		*full, *globbed;

			/* Guild: an untyped directory name means its files. */
			while (*q == '/')
				q++;
			full = path_join(w->root, q);
			if (sr->match == SELECT_ANY && *p != '\0' &&
			    path_is_dir(full)) {
				globbed = path_join(p, "*");
				rule_add_pattern(r, globbed);
				free(globbed);
			} else
				rule_add_pattern(r, p);
			free(full);
		}
		if (sr->match != SELECT_DIR)
			w->defaults_only = false;
	}
}

static void
rules_free(struct walk *w)
{
	size_t	i;

	for (i = 0; i < w->nrules; i++) {
		strvec_clear(&w->rules[i].patterns);
		strvec_clear(&w->rules[i].shown);
		strvec_clear(&w->rules[i].basename);
	}
	free(w->rules);
}

/*
 * Guild's shortcut: an untyped exclude of '*' not followed by any include
 * selects nothing, so the tree is not walked at all.
 */
static bool
rules_disabled(const struct walk *w)
{
	bool	disabled = false;
	size_t	i;

	for (i = 0; i < w->nrules; i++) {
		const struct rule *r = &w->rules[i];

		if (r->include)
			disabled = false;
		else if (r->match == SELECT_ANY &&
		    strvec_find(&r->patterns, "*") != -1)
			disabled = true;
	}
	return disabled;
}

static bool
rule_match_path(const struct rule *r, const char *rel)
{
	const char	*slash = strrchr(rel, '/');
	const char	*base = slash != NULL ? slash + 1 : rel;
	size_t		 i;

	for (i = 0; i < r->patterns.n; i++) {
		const char *subject = r->basename.v[i][0] == '1' ? base : rel;

		/* Python's fnmatch: '*' crosses '/', '\' is not special. */
		if (fnmatch(r->patterns.v[i], subject, FNM_NOESCAPE) == 0)
			return true;
	}
	return false;
}

/* Normalise a relative path: drop "." and empty parts, fold "..". */
static char *
norm_rel(const char *path)
{
	struct strvec	 parts = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	char		*copy = xstrdup(path), *seg, *save;
	size_t		 i;

	for (seg = strtok_r(copy, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0 && parts.n > 0 &&
		    strcmp(parts.v[parts.n - 1], "..") != 0) {
			strvec_pop(&parts);
			continue;
		}
		strvec_push(&parts, seg);
	}
	for (i = 0; i < parts.n; i++) {
		if (i > 0)
			strbuf_addch(&sb, '/');
		strbuf_addstr(&sb, parts.v[i]);
	}
	if (sb.len == 0)
		strbuf_addch(&sb, '.');
	strvec_clear(&parts);
	free(copy);
	return strbuf_detach(&sb, NULL);
}

/* Copying. */

static void
warn_suffix(const struct walk *w, struct strbuf *sb)
{
	if (w->opname != NULL)
		strbuf_addf(sb, " To control which source code files are "
		    "copied, specify 'sourcecode' for the '%s' operation in "
		    "guild.yml.", w->opname);
}

/* 0 copied, 1 skipped with a warning, -1 error (the run dir). */
static int
copy_file(struct walk *w, const char *src, const char *rel, mode_t mode,
    char **cause)
{
	struct digest	*sha1 = NULL;
	char		*dst, *dir, *slash, *hex, *runrel, *projrel;
	char		*buf = NULL;
	ssize_t		 n;
	int		 sfd, dfd = -1, rc = -1;

	if ((sfd = open(src, O_RDONLY|O_CLOEXEC|O_NONBLOCK)) == -1) {
		warnx_core("could not copy source code file %s: %s", src,
		    strerror(errno));
		return 1;
	}
	dst = path_join(w->destdir, rel);
	dir = xstrdup(dst);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (mkdir_p(dir, 0777, cause) == -1)
		goto out;
	dfd = open(dst, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC|O_NOFOLLOW, 0600);
	if (dfd == -1) {
		set_cause(cause, "%s: %s", dst, strerror(errno));
		goto out;
	}
	sha1 = digest_new(DIGEST_SHA1);
	buf = xmalloc(65536);
	for (;;) {
		n = read(sfd, buf, 65536);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			warnx_core("could not copy source code file %s: %s",
			    src, strerror(errno));
			unlink(dst);
			rc = 1;
			goto out;
		}
		if (n == 0)
			break;
		if (write_all(dfd, buf, (size_t)n) == -1) {
			set_cause(cause, "%s: %s", dst, strerror(errno));
			goto out;
		}
		digest_update(sha1, buf, (size_t)n);
	}
	/*
	 * The project file's permission bits, less the umask, as cp(1)
	 * does; never setuid or setgid: the copy is a record, not a
	 * program to be run with its owner's rights.
	 */
	if (fchmod(dfd, mode & 0777 & ~process_umask()) == -1 ||
	    close(dfd) == -1) {
		dfd = -1;
		set_cause(cause, "%s: %s", dst, strerror(errno));
		goto out;
	}
	dfd = -1;

	hex = digest_end(sha1);
	sha1 = NULL;
	runrel = xasprintf("%s/%s", w->dest, rel);
	projrel = xasprintf("%s/%s", w->rootrel, rel);
	{
		char	*a = norm_rel(runrel), *b = norm_rel(projrel);

		strbuf_addstr(&w->manifest, "s ");
		shlex_quote(&w->manifest, a);
		strbuf_addch(&w->manifest, ' ');
		shlex_quote(&w->manifest, hex);
		strbuf_addch(&w->manifest, ' ');
		shlex_quote(&w->manifest, b);
		strbuf_addch(&w->manifest, '\n');
		free(a);
		free(b);
	}
	free(runrel);
	free(projrel);
	free(hex);
	strvec_push(&w->copied, rel);
	rc = 0;

out:
	if (dfd != -1)
		close(dfd);
	close(sfd);
	digest_free(sha1);
	free(buf);
	free(dir);
	free(dst);
	return rc;
}

/* The text test, done at most once per file and only when needed. */
static bool
is_text(const char *abs, enum text_state *ts, int *err)
{
	if (*ts == TEXT_UNKNOWN)
		*ts = text_state(abs, err);
	return *ts == TEXT_YES;
}

/* 0 or -1 (only for errors writing the run). */
static int
file_visit(struct walk *w, const char *abs, const char *rel,
    const struct entry *e, char **cause)
{
	enum text_state	 ts = TEXT_UNKNOWN;
	int		 err = 0, result = -1;	/* -1: no rule matched */
	bool		 cut = false, big = false;
	size_t		 i;
	struct strbuf	 sb = STRBUF_INIT;


	/* Every rule is tried, so each counts its matches as Guild's do. */
	for (i = 0; i < w->nrules; i++) {
		struct rule	*r = &w->rules[i];

		if (r->match == SELECT_DIR)
			continue;
		if (r->max_matches != 0 && r->matches >= r->max_matches) {
			if (r->base && rule_match_path(r, rel) && is_text(abs, &ts, &err) &&
			    e->size <= r->size_max)
				cut = true;
			continue;
		}
		if (!rule_match_path(r, rel))
			continue;
		if (r->match == SELECT_TEXT && !is_text(abs, &ts, &err))
			continue;
		if (r->match == SELECT_BINARY && is_text(abs, &ts, &err))
			continue;
		if (r->size_max != 0 && e->size > r->size_max) {
			if (r->base && is_text(abs, &ts, &err))
				big = true;
			continue;
		}
		r->matches++;
		result = r->include;
	}

	if (w->dry) {
		strvec_push(result == 1 ? w->selected : w->skipped, rel);
		return 0;
	}
	if (result == 1)
		return copy_file(w, abs, rel, e->mode, cause) == -1 ? -1 : 0;
	if (w->defaults_only && cut && !w->warned_max) {
		strbuf_addf(&sb, "Found more than %d source code files but will "
		    "only copy %d as a safety measure.", SOURCECODE_MAX_FILES,
		    SOURCECODE_MAX_FILES);
		warn_suffix(w, &sb);
		warnx_core("%s", sb.buf);
		w->warned_max = true;
	} else if (w->defaults_only && big) {
		strbuf_addf(&sb, "Skipping potential source code file %s "
		    "because it's too big.", abs);
		warn_suffix(w, &sb);
		warnx_core("%s", sb.buf);
	} else if (result == -1 && ts == TEXT_UNREADABLE)
		warnx_core("could not read source code file %s: %s", abs,
		    strerror(err));
	strbuf_release(&sb);
	return 0;
}

/* Whether the rules prune this directory (the last dir rule decides). */
static bool
dir_pruned(struct walk *w, const char *abs, const char *rel)
{
	int	result = -1;
	size_t	i;

	for (i = 0; i < w->nrules; i++) {
		struct rule	*r = &w->rules[i];

		if (r->match != SELECT_DIR)
			continue;
		if (r->max_matches != 0 && r->matches >= r->max_matches)
			continue;
		if (!rule_match_path(r, rel))
			continue;
		if (r->sentinel != NULL) {
			char	*s = path_join(abs, r->sentinel);
			bool	 found = path_exists(s);

			free(s);
			if (!found)
				continue;
		}
		r->matches++;
		result = r->include;
	}
	return result == 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

/* Does the real path of a symlink stay under the source root? */
static bool
link_inside(const struct walk *w, const char *abs)
{
	char	*real = realpath(abs, NULL);
	size_t	 len = strlen(w->realroot);
	bool	 inside;

	if (real == NULL)
		return false;
	inside = strncmp(real, w->realroot, len) == 0 &&
	    (real[len] == '/' || real[len] == '\0' ||
	    strcmp(w->realroot, "/") == 0);
	free(real);
	return inside;
}

static int
walk_dir(struct walk *w, const char *abs, const char *rel, char **cause)
{
	struct entry	*files = NULL, *dirs = NULL;
	size_t		 nfiles = 0, ndirs = 0, afiles = 0, adirs = 0, i, k;
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*full, *sub;
	int		 rc = 0;

	if ((d = opendir(abs)) == NULL) {
		/* A missing root is an empty snapshot, as in Guild. */
		if (*rel != '\0' || errno != ENOENT)
			warnx_core("could not read source code directory %s: %s",
			    abs, strerror(errno));
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		full = path_join(abs, de->d_name);
		if (lstat(full, &st) == -1 ||
		    (S_ISLNK(st.st_mode) &&
		    (!link_inside(w, full) || stat(full, &st) == -1))) {
			free(full);
			continue;
		}
		free(full);
		if (S_ISDIR(st.st_mode)) {
			XGROW(dirs, adirs, ndirs + 1);
			dirs[ndirs++] = (struct entry){ xstrdup(de->d_name),
			    st.st_size, st.st_mode, st.st_dev, st.st_ino };
		} else if (S_ISREG(st.st_mode)) {
			XGROW(files, afiles, nfiles + 1);
			files[nfiles++] = (struct entry){ xstrdup(de->d_name),
			    st.st_size, st.st_mode, st.st_dev, st.st_ino };
		}
	}
	closedir(d);
	if (nfiles > 1)
		qsort(files, nfiles, sizeof *files, cmp_entry);
	if (ndirs > 1)
		qsort(dirs, ndirs, sizeof *dirs, cmp_entry);

	/* As os.walk: prune subdirectories, the files, then recurse. */
	for (i = 0; i < ndirs; i++) {
		full = path_join(abs, dirs[i].name);
		sub = *rel != '\0' ? xasprintf("%s/%s", rel, dirs[i].name) :
		    xstrdup(dirs[i].name);
		if (dir_pruned(w, full, sub)) {
			if (w->dry)
				strvec_pushf(w->skipped, "%s/", sub);
			free(dirs[i].name);
			dirs[i].name = NULL;
		}
		free(sub);
		free(full);
	}
	for (i = 0; i < nfiles && rc == 0; i++) {
		full = path_join(abs, files[i].name);
		sub = *rel != '\0' ? xasprintf("%s/%s", rel, files[i].name) :
		    xstrdup(files[i].name);
		rc = file_visit(w, full, sub, &files[i], cause);
		free(sub);
		free(full);
	}
	for (i = 0; i < ndirs && rc == 0; i++) {
		bool	seen = false;

		if (dirs[i].name == NULL)
			continue;
		if (dirs[i].dev == w->rundir.dev &&
		    dirs[i].ino == w->rundir.ino)
			continue;
		for (k = 0; k < w->nstack; k++) {
			if (w->stack[k].dev == dirs[i].dev &&
			    w->stack[k].ino == dirs[i].ino)
				seen = true;
		}
		if (seen)
			continue;
		XGROW(w->stack, w->astack, w->nstack + 1);
		w->stack[w->nstack++] = (struct devino){ dirs[i].dev,
		    dirs[i].ino };
		full = path_join(abs, dirs[i].name);
		sub = *rel != '\0' ? xasprintf("%s/%s", rel, dirs[i].name) :
		    xstrdup(dirs[i].name);
		rc = walk_dir(w, full, sub, cause);
		free(sub);
		free(full);
		w->nstack--;
	}

	for (i = 0; i < nfiles; i++)
		free(files[i].name);
	for (i = 0; i < ndirs; i++)
		free(dirs[i].name);
	free(files);
	free(dirs);
	return rc;
}

/* The snapshot. */

/* The operation's setting, else the model's. */
static const char *
pick(const char *op, const char *model)
{
	if (op != NULL && *op != '\0')
		return op;
	if (model != NULL && *model != '\0')
		return model;
	return NULL;
}

static int
dest_check(const char *dest, char **norm, char **cause)
{
	if (*dest == '/')
		return set_cause(cause, "sourcecode dest '%s' is not relative",
		    dest);
	*norm = norm_rel(dest);
	if (strcmp(*norm, "..") == 0 || str_starts_with(*norm, "../")) {
		free(*norm);
		*norm = NULL;
		return set_cause(cause, "sourcecode dest '%s' is outside the "
		    "run directory", dest);
	}
	return 0;
}

void
sourcecode_result_clear(struct sourcecode_result *res)
{
	strvec_clear(&res->files);
	free(res->dest);
	free(res->digest);
	memset(res, 0, sizeof *res);
}

/*
 * The walk's root and rules for the project's model and op specs (unset
 * ones already NULL). True when nothing is to be copied at all.
 */
static bool
walk_setup(struct walk *w, const char *project_dir,
    const struct sourcecode_spec *model, const struct sourcecode_spec *op)
{
	const char	*root;
	char		*rootabs;
	bool		 op_rules = op != NULL && op->nrules > 0;
	bool		 disabled;

	disabled = (op != NULL && op->disabled) ||
	    (model != NULL && model->disabled && !op_rules);
	root = pick(op != NULL ? op->root : NULL,
	    model != NULL ? model->root : NULL);
	rootabs = path_join(project_dir, root != NULL ? root : ".");
	w->root = path_absolute(rootabs);
	free(rootabs);
	w->rootrel = root != NULL ? root : "";
	w->realroot = realpath(w->root, NULL);
	if (w->realroot == NULL)
		w->realroot = xstrdup(w->root);
	w->defaults_only = true;
	/* Guild's rules for a disabled snapshot: exclude everything. */
	if (disabled)
		rule_new(w, false, SELECT_ANY, "*");
	else {
		rules_base(w);
		rules_spec(w, model);
		rules_spec(w, op);
	}
	return disabled || rules_disabled(w);
}

static int
walk_root(struct walk *w, char **cause)
{
	struct stat	st;

	if (stat(w->root, &st) == 0) {
		XGROW(w->stack, w->astack, 1);
		w->stack[w->nstack++] = (struct devino){ st.st_dev, st.st_ino };
	}
	return walk_dir(w, w->root, "", cause);
}

int
sourcecode_test(const char *project_dir,
    const struct sourcecode_spec *model, const struct sourcecode_spec *op,
    struct sourcecode_test *t, char **cause)
{
	struct walk	w;
	size_t		i;
	int		rc = 0;

	memset(t, 0, sizeof *t);
	memset(&w, 0, sizeof w);
	strbuf_init(&w.manifest);
	if (op != NULL && !op->set)
		op = NULL;
	if (model != NULL && !model->set)
		model = NULL;
	w.dry = true;
	w.selected = &t->selected;
	w.skipped = &t->skipped;
	w.rundir.dev = (dev_t)-1;
	t->disabled = walk_setup(&w, project_dir, model, op);
	t->root = xstrdup(w.root);
	for (i = 0; i < w.nrules; i++) {
		struct strbuf	sb = STRBUF_INIT;

		rule_describe(&w.rules[i], &sb);
		strvec_push(&t->rules, sb.buf);
		strbuf_release(&sb);
	}
	if (!t->disabled && walk_root(&w, cause) == -1) {
		sourcecode_test_clear(t);
		rc = -1;
	}
	rules_free(&w);
	strvec_clear(&w.copied);
	strbuf_release(&w.manifest);
	free(w.stack);
	free(w.root);
	free(w.realroot);
	return rc;
}

void
sourcecode_test_clear(struct sourcecode_test *t)
{
	strvec_clear(&t->rules);
	strvec_clear(&t->selected);
	strvec_clear(&t->skipped);
	free(t->root);
	memset(t, 0, sizeof *t);
}

static char	*sourcecode_digest(const char *, const struct strvec *, char **);

int
sourcecode_snapshot(const char *project_dir,
    const struct sourcecode_spec *model, const struct sourcecode_spec *op,
    const char *opname, const char *run_dir, struct sourcecode_result *res,
    char **cause)
{
	struct walk	 w;
	struct stat	 st;
	const char	*dest;
	char		*path;
	bool		 disabled, digest;
	int		 rc = -1;

	memset(res, 0, sizeof *res);
	memset(&w, 0, sizeof w);
	strbuf_init(&w.manifest);

	if (op != NULL && !op->set)
		op = NULL;
	if (model != NULL && !model->set)
		model = NULL;
	dest = pick(op != NULL ? op->dest : NULL,
	    model != NULL ? model->dest : NULL);
	if (dest_check(dest != NULL ? dest : compat_sourcecode_dest(),
	    &res->dest, cause) == -1)
		return -1;

	digest = !((op != NULL && !op->digest) ||
	    (model != NULL && !model->digest));
	disabled = walk_setup(&w, project_dir, model, op);
	w.opname = opname;
	w.dest = res->dest;
	w.rundir.dev = (dev_t)-1;
	if (stat(run_dir, &st) == 0) {
		w.rundir.dev = st.st_dev;
		w.rundir.ino = st.st_ino;
	}
	path = path_join(run_dir, res->dest);
	w.destdir = path_absolute(path);
	free(path);

	if (!disabled && walk_root(&w, cause) == -1)
		goto out;

	if (w.copied.n > 0) {
		char	*gdir = path_join(run_dir, ".guild");

		if (mkdir_p(gdir, 0777, cause) == -1) {
			free(gdir);
			goto out;
		}
		path = path_join(gdir, "manifest");
		free(gdir);
		if (write_file_atomic(path, w.manifest.buf, w.manifest.len,
		    cause) == -1) {
			free(path);
			goto out;
		}
		free(path);
	}

	strvec_pushv(&res->files, (const char *const *)w.copied.v);
	strvec_sort(&res->files);
	if (digest && res->files.n > 0) {
		res->digest = sourcecode_digest(w.destdir, &res->files, cause);
		if (res->digest == NULL)
			goto out;
	}
	rc = 0;

out:
	if (rc == -1)
		sourcecode_result_clear(res);
	rules_free(&w);
	strvec_clear(&w.copied);
	strbuf_release(&w.manifest);
	free(w.stack);
	free(w.root);
	free(w.realroot);
	free(w.destdir);
	return rc;
}

/*
 * The source files of the run in proto_dir, as its manifest lists them
 * ("s" lines), copied to the same places in run_dir with their manifest
 * lines; a run without them (written before manifests) has its
 * .guild/sourcecode copied whole. Fills res as sourcecode_snapshot(), but
 * for the digest: the run keeps its prototype's sourcecode_digest.
 */
int
sourcecode_copy_run(const char *proto_dir, const char *run_dir,
    struct sourcecode_result *res, char **cause)
{
	struct walk	 w;
	struct strbuf	 man = STRBUF_INIT;
	struct strvec	 f = STRVEC_INIT;
	char		*path, *line, *save = NULL, *src;
	size_t		 mark;
	int		 rc = -1;

	memset(res, 0, sizeof *res);
	memset(&w, 0, sizeof w);
	strbuf_init(&w.manifest);
	w.root = path_absolute(proto_dir);
	w.realroot = xstrdup(w.root);
	w.destdir = path_absolute(run_dir);
	w.dest = ".";
	w.rootrel = "";
	w.rundir.dev = (dev_t)-1;
	path = path_join(proto_dir, ".guild/manifest");
	if (file_read_regular(AT_FDCWD, path, 0, FILE_MANIFEST_MAX, &man, NULL,
	    NULL) == -1)
		strbuf_reset(&man);
	free(path);
	for (line = strtok_r(man.buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		strvec_clear(&f);
		if (shlex_split(line, &f, NULL) == -1 || f.n != 4 ||
		    strcmp(f.v[0], "s") != 0 || *f.v[1] == '/' ||
		    strcmp(f.v[1], "..") == 0 || str_starts_with(f.v[1], "../") ||
		    strstr(f.v[1], "/../") != NULL)
			continue;
		src = path_join(w.root, f.v[1]);
		mark = w.manifest.len;
		if (copy_file(&w, src, f.v[1], 0644, cause) == -1) {
			free(src);
			goto out;
		}
		/* Its line as the prototype has it (the project's path). */
		if (w.manifest.len > mark) {
			strbuf_setlen(&w.manifest, mark);
			strbuf_addf(&w.manifest, "%s\n", line);
		}
		free(src);
	}
	if (w.copied.n == 0) {
		path = path_join(w.root, SOURCECODE_DEFAULT_DEST);
		free(w.root);
		w.root = path;
		free(w.realroot);
		w.realroot = xstrdup(path);
		free(w.destdir);
		w.destdir = path_join(run_dir, SOURCECODE_DEFAULT_DEST);
		w.dest = SOURCECODE_DEFAULT_DEST;
		rule_new(&w, true, SELECT_ANY, "*");
		w.defaults_only = false;
		if (path_is_dir(w.root) && walk_root(&w, cause) == -1)
			goto out;
	}
	if (w.copied.n > 0) {
		path = path_join(run_dir, ".guild/manifest");
		rc = write_file_atomic(path, w.manifest.buf, w.manifest.len,
		    cause);
		free(path);
		if (rc == -1)
			goto out;
	}
	res->dest = xstrdup(w.dest);
	strvec_pushv(&res->files, (const char *const *)w.copied.v);
	strvec_sort(&res->files);
	rc = 0;
out:
	if (rc == -1)
		sourcecode_result_clear(res);
	strvec_clear(&f);
	strbuf_release(&man);
	rules_free(&w);
	strvec_clear(&w.copied);
	strbuf_release(&w.manifest);
	free(w.stack);
	free(w.root);
	free(w.realroot);
	free(w.destdir);
	return rc;
}

/*
 * Guild's sourcecode_digest: MD5 over the files (paths relative to dir) in
 * byte order of their paths, each as path + NUL + contents + NUL. NULL
 * with cause when a file cannot be read; NULL without cause for no files.
 */
static char *
sourcecode_digest(const char *dir, const struct strvec *files, char **cause)
{
	struct strvec	 sorted = STRVEC_INIT;
	struct digest	*md5;
	char		*path;
	size_t		 i;

	if (files->n == 0)
		return NULL;
	strvec_pushv(&sorted, (const char *const *)files->v);
	strvec_sort(&sorted);
	md5 = digest_new(DIGEST_MD5);
	for (i = 0; i < sorted.n; i++) {
		digest_update(md5, sorted.v[i], strlen(sorted.v[i]));
		digest_update(md5, "", 1);
		path = path_join(dir, sorted.v[i]);
		if (digest_update_file(md5, path, cause) == -1) {
			free(path);
			digest_free(md5);
			strvec_clear(&sorted);
			return NULL;
		}
		free(path);
		digest_update(md5, "", 1);
	}
	strvec_clear(&sorted);
	return digest_end(md5);
}
