/* test-runops.c: delete, restore, purge, stop, label, tags, mark. */
#include "common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "home.h"
#include "regex.h"
#include "run.h"
#include "runops.h"
#include "strbuf.h"
#include "strvec.h"
#include "tap.h"
#include "util.h"
#include "value.h"

static struct run *
make_run(const struct guild_home *home, const char *id)
{
	struct opref	 ref;
	struct run	*run;
	char		*cause = NULL;

	ref.pkg_type = xstrdup("guildfile");
	ref.pkg_name = xstrdup("/p/guild.yml");
	ref.pkg_version = xstrdup("x");
	ref.model = xstrdup("m");
	ref.op = xstrdup("train");

	if ((run = run_create(home->runs, id, &cause)) == NULL ||
	    run_opref_write(run, &ref, &cause) == -1) {
		diag("make_run: %s", cause);
		free(cause);
	}
	opref_clear(&ref);
	return run;
}

static char *
attr_text(const struct run *run, const char *name)
{
	struct value	*v = NULL;
	struct strbuf	 sb = STRBUF_INIT;

	if (run_attr_read(run, name, &v, NULL) == -1 || v == NULL)
		return NULL;
	value_format_flag(&sb, v);
	value_free(v);
	return strbuf_detach(&sb, NULL);
}

static void
test_trash(const struct guild_home *home)
{
	const char	*id = "aaaa0000aaaa0000aaaa0000aaaa0000";
	struct run	*run = make_run(home, id);
	char		*cause = NULL, *p;
	int		 rc;

	run_free(run);
	is_int(run_trash(home, id, &cause), 0, "trash");
	p = path_join(home->trash, id);
	ok(path_is_dir(p), "in the trash");
	free(p);
	p = path_join(home->runs, id);
	ok(!path_exists(p), "gone from runs");
	free(p);

	/* A second run with the same id: the old trashed one moves aside. */
	run_free(make_run(home, id));
	is_int(run_trash(home, id, &cause), 0, "trash again with the same id");
	{
		struct strvec	ids = STRVEC_INIT;
		size_t		i, aside = 0;

		run_list(home->trash, &ids, NULL);
		for (i = 0; i < ids.n; i++)
			if (strncmp(ids.v[i], id, 32) == 0 &&
			    ids.v[i][32] == '_')
				aside++;
		is_int(aside, 1, "the earlier one moved aside");
		strvec_clear(&ids);
	}

	is_int(run_restore(home, id, &cause), 0, "restore");
	p = path_join(home->runs, id);
	ok(path_is_dir(p), "back in runs");
	free(p);

	run_free(make_run(home, "bbbb"));
	rc = run_trash(home, "bbbb", NULL);
	run_free(make_run(home, "bbbb"));
	rc = run_restore(home, "bbbb", &cause);
	is_int(rc, -1, "restore over an existing run fails");
	ok(cause != NULL && strstr(cause, "exists") != NULL, "says why: %s",
	    cause ? cause : "(null)");
	free(cause);
	cause = NULL;

	is_int(run_purge(home, "bbbb", &cause), 0, "purge");
	p = path_join(home->trash, "bbbb");
	ok(!path_exists(p), "purged");
	free(p);
	is_int(run_purge(home, "bbbb", &cause), -1, "purge of a missing run");
	free(cause);
	cause = NULL;
	is_int(run_remove(home, "bbbb", &cause), 0, "remove");
	is_int(run_trash(home, "../x", &cause), -1, "ids cannot be paths");
	free(cause);
}

static void
test_attrs(const struct guild_home *home)
{
	struct run	*run = make_run(home, "cccc");
	struct strvec	 tags = STRVEC_INIT, got = STRVEC_INIT;
	char		*cause = NULL, *t;

	is_int(run_set_label(run, "best lr=0.1", &cause), 0, "set label");
	t = attr_text(run, "label");
	is_str(t, "best lr=0.1", "label written");
	free(t);
	is_int(run_set_label(run, "", &cause), 0, "clear label");
	t = attr_text(run, "label");
	ok(t == NULL, "label removed");
	free(t);

	strvec_push(&tags, "a");
	strvec_push(&tags, "b c");
	is_int(run_set_tags(run, &tags, &cause), 0, "set tags");
	is_int(run_get_tags(run, &got, &cause), 0, "get tags");
	is_int(got.n, 2, "two tags");
	is_str(got.n == 2 ? got.v[1] : NULL, "b c", "second tag");
	strvec_clear(&got);
	strvec_clear(&tags);
	is_int(run_set_tags(run, &tags, &cause), 0, "clear tags");
	run_get_tags(run, &got, NULL);
	is_int(got.n, 0, "no tags");

	is_int(run_set_marked(run, true, &cause), 0, "mark");
	t = attr_text(run, "marked");
	is_str(t, "yes", "marked: true");
	free(t);
	is_int(run_set_marked(run, false, &cause), 0, "unmark");
	t = attr_text(run, "marked");
	ok(t == NULL, "marked removed");
	free(t);
	run_free(run);
}

/*
 * A child in a process group of its own that waits for signals, ignoring
 * SIGTERM when asked; returns once the child is ready (however long the
 * machine takes to run it), so no signal reaches it half set up.
 */
static pid_t
fork_waiter(bool ignore_term)
{
	pid_t	pid;
	int	fds[2];
	char	c;

	if (pipe(fds) == -1)
		return -1;
	if ((pid = fork()) == 0) {
		close(fds[0]);
		setsid();
		if (ignore_term)
			signal(SIGTERM, SIG_IGN);
		if (write(fds[1], "r", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(fds[1]);
	if (pid == -1 || read(fds[0], &c, 1) != 1)
		diag("fork_waiter: the child did not start");
	close(fds[0]);
	return pid;
}

static void
test_stop(const struct guild_home *home)
{
	struct run	*run = make_run(home, "dddd");
	char		*cause = NULL;
	pid_t		 pid, stopper;
	int		 status;

	is_int(run_signal(run, SIGTERM, &cause), -1, "not running");
	ok(cause != NULL && strstr(cause, "not running") != NULL,
	    "says so: %s", cause ? cause : "(null)");
	free(cause);
	cause = NULL;

	pid = fork_waiter(false);
	run_lock_write(run, pid, NULL);
	ok(run_lock_alive(run), "the process is alive");
	/*
	 * run_stop waits for the lock process, and then for its parent (we
	 * are its supervisor here) to record the end: it returns with LOCK
	 * cleared. A generous timeout: on a loaded machine all this can be
	 * slow.
	 */
	if ((stopper = fork()) == 0) {
		char	*c = NULL;
		int	 rc = run_stop(run, 120000, false, &c);

		_exit(rc == 0 && run_lock_pid(run) == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	    "stop sent SIGTERM to the process group");
	/* As a supervisor does, a while after the reap: the end recorded. */
	usleep(200000);
	run_lock_clear(run, NULL);
	waitpid(stopper, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "run_stop saw it go, and its supervisor record the end");

	/* A process that ignores TERM: force kills it. */
	pid = fork_waiter(true);
	run_lock_write(run, pid, NULL);
	if (fork() == 0) {
		char	*c = NULL;
		int	 rc = run_stop(run, 200, false, &c);

		_exit(rc == -1 && c != NULL && strstr(c, "did not stop") ?
		    0 : 1);
	}
	wait(&status);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "without force, a stubborn run is an error");
	if (fork() == 0) {
		char	*c = NULL;

		_exit(run_stop(run, 200, true, &c) == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	    "force sends SIGKILL");
	run_lock_clear(run, NULL);
	wait(&status);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "run_stop with force succeeds");
	run_free(run);
}

static void
test_regex(void)
{
	struct regex	*re;
	char		*cause = NULL;
	size_t		 s, e;

	re = regex_new("tr[a-z]+", REGEX_SMARTCASE, &cause);
	ok(re != NULL, "compile");
	ok(regex_match(re, "fashion:TRAIN", 13), "smart case: lower is "
	    "case-insensitive");
	ok(regex_search(re, "a train b", 9, 0, &s, &e) && s == 2 && e == 7,
	    "search gives the match");
	ok(!regex_search(re, "a train b", 9, 3, &s, &e), "from an offset");
	ok(regex_match(re, "x\xff train", 9), "invalid UTF-8 does not "
	    "stop a match");
	regex_free(re);
	re = regex_new("Train", REGEX_SMARTCASE, NULL);
	ok(!regex_match(re, "train", 5), "smart case: upper is exact");
	regex_free(re);
	re = regex_new("a.b", REGEX_LITERAL, NULL);
	ok(!regex_match(re, "axb", 3) && regex_match(re, "a.b", 3),
	    "literal");
	regex_free(re);
	re = regex_new("(", 0, &cause);
	ok(re == NULL && cause != NULL && strstr(cause, "offset") != NULL,
	    "a bad pattern: %s", cause ? cause : "(null)");
	free(cause);
}

int
main(void)
{
	struct guild_home	*home;
	char			 tmpl[] = "/tmp/test-runops.XXXXXX";
	char			*dir, *cause = NULL;

	if ((dir = mkdtemp(tmpl)) == NULL)
		return 1;
	home = home_new(dir, &cause);
	home_ensure(home, &cause);
	test_trash(home);
	test_attrs(home);
	test_stop(home);
	test_regex();
	rm_rf(dir, NULL);
	home_free(home);
	return done_testing();
}
