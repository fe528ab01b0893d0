/*
 * bench.c: the view's benchmark hooks (guild view --bench-*, hidden
 * options that bench/view.sh uses): the time to the first screen, key
 * presses timed through the real key path and redraw, the lag of
 * following a run's output, and memory. Results go to stderr after the
 * screen is left, so they never disturb it.
 */
#include "common.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"
#include "keymap.h"
#include "layout.h"
#include "loop.h"
#include "pane-output.h"
#include "runlist.h"
#include "strbuf.h"
#include "tui.h"
#include "util.h"
#include "view.h"

static double
elapsed_ms(const struct timespec *t0)
{
	struct timespec	t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Time key presses: move down the runs and redraw, N times. */
static void
bench_keys(struct view *v, int n, double *avg, double *max)
{
	struct timespec	t0;
	double		ms, total = 0;
	int		i;

	*max = 0;
	v->focus = MAIN_RUNS;
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		/* Mostly down, with pages and both ends of the list. */
		view_key(v, i % 50 == 49 ? KEY_SPECIAL + KEY_HOME :
		    i % 50 == 25 ? KEY_SPECIAL + KEY_END :
		    i % 10 == 5 ? KEY_SPECIAL + KEY_NPAGE : 'j');
		view_draw(v);
		ms = elapsed_ms(&t0);
		total += ms;
		if (ms > *max)
			*max = ms;
	}
	*avg = n > 0 ? total / n : 0;
}

/* What the resident memory is made of (Linux): heap or mapped files. */
static void
bench_rss(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p;

	if (strbuf_read_file(&sb, "/proc/self/status", NULL) == -1) {
		strbuf_release(&sb);
		return;
	}
	for (p = sb.buf; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, "RssAnon:", 8) == 0 ||
		    strncmp(p, "RssFile:", 8) == 0)
			fprintf(stderr, "%.*s\n", (int)strcspn(p, "\n"), p);
	}
	strbuf_release(&sb);
}

/* --bench-follow: how far behind the run the screen is, sampled. */
static void
bench_sample_cb(struct loop_timer *t, void *arg)
{
	struct view	*v = arg;
	const char	*text;
	size_t		 len;
	double		 stamp, lag;
	char		*end;

	/* The benchmark's lines start with the time they were written. */
	if (!output_last_line(v->output, &text, &len) || len == 0)
		return;
	stamp = strtod(text, &end);
	if (end == text || stamp < 1e9)
		return;
	lag = (double)now_us() / 1000.0 - stamp * 1000.0;
	if (lag > v->bench.lag_max)
		v->bench.lag_max = lag;
	v->bench.lag_sum += lag;
	v->bench.samples++;
}

static void
bench_stop_cb(struct loop_timer *t, void *arg)
{
	struct view	*v = arg;

	v->quit = true;
	loop_break(v->loop);
}

void
bench_start(struct view *v, const struct timespec *t0)
{
	const struct view_options	*opts = v->opts;
	struct view_bench		*b = &v->bench;

	b->first_ms = elapsed_ms(t0);
	b->first_rows = v->runs->nloaded * 256;
	if (b->first_rows > runlist_total(v->runs))
		b->first_rows = runlist_total(v->runs);
	if (opts->bench_keys > 0) {
		struct timespec	t1;

		/*
		 * A filter reads every run once: the worst a key does. It
		 * draws what a first step read, as the loop would, then reads
		 * the rest.
		 */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		runlist_set_pattern(v->runs, "train|eval", NULL);
		runlist_step(v->runs, VIEW_WORK_STEP_MS);
		view_draw(v);
		b->filter_first_ms = elapsed_ms(&t1);
		runlist_finish(v->runs);
		view_draw(v);
		b->filter_ms = elapsed_ms(&t1);
		runlist_set_pattern(v->runs, NULL, NULL);
		bench_keys(v, opts->bench_keys, &b->key_avg, &b->key_max);
	}
	if (opts->bench_follow > 0) {
		loop_timer_add(v->loop, (unsigned)opts->bench_follow * 1000, 0,
		    bench_stop_cb, v);
		loop_timer_add(v->loop, 100, 1, bench_sample_cb, v);
	}
}

void
bench_report(struct view *v)
{
	const struct view_options	*opts = v->opts;
	const struct view_bench		*b = &v->bench;
	struct rusage			 ru;

	if (!opts->exit_after_draw && opts->bench_keys <= 0 &&
	    opts->bench_follow <= 0 && !opts->bench_load)
		return;
	fprintf(stderr, "first screen: %.1f ms (%zu of %zu runs read)\n",
	    b->first_ms, b->first_rows, runlist_total(v->runs));
	if (opts->bench_load)
		fprintf(stderr, "every run read: %.1f ms (%zu runs)\n",
		    b->load_ms > 0 ? b->load_ms : b->first_ms,
		    runlist_total(v->runs));
	if (opts->bench_keys > 0) {
		fprintf(stderr, "first filter (reads every run): %.1f ms "
		    "drawn, %.1f ms complete\n", b->filter_first_ms,
		    b->filter_ms);
		fprintf(stderr, "key to redraw: %.2f ms average, %.2f ms max "
		    "(%d keys)\n", b->key_avg, b->key_max, opts->bench_keys);
	}
	if (opts->bench_follow > 0)
		fprintf(stderr, "follow lag: %.1f ms average, %.1f ms max (%u "
		    "samples), %llu redraws\n", b->samples > 0 ? b->lag_sum /
		    b->samples : 0.0, b->lag_max, b->samples,
		    (unsigned long long)v->draws);
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(stderr, "max resident memory: %.1f MB\n",
		    (double)ru.ru_maxrss / 1024.0);
	bench_rss();
}
