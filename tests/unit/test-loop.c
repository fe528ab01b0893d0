/* test-loop.c: the poll(2) event loop: timers, fd watchers, signals, children. */
#include "common.h"

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "strbuf.h"
#include "tap.h"
#include "util.h"

/* Generous: the suite may run on a loaded two-core machine. */
#define DEADLINE_MS	30000

static struct strbuf	 order = STRBUF_INIT;

/* Run iterations until *flag is set or the deadline passes. */
static bool
run_until(struct loop *loop, const int *flag)
{
	uint64_t	end = mono_ms() + DEADLINE_MS;

	while (!*flag && mono_ms() < end) {
		if (loop_run_once(loop, 100) == -1)
			return false;
	}
	return *flag != 0;
}

static void
timer_mark(struct loop_timer *t, void *arg)
{
	(void)t;
	strbuf_addstr(&order, arg);
}

static void
test_timer_order(void)
{
	struct loop		*loop = loop_new();
	struct loop_timer	*a, *b, *c, *d, *e;
	uint64_t		 start;

	strbuf_reset(&order);
	start = mono_ms();
	a = loop_timer_add(loop, 60, 0, timer_mark, (void *)"c");
	b = loop_timer_add(loop, 20, 0, timer_mark, (void *)"a");
	c = loop_timer_add(loop, 40, 0, timer_mark, (void *)"b");
	d = loop_timer_add(loop, 0, 0, timer_mark, (void *)"1");
	e = loop_timer_add(loop, 0, 0, timer_mark, (void *)"2");
	is_int(loop_run(loop), 0, "loop_run ends when no timer is armed");
	is_str(order.buf, "12abc", "timers fire by deadline, ties in order");
	ok(mono_ms() - start >= 60, "the last timer waited its 60 ms");
	ok(!loop_timer_armed(a) && !loop_alive(loop),
	    "fired one-shot timers are disarmed");

	strbuf_reset(&order);
	loop_timer_set(b, 10, 0);
	loop_timer_stop(c);
	loop_timer_set(a, 5, 0);
	is_int(loop_run(loop), 0, "re-armed timers run again");
	is_str(order.buf, "ca", "re-armed, stopped timers do not fire");
	loop_timer_del(a);
	loop_timer_del(b);
	loop_timer_del(c);
	loop_timer_del(d);
	loop_timer_del(e);
	loop_free(loop);
}

struct repeat {
	int			 count;
	int			 stop_at;
	struct loop_timer	*other;
};

static void
repeat_cb(struct loop_timer *t, void *arg)
{
	struct repeat	*r = arg;

	if (++r->count == r->stop_at) {
		loop_timer_del(t);		/* deleting itself */
		loop_timer_del(r->other);	/* and another, due too */
	}
}

static void
never_cb(struct loop_timer *t, void *arg)
{
	(void)t;
	*(int *)arg += 1;
}

static void
test_timer_repeat(void)
{
	struct loop	*loop = loop_new();
	struct repeat	 r = { 0, 5, NULL };
	int		 never = 0;

	/* Same period, armed later: due in the same pass, after repeat_cb. */
	loop_timer_add(loop, 5, 1, repeat_cb, &r);
	r.other = loop_timer_add(loop, 5, 1, never_cb, &never);
	is_int(loop_run(loop), 0, "loop ends once the repeating timers go");
	is_int(r.count, 5, "a repeating timer fires until deleted");
	is_int(never, 4, "a timer deleted by another's callback is not run");
	loop_free(loop);
}

struct pipes {
	int		 fds[2][2];
	struct loop_io	*io[2];
	int		 calls[2];
	int		 mode;	/* 0: delete the other, 1: delete self */
};

static void
pipe_cb(struct loop_io *io, int fd, short revents, void *arg)
{
	struct pipes	*p = arg;
	int		 which = io == p->io[1];
	char		 c;

	ok(revents & LOOP_READ, "watcher %d readable", which);
	if (read(fd, &c, 1) != 1)
		diag("read: %s", strerror(errno));
	p->calls[which]++;
	if (p->mode == 0) {
		loop_io_del(p->io[!which]);
		p->io[!which] = NULL;
	}
	loop_io_del(io);
	p->io[which] = NULL;
}

static void
test_io_delete(void)
{
	struct loop	*loop = loop_new();
	struct pipes	 p;
	int		 i, n;

	memset(&p, 0, sizeof p);
	for (i = 0; i < 2; i++) {
		if (pipe(p.fds[i]) == -1)
			abort();
		if (write(p.fds[i][1], "x", 1) != 1)
			abort();
	}
	p.io[0] = loop_io_add(loop, p.fds[0][0], LOOP_READ, pipe_cb, &p);
	p.io[1] = loop_io_add(loop, p.fds[1][0], LOOP_READ, pipe_cb, &p);
	n = loop_run_once(loop, 5000);
	is_int(n, 1, "both ready, one callback: it deleted the other");
	is_int(p.calls[0] + p.calls[1], 1, "the deleted watcher was not called");
	ok(!loop_alive(loop), "no watcher left");
	is_int(loop_run(loop), 0, "loop_run returns at once");

	/* Deleting itself: the other one still runs in the same pass. */
	memset(p.calls, 0, sizeof p.calls);
	p.mode = 1;
	if (write(p.fds[0][1], "x", 1) != 1)
		abort();
	p.io[0] = loop_io_add(loop, p.fds[0][0], LOOP_READ, pipe_cb, &p);
	p.io[1] = loop_io_add(loop, p.fds[1][0], LOOP_READ, pipe_cb, &p);
	is_int(loop_run(loop), 0, "each watcher deletes itself");
	ok(p.calls[0] == 1 && p.calls[1] == 1, "both were called once");
	for (i = 0; i < 2; i++) {
		close(p.fds[i][0]);
		close(p.fds[i][1]);
	}
	loop_free(loop);
}

struct writer {
	int	calls;
	int	done;
};

static void
write_cb(struct loop_io *io, int fd, short revents, void *arg)
{
	struct writer	*w = arg;

	ok(revents == LOOP_WRITE, "only the events asked for");
	if (write(fd, "y", 1) != 1)
		abort();
	w->calls++;
	loop_io_set(io, 0);	/* paused: no longer keeps the loop going */
	w->done = 1;
}

static void
test_io_events(void)
{
	struct loop	*loop = loop_new();
	struct writer	 w = { 0, 0 };
	struct loop_io	*io;
	int		 fds[2];
	char		 c = 0;

	if (pipe(fds) == -1)
		abort();
	io = loop_io_add(loop, fds[1], LOOP_WRITE, write_cb, &w);
	is_int(loop_io_events(io), LOOP_WRITE, "events as set");
	is_int(loop_run(loop), 0, "a paused watcher ends the run");
	is_int(w.calls, 1, "the write watcher ran once");
	ok(read(fds[0], &c, 1) == 1 && c == 'y', "it wrote");
	ok(!loop_alive(loop), "paused watchers do not keep the loop alive");
	is_int(loop_run_once(loop, 0), 0, "nothing to do, no wait");
	loop_io_del(io);
	close(fds[0]);
	close(fds[1]);
	loop_free(loop);
}

static int	 sig_seen;
static int	 sig_in_handler;

static void
sig_cb(int signo, void *arg)
{
	sig_seen++;
	*(int *)arg = signo;
}

static void
break_cb(struct loop_timer *t, void *arg)
{
	(void)t;
	loop_break(arg);
}

static void
test_signals(void)
{
	struct loop		*loop = loop_new(), *other;
	struct loop_timer	*forever, *brk;
	int			 got = 0, done = 0, i;

	is_int(loop_signal(loop, SIGUSR1, sig_cb, &got), 0, "watch SIGUSR1");
	raise(SIGUSR1);
	sig_in_handler = sig_seen;
	is_int(sig_in_handler, 0, "no callback in signal context");
	ok(loop_run_once(loop, 5000) >= 1, "the self-pipe wakes the loop");
	is_int(got, SIGUSR1, "the callback got the signal number");
	is_int(sig_seen, 1, "once");

	raise(SIGUSR1);
	raise(SIGUSR1);
	loop_run_once(loop, 5000);
	ok(sig_seen == 2 || sig_seen == 3, "repeated signals may coalesce");

	other = loop_new();
	errno = 0;
	is_int(loop_signal(other, SIGUSR2, sig_cb, &got), -1,
	    "signals belong to one loop at a time");
	is_int(errno, EBUSY, "EBUSY");
	loop_free(other);
	is_int(loop_signal(loop, SIGKILL, sig_cb, &got), -1, "not SIGKILL");

	/* Signal watchers alone do not keep loop_run() going. */
	is_int(loop_run(loop), 0, "only a signal watcher: returns");

	/* loop_break stops a loop that would run forever. */
	forever = loop_timer_add(loop, 1000, 1, break_cb, loop);
	brk = loop_timer_add(loop, 1, 0, break_cb, loop);
	is_int(loop_run(loop), 0, "loop_break returns from loop_run");
	ok(loop_timer_armed(forever), "with timers still armed");
	loop_timer_del(forever);
	loop_timer_del(brk);

	is_int(loop_signal(loop, SIGUSR1, NULL, NULL), 0, "unwatch SIGUSR1");
	loop_free(loop);

	/* After loop_free another loop may take the signals. */
	loop = loop_new();
	is_int(loop_signal(loop, SIGUSR2, sig_cb, &got), 0,
	    "a new loop owns the signals");
	raise(SIGUSR2);
	for (i = 0; i < 100 && !done; i++) {
		loop_run_once(loop, 100);
		done = got == SIGUSR2;
	}
	is_int(got, SIGUSR2, "and gets them");
	loop_free(loop);
}

/* Wait until pid has exited, leaving it for the loop to reap. */
static void
zombie(pid_t pid)
{
	siginfo_t	si;

	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == -1 &&
	    errno == EINTR)
		continue;
}

struct kid {
	pid_t	pid;
	int	status;
	int	done;
};

static void
child_cb(pid_t pid, int status, void *arg)
{
	struct kid	*k = arg;

	ok(pid == k->pid, "status for the right pid");
	k->status = status;
	k->done = 1;
}

static void
test_children(void)
{
	struct loop		*loop = loop_new();
	struct loop_child	*c;
	struct kid		 k[3];
	int			 i, all = 0, chld = 0;

	memset(k, 0, sizeof k);
	/* A user SIGCHLD callback runs too, after the reaping. */
	loop_signal(loop, SIGCHLD, sig_cb, &chld);
	for (i = 0; i < 3; i++) {
		k[i].pid = fork();
		if (k[i].pid == 0)
			_exit(10 + i);
		/* Let the first die (unreaped) before it is watched. */
		if (i == 0)
			zombie(k[i].pid);
		loop_child_add(loop, k[i].pid, child_cb, &k[i]);
	}
	is_int(loop_run(loop), 0, "loop_run waits for watched children");
	for (i = 0; i < 3; i++) {
		ok(k[i].done && WIFEXITED(k[i].status) &&
		    WEXITSTATUS(k[i].status) == 10 + i, "child %d exit %d", i,
		    10 + i);
		all += k[i].done;
	}
	is_int(all, 3, "all reaped");
	is_int(chld, SIGCHLD, "the SIGCHLD callback ran");

	/* A forgotten child is still reaped, silently. */
	memset(&k[0], 0, sizeof k[0]);
	k[0].pid = fork();
	if (k[0].pid == 0)
		_exit(0);
	c = loop_child_add(loop, k[0].pid, child_cb, &k[0]);
	loop_child_del(c);
	zombie(k[0].pid);
	ok(!loop_alive(loop), "no children watched");
	k[1].done = 0;
	k[1].pid = fork();
	if (k[1].pid == 0)
		_exit(3);
	loop_child_add(loop, k[1].pid, child_cb, &k[1]);
	ok(run_until(loop, &k[1].done), "next child reaped");
	ok(!k[0].done, "the forgotten child's callback never ran");
	errno = 0;
	ok(waitpid(k[0].pid, NULL, WNOHANG) == -1 && errno == ECHILD,
	    "the forgotten child was reaped anyway");
	loop_free(loop);
}

int
main(void)
{
	test_timer_order();
	test_timer_repeat();
	test_io_delete();
	test_io_events();
	test_signals();
	test_children();
	strbuf_release(&order);
	return done_testing();
}
