/*
 * flags.c: flag values from the command line to the operation process,
 * following Guild AI's flag_util.py, op_util.py and op_cmd.py.
 */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deps.h"
#include "flags.h"
#include "passwd.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"
#include "yamlnode.h"

/* Sequence functions must not turn a typo into a huge allocation. */
#define FLAG_SEQ_MAX		100000
/* Nor may list repetition ([1]*1000000000). */
#define FLAG_REPEAT_MAX		100000

static struct value	*decode_default(const char *, bool);

int
flag_assign_split(const char *arg, char **name, char **val, char **cause)
{
	const char	*eq;

	if ((eq = strchr(arg, '=')) == NULL)
		return set_cause(cause, "invalid argument '%s': expected NAME=VAL",
		    arg);
	*name = xstrndup(arg, (size_t)(eq - arg));
	*val = xstrdup(eq + 1);
	return 0;
}

/* Python's int() and float() on a str. */

static bool
py_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	    c == '\r';
}

/* The text without surrounding whitespace and underscores; NULL if empty. */
static char *
py_number_text(const char *s)
{
	const char	*end;
	char		*t, *q;

	while (py_space((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && py_space((unsigned char)end[-1]))
		end--;
	if (end == s)
		return NULL;
	t = xstrndup(s, (size_t)(end - s));
	for (q = t; *s != '\0' && s < end; s++) {
		if (*s != '_')
			*q++ = *s;
	}
	*q = '\0';
	return t;
}

/* Digits with single underscores between them: [0-9](_?[0-9])* */
static const char *
py_digitpart(const char *p)
{
	if (!isdigit((unsigned char)*p))
		return NULL;
	p++;
	for (;;) {
		if (isdigit((unsigned char)*p))
			p++;
		else if (*p == '_' && isdigit((unsigned char)p[1]))
			p += 2;
		else
			return p;
	}
}

static const char *
py_trim(const char *s, const char **end)
{
	while (py_space((unsigned char)*s))
		s++;
	*end = s + strlen(s);
	while (*end > s && py_space((unsigned char)(*end)[-1]))
		(*end)--;
	return s;
}

static bool
py_int(const char *s, long long *out)
{
	const char		*p, *end;
	char			*t, *tend;
	long long		 v;

	p = py_trim(s, &end);
	if (*p == '-' || *p == '+')
		p++;
	if ((p = py_digitpart(p)) == NULL || p != end)
		return false;
	if ((t = py_number_text(s)) == NULL)
		return false;
	errno = 0;
	v = strtoll(t, &tend, 10);
	if (errno != 0 || *tend != '\0') {
		/* Python ints are unbounded: this one is left to float(). */
		free(t);
		return false;
	}
	free(t);
	*out = v;
	return true;
}

static bool
py_float(const char *s, double *out)
{
	const char	*p, *end, *q;
	char		*t;
	bool		 neg;
	size_t		 n;

	p = py_trim(s, &end);
	neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	n = (size_t)(end - p);
	if ((n == 3 && strncasecmp(p, "inf", 3) == 0) ||
	    (n == 8 && strncasecmp(p, "infinity", 8) == 0)) {
		*out = neg ? -INFINITY : INFINITY;
		return true;
	}
	if (n == 3 && strncasecmp(p, "nan", 3) == 0) {
		*out = NAN;
		return true;
	}
	/* digitpart [. [digitpart]] | . digitpart, then [eE][+-]digitpart */
	if ((q = py_digitpart(p)) != NULL) {
		p = q;
		if (*p == '.') {
			p++;
			if ((q = py_digitpart(p)) != NULL)
				p = q;
		}
	} else if (*p == '.' && (q = py_digitpart(p + 1)) != NULL)
		p = q;
	else
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if ((p = py_digitpart(p)) == NULL)
			return false;
	}
	if (p != end || (t = py_number_text(s)) == NULL)
		return false;
	*out = value_strtod(t, NULL);
	free(t);
	return true;
}

/* Python's truthiness. */
static bool
value_truthy(const struct value *v)
{
	switch (v->type) {
	case VALUE_NULL:
		return false;
	case VALUE_BOOL:
		return v->u.b;
	case VALUE_INT:
		return v->u.i != 0;
	case VALUE_FLOAT:
		return v->u.f != 0;
	case VALUE_STRING:
		return v->u.s[0] != '\0';
	case VALUE_LIST:
		return v->u.list.n != 0;
	case VALUE_MAP:
		return v->u.map.n != 0;
	}
	return false;
}

/* Flag functions. */

static bool
is_name_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/*
 * NAME[ARGS]: re.match of ([a-zA-Z0-9_\-\.]+)\[(.*)\], so the arguments
 * run to the last ']' of the line and anything after it is ignored.
 */
static bool
split_named_function(const char *s, char **name, char **args)
{
	const char	*p = s, *open, *close = NULL, *q;

	while (is_name_char((unsigned char)*p))
		p++;
	if (p == s || *p != '[')
		return false;
	open = p;
	for (q = open + 1; *q != '\0' && *q != '\n'; q++) {
		if (*q == ']')
			close = q;
	}
	if (close == NULL)
		return false;
	*name = xstrndup(s, (size_t)(open - s));
	*args = xstrndup(open + 1, (size_t)(close - open - 1));
	return true;
}

/*
 * [A:B...]: YAML reads "[1:2]" as a list holding a sexagesimal int, so
 * the text is an anonymous function when YAML fails on it or gives a
 * list of one string or int.
 */
static bool
split_anonymous_function(const char *s, char **args)
{
	size_t		 len = strlen(s);
	struct value	*v, *item;
	bool		 anon;

	if (len < 2 || s[0] != '[' || s[len - 1] != ']' ||
	    strchr(s, ':') == NULL)
		return false;
	if ((v = yaml_parse_value(s, len, NULL)) == NULL)
		anon = true;
	else {
		anon = false;
		if (v->type == VALUE_LIST && v->u.list.n == 1) {
			item = v->u.list.v[0];
			anon = item->type == VALUE_STRING ||
			    item->type == VALUE_INT || item->type == VALUE_BOOL;
		}
		value_free(v);
	}
	if (anon)
		*args = xstrndup(s + 1, len - 2);
	return anon;
}

static char *
strip_dup(const char *s, size_t len)
{
	while (len > 0 && py_space((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && py_space((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

bool
flag_function_parse(const char *s, char **name, struct value **args)
{
	char		*fname = NULL, *raw = NULL, *arg, *stripped;
	const char	*p, *colon;
	struct value	*list;

	if (!split_named_function(s, &fname, &raw) &&
	    !split_anonymous_function(s, &raw))
		return false;
	if (args != NULL) {
		list = value_list();
		stripped = strip_dup(raw, strlen(raw));
		if (*stripped != '\0') {
			for (p = stripped;; p = colon + 1) {
				colon = strchr(p, ':');
				arg = strip_dup(p, colon == NULL ? strlen(p) :
				    (size_t)(colon - p));
				value_list_push(list, decode_default(arg, true));
				free(arg);
				if (colon == NULL)
					break;
			}
		}
		free(stripped);
		*args = list;
	}
	if (name != NULL)
		*name = fname;
	else
		free(fname);
	free(raw);
	return true;
}

bool
flag_is_function(const struct value *v)
{
	return v != NULL && v->type == VALUE_STRING &&
	    flag_function_parse(v->u.s, NULL, NULL);
}

/*
 * printf() writes LC_NUMERIC's decimal point; Python never does. Put a
 * '.' back in what was appended since start.
 */
static void
c_decimal_point(struct strbuf *sb, size_t start)
{
	const char	*dp = localeconv()->decimal_point;
	size_t		 dlen = strlen(dp);
	char		*p;

	if (dlen == 0 || strcmp(dp, ".") == 0)
		return;
	if ((p = strstr(sb->buf + start, dp)) == NULL)
		return;
	*p = '.';
	memmove(p + 1, p + dlen, strlen(p + dlen) + 1);
	strbuf_setlen(sb, sb->len - (dlen - 1));
}

/* numpy's values as Python numbers: floats above 1e-8 rounded to 8 places. */
static struct value *
seq_float(double x)
{
	struct strbuf	sb = STRBUF_INIT;

	if (x > 1e-8 && isfinite(x)) {
		strbuf_addf(&sb, "%.8f", x);
		c_decimal_point(&sb, 0);
		x = value_strtod(sb.buf, NULL);
		strbuf_release(&sb);
	}
	return value_float(x);
}

static int
seq_args(const char *fn, const struct value *args, size_t required,
    double *vals, bool *isint, size_t nvals, char **cause)
{
	const struct value	*a;
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 i;

	for (i = 0; i < nvals && i < args->u.list.n; i++) {
		a = args->u.list.v[i];
		if (a->type == VALUE_INT) {
			vals[i] = (double)a->u.i;
			isint[i] = true;
		} else if (a->type == VALUE_FLOAT) {
			vals[i] = a->u.f;
			isint[i] = false;
		} else {
			value_format_flag(&sb, a);
			set_cause(cause, "%s: invalid arg %s: expected a number",
			    fn, sb.buf);
			strbuf_release(&sb);
			return -1;
		}
	}
	if (args->u.list.n < required)
		return set_cause(cause, "%s: function requires at least %zu "
		    "arg(s)", fn, required);
	if (args->u.list.n > nvals)
		warnx_core("unsupported arguments for %s function: ignoring", fn);
	return 0;
}

static int
expand_range(const struct value *args, struct value **out, char **cause)
{
	double	v[3] = { 0, 0, 1 }, start, stop, step, n, x;
	bool	isint[3] = { true, true, true };
	size_t	i, count;

	if (seq_args("range", args, 1, v, isint, 3, cause) != 0)
		return -1;
	step = v[2];
	if (step == 0)
		return set_cause(cause, "range: step must not be 0");
	if (args->u.list.n >= 2) {
		start = v[0];
		/* The end is inclusive: Guild adds min(step, 1). */
		stop = v[1] + (step < 1 ? step : 1);
	} else {
		start = 0;
		stop = v[0];
	}
	n = ceil((stop - start) / step);
	if (!(n >= 0))
		n = 0;
	if (n > FLAG_SEQ_MAX)
		return set_cause(cause, "range: too many values");
	count = (size_t)n;
	*out = value_list();
	for (i = 0; i < count; i++) {
		x = start + (double)i * step;
		if (isint[0] && isint[1] && isint[2])
			value_list_push(*out, value_int((long long)x));
		else
			value_list_push(*out, seq_float(x));
	}
	return 1;
}

static int
linspace(const char *fn, const struct value *args, double *v, bool *isint,
    size_t nvals, double **ys, size_t *count, char **cause)
{
	double	start, stop, step;
	size_t	i, n;

	if (seq_args(fn, args, 2, v, isint, nvals, cause) != 0)
		return -1;
	if (!isint[2] || v[2] < 0)
		return set_cause(cause, "%s: count must be a positive integer",
		    fn);
	if (v[2] > FLAG_SEQ_MAX)
		return set_cause(cause, "%s: too many values", fn);
	n = (size_t)v[2];
	start = v[0];
	stop = v[1];
	*ys = xreallocarray(NULL, n + 1, sizeof **ys);
	step = n > 1 ? (stop - start) / (double)(n - 1) : 0;
	for (i = 0; i < n; i++)
		(*ys)[i] = (double)i * step + start;
	if (n > 1)
		(*ys)[n - 1] = stop;
	*count = n;
	return 0;
}

int
flag_function_expand(const char *name, const struct value *args,
    struct value **out, char **cause)
{
	double	 v[4] = { 0, 0, 5, 10 }, *ys;
	bool	 isint[4] = { false, false, true, true };
	size_t	 i, n;

	*out = NULL;
	if (name == NULL || args == NULL || args->type != VALUE_LIST)
		return 0;
	if (strcmp(name, "range") == 0)
		return expand_range(args, out, cause);
	if (strcmp(name, "linspace") == 0) {
		if (linspace(name, args, v, isint, 3, &ys, &n, cause) != 0)
			return -1;
		*out = value_list();
		for (i = 0; i < n; i++)
			value_list_push(*out, seq_float(ys[i]));
		free(ys);
		return 1;
	}
	if (strcmp(name, "logspace") == 0) {
		if (linspace(name, args, v, isint, 4, &ys, &n, cause) != 0)
			return -1;
		*out = value_list();
		for (i = 0; i < n; i++)
			value_list_push(*out, seq_float(pow(v[3], ys[i])));
		free(ys);
		return 1;
	}
	return 0;
}

/* Decoding. */

/* flag_util._flag_function_or_expanded_sequence() */
static struct value *
decode_function(const char *s)
{
	char		*name = NULL, *cause = NULL;
	struct value	*args = NULL, *out = NULL;

	if (!flag_function_parse(s, &name, &args))
		return NULL;
	if (name == NULL && args->u.list.n >= 2)
		out = value_string(s);
	else if (flag_function_expand(name, args, &out, &cause) < 0) {
		warnx_core("error decoding %s: %s", s, cause);
		free(cause);
	}
	free(name);
	value_free(args);
	return out;
}

/* "[1, 2]*3": LIST_CONCAT_P = (\[.*\])\s*\*\s*([0-9]+)$ */
static struct value *
decode_repeat(const char *text)
{
	char		*s, *end, *p, *list_text;
	struct value	*list, *out;
	unsigned long	 times;
	size_t		 i, j;

	s = strip_dup(text, strlen(text));
	end = s + strlen(s);
	p = end;
	while (p > s && isdigit((unsigned char)p[-1]))
		p--;
	if (s[0] != '[' || p == end || strchr(s, '\n') != NULL)
		goto fail;
	times = strtoul(p, NULL, 10);
	while (p > s && py_space((unsigned char)p[-1]))
		p--;
	if (p == s || *--p != '*')
		goto fail;
	while (p > s && py_space((unsigned char)p[-1]))
		p--;
	if (p == s || p[-1] != ']')
		goto fail;
	list_text = xstrndup(s, (size_t)(p - s));
	list = decode_default(list_text, false);
	free(list_text);
	free(s);
	/* From here the text is a repetition: a string if not a list's. */
	if (list->type != VALUE_LIST)
		goto text;
	if (list->u.list.n == 0)
		return list;
	if (times > FLAG_REPEAT_MAX / list->u.list.n) {
		warnx_core("list repetition too long: %s", text);
		goto text;
	}
	out = value_list();
	for (i = 0; i < times; i++) {
		for (j = 0; j < list->u.list.n; j++)
			value_list_push(out, value_dup(list->u.list.v[j]));
	}
	value_free(list);
	return out;
text:
	value_free(list);
	return value_string(text);
fail:
	free(s);
	return NULL;
}

/* SCIENTIFIC_NOTATION_RUN_ID_P: run ids like 123e4567 are not numbers. */
static bool
looks_like_run_id(const char *s)
{
	size_t	len = strlen(s);
	size_t	n = strspn(s, "0123456789");

	return len >= 3 && len <= 32 && n > 0 && s[n] == 'e' &&
	    isdigit((unsigned char)s[n + 1]);
}

/* flag_util._default_flag_decoders(); nofix also skips the run id check. */
static struct value *
decode_default(const char *s, bool nofix)
{
	long long	 i;
	double		 d;
	struct value	*v;

	if (*s == '\0')
		return value_string("");
	if (py_int(s, &i))
		return value_int(i);
	if (py_float(s, &d))
		return value_float(d);
	if ((v = decode_function(s)) != NULL)
		return v;
	if ((v = decode_repeat(s)) != NULL)
		return v;
	if (!nofix && looks_like_run_id(s))
		return value_string(s);
	if ((v = yaml_parse_value(s, strlen(s), NULL)) != NULL)
		return v;
	return value_string(s);
}

/* flag_util._base_decoders_for_type() */
static struct value *
decode_typed(const char *s, enum flag_type type)
{
	long long	 i;
	double		 d;
	struct value	*v;

	switch (type) {
	case FLAG_TYPE_STRING:
	case FLAG_TYPE_PATH:
	case FLAG_TYPE_EXISTING_PATH:
		/* Text that looks like YAML is decoded as YAML. */
		if (strchr("['\"{", s[0]) == NULL)
			return value_string(s);
		return NULL;
	case FLAG_TYPE_INT:
		if (py_int(s, &i))
			return value_int(i);
		return NULL;
	case FLAG_TYPE_FLOAT:
		if (py_float(s, &d))
			return value_float(d);
		return NULL;
	case FLAG_TYPE_NUMBER:
		if (py_int(s, &i))
			return value_int(i);
		if (py_float(s, &d))
			return value_float(d);
		return NULL;
	case FLAG_TYPE_BOOLEAN:
		if ((v = yaml_parse_value(s, strlen(s), NULL)) == NULL)
			return NULL;
		if (v->type == VALUE_INT || v->type == VALUE_FLOAT ||
		    v->type == VALUE_BOOL) {
			bool	b = value_truthy(v);

			value_free(v);
			return value_bool(b);
		}
		return v;
	default:
		return NULL;
	}
}

struct value *
flag_decode(const char *text, enum flag_type type)
{
	struct value	*v;

	if (*text == '\0')
		return value_string("");
	if ((v = decode_typed(text, type)) == NULL)
		v = decode_default(text, false);

	/* _fix_surprising_number: 2018_06_26 and 1:12 are not numbers. */
	if ((v->type == VALUE_INT || v->type == VALUE_FLOAT ||
	    v->type == VALUE_BOOL) && strstr(text, "!!") == NULL &&
	    strpbrk(text, "_:") != NULL) {
		value_free(v);
		v = value_string(text);
	}
	return v;
}

/* Coercion. */

/* Python's str() of a scalar; lists and maps in flag form. */
static void
py_str(struct strbuf *sb, const struct value *v)
{
	if (v->type == VALUE_LIST || v->type == VALUE_MAP)
		value_format_flag(sb, v);
	else
		value_format_py(sb, v, false);
}

/* os.path.expanduser() */
static char *
expand_user(const char *s)
{
	const char	*slash;
	char		*user, *home, *out;

	if (s[0] != '~')
		return xstrdup(s);
	slash = strchr(s, '/');
	if (slash == NULL)
		slash = s + strlen(s);
	if (slash == s + 1)
		home = passwd_home();
	else {
		user = xstrndup(s + 1, (size_t)(slash - s - 1));
		home = passwd_home_of(user);
		free(user);
	}
	if (home == NULL)
		return xstrdup(s);
	out = xasprintf("%s%s", home, slash);
	free(home);
	return out;
}

static struct value *
coerce_typed(const struct flagdef *fd, const struct value *v, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*out;
	long long	 i;
	double		 d;
	char		*path, *abs;

	switch (fd->type) {
	case FLAG_TYPE_STRING:
		if (v->type == VALUE_STRING)
			return value_dup(v);
		py_str(&sb, v);
		out = value_string(sb.buf);
		strbuf_release(&sb);
		return out;
	case FLAG_TYPE_INT:
		if (v->type == VALUE_INT)
			return value_dup(v);
		if (v->type == VALUE_BOOL)
			return value_int(v->u.b);
		if (v->type == VALUE_STRING && py_int(v->u.s, &i))
			return value_int(i);
		break;
	case FLAG_TYPE_FLOAT:
		if (v->type == VALUE_FLOAT)
			return value_dup(v);
		if (v->type == VALUE_INT)
			return value_float((double)v->u.i);
		if (v->type == VALUE_BOOL)
			return value_float(v->u.b);
		if (v->type == VALUE_STRING && py_float(v->u.s, &d))
			return value_float(d);
		break;
	case FLAG_TYPE_BOOLEAN:
		return value_bool(value_truthy(v));
	case FLAG_TYPE_NUMBER:
		if (v->type == VALUE_INT || v->type == VALUE_FLOAT ||
		    v->type == VALUE_BOOL)
			return value_dup(v);
		if (v->type == VALUE_STRING && py_int(v->u.s, &i))
			return value_int(i);
		if (v->type == VALUE_STRING && py_float(v->u.s, &d))
			return value_float(d);
		break;
	case FLAG_TYPE_PATH:
	case FLAG_TYPE_EXISTING_PATH:
		if (v->type != VALUE_STRING)
			return value_dup(v);
		path = expand_user(v->u.s);
		if (*path != '\0' && *path != '/') {
			abs = path_absolute(path);
			free(path);
			path = abs;
		}
		out = value_string(path);
		free(path);
		return out;
	default:
		return value_dup(v);
	}
	set_cause(cause, "invalid value for type '%s'", flag_type_name(fd->type));
	return NULL;
}

/*
 * Split an encoded value as arg-split says: shlex for "shlex" (or yes),
 * else on the delimiter, dropping empty parts.
 */
static int
split_encoded(const char *encoded, const char *spec, struct strvec *out,
    char **cause)
{
	const char	*p, *q;
	size_t		 dlen;

	if (spec == NULL || strcmp(spec, "shlex") == 0)
		return shlex_split(encoded, out, cause);
	dlen = strlen(spec);
	if (dlen == 0) {
		if (*encoded != '\0')
			strvec_push(out, encoded);
		return 0;
	}
	for (p = encoded;; p = q + dlen) {
		q = strstr(p, spec);
		if (q == NULL) {
			if (*p != '\0')
				strvec_push(out, p);
			return 0;
		}
		if (q > p)
			strvec_push_nodup(out, xstrndup(p, (size_t)(q - p)));
	}
}

/* flag_util.join_splittable_flag_vals() */
static void
join_splittable(struct strbuf *sb, const struct value *list, const char *spec)
{
	struct strbuf	item = STRBUF_INIT;
	size_t		i;
	bool		shlex = spec == NULL || strcmp(spec, "shlex") == 0;

	for (i = 0; i < list->u.list.n; i++) {
		if (i > 0)
			strbuf_addstr(sb, shlex ? " " : spec);
		strbuf_reset(&item);
		value_format_flag(&item, list->u.list.v[i]);
		if (shlex)
			shlex_quote(sb, item.buf);
		else
			strbuf_addstr(sb, item.buf);
	}
	strbuf_release(&item);
}

struct value *
flag_coerce(const struct flagdef *fd, const struct value *v, char **cause)
{
	struct value	*out, *item, *parts;
	struct strbuf	 sb = STRBUF_INIT;
	struct strvec	 split = STRVEC_INIT;
	size_t		 i;

	if (v->type == VALUE_NULL || fd == NULL ||
	    fd->type == FLAG_TYPE_AUTO || flag_is_function(v))
		return value_dup(v);
	if (v->type == VALUE_LIST) {
		out = value_list();
		for (i = 0; i < v->u.list.n; i++) {
			if ((item = flag_coerce(fd, v->u.list.v[i], cause)) ==
			    NULL) {
				value_free(out);
				return NULL;
			}
			value_list_push(out, item);
		}
		return out;
	}
	if (fd->arg_split == NULL)
		return coerce_typed(fd, v, cause);

	/* Each part of a split value must fit; the result is text again. */
	if (v->type == VALUE_STRING)
		strbuf_addstr(&sb, v->u.s);
	else
		value_format_flag(&sb, v);
	if (split_encoded(sb.buf, fd->arg_split, &split, cause) != 0) {
		strbuf_release(&sb);
		return NULL;
	}
	parts = value_list();
	out = NULL;
	for (i = 0; i < split.n; i++) {
		struct value	*part = value_string(split.v[i]);

		item = coerce_typed(fd, part, cause);
		value_free(part);
		if (item == NULL)
			goto done;
		value_list_push(parts, item);
	}
	strbuf_reset(&sb);
	join_splittable(&sb, parts, fd->arg_split);
	out = value_string(sb.buf);
done:
	value_free(parts);
	strvec_clear(&split);
	strbuf_release(&sb);
	return out;
}

/* Flag sets for an operation. */

static struct flagdef *
find_flagdef(const struct opdef *op, const char *name, bool alias)
{
	size_t	i;

	if (op == NULL)
		return NULL;
	for (i = 0; i < op->nflags; i++) {
		if (strcmp(op->flags[i]->name, name) == 0)
			return op->flags[i];
	}
	for (i = 0; alias && i < op->nflags; i++) {
		if (op->flags[i]->alias != NULL &&
		    strcmp(op->flags[i]->alias, name) == 0)
			return op->flags[i];
	}
	return NULL;
}

/*
 * Dependencies that take a flag (op_util._resource_flagdefs): a resource
 * or source with flag-name, or an operation source (named after the
 * resource, or the operation when inline). They are strings without a
 * default, never passed as arguments.
 */
static void
resource_flag_names(const struct opdef *op, struct strvec *names)
{
	/* One rule for the dependency flags' names: deps.c's. */
	deps_flag_names(op, names);
}

int
flags_parse_assigns(const struct opdef *op, const char *const *assigns,
    size_t n, struct value **user_flags, char **cause)
{
	struct value	*map;
	struct flagdef	*fd;
	struct strvec	 deps = STRVEC_INIT;
	char		*name, *text;
	size_t		 i;

	/* A dependency's flag names a run: "6397e049" is an id, not 6e52. */
	deps_flag_names(op, &deps);
	map = value_map();
	for (i = 0; i < n; i++) {
		if (flag_assign_split(assigns[i], &name, &text, cause) != 0) {
			value_free(map);
			strvec_clear(&deps);
			return -1;
		}
		fd = find_flagdef(op, name, true);
		/* As Guild, train=ID is operation:train=ID (the URI's path). */
		if (fd == NULL && strvec_find(&deps, name) < 0) {
			char	*full = xasprintf("operation:%s", name);

			if (strvec_find(&deps, full) >= 0) {
				free(name);
				name = full;
			} else
				free(full);
		}
		if (fd == NULL && strvec_find(&deps, name) >= 0)
			value_map_set(map, name, value_string(text));
		else
			value_map_set(map, fd != NULL ? fd->name : name,
			    flag_decode(text, fd != NULL ? fd->type :
			    FLAG_TYPE_AUTO));
		free(name);
		free(text);
	}
	strvec_clear(&deps);
	*user_flags = map;
	return 0;
}

static int
invalid_value(char **cause, const struct value *v, const char *flag,
    const char *why)
{
	struct strbuf	sb = STRBUF_INIT;

	value_format_flag(&sb, v);
	set_cause(cause, "invalid value %s for %s: %s", sb.buf, flag, why);
	strbuf_release(&sb);
	return -1;
}

static bool
choice_matches(const struct flag_choice *c, const struct value *v)
{
	struct value	*alias;
	bool		 eq;

	if (c->alias == NULL)
		return value_equal(c->value, v);
	alias = value_string(c->alias);
	eq = value_equal(alias, v);
	value_free(alias);
	return eq;
}

static int
check_choice(const struct flagdef *fd, const struct value *v, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;
	int		 rc;

	if (!value_truthy(v) || fd->allow_other || fd->nchoices == 0)
		return 0;
	for (i = 0; i < fd->nchoices; i++) {
		if (fd->choices[i].alias != NULL &&
		    choice_matches(&fd->choices[i], v))
			return 0;
		if (value_equal(fd->choices[i].value, v))
			return 0;
	}
	strbuf_addstr(&sb, "expected one of ");
	for (i = 0; i < fd->nchoices; i++) {
		if (i > 0)
			strbuf_addstr(&sb, ", ");
		if (fd->choices[i].alias != NULL)
			strbuf_addstr(&sb, fd->choices[i].alias);
		else
			value_format_flag(&sb, fd->choices[i].value);
	}
	rc = invalid_value(cause, v, fd->name, sb.buf);
	strbuf_release(&sb);
	return rc;
}

static int
check_range(const struct flagdef *fd, const struct value *v, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	double		 x, lim;
	int		 rc = 0;

	if (!value_number(v, &x))
		return 0;
	if (value_number(fd->min, &lim) && x < lim) {
		strbuf_addstr(&sb, "out of range (less than min ");
		py_str(&sb, fd->min);
		strbuf_addch(&sb, ')');
		rc = invalid_value(cause, v, fd->name, sb.buf);
	} else if (value_number(fd->max, &lim) && x > lim) {
		strbuf_addstr(&sb, "out of range (greater than max ");
		py_str(&sb, fd->max);
		strbuf_addch(&sb, ')');
		rc = invalid_value(cause, v, fd->name, sb.buf);
	}
	strbuf_release(&sb);
	return rc;
}

/* op_util._check_flag_val_() on one (non-list) value. */
static int
check_one(const struct flagdef *fd, const struct value *v, char **cause)
{
	char	*why;
	int	 rc;

	if (flag_is_function(v))
		return 0;
	if (check_choice(fd, v, cause) != 0)
		return -1;
	if (fd->type == FLAG_TYPE_EXISTING_PATH && v->type == VALUE_STRING &&
	    v->u.s[0] != '\0' && !path_exists(v->u.s)) {
		why = xasprintf("%s does not exist", v->u.s);
		rc = invalid_value(cause, v, fd->name, why);
		free(why);
		return rc;
	}
	return check_range(fd, v, cause);
}

static int
check_value(const struct flagdef *fd, const struct value *v, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct strvec	 parts = STRVEC_INIT;
	struct value	*part;
	size_t		 i;
	int		 rc = 0;

	if (v->type == VALUE_LIST) {
		for (i = 0; i < v->u.list.n; i++) {
			if (check_value(fd, v->u.list.v[i], cause) != 0)
				return -1;
		}
		return 0;
	}
	if (fd->arg_split == NULL || v->type == VALUE_NULL)
		return check_one(fd, v, cause);
	if (v->type == VALUE_STRING)
		strbuf_addstr(&sb, v->u.s);
	else
		value_format_flag(&sb, v);
	if (split_encoded(sb.buf, fd->arg_split, &parts, NULL) != 0)
		strvec_push(&parts, sb.buf);
	for (i = 0; i < parts.n && rc == 0; i++) {
		part = flag_decode(parts.v[i], FLAG_TYPE_AUTO);
		rc = check_one(fd, part, cause);
		value_free(part);
	}
	strvec_clear(&parts);
	strbuf_release(&sb);
	return rc;
}

static bool
flag_missing(const struct value *v)
{
	return v == NULL || v->type == VALUE_NULL ||
	    (v->type == VALUE_STRING && v->u.s[0] == '\0');
}

static int
check_required(const struct opdef *op, const struct value *flags,
    char **cause)
{
	struct strvec	missing = STRVEC_INIT;
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < op->nflags; i++) {
		if (op->flags[i]->required &&
		    flag_missing(value_map_get(flags, op->flags[i]->name)))
			strvec_push(&missing, op->flags[i]->name);
	}
	if (missing.n == 0)
		return 0;
	for (i = 0; i < missing.n; i++)
		strbuf_addf(&sb, "%s'%s'", i > 0 ? ", " : "", missing.v[i]);
	set_cause(cause, "missing required flag%s %s", missing.n > 1 ? "s" : "",
	    sb.buf);
	strbuf_release(&sb);
	strvec_clear(&missing);
	return -1;
}

/* op_util._apply_choice_vals() */
static void
apply_choices(const struct opdef *op, const struct value *user,
    struct value *flags)
{
	const struct flagdef	*fd;
	const struct flag_choice *c;
	const struct value	*v, *uv;
	size_t			 i, j, k;

	for (i = 0; i < op->nflags; i++) {
		fd = op->flags[i];
		v = value_map_get(flags, fd->name);
		if (fd->nchoices == 0 || v == NULL || v->type == VALUE_NULL)
			continue;
		for (j = 0; j < fd->nchoices; j++) {
			c = &fd->choices[j];
			if (!choice_matches(c, v))
				continue;
			if (c->alias != NULL) {
				value_map_set(flags, fd->name,
				    value_dup(c->value));
				v = value_map_get(flags, fd->name);
			}
			if (c->flags == NULL || c->flags->type != VALUE_MAP)
				continue;
			for (k = 0; k < c->flags->u.map.n; k++) {
				uv = value_map_get(user, c->flags->u.map.k[k]);
				if (uv == NULL || uv->type == VALUE_NULL)
					value_map_set(flags,
					    c->flags->u.map.k[k],
					    value_dup(c->flags->u.map.v[k]));
			}
		}
	}
}

int
flags_apply(const struct opdef *op, const struct value *user, bool force,
    struct value **flags_out, char **cause)
{
	struct value	*flags, *empty = NULL, *coerced;
	struct strvec	 resflags = STRVEC_INIT;
	struct flagdef	*fd, resfd;
	const char	*name;
	char		*why = NULL;
	size_t		 i;

	if (user == NULL)
		user = empty = value_map();
	flags = value_dup(user);
	for (i = 0; op != NULL && i < op->nflags; i++) {
		fd = op->flags[i];
		if (value_map_get(flags, fd->name) == NULL)
			value_map_set(flags, fd->name, fd->default_value != NULL ?
			    value_dup(fd->default_value) : value_null());
	}

	/* Dependency flags are strings without a default. */
	resource_flag_names(op, &resflags);
	memset(&resfd, 0, sizeof resfd);
	resfd.type = FLAG_TYPE_STRING;

	for (i = 0; i < flags->u.map.n; i++) {
		name = flags->u.map.k[i];
		fd = find_flagdef(op, name, false);
		if (fd == NULL && strvec_find(&resflags, name) >= 0) {
			resfd.name = (char *)name;
			fd = &resfd;
		}
		if (fd == NULL)
			continue;
		coerced = flag_coerce(fd, flags->u.map.v[i], &why);
		if (coerced == NULL) {
			if (!force) {
				invalid_value(cause, flags->u.map.v[i], name, why);
				goto fail;
			}
			free(why);
			why = NULL;
			continue;
		}
		value_free(flags->u.map.v[i]);
		flags->u.map.v[i] = coerced;
	}
	for (i = 0; i < resflags.n; i++) {
		if (value_map_get(flags, resflags.v[i]) == NULL)
			value_map_set(flags, resflags.v[i], value_null());
	}

	if (!force) {
		for (i = 0; i < flags->u.map.n; i++) {
			name = flags->u.map.k[i];
			if (find_flagdef(op, name, false) == NULL &&
			    strvec_find(&resflags, name) < 0 &&
			    (op == NULL || !op->test)) {
				set_cause(cause, "unsupported flag '%s'", name);
				goto fail;
			}
		}
		for (i = 0; op != NULL && i < op->nflags; i++) {
			fd = op->flags[i];
			if (check_value(fd, value_map_get(flags, fd->name),
			    cause) != 0)
				goto fail;
		}
		if (op != NULL && check_required(op, flags, cause) != 0)
			goto fail;
	}
	if (op != NULL)
		apply_choices(op, user, flags);
	*flags_out = flags;
	value_free(empty);
	strvec_clear(&resflags);
	return 0;
fail:
	free(why);
	value_free(flags);
	value_free(empty);
	strvec_clear(&resflags);
	return -1;
}

int
flags_resolve(const struct opdef *op, const char *const *assigns, size_t n,
    bool force, struct value **flags, struct value **user_flags, char **cause)
{
	struct value	*user;

	if (flags_parse_assigns(op, assigns, n, &user, cause) != 0)
		return -1;
	if (flags_apply(op, user, force, flags, cause) != 0) {
		value_free(user);
		return -1;
	}
	if (user_flags != NULL)
		*user_flags = user;
	else
		value_free(user);
	return 0;
}

/* The process. */

enum flags_dest
flags_dest_parse(const char *dest)
{
	if (dest == NULL || strcmp(dest, "args") == 0 ||
	    str_starts_with(dest, "args:"))
		return FLAGS_DEST_ARGS;
	if (strcmp(dest, "none") == 0)
		return FLAGS_DEST_NONE;
	return FLAGS_DEST_GLOBALS;
}

/*
 * Guild's _encode_yaml_list_for_globals_arg: a splittable value bound for
 * Python globals is its parts as a YAML flow list ("1 2 foo" is
 * [1, 2, foo]), so the script gets a list, as it had in its source.
 */
static void
encode_split_for_globals(struct strbuf *sb, const struct flagdef *fd,
    const struct value *v)
{
	struct strbuf	 enc = STRBUF_INIT;
	struct strvec	 parts = STRVEC_INIT;
	struct value	*list = value_list();
	size_t		 i;

	if (v->type == VALUE_STRING)
		strbuf_addstr(&enc, v->u.s);
	else
		value_format_flag(&enc, v);
	if (split_encoded(enc.buf, fd->arg_split, &parts, NULL) != 0) {
		strvec_clear(&parts);
		strvec_push(&parts, enc.buf);
	}
	for (i = 0; i < parts.n; i++)
		value_list_push(list, flag_decode(parts.v[i], FLAG_TYPE_AUTO));
	value_encode_flow(sb, list);
	value_free(list);
	strvec_clear(&parts);
	strbuf_release(&enc);
}

struct value *
flags_split_values(const struct opdef *op, const struct value *flags)
{
	struct value	*out = value_dup(flags);
	struct flagdef	*fd;
	size_t		 i;

	if (out == NULL || out->type != VALUE_MAP)
		return out;
	for (i = 0; i < out->u.map.n; i++) {
		struct value	*v = out->u.map.v[i];
		struct strvec	 parts = STRVEC_INIT;
		struct value	*list;
		size_t		 j;

		fd = opdef_flag(op, out->u.map.k[i]);
		if (fd == NULL || fd->arg_split == NULL ||
		    v->type != VALUE_STRING)
			continue;
		if (split_encoded(v->u.s, fd->arg_split, &parts, NULL) != 0) {
			strvec_clear(&parts);
			continue;
		}
		list = value_list();
		for (j = 0; j < parts.n; j++)
			value_list_push(list, flag_decode(parts.v[j],
			    FLAG_TYPE_AUTO));
		value_free(v);
		out->u.map.v[i] = list;
		strvec_clear(&parts);
	}
	return out;
}

/* An arg-encoding/env-encoding entry for v: keys are YAML scalars. */
static const struct value *
encoding_lookup(const struct value *map, const struct value *v)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*key;
	const char	*k;
	size_t		 i;
	bool		 eq;

	if (map == NULL || map->type != VALUE_MAP)
		return NULL;
	value_format_flag(&sb, v);
	for (i = 0; i < map->u.map.n; i++) {
		k = map->u.map.k[i];
		key = value_from_plain_scalar(k, strlen(k));
		eq = strcmp(k, sb.buf) == 0 || value_equal(key, v);
		value_free(key);
		if (eq) {
			strbuf_release(&sb);
			return map->u.map.v[i];
		}
	}
	strbuf_release(&sb);
	return NULL;
}

static void
encode_with(struct strbuf *sb, const struct flagdef *fd,
    const struct value *encoding, const struct value *v)
{
	const struct value	*e;

	if ((e = encoding_lookup(encoding, v)) != NULL) {
		if (e->type == VALUE_STRING)
			strbuf_addstr(sb, e->u.s);
		else if (e->type != VALUE_NULL)
			value_format_flag(sb, e);
		return;
	}
	switch (v->type) {
	case VALUE_NULL:
		break;
	case VALUE_BOOL:
		if (v->u.b)
			strbuf_addch(sb, '1');
		break;
	case VALUE_INT:
		strbuf_addf(sb, "%lld", v->u.i);
		break;
	case VALUE_FLOAT:
		format_double(sb, v->u.f);
		break;
	case VALUE_STRING:
		strbuf_addstr(sb, v->u.s);
		break;
	case VALUE_LIST:
		join_splittable(sb, v, fd != NULL ? fd->arg_split : NULL);
		break;
	case VALUE_MAP:
		value_format_flag(sb, v);
		break;
	}
}

void
flag_encode_arg(struct strbuf *sb, const struct flagdef *fd,
    const struct value *v)
{
	encode_with(sb, fd, fd != NULL ? fd->arg_encoding : NULL, v);
}

void
flags_args(const struct opdef *op, const struct value *flags,
    enum flags_dest dest, const struct strvec *cmd, struct strvec *out)
{
	struct value	*sorted;
	struct strvec	 resflags = STRVEC_INIT, parts = STRVEC_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	struct flagdef	*fd;
	const char	*name, *arg;
	char		*opt;
	struct value	*v;
	size_t		 i, j;

	if (dest == FLAGS_DEST_NONE || flags == NULL ||
	    flags->type != VALUE_MAP)
		return;
	resource_flag_names(op, &resflags);
	sorted = value_dup(flags);
	value_map_sort(sorted);
	for (i = 0; i < sorted->u.map.n; i++) {
		name = sorted->u.map.k[i];
		v = sorted->u.map.v[i];
		fd = find_flagdef(op, name, false);
		if (fd == NULL && strvec_find(&resflags, name) >= 0)
			continue;
		if (fd != NULL && (fd->arg_skip || op->default_flag_arg_skip))
			continue;
		arg = fd != NULL && fd->arg_name != NULL ? fd->arg_name : name;
		opt = xasprintf("--%s", arg);
		if (cmd != NULL && strvec_find(cmd, opt) >= 0) {
			strbuf_reset(&sb);
			value_format_flag(&sb, v);
			warnx_core("ignoring flag '%s=%s' because it's shadowed "
			    "in the operation cmd as %s", name, sb.buf, opt);
			free(opt);
			continue;
		}
		if (fd != NULL && fd->arg_switch != NULL) {
			if (value_equal(fd->arg_switch, v))
				strvec_push_nodup(out, opt);
			else
				free(opt);
			continue;
		}
		if (v->type == VALUE_NULL) {
			free(opt);
			continue;
		}
		strbuf_reset(&sb);
		/*
		 * Guild's _encode_flag_arg_for_globals: YAML flow style, so
		 * booleans are true and false (--b false), not yes and no.
		 */
		if (dest == FLAGS_DEST_GLOBALS && fd != NULL &&
		    fd->arg_split != NULL && v->type != VALUE_LIST)
			encode_split_for_globals(&sb, fd, v);
		else if (dest == FLAGS_DEST_GLOBALS)
			value_encode_flow(&sb, v);
		else
			flag_encode_arg(&sb, fd, v);
		strvec_push_nodup(out, opt);
		if (dest == FLAGS_DEST_ARGS && fd != NULL &&
		    fd->arg_split != NULL) {
			if (split_encoded(sb.buf, fd->arg_split, &parts,
			    NULL) != 0)
				strvec_push(&parts, sb.buf);
			for (j = 0; j < parts.n; j++)
				strvec_push(out, parts.v[j]);
			strvec_clear(&parts);
		} else
			strvec_push(out, sb.buf);
	}
	strbuf_release(&sb);
	strvec_clear(&resflags);
	value_free(sorted);
}

char *
flag_env_name(const struct flagdef *fd, const char *name)
{
	char	*s, *p;

	if (fd != NULL && fd->env_name != NULL)
		return xstrdup(fd->env_name);
	s = xasprintf("FLAG_%s", name);
	for (p = s + 5; *p != '\0'; p++) {
		*p = (char)toupper((unsigned char)*p);
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '_')
			*p = '_';
	}
	return s;
}

void
flags_env(const struct opdef *op, const struct value *flags,
    struct strvec *env)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct flagdef	*fd;
	char		*name;
	size_t		 i;

	if (flags == NULL || flags->type != VALUE_MAP)
		return;
	for (i = 0; i < flags->u.map.n; i++) {
		fd = find_flagdef(op, flags->u.map.k[i], false);
		name = flag_env_name(fd, flags->u.map.k[i]);
		strbuf_reset(&sb);
		encode_with(&sb, fd, fd != NULL ? fd->env_encoding : NULL,
		    flags->u.map.v[i]);
		strvec_setenv(env, name, sb.buf);
		free(name);
	}
	strbuf_release(&sb);
}

/* Labels. */

/* flag_util._truncate_formatted_float(): at most 5 decimals per number. */
static void
truncate_decimals(struct strbuf *sb, size_t start, size_t keep)
{
	size_t	i, j, out = start, ndig;

	for (i = start; i < sb->len;) {
		if (sb->buf[i] == '.' && i + 1 < sb->len &&
		    isdigit((unsigned char)sb->buf[i + 1])) {
			sb->buf[out++] = sb->buf[i++];
			for (j = i, ndig = 0; j < sb->len &&
			    isdigit((unsigned char)sb->buf[j]); j++, ndig++) {
				if (ndig < keep)
					sb->buf[out++] = sb->buf[j];
			}
			i = j;
		} else
			sb->buf[out++] = sb->buf[i++];
	}
	strbuf_setlen(sb, out);
}

void
flag_format(struct strbuf *sb, const struct value *v, bool truncate)
{
	struct strbuf	enc = STRBUF_INIT;

	value_format_flag(&enc, v);
	if (truncate && v->type == VALUE_FLOAT)
		truncate_decimals(&enc, 0, 5);
	if (v->type == VALUE_STRING && enc.buf[0] != '\'' &&
	    enc.buf[0] != '"' && strchr(enc.buf, ' ') != NULL)
		format_str_repr(sb, enc.buf);
	else
		strbuf_addstr(sb, enc.buf);
	strbuf_release(&enc);
}

char *
flags_default_label(const struct value *flags)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*sorted;
	size_t		 i;

	if (flags == NULL || flags->type != VALUE_MAP)
		return xstrdup("");
	sorted = value_dup(flags);
	value_map_sort(sorted);
	for (i = 0; i < sorted->u.map.n; i++) {
		if (sorted->u.map.v[i]->type == VALUE_NULL)
			continue;
		if (sb.len > 0)
			strbuf_addch(&sb, ' ');
		strbuf_addf(&sb, "%s=", sorted->u.map.k[i]);
		flag_format(&sb, sorted->u.map.v[i], true);
	}
	value_free(sorted);
	return strbuf_detach(&sb, NULL);
}

/*
 * Python's "%<spec>" % val for one conversion; false if spec is not one.
 * The format comes from guild.yml, checked here to be exactly one
 * conversion of the type passed.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static bool
format_percent(struct strbuf *sb, const char *spec, const struct value *v)
{
	const char	*p = spec + 1;
	char		*fmt, conv;
	size_t		 start;
	double		 d;
	long long	 i;
	struct strbuf	 s = STRBUF_INIT;

	p += strspn(p, "-+ #0");
	p += strspn(p, "0123456789");
	if (*p == '.') {
		p++;
		p += strspn(p, "0123456789");
	}
	conv = *p;
	if (conv == '\0' || p[1] != '\0' ||
	    strchr("diouxXeEfFgGs", conv) == NULL)
		return false;
	if (conv == 's') {
		py_str(&s, v);
		fmt = xasprintf("%.*s%c", (int)(p - spec), spec, 's');
		strbuf_addf(sb, fmt, s.buf);
		strbuf_release(&s);
	} else if (strchr("dioxX", conv) != NULL) {
		if (v->type == VALUE_INT)
			i = v->u.i;
		else if (v->type == VALUE_BOOL)
			i = v->u.b;
		else if (v->type == VALUE_FLOAT && isfinite(v->u.f))
			i = (long long)v->u.f;
		else
			return false;
		if (conv == 'i' || conv == 'u')
			conv = 'd';
		fmt = xasprintf("%.*sll%c", (int)(p - spec), spec, conv);
		strbuf_addf(sb, fmt, i);
	} else {
		if (v->type == VALUE_BOOL)
			d = v->u.b;
		else if (!value_number(v, &d))
			return false;
		fmt = xasprintf("%.*s%c", (int)(p - spec), spec, conv);
		start = sb->len;
		strbuf_addf(sb, fmt, d);
		c_decimal_point(sb, start);
	}
	free(fmt);
	return true;
}
#pragma GCC diagnostic pop

/* One ${...} of a label template, filters applied left to right. */
static void
render_token(struct strbuf *sb, const char *token, size_t len,
    const struct value *flags)
{
	struct strbuf	 text = STRBUF_INIT;
	char		*inner, *name, *filter, *next, *base;
	const struct value *v = NULL;
	struct value	*own = NULL;

	inner = xstrndup(token, len);
	next = inner;
	filter = strsep(&next, "|");
	name = strip_dup(filter, strlen(filter));
	if (strcmp(name, "default_label") == 0) {
		char	*label = flags_default_label(flags);

		/* Already formatted: inserted as it is. */
		v = own = value_string(label);
		strbuf_addstr(&text, label);
		free(label);
	} else {
		v = value_map_get(flags, name);
		if (v != NULL && v->type != VALUE_NULL)
			value_format_flag(&text, v);
	}

	while ((filter = strsep(&next, "|")) != NULL) {
		char	*f = strip_dup(filter, strlen(filter));

		if (str_starts_with(f, "default:")) {
			if (v == NULL || flag_missing(v)) {
				strbuf_reset(&text);
				strbuf_addstr(&text, f + 8);
			}
		} else if (f[0] == '%' && v != NULL) {
			struct strbuf	out = STRBUF_INIT;

			if (format_percent(&out, f, v)) {
				strbuf_reset(&text);
				strbuf_addstr(&text, out.buf);
			}
			strbuf_release(&out);
		} else if (strcmp(f, "basename") == 0 && text.len > 0) {
			base = strrchr(text.buf, '/');
			if (base != NULL) {
				base = xstrdup(base + 1);
				strbuf_reset(&text);
				strbuf_addstr(&text, base);
				free(base);
			}
		} else if (strcmp(f, "unquote") == 0 && text.len >= 2 &&
		    (text.buf[0] == '\'' || text.buf[0] == '"') &&
		    text.buf[text.len - 1] == text.buf[0]) {
			memmove(text.buf, text.buf + 1, text.len - 2);
			strbuf_setlen(&text, text.len - 2);
		}
		free(f);
	}
	strbuf_addstr(sb, text.buf);
	strbuf_release(&text);
	value_free(own);
	free(name);
	free(inner);
}

char *
flags_label(const char *tmpl, const struct value *flags)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p, *start, *end;

	if (tmpl == NULL || *tmpl == '\0')
		return flags_default_label(flags);
	for (p = tmpl; *p != '\0';) {
		/* LABEL_TOKENS_P = (\${.+?}): at least one character inside. */
		start = strstr(p, "${");
		end = start != NULL && start[2] != '\0' ?
		    strchr(start + 3, '}') : NULL;
		if (end != NULL && memchr(start, '\n', (size_t)(end - start)))
			end = NULL;
		if (start == NULL || end == NULL) {
			strbuf_addstr(&sb, p);
			break;
		}
		strbuf_add(&sb, p, (size_t)(start - p));
		render_token(&sb, start + 2, (size_t)(end - start - 2), flags);
		p = end + 1;
	}
	return strbuf_detach(&sb, NULL);
}
