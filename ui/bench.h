/*
 * bench.h: the benchmark hooks of guild view (see view.h's options).
 * Without a benchmark option they measure the first screen only and
 * print nothing.
 */
#ifndef GUILD_UI_BENCH_H
#define GUILD_UI_BENCH_H

#include <time.h>

struct view;

/*
 * After the first screen (the view started at t0): note its time; with
 * --bench-keys time the key presses now, with --bench-follow arm the
 * sampling and the stop timers.
 */
void	bench_start(struct view *, const struct timespec *t0);
/* After the screen is left: print what was measured, if asked. */
void	bench_report(struct view *);

#endif
