/* runcheck.c: a pipeline step's expect: checks (see runcheck.h). */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "output.h"
#include "regex.h"
#include "runcheck.h"
#include "scalars.h"
#include "strbuf.h"
#include "strvec.h"
#include "termsafe.h"
#include "util.h"
#include "value.h"
#include "xmalloc.h"

/* A file that a check reads whole (contains:, compare-to:). */
#define CHECK_FILE_MAX	(64 * 1024 * 1024)
/* What a message quotes of text from a run. */
#define QUOTE_MAX	60

enum agg { AGG_LAST, AGG_MIN, AGG_MAX };
static const char *const agg_names[] = { "last", "min", "max" };

enum cmp { CMP_GE, CMP_GT, CMP_LE, CMP_LT, CMP_EQ, CMP_NE };
static const char *const cmp_names[] = { ">=", ">", "<=", "<", "==", "!=" };

struct scalar_test {
	enum agg	 agg;
	char		*key;
	enum cmp	 cmp;
	double		 number;
	char		*number_text;	/* as written */
};

static void
scalar_test_clear(struct scalar_test *t)
{
	free(t->key);
	free(t->number_text);
}

/* "[last|min|max] KEY OP NUMBER", split on blanks. */
static int
scalar_test_parse(const char *s, struct scalar_test *t, char **cause)
{
	char		*copy = xstrdup(s), *save = NULL, *w;
	struct strvec	 wv = STRVEC_INIT;
	char		**words;
	struct strbuf	 key = STRBUF_INIT;
	size_t		 n, i, first = 0;
	char		*end;
	int		 rc = -1;

	memset(t, 0, sizeof *t);
	for (w = strtok_r(copy, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save))
		strvec_push(&wv, w);
	words = wv.v;
	n = wv.n;
	if (n < 3)
		goto bad;
	for (i = 0; i < ARRAY_SIZE(cmp_names); i++) {
		if (strcmp(words[n - 2], cmp_names[i]) == 0)
			break;
	}
	if (i == ARRAY_SIZE(cmp_names))
		goto bad;
	t->cmp = (enum cmp)i;
	errno = 0;
	t->number = value_strtod(words[n - 1], &end);
	if (*end != '\0' || end == words[n - 1] || isnan(t->number))
		goto bad;
	t->agg = AGG_LAST;
	for (i = 0; n > 3 && i < ARRAY_SIZE(agg_names); i++) {
		if (strcmp(words[0], agg_names[i]) == 0) {
			t->agg = (enum agg)i;
			first = 1;
			break;
		}
	}
	for (i = first; i < n - 2; i++)
		strbuf_addf(&key, "%s%s", i > first ? " " : "", words[i]);
	t->key = strbuf_detach(&key, NULL);
	t->number_text = xstrdup(words[n - 1]);
	rc = 0;
	goto out;
bad:
	set_cause(cause, "invalid scalar check '%s': expected "
	    "'[last|min|max] KEY OP NUMBER' with OP one of >=, >, <=, <, ==, !=",
	    s);
out:
	strbuf_release(&key);
	strvec_clear(&wv);
	free(copy);
	return rc;
}

static const char *
check_str(const struct value *check, const char *key)
{
	const struct value	*v = value_map_get(check, key);

	return v != NULL && v->type == VALUE_STRING ? v->u.s : NULL;
}

static int
check_regex(const char *pattern, char **cause)
{
	struct regex	*re;
	char		*why = NULL;

	if ((re = regex_new(pattern, 0, &why)) == NULL) {
		set_cause(cause, "invalid regular expression '%s': %s",
		    pattern, why);
		free(why);
		return -1;
	}
	regex_free(re);
	return 0;
}

int
runcheck_validate(const struct value *check, char **cause)
{
	static const char *const keys[] = { "file", "output", "scalar",
	    "contains", "compare-to" };
	const char	*kind = NULL;
	size_t		 i, j;

	if (check == NULL || check->type != VALUE_MAP)
		return set_cause(cause, "invalid check: expected a mapping "
		    "with file, output or scalar");
	for (i = 0; i < check->u.map.n; i++) {
		const char	*k = check->u.map.k[i];

		for (j = 0; j < ARRAY_SIZE(keys); j++) {
			if (strcmp(k, keys[j]) == 0)
				break;
		}
		if (j == ARRAY_SIZE(keys))
			return set_cause(cause, "invalid check: unknown "
			    "attribute '%s' (expected file, output or scalar)",
			    k);
		if (check->u.map.v[i]->type != VALUE_STRING)
			return set_cause(cause, "invalid check: %s must be a "
			    "string", k);
		if (j < 3) {
			if (kind != NULL)
				return set_cause(cause, "invalid check: both "
				    "%s and %s (one check per item)", kind, k);
			kind = keys[j];
		}
	}
	if (kind == NULL)
		return set_cause(cause, "invalid check: expected one of file, "
		    "output, scalar");
	if (strcmp(kind, "file") != 0 && (value_map_get(check, "contains") ||
	    value_map_get(check, "compare-to")))
		return set_cause(cause, "invalid check: contains and "
		    "compare-to go with file");
	if (strcmp(kind, "scalar") == 0) {
		struct scalar_test	t;

		if (scalar_test_parse(check_str(check, "scalar"), &t,
		    cause) == -1)
			return -1;
		scalar_test_clear(&t);
		return 0;
	}
	if (strcmp(kind, "output") == 0)
		return check_regex(check_str(check, "output"), cause);
	if (check_str(check, "contains") != NULL)
		return check_regex(check_str(check, "contains"), cause);
	return 0;
}

/*
 * Text for a check's message, which goes into the pipeline's output and
 * so to a terminal: what repr() leaves (a C1 control, bytes that are no
 * UTF-8) shown as termsafe.h does.
 */
static void
add_safe(struct strbuf *sb, const char *text)
{
	termsafe_add(sb, text, strlen(text), TERMSAFE_SINGLE_LINE);
}

/* 'text' as Python's repr, made terminal-safe. */
static void
add_repr(struct strbuf *sb, const char *text)
{
	struct strbuf	 r = STRBUF_INIT;

	format_str_repr(&r, text);
	add_safe(sb, r.buf);
	strbuf_release(&r);
}

/* 'text' as Python's repr, cut to QUOTE_MAX bytes. */
static void
add_quoted(struct strbuf *sb, const char *text, size_t len)
{
	char	*cut;

	if (len > QUOTE_MAX) {
		cut = xasprintf("%.*s...", QUOTE_MAX, text);
	} else
		cut = xstrndup(text, len);
	add_repr(sb, cut);
	free(cut);
}

/* A file of the run, named in a message: made by the run, so untrusted. */
static char *
safe_name(const char *fmt, const char *name)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*pct = strstr(fmt, "%s");

	strbuf_add(&sb, fmt, (size_t)(pct - fmt));
	add_safe(&sb, name);
	strbuf_addstr(&sb, pct + 2);
	return strbuf_detach(&sb, NULL);
}

char *
runcheck_describe(const struct value *check)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*s;

	if ((s = check_str(check, "file")) != NULL) {
		strbuf_addstr(&sb, "file ");
		add_repr(&sb, s);
		if ((s = check_str(check, "contains")) != NULL) {
			strbuf_addstr(&sb, " contains ");
			add_repr(&sb, s);
		}
		if ((s = check_str(check, "compare-to")) != NULL) {
			strbuf_addstr(&sb, " is the same as ");
			add_repr(&sb, s);
		}
	} else if ((s = check_str(check, "output")) != NULL) {
		strbuf_addstr(&sb, "output matches ");
		add_repr(&sb, s);
	} else if ((s = check_str(check, "scalar")) != NULL) {
		struct scalar_test	t;

		if (scalar_test_parse(s, &t, NULL) == 0) {
			strbuf_addf(&sb, "scalar %s%s",
			    t.agg != AGG_LAST ? agg_names[t.agg] : "",
			    t.agg != AGG_LAST ? " " : "");
			add_safe(&sb, t.key);
			strbuf_addf(&sb, " %s %s", cmp_names[t.cmp],
			    t.number_text);
			scalar_test_clear(&t);
		} else {
			strbuf_addstr(&sb, "scalar ");
			add_safe(&sb, s);
		}
	}
	return strbuf_detach(&sb, NULL);
}

/* ---------------------------------------------------------------- */

static bool
compare(double v, enum cmp cmp, double n)
{
	switch (cmp) {
	case CMP_GE:	return v >= n;
	case CMP_GT:	return v > n;
	case CMP_LE:	return v <= n;
	case CMP_LT:	return v < n;
	case CMP_EQ:	return v == n;
	case CMP_NE:	return v != n;
	}
	return false;
}

static int
apply_scalar(const char *spec, const char *run_dir, char **found,
    char **cause)
{
	struct scalars_summary	 sum = SCALARS_SUMMARY_INIT;
	const struct scalar_stats *st;
	const struct scalar_point *p;
	struct scalar_test	 t;
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 i;
	int			 rc;

	if (scalar_test_parse(spec, &t, cause) == -1)
		return -1;
	if (scalars_summary_read(run_dir, 0, &sum, cause) == -1) {
		scalar_test_clear(&t);
		return -1;
	}
	if ((st = scalars_summary_find(&sum, t.key)) == NULL) {
		strbuf_addstr(&sb, "the run has no scalar ");
		add_repr(&sb, t.key);
		for (i = 0; i < sum.n && i < 8; i++) {
			strbuf_addstr(&sb, i == 0 ? " (it has " : ", ");
			add_safe(&sb, sum.v[i].key);
		}
		if (sum.n > 8)
			strbuf_addstr(&sb, ", ...");
		if (sum.n > 0)
			strbuf_addch(&sb, ')');
		rc = 0;
	} else {
		p = t.agg == AGG_MIN ? &st->min : t.agg == AGG_MAX ? &st->max :
		    &st->last;
		strbuf_addf(&sb, "%s ", agg_names[t.agg]);
		format_double(&sb, p->value);
		strbuf_addf(&sb, " at step %lld", p->step);
		rc = !isnan(p->value) && compare(p->value, t.cmp, t.number);
	}
	*found = strbuf_detach(&sb, NULL);
	scalars_summary_release(&sum);
	scalar_test_clear(&t);
	return rc;
}

struct output_acc {
	struct strbuf	text;
	long long	lines;
};

static void
output_acc_line(const struct output_line *line, void *arg)
{
	struct output_acc	*acc = arg;

	strbuf_add(&acc->text, line->text, line->len);
	strbuf_addch(&acc->text, '\n');
	acc->lines++;
}

static int
apply_output(const char *pattern, const char *run_dir, char **found,
    char **cause)
{
	struct output_acc	 acc = { STRBUF_INIT, 0 };
	struct regex		*re;
	size_t			 start, end;
	int			 rc = -1;

	if ((re = regex_new(pattern, 0, cause)) == NULL)
		return -1;
	if (output_read(run_dir, output_acc_line, &acc, cause) < 0)
		goto out;
	if (regex_search(re, acc.text.buf, acc.text.len, 0, &start, &end)) {
		struct strbuf	sb = STRBUF_INIT;
		const char	*bol = acc.text.buf + start, *eol;

		while (bol > acc.text.buf && bol[-1] != '\n')
			bol--;
		eol = strchr(acc.text.buf + end, '\n');
		if (eol == NULL)
			eol = acc.text.buf + acc.text.len;
		strbuf_addstr(&sb, "in line ");
		add_quoted(&sb, bol, (size_t)(eol - bol));
		*found = strbuf_detach(&sb, NULL);
		rc = 1;
	} else {
		*found = xasprintf("no match in %lld line%s of output",
		    acc.lines, acc.lines == 1 ? "" : "s");
		rc = 0;
	}
out:
	strbuf_release(&acc.text);
	regex_free(re);
	return rc;
}

/* Line n (from 1) of text, without its end, or NULL past the end. */
static const char *
nth_line(const char *text, size_t len, size_t n, size_t *linelen)
{
	const char	*p = text, *end = text + len, *nl;

	while (--n > 0) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return NULL;
		p = nl + 1;
	}
	if (p >= end)
		return NULL;
	nl = memchr(p, '\n', (size_t)(end - p));
	*linelen = (size_t)((nl != NULL ? nl : end) - p);
	if (*linelen > 0 && p[*linelen - 1] == '\r')
		(*linelen)--;
	return p;
}

/* 1 the same lines, else 0 with *found naming the first difference. */
static int
same_lines(const struct strbuf *a, const struct strbuf *b, const char *name,
    char **found)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*la, *lb;
	size_t		 n, lena = 0, lenb = 0;

	for (n = 1;; n++) {
		la = nth_line(a->buf, a->len, n, &lena);
		lb = nth_line(b->buf, b->len, n, &lenb);
		if (la == NULL && lb == NULL)
			return 1;
		if (la != NULL && lb != NULL && lena == lenb &&
		    memcmp(la, lb, lena) == 0)
			continue;
		break;
	}
	add_safe(&sb, name);
	strbuf_addf(&sb, " differs at line %zu: ", n);
	if (la != NULL)
		add_quoted(&sb, la, lena);
	else
		strbuf_addstr(&sb, "end of file");
	strbuf_addstr(&sb, " where the expected file has ");
	if (lb != NULL)
		add_quoted(&sb, lb, lenb);
	else
		strbuf_addstr(&sb, "its end");
	*found = strbuf_detach(&sb, NULL);
	return 0;
}

static int
check_path(const struct value *check, const char *path, const char *rel,
    const char *project_dir, char **found, char **cause)
{
	struct strbuf	 text = STRBUF_INIT, expect = STRBUF_INIT;
	const char	*pattern = check_str(check, "contains");
	const char	*compare_to = check_str(check, "compare-to");
	struct regex	*re = NULL;
	char		*other = NULL;
	size_t		 start, end;
	int		 rc = -1;

	if (pattern == NULL && compare_to == NULL)
		return 1;
	if (file_read_regular(AT_FDCWD, path, 0, CHECK_FILE_MAX, &text, NULL,
	    cause) == -1)
		return -1;
	if (compare_to != NULL) {
		other = path_join(project_dir, compare_to);
		if (file_read_regular(AT_FDCWD, other, 0, CHECK_FILE_MAX,
		    &expect, NULL, cause) == -1)
			goto out;
		if (same_lines(&text, &expect, rel, found) == 0) {
			rc = 0;
			goto out;
		}
	}
	if (pattern != NULL) {
		if ((re = regex_new(pattern, 0, cause)) == NULL)
			goto out;
		if (!regex_search(re, text.buf, text.len, 0, &start, &end)) {
			*found = safe_name("%s has no match", rel);
			rc = 0;
			goto out;
		}
	}
	rc = 1;
out:
	regex_free(re);
	free(other);
	strbuf_release(&text);
	strbuf_release(&expect);
	return rc;
}

static int
apply_file(const struct value *check, const char *run_dir,
    const char *project_dir, char **found, char **cause)
{
	const char	*pattern = check_str(check, "file");
	size_t		 dirlen = strlen(run_dir), i;
	glob_t		 g;
	char		*full;
	int		 rc, grc;

	full = path_join(run_dir, pattern);
	grc = glob(full, GLOB_NOSORT, NULL, &g);
	free(full);
	if (grc == GLOB_NOMATCH) {
		*found = xstrdup("no file matches");
		return 0;
	}
	if (grc != 0) {
		globfree(&g);
		return set_cause(cause, "%s: cannot list files", run_dir);
	}
	rc = 1;
	for (i = 0; rc == 1 && i < g.gl_pathc; i++) {
		const char	*rel = g.gl_pathv[i];

		if (strncmp(rel, run_dir, dirlen) == 0 && rel[dirlen] == '/')
			rel += dirlen + 1;
		rc = check_path(check, g.gl_pathv[i], rel, project_dir, found,
		    cause);
	}
	if (rc == 1 && *found == NULL)
		*found = g.gl_pathc == 1 ? safe_name("%s", g.gl_pathv[0] +
		    (strncmp(g.gl_pathv[0], run_dir, dirlen) == 0 ?
		    dirlen + 1 : 0)) : xasprintf("%zu files", g.gl_pathc);
	globfree(&g);
	return rc;
}

int
runcheck_apply(const struct value *check, const char *run_dir,
    const char *project_dir, char **found, char **cause)
{
	const char	*s;

	*found = NULL;
	if (runcheck_validate(check, cause) == -1)
		return -1;
	if ((s = check_str(check, "scalar")) != NULL)
		return apply_scalar(s, run_dir, found, cause);
	if ((s = check_str(check, "output")) != NULL)
		return apply_output(s, run_dir, found, cause);
	return apply_file(check, run_dir, project_dir, found, cause);
}
