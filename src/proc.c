/*
 * proc.c: child processes in a pseudo-terminal or with pipes.
 *
 * The spawn follows tmux's spawn.c/job.c: every signal is blocked across
 * fork() so no handler of ours runs in the child, and the child resets
 * all dispositions, makes itself a session leader, closes what it should
 * not inherit and execs. Everything that needs memory (the PATH
 * candidates, the error prefix) is prepared before fork().
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
proc_child_fail(const char *what, int error)
{
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

	if (setsid() == -1)
		_exit(127);
	if (pc->ctty != -1 && ioctl(pc->ctty, TIOCSCTTY, 0) == -1)
		_exit(127);
	if (dup2(pc->in, STDIN_FILENO) == -1 ||
	    dup2(pc->out, STDOUT_FILENO) == -1 ||
	    dup2(pc->err, STDERR_FILENO) == -1)
		_exit(127);
	closefrom(STDERR_FILENO + 1);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (spec->cwd != NULL && chdir(spec->cwd) == -1)
		proc_child_fail(spec->cwd, errno);

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
	proc_child_fail(argv[0], error);
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
	strbuf_release(&p->wbuf);
	free(p->rbuf);
	free(p);
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
	if (p->hooks.on_exit != NULL) {
		proc_hold(p);
		p->hooks.on_exit(p, p->status, p->arg);
		proc_release(p);
	}
}

struct proc *
proc_spawn(struct loop *loop, const struct proc_spec *spec,
    const struct proc_hooks *hooks, void *arg, char **cause)
{
	struct proc		*p;
	struct proc_child	 pc = { .spec = spec, .cands = STRVEC_INIT };
	struct winsize		 ws;
	struct stat		 sb;
	sigset_t		 all, old;
	int			 master = -1, slave = -1, devnull = -1;
	int			 out[2] = { -1, -1 }, err[2] = { -1, -1 };
	pid_t			 pid;

	if (spec->argv == NULL || spec->argv[0] == NULL ||
	    spec->argv[0][0] == '\0') {
		set_cause(cause, "no command to run");
		return NULL;
	}
	if (spec->cwd != NULL) {
		if (stat(spec->cwd, &sb) == -1) {
			set_cause(cause, "%s: %s", spec->cwd, strerror(errno));
			return NULL;
		}
		if (!S_ISDIR(sb.st_mode)) {
			set_cause(cause, "%s: %s", spec->cwd, strerror(ENOTDIR));
			return NULL;
		}
	}

	if (spec->mode == PROC_PTY) {
		memset(&ws, 0, sizeof ws);
		ws.ws_row = spec->rows != 0 ? spec->rows : 24;
		ws.ws_col = spec->cols != 0 ? spec->cols : 80;
		if (openpty(&master, &slave, NULL, NULL, &ws) == -1) {
			set_cause(cause, "cannot open a pseudo-terminal: %s",
			    strerror(errno));
			goto fail;
		}
		if (fcntl(master, F_SETFD, FD_CLOEXEC) == -1 ||
		    fcntl(slave, F_SETFD, FD_CLOEXEC) == -1 ||
		    (master = proc_fd_high(master)) == -1 ||
		    (slave = proc_fd_high(slave)) == -1) {
			set_cause(cause, "pseudo-terminal: %s",
			    strerror(errno));
			goto fail;
		}
		proc_pty_setup(slave, spec->keep_lf);
		pc.in = pc.out = pc.err = pc.ctty = slave;
	} else {
		if (pipe2(out, O_CLOEXEC) == -1 || pipe2(err, O_CLOEXEC) == -1) {
			set_cause(cause, "pipe: %s", strerror(errno));
			goto fail;
		}
		if ((devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
			set_cause(cause, "/dev/null: %s", strerror(errno));
			goto fail;
		}
		if ((out[0] = proc_fd_high(out[0])) == -1 ||
		    (out[1] = proc_fd_high(out[1])) == -1 ||
		    (err[0] = proc_fd_high(err[0])) == -1 ||
		    (err[1] = proc_fd_high(err[1])) == -1 ||
		    (devnull = proc_fd_high(devnull)) == -1) {
			set_cause(cause, "pipe: %s", strerror(errno));
			goto fail;
		}
		pc.in = devnull;
		pc.out = out[1];
		pc.err = err[1];
		pc.ctty = -1;
	}
	pc.envp = spec->env != NULL ? (char *const *)spec->env : environ;
	proc_candidates(&pc.cands, spec->argv[0], pc.envp);

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

	p = xcalloc(1, sizeof *p);
	p->loop = loop;
	p->pid = pid;
	p->mode = spec->mode;
	if (hooks != NULL)
		p->hooks = *hooks;
	p->arg = arg;
	p->grace_ms = spec->grace_ms != 0 ? spec->grace_ms : PROC_GRACE_MS;
	p->grace_max_ms = spec->grace_max_ms != 0 ? spec->grace_max_ms :
	    PROC_GRACE_MAX_MS;
	strbuf_init(&p->wbuf);
	p->rbuf = xmalloc(PROC_READ_SIZE);
	if (spec->mode == PROC_PTY) {
		p->fds[0] = master;
		p->fds[1] = -1;
		proc_close(&slave);
	} else {
		p->fds[0] = out[0];
		p->fds[1] = err[0];
		proc_close(&out[1]);
		proc_close(&err[1]);
		proc_close(&devnull);
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
		strbuf_release(&p->wbuf);
		free(p->rbuf);
		free(p);
		return NULL;
	}
	if (fcntl(p->fds[0], F_SETFL, O_NONBLOCK) == -1 ||
	    (p->fds[1] != -1 && fcntl(p->fds[1], F_SETFL, O_NONBLOCK) == -1)) {
		/* Cannot happen on a fresh fd; never block the loop if it does. */
		set_cause(cause, "fcntl: %s", strerror(errno));
		proc_free(p);
		return NULL;
	}
	p->ios[0] = loop_io_add(loop, p->fds[0], LOOP_READ, proc_io_cb, p);
	if (p->fds[1] != -1)
		p->ios[1] = loop_io_add(loop, p->fds[1], LOOP_READ, proc_io_cb,
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
	proc_close(&devnull);
	return NULL;
}

int
proc_kill(struct proc *p, int signo)
{
	if (p->finished || p->freed) {
		errno = ESRCH;
		return -1;
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
	if (p->busy == 0) {
		strbuf_release(&p->wbuf);
		free(p->rbuf);
		free(p);
	}
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
