/*
 * timerange.h: time range specs for -Fs/--started, in Guild's language.
 *
 * A spec names a half-open range [start, end) of local time:
 *
 *	today, yesterday
 *	this minute|hour|day|week|month|year
 *	last week|month|year		the calendar unit before this one
 *	N minutes|hours|days|weeks|months|years ago
 *					the whole calendar unit N before
 *					this one ("2 days ago": that day)
 *	last [N] minutes|hours|days	from exactly N units before now on
 *	DATETIME			the date, minute or second it names
 *	before X, after X		open-ended: before X's start, from
 *					X's end on (an explicit DATETIME is
 *					a point here)
 *	between X and Y			from the earlier start to the later
 *					end, in either order
 *
 * DATETIME is DATE, TIME or DATE TIME, with DATE one of YYYY-M-D, YY-M-D
 * (69-99: 19YY, else 20YY) or M-D (the reference year) and TIME H:MM or
 * H:MM:SS (on the reference date when alone). Weeks start on Monday.
 * Words may be abbreviated min, hr and are case-insensitive.
 *
 * Unlike Guild, a month range ends at the start of the next month (Guild
 * ends it at 00:00 of the month's last day).
 */
#ifndef GUILD_TIMERANGE_H
#define GUILD_TIMERANGE_H

#include <stdbool.h>
#include <time.h>

struct timerange {
	bool	has_start;
	bool	has_end;
	time_t	start;		/* inclusive, seconds since the epoch */
	time_t	end;		/* exclusive */
};

/*
 * Parse spec relative to the reference time ref (usually time(NULL)),
 * in the local time zone. -1 with a cause naming the problem and its
 * position.
 */
int	timerange_parse(const char *spec, time_t ref, struct timerange *,
	    char **cause);

/* Whether t (seconds) is in the range. */
bool	timerange_contains(const struct timerange *, time_t t);

#endif
