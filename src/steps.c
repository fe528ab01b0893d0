/* steps.c: run a pipeline's steps, each as a run of its own. */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guildfile.h"
#include "run.h"
#include "runcheck.h"
#include "steps.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"

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

/* One step of the pipeline, on its way to being run. */
struct pipeline_step {
	struct strvec	 words;		/* OP and the words after it */
	struct strvec	 assigns;	/* its FLAG=VAL arguments */
	char		*name;		/* its link's name */
	char		*id;		/* its run's */
	bool		 isolate;
	bool		 restart;
	const struct value *expect;	/* its checks (the steps attr's) */
};

static void
step_release(struct pipeline_step *s)
{
	strvec_clear(&s->words);
	strvec_clear(&s->assigns);
	free(s->name);
	free(s->id);
}

/* Step i's operation, flag assignments and isolation. */
static int
step_parse(size_t i, const struct value *st, const struct value *flags,
    struct pipeline_step *s, char **cause)
{
	const struct value	*runv, *sflags, *iso;
	size_t			 j;
	int			 n;

	runv = st->type == VALUE_STRING ? st : value_map_get(st, "run");
	if (runv == NULL || runv->type != VALUE_STRING)
		return set_cause(cause, "step %zu: missing run", i + 1);
	n = step_words(i + 1, runv->u.s, flags, &s->words, cause);
	if (n == -1)
		return -1;
	if (s->words.n == 0)
		return set_cause(cause, "step %zu: empty run", i + 1);
	sflags = value_map_get(st, "flags");
	for (j = 0; sflags != NULL && sflags->type == VALUE_MAP &&
	    j < sflags->u.map.n; j++) {
		struct strbuf		 v = STRBUF_INIT;
		const struct value	*fv = sflags->u.map.v[j];

		if (fv->type == VALUE_STRING) {
			char	*r = resolve_refs(fv->u.s, flags, NULL);

			strbuf_addstr(&v, r);
			free(r);
		} else
			value_format_flag(&v, fv);
		strvec_pushf(&s->assigns, "%s=%s", sflags->u.map.k[j], v.buf);
		strbuf_release(&v);
	}
	for (j = 1; j < s->words.n; j++)
		strvec_push(&s->assigns, s->words.v[j]);
	s->expect = value_map_get(st, "expect");
	s->isolate = true;
	if ((iso = value_map_get(st, "isolate-runs")) != NULL &&
	    iso->type == VALUE_BOOL)
		s->isolate = iso->u.b;
	return 0;
}

/* The link name: the step's name, else its operation's; made unique. */
static void
step_name(const struct value *st, struct pipeline_step *s, struct strvec *names)
{
	const struct value	*namev = value_map_get(st, "name");
	const char		*base;
	size_t			 j;

	if (namev != NULL && namev->type == VALUE_STRING &&
	    *namev->u.s != '\0')
		s->name = xstrdup(namev->u.s);
	else {
		base = strrchr(s->words.v[0], ':');
		s->name = xstrdup(base != NULL ? base + 1 : s->words.v[0]);
	}
	for (j = 2; strvec_find(names, s->name) >= 0; j++) {
		char	*base_name = xstrdup(s->name), *u;

		if ((u = strrchr(base_name, '_')) != NULL && j > 2)
			*u = '\0';
		free(s->name);
		s->name = xasprintf("%s_%zu", base_name, j);
		free(base_name);
	}
	strvec_push(names, s->name);
}

/* The step's run: the one its link names (a restart), else a new one. */
static int
step_run_id(const struct run *run, const char *runs_dir, struct pipeline_step *s,
    char **cause)
{
	char	*link = path_join(run->path, s->name), *target;
	int	 rc = -1;

	if (step_link(link, runs_dir, &s->id) == -1) {
		set_cause(cause, "cannot link step %s: %s is in the way",
		    s->name, link);
		goto out;
	}
	s->restart = s->id != NULL;
	if (!s->restart) {
		if ((s->id = run_new_id(cause)) == NULL)
			goto out;
		target = xasprintf("../%s", s->id);
		if (symlink(target, link) == -1) {
			set_cause(cause, "%s: %s", link, strerror(errno));
			free(target);
			goto out;
		}
		free(target);
	}
	rc = 0;
out:
	free(link);
	return rc;
}

/* "INFO: [guild] running train: fashion:train lr=0.1" */
static void
step_log(const struct pipeline_step *s, const struct guildfile *gf,
    const struct steps_hooks *hooks, void *arg)
{
	struct strbuf	 desc = STRBUF_INIT;
	struct opdef	*op;
	char		*opname;
	size_t		 j;

	op = gf != NULL ? opspec_resolve(gf, s->words.v[0], NULL) : NULL;
	opname = op != NULL ? opdef_fullname(op) : xstrdup(s->words.v[0]);
	strbuf_addstr(&desc, s->restart ? s->id : opname);
	for (j = 0; j < s->assigns.n; j++)
		strbuf_addf(&desc, " %s", s->assigns.v[j]);
	log_linef(hooks->log, arg, "INFO: [guild] %s %s: %s",
	    s->restart ? "restarting" : "running", s->name, desc.buf);
	strbuf_release(&desc);
	free(opname);
}

/*
 * Run the step's guild run through the hook; its status as steps_run()
 * returns it.
 */
static int
step_exec(const struct pipeline_step *s, const struct run *run, const char *project,
    const char *guild_exe, const struct steps_hooks *hooks, void *arg)
{
	struct strvec	 argv = STRVEC_INIT, env = STRVEC_INIT;
	char		**e;
	int		 code;

	strvec_push(&argv, guild_exe);
	strvec_push(&argv, "-C");
	strvec_push(&argv, project);
	strvec_push(&argv, "run");
	strvec_push(&argv, "-y");
	if (s->restart) {
		strvec_push(&argv, "--restart");
		strvec_push(&argv, s->id);
	} else {
		strvec_push(&argv, "--run-id");
		strvec_push(&argv, s->id);
		strvec_push(&argv, s->words.v[0]);
	}
	strvec_pushv(&argv, (const char *const *)s->assigns.v);
	for (e = environ; *e != NULL; e++)
		if (strncmp(*e, "GUILD_RUNS_PARENT=", 18) != 0)
			strvec_push(&env, *e);
	if (s->isolate)
		strvec_setenv(&env, "GUILD_RUNS_PARENT", run->id);
	code = hooks->run((const char *const *)argv.v,
	    (const char *const *)env.v, arg);
	strvec_clear(&argv);
	strvec_clear(&env);
	/* guild run exits 128 + N when signal N ended the step. */
	if (code > 128 && code < 128 + 65)
		code = -(code - 128);
	return code;
}

/*
 * A model test's flags (those of `guild test NAME FLAG=VAL`) go to each
 * step whose operation has them, over the step's own value.
 */
static void
step_pass_flags(struct pipeline_step *s, const struct value *flags,
    const struct guildfile *gf)
{
	const struct opdef	*op;
	size_t			 i, j, len;

	if (flags == NULL || flags->type != VALUE_MAP || gf == NULL ||
	    (op = opspec_resolve(gf, s->words.v[0], NULL)) == NULL)
		return;
	for (i = 0; i < flags->u.map.n; i++) {
		const char	*name = flags->u.map.k[i];
		struct strbuf	 v = STRBUF_INIT;

		if (opdef_flag(op, name) == NULL && op->flags_import == NULL)
			continue;
		len = strlen(name);
		for (j = 0; j < s->assigns.n; j++) {
			if (strncmp(s->assigns.v[j], name, len) == 0 &&
			    s->assigns.v[j][len] == '=')
				break;
		}
		value_format_flag(&v, flags->u.map.v[i]);
		if (j < s->assigns.n) {
			free(s->assigns.v[j]);
			s->assigns.v[j] = xasprintf("%s=%s", name, v.buf);
		} else
			strvec_pushf(&s->assigns, "%s=%s", name, v.buf);
		strbuf_release(&v);
	}
}

/*
 * The step's expect: checks on its finished run, each logged as passed
 * or failed. 0 when all passed, else STEPS_CHECK_FAILED with cause.
 */
static int
step_checks(const struct pipeline_step *s, const char *runs_dir,
    const char *project, const struct steps_hooks *hooks, void *arg,
    char **cause)
{
	char	*run_dir, *desc, *found, *why;
	size_t	 i, n, passed = 0;
	int	 r;

	if (s->expect == NULL || s->expect->type != VALUE_LIST ||
	    s->expect->u.list.n == 0)
		return 0;
	run_dir = path_join(runs_dir, s->id);
	n = s->expect->u.list.n;
	for (i = 0; i < n; i++) {
		const struct value	*check = s->expect->u.list.v[i];

		desc = runcheck_describe(check);
		found = why = NULL;
		r = runcheck_apply(check, run_dir, project, &found, &why);
		if (r == 1) {
			passed++;
			log_linef(hooks->log, arg, "INFO: [guild] %s: check "
			    "passed: %s%s%s%s", s->name, desc,
			    found ? " (" : "", found ? found : "",
			    found ? ")" : "");
		} else
			log_linef(hooks->log, arg, "ERROR: [guild] %s: check "
			    "failed: %s: %s", s->name, desc,
			    r == 0 ? found : why);
		free(desc);
		free(found);
		free(why);
	}
	free(run_dir);
	log_linef(hooks->log, arg, "INFO: [guild] %s: %zu of %zu check%s "
	    "passed", s->name, passed, n, n == 1 ? "" : "s");
	if (passed == n)
		return 0;
	set_cause(cause, "stopping because a check failed - see above for "
	    "details");
	return STEPS_CHECK_FAILED;
}

int
steps_run(const char *run_dir, const char *guild_exe,
    const struct steps_hooks *hooks, void *arg, char **cause)
{
	struct run		*run;
	struct value		*steps = NULL, *flags = NULL, *test = NULL;
	bool			 pass_flags = false;
	struct guildfile	*gf = NULL;
	struct strvec		 names = STRVEC_INIT;
	char			*runs_dir = NULL, *project = NULL, *slash;
	char			*gfpath;
	size_t			 i;
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
	if (run_attr_read(run, "test", &test, NULL) == 0 && test != NULL)
		pass_flags = true;
	runs_dir = xstrdup(run->path);
	if ((slash = strrchr(runs_dir, '/')) != NULL)
		*slash = '\0';
	project = project_dir(run);
	/* Only to name the steps' operations as guild does. */
	gfpath = path_join(project, "guild.yml");
	gf = guildfile_load(gfpath, NULL);
	free(gfpath);

	for (i = 0; i < steps->u.list.n; i++) {
		struct pipeline_step	s = {
			.words = STRVEC_INIT, .assigns = STRVEC_INIT,
		};

		if (step_parse(i, steps->u.list.v[i], flags, &s, cause) == -1) {
			step_release(&s);
			rc = 1;
			goto out;
		}
		step_name(steps->u.list.v[i], &s, &names);
		if (pass_flags)
			step_pass_flags(&s, flags, gf);
		if (step_run_id(run, runs_dir, &s, cause) == -1) {
			step_release(&s);
			rc = 1;
			goto out;
		}
		step_log(&s, gf, hooks, arg);
		rc = step_exec(&s, run, project, guild_exe, hooks, arg);
		if (rc == 0)
			rc = step_checks(&s, runs_dir, project, hooks, arg,
			    cause);
		step_release(&s);
		if (rc != 0)
			goto out;
	}
	rc = 0;
out:
	guildfile_free(gf);
	strvec_clear(&names);
	free(project);
	free(runs_dir);
	value_free(steps);
	value_free(flags);
	value_free(test);
	run_free(run);
	return rc;
}
