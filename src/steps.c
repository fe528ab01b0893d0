/* steps.c: run a pipeline's steps, each as a run of its own. */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guildfile.h"
#include "run.h"
#include "steps.h"
#include "strbuf.h"
#include "strvec.h"
#include "term.h"
#include "util.h"
#include "value.h"

extern char **environ;

static volatile sig_atomic_t	step_pid;

static void
forward_signal(int signo)
{
	pid_t	pid = (pid_t)step_pid;

	if (pid > 0)
		kill(pid, signo);
}

/*
 * ${name} -> the pipeline's flag value; other text as it is. *lead is set
 * when s starts with a reference that was replaced, so that the value
 * decides how the word begins.
 */
static char *
resolve_refs(const char *s, const struct value *flags, bool *lead)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p = s, *open, *close;

	if (lead != NULL)
		*lead = false;
	while ((open = strstr(p, "${")) != NULL &&
	    (close = strchr(open, '}')) != NULL) {
		char			*name;
		const struct value	*v;

		strbuf_add(&sb, p, (size_t)(open - p));
		name = xstrndup(open + 2, (size_t)(close - open - 2));
		if ((v = value_map_get(flags, name)) != NULL) {
			value_format_flag(&sb, v);
			if (lead != NULL && open == s)
				*lead = true;
		} else
			strbuf_add(&sb, open, (size_t)(close - open + 1));
		free(name);
		p = close + 1;
	}
	strbuf_addstr(&sb, p);
	return strbuf_detach(&sb, NULL);
}

/*
 * The words of a step's run: split first, then each word's references
 * replaced, so that a value is one argument whatever it holds. A word
 * that a value begins may not begin with '@' (guild run would read a
 * batch file) nor with '-' (an option), unless it is a negative number.
 */
static int
step_words(size_t step, const char *run, const struct value *flags,
    struct strvec *words, char **cause)
{
	struct strvec	 raw = STRVEC_INIT;
	size_t		 j;
	bool		 lead;
	char		*w;

	if (shlex_split(run, &raw, cause) == -1)
		return -1;
	for (j = 0; j < raw.n; j++) {
		w = resolve_refs(raw.v[j], flags, &lead);
		if (lead && (w[0] == '@' || (w[0] == '-' &&
		    !isdigit((unsigned char)w[1]) && !(w[1] == '.' &&
		    isdigit((unsigned char)w[2]))))) {
			set_cause(cause, "step %zu: %s gives '%s': a flag "
			    "value cannot make %s", step, raw.v[j], w,
			    w[0] == '@' ? "a batch file argument" :
			    "an option");
			free(w);
			strvec_clear(&raw);
			return -1;
		}
		strvec_push_nodup(words, w);
	}
	strvec_clear(&raw);
	return 0;
}

/* The run a step link names, or NULL; -1 when something else is there. */
static int
step_link(const char *link, const char *runs_dir, char **id)
{
	struct stat	 st;
	char		*t, *dir, *opref;
	ssize_t		 n;

	*id = NULL;
	if (lstat(link, &st) == -1)
		return 0;
	if (!S_ISLNK(st.st_mode))
		return -1;
	t = xmalloc((size_t)st.st_size + 2);
	n = readlink(link, t, (size_t)st.st_size + 1);
	if (n <= 3 || n > st.st_size || strncmp(t, "../", 3) != 0) {
		free(t);
		return -1;
	}
	t[n] = '\0';
	dir = run_dir_path(runs_dir, t + 3);
	opref = path_join(dir, ".guild/opref");
	if (strchr(t + 3, '/') == NULL && path_exists(opref))
		*id = xstrdup(t + 3);
	free(opref);
	free(dir);
	free(t);
	if (*id == NULL && unlink(link) == -1)
		return -1;
	return 0;
}

/*
 * The pipeline's terminal goes raw for good (each step's guild passes
 * bytes on to its own step's terminal), and input already ended is
 * noticed: an end of file typed or sent before that arrives as a NUL (or
 * ^D) byte, and then the steps get no input at all.
 */
static bool
input_ended(struct term_state *ts)
{
	char	buf[256];
	ssize_t	n, i;
	int	fl;
	bool	eof = false;

	if (!isatty(STDIN_FILENO) || term_raw(ts, STDIN_FILENO, NULL) == -1)
		return false;
	if ((fl = fcntl(STDIN_FILENO, F_GETFL)) == -1)
		return false;
	fcntl(STDIN_FILENO, F_SETFL, fl | O_NONBLOCK);
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0)
		for (i = 0; i < n; i++)
			if (buf[i] == '\0' || buf[i] == '\004')
				eof = true;
	fcntl(STDIN_FILENO, F_SETFL, fl);
	return eof;
}

/* Run argv and wait; the exit status as steps_run() returns it. */
static int
run_step(char *const *argv, const char *parent_id, bool isolate,
    bool no_input)
{
	struct sigaction	 sa, old_int, old_term, old_hup;
	pid_t			 pid, w;
	int			 status;

	fflush(NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	if ((pid = fork()) == -1) {
		status = 1;
		goto out;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (no_input) {
			int	fd = open("/dev/null", O_RDONLY);

			if (fd != -1 && fd != STDIN_FILENO) {
				dup2(fd, STDIN_FILENO);
				close(fd);
			}
		}
		if (isolate)
			setenv("GUILD_RUNS_PARENT", parent_id, 1);
		else
			unsetenv("GUILD_RUNS_PARENT");
		execv(argv[0], argv);
		fprintf(stderr, "guild: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	step_pid = pid;
	while ((w = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		;
	step_pid = 0;
	if (w == -1)
		status = 1;
	else if (WIFSIGNALED(status))
		status = -WTERMSIG(status);
	else {
		status = WEXITSTATUS(status);
		/* guild run exits 128 + N when signal N ended the step. */
		if (status > 128 && status < 128 + 65)
			status = -(status - 128);
	}
out:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	return status;
}

/* The project of the pipeline run: $PROJECT_DIR, else its guild.yml's. */
static char *
project_dir(const struct run *run)
{
	const char	*env = getenv("PROJECT_DIR");
	struct opref	 ref;
	char		*dir, *slash;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (run_opref_read(run, &ref, NULL) == -1)
		return xstrdup(".");
	dir = xstrdup(ref.pkg_name);
	opref_clear(&ref);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	return dir;
}

int
steps_run(const char *run_dir, const char *guild_exe, steps_log_fn log,
    void *arg, char **cause)
{
	struct run		*run;
	struct value		*steps = NULL, *flags = NULL;
	struct guildfile	*gf = NULL;
	struct strvec		 names = STRVEC_INIT;
	struct term_state	 ts = TERM_STATE_INIT;
	char			*runs_dir = NULL, *project = NULL, *slash;
	size_t			 i, j;
	bool			 no_input;
	int			 rc = 1;

	if ((run = run_open(run_dir, cause)) == NULL)
		return 1;
	if (run_attr_read(run, "steps", &steps, cause) == -1)
		goto out;
	if (steps == NULL || steps->type != VALUE_LIST) {
		set_cause(cause, "run %s has no steps", run->id);
		goto out;
	}
	run_attr_read(run, "flags", &flags, NULL);
	no_input = input_ended(&ts);
	runs_dir = xstrdup(run->path);
	if ((slash = strrchr(runs_dir, '/')) != NULL)
		*slash = '\0';
	project = project_dir(run);
	{
		char	*gfpath = path_join(project, "guild.yml");

		/* Only to name the steps' operations as guild does. */
		gf = guildfile_load(gfpath, NULL);
		free(gfpath);
	}

	for (i = 0; i < steps->u.list.n; i++) {
		const struct value	*st = steps->u.list.v[i];
		const struct value	*runv, *namev, *sflags, *iso;
		struct strvec		 words = STRVEC_INIT, argv = STRVEC_INIT;
		struct strvec		 assigns = STRVEC_INIT;
		struct strbuf		 desc = STRBUF_INIT;
		struct opdef		*op;
		char			*name, *link, *id = NULL, *opname;
		const char		*base;
		bool			 isolate = true, restart;
		int			 n;

		if (st->type == VALUE_STRING)
			runv = st;
		else
			runv = value_map_get(st, "run");
		if (runv == NULL || runv->type != VALUE_STRING) {
			set_cause(cause, "step %zu: missing run", i + 1);
			goto out;
		}
		n = step_words(i + 1, runv->u.s, flags, &words, cause);
		if (n == -1 || words.n == 0) {
			if (n != -1)
				set_cause(cause, "step %zu: empty run", i + 1);
			strvec_clear(&words);
			goto out;
		}
		sflags = value_map_get(st, "flags");
		for (j = 0; sflags != NULL && sflags->type == VALUE_MAP &&
		    j < sflags->u.map.n; j++) {
			struct strbuf	 v = STRBUF_INIT;
			const struct value *fv = sflags->u.map.v[j];

			if (fv->type == VALUE_STRING) {
				char	*r = resolve_refs(fv->u.s, flags, NULL);

				strbuf_addstr(&v, r);
				free(r);
			} else
				value_format_flag(&v, fv);
			strvec_pushf(&assigns, "%s=%s", sflags->u.map.k[j], v.buf);
			strbuf_release(&v);
		}
		for (j = 1; j < words.n; j++)
			strvec_push(&assigns, words.v[j]);
		if ((iso = value_map_get(st, "isolate-runs")) != NULL &&
		    iso->type == VALUE_BOOL)
			isolate = iso->u.b;

		/* The link name: the step's name, else its operation's. */
		namev = value_map_get(st, "name");
		if (namev != NULL && namev->type == VALUE_STRING &&
		    *namev->u.s != '\0')
			name = xstrdup(namev->u.s);
		else {
			base = strrchr(words.v[0], ':');
			name = xstrdup(base != NULL ? base + 1 : words.v[0]);
		}
		for (j = 2; strvec_find(&names, name) >= 0; j++) {
			char	*base_name = xstrdup(name), *u;

			if ((u = strrchr(base_name, '_')) != NULL && j > 2)
				*u = '\0';
			free(name);
			name = xasprintf("%s_%zu", base_name, j);
			free(base_name);
		}
		strvec_push(&names, name);

		link = path_join(run->path, name);
		if (step_link(link, runs_dir, &id) == -1) {
			set_cause(cause, "cannot link step %s: %s is in the way",
			    name, link);
			free(link);
			free(name);
			strvec_clear(&words);
			strvec_clear(&assigns);
			goto out;
		}
		restart = id != NULL;
		if (!restart) {
			char	*target;

			if ((id = run_new_id(cause)) == NULL) {
				free(link);
				free(name);
				strvec_clear(&words);
				strvec_clear(&assigns);
				goto out;
			}
			target = xasprintf("../%s", id);
			if (symlink(target, link) == -1) {
				set_cause(cause, "%s: %s", link, strerror(errno));
				free(target);
				free(id);
				free(link);
				free(name);
				strvec_clear(&words);
				strvec_clear(&assigns);
				goto out;
			}
			free(target);
		}
		free(link);

		op = gf != NULL ? opspec_resolve(gf, words.v[0], NULL) : NULL;
		opname = op != NULL ? opdef_fullname(op) : xstrdup(words.v[0]);
		strbuf_addstr(&desc, restart ? id : opname);
		for (j = 0; j < assigns.n; j++)
			strbuf_addf(&desc, " %s", assigns.v[j]);
		log_linef(log, arg, "INFO: [guild] %s %s: %s",
		    restart ? "restarting" : "running", name, desc.buf);
		strbuf_release(&desc);
		free(opname);

		strvec_push(&argv, guild_exe);
		strvec_push(&argv, "-C");
		strvec_push(&argv, project);
		strvec_push(&argv, "run");
		strvec_push(&argv, "-y");
		if (restart) {
			strvec_push(&argv, "--restart");
			strvec_push(&argv, id);
		} else {
			strvec_push(&argv, "--run-id");
			strvec_push(&argv, id);
			strvec_push(&argv, words.v[0]);
		}
		strvec_pushv(&argv, (const char *const *)assigns.v);
		rc = run_step(argv.v, run->id, isolate, no_input);
		strvec_clear(&argv);
		strvec_clear(&assigns);
		strvec_clear(&words);
		free(id);
		free(name);
		if (rc != 0)
			goto out;
	}
	rc = 0;
out:
	term_restore(&ts);
	guildfile_free(gf);
	strvec_clear(&names);
	free(project);
	free(runs_dir);
	value_free(steps);
	value_free(flags);
	run_free(run);
	return rc;
}
