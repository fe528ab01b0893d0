/*
 * proc.c: child processes in a pseudo-terminal or with pipes.
 *
 * The spawn follows tmux's spawn.c/job.c: every signal is blocked across
 * fork() so no handler of ours runs in the child, and the child resets
 * all dispositions, makes itself a session leader, closes what it should
 * not inherit and execs. Everything that needs memory (the PATH
 * candidates, the error prefix) is prepared before fork().
 *
 * Children that are waited for (proc_run) or take our terminal
 * (PROC_INHERIT) and the daemon (proc_detach) start here too, so no other
 * file forks or execs.
 *
 * A proc ends in two phases, as a tmux job does: the reap (from the loop's
 * SIGCHLD handling) and end of file on the output descriptors, in either
 * order. on_exit waits for both, within the grace period described in
 * proc.h.
 */
#include "common.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "loop.h"
#include "proc.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"

/* Bytes per read(2), and reads per wakeup so one chatty child cannot starve
 * the rest of the loop. */
#define PROC_READ_SIZE	65536
#define PROC_READ_BURST	16

struct proc {
	struct loop		*loop;
	pid_t			 pid;
	enum proc_mode		 mode;
	struct proc_hooks	 hooks;
	void			*arg;

	int			 fds[2];	/* PTY master or stdout; stderr */
	struct loop_io		*ios[2];
	int			 in_fd;		/* spec->input's pipe */
	struct loop_io		*in_io;
	struct strbuf		 in_buf;
	size_t			 in_off;
	bool			 group;		/* its own process group */
	struct loop_child	*child;
	struct loop_timer	*grace;
	uint64_t		 reaped_at;	/* mono_ms() */
	unsigned		 grace_ms;
	unsigned		 grace_max_ms;

	struct strbuf		 wbuf;		/* keys not yet accepted */
	size_t			 woff;
	char			*rbuf;

	int			 status;
	bool			 reaped;
	bool			 finished;
	bool			 freed;
	int			 busy;		/* hooks running */
};

/* What the child needs, all prepared before fork(). */
struct proc_child {
	const struct proc_spec	*spec;
	char *const		*envp;
	struct strvec		 cands;		/* exec candidates for argv[0] */
	int			 in, out, err;	/* its stdin, stdout, stderr */
	int			 ctty;		/* PTY slave, or -1 */
	int			 errfd;		/* exec_cause's pipe, or -1 */
};

/* What a child with exec_cause reports through its pipe. */
struct proc_exec_error {
	int	chdir;		/* whether chdir failed, not exec */
	int	error;
};

static void	proc_finish(struct proc *);

/* Move fd above stderr, so dup2() onto 0-2 in the child never meets itself. */
static int
proc_fd_high(int fd)
{
	int	nfd;

	if (fd > STDERR_FILENO)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	close(fd);
	return nfd;
}

static void
proc_close(int *fd)
{
	if (*fd != -1)
		close(*fd);
	*fd = -1;
}

/* Write a string to fd in the child, where stdio is best avoided. */
static void
proc_child_puts(int fd, const char *s)
{
	size_t	len = strlen(s);
	ssize_t	n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void NORETURN
proc_child_fail(int errfd, bool chdir_failed, const char *what, int error)
{
	struct proc_exec_error	e = { .chdir = chdir_failed, .error = error };
	ssize_t			n;

	if (errfd != -1) {
		do
			n = write(errfd, &e, sizeof e);
		while (n == -1 && errno == EINTR);
		_exit(127);
	}
	proc_child_puts(STDERR_FILENO, "guild: ");
	proc_child_puts(STDERR_FILENO, what);
	proc_child_puts(STDERR_FILENO, ": ");
	proc_child_puts(STDERR_FILENO, strerror(error));
	proc_child_puts(STDERR_FILENO, "\n");
	_exit(127);
}

/* Run a file the kernel would not (no #! line) under /bin/sh, as execvp. */
static void
proc_child_exec_sh(const char *path, char *const argv[], char *const envp[])
{
	size_t	  argc, i;
	char	**nargv;

	for (argc = 0; argv[argc] != NULL; argc++)
		continue;
	nargv = calloc(argc + 2, sizeof *nargv);
	if (nargv == NULL)
		return;
	nargv[0] = (char *)"/bin/sh";
	nargv[1] = (char *)path;
	for (i = 1; i < argc; i++)
		nargv[i + 1] = argv[i];
	execve("/bin/sh", nargv, envp);
	free(nargv);
}

/* The child side of the fork. Never returns. */
static void NORETURN
proc_child(struct proc_child *pc)
{
	const struct proc_spec	 *spec = pc->spec;
	char *const		 *argv = (char *const *)spec->argv;
	sigset_t		  none;
	size_t			  i;
	int			  signo, error = ENOENT;
	bool			  denied = false;

	for (signo = 1; signo < NSIG; signo++)
		signal(signo, SIG_DFL);

	/* PROC_INHERIT stays in our session, on our terminal. */
	if (spec->mode != PROC_INHERIT && setsid() == -1)
		_exit(127);
	if (pc->ctty != -1 && ioctl(pc->ctty, TIOCSCTTY, 0) == -1)
		_exit(127);
	/* Ours are left as they are: PROC_INHERIT works with one closed. */
	if ((pc->in != STDIN_FILENO && dup2(pc->in, STDIN_FILENO) == -1) ||
	    (pc->out != STDOUT_FILENO &&
	    dup2(pc->out, STDOUT_FILENO) == -1) ||
	    (pc->err != STDERR_FILENO && dup2(pc->err, STDERR_FILENO) == -1))
		_exit(127);
	if (pc->errfd != -1 && pc->errfd != STDERR_FILENO + 1) {
		/* Keep it through the closefrom(), closed by a good exec. */
		if (dup3(pc->errfd, STDERR_FILENO + 1, O_CLOEXEC) == -1)
			_exit(127);
		pc->errfd = STDERR_FILENO + 1;
	}
	closefrom(pc->errfd != -1 ? pc->errfd + 1 : STDERR_FILENO + 1);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (spec->cwd != NULL && chdir(spec->cwd) == -1)
		proc_child_fail(pc->errfd, true, spec->cwd, errno);

	for (i = 0; i < pc->cands.n; i++) {
		execve(pc->cands.v[i], argv, pc->envp);
		switch (errno) {
		case ENOEXEC:
			proc_child_exec_sh(pc->cands.v[i], argv, pc->envp);
			error = errno;
			i = pc->cands.n;
			break;
		case EACCES:
			denied = true;
			break;
		case ENOENT:
		case ENOTDIR:
		case ELOOP:
		case ENAMETOOLONG:
		case ESTALE:
		case ENODEV:
		case ETIMEDOUT:
			break;
		default:
			/* Found but unusable: searching further would hide it. */
			error = errno;
			i = pc->cands.n;
			break;
		}
	}
	if (denied && error == ENOENT)
		error = EACCES;
	proc_child_fail(pc->errfd, false, argv[0], error);
}

/* Where to look for argv[0]: execvpe(3)'s rules, with PATH from envp. */
static void
proc_candidates(struct strvec *cands, const char *name, char *const *envp)
{
	const char	*path = NULL, *p, *end;
	size_t		 i;

	if (strchr(name, '/') != NULL) {
		strvec_push(cands, name);
		return;
	}
	for (i = 0; envp[i] != NULL; i++) {
		if (strncmp(envp[i], "PATH=", 5) == 0) {
			path = envp[i] + 5;
			break;
		}
	}
	if (path == NULL)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		if (end == p)
			strvec_push(cands, name);	/* empty: the cwd */
		else
			strvec_pushf(cands, "%.*s/%s", (int)(end - p), p, name);
		if (*end == '\0')
			break;
	}
}

/* Give the new terminal tmux's touches: UTF-8 aware erase, DEL as erase. */
static void
proc_pty_setup(int slave, bool keep_lf)
{
	struct termios	tio;

	if (tcgetattr(slave, &tio) == -1)
		return;
#ifdef IUTF8
	tio.c_iflag |= IUTF8;
#endif
	if (keep_lf)
		tio.c_oflag &= ~(tcflag_t)ONLCR;
	tio.c_cc[VERASE] = '\177';
	tcsetattr(slave, TCSANOW, &tio);
}

static void
proc_destroy(struct proc *p)
{
	strbuf_release(&p->wbuf);
	strbuf_release(&p->in_buf);
	free(p->rbuf);
	free(p);
}

/* Hooks may free the proc: hold it while they run. */
static void
proc_hold(struct proc *p)
{
	p->busy++;
}

/* Drop a hold; true if the proc is gone and must not be touched. */
static bool
proc_release(struct proc *p)
{
	if (--p->busy > 0)
		return p->freed;
	if (!p->freed)
		return false;
	proc_destroy(p);
	return true;
}

static void
proc_close_stream(struct proc *p, int stream)
{
	loop_io_del(p->ios[stream]);
	p->ios[stream] = NULL;
	proc_close(&p->fds[stream]);
	if (stream == 0) {
		strbuf_reset(&p->wbuf);
		p->woff = 0;
	}
}

static void
proc_close_input(struct proc *p)
{
	loop_io_del(p->in_io);
	p->in_io = NULL;
	proc_close(&p->in_fd);
	strbuf_release(&p->in_buf);
	p->in_off = 0;
}

/*
 * Feed spec->input to the child. SIGPIPE is held while writing, so a
 * child that stops reading (a pager quit early) costs the rest of the
 * input, not our life, whatever our disposition for it.
 */
static void
proc_feed(struct proc *p)
{
	const struct timespec	 now = { 0, 0 };
	sigset_t		 pipe_set, old;
	ssize_t			 n;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	while (p->in_off < p->in_buf.len) {
		n = write(p->in_fd, p->in_buf.buf + p->in_off,
		    p->in_buf.len - p->in_off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			if (errno == EPIPE && !sigismember(&old, SIGPIPE))
				sigtimedwait(&pipe_set, NULL, &now);
			p->in_off = p->in_buf.len;
			break;
		}
		p->in_off += (size_t)n;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (p->in_off == p->in_buf.len)
		proc_close_input(p);
}

static void
proc_in_cb(struct loop_io *io, int fd, short revents, void *arg)
{
	(void)io;
	(void)fd;
	(void)revents;
	proc_feed(arg);
}

static bool
proc_eof(const struct proc *p)
{
	return p->fds[0] == -1 && p->fds[1] == -1;
}

/* (Re)start the wait for stray output holders after the reap. */
static void
proc_grace_arm(struct proc *p)
{
	uint64_t	now = mono_ms(), cap, ms = p->grace_ms;

	cap = p->reaped_at + p->grace_max_ms;
	if (now >= cap)
		ms = 0;
	else if (cap - now < ms)
		ms = cap - now;
	loop_timer_set(p->grace, (unsigned)ms, 0);
}

/*
 * Read what a stream has. Returns false if the proc was freed by a hook.
 * Closes the stream at end of file (0, EIO: the PTY slave is gone).
 */
static bool
proc_read(struct proc *p, int stream)
{
	ssize_t	n;
	int	i;

	for (i = 0; i < PROC_READ_BURST && p->fds[stream] != -1; i++) {
		n = read(p->fds[stream], p->rbuf, PROC_READ_SIZE);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			proc_close_stream(p, stream);
			break;
		}
		if (p->reaped)
			proc_grace_arm(p);
		if (p->hooks.on_data != NULL) {
			proc_hold(p);
			p->hooks.on_data(p, p->rbuf, (size_t)n, stream, p->arg);
			if (proc_release(p))
				return false;
			if (p->finished)
				return true;
		}
	}
	return true;
}

/* Write queued keys; what the PTY does not take now waits for POLLOUT. */
static void
proc_flush(struct proc *p)
{
	ssize_t	n;

	while (p->woff < p->wbuf.len) {
		n = write(p->fds[0], p->wbuf.buf + p->woff,
		    p->wbuf.len - p->woff);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			/* The reading side will find out why; drop the keys. */
			p->woff = p->wbuf.len;
			break;
		}
		p->woff += (size_t)n;
	}
	if (p->woff == p->wbuf.len) {
		strbuf_reset(&p->wbuf);
		p->woff = 0;
		if (p->ios[0] != NULL)
			loop_io_set(p->ios[0], LOOP_READ);
	} else if (p->ios[0] != NULL)
		loop_io_set(p->ios[0], LOOP_READ | LOOP_WRITE);
}

static void
proc_io_cb(struct loop_io *io, int fd, short revents, void *arg)
{
	struct proc	*p = arg;
	int		 stream = io == p->ios[1];

	(void)fd;
	if (revents & POLLOUT)
		proc_flush(p);
	if (revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
		if (!proc_read(p, stream))
			return;
	}
	if (!p->finished && p->reaped && proc_eof(p))
		proc_finish(p);
}

static void
proc_child_cb(pid_t pid, int status, void *arg)
{
	struct proc	*p = arg;

	(void)pid;
	p->child = NULL;
	p->reaped = true;
	p->status = status;
	p->reaped_at = mono_ms();
	if (proc_eof(p))
		proc_finish(p);
	else
		proc_grace_arm(p);
}

/* The grace period is over: take what is there and finish. */
static void
proc_grace_cb(struct loop_timer *t, void *arg)
{
	struct proc	*p = arg;
	int		 stream;

	(void)t;
	for (stream = 0; stream < 2; stream++) {
		if (p->fds[stream] != -1 && !proc_read(p, stream))
			return;
		if (p->finished)
			return;
	}
	proc_finish(p);
}

/* Both phases are over (or the grace period): report the status. */
static void
proc_finish(struct proc *p)
{
	p->finished = true;
	loop_timer_del(p->grace);
	p->grace = NULL;
	proc_close_stream(p, 0);
	proc_close_stream(p, 1);
	proc_close_input(p);
	if (p->hooks.on_exit != NULL) {
		proc_hold(p);
		p->hooks.on_exit(p, p->status, p->arg);
		proc_release(p);
	}
}

/* What the parent can refuse before forking. */
static int
proc_spec_check(const struct proc_spec *spec, char **cause)
{
	struct stat	sb;

	if (spec->argv == NULL || spec->argv[0] == NULL ||
	    spec->argv[0][0] == '\0')
		return set_cause(cause, "no command to run");
	if (spec->mode == PROC_PTY && spec->input != NULL)
		return set_cause(cause, "no input for a pseudo-terminal: use "
		    "proc_write()");
	if (spec->cwd != NULL) {
		if (stat(spec->cwd, &sb) == -1)
			return set_cause(cause, "%s: %s", spec->cwd,
			    strerror(errno));
		if (!S_ISDIR(sb.st_mode))
			return set_cause(cause, "%s: %s", spec->cwd,
			    strerror(ENOTDIR));
	}
	return 0;
}

/* The child's side of the descriptors, per mode; *cause set on failure. */
static int
proc_setup_fds(const struct proc_spec *spec, struct proc_child *pc,
    int *master, int *slave, int out[2], int err[2], int in[2],
    int *devnull, char **cause)
{
	struct winsize	ws;

	if (spec->mode == PROC_PTY) {
		memset(&ws, 0, sizeof ws);
		ws.ws_row = spec->rows != 0 ? spec->rows : 24;
		ws.ws_col = spec->cols != 0 ? spec->cols : 80;
		if (openpty(master, slave, NULL, NULL, &ws) == -1)
			return set_cause(cause, "cannot open a pseudo-terminal: "
			    "%s", strerror(errno));
		if (fcntl(*master, F_SETFD, FD_CLOEXEC) == -1 ||
		    fcntl(*slave, F_SETFD, FD_CLOEXEC) == -1 ||
		    (*master = proc_fd_high(*master)) == -1 ||
		    (*slave = proc_fd_high(*slave)) == -1)
			return set_cause(cause, "pseudo-terminal: %s",
			    strerror(errno));
		proc_pty_setup(*slave, spec->keep_lf);
		pc->in = pc->out = pc->err = pc->ctty = *slave;
		return 0;
	}

	pc->ctty = -1;
	pc->in = STDIN_FILENO;
	pc->out = STDOUT_FILENO;
	pc->err = STDERR_FILENO;
	if ((*devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1 ||
	    (*devnull = proc_fd_high(*devnull)) == -1)
		return set_cause(cause, "/dev/null: %s", strerror(errno));
	if (spec->input != NULL) {
		if (pipe2(in, O_CLOEXEC) == -1 ||
		    (in[0] = proc_fd_high(in[0])) == -1 ||
		    (in[1] = proc_fd_high(in[1])) == -1)
			return set_cause(cause, "pipe: %s", strerror(errno));
		pc->in = in[0];
	} else if (spec->mode == PROC_PIPES || spec->null_input)
		pc->in = *devnull;
	if (spec->mode == PROC_INHERIT) {
		if (spec->null_output)
			pc->out = pc->err = *devnull;
		return 0;
	}
	if (pipe2(out, O_CLOEXEC) == -1 ||
	    (out[0] = proc_fd_high(out[0])) == -1 ||
	    (out[1] = proc_fd_high(out[1])) == -1)
		return set_cause(cause, "pipe: %s", strerror(errno));
	pc->out = pc->err = out[1];
	if (!spec->merge_err) {
		if (pipe2(err, O_CLOEXEC) == -1 ||
		    (err[0] = proc_fd_high(err[0])) == -1 ||
		    (err[1] = proc_fd_high(err[1])) == -1)
			return set_cause(cause, "pipe: %s", strerror(errno));
		pc->err = err[1];
	}
	return 0;
}

/*
 * With exec_cause: wait for the child's exec. The pipe closes on a good
 * one; after a bad one the child has written why and is exiting: reap it.
 */
static int
proc_check_exec(const struct proc_spec *spec, pid_t pid, int fd,
    bool *exec_failed, char **cause)
{
	struct proc_exec_error	e;
	ssize_t			n;

	do
		n = read(fd, &e, sizeof e);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof e)
		return 0;
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		continue;
	if (e.chdir)
		return set_cause(cause, "%s: %s", spec->cwd,
		    strerror(e.error));
	*exec_failed = true;
	return set_cause(cause, "cannot run '%s': %s", spec->argv[0],
	    strerror(e.error));
}

/* proc_spawn(), telling proc_run() whether exec was what failed. */
static struct proc *
proc_start(struct loop *loop, const struct proc_spec *spec,
    const struct proc_hooks *hooks, void *arg, bool *exec_failed,
    char **cause)
{
	struct proc		*p;
	struct proc_child	 pc = { .spec = spec, .cands = STRVEC_INIT };
	sigset_t		 all, old;
	int			 master = -1, slave = -1, devnull = -1;
	int			 out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int			 in[2] = { -1, -1 }, ep[2] = { -1, -1 };
	pid_t			 pid;

	*exec_failed = false;
	if (proc_spec_check(spec, cause) == -1)
		return NULL;
	pc.errfd = -1;
	if (proc_setup_fds(spec, &pc, &master, &slave, out, err, in, &devnull,
	    cause) == -1)
		goto fail;
	if (spec->exec_cause) {
		if (pipe2(ep, O_CLOEXEC) == -1 ||
		    (ep[0] = proc_fd_high(ep[0])) == -1 ||
		    (ep[1] = proc_fd_high(ep[1])) == -1) {
			set_cause(cause, "pipe: %s", strerror(errno));
			goto fail;
		}
		pc.errfd = ep[1];
	}
	pc.envp = spec->env != NULL ? (char *const *)spec->env : environ;
	proc_candidates(&pc.cands, spec->argv[0], pc.envp);

	if (spec->mode == PROC_INHERIT) {
		/* It writes where our buffered output is going. */
		fflush(stdout);
		fflush(stderr);
	}
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0)
		proc_child(&pc);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1) {
		set_cause(cause, "fork: %s", strerror(errno));
		goto fail;
	}
	if (ep[0] != -1) {
		proc_close(&ep[1]);
		if (proc_check_exec(spec, pid, ep[0], exec_failed, cause) == -1)
			goto fail;
		proc_close(&ep[0]);
	}

	p = xcalloc(1, sizeof *p);
	p->loop = loop;
	p->pid = pid;
	p->mode = spec->mode;
	p->group = spec->mode != PROC_INHERIT;
	if (hooks != NULL)
		p->hooks = *hooks;
	p->arg = arg;
	p->grace_ms = spec->grace_ms != 0 ? spec->grace_ms : PROC_GRACE_MS;
	p->grace_max_ms = spec->grace_max_ms != 0 ? spec->grace_max_ms :
	    PROC_GRACE_MAX_MS;
	strbuf_init(&p->wbuf);
	strbuf_init(&p->in_buf);
	p->rbuf = xmalloc(PROC_READ_SIZE);
	p->fds[0] = p->fds[1] = p->in_fd = -1;
	if (spec->mode == PROC_PTY) {
		p->fds[0] = master;
		proc_close(&slave);
	} else if (spec->mode == PROC_PIPES) {
		p->fds[0] = out[0];
		p->fds[1] = err[0];
		proc_close(&out[1]);
		proc_close(&err[1]);
	}
	proc_close(&devnull);
	if (in[1] != -1) {
		p->in_fd = in[1];
		proc_close(&in[0]);
		strbuf_add(&p->in_buf, spec->input, spec->input_len);
	}
	strvec_clear(&pc.cands);

	p->child = loop_child_add(loop, pid, proc_child_cb, p);
	if (p->child == NULL) {
		/* We could never learn how it ends: do not let it run. */
		set_cause(cause, "cannot watch child: %s", strerror(errno));
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			continue;
		proc_close(&p->fds[0]);
		proc_close(&p->fds[1]);
		proc_close(&p->in_fd);
		proc_destroy(p);
		return NULL;
	}
	if ((p->fds[0] != -1 && fcntl(p->fds[0], F_SETFL, O_NONBLOCK) == -1) ||
	    (p->fds[1] != -1 && fcntl(p->fds[1], F_SETFL, O_NONBLOCK) == -1) ||
	    (p->in_fd != -1 && fcntl(p->in_fd, F_SETFL, O_NONBLOCK) == -1)) {
		/* Cannot happen on a fresh fd; never block the loop if it does. */
		set_cause(cause, "fcntl: %s", strerror(errno));
		proc_free(p);
		return NULL;
	}
	if (p->fds[0] != -1)
		p->ios[0] = loop_io_add(loop, p->fds[0], LOOP_READ, proc_io_cb,
		    p);
	if (p->fds[1] != -1)
		p->ios[1] = loop_io_add(loop, p->fds[1], LOOP_READ, proc_io_cb,
		    p);
	if (p->in_fd != -1)
		p->in_io = loop_io_add(loop, p->in_fd, LOOP_WRITE, proc_in_cb,
		    p);
	p->grace = loop_timer_add(loop, 0, 0, proc_grace_cb, p);
	loop_timer_stop(p->grace);
	return p;

fail:
	strvec_clear(&pc.cands);
	proc_close(&master);
	proc_close(&slave);
	proc_close(&out[0]);
	proc_close(&out[1]);
	proc_close(&err[0]);
	proc_close(&err[1]);
	proc_close(&in[0]);
	proc_close(&in[1]);
	proc_close(&ep[0]);
	proc_close(&ep[1]);
	proc_close(&devnull);
	return NULL;
}

struct proc *
proc_spawn(struct loop *loop, const struct proc_spec *spec,
    const struct proc_hooks *hooks, void *arg, char **cause)
{
	bool	exec_failed;

	return proc_start(loop, spec, hooks, arg, &exec_failed, cause);
}

const int proc_terminal_signals[] = { SIGINT, SIGQUIT, 0 };

/* A proc_run() in progress. */
struct proc_wait {
	struct proc			*proc;
	const struct proc_hooks		*hooks;
	void				*arg;
	int				 status;
	bool				 done;
};

static void
proc_wait_data(struct proc *p, const char *buf, size_t len, int stream,
    void *arg)
{
	struct proc_wait	*w = arg;

	if (w->hooks != NULL && w->hooks->on_data != NULL)
		w->hooks->on_data(p, buf, len, stream, w->arg);
}

static void
proc_wait_exit(struct proc *p, int status, void *arg)
{
	struct proc_wait	*w = arg;

	(void)p;
	w->status = status;
	w->done = true;
}

static void
proc_wait_forward(int signo, void *arg)
{
	struct proc_wait	*w = arg;

	if (w->proc != NULL && !proc_done(w->proc))
		proc_kill(w->proc, signo);
}

static void
proc_wait_ignore(int signo, void *arg)
{
	(void)signo;
	(void)arg;
}

/* Watch each signal of a 0-terminated list (NULL: none). */
static int
proc_wait_signals(struct loop *loop, const int *sigs, loop_signal_cb cb,
    struct proc_wait *w, char **cause)
{
	for (; sigs != NULL && *sigs != 0; sigs++)
		if (loop_signal(loop, *sigs, cb, w) == -1)
			return set_cause(cause, "signal %d: %s", *sigs,
			    strerror(errno));
	return 0;
}

int
proc_run(const struct proc_spec *spec, const struct proc_hooks *hooks,
    void *arg, int *code, char **cause)
{
	struct proc_spec	 s = *spec;
	struct proc_hooks	 h = {
		.on_data = proc_wait_data,
		.on_exit = proc_wait_exit,
	};
	struct proc_wait	 w = { .hooks = hooks, .arg = arg };
	struct loop		*loop = loop_new();
	bool			 exec_failed = false;

	*code = 1;
	s.exec_cause = true;
	fflush(stdout);
	fflush(stderr);
	if (proc_wait_signals(loop, spec->forward, proc_wait_forward, &w,
	    cause) == -1 ||
	    proc_wait_signals(loop, spec->ignore, proc_wait_ignore, &w,
	    cause) == -1 ||
	    (w.proc = proc_start(loop, &s, &h, &w, &exec_failed,
	    cause)) == NULL) {
		if (exec_failed)
			*code = 127;
		loop_free(loop);
		return -1;
	}
	while (!w.done)
		if (loop_run_once(loop, -1) == -1 && errno != EINTR)
			break;
	if (!w.done) {
		set_cause(cause, "poll: %s", strerror(errno));
		proc_free(w.proc);
		loop_free(loop);
		return -1;
	}
	proc_free(w.proc);
	loop_free(loop);
	*code = proc_exit_code(w.status);
	return 0;
}

int
proc_detach(int *ready, char **cause)
{
	pid_t	pid;
	int	p[2], fd, status;
	char	c;

	fflush(NULL);
	if (pipe2(p, O_CLOEXEC) == -1)
		return set_cause(cause, "pipe: %s", strerror(errno));
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return set_cause(cause, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(p[0]);
		if (setsid() == -1)
			_exit(1);
		/* Again, so the daemon is no session leader: no terminal. */
		if ((pid = fork()) != 0)
			_exit(pid == -1 ? 1 : 0);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		*ready = p[1];
		return 0;
	}
	close(p[1]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	/* End of file: the daemon is ready, or gone. */
	while (read(p[0], &c, 1) == -1 && errno == EINTR)
		continue;
	close(p[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return set_cause(cause, "cannot start a detached process");
	return 1;
}

int
proc_exec_replace(const char *path, char *const argv[], char **cause)
{
	fflush(NULL);
	execv(path, argv);
	return set_cause(cause, "cannot run '%s': %s", path, strerror(errno));
}

int
proc_kill(struct proc *p, int signo)
{
	if (p->finished || p->freed) {
		errno = ESRCH;
		return -1;
	}
	if (!p->group) {
		if (p->reaped) {
			errno = ESRCH;
			return -1;
		}
		return kill(p->pid, signo);
	}
	if (kill(-p->pid, signo) == 0)
		return 0;
	/* Just forked: the child has not called setsid() yet. */
	if (errno == ESRCH && !p->reaped)
		return kill(p->pid, signo);
	return -1;
}

int
proc_resize(struct proc *p, unsigned short rows, unsigned short cols)
{
	struct winsize	ws;

	if (p->mode != PROC_PTY || p->fds[0] == -1) {
		errno = ENOTTY;
		return -1;
	}
	memset(&ws, 0, sizeof ws);
	ws.ws_row = rows;
	ws.ws_col = cols;
	return ioctl(p->fds[0], TIOCSWINSZ, &ws);
}

int
proc_write(struct proc *p, const void *buf, size_t len)
{
	if (p->mode != PROC_PTY || p->fds[0] == -1) {
		errno = EPIPE;
		return -1;
	}
	strbuf_add(&p->wbuf, buf, len);
	proc_flush(p);
	return 0;
}

pid_t
proc_pid(const struct proc *p)
{
	return p->pid;
}

bool
proc_done(const struct proc *p)
{
	return p->finished;
}

void
proc_free(struct proc *p)
{
	if (p == NULL || p->freed)
		return;
	if (!p->reaped)
		proc_kill(p, SIGTERM);
	p->freed = true;
	loop_child_del(p->child);
	p->child = NULL;
	loop_timer_del(p->grace);
	p->grace = NULL;
	proc_close_stream(p, 0);
	proc_close_stream(p, 1);
	proc_close_input(p);
	if (p->busy == 0)
		proc_destroy(p);
}

int
proc_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return -1;
}

int
proc_shell_status(int code)
{
	return code < 0 ? 128 - code : code;
}
