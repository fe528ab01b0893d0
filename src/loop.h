/*
 * loop.h: the single poll(2) event loop shared by `guild run` and
 * `guild view`.
 *
 * A loop watches file descriptors, monotonic timers, signals and child
 * processes, and calls back in loop context (never in signal context):
 *
 *	struct loop *loop = loop_new();
 *	loop_io_add(loop, fd, LOOP_READ, on_readable, arg);
 *	loop_timer_add(loop, 100, 1, on_tick, arg);
 *	loop_signal(loop, SIGINT, on_sigint, arg);
 *	loop_run(loop);			(until loop_break() or nothing left)
 *	loop_free(loop);
 *
 * Every watcher may be deleted at any time, including from inside any
 * callback (its own or another's): a deleted watcher is never called again,
 * even if it was ready in the same iteration. Its memory is reclaimed once
 * the dispatch is over.
 *
 * Signals are process-wide, so only one loop at a time may own signal
 * watchers and child watchers; it keeps them until loop_free().
 *
 * Children: the loop owns SIGCHLD. On SIGCHLD it reaps with
 * waitpid(-1, WNOHANG) until nothing is left and hands each status to the
 * child watcher registered for that pid; statuses of unwatched children are
 * discarded. Do not wait for children elsewhere (no system(), popen(),
 * blocking waitpid()), and add the watcher right after fork(), before the
 * loop runs again.
 *
 * The loop is not reentrant: loop_run() and loop_run_once() must not be
 * called from a callback (they fail with EDEADLK).
 */
#ifndef GUILD_LOOP_H
#define GUILD_LOOP_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

#define LOOP_READ	POLLIN
#define LOOP_WRITE	POLLOUT

struct loop;
struct loop_io;
struct loop_timer;
struct loop_child;

/*
 * revents is what poll(2) reported, limited to the events the watcher
 * wants now plus POLLERR, POLLHUP and POLLNVAL.
 */
typedef void	(*loop_io_cb)(struct loop_io *, int fd, short revents,
		    void *arg);
typedef void	(*loop_timer_cb)(struct loop_timer *, void *arg);
typedef void	(*loop_signal_cb)(int signo, void *arg);
/* status is the waitpid(2) status. */
typedef void	(*loop_child_cb)(pid_t pid, int status, void *arg);

/* A new, empty loop. Never fails. */
struct loop	*loop_new(void);
/*
 * Free the loop and every watcher still registered in it (the caller's
 * pointers to them become invalid), restore the signal dispositions it
 * changed and close its self-pipe. File descriptors watched are not closed.
 */
void		 loop_free(struct loop *);

/*
 * Watch fd for events (LOOP_READ, LOOP_WRITE, or 0 to pause it: a paused
 * watcher is not polled and does not keep loop_run() going). The loop
 * never closes fd.
 */
struct loop_io	*loop_io_add(struct loop *, int fd, short events, loop_io_cb,
		    void *arg);
void		 loop_io_set(struct loop_io *, short events);
short		 loop_io_events(const struct loop_io *);
/* Stop watching and free; NULL is allowed. */
void		 loop_io_del(struct loop_io *);

/*
 * A timer that fires after ms milliseconds (CLOCK_MONOTONIC), once or, if
 * repeat, every ms milliseconds until deleted. A repeating timer that falls
 * behind fires once and is rescheduled from now (no burst of catch-ups).
 * Timers due at the same moment fire in the order they were armed. A
 * one-shot timer that has fired stays allocated (disarmed) until
 * loop_timer_del(), so it can be re-armed with loop_timer_set(). Only armed
 * timers keep loop_run() going.
 */
struct loop_timer *loop_timer_add(struct loop *, unsigned ms, int repeat,
		    loop_timer_cb, void *arg);
/* (Re)arm: the next expiry is ms from now. */
void		 loop_timer_set(struct loop_timer *, unsigned ms, int repeat);
void		 loop_timer_stop(struct loop_timer *);
bool		 loop_timer_armed(const struct loop_timer *);
/* Disarm and free; NULL is allowed. */
void		 loop_timer_del(struct loop_timer *);

/*
 * Deliver signo through the loop's self-pipe: the handler (installed with
 * SA_RESTART) only records the signal and writes a byte; cb runs later in
 * loop context. Several deliveries before the loop runs may be coalesced
 * into one call. One callback per signal: a new call replaces the previous
 * callback, and a NULL cb restores the disposition the signal had before.
 * Signal watchers do not keep loop_run() going. SIGCHLD may be watched
 * too: cb then runs after the loop has reaped. Returns -1 with errno set
 * (EINVAL for SIGKILL/SIGSTOP/out of range, EBUSY if another loop owns the
 * signals, or the error of pipe2/sigaction).
 */
int		 loop_signal(struct loop *, int signo, loop_signal_cb, void *arg);

/*
 * Call cb once when child pid has been reaped (then the watcher is freed
 * by the loop; do not delete it afterwards). Installs the SIGCHLD handler
 * if needed and schedules a reaping pass, so a child that died before the
 * watcher was added is still reported. Returns NULL with errno set if the
 * signal machinery cannot be set up (see loop_signal).
 */
struct loop_child *loop_child_add(struct loop *, pid_t pid, loop_child_cb,
		    void *arg);
/* Forget a child before it is reaped (its status will be discarded). */
void		 loop_child_del(struct loop_child *);

/*
 * Run iterations until loop_break() is called or nothing is left to wait
 * for (no unpaused fd watcher, armed timer or child watcher). Returns 0,
 * or -1 with errno set if poll(2) fails. The break request is consumed.
 */
int		 loop_run(struct loop *);
/*
 * One iteration: wait up to timeout_ms (-1 = no limit, 0 = just look) or
 * until the next timer, then dispatch ready fds, signals, reaped children
 * and due timers. Returns the number of callbacks run (0 on timeout or
 * when there is nothing that could ever wake it), or -1 with errno set.
 */
int		 loop_run_once(struct loop *, int timeout_ms);
/* Make loop_run() return once the current iteration's dispatch is over. */
void		 loop_break(struct loop *);
/* Whether loop_run() would still find something to wait for. */
bool		 loop_alive(const struct loop *);

#endif
