/*
 * format.h: how the view writes times, durations, scalar values,
 * operation names and sparklines into a strbuf.
 */
#ifndef GUILD_UI_FORMAT_H
#define GUILD_UI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct run_row;
struct strbuf;
struct view;

/* "2026-01-02 15:57:32" local time of µs; "" for 0. */
void		 fmt_time(struct strbuf *, int64_t us, bool short_form);
/* "1:02:03", "45s" from µs. */
void		 fmt_duration(struct strbuf *, int64_t us);
/* A scalar value as guild runs info shows it (%g-ish, 6 decimals). */
void		 fmt_scalar(struct strbuf *, double);
/* "./fashion:train" for the project in the current directory. */
void		 fmt_op(struct strbuf *, struct view *, const struct run_row *);
/* Sparkline of values (UTF-8 blocks, else ASCII), w cells. */
void		 fmt_sparkline(struct strbuf *, const double *v, size_t n,
		    int w);

#endif
