/* slurm.c: runs as Slurm jobs (see slurm.h). */
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "proc.h"
#include "run.h"
#include "slurm.h"
#include "strbuf.h"
#include "strvec.h"
#include "util.h"
#include "value.h"
#include "xmalloc.h"

#define SCRIPT_NAME	"slurm.sh"
#define TRIALS_NAME	"slurm-trials"
/* Guild's exit status for a run ended by SIGTERM: what scancel sends. */
#define TERMINATED_EXIT	(-15)

/* One #SBATCH line; Slurm reads double quotes there as a shell would. */
static void
sbatch_line(struct strbuf *sb, const char *opt, const char *value)
{
	const char	*p;

	strbuf_addf(sb, "#SBATCH %s", opt);
	if (value == NULL) {
		strbuf_addch(sb, '\n');
		return;
	}
	strbuf_addch(sb, '=');
	if (value[strcspn(value, " \t\"'\\")] == '\0') {
		strbuf_addf(sb, "%s\n", value);
		return;
	}
	strbuf_addch(sb, '"');
	for (p = value; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *p);
	}
	strbuf_addstr(sb, "\"\n");
}

static void
add_quoted(struct strbuf *sb, const char *s)
{
	shlex_quote(sb, s);
}

char *
slurm_script(const struct run *run, const struct slurm_job_spec *spec)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*v, *trials;
	size_t		 i;

	strbuf_addstr(&sb, "#!/bin/sh\n");
	v = xasprintf("guild-%.8s", run->id);
	sbatch_line(&sb, "--job-name", v);
	free(v);
	v = xasprintf("guild-run:%s", run->id);
	sbatch_line(&sb, "--comment", v);
	free(v);
	sbatch_line(&sb, "--chdir", run->path);
	/* Absolute: Slurm silently loses a relative log beside --chdir. */
	v = xasprintf("%s/.guild/slurm-%s.out", run->path,
	    spec->trials != NULL ? "%A_%a" : "%j");
	sbatch_line(&sb, "--output", v);
	free(v);
	sbatch_line(&sb, "--open-mode", "append");
	/* A requeued job would start a run that has already started. */
	sbatch_line(&sb, "--no-requeue", NULL);
	if (spec->trials != NULL) {
		v = spec->parallel > 0 ?
		    xasprintf("0-%zu%%%u", spec->trials->n - 1, spec->parallel) :
		    xasprintf("0-%zu", spec->trials->n - 1);
		sbatch_line(&sb, "--array", v);
		free(v);
	}
	for (i = 0; spec->sbatch_args != NULL && i < spec->sbatch_args->n; i++)
		strbuf_addf(&sb, "#SBATCH %s\n", spec->sbatch_args->v[i]);
	strbuf_addstr(&sb, "\n");
	for (i = 0; spec->init != NULL && i < spec->init->n; i++)
		strbuf_addf(&sb, "%s\n", spec->init->v[i]);
	for (i = 0; spec->env != NULL && i < spec->env->n; i++) {
		const char	*eq = strchr(spec->env->v[i], '=');

		if (eq == NULL || eq == spec->env->v[i])
			continue;
		strbuf_addf(&sb, "export %.*s=", (int)(eq - spec->env->v[i]),
		    spec->env->v[i]);
		add_quoted(&sb, eq + 1);
		strbuf_addch(&sb, '\n');
	}
	if (spec->guild_home != NULL) {
		strbuf_addstr(&sb, "GUILD_HOME=");
		add_quoted(&sb, spec->guild_home);
		strbuf_addstr(&sb, "\nexport GUILD_HOME\n");
	}
	if (spec->trials != NULL) {
		trials = xasprintf("%s/" TRIALS_NAME, run->guild);
		strbuf_addstr(&sb, "run=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" ");
		add_quoted(&sb, trials);
		strbuf_addstr(&sb, ")\n");
		free(trials);
		/* Trials are the batch run's siblings. */
		v = path_join(run->path, "..");
		strbuf_addstr(&sb, "runs=");
		add_quoted(&sb, v);
		free(v);
		strbuf_addstr(&sb, "\n"
		    "rm -f \"$runs/$run/.guild/PENDING\"\n");
	} else {
		strbuf_addstr(&sb, "run=");
		add_quoted(&sb, run->id);
		strbuf_addstr(&sb, "\nrm -f ");
		v = xasprintf("%s/PENDING", run->guild);
		add_quoted(&sb, v);
		free(v);
		strbuf_addch(&sb, '\n');
	}
	strbuf_addstr(&sb, "exec ");
	add_quoted(&sb, spec->guild_bin != NULL ? spec->guild_bin : "guild");
	/* -q: the run's output is in the run; the log gets guild's errors. */
	strbuf_addstr(&sb, " run --start \"$run\" -y -q\n");
	return strbuf_detach(&sb, NULL);
}

/* Command output, collected. */
struct capture {
	struct strbuf	out;
	struct strbuf	err;
};

static void
capture_data(struct proc *p, const char *buf, size_t len, int stream,
    void *arg)
{
	struct capture	*c = arg;

	(void)p;
	strbuf_add(stream == 0 ? &c->out : &c->err, buf, len);
}

/*
 * Run argv to its end, its output in c; 0 when it exited 0, else -1 with
 * cause "CMD: its first line of error" (or its exit code).
 */
static int
run_command(const char *const *argv, const char *cwd, struct capture *c,
    char **cause)
{
	struct proc_spec	 spec;
	struct proc_hooks	 hooks = { .on_data = capture_data };
	char			*line, *nl;
	int			 code;

	memset(&spec, 0, sizeof spec);
	spec.argv = argv;
	spec.cwd = cwd;
	spec.mode = PROC_PIPES;
	strbuf_init(&c->out);
	strbuf_init(&c->err);
	if (proc_run(&spec, &hooks, c, &code, cause) == -1)
		return -1;
	if (code == 0)
		return 0;
	line = str_trim(c->err.len > 0 ? c->err.buf : c->out.len > 0 ?
	    c->out.buf : "");
	if ((nl = strchr(line, '\n')) != NULL)
		*nl = '\0';
	if (*line != '\0')
		set_cause(cause, "%s: %s", argv[0], line);
	else
		set_cause(cause, "%s exited with status %d", argv[0], code);
	free(line);
	return -1;
}

static void
capture_release(struct capture *c)
{
	strbuf_release(&c->out);
	strbuf_release(&c->err);
}

/* An empty PENDING, as Guild AI writes it: pending whoever is alive. */
static int
pending_set(const char *guild_dir, char **cause)
{
	char	*path = path_join(guild_dir, "PENDING");
	int	 rc;

	rc = write_file_atomic(path, "", 0, cause);
	free(path);
	return rc;
}

static void
pending_clear(const char *guild_dir)
{
	char	*path = path_join(guild_dir, "PENDING");

	unlink(path);
	free(path);
}

static int
job_attr_write(const char *runs_dir, const char *id, const char *job,
    char **cause)
{
	struct run	 r;
	struct value	*v = value_string(job);
	char		*path = run_dir_path(runs_dir, id);
	int		 rc;

	r.id = (char *)id;
	r.path = path;
	r.guild = path_join(path, ".guild");
	rc = run_attr_write(&r, "slurm_job_id", v, cause);
	value_free(v);
	free(r.guild);
	free(path);
	return rc;
}

/* The runs an array job starts: the trials, siblings of the batch run. */
static char *
runs_dir_of(const struct run *run)
{
	char	*dir = xstrdup(run->path), *slash;

	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	return dir;
}

/* Mark (or unmark) pending the run and its trials. */
static int
mark_pending(const struct run *run, const struct slurm_job_spec *spec,
    bool on, char **cause)
{
	char	*runs = runs_dir_of(run), *g;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; spec->trials != NULL && i < spec->trials->n; i++) {
		g = xasprintf("%s/%s/.guild", runs, spec->trials->v[i]);
		if (on && rc == 0)
			rc = pending_set(g, cause);
		else if (!on)
			pending_clear(g);
		free(g);
	}
	if (on && rc == 0)
		rc = pending_set(run->guild, cause);
	else if (!on)
		pending_clear(run->guild);
	free(runs);
	return rc;
}

/* The id in sbatch --parsable's "JOBID" or "JOBID;CLUSTER". */
static char *
parse_job_id(const char *out)
{
	size_t	n = strspn(out, "0123456789");

	if (n == 0 || (out[n] != '\0' && out[n] != ';' && out[n] != '\n'))
		return NULL;
	return xstrndup(out, n);
}

int
slurm_submit(const struct run *run, const struct slurm_job_spec *spec,
    char **job_id, char **cause)
{
	struct capture	 c;
	struct strbuf	 trials = STRBUF_INIT;
	char		*script, *path, *id = NULL, *runs, *task;
	size_t		 i;
	int		 rc = -1;
	const char	*argv[] = { "sbatch", "--parsable", NULL, NULL };

	*job_id = NULL;
	if (spec->trials != NULL && spec->trials->n == 0)
		return set_cause(cause, "an array job needs trials");
	script = slurm_script(run, spec);
	path = path_join(run->guild, SCRIPT_NAME);
	if (write_file_atomic(path, script, strlen(script), cause) == -1)
		goto out;
	if (spec->trials != NULL) {
		char	*tpath = path_join(run->guild, TRIALS_NAME);

		for (i = 0; i < spec->trials->n; i++)
			strbuf_addf(&trials, "%s\n", spec->trials->v[i]);
		rc = write_file_atomic(tpath, trials.buf, trials.len, cause);
		free(tpath);
		if (rc == -1)
			goto out;
		rc = -1;
	}
	if (mark_pending(run, spec, true, cause) == -1) {
		mark_pending(run, spec, false, NULL);
		goto out;
	}
	argv[2] = path;
	if (run_command(argv, run->path, &c, cause) == -1) {
		capture_release(&c);
		mark_pending(run, spec, false, NULL);
		goto out;
	}
	if ((id = parse_job_id(c.out.buf != NULL ? c.out.buf : "")) == NULL) {
		set_cause(cause, "sbatch: no job id in its output: %.80s",
		    c.out.len > 0 ? c.out.buf : "(nothing)");
		capture_release(&c);
		mark_pending(run, spec, false, NULL);
		goto out;
	}
	capture_release(&c);
	/* The job exists now: its id is recorded even if a trial's fails. */
	runs = runs_dir_of(run);
	rc = job_attr_write(runs, run->id, id, cause);
	for (i = 0; rc == 0 && spec->trials != NULL && i < spec->trials->n;
	    i++) {
		task = xasprintf("%s_%zu", id, i);
		rc = job_attr_write(runs, spec->trials->v[i], task, cause);
		free(task);
	}
	free(runs);
	*job_id = id;
	id = NULL;
out:
	free(id);
	free(script);
	free(path);
	strbuf_release(&trials);
	return rc;
}

/* States. */

static const struct {
	const char		*name;
	enum slurm_state	 state;
} slurm_states[] = {
	{ "PENDING",		SLURM_PENDING },
	{ "CONFIGURING",	SLURM_PENDING },
	{ "REQUEUED",		SLURM_PENDING },
	{ "REQUEUE_HOLD",	SLURM_PENDING },
	{ "REQUEUE_FED",	SLURM_PENDING },
	{ "RESV_DEL_HOLD",	SLURM_PENDING },
	{ "RUNNING",		SLURM_RUNNING },
	{ "COMPLETING",		SLURM_RUNNING },
	{ "STAGE_OUT",		SLURM_RUNNING },
	{ "SIGNALING",		SLURM_RUNNING },
	{ "RESIZING",		SLURM_RUNNING },
	{ "SUSPENDED",		SLURM_RUNNING },
	{ "STOPPED",		SLURM_RUNNING },
	{ "COMPLETED",		SLURM_COMPLETED },
	{ "FAILED",		SLURM_ERROR },
	{ "OUT_OF_MEMORY",	SLURM_ERROR },
	{ "NODE_FAIL",		SLURM_ERROR },
	{ "BOOT_FAIL",		SLURM_ERROR },
	{ "SPECIAL_EXIT",	SLURM_ERROR },
	{ "CANCELLED",		SLURM_TERMINATED },
	{ "TIMEOUT",		SLURM_TERMINATED },
	{ "PREEMPTED",		SLURM_TERMINATED },
	{ "DEADLINE",		SLURM_TERMINATED },
	{ "REVOKED",		SLURM_TERMINATED },
};

enum slurm_state
slurm_state_of(const char *name)
{
	size_t	i, n = strcspn(name, " +");

	/* sacct says "CANCELLED by 0"; squeue may add a "+". */
	for (i = 0; i < sizeof slurm_states / sizeof slurm_states[0]; i++)
		if (strlen(slurm_states[i].name) == n &&
		    strncmp(slurm_states[i].name, name, n) == 0)
			return slurm_states[i].state;
	return SLURM_UNKNOWN;
}

bool
slurm_state_ended(enum slurm_state st)
{
	return st == SLURM_COMPLETED || st == SLURM_ERROR ||
	    st == SLURM_TERMINATED;
}

/* Split line on '|' into at most n fields; the number found. */
static size_t
split_fields(char *line, char **f, size_t n)
{
	size_t	i = 0;
	char	*p = line, *bar;

	while (i < n) {
		f[i++] = p;
		if ((bar = strchr(p, '|')) == NULL)
			break;
		*bar = '\0';
		p = bar + 1;
	}
	return i;
}

static void
jobs_add(struct slurm_jobs *jobs, const char *id, const char *state,
    const char *reason, int exit_code)
{
	struct slurm_job	*j;

	jobs->v = xreallocarray(jobs->v, jobs->n + 1, sizeof *jobs->v);
	j = &jobs->v[jobs->n++];
	j->id = xstrdup(id);
	j->state = slurm_state_of(state);
	j->state_name = xstrndup(state, strcspn(state, " +"));
	j->reason = xstrdup(reason);
	j->exit_code = exit_code;
}

/* Each line of text, trimmed, to fn. */
static void
each_line(const char *text, void (*fn)(char *, struct slurm_jobs *),
    struct slurm_jobs *jobs)
{
	const char	*p = text, *nl;
	char		*line;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		line = xstrndup(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		fn(line, jobs);
		free(line);
		p = nl != NULL ? nl + 1 : NULL;
	}
}

static void
squeue_line(char *line, struct slurm_jobs *jobs)
{
	char	*f[3], *id;

	if (split_fields(line, f, 3) != 3)
		return;
	id = str_trim(f[0]);
	if (*id != '\0' && strspn(id, "0123456789") > 0)
		jobs_add(jobs, id, f[1], f[2], -1);
	free(id);
}

void
slurm_parse_squeue(const char *text, struct slurm_jobs *jobs)
{
	each_line(text, squeue_line, jobs);
}

static void
sacct_line(char *line, struct slurm_jobs *jobs)
{
	char	*f[3], *end;
	long	 code;

	if (split_fields(line, f, 3) != 3 || strspn(f[0], "0123456789") == 0)
		return;
	/* ExitCode is "CODE:SIGNAL". */
	errno = 0;
	code = strtol(f[2], &end, 10);
	if (end == f[2] || errno != 0 || code < 0 || code > 255)
		code = -1;
	jobs_add(jobs, f[0], f[1], "", (int)code);
}

void
slurm_parse_sacct(const char *text, struct slurm_jobs *jobs)
{
	each_line(text, sacct_line, jobs);
}

const struct slurm_job *
slurm_jobs_find(const struct slurm_jobs *jobs, const char *id)
{
	size_t	i;

	for (i = 0; i < jobs->n; i++)
		if (strcmp(jobs->v[i].id, id) == 0)
			return &jobs->v[i];
	return NULL;
}

void
slurm_jobs_clear(struct slurm_jobs *jobs)
{
	size_t	i;

	for (i = 0; i < jobs->n; i++) {
		free(jobs->v[i].id);
		free(jobs->v[i].state_name);
		free(jobs->v[i].reason);
	}
	free(jobs->v);
	jobs->v = NULL;
	jobs->n = 0;
}

/*
 * An array job as a whole (squeue -r shows only its tasks, "ID_I"):
 * running while a task waits or runs (pending while all of them wait),
 * else ended: an error if a task failed, terminated if one was
 * cancelled, else completed. Adds it to jobs; false when no task is known.
 */
static bool
array_state(struct slurm_jobs *jobs, const char *id)
{
	size_t		 i, len = strlen(id), ntasks = 0, npending = 0;
	size_t		 nlive = 0, nerror = 0, nterm = 0;
	const char	*reason = "";

	if (strchr(id, '_') != NULL)
		return false;
	for (i = 0; i < jobs->n; i++) {
		if (strncmp(jobs->v[i].id, id, len) != 0 ||
		    jobs->v[i].id[len] != '_')
			continue;
		ntasks++;
		switch (jobs->v[i].state) {
		case SLURM_PENDING:
			npending++;
			reason = jobs->v[i].reason;
			/* FALLTHROUGH */
		case SLURM_RUNNING:
		case SLURM_UNKNOWN:
			nlive++;
			break;
		case SLURM_ERROR:
			nerror++;
			break;
		case SLURM_TERMINATED:
			nterm++;
			break;
		case SLURM_COMPLETED:
			break;
		}
	}
	if (ntasks == 0)
		return false;
	if (npending == ntasks)
		jobs_add(jobs, id, "PENDING", reason, -1);
	else if (nlive > 0)
		jobs_add(jobs, id, "RUNNING", "", -1);
	else if (nerror > 0)
		jobs_add(jobs, id, "FAILED", "", 1);
	else if (nterm > 0)
		jobs_add(jobs, id, "CANCELLED", "", -1);
	else
		jobs_add(jobs, id, "COMPLETED", "", 0);
	return true;
}

/* The state of the jobs ids (any number): see slurm_refresh. */
static int
slurm_query(const struct strvec *ids, struct slurm_jobs *jobs, char **cause)
{
	struct capture	 c;
	struct strvec	 missing = STRVEC_INIT;
	char		*list;
	size_t		 i;
	/*
	 * All of the user's jobs, finished ones too (for MinJobAge), one
	 * line per array task: an unknown id among -j ids would fail the
	 * whole call.
	 */
	const char	*squeue[] = { "squeue", "--me", "-h", "-r", "-t", "all",
	    "-o", "%i|%T|%r", NULL };
	const char	*sacct[] = { "sacct", "-X", "-n", "-P", "-o",
	    "JobID,State,ExitCode", "-j", NULL, NULL };

	if (ids->n == 0)
		return 0;
	if (run_command(squeue, NULL, &c, cause) == -1) {
		capture_release(&c);
		return -1;
	}
	slurm_parse_squeue(c.out.buf != NULL ? c.out.buf : "", jobs);
	capture_release(&c);
	for (i = 0; i < ids->n; i++)
		if (slurm_jobs_find(jobs, ids->v[i]) == NULL &&
		    !array_state(jobs, ids->v[i]))
			strvec_push(&missing, ids->v[i]);
	if (missing.n > 0) {
		list = strvec_join(&missing, ",");
		sacct[7] = list;
		/* No accounting here (no slurmdbd): they stay unknown. */
		if (run_command(sacct, NULL, &c, NULL) == 0)
			slurm_parse_sacct(c.out.buf != NULL ? c.out.buf : "",
			    jobs);
		capture_release(&c);
		free(list);
	}
	strvec_clear(&missing);
	return 0;
}

/* Reconciling runs with their jobs. */

static bool
run_has_exit(const struct run *run)
{
	char	*path = xasprintf("%s/attrs/exit_status", run->guild);
	bool	 has = path_exists(path);

	free(path);
	return has;
}

/* An array job's batch run: it has the trials file. */
static bool
run_is_array(const struct run *run)
{
	char	*path = path_join(run->guild, TRIALS_NAME);
	bool	 is = path_exists(path);

	free(path);
	return is;
}

/* LOCK.remote (run.h): "slurm:JOB". */
static int
run_remote_mark(const struct run *run, const char *job, char **cause)
{
	char	*path = path_join(run->guild, "LOCK.remote");
	char	*text = xasprintf("slurm:%s", job);
	int	 rc = 0;

	if (!path_exists(path))
		rc = write_file_atomic(path, text, strlen(text), cause);
	free(text);
	free(path);
	return rc;
}

static void
remote_mark_clear(const struct run *run)
{
	char	*path = path_join(run->guild, "LOCK.remote");

	unlink(path);
	free(path);
}

char *
slurm_run_job(const struct run *run)
{
	struct value	*v = NULL;
	char		*id = NULL;

	if (run_attr_read(run, "slurm_job_id", &v, NULL) == 0 && v != NULL) {
		if (v->type == VALUE_STRING)
			id = xstrdup(v->u.s);
		else if (v->type == VALUE_INT)
			id = xasprintf("%lld", v->u.i);
	}
	value_free(v);
	return id;
}

static int
attr_string_set(const struct run *run, const char *name, const char *s,
    char **cause)
{
	struct value	*v = NULL;
	int		 rc = 0;

	if (run_attr_read(run, name, &v, NULL) == 0 && v != NULL &&
	    v->type == VALUE_STRING && strcmp(v->u.s, s) == 0) {
		value_free(v);
		return 0;
	}
	value_free(v);
	v = value_string(s);
	rc = run_attr_write(run, name, v, cause);
	value_free(v);
	return rc == -1 ? -1 : 1;
}

int
slurm_reconcile(const struct run *run, const struct slurm_job *job,
    char **cause)
{
	struct value	*v;
	long long	 code;
	bool		 array;
	int		 rc;

	if (job == NULL || run_has_exit(run))
		return 0;
	if (job->state == SLURM_PENDING)
		return attr_string_set(run, "slurm_reason", job->reason, cause);
	array = run_is_array(run);
	/*
	 * No guild process holds an array job's batch run: while its
	 * trials run it is marked running as a remote run is.
	 */
	if (job->state == SLURM_RUNNING && array) {
		if (run_remote_mark(run, job->id, cause) == -1)
			return -1;
		pending_clear(run->guild);
		run_marker_clear(run, RUN_MARKER_STAGED, NULL);
		return 1;
	}
	if (!slurm_state_ended(job->state) ||
	    (job->state == SLURM_COMPLETED && !array))
		return 0;
	/*
	 * A guild of this machine still alive is writing the end itself:
	 * let it. One on another node is gone once its job has ended.
	 */
	if (run_lock_alive(run)) {
		char	*host = run_lock_host(run);

		free(host);
		if (host == NULL)
			return 0;
	}
	if (job->state == SLURM_TERMINATED)
		code = TERMINATED_EXIT;
	else if (job->state == SLURM_COMPLETED)
		code = 0;
	else
		code = job->exit_code > 0 ? job->exit_code : 1;
	if (attr_string_set(run, "slurm_state", job->state_name, cause) == -1)
		return -1;
	v = value_int(run_now_us());
	rc = run_attr_write(run, "stopped", v, cause);
	value_free(v);
	if (rc == -1)
		return -1;
	v = value_int(code);
	rc = run_attr_write(run, "exit_status", v, cause);
	value_free(v);
	if (rc == -1)
		return -1;
	pending_clear(run->guild);
	run_marker_clear(run, RUN_MARKER_STAGED, NULL);
	run_lock_clear(run, NULL);
	if (array)
		remote_mark_clear(run);
	return 1;
}

int
slurm_refresh_runs(struct run *const *runs, size_t n, size_t *changed,
    char **cause)
{
	struct strvec	 jobids = STRVEC_INIT;
	struct slurm_jobs jobs = SLURM_JOBS_INIT;
	struct run	**with = xreallocarray(NULL, n + 1, sizeof *with);
	char		*job;
	size_t		 i, m = 0;
	int		 rc = -1, r;

	if (changed != NULL)
		*changed = 0;
	for (i = 0; i < n; i++) {
		if (run_has_exit(runs[i]) ||
		    (job = slurm_run_job(runs[i])) == NULL)
			continue;
		with[m++] = runs[i];
		strvec_push_nodup(&jobids, job);
	}
	if (slurm_query(&jobids, &jobs, cause) == -1)
		goto out;
	rc = 0;
	for (i = 0; i < m; i++) {
		r = slurm_reconcile(with[i],
		    slurm_jobs_find(&jobs, jobids.v[i]), cause);
		if (r == -1) {
			rc = -1;
			break;
		}
		if (r == 1 && changed != NULL)
			(*changed)++;
	}
out:
	free(with);
	slurm_jobs_clear(&jobs);
	strvec_clear(&jobids);
	return rc;
}

int
slurm_refresh(const char *runs_dir, size_t *changed, char **cause)
{
	struct strvec	 ids = STRVEC_INIT;
	struct run	**runs;
	struct run	*run;
	char		*path;
	size_t		 i, n = 0;
	int		 rc;

	if (run_list(runs_dir, &ids, cause) == -1)
		return -1;
	runs = xreallocarray(NULL, ids.n + 1, sizeof *runs);
	for (i = 0; i < ids.n; i++) {
		path = run_dir_path(runs_dir, ids.v[i]);
		run = run_open(path, NULL);
		free(path);
		if (run != NULL)
			runs[n++] = run;
	}
	rc = slurm_refresh_runs(runs, n, changed, cause);
	for (i = 0; i < n; i++)
		run_free(runs[i]);
	free(runs);
	strvec_clear(&ids);
	return rc;
}

int
slurm_cancel(const char *job_id, char **cause)
{
	struct capture	 c;
	const char	*argv[] = { "scancel", job_id, NULL };
	int		 rc;

	rc = run_command(argv, NULL, &c, cause);
	capture_release(&c);
	return rc;
}
