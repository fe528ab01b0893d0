/*
 * value.c: dynamically typed values, YAML 1.1 scalar resolution as PyYAML
 * does it (with Guild's float patch), and the encoders Guild's files and
 * command lines need (PyYAML safe_dump block and flow styles, Guild's flag
 * encoding).
 */
#include "common.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "value.h"

static struct value *
value_new(enum value_type type)
{
	struct value	*v;

	v = xcalloc(1, sizeof *v);
	v->type = type;
	return v;
}

struct value *
value_null(void)
{
	return value_new(VALUE_NULL);
}

struct value *
value_bool(bool b)
{
	struct value	*v = value_new(VALUE_BOOL);

	v->u.b = b;
	return v;
}

struct value *
value_int(long long i)
{
	struct value	*v = value_new(VALUE_INT);

	v->u.i = i;
	return v;
}

struct value *
value_float(double f)
{
	struct value	*v = value_new(VALUE_FLOAT);

	v->u.f = f;
	return v;
}

struct value *
value_string(const char *s)
{
	struct value	*v = value_new(VALUE_STRING);

	v->u.s = xstrdup(s);
	return v;
}

struct value *
value_string_n(const char *s, size_t len)
{
	struct value	*v = value_new(VALUE_STRING);

	v->u.s = xstrndup(s, len);
	return v;
}

struct value *
value_list(void)
{
	return value_new(VALUE_LIST);
}

struct value *
value_map(void)
{
	return value_new(VALUE_MAP);
}

void
value_free(struct value *v)
{
	size_t	i;

	if (v == NULL)
		return;
	switch (v->type) {
	case VALUE_STRING:
		free(v->u.s);
		break;
	case VALUE_LIST:
		for (i = 0; i < v->u.list.n; i++)
			value_free(v->u.list.v[i]);
		free(v->u.list.v);
		break;
	case VALUE_MAP:
		for (i = 0; i < v->u.map.n; i++) {
			free(v->u.map.k[i]);
			value_free(v->u.map.v[i]);
		}
		free(v->u.map.k);
		free(v->u.map.v);
		break;
	default:
		break;
	}
	free(v);
}

struct value *
value_dup(const struct value *v)
{
	struct value	*d;
	size_t		 i;

	if (v == NULL)
		return NULL;
	switch (v->type) {
	case VALUE_NULL:
		return value_null();
	case VALUE_BOOL:
		return value_bool(v->u.b);
	case VALUE_INT:
		return value_int(v->u.i);
	case VALUE_FLOAT:
		return value_float(v->u.f);
	case VALUE_STRING:
		return value_string(v->u.s);
	case VALUE_LIST:
		d = value_list();
		for (i = 0; i < v->u.list.n; i++)
			value_list_push(d, value_dup(v->u.list.v[i]));
		return d;
	case VALUE_MAP:
		d = value_map();
		for (i = 0; i < v->u.map.n; i++)
			value_map_set(d, v->u.map.k[i], value_dup(v->u.map.v[i]));
		return d;
	}
	return NULL;
}

/*
 * Equality as Python compares the decoded values: 1 == 1.0 and
 * True == 1 (Guild compares flag values and choices that way); maps
 * compare regardless of key order.
 */
bool
value_equal(const struct value *a, const struct value *b)
{
	double		 x, y;
	size_t		 i;
	struct value	*bv;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->type == VALUE_BOOL && b->type == VALUE_BOOL)
		return a->u.b == b->u.b;
	if (a->type == VALUE_INT && b->type == VALUE_INT)
		return a->u.i == b->u.i;
	if ((a->type == VALUE_INT || a->type == VALUE_FLOAT ||
	    a->type == VALUE_BOOL) && (b->type == VALUE_INT ||
	    b->type == VALUE_FLOAT || b->type == VALUE_BOOL)) {
		x = a->type == VALUE_BOOL ? a->u.b :
		    a->type == VALUE_INT ? (double)a->u.i : a->u.f;
		y = b->type == VALUE_BOOL ? b->u.b :
		    b->type == VALUE_INT ? (double)b->u.i : b->u.f;
		return x == y;
	}
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case VALUE_NULL:
		return true;
	case VALUE_STRING:
		return strcmp(a->u.s, b->u.s) == 0;
	case VALUE_LIST:
		if (a->u.list.n != b->u.list.n)
			return false;
		for (i = 0; i < a->u.list.n; i++) {
			if (!value_equal(a->u.list.v[i], b->u.list.v[i]))
				return false;
		}
		return true;
	case VALUE_MAP:
		if (a->u.map.n != b->u.map.n)
			return false;
		for (i = 0; i < a->u.map.n; i++) {
			bv = value_map_get(b, a->u.map.k[i]);
			if (bv == NULL || !value_equal(a->u.map.v[i], bv))
				return false;
		}
		return true;
	default:
		return false;
	}
}

void
value_list_push(struct value *list, struct value *item)
{
	XGROW(list->u.list.v, list->u.list.alloc, list->u.list.n + 1);
	list->u.list.v[list->u.list.n++] = item;
}

static ssize_t
value_map_find(const struct value *map, const char *key)
{
	size_t	i;

	if (map == NULL || map->type != VALUE_MAP)
		return -1;
	for (i = 0; i < map->u.map.n; i++) {
		if (strcmp(map->u.map.k[i], key) == 0)
			return (ssize_t)i;
	}
	return -1;
}

void
value_map_set(struct value *map, const char *key, struct value *item)
{
	ssize_t	i;
	size_t	alloc;

	i = value_map_find(map, key);
	if (i >= 0) {
		value_free(map->u.map.v[i]);
		map->u.map.v[i] = item;
		return;
	}
	if (map->u.map.n == map->u.map.alloc) {
		/* Keys and values share one allocation count. */
		alloc = map->u.map.alloc;
		XGROW(map->u.map.v, alloc, map->u.map.n + 1);
		map->u.map.k = xreallocarray(map->u.map.k, alloc,
		    sizeof *map->u.map.k);
		map->u.map.alloc = alloc;
	}
	map->u.map.k[map->u.map.n] = xstrdup(key);
	map->u.map.v[map->u.map.n] = item;
	map->u.map.n++;
}

bool
value_map_del(struct value *map, const char *key)
{
	ssize_t	i;
	size_t	rest;

	i = value_map_find(map, key);
	if (i < 0)
		return false;
	free(map->u.map.k[i]);
	value_free(map->u.map.v[i]);
	rest = map->u.map.n - (size_t)i - 1;
	memmove(&map->u.map.k[i], &map->u.map.k[i + 1],
	    rest * sizeof *map->u.map.k);
	memmove(&map->u.map.v[i], &map->u.map.v[i + 1],
	    rest * sizeof *map->u.map.v);
	map->u.map.n--;
	return true;
}

struct value *
value_map_get(const struct value *map, const char *key)
{
	ssize_t	i;

	i = value_map_find(map, key);
	if (i < 0)
		return NULL;
	return map->u.map.v[i];
}

struct map_entry {
	char		*k;
	struct value	*v;
};

static int
map_entry_cmp(const void *a, const void *b)
{
	const struct map_entry	*x = a, *y = b;

	return strcmp(x->k, y->k);
}

void
value_map_sort(struct value *map)
{
	struct map_entry	*e;
	size_t			 i, n;

	if (map == NULL || map->type != VALUE_MAP || map->u.map.n < 2)
		return;
	n = map->u.map.n;
	e = xreallocarray(NULL, n, sizeof *e);
	for (i = 0; i < n; i++) {
		e[i].k = map->u.map.k[i];
		e[i].v = map->u.map.v[i];
	}
	qsort(e, n, sizeof *e, map_entry_cmp);
	for (i = 0; i < n; i++) {
		map->u.map.k[i] = e[i].k;
		map->u.map.v[i] = e[i].v;
	}
	free(e);
}

bool
value_number(const struct value *v, double *out)
{
	if (v == NULL)
		return false;
	if (v->type == VALUE_INT) {
		*out = (double)v->u.i;
		return true;
	}
	if (v->type == VALUE_FLOAT) {
		*out = v->u.f;
		return true;
	}
	return false;
}

/*
 * Numbers must not depend on LC_NUMERIC: the view sets the locale from
 * the environment and "0,1" would be neither Python nor YAML.
 */
static locale_t
c_locale(void)
{
	static locale_t	loc;

	if (loc == (locale_t)0)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc;
}

double
value_strtod(const char *s, char **end)
{
	locale_t	 loc = c_locale();

	if (loc == (locale_t)0)
		return strtod(s, end);
	return strtod_l(s, end, loc);
}

/*
 * The shortest decimal digits that read back as d (d finite, > 0), and
 * the decimal exponent of the first digit (d = 0.DIGITS * 10^decpt).
 * printf's decimal point follows LC_NUMERIC, so only its digits and
 * exponent are used and the candidate is rebuilt for value_strtod().
 */
static void
shortest_digits(double d, char *digits, size_t size, int *decpt)
{
	char	 buf[64], cand[64], *p, *e;
	int	 prec, exp10 = 0;
	size_t	 n;

	/*
	 * A normal double is within 1.2e-16 (relative) of its shortest
	 * form, and 15-digit decimals are at least 1e-15 apart: when that
	 * form has at most 15 digits, it is d rounded to 15 digits (less
	 * its trailing zeros). So 15 digits first, then 16 and 17, rather
	 * than every length from 1 (floats read from event files need 17,
	 * and compare formats thousands). Subnormals are less precise.
	 */
	for (prec = d >= DBL_MIN ? 14 : 0; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*e", prec, d);
		e = strchr(buf, 'e');
		exp10 = atoi(e + 1);
		n = 0;
		for (p = buf; p < e && n + 1 < size; p++) {
			if (*p >= '0' && *p <= '9')
				digits[n++] = *p;
		}
		digits[n] = '\0';
		snprintf(cand, sizeof cand, "%c.%se%d", digits[0], digits + 1,
		    exp10);
		if (value_strtod(cand, NULL) == d)
			break;
	}
	*decpt = exp10 + 1;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
}

void
format_double(struct strbuf *sb, double d)
{
	char	 digits[32];
	int	 decpt, ndigits, i;

	if (isnan(d)) {
		strbuf_addstr(sb, "nan");
		return;
	}
	if (signbit(d))
		strbuf_addch(sb, '-');
	d = fabs(d);
	if (isinf(d)) {
		strbuf_addstr(sb, "inf");
		return;
	}
	if (d == 0) {
		strbuf_addstr(sb, "0.0");
		return;
	}
	shortest_digits(d, digits, sizeof digits, &decpt);
	ndigits = (int)strlen(digits);

	/* Python's repr switches to exponent form outside 1e-4 <= d < 1e16. */
	if (decpt <= -4 || decpt > 16) {
		strbuf_addch(sb, digits[0]);
		if (ndigits > 1) {
			strbuf_addch(sb, '.');
			strbuf_addstr(sb, digits + 1);
		}
		strbuf_addf(sb, "e%c%02d", decpt - 1 < 0 ? '-' : '+',
		    abs(decpt - 1));
		return;
	}
	if (decpt <= 0) {
		strbuf_addstr(sb, "0.");
		for (i = 0; i < -decpt; i++)
			strbuf_addch(sb, '0');
		strbuf_addstr(sb, digits);
	} else if (decpt >= ndigits) {
		strbuf_addstr(sb, digits);
		for (i = ndigits; i < decpt; i++)
			strbuf_addch(sb, '0');
		strbuf_addstr(sb, ".0");
	} else {
		strbuf_add(sb, digits, (size_t)decpt);
		strbuf_addch(sb, '.');
		strbuf_addstr(sb, digits + decpt);
	}
}

/* PyYAML's represent_float: repr, lowercased, ".0e" when no dot. */
static void
format_yaml_float(struct strbuf *sb, double d)
{
	size_t	 start = sb->len;
	char	*e;

	if (isnan(d)) {
		strbuf_addstr(sb, ".nan");
		return;
	}
	if (isinf(d)) {
		strbuf_addstr(sb, d < 0 ? "-.inf" : ".inf");
		return;
	}
	format_double(sb, d);
	if (strchr(sb->buf + start, '.') == NULL &&
	    (e = strchr(sb->buf + start, 'e')) != NULL) {
		size_t	off = (size_t)(e - sb->buf);
		size_t	tail = sb->len - off;

		strbuf_grow(sb, 2);
		memmove(sb->buf + off + 2, sb->buf + off, tail + 1);
		sb->buf[off] = '.';
		sb->buf[off + 1] = '0';
		sb->len += 2;
	}
}

/* Scalar resolution. */

/*
 * The tag PyYAML's resolver gives a plain scalar. Tags without a C
 * counterpart (timestamps, "<<", "=") still matter: the dumper quotes
 * strings that would read back as them.
 */
enum plain_tag {
	TAG_STR,
	TAG_NULL,
	TAG_BOOL,
	TAG_INT,
	TAG_FLOAT,
	TAG_TIMESTAMP,
	TAG_OTHER,
};

struct scan {
	const char	*p, *end;
};

static bool
scan_ch(struct scan *s, const char *set)
{
	if (s->p < s->end && *s->p != '\0' && strchr(set, *s->p) != NULL) {
		s->p++;
		return true;
	}
	return false;
}

static size_t
scan_span(struct scan *s, const char *set)
{
	size_t	n = 0;

	while (scan_ch(s, set))
		n++;
	return n;
}

static bool
scan_str(struct scan *s, const char *str)
{
	size_t	n = strlen(str);

	if ((size_t)(s->end - s->p) >= n && memcmp(s->p, str, n) == 0) {
		s->p += n;
		return true;
	}
	return false;
}

static bool
scan_done(const struct scan *s)
{
	return s->p == s->end;
}

#define DIGITS		"0123456789"
#define DIGITS_	"0123456789_"

/* (:[0-5]?[0-9])+ */
static bool
scan_sexagesimal(struct scan *s)
{
	int	n = 0;

	while (s->p < s->end && *s->p == ':') {
		s->p++;
		if (scan_ch(s, "012345"))
			scan_ch(s, DIGITS);
		else if (!scan_ch(s, DIGITS))
			return false;
		n++;
	}
	return n > 0;
}

/* The float patterns of PyYAML with Guild's patch (yaml_util.py). */
static bool
match_float(const char *str, size_t len)
{
	struct scan	s0 = { str, str + len }, s;
	static const char *const infs[] = { ".inf", ".Inf", ".INF" };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN" };
	size_t		i;

	/* [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)? */
	s = s0;
	scan_ch(&s, "-+");
	if (scan_ch(&s, DIGITS)) {
		scan_span(&s, DIGITS_);
		if (scan_ch(&s, ".")) {
			scan_span(&s, DIGITS_);
			if (scan_done(&s))
				return true;
			if (scan_ch(&s, "eE")) {
				scan_ch(&s, "-+");
				if (scan_span(&s, DIGITS) > 0 && scan_done(&s))
					return true;
			}
		} else if (scan_ch(&s, "eE")) {
			/* [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+ (Guild) */
			scan_ch(&s, "-+");
			if (scan_span(&s, DIGITS) > 0 && scan_done(&s))
				return true;
		}
	}

	/* \.[0-9_]+([eE][-+][0-9]+)? */
	s = s0;
	if (scan_ch(&s, ".") && scan_span(&s, DIGITS_) > 0) {
		if (scan_done(&s))
			return true;
		if (scan_ch(&s, "eE") && scan_ch(&s, "-+") &&
		    scan_span(&s, DIGITS) > 0 && scan_done(&s))
			return true;
	}

	/* [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* */
	s = s0;
	scan_ch(&s, "-+");
	if (scan_ch(&s, DIGITS)) {
		scan_span(&s, DIGITS_);
		if (scan_sexagesimal(&s) && scan_ch(&s, ".")) {
			scan_span(&s, DIGITS_);
			if (scan_done(&s))
				return true;
		}
	}

	/* [-+]?\.(inf|Inf|INF) and \.(nan|NaN|NAN) */
	for (i = 0; i < ARRAY_SIZE(infs); i++) {
		s = s0;
		scan_ch(&s, "-+");
		if (scan_str(&s, infs[i]) && scan_done(&s))
			return true;
		s = s0;
		if (scan_str(&s, nans[i]) && scan_done(&s))
			return true;
	}
	return false;
}

static bool
match_int(const char *str, size_t len)
{
	struct scan	s0 = { str, str + len }, s;

	scan_ch(&s0, "-+");

	s = s0;		/* 0b[0-1_]+ */
	if (scan_str(&s, "0b") && scan_span(&s, "01_") > 0 && scan_done(&s))
		return true;
	s = s0;		/* 0x[0-9a-fA-F_]+ */
	if (scan_str(&s, "0x") && scan_span(&s, "0123456789abcdefABCDEF_") > 0 &&
	    scan_done(&s))
		return true;
	s = s0;		/* 0[0-7_]+ */
	if (scan_ch(&s, "0") && scan_span(&s, "01234567_") > 0 && scan_done(&s))
		return true;
	s = s0;		/* 0 */
	if (scan_ch(&s, "0") && scan_done(&s))
		return true;
	s = s0;		/* [1-9][0-9_]* and [1-9][0-9_]*(:[0-5]?[0-9])+ */
	if (scan_ch(&s, "123456789")) {
		scan_span(&s, DIGITS_);
		if (scan_done(&s))
			return true;
		if (scan_sexagesimal(&s) && scan_done(&s))
			return true;
	}
	return false;
}

static bool
match_timestamp(const char *str, size_t len)
{
	struct scan	s = { str, str + len };
	size_t		n;

	/* [0-9]{4}-[0-9][0-9]?-[0-9][0-9]? */
	if (scan_span(&s, DIGITS) != 4 || !scan_ch(&s, "-"))
		return false;
	n = scan_span(&s, DIGITS);
	if (n < 1 || n > 2 || !scan_ch(&s, "-"))
		return false;
	n = scan_span(&s, DIGITS);
	if (n < 1 || n > 2)
		return false;
	if (scan_done(&s))
		return len == 10;	/* the date form has exactly two digits */

	/* ([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](\.[0-9]*)? */
	if (!scan_ch(&s, "Tt") && scan_span(&s, " \t") == 0)
		return false;
	n = scan_span(&s, DIGITS);
	if (n < 1 || n > 2 || !scan_ch(&s, ":") ||
	    scan_span(&s, DIGITS) != 2 || !scan_ch(&s, ":") ||
	    scan_span(&s, DIGITS) != 2)
		return false;
	if (scan_ch(&s, "."))
		scan_span(&s, DIGITS);
	if (scan_done(&s))
		return true;

	/* [ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?) */
	scan_span(&s, " \t");
	if (scan_ch(&s, "Z"))
		return scan_done(&s);
	if (!scan_ch(&s, "-+"))
		return false;
	n = scan_span(&s, DIGITS);
	if (n < 1 || n > 2)
		return false;
	if (scan_ch(&s, ":") && scan_span(&s, DIGITS) != 2)
		return false;
	return scan_done(&s);
}

static bool
str_in(const char *s, size_t len, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return true;
	}
	return false;
}

static const char *const yaml_nulls[] = { "~", "null", "Null", "NULL" };
static const char *const yaml_trues[] = {
	"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"
};
static const char *const yaml_falses[] = {
	"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"
};

static enum plain_tag
plain_tag(const char *s, size_t len)
{
	if (len == 0 || str_in(s, len, yaml_nulls, ARRAY_SIZE(yaml_nulls)))
		return TAG_NULL;
	if (str_in(s, len, yaml_trues, ARRAY_SIZE(yaml_trues)) ||
	    str_in(s, len, yaml_falses, ARRAY_SIZE(yaml_falses)))
		return TAG_BOOL;
	if (match_float(s, len))
		return TAG_FLOAT;
	if (match_int(s, len))
		return TAG_INT;
	if (match_timestamp(s, len))
		return TAG_TIMESTAMP;
	if ((len == 2 && memcmp(s, "<<", 2) == 0) ||
	    (len == 1 && (s[0] == '=' || s[0] == '!' || s[0] == '&' ||
	    s[0] == '*')))
		return TAG_OTHER;
	return TAG_STR;
}

/* The text without underscores (and lowercased), NUL-terminated. */
static char *
number_text(const char *s, size_t len)
{
	char	*t;
	size_t	 i, n = 0;

	t = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '_')
			continue;
		t[n++] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i];
	}
	t[n] = '\0';
	return t;
}

/* Sexagesimal "1:30[:20][.5]": base-60 digits, the last one may be a float. */
static double
parse_base60(const char *t)
{
	double	 v = 0;
	char	*end;

	for (;;) {
		v = v * 60 + value_strtod(t, &end);
		if (*end != ':')
			break;
		t = end + 1;
	}
	return v;
}

static struct value *
construct_float(const char *s, size_t len)
{
	char		*t, *p, *end;
	double		 sign = 1, d;
	struct value	*v = NULL;

	t = number_text(s, len);
	p = t;
	if (*p == '-' || *p == '+') {
		if (*p == '-')
			sign = -1;
		p++;
	}
	if (strcmp(p, ".inf") == 0)
		v = value_float(sign * INFINITY);
	else if (strcmp(p, ".nan") == 0)
		v = value_float(NAN);
	else if (strchr(p, ':') != NULL)
		v = value_float(sign * parse_base60(p));
	else if (*p != '\0' && strcmp(p, ".") != 0) {
		d = value_strtod(p, &end);
		if (*end == '\0')
			v = value_float(sign * d);
	}
	free(t);
	return v;
}

static struct value *
construct_int(const char *s, size_t len)
{
	char			*t, *p, *end;
	int			 base = 10;
	bool			 neg = false;
	unsigned long long	 u;
	struct value		*v = NULL;

	t = number_text(s, len);
	p = t;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (strchr(p, ':') != NULL) {
		/* Sexagesimal ints stay exact within long long. */
		long long	 acc = 0, part;

		for (;;) {
			part = strtoll(p, &end, 10);
			if (acc > (LLONG_MAX - part) / 60)
				goto out;
			acc = acc * 60 + part;
			if (*end != ':')
				break;
			p = end + 1;
		}
		v = value_int(neg ? -acc : acc);
		goto out;
	}
	if (p[0] == '0' && p[1] == 'b') {
		base = 2;
		p += 2;
	} else if (p[0] == '0' && p[1] == 'x') {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] != '\0')
		base = 8;
	if (*p == '\0')
		goto out;
	errno = 0;
	u = strtoull(p, &end, base);
	if (*end != '\0')
		goto out;
	if (errno == ERANGE || u > (unsigned long long)LLONG_MAX + neg) {
		/* Python ints are unbounded; the nearest double is closest. */
		v = value_float((neg ? -1.0 : 1.0) * value_strtod(p, NULL));
		if (base != 10)
			v->u.f = (neg ? -1.0 : 1.0) * (double)u;
		goto out;
	}
	if (neg)
		v = value_int(u == (unsigned long long)LLONG_MAX + 1 ?
		    LLONG_MIN : -(long long)u);
	else
		v = value_int((long long)u);
out:
	free(t);
	return v;
}

struct value *
value_from_plain_scalar(const char *text, size_t len)
{
	struct value	*v = NULL;

	switch (plain_tag(text, len)) {
	case TAG_NULL:
		return value_null();
	case TAG_BOOL:
		return value_bool(str_in(text, len, yaml_trues,
		    ARRAY_SIZE(yaml_trues)));
	case TAG_FLOAT:
		v = construct_float(text, len);
		break;
	case TAG_INT:
		v = construct_int(text, len);
		break;
	default:
		break;
	}
	if (v == NULL)
		v = value_string_n(text, len);
	return v;
}

/* Encoders: PyYAML's emitter, restricted to what safe_dump produces. */

/* emitter.analyze_scalar() for allow_unicode=False. */
struct scalar_analysis {
	bool	empty;
	bool	multiline;
	bool	allow_flow_plain;
	bool	allow_block_plain;
	bool	allow_single_quoted;
};

static bool
is_ws_or_end(const char *s, size_t i, size_t len)
{
	return i >= len || s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n';
}

static void
analyze_scalar(const char *s, struct scalar_analysis *a)
{
	size_t	len = strlen(s), i;
	bool	block_ind = false, flow_ind = false, line_breaks = false;
	bool	special = false, leading = false, trailing = false;
	bool	break_space = false, space_break = false;
	bool	prev_space = false, prev_break = false;
	bool	preceded_ws = true, followed_ws;
	unsigned char ch;

	memset(a, 0, sizeof *a);
	if (len == 0) {
		a->empty = true;
		a->allow_block_plain = true;
		a->allow_single_quoted = true;
		return;
	}
	if (strncmp(s, "---", 3) == 0 || strncmp(s, "...", 3) == 0)
		block_ind = flow_ind = true;
	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		followed_ws = is_ws_or_end(s, i + 1, len);
		if (i == 0) {
			if (strchr("#,[]{}&*!|>'\"%@`", ch) != NULL)
				flow_ind = block_ind = true;
			if (ch == '?' || ch == ':') {
				flow_ind = true;
				if (followed_ws)
					block_ind = true;
			}
			if (ch == '-' && followed_ws)
				flow_ind = block_ind = true;
		} else {
			if (strchr(",?[]{}", ch) != NULL)
				flow_ind = true;
			if (ch == ':') {
				flow_ind = true;
				if (followed_ws)
					block_ind = true;
			}
			if (ch == '#' && preceded_ws)
				flow_ind = block_ind = true;
		}
		/* \n, and NEL, LS, PS in UTF-8 */
		if (ch == '\n' || (ch == 0xc2 && (unsigned char)s[i + 1] == 0x85) ||
		    (ch == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0xa8 ||
		    (unsigned char)s[i + 2] == 0xa9)))
			line_breaks = true;
		/* Non-ASCII is special too: safe_dump escapes it. */
		if (!(ch == '\n' || (ch >= 0x20 && ch <= 0x7e)))
			special = true;
		if (ch == ' ') {
			if (i == 0 || i == len - 1)
				leading = trailing = true;
			if (prev_break)
				break_space = true;
			prev_space = true;
			prev_break = false;
		} else if (ch == '\n') {
			if (i == 0 || i == len - 1)
				leading = trailing = true;
			if (prev_space)
				space_break = true;
			prev_space = false;
			prev_break = true;
		} else
			prev_space = prev_break = false;
		preceded_ws = ch == ' ' || ch == '\t' || ch == '\r' ||
		    ch == '\n';
	}

	a->multiline = line_breaks;
	a->allow_flow_plain = a->allow_block_plain = true;
	a->allow_single_quoted = true;
	if (leading || trailing)
		a->allow_flow_plain = a->allow_block_plain = false;
	if (break_space) {
		a->allow_flow_plain = a->allow_block_plain = false;
		a->allow_single_quoted = false;
	}
	if (space_break || special) {
		a->allow_flow_plain = a->allow_block_plain = false;
		a->allow_single_quoted = false;
	}
	if (line_breaks)
		a->allow_flow_plain = a->allow_block_plain = false;
	if (flow_ind)
		a->allow_flow_plain = false;
	if (block_ind)
		a->allow_block_plain = false;
}

/* Decode one UTF-8 sequence; invalid bytes come back as themselves. */
static unsigned long
utf8_next(const unsigned char *s, size_t len, size_t *used)
{
	unsigned long	c;
	size_t		n, i;

	if (s[0] < 0x80) {
		*used = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else
		goto invalid;
	if (n > len)
		goto invalid;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto invalid;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		goto invalid;
	*used = n;
	return c;
invalid:
	*used = 1;
	return s[0];
}

/*
 * Double-quoted style with PyYAML's escapes. Lines are never folded:
 * see value_encode_yaml().
 */
static void
write_double_quoted(struct strbuf *sb, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 len = strlen(str), i, used;
	unsigned long		 c;

	strbuf_addch(sb, '"');
	for (i = 0; i < len; i += used) {
		c = utf8_next(s + i, len - i, &used);
		switch (c) {
		case 0x07: strbuf_addstr(sb, "\\a"); continue;
		case 0x08: strbuf_addstr(sb, "\\b"); continue;
		case 0x09: strbuf_addstr(sb, "\\t"); continue;
		case 0x0a: strbuf_addstr(sb, "\\n"); continue;
		case 0x0b: strbuf_addstr(sb, "\\v"); continue;
		case 0x0c: strbuf_addstr(sb, "\\f"); continue;
		case 0x0d: strbuf_addstr(sb, "\\r"); continue;
		case 0x1b: strbuf_addstr(sb, "\\e"); continue;
		case '"': strbuf_addstr(sb, "\\\""); continue;
		case '\\': strbuf_addstr(sb, "\\\\"); continue;
		case 0x85: strbuf_addstr(sb, "\\N"); continue;
		case 0xa0: strbuf_addstr(sb, "\\_"); continue;
		case 0x2028: strbuf_addstr(sb, "\\L"); continue;
		case 0x2029: strbuf_addstr(sb, "\\P"); continue;
		}
		if (c >= 0x20 && c <= 0x7e)
			strbuf_addch(sb, (int)c);
		else if (c <= 0xff)
			strbuf_addf(sb, "\\x%02lX", c);
		else if (c <= 0xffff)
			strbuf_addf(sb, "\\u%04lX", c);
		else
			strbuf_addf(sb, "\\U%08lX", c);
	}
	strbuf_addch(sb, '"');
}

/*
 * Single-quoted style: quotes doubled; a run of line breaks is written
 * with one extra break (a lone break would fold into a space) and the
 * next line is indented to the scalar's indentation.
 */
static void
write_single_quoted(struct strbuf *sb, const char *s, int indent)
{
	size_t	i, n;

	strbuf_addch(sb, '\'');
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\'') {
			strbuf_addstr(sb, "''");
			continue;
		}
		if (s[i] != '\n') {
			strbuf_addch(sb, s[i]);
			continue;
		}
		for (n = 0; s[i + n] == '\n'; n++)
			;
		strbuf_addchars(sb, '\n', n + 1);
		strbuf_addchars(sb, ' ', (size_t)indent);
		i += n - 1;
	}
	strbuf_addch(sb, '\'');
}

enum scalar_ctx {
	CTX_BLOCK,	/* a block node (flow level 0) */
	CTX_FLOW,	/* inside [] or {} */
	CTX_BLOCK_KEY,	/* a simple key of a block mapping */
	CTX_FLOW_KEY,
};

/*
 * emitter.check_simple_key(): keys that are empty, multi-line or 128
 * characters long are written in the explicit "? KEY" form.
 */
static bool
is_simple_key(const char *s)
{
	struct scalar_analysis	a;
	size_t			n = 0;

	analyze_scalar(s, &a);
	if (a.empty || a.multiline)
		return false;
	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n < 128;
}

/* Whether safe_dump would need to quote s (it reads back as another type). */
static bool
string_is_ambiguous(const char *s, bool strict)
{
	size_t	len = strlen(s);

	/* yaml_util.StrictPatch: y/n are booleans in YAML 1.1 proper. */
	if (strict && len == 1 && strchr("yYnN", s[0]) != NULL)
		return true;
	return plain_tag(s, len) != TAG_STR;
}

static void
write_string(struct strbuf *sb, const char *s, enum scalar_ctx ctx,
    int indent, bool strict, bool oneline)
{
	struct scalar_analysis	a;
	bool			key, flow;

	analyze_scalar(s, &a);
	key = ctx == CTX_BLOCK_KEY || ctx == CTX_FLOW_KEY;
	flow = ctx == CTX_FLOW || ctx == CTX_FLOW_KEY;
	if (!string_is_ambiguous(s, strict) &&
	    !(key && (a.empty || a.multiline)) &&
	    (flow ? a.allow_flow_plain : a.allow_block_plain)) {
		strbuf_addstr(sb, s);
		return;
	}
	if (a.allow_single_quoted && !((key || oneline) && a.multiline)) {
		write_single_quoted(sb, s, indent);
		return;
	}
	write_double_quoted(sb, s);
}

static bool
is_collection(const struct value *v)
{
	return v->type == VALUE_LIST || v->type == VALUE_MAP;
}

static bool
is_empty_collection(const struct value *v)
{
	return (v->type == VALUE_LIST && v->u.list.n == 0) ||
	    (v->type == VALUE_MAP && v->u.map.n == 0);
}

struct key_index {
	const char	*k;
	size_t		 i;
};

static int
key_index_cmp(const void *a, const void *b)
{
	const struct key_index	*x = a, *y = b;

	return strcmp(x->k, y->k);
}

/* Map indexes in key order, as safe_dump's sort_keys=True. */
static size_t *
sorted_keys(const struct value *map)
{
	struct key_index	*ki;
	size_t			*idx, i, n = map->u.map.n;

	ki = xreallocarray(NULL, n + 1, sizeof *ki);
	for (i = 0; i < n; i++) {
		ki[i].k = map->u.map.k[i];
		ki[i].i = i;
	}
	qsort(ki, n, sizeof *ki, key_index_cmp);
	idx = xreallocarray(NULL, n + 1, sizeof *idx);
	for (i = 0; i < n; i++)
		idx[i] = ki[i].i;
	free(ki);
	return idx;
}

static void
write_scalar(struct strbuf *sb, const struct value *v, enum scalar_ctx ctx,
    int indent, bool strict, bool oneline)
{
	switch (v->type) {
	case VALUE_NULL:
		strbuf_addstr(sb, "null");
		break;
	case VALUE_BOOL:
		strbuf_addstr(sb, v->u.b ? "true" : "false");
		break;
	case VALUE_INT:
		strbuf_addf(sb, "%lld", v->u.i);
		break;
	case VALUE_FLOAT:
		format_yaml_float(sb, v->u.f);
		break;
	case VALUE_STRING:
		write_string(sb, v->u.s, ctx, indent, strict, oneline);
		break;
	default:
		break;
	}
}

static void
write_flow(struct strbuf *sb, const struct value *v, bool toplevel)
{
	size_t	*idx, i;

	switch (v->type) {
	case VALUE_LIST:
		strbuf_addch(sb, '[');
		for (i = 0; i < v->u.list.n; i++) {
			if (i > 0)
				strbuf_addstr(sb, ", ");
			write_flow(sb, v->u.list.v[i], false);
		}
		strbuf_addch(sb, ']');
		break;
	case VALUE_MAP:
		idx = sorted_keys(v);
		strbuf_addch(sb, '{');
		for (i = 0; i < v->u.map.n; i++) {
			if (i > 0)
				strbuf_addstr(sb, ", ");
			if (is_simple_key(v->u.map.k[idx[i]])) {
				write_string(sb, v->u.map.k[idx[i]],
				    CTX_FLOW_KEY, 2, false, true);
				strbuf_addstr(sb, ": ");
			} else {
				strbuf_addstr(sb, "? ");
				write_string(sb, v->u.map.k[idx[i]], CTX_FLOW,
				    2, false, true);
				strbuf_addstr(sb, " : ");
			}
			write_flow(sb, v->u.map.v[idx[i]], false);
		}
		strbuf_addch(sb, '}');
		free(idx);
		break;
	default:
		write_scalar(sb, v, toplevel ? CTX_BLOCK : CTX_FLOW, 2, false,
		    true);
		break;
	}
}

/* The text of a node that fits after "key: " or "- " on the same line. */
static void
write_inline(struct strbuf *sb, const struct value *v, int indent, bool strict)
{
	if (is_collection(v))
		write_flow(sb, v, false);	/* only empty ones get here */
	else
		write_scalar(sb, v, CTX_BLOCK, indent, strict, false);
}

static void write_block(struct strbuf *, const struct value *, int, bool);

/*
 * A block map or list whose first line continues the current one (after
 * "- " or at the start of the document), the others indented by indent.
 * Every line written ends in a newline.
 */
static void
write_block(struct strbuf *sb, const struct value *v, int indent, bool strict)
{
	size_t		 i, *idx;
	struct value	*item;

	if (v->type == VALUE_LIST) {
		for (i = 0; i < v->u.list.n; i++) {
			item = v->u.list.v[i];
			if (i > 0)
				strbuf_addchars(sb, ' ', (size_t)indent);
			strbuf_addstr(sb, "- ");
			if (is_collection(item) && !is_empty_collection(item))
				write_block(sb, item, indent + 2, strict);
			else {
				write_inline(sb, item, indent + 2, strict);
				strbuf_addch(sb, '\n');
			}
		}
		return;
	}
	idx = sorted_keys(v);
	for (i = 0; i < v->u.map.n; i++) {
		item = v->u.map.v[idx[i]];
		if (i > 0)
			strbuf_addchars(sb, ' ', (size_t)indent);
		if (!is_simple_key(v->u.map.k[idx[i]])) {
			/* The value continues the ": " line as after "- ". */
			strbuf_addstr(sb, "? ");
			write_string(sb, v->u.map.k[idx[i]], CTX_BLOCK,
			    indent + 2, strict, false);
			strbuf_addch(sb, '\n');
			strbuf_addchars(sb, ' ', (size_t)indent);
			strbuf_addstr(sb, ": ");
			if (is_collection(item) && !is_empty_collection(item))
				write_block(sb, item, indent + 2, strict);
			else {
				write_inline(sb, item, indent + 2, strict);
				strbuf_addch(sb, '\n');
			}
			continue;
		}
		write_string(sb, v->u.map.k[idx[i]], CTX_BLOCK_KEY, indent + 2,
		    strict, false);
		strbuf_addch(sb, ':');
		if (is_collection(item) && !is_empty_collection(item)) {
			strbuf_addch(sb, '\n');
			/* PyYAML does not indent a sequence inside a mapping. */
			if (item->type == VALUE_LIST) {
				strbuf_addchars(sb, ' ', (size_t)indent);
				write_block(sb, item, indent, strict);
			} else {
				strbuf_addchars(sb, ' ', (size_t)indent + 2);
				write_block(sb, item, indent + 2, strict);
			}
		} else {
			strbuf_addch(sb, ' ');
			write_inline(sb, item, indent + 2, strict);
			strbuf_addch(sb, '\n');
		}
	}
	free(idx);
}

/*
 * Long scalars are never folded (PyYAML folds past 80 columns): Guild's
 * values are short, and unfolded text reads back the same.
 */
void
value_encode_yaml(struct strbuf *sb, const struct value *v)
{
	if (is_collection(v) && !is_empty_collection(v))
		write_block(sb, v, 0, true);
	else {
		write_inline(sb, v, 2, true);
		strbuf_addch(sb, '\n');
	}
}

void
value_encode_flow(struct strbuf *sb, const struct value *v)
{
	write_flow(sb, v, true);
}

static void
json_string(struct strbuf *sb, const char *s)
{
	const unsigned char	*p;

	strbuf_addch(sb, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			strbuf_addstr(sb, "\\\"");
			break;
		case '\\':
			strbuf_addstr(sb, "\\\\");
			break;
		case '\n':
			strbuf_addstr(sb, "\\n");
			break;
		case '\r':
			strbuf_addstr(sb, "\\r");
			break;
		case '\t':
			strbuf_addstr(sb, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				strbuf_addf(sb, "\\u%04x", *p);
			else
				strbuf_addch(sb, *p);
		}
	}
	strbuf_addch(sb, '"');
}

void
value_encode_json(struct strbuf *sb, const struct value *v)
{
	size_t	i;

	if (v == NULL) {
		strbuf_addstr(sb, "null");
		return;
	}
	switch (v->type) {
	case VALUE_NULL:
		strbuf_addstr(sb, "null");
		break;
	case VALUE_BOOL:
		strbuf_addstr(sb, v->u.b ? "true" : "false");
		break;
	case VALUE_INT:
		strbuf_addf(sb, "%lld", v->u.i);
		break;
	case VALUE_FLOAT:
		/* JSON has no NaN or infinities. */
		if (isnan(v->u.f) || isinf(v->u.f))
			strbuf_addstr(sb, "null");
		else
			format_double(sb, v->u.f);
		break;
	case VALUE_STRING:
		json_string(sb, v->u.s);
		break;
	case VALUE_LIST:
		strbuf_addch(sb, '[');
		for (i = 0; i < v->u.list.n; i++) {
			if (i > 0)
				strbuf_addstr(sb, ", ");
			value_encode_json(sb, v->u.list.v[i]);
		}
		strbuf_addch(sb, ']');
		break;
	case VALUE_MAP:
		strbuf_addch(sb, '{');
		for (i = 0; i < v->u.map.n; i++) {
			if (i > 0)
				strbuf_addstr(sb, ", ");
			json_string(sb, v->u.map.k[i]);
			strbuf_addstr(sb, ": ");
			value_encode_json(sb, v->u.map.v[i]);
		}
		strbuf_addch(sb, '}');
		break;
	}
}

void
format_str_repr(struct strbuf *sb, const char *s)
{
	const unsigned char	*p;
	int			 q = '\'';

	if (strchr(s, '\'') != NULL && strchr(s, '"') == NULL)
		q = '"';
	strbuf_addch(sb, q);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\\' || *p == q)
			strbuf_addf(sb, "\\%c", *p);
		else if (*p == '\n')
			strbuf_addstr(sb, "\\n");
		else if (*p == '\r')
			strbuf_addstr(sb, "\\r");
		else if (*p == '\t')
			strbuf_addstr(sb, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			strbuf_addf(sb, "\\x%02x", *p);
		else
			strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, q);
}

/* flag_util.encode_flag_val() */
void
value_format_flag(struct strbuf *sb, const struct value *v)
{
	struct strbuf	 item = STRBUF_INIT;
	size_t		 i, *idx;

	switch (v->type) {
	case VALUE_NULL:
		strbuf_addstr(sb, "null");
		break;
	case VALUE_BOOL:
		strbuf_addstr(sb, v->u.b ? "yes" : "no");
		break;
	case VALUE_LIST:
		strbuf_addch(sb, '[');
		for (i = 0; i < v->u.list.n; i++) {
			if (i > 0)
				strbuf_addstr(sb, ", ");
			strbuf_reset(&item);
			value_format_flag(&item, v->u.list.v[i]);
			/* A comma inside an item would split it: Python repr. */
			if (v->u.list.v[i]->type == VALUE_STRING &&
			    strchr(item.buf, ',') != NULL)
				format_str_repr(sb, item.buf);
			else
				strbuf_addstr(sb, item.buf);
		}
		strbuf_addch(sb, ']');
		break;
	case VALUE_MAP:
		idx = sorted_keys(v);
		strbuf_addch(sb, '{');
		for (i = 0; i < v->u.map.n; i++) {
			if (i > 0)
				strbuf_addstr(sb, ", ");
			write_string(sb, v->u.map.k[idx[i]], CTX_BLOCK, 2,
			    false, true);
			strbuf_addstr(sb, ": ");
			value_format_flag(sb, v->u.map.v[idx[i]]);
		}
		strbuf_addch(sb, '}');
		free(idx);
		break;
	default:
		write_scalar(sb, v, CTX_BLOCK, 2, false, true);
		break;
	}
	strbuf_release(&item);
}

void
value_format_py(struct strbuf *sb, const struct value *v, bool repr)
{
	size_t	i;

	if (v == NULL) {
		strbuf_addstr(sb, "None");
		return;
	}
	switch (v->type) {
	case VALUE_NULL:
		strbuf_addstr(sb, "None");
		break;
	case VALUE_BOOL:
		strbuf_addstr(sb, v->u.b ? "True" : "False");
		break;
	case VALUE_INT:
		strbuf_addf(sb, "%lld", v->u.i);
		break;
	case VALUE_FLOAT:
		format_double(sb, v->u.f);
		break;
	case VALUE_STRING:
		if (repr)
			format_str_repr(sb, v->u.s);
		else
			strbuf_addstr(sb, v->u.s);
		break;
	case VALUE_LIST:
		strbuf_addch(sb, '[');
		for (i = 0; i < v->u.list.n; i++) {
			if (i > 0)
				strbuf_addstr(sb, ", ");
			value_format_py(sb, v->u.list.v[i], true);
		}
		strbuf_addch(sb, ']');
		break;
	case VALUE_MAP:
		strbuf_addch(sb, '{');
		for (i = 0; i < v->u.map.n; i++) {
			if (i > 0)
				strbuf_addstr(sb, ", ");
			format_str_repr(sb, v->u.map.k[i]);
			strbuf_addstr(sb, ": ");
			value_format_py(sb, v->u.map.v[i], true);
		}
		strbuf_addch(sb, '}');
		break;
	}
}
