/*
 * test-rundir.c: run directories are untrusted input. Reading a run file
 * never blocks and reads only regular files of bounded size; rm_rf never
 * follows a link out of what it removes, even one swapped in while it
 * runs; a purge racing a restore is all or nothing.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "home.h"
#include "run.h"
#include "runops.h"
#include "strbuf.h"
#include "tap.h"
#include "util.h"
#include "value.h"

static void
write_text(const char *path, const char *text)
{
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		diag("cannot write %s", path);
	if (fd != -1)
		close(fd);
}

static size_t
count_entries(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_read_regular(const char *tmp)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*a = path_join(tmp, "a"), *f = path_join(tmp, "fifo");
	char		*z = path_join(tmp, "zero"), *big = path_join(tmp, "big");
	char		*cause = NULL, *want;
	int		 fd;

	write_text(a, "hello\n");
	ok(file_read_regular(AT_FDCWD, a, FILE_NOFOLLOW, FILE_ATTR_MAX, &sb,
	    NULL, NULL) == 0 && strcmp(sb.buf, "hello\n") == 0,
	    "a regular file is read whole");

	/* A FIFO without a writer: refused at once, not waited on. */
	mkfifo(f, 0644);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "kept");
	ok(file_read_regular(AT_FDCWD, f, FILE_NOFOLLOW, FILE_ATTR_MAX, &sb,
	    NULL, &cause) == -1 && errno == EINVAL, "a FIFO is refused");
	want = xasprintf("%s: not a regular file", f);
	is_str(cause, want, "says why");
	free(want);
	is_str(sb.buf, "kept", "the buffer is left as it was");

	/* A link to /dev/zero: refused as a link, and as a device. */
	symlink("/dev/zero", z);
	ok(file_read_regular(AT_FDCWD, z, FILE_NOFOLLOW, FILE_ATTR_MAX, &sb,
	    NULL, NULL) == -1 && errno == EINVAL,
	    "a link to /dev/zero is refused (no follow)");
	ok(file_read_regular(AT_FDCWD, z, 0, 0, &sb, NULL, &cause) == -1 &&
	    errno == EINVAL, "and /dev/zero itself, unlimited, is refused");
	ok((fd = file_open_regular(AT_FDCWD, f, 0, NULL, NULL)) == -1,
	    "file_open_regular refuses a FIFO");

	/* A large (sparse) file: refused by its size, without reading it. */
	if ((fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1) {
		if (ftruncate(fd, 200 * 1024 * 1024) == -1)
			diag("ftruncate: %s", strerror(errno));
		close(fd);
	}
	ok(file_read_regular(AT_FDCWD, big, FILE_NOFOLLOW, FILE_ATTR_MAX, &sb,
	    NULL, &cause) == -1 && errno == EFBIG, "a 200 MB file is refused");
	want = xasprintf("%s: larger than %d bytes", big, FILE_ATTR_MAX);
	is_str(cause, want, "says why");
	free(want);
	is_str(sb.buf, "kept", "nothing was read into the buffer");
	ok(file_read_regular(AT_FDCWD, "nothing-here", 0, 0, &sb, NULL,
	    NULL) == -1 && errno == ENOENT, "a missing file is ENOENT");

	free(cause);
	strbuf_release(&sb);
	free(a);
	free(f);
	free(z);
	free(big);
}

/* The run readers of the core, on a run whose files are traps. */
static void
test_run_files(const char *tmp)
{
	struct run	*run;
	struct value	*v = (struct value *)1;
	char		*runs = path_join(tmp, "runs"), *p, *cause = NULL;
	long long	 n;

	if ((run = run_create(runs, "r1", NULL)) == NULL) {
		ok(false, "run_create");
		free(runs);
		return;
	}
	p = run_guild_path(run, "attrs/label");
	mkfifo(p, 0644);
	free(p);
	ok(run_attr_read(run, "label", &v, &cause) == -1 && v == NULL,
	    "a FIFO attr is an error, not a wait");
	ok(cause != NULL && strstr(cause, "label: not a regular file") !=
	    NULL, "naming the file: %s", cause);
	p = run_guild_path(run, "attrs/exit_status");
	symlink("/dev/zero", p);
	free(p);
	ok(!run_attr_int(run, "exit_status", &n),
	    "a link to /dev/zero is no exit status");
	p = run_guild_path(run, "LOCK");
	mkfifo(p, 0644);
	free(p);
	ok(run_lock_pid(run) == 0 && !run_lock_alive(run),
	    "a FIFO LOCK is no lock");
	run_marker_clear(run, RUN_MARKER_PENDING, NULL);
	is_str(run_status_name(run_get_status(run)), "error",
	    "the status of such a run is error");
	free(cause);
	run_free(run);
	free(runs);
}

/* A tree holding links out of it: rm_rf removes the links only. */
static void
test_rm_rf_links(const char *tmp)
{
	char	*out = path_join(tmp, "outside"), *vic = path_join(tmp, "victim");
	char	*p;

	mkdir(out, 0755);
	p = path_join(out, "keep");
	write_text(p, "keep\n");
	free(p);
	p = path_join(out, "inner");
	mkdir(p, 0755);
	free(p);
	p = path_join(out, "inner/x");
	write_text(p, "x\n");
	free(p);

	mkdir(vic, 0755);
	p = path_join(vic, "sub");
	mkdir(p, 0755);
	free(p);
	p = path_join(vic, "sub/deeper");
	mkdir(p, 0755);
	free(p);
	p = path_join(vic, "a");
	write_text(p, "a\n");
	free(p);
	p = path_join(vic, "to-outside");
	symlink(out, p);
	free(p);
	p = path_join(vic, "sub/to-keep");
	symlink("../../outside/keep", p);
	free(p);
	p = path_join(vic, "sub/deeper/to-inner");
	symlink(out, p);
	free(p);
	p = path_join(vic, "sub/fifo");
	mkfifo(p, 0644);
	free(p);

	ok(rm_rf(vic, NULL) == 0, "rm_rf a tree with links out of it");
	ok(!path_exists(vic), "the tree is gone");
	p = path_join(out, "keep");
	ok(path_is_file(p), "the file a link named is still there");
	free(p);
	p = path_join(out, "inner/x");
	ok(path_is_file(p), "the directory a link named is whole");
	free(p);

	/* rm_rf of a link to a directory removes the link. */
	p = path_join(tmp, "link");
	symlink(out, p);
	ok(rm_rf(p, NULL) == 0 && !path_exists(p) && count_entries(out) == 2,
	    "rm_rf of a link to a directory: the link only");
	free(p);
	free(vic);
	free(out);
}

/*
 * The attack: while rm_rf runs, a subdirectory is swapped for a link to
 * a directory outside, again and again. Nothing outside may go.
 */
static void
test_rm_rf_race(const char *tmp)
{
	enum { ROUNDS = 100, FILES = 20, OUTSIDE = 20 };
	char	*out = path_join(tmp, "race-outside");
	char	*vic = path_join(tmp, "race-victim");
	char	*sub = path_join(vic, "sub"), *hold = path_join(vic, "hold");
	char	*p;
	int	 round, i, lost = 0, swaps = 0;

	mkdir(out, 0755);
	for (i = 0; i < OUTSIDE; i++) {
		p = xasprintf("%s/f%d", out, i);
		write_text(p, "precious\n");
		free(p);
	}
	for (round = 0; round < ROUNDS; round++) {
		pid_t	pid;
		int	status;

		mkdir(vic, 0755);
		mkdir(sub, 0755);
		for (i = 0; i < FILES; i++) {
			p = xasprintf("%s/f%d", sub, i);
			write_text(p, "x\n");
			free(p);
		}
		if ((pid = fork()) == -1)
			break;
		if (pid == 0) {
			for (;;) {
				if (rename(sub, hold) == 0) {
					if (symlink(out, sub) == 0) {
						usleep(50);
						unlink(sub);
					}
					rename(hold, sub);
				} else if (!path_exists(vic))
					_exit(0);
			}
		}
		rm_rf(vic, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		/* What the racer left (a link, the held directory). */
		unlink(sub);
		rm_rf(vic, NULL);
		if (count_entries(out) != OUTSIDE) {
			lost++;
			for (i = 0; i < OUTSIDE; i++) {
				p = xasprintf("%s/f%d", out, i);
				write_text(p, "precious\n");
				free(p);
			}
		}
		swaps++;
	}
	is_int(swaps, ROUNDS, "%d rounds of rm_rf against a link swapper",
	    ROUNDS);
	is_int(lost, 0, "no round removed a file outside the tree");
	rm_rf(out, NULL);
	free(sub);
	free(hold);
	free(vic);
	free(out);
}

/* Wait for the start line, then purge or restore; exit 0 on success. */
static void
racer(const struct guild_home *home, const char *id, int go, bool purge)
{
	char	c;

	if (read(go, &c, 1) < 0)
		_exit(2);
	if (purge)
		_exit(run_purge(home, id, NULL) == 0 ? 0 : 1);
	_exit(run_restore(home, id, NULL) == 0 ? 0 : 1);
}

/*
 * A purge and a restore of the same run at once: one of them wins whole.
 * The run is then restored with every file, or gone from both places;
 * never half deleted with both reporting success.
 */
static void
test_purge_restore_race(const char *tmp)
{
	enum { ROUNDS = 30, FILES = 150 };
	struct guild_home	*home;
	struct run		*run;
	const char		*id = "0123456789abcdef0123456789abcdef";
	char			*hdir = path_join(tmp, "home"), *rdir, *tdir, *p;
	int			 round, i, bad = 0, purged = 0, restored = 0;
	int			 hidden = 0;

	home = home_new(hdir, NULL);
	home_ensure(home, NULL);
	rdir = path_join(home->runs, id);
	tdir = path_join(home->trash, id);
	for (round = 0; round < ROUNDS; round++) {
		int	go[2], st1, st2;
		pid_t	pp, pr;
		bool	pok, rok;

		rm_rf(rdir, NULL);
		if ((run = run_create(home->runs, id, NULL)) == NULL)
			break;
		for (i = 0; i < FILES; i++) {
			p = xasprintf("%s/f%03d", rdir, i);
			write_text(p, "x\n");
			free(p);
		}
		run_free(run);
		if (run_trash(home, id, NULL) == -1 || pipe(go) == -1)
			break;
		if ((pp = fork()) == 0) {
			close(go[1]);
			racer(home, id, go[0], true);
		}
		if ((pr = fork()) == 0) {
			close(go[1]);
			racer(home, id, go[0], false);
		}
		close(go[0]);
		close(go[1]);	/* both start */
		waitpid(pp, &st1, 0);
		waitpid(pr, &st2, 0);
		pok = WIFEXITED(st1) && WEXITSTATUS(st1) == 0;
		rok = WIFEXITED(st2) && WEXITSTATUS(st2) == 0;
		if (pok && !rok && !path_exists(rdir) && !path_exists(tdir))
			purged++;
		else if (rok && !pok && !path_exists(tdir) &&
		    count_entries(rdir) == FILES + 1)
			restored++;
		else {
			diag("round %d: purge %s, restore %s, %zu entries "
			    "restored", round, pok ? "ok" : "failed",
			    rok ? "ok" : "failed", count_entries(rdir));
			bad++;
		}
		hidden += (int)count_entries(home->trash) - path_exists(tdir);
	}
	is_int(purged + restored + bad, ROUNDS, "%d purge/restore races",
	    ROUNDS);
	is_int(bad, 0, "each one won whole (%d purged, %d restored)", purged,
	    restored);
	is_int(hidden, 0, "and left nothing behind in the trash");
	free(rdir);
	free(tdir);
	rm_rf(hdir, NULL);
	free(hdir);
	home_free(home);
}

int
main(void)
{
	char	 tmpl[] = "/tmp/test-rundir.XXXXXX";
	char	*tmp;

	/* A reader that blocks fails the test instead of hanging it. */
	alarm(120);
	if ((tmp = mkdtemp(tmpl)) == NULL)
		return 1;
	test_read_regular(tmp);
	test_run_files(tmp);
	test_rm_rf_links(tmp);
	test_rm_rf_race(tmp);
	test_purge_restore_race(tmp);
	rm_rf(tmp, NULL);
	return done_testing();
}
