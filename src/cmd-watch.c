/* cmd-watch.c: guild watch [RUN], follow a run's output as it is written. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmds.h"
#include "home.h"
#include "output.h"
#include "run.h"
#include "runsel.h"
#include "strbuf.h"
#include "util.h"

static const struct cmd_option watch_options[] = {
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

/* The newest running run, or NULL. */
static char *
latest_running(const char *runs_dir, const struct strvec *ids)
{
	size_t	i;

	for (i = 0; i < ids->n; i++) {
		char		*path = path_join(runs_dir, ids->v[i]);
		struct run	*run = run_open(path, NULL);
		bool		 running = run != NULL &&
		    run_get_status(run) == RUN_STATUS_RUNNING;

		run_free(run);
		free(path);
		if (running)
			return xstrdup(ids->v[i]);
	}
	return NULL;
}

static int
cmd_watch_exec(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct guild_home	*home;
	struct strvec		 ids = STRVEC_INIT;
	struct output_tail	*tail;
	struct output_tail_hooks hooks = { .on_line = print_line };
	struct watch		 w;
	struct run		*run;
	char			*cause = NULL, *id, *path;
	enum run_status		 st;
	const struct timespec	 tick = { 0, 100 * 1000 * 1000 };

	if ((home = cli_home(ctx)) == NULL)
		return 1;
	if (a->pos.n > 1)
		return cli_error("watch takes at most one RUN");
	if (runsel_list(home->runs, &ids, &cause) == -1)
		return cli_error_cause(cause);
	if (a->pos.n == 1)
		id = runsel_one(&ids, a->pos.v[0], &cause);
	else if ((id = latest_running(home->runs, &ids)) == NULL)
		cause = xstrdup("nothing to watch: no run is running");
	strvec_clear(&ids);
	if (id == NULL)
		return cli_error_cause(cause);
	path = run_dir_path(home->runs, id);
	run = run_open(path, &cause);
	free(path);
	if (run == NULL) {
		free(id);
		return cli_error_cause(cause);
	}
	w.colour = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
	if ((tail = output_tail_open(run->path, OUTPUT_TAIL_ALL, &hooks, &w,
	    &cause)) == NULL) {
		run_free(run);
		free(id);
		return cli_error_cause(cause);
	}
	for (;;) {
		/* Status first: output written before it ended is then all there. */
		st = run_get_status(run);
		if (output_tail_poll(tail, &cause) == -1) {
			cli_error_cause(cause);
			cause = NULL;
			break;
		}
		if (st != RUN_STATUS_RUNNING && st != RUN_STATUS_PENDING)
			break;
		nanosleep(&tick, NULL);
	}
	output_tail_finish(tail);
	output_tail_free(tail);
	printf("Run %s stopped with a status of '%s'\n", id, run_status_name(st));
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
