/*
 * runread.c: reading run directories into the run index's records, and
 * the stamps that tell when to read them again.
 */
#include "common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filterexpr.h"
#include "run.h"
#include "runread.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

/*
 * Stamps newer than this are not trusted: file times come from a coarse
 * clock (and are whole seconds on some file systems), so a change right
 * after a read can leave the same stamp. GUILD_INDEX_RACY_MS overrides it
 * (tests set 0 to exercise the stamps without waiting).
 */
#define RACY_NS		(2LL * 1000 * 1000 * 1000)
static int64_t		racy_ns = RACY_NS;

void
run_stamp_set_racy_ns(int64_t ns)
{
	racy_ns = ns;
}

/*
 * Attrs rewritten in place (Guild AI does not rename over them, a person
 * may edit them), so their directory's stamp does not change: each is
 * stamped on its own. The order gives the bits of "editable".
 */
static const char *const editable_attrs[RUN_EDITABLE_N] = {
	"label", "tags", "marked", "comments", "exit_status",
};
/* The longest of them, for path buffers. */
#define EDITABLE_REL_MAX	sizeof "/.guild/attrs/exit_status"

/* Stamps. */

static void
mix(struct run_stamper *s, uint64_t v)
{
	s->h ^= v;
	s->h *= 0x100000001b3ULL;
	s->h ^= s->h >> 29;
}

static int64_t
ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

void
run_stamper_u64(struct run_stamper *s, uint64_t v)
{
	mix(s, v);
}

void
run_stamper_stat(struct run_stamper *s, const struct stat *st)
{
	int64_t	m = ts_ns(&st->st_mtim), c = ts_ns(&st->st_ctim);

	mix(s, (uint64_t)st->st_ino);
	mix(s, (uint64_t)st->st_size);
	mix(s, (uint64_t)m);
	mix(s, (uint64_t)c);
	if (m > s->newest)
		s->newest = m;
	if (c > s->newest)
		s->newest = c;
}

void
run_stamper_missing(struct run_stamper *s)
{
	mix(s, 0x6d697373696e67ULL);
}

/* The stamp, or 0 when something changed too recently to trust it. */
uint64_t
run_stamper_final(const struct run_stamper *s, int64_t now)
{
	if (s->newest > now - racy_ns)
		return 0;
	return s->h != 0 ? s->h : 1;
}

/* One file's own stamp (RUN_FST_x), never 0 (0 is "missing"). */
static uint64_t
file_stamp(const struct stat *st)
{
	struct run_stamper	s = RUN_STAMPER_INIT;

	run_stamper_stat(&s, st);
	return s.h != 0 ? s.h : 1;
}

/* dfd/rel: stat into the stamper (missing counts too); 0 or -1. */
static int
run_stamper_path(struct run_stamper *s, int dfd, const char *rel)
{
	struct stat	st;

	if (fstatat(dfd, rel, &st, 0) == -1) {
		run_stamper_missing(s);
		return -1;
	}
	run_stamper_stat(s, &st);
	return 0;
}

/*
 * What verification recomputes: .guild, attrs, the editable attrs. Hot
 * (once per row handed out): paths are built on the stack when they fit.
 */
uint64_t
run_stamp(int dfd, const char *id, unsigned editable, int64_t now)
{
	struct run_stamper	 s = RUN_STAMPER_INIT;
	char		 buf[256], *rel;
	size_t		 i, len = strlen(id);

	if (len + EDITABLE_REL_MAX > sizeof buf)
		rel = xmalloc(len + EDITABLE_REL_MAX);
	else
		rel = buf;
	memcpy(rel, id, len);
	memcpy(rel + len, "/.guild", sizeof "/.guild");
	if (run_stamper_path(&s, dfd, rel) == -1) {
		if (rel != buf)
			free(rel);
		return 0;
	}
	memcpy(rel + len, "/.guild/attrs", sizeof "/.guild/attrs");
	run_stamper_path(&s, dfd, rel);
	for (i = 0; i < ARRAY_SIZE(editable_attrs); i++) {
		if (~editable & (1U << i))
			continue;
		rel[len + sizeof "/.guild/attrs" - 1] = '/';
		memcpy(rel + len + sizeof "/.guild/attrs", editable_attrs[i],
		    strlen(editable_attrs[i]) + 1);
		run_stamper_path(&s, dfd, rel);
	}
	if (rel != buf)
		free(rel);
	return run_stamper_final(&s, now);
}

/* Whether dfd/rel still has file stamp want (0: missing) and is old enough. */
static bool
same_at(int dfd, const char *rel, uint64_t want, int64_t now)
{
	struct stat	st;

	if (fstatat(dfd, rel, &st, 0) == -1)
		return want == 0;
	return want == file_stamp(&st) && ts_ns(&st.st_mtim) <= now - racy_ns &&
	    ts_ns(&st.st_ctim) <= now - racy_ns;
}

/*
 * Whether the files of watch (not RUN_WATCH_FULL) still have the stamps
 * fst: one stat per watched column, of its attr if it existed, else of
 * the attrs directory (creating the attr changes that).
 */
static bool
run_watch_same(int dfd, const char *id, unsigned editable, unsigned watch,
    const uint64_t *fst, int64_t now)
{
	char		 buf[256], *rel, *end;
	size_t		 i, len = strlen(id);
	bool		 same = true, dir = false;

	if (len + EDITABLE_REL_MAX > sizeof buf)
		rel = xmalloc(len + EDITABLE_REL_MAX);
	else
		rel = buf;
	memcpy(rel, id, len);
	end = rel + len;
	if (watch & (1U << RUN_FST_GUILD)) {
		memcpy(end, "/.guild", sizeof "/.guild");
		same = same_at(dfd, rel, fst[RUN_FST_GUILD], now);
	}
	for (i = 0; i < RUN_EDITABLE_N && same; i++) {
		if (~watch & RUN_WATCH_ATTR(i))
			continue;
		if (~editable & (1U << i)) {
			dir = true;
			continue;
		}
		memcpy(end, "/.guild/attrs/", sizeof "/.guild/attrs/" - 1);
		memcpy(end + sizeof "/.guild/attrs/" - 1, editable_attrs[i],
		    strlen(editable_attrs[i]) + 1);
		same = same_at(dfd, rel, fst[RUN_FST_ATTR0 + i], now);
	}
	if (same && dir) {
		memcpy(end, "/.guild/attrs", sizeof "/.guild/attrs");
		same = same_at(dfd, rel, fst[RUN_FST_ATTRS], now);
	}
	if (rel != buf)
		free(rel);
	return same;
}

/* Stamps of many rows at once: the stat calls are most of "runs -a". */
struct stamp_job {
	int			 dfd;
	const char *const	*ids;
	const unsigned		*editable;
	unsigned		 watch;
	const uint64_t		*fst;	/* RUN_FST_N per row, or NULL */
	uint64_t		*out;
	size_t			 n;
	int64_t			 now;
};

static void *
stamp_worker(void *arg)
{
	struct stamp_job	*job = arg;
	size_t			 i;

	for (i = 0; i < job->n; i++) {
		if (job->watch & RUN_WATCH_FULL)
			job->out[i] = run_stamp(job->dfd, job->ids[i],
			    job->editable[i], job->now);
		else
			job->out[i] = run_watch_same(job->dfd, job->ids[i],
			    job->editable[i], job->watch,
			    job->fst + i * RUN_FST_N, job->now);
	}
	return NULL;
}

/* Path lookups scale with cores; everything else stays single-threaded. */
void
run_stamps(int dfd, const char *const *ids, const unsigned *editable,
    unsigned watch, const uint64_t *fst, size_t n, int64_t now,
    uint64_t *out)
{
	enum { MAX_THREADS = 4, PER_THREAD = 2000 };
	struct stamp_job	 jobs[MAX_THREADS];
	pthread_t		 tids[MAX_THREADS];
	bool			 started[MAX_THREADS];
	long			 cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t			 nt, i, chunk;

	nt = n / PER_THREAD;
	if (cpus > 0 && nt > (size_t)cpus)
		nt = (size_t)cpus;
	if (nt > MAX_THREADS)
		nt = MAX_THREADS;
	if (nt < 2) {
		struct stamp_job	job = { dfd, ids, editable, watch, fst,
					    out, n, now };

		stamp_worker(&job);
		return;
	}
	chunk = (n + nt - 1) / nt;
	for (i = 0; i < nt; i++) {
		size_t	from = i * chunk;

		jobs[i].dfd = dfd;
		jobs[i].ids = ids + from;
		jobs[i].editable = editable + from;
		jobs[i].watch = watch;
		jobs[i].fst = fst != NULL ? fst + from * RUN_FST_N : NULL;
		jobs[i].out = out + from;
		jobs[i].n = from + chunk > n ? n - from : chunk;
		jobs[i].now = now;
		/* The first chunk is ours; a failed thread's too. */
		started[i] = i > 0 && pthread_create(&tids[i], NULL,
		    stamp_worker, &jobs[i]) == 0;
	}
	for (i = 0; i < nt; i++) {
		if (!started[i])
			stamp_worker(&jobs[i]);
	}
	for (i = 1; i < nt; i++) {
		if (started[i])
			pthread_join(tids[i], NULL);
	}
}

/* Reading run directories. */

/*
 * A small file of a run (an attr, the opref), with its stat (for stamps):
 * regular and at most FILE_ATTR_MAX bytes, or -1 with errno and cause.
 */
static int
read_small(int dfd, const char *rel, struct strbuf *sb, struct stat *st,
    char **cause)
{
	return file_read_regular(dfd, rel, FILE_NOFOLLOW, FILE_ATTR_MAX, sb, st,
	    cause);
}

/*
 * Keep the first reason run id is bad (cause, about "id/..."), relative
 * to its directory. A missing file is no problem. Frees cause.
 */
static void
note_problem(struct run_rec *r, const char *id, int err, char *cause)
{
	size_t	len = strlen(id);

	if (err != ENOENT && err != ENOTDIR && r->row.problem == NULL &&
	    cause != NULL) {
		if (strncmp(cause, id, len) == 0 && cause[len] == '/')
			r->row.problem = xstrdup(cause + len + 1);
		else
			r->row.problem = xstrdup(cause);
	}
	free(cause);
}

/* Plain decimal integer text (what Guild writes for ints). */
static bool
text_int(const char *s, long long *out)
{
	char		*end;
	long long	 v;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || (!isdigit((unsigned char)*s) && *s != '-'))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return false;
	*out = v;
	return true;
}

/*
 * An attr's value: plain one-line scalars skip libyaml (most labels,
 * digests); anything else is parsed as YAML. NULL when unreadable.
 */
static struct value *
parse_attr(const struct strbuf *sb)
{
	const char	*s = sb->buf, *p;
	size_t		 len = sb->len;
	long long	 n;

	if (text_int(s, &n))
		return value_int(n);
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (len > 0 && (isalnum((unsigned char)*s) || *s == '/' ||
	    *s == '_' || *s == '.') && memchr(s, '\n', len) == NULL &&
	    !isspace((unsigned char)s[len - 1])) {
		for (p = s; p < s + len; p++) {
			if ((*p == ':' && (p + 1 == s + len || p[1] == ' ')) ||
			    (*p == '#' && p > s && p[-1] == ' ') ||
			    (unsigned char)*p < 0x20)
				break;
		}
		if (p == s + len)
			return value_from_plain_scalar(s, len);
	}
	return yaml_parse_value(s, sb->len, NULL);
}

static char *
value_text(const struct value *v)
{
	struct strbuf	sb = STRBUF_INIT;

	if (v == NULL || v->type == VALUE_NULL)
		return xstrdup("");
	if (v->type == VALUE_STRING)
		return xstrdup(v->u.s);
	value_encode_flow(&sb, v);
	return strbuf_detach(&sb, NULL);
}

static void
add_lower(struct strbuf *sb, const struct value *v)
{
	char	*t = value_text(v), *p;

	for (p = t; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	strbuf_addstr(sb, t);
	free(t);
}

void
run_rec_free(struct run_rec *r)
{
	if (r == NULL)
		return;
	free(r->row.id);
	free(r->row.dir);
	free(r->row.opref);
	free(r->row.pkg_name);
	free(r->row.model);
	free(r->row.op);
	free(r->row.op_desc);
	free(r->row.label);
	strvec_clear(&r->row.tags);
	free(r->row.sourcecode_digest);
	free(r->row.problem);
	free(r->tags_col);
	free(r->comments);
	free(r->attr_names);
	free(r);
}

void
run_recs_clear(struct run_recs *rs)
{
	size_t	i;

	for (i = 0; i < rs->n; i++)
		run_rec_free(rs->v[i]);
	free(rs->v);
	memset(rs, 0, sizeof *rs);
}

static bool
exists_at(int dfd, const char *id, const char *name)
{
	struct stat	 st;
	char		*rel = xasprintf("%s/.guild/%s", id, name);
	bool		 r = fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0;

	free(rel);
	return r;
}

/* Run directories read by run_read(): run_read_count(). */
static unsigned long	run_read_count_;

unsigned long
run_read_count(void)
{
	return run_read_count_;
}

/*
 * The names in RUN/.guild/attrs, sorted, into r->attr_names; the first
 * attr that is not a regular file (or flags too large) is the problem.
 */
static void
read_attr_names(struct run_rec *r, int dfd, const char *id,
    struct run_stamper *s, struct strvec *attrs)
{
	struct strbuf	 names = STRBUF_INIT;
	struct stat	 st;
	DIR		*d;
	struct dirent	*de;
	char		*rel;
	size_t		 i;
	int		 afd;

	rel = xasprintf("%s/.guild/attrs", id);
	afd = openat(dfd, rel, O_RDONLY|O_DIRECTORY|O_CLOEXEC);
	free(rel);
	if (afd != -1 && fstat(afd, &st) == 0) {
		run_stamper_stat(s, &st);
		r->fst[RUN_FST_ATTRS] = file_stamp(&st);
	}
	else
		run_stamper_missing(s);
	if (afd != -1 && (d = fdopendir(afd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			strvec_push(attrs, de->d_name);
			/*
			 * Every attr is checked by type (free here), the ones
			 * read below by size too, and flags (read in bulk when
			 * filtering) by size now.
			 */
			if (r->row.problem == NULL &&
			    de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
				r->row.problem = xasprintf(".guild/attrs/%s: "
				    "not a regular file", de->d_name);
			else if (r->row.problem == NULL &&
			    strcmp(de->d_name, "flags") == 0 &&
			    fstatat(dirfd(d), "flags", &st,
			    AT_SYMLINK_NOFOLLOW) == 0) {
				if (!S_ISREG(st.st_mode))
					r->row.problem = xstrdup(".guild/attrs/"
					    "flags: not a regular file");
				else if (st.st_size > FILE_ATTR_MAX)
					r->row.problem = xasprintf(
					    ".guild/attrs/flags: larger than "
					    "%d bytes", FILE_ATTR_MAX);
			}
		}
		closedir(d);
	} else if (afd != -1)
		close(afd);
	strvec_sort(attrs);
	for (i = 0; i < attrs->n; i++) {
		strbuf_addch(&names, RUN_REC_SEP);
		strbuf_addstr(&names, attrs->v[i]);
	}
	if (names.len > 0)
		strbuf_addch(&names, RUN_REC_SEP);
	r->attr_names = strbuf_detach(&names, NULL);
}

/* The operation of a parsed opref, as lists show it. */
static void
set_operation(struct run_rec *r, int dfd, const char *id,
    const struct opref *ref)
{
	struct opref	 proto;
	struct strbuf	 psb = STRBUF_INIT;
	struct stat	 pst;
	char		*rel;

	r->row.model = xstrdup(ref->model);
	r->row.op = xstrdup(ref->op);
	/*
	 * A batch (builtin "+", "random", ...) is shown by its
	 * prototype's operation, as Guild does: "train+",
	 * "fashion:train+random"; its project is the prototype's.
	 */
	rel = xasprintf("%s/.guild/proto/.guild/opref", id);
	if (strcmp(ref->pkg_type, "builtin") == 0 &&
	    read_small(dfd, rel, &psb, &pst, NULL) == 0 &&
	    memchr(psb.buf, '\0', psb.len) == NULL &&
	    opref_parse(psb.buf, &proto, NULL) == 0) {
		/*
		 * The project is the guild.yml's directory (see
		 * run_row_project_dir); a script's pkg_name is the
		 * directory itself, so it stands as DIR/guild.yml here.
		 */
		if (strcmp(proto.pkg_type, "script") == 0)
			r->row.pkg_name = path_join(proto.pkg_name,
			    "guild.yml");
		else
			r->row.pkg_name = xstrdup(proto.pkg_name);
		r->row.op_desc = xasprintf("%s%s%s+%s", proto.model,
		    *proto.model != '\0' ? ":" : "", proto.op,
		    strcmp(ref->op, "+") == 0 ? "" : ref->op);
		opref_clear(&proto);
	} else {
		r->row.pkg_name = xstrdup(ref->pkg_name);
		if (strcmp(ref->pkg_type, "package") == 0)
			r->row.op_desc = xasprintf("%s/%s%s%s", ref->pkg_name,
			    ref->model, *ref->model != '\0' ? ":" : "",
			    ref->op);
		else if (strcmp(ref->pkg_type, "guildfile") == 0 &&
		    *ref->model != '\0')
			r->row.op_desc = xasprintf("%s:%s", ref->model,
			    ref->op);
		else
			r->row.op_desc = xstrdup(ref->op);
	}
	free(rel);
	strbuf_release(&psb);
}

/*
 * The opref makes it a run: -1 when there is none. One that is there but
 * unreadable or not an opref is a bad run, not no run.
 */
static int
read_opref(struct run_rec *r, int dfd, const char *id)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct opref	 ref;
	struct stat	 st;
	char		*rel, *why = NULL;

	rel = xasprintf("%s/.guild/opref", id);
	if (read_small(dfd, rel, &sb, &st, &why) == -1) {
		int	err = errno;

		free(rel);
		if (err == ENOENT || err == ENOTDIR) {
			free(why);
			strbuf_release(&sb);
			return -1;
		}
		/* There but unreadable: a bad run, not no run. */
		free(r->row.problem);
		r->row.problem = NULL;
		note_problem(r, id, err, why);
		strbuf_reset(&sb);
	} else
		free(rel);
	r->row.opref = xstrdup(sb.buf);
	if (memchr(sb.buf, '\0', sb.len) == NULL &&
	    opref_parse(sb.buf, &ref, NULL) == 0) {
		set_operation(r, dfd, id, &ref);
		opref_clear(&ref);
	} else {
		r->row.pkg_name = xstrdup("");
		r->row.model = xstrdup("");
		r->row.op = xstrdup("");
		r->row.op_desc = xstrdup("");
	}
	strbuf_release(&sb);
	return 0;
}

/* The tags attr: a list, kept as values and as a search column. */
static void
set_tags(struct run_rec *r, const struct value *v)
{
	struct strbuf	col = STRBUF_INIT;
	size_t		j;

	for (j = 0; j < v->u.list.n; j++) {
		char	*t = value_text(v->u.list.v[j]);

		strvec_push(&r->row.tags, t);
		strbuf_addch(&col, RUN_REC_SEP);
		strbuf_addstr(&col, t);
		free(t);
	}
	if (col.len > 0)
		strbuf_addch(&col, RUN_REC_SEP);
	free(r->tags_col);
	r->tags_col = strbuf_detach(&col, NULL);
}

/* Guild's -Fc text: user, host, body, lowercased. */
static void
set_comments(struct run_rec *r, const struct value *v)
{
	struct strbuf	text = STRBUF_INIT;
	size_t		j;

	for (j = 0; j < v->u.list.n; j++) {
		const struct value	*c = v->u.list.v[j];

		if (j > 0)
			strbuf_addch(&text, '\n');
		add_lower(&text, value_map_get(c, "user"));
		strbuf_addch(&text, '\n');
		add_lower(&text, value_map_get(c, "host"));
		strbuf_addch(&text, '\n');
		add_lower(&text, value_map_get(c, "body"));
	}
	free(r->comments);
	r->comments = strbuf_detach(&text, NULL);
}

/* Whether the index reads attr name: the editable ones and the times. */
static bool
attr_wanted(const char *name, size_t *e)
{
	for (*e = 0; *e < ARRAY_SIZE(editable_attrs); (*e)++) {
		if (strcmp(name, editable_attrs[*e]) == 0)
			return true;
	}
	return strcmp(name, "initialized") == 0 ||
	    strcmp(name, "started") == 0 ||
	    strcmp(name, "stopped") == 0 ||
	    strcmp(name, "sourcecode_digest") == 0;
}

/* One attr's text into the record; the exit status into *ex. */
static void
set_attr(struct run_rec *r, const char *name, const struct strbuf *sb,
    enum run_exit *ex)
{
	struct value	*v;
	long long	 n;

	if (strcmp(name, "initialized") == 0) {
		if (text_int(sb->buf, &n))
			r->row.initialized = n;
		return;
	}
	if (strcmp(name, "started") == 0) {
		if (text_int(sb->buf, &n))
			r->row.started = n;
		return;
	}
	if (strcmp(name, "stopped") == 0) {
		if (text_int(sb->buf, &n))
			r->row.stopped = n;
		return;
	}
	v = parse_attr(sb);
	if (strcmp(name, "exit_status") == 0) {
		/* Null is no exit status; anything else is an error. */
		if (v != NULL && v->type == VALUE_INT &&
		    v->u.i >= INT_MIN && v->u.i <= INT_MAX) {
			r->row.has_exit_status = true;
			r->row.exit_status = (int)v->u.i;
			*ex = RUN_EXIT_INT;
		} else if (v == NULL || v->type != VALUE_NULL)
			*ex = RUN_EXIT_OTHER;
	} else if (strcmp(name, "sourcecode_digest") == 0) {
		if (v != NULL && v->type != VALUE_NULL)
			r->row.sourcecode_digest = value_text(v);
	} else if (strcmp(name, "label") == 0) {
		free(r->row.label);
		r->row.label = value_text(v);
	} else if (strcmp(name, "marked") == 0) {
		r->row.marked = filterexpr_truth(v);
	} else if (strcmp(name, "tags") == 0 && v != NULL &&
	    v->type == VALUE_LIST)
		set_tags(r, v);
	else if (strcmp(name, "comments") == 0 && v != NULL &&
	    v->type == VALUE_LIST)
		set_comments(r, v);
	value_free(v);
}

/*
 * The attrs the index keeps, then the editable ones' stats into the
 * stamp (in run_stamp()'s order: theirs, not the directory's).
 */
static void
read_attrs(struct run_rec *r, int dfd, const char *id,
    const struct strvec *attrs, struct run_stamper *s, enum run_exit *ex)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct stat	 st, est[ARRAY_SIZE(editable_attrs)];
	char		*rel, *why = NULL;
	size_t		 i, e;

	r->row.label = xstrdup("");
	r->tags_col = xstrdup("");
	r->comments = xstrdup("");
	for (i = 0; i < attrs->n; i++) {
		const char	*name = attrs->v[i];

		if (!attr_wanted(name, &e))
			continue;
		rel = xasprintf("%s/.guild/attrs/%s", id, name);
		strbuf_reset(&sb);
		if (read_small(dfd, rel, &sb, &st, &why) == -1) {
			int	err = errno;

			free(rel);
			note_problem(r, id, err, why);
			why = NULL;
			continue;
		}
		free(rel);
		if (e < ARRAY_SIZE(editable_attrs)) {
			r->editable |= 1U << e;
			est[e] = st;
		}
		set_attr(r, name, &sb, ex);
	}
	strbuf_release(&sb);
	for (i = 0; i < ARRAY_SIZE(editable_attrs); i++) {
		if (r->editable & (1U << i)) {
			run_stamper_stat(s, &est[i]);
			r->fst[RUN_FST_ATTR0 + i] = file_stamp(&est[i]);
		}
	}
}

/* Status by run_status_decide(), from what was read. */
static void
set_status(struct run_rec *r, int dfd, const char *id, enum run_exit ex)
{
	struct run_state	state = { 0 };
	struct run		run;

	run.id = r->row.id;
	run.path = r->row.dir;
	run.guild = path_join(r->row.dir, ".guild");
	state.remote = exists_at(dfd, id, "LOCK.remote");
	state.pending = exists_at(dfd, id, "PENDING");
	state.staged = exists_at(dfd, id, "STAGED");
	state.exit = ex;
	state.exit_status = r->row.exit_status;
	r->row.status = run_status_decide(&run, &state);
	/* A finished run with a file that cannot be read is broken. */
	if (r->row.problem != NULL && (r->row.status == RUN_STATUS_COMPLETED ||
	    r->row.status == RUN_STATUS_TERMINATED))
		r->row.status = RUN_STATUS_ERROR;
	if (r->row.status == RUN_STATUS_RUNNING && !state.remote)
		r->row.pid = run_lock_pid(&run);
	free(run.guild);
}

/*
 * Read run base/id (dfd is base, open). NULL when it is not a run (no
 * opref, or gone). Best effort otherwise: unreadable attrs are missing.
 */
struct run_rec *
run_read(const char *base, int dfd, const char *id, bool deleted,
    int64_t now)
{
	struct run_stamper	 s = RUN_STAMPER_INIT;
	struct strvec		 attrs = STRVEC_INIT;
	struct stat		 st;
	struct run_rec		*r;
	enum run_exit		 ex = RUN_EXIT_NONE;
	char			*rel;

	run_read_count_++;
	rel = xasprintf("%s/.guild", id);
	if (fstatat(dfd, rel, &st, 0) == -1 || !S_ISDIR(st.st_mode)) {
		free(rel);
		return NULL;
	}
	free(rel);
	run_stamper_stat(&s, &st);

	r = xcalloc(1, sizeof *r);
	r->row.id = xstrdup(id);
	r->row.dir = path_join(base, id);
	r->row.deleted = deleted;
	r->row.index = -1;
	r->fst[RUN_FST_GUILD] = file_stamp(&st);
	read_attr_names(r, dfd, id, &s, &attrs);
	if (read_opref(r, dfd, id) == -1) {
		strvec_clear(&attrs);
		run_rec_free(r);
		return NULL;
	}
	read_attrs(r, dfd, id, &attrs, &s, &ex);
	strvec_clear(&attrs);
	r->ts = r->row.started > 0 ? r->row.started : r->row.initialized;
	set_status(r, dfd, id, ex);

	r->stamp = run_stamper_final(&s, now);
	r->check = r->stamp == 0 || r->row.status == RUN_STATUS_RUNNING ||
	    r->row.status == RUN_STATUS_PENDING ||
	    r->row.status == RUN_STATUS_STAGED ||
	    (r->row.status == RUN_STATUS_ERROR && !r->row.has_exit_status);
	return r;
}
