/* test-timerange.c: -Fs time ranges, against a fixed reference time. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "timerange.h"

static time_t	ref;

static time_t
mk(int y, int mo, int d, int h, int mi, int s)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static void
fmt(char *buf, size_t len, bool has, time_t t)
{
	struct tm	tm;

	if (!has) {
		snprintf(buf, len, "None");
		return;
	}
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* "START / END" as Guild's tests print them. */
static void
check(const char *spec, time_t at, const char *want)
{
	struct timerange	 tr;
	char			*cause = NULL, a[64], b[64], got[160];

	if (timerange_parse(spec, at, &tr, &cause) == -1) {
		ok(0, "%s", spec);
		diag("error: %s", cause);
		free(cause);
		return;
	}
	fmt(a, sizeof a, tr.has_start, tr.start);
	fmt(b, sizeof b, tr.has_end, tr.end);
	snprintf(got, sizeof got, "%s / %s", a, b);
	is_str(got, want, "%s", spec);
}

static void
check_error(const char *spec, const char *want)
{
	struct timerange	 tr;
	char			*cause = NULL;

	ok(timerange_parse(spec, ref, &tr, &cause) == -1, "'%s' fails", spec);
	is_str(cause, want, "'%s' message", spec);
	free(cause);
}

int
main(void)
{
	struct timerange	 tr;
	char			*cause = NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	ref = mk(2019, 5, 1, 14, 35, 23);

	/* Unit ranges. */
	check("this minute", ref, "2019-05-01 14:35:00 / 2019-05-01 14:36:00");
	check("1 minute ago", ref, "2019-05-01 14:34:00 / 2019-05-01 14:35:00");
	check("5 minutes ago", ref, "2019-05-01 14:30:00 / 2019-05-01 14:31:00");
	check("this hour", ref, "2019-05-01 14:00:00 / 2019-05-01 15:00:00");
	check("1 hour ago", ref, "2019-05-01 13:00:00 / 2019-05-01 14:00:00");
	check("24 hours ago", ref, "2019-04-30 14:00:00 / 2019-04-30 15:00:00");
	check("today", ref, "2019-05-01 00:00:00 / 2019-05-02 00:00:00");
	check("yesterday", ref, "2019-04-30 00:00:00 / 2019-05-01 00:00:00");
	check("1 day ago", ref, "2019-04-30 00:00:00 / 2019-05-01 00:00:00");
	check("10 days ago", ref, "2019-04-21 00:00:00 / 2019-04-22 00:00:00");
	check("this week", ref, "2019-04-29 00:00:00 / 2019-05-06 00:00:00");
	check("1 week ago", ref, "2019-04-22 00:00:00 / 2019-04-29 00:00:00");
	check("10 weeks ago", ref, "2019-02-18 00:00:00 / 2019-02-25 00:00:00");
	/* Months end where the next begins (Guild: on the last day). */
	check("this month", ref, "2019-05-01 00:00:00 / 2019-06-01 00:00:00");
	check("1 month ago", ref, "2019-04-01 00:00:00 / 2019-05-01 00:00:00");
	check("15 months ago", ref, "2018-02-01 00:00:00 / 2018-03-01 00:00:00");
	check("39 months ago", ref, "2016-02-01 00:00:00 / 2016-03-01 00:00:00");
	check("this year", ref, "2019-01-01 00:00:00 / 2020-01-01 00:00:00");
	check("5 years ago", ref, "2014-01-01 00:00:00 / 2015-01-01 00:00:00");
	check("last week", ref, "2019-04-22 00:00:00 / 2019-04-29 00:00:00");
	check("last month", ref, "2019-04-01 00:00:00 / 2019-05-01 00:00:00");
	check("LAST Year", ref, "2018-01-01 00:00:00 / 2019-01-01 00:00:00");
	check("2 MINutes AGO", ref, "2019-05-01 14:33:00 / 2019-05-01 14:34:00");
	check("this Hr", ref, "2019-05-01 14:00:00 / 2019-05-01 15:00:00");

	/* before / after. */
	check("before 2018-4-29", ref, "None / 2018-04-29 00:00:00");
	check("before 2019-4-29 9:35", ref, "None / 2019-04-29 09:35:00");
	check("before 2019-4-29 9:35:05", ref, "None / 2019-04-29 09:35:05");
	check("before 19-4-29 9:35", ref, "None / 2019-04-29 09:35:00");
	check("before 89-4-1", mk(1990, 1, 1, 0, 0, 0),
	    "None / 1989-04-01 00:00:00");
	check("before 4-29", ref, "None / 2019-04-29 00:00:00");
	check("before 4-28 15:45", ref, "None / 2019-04-28 15:45:00");
	check("before 23:30", ref, "None / 2019-05-01 23:30:00");
	check("before today", ref, "None / 2019-05-01 00:00:00");
	check("before 10 minutes ago", ref, "None / 2019-05-01 14:25:00");
	check("before 2 days ago", ref, "None / 2019-04-29 00:00:00");
	check("after 2018-4-29", ref, "2018-04-29 00:00:00 / None");
	check("after 19-4-29 9:35", ref, "2019-04-29 09:35:00 / None");
	check("after 23:30", ref, "2019-05-01 23:30:00 / None");
	check("after yesterday", ref, "2019-05-01 00:00:00 / None");
	check("after 1 day ago", ref, "2019-05-01 00:00:00 / None");
	check("after 5 minutes ago", ref, "2019-05-01 14:31:00 / None");
	check("after 2 weeks ago", ref, "2019-04-22 00:00:00 / None");
	check("after 1 month ago", ref, "2019-05-01 00:00:00 / None");
	check("after 1 year ago", ref, "2019-01-01 00:00:00 / None");

	/* last N: rolling windows. */
	check("last 2 minutes", ref, "2019-05-01 14:33:23 / None");
	check("last hour", ref, "2019-05-01 13:35:23 / None");
	check("last 6 hours", ref, "2019-05-01 08:35:23 / None");
	check("last 10 days", ref, "2019-04-21 14:35:23 / None");
	check("last 3 days", ref, "2019-04-28 14:35:23 / None");
	check("3 days ago", ref, "2019-04-28 00:00:00 / 2019-04-29 00:00:00");

	/* between. */
	check("between yesterday and today", ref,
	    "2019-04-30 00:00:00 / 2019-05-02 00:00:00");
	check("between today and yesterday", ref,
	    "2019-04-30 00:00:00 / 2019-05-02 00:00:00");
	check("between 10 minutes ago and 5 minutes ago", ref,
	    "2019-05-01 14:25:00 / 2019-05-01 14:31:00");
	check("between 1-1 and 1-31", ref,
	    "2019-01-01 00:00:00 / 2019-01-31 00:00:00");
	check("between 1-31 and 1-1", ref,
	    "2019-01-01 00:00:00 / 2019-01-31 00:00:00");
	check("between 0:00:05 and 12:00:45", ref,
	    "2019-05-01 00:00:05 / 2019-05-01 12:00:45");
	check("between 1-1 0:00:05 and 1-1 12:00:45", ref,
	    "2019-01-01 00:00:05 / 2019-01-01 12:00:45");
	check("between 2018-1-1 and 10 days ago", ref,
	    "2018-01-01 00:00:00 / 2019-04-22 00:00:00");
	check("BETWEEN 10 days ago AND today", ref,
	    "2019-04-21 00:00:00 / 2019-05-02 00:00:00");

	/* Explicit date/times alone: the range of their precision. */
	check("10:00", ref, "2019-05-01 10:00:00 / 2019-05-01 10:01:00");
	check("2018-10-31 14:30", ref,
	    "2018-10-31 14:30:00 / 2018-10-31 14:31:00");
	check("2018-10-31 14:30:05", ref,
	    "2018-10-31 14:30:05 / 2018-10-31 14:30:06");
	check("2018-10-31", ref, "2018-10-31 00:00:00 / 2018-11-01 00:00:00");
	check("2016-2-29", ref, "2016-02-29 00:00:00 / 2016-03-01 00:00:00");

	/* Errors. */
	check_error("", "empty range");
	check_error("a", "unexpected 'a' at position 0");
	check_error("aftr last week", "unexpected 'aftr' at position 0");
	check_error("after the equinox", "unexpected 'the' at position 6");
	check_error("yearsss", "unexpected 'yearsss' at position 0");
	check_error("2015-01-03-01", "unexpected '-01' at position 10");
	check_error("1:2", "unexpected ':2' at position 1");
	check_error("last 2 weeks", "unexpected 'weeks' at position 7");
	check_error("last 1 year", "unexpected 'year' at position 7");
	check_error("last", "unexpected end of range");
	check_error("3 days", "unexpected end of range");
	check_error("today today", "unexpected 'today' at position 6");
	check_error("between today", "unexpected end of range");
	check_error("before 2018-4-31", "day is out of range for month");
	check_error("2019-2-29", "day is out of range for month");
	check_error("2019-13-1", "month must be in 1..12");
	check_error("between 11:00 and 24:00", "hour must be in 0..23");
	check_error("10:61", "minute must be in 0..59");
	check_error("10:00:60", "second must be in 0..59");
	check_error("5 minutes", "unexpected end of range");
	check_error("after -1 day ago", "unexpected '-' at position 6");
	/* Found by fuzz-timerange: 7 * N overflowed an int, mktime failed. */
	check_error("999999999 weeks ago", "time out of range");
	check_error("999999999 days ago", "time out of range");
	check_error("after 3000 years ago", "time out of range");
	check("999999999 minutes ago", ref,
	    "118-01-03 03:56:00 / 118-01-03 03:57:00");

	/* contains: start inclusive, end exclusive. */
	ok(timerange_parse("today", ref, &tr, &cause) == 0, "today parses");
	ok(timerange_contains(&tr, mk(2019, 5, 1, 0, 0, 0)), "start is in");
	ok(timerange_contains(&tr, mk(2019, 5, 1, 23, 59, 59)), "last second");
	ok(!timerange_contains(&tr, mk(2019, 5, 2, 0, 0, 0)), "end is out");
	ok(!timerange_contains(&tr, mk(2019, 4, 30, 23, 59, 59)), "before");
	ok(timerange_parse("before today", ref, &tr, &cause) == 0, "open");
	ok(timerange_contains(&tr, 0), "no start: the epoch is in");

	return done_testing();
}
