/*
 * tui.c: guild view's main: the terminal, the event loop, keys, and
 * running programs (a shell, guild itself). Placing and drawing the
 * panes is layout.c's, the actions that are not a pane's own are in
 * actions.c, the benchmark hooks in bench.c.
 *
 * One poll(2) loop (src/loop.c) drives everything: the terminal fd
 * (drained with wget_wch until ERR, since curses buffers escape
 * sequences), a redraw timer armed only when something is dirty, the
 * runs refresh (1 s), output polling while a live run is followed, and
 * signals: SIGWINCH is ours (installed before newterm, so curses leaves
 * it alone), SIGINT/SIGTERM/SIGHUP quit cleanly, SIGTSTP and SIGCONT
 * leave and restore the screen. endwin() runs on every way out,
 * including exit() (atexit) and fatal signals (the saved terminal
 * modes and the terminal's own exit sequences, written directly).
 */
#include "common.h"

#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "actions.h"
#include "bench.h"
#include "cli.h"
#include "display.h"
#include "guildfile.h"
#include "home.h"
#include "layout.h"
#include "loop.h"
#include "output.h"
#include "pane-compare.h"
#include "pane-models.h"
#include "pane-ops.h"
#include "pane-output.h"
#include "pane-runs.h"
#include "pane-image.h"
#include "pane.h"
#include "proc.h"
#include "prompt.h"
#include "remotesync.h"
#include "run.h"
#include "runindex.h"
#include "runlist.h"
#include "strbuf.h"
#include "term.h"
#include "tui.h"
#include "util.h"
#include "view.h"
#include "viewconf.h"

#define MSG_MS		6000
/* While catching up with the index: how often the runs read are shown. */
#define CATCHUP_SHOW_MS	1000
#define SPAWN_OUTPUT_MAX (1024 * 1024)

/* For the exit paths that have no view at hand. */
static bool		curses_active;
static SCREEN		*screen;
static struct termios	saved_tio;
static bool		saved_tio_ok;
static char		*exit_seq;
static size_t		exit_seq_len;


/* Restore the terminal from a fatal signal: async-signal-safe only. */
static void
fatal_signal(int sig)
{
	if (curses_active) {
		if (exit_seq != NULL)
			(void)!write(STDOUT_FILENO, exit_seq, exit_seq_len);
		if (saved_tio_ok)
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
view_atexit(void)
{
	if (curses_active) {
		endwin();
		curses_active = false;
	}
}

/* The terminal's own "leave full screen" sequences, for fatal_signal. */
static void
build_exit_seq(bool mouse)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*caps[] = { "sgr0", "cnorm", "rmkx", "rmcup" };
	char		*s;
	size_t		 i;

	if (mouse)
		strbuf_addstr(&sb, "\033[?1000l\033[?1002l\033[?1006l");
	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		s = tigetstr(caps[i]);
		if (s != NULL && s != (char *)-1)
			strbuf_addstr(&sb, s);
	}
	strbuf_addstr(&sb, "\r\n");
	free(exit_seq);
	exit_seq = strbuf_detach(&sb, &exit_seq_len);
}

struct pane *
view_focus(struct view *v)
{
	if (v->nstack > 0)
		return v->stack[v->nstack - 1];
	return v->main[v->focus];
}

enum main_pane
main_pane_step(enum main_pane from, int step)
{
	int	n = ((int)from + step) % MAIN_COUNT;

	return (enum main_pane)(n < 0 ? n + MAIN_COUNT : n);
}

void
view_focus_main(struct view *v, enum main_pane which)
{
	v->focus = which;
	view_dirty(v);
}

static void
redraw_cb(struct loop_timer *t, void *arg)
{
	struct view	*v = arg;

	if (v->dirty)
		view_draw(v);
}

/* 3400 -> "3,400": progress figures are read at a glance. */
static void
add_count(struct strbuf *sb, size_t n)
{
	if (n >= 1000) {
		add_count(sb, n / 1000);
		strbuf_addf(sb, ",%03zu", n % 1000);
	} else
		strbuf_addf(sb, "%zu", n);
}

/*
 * The run lists work may be under way for, i from 0 to nstack: the runs
 * pane's, then a full-screen pane's own (the trash's); NULL: none.
 */
static struct runlist *
work_list(struct view *v, size_t i)
{
	struct pane	*p;

	if (i == 0)
		return v->runs;
	p = v->stack[i - 1];
	return p->ops->runlist != NULL ? p->ops->runlist(p) : NULL;
}

static bool
work_pending(struct view *v)
{
	struct runlist	*rl;
	size_t		 i;

	if (v->catchup)
		return true;
	for (i = 0; i <= v->nstack; i++)
		if ((rl = work_list(v, i)) != NULL &&
		    runlist_busy(rl, NULL, NULL))
			return true;
	return false;
}

bool
view_progress(struct view *v, struct strbuf *sb)
{
	struct runlist	*rl;
	size_t		 i, done, total;

	if (v->catchup) {
		strbuf_addstr(sb, "Reading runs ");
		add_count(sb, v->catchup_done);
		strbuf_addch(sb, '/');
		add_count(sb, v->catchup_total);
		/* A filter goes on over the runs read so far. */
		if (runlist_busy(v->runs, &done, &total)) {
			strbuf_addstr(sb, ", filtering ");
			add_count(sb, done);
			strbuf_addch(sb, '/');
			add_count(sb, total);
		}
		strbuf_addstr(sb, " (the list fills in; Esc stops, q quits)");
		return true;
	}
	for (i = 0; i <= v->nstack; i++) {
		if ((rl = work_list(v, i)) == NULL ||
		    !runlist_busy(rl, &done, &total))
			continue;
		strbuf_addstr(sb, "Filtering runs ");
		add_count(sb, done);
		strbuf_addch(sb, '/');
		add_count(sb, total);
		strbuf_addstr(sb, " (Esc cancels)");
		return true;
	}
	if (v->catchup_held) {
		/* Until R: the list is not every run, and says so. */
		strbuf_addstr(sb, "Reading runs stopped at ");
		add_count(sb, v->catchup_done);
		strbuf_addch(sb, '/');
		add_count(sb, v->catchup_total);
		strbuf_addstr(sb, ": ");
		add_count(sb, runlist_total(v->runs));
		strbuf_addstr(sb, runlist_total(v->runs) == 1 ? " run" :
		    " runs");
		strbuf_addstr(sb, " shown (R reads the rest)");
		return true;
	}
	return false;
}

static double
since_ms(const struct timespec *t0)
{
	struct timespec	t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * When the runs directory has runs the index has not (a cold index,
 * runs added by others), read them between keys: a first step now.
 */
static void
catchup_begin(struct view *v)
{
	char	*cause = NULL;

	switch (runindex_catchup_start(v->idx, false, &cause)) {
	case -1:
		view_error_cause(v, cause);
		return;
	case 0:
		return;
	}
	v->catchup = runindex_catchup_step(v->idx, VIEW_WORK_STEP_MS,
	    &v->catchup_done, &v->catchup_total, &cause) == 1;
	if (cause != NULL)
		view_error_cause(v, cause);
	v->catchup_shown = mono_ms();
	if (v->catchup)
		view_dirty(v);
}

/*
 * The runs read so far. The cursor stays on its run, but on the first
 * row it stays there: runs read later may be newer, and the newest is
 * what the view opens on.
 */
static void
catchup_show(struct view *v)
{
	char	*prev = NULL, *cause = NULL;

	if (v->runs_pane->cursor > 0)
		prev = view_cursor_id(v);
	/* A filter under way keeps what it read: it goes on. */
	if (runlist_update(v->runs, &cause) == -1)
		view_error_cause(v, cause);
	view_runs_changed(v, prev);
	free(prev);
}

bool
view_catchup_stop(struct view *v)
{
	if (!v->catchup)
		return false;
	/* Each step was committed: the index holds what was read. */
	runindex_catchup_hold(v->idx);
	v->catchup = false;
	v->catchup_held = true;
	catchup_show(v);
	view_message(v, "Stopped reading runs: %zu shown (R reads the rest)",
	    runlist_total(v->runs));
	return true;
}

void
view_catchup_resume(struct view *v)
{
	v->catchup_held = false;
	if (!v->catchup)
		catchup_begin(v);
}

/*
 * A step of the first filter of a list (the runs pane's, then a
 * full-screen pane's own): the cursor stays on its run.
 */
static bool
filter_step(struct view *v)
{
	struct runlist	*rl;
	size_t		 i, before, total;
	char		*prev = NULL;

	for (i = 0; i <= v->nstack; i++) {
		if ((rl = work_list(v, i)) == NULL ||
		    !runlist_busy(rl, NULL, NULL))
			continue;
		before = runlist_count(rl);
		total = runlist_total(rl);
		if (rl == v->runs)
			prev = view_cursor_id(v);
		runlist_step(rl, VIEW_WORK_STEP_MS);
		/* The index changed under the filter: places moved. */
		if (rl == v->runs && runlist_total(rl) != total)
			view_runs_changed(v, prev);
		/* The first match under the cursor: show its output. */
		else if (rl == v->runs && before == 0 &&
		    runlist_count(rl) > 0)
			output_follow_run(v->output, runlist_row(rl,
			    v->runs_pane->cursor));
		free(prev);
		view_dirty(v);
		return true;
	}
	return false;
}

/*
 * Work between keys, a step of about VIEW_WORK_STEP_MS at a time, so a key
 * waits at most that long: first catching up with the index (the runs
 * read so far are shown as it goes), then the digests filters need.
 */
static void
work_cb(struct loop_timer *t, void *arg)
{
	struct view	*v = arg;
	char		*cause = NULL;
	int		 rc;

	if (v->external)
		return;		/* the terminal is another program's */
	if (v->catchup && v->catchup_filter) {
		/*
		 * A filter's turn: right after the list was taken again, so
		 * its places are the index's (each catch-up step adds runs).
		 */
		v->catchup_filter = false;
		catchup_show(v);
		filter_step(v);
	} else if (v->catchup) {
		rc = runindex_catchup_step(v->idx, VIEW_WORK_STEP_MS,
		    &v->catchup_done, &v->catchup_total, &cause);
		if (rc != 1) {
			v->catchup = false;
			if (rc == -1)
				view_error_cause(v, cause);
			catchup_show(v);
			v->bench.load_ms = since_ms(&v->bench.t0);
		} else if (mono_ms() - v->catchup_shown >= CATCHUP_SHOW_MS) {
			/* Shown with the filter's next step. */
			if (runlist_busy(v->runs, NULL, NULL))
				v->catchup_filter = true;
			else
				catchup_show(v);
			v->catchup_shown = mono_ms();
		}
		view_dirty(v);
	} else
		filter_step(v);
	if (work_pending(v))
		loop_timer_set(t, 1, 0);
	else if (v->opts->bench_load) {
		v->quit = true;
		loop_break(v->loop);
	}
}

void
view_dirty(struct view *v)
{
	v->dirty = true;
	/* Whatever changed may have started work (a filter). */
	if (v->work_timer != NULL && !loop_timer_armed(v->work_timer) &&
	    work_pending(v))
		loop_timer_set(v->work_timer, 1, 0);
	if (v->redraw_timer != NULL && !loop_timer_armed(v->redraw_timer))
		loop_timer_set(v->redraw_timer,
		    (unsigned)view_settings.redraw_ms, 0);
}

static void
msg_cb(struct loop_timer *t, void *arg)
{
	struct view	*v = arg;

	free(v->msg);
	v->msg = NULL;
	view_dirty(v);
}

static void PRINTFLIKE(3, 0)
set_message(struct view *v, bool error, const char *fmt, va_list ap)
{
	struct strbuf	sb = STRBUF_INIT;
	char		*nl;

	strbuf_vaddf(&sb, fmt, ap);
	/* One line: the first of a multi-line cause. */
	if ((nl = strchr(sb.buf, '\n')) != NULL)
		strbuf_setlen(&sb, (size_t)(nl - sb.buf));
	free(v->msg);
	v->msg = strbuf_detach(&sb, NULL);
	v->msg_error = error;
	if (v->msg_timer != NULL)
		loop_timer_set(v->msg_timer, error ? 2 * MSG_MS : MSG_MS, 0);
	view_dirty(v);
}

void
view_message(struct view *v, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	set_message(v, false, fmt, ap);
	va_end(ap);
}

void
view_error(struct view *v, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	set_message(v, true, fmt, ap);
	va_end(ap);
}

void
view_error_cause(struct view *v, char *cause)
{
	view_error(v, "%s", cause != NULL ? cause : "unknown error");
	free(cause);
}

struct pane *
view_push(struct view *v, const struct pane_ops *ops, void *arg)
{
	struct pane	*p;

	if (v->nstack == ARRAY_SIZE(v->stack)) {
		view_error(v, "Too many views open: close some with q");
		return NULL;
	}
	p = pane_new(v, ops, arg);
	if (v->nstack > 0)
		v->stack[v->nstack - 1]->focused = false;
	v->stack[v->nstack++] = p;
	p->focused = true;
	view_dirty(v);
	return p;
}

void
view_pop(struct view *v)
{
	if (v->nstack == 0)
		return;
	pane_free(v->stack[--v->nstack]);
	if (v->nstack > 0)
		v->stack[v->nstack - 1]->focused = true;
	curs_set(0);
	view_dirty(v);
}

/* The id under the runs pane's cursor, to keep it across reloads. */
char *
view_cursor_id(struct view *v)
{
	const struct run_row	*row = runlist_row(v->runs, v->runs_pane->cursor);

	return row != NULL ? xstrdup(row->id) : NULL;
}

/* After the runs list changed: the cursor stays on its run. */
void
view_runs_changed(struct view *v, const char *prev)
{
	long	i = -1;
	size_t	j;

	if (v->select_id != NULL &&
	    (i = runlist_find(v->runs, v->select_id)) >= 0) {
		free(v->select_id);
		v->select_id = NULL;
		v->focus = MAIN_RUNS;
	} else if (prev != NULL)
		i = runlist_find(v->runs, prev);
	if (i >= 0)
		v->runs_pane->cursor = (size_t)i;
	pane_scroll_to_cursor(v->runs_pane);
	output_follow_run(v->output, runlist_row(v->runs,
	    v->runs_pane->cursor));
	for (j = 0; j < v->nstack; j++)
		if (v->stack[j]->ops->reload != NULL)
			v->stack[j]->ops->reload(v->stack[j], false);
	view_dirty(v);
}

void
view_reload_runs(struct view *v)
{
	char	*prev = view_cursor_id(v), *cause = NULL;

	if (runlist_load(v->runs, &cause) == -1)
		view_error_cause(v, cause);
	view_runs_changed(v, prev);
	free(prev);
}

static void
refresh_cb(struct loop_timer *t, void *arg)
{
	struct view	*v = arg;
	char		*prev = view_cursor_id(v), *cause = NULL;
	size_t		 i;

	if (v->external) {
		free(prev);
		return;
	}
	/*
	 * Many runs added by others are read between keys too; after Esc
	 * stopped that, only R or a run started here starts it again.
	 */
	if (!v->catchup && (!v->catchup_held || v->select_id != NULL)) {
		v->catchup_held = false;
		catchup_begin(v);
	}
	if (runlist_poll(v->runs, &cause))
		view_runs_changed(v, prev);
	else if (cause != NULL)
		view_error_cause(v, cause);
	else {
		for (i = 0; i < MAIN_COUNT; i++)
			if (v->main[i]->ops->tick != NULL)
				v->main[i]->ops->tick(v->main[i]);
		for (i = 0; i < v->nstack; i++)
			if (v->stack[i]->ops->tick != NULL)
				v->stack[i]->ops->tick(v->stack[i]);
	}
	free(prev);
}

void
view_refresh_soon(struct view *v)
{
	if (v->kick_timer != NULL && !loop_timer_armed(v->kick_timer))
		loop_timer_set(v->kick_timer, 20, 0);
}

void
view_sync_op_filter(struct view *v)
{
	const struct modeldef	*m;
	const struct opdef	*op;
	char			*prev;

	if (v->runs->model == NULL)
		return;
	prev = view_cursor_id(v);
	m = models_selected(v);
	op = v->focus == MAIN_MODELS ? NULL : ops_selected(v);
	runlist_set_op(v->runs, v->gf != NULL ? v->gf->path : NULL,
	    m != NULL ? m->name : "", op != NULL ? op->name : NULL);
	view_runs_changed(v, prev);
	free(prev);
}

/* Load (or reload) guild.yml of the current directory. */
void
view_load_project(struct view *v)
{
	struct guildfile	*gf;
	char			*cause = NULL, *path;

	path = path_join(v->cwd, "guild.yml");
	free(v->gf_error);
	v->gf_error = NULL;
	if (!path_exists(path)) {
		guildfile_free(v->gf);
		v->gf = NULL;
		free(path);
		return;
	}
	if ((gf = guildfile_load(path, &cause)) == NULL) {
		/* "guild.yml:4:3: ...": the directory is in the title. */
		if (cause != NULL && strncmp(cause, path, strlen(path) -
		    strlen("guild.yml")) == 0) {
			char	*shorter = xstrdup(cause + strlen(path) -
				    strlen("guild.yml"));

			free(cause);
			cause = shorter;
		}
		v->gf_error = cause;
		guildfile_free(v->gf);
		v->gf = NULL;
	} else {
		guildfile_free(v->gf);
		v->gf = gf;
	}
	free(path);
	v->models->cursor = v->models->top = 0;
	v->ops->cursor = v->ops->top = 0;
}

/* Warnings from the core go to the status line, never to the screen. */
static void
warn_to_view(const char *msg, void *arg)
{
	struct view	*v = arg;

	view_error(v, "warning: %s", msg);
}

void
view_resize(struct view *v)
{
	unsigned short	rows, cols;

	if (term_get_size(STDOUT_FILENO, &rows, &cols) == 0)
		resizeterm(rows, cols);
	v->rows = LINES;
	v->cols = COLS;
	view_layout(v);
	clearok(curscr, TRUE);
	view_dirty(v);
}

static void
on_winch(int signo, void *arg)
{
	struct view	*v = arg;

	if (v->external)
		return;
	view_resize(v);
	view_draw(v);
}

static void
on_quit_signal(int signo, void *arg)
{
	struct view	*v = arg;

	/* Ctrl-C in a shell started from here is the shell's. */
	if (signo == SIGINT && (v->external ||
	    mono_ms() - v->external_end < 500))
		return;
	v->quit = true;
	loop_break(v->loop);
}

void
view_suspend(struct view *v)
{
	endwin();
	kill(getpid(), SIGSTOP);
	/* Continued: SIGCONT redraws everything. */
	refresh();
	view_resize(v);
}

static void
on_tstp(int signo, void *arg)
{
	struct view	*v = arg;

	if (!v->external)
		view_suspend(v);
}

static void
on_cont(int signo, void *arg)
{
	struct view	*v = arg;

	if (v->external)
		return;
	clearok(curscr, TRUE);
	view_resize(v);
	view_draw(v);
}

/* Mouse: a click focuses the pane and row under it; the wheel scrolls. */
static void
handle_mouse(struct view *v)
{
	MEVENT		 ev;
	struct pane	*p = NULL;
	size_t		 i;
	int		 k;

	if (getmouse(&ev) != OK || v->too_small)
		return;
	if (v->nstack > 0)
		p = v->stack[v->nstack - 1];
	else {
		for (i = 0; i < MAIN_COUNT; i++) {
			struct pane	*q = v->main[i];

			if (q->h > 0 && ev.y >= q->y && ev.y < q->y + q->h &&
			    ev.x >= q->x && ev.x < q->x + q->w) {
				p = q;
				if (ev.bstate & (BUTTON1_PRESSED |
				    BUTTON1_CLICKED))
					v->focus = (enum main_pane)i;
				break;
			}
		}
	}
	if (p == NULL)
		return;
	if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		pane_click(p, ev.y, ev.x);
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		for (k = 0; k < 3; k++) {
			enum action	act = (ev.bstate & BUTTON4_PRESSED) ?
				    ACT_MOVE_UP : ACT_MOVE_DOWN;

			if (p->ops->action == NULL || !p->ops->action(p, act))
				pane_move(p, act);
		}
	}
#endif
	(void)k;
	view_dirty(v);
}

static void
on_input(struct loop_io *io, int fd, short revents, void *arg)
{
	struct view	*v = arg;
	static int	 empty;
	wint_t		 wch;
	int		 rc, key, got = 0;

	for (;;) {
		rc = wget_wch(stdscr, &wch);
		if (rc == ERR)
			break;
		got++;
		key = rc == KEY_CODE_YES ? KEY_SPECIAL + (int)wch : (int)wch;
		if (key == '\r' || key == KEY_SPECIAL + KEY_ENTER)
			key = '\n';
		else if (key == 0x7f || key == 0x08)
			key = KEY_SPECIAL + KEY_BACKSPACE;
		/*
		 * resizeterm() queues KEY_RESIZE after our SIGWINCH: the
		 * size is known by then, only the layout follows.
		 */
		if (key == KEY_SPECIAL + KEY_RESIZE) {
			v->rows = LINES;
			v->cols = COLS;
			view_dirty(v);
			continue;
		}
		if (key == KEY_SPECIAL + KEY_MOUSE) {
			handle_mouse(v);
			continue;
		}
		view_key(v, key);
		if (v->quit)
			break;
	}
	/* A terminal that went away reads as endless nothing. */
	if (got == 0 && (revents & (POLLHUP | POLLERR | POLLNVAL) ||
	    ++empty > 100)) {
		v->quit = true;
		loop_break(v->loop);
		return;
	}
	if (got > 0)
		empty = 0;
	if (v->quit) {
		loop_break(v->loop);
		return;
	}
	/* A key is answered at once; data-driven redraws wait. */
	view_draw(v);
}

static void
dispatch(struct view *v, struct pane *p, enum action act)
{
	if (p->ops->action != NULL && p->ops->action(p, act))
		return;
	switch (act) {
	case ACT_MOVE_UP:
	case ACT_MOVE_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_HALF_UP:
	case ACT_HALF_DOWN:
	case ACT_MOVE_FIRST:
	case ACT_MOVE_LAST:
	case ACT_SCROLL_LEFT:
	case ACT_SCROLL_RIGHT:
		pane_move(p, act);
		return;
	default:
		view_action(v, act);
	}
}

void
view_key(struct view *v, int key)
{
	struct pane	*p;
	struct strbuf	 sb = STRBUF_INIT;
	enum action	 act;

	/*
	 * Nothing shows what a key would do to: only quitting works (a
	 * question open is answered no), never a y to a hidden question.
	 */
	if (v->too_small) {
		act = keymap_lookup(v->km, KEYMAP_GENERIC, key);
		if (v->prompt != NULL) {
			if (act == ACT_QUIT || act == ACT_QUIT_NOW ||
			    key == 27 || key == KEY_CTRL('c'))
				prompt_key(v, 27);
		} else if (act == ACT_QUIT && v->nstack > 0)
			view_pop(v);
		else if (act == ACT_QUIT || act == ACT_QUIT_NOW) {
			v->quit = true;
			loop_break(v->loop);
		}
		view_dirty(v);
		return;
	}
	if (prompt_key(v, key))
		return;
	if (v->msg != NULL && !v->msg_error) {
		free(v->msg);
		v->msg = NULL;
	}
	p = view_focus(v);
	if (p->ops->key != NULL && p->ops->key(p, key)) {
		view_dirty(v);
		return;
	}
	act = keymap_lookup(v->km, p->ops->keymap, key);
	if (act == ACT_NONE) {
		key_format(&sb, key);
		view_message(v, "%s is not bound to anything (? lists the "
		    "keys)", sb.buf);
		strbuf_release(&sb);
		return;
	}
	dispatch(v, p, act);
}

void
view_overlay(struct view *v, const char *seq, size_t len)
{
	v->overlay_wanted = true;
	if (v->overlay != NULL && v->overlay_len == len &&
	    memcmp(v->overlay, seq, len) == 0)
		return;
	/* What the last one drew must go: curses does not know of it. */
	if (v->overlay != NULL)
		clearok(curscr, TRUE);
	free(v->overlay);
	v->overlay = xmalloc(len);
	memcpy(v->overlay, seq, len);
	v->overlay_len = len;
	v->overlay_sent = false;
}

struct external {
	struct view	*v;
	bool		 wait_key;
};

static void
external_done(struct proc *p, int status, void *arg)
{
	struct external	*ext = arg;
	struct view	*v = ext->v;
	char		 c;

	proc_free(p);
	if (ext->wait_key) {
		fputs("\n[Press Enter to return to guild view]", stdout);
		fflush(stdout);
		while (read(STDIN_FILENO, &c, 1) == 1 && c != '\n')
			;
	}
	free(ext);
	reset_prog_mode();
	v->external = false;
	v->external_end = mono_ms();
	loop_io_set(v->in_io, LOOP_READ);
	flushinp();
	clearok(curscr, TRUE);
	view_resize(v);
	if (proc_exit_code(status) == 127)
		view_error(v, "Could not start the program (exit status 127)");
	view_draw(v);
}

void
view_external(struct view *v, const char *dir, const char *const *argv,
    bool wait_key)
{
	struct external		*ext;
	struct proc_spec	 spec = {
		.argv = argv,
		.cwd = dir,
		.mode = PROC_INHERIT,
	};
	struct proc_hooks	 hooks = { .on_exit = external_done };
	char			*cause = NULL;

	ext = xcalloc(1, sizeof *ext);
	ext->v = v;
	ext->wait_key = wait_key;
	def_prog_mode();
	endwin();
	if (proc_spawn(v->loop, &spec, &hooks, ext, &cause) == NULL) {
		free(ext);
		reset_prog_mode();
		view_error(v, "%s", cause);
		free(cause);
		return;
	}
	v->external = true;
	loop_io_set(v->in_io, 0);
}

struct spawn {
	struct view	*v;
	struct strbuf	 out;
	void		(*done)(struct view *, int, const char *, void *);
	void		*arg;
};

static void
cooked_to_strbuf(const struct output_line *line, void *arg)
{
	struct strbuf	*sb = arg;

	strbuf_add(sb, line->text, line->len);
	strbuf_addch(sb, '\n');
}

static void
spawn_data(struct proc *p, const char *buf, size_t len, int stream,
    void *arg)
{
	struct spawn	*s = arg;

	(void)p;
	(void)stream;
	if (s->out.len < SPAWN_OUTPUT_MAX)
		strbuf_add(&s->out, buf, len);
}

static void
spawn_exited(struct proc *p, int status, void *arg)
{
	struct spawn		*s = arg;
	struct output_cooker	*ck;
	struct strbuf		 text = STRBUF_INIT;

	proc_free(p);
	/* Even our own messages pass through the cooker. */
	ck = output_cooker_new(cooked_to_strbuf, &text);
	output_cooker_feed(ck, s->out.buf, s->out.len);
	output_cooker_finish(ck);
	output_cooker_free(ck);
	s->done(s->v, proc_exit_code(status), text.buf, s->arg);
	strbuf_release(&text);
	strbuf_release(&s->out);
	free(s);
}

void
view_spawn_guild(struct view *v, const char *const *args, spawn_done_cb done,
    void *arg)
{
	struct strvec	argv = STRVEC_INIT;

	strvec_push(&argv, v->self_exe);
	strvec_pushv(&argv, args);
	view_spawn(v, (const char *const *)argv.v, done, arg);
	strvec_clear(&argv);
}

void
view_spawn(struct view *v, const char *const *argv, spawn_done_cb done,
    void *arg)
{
	struct spawn		*s;
	struct proc_spec	 spec = {
		.argv = argv,
		.mode = PROC_PIPES,
		.merge_err = true,
	};
	struct proc_hooks	 hooks = {
		.on_data = spawn_data,
		.on_exit = spawn_exited,
	};
	char			*cause = NULL;

	s = xcalloc(1, sizeof *s);
	s->v = v;
	strbuf_init(&s->out);
	s->done = done;
	s->arg = arg;
	if (proc_spawn(v->loop, &spec, &hooks, s, &cause) == NULL) {
		view_error(v, "%s", cause);
		free(cause);
		strbuf_release(&s->out);
		free(s);
	}
}

static int
setup_terminal(struct view *v)
{
	SCREEN		*scr;
	const char	*no_colour = getenv("NO_COLOR");
	mmask_t		 mask;

	if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		saved_tio_ok = true;
	if ((scr = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	set_term(scr);
	screen = scr;
	curses_active = true;
	atexit(view_atexit);
	signal(SIGSEGV, fatal_signal);
	signal(SIGBUS, fatal_signal);
	signal(SIGFPE, fatal_signal);
	signal(SIGILL, fatal_signal);
	signal(SIGABRT, fatal_signal);
	set_escdelay(25);
	raw();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	display_utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	v->colour = has_colors() && (no_colour == NULL || *no_colour == '\0');
	if (v->colour) {
		start_color();
		use_default_colors();
	}
	theme_init(v->colour);
	if (view_settings.mouse) {
		mask = BUTTON1_PRESSED | BUTTON1_CLICKED;
#ifdef BUTTON5_PRESSED
		mask |= BUTTON4_PRESSED | BUTTON5_PRESSED;
#endif
		mousemask(mask, NULL);
		mouseinterval(0);
	}
	build_exit_seq(view_settings.mouse);
	v->rows = LINES;
	v->cols = COLS;
	return 0;
}

static void
load_config(struct view *v)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path = config_user_path(v->home), *cause = NULL;

	config_parse(v->km, view_default_config, "(defaults)",
	    &v->config_errors);
	if (path_exists(path)) {
		if (strbuf_read_file(&sb, path, &cause) == -1) {
			strvec_push(&v->config_errors, cause);
			free(cause);
		} else
			config_parse(v->km, sb.buf, path, &v->config_errors);
	}
	strbuf_release(&sb);
	free(path);
}

static void
view_free(struct view *v)
{
	size_t	i;

	while (v->nstack > 0)
		pane_free(v->stack[--v->nstack]);
	for (i = 0; i < MAIN_COUNT; i++)
		pane_free(v->main[i]);
	prompt_free(v->prompt);
	remotesync_free(v->remotes);
	free(v->overlay);
	image_thumbnails_free();
	if (v->runs != NULL) {
		runlist_release(v->runs);
		free(v->runs);
	}
	guildfile_free(v->gf);
	free(v->gf_error);
	free(v->cwd);
	free(v->self_exe);
	free(v->msg);
	free(v->select_id);
	strvec_clear(&v->config_errors);
	keymap_free(v->km);
	if (v->idx != NULL)
		runindex_close(v->idx);
	if (v->loop != NULL)
		loop_free(v->loop);
	actions_cleanup();
}

int
view_main(struct cmd_ctx *ctx, const struct view_options *opts)
{
	struct view	 v;
	struct timespec	 t0;
	char		*cause = NULL;
	size_t		 i;
	int		 rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (opts->print_config) {
		fputs(view_default_config_text(), stdout);
		return 0;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_error("view needs a terminal");
	memset(&v, 0, sizeof v);
	v.ctx = ctx;
	v.opts = opts;
	if ((v.home = cli_home(ctx)) == NULL)
		return 1;
	/* A home that cannot be written is still viewed. */
	home_ensure(v.home, NULL);
	if ((v.idx = runindex_open(v.home, &cause)) == NULL)
		return cli_error_cause(cause);
	v.cwd = path_absolute(".");
	/* guild-view's argv0 is the guild it serves (ui/main.c). */
	v.self_exe = path_absolute(ctx->argv0);
	v.km = keymap_new();
	load_config(&v);
	v.loop = loop_new();
	/* Ours before newterm(), so curses installs no handlers of its own. */
	loop_signal(v.loop, SIGWINCH, on_winch, &v);
	loop_signal(v.loop, SIGINT, on_quit_signal, &v);
	loop_signal(v.loop, SIGTERM, on_quit_signal, &v);
	loop_signal(v.loop, SIGHUP, on_quit_signal, &v);
	loop_signal(v.loop, SIGTSTP, on_tstp, &v);
	loop_signal(v.loop, SIGCONT, on_cont, &v);
	signal(SIGPIPE, SIG_IGN);
	warn_set_sink(warn_to_view, &v);

	v.runs = xcalloc(1, sizeof *v.runs);
	runlist_init(v.runs, v.idx, v.home->runs, false);
	v.models = v.main[MAIN_MODELS] = pane_new(&v, &pane_models_ops, NULL);
	v.ops = v.main[MAIN_OPS] = pane_new(&v, &pane_ops_ops, NULL);
	v.runs_pane = v.main[MAIN_RUNS] = pane_new(&v, &pane_runs_ops, NULL);
	v.output = v.main[MAIN_OUTPUT] = pane_new(&v, &pane_output_ops, NULL);
	v.focus = MAIN_RUNS;

	if (setup_terminal(&v) == -1) {
		const char	*term = getenv("TERM");

		warn_set_sink(NULL, NULL);
		view_free(&v);
		return cli_error("cannot use the terminal '%s'",
		    term != NULL ? term : "");
	}
	v.redraw_timer = loop_timer_add(v.loop, 1000, 0, redraw_cb, &v);
	loop_timer_stop(v.redraw_timer);
	v.msg_timer = loop_timer_add(v.loop, MSG_MS, 0, msg_cb, &v);
	loop_timer_stop(v.msg_timer);
	v.kick_timer = loop_timer_add(v.loop, 20, 0, refresh_cb, &v);
	loop_timer_stop(v.kick_timer);
	v.work_timer = loop_timer_add(v.loop, 1, 0, work_cb, &v);
	loop_timer_stop(v.work_timer);
	v.bench.t0 = t0;
	view_load_project(&v);
	if (v.gf == NULL && v.gf_error == NULL)
		v.focus = MAIN_RUNS;
	/*
	 * A cold or stale index is caught up with between keys: the first
	 * screen shows the runs read in a first step, the rest fill in.
	 */
	catchup_begin(&v);
	if (runlist_load(v.runs, &cause) == -1)
		view_error_cause(&v, cause);
	if (opts->run_ids != NULL && opts->run_ids->n > 0) {
		if (opts->start == VIEW_START_COMPARE)
			runlist_select_ids(v.runs, opts->run_ids);
		else
			v.select_id = xstrdup(opts->run_ids->v[0]);
	}
	view_runs_changed(&v, NULL);
	if (opts->start == VIEW_START_COMPARE)
		view_push(&v, &pane_compare_ops, v.runs);
	if (v.config_errors.n > 0)
		view_error(&v, "%s%s", v.config_errors.v[0],
		    v.config_errors.n > 1 ? " (and more)" : "");
	v.in_io = loop_io_add(v.loop, STDIN_FILENO, LOOP_READ, on_input, &v);
	v.refresh_timer = loop_timer_add(v.loop,
	    (unsigned)view_settings.refresh_ms, 1, refresh_cb, &v);
	view_draw(&v);
	bench_start(&v, &t0);
	if (opts->bench_load && !work_pending(&v))
		v.quit = true;
	if (!opts->exit_after_draw && opts->bench_keys <= 0) {
		/* After the first screen: a remote never delays it. */
		v.remotes = remotesync_start(&v);
		while (!v.quit) {
			if (loop_run(v.loop) == -1 && errno != EINTR) {
				rc = 1;
				break;
			}
		}
	}
	endwin();
	curses_active = false;
	warn_set_sink(NULL, NULL);
	bench_report(&v);
	/* Configuration errors deserve to outlive the screen. */
	for (i = 0; i < v.config_errors.n; i++)
		fprintf(stderr, "guild: %s\n", v.config_errors.v[i]);
	view_free(&v);
	if (screen != NULL) {
		delscreen(screen);
		screen = NULL;
	}
	return rc;
}
