/* runops.c: delete, restore, purge, stop, label, tag and mark runs. */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "home.h"
#include "passwd.h"
#include "run.h"
#include "runops.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"

/* An id names one directory entry: no path tricks through it. */
static int
check_id(const char *id, char **cause)
{
	if (*id == '\0' || strchr(id, '/') != NULL || strcmp(id, ".") == 0 ||
	    strcmp(id, "..") == 0)
		return set_cause(cause, "invalid run id '%s'", id);
	return 0;
}

/* Move from -> to; to must not exist. */
static int
move_dir(const char *from, const char *to, char **cause)
{
	struct stat	st;

	if (lstat(to, &st) == 0)
		return set_cause(cause, "%s already exists", to);
	if (rename(from, to) == -1)
		return set_cause(cause, "cannot move %s to %s: %s", from, to,
		    strerror(errno));
	return 0;
}

/* A free name beside path: path_XXXXXX. Caller frees. */
static char *
aside_name(const char *path)
{
	static const char	 chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct stat		 st;
	unsigned		 seed = (unsigned)now_us() ^ (unsigned)getpid();
	char			 suffix[7];
	char			*name;
	size_t			 i;

	for (;;) {
		for (i = 0; i < 6; i++) {
			seed = seed * 1103515245u + 12345u;
			suffix[i] = chars[(seed >> 16) % (sizeof chars - 1)];
		}
		suffix[6] = '\0';
		name = xasprintf("%s_%s", path, suffix);
		if (lstat(name, &st) == -1 && errno == ENOENT)
			return name;
		free(name);
	}
}

int
run_trash(const struct guild_home *home, const char *id, char **cause)
{
	struct stat	 st;
	char		*from, *to, *aside;
	int		 rc = -1;

	if (check_id(id, cause) == -1)
		return -1;
	if (mkdir_p(home->trash, 0777, cause) == -1)
		return -1;
	from = path_join(home->runs, id);
	to = path_join(home->trash, id);
	if (lstat(from, &st) == -1) {
		set_cause(cause, "cannot delete run %s: %s", id,
		    strerror(errno));
		goto out;
	}
	if (lstat(to, &st) == 0) {
		aside = aside_name(to);
		rc = move_dir(to, aside, cause);
		free(aside);
		if (rc == -1)
			goto out;
	}
	rc = move_dir(from, to, cause);
out:
	free(from);
	free(to);
	return rc;
}

int
run_restore(const struct guild_home *home, const char *id, char **cause)
{
	struct stat	 st;
	char		*from, *to;
	int		 rc = -1;

	if (check_id(id, cause) == -1)
		return -1;
	if (mkdir_p(home->runs, 0777, cause) == -1)
		return -1;
	from = path_join(home->trash, id);
	to = path_join(home->runs, id);
	if (lstat(from, &st) == -1)
		set_cause(cause, "cannot restore run %s: %s", id,
		    strerror(errno));
	else if (lstat(to, &st) == 0)
		set_cause(cause, "cannot restore run %s: a run with that id "
		    "exists", id);
	else
		rc = move_dir(from, to, cause);
	free(from);
	free(to);
	return rc;
}

/*
 * rm -rf of a run directory, its .guild last: one that cannot be removed
 * whole (too deep, a file that will not go) is still a run, listed and
 * removable again once the cause is mended.
 */
static int
rm_run(const char *path, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	char		*sub;
	int		 fd, rc = 0;

	fd = open(path, O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return rm_rf(path, cause);	/* not a directory */
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".guild") == 0)
			continue;
		sub = path_join(path, de->d_name);
		rc = rm_rf(sub, cause);
		free(sub);
	}
	closedir(d);
	return rc == 0 ? rm_rf(path, cause) : -1;
}

/*
 * Remove run id of dir for good. It is first renamed to a hidden name in
 * the same directory (which no listing shows), then removed: a restore
 * or a delete racing with it either moved the run before (and the purge
 * fails, the run whole where it went) or finds it gone, never a run half
 * removed that both report as done. A run that cannot be removed whole
 * is put back, what is left of it; a crash leaves the hidden name.
 */
static int
remove_in(const char *dir, const char *id, char **cause)
{
	char	*path, *tmp;
	int	 rc = -1;

	if (check_id(id, cause) == -1)
		return -1;
	path = path_join(dir, id);
	tmp = xasprintf("%s/.purge-%s-XXXXXX", dir, id);
	/* A fresh empty directory: rename replaces it atomically. */
	if (mkdtemp(tmp) == NULL) {
		set_cause(cause, "cannot remove run %s: %s", id,
		    strerror(errno));
		goto out;
	}
	if (rename(path, tmp) == -1) {
		int	err = errno;

		/* A link or a file where the run was: not onto a dir. */
		if ((err == ENOTDIR || err == EISDIR) && rmdir(tmp) == 0 &&
		    rename(path, tmp) == 0)
			goto moved;
		rmdir(tmp);
		set_cause(cause, "cannot remove run %s: %s", id,
		    strerror(err));
		goto out;
	}
moved:
	/*
	 * What could not be removed goes back where it was, so that the run
	 * stays listed and the purge can be tried again (a hidden name is
	 * never cleaned up).
	 */
	if ((rc = rm_run(tmp, cause)) == -1)
		rename(tmp, path);
out:
	free(tmp);
	free(path);
	return rc;
}

/* Whether path is root or below it (both resolved). */
static bool
path_under(const char *path, const char *root)
{
	size_t	len = strlen(root);

	if (strcmp(root, "/") == 0)
		return true;
	return strncmp(path, root, len) == 0 &&
	    (path[len] == '/' || path[len] == '\0');
}

char *
run_file_resolve(const struct guild_home *home, const char *run_dir,
    const char *file)
{
	const char	*roots[] = { run_dir, home->runs, home->trash };
	char		*real, *root;
	size_t		 i;

	if ((real = realpath(file, NULL)) == NULL)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(roots); i++) {
		if ((root = realpath(roots[i], NULL)) == NULL)
			continue;
		if (path_under(real, root)) {
			free(root);
			return real;
		}
		free(root);
	}
	free(real);
	errno = EXDEV;
	return NULL;
}

int
run_purge(const struct guild_home *home, const char *id, char **cause)
{
	return remove_in(home->trash, id, cause);
}

int
run_remove(const struct guild_home *home, const char *id, char **cause)
{
	return remove_in(home->runs, id, cause);
}

int
run_signal(const struct run *run, int signo, char **cause)
{
	pid_t	pid;

	char	*host;

	/* Its pid is another machine's: never signal ours by mistake. */
	if ((host = run_lock_host(run)) != NULL) {
		set_cause(cause, "run %.8s runs on %s: stop it there", run->id,
		    host);
		free(host);
		return -1;
	}
	pid = run_lock_pid(run);
	if (pid <= 1 || !run_lock_alive(run))
		return set_cause(cause, "run %.8s is not running", run->id);
	/*
	 * guild starts operations in their own session, so the pid leads
	 * a group that holds whatever the operation started. Guild AI's
	 * runs do not: signal the process alone then.
	 */
	if (getpgid(pid) == pid) {
		if (kill(-pid, signo) == 0)
			return 0;
	}
	if (kill(pid, signo) == -1) {
		if (errno == ESRCH)
			return set_cause(cause, "run %.8s is not running",
			    run->id);
		return set_cause(cause, "cannot signal run %.8s (pid %ld): %s",
		    run->id, (long)pid, strerror(errno));
	}
	return 0;
}

/* The parent of pid (from /proc), or 0 when unknown. */
static pid_t
parent_of(pid_t pid)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*path, *p;
	long		 ppid = 0;

	path = xasprintf("/proc/%ld/stat", (long)pid);
	/* "pid (comm) state ppid ...": comm may hold spaces and ')'. */
	if (strbuf_read_file(&sb, path, NULL) == 0 &&
	    (p = strrchr(sb.buf, ')')) != NULL &&
	    sscanf(p + 1, " %*c %ld", &ppid) != 1)
		ppid = 0;
	free(path);
	strbuf_release(&sb);
	return ppid > 0 ? (pid_t)ppid : 0;
}

/*
 * Wait up to ms for the run to stop; true when its process has gone.
 * Then its supervisor (the process's parent: guild, or Guild AI's
 * op_main) still has to write exit_status and clear LOCK, so while that
 * parent lives and LOCK still names pid, wait for it too (within the same
 * ms): what the caller reads next is the run's final status, never the
 * "error" of a dead LOCK whose end is not recorded yet.
 */
static bool
wait_gone(const struct run *run, pid_t pid, pid_t parent, unsigned ms)
{
	const struct timespec	 tick = { 0, 20 * 1000 * 1000 };
	uint64_t		 end = mono_ms() + ms;
	bool			 gone = false;

	for (;;) {
		if (!gone && !run_lock_alive(run))
			gone = true;
		if (gone && (parent <= 1 || run_lock_pid(run) != pid ||
		    (kill(parent, 0) == -1 && errno == ESRCH)))
			return true;
		if (mono_ms() >= end)
			return gone;
		nanosleep(&tick, NULL);
	}
}

int
run_stop(const struct run *run, unsigned timeout_ms, bool force,
    char **cause)
{
	pid_t	pid = run_lock_pid(run), parent = parent_of(pid);

	if (run_signal(run, SIGTERM, cause) == -1)
		return -1;
	if (wait_gone(run, pid, parent, timeout_ms))
		return 0;
	if (!force)
		return set_cause(cause, "run %.8s did not stop within %u "
		    "seconds", run->id, (timeout_ms + 999) / 1000);
	if (run_signal(run, SIGKILL, NULL) == 0 &&
	    !wait_gone(run, pid, parent, 5000))
		return set_cause(cause, "run %.8s did not stop after SIGKILL",
		    run->id);
	return 0;
}

char *
run_comment_user(void)
{
	const char	*u = getenv("USER");
	char		*pw;

	if (u != NULL && *u != '\0')
		return xstrdup(u);
	if ((pw = passwd_user()) != NULL)
		return pw;
	return xstrdup("");
}

char *
run_comment_host(void)
{
	char	buf[HOST_NAME_MAX + 1];

	if (gethostname(buf, sizeof buf) == -1)
		return xstrdup("");
	buf[sizeof buf - 1] = '\0';
	return xstrdup(buf);
}

int
run_comment_add(const struct run *run, const char *body, const char *user,
    const char *host, int64_t time, char **cause)
{
	struct value	*comments = NULL, *c;
	char		*u = user == NULL ? run_comment_user() : NULL;
	char		*h = host == NULL ? run_comment_host() : NULL;
	int		 rc = -1;

	if (run_attr_read(run, "comments", &comments, cause) == -1)
		goto out;
	if (comments == NULL || comments->type != VALUE_LIST) {
		value_free(comments);
		comments = value_list();
	}
	c = value_map();
	value_map_set(c, "body", value_string(body));
	value_map_set(c, "host", value_string(h != NULL ? h : host));
	value_map_set(c, "time", value_int(time != 0 ? time : run_now_us()));
	value_map_set(c, "user", value_string(u != NULL ? u : user));
	value_list_push(comments, c);
	rc = run_attr_write(run, "comments", comments, cause);
	value_free(comments);
out:
	free(u);
	free(h);
	return rc;
}

int
run_set_label(const struct run *run, const char *label, char **cause)
{
	struct value	*v;
	int		 rc;

	if (label == NULL || *label == '\0')
		return run_attr_delete(run, "label", cause);
	v = value_string(label);
	rc = run_attr_write(run, "label", v, cause);
	value_free(v);
	return rc;
}

int
run_set_tags(const struct run *run, const struct strvec *tags, char **cause)
{
	struct value	*v;
	size_t		 i;
	int		 rc;

	if (tags->n == 0)
		return run_attr_delete(run, "tags", cause);
	v = value_list();
	for (i = 0; i < tags->n; i++)
		value_list_push(v, value_string(tags->v[i]));
	rc = run_attr_write(run, "tags", v, cause);
	value_free(v);
	return rc;
}

int
run_get_tags(const struct run *run, struct strvec *tags, char **cause)
{
	struct value	*v = NULL;
	size_t		 i;

	if (run_attr_read(run, "tags", &v, cause) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (v->type == VALUE_LIST) {
		for (i = 0; i < v->u.list.n; i++) {
			const struct value	*item = v->u.list.v[i];
			struct strbuf		 sb = STRBUF_INIT;

			if (item->type == VALUE_STRING)
				strvec_push(tags, item->u.s);
			else if (item->type != VALUE_NULL) {
				value_format_flag(&sb, item);
				strvec_push(tags, sb.buf);
			}
			strbuf_release(&sb);
		}
	} else if (v->type == VALUE_STRING)
		strvec_push(tags, v->u.s);
	value_free(v);
	return 0;
}

int
run_set_marked(const struct run *run, bool marked, char **cause)
{
	struct value	*v;
	int		 rc;

	if (!marked)
		return run_attr_delete(run, "marked", cause);
	v = value_bool(true);
	rc = run_attr_write(run, "marked", v, cause);
	value_free(v);
	return rc;
}
