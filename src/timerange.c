/* timerange.c: time range specs (see timerange.h). */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "timerange.h"

enum unit {
	UNIT_MINUTE,
	UNIT_HOUR,
	UNIT_DAY,
	UNIT_WEEK,
	UNIT_MONTH,
	UNIT_YEAR,
};

enum tok_type {
	T_END,
	T_NUMBER,
	T_DATE,
	T_TIME,
	T_UNIT,
	T_TODAY,
	T_YESTERDAY,
	T_THIS,
	T_LAST,
	T_AGO,
	T_BEFORE,
	T_AFTER,
	T_BETWEEN,
	T_AND,
};

struct tok {
	enum tok_type	 type;
	size_t		 pos, len;	/* in the spec, for messages */
	long		 n;		/* T_NUMBER */
	enum unit	 unit;		/* T_UNIT */
	int		 y, m, d;	/* T_DATE; y -1: the reference year */
	int		 hh, mm, ss;	/* T_TIME; ss -1: not given */
};

static const struct {
	const char	*word;
	enum tok_type	 type;
	enum unit	 unit;
} words[] = {
	{ "min", T_UNIT, UNIT_MINUTE },
	{ "mins", T_UNIT, UNIT_MINUTE },
	{ "minute", T_UNIT, UNIT_MINUTE },
	{ "minutes", T_UNIT, UNIT_MINUTE },
	{ "hr", T_UNIT, UNIT_HOUR },
	{ "hrs", T_UNIT, UNIT_HOUR },
	{ "hour", T_UNIT, UNIT_HOUR },
	{ "hours", T_UNIT, UNIT_HOUR },
	{ "day", T_UNIT, UNIT_DAY },
	{ "days", T_UNIT, UNIT_DAY },
	{ "week", T_UNIT, UNIT_WEEK },
	{ "weeks", T_UNIT, UNIT_WEEK },
	{ "month", T_UNIT, UNIT_MONTH },
	{ "months", T_UNIT, UNIT_MONTH },
	{ "year", T_UNIT, UNIT_YEAR },
	{ "years", T_UNIT, UNIT_YEAR },
	{ "today", T_TODAY, 0 },
	{ "yesterday", T_YESTERDAY, 0 },
	{ "this", T_THIS, 0 },
	{ "last", T_LAST, 0 },
	{ "ago", T_AGO, 0 },
	{ "before", T_BEFORE, 0 },
	{ "after", T_AFTER, 0 },
	{ "between", T_BETWEEN, 0 },
	{ "and", T_AND, 0 },
};

struct parser {
	const char	*spec;
	struct tok	*toks;
	size_t		 ntoks, alloc, at;
	time_t		 ref;
	struct tm	 reftm;
	char		**cause;
};

/* A range as an operand: explicit date/times are points in before/after. */
struct span {
	time_t	start, end;	/* end exclusive */
	bool	point;		/* an explicit date/time: start is the point */
};

static int
unexpected(struct parser *p, size_t pos, size_t len)
{
	if (len == 0)
		return set_cause(p->cause, "unexpected end of range");
	return set_cause(p->cause, "unexpected '%.*s' at position %zu",
	    (int)len, p->spec + pos, pos);
}

/* Read up to 9 digits; -1 when there are none. */
static long
digits(const char *s, size_t *len)
{
	long	n = 0;
	size_t	i;

	for (i = 0; isdigit((unsigned char)s[i]); i++) {
		if (i == 9)
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	*len = i;
	return i == 0 ? -1 : n;
}

static int
lex_number(struct parser *p, size_t pos, struct tok *t)
{
	const char	*s = p->spec;
	size_t		 len[3], i = pos, n = 0;
	long		 part[3];

	part[n] = digits(s + i, &len[n]);
	if (part[n] == -1)
		return unexpected(p, pos, 1);
	i += len[n++];
	if (s[i] == ':') {
		/* H:MM or H:MM:SS: minutes and seconds take two digits. */
		t->type = T_TIME;
		if (len[0] > 2)
			return unexpected(p, pos + len[0], 1 + len[0]);
		t->hh = (int)part[0];
		t->ss = -1;
		for (n = 0; s[i] == ':' && n < 2; n++) {
			long	v = digits(s + i + 1, &len[1]);

			if (v == -1 || len[1] != 2)
				return unexpected(p, i, 1 + (v == -1 ? 0 :
				    len[1]));
			if (n == 0)
				t->mm = (int)v;
			else
				t->ss = (int)v;
			i += 1 + len[1];
		}
		if (s[i] == ':')
			return unexpected(p, i, strcspn(s + i, " \t"));
	} else if (s[i] == '-' && isdigit((unsigned char)s[i + 1])) {
		t->type = T_DATE;
		while (s[i] == '-' && isdigit((unsigned char)s[i + 1]) &&
		    n < 3) {
			if ((part[n] = digits(s + i + 1, &len[n])) == -1)
				return unexpected(p, i, 1);
			i += 1 + len[n++];
		}
		if (s[i] == '-')
			return unexpected(p, i, strcspn(s + i, " \t"));
		if (n == 2) {
			if (len[0] > 2 || len[1] > 2)
				return unexpected(p, pos, i - pos);
			t->y = -1;
			t->m = (int)part[0];
			t->d = (int)part[1];
		} else if (len[0] == 4 || len[0] == 2) {
			if (len[1] > 2 || len[2] > 2)
				return unexpected(p, pos, i - pos);
			t->y = (int)part[0];
			/* Python's %y: 69-99 are 1969-1999, 00-68 20xx. */
			if (len[0] == 2)
				t->y += t->y >= 69 ? 1900 : 2000;
			t->m = (int)part[1];
			t->d = (int)part[2];
		} else
			return unexpected(p, pos, i - pos);
	} else {
		t->type = T_NUMBER;
		t->n = part[0];
	}
	if (isalnum((unsigned char)s[i]))
		return unexpected(p, i, strcspn(s + i, " \t"));
	t->len = i - pos;
	return 0;
}

static int
lex(struct parser *p)
{
	const char	*s = p->spec;
	size_t		 i = 0, j, k;
	struct tok	*t;

	for (;;) {
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
			i++;
		XGROW(p->toks, p->alloc, p->ntoks + 1);
		t = &p->toks[p->ntoks];
		memset(t, 0, sizeof *t);
		t->pos = i;
		if (s[i] == '\0') {
			t->type = T_END;
			p->ntoks++;
			return 0;
		}
		if (isdigit((unsigned char)s[i])) {
			if (lex_number(p, i, t) == -1)
				return -1;
			i += t->len;
			p->ntoks++;
			continue;
		}
		if (!isalpha((unsigned char)s[i]))
			return unexpected(p, i, 1);
		for (j = i; isalpha((unsigned char)s[j]); j++)
			;
		for (k = 0; k < ARRAY_SIZE(words); k++) {
			if (strlen(words[k].word) == j - i &&
			    strncasecmp(words[k].word, s + i, j - i) == 0)
				break;
		}
		if (k == ARRAY_SIZE(words) || isdigit((unsigned char)s[j]))
			return unexpected(p, i, j - i);
		t->type = words[k].type;
		t->unit = words[k].unit;
		t->len = j - i;
		i = j;
		p->ntoks++;
	}
}

static struct tok *
peek(struct parser *p)
{
	return &p->toks[p->at];
}

static struct tok *
next(struct parser *p)
{
	struct tok	*t = &p->toks[p->at];

	if (t->type != T_END)
		p->at++;
	return t;
}

static int
fail_at(struct parser *p, const struct tok *t)
{
	return unexpected(p, t->pos, t->len);
}

/*
 * mktime, or -1 with a cause when the time is not one we can name: before
 * year 1 (as Python's datetime, which Guild uses) or past what time_t
 * holds.
 */
static int
tm_time(struct parser *p, struct tm *tm, time_t *out)
{
	tm->tm_isdst = -1;
	errno = 0;
	*out = mktime(tm);
	if ((*out == (time_t)-1 && errno != 0) || tm->tm_year < 1 - 1900)
		return set_cause(p->cause, "time out of range");
	return 0;
}

/* The calendar unit containing the reference time, moved back n units. */
static int
unit_span(struct parser *p, enum unit u, long n, struct span *sp)
{
	struct tm	tm = p->reftm, end;
	long		back = u == UNIT_WEEK ? 7 * n : n;

	/* n has at most 9 digits (so 7 * n fits a long), tm fields are ints. */
	if (back > INT_MAX / 2)
		return set_cause(p->cause, "time out of range");
	sp->point = false;
	tm.tm_sec = 0;
	if (u >= UNIT_HOUR)
		tm.tm_min = 0;
	if (u >= UNIT_DAY)
		tm.tm_hour = 0;
	if (u == UNIT_WEEK)
		tm.tm_mday -= (tm.tm_wday + 6) % 7;	/* back to Monday */
	if (u >= UNIT_MONTH && u != UNIT_WEEK)
		tm.tm_mday = 1;
	if (u == UNIT_YEAR)
		tm.tm_mon = 0;
	switch (u) {
	case UNIT_MINUTE:
		tm.tm_min -= (int)back;
		break;
	case UNIT_HOUR:
		tm.tm_hour -= (int)back;
		break;
	case UNIT_DAY:
	case UNIT_WEEK:
		tm.tm_mday -= (int)back;
		break;
	case UNIT_MONTH:
		tm.tm_mon -= (int)back;
		break;
	case UNIT_YEAR:
		tm.tm_year -= (int)back;
		break;
	}
	if (tm_time(p, &tm, &sp->start) == -1)
		return -1;
	end = tm;
	switch (u) {
	case UNIT_MINUTE:
		end.tm_min++;
		break;
	case UNIT_HOUR:
		end.tm_hour++;
		break;
	case UNIT_DAY:
		end.tm_mday++;
		break;
	case UNIT_WEEK:
		end.tm_mday += 7;
		break;
	case UNIT_MONTH:
		end.tm_mon++;
		break;
	case UNIT_YEAR:
		end.tm_year++;
		break;
	}
	return tm_time(p, &end, &sp->end);
}

static int
days_in_month(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* An explicit date and/or time: a point, and the range of its precision. */
static int
datetime_span(struct parser *p, struct span *sp)
{
	struct tok	*date = NULL, *tim = NULL;
	struct tm	 tm = p->reftm, end;
	int		 y;

	if (peek(p)->type == T_DATE)
		date = next(p);
	if (peek(p)->type == T_TIME)
		tim = next(p);
	if (date == NULL && tim == NULL)
		return fail_at(p, peek(p));
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	if (date != NULL) {
		y = date->y == -1 ? tm.tm_year + 1900 : date->y;
		if (date->m < 1 || date->m > 12)
			return set_cause(p->cause, "month must be in 1..12");
		if (date->d < 1 || date->d > days_in_month(y, date->m))
			return set_cause(p->cause,
			    "day is out of range for month");
		tm.tm_year = y - 1900;
		tm.tm_mon = date->m - 1;
		tm.tm_mday = date->d;
	}
	if (tim != NULL) {
		if (tim->hh > 23)
			return set_cause(p->cause, "hour must be in 0..23");
		if (tim->mm > 59)
			return set_cause(p->cause, "minute must be in 0..59");
		if (tim->ss > 59)
			return set_cause(p->cause, "second must be in 0..59");
		tm.tm_hour = tim->hh;
		tm.tm_min = tim->mm;
		tm.tm_sec = tim->ss == -1 ? 0 : tim->ss;
	}
	end = tm;
	if (tim == NULL)
		end.tm_mday++;
	else if (tim->ss == -1)
		end.tm_min++;
	else
		end.tm_sec++;
	if (tm_time(p, &tm, &sp->start) == -1 ||
	    tm_time(p, &end, &sp->end) == -1)
		return -1;
	sp->point = true;
	return 0;
}

/* today | yesterday | this UNIT | N UNIT ago | DATETIME */
static int
operand(struct parser *p, struct span *sp)
{
	struct tok	*t = peek(p), *u, *ago;

	switch (t->type) {
	case T_TODAY:
		next(p);
		return unit_span(p, UNIT_DAY, 0, sp);
	case T_YESTERDAY:
		next(p);
		return unit_span(p, UNIT_DAY, 1, sp);
	case T_THIS:
		next(p);
		if ((u = next(p))->type != T_UNIT)
			return fail_at(p, u);
		return unit_span(p, u->unit, 0, sp);
	case T_NUMBER:
		next(p);
		if ((u = next(p))->type != T_UNIT)
			return fail_at(p, u);
		if ((ago = next(p))->type != T_AGO)
			return fail_at(p, ago);
		return unit_span(p, u->unit, t->n, sp);
	case T_DATE:
	case T_TIME:
		return datetime_span(p, sp);
	default:
		return fail_at(p, t);
	}
}

static int
parse(struct parser *p, struct timerange *tr)
{
	struct tok	*t = peek(p), *u;
	struct span	 a, b;
	long		 n = 1;
	bool		 have_n = false;
	static const time_t unit_secs[] = { 60, 3600, 86400 };

	memset(tr, 0, sizeof *tr);
	switch (t->type) {
	case T_BEFORE:
		next(p);
		if (operand(p, &a) == -1)
			return -1;
		tr->has_end = true;
		tr->end = a.start;
		break;
	case T_AFTER:
		next(p);
		if (operand(p, &a) == -1)
			return -1;
		tr->has_start = true;
		tr->start = a.point ? a.start : a.end;
		break;
	case T_BETWEEN:
		next(p);
		if (operand(p, &a) == -1)
			return -1;
		if ((u = next(p))->type != T_AND)
			return fail_at(p, u);
		if (operand(p, &b) == -1)
			return -1;
		if (a.point)
			a.end = a.start;
		if (b.point)
			b.end = b.start;
		tr->has_start = tr->has_end = true;
		tr->start = a.start < b.start ? a.start : b.start;
		tr->end = a.end > b.end ? a.end : b.end;
		break;
	case T_LAST:
		next(p);
		if (peek(p)->type == T_NUMBER) {
			n = next(p)->n;
			have_n = true;
		}
		/* "last 2 weeks" is ambiguous (Guild refuses it too). */
		u = next(p);
		if (u->type != T_UNIT || (have_n && u->unit > UNIT_DAY))
			return fail_at(p, u);
		if (u->unit <= UNIT_DAY) {
			/* A rolling window: exactly N units back. */
			tr->has_start = true;
			tr->start = p->ref - (time_t)n * unit_secs[u->unit];
		} else {
			if (unit_span(p, u->unit, 1, &a) == -1)
				return -1;
			tr->has_start = tr->has_end = true;
			tr->start = a.start;
			tr->end = a.end;
		}
		break;
	default:
		if (operand(p, &a) == -1)
			return -1;
		tr->has_start = tr->has_end = true;
		tr->start = a.start;
		tr->end = a.end;
		break;
	}
	if ((t = peek(p))->type != T_END)
		return fail_at(p, t);
	return 0;
}

int
timerange_parse(const char *spec, time_t ref, struct timerange *tr,
    char **cause)
{
	struct parser	p;
	int		rc;

	memset(&p, 0, sizeof p);
	p.spec = spec;
	p.ref = ref;
	p.cause = cause;
	localtime_r(&ref, &p.reftm);
	rc = lex(&p);
	if (rc == 0 && p.toks[0].type == T_END)
		rc = set_cause(cause, "empty range");
	if (rc == 0)
		rc = parse(&p, tr);
	free(p.toks);
	return rc;
}

bool
timerange_contains(const struct timerange *tr, time_t t)
{
	if (tr->has_start && t < tr->start)
		return false;
	if (tr->has_end && t >= tr->end)
		return false;
	return true;
}
