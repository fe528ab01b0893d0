/*
 * scalars.c: output-scalar patterns (PCRE2 through regex.h) and the
 * per-run scalar log (see scalars.h).
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dirscan.h"
#include "guildfile.h"
#include "regex.h"
#include "scalars.h"
#include "tfevents.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"

/* Guild's aliases (guild/summary.py), expanded in this order. */
static const struct {
	const char	*alias;
	const char	*regex;
} aliases[] = {
	{ "\\key", "[_a-zA-Z]\\S*" },
	{ "\\value", "(?:[-+]?[0-9]*\\.?(?:[0-9]+)?(?:[eE][-+]?[0-9]+)?"
	    "|[nN][aA][nN]|[-+]?[iI][nN][fF])" },
	{ "\\step", "[0-9]+" },
};

/*
 * DEFAULT_OUTPUT_SCALARS as in Guild 0.9. The first only finds the step
 * of "key: value (step N)"; the second takes the key and value of it and
 * of plain "key: value".
 */
static const char *const default_patterns[] = {
	"\\key:\\s+\\value\\s+\\((?:step\\s+)?(?P<step>\\step)\\)$",
	"^(\\key):\\s+(\\value)(?:\\s+\\(.*\\))?$",
};

/*
 * Guild 0.9's Keras support (plugins/keras.py): Keras's progress lines,
 * "Epoch 3/10" for the step and "... - loss: 2.0538 - acc: 0.3225", and
 * the test results its examples print; before the defaults.
 */
static const char *const keras_patterns[] = {
	"Epoch (?P<step>[0-9]+)",
	" - ([a-z_]+): (\\value)",
	"Test loss: (?P<test_loss>\\value)",
	"Test accuracy: (?P<test_accuracy>\\value)",
};

struct pattern_name {
	char		*name;
	uint32_t	 group;
};

struct pattern {
	char			*key;		/* map form, or NULL */
	struct regex		*re;
	uint32_t		 ngroups;
	struct pattern_name	*names;
	size_t			 nnames;
	uint32_t		 key_group;	/* _key and _val; 0: none */
	uint32_t		 val_group;
};

/* What one line gave: key -> value, last match wins. */
struct line_val {
	char	*key;
	double	 value;
	char	*text;		/* an attrs matcher's */
};

/*
 * DEFAULT_OUTPUT_ATTRS of Guild 0.9, with its aliases: \value is any
 * word there (OUTPUT_ATTR_ALIASES).
 */
static const char *const default_attr_patterns[] = {
	"^(\\key):\\s+(\\value)$",
};
#define ATTR_VALUE_REGEX	"\\S+"

struct scalars {
	struct pattern		*patterns;
	size_t			 npatterns;
	bool			 enabled;
	bool			 attrs;		/* text values: output-attrs */
	bool			 defaults;	/* no output-scalars */
	struct strvec		 ignore;

	bool			 has_step;	/* a step was captured */
	long long		 step;
	bool			 implied_started;
	long long		 implied_step;
	struct strvec		 implied_keys;

	struct line_val		*vals;
	size_t			 nvals;
	size_t			 vals_alloc;
};

/* Replace every occurrence of each alias, as Guild's re.sub does. */
static char *
expand_aliases(const char *pattern, bool attrs)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*cur, *next;
	const char	*p, *hit;
	size_t		 i, alen;

	cur = xstrdup(pattern);
	for (i = 0; i < ARRAY_SIZE(aliases); i++) {
		alen = strlen(aliases[i].alias);
		strbuf_reset(&sb);
		p = cur;
		while ((hit = strstr(p, aliases[i].alias)) != NULL) {
			strbuf_add(&sb, p, (size_t)(hit - p));
			strbuf_addstr(&sb, attrs &&
			    strcmp(aliases[i].alias, "\\value") == 0 ?
			    ATTR_VALUE_REGEX : aliases[i].regex);
			p = hit + alen;
		}
		strbuf_addstr(&sb, p);
		next = strbuf_detach(&sb, NULL);
		free(cur);
		cur = next;
	}
	strbuf_release(&sb);
	return cur;
}

static void
pattern_release(struct pattern *p)
{
	size_t	i;

	free(p->key);
	regex_free(p->re);
	for (i = 0; i < p->nnames; i++)
		free(p->names[i].name);
	free(p->names);
}

static int
pattern_error(char **cause, const char *pattern, const char *expanded,
    const char *msg)
{
	if (strcmp(pattern, expanded) == 0)
		return set_cause(cause, "output scalar pattern \"%s\": %s",
		    pattern, msg);
	return set_cause(cause, "output scalar pattern \"%s\" (\"%s\"): %s",
	    pattern, expanded, msg);
}

static int
pattern_compile(struct pattern *p, const char *key, const char *pattern,
    bool attrs, char **cause)
{
	uint32_t	 count, i;
	char		*expanded, *text, *msg = NULL;
	int		 rv = -1;

	memset(p, 0, sizeof *p);
	expanded = expand_aliases(pattern, attrs);
	if ((p->re = regex_new(expanded, 0, &msg)) == NULL) {
		pattern_error(cause, pattern, expanded, msg);
		free(msg);
		goto out;
	}
	p->ngroups = regex_ngroups(p->re);
	count = (uint32_t)regex_nnames(p->re);
	if (count > 0)
		p->names = xcalloc(count, sizeof *p->names);
	for (i = 0; i < count; i++) {
		unsigned	 group;
		const char	*name = regex_name(p->re, i, &group);

		p->names[i].group = group;
		p->names[i].name = xstrdup(name);
		p->nnames++;
		if (strcmp(p->names[i].name, "_key") == 0)
			p->key_group = p->names[i].group;
		else if (strcmp(p->names[i].name, "_val") == 0)
			p->val_group = p->names[i].group;
	}
	if (p->key_group == 0 || p->val_group == 0)
		p->key_group = p->val_group = 0;

	if (p->nnames == 0 && p->ngroups == 1 && key == NULL) {
		pattern_error(cause, pattern, expanded, "one group captures "
		    "the value, but there is no key (use the form KEY: "
		    "PATTERN, or two groups for key and value)");
		goto out;
	}
	if (p->nnames == 0 && p->ngroups != 1 && p->ngroups != 2) {
		text = xasprintf("%u groups: expected 1 (the value) or 2 "
		    "(key and value), or named groups", p->ngroups);
		pattern_error(cause, pattern, expanded, text);
		free(text);
		goto out;
	}
	if (key != NULL)
		p->key = xstrdup(key);
	rv = 0;
out:
	free(expanded);
	if (rv != 0) {
		pattern_release(p);
		memset(p, 0, sizeof *p);
	}
	return rv;
}

static int
scalars_add(struct scalars *s, const char *key, const char *pattern,
    char **cause)
{
	struct pattern	p;

	if (pattern_compile(&p, key, pattern, s->attrs, cause) != 0)
		return -1;
	s->patterns = xreallocarray(s->patterns, s->npatterns + 1,
	    sizeof *s->patterns);
	s->patterns[s->npatterns++] = p;
	return 0;
}

static struct scalars *
matcher_new(const struct capture *cap, const char *const *flag_names,
    bool attrs, char **cause)
{
	struct scalars	*s;
	size_t		 i, n;

	s = xcalloc(1, sizeof *s);
	s->enabled = true;
	s->attrs = attrs;
	if (cap == NULL || cap->mode == CAPTURE_DEFAULT) {
		s->defaults = true;
		n = attrs ? ARRAY_SIZE(default_attr_patterns) :
		    ARRAY_SIZE(default_patterns);
		for (i = 0; i < n; i++) {
			if (scalars_add(s, NULL, attrs ?
			    default_attr_patterns[i] : default_patterns[i],
			    cause) != 0)
				goto fail;
		}
		if (flag_names != NULL)
			strvec_pushv(&s->ignore, flag_names);
	} else if (cap->mode == CAPTURE_NONE)
		s->enabled = false;
	else {
		for (i = 0; i < cap->nspecs; i++) {
			if (scalars_add(s, cap->specs[i].key,
			    cap->specs[i].pattern, cause) != 0)
				goto fail;
		}
	}
	return s;

fail:
	scalars_free(s);
	return NULL;
}

struct scalars *
scalars_new(const struct capture *cap, const char *const *flag_names,
    char **cause)
{
	return matcher_new(cap, flag_names, false, cause);
}

struct scalars *
scalars_attrs_new(const struct capture *cap, const char *const *flag_names,
    char **cause)
{
	return matcher_new(cap, flag_names, true, cause);
}

int
scalars_use_keras(struct scalars *s, char **cause)
{
	struct pattern	*v;
	size_t		 i, n = ARRAY_SIZE(keras_patterns);

	if (!s->defaults)
		return 0;
	v = xcalloc(s->npatterns + n, sizeof *v);
	for (i = 0; i < n; i++) {
		if (pattern_compile(&v[i], NULL, keras_patterns[i], false,
		    cause) != 0) {
			while (i-- > 0)
				pattern_release(&v[i]);
			free(v);
			return -1;
		}
	}
	memcpy(v + n, s->patterns, s->npatterns * sizeof *v);
	free(s->patterns);
	s->patterns = v;
	s->npatterns += n;
	s->defaults = false;
	return 0;
}

/* A name in an import line: "keras", "tensorflow", or under them. */
static bool
keras_module(const char *p, size_t len)
{
	static const char *const names[] = { "keras", "tensorflow" };
	size_t	i, n;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		n = strlen(names[i]);
		if (len >= n && memcmp(p, names[i], n) == 0 &&
		    (len == n || p[n] == '.'))
			return true;
	}
	return false;
}

static bool
is_ident(char c)
{
	return c == '_' || c == '.' || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool
is_word(char c)
{
	return c != '.' && is_ident(c);
}

bool
scalars_keras_script(const char *path)
{
	FILE		*f;
	char		*line = NULL;
	const char	*p, *q;
	size_t		 size = 0;
	ssize_t		 n;
	bool		 imports = false, calls = false, from;

	if ((f = fopen(path, "r")) == NULL)
		return false;
	while ((n = getline(&line, &size, f)) > 0 && !(imports && calls)) {
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '#')
			continue;
		from = strncmp(p, "from ", 5) == 0;
		if (from || strncmp(p, "import ", 7) == 0) {
			/* "import a, b as c" or "from a.b import c". */
			p += from ? 5 : 7;
			for (;;) {
				while (*p == ' ' || *p == '\t' || *p == ',')
					p++;
				for (q = p; is_ident(*q); q++)
					;
				if (q == p)
					break;
				if (keras_module(p, (size_t)(q - p)))
					imports = true;
				if (from)
					break;
				p = q;
				while (*p == ' ' || *p == '\t')
					p++;
				if (strncmp(p, "as ", 3) == 0) {
					for (p += 3; *p == ' '; p++)
						;
					while (is_ident(*p))
						p++;
				}
			}
		}
		/* A call of fit or predict, of whatever object. */
		for (p = line; *p != '\0' && !calls; p = q) {
			for (q = p; is_word(*q); q++)
				;
			if (q == p) {
				q++;
				continue;
			}
			if ((q - p == 3 && strncmp(p, "fit", 3) == 0) ||
			    (q - p == 7 && strncmp(p, "predict", 7) == 0)) {
				const char	*e = q;

				while (*e == ' ')
					e++;
				calls = *e == '(';
			}
		}
	}
	free(line);
	fclose(f);
	return imports && calls;
}

bool
scalars_enabled(const struct scalars *s)
{
	return s->enabled;
}

void
scalars_free(struct scalars *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->npatterns; i++)
		pattern_release(&s->patterns[i]);
	free(s->patterns);
	strvec_clear(&s->ignore);
	strvec_clear(&s->implied_keys);
	for (i = 0; i < s->nvals; i++) {
		free(s->vals[i].key);
		free(s->vals[i].text);
	}
	free(s->vals);
	free(s);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Case-insensitive: does [p, end) spell word exactly? */
static bool
spells(const char *p, const char *end, const char *word)
{
	size_t	n = strlen(word), i;

	if ((size_t)(end - p) != n)
		return false;
	for (i = 0; i < n; i++) {
		if ((p[i] | 0x20) != word[i])
			return false;
	}
	return true;
}

/*
 * A number as Python's float() reads it (without digit underscores):
 * strtod alone would also take hex and "nan(...)", and follows the
 * locale's decimal point.
 */
static bool
parse_float(const char *s, size_t len, double *out)
{
	const char	*p = s, *end = s + len, *num;
	struct lconv	*lc;
	struct strbuf	 sb = STRBUF_INIT;
	bool		 neg = false, digits = false;

	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (spells(p, end, "inf") || spells(p, end, "infinity")) {
		*out = neg ? -INFINITY : INFINITY;
		return true;
	}
	if (spells(p, end, "nan")) {
		*out = NAN;
		return true;
	}
	num = p;
	while (p < end && is_digit(*p)) {
		p++;
		digits = true;
	}
	if (p < end && *p == '.') {
		p++;
		while (p < end && is_digit(*p)) {
			p++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !is_digit(*p))
			return false;
		while (p < end && is_digit(*p))
			p++;
	}
	if (p != end)
		return false;

	if (neg)
		strbuf_addch(&sb, '-');
	lc = localeconv();
	for (p = num; p < end; p++) {
		if (*p == '.' && strcmp(lc->decimal_point, ".") != 0)
			strbuf_addstr(&sb, lc->decimal_point);
		else
			strbuf_addch(&sb, *p);
	}
	*out = strtod(sb.buf, NULL);
	strbuf_release(&sb);
	/* Overflow gives inf and underflow 0, as float() does. */
	return true;
}

/* Record key = text as a value of this line, if text is a number. */
static void
line_set(struct scalars *s, const char *key, size_t keylen, const char *text,
    size_t textlen)
{
	double	v = 0;
	size_t	i;

	if (!s->attrs && !parse_float(text, textlen, &v))
		return;
	for (i = 0; i < s->nvals; i++) {
		if (strlen(s->vals[i].key) == keylen &&
		    memcmp(s->vals[i].key, key, keylen) == 0) {
			s->vals[i].value = v;
			free(s->vals[i].text);
			s->vals[i].text = s->attrs ?
			    xstrndup(text, textlen) : NULL;
			return;
		}
	}
	XGROW(s->vals, s->vals_alloc, s->nvals + 1);
	s->vals[s->nvals].key = xstrndup(key, keylen);
	s->vals[s->nvals].value = v;
	s->vals[s->nvals].text = s->attrs ? xstrndup(text, textlen) : NULL;
	s->nvals++;
}

/* Group n of the last match: false when it did not take part. */
static bool
group(const struct pattern *p, const char *line, uint32_t n,
    const char **start, size_t *len)
{
	size_t	s, e;

	if (!regex_group(p->re, n, &s, &e))
		return false;
	*start = line + s;
	*len = e - s;
	return true;
}

static void
apply_match(struct scalars *s, const struct pattern *p, const char *line)
{
	const char	*k, *v;
	size_t		 klen, vlen, i;

	if (p->key_group != 0) {
		if (group(p, line, p->key_group, &k, &klen) &&
		    group(p, line, p->val_group, &v, &vlen))
			line_set(s, k, klen, v, vlen);
		return;
	}
	if (p->nnames > 0) {
		for (i = 0; i < p->nnames; i++) {
			if (group(p, line, p->names[i].group, &v, &vlen))
				line_set(s, p->names[i].name,
				    strlen(p->names[i].name), v, vlen);
		}
		return;
	}
	if (p->ngroups == 1) {
		if (group(p, line, 1, &v, &vlen))
			line_set(s, p->key, strlen(p->key), v, vlen);
		return;
	}
	if (group(p, line, 1, &k, &klen) && group(p, line, 2, &v, &vlen))
		line_set(s, k, klen, v, vlen);
}

/* Every match of p in the line, as Python's finditer. */
static void
match_all(struct scalars *s, const struct pattern *p, const char *line,
    size_t len)
{
	size_t	off = 0, start, end;
	int	eflags = 0, rc;

	while (off <= len) {
		rc = regex_exec(p->re, line, len, off, eflags);
		if (rc < 0)
			return;
		if (rc == 0) {
			if (eflags == 0)
				return;
			/*
			 * No non-empty match where the empty one was: move
			 * on by one character.
			 */
			off++;
			while (off < len && (line[off] & 0xc0) == 0x80)
				off++;
			eflags = 0;
			continue;
		}
		apply_match(s, p, line);
		regex_group(p->re, 0, &start, &end);
		off = end;
		/* After an empty match, try a non-empty one there. */
		eflags = end == start ? REGEX_NOTEMPTY_HERE : 0;
		if (end == start && end >= len)
			return;
	}
}

static int
val_cmp(const void *a, const void *b)
{
	const struct line_val	*x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* Guild's implied step: bumped when a key seen since the last bump recurs. */
static long long
implied_step(struct scalars *s)
{
	size_t	i;
	bool	seen = false;

	for (i = 0; i < s->nvals && !seen; i++)
		seen = strvec_find(&s->implied_keys, s->vals[i].key) >= 0;
	if (seen) {
		s->implied_step++;
		strvec_clear(&s->implied_keys);
	} else if (!s->implied_started) {
		s->implied_started = true;
		s->implied_step = 0;
	}
	for (i = 0; i < s->nvals; i++) {
		if (strvec_find(&s->implied_keys, s->vals[i].key) < 0)
			strvec_push(&s->implied_keys, s->vals[i].key);
	}
	return s->implied_step;
}

int
scalars_feed_line(struct scalars *s, const char *line, size_t len,
    scalars_cb fn, void *arg)
{
	return scalars_feed_line_keys(s, line, len, fn, arg, NULL);
}

static void
vals_clear(struct scalars *s)
{
	size_t	j;

	for (j = 0; j < s->nvals; j++) {
		free(s->vals[j].key);
		free(s->vals[j].text);
	}
	s->nvals = 0;
}

int
scalars_feed_attrs(struct scalars *s, const char *line, size_t len,
    const struct strvec *captured, scalars_text_cb fn, void *arg)
{
	size_t	i;
	int	n = 0;

	if (!s->enabled || !s->attrs)
		return 0;
	while (len > 0 && is_space(line[len - 1]))
		len--;
	for (i = 0; i < s->npatterns; i++)
		match_all(s, &s->patterns[i], line, len);
	if (s->nvals == 0)
		return 0;	/* and no qsort of a NULL array */
	qsort(s->vals, s->nvals, sizeof *s->vals, val_cmp);
	for (i = 0; i < s->nvals; i++) {
		if (strvec_find(&s->ignore, s->vals[i].key) >= 0 ||
		    (captured != NULL &&
		    strvec_find(captured, s->vals[i].key) >= 0))
			continue;
		fn(s->vals[i].key, s->vals[i].text, arg);
		n++;
	}
	vals_clear(s);
	return n;
}

int
scalars_feed_line_keys(struct scalars *s, const char *line, size_t len,
    scalars_cb fn, void *arg, struct strvec *captured)
{
	long long	step;
	size_t		i, j;
	int		n = 0;

	if (!s->enabled)
		return 0;
	while (len > 0 && is_space(line[len - 1]))
		len--;
	for (i = 0; i < s->npatterns; i++)
		match_all(s, &s->patterns[i], line, len);

	for (i = 0; i < s->nvals; i++) {
		if (strcmp(s->vals[i].key, "step") != 0)
			continue;
		/* Guild keeps it as a float and writes int(step). */
		if (isfinite(s->vals[i].value) &&
		    fabs(s->vals[i].value) < 9e18) {
			s->step = (long long)s->vals[i].value;
			s->has_step = true;
		}
		/* Taken, so not an output attr either (Guild shows none). */
		if (captured != NULL)
			strvec_push(captured, "step");
		free(s->vals[i].key);
		s->vals[i] = s->vals[--s->nvals];
		break;
	}
	if (s->nvals == 0)
		return 0;

	/* Ignored keys still count for the implied step, as in Guild. */
	step = s->has_step ? s->step : implied_step(s);
	qsort(s->vals, s->nvals, sizeof *s->vals, val_cmp);
	for (i = 0; i < s->nvals; i++) {
		/* What Guild gives its attrs to ignore: every key taken. */
		if (captured != NULL)
			strvec_push(captured, s->vals[i].key);
		if (strvec_find(&s->ignore, s->vals[i].key) >= 0)
			continue;
		fn(s->vals[i].key, s->vals[i].value, step, arg);
		n++;
	}
	for (j = 0; j < s->nvals; j++)
		free(s->vals[j].key);
	s->nvals = 0;
	return n;
}

/*
 * The log: a header line, then "STEP\tKEY\tVALUE\tTIME_MS\n" per scalar,
 * KEY with \\, \t, \n and \r escaped, VALUE the shortest text that reads
 * back exactly. A record without its LF (a crash mid-write) is ignored, and
 * ended by the next open so that what follows is not glued to it.
 */
#define LOG_FILE	"scalars.tsv"
#define LOG_HEADER	"# guild scalars 1\n"

struct scalars_log {
	char		*path;
	int		 fd;
	char		*run_dir;
	struct tfevents	*tf;		/* Guild AI's format, made on first use */
	bool		 tf_failed;
};

static char *
log_path(const char *run_dir)
{
	return xasprintf("%s/.guild/%s", run_dir, LOG_FILE);
}

struct scalars_log *
scalars_log_open(const char *run_dir, char **cause)
{
	struct scalars_log	*l;
	struct stat		 st;
	off_t			 end;
	char			 last;
	int			 rv = 0;

	l = xcalloc(1, sizeof *l);
	l->run_dir = xstrdup(run_dir);
	l->path = log_path(run_dir);
	l->fd = open(l->path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC, 0644);
	if (l->fd < 0) {
		set_cause(cause, "open %s: %s", l->path, strerror(errno));
		goto fail;
	}
	/* A restarted run's directory may hold anything there. */
	if (fstat(l->fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		set_cause(cause, "%s: not a regular file", l->path);
		goto fail;
	}
	end = lseek(l->fd, 0, SEEK_END);
	if (end == 0)
		rv = write_all(l->fd, LOG_HEADER, strlen(LOG_HEADER));
	else if (end > 0 && pread(l->fd, &last, 1, end - 1) == 1 &&
	    last != '\n') {
		/* End a torn record, so that it stays apart and is skipped. */
		rv = write_all(l->fd, "\n", 1);
	}
	if (rv != 0) {
		set_cause(cause, "write %s: %s", l->path, strerror(errno));
		goto fail;
	}
	return l;

fail:
	if (l->fd >= 0)
		close(l->fd);
	free(l->path);
	free(l->run_dir);
	free(l);
	return NULL;
}

/*
 * The same scalar in a TensorBoard event file in .guild/, where Guild AI
 * writes its output scalars, so Guild AI (and TensorBoard) read ours. Its
 * name ends in ".guild": guild itself reads scalars.tsv, and only falls
 * back to event files for runs without one (runs of Guild AI).
 */
static int
log_event(struct scalars_log *l, const char *key, double value,
    long long step, char **cause)
{
	double	 now = (double)now_us() / 1e6;
	char	 host[256], *name, *path, *suffix;

	if (l->tf_failed)
		return 0;
	if (l->tf == NULL) {
		if (gethostname(host, sizeof host) != 0)
			strcpy(host, "localhost");
		host[sizeof host - 1] = '\0';
		suffix = xasprintf("%s.%ld.guild", host, (long)getpid());
		name = tfevents_file_name(now, suffix);
		path = xasprintf("%s/.guild/%s", l->run_dir, name);
		l->tf = tfevents_create(path, now, cause);
		free(suffix);
		free(name);
		free(path);
		if (l->tf == NULL) {
			l->tf_failed = true;
			return -1;
		}
	}
	if (tfevents_add_scalar(l->tf, now, step, key, (float)value,
	    cause) == -1) {
		l->tf_failed = true;
		return -1;
	}
	return 0;
}

/* Shortest "%.Ng" that reads back as v, with '.' whatever the locale. */
static void
format_value(struct strbuf *sb, double v)
{
	struct lconv	*lc = localeconv();
	char		 buf[64], *dp;
	size_t		 dplen = strlen(lc->decimal_point);
	int		 prec;

	if (isnan(v)) {
		strbuf_addstr(sb, "nan");
		return;
	}
	if (isinf(v)) {
		strbuf_addstr(sb, v < 0 ? "-inf" : "inf");
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	dp = dplen > 0 ? strstr(buf, lc->decimal_point) : NULL;
	if (dp != NULL && strcmp(lc->decimal_point, ".") != 0) {
		strbuf_add(sb, buf, (size_t)(dp - buf));
		strbuf_addch(sb, '.');
		strbuf_addstr(sb, dp + dplen);
	} else
		strbuf_addstr(sb, buf);
}

/* A key (or path) on one field: \\, \t, \n and \r escaped. */
static void
escape_key(struct strbuf *sb, const char *key)
{
	const char	*p;
	size_t		 n = strcspn(key, "\\\t\n\r");

	/* Most keys and paths have nothing to escape. */
	strbuf_add(sb, key, n);
	for (p = key + n; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
			strbuf_addstr(sb, "\\\\");
			break;
		case '\t':
			strbuf_addstr(sb, "\\t");
			break;
		case '\n':
			strbuf_addstr(sb, "\\n");
			break;
		case '\r':
			strbuf_addstr(sb, "\\r");
			break;
		default:
			strbuf_addch(sb, *p);
			break;
		}
	}
}

/* Undo escape_key() in place. */
static void
unescape_key(char *key)
{
	char	*p, *q;

	for (p = q = key; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			*q++ = *p == 't' ? '\t' : *p == 'n' ? '\n' :
			    *p == 'r' ? '\r' : *p;
		} else
			*q++ = *p;
	}
	*q = '\0';
}

int
scalars_log_append(struct scalars_log *l, const char *key, double value,
    long long step, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	int		 rv = 0;

	strbuf_addf(&sb, "%lld\t", step);
	escape_key(&sb, key);
	strbuf_addch(&sb, '\t');
	format_value(&sb, value);
	strbuf_addf(&sb, "\t%lld\n", (long long)(now_us() / 1000));
	if (write_all(l->fd, sb.buf, sb.len) != 0)
		rv = set_cause(cause, "write %s: %s", l->path, strerror(errno));
	else
		rv = log_event(l, key, value, step, cause);
	strbuf_release(&sb);
	return rv;
}

int
scalars_log_close(struct scalars_log *l, char **cause)
{
	int	rv = 0;

	if (l == NULL)
		return 0;
	if (close(l->fd) != 0)
		rv = set_cause(cause, "close %s: %s", l->path, strerror(errno));
	if (l->tf != NULL && tfevents_close(l->tf, rv == 0 ? cause : NULL) == -1)
		rv = -1;
	free(l->path);
	free(l->run_dir);
	free(l);
	return rv;
}

/* Summary: keys found through a small open-addressing hash. */
struct summary_build {
	struct scalars_summary	*out;
	size_t			 alloc;
	size_t			*slots;	/* index + 1, or 0 */
	size_t			 nslots;
	int			 flags;
};

static uint64_t
hash_key(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
build_rehash(struct summary_build *b)
{
	size_t	i, j;

	free(b->slots);
	b->nslots = b->nslots == 0 ? 64 : b->nslots * 2;
	b->slots = xcalloc(b->nslots, sizeof *b->slots);
	for (i = 0; i < b->out->n; i++) {
		j = hash_key(b->out->v[i].key) & (b->nslots - 1);
		while (b->slots[j] != 0)
			j = (j + 1) & (b->nslots - 1);
		b->slots[j] = i + 1;
	}
}

static struct scalar_stats *
build_get(struct summary_build *b, const char *key, bool *fresh)
{
	struct scalar_stats	*st;
	size_t			 j;

	*fresh = false;
	if ((b->out->n + 1) * 2 > b->nslots)
		build_rehash(b);
	j = hash_key(key) & (b->nslots - 1);
	while (b->slots[j] != 0) {
		st = &b->out->v[b->slots[j] - 1];
		if (strcmp(st->key, key) == 0)
			return st;
		j = (j + 1) & (b->nslots - 1);
	}
	XGROW(b->out->v, b->alloc, b->out->n + 1);
	b->slots[j] = b->out->n + 1;
	st = &b->out->v[b->out->n++];
	memset(st, 0, sizeof *st);
	st->key = xstrdup(key);
	st->min.value = st->max.value = NAN;
	*fresh = true;
	return st;
}

static void
stats_add(struct summary_build *b, const char *key,
    const struct scalar_point *pt)
{
	struct scalar_stats	*st;
	size_t			 n;
	bool			 fresh;

	st = build_get(b, key, &fresh);
	if (fresh) {
		st->first = *pt;
		st->last = *pt;
	} else {
		/*
		 * Read order is file order, and files come from several
		 * writers (a restart by Guild AI adds one): the times decide
		 * between them.
		 */
		if (pt->time_ms < st->first.time_ms)
			st->first = *pt;
		if (pt->step > st->last.step || (pt->step == st->last.step &&
		    pt->time_ms >= st->last.time_ms))
			st->last = *pt;
	}
	if (!isnan(pt->value)) {
		if (isnan(st->min.value) || pt->value < st->min.value)
			st->min = *pt;
		if (isnan(st->max.value) || pt->value > st->max.value)
			st->max = *pt;
		st->total += pt->value;
	}
	st->count++;
	if (b->flags & SCALARS_SERIES) {
		/* The allocation doubles whenever nseries is a power of 2. */
		n = st->nseries;
		if ((n & (n - 1)) == 0)
			st->series = xreallocarray(st->series,
			    n == 0 ? 1 : n * 2, sizeof *st->series);
		st->series[st->nseries++] = *pt;
	}
}

/* Parse "STEP\tKEY\tVALUE\tTIME" in place; false if malformed. */
static bool
parse_record(char *line, char **key, struct scalar_point *pt)
{
	char	*f[4], *p, *ep;
	size_t	 n = 0;

	f[n++] = line;
	for (p = line; *p != '\0' && n < 4; p++) {
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	}
	/* A record cut short (a crash mid-write) lacks its time. */
	if (n != 4)
		return false;
	errno = 0;
	pt->step = strtoll(f[0], &ep, 10);
	if (ep == f[0] || *ep != '\0' || errno != 0)
		return false;
	if (!parse_float(f[2], strlen(f[2]), &pt->value))
		return false;
	pt->time_ms = strtoll(f[3], &ep, 10);
	if (ep == f[3] || *ep != '\0' || errno != 0)
		return false;

	unescape_key(f[1]);
	*key = f[1];
	return **key != '\0';
}

static int
scalars_key_cmp(const char *a, const char *b)
{
	const char	*ha = strchr(a, '#'), *hb = strchr(b, '#');
	size_t		 la, lb;
	int		 c;

	/* Guild's order: (prefix, tag), no prefix first. */
	if (ha == NULL || hb == NULL) {
		if (ha != hb)
			return ha == NULL ? -1 : 1;
		return strcmp(a, b);
	}
	la = (size_t)(ha - a);
	lb = (size_t)(hb - b);
	if ((c = memcmp(a, b, la < lb ? la : lb)) != 0)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(ha + 1, hb + 1);
}

static int
stats_cmp(const void *a, const void *b)
{
	const struct scalar_stats	*x = a, *y = b;

	return scalars_key_cmp(x->key, y->key);
}

void
scalars_summary_sort(struct scalars_summary *sum)
{
	if (sum->n > 1)
		qsort(sum->v, sum->n, sizeof *sum->v, stats_cmp);
}

const char *
scalars_key_tag(const char *key)
{
	const char	*h = strchr(key, '#');

	return h != NULL ? h + 1 : key;
}

const struct scalar_stats *
scalars_summary_lookup(const struct scalars_summary *sum, const char *name)
{
	const struct scalar_stats	*st;
	const char			*h = strchr(name, '#');
	size_t				 i, plen;

	if ((st = scalars_summary_find(sum, name)) != NULL)
		return st;
	/* As Guild's run_scalar(): prefix LIKE 'PREFIX%', or any prefix. */
	plen = h != NULL ? (size_t)(h - name) : 0;
	for (i = 0; i < sum->n; i++) {
		const char	*k = sum->v[i].key, *kh = strchr(k, '#');

		if (strcmp(scalars_key_tag(k), h != NULL ? h + 1 : name) != 0)
			continue;
		if (h == NULL || (kh != NULL && (size_t)(kh - k) >= plen &&
		    memcmp(k, name, plen) == 0))
			return &sum->v[i];
	}
	return NULL;
}

/*
 * An event's wall time (seconds, a double in the file) in ms; 0 (unknown)
 * when it is NaN or too large for an int64_t, where a cast is undefined.
 */
static int64_t
wall_time_ms(double wall_time)
{
	double	ms = wall_time * 1000;

	if (!(ms > -9.2e18 && ms < 9.2e18))
		return 0;
	return (int64_t)ms;
}

/* What an event file's scalars are read into: keys get its prefix. */
struct event_ctx {
	struct summary_build	*b;
	struct value		*attrs;		/* or the attrs logged */
	const char		*prefix;	/* "" for none */
	struct strbuf		 key;
	bool			 changed;
};

static int
event_cb(const struct tfevents_event *ev, void *arg)
{
	struct event_ctx	*ec = arg;
	struct scalar_point	 pt;
	size_t			 i;

	for (i = 0; i < ev->nvalues; i++) {
		pt.step = ev->step;
		pt.value = ev->values[i];
		pt.time_ms = wall_time_ms(ev->wall_time);
		strbuf_reset(&ec->key);
		if (*ec->prefix != '\0') {
			strbuf_addstr(&ec->key, ec->prefix);
			strbuf_addch(&ec->key, '#');
		}
		strbuf_addstr(&ec->key, ev->tags[i]);
		stats_add(ec->b, ec->key.buf, &pt);
		ec->changed = true;
	}
	return 0;
}

/*
 * Sources: scalars.tsv and every event file under the run directory, as
 * Guild 0.9 finds them (guild/tfevent.py): a name containing ".tfevents.",
 * in any directory; symbolic links to directories are followed only when
 * they lead to a run (a step's run), not to a dependency. Guild's
 * attribute logs (".attrs") hold no scalars. Left out besides, for speed:
 * .guild/attrs and .guild/sourcecode, a snapshot of the project's files.
 */
#define WALK_DEPTH_MAX	32

static int
source_cmp(const void *a, const void *b)
{
	const struct scalars_source	*x = a, *y = b;

	return strcmp(x->path, y->path);
}

static bool
is_event_name(const char *name)
{
	return strstr(name, ".tfevents.") != NULL &&
	    !str_ends_with(name, ".attrs") &&
	    !str_ends_with(name, ".profile-empty");
}

static void
source_push(struct scalars_sources *src, const char *path,
    const struct stat *st)
{
	struct scalars_source	*s;

	XGROW(src->v, src->alloc, src->n + 1);
	s = &src->v[src->n++];
	memset(s, 0, sizeof *s);
	s->path = xstrdup(path);
	s->ino = (uint64_t)st->st_ino;
	s->size = (uint64_t)st->st_size;
	s->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
	    st->st_mtim.tv_nsec;
}

/*
 * Directory mtimes this recent are not trusted: they come from a coarse
 * clock, so a file created right after the search can leave the same.
 */
static int64_t	racy_ns = 2LL * 1000 * 1000 * 1000;

void
scalars_set_racy_ns(int64_t ns)
{
	racy_ns = ns;
}

struct walk {
	const char		*run_dir;
	bool			 attrs;		/* Guild's attr logs instead */
	bool			 has_log;	/* scalars.tsv: skip its twins */
	int64_t			 now;		/* ns, for racy mtimes */
	struct scalars_sources	*out;
	dev_t			 devs[WALK_DEPTH_MAX];
	ino_t			 inos[WALK_DEPTH_MAX];
};

/* Guild AI's attr logs (summary.py OutputAttrs: suffix ".attrs"). */
static bool
is_attrs_name(const char *name)
{
	return strstr(name, ".tfevents.") != NULL &&
	    str_ends_with(name, ".attrs");
}

static bool
walk_wants(const struct walk *w, const char *name)
{
	return w->attrs ? is_attrs_name(name) : is_event_name(name);
}

static void
push_kind(struct strvec *names, char kind, const char *name)
{
	size_t	len = strlen(name);
	char	*s = xmalloc(len + 2);

	s[0] = kind;
	memcpy(s + 1, name, len + 1);
	strvec_push_nodup(names, s);
}

static void
dir_push(struct walk *w, const char *rel, const struct stat *st)
{
	struct scalars_sources	*src = w->out;
	struct scalars_source	*s;

	if (src->ndirs >= SCALARS_DIRS_MAX)
		return;
	XGROW(src->dirs, src->dalloc, src->ndirs + 1);
	s = &src->dirs[src->ndirs++];
	memset(s, 0, sizeof *s);
	s->path = xstrdup(*rel == '\0' ? "." : rel);
	s->ino = (uint64_t)st->st_ino;
	s->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
	    st->st_mtim.tv_nsec;
	if (s->mtime_ns > w->now - racy_ns)
		s->mtime_ns = -1;
}

/*
 * rel (name in the directory pfd): each directory is opened relative to
 * its parent and each name stat'ed relative to it, so that a first
 * listing of thousands of runs does not look up whole paths again.
 */
static void
walk_dir(struct walk *w, int pfd, const char *name, const char *rel,
    int depth)
{
	struct strvec	 names = STRVEC_INIT;
	struct dirscan	*d;
	struct stat	 st;
	const char	*de;
	unsigned char	 type;
	char		*path;
	size_t		 i;
	int		 k, dfd;

	if ((d = dirscan_openat(pfd, name, &st)) == NULL)
		return;
	dfd = dirscan_fd(d);
	/* A link back up the tree: been here. */
	for (k = 0; k < depth; k++)
		if (w->devs[k] == st.st_dev && w->inos[k] == st.st_ino)
			goto out;
	w->devs[depth] = st.st_dev;
	w->inos[depth] = st.st_ino;
	if (!w->attrs && strcmp(rel, ".guild") != 0 &&
	    strncmp(rel, ".guild/", 7) != 0)
		dir_push(w, rel, &st);
	/*
	 * Only what may matter: event files, and what may be a directory
	 * (d_type spares a stat per file of a run with many).
	 */
	while ((de = dirscan_next(d, &type)) != NULL) {
		/* Names with their kind first: Directory, or Other. */
		if (type == DT_DIR)
			push_kind(&names, 'D', de);
		else if (type == DT_LNK || type == DT_UNKNOWN ||
		    walk_wants(w, de))
			push_kind(&names, 'O', de);
	}
	strvec_sort(&names);
	for (i = 0; i < names.n; i++) {
		const char	*base = names.v[i] + 1;
		bool		 isdir = names.v[i][0] == 'D';

		if (strcmp(rel, ".guild") == 0 && (strcmp(base, "attrs") == 0 ||
		    strcmp(base, "sourcecode") == 0))
			continue;
		path = *rel == '\0' ? xstrdup(base) : path_join(rel, base);
		if (isdir && depth + 1 < WALK_DEPTH_MAX)
			walk_dir(w, dfd, base, path, depth + 1);
		else if (isdir)
			;
		else if (walk_wants(w, base)) {
			/*
			 * guild's own copy of scalars.tsv for Guild AI and
			 * TensorBoard (see log_event()).
			 */
			if (!(!w->attrs && w->has_log &&
			    strcmp(rel, ".guild") == 0 &&
			    str_ends_with(base, ".guild")) &&
			    fstatat(dfd, base, &st, 0) == 0 &&
			    S_ISREG(st.st_mode))
				source_push(w->out, path, &st);
		} else if (depth + 1 < WALK_DEPTH_MAX &&
		    fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISDIR(st.st_mode))
				walk_dir(w, dfd, base, path, depth + 1);
			else if (S_ISLNK(st.st_mode) &&
			    fstatat(dfd, base, &st, 0) == 0 &&
			    S_ISDIR(st.st_mode)) {
				char	*opref = path_join(base, ".guild/opref");

				if (faccessat(dfd, opref, F_OK, 0) == 0)
					walk_dir(w, dfd, base, path, depth + 1);
				free(opref);
			}
		}
		free(path);
	}
out:
	dirscan_close(d);
	strvec_clear(&names);
}

/* Every source of run_dir now, in path order. */
static void
find_sources(const char *run_dir, struct scalars_sources *out)
{
	struct walk	 w;
	struct stat	 st;
	char		*log = log_path(run_dir);

	struct timespec	 ts;

	memset(&w, 0, sizeof w);
	w.run_dir = run_dir;
	w.out = out;
	clock_gettime(CLOCK_REALTIME, &ts);
	w.now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	if (lstat(log, &st) == 0 && S_ISREG(st.st_mode)) {
		w.has_log = true;
		source_push(out, ".guild/" LOG_FILE, &st);
	}
	free(log);
	walk_dir(&w, AT_FDCWD, run_dir, "", 0);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, source_cmp);
}

static bool
is_log_source(const char *path)
{
	return strcmp(path, ".guild/" LOG_FILE) == 0;
}

/* Prefix of an event file's keys: its directory, Guild's way. */
static char *
source_prefix(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;

	if (slash == NULL)
		return xstrdup("");
	dir = xstrndup(path, (size_t)(slash - path));
	if (strcmp(dir, ".guild") == 0) {
		free(dir);
		return xstrdup("");
	}
	return dir;
}

/*
 * scalars.tsv from src->offset: complete lines only, so a record being
 * written is read when it is whole.
 */
static int
read_log_from(const char *run_dir, struct scalars_source *src,
    struct summary_build *b, bool *changed, char **cause)
{
	struct scalar_point	 pt;
	struct strbuf		 sb = STRBUF_INIT;
	char			*path, *line, *nl, *key, *c = NULL;
	int			 rv = 0;

	path = log_path(run_dir);
	/* A run's file: a FIFO or a device there must not hang us. */
	if (file_read_regular_from(AT_FDCWD, path, FILE_NOFOLLOW, src->offset,
	    &sb, &c) == -1)
		rv = errno == ENOENT ? 0 : set_cause(cause, "%s", c);
	for (line = sb.buf; rv == 0 && line != NULL && (nl = memchr(line,
	    '\n', (size_t)(sb.buf + sb.len - line))) != NULL; line = nl + 1) {
		src->offset += (uint64_t)(nl + 1 - line);
		*nl = '\0';
		if (line[0] != '#' && parse_record(line, &key, &pt)) {
			stats_add(b, key, &pt);
			*changed = true;
		}
	}
	strbuf_release(&sb);
	free(c);
	free(path);
	return rv;
}

/* An event file from src->offset; damage is a warning. */
static void
read_events_from(const char *run_dir, struct scalars_source *src,
    struct summary_build *b, bool *changed)
{
	struct event_ctx	 ec;
	struct stat		 st;
	char			*path, *prefix, *cause = NULL, *lock;
	uint64_t		 end;

	path = path_join(run_dir, src->path);
	prefix = source_prefix(src->path);
	memset(&ec, 0, sizeof ec);
	ec.b = b;
	ec.prefix = prefix;
	strbuf_init(&ec.key);
	if (tfevents_read_from(path, src->offset, event_cb, &ec, &end,
	    &cause) == -1)
		warnx_core("%s", cause);
	else if (end < src->size) {
		/*
		 * A record cut short: a writer at work, unless the run is
		 * over (no LOCK), when the rest is lost.
		 */
		lock = path_join(run_dir, ".guild/LOCK");
		if (lstat(lock, &st) == -1 && errno == ENOENT)
			warnx_core("%s: event file cut short at offset %llu",
			    path, (unsigned long long)end);
		free(lock);
	}
	src->offset = end;
	*changed = *changed || ec.changed;
	strbuf_release(&ec.key);
	free(cause);
	free(prefix);
	free(path);
}

void
scalars_sources_release(struct scalars_sources *src)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		free(src->v[i].path);
	free(src->v);
	src->v = NULL;
	src->n = src->alloc = 0;
	for (i = 0; i < src->ndirs; i++)
		free(src->dirs[i].path);
	free(src->dirs);
	src->dirs = NULL;
	src->ndirs = src->dalloc = 0;
}

static struct scalars_source *
source_find(struct scalars_sources *src, const char *path)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		if (strcmp(src->v[i].path, path) == 0)
			return &src->v[i];
	return NULL;
}

/*
 * What the known sources are now; with rescan, every source. Sets *reset
 * when what was read cannot be built on (a file replaced, cut, gone).
 */
static void
current_sources(const char *run_dir, struct scalars_sources *known,
    bool rescan, struct scalars_sources *cur, bool *reset)
{
	struct scalars_source	*k;
	struct stat		 st;
	char			*path;
	size_t			 i;

	*reset = false;
	if (rescan)
		find_sources(run_dir, cur);
	else {
		for (i = 0; i < known->n; i++) {
			path = path_join(run_dir, known->v[i].path);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				source_push(cur, known->v[i].path, &st);
			free(path);
		}
	}
	for (i = 0; i < known->n && !*reset; i++) {
		k = source_find(cur, known->v[i].path);
		if (k == NULL || k->ino != known->v[i].ino ||
		    k->size < known->v[i].offset)
			*reset = true;
	}
}

int
scalars_summary_update(const char *run_dir, int flags,
    struct scalars_summary *out, struct scalars_sources *src,
    bool rescan, char **cause)
{
	struct scalars_sources	 cur = SCALARS_SOURCES_INIT;
	struct scalars_source	*k, *c;
	struct summary_build	 b;
	bool			 reset, changed = false;
	size_t			 i;
	int			 rv = 0;

	current_sources(run_dir, src, rescan, &cur, &reset);
	if (reset) {
		scalars_summary_release(out);
		scalars_sources_release(src);
		scalars_sources_release(&cur);
		find_sources(run_dir, &cur);
		changed = true;
	}
	memset(&b, 0, sizeof b);
	b.out = out;
	b.alloc = out->n;
	b.flags = flags;
	if (out->n > 0)
		build_rehash(&b);
	for (i = 0; i < cur.n && rv == 0; i++) {
		c = &cur.v[i];
		if ((k = source_find(src, c->path)) == NULL) {
			XGROW(src->v, src->alloc, src->n + 1);
			k = &src->v[src->n++];
			memset(k, 0, sizeof *k);
			k->path = xstrdup(c->path);
		} else if (k->size == c->size && k->mtime_ns == c->mtime_ns)
			continue;
		k->ino = c->ino;
		k->size = c->size;
		k->mtime_ns = c->mtime_ns;
		changed = true;
		if (is_log_source(k->path))
			rv = read_log_from(run_dir, k, &b, &changed, cause);
		else
			read_events_from(run_dir, k, &b, &changed);
	}
	if (rescan || reset) {
		/* The directories of this search replace the last's. */
		struct scalars_source	*dv = src->dirs;
		size_t			 dn = src->ndirs, da = src->dalloc;

		src->dirs = cur.dirs;
		src->ndirs = cur.ndirs;
		src->dalloc = cur.dalloc;
		cur.dirs = dv;
		cur.ndirs = dn;
		cur.dalloc = da;
	}
	scalars_sources_release(&cur);
	free(b.slots);
	if (src->n > 1)
		qsort(src->v, src->n, sizeof *src->v, source_cmp);
	if (rv != 0) {
		scalars_summary_release(out);
		scalars_sources_release(src);
		return -1;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, stats_cmp);
	return changed ? 1 : 0;
}

/* One decimal number of an encoded source, and the blank after it. */
static bool
parse_num(const char **pp, bool sign, uint64_t *out)
{
	const char	*p = *pp;
	bool		 neg = false;
	uint64_t	 v = 0;

	if (sign && *p == '-') {
		neg = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p++ - '0');
	}
	if (*p != ' ')
		return false;
	*pp = p + 1;
	*out = neg ? (uint64_t)-(int64_t)v : v;
	return true;
}

/*
 * One line of scalars_sources_encode(): a file ("OFFSET SIZE MTIME_NS INO
 * PATH") or a directory ("d MTIME_NS INO PATH"); *pp moves past it. The
 * path is left escaped, [path, *end).
 */
static bool
parse_source(const char **pp, struct scalars_source *s, bool *dir,
    const char **path, const char **end)
{
	const char	*p = *pp, *nl;
	uint64_t	 mtime;

	memset(s, 0, sizeof *s);
	if ((nl = strchr(p, '\n')) == NULL)
		return false;
	if ((*dir = *p == 'd')) {
		if (p[1] != ' ')
			return false;
		p += 2;
	} else if (!parse_num(&p, false, &s->offset) ||
	    !parse_num(&p, false, &s->size))
		return false;
	if (!parse_num(&p, true, &mtime) || !parse_num(&p, false, &s->ino) ||
	    p >= nl)
		return false;
	s->mtime_ns = (int64_t)mtime;
	*path = p;
	*end = nl;
	*pp = nl + 1;
	return true;
}

bool
scalars_sources_stale(int dfd, const char *run_dir, const char *text)
{
	struct scalars_source	 s;
	struct strbuf		 sb = STRBUF_INIT;
	struct stat		 st;
	const char		*p = text, *path, *end;
	size_t			 base;
	bool			 dir, stale = false, dirs = false;

	strbuf_addstr(&sb, run_dir);
	strbuf_addch(&sb, '/');
	base = sb.len;
	while (*p != '\0' && !stale) {
		if (!parse_source(&p, &s, &dir, &path, &end)) {
			stale = true;
			break;
		}
		strbuf_setlen(&sb, base);
		strbuf_add(&sb, path, (size_t)(end - path));
		if (memchr(path, '\\', (size_t)(end - path)) != NULL)
			unescape_key(sb.buf + base);
		if (fstatat(dfd, sb.buf, &st, 0) == -1 ||
		    (uint64_t)st.st_ino != s.ino ||
		    (int64_t)st.st_mtim.tv_sec * 1000000000 +
		    st.st_mtim.tv_nsec != s.mtime_ns)
			stale = true;
		else if (dir)
			dirs = true;
		else
			stale = (uint64_t)st.st_size != s.size;
	}
	strbuf_release(&sb);
	return stale || !dirs;
}

/* v in decimal and a blank: printf is most of a first listing's encoding. */
static void
add_num(struct strbuf *sb, uint64_t v, bool neg)
{
	char	buf[24], *p = buf + sizeof buf;

	*--p = ' ';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (neg)
		*--p = '-';
	strbuf_add(sb, p, (size_t)(buf + sizeof buf - p));
}

static void
add_signed(struct strbuf *sb, int64_t v)
{
	add_num(sb, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

static void
encode_one(struct strbuf *sb, const struct scalars_source *s, bool dir)
{
	if (dir)
		strbuf_addstr(sb, "d ");
	else {
		add_num(sb, s->offset, false);
		add_num(sb, s->size, false);
	}
	add_signed(sb, s->mtime_ns);
	add_num(sb, s->ino, false);
	escape_key(sb, s->path);
	strbuf_addch(sb, '\n');
}

/*
 * Encoded: "OFFSET SIZE MTIME_NS INO PATH\n" per source, then "d
 * MTIME_NS INO PATH\n" per directory, PATH escaped as the log's keys
 * are.
 */
char *
scalars_sources_encode(const struct scalars_sources *src)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	for (i = 0; i < src->n; i++)
		encode_one(&sb, &src->v[i], false);
	for (i = 0; i < src->ndirs; i++)
		encode_one(&sb, &src->dirs[i], true);
	return strbuf_detach(&sb, NULL);
}

int
scalars_sources_decode(const char *text, struct scalars_sources *src)
{
	struct scalars_source	 s;
	const char		*p = text, *path, *end;
	bool			 dir;

	scalars_sources_release(src);
	while (*p != '\0') {
		if (!parse_source(&p, &s, &dir, &path, &end)) {
			scalars_sources_release(src);
			return -1;
		}
		s.path = xstrndup(path, (size_t)(end - path));
		unescape_key(s.path);
		if (dir) {
			XGROW(src->dirs, src->dalloc, src->ndirs + 1);
			src->dirs[src->ndirs++] = s;
		} else {
			XGROW(src->v, src->alloc, src->n + 1);
			src->v[src->n++] = s;
		}
	}
	return 0;
}

static int
attr_event_cb(const struct tfevents_event *ev, void *arg)
{
	struct event_ctx	*ec = arg;
	size_t			 i;

	for (i = 0; i < ev->ntexts; i++) {
		strbuf_reset(&ec->key);
		if (*ec->prefix != '\0') {
			strbuf_addstr(&ec->key, ec->prefix);
			strbuf_addch(&ec->key, '#');
		}
		strbuf_addstr(&ec->key, ev->text_tags[i]);
		value_map_set(ec->attrs, ec->key.buf,
		    value_string(ev->texts[i]));
	}
	return 0;
}

struct value *
scalars_logged_attrs(const char *run_dir)
{
	struct scalars_sources	 src = SCALARS_SOURCES_INIT;
	struct event_ctx	 ec;
	struct value		*m = value_map();
	struct walk		 w;
	char			*path, *prefix, *cause = NULL;
	size_t			 i;

	memset(&w, 0, sizeof w);
	w.run_dir = run_dir;
	w.attrs = true;
	w.out = &src;
	walk_dir(&w, AT_FDCWD, run_dir, "", 0);
	if (src.n > 1)
		qsort(src.v, src.n, sizeof *src.v, source_cmp);
	for (i = 0; i < src.n; i++) {
		path = path_join(run_dir, src.v[i].path);
		prefix = source_prefix(src.v[i].path);
		memset(&ec, 0, sizeof ec);
		ec.attrs = m;
		ec.prefix = prefix;
		strbuf_init(&ec.key);
		if (tfevents_read(path, attr_event_cb, &ec, &cause) == -1) {
			warnx_core("%s", cause);
			free(cause);
			cause = NULL;
		}
		strbuf_release(&ec.key);
		free(prefix);
		free(path);
	}
	scalars_sources_release(&src);
	return m;
}

int
scalars_summary_read(const char *run_dir, int flags,
    struct scalars_summary *out, char **cause)
{
	struct scalars_sources	src = SCALARS_SOURCES_INIT;
	int			rv;

	out->v = NULL;
	out->n = 0;
	if (flags & SCALARS_LOG_ONLY) {
		struct stat	 st;
		char		*log = log_path(run_dir);

		/* Known, and read from its start: not searched for. */
		if (lstat(log, &st) == 0 && S_ISREG(st.st_mode)) {
			source_push(&src, ".guild/" LOG_FILE, &st);
			src.v[0].size = 0;
			src.v[0].mtime_ns = -1;
		}
		free(log);
		rv = scalars_summary_update(run_dir, flags, out, &src, false,
		    cause);
		scalars_sources_release(&src);
		return rv == -1 ? -1 : 0;
	}
	rv = scalars_summary_update(run_dir, flags, out, &src, true, cause);
	scalars_sources_release(&src);
	return rv == -1 ? -1 : 0;
}

const struct scalar_stats *
scalars_summary_find(const struct scalars_summary *sum, const char *key)
{
	size_t	lo = 0, hi = sum->n, mid;
	int	cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = scalars_key_cmp(key, sum->v[mid].key);
		if (cmp == 0)
			return &sum->v[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void
scalars_summary_release(struct scalars_summary *sum)
{
	size_t	i;

	for (i = 0; i < sum->n; i++) {
		free(sum->v[i].key);
		free(sum->v[i].series);
	}
	free(sum->v);
	sum->v = NULL;
	sum->n = 0;
}
