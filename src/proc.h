/*
 * proc.h: child processes, the one place guild starts them: in a
 * pseudo-terminal, with pipes, or on our own terminal; driven by the event
 * loop (proc_spawn), waited for (proc_run), or detached (proc_detach).
 *
 *	const char *argv[] = { "/bin/sh", "-c", "echo hi; exit 3", NULL };
 *	struct proc_spec spec = { .argv = argv, .rows = 24, .cols = 80 };
 *	struct proc_hooks hooks = { .on_data = data, .on_exit = done };
 *	struct proc *p = proc_spawn(loop, &spec, &hooks, arg, &cause);
 *	loop_run(loop);
 *
 * The child is a session leader and process-group leader, so proc_kill()
 * reaches everything it started that did not leave the group. In PTY mode
 * its stdin, stdout and stderr are the slave side of a fresh terminal (its
 * controlling terminal), so both output streams arrive merged as stream 0.
 *
 * Completion is two-phase: on_exit fires once the child has been reaped
 * AND its output has reached end of file (EIO on the PTY master, or both
 * pipes closed), so no byte written before exit is lost.
 *
 * In PTY mode the child is the terminal's controlling process, so when it
 * exits the kernel sends SIGHUP to its process group, as when a terminal
 * is closed: background jobs it left behind go with it, unless they ignore
 * SIGHUP or moved to another group or session. Those, and in PROC_PIPES
 * mode any descendant, may keep the output open: end of file then comes
 * when the last of them closes it. So that a stray daemon cannot hang the
 * caller, after the reap the proc waits at most PROC_GRACE_MS of silence
 * (PROC_GRACE_MAX_MS in all, even if it keeps talking), then drains what
 * is readable, closes its side and finishes anyway.
 *
 * A proc's hooks may call any proc function on it, proc_free() included.
 *
 * Exit codes. Inside guild a child's end is one int, its "exit code"
 * (proc_exit_code): the exit status 0-255, or minus the signal number that
 * killed it. That is Guild's exit_status for a run, and what every caller
 * compares and passes on. Only where guild itself exits with a child's
 * code, as a shell does, does proc_shell_status() turn -N into 128 + N.
 */
#ifndef GUILD_PROC_H
#define GUILD_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct loop;
struct proc;

/* After the reap: idle output time, then overall cap, before giving up. */
#define PROC_GRACE_MS		2000
#define PROC_GRACE_MAX_MS	10000

enum proc_mode {
	PROC_PTY,	/* stdin/stdout/stderr on a new pseudo-terminal */
	PROC_PIPES,	/* stdin /dev/null, stdout and stderr on two pipes */
	/*
	 * Our stdin, stdout and stderr, in our session and process group:
	 * a pager, an editor, a diff program or a pipeline's step that
	 * takes the terminal (and gets its Ctrl-C) while we wait.
	 */
	PROC_INHERIT,
};

struct proc_spec {
	const char *const	*argv;	/* argv[0] is searched in env's PATH */
	const char *const	*env;	/* whole child environment; NULL: ours */
	const char		*cwd;	/* NULL: ours */
	enum proc_mode		 mode;
	unsigned short		 rows;	/* initial PTY size; 0: 24 x 80 */
	unsigned short		 cols;
	/*
	 * PTY mode: no ONLCR, so "\n" stays "\n" in what the child writes
	 * (the run's output file keeps Guild's line ends; a terminal showing
	 * it adds the "\r" itself).
	 */
	bool			 keep_lf;
	unsigned		 grace_ms;	/* 0: PROC_GRACE_MS */
	unsigned		 grace_max_ms;	/* 0: PROC_GRACE_MAX_MS */

	/* PROC_PIPES: stderr on stdout's pipe, in the order written. */
	bool			 merge_err;
	/* PROC_INHERIT: stdin, or stdout and stderr, on /dev/null. */
	bool			 null_input;
	bool			 null_output;
	/*
	 * Not PROC_PTY: stdin is a pipe that is fed these bytes (copied)
	 * and then closed; a child that stops reading loses the rest.
	 */
	const char		*input;
	size_t			 input_len;
	/*
	 * A program that cannot be executed makes proc_spawn() fail with
	 * "cannot run 'CMD': strerror" (the child reaped) instead of the
	 * child saying so on its stderr and exiting 127. proc_run() always
	 * does this.
	 */
	bool			 exec_cause;
	/*
	 * proc_run() only, each 0-terminated or NULL: signals passed on to
	 * the child while it runs, and signals we ignore meanwhile (a child
	 * in PROC_INHERIT mode gets the terminal's Ctrl-C itself).
	 */
	const int		*forward;
	const int		*ignore;
};

struct proc_hooks {
	/*
	 * A chunk of output as read: not split on lines, not NUL-terminated.
	 * stream is 0 (the PTY, or stdout) or 1 (stderr in PROC_PIPES mode).
	 */
	void	(*on_data)(struct proc *, const char *buf, size_t len,
		    int stream, void *arg);
	/* After end of output and the reap; status as from waitpid(2). */
	void	(*on_exit)(struct proc *, int status, void *arg);
};

/*
 * Start argv[0] (a path, or a name searched in PATH from spec->env, or
 * "/bin:/usr/bin" without one, as execvpe(3) does; a file without a #!
 * line runs under /bin/sh) in spec->cwd with exactly spec->env. The child
 * starts with every signal at its default disposition and unblocked and
 * no descriptor open above 2. If exec fails (or chdir), the child writes
 * "guild: CMD: strerror" to its stderr and exits with status 127 (unless
 * spec->exec_cause). Errors the parent can see (no pty, no fork, cwd not
 * a directory) return NULL with *cause set. Hooks may be NULL; they are
 * copied. In PROC_INHERIT mode nothing is read: on_exit comes at the reap.
 */
struct proc	*proc_spawn(struct loop *, const struct proc_spec *,
		    const struct proc_hooks *, void *arg, char **cause);

/*
 * Send signo to the child's process group (to the child alone if it has
 * not made its group yet). Allowed until on_exit; -1 with errno set
 * (ESRCH once finished).
 */
int		 proc_kill(struct proc *, int signo);
/* Set the PTY window size (TIOCSWINSZ: the child gets SIGWINCH). */
int		 proc_resize(struct proc *, unsigned short rows,
		    unsigned short cols);
/*
 * Queue bytes for the child's terminal (keys typed by the user): never
 * blocks, flushed as the PTY accepts them. -1 with errno EPIPE once the
 * terminal is closed or in PROC_PIPES mode (stdin is /dev/null).
 */
int		 proc_write(struct proc *, const void *, size_t);
pid_t		 proc_pid(const struct proc *);
/* Whether on_exit has been called. */
bool		 proc_done(const struct proc *);
/*
 * Free the proc. If the child has not been reaped yet, its process group
 * gets SIGTERM and its status will be discarded. NULL is allowed.
 */
void		 proc_free(struct proc *);

/*
 * Run spec's child to its end, blocking the program meanwhile: a
 * command's own foreground child (a pager, an editor, diff, a pipeline's
 * step). Our stdout and stderr are flushed first. It uses a loop of its
 * own, so no other loop may own the signals at the time (the view, which
 * has one, uses proc_spawn). hooks->on_data gets the output in PROC_PTY
 * and PROC_PIPES modes; on_exit is not called. Returns 0 with *code its
 * exit code, or -1 with *cause set if it could not be started; *code is
 * then 127 if the program could not be executed (a shell's status for
 * that: "cannot run 'CMD': strerror"), else 1.
 */
int		 proc_run(const struct proc_spec *, const struct proc_hooks *,
		    void *arg, int *code, char **cause);
/*
 * SIGINT and SIGQUIT, 0-terminated: what to ignore, as system(3) does,
 * while a PROC_INHERIT child has the terminal (its Ctrl-C is for the
 * child; the caller cleans up after).
 */
extern const int proc_terminal_signals[];

/*
 * Become a daemon: fork, start a new session, fork again, so the process
 * that goes on has no terminal and can never get one; its stdin, stdout
 * and stderr are /dev/null. Returns 0 in that process, which closes
 * *ready once it has taken its work over; 1 in the caller, once *ready
 * is closed (or the daemon is gone); -1 with *cause set. Called before
 * any loop watches children (it waits for the middle process itself).
 */
int		 proc_detach(int *ready, char **cause);

/*
 * Become another program: execv(path, argv) with our descriptors, signal
 * dispositions and environment, after flushing stdio (guild view becomes
 * guild-view so). Returns only on failure: -1 with *cause "cannot run
 * 'PATH': strerror".
 */
int		 proc_exec_replace(const char *path, char *const argv[],
		    char **cause);

/*
 * The exit code (Guild's exit_status) for a wait status: the exit
 * status, or minus the signal number that killed it.
 */
int		 proc_exit_code(int status);
/*
 * The status a shell reports for an exit code: code itself, or 128 + N
 * for a death by signal N (-N). What guild exits with when it passes a
 * child's end on.
 */
int		 proc_shell_status(int code);

#endif
