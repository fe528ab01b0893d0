/* cmd-watch.c: guild watch [RUN], follow a run's output as it is written. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-remote.h"
#include "cmds.h"
#include "home.h"
#include "output.h"
#include "run.h"
#include "runindex.h"
#include "runsel.h"
#include "slurm.h"
#include "strbuf.h"
#include "util.h"

static const struct cmd_option watch_options[] = {
	CMD_REMOTE_OPTION,
	{ 0 }
};

struct watch {
	bool	colour;
};

static void
print_line(const struct output_line *line, void *arg)
{
	struct watch	*w = arg;
	struct strbuf	 sb = STRBUF_INIT;

	/* Cooked text only: the run's own escape sequences never get through. */
	if (w->colour)
		output_line_render(line, &sb);
	else
		strbuf_add(&sb, line->text, line->len);
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
	fflush(stdout);
	strbuf_release(&sb);
}

/*
 * The run a spec names, or without one the newest running run, through
 * the index (so a home of 100,000 runs is not walked).
 */
static char *
pick_run(struct guild_home *home, const char *spec, char **cause)
{
	struct runindex		*idx;
	struct run_filter	 f;
	struct run_rows		 rows = RUN_ROWS_INIT;
	struct strvec		 specs = STRVEC_INIT;
	char			*id = NULL;

	if ((idx = runindex_open(home, cause)) == NULL)
		return NULL;
	memset(&f, 0, sizeof f);
	if (spec != NULL)
		strvec_push(&specs, spec);
	else
		f.status = 1U << RUN_STATUS_RUNNING;
	if (runsel_select_page(idx, &f, &specs, NULL, false, 0, 0, 1, &rows,
	    NULL, cause) == 0) {
		if (rows.n > 0)
			id = xstrdup(rows.v[0]->id);
		else if (spec == NULL)
			set_cause(cause, "nothing to watch: no run is running");
		else
			set_cause(cause, "could not find a run matching '%s'", spec);
	}
	run_rows_release(&rows);
	strvec_clear(&specs);
	runindex_close(idx);
	return id;
}

static int
cmd_watch_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guild_home	*home;
	struct output_tail	*tail;
	struct output_tail_hooks hooks = { .on_line = print_line };
	struct watch		 w;
	struct run		*run;
	char			*cause = NULL, *id, *path;
	enum run_status		 st;
	const struct timespec	 tick = { 0, 100 * 1000 * 1000 };
	struct run		*one[1];
	char			*job;
	uint64_t		 interval_ms = 0, next_poll = 0;

	if ((home = cli_home(ctx)) == NULL)
		return 1;
	if (a->pos.n > 1)
		return cli_error("watch takes at most one RUN");
	if ((id = pick_run(home, a->pos.n == 1 ? a->pos.v[0] : NULL,
	    &cause)) == NULL)
		return cli_error_cause(cause);
	path = run_dir_path(home->runs, id);
	run = run_open(path, &cause);
	free(path);
	if (run == NULL) {
		free(id);
		return cli_error_cause(cause);
	}
	w.colour = cli_tty(stdout) && getenv("NO_COLOR") == NULL;
	if ((tail = output_tail_open(run->path, OUTPUT_TAIL_ALL, &hooks, &w,
	    &cause)) == NULL) {
		run_free(run);
		free(id);
		return cli_error_cause(cause);
	}
	/* A Slurm job: asked about at the remote's poll-interval. */
	if ((job = slurm_run_job(run)) != NULL)
		interval_ms = cli_remote_poll_ms();
	free(job);
	one[0] = run;
	for (;;) {
		/* A run on Slurm: what its directory cannot say, from Slurm. */
		if (interval_ms > 0 && mono_ms() >= next_poll) {
			if (slurm_refresh_runs(one, 1, NULL, &cause) == -1) {
				cli_note("guild: warning: %s", cause);
				free(cause);
				cause = NULL;
			}
			next_poll = mono_ms() + interval_ms;
		}
		/* Status first: output written before it ended is then all there. */
		st = run_get_status(run);
		if (output_tail_poll(tail, &cause) == -1) {
			cli_error_cause(cause);
			cause = NULL;
			break;
		}
		if (st != RUN_STATUS_RUNNING && st != RUN_STATUS_PENDING &&
		    (interval_ms == 0 || st != RUN_STATUS_STAGED))
			break;
		nanosleep(&tick, NULL);
	}
	output_tail_finish(tail);
	output_tail_free(tail);
	printf("Run %s stopped with a status of '%s'\n", cli_field(stdout, id),
	    run_status_name(st));
	run_free(run);
	free(id);
	return 0;
}

const struct cmd_entry cmd_watch_entry = {
	.name = "watch",
	.usage = "[RUN]",
	.summary = "Watch the output of a run as it is written.",
	.description =
	    "Shows RUN's output so far and follows it until the run ends, then\n"
	    "its final status. RUN defaults to the newest running run. Escape\n"
	    "sequences in the output are filtered; colours are kept on a terminal.",
	.options = watch_options,
	.exec = cmd_watch_exec,
};
