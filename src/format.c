/* format.c: a run's times, durations, operation, scalars and counts. */
#include "common.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "compat.h"
#include "format.h"
#include "runindex.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"
#include "xmalloc.h"

static void
add_time(struct strbuf *sb, int64_t us, bool short_form)
{
	struct tm	tm;
	time_t		t;
	char		buf[64];

	if (us <= 0)
		return;
	t = (time_t)(us / 1000000);
	if (localtime_r(&t, &tm) == NULL)
		return;
	/* Both forms fit in buf whatever the year, so nothing is cut. */
	if (strftime(buf, sizeof buf, short_form ? "%m-%d %H:%M" :
	    "%Y-%m-%d %H:%M:%S", &tm) > 0)
		strbuf_addstr(sb, buf);
}

void
format_time(struct strbuf *sb, int64_t us)
{
	add_time(sb, us, false);
}

char *
format_time_str(int64_t us)
{
	struct strbuf	sb = STRBUF_INIT;

	format_time(&sb, us);
	return strbuf_detach(&sb, NULL);
}

void
format_time_short(struct strbuf *sb, int64_t us)
{
	add_time(sb, us, true);
}

void
format_duration(struct strbuf *sb, int64_t us)
{
	long long	s = us > 0 ? (long long)(us / 1000000) : 0;

	strbuf_addf(sb, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
}

bool
format_run_time(struct strbuf *sb, int64_t started, int64_t stopped,
    bool running, int64_t now)
{
	if (started <= 0)
		return false;
	if (running)
		stopped = now;
	else if (stopped <= 0)
		return false;
	format_duration(sb, stopped - started);
	return true;
}

/*
 * Whether dir is the current directory. Rows share a handful of project
 * directories, so the answers are kept: a listing of 100,000 runs does
 * not call realpath() 100,000 times, nor does the view at every redraw.
 */
static struct {
	char	*cwd, *cwd_real;
	char	**dirs;
	bool	*answers;
	size_t	 n;
} cwd_cache;

static bool
is_cwd(const char *dir)
{
	char	*real;
	bool	 answer;
	size_t	 i;

	if (cwd_cache.cwd == NULL) {
		if ((cwd_cache.cwd = getcwd(NULL, 0)) == NULL)
			cwd_cache.cwd = xstrdup("");
		if ((cwd_cache.cwd_real = realpath(cwd_cache.cwd, NULL)) ==
		    NULL)
			cwd_cache.cwd_real = xstrdup(cwd_cache.cwd);
	}
	if (strcmp(dir, cwd_cache.cwd) == 0 ||
	    strcmp(dir, cwd_cache.cwd_real) == 0)
		return true;
	for (i = 0; i < cwd_cache.n; i++)
		if (strcmp(cwd_cache.dirs[i], dir) == 0)
			return cwd_cache.answers[i];
	if ((real = realpath(dir, NULL)) != NULL) {
		answer = strcmp(real, cwd_cache.cwd_real) == 0;
		free(real);
	} else
		answer = false;
	cwd_cache.dirs = xreallocarray(cwd_cache.dirs, cwd_cache.n + 1,
	    sizeof *cwd_cache.dirs);
	cwd_cache.answers = xreallocarray(cwd_cache.answers, cwd_cache.n + 1,
	    sizeof *cwd_cache.answers);
	cwd_cache.dirs[cwd_cache.n] = xstrdup(dir);
	cwd_cache.answers[cwd_cache.n++] = answer;
	return answer;
}

void
format_op_in(struct strbuf *sb, const char *op_desc, const char *project_dir)
{
	char	*abbrev;

	if (op_desc == NULL)
		op_desc = "";
	/*
	 * The walkthrough's form: "./fashion:train" for the project in the
	 * current directory (Guild 0.9's, in its mode: "fashion:train");
	 * others name their project, as Guild 0.9 does.
	 */
	if (project_dir == NULL)
		strbuf_addstr(sb, op_desc);
	else if (is_cwd(project_dir))
		strbuf_addf(sb, "%s%s", compat_guild09() ? "" : "./", op_desc);
	else {
		abbrev = path_abbrev_home(project_dir);
		strbuf_addf(sb, "%s (%s)", op_desc, abbrev);
		free(abbrev);
	}
}

void
format_op(struct strbuf *sb, const struct run_row *row)
{
	char	*dir = run_row_project_dir(row);

	format_op_in(sb, row->op_desc, dir);
	free(dir);
}

char *
format_op_str(const struct run_row *row)
{
	struct strbuf	sb = STRBUF_INIT;

	format_op(&sb, row);
	return strbuf_detach(&sb, NULL);
}

void
format_scalar(struct strbuf *sb, double v)
{
	/* Python's "%f" % v; C would write "-nan" for some NaNs. */
	if (isnan(v))
		strbuf_addstr(sb, "nan");
	else if (isinf(v))
		strbuf_addstr(sb, v < 0 ? "-inf" : "inf");
	else
		strbuf_addf(sb, "%f", v);
}

void
format_scalar_step(struct strbuf *sb, double v, long long step)
{
	format_scalar(sb, v);
	strbuf_addf(sb, " (step %lld)", step);
}

void
format_scalar_short(struct strbuf *sb, double v)
{
	size_t	start = sb->len;

	if (isnan(v) || isinf(v) || (v == floor(v) && fabs(v) < 1e15)) {
		if (isnan(v) || isinf(v))
			format_scalar(sb, v);
		else
			strbuf_addf(sb, "%.0f", v);
		return;
	}
	if (fabs(v) < 1e-4 || fabs(v) >= 1e9) {
		strbuf_addf(sb, "%.4g", v);
		return;
	}
	/* format_scalar()'s six decimals, but no noise beyond them. */
	format_scalar(sb, v);
	while (sb->len > start && sb->buf[sb->len - 1] == '0')
		strbuf_setlen(sb, sb->len - 1);
	if (sb->len > start && sb->buf[sb->len - 1] == '.')
		strbuf_setlen(sb, sb->len - 1);
}

void
format_value_cell(struct strbuf *sb, const struct value *v)
{
	struct strbuf	 tmp = STRBUF_INIT;
	const char	*p;
	int		 digits;

	if (v == NULL)
		return;
	switch (v->type) {
	case VALUE_NULL:
		return;
	case VALUE_BOOL:
		strbuf_addstr(sb, v->u.b ? "yes" : "no");
		return;
	case VALUE_INT:
		strbuf_addf(sb, "%lld", v->u.i);
		return;
	case VALUE_STRING:
		strbuf_addstr(sb, v->u.s);
		return;
	case VALUE_FLOAT:
		value_format_flag(&tmp, v);
		for (p = tmp.buf; *p != '\0'; ) {
			if (*p == '.' && isdigit((unsigned char)p[1])) {
				strbuf_addch(sb, *p++);
				for (digits = 0; isdigit((unsigned char)*p);
				    p++, digits++)
					if (digits < 6)
						strbuf_addch(sb, *p);
				continue;
			}
			strbuf_addch(sb, *p++);
		}
		strbuf_release(&tmp);
		return;
	default:
		value_format_flag(sb, v);
		return;
	}
}

void
format_runs(struct strbuf *sb, size_t n)
{
	strbuf_addf(sb, "%zu run(s)", n);
}

void
format_runs_done(struct strbuf *sb, enum runs_done what, size_t n)
{
	static const char *const words[] = {
		[RUNS_DELETED] = "Deleted ",
		[RUNS_PURGED] = "Permanently deleted ",
		[RUNS_RESTORED] = "Restored ",
		[RUNS_LABELED] = "Labeled ",
		[RUNS_LABEL_CLEARED] = "Cleared label for ",
		[RUNS_TAGGED] = "Modified tags for ",
		[RUNS_MARKED] = "Marked ",
		[RUNS_UNMARKED] = "Unmarked ",
		[RUNS_STOPPING] = "Stopping ",
		[RUNS_KILLED] = "Killed ",
		[RUNS_SELECTED] = "Selected ",
	};

	strbuf_addstr(sb, words[what]);
	format_runs(sb, n);
}

size_t
format_fit_width(const char *s, size_t w)
{
	mbstate_t	st;
	size_t		used = 0, n, off = 0, left = strlen(s);
	wchar_t		wc;
	int		cw;

	/* ASCII is a column a byte, in every locale's encoding. */
	while (off < left && off < w && (unsigned char)s[off] < 0x80)
		off++;
	if (off == left || off == w)
		return off;
	locale_ctype();
	used = off;
	left -= off;
	memset(&st, 0, sizeof st);
	while (left > 0) {
		n = mbrtowc(&wc, s + off, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			/* A byte that is no character: one column, as utf8_width. */
			memset(&st, 0, sizeof st);
			n = 1;
			cw = 1;
		} else if (n == 0)
			break;
		else
			cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		if (used + (size_t)cw > w)
			break;
		used += (size_t)cw;
		off += n;
		left -= n;
	}
	return off;
}

void
format_csv_field(struct strbuf *sb, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_addch(sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

void
format_bytes(struct strbuf *sb, unsigned long long n)
{
	static const char units[] = "KMGTPEZ";
	double		  d = (double)n;
	size_t		  i;

	if (n < 1024) {
		strbuf_addf(sb, "%llu", n);
		return;
	}
	for (i = 0; i + 1 < sizeof units - 1; i++) {
		d /= 1024.0;
		if (d < 1024)
			break;
	}
	strbuf_addf(sb, "%.1f%c", d, units[i]);
}
