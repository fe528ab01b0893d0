/*
 * loop.c: the poll(2) event loop.
 *
 * Watchers live on lists. Deleting one only marks it dead and moves it to a
 * graveyard while a dispatch is in progress, so that the dispatcher, which
 * works from a snapshot of the poll set, can skip it safely; the graveyard
 * is emptied when the dispatch is over.
 *
 * Signals reach the loop through a self-pipe: the handler sets a pending
 * flag and writes one byte, and the loop, woken by the byte, runs the
 * callbacks of the flagged signals. The flags, not the bytes, say what
 * happened, so a full pipe never loses a signal.
 */
#include "common.h"

#include <sys/queue.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

struct loop_io {
	struct loop		*loop;
	int			 fd;
	short			 events;
	loop_io_cb		 cb;
	void			*arg;
	bool			 dead;
	bool			 internal;	/* does not keep the loop alive */
	TAILQ_ENTRY(loop_io)	 entry;
};

struct loop_timer {
	struct loop		*loop;
	uint64_t		 deadline;	/* monotonic µs */
	uint64_t		 interval;	/* µs */
	uint64_t		 seq;		/* arming order, for ties */
	uint64_t		 gen;		/* dispatch pass it last fired in */
	bool			 repeat;
	bool			 armed;
	bool			 dead;
	loop_timer_cb		 cb;
	void			*arg;
	TAILQ_ENTRY(loop_timer)	 entry;
};

struct loop_child {
	struct loop		*loop;
	pid_t			 pid;
	loop_child_cb		 cb;
	void			*arg;
	bool			 dead;
	TAILQ_ENTRY(loop_child)	 entry;
};

struct loop_sig {
	loop_signal_cb		 cb;
	void			*arg;
	bool			 installed;
	struct sigaction	 old;
};

TAILQ_HEAD(loop_ios, loop_io);
TAILQ_HEAD(loop_timers, loop_timer);
TAILQ_HEAD(loop_children, loop_child);

struct loop {
	struct loop_ios		 ios;
	struct loop_timers	 timers;
	struct loop_children	 children;
	struct loop_ios		 dead_ios;
	struct loop_timers	 dead_timers;
	struct loop_children	 dead_children;

	struct pollfd		*pfds;
	size_t			 pfds_alloc;
	struct loop_io		**pios;
	size_t			 pios_alloc;

	int			 depth;		/* > 0 while dispatching */
	bool			 broken;
	int			 ncalls;	/* callbacks run this iteration */
	uint64_t		 seq;
	uint64_t		 gen;

	struct loop_io		*sigio;
	struct loop_sig		 sigs[NSIG];
};

/* Process-wide signal state: handlers cannot find a loop by themselves. */
static struct loop		*sig_owner;
static int			 sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t	 sig_pending[NSIG];

static uint64_t
loop_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

struct loop *
loop_new(void)
{
	struct loop	*loop;

	loop = xcalloc(1, sizeof *loop);
	TAILQ_INIT(&loop->ios);
	TAILQ_INIT(&loop->timers);
	TAILQ_INIT(&loop->children);
	TAILQ_INIT(&loop->dead_ios);
	TAILQ_INIT(&loop->dead_timers);
	TAILQ_INIT(&loop->dead_children);
	return loop;
}

/* Free what was deleted during a dispatch. */
static void
loop_collect(struct loop *loop)
{
	struct loop_io		*io;
	struct loop_timer	*t;
	struct loop_child	*c;

	while ((io = TAILQ_FIRST(&loop->dead_ios)) != NULL) {
		TAILQ_REMOVE(&loop->dead_ios, io, entry);
		free(io);
	}
	while ((t = TAILQ_FIRST(&loop->dead_timers)) != NULL) {
		TAILQ_REMOVE(&loop->dead_timers, t, entry);
		free(t);
	}
	while ((c = TAILQ_FIRST(&loop->dead_children)) != NULL) {
		TAILQ_REMOVE(&loop->dead_children, c, entry);
		free(c);
	}
}

/* Undo every signal disposition we changed and close the self-pipe. */
static void
loop_signals_release(struct loop *loop)
{
	int	signo;

	if (sig_owner != loop)
		return;
	for (signo = 1; signo < NSIG; signo++) {
		if (loop->sigs[signo].installed)
			sigaction(signo, &loop->sigs[signo].old, NULL);
		loop->sigs[signo].installed = false;
		sig_pending[signo] = 0;
	}
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	sig_owner = NULL;
}

void
loop_free(struct loop *loop)
{
	struct loop_io		*io;
	struct loop_timer	*t;
	struct loop_child	*c;

	if (loop == NULL)
		return;
	loop_signals_release(loop);
	while ((io = TAILQ_FIRST(&loop->ios)) != NULL) {
		TAILQ_REMOVE(&loop->ios, io, entry);
		free(io);
	}
	while ((t = TAILQ_FIRST(&loop->timers)) != NULL) {
		TAILQ_REMOVE(&loop->timers, t, entry);
		free(t);
	}
	while ((c = TAILQ_FIRST(&loop->children)) != NULL) {
		TAILQ_REMOVE(&loop->children, c, entry);
		free(c);
	}
	loop_collect(loop);
	free(loop->pfds);
	free(loop->pios);
	free(loop);
}

struct loop_io *
loop_io_add(struct loop *loop, int fd, short events, loop_io_cb cb, void *arg)
{
	struct loop_io	*io;

	io = xcalloc(1, sizeof *io);
	io->loop = loop;
	io->fd = fd;
	io->events = events;
	io->cb = cb;
	io->arg = arg;
	TAILQ_INSERT_TAIL(&loop->ios, io, entry);
	return io;
}

void
loop_io_set(struct loop_io *io, short events)
{
	io->events = events;
}

short
loop_io_events(const struct loop_io *io)
{
	return io->events;
}

void
loop_io_del(struct loop_io *io)
{
	struct loop	*loop;

	if (io == NULL || io->dead)
		return;
	loop = io->loop;
	io->dead = true;
	TAILQ_REMOVE(&loop->ios, io, entry);
	if (loop->depth > 0)
		TAILQ_INSERT_TAIL(&loop->dead_ios, io, entry);
	else
		free(io);
}

void
loop_timer_set(struct loop_timer *t, unsigned ms, int repeat)
{
	t->interval = (uint64_t)ms * 1000;
	/* A repeating zero interval would spin; one millisecond is enough. */
	if (repeat && t->interval == 0)
		t->interval = 1000;
	t->repeat = repeat != 0;
	t->deadline = loop_now_us() + (uint64_t)ms * 1000;
	t->seq = ++t->loop->seq;
	t->armed = true;
}

struct loop_timer *
loop_timer_add(struct loop *loop, unsigned ms, int repeat, loop_timer_cb cb,
    void *arg)
{
	struct loop_timer	*t;

	t = xcalloc(1, sizeof *t);
	t->loop = loop;
	t->cb = cb;
	t->arg = arg;
	TAILQ_INSERT_TAIL(&loop->timers, t, entry);
	loop_timer_set(t, ms, repeat);
	return t;
}

void
loop_timer_stop(struct loop_timer *t)
{
	t->armed = false;
}

bool
loop_timer_armed(const struct loop_timer *t)
{
	return t->armed;
}

void
loop_timer_del(struct loop_timer *t)
{
	struct loop	*loop;

	if (t == NULL || t->dead)
		return;
	loop = t->loop;
	t->dead = true;
	t->armed = false;
	TAILQ_REMOVE(&loop->timers, t, entry);
	if (loop->depth > 0)
		TAILQ_INSERT_TAIL(&loop->dead_timers, t, entry);
	else
		free(t);
}

static void
loop_sighandler(int signo)
{
	int		saved_errno = errno;
	unsigned char	byte = (unsigned char)signo;

	sig_pending[signo] = 1;
	if (write(sig_pipe[1], &byte, 1) == -1) {
		/* Full pipe: the loop is already due to wake up. */
	}
	errno = saved_errno;
}

/* Reap every child that has exited and tell whoever watches it. */
static void
loop_reap(struct loop *loop)
{
	struct loop_child	*c;
	pid_t			 pid;
	int			 status;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		TAILQ_FOREACH(c, &loop->children, entry) {
			if (c->pid == pid)
				break;
		}
		if (c == NULL)
			continue;
		c->dead = true;
		TAILQ_REMOVE(&loop->children, c, entry);
		TAILQ_INSERT_TAIL(&loop->dead_children, c, entry);
		loop->ncalls++;
		c->cb(pid, status, c->arg);
	}
}

/* The self-pipe is readable: run the callbacks of the flagged signals. */
static void
loop_sigio_cb(struct loop_io *io, int fd, short revents, void *arg)
{
	struct loop	*loop = arg;
	unsigned char	 buf[256];
	ssize_t		 n;
	int		 signo;

	(void)io;
	(void)revents;
	do
		n = read(fd, buf, sizeof buf);
	while (n > 0 || (n == -1 && errno == EINTR));
	/* The callback run does not count the internal watcher itself. */
	loop->ncalls--;
	for (signo = 1; signo < NSIG; signo++) {
		if (!sig_pending[signo])
			continue;
		sig_pending[signo] = 0;
		if (signo == SIGCHLD)
			loop_reap(loop);
		if (loop->sigs[signo].cb != NULL) {
			loop->ncalls++;
			loop->sigs[signo].cb(signo, loop->sigs[signo].arg);
		}
	}
}

/* Take ownership of the process's signals: create the self-pipe. */
static int
loop_signals_init(struct loop *loop)
{
	if (sig_owner == loop)
		return 0;
	if (sig_owner != NULL) {
		errno = EBUSY;
		return -1;
	}
	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		return -1;
	sig_owner = loop;
	loop->sigio = loop_io_add(loop, sig_pipe[0], LOOP_READ, loop_sigio_cb,
	    loop);
	loop->sigio->internal = true;
	return 0;
}

static int
loop_signal_install(struct loop *loop, int signo)
{
	struct sigaction	sa;

	if (loop->sigs[signo].installed)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loop_sighandler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	/* We never wait with WUNTRACED: stops would only wake us for nothing. */
	if (signo == SIGCHLD)
		sa.sa_flags |= SA_NOCLDSTOP;
	if (sigaction(signo, &sa, &loop->sigs[signo].old) == -1)
		return -1;
	loop->sigs[signo].installed = true;
	return 0;
}

int
loop_signal(struct loop *loop, int signo, loop_signal_cb cb, void *arg)
{
	struct loop_sig	*s;

	if (signo <= 0 || signo >= NSIG || signo == SIGKILL ||
	    signo == SIGSTOP) {
		errno = EINVAL;
		return -1;
	}
	s = &loop->sigs[signo];
	if (cb == NULL) {
		s->cb = NULL;
		s->arg = NULL;
		/* The loop keeps SIGCHLD for reaping while children are watched. */
		if (s->installed && sig_owner == loop &&
		    (signo != SIGCHLD || TAILQ_EMPTY(&loop->children))) {
			sigaction(signo, &s->old, NULL);
			s->installed = false;
		}
		return 0;
	}
	if (loop_signals_init(loop) == -1 || loop_signal_install(loop, signo) == -1)
		return -1;
	s->cb = cb;
	s->arg = arg;
	return 0;
}

struct loop_child *
loop_child_add(struct loop *loop, pid_t pid, loop_child_cb cb, void *arg)
{
	struct loop_child	*c;
	unsigned char		 byte = SIGCHLD;

	if (loop_signals_init(loop) == -1 ||
	    loop_signal_install(loop, SIGCHLD) == -1)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->loop = loop;
	c->pid = pid;
	c->cb = cb;
	c->arg = arg;
	TAILQ_INSERT_TAIL(&loop->children, c, entry);

	/* The child may have died before the handler was there to see it. */
	sig_pending[SIGCHLD] = 1;
	if (write(sig_pipe[1], &byte, 1) == -1) {
		/* Full: a wakeup is already pending. */
	}
	return c;
}

void
loop_child_del(struct loop_child *c)
{
	struct loop	*loop;

	if (c == NULL || c->dead)
		return;
	loop = c->loop;
	c->dead = true;
	TAILQ_REMOVE(&loop->children, c, entry);
	if (loop->depth > 0)
		TAILQ_INSERT_TAIL(&loop->dead_children, c, entry);
	else
		free(c);
}

bool
loop_alive(const struct loop *loop)
{
	struct loop_io		*io;
	struct loop_timer	*t;

	if (!TAILQ_EMPTY(&loop->children))
		return true;
	TAILQ_FOREACH(io, &loop->ios, entry) {
		if (!io->internal && io->events != 0)
			return true;
	}
	TAILQ_FOREACH(t, &loop->timers, entry) {
		if (t->armed)
			return true;
	}
	return false;
}

/* Milliseconds poll may sleep: the caller's limit or the next timer. */
static int
loop_timeout(struct loop *loop, int timeout_ms, uint64_t now)
{
	struct loop_timer	*t;
	uint64_t		 next = UINT64_MAX, ms;

	TAILQ_FOREACH(t, &loop->timers, entry) {
		if (t->armed && t->deadline < next)
			next = t->deadline;
	}
	if (next == UINT64_MAX)
		return timeout_ms;
	if (next <= now)
		return 0;
	/* Round up, so a timer is never found a little short of due. */
	ms = (next - now + 999) / 1000;
	if (ms > INT_MAX)
		ms = INT_MAX;
	if (timeout_ms >= 0 && (uint64_t)timeout_ms < ms)
		return timeout_ms;
	return (int)ms;
}

/* Fire the timers due now, each at most once, earliest first. */
static void
loop_run_timers(struct loop *loop)
{
	struct loop_timer	*t, *best;
	uint64_t		 now, gen;

	now = loop_now_us();
	gen = ++loop->gen;
	for (;;) {
		best = NULL;
		TAILQ_FOREACH(t, &loop->timers, entry) {
			if (!t->armed || t->gen == gen || t->deadline > now)
				continue;
			if (best == NULL || t->deadline < best->deadline ||
			    (t->deadline == best->deadline && t->seq < best->seq))
				best = t;
		}
		if (best == NULL)
			break;
		best->gen = gen;
		if (best->repeat) {
			best->deadline += best->interval;
			if (best->deadline <= now)
				best->deadline = now + best->interval;
			best->seq = ++loop->seq;
		} else
			best->armed = false;
		loop->ncalls++;
		best->cb(best, best->arg);
	}
}

int
loop_run_once(struct loop *loop, int timeout_ms)
{
	struct loop_io	*io;
	size_t		 n = 0, i;
	int		 timeout, ready;
	short		 revents;

	if (loop->depth > 0) {
		errno = EDEADLK;
		return -1;
	}
	TAILQ_FOREACH(io, &loop->ios, entry) {
		if (io->events == 0)
			continue;
		XGROW(loop->pfds, loop->pfds_alloc, n + 1);
		XGROW(loop->pios, loop->pios_alloc, n + 1);
		loop->pfds[n].fd = io->fd;
		loop->pfds[n].events = io->events;
		loop->pfds[n].revents = 0;
		loop->pios[n] = io;
		n++;
	}
	timeout = loop_timeout(loop, timeout_ms, loop_now_us());
	if (n == 0 && timeout < 0)
		return 0;

	ready = poll(loop->pfds, n, timeout);
	if (ready == -1) {
		if (errno != EINTR)
			return -1;
		ready = 0;
	}

	loop->depth++;
	loop->ncalls = 0;
	for (i = 0; i < n && ready > 0; i++) {
		if (loop->pfds[i].revents == 0)
			continue;
		ready--;
		io = loop->pios[i];
		/* Deleted or paused by an earlier callback of this iteration. */
		if (io->dead || io->events == 0)
			continue;
		revents = loop->pfds[i].revents &
		    (io->events | POLLERR | POLLHUP | POLLNVAL);
		if (revents == 0)
			continue;
		loop->ncalls++;
		io->cb(io, io->fd, revents, io->arg);
	}
	loop_run_timers(loop);
	loop->depth--;
	loop_collect(loop);
	return loop->ncalls;
}

int
loop_run(struct loop *loop)
{
	int	rc = 0;

	while (!loop->broken && loop_alive(loop)) {
		if (loop_run_once(loop, -1) == -1) {
			rc = -1;
			break;
		}
	}
	loop->broken = false;
	return rc;
}

void
loop_break(struct loop *loop)
{
	loop->broken = true;
}
