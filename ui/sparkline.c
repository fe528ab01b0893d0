/*
 * sparkline.c: a series as a line of block characters, for the info
 * pane. Times, durations, operations and scalars are read as in the CLI:
 * the panes use src/format.h.
 */
#include "common.h"

#include <math.h>

#include "sparkline.h"
#include "strbuf.h"
#include "utf8.h"

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
