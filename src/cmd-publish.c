/*
 * cmd-publish.c: guild publish [RUN...]: a static report of runs, read in
 * a browser without a server.
 *
 * The layout is Guild 0.9's (guild/publish.py), so what reads Guild's
 * published runs reads ours:
 *
 *	DEST/.guild-nocopy		keeps the report out of source snapshots
 *	DEST/README.md			the runs index (Guild's runs-index)
 *	DEST/index.html			the same index as a web page (ours)
 *	DEST/ID/run.yml			run information
 *	DEST/ID/flags.yml		the flags
 *	DEST/ID/output.txt		the output
 *	DEST/ID/scalars.csv		a summary per scalar key
 *	DEST/ID/sourcecode.csv		the source files, and copies of them in
 *	DEST/ID/sourcecode/
 *	DEST/ID/runfiles.csv		the other files, and with --files or
 *	DEST/ID/runfiles/		--all-files copies of them
 *	DEST/ID/README.md		Guild's default template, rendered
 *	DEST/ID/index.html		the run's page (ours), with one SVG plot
 *	DEST/ID/plots/N.svg		per scalar key (N: its row in scalars.csv)
 *
 * Where we differ: output.txt is the cooked output (what guild cat shows:
 * progress bars at their last state, no escape sequences), not the raw
 * bytes; sourcecode.csv paths are relative to the snapshot directory
 * (so they name the copies under sourcecode/); times are true UTC. Guild's
 * default templates are guild's own code here; a user's Jinja2 templates
 * (--template, --index-template, publish: template) are rendered by
 * guild.publish_render (publish-template.c), and Guild's own template
 * files cannot be included from them.
 *
 * Everything taken from a run (labels, flags, file names, output) is
 * escaped in the pages: HTML entities, percent-encoded links, and in the
 * Markdown files the characters that would start HTML or end a cell.
 * Each run is written to a temporary directory beside its place and
 * renamed there when complete.
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
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-select.h"
#include "cmds.h"
#include "digest.h"
#include "format.h"
#include "guildfile.h"
#include "output.h"
#include "publish-template.h"
#include "run.h"
#include "runfiles.h"
#include "runindex.h"
#include "scalars.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

#define DEFAULT_DEST	"published-runs"

enum {
	O_DEST = 1,
	O_TEMPLATE,
	O_INDEX_TEMPLATE,
	O_FILES,
	O_ALL_FILES,
	O_INCLUDE_LINKS,
	O_NO_MD5,
	O_INCLUDE_BATCH,
	O_REFRESH_INDEX,
	O_YES,
};

static const struct cmd_option publish_options[] = {
	{ O_DEST, "d", "dest", "DIR",
	  "Destination to publish runs." },
	{ O_TEMPLATE, "t", "template", "VAL",
	  "Run template (Jinja2) used to publish runs." },
	{ O_INDEX_TEMPLATE, "i", "index-template", "VAL",
	  "Index template (Jinja2) used to publish runs." },
	{ O_FILES, "f", "files", NULL,
	  "Copy run files as the operation's publish: files says." },
	{ O_ALL_FILES, "a", "all-files", NULL,
	  "Copy all run files, except links." },
	{ O_INCLUDE_LINKS, "L", "include-links", NULL,
	  "Include links when publishing files. Implies --files." },
	{ O_NO_MD5, NULL, "no-md5", NULL,
	  "Do not calculate MD5 digests for run files." },
	{ O_INCLUDE_BATCH, NULL, "include-batch", NULL, "Include batch runs." },
	{ O_REFRESH_INDEX, "r", "refresh-index", NULL,
	  "Refresh runs index without publishing anything." },
	{ O_YES, "y", "yes", NULL, "Do not prompt before publishing." },
	{ 0 }
};

enum copy_mode { COPY_NONE, COPY_DEFAULT, COPY_ALL };

struct opts {
	const char	*dest;
	const char	*template;	/* --template */
	const char	*index_template;
	enum copy_mode	 copy;
	bool		 links;
	bool		 md5;
};

/*
 * Escaping
 */

/* Text for HTML (and SVG): entities, and no control characters. */
static void
html_esc(struct strbuf *sb, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char	c = (unsigned char)*s;

		switch (c) {
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '"':
			strbuf_addstr(sb, "&quot;");
			break;
		case '\'':
			strbuf_addstr(sb, "&#39;");
			break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				strbuf_addstr(sb, "\xef\xbf\xbd");
			else
				strbuf_addch(sb, c);
		}
	}
}

/* A relative link to a file: each byte but unreserved ones and '/' %XX. */
static void
url_path(struct strbuf *sb, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char	c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c) != NULL)
			strbuf_addch(sb, c);
		else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[c >> 4]);
			strbuf_addch(sb, hex[c & 15]);
		}
	}
}

/*
 * A Markdown table cell: what would end the cell or start HTML becomes
 * an entity, line breaks a space. Plain text is as Guild writes it.
 */
static void
md_cell(struct strbuf *sb, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '|':
			strbuf_addstr(sb, "&#124;");
			break;
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '[':
			strbuf_addstr(sb, "&#91;");
			break;
		case ']':
			strbuf_addstr(sb, "&#93;");
			break;
		case '\n':
		case '\r':
			strbuf_addch(sb, ' ');
			break;
		default:
			strbuf_addch(sb, *s);
		}
	}
}

/*
 * Formats
 */

/* Guild's utcformat_timestamp: "2018-10-16 15:57:32 UTC"; "None". */
static void
utc_time(struct strbuf *sb, int64_t us)
{
	struct tm	tm;
	time_t		t = (time_t)(us / 1000000);
	char		buf[64];

	if (us <= 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
		strbuf_addstr(sb, "None");
		return;
	}
	strbuf_addstr(sb, buf);
}

/* A flag value in a table, as Guild's flag_val filter: null is empty. */
static void
flag_text(struct strbuf *sb, const struct value *v)
{
	if (v == NULL || v->type == VALUE_NULL)
		return;
	if (v->type == VALUE_STRING)
		strbuf_addstr(sb, v->u.s);
	else
		value_format_flag(sb, v);
}

/* A one-line YAML scalar, as Guild's encode_yaml writes run.yml values. */
static void
yaml_str(struct strbuf *sb, const char *s)
{
	struct value	*v = value_string(s);

	value_encode_flow(sb, v);
	value_free(v);
}

static bool
is_batch(const struct run_row *row)
{
	return row->op != NULL && str_ends_with(row->op, "+");
}

/*
 * Writing files
 */

static int
write_text(const char *dir, const char *name, const struct strbuf *sb,
    char **cause)
{
	char	*path = path_join(dir, name);
	int	 rc = write_file_atomic(path, sb->buf, sb->len, cause);

	free(path);
	return rc;
}

/* Copy a regular file (through links) to dst, creating its directory. */
static int
copy_file(const char *src, const char *dst, char **cause)
{
	char	 buf[65536], *dir, *slash;
	ssize_t	 n;
	int	 in, out, rc = 0;

	dir = xstrdup(dst);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if (mkdir_p(dir, 0777, cause) == -1) {
			free(dir);
			return -1;
		}
	}
	free(dir);
	if ((in = file_open_regular(AT_FDCWD, src, 0, NULL, cause)) == -1)
		return -1;
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0666)) == -1) {
		close(in);
		return set_cause(cause, "%s: %s", dst, strerror(errno));
	}
	while ((n = read(in, buf, sizeof buf)) != 0) {
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			rc = set_cause(cause, "%s: %s", src, strerror(errno));
			break;
		}
		if (write_all(out, buf, (size_t)n) == -1) {
			rc = set_cause(cause, "%s: %s", dst, strerror(errno));
			break;
		}
	}
	close(in);
	if (close(out) == -1 && rc == 0)
		rc = set_cause(cause, "%s: %s", dst, strerror(errno));
	return rc;
}

/* Guild's dir_size: every file and directory under dir. */
static void
dir_size(const char *dir, double *size)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		path = path_join(dir, de->d_name);
		if (lstat(path, &st) == 0) {
			if (!S_ISLNK(st.st_mode) || stat(path, &st) == 0)
				*size += (double)st.st_size;
			if (S_ISDIR(st.st_mode))
				dir_size(path, size);
		}
		free(path);
	}
	closedir(d);
}

/* "PREFIX<size>\n" on stdout. */
static void
print_dir_size(const char *prefix, const char *dir)
{
	struct strbuf	sb = STRBUF_INIT;
	double		size = 0;

	dir_size(dir, &size);
	format_bytes(&sb, (unsigned long long)size);
	printf("%s%s\n", prefix, sb.buf);
	fflush(stdout);
	strbuf_release(&sb);
}

/*
 * Run files to copy: the operation's publish: files rules (Guild's file
 * select: the last rule that matches a path decides; a path no rule
 * matches is copied unless it is source code, or a link without
 * --include-links).
 */
struct rule {
	bool		 include;
	struct strvec	 patterns;
};

struct rules {
	struct rule	*v;
	size_t		 n, alloc;
};

static void
rules_add(struct rules *rs, bool include, const struct value *pats)
{
	struct rule	*r;
	size_t		 i;

	XGROW(rs->v, rs->alloc, rs->n + 1);
	r = &rs->v[rs->n++];
	r->include = include;
	memset(&r->patterns, 0, sizeof r->patterns);
	if (pats->type == VALUE_STRING)
		strvec_push(&r->patterns, pats->u.s);
	else if (pats->type == VALUE_LIST)
		for (i = 0; i < pats->u.list.n; i++)
			if (pats->u.list.v[i]->type == VALUE_STRING)
				strvec_push(&r->patterns, pats->u.list.v[i]->u.s);
}

static void
rules_release(struct rules *rs)
{
	size_t	i;

	for (i = 0; i < rs->n; i++)
		strvec_clear(&rs->v[i].patterns);
	free(rs->v);
	memset(rs, 0, sizeof *rs);
}

/* Guild's coercion of a files spec (_coerce_select_files). */
static void
rules_from(struct rules *rs, const struct value *v)
{
	struct value	*star;
	size_t		 i;
	bool		 all_strings = true;

	if (v == NULL)
		return;
	star = value_string("*");
	if (v->type == VALUE_STRING) {
		rules_add(rs, false, star);
		rules_add(rs, true, v);
	} else if (v->type == VALUE_MAP) {
		rules_from(rs, value_map_get(v, "select"));
	} else if (v->type == VALUE_LIST) {
		for (i = 0; i < v->u.list.n; i++)
			if (v->u.list.v[i]->type != VALUE_STRING)
				all_strings = false;
		if (all_strings && v->u.list.n > 0)
			rules_add(rs, false, star);
		for (i = 0; i < v->u.list.n; i++) {
			const struct value	*item = v->u.list.v[i], *p;

			if (item->type == VALUE_STRING)
				rules_add(rs, true, item);
			else if ((p = value_map_get(item, "include")) != NULL)
				rules_add(rs, true, p);
			else if ((p = value_map_get(item, "exclude")) != NULL)
				rules_add(rs, false, p);
		}
	}
	value_free(star);
}

/* The run's operation's publish: files, from its guild.yml when it has one. */
static void
op_rules(const struct run_row *row, struct rules *rs)
{
	struct opref		 ref;
	struct guildfile	*gf;
	struct modeldef		*m;
	struct opdef		*op;

	memset(&ref, 0, sizeof ref);
	if (row->opref == NULL || opref_parse(row->opref, &ref, NULL) == -1)
		return;
	if (strcmp(ref.pkg_type, "guildfile") == 0 &&
	    (gf = guildfile_load(ref.pkg_name, NULL)) != NULL) {
		if ((m = guildfile_model(gf, ref.model)) != NULL &&
		    (op = modeldef_op(m, ref.op)) != NULL &&
		    op->publish != NULL)
			rules_from(rs, value_map_get(op->publish, "files"));
		guildfile_free(gf);
	}
	opref_clear(&ref);
}

/* 1 include, 0 exclude, -1 no rule matches. */
static int
rules_decide(const struct rules *rs, const char *rel)
{
	size_t	i, j;
	int	result = -1;

	for (i = 0; i < rs->n; i++)
		for (j = 0; j < rs->v[i].patterns.n; j++)
			if (fnmatch(rs->v[i].patterns.v[j], rel, 0) == 0)
				result = rs->v[i].include;
	return result;
}

/*
 * One published run.
 */
struct pub {
	const struct opts	*o;
	const struct run_row	*row;
	char			*tmp;		/* where it is written */
	struct rules		 rules;
	struct strvec		 seen;		/* dirs entered when copying */
	struct strvec		 copied;	/* run files copied */
	char			*sc_root;
	struct strvec		 sc_files;	/* run-relative */
	struct run_files	 files;
	struct scalars_summary	 sum;
	struct strbuf		 output;
	char			*why;		/* first copy failure */
	char			*template;	/* a Jinja2 one, or NULL */
};

/* The path of a source file under the snapshot directory. */
static const char *
sc_rel(const struct pub *p, const char *path)
{
	size_t	n = strlen(p->sc_root);

	if (strcmp(p->sc_root, ".") != 0 && strncmp(path, p->sc_root, n) == 0 &&
	    path[n] == '/')
		return path + n + 1;
	return path;
}

static void
copy_runfiles_dir(struct pub *p, const char *dir, const char *rel)
{
	struct strvec	 names = STRVEC_INIT;
	struct stat	 lst, st;
	size_t		 i;

	if (dir_names_sorted(dir, &names) == -1)
		return;
	for (i = 0; i < names.n; i++) {
		char	*path = path_join(dir, names.v[i]);
		char	*r = *rel != '\0' ? xasprintf("%s/%s", rel, names.v[i]) :
			    xstrdup(names.v[i]);
		bool	 link;
		int	 pick;

		if (lstat(path, &lst) == -1 || stat(path, &st) == -1)
			goto next;
		link = S_ISLNK(lst.st_mode);
		if (S_ISDIR(st.st_mode)) {
			char	*real;

			/* As Guild: rules prune directories, then the filter. */
			if (strcmp(names.v[i], ".guild") == 0 ||
			    rules_decide(&p->rules, r) == 0 ||
			    (link && !p->o->links) ||
			    (real = realpath(path, NULL)) == NULL)
				goto next;
			if (strvec_find(&p->seen, real) != -1) {
				free(real);
				goto next;
			}
			strvec_push_nodup(&p->seen, real);
			copy_runfiles_dir(p, path, r);
			goto next;
		}
		if (!S_ISREG(st.st_mode))
			goto next;
		if ((pick = rules_decide(&p->rules, r)) == -1)
			pick = strvec_find(&p->sc_files, r) == -1 &&
			    (p->o->links || !link);
		if (pick == 1) {
			char	*dst = xasprintf("%s/runfiles/%s", p->tmp, r);
			char	*why = NULL;

			if (copy_file(path, dst, &why) == 0)
				strvec_push(&p->copied, r);
			else if (p->why == NULL)
				p->why = why;
			else
				free(why);
			free(dst);
		}
next:
		free(path);
		free(r);
	}
	strvec_clear(&names);
}

static void
output_cb(const struct output_line *line, void *arg)
{
	struct strbuf	*sb = arg;

	strbuf_add(sb, line->text, line->len);
	strbuf_addch(sb, '\n');
}

/* run.yml, as Guild's _publish_run_info writes it. */
static void
run_yml(const struct pub *p, struct strbuf *sb)
{
	const struct run_row	*row = p->row;
	const struct value	*cmd;
	struct strbuf		 t = STRBUF_INIT;

	strbuf_addf(sb, "id: %s\noperation: ", row->id);
	yaml_str(sb, row->op_desc != NULL ? row->op_desc : "");
	strbuf_addf(sb, "\nstatus: %s\nstarted: ", run_status_name(row->status));
	utc_time(sb, row->started);
	if (row->started > 0)
		strbuf_addf(sb, "\nstarted_epoch: %lld\nstopped: ",
		    (long long)row->started);
	else
		strbuf_addstr(sb, "\nstarted_epoch: None\nstopped: ");
	utc_time(sb, row->stopped);
	if (row->stopped > 0)
		strbuf_addf(sb, "\nstopped_epoch: %lld\n", (long long)row->stopped);
	else
		strbuf_addstr(sb, "\nstopped_epoch: None\n");
	strbuf_addstr(sb, "time: ");
	if (row->started > 0 && row->stopped > 0)
		format_duration(sb, row->stopped - row->started);
	strbuf_addf(sb, "\nmarked: '%s'\nlabel: ", row->marked ? "yes" : "no");
	if (row->label != NULL && *row->label != '\0')
		yaml_str(sb, row->label);
	else
		strbuf_addstr(sb, "null");
	strbuf_addstr(sb, "\ncommand: ");
	cmd = row->attrs != NULL ? value_map_get(row->attrs, "cmd") : NULL;
	run_command_text(&t, cmd);
	yaml_str(sb, t.buf);
	strbuf_addstr(sb, "\nexit_status: ");
	if (row->has_exit_status)
		strbuf_addf(sb, "%d\n", row->exit_status);
	else
		strbuf_addstr(sb, "''\n");
	strbuf_release(&t);
}

/* scalars.csv: Guild's columns; keys "dir#tag" are TensorBoard's. */
static void
split_key(const char *key, char **prefix, const char **tag)
{
	const char	*hash = strrchr(key, '#');

	if (hash != NULL) {
		*prefix = xstrndup(key, (size_t)(hash - key));
		*tag = hash + 1;
	} else {
		*prefix = xstrdup(".guild");
		*tag = key;
	}
}

static void
scalars_csv(const struct pub *p, struct strbuf *sb)
{
	size_t	i;

	strbuf_addstr(sb, "prefix,tag,count,total,avg_val,first_val,"
	    "first_step,last_val,last_step,min_val,min_step,max_val,max_step\n");
	for (i = 0; i < p->sum.n; i++) {
		const struct scalar_stats	*s = &p->sum.v[i];
		const char			*tag;
		char				*prefix;

		if (s->count == 0)
			continue;
		split_key(s->key, &prefix, &tag);
		format_csv_field(sb, prefix);
		strbuf_addch(sb, ',');
		format_csv_field(sb, tag);
		strbuf_addf(sb, ",%zu,", s->count);
		format_double(sb, s->total);
		strbuf_addch(sb, ',');
		format_double(sb, s->total / (double)s->count);
		strbuf_addch(sb, ',');
		format_double(sb, s->first.value);
		strbuf_addf(sb, ",%lld,", s->first.step);
		format_double(sb, s->last.value);
		strbuf_addf(sb, ",%lld,", s->last.step);
		format_double(sb, s->min.value);
		strbuf_addf(sb, ",%lld,", s->min.step);
		format_double(sb, s->max.value);
		strbuf_addf(sb, ",%lld\n", s->max.step);
		free(prefix);
	}
}

/* Guild's _path_type: "file", "dir", "other", with " link"; "link". */
static const char *
file_type(const struct run_file *f)
{
	if (!f->exists)
		return f->link ? "link" : "";
	if (f->link)
		return f->regular ? "file link" : f->dir ? "dir link" :
		    "other link";
	return f->regular ? "file" : f->dir ? "dir" : "other";
}

struct file_row {
	const char	*path;		/* as listed */
	const char	*type;
	char		*size;		/* "" when unknown */
	char		*bytes;		/* format_bytes of size */
	char		*mtime;		/* µs, "" when unknown */
	char		*mtime_utc;
	char		*md5;		/* "" when not computed */
	char		*link;		/* relative link, or NULL */
};

static void
file_row_init(struct file_row *fr, const struct run_file *f, const char *path,
    const char *src, bool md5, char *link)
{
	struct strbuf	sb = STRBUF_INIT;

	fr->path = path;
	fr->type = file_type(f);
	fr->size = f->exists ? xasprintf("%lld", (long long)f->size) :
	    xstrdup("");
	if (f->exists)
		format_bytes(&sb, (unsigned long long)f->size);
	fr->bytes = strbuf_detach(&sb, NULL);
	fr->mtime = f->exists ? xasprintf("%lld", (long long)f->mtime_us) :
	    xstrdup("");
	strbuf_init(&sb);
	if (f->exists)
		utc_time(&sb, f->mtime_us);
	fr->mtime_utc = strbuf_detach(&sb, NULL);
	fr->md5 = NULL;
	if (md5 && f->exists && f->regular)
		fr->md5 = digest_file(DIGEST_MD5, src, NULL);
	if (fr->md5 == NULL)
		fr->md5 = xstrdup("");
	fr->link = link;
}

static void
file_rows_free(struct file_row *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].size);
		free(v[i].bytes);
		free(v[i].mtime);
		free(v[i].mtime_utc);
		free(v[i].md5);
		free(v[i].link);
	}
	free(v);
}

static void
files_csv(const struct file_row *v, size_t n, struct strbuf *sb)
{
	size_t	i;

	strbuf_addstr(sb, "path,type,size,mtime,md5\n");
	for (i = 0; i < n; i++) {
		format_csv_field(sb, v[i].path);
		strbuf_addf(sb, ",%s,%s,%s,%s\n", v[i].type, v[i].size,
		    v[i].mtime, v[i].md5);
	}
}

/*
 * The pages
 */

static const char page_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src "
    "'none'; object-src 'none'; base-uri 'none'; form-action 'none'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>";

static const char page_style[] =
    "<style>\n"
    "body { font-family: sans-serif; margin: 1.5em auto; max-width: 72em;"
    " padding: 0 1em; color: #222; }\n"
    "table { border-collapse: collapse; margin: 0.5em 0 1em; }\n"
    "th, td { border: 1px solid #ccc; padding: 0.2em 0.6em;"
    " text-align: left; vertical-align: top; }\n"
    "th { background: #f3f3f3; }\n"
    "td.num { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "pre { background: #f7f7f7; border: 1px solid #ddd; padding: 0.6em;"
    " overflow-x: auto; }\n"
    ".plots { display: flex; flex-wrap: wrap; gap: 1em; }\n"
    ".plots figure { margin: 0; }\n"
    ".plots figcaption { font-size: 90%; text-align: center; }\n"
    ".status-completed { color: #1a7f37; }\n"
    ".status-error { color: #cf222e; }\n"
    ".status-terminated { color: #9a6700; }\n"
    ".status-running { color: #0969da; }\n"
    ".meta { color: #666; font-size: 90%; }\n"
    "</style>\n"
    "</head>\n"
    "<body>\n";

static void
page_start(struct strbuf *sb, const char *title)
{
	strbuf_addstr(sb, page_head);
	html_esc(sb, title);
	strbuf_addstr(sb, "</title>\n");
	strbuf_addstr(sb, page_style);
}

static void
th_row(struct strbuf *sb, const char *const *cells)
{
	strbuf_addstr(sb, "<tr>");
	for (; *cells != NULL; cells++) {
		strbuf_addstr(sb, "<th>");
		html_esc(sb, *cells);
		strbuf_addstr(sb, "</th>");
	}
	strbuf_addstr(sb, "</tr>\n");
}

static void
td(struct strbuf *sb, const char *text, bool num)
{
	strbuf_addstr(sb, num ? "<td class=\"num\">" : "<td>");
	html_esc(sb, text);
	strbuf_addstr(sb, "</td>");
}

static void
td_link(struct strbuf *sb, const char *text, const char *prefix,
    const char *path)
{
	strbuf_addstr(sb, "<td>");
	if (path != NULL) {
		strbuf_addstr(sb, "<a href=\"");
		url_path(sb, prefix);
		url_path(sb, path);
		strbuf_addstr(sb, "\">");
	}
	html_esc(sb, text);
	if (path != NULL)
		strbuf_addstr(sb, "</a>");
	strbuf_addstr(sb, "</td>");
}

/* A scalar value in a table: Python's repr, as scalars.csv has it. */
static char *
double_str(double d)
{
	struct strbuf	sb = STRBUF_INIT;

	format_double(&sb, d);
	return strbuf_detach(&sb, NULL);
}

/*
 * A line plot of one key's series (step against value), as an SVG image
 * of its own: no script, no external reference.
 */
#define PLOT_W		480
#define PLOT_H		240
#define PLOT_L		64	/* room for the value axis labels */
#define PLOT_R		16
#define PLOT_T		28
#define PLOT_B		36

static int
point_step_cmp(const void *a, const void *b)
{
	const struct scalar_point	*x = a, *y = b;

	return (x->step > y->step) - (x->step < y->step);
}

static void
plot_svg(struct strbuf *sb, const struct scalar_stats *s)
{
	struct scalar_point	*pts;
	struct strbuf		 t = STRBUF_INIT;
	double			 lo = INFINITY, hi = -INFINITY, x, y;
	long long		 s0 = 0, s1 = 0;
	size_t			 i, n = 0;
	const double		 w = PLOT_W - PLOT_L - PLOT_R;
	const double		 h = PLOT_H - PLOT_T - PLOT_B;

	pts = xcalloc(s->nseries + 1, sizeof *pts);
	for (i = 0; i < s->nseries; i++)
		if (isfinite(s->series[i].value))
			pts[n++] = s->series[i];
	/* Stable enough: points of one step keep their logged order. */
	for (i = 1; i < n; i++)
		if (pts[i].step < pts[i - 1].step) {
			qsort(pts, n, sizeof *pts, point_step_cmp);
			break;
		}
	for (i = 0; i < n; i++) {
		lo = fmin(lo, pts[i].value);
		hi = fmax(hi, pts[i].value);
	}
	if (n > 0) {
		s0 = pts[0].step;
		s1 = pts[n - 1].step;
	}
	if (n > 0 && lo == hi) {
		lo -= fabs(lo) > 0 ? fabs(lo) * 0.1 : 1;
		hi += fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
	}
	strbuf_addf(sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "font-family=\"sans-serif\" font-size=\"11\">\n",
	    PLOT_W, PLOT_H, PLOT_W, PLOT_H);
	strbuf_addstr(sb, "<title>");
	html_esc(sb, s->key);
	strbuf_addstr(sb, "</title>\n");
	strbuf_addf(sb, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
	    PLOT_W, PLOT_H);
	strbuf_addf(sb, "<text x=\"%d\" y=\"17\" text-anchor=\"middle\" "
	    "font-size=\"13\">", PLOT_W / 2);
	html_esc(sb, s->key);
	strbuf_addstr(sb, "</text>\n");
	strbuf_addf(sb, "<rect x=\"%d\" y=\"%d\" width=\"%g\" height=\"%g\" "
	    "fill=\"none\" stroke=\"#bbb\"/>\n", PLOT_L, PLOT_T, w, h);
	if (n == 0) {
		strbuf_addf(sb, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" "
		    "fill=\"#888\">no finite values</text>\n",
		    PLOT_L + w / 2, PLOT_T + h / 2);
		goto done;
	}
	/* Value axis: top, middle and bottom; step axis: first and last. */
	for (i = 0; i < 3; i++) {
		double	v = hi - (hi - lo) * (double)i / 2;

		y = PLOT_T + h * (double)i / 2;
		strbuf_reset(&t);
		format_scalar_short(&t, v);
		strbuf_addf(sb, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%g\" "
		    "y2=\"%.1f\" stroke=\"#eee\"/>\n", PLOT_L, y, PLOT_L + w, y);
		strbuf_addf(sb, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
		    "dominant-baseline=\"middle\">", PLOT_L - 6, y);
		html_esc(sb, t.buf);
		strbuf_addstr(sb, "</text>\n");
	}
	strbuf_addf(sb, "<text x=\"%d\" y=\"%g\" text-anchor=\"start\">%lld"
	    "</text>\n", PLOT_L, PLOT_T + h + 16, s0);
	if (s1 != s0)
		strbuf_addf(sb, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">"
		    "%lld</text>\n", PLOT_L + w, PLOT_T + h + 16, s1);
	strbuf_addf(sb, "<text x=\"%g\" y=\"%d\" text-anchor=\"middle\" "
	    "fill=\"#666\">step</text>\n", PLOT_L + w / 2, PLOT_H - 6);
	if (n > 1)
		strbuf_addstr(sb, "<polyline fill=\"none\" stroke=\"#0969da\" "
		    "stroke-width=\"1.5\" points=\"");
	for (i = 0; i < n; i++) {
		x = s1 == s0 ? PLOT_L + w / 2 :
		    PLOT_L + w * (double)(pts[i].step - s0) / (double)(s1 - s0);
		y = PLOT_T + h * (hi - pts[i].value) / (hi - lo);
		if (n > 1)
			strbuf_addf(sb, "%s%.1f,%.1f", i > 0 ? " " : "", x, y);
		else
			strbuf_addf(sb, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
			    "fill=\"#0969da\"/>\n", x, y);
	}
	if (n > 1)
		strbuf_addstr(sb, "\"/>\n");
done:
	strbuf_addstr(sb, "</svg>\n");
	strbuf_release(&t);
	free(pts);
}

static void
summary_html(const struct pub *p, struct strbuf *sb)
{
	const struct run_row	*row = p->row;
	const struct value	*cmd;
	struct strbuf		 t = STRBUF_INIT;
	static const char *const head[] = { "Attribute", "Value", NULL };

	strbuf_addstr(sb, "<table class=\"summary\">\n");
	th_row(sb, head);
#define ATTR(name, val) do {						\
	strbuf_addstr(sb, "<tr>");					\
	td(sb, name, false);						\
	td(sb, val, false);						\
	strbuf_addstr(sb, "</tr>\n");					\
} while (0)
	ATTR("ID", row->id);
	ATTR("Operation", row->op_desc != NULL ? row->op_desc : "");
	strbuf_reset(&t);
	if (row->started > 0)
		utc_time(&t, row->started);
	ATTR("Started", t.buf);
	strbuf_reset(&t);
	if (row->stopped > 0)
		utc_time(&t, row->stopped);
	ATTR("Stopped", t.buf);
	strbuf_reset(&t);
	if (row->started > 0 && row->stopped > 0)
		format_duration(&t, row->stopped - row->started);
	ATTR("Time", t.buf);
	strbuf_addstr(sb, "<tr>");
	td(sb, "Status", false);
	strbuf_addf(sb, "<td class=\"status-%s\">%s</td></tr>\n",
	    run_status_name(row->status), run_status_name(row->status));
	ATTR("Label", row->label != NULL ? row->label : "");
	ATTR("Marked", row->marked ? "yes" : "no");
	strbuf_reset(&t);
	if (row->has_exit_status)
		strbuf_addf(&t, "%d", row->exit_status);
	ATTR("Exit status", t.buf);
	strbuf_reset(&t);
	cmd = row->attrs != NULL ? value_map_get(row->attrs, "cmd") : NULL;
	run_command_text(&t, cmd);
	ATTR("Command", t.buf);
	if (row->tags.n > 0) {
		char	*tags = strvec_join(&row->tags, ", ");

		ATTR("Tags", tags);
		free(tags);
	}
#undef ATTR
	strbuf_addstr(sb, "</table>\n");
	strbuf_release(&t);
}

static void
flags_html(const struct pub *p, struct strbuf *sb)
{
	const struct value	*flags = p->row->flags;
	struct strvec		 names = STRVEC_INIT;
	struct strbuf		 t = STRBUF_INIT;
	static const char *const head[] = { "Name", "Value", NULL };
	size_t			 i;

	strbuf_addstr(sb, "<h2 id=\"flags\">Flags</h2>\n");
	if (flags == NULL || flags->type != VALUE_MAP || flags->u.map.n == 0) {
		strbuf_addstr(sb, "<p>There are no flags for this run.</p>\n");
		return;
	}
	for (i = 0; i < flags->u.map.n; i++)
		strvec_push(&names, flags->u.map.k[i]);
	strvec_sort(&names);
	strbuf_addstr(sb, "<table>\n");
	th_row(sb, head);
	for (i = 0; i < names.n; i++) {
		strbuf_reset(&t);
		flag_text(&t, value_map_get(flags, names.v[i]));
		strbuf_addstr(sb, "<tr>");
		td(sb, names.v[i], false);
		td(sb, t.buf, false);
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</table>\n<p class=\"meta\"><a href=\"flags.yml\">"
	    "flags.yml</a></p>\n");
	strvec_clear(&names);
	strbuf_release(&t);
}

static void
scalars_html(const struct pub *p, struct strbuf *sb)
{
	static const char *const head[] = {
		"Key", "Step", "Value", "Min", "Max", "Count", NULL
	};
	size_t	i, shown = 0;
	char	*v;

	strbuf_addstr(sb, "<h2 id=\"scalars\">Scalars</h2>\n");
	for (i = 0; i < p->sum.n; i++)
		shown += p->sum.v[i].count > 0;
	if (shown == 0) {
		strbuf_addstr(sb, "<p>There are no scalars for this run.</p>\n");
		return;
	}
	strbuf_addstr(sb, "<table>\n");
	th_row(sb, head);
	for (i = 0; i < p->sum.n; i++) {
		const struct scalar_stats	*s = &p->sum.v[i];
		char				 step[32];

		if (s->count == 0)
			continue;
		strbuf_addstr(sb, "<tr>");
		td(sb, s->key, false);
		snprintf(step, sizeof step, "%lld", s->last.step);
		td(sb, step, true);
		td(sb, (v = double_str(s->last.value)), true);
		free(v);
		td(sb, (v = double_str(s->min.value)), true);
		free(v);
		td(sb, (v = double_str(s->max.value)), true);
		free(v);
		snprintf(step, sizeof step, "%zu", s->count);
		td(sb, step, true);
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</table>\n<div class=\"plots\">\n");
	for (i = 0; i < p->sum.n; i++) {
		if (p->sum.v[i].count == 0)
			continue;
		strbuf_addf(sb, "<figure><img src=\"plots/%zu.svg\" width=\"%d\" "
		    "height=\"%d\" alt=\"", i + 1, PLOT_W, PLOT_H);
		html_esc(sb, p->sum.v[i].key);
		strbuf_addstr(sb, "\"><figcaption>");
		html_esc(sb, p->sum.v[i].key);
		strbuf_addstr(sb, "</figcaption></figure>\n");
	}
	strbuf_addstr(sb, "</div>\n<p class=\"meta\"><a href=\"scalars.csv\">"
	    "scalars.csv</a></p>\n");
}

static void
files_html(struct strbuf *sb, const char *id, const char *title,
    const char *none, const struct file_row *v, size_t n, bool type,
    const char *csv)
{
	static const char *const head_t[] = {
		"Path", "Type", "Size", "Modified", "MD5", NULL
	};
	static const char *const head[] = {
		"Path", "Size", "Modified", "MD5", NULL
	};
	size_t	i;

	strbuf_addf(sb, "<h2 id=\"%s\">%s</h2>\n", id, title);
	if (n == 0) {
		strbuf_addf(sb, "<p>%s</p>\n", none);
		return;
	}
	strbuf_addstr(sb, "<table>\n");
	th_row(sb, type ? head_t : head);
	for (i = 0; i < n; i++) {
		strbuf_addstr(sb, "<tr>");
		td_link(sb, v[i].path, "", v[i].link);
		if (type)
			td(sb, v[i].type, false);
		td(sb, v[i].bytes, true);
		td(sb, v[i].mtime_utc, false);
		strbuf_addstr(sb, "<td><code>");
		html_esc(sb, v[i].md5);
		strbuf_addstr(sb, "</code></td></tr>\n");
	}
	strbuf_addf(sb, "</table>\n<p class=\"meta\"><a href=\"%s\">%s</a></p>\n",
	    csv, csv);
}

/*
 * README.md: Guild's default template (publish-default), rendered.
 */
static void
md_summary(const struct pub *p, struct strbuf *sb)
{
	const struct run_row	*row = p->row;
	struct strbuf		 t = STRBUF_INIT;
	size_t			 i;

	strbuf_addstr(sb,
	    "| ID                   | Operation           | Started          "
	    "        | Time                | Status           | Label        "
	    "        |\n"
	    "| --                   | ---------           | ---------        "
	    "        | ----                | ------           | -----        "
	    "        |\n| ");
	strbuf_addf(sb, "%.8s | ", row->id);
	md_cell(sb, row->op_desc);
	strbuf_addstr(sb, " | ");
	utc_time(&t, row->started);
	/* Guild's nbhyph: a date that does not break at its hyphens. */
	for (i = 0; i < t.len; i++)
		if (t.buf[i] == '-')
			strbuf_addstr(sb, "&#8209;");
		else
			strbuf_addch(sb, t.buf[i]);
	strbuf_addstr(sb, " | ");
	if (row->started > 0 && row->stopped > 0)
		format_duration(sb, row->stopped - row->started);
	else
		strbuf_addstr(sb, "&nbsp;");
	strbuf_addf(sb, " | %s | ", run_status_name(row->status));
	if (row->label != NULL && *row->label != '\0')
		md_cell(sb, row->label);
	else
		strbuf_addstr(sb, "&nbsp;");
	strbuf_addstr(sb, " |\n\n[run.yml](run.yml)");
	strbuf_release(&t);
}

static void
md_files(struct strbuf *sb, const struct file_row *v, size_t n, bool type,
    const char *csv, const char *none)
{
	size_t	i;

	if (n == 0) {
		strbuf_addstr(sb, none);
		return;
	}
	strbuf_addstr(sb, type ? "| Path | Type | Size | Modified | MD5 |\n"
	    "| ---- | ---- | ---- | -------- | --- |\n" :
	    "| Path | Size | Modified | MD5 |\n| ---- | ---- | -------- | --- |\n");
	for (i = 0; i < n; i++) {
		strbuf_addstr(sb, "| ");
		if (v[i].link != NULL) {
			strbuf_addch(sb, '[');
			md_cell(sb, v[i].path);
			strbuf_addstr(sb, "](");
			url_path(sb, v[i].link);
			strbuf_addch(sb, ')');
		} else
			md_cell(sb, v[i].path);
		if (type)
			strbuf_addf(sb, " | %s", v[i].type);
		strbuf_addf(sb, " | %s | %s | %s |\n", v[i].bytes,
		    v[i].mtime_utc, v[i].md5);
	}
	strbuf_addf(sb, "\n[%s](%s)", csv, csv);
}

/* A code fence longer than any run of backticks in text. */
static size_t
fence_len(const char *text)
{
	size_t	run = 0, longest = 0;

	for (; *text != '\0'; text++) {
		run = *text == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return longest >= 3 ? longest + 1 : 3;
}

static void
readme_md(const struct pub *p, struct strbuf *sb, const struct file_row *rf,
    size_t nrf, const struct file_row *sc, size_t nsc)
{
	const struct value	*flags = p->row->flags;
	struct strvec		 names = STRVEC_INIT;
	struct strbuf		 t = STRBUF_INIT;
	size_t			 i, shown = 0, fence;

	strbuf_addstr(sb, "[Published runs](../README.md)\n\n# ");
	md_cell(sb, p->row->op_desc);
	strbuf_addstr(sb, "\n\n");
	md_summary(p, sb);
	strbuf_addstr(sb, "\n\n## Contents\n\n- [Flags](#flags)\n"
	    "- [Scalars](#scalars)\n- [Run Files](#run-files)\n"
	    "- [Source Code](#source-code)\n- [Output](#output)\n\n"
	    "## Flags\n\n");
	if (flags != NULL && flags->type == VALUE_MAP && flags->u.map.n > 0) {
		for (i = 0; i < flags->u.map.n; i++)
			strvec_push(&names, flags->u.map.k[i]);
		strvec_sort(&names);
		strbuf_addstr(sb, "| Name | Value |\n| ---- | ----- |\n");
		for (i = 0; i < names.n; i++) {
			strbuf_addstr(sb, "| ");
			md_cell(sb, names.v[i]);
			strbuf_addstr(sb, " | ");
			strbuf_reset(&t);
			flag_text(&t, value_map_get(flags, names.v[i]));
			md_cell(sb, t.buf);
			strbuf_addstr(sb, " |\n");
		}
		strbuf_addstr(sb, "\n[flags.yml](flags.yml)");
	} else
		strbuf_addstr(sb, "There are no flags for this run.");
	strbuf_addstr(sb, "\n## Scalars\n\n");
	for (i = 0; i < p->sum.n; i++)
		shown += p->sum.v[i].count > 0;
	if (shown > 0) {
		strbuf_addstr(sb, "| Key | Step | Value |\n| --- | ---- | ----- |\n");
		for (i = 0; i < p->sum.n; i++) {
			const struct scalar_stats	*s = &p->sum.v[i];

			if (s->count == 0)
				continue;
			strbuf_addstr(sb, "| ");
			md_cell(sb, s->key);
			strbuf_addf(sb, " | %lld | ", s->last.step);
			format_double(sb, s->last.value);
			strbuf_addstr(sb, " |\n");
		}
		strbuf_addstr(sb, "\n[scalars.csv](scalars.csv)");
	} else
		strbuf_addstr(sb, "There are no scalars for this run.");
	strbuf_addstr(sb, "\n\n## Run Files\n\n");
	md_files(sb, rf, nrf, true, "runfiles.csv",
	    "There are no files for this run.");
	strbuf_addstr(sb, "\n## Source Code\n\n");
	md_files(sb, sc, nsc, false, "sourcecode.csv",
	    "There are no source code files for this run.");
	strbuf_addstr(sb, "\n\n## Output\n\n");
	fence = fence_len(p->output.buf);
	strbuf_addchars(sb, '`', fence);
	strbuf_addch(sb, '\n');
	strbuf_addstr(sb, p->output.buf);
	strbuf_addchars(sb, '`', fence);
	strbuf_addstr(sb, "\n\n[output.txt](output.txt)\n\n");
	strvec_clear(&names);
	strbuf_release(&t);
}

static void
page_html(const struct pub *p, struct strbuf *sb, const struct file_row *rf,
    size_t nrf, const struct file_row *sc, size_t nsc)
{
	const char	*op = p->row->op_desc != NULL ? p->row->op_desc : "";
	char		*title = xasprintf("[%.8s] %s", p->row->id, op);

	page_start(sb, title);
	free(title);
	strbuf_addstr(sb, "<p><a href=\"../index.html\">Published runs</a></p>\n"
	    "<h1>");
	html_esc(sb, op);
	strbuf_addstr(sb, "</h1>\n");
	summary_html(p, sb);
	strbuf_addstr(sb, "<p class=\"meta\"><a href=\"run.yml\">run.yml</a> "
	    "&middot; <a href=\"README.md\">README.md</a></p>\n"
	    "<p><a href=\"#flags\">Flags</a> &middot; <a href=\"#scalars\">"
	    "Scalars</a> &middot; <a href=\"#run-files\">Run Files</a> "
	    "&middot; <a href=\"#source-code\">Source Code</a> &middot; "
	    "<a href=\"#output\">Output</a></p>\n");
	flags_html(p, sb);
	scalars_html(p, sb);
	files_html(sb, "run-files", "Run Files",
	    "There are no files for this run.", rf, nrf, true, "runfiles.csv");
	files_html(sb, "source-code", "Source Code",
	    "There are no source code files for this run.", sc, nsc, false,
	    "sourcecode.csv");
	strbuf_addstr(sb, "<h2 id=\"output\">Output</h2>\n<pre>");
	html_esc(sb, p->output.buf);
	strbuf_addstr(sb, "</pre>\n<p class=\"meta\"><a href=\"output.txt\">"
	    "output.txt</a></p>\n</body>\n</html>\n");
}

static void
pub_release(struct pub *p)
{
	rules_release(&p->rules);
	strvec_clear(&p->seen);
	strvec_clear(&p->copied);
	free(p->sc_root);
	strvec_clear(&p->sc_files);
	run_files_release(&p->files);
	scalars_summary_release(&p->sum);
	strbuf_release(&p->output);
	free(p->why);
	free(p->tmp);
	free(p->template);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether a run file was copied (p->copied is sorted). */
static bool
was_copied(const struct pub *p, const char *path)
{
	return p->copied.n > 0 && bsearch(&path, p->copied.v, p->copied.n,
	    sizeof *p->copied.v, str_cmp) != NULL;
}

/* Write the run's files into p->tmp. */
static int
publish_files(struct pub *p, char **cause)
{
	const struct run_row	*row = p->row;
	struct strbuf		 sb = STRBUF_INIT;
	struct file_row		*rf = NULL, *sc = NULL;
	size_t			 i, nsc = 0;
	char			*path, *plots;
	int			 rc = -1;

	run_yml(p, &sb);
	if (write_text(p->tmp, "run.yml", &sb, cause) == -1)
		goto out;
	strbuf_reset(&sb);
	if (row->flags != NULL && row->flags->type == VALUE_MAP) {
		struct value	*flags = value_dup(row->flags);

		value_map_sort(flags);
		value_encode_yaml(&sb, flags);
		value_free(flags);
	} else
		strbuf_addstr(&sb, "{}\n");
	if (write_text(p->tmp, "flags.yml", &sb, cause) == -1)
		goto out;

	if (output_read(row->dir, output_cb, &p->output, NULL) == -1)
		strbuf_reset(&p->output);
	if (row->dir != NULL && write_text(p->tmp, "output.txt", &p->output,
	    cause) == -1)
		goto out;

	/* A damaged scalar log is a run without scalars, not a failure. */
	if (scalars_summary_read(row->dir, SCALARS_SERIES, &p->sum, NULL) == -1)
		memset(&p->sum, 0, sizeof p->sum);
	strbuf_reset(&sb);
	scalars_csv(p, &sb);
	if (write_text(p->tmp, "scalars.csv", &sb, cause) == -1)
		goto out;
	plots = path_join(p->tmp, "plots");
	for (i = 0; i < p->sum.n; i++) {
		char	*name;

		if (p->sum.v[i].count == 0)
			continue;
		if (mkdir_p(plots, 0777, cause) == -1) {
			free(plots);
			goto out;
		}
		strbuf_reset(&sb);
		plot_svg(&sb, &p->sum.v[i]);
		name = xasprintf("%zu.svg", i + 1);
		rc = write_text(plots, name, &sb, cause);
		free(name);
		if (rc == -1) {
			free(plots);
			goto out;
		}
		rc = -1;
	}
	free(plots);

	/* Source code: listed, and copied under sourcecode/. */
	run_sourcecode(row->dir, &p->sc_root, &p->sc_files);
	sc = xcalloc(p->sc_files.n + 1, sizeof *sc);
	for (i = 0; i < p->sc_files.n; i++) {
		const char	*rel = sc_rel(p, p->sc_files.v[i]);
		char		*src = path_join(row->dir, p->sc_files.v[i]);
		char		*dst = xasprintf("%s/sourcecode/%s", p->tmp, rel);
		struct run_file	 f;
		struct stat	 st, lst;
		bool		 copied;

		memset(&f, 0, sizeof f);
		f.size = -1;
		f.link = lstat(src, &lst) == 0 && S_ISLNK(lst.st_mode);
		if (stat(src, &st) == 0) {
			f.exists = true;
			f.regular = S_ISREG(st.st_mode);
			f.dir = S_ISDIR(st.st_mode);
			f.size = (int64_t)st.st_size;
			f.mtime_us = (int64_t)st.st_mtim.tv_sec * 1000000 +
			    st.st_mtim.tv_nsec / 1000;
		}
		copied = f.regular && copy_file(src, dst, NULL) == 0;
		file_row_init(&sc[nsc++], &f, rel, src, p->o->md5,
		    copied ? xasprintf("sourcecode/%s", rel) : NULL);
		free(src);
		free(dst);
	}
	strbuf_reset(&sb);
	files_csv(sc, nsc, &sb);
	if (write_text(p->tmp, "sourcecode.csv", &sb, cause) == -1)
		goto out;

	/* The other files: all listed, copied as the options say. */
	if (run_files_list(row->dir, RUN_FILES_PUBLISH, &p->sc_files, &p->files,
	    cause) == -1)
		goto out;
	if (p->o->copy != COPY_NONE) {
		if (p->o->copy == COPY_DEFAULT)
			op_rules(row, &p->rules);
		copy_runfiles_dir(p, row->dir, "");
		strvec_sort(&p->copied);
		if (p->why != NULL) {
			warnx_core("run %.8s: %s", row->id, p->why);
			free(p->why);
			p->why = NULL;
		}
	}
	rf = xcalloc(p->files.n + 1, sizeof *rf);
	for (i = 0; i < p->files.n; i++) {
		const struct run_file	*f = &p->files.v[i];
		char			*src = path_join(row->dir, f->path);

		file_row_init(&rf[i], f, f->path, src, p->o->md5,
		    was_copied(p, f->path) ?
		    xasprintf("runfiles/%s", f->path) : NULL);
		free(src);
	}
	strbuf_reset(&sb);
	files_csv(rf, p->files.n, &sb);
	if (write_text(p->tmp, "runfiles.csv", &sb, cause) == -1)
		goto out;

	/* Guild's default template, unless another one is used. */
	strbuf_reset(&sb);
	readme_md(p, &sb, rf, p->files.n, sc, nsc);
	if (p->template == NULL &&
	    write_text(p->tmp, "README.md", &sb, cause) == -1)
		goto out;
	strbuf_reset(&sb);
	page_html(p, &sb, rf, p->files.n, sc, nsc);
	path = path_join(p->tmp, "index.html");
	rc = write_file_atomic(path, sb.buf, sb.len, cause);
	free(path);
out:
	if (rf != NULL)
		file_rows_free(rf, p->files.n);
	if (sc != NULL)
		file_rows_free(sc, nsc);
	strbuf_release(&sb);
	return rc;
}

/* Publish one run to DEST/ID, replacing what was there. */
static int
publish_run(const struct opts *o, const struct run_row *row, char **cause)
{
	struct pub	 p;
	char		*final, *old;
	int		 rc;

	memset(&p, 0, sizeof p);
	p.o = o;
	p.row = row;
	strbuf_init(&p.output);
	p.tmp = xasprintf("%s/.publish-%.8s-XXXXXX", o->dest, row->id);
	if (mkdtemp(p.tmp) == NULL) {
		rc = set_cause(cause, "%s: %s", p.tmp, strerror(errno));
		free(p.tmp);
		p.tmp = NULL;
		pub_release(&p);
		return rc;
	}
	chmod(p.tmp, 0777 & ~process_umask());
	rc = publish_template_find(o->template, row->opref, &p.template,
	    cause);
	if (rc == 0)
		rc = publish_files(&p, cause);
	if (rc == 0 && p.template != NULL)
		rc = publish_template_run(p.template, p.tmp, cause);
	if (rc == 0) {
		final = path_join(o->dest, row->id);
		old = xasprintf("%s.old", p.tmp);
		/* Swap in the new copy, then drop the old one. */
		if (path_exists(final) && rename(final, old) == -1)
			rc = set_cause(cause, "%s: %s", final, strerror(errno));
		else if (rename(p.tmp, final) == -1)
			rc = set_cause(cause, "%s: %s", final, strerror(errno));
		rm_rf(old, NULL);
		free(old);
		free(final);
	}
	if (rc == -1)
		rm_rf(p.tmp, NULL);
	pub_release(&p);
	return rc;
}

/*
 * The index: every DEST/ID/run.yml, newest first.
 */
struct indexed {
	struct value	*info;
	long long	 started;
	char		*dir;
};

static int
indexed_cmp(const void *a, const void *b)
{
	const struct indexed	*x = a, *y = b;

	if (x->started != y->started)
		return x->started < y->started ? 1 : -1;
	return strcmp(x->dir, y->dir);
}

/* A field of run.yml as text: nothing for null or missing. */
static void
info_text(struct strbuf *sb, const struct value *info, const char *key)
{
	const struct value	*v = value_map_get(info, key);

	if (v == NULL || v->type == VALUE_NULL)
		return;
	if (v->type == VALUE_STRING)
		strbuf_addstr(sb, v->u.s);
	else
		value_format_py(sb, v, false);
}

static int
refresh_index(const char *dest, const char *template, char **cause)
{
	struct strvec	 names = STRVEC_INIT;
	struct indexed	*runs = NULL;
	struct strbuf	 md = STRBUF_INIT, html = STRBUF_INIT, t = STRBUF_INIT;
	struct dirent	*de;
	DIR		*d;
	size_t		 n = 0, i, k;
	int		 rc;
	static const char *const head[] = {
		"ID", "Operation", "Started", "Time", "Status", "Label", NULL
	};
	static const char *const keys[] = {
		"operation", "started", "time", "status", "label"
	};

	if ((d = opendir(dest)) == NULL)
		return set_cause(cause, "%s: %s", dest, strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			strvec_push(&names, de->d_name);
	closedir(d);
	runs = xcalloc(names.n + 1, sizeof *runs);
	for (i = 0; i < names.n; i++) {
		struct strbuf	 yml = STRBUF_INIT;
		struct value	*info, *ep;
		char		*path = xasprintf("%s/%s/run.yml", dest,
				    names.v[i]);

		if (file_read_regular(AT_FDCWD, path, FILE_NOFOLLOW,
		    FILE_ATTR_MAX, &yml, NULL, NULL) == 0 &&
		    (info = yaml_parse_value(yml.buf, yml.len, NULL)) != NULL) {
			if (info->type == VALUE_MAP) {
				runs[n].info = info;
				runs[n].dir = names.v[i];
				ep = value_map_get(info, "started_epoch");
				runs[n].started = ep != NULL &&
				    ep->type == VALUE_INT ? ep->u.i : 0;
				n++;
			} else
				value_free(info);
		}
		strbuf_release(&yml);
		free(path);
	}
	qsort(runs, n, sizeof *runs, indexed_cmp);

	/* Guild's runs-index/README.md. */
	strbuf_addstr(&md, "# Published runs\n\n"
	    "| ID | Operation | Started | Time | Status | Label |\n"
	    "| -- | --------- | ------- | ---- | ------ | ----- |\n");
	page_start(&html, "Published runs");
	strbuf_addstr(&html, "<h1>Published runs</h1>\n<table>\n");
	th_row(&html, head);
	for (i = 0; i < n; i++) {
		const char	*dir = runs[i].dir;

		strbuf_reset(&t);
		info_text(&t, runs[i].info, "id");
		strbuf_addstr(&md, "| [");
		if (t.len > 8)
			strbuf_setlen(&t, 8);
		md_cell(&md, t.buf);
		strbuf_addstr(&md, "](");
		url_path(&md, dir);
		strbuf_addstr(&md, "/README.md)");
		strbuf_addstr(&html, "<tr><td><a href=\"");
		url_path(&html, dir);
		strbuf_addstr(&html, "/index.html\"><code>");
		html_esc(&html, t.buf);
		strbuf_addstr(&html, "</code></a></td>");
		for (k = 0; k < ARRAY_SIZE(keys); k++) {
			strbuf_reset(&t);
			info_text(&t, runs[i].info, keys[k]);
			strbuf_addstr(&md, " | ");
			if (t.len == 0 && k > 0)
				strbuf_addstr(&md, "&nbsp;");
			else
				md_cell(&md, t.buf);
			if (k == 3)
				strbuf_addf(&html, "<td class=\"status-%s\">",
				    strspn(t.buf, "abcdefghijklmnopqrstuvwxyz") ==
				    t.len ? t.buf : "other");
			else
				strbuf_addstr(&html, "<td>");
			html_esc(&html, t.buf);
			strbuf_addstr(&html, "</td>");
		}
		strbuf_addstr(&md, " |\n");
		strbuf_addstr(&html, "</tr>\n");
	}
	strbuf_addstr(&md, "\n");
	strbuf_addstr(&html, "</table>\n</body>\n</html>\n");
	rc = write_text(dest, "README.md", &md, cause);
	if (rc == 0)
		rc = write_text(dest, "index.html", &html, cause);
	if (rc == 0 && template != NULL) {
		struct value	*list = value_list();

		for (i = 0; i < n; i++)
			value_list_push(list, value_dup(runs[i].info));
		rc = publish_template_index(template, dest, list, cause);
		value_free(list);
	}
	for (i = 0; i < n; i++)
		value_free(runs[i].info);
	free(runs);
	strvec_clear(&names);
	strbuf_release(&md);
	strbuf_release(&html);
	strbuf_release(&t);
	return rc;
}

/* DEST, and the marker that keeps it out of source code snapshots. */
static int
init_dest(const char *dest, char **cause)
{
	struct strbuf	 empty = STRBUF_INIT;
	char		*marker;
	int		 rc = 0;

	if (mkdir_p(dest, 0777, cause) == -1)
		return -1;
	marker = path_join(dest, ".guild-nocopy");
	if (!path_exists(marker))
		rc = write_text(dest, ".guild-nocopy", &empty, cause);
	free(marker);
	return rc;
}

static int
cmd_publish_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	static const struct cmd_runs_op	 op = {
		.nothing = "No runs to publish.",
		.default_yes = true,
	};
	struct runindex		*idx;
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct opts		 o;
	char			*cause = NULL, *intro;
	size_t			 i, j;
	int			 rc;

	if (cmd_arg_has(a, O_FILES) && cmd_arg_has(a, O_ALL_FILES))
		return cli_error("--files and --all-files cannot both be used");
	memset(&o, 0, sizeof o);
	o.dest = cmd_arg_value(a, O_DEST);
	if (o.dest == NULL || *o.dest == '\0')
		o.dest = DEFAULT_DEST;
	o.copy = cmd_arg_has(a, O_ALL_FILES) ? COPY_ALL :
	    cmd_arg_has(a, O_FILES) || cmd_arg_has(a, O_INCLUDE_LINKS) ?
	    COPY_DEFAULT : COPY_NONE;
	o.links = cmd_arg_has(a, O_INCLUDE_LINKS);
	o.md5 = !cmd_arg_has(a, O_NO_MD5);
	o.template = cmd_arg_value(a, O_TEMPLATE);
	o.index_template = cmd_arg_value(a, O_INDEX_TEMPLATE);

	if (cmd_arg_has(a, O_REFRESH_INDEX)) {
		printf("Refreshing runs index in %s\n", cli_field(stdout, o.dest));
		fflush(stdout);
		if (!path_is_dir(o.dest))
			return cli_error("%s: no published runs there", o.dest);
		if (refresh_index(o.dest, o.index_template, &cause) == -1) {
			rc = cli_error("error refreshing index: %s", cause);
			free(cause);
			return rc;
		}
		print_dir_size("Published runs using ", o.dest);
		return 0;
	}

	if ((rc = cmd_runs_select(ctx, a, NULL, NULL, false,
	    RUNINDEX_FLAGS | RUNINDEX_ATTRS, &idx, &rows)) != 0)
		return rc;
	runindex_close(idx);
	if (!cmd_arg_has(a, O_INCLUDE_BATCH)) {
		for (i = 0, j = 0; i < rows.n; i++)
			if (is_batch(rows.v[i]))
				run_row_free(rows.v[i]);
			else
				rows.v[j++] = rows.v[i];
		rows.n = j;
	}
	intro = xasprintf("You are about to publish the following run(s) to %s:",
	    o.dest);
	if (!cmd_runs_op_start(&op, &rows, cmd_arg_has(a, O_YES), intro,
	    "Continue?")) {
		free(intro);
		run_rows_release(&rows);
		return 0;
	}
	free(intro);
	if (init_dest(o.dest, &cause) == -1) {
		run_rows_release(&rows);
		return cli_error_cause(cause);
	}
	for (i = 0; i < rows.n; i++) {
		const struct run_row	*row = rows.v[i];
		char			*dir;

		printf("Publishing [%.8s] %s... ", row->id,
		    cli_field(stdout, row->op_desc != NULL ? row->op_desc : ""));
		fflush(stdout);
		if (publish_run(&o, row, &cause) == -1) {
			printf("\n");
			fflush(stdout);
			rc = cli_error("error publishing run %s:\n%s", row->id,
			    cause);
			free(cause);
			cause = NULL;
			break;
		}
		dir = path_join(o.dest, row->id);
		print_dir_size("using ", dir);
		free(dir);
	}
	run_rows_release(&rows);
	if (rc == 0) {
		printf("Refreshing runs index\n");
		fflush(stdout);
		if (refresh_index(o.dest, o.index_template, &cause) == -1)
			rc = cli_error("error refreshing index: %s", cause);
		free(cause);
	}
	print_dir_size("Published runs using ", o.dest);
	return rc;
}

const struct cmd_entry cmd_publish_entry = {
	.name = "publish",
	.usage = "[RUN...]",
	.summary = "Publish one or more runs.",
	.description =
	    "Writes a static report of the runs (all runs without RUN\n"
	    "arguments) to DIR ('published-runs' by default): DIR/index.html\n"
	    "and DIR/README.md list the published runs, and each run gets\n"
	    "DIR/ID/index.html (its flags, scalars with a plot per key,\n"
	    "files, source code and output), readable in a browser without\n"
	    "a server, and Guild's files: run.yml, flags.yml, output.txt,\n"
	    "scalars.csv, runfiles.csv, sourcecode.csv, README.md and the\n"
	    "source code under sourcecode/. Run files are copied under\n"
	    "runfiles/ with --files or --all-files. --template and\n"
	    "--index-template render Jinja2 templates as Guild does (with\n"
	    "python3's Jinja2).",
	.options = publish_options,
	.filter_options = run_filter_options,
	.exec = cmd_publish_exec,
};
