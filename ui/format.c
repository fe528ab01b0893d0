/* format.c: times, durations, scalars and sparklines for the panes. */
#include "common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "runindex.h"
#include "strbuf.h"
#include "tui.h"
#include "utf8.h"
#include "util.h"
#include "value.h"

void
fmt_time(struct strbuf *sb, int64_t us, bool short_form)
{
	struct tm	tm;
	time_t		t;
	char		buf[64];

	if (us <= 0)
		return;
	t = (time_t)(us / 1000000);
	if (localtime_r(&t, &tm) == NULL)
		return;
	if (strftime(buf, sizeof buf, short_form ? "%m-%d %H:%M" :
	    "%Y-%m-%d %H:%M:%S", &tm) > 0)
		strbuf_addstr(sb, buf);
}

void
fmt_duration(struct strbuf *sb, int64_t us)
{
	long long	s = us / 1000000;

	if (us < 0)
		return;
	if (s < 60)
		strbuf_addf(sb, "%llds", s);
	else if (s < 3600)
		strbuf_addf(sb, "%lld:%02lld", s / 60, s % 60);
	else
		strbuf_addf(sb, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60,
		    s % 60);
}

void
fmt_scalar(struct strbuf *sb, double v)
{
	char	buf[64];

	if (isnan(v)) {
		strbuf_addstr(sb, "nan");
		return;
	}
	if (isinf(v)) {
		strbuf_addstr(sb, v < 0 ? "-inf" : "inf");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		strbuf_addf(sb, "%.0f", v);
		return;
	}
	/* Six decimals as guild runs info, but no noise beyond them. */
	if (fabs(v) >= 1e-4 && fabs(v) < 1e9) {
		size_t	len;

		snprintf(buf, sizeof buf, "%.6f", v);
		len = strlen(buf);
		while (len > 0 && buf[len - 1] == '0')
			buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '.')
			buf[--len] = '\0';
		strbuf_addstr(sb, buf);
		return;
	}
	snprintf(buf, sizeof buf, "%.4g", v);
	strbuf_addstr(sb, buf);
}

void
fmt_op(struct strbuf *sb, struct view *v, const struct run_row *row)
{
	const char	*desc = row->op_desc != NULL ? row->op_desc : "?";
	size_t		 len;

	/*
	 * "./fashion:train" marks the project in the current directory,
	 * as guild runs does.
	 */
	if (row->pkg_name != NULL && v->cwd != NULL &&
	    str_ends_with(row->pkg_name, "/guild.yml")) {
		len = strlen(row->pkg_name) - strlen("/guild.yml");
		if (strlen(v->cwd) == len &&
		    strncmp(row->pkg_name, v->cwd, len) == 0)
			strbuf_addstr(sb, "./");
	}
	strbuf_addstr(sb, desc);
}

void
fmt_sparkline(struct strbuf *sb, const double *vals, size_t n, int w)
{
	static const char *const blocks[] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	static const char	ascii[] = "_.-:=+*#";
	double			lo = INFINITY, hi = -INFINITY, x;
	size_t			i, j, from, to, cnt;
	int			c, level;

	if (n == 0 || w <= 0)
		return;
	for (i = 0; i < n; i++) {
		if (isnan(vals[i]) || isinf(vals[i]))
			continue;
		if (vals[i] < lo)
			lo = vals[i];
		if (vals[i] > hi)
			hi = vals[i];
	}
	if (lo > hi)
		return;
	if ((size_t)w > n)
		w = (int)n;
	for (c = 0; c < w; c++) {
		/* Each cell shows the mean of its share of the points. */
		from = (size_t)c * n / (size_t)w;
		to = (size_t)(c + 1) * n / (size_t)w;
		x = 0;
		cnt = 0;
		for (j = from; j < to; j++) {
			if (isnan(vals[j]) || isinf(vals[j]))
				continue;
			x += vals[j];
			cnt++;
		}
		if (cnt == 0) {
			strbuf_addch(sb, ' ');
			continue;
		}
		x /= (double)cnt;
		level = hi > lo ? (int)((x - lo) / (hi - lo) * 7.0 + 0.5) : 3;
		if (level < 0)
			level = 0;
		if (level > 7)
			level = 7;
		if (display_utf8)
			strbuf_addstr(sb, blocks[level]);
		else
			strbuf_addch(sb, ascii[level]);
	}
}
