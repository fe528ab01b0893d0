/*
 * test-slurm.c: Slurm job scripts, submission (with a stand-in sbatch),
 * squeue/sacct output, states, and runs brought in line with their jobs.
 * The real cluster is tested by tests/cli/slurm*.sh.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "home.h"
#include "run.h"
#include "slurm.h"
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
	    run_opref_write(run, &ref, &cause) == -1 ||
	    run_marker_clear(run, RUN_MARKER_PENDING, &cause) == -1 ||
	    run_marker_set(run, RUN_MARKER_STAGED, &cause) == -1) {
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

static bool
has_line(const char *text, const char *line)
{
	size_t		 n = strlen(line);
	const char	*p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

static void
test_states(void)
{
	is_int(slurm_state_of("PENDING"), SLURM_PENDING, "PENDING");
	is_int(slurm_state_of("RUNNING"), SLURM_RUNNING, "RUNNING");
	is_int(slurm_state_of("COMPLETING"), SLURM_RUNNING, "COMPLETING");
	is_int(slurm_state_of("COMPLETED"), SLURM_COMPLETED, "COMPLETED");
	is_int(slurm_state_of("FAILED"), SLURM_ERROR, "FAILED");
	is_int(slurm_state_of("OUT_OF_MEMORY"), SLURM_ERROR, "OUT_OF_MEMORY");
	is_int(slurm_state_of("NODE_FAIL"), SLURM_ERROR, "NODE_FAIL");
	is_int(slurm_state_of("CANCELLED by 0"), SLURM_TERMINATED,
	    "CANCELLED by 0 (sacct)");
	is_int(slurm_state_of("TIMEOUT"), SLURM_TERMINATED, "TIMEOUT");
	is_int(slurm_state_of("PREEMPTED"), SLURM_TERMINATED, "PREEMPTED");
	is_int(slurm_state_of("CANCEL"), SLURM_UNKNOWN, "a prefix is unknown");
	is_int(slurm_state_of(""), SLURM_UNKNOWN, "empty is unknown");
	ok(slurm_state_ended(SLURM_TERMINATED) &&
	    !slurm_state_ended(SLURM_PENDING), "ended");
}

static void
test_parse(void)
{
	struct slurm_jobs	 jobs = SLURM_JOBS_INIT;
	const struct slurm_job	*j;

	slurm_parse_squeue("12|PENDING|Priority\n"
	    "13_0|RUNNING|None\n"
	    "garbage line\n"
	    "|RUNNING|None\n"
	    "14|CANCELLED|JobHeldUser", &jobs);
	is_int((long long)jobs.n, 3, "three jobs parsed, bad lines skipped");
	j = slurm_jobs_find(&jobs, "12");
	ok(j != NULL && j->state == SLURM_PENDING &&
	    strcmp(j->reason, "Priority") == 0, "pending with its reason");
	j = slurm_jobs_find(&jobs, "13_0");
	ok(j != NULL && j->state == SLURM_RUNNING, "an array task");
	j = slurm_jobs_find(&jobs, "14");
	ok(j != NULL && j->state == SLURM_TERMINATED &&
	    strcmp(j->state_name, "CANCELLED") == 0,
	    "last line without newline");
	ok(slurm_jobs_find(&jobs, "1") == NULL, "an id is matched whole");
	slurm_jobs_clear(&jobs);

	slurm_parse_sacct("20|FAILED|3:0\n21|CANCELLED by 0|0:15\n"
	    "22|OUT_OF_MEMORY|0:125\n", &jobs);
	is_int((long long)jobs.n, 3, "sacct lines");
	j = slurm_jobs_find(&jobs, "20");
	ok(j != NULL && j->state == SLURM_ERROR && j->exit_code == 3,
	    "failed with its exit code");
	j = slurm_jobs_find(&jobs, "21");
	ok(j != NULL && j->state == SLURM_TERMINATED &&
	    strcmp(j->state_name, "CANCELLED") == 0, "cancelled by a user");
	slurm_jobs_clear(&jobs);
}

static void
test_script(const struct guild_home *home)
{
	const char		*id = "aaaa0000aaaa0000aaaa0000aaaa0000";
	struct run		*run = make_run(home, id);
	struct strvec		 args = STRVEC_INIT, init = STRVEC_INIT;
	struct strvec		 env = STRVEC_INIT, trials = STRVEC_INIT;
	struct slurm_job_spec	 spec;
	char			*s, *line;

	strvec_push(&args, "--partition=gpu");
	strvec_push(&args, "--time=1:00");
	strvec_push(&init, "module load cuda");
	strvec_push(&env, "A=it's");
	memset(&spec, 0, sizeof spec);
	spec.sbatch_args = &args;
	spec.init = &init;
	spec.env = &env;
	spec.guild_bin = "/opt/guild/bin/guild";
	spec.guild_home = home->path;
	s = slurm_script(run, &spec);
	ok(strncmp(s, "#!/bin/sh\n", 10) == 0, "a shell script");
	ok(has_line(s, "#SBATCH --job-name=guild-aaaa0000"), "job name");
	ok(has_line(s, "#SBATCH --comment=guild-run:"
	    "aaaa0000aaaa0000aaaa0000aaaa0000"), "comment with the run id");
	line = xasprintf("#SBATCH --chdir=%s", run->path);
	ok(has_line(s, line) && run->path[0] == '/', "absolute --chdir");
	free(line);
	line = xasprintf("#SBATCH --output=%s/.guild/slurm-%%j.out", run->path);
	ok(has_line(s, line), "absolute --output");
	free(line);
	ok(has_line(s, "#SBATCH --no-requeue"), "never requeued");
	ok(has_line(s, "#SBATCH --partition=gpu") &&
	    has_line(s, "#SBATCH --time=1:00") &&
	    strstr(s, "--partition=gpu") < strstr(s, "--time=1:00"),
	    "sbatch-args in order");
	ok(strstr(s, "--array") == NULL, "a run is no array");
	ok(has_line(s, "module load cuda"), "init lines");
	ok(has_line(s, "export A='it'\"'\"'s'"), "env quoted");
	ok(has_line(s, "exec /opt/guild/bin/guild run --start \"$run\" -y -q"),
	    "starts the staged run with guild-bin");
	ok(strstr(s, "module load") < strstr(s, "exec "),
	    "init before guild");
	free(s);

	strvec_push(&trials, "bbbb");
	strvec_push(&trials, "cccc");
	strvec_push(&trials, "dddd");
	memset(&spec, 0, sizeof spec);
	spec.trials = &trials;
	spec.parallel = 2;
	s = slurm_script(run, &spec);
	ok(has_line(s, "#SBATCH --array=0-2%2"), "--array=0-N-1%%P");
	line = xasprintf("#SBATCH --output=%s/.guild/slurm-%%A_%%a.out",
	    run->path);
	ok(has_line(s, line), "one log per task");
	free(line);
	ok(strstr(s, "SLURM_ARRAY_TASK_ID") != NULL, "task picks its trial");
	ok(has_line(s, "exec guild run --start \"$run\" -y -q"),
	    "guild in PATH by default");
	free(s);
	spec.parallel = 0;
	s = slurm_script(run, &spec);
	ok(has_line(s, "#SBATCH --array=0-2"), "no %%P without parallelism");
	free(s);

	strvec_clear(&args);
	strvec_clear(&init);
	strvec_clear(&env);
	strvec_clear(&trials);
	run_free(run);
}

/* A stand-in sbatch in dir, first in PATH: prints out, exits code. */
static void
fake_sbatch(const char *dir, const char *out, int code)
{
	char	*path = path_join(dir, "sbatch"), *text;

	text = xasprintf("#!/bin/sh\necho \"$@\" > \"%s/sbatch.args\"\n"
	    "printf '%%s\\n' '%s'\nexit %d\n", dir, out, code);
	write_file_atomic(path, text, strlen(text), NULL);
	chmod(path, 0755);
	free(text);
	free(path);
}

static void
test_submit(const struct guild_home *home, const char *bin)
{
	const char		*id = "eeee0000eeee0000eeee0000eeee0000";
	struct run		*run = make_run(home, id), *t;
	struct slurm_job_spec	 spec;
	struct strvec		 trials = STRVEC_INIT;
	char			*cause = NULL, *job = NULL, *a, *p;

	memset(&spec, 0, sizeof spec);
	fake_sbatch(bin, "4242;cluster", 0);
	is_int(slurm_submit(run, &spec, &job, &cause), 0, "submitted");
	is_str(job, "4242", "job id from --parsable");
	a = slurm_run_job(run);
	is_str(a, "4242", "job id recorded");
	free(a);
	ok(run_marker_exists(run, RUN_MARKER_PENDING) &&
	    run_get_status(run) == RUN_STATUS_PENDING, "pending while queued");
	ok(run_marker_exists(run, RUN_MARKER_STAGED), "still staged");
	p = path_join(run->guild, "slurm.sh");
	ok(path_is_file(p), "script in the run");
	free(p);
	free(job);
	job = NULL;
	run_free(run);

	id = "ffff0000ffff0000ffff0000ffff0000";
	run = make_run(home, id);
	fake_sbatch(bin, "sbatch: error: invalid partition specified: gpu", 1);
	is_int(slurm_submit(run, &spec, &job, &cause), -1, "sbatch fails");
	is_str(cause, "sbatch: sbatch: error: invalid partition specified: gpu",
	    "sbatch's message");
	free(cause);
	cause = NULL;
	ok(job == NULL && !run_marker_exists(run, RUN_MARKER_PENDING) &&
	    run_get_status(run) == RUN_STATUS_STAGED,
	    "not left pending after a failure");
	fake_sbatch(bin, "no id here", 0);
	is_int(slurm_submit(run, &spec, &job, &cause), -1, "no job id");
	ok(cause != NULL && strstr(cause, "no job id") != NULL,
	    "said so: %s", cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	run_free(run);

	/* An array: every trial pending with its task id. */
	run = make_run(home, "abab0000abab0000abab0000abab0000");
	run_free(make_run(home, "cdcd0000cdcd0000cdcd0000cdcd0000"));
	run_free(make_run(home, "efef0000efef0000efef0000efef0000"));
	strvec_push(&trials, "cdcd0000cdcd0000cdcd0000cdcd0000");
	strvec_push(&trials, "efef0000efef0000efef0000efef0000");
	spec.trials = &trials;
	fake_sbatch(bin, "77", 0);
	is_int(slurm_submit(run, &spec, &job, &cause), 0, "array submitted");
	p = run_dir_path(home->runs, "efef0000efef0000efef0000efef0000");
	t = run_open(p, &cause);
	free(p);
	a = t != NULL ? slurm_run_job(t) : NULL;
	is_str(a, "77_1", "the second trial is task 1");
	ok(t != NULL && run_get_status(t) == RUN_STATUS_PENDING,
	    "trials pending");
	free(a);
	run_free(t);
	free(job);
	strvec_clear(&trials);
	run_free(run);
}

static void
test_reconcile(const struct guild_home *home)
{
	struct run	*run = make_run(home, "1111000011110000111100001111000a");
	char		 id5[] = "5", pending[] = "PENDING";
	char		 held[] = "JobHeldUser", cancelled[] = "CANCELLED";
	char		 oom[] = "OUT_OF_MEMORY";
	struct slurm_job job = { .id = id5, .state_name = pending,
	    .reason = held, .exit_code = -1 };
	char		*cause = NULL, *a;

	job.state = SLURM_PENDING;
	is_int(slurm_reconcile(run, &job, &cause), 1, "pending: reason kept");
	a = attr_text(run, "slurm_reason");
	is_str(a, "JobHeldUser", "slurm_reason");
	free(a);
	is_int(slurm_reconcile(run, &job, &cause), 0, "unchanged: not written");

	job.state = SLURM_RUNNING;
	is_int(slurm_reconcile(run, &job, &cause), 0, "running: the run says");

	/* Cancelled before it started: no guild wrote an end. */
	job.state = SLURM_TERMINATED;
	job.state_name = cancelled;
	is_int(slurm_reconcile(run, &job, &cause), 1, "cancelled: written");
	a = attr_text(run, "exit_status");
	is_str(a, "-15", "exit status of a SIGTERM");
	free(a);
	ok(run_get_status(run) == RUN_STATUS_TERMINATED, "terminated");
	ok(!run_marker_exists(run, RUN_MARKER_STAGED) &&
	    !run_marker_exists(run, RUN_MARKER_PENDING), "markers gone");
	a = attr_text(run, "stopped");
	ok(a != NULL, "stopped written");
	free(a);
	job.state = SLURM_ERROR;
	is_int(slurm_reconcile(run, &job, &cause), 0,
	    "an exit status already there stays");
	run_free(run);

	run = make_run(home, "2222000022220000222200002222000b");
	job.state = SLURM_ERROR;
	job.state_name = oom;
	job.exit_code = 0;
	is_int(slurm_reconcile(run, &job, &cause), 1, "out of memory");
	ok(run_get_status(run) == RUN_STATUS_ERROR, "error");
	a = attr_text(run, "slurm_state");
	is_str(a, "OUT_OF_MEMORY", "Slurm's state kept");
	free(a);
	run_free(run);

	run = make_run(home, "3333000033330000333300003333000c");
	job.state = SLURM_COMPLETED;
	is_int(slurm_reconcile(run, &job, &cause), 0,
	    "completed: the run's own exit status decides");
	is_int(slurm_reconcile(run, NULL, &cause), 0, "unknown job: nothing");
	run_free(run);
}

int
main(void)
{
	struct guild_home	*home;
	char			 tmpl[] = "/tmp/test-slurm.XXXXXX";
	char			*dir, *cause = NULL, *bin, *path;

	if ((dir = mkdtemp(tmpl)) == NULL)
		return 1;
	home = home_new(dir, &cause);
	home_ensure(home, &cause);
	bin = path_join(dir, "bin");
	mkdir_p(bin, 0755, NULL);
	path = xasprintf("%s:%s", bin, getenv("PATH") != NULL ?
	    getenv("PATH") : "/bin:/usr/bin");
	setenv("PATH", path, 1);
	free(path);

	test_states();
	test_parse();
	test_script(home);
	test_submit(home, bin);
	test_reconcile(home);

	rm_rf(dir, NULL);
	free(bin);
	home_free(home);
	return done_testing();
}
