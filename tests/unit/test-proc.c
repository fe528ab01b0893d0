/* test-proc.c: children in pseudo-terminals and with pipes; terminal modes. */
#include "common.h"

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
#include "tap.h"
#include "term.h"
#include "util.h"

/* Generous: the suite may run on a loaded two-core machine. */
#define DEADLINE_MS	60000

struct cap {
	struct strbuf	 out[2];
	int		 status;
	int		 done;
	int		 data_after_exit;
	size_t		 len_at_exit;
	int		 free_on_data;
	int		 free_on_exit;
	struct proc	*p;
};

static void
cap_init(struct cap *c)
{
	memset(c, 0, sizeof *c);
	strbuf_init(&c->out[0]);
	strbuf_init(&c->out[1]);
	c->status = -1;
}

static void
cap_release(struct cap *c)
{
	strbuf_release(&c->out[0]);
	strbuf_release(&c->out[1]);
}

static void
on_data(struct proc *p, const char *buf, size_t len, int stream, void *arg)
{
	struct cap	*c = arg;

	if (c->done)
		c->data_after_exit = 1;
	strbuf_add(&c->out[stream], buf, len);
	if (c->free_on_data) {
		proc_free(p);
		c->p = NULL;
		c->done = 1;
	}
}

static void
on_exit_cb(struct proc *p, int status, void *arg)
{
	struct cap	*c = arg;

	c->status = status;
	c->done = 1;
	c->len_at_exit = c->out[0].len + c->out[1].len;
	if (c->free_on_exit) {
		proc_free(p);
		c->p = NULL;
	}
}

static const struct proc_hooks hooks = {
	.on_data = on_data,
	.on_exit = on_exit_cb,
};

/* Run the loop until *flag is set or the deadline passes. */
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

/* Run until stream 0 holds needle. */
static bool
run_until_output(struct loop *loop, struct cap *c, const char *needle)
{
	uint64_t	end = mono_ms() + DEADLINE_MS;

	while (strstr(c->out[0].buf, needle) == NULL && !c->done &&
	    mono_ms() < end) {
		if (loop_run_once(loop, 100) == -1)
			return false;
	}
	return strstr(c->out[0].buf, needle) != NULL;
}

static struct proc *
spawn_argv(struct loop *loop, struct cap *c, enum proc_mode mode,
    const char *const *argv, const char *const *env, const char *cwd)
{
	struct proc_spec	 spec = {
		.argv = argv, .env = env, .cwd = cwd, .mode = mode,
		.rows = 33, .cols = 77,
	};
	char			*cause = NULL;

	cap_init(c);
	c->p = proc_spawn(loop, &spec, &hooks, c, &cause);
	if (c->p == NULL) {
		diag("proc_spawn: %s", cause);
		free(cause);
	}
	return c->p;
}

static struct proc *
spawn_sh(struct loop *loop, struct cap *c, const char *script)
{
	const char *const	argv[] = { "/bin/sh", "-c", script, NULL };

	return spawn_argv(loop, c, PROC_PTY, argv, NULL, NULL);
}

/* Whether pid is gone (or a zombie nobody reaped yet). */
static bool
pid_dead(pid_t pid)
{
	char	*path, state = 0;
	FILE	*f;
	int	 n;

	if (kill(pid, 0) == -1 && errno == ESRCH)
		return true;
	path = xasprintf("/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return true;
	n = fscanf(f, "%*d (%*[^)]) %c", &state);
	fclose(f);
	return n == 1 && (state == 'Z' || state == 'X');
}

/* Wait (boundedly) for pid to die. */
static bool
pid_gone(long pid)
{
	uint64_t	end = mono_ms() + DEADLINE_MS;

	if (pid <= 0)
		return false;
	while (!pid_dead((pid_t)pid) && mono_ms() < end)
		usleep(10000);
	return pid_dead((pid_t)pid);
}

static void
test_basic(struct loop *loop)
{
	struct cap	c;

	spawn_sh(loop, &c, "printf hello; exit 3");
	ok(c.p != NULL && proc_pid(c.p) > 0, "spawned");
	ok(run_until(loop, &c.done), "exit callback");
	is_str(c.out[0].buf, "hello", "output");
	ok(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 3, "exit status 3");
	is_int(proc_exit_code(c.status), 3, "exit code 3");
	is_int((long long)c.len_at_exit, 5, "all output came before the exit");
	ok(proc_done(c.p), "proc_done");
	errno = 0;
	ok(proc_kill(c.p, SIGTERM) == -1 && errno == ESRCH,
	    "no kill once finished");
	ok(proc_write(c.p, "x", 1) == -1 && errno == EPIPE,
	    "no write once finished");
	proc_free(c.p);
	cap_release(&c);
	ok(!loop_alive(loop), "nothing left in the loop");
}

static void
test_big_output(struct loop *loop)
{
	struct cap	 c;
	struct strbuf	 want = STRBUF_INIT;
	size_t		 i, bad = 0;
	int		 n;

	spawn_sh(loop, &c, "head -c 1048576 /dev/zero | tr '\\000' x; exit 5");
	ok(run_until(loop, &c.done), "1 MB then exit: finished");
	is_int((long long)c.out[0].len, 1048576, "every byte arrived");
	for (i = 0; i < c.out[0].len; i++)
		bad += c.out[0].buf[i] != 'x';
	is_int((long long)bad, 0, "and intact");
	is_int(proc_exit_code(c.status), 5, "exit 5");
	ok(!c.data_after_exit, "no data after the exit callback");
	proc_free(c.p);
	cap_release(&c);

	/*
	 * The child finishes writing and exits while we are not reading:
	 * the tail must still come before the exit callback.
	 */
	spawn_sh(loop, &c, "seq 1 20000");
	usleep(200000);
	ok(run_until(loop, &c.done), "seq: finished");
	for (n = 1; n <= 20000; n++)
		strbuf_addf(&want, "%d\r\n", n);
	ok(c.out[0].len == want.len &&
	    memcmp(c.out[0].buf, want.buf, want.len) == 0,
	    "seq 1 20000 arrives whole and in order (%zu bytes)", want.len);
	is_int((long long)c.len_at_exit, (long long)want.len,
	    "all of it before the exit callback");
	proc_free(c.p);
	cap_release(&c);
	strbuf_release(&want);
}

static void
test_tty(struct loop *loop)
{
	struct cap	c;

	spawn_sh(loop, &c, "test -t 0 && test -t 1 && test -t 2 && echo tty");
	ok(run_until(loop, &c.done), "isatty: finished");
	is_str(c.out[0].buf, "tty\r\n", "stdin, stdout, stderr are a tty");
	is_int(proc_exit_code(c.status), 0, "exit 0");
	proc_free(c.p);
	cap_release(&c);

	spawn_sh(loop, &c, "stty size; read x; stty size");
	ok(run_until_output(loop, &c, "33 77\r\n"), "initial size 33x77");
	is_int(proc_resize(c.p, 40, 100), 0, "resize");
	is_int(proc_write(c.p, "\n", 1), 0, "write a newline");
	ok(run_until(loop, &c.done), "resize: finished");
	if (!ok(strstr(c.out[0].buf, "40 100\r\n") != NULL, "new size seen"))
		diag("output: %s", c.out[0].buf);
	proc_free(c.p);
	cap_release(&c);

	spawn_sh(loop, &c, "read x; echo got:$x");
	is_int(proc_write(c.p, "hello\n", 6), 0, "keys queued");
	ok(run_until(loop, &c.done), "read: finished");
	ok(strstr(c.out[0].buf, "got:hello\r\n") != NULL,
	    "proc_write reaches the child's stdin");
	proc_free(c.p);
	cap_release(&c);

	/* The child's own signal setup: default dispositions, unblocked. */
	signal(SIGINT, SIG_IGN);
	spawn_sh(loop, &c, "kill -INT $$; echo survived");
	ok(run_until(loop, &c.done), "signal: finished");
	signal(SIGINT, SIG_DFL);
	ok(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGINT,
	    "our ignored SIGINT is back to default in the child");
	is_int(proc_exit_code(c.status), -SIGINT, "exit code -SIGINT");
	proc_free(c.p);
	cap_release(&c);
}

static void
test_kill_group(struct loop *loop)
{
	struct cap	 c;
	long		 gpid = 0;
	char		*nl;

	spawn_sh(loop, &c, "sleep 100 & echo $!; wait");
	ok(run_until_output(loop, &c, "\n"), "grandchild started");
	nl = strchr(c.out[0].buf, '\n');
	if (nl != NULL)
		gpid = strtol(c.out[0].buf, NULL, 10);
	ok(gpid > 0, "grandchild pid %ld", gpid);
	is_int(proc_kill(c.p, SIGTERM), 0, "SIGTERM to the group");
	ok(run_until(loop, &c.done), "finished");
	ok(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGTERM,
	    "the child died of SIGTERM");
	ok(pid_gone(gpid), "the grandchild died too");
	proc_free(c.p);
	cap_release(&c);
}

static void
test_exec(struct loop *loop)
{
	const char *const	 bad[] = { "/nonexistent/cmd", NULL };
	const char *const	 nopath[] = { "no-such-command-xyz", "a", NULL };
	const char *const	 sh[] = { "sh", "-c", "echo $FOO; pwd", NULL };
	const char *const	 env[] = { "PATH=/nonexistent:/usr/bin:/bin",
				     "FOO=bar", NULL };
	const char *const	 empty[] = { NULL };
	struct proc_spec	 spec = { .argv = empty };
	struct cap		 c;
	char			 dir[] = "/tmp/test-proc.XXXXXX";
	char			*file, *cause = NULL;
	const char		*argv[2];
	struct loop		*none = loop_new();

	spawn_argv(loop, &c, PROC_PTY, bad, NULL, NULL);
	ok(run_until(loop, &c.done), "exec failure: finished");
	is_int(proc_exit_code(c.status), 127, "exit 127");
	is_str(c.out[0].buf,
	    "guild: /nonexistent/cmd: No such file or directory\r\n",
	    "and a message on the terminal");
	proc_free(c.p);
	cap_release(&c);

	spawn_argv(loop, &c, PROC_PTY, nopath, env, NULL);
	ok(run_until(loop, &c.done), "PATH miss: finished");
	is_int(proc_exit_code(c.status), 127, "exit 127");
	is_str(c.out[0].buf,
	    "guild: no-such-command-xyz: No such file or directory\r\n",
	    "PATH miss message");
	proc_free(c.p);
	cap_release(&c);

	spawn_argv(loop, &c, PROC_PTY, sh, env, "/");
	ok(run_until(loop, &c.done), "PATH hit: finished");
	is_str(c.out[0].buf, "bar\r\n/\r\n",
	    "found in the given PATH, with the given env and cwd");
	proc_free(c.p);
	cap_release(&c);

	if (mkdtemp(dir) == NULL)
		abort();
	file = xasprintf("%s/script", dir);
	if (write_file_atomic(file, "echo no-shebang\n", 16, NULL) == -1)
		abort();
	argv[0] = file;
	argv[1] = NULL;
	chmod(file, 0644);
	spawn_argv(loop, &c, PROC_PTY, argv, NULL, NULL);
	ok(run_until(loop, &c.done), "not executable: finished");
	is_int(proc_exit_code(c.status), 127, "exit 127");
	if (!ok(strstr(c.out[0].buf, ": Permission denied\r\n") != NULL,
	    "permission denied"))
		diag("output: %s", c.out[0].buf);
	proc_free(c.p);
	cap_release(&c);

	chmod(file, 0755);
	spawn_argv(loop, &c, PROC_PTY, argv, NULL, NULL);
	ok(run_until(loop, &c.done), "no #!: finished");
	is_str(c.out[0].buf, "no-shebang\r\n", "a script without #! runs in sh");
	proc_free(c.p);
	cap_release(&c);

	spawn_argv(loop, &c, PROC_PTY, argv, NULL, file);
	ok(c.p == NULL, "cwd not a directory: refused");
	cap_release(&c);
	unlink(file);
	rmdir(dir);
	free(file);

	c.p = proc_spawn(none, &spec, &hooks, NULL, &cause);
	ok(c.p == NULL && cause != NULL &&
	    strcmp(cause, "no command to run") == 0, "empty argv: %s", cause != NULL ? cause : "(none)");
	free(cause);
	loop_free(none);
}

static void
test_grandchildren(struct loop *loop)
{
	const char *const	 stray[] = { "/bin/sh", "-c",
				    "sleep 600 & echo parent-done", NULL };
	const char *const	 bgjob[] = { "/bin/sh", "-c",
				    "sleep 30 & echo $!", NULL };
	const char *const	 late[] = { "/bin/sh", "-c", "trap '' HUP; "
				    "(sleep 0.3; echo late) & echo early", NULL };
	/*
	 * A grace period longer than run_until's deadline: what must end
	 * without one, or must come however slow the machine, is checked
	 * without the grace period getting in the way.
	 */
	const unsigned		 long_grace = 2 * DEADLINE_MS;
	const char *const	 chatty[] = { "/bin/sh", "-c", "trap '' HUP; "
				    "while :; do echo tick; sleep 0.2; done & "
				    "echo started", NULL };
	struct proc_spec	 spec = { .mode = PROC_PTY };
	struct cap		 c;
	uint64_t		 start;

	/*
	 * When the child (the terminal's controlling process) exits, its
	 * group gets SIGHUP, as when a terminal is closed: a background job
	 * that does not ignore it goes too, and the end comes at once.
	 */
	start = mono_ms();
	spec.argv = bgjob;
	spec.grace_ms = spec.grace_max_ms = long_grace;
	cap_init(&c);
	c.p = proc_spawn(loop, &spec, &hooks, &c, NULL);
	ok(run_until(loop, &c.done), "background job: finished");
	ok(mono_ms() - start < long_grace, "without a grace period");
	ok(pid_gone(strtol(c.out[0].buf, NULL, 10)),
	    "the background job got SIGHUP");
	proc_free(c.p);
	cap_release(&c);

	/* A grandchild that ignores SIGHUP, writing after the child is gone. */
	spec.argv = late;
	cap_init(&c);
	c.p = proc_spawn(loop, &spec, &hooks, &c, NULL);
	ok(run_until(loop, &c.done), "late grandchild: finished");
	is_str(c.out[0].buf, "early\r\nlate\r\n",
	    "output until the last holder of the terminal closes it");
	is_int(proc_exit_code(c.status), 0, "exit 0");
	proc_free(c.p);
	cap_release(&c);

	/* One that keeps the terminal open and stays silent. */
	start = mono_ms();
	spawn_sh(loop, &c, "trap '' HUP; sleep 600 & echo parent-done");
	ok(run_until(loop, &c.done), "stray grandchild: finished");
	diag("finished after %llu ms", (unsigned long long)(mono_ms() - start));
	ok(mono_ms() - start >= PROC_GRACE_MS, "after the grace period");
	ok(mono_ms() - start < 300000, "without waiting for the grandchild");
	is_str(c.out[0].buf, "parent-done\r\n", "output kept");
	is_int(proc_exit_code(c.status), 0, "exit 0");
	kill(-proc_pid(c.p), SIGKILL);
	proc_free(c.p);
	cap_release(&c);
	ok(!loop_alive(loop), "nothing left in the loop");

	/* One that keeps talking: the overall cap ends it. */
	start = mono_ms();
	spec.argv = chatty;
	spec.grace_ms = 1000;
	spec.grace_max_ms = 1500;
	cap_init(&c);
	c.p = proc_spawn(loop, &spec, &hooks, &c, NULL);
	ok(run_until(loop, &c.done), "chatty grandchild: finished");
	diag("finished after %llu ms", (unsigned long long)(mono_ms() - start));
	ok(mono_ms() - start >= 1500, "after the overall cap");
	ok(strstr(c.out[0].buf, "started\r\n") != NULL &&
	    strstr(c.out[0].buf, "tick\r\n") != NULL,
	    "its output until then was kept");
	kill(-proc_pid(c.p), SIGKILL);
	proc_free(c.p);
	cap_release(&c);

	/* With pipes nobody gets SIGHUP: the grace period ends it too. */
	start = mono_ms();
	spawn_argv(loop, &c, PROC_PIPES, stray, NULL, NULL);
	ok(run_until(loop, &c.done), "pipes, stray grandchild: finished");
	ok(mono_ms() - start < 300000, "without waiting for the grandchild");
	is_str(c.out[0].buf, "parent-done\n", "output kept");
	kill(-proc_pid(c.p), SIGKILL);
	proc_free(c.p);
	cap_release(&c);
}

#define NKIDS	20

static void
test_many(struct loop *loop)
{
	struct cap	 c[NKIDS];
	char		 num[NKIDS][16];
	const char	*argv[NKIDS][6];
	char		 want[16];
	int		 i, good = 0, left;
	uint64_t	 end;

	for (i = 0; i < NKIDS; i++) {
		snprintf(num[i], sizeof num[i], "%d", i);
		argv[i][0] = "/bin/sh";
		argv[i][1] = "-c";
		argv[i][2] = "printf %s \"$1\"; exit \"$1\"";
		argv[i][3] = "sh";
		argv[i][4] = num[i];
		argv[i][5] = NULL;
		spawn_argv(loop, &c[i], i % 2 ? PROC_PIPES : PROC_PTY,
		    argv[i], NULL, NULL);
		c[i].free_on_exit = 1;
	}
	end = mono_ms() + DEADLINE_MS;
	for (left = NKIDS; left > 0;) {
		if (mono_ms() > end || loop_run_once(loop, 100) == -1)
			break;
		for (left = i = 0; i < NKIDS; i++)
			left += !c[i].done;
	}
	for (i = 0; i < NKIDS; i++) {
		snprintf(want, sizeof want, "%d", i);
		if (c[i].done && c[i].p == NULL &&
		    proc_exit_code(c[i].status) == i &&
		    strcmp(c[i].out[0].buf, want) == 0)
			good++;
		else
			diag("child %d: done %d status %d out [%s]", i,
			    c[i].done, c[i].status, c[i].out[0].buf);
		cap_release(&c[i]);
	}
	is_int(good, NKIDS, "%d children at once, each with its own status",
	    NKIDS);
	ok(!loop_alive(loop), "all freed from their exit callbacks");
}

static void
test_pipes(struct loop *loop)
{
	const char *const	argv[] = { "/bin/sh", "-c",
				    "echo out; echo err >&2; test -t 0 || "
				    "echo notty; read x || echo eof; exit 2", NULL };
	struct cap		c;

	spawn_argv(loop, &c, PROC_PIPES, argv, NULL, NULL);
	ok(c.p != NULL, "pipe mode spawned");
	errno = 0;
	ok(proc_write(c.p, "x\n", 2) == -1 && errno == EPIPE,
	    "no stdin to write to");
	ok(proc_resize(c.p, 10, 10) == -1, "no window to resize");
	ok(run_until(loop, &c.done), "pipes: finished");
	is_str(c.out[0].buf, "out\nnotty\neof\n", "stdout as stream 0");
	is_str(c.out[1].buf, "err\n", "stderr as stream 1");
	is_int(proc_exit_code(c.status), 2, "exit 2");
	proc_free(c.p);
	cap_release(&c);
}

static void
test_free_early(struct loop *loop)
{
	struct cap	c;
	pid_t		pid;

	spawn_sh(loop, &c, "while :; do echo spam; done");
	c.free_on_data = 1;
	pid = proc_pid(c.p);
	ok(run_until(loop, &c.done), "data arrived");
	ok(c.p == NULL && !loop_alive(loop),
	    "proc_free from on_data removes it from the loop");
	ok(pid_gone(pid), "and the child was terminated");
	/* Let the loop reap it. */
	loop_run_once(loop, 100);
	cap_release(&c);
}

static void
test_merge_err(struct loop *loop)
{
	const char *const	argv[] = { "/bin/sh", "-c",
				    "echo a; echo b >&2; echo c", NULL };
	struct proc_spec	spec = {
		.argv = argv, .mode = PROC_PIPES, .merge_err = true,
	};
	struct cap		c;
	char			*cause = NULL;

	cap_init(&c);
	c.p = proc_spawn(loop, &spec, &hooks, &c, &cause);
	ok(c.p != NULL, "merge_err spawned");
	ok(run_until(loop, &c.done), "merge_err: finished");
	is_str(c.out[0].buf, "a\nb\nc\n", "stderr joins stdout in order");
	is_str(c.out[1].buf, "", "nothing as stream 1");
	proc_free(c.p);
	cap_release(&c);
	free(cause);
}

static void
cap_data(struct proc *p, const char *buf, size_t len, int stream, void *arg)
{
	struct cap	*c = arg;

	(void)p;
	strbuf_add(&c->out[stream], buf, len);
}

static const struct proc_hooks run_hooks = { .on_data = cap_data };

/* proc_run() of "sh -c script" in mode; its exit code, or -1000. */
static int
run_sh(enum proc_mode mode, const char *script, struct cap *c)
{
	const char *const	 argv[] = { "/bin/sh", "-c", script, NULL };
	struct proc_spec	 spec = { .argv = argv, .mode = mode };
	char			*cause = NULL;
	int			 code;

	cap_init(c);
	if (proc_run(&spec, &run_hooks, c, &code, &cause) == -1) {
		diag("proc_run: %s", cause);
		free(cause);
		return -1000;
	}
	return code;
}

/* Run spec with our stdout going to a file; that file's text in *out. */
static int
run_to_file(const struct proc_spec *spec, struct strbuf *out, int *code,
    char **cause)
{
	char	 path[] = "/tmp/test-proc-out.XXXXXX";
	int	 fd, saved, rc;

	fflush(stdout);
	if ((fd = mkstemp(path)) == -1 || (saved = dup(STDOUT_FILENO)) == -1)
		abort();
	dup2(fd, STDOUT_FILENO);
	close(fd);
	rc = proc_run(spec, NULL, NULL, code, cause);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	strbuf_reset(out);
	if (strbuf_read_file(out, path, NULL) == -1)
		abort();
	unlink(path);
	return rc;
}

/* proc_run(): waited for, with its own loop; no other loop may be alive. */
static void
test_run(void)
{
	const char *const	 bad[] = { "/nonexistent/cmd", NULL };
	const char *const	 cat[] = { "cat", NULL };
	const char *const	 quit[] = { "/bin/sh", "-c", "exit 4", NULL };
	const char *const	 pgrp[] = { "/bin/sh", "-c",
				     "read a b c d e rest < /proc/$$/stat; "
				     "echo $e", NULL };
	const char *const	 fwd[] = { "/bin/sh", "-c",
				     "trap 'echo got; exit 7' USR1; "
				     "kill -USR1 $PPID; "
				     "while :; do sleep 0.01; done", NULL };
	const char *const	 ign[] = { "/bin/sh", "-c",
				     "kill -USR2 $PPID; exit 5", NULL };
	const int		 usr1[] = { SIGUSR1, 0 };
	const int		 usr2[] = { SIGUSR2, 0 };
	struct proc_spec	 spec;
	struct strbuf		 out = STRBUF_INIT;
	struct cap		 c;
	char			*cause = NULL, *big;
	int			 code = 0, saved_in;

	is_int(run_sh(PROC_PIPES, "echo hi; echo oops >&2", &c), 0,
	    "run: exit 0");
	is_str(c.out[0].buf, "hi\n", "run: stdout to on_data");
	is_str(c.out[1].buf, "oops\n", "run: stderr to on_data");
	cap_release(&c);
	is_int(run_sh(PROC_PIPES, "exit 3", &c), 3, "run: exit code 3");
	cap_release(&c);
	is_int(run_sh(PROC_PTY, "echo tty; kill -TERM $$", &c), -SIGTERM,
	    "run: a death by SIGTERM is -15");
	is_str(c.out[0].buf, "tty\r\n", "run in a pty: its output");
	cap_release(&c);
	is_int(proc_shell_status(-SIGTERM), 128 + SIGTERM,
	    "shell status of -15 is 143");
	is_int(proc_shell_status(3), 3, "shell status of 3 is 3");
	is_int(proc_shell_status(0), 0, "shell status of 0 is 0");

	memset(&spec, 0, sizeof spec);
	spec.argv = bad;
	spec.mode = PROC_INHERIT;
	ok(proc_run(&spec, NULL, NULL, &code, &cause) == -1,
	    "run: exec failure fails");
	is_str(cause, "cannot run '/nonexistent/cmd': No such file or "
	    "directory", "run: the parent says why");
	is_int(code, 127, "run: code 127 for a program not run");
	free(cause);
	cause = NULL;
	spec.cwd = "/nonexistent";
	spec.argv = cat;
	ok(proc_run(&spec, NULL, NULL, &code, &cause) == -1 && code == 1,
	    "run: a bad cwd fails with code 1");
	free(cause);
	cause = NULL;

	/* PROC_INHERIT: our stdout, our process group, stdin as asked. */
	memset(&spec, 0, sizeof spec);
	spec.argv = cat;
	spec.mode = PROC_INHERIT;
	spec.input = "fed\nlines\n";
	spec.input_len = 10;
	ok(run_to_file(&spec, &out, &code, &cause) == 0 && code == 0,
	    "inherit: cat ran");
	is_str(out.buf, "fed\nlines\n", "inherit: input fed, output ours");
	spec.input = NULL;
	spec.null_input = true;
	ok(run_to_file(&spec, &out, &code, &cause) == 0 && code == 0,
	    "inherit: null input");
	is_str(out.buf, "", "inherit: stdin /dev/null");
	spec.argv = pgrp;
	spec.null_input = false;
	ok(run_to_file(&spec, &out, &code, &cause) == 0,
	    "inherit: reads its process group");
	ok(atol(out.buf) == (long)getpgrp(), "inherit: in our process group "
	    "(%ld, ours %ld)", atol(out.buf), (long)getpgrp());
	spec.null_output = true;
	ok(run_to_file(&spec, &out, &code, &cause) == 0 && code == 0,
	    "inherit: null output");
	is_str(out.buf, "", "inherit: stdout /dev/null");

	/* Our stdin closed: the child runs with it closed too. */
	spec.argv = pgrp;
	spec.null_output = false;
	if ((saved_in = dup(STDIN_FILENO)) == -1)
		abort();
	close(STDIN_FILENO);
	ok(run_to_file(&spec, &out, &code, &cause) == 0 && code == 0,
	    "inherit: runs with our stdin closed (exit %d)", code);
	dup2(saved_in, STDIN_FILENO);
	close(saved_in);

	/* A child that reads nothing does not kill us with SIGPIPE. */
	big = xmalloc(1 << 20);
	memset(big, 'x', 1 << 20);
	spec.argv = quit;
	spec.null_output = false;
	spec.input = big;
	spec.input_len = 1 << 20;
	signal(SIGPIPE, SIG_DFL);
	ok(proc_run(&spec, NULL, NULL, &code, &cause) == 0 && code == 4,
	    "inherit: unread input is dropped (exit %d)", code);
	signal(SIGPIPE, SIG_IGN);
	free(big);

	/* Signals passed on, and ignored, while waiting. */
	memset(&spec, 0, sizeof spec);
	spec.argv = fwd;
	spec.mode = PROC_PIPES;
	spec.forward = usr1;
	cap_init(&c);
	ok(proc_run(&spec, &run_hooks, &c, &code, &cause) == 0,
	    "forward: ran");
	is_int(code, 7, "forward: SIGUSR1 reached the child");
	is_str(c.out[0].buf, "got\n", "forward: its trap ran");
	cap_release(&c);
	spec.argv = ign;
	spec.forward = NULL;
	spec.ignore = usr2;
	ok(proc_run(&spec, NULL, NULL, &code, &cause) == 0 && code == 5,
	    "ignore: SIGUSR2 to us while waiting is harmless");
	strbuf_release(&out);
	free(cause);
}

/* proc_detach(): a daemon in a session of its own, no terminal. */
static void
test_detach(void)
{
	char	 dir[] = "/tmp/test-proc-detach.XXXXXX";
	char	*file, *cause = NULL;
	struct strbuf sb = STRBUF_INIT;
	long	 pid, sid;
	int	 ready, rc;

	if (mkdtemp(dir) == NULL)
		abort();
	file = xasprintf("%s/info", dir);
	rc = proc_detach(&ready, &cause);
	if (rc == 0) {
		char	*s, link[64] = "";

		if (readlink("/proc/self/fd/0", link, sizeof link - 1) == -1)
			link[0] = '\0';
		s = xasprintf("%ld %ld %s\n", (long)getpid(),
		    (long)getsid(0), link);
		write_file_atomic(file, s, strlen(s), NULL);
		close(ready);
		_exit(0);
	}
	ok(rc == 1, "detach: back in the caller");
	ok(strbuf_read_file(&sb, file, NULL) == 0,
	    "detach: the daemon was ready first");
	ok(sscanf(sb.buf, "%ld %ld", &pid, &sid) == 2, "detach: %s", sb.buf);
	ok(sid != (long)getsid(0), "detach: a session of its own");
	ok(pid != sid, "detach: not its leader (no terminal ever)");
	ok(strstr(sb.buf, " /dev/null\n") != NULL, "detach: stdin /dev/null");
	unlink(file);
	rmdir(dir);
	free(file);
	free(cause);
	strbuf_release(&sb);
}

static void
test_term(void)
{
	struct term_state	 ts = TERM_STATE_INIT;
	struct termios		 tio;
	struct winsize		 ws = { .ws_row = 30, .ws_col = 90 };
	unsigned short		 rows = 0, cols = 0;
	int			 master, slave, fd;
	char			*cause = NULL;

	if (openpty(&master, &slave, NULL, NULL, &ws) == -1) {
		ok(0, "openpty: %s", strerror(errno));
		return;
	}
	ok(term_get_size(slave, &rows, &cols) == 0 && rows == 30 && cols == 90,
	    "window size 30x90");
	is_int(term_raw(&ts, slave, &cause), 0, "raw mode");
	tcgetattr(slave, &tio);
	ok(!(tio.c_lflag & (ICANON | ECHO | ISIG)), "no line editing, echo, "
	    "signal keys");
	ok(tio.c_oflag & OPOST, "output processing kept");
	term_restore(&ts);
	tcgetattr(slave, &tio);
	ok((tio.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG),
	    "restored");
	tio.c_lflag = 0;
	term_restore(&ts);
	ok(tcgetattr(slave, &tio) == 0 &&
	    (tio.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG),
	    "restoring twice is harmless: still restored");
	close(master);
	close(slave);

	fd = open("/dev/null", O_RDONLY);
	is_int(term_raw(&ts, fd, &cause), -1, "raw mode needs a terminal");
	ok(cause != NULL && strncmp(cause, "not a terminal: ", 16) == 0,
	    "why: %s", cause != NULL ? cause : "(none)");
	ok(term_get_size(fd, &rows, &cols) == -1, "no size");
	free(cause);
	close(fd);
}

int
main(void)
{
	struct loop	*loop = loop_new();

	/* Our output is a pipe to the harness: do not die writing to it. */
	signal(SIGPIPE, SIG_IGN);
	test_basic(loop);
	test_big_output(loop);
	test_tty(loop);
	test_kill_group(loop);
	test_exec(loop);
	test_grandchildren(loop);
	test_many(loop);
	test_pipes(loop);
	test_free_early(loop);
	test_merge_err(loop);
	test_term();
	loop_free(loop);
	test_run();
	test_detach();
	return done_testing();
}
